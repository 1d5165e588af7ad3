# -*- coding: utf-8 -*-
# Copyright: linux.vnet contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ipvlan: sub-interfaces sharing the parent's MAC, in l2/l3/l3s mode with bridge/private/vepa flags."""

from __future__ import annotations

import errno

from ansible_collections.linux.vnet.plugins.module_utils._vnet_errors import VnetError
from ansible_collections.linux.vnet.plugins.module_utils._vnet_link import InfoField
from ansible_collections.linux.vnet.plugins.module_utils._vnet_parent import (
    PARENT_OPTIONS,
    ParentedKind,
    busy_parent_hint,
)


def _teach_pyroute2_ipvlan_flags():
    """pyroute2 (0.7 to 0.9 at least) knows IFLA_IPVLAN_MODE but not IFLA_IPVLAN_FLAGS (u16, type 2):
    it drops the attribute when sending and reports it as UNKNOWN when reading. Adding it to the
    plugin's attribute map before the first message is built fixes both directions."""
    try:
        from pyroute2.netlink.rtnl.ifinfmsg.plugins import ipvlan as plugin
    except ImportError:
        return
    names = [name for name, _kind in plugin.ipvlan.nla_map]
    if 'IFLA_IPVLAN_FLAGS' not in names and len(names) == 2:
        plugin.ipvlan.nla_map = tuple(plugin.ipvlan.nla_map) + (('IFLA_IPVLAN_FLAGS', 'uint16'),)


_teach_pyroute2_ipvlan_flags()

# include/uapi/linux/if_link.h: enum ipvlan_mode and the IPVLAN_F_* flags
MODES = {'l2': 0, 'l3': 1, 'l3s': 2}
FLAGS = {'bridge': 0, 'private': 1, 'vepa': 2}


def _name_of(table):
    names = {value: name for name, value in table.items()}
    return lambda value: names.get(value, value) if isinstance(value, int) else str(value).lower()


class Ipvlan(ParentedKind):
    kind = 'ipvlan'
    options = dict(
        PARENT_OPTIONS,
        mode=dict(type='str', default='l3', choices=sorted(MODES)),
        flags=dict(type='str', default='bridge', choices=sorted(FLAGS)),
    )
    refused_parents = {
        'ipvlan': 'an ipvlan cannot stack on an ipvlan; use its parent',
        'macvlan': 'ipvlan and macvlan cannot share a lower device',
        'macvtap': 'ipvlan and macvtap cannot share a lower device',
    }
    fields = ParentedKind.parent_fields + (
        InfoField('mode', 'IFLA_IPVLAN_MODE', from_kernel=_name_of(MODES), to_kernel=MODES.get),
        InfoField('flags', 'IFLA_IPVLAN_FLAGS', from_kernel=_name_of(FLAGS), to_kernel=FLAGS.get),
    )

    def desired(self, params):
        desired = super().desired(params)
        if desired['mac_address'] is not None:
            raise VnetError("mac_address: an ipvlan always has its parent's MAC address; omit the option")
        desired.update(mode=params['mode'], flags=params['flags'])
        return desired

    def create_hints(self, desired):
        # EBUSY: the parent's receive handler is taken (netdev_is_rx_handler_busy in ipvlan_link_new)
        return {errno.EBUSY: busy_parent_hint(desired['link'], 'macvlan or macvtap', 'ipvlan')}
