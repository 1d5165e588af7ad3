# -*- coding: utf-8 -*-
# Copyright: linux.vnet contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Domain errors of linux.vnet and the translation of kernel errors into them.

Everything below module_utils raises VnetError; the module wrapper turns it into
fail_json exactly once.
"""

from __future__ import annotations

import errno

# errno 95 when creating a link of this kind means the kernel was built without it.
KIND_KERNEL_OPTIONS = {
    'veth': 'CONFIG_VETH',
    'bridge': 'CONFIG_BRIDGE',
    'macvlan': 'CONFIG_MACVLAN',
    'macvtap': 'CONFIG_MACVTAP',
    'ipvlan': 'CONFIG_IPVLAN',
    'ipvtap': 'CONFIG_IPVTAP',
    'vxlan': 'CONFIG_VXLAN',
    'dummy': 'CONFIG_DUMMY',
    'vlan': 'CONFIG_VLAN_8021Q',
}


class VnetError(Exception):
    """A failure the user can act on; ``details`` go into the module result."""

    def __init__(self, msg, **details):
        super().__init__(msg)
        self.msg = msg
        self.details = details


def netlink_code(exc):
    """The errno of a pyroute2 NetlinkError or an OSError, else None."""
    code = getattr(exc, 'code', None)
    if code is None:
        code = getattr(exc, 'errno', None)
    return code


def translate(exc, action, kind=None):
    """Turn a kernel error raised while doing ``action`` into a VnetError."""
    code = netlink_code(exc)
    reason = {
        errno.EEXIST: 'an object with that name already exists',
        errno.ENODEV: 'the device does not exist (it may have been removed meanwhile)',
        errno.EPERM: 'permission denied: linux.vnet modules need root (become: true)',
        errno.EACCES: 'permission denied: linux.vnet modules need root (become: true)',
        errno.EBUSY: 'the device is busy (in use by another device or process)',
        errno.EINVAL: 'the kernel rejected the request as invalid',
        errno.ERANGE: 'a value is out of the range the kernel accepts',
    }.get(code, str(exc))
    if code == errno.EOPNOTSUPP and kind:
        option = KIND_KERNEL_OPTIONS.get(kind, 'CONFIG_' + kind.upper())
        reason = 'this kernel has no %s support (%s)' % (kind, option)
    elif code == errno.EOPNOTSUPP:
        reason = 'this kernel does not support the operation'
    return VnetError('%s failed: %s' % (action, reason), errno=code, kernel_message=str(exc))
