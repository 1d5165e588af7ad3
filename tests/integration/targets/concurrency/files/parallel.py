"""Start N ansible-playbook runs of one_run.yml together against this host; print their outcomes.

Usage: parallel.py ANSIBLE_PLAYBOOK PYTHON PREFIX N STATE

Every run converges the same shared objects plus its own endpoint (see one_run.yml). The runs
wait at a file barrier until all of them are up, so that their vnet_topology modules start
together. Prints JSON: [{run, rc, changed, failed, log}] (the counts of the play recap; the log
of a failed run), one per run, and exits 0 (the caller asserts). The work directory
/tmp/PREFIX-parallel is removed afterwards.
"""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TIMEOUT = 100
RECAP = re.compile(r'localhost\s+: ok=\d+\s+changed=(\d+)\s+unreachable=\d+\s+failed=(\d+)')


def all_ready(work, count):
    return all(os.path.exists(os.path.join(work, 'ready-%d' % run)) for run in range(count))


def main():
    playbook_bin, python, prefix, count, state = sys.argv[1:6]
    count = int(count)
    work = '/tmp/%s-parallel' % prefix
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    procs = []
    started = time.monotonic()
    try:
        for run in range(count):
            log = open(os.path.join(work, 'log-%d.txt' % run), 'w')
            procs.append(
                subprocess.Popen(
                    [
                        playbook_bin,
                        '-i',
                        'localhost,',
                        '-c',
                        'local',
                        os.path.join(HERE, 'one_run.yml'),
                        '-e',
                        'ansible_python_interpreter=%s' % python,
                        '-e',
                        json.dumps({'prefix': prefix, 'run': run, 'work': work, 'state': state}),
                    ],
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,  # its own process group: a timeout kills its workers too
                )
            )
        deadline = time.monotonic() + TIMEOUT
        while not all_ready(work, count) and time.monotonic() < deadline and all(p.poll() is None for p in procs):
            time.sleep(0.01)
        open(os.path.join(work, 'go'), 'w').close()
        outcomes = []
        for run, proc in enumerate(procs):
            try:
                rc = proc.wait(timeout=max(1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                rc = proc.wait()
            with open(os.path.join(work, 'log-%d.txt' % run)) as handle:
                log = handle.read()
            recap = RECAP.search(log)
            outcomes.append(
                {
                    'run': run,
                    'rc': rc,
                    'changed': int(recap.group(1)) if recap else None,
                    'failed': int(recap.group(2)) if recap else None,
                    'log': '' if rc == 0 else log[-4000:],
                }
            )
        print(json.dumps(outcomes))
        sys.stderr.write('%d runs in %.1f s\n' % (count, time.monotonic() - started))
    finally:
        for proc in procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == '__main__':
    main()
