#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: linux.vnet contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: vnet_ovs
short_description: Manage an Open vSwitch bridge and its ports over OVSDB
version_added: 0.1.0
description:
  - Manages one Open vSwitch bridge declaratively - datapath type, fail mode, C(external_ids), C(other_config)
    and its ports (system, internal, vxlan, geneve, gre and patch, with VLAN tag, trunks and options).
  - Talks OVSDB (RFC 7047) through the C(ovs) Python library that Open vSwitch ships; no C(ovs-vsctl) is run.
  - Every run is B(one OVSDB transaction) - the whole change applies, or none of it does. Like C(ovs-vsctl), the
    module then waits until C(ovs-vswitchd) has applied the configuration and fails with the daemon's own message
    when a port did not come up (a patch port whose peer does not exist yet only warns).
  - Values that OVSDB would drop silently (a tag outside 0-4095, out-of-range trunks, options a port type does not
    have) are refused before the transaction, naming the option.
  - Starting Open vSwitch is the host's business; the module fails clearly when O(db) does not answer.
  - A bridge or port the module creates carries the collection's ownership marker in its C(external_ids), key
    C(linux.vnet.owner) (value C(linux.vnet); M(linux.vnet.vnet_topology) puts
    C(linux.vnet:<owner>) there), so that a purge can tell it from ports made by others.
options:
  bridge:
    description:
      - Bridge name (also the name of its internal port and network device), 1-15 bytes.
    type: str
    required: true
  state:
    description:
      - V(present) creates or updates the bridge, V(absent) deletes it with its ports.
    type: str
    choices: [present, absent]
    default: present
  datapath_type:
    description:
      - V(system) uses the openvswitch kernel module, V(netdev) the userspace datapath (no kernel module needed).
      - Omit to leave it alone (a new bridge gets V(system)).
    type: str
    choices: [system, netdev]
  fail_mode:
    description:
      - What the bridge does without a controller - V(standalone) learns like a switch, V(secure) drops.
    type: str
    choices: [standalone, secure]
  external_ids:
    description:
      - Keys to set in the bridge's C(external_ids). Keys not given are left alone; a key with a null value is removed.
    type: dict
  other_config:
    description:
      - Keys to set in the bridge's C(other_config), with the same rules as O(external_ids).
    type: dict
  ports:
    description:
      - Ports of the bridge. Each listed port is made exactly as described (an omitted O(ports[].tag) means untagged,
        omitted O(ports[].trunks) means none, omitted O(ports[].options) means none).
      - Ports not listed are left alone unless O(purge_ports=true).
    type: list
    elements: dict
    suboptions:
      name:
        description: Port (and interface) name.
        type: str
        required: true
      type:
        description:
          - V(system) attaches an existing network device, V(internal) creates one on the bridge,
            V(vxlan), V(geneve) and V(gre) are tunnels, V(patch) connects to another bridge.
        type: str
        choices: [system, internal, vxlan, geneve, gre, patch]
        default: system
      tag:
        description: Access VLAN (0-4095).
        type: int
      trunks:
        description: VLANs a trunk port carries (each 0-4095).
        type: list
        elements: int
      options:
        description:
          - Interface options. Tunnels - C(remote_ip) (required, an address or V(flow)), C(local_ip), C(key)
            (V(flow) or a number, 24 bits for vxlan and geneve), C(in_key), C(out_key), C(dst_port), C(tos), C(ttl),
            C(df_default), C(csum). Patch ports - C(peer) (required). System and internal ports have none.
        type: dict
        default: {}
      protected:
        description:
          - A protected port forwards nothing to other protected ports of the bridge (OVS C(Port:protected)). Set it on
            the tunnel ports of a full mesh, so that broadcast from one peer is never sent on to another (a loop).
          - A new port is created already protected, in the same transaction.
        type: bool
        default: false
      external_ids:
        description:
          - Keys to set in the port's C(external_ids). Keys not given are left alone; a null value removes the key.
          - A port the module creates also gets the ownership marker C(linux.vnet.owner) unless this gives that key.
        type: dict
  purge_ports:
    description:
      - Remove ports of the bridge that are not in O(ports). Has no effect when O(ports) is omitted.
    type: bool
    default: false
  move_ports:
    description:
      - A listed port that belongs to another bridge is moved to this one in the same transaction.
      - Without it such a port is an error; it is never silently left where it is.
    type: bool
    default: false
  db:
    description:
      - OVSDB server to talk to, as C(unix:PATH) or C(tcp:IP:PORT).
      - C(ssl:) remotes are refused (they need certificates, which the module does not take).
    type: str
    default: unix:/run/openvswitch/db.sock
  timeout:
    description:
      - Seconds for the whole run - connecting, committing and waiting for C(ovs-vswitchd) to apply the change.
    type: float
    default: 10.0
  force:
    description:
      - Allow changes that could cut the host off, which are otherwise refused naming the reason. They are
        adding or moving a V(system) port whose device carries the default route or the Ansible SSH connection's
        address, deleting such a device (the bridge itself with V(state=absent), an internal port by O(purge_ports)
        or by changing its type), and taking a V(system) or V(patch) port away (O(purge_ports), O(move_ports)) from
        a bridge whose own device or internal port carries the route, because it may be the uplink.
      - Devices are looked up in the network namespace the module runs in, where C(ovs-vswitchd) normally runs.
        Checking needs pyroute2; without it these changes need O(force=true).
    type: bool
    default: false
