# -*- coding: utf-8 -*-
# Copyright: linux.vnet contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""nth_host: the n-th host address of a subnet, in CIDR form (ansible-core has no ipaddr filter)."""

from __future__ import annotations

import ipaddress

from ansible.errors import AnsibleFilterError


def nth_host(subnet, index):
    try:
        network = ipaddress.ip_network(str(subnet), strict=False)
    except ValueError as exc:
        raise AnsibleFilterError('nth_host: %r is not a subnet: %s' % (subnet, exc)) from None
    index = int(index)
    if not 1 <= index < network.num_addresses - (1 if network.version == 4 else 0):
        raise AnsibleFilterError('nth_host: subnet %s has no host number %d' % (network, index))
    return '%s/%d' % (network.network_address + index, network.prefixlen)


class FilterModule:
    def filters(self):
        return {'nth_host': nth_host}
