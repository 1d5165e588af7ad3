# -*- coding: utf-8 -*-
# Copyright: linux.vnet contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The OVSDB remote is checked before the ovs library sees it."""

from __future__ import annotations

import pytest

pytest.importorskip('ovs')

from ansible_collections.linux.vnet.plugins.module_utils._vnet_errors import VnetError  # noqa: E402
from ansible_collections.linux.vnet.plugins.module_utils._vnet_ovsdb import Ovsdb  # noqa: E402


@pytest.mark.parametrize('remote', ['ssl:192.0.2.1:6640', 'pssl:6640', '/run/openvswitch/db.sock'])
def test_a_remote_we_cannot_use_fails_naming_db(remote):
    with pytest.raises(VnetError) as caught:
        Ovsdb(remote, timeout=1)
    assert caught.value.msg.startswith("db: '%s' is not supported; give unix:PATH or tcp:IP:PORT" % remote)


def test_a_unix_socket_that_nobody_serves_fails_naming_db(tmp_path):
    with pytest.raises(VnetError, match='^db: cannot connect to unix:'):
        Ovsdb('unix:%s' % (tmp_path / 'db.sock'), timeout=1)
