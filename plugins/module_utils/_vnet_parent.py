# -*- coding: utf-8 -*-
# Copyright: linux.vnet contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Kinds that hang off a parent link (macvlan, macvtap, ipvlan): the parent as an identity."""

from __future__ import annotations

from ansible_collections.linux.vnet.plugins.module_utils import _vnet_validate as validate
from ansible_collections.linux.vnet.plugins.module_utils._vnet_errors import VnetError
from ansible_collections.linux.vnet.plugins.module_utils._vnet_kernel import UNKNOWN, where
from ansible_collections.linux.vnet.plugins.module_utils._vnet_link import IdentityField, LinkKind, linked

UNNAMED = '<unnamed namespace>'

PARENT_OPTIONS = dict(
    link=dict(type='str', required=True),
    link_namespace=dict(type='str'),
)


def busy_parent_hint(parent, other_children, kind):
    """Why the kernel answers EBUSY to a new macvlan/macvtap/ipvlan child: its parent's receive handler is
    taken, by the other family of children or by a master the parent is a port of."""
    return (
        'link: the parent %r is busy: it already has %s children, or it is a port of a bridge, bond or '
        'Open vSwitch; ipvlan and macvlan cannot share a lower device, and a port cannot carry a %s'
        % (parent, other_children, kind)
    )


class ParentedKind(LinkKind):
    """A link created on a parent (``link`` in ``link_namespace``) and placed in ``namespace``."""

    parent_fields = (IdentityField('link'), IdentityField('link_namespace', null_is_value=True))
    # parent kinds this kind refuses to stack on: kind -> why
    refused_parents = {}

    def desired(self, params):
        desired = super().desired(params)
        desired.update(
            link=validate.interface_name('link', params['link']),
            link_namespace=validate.namespace_name('link_namespace', params['link_namespace']),
        )
        if (desired['link_namespace'], desired['link']) == (desired['namespace'], desired['name']):
            # with recreate: true it would delete the link, then fail to create it on itself
            raise VnetError(
                'link: a %s cannot be its own parent (%s)' % (self.kind, where(desired['link'], desired['namespace']))
            )
        return desired

    def check_namespaces(self, kernel, desired):
        kernel.require_namespace('namespace', desired['namespace'])
        kernel.require_namespace('link_namespace', desired['link_namespace'])

    def read_extra(self, kernel, state, current, desired=None):
        namespace, parent = linked(kernel, state, desired['link_namespace'] if desired else UNKNOWN)
        current['link'] = parent['name'] if parent else None
        current['link_namespace'] = namespace if namespace != '' else UNNAMED

    def create_from(self, desired):
        return desired['link_namespace']

    def check_create(self, kernel, obj):
        namespace, name = obj.desired['link_namespace'], obj.desired['link']
        parent = kernel.link(namespace, name)
        if parent is None:
            raise VnetError('link: parent interface %s does not exist' % where(name, namespace))
        why = self.refused_parents.get(parent['kind'])
        if why:
            raise VnetError('link: parent %s is a %s: %s' % (where(name, namespace), parent['kind'], why))
        mtu = obj.desired.get('mtu')
        if mtu is not None and parent['mtu'] is not None and mtu > parent['mtu']:
            raise VnetError(
                'mtu: %d is above the mtu %d of the parent %s; a %s cannot exceed its parent'
                % (mtu, parent['mtu'], where(name, namespace), self.kind)
            )
        self._parent_index = parent['ifindex']

    def create_kwargs(self, kernel, obj):
        return {'link': self._parent_index}
