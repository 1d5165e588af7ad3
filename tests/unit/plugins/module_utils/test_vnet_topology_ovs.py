"""vnet_topology's ovs entries without OVSDB: validation by vnet_ovs's spec, order, summary."""

from __future__ import annotations

import re

import pytest

from ansible_collections.linux.vnet.plugins.module_utils._vnet_errors import VnetError
from ansible_collections.linux.vnet.plugins.module_utils._vnet_topology import Topology, record, summary


def topology(ovs, links=()):
    return Topology({'namespaces': [], 'links': list(links), 'ovs': list(ovs), 'purge': False, 'owner': None})


def test_ovs_bridges_come_after_every_link_and_absent_ones_first():
    objects = topology(
        ovs=[{'bridge': 'br-int', 'ports': [{'name': 'h0'}]}, {'bridge': 'br-old', 'state': 'absent'}],
        links=[
            {'kind': 'veth', 'name': 'h0', 'peer': 'p0'},
            {'kind': 'veth', 'name': 'gone', 'peer': 'g', 'state': 'absent'},
        ],
    ).objects(kernel=None)
    assert [o.label() for o in objects] == [
        "Open vSwitch bridge 'br-old'",
        "veth 'gone' in the host namespace",
        "veth 'h0' in the host namespace",
        "Open vSwitch bridge 'br-int'",
    ]


@pytest.mark.parametrize(
    ('ovs', 'message'),
    [
        ([{'ports': []}], r'^ovs\[0\]: missing required arguments: bridge'),
        ([{'bridge': 'b', 'ports': [{'name': 'x', 'tag': 5000}]}], r"^ovs\[0\] \('b'\): ports\[0\]"),
        ([{'bridge': 'b', 'colour': 'red'}], r'^ovs\[0\]: .*colour'),
        (
            [{'bridge': 'b'}, {'bridge': 'b'}],
            r"^ovs\[1\]: Open vSwitch bridge 'b' is declared twice \(also by ovs\[0\]\)",
        ),
    ],
)
def test_an_ovs_entry_is_validated_by_vnet_ovs_spec(ovs, message):
    with pytest.raises(VnetError) as failure:
        topology(ovs)
    assert re.search(message, failure.value.msg), failure.value.msg


def test_planning_an_ovs_bridge_leaves_the_planned_kernel_alone():
    bridge = topology([{'bridge': 'b'}]).ovs[0]
    record(planned=None, obj=bridge, current=None)  # would fail on None if it recorded anything


def test_the_summary_names_an_ovs_bridge():
    result = {
        'changed': True,
        'actions': ["create Open vSwitch bridge 'b'"],
        'diff': {'before': {'bridge': 'b', 'state': 'absent'}, 'after': {'bridge': 'b', 'state': 'present'}},
        'bridge': {'bridge': 'b', 'state': 'present'},
    }
    done = summary([result])
    assert done['objects'][0]['object'] == "Open vSwitch bridge 'b'"
    assert done['diff'][0]['before_header'] == "Open vSwitch bridge 'b'"
