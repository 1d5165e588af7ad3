"""Is the host exactly what templates/big.j2 declares, and nothing stale? Read with `ip -j`, not the collection.

Usage: check.py PREFIX ENDPOINTS MARKER. Prints JSON {problems: [...], unmarked: [...], ifindexes: {...}}:
problems are differences from the declared state (a missing or extra namespace or link, a wrong
master, address or up state, a /run/netns file without its mount); unmarked lists the objects
without the ownership marker (the alias); ifindexes tells a re-created link from a kept one.
"""

import json
import os
import subprocess
import sys


def links(netns):
    out = subprocess.run(['ip', '-j', '-d', '-n', netns, 'addr', 'show'], check=True, capture_output=True, text=True)
    found = {}
    for link in json.loads(out.stdout or '[]'):
        found[link['ifname']] = {
            'ifindex': link['ifindex'],
            'kind': link.get('linkinfo', {}).get('info_kind'),
            'up': 'UP' in link.get('flags', []),
            'master': link.get('master'),
            'alias': link.get('ifalias'),
            'addresses': sorted(
                '%s/%s' % (a['local'], a['prefixlen'])
                for a in link.get('addr_info', [])
                if not a['local'].startswith('fe80:') and a['local'] not in ('127.0.0.1', '::1')
            ),
        }
    return found


def main():
    prefix, count, marker = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    hub = prefix + 'hub'
    endpoints = ['%se%d' % (prefix, i) for i in range(count)]
    problems, unmarked, ifindexes = [], [], {}
    names = sorted(n for n in os.listdir('/run/netns') if n.startswith(prefix))
    stale = [n for n in names if os.stat('/run/netns/' + n).st_dev == os.stat('/run/netns').st_dev]
    for name in stale:
        # a kill between creating the file and mounting the namespace on it: nothing to read inside
        problems.append('stale /run/netns/%s (no namespace mounted on it)' % name)
    if names != sorted([hub] + endpoints):
        problems.append('namespaces %s, declared %s' % (names, sorted([hub] + endpoints)))
    out = subprocess.run(['ip', '-j', 'link', 'show'], check=True, capture_output=True, text=True).stdout
    host = [link['ifname'] for link in json.loads(out) if link['ifname'].startswith(prefix)]
    if host:
        problems.append('links in the host namespace: %s' % host)
    declared = {prefix + 'br': ('bridge', None, ['10.79.0.1/24']), prefix + 'vx': ('vxlan', prefix + 'br', [])}
    declared.update({'%sv%d' % (prefix, i): ('veth', prefix + 'br', []) for i in range(count)})
    declared['lo'] = (None, None, [])
    per_endpoint = [
        (e, {'lo': (None, None, []), 'e0': ('veth', None, ['10.79.0.%d/24' % (10 + i)])})
        for i, e in enumerate(endpoints)
    ]
    for netns, expected in [(hub, declared)] + per_endpoint:
        if netns not in names or netns in stale:
            continue
        found = links(netns)
        if sorted(found) != sorted(expected):
            problems.append('%s has links %s, declared %s' % (netns, sorted(found), sorted(expected)))
        for name, (kind, master, addresses) in expected.items():
            link = found.get(name)
            if link is None:
                continue
            ifindexes['%s/%s' % (netns, name)] = link['ifindex']
            actual = (link['kind'], link['master'], link['addresses'], link['up'])
            if actual != (kind, master, addresses, True):
                problems.append('%s in %s is %s, declared %s' % (name, netns, actual, (kind, master, addresses, True)))
            if (name == 'lo' or netns == hub) and link['alias'] != marker:
                unmarked.append('%s in %s' % (name, netns))
    print(json.dumps({'problems': problems, 'unmarked': unmarked, 'ifindexes': ifindexes}))


if __name__ == '__main__':
    main()
