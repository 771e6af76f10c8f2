"""Sweeps in chunks: a picklable plan, one pure function per chunk, and the chunk's table.

A :class:`SweepPlan` holds everything a sweep needs (model, form, scenario, the design's specs and seed, the
values of the other parameters, exactness, engine, chunk size, the table's columns) and nothing computed per
point. :func:`solve_chunk` solves chunk ``i`` of a plan -- the design's rows ``i * chunk_size`` up to the next
chunk -- and returns its rows of the sweep table, with global ``point_id``. It is a pure function of
``(plan, i)``: serial runs, local processes and Dask workers call the same function and so produce the same rows,
and chunks can be computed in any order and concatenated by index.

Pickling a plan sends the model *by file* when it was loaded from one: the receiving process loads the file (once
per process: :func:`gametheory_ukraine.load_model` caches it, with its compiled games) and refuses to go on if the
file's SHA-256 differs from the plan's, so a sweep never mixes results of two versions of a model.

Engines (``plan.engine``), chosen by :func:`choose_engine`:

``"tree"``
    Float sweeps of perfect-information trees: batched backward induction
    (:mod:`gametheory_ukraine.batched.trees`).
``"bimatrix"``
    Float sweeps of two-player normal forms: one exact solve per combinatorial type
    (:mod:`gametheory_ukraine.batched.structural`), degenerate games included.
``"scalar"``
    One scalar solve per point (exact sweeps, N-player normal forms, imperfect-information trees).

All engines give the exact scalar solver's equilibria (the batched ones re-solve doubtful points on it); see the
agreement tests in ``tests/test_batched_*.py``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np
import pandas as pd

from ..errors import ParameterError, SolverError
from .designs import design_slice

__all__ = ["SweepPlan", "solve_chunk", "choose_engine", "concat_tables", "CATEGORICAL_COLUMNS", "ENGINES"]

ENGINES = ("auto", "batched", "scalar")
CATEGORICAL_COLUMNS = ("outcome", "outcome_key")


# ------------------------------------------------------------------------------------------- plan
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
    engine : {"tree", "bimatrix", "scalar"}
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
        import os

        ref = ("path", model.path, model.sha256) if model.path and os.path.isfile(model.path) else ("model", model)
        return (_rebuild_plan, (ref, state))


def _rebuild_plan(ref: tuple, state: dict) -> SweepPlan:
    if ref[0] == "model":
        return SweepPlan(model=ref[1], **state)
    from ..registry import load_model

    _, path, sha = ref
    model = load_model(path)
    if model.sha256 != sha:
        raise ParameterError("the model file changed after the sweep was planned (its SHA-256 differs)",
                             where=path, fix="plan the sweep again (results of two versions are never mixed)")
    return SweepPlan(model=model, **state)


def choose_engine(model, form: str, exact: bool, engine: str) -> str:
    """The engine of a sweep: ``"tree"``, ``"bimatrix"`` or ``"scalar"`` (see the module docstring).

    Raises
    ------
    ParameterError
        An unknown *engine*, or ``engine="batched"`` for a game no batched engine solves.
    """
    from ..games.tree import GameTree

    if engine not in ENGINES:
        raise ParameterError(f"unknown engine {engine!r}", fix="use 'auto', 'batched' or 'scalar'")
    if engine == "scalar" or (engine == "auto" and exact):
        return "scalar"
    game = model.symbolic(form)
    if isinstance(game, GameTree):
        if game.perfect_information:
            return "tree"
        reason = "a tree with imperfect information"
    elif len(game.players) == 2:
        try:
            _structure_for(model, form)
            return "bimatrix"
        except SolverError as exc:
            reason = str(exc)
    else:
        reason = f"a {len(game.players)}-player normal form"
    if engine == "batched":
        raise ParameterError(f"no batched engine for {model.name} {form}: {reason}",
                             fix="use engine='auto' or 'scalar'")
    return "scalar"


_STRUCTURES: dict = {}


def _structure_for(model, form: str):
    """The compiled structure of a model's two-player normal form, once per process and model version."""
    from ..batched.structural import compile_structure

    key = (model.name, model.sha256, form, id(model.symbolic(form)))
    if key not in _STRUCTURES:
        if len(_STRUCTURES) >= 16:
            _STRUCTURES.clear()
        _STRUCTURES[key] = compile_structure(model.symbolic(form))
    return _STRUCTURES[key]


# ------------------------------------------------------------------------------------------- rows
@dataclass
class _Rows:
    """One chunk's rows before they become a table. ``point`` indexes the chunk's points."""

    point: np.ndarray          # (R,) int64
    equilibrium: np.ndarray    # (R,) int64, -1 for a point without equilibria
    n_equilibria: np.ndarray   # (n,) int64
    numeric: np.ndarray        # (R, K) float64: payoffs, probabilities, regret
    outcome: list              # (R,) str or None
    outcome_key: list          # (R,) str or None
    complete: np.ndarray       # (n,) bool


