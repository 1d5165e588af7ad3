"""linux.vnet benchmarks (`make bench`): measured, never asserted.

P1  in process: N namespaces + N veth pairs + bridge ports, the engine against `ip -batch`.
P2  ansible-playbook on localhost, 50 endpoints: one vnet_topology task against a loop of
    per-object module tasks and against a `command: ip ...` playbook; first run and re-run;
    peak memory of the module process.
P3  the VXLAN overlay role on 3, 10 and 20 simulated hosts of the lab role: converge and re-run
    time against the host count.
P4  load (not in the default --only): one vnet_topology task (owner, purge) with n endpoint
    namespaces (--p4-n, default 1000), measured at n/2 and n: create, re-run, check-mode re-run,
    purge, each with the module process's peak RSS; the same re-run in process with the Kernel's
    reads counted per namespace (p4_load.py); nothing with the prefix left after the purge.

Everything runs one step at a time (the figures are wall-clock times on a shared machine; the
1-minute load average is recorded at the start and end of each one, and the CPU time next to it).
Everything created is named with one random prefix and removed at the end, also on failure.
A time budget (default 570 s) keeps the whole run under 10 minutes: what does not fit is skipped
and the table says so.

    python benchmarks/run.py --collections .build/collections [--only p1,p2,p3] [--json out.json]
    python benchmarks/run.py --collections .build/collections --only p4 --budget 3000 [--p4-n 1000]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from common import Timer, cleanup, differences, leftovers, machine, new_prefix, snapshot  # noqa: E402
from report import table  # noqa: E402

PLAYBOOKS = os.path.join(HERE, 'playbooks')
MODULE_PYTHON = '/usr/bin/python3'
RESERVE = 25  # seconds kept for the final cleanup and the table


SHARES = {'p1': 0.25, 'p2': 0.45, 'p3': 0.30, 'p4': 1.0}  # of the budget, for scheduling the parts


class Budget:
    def __init__(self, seconds, parts):
        self.start = time.time()
        self.seconds = seconds
        self.deadline = self.start + seconds
        total = sum(SHARES[p] for p in parts)
        self.part_deadline, done = {}, 0.0
        for part in parts:
            done += SHARES[part] / total
            self.part_deadline[part] = self.start + done * (seconds - RESERVE)

    def left(self):
        return self.deadline - RESERVE - time.time()


class Bench:
    def __init__(self, args):
        self.args = args
        self.prefix = new_prefix()
        self.budget = Budget(args.budget, args.only)
        self.tmp = tempfile.mkdtemp(prefix='linux-vnet-bench-')
        self.results = {'prefix': self.prefix, 'p1': None, 'p2': {}, 'p3': {}, 'p4': {}, 'skipped': [], 'errors': []}
        self.env = dict(
            os.environ,
            ANSIBLE_COLLECTIONS_PATH=os.path.abspath(args.collections),
            ANSIBLE_PIPELINING='true',
            ANSIBLE_NOCOLOR='1',
            ANSIBLE_FORKS=str(args.forks),
            ANSIBLE_LOCAL_TEMP=os.path.join(self.tmp, 'ansible-local'),
            ANSIBLE_RETRY_FILES_ENABLED='false',
            ANSIBLE_DEPRECATION_WARNINGS='false',
        )
        self.env.pop('ANSIBLE_CONFIG', None)
        self.snapshots = {}
        self.playbook_bin = os.path.join(os.path.dirname(sys.executable), 'ansible-playbook')

    def part_left(self, part):
        """Seconds left for this part: its share of the budget plus what earlier parts left unused."""
        return self.budget.part_deadline[part] - time.time()

    def skip(self, what, reason):
        print('  skipped %s: %s' % (what, reason), flush=True)
        self.results['skipped'].append({'what': what, 'reason': reason})

    # ---- ansible-playbook ------------------------------------------------------------------

    def playbook(self, name, extra, label, inventory='localhost,', limit=None, interpreter=MODULE_PYTHON, options=()):
        """One ansible-playbook run, timed; returns the figure (with the PLAY RECAP counts)."""
        sources = [inventory] if isinstance(inventory, str) else inventory
        argv = [self.playbook_bin] + [arg for source in sources for arg in ('-i', source)]
        argv.append(os.path.join(PLAYBOOKS, name))
        argv += list(options)
        if inventory == 'localhost,':
            argv += ['-c', 'local', '-e', 'ansible_python_interpreter=%s' % interpreter]
        if limit:
            argv += ['--limit', limit]
        argv += ['-e', json.dumps(dict(extra, pfx=self.prefix))]
        log_path = os.path.join(self.tmp, re.sub(r'[^A-Za-z0-9_.-]+', '_', label) + '.log')
        timeout = self.budget.left()
        if timeout < 5:
            raise TimeoutError('no time left for %s' % label)
        print('  %-52s' % label, end='', flush=True)
        with open(log_path, 'w') as log, Timer() as timer:
            proc = subprocess.Popen(
                argv, stdout=log, stderr=subprocess.STDOUT, env=self.env, cwd=self.tmp, start_new_session=True
            )
            try:
                rc = proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                stop(proc)
                rc = None
            except BaseException:  # interrupted: stop the playbook before the cleanup runs
                stop(proc)
                raise
        with open(log_path) as log:
            output = log.read()
        recap = recap_counts(output)
        figure = timer.figure(**recap)
        figure['task_results'] = len(re.findall(r'^(?:ok|changed|failed|fatal): \[', output, re.M))
        if rc is None:
            figure['timed_out'] = True
            message = 'did not finish within the budget: stopped after %.0f s, %d task results' % (
                timer.seconds,
                figure['task_results'],
            )
            print(message)
            raise TimeoutError('%s %s' % (label, message))
        if rc != 0:
            print('FAILED (rc %d), log: %s' % (rc, log_path))
            raise RuntimeError('%s failed (rc %d):\n%s' % (label, rc, '\n'.join(output.splitlines()[-25:])))
        print(
            '%7.2f s  cpu %6.2f s  load %.1f->%.1f  changed=%d'
            % (timer.seconds, timer.cpu, *timer.load, recap['changed'])
        )
        return figure

    # ---- P1 ----------------------------------------------------------------------------------

    def p1(self):
        print('P1 in process (engine vs ip -batch), sizes %s' % self.args.p1_sizes, flush=True)
        deadline = self.budget.part_deadline['p1']
        env = dict(os.environ, PYTHONPATH=os.path.abspath(self.args.collections))
        argv = [
            sys.executable,
            os.path.join(HERE, 'p1_inprocess.py'),
            '--prefix',
            self.prefix,
            '--sizes',
            self.args.p1_sizes,
            '--deadline',
            str(deadline),
        ]
        try:
            out = subprocess.run(
                argv, env=env, capture_output=True, text=True, timeout=max(self.budget.left(), 5), check=False
            )
        except subprocess.TimeoutExpired:
            self.results['errors'].append('P1 did not finish within the budget')
            return
        if out.returncode != 0:
            self.results['errors'].append('P1 failed: %s' % out.stderr[-2000:])
            print(out.stderr[-2000:])
            return
        self.results['p1'] = json.loads(out.stdout.strip().splitlines()[-1])
        for skipped in self.results['p1']['skipped']:
            self.skip('P1 n=%d' % skipped['n'], skipped['reason'])
        for size in self.results['p1']['sizes']:
            e = size['engine']
            print(
                '  n=%d engine create %.2f s, ip -batch %.2f s (same work); teardown %.2f s vs %.2f s'
                % (
                    size['n'],
                    e['create']['seconds'],
                    size['ip_batch']['create_same_work'],
                    e['teardown']['seconds'],
                    size['ip_batch']['teardown'],
                ),
                flush=True,
            )

    # ---- P2 ----------------------------------------------------------------------------------

    def p2(self):
        n = self.args.p2_n
        print('P2 ansible-playbook, localhost, %d endpoints' % n, flush=True)
        p2 = self.results['p2']
        p2['n'] = n
        p2['sizes'] = {}
        startup = self.startup()
        self.p2_size(n, ('topology',))
        if self.args.p2_topology_only:
            return
        self.p2_memory(n)
        # The loops run one module process per object: at n they may not fit the budget. For
        # scheduling only, a vnet_* module run is taken as 0.8 and a command run as 0.4 empty
        # playbooks (about what they cost here); the largest size that fits is measured, with
        # vnet_topology measured again at that size, so that every ratio compares equal work.
        per_endpoint = startup['seconds'] * (2 * 0.8 + 4 * 0.4)
        topology_cost = sum(f['seconds'] for f in p2['sizes'].get(n, {}).get('topology', {}).values())
        left = self.part_left('p2')
        for size in [s for s in (n, 25, 10, 5) if s <= n]:
            estimate = 4 * startup['seconds'] + 2 * size * per_endpoint + (0 if size == n else topology_cost)
            if estimate <= left:
                break
            self.skip('P2 loops at n=%d' % size, 'estimated %.0f s, %.0f s left for P2' % (estimate, left))
        else:
            return
        p2['loop_n'] = size
        self.p2_size(size, ('command', 'modules') if size == n else ('topology', 'command', 'modules'))

    def startup(self):
        """ansible-playbook's fixed cost (an empty playbook): the unit of the scheduling estimates."""
        if 'startup' not in self.results['p2']:
            self.results['p2']['startup'] = self.playbook(
                'p2_empty.yml', {}, 'empty playbook (ansible-playbook fixed cost)'
            )
        return self.results['p2']['startup']

    def p2_size(self, n, variants):
        """First run and re-run of each variant on an empty host, n endpoints; end states compared."""
        runs = self.results['p2']['sizes'].setdefault(n, {})
        sample = sorted({'%se%d' % (self.prefix, i) for i in (0, n // 2, n - 1)})
        snapshots = self.snapshots.setdefault(n, {})
        for variant in variants:
            playbook = 'p2_%s.yml' % variant
            try:
                first = self.playbook(playbook, {'n': n}, 'n=%d %s: first run' % (n, variant))
                snapshots[variant] = snapshot(self.prefix, sample)
                rerun = self.playbook(playbook, {'n': n}, 'n=%d %s: re-run' % (n, variant))
                runs[variant] = {'first': first, 'rerun': rerun}
            except TimeoutError as exc:
                self.skip('P2 n=%d %s' % (n, variant), str(exc))
            finally:
                left = cleanup(self.prefix)
                if left:
                    raise RuntimeError('P2 %s: cleanup left %s' % (variant, left))
        # the same end state, aliases (the ownership marker) aside
        base = snapshots.get('topology')
        runs['same_end_state'] = {
            v: differences(strip_alias(base), strip_alias(s)) for v, s in snapshots.items() if v != 'topology'
        }

    def p2_memory(self, n):
        """Peak RSS of the module processes: a wrapper interpreter execs /usr/bin/python3 under
        /usr/bin/time, which writes the maximum resident set size of that process (KiB) per run."""
        log = os.path.join(self.tmp, 'maxrss.log')
        wrapper = os.path.join(self.tmp, 'python-maxrss')
        with open(wrapper, 'w') as handle:
            handle.write('#!/bin/sh\nexec /usr/bin/time -f %%M -a -o %s %s "$@"\n' % (log, MODULE_PYTHON))
        os.chmod(wrapper, 0o755)
        try:
            figure = self.playbook('p2_memory.yml', {'n': n}, 'peak memory (module processes)', interpreter=wrapper)
            with open(log) as handle:
                values = [int(line) for line in handle.read().split() if line.isdigit()]
            labels = ['topology_first', 'topology_rerun', 'vnet_veth', 'command']
            if len(values) != len(labels):
                raise RuntimeError('expected %d module runs in %s, got %r' % (len(labels), log, values))
            self.results['p2']['memory_kib'] = dict(zip(labels, values, strict=True))
            self.results['p2']['memory_run'] = figure
        except TimeoutError as exc:
            self.skip('P2 memory', str(exc))
        finally:
            left = cleanup(self.prefix)
            if left:
                raise RuntimeError('P2 memory: cleanup left %s' % left)

    # ---- P3 ----------------------------------------------------------------------------------

    def p3(self):
        sizes = self.args.p3_hosts
        print('P3 vxlan_overlay on simulated hosts (lab role, netns connection), forks %d' % self.args.forks)
        p3 = self.results['p3']
        p3['sizes'] = {}
        inventory = os.path.join(self.tmp, 'lab-inventory.yml')
        built = 0
        per_host = None  # (lab role run + converge + re-run) seconds per host, from the last size measured
        try:
            for size in sizes:
                # For scheduling only. Before any size is measured: the lab role makes 3 module runs per
                # host, the overlay 8 per host, spread over the cores, each taken as 0.8 empty playbooks.
                # Then: the lab role runs over all the hosts again (creating the new ones) and the
                # overlay twice, taken as linear in the host count at the per-host cost measured so far.
                if per_host is None:
                    unit = self.startup()['seconds']
                    cores = min(self.args.forks, os.cpu_count() or 1)
                    estimate = unit * (1 + 3 * 0.8 * size) + 2 * unit * (1 + 8 * 0.8 * size / cores)
                    basis = 'from the empty playbook'
                else:
                    estimate = per_host * size
                    basis = 'at the per-host cost so far'
                if estimate > self.budget.left():
                    self.skip(
                        'P3 %d hosts' % size,
                        'estimated %.0f s %s, %.0f s left' % (estimate, basis, self.budget.left()),
                    )
                    continue
                lab = self.playbook('p3_lab.yml', {'hosts': size, 'inventory': inventory}, 'lab role: %d hosts' % size)
                p3.setdefault('lab', []).append(dict(lab, hosts=size, new_hosts=size - built))
                built = size
                hosts = ['h%d' % i for i in range(1, size + 1)]
                sources = [inventory]
                extra = {'size': size}
                first = self.playbook(
                    'p3_overlay.yml',
                    extra,
                    'overlay, %d hosts: first run' % size,
                    inventory=sources,
                    limit=','.join(hosts),
                )
                rerun = self.playbook(
                    'p3_overlay.yml',
                    extra,
                    'overlay, %d hosts: re-run' % size,
                    inventory=sources,
                    limit=','.join(hosts),
                )
                p3['sizes'][size] = {'first': first, 'rerun': rerun}
                per_host = (lab['seconds'] + first['seconds'] + rerun['seconds']) / size
        except TimeoutError as exc:
            self.skip('P3 (rest)', str(exc))
        finally:
            left = cleanup(self.prefix)
            if left:
                raise RuntimeError('P3: cleanup left %s' % left)

    # ---- P4 ----------------------------------------------------------------------------------

    def p4(self):
        n = self.args.p4_n
        sizes = sorted({max(n // 2, 1), n})
        print('P4 load: one vnet_topology task (owner, purge), n = %s' % ' and '.join(map(str, sizes)), flush=True)
        p4 = self.results['p4']
        p4['n'] = n
        p4['sizes'] = {}
        p4['profiled'] = bool(self.args.p4_profile)  # cProfile slows the in-process runs down
        # Every P4 run uses the peak-RSS wrapper as its interpreter (see p2_memory): one more exec
        # (/usr/bin/time) per run, nothing against the n-sized work; P4 has no ratio to protect.
        log = os.path.join(self.tmp, 'p4-maxrss.log')
        wrapper = os.path.join(self.tmp, 'python-maxrss-p4')
        with open(wrapper, 'w') as handle:
            handle.write('#!/bin/sh\nexec /usr/bin/time -f %%M -a -o %s %s "$@"\n' % (log, MODULE_PYTHON))
        os.chmod(wrapper, 0o755)
        previous = None  # (size, seconds it took)
        for size in sizes:
            if previous is not None:
                # for scheduling only: the smaller size's time, scaled linearly
                estimate = previous[1] * size / previous[0]
                if estimate > self.budget.left():
                    self.skip(
                        'P4 n=%d' % size,
                        'estimated %.0f s (linear from n=%d), %.0f s left'
                        % (estimate, previous[0], self.budget.left()),
                    )
                    continue
            started = time.time()
            try:
                self.p4_size(size, wrapper, log)
            except TimeoutError as exc:
                self.skip('P4 n=%d (rest)' % size, str(exc))
                break
            finally:
                left = cleanup(self.prefix)
                if left:
                    raise RuntimeError('P4 n=%d: cleanup left %s' % (size, left))
            previous = (size, time.time() - started)

    def p4_size(self, n, wrapper, log):
        """Create, re-run, check-mode re-run, the reads counted in process, purge; then what is left."""
        runs = self.results['p4']['sizes'][n] = {}

        def timed(key, label, declare=True, options=()):
            before = _maxrss_lines(log)
            figure = self.playbook(
                'p4_topology.yml',
                {'n': n, 'declare': declare},
                'n=%d %s' % (n, label),
                interpreter=wrapper,
                options=options,
            )
            new = _maxrss_lines(log)[len(before) :]
            if len(new) != 1:
                raise RuntimeError('P4 %s: expected one module run in %s, got %r' % (label, log, new))
            figure['maxrss_kib'] = new[0]
            runs[key] = figure
            return figure

        timed('create', 'create')
        for key, label, options in (('rerun', 're-run', ()), ('check_rerun', 're-run, check mode', ('--check',))):
            changed = timed(key, label, options=options)['changed']
            if changed != 0:
                self.results['errors'].append('P4 n=%d %s: changed=%d, not idempotent' % (n, label, changed))
        runs['reads'] = self.p4_reads(n)
        timed('purge', 'purge (nothing declared, purge: true)', declare=False)
        # What the purge left: the namespaces' own links leave asynchronously, so give it 10 s.
        with Timer() as settle:
            for _attempt in range(100):
                left = leftovers(self.prefix)
                if not left:
                    break
                time.sleep(0.1)
        runs['left_after_purge'] = left
        runs['settle_seconds'] = round(settle.seconds, 2)
        print('  n=%d after the purge: %s' % (n, ', '.join(left) or 'nothing left'), flush=True)

    def p4_reads(self, n):
        """The re-run (and check-mode re-run, and check-mode purge) in process, reads counted."""
        argv = [
            sys.executable,
            os.path.join(HERE, 'p4_load.py'),
            '--prefix',
            self.prefix,
            '--n',
            str(n),
            '--runs',
            'rerun,check_rerun,check_purge',
        ]
        if self.args.p4_profile:
            directory = os.path.join(os.path.abspath(self.args.p4_profile), 'n%d' % n)
            os.makedirs(directory, exist_ok=True)
            argv += ['--profile', directory]
        env = dict(os.environ, PYTHONPATH=os.path.abspath(self.args.collections))
        timeout = self.budget.left()
        if timeout < 5:
            raise TimeoutError('no time left for the in-process re-run')
        print('  %-52s' % ('n=%d re-run in process, reads counted' % n), end='', flush=True)
        try:
            out = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired as exc:
            print('did not finish within the budget')
            raise TimeoutError('P4 n=%d in-process re-run did not finish within the budget' % n) from exc
        if out.returncode != 0:
            print('FAILED')
            raise RuntimeError('P4 n=%d in process failed: %s' % (n, out.stderr[-2000:]))
        reads = json.loads(out.stdout.strip().splitlines()[-1])
        rerun = reads['runs']['rerun']
        e = rerun['reads']['endpoints']
        print(
            '%7.2f s  cpu %6.2f s  changes=%d; %d endpoint namespaces: link dumps %d, address dumps %d, single gets %d'
            % (
                rerun['seconds'],
                rerun['cpu'],
                rerun['changes'],
                e['namespaces'],
                e['link_dumps'],
                e['address_dumps'],
                e['single_gets'],
            ),
            flush=True,
        )
        for run in reads['runs'].values():
            if run is not reads['runs']['check_purge'] and run['changes']:
                self.results['errors'].append('P4 n=%d in process: a re-run planned %d changes' % (n, run['changes']))
        return reads

    # ---- all ---------------------------------------------------------------------------------

    def run(self):
        self.results['machine'] = machine(MODULE_PYTHON)
        self.results['load_start'] = os.getloadavg()
        self.results['started'] = time.strftime('%Y-%m-%d %H:%M:%S %Z')
        print('prefix %s, budget %d s, temporary files in %s' % (self.prefix, self.args.budget, self.tmp), flush=True)
        try:
            for part in self.args.only:
                if self.budget.left() < 10:
                    self.skip(part.upper(), 'no time left in the budget')
                    continue
                try:
                    getattr(self, part)()
                except (RuntimeError, subprocess.CalledProcessError) as exc:
                    self.results['errors'].append('%s: %s' % (part.upper(), exc))
                    print('  %s failed: %s' % (part.upper(), exc), flush=True)
        finally:
            self.results['leftovers'] = cleanup(self.prefix)
            self.results['load_end'] = os.getloadavg()
            self.results['seconds'] = round(time.time() - self.budget.start, 1)
            if not self.args.keep_logs:
                shutil.rmtree(self.tmp, ignore_errors=True)
        return self.results


def stop(proc):
    """Stop an ansible-playbook run and everything it started (its own session)."""
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def _maxrss_lines(log):
    """The peak RSS values (KiB) /usr/bin/time has appended to the log so far."""
    try:
        with open(log) as handle:
            return [int(line) for line in handle.read().split() if line.isdigit()]
    except FileNotFoundError:
        return []


def recap_counts(output):
    counts = {'ok': 0, 'changed': 0, 'failed': 0}
    for match in re.finditer(r'^\S+\s+: ok=(\d+)\s+changed=(\d+)\s+unreachable=\d+\s+failed=(\d+)', output, re.M):
        counts['ok'] += int(match.group(1))
        counts['changed'] += int(match.group(2))
        counts['failed'] += int(match.group(3))
    return counts


def strip_alias(snap):
    if not isinstance(snap, dict):
        return snap
    return {k: strip_alias(v) for k, v in snap.items() if k != 'alias'}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--collections', help='directory holding ansible_collections/linux/vnet')
    parser.add_argument('--table', metavar='JSON', help='only print the table of a run saved with --json')
    parser.add_argument('--only', default='p1,p2,p3', help='comma-separated parts, in order (default p1,p2,p3)')
    parser.add_argument('--budget', type=float, default=float(os.environ.get('BENCH_BUDGET', 570)))
    parser.add_argument('--p1-sizes', default=os.environ.get('BENCH_P1_SIZES', '50,100,200'))
    parser.add_argument('--p2-n', type=int, default=int(os.environ.get('BENCH_P2_N', 50)))
    parser.add_argument(
        '--p2-topology-only',
        action='store_true',
        help='P2: only the empty playbook and the vnet_topology first run / re-run (no memory run, no loops)',
    )
    parser.add_argument('--p3-hosts', default=os.environ.get('BENCH_P3_HOSTS', '3,10,20'))
    parser.add_argument('--p4-n', type=int, default=int(os.environ.get('BENCH_P4_N', 1000)))
    parser.add_argument('--p4-profile', metavar='DIR', help='P4: write cProfile files of the in-process runs here')
    parser.add_argument('--forks', type=int, default=5)
    parser.add_argument('--json', help='also write the results here')
    parser.add_argument('--keep-logs', action='store_true', help='keep the ansible-playbook logs')
    args = parser.parse_args()
    if args.table:
        with open(args.table) as handle:
            print(table(json.load(handle)))
        return
    if not args.collections:
        parser.error('--collections is required')
    args.only = [p.strip() for p in args.only.split(',') if p.strip()]
    args.p3_hosts = [int(h) for h in args.p3_hosts.split(',')]
    if os.geteuid() != 0:
        raise SystemExit('the benchmarks create namespaces and links: run them as root')

    def terminate(signum, frame):
        raise KeyboardInterrupt('signal %d' % signum)

    signal.signal(signal.SIGTERM, terminate)
    bench = Bench(args)
    results = bench.run()
    print()
    print(table(results))
    if args.json:
        with open(args.json, 'w') as handle:
            json.dump(results, handle, indent=1)
    if results['leftovers']:
        raise SystemExit('LEFT BEHIND: %s' % results['leftovers'])


if __name__ == '__main__':
    main()
