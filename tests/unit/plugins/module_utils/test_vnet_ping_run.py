# -*- coding: utf-8 -*-
# Copyright: linux.vnet contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""run_ping(): input checks and the verdict of ``expect`` (no root, no sockets: ping() is replaced)."""

from __future__ import annotations

import pytest

from ansible_collections.linux.vnet.plugins.module_utils import _vnet_kernel
from ansible_collections.linux.vnet.plugins.module_utils import _vnet_ping as ping_utils


class Exit(Exception):
    def __init__(self, failed, result):
        super().__init__(result.get('msg'))
        self.failed = failed
        self.result = result


class FakeModule:
    def __init__(self, **params):
        self.params = dict(namespace=None, count=1, timeout=0.1, size=None, dont_fragment=False, expect='any')
        self.params.update(params)

    def fail_json(self, **result):
        raise Exit(True, result)

    def exit_json(self, **result):
        raise Exit(False, result)


class FakeKernel:
    def require_namespace(self, option, name):
        pass

    def close(self):
        pass


@pytest.fixture
def answering(monkeypatch):
    """ping() answers for the addresses in the returned set, and records what it was asked."""
    answers = set()
    asked = []

    def fake_ping(kernel, namespace, target, count, timeout, **kwargs):
        asked.append(target)
        ok = target in answers
        return {'target': target, 'reachable': ok, 'sent': count, 'received': count if ok else 0}

    monkeypatch.setattr(_vnet_kernel, 'Kernel', FakeKernel)
    monkeypatch.setattr(ping_utils, 'ping', fake_ping)
    return answers, asked


def run(**params):
    with pytest.raises(Exit) as caught:
        ping_utils.run_ping(FakeModule(**params))
    return caught.value


@pytest.mark.parametrize('expect', ['reachable', 'unreachable', 'any'])
def test_no_targets_is_refused_instead_of_a_vacuous_verdict(answering, expect):
    _answers, asked = answering
    outcome = run(targets=[], expect=expect)
    assert outcome.failed
    assert outcome.result['msg'].startswith('targets: ')
    assert asked == []


def test_expect_reachable_fails_naming_the_silent_target(answering):
    answers, _asked = answering
    answers.add('10.0.0.2')
    outcome = run(namespace='red', targets=['10.0.0.2', '10.0.0.9'], expect='reachable')
    assert outcome.failed
    assert outcome.result['msg'] == (
        "expected 10.0.0.2, 10.0.0.9 to be reachable from namespace 'red', but 10.0.0.9 did not answer"
    )
    assert outcome.result['reachable_targets'] == ['10.0.0.2']
    assert outcome.result['unreachable_targets'] == ['10.0.0.9']


def test_expect_unreachable_fails_naming_the_answering_target(answering):
    answers, _asked = answering
    answers.add('fd00::2')
    outcome = run(targets=['fd00::2', '10.0.0.9'], expect='unreachable')
    assert outcome.failed
    assert outcome.result['msg'].endswith('but fd00::2 answered')


@pytest.mark.parametrize('expect', ['reachable', 'any'])
def test_every_target_answering_passes(answering, expect):
    answers, asked = answering
    answers.update({'10.0.0.2', 'fd00::2'})
    outcome = run(targets=['10.0.0.2', ' FD00::2 '], expect=expect)
    assert not outcome.failed
    assert outcome.result['changed'] is False
    assert asked == ['10.0.0.2', 'fd00::2']
    assert outcome.result['reachable_targets'] == ['10.0.0.2', 'fd00::2']
