"""How often Kernel reads: one dump per namespace and run where it can, never one per link per link."""

from __future__ import annotations

import errno

import pytest

from ansible_collections.linux.vnet.plugins.module_utils import _vnet_kernel
from ansible_collections.linux.vnet.plugins.module_utils._pyroute2_dep import NetlinkDumpInterrupted
from ansible_collections.linux.vnet.plugins.module_utils._vnet_kernel import HOST, NSID_NOT_ASSIGNED, Kernel, dumped


def bare_kernel(monkeypatch, namespaces, nsids):
    """A Kernel without sockets: namespaces on the host and what ``_nsid_of`` answers (a log of asks)."""
    kernel = Kernel.__new__(Kernel)
    kernel._nsids = {}
    kernel._dump_links = True
    kernel._link_dumps = {}
    kernel._gets = {}
    asked = []

    def nsid_of(namespace, candidate):
        asked.append(candidate)
        return nsids.get(candidate, NSID_NOT_ASSIGNED)

    monkeypatch.setattr(kernel, '_nsid_of', nsid_of)
    monkeypatch.setattr(kernel, 'namespaces', lambda: list(namespaces))
    return kernel, asked


def test_nsid_lookup_asks_the_expected_namespace_first(monkeypatch):
    kernel, asked = bare_kernel(monkeypatch, ['a', 'b', 'c'], {'c': 3})
    monkeypatch.setattr(kernel, 'namespaces', lambda: 1 / 0)  # not even listed: one request per veth
    assert kernel.namespace_of_nsid(HOST, 3, 'c') == 'c'
    assert asked == ['c']


def test_nsid_lookup_scans_when_the_expected_namespace_is_not_it(monkeypatch):
    kernel, asked = bare_kernel(monkeypatch, ['a', 'b', 'c'], {'a': 1, 'c': 3})
    assert kernel.namespace_of_nsid(HOST, 1, 'c') == 'a'
    assert asked == ['c', 'a']  # the host is where it looks from, and c is remembered


def test_switching_into_a_namespace_uses_a_descriptor(monkeypatch):
    """pyroute2's setns given a path lists /run/netns on every call: n^2 over a topology."""
    kernel, _asked = bare_kernel(monkeypatch, [], {})
    kernel._home = 'home-fd'
    switched = []
    monkeypatch.setattr(_vnet_kernel.netns, 'setns', lambda target, flags: switched.append(target))
    monkeypatch.setattr(_vnet_kernel.os, 'open', lambda path, flags: 42)
    monkeypatch.setattr(_vnet_kernel.os, 'close', lambda fd: None)
    with kernel.inside('a'):
        pass
    assert switched == [42, 'home-fd']


def test_nsid_lookup_remembers_answers_but_not_unassigned_ones(monkeypatch):
    nsids = {'a': 1}
    kernel, asked = bare_kernel(monkeypatch, ['a', 'b'], nsids)
    assert kernel.namespace_of_nsid(HOST, 1) == 'a'
    assert kernel.namespace_of_nsid(HOST, 1) == 'a'
    assert asked == ['a']  # the second answer came from memory
    nsids['b'] = 2  # a veth into b made the kernel assign b an nsid meanwhile
    assert kernel.namespace_of_nsid(HOST, 2) == 'b'
    assert asked == ['a', 'b']


def test_nsid_lookup_forgets_a_namespace_this_run_removes(monkeypatch):
    kernel, asked = bare_kernel(monkeypatch, ['a'], {'a': 1})
    assert kernel.namespace_of_nsid(HOST, 1) == 'a'
    kernel._forget_nsids('a')
    assert kernel.namespace_of_nsid(HOST, 1) == 'a'
    assert asked == ['a', 'a']


def test_links_come_from_one_dump_per_namespace_until_the_first_write(monkeypatch):
    kernel, _asked = bare_kernel(monkeypatch, [], {})
    dumps, gets = [], []
    states = [{'name': n, 'ifindex': i, 'namespace': HOST} for i, n in enumerate(['lo', 'br0', 'v0'], 1)]
    monkeypatch.setattr(kernel, '_read_links', lambda namespace: dumps.append(namespace) or states)
    monkeypatch.setattr(kernel, '_first', lambda namespace, **query: gets.append(query) or None)
    assert kernel.link(HOST, 'br0')['ifindex'] == 2
    assert kernel.link_by_index(HOST, 3)['name'] == 'v0'
    assert kernel.link(HOST, 'nope') is None
    assert [s['name'] for s in kernel.links(HOST)] == ['lo', 'br0', 'v0']
    assert dumps == [HOST] and gets == []
    kernel.link(HOST, 'br0')['ifindex'] = 99  # callers get copies
    assert kernel.link(HOST, 'br0')['ifindex'] == 2

    kernel._writing()  # a write anywhere may change links anywhere: ask the kernel from now on
    assert kernel.link(HOST, 'br0') is None
    assert gets == [{'ifname': 'br0'}] and dumps == [HOST]


