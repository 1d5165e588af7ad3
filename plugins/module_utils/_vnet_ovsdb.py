# -*- coding: utf-8 -*-
# Copyright: linux.vnet contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A small OVSDB session on the ``ovs`` IDL: connect, sync, one transaction, all under one deadline."""

from __future__ import annotations

import errno
import os
import time

from ansible_collections.linux.vnet.plugins.module_utils._ovs_dep import idl, jsonrpc, poller, stream
from ansible_collections.linux.vnet.plugins.module_utils._vnet_errors import VnetError

DATABASE = 'Open_vSwitch'
TABLES = ('Open_vSwitch', 'Bridge', 'Port', 'Interface')


class Ovsdb:
    """Reads Open_vSwitch/Bridge/Port/Interface and commits at most one transaction."""

    def __init__(self, remote, timeout):
        if not remote.startswith(('unix:', 'tcp:')):
            # ssl: needs a private key, certificate and CA certificate set in the ovs library first
            raise VnetError(
                'db: %r is not supported; give unix:PATH or tcp:IP:PORT (ssl: remotes need certificates, '
                'which linux.vnet does not take)' % remote
            )
        self.remote = remote
        self.timeout = timeout
        self.deadline = time.monotonic() + timeout
        self._txn = None
        self.idl = idl.Idl(remote, self._schema_helper())
        self._wait_until(lambda seqno: self.idl.change_seqno != seqno, 'read the database')
        if not self.rows('Open_vSwitch'):
            raise VnetError(
                'db: %s has no Open_vSwitch record; initialise the database first '
                '(ovs-vsctl --db=%s init, or start Open vSwitch with its own scripts)' % (remote, remote)
            )

    def _remaining_ms(self):
        return max(0, int((self.deadline - time.monotonic()) * 1000))

    def _schema_helper(self):
        error, connection = stream.Stream.open_block(stream.Stream.open(self.remote), self._remaining_ms())
        if error:
            raise VnetError(
                'db: cannot connect to %s: %s (is ovsdb-server running, and is this its socket?)'
                % (self.remote, os.strerror(error))
            )
        rpc = jsonrpc.Connection(connection)
        try:
            error, reply = _transact(rpc, jsonrpc.Message.create_request('get_schema', [DATABASE]), self)
        finally:
            rpc.close()
        if error or reply.error:
            raise VnetError(
                'db: %s did not return the %s schema: %s'
                % (self.remote, DATABASE, os.strerror(error) if error else reply.error)
            )
        helper = idl.SchemaHelper(schema_json=reply.result)
        for table in TABLES:
            helper.register_table(table)
        return helper

    def _wait_until(self, done, what):
        """Run the IDL until ``done(start_seqno)`` is true; the order (run, check, block) matters."""
        seqno = self.idl.change_seqno
        while True:
            self.idl.run()
            if done(seqno):
                return
            if time.monotonic() >= self.deadline:
                raise VnetError(
                    'timeout: no answer from %s within %s s while trying to %s' % (self.remote, self.timeout, what)
                )
            waiter = poller.Poller()
            self.idl.wait(waiter)
            waiter.timer_wait(min(self._remaining_ms(), 100))
            waiter.block()

    def rows(self, table):
        return list(self.idl.tables[table].rows.values())

    def root(self):
        return self.rows('Open_vSwitch')[0]

    @property
    def txn(self):
        if self._txn is None:
            self._txn = idl.Transaction(self.idl)
            self._txn.add_comment('linux.vnet.vnet_ovs')
        return self._txn

    def commit(self):
        """Commit the transaction and wait until ovs-vswitchd has applied it.

        Like ovs-vsctl, bump next_cfg in the same transaction and wait for the daemon to
        report it as cur_cfg: only then do the interfaces' ofport and error mean something.
        """
        txn, self._txn = self.txn, None
        self.root().increment('next_cfg')
        while True:
            status = txn.commit()
            if status != idl.Transaction.INCOMPLETE:
                break
            if time.monotonic() >= self.deadline:
                txn.abort()
                raise VnetError('timeout: %s did not confirm the transaction within %s s' % (self.remote, self.timeout))
            self.idl.run()
            waiter = poller.Poller()
            self.idl.wait(waiter)
            txn.wait(waiter)
            waiter.timer_wait(min(self._remaining_ms(), 100))
            waiter.block()
        if status != idl.Transaction.SUCCESS:
            raise VnetError(
                'OVSDB rejected the transaction, nothing was changed: %s (%s)'
                % (txn.get_error() or 'no reason given', idl.Transaction.status_to_string(status))
            )
        target = txn.get_increment_new_value()
        try:
            self._wait_until(
                lambda _seqno: (self.root().cur_cfg or 0) >= target,
                'see ovs-vswitchd apply the change (is ovs-vswitchd running?)',
            )
        except VnetError as exc:
            exc.msg = 'the transaction was committed, but ' + exc.msg
            exc.details['changed'] = True
            raise

    def interface_states(self, names):
        wanted = set(names)
        states = {}
        for row in self.rows('Interface'):
            if row.name in wanted:
                ofport = _scalar(row.ofport)
                states[row.name] = (ofport if ofport not in (None, -1) else None, _scalar(row.error))
        return states

    def close(self):
        self.idl.close()


def _transact(rpc, request, session):
    error = rpc.send(request)
    if error:
        return error, None
    while True:
        error, reply = rpc.recv()
        if error and error != errno.EAGAIN:
            return error, None
        if reply is not None and reply.id == request.id:
            return 0, reply
        if time.monotonic() >= session.deadline:
            return errno.ETIMEDOUT, None
        rpc.run()
        waiter = poller.Poller()
        rpc.wait(waiter)
        rpc.recv_wait(waiter)
        waiter.timer_wait(min(session._remaining_ms(), 100))
        waiter.block()


def _scalar(value):
    """Optional OVSDB columns come back as [] or [value]."""
    if isinstance(value, list):
        return value[0] if value else None
    return value
