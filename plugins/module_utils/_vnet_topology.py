# -*- coding: utf-8 -*-
# Copyright: linux.vnet contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""vnet_topology: a host's namespaces and links as one change on the shared engine.

Each link entry is validated by the argument spec of the module of its kind (one source of
truth), built into the same object that module builds, ordered by dependency, and handed to
_vnet_engine.converge_all with the other objects.
"""

from __future__ import annotations

import heapq

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.linux.vnet.plugins.module_utils import _vnet_validate as validate
from ansible_collections.linux.vnet.plugins.module_utils._vnet_errors import VnetError
from ansible_collections.linux.vnet.plugins.module_utils._vnet_kernel import where
from ansible_collections.linux.vnet.plugins.module_utils._vnet_kind_bridge import Bridge
from ansible_collections.linux.vnet.plugins.module_utils._vnet_kind_ipvlan import Ipvlan
from ansible_collections.linux.vnet.plugins.module_utils._vnet_kind_macvlan import MacvlanSpec
from ansible_collections.linux.vnet.plugins.module_utils._vnet_kind_veth import Veth
from ansible_collections.linux.vnet.plugins.module_utils._vnet_kind_vxlan import Vxlan
from ansible_collections.linux.vnet.plugins.module_utils._vnet_link import LinkObject
from ansible_collections.linux.vnet.plugins.module_utils._vnet_namespace import NamespaceObject, NamespaceSpec
from ansible_collections.linux.vnet.plugins.module_utils._vnet_owner import marker_for
from ansible_collections.linux.vnet.plugins.module_utils._vnet_purge import PurgedLink, purge_candidates
from ansible_collections.linux.vnet.plugins.module_utils._vnet_topology_ovs import TopologyOvsBridge, ovs_bridge_object

KINDS = {'veth': Veth(), 'bridge': Bridge(), 'macvlan': MacvlanSpec(), 'ipvlan': Ipvlan(), 'vxlan': Vxlan()}

# option naming another link -> option naming the namespace it is in
LINK_REFERENCES = (('master', 'namespace'), ('peer_master', 'peer_namespace'), ('link', 'link_namespace'))
NAMESPACE_OPTIONS = ('namespace', 'peer_namespace', 'link_namespace')


class TopologySpec:
    mutually_exclusive = ()
    required_if = ()

    def argument_spec(self):
        return dict(
            namespaces=dict(type='list', elements='dict', default=[], options=NamespaceSpec().argument_spec()),
            links=dict(type='list', elements='dict', default=[]),
            ovs=dict(type='list', elements='dict', default=[]),
            purge=dict(type='bool', default=False),
            owner=dict(type='str'),
        )

    def build(self, params):
        return Topology(params)


def _link_object(index, entry):
    entry = dict(entry)
    kind = entry.pop('kind', None)
    label = 'links[%d]' % index
    if not isinstance(kind, str) or kind not in KINDS:
        raise VnetError('%s: kind must be one of %s, got %r' % (label, ', '.join(sorted(KINDS)), kind))
    description = KINDS[kind]
    validator = ArgumentSpecValidator(
        description.argument_spec(),
        mutually_exclusive=description.mutually_exclusive or None,
        required_if=description.required_if or None,
        required_by=getattr(description, 'required_by', None) or None,
    )
    checked = validator.validate(entry)
    if checked.error_messages:
        name = entry.get('name')
        raise VnetError(
            '%s (%s%s): %s'
            % (label, kind, ' %r' % name if name else '', '; '.join(str(m) for m in checked.error_messages))
        )
    params = checked.validated_parameters
    try:
        build = getattr(description, 'build', None)
        return build(params) if build else LinkObject(description, params)
    except VnetError as exc:
        exc.msg = '%s (%s %r): %s' % (label, kind, params['name'], exc.msg)
        raise


def _namespace_object(index, entry):
    try:
        return NamespaceObject(entry)
    except VnetError as exc:
        raise VnetError('namespaces[%d]: %s' % (index, exc.msg), **exc.details) from None


def _declared_once(namespaces, links):
    """Each namespace and link is declared by one entry; the message names both entries.

    A link may also be declared once absent and once present (removals run first: a veth pair
    replaced by one with another host end, a link of one kind by one of another).
    """
    entries = [('namespaces[%d]' % i, obj) for i, obj in enumerate(namespaces)]
    entries += [('links[%d] (%s %r)' % (i, obj.kind.kind, obj.desired['name']), obj) for i, obj in enumerate(links)]
    first = {}
    for label, obj in entries:
        for key in _provides(obj):
            scoped = key + (obj.state,) if key[0] == 'link' else key
            if scoped in first:
                raise VnetError('%s: %s is declared twice (also by %s)' % (label, _describe_key(key), first[scoped]))
            first[scoped] = label.split(' ')[0]


def _provides(obj):
    if isinstance(obj, NamespaceObject):
        return [('namespace', obj.name)]
    return [('link',) + end for end in obj.kind.creates(obj.desired)]


def _needs(obj):
    if isinstance(obj, NamespaceObject):
        return []
    desired = obj.desired
    needs = [('namespace', desired[o]) for o in NAMESPACE_OPTIONS if desired.get(o) is not None]
    for option, namespace_option in LINK_REFERENCES:
        if desired.get(option):
            needs.append(('link', desired.get(namespace_option), desired[option]))
    for name in [desired.get('dev')] + list(desired.get('ports') or []):
        if name:
            needs.append(('link', desired['namespace'], name))
    return needs


def dependency_order(objects):
    """The objects with every declared dependency first; declaration order otherwise."""
    providers = {}
    for obj in objects:
        for key in _provides(obj):
            other = providers.get(key)
            if other is not None and (other.state == obj.state or isinstance(obj, NamespaceObject)):
                raise VnetError('%s is declared twice' % _describe_key(key))
            if other is None or obj.state == 'present':
                providers[key] = obj  # what others depend on is the link that stays
    position = {id(obj): i for i, obj in enumerate(objects)}
    waiting_for = {}  # object index -> how many of its dependencies are not placed yet
    dependents = {}  # object index -> indexes of the objects that need it
    for i, obj in enumerate(objects):
        needed = {position[id(providers[k])] for k in _needs(obj) if k in providers and providers[k] is not obj}
        waiting_for[i] = len(needed)
        for d in needed:
            dependents.setdefault(d, []).append(i)
    # Kahn's algorithm, always placing the earliest declared ready object: linear in objects and
    # dependencies (a topology of thousands), and the declaration order wherever nothing forces another
    ready = [i for i, count in waiting_for.items() if count == 0]
    heapq.heapify(ready)
    ordered = []
    while ready:
        i = heapq.heappop(ready)
        ordered.append(objects[i])
        for j in dependents.get(i, ()):
            waiting_for[j] -= 1
            if waiting_for[j] == 0:
                heapq.heappush(ready, j)
    if len(ordered) < len(objects):
        placed = {id(o) for o in ordered}
        stuck = [o.label() for o in objects if id(o) not in placed]
        raise VnetError('these objects depend on each other in a cycle: %s' % ', '.join(stuck))
    return ordered


def _describe_key(key):
    if key[0] == 'namespace':
        return 'namespace %r' % key[1]
    return 'link %s' % where(key[2], key[1])


def record(planned, obj, current):
    """What an object leaves behind, for planning the objects after it."""
    present = obj.state == 'present'
    if isinstance(obj, TopologyOvsBridge):
        return  # the links it uses are declared (or exist); what it adds lives in OVSDB
    if isinstance(obj, NamespaceObject):
        planned.plan_namespace(obj.name, present)
    elif isinstance(obj, PurgedLink):
        planned.plan_link(obj.namespace, obj.name)
    elif not present:
        for namespace, name in obj.kind.creates(obj.desired):
            planned.plan_link(namespace, name)
    elif current is None or getattr(obj, 'recreating', False):
        for namespace, name in obj.kind.creates(obj.desired):
            planned.plan_link(namespace, name, kind=obj.kind.kind, mtu=obj.desired.get('mtu'))


class Topology:
    """The declared objects, and the order the engine runs them in."""

    def __init__(self, params):
        self.marker = marker_for(validate.owner('owner', params['owner']))
        self.purge = params['purge']
        self.namespaces = [_namespace_object(i, entry) for i, entry in enumerate(params['namespaces'])]
        self.links = [_link_object(i, entry) for i, entry in enumerate(params['links'])]
        _declared_once(self.namespaces, self.links)
        self.ovs = [ovs_bridge_object(i, entry) for i, entry in enumerate(params['ovs'])]
        names = [o.name for o in self.ovs]
        for i, name in enumerate(names):
            if name in names[:i]:
                raise VnetError(
                    'ovs[%d]: Open vSwitch bridge %r is declared twice (also by ovs[%d])' % (i, name, names.index(name))
                )
        for obj in self.namespaces + self.links:
            obj.marker = self.marker
        for bridge in self.ovs:
            bridge.inner.marker = self.marker
            bridge.inner.purge_marked = self.purge
        self.warnings = []

    def objects(self, kernel):
        """Declared removals (Open vSwitch bridges, whose ports may be links; links; then namespaces,
        in reverse dependency order), then the rest in dependency order with the Open vSwitch
        bridges after every link, then purges: a deleted object cannot be brought back by a
        rollback (nor a committed OVSDB transaction), so the deletions nobody asked for by name
        come last, when everything else has worked."""
        declared = dependency_order(self.namespaces + self.links)
        absent = [o for o in reversed(declared) if o.state == 'absent']
        removals = [o for o in self.ovs if o.state == 'absent']
        removals += [o for o in absent if not isinstance(o, NamespaceObject)]
        removals += [o for o in absent if isinstance(o, NamespaceObject)]
        present = [o for o in declared if o.state == 'present'] + [o for o in self.ovs if o.state == 'present']
        purged = self._purged(kernel, declared) if self.purge else []
        return removals + present + purged

    def close(self):
        for bridge in self.ovs:
            bridge.close()

    def _purged(self, kernel, declared):
        declared_namespaces = {o.name for o in declared if isinstance(o, NamespaceObject)}
        declared_links = {key[1:] for o in declared for key in _provides(o) if key[0] == 'link'}
        # a namespace holding a link declared absent may still go: that link goes first
        present_links = {key[1:] for o in declared if o.state == 'present' for key in _provides(o) if key[0] == 'link'}
        links, namespaces, kept = purge_candidates(
            kernel, self.marker, declared_namespaces, declared_links, present_links
        )
        for name, foreign in sorted(kept.items()):
            self.warnings.append(
                'purge: namespace %r carries the marker %r but holds links that are not ours (%s): it stays, '
                'only our links in it are purged' % (name, self.marker, ', '.join(sorted(foreign)))
            )
        purged = [PurgedLink(namespace, state, self.marker) for namespace, state in links]
        return purged + [
            NamespaceObject({'name': n, 'state': 'absent', 'loopback': True, 'sysctls': {}}) for n in namespaces
        ]


def summary(results):
    """The module result for many objects: every object's result, all actions, one diff each."""
    objects = []
    diffs = []
    for result in results:
        key = next(k for k in ('namespace', 'link', 'bridge') if k in result)
        state = result[key]
        if key == 'namespace':
            label = 'namespace %r' % state['name']
        elif key == 'bridge':
            label = 'Open vSwitch bridge %r' % state['bridge']
        else:
            label = where(state['name'], state['namespace'])
        objects.append({'object': label, 'changed': result['changed'], 'actions': result['actions'], key: state})
        if result['changed']:
            diffs.append(dict(result['diff'], before_header=label, after_header=label))
    return {
        'changed': any(r['changed'] for r in results),
        'actions': [action for r in results for action in r['actions']],
        'objects': objects,
        'diff': diffs,
    }
