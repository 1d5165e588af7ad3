# -*- coding: utf-8 -*-
# Copyright: linux.vnet contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Bridge().desired(): validation and normalisation of the bridge options (no kernel)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ansible_collections.linux.vnet.plugins.module_utils._vnet_errors import VnetError
from ansible_collections.linux.vnet.plugins.module_utils._vnet_kind_bridge import (
    TIMER_RANGES,
    Bridge,
    clock_t,
    seconds,
)

TIMERS = sorted(TIMER_RANGES)


def params(**overrides):
    """Every key of the argument spec, with its default, as AnsibleModule would pass them."""
    result = {key: spec.get('default') for key, spec in Bridge().argument_spec().items()}
    result['name'] = 'br0'
    result.update(overrides)
    return result


def test_params_cover_the_whole_argument_spec():
    spec = Bridge().argument_spec()
    assert set(params()) == set(spec)
    assert {
        'stp',
        'forward_delay',
        'hello_time',
        'max_age',
        'ageing_time',
        'priority',
        'vlan_filtering',
        'ports',
        'purge_ports',
    } <= set(spec)


def test_defaults_leave_everything_alone():
    desired = Bridge().desired(params())
    assert desired == {
        'name': 'br0',
        'namespace': None,
        'kind': 'bridge',
        'up': True,
        'mtu': None,
        'mac_address': None,
        'addresses': None,
        'master': None,
        'stp': None,
        'forward_delay': None,
        'hello_time': None,
        'max_age': None,
        'ageing_time': None,
        'priority': None,
        'vlan_filtering': None,
        'ports': None,
        'purge_ports': False,
    }


def test_every_field_has_a_desired_value():
    bridge = Bridge()
    desired = bridge.desired(params())
    assert {field.key for field in bridge.all_fields()} <= set(desired)


def test_full_bridge_is_normalised():
    desired = Bridge().desired(
        params(
            namespace='lab',
            mtu=9000,
            mac_address='02-AA-00-00-00-01',
            addresses=['fd00::1/64', '10.0.0.1/24'],
            stp=True,
            forward_delay=4,
            hello_time=2.0,
            max_age=12,
            ageing_time=300,
            priority=4096,
            vlan_filtering=False,
            ports=['veth1', 'veth0'],
            purge_ports=True,
        )
    )
    assert desired['namespace'] == 'lab'
    assert desired['mac_address'] == '02:aa:00:00:00:01'
    assert desired['addresses'] == ['10.0.0.1/24', 'fd00::1/64']
    assert desired['ports'] == ['veth0', 'veth1']
    assert (desired['stp'], desired['priority'], desired['vlan_filtering'], desired['purge_ports']) == (
        True,
        4096,
        False,
        True,
    )
    for key, value in (('forward_delay', 4.0), ('hello_time', 2.0), ('max_age', 12.0), ('ageing_time', 300.0)):
        assert desired[key] == value
        assert isinstance(desired[key], float)


# Tenths: 0.1 s is a whole number of jiffies for every HZ, finer values read back differently.
@pytest.mark.parametrize('value, expected', [(15, 15.0), (2.04, 2.0), (2.06, 2.1), (29.99, 30.0)])
def test_forward_delay_is_seconds_rounded_to_tenths(value, expected):
    assert Bridge().desired(params(forward_delay=value))['forward_delay'] == expected


@pytest.mark.parametrize('name', TIMERS)
def test_timer_range_bounds_are_inclusive(name):
    low, high = TIMER_RANGES[name]
    assert Bridge().desired(params(**{name: low}))[name] == float(low)
    assert Bridge().desired(params(**{name: high}))[name] == float(high)


@pytest.mark.parametrize('name', TIMERS)
@pytest.mark.parametrize('side', ['below', 'above'])
def test_timer_outside_range_names_option_and_range(name, side):
    low, high = TIMER_RANGES[name]
    value = low - 0.5 if side == 'below' else high + 0.5
    with pytest.raises(VnetError) as err:
        Bridge().desired(params(**{name: value}))
    assert err.value.msg == '%s: %s seconds is outside %s-%s' % (name, value, low, high)


def test_timer_ranges():
    assert TIMER_RANGES == {
        'forward_delay': (0, 30),  # 2-30 is the kernel's rule only while STP is on
        'hello_time': (1, 10),
        'max_age': (6, 40),
        'ageing_time': (0, 1000000),
    }


@pytest.mark.parametrize('value', [float('nan'), float('inf'), float('-inf')])
def test_non_finite_timers_are_refused(value):
    with pytest.raises(VnetError, match='^forward_delay: '):
        Bridge().desired(params(forward_delay=value))


@pytest.mark.parametrize('value', [0, 32768, 65535])
def test_priority_range(value):
    assert Bridge().desired(params(priority=value))['priority'] == value


@pytest.mark.parametrize('value', [-1, 65536])
def test_priority_outside_range(value):
    with pytest.raises(VnetError) as err:
        Bridge().desired(params(priority=value))
    assert err.value.msg == 'priority: %d is outside 0-65535' % value


def test_ports_empty_list_means_no_ports():
    assert Bridge().desired(params(ports=[], purge_ports=True))['ports'] == []


def test_ports_repeat_is_refused():
    with pytest.raises(VnetError, match=r"^ports: 'veth0' is listed twice$"):
        Bridge().desired(params(ports=['veth0', 'veth1', 'veth0']))


def test_ports_invalid_name_is_refused():
    with pytest.raises(VnetError, match='^ports: '):
        Bridge().desired(params(ports=['eth0', 'x' * 16]))


def test_bridge_cannot_be_its_own_port():
    with pytest.raises(VnetError) as err:
        Bridge().desired(params(ports=['veth0', 'br0']))
    assert err.value.msg == 'ports: a bridge cannot be its own port (br0)'


@pytest.mark.parametrize(
    'overrides, option',
    [
        (dict(name='bad name'), 'name'),
        (dict(name='x' * 16), 'name'),
        (dict(namespace='../x'), 'namespace'),
        (dict(mtu=67), 'mtu'),
        (dict(mac_address='01:00:5e:00:00:01'), 'mac_address'),
        (dict(addresses=['10.0.0.1']), 'addresses'),
        (dict(master='a/b'), 'master'),
    ],
)
def test_common_options_are_validated_with_their_name(overrides, option):
    with pytest.raises(VnetError) as err:
        Bridge().desired(params(**overrides))
    assert err.value.msg.startswith(option + ': ')


def test_master_empty_string_means_detach():
    assert Bridge().desired(params(master=''))['master'] == ''
    assert Bridge().desired(params(master='br1'))['master'] == 'br1'


def test_seconds_and_clock_t_units():
    assert clock_t(15) == 1500
    assert clock_t(2.01) == 201
    assert seconds(1500) == 15.0
    assert seconds(201) == 2.01


@settings(max_examples=300, deadline=None, database=None)
@given(st.sampled_from(TIMERS), st.data())
def test_desired_timer_survives_the_netlink_unit_round_trip(name, data):
    # The kernel is sent clock_t(desired) and read back through seconds(): the read-back must equal
    # the desired value, or every run would report a change.
    low, high = TIMER_RANGES[name]
    value = data.draw(st.floats(min_value=low, max_value=high, allow_nan=False), label=name)
    desired = Bridge().desired(params(**{name: value}))[name]
    assert seconds(clock_t(desired)) == desired
    assert Bridge().desired(params(**{name: desired}))[name] == desired  # idempotent normalisation
