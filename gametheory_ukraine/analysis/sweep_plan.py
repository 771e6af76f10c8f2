"""Sweep plans: check a sweep's input and fix everything it needs, without solving it (one probe point aside).

A :class:`SweepPlan` holds everything a sweep needs (model, form, scenario, the design's specs and seed, the
values of the other parameters, exactness, engine, chunk size, the table's columns) and nothing computed per
point; :func:`plan_sweep` makes one. Chunk ``i`` of a plan is the design's rows ``i * chunk_size`` up to the
next chunk; :mod:`gametheory_ukraine.analysis.sweep_chunks` solves a chunk into its rows of the table.

Planning checks the input before solving anything (parameter names, specs, bounds, the design's arguments, the
number of points against the budget), chooses the engine (:func:`choose_engine`), checks the work against its
budget (:func:`check_sweep_work`) and solves one probe point
(:func:`~gametheory_ukraine.analysis.sweep_points.solve_point`) to fix the table's columns and the typical number
of equilibria, from which it sets the default chunk size and -- for a table built in memory
(:func:`plan_in_memory`) -- estimates the table's size (:func:`estimate_size`) against ``max_rows`` and the
memory available now.

Pickling a plan sends the model *by file* when it was loaded from one: the receiving process loads the file (once
per process: :func:`gametheory_ukraine.load_model` caches it, with its compiled games) and refuses to go on if the
file's SHA-256 differs from the plan's, so a sweep never mixes results of two versions of a model.

Engines (``plan.engine``), chosen by :func:`choose_engine`:

``"tree"``
    Float sweeps of trees of perfect information but for simultaneous 2 x 2 stages: batched backward induction
    (:mod:`gametheory_ukraine.batched.trees`).
``"bimatrix"``
    Float sweeps of two-player normal forms: one exact solve per combinatorial type
    (:mod:`gametheory_ukraine.batched.structural`), degenerate games included.
``"nplayer"``
    Float sweeps of N-player normal forms (N >= 3) of at most 27 cells: support enumeration in closed form over
    the points (:mod:`gametheory_ukraine.batched.n_player`), near-degenerate points solved on the exact path.
``"scalar"``
    One scalar solve per point (exact sweeps, larger N-player normal forms, trees with other imperfect information).
"""

from __future__ import annotations

import difflib
import math
import numbers
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from fractions import Fraction
from typing import Any

import numpy as np

from .._version import __version__
from ..batched.n_player import MAX_CELLS
from ..batched.structural import check_structured
from ..batched.trees import stages
from ..core.errors import ParameterError, SolverError
from ..core.numbers import format_exact
from ..games.tree import GameTree
from ..modelling.registry import load_model
from ..solvers.results import table_columns
from . import sweep_points  # solve_point is looked up on its module when called (see sweep_points)
from .designs import (
    SAMPLED_METHODS,
    Spec,
    as_spec,
    check_count,
    check_method,
    check_points,
    check_samples,
    check_seed,
    design,
    design_slice,
    design_specs,
)
from .sweep_points import point_error, result_layout

__all__ = ["SweepPlan", "plan_sweep", "plan_in_memory", "choose_engine", "game_size", "check_sweep_work",
           "estimate_size", "too_big", "sweep_attrs", "ENGINES", "MAX_SWEEP_WORK", "SCALAR_WEIGHT"]

ENGINES = ("auto", "batched", "scalar")

#: Default budget of a sweep's work (``gtu sweep --max-work``, ``max_work=``): points x the game's size (nodes
#: of a tree, cells x players of a normal form), x :data:`SCALAR_WEIGHT` on the scalar engine. The batched
#: engines take about 0.1-1 us a unit, so 2 * 10**9 units are at most about half an hour.
MAX_SWEEP_WORK = 2 * 10**9
#: The scalar engine solves each point on its own (instantiate, solve, certify): about 1000 times the time of a
#: batched unit (measured: about 1 ms a node of a tree).
SCALAR_WEIGHT = 1000

