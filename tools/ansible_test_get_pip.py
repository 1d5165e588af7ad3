"""Offline stand-in for the get-pip.py script that ansible-test downloads.

ansible-test creates its sanity-test virtual environments without pip and bootstraps pip with
get-pip.py from ci-files.testing.ansible.com, a host this project's machines cannot reach
(only package registries are reachable). It looks for a cached copy first, at
~/.ansible/test/cache/get_pip_<version>.py. This file is that copy: it bootstraps pip from the
interpreter's own ensurepip, then installs the requested pip release from the package index,
honouring get-pip.py's --no-setuptools / --no-wheel options.

    python tools/ansible_test_get_pip.py --install-into-cache
        writes this script where the installed ansible-test looks for it (make sanity does this).
"""

import os
import shutil
import subprocess
import sys
import types

MARKER = 'linux.vnet offline get-pip stand-in'
GET_PIP_ONLY_OPTIONS = ('--no-setuptools', '--no-wheel', '--no-pip')


def install_into_cache():
    """Copy this script to ansible-test's get-pip cache, unless a real get-pip.py is there."""
    from ansible_test._internal.python_requirements import get_venv_packages

    version = get_venv_packages(types.SimpleNamespace(version='%d.%d' % sys.version_info[:2]))['pip']
    cache = os.path.expanduser('~/.ansible/test/cache/get_pip_%s.py' % version.replace('.', '_'))
    if os.path.exists(cache):
        with open(cache, encoding='utf-8', errors='replace') as handle:
            if MARKER not in handle.read():
                return  # a genuine get-pip.py: leave it alone
    os.makedirs(os.path.dirname(cache), exist_ok=True)
    shutil.copyfile(__file__, cache)


def bootstrap(args):
    """Do what get-pip.py does: install pip (and only pip unless asked) into this interpreter."""
    pip_args = [arg for arg in args if arg not in GET_PIP_ONLY_OPTIONS]
    subprocess.check_call([sys.executable, '-m', 'ensurepip', '--default-pip'], stdout=subprocess.DEVNULL)
    pip = [sys.executable, '-m', 'pip']
    subprocess.check_call(pip + ['install', '--upgrade', '--disable-pip-version-check'] + pip_args)
    if '--no-setuptools' in args:
        # ensurepip of older Pythons also installs setuptools; get-pip.py would not have.
        subprocess.call(
            pip + ['uninstall', '-y', '-q', '--disable-pip-version-check', 'setuptools'],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )


if __name__ == '__main__':
    if sys.argv[1:] == ['--install-into-cache']:
        install_into_cache()
    else:
        bootstrap(sys.argv[1:])
