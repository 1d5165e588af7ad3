#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: linux.vnet contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: vnet_topology
short_description: A host's whole virtual network - namespaces and links - in one call, with rollback
version_added: 0.1.0
description:
  - Takes the desired namespaces and links of one host and converges them in one module run, one process,
    instead of one task (one Python start, one pyroute2 import) per object.
  - Every link entry takes exactly the options of the module of its C(kind) (M(linux.vnet.vnet_veth),
    M(linux.vnet.vnet_bridge), M(linux.vnet.vnet_macvlan), M(linux.vnet.vnet_ipvlan), M(linux.vnet.vnet_vxlan))
    and is validated by the same argument spec, so an entry behaves exactly as that module would.
  - The whole topology is planned before anything changes, so a bad entry anywhere fails the run with the
    host untouched. Objects are ordered by dependency (namespaces, parents, bridges and underlay devices before
    the links that use them), whatever the order of the list.
  - Applied through one journal; when a step fails, every change of this run is undone in reverse and the
    result names the failing step and the kernel's message. Deleting cannot be undone, which is why declared
    removals run first and purges last.
  - Every object the collection creates carries an ownership marker (the interface alias C(linux.vnet), or
    C(linux.vnet:<owner>); for a namespace, on its C(lo); for an Open vSwitch bridge or port, the C(external_ids) key
    C(linux.vnet.owner)). With O(purge=true), marked objects no longer declared are deleted; unmarked objects are
    never touched.
options:
  namespaces:
    description:
      - Named network namespaces, with the options of M(linux.vnet.vnet_namespace).
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description: Namespace name (a file name in C(/run/netns)).
        type: str
        required: true
      state:
        description: V(present) or V(absent).
        type: str
        choices: [present, absent]
        default: present
      loopback:
        description: Bring C(lo) up inside the namespace.
        type: bool
        default: true
      sysctls:
        description: C(net.*) sysctls to set inside the namespace.
        type: dict
        default: {}
      force:
        description:
          - Allow deleting (V(state=absent)) the network namespace the module itself runs in, by one of its names.
        type: bool
        default: false
  links:
    description:
      - Links, each a dict with C(kind) (V(veth), V(bridge), V(macvlan), V(ipvlan) or V(vxlan)) plus the options
        of the matching module (for example C(name), C(namespace), C(peer), C(master), C(addresses), C(vni), C(peers)).
      - Each entry is validated by that module's argument spec; errors name the entry as C(links[N]).
    type: list
    elements: dict
    default: []
  ovs:
    description:
      - Open vSwitch bridges, each a dict with exactly the options of M(linux.vnet.vnet_ovs) (C(bridge), C(ports),
        C(datapath_type), C(db), ...), validated by its argument spec; errors name the entry as C(ovs[N]).
      - They are applied after every link, so their C(system) ports may be links of this topology (for example a
        veth end in the host namespace). Each bridge is one OVSDB transaction, committed in its turn; a committed
        transaction is not undone if a later object fails (the links of this run are).
      - With O(purge=true), the ports of a declared bridge that carry this topology's marker and are not in its
        C(ports) are removed, in the bridge's transaction. Bridges themselves are only removed with C(state=absent).
      - Needs the C(ovs) Python library (Debian/Ubuntu C(python3-openvswitch)) only when given.
    type: list
    elements: dict
    default: []
  purge:
    description:
      - Delete links (in the host namespace and in every namespace it can see), namespaces and ports of the declared
        Open vSwitch bridges that carry this topology's marker but are not declared. Objects without the marker are
        never deleted.
      - A marked namespace is deleted only when every link in it is this topology's (marked, or the end of a veth
        whose marked end is outside); one that holds anything else stays, with a warning, and only the topology's
        links in it are deleted.
      - A link that carries the default route of its namespace or the Ansible connection's address (or whose veth
        peer or macvlan/ipvlan child does) is never purged; the run fails naming it. Delete it explicitly with
        C(state=absent) and C(force=true) if you mean it.
    type: bool
    default: false
  owner:
    description:
      - Narrows the marker to C(linux.vnet:<owner>), so that several topologies on one host (or a topology beside
        objects made by the per-object modules, which use the plain marker) never purge each other's objects.
    type: str
