"""Host side of the full-kernel lane: a stock Debian kernel booted under QEMU (TCG).

This machine's kernel lacks ipvlan, dummy and the openvswitch datapath (see DESIGN.md), so the tests
that need them run in a QEMU guest that boots the kernel `linux-image-amd64` currently depends on:

* kernel: `apt-get download` of that package (the version is derived with `apt-cache depends`, never
  hard-coded), unpacked with dpkg-deb; `depmod -b` (the .deb ships no modules.dep) and
  `modprobe --show-depends` pick the .ko files GUEST_MODULES need, in load order;
* initramfs (uncompressed newc cpio, written here): busybox-static, those modules and init.sh;
* guest: the host's root file system shared read-only over 9p, plus a writable scratch share (the run
  directory's `share/`) for the agent's requests, answers and logs; no network device at all;
* tests: ansible-playbook runs on the host and sends every command to guest_agent.py in the guest
  (connection_plugins/vnet_guest.py), see test_guest.py.

Downloads and builds are cached under .build/kernel/ (`make clean` removes them). Anything that stops
the lane from running raises LaneError, which the tests turn into a failure, never a skip.
"""

import contextlib
import ctypes
import fcntl
import json
import lzma
import os
import re
import shutil
import signal
import stat
import subprocess
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
CACHE = REPO / '.build' / 'kernel'
BUSYBOX = Path('/bin/busybox')
QEMU = 'qemu-system-x86_64'
META_PACKAGE = 'linux-image-amd64'
# What the guest tests need, plus the 9p/virtio stack that mounts the shares.
GUEST_MODULES = ('virtio_pci', '9pnet_virtio', '9p', 'veth', 'dummy', 'macvlan', 'ipvlan', 'openvswitch')
BUSYBOX_APPLETS = ('sh', 'mount', 'umount', 'mkdir', 'cat', 'echo', 'insmod', 'chroot', 'poweroff', 'sync')
GUEST_MEMORY_MB = 1536


class LaneError(Exception):
    """The lane cannot run here (missing package, refused download, guest that does not boot...)."""


def run(argv, cwd=None, timeout=600):
    try:
        proc = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False)
    except FileNotFoundError as exc:
        raise LaneError('%s: not installed (make test-kernel installs it)' % argv[0]) from exc
    except subprocess.TimeoutExpired as exc:
        raise LaneError('%s timed out after %ss' % (' '.join(argv), timeout)) from exc
    if proc.returncode != 0:
        raise LaneError('%s exited %s: %s' % (' '.join(argv), proc.returncode, (proc.stderr or proc.stdout).strip()))
    return proc.stdout


@contextlib.contextmanager
def exclusive():
    """One lane at a time per checkout: runs share the cache (and may clear what a killed run left)."""
    CACHE.mkdir(parents=True, exist_ok=True)
    with open(CACHE / 'lane.lock', 'w', encoding='ascii') as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def clear_stale_runs():
    """Run directories of a lane that was killed before it could remove its own (call under exclusive())."""
    for stale in CACHE.glob('run-*'):
        shutil.rmtree(stale, ignore_errors=True)


# --- kernel -----------------------------------------------------------------------------------


def kernel_package():
    """The package linux-image-amd64 depends on now, e.g. linux-image-6.1.0-56-amd64."""

    def candidate():
        out = run(['apt-cache', 'depends', META_PACKAGE])
        found = re.findall(r'^\s*Depends:\s*(linux-image-\S+)', out, re.MULTILINE)
        return found[0] if found else None

    try:
        package = candidate()
    except LaneError:
        package = None
    if package is None and os.geteuid() == 0:
        run(['apt-get', 'update', '-qq'])
        package = candidate()
    if package is None:
        raise LaneError(
            'apt-cache depends %s names no linux-image package (no apt lists? run apt-get update)' % META_PACKAGE
        )
    return package


def extract_vmlinux(bzimage, dest):
    """The uncompressed ELF kernel inside a bzImage (what scripts/extract-vmlinux does, for xz).

    QEMU boots it through its PVH entry point: no firmware decompressing 8 MB of xz under TCG first."""
    data = bzimage.read_bytes()
    offset = data.find(b'\xfd7zXZ\x00')
    if offset < 0:
        raise LaneError('%s: no xz-compressed kernel inside (CONFIG_KERNEL_XZ expected)' % bzimage)
    elf = lzma.LZMADecompressor(format=lzma.FORMAT_XZ).decompress(data[offset:])
    if elf[:4] != b'\x7fELF':
        raise LaneError('%s: the xz payload is not an ELF kernel' % bzimage)
    dest.write_bytes(elf)


