# -*- coding: utf-8 -*-
# Copyright: linux.vnet contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Example-based tests of the validation and normalisation layer (pure functions)."""

from __future__ import annotations

import pytest

from ansible_collections.linux.vnet.plugins.module_utils import _vnet_validate as validate
from ansible_collections.linux.vnet.plugins.module_utils._vnet_errors import VnetError

# ---- interface_name ----------------------------------------------------------------------------


@pytest.mark.parametrize('name', ['eth0', 'v', 'br-lab.10', 'a' * 15, 'veth_a@b', 'é' * 7, 'x.y', '...'])
def test_interface_name_accepts_and_returns_unchanged(name):
    assert validate.interface_name('name', name) == name


@pytest.mark.parametrize(
    'name, fragment',
    [
        ('', 'non-empty string'),
        (None, 'non-empty string'),
        (5, 'non-empty string'),
        (['eth0'], 'non-empty string'),
        ('a' * 16, '16 bytes, the kernel allows at most 15'),
        ('é' * 8, '16 bytes'),  # 8 characters, 16 bytes in UTF-8
        ('.', 'not a valid interface name'),
        ('..', 'not a valid interface name'),
        ('a/b', "'/'"),
        ('a:b', "':'"),
        ('a b', "' '"),
        ('a\tb', "'\\t'"),
        ('eth0\n', "'\\n'"),
        ('a\x00b', "'\\x00'"),
        ('a\x7fb', "'\\x7f'"),
        ('a\u00a0b', "'\\xa0'"),
    ],
)
def test_interface_name_rejects_with_option_and_rule(name, fragment):
    with pytest.raises(VnetError) as err:
        validate.interface_name('peer', name)
    assert err.value.msg.startswith('peer: ')
    assert fragment in err.value.msg


def test_interface_name_lists_every_bad_character_once():
    with pytest.raises(VnetError) as err:
        validate.interface_name('name', 'a:b:c/d')
    assert "must not contain '/', ':'" in err.value.msg


def test_interface_name_rejects_utf8_byte_0xa0_the_kernel_treats_as_space():
    # The kernel's dev_valid_name() tests every *byte* with its isspace(), and lib/ctype.c
    # classes 0xA0 as space: 'aà' (61 c3 a0) gets EINVAL from RTM_NEWLINK, while 'aá' (61 c3 a1)
    # is accepted. Validation must refuse it before anything is changed.
    assert 'à'.encode('utf-8') == b'\xc3\xa0'
    with pytest.raises(VnetError) as err:
        validate.interface_name('name', 'aà')
    assert err.value.msg.startswith('name: ')


def test_interface_name_lone_surrogate_is_a_vnet_error():
    # JSON module arguments can carry '\ud800'; encoding it must not escape as UnicodeEncodeError.
    with pytest.raises(VnetError):
        validate.interface_name('name', 'eth\ud800')


# ---- namespace_name ----------------------------------------------------------------------------


@pytest.mark.parametrize('name', ['lab', 'ns-1', 'a.b_c-D9', '...', 'n' * 255])
def test_namespace_name_accepts(name):
    assert validate.namespace_name('namespace', name) == name


def test_namespace_name_none_is_the_host_namespace():
    assert validate.namespace_name('namespace', None) is None


@pytest.mark.parametrize('name', ['', '.', '..', 'a/b', '../etc', 'a b', 'ns:1', 'n' * 256, 'ñs', 'ns\x00', 5, ['lab']])
def test_namespace_name_rejects(name):
    with pytest.raises(VnetError) as err:
        validate.namespace_name('peer_namespace', name)
    assert err.value.msg.startswith('peer_namespace: ')


def test_namespace_name_rejects_trailing_newline():
    # '$' in _NAMESPACE_RE also matches just before a final '\n', so 'ns1\n' slips through and
    # would become the file /run/netns/ns1<newline>.
    with pytest.raises(VnetError):
        validate.namespace_name('namespace', 'ns1\n')


def test_namespace_name_message_truncates_huge_values():
    with pytest.raises(VnetError) as err:
        validate.namespace_name('namespace', '/' * 10000)
    assert len(err.value.msg) < 400


# ---- mac_address -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    'value, expected',
    [
        ('02:00:00:00:00:01', '02:00:00:00:00:01'),
        ('02:AB:cd:EF:00:01', '02:ab:cd:ef:00:01'),
        ('02-00-5E-10-00-00', '02:00:5e:10:00:00'),
        ('  52:54:00:12:34:56\n', '52:54:00:12:34:56'),
        ('fe:ff:ff:ff:ff:ff', 'fe:ff:ff:ff:ff:ff'),
    ],
)
def test_mac_address_normalises_to_lower_colon_form(value, expected):
    assert validate.mac_address('mac_address', value) == expected