def test_a_kernel_for_one_object_asks_per_link(monkeypatch):
    kernel, _asked = bare_kernel(monkeypatch, [], {})
    kernel._dump_links = False  # Kernel(): a single-object module on a host with many links
    gets = []
    monkeypatch.setattr(kernel, '_first', lambda namespace, **query: gets.append(query) or None)
    monkeypatch.setattr(kernel, '_read_links', lambda namespace: 1 / 0)
    assert kernel.link(HOST, 'x') is None
    assert gets == [{'ifname': 'x'}]


def test_the_unassigned_nsid_is_what_the_kernel_answers():
    assert _vnet_kernel.NSID_NOT_ASSIGNED == 2**32 - 1


def test_an_interrupted_dump_is_asked_again():
    answers = [NetlinkDumpInterrupted(), NetlinkDumpInterrupted(), ['m1', 'm2']]

    def request():
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return iter(answer)

    assert dumped(request) == ['m1', 'm2']


def test_a_dump_interrupted_every_time_fails_after_a_few_attempts():
    calls = []

    def request():
        calls.append(1)
        raise NetlinkDumpInterrupted()

    with pytest.raises(NetlinkDumpInterrupted):
        dumped(request)
    assert len(calls) == _vnet_kernel.DUMP_ATTEMPTS


def _entering(monkeypatch, failures):
    kernel, _asked = bare_kernel(monkeypatch, [], {})
    kernel._home = 'home-fd'
    tries = []

    def setns(target, flags):
        tries.append(target)
        if target != 'home-fd' and failures:
            raise failures.pop(0)

    monkeypatch.setattr(_vnet_kernel.netns, 'setns', setns)
    monkeypatch.setattr(_vnet_kernel.os, 'open', lambda path, flags: 42)
    monkeypatch.setattr(_vnet_kernel.os, 'close', lambda fd: None)
    monkeypatch.setattr(_vnet_kernel.time, 'sleep', lambda seconds: None)
    return kernel, tries


def test_entering_a_namespace_another_run_is_still_mounting_waits_for_it(monkeypatch):
    not_yet = OSError(errno.EINVAL, 'failed to open netns: 42')
    kernel, tries = _entering(monkeypatch, [not_yet, not_yet])
    with kernel.inside('a'):
        pass
    assert tries == [42, 42, 42, 'home-fd']


def test_entering_a_file_that_never_becomes_a_namespace_fails(monkeypatch):
    kernel, tries = _entering(monkeypatch, [OSError(errno.EINVAL, 'failed to open netns: 42')] * 1000)
    monkeypatch.setattr(_vnet_kernel, 'MOUNT_WAIT', 0)
    with pytest.raises(OSError):
        with kernel.inside('a'):
            pass
    assert tries == [42]


def test_other_errors_entering_a_namespace_are_not_waited_for(monkeypatch):
    kernel, tries = _entering(monkeypatch, [OSError(errno.EPERM, 'not allowed')])
    with pytest.raises(OSError):
        with kernel.inside('a'):
            pass
    assert tries == [42]


class FakeIPRoute:
    """What Kernel sends: every link() request, answered from ``links`` ({name: index})."""

    def __init__(self, links):
        self.links = links
        self.requests = []

    def link(self, command, **kwargs):
        self.requests.append((command, kwargs))
        if command == 'get':
            raise _vnet_kernel.NetlinkError(errno.ENODEV)
        if kwargs.get('ifname') not in self.links:
            raise _vnet_kernel.NetlinkError(errno.ENODEV)
        return []


def socket_kernel(monkeypatch, links):
    kernel, _asked = bare_kernel(monkeypatch, [], {})
    kernel._dump_links = False
    kernel._address_dumps = {}
    ipr = FakeIPRoute(links)
    monkeypatch.setattr(kernel, 'ipr', lambda namespace: ipr)
    return kernel, ipr


def test_a_write_names_its_link_instead_of_looking_up_its_index_first(monkeypatch):
    """RTM_NEWLINK/RTM_DELLINK with IFLA_IFNAME and index 0: no RTM_GETLINK before every write."""
    kernel, ipr = socket_kernel(monkeypatch, {'v0': 7})
    kernel.link_set(HOST, 'v0', state='up')
    kernel.mark(HOST, 'v0', 'linux.vnet')
    kernel.link_del(HOST, 'v0')
    assert ipr.requests == [
        ('set', {'ifname': 'v0', 'state': 'up'}),
        ('set', {'ifname': 'v0', 'ifalias': 'linux.vnet'}),
        ('del', {'ifname': 'v0'}),
    ]


