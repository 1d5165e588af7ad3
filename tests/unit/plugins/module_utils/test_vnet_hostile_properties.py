# -*- coding: utf-8 -*-
# Copyright: linux.vnet contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Property-based tests of every module's validation and normalisation, as a whole.

Arguments are generated from each module's own argument spec (any option, any type, hostile
text, out-of-range numbers, duplicates); whatever passes Ansible's type checks goes through the
same build() the module runs before it opens the kernel. Nothing may escape but VnetError, whose
message starts with the option (or list entry) it is about.
"""

from __future__ import annotations

import math
import re

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ansible_collections.linux.vnet.plugins.module_utils import _vnet_kernel
from ansible_collections.linux.vnet.plugins.module_utils import _vnet_ping as ping_utils
from ansible_collections.linux.vnet.plugins.module_utils import _vnet_validate as validate
from ansible_collections.linux.vnet.plugins.module_utils._vnet_errors import VnetError
from ansible_collections.linux.vnet.plugins.module_utils._vnet_kind_bridge import Bridge
from ansible_collections.linux.vnet.plugins.module_utils._vnet_kind_ipvlan import Ipvlan
from ansible_collections.linux.vnet.plugins.module_utils._vnet_kind_macvlan import MacvlanSpec
from ansible_collections.linux.vnet.plugins.module_utils._vnet_kind_veth import Veth
from ansible_collections.linux.vnet.plugins.module_utils._vnet_kind_vxlan import Vxlan
from ansible_collections.linux.vnet.plugins.module_utils._vnet_link import LinkObject
from ansible_collections.linux.vnet.plugins.module_utils._vnet_namespace import NamespaceSpec
from ansible_collections.linux.vnet.plugins.module_utils._vnet_ovs import OvsBridgeSpec
from ansible_collections.linux.vnet.plugins.module_utils._vnet_topology import KINDS, TopologySpec

# Derandomised (the same examples on every run, so CI cannot flake) and without an example database.
PROPERTY = settings(
    max_examples=100,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# ---- hostile values ----------------------------------------------------------------------------

HOSTILE_CHARS = (
    list('ab09_-.@')
    + list('/:;$`|&<>()*?!"\'\\%{}[]#~= \t\n\r\x00\x7f\x85\xa0')
    + [
        'é',
        'ß',
        '²',
        '٣',
        '\u2028',
        '\ud800',
    ]
)
hostile_text = st.text(alphabet=st.sampled_from(HOSTILE_CHARS), max_size=20)
REALISTIC = [
    'eth0',
    'br0',
    'veth0',
    'v' * 15,
    'v' * 16,
    'é' * 8,
    '..',
    '.',
    '',
    'ns1',
    'n' * 256,
    'n' * 300,
    'a;reboot',
    '$(id)',
    '`id`',
    '10.0.0.1',
    '10.0.0.1/24',
    '0.0.0.0/0',
    '224.0.0.1/4',
    '::1/128',
    'fe80::1',
    'fe80::1%lo',
    'fe80::1/64',
    '239.1.1.1',
    '255.255.255.255',
    '02:00:00:00:00:01',
    '01:00:5e:00:00:01',
    'flow',
    'inherit',
    'net.ipv4.ip_forward',
    'net.ipv4',
    'net//ipv4',
    'unix:/nonexistent',
    'tcp:127.0.0.1:1',
    'ssl:x',
    '٣',
    '²',
    '0080',
    '-1',
    '65536',
    'true',
    'maybe',
]
texts = st.one_of(hostile_text, st.sampled_from(REALISTIC), st.text(max_size=8))
numbers = st.one_of(
    st.integers(-(2**70), 2**70),
    st.sampled_from([-1, 0, 1, 67, 68, 255, 256, 4095, 4096, 65535, 65536, 2**24 - 1, 2**24, 2**32]),
)
floats = st.one_of(st.floats(), st.sampled_from([float('nan'), float('inf'), -0.0, 1e300]), numbers)
scalars = st.one_of(texts, numbers, st.booleans(), st.none(), st.floats())


def with_duplicates(elements, max_size=4):
    """Lists that often repeat an element (duplicates are among the hostile inputs)."""
    return st.one_of(
        st.lists(elements, max_size=max_size),
        st.lists(elements, min_size=1, max_size=2).map(lambda items: items + items[:1]),
    )


def value_for(spec, depth=0):
    kind = spec.get('type', 'str')
    if spec.get('choices'):
        base = st.sampled_from(list(spec['choices']))
        return st.one_of(base, base, texts)
    if kind == 'str':
        return st.one_of(texts, numbers)
    if kind == 'int':
        return st.one_of(numbers, numbers, st.booleans(), texts)
    if kind == 'float':
        return st.one_of(floats, floats, texts)
    if kind == 'bool':
        return st.one_of(st.booleans(), st.booleans(), texts)
    if kind == 'dict':
        return st.one_of(st.dictionaries(texts, scalars, max_size=3), scalars)
    if kind == 'list':
        elements = spec.get('elements', 'str')
        if elements == 'dict' and spec.get('options') and depth < 2:
            return with_duplicates(params_for(spec['options'], depth + 1), max_size=3)
        return with_duplicates(value_for({'type': elements}, depth + 1))
    return scalars


def params_for(argument_spec, depth=0):
    """Dictionaries of module arguments: required options always, the others sometimes."""
    required = {name: value_for(spec, depth) for name, spec in argument_spec.items() if spec.get('required')}
    optional = {name: value_for(spec, depth) for name, spec in argument_spec.items() if not spec.get('required')}
    return st.fixed_dictionaries(required, optional=optional)


# ---- the property ------------------------------------------------------------------------------

# What a VnetError message starts with: an option, a list entry (ports[0].tag, links[2] (veth 'x')),
# or several options named together (count and timeout: ...; local, remote, group, peers and fdb: ...).
OPTION_FIRST = re.compile(r'^[a-z_]+(\[\d+\])?(\.[a-z_]+)*( \(.*?\))?(, [a-z_]+)*( and [a-z_]+)?: ')


def checked_params(description, params):
    """The parameters as the module gets them, or None when Ansible's own checks refuse them."""
    try:
        result = ArgumentSpecValidator(
            description.argument_spec(),
            mutually_exclusive=description.mutually_exclusive or None,
            required_if=description.required_if or None,
            required_by=getattr(description, 'required_by', None) or None,
        ).validate(params)
    except (TypeError, ValueError):
        return None  # ansible-core's own validator; not the collection's code
    if result.error_messages:
        return None
    return result.validated_parameters


