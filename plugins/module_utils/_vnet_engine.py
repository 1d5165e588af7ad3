# -*- coding: utf-8 -*-
# Copyright: linux.vnet contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one desired-state mechanism every linux.vnet object goes through.

read current -> compare with desired -> plan steps -> (unless check mode) apply
with a journal that undoes this run's steps on failure -> read back -> result + diff.

An object (a link kind, a namespace, later an OVS bridge or a whole topology)
only describes how to read itself, how to plan create/update/delete steps and
which of its attributes it reports; it never applies anything itself.
"""

from __future__ import annotations

import errno
import time

from ansible_collections.linux.vnet.plugins.module_utils._vnet_errors import VnetError, netlink_code, translate

# A step failing with one of these lost a race with another run on the same host between our read
# and our write (it created or removed the object first): read the kernel again and re-plan.
RACED = frozenset((errno.EEXIST, errno.ENODEV, errno.ENOENT))
# The kernel is busy for a moment: the same, after a short pause.
TRANSIENT = frozenset((errno.EBUSY, errno.EAGAIN))
ATTEMPTS = 3  # per object: the first try and two re-plans
BACKOFF = 0.05  # seconds before the second attempt after a transient error, doubled for the third


class Step:
    """One kernel change with a readable description and, where possible, its inverse."""

    __slots__ = ('description', 'do', 'undo', 'kind', 'hints')

    def __init__(self, description, do, undo=None, kind=None, hints=None):
        self.description = description
        self.do = do
        self.undo = undo
        self.kind = kind
        self.hints = hints or {}  # errno -> what it means for this step

    def __repr__(self):
        return 'Step(%r)' % self.description


class Raced(Exception):
    """A step failed in a way that re-reading the kernel may explain; nothing was undone."""

    def __init__(self, step, exc, code):
        super().__init__(step.description)
        self.step = step
        self.exc = exc
        self.code = code


def race_code(exc):
    """The errno when ``exc`` is a race or a transient error (see RACED, TRANSIENT), else None."""
    code = netlink_code(exc)
    if code is None and isinstance(exc, VnetError):
        code = exc.details.get('errno')
    return code if code in RACED or code in TRANSIENT else None


class Journal:
    """Applies steps in order; on the first failure undoes the applied ones in reverse."""

    def __init__(self):
        self.applied = []

    def apply(self, steps, retry=False):
        """``retry``: a race or transient failure raises Raced, undoing nothing, so that the caller
        can re-plan; any other failure (or any failure without ``retry``) undoes the run."""
        for step in steps:
            try:
                step.do()
            except Exception as exc:
                code = race_code(exc) if retry else None
                if code is not None:
                    raise Raced(step, exc, code) from None
                self.fail(exc, step.description, step.kind, step.hints)
            self.applied.append(step)

    def fail(self, exc, action, kind=None, hints=None, attempts=1):
        """Undo what was applied, then raise the failure as a VnetError (bugs keep their traceback)."""
        undone, undo_errors = self.rollback()
        code = netlink_code(exc)
        if isinstance(exc, VnetError):
            error = exc
        elif hints and code in hints:
            error = VnetError('%s failed: %s' % (action, hints[code]), errno=code, kernel_message=str(exc))
        elif code is not None:
            error = translate(exc, action, kind)
        else:
            raise exc
        error.details.update(failed_step=action, rolled_back=undone)
        if attempts > 1:
            error.details['tries'] = attempts  # not 'attempts': Ansible's until loop owns that key
            error.msg += ' (after %d attempts, re-reading the kernel in between)' % attempts
        if undo_errors:
            error.details['rollback_errors'] = undo_errors
            error.msg += ' (rollback incomplete: %s)' % '; '.join(undo_errors)
        raise error from None

    def rollback(self):
        undone, errors = [], []
        while self.applied:
            step = self.applied.pop()
            if step.undo is None:
                continue
            try:
                step.undo()
                undone.append(step.description)
            except Exception as exc:  # keep undoing the rest; report what stayed
                errors.append('undo of "%s": %s' % (step.description, exc))
        return undone, errors


def differences(before, after):
    """Readable 'key: old -> new' lines for the keys whose values differ."""
    lines = []
    for key in sorted(set(before) | set(after)):
        if before.get(key) != after.get(key):
            lines.append('%s: %r -> %r' % (key, before.get(key), after.get(key)))
    return lines


def plan(obj, kernel):
    """Return (current, steps) for the object; raise VnetError for impossible requests."""
    current = obj.read(kernel)
    if obj.state == 'absent':
        return current, (obj.plan_delete(kernel, current) if current is not None else [])
    if current is None:
        return current, obj.plan_create(kernel)
    steps, immutable = obj.plan_update(kernel, current)
    if immutable:
        if not obj.recreate:
            raise VnetError(
                '%s exists with attributes the kernel cannot change in place: %s. '
                'Set recreate: true to delete and re-create it.' % (obj.label(), '; '.join(immutable)),
                differences=immutable,
            )
        obj.keep_on_recreate(current)
        steps = obj.plan_delete(kernel, current) + obj.plan_create(kernel)
    return current, steps


def _refresh(kernel):
    refresh = getattr(kernel, 'refresh', None)
    if refresh is not None:
        refresh()  # cached reads predate the other run's change


def _plan(obj, kernel):
    """plan(), read again when a read meets another run's change (e.g. a namespace removed between
    two reads): the same errnos and bound as for the steps (see _apply)."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return plan(obj, kernel)
        except Exception as exc:
            if attempt == ATTEMPTS or race_code(exc) is None:
                raise
            _refresh(kernel)


