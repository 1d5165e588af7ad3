"""The full-kernel lane: one QEMU boot of the stock Debian kernel runs guest_playbook.yml (conftest.py).

test_guest_run checks the run itself (the guest booted the expected kernel with every module, the
playbook finished in time, the guest powered off by itself); test_in_guest has one case per test of
guest_tests.yml and fails with that test's message from the guest's report.
"""

from pathlib import Path

import pytest
import yaml

HERE = Path(__file__).resolve().parent
GUEST_TESTS = yaml.safe_load((HERE / 'guest_tests.yml').read_text(encoding='utf-8'))['guest_tests']


def _tail(text, lines=60):
    return '\n'.join(text.splitlines()[-lines:])


def test_guest_run(lane_run):
    problems = list(lane_run.problems)
    if lane_run.ready and lane_run.ready.get('kernel') != lane_run.kernel:
        problems.append('the guest runs kernel %s, not %s' % (lane_run.ready.get('kernel'), lane_run.kernel))
    if lane_run.modules_failed:
        problems.append('kernel modules that did not load in the guest: %s' % ', '.join(lane_run.modules_failed))
    if lane_run.playbook_rc != 0:
        problems.append('ansible-playbook exited %s' % lane_run.playbook_rc)
    if lane_run.report is None:
        problems.append('the guest wrote no report.json')
    if not lane_run.powered_off:
        problems.append('the guest did not power off by itself (killed)')
    elif lane_run.guest_rc != '0':
        problems.append('the guest agent exited %s' % lane_run.guest_rc)
    if problems:
        pytest.fail('\n'.join(problems) + '\n\n' + _tail(lane_run.playbook_output), pytrace=False)


@pytest.mark.parametrize('test', GUEST_TESTS, ids=[test['id'] for test in GUEST_TESTS])
def test_in_guest(lane_run, test):
    result = lane_run.result(test['id'])
    if result is None:
        pytest.fail(
            '%s: no result in the guest report (%s; test_guest_run shows the end of the playbook output)'
            % (test['id'], '; '.join(lane_run.problems) or 'the playbook stopped before it'),
            pytrace=False,
        )
    if result['result'] != 'passed':
        pytest.fail('%s %s in the guest: %s' % (test['id'], result['result'], result.get('msg')), pytrace=False)
