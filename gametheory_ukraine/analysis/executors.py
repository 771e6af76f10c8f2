"""Executors of sweep plans in this machine: serially, or in local worker processes.

:func:`run_chunks` solves the chunks of a :class:`~gametheory_ukraine.analysis.sweep_plan.SweepPlan` with
:func:`~gametheory_ukraine.analysis.sweep_chunks.solve_chunk` and yields their tables in chunk order, in this
process or in a pool of worker processes (a bounded window of chunks in flight, so memory stays bounded);
the table does not depend on the number of workers. :func:`serial_rows` is the serial executor for a table built
in memory (each chunk's rows before they become a table). :func:`labelled` pairs in-order results with their
chunk indices and restates a failure with its chunk's point range
(:func:`~gametheory_ukraine.analysis.sweep_chunks.chunk_error`).

The worker processes are started fresh -- forked from a clean server process that has already imported the solvers on
Linux, ``spawn`` elsewhere (:func:`~gametheory_ukraine.core.workers.worker_context`) -- with SIGINT blocked
(:func:`~gametheory_ukraine.core.workers.sigint_blocked`), ignore it (:func:`worker_init`: Ctrl-C reaches the whole
process group, and only the parent decides) and die with the sweeping process. The Dask executor is
:mod:`gametheory_ukraine.analysis.distributed`.
"""

from __future__ import annotations

import contextlib
import numbers
import os
import select
import signal
import sys
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import BrokenExecutor, Future, ProcessPoolExecutor
from typing import Any

from ..core.errors import ParameterError
from ..core.files import pid_alive
from ..core.workers import sigint_blocked, worker_context
from .sweep_chunks import chunk_error, chunk_rows, solve_chunk
from .sweep_plan import SweepPlan

__all__ = ["run_chunks", "serial_rows", "labelled", "worker_init", "progress_bar", "show_progress"]


def show_progress(progress: bool | None, points: int) -> bool:
    """Whether to show a progress bar over *points* points: *progress* if given, else only when stderr is a
    terminal and there are more than 200 points."""
    if progress is not None:
        return bool(progress)
    try:
        return bool(sys.stderr.isatty()) and points > 200
    except (AttributeError, ValueError):
        return False


def progress_bar(plan: SweepPlan, progress: bool | None, initial: int = 0):
    """A tqdm bar on stderr over the points of *plan*, *initial* of them already done (shown as
    :func:`show_progress` says, for the points left)."""
    from tqdm.auto import tqdm

    return tqdm(total=plan.points, initial=initial, file=sys.stderr, unit="point",
                disable=not show_progress(progress, plan.points - initial), desc=f"{plan.model.name} {plan.form}",
                dynamic_ncols=True)


def serial_rows(plan: SweepPlan, progress: bool | None, builder: Any = None) -> Iterator[tuple]:
    """Chunk by chunk in this process: ``(lo, cols, rows)`` of
    :func:`~gametheory_ukraine.analysis.sweep_chunks.chunk_rows`, with a progress bar. With *builder* (a
    :class:`~gametheory_ukraine.analysis.sweep_chunks.TableBuilder`), each chunk must be appended to it before
    the next is asked for."""
    with progress_bar(plan, progress) as bar:
        for i in range(plan.n_chunks):
            part = chunk_rows(plan, i, builder)
            bar.update(plan.chunk_points(i))
            yield part


