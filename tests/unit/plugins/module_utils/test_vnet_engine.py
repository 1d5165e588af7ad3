# -*- coding: utf-8 -*-
# Copyright: linux.vnet contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The engine (Journal, plan, converge) driven by a small in-memory object and kernel."""

from __future__ import annotations

import copy
import errno

import pytest
from pyroute2.netlink.exceptions import NetlinkError

from ansible_collections.linux.vnet.plugins.module_utils._vnet_engine import (
    Journal,
    Step,
    converge,
    converge_all,
    differences,
    plan,
)
from ansible_collections.linux.vnet.plugins.module_utils._vnet_errors import VnetError

# ---- an in-memory kernel and one object kind on top of it ---------------------------------------


class FakeKernel:
    """Objects by name, a log of every change, and knobs to make changes fail or be ignored."""

    def __init__(self, objects=None):
        self.objects = copy.deepcopy(objects or {})
        self.log = []
        self.failures = {}  # ('set', key) or ('create',) -> exception raised by that change
        self.ignored = set()  # attribute keys the kernel accepts but does not apply
        self.read_failure = None  # exception raised by reads once something was changed
        self.next_id = 100

    def _maybe_fail(self, *what):
        exc = self.failures.get(what)
        if exc is not None:
            raise exc

    def read(self, name):
        if self.read_failure is not None and self.log:
            raise self.read_failure
        found = self.objects.get(name)
        return copy.deepcopy(found) if found is not None else None

    def create(self, name, kind):
        self.log.append(('create', name))
        self._maybe_fail('create')
        self.next_id += 1
        self.objects[name] = {'kind': kind, 'id': self.next_id}

    def set(self, name, key, value):
        self.log.append(('set', name, key, value))
        self._maybe_fail('set', key)
        if key not in self.ignored:
            self.objects[name][key] = value

    def delete(self, name):
        self.log.append(('delete', name))
        self._maybe_fail('delete')
        del self.objects[name]


class Thing:
    """A minimal engine object: ``kind`` can only change by re-creating, the rest in place."""

    result_key = 'thing'
    mutable = ('mtu', 'up')

    def __init__(self, name='t0', state='present', recreate=False, **desired):
        self.name = name
        self.state = state
        self.recreate = recreate
        self.desired = dict({'kind': 'thing'}, **desired)
        self.kept = None

    def keep_on_recreate(self, current):
        # A re-created object keeps what it had unless it is given (here: mtu, like a link's addresses).
        self.kept = copy.deepcopy(current)
        if self.desired.get('mtu') is None and current.get('mtu') is not None:
            self.desired['mtu'] = current['mtu']

    def label(self):
        return 'thing %r' % self.name

    def read(self, kernel):
        return kernel.read(self.name)

    def _set_steps(self, kernel, current):
        steps = []
        for key in self.mutable:
            value = self.desired.get(key)
            if value is None or current.get(key) == value:
                continue
            old = current.get(key)
            undo = None if old is None else (lambda key=key, old=old: kernel.set(self.name, key, old))
            steps.append(
                Step(
                    'set %s=%r on %r' % (key, value, self.name),
                    lambda key=key, value=value: kernel.set(self.name, key, value),
                    undo,
                )
            )
        return steps

    def plan_create(self, kernel):
        create = Step(
            'create %s' % self.label(),
            lambda: kernel.create(self.name, self.desired['kind']),
            lambda: kernel.delete(self.name),
            kind='veth',
        )
        return [create] + self._set_steps(kernel, {})

    def plan_update(self, kernel, current):
        if current['kind'] != self.desired['kind']:
            return [], ['kind: %r -> %r' % (current['kind'], self.desired['kind'])]
        return self._set_steps(kernel, current), []

    def plan_delete(self, kernel, current):
        saved = copy.deepcopy(current)

        def restore():
            kernel.objects[self.name] = copy.deepcopy(saved)

        return [Step('delete %s' % self.label(), lambda: kernel.delete(self.name), restore)]

    def predict(self, current):
        if self.state == 'absent':
            return None
        recreated = current is not None and current['kind'] != self.desired['kind']
        after = {} if recreated else dict(current or {})
        after.update((k, v) for k, v in self.desired.items() if v is not None)
        return after

    def projection(self, state):
        if state is None:
            return {'name': self.name, 'state': 'absent'}
        return {
            'name': self.name,
            'state': 'present',
            'kind': state.get('kind'),
            'mtu': state.get('mtu'),
            'up': state.get('up'),
        }

    def report(self, state):
        view = self.projection(state)
        if state is not None and state.get('id'):
            view['id'] = state['id']
        return view


