#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: linux.vnet contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: vnet_bridge
short_description: Manage Linux bridges, their STP settings and their ports
version_added: 0.1.0
description:
  - Creates, updates and deletes a Linux bridge in any named network namespace.
  - Manages STP and its timers, priority, MAC ageing, VLAN filtering, addresses, MTU and the enslaved ports.
  - Timers are in seconds, as C(ip -d link show) prints them; the kernel stores them in 1/100 s.
  - A kernel whose bridge lacks VLAN filtering makes O(vlan_filtering=true) fail with a message naming
    C(CONFIG_BRIDGE_VLAN_FILTERING) instead of reporting a change on every run.
options:
  stp:
    description:
      - Enable the kernel's spanning tree protocol.
    type: bool
  forward_delay:
    description:
      - STP forward delay in seconds (2-30 while STP is on; 0 is allowed with STP off).
    type: float
  hello_time:
    description:
      - STP hello time in seconds (1-10).
    type: float
  max_age:
    description:
      - STP maximum message age in seconds (6-40).
    type: float
  ageing_time:
    description:
      - Seconds a learned MAC address stays in the forwarding database.
    type: float
  priority:
    description:
      - Bridge priority (0-65535); the lowest becomes the STP root.
    type: int
  vlan_filtering:
    description:
      - Enable VLAN filtering on the bridge.
    type: bool
  ports:
    description:
      - Interfaces (in the bridge's namespace) to enslave to the bridge.
      - Ports not listed are left alone unless O(purge_ports=true).
    type: list
    elements: str
  purge_ports:
    description:
      - Release ports that are enslaved but not in O(ports). With O(ports=[]) every port is released.
      - Has no effect when O(ports) is omitted.
    type: bool
    default: false
extends_documentation_fragment:
  - linux.vnet.link
  - linux.vnet.link.PYROUTE2
seealso:
  - module: linux.vnet.vnet_veth
  - module: linux.vnet.vnet_namespace
author:
  - linux.vnet contributors (@linux-vnet)
"""

EXAMPLES = r"""
- name: A bridge with an address, STP on and fast forwarding
  linux.vnet.vnet_bridge:
    name: br0
    addresses:
      - 10.10.0.1/24
    stp: true
    forward_delay: 4
    priority: 4096

- name: A bridge inside a namespace owning exactly two ports
  linux.vnet.vnet_bridge:
    name: br-lab
    namespace: underlay
    ports:
      - h1-ul
      - h2-ul
    purge_ports: true

- name: Remove the bridge (its ports are released, not deleted)
  linux.vnet.vnet_bridge:
    name: br0
    state: absent
"""

RETURN = r"""
link:
  description: The bridge after the run (predicted in check mode).
  returned: always
  type: dict
  contains:
    name:
      description: Bridge name.
      type: str
      sample: br0
    namespace:
      description: Its namespace, V(null) for the host's.
      type: str
      sample: null
    state:
      description: V(present) or V(absent).
      type: str
      sample: present
    kind:
      description: Link kind, V(bridge).
      type: str
      sample: bridge
    ifindex:
      description: Interface index (absent in check mode for a bridge not yet created).
      type: int
      sample: 7
    up:
      description: Whether the bridge is administratively up.
      type: bool
      sample: true
    mtu:
      description: MTU.
      type: int
      sample: 1500
    mac_address:
      description: MAC address.
      type: str
      sample: 02:00:00:00:00:01
    addresses:
      description: Addresses, IPv6 link-local excepted, sorted.
      type: list
      elements: str
      sample: ["10.10.0.1/24"]
    master:
      description: Upper bridge, V("") when none.
      type: str
      sample: ""
    stp:
      description: Whether STP is on.
      type: bool
      sample: true
    forward_delay:
      description: Forward delay in seconds.
      type: float
      sample: 4.0
    hello_time:
      description: Hello time in seconds.
      type: float
      sample: 2.0
    max_age:
      description: Maximum message age in seconds.
      type: float
      sample: 20.0
    ageing_time:
      description: MAC ageing time in seconds.
      type: float
      sample: 300.0
    priority:
      description: Bridge priority.
      type: int
      sample: 4096
    vlan_filtering:
      description: Whether VLAN filtering is on.
      type: bool
      sample: false
    ports:
      description: Enslaved interfaces, sorted.
      type: list
      elements: str
      sample: ["h1-ul", "h2-ul"]
actions:
  description: The kernel changes made (or, in check mode, that would be made), in order.
  returned: always
  type: list
  elements: str
  sample: ["create bridge 'br0' in the host namespace"]
"""

from ansible_collections.linux.vnet.plugins.module_utils._vnet_kind_bridge import Bridge
from ansible_collections.linux.vnet.plugins.module_utils._vnet_module import run_module


def main():
    run_module(Bridge())


if __name__ == '__main__':
    main()
