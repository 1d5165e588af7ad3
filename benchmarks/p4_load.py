"""P4, in process: how often one vnet_topology run reads each namespace, counted.

The topology of P4 (benchmarks/playbooks/p4_topology.yml with p2_vars.yml: n endpoint
namespaces <p>e<i>, a veth pair <p>h<i> / eth0 into each, eth0 with an address, the host ends
ports of the bridge <p>br; owner <p>, purge) run by the collection's engine as run_topology runs
it (Kernel(dump_links=True), PlannedKernel, converge_all), minus AnsibleModule. The Kernel's
reads are wrapped - in this process only, the collection is not changed - and counted per
namespace:

  link dumps      Kernel._read_links (RTM_GETLINK dump of one namespace)
  address dumps   Kernel._address_dump when it asks the kernel (not when it answers from memory)
  route dumps     Kernel.default_route_ifindexes when it asks the kernel (IPv4 + IPv6 main table)
  single gets     Kernel._first (RTM_GETLINK of one link, by name or index)
  nsid requests   Kernel._nsid_of (RTM_GETNSID, naming a veth peer's namespace)

Run by run.py against a host the ansible-playbook runs have built; prints one JSON document.
    PYTHONPATH=<collections> python p4_load.py --prefix vb1234 --n 1000 --runs rerun,check_rerun
Runs: create, rerun, check_rerun, check_purge (check mode: nothing is changed), purge.
--profile DIR writes a cProfile file per run (<run>.prof) for `python -m pstats`.
"""

from __future__ import annotations

import argparse
import collections
import cProfile
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


from inprocess import IMPORT, Kernel, engine  # noqa: E402

RUNS = {
    # name: (declare the endpoints, check mode)
    'create': (True, False),
    'rerun': (True, False),
    'check_rerun': (True, True),
    'check_purge': (False, True),
    'purge': (False, False),
}
READS = ('link_dumps', 'address_dumps', 'route_dumps', 'single_gets', 'nsid_requests')
DUMPS = ('link_dumps', 'address_dumps', 'route_dumps')


def topology_params(prefix, n, declare=True):
    """What p4_topology.yml passes (p2_vars.yml's endpoints): keep the two in step."""
    if not declare:
        return {'owner': prefix, 'purge': True, 'namespaces': [], 'links': []}
    bridge = prefix + 'br'
    links = [{'kind': 'bridge', 'name': bridge}]
    for i in range(n):
        address = '10.201.%d.%d/16' % (i // 250, i % 250 + 1)
        links.append(
            {
                'kind': 'veth',
                'name': '%sh%d' % (prefix, i),
                'peer': 'eth0',
                'peer_namespace': '%se%d' % (prefix, i),
                'peer_addresses': [address],
                'master': bridge,
            }
        )
    return {
        'owner': prefix,
        'purge': True,
        'namespaces': [{'name': '%se%d' % (prefix, i)} for i in range(n)],
        'links': links,
    }


class Counter:
    """Wraps the Kernel's reads (on the class, for the life of this process) and counts them per namespace."""

    def __init__(self):
        self.counts = collections.defaultdict(collections.Counter)  # namespace -> read -> count
        self.calls = collections.Counter()  # method -> calls, answered from memory or not

    def reset(self):
        self.counts.clear()
        self.calls.clear()

    def install(self):
        counter = self

        def counted(name, read, cached=None):
            original = getattr(Kernel, name)

            def wrapper(kernel, namespace, *args, **kwargs):
                counter.calls[name] += 1
                if cached is None or namespace not in getattr(kernel, cached):
                    counter.counts[namespace][read] += 1
                return original(kernel, namespace, *args, **kwargs)

            wrapper.__wrapped__ = original
            setattr(Kernel, name, wrapper)

        counted('_read_links', 'link_dumps')
        counted('_address_dump', 'address_dumps', cached='_address_dumps')
        counted('default_route_ifindexes', 'route_dumps', cached='_default_routes')
        counted('_first', 'single_gets')
        counted('_nsid_of', 'nsid_requests')

    def figures(self, prefix):
        """Totals, then the same split: the endpoint namespaces (the prefix's), the host namespace
        (the n host ends and the bridge), and everyone else's namespaces (purge looks at every one)."""
        ours = [c for ns, c in self.counts.items() if ns is not None and ns.startswith(prefix)]
        others = [c for ns, c in self.counts.items() if ns is not None and not ns.startswith(prefix)]

        def block(counts):
            out = {read: sum(c[read] for c in counts) for read in READS}
            out['namespaces'] = len(counts)
            out['max_link_dumps_of_one'] = max((c['link_dumps'] for c in counts), default=0)
            out['max_dumps_of_one'] = max((sum(c[r] for r in DUMPS) for c in counts), default=0)
            out['max_reads_of_one'] = max((sum(c.values()) for c in counts), default=0)
            return out

        out = block(list(self.counts.values()))
        out.update(
            namespaces_touched=len(self.counts),
            endpoints=block(ours),
            host=block([self.counts[None]] if None in self.counts else []),
            others=block(others),
            calls=dict(self.calls),
        )
        return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--prefix', required=True)
    parser.add_argument('--n', type=int, required=True)
    parser.add_argument('--runs', default='rerun,check_rerun,check_purge')
    parser.add_argument('--profile', metavar='DIR', help='write <DIR>/<run>.prof (cProfile) per run')
    args = parser.parse_args()
    counter = Counter()
    counter.install()
    out = {'import': IMPORT.figure(), 'n': args.n, 'runs': {}}
    for run in [r.strip() for r in args.runs.split(',') if r.strip()]:
        declare, check_mode = RUNS[run]
        params = topology_params(args.prefix, args.n, declare)
        counter.reset()
        profile = cProfile.Profile() if args.profile else None
        if profile:
            profile.enable()
        timer, result = engine(params, check_mode)
        if profile:
            profile.disable()
            profile.dump_stats(os.path.join(args.profile, '%s.prof' % run))
        out['runs'][run] = dict(
            timer.figure(changes=len(result['actions']), changed=result['changed'], objects=len(result['objects'])),
            reads=counter.figures(args.prefix),
        )
    print(json.dumps(out))


if __name__ == '__main__':
    main()
