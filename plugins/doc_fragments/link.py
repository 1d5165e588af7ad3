# -*- coding: utf-8 -*-
# Copyright: linux.vnet contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # Options every linux.vnet link module shares (see plugins/module_utils/_vnet_link.py).
    DOCUMENTATION = r"""
options:
  name:
    description:
      - Interface name, 1 to 15 bytes, without V(/), V(:) or whitespace, not V(.) or V(..).
    type: str
    required: true
  namespace:
    description:
      - Named network namespace (a file in C(/run/netns)) the interface lives in.
      - Omit for the namespace the module runs in (the host's).
      - The namespace must exist; create it with M(linux.vnet.vnet_namespace).
    type: str
  state:
    description:
      - V(present) creates or updates the interface, V(absent) deletes it.
      - V(absent) removes only the named interface, and is a no-op when it (or its namespace) is missing.
      - An interface of another kind under the same name is never deleted silently; it is an error.
    type: str
    choices: [present, absent]
    default: present
  up:
    description:
      - Administrative state of the interface. V(false) brings it down.
    type: bool
    default: true
  mtu:
    description:
      - MTU in bytes (68-65535). Omit to leave the kernel's value alone.
    type: int
  mac_address:
    description:
      - Unicast MAC address, for example V(02:00:00:00:00:01). Omit to keep the kernel's choice.
    type: str
  addresses:
    description:
      - IPv4 and IPv6 addresses in CIDR form, for example V(10.0.0.1/24) or V(fd00::1/64).
      - When given this is the exact set; addresses not listed are removed (IPv6 link-local addresses excepted).
      - Omit to leave addresses alone; V([]) removes them all.
    type: list
    elements: str
  master:
    description:
      - Bridge (in the same namespace) to enslave the interface to. V("") detaches it.
      - Omit to leave the current master alone.
    type: str
  recreate:
    description:
      - When the interface exists with attributes the kernel cannot change in place (its kind, a veth peer),
        delete and re-create it instead of failing with the list of differences.
    type: bool
    default: false
  force:
    description:
      - Allow changes to the interface that carries the default route of its namespace, or the address of
        the Ansible SSH connection (C(SSH_CONNECTION), in the namespace the module runs in). Without it, such a
        change is refused with the reason, so that a typo cannot lock you out of the host. The guarded changes
        are deleting the interface (also by C(recreate), by deleting a veth pair from its other end, or by
        deleting the parent of a macvlan or ipvlan that carries the route), enslaving it to a bridge,
        bringing it down, and changing its addresses (adding an address to an interface without one is allowed).
      - It also guards taking a port away from a bridge that carries the route (C(master), C(ports) with
        C(purge_ports)), because that port may be the bridge's uplink.
    type: bool
    default: false
"""

    # The pyroute2 requirement and the attributes every object module shares.
    PYROUTE2 = r"""
requirements:
  - pyroute2 >= 0.7.2 on the managed host (Debian/Ubuntu C(python3-pyroute2), or C(pip install pyroute2)).
    When the interpreter Ansible uses lacks it, the module re-runs itself with a system Python that has it.
  - Root privileges on the managed host (C(become=true)).
attributes:
  check_mode:
    support: full
    description:
      - Predicts exactly what a real run would change and never touches the host (not even to create a namespace).
  diff_mode:
    support: full
    description: Shows the managed attributes before and after.
  platform:
    support: full
    platforms: posix
    description: Linux only.
"""

    # The parent of macvlan, macvtap and ipvlan interfaces.
    PARENT = r"""
options:
  link:
    description:
      - The parent interface, in O(link_namespace).
    type: str
    required: true
  link_namespace:
    description:
      - Named namespace of the parent. Omit for the namespace the module runs in (the host).
      - Like O(link), it is compared with an existing link, so omitting it for a link whose parent
        is in a named namespace is a difference (a re-create).
    type: str
"""
