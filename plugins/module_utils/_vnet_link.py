# -*- coding: utf-8 -*-
# Copyright: linux.vnet contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Links on the shared engine: the fields every link has, and LinkObject.

A link kind (veth, bridge, macvlan, vxlan, ...) is a LinkKind: its IFLA kind,
its extra options and a tuple of Fields. A Field says how one option is read
back from the kernel, compared and changed; LinkObject turns the fields into
engine plans, so no kind carries its own read/compare/apply loop.
"""

from __future__ import annotations

import errno
import ipaddress
import os

from ansible_collections.linux.vnet.plugins.module_utils import _vnet_validate as validate
from ansible_collections.linux.vnet.plugins.module_utils._pyroute2_dep import NetlinkError
from ansible_collections.linux.vnet.plugins.module_utils._vnet_engine import Step
from ansible_collections.linux.vnet.plugins.module_utils._vnet_errors import VnetError, translate
from ansible_collections.linux.vnet.plugins.module_utils._vnet_kernel import HOST, NETNS_DIR, UNKNOWN, describe, where
from ansible_collections.linux.vnet.plugins.module_utils._vnet_owner import MARKER

MAIN = 'main'


def common_link_spec():
    """Options every link module shares (documented in the linux.vnet.link doc fragment)."""
    return dict(
        name=dict(type='str', required=True),
        namespace=dict(type='str'),
        state=dict(type='str', default='present', choices=['present', 'absent']),
        up=dict(type='bool', default=True),
        mtu=dict(type='int'),
        mac_address=dict(type='str'),
        addresses=dict(type='list', elements='str'),
        master=dict(type='str'),
        recreate=dict(type='bool', default=False),
        force=dict(type='bool', default=False),
    )


class Field:
    """One managed attribute. ``key`` is the option name and the key in diff/result."""

    immutable = False
    at_create = False  # satisfied by the create request itself
    null_is_value = False  # an omitted option means a value (the host namespace), not "any"

    def __init__(self, key, end=MAIN):
        self.key = key
        self.end = end

    def read(self, kernel, state):
        return state.get(self.key)

    def differs(self, current, desired, obj):
        return (desired is not None or self.null_is_value) and current != desired

    def predict(self, current, desired, obj):
        return desired

    def set_kwargs(self, kernel, obj, desired):
        """Attributes changed by one batched RTM_SETLINK: return its keyword arguments."""
        return None

    def undo_kwargs(self, kernel, obj, previous):
        """The RTM_SETLINK arguments that restore ``previous`` (no checks: it was the kernel's own state)."""
        return self.set_kwargs(kernel, obj, previous)

    def steps(self, kernel, obj, current, desired):
        """Attributes that need requests of their own."""
        return []


class SetField(Field):
    """A plain IFLA attribute: read from the link state, changed by RTM_SETLINK."""

    def __init__(self, key, kwarg, end=MAIN, state_key=None, at_create=True, to_kernel=None, hint=None):
        super().__init__(key, end)
        self.kwarg = kwarg
        self.state_key = state_key or key
        self.at_create = at_create
        self.to_kernel = to_kernel or (lambda value: value)
        self.hint = hint  # message for EOPNOTSUPP, when the kernel lacks just this feature

    def read(self, kernel, state):
        return state.get(self.state_key)

    def set_kwargs(self, kernel, obj, desired):
        return {self.kwarg: self.to_kernel(desired)}


class UpField(SetField):
    def __init__(self, key='up', end=MAIN):
        super().__init__(key, 'state', end=end, state_key='up', to_kernel=lambda up: 'up' if up else 'down')

    def set_kwargs(self, kernel, obj, desired):
        if desired is False:
            obj.guard(kernel, self.end, 'bring down')  # the kernel drops the routes of a link that goes down
        return super().set_kwargs(kernel, obj, desired)

    def undo_kwargs(self, kernel, obj, previous):
        return SetField.set_kwargs(self, kernel, obj, previous)


class InfoField(SetField):
    """A kind attribute (IFLA_INFO_DATA), e.g. IFLA_BR_STP_STATE, in option units."""

    def __init__(
        self,
        key,
        nla,
        from_kernel=None,
        to_kernel=None,
        immutable=False,
        at_create=True,
        hint=None,
        create_default=None,
    ):
        super().__init__(key, nla[len('IFLA_') :].lower(), to_kernel=to_kernel, at_create=at_create, hint=hint)
        self.create_default = create_default  # the value a new link already has (no request needed)
        self.nla = nla
        self.from_kernel = from_kernel or (lambda value: value)
        self.immutable = immutable

    def read(self, kernel, state):
        value = state['info_data'].get(self.nla)
        return None if value is None else self.from_kernel(value)


class MasterField(Field):
    """The bridge a link is enslaved to, by name, in the link's namespace; '' detaches."""

    def read(self, kernel, state):
        if not state['master_index']:
            return ''
        master = kernel.link_by_index(state['namespace'], state['master_index'])
        return master['name'] if master else ''

    def set_kwargs(self, kernel, obj, desired):
        namespace, name = obj.ends[self.end]
        self._guard_release(kernel, obj, desired)
        if desired == '':
            return {'master': 0}
        master = kernel.link(namespace, desired)
        if master is None and desired not in obj.creates_in(namespace):
            raise VnetError('%s: bridge %s does not exist' % (self.key, where(desired, namespace)))
        if master is not None and master['kind'] != 'bridge':
            raise VnetError('%s: %s is a %s, not a bridge' % (self.key, where(desired, namespace), master['kind']))
        if obj.kind.kind == 'bridge':
            raise VnetError('%s: a bridge cannot be a port of another bridge' % self.key)
        obj.guard(kernel, self.end, 'enslave')
        return {'master': lambda: kernel.ifindex(namespace, desired)}

    def _guard_release(self, kernel, obj, desired):
        """Leaving a bridge that carries the default route: the link may be its uplink."""
        namespace, name = obj.ends[self.end]
        state = kernel.link(namespace, name)
        if state is None or not state['master_index']:
            return
        master = kernel.link_by_index(namespace, state['master_index'])
        if master is not None and master['name'] != desired:
            obj.guard_release(kernel, namespace, name, master['name'])

    def undo_kwargs(self, kernel, obj, previous):
        namespace = obj.ends[self.end][0]
        return {'master': (lambda: kernel.ifindex(namespace, previous)) if previous else 0}


class AddressesField(Field):
    """The exact address set (IPv6 link-local excepted); one request per address."""

    def read(self, kernel, state):
        return kernel.addresses(state['namespace'], state['ifindex'])

    def _left(self, obj, current):
        """What the link keeps: the kernel flushes IPv6 addresses when a link goes down."""
        current = current or []
        if self.end in getattr(obj, 'going_down', ()):
            return [a for a in current if ':' not in a]
        return current

    def differs(self, current, desired, obj):
        return desired is not None and self._left(obj, current) != desired

    def steps(self, kernel, obj, current, desired):
        namespace, name = obj.ends[self.end]
        current = self._left(obj, current)
        removals = [a for a in current if a not in desired]
        additions = [a for a in desired if a not in current]
        if removals or (current and additions):
            obj.guard(kernel, self.end, 're-address')
        steps = []
        for address in removals:
            steps.append(
                Step(
                    'delete address %s from %s' % (address, where(name, namespace)),
                    _addr(kernel, 'del', namespace, name, address),
                    _addr(kernel, 'add', namespace, name, address),
                )
            )
        for address in additions:
            steps.append(
                Step(
                    'add address %s to %s' % (address, where(name, namespace)),
                    _addr(kernel, 'add', namespace, name, address),
                    _addr(kernel, 'del', namespace, name, address),
                    hints=_ipv6_disabled_hint(namespace, name) if ':' in address else None,
                )
            )
        return steps


def _ipv6_disabled_hint(namespace, name):
    # root gets EACCES, not EPERM, for an IPv6 address where the kernel has IPv6 turned off
    return {
        errno.EACCES: 'IPv6 is disabled on that interface in %s (sysctl net.ipv6.conf.%s.disable_ipv6 = 1)'
        % (describe(namespace), name)
    }


def _addr(kernel, command, namespace, name, address):
    return lambda: kernel.addr(command, namespace, name, address)


class IdentityField(Field):
    """Something the kernel cannot change in place (kind, veth peer): a re-create."""

    immutable = True
    at_create = True

    def __init__(self, key, end=MAIN, null_is_value=False):
        super().__init__(key, end)
        self.null_is_value = null_is_value


def end_fields(end=MAIN, prefix=''):
    """The fields every link end has: up, mtu, MAC, addresses, master."""
    return (
        SetField(prefix + 'mtu', 'mtu', end=end, state_key='mtu'),
        SetField(prefix + 'mac_address', 'address', end=end, state_key='mac_address'),
        MasterField(prefix + 'master', end=end),
        UpField(prefix + 'up', end=end),
        AddressesField(prefix + 'addresses', end=end),
    )


def linked(kernel, state, expected=UNKNOWN):
    """(namespace, state) of the link IFLA_LINK points to (veth peer, macvlan parent); namespace '' if unnamed.

    ``expected``: the namespace the task declares for it, asked first (one request, not a scan).
    """
    namespace = state['namespace']
    if state['link_netnsid'] is not None:
        namespace = kernel.namespace_of_nsid(namespace, state['link_netnsid'], expected)
    if namespace == '' or not state['link_index']:
        return namespace, None
    try:
        return namespace, kernel.link_by_index(namespace, state['link_index'])
    except VnetError:
        if namespace is not HOST and kernel.namespace_status(namespace) != 'mounted':
            return '', None  # removed since its nsid was read: the peer goes with it
        raise


def read_end(kernel, state, fields):
    return {field.key: field.read(kernel, state) for field in fields}


class LinkKind:
    """The declarative description of one link kind. Subclasses fill in the class attributes."""

    kind = None  # IFLA_INFO_KIND
    options = {}  # extra argument spec
    fields = ()  # extra Fields (kind attributes, peer end, ports, ...)
    ends = (MAIN,)
    mutually_exclusive = ()
    required_if = ()
    required_by = None

    def argument_spec(self):
        spec = common_link_spec()
        spec.update(self.options)
        return spec

    def all_fields(self):
        return (IdentityField('kind'),) + end_fields() + tuple(self.fields)

    def desired(self, params):
        """Validated, normalised option values; kinds extend this."""
        desired = {
            'name': validate.interface_name('name', params['name']),
            'namespace': validate.namespace_name('namespace', params['namespace']),
            'kind': self.kind,
            'up': params['up'],
            'mtu': validate.mtu('mtu', params['mtu']),
            'mac_address': validate.mac_address('mac_address', params['mac_address']),
            'addresses': validate.interface_addresses('addresses', params['addresses']),
            'master': _master('master', params['master']),
        }
        if desired['master'] == desired['name']:
            raise VnetError('master: %s cannot be its own master' % desired['name'])
        return desired

    def end_names(self, desired):
        return {MAIN: (desired['namespace'], desired['name'])}

    def check_namespaces(self, kernel, desired):
        kernel.require_namespace('namespace', desired['namespace'])

    def read_extra(self, kernel, state, current, desired=None):
        """Kind-specific reads beyond the fields (e.g. the veth peer); update ``current``.
        ``desired``, when there is a task, only says where to look first."""

    def create_kwargs(self, kernel, obj):
        return {}

    def deleted_with(self, current):
        """(namespace, name) of other interfaces the kernel deletes together with this one."""
        return []

    def create_from(self, desired):
        """Namespace whose socket sends the create request (a parent's, for macvlan/ipvlan)."""
        return desired['namespace']

    def create_hints(self, desired):
        """errno -> meaning, for errors of the create request that depend on this kind."""
        return {}

    def complete(self, kernel, desired):
        """Fill desired values that depend on the kernel (e.g. an MTU derived from the underlay)."""

    def creates(self, desired):
        """(namespace, name) of every interface this kind's create request makes."""
        return [(desired['namespace'], desired['name'])]

    def check_create(self, kernel, obj):
        """Refuse a create that would collide with something the kernel has."""


def _master(option, value):
    if value is None or value == '':
        return value
    return validate.interface_name(option, value)


class LinkObject:
    """One link (and, for veth, its peer) run through the engine."""

    result_key = 'link'

    def __init__(self, kind, params):
        self.kind = kind
        self.desired = kind.desired(params)
        self.fields = kind.all_fields()
        self.state = params['state']
        self.recreate = params['recreate']
        self.force = params['force']
        self.ends = kind.end_names(self.desired)
        self.marker = MARKER

    def label(self):
        namespace, name = self.ends[MAIN]
        return '%s %s' % (self.kind.kind, where(name, namespace))

    def creates_in(self, namespace):
        return [n for ns, n in self.kind.creates(self.desired) if ns == namespace]

    # ---- reading ----------------------------------------------------------

    def read(self, kernel):
        namespace = self.ends[MAIN][0]
        if self.state != 'absent' or namespace is HOST:
            return self._read(kernel)
        # no namespace (or only its file, e.g. while another run deletes it), so certainly no link:
        # absent is already true - also when the namespace goes while it is being read
        if kernel.namespace_status(namespace) != 'mounted':
            return None
        try:
            return self._read(kernel)
        except VnetError:
            if kernel.namespace_status(namespace) != 'mounted':
                return None
            raise

    def _read(self, kernel):
        if self.state == 'absent':
            kernel.require_namespace('namespace', self.ends[MAIN][0])  # the other ends do not matter
        else:
            self.kind.check_namespaces(kernel, self.desired)
            self.kind.complete(kernel, self.desired)
        namespace, name = self.ends[MAIN]
        state = kernel.link(namespace, name)
        if state is None:
            return None
        self.main_state = state
        current = {'name': name, 'namespace': namespace, 'ifindex': state['ifindex']}
        current.update(read_end(kernel, state, [f for f in self.fields if f.end == MAIN]))
        if state['kind'] == self.kind.kind:
            self.kind.read_extra(kernel, state, current, self.desired)
        return current

    # ---- planning ---------------------------------------------------------

    def plan_create(self, kernel):
        namespace, name = self.ends[MAIN]
        self.kind.check_create(kernel, self)
        kwargs = {'ifname': name, 'kind': self.kind.kind}
        later = []
        for field in self.fields:
            value = self.desired.get(field.key)
            if isinstance(field, IdentityField):
                continue
            if field.end == MAIN and field.at_create and value is not None:
                kwargs.update(field.set_kwargs(kernel, self, value))
            else:
                later.append(field)
        kwargs.update(self.kind.create_kwargs(kernel, self))
        sender = self.kind.create_from(self.desired)
        if sender != namespace:
            # Sent from the parent's namespace, created directly in the target namespace.
            kwargs['net_ns_fd'] = kernel.namespace_fd(namespace)

        def create():
            kernel.link_add(sender, **_resolve(kwargs))
            kernel.mark(namespace, name, self.marker)

        create = Step(
            'create %s' % self.label(),
            create,
            lambda: kernel.link_del(namespace, name),
            kind=self.kind.kind,
            hints=self.kind.create_hints(self.desired),
        )
        fresh = {f.key: getattr(f, 'create_default', None) for f in later}  # what a new link has
        return [create] + self._field_steps(kernel, fresh, later)

    def keep_on_recreate(self, current):
        """A re-created link keeps every attribute it had that the task does not give (master,
        addresses, VXLAN local/dev/peers, ...): only what was asked for changes."""
        self.recreating = True
        for field in self.fields:
            if isinstance(field, IdentityField) or field.key not in current:
                continue
            if self.desired.get(field.key) is None and current[field.key] not in (None, '', []):
                self.desired[field.key] = current[field.key]

    def plan_update(self, kernel, current):
        self._refuse_other_kind(current, 'change')
        immutable = []
        for field in self.fields:
            desired = self.desired.get(field.key)
            if field.immutable and field.differs(current.get(field.key), desired, self):
                immutable.append('%s: %r -> %r' % (field.key, current.get(field.key), desired))
        if immutable:
            return [], immutable
        return self._field_steps(kernel, current, self.fields), []

    def _field_steps(self, kernel, current, fields):
        """One batched RTM_SETLINK per end, then the fields needing requests of their own."""
        self.going_down = {
            f.end for f in fields if isinstance(f, UpField) and current.get(f.key) and self.desired.get(f.key) is False
        }
        batches = {}
        own_steps = []
        for field in fields:
            desired = self.desired.get(field.key)
            if field.immutable or not field.differs(current.get(field.key), desired, self):
                continue
            kwargs = field.set_kwargs(kernel, self, desired)
            if kwargs is not None:
                # a field the kernel may lack goes alone, after the others: its failure must not hide
                # behind (or half-apply with) the attributes batched with it
                batch = batches.setdefault((field.end, bool(getattr(field, 'hint', None))), ({}, {}, []))
                batch[0].update(kwargs)
                if current.get(field.key) is not None:
                    batch[1].update(field.undo_kwargs(kernel, self, current[field.key]))
                batch[2].append(field)
            else:
                own_steps.extend(field.steps(kernel, self, current.get(field.key), desired))
        steps = [self._set_step(kernel, key[0], *batches[key]) for key in sorted(batches, key=lambda k: k[1])]
        return steps + own_steps

    def _set_step(self, kernel, end, kwargs, undo_kwargs, fields):
        namespace, name = self.ends[end]
        changes = ', '.join('%s=%r' % (f.key, self.desired[f.key]) for f in fields)
        hints = [f.hint for f in fields if getattr(f, 'hint', None)]
        if any(isinstance(f, InfoField) or getattr(f, 'needs_kind', False) for f in fields):
            kwargs = dict(kwargs, kind=self.kind.kind)  # pyroute2 drops kind attributes without kind=
            undo_kwargs = dict(undo_kwargs, kind=self.kind.kind)

        def do():
            try:
                kernel.link_set(namespace, name, **_resolve(kwargs))
            except NetlinkError as exc:
                if exc.code == 95 and hints:
                    raise VnetError(
                        'set %s on %s failed: %s' % (changes, where(name, namespace), ' / '.join(hints)), errno=95
                    ) from None
                raise translate(exc, 'set %s on %s' % (changes, where(name, namespace))) from None

        undo = (lambda: kernel.link_set(namespace, name, **_resolve(undo_kwargs))) if undo_kwargs else None
        return Step('set %s on %s' % (changes, where(name, namespace)), do, undo)

    def _refuse_other_kind(self, current, action):
        if current.get('kind') != self.kind.kind:
            raise VnetError(
                'name: %s exists as a %s, not a %s: refusing to %s it; remove it first or pick another name'
                % (where(current['name'], current['namespace']), current.get('kind'), self.kind.kind, action)
            )

    def plan_delete(self, kernel, current):
        self._refuse_other_kind(current, 'delete')
        action = 're-create (delete)' if getattr(self, 'recreating', False) else 'delete'
        for namespace, name in [self.ends[MAIN]] + list(self.kind.deleted_with(current)):
            self.guard_link(kernel, namespace, name, action, children=True)
        namespace, name = self.ends[MAIN]
        return [Step('delete %s' % self.label(), lambda: kernel.link_del(namespace, name), kind=self.kind.kind)]

    def predict(self, current):
        if self.state == 'absent':
            return None
        after = dict(current or {})
        if getattr(self, 'recreating', False):
            after.pop('ifindex', None)  # a new link gets a new index
        for field in self.fields:
            if self.desired.get(field.key) is not None or field.null_is_value:
                after[field.key] = field.predict(after.get(field.key), self.desired[field.key], self)
        after.update(name=self.ends[MAIN][1], namespace=self.ends[MAIN][0])
        return after

    def projection(self, state):
        namespace, name = self.ends[MAIN]
        if state is None:
            return {'name': name, 'namespace': namespace, 'state': 'absent'}
        view = {'name': name, 'namespace': namespace, 'state': 'present'}
        for field in self.fields:
            view[field.key] = state.get(field.key)
        return view

    def report(self, state):
        view = self.projection(state)
        if state is not None and state.get('ifindex'):
            view['ifindex'] = state['ifindex']
        return view

    # ---- safety -----------------------------------------------------------

    def guard(self, kernel, end, action):
        """Refuse to cut off the host: no delete/enslave/re-address of the default-route or connection link."""
        namespace, name = self.ends[end]
        self.guard_link(kernel, namespace, name, action)

    def guard_link(self, kernel, namespace, name, action, children=False):
        if not self.force:
            guard_link(kernel, namespace, name, action, children=children)

    def guard_release(self, kernel, namespace, port, bridge, action='release'):
        if not self.force:
            guard_release(kernel, namespace, port, bridge, action)


# kinds the kernel deletes together with their parent (IFLA_LINK in the same namespace)
CHILD_KINDS = ('macvlan', 'macvtap', 'ipvlan', 'ipvtap', 'vlan')
FORCE_HINT = 'Set force: true if you really mean it.'


def guard_link(kernel, namespace, name, action, children=False, hint=FORCE_HINT, suffix=''):
    """Refuse to cut a namespace off: the link carrying its default route or the Ansible connection.

    ``children``: the action deletes the link, and with it its macvlan/ipvlan/vlan children, so
    they must not carry the route either."""
    if namespace is not HOST and kernel.namespace_status(namespace) != 'mounted':
        return
    state = kernel.link(namespace, name)
    if state is None:
        return
    reasons = lockout_reasons(kernel, namespace, state['ifindex'])
    if children and state['ifindex']:
        # only a link that carries the route or the connection matters: read those few, not every
        # link of the namespace (a purge of n links would read n^2)
        for index in sorted(_lockout_ifindexes(kernel, namespace)):
            child = kernel.link_by_index(namespace, index)
            if (
                child is not None
                and child['kind'] in CHILD_KINDS
                and child['link_index'] == state['ifindex']
                and child['link_netnsid'] is None
                and child['ifindex'] != state['ifindex']
            ):
                reasons += [
                    'its %s %r (deleted with it) %s' % (child['kind'], child['name'], reason[len('it ') :])
                    for reason in lockout_reasons(kernel, namespace, child['ifindex'])
                ]
    if reasons:
        raise VnetError(
            'refusing to %s %s%s: %s. %s' % (action, where(name, namespace), suffix, ' and '.join(reasons), hint),
            lockout=reasons,
        )


def guard_release(kernel, namespace, port, bridge, action='release', hint=FORCE_HINT):
    """Refuse to take a port away from a bridge that carries the default route or the connection:
    the port may be the bridge's uplink."""
    if namespace is not HOST and kernel.namespace_status(namespace) != 'mounted':
        return
    state = kernel.link(namespace, bridge)
    if state is None:
        return
    reasons = lockout_reasons(kernel, namespace, state['ifindex'])
    if reasons:
        reasons = ['bridge %r %s, and %r may be its uplink' % (bridge, r[len('it ') :], port) for r in reasons]
        raise VnetError(
            'refusing to %s %s from bridge %r: %s. %s'
            % (action, where(port, namespace), bridge, ' and '.join(reasons), hint),
            lockout=reasons,
        )


def _lockout_ifindexes(kernel, namespace):
    """The links whose loss would cut ``namespace`` off."""
    found = set(kernel.default_route_ifindexes(namespace))
    server = connection_address()
    if server and is_own_namespace(namespace):
        found |= kernel.address_ifindexes(namespace, server)
    return found


def lockout_reasons(kernel, namespace, ifindex):
    """Why losing the link ``ifindex`` would cut ``namespace`` off (each reason starts with 'it ')."""
    if not ifindex:
        return []  # only planned, not there yet
    reasons = []
    if ifindex in kernel.default_route_ifindexes(namespace):
        reasons.append('it carries the default route of %s' % describe(namespace))
    server = connection_address()
    if server and is_own_namespace(namespace) and ifindex in kernel.address_ifindexes(namespace, server):
        reasons.append('it holds %s, the address of the Ansible connection' % server)
    return reasons


def is_own_namespace(namespace):
    """True for the namespace this module runs in, also under a name of its own in /run/netns
    (the SSH server, and so the connection's address, lives there)."""
    if namespace is HOST:
        return True
    try:
        named = os.stat(os.path.join(NETNS_DIR, namespace))
        own = os.stat('/proc/self/ns/net')
    except OSError:
        return False
    return (named.st_dev, named.st_ino) == (own.st_dev, own.st_ino)


def connection_address():
    """The local (server) address of the SSH session running this module, when there is one."""
    parts = os.environ.get('SSH_CONNECTION', '').split()
    if len(parts) != 4:
        return None
    address = parts[2].split('%', 1)[0]  # a link-local address may carry its scope
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return None
    if parsed.version == 6 and parsed.ipv4_mapped:
        parsed = parsed.ipv4_mapped  # sshd on :: taking an IPv4 client
    return str(parsed)  # the kernel's spelling (compressed IPv6)


def _resolve(kwargs):
    """Values that depend on earlier steps (an ifindex) are resolved when the step runs."""
    return {k: (v() if callable(v) else v) for k, v in kwargs.items()}
