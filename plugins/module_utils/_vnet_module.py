# -*- coding: utf-8 -*-
# Copyright: linux.vnet contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The body of every object module's main(): spec -> validate -> engine -> result."""

from __future__ import annotations

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.linux.vnet.plugins.module_utils._vnet_deps import ensure_pyroute2
from ansible_collections.linux.vnet.plugins.module_utils._vnet_engine import converge
from ansible_collections.linux.vnet.plugins.module_utils._vnet_errors import VnetError
from ansible_collections.linux.vnet.plugins.module_utils._vnet_kernel import Kernel
from ansible_collections.linux.vnet.plugins.module_utils._vnet_link import LinkObject


def run_module(description):
    """``description`` is a LinkKind or another spec with argument_spec() and build()."""
    module = AnsibleModule(
        argument_spec=description.argument_spec(),
        mutually_exclusive=description.mutually_exclusive,
        required_if=description.required_if,
        required_by=getattr(description, 'required_by', None),
        supports_check_mode=True,
    )
    ensure_pyroute2(module)
    try:
        build = getattr(description, 'build', None)
        obj = build(module.params) if build else LinkObject(description, module.params)
        kernel = Kernel()
        try:
            result = converge(obj, kernel, module.check_mode)
        finally:
            kernel.close()
    except VnetError as exc:
        module.fail_json(msg=exc.msg, **exc.details)
    if not module._diff:
        result.pop('diff')
    module.exit_json(**result)
