# -*- coding: utf-8 -*-
# Copyright: linux.vnet contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""vnet_topology without a kernel: per-kind validation, dependency order, refusals, the planned view."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ansible_collections.linux.vnet.plugins.module_utils._vnet_errors import VnetError
from ansible_collections.linux.vnet.plugins.module_utils._vnet_planned import PlannedKernel
from ansible_collections.linux.vnet.plugins.module_utils._vnet_topology import Topology


def topology(links=(), namespaces=(), owner=None):
    namespaces = [dict({'state': 'present', 'loopback': True, 'sysctls': {}}, **n) for n in namespaces]
    return Topology({'namespaces': namespaces, 'links': list(links), 'ovs': [], 'purge': False, 'owner': owner})


def labels(links=(), namespaces=()):
    return [obj.label() for obj in topology(links, namespaces).objects(kernel=None)]


def test_dependencies_come_first_whatever_the_declared_order():
    order = labels(
        links=[
            {'kind': 'macvlan', 'name': 'm0', 'namespace': 'b', 'link': 'h1', 'link_namespace': 'a'},
            {'kind': 'veth', 'name': 'v1', 'namespace': 'a', 'peer': 'e0', 'peer_namespace': 'b', 'master': 'br'},
            {'kind': 'vxlan', 'name': 'vx', 'namespace': 'b', 'vni': 5, 'dev': 'e0', 'peers': ['10.0.0.3']},
            {'kind': 'veth', 'name': 'h0', 'peer': 'h1', 'peer_namespace': 'a'},
            {'kind': 'bridge', 'name': 'br', 'namespace': 'a'},
        ],
        namespaces=[{'name': 'b'}, {'name': 'a'}],
    )
    assert order.index("namespace 'a'") < order.index("bridge 'br' in namespace 'a'")
    assert order.index("bridge 'br' in namespace 'a'") < order.index("veth 'v1' in namespace 'a'")
    assert order.index("veth 'v1' in namespace 'a'") < order.index("vxlan 'vx' in namespace 'b'")
    assert order.index("veth 'h0' in the host namespace") < order.index("macvlan 'm0' in namespace 'b'")


def test_removals_run_first_in_reverse_dependency_order_namespaces_last():
    order = labels(
        links=[
            {'kind': 'bridge', 'name': 'br', 'namespace': 'a', 'state': 'absent'},
            {'kind': 'veth', 'name': 'v1', 'namespace': 'a', 'peer': 'p', 'master': 'br', 'state': 'absent'},
            {'kind': 'bridge', 'name': 'keep'},
        ],
        namespaces=[{'name': 'a', 'state': 'absent'}],
    )
    assert order == [
        "veth 'v1' in namespace 'a'",
        "bridge 'br' in namespace 'a'",
        "namespace 'a'",
        "bridge 'keep' in the host namespace",
    ]


@pytest.mark.parametrize(
    'links, message',
    [
        (
            [{'kind': 'vlan', 'name': 'x'}],
            "links[0]: kind must be one of bridge, ipvlan, macvlan, veth, vxlan, got 'vlan'",
        ),
        ([{'kind': 'bridge', 'name': 'b'}, {'kind': 'veth', 'name': 'x'}], "links[1] (veth 'x'): "),
        ([{'kind': 'veth', 'name': 'x', 'peer': 'y', 'vni': 5}], "links[0] (veth 'x'): "),
        ([{'kind': 'bridge', 'name': 'waytoolongname00'}], "links[0] (bridge 'waytoolongname00'): name: "),
    ],
)
def test_an_entry_is_validated_by_its_own_modules_spec(links, message):
    with pytest.raises(VnetError) as caught:
        topology(links)
    assert caught.value.msg.startswith(message)


def test_the_same_interface_declared_twice_is_refused():
    with pytest.raises(VnetError, match="link 'x' in the host namespace is declared twice"):
        labels([{'kind': 'bridge', 'name': 'x'}, {'kind': 'veth', 'name': 'y', 'peer': 'x'}])


