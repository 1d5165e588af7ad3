#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: linux.vnet contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: vnet_namespace
short_description: Manage named Linux network namespaces
version_added: 0.1.0
description:
  - Creates and deletes named network namespaces (files bind-mounted under C(/run/netns), as C(ip netns) makes them).
  - Brings the loopback interface up and applies C(net.*) sysctls inside the namespace.
  - Repairs a stale entry, a file in C(/run/netns) whose namespace mount is gone (after a crash or a reboot).
  - In check mode nothing is created, not even the namespace being inspected.
options:
  name:
    description:
      - Namespace name, a file name in C(/run/netns) made of C(A-Z a-z 0-9 _ . -), not V(.) or V(..).
    type: str
    required: true
  state:
    description:
      - V(present) creates the namespace (or repairs a stale one), V(absent) deletes it.
      - Deleting a namespace also destroys the interfaces inside it; veth peers outside it disappear with them.
    type: str
    choices: [present, absent]
    default: present
  loopback:
    description:
      - Bring C(lo) up inside the namespace. V(false) leaves C(lo) as it is.
    type: bool
    default: true
  sysctls:
    description:
      - Sysctls to set inside the namespace, for example C(net.ipv4.ip_forward=1).
      - Only C(net.*) keys are accepted, because other sysctls are not per-namespace and would change the whole host.
      - Use the C(/) form (V(net/ipv4/conf/eth0.10/forwarding)) for keys whose interface name contains a dot.
      - Values are compared as the kernel prints them, with whitespace folded (V(4096 87380 6291456)).
    type: dict
    default: {}
  force:
    description:
      - Allow deleting (V(state=absent)) the network namespace the module itself runs in, under one of its names
        in C(/run/netns). Without it that is refused, because a C(linux.vnet.netns) connection (or C(ip netns exec))
        enters the namespace by that name, so the next task could not get in.
      - Deleting any other namespace is not guarded. Its links go only when no process is left in it, so a
        namespace that a connection runs through is never cut off by deleting its name.
    type: bool
    default: false
extends_documentation_fragment:
  - linux.vnet.link.PYROUTE2
seealso:
  - module: linux.vnet.vnet_veth
  - module: linux.vnet.vnet_bridge
author:
  - linux.vnet contributors (@linux-vnet)
"""

EXAMPLES = r"""
- name: A namespace for a simulated container, with forwarding on
  linux.vnet.vnet_namespace:
    name: blue
    sysctls:
      net.ipv4.ip_forward: 1
      net.ipv6.conf.all.forwarding: 1

- name: Remove it again
  linux.vnet.vnet_namespace:
    name: blue
    state: absent
"""

RETURN = r"""
namespace:
  description: The namespace after the run (predicted in check mode).
  returned: always
  type: dict
  contains:
    name:
      description: Namespace name.
      type: str
      sample: blue
    state:
      description: V(present) or V(absent) (V(stale) only in the diff's C(before)).
      type: str
      sample: present
    loopback:
      description: Whether C(lo) is up.
      type: bool
      sample: true
    sysctls:
      description: The managed sysctls and their values as the kernel prints them.
      type: dict
      sample: {"net.ipv4.ip_forward": "1"}
    path:
      description: The namespace file, usable with C(nsenter --net=).
      type: str
      sample: /run/netns/blue
actions:
  description: The kernel changes made (or, in check mode, that would be made), in order.
  returned: always
  type: list
  elements: str
  sample: ["create namespace 'blue'", "bring lo up in namespace 'blue'"]
"""

from ansible_collections.linux.vnet.plugins.module_utils._vnet_module import run_module
from ansible_collections.linux.vnet.plugins.module_utils._vnet_namespace import NamespaceSpec


def main():
    run_module(NamespaceSpec())


if __name__ == '__main__':
    main()
