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
      - Echo requests per target.
    type: int
    default: 3
  timeout:
    description:
      - Seconds to wait for each reply.
    type: float
    default: 1.0
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
            "rtt_min_ms": 0.05, "rtt_avg_ms": 0.07, "rtt_max_ms": 0.1}]
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

from ansible_collections.linux.vnet.plugins.module_utils._vnet_ping import run_ping


def main():
    module = AnsibleModule(
        argument_spec=dict(
            namespace=dict(type='str'),
            targets=dict(type='list', elements='str', required=True),
            count=dict(type='int', default=3),
            timeout=dict(type='float', default=1.0),
            expect=dict(type='str', default='any', choices=['reachable', 'unreachable', 'any']),
        ),
        supports_check_mode=True,
    )
    run_ping(module)


if __name__ == '__main__':
    main()
