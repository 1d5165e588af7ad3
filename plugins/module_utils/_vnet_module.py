# -*- coding: utf-8 -*-
# Copyright: linux.vnet contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The body of every object module's main(): spec -> dependency -> validate -> engine -> result."""

from __future__ import annotations

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.linux.vnet.plugins.module_utils._vnet_deps import ensure
from ansible_collections.linux.vnet.plugins.module_utils._vnet_engine import converge, converge_all
from ansible_collections.linux.vnet.plugins.module_utils._vnet_errors import VnetError


class KernelBackend:
    """Default for object descriptions: pyroute2 and the netlink Kernel (imported lazily, ~0.4 s)."""

    @staticmethod
    def dependency():
        from ansible_collections.linux.vnet.plugins.module_utils._pyroute2_dep import PYROUTE2

        return PYROUTE2

    @staticmethod
    def open(params):
        from ansible_collections.linux.vnet.plugins.module_utils._vnet_kernel import Kernel

        return Kernel()

    @staticmethod
    def build(description, params):
        from ansible_collections.linux.vnet.plugins.module_utils._vnet_link import LinkObject

        return LinkObject(description, params)


def run_module(description):
    """``description``: a LinkKind, or a spec with argument_spec() and build() (and optionally a backend)."""
    module = AnsibleModule(
        argument_spec=description.argument_spec(),
        mutually_exclusive=description.mutually_exclusive,
        required_if=description.required_if,
        required_by=getattr(description, 'required_by', None) or {},
        supports_check_mode=True,
    )
    backend = getattr(description, 'backend', KernelBackend)
    ensure(module, backend.dependency())
    try:
        build = getattr(description, 'build', None)
        obj = build(module.params) if build else backend.build(description, module.params)
        connection = backend.open(module.params)
        try:
            result = converge(obj, connection, module.check_mode)
        finally:
            connection.close()
    except VnetError as exc:
        module.fail_json(msg=exc.msg, **exc.details)
    _finish(module, result)


def _finish(module, result):
    if not module._diff:
        result.pop('diff')
    for warning in result.pop('warnings', []):
        module.warn(warning)
    module.exit_json(**result)


def run_topology(spec):
    """vnet_topology's main(): every object of the host in one engine run."""
    module = AnsibleModule(argument_spec=spec.argument_spec(), supports_check_mode=True)
    ensure(module, KernelBackend.dependency())
    from ansible_collections.linux.vnet.plugins.module_utils._vnet_kernel import Kernel
    from ansible_collections.linux.vnet.plugins.module_utils._vnet_planned import PlannedKernel
    from ansible_collections.linux.vnet.plugins.module_utils._vnet_topology import record, summary

    if module.params['ovs']:
        from ansible_collections.linux.vnet.plugins.module_utils._vnet_ovs import OvsBackend

        ensure(module, OvsBackend.dependency())
    try:
        topology = spec.build(module.params)
        kernel = Kernel(dump_links=True)
        try:
            objects = topology.objects(kernel)
            results = converge_all(objects, kernel, module.check_mode, PlannedKernel(kernel), record)
        finally:
            kernel.close()
            topology.close()
    except VnetError as exc:
        module.fail_json(msg=exc.msg, **exc.details)
    result = summary(results)
    result['warnings'] = topology.warnings + [w for r in results for w in r.get('warnings', [])]
    _finish(module, result)
