"""Integration harness: real-kernel targets run by ansible-playbook, one test per target and lane.

Targets use the ansible-test layout: tests/integration/targets/<name>/tasks/main.yml plus an
``aliases`` file. Every target runs in two lanes:

* ``venv``   -- modules run with the .venv Python (pyroute2 0.9.7 from PyPI);
* ``debian`` -- modules run with /usr/bin/python3 (Debian 12's python3-pyroute2 0.7.2).

Lines in a target's ``aliases`` file that the harness reads (``#`` starts a comment):

* ``skip/lane_debian`` (or ``skip/lane_venv``) -- do not run the target in that lane;
* ``disabled``  -- do not run the target at all (reported as a skip);
* ``hidden``    -- not a test but a helper role (e.g. ``setup_*``) other targets depend on.

Each run gets a random prefix (``vt`` + 4 hex digits, passed as ``vnet_prefix``); every
namespace and host link a target creates must start with it. After each run, failed or not,
the harness looks for prefixed namespaces, links, netns mounts and processes left in them,
removes them, and fails the test with ``leaked: ...``. Nothing without the prefix is touched.
"""

import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
TARGETS_DIR = HERE / 'targets'
OUTPUT_DIR = REPO / 'tests' / 'output' / 'integration'
NETNS_DIR = Path('/run/netns')
DEFAULT_COLLECTIONS = REPO / '.build' / 'collections'

LANES = {
    'venv': os.environ.get('VNET_VENV_PYTHON', str(REPO / '.venv' / 'bin' / 'python')),
    'debian': os.environ.get('VNET_DEBIAN_PYTHON', '/usr/bin/python3'),
}


def read_aliases(target_dir):
    path = target_dir / 'aliases'
    if not path.is_file():
        return set()
    aliases = set()
    for line in path.read_text(encoding='utf-8').splitlines():
        line = line.split('#', 1)[0].strip()
        if line:
            aliases.add(line)
    return aliases


def lane_problem(lane):
    """Why a lane cannot run on this machine, or None."""
    python = LANES[lane]
    if not os.access(python, os.X_OK):
        return 'lane %s: no Python at %s (run make deps)' % (lane, python)
    probe = subprocess.run(
        [python, '-c', 'import pyroute2'], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False
    )
    if probe.returncode != 0:
        return 'lane %s: %s cannot import pyroute2 (run make deps)' % (lane, python)
    return None


def _interrupt(signum, _frame):
    raise KeyboardInterrupt('signal %d' % signum)


def pytest_configure():
    # Turn SIGTERM into KeyboardInterrupt so that a terminated run still executes the leak
    # cleanup of the target in progress (subprocess.run kills ansible-playbook first).
    signal.signal(signal.SIGTERM, _interrupt)


def pytest_generate_tests(metafunc):
    if 'target' not in metafunc.fixturenames:
        return
    lane_problems = {lane: lane_problem(lane) for lane in LANES}
    params = []
    for target_dir in sorted(p for p in TARGETS_DIR.iterdir() if p.is_dir()):
        aliases = read_aliases(target_dir)
        if 'hidden' in aliases:
            continue
        for lane in LANES:
            marks = []
            if 'disabled' in aliases:
                marks.append(pytest.mark.skip(reason='%s: disabled in aliases' % target_dir.name))
            elif 'skip/lane_%s' % lane in aliases:
                marks.append(pytest.mark.skip(reason='%s opts out of lane %s (aliases)' % (target_dir.name, lane)))
            elif lane_problems[lane]:
                marks.append(pytest.mark.skip(reason=lane_problems[lane]))
            params.append(pytest.param(target_dir.name, lane, marks=marks, id='%s-%s' % (target_dir.name, lane)))
    metafunc.parametrize(('target', 'lane'), params)