def run_chunks(plan: SweepPlan, *, workers: int = 1, progress: bool | None = None,
               chunks: Sequence[int] | None = None, rows: bool = False) -> Iterator[Any]:
    """Solve the chunks of *plan* in order, serially or in *workers* local processes; yield their tables in
    chunk order (so the result does not depend on *workers*).

    Parameters
    ----------
    plan : SweepPlan
    workers : int, default 1
        Processes to use: this one and ``workers - 1`` worker processes (1: this process alone). Each worker process is
        started fresh (:func:`~gametheory_ukraine.core.workers.worker_context`), loads the model file once and checks
        its SHA-256 against the plan. The chunks solved or in flight at any time lie in a window of the next
        ``2 * (workers - 1) + 2 * workers`` chunks to yield, so memory stays bounded however many chunks there are:
        each worker keeps 2 chunks from the top of the window, and this process solves the lowest chunk no one has
        taken, so it yields its own chunks as it solves them (and does not wait idle while the workers start) while
        the workers' wait for their turn.
    progress : bool, optional
        A tqdm bar over points on stderr (None: only on a terminal, for more than 200 points).
    chunks : sequence of int, optional
        Which chunks (default: all, in order).
    rows : bool, default False
        Yield each chunk's rows before they become a table, ``(lo, cols, rows)`` of
        :func:`~gametheory_ukraine.analysis.sweep_chunks.chunk_rows`, for a
        :class:`~gametheory_ukraine.analysis.sweep_chunks.TableBuilder` in this process: the workers then send
        back only the solved columns (no parameter columns, no table), which costs far less to pickle.

    Yields
    ------
    pandas.DataFrame or tuple
        One chunk's rows (:func:`~gametheory_ukraine.analysis.sweep_chunks.solve_chunk`, or with *rows*
        :func:`~gametheory_ukraine.analysis.sweep_chunks.chunk_rows`).
    """
    if isinstance(workers, bool) or not isinstance(workers, numbers.Integral) or workers < 1:
        raise ParameterError(f"workers={workers!r} is not a whole number >= 1", fix="give e.g. workers=2")
    order = list(range(plan.n_chunks)) if chunks is None else list(chunks)
    solve = chunk_rows if rows else solve_chunk
    with progress_bar(plan, progress) as bar:
        if workers == 1 or len(order) <= 1:
            for i in order:
                frame = solve(plan, i)
                bar.update(plan.chunk_points(i))
                yield frame
            return
        helpers = int(workers) - 1  # worker processes; this process is the last of the *workers*
        pool = ProcessPoolExecutor(max_workers=helpers, mp_context=worker_context(), initializer=worker_init,
                                   initargs=(os.getpid(),))
        try:
            jobs: dict[int, Any] = {}  # position in *order* -> Future (a worker's) or _Here (solved here)
            window = 2 * helpers + 2 * int(workers)  # positions solved or in flight, not yet yielded
            head = 0  # the next position to yield
            while head < len(order):
                end = min(len(order), head + window)
                # the workers take chunks from the top of the window, this process from its bottom: this process
                # yields its own chunks as it solves them while the workers' wait for their turn
                busy = sum(1 for job in jobs.values() if isinstance(job, Future) and not job.done())
                free = [k for k in range(end - 1, head - 1, -1) if k not in jobs][:max(0, 2 * helpers - busy)]
                if free:
                    with sigint_blocked():  # worker processes start now: they never see Ctrl-C, this process does
                        for k in reversed(free):  # the lower first: a worker solves its chunks in turn
                            jobs[k] = pool.submit(solve, plan, order[k])
                job = jobs.get(head)
                if job is None or (isinstance(job, Future) and not job.done()):
                    # solve the lowest chunk no one has taken here (the oldest, or one after it while a worker
                    # solves the oldest); with none left in the window, wait for the oldest
                    low = next((k for k in range(head, end) if k not in jobs), None)
                    if low is not None:
                        jobs[low] = _Here.solve(solve, plan, order[low])
                        continue
                frame = jobs.pop(head).result()
                bar.update(plan.chunk_points(order[head]))
                head += 1
                yield frame
        except BaseException:
            # interrupted, terminated, a failing chunk or the consumer gone: stop the workers now rather than
            # wait for the chunks they are solving
            _stop_workers(pool)
            raise
        finally:
            pool.shutdown(wait=True, cancel_futures=True)


