# -*- coding: utf-8 -*-
# Copyright: linux.vnet contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""macvlan and macvtap: MAC-addressed sub-interfaces of a parent, with a mode that changes in place."""

from __future__ import annotations

import errno

from ansible_collections.linux.vnet.plugins.module_utils._vnet_link import InfoField, LinkObject
from ansible_collections.linux.vnet.plugins.module_utils._vnet_parent import (
    PARENT_OPTIONS,
    ParentedKind,
    busy_parent_hint,
)

# include/uapi/linux/if_link.h: enum macvlan_mode
MODES = {'private': 1, 'vepa': 2, 'bridge': 4, 'passthru': 8, 'source': 16}
MODE_NAMES = {value: name for name, value in MODES.items()}


def mode_name(value):
    """pyroute2 reports the mode by name, older builds as a number."""
    return MODE_NAMES.get(value, value) if isinstance(value, int) else value


class _MacvlanFamily(ParentedKind):
    options = dict(
        PARENT_OPTIONS,
        mode=dict(type='str', default='bridge', choices=sorted(MODES)),
        type=dict(type='str', default='macvlan', choices=['macvlan', 'macvtap']),
    )

    def desired(self, params):
        desired = super().desired(params)
        desired['mode'] = params['mode']
        return desired

    def create_hints(self, desired):
        # EBUSY: the parent's receive handler is taken (netdev_rx_handler_register in macvlan_port_create)
        busy = {errno.EBUSY: busy_parent_hint(desired['link'], 'ipvlan', self.kind)}
        if desired['mode'] == 'passthru':
            return {
                **busy,
                errno.EINVAL: 'mode passthru needs the parent %r to itself, and it already has macvlan or '
                'macvtap children; remove them or use another mode' % desired['link'],
            }
        return {
            **busy,
            errno.EINVAL: 'the parent %r refused the %s (a passthru child may own it already)'
            % (desired['link'], self.kind),
        }


class Macvlan(_MacvlanFamily):
    kind = 'macvlan'
    refused_parents = {'macvtap': "a macvlan cannot stack on a macvtap; use the macvtap's own parent"}
    fields = ParentedKind.parent_fields + (
        InfoField('mode', 'IFLA_MACVLAN_MODE', from_kernel=mode_name, to_kernel=MODES.get),
    )


class Macvtap(_MacvlanFamily):
    kind = 'macvtap'
    refused_parents = {
        'macvlan': "a macvtap cannot stack on a macvlan; use the macvlan's own parent",
        'macvtap': 'a macvtap cannot stack on another macvtap',
    }
    fields = ParentedKind.parent_fields + (
        InfoField('mode', 'IFLA_MACVTAP_MODE', from_kernel=mode_name, to_kernel=MODES.get),
    )


class MacvlanSpec(_MacvlanFamily):
    """What vnet_macvlan accepts; ``type`` picks the kind."""

    def build(self, params):
        kind = Macvtap() if params['type'] == 'macvtap' else Macvlan()
        return TapReportingLink(kind, params)


class TapReportingLink(LinkObject):
    """A macvtap's result also names its character device, /dev/tap<ifindex>."""

    def report(self, state):
        view = super().report(state)
        if self.kind.kind == 'macvtap' and view.get('ifindex'):
            view['tap_device'] = '/dev/tap%d' % view['ifindex']
        return view
