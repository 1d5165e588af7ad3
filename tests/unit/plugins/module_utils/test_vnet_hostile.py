# -*- coding: utf-8 -*-
# Copyright: linux.vnet contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Hostile input (issue 9, item 4): each case fails in validation, before any change, with a
message naming the option. Every test here failed before its fix: the input was accepted and
reached the kernel (an EINVAL/EOPNOTSUPP/EADDRNOTAVAIL naming no option, or worse), or raised
something other than VnetError (a traceback)."""

from __future__ import annotations

import contextlib
import errno

import pytest
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.linux.vnet.plugins.module_utils import _vnet_info as info_utils
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
from ansible_collections.linux.vnet.plugins.module_utils._vnet_namespace import (
    NamespaceObject,
    missing_in_new_namespace,
)
from ansible_collections.linux.vnet.plugins.module_utils._vnet_ovs import OvsBridgeSpec
from ansible_collections.linux.vnet.plugins.module_utils._vnet_topology import Topology, TopologySpec


def build(description, **params):
    """What the module does with ``params``: its argument spec, then build() (or LinkObject)."""
    checked = ArgumentSpecValidator(
        description.argument_spec(),
        mutually_exclusive=description.mutually_exclusive or None,
        required_if=description.required_if or None,
        required_by=getattr(description, 'required_by', None) or None,
    ).validate(params)
    assert not checked.error_messages, checked.error_messages
    values = checked.validated_parameters
    builder = getattr(description, 'build', None)
    return builder(values) if builder else LinkObject(description, values)


def refused(description, option, **params):
    with pytest.raises(VnetError) as err:
        build(description, **params)
    assert err.value.msg.startswith(option + ':'), err.value.msg
    return err.value.msg


# ---- addresses the kernel refuses (IPv6: EADDRNOTAVAIL) or silently ignores (0.0.0.0) ------------


@pytest.mark.parametrize('address', ['0.0.0.0/0', '0.0.0.0/8', '::/0', '224.0.0.1/4', 'ff02::5/64', '::1/128'])
def test_unassignable_addresses_are_refused(address):
    msg = refused(Veth(), 'addresses', name='a', peer='b', addresses=[address])
    assert 'must be unicast' in msg
    refused(Veth(), 'peer_addresses', name='a', peer='b', peer_addresses=[address])


@pytest.mark.parametrize('address', ['10.0.0.0/24', '10.0.0.255/24', '127.0.0.2/8', '169.254.1.1/16', 'fe80::1/64'])
def test_addresses_the_kernel_takes_stay_accepted(address):
    assert build(Bridge(), name='br', addresses=[address]).desired['addresses'] == [address]


# ---- sysctls -----------------------------------------------------------------------------------


@pytest.mark.parametrize('key', ['net//ipv4/ip_forward', 'net.ipv4.', 'net/./ipv4/ip_forward', 'net/ipv4/'])
def test_sysctl_keys_with_empty_or_dot_parts_are_refused(key):
    # before: accepted, then open('/proc/sys/net//ipv4') raised IsADirectoryError (a traceback)
    with pytest.raises(VnetError, match='^sysctls: '):
        validate.sysctls('sysctls', {key: 1})


def test_sysctl_value_with_nul_is_refused():
    # the kernel cuts a written value at the NUL; the read-back would never match
    with pytest.raises(VnetError, match='^sysctls: value of net.ipv4.ip_forward must not contain control'):
        validate.sysctls('sysctls', {'net.ipv4.ip_forward': '1\x00'})


class InsideKernel:
    """kernel.inside() without entering a namespace: the test reads this process's /proc/sys."""

    def inside(self, name):
        return contextlib.nullcontext()


