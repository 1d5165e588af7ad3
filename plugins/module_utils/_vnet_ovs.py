# -*- coding: utf-8 -*-
# Copyright: linux.vnet contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""An Open vSwitch bridge and its ports on the shared engine, applied as one OVSDB transaction.

The planned steps only edit the in-memory transaction; the last step commits it, so the
server applies all of it or none of it, and a failure has nothing to undo.
"""

from __future__ import annotations

import ipaddress

from ansible_collections.linux.vnet.plugins.module_utils import _vnet_validate as validate
from ansible_collections.linux.vnet.plugins.module_utils._vnet_engine import Step
from ansible_collections.linux.vnet.plugins.module_utils._vnet_errors import VnetError
from ansible_collections.linux.vnet.plugins.module_utils._vnet_owner import MARKER, OVSDB_KEY

PORT_TYPES = ('system', 'internal', 'vxlan', 'geneve', 'gre', 'patch')
TUNNELS = ('vxlan', 'geneve', 'gre')
TUNNEL_OPTIONS = ('remote_ip', 'local_ip', 'key', 'in_key', 'out_key', 'dst_port', 'tos', 'ttl', 'df_default', 'csum')
OPTIONS = {'patch': ('peer',), 'system': (), 'internal': ()}
REQUIRED_OPTIONS = {'vxlan': ('remote_ip',), 'geneve': ('remote_ip',), 'gre': ('remote_ip',), 'patch': ('peer',)}
KEY_BITS = {'vxlan': 24, 'geneve': 24, 'gre': 32}
VLAN_MAX = 4095
UPLINKS = ('system', 'patch')  # port types that can carry a bridge's way out of the host


class OvsBackend:
    """vnet_ovs needs the ``ovs`` library and an OVSDB session instead of netlink."""

    @staticmethod
    def dependency():
        from ansible_collections.linux.vnet.plugins.module_utils._ovs_dep import OVS

        return OVS

    @staticmethod
    def open(params):
        from ansible_collections.linux.vnet.plugins.module_utils._vnet_ovsdb import Ovsdb

        return Ovsdb(params['db'], params['timeout'])


class OvsBridgeSpec:
    """What vnet_ovs accepts; build() gives the engine object."""

    backend = OvsBackend
    mutually_exclusive = ()
    required_if = ()

    def argument_spec(self):
        return dict(
            bridge=dict(type='str', required=True),
            state=dict(type='str', default='present', choices=['present', 'absent']),
            datapath_type=dict(type='str', choices=['system', 'netdev']),
            fail_mode=dict(type='str', choices=['standalone', 'secure']),
            external_ids=dict(type='dict'),
            other_config=dict(type='dict'),
            ports=dict(
                type='list',
                elements='dict',
                options=dict(
                    name=dict(type='str', required=True),
                    type=dict(type='str', default='system', choices=list(PORT_TYPES)),
                    tag=dict(type='int'),
                    trunks=dict(type='list', elements='int'),
                    options=dict(type='dict', default={}),
                    protected=dict(type='bool', default=False),
                    external_ids=dict(type='dict'),
                ),
            ),
            purge_ports=dict(type='bool', default=False),
            move_ports=dict(type='bool', default=False),
            db=dict(type='str', default='unix:/run/openvswitch/db.sock'),
            timeout=dict(type='float', default=10.0),
            force=dict(type='bool', default=False),
        )

    def build(self, params):
        return OvsBridgeObject(params)


# ---- validation -----------------------------------------------------------------


def _vlan(option, value):
    if not 0 <= value <= VLAN_MAX:
        raise VnetError('%s: VLAN %d is outside 0-%d' % (option, value, VLAN_MAX))
    return value


def _port_options(option, port_type, options):
    allowed = TUNNEL_OPTIONS if port_type in TUNNELS else OPTIONS[port_type]
    result = {}
    for key, value in sorted((options or {}).items()):
        if key not in allowed:
            raise VnetError(
                '%s.%s: not an option of a %s port (allowed: %s)'
                % (option, key, port_type, ', '.join(allowed) or 'none')
            )
        if value is None or isinstance(value, (dict, list)):
            raise VnetError('%s.%s: must be a string or a number' % (option, key))
        text = str(value).lower() if isinstance(value, bool) else str(value)
        _check_option(option, port_type, key, text)
        result[key] = text
    for key in REQUIRED_OPTIONS.get(port_type, ()):
        if key not in result:
            raise VnetError('%s.%s: a %s port needs it' % (option, key, port_type))
    return result


def _decimal(text):
    """Plain ASCII digits: str.isdigit() also takes '²' and '٣', which int() refuses or OVS cannot parse."""
    return text.isascii() and text.isdigit()


def _check_option(option, port_type, key, text):
    where = '%s.%s' % (option, key)
    if key in ('remote_ip', 'local_ip') and text != 'flow':
        try:
            if '%' in text:
                raise ValueError(text)
            ipaddress.ip_address(text)
        except ValueError:
            raise VnetError('%s: %r is not an IP address or "flow"' % (where, text)) from None
    elif key in ('key', 'in_key', 'out_key') and text != 'flow':
        if not _decimal(text) or int(text) >= 2 ** KEY_BITS[port_type]:
            raise VnetError('%s: %r is not "flow" or a %d-bit number' % (where, text, KEY_BITS[port_type]))
    elif key == 'dst_port' and not (_decimal(text) and 1 <= int(text) <= 65535):
        raise VnetError('%s: %r is not a UDP port (1-65535)' % (where, text))
    elif key in ('tos', 'ttl') and text != 'inherit' and not (_decimal(text) and int(text) <= 255):
        raise VnetError('%s: %r is not "inherit" or 0-255' % (where, text))
    elif key in ('df_default', 'csum') and text not in ('true', 'false'):
        raise VnetError('%s: %r is not true or false' % (where, text))
    elif key == 'peer':
        validate.interface_name(where, text)


def _port(index, spec):
    option = 'ports[%d]' % index
    name = validate.interface_name(option + '.name', spec['name'])
    trunks = spec['trunks'] or []
    if len(set(trunks)) != len(trunks):
        raise VnetError('%s.trunks: a VLAN is listed twice' % option)
    options = _port_options(option + '.options', spec['type'], spec['options'])
    if options.get('peer') == name:
        raise VnetError('%s.options.peer: a patch port cannot be its own peer (%s)' % (option, name))
    return {
        'name': name,
        'type': spec['type'],
        'tag': None if spec['tag'] is None else _vlan(option + '.tag', spec['tag']),
        'trunks': sorted(_vlan(option + '.trunks', v) for v in trunks),
        'options': options,
        'protected': spec['protected'],
        'external_ids': _config(option + '.external_ids', spec['external_ids']),
    }


def _port_changes(have, port):
    """What differs between a port as read and as declared: every column, and the external_ids keys given."""
    changes = ['%s=%r' % (k, port[k]) for k in ('type', 'tag', 'trunks', 'options', 'protected') if have[k] != port[k]]
    for key, value in sorted((port['external_ids'] or {}).items()):
        if value is None and key in have['external_ids']:
            changes.append('external_ids:%s removed' % key)
        elif value is not None and have['external_ids'].get(key) != value:
            changes.append('external_ids:%s=%s' % (key, value))
    return changes


def _merged(have, wanted):
    """A key-value column after setting the keys given (a null removes the key)."""
    merged = dict(have)
    for key, value in (wanted or {}).items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = value
    return merged


def _config(option, values):
    """Given keys are enforced (null removes a key); keys not given are left alone."""
    if values is None:
        return None
    result = {}
    for key, value in values.items():
        if isinstance(value, (dict, list)):
            raise VnetError('%s.%s: must be a string, a number or null' % (option, key))
        text = None if value is None else (str(value).lower() if isinstance(value, bool) else str(value))
        for part in (str(key), text or ''):
            # OVSDB strings are UTF-8 without NUL; the server would refuse the whole transaction
            if '\x00' in part or not _utf8(part):
                raise VnetError('%s.%s: %r is not text OVSDB can store (NUL or invalid UTF-8)' % (option, key, part))
        result[str(key)] = text
    return result


def _utf8(text):
    try:
        text.encode('utf-8')
    except UnicodeEncodeError:
        return False
    return True


# ---- reading --------------------------------------------------------------------


def _scalar(value):
    if isinstance(value, list):
        return value[0] if value else None
    return value


def _read_port(port):
    iface = port.interfaces[0] if len(port.interfaces) == 1 else None
    return {
        'name': port.name,
        'type': (iface.type or 'system') if iface else 'bond',
        'tag': _scalar(port.tag),
        'trunks': sorted(port.trunks),
        'options': dict(iface.options) if iface else {},
        'protected': bool(_scalar(port.protected)),
        'external_ids': dict(port.external_ids),
    }


def read_bridge(row):
    """A Bridge row with its ports (its own local port excepted), under the option names."""
    ports = [_read_port(port) for port in row.ports if port.name != row.name]
    return {
        'datapath_type': row.datapath_type or 'system',
        'fail_mode': _scalar(row.fail_mode),
        'external_ids': dict(row.external_ids),
        'other_config': dict(row.other_config),
        'ports': sorted(ports, key=lambda p: p['name']),
    }


class OvsBridgeObject:
    result_key = 'bridge'
    recreate = False

    def __init__(self, params):
        self.name = validate.interface_name('bridge', params['bridge'])
        validate.seconds('timeout', params['timeout'])
        self.state = params['state']
        self.datapath_type = params['datapath_type']
        self.fail_mode = params['fail_mode']
        self.external_ids = _config('external_ids', params['external_ids'])
        self.other_config = _config('other_config', params['other_config'])
        self.ports = None
        if params['ports'] is not None:
            self.ports = [_port(i, spec) for i, spec in enumerate(params['ports'])]
            names = [p['name'] for p in self.ports]
            for name in names:
                if names.count(name) > 1:
                    raise VnetError('ports: %r is listed twice' % name)
            if self.name in names:
                raise VnetError('ports: %r is the bridge itself (its local port exists already)' % self.name)
        self.purge_ports = params['purge_ports']
        self.move_ports = params['move_ports']
        self.force = params['force']
        # what the bridge and ports it creates are marked with; purge_marked: remove the undeclared
        # ports that carry it (vnet_topology's purge)
        self.marker = MARKER
        self.purge_marked = False
        self._guards = []
        self._rows = {}
        self._row = None
        self.warnings = []

    def label(self):
        return 'Open vSwitch bridge %r' % self.name

    def keep_on_recreate(self, current):
        """Nothing about a bridge needs a re-create."""

    # ---- reading ------------------------------------------------------------

    def read(self, db):
        self._db = db
        self._rows = {row.name: row for row in db.rows('Bridge')}
        row = self._rows.get(self.name)
        self._row = row
        if row is None:
            return None
        return read_bridge(row)

    def _owner(self, port_name):
        for bridge in self._rows.values():
            for port in bridge.ports:
                if port.name == port_name:
                    return bridge, port
        return None, None

    # ---- planning -----------------------------------------------------------

    def plan_create(self, db):
        def create():
            iface = db.txn.insert(db.idl.tables['Interface'])
            iface.name, iface.type = self.name, 'internal'
            local = db.txn.insert(db.idl.tables['Port'])
            local.name, local.interfaces = self.name, [iface]
            bridge = db.txn.insert(db.idl.tables['Bridge'])
            bridge.name, bridge.ports = self.name, [local]
            bridge.external_ids = {OVSDB_KEY: self.marker}
            db.root().addvalue('bridges', bridge.uuid)
            self._row = bridge

        steps = [TxnStep(db, 'create %s' % self.label(), create)]
        steps += self._bridge_steps(db, {'external_ids': {OVSDB_KEY: self.marker}, 'other_config': {}})
        steps += self._port_steps(db, [])
        self._run_guards()
        return steps + [self._commit_step(db, [self.name] + [p['name'] for p in self.ports or []])]

    def plan_update(self, db, current):
        steps = self._bridge_steps(db, current) + self._port_steps(db, current['ports'])
        self._run_guards()
        if not steps:
            self._check_ports_up(db)
            return [], []
        touched = [s.port for s in steps if getattr(s, 'port', None)]
        return steps + [self._commit_step(db, touched)], []

    def plan_delete(self, db, current):
        # the bridge's own device and its internal ports' devices go with it
        for name in [self.name] + [p['name'] for p in current['ports'] if p['type'] == 'internal']:
            self._guard(name, 'delete', ' (%s of %s)' % ('the device' if name == self.name else 'a port', self.label()))
        self._run_guards()

        def delete():
            db.root().delvalue('bridges', self._row.uuid)
            self._row.delete()

        return [TxnStep(db, 'delete %s' % self.label(), delete), self._commit_step(db, [])]

    def _bridge_steps(self, db, current):
        steps = []
        for column, choice in (('datapath_type', self.datapath_type), ('fail_mode', self.fail_mode)):
            if choice is not None and current.get(column) != choice:
                value = '' if (column, choice) == ('datapath_type', 'system') else choice
                steps.append(
                    TxnStep(db, 'set %s=%s on %s' % (column, choice, self.label()), _setter(self, column, value))
                )
        for column, wanted in (('external_ids', self.external_ids), ('other_config', self.other_config)):
            have = current.get(column) or {}
            for key, value in sorted((wanted or {}).items()):
                if value is None and key in have:
                    steps.append(
                        TxnStep(
                            db,
                            'remove %s:%s from %s' % (column, key, self.label()),
                            _keyer(self, 'delkey', column, key),
                        )
                    )
                elif value is not None and have.get(key) != value:
                    steps.append(
                        TxnStep(
                            db,
                            'set %s:%s=%s on %s' % (column, key, value, self.label()),
                            _keyer(self, 'setkey', column, key, value),
                        )
                    )
        return steps

    def _port_steps(self, db, current_ports):
        current = {p['name']: p for p in current_ports}
        steps = []
        for port in self.ports or []:
            have = current.get(port['name'])
            if have is None:
                steps.append(self._add_port(db, port))
            elif _port_changes(have, port):
                if have['type'] == 'internal' and port['type'] != 'internal':
                    self._guard(port['name'], 'delete', ' (by turning internal port into %s)' % port['type'])
                if port['type'] == 'system' and have['type'] != 'system':
                    self._guard(port['name'], 'add', ' to %s' % self.label())
                changes = ', '.join(_port_changes(have, port))
                steps.append(
                    TxnStep(
                        db,
                        'set %s on port %r' % (changes, port['name']),
                        lambda port=port: _apply_port(_find_port(self._row, port['name']), port),
                        port=port['name'],
                    )
                )
        for name in self._purged(current):
            if current[name]['type'] == 'internal':
                self._guard(name, 'purge', ' (an internal port: its device is deleted)')
            if current[name]['type'] in UPLINKS:
                self._guard_release(name, self.name, current_ports, 'purge')
            steps.append(
                TxnStep(
                    db,
                    'remove port %r from %s' % (name, self.label()),
                    lambda name=name: self._row.delvalue('ports', _find_port(self._row, name).uuid),
                )
            )
        return steps

    def _purged(self, current):
        """The ports to remove: every unlisted one (purge_ports), else the unlisted ones we marked."""
        wanted = {p['name'] for p in self.ports or []}
        if self.purge_ports and self.ports is not None:
            return sorted(set(current) - wanted)
        if self.purge_marked:
            ours = [n for n, p in current.items() if p['external_ids'].get(OVSDB_KEY) == self.marker]
            return sorted(set(ours) - wanted)
        return []

    def _add_port(self, db, port):
        owner, existing = self._owner(port['name'])
        if owner is not None and owner.name == port['name']:
            raise VnetError('ports: %r is the local port of bridge %r and cannot be moved' % (port['name'], owner.name))
        if owner is not None and owner.name != self.name:
            if not self.move_ports:
                raise VnetError(
                    'ports: %r is a port of bridge %r; set move_ports: true to move it to %r'
                    % (port['name'], owner.name, self.name)
                )

            owner_ports = [_read_port(p) for p in owner.ports]
            if any(p['name'] == port['name'] and p['type'] in UPLINKS for p in owner_ports):
                self._guard_release(port['name'], owner.name, owner_ports, 'move')
            if port['type'] == 'system':
                self._guard(port['name'], 'move', ' to %s' % self.label())

            def move():
                owner.delvalue('ports', existing.uuid)
                self._row.addvalue('ports', existing.uuid)
                _apply_port(existing, port)

            return TxnStep(db, 'move port %r from bridge %r' % (port['name'], owner.name), move, port=port['name'])

        if port['type'] == 'system':
            self._guard(port['name'], 'add', ' to %s' % self.label())

        def add():
            iface = db.txn.insert(db.idl.tables['Interface'])
            iface.name = port['name']
            row = db.txn.insert(db.idl.tables['Port'])
            row.name, row.interfaces = port['name'], [iface]
            _apply_port(row, port, ids={OVSDB_KEY: self.marker})
            self._row.addvalue('ports', row.uuid)

        return TxnStep(db, 'add %s port %r' % (port['type'], port['name']), add, port=port['name'])

    # ---- safety -------------------------------------------------------------
    # ovs-vswitchd opens system ports, and creates the devices of the bridge and its internal ports,
    # in its own network namespace: normally the one this module runs in, whose links are read.

    def _guard(self, name, action, suffix=''):
        self._guards.append((name, action, suffix, None))

    def _guard_release(self, port, bridge, bridge_ports, action):
        """A port leaving a bridge whose own device or internal ports carry the route: maybe its uplink."""
        devices = [bridge] + [p['name'] for p in bridge_ports if p['type'] == 'internal' and p['name'] != port]
        self._guards.append((port, action, ' from Open vSwitch bridge %r' % bridge, devices))

    def _run_guards(self):
        """Refuse (unless force) to cut off the host, as the link modules do (_vnet_link.guard_link)."""
        guards, self._guards = self._guards, []
        if self.force or not guards:
            return
        from ansible_collections.linux.vnet.plugins.module_utils._pyroute2_dep import IMPORT_ERROR

        if IMPORT_ERROR is not None:
            raise VnetError(
                'cannot check without pyroute2 that this change leaves the default route and the Ansible '
                'connection alone: install it (Debian/Ubuntu python3-pyroute2), or set force: true'
            )
        from ansible_collections.linux.vnet.plugins.module_utils._vnet_kernel import HOST, Kernel
        from ansible_collections.linux.vnet.plugins.module_utils._vnet_link import (
            FORCE_HINT,
            guard_link,
            lockout_reasons,
        )

        kernel = Kernel()
        try:
            for name, action, suffix, devices in guards:
                if devices is None:
                    guard_link(kernel, HOST, name, action, children=action != 'add', suffix=suffix)
                    continue
                for device in devices:
                    state = kernel.link(HOST, device)
                    reasons = lockout_reasons(kernel, HOST, state['ifindex']) if state else []
                    if reasons:
                        because = ' and '.join(r[len('it ') :] for r in reasons)
                        raise VnetError(
                            'refusing to %s port %r%s: its device %r %s, and %r may be its uplink. %s'
                            % (action, name, suffix, device, because, name, FORCE_HINT),
                            lockout=reasons,
                        )
        finally:
            kernel.close()

    def _commit_step(self, db, interfaces):
        def commit():
            db.commit()
            failed = {}
            for name, (ofport, error) in sorted(db.interface_states(interfaces).items()):
                if error or not ofport:
                    failed[name] = error or _no_ofport(name, self)
            for name in [n for n in failed if self._is_patch(n)]:
                # the peer of a patch port is often created by the next task: not an error yet
                self.warnings.append('patch port %r is not up yet: %s' % (name, failed.pop(name)))
            if failed:
                raise VnetError(
                    'the transaction was committed, but ovs-vswitchd could not bring up: %s'
                    % '; '.join('%s (%s)' % item for item in sorted(failed.items())),
                    interfaces=failed,
                    changed=True,
                )

        return Step('commit the OVSDB transaction', commit)

    def _check_ports_up(self, db):
        """Nothing to change is not success when a listed port is down: say so on every run."""
        names = [p['name'] for p in self.ports or [] if p['type'] != 'patch']
        failed = {n: e or 'no OpenFlow port number' for n, (o, e) in db.interface_states(names).items() if e or not o}
        if failed:
            raise VnetError(
                'ports: ovs-vswitchd has not brought up: %s'
                % '; '.join('%s (%s)' % item for item in sorted(failed.items())),
                interfaces=failed,
            )

    def _is_patch(self, name):
        return any(p['name'] == name and p['type'] == 'patch' for p in self.ports or [])

    # ---- results ------------------------------------------------------------

    def predict(self, current):
        if self.state == 'absent':
            return None
        after = dict(
            current
            or {
                'datapath_type': 'system',
                'fail_mode': None,
                'external_ids': {OVSDB_KEY: self.marker},
                'other_config': {},
                'ports': [],
            }
        )
        if self.datapath_type:
            after['datapath_type'] = self.datapath_type
        if self.fail_mode:
            after['fail_mode'] = self.fail_mode
        for column in ('external_ids', 'other_config'):
            after[column] = _merged(after[column], getattr(self, column))
        ports = {p['name']: p for p in after['ports']}
        for name in self._purged(ports):
            del ports[name]
        for port in self.ports or []:
            before = self._port_ids_before(port['name'], ports.get(port['name']))
            ports[port['name']] = dict(port, external_ids=_merged(before, port['external_ids']))
        after['ports'] = sorted(ports.values(), key=lambda p: p['name'])
        return after

    def _port_ids_before(self, name, have):
        """A port's external_ids before the change: its own, a moved port's own, or (new) the marker."""
        if have is not None:
            return have['external_ids']
        existing = self._owner(name)[1]
        return {OVSDB_KEY: self.marker} if existing is None else dict(existing.external_ids)

    def projection(self, state):
        if state is None:
            return {'bridge': self.name, 'state': 'absent'}
        return dict(state, bridge=self.name, state='present')

    def report(self, state):
        return self.projection(state)


def _no_ofport(name, obj):
    if name == obj.name:
        return (
            'the bridge has no datapath: with datapath_type system ovs-vswitchd needs the openvswitch kernel '
            'module; datapath_type netdev runs in userspace'
        )
    return 'no OpenFlow port number was assigned; see the ovs-vswitchd log'


class TxnStep(Step):
    """Edits the pending transaction (opened on first use); ``port`` is checked after the commit."""

    __slots__ = ('port',)

    def __init__(self, db, description, edit, port=None):
        super().__init__(description, lambda: edit() if db.txn else None)
        self.port = port


def _find_port(bridge, name):
    for port in bridge.ports:
        if port.name == name:
            return port
    raise VnetError('port %r vanished from bridge %r while planning' % (name, bridge.name))


def _apply_port(row, port, ids=None):
    """Hold a port row to its declaration; ``ids``: a new row's external_ids, before the keys given."""
    row.tag = [] if port['tag'] is None else [port['tag']]
    row.trunks = port['trunks']
    row.protected = port['protected']
    if ids is not None:
        row.external_ids = _merged(ids, port['external_ids'])
    else:
        for key, value in sorted((port['external_ids'] or {}).items()):
            if value is None:
                row.delkey('external_ids', key)
            else:
                row.setkey('external_ids', key, value)
    iface = row.interfaces[0]
    iface.type = '' if port['type'] == 'system' else port['type']
    iface.options = port['options']


def _setter(obj, column, value):
    def do():
        setattr(obj._row, column, [value] if column == 'fail_mode' else value)

    return do


def _keyer(obj, method, column, *args):
    return lambda: getattr(obj._row, method)(column, *args)
