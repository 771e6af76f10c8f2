"""Sweeps: solve a model over a grid or a sampled design of parameter values; a tidy table; CSV and Parquet.

:func:`sweep` checks the input before solving anything (parameter names, specs, bounds, the design's arguments,
the number of points against ``max_rows``); solves one probe point to estimate the table's size (rows against
``max_rows``, bytes against the memory available now) before the design is built; then solves every point with
:func:`_solve_point` (one scalar solve per point today; a batched engine can replace that one function) and
returns one row per (point, equilibrium). :func:`write_table` writes the table to ``.csv`` or ``.parquet``
through :mod:`gametheory_ukraine.core.files` (path checked first, written under a temporary name, renamed when
complete).

Columns of the table, in order:

=============================================  =============================================================
``point_id``                                   0 .. n_points-1, the row of the design
every parameter of the model                   varied ones first (in the order given), then the others in the
                                               model's order with their (constant) scenario/fixed values, so
                                               a CSV file is self-contained; all float64
``equilibrium``                                index of the equilibrium within its point (-1: none found)
``n_equilibria``                               number of equilibria at the point
``outcome``                                    the equilibrium's outcome label (None if the model gives none)
``payoff:<player>``                            expected payoff of each player
``prob:<player>:<action>``                     normal form: probability of each action
``prob:<player>:<infoset>:<action>``           sequential form: behaviour probability at each information set
``regret``                                     the equilibrium's best-response certificate (0 when exact)
``complete``                                   whether the solver provably found every equilibrium at the point
=============================================  =============================================================

Numbers in the table are float64 also when ``exact=True`` (exact mode changes the solving: ties such as
rho = 1/27 in ``territory`` are found exactly, with both equilibria). ``df.attrs`` records the model name and the
SHA-256 of its file, form, scenario, method, samples, the seed used, exactness, the specs of the varied
parameters, the values of all other parameters (exact, as text) and the package version; Parquet files keep it.
"""

from __future__ import annotations

import contextlib
import json
import math
import numbers
import os
import sys
from collections.abc import Iterator, Mapping, Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._version import __version__
from ..core.errors import ModelFileError, OutputError, ParameterError, SolverError
from .designs import (
    SAMPLED_METHODS,
    Spec,
    _check_method,
    _check_samples,
    _check_seed,
    _fmt,
    _specs,
    as_spec,
    check_points,
    design,
)
from .sweep_chunks import (
    CATEGORICAL_COLUMNS,
    SweepPlan,
    TableBuilder,
    check_sweep_work,
    choose_engine,
    chunk_rows,
    concat_tables,
    point_error,
    solve_chunk,
)

__all__ = ["sweep", "plan_sweep", "run_chunks", "sweep_to_file", "write_table", "estimate_size",
           "worker_init", "check_apart", "check_model_unchanged",
           "TABLE_SUFFIXES"]

TABLE_SUFFIXES = (".csv", ".parquet")
_BYTES_PER_CELL = 16  # 8 bytes in the final frame, ~8 more while it is built and copied
_BYTES_PER_POINT = 100  # per-point bookkeeping while solving (counts, flags, the design row)
# default rows per chunk of the batched engines: the tree engine's temporaries grow with the tree (about 5 kB a
# point for the framework trees), the bimatrix engine's with the game (about 1 kB a point for 4 x 4 games)
_BATCHED_CHUNK_ROWS = {"tree": 2**16, "bimatrix": 2**18}


# ------------------------------------------------------------------------------------------ solving
def _solve_point(model, form: str, scenario: str | None, values: Mapping[str, Any], exact: bool):
    """Solve *model*'s *form* under *scenario* with *values* (already validated) overriding it.

    This is the one per-point call of :func:`sweep`; a batched engine replaces it.

    Returns
    -------
    EquilibriumSet
    """
    from ..solvers.solving import solve

    vals = model.values(scenario)
    vals.update(values)
    game = model.symbolic(form).instantiate(vals, exact=exact)
    return solve(game, exact=exact, parameters=vals)


