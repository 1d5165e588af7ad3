# -*- coding: utf-8 -*-
# Copyright: linux.vnet contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ICMP echo from inside a namespace with a raw socket: no ping binary needed on the host."""

from __future__ import annotations

import errno
import ipaddress
import os
import select
import socket
import struct
import time

from ansible_collections.linux.vnet.plugins.module_utils._vnet_errors import VnetError

ECHO = {4: (8, 0), 6: (128, 129)}  # family -> (request type, reply type)
PAYLOAD = b'linux.vnet.vnet_ping'
# IP header + ICMP header in front of the echo data: size + HEADERS[version] is the packet on the wire
# (what has to fit the MTU). The largest data an IPv4 packet carries is 65535 - 20 - 8.
HEADERS = {4: 28, 6: 48}
SIZE_MAX = 65507
COUNT_MAX = 1000
# <linux/in.h>, <linux/in6.h>: never fragment locally, send with DF (IPv6 routers never fragment anyway)
IP_MTU_DISCOVER = getattr(socket, 'IP_MTU_DISCOVER', 10)
IPV6_MTU_DISCOVER = getattr(socket, 'IPV6_MTU_DISCOVER', 23)
PMTUDISC_DO = 2


def checksum(data):
    if len(data) % 2:
        data += b'\0'
    total = sum(struct.unpack('!%dH' % (len(data) // 2), data))
    total = (total >> 16) + (total & 0xFFFF)
    total += total >> 16
    return ~total & 0xFFFF


def target_address(value):
    try:
        return ipaddress.ip_address(str(value).strip())
    except ValueError:
        raise VnetError('targets: %r is not an IPv4 or IPv6 address' % (value,)) from None


def payload(size=None):
    """Echo data of ``size`` bytes (the marker repeated), or the bare marker when ``size`` is None."""
    if size is None:
        return PAYLOAD
    return (PAYLOAD * (size // len(PAYLOAD) + 1))[:size]


def echo_request(version, ident, seq, data):
    """An ICMP or ICMPv6 echo request carrying ``data`` (the kernel fills in the ICMPv6 checksum itself)."""
    request_type = ECHO[version][0]
    packet = struct.pack('!BBHHH', request_type, 0, 0, ident, seq) + data
    if version == 4:
        packet = struct.pack('!BBHHH', request_type, 0, checksum(packet), ident, seq) + data
    return packet


def open_socket(kernel, namespace, version, dont_fragment=False):
    """A raw ICMP socket living in ``namespace`` (sockets keep the namespace they were made in).

    With ``dont_fragment`` the kernel sets DF on IPv4 and never fragments locally: a packet larger
    than the path MTU fails to send (EMSGSIZE) or is dropped on the way, instead of arriving in pieces.
    """
    family, proto = (socket.AF_INET, socket.IPPROTO_ICMP) if version == 4 else (socket.AF_INET6, socket.IPPROTO_ICMPV6)
    with kernel.inside(namespace):
        sock = socket.socket(family, socket.SOCK_RAW, proto)
    if dont_fragment:
        try:
            if version == 4:
                sock.setsockopt(socket.IPPROTO_IP, IP_MTU_DISCOVER, PMTUDISC_DO)
            else:
                sock.setsockopt(socket.IPPROTO_IPV6, IPV6_MTU_DISCOVER, PMTUDISC_DO)
        except OSError:
            sock.close()
            raise
    return sock


def ping(kernel, namespace, target, count, timeout, interval=0.2, size=None, dont_fragment=False):
    """Send ``count`` echo requests to ``target``; return the per-target result."""
    address = target_address(target)
    reply_type = ECHO[address.version][1]
    ident = (os.getpid() ^ id(address)) & 0xFFFF
    data = payload(size)
    rtts = []
    send_error = None
    sock = open_socket(kernel, namespace, address.version, dont_fragment)
    try:
        for seq in range(1, count + 1):
            packet = echo_request(address.version, ident, seq, data)
            sent = time.monotonic()
            try:
                sock.sendto(packet, (str(address), 0))
            except OSError as exc:
                send_error = exc  # no route, or larger than the MTU with dont_fragment: counts as lost
                continue
            rtt = _wait_reply(sock, address, reply_type, ident, seq, sent, timeout)
            if rtt is not None:
                rtts.append(rtt)
            if seq < count:
                time.sleep(interval)
    finally:
        sock.close()
    result = {
        'target': str(address),
        'reachable': bool(rtts),
        'sent': count,
        'received': len(rtts),
        'loss_percent': round(100.0 * (count - len(rtts)) / count, 1),
        'packet_size': len(data) + HEADERS[address.version],
    }
    if send_error is not None:
        result['error'] = send_error_message(send_error, len(data) + HEADERS[address.version], dont_fragment)
    if rtts:
        result.update(
            rtt_min_ms=round(min(rtts), 3), rtt_avg_ms=round(sum(rtts) / len(rtts), 3), rtt_max_ms=round(max(rtts), 3)
        )
    return result


def send_error_message(exc, packet_size, dont_fragment):
    """Why an echo request could not leave, in words."""
    if getattr(exc, 'errno', None) == errno.EMSGSIZE:
        return 'a %d-byte packet is larger than the MTU of the route%s' % (
            packet_size,
            ' and dont_fragment forbids fragmenting it' if dont_fragment else '',
        )
    return 'could not send: %s' % (getattr(exc, 'strerror', None) or exc)


def _wait_reply(sock, address, reply_type, ident, seq, sent, timeout):
    """Round-trip time in ms of the matching echo reply, or None after ``timeout`` seconds."""
    deadline = sent + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        ready = select.select([sock], [], [], left)[0]
        if not ready:
            return None
        data, source = sock.recvfrom(65535)
        if ipaddress.ip_address(source[0].split('%')[0]) != address:
            continue
        if address.version == 4:
            data = data[(data[0] & 0x0F) * 4 :]  # IPv4 raw sockets include the IP header
        if len(data) < 8:
            continue
        kind, got_ident, got_seq = data[0], *struct.unpack('!HH', data[4:8])
        if kind == reply_type and got_ident == ident and got_seq == seq:
            return (time.monotonic() - sent) * 1000.0


def argument_spec():
    """vnet_ping's options (one place: the module and the tests that generate its input use it)."""
    return dict(
        namespace=dict(type='str'),
        targets=dict(type='list', elements='str', required=True),
        count=dict(type='int', default=3),
        timeout=dict(type='float', default=1.0),
        size=dict(type='int'),
        dont_fragment=dict(type='bool', default=False),
        expect=dict(type='str', default='any', choices=['reachable', 'unreachable', 'any']),
    )


def run_ping(module):
    """vnet_ping's main(): ping every target, then hold the result against ``expect``."""
    from ansible_collections.linux.vnet.plugins.module_utils._pyroute2_dep import PYROUTE2
    from ansible_collections.linux.vnet.plugins.module_utils._vnet_deps import ensure
    from ansible_collections.linux.vnet.plugins.module_utils._vnet_kernel import Kernel
    from ansible_collections.linux.vnet.plugins.module_utils._vnet_validate import namespace_name, seconds

    ensure(module, PYROUTE2)
    params = module.params
    try:
        namespace = namespace_name('namespace', params['namespace'])
        targets = [target_address(t) for t in params['targets']]
        if not targets:
            # an empty list would let expect=reachable/unreachable pass without a single echo request
            raise VnetError('targets: give at least one IPv4 or IPv6 address to ping')
        if params['count'] < 1 or params['timeout'] <= 0:
            raise VnetError('count and timeout: count must be at least 1 and timeout above 0')
        if params['count'] > COUNT_MAX:
            # a typo (count: 100000) would hold the play for hours, 0.2 s per request and target
            raise VnetError('count: %d is above %d echo requests per target' % (params['count'], COUNT_MAX))
        seconds('timeout', params['timeout'])  # NaN and infinity pass the test above
        size = params.get('size')
        if size is not None and not 0 <= size <= SIZE_MAX:
            raise VnetError('size: %d is outside 0-%d (bytes of echo data)' % (size, SIZE_MAX))
        kernel = Kernel()
        try:
            kernel.require_namespace('namespace', namespace)
            results = [
                ping(
                    kernel,
                    namespace,
                    str(t),
                    params['count'],
                    params['timeout'],
                    size=size,
                    dont_fragment=bool(params.get('dont_fragment')),
                )
                for t in targets
            ]
        finally:
            kernel.close()
    except VnetError as exc:
        module.fail_json(msg=exc.msg, **exc.details)
    except PermissionError:
        module.fail_json(msg='raw ICMP sockets need root (become: true)')
    result = {
        'changed': False,
        'results': results,
        # not 'unreachable': Ansible reads that result key as 'host unreachable'
        'reachable_targets': [r['target'] for r in results if r['reachable']],
        'unreachable_targets': [r['target'] for r in results if not r['reachable']],
    }
    expect = params['expect']
    wrong = {'reachable': result['unreachable_targets'], 'unreachable': result['reachable_targets']}.get(expect, [])
    if wrong:
        where = 'namespace %r' % namespace if namespace else 'the host namespace'
        module.fail_json(
            msg='expected %s from %s, but %s %s'
            % (
                ', '.join(str(t) for t in targets) + ' to be ' + expect,
                where,
                ', '.join(wrong),
                'did not answer' if expect == 'reachable' else 'answered',
            ),
            **result,
        )
    module.exit_json(**result)
