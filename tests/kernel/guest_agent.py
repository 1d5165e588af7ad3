"""Runs inside the QEMU guest of the full-kernel lane: executes the commands Ansible sends it.

The Ansible controller runs on the host (natively: under TCG one ansible-playbook task costs about
30 s of controller overhead in the guest); its connection plugin (connection_plugins/vnet_guest.py)
hands every command to this agent through the writable 9p share, mounted here at SHARE:

* SHARE/req/<id>.json   {"cmd": "/bin/sh -c '...'", "stdin": base64}  (renamed into place by the host)
* SHARE/resp/<id>.json  {"rc": int, "stdout": base64, "stderr": base64, "seconds": float, "fast": bool}
* SHARE/ready.json      written once the agent is up (boot and import timings, kernel release)
* SHARE/agent.log       one line per command: number, id, rc, seconds (and for a forked module run the
                        seconds to start the child and its run time), the command or the module's name
* a request {"shutdown": true} makes the agent exit; init then powers the guest off.

Every command runs as `/bin/sh -c` would run it, with one exception that keeps the lane fast: a
pipelined Python module (the command is exactly "<this interpreter> && sleep 0" and stdin is the
AnsiballZ payload) runs in a forked child of this process, which has already imported
ansible.module_utils.basic, pyroute2 and ovs (20-30 s per interpreter start under TCG). The child is
a fresh process for the module (own stdin/stdout/stderr, exit status, exit handlers); the collection
code under test is not preloaded: it comes from the payload each time, exactly as Ansible sent it
(only its compiled code is cached, by source hash).

Debugging aid: a file SHARE/profile present at start makes every module run write SHARE/<n>.prof
(cProfile).
"""

import atexit
import base64
import builtins
import gc
import hashlib
import importlib
import importlib.metadata
import importlib.util
import json
import marshal
import os
import re
import shlex
import subprocess
import sys
import sysconfig
import time
import traceback
import types
import zipimport

POLL_SECONDS = 0.05
TIMES = {}
PROFILE = None
SCRATCH = '/tmp/vnet-agent'
CODE_CACHE = os.path.join(SCRATCH, 'code')


# What module runs import from outside the payload (measured with the agent's cProfile switch): the
# Python start-up cost that forking from this process saves each run.
PRELOAD = (
    'ansible.module_utils.basic',
    'ansible.module_utils.common.respawn',
    'ansible.module_utils.compat.version',
    'ansible.module_utils._internal._ansiballz._loader',
    'ansible.module_utils._internal._ansiballz._respawn',
    'ansible.module_utils._internal._ansiballz._respawn_wrapper',
    'ansible.module_utils._internal._json._profiles._module_legacy_c2m',
    'ansible.module_utils._internal._json._profiles._module_legacy_m2c',
    'csv',
    'email.parser',
    'encodings.cp437',
    'glob',
    'importlib.metadata',
    'importlib.resources',
    'zipfile',
    'ovs.db.idl',
    'ovs.jsonrpc',
    'ovs.poller',
    'pyroute2',
)


def preload():
    """Import what every module run needs (the expensive part of a Python start under TCG)."""
    started = time.monotonic()
    ovs_parser = _ovs_c_parser()
    for name in PRELOAD:
        importlib.import_module(name)
    # the modules check the installed versions (importlib.metadata scans sys.path: slow over 9p, cached after)
    for distribution in ('pyroute2', 'ovs', 'ansible-core'):
        importlib.metadata.version(distribution)
    zipimport._compile_source = _cached_compile_source
    # Keep the collector off the preloaded objects: in each forked child it would otherwise touch every
    # one of them and copy the whole heap page by page (copy-on-write faults are slow under TCG).
    gc.collect()
    gc.freeze()
    return round(time.monotonic() - started, 2), ovs_parser


