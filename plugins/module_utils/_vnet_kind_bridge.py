# -*- coding: utf-8 -*-
# Copyright: linux.vnet contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Linux bridge: STP and its timers, priority, ageing, VLAN filtering, and its ports."""

from __future__ import annotations

from ansible_collections.linux.vnet.plugins.module_utils import _vnet_validate as validate
from ansible_collections.linux.vnet.plugins.module_utils._vnet_engine import Step
from ansible_collections.linux.vnet.plugins.module_utils._vnet_errors import VnetError
from ansible_collections.linux.vnet.plugins.module_utils._vnet_kernel import where
from ansible_collections.linux.vnet.plugins.module_utils._vnet_link import MAIN, Field, InfoField, LinkKind, SetField

USER_HZ = 100  # bridge timers travel over netlink in clock_t (1/100 s)

# option: (minimum, maximum) in seconds, as the kernel enforces them with STP on
TIMER_RANGES = {
    'forward_delay': (0, 30),  # the kernel wants 2-30 only while STP is on
    'hello_time': (1, 10),
    'max_age': (6, 40),
    'ageing_time': (0, 1000000),
}


def seconds(value):
    return round(value / USER_HZ, 2)


def clock_t(value):
    return int(round(value * USER_HZ))


def timer(name, nla):
    return InfoField(name, nla, from_kernel=seconds, to_kernel=clock_t)


class PortsField(Field):
    """Interfaces enslaved to the bridge; with purge_ports the exact set."""

    def read(self, kernel, state):
        return sorted(
            link['name'] for link in kernel.links(state['namespace']) if link['master_index'] == state['ifindex']
        )

    def differs(self, current, desired, obj):
        if desired is None:
            return False
        current = set(current or ())
        return current != set(desired) if obj.desired['purge_ports'] else not set(desired) <= current

    def predict(self, current, desired, obj):
        return sorted(desired if obj.desired['purge_ports'] else set(current or ()) | set(desired))

    def steps(self, kernel, obj, current, desired):
        namespace, bridge = obj.ends[MAIN]
        current = current or []
        steps = []
        for port in desired:
            if port in current:
                continue
            state = kernel.link(namespace, port)
            if state is None and port not in obj.creates_in(namespace):
                raise VnetError('ports: interface %s does not exist' % where(port, namespace))
            if state is not None and state['kind'] == 'bridge':
                raise VnetError(
                    'ports: %s is a bridge; a bridge cannot be a port of another bridge' % where(port, namespace)
                )
            obj.guard_link(kernel, namespace, port, 'enslave')
            previous = state['master_index'] if state else 0
            if previous:
                other = kernel.link_by_index(namespace, previous)
                if other is not None:
                    obj.guard_release(kernel, namespace, port, other['name'], 'move')
            steps.append(
                Step(
                    'enslave %s to bridge %s' % (where(port, namespace), bridge),
                    _set_master(kernel, namespace, port, lambda: kernel.ifindex(namespace, bridge)),
                    _set_master(kernel, namespace, port, lambda previous=previous: previous),
                )
            )
        if obj.desired['purge_ports']:
            for port in current:
                if port not in desired:
                    obj.guard_release(kernel, namespace, port, bridge, 'purge (release)')
                    steps.append(
                        Step(
                            'release %s from bridge %s' % (where(port, namespace), bridge),
                            _set_master(kernel, namespace, port, lambda: 0),
                            _set_master(kernel, namespace, port, lambda: kernel.ifindex(namespace, bridge)),
                        )
                    )
        return steps


def _set_master(kernel, namespace, port, master_index):
    return lambda: kernel.link_set(namespace, port, master=master_index())


class Bridge(LinkKind):
    kind = 'bridge'
    options = dict(
        stp=dict(type='bool'),
        forward_delay=dict(type='float'),
        hello_time=dict(type='float'),
        max_age=dict(type='float'),
        ageing_time=dict(type='float'),
        priority=dict(type='int'),
        vlan_filtering=dict(type='bool'),
        ports=dict(type='list', elements='str'),
        purge_ports=dict(type='bool', default=False),
    )
    fields = (
        InfoField('stp', 'IFLA_BR_STP_STATE', from_kernel=bool, to_kernel=int),
        timer('forward_delay', 'IFLA_BR_FORWARD_DELAY'),
        timer('hello_time', 'IFLA_BR_HELLO_TIME'),
        timer('max_age', 'IFLA_BR_MAX_AGE'),
        timer('ageing_time', 'IFLA_BR_AGEING_TIME'),
        InfoField('priority', 'IFLA_BR_PRIORITY'),
        # Not sent with the create request, so that a kernel without it fails on this field alone.
        InfoField(
            'vlan_filtering',
            'IFLA_BR_VLAN_FILTERING',
            from_kernel=bool,
            to_kernel=int,
            at_create=False,
            hint="this kernel's bridge has no VLAN filtering support (CONFIG_BRIDGE_VLAN_FILTERING)",
            create_default=False,
        ),
        PortsField('ports'),
    )

    def all_fields(self):
        # MTU by RTM_SETLINK after the create: only then does the kernel keep it when ports join
        # (an MTU given with the create request is replaced by the first port's)
        return tuple(SetField('mtu', 'mtu', at_create=False) if f.key == 'mtu' else f for f in super().all_fields())

    def desired(self, params):
        desired = super().desired(params)
        for name, (low, high) in TIMER_RANGES.items():
            value = params[name]
            if value is not None and not low <= value <= high:
                raise VnetError('%s: %s seconds is outside %s-%s' % (name, value, low, high))
            # 0.1 s is exact in jiffies for every HZ the kernel offers (100, 250, 300, 1000)
            desired[name] = None if value is None else round(float(value), 1)
        priority = params['priority']
        if priority is not None and not 0 <= priority <= 65535:
            raise VnetError('priority: %d is outside 0-65535' % priority)
        ports = validate.unique_names('ports', params['ports'])
        if ports and desired['name'] in ports:
            raise VnetError('ports: a bridge cannot be its own port (%s)' % desired['name'])
        desired.update(
            stp=params['stp'],
            priority=priority,
            vlan_filtering=params['vlan_filtering'],
            ports=sorted(ports) if ports is not None else None,
            purge_ports=params['purge_ports'],
        )
        return desired
