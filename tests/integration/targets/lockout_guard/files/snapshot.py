"""Print what the lockout guard protects, read with ip and ovs-vsctl (never the modules), one line per fact.

Usage: snapshot.py OVS_DB NAMESPACE... ; IPv6 link-local addresses and counters are left out (they move by themselves).
"""

import json
import subprocess
import sys


def run(*argv):
    return subprocess.run(argv, check=True, capture_output=True, text=True).stdout


def main(db, namespaces):
    for ns in namespaces:
        for link in json.loads(run('ip', '-j', '-d', '-n', ns, 'addr', 'show')):
            addrs = sorted(
                '%s/%s' % (a['local'], a['prefixlen'])
                for a in link.get('addr_info', [])
                if not (a['family'] == 'inet6' and a.get('scope') == 'link')
            )
            kind = link.get('linkinfo', {}).get('info_kind', '-')
            flags = 'UP' if 'UP' in link['flags'] else 'DOWN'
            master = link.get('master', '-')
            print(ns, link['ifname'], link['ifindex'], kind, master, flags, link.get('address'), *addrs)
        # IPv4 only: the kernel adds IPv6 link-local routes by itself, whenever a link's carrier comes up
        for route in run('ip', '-4', '-n', ns, 'route', 'show', 'table', 'main').splitlines():
            print(ns, 'route', route.replace(' linkdown', ''))
    tables = (('Bridge', 'name,ports,datapath_type'), ('Port', 'name,interfaces'), ('Interface', 'name,type'))
    for table, columns in tables:
        listing = run('ovs-vsctl', '--db=' + db, '--timeout=10', '--format=json', '--columns=' + columns, 'list', table)
        print(table, listing)


if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2:])
