"""The full-kernel lane's one guest run, shared by the tests of test_guest.py (see lane.py)."""

import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import lane
import pytest

HERE = Path(__file__).resolve().parent

OUTPUT_DIR = lane.REPO / 'tests' / 'output' / 'kernel'
GUEST_PYTHON = os.environ.get('VNET_KERNEL_PYTHON', str(lane.REPO / '.venv' / 'bin' / 'python'))
# Seconds the guest may live (boot, agent start, the playbook); QEMU is killed when they are up.
GUEST_TIMEOUT = int(os.environ.get('VNET_KERNEL_TIMEOUT', '660'))
BOOT_TIMEOUT = int(os.environ.get('VNET_KERNEL_BOOT_TIMEOUT', '300'))
SHUTDOWN_GRACE = 60
SHARE_LOGS = (
    'console.log',
    'agent.log',
    'agent.stdout',
    'agent.stderr',
    'ready.json',
    'report.json',
    'modules-failed',
    'rc',
    'uptime-boot',
    'uptime-end',
    'ovsdb-server.log',
    'ovs-vswitchd.log',
)


_RUNS = []


class LaneRun:
    """What one boot produced: timings, the agent's ready note, the playbook's output and the report."""

    def __init__(self):
        self.timings = {}
        self.kernel = None
        self.ready = None
        self.playbook_rc = None
        self.playbook_output = ''
        self.problems = []
        self.report = None
        self.guest_rc = None
        self.modules_failed = None
        self.powered_off = None

    def result(self, test_id):
        for entry in (self.report or {}).get('tests', []):
            if entry.get('id') == test_id:
                return entry
        return None


def _playbook_env(share):
    env = dict(os.environ)
    env.update(
        ANSIBLE_CONNECTION_PLUGINS=str(HERE / 'connection_plugins'),
        ANSIBLE_COLLECTIONS_PATH=os.environ.get('ANSIBLE_COLLECTIONS_PATH', str(lane.REPO / '.build' / 'collections')),
        ANSIBLE_PIPELINING='true',
        ANSIBLE_NOCOLOR='1',
        ANSIBLE_FORCE_COLOR='0',
        ANSIBLE_RETRY_FILES_ENABLED='0',
        ANSIBLE_CALLBACK_RESULT_FORMAT='yaml',
        ANSIBLE_SHOW_TASK_PATH_ON_FAILURE='1',
        VNET_GUEST_SHARE=str(share),
    )
    return env


def _run_playbook(guest, share, deadline, run):
    playbook = Path(GUEST_PYTHON).parent / 'ansible-playbook'
    if not playbook.exists():
        raise lane.LaneError('%s not found (run make deps)' % playbook)
    argv = [
        str(playbook),
        '-i',
        'guest,',
        '-c',
        'vnet_guest',
        '-e',
        'ansible_python_interpreter=%s' % GUEST_PYTHON,
        str(HERE / 'guest_playbook.yml'),
    ]
    log_path = share.parent / 'ansible.log'
    with open(log_path, 'wb') as log:
        # its own process group: a timeout kills its workers too (each may be waiting for the guest)
        proc = subprocess.Popen(
            argv,
            cwd=HERE,
            env=_playbook_env(share),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=lane._die_with_parent,
        )
        try:
            while proc.poll() is None:
                if not guest.alive():
                    run.problems.append(
                        'the guest exited (QEMU status %s) while the playbook ran' % guest.proc.returncode
                    )
                    break
                if time.monotonic() > deadline:
                    run.problems.append('timeout: the guest tests did not finish within %d s' % GUEST_TIMEOUT)
                    break
                time.sleep(0.5)
        finally:
            if proc.poll() is None:  # stopped early: the playbook and its workers
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    run.playbook_rc = proc.returncode
    run.playbook_output = log_path.read_text(encoding='utf-8', errors='replace')


