# -*- coding: utf-8 -*-
# Copyright: linux.vnet contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Draw vnet_info's facts as a Mermaid flowchart: one box per namespace, one node per link."""

from __future__ import annotations

import re

HOST_LABEL = 'host'


class _Ids:
    """Node ids, one per distinct object (``tag``: ns, if, vtep, ovs, ovsport; then its names).

    A number keeps them unique - names that differ only in characters an id cannot hold, such as
    namespaces 'red-1' and 'red_1', or a namespace named 'None' and the host's, are distinct nodes -
    and the names folded to letters and digits keep them readable.
    """

    def __init__(self):
        self._ids = {}

    def __call__(self, tag, *names):
        key = (tag,) + names
        if key not in self._ids:
            readable = '__'.join(re.sub(r'[^A-Za-z0-9]', '_', str(p)) for p in key)
            self._ids[key] = 'n%d_%s' % (len(self._ids) + 1, readable)
        return self._ids[key]


def _text(value):
    return str(value).replace('"', '#quot;')


def _node_label(link):
    lines = ['%s (%s)' % (link['name'], link.get('kind'))]
    if link.get('vni') is not None:
        lines.append('vni %s' % link['vni'])
    lines.extend(link.get('addresses') or [])
    if link.get('up') is False:
        lines.append('down')
    return '<br/>'.join(_text(line) for line in lines)


def render(facts):
    """Mermaid ``flowchart LR`` text for the namespaces (and OVS bridges) in ``facts``."""
    _id = _Ids()
    out = ['flowchart LR']
    edges = []
    veths = set()
    for namespace in facts['namespaces']:
        ns = namespace['name']
        out.append('  subgraph %s["%s"]' % (_id('ns', ns), _text(ns or HOST_LABEL)))
        for link in namespace['links']:
            if link['name'] == 'lo':
                continue
            node = _id('if', ns, link['name'])
            out.append('    %s["%s"]' % (node, _node_label(link)))
            if link.get('master'):
                edges.append('  %s -.->|port of| %s' % (node, _id('if', ns, link['master'])))
            if link.get('kind') == 'veth' and link.get('peer'):
                peer = _id('if', link.get('peer_namespace'), link['peer'])
                if frozenset((node, peer)) not in veths:  # each pair is seen from both ends
                    veths.add(frozenset((node, peer)))
                    edges.append('  %s ---|veth| %s' % (node, peer))
            if link.get('link') and link.get('kind') in ('macvlan', 'macvtap', 'ipvlan'):
                edges.append(
                    '  %s -->|%s %s| %s'
                    % (node, link['kind'], link.get('mode'), _id('if', link.get('link_namespace'), link['link']))
                )
            if link.get('kind') == 'vxlan':
                if link.get('dev'):
                    edges.append('  %s -->|underlay| %s' % (node, _id('if', ns, link['dev'])))
                for remote in (link.get('peers') or []) + [r for r in (link.get('remote'), link.get('group')) if r]:
                    edges.append(
                        '  %s -.->|vni %s| %s(("%s"))' % (node, link.get('vni'), _id('vtep', remote), _text(remote))
                    )
        out.append('  end')
    for bridge in (facts.get('ovs') or {}).get('bridges', []):
        node = _id('ovs', bridge['bridge'])
        out.append('  subgraph %s["OVS %s (%s)"]' % (node, _text(bridge['bridge']), bridge['datapath_type']))
        for port in bridge['ports']:
            label = port['name'] + (' tag %s' % port['tag'] if port['tag'] is not None else '')
            if port['type'] in ('vxlan', 'geneve', 'gre'):
                label += '<br/>%s to %s' % (port['type'], port['options'].get('remote_ip'))
            out.append('    %s["%s"]' % (_id('ovsport', bridge['bridge'], port['name']), _text(label)))
        out.append('  end')
    seen = set()
    for edge in edges:
        if edge not in seen:
            seen.add(edge)
            out.append(edge)
    return '\n'.join(out) + '\n'
