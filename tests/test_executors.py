"""How local worker processes start and end (analysis.executors): from a fork server that has the solvers
imported on Linux, each a fresh process that dies with the sweep; and the same table whatever the workers."""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import Future
from pathlib import Path

import numpy as np
import pandas as pd
import psutil
import pytest
from conftest import LOG_MODEL

from gametheory_ukraine.analysis import executors
from gametheory_ukraine.analysis.executors import labelled, run_chunks
from gametheory_ukraine.analysis.sweep import sweep
from gametheory_ukraine.analysis.sweep_chunks import solve_chunk
from gametheory_ukraine.analysis.sweep_plan import plan_sweep
from gametheory_ukraine.core.errors import GTUError
from gametheory_ukraine.core.workers import PRELOAD, start_worker_server, worker_context

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
    ctx = worker_context()
    expected = "forkserver" if sys.platform.startswith("linux") else "spawn"
    assert ctx.get_start_method() == expected
    assert "gametheory_ukraine.analysis.sweep_chunks" in PRELOAD


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


def test_a_failing_chunk_is_reported_as_its_own_after_the_chunks_before_it(tmp_path):
    # the worker takes the top of the window (positions 5 and 4) and this process solves from the bottom, yielding
    # 0 to 3 as it goes; while position 4 is not back (the worker is still starting), it solves the failing chunk
    # at position 6 itself: the error must wait for positions 4 and 5 and name its own chunk
    (tmp_path / "m.yaml").write_text(LOG_MODEL)
    plan = plan_sweep(tmp_path / "m.yaml", {"r": np.linspace(3, 0, 301)}, form="normal", engine="scalar",
                      chunk_size=20)
    bad = 200 // 20  # log(r - 1) is undefined at r = 1, point 200
    order = [0, 1, 2, 3, 4, 5, bad, 7]
    got = []
    with pytest.raises(GTUError) as err:
        for i, _ in labelled(plan, order, run_chunks(plan, workers=2, chunks=order)):
            got.append(i)
    assert got == [0, 1, 2, 3, 4, 5]
    assert str(err.value).startswith(f"chunk {bad} (points [200, 220) of the design")


def test_two_processes_give_the_chunks_in_order_whoever_solves_them():
    plan = plan_sweep(FIXTURE, {"rho": "0.01:0.5:4000"}, form="normal", scenario="baseline-2025", chunk_size=250)
    serial = [solve_chunk(plan, i) for i in range(plan.n_chunks)]
    parallel = list(run_chunks(plan, workers=2))
    assert len(parallel) == plan.n_chunks == 16
    for a, b in zip(serial, parallel):
        pd.testing.assert_frame_equal(a, b)


def test_chunks_solved_or_in_flight_stay_in_a_window_of_the_next_ones(monkeypatch):
    # a pool that solves each chunk the moment it is submitted makes the order of events deterministic
    plan = plan_sweep(FIXTURE, {"rho": "0.01:0.5:400"}, form="normal", scenario="baseline-2025", chunk_size=20)
    yielded: list = []
    taken: list = []  # (chunk, chunks yielded when a worker took it)

    class Pool:
        def __init__(self, **kwargs):
            pass

        def submit(self, fn, plan, i):
            taken.append((i, len(yielded)))
            job = Future()
            job.set_result(fn(plan, i))
            return job

        def shutdown(self, **kwargs):
            pass

    monkeypatch.setattr(executors, "ProcessPoolExecutor", Pool)
    yielded.extend(run_chunks(plan, workers=3))
    window = 2 * 2 + 2 * 3  # 2 chunks for each of 2 workers, 2 for each of 3 processes
    assert plan.n_chunks == 20 and len(yielded) == 20
    assert max(i - done for i, done in taken) == window - 1  # the workers take the top of the window, no further
    assert 0 < len(taken) < 20 and 0 not in dict(taken)     # this process solves the bottom: chunk 0 first
    for i, frame in enumerate(yielded):
        pd.testing.assert_frame_equal(frame, solve_chunk(plan, i))


def test_the_fork_server_can_be_started_ahead_of_need_and_only_once():
    def servers() -> list[psutil.Process]:
        return [p for p in psutil.Process().children() if "multiprocessing.forkserver" in " ".join(p.cmdline())]

    start_worker_server()
    start_worker_server()
    expected = 1 if worker_context().get_start_method() == "forkserver" else 0
    assert len(servers()) == expected
