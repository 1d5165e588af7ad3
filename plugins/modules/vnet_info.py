#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: linux.vnet contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: vnet_info
short_description: Facts about a host's virtual network - namespaces, links, peers, FDB, Open vSwitch
version_added: 0.1.0
description:
  - Reports every named network namespace (or those listed) and the host's own, with each link's kind, the
    kind's attributes under the same names as the options of the module that manages it, addresses, master,
    the veth peer as name and namespace, a macvlan/ipvlan parent, and a VXLAN's peers and static FDB entries.
  - Reports Open vSwitch bridges and their ports when an OVSDB socket answers.
  - Can also draw the topology as a Mermaid flowchart (O(format=mermaid)), to look at instead of reading JSON.
  - Never changes anything.
options:
  namespaces:
    description:
      - Named namespaces to report. Omit for all of them.
    type: list
    elements: str
  host:
    description:
      - Include the namespace the module runs in (the host's), reported with name V(null).
    type: bool
    default: true
  format:
    description:
      - V(facts) returns the data only; V(mermaid) also returns RV(mermaid), a drawing of it.
    type: str
    choices: [facts, mermaid]
    default: facts
  ovs_db:
    description:
      - OVSDB server to ask for Open vSwitch bridges. Nothing is reported for OVS when it does not answer.
    type: str
    default: unix:/run/openvswitch/db.sock
  ovs_timeout:
    description:
      - Seconds to wait for the OVSDB server.
    type: float
    default: 2.0
extends_documentation_fragment:
  - linux.vnet.link.PYROUTE2
notes:
  - Open vSwitch facts need the C(ovs) Python library (Debian C(python3-openvswitch)); without it RV(vnet.ovs) says
    C(available=false) with a reason.
seealso:
  - module: linux.vnet.vnet_veth
  - module: linux.vnet.vnet_vxlan
author:
  - linux.vnet contributors (@linux-vnet)
"""

EXAMPLES = r"""
- name: Everything on the host
  linux.vnet.vnet_info:
  register: net

- name: The peers of every VXLAN device in the host namespace
  ansible.builtin.debug:
    msg: "{{ net.vnet.namespaces | selectattr('name', 'none') | map(attribute='links') | flatten
             | selectattr('kind', 'eq', 'vxlan') | items2dict(key_name='name', value_name='peers') }}"

- name: Draw two container namespaces and how they connect
  linux.vnet.vnet_info:
    namespaces: [c1, c2]
    format: mermaid
  register: drawing

- name: Save the drawing (paste it into any Mermaid renderer)
  ansible.builtin.copy:
    content: "{{ drawing.mermaid }}"
    dest: /tmp/topology.mmd
    mode: "0644"
  delegate_to: localhost
"""

RETURN = r"""
vnet:
  description: The virtual network.
  returned: always
  type: dict
  contains:
    namespaces:
      description:
        - One entry per namespace, the host's first (name V(null)), then the named ones sorted.
        - Each has C(name) and C(links); each link has C(name), C(namespace), C(ifindex), C(kind), C(up), C(mtu),
          C(mac_address), C(addresses), C(master) and its kind's attributes (for example C(peer) and
          C(peer_namespace) for veth, C(ports) and C(stp) for bridge, C(vni), C(peers) and C(fdb) for vxlan).
      type: list
      elements: dict
      sample:
        - name: null
          links:
            - {name: veth0, kind: veth, peer: eth0, peer_namespace: c1, addresses: [], master: br0, up: true}
    ovs:
      description: Open vSwitch bridges (as M(linux.vnet.vnet_ovs) returns them) or why there are none.
      type: dict
      sample: {"available": false, "reason": "no OVSDB socket at /run/openvswitch/db.sock"}
mermaid:
  description: The topology as a Mermaid flowchart.
  returned: when O(format=mermaid)
  type: str
  sample: "flowchart LR\n  subgraph n1_ns__None[\"host\"]\n ..."
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.linux.vnet.plugins.module_utils._vnet_info import run_info


def main():
    module = AnsibleModule(
        argument_spec=dict(
            namespaces=dict(type='list', elements='str'),
            host=dict(type='bool', default=True),
            format=dict(type='str', default='facts', choices=['facts', 'mermaid']),
            ovs_db=dict(type='str', default='unix:/run/openvswitch/db.sock'),
            ovs_timeout=dict(type='float', default=2.0),
        ),
        supports_check_mode=True,
    )
    run_info(module)


if __name__ == '__main__':
    main()
