# -*- coding: utf-8 -*-
# Copyright: linux.vnet contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Read-only view of a host's virtual network, through the same kind descriptions the modules use.

Reading a link with its kind's Fields gives the attributes the very names of the module
options, so ``vnet_info`` output can be fed back into the modules.
"""

from __future__ import annotations

import os

from ansible_collections.linux.vnet.plugins.module_utils._vnet_errors import VnetError
from ansible_collections.linux.vnet.plugins.module_utils._vnet_kernel import HOST
from ansible_collections.linux.vnet.plugins.module_utils._vnet_kind_bridge import Bridge
from ansible_collections.linux.vnet.plugins.module_utils._vnet_kind_ipvlan import Ipvlan
from ansible_collections.linux.vnet.plugins.module_utils._vnet_kind_macvlan import Macvlan, Macvtap
from ansible_collections.linux.vnet.plugins.module_utils._vnet_kind_veth import Veth
from ansible_collections.linux.vnet.plugins.module_utils._vnet_kind_vxlan import Vxlan
from ansible_collections.linux.vnet.plugins.module_utils._vnet_link import MAIN, IdentityField, end_fields
from ansible_collections.linux.vnet.plugins.module_utils._vnet_validate import namespace_name, seconds

KINDS = {kind.kind: kind for kind in (Veth(), Bridge(), Macvlan(), Macvtap(), Ipvlan(), Vxlan())}
GENERIC_FIELDS = (IdentityField('kind'),) + end_fields()


def describe_link(kernel, state):
    """One link with the attributes its module manages, under the option names."""
    kind = KINDS.get(state['kind'])
    fields = kind.all_fields() if kind else GENERIC_FIELDS
    view = {'name': state['name'], 'namespace': state['namespace'], 'ifindex': state['ifindex']}
    for field in fields:
        if field.end == MAIN:
            view[field.key] = field.read(kernel, state)
    if kind is not None:
        kind.read_extra(kernel, state, view)
    if state['kind'] == 'macvtap':
        view['tap_device'] = '/dev/tap%d' % state['ifindex']
    return view


def collect(kernel, namespaces=None, include_host=True):
    """{'namespaces': [{'name': ..., 'links': [...]}, ...]} for the host and the named namespaces."""
    named = kernel.namespaces()
    if namespaces is not None:
        for name in namespaces:
            namespace_name('namespaces', name)
            if name not in named:
                raise VnetError('namespaces: namespace %r does not exist' % name)
        named = [n for n in named if n in namespaces]
    result = []
    for namespace in ([HOST] if include_host else []) + named:
        try:
            links = [describe_link(kernel, state) for state in kernel.links(namespace)]
        except (VnetError, OSError):
            # Reading every namespace: one removed meanwhile (by another tool or play) is gone, not an error.
            if namespaces is None and namespace is not HOST and kernel.namespace_status(namespace) != 'mounted':
                continue
            raise
        result.append({'name': namespace, 'links': sorted(links, key=lambda link: link['ifindex'])})
    return {'namespaces': result}


def collect_ovs(db, timeout):
    """Open vSwitch bridges and ports when the OVSDB socket answers, else why not."""
    from ansible_collections.linux.vnet.plugins.module_utils._ovs_dep import IMPORT_ERROR

    if IMPORT_ERROR is not None:
        return {'available': False, 'reason': 'the ovs Python library is not installed'}
    if db.startswith('unix:') and not os.path.exists(db[len('unix:') :]):
        return {'available': False, 'reason': 'no OVSDB socket at %s' % db[len('unix:') :]}
    from ansible_collections.linux.vnet.plugins.module_utils._vnet_ovs import read_bridge
    from ansible_collections.linux.vnet.plugins.module_utils._vnet_ovsdb import Ovsdb

    try:
        session = Ovsdb(db, timeout)
    except VnetError as exc:
        return {'available': False, 'reason': exc.msg}
    try:
        bridges = [dict(read_bridge(row), bridge=row.name) for row in session.rows('Bridge')]
    finally:
        session.close()
    return {'available': True, 'bridges': sorted(bridges, key=lambda b: b['bridge'])}


def run_info(module):
    """vnet_info's main(): read everything, change nothing."""
    from ansible_collections.linux.vnet.plugins.module_utils._pyroute2_dep import PYROUTE2
    from ansible_collections.linux.vnet.plugins.module_utils._vnet_deps import ensure
    from ansible_collections.linux.vnet.plugins.module_utils._vnet_kernel import Kernel
    from ansible_collections.linux.vnet.plugins.module_utils._vnet_mermaid import render

    ensure(module, PYROUTE2)
    params = module.params
    try:
        seconds('ovs_timeout', params['ovs_timeout'])
        kernel = Kernel(dump_links=True)
        try:
            facts = collect(kernel, params['namespaces'], params['host'])
        finally:
            kernel.close()
        facts['ovs'] = collect_ovs(params['ovs_db'], params['ovs_timeout'])
    except VnetError as exc:
        module.fail_json(msg=exc.msg, **exc.details)
    result = {'changed': False, 'vnet': facts}
    if params['format'] == 'mermaid':
        result['mermaid'] = render(facts)
    module.exit_json(**result)
