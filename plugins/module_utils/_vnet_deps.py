# -*- coding: utf-8 -*-
# Copyright: linux.vnet contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Python library requirements: import guard result, minimum version, respawn into a system Python."""

from __future__ import annotations

import sys

from ansible.module_utils.basic import missing_required_lib
from ansible.module_utils.common.respawn import has_respawned, probe_interpreters_for_module, respawn_module
from ansible.module_utils.compat.version import LooseVersion

# Interpreters where distributions install their python3-* library packages (Debian/Ubuntu, RHEL).
SYSTEM_PYTHONS = ('/usr/bin/python3', '/usr/libexec/platform-python', '/usr/bin/python')


class Dependency:
    """One library a module needs on the managed host, as its *_dep module found it."""

    def __init__(self, name, probe, minimum, url, packages, import_error):
        self.name = name  # distribution (PyPI) name
        self.probe = probe  # what a candidate interpreter must import
        self.minimum = minimum
        self.url = url
        self.packages = packages  # where distributions ship it
        self.import_error = import_error  # traceback, or None when the import worked

    def version(self):
        """Distribution builds may report __version__ 'unknown'; the package metadata does not."""
        try:
            from importlib.metadata import version

            return version(self.name)
        except Exception:
            return 'unknown'


def ensure(module, dependency):
    """Fail (or respawn into a Python that has it) unless a recent enough ``dependency`` is importable."""
    if dependency.import_error is not None:
        if not has_respawned():
            interpreter = probe_interpreters_for_module(SYSTEM_PYTHONS, dependency.probe)
            if interpreter:
                respawn_module(interpreter)
        module.fail_json(
            msg='%s %s'
            % (
                missing_required_lib('%s >= %s' % (dependency.name, dependency.minimum), url=dependency.url),
                dependency.packages,
            ),
            exception=dependency.import_error,
        )
    found = dependency.version()
    if found != 'unknown' and LooseVersion(found) < LooseVersion(dependency.minimum):
        module.fail_json(
            msg='%s %s (for %s) is too old: linux.vnet needs %s >= %s'
            % (dependency.name, found, sys.executable, dependency.name, dependency.minimum)
        )
