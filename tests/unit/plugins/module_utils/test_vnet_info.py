# -*- coding: utf-8 -*-
# Copyright: linux.vnet contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""collect(): which namespaces vnet_info reports, and namespaces that vanish while it reads (no kernel)."""

from __future__ import annotations

import pytest

from ansible_collections.linux.vnet.plugins.module_utils._vnet_errors import VnetError
from ansible_collections.linux.vnet.plugins.module_utils._vnet_info import collect
from ansible_collections.linux.vnet.plugins.module_utils._vnet_kernel import HOST


class FakeKernel:
    """Namespaces with no links; ``vanishing`` ones are listed, then gone when their links are read."""

    def __init__(self, mounted, vanishing=(), error=None):
        self.mounted = set(mounted)
        self.vanishing = set(vanishing)
        self.error = error

    def namespaces(self):
        return sorted(self.mounted)

    def namespace_status(self, name):
        return 'mounted' if name in self.mounted else 'absent'

    def links(self, namespace):
        if namespace in self.vanishing:
            self.mounted.discard(namespace)  # someone else ran `ip netns del` meanwhile
            raise self.error or VnetError('namespace %r does not exist' % namespace)
        return []


def names(facts):
    return [n['name'] for n in facts['namespaces']]


@pytest.mark.parametrize(
    'error', [None, FileNotFoundError(2, 'No such file or directory'), OSError(22, 'Invalid argument')]
)
def test_every_namespace_skips_one_removed_while_reading(error):
    kernel = FakeKernel(['a', 'b', 'c'], vanishing=['b'], error=error)
    assert names(collect(kernel)) == [HOST, 'a', 'c']


def test_a_listed_namespace_removed_while_reading_is_still_an_error():
    kernel = FakeKernel(['a', 'b'], vanishing=['b'])
    with pytest.raises(VnetError, match="'b' does not exist"):
        collect(kernel, ['a', 'b'])


def test_an_error_in_a_namespace_that_still_exists_is_not_hidden():
    kernel = FakeKernel(['a', 'b'], vanishing=['b'])
    kernel.namespace_status = lambda name: 'mounted'  # b is still there: the error is real
    with pytest.raises(VnetError):
        collect(kernel)


def test_a_listed_namespace_that_does_not_exist_fails_naming_the_option():
    with pytest.raises(VnetError, match=r"^namespaces: namespace 'x' does not exist"):
        collect(FakeKernel(['a']), ['a', 'x'], include_host=False)


def test_bad_namespace_name_fails_naming_the_option():
    with pytest.raises(VnetError, match=r'^namespaces: '):
        collect(FakeKernel(['a']), ['a/b'])


def test_listed_namespaces_only_and_no_host():
    assert names(collect(FakeKernel(['a', 'b', 'c']), ['c', 'a'], include_host=False)) == ['a', 'c']


class PeerGoneKernel:
    """A host veth whose peer's namespace is removed between reading its nsid and reading the peer."""

    def __init__(self, still_there):
        self.still_there = still_there

    def namespace_of_nsid(self, namespace, nsid, expected=None):
        return 'gone'

    def namespace_status(self, name):
        return 'mounted' if self.still_there else 'absent'

    def link_by_index(self, namespace, ifindex):
        raise VnetError('namespace %r does not exist' % namespace)


VETH_STATE = {'namespace': HOST, 'link_netnsid': 3, 'link_index': 2}


def test_a_peer_whose_namespace_is_removed_while_reading_is_unnamed():
    from ansible_collections.linux.vnet.plugins.module_utils._vnet_link import linked

    assert linked(PeerGoneKernel(still_there=False), VETH_STATE) == ('', None)


def test_a_peer_read_error_in_a_namespace_that_exists_is_not_hidden():
    from ansible_collections.linux.vnet.plugins.module_utils._vnet_link import linked

    with pytest.raises(VnetError):
        linked(PeerGoneKernel(still_there=True), VETH_STATE)
