"""`make run`'s supervisor: the development web server and one job worker, stopped together.

    python -m config.run [--port 8000]

Starts `manage.py runserver` and `manage.py procrastinate worker` (which also defers the periodic jobs)
as children (each in a process group of its own), says so, and waits. Ctrl-C or SIGTERM is passed on to
both as SIGTERM; when either of them ends, the other is stopped too and the exit code of the first one
to end is returned. `config.devdb` runs this
module with DATABASE_URL set and stops the private PostgreSQL once it returns. Production runs the two
as separate services instead (deploy/).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GRACE_SECONDS = 10


def _children(port: int) -> dict[str, list[str]]:
    manage = [sys.executable, str(ROOT / "manage.py")]
    return {
        "web": [*manage, "runserver", f"127.0.0.1:{port}"],
        # the queue is polled (no LISTEN/NOTIFY needed); jobs that wait for a retry are found by polling too
        "worker": [*manage, "procrastinate", "worker", "--name", "make-run"],
    }


def _stop(processes: dict[str, subprocess.Popen], sig: int) -> None:
    # each child leads its own process group: runserver's autoreloader runs the server as a grandchild,
    # which a signal to the child alone would leave behind, holding the port
    for process in processes.values():
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
    deadline = time.monotonic() + GRACE_SECONDS
    for process in processes.values():
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def run(port: int) -> int:
    received: list[int] = []

    def forward(signum, frame):
        received.append(signum)

    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGINT, forward)
    processes = {
        name: subprocess.Popen(cmd, cwd=ROOT, process_group=0) for name, cmd in _children(port).items()
    }
    print(
        f"run: web server started on http://127.0.0.1:{port}/ (pid {processes['web'].pid})\n"
        f"run: worker started (procrastinate, with the periodic jobs; pid {processes['worker'].pid})",
        flush=True,
    )
    code = 0
    try:
        while not received:
            ended = [(name, p.returncode) for name, p in processes.items() if p.poll() is not None]
            if ended:
                name, code = ended[0]
                print(f"run: the {name} ended (exit code {code}); stopping the rest", flush=True)
                break
            time.sleep(0.2)
    finally:
        # runserver and the worker both stop cleanly on SIGTERM (the worker finishes its current job first)
        _stop(processes, signal.SIGTERM)
        print("run: web server and worker stopped", flush=True)
    return code


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    return run(parser.parse_args(argv).port)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