def _layout(result) -> tuple[list[str], list[str], list[tuple[int, Any, int]]]:
    """Payoff and probability column names of a result, and where each probability lives."""
    pay_cols = [f"payoff:{p}" for p in result.players]
    prob_cols: list[str] = []
    where: list[tuple[int, Any, int]] = []  # (player, infoset or None, action index)
    for i, player in enumerate(result.players):
        if result.form == "normal":
            for a, label in enumerate(result.actions[i]):
                prob_cols.append(f"prob:{player}:{label}")
                where.append((i, None, a))
        else:
            for h, labels in result.actions[i].items():
                for a, label in enumerate(labels):
                    prob_cols.append(f"prob:{player}:{h}:{label}")
                    where.append((i, h, a))
    return pay_cols, prob_cols, where


def _numeric_block(result, where) -> np.ndarray:
    """(n_equilibria, n_players + n_probabilities + 1) float64: payoffs, probabilities, regret."""
    n_players = len(result.players)
    out = np.full((max(1, len(result)), n_players + len(where) + 1), np.nan)
    for k, eq in enumerate(result.equilibria):
        out[k, :n_players] = [float(v) for v in eq.payoffs]
        for c, (i, h, a) in enumerate(where):
            s = eq.strategies[i]
            if h is None:
                out[k, n_players + c] = float(s[a])
            elif h in s:
                out[k, n_players + c] = float(s[h][a])
        out[k, -1] = float(eq.regret)
    return out


# ------------------------------------------------------------------------------------ size checks
def _available_memory() -> int | None:
    """Bytes of memory available now (Linux ``MemAvailable``; else free physical pages), or None."""
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None


def estimate_size(points: int, equilibria_per_point: float, n_columns: int, *, design_columns: int = 0,
                  exact: bool = False) -> tuple[int, int]:
    """Estimated (rows, peak bytes) of a sweep's table.

    rows = points x equilibria per point (at least 1); bytes = rows x n_columns x 16 (8 bytes a cell in the frame,
    as much again while it is assembled) + points x 100 (per-point bookkeeping while solving) + points x
    design_columns x 24 (the design with its temporaries; 160 a value when exact: Fractions).

    Examples
    --------
    >>> estimate_size(101, 1, 20)
    (101, 42420)
    >>> estimate_size(1000, 2.5, 10, design_columns=2)
    (2500, 548000)
    """
    rows = int(math.ceil(points * max(1.0, float(equilibria_per_point))))
    per_design_value = 160 if exact else 24
    return rows, (rows * n_columns * _BYTES_PER_CELL + points * _BYTES_PER_POINT
                  + points * design_columns * per_design_value)


def _too_big(what: str, points: int, rows: int, limit_rows: int, method: str, first: str | None) -> ParameterError:
    runs = max(2, math.ceil(rows / max(1, limit_rows)))
    per_run = max(1, math.ceil(points / runs))
    if method in SAMPLED_METHODS:
        how = (f"run {runs} designs of at most --samples {per_run} each with different --seed values, one -o file "
               "each")
    else:
        part = f"split the range of {first} into {runs} parts" if first else f"split the grid into {runs} parts"
        how = f"{part} of at most {per_run:,} points, one 'gtu sweep' with its own -o file per part"
    return ParameterError(f"the sweep is too big: {what}",
                          fix=f"{how}, then concatenate the tables (pandas.concat); or stream it to a file with "
                              "gtu sweep -o FILE.parquet (bounded memory; --dask and --checkpoint for big runs)")


