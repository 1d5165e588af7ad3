# -*- coding: utf-8 -*-
# Copyright: linux.vnet contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Writes down every module call a playbook makes on a host, so that a later play can count them.

The scenarios load it through ANSIBLE_CALLBACK_PLUGINS (their molecule.yml). During a run it keeps
$MOLECULE_EPHEMERAL_DIRECTORY/module-calls.json up to date: a list of {play, host, action, changed,
actions (the kernel changes a linux.vnet module reports), check_mode}, one per module run on a
host - one per item of a loop - emptied when a playbook starts. Actions that run on the controller
only (set_fact, assert, include_*, ...) are not module calls and are left out; skipped tasks made
no call.
"""

from __future__ import annotations

import json
import os

from ansible import context
from ansible.plugins.callback import CallbackBase

CONTROLLER_ACTIONS = frozenset(
    'ansible.builtin.' + name
    for name in (
        'add_host',
        'assert',
        'debug',
        'fail',
        'group_by',
        'import_role',
        'import_tasks',
        'include_role',
        'include_tasks',
        'include_vars',
        'meta',
        'pause',
        'set_fact',
        'set_stats',
        'validate_argument_spec',
    )
)


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'aggregate'
    CALLBACK_NAME = 'module_calls'
    CALLBACK_NEEDS_ENABLED = False

    def __init__(self):
        super().__init__()
        directory = os.environ.get('MOLECULE_EPHEMERAL_DIRECTORY') or '/tmp'
        self._path = os.path.join(directory, 'module-calls.json')
        self._play = None
        self._calls = []

    def v2_playbook_on_start(self, playbook):
        self._calls = []
        self._write()

    def v2_playbook_on_play_start(self, play):
        self._play = play.get_name()

    def _record(self, result, item=False):
        task = result._task
        action = getattr(task, 'resolved_action', None) or task.action
        if '.' not in action:
            action = 'ansible.builtin.' + action
        # a loop's own result only sums up its items, which were recorded one by one
        if action in CONTROLLER_ACTIONS or (not item and 'results' in result._result):
            return
        self._calls.append(
            {
                'play': self._play,
                'host': result._host.get_name(),
                'action': action,
                'changed': bool(result._result.get('changed')),
                'actions': result._result.get('actions') or [],
                'check_mode': bool(context.CLIARGS.get('check')),
            }
        )
        self._write()

    def v2_runner_on_ok(self, result):
        self._record(result)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._record(result)

    def v2_runner_item_on_ok(self, result):
        self._record(result, item=True)

    def v2_runner_item_on_failed(self, result):
        self._record(result, item=True)

    def _write(self):
        with open(self._path, 'w') as handle:
            json.dump(self._calls, handle)
