"""The end of `make test`: fail if the suite left anything behind on this machine.

`leak_guard.py baseline FILE` records what exists before the suite (named network namespaces,
host interfaces, network-namespace and lab mounts, the daemons the suite starts); `leak_guard.py
check FILE` compares with what exists now and fails, listing every new object. Only what is
new counts, so a machine that already had namespaces or an Open vSwitch of its own is fine, and
nothing is removed: a leak is a bug to fix in the test that made it, not something to sweep.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

NETNS_DIR = '/run/netns'
# what the suite starts: private OVS daemons (vnet_ovs, ovs_overlay, isolation), the QEMU guest of
# the full-kernel lane, and the suite's own drivers (a stray one keeps objects alive)
DAEMONS = ('ovsdb-server', 'ovs-vswitchd', 'qemu-system-x86_64', 'ansible-playbook', 'molecule')
# mounts the suite makes: namespace bind mounts and the lab's persistent mount namespaces
MOUNT_MARKS = ('/run/netns/', '/run/vnet', 'nsfs', '/tmp/molecule-')
SETTLE_SECONDS = 10  # namespace teardown and process exit finish asynchronously


def namespaces():
    try:
        return sorted(os.listdir(NETNS_DIR))
    except FileNotFoundError:
        return []


def host_links():
    out = subprocess.run(['ip', '-j', 'link', 'show'], capture_output=True, text=True, check=True).stdout
    return sorted(link['ifname'] for link in json.loads(out or '[]'))


def mounts():
    found = []
    with open('/proc/self/mountinfo', encoding='utf-8') as info:
        for line in info:
            fields = line.split()
            point, fstype = fields[4], fields[fields.index('-') + 1]
            if fstype == 'nsfs' or any(mark in point for mark in MOUNT_MARKS):
                found.append('%s (%s)' % (point, fstype))
    return sorted(set(found))


def daemons():
    found = []
    for pid in os.listdir('/proc'):
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            with open('/proc/%s/cmdline' % pid, 'rb') as cmdline:
                argv = cmdline.read().split(b'\0')
        except OSError:
            continue  # exited meanwhile
        words = [os.path.basename(a.decode(errors='replace')) for a in argv[:2] if a]
        name = next((w for w in words if w in DAEMONS), None)
        if name:
            found.append('%s[%s]' % (name, pid))
    return sorted(found)


def snapshot():
    return {'namespaces': namespaces(), 'links': host_links(), 'mounts': mounts(), 'daemons': daemons()}


def new_objects(before, after):
    """{kind: [what exists now and did not before]}, only the kinds with something new."""
    leaks = {}
    for kind, now in after.items():
        new = sorted(set(now) - set(before.get(kind, [])))
        if new:
            leaks[kind] = new
    return leaks


def main(argv):
    if len(argv) != 3 or argv[1] not in ('baseline', 'check'):
        sys.stderr.write('usage: leak_guard.py baseline|check FILE\n')
        return 2
    path = argv[2]
    if argv[1] == 'baseline':
        with open(path, 'w', encoding='utf-8') as out:
            json.dump(snapshot(), out)
        return 0
    with open(path, encoding='utf-8') as saved:
        before = json.load(saved)
    deadline = time.monotonic() + SETTLE_SECONDS
    leaks = new_objects(before, snapshot())
    while leaks and time.monotonic() < deadline:
        time.sleep(1)
        leaks = new_objects(before, snapshot())
    if not leaks:
        print('leak guard: nothing left behind by the suite')
        return 0
    sys.stderr.write('leak guard: the suite left these behind (not removed; fix the test that made them):\n')
    for kind, new in leaks.items():
        sys.stderr.write('  %s: %s\n' % (kind, ', '.join(new)))
    return 1


if __name__ == '__main__':
    sys.exit(main(sys.argv))
