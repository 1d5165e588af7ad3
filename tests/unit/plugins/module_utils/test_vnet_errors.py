# -*- coding: utf-8 -*-
# Copyright: linux.vnet contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Translation of kernel errors (netlink and OS errors) into VnetError."""

from __future__ import annotations

import errno

import pytest
from pyroute2.netlink.exceptions import NetlinkError

from ansible_collections.linux.vnet.plugins.module_utils import _vnet_errors as errors
from ansible_collections.linux.vnet.plugins.module_utils._vnet_errors import VnetError, netlink_code, translate


def test_vnet_error_carries_msg_and_details():
    exc = VnetError('boom', errno=17, failed_step='x')
    assert str(exc) == 'boom'
    assert exc.msg == 'boom'
    assert exc.details == {'errno': 17, 'failed_step': 'x'}
    assert VnetError('plain').details == {}


def test_netlink_code():
    assert netlink_code(NetlinkError(17)) == 17
    assert netlink_code(OSError(errno.ENOENT, 'No such file or directory')) == errno.ENOENT
    assert netlink_code(ValueError('x')) is None
    assert netlink_code(OSError('no errno')) is None


@pytest.mark.parametrize(
    'kind, option',
    [
        ('veth', 'CONFIG_VETH'),
        ('bridge', 'CONFIG_BRIDGE'),
        ('macvlan', 'CONFIG_MACVLAN'),
        ('macvtap', 'CONFIG_MACVTAP'),
        ('ipvlan', 'CONFIG_IPVLAN'),
        ('vxlan', 'CONFIG_VXLAN'),
        ('vlan', 'CONFIG_VLAN_8021Q'),
        ('geneve', 'CONFIG_GENEVE'),  # not in the table: derived from the kind
    ],
)
def test_eopnotsupp_with_kind_names_the_kernel_option(kind, option):
    err = translate(NetlinkError(errno.EOPNOTSUPP), 'create %s x' % kind, kind)
    assert isinstance(err, VnetError)
    assert err.msg == 'create %s x failed: this kernel has no %s support (%s)' % (kind, kind, option)
    assert err.details['errno'] == 95


def test_eopnotsupp_is_errno_95():
    assert errno.EOPNOTSUPP == 95
    assert errors.KIND_KERNEL_OPTIONS['ipvlan'] == 'CONFIG_IPVLAN'


def test_eopnotsupp_without_kind():
    err = translate(NetlinkError(95), 'set stp=True on br0')
    assert err.msg == 'set stp=True on br0 failed: this kernel does not support the operation'


@pytest.mark.parametrize(
    'code, fragment',
    [
        (errno.EEXIST, 'an object with that name already exists'),
        (errno.ENODEV, 'the device does not exist'),
        (errno.EPERM, 'permission denied: linux.vnet modules need root (become: true)'),
        (errno.EACCES, 'permission denied: linux.vnet modules need root (become: true)'),
        (errno.EBUSY, 'the device is busy'),
        (errno.EINVAL, 'the kernel rejected the request as invalid'),
        (errno.ERANGE, 'out of the range'),
    ],
)
def test_known_errnos_have_readable_reasons(code, fragment):
    err = translate(NetlinkError(code), 'create bridge br0', 'bridge')
    assert err.msg.startswith('create bridge br0 failed: ')
    assert fragment in err.msg
    assert err.details == {'errno': code, 'kernel_message': str(NetlinkError(code))}


def test_kind_does_not_change_other_errnos():
    err = translate(NetlinkError(errno.EEXIST), 'create veth v0', 'veth')
    assert 'CONFIG_' not in err.msg
    assert 'already exists' in err.msg


def test_os_error_is_translated_too():
    err = translate(PermissionError(errno.EPERM, 'Operation not permitted'), 'create namespace lab')
    assert err.msg == 'create namespace lab failed: permission denied: linux.vnet modules need root (become: true)'
    assert err.details['errno'] == errno.EPERM


def test_unknown_errno_falls_back_to_the_kernel_text():
    exc = NetlinkError(errno.ENOSPC, 'No space left on device')
    err = translate(exc, 'add address 10.0.0.1/24')
    assert err.msg == 'add address 10.0.0.1/24 failed: %s' % exc
    assert err.details['kernel_message'] == str(exc)
