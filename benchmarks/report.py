"""The table `make bench` prints (Markdown, so that docs/benchmarks.md can quote it as is)."""

from __future__ import annotations


def _load(figure):
    return '%.1f → %.1f' % tuple(figure['load'])


def _row(part, what, figure, note=''):
    if figure is None:
        return '| %s | %s | not measured | | | %s |' % (part, what, note)
    return '| %s | %s | %.2f | %.2f | %s | %s |' % (part, what, figure['seconds'], figure['cpu'], _load(figure), note)


def _ratio(a, b, key='seconds'):
    if a is None or b is None or not b.get(key):
        return None
    return a[key] / b[key]


def _fmt(ratio):
    return 'not measured' if ratio is None else '%.2f×' % ratio


def _with_cpu(wall, cpu):
    return _fmt(wall) if wall is None or cpu is None else '%s (CPU %s)' % (_fmt(wall), _fmt(cpu))


def _verdict(ratio, ok):
    if ratio is None:
        return 'not measured'
    return 'met' if ok(ratio) else '**missed**'


def machine_table(results):
    m = results['machine']
    start, end = results['load_start'], results['load_end']
    rows = [
        ('CPU', '%s, %d cores, %.1f GiB' % (m['cpu'], m['cores'], m['memory_gib'])),
        ('kernel', m['kernel']),
        ('benchmark / P1, P4 in-process Python', '%s, pyroute2 %s' % (m['python_benchmark'], m['pyroute2_benchmark'])),
        ('module Python (P2, P3, P4)', '%s, pyroute2 %s' % (m['python_modules'], m['pyroute2_modules'])),
        ('Ansible', m['ansible']),
        ('iproute2', m['iproute2']),
        ('load average (1/5/15 min) at start', '%.2f %.2f %.2f' % tuple(start)),
        ('load average (1/5/15 min) at end', '%.2f %.2f %.2f' % tuple(end)),
        ('started, total time', '%s, %.0f s' % (results['started'], results['seconds'])),
        ('left behind', ', '.join(results['leftovers']) or 'nothing (prefix %s)' % results['prefix']),
    ]
    lines = ['| machine | |', '|---|---|'] + ['| %s | %s |' % row for row in rows]
    return '\n'.join(lines)


def p1_rows(p1):
    rows, targets = [], []
    if p1 is None:
        return rows, targets
    rows.append(_row('P1', 'import the engine (pyroute2 included), once per process', p1['import']))
    for size in p1['sizes']:
        n = size['n']
        e, ip = size['engine'], size['ip_batch']
        part = 'P1 n=%d' % n
        ip_host = _median_run(ip, 'create_host_batch')
        ip_same = _median_same_work(ip)
        ip_down = _median_run(ip, 'teardown')
        same = size['same_end_state']
        rows += [
            _row(
                part,
                'engine: plan only, empty host (check mode)',
                e['plan_create'],
                '%d changes planned' % e['plan_create']['changes'],
            ),
            _row(part, 'engine: create', e['create'], '%d changes' % e['create']['changes']),
            _row(
                part, '`ip -batch` create, one process (host-side work only)', ip_host, 'median of %d' % len(ip['runs'])
            ),
            _row(
                part,
                '`ip -batch` create, same work (+ `ip -n <ns> -batch` per namespace: lo, peer up)',
                ip_same,
                'median of %d' % len(ip['runs']),
            ),
            _row(part, 'engine: re-run, nothing to change', e['rerun'], '%d changes' % e['rerun']['changes']),
            _row(
                part,
                'engine: plan only, re-run (check mode)',
                e['plan_rerun'],
                '%d changes' % e['plan_rerun']['changes'],
            ),
            _row(
                part,
                'engine: plan only, teardown by purge (check mode)',
                e['plan_teardown'],
                '%d changes planned' % e['plan_teardown']['changes'],
            ),
            _row(part, 'engine: teardown by purge', e['teardown'], '%d changes' % e['teardown']['changes']),
            _row(part, '`ip -batch` teardown (same deletions)', ip_down, 'median of %d' % len(ip['runs'])),
            '| %s | same end state as `ip -batch` (`ip -j`, host + 3 namespaces) | | | | %s |'
            % (part, 'yes' if not same else 'no: ' + '; '.join(same)),
        ]
        create = _ratio(e['create'], ip_same)
        down = _ratio(e['teardown'], ip_down)
        targets += [
            (
                'P1 n=%d create ≤ 1.5× `ip -batch` (same work)' % n,
                '%s (CPU %s; vs the one-process batch %s)'
                % (_fmt(create), _fmt(_ratio(e['create'], ip_same, 'cpu')), _fmt(_ratio(e['create'], ip_host))),
                _verdict(create, lambda r: r <= 1.5),
            ),
            (
                'P1 n=%d teardown ≤ 1.5× `ip -batch`' % n,
                _with_cpu(down, _ratio(e['teardown'], ip_down, 'cpu')),
                _verdict(down, lambda r: r <= 1.5),
            ),
        ]
    return rows, targets