def builds_or_refuses(description, params):
    values = checked_params(description, params)
    if values is None:
        return None
    try:
        builder = getattr(description, 'build', None)
        obj = builder(values) if builder else LinkObject(description, values)
    except VnetError as exc:
        assert isinstance(exc.msg, str) and exc.msg
        assert OPTION_FIRST.match(exc.msg), 'message does not start with the option: %r' % exc.msg
        return exc
    return obj


def link_description(name):
    return {'veth': Veth(), 'bridge': Bridge(), 'macvlan': MacvlanSpec(), 'ipvlan': Ipvlan(), 'vxlan': Vxlan()}[name]


@PROPERTY
@given(params_for(Veth().argument_spec()))
@example({'name': 'a', 'peer': 'b', 'master': 'b'})
@example({'name': 'a', 'peer': 'b', 'addresses': ['::1/128']})
def test_veth_arguments_build_or_fail_with_vnet_error(params):
    builds_or_refuses(Veth(), params)


@PROPERTY
@given(params_for(Bridge().argument_spec()))
@example({'name': 'br', 'forward_delay': float('nan')})
@example({'name': 'br', 'ports': ['a', 'a']})
def test_bridge_arguments_build_or_fail_with_vnet_error(params):
    builds_or_refuses(Bridge(), params)


@PROPERTY
@given(params_for(MacvlanSpec().argument_spec()))
@example({'name': 'm', 'link': 'm'})
def test_macvlan_arguments_build_or_fail_with_vnet_error(params):
    builds_or_refuses(MacvlanSpec(), params)


@PROPERTY
@given(params_for(Ipvlan().argument_spec()))
def test_ipvlan_arguments_build_or_fail_with_vnet_error(params):
    builds_or_refuses(Ipvlan(), params)


@PROPERTY
@given(params_for(Vxlan().argument_spec()))
@example({'name': 'vx', 'vni': 1, 'peers': ['fe80::1%lo']})
@example({'name': 'vx', 'vni': 1, 'local': 'fe80::1'})
def test_vxlan_arguments_build_or_fail_with_vnet_error(params):
    result = builds_or_refuses(Vxlan(), params)
    if isinstance(result, LinkObject):
        desired = result.desired
        assert 0 <= desired['vni'] <= 2**24 - 1 and 1 <= desired['port'] <= 65535
        for peer in desired['peers'] or []:
            assert '%' not in peer and peer != desired['local']
        assert desired['peers'] is None or len(set(desired['peers'])) == len(desired['peers'])


@PROPERTY
@given(params_for(NamespaceSpec().argument_spec()))
@example({'name': 'n', 'sysctls': {'net//ipv4': 1}})
def test_namespace_arguments_build_or_fail_with_vnet_error(params):
    builds_or_refuses(NamespaceSpec(), params)


