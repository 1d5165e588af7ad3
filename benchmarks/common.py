"""Shared helpers of the benchmarks: machine description, load, timing, cleanup by prefix.

Everything a benchmark creates is named with one random prefix ('vb' + 4 hex digits); the cleanup
here deletes exactly what carries that prefix (namespaces in /run/netns, links in the host
namespace, the lab directory of a simulated-host lab) and nothing else.
"""

from __future__ import annotations

import glob
import json
import os
import platform
import re
import resource
import secrets
import subprocess
import sys
import time

NETNS_DIR = '/run/netns'
LAB_DIR = '/run/vnet-lab'


def new_prefix():
    return 'vb' + secrets.token_hex(2)


def load1():
    return os.getloadavg()[0]


def cpu_seconds():
    """User + system CPU time of this process and of its waited-for descendants so far."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


class Timer:
    """Wall time of a block, the CPU time it used (this process and the children it waited for),
    and the 1-minute load average at its start and end."""

    def __init__(self):
        self.seconds = None
        self.cpu = None
        self.load = None

    def __enter__(self):
        self._load = load1()
        self._cpu = cpu_seconds()
        self._start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self._start
        self.cpu = cpu_seconds() - self._cpu
        self.load = (self._load, load1())
        return False

    def figure(self, **extra):
        return dict(
            seconds=round(self.seconds, 3), cpu=round(self.cpu, 3), load=[round(x, 2) for x in self.load], **extra
        )


def run(argv, check=True, **kwargs):
    """subprocess.run with text output captured."""
    return subprocess.run(argv, check=check, capture_output=True, text=True, **kwargs)


def ip_batch(lines, namespace=None, force=False):
    """One `ip -batch -` process; returns the CompletedProcess (raises on failure unless force)."""
    argv = ['ip'] + (['-n', namespace] if namespace else []) + (['-force'] if force else []) + ['-batch', '-']
    return subprocess.run(argv, input='\n'.join(lines) + '\n', capture_output=True, text=True, check=not force)


def first_line(argv):
    try:
        out = run(argv, check=False)
    except OSError:
        return None
    text = (out.stdout or out.stderr).strip()
    return text.splitlines()[0] if text else None


def machine(python_for_modules='/usr/bin/python3'):
    """What the figures were measured on."""
    cpu = None
    with open('/proc/cpuinfo') as handle:
        for line in handle:
            if line.startswith('model name'):
                cpu = line.split(':', 1)[1].strip()
                break
    with open('/proc/meminfo') as handle:
        mem_kb = int(handle.readline().split()[1])
    version = 'import importlib.metadata as m; print(m.version("pyroute2"))'
    pyroute2_here = first_line([sys.executable, '-c', version])
    pyroute2_modules = first_line([python_for_modules, '-c', version])
    ansible = first_line([os.path.join(os.path.dirname(sys.executable), 'ansible'), '--version'])
    return {
        'cpu': cpu,
        'cores': os.cpu_count(),
        'memory_gib': round(mem_kb / 1024 / 1024, 1),
        'kernel': platform.release(),
        'python_benchmark': '%s (%s)' % (platform.python_version(), sys.executable),
        'python_modules': '%s (%s)'
        % (
            first_line([python_for_modules, '-c', 'import platform; print(platform.python_version())']),
            python_for_modules,
        ),
        'pyroute2_benchmark': pyroute2_here,
        'pyroute2_modules': pyroute2_modules,
        'ansible': ansible,
        'iproute2': first_line(['ip', '-V']),
    }


# ---- what exists with the prefix, and removing it -----------------------------------------


def namespaces_with(prefix):
    try:
        return sorted(n for n in os.listdir(NETNS_DIR) if n.startswith(prefix))
    except FileNotFoundError:
        return []


def host_links_with(prefix):
    out = run(['ip', '-j', 'link', 'show'], check=False)
    try:
        links = json.loads(out.stdout or '[]')
    except ValueError:
        return []
    return sorted(link['ifname'] for link in links if link.get('ifname', '').startswith(prefix))


def lab_dir(prefix):
    return os.path.join(LAB_DIR, prefix)


def leftovers(prefix):
    """Everything with the prefix that still exists: [] when clean."""
    found = ['namespace %s' % n for n in namespaces_with(prefix)]
    found += ['link %s' % n for n in host_links_with(prefix)]
    if os.path.exists(lab_dir(prefix)):
        found.append('lab directory %s' % lab_dir(prefix))
    return found


def _is_mountpoint(path):
    return run(['mountpoint', '-q', path], check=False).returncode == 0


def cleanup(prefix):
    """Remove everything with the prefix (best effort, in dependency order); return what is left."""
    if not re.match(r'^vb[0-9a-f]{4}$', prefix):
        raise ValueError('refusing to clean up with prefix %r' % prefix)
    # a simulated-host lab: release its mount namespaces first (their private /run/netns go with them)
    directory = lab_dir(prefix)
    for pin in glob.glob(os.path.join(directory, '*.mnt')):
        if _is_mountpoint(pin):
            run(['umount', pin], check=False)
        if os.path.exists(pin):
            os.unlink(pin)
    if os.path.isdir(directory):
        if _is_mountpoint(directory):
            run(['umount', directory], check=False)
        try:
            os.rmdir(directory)
        except OSError:
            pass
        try:
            os.rmdir(LAB_DIR)  # only when no other lab lives there
        except OSError:
            pass
    links = host_links_with(prefix)
    if links:
        ip_batch(['link del %s' % name for name in links], force=True)
    names = namespaces_with(prefix)
    if names:
        ip_batch(['netns del %s' % name for name in names], force=True)
    # a namespace's links leave asynchronously (the kernel's netns cleanup): wait a little
    for _attempt in range(50):
        left = leftovers(prefix)
        if not left:
            return []
        time.sleep(0.1)
    if host_links_with(prefix):
        ip_batch(['link del %s' % name for name in host_links_with(prefix)], force=True)
    return leftovers(prefix)


def snapshot(prefix, sample):
    """A normalised view of the prefix's objects, independent of the collection (`ip -j`):
    every host-namespace link with the prefix, and the links and addresses of the sampled namespaces."""

    def links(namespace=None):
        argv = ['ip'] + (['-n', namespace] if namespace else []) + ['-j', '-d', 'addr', 'show']
        view = {}
        for link in json.loads(run(argv).stdout or '[]'):
            name = link['ifname']
            if namespace is None and not name.startswith(prefix):
                continue
            info = link.get('linkinfo', {})
            view[name] = {
                'kind': info.get('info_kind', 'device'),
                'up': 'UP' in link.get('flags', []),
                'mtu': link.get('mtu'),
                'master': link.get('master'),
                'alias': link.get('ifalias'),
                'addresses': sorted(
                    '%s/%s' % (a['local'], a['prefixlen'])
                    for a in link.get('addr_info', [])
                    if not a['local'].startswith('fe80:')
                ),
            }
        return view

    return {'host': links(), 'namespaces': {n: links(n) for n in sample}}


def differences(a, b, path=''):
    """Readable differences between two snapshots (at most 10)."""
    out = []
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b)):
            out += differences(a.get(key), b.get(key), '%s/%s' % (path, key))
    elif a != b:
        out.append('%s: %r != %r' % (path, a, b))
    return out[:10]
