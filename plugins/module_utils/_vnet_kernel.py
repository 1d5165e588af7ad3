# -*- coding: utf-8 -*-
# Copyright: linux.vnet contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Kernel access over netlink (pyroute2): namespaces, links, addresses, routes.

Sockets for other namespaces are opened by switching this thread into the
namespace just long enough to create the socket (as ``ip -n`` does): no fork,
and a missing namespace is never created (pyroute2's own helpers default to
O_CREAT, which would break check mode).
"""

from __future__ import annotations

import contextlib
import errno
import os
import time
from collections.abc import Mapping

from ansible_collections.linux.vnet.plugins.module_utils._pyroute2_dep import (
    IPRoute,
    NetlinkDumpInterrupted,
    NetlinkError,
    netns,
)
from ansible_collections.linux.vnet.plugins.module_utils._vnet_errors import VnetError
from ansible_collections.linux.vnet.plugins.module_utils._vnet_validate import is_ipv6_link_local, sort_addresses

NETNS_DIR = '/run/netns'
HOST = None  # the namespace the module started in (usually the host's)
UNKNOWN = object()  # no namespace expected (HOST, None, is a namespace)
IFF_UP = 1
NUD_PERMANENT = 0x80
DUMP_ATTEMPTS = 5
MOUNT_WAIT = 2.0  # seconds another run may take between creating a namespace's file and mounting it
NSID_NOT_ASSIGNED = 0xFFFFFFFF  # what RTM_GETNSID answers (unsigned) when no nsid is assigned yet


def describe(namespace):
    return 'namespace %r' % namespace if namespace else 'the host namespace'


def where(name, namespace):
    return '%r in %s' % (name, describe(namespace))


class Kernel:
    """Netlink handles per namespace plus the reads and writes the objects need."""

    def __init__(self, dump_links=False):
        self._home = os.open('/proc/self/ns/net', os.O_RDONLY)
        self._handles = {}
        # Many objects (a topology, vnet_info) read most links of every namespace they touch: one
        # dump per namespace answers them all, until this run's first write (a write anywhere may
        # change links elsewhere: a veth's peer, a bridge's ports); from then on, one request each.
        self._dump_links = dump_links
        self._link_dumps = {}  # namespace -> ({name: state}, {ifindex: state})
        # Single gets (after the first write) answer again from memory until the next write: one
        # object's plan reads the same link several times (its state, the guards, the release check).
        self._gets = {}  # (namespace, 'ifname' or 'index', value) -> state or None
        # One dump per namespace, not one per link (pyroute2 cannot ask the kernel for one link's
        # addresses or routes; n links would decode n^2 messages): the default routes (a run adds
        # none) and the addresses (dropped whenever this run changes them, see _addresses_changed).
        self._default_routes = {}
        self._address_dumps = {}  # namespace -> {ifindex: [(address, prefixlen)]}
        self._nsids = {}  # namespace -> {other namespace: the nsid it has for it}

    def refresh(self):
        """Forget every read: what follows asks the kernel (after a failure another run may explain)."""
        self._writing()
        self._default_routes.clear()
        self._address_dumps.clear()
        self._nsids.clear()

    def _writing(self):
        self._dump_links = False
        self._link_dumps.clear()
        self._gets.clear()

    def close(self):
        for handle in self._handles.values():
            handle.close()
        self._handles.clear()
        os.close(self._home)

    # ---- namespaces -------------------------------------------------------

    @staticmethod
    def namespace_path(name):
        return os.path.join(NETNS_DIR, name)

    def namespace_status(self, name):
        """'mounted', 'stale' (a file left without its nsfs mount) or 'absent'."""
        path = self.namespace_path(name)
        try:
            st = os.stat(path)
        except FileNotFoundError:
            return 'absent'
        # A bind-mounted nsfs file lives on another device than the directory holding it.
        return 'mounted' if st.st_dev != os.stat(NETNS_DIR).st_dev else 'stale'

    def namespaces(self):
        try:
            names = sorted(os.listdir(NETNS_DIR))
        except FileNotFoundError:
            return []
        return [n for n in names if self.namespace_status(n) == 'mounted']

    def require_namespace(self, option, name):
        if name is not None and self.namespace_status(name) != 'mounted':
            raise VnetError(
                '%s: namespace %r does not exist (create it first, e.g. with linux.vnet.vnet_namespace)'
                % (option, name)
            )

    def create_namespace(self, name):
        self._writing()
        if self.namespace_status(name) == 'stale':
            os.unlink(self.namespace_path(name))
        self._forget_nsids(name)
        if not hasattr(netns, '_create'):
            netns.create(name)
            return
        # netns.create() forks a child for every namespace (~10x slower over a topology); its
        # worker does the same (unshare + bind mount, as iproute2) in this thread, and we come home.
        try:
            netns._create(name)
        finally:
            netns.setns(self._home, flags=0)

    def delete_namespace(self, name):
        self._writing()
        self.forget(name)
        self._forget_nsids(name)
        netns.remove(name)

    @contextlib.contextmanager
    def inside(self, namespace):
        """Run the block with this thread in the namespace; always come back."""
        if namespace is HOST:
            yield
            return
        self._enter(namespace)
        try:
            yield
        finally:
            netns.setns(self._home, flags=0)

    def _enter(self, namespace):
        """setns into the namespace by fd (given a path, pyroute2's setns lists /run/netns first, on
        every switch). EINVAL means the file is not a namespace (yet): another run creates its file a
        moment before it mounts the namespace on it, so give that moment before failing."""
        deadline = time.monotonic() + MOUNT_WAIT
        while True:
            fd = os.open(self.namespace_path(namespace), os.O_RDONLY)
            try:
                netns.setns(fd, flags=0)
                return
            except OSError as exc:
                if exc.errno != errno.EINVAL or time.monotonic() >= deadline:
                    raise
            finally:
                os.close(fd)
            time.sleep(0.05)

    def ipr(self, namespace):
        handle = self._handles.get(namespace)
        if handle is None:
            if namespace is not HOST and self.namespace_status(namespace) != 'mounted':
                raise VnetError('namespace %r does not exist' % namespace, errno=errno.ENOENT)
            try:
                with self.inside(namespace):
                    handle = IPRoute()
            except OSError:
                # setns on a file that another run just unmounted: EINVAL; say what it means, with
                # the errno the engine reads again on
                if namespace is not HOST and self.namespace_status(namespace) != 'mounted':
                    raise VnetError('namespace %r does not exist' % namespace, errno=errno.ENOENT) from None
                raise
            self._handles[namespace] = handle
        return handle

    def forget(self, namespace):
        handle = self._handles.pop(namespace, None)
        if handle is not None:
            handle.close()
        self._default_routes.pop(namespace, None)
        self._address_dumps.pop(namespace, None)

    def namespace_fd(self, namespace):
        """What IFLA_NET_NS_FD accepts: a namespace name, or our own fd for the host."""
        return self._home if namespace is HOST else namespace

    def namespace_of_nsid(self, namespace, nsid, expected=UNKNOWN):
        """Name of the namespace that ``namespace`` knows as ``nsid`` ('' when unnamed).

        Every answer is remembered, and candidates are asked in order (the host first) until one
        matches: naming the peers of n veths costs n requests, not n per veth.
        """
        if nsid is None or nsid < 0:
            return namespace
        known = self._nsids.setdefault(namespace, {})
        for candidate, candidate_nsid in known.items():
            if candidate_nsid == nsid:
                return candidate
        if expected is not UNKNOWN and expected != namespace and expected not in known:
            if self._remember_nsid(known, namespace, expected) == nsid:
                return expected  # the usual case: one request, and /run/netns is not even listed
        for candidate in [HOST] + self.namespaces():
            if candidate == namespace or candidate in known:
                continue
            if self._remember_nsid(known, namespace, candidate) == nsid:
                return candidate
        return ''

    def _remember_nsid(self, known, namespace, candidate):
        candidate_nsid = self._nsid_of(namespace, candidate)
        if candidate_nsid is None or not 0 <= candidate_nsid < NSID_NOT_ASSIGNED:
            return None  # none yet: the kernel assigns one when a link first spans the two
        known[candidate] = candidate_nsid
        return candidate_nsid

    def _nsid_of(self, namespace, candidate):
        try:
            fd = os.dup(self._home) if candidate is HOST else os.open(self.namespace_path(candidate), os.O_RDONLY)
        except OSError:
            return None  # removed meanwhile by someone else: it cannot be the one we look for
        try:
            answer = self.ipr(namespace).get_netnsid(fd=fd)
        except (OSError, NetlinkError):
            return None  # not a namespace any more (a stale file being removed)
        finally:
            os.close(fd)
        return answer.get('nsid') if answer else None

    def _forget_nsids(self, name):
        """A namespace made or removed by this run: its nsids may now mean another namespace."""
        self._nsids.pop(name, None)
        for known in self._nsids.values():
            known.pop(name, None)

    # ---- links ------------------------------------------------------------

    def _first(self, namespace, **query):
        key, value = next(iter(query.items()))  # ifname=... or index=...
        cached = (namespace, key, value)
        if cached in self._gets:
            return _copy(self._gets[cached])
        try:
            found = list(self.ipr(namespace).link('get', **query))
        except NetlinkError as exc:
            if exc.code != errno.ENODEV:
                raise
            found = []
        state = self._gets[cached] = link_state(found[0], namespace) if found else None
        if state is not None:  # the same link, asked for the other way (a peer by index, then by name)
            self._gets[(namespace, 'ifname', state['name'])] = state
            self._gets[(namespace, 'index', state['ifindex'])] = state
        return _copy(state)

    def _link_dump(self, namespace):
        dump = self._link_dumps.get(namespace)
        if dump is None:
            states = self._read_links(namespace)
            dump = self._link_dumps[namespace] = ({s['name']: s for s in states}, {s['ifindex']: s for s in states})
        return dump

    def _read_links(self, namespace):
        return [link_state(msg, namespace) for msg in dumped(self.ipr(namespace).get_links)]

    def link(self, namespace, name):
        if self._dump_links:
            return _copy(self._link_dump(namespace)[0].get(name))
        return self._first(namespace, ifname=name)

    def link_by_index(self, namespace, ifindex):
        if self._dump_links:
            return _copy(self._link_dump(namespace)[1].get(ifindex))
        return self._first(namespace, index=ifindex)

    def links(self, namespace):
        if self._dump_links:
            return [dict(state) for state in self._link_dump(namespace)[0].values()]
        return self._read_links(namespace)

    def ifindex(self, namespace, name):
        state = self.link(namespace, name)
        if state is None:
            # ENODEV: a step looking its link up finds it gone (another run): the engine re-plans
            raise VnetError('interface %s does not exist' % where(name, namespace), errno=errno.ENODEV)
        return state['ifindex']

    def _address_dump(self, namespace):
        """{ifindex: [(address, prefixlen)]} of the namespace, from one dump."""
        if namespace not in self._address_dumps:
            by_link = self._address_dumps[namespace] = {}
            for msg in dumped(self.ipr(namespace).get_addr):
                by_link.setdefault(msg['index'], []).append((msg.get_attr('IFA_ADDRESS'), msg['prefixlen']))
        return self._address_dumps[namespace]

    def _addresses_changed(self, namespace):
        # Only this run's address requests and a link going down (the kernel flushes its IPv6
        # addresses) change what a link holds: a new link has none but its link-local one.
        self._address_dumps.pop(namespace, None)

    def addresses(self, namespace, ifindex):
        """Managed addresses (IPv6 link-local excluded), normalised and sorted."""
        result = []
        for address, prefixlen in self._address_dump(namespace).get(ifindex, ()):
            cidr = '%s/%d' % (address, prefixlen)
            if not is_ipv6_link_local(cidr):
                result.append(str(cidr))
        return sort_addresses(result)

    def link_add(self, namespace, **kwargs):
        self._writing()
        self.ipr(namespace).link('add', **kwargs)

    def link_set(self, namespace, name, **kwargs):
        self._writing()
        if kwargs.get('state') == 'down' or 'net_ns_fd' in kwargs:
            self._addresses_changed(namespace)
        self._by_name('set', namespace, name, kwargs)

    def _by_name(self, command, namespace, name, kwargs):
        """RTM_NEWLINK/RTM_DELLINK naming the link (ifi_index 0 + IFLA_IFNAME): the kernel finds it by
        name, as it would by index, without an RTM_GETLINK first; a missing one is ENODEV either way."""
        try:
            self.ipr(namespace).link(command, ifname=name, **kwargs)
        except NetlinkError as exc:
            if exc.code == errno.ENODEV:
                # as ifindex() says it (the engine reads again on this errno)
                raise VnetError('interface %s does not exist' % where(name, namespace), errno=errno.ENODEV) from None
            raise

    def mark(self, namespace, name, marker):
        """Set the ownership marker (the interface alias; the kernel takes it only after the create)."""
        self.link_set(namespace, name, ifalias=marker)

    def link_del(self, namespace, name):
        self._writing()
        self._by_name('del', namespace, name, {})

    def addr(self, command, namespace, name, cidr):
        self._writing()
        address, prefixlen = cidr.split('/')
        self._addresses_changed(namespace)
        self.ipr(namespace).addr(
            command, index=self.ifindex(namespace, name), address=address, prefixlen=int(prefixlen)
        )

    def route_oif(self, namespace, destination):
        """Interface index the namespace would send to ``destination`` through, or None."""
        try:
            answer = list(self.ipr(namespace).route('get', dst=destination))
        except NetlinkError:
            return None  # no route
        return answer[0].get_attr('RTA_OIF') if answer else None

    def fdb_entries(self, namespace, ifindex):
        """Permanent (static) forwarding entries of a device as (mac, destination) pairs."""
        entries = []
        for msg in dumped(lambda: self.ipr(namespace).fdb('dump', ifindex=ifindex)):
            # the dump filter is not reliable in every pyroute2 release: filter here
            if msg['ifindex'] == ifindex and msg['state'] & NUD_PERMANENT and msg.get_attr('NDA_DST'):
                entries.append((msg.get_attr('NDA_LLADDR'), msg.get_attr('NDA_DST')))
        return sorted(entries)

    def fdb(self, command, namespace, name, mac, destination):
        self._writing()
        self.ipr(namespace).fdb(command, ifindex=self.ifindex(namespace, name), lladdr=mac, dst=destination)

    def default_route_ifindexes(self, namespace):
        """Interfaces that carry a default route (IPv4 or IPv6, main table)."""
        if namespace in self._default_routes:
            return self._default_routes[namespace]
        found = self._default_routes[namespace] = set()
        for family in (2, 10):
            for route in dumped(lambda family=family: self.ipr(namespace).get_routes(family=family, table=254)):
                if route['dst_len'] == 0 and route.get_attr('RTA_OIF'):
                    found.add(route.get_attr('RTA_OIF'))
                for hop in route.get_attr('RTA_MULTIPATH') or ():
                    if route['dst_len'] == 0:
                        found.add(hop['oif'])
        return found

    def address_ifindexes(self, namespace, address):
        """Interfaces holding ``address`` (the connection's own, or a VXLAN peer that is ours)."""
        held = self._address_dump(namespace).items()
        return {index for index, addresses in held if any(a == address for a, _prefixlen in addresses)}


def dumped(request, attempts=DUMP_ATTEMPTS):
    """All messages of a dump, asked again when the kernel flags it interrupted (NLM_F_DUMP_INTR: the
    table changed while it was being sent, common on a host where other runs create links)."""
    for attempt in range(attempts):
        try:
            return list(request())
        except NetlinkDumpInterrupted:
            if attempt == attempts - 1:
                raise
    return []


def _copy(state):
    return None if state is None else dict(state)


class KindData(Mapping):
    """IFLA_INFO_DATA of a link: {attribute: value}, each value decoded when first asked for (a bridge
    reports ~45 attributes; reading its name or one timer needs none or one of them)."""

    __slots__ = ('_slots', '_values')

    def __init__(self, data):
        self._slots = {}
        for slot in data.get('attrs', ()):
            if slot[0] != 'UNKNOWN':  # pyroute2 names every unknown attribute 'UNKNOWN'
                self._slots[slot[0]] = slot  # the last of a repeated one, as the dict it replaces kept
        self._values = {}

    def __getitem__(self, key):
        if key not in self._values:
            self._values[key] = self._slots[key][1]
        return self._values[key]

    def __iter__(self):
        return iter(self._slots)

    def __len__(self):
        return len(self._slots)

    def __repr__(self):
        return repr(dict(self))


LINK_ATTRS = frozenset(
    (
        'IFLA_IFNAME',
        'IFLA_MTU',
        'IFLA_ADDRESS',
        'IFLA_MASTER',
        'IFLA_LINK',
        'IFLA_LINK_NETNSID',
        'IFLA_IFALIAS',
        'IFLA_LINKINFO',
    )
)


def first_attrs(msg, wanted):
    """{name: value} of the first attribute of each wanted name, as get_attr() answers each: one pass
    over the message's ~40 attributes instead of one per get_attr (values are decoded only for these)."""
    found = {}
    for slot in msg['attrs']:
        name = slot[0]
        if name in wanted and name not in found:
            found[name] = slot[1]
    return found


def link_state(msg, namespace):
    """The normalised view of one RTM_NEWLINK message that every kind compares against."""
    attrs = first_attrs(msg, LINK_ATTRS)
    info = attrs.get('IFLA_LINKINFO')
    kind = info.get_attr('IFLA_INFO_KIND') if info else None
    data = info.get_attr('IFLA_INFO_DATA') if info else None
    info_data = KindData(data) if data is not None and hasattr(data, 'get') else {}
    return {
        'name': attrs.get('IFLA_IFNAME'),
        'namespace': namespace,
        'ifindex': msg['index'],
        'kind': kind or 'device',
        'up': bool(msg['flags'] & IFF_UP),
        'mtu': attrs.get('IFLA_MTU'),
        'mac_address': attrs.get('IFLA_ADDRESS'),
        'master_index': attrs.get('IFLA_MASTER') or 0,
        'link_index': attrs.get('IFLA_LINK'),
        'link_netnsid': attrs.get('IFLA_LINK_NETNSID'),
        'alias': attrs.get('IFLA_IFALIAS'),
        'info_data': info_data,
    }
