"""Run every integration target (tests/integration/targets/*) in each lane; see conftest.py."""

import os
import subprocess

import pytest

TIMEOUT = int(os.environ.get('VNET_TARGET_TIMEOUT', '900'))


def ansible_env(harness, lane):
    env = dict(os.environ)
    env.update(
        ANSIBLE_CONFIG=str(harness.here / 'ansible.cfg'),
        ANSIBLE_ROLES_PATH=str(harness.targets_dir),
        ANSIBLE_COLLECTIONS_PATH=harness.collections,
        ANSIBLE_PYTHON_INTERPRETER=harness.lanes[lane],
        ANSIBLE_FORCE_COLOR='0',
        ANSIBLE_NOCOLOR='1',
        ANSIBLE_RETRY_FILES_ENABLED='0',
        PYTHONDONTWRITEBYTECODE='1',
    )
    return env


def test_target(harness, target, lane):
    prefix = harness.fresh_prefix()
    command = [
        harness.playbook,
        '-i',
        'localhost,',
        '-c',
        'local',
        str(harness.here / 'run_target.yml'),
        '-e',
        'target=%s' % target,
        '-e',
        'vnet_prefix=%s' % prefix,
        '-e',
        'vnet_lane=%s' % lane,
        '-e',
        'vnet_python=%s' % harness.lanes[lane],
    ]
    output = ''
    returncode = None
    try:
        proc = subprocess.run(
            command,
            env=ansible_env(harness, lane),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=TIMEOUT,
            check=False,
        )
        output, returncode = proc.stdout, proc.returncode
    except subprocess.TimeoutExpired as exc:
        output = exc.stdout.decode(errors='replace') if isinstance(exc.stdout, bytes) else (exc.stdout or '')
        output += '\n[harness] timed out after %d s' % TIMEOUT
    finally:
        leaked = harness.clean_leaks(prefix)

    (harness.output_dir / ('%s-%s.log' % (target, lane))).write_text(output, encoding='utf-8')
    problems = []
    if returncode != 0:
        problems.append('ansible-playbook exited %s (prefix %s)' % (returncode, prefix))
    if leaked:
        problems.append('leaked: %s' % ', '.join(leaked))
    if problems:
        pytest.fail('\n'.join(problems) + '\n\n' + output, pytrace=False)
