#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: linux.vnet contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: vnet_ipvlan
short_description: Manage ipvlan interfaces
version_added: 0.1.0
description:
  - Creates, updates and deletes an ipvlan interface on a parent. All ipvlan children share the parent's MAC
    address, which suits networks that allow one MAC per switch port.
  - The interface is created directly in its target O(namespace), while the parent stays in O(link_namespace).
  - O(mode) and O(flags) change in place; the parent and its namespace cannot, see O(recreate).
  - A kernel built without ipvlan makes the module fail with a message naming C(CONFIG_IPVLAN), changing nothing.
  - ipvlan and macvlan cannot share a parent.
  - O(mode) and O(flags) belong to the parent in the kernel - every ipvlan child of one parent has the same, and
    changing them on one child (or creating a child with other values) changes them for all its siblings.
  - An ipvlan always has its parent's MAC address, so O(mac_address) is refused.
options:
  mode:
    description:
      - V(l2) switches at layer 2 (children see broadcasts), V(l3) routes at layer 3 with no broadcast or
        multicast, V(l3s) is V(l3) with netfilter (iptables/conntrack) applied to the children's traffic.
    type: str
    choices: [l2, l3, l3s]
    default: l3
  flags:
    description:
      - V(bridge) lets children talk to each other directly, V(private) isolates them,
        V(vepa) sends their traffic out through the parent.
    type: str
    choices: [bridge, private, vepa]
    default: bridge
extends_documentation_fragment:
  - linux.vnet.link
  - linux.vnet.link.PARENT
  - linux.vnet.link.PYROUTE2
seealso:
  - module: linux.vnet.vnet_macvlan
author:
  - linux.vnet contributors (@linux-vnet)
"""

EXAMPLES = r"""
- name: An ipvlan child of the uplink for container c1
  linux.vnet.vnet_ipvlan:
    name: ipv0
    namespace: c1
    link: ens3
    mode: l2
    addresses:
      - 192.0.2.20/24

- name: Isolate the children from each other
  linux.vnet.vnet_ipvlan:
    name: ipv0
    namespace: c1
    link: ens3
    mode: l2
    flags: private
"""

RETURN = r"""
link:
  description: The interface after the run (predicted in check mode).
  returned: always
  type: dict
  contains:
    name:
      description: Interface name.
      type: str
      sample: ipv0
    namespace:
      description: Its namespace, V(null) for the host's.
      type: str
      sample: c1
    state:
      description: V(present) or V(absent).
      type: str
      sample: present
    kind:
      description: V(ipvlan).
      type: str
      sample: ipvlan
    ifindex:
      description: Interface index (absent in check mode for an interface not yet created).
      type: int
      sample: 9
    link:
      description: The parent interface.
      type: str
      sample: ens3
    link_namespace:
      description: Namespace of the parent, V(null) for the host's.
      type: str
      sample: null
    mode:
      description: The ipvlan mode.
      type: str
      sample: l2
    flags:
      description: The ipvlan flags.
      type: str
      sample: bridge
    up:
      description: Whether the interface is administratively up.
      type: bool
      sample: true
    mtu:
      description: MTU.
      type: int
      sample: 1500
    mac_address:
      description: MAC address (the parent's).
      type: str
      sample: 02:00:00:00:00:01
    addresses:
      description: Addresses, IPv6 link-local excepted, sorted.
      type: list
      elements: str
      sample: ["192.0.2.20/24"]
    master:
      description: Bridge it is enslaved to, V("") when none.
      type: str
      sample: ""
actions:
  description: The kernel changes made (or, in check mode, that would be made), in order.
  returned: always
  type: list
  elements: str
  sample: ["create ipvlan 'ipv0' in namespace 'c1'"]
"""

from ansible_collections.linux.vnet.plugins.module_utils._vnet_kind_ipvlan import Ipvlan
from ansible_collections.linux.vnet.plugins.module_utils._vnet_module import run_module


def main():
    run_module(Ipvlan())


if __name__ == '__main__':
    main()
