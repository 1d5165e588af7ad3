#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: linux.vnet contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: vnet_veth
short_description: Manage veth pairs, either end in any network namespace
version_added: 0.1.0
description:
  - Creates, updates and deletes a veth pair. The peer is created directly in its namespace (never moved there later).
  - Manages both ends - addresses (the exact set when given), MTU (the same on both ends), MACs, bridge masters
    and up/down.
  - The peer name and the peer namespace cannot change in place. An existing pair with another peer fails with the
    differences, or is deleted and re-created with O(recreate=true).
  - A failure part-way (for example an address the peer namespace refuses) removes the pair this run created.
options:
  peer:
    description:
      - Name of the other end, with the same rules as O(name).
    type: str
    required: true
  peer_namespace:
    description:
      - Named namespace of the other end. Omit for the namespace the module runs in.
    type: str
  peer_addresses:
    description:
      - Addresses of the other end, with the same rules as O(addresses).
    type: list
    elements: str
  peer_mac_address:
    description:
      - MAC address of the other end.
    type: str
  peer_master:
    description:
      - Bridge in O(peer_namespace) to enslave the other end to; V("") detaches it.
    type: str
  up:
    description:
      - Administrative state of both ends.
    type: bool
    default: true
  mtu:
    description:
      - MTU of both ends (68-65535). A veth pair with two MTUs drops traffic, so there is one option.
    type: int
extends_documentation_fragment:
  - linux.vnet.link
  - linux.vnet.link.PYROUTE2
seealso:
  - module: linux.vnet.vnet_namespace
  - module: linux.vnet.vnet_bridge
author:
  - linux.vnet contributors (@linux-vnet)
"""

EXAMPLES = r"""
- name: A container namespace
  linux.vnet.vnet_namespace:
    name: c1

- name: Connect it to bridge br0 on the host with a veth pair
  linux.vnet.vnet_veth:
    name: c1-host
    master: br0
    peer: eth0
    peer_namespace: c1
    peer_addresses:
      - 10.10.0.11/24
      - fd00:10::11/64
    mtu: 1450

- name: Change the peer namespace of an existing pair (the kernel cannot, so re-create it)
  linux.vnet.vnet_veth:
    name: c1-host
    peer: eth0
    peer_namespace: c2
    recreate: true

- name: Remove the pair (deleting one end deletes both)
  linux.vnet.vnet_veth:
    name: c1-host
    peer: eth0
    state: absent
"""

RETURN = r"""
link:
  description: The pair after the run (predicted in check mode), seen from O(name)'s end.
  returned: always
  type: dict
  contains:
    name:
      description: Interface name.
      type: str
      sample: c1-host
    namespace:
      description: Its namespace, V(null) for the host's.
      type: str
      sample: null
    state:
      description: V(present) or V(absent).
      type: str
      sample: present
    kind:
      description: Link kind, V(veth).
      type: str
      sample: veth
    ifindex:
      description: Interface index (absent in check mode for a pair not yet created).
      type: int
      sample: 12
    up:
      description: Whether this end is administratively up.
      type: bool
      sample: true
    mtu:
      description: MTU of this end.
      type: int
      sample: 1450
    mac_address:
      description: MAC address of this end.
      type: str
      sample: 02:00:00:00:00:01
    addresses:
      description: Addresses of this end, IPv6 link-local excepted, sorted.
      type: list
      elements: str
      sample: []
    master:
      description: Bridge of this end, V("") when none.
      type: str
      sample: br0
    peer:
      description: Name of the other end.
      type: str
      sample: eth0
    peer_namespace:
      description: Namespace of the other end.
      type: str
      sample: c1
    peer_up:
      description: Whether the other end is up.
      type: bool
      sample: true
    peer_mtu:
      description: MTU of the other end.
      type: int
      sample: 1450
    peer_mac_address:
      description: MAC address of the other end.
      type: str
      sample: 02:00:00:00:00:02
    peer_addresses:
      description: Addresses of the other end.
      type: list
      elements: str
      sample: ["10.10.0.11/24", "fd00:10::11/64"]
    peer_master:
      description: Bridge of the other end, V("") when none.
      type: str
      sample: ""
actions:
  description: The kernel changes made (or, in check mode, that would be made), in order.
  returned: always
  type: list
  elements: str
  sample: ["create veth 'c1-host' in the host namespace"]
"""

from ansible_collections.linux.vnet.plugins.module_utils._vnet_kind_veth import Veth
from ansible_collections.linux.vnet.plugins.module_utils._vnet_module import run_module


def main():
    run_module(Veth())


if __name__ == '__main__':
    main()