_BYTES_PER_CELL = 16  # 8 bytes in the final frame, ~8 more while it is built and copied
_BYTES_PER_POINT = 100  # per-point bookkeeping while solving (counts, flags, the design row)
# default rows per chunk of the batched engines: the tree engine's temporaries grow with the tree (about 5 kB a
# point for the framework trees), the bimatrix engine's with the game (about 1 kB a point for 4 x 4 games)
_BATCHED_CHUNK_ROWS = {"tree": 2**16, "bimatrix": 2**18, "nplayer": 2**16}


@dataclass(frozen=True, eq=False)
class SweepPlan:
    """Everything a sweep needs, nothing computed per point; see the module docstring.

    Attributes
    ----------
    model : Model
    form : str
    scenario : str or None
    method : str
        ``grid``, ``lhs``, ``mc`` or ``sobol``.
    samples : int or None
    seed : int or None
        The seed the design used (None for grids).
    exact : bool
    engine : {"tree", "bimatrix", "nplayer", "scalar"}
    specs : tuple of (str, Spec)
        The varied parameters, in order.
    base : tuple of (str, value)
        Every parameter's value apart from the varied ones (scenario, then fixed specs), exact.
    points : int
    chunk_size : int
    pay_cols, prob_cols : tuple of str
        The table's payoff and probability columns.
    where : tuple
        Where each probability column lives in a strategy: (player, infoset or None, action).
    tol : float
    lhs : dict, optional
        The whole design's columns, for Latin hypercube designs (which cannot be cut).
    """

    model: Any
    form: str
    scenario: str | None
    method: str
    samples: int | None
    seed: int | None
    exact: bool
    engine: str
    specs: tuple
    base: tuple
    points: int
    chunk_size: int
    pay_cols: tuple
    prob_cols: tuple
    where: tuple
    tol: float = 1e-9
    lhs: Any = field(default=None, repr=False)

    @property
    def n_chunks(self) -> int:
        return max(1, math.ceil(self.points / self.chunk_size))

    def bounds(self, i: int) -> tuple[int, int]:
        """Rows ``[lo, hi)`` of the design in chunk *i*."""
        if not 0 <= i < self.n_chunks:
            raise ParameterError(f"chunk {i} does not exist; the plan has {self.n_chunks}",
                                 fix=f"use 0 <= i < {self.n_chunks}")
        lo = i * self.chunk_size
        return lo, min(self.points, lo + self.chunk_size)

    def chunk_points(self, i: int) -> int:
        """Number of the design's points in chunk *i*."""
        lo, hi = self.bounds(i)
        return hi - lo

    def design(self, i: int) -> dict[str, np.ndarray]:
        """The varied parameters' values in chunk *i*: name -> array of shape (hi - lo,)."""
        lo, hi = self.bounds(i)
        return design_slice(dict(self.specs), method=self.method, samples=self.samples, seed=self.seed, lo=lo,
                            hi=hi, exact=self.exact, full=self.lhs)

    @property
    def columns(self) -> list[str]:
        """The table's columns, in order."""
        varied = [name for name, _ in self.specs]
        others = [name for name in self.model.parameters if name not in varied]
        return (["point_id", *varied, *others, "equilibrium", "n_equilibria", "outcome", "outcome_key",
                 *self.pay_cols, *self.prob_cols, "regret", "complete"])

    def __reduce__(self):
        state = {f.name: getattr(self, f.name) for f in fields(self)}
        model = state.pop("model")
        # a model file is reloaded by path (small pickles; its SHA-256 is checked); a Gambit game travels whole, so a
        # worker never refuses a game the parent loaded under a raised --max-size
        by_path = bool(model.path) and model.path.lower().endswith((".yaml", ".yml")) and os.path.isfile(model.path)
        ref = ("path", model.path, model.sha256) if by_path else ("model", model)
        return (_rebuild_plan, (ref, state))


def _rebuild_plan(ref: tuple, state: dict) -> SweepPlan:
    if ref[0] == "model":
        return SweepPlan(model=ref[1], **state)
    _, path, sha = ref
    model = load_model(path)
    if model.sha256 != sha:
        raise ParameterError("the model file changed after the sweep was planned (its SHA-256 differs)",
                             where=path, fix="plan the sweep again (results of two versions are never mixed)")
    return SweepPlan(model=model, **state)


