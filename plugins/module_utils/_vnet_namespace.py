# -*- coding: utf-8 -*-
# Copyright: linux.vnet contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Named network namespaces (/run/netns) on the shared engine: existence, lo, net.* sysctls."""

from __future__ import annotations

import errno
import os
import time

from ansible_collections.linux.vnet.plugins.module_utils import _vnet_validate as validate
from ansible_collections.linux.vnet.plugins.module_utils._vnet_engine import Step
from ansible_collections.linux.vnet.plugins.module_utils._vnet_errors import VnetError
from ansible_collections.linux.vnet.plugins.module_utils._vnet_link import is_own_namespace
from ansible_collections.linux.vnet.plugins.module_utils._vnet_owner import MARKER

PROC_SYS = '/proc/sys'
CLONE_NEWNET = 0x40000000
STALE_WAIT = 0.3  # seconds a file without its namespace mount may be another run's create
STALE_POLL = 0.01


class NamespaceSpec:
    """What vnet_namespace accepts; build() gives the engine object."""

    mutually_exclusive = ()
    required_if = ()

    def argument_spec(self):
        return dict(
            name=dict(type='str', required=True),
            state=dict(type='str', default='present', choices=['present', 'absent']),
            loopback=dict(type='bool', default=True),
            sysctls=dict(type='dict', default={}),
            force=dict(type='bool', default=False),
        )

    def build(self, params):
        return NamespaceObject(params)


