#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: linux.vnet contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: vnet_macvlan
short_description: Manage macvlan and macvtap interfaces
version_added: 0.1.0
description:
  - Creates, updates and deletes a macvlan (or, with O(type=macvtap), a macvtap) on a parent interface.
  - The interface is created directly in its target O(namespace), while the parent stays in O(link_namespace).
  - O(mode) changes in place; the parent, the parent namespace and the type cannot, see O(recreate).
  - B(Known limitation of macvlan) - the host cannot reach its own macvlan children through the parent interface,
    because the kernel does not loop traffic between a parent and its children. The usual fix is a macvlan
    of the parent on the host side too (for example C(mv-host) in mode V(bridge)) carrying the host's address.
options:
  mode:
    description:
      - V(bridge) lets children of the same parent talk to each other directly.
      - V(private) isolates them from each other; V(vepa) sends their traffic out to the switch.
      - V(passthru) gives the parent to a single child (no other child may exist on the parent).
      - V(source) accepts traffic only from a list of source MACs (not managed by this module).
    type: str
    choices: [bridge, private, vepa, passthru, source]
    default: bridge
  type:
    description:
      - V(macvtap) creates a macvtap, whose character device C(/dev/tap<ifindex>) a hypervisor can open.
      - Changing the type of an existing interface is refused; delete it first.
    type: str
    choices: [macvlan, macvtap]
    default: macvlan
extends_documentation_fragment:
  - linux.vnet.link
  - linux.vnet.link.PARENT
  - linux.vnet.link.PYROUTE2
seealso:
  - module: linux.vnet.vnet_ipvlan
  - module: linux.vnet.vnet_veth
author:
  - linux.vnet contributors (@linux-vnet)
"""

EXAMPLES = r"""
- name: A container on the host's uplink, with its own MAC, in namespace c1
  linux.vnet.vnet_macvlan:
    name: mv0
    namespace: c1
    link: ens3
    mode: bridge
    addresses:
      - 192.0.2.10/24

- name: Let the host reach its macvlan children (the host cannot through ens3 itself)
  linux.vnet.vnet_macvlan:
    name: mv-host
    link: ens3
    mode: bridge
    addresses:
      - 192.0.2.2/24

- name: A macvtap for a VM
  linux.vnet.vnet_macvlan:
    name: vm1-tap
    link: ens3
    type: macvtap
  register: tap

- name: Show the character device to give to QEMU
  ansible.builtin.debug:
    msg: "{{ tap.link.tap_device }}"
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
      sample: mv0
    namespace:
      description: Its namespace, V(null) for the host's.
      type: str
      sample: c1
    state:
      description: V(present) or V(absent).
      type: str
      sample: present
    kind:
      description: V(macvlan) or V(macvtap).
      type: str
      sample: macvlan
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
      description: The macvlan mode.
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
      description: MAC address.
      type: str
      sample: 02:00:00:00:00:01
    addresses:
      description: Addresses, IPv6 link-local excepted, sorted.
      type: list
      elements: str
      sample: ["192.0.2.10/24"]
    master:
      description: Bridge it is enslaved to, V("") when none.
      type: str
      sample: ""
    tap_device:
      description: The macvtap character device (made by devtmpfs or udev in the host's C(/dev)).
      returned: when O(type=macvtap) and the interface exists
      type: str
      sample: /dev/tap9
actions:
  description: The kernel changes made (or, in check mode, that would be made), in order.
  returned: always
  type: list
  elements: str
  sample: ["create macvlan 'mv0' in namespace 'c1'"]
"""

from ansible_collections.linux.vnet.plugins.module_utils._vnet_kind_macvlan import MacvlanSpec
from ansible_collections.linux.vnet.plugins.module_utils._vnet_module import run_module


def main():
    run_module(MacvlanSpec())


if __name__ == '__main__':
    main()
