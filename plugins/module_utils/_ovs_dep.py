# -*- coding: utf-8 -*-
# Copyright: linux.vnet contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ``ovs`` library (shipped with Open vSwitch) that speaks OVSDB for vnet_ovs."""

from __future__ import annotations

import traceback

from ansible_collections.linux.vnet.plugins.module_utils._vnet_deps import Dependency

try:
    from ovs import jsonrpc, poller, stream
    from ovs.db import idl

    IMPORT_ERROR = None
except ImportError:
    IMPORT_ERROR = traceback.format_exc()
    idl = jsonrpc = poller = stream = None

__all__ = ['OVS', 'IMPORT_ERROR', 'idl', 'jsonrpc', 'poller', 'stream']

OVS = Dependency(
    name='ovs',
    probe='ovs.db.idl',
    minimum='2.13.0',
    url='https://pypi.org/project/ovs/',
    packages='On Debian/Ubuntu install python3-openvswitch; elsewhere pip install ovs.',
    import_error=IMPORT_ERROR,
)