EXISTING = {'t0': {'kind': 'thing', 'id': 7, 'mtu': 1500, 'up': False}}
OTHER_KIND = {'t0': {'kind': 'other', 'id': 7, 'mtu': 1500, 'up': True}}


def recording_step(log, name, fail=None, undo=True, undo_fail=None, kind=None):
    def do():
        log.append('do ' + name)
        if fail is not None:
            raise fail

    def undo_fn():
        log.append('undo ' + name)
        if undo_fail is not None:
            raise undo_fail

    return Step(name, do, undo_fn if undo else None, kind=kind)


# ---- Journal -----------------------------------------------------------------------------------


def test_step_repr_and_defaults():
    step = Step('create x', lambda: None)
    assert repr(step) == "Step('create x')"
    assert step.undo is None and step.kind is None
    assert step.hints == {}


def test_journal_applies_steps_in_order():
    log = []
    steps = [recording_step(log, n) for n in 'abc']
    journal = Journal()
    journal.apply(steps)
    assert log == ['do a', 'do b', 'do c']
    assert journal.applied == steps


def test_journal_failure_undoes_applied_steps_in_reverse():
    log = []
    steps = [
        recording_step(log, 'a'),
        recording_step(log, 'b', undo=False),
        recording_step(log, 'c'),
        recording_step(log, 'd', fail=NetlinkError(errno.EEXIST)),
        recording_step(log, 'e'),
    ]
    journal = Journal()
    with pytest.raises(VnetError) as err:
        journal.apply(steps)
    assert log == ['do a', 'do b', 'do c', 'do d', 'undo c', 'undo a']
    assert err.value.msg == 'd failed: an object with that name already exists'
    assert err.value.details['failed_step'] == 'd'
    assert err.value.details['rolled_back'] == ['c', 'a']
    assert err.value.details['errno'] == errno.EEXIST
    assert 'rollback_errors' not in err.value.details
    assert journal.applied == []


def test_journal_failure_of_first_step_rolls_back_nothing():
    log = []
    with pytest.raises(VnetError) as err:
        Journal().apply([recording_step(log, 'a', fail=OSError(errno.EPERM, 'Operation not permitted'))])
    assert log == ['do a']
    assert err.value.details['rolled_back'] == []
    assert 'need root' in err.value.msg


def test_journal_translates_with_the_step_kind():
    log = []
    steps = [recording_step(log, 'create veth v0', fail=NetlinkError(errno.EOPNOTSUPP), kind='veth')]
    with pytest.raises(VnetError) as err:
        Journal().apply(steps)
    assert err.value.msg == 'create veth v0 failed: this kernel has no veth support (CONFIG_VETH)'


def test_journal_step_hints_explain_an_errno_for_that_step():
    hints = {errno.EINVAL: 'the parent is in another namespace'}
    step = Step('create macvlan m0', lambda: _raise(NetlinkError(errno.EINVAL)), kind='macvlan', hints=hints)
    with pytest.raises(VnetError) as err:
        Journal().apply([step])
    assert err.value.msg == 'create macvlan m0 failed: the parent is in another namespace'
    assert err.value.details['errno'] == errno.EINVAL
    assert err.value.details['kernel_message'] == str(NetlinkError(errno.EINVAL))


def test_journal_step_hints_do_not_hide_other_errnos():
    step = Step(
        'create macvlan m0',
        lambda: _raise(NetlinkError(errno.EOPNOTSUPP)),
        kind='macvlan',
        hints={errno.EINVAL: 'the parent is in another namespace'},
    )
    with pytest.raises(VnetError) as err:
        Journal().apply([step])
    assert err.value.msg == 'create macvlan m0 failed: this kernel has no macvlan support (CONFIG_MACVLAN)'


def _raise(exc):
    raise exc


