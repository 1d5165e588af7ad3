# -*- coding: utf-8 -*-
# Copyright: linux.vnet contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Lint of the EXAMPLES every plugin documents: they are what users copy.

* every EXAMPLES block is YAML;
* every task (blocks included) calls a fully qualified action, ``linux.vnet.*`` or ``ansible.builtin.*``;
* every option given to a linux.vnet module exists in that module's argument spec (the spec is taken
  from the module itself: its ``main()`` runs until it builds its AnsibleModule), nested options too
  (``vnet_ovs`` ports, ``vnet_vxlan`` fdb, ``vnet_topology`` namespaces, and each ``vnet_topology``
  link against the argument spec of its ``kind``);
* the arguments pass the module's own validation (required options, choices, types, mutually
  exclusive options); templated values only count as present;
* filter examples call the collection's filters by their fully qualified names.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import re

import pytest
import yaml
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.playbook.task import Task

COLLECTION = 'ansible_collections.linux.vnet'
FQCN_PREFIXES = ('linux.vnet.', 'ansible.builtin.')
BLOCK_KEYS = ('block', 'rescue', 'always')
# Task keywords besides the action; loops written as with_<lookup> are keywords too.
TASK_KEYWORDS = set(Task.fattributes) | {'local_action'}
VALIDATOR_KWARGS = ('mutually_exclusive', 'required_together', 'required_one_of', 'required_if', 'required_by')


def plugin_names(kind):
    package = importlib.import_module('%s.plugins.%s' % (COLLECTION, kind))
    return sorted(info.name for info in pkgutil.iter_modules(package.__path__) if not info.name.startswith('_'))


def plugin_module(kind, name):
    return importlib.import_module('%s.plugins.%s.%s' % (COLLECTION, kind, name))


class _Captured(Exception):
    def __init__(self, argument_spec, kwargs):
        super().__init__('captured')
        self.argument_spec = argument_spec
        self.kwargs = kwargs


