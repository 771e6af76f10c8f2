"""Run many ``gtu`` commands in one child process, each under a time limit, all under a memory cap.

The hostile-input tests use this to show that a command ends -- with a result or one clean
``gtu:`` line -- within bounded time and memory, whatever the input says. Time is the command's CPU
time (a machine busy with the rest of the test suite must not fail a bounded command), with a
wall-clock limit of :data:`WALL_FACTOR` times as much for a command that blocks without computing. A hang or an
exhausted machine in the child cannot take the test run with it: the child's address space
is capped with ``RLIMIT_AS`` and the whole batch has a wall-clock timeout.

Each case is ``{"argv": [...], "cwd": "...", "stdin": "..."}`` (``cwd`` and ``stdin`` optional).
The child calls :func:`gametheory_ukraine.cli.main` in-process (so starting Python is paid once
per batch, not per case) with standard output and error captured, and reports per case:
``status`` (the exit status, ``"timeout"``, or ``"died"``), ``stdout``, ``stderr``, ``seconds``
(CPU time) and ``wall`` (wall-clock time).
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: the budgets the hostile-input issue asks every command to respect
SECONDS = 20
#: a command may take this many times SECONDS of wall-clock time (waiting for the CPU or for a file)
WALL_FACTOR = 3
MEMORY = 2 * 1024**3
#: what the imported scientific stack itself reserves as address space (numpy, sympy, pandas, pyarrow,
#: matplotlib, OpenBLAS thread buffers) before a command starts; measured, not allocated by a command
BASELINE_ADDRESS_SPACE = 2 * 1024**3

_CHILD = r"""
import contextlib, io, json, os, signal, sys, time

class _Timeout(BaseException):
    pass

def _alarm(signum, frame):
    raise _Timeout()

signal.signal(signal.SIGALRM, _alarm)
import gametheory_ukraine.cli as cli
import numpy, sympy, pandas  # noqa: F401 -- imported before the first case, so no case pays for it

seconds = int(sys.argv[1])
wall_factor = int(sys.argv[2])
signal.signal(signal.SIGPROF, _alarm)
cases = json.loads(sys.stdin.read())
home = os.getcwd()
for case in cases:
    out, err = io.StringIO(), io.StringIO()
    os.chdir(case.get("cwd") or home)
    start, cpu_start = time.perf_counter(), time.process_time()
    signal.setitimer(signal.ITIMER_PROF, seconds)  # CPU time of this process
    signal.alarm(seconds * wall_factor)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = cli.main(case["argv"])
    except _Timeout:
        status = "timeout"
    except SystemExit as exc:  # argparse usage errors
        status = exc.code if isinstance(exc.code, int) else 2
    except BaseException as exc:  # noqa: BLE001 -- reported to the parent as a failure
        status = "escaped: " + type(exc).__name__ + ": " + str(exc)[:300]
    finally:
        signal.alarm(0)
        signal.setitimer(signal.ITIMER_PROF, 0)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    sys.__stdout__.write(json.dumps({"status": status, "stdout": out.getvalue()[-2000:],
                                     "stderr": err.getvalue()[-2000:], "seconds": cpu, "wall": elapsed}) + "\n")
    sys.__stdout__.flush()
"""


@dataclass(frozen=True)
class Outcome:
    """What one case did."""

    argv: tuple
    status: object
    stdout: str
    stderr: str
    seconds: float
    wall: float = float("nan")

    @property
    def clean(self) -> bool:
        """A result (exit 0), or exactly one ``gtu:`` line with exit 2 -- never an internal error."""
        if self.status == 0:
            return "internal error" not in self.stderr and "Traceback" not in self.stderr
        if self.status != 2:
            return False
        lines = [line for line in self.stderr.splitlines() if line.strip()]
        return (len(lines) == 1 and lines[0].startswith("gtu:") and "internal error" not in lines[0]
                and len(lines[0]) <= 1000)

    def describe(self) -> str:
        return f"gtu {' '.join(map(str, self.argv))[:300]!r} -> {self.status!r} in {self.seconds:.1f}s CPU, " \
               f"{self.wall:.1f}s wall: " \
               f"{self.stderr.strip()[:400]!r}"


def _limit_memory(memory: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (BASELINE_ADDRESS_SPACE + memory, BASELINE_ADDRESS_SPACE + memory))


def run_gtu(cases: list[dict], *, seconds: int = SECONDS, memory: int = MEMORY, cwd: str | os.PathLike = ".",
            env: dict | None = None) -> list[Outcome]:
    """Run *cases* in one child process; return one :class:`Outcome` per case.

    A case that hangs is stopped after *seconds* of CPU time (or WALL_FACTOR times as much wall-clock
    time); a child that dies (out of memory past the cap, a crash in C) marks the case it was running
    as ``"died"`` and the rest as not run.
    """
    child_env = dict(os.environ if env is None else env)
    child_env.setdefault("OPENBLAS_NUM_THREADS", "1")
    child_env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), child_env.get("PYTHONPATH", "")]))
    proc = subprocess.run([sys.executable, "-c", _CHILD, str(seconds), str(WALL_FACTOR)], input=json.dumps(cases),
                          capture_output=True, text=True, cwd=cwd, env=child_env,
                          timeout=seconds * WALL_FACTOR * len(cases) + 120,
                          preexec_fn=lambda: _limit_memory(memory))  # noqa: PLW1509 -- no threads here yet
    lines = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
    outcomes = [Outcome(tuple(case["argv"]), rec["status"], rec["stdout"], rec["stderr"], rec["seconds"], rec["wall"])
                for case, rec in zip(cases, lines)]
    if len(outcomes) < len(cases):
        case = cases[len(outcomes)]
        outcomes.append(Outcome(tuple(case["argv"]), "died", "", proc.stderr[-2000:], float("nan")))
    return outcomes


def assert_all_clean(outcomes: list[Outcome], *, seconds: float = SECONDS) -> None:
    """Fail with every offending case listed unless each case ended cleanly within *seconds* of CPU time and
    :data:`WALL_FACTOR` times as much wall-clock time."""
    bad = [o.describe() for o in outcomes
           if not o.clean or not o.seconds <= seconds or not o.wall <= seconds * WALL_FACTOR]
    assert not bad, "\n".join(bad)