def test_a_link_declared_absent_and_present_is_a_replacement_removed_first():
    # an endpoint's veth renamed on the host side: the old pair goes, the new one takes its peer's name
    old = {'kind': 'veth', 'name': 'old', 'peer': 'eth0', 'peer_namespace': 'ns', 'state': 'absent'}
    new = {'kind': 'veth', 'name': 'new', 'peer': 'eth0', 'peer_namespace': 'ns'}
    macvlan = {'kind': 'macvlan', 'name': 'm', 'namespace': 'ns', 'link': 'eth0', 'link_namespace': 'ns'}
    assert labels([macvlan, new, old]) == [
        "veth 'old' in the host namespace",
        "veth 'new' in the host namespace",
        "macvlan 'm' in namespace 'ns'",
    ]
    with pytest.raises(VnetError, match=r"links\[1\] \(veth 'new2'\): link 'eth0' in namespace 'ns' is declared twice"):
        labels([new, dict(new, name='new2')])


def test_a_cycle_is_refused_naming_its_members():
    with pytest.raises(VnetError, match="cycle: macvlan 'x' in the host namespace, macvlan 'y'"):
        labels([{'kind': 'macvlan', 'name': 'x', 'link': 'y'}, {'kind': 'macvlan', 'name': 'y', 'link': 'x'}])


def test_the_owner_narrows_the_marker_of_every_object():
    topo = topology([{'kind': 'bridge', 'name': 'b'}], [{'name': 'a'}], owner='red')
    assert {obj.marker for obj in topo.namespaces + topo.links} == {'linux.vnet:red'}
    assert topology([{'kind': 'bridge', 'name': 'b'}]).links[0].marker == 'linux.vnet'


class NoNamespaces:
    """A real kernel with nothing in it but the host namespace."""

    def namespace_status(self, name):
        return 'absent'

    def link(self, namespace, name):
        return None

    def links(self, namespace):
        return []


def test_the_planned_view_shows_planned_namespaces_and_links_and_never_writes():
    view = PlannedKernel(NoNamespaces())
    view.plan_namespace('a', True)
    view.plan_link('a', 'v0', kind='veth', mtu=1400)
    view.require_namespace('namespace', 'a')
    assert view.link('a', 'v0')['mtu'] == 1400
    assert view.link('a', 'other') is None  # a namespace that exists only in the plan has nothing else
    assert [link['name'] for link in view.links('a')] == ['v0']
    view.plan_link('a', 'v0')
    assert view.link('a', 'v0') is None
    with pytest.raises(VnetError, match="namespace: namespace 'b' does not exist"):
        view.require_namespace('namespace', 'b')
    with pytest.raises(AttributeError, match='plans only'):
        view.link_add(None, ifname='x')


def _placed_one_at_a_time(objects):
    """The definition dependency_order keeps: repeatedly the earliest declared object whose
    dependencies are all placed (what it did before, rescanning everything per object)."""
    from ansible_collections.linux.vnet.plugins.module_utils import _vnet_topology as t

    providers = {k: o for o in objects for k in t._provides(o)}
    needs = {id(o): {providers[k] for k in t._needs(o) if k in providers and providers[k] is not o} for o in objects}
    ordered, placed = [], set()
    while len(ordered) < len(objects):
        ready = next(o for o in objects if id(o) not in placed and all(id(d) in placed for d in needs[id(o)]))
        ordered.append(ready)
        placed.add(id(ready))
    return ordered


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_dependency_order_is_the_earliest_ready_object_each_time(data):
    from ansible_collections.linux.vnet.plugins.module_utils._vnet_topology import dependency_order

    n = data.draw(st.integers(min_value=1, max_value=12))
    links = [{'kind': 'bridge', 'name': 'br%d' % i} for i in range(n)]
    # veth i is a port of a bridge drawn at random, and its peer sits in a namespace drawn at random
    for i in range(n):
        links.append(
            {
                'kind': 'veth',
                'name': 'v%d' % i,
                'peer': 'p%d' % i,
                'master': 'br%d' % data.draw(st.integers(0, n - 1)),
                'peer_namespace': 'ns%d' % data.draw(st.integers(0, n - 1)),
            }
        )
    shuffled = data.draw(st.permutations(links))
    objects = topology(shuffled, [{'name': 'ns%d' % i} for i in range(n)])
    declared = objects.namespaces + objects.links
    assert [o.label() for o in dependency_order(declared)] == [o.label() for o in _placed_one_at_a_time(declared)]
