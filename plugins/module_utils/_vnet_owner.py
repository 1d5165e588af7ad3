# -*- coding: utf-8 -*-
# Copyright: linux.vnet contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ownership marker: what lets a purge tell the collection's objects from everyone else's.

Every link the collection creates carries the marker as its interface alias (IFLA_IFALIAS, shown
by `ip link` as "alias"); every namespace carries it on its loopback device, so the marker lives
and dies with the namespace. Every Open vSwitch bridge and port carries it in its ``external_ids``,
under OVSDB_KEY. An owner (vnet_topology's ``owner``) narrows it further, so that two
topologies on one host never purge each other's objects.
"""

from __future__ import annotations

MARKER = 'linux.vnet'


def marker_for(owner=None):
    return MARKER if not owner else '%s:%s' % (MARKER, owner)


# the external_ids key of the marker on Open vSwitch bridges and ports
OVSDB_KEY = 'linux.vnet.owner'
