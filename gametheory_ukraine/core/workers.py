"""How local worker processes start, with the standard library only (so the command line can start them before
it imports the scientific stack).

:func:`worker_context` is the multiprocessing context of the sweep's worker processes: a fork server on Linux,
``spawn`` elsewhere; :func:`start_worker_server` starts that fork server ahead of need; :func:`sigint_blocked`
blocks Ctrl-C while helper processes start, so that only the sweeping process sees it; :func:`usable_cores` counts
the CPUs this process may use. The executors that use them are in :mod:`gametheory_ukraine.analysis.executors`.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Iterator
from multiprocessing import forkserver, resource_tracker

__all__ = ["PRELOAD", "worker_context", "start_worker_server", "sigint_blocked", "usable_cores"]

#: Modules the fork server imports once, so that each worker it forks starts with them loaded.
PRELOAD = ("gametheory_ukraine.analysis.sweep_chunks",)


def usable_cores() -> int:
    """The CPUs this process may run on (its affinity where the system has one, else the machine's count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def worker_context() -> multiprocessing.context.BaseContext:
    """How local worker processes start: from a fork server on Linux, else by ``spawn``.

    Both give a fresh process that shares no state with this one (no threads, locks or caches of the parent are
    inherited, unlike ``fork``). ``spawn`` starts a new interpreter per worker, which then imports numpy, pandas,
    sympy and the solvers -- about a second of CPU each. The fork server is one such interpreter, started once
    per process (with SIGINT blocked, :func:`sigint_blocked`) with the modules in :data:`PRELOAD` imported;
    each worker is a ``fork`` of it, ready in milliseconds. A worker dies with this process and with the fork
    server (:func:`~gametheory_ukraine.analysis.executors.worker_init`); the fork server ends once this process
    and its workers have.
    """
    if sys.platform.startswith("linux") and "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(list(PRELOAD))
        return ctx
    return multiprocessing.get_context("spawn")


def start_worker_server() -> None:
    """Start the fork server of :func:`worker_context` now, with SIGINT blocked, if this platform uses one (else
    do nothing). It imports :data:`PRELOAD` in its own process, meanwhile this one goes on: a command that will
    sweep with workers calls this before its own imports, so the two overlap."""
    ctx = worker_context()
    if ctx.get_start_method() != "forkserver":
        return
    with sigint_blocked():
        forkserver.ensure_running()


@contextlib.contextmanager
def sigint_blocked() -> Iterator[None]:
    """Block SIGINT in this thread while local workers (a local cluster, a process pool) start.

    Threads and processes started meanwhile inherit the blocked signal, so Ctrl-C (sent to the whole process group)
    reaches only this process: it stops the sweep and the workers, and the worker processes do not print
    tracebacks of their own. A Ctrl-C that arrives meanwhile is delivered when this block ends. Does nothing
    outside the main thread or where signals cannot be blocked.
    """
    if not hasattr(signal, "pthread_sigmask") or threading.current_thread() is not threading.main_thread():
        yield
        return
    with contextlib.suppress(Exception):  # started later, it would unblock SIGINT in this thread for good
        resource_tracker.ensure_running()
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)
