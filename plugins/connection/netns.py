# -*- coding: utf-8 -*-
# Copyright: linux.vnet contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: netns
short_description: Run tasks inside a simulated host made of network and mount namespaces
version_added: 0.1.0
description:
  - Runs every task of an inventory host on the controller, inside that host's network namespace and, when
    given, its persistent mount namespace. The mount namespace gives the simulated host its own C(/run/netns)
    registry (so two simulated hosts can each own a namespace called C(c1)) and its own C(/sys).
  - Both namespaces outlive the tasks (they are bind-mounted files), so what one task creates inside a simulated
    host is there for the next task and for later playbooks.
  - The filesystem is otherwise shared with the controller, so file transfers are plain copies.
  - The M(linux.vnet.vnet_namespace) module and the C(linux.vnet.lab) role create such hosts and write an
    inventory that uses this plugin.
  - Needs root on the controller and C(nsenter) (util-linux).
author:
  - linux.vnet contributors (@linux-vnet)
options:
  netns:
    description:
      - Named network namespace (in C(/run/netns) of the controller) that is the simulated host's network.
    type: str
    required: true
    vars:
      - name: vnet_netns
  mount_ns:
    description:
      - File holding the simulated host's persistent mount namespace. Omit to share the controller's mounts
        (then the simulated host sees the controller's C(/run/netns) and C(/sys)).
    type: str
    vars:
      - name: vnet_mount_ns
  nsenter:
    description:
      - Path of the C(nsenter) program.
    type: str
    default: /usr/bin/nsenter
    vars:
      - name: vnet_nsenter
extends_documentation_fragment:
  - connection_pipelining
notes:
  - Privilege escalation is not supported; run the controller as root.
"""

import os
import shlex

from ansible.errors import AnsibleConnectionFailure
from ansible.plugins.connection.local import Connection as LocalConnection
from ansible.utils.display import Display

display = Display()
NETNS_DIR = '/run/netns'


class Connection(LocalConnection):
    """The local connection, with every command wrapped in nsenter into the simulated host."""

    transport = 'linux.vnet.netns'
    has_pipelining = True

    def _connect(self):
        super()._connect()
        netns = self.get_option('netns')
        if not netns or '/' in netns or netns in ('.', '..'):
            raise AnsibleConnectionFailure('netns: %r is not a namespace name' % netns)
        if not os.path.exists(os.path.join(NETNS_DIR, netns)):
            raise AnsibleConnectionFailure(
                'netns: simulated host namespace %r does not exist in %s (create the lab first)' % (netns, NETNS_DIR)
            )
        mount_ns = self.get_option('mount_ns')
        if mount_ns and not os.path.exists(mount_ns):
            raise AnsibleConnectionFailure('mount_ns: %s does not exist (create the lab first)' % mount_ns)
        return self

    def exec_command(self, cmd, in_data=None, sudoable=True):
        netns = self.get_option('netns')
        mount_ns = self.get_option('mount_ns')
        wrapper = [self.get_option('nsenter')]
        if mount_ns:
            # the mount namespace first: inside it /run/netns is the simulated host's own registry
            wrapper.append('--mount=%s' % mount_ns)
        wrapper.append('--net=%s' % os.path.join(NETNS_DIR, netns))
        wrapped = ' '.join(shlex.quote(part) for part in wrapper) + ' /bin/sh -c ' + shlex.quote(cmd)
        display.vvv('NETNS %s: %s' % (netns, cmd), host=self._play_context.remote_addr)
        return super().exec_command(wrapped, in_data=in_data, sudoable=sudoable)
