# -*- coding: utf-8 -*-
# Copyright: linux.vnet contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""VXLAN: a VNI over UDP, point-to-point, multicast, or head-end replication to a list of peers."""

from __future__ import annotations

import ipaddress

from ansible_collections.linux.vnet.plugins.module_utils._vnet_engine import Step
from ansible_collections.linux.vnet.plugins.module_utils._vnet_errors import VnetError
from ansible_collections.linux.vnet.plugins.module_utils._vnet_kernel import where
from ansible_collections.linux.vnet.plugins.module_utils._vnet_link import MAIN, Field, InfoField, LinkKind
from ansible_collections.linux.vnet.plugins.module_utils._vnet_validate import interface_name, mac_address

IANA_PORT = 4789
VNI_MAX = 2**24 - 1
ZERO_MAC = '00:00:00:00:00:00'
# outer Ethernet 14 + IP (20 | 40) + UDP 8 + VXLAN 8
OVERHEAD = {4: 50, 6: 70}


def _ip(option, value, multicast=None):
    text = str(value).strip()
    if '%' in text:
        # ipaddress takes 'fe80::1%eth0', netlink does not: the underlay device is dev
        raise VnetError(
            '%s: %r has a scope id; give the address alone and the underlay device as dev' % (option, value)
        )
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        raise VnetError('%s: %r is not an IPv4 or IPv6 address' % (option, value)) from None
    if multicast is True and not address.is_multicast:
        raise VnetError('%s: %s is not a multicast address (224.0.0.0/4 or ff00::/8)' % (option, address))
    if multicast is False and (address.is_multicast or address.is_unspecified):
        raise VnetError('%s: %s must be a unicast address' % (option, address))
    return str(address)


def _ranged(option, value, low, high):
    if value is not None and not low <= value <= high:
        raise VnetError('%s: %d is outside %d-%d' % (option, value, low, high))
    return value


class FamilyField(InfoField):
    """An address held in an IPv4 or an IPv6 attribute (IFLA_VXLAN_GROUP / GROUP6 ...)."""

    def __init__(self, key, nla, multicast=None):
        super().__init__(key, nla)
        self.multicast = multicast  # remote and group share one attribute; tell them apart

    def read(self, kernel, state):
        value = state['info_data'].get(self.nla) or state['info_data'].get(self.nla + '6')
        if value is None or ipaddress.ip_address(value).is_unspecified:
            return None
        if self.multicast is not None and ipaddress.ip_address(value).is_multicast != self.multicast:
            return None
        return value

    def set_kwargs(self, kernel, obj, desired):
        suffix = '6' if ':' in desired else ''
        return {self.kwarg + suffix: desired}


class DevField(Field):
    """The underlay device (IFLA_VXLAN_LINK), by name, in the VXLAN's namespace."""

    at_create = True
    needs_kind = True  # a kind attribute: pyroute2 drops it from RTM_SETLINK without kind='vxlan'

    def read(self, kernel, state):
        index = state['info_data'].get('IFLA_VXLAN_LINK')
        if not index:
            return None
        dev = kernel.link_by_index(state['namespace'], index)
        return dev['name'] if dev else None

    def set_kwargs(self, kernel, obj, desired):
        namespace = obj.ends[MAIN][0]
        return {'vxlan_link': lambda: kernel.ifindex(namespace, desired)}


class FdbField(Field):
    """Static forwarding entries as {mac, dst}; the exact set when given."""

    zero_mac = False  # peers are the all-zeros entries, fdb the others

    def read(self, kernel, state):
        entries = kernel.fdb_entries(state['namespace'], state['ifindex'])
        return [self.item(mac, dst) for mac, dst in entries if (mac == ZERO_MAC) == self.zero_mac]

    def item(self, mac, dst):
        return {'mac': mac, 'dst': dst}

    def pair(self, item):
        return item['mac'], item['dst']

    def steps(self, kernel, obj, current, desired):
        namespace, name = obj.ends[MAIN]
        current = [self.pair(i) for i in current or []]
        wanted = [self.pair(i) for i in desired]
        steps = []
        for command, undo, pairs in (
            ('del', 'append', [p for p in current if p not in wanted]),
            ('append', 'del', [p for p in wanted if p not in current]),
        ):
            for mac, dst in pairs:
                verb = 'add' if command == 'append' else 'delete'
                steps.append(
                    Step(
                        '%s fdb %s dst %s on %s' % (verb, mac, dst, where(name, namespace)),
                        _fdb(kernel, command, namespace, name, mac, dst),
                        _fdb(kernel, undo, namespace, name, mac, dst),
                    )
                )
        return steps


class PeersField(FdbField):
    """Head-end replication: one all-zeros entry per remote VTEP."""

    zero_mac = True

    def item(self, mac, dst):
        return dst

    def pair(self, item):
        return ZERO_MAC, item


def _fdb(kernel, command, namespace, name, mac, dst):
    return lambda: kernel.fdb(command, namespace, name, mac, dst)


