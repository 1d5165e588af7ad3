# -*- coding: utf-8 -*-
# Copyright: linux.vnet contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Input validation and normalisation: pure functions, no kernel access.

Every function names the option it checks, so that a message tells the user
which line of the playbook is wrong.
"""

from __future__ import annotations

import ipaddress
import math
import re

from ansible_collections.linux.vnet.plugins.module_utils._vnet_errors import VnetError

IFNAMSIZ = 16  # kernel limit including the trailing NUL
NAMESPACE_MAX = 255
_NAMESPACE_RE = re.compile(r'^[A-Za-z0-9_.-]+$')
_MAC_RE = re.compile(r'^[0-9a-f]{2}(:[0-9a-f]{2}){5}$')
_SYSCTL_KEY_RE = re.compile(r'^net[./][A-Za-z0-9_./-]+$')


# The kernel (dev_valid_name) refuses '/', ':' and the bytes its isspace() accepts, NBSP (0xa0) included.
_BAD_NAME_BYTES = frozenset(b'/:\t\n\v\f\r \xa0\x00')


def interface_name(option, value):
    """An interface name the kernel accepts: 1-15 bytes, no '/', ':' or whitespace."""
    if not isinstance(value, str) or value == '':
        raise VnetError('%s: an interface name must be a non-empty string' % option)
    try:
        raw = value.encode('utf-8')
    except UnicodeEncodeError:
        raise VnetError('%s: interface name %r is not valid UTF-8 text' % (option, value)) from None
    if len(raw) > IFNAMSIZ - 1:
        raise VnetError(
            '%s: interface name %r is %d bytes, the kernel allows at most %d' % (option, value, len(raw), IFNAMSIZ - 1)
        )
    if value in ('.', '..'):
        raise VnetError('%s: %r is not a valid interface name' % (option, value))
    bad = sorted(
        {c for c in value if c in '/:' or c.isspace() or ord(c) < 32 or ord(c) == 127}
        | {c for c in value if any(byte in _BAD_NAME_BYTES for byte in c.encode('utf-8'))}
    )
    if bad:
        raise VnetError(
            '%s: interface name %r must not contain %s (no /, :, whitespace or control characters)'
            % (option, value, ', '.join(repr(c) for c in bad))
        )
    return value


def namespace_name(option, value):
    """A named namespace is a file in /run/netns: letters, digits, '_', '.', '-'."""
    if value is None:
        return None
    if not isinstance(value, str) or value == '':
        raise VnetError('%s: a namespace name must be a non-empty string' % option)
    if value in ('.', '..') or len(value) > NAMESPACE_MAX or not _NAMESPACE_RE.fullmatch(value):
        raise VnetError(
            '%s: %r is not a valid namespace name (a file name of at most %d characters '
            'from A-Z a-z 0-9 _ . -, not "." or "..")' % (option, value[:80], NAMESPACE_MAX)
        )
    return value


def mac_address(option, value):
    """Lower-case colon form; multicast and all-zero addresses are refused."""
    if value is None:
        return None
    text = str(value).strip().lower().replace('-', ':')
    if not _MAC_RE.match(text):
        raise VnetError(
            '%s: %r is not a MAC address (expected six hex pairs, e.g. 02:00:00:00:00:01)' % (option, value)
        )
    if int(text[:2], 16) & 1:
        raise VnetError('%s: %s is a multicast address; an interface needs a unicast MAC' % (option, text))
    if text == '00:00:00:00:00:00':
        raise VnetError('%s: the all-zero MAC address cannot be assigned' % option)
    return text


def interface_address(option, value):
    """One address with prefix length, normalised ('10.0.0.1/24', 'fd00::1/64')."""
    text = str(value).strip()
    if '%' in text:
        raise VnetError('%s: %r has a scope id; give the address without %%<interface>' % (option, value))
    if '/' not in text:
        raise VnetError('%s: %r needs a prefix length (for example 10.0.0.1/24)' % (option, value))
    try:
        iface = ipaddress.ip_interface(text)
    except ValueError as exc:
        raise VnetError('%s: %r is not a valid address in CIDR form: %s' % (option, value, exc)) from None
    # The kernel refuses these for IPv6 (EADDRNOTAVAIL) and silently ignores 0.0.0.0 for IPv4.
    ip = iface.ip
    if ip.is_unspecified or ip.is_multicast or (ip.version == 6 and ip.is_loopback):
        what = 'the unspecified' if ip.is_unspecified else 'a multicast' if ip.is_multicast else 'the loopback'
        raise VnetError('%s: %s is %s address; an interface address must be unicast' % (option, iface, what))
    return str(iface)


def interface_addresses(option, values):
    """The exact address set, normalised and sorted; duplicates are an error."""
    if values is None:
        return None
    result = []
    for item in values:
        normalised = interface_address(option, item)
        if normalised in result:
            raise VnetError('%s: address %s is listed twice' % (option, normalised))
        result.append(normalised)
    hosts = {}
    for item in result:
        ip = str(ipaddress.ip_interface(item).ip)
        if ip in hosts:
            raise VnetError('%s: %s and %s are the same address with different prefixes' % (option, hosts[ip], item))
        hosts[ip] = item
    return sort_addresses(result)


def sort_addresses(addresses):
    return sorted(addresses, key=lambda a: (ipaddress.ip_interface(a).version, ipaddress.ip_interface(a)))


def is_ipv6_link_local(address):
    return ipaddress.ip_interface(address).ip.is_link_local and ':' in address


def mtu(option, value, minimum=68, maximum=65535):
    if value is None:
        return None
    if not minimum <= value <= maximum:
        raise VnetError('%s: %d is outside %d-%d' % (option, value, minimum, maximum))
    return value


def unique_names(option, values):
    """A list of interface names without repeats."""
    if values is None:
        return None
    seen = []
    for value in values:
        interface_name(option, value)
        if value in seen:
            raise VnetError('%s: %r is listed twice' % (option, value))
        seen.append(value)
    return seen


def sysctls(option, values):
    """Only net.* keys are per-namespace; anything else would change the whole host."""
    if not values:
        return {}
    result = {}
    for key, value in values.items():
        if not isinstance(key, str) or not _SYSCTL_KEY_RE.fullmatch(key) or '..' in key:
            raise VnetError(
                '%s: %r is not a per-namespace sysctl; only net.* keys are namespaced '
                '(e.g. net.ipv4.ip_forward)' % (option, key)
            )
        if any(part in ('', '.') for part in sysctl_path(key).split('/')):
            # 'net//ipv4' or 'net.ipv4.' would name a directory of /proc/sys, not a setting
            raise VnetError(
                '%s: %r has an empty or "." part; name one setting, e.g. net.ipv4.ip_forward' % (option, key)
            )
        if isinstance(value, bool):
            value = int(value)
        if value is None or isinstance(value, (dict, list)):
            raise VnetError('%s: value of %s must be a number or a string, not %r' % (option, key, value))
        text = ' '.join(str(value).split())
        if text == '' or '\n' in str(value).strip():
            raise VnetError('%s: value of %s must be a single non-empty line' % (option, key))
        if _has_control(text):
            raise VnetError('%s: value of %s must not contain control characters (%r)' % (option, key, text))
        result[key] = text
    return result


def sysctl_path(key):
    """net.ipv4.ip_forward -> net/ipv4/ip_forward; a key with '/' is taken as a path (names with dots)."""
    return key if '/' in key else key.replace('.', '/')


def _has_control(text):
    return any(ord(c) < 32 or 127 <= ord(c) < 160 for c in text)


# The marker is the interface alias 'linux.vnet:<owner>'; the kernel keeps at most 255 bytes of it
# (IFALIASZ 256 with the NUL) and cuts it at a NUL, which would make a purge miss its own objects.
ALIAS_MAX = 255
OWNER_MAX = ALIAS_MAX - len('linux.vnet:')


def owner(option, value):
    """A vnet_topology owner: printable text that fits the interface alias with the marker."""
    if value is None or value == '':
        return None
    if not isinstance(value, str):
        raise VnetError('%s: must be a string' % option)
    try:
        size = len(value.encode('utf-8'))
    except UnicodeEncodeError:
        raise VnetError('%s: %r is not valid UTF-8 text' % (option, value)) from None
    if _has_control(value):
        raise VnetError('%s: %r must not contain control characters (newline, NUL, ...)' % (option, value[:80]))
    if size > OWNER_MAX:
        raise VnetError(
            '%s: %d bytes is too long; the marker linux.vnet:<owner> is an interface alias of at most %d bytes, '
            'so an owner has at most %d' % (option, size, ALIAS_MAX, OWNER_MAX)
        )
    return value


def seconds(option, value):
    """A timeout: a finite number of seconds above 0 (NaN or infinity would never expire)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value <= 0:
        raise VnetError('%s: %r is not a number of seconds above 0' % (option, value))
    return value
