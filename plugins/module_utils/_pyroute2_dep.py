# -*- coding: utf-8 -*-
# Copyright: linux.vnet contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""pyroute2, the netlink library every kernel-facing module needs."""

from __future__ import annotations

import traceback

from ansible_collections.linux.vnet.plugins.module_utils._vnet_deps import Dependency

try:
    from pyroute2 import IPRoute, netns
    from pyroute2.netlink.exceptions import NetlinkDumpInterrupted, NetlinkError

    IMPORT_ERROR = None
except ImportError:
    IMPORT_ERROR = traceback.format_exc()
    IPRoute = netns = None

    class NetlinkError(Exception):  # placeholder so that except clauses stay valid
        code = None

    class NetlinkDumpInterrupted(NetlinkError):
        pass


__all__ = ['PYROUTE2', 'IMPORT_ERROR', 'IPRoute', 'NetlinkDumpInterrupted', 'NetlinkError', 'netns']

PYROUTE2 = Dependency(
    name='pyroute2',
    probe='pyroute2',
    minimum='0.7.2',
    url='https://pypi.org/project/pyroute2/',
    packages='On Debian/Ubuntu install python3-pyroute2; elsewhere pip install pyroute2.',
    import_error=IMPORT_ERROR,
)
