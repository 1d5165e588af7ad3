"""What the runs left, read with `ip -j` (not the collection's code): prefixed namespaces and their links.

Usage: snapshot.py PREFIX. Prints {"host": {link: ...}, "netns": {namespace: {link: ...}}, "stale": [...]},
each link as {kind, up, master, alias, addresses}; "stale" lists /run/netns files without a mount.
"""

import json
import os
import subprocess
import sys


def links(prefix, netns=None):
    base = ['-n', netns] if netns else []
    out = subprocess.run(['ip', '-j', '-d', *base, 'addr', 'show'], check=True, capture_output=True, text=True).stdout
    found = {}
    for link in json.loads(out or '[]'):
        name = link['ifname']
        if netns is None and not name.startswith(prefix):
            continue
        found[name] = {
            'kind': link.get('linkinfo', {}).get('info_kind'),
            'up': 'UP' in link.get('flags', []),
            'master': link.get('master'),
            'alias': link.get('ifalias'),
            'addresses': sorted(
                '%s/%s' % (a['local'], a['prefixlen'])
                for a in link.get('addr_info', [])
                if not a['local'].startswith('fe80:')
            ),
        }
    return found


def mounted(path):
    return os.stat(path).st_dev != os.stat(os.path.dirname(path)).st_dev


def main():
    prefix = sys.argv[1]
    names = sorted(n for n in os.listdir('/run/netns') if n.startswith(prefix)) if os.path.isdir('/run/netns') else []
    stale = [n for n in names if not mounted(os.path.join('/run/netns', n))]
    snapshot = {
        'host': links(prefix),
        'netns': {n: links(prefix, n) for n in names if n not in stale},
        'stale': stale,
    }
    print(json.dumps(snapshot, sort_keys=True))


if __name__ == '__main__':
    main()
