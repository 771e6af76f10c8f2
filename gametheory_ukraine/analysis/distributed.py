"""Sweeps on Dask: each chunk of a plan is one task on a ``dask.distributed`` cluster.

:func:`dask_client` turns what the user gives (``"local"``, a scheduler address, a ``Client``, a cluster object
such as ``dask_jobqueue.SLURMCluster``) into a connected client; :func:`dask_chunks` solves chunks on it. Each
chunk is the task ``solve_chunk(plan, i)`` (:func:`~gametheory_ukraine.analysis.sweep_chunks.solve_chunk`, a
pure function), so Dask workers produce the rows a serial run does. The plan is one task of its own that every
chunk depends on: it is shipped once (it sends the model by file path and SHA-256; each worker loads the file
once and refuses a different version), and a worker that dies holding it costs a recomputation, not the sweep.

Bounded: at most about twice the cluster's threads chunks are in flight (a sliding window over
``distributed.as_completed``; recomputed as workers come and go), so a sweep of 10^6 chunks never submits them
all, and results are written (or yielded) as they arrive. When the tables must come back in chunk order (no
checkpoint), early results wait in memory, so no chunk is submitted more than :data:`ORDERED_AHEAD` chunks ahead
of the next one due: with a checkpoint, chunks are written in any order and the whole window is used.

Faults: a worker that dies while solving a chunk (killed, out of memory, its node lost) has the chunk rescheduled
by the Dask scheduler, up to ``distributed.scheduler.allowed-failures`` times (default 3); then, and for a
chunk that raises (bad parameter values, say), the sweep stops at once with an error naming the chunk's point
range [lo, hi) of the design and the original message (:func:`~gametheory_ukraine.analysis.sweep_chunks.chunk_error`),
and cancels the other tasks. Chunks finished before that are kept with a checkpoint.

Dask is an optional extra: ``pip install "gametheory_ukraine[dask]"``. The workers need the package and the model
files at the same paths (a shared file system, or the bundled models of the same installation); results come
back to the process running the sweep, which writes every file, so workers need no shared file system for output.

Examples
--------
An executor that is none of those is refused before anything starts (without Dask installed, asking for it says
how to install it):

>>> with dask_client("my-laptop"):
...     pass
Traceback (most recent call last):
...
gametheory_ukraine.core.errors.ParameterError: --dask: unknown Dask executor 'my-laptop' (fix: ...)
>>> local_workers() >= 1
True
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import time
import uuid
from collections.abc import Iterable, Iterator
from typing import Any

import pandas as pd

from ..core.errors import GTUError, ParameterError, SolverError
from ..core.workers import sigint_blocked, usable_cores
from .sweep_chunks import chunk_error, chunk_label, solve_chunk
from .sweep_plan import SweepPlan

__all__ = ["dask_client", "dask_chunks", "check_executor", "local_workers", "DASK_INSTALL", "ORDERED_AHEAD"]

DASK_INSTALL = 'pip install "gametheory_ukraine[dask]"'
_SCHEMES = ("tcp://", "tls://", "ws://", "wss://", "ucx://", "inproc://")
_CONNECT_TIMEOUT = "20s"
#: most chunks a sweep yielding in order keeps ahead of the next one to yield (they wait in this process's memory)
ORDERED_AHEAD = 64


def _distributed():
    """The ``distributed`` module, or a GTUError saying how to install it."""
    try:
        import distributed
    except ImportError:
        raise GTUError("running a sweep on Dask needs dask.distributed, which is not installed", where="--dask",
                       fix=f"{DASK_INSTALL} (or run without --dask)") from None
    return distributed


def local_workers() -> int:
    """Worker processes of a ``"local"`` cluster: the CPUs this process may use (one thread each)."""
    return usable_cores()


@contextlib.contextmanager
def dask_client(executor: Any) -> Iterator[Any]:
    """A ``distributed.Client`` for *executor*; closes what it opened on exit.

    Parameters
    ----------
    executor : str or distributed.Client or cluster
        ``"local"``: a new ``LocalCluster`` sized to the machine (:func:`local_workers` processes, one thread
        each, its dashboard on a free port), closed at the end. ``"tcp://HOST:PORT"`` (or another Dask scheme):
        connect to the running scheduler there (the cluster stays up). A ``Client``: used as it is (not
        closed). A cluster object (``LocalCluster``, ``dask_jobqueue.SLURMCluster``, ...): a client connected
        to it (the cluster stays up).

    Raises
    ------
    GTUError
        Dask is not installed (with the ``pip install`` line).
    ParameterError
        An executor of another kind, or a scheduler that cannot be reached.
    """
    distributed = check_executor(executor)
    if isinstance(executor, distributed.Client):
        yield executor
        return
    if isinstance(executor, str):
        text = executor.strip()
        if text == "local":
            cluster = None
            try:
                # the cluster's threads and worker processes never see Ctrl-C; their logs stay quiet (a chunk that
                # fails or a worker that dies comes back to the sweep as an error; a cluster closed after Ctrl-C
                # would otherwise print the workers' lost connections)
                with sigint_blocked():
                    cluster = distributed.LocalCluster(n_workers=local_workers(), threads_per_worker=1,
                                                       processes=True, dashboard_address=":0",
                                                       silence_logs=logging.CRITICAL)
                with distributed.Client(cluster) as client:
                    yield client
            finally:
                if cluster is not None:
                    cluster.close()
            return
        try:
            client = distributed.Client(text, timeout=_CONNECT_TIMEOUT)
        except (OSError, TimeoutError) as exc:
            raise ParameterError(f"cannot connect to the Dask scheduler at {text}: {exc}", where="--dask",
                                 fix="start one ('dask scheduler', then 'dask worker ADDRESS') or check the "
                                     "address it printed") from None
        try:
            yield client
        finally:
            client.close()
        return
    with distributed.Client(executor) as client:  # a cluster object
        yield client


def check_executor(executor: Any):
    """Check that *executor* is something :func:`dask_client` takes, without connecting; return the
    ``distributed`` module.

    Raises
    ------
    GTUError
        Dask is not installed (with the ``pip install`` line).
    ParameterError
        An executor of another kind.
    """
    distributed = _distributed()
    if isinstance(executor, distributed.Client) or hasattr(executor, "scheduler_address"):
        return distributed
    if isinstance(executor, str):
        text = executor.strip()
        if text == "local" or (text.startswith(_SCHEMES) and len(text) > text.index("://") + 3):
            return distributed
        raise ParameterError(f"unknown Dask executor {executor!r}", where="--dask",
                             fix="use 'local' (a cluster on this machine) or a scheduler address such as "
                                 "tcp://HOST:8786")
    raise ParameterError(f"cannot run a sweep on {type(executor).__name__}", where="executor",
                         fix="pass 'local', 'tcp://HOST:PORT', a distributed.Client or a Dask cluster object")


def _plan_task(plan: SweepPlan) -> SweepPlan:
    """The plan itself, as a task (so it is shipped once and recomputed if the worker holding it dies)."""
    return plan


def _solve_task(plan: SweepPlan, i: int) -> pd.DataFrame:
    """One chunk on a worker: :func:`~gametheory_ukraine.analysis.sweep_chunks.solve_chunk`, after the test hook
    :func:`_test_fault`."""
    _test_fault(i)
    return solve_chunk(plan, i)


def _test_fault(i: int) -> None:
    """Test hook, not an API. With ``GTU_TEST_KILL_WORKER="I:MARKER"`` in a Dask worker process's environment,
    the worker solving chunk *I* exits abruptly (``os._exit``, as a SIGKILL or the out-of-memory killer would
    end it) if the file *MARKER* does not exist yet -- creating it first, so only the first attempt dies.
    The test suite uses it to check that a dead worker's chunk is retried. Never acts outside a
    Dask worker running in a child process."""
    spec = os.environ.get("GTU_TEST_KILL_WORKER")
    if not spec:
        return
    chunk, _, marker = spec.partition(":")
    if not chunk.isdigit() or int(chunk) != i or not marker:
        return
    from distributed import get_worker

    try:
        get_worker()
    except ValueError:
        return
    if multiprocessing.parent_process() is None:
        return
    try:
        with open(marker, "x", encoding="utf-8") as fh:
            fh.write(str(os.getpid()))
    except FileExistsError:
        return
    os._exit(70)


def _task_error(plan: SweepPlan, i: int, exc: BaseException, distributed) -> Exception:
    """The error for chunk *i*'s task failing with *exc*: workers that died too many times while solving it
    (``KilledWorker``), or :func:`~gametheory_ukraine.analysis.sweep_chunks.chunk_error`."""
    if isinstance(exc, distributed.KilledWorker):
        return SolverError(f"{chunk_label(plan, i)} was being solved by Dask workers that died, too many times (the "
                           "scheduler's distributed.scheduler.allowed-failures)",
                           fix="workers may run out of memory: use a smaller --chunk-size or give each worker more "
                               "memory; finished chunks are kept with --checkpoint")
    return chunk_error(plan, i, exc)


def dask_chunks(plan: SweepPlan, client: Any, chunks: Iterable[int], *,
                ordered: bool) -> Iterator[tuple[int, pd.DataFrame]]:
    """Solve *chunks* of *plan* on the Dask cluster of *client*; yield ``(i, table)`` as they finish.

    Parameters
    ----------
    plan : SweepPlan
    client : distributed.Client
    chunks : iterable of int
        The chunk indices to solve.
    ordered : bool
        Yield in the order of *chunks* (results that arrive early wait, and no chunk is submitted more than a
        window ahead of the next to yield, so memory stays bounded), or as they finish.

    Yields
    ------
    (int, pandas.DataFrame)
        A chunk's index and its table.

    Raises
    ------
    GTUError
        A chunk that fails (:func:`~gametheory_ukraine.analysis.sweep_chunks.chunk_error`): its point range and
        the original error; a chunk whose workers died too many times, with what to do about it. The other tasks
        are cancelled.
    """
    distributed = _distributed()
    order = list(chunks)
    if not order:
        return
    token = uuid.uuid4().hex[:12]
    plan_f = client.submit(_plan_task, plan, key=f"gtu-plan-{token}", pure=False)
    done_set = distributed.as_completed()
    inflight: dict[str, tuple[int, Any]] = {}
    ready: dict[int, pd.DataFrame] = {}
    state = {"submit": 0, "emit": 0, "window": 2, "checked": -1.0}

    def window() -> int:
        now = time.monotonic()
        if now - state["checked"] > 2.0:
            threads = sum(client.nthreads().values())
            state["window"] = max(2, 2 * threads)
            state["checked"] = now
        return state["window"]

    def submit_more() -> None:
        limit = window()
        while state["submit"] < len(order):
            ahead = state["submit"] - state["emit"] if ordered else len(inflight)
            if ahead >= (min(limit, ORDERED_AHEAD) if ordered else limit):
                break
            i = order[state["submit"]]
            fut = client.submit(_solve_task, plan_f, i, key=f"gtu-chunk-{token}-{i}", pure=False, retries=0)
            inflight[fut.key] = (i, fut)
            done_set.add(fut)
            state["submit"] += 1

    try:
        submit_more()
        for fut in done_set:
            i, _ = inflight.pop(fut.key)
            if fut.status != "finished":
                if fut.status == "error":
                    raise _task_error(plan, i, fut.exception(), distributed)
                raise SolverError(f"chunk {i} (points [{plan.bounds(i)[0]}, {plan.bounds(i)[1]}) of the design) "
                                  f"was {fut.status} by the Dask cluster",
                                  fix="check the scheduler and workers; finished chunks are kept with --checkpoint")
            frame = fut.result()
            fut.release()
            if ordered:
                ready[i] = frame
                while state["emit"] < len(order) and order[state["emit"]] in ready:
                    j = order[state["emit"]]
                    state["emit"] += 1
                    yield j, ready.pop(j)
            else:
                state["emit"] += 1
                yield i, frame
            submit_more()
    finally:
        pending = [f for _, f in inflight.values()]
        with contextlib.suppress(Exception):
            if pending:
                client.cancel(pending)
            client.cancel([plan_f])