def test_sysctl_key_naming_a_directory_is_a_vnet_error_on_an_existing_namespace():
    # 'net.ipv4' is a valid key by syntax, but /proc/sys/net/ipv4 is a directory: IsADirectoryError before
    obj = NamespaceObject({'name': 'n', 'state': 'present', 'loopback': True, 'sysctls': {'net.ipv4': 1}})
    with pytest.raises(VnetError, match='^sysctls: net.ipv4 is a group of settings'):
        obj._read_sysctls(InsideKernel())


def test_sysctl_key_naming_a_directory_is_missing_from_a_new_namespace():
    # before: os.path.exists() took the directory, and the write failed with EISDIR after the create
    assert missing_in_new_namespace(['net/ipv4', 'net/ipv4/ip_forward'], ['net.ipv4', 'net.ipv4.ip_forward']) == [
        'net.ipv4'
    ]


def test_a_sysctl_value_the_kernel_rejects_names_the_option():
    obj = NamespaceObject({'name': 'n', 'state': 'present', 'loopback': False, 'sysctls': {'net.ipv4.ip_forward': 'x'}})
    (step,) = obj._settings_steps(kernel=None, current={'sysctls': {'net.ipv4.ip_forward': '0'}})
    assert step.hints[errno.EINVAL].startswith("sysctls: the kernel rejected 'x' as the value of net.ipv4.ip_forward")


# ---- a link as its own master or parent --------------------------------------------------------


def test_a_link_cannot_be_its_own_master():
    # before: created, then RTM_SETLINK master=itself failed with EOPNOTSUPP ("this kernel does not support ...")
    refused(Bridge(), 'master', name='br', master='br')
    refused(Veth(), 'master', name='a', peer='b', master='a')


@pytest.mark.parametrize(
    'params, option',
    [
        (dict(master='b'), 'master'),
        (dict(peer_master='b'), 'peer_master'),
        (dict(peer_master='a'), 'peer_master'),
    ],
)
def test_a_veth_end_is_never_the_bridge_of_its_pair(params, option):
    msg = refused(Veth(), option, name='a', peer='b', **params)
    assert 'end of this veth pair' in msg


def test_a_veth_master_of_the_same_name_in_another_namespace_is_fine():
    assert build(Veth(), name='a', peer='b', peer_namespace='n', master='b').desired['master'] == 'b'


@pytest.mark.parametrize('description', [MacvlanSpec(), Ipvlan()])
def test_a_sub_interface_cannot_be_its_own_parent(description):
    # before: with recreate: true the existing link was deleted, then could not be created on itself
    refused(description, 'link', name='m', link='m')
    refused(description, 'link', name='m', link='m', namespace='n', link_namespace='n')
    assert build(description, name='m', link='m', namespace='n').desired['link'] == 'm'


# ---- VXLAN -------------------------------------------------------------------------------------


@pytest.mark.parametrize('option', ['peers', 'remote', 'local'])
def test_vxlan_scope_ids_are_refused(option):
    # before: peers ['fe80::1%lo'] reached pyroute2 and raised "illegal IP address string" (a traceback)
    value = ['fe80::1%lo'] if option == 'peers' else 'fe80::1%lo'
    msg = refused(Vxlan(), option, name='vx', vni=1, dev='eth0', **{option: value})
    assert 'scope id' in msg


@pytest.mark.parametrize('option', ['local', 'remote'])
def test_vxlan_link_local_underlay_needs_dev(option):
    # the kernel: "Local interface required for link-local local/remote addresses" (EINVAL)
    refused(Vxlan(), option, name='vx', vni=1, **{option: 'fe80::1'})
    assert build(Vxlan(), name='vx', vni=1, dev='eth0', **{option: 'fe80::1'}).desired[option] == 'fe80::1'
    assert build(Vxlan(), name='vx', vni=1, **{option: '169.254.0.1'}).desired[option] == '169.254.0.1'


def test_vxlan_remote_cannot_be_local():
    refused(Vxlan(), 'remote', name='vx', vni=1, local='10.0.0.1', remote='10.0.0.1')