class Vxlan(LinkKind):
    kind = 'vxlan'
    options = dict(
        vni=dict(type='int', required=True),
        local=dict(type='str'),
        remote=dict(type='str'),
        group=dict(type='str'),
        dev=dict(type='str'),
        port=dict(type='int', default=IANA_PORT),
        learning=dict(type='bool'),
        proxy=dict(type='bool'),
        ttl=dict(type='int'),
        tos=dict(type='int'),
        udp_csum=dict(type='bool'),
        peers=dict(type='list', elements='str'),
        fdb=dict(
            type='list',
            elements='dict',
            options=dict(
                mac=dict(type='str', required=True),
                dst=dict(type='str', required=True),
            ),
        ),
    )
    mutually_exclusive = (('remote', 'group', 'peers'),)
    required_by = {'group': ('dev',)}
    fields = (
        InfoField('vni', 'IFLA_VXLAN_ID', immutable=True),
        InfoField('port', 'IFLA_VXLAN_PORT', immutable=True),
        InfoField('udp_csum', 'IFLA_VXLAN_UDP_CSUM', from_kernel=bool, to_kernel=int, immutable=True),
        InfoField('proxy', 'IFLA_VXLAN_PROXY', from_kernel=bool, to_kernel=int, immutable=True),
        InfoField('learning', 'IFLA_VXLAN_LEARNING', from_kernel=bool, to_kernel=int),
        InfoField('ttl', 'IFLA_VXLAN_TTL'),
        InfoField('tos', 'IFLA_VXLAN_TOS'),
        FamilyField('local', 'IFLA_VXLAN_LOCAL'),
        FamilyField('remote', 'IFLA_VXLAN_GROUP', multicast=False),
        FamilyField('group', 'IFLA_VXLAN_GROUP', multicast=True),
        DevField('dev'),
        PeersField('peers'),
        FdbField('fdb'),
    )

    def desired(self, params):
        desired = super().desired(params)
        desired.update(
            vni=_ranged('vni', params['vni'], 0, VNI_MAX),
            port=_ranged('port', params['port'], 1, 65535),
            ttl=_ranged('ttl', params['ttl'], 0, 255),
            tos=_ranged('tos', params['tos'], 0, 255),
            learning=params['learning'],
            proxy=params['proxy'],
            udp_csum=params['udp_csum'],
            local=_ip('local', params['local'], multicast=False) if params['local'] else None,
            remote=_ip('remote', params['remote'], multicast=False) if params['remote'] else None,
            group=_ip('group', params['group'], multicast=True) if params['group'] else None,
            dev=params['dev'],
        )
        if params['dev'] is not None:
            interface_name('dev', params['dev'])
        if desired['remote'] and desired['remote'] == desired['local']:
            raise VnetError('remote: %s is the local address; a tunnel needs another host' % desired['remote'])
        peers = None
        if params['peers'] is not None:
            # duplicates are dropped and the host's own address never counts as a peer
            peers = sorted(
                {_ip('peers', p, multicast=False) for p in params['peers']} - {desired['local']},
                key=ipaddress.ip_address,
            )
        desired['peers'] = peers
        fdb = None
        if params['fdb'] is not None:
            pairs = [
                (mac_address('fdb.mac', e['mac']), _ip('fdb.dst', e['dst'], multicast=False)) for e in params['fdb']
            ]
            for pair in pairs:
                if pairs.count(pair) > 1:
                    raise VnetError('fdb: {mac: %s, dst: %s} is listed twice' % pair)
            fdb = [{'mac': mac, 'dst': dst} for mac, dst in sorted(pairs)]
        desired['fdb'] = fdb
        families = {
            ipaddress.ip_address(a).version
            for a in [desired['local'], desired['remote'], desired['group']]
            + (peers or [])
            + [e['dst'] for e in fdb or []]
            if a
        }
        if len(families) > 1:
            raise VnetError(
                'local, remote, group, peers and fdb: IPv4 and IPv6 underlay addresses are mixed; '
                'one VXLAN device uses one underlay family'
            )
        desired['_family'] = families.pop() if families else None
        if not desired['dev']:
            # the kernel: "Local interface required for link-local local/remote addresses" (EINVAL)
            for option in ('local', 'remote'):
                address = ipaddress.ip_address(desired[option]) if desired[option] else None
                if address and address.version == 6 and address.is_link_local:
                    raise VnetError('%s: %s is link-local; give the underlay device as dev' % (option, desired[option]))
        return desired

    def complete(self, kernel, desired):
        """Drop peers that are this namespace's own addresses; derive the MTU from the underlay."""
        namespace = desired['namespace']
        if desired['peers']:
            desired['peers'] = [p for p in desired['peers'] if not kernel.address_ifindexes(namespace, p)]
        underlay, via = None, None
        if desired['dev']:
            underlay = kernel.link(namespace, desired['dev'])
            if underlay is None:
                raise VnetError('dev: underlay interface %s does not exist' % where(desired['dev'], namespace))
            via = desired['dev']
        else:
            first = desired['remote'] or (desired['peers'] or [None])[0]
            index = kernel.route_oif(namespace, first) if first else None
            underlay = kernel.link_by_index(namespace, index) if index else None
            via = underlay and '%s (the route to %s)' % (underlay['name'], first)
        if underlay is None:
            return
        family = desired['_family'] or 4
        maximum = underlay['mtu'] - OVERHEAD[family]
        if desired['mtu'] is None:
            desired['mtu'] = maximum
        elif desired['mtu'] > maximum:
            raise VnetError(
                'mtu: %d is too large; an IPv%d underlay through %s with MTU %d carries at most %d'
                % (desired['mtu'], family, via, underlay['mtu'], maximum)
            )
