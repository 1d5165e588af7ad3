# -*- coding: utf-8 -*-
# Copyright: linux.vnet contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""vnet_ping's packets: echo data of a given size, DF on the socket, send errors in words (no root needed)."""

from __future__ import annotations

import contextlib
import errno
import socket
import struct

import pytest

from ansible_collections.linux.vnet.plugins.module_utils import _vnet_ping as ping_utils
from ansible_collections.linux.vnet.plugins.module_utils._vnet_ping import (
    HEADERS,
    PAYLOAD,
    PMTUDISC_DO,
    checksum,
    echo_request,
    payload,
)


def test_payload_default_is_the_marker():
    assert payload() == PAYLOAD


@pytest.mark.parametrize('size', [0, 1, 19, 20, 21, 1422, 65507])
def test_payload_has_exactly_size_bytes(size):
    data = payload(size)
    assert len(data) == size
    assert data == (PAYLOAD * (size // len(PAYLOAD) + 1))[:size]


def test_ipv4_echo_request_checksum_and_fields():
    packet = echo_request(4, 0x1234, 7, payload(1422))
    assert len(packet) == 8 + 1422
    kind, code, _csum, ident, seq = struct.unpack('!BBHHH', packet[:8])
    assert (kind, code, ident, seq) == (8, 0, 0x1234, 7)
    assert checksum(packet) == 0  # a valid Internet checksum sums to zero
    assert len(packet) + 20 == 1450  # with the IPv4 header it fills an MTU of 1450
    assert HEADERS[4] == 28


def test_ipv6_echo_request_leaves_the_checksum_to_the_kernel():
    packet = echo_request(6, 1, 1, payload(10))
    assert struct.unpack('!BBHHH', packet[:8]) == (128, 0, 0, 1, 1)
    assert HEADERS[6] == 48


class FakeSocket:
    def __init__(self, family, kind, proto, fail_send=None):
        self.family, self.kind, self.proto = family, kind, proto
        self.options = []
        self.sent = []
        self.closed = False
        self.fail_send = fail_send

    def setsockopt(self, level, option, value):
        self.options.append((level, option, value))

    def sendto(self, packet, address):
        if self.fail_send:
            raise self.fail_send
        self.sent.append((packet, address))

    def close(self):
        self.closed = True


class FakeKernel:
    def __init__(self):
        self.namespaces = []

    @contextlib.contextmanager
    def inside(self, namespace):
        self.namespaces.append(namespace)
        yield


@pytest.fixture
def sockets(monkeypatch):
    made = []

    def factory(family, kind, proto, fail_send=None):
        sock = FakeSocket(family, kind, proto, fail_send)
        made.append(sock)
        return sock

    monkeypatch.setattr(ping_utils.socket, 'socket', factory)
    return made


@pytest.mark.parametrize(
    'version, level, option',
    [(4, socket.IPPROTO_IP, ping_utils.IP_MTU_DISCOVER), (6, socket.IPPROTO_IPV6, ping_utils.IPV6_MTU_DISCOVER)],
)
def test_dont_fragment_sets_pmtudisc_do(sockets, version, level, option):
    kernel = FakeKernel()
    sock = ping_utils.open_socket(kernel, 'red', version, dont_fragment=True)
    assert kernel.namespaces == ['red']
    assert sock.options == [(level, option, PMTUDISC_DO)]
    assert (ping_utils.IP_MTU_DISCOVER, ping_utils.IPV6_MTU_DISCOVER, PMTUDISC_DO) == (10, 23, 2)


def test_without_dont_fragment_the_kernel_default_stays(sockets):
    sock = ping_utils.open_socket(FakeKernel(), None, 4)
    assert sock.options == []


def test_ping_sends_size_bytes_and_reports_packet_size(sockets, monkeypatch):
    monkeypatch.setattr(ping_utils, '_wait_reply', lambda *args: 0.5)
    result = ping_utils.ping(FakeKernel(), 'red', '10.0.0.2', 2, 0.1, interval=0, size=1422, dont_fragment=True)
    (sock,) = sockets
    assert [len(sent[0]) for sent in sock.sent] == [1430, 1430]
    assert sock.sent[0][1] == ('10.0.0.2', 0)
    assert sock.closed
    assert result['packet_size'] == 1450
    assert result['reachable'] and result['received'] == 2
    assert 'error' not in result


def test_a_packet_over_the_mtu_is_lost_and_explained(monkeypatch):
    too_big = OSError(errno.EMSGSIZE, 'Message too long')
    monkeypatch.setattr(ping_utils.socket, 'socket', lambda *a: FakeSocket(*a, fail_send=too_big))
    result = ping_utils.ping(FakeKernel(), 'red', '10.0.0.2', 1, 0.1, size=1423, dont_fragment=True)
    assert not result['reachable']
    assert result['loss_percent'] == 100.0
    assert result['error'] == (
        'a 1451-byte packet is larger than the MTU of the route and dont_fragment forbids fragmenting it'
    )


def test_other_send_errors_are_named(monkeypatch):
    unreachable = OSError(errno.ENETUNREACH, 'Network is unreachable')
    monkeypatch.setattr(ping_utils.socket, 'socket', lambda *a: FakeSocket(*a, fail_send=unreachable))
    result = ping_utils.ping(FakeKernel(), None, 'fd00::2', 1, 0.1)
    assert result['error'] == 'could not send: Network is unreachable'
    assert result['packet_size'] == len(PAYLOAD) + 48
