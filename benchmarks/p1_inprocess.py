"""P1, in process: N namespaces, a veth pair into each, the host ends ports of one bridge.

The collection's engine, imported from a collection copy (PYTHONPATH=<collections dir>) and run
as vnet_topology's run_topology runs it, minus AnsibleModule: argument validation, Topology,
Kernel, PlannedKernel, converge_all. Against `ip -batch` doing the same work.

Run by run.py; prints one JSON document. Usage:
    PYTHONPATH=<collections> python p1_inprocess.py --prefix vb1234 --sizes 50,200 --deadline <epoch>
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from common import Timer, cleanup, differences, ip_batch, leftovers, load1, snapshot  # noqa: E402
from inprocess import IMPORT, engine  # noqa: E402


class Names:
    def __init__(self, prefix, n):
        self.prefix = prefix
        self.n = n
        self.owner = prefix
        self.marker = 'linux.vnet:%s' % prefix
        self.bridge = prefix + 'br'

    def ns(self, i):
        return '%sn%d' % (self.prefix, i)

    def host_end(self, i):
        return '%sh%d' % (self.prefix, i)

    def sample(self):
        return sorted({self.ns(0), self.ns(self.n // 2), self.ns(self.n - 1)})


# ---- the collection's engine, as run_topology runs it -------------------------------------


def topology_params(names, declare=True):
    if not declare:
        return {'owner': names.owner, 'purge': True}
    return {
        'owner': names.owner,
        'purge': True,
        'namespaces': [{'name': names.ns(i)} for i in range(names.n)],
        'links': [{'kind': 'bridge', 'name': names.bridge}]
        + [
            {
                'kind': 'veth',
                'name': names.host_end(i),
                'peer': 'eth0',
                'peer_namespace': names.ns(i),
                'master': names.bridge,
            }
            for i in range(names.n)
        ],
    }


# ---- ip -batch doing the same work -----------------------------------------------------------


def ip_create(names):
    """The same kernel state the engine makes, with iproute2: (host batch timer, per-namespace timer).

    One `ip -batch` in the host namespace does everything it can reach from there: the bridge,
    the namespaces, each veth created with its peer directly in its namespace, the host end up,
    on the bridge, with the ownership marker (interface alias) the engine sets. What only a
    process inside a namespace can do - bring `lo` up and mark it (as vnet_namespace does) and
    bring the peer up (`up` on a peer created in another namespace fails with ENOTCONN) - takes
    one `ip -n <ns> -batch` per namespace: iproute2 has no per-line namespace in batch mode.
    """
    lines = ['link add %s type bridge' % names.bridge, 'link set %s alias %s up' % (names.bridge, names.marker)]
    for i in range(names.n):
        lines.append('netns add %s' % names.ns(i))
    for i in range(names.n):
        lines.append('link add %s up type veth peer name eth0 netns %s' % (names.host_end(i), names.ns(i)))
        lines.append('link set %s alias %s master %s' % (names.host_end(i), names.marker, names.bridge))
    with Timer() as host:
        ip_batch(lines)
    with Timer() as inside:
        for i in range(names.n):
            ip_batch(['link set lo alias %s up' % names.marker, 'link set eth0 up'], namespace=names.ns(i))
    return host, inside


def ip_teardown(names):
    """What the engine's purge does: delete the host ends (their peers go with them), the bridge, the namespaces."""
    lines = ['link del %s' % names.host_end(i) for i in range(names.n)]
    lines.append('link del %s' % names.bridge)
    lines += ['netns del %s' % names.ns(i) for i in range(names.n)]
    with Timer() as timer:
        ip_batch(lines)
    return timer


def settle(prefix):
    """Wait until nothing with the prefix is left (namespace teardown finishes asynchronously)."""
    for _attempt in range(100):
        if not leftovers(prefix):
            return
        time.sleep(0.1)
    raise RuntimeError('left behind: %s' % leftovers(prefix))


# ---- one size ---------------------------------------------------------------------------------


def measure(prefix, n, ip_reps):
    names = Names(prefix, n)
    ip_runs = []

    def one_ip_run(keep_snapshot=False):
        host, inside = ip_create(names)
        snap = snapshot(prefix, names.sample()) if keep_snapshot else None
        teardown = ip_teardown(names)
        settle(prefix)
        ip_runs.append(
            {
                'create_host_batch': host.figure(),
                'create_inside_namespaces': inside.figure(),
                'create_same_work': round(host.seconds + inside.seconds, 3),
                'teardown': teardown.figure(),
            }
        )
        return snap

    ip_snapshot = one_ip_run(keep_snapshot=True)

    figures = {}
    timer, result = engine(topology_params(names), check_mode=True)
    figures['plan_create'] = timer.figure(changes=len(result['actions']))
    if leftovers(prefix):
        raise RuntimeError('check mode changed the host: %s' % leftovers(prefix))
    timer, result = engine(topology_params(names), check_mode=False)
    figures['create'] = timer.figure(changes=len(result['actions']))
    engine_snapshot = snapshot(prefix, names.sample())
    timer, result = engine(topology_params(names), check_mode=False)
    figures['rerun'] = timer.figure(changes=len(result['actions']))
    timer, result = engine(topology_params(names), check_mode=True)
    figures['plan_rerun'] = timer.figure(changes=len(result['actions']))
    timer, result = engine(topology_params(names, declare=False), check_mode=True)
    figures['plan_teardown'] = timer.figure(changes=len(result['actions']))
    timer, result = engine(topology_params(names, declare=False), check_mode=False)
    figures['teardown'] = timer.figure(changes=len(result['actions']))
    settle(prefix)

    for _repetition in range(ip_reps - 1):
        one_ip_run()

    def median(key, sub=None):
        values = [r[key][sub] if sub else r[key] for r in ip_runs]
        return round(statistics.median(values), 3)

    return {
        'n': n,
        'engine': figures,
        'ip_batch': {
            'runs': ip_runs,
            'create_host_batch': median('create_host_batch', 'seconds'),
            'create_same_work': median('create_same_work'),
            'teardown': median('teardown', 'seconds'),
        },
        'same_end_state': differences(ip_snapshot, engine_snapshot),
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--prefix', required=True)
    parser.add_argument('--sizes', default='200')
    parser.add_argument('--ip-reps', type=int, default=3)
    parser.add_argument('--deadline', type=float, default=None, help='epoch seconds; skip sizes that would not fit')
    args = parser.parse_args()
    out = {'import': IMPORT.figure(), 'sizes': [], 'skipped': []}
    previous = None
    try:
        for n in [int(s) for s in args.sizes.split(',')]:
            if previous is not None and args.deadline is not None:
                # for scheduling only: the previous size's engine time scaled quadratically
                spent = sum(f['seconds'] for f in previous['engine'].values())
                estimate = spent * (n / previous['n']) ** 2
                left = args.deadline - time.time()
                if estimate > left:
                    out['skipped'].append(
                        {
                            'n': n,
                            'reason': 'estimated %.0f s (quadratic from n=%d), %.0f s left'
                            % (estimate, previous['n'], left),
                        }
                    )
                    continue
            previous = measure(args.prefix, n, args.ip_reps)
            previous['load_after'] = load1()
            out['sizes'].append(previous)
    finally:
        out['leftovers'] = cleanup(args.prefix)
    print(json.dumps(out))


if __name__ == '__main__':
    main()