# --------------------------------------------------------------------------------------- the sweep
def _check_names(model, names) -> None:
    import difflib

    for name in names:
        if name not in model.parameters:
            close = difflib.get_close_matches(name, list(model.parameters), n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            raise ParameterError(f"model {model.name!r} has no parameter {name!r}", where=name,
                                 fix=hint + "known parameters: " + ", ".join(model.parameters))


def _show_progress(progress: bool | None, points: int) -> bool:
    if progress is not None:
        return bool(progress)
    try:
        return bool(sys.stderr.isatty()) and points > 200
    except (AttributeError, ValueError):
        return False


def sweep(model, values: Mapping[str, Any], *, form: str | None = None, scenario: str | None = None,
          method: str = "grid", samples: int | None = None, seed: int | None = None, exact: bool = False,
          progress: bool | None = None, max_rows: int = 50_000_000, engine: str = "auto",
          workers: int = 1, chunk_size: int | None = None, executor: Any = None,
          checkpoint: str | os.PathLike | None = None, max_points: int | None = None,
          max_work: int | None = None) -> pd.DataFrame:
    """Solve *model* at every point of a design; one row per (point, equilibrium).

    Parameters
    ----------
    model : Model or str
        A loaded model, or a model name / path for :func:`gametheory_ukraine.load_model`.
    values : mapping of str -> spec
        Parameter name -> what it takes: a :class:`~gametheory_ukraine.analysis.designs.Spec`, spec text
        (``"0.01:0.5:101"``, ``"0.01:0.5"``, ``"0.1,0.2"``, ``"0.05"``), a number (fixed), a 2-tuple ``(lo, hi)``
        (a range, for sampled designs) or a list/array (listed values, for grids). Parameters not named keep
        their *scenario* values.
    form : str, optional
        ``"normal"`` or ``"sequential"`` (default: the model's first form).
    scenario : str, optional
        A named scenario (default: the parameter defaults).
    method : {"grid", "lhs", "mc", "sobol"}
        See :func:`~gametheory_ukraine.analysis.designs.design`.
    samples : int, optional
        Points of a sampled design (required for ``lhs``, ``mc``, ``sobol``; a power of 2 for ``sobol``).
    seed : int, optional
        Seed of a sampled design; None draws a fresh one, recorded in ``df.attrs["seed"]``.
    exact : bool
        Solve each point in exact rational arithmetic (grid points exact; sampled floats read as their shortest
        decimal). Slower for some games; ties are found exactly. Default: floats.
    progress : bool, optional
        A tqdm bar on stderr. None: only when stderr is a terminal and there are more than 200 points.
    max_rows : int
        Refuse (before solving all points) a sweep whose estimated rows exceed this. Also refused: an estimate
        above the memory available now.
    engine : {"auto", "batched", "scalar"}
        ``"auto": the batched engines (:mod:`gametheory_ukraine.batched`) for float sweeps of
        perfect-information trees and of two-player normal forms, the scalar per-point solver otherwise (and
        always with ``exact=True``). All give the exact scalar solver's equilibria: the batched engines re-solve
        doubtful points (near-ties, threshold points) on the exact path.
    workers : int, default 1
        Local processes to solve chunks in (see :func:`run_chunks`); the table does not depend on it.
    chunk_size : int, optional
        Points per chunk (see :func:`plan_sweep`); the table does not depend on it.
    executor : str or distributed.Client or Dask cluster, optional
        Solve the chunks as Dask tasks (:mod:`gametheory_ukraine.analysis.distributed`): ``"local"`` (a
        ``LocalCluster`` sized to the machine), a scheduler address ``"tcp://HOST:PORT"``, a ``Client`` or a
        cluster object (e.g. ``dask_jobqueue.SLURMCluster``). Needs ``pip install "gametheory_ukraine[dask]"``;
        *workers* must then be 1. The table does not depend on it.
    checkpoint : str or path-like, optional
        A folder keeping each finished chunk as a Parquet file with a manifest
        (:mod:`gametheory_ukraine.analysis.checkpoint`): running the same sweep again resumes, solving only the
        missing chunks; another sweep with the same folder is refused. A sampled design without *seed* resumes
        with the checkpoint's seed. The table does not depend on it.
    max_points : int, optional
        Budget of the design's points, checked before anything is built or solved (default
        :data:`~gametheory_ukraine.analysis.designs.MAX_POINTS`, 10**8; 10**7 for Latin hypercube designs,
        which are built whole).
    max_work : int, optional
        Budget of the sweep's work, points x the game's size (nodes of a tree, cells x players of a normal form;
        x 100 on the scalar engine), checked after one probe solve and before the others (default
        :data:`~gametheory_ukraine.analysis.sweep_chunks.MAX_SWEEP_WORK`).

    Returns
    -------
    pandas.DataFrame
        Columns as in the module docstring, shape (sum over points of max(1, n_equilibria), n_columns);
        ``attrs``: ``model``, ``model_sha256``, ``form``, ``scenario``, ``method``, ``samples``, ``seed``,
        ``exact``, ``varied`` (names), ``specs`` (name -> spec text), ``parameters`` (every other parameter ->
        exact value as text), ``points``, ``rows``, ``engine``, ``chunk_size``, ``package``, ``version``.

    Raises
    ------
    ParameterError
        Unknown parameter names (with the closest name), bad specs (empty ranges, LO > HI, N < 1), values outside a
        parameter's [low, high], a missing ``samples``, a sweep too big (with how to split it), unknown form or
        scenario. All raised before any point is solved, except a size overrun found while solving.

    Examples
    --------
    Ukraine cedes all of Donbas only while rho <= 1/27 (models/README.md); its settlement value at rho = 0.02 is
    (0.3 + 0.9 * 0.03 * 1.5) / (1 - 0.9 * 0.97) = 2.6811 (:func:`~gametheory_ukraine.analysis.relapse.settlement_value`,
    hazard rho (1 + kappa) = 0.03):

    >>> import gametheory_ukraine as gtu
    >>> m = gtu.load_model("territory")
    >>> df = m.sweep({"rho": "0.02:0.06:3"}, form="sequential", scenario="baseline-2025")
    >>> df[["point_id", "rho", "outcome", "payoff:Ukraine"]].round(4)
       point_id   rho                      outcome  payoff:Ukraine
    0         0  0.02  settlement on Russian terms          2.6811
    1         1  0.04               war continues          2.5000
    2         2  0.06               war continues          2.5000
    """
    from .checkpoint import _labelled, chunk_tables, resume_seed

    seed = resume_seed(checkpoint, method, seed)
    plan, estimate = _plan(model, values, form=form, scenario=scenario, method=method, samples=samples, seed=seed,
                           exact=exact, engine=engine, chunk_size=chunk_size, max_rows=max_rows, in_memory=True,
                           max_points=max_points, max_work=max_work)
    def check(total: int, done: int) -> None:
        if total > max_rows:
            raise _too_big(f"more than max_rows={max_rows:,} rows after {done} of {plan.n_chunks} chunks",
                           plan.points, int(total * plan.n_chunks / done), max_rows, plan.method, estimate["first"])

    if workers == 1 and executor is None and checkpoint is None:
        # in this process: every chunk's rows go straight into the final columns (no per-chunk tables to copy)
        builder = TableBuilder(plan, capacity=estimate["rows"] + plan.chunk_size)
        order = list(range(plan.n_chunks))
        for done, (_, part) in enumerate(_labelled(plan, order, _serial_rows(plan, progress)), start=1):
            builder.append(*part)
            check(builder.rows, done)
        df = builder.frame()
    else:
        frames = []
        total = 0
        for frame in chunk_tables(plan, workers=workers, progress=progress, executor=executor,
                                  checkpoint=checkpoint):
            total += len(frame)
            check(total, len(frames) + 1)
            frames.append(frame)
        df = concat_tables(frames)
        check_model_unchanged(plan)
    df.attrs.update({**sweep_attrs(plan), "rows": len(df)})
    return df


def _serial_rows(plan: SweepPlan, progress: bool | None) -> Iterator[tuple]:
    """Chunk by chunk in this process: ``(lo, cols, rows)`` of :func:`chunk_rows`, with a progress bar."""
    with _progress_bar(plan, progress) as bar:
        for i in range(plan.n_chunks):
            part = chunk_rows(plan, i)
            bar.update(plan.bounds(i)[1] - plan.bounds(i)[0])
            yield part


def sweep_attrs(plan: SweepPlan) -> dict[str, Any]:
    """The ``attrs`` of a sweep's table (see :func:`sweep`), without ``rows``."""
    varied = [name for name, _ in plan.specs]
    base = dict(plan.base)
    return {"model": plan.model.name, "model_sha256": plan.model.sha256, "form": plan.form,
            "scenario": plan.scenario, "method": plan.method, "samples": plan.samples, "seed": plan.seed,
            "exact": bool(plan.exact), "varied": varied, "specs": {name: str(s) for name, s in plan.specs},
            "parameters": {name: _text(base[name]) for name in plan.model.parameters if name not in varied},
            "points": int(plan.points), "engine": plan.engine, "chunk_size": int(plan.chunk_size),
            "package": "gametheory_ukraine", "version": __version__}


def plan_sweep(model, values: Mapping[str, Any], *, form: str | None = None, scenario: str | None = None,
               method: str = "grid", samples: int | None = None, seed: int | None = None, exact: bool = False,
               engine: str = "auto", chunk_size: int | None = None, max_points: int | None = None,
               max_work: int | None = None) -> SweepPlan:
    """Check a sweep's input and plan it in chunks, without solving it (one probe point fixes the columns).

    Takes the arguments of :func:`sweep` (without the in-memory limits). The plan is what
    :func:`~gametheory_ukraine.analysis.sweep_chunks.solve_chunk` solves, chunk by chunk, serially, in local
    processes (:func:`run_chunks`) or on Dask workers.

    Parameters
    ----------
    chunk_size : int, optional
        Points per chunk. Default: 262,144 (2**18; 65,536 for trees) divided by the probe point's number of
        equilibria (at least 1,024)
        for the batched engines; 256 for the scalar path.

    Returns
    -------
    SweepPlan

    Raises
    ------
    ParameterError
        As :func:`sweep`.
    """
    return _plan(model, values, form=form, scenario=scenario, method=method, samples=samples, seed=seed,
                 exact=exact, engine=engine, chunk_size=chunk_size, max_rows=None, in_memory=False,
                 max_points=max_points, max_work=max_work)[0]


def _plan(model, values, *, form, scenario, method, samples, seed, exact, engine, chunk_size, max_rows,
          in_memory: bool, max_points: int | None = None, max_work: int | None = None) -> tuple[SweepPlan, dict]:
    if isinstance(model, (str, os.PathLike)):
        from ..modelling.registry import load_model

        model = load_model(model)
    form = model._form_name(form)
    base = model.values(scenario)  # also checks the scenario
    if not isinstance(values, Mapping):
        raise ParameterError(f"values must map parameter names to values, not {type(values).__name__}",
                             fix="pass e.g. {'rho': '0.01:0.5:101'}")
    _check_names(model, values)
    _check_method(method)
    samples = _check_samples(method, samples)
    _check_seed(seed)
    if max_rows is not None and (isinstance(max_rows, bool) or not isinstance(max_rows, numbers.Integral)
                                 or max_rows < 1):
        raise ParameterError(f"max_rows={max_rows!r} is not a whole number >= 1", fix="give e.g. max_rows=10_000_000")
    if chunk_size is not None and (isinstance(chunk_size, bool) or not isinstance(chunk_size, numbers.Integral)
                                   or chunk_size < 1):
        raise ParameterError(f"chunk_size={chunk_size!r} is not a whole number >= 1", fix="give e.g. 65536")
    specs: dict[str, Spec] = _specs({name: as_spec(v, where=name) for name, v in values.items()}, method)
    for name, s in specs.items():
        for v in (s.lo, s.hi):
            model.parameters[name].check(v, where=name)
    fixed = {name: s.lo for name, s in specs.items() if s.kind == "fixed"}
    varied = {name: s for name, s in specs.items() if s.kind != "fixed"}
    base.update(fixed)
    chosen = choose_engine(model, form, exact, engine)

    points = samples if method in SAMPLED_METHODS else math.prod(s.size for s in varied.values())
    first = next(iter(varied), None)
    check_points(points, method=method, max_points=max_points)
    if max_rows is not None and points > max_rows:
        raise _too_big(f"{points:,} points make at least {points:,} rows, more than max_rows={max_rows:,}",
                       points, points, max_rows, method, first)

    # One probe solve fixes the columns and the typical number of equilibria (for the size estimate and the
    # default chunk size), at the ranges' first values.
    corner = {name: s.first() for name, s in varied.items()}
    corner.update(fixed)
    corner = {k: (v if exact else float(v)) for k, v in corner.items()}
    check_sweep_work(model, form, chosen, points, max_work=max_work)
    try:
        probe = _solve_point(model, form, scenario, corner, exact)
    except (ParameterError, SolverError, TypeError, ValueError, ArithmeticError) as exc:
        # a payoff undefined, infinite or complex at the first point
        raise point_error(exc, {name: corner[name] for name in varied}) from None
    pay_cols, prob_cols, where = _layout(probe)
    n_columns = 1 + len(model.parameters) + 3 + len(pay_cols) + len(prob_cols) + 2
    if max_rows is not None:
        rows_est, bytes_est = estimate_size(points, len(probe), n_columns, design_columns=len(varied), exact=exact)
        avail = _available_memory()
        if rows_est > max_rows:
            raise _too_big(f"{points:,} points x ~{max(1, len(probe))} equilibria ~ {rows_est:,} rows, more than "
                           f"max_rows={max_rows:,}", points, rows_est, max_rows, method, first)
        if in_memory and avail is not None and bytes_est > avail:
            per_row = max(1, bytes_est // rows_est)
            raise _too_big(f"~{rows_est:,} rows need ~{bytes_est / 2**30:.1f} GiB, more than the "
                           f"{avail / 2**30:.1f} GiB of memory available", points, rows_est, avail // per_row,
                           method, first)
    if chunk_size is None:
        chunk_size = 256 if chosen == "scalar" else max(1024, _BATCHED_CHUNK_ROWS[chosen] // max(1, len(probe)))
    used_seed = None
    if method in SAMPLED_METHODS:
        used_seed = int(np.random.SeedSequence().entropy) if seed is None else int(seed)
    lhs = None
    if method == "lhs":
        whole = design(varied, method=method, samples=samples, seed=used_seed, exact=exact, max_points=points)
        lhs = {name: whole[name].to_numpy() for name in varied}
    plan = SweepPlan(model=model, form=form, scenario=scenario, method=method, samples=samples, seed=used_seed,
                     exact=bool(exact), engine=chosen, specs=tuple(varied.items()), base=tuple(base.items()),
                     points=int(points), chunk_size=int(chunk_size), pay_cols=tuple(pay_cols),
                     prob_cols=tuple(prob_cols), where=tuple(where), lhs=lhs)
    return plan, {"first": first, "rows": int(points) * max(1, len(probe))}


# ------------------------------------------------------------------------------------- running chunks
def run_chunks(plan: SweepPlan, *, workers: int = 1, progress: bool | None = None,
               chunks: Sequence[int] | None = None) -> Iterator[pd.DataFrame]:
    """Solve the chunks of *plan* in order, serially or in *workers* local processes; yield their tables in
    chunk order (so the result does not depend on *workers*).

    Parameters
    ----------
    plan : SweepPlan
    workers : int, default 1
        Processes to use (1: this process). Each worker process is started fresh (``spawn``), loads the model
        file once and checks its SHA-256 against the plan; at most ``2 * workers`` chunks are in flight, so
        memory stays bounded however many chunks there are.
    progress : bool, optional
        A tqdm bar over points on stderr (None: only on a terminal, for more than 200 points).
    chunks : sequence of int, optional
        Which chunks (default: all, in order).

    Yields
    ------
    pandas.DataFrame
        One chunk's rows (:func:`~gametheory_ukraine.analysis.sweep_chunks.solve_chunk`).
    """
    if isinstance(workers, bool) or not isinstance(workers, numbers.Integral) or workers < 1:
        raise ParameterError(f"workers={workers!r} is not a whole number >= 1", fix="give e.g. workers=2")
    order = list(range(plan.n_chunks)) if chunks is None else list(chunks)
    with _progress_bar(plan, progress) as bar:
        if workers == 1 or len(order) <= 1:
            for i in order:
                frame = solve_chunk(plan, i)
                bar.update(plan.bounds(i)[1] - plan.bounds(i)[0])
                yield frame
            return
        import multiprocessing
        from collections import deque
        from concurrent.futures import ProcessPoolExecutor

        from .distributed import sigint_blocked

        ctx = multiprocessing.get_context("spawn")
        pool = ProcessPoolExecutor(max_workers=int(workers), mp_context=ctx, initializer=worker_init,
                                   initargs=(os.getpid(),))
        try:
            pending: deque = deque()
            it = iter(order)
            with sigint_blocked():  # the worker processes start now: they never see Ctrl-C, this process does
                for i in it:
                    pending.append((i, pool.submit(solve_chunk, plan, i)))
                    if len(pending) >= 2 * workers:
                        break
            while pending:
                i, fut = pending.popleft()
                frame = fut.result()
                nxt = next(it, None)
                if nxt is not None:
                    pending.append((nxt, pool.submit(solve_chunk, plan, nxt)))
                bar.update(plan.bounds(i)[1] - plan.bounds(i)[0])
                yield frame
        except BaseException:
            # interrupted, terminated, a failing chunk or the consumer gone: stop the workers now rather than
            # wait for the chunks they are solving
            _stop_workers(pool)
            raise
        finally:
            pool.shutdown(wait=True, cancel_futures=True)


def worker_init(parent: int) -> None:
    """Initializer of the local worker processes of :func:`run_chunks`.

    A worker ignores SIGINT (Ctrl-C reaches the whole process group: the parent alone decides, and stops the
    workers; the parent also starts them with SIGINT blocked, so none arrives before this runs) and dies with
    its parent: on Linux the kernel sends it SIGKILL when the parent ends
    (``prctl(PR_SET_PDEATHSIG)``), elsewhere a watchdog thread notices the parent has gone (within a second).
    With the workers gone, multiprocessing's resource tracker ends too.
    """
    import signal
    import threading

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG = 1
        except (OSError, AttributeError):  # pragma: no cover - no prctl: the watchdog does it
            pass
    if os.getppid() != parent:  # the parent died before the line above took effect
        os._exit(1)

    def watchdog() -> None:
        import time

        while os.getppid() == parent:
            time.sleep(1.0)
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


def _progress_bar(plan: SweepPlan, progress: bool | None):
    from tqdm.auto import tqdm

    return tqdm(total=plan.points, file=sys.stderr, disable=not _show_progress(progress, plan.points), unit="point",
                desc=f"{plan.model.name} {plan.form}", dynamic_ncols=True)


def _text(value: Any) -> str:
    return _fmt(value) if isinstance(value, Fraction) else repr(value)


# ------------------------------------------------------------------------------------------ output
def write_table(df: pd.DataFrame, path: str | os.PathLike) -> Path:
    """Write a sweep table to ``.csv`` or ``.parquet`` (by suffix), atomically.

    The path is checked first (:func:`~gametheory_ukraine.core.files.check_output_path`); the file is written
    under a temporary name beside it and renamed when complete, so no half-written file ever has the final
    name. CSV: the columns only (every parameter is a column). Parquet: the columns with their dtypes, and
    ``df.attrs`` as JSON in the schema metadata under ``gametheory_ukraine`` and ``PANDAS_ATTRS`` (which
    ``pandas.read_parquet`` restores into ``attrs``).

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    OutputError
        Another suffix, a missing or unwritable folder, a folder given as the file, no pyarrow for Parquet.
    """
    from ..core.files import check_output_path, write_with

    p = check_output_path(path, suffixes=TABLE_SUFFIXES)
    if p.suffix.lower() == ".csv":
        return write_with(p, lambda tmp: df.to_csv(tmp, index=False))
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:  # pragma: no cover - pyarrow is a dependency
        raise OutputError("writing Parquet needs pyarrow", path=str(p),
                          fix="pip install pyarrow, or write a .csv file") from None
    table = pa.Table.from_pandas(df, preserve_index=False)
    blob = json.dumps(df.attrs, sort_keys=True, default=str).encode("utf-8")
    table = table.replace_schema_metadata({**(table.schema.metadata or {}), b"gametheory_ukraine": blob,
                                           b"PANDAS_ATTRS": blob})
    return write_with(p, lambda tmp: pq.write_table(table, tmp))


def sweep_to_file(model, values: Mapping[str, Any], path: str | os.PathLike, *, form: str | None = None,
                  scenario: str | None = None, method: str = "grid", samples: int | None = None,
                  seed: int | None = None, exact: bool = False, progress: bool | None = None, engine: str = "auto",
                  workers: int = 1, chunk_size: int | None = None, executor: Any = None,
                  checkpoint: str | os.PathLike | None = None, max_points: int | None = None,
                  max_work: int | None = None) -> tuple[Path, dict[str, Any]]:
    """Sweep straight to a ``.parquet`` or ``.csv`` file, chunk by chunk, in bounded memory.

    The path is checked before anything is solved; chunks are solved in order (serially or in *workers*
    processes, :func:`run_chunks`) and each is appended to a temporary file beside *path* (one Parquet row group
    per chunk) that is renamed to *path* only when every chunk is written: no half-written file ever has the final
    name. Memory holds a few chunks at a time, whatever the number of points. The file holds the rows of
    ``write_table(sweep(...), path)`` for the same arguments (Parquet: the same columns and dtypes, and the same
    ``attrs`` except ``rows``, which is known only at the end: it is the file's row count, also stored in the
    footer under ``gametheory_ukraine_rows``).

    Parameters
    ----------
    model, values, form, scenario, method, samples, seed, exact, progress, engine, workers, chunk_size
        As for :func:`sweep`.
    executor, max_points, max_work
        As for :func:`sweep` (with *executor*, chunks are solved on Dask in any order and written in order).
    checkpoint : str or path-like, optional
        As for :func:`sweep`: finished chunks are kept in the folder, a rerun solves only the missing ones, and
        the file is written from the folder, in order, only when every chunk is there.
    path : str or path-like
        ``.parquet`` or ``.csv``.

    Returns
    -------
    path : pathlib.Path
        The file written.
    attrs : dict
        The table's ``attrs`` (as :func:`sweep`), with ``rows``.

    Raises
    ------
    ParameterError, OutputError
        Bad input (before solving) or a bad path (before solving).
    """
    from ..core.files import atomic_path, check_output_path
    from .checkpoint import chunk_tables, resume_seed

    out = check_output_path(path, suffixes=TABLE_SUFFIXES)
    if checkpoint is not None:
        check_apart(out, checkpoint)
    plan = plan_sweep(model, values, form=form, scenario=scenario, method=method, samples=samples,
                      seed=resume_seed(checkpoint, method, seed), exact=exact, engine=engine, chunk_size=chunk_size,
                      max_points=max_points, max_work=max_work)
    attrs = sweep_attrs(plan)
    tables = chunk_tables(plan, workers=workers, progress=progress, executor=executor, checkpoint=checkpoint,
                          output=out)
    rows = 0
    with contextlib.closing(tables), atomic_path(out) as tmp:
        if out.suffix.lower() == ".csv":
            with open(tmp, "w", encoding="utf-8", newline="") as fh:
                for k, frame in enumerate(tables):
                    frame.to_csv(fh, index=False, header=(k == 0))
                    rows += len(frame)
        else:
            import pyarrow as pa
            import pyarrow.parquet as pq

            writer = None
            try:
                for frame in tables:
                    table = pa.Table.from_pandas(frame, preserve_index=False)
                    if writer is None:
                        schema = _stable_schema(table.schema, attrs)
                        writer = pq.ParquetWriter(tmp, schema)
                    writer.write_table(table.cast(schema))
                    rows += len(frame)
                writer.add_key_value_metadata({"gametheory_ukraine_rows": str(rows)})
            finally:
                if writer is not None:
                    writer.close()
        check_model_unchanged(plan)
    attrs["rows"] = rows
    return out, attrs


def check_apart(out: Path, checkpoint: str | os.PathLike) -> None:
    """Refuse an output file that is the checkpoint folder or lies inside it (before anything is solved).

    Raises
    ------
    OutputError
        Naming both paths and the fix.
    """
    target = Path(os.path.realpath(out))
    folder = Path(os.path.realpath(checkpoint))
    if target == folder or folder in target.parents:
        raise OutputError(f"the output file {str(out)!r} would be the checkpoint folder or inside it",
                          path=str(checkpoint), where="--checkpoint",
                          fix="give the checkpoint its own folder, apart from the -o file (e.g. -o table.parquet "
                              "--checkpoint table-chunks)")


def check_model_unchanged(plan: SweepPlan) -> None:
    """Refuse a sweep whose model file changed while it ran (its SHA-256 differs from the plan's).

    Called when every chunk is solved, before the table gets its final name: local workers and Dask workers
    load the model file themselves, so an edit during the run could mix two versions of the model.

    Raises
    ------
    ModelFileError
        The file changed or is gone (with the fix: run the sweep again).
    """
    import hashlib

    model = plan.model
    if not model.path or not model.sha256 or not os.path.isfile(model.path):
        if model.path and model.sha256 and not os.path.exists(model.path):
            raise ModelFileError("the model file was removed while the sweep ran", path=model.path,
                                 fix="restore it and run the sweep again")
        return
    h = hashlib.sha256()
    with open(model.path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    if h.hexdigest() != model.sha256:
        raise ModelFileError("the model file changed while the sweep ran (its SHA-256 differs from the one the "
                             "sweep started with); nothing was written", path=model.path,
                             fix="run the sweep again when the file is final (results of two versions of a model "
                                 "are never mixed)")


def _stable_schema(schema, attrs: Mapping[str, Any]):
    """The first chunk's schema with the categorical columns as dictionary<int32, string> (so every chunk casts
    to it, whatever its categories) and the sweep's attrs (without ``rows``, added at the end) in the metadata."""
    import pyarrow as pa

    fields = [pa.field(f.name, pa.dictionary(pa.int32(), pa.string())) if f.name in CATEGORICAL_COLUMNS else f
              for f in schema]
    meta = dict(schema.metadata or {})
    meta.pop(b"pandas", None)  # written per chunk by from_pandas; the categories differ between chunks
    blob = json.dumps(dict(attrs), sort_keys=True, default=str).encode("utf-8")
    meta.update({b"gametheory_ukraine": blob, b"PANDAS_ATTRS": blob})
    return pa.schema(fields, metadata=meta)
