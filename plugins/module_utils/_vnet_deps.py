# -*- coding: utf-8 -*-
# Copyright: linux.vnet contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The pyroute2 dependency: import guard, minimum version, respawn into a system Python."""

from __future__ import annotations

import sys
import traceback

from ansible.module_utils.basic import missing_required_lib
from ansible.module_utils.common.respawn import has_respawned, probe_interpreters_for_module, respawn_module
from ansible.module_utils.compat.version import LooseVersion

PYROUTE2_MIN_VERSION = '0.7.2'
PYROUTE2_URL = 'https://pypi.org/project/pyroute2/'
# Interpreters where distributions install python3-pyroute2 (Debian/Ubuntu, RHEL platform-python).
SYSTEM_PYTHONS = ('/usr/bin/python3', '/usr/libexec/platform-python', '/usr/bin/python')

try:
    import pyroute2  # noqa: F401  (imported for the guard; users import from the submodules)
    from pyroute2 import IPRoute, netns  # noqa: F401
    from pyroute2.netlink.exceptions import NetlinkError  # noqa: F401

    HAS_PYROUTE2 = True
    PYROUTE2_IMPORT_ERROR = None
except ImportError:
    HAS_PYROUTE2 = False
    PYROUTE2_IMPORT_ERROR = traceback.format_exc()
    IPRoute = netns = None

    class NetlinkError(Exception):  # placeholder so that except clauses stay valid
        code = None


def pyroute2_version():
    """Distribution builds may report __version__ 'unknown'; the package metadata does not."""
    try:
        from importlib.metadata import version

        return version('pyroute2')
    except Exception:
        return getattr(pyroute2, '__version__', 'unknown')


def ensure_pyroute2(module):
    """Fail (or respawn into a Python that has it) unless a recent enough pyroute2 is importable."""
    if not HAS_PYROUTE2:
        if not has_respawned():
            interpreter = probe_interpreters_for_module(SYSTEM_PYTHONS, 'pyroute2')
            if interpreter:
                respawn_module(interpreter)
        module.fail_json(
            msg=missing_required_lib('pyroute2 >= %s' % PYROUTE2_MIN_VERSION, url=PYROUTE2_URL)
            + ' On Debian/Ubuntu install python3-pyroute2; elsewhere pip install pyroute2.',
            exception=PYROUTE2_IMPORT_ERROR,
        )
    found = pyroute2_version()
    if found != 'unknown' and LooseVersion(found) < LooseVersion(PYROUTE2_MIN_VERSION):
        module.fail_json(
            msg='pyroute2 %s (for %s) is too old: linux.vnet needs pyroute2 >= %s'
            % (found, sys.executable, PYROUTE2_MIN_VERSION)
        )