def _point_values(plan: SweepPlan, cols: Mapping[str, np.ndarray], p: int) -> dict[str, Any]:
    vals = dict(plan.base)
    for name, arr in cols.items():
        v = arr[p]
        vals[name] = v.item() if isinstance(v, np.generic) else v
    if not plan.exact:
        vals = {k: float(v) for k, v in vals.items()}
    return vals


def _scalar_rows(plan: SweepPlan, cols: Mapping[str, np.ndarray], n: int) -> _Rows:
    from . import sweep as sweep_module
    from .signature import outcome_key

    blocks, outcomes, keys = [], [], []
    n_eq = np.zeros(n, dtype=np.int64)
    complete = np.zeros(n, dtype=bool)
    for p in range(n):
        res = sweep_module._solve_point(plan.model, plan.form, plan.scenario, _point_values(plan, cols, p),
                                        plan.exact)
        blocks.append(sweep_module._numeric_block(res, plan.where))
        n_eq[p] = len(res)
        complete[p] = bool(res.complete)
        outcomes.extend(eq.outcome for eq in res.equilibria)
        keys.extend(outcome_key(eq, res.exact) for eq in res.equilibria)
        if not len(res):
            outcomes.append(None)
            keys.append(None)
    counts = np.maximum(1, n_eq)
    point = np.repeat(np.arange(n, dtype=np.int64), counts)
    starts = np.repeat(np.cumsum(counts) - counts, counts)
    eq_index = np.where(np.repeat(n_eq, counts) > 0, np.arange(len(point), dtype=np.int64) - starts, -1)
    numeric = np.concatenate(blocks) if blocks else np.zeros((0, len(plan.pay_cols) + len(plan.prob_cols) + 1))
    return _Rows(point, eq_index, n_eq, numeric, outcomes, keys, complete)


def _tree_rows(plan: SweepPlan, cols: Mapping[str, np.ndarray], n: int) -> _Rows:
    from ..batched.trees import solve_tree_points

    tree = plan.model.symbolic(plan.form)
    params = {k: float(v) for k, v in plan.base if k in tree.parameters}
    params.update({k: np.asarray(v, dtype=float) for k, v in cols.items()})
    res = solve_tree_points(plan.model, plan.form, plan.scenario, params, exact=False, tol=plan.tol)
    rows = len(res.point)
    numeric = np.empty((rows, len(plan.pay_cols) + len(plan.prob_cols) + 1))
    numeric[:, :len(plan.pay_cols)] = res.payoffs
    offset = len(plan.pay_cols)
    for c, (_, h, a) in enumerate(plan.where):
        numeric[:, offset + c] = res.choices[:, res.infosets.index(h)] == a
    numeric[:, -1] = res.regret
    return _Rows(res.point, res.equilibrium, res.n_equilibria, numeric, res.outcome, res.outcome_key,
                 res.complete)


def _bimatrix_rows(plan: SweepPlan, cols: Mapping[str, np.ndarray], n: int) -> _Rows:
    from ..batched.structural import structured_equilibria
    from ..solving import describe_outcome

    model, form = plan.model, plan.form
    struct = _structure_for(model, form)
    game = struct.game
    params = {k: float(v) for k, v in plan.base if k in struct.parameters}
    params.update({k: np.asarray(v, dtype=float) for k, v in cols.items() if k in struct.parameters})

    def exact_payoffs(p: int):
        vals = dict(plan.base)
        vals.update({k: float(v[p]) for k, v in cols.items()})
        return game.instantiate(vals, exact=True).payoffs

    res = structured_equilibria(struct, params, exact_payoffs=exact_payoffs, tol=plan.tol)
    m, k = game.shape
    rows = len(res.point)
    numeric = np.empty((rows, 2 + m + k + 1))
    numeric[:, :2] = res.payoffs
    numeric[:, 2:2 + m] = res.x
    numeric[:, 2 + m:2 + m + k] = res.y
    numeric[:, -1] = _regret(res, params, struct)
    # Outcomes: the distribution over the cells' labels (as the scalar solver's _outcome_distribution).
    labels: list[str] = []
    cell = np.empty((m, k), dtype=np.int64)
    for i in range(m):
        for j in range(k):
            lab = game.outcome((i, j))
            lab = lab if lab is not None else f"{game.actions[0][i]} / {game.actions[1][j]}"
            if lab not in labels:
                labels.append(lab)
            cell[i, j] = labels.index(lab)
    dist = np.zeros((rows, len(labels)))
    for i in range(m):
        for j in range(k):
            dist[:, cell[i, j]] += res.x[:, i] * res.y[:, j]
    support = np.zeros((rows, len(labels)), dtype=bool)
    for i in range(m):
        for j in range(k):
            support[:, cell[i, j]] |= (res.x[:, i] != 0) & (res.y[:, j] != 0)
    lottery = support.sum(axis=1) > 1
    label_arr = np.array(labels, dtype=object)
    outcome = label_arr[support.argmax(axis=1)]
    key = outcome.copy()
    for r in np.flatnonzero(lottery).tolist():
        d = {labels[c]: float(dist[r, c]) for c in np.flatnonzero(support[r])}
        outcome[r] = describe_outcome(d)
        kept = sorted(lab for lab, v in d.items() if abs(v) > plan.tol)
        key[r] = kept[0] if len(kept) == 1 else "lottery: " + ", ".join(kept)
    equilibrium = np.arange(rows, dtype=np.int64) - res.offsets[res.point]
    return _Rows(res.point, equilibrium, res.counts, numeric, outcome.tolist(), key.tolist(),
                 np.ones(n, dtype=bool))


