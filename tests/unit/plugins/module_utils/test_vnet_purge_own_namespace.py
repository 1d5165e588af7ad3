"""purge where the module's own namespace also has a name in /run/netns (a netns connection)."""

from __future__ import annotations

from ansible_collections.linux.vnet.plugins.module_utils import _vnet_purge
from ansible_collections.linux.vnet.plugins.module_utils._vnet_kernel import HOST
from ansible_collections.linux.vnet.plugins.module_utils._vnet_purge import purge_candidates

MARK = 'linux.vnet:o'


def a_link(name, alias=MARK, kind='veth'):
    return {'name': name, 'alias': alias, 'kind': kind}


class OwnNamedKernel:
    """The module runs in 'self' (also HOST); 'other' is another namespace."""

    links_of = {
        HOST: [a_link('lo', MARK), a_link('kept'), a_link('gone')],
        'self': [a_link('lo', MARK), a_link('kept'), a_link('gone')],
        'other': [a_link('lo', None), a_link('old')],
    }

    def namespaces(self):
        return ['other', 'self']

    def link(self, namespace, name):
        return next((s for s in self.links_of[namespace] if s['name'] == name), None)

    def links(self, namespace):
        return self.links_of[namespace]


def test_a_link_declared_under_the_own_namespace_name_is_not_purged(monkeypatch):
    monkeypatch.setattr(_vnet_purge, 'is_own_namespace', lambda name: name == 'self')
    links, namespaces, _kept = purge_candidates(OwnNamedKernel(), MARK, {'self', 'other'}, {('self', 'kept')})
    assert [(ns, s['name']) for ns, s in links] == [(HOST, 'gone'), ('other', 'old')]
    assert namespaces == []


def test_the_own_namespace_is_never_purged_as_a_namespace(monkeypatch):
    monkeypatch.setattr(_vnet_purge, 'is_own_namespace', lambda name: name == 'self')
    _links, namespaces, _kept = purge_candidates(OwnNamedKernel(), MARK, set(), set())
    assert namespaces == []
