# -*- coding: utf-8 -*-
# Copyright: linux.vnet contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""EBUSY when creating a macvlan/macvtap/ipvlan child: the parent's receive handler is taken.

Found by the full-kernel lane (tests/kernel): on a stock kernel a macvlan on a parent that has ipvlan
children failed with the bare "the device is busy"; the ipvlan side blamed macvlan children only, though
a parent that is a bridge, bond or Open vSwitch port answers EBUSY too.
"""

from __future__ import annotations

import errno

import pytest
from pyroute2.netlink.exceptions import NetlinkError

from ansible_collections.linux.vnet.plugins.module_utils._vnet_engine import Journal, Step
from ansible_collections.linux.vnet.plugins.module_utils._vnet_errors import VnetError
from ansible_collections.linux.vnet.plugins.module_utils._vnet_kind_ipvlan import Ipvlan
from ansible_collections.linux.vnet.plugins.module_utils._vnet_kind_macvlan import Macvlan, Macvtap


def _busy():
    raise NetlinkError(errno.EBUSY)


def create_failure(kind, **desired):
    """The message a create step of `kind` fails with when the kernel answers EBUSY."""
    desired = dict({'link': 'p0', 'mode': 'bridge'}, **desired)
    step = Step('create %s m0' % kind.kind, _busy, kind=kind.kind, hints=kind.create_hints(desired))
    with pytest.raises(VnetError) as caught:
        Journal().apply([step])
    assert caught.value.details['errno'] == errno.EBUSY
    return caught.value.msg


@pytest.mark.parametrize('kind', [Macvlan(), Macvtap()], ids=['macvlan', 'macvtap'])
@pytest.mark.parametrize('mode', ['bridge', 'private', 'vepa', 'passthru', 'source'])
def test_a_macvlan_on_a_busy_parent_names_the_ipvlan_children(kind, mode):
    msg = create_failure(kind, mode=mode)
    assert msg.startswith('create %s m0 failed: link: ' % kind.kind)
    assert "the parent 'p0' is busy: it already has ipvlan children" in msg
    assert 'ipvlan and macvlan cannot share a lower device' in msg
    assert 'bridge, bond or Open vSwitch' in msg


def test_an_ipvlan_on_a_busy_parent_names_macvlan_children_and_ports():
    msg = create_failure(Ipvlan(), mode='l2', flags='bridge')
    assert msg.startswith('create ipvlan m0 failed: link: ')
    assert "the parent 'p0' is busy: it already has macvlan or macvtap children" in msg
    assert 'a port of a bridge, bond or Open vSwitch' in msg


def test_passthru_keeps_its_own_einval_hint():
    hints = Macvlan().create_hints({'link': 'p0', 'mode': 'passthru'})
    assert 'mode passthru needs the parent' in hints[errno.EINVAL]
    assert errno.EBUSY in hints
