"""_pyroute2_dep: the engine's three pyroute2 modules without the package's whole __init__."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

pytest.importorskip('pyroute2')


def run_fresh(code, extra_path=None):
    """Run ``code`` in a fresh interpreter that imports the collection as the tests do; its JSON answer."""
    path = [p for p in sys.path if p]
    if extra_path:
        path.insert(0, extra_path)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(path))
    out = subprocess.run(
        [sys.executable, '-c', textwrap.dedent(code)], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_the_engine_imports_pyroute2_without_the_rest_of_the_package():
    answer = run_fresh(
        """
        import json, sys
        from ansible_collections.linux.vnet.plugins.module_utils import _pyroute2_dep as dep
        light = sorted(m for m in ('pyroute2.ndb', 'pyroute2.ipdb', 'pyroute2.ipset') if m in sys.modules)
        from pyroute2.iproute import IPRoute
        import pyroute2
        from pyroute2 import NDB  # the rest is still there for whoever asks: the real __init__ runs then
        print(json.dumps({'error': dep.IMPORT_ERROR, 'light': light, 'same': dep.IPRoute is IPRoute is pyroute2.IPRoute,
                          'ndb': NDB.__module__, 'netns': dep.netns.__name__}))
        """
    )
    assert answer == {'error': None, 'light': [], 'same': True, 'ndb': 'pyroute2.ndb.main', 'netns': 'pyroute2.netns'}


def test_a_pyroute2_the_light_import_does_not_fit_is_imported_whole(tmp_path):
    """A package without the expected layout: nothing of the light attempt stays, the whole import runs."""
    package = tmp_path / 'pyroute2'
    (package / 'netlink').mkdir(parents=True)
    (package / 'iproute').mkdir()
    (package / '__init__.py').write_text(
        'WHOLE = True\nfrom pyroute2.iproute.impl import IPRoute\nfrom pyroute2 import netns\n'
    )
    (package / 'iproute' / '__init__.py').write_text('')  # no IPRoute here
    (package / 'iproute' / 'impl.py').write_text('class IPRoute:\n    pass\n')
    (package / 'netns.py').write_text('')
    (package / 'netlink' / '__init__.py').write_text('')
    (package / 'netlink' / 'exceptions.py').write_text(
        'class NetlinkError(Exception):\n    pass\nclass NetlinkDumpInterrupted(NetlinkError):\n    pass\n'
    )
    answer = run_fresh(
        """
        import json, sys
        from ansible_collections.linux.vnet.plugins.module_utils import _pyroute2_dep as dep
        import pyroute2
        print(json.dumps({'error': dep.IMPORT_ERROR, 'whole': getattr(pyroute2, 'WHOLE', False),
                          'ipr': dep.IPRoute.__module__}))
        """,
        extra_path=str(tmp_path),
    )
    assert answer == {'error': None, 'whole': True, 'ipr': 'pyroute2.iproute.impl'}
