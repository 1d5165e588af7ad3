#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: linux.vnet contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: vnet_vxlan
short_description: Manage VXLAN interfaces, their peers and static forwarding entries
version_added: 0.1.0
description:
  - Creates, updates and deletes a VXLAN interface in any named namespace.
  - Three ways to reach other tunnel endpoints (VTEPs) - one O(remote), a multicast O(group) on O(dev), or
    head-end replication to a list of O(peers) (one all-zeros forwarding entry per peer), which needs no
    multicast in the underlay and is what overlay roles use.
  - O(vni), O(port), O(udp_csum) and O(proxy) cannot change in place. A difference fails with the list of
    differences, or with O(recreate=true) the interface is deleted and re-created, keeping its master and addresses.
  - The MTU, when not given, is the underlay MTU minus 50 (IPv4 underlay) or minus 70 (IPv6), the underlay being
    O(dev) or the interface of the route to O(remote) or the first peer. A larger O(mtu) fails and names the maximum.
options:
  vni:
    description:
      - VXLAN network identifier, 0-16777215.
    type: int
    required: true
  local:
    description:
      - Source address of the tunnel (IPv4 or IPv6). Also never counted among O(peers).
    type: str
  remote:
    description:
      - Unicast address of the single remote VTEP. Mutually exclusive with O(group) and O(peers).
    type: str
  group:
    description:
      - Multicast group (224.0.0.0/4 or ff00::/8) shared by all VTEPs of this VNI; needs O(dev).
    type: str
  dev:
    description:
      - Underlay interface, in the same namespace, for the tunnel traffic (and for O(group)).
    type: str
  port:
    description:
      - UDP destination port. The default is the IANA port 4789, which other vendors and Open vSwitch use.
        The Linux kernel's own default, when a port is not given, is the pre-standard 8472; set V(8472) to talk
        to older Linux VTEPs (for example flannel) that use it.
    type: int
    default: 4789
  learning:
    description:
      - Learn remote MAC addresses from received packets. Overlays with static O(peers) usually turn it off.
      - Omit to leave the kernel's choice (on, for a new interface).
    type: bool
  proxy:
    description:
      - Answer ARP/neighbour requests from the forwarding database (ARP proxy). Cannot change in place.
    type: bool
  ttl:
    description:
      - TTL of the outer packets, 0-255 (0 means the kernel default).
    type: int
  tos:
    description:
      - TOS of the outer packets, 0-255 (1 means inherit from the inner packet).
    type: int
  udp_csum:
    description:
      - Compute UDP checksums for IPv4 outer packets. Cannot change in place.
    type: bool
  peers:
    description:
      - Underlay addresses of the other VTEPs for head-end replication (broadcast, unknown unicast and multicast
        go to every peer). When given this is the exact set; stale peers are removed.
      - Duplicates are dropped, and so are O(local) and any address of the interface's own namespace, so that the
        same list can be given to every host.
    type: list
    elements: str
  fdb:
    description:
      - Static forwarding entries for known endpoints. When given this is the exact set of static
        non-zero entries; learned entries are left alone.
    type: list
    elements: dict
    suboptions:
      mac:
        description: MAC address of the endpoint.
        type: str
        required: true
      dst:
        description: Underlay address of the VTEP behind which it lives.
        type: str
        required: true
  mtu:
    description:
      - MTU. Default and maximum derive from the underlay, see the description.
    type: int
extends_documentation_fragment:
  - linux.vnet.link
  - linux.vnet.link.PYROUTE2
seealso:
  - module: linux.vnet.vnet_bridge
author:
  - linux.vnet contributors (@linux-vnet)
"""

EXAMPLES = r"""
- name: VNI 100 to every other host of the group, attached to bridge br100
  linux.vnet.vnet_vxlan:
    name: vx100
    vni: 100
    local: "{{ ansible_default_ipv4.address }}"
    dev: "{{ ansible_default_ipv4.interface }}"
    learning: false
    master: br100
    # the host's own address is dropped from the list, so every host can get the same one
    peers: "{{ groups['overlay'] | map('extract', hostvars, ['ansible_default_ipv4', 'address']) | list }}"

- name: A point-to-point tunnel with a static entry for a known endpoint
  linux.vnet.vnet_vxlan:
    name: vx200
    vni: 200
    remote: 198.51.100.7
    fdb:
      - mac: 02:00:00:00:02:07
        dst: 198.51.100.7

- name: Multicast VXLAN (the underlay must route multicast)
  linux.vnet.vnet_vxlan:
    name: vx300
    vni: 300
    group: 239.1.1.1
    dev: eth1

- name: Move VNI 100 to VNI 101 (cannot change in place)
  linux.vnet.vnet_vxlan:
    name: vx100
    vni: 101
    recreate: true
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
      sample: vx100
    namespace:
      description: Its namespace, V(null) for the host's.
      type: str
      sample: null
    state:
      description: V(present) or V(absent).
      type: str
      sample: present
    kind:
      description: V(vxlan).
      type: str
      sample: vxlan
    ifindex:
      description: Interface index (absent in check mode for an interface not yet created).
      type: int
      sample: 9
    vni:
      description: VXLAN network identifier.
      type: int
      sample: 100
    local:
      description: Source address, V(null) when unset.
      type: str
      sample: 192.0.2.1
    remote:
      description: Unicast remote, V(null) when unset.
      type: str
      sample: null
    group:
      description: Multicast group, V(null) when unset.
      type: str
      sample: null
    dev:
      description: Underlay interface, V(null) when unset.
      type: str
      sample: eth0
    port:
      description: UDP destination port.
      type: int
      sample: 4789
    learning:
      description: Whether MAC learning is on.
      type: bool
      sample: false
    proxy:
      description: Whether ARP proxy is on.
      type: bool
      sample: false
    ttl:
      description: Outer TTL.
      type: int
      sample: 0
    tos:
      description: Outer TOS.
      type: int
      sample: 0
    udp_csum:
      description: Whether UDP checksums are computed.
      type: bool
      sample: true
    peers:
      description: Head-end replication peers, sorted.
      type: list
      elements: str
      sample: ["192.0.2.2", "192.0.2.3"]
    fdb:
      description: Static non-zero forwarding entries.
      type: list
      elements: dict
      sample: [{"mac": "02:00:00:00:02:07", "dst": "198.51.100.7"}]
    up:
      description: Whether the interface is administratively up.
      type: bool
      sample: true
    mtu:
      description: MTU.
      type: int
      sample: 1450
    mac_address:
      description: MAC address.
      type: str
      sample: 02:00:00:00:00:01
    addresses:
      description: Addresses, IPv6 link-local excepted, sorted.
      type: list
      elements: str
      sample: []
    master:
      description: Bridge it is enslaved to, V("") when none.
      type: str
      sample: br100
actions:
  description: The kernel changes made (or, in check mode, that would be made), in order.
  returned: always
  type: list
  elements: str
  sample:
    - create vxlan 'vx100' in the host namespace
    - add fdb 00:00:00:00:00:00 dst 192.0.2.2 on 'vx100' in the host namespace
"""

from ansible_collections.linux.vnet.plugins.module_utils._vnet_kind_vxlan import Vxlan
from ansible_collections.linux.vnet.plugins.module_utils._vnet_module import run_module


def main():
    run_module(Vxlan())


if __name__ == '__main__':
    main()