@PROPERTY
@given(params_for(OvsBridgeSpec().argument_spec()))
@example({'bridge': 'br', 'ports': [{'name': 'p', 'type': 'vxlan', 'options': {'remote_ip': '1.1.1.1', 'key': '²'}}]})
@example({'bridge': 'br', 'timeout': float('nan')})
def test_ovs_arguments_build_or_fail_with_vnet_error(params):
    result = builds_or_refuses(OvsBridgeSpec(), params)
    if result is not None and not isinstance(result, VnetError):
        for port in result.ports or []:
            assert port['tag'] is None or 0 <= port['tag'] <= 4095
            for value in port['options'].values():
                assert value.isascii() or not value.isdigit()


@st.composite
def topology_links(draw):
    kind = draw(st.one_of(st.sampled_from(sorted(KINDS)), texts, st.lists(texts, max_size=1)))
    spec = link_description(kind).argument_spec() if isinstance(kind, str) and kind in KINDS else {}
    entry = draw(params_for(spec)) if spec else draw(st.dictionaries(texts, scalars, max_size=2))
    return dict(entry, kind=kind)


topology_params = st.fixed_dictionaries(
    {},
    optional={
        'namespaces': with_duplicates(params_for(NamespaceSpec().argument_spec()), max_size=3),
        'links': with_duplicates(topology_links(), max_size=3),
        'purge': st.booleans(),
        'owner': st.one_of(texts, st.text(min_size=240, max_size=250)),
    },
)


@settings(PROPERTY, max_examples=60)
@given(topology_params)
@example({'links': [{'kind': ['veth'], 'name': 'x'}]})
@example({'owner': 'a\x00b'})
@example({'namespaces': [{'name': 'a'}, {'name': 'a'}]})
@example({'links': [{'name': '', 'namespace': '', 'purge_ports': '', 'kind': 'bridge'}]})
def test_topology_arguments_build_and_order_or_fail_with_vnet_error(params):
    result = builds_or_refuses(TopologySpec(), params)
    if result is None or isinstance(result, VnetError):
        return
    try:
        result.objects(kernel=None) if not result.purge else None  # dependency order: pure without purge
    except VnetError as exc:
        assert exc.msg  # a cycle: named by its objects, not by an option


# ---- vnet_ping's input checks ------------------------------------------------------------------


class Exit(Exception):
    def __init__(self, failed, result):
        super().__init__(result.get('msg'))
        self.failed = failed
        self.result = result


class FakeModule:
    def __init__(self, params):
        self.params = params

    def fail_json(self, **result):
        raise Exit(True, result)

    def exit_json(self, **result):
        raise Exit(False, result)


class FakeKernel:
    def require_namespace(self, option, name):
        pass

    def close(self):
        pass


PING_SPEC = ping_utils.argument_spec()  # the module's own


@PROPERTY
@given(params_for(PING_SPEC))
@example({'targets': ['10.0.0.1'], 'timeout': float('nan')})
@example({'targets': ['10.0.0.1'], 'timeout': float('inf')})
def test_ping_arguments_ping_or_fail_with_a_message(params):
    result = ArgumentSpecValidator(PING_SPEC).validate(params)
    if result.error_messages:
        return
    values = result.validated_parameters
    asked = []

    def fake_ping(kernel, namespace, target, count, timeout, **kwargs):
        # what reaches the socket code: a finite timeout and a plain address
        assert math.isfinite(timeout) and timeout > 0 and count >= 1
        asked.append(target)
        return {'target': target, 'reachable': True, 'sent': count, 'received': count}

    original_kernel, original_ping = _vnet_kernel.Kernel, ping_utils.ping
    _vnet_kernel.Kernel, ping_utils.ping = FakeKernel, fake_ping
    try:
        try:
            ping_utils.run_ping(FakeModule(values))
        except Exit as done:
            if done.failed and not asked:
                assert OPTION_FIRST.match(done.result['msg']), done.result['msg']
    finally:
        _vnet_kernel.Kernel, ping_utils.ping = original_kernel, original_ping


# ---- the new validators ------------------------------------------------------------------------


@PROPERTY
@given(st.one_of(scalars, st.text(min_size=230, max_size=260)))
@example('a\x00b')
@example('é' * 122)
def test_owner_is_printable_text_that_fits_the_alias_or_vnet_error(value):
    try:
        result = validate.owner('owner', value)
    except VnetError as exc:
        assert exc.msg.startswith('owner: ')
        return
    if result is None:
        assert value in (None, '')
        return
    marker = ('linux.vnet:' + result).encode('utf-8')
    assert len(marker) <= validate.ALIAS_MAX
    assert not any(ord(c) < 32 or 127 <= ord(c) < 160 for c in result)  # no NUL, newline, DEL, C1


@PROPERTY
@given(st.one_of(floats, st.booleans(), st.none(), texts))
def test_seconds_is_finite_and_positive_or_vnet_error(value):
    try:
        result = validate.seconds('timeout', value)
    except VnetError as exc:
        assert exc.msg.startswith('timeout: ')
        return
    assert result is None or (math.isfinite(result) and result > 0)
