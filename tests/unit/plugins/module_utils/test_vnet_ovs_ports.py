"""vnet_ovs ports without OVSDB: protected, external_ids, the ownership marker and purge of marked ports."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.linux.vnet.plugins.module_utils import _vnet_ovs
from ansible_collections.linux.vnet.plugins.module_utils._vnet_ovs import OvsBridgeSpec
from ansible_collections.linux.vnet.plugins.module_utils._vnet_owner import OVSDB_KEY
from ansible_collections.linux.vnet.plugins.module_utils._vnet_topology import Topology

SPEC = OvsBridgeSpec()


class Row(SimpleNamespace):
    """An OVSDB row: attributes are columns; setkey/delkey edit a map column like the ovs library's Row."""

    def setkey(self, column, key, value):
        getattr(self, column)[key] = value

    def delkey(self, column, key):
        getattr(self, column).pop(key, None)


def port_row(name, tag=None, protected=False, ids=None, kind=''):
    iface = Row(name=name, type=kind, options={})
    return Row(
        name=name,
        interfaces=[iface],
        tag=[] if tag is None else [tag],
        trunks=[],
        protected=protected,
        external_ids=dict(ids or {}),
    )


class Db:
    def __init__(self, *bridges):
        self.bridges = list(bridges)

    def rows(self, table):
        assert table == 'Bridge'
        return self.bridges

    def interface_states(self, names):
        return {name: (1, None) for name in names}  # every port up


def bridge_row(name, *ports):
    return Row(
        name=name,
        ports=[port_row(name, kind='internal')] + list(ports),
        datapath_type='netdev',
        fail_mode=[],
        external_ids={},
        other_config={},
    )


def build(**params):
    checked = ArgumentSpecValidator(SPEC.argument_spec()).validate(dict(params, force=True))
    assert not checked.error_messages, checked.error_messages
    return SPEC.build(checked.validated_parameters)


def plan(obj, db):
    current = obj.read(db)
    steps = obj.plan_update(db, current)[0]
    return current, [s.description for s in steps]


def test_a_port_reads_with_protected_and_external_ids():
    current = build(bridge='b').read(Db(bridge_row('b', port_row('t1', protected=True, ids={'k': 'v'}))))
    assert current['ports'] == [
        {
            'name': 't1',
            'type': 'system',
            'tag': None,
            'trunks': [],
            'options': {},
            'protected': True,
            'external_ids': {'k': 'v'},
        }
    ]


def test_protected_is_held_to_the_declaration_and_predicted():
    obj = build(bridge='b', ports=[{'name': 't1', 'protected': True}])
    db = Db(bridge_row('b', port_row('t1')))
    current, actions = plan(obj, db)
    assert actions == ["set protected=True on port 't1'", 'commit the OVSDB transaction']
    assert obj.predict(current)['ports'][0]['protected'] is True
    row = db.bridges[0].ports[1]
    _vnet_ovs._apply_port(row, obj.ports[0])
    assert row.protected is True


def test_port_external_ids_given_keys_are_enforced_others_left_alone():
    obj = build(bridge='b', ports=[{'name': 't1', 'external_ids': {'net': 'blue', 'old': None, 'never': None}}])
    db = Db(bridge_row('b', port_row('t1', ids={'net': 'red', 'old': 'x', 'keep': 'y'})))
    current, actions = plan(obj, db)
    assert actions == [
        "set external_ids:net=blue, external_ids:old removed on port 't1'",
        'commit the OVSDB transaction',
    ]
    assert obj.predict(current)['ports'][0]['external_ids'] == {'net': 'blue', 'keep': 'y'}
    row = db.bridges[0].ports[1]
    _vnet_ovs._apply_port(row, obj.ports[0])
    assert row.external_ids == {'net': 'blue', 'keep': 'y'}


def test_a_port_as_declared_is_no_change():
    obj = build(bridge='b', ports=[{'name': 't1', 'protected': True, 'external_ids': {'net': 'blue'}}])
    _current, actions = plan(obj, Db(bridge_row('b', port_row('t1', protected=True, ids={'net': 'blue', 'x': 'y'}))))
    assert actions == []


def test_a_new_port_and_a_new_bridge_carry_the_marker():
    obj = build(bridge='b', ports=[{'name': 't1', 'external_ids': {'net': 'blue'}}])
    obj.read(Db())
    after = obj.predict(None)
    assert after['external_ids'] == {OVSDB_KEY: 'linux.vnet'}
    assert after['ports'][0]['external_ids'] == {OVSDB_KEY: 'linux.vnet', 'net': 'blue'}
    row = port_row('t1')
    _vnet_ovs._apply_port(row, obj.ports[0], ids={OVSDB_KEY: obj.marker})
    assert row.external_ids == {OVSDB_KEY: 'linux.vnet', 'net': 'blue'}


def test_a_moved_port_keeps_its_own_external_ids_in_the_prediction():
    obj = build(bridge='b', ports=[{'name': 'p'}], move_ports=True)
    db = Db(bridge_row('b'), bridge_row('other', port_row('p', ids={'who': 'them'})))
    assert obj.predict(obj.read(db))['ports'][0]['external_ids'] == {'who': 'them'}


@pytest.mark.parametrize('purge', [True, False])
def test_topology_purge_removes_only_the_undeclared_ports_with_its_marker(purge):
    topology = Topology(
        {
            'namespaces': [],
            'links': [],
            'purge': purge,
            'owner': 'o',
            'ovs': [{'bridge': 'b', 'ports': [{'name': 'kept'}], 'force': True}],
        }
    )
    obj = topology.ovs[0].inner
    db = Db(
        bridge_row(
            'b',
            port_row('kept', ids={OVSDB_KEY: 'linux.vnet:o'}),
            port_row('stale', ids={OVSDB_KEY: 'linux.vnet:o'}),
            port_row('theirs', ids={OVSDB_KEY: 'linux.vnet:other'}),
            port_row('unmarked'),
        )
    )
    current, actions = plan(obj, db)
    removed = ["remove port 'stale' from Open vSwitch bridge 'b'", 'commit the OVSDB transaction']
    assert actions == (removed if purge else [])
    names = [p['name'] for p in obj.predict(current)['ports']]
    assert names == (['kept', 'theirs', 'unmarked'] if purge else ['kept', 'stale', 'theirs', 'unmarked'])
