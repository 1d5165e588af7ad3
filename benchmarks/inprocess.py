"""The collection's engine run as vnet_topology's run_topology runs it, minus AnsibleModule.

Imported by the in-process parts (P1, P4) with PYTHONPATH=<collections dir>; IMPORT times the
import itself (pyroute2 included), once per process.
"""

from __future__ import annotations

from common import Timer

IMPORT = Timer()
with IMPORT:
    from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

    from ansible_collections.linux.vnet.plugins.module_utils._vnet_engine import converge_all
    from ansible_collections.linux.vnet.plugins.module_utils._vnet_kernel import Kernel
    from ansible_collections.linux.vnet.plugins.module_utils._vnet_planned import PlannedKernel
    from ansible_collections.linux.vnet.plugins.module_utils._vnet_topology import (
        Topology,
        TopologySpec,
        record,
        summary,
    )


def engine(params, check_mode):
    """One vnet_topology run without AnsibleModule: (timer, summary)."""
    with Timer() as timer:
        checked = ArgumentSpecValidator(TopologySpec().argument_spec()).validate(params)
        if checked.error_messages:
            raise SystemExit('bad benchmark input: %s' % checked.error_messages)
        topology = Topology(checked.validated_parameters)
        kernel = Kernel(dump_links=True)  # as run_topology opens it
        try:
            objects = topology.objects(kernel)
            results = converge_all(objects, kernel, check_mode, PlannedKernel(kernel), record)
        finally:
            kernel.close()
            topology.close()
        result = summary(results)
    return timer, result
