# -*- coding: utf-8 -*-
# Copyright: linux.vnet contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Writes down every task result that reports a change, so that a later play can assert on it.

Loaded for the playbooks of this scenario directory (a playbook-adjacent callback_plugins/), it
keeps $MOLECULE_EPHEMERAL_DIRECTORY/changed-tasks.json up to date during a run: a list of
{play, host, task, check_mode} for each changed result, emptied when a playbook starts. The last
play of converge.yml fails molecule's `check` step when check mode after a converge predicts a
change; verify.yml uses it to assert that a second teardown changes nothing.
"""

from __future__ import annotations

import json
import os

from ansible import context
from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'aggregate'
    CALLBACK_NAME = 'check_unchanged'
    CALLBACK_NEEDS_ENABLED = False

    def __init__(self):
        super().__init__()
        directory = os.environ.get('MOLECULE_EPHEMERAL_DIRECTORY') or '/tmp'
        self._path = os.path.join(directory, 'changed-tasks.json')
        self._play = None
        self._changes = []

    def v2_playbook_on_start(self, playbook):
        self._changes = []
        self._write()

    def v2_playbook_on_play_start(self, play):
        self._play = play.get_name()

    def v2_runner_on_ok(self, result):
        if result._result.get('changed'):
            self._changes.append(
                {
                    'play': self._play,
                    'host': result._host.get_name(),
                    'task': result._task.get_name(),
                    'check_mode': bool(context.CLIARGS.get('check')),
                }
            )
            self._write()

    def _write(self):
        with open(self._path, 'w') as handle:
            json.dump(self._changes, handle)