def test_journal_keeps_a_vnet_error_message_and_adds_details():
    log = []
    steps = [recording_step(log, 'a'), recording_step(log, 'b', fail=VnetError('ports: eth9 is gone', x=1))]
    with pytest.raises(VnetError) as err:
        Journal().apply(steps)
    assert err.value.msg == 'ports: eth9 is gone'
    assert err.value.details == {'x': 1, 'failed_step': 'b', 'rolled_back': ['a']}


def test_journal_rolls_back_then_reraises_programming_errors_unchanged():
    log = []
    bug = KeyError('ifindex')
    steps = [recording_step(log, 'a'), recording_step(log, 'b', fail=bug)]
    with pytest.raises(KeyError) as err:
        Journal().apply(steps)
    assert err.value is bug
    assert log == ['do a', 'do b', 'undo a']


def test_journal_reports_rollback_errors_and_keeps_undoing():
    log = []
    steps = [
        recording_step(log, 'a'),
        recording_step(log, 'b', undo_fail=NetlinkError(errno.ENODEV, 'No such device')),
        recording_step(log, 'c', fail=NetlinkError(errno.EBUSY)),
    ]
    with pytest.raises(VnetError) as err:
        Journal().apply(steps)
    assert log == ['do a', 'do b', 'do c', 'undo b', 'undo a']
    details = err.value.details
    assert details['rolled_back'] == ['a']
    assert len(details['rollback_errors']) == 1
    assert details['rollback_errors'][0].startswith('undo of "b": ')
    assert err.value.msg.startswith('c failed: the device is busy')
    assert err.value.msg.endswith(' (rollback incomplete: %s)' % details['rollback_errors'][0])


def test_journal_fail_can_be_called_after_success():
    log = []
    journal = Journal()
    journal.apply([recording_step(log, 'a'), recording_step(log, 'b')])
    with pytest.raises(VnetError) as err:
        journal.fail(VnetError('x: the kernel did not apply: b'), 'verify')
    assert log == ['do a', 'do b', 'undo b', 'undo a']
    assert err.value.details == {'failed_step': 'verify', 'rolled_back': ['b', 'a']}


def test_differences():
    before = {'a': 1, 'b': 2, 'c': None}
    after = {'a': 1, 'b': 3, 'd': 'x'}
    assert differences(before, after) == ['b: 2 -> 3', "d: None -> 'x'"]
    assert differences({}, {}) == []


# ---- plan --------------------------------------------------------------------------------------


def descriptions(steps):
    return [step.description for step in steps]


def test_plan_absent_and_missing_is_nothing():
    kernel = FakeKernel()
    assert plan(Thing(state='absent'), kernel) == (None, [])


def test_plan_absent_and_present_deletes():
    current, steps = plan(Thing(state='absent'), FakeKernel(EXISTING))
    assert current == EXISTING['t0']
    assert descriptions(steps) == ["delete thing 't0'"]


def test_plan_present_and_missing_creates():
    current, steps = plan(Thing(mtu=9000), FakeKernel())
    assert current is None
    assert descriptions(steps) == ["create thing 't0'", "set mtu=9000 on 't0'"]


def test_plan_in_place_update_and_no_op():
    assert descriptions(plan(Thing(mtu=9000, up=True), FakeKernel(EXISTING))[1]) == [
        "set mtu=9000 on 't0'",
        "set up=True on 't0'",
    ]
    assert plan(Thing(mtu=1500, up=False), FakeKernel(EXISTING))[1] == []
    assert plan(Thing(), FakeKernel(EXISTING))[1] == []  # nothing requested: nothing to do


def test_plan_immutable_difference_is_an_error_listing_it():
    with pytest.raises(VnetError) as err:
        plan(Thing(mtu=9000), FakeKernel(OTHER_KIND))
    assert err.value.msg == (
        "thing 't0' exists with attributes the kernel cannot change in place: kind: 'other' -> 'thing'. "
        'Set recreate: true to delete and re-create it.'
    )
    assert err.value.details == {'differences': ["kind: 'other' -> 'thing'"]}


def test_plan_immutable_difference_with_recreate_deletes_then_creates():
    thing = Thing(recreate=True, mtu=9000)
    steps = plan(thing, FakeKernel(OTHER_KIND))[1]
    assert descriptions(steps) == ["delete thing 't0'", "create thing 't0'", "set mtu=9000 on 't0'"]
    assert thing.kept == OTHER_KIND['t0']