def _regret(res, params, struct) -> np.ndarray:
    """Each equilibrium's regret (the larger of the two players' best-response gains), recomputed on the float
    payoffs; 0.0 for points solved exactly (exact regret)."""
    A, B = struct.compiled.payoffs(params)
    Ap, Bp = A[res.point], B[res.point]
    Ay = np.einsum("rij,rj->ri", Ap, res.y)
    xB = np.einsum("ri,rij->rj", res.x, Bp)
    gain = np.maximum(Ay.max(axis=1) - (res.x * Ay).sum(axis=1), xB.max(axis=1) - (res.y * xB).sum(axis=1))
    gain = np.maximum(gain, 0.0)
    gain[res.flagged[res.point]] = 0.0
    return gain


_ENGINE_ROWS = {"scalar": _scalar_rows, "tree": _tree_rows, "bimatrix": _bimatrix_rows}


# ------------------------------------------------------------------------------------------ table
def _categorical(values: list) -> pd.Categorical:
    """Strings (None for missing) as a categorical with sorted categories (so tables of different chunks
    concatenate to the same table, whatever the chunking)."""
    codes, uniques = pd.factorize(np.asarray(values, dtype=object), sort=True, use_na_sentinel=True)
    return pd.Categorical.from_codes(codes, categories=pd.Index(list(uniques)))


def _table(plan: SweepPlan, lo: int, cols: Mapping[str, np.ndarray], rows: _Rows) -> pd.DataFrame:
    point = rows.point
    R = len(point)
    varied = [name for name, _ in plan.specs]
    base = dict(plan.base)
    table: dict[str, Any] = {"point_id": point + lo}
    for name in varied:
        table[name] = np.asarray(cols[name], dtype=float)[point]
    for name in plan.model.parameters:
        if name not in varied:
            table[name] = np.full(R, float(base[name]))
    table["equilibrium"] = rows.equilibrium
    table["n_equilibria"] = rows.n_equilibria[point]
    table["outcome"] = _categorical(rows.outcome)
    table["outcome_key"] = _categorical(rows.outcome_key)
    numeric = np.ascontiguousarray(rows.numeric.T)
    for c, name in enumerate([*plan.pay_cols, *plan.prob_cols, "regret"]):
        table[name] = numeric[c]
    table["complete"] = rows.complete[point]
    return pd.DataFrame(table, copy=False)


def solve_chunk(plan: SweepPlan, i: int) -> pd.DataFrame:
    """Rows of the sweep table for chunk *i* of *plan* (a pure function of its arguments).

    Parameters
    ----------
    plan : SweepPlan
    i : int
        ``0 <= i < plan.n_chunks``.

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`~gametheory_ukraine.analysis.sweep.sweep`, rows of the design's points
        ``plan.bounds(i)`` (``point_id`` global), one per (point, equilibrium); ``attrs`` empty.

    Examples
    --------
    >>> import gametheory_ukraine as gtu
    >>> from gametheory_ukraine.analysis.sweep import plan_sweep
    >>> plan = plan_sweep("territory", {"rho": "0.01:0.05:5"}, form="sequential", scenario="baseline-2025",
    ...                   chunk_size=2)
    >>> plan.n_chunks, plan.engine
    (3, 'tree')
    >>> solve_chunk(plan, 1)[["point_id", "rho", "outcome"]]
       point_id   rho                      outcome
    0         2  0.03  settlement on Russian terms
    1         3  0.04                war continues
    """
    lo, hi = plan.bounds(i)
    cols = plan.design(i)
    rows = _ENGINE_ROWS[plan.engine](plan, cols, hi - lo)
    return _table(plan, lo, cols, rows)


def concat_tables(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate chunk tables in order into one (categorical columns over the union of their categories,
    sorted; a fresh RangeIndex)."""
    if len(frames) == 1:
        return frames[0]
    union = {c: sorted({v for f in frames for v in f[c].cat.categories}) for c in CATEGORICAL_COLUMNS}
    fixed = [f.assign(**{c: f[c].cat.set_categories(union[c]) for c in CATEGORICAL_COLUMNS}) for f in frames]
    return pd.concat(fixed, ignore_index=True)
