# -*- coding: utf-8 -*-
# Copyright: linux.vnet contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Parented kinds (macvlan): the parent namespace as an identity, the parent's MTU as a limit."""

from __future__ import annotations

import pytest

from ansible_collections.linux.vnet.plugins.module_utils._vnet_errors import VnetError
from ansible_collections.linux.vnet.plugins.module_utils._vnet_kind_macvlan import Macvlan
from ansible_collections.linux.vnet.plugins.module_utils._vnet_link import LinkObject


def params(**overrides):
    result = {key: spec.get('default') for key, spec in Macvlan().argument_spec().items()}
    result.update(name='m0', namespace='a', link='p0')
    result.update(overrides)
    return result


class ParentOnly:
    """The one kernel call check_create makes: look the parent up."""

    def __init__(self, parent):
        self.parent = parent

    def link(self, namespace, name):
        return self.parent


def immutable_differences(current, **overrides):
    obj = LinkObject(Macvlan(), params(**overrides))
    return obj.plan_update(kernel=None, current=dict(current, kind='macvlan'))[1]


def test_an_omitted_link_namespace_means_the_host_and_is_compared():
    current = {'link': 'p0', 'link_namespace': 'h'}
    assert immutable_differences(current) == ["link_namespace: 'h' -> None"]
    assert immutable_differences(current, link_namespace='h') == []


def test_a_parent_in_the_host_matches_an_omitted_link_namespace():
    assert immutable_differences({'link': 'p0', 'link_namespace': None}) == []


def test_check_mode_predicts_the_host_namespace_for_an_omitted_link_namespace():
    obj = LinkObject(Macvlan(), params())
    assert obj.predict({'link': 'p0', 'link_namespace': 'h'})['link_namespace'] is None


@pytest.mark.parametrize('mtu', [1400, 1500, None])
def test_mtu_up_to_the_parents_is_accepted(mtu):
    obj = LinkObject(Macvlan(), params(mtu=mtu))
    Macvlan().check_create(ParentOnly({'kind': 'veth', 'mtu': 1500, 'ifindex': 7}), obj)


def test_mtu_above_the_parents_names_mtu_not_passthru():
    obj = LinkObject(Macvlan(), params(mtu=9000))
    with pytest.raises(VnetError) as caught:
        Macvlan().check_create(ParentOnly({'kind': 'veth', 'mtu': 1500, 'ifindex': 7}), obj)
    assert caught.value.msg.startswith('mtu: 9000 is above the mtu 1500 of the parent')
    assert 'passthru' not in caught.value.msg
