#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: linux.vnet contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: vnet_ping
short_description: Check ICMP reachability from inside a network namespace
version_added: 0.1.0
description:
  - Sends ICMP (IPv4) or ICMPv6 echo requests from inside a named namespace (or the host's) to a list of addresses,
    with a raw socket made in that namespace - the C(ping) binary, which minimal hosts lack, is not needed.
  - Returns per-target results with round-trip times, and with O(expect) fails the task when reality differs,
    so that verification playbooks and isolation tests read naturally.
  - Never changes anything.
options:
  namespace:
    description:
      - Named namespace to send from. Omit for the namespace the module runs in.
    type: str
  targets:
    description:
      - IPv4 or IPv6 addresses to ping (no host names).
    type: list
    elements: str
    required: true
  count:
    description:
      - Echo requests per target, 1-1000.
    type: int
    default: 3
  timeout:
    description:
      - Seconds to wait for each reply.
    type: float
    default: 1.0
  size:
    description:
      - Bytes of echo data in each request, as C(ping -s) counts them (0-65507). The packet on the wire is
        28 bytes larger for IPv4 (IP and ICMP headers) and 48 bytes larger for IPv6, so V(1422) fills an IPv4
        MTU of 1450 exactly.
      - Omit for a 20-byte marker.
    type: int
  dont_fragment:
    description:
      - Never fragment the requests - IPv4 packets carry the DF bit, and neither family is fragmented locally
        (C(ping -M do)). A request larger than the MTU of the route then fails to send (see C(error) in
        RV(results)), and one larger than a link further on is dropped, so together with O(size) this proves
        that packets of a given size cross a path whole, for example an overlay at its MTU.
    type: bool
    default: false
  expect:
    description:
      - V(reachable) fails the task unless every target answers, V(unreachable) fails it if any answers,
        V(any) only reports.
    type: str
    choices: [reachable, unreachable, any]
    default: any
extends_documentation_fragment:
  - linux.vnet.link.PYROUTE2
seealso:
  - module: linux.vnet.vnet_info
author:
  - linux.vnet contributors (@linux-vnet)
"""

EXAMPLES = r"""
- name: Endpoints of the same tenant reach each other
  linux.vnet.vnet_ping:
    namespace: red1
    targets: [10.10.0.2, fd00:10::2]
    expect: reachable

- name: Packets of the overlay's full MTU (1450) cross it unfragmented
  linux.vnet.vnet_ping:
    namespace: red1
    targets: [10.10.0.2]
    size: 1422  # 1450 - 20 (IPv4 header) - 8 (ICMP header)
    dont_fragment: true
    expect: reachable

- name: Tenants are isolated
  linux.vnet.vnet_ping:
    namespace: red1
    targets: [10.20.0.2]
    count: 2
    expect: unreachable
"""

RETURN = r"""
results:
  description: One entry per target.
  returned: always
  type: list
  elements: dict
  sample: [{"target": "10.10.0.2", "reachable": true, "sent": 3, "received": 3, "loss_percent": 0.0,
            "packet_size": 48, "rtt_min_ms": 0.05, "rtt_avg_ms": 0.07, "rtt_max_ms": 0.1}]
  contains:
    target:
      description: The address pinged.
      type: str
      sample: 10.10.0.2
    reachable:
      description: Whether at least one reply came back.
      type: bool
      sample: true
    sent:
      description: Echo requests sent.
      type: int
      sample: 3
    received:
      description: Replies received.
      type: int
      sample: 3
    loss_percent:
      description: Share of requests without a reply.
      type: float
      sample: 0.0
    rtt_min_ms:
      description: Fastest round trip in milliseconds.
      returned: when a reply came back
      type: float
      sample: 0.05
    rtt_avg_ms:
      description: Mean round trip in milliseconds.
      returned: when a reply came back
      type: float
      sample: 0.07
    rtt_max_ms:
      description: Slowest round trip in milliseconds.
      returned: when a reply came back
      type: float
      sample: 0.1
    packet_size:
      description: Bytes of each request on the wire (IP header included), to hold against an MTU.
      type: int
      sample: 1450
    error:
      description: Why a request could not be sent (for example larger than the MTU with O(dont_fragment)).
      returned: when a request could not be sent
      type: str
      sample: a 1451-byte packet is larger than the MTU of the route and dont_fragment forbids fragmenting it
reachable_targets:
  description: Targets that answered at least once.
  returned: always
  type: list
  elements: str
  sample: ["10.10.0.2"]
unreachable_targets:
  description: Targets that never answered.
  returned: always
  type: list
  elements: str
  sample: []
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.linux.vnet.plugins.module_utils._vnet_ping import argument_spec, run_ping


def main():
    module = AnsibleModule(argument_spec=argument_spec(), supports_check_mode=True)
    run_ping(module)


if __name__ == '__main__':
    main()
