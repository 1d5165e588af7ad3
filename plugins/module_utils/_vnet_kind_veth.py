# -*- coding: utf-8 -*-
# Copyright: linux.vnet contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""veth: a pair of links; the peer may live in another namespace and is created there directly."""

from __future__ import annotations

from ansible_collections.linux.vnet.plugins.module_utils import _vnet_validate as validate
from ansible_collections.linux.vnet.plugins.module_utils._vnet_errors import VnetError
from ansible_collections.linux.vnet.plugins.module_utils._vnet_kernel import UNKNOWN, describe, where
from ansible_collections.linux.vnet.plugins.module_utils._vnet_link import (
    MAIN,
    AddressesField,
    IdentityField,
    LinkKind,
    MasterField,
    SetField,
    UpField,
    _master,
    linked,
    read_end,
)

PEER = 'peer'
UNNAMED = '<unnamed namespace>'


class Veth(LinkKind):
    kind = 'veth'
    options = dict(
        peer=dict(type='str', required=True),
        peer_namespace=dict(type='str'),
        peer_addresses=dict(type='list', elements='str'),
        peer_mac_address=dict(type='str'),
        peer_master=dict(type='str'),
    )
    peer_fields = (
        SetField('peer_mtu', 'mtu', end=PEER, state_key='mtu'),
        SetField('peer_mac_address', 'address', end=PEER, state_key='mac_address'),
        MasterField('peer_master', end=PEER),
        UpField('peer_up', end=PEER),
        AddressesField('peer_addresses', end=PEER),
    )
    fields = (IdentityField('peer'), IdentityField('peer_namespace')) + peer_fields

    def desired(self, params):
        desired = super().desired(params)
        desired.update(
            peer=validate.interface_name('peer', params['peer']),
            peer_namespace=validate.namespace_name('peer_namespace', params['peer_namespace']),
            peer_addresses=validate.interface_addresses('peer_addresses', params['peer_addresses']),
            peer_mac_address=validate.mac_address('peer_mac_address', params['peer_mac_address']),
            peer_master=_master('peer_master', params['peer_master']),
            # one MTU and one up/down for the pair: a veth with different MTUs drops traffic
            peer_mtu=desired['mtu'],
            peer_up=desired['up'],
        )
        if (desired['peer'], desired['peer_namespace']) == (desired['name'], desired['namespace']):
            raise VnetError('peer: a veth cannot be its own peer (%s)' % where(desired['name'], desired['namespace']))
        # a bridge to enslave to is never one of the pair's own ends (both are veths)
        ends = {(desired['namespace'], desired['name']), (desired['peer_namespace'], desired['peer'])}
        for option, namespace in (('master', desired['namespace']), ('peer_master', desired['peer_namespace'])):
            if desired[option] and (namespace, desired[option]) in ends:
                raise VnetError(
                    '%s: %s is an end of this veth pair, not a bridge' % (option, where(desired[option], namespace))
                )
        return desired

    def end_names(self, desired):
        return {MAIN: (desired['namespace'], desired['name']), PEER: (desired['peer_namespace'], desired['peer'])}

    def check_namespaces(self, kernel, desired):
        kernel.require_namespace('namespace', desired['namespace'])
        kernel.require_namespace('peer_namespace', desired['peer_namespace'])

    def creates(self, desired):
        return [(desired['namespace'], desired['name']), (desired['peer_namespace'], desired['peer'])]

    def read_extra(self, kernel, state, current, desired=None):
        peer_namespace, peer = linked(kernel, state, desired['peer_namespace'] if desired else UNKNOWN)
        current['peer'] = peer['name'] if peer else None
        current['peer_namespace'] = peer_namespace if peer_namespace != '' else UNNAMED
        if peer is not None:
            current.update(read_end(kernel, peer, self.peer_fields))

    def deleted_with(self, current):
        if current.get('peer') and current.get('peer_namespace') != UNNAMED:
            return [(current['peer_namespace'], current['peer'])]
        return []

    def check_create(self, kernel, obj):
        namespace, name = obj.ends[PEER]
        taken = kernel.link(namespace, name)
        if taken is not None:
            raise VnetError(
                'peer: %s already exists (a %s) in %s; pick another peer name or remove it first'
                % (name, taken['kind'], describe(namespace))
            )

    def create_kwargs(self, kernel, obj):
        peer = {'ifname': obj.desired['peer']}
        if obj.desired['peer_namespace'] != obj.desired['namespace']:
            peer['net_ns_fd'] = kernel.namespace_fd(obj.desired['peer_namespace'])
        return {'peer': peer}
