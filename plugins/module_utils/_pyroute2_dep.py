# -*- coding: utf-8 -*-
# Copyright: linux.vnet contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""pyroute2, the netlink library every kernel-facing module needs."""

from __future__ import annotations

import importlib.util
import sys
import traceback

from ansible_collections.linux.vnet.plugins.module_utils._vnet_deps import Dependency


def _import_light():
    """Import the three pyroute2 modules the engine uses without running the package's __init__.

    That __init__ imports every part of pyroute2 (NDB, IPDB, ipset, ...) and scans the entry points of
    every installed distribution: ~0.07 s of CPU in each module run here, for nothing the engine uses.
    The package module is made from its real spec and runs its __init__ after all, in place, as soon as
    anything asks it for a name the light import did not load (``from pyroute2 import NDB`` works).
    """
    if 'pyroute2' in sys.modules:
        return False  # already imported (as a whole, or light by an earlier import): nothing to save
    spec = importlib.util.find_spec('pyroute2')
    if spec is None or spec.loader is None or not spec.submodule_search_locations:
        return False
    package = importlib.util.module_from_spec(spec)
    before = set(sys.modules)
    sys.modules['pyroute2'] = package
    try:
        importlib.import_module('pyroute2.iproute')
        importlib.import_module('pyroute2.netns')
        importlib.import_module('pyroute2.netlink.exceptions')
        package.IPRoute = package.iproute.IPRoute  # what the package's __init__ exports under that name
    except Exception:
        for name in set(sys.modules) - before:  # as if never tried: the whole import runs next
            del sys.modules[name]
        return False

    def complete(name):
        # a submodule: let the import system load it (``from pyroute2 import config`` inside pyroute2)
        if importlib.util.find_spec('pyroute2.' + name) is not None:
            raise AttributeError(name)
        del package.__getattr__
        spec.loader.exec_module(package)
        return getattr(package, name)

    package.__getattr__ = complete
    return True


try:
    try:
        _import_light()
    except Exception:  # never worse than the plain import below
        pass
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