def test_plan_recreate_lets_the_object_keep_current_values_before_planning_the_create():
    thing = Thing(recreate=True)
    steps = plan(thing, FakeKernel(OTHER_KIND))[1]
    assert descriptions(steps) == ["delete thing 't0'", "create thing 't0'", "set mtu=1500 on 't0'"]


def test_plan_without_immutable_difference_does_not_call_keep_on_recreate():
    thing = Thing(recreate=True, mtu=9000)
    plan(thing, FakeKernel(EXISTING))
    assert thing.kept is None


# ---- converge ----------------------------------------------------------------------------------


def test_converge_creates_and_reports():
    kernel = FakeKernel()
    result = converge(Thing(mtu=9000, up=True), kernel, check_mode=False)
    assert kernel.objects == {'t0': {'kind': 'thing', 'id': 101, 'mtu': 9000, 'up': True}}
    assert result == {
        'changed': True,
        'actions': ["create thing 't0'", "set mtu=9000 on 't0'", "set up=True on 't0'"],
        'diff': {
            'before': {'name': 't0', 'state': 'absent'},
            'after': {'name': 't0', 'state': 'present', 'kind': 'thing', 'mtu': 9000, 'up': True},
        },
        'thing': {'name': 't0', 'state': 'present', 'kind': 'thing', 'mtu': 9000, 'up': True, 'id': 101},
    }


def test_converge_second_run_is_idempotent():
    kernel = FakeKernel()
    converge(Thing(mtu=9000, up=True), kernel, check_mode=False)
    changes = len(kernel.log)
    result = converge(Thing(mtu=9000, up=True), kernel, check_mode=False)
    assert result['changed'] is False
    assert result['actions'] == []
    assert result['diff']['before'] == result['diff']['after']
    assert len(kernel.log) == changes


SCENARIOS = {
    'create': ({}, dict(mtu=9000, up=True)),
    'update': (EXISTING, dict(mtu=9000, up=True)),
    'no-op': (EXISTING, dict(mtu=1500)),
    'delete': (EXISTING, dict(state='absent')),
    'delete-missing': ({}, dict(state='absent')),
    'recreate': (OTHER_KIND, dict(recreate=True, mtu=1400)),
}


@pytest.mark.parametrize('scenario', sorted(SCENARIOS))
def test_check_mode_changes_nothing_and_predicts_the_real_run(scenario):
    objects, options = SCENARIOS[scenario]
    check_kernel, real_kernel = FakeKernel(objects), FakeKernel(objects)
    predicted = converge(Thing(**options), check_kernel, check_mode=True)
    assert check_kernel.log == []
    assert check_kernel.objects == objects
    real = converge(Thing(**options), real_kernel, check_mode=False)
    assert predicted['changed'] == real['changed']
    assert predicted['actions'] == real['actions']
    assert predicted['diff'] == real['diff']


def test_check_mode_with_immutable_difference_fails_like_the_real_run():
    kernel = FakeKernel(OTHER_KIND)
    with pytest.raises(VnetError, match='cannot change in place'):
        converge(Thing(mtu=9000), kernel, check_mode=True)
    with pytest.raises(VnetError, match='cannot change in place') as err:
        converge(Thing(mtu=9000), kernel, check_mode=False)
    assert err.value.details['differences'] == ["kind: 'other' -> 'thing'"]
    assert kernel.log == []
    assert kernel.objects == OTHER_KIND


def test_converge_recreate_replaces_the_object():
    kernel = FakeKernel(OTHER_KIND)
    result = converge(Thing(recreate=True, mtu=1400), kernel, check_mode=False)
    assert kernel.log == [('delete', 't0'), ('create', 't0'), ('set', 't0', 'mtu', 1400)]
    assert kernel.objects['t0'] == {'kind': 'thing', 'id': 101, 'mtu': 1400}
    assert result['diff']['before']['kind'] == 'other'
    assert result['diff']['after']['kind'] == 'thing'


