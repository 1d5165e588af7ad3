# -*- coding: utf-8 -*-
# Copyright: linux.vnet contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""render(): vnet_info's Mermaid drawing keeps distinct objects distinct (no kernel)."""

from __future__ import annotations

import re

from ansible_collections.linux.vnet.plugins.module_utils._vnet_mermaid import render

NODE = re.compile(r'^\s+(?:subgraph )?(\S+)\["([^"]*)"\]$', re.M)
VETH = re.compile(r'^  (\S+) ---\|veth\| (\S+)$', re.M)


def veth(name, namespace, peer, peer_namespace, **extra):
    return dict(name=name, namespace=namespace, kind='veth', peer=peer, peer_namespace=peer_namespace, up=True, **extra)


def nodes(text):
    """[(label, id)] of every subgraph and node, in order."""
    return [(label, node_id) for node_id, label in NODE.findall(text)]


def test_namespaces_differing_only_in_punctuation_are_two_boxes():
    # 'red-1' and 'red_1' are both valid namespace names; so is the same link name in each
    facts = {
        'namespaces': [
            {'name': 'red-1', 'links': [veth('eth0', 'red-1', 'eth0', 'red_1')]},
            {'name': 'red_1', 'links': [veth('eth0', 'red_1', 'eth0', 'red-1')]},
        ]
    }
    text = render(facts)
    found = nodes(text)
    assert [label for label, node_id in found] == ['red-1', 'eth0 (veth)', 'red_1', 'eth0 (veth)']
    assert len({node_id for label, node_id in found}) == 4, text
    assert VETH.findall(text) == [(found[1][1], found[3][1])], text


def test_a_namespace_named_none_is_not_the_host():
    facts = {
        'namespaces': [
            {'name': None, 'links': [veth('v0', None, 'v1', 'None')]},
            {'name': 'None', 'links': [veth('v1', 'None', 'v0', None)]},
        ]
    }
    text = render(facts)
    ids = dict(nodes(text))
    assert ids['host'] != ids['None']
    assert VETH.findall(text) == [(ids['v0 (veth)'], ids['v1 (veth)'])], text


def test_a_link_named_like_a_namespace_box_is_its_own_node():
    # a namespace called 'ns' holding a link named after another namespace
    facts = {
        'namespaces': [
            {'name': 'blue', 'links': []},
            {'name': 'ns', 'links': [dict(name='blue', namespace='ns', kind='bridge', up=True)]},
        ]
    }
    ids = dict(nodes(render(facts)))
    assert ids['blue'] != ids['blue (bridge)']


def test_nodes_and_edges_of_a_small_topology():
    facts = {
        'namespaces': [
            {
                'name': 'a',
                'links': [
                    dict(name='lo', namespace='a', kind='device', up=True, addresses=['127.0.0.1/8']),
                    dict(name='br', namespace='a', kind='bridge', up=True, addresses=['10.0.0.1/24']),
                    veth('va', 'a', 'vb', 'b', master='br'),
                ],
            },
            {
                'name': 'b',
                'links': [
                    veth('vb', 'b', 'va', 'a', addresses=['10.0.0.2/24']),
                    dict(name='vx', namespace='b', kind='vxlan', vni=42, dev='vb', peers=['10.0.0.3'], up=False),
                ],
            },
        ]
    }
    text = render(facts)
    ids = dict(nodes(text))
    assert list(ids) == ['a', 'br (bridge)<br/>10.0.0.1/24', 'va (veth)', 'b', 'vb (veth)<br/>10.0.0.2/24',
                         'vx (vxlan)<br/>vni 42<br/>down']  # fmt: skip
    va, vb, br = ids['va (veth)'], ids['vb (veth)<br/>10.0.0.2/24'], ids['br (bridge)<br/>10.0.0.1/24']
    vx = ids['vx (vxlan)<br/>vni 42<br/>down']
    assert '  %s -.->|port of| %s' % (va, br) in text
    assert VETH.findall(text) == [(va, vb)]
    assert '  %s -->|underlay| %s' % (vx, vb) in text
    assert re.search(r'^  %s -\.->\|vni 42\| \S+\(\("10\.0\.0\.3"\)\)$' % vx, text, re.M)