def _median_run(ip, key):
    runs = sorted((r[key] for r in ip['runs']), key=lambda f: f['seconds'])
    return runs[len(runs) // 2]


def _median_same_work(ip):
    runs = sorted(ip['runs'], key=lambda r: r['create_same_work'])
    run = runs[len(runs) // 2]
    host, inside = run['create_host_batch'], run['create_inside_namespaces']
    return {
        'seconds': host['seconds'] + inside['seconds'],
        'cpu': host['cpu'] + inside['cpu'],
        'load': [host['load'][0], inside['load'][1]],
    }


P2_NAMES = {
    'topology': 'one `vnet_topology` task',
    'modules': 'per-object loop (`vnet_bridge` + `vnet_namespace` ×n + `vnet_veth` ×n)',
    'command': '`command: ip ...` playbook (2 tasks + 4 loops of n)',
}


def p2_rows(p2):
    rows, targets = [], []
    if not p2:
        return rows, targets
    rows.append(_row('P2', 'empty playbook (ansible-playbook start-up, one debug task)', p2.get('startup')))
    sizes = sorted(p2.get('sizes', {}).items(), key=lambda item: -int(item[0]))
    for n, runs in sizes:
        part = 'P2 n=%s' % n
        for variant in ('topology', 'modules', 'command'):
            if variant not in runs:
                continue
            for run in ('first', 'rerun'):
                figure = runs[variant][run]
                note = 'changed=%d, task results %d' % (figure['changed'], figure['task_results'])
                what = '%s: %s' % (P2_NAMES[variant], 'first run' if run == 'first' else 're-run')
                rows.append(_row(part, what, figure, note))
        for variant, diff in runs.get('same_end_state', {}).items():
            rows.append(
                '| %s | %s: same end state as vnet_topology (`ip -j`, aliases aside) | | | | %s |'
                % (part, variant, 'yes' if not diff else 'no: ' + '; '.join(diff))
            )
    memory = p2.get('memory_kib')
    if memory:
        run = p2['memory_run']
        rows.append(
            '| P2 n=%s | peak RSS of the module process (max RSS, /usr/bin/time) | | | %s '
            '| vnet_topology first run %.1f MiB, re-run %.1f MiB; one vnet_veth %.1f MiB; command %.1f MiB |'
            % (
                p2['n'],
                _load(run),
                memory['topology_first'] / 1024,
                memory['topology_rerun'] / 1024,
                memory['vnet_veth'] / 1024,
                memory['command'] / 1024,
            )
        )
    loop_n = p2.get('loop_n')
    if not sizes:
        return rows, targets
    runs = p2.get('sizes', {}).get(loop_n, p2.get('sizes', {}).get(str(loop_n), {})) if loop_n else {}
    topo, modules, command = runs.get('topology'), runs.get('modules'), runs.get('command')
    at = ' (n=%s)' % loop_n if loop_n else ''
    for run, label in (('first', 'first run'), ('rerun', 're-run')):
        t = topo[run] if topo else None
        m = modules[run] if modules else None
        c = command[run] if command else None
        r = _ratio(m, t)
        targets.append(
            (
                'P2 %s%s: vnet_topology ≥ 10× faster than the per-object loop' % (label, at),
                _with_cpu(r, _ratio(m, t, 'cpu')),
                _verdict(r, lambda x: x >= 10),
            )
        )
        r = _ratio(c, t)
        targets.append(
            (
                'P2 %s%s: vnet_topology faster than the `command` playbook' % (label, at),
                _with_cpu(r, _ratio(c, t, 'cpu')),
                _verdict(r, lambda x: x > 1),
            )
        )
    for n, runs in sizes:
        for variant in ('topology', 'modules', 'command'):
            if variant not in runs:
                continue
            r = _ratio(runs[variant]['rerun'], runs[variant]['first'])
            targets.append(
                (
                    'P2 n=%s %s: re-run ≤ ½ first run' % (n, P2_NAMES[variant].split(' (', maxsplit=1)[0]),
                    _with_cpu(r, _ratio(runs[variant]['rerun'], runs[variant]['first'], 'cpu')),
                    _verdict(r, lambda x: x <= 0.5) if variant == 'topology' else '(no target; for comparison)',
                )
            )
    return rows, targets


def p3_rows(p3):
    rows, targets = [], []
    if not p3:
        return rows, targets
    for lab in p3.get('lab', []):
        rows.append(
            _row(
                'P3',
                'lab role: %d hosts (%d new)' % (lab['hosts'], lab['new_hosts']),
                lab,
                'on the controller, one host: not parallel',
            )
        )
    sizes = sorted(p3.get('sizes', {}).items(), key=lambda item: int(item[0]))
    for size, runs in sizes:
        for run in ('first', 'rerun'):
            f = runs[run]
            rows.append(
                _row(
                    'P3',
                    'vxlan_overlay, %s hosts: %s' % (size, 'first run' if run == 'first' else 're-run'),
                    f,
                    '%.2f s per host, changed=%d' % (f['seconds'] / int(size), f['changed']),
                )
            )
    if len(sizes) >= 2:
        base_size, base = int(sizes[0][0]), sizes[0][1]
        for size, runs in sizes[1:]:
            size = int(size)
            for run, label in (('first', 'converge'), ('rerun', 're-run')):
                growth = runs[run]['seconds'] / base[run]['seconds']
                linear = size / base_size
                targets.append(
                    (
                        'P3 %s, %d → %d hosts: no worse than linear (≤ %.2f×)' % (label, base_size, size, linear),
                        '%.2f× (CPU %.2f×)' % (growth, runs[run]['cpu'] / base[run]['cpu']),
                        'met' if growth <= linear else '**missed**',
                    )
                )
    return rows, targets


P4_RUNS = (
    ('create', 'create'),
    ('rerun', 're-run'),
    ('check_rerun', 're-run, check mode'),
    ('purge', 'purge (nothing declared, `purge: true`)'),
)
P4_READS = (
    ('rerun', 're-run'),
    ('check_rerun', 're-run, check mode'),
    ('check_purge', 'purge, check mode'),
)


def _reads(block):
    return 'link dumps %d, address dumps %d, route dumps %d, single gets %d, nsid requests %d' % tuple(
        block[k] for k in ('link_dumps', 'address_dumps', 'route_dumps', 'single_gets', 'nsid_requests')
    )


def _reads_note(reads):
    r = reads['reads']
    e, h, o = r['endpoints'], r['host'], r['others']
    return (
        '%d changes. %d endpoint namespaces: %s; most reads of one: %d. Host namespace: %s. '
        '%d namespaces of others (purge looks at each): %s'
        % (reads['changes'], e['namespaces'], _reads(e), e['max_reads_of_one'], _reads(h), o['namespaces'], _reads(o))
    )


def p4_rows(p4):
    rows, targets = [], []
    if not p4 or not p4.get('sizes'):
        return rows, targets
    sizes = sorted(p4['sizes'].items(), key=lambda item: int(item[0]))
    for n, runs in sizes:
        n = int(n)
        part = 'P4 n=%d' % n
        for key, label in P4_RUNS:
            figure = runs.get(key)
            if figure is None:
                rows.append(_row(part, 'one `vnet_topology` task: %s' % label, None))
                continue
            note = 'changed=%d, peak RSS of the module %.1f MiB, %.1f ms per endpoint' % (
                figure['changed'],
                figure['maxrss_kib'] / 1024,
                1000 * figure['seconds'] / n,
            )
            rows.append(_row(part, 'one `vnet_topology` task: %s' % label, figure, note))
        reads = (runs.get('reads') or {}).get('runs', {})
        for key, label in P4_READS:
            if key in reads:
                what = 'in process, reads counted%s: %s' % (' (under cProfile)' if p4.get('profiled') else '', label)
                rows.append(_row(part, what, reads[key], _reads_note(reads[key])))
        if 'left_after_purge' in runs:
            left = runs['left_after_purge']
            rows.append(
                '| %s | left with the prefix after the purge | | | | %s |'
                % (part, 'nothing (checked within %.1f s)' % runs['settle_seconds'] if not left else ', '.join(left))
            )
        for key, label in (('rerun', 're-run'), ('check_rerun', 'check-mode re-run')):
            if key in runs:
                changed = runs[key]['changed']
                targets.append(
                    ('P4 n=%d %s: changed=0' % (n, label), 'changed=%d' % changed, _verdict(changed, lambda c: c == 0))
                )
        if 'rerun' in reads:
            e = reads['rerun']['reads']['endpoints']
            targets.append(
                (
                    'P4 n=%d re-run: each endpoint namespace read once (1 link dump, 1 address dump, no more)' % n,
                    '%d namespaces: link dumps %d, address dumps %d, single gets %d; most reads of one namespace %d'
                    % (e['namespaces'], e['link_dumps'], e['address_dumps'], e['single_gets'], e['max_reads_of_one']),
                    'met'
                    if e['namespaces'] == n and e['max_link_dumps_of_one'] == 1 and e['max_reads_of_one'] <= 2
                    else '**missed**',
                )
            )
        if 'left_after_purge' in runs:
            targets.append(
                (
                    'P4 n=%d teardown clean (purge leaves nothing with the prefix)' % n,
                    ', '.join(runs['left_after_purge']) or 'nothing left',
                    'met' if not runs['left_after_purge'] else '**missed**',
                )
            )
    if len(sizes) >= 2:
        (small, a), (large, b) = sizes[0], sizes[-1]
        small, large = int(small), int(large)
        ra = (a.get('reads') or {}).get('runs', {}).get('rerun')
        rb = (b.get('reads') or {}).get('runs', {}).get('rerun')
        if ra and rb:
            for key, label in (('endpoints', 'endpoint namespaces'), ('host', 'the host namespace')):
                x, y = ra['reads'][key], rb['reads'][key]
                total = [
                    sum(v[k] for k in ('link_dumps', 'address_dumps', 'route_dumps', 'single_gets')) for v in (x, y)
                ]
                per = [t / (small if key == 'endpoints' else 1) for t in total]
                targets.append(
                    (
                        'P4 re-run reads of %s, n=%d → %d: linear (≤ %.2f×)' % (label, small, large, large / small),
                        'dumps + single gets %d → %d (%.2f×); %s'
                        % (
                            total[0],
                            total[1],
                            total[1] / max(total[0], 1),
                            'per namespace %.2f → %.2f' % (per[0], total[1] / large)
                            if key == 'endpoints'
                            else 'nsid requests %d → %d' % (x['nsid_requests'], y['nsid_requests']),
                        ),
                        'met' if total[1] <= total[0] * large / small else '**missed**',
                    )
                )
        for key, label in P4_RUNS:
            if key in a and key in b:
                targets.append(
                    (
                        'P4 %s, n=%d → %d: time (no target; linear would be %.2f×)'
                        % (label, small, large, large / small),
                        _with_cpu(_ratio(b[key], a[key]), _ratio(b[key], a[key], 'cpu')),
                        '(no target)',
                    )
                )
    return rows, targets


def table(results):
    rows, targets = [], []
    for build, key in ((p1_rows, 'p1'), (p2_rows, 'p2'), (p3_rows, 'p3'), (p4_rows, 'p4')):
        r, t = build(results.get(key))
        rows += r
        targets += t
    out = [machine_table(results), '']
    out += [
        '| part | measurement | wall s | CPU s | load 1-min start → end | note |',
        '|---|---|---:|---:|---|---|',
    ] + rows
    out += ['', '| target | measured (wall; CPU in brackets) | verdict |', '|---|---|---|']
    out += ['| %s | %s | %s |' % t for t in targets]
    for skipped in results['skipped']:
        out.append('\nnot measured: %s - %s' % (skipped['what'], skipped['reason']))
    for error in results['errors']:
        out.append('\nERROR: %s' % error)
    return '\n'.join(out)
