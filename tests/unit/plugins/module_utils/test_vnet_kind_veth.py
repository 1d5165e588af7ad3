# -*- coding: utf-8 -*-
# Copyright: linux.vnet contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Veth().desired(): validation and normalisation of a veth pair's options (no kernel)."""

from __future__ import annotations

import pytest

from ansible_collections.linux.vnet.plugins.module_utils._vnet_errors import VnetError
from ansible_collections.linux.vnet.plugins.module_utils._vnet_kind_veth import PEER, Veth
from ansible_collections.linux.vnet.plugins.module_utils._vnet_link import MAIN


def params(**overrides):
    """Every key of the argument spec, with its default, as AnsibleModule would pass them."""
    result = {key: spec.get('default') for key, spec in Veth().argument_spec().items()}
    result.update(name='v0', peer='v1')
    result.update(overrides)
    return result


def test_argument_spec_has_the_peer_options():
    spec = Veth().argument_spec()
    assert spec['peer'] == {'type': 'str', 'required': True}
    assert {'peer_namespace', 'peer_addresses', 'peer_mac_address', 'peer_master'} <= set(spec)
    assert set(params()) == set(spec)


def test_defaults():
    desired = Veth().desired(params())
    assert desired == {
        'name': 'v0',
        'namespace': None,
        'kind': 'veth',
        'up': True,
        'mtu': None,
        'mac_address': None,
        'addresses': None,
        'master': None,
        'peer': 'v1',
        'peer_namespace': None,
        'peer_addresses': None,
        'peer_mac_address': None,
        'peer_master': None,
        'peer_mtu': None,
        'peer_up': True,
    }


def test_every_field_has_a_desired_value():
    veth = Veth()
    desired = veth.desired(params())
    assert {field.key for field in veth.all_fields()} <= set(desired)


def test_peer_options_are_normalised_and_mtu_up_shared():
    desired = Veth().desired(
        params(
            namespace='a',
            peer_namespace='b',
            mtu=1400,
            up=False,
            addresses=['10.0.0.1/30'],
            peer_addresses=['FD00::2/64', '10.0.0.2/30'],
            peer_mac_address='02-00-00-00-00-0B',
            peer_master='',
        )
    )
    assert desired['peer_addresses'] == ['10.0.0.2/30', 'fd00::2/64']
    assert desired['peer_mac_address'] == '02:00:00:00:00:0b'
    assert desired['peer_master'] == ''
    assert desired['peer_mtu'] == desired['mtu'] == 1400
    assert desired['peer_up'] is desired['up'] is False


def test_end_names_and_creates():
    veth = Veth()
    desired = veth.desired(params(namespace='a', peer_namespace='b'))
    assert veth.end_names(desired) == {MAIN: ('a', 'v0'), PEER: ('b', 'v1')}
    assert veth.creates(desired) == [('a', 'v0'), ('b', 'v1')]


@pytest.mark.parametrize('namespace', [None, 'lab'])
def test_peer_equal_to_name_in_the_same_namespace_is_refused(namespace):
    with pytest.raises(VnetError) as err:
        Veth().desired(params(name='v0', peer='v0', namespace=namespace, peer_namespace=namespace))
    assert err.value.msg.startswith('peer: a veth cannot be its own peer (')
    assert "'v0'" in err.value.msg


@pytest.mark.parametrize('namespace, peer_namespace', [(None, 'lab'), ('lab', None), ('a', 'b')])
def test_same_name_in_different_namespaces_is_fine(namespace, peer_namespace):
    desired = Veth().desired(params(name='v0', peer='v0', namespace=namespace, peer_namespace=peer_namespace))
    assert (desired['name'], desired['peer']) == ('v0', 'v0')


@pytest.mark.parametrize(
    'overrides, option',
    [
        (dict(peer=''), 'peer'),
        (dict(peer='x' * 16), 'peer'),
        (dict(peer='a:b'), 'peer'),
        (dict(peer_namespace='a/b'), 'peer_namespace'),
        (dict(peer_addresses=['10.0.0.1/24', '10.0.0.1/24']), 'peer_addresses'),
        (dict(peer_mac_address='00:00:00:00:00:00'), 'peer_mac_address'),
        (dict(peer_master='bad name'), 'peer_master'),
        (dict(name='.'), 'name'),
        (dict(mtu=65536), 'mtu'),
    ],
)
def test_invalid_options_are_refused_with_their_name(overrides, option):
    with pytest.raises(VnetError) as err:
        Veth().desired(params(**overrides))
    assert err.value.msg.startswith(option + ': ')
