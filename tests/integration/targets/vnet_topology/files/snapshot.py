"""Independent read of what a test made: namespaces and links named <prefix>*, as sorted JSON.

Reads with `ip -j` (not the collection's code), so a module bug cannot hide in both the change
and its verification. Usage: snapshot.py PREFIX
"""

import json
import os
import subprocess
import sys


def ip(*args):
    out = subprocess.run(['ip', '-j', '-d', *args], check=True, capture_output=True, text=True).stdout
    return json.loads(out or '[]')


def links(prefix, netns=None, everything=False):
    base = ['-n', netns] if netns else []
    by_index = {}
    for link in ip(*base, 'link', 'show'):
        by_index[link['ifindex']] = link['ifname']
    found = {}
    for link in ip(*base, 'addr', 'show'):
        name = link['ifname']
        if not everything and not name.startswith(prefix):
            continue
        info = link.get('linkinfo', {})
        found[name] = {
            'kind': info.get('info_kind'),
            'up': 'UP' in link.get('flags', []),
            'mtu': link.get('mtu'),
            'alias': link.get('ifalias'),
            'master': link.get('master'),
            'addresses': sorted(
                '%s/%s' % (a['local'], a['prefixlen'])
                for a in link.get('addr_info', [])
                if not a['local'].startswith('fe80:')
            ),
        }
    return found


def main():
    prefix = sys.argv[1]
    namespaces = (
        sorted(n for n in os.listdir('/run/netns') if n.startswith(prefix)) if os.path.isdir('/run/netns') else []
    )
    snapshot = {'host': links(prefix), 'netns': {n: links(prefix, n, everything=True) for n in namespaces}}
    print(json.dumps(snapshot, sort_keys=True))


main()