def test_vxlan_duplicate_fdb_entries_are_refused():
    entry = {'mac': '02:00:00:00:00:01', 'dst': '10.0.0.1'}
    same = {'mac': '02-00-00-00-00-01', 'dst': ' 10.0.0.1'}
    msg = refused(Vxlan(), 'fdb', name='vx', vni=1, fdb=[entry, same])
    assert 'listed twice' in msg


def test_vxlan_peers_are_normalised_as_documented():
    # duplicates and the local address are dropped (the docs say so), not refused
    obj = build(Vxlan(), name='vx', vni=1, local='10.0.0.1', peers=['10.0.0.2', '10.0.0.1', ' 10.0.0.2'])
    assert obj.desired['peers'] == ['10.0.0.2']


# ---- Open vSwitch ------------------------------------------------------------------------------


def vxlan_port(**options):
    return {'name': 'vx', 'type': 'vxlan', 'options': dict({'remote_ip': '10.0.0.2'}, **options)}


@pytest.mark.parametrize(
    'option, value',
    [('key', '²'), ('ttl', '²'), ('tos', '³'), ('dst_port', '٣'), ('in_key', '①')],
)
def test_ovs_numbers_take_ascii_digits_only(option, value):
    # before: '²'.isdigit() is True and int('²') raised ValueError (a traceback); '٣' went to OVSDB
    refused(OvsBridgeSpec(), 'ports[0].options.' + option, bridge='br', ports=[vxlan_port(**{option: value})])


def test_ovs_boolean_tunnel_options_are_true_or_false():
    refused(OvsBridgeSpec(), 'ports[0].options.csum', bridge='br', ports=[vxlan_port(csum='maybe')])
    assert build(OvsBridgeSpec(), bridge='br', ports=[vxlan_port(csum=True)]).ports[0]['options']['csum'] == 'true'


def test_ovs_remote_ip_with_scope_id_is_refused():
    refused(OvsBridgeSpec(), 'ports[0].options.remote_ip', bridge='br', ports=[vxlan_port(remote_ip='fe80::1%eth0')])


def test_ovs_patch_port_cannot_be_its_own_peer():
    port = {'name': 'p0', 'type': 'patch', 'options': {'peer': 'p0'}}
    refused(OvsBridgeSpec(), 'ports[0].options.peer', bridge='br', ports=[port])


@pytest.mark.parametrize('column', ['external_ids', 'other_config'])
@pytest.mark.parametrize('value', [{'k': 'a\x00b'}, {'k\x00': 'x'}, {'k': 'a\ud800'}])
def test_ovs_config_text_ovsdb_cannot_store_is_refused(column, value):
    refused(OvsBridgeSpec(), column + '.' + next(iter(value)), bridge='br', **{column: value})


@pytest.mark.parametrize('timeout', [0, -1, float('nan'), float('inf')])
def test_ovs_timeout_must_be_finite_and_positive(timeout):
    # NaN never passes the deadline check: a run against a socket that does not answer never ended
    refused(OvsBridgeSpec(), 'timeout', bridge='br', timeout=timeout)


# ---- vnet_topology -----------------------------------------------------------------------------


def topology(links=(), namespaces=(), owner=None):
    return build(TopologySpec(), links=list(links), namespaces=list(namespaces), owner=owner)


@pytest.mark.parametrize('kind', [['veth'], {'veth': 1}])
def test_topology_kind_of_a_wrong_type_is_a_vnet_error(kind):
    # before: TypeError: unhashable type (a traceback)
    with pytest.raises(VnetError, match=r'^links\[0\]: kind must be one of'):
        topology(links=[{'kind': kind, 'name': 'x'}])


def test_topology_duplicate_namespaces_name_both_entries():
    with pytest.raises(VnetError) as err:
        topology(namespaces=[{'name': 'a'}, {'name': 'b'}, {'name': 'a', 'state': 'absent'}])
    assert err.value.msg == "namespaces[2]: namespace 'a' is declared twice (also by namespaces[0])"