def choose_engine(model, form: str, exact: bool, engine: str, fixed: Mapping[str, Any] | None = None) -> str:
    """The engine of a sweep: ``"tree"``, ``"bimatrix"``, ``"nplayer"`` or ``"scalar"`` (see the module docstring).

    *fixed* (name -> value) are the parameters that keep one value at every point of the sweep (all but the
    varied ones): a big two-player normal form goes to the bimatrix engine when they leave it one free
    parameter (:func:`~gametheory_ukraine.batched.structural.check_structured`). None: every parameter may vary.

    Raises
    ------
    ParameterError
        An unknown *engine*, or ``engine="batched"`` for a game no batched engine solves.
    """
    if engine not in ENGINES:
        raise ParameterError(f"unknown engine {engine!r}", fix="use 'auto', 'batched' or 'scalar'")
    if engine == "scalar" or (engine == "auto" and exact):
        return "scalar"
    game = model.symbolic(form)
    if isinstance(game, GameTree):
        if stages(game) is not None:
            return "tree"
        reason = "a tree with imperfect information other than simultaneous 2 x 2 stages"
    elif len(game.players) == 2:
        try:
            check_structured(game, fixed)
            return "bimatrix"
        except SolverError as exc:
            reason = str(exc)
    elif len(game.players) >= 3 and math.prod(len(a) for a in game.actions) <= MAX_CELLS:
        return "nplayer"
    else:
        reason = f"a {len(game.players)}-player normal form of more than {MAX_CELLS} cells"
    if engine == "batched":
        raise ParameterError(f"no batched engine for {model.name} {form}: {reason}",
                             fix="use engine='auto' or 'scalar'")
    return "scalar"


def game_size(game) -> int:
    """The size a sweep's work grows with: a tree's nodes, or a normal form's cells x players.

    Examples
    --------
    >>> import gametheory_ukraine as gtu
    >>> game_size(gtu.load_model("chain-store").symbolic("sequential"))
    5
    """
    if hasattr(game, "infosets"):
        return sum(1 for _ in game.nodes())
    return math.prod(len(a) for a in game.actions) * len(game.actions)


def check_sweep_work(model, form: str, engine: str, points: int, *, max_work: int | None = None,
                     what: str = "the sweep's", option: str = "--max-work", points_option: str = "points") -> int:
    """Estimate a sweep's work (points x :func:`game_size`, x :data:`SCALAR_WEIGHT` on the scalar engine) and
    refuse it past *max_work* (default :data:`MAX_SWEEP_WORK`) before any point is solved; return the estimate.

    Raises
    ------
    ParameterError
        With the estimate, the budget and the options that lower the work or raise the budget.
    """
    cap = MAX_SWEEP_WORK if max_work is None else check_count(max_work, "max_work", option="--max-work")
    game = model.symbolic(form)
    size = game_size(game)
    weight = SCALAR_WEIGHT if engine == "scalar" else 1
    work = int(points) * size * weight
    if work > cap:
        size_text = f"{size:,} nodes" if hasattr(game, "infosets") else f"{size:,} cells x players"
        engine_note = f" x {weight} (scalar engine)" if weight > 1 else ""
        raise ParameterError(f"{what} work is {points:,} points x {size_text}{engine_note} = {work:,} units, "
                             f"more than the budget of {cap:,}", where=option,
                             fix=f"use fewer {points_option} (at most {max(1, cap // (size * weight)):,}), or raise "
                                 f"the budget with {option} {work} (max_work=)")
    return work


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


def too_big(what: str, points: int, rows: int, limit_rows: int, method: str, first: str | None) -> ParameterError:
    """The error for a table too big to hold (*what* says why), with how to split the sweep into runs of at most
    *limit_rows* rows: by *first*, the first varied parameter, for grids; by samples and seeds for sampled
    designs."""
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