def test_mac_address_none_means_leave_alone():
    assert validate.mac_address('mac_address', None) is None


@pytest.mark.parametrize(
    'value, fragment',
    [
        ('01:00:5e:00:00:01', 'multicast'),
        ('ff:ff:ff:ff:ff:ff', 'multicast'),
        ('03:00:00:00:00:00', 'multicast'),
        ('00:00:00:00:00:00', 'all-zero'),
        ('02:00:00:00:00', 'not a MAC address'),
        ('02:00:00:00:00:00:01', 'not a MAC address'),
        ('0200.0000.0001', 'not a MAC address'),
        ('020000000001', 'not a MAC address'),
        ('02:00:00:00:00:0g', 'not a MAC address'),
        ('2:0:0:0:0:1', 'not a MAC address'),
        ('', 'not a MAC address'),
        (12, 'not a MAC address'),
    ],
)
def test_mac_address_rejects(value, fragment):
    with pytest.raises(VnetError) as err:
        validate.mac_address('peer_mac_address', value)
    assert err.value.msg.startswith('peer_mac_address: ')
    assert fragment in err.value.msg


# ---- interface_address(es) ---------------------------------------------------------------------


@pytest.mark.parametrize(
    'value, expected',
    [
        ('10.0.0.1/24', '10.0.0.1/24'),
        (' 10.0.0.1/24 ', '10.0.0.1/24'),
        ('10.0.0.1/255.255.255.0', '10.0.0.1/24'),
        ('10.0.0.0/24', '10.0.0.0/24'),
        ('192.0.2.7/32', '192.0.2.7/32'),
        ('FD00:0:0:0::0001/64', 'fd00::1/64'),
        ('2001:db8::1/128', '2001:db8::1/128'),
    ],
)
def test_interface_address_normalises(value, expected):
    assert validate.interface_address('addresses', value) == expected


@pytest.mark.parametrize(
    'value, fragment',
    [
        ('10.0.0.1', 'needs a prefix length'),
        ('fd00::1', 'needs a prefix length'),
        ('10.0.0.1/33', 'not a valid address in CIDR form'),
        ('fd00::1/129', 'not a valid address in CIDR form'),
        ('10.0.0.256/24', 'not a valid address in CIDR form'),
        ('host.example/24', 'not a valid address in CIDR form'),
        ('10.0.0.1/24/1', 'not a valid address in CIDR form'),
        ('/24', 'not a valid address in CIDR form'),
    ],
)
def test_interface_address_rejects(value, fragment):
    with pytest.raises(VnetError) as err:
        validate.interface_address('peer_addresses', value)
    assert err.value.msg.startswith('peer_addresses: ')
    assert fragment in err.value.msg


def test_interface_address_rejects_ipv6_scope_id():
    # 'fe80::1%eth0/64' is accepted by ipaddress (scoped addresses, Python >= 3.9) but is not
    # an address netlink can carry; it must fail in validation, not at the kernel.
    with pytest.raises(VnetError):
        validate.interface_address('addresses', 'fe80::1%eth0/64')


def test_interface_addresses_sorted_ipv4_first_then_numerically():
    values = ['fd00::1/64', '10.0.0.10/24', '10.0.0.9/24', '2001:db8::1/64', '192.0.2.1/24']
    assert validate.interface_addresses('addresses', values) == [
        '10.0.0.9/24',
        '10.0.0.10/24',
        '192.0.2.1/24',
        '2001:db8::1/64',
        'fd00::1/64',
    ]


def test_interface_addresses_none_is_leave_alone_and_empty_is_no_addresses():
    assert validate.interface_addresses('addresses', None) is None
    assert validate.interface_addresses('addresses', []) == []


def test_interface_addresses_duplicate_after_normalisation():
    with pytest.raises(VnetError) as err:
        validate.interface_addresses('addresses', ['fd00::1/64', 'FD00:0::1/64'])
    assert err.value.msg == 'addresses: address fd00::1/64 is listed twice'


def test_interface_addresses_same_host_different_prefix():
    with pytest.raises(VnetError) as err:
        validate.interface_addresses('addresses', ['10.0.0.1/24', '10.0.0.1/16'])
    assert 'same address with different prefixes' in err.value.msg
    assert '10.0.0.1/24' in err.value.msg and '10.0.0.1/16' in err.value.msg


def test_interface_addresses_reports_the_bad_item():
    with pytest.raises(VnetError) as err:
        validate.interface_addresses('addresses', ['10.0.0.1/24', 'nonsense'])
    assert "'nonsense'" in err.value.msg


def test_sort_addresses_and_link_local():
    assert validate.sort_addresses(['fe80::1/64', '10.0.0.1/8']) == ['10.0.0.1/8', 'fe80::1/64']
    assert validate.is_ipv6_link_local('fe80::1/64')
    assert not validate.is_ipv6_link_local('169.254.1.1/16')
    assert not validate.is_ipv6_link_local('fd00::1/64')