class Kernel:
    """A cached kernel: vmlinux (uncompressed) plus the modules GUEST_MODULES need, in load order."""

    def __init__(self, package):
        self.package = package
        self.release = package[len('linux-image-') :]
        self.dir = CACHE / package
        self.vmlinux = self.dir / 'vmlinux'
        self.stamp = self.dir / 'modules.json'

    def cached(self):
        try:
            stamp = json.loads(self.stamp.read_text(encoding='utf-8'))
        except (OSError, ValueError):
            return False
        return (
            stamp.get('requested') == list(GUEST_MODULES)
            and self.vmlinux.is_file()
            and all((self.dir / 'modules' / rel).is_file() for rel in stamp.get('load_order', []))
        )

    @property
    def load_order(self):
        return json.loads(self.stamp.read_text(encoding='utf-8'))['load_order']

    def prepare(self):
        """Download and unpack the package unless the cache already holds what is needed."""
        if self.cached():
            return self
        downloads = CACHE / 'downloads'
        downloads.mkdir(parents=True, exist_ok=True)
        debs = sorted(downloads.glob('%s_*.deb' % self.package))
        if not debs:
            # apt-get download writes into its working directory; -q keeps the progress meter out of the log
            run(['apt-get', 'download', '-q', self.package], cwd=downloads, timeout=900)
            debs = sorted(downloads.glob('%s_*.deb' % self.package))
        if not debs:
            raise LaneError('apt-get download %s left no .deb in %s' % (self.package, downloads))
        unpacked = Path(tempfile.mkdtemp(prefix='unpack-', dir=CACHE))
        try:
            run(['dpkg-deb', '-x', str(debs[-1]), str(unpacked)], timeout=900)
            tree = unpacked / 'lib' / 'modules' / self.release
            if not tree.is_dir():
                tree = unpacked / 'usr' / 'lib' / 'modules' / self.release
                if not tree.is_dir():
                    raise LaneError('%s has no modules for %s' % (debs[-1].name, self.release))
                os.symlink('usr/lib', unpacked / 'lib')
            run(['depmod', '-b', str(unpacked), self.release])
            load_order = []
            for module in GUEST_MODULES:
                out = run(['modprobe', '-d', str(unpacked), '-S', self.release, '--show-depends', module])
                for line in out.splitlines():
                    words = line.split()
                    if words[:1] == ['insmod']:  # "builtin <name>" lines need nothing
                        rel = os.path.relpath(os.path.realpath(words[1]), os.path.realpath(tree))
                        if rel not in load_order:
                            load_order.append(rel)
            if self.dir.exists():
                shutil.rmtree(self.dir)
            for rel in load_order:
                (self.dir / 'modules' / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(tree / rel, self.dir / 'modules' / rel)
            extract_vmlinux(unpacked / 'boot' / ('vmlinuz-' + self.release), self.vmlinux)
            self.stamp.write_text(
                json.dumps({'requested': list(GUEST_MODULES), 'load_order': load_order}, indent=1), encoding='utf-8'
            )
        finally:
            shutil.rmtree(unpacked, ignore_errors=True)
        # other kernels' caches and downloads are stale now
        for old in CACHE.glob('linux-image-*'):
            if old != self.dir:
                shutil.rmtree(old, ignore_errors=True)
        for old in downloads.glob('*.deb'):
            if not old.name.startswith(self.package + '_'):
                old.unlink()
        return self


# --- initramfs --------------------------------------------------------------------------------


class Cpio:
    """A newc ("070701") archive, enough for an initramfs: directories, files, symlinks, device nodes."""

    def __init__(self, path):
        self.handle = open(path, 'wb')
        self.ino = 0

    def _entry(self, name, mode, data=b'', rdev=(0, 0)):
        self.ino += 1
        encoded = name.encode() + b'\0'
        fields = (self.ino, mode, 0, 0, 1, 0, len(data), 0, 0, rdev[0], rdev[1], len(encoded), 0)
        header = b'070701' + b''.join(b'%08X' % field for field in fields)
        self.handle.write(header + encoded + b'\0' * (-(len(header) + len(encoded)) % 4))
        self.handle.write(data + b'\0' * (-len(data) % 4))

    def directory(self, name):
        self._entry(name, stat.S_IFDIR | 0o755)

    def file(self, name, data, mode=0o644):
        self._entry(name, stat.S_IFREG | mode, data)

    def symlink(self, name, target):
        self._entry(name, stat.S_IFLNK | 0o777, target.encode())

    def char_device(self, name, major, minor):
        self._entry(name, stat.S_IFCHR | 0o600, rdev=(major, minor))

    def close(self):
        self._entry('TRAILER!!!', 0)
        self.handle.close()


def build_initramfs(kernel, path):
    """busybox + init.sh + the modules (uncompressed: the guest unpacks it faster than a gzip)."""
    if not BUSYBOX.is_file():
        raise LaneError('%s missing: install busybox-static (make test-kernel does)' % BUSYBOX)
    if b'ld-linux' in BUSYBOX.read_bytes()[:4096]:
        raise LaneError('%s is dynamically linked: install busybox-static' % BUSYBOX)
    archive = Cpio(path)
    for directory in ('bin', 'dev', 'proc', 'sys', 'newroot', 'lib', 'lib/modules'):
        archive.directory(directory)
    archive.char_device('dev/console', 5, 1)
    archive.file('bin/busybox', BUSYBOX.read_bytes(), 0o755)
    for applet in BUSYBOX_APPLETS:
        archive.symlink('bin/' + applet, 'busybox')
    made = set()
    for rel in kernel.load_order:
        parts = Path(rel).parts[:-1]
        for depth in range(1, len(parts) + 1):
            directory = 'lib/modules/' + '/'.join(parts[:depth])
            if directory not in made:
                made.add(directory)
                archive.directory(directory)
        archive.file('lib/modules/' + rel, (kernel.dir / 'modules' / rel).read_bytes())
    archive.file('modules.list', ''.join(rel + '\n' for rel in kernel.load_order).encode())
    archive.file('init', (HERE / 'init.sh').read_bytes(), 0o755)
    archive.close()
    return path


# --- the guest --------------------------------------------------------------------------------


def _die_with_parent():
    """QEMU gets SIGKILL if the test process dies (no guest outlives its run)."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def qemu_argv(kernel, initramfs, share, python, agent):
    for path in (python, agent):
        if re.search(r'\s', str(path)):
            raise LaneError('%s: a path with white space cannot go on the kernel command line' % path)
    append = ' '.join(
        (
            'console=ttyS0',
            'panic=-1',
            'quiet',
            # a throwaway guest: no Spectre/Meltdown mitigations (page-table isolation alone doubles the
            # cost of every system call under TCG)
            'mitigations=off',
            os.environ.get('VNET_KERNEL_APPEND', ''),
            'VNET_PYTHON=%s' % python,
            'VNET_AGENT=%s' % agent,
        )
    )
    return [
        QEMU,
        '-accel',
        'tcg',
        '-cpu',
        os.environ.get('VNET_KERNEL_CPU', 'max'),
        '-smp',
        '1',
        '-m',
        str(GUEST_MEMORY_MB),
        '-nodefaults',
        '-no-user-config',
        '-no-reboot',
        '-display',
        'none',
        '-monitor',
        'none',
        '-serial',
        'file:%s' % (share / 'console.log'),
        '-kernel',
        str(kernel.vmlinux),
        '-initrd',
        str(initramfs),
        '-append',
        append,
        '-virtfs',
        'local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap',
        '-virtfs',
        'local,path=%s,mount_tag=out,security_model=none,multidevs=remap' % share,
    ]


class Guest:
    """One QEMU guest; `share` is its writable 9p share. Always call stop()."""

    def __init__(self, argv, share, log_path):
        if shutil.which(argv[0]) is None:
            raise LaneError('%s not found: install qemu-system-x86 (make test-kernel does)' % argv[0])
        self.share = share
        self.started = time.monotonic()
        self.log = open(log_path, 'wb')
        self.proc = subprocess.Popen(
            argv, stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT, preexec_fn=_die_with_parent
        )

    def alive(self):
        return self.proc.poll() is None

    def wait_ready(self, deadline):
        ready = self.share / 'ready.json'
        while not ready.is_file():
            if not self.alive():
                raise LaneError('the guest exited (%s) before its agent was ready' % self.proc.returncode)
            if time.monotonic() > deadline:
                raise LaneError('the guest agent was not ready within %.0f s' % (time.monotonic() - self.started))
            time.sleep(0.2)
        return json.loads(ready.read_text(encoding='utf-8'))

    def request_shutdown(self):
        req = self.share / 'req'
        if req.is_dir():
            (req / 'zz-shutdown.tmp').write_text('{"shutdown": true}', encoding='utf-8')
            (req / 'zz-shutdown.tmp').rename(req / 'zz-shutdown.json')

    def stop(self, grace):
        """Ask the agent to finish, wait up to `grace` seconds for the guest to power off, else kill it.
        Returns True when it powered off by itself."""
        clean = False
        if self.alive():
            self.request_shutdown()
            try:
                self.proc.wait(timeout=grace)
                clean = True
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        else:
            clean = True
        self.log.close()
        return clean