def _collect(run, share, run_dir):
    if OUTPUT_DIR.exists():
        shutil.rmtree(OUTPUT_DIR)
    OUTPUT_DIR.mkdir(parents=True)
    for name in SHARE_LOGS:
        if (share / name).is_file():
            shutil.copy2(share / name, OUTPUT_DIR / name)
    for path in share.glob('*.prof'):
        shutil.copy2(path, OUTPUT_DIR / path.name)
    for name in ('ansible.log', 'qemu.log'):
        if (run_dir / name).is_file():
            shutil.copy2(run_dir / name, OUTPUT_DIR / name)
    if (share / 'report.json').is_file():
        try:
            run.report = json.loads((share / 'report.json').read_text(encoding='utf-8'))
        except ValueError as exc:
            run.problems.append('report.json is not JSON: %s' % exc)
    if (share / 'rc').is_file():
        run.guest_rc = (share / 'rc').read_text(encoding='utf-8').strip()
    if (share / 'modules-failed').is_file():
        run.modules_failed = (share / 'modules-failed').read_text(encoding='utf-8').split()
    (OUTPUT_DIR / 'timings.json').write_text(json.dumps(run.timings, indent=1), encoding='utf-8')


def boot_and_test(run):
    with lane.exclusive():
        lane.clear_stale_runs()
        _boot_and_test(run)


def _boot_and_test(run):
    started = time.monotonic()
    kernel = lane.Kernel(lane.kernel_package()).prepare()
    run.kernel = kernel.release
    run.timings['kernel_cache'] = round(time.monotonic() - started, 1)
    run_dir = Path(tempfile.mkdtemp(prefix='run-', dir=lane.CACHE))
    guest = None
    try:
        share = run_dir / 'share'
        share.mkdir()
        if os.environ.get('VNET_KERNEL_PROFILE'):  # cProfile every module run (guest_agent.py)
            (share / 'profile').touch()
        initramfs = lane.build_initramfs(kernel, run_dir / 'initramfs.cpio')
        argv = lane.qemu_argv(kernel, initramfs, share, GUEST_PYTHON, HERE / 'guest_agent.py')
        booted = time.monotonic()
        guest = lane.Guest(argv, share, run_dir / 'qemu.log')
        deadline = booted + GUEST_TIMEOUT
        run.ready = guest.wait_ready(min(deadline, booted + BOOT_TIMEOUT))
        run.timings['boot_to_agent_ready'] = round(time.monotonic() - booted, 1)
        tests_started = time.monotonic()
        _run_playbook(guest, share, deadline, run)
        run.timings['guest_tests'] = round(time.monotonic() - tests_started, 1)
    finally:
        if guest is not None:
            stopping = time.monotonic()
            run.powered_off = guest.stop(SHUTDOWN_GRACE)
            run.timings['shutdown'] = round(time.monotonic() - stopping, 1)
        run.timings['total'] = round(time.monotonic() - started, 1)
        _collect(run, run_dir / 'share', run_dir)
        shutil.rmtree(run_dir, ignore_errors=True)


@pytest.fixture(scope='session')
def lane_run():
    reason = os.environ.get('VNET_SKIP_KERNEL_LANE')
    if reason and reason != '0':
        pytest.skip(
            'VNET_SKIP_KERNEL_LANE=%s: ipvlan, dummy and the openvswitch datapath were not tested on a full kernel'
            % reason
        )
    run = LaneRun()
    _RUNS.append(run)
    try:
        boot_and_test(run)
    except lane.LaneError as exc:
        pytest.fail('full-kernel lane cannot run: %s (logs in %s)' % (exc, OUTPUT_DIR), pytrace=False)
    return run


def pytest_terminal_summary(terminalreporter):
    for run in _RUNS:
        terminalreporter.write_line(
            'full-kernel lane, kernel %s, timings (s): %s' % (run.kernel, json.dumps(run.timings))
        )
        for entry in (run.report or {}).get('tests', []):
            seconds = ' %5.1f s' % entry['seconds'] if entry.get('seconds') is not None else ''
            terminalreporter.write_line('  %-20s %-8s%s' % (entry['id'], entry['result'], seconds))
        terminalreporter.write_line('full-kernel lane logs: %s' % OUTPUT_DIR)