notes:
  - The plan of a link that depends on an object created in the same run (a macvlan on a new veth, a VXLAN whose
    underlay address is added in the same run) sees that object as it will be created; a VXLAN's MTU derived from
    an underlay that does not exist yet is left to the kernel's default in check mode.
  - The marker is set when the collection creates an object; objects that existed before are adopted without it.
extends_documentation_fragment:
  - linux.vnet.link.PYROUTE2
seealso:
  - module: linux.vnet.vnet_namespace
  - module: linux.vnet.vnet_veth
  - module: linux.vnet.vnet_bridge
  - module: linux.vnet.vnet_vxlan
author:
  - linux.vnet contributors (@linux-vnet)
"""

EXAMPLES = r"""
- name: Two "containers" on a bridge, joined to two other hosts over VXLAN
  linux.vnet.vnet_topology:
    owner: tenant-red
    purge: true
    namespaces:
      - name: red1
      - name: red2
    links:
      - kind: vxlan
        name: vx100
        vni: 100
        local: 192.0.2.11
        peers: [192.0.2.12, 192.0.2.13]
        master: br-red
      - kind: bridge
        name: br-red
      - kind: veth
        name: red1-h
        peer: eth0
        peer_namespace: red1
        peer_addresses: [10.100.0.11/24]
        master: br-red
      - kind: veth
        name: red2-h
        peer: eth0
        peer_namespace: red2
        peer_addresses: [10.100.0.12/24]
        master: br-red

- name: Tear all of it down (the veth ends in the namespaces go with them)
  linux.vnet.vnet_topology:
    owner: tenant-red
    purge: true

- name: Two namespaces on an Open vSwitch bridge, on VLANs 10 and 20, in one call
  linux.vnet.vnet_topology:
    owner: tenant-ovs
    namespaces:
      - name: web
      - name: db
    links:
      - {kind: veth, name: web-h, peer: eth0, peer_namespace: web, peer_addresses: [10.10.0.2/24]}
      - {kind: veth, name: db-h, peer: eth0, peer_namespace: db, peer_addresses: [10.20.0.2/24]}
    ovs:
      - bridge: br-int
        ports:
          - {name: web-h, tag: 10}
          - {name: db-h, tag: 20}
          - {name: vx-h2, type: vxlan, protected: true, trunks: [10, 20], options: {remote_ip: 192.0.2.2, key: 100}}
"""

RETURN = r"""
objects:
  description:
    - One entry per object, in the order the run handled them (removals, dependency order, purges).
    - An Open vSwitch bridge's entry has C(bridge) (what M(linux.vnet.vnet_ovs) returns) where a link's has C(link).
  returned: always
  type: list
  elements: dict
  contains:
    object:
      description: Which object.
      type: str
      sample: "'red1-h' in the host namespace"
    changed:
      description: Whether this object changed.
      type: bool
    actions:
      description: The kernel changes made (or, in check mode, that would be made) for this object.
      type: list
      elements: str
    link:
      description: The link after the run, as its own module returns it (link objects only).
      type: dict
    namespace:
      description: The namespace after the run, as M(linux.vnet.vnet_namespace) returns it (namespaces only).
      type: dict
    bridge:
      description: The Open vSwitch bridge after the run, as M(linux.vnet.vnet_ovs) returns it (C(ovs) entries only).
      type: dict
actions:
  description: Every kernel change of the run, in order.
  returned: always
  type: list
  elements: str
  sample: ["create namespace 'red1'", "create bridge 'br-red' in the host namespace"]
failed_step:
  description: On failure, the step that failed; everything before it was undone.
  returned: failure
  type: str
rolled_back:
  description: On failure, the steps undone, in the order they were undone.
  returned: failure
  type: list
  elements: str
"""

from ansible_collections.linux.vnet.plugins.module_utils._vnet_module import run_topology
from ansible_collections.linux.vnet.plugins.module_utils._vnet_topology import TopologySpec


def main():
    run_topology(TopologySpec())


if __name__ == '__main__':
    main()
