# -*- coding: utf-8 -*-
# Copyright: linux.vnet contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""purge: find the marked objects a topology no longer declares, and delete them (only those)."""

from __future__ import annotations

from ansible_collections.linux.vnet.plugins.module_utils._pyroute2_dep import NetlinkError
from ansible_collections.linux.vnet.plugins.module_utils._vnet_engine import Step
from ansible_collections.linux.vnet.plugins.module_utils._vnet_errors import VnetError
from ansible_collections.linux.vnet.plugins.module_utils._vnet_kernel import HOST, where
from ansible_collections.linux.vnet.plugins.module_utils._vnet_link import guard_link, is_own_namespace, linked

# purge has no force of its own: the way out is an explicit delete
PURGE_HINT = 'To remove it anyway, delete it with its module (state: absent) and force: true.'

# children go before what they hang off, so that no delete takes an undeclared sibling by surprise
DELETE_ORDER = {'macvlan': 0, 'macvtap': 0, 'ipvlan': 0, 'vxlan': 0, 'veth': 1, 'bridge': 2}


def purge_candidates(kernel, marker, declared_namespaces, declared_links, present_links=None):
    """(links as [(namespace, state)], namespace names, kept) carrying ``marker`` and not declared.

    A marked namespace goes with everything in it, so it goes only when everything in it is ours:
    ``kept`` maps the marked, undeclared namespaces that hold someone else's links to those links
    (their own marked links are purged one by one instead). One that holds a link declared present
    (``present_links``, default all of ``declared_links``) stays too, without a word.
    """
    present_links = declared_links if present_links is None else present_links
    namespaces = []
    kept = {}
    scopes = [HOST]
    named = kernel.namespaces()
    # The namespace the module runs in may also have a name (a netns connection): it is scanned
    # once, as the host's, where a link declared under that name is declared too.
    own = [name for name in named if is_own_namespace(name)]
    for name in named:
        if name in own:
            continue
        lo = _read(kernel.link, name, 'lo')
        if name in declared_namespaces or lo is None or lo['alias'] != marker:
            scopes.append(name)
            continue
        foreign = _foreign_links(kernel, name, marker)
        if foreign is None or any((name, n) in present_links for n in foreign[1]):
            scopes.append(name)  # gone meanwhile, or holds a link the topology declares
        elif foreign[0]:
            kept[name] = foreign[0]
            scopes.append(name)
        else:
            namespaces.append(name)  # its links go with it
    links = []
    for namespace in scopes:
        for state in _read(kernel.links, namespace) or []:
            # lo carries its namespace's marker; the namespace is what that marker is about
            names = [namespace] + (own if namespace is HOST else [])
            declared = any((n, state['name']) in declared_links for n in names)
            if state['alias'] == marker and state['name'] != 'lo' and not declared:
                links.append((namespace, state))
    links.sort(key=lambda item: DELETE_ORDER.get(item[1]['kind'], 1))
    return links, namespaces, kept


def _foreign_links(kernel, namespace, marker):
    """(names of the links not ours, names of all links) in a namespace; None if it is gone.

    Ours: marked, or a veth end whose marked peer is outside (only one end of a pair carries the marker).
    """
    states = _read(kernel.links, namespace)
    if states is None:
        return None
    foreign = []
    for state in states:
        if state['name'] == 'lo' or state['alias'] == marker:
            continue
        peer_namespace, peer = (None, None)
        if state['kind'] == 'veth':
            peer_namespace, peer = _read(linked, kernel, state) or (None, None)
        if peer is None or peer_namespace in ('', namespace) or peer['alias'] != marker:
            foreign.append(state['name'])
    return foreign, [s['name'] for s in states]


def _read(read, *args):
    """A read in a namespace that someone else may delete meanwhile: gone is as good as empty."""
    try:
        return read(*args)
    except (VnetError, OSError, NetlinkError):
        return None


class PurgedLink:
    """A marked link nobody declares any more: read it, delete it (never anything else)."""

    result_key = 'link'
    state = 'absent'
    recreate = False

    def __init__(self, namespace, state, marker):
        self.marker = marker
        self.namespace = namespace
        self.name = state['name']
        self.kind = state['kind']

    def label(self):
        return 'purged %s %s' % (self.kind, where(self.name, self.namespace))

    def read(self, kernel):
        state = kernel.link(self.namespace, self.name)
        if state is None or state['kind'] != self.kind or state['alias'] != self.marker:
            return None  # gone with its parent or peer, or replaced by something we do not own
        return {'name': self.name, 'namespace': self.namespace, 'kind': self.kind}

    def plan_delete(self, kernel, current):
        guard_link(kernel, self.namespace, self.name, 'purge', children=True, hint=PURGE_HINT)
        state = kernel.link(self.namespace, self.name)
        if state is not None and self.kind == 'veth':
            # only one end carries the marker, but the kernel deletes both
            peer_namespace, peer = linked(kernel, state)
            if peer is not None and peer_namespace != '':
                action = 'purge (as the veth peer of %r)' % self.name
                guard_link(kernel, peer_namespace, peer['name'], action, children=True, hint=PURGE_HINT)
        namespace, name = self.namespace, self.name
        return [Step('purge %s' % self.label()[len('purged ') :], lambda: kernel.link_del(namespace, name))]

    def predict(self, current):
        return None

    def projection(self, state):
        view = {'name': self.name, 'namespace': self.namespace, 'kind': self.kind}
        view['state'] = 'absent' if state is None else 'present'
        return view

    def report(self, state):
        return self.projection(state)