def test_topology_duplicate_links_name_both_entries():
    with pytest.raises(VnetError) as err:
        topology(links=[{'kind': 'veth', 'name': 'a', 'peer': 'b'}, {'kind': 'bridge', 'name': 'b'}])
    assert err.value.msg == (
        "links[1] (bridge 'b'): link 'b' in the host namespace is declared twice (also by links[0])"
    )


def test_topology_bad_namespace_entry_names_its_index():
    with pytest.raises(VnetError, match=r"^namespaces\[1\]: name: '\.\./etc' is not a valid namespace name"):
        topology(namespaces=[{'name': 'a'}, {'name': '../etc'}])


@pytest.mark.parametrize('owner', ['red\nblue', 'red\x00blue', 'x' * 245, 'é' * 123, 'a\ud800'])
def test_topology_owner_must_fit_the_alias_as_printable_text(owner):
    # before: accepted; the kernel cut 'red\x00blue' to 'red' (a purge of owner 'red' would take these
    # objects) and refused a 300-byte alias only after the create ("a value is out of the range")
    with pytest.raises(VnetError, match='^owner: '):
        topology(owner=owner)


def test_topology_owner_of_the_longest_size_is_accepted():
    assert Topology({'namespaces': [], 'links': [], 'ovs': [], 'purge': False, 'owner': 'o' * 244}).marker == (
        'linux.vnet:' + 'o' * 244
    )


# ---- vnet_ping and vnet_info timeouts ----------------------------------------------------------


class Exit(Exception):
    def __init__(self, result):
        super().__init__(result.get('msg'))
        self.result = result


class FakeModule:
    def __init__(self, **params):
        self.params = params

    def fail_json(self, **result):
        raise Exit(result)

    exit_json = fail_json


class FakeKernel:
    def require_namespace(self, option, name):
        pass

    def namespaces(self):
        return []

    def links(self, namespace):
        return []

    def close(self):
        pass


@pytest.mark.parametrize('timeout', [float('nan'), float('inf')])
def test_ping_timeout_must_be_finite(monkeypatch, timeout):
    # before: select() raised "Invalid value NaN" / "timestamp out of range" (a traceback)
    monkeypatch.setattr(_vnet_kernel, 'Kernel', FakeKernel)
    monkeypatch.setattr(ping_utils, 'ping', lambda *a, **k: pytest.fail('pinged'))
    module = FakeModule(namespace=None, targets=['10.0.0.1'], count=1, timeout=timeout, expect='any')
    with pytest.raises(Exit) as caught:
        ping_utils.run_ping(module)
    assert caught.value.result['msg'].startswith('timeout: ')


def test_ping_count_is_bounded(monkeypatch):
    # before: 10**9 echo requests were sent, 0.2 s apart
    monkeypatch.setattr(_vnet_kernel, 'Kernel', FakeKernel)
    monkeypatch.setattr(ping_utils, 'ping', lambda *a, **k: pytest.fail('pinged'))
    module = FakeModule(namespace=None, targets=['10.0.0.1'], count=10**9, timeout=1.0, expect='any')
    with pytest.raises(Exit) as caught:
        ping_utils.run_ping(module)
    assert caught.value.result['msg'] == 'count: 1000000000 is above 1000 echo requests per target'


@pytest.mark.parametrize('timeout', [float('nan'), float('inf'), 0.0])
def test_info_ovs_timeout_must_be_finite_and_positive(monkeypatch, timeout):
    monkeypatch.setattr(_vnet_kernel, 'Kernel', FakeKernel)
    module = FakeModule(namespaces=None, host=True, format='facts', ovs_db='unix:/nonexistent', ovs_timeout=timeout)
    with pytest.raises(Exit) as caught:
        info_utils.run_info(module)
    assert caught.value.result['msg'].startswith('ovs_timeout: ')
