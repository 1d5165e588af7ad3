# -*- coding: utf-8 -*-
# Copyright: linux.vnet contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Property-based tests of the validation layer.

For arbitrary input every validator either returns a normalised value or raises VnetError (never
another exception), normalising its own output again changes nothing, and what it accepts obeys
the rule it enforces.
"""

from __future__ import annotations

import ipaddress
import re

from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from ansible_collections.linux.vnet.plugins.module_utils import _vnet_validate as validate
from ansible_collections.linux.vnet.plugins.module_utils._vnet_errors import VnetError

# Derandomised (the same examples on every run, so CI cannot flake) and without an example database.
PROPERTY = settings(
    max_examples=100, deadline=None, database=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)

NAMESPACE_RULE = re.compile(r'[A-Za-z0-9_.-]{1,255}')
MAC_RULE = re.compile(r'[0-9a-f]{2}(:[0-9a-f]{2}){5}')
SYSCTL_KEY_RULE = re.compile(r'net[./][A-Za-z0-9_./-]+')

# Characters near the rules' edges, so that generated values are often accepted and often nearly so.
EDGY = list('abcXYZ019_-.@') + ['/', ':', ' ', '\t', '\n', '\r', '\x00', '\x7f', '\x85', '\xa0', 'é', 'ß', '\u2028']
edgy_text = st.text(alphabet=st.sampled_from(EDGY), max_size=20)
texts = st.one_of(st.text(), edgy_text)
scalars = st.one_of(texts, st.integers(), st.booleans(), st.none(), st.floats())
anything = st.one_of(scalars, st.lists(scalars, max_size=5))


def outcome(func, *args):
    """The normalised value, or the VnetError; any other exception propagates and fails the test."""
    try:
        return func(*args)
    except VnetError as exc:
        assert isinstance(exc.msg, str) and exc.msg
        return exc


# ---- interface_name ----------------------------------------------------------------------------


@PROPERTY
@given(anything)
@example('a' * 16)
@example('é' * 8)
@example('..')
@example('eth0\n')
def test_interface_name_returns_a_valid_name_or_vnet_error(value):
    result = outcome(validate.interface_name, 'name', value)
    if isinstance(result, VnetError):
        assert result.msg.startswith('name: ')
        return
    assert result == value
    assert 1 <= len(result.encode('utf-8')) <= 15
    assert result not in ('.', '..')
    assert not any(c in '/:' or c.isspace() for c in result)
    assert validate.interface_name('name', result) == result


@PROPERTY
@given(st.one_of(st.text(min_size=16), st.text(alphabet=st.characters(min_codepoint=0x80, codec='utf-8'), min_size=8)))
def test_interface_name_never_accepts_more_than_15_bytes(value):
    assert len(value.encode('utf-8', 'surrogatepass')) > 15
    result = outcome(validate.interface_name, 'name', value)
    assert isinstance(result, VnetError)


@PROPERTY
@given(st.text(alphabet=st.characters(max_codepoint=0x7E, min_codepoint=0x21, exclude_characters='/:'), max_size=15))
def test_interface_name_accepts_every_short_printable_ascii_name(value):
    assume(value not in ('', '.', '..'))
    assert validate.interface_name('name', value) == value


# ---- namespace_name ----------------------------------------------------------------------------


@PROPERTY
@given(st.one_of(anything, st.text(alphabet='ab.-_\n', max_size=6)))
@example('ns1\n')
@example('n' * 256)
def test_namespace_name_returns_a_file_name_or_vnet_error(value):
    result = outcome(validate.namespace_name, 'namespace', value)
    if value is None:
        assert result is None
        return
    if isinstance(result, VnetError):
        assert result.msg.startswith('namespace: ')
        return
    assert result == value
    assert NAMESPACE_RULE.fullmatch(result), 'accepted %r' % result
    assert result not in ('.', '..')
    assert validate.namespace_name('namespace', result) == result


# ---- mac_address -------------------------------------------------------------------------------


@st.composite
def mac_texts(draw):
    octets = draw(st.lists(st.integers(0, 255), min_size=6, max_size=6))
    separator = draw(st.sampled_from([':', '-']))
    text = separator.join('%02x' % o for o in octets)
    text = ''.join(c.upper() if draw(st.booleans()) else c for c in text)
    return draw(st.sampled_from(['', ' ', '\t'])) + text + draw(st.sampled_from(['', ' ', '\n']))


@PROPERTY
@given(st.one_of(anything, mac_texts()))
def test_mac_address_returns_unicast_colon_form_or_vnet_error(value):
    result = outcome(validate.mac_address, 'mac_address', value)
    if value is None:
        assert result is None
        return
    if isinstance(result, VnetError):
        assert result.msg.startswith('mac_address: ')
        return
    assert MAC_RULE.fullmatch(result)
    assert not int(result[:2], 16) & 1
    assert result != '00:00:00:00:00:00'
    assert validate.mac_address('mac_address', result) == result


@PROPERTY
@given(mac_texts())
def test_mac_address_accepts_exactly_the_unicast_non_zero_ones(value):
    canonical = value.strip().lower().replace('-', ':')
    acceptable = not int(canonical[:2], 16) & 1 and canonical != '00:00:00:00:00:00'
    result = outcome(validate.mac_address, 'mac_address', value)
    assert result == canonical if acceptable else isinstance(result, VnetError)


# ---- interface_address(es) ---------------------------------------------------------------------


@st.composite
def cidr_texts(draw):
    address = draw(st.ip_addresses())
    prefix = draw(st.integers(0, address.max_prefixlen))
    text = '%s/%d' % (address, prefix)
    if draw(st.booleans()):
        text = text.upper()
    return draw(st.sampled_from(['', ' '])) + text + draw(st.sampled_from(['', ' ', '\n']))


cidrs = st.one_of(cidr_texts(), texts, st.integers())


@PROPERTY
@given(st.one_of(anything, cidr_texts()))
def test_interface_address_returns_normalised_cidr_or_vnet_error(value):
    result = outcome(validate.interface_address, 'addresses', value)
    if isinstance(result, VnetError):
        assert result.msg.startswith('addresses: ')
        return
    assert result == str(ipaddress.ip_interface(result))
    assert '/' in result
    assert validate.interface_address('addresses', result) == result


def assignable(ip):
    """What an interface can hold: not unspecified, not multicast, not the IPv6 loopback."""
    return not (ip.is_unspecified or ip.is_multicast or (ip.version == 6 and ip.is_loopback))


@PROPERTY
@given(cidr_texts())
@example('0.0.0.0/0')
@example('::/0')
@example('224.0.0.1/4')
@example('ff02::1/64')
@example('::1/128')
def test_interface_address_accepts_exactly_the_assignable_addresses_with_a_prefix(value):
    iface = ipaddress.ip_interface(value.strip())
    result = outcome(validate.interface_address, 'addresses', value)
    if assignable(iface.ip):
        assert result == str(iface)
    else:
        assert isinstance(result, VnetError) and 'must be unicast' in result.msg


@PROPERTY
@given(st.lists(st.one_of(cidr_texts(), cidr_texts(), texts), max_size=6))
def test_interface_addresses_returns_a_sorted_set_or_vnet_error(values):
    result = outcome(validate.interface_addresses, 'addresses', values)
    if isinstance(result, VnetError):
        assert result.msg.startswith('addresses: ')
        return
    assert len(result) == len(values)
    assert result == validate.sort_addresses(result)
    assert len({str(ipaddress.ip_interface(a).ip) for a in result}) == len(result)
    assert sorted(result) == sorted(validate.interface_address('addresses', v) for v in values)
    assert validate.interface_addresses('addresses', result) == result


# ---- mtu ---------------------------------------------------------------------------------------


@PROPERTY
@given(st.one_of(st.integers(), st.booleans(), st.none()), st.integers(0, 2000), st.integers(1000, 70000))
def test_mtu_returns_value_in_range_or_vnet_error(value, minimum, maximum):
    result = outcome(validate.mtu, 'mtu', value, minimum, maximum)
    if value is None:
        assert result is None
        return
    if isinstance(result, VnetError):
        assert result.msg.startswith('mtu: ')
        assert not minimum <= value <= maximum
        return
    assert minimum <= result <= maximum
    assert validate.mtu('mtu', result, minimum, maximum) == result


# ---- unique_names ------------------------------------------------------------------------------


@PROPERTY
@given(st.lists(st.one_of(edgy_text, st.sampled_from(['veth0', 'veth1', 'eth0'])), max_size=6))
def test_unique_names_returns_the_list_or_vnet_error(values):
    result = outcome(validate.unique_names, 'ports', values)
    if isinstance(result, VnetError):
        assert result.msg.startswith('ports: ')
        return
    assert result == values
    assert len(set(result)) == len(result)
    assert validate.unique_names('ports', result) == result


# ---- sysctls / sysctl_path ---------------------------------------------------------------------

sysctl_keys = st.one_of(
    st.sampled_from(['net.ipv4.ip_forward', 'net/ipv4/conf/eth0.10/forwarding', 'net.core.somaxconn']),
    st.builds(lambda a, b: 'net' + a + b, st.sampled_from(['.', '/', '']), edgy_text),
    texts,
)
sysctl_values = st.one_of(texts, st.integers(), st.booleans(), st.floats(allow_nan=False))


@PROPERTY
@given(st.dictionaries(sysctl_keys, sysctl_values, max_size=4))
@example({'net.ipv4.ip_forward\n': 1})
@example({'net/../kernel/hostname': 'x'})
def test_sysctls_returns_single_line_net_settings_or_vnet_error(values):
    result = outcome(validate.sysctls, 'sysctls', values)
    if isinstance(result, VnetError):
        assert result.msg.startswith('sysctls: ')
        return
    assert set(result) == set(values)
    for key, value in result.items():
        assert SYSCTL_KEY_RULE.fullmatch(key), 'accepted key %r' % key
        assert '..' not in key
        assert value and value == ' '.join(value.split())
        path = validate.sysctl_path(key)
        assert path.startswith('net/') and '..' not in path.split('/')
    assert validate.sysctls('sysctls', result) == result