# ------------------------------------------------------------------------------------------ planning
def _check_names(model, names) -> None:
    for name in names:
        if name not in model.parameters:
            close = difflib.get_close_matches(name, list(model.parameters), n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            raise ParameterError(f"model {model.name!r} has no parameter {name!r}", where=name,
                                 fix=hint + "known parameters: " + ", ".join(model.parameters))


def sweep_attrs(plan: SweepPlan) -> dict[str, Any]:
    """The ``attrs`` of a sweep's table (see :func:`~gametheory_ukraine.analysis.sweep.sweep`), without ``rows``."""
    varied = [name for name, _ in plan.specs]
    base = dict(plan.base)
    return {"model": plan.model.name, "model_sha256": plan.model.sha256, "form": plan.form,
            "scenario": plan.scenario, "method": plan.method, "samples": plan.samples, "seed": plan.seed,
            "exact": bool(plan.exact), "varied": varied, "specs": {name: str(s) for name, s in plan.specs},
            "parameters": {name: _text(base[name]) for name in plan.model.parameters if name not in varied},
            "points": int(plan.points), "engine": plan.engine, "chunk_size": int(plan.chunk_size),
            "package": "gametheory_ukraine", "version": __version__}


def _text(value: Any) -> str:
    return format_exact(value) if isinstance(value, Fraction) else repr(value)


def plan_sweep(model, values: Mapping[str, Any], *, form: str | None = None, scenario: str | None = None,
               method: str = "grid", samples: int | None = None, seed: int | None = None, exact: bool = False,
               engine: str = "auto", chunk_size: int | None = None, max_points: int | None = None,
               max_work: int | None = None) -> SweepPlan:
    """Check a sweep's input and plan it in chunks, without solving it (one probe point fixes the columns).

    Takes the arguments of :func:`~gametheory_ukraine.analysis.sweep.sweep` (without the in-memory limits). The
    plan is what :func:`~gametheory_ukraine.analysis.sweep_chunks.solve_chunk` solves, chunk by chunk, serially,
    in local processes (:func:`~gametheory_ukraine.analysis.executors.run_chunks`) or on Dask workers
    (:mod:`gametheory_ukraine.analysis.distributed`).

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
        As :func:`~gametheory_ukraine.analysis.sweep.sweep`.
    """
    return _plan(model, values, form=form, scenario=scenario, method=method, samples=samples, seed=seed,
                 exact=exact, engine=engine, chunk_size=chunk_size, max_rows=None, in_memory=False,
                 max_points=max_points, max_work=max_work)[0]


def plan_in_memory(model, values: Mapping[str, Any], *, form: str | None = None, scenario: str | None = None,
                   method: str = "grid", samples: int | None = None, seed: int | None = None, exact: bool = False,
                   engine: str = "auto", chunk_size: int | None = None, max_rows: int = 50_000_000,
                   max_points: int | None = None, max_work: int | None = None) -> tuple[SweepPlan, int]:
    """:func:`plan_sweep` for a table built in memory: also refuse, before solving all points, a table whose
    estimated rows exceed *max_rows* or whose estimated bytes exceed the memory available now
    (:func:`estimate_size`; the error says how to split the sweep, :func:`too_big`).

    Returns
    -------
    plan : SweepPlan
    rows : int
        The estimated rows: points x the probe point's number of equilibria (at least 1).

    Raises
    ------
    ParameterError
        As :func:`~gametheory_ukraine.analysis.sweep.sweep`.
    """
    return _plan(model, values, form=form, scenario=scenario, method=method, samples=samples, seed=seed,
                 exact=exact, engine=engine, chunk_size=chunk_size, max_rows=max_rows, in_memory=True,
                 max_points=max_points, max_work=max_work)


def _plan(model, values, *, form, scenario, method, samples, seed, exact, engine, chunk_size, max_rows,
          in_memory: bool, max_points: int | None = None, max_work: int | None = None) -> tuple[SweepPlan, int]:
    if isinstance(model, (str, os.PathLike)):
        model = load_model(model)
    form = model.form_name(form)
    base = model.values(scenario)  # also checks the scenario
    if not isinstance(values, Mapping):
        raise ParameterError(f"values must map parameter names to values, not {type(values).__name__}",
                             fix="pass e.g. {'rho': '0.01:0.5:101'}")
    _check_names(model, values)
    check_method(method)
    samples = check_samples(method, samples)
    check_seed(seed)
    if max_rows is not None and (isinstance(max_rows, bool) or not isinstance(max_rows, numbers.Integral)
                                 or max_rows < 1):
        raise ParameterError(f"max_rows={max_rows!r} is not a whole number >= 1", fix="give e.g. max_rows=10_000_000")
    if chunk_size is not None and (isinstance(chunk_size, bool) or not isinstance(chunk_size, numbers.Integral)
                                   or chunk_size < 1):
        raise ParameterError(f"chunk_size={chunk_size!r} is not a whole number >= 1", fix="give e.g. 65536")
    specs: dict[str, Spec] = design_specs({name: as_spec(v, where=name) for name, v in values.items()}, method)
    for name, s in specs.items():
        for v in (s.lo, s.hi):
            model.parameters[name].check(v, where=name)
    fixed = {name: s.lo for name, s in specs.items() if s.kind == "fixed"}
    varied = {name: s for name, s in specs.items() if s.kind != "fixed"}
    base.update(fixed)
    chosen = choose_engine(model, form, exact, engine, {k: v for k, v in base.items() if k not in varied})

    points = samples if method in SAMPLED_METHODS else math.prod(s.size for s in varied.values())
    first = next(iter(varied), None)
    check_points(points, method=method, max_points=max_points)
    if max_rows is not None and points > max_rows:
        raise too_big(f"{points:,} points make at least {points:,} rows, more than max_rows={max_rows:,}",
                       points, points, max_rows, method, first)

    # One probe solve fixes the columns and the typical number of equilibria (for the size estimate and the
    # default chunk size): at the ranges' first values for grids and lists (a point of the design), at the
    # ranges' midpoints for sampled designs (the low corner is not a design point, and a box's corner is where
    # ties pile up: every weight at 0).
    if method in SAMPLED_METHODS:
        corner = {name: (s.lo + s.hi) / 2 for name, s in varied.items()}
    else:
        corner = {name: s.first() for name, s in varied.items()}
    corner.update(fixed)
    # the bimatrix engine answers with the exact solver's equilibria: its probe takes the exact path too (which
    # on these degenerate games is also faster than the float solver: 0.4 s against 1.4 s for territory's 6 x 14)
    probe_exact = bool(exact) or chosen == "bimatrix"
    corner = {k: (v if probe_exact else float(v)) for k, v in corner.items()}
    check_sweep_work(model, form, chosen, points, max_work=max_work)
    # the batched N-player engine answers with the scalar solver's equilibria where it certifies a point: it probes
    # in milliseconds what the scalar float solver takes about 0.04 s to (0.1 s cold) on the 3-player fixture
    nplayer = chosen == "nplayer" and not probe_exact
    found = sweep_points.batched_count(model, form, scenario, corner) if nplayer else None
    if found is not None:
        game = model.symbolic(form)
        pay_cols, prob_cols, where = table_columns(game.players, "normal", game.actions)
    else:
        try:
            probe = sweep_points.solve_point(model, form, scenario, corner, probe_exact)
        except (ParameterError, SolverError, TypeError, ValueError, ArithmeticError) as exc:
            # a payoff undefined, infinite or complex at the first point
            raise point_error(exc, {name: corner[name] for name in varied}) from None
        pay_cols, prob_cols, where = result_layout(probe)
        found = len(probe)
    n_columns = 1 + len(model.parameters) + 3 + len(pay_cols) + len(prob_cols) + 2
    if max_rows is not None:
        rows_est, bytes_est = estimate_size(points, found, n_columns, design_columns=len(varied), exact=exact)
        avail = _available_memory()
        if rows_est > max_rows:
            raise too_big(f"{points:,} points x ~{max(1, found)} equilibria ~ {rows_est:,} rows, more than "
                           f"max_rows={max_rows:,}", points, rows_est, max_rows, method, first)
        if in_memory and avail is not None and bytes_est > avail:
            per_row = max(1, bytes_est // rows_est)
            raise too_big(f"~{rows_est:,} rows need ~{bytes_est / 2**30:.1f} GiB, more than the "
                           f"{avail / 2**30:.1f} GiB of memory available", points, rows_est, avail // per_row,
                           method, first)
    if chunk_size is None:
        chunk_size = 256 if chosen == "scalar" else max(1024, _BATCHED_CHUNK_ROWS[chosen] // max(1, found))
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
    return plan, int(points) * max(1, found)

