# -*- coding: utf-8 -*-
# Copyright: linux.vnet contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The kernel as it will be once the objects planned so far are applied: for planning a topology.

Planning a whole topology before changing anything means planning a macvlan whose parent, or a
veth whose namespace, is itself only planned. PlannedKernel answers the reads the objects make
from the real kernel, overlaid with what earlier objects of the plan create or remove. It never
writes: it is only ever used to plan, never to apply.
"""

from __future__ import annotations

from ansible_collections.linux.vnet.plugins.module_utils._vnet_errors import VnetError
from ansible_collections.linux.vnet.plugins.module_utils._vnet_kernel import HOST, UNKNOWN

DEFAULT_MTU = 1500


class PlannedKernel:
    def __init__(self, kernel):
        self.real = kernel
        self.planned_namespaces = {}  # name -> True (will exist) / False (will be gone)
        self.planned_links = {}  # (namespace, name) -> state the link will have, or None (gone)

    # ---- what the plan changes ---------------------------------------------

    def plan_namespace(self, name, present):
        self.planned_namespaces[name] = present

    def plan_link(self, namespace, name, kind=None, mtu=None):
        if kind is None:
            self.planned_links[(namespace, name)] = None
            return
        self.planned_links[(namespace, name)] = {
            'name': name,
            'namespace': namespace,
            'ifindex': 0,
            'kind': kind,
            'up': False,
            'mtu': mtu or DEFAULT_MTU,
            'mac_address': None,
            'master_index': 0,
            'link_index': None,
            'link_netnsid': None,
            'alias': None,
            'info_data': {},
        }

    def _virtual(self, namespace):
        """True when the namespace does not really exist (yet), so it has nothing real to read."""
        return namespace is not HOST and (
            self.planned_namespaces.get(namespace) is False or self.real.namespace_status(namespace) != 'mounted'
        )

    # ---- the reads objects make ----------------------------------------------

    def namespace_status(self, name):
        if name in self.planned_namespaces:
            return 'mounted' if self.planned_namespaces[name] else 'absent'
        return self.real.namespace_status(name)

    def namespaces(self):
        names = set(self.real.namespaces()) | {n for n, present in self.planned_namespaces.items() if present}
        return sorted(n for n in names if self.planned_namespaces.get(n, True))

    def require_namespace(self, option, name):
        if name is not None and self.namespace_status(name) != 'mounted':
            raise VnetError(
                '%s: namespace %r does not exist (declare it under namespaces, or create it first)' % (option, name)
            )

    def link(self, namespace, name):
        if (namespace, name) in self.planned_links:
            return self.planned_links[(namespace, name)]
        return None if self._virtual(namespace) else self.real.link(namespace, name)

    def links(self, namespace):
        found = {} if self._virtual(namespace) else {link['name']: link for link in self.real.links(namespace)}
        for (planned_namespace, name), state in self.planned_links.items():
            if planned_namespace == namespace:
                found[name] = state
        return [state for state in found.values() if state is not None]

    def link_by_index(self, namespace, ifindex):
        return None if self._virtual(namespace) else self.real.link_by_index(namespace, ifindex)

    def addresses(self, namespace, ifindex):
        return [] if self._virtual(namespace) or not ifindex else self.real.addresses(namespace, ifindex)

    def fdb_entries(self, namespace, ifindex):
        return [] if self._virtual(namespace) or not ifindex else self.real.fdb_entries(namespace, ifindex)

    def default_route_ifindexes(self, namespace):
        return set() if self._virtual(namespace) else self.real.default_route_ifindexes(namespace)

    def address_ifindexes(self, namespace, address):
        return set() if self._virtual(namespace) else self.real.address_ifindexes(namespace, address)

    def route_oif(self, namespace, destination):
        return None if self._virtual(namespace) else self.real.route_oif(namespace, destination)

    def namespace_of_nsid(self, namespace, nsid, expected=UNKNOWN):
        return self.real.namespace_of_nsid(namespace, nsid, expected)

    def refresh(self):
        self.real.refresh()

    def inside(self, namespace):
        return self.real.inside(namespace)

    def ipr(self, namespace):
        return self.real.ipr(namespace)

    def namespace_fd(self, namespace):
        return namespace if namespace is not HOST else None

    def __getattr__(self, name):
        # Anything else would change the kernel: planning must never get there.
        raise AttributeError('PlannedKernel plans only; %s is not available while planning' % name)
