# Copyright: linux.vnet contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Connection plugin of the full-kernel lane's test harness (not part of the collection)."""

from __future__ import annotations

import base64
import json
import os
import time
import uuid

from ansible.errors import AnsibleConnectionFailure, AnsibleError
from ansible.plugins.connection import ConnectionBase
from ansible.utils.display import Display

DOCUMENTATION = r"""
name: vnet_guest
short_description: Run tasks in the full-kernel lane's QEMU guest, through its agent on a 9p share
description:
  - Hands every command to tests/kernel/guest_agent.py, which runs it in the guest. The request is a file in
    the share's C(req) directory, the answer a file in its C(resp) directory.
  - Modules must be pipelined (the lane runs with pipelining on); there are no file transfers.
author:
  - linux.vnet contributors (@linux-vnet)
options:
  share:
    description: The host directory the guest mounts as its writable 9p share.
    type: str
    required: true
    vars:
      - name: vnet_guest_share
    env:
      - name: VNET_GUEST_SHARE
  command_timeout:
    description: Seconds to wait for the guest to answer one command.
    type: int
    default: 300
    vars:
      - name: vnet_guest_command_timeout
extends_documentation_fragment:
  - connection_pipelining
"""

display = Display()


class Connection(ConnectionBase):
    """Commands and files go to the guest agent as request files on the 9p share."""

    transport = 'vnet_guest'
    has_pipelining = True

    def _connect(self):
        share = self.get_option('share')
        if not os.path.isfile(os.path.join(share, 'ready.json')):
            raise AnsibleConnectionFailure('vnet_guest: no agent is serving %s (is the guest up?)' % share)
        self._connected = True
        return self

    def _call(self, request):
        share = self.get_option('share')
        name = '%.6f-%s.json' % (time.time(), uuid.uuid4().hex[:8])
        req = os.path.join(share, 'req', name)
        with open(req + '.tmp', 'w', encoding='utf-8') as handle:
            json.dump(request, handle)
        os.rename(req + '.tmp', req)
        resp = os.path.join(share, 'resp', name)
        deadline = time.monotonic() + self.get_option('command_timeout')
        while not os.path.exists(resp):
            if not os.path.isdir(os.path.dirname(resp)):
                raise AnsibleConnectionFailure('vnet_guest: the share %s is gone (the guest was stopped)' % share)
            if time.monotonic() > deadline:
                raise AnsibleConnectionFailure(
                    'vnet_guest: no answer from the guest within %ss' % self.get_option('command_timeout')
                )
            time.sleep(0.02)
        with open(resp, encoding='utf-8') as handle:
            answer = json.load(handle)
        os.unlink(resp)
        return answer

    def exec_command(self, cmd, in_data=None, sudoable=True):
        super().exec_command(cmd, in_data=in_data, sudoable=sudoable)
        display.vvv('GUEST EXEC %s' % cmd, host=self._play_context.remote_addr)
        answer = self._call({'cmd': cmd, 'stdin': base64.b64encode(in_data or b'').decode()})
        display.vvv('GUEST rc=%s in %ss' % (answer['rc'], answer['seconds']), host=self._play_context.remote_addr)
        return answer['rc'], base64.b64decode(answer['stdout']), base64.b64decode(answer['stderr'])

    def put_file(self, in_path, out_path):
        raise AnsibleError('vnet_guest: no file transfers (the lane pipelines every module); put_file %s' % out_path)

    def fetch_file(self, in_path, out_path):
        raise AnsibleError('vnet_guest: no file transfers (the lane pipelines every module); fetch_file %s' % in_path)

    def close(self):
        self._connected = False