def module_spec(name, monkeypatch):
    """The argument spec and validation rules ``name``'s main() hands to AnsibleModule."""
    from ansible.module_utils import basic

    def capture(self, argument_spec, **kwargs):
        raise _Captured(argument_spec, kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(basic.AnsibleModule, '__init__', capture)
        try:
            plugin_module('modules', name).main()
        except _Captured as captured:
            kwargs = {key: captured.kwargs[key] for key in VALIDATOR_KWARGS if captured.kwargs.get(key)}
            return captured.argument_spec, kwargs
    raise AssertionError('%s: main() never built an AnsibleModule' % name)


def is_templated(value):
    if isinstance(value, str):
        return '{{' in value or '{%' in value
    if isinstance(value, dict):
        return any(is_templated(v) for v in value.values())
    if isinstance(value, list):
        return any(is_templated(v) for v in value)
    return False


def untemplated(args):
    """Templated values become None: still present for required/exclusive rules, not type-checked."""
    return {key: None if is_templated(value) else value for key, value in args.items()}


def tasks_of(examples, where):
    """Every task of an EXAMPLES block, blocks flattened; fails when it is not a YAML task list."""
    try:
        data = yaml.safe_load(examples)
    except yaml.YAMLError as exc:
        pytest.fail('%s: EXAMPLES is not YAML: %s' % (where, exc))
    assert isinstance(data, list) and data, '%s: EXAMPLES must be a non-empty list of tasks' % where

    def walk(items):
        for item in items:
            assert isinstance(item, dict), '%s: a task must be a mapping, got %r' % (where, item)
            if any(key in item for key in BLOCK_KEYS):
                for key in BLOCK_KEYS:
                    yield from walk(item.get(key) or [])
            else:
                yield item

    return list(walk(data))


def action_of(task, where):
    actions = [key for key in task if key not in TASK_KEYWORDS and not key.startswith('with_')]
    assert len(actions) == 1, '%s: task %r must have exactly one action, found %s' % (
        where,
        task.get('name'),
        actions or 'none',
    )
    action = actions[0]
    args = task[action]
    if action in ('action', 'local_action'):
        pytest.fail('%s: task %r: write the module as the task key, not %s:' % (where, task.get('name'), action))
    if args is None:
        args = {}
    assert isinstance(args, dict), '%s: task %r: arguments of %s must be a mapping (no key=value strings)' % (
        where,
        task.get('name'),
        action,
    )
    return action, args


def unknown_options(args, spec, path):
    """Options in ``args`` that ``spec`` does not have, recursing into suboptions; ['path.option', ...]."""
    known = {}
    for option, definition in spec.items():
        known[option] = definition
        for alias in definition.get('aliases') or ():
            known[alias] = definition
    problems = []
    for option, value in args.items():
        where = '%s%s' % (path, option)
        if option not in known:
            problems.append(where)
            continue
        suboptions = known[option].get('options')
        if not suboptions or is_templated(value) or value is None:
            continue
        items = value if isinstance(value, list) else [value]
        for index, item in enumerate(items):
            if isinstance(item, dict):
                label = '%s[%d].' % (where, index) if isinstance(value, list) else where + '.'
                problems.extend(unknown_options(item, suboptions, label))
    return problems


def validation_errors(args, spec, kwargs):
    result = ArgumentSpecValidator(spec, **kwargs).validate(untemplated(args))
    return [str(message) for message in result.error_messages]


def topology_link_problems(args):
    """vnet_topology ``links``: each entry against the argument spec of its kind (module_utils KINDS)."""
    from ansible_collections.linux.vnet.plugins.module_utils._vnet_topology import KINDS

    problems = []
    for index, entry in enumerate(args.get('links') or []):
        if is_templated(entry):
            continue
        entry = dict(entry)
        kind = entry.pop('kind', None)
        where = 'links[%d]' % index
        if kind not in KINDS:
            problems.append('%s: kind %r is not one of %s' % (where, kind, sorted(KINDS)))
            continue
        description = KINDS[kind]
        spec = description.argument_spec()
        problems.extend('%s: unknown option %s' % (where, o) for o in unknown_options(entry, spec, ''))
        kwargs = {
            key: getattr(description, key, None)
            for key in ('mutually_exclusive', 'required_if', 'required_by')
            if getattr(description, key, None)
        }
        problems.extend('%s (%s): %s' % (where, kind, e) for e in validation_errors(entry, spec, kwargs))
    return problems


MODULES = plugin_names('modules')


def test_every_module_is_linted():
    assert 'vnet_topology' in MODULES and len(MODULES) >= 10, MODULES


@pytest.mark.parametrize('name', MODULES)
def test_module_examples(name, monkeypatch):
    module = plugin_module('modules', name)
    where = 'plugins/modules/%s.py' % name
    examples = getattr(module, 'EXAMPLES', '')
    assert examples.strip(), '%s has no EXAMPLES' % where
    tasks = tasks_of(examples, where)
    specs = {}
    problems = []
    uses_itself = False
    for task in tasks:
        action, args = action_of(task, where)
        label = '%s: task %r (%s)' % (where, task.get('name'), action)
        if not action.startswith(FQCN_PREFIXES):
            problems.append('%s: not a fully qualified linux.vnet.* or ansible.builtin.* name' % label)
            continue
        if not action.startswith('linux.vnet.'):
            continue
        target = action[len('linux.vnet.') :]
        uses_itself = uses_itself or target == name
        if target not in MODULES:
            problems.append('%s: no such module in the collection' % label)
            continue
        if target not in specs:
            specs[target] = module_spec(target, monkeypatch)
        spec, kwargs = specs[target]
        problems.extend('%s: unknown option %s' % (label, option) for option in unknown_options(args, spec, ''))
        problems.extend('%s: %s' % (label, error) for error in validation_errors(args, spec, kwargs))
        if target == 'vnet_topology':
            problems.extend('%s: %s' % (label, problem) for problem in topology_link_problems(args))
    assert not problems, '\n'.join(problems)
    assert uses_itself, '%s: no example calls linux.vnet.%s' % (where, name)


def collection_filters():
    names = set()
    for plugin in plugin_names('filter'):
        filters = getattr(plugin_module('filter', plugin), 'FilterModule', None)
        if filters is not None:
            names.update(filters().filters())
    return sorted(names)


def filter_examples():
    """(file, EXAMPLES text) of every filter; documentation lives in a .yml beside the .py."""
    package = importlib.import_module('%s.plugins.filter' % COLLECTION)
    found = []
    for directory in package.__path__:
        for entry in sorted(os.listdir(directory)):
            path = os.path.join(directory, entry)
            if entry.endswith(('.yml', '.yaml')):
                with open(path, encoding='utf-8') as handle:
                    doc = yaml.safe_load(handle)
                found.append(('plugins/filter/%s' % entry, doc.get('EXAMPLES') or ''))
    return found


def test_filter_examples_use_fully_qualified_names():
    names = collection_filters()
    assert 'nth_host' in names
    examples = filter_examples()
    assert examples, 'no filter documentation found'
    bare = re.compile(r'\|\s*(%s)\b' % '|'.join(map(re.escape, names)))
    for where, text in examples:
        assert text.strip(), '%s has no EXAMPLES' % where
        try:
            yaml.safe_load(text)
        except yaml.YAMLError as exc:
            pytest.fail('%s: EXAMPLES is not YAML: %s' % (where, exc))
        assert 'linux.vnet.' in text, '%s: EXAMPLES never calls a linux.vnet filter' % where
        unqualified = bare.findall(text)
        assert not unqualified, '%s: filters called without linux.vnet.: %s' % (where, unqualified)


def test_other_plugins_examples_are_yaml():
    for kind in ('connection', 'lookup', 'inventory', 'callback'):
        try:
            names = plugin_names(kind)
        except ImportError:
            continue
        for name in names:
            examples = getattr(plugin_module(kind, name), 'EXAMPLES', '')
            if examples.strip():
                try:
                    yaml.safe_load(examples)
                except yaml.YAMLError as exc:
                    pytest.fail('plugins/%s/%s.py: EXAMPLES is not YAML: %s' % (kind, name, exc))


# The checks themselves must catch what they are for.


def test_lint_catches_unknown_options_and_short_names():
    spec = {'name': {'type': 'str'}, 'ports': {'type': 'list', 'elements': 'dict', 'options': {'tag': {}}}}
    assert unknown_options({'name': 'x', 'nmae': 'y'}, spec, '') == ['nmae']
    assert unknown_options({'ports': [{'tag': 1}, {'tagg': 2}]}, spec, '') == ['ports[1].tagg']
    tasks = tasks_of('- name: t\n  vnet_bridge:\n    name: b\n', 'test')
    assert action_of(tasks[0], 'test') == ('vnet_bridge', {'name': 'b'})
    assert not 'vnet_bridge'.startswith(FQCN_PREFIXES)
    problems = topology_link_problems({'links': [{'kind': 'veth', 'name': 'a', 'peer': 'b', 'vni': 3}]})
    assert problems[0] == 'links[0]: unknown option vni', problems
    assert topology_link_problems({'links': [{'kind': 'vxlan', 'name': 'v'}]}) == [
        'links[0] (vxlan): missing required arguments: vni'
    ]
    assert topology_link_problems({'links': [{'kind': 'tunnel', 'name': 't'}]})[0].startswith("links[0]: kind 'tunnel'")
    assert validation_errors(
        {'name': '{{ x }}', 'stp': 'maybe'}, {'name': {'required': True}, 'stp': {'type': 'bool'}}, {}
    )