requirements:
  - The C(ovs) Python library on the managed host (Debian/Ubuntu C(python3-openvswitch), or C(pip install ovs)).
    When the interpreter Ansible uses lacks it, the module re-runs itself with a system Python that has it.
  - A running C(ovsdb-server) and C(ovs-vswitchd).
attributes:
  check_mode:
    support: full
    description:
      - Reads the database and predicts the change; nothing is committed.
  diff_mode:
    support: full
    description: Shows the bridge and its ports before and after.
  platform:
    support: full
    platforms: posix
    description: Any host running Open vSwitch.
seealso:
  - module: linux.vnet.vnet_vxlan
author:
  - linux.vnet contributors (@linux-vnet)
"""

EXAMPLES = r"""
- name: An integration bridge with two tenant ports and a VXLAN tunnel carrying both VLANs
  linux.vnet.vnet_ovs:
    bridge: br-int
    fail_mode: standalone
    external_ids:
      owner: linux.vnet
    ports:
      - name: c1-eth0
        tag: 10
      - name: c2-eth0
        tag: 20
      - name: vx-h2
        type: vxlan
        trunks: [10, 20]
        protected: true  # a mesh of tunnels: nothing from one peer goes out to another
        options:
          remote_ip: 192.0.2.2
          key: flow
    purge_ports: true

- name: A userspace bridge (no openvswitch kernel module needed), on a private ovsdb-server
  linux.vnet.vnet_ovs:
    bridge: br-lab
    datapath_type: netdev
    db: unix:/var/run/lab/db.sock

- name: Take over a port that is still on an old bridge
  linux.vnet.vnet_ovs:
    bridge: br-int
    ports:
      - name: c3-eth0
        tag: 10
    move_ports: true

- name: Remove the bridge
  linux.vnet.vnet_ovs:
    bridge: br-int
    state: absent
"""

RETURN = r"""
bridge:
  description: The bridge after the run (predicted in check mode).
  returned: always
  type: dict
  contains:
    bridge:
      description: Bridge name.
      type: str
      sample: br-int
    state:
      description: V(present) or V(absent).
      type: str
      sample: present
    datapath_type:
      description: V(system) or V(netdev).
      type: str
      sample: netdev
    fail_mode:
      description: Fail mode, V(null) when unset.
      type: str
      sample: standalone
    external_ids:
      description: The bridge's external_ids.
      type: dict
      sample: {"linux.vnet.owner": "linux.vnet", "team": "net"}
    other_config:
      description: The bridge's other_config.
      type: dict
      sample: {}
    ports:
      description: The bridge's ports (its own internal port excepted), sorted by name.
      type: list
      elements: dict
      sample: [{"name": "c1-eth0", "type": "system", "tag": 10, "trunks": [], "options": {}, "protected": false,
                "external_ids": {"linux.vnet.owner": "linux.vnet"}}]
actions:
  description: The edits of the transaction (or, in check mode, that it would contain), in order.
  returned: always
  type: list
  elements: str
  sample: ["create Open vSwitch bridge 'br-int'", "add system port 'c1-eth0'", "commit the OVSDB transaction"]
"""

from ansible_collections.linux.vnet.plugins.module_utils._vnet_module import run_module
from ansible_collections.linux.vnet.plugins.module_utils._vnet_ovs import OvsBridgeSpec


def main():
    run_module(OvsBridgeSpec())


if __name__ == '__main__':
    main()