def test_converge_failed_step_undoes_the_create():
    kernel = FakeKernel()
    kernel.failures[('set', 'up')] = NetlinkError(errno.ERANGE)
    with pytest.raises(VnetError) as err:
        converge(Thing(mtu=9000, up=True), kernel, check_mode=False)
    assert kernel.objects == {}
    assert err.value.msg == "set up=True on 't0' failed: a value is out of the range the kernel accepts"
    assert err.value.details['failed_step'] == "set up=True on 't0'"
    assert err.value.details['rolled_back'] == ["create thing 't0'"]


def test_converge_failed_update_restores_previous_values():
    kernel = FakeKernel(EXISTING)
    kernel.failures[('set', 'up')] = NetlinkError(errno.EINVAL)
    with pytest.raises(VnetError) as err:
        converge(Thing(mtu=9000, up=True), kernel, check_mode=False)
    assert kernel.objects == EXISTING
    assert err.value.details['rolled_back'] == ["set mtu=9000 on 't0'"]


def test_converge_leftover_plan_is_reported_and_rolled_back():
    kernel = FakeKernel()
    kernel.ignored.add('mtu')  # the kernel accepts the request and keeps the old value
    with pytest.raises(VnetError) as err:
        converge(Thing(mtu=9000, up=True), kernel, check_mode=False)
    assert err.value.msg == "thing 't0': the kernel did not apply: set mtu=9000 on 't0'"
    assert err.value.details['failed_step'] == 'verify'
    assert err.value.details['rolled_back'] == ["create thing 't0'"]
    assert kernel.objects == {}


def test_converge_leftover_on_update_restores_what_did_apply():
    kernel = FakeKernel(EXISTING)
    kernel.ignored.add('mtu')
    with pytest.raises(VnetError, match='the kernel did not apply: set mtu=9000') as err:
        converge(Thing(mtu=9000, up=True), kernel, check_mode=False)
    assert err.value.details['rolled_back'] == ["set up=True on 't0'", "set mtu=9000 on 't0'"]
    assert kernel.objects == EXISTING


def test_converge_leftover_with_failing_undo_reports_rollback_errors():
    kernel = FakeKernel()
    kernel.ignored.add('mtu')
    kernel.failures[('delete',)] = NetlinkError(errno.EBUSY)
    with pytest.raises(VnetError) as err:
        converge(Thing(mtu=9000), kernel, check_mode=False)
    assert err.value.details['rolled_back'] == []
    assert err.value.details['rollback_errors'][0].startswith('undo of "create thing \'t0\'": ')
    assert '(rollback incomplete: ' in err.value.msg


def test_converge_rolls_back_when_the_read_back_fails():
    # The run created t0; the read-back that verifies it then fails. The created object must not
    # be left behind (DESIGN: a failure part-way undoes what this run created).
    kernel = FakeKernel()
    kernel.read_failure = VnetError('namespace lab vanished')
    with pytest.raises(VnetError) as err:
        converge(Thing(mtu=9000), kernel, check_mode=False)
    assert kernel.objects == {}
    assert err.value.details.get('rolled_back') == ["create thing 't0'"]


# ---- converge_all reads the kernel once when nothing changes ----------------------------------


class CountingKernel(FakeKernel):
    def __init__(self, objects=None):
        super().__init__(objects)
        self.reads = []

    def read(self, name):
        self.reads.append(name)
        return super().read(name)


def _things(changed):
    objects = {'t%d' % i: dict(EXISTING['t0']) for i in range(5)}
    things = [Thing(name='t%d' % i, mtu=9000 if i == changed else 1500) for i in range(5)]
    return CountingKernel(objects), things


def test_converge_all_with_nothing_to_do_reads_every_object_once():
    kernel, things = _things(changed=None)
    results = converge_all(things, kernel, False, kernel, lambda *args: None)
    assert [r['changed'] for r in results] == [False] * 5
    assert kernel.reads == ['t0', 't1', 't2', 't3', 't4']


def test_converge_all_plans_again_from_the_first_change_on():
    kernel, things = _things(changed=2)
    results = converge_all(things, kernel, False, kernel, lambda *args: None)
    assert [r['changed'] for r in results] == [False, False, True, False, False]
    # first pass: all five; then t2 (plan, read back) and everything after it again
    assert kernel.reads == ['t0', 't1', 't2', 't3', 't4', 't2', 't2', 't3', 't4']
    assert kernel.objects['t2']['mtu'] == 9000
