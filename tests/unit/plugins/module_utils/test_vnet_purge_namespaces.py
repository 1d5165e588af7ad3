"""purge of a marked namespace: only when everything in it is ours (the rest of it is someone else's)."""

from __future__ import annotations

from ansible_collections.linux.vnet.plugins.module_utils import _vnet_purge
from ansible_collections.linux.vnet.plugins.module_utils._vnet_kernel import HOST
from ansible_collections.linux.vnet.plugins.module_utils._vnet_purge import purge_candidates

MARK = 'linux.vnet:o'


def a_link(namespace, name, index, alias=None, kind='veth', peer=None):
    """``peer``: (namespace, ifindex) of a veth's other end."""
    return {
        'namespace': namespace,
        'name': name,
        'ifindex': index,
        'alias': alias,
        'kind': kind,
        'link_netnsid': None if peer is None or peer[0] == namespace else 7,
        'link_index': peer[1] if peer else None,
        'peer_ns': peer[0] if peer else None,
    }


class FakeKernel:
    def __init__(self, *links):
        self.by_namespace = {}
        for state in links:
            self.by_namespace.setdefault(state['namespace'], []).append(state)

    def namespaces(self):
        return sorted(n for n in self.by_namespace if n is not HOST)

    def links(self, namespace):
        return self.by_namespace[namespace]

    def link(self, namespace, name):
        return next((s for s in self.by_namespace[namespace] if s['name'] == name), None)

    def link_by_index(self, namespace, index):
        return next(s for s in self.by_namespace[namespace] if s['ifindex'] == index)

    def namespace_of_nsid(self, namespace, nsid, expected):
        return self.asked_peer


def kernel_with(*inside):
    """Namespace 'ns' made by us (lo marked), holding ``inside``; a marked veth 'h1' on the host into it."""
    kernel = FakeKernel(
        a_link(HOST, 'lo', 1, kind=None),
        a_link(HOST, 'h1', 10, alias=MARK, peer=('ns', 2)),
        a_link('ns', 'lo', 1, alias=MARK, kind=None),
        a_link('ns', 'eth0', 2, peer=(HOST, 10)),
        *inside,
    )
    kernel.asked_peer = HOST
    return kernel


def candidates(kernel, declared_links=()):
    return purge_candidates(kernel, MARK, set(), set(declared_links))


def test_a_namespace_holding_only_our_links_and_our_veth_ends_is_purged(monkeypatch):
    monkeypatch.setattr(_vnet_purge, 'is_own_namespace', lambda name: False)
    links, namespaces, kept = candidates(kernel_with(a_link('ns', 'br0', 3, alias=MARK, kind='bridge')))
    assert namespaces == ['ns']
    assert kept == {}
    assert [(ns, s['name']) for ns, s in links] == [(HOST, 'h1')]


def test_a_namespace_holding_someone_elses_link_stays_and_only_our_links_in_it_go(monkeypatch):
    monkeypatch.setattr(_vnet_purge, 'is_own_namespace', lambda name: False)
    links, namespaces, kept = candidates(
        kernel_with(a_link('ns', 'br0', 3, alias=MARK, kind='bridge'), a_link('ns', 'theirs', 4, kind='macvlan'))
    )
    assert namespaces == []
    assert kept == {'ns': ['theirs']}
    assert [(ns, s['name']) for ns, s in links] == [(HOST, 'h1'), ('ns', 'br0')]


def test_a_veth_end_whose_peer_is_not_ours_is_someone_elses(monkeypatch):
    monkeypatch.setattr(_vnet_purge, 'is_own_namespace', lambda name: False)
    kernel = kernel_with(a_link('ns', 'v2', 5, peer=(HOST, 11)))
    kernel.by_namespace[HOST].append(a_link(HOST, 'other', 11, peer=('ns', 5)))
    _links, namespaces, kept = candidates(kernel)
    assert (namespaces, kept) == ([], {'ns': ['v2']})


def test_a_namespace_holding_a_declared_link_stays_without_a_word(monkeypatch):
    monkeypatch.setattr(_vnet_purge, 'is_own_namespace', lambda name: False)
    _links, namespaces, kept = candidates(
        kernel_with(a_link('ns', 'br0', 3, alias=MARK, kind='bridge')), declared_links=[('ns', 'br0')]
    )
    assert (namespaces, kept) == ([], {})


def test_a_namespace_holding_a_link_declared_absent_still_goes(monkeypatch):
    monkeypatch.setattr(_vnet_purge, 'is_own_namespace', lambda name: False)
    declared = {(HOST, 'h1'), ('ns', 'eth0')}  # the veth pair declared absent: both ends
    links, namespaces, kept = purge_candidates(kernel_with(), MARK, set(), declared, present_links=set())
    assert (links, namespaces, kept) == ([], ['ns'], {})