# ---- mtu ---------------------------------------------------------------------------------------


@pytest.mark.parametrize('value', [68, 1500, 9000, 65535])
def test_mtu_accepts_range(value):
    assert validate.mtu('mtu', value) == value


def test_mtu_none_and_custom_range():
    assert validate.mtu('mtu', None) is None
    assert validate.mtu('mtu', 1280, minimum=1280) == 1280
    with pytest.raises(VnetError, match=r'^mtu: 1279 is outside 1280-65535$'):
        validate.mtu('mtu', 1279, minimum=1280)


@pytest.mark.parametrize('value', [67, 0, -1, 65536, 2**40])
def test_mtu_rejects_out_of_range(value):
    with pytest.raises(VnetError) as err:
        validate.mtu('mtu', value)
    assert err.value.msg == 'mtu: %d is outside 68-65535' % value


# ---- unique_names ------------------------------------------------------------------------------


def test_unique_names_keeps_order():
    assert validate.unique_names('ports', ['b', 'a', 'c']) == ['b', 'a', 'c']
    assert validate.unique_names('ports', None) is None
    assert validate.unique_names('ports', []) == []


def test_unique_names_repeat():
    with pytest.raises(VnetError) as err:
        validate.unique_names('ports', ['a', 'b', 'a'])
    assert err.value.msg == "ports: 'a' is listed twice"


def test_unique_names_checks_each_name():
    with pytest.raises(VnetError) as err:
        validate.unique_names('ports', ['ok', 'not ok'])
    assert err.value.msg.startswith('ports: ')


# ---- sysctls / sysctl_path ---------------------------------------------------------------------


def test_sysctls_normalises_values_to_single_spaced_text():
    values = {
        'net.ipv4.ip_forward': True,
        'net.ipv6.conf.all.disable_ipv6': False,
        'net.ipv4.ip_local_port_range': ' 32768 \t 60999 ',
        'net.core.somaxconn': 4096,
        'net/ipv4/conf/eth0.100/forwarding': '1',
    }
    assert validate.sysctls('sysctls', values) == {
        'net.ipv4.ip_forward': '1',
        'net.ipv6.conf.all.disable_ipv6': '0',
        'net.ipv4.ip_local_port_range': '32768 60999',
        'net.core.somaxconn': '4096',
        'net/ipv4/conf/eth0.100/forwarding': '1',
    }


def test_sysctls_empty():
    assert validate.sysctls('sysctls', None) == {}
    assert validate.sysctls('sysctls', {}) == {}


@pytest.mark.parametrize(
    'key',
    [
        'kernel.hostname',
        'vm.swappiness',
        'net',
        'net.',
        'net.ipv4..ip_forward',
        'net/../kernel/hostname',
        'net.ipv4.ip forward',
        'NET.ipv4.ip_forward',
        '/net/ipv4/ip_forward',
        5,
        '',
    ],
)
def test_sysctls_rejects_keys_outside_net(key):
    with pytest.raises(VnetError) as err:
        validate.sysctls('sysctls', {key: 1})
    assert err.value.msg.startswith('sysctls: ')
    assert 'per-namespace sysctl' in err.value.msg


def test_sysctls_rejects_key_with_trailing_newline():
    # '$' in _SYSCTL_KEY_RE matches before a final '\n'.
    with pytest.raises(VnetError):
        validate.sysctls('sysctls', {'net.ipv4.ip_forward\n': 1})


@pytest.mark.parametrize('value', ['', '   ', 'a\nb', '1\r\n2'])
def test_sysctls_rejects_empty_or_multi_line_values(value):
    with pytest.raises(VnetError) as err:
        validate.sysctls('sysctls', {'net.ipv4.ip_forward': value})
    assert err.value.msg == 'sysctls: value of net.ipv4.ip_forward must be a single non-empty line'


@pytest.mark.parametrize('value', [None, {'a': 1}], ids=['none', 'dict'])
def test_sysctls_rejects_values_that_are_not_scalars(value):
    # A YAML key without a value gives None; str() would write the text 'None' (or "{'a': 1}") into
    # /proc/sys. Validation should refuse it instead of letting the kernel reject it later.
    with pytest.raises(VnetError):
        validate.sysctls('sysctls', {'net.ipv4.ip_forward': value})


@pytest.mark.parametrize(
    'key, path',
    [
        ('net.ipv4.ip_forward', 'net/ipv4/ip_forward'),
        ('net/ipv4/conf/eth0.100/forwarding', 'net/ipv4/conf/eth0.100/forwarding'),
        ('net.core.somaxconn', 'net/core/somaxconn'),
    ],
)
def test_sysctl_path(key, path):
    assert validate.sysctl_path(key) == path