class NamespaceObject:
    result_key = 'namespace'
    recreate = False

    def __init__(self, params):
        self.name = validate.namespace_name('name', params['name'])
        self.state = params['state']
        self.loopback = True if params['loopback'] else None  # false: lo is left alone
        self.sysctls = validate.sysctls('sysctls', params['sysctls'])
        self.marker = MARKER
        self.force = params.get('force', False)  # purge builds namespaces without it

    def label(self):
        return 'namespace %r' % self.name

    def keep_on_recreate(self, current):
        """Namespaces have nothing the kernel cannot change in place."""

    def read(self, kernel):
        status = kernel.namespace_status(self.name)
        waited = 0
        while status == 'stale' and waited < STALE_WAIT:
            # Another run's create makes the file a moment before it mounts the namespace on it:
            # give it that moment before calling the file stale (and repairing it under its feet).
            time.sleep(STALE_POLL)
            waited += STALE_POLL
            status = kernel.namespace_status(self.name)
        if status == 'absent':
            self._check_sysctls_exist(None)
            return None
        if status == 'stale':
            return {'state': 'stale', 'loopback': None, 'sysctls': {}}
        lo = kernel.link(self.name, 'lo')
        return {'state': 'present', 'loopback': bool(lo and lo['up']), 'sysctls': self._read_sysctls(kernel)}

    def _check_sysctls_exist(self, kernel):
        """Before creating: some net.* keys exist only in the initial namespace (net.core.*)."""
        for key in missing_in_new_namespace([validate.sysctl_path(k) for k in self.sysctls], list(self.sysctls)):
            raise VnetError('sysctls: %s is not a setting in a new network namespace (no such file in /proc/sys)' % key)

    def _read_sysctls(self, kernel):
        values = {}
        with kernel.inside(self.name):
            for key in self.sysctls:
                try:
                    with open(os.path.join(PROC_SYS, validate.sysctl_path(key))) as handle:
                        values[key] = ' '.join(handle.read().split())
                except FileNotFoundError:
                    raise VnetError('sysctls: %s does not exist in namespace %r' % (key, self.name)) from None
                except IsADirectoryError:
                    raise VnetError('sysctls: %s is a group of settings, not one setting' % key) from None
        return values

    def _write_sysctl(self, kernel, key, value):
        def write():
            with kernel.inside(self.name):
                with open(os.path.join(PROC_SYS, validate.sysctl_path(key)), 'w') as handle:
                    handle.write(value)

        return write

    def _settings_steps(self, kernel, current):
        steps = []
        if self.loopback and not current.get('loopback'):
            steps.append(
                Step(
                    'bring lo up in %s' % self.label(),
                    lambda: kernel.link_set(self.name, 'lo', state='up'),
                    lambda: kernel.link_set(self.name, 'lo', state='down'),
                )
            )
        old = current.get('sysctls', {})
        for key, value in sorted(self.sysctls.items()):
            if old.get(key) != value:
                undo = self._write_sysctl(kernel, key, old[key]) if key in old else None
                steps.append(
                    Step(
                        'set sysctl %s=%s in %s' % (key, value, self.label()),
                        self._write_sysctl(kernel, key, value),
                        undo,
                        hints={errno.EINVAL: 'sysctls: the kernel rejected %r as the value of %s' % (value, key)},
                    )
                )
        return steps

    def _create(self, kernel):
        kernel.create_namespace(self.name)
        kernel.mark(self.name, 'lo', self.marker)  # the marker lives and dies with the namespace

    def plan_create(self, kernel):
        create = Step(
            'create %s' % self.label(),
            lambda: self._create(kernel),
            lambda: kernel.delete_namespace(self.name),
        )
        return [create] + self._settings_steps(kernel, {})

    def plan_update(self, kernel, current):
        if current['state'] == 'stale':
            # A file in /run/netns without its mount (left by a crash or a reboot): repair it.
            repair = Step(
                'repair stale %s (file without namespace mount)' % self.label(),
                lambda: self._create(kernel),
                lambda: kernel.delete_namespace(self.name),
            )
            return [repair] + self._settings_steps(kernel, {}), []
        return self._settings_steps(kernel, current), []

    def plan_delete(self, kernel, current):
        if not self.force and is_own_namespace(self.name):
            # the name is how a netns connection (linux.vnet.netns, ip netns exec) gets back in
            raise VnetError(
                'refusing to delete %s: it is the network namespace this module runs in, the one the Ansible '
                'connection enters by that name. Set force: true if you really mean it.' % self.label(),
                lockout=['it is the network namespace this module runs in'],
            )
        return [Step('delete %s' % self.label(), lambda: kernel.delete_namespace(self.name))]

    def predict(self, current):
        if self.state == 'absent':
            return None
        after = {
            'state': 'present',
            # a new (or repaired) namespace's lo starts down
            'loopback': True
            if self.loopback
            else bool(current and current['state'] == 'present' and current['loopback']),
            'sysctls': dict((current or {}).get('sysctls') or {}),
        }
        after['sysctls'].update(self.sysctls)
        return after

    def projection(self, state):
        if state is None:
            return {'name': self.name, 'state': 'absent'}
        return {'name': self.name, 'state': state['state'], 'loopback': state['loopback'], 'sysctls': state['sysctls']}

    def report(self, state):
        view = self.projection(state)
        if state is not None:
            view['path'] = '/run/netns/' + self.name
        return view


def missing_in_new_namespace(paths, keys):
    """Keys whose /proc/sys path a brand-new network namespace lacks, checked in a throwaway child."""
    if not paths:
        return []
    import ctypes

    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: a private namespace that dies with it
        try:
            os.close(read_end)
            if ctypes.CDLL(None, use_errno=True).unshare(CLONE_NEWNET) != 0:
                os.write(write_end, b'?')
            else:
                os.write(
                    write_end, b''.join(b'1' if os.path.isfile(os.path.join(PROC_SYS, p)) else b'0' for p in paths)
                )
        finally:
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, 'rb') as pipe:
        answer = pipe.read()
    os.waitpid(pid, 0)
    if len(answer) != len(paths):  # could not make a namespace: fall back to this one
        return [keys[i] for i, path in enumerate(paths) if not os.path.isfile(os.path.join(PROC_SYS, path))]
    return [keys[i] for i, present in enumerate(answer) if present == ord('0')]