def _apply(obj, kernel, journal, steps):
    """Apply the steps through the journal, read back and re-plan: return (state after, steps applied).

    A step that fails because another run changed the object between our read and our write
    (EEXIST, ENODEV, ENOENT), or because the kernel was busy (EBUSY, EAGAIN), is not a failure
    yet: the kernel is read again and the object re-planned and applied, up to ATTEMPTS times. A
    create that another run won leaves nothing (or only the rest) to do; a name taken by another
    kind is refused by the re-plan itself. Steps applied before stay in the journal.
    """
    applied = []
    for attempt in range(1, ATTEMPTS + 1):
        done = len(journal.applied)
        try:
            journal.apply(steps, retry=True)
        except Raced as raced:
            applied += journal.applied[done:]
            step = raced.step
            if attempt == ATTEMPTS:
                journal.fail(raced.exc, step.description, step.kind, step.hints, attempts=attempt)
            if raced.code in TRANSIENT:
                time.sleep(BACKOFF * 2 ** (attempt - 1))
            _refresh(kernel)
            try:
                _current, steps = _plan(obj, kernel)
            except Exception as exc:
                journal.fail(exc, 'plan %s' % obj.label())
            continue
        applied += journal.applied[done:]
        break
    try:
        after_state, leftover = _plan(obj, kernel)
    except Exception as exc:
        journal.fail(exc, 'read back %s' % obj.label())
    if leftover:
        # The kernel accepted the requests but did not apply them: say so instead of
        # reporting a change on every run.
        journal.fail(
            VnetError(
                '%s: the kernel did not apply: %s' % (obj.label(), '; '.join(step.description for step in leftover))
            ),
            'verify',
        )
    return after_state, applied


def _result(obj, current, after_state, steps):
    result = {
        'changed': bool(steps),
        'actions': [step.description for step in steps],
        'diff': {'before': obj.projection(current), 'after': obj.projection(after_state)},
        obj.result_key: obj.report(after_state),
    }
    if getattr(obj, 'warnings', None):
        result['warnings'] = obj.warnings
    return result


def converge(obj, kernel, check_mode):
    """Run one object through the whole mechanism and return the module result."""
    try:
        current, steps = _plan(obj, kernel)
    except VnetError:
        raise
    except Exception as exc:  # a kernel error while reading: translated (nothing to undo yet)
        Journal().fail(exc, 'read %s' % obj.label())
    after_state = current
    if steps and not check_mode:
        after_state, steps = _apply(obj, kernel, Journal(), steps)
    elif steps:
        after_state = obj.predict(current)
    return _result(obj, current, after_state, steps)


def converge_all(objects, kernel, check_mode, planned, record):
    """Many objects, in the given order, as one change: the results, one per object.

    Every object is planned before anything changes, against ``planned`` (the kernel as the
    objects before it leave it; ``record(planned, obj, current)`` adds an object's effect), so a
    bad object anywhere fails the run before the first change. Then each object is planned again
    against the real kernel, which by then has everything the earlier ones made, and applied
    through one journal: a failure anywhere undoes the whole run, in reverse. The objects before
    the first one with steps keep their first reading: nothing has changed the kernel yet (so a
    run with nothing to do reads the kernel once).
    """
    plans = []
    for obj in objects:
        try:
            current, steps = _plan(obj, planned)
        except VnetError as exc:
            exc.msg = '%s: %s' % (obj.label(), exc.msg)  # which of the many objects
            raise
        record(planned, obj, current)
        plans.append((obj, current, steps))
    if check_mode:
        return [
            _result(obj, current, obj.predict(current) if steps else current, steps) for obj, current, steps in plans
        ]
    unchanged = next((i for i, (_obj, _current, steps) in enumerate(plans) if steps), len(plans))
    results = [_result(obj, current, current, steps) for obj, current, steps in plans[:unchanged]]
    journal = Journal()
    for obj, _current, _steps in plans[unchanged:]:
        try:
            current, steps = _plan(obj, kernel)
        except Exception as exc:
            journal.fail(exc, 'plan %s' % obj.label())
        after_state = current
        if steps:
            after_state, steps = _apply(obj, kernel, journal, steps)
        results.append(_result(obj, current, after_state, steps))
    return results
