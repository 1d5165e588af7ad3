"""SIGKILL this test's vnet_topology module process as soon as the host shows it is mid-apply.

Usage: kill.py PREFIX TMPDIR namespaces|links:NAMESPACE COUNT

Waits until COUNT namespaces named PREFIX* exist (``namespaces``), or COUNT links named PREFIX* in
NAMESPACE (``links:NAMESPACE``), then kills every process whose command line runs
AnsiballZ_vnet_topology.py from TMPDIR: the test's own remote_tmp, so only the module this test
started can match. Prints JSON {killed: [pids], seen: COUNT when killing, seconds}; killed is empty
when the module finished (or never came) before the condition held.
"""

import json
import os
import subprocess
import sys
import time

TIMEOUT = 90


def module_pids(tmpdir):
    pids = []
    for entry in os.listdir('/proc'):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            with open('/proc/%s/cmdline' % entry, 'rb') as handle:
                argv = handle.read().decode(errors='replace').split('\0')
        except OSError:
            continue
        if any(arg.startswith(tmpdir + '/') and arg.endswith('AnsiballZ_vnet_topology.py') for arg in argv):
            pids.append(int(entry))
    return pids


def count(prefix, what):
    if what == 'namespaces':
        try:
            return len([n for n in os.listdir('/run/netns') if n.startswith(prefix)])
        except FileNotFoundError:
            return 0
    namespace = what.split(':', 1)[1]
    if not os.path.exists('/run/netns/' + namespace):
        return 0
    argv = ['ip', '-n', namespace, '-o', 'link', 'show']
    out = subprocess.run(argv, capture_output=True, text=True, check=False).stdout
    return len([line for line in out.splitlines() if line.split(': ')[1].startswith(prefix)])


def main():
    prefix, tmpdir, what, wanted = sys.argv[1], sys.argv[2].rstrip('/'), sys.argv[3], int(sys.argv[4])
    started = time.monotonic()
    seen_module = False
    killed, seen = [], 0
    while time.monotonic() - started < TIMEOUT:
        pids = module_pids(tmpdir)
        if pids:
            seen_module = True
            seen = count(prefix, what)
            if seen >= wanted:
                for pid in pids:
                    try:
                        os.kill(pid, 9)
                        killed.append(pid)
                    except ProcessLookupError:
                        pass
                break
        elif seen_module:
            break  # it finished before the condition held
        time.sleep(0.005)
    print(json.dumps({'killed': killed, 'seen': seen, 'seconds': round(time.monotonic() - started, 2)}))


if __name__ == '__main__':
    main()
