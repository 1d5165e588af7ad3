# -*- coding: utf-8 -*-
# Copyright: linux.vnet contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The lockout guard: no module cuts a namespace off its default route or the Ansible connection
unless force: true (a fake kernel; the real one is in the lockout_guard integration target)."""

from __future__ import annotations

import os

import pytest

from ansible_collections.linux.vnet.plugins.module_utils import _vnet_link
from ansible_collections.linux.vnet.plugins.module_utils._vnet_errors import VnetError
from ansible_collections.linux.vnet.plugins.module_utils._vnet_kernel import HOST
from ansible_collections.linux.vnet.plugins.module_utils._vnet_kind_bridge import Bridge
from ansible_collections.linux.vnet.plugins.module_utils._vnet_kind_macvlan import Macvlan
from ansible_collections.linux.vnet.plugins.module_utils._vnet_kind_veth import Veth
from ansible_collections.linux.vnet.plugins.module_utils._vnet_link import (
    LinkObject,
    connection_address,
    guard_link,
    is_own_namespace,
)
from ansible_collections.linux.vnet.plugins.module_utils._vnet_namespace import NamespaceObject
from ansible_collections.linux.vnet.plugins.module_utils._vnet_purge import PurgedLink

NS = 'lab'


def link(name, ifindex, kind='veth', master=0, parent=None, netnsid=None, alias=None):
    return {
        'name': name,
        'namespace': NS,
        'ifindex': ifindex,
        'kind': kind,
        'up': True,
        'mtu': 1500,
        'mac_address': '02:00:00:00:00:%02x' % ifindex,
        'master_index': master,
        'link_index': parent,
        'link_netnsid': netnsid,
        'alias': alias,
        'info_data': {},
    }


class FakeKernel:
    """One namespace NS: uplink (1, default route, holds 192.0.2.10) with macvlan mv (5) on it,
    veth pair v0 (2) / v1 (3), bridge br (4) with port p0 (6), bridge br2 (7)."""

    def __init__(self, route_via=1, ns=NS):
        self.ns = ns
        self.route_via = route_via
        self.closed = False
        self.state = {
            'uplink': link('uplink', 1, parent=9, netnsid=0),  # a veth whose peer is elsewhere
            'v0': link('v0', 2, parent=3),
            'v1': link('v1', 3, parent=2),
            'br': link('br', 4, kind='bridge'),
            'mv': link('mv', 5, kind='macvlan', parent=1),
            'p0': link('p0', 6, master=4, parent=8, netnsid=0),
            'br2': link('br2', 7, kind='bridge'),
        }

    def namespace_status(self, name):
        return 'mounted' if name == self.ns else 'absent'

    def link(self, namespace, name):
        return self.state.get(name) if namespace == self.ns else None

    def links(self, namespace):
        return list(self.state.values()) if namespace == self.ns else []

    def link_by_index(self, namespace, ifindex):
        return next((s for s in self.state.values() if s['ifindex'] == ifindex), None)

    def namespace_of_nsid(self, namespace, nsid):
        return namespace if nsid is None else ''

    def default_route_ifindexes(self, namespace):
        return {self.route_via} if namespace == self.ns else set()

    def address_ifindexes(self, namespace, address):
        return {1} if address == '192.0.2.10' else set()

    def addresses(self, namespace, ifindex):
        return ['192.0.2.10/24'] if ifindex == 1 else []

    def close(self):
        self.closed = True


@pytest.fixture(autouse=True)
def no_ssh(monkeypatch):
    monkeypatch.delenv('SSH_CONNECTION', raising=False)


def params(kind, **overrides):
    result = {key: spec.get('default') for key, spec in kind.argument_spec().items()}
    result.update(overrides)
    return result


# ---- guard_link ----------------------------------------------------------------------------


def test_the_default_route_link_is_refused_with_the_reason_and_force():
    with pytest.raises(VnetError) as caught:
        guard_link(FakeKernel(), NS, 'uplink', 'delete')
    assert caught.value.msg == (
        "refusing to delete 'uplink' in namespace 'lab': it carries the default route of namespace 'lab'. "
        'Set force: true if you really mean it.'
    )
    assert caught.value.details['lockout'] == ["it carries the default route of namespace 'lab'"]


def test_other_links_missing_links_and_missing_namespaces_pass():
    kernel = FakeKernel()
    guard_link(kernel, NS, 'v0', 'delete')
    guard_link(kernel, NS, 'nothing', 'delete')
    guard_link(kernel, 'gone', 'uplink', 'delete')


def test_deleting_the_parent_of_the_default_route_macvlan_is_refused():
    kernel = FakeKernel(route_via=5)
    guard_link(kernel, NS, 'uplink', 'enslave')  # only a delete takes the children along
    with pytest.raises(VnetError, match=r"its macvlan 'mv' \(deleted with it\) carries the default route"):
        guard_link(kernel, NS, 'uplink', 'delete', children=True)


def test_a_veth_peer_is_no_child():
    kernel = FakeKernel(route_via=3)
    guard_link(kernel, NS, 'v0', 'delete', children=True)  # the peer is the caller's business (deleted_with)


# ---- the connection address ----------------------------------------------------------------


@pytest.mark.parametrize(
    ('value', 'expected'),
    [
        ('198.51.100.9 40000 192.0.2.10 22', '192.0.2.10'),
        ('2001:db8::9 40000 2001:0db8:0000::0010 22', '2001:db8::10'),
        ('::ffff:198.51.100.9 40000 ::ffff:192.0.2.10 22', '192.0.2.10'),
        ('fe80::9 40000 fe80::10%eth0 22', 'fe80::10'),
        ('198.51.100.9 40000 not-an-address 22', None),
        ('198.51.100.9 40000', None),
        ('', None),
    ],
)
def test_connection_address_is_spelled_as_the_kernel_does(monkeypatch, value, expected):
    monkeypatch.setenv('SSH_CONNECTION', value)
    assert connection_address() == expected


def own_namespace_named(monkeypatch, tmp_path, name):
    """/run/netns/<name> (in tmp_path) naming the namespace this process runs in."""
    monkeypatch.setattr(_vnet_link, 'NETNS_DIR', str(tmp_path))
    os.symlink('/proc/self/ns/net', str(tmp_path / name))


def test_own_namespace_is_host_or_a_name_for_it(monkeypatch, tmp_path):
    own_namespace_named(monkeypatch, tmp_path, 'self')
    (tmp_path / 'other').write_text('')
    assert is_own_namespace(HOST)
    assert is_own_namespace('self')
    assert not is_own_namespace('other')
    assert not is_own_namespace('missing')


def test_the_connection_link_is_refused_only_in_the_namespace_the_module_runs_in(monkeypatch, tmp_path):
    monkeypatch.setenv('SSH_CONNECTION', '198.51.100.9 40000 192.0.2.10 22')
    kernel = FakeKernel(route_via=None)
    guard_link(kernel, NS, 'uplink', 'delete')  # another namespace: not where sshd listens
    own_namespace_named(monkeypatch, tmp_path, NS)
    with pytest.raises(VnetError) as caught:
        guard_link(kernel, NS, 'uplink', 'delete')
    assert 'it holds 192.0.2.10, the address of the Ansible connection' in caught.value.msg
    assert 'force: true' in caught.value.msg


# ---- every path of the link modules ----------------------------------------------------------


def veth(**overrides):
    return LinkObject(Veth(), params(Veth(), name='uplink', namespace=NS, peer='far', **overrides))


@pytest.mark.parametrize('force', [False, True])
def test_delete_and_recreate(force):
    kernel = FakeKernel()
    obj = veth(force=force, state='absent')
    current = {'name': 'uplink', 'namespace': NS, 'kind': 'veth', 'peer': None}
    if force:
        assert obj.plan_delete(kernel, current)
        return
    with pytest.raises(VnetError, match="refusing to delete 'uplink'"):
        obj.plan_delete(kernel, current)
    obj.recreating = True
    with pytest.raises(VnetError, match=r"refusing to re-create \(delete\) 'uplink'"):
        obj.plan_delete(kernel, current)


def test_deleting_a_pair_whose_peer_carries_the_route_is_refused():
    kernel = FakeKernel(route_via=3)
    obj = LinkObject(Veth(), params(Veth(), name='v0', namespace=NS, peer='v1', peer_namespace=NS, state='absent'))
    current = {'name': 'v0', 'namespace': NS, 'kind': 'veth', 'peer': 'v1', 'peer_namespace': NS}
    with pytest.raises(VnetError, match="refusing to delete 'v1'"):
        obj.plan_delete(kernel, current)


def field_steps(obj, kernel, current):
    return obj._field_steps(kernel, current, obj.fields)


def test_addresses_master_and_down_are_refused_and_forced():
    kernel = FakeKernel()
    current = {'addresses': ['192.0.2.10/24'], 'master': '', 'up': True}
    for change, action in (
        ({'addresses': ['192.0.2.11/24']}, 're-address'),
        ({'master': 'br'}, 'enslave'),
        ({'up': False}, 'bring down'),
    ):
        with pytest.raises(VnetError, match="refusing to %s 'uplink'" % action):
            field_steps(veth(**change), kernel, current)
        assert field_steps(veth(force=True, **change), kernel, current)


def test_an_address_more_on_a_link_without_any_is_allowed():
    assert field_steps(veth(addresses=['192.0.2.10/24']), FakeKernel(), {'addresses': []})


def test_leaving_a_bridge_that_carries_the_route_is_refused():
    kernel = FakeKernel(route_via=4)  # br carries the route, p0 is its port
    obj = LinkObject(Veth(), params(Veth(), name='p0', namespace=NS, peer='far', master=''))
    with pytest.raises(VnetError, match="refusing to release 'p0' in namespace 'lab' from bridge 'br'"):
        field_steps(obj, kernel, {'master': 'br'})
    obj = LinkObject(Veth(), params(Veth(), name='p0', namespace=NS, peer='far', master='br2'))
    with pytest.raises(VnetError, match='may be its uplink'):
        field_steps(obj, kernel, {'master': 'br'})
    obj = LinkObject(Veth(), params(Veth(), name='p0', namespace=NS, peer='far', master='br2', force=True))
    assert field_steps(obj, kernel, {'master': 'br'})


def bridge(name, **overrides):
    return LinkObject(Bridge(), params(Bridge(), name=name, namespace=NS, **overrides))


def test_bridge_ports_enslave_move_and_purge():
    kernel = FakeKernel()
    ports = [f for f in Bridge().all_fields() if f.key == 'ports'][0]
    with pytest.raises(VnetError, match="refusing to enslave 'uplink'"):
        ports.steps(kernel, bridge('br', ports=['uplink']), ['p0'], ['p0', 'uplink'])
    kernel = FakeKernel(route_via=4)
    with pytest.raises(VnetError, match="refusing to move 'p0' in namespace 'lab' from bridge 'br'"):
        ports.steps(kernel, bridge('br2', ports=['p0']), [], ['p0'])
    with pytest.raises(VnetError, match=r"refusing to purge \(release\) 'p0' in namespace 'lab' from bridge 'br'"):
        ports.steps(kernel, bridge('br', ports=[], purge_ports=True), ['p0'], [])
    assert ports.steps(kernel, bridge('br', ports=[], purge_ports=True, force=True), ['p0'], [])


def test_macvlan_delete_is_refused_when_it_carries_the_route():
    kernel = FakeKernel(route_via=5)
    obj = LinkObject(Macvlan(), params(Macvlan(), name='mv', namespace=NS, link='uplink', state='absent'))
    with pytest.raises(VnetError, match="refusing to delete 'mv'"):
        obj.plan_delete(kernel, {'name': 'mv', 'namespace': NS, 'kind': 'macvlan'})


# ---- purge and namespaces ------------------------------------------------------------------


def test_purge_refuses_the_route_link_and_a_veth_peer_that_carries_it():
    kernel = FakeKernel()
    purged = PurgedLink(NS, kernel.state['uplink'], 'linux.vnet')
    with pytest.raises(VnetError, match=r"refusing to purge 'uplink'.*delete it with its module"):
        purged.plan_delete(kernel, {})
    kernel = FakeKernel(route_via=3)
    purged = PurgedLink(NS, kernel.state['v0'], 'linux.vnet')
    with pytest.raises(VnetError, match=r"refusing to purge \(as the veth peer of 'v0'\) 'v1'"):
        purged.plan_delete(kernel, {})


def namespace(name, **overrides):
    return NamespaceObject(dict({'name': name, 'state': 'absent', 'loopback': True, 'sysctls': {}}, **overrides))


def test_the_namespace_the_module_runs_in_is_not_deleted(monkeypatch, tmp_path):
    own_namespace_named(monkeypatch, tmp_path, 'self')
    with pytest.raises(VnetError, match="refusing to delete namespace 'self': it is the network namespace"):
        namespace('self').plan_delete(None, {})
    assert namespace('self', force=True).plan_delete(None, {})
    assert namespace('other').plan_delete(None, {})


# ---- vnet_ovs (its devices live where ovs-vswitchd runs: the module's own namespace) ---------


def ovs(**overrides):
    from ansible_collections.linux.vnet.plugins.module_utils._vnet_ovs import OvsBridgeObject, OvsBridgeSpec

    result = {key: spec.get('default') for key, spec in OvsBridgeSpec().argument_spec().items()}
    result.update(bridge='br')
    ports = overrides.pop('ports', None)
    if ports is not None:
        defaults = {'type': 'system', 'tag': None, 'trunks': None, 'options': {}}
        defaults.update(protected=False, external_ids=None)
        result['ports'] = [dict(defaults, **p) for p in ports]
    result.update(overrides)
    obj = OvsBridgeObject(result)
    obj._rows = {}
    return obj


@pytest.fixture
def ovs_kernel(monkeypatch):
    from ansible_collections.linux.vnet.plugins.module_utils import _vnet_kernel

    kernels = []

    def make(route_via=1):
        kernel = FakeKernel(route_via=route_via, ns=HOST)
        monkeypatch.setattr(_vnet_kernel, 'Kernel', lambda: kernels.append(kernel) or kernel)
        return kernel

    yield make
    assert all(k.closed for k in kernels)


def port(name, kind='system'):
    state = {'name': name, 'type': kind, 'tag': None, 'trunks': [], 'options': {}}
    return dict(state, protected=False, external_ids={})


def test_ovs_adding_the_route_device_as_a_system_port_is_refused(ovs_kernel):
    ovs_kernel()
    obj = ovs(ports=[{'name': 'uplink'}])
    obj._port_steps(None, [])
    with pytest.raises(VnetError) as caught:
        obj._run_guards()
    assert caught.value.msg.startswith(
        "refusing to add 'uplink' in the host namespace to Open vSwitch bridge 'br': it carries the default route"
    )
    assert 'force: true' in caught.value.msg
    obj = ovs(ports=[{'name': 'uplink', 'type': 'internal'}])  # not the kernel's device: OVS makes its own
    obj._port_steps(None, [])
    obj._run_guards()
    obj = ovs(ports=[{'name': 'uplink'}], force=True)
    obj._port_steps(None, [])
    obj._run_guards()


def test_ovs_purging_or_retyping_the_route_internal_port_is_refused(ovs_kernel):
    ovs_kernel(route_via=2)  # 'v0' is the device of an internal port here
    current = [port('v0', 'internal'), port('tun', 'vxlan')]
    obj = ovs(ports=[], purge_ports=True)
    obj._port_steps(None, current)
    with pytest.raises(VnetError, match=r"refusing to purge 'v0' in the host namespace \(an internal port"):
        obj._run_guards()
    obj = ovs(ports=[{'name': 'v0', 'type': 'system'}])
    obj._port_steps(None, current)
    with pytest.raises(VnetError, match=r"refusing to delete 'v0' in the host namespace \(by turning"):
        obj._run_guards()


def test_ovs_purging_the_uplink_of_a_bridge_whose_device_carries_the_route_is_refused(ovs_kernel):
    ovs_kernel(route_via=4)  # the bridge's own device 'br' carries the route
    obj = ovs(ports=[], purge_ports=True)
    obj._port_steps(None, [port('p0'), port('tun', 'vxlan')])
    with pytest.raises(VnetError) as caught:
        obj._run_guards()
    assert caught.value.msg.startswith(
        "refusing to purge port 'p0' from Open vSwitch bridge 'br': its device 'br' carries the default route"
    )
    obj = ovs(ports=[{'name': 'p0'}], purge_ports=True)
    obj._port_steps(None, [port('p0'), port('tun', 'vxlan')])  # a tunnel port is no uplink
    obj._run_guards()


def test_ovs_deleting_a_bridge_whose_device_carries_the_route_is_refused(ovs_kernel):
    ovs_kernel(route_via=4)
    with pytest.raises(VnetError, match=r"refusing to delete 'br' in the host namespace \(the device of"):
        ovs(state='absent').plan_delete(None, {'ports': []})
    ovs_kernel(route_via=2)  # an internal port's device
    with pytest.raises(VnetError, match=r"refusing to delete 'v0' in the host namespace \(a port of"):
        ovs(state='absent').plan_delete(None, {'ports': [port('v0', 'internal')]})
    assert ovs(state='absent', force=True).plan_delete(None, {'ports': [port('v0', 'internal')]})


def test_ovs_guard_reads_nothing_when_nothing_is_risky(ovs_kernel):
    obj = ovs(ports=[{'name': 'tun', 'type': 'vxlan', 'options': {'remote_ip': '192.0.2.1'}}])
    obj._port_steps(None, [])
    obj._run_guards()  # no Kernel was made: ovs_kernel() was never called
