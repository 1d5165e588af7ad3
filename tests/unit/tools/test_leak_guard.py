"""tools/leak_guard.py: only what the suite added counts as a leak."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

TOOL = Path(__file__).resolve().parents[3] / 'tools' / 'leak_guard.py'
SPEC = importlib.util.spec_from_file_location('leak_guard', TOOL)
leak_guard = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(leak_guard)

BEFORE = {'namespaces': ['theirs'], 'links': ['eth0', 'lo'], 'mounts': [], 'daemons': ['ovsdb-server[10]']}


def test_nothing_new_is_no_leak():
    assert leak_guard.new_objects(BEFORE, dict(BEFORE)) == {}


def test_what_was_there_before_is_not_a_leak_and_what_went_away_is_fine():
    after = {'namespaces': [], 'links': ['eth0', 'lo'], 'mounts': [], 'daemons': ['ovsdb-server[10]']}
    assert leak_guard.new_objects(BEFORE, after) == {}


def test_every_new_object_is_listed_by_kind():
    after = {
        'namespaces': ['theirs', 'vt1a2b-ns'],
        'links': ['eth0', 'lo', 'vt1a2bbr'],
        'mounts': ['/run/netns/vt1a2b-ns (nsfs)'],
        'daemons': ['ovsdb-server[10]', 'ovs-vswitchd[77]'],
    }
    assert leak_guard.new_objects(BEFORE, after) == {
        'namespaces': ['vt1a2b-ns'],
        'links': ['vt1a2bbr'],
        'mounts': ['/run/netns/vt1a2b-ns (nsfs)'],
        'daemons': ['ovs-vswitchd[77]'],
    }


def test_check_fails_on_a_leak_and_passes_without(tmp_path, monkeypatch, capsys):
    baseline = tmp_path / 'baseline.json'
    baseline.write_text(json.dumps(BEFORE))
    monkeypatch.setattr(leak_guard, 'SETTLE_SECONDS', 0)
    monkeypatch.setattr(leak_guard, 'snapshot', lambda: dict(BEFORE, namespaces=['theirs', 'vt9999-x']))
    assert leak_guard.main(['leak_guard.py', 'check', str(baseline)]) == 1
    assert 'namespaces: vt9999-x' in capsys.readouterr().err
    monkeypatch.setattr(leak_guard, 'snapshot', lambda: dict(BEFORE))
    assert leak_guard.main(['leak_guard.py', 'check', str(baseline)]) == 0


def test_the_snapshot_of_this_machine_has_every_kind():
    assert set(leak_guard.snapshot()) == {'namespaces', 'links', 'mounts', 'daemons'}
