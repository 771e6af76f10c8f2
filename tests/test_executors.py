"""How local worker processes start and end (analysis.executors): from a fork server that has the solvers
imported on Linux, each a fresh process that dies with the sweep; and the same table whatever the workers."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import psutil

from gametheory_ukraine.analysis import executors
from gametheory_ukraine.analysis.sweep import sweep

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "data" / "three-player-guarantee.yaml"

#: a worker's initializer, run in a fresh interpreter with the given parent; prints "alive" if it returns
PROBE = "import sys; from gametheory_ukraine.analysis.executors import worker_init; " \
        "worker_init(int(sys.argv[1])); print('alive')"


def _env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    return env


def test_workers_come_from_a_fork_server_with_the_solvers_imported_on_linux_else_are_spawned():
    ctx = executors.worker_context()
    expected = "forkserver" if sys.platform.startswith("linux") else "spawn"
    assert ctx.get_start_method() == expected
    assert "gametheory_ukraine.analysis.sweep_chunks" in executors.PRELOAD


def test_a_worker_started_by_its_parent_runs():
    proc = subprocess.run([sys.executable, "-c", PROBE, str(os.getpid())], env=_env(), capture_output=True,
                          text=True, timeout=120)
    assert (proc.returncode, proc.stdout.strip()) == (0, "alive"), proc.stderr[-2000:]


def test_a_worker_started_by_a_process_its_parent_started_runs():
    # the fork server's case: the worker's parent is the server, whose parent is the sweeping process
    cmd = f'"{sys.executable}" -c "{PROBE}" {os.getpid()}; exit $?'
    proc = subprocess.run(["/bin/sh", "-c", cmd], env=_env(), capture_output=True, text=True, timeout=120)
    assert (proc.returncode, proc.stdout.strip()) == (0, "alive"), proc.stderr[-2000:]


def test_a_worker_whose_parent_is_gone_exits_at_once():
    # pid 0 is no process's parent: as if the sweeping process had died before the worker started
    proc = subprocess.run([sys.executable, "-c", PROBE, "0"], env=_env(), capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 1 and proc.stdout == "", (proc.returncode, proc.stdout, proc.stderr[-2000:])


def test_two_workers_give_the_serial_table_and_leave_only_the_idle_fork_server():
    values = {"rho": "0.01:0.5:3000"}
    serial = sweep(FIXTURE, values, form="normal", scenario="baseline-2025", chunk_size=500)
    before = {p.pid for p in psutil.Process().children(recursive=True)}
    parallel = sweep(FIXTURE, values, form="normal", scenario="baseline-2025", chunk_size=500, workers=2)
    assert parallel.equals(serial)
    assert len(serial) > 3000  # several equilibria a point: the table is not trivially equal
    after = [p for p in psutil.Process().children(recursive=True) if p.pid not in before
             and p.status() != psutil.STATUS_ZOMBIE]
    # the workers are gone; what may stay is multiprocessing's own: the fork server and the resource tracker,
    # which end with this process
    assert all("multiprocessing" in " ".join(p.cmdline()) for p in after), [p.cmdline()[:4] for p in after]