@pytest.fixture(scope='session')
def harness():
    """Environment checks shared by every run; skips (with the reason) when they cannot run."""
    if os.geteuid() != 0:
        pytest.skip('integration tests need root for netns')
    if shutil.which('ip') is None:
        pytest.skip('integration tests need iproute2 (ip)')
    collections = Path(os.environ.get('ANSIBLE_COLLECTIONS_PATH', str(DEFAULT_COLLECTIONS)))
    if not (collections / 'ansible_collections' / 'linux' / 'vnet' / 'galaxy.yml').is_file():
        pytest.fail('no collection copy under %s: run make collection' % collections, pytrace=False)
    playbook = Path(sys.executable).parent / 'ansible-playbook'
    if not playbook.exists():
        playbook = shutil.which('ansible-playbook')
    if not playbook:
        pytest.fail('ansible-playbook not found (run make deps)', pytrace=False)
    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    return Harness(collections=str(collections), playbook=str(playbook))


class Harness:
    """What test_targets.py needs: paths, lane interpreters, prefixes and the leak check."""

    here = HERE
    targets_dir = TARGETS_DIR
    output_dir = OUTPUT_DIR
    lanes = LANES

    def __init__(self, collections, playbook):
        self.collections = collections
        self.playbook = playbook

    @staticmethod
    def fresh_prefix():
        return fresh_prefix()

    @staticmethod
    def clean_leaks(prefix):
        return clean_leaks(prefix)


# --- leak check ------------------------------------------------------------------------------


def _prefixed_netns(prefix):
    try:
        return sorted(name for name in os.listdir(NETNS_DIR) if name.startswith(prefix))
    except FileNotFoundError:
        return []


def _prefixed_links(prefix):
    out = subprocess.run(['ip', '-j', 'link', 'show'], capture_output=True, text=True, check=True).stdout
    return sorted(link['ifname'] for link in json.loads(out or '[]') if link.get('ifname', '').startswith(prefix))


def _prefixed_netns_mounts(prefix):
    mounts = []
    with open('/proc/self/mountinfo', encoding='utf-8') as handle:
        for line in handle:
            mount_point = line.split()[4]
            if mount_point.startswith(str(NETNS_DIR) + '/') and Path(mount_point).name.startswith(prefix):
                mounts.append(mount_point)
    return sorted(set(mounts))


def _processes_in(netns_names):
    """PIDs of processes whose network namespace is one of the named (prefixed) namespaces."""
    inodes = set()
    for name in netns_names:
        try:
            inodes.add(os.stat(NETNS_DIR / name).st_ino)
        except OSError:
            pass
    pids = []
    if not inodes:
        return pids
    for entry in os.listdir('/proc'):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            if os.stat('/proc/%s/ns/net' % entry).st_ino in inodes:
                pids.append(int(entry))
        except OSError:
            pass
    return sorted(pids)


def find_leaks(prefix):
    namespaces = _prefixed_netns(prefix)
    return {
        'processes': _processes_in(namespaces),
        'namespaces': namespaces,
        'links': _prefixed_links(prefix),
        'mounts': _prefixed_netns_mounts(prefix),
    }


def _kill(pids):
    for sig in (signal.SIGTERM, signal.SIGKILL):
        for pid in pids:
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline and any(Path('/proc/%d' % pid).exists() for pid in pids):
            time.sleep(0.1)


def clean_leaks(prefix):
    """Remove what a run left behind under its prefix; return a description of it (empty: clean)."""
    if not prefix or len(prefix) < 6:
        raise ValueError('refusing to clean with prefix %r' % prefix)
    leaks = find_leaks(prefix)
    found = [
        '%s %s' % (kind[:-1] if kind != 'processes' else 'pid', item) for kind, items in leaks.items() for item in items
    ]
    if not found:
        return []
    _kill(leaks['processes'])
    for link in leaks['links']:
        subprocess.run(['ip', 'link', 'del', 'dev', link], capture_output=True, check=False)
    for name in leaks['namespaces']:
        subprocess.run(['ip', 'netns', 'del', name], capture_output=True, check=False)
    for mount_point in _prefixed_netns_mounts(prefix):
        subprocess.run(['umount', '-l', mount_point], capture_output=True, check=False)
    remaining = find_leaks(prefix)
    if any(remaining.values()):
        found.append('NOT REMOVED: %s' % {kind: items for kind, items in remaining.items() if items})
    return found


def fresh_prefix():
    """'vt' + 4 random hex digits that nothing on the host uses yet."""
    for _attempt in range(100):
        prefix = 'vt' + secrets.token_hex(2)
        if not any(find_leaks(prefix).values()):
            return prefix
    raise RuntimeError('no free random prefix found')
