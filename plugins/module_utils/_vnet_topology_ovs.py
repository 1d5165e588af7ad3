# -*- coding: utf-8 -*-
# Copyright: linux.vnet contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""An Open vSwitch bridge as one object of a topology: vnet_ovs's own object, on its own OVSDB session.

The engine hands every object of a topology the kernel; this object talks to OVSDB instead. Each
read opens a fresh session (a session's timeout runs from its start, and a topology may spend
minutes on links between planning a bridge and committing it).
"""

from __future__ import annotations

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.linux.vnet.plugins.module_utils._vnet_errors import VnetError
from ansible_collections.linux.vnet.plugins.module_utils._vnet_ovs import OvsBackend, OvsBridgeSpec

SPEC = OvsBridgeSpec()


def ovs_bridge_object(index, entry):
    """The entry validated by vnet_ovs's argument spec, as the object vnet_ovs builds, labelled ovs[index]."""
    label = 'ovs[%d]' % index
    checked = ArgumentSpecValidator(SPEC.argument_spec()).validate(entry)
    if checked.error_messages:
        raise VnetError('%s: %s' % (label, '; '.join(str(m) for m in checked.error_messages)))
    try:
        return TopologyOvsBridge(checked.validated_parameters)
    except VnetError as exc:
        exc.msg = '%s (%r): %s' % (label, entry.get('bridge'), exc.msg)
        raise


class TopologyOvsBridge:
    """Delegates to OvsBridgeObject, giving it an OVSDB session where the engine gives a kernel."""

    def __init__(self, params):
        self.params = params
        self.inner = SPEC.build(params)
        self.session = None

    def __getattr__(self, name):
        # state, recreate, result_key, label, keep_on_recreate, predict, projection, report, warnings
        return getattr(self.inner, name)

    def read(self, kernel):
        self.close()
        self.session = OvsBackend.open(self.params)
        return self.inner.read(self.session)

    def plan_create(self, kernel):
        return self.inner.plan_create(self.session)

    def plan_update(self, kernel, current):
        return self.inner.plan_update(self.session, current)

    def plan_delete(self, kernel, current):
        return self.inner.plan_delete(self.session, current)

    def close(self):
        if self.session is not None:
            self.session.close()
            self.session = None