class _Here:
    """A chunk solved in this process while workers solve earlier ones: its result, or the error it raised,
    kept to be given (or raised) in its turn, so that a failure is reported as its own chunk's."""

    __slots__ = ("value", "error")

    def __init__(self, value: Any, error: Exception | None) -> None:
        self.value, self.error = value, error

    @classmethod
    def solve(cls, solve: Any, plan: SweepPlan, i: int) -> _Here:
        try:
            return cls(solve(plan, i), None)
        except Exception as exc:  # raised in its turn; interrupts (BaseException) stop the sweep at once
            return cls(None, exc)

    def result(self) -> Any:
        if self.error is not None:
            raise self.error
        return self.value


def _parent_of(pid: int) -> int:
    """The parent process id of *pid* (Linux, from ``/proc``); -1 if it cannot be read."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as f:
            return int(f.read().rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        return -1


def worker_init(parent: int) -> None:
    """Initializer of the local worker processes of :func:`run_chunks`; *parent* is the sweeping process.

    A worker ignores SIGINT (Ctrl-C reaches the whole process group: the parent alone decides, and stops the
    workers; the parent also starts them with SIGINT blocked, so none arrives before this runs) and dies with
    *parent* and with the process that started it -- *parent*, or the fork server *parent* started
    (:func:`~gametheory_ukraine.core.workers.worker_context`). A watchdog thread waits for *parent* to end (on a
    ``pidfd`` where the system has them, at once; else it looks every second) and ends the worker even while it is
    blocked writing a result no one will read; the fork server, which outlives its children, ends after them. On Linux
    the kernel also sends the worker SIGKILL when its starter ends (``prctl(PR_SET_PDEATHSIG)``). A worker whose starter
    is neither (the parent died meanwhile) exits at once. With the workers gone, multiprocessing's resource tracker and
    fork server end too.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    starter = os.getppid()
    if starter != parent and _parent_of(starter) != parent:  # the parent (or the fork server) died meanwhile
        os._exit(1)
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG = 1
        except (OSError, AttributeError):  # pragma: no cover - no prctl: the watchdog does it
            pass
    if os.getppid() != starter:  # the starter died before the line above took effect
        os._exit(1)

    def watchdog() -> None:
        try:
            fd = os.pidfd_open(parent)  # Linux >= 5.3: readable once *parent* has ended
        except (AttributeError, OSError):  # no pidfds (or *parent* already gone: the loop ends at once)
            while os.getppid() == starter and pid_alive(parent):
                time.sleep(1.0)
            os._exit(1)
        select.select([fd], [], [])
        os._exit(1)

    threading.Thread(target=watchdog, name="gtu-parent-watchdog", daemon=True).start()


def _stop_workers(pool) -> None:
    """Kill the worker processes of a ProcessPoolExecutor at once (their chunks are lost, not waited for)."""
    stop = getattr(pool, "terminate_workers", None)  # Python >= 3.14
    if stop is not None:
        stop()
        return
    procs = list((getattr(pool, "_processes", None) or {}).values())
    for proc in procs:
        with contextlib.suppress(Exception):
            proc.kill()
    for proc in procs:
        with contextlib.suppress(Exception):
            proc.join(5)
    # A worker killed while sending a result leaves half a message in the result pipe, which the pool's manager
    # thread would wait to complete for ever (this process holds a writing end too). With the workers gone,
    # closing that end turns the wait into end-of-file: the pool then sees itself broken and shuts down.
    writer = getattr(getattr(pool, "_result_queue", None), "_writer", None)
    if writer is not None:
        with contextlib.suppress(Exception):
            writer.close()


def labelled(plan: SweepPlan, order: list[int], tables: Iterable[Any]) -> Iterator[tuple[int, Any]]:
    """Pair in-order chunk results with their indices; a failure is reported with its chunk's point range."""
    it = iter(tables)
    for i in order:
        try:
            frame = next(it)
        except (MemoryError, BrokenExecutor):  # not the chunk's fault: say what happened, unlabelled
            raise
        except Exception as exc:  # GTUErrors keep their class; others become SolverErrors
            raise chunk_error(plan, i, exc) from exc
        yield i, frame
