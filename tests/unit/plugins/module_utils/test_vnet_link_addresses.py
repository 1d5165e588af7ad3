# -*- coding: utf-8 -*-
# Copyright: linux.vnet contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""AddressesField: the exact address set, including what the kernel does to it behind our back."""

from __future__ import annotations

import errno

from ansible_collections.linux.vnet.plugins.module_utils._vnet_kind_macvlan import Macvlan
from ansible_collections.linux.vnet.plugins.module_utils._vnet_link import AddressesField, LinkObject

BOTH = ['10.0.0.1/24', 'fd00::1/64']


class GoneNamespace:
    """Enough kernel for the lockout guard to stand down: the namespace is not there."""

    def namespace_status(self, name):
        return 'absent'


def link(**overrides):
    params = {key: spec.get('default') for key, spec in Macvlan().argument_spec().items()}
    params.update(name='m0', namespace='a', link='p0')
    params.update(overrides)
    return LinkObject(Macvlan(), params)


def test_same_addresses_on_a_link_staying_up_is_no_change():
    assert not AddressesField('addresses').differs(BOTH, BOTH, link())


def test_going_down_loses_the_ipv6_addresses_so_they_are_added_again():
    obj = link()
    obj.going_down = {'main'}
    field = AddressesField('addresses')
    assert field.differs(BOTH, BOTH, obj)
    steps = field.steps(GoneNamespace(), obj, BOTH, BOTH)
    assert [step.description for step in steps] == ["add address fd00::1/64 to 'm0' in namespace 'a'"]


def test_going_down_with_ipv4_only_is_no_change():
    obj = link()
    obj.going_down = {'main'}
    assert not AddressesField('addresses').differs(['10.0.0.1/24'], ['10.0.0.1/24'], obj)


def test_an_ipv6_address_carries_the_ipv6_disabled_hint_and_ipv4_does_not():
    obj = link()
    steps = AddressesField('addresses').steps(None, obj, [], ['10.0.0.1/24', 'fd00::1/64'])
    assert [bool(step.hints) for step in steps] == [False, True]
    assert 'IPv6 is disabled' in steps[1].hints[errno.EACCES]
    assert 'net.ipv6.conf.m0.disable_ipv6' in steps[1].hints[errno.EACCES]