def _ovs_c_parser():
    """The ovs library parses every OVSDB message with a pure-Python JSON lexer unless its C extension
    ovs._json imports; the PyPI build in the venv has none, and under TCG that lexer makes each vnet_ovs
    run 10-40 s. Debian's python3-openvswitch ships the extension: when it is built for this
    interpreter's ABI, register it as ovs._json before ovs.json is imported (ovs.json then picks its C
    parser by itself; only the speed of JSON parsing changes)."""
    import ovs

    if importlib.util.find_spec('ovs._json') is not None:
        return "C (the library's own ovs._json)"
    path = os.path.join('/usr/lib/python3/dist-packages/ovs', '_json' + sysconfig.get_config_var('EXT_SUFFIX'))
    if not os.path.isfile(path):
        return 'Python (no %s)' % path
    spec = importlib.util.spec_from_file_location('ovs._json', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    sys.modules['ovs._json'] = module
    ovs._json = module
    return 'C (%s)' % path


_compile_source = zipimport._compile_source


def _cached_compile_source(pathname, source):
    """zipimport compiles every module of an AnsiballZ payload from source, in every run (~1 s under
    TCG). Keep the code objects in the guest's tmpfs, keyed by the source's hash: the same source gives
    the same code; only the file name (the payload's temporary path) is set to this run's."""
    key = hashlib.sha256(source if isinstance(source, bytes) else source.encode()).hexdigest()
    path = os.path.join(CODE_CACHE, key)
    try:
        with open(path, 'rb') as handle:
            return _renamed(marshal.load(handle), pathname)
    except (OSError, EOFError, ValueError, TypeError):
        pass
    code = _compile_source(pathname, source)
    try:
        os.makedirs(CODE_CACHE, exist_ok=True)
        with open(path + '.%d' % os.getpid(), 'wb') as handle:
            marshal.dump(code, handle)
        os.rename(path + '.%d' % os.getpid(), path)
    except OSError:
        pass
    return code


def _renamed(code, filename):
    consts = tuple(
        _renamed(const, filename) if isinstance(const, types.CodeType) else const for const in code.co_consts
    )
    return code.replace(co_filename=filename, co_consts=consts)


def write_json(path, data):
    tmp = path + '.tmp'
    with open(tmp, 'w', encoding='utf-8') as handle:
        json.dump(data, handle)
    os.rename(tmp, path)


def is_pipelined_python(cmd):
    try:
        argv = shlex.split(cmd)
    except ValueError:
        return False
    return len(argv) == 3 and argv[1] == '-c' and argv[0].endswith('sh') and argv[2] == sys.executable + ' && sleep 0'


def run_in_child(source, seq):
    """Run a Python program (bytes) as `python -` would, in a forked child; return (rc, stdout, stderr)."""
    out_path = os.path.join(SCRATCH, '%d.out' % seq)
    err_path = os.path.join(SCRATCH, '%d.err' % seq)
    sys.stdout.flush()
    sys.stderr.flush()
    forked = time.monotonic()
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            child_started = time.monotonic()
            null = os.open(os.devnull, os.O_RDONLY)
            os.dup2(null, 0)
            os.dup2(os.open(out_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), 1)
            os.dup2(os.open(err_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), 2)
            sys.argv = ['']
            main = types.ModuleType('__main__')
            main.__builtins__ = builtins
            sys.modules['__main__'] = main
            try:
                if PROFILE:
                    import cProfile

                    profiler = cProfile.Profile()
                    profiler.enable()
                try:
                    exec(compile(source, '<stdin>', 'exec'), main.__dict__)
                finally:
                    if PROFILE:
                        profiler.disable()
                        profiler.dump_stats(os.path.join(PROFILE, '%d.prof' % seq))
                code = 0
            except SystemExit as exc:
                if exc.code is None:
                    code = 0
                elif isinstance(exc.code, int):
                    code = exc.code
                else:
                    print(exc.code, file=sys.stderr)
                    code = 1
            atexit._run_exitfuncs()
            with open(os.path.join(SCRATCH, '%d.times' % seq), 'w', encoding='ascii') as handle:
                handle.write('%.2f %.2f' % (child_started - forked, time.monotonic() - child_started))
        except BaseException:
            traceback.print_exc()
        finally:
            try:
                sys.stdout.flush()
                sys.stderr.flush()
            finally:
                os._exit(code)
    _pid, status = os.waitpid(pid, 0)
    rc = os.waitstatus_to_exitcode(status)
    try:
        with open(os.path.join(SCRATCH, '%d.times' % seq), encoding='ascii') as handle:
            TIMES[seq] = handle.read()
        os.unlink(os.path.join(SCRATCH, '%d.times' % seq))
    except OSError:
        pass
    outputs = []
    for path in (out_path, err_path):
        with open(path, 'rb') as handle:
            outputs.append(handle.read())
        os.unlink(path)
    return rc, outputs[0], outputs[1]


def run_shell(cmd, stdin):
    proc = subprocess.run(
        cmd, shell=True, executable='/bin/sh', input=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False
    )
    return proc.returncode, proc.stdout, proc.stderr


def serve(share):
    req_dir = os.path.join(share, 'req')
    resp_dir = os.path.join(share, 'resp')
    log = open(os.path.join(share, 'agent.log'), 'a', encoding='utf-8', buffering=1)
    seq = 0
    while True:
        names = sorted(name for name in os.listdir(req_dir) if name.endswith('.json'))
        if not names:
            time.sleep(POLL_SECONDS)
            continue
        for name in names:
            path = os.path.join(req_dir, name)
            with open(path, encoding='utf-8') as handle:
                request = json.load(handle)
            os.unlink(path)
            if request.get('shutdown'):
                log.write('shutdown requested\n')
                log.close()
                return
            seq += 1
            cmd = request['cmd']
            stdin = base64.b64decode(request.get('stdin') or '')
            fast = bool(stdin) and is_pipelined_python(cmd)
            started = time.monotonic()
            try:
                rc, out, err = run_in_child(stdin, seq) if fast else run_shell(cmd, stdin)
            except Exception:  # the agent itself must keep serving: report the error as the command's
                rc, out, err = 255, b'', ('vnet guest agent: %s' % traceback.format_exc()).encode()
            seconds = round(time.monotonic() - started, 2)
            write_json(
                os.path.join(resp_dir, name),
                {
                    'rc': rc,
                    'stdout': base64.b64encode(out).decode(),
                    'stderr': base64.b64encode(err).decode(),
                    'seconds': seconds,
                    'fast': fast,
                },
            )
            what = cmd[:200]
            if fast:
                module = re.search(rb"^ansible_module='([\w.]+)',$", stdin, re.MULTILINE)
                what = 'module %s' % (module.group(1).decode() if module else '?')
            log.write('%d %s rc=%s %.2fs %s %s\n' % (seq, name[:-5], rc, seconds, TIMES.pop(seq, ''), what))


def main():
    global PROFILE
    share = sys.argv[1]
    if os.path.exists(os.path.join(share, 'profile')):  # debugging aid: cProfile every module run
        PROFILE = share
    os.makedirs(SCRATCH, exist_ok=True)
    for sub in ('req', 'resp'):
        os.makedirs(os.path.join(share, sub), exist_ok=True)
    with open('/proc/uptime', encoding='ascii') as handle:
        agent_start = float(handle.read().split()[0])
    import_seconds, ovs_parser = preload()
    write_json(
        os.path.join(share, 'ready.json'),
        {
            'agent_start_uptime': agent_start,
            'import_seconds': import_seconds,
            'ovs_json_parser': ovs_parser,
            'kernel': os.uname().release,
            'python': sys.executable,
        },
    )
    serve(share)


if __name__ == '__main__':
    main()