def test_a_write_to_a_missing_link_says_so_with_the_errno_the_engine_reads_again_on(monkeypatch):
    kernel, _ipr = socket_kernel(monkeypatch, {})
    for write in (lambda: kernel.link_set('ns1', 'gone', state='up'), lambda: kernel.link_del(HOST, 'gone')):
        with pytest.raises(_vnet_kernel.VnetError) as failure:
            write()
        assert failure.value.details['errno'] == errno.ENODEV
        assert 'does not exist' in failure.value.msg


def test_a_single_get_answers_again_until_the_next_write(monkeypatch):
    kernel, ipr = socket_kernel(monkeypatch, {'v0': 7})
    assert kernel.link(HOST, 'v0') is None
    assert kernel.link(HOST, 'v0') is None
    assert kernel.link_by_index(HOST, 7) is None
    assert [r for r in ipr.requests if r[0] == 'get'] == [('get', {'ifname': 'v0'}), ('get', {'index': 7})]
    kernel.link_set(HOST, 'v0', state='up')  # a write may change any link: ask again
    assert kernel.link(HOST, 'v0') is None
    assert [r for r in ipr.requests if r[0] == 'get'][2:] == [('get', {'ifname': 'v0'})]
    kernel._gets[(HOST, 'ifname', 'x')] = {'name': 'x', 'ifindex': 3}
    kernel.link(HOST, 'x')['ifindex'] = 99  # callers get copies
    assert kernel.link(HOST, 'x')['ifindex'] == 3


class Attrs(list):
    """A message's attribute list that counts the passes over it."""

    passes = 0

    def __iter__(self):
        Attrs.passes += 1
        return super().__iter__()


class FakeLinkMessage(dict):
    """As pyroute2 decodes RTM_NEWLINK: get_attr scans the whole attribute list for every call."""

    def __init__(self, attrs):
        super().__init__(index=5, flags=1, attrs=Attrs(attrs))

    def get_attr(self, name, default=None):
        found = [value for key, value in self['attrs'] if key == name]
        return found[0] if found else default


def test_a_link_message_is_read_in_one_pass_over_its_attributes():
    attrs = [('IFLA_STATS64', 'x')] * 30 + [('IFLA_IFNAME', 'v0'), ('IFLA_MTU', 1400), ('IFLA_IFNAME', 'second')]
    Attrs.passes = 0
    state = _vnet_kernel.link_state(FakeLinkMessage(attrs), 'ns1')
    assert Attrs.passes == 1
    assert state['name'] == 'v0'  # the first of a repeated attribute, as get_attr answers
    assert (state['mtu'], state['namespace'], state['ifindex'], state['up']) == (1400, 'ns1', 5, True)
    assert (state['kind'], state['master_index'], state['alias'], state['link_netnsid']) == ('device', 0, None, None)


def test_a_link_got_by_index_answers_by_name_too_until_the_next_write(monkeypatch):
    kernel, ipr = socket_kernel(monkeypatch, {})
    message = FakeLinkMessage([('IFLA_IFNAME', 'eth0')])
    ipr.link = lambda command, **query: ipr.requests.append((command, query)) or [message]
    assert kernel.link_by_index('ns1', 5)['name'] == 'eth0'
    assert kernel.link('ns1', 'eth0')['ifindex'] == 5
    assert kernel.link_by_index('ns1', 5)['name'] == 'eth0'
    assert ipr.requests == [('get', {'index': 5})]
    kernel._writing()
    assert kernel.link('ns1', 'eth0')['ifindex'] == 5
    assert ipr.requests == [('get', {'index': 5}), ('get', {'ifname': 'eth0'})]


class Slot:
    """An attribute as pyroute2 holds it: the name at hand, the value decoded when [1] asks."""

    decoded = []

    def __init__(self, name, value):
        self.name, self.value = name, value

    def __getitem__(self, key):
        if key == 0:
            return self.name
        if key == 1:
            Slot.decoded.append(self.name)
            return self.value
        raise IndexError(key)


def test_kind_attributes_are_decoded_only_when_asked_for():
    slots = [Slot('IFLA_BR_STP_STATE', 1), Slot('UNKNOWN', 7), Slot('IFLA_BR_PRIORITY', 4096)]
    slots += [Slot('IFLA_BR_HELLO_TIME', n) for n in (100, 200)]
    Slot.decoded = []
    data = _vnet_kernel.KindData({'attrs': slots})
    assert Slot.decoded == []
    assert data.get('IFLA_BR_PRIORITY') == 4096
    assert data.get('IFLA_BR_PRIORITY') == 4096
    assert data.get('IFLA_BR_MAX_AGE') is None and data.get('UNKNOWN') is None
    assert Slot.decoded == ['IFLA_BR_PRIORITY']  # once, and nothing else
    # the whole of it as the dict it replaces: unknown attributes left out, the last of a repeated one
    assert data == {'IFLA_BR_STP_STATE': 1, 'IFLA_BR_PRIORITY': 4096, 'IFLA_BR_HELLO_TIME': 200}
