"""The chunk solver: one chunk of a sweep plan solved into its rows of the sweep table.

:func:`solve_chunk` solves chunk ``i`` of a :class:`~gametheory_ukraine.analysis.sweep_plan.SweepPlan` -- the
design's rows ``i * chunk_size`` up to the next chunk -- and returns its rows of the sweep table, with global
``point_id``. It is a pure function of ``(plan, i)``: serial runs, local processes and Dask workers call the same
function and so produce the same rows, and chunks can be computed in any order and concatenated by index
(:func:`concat_tables`). :class:`TableBuilder` writes the rows of one or many chunks straight into the table's
final columns; :func:`chunk_error` restates a chunk's failure with the chunk's point range.

The plan's engine (:func:`~gametheory_ukraine.analysis.sweep_plan.choose_engine`) solves the chunk's points:
batched backward induction for perfect-information trees (:mod:`gametheory_ukraine.batched.trees`), one exact
solve per combinatorial type for two-player normal forms (:mod:`gametheory_ukraine.batched.structural`), closed-form
support enumeration for small N-player normal forms (:mod:`gametheory_ukraine.batched.n_player`), or one
scalar solve per point (:func:`~gametheory_ukraine.analysis.sweep_points.solve_point`). All engines give the exact
scalar solver's equilibria (the batched ones re-solve doubtful points on it).
"""

from __future__ import annotations

import ctypes
import itertools
import sys
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..batched.n_player import batched_nash
from ..batched.structural import compile_structure, structured_equilibria
from ..batched.trees import solve_tree_points
from ..core.errors import GTUError, ParameterError, SolverError
from ..solvers.signature import outcome_key
from ..solvers.solving import describe_outcome
from . import sweep_points  # solve_point is looked up on its module when called (see sweep_points)
from .sweep_plan import SweepPlan
from .sweep_points import compiled_normal_form, numeric_block, point_error

__all__ = ["solve_chunk", "chunk_rows", "solve_columns", "TableBuilder", "concat_tables", "chunk_error", "chunk_label",
           "CATEGORICAL_COLUMNS"]

CATEGORICAL_COLUMNS = ("outcome", "outcome_key")

_STRUCTURES: dict = {}


def _structure_for(plan: SweepPlan):
    """The compiled structure of a plan's two-player normal form with the plan's other parameters fixed: once
    per process, model version and set of fixed values (every chunk of a sweep shares it, and with it the
    combinatorial types already solved)."""
    model, form = plan.model, plan.form
    game = model.symbolic(form)
    varied = {name for name, _ in plan.specs}
    fixed = tuple((k, v) for k, v in plan.base if k not in varied and k in game.parameters)
    key = (model.name, model.sha256, form, id(game), fixed)
    if key not in _STRUCTURES:
        if len(_STRUCTURES) >= 16:
            _STRUCTURES.clear()
        _STRUCTURES[key] = compile_structure(game, dict(fixed))
    return _STRUCTURES[key]


# ------------------------------------------------------------------------------------------- rows
@dataclass
class _Rows:
    """One chunk's rows before they become a table. ``point`` indexes the chunk's points."""

    point: np.ndarray          # (R,) int64
    equilibrium: np.ndarray    # (R,) int64, -1 for a point without equilibria
    n_equilibria: np.ndarray   # (n,) int64
    numeric: list              # K float64 columns of shape (R,): payoffs, probabilities, regret
    outcome: Any               # (R,) str or None: a list, a Categorical or _Codes
    outcome_key: Any
    complete: np.ndarray       # (n,) bool


def _check_finite(payoffs: np.ndarray, point: np.ndarray, cols: Mapping[str, np.ndarray]) -> None:
    """Refuse a batched chunk with a payoff that is NaN or infinite (a log or sqrt of a negative value, a division
    by zero at a point), naming the first such point's values."""
    payoffs = np.asarray(payoffs, dtype=float)
    with np.errstate(all="ignore"):
        if np.isfinite(payoffs.sum()):  # every payoff finite (a NaN or an infinity makes the sum one)
            return
    bad = ~np.isfinite(payoffs).all(axis=1) if len(payoffs) else np.zeros(0, dtype=bool)
    if bad.any():
        p = int(point[int(np.argmax(bad))])
        raise point_error(ParameterError("a payoff is not a finite real number (undefined, infinite or complex)"),
                          {name: (arr[p].item() if isinstance(arr[p], np.generic) else arr[p])
                           for name, arr in cols.items()})


def _point_values(plan: SweepPlan, cols: Mapping[str, np.ndarray], p: int) -> dict[str, Any]:
    vals = dict(plan.base)
    for name, arr in cols.items():
        v = arr[p]
        vals[name] = v.item() if isinstance(v, np.generic) else v
    if not plan.exact:
        vals = {k: float(v) for k, v in vals.items()}
    return vals


def _scalar_rows(plan: SweepPlan, cols: Mapping[str, np.ndarray], n: int) -> _Rows:
    blocks, outcomes, keys = [], [], []
    n_eq = np.zeros(n, dtype=np.int64)
    complete = np.zeros(n, dtype=bool)
    for p in range(n):
        values = _point_values(plan, cols, p)
        try:
            res = sweep_points.solve_point(plan.model, plan.form, plan.scenario, values, plan.exact)
        except (ParameterError, SolverError, TypeError, ValueError, ArithmeticError) as exc:
            # e.g. a payoff undefined or complex at this point
            raise point_error(exc, {name: values[name] for name in cols}) from None
        blocks.append(numeric_block(res, plan.where))
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
    return _Rows(point, eq_index, n_eq, list(np.ascontiguousarray(numeric.T)), outcomes, keys, complete)


def _tree_rows(plan: SweepPlan, cols: Mapping[str, np.ndarray], n: int) -> _Rows:
    tree = plan.model.symbolic(plan.form)
    used = set(tree.parameters)
    params = {k: float(v) for k, v in plan.base if k in used}
    params.update({k: np.asarray(v, dtype=float) for k, v in cols.items()})
    res = solve_tree_points(plan.model, plan.form, plan.scenario, params, exact=False, tol=plan.tol)
    _check_finite(res.payoffs, res.point, cols)
    columns = [res.payoffs[:, i] for i in range(len(plan.pay_cols))]  # views; the table copies them once
    for _, h, a in plan.where:
        column = (res.choices[:, res.infosets.index(h)] == a).astype(float)
        for row, mix in res.mixed.items():  # a stage's mixed equilibrium, from the scalar solver
            if h in mix:
                column[row] = mix[h][a]
        columns.append(column)
    columns.append(res.regret)
    return _Rows(res.point, res.equilibrium, res.n_equilibria, columns, res.outcome, res.outcome_key, res.complete)


def _bimatrix_rows(plan: SweepPlan, cols: Mapping[str, np.ndarray], n: int,
                   builder: TableBuilder | None = None) -> _Rows:
    struct = _structure_for(plan)
    spec = struct.specialised
    # the structure has every parameter but the varied ones substituted: its parameters are varied ones
    params = {k: np.asarray(v, dtype=float) for k, v in cols.items() if k in struct.parameters}
    if not params:  # the varied parameters do not enter this form's payoffs: the same game at n points
        params = {"": np.zeros(n)}

    def exact_payoffs(p: int):
        return spec.instantiate({k: float(v[p]) for k, v in params.items() if k}, exact=True).payoffs

    m, k = spec.shape
    direct = builder is not None and len(plan.pay_cols) == 2 and [(i, a) for i, _, a in plan.where] == \
        [*((0, a) for a in range(m)), *((1, a) for a in range(k))]
    # with a builder, the strategies, payoffs and regret are written straight into its columns
    res = structured_equilibria(struct, params, exact_payoffs=exact_payoffs, tol=plan.tol,
                                out=builder.engine_columns if direct else None)
    _check_finite(res.payoffs, res.point, cols)
    columns = [res.payoffs[:, 0], res.payoffs[:, 1]]
    for i, _, a in plan.where:
        columns.append((res.x if i == 0 else res.y)[:, a])
    columns.append(res.regret)
    outcome, key = _bimatrix_outcomes(plan, spec, res)
    return _Rows(res.point, res.index, res.counts, columns, outcome, key, np.ones(n, dtype=bool))


def _compiled_for(plan: SweepPlan):
    """The plan's N-player normal form compiled to numpy, once per process and model version."""
    return compiled_normal_form(plan.model, plan.form)


def _nplayer_rows(plan: SweepPlan, cols: Mapping[str, np.ndarray], n: int) -> _Rows:
    """Batched support enumeration at the chunk's points; the points it leaves uncertified (near-degenerate, or
    a support without a closed form) are solved one by one on the scalar path, and the rows merged by point."""
    compiled = _compiled_for(plan)
    params = {k: float(v) for k, v in plan.base if k in compiled.parameters}
    params.update({k: np.asarray(v, dtype=float) for k, v in cols.items() if k in compiled.parameters})
    try:
        pay = compiled.payoffs(params)
    except ParameterError:  # a payoff undefined at some point: the scalar path names the point's values
        return _scalar_rows(plan, cols, n)
    pay = tuple(np.broadcast_to(u, (n, *u.shape[1:])) for u in pay)
    res = batched_nash(pay, tol=plan.tol)
    numeric = [res.payoffs[:, i] for i in range(len(plan.pay_cols))]
    numeric += [res.strategies[i][:, a] for i, _, a in plan.where]
    numeric.append(res.regret)
    outcome, key = _nplayer_labels(plan, res.strategies)
    eq = np.arange(len(res.point), dtype=np.int64) - np.repeat(np.cumsum(res.counts) - res.counts, res.counts)
    batched = _Rows(res.point, eq, res.counts.copy(), numeric, outcome, key, res.complete.copy())
    rest = np.flatnonzero(~res.certified | (res.counts == 0))  # a point without equilibria: the scalar's NaN row
    if not len(rest):
        return batched
    exact = _scalar_rows(plan, {k: np.asarray(v)[rest] for k, v in cols.items()}, len(rest))
    batched.n_equilibria[rest] = exact.n_equilibria
    batched.complete[rest] = exact.complete
    point = np.concatenate([batched.point, rest[exact.point]])
    order = np.argsort(point, kind="stable")

    def both(a, b, dtype=None) -> np.ndarray:
        return np.concatenate([np.asarray(a, dtype=dtype), np.asarray(b, dtype=dtype)])[order]

    def labels(codes: _Codes) -> np.ndarray:
        return np.array(codes.categories + [None], dtype=object)[codes.materialise()]  # code -1: the final None

    return _Rows(point[order], both(batched.equilibrium, exact.equilibrium), batched.n_equilibria,
                 [both(a, b) for a, b in zip(batched.numeric, exact.numeric)],
                 both(labels(outcome), exact.outcome, object), both(labels(key), exact.outcome_key, object),
                 batched.complete)


def _nplayer_labels(plan: SweepPlan, strategies: tuple[np.ndarray, ...]) -> tuple[_Codes, _Codes]:
    """Outcome and outcome key of each row as the scalar solver labels them (the distribution over the cells'
    labels): computed once per support profile whose cells all carry one label (every pure profile, and e.g. a
    mixture over plans that play never reaches), and row by row only for lotteries."""
    game = plan.model.symbolic(plan.form)
    columns = [s[:, a] for s in strategies for a in range(s.shape[1])]
    bits = np.zeros(len(strategies[0]), dtype=np.int64)              # each row's support pattern, as bits
    for k, col in enumerate(columns):
        bits |= (col != 0).astype(np.int64) << k
    patterns, first, inverse = _unique_small(bits, len(columns))

    def cell_label(prof: tuple) -> str:
        lab = game.outcome(prof)
        return lab if lab is not None else " / ".join(game.actions[i][a] for i, a in enumerate(prof))

    def cells(r: int) -> list[tuple]:
        return list(itertools.product(*(np.flatnonzero(s[r]).tolist() for s in strategies)))

    # a pattern (support profile) whose cells all carry one label has that label whatever the probabilities
    sure = [{cell_label(prof) for prof in cells(r)} for r in first.tolist()]
    pure = np.array([len(labs) == 1 for labs in sure], dtype=bool)

    def label(r: int) -> tuple[str, str]:
        probs = [s[r] for s in strategies]
        dist: dict[str, float] = {}
        for prof in cells(r):
            lab = cell_label(prof)
            dist[lab] = dist.get(lab, 0.0) + float(np.prod([probs[i][a] for i, a in enumerate(prof)]))
        kept = sorted(k for k, v in dist.items() if abs(v) > plan.tol)
        return describe_outcome(dist), kept[0] if len(kept) == 1 else "lottery: " + ", ".join(kept)

    per_pattern = [(next(iter(labs)),) * 2 if one else None for labs, one in zip(sure, pure.tolist())]
    special = np.flatnonzero(~pure[inverse])                       # rows of lotteries
    special_labels = [label(int(r)) for r in special.tolist()]
    out = []
    for part in (0, 1):
        cats = sorted({lab[part] for lab in per_pattern if lab} | {lab[part] for lab in special_labels})
        code_of = {c: q for q, c in enumerate(cats)}
        table = np.array([code_of[lab[part]] if lab else -1 for lab in per_pattern], dtype=np.intp)
        codes = table[inverse] if len(bits) else np.zeros(0, dtype=np.intp)
        codes[special] = [code_of[lab[part]] for lab in special_labels]
        out.append(_Codes(codes, cats))
    return out[0], out[1]


def _unique_small(bits: np.ndarray, width: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``np.unique(bits, return_index=True, return_inverse=True)`` for nonnegative integers below ``2**width``:
    by counting when the range is small (no sort)."""
    if width > 16:
        return np.unique(bits, return_index=True, return_inverse=True)
    present = np.bincount(bits, minlength=1 << width) > 0
    patterns = np.flatnonzero(present)
    number = np.cumsum(present) - 1                                   # a pattern's rank among those present
    inverse = number[bits]
    first = np.full(len(patterns), len(bits), dtype=np.int64)
    np.minimum.at(first, inverse, np.arange(len(bits), dtype=np.int64))
    return patterns, first, inverse


@dataclass(frozen=True)
class _Codes:
    """Labels as codes into *categories* (-1: none), the cheapest form for :class:`TableBuilder`.

    With *table*, the code of row r is ``table[codes[r]]`` (``codes[r] == -1``: the table's last entry), and
    then, with *fixed* ``(rows, row_codes)``, those rows have those codes instead: so many rows can share the
    few labels of their patterns without a per-row array of codes being made."""

    codes: np.ndarray
    categories: list
    table: np.ndarray | None = None
    fixed: tuple | None = None

    def materialise(self) -> np.ndarray:
        """The code of every row, as one array."""
        if self.table is None:
            return self.codes
        out = np.take(self.table, self.codes, mode="wrap")
        if self.fixed is not None:
            out[self.fixed[0]] = self.fixed[1]
        return out


def _bimatrix_outcomes(plan: SweepPlan, game, res) -> tuple[_Codes, _Codes]:
    """Outcome and outcome key of every row, as the scalar solver labels them (the distribution over the
    cells' labels): computed once per support pattern, and row by row only for rows solved exactly and for
    lotteries (whose text carries the probabilities)."""
    m, k = game.shape
    labels: list[str] = []
    cell = np.empty((m, k), dtype=np.int64)
    for i in range(m):
        for j in range(k):
            lab = game.outcome((i, j))
            lab = lab if lab is not None else f"{game.actions[0][i]} / {game.actions[1][j]}"
            if lab not in labels:
                labels.append(lab)
            cell[i, j] = labels.index(lab)

    def label(r: int) -> tuple[str, str, bool]:
        x, y = res.x[r], res.y[r]
        dist: dict[str, float] = {}
        for i in np.flatnonzero(x).tolist():
            for j in np.flatnonzero(y).tolist():
                lab = labels[cell[i, j]]
                dist[lab] = dist.get(lab, 0.0) + float(x[i] * y[j])
        if len(dist) == 1:
            only = next(iter(dist))
            return only, only, False
        kept = sorted(lab for lab, v in dist.items() if abs(v) > plan.tol)
        return describe_outcome(dist), kept[0] if len(kept) == 1 else "lottery: " + ", ".join(kept), True

    pattern = res.pattern
    per_pattern = [label(int(r)) for r in res.pattern_rows.tolist()]
    lottery = np.array([lab[2] for lab in per_pattern], dtype=bool)
    special = np.flatnonzero(pattern < 0)
    if lottery.any():  # a lottery's text carries its probabilities, which vary from point to point
        special = np.union1d(special, np.flatnonzero(lottery[np.maximum(pattern, 0)] & (pattern >= 0)))
    special_labels = [label(int(r)) for r in special.tolist()]
    out = []
    for part in (0, 1):
        cats = sorted({lab[part] for lab in per_pattern} | {lab[part] for lab in special_labels})
        code_of = {c: q for q, c in enumerate(cats)}
        # the rows' codes are the table's entries of their patterns (-1, a row solved exactly: the last entry,
        # which the fixed codes of those rows replace)
        table = np.array([code_of[lab[part]] for lab in per_pattern] + [-1], dtype=np.intp)
        fixed = (special, np.array([code_of[lab[part]] for lab in special_labels], dtype=np.intp))
        out.append(_Codes(pattern, cats, table, fixed if len(special) else None))
    return out[0], out[1]


_ENGINE_ROWS = {"scalar": _scalar_rows, "tree": _tree_rows, "bimatrix": _bimatrix_rows, "nplayer": _nplayer_rows}


# ------------------------------------------------------------------------------------------ table
def _same(src: Any, dst: np.ndarray) -> bool:
    """Whether *src* is the array *dst* itself (an engine wrote it in place)."""
    return isinstance(src, np.ndarray) and src.ctypes.data == dst.ctypes.data and src.strides == dst.strides \
        and src.shape == dst.shape


_MADV_POPULATE_WRITE = 23  # Linux >= 5.14
_PAGE = 4096
_LIBC: list = []  # libc, or None where it cannot be loaded (looked up once)


def _populate(column: np.ndarray, lo: int, hi: int) -> bool:
    """Fault in the memory of rows [lo, hi) of a contiguous 1-D *column* without changing what it holds (Linux's
    ``madvise(MADV_POPULATE_WRITE)``, which the kernel runs in the calling thread); False where the system
    cannot (then nothing was done)."""
    if not sys.platform.startswith("linux"):
        return False
    if not _LIBC:
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.madvise.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
            _LIBC.append(libc)
        except (OSError, AttributeError):  # pragma: no cover - no libc with madvise
            _LIBC.append(None)
    if _LIBC[0] is None or hi <= lo:
        return _LIBC[0] is not None
    start = column.ctypes.data + lo * column.itemsize
    end = column.ctypes.data + hi * column.itemsize
    start -= start % _PAGE  # the page holding row lo is the column's (or its allocation's) memory
    return _LIBC[0].madvise(start, end - start, _MADV_POPULATE_WRITE) == 0


class _Filler:
    """A thread beside the sweep that writes a table's constant columns and faults in the memory of its other
    columns, up to the rows it is asked for (:meth:`ask`), so that the sweeping thread does neither: where a core
    is spare, the table's fresh memory then costs the sweep little (the kernel clears each new page in the thread
    that first touches it). Its writes never meet the builder's: the constant columns are the filler's alone, and
    faulting in a page leaves what it holds as it is. The builder replaces columns only while the filler is idle
    (:meth:`idle`, :meth:`restart`) and must :meth:`close` it, also when the sweep fails."""

    def __init__(self, constants: dict[str, float], columns: dict[str, np.ndarray]) -> None:
        self.constants, self.columns = constants, columns
        self.goal = self.done = 0  # rows asked for, rows done
        self.closed = False
        self.populate = True  # False once the system says it cannot
        self.error: BaseException | None = None
        self.cond = threading.Condition()
        self.thread = threading.Thread(target=self._run, name="gtu-table-filler", daemon=True)
        self.thread.start()

    def ask(self, rows: int) -> None:
        """Have rows [0, *rows*) done."""
        with self.cond:
            if rows > self.goal:
                self.goal = rows
                self.cond.notify_all()

    def idle(self) -> None:
        """Wait until every row asked for is done; raise what stopped the thread, if anything did."""
        with self.cond:
            while self.done < self.goal and self.error is None:
                self.cond.wait()
        if self.error is not None:
            raise self.error

    def restart(self, rows: int) -> None:
        """The columns were replaced and rows [0, *rows*) copied into them: go on from there (only when idle)."""
        with self.cond:
            self.done = self.goal = min(self.done, rows)

    def close(self) -> None:
        """End the thread after the block it is writing, if any (the rows not yet done stay undone)."""
        with self.cond:
            self.closed = True
            self.cond.notify_all()

    def _run(self) -> None:
        try:
            while True:
                with self.cond:
                    while self.done >= self.goal and not self.closed:
                        self.cond.wait()
                    if self.closed:
                        return
                    lo, hi = self.done, self.goal
                for name, value in self.constants.items():
                    self.columns[name][lo:hi] = value
                if self.populate:
                    for name, column in list(self.columns.items()):
                        if name not in self.constants and not _populate(column, lo, hi):
                            self.populate = False
                            break
                with self.cond:
                    self.done = hi
                    self.cond.notify_all()
        except BaseException as exc:  # raised in the sweeping thread when it next waits
            with self.cond:
                self.error = exc
                self.cond.notify_all()


class TableBuilder:
    """The sweep table of one or many chunks, written straight into its final columns.

    Each column is allocated once with room for *capacity* rows (memory the rows never reach is never
    touched, or with *helper_thread* at most the next two chunks' rows beyond the last) and grows by half when a
    chunk does not fit; :meth:`frame` returns the table on the filled part of
    the columns, without copying them. Categorical columns collect their labels as they come and are given
    sorted categories at the end, so the table does not depend on how the points were cut into chunks; their
    codes are kept as int8 while there are fewer than 128 labels (the dtype pandas keeps them in).

    Parameters
    ----------
    plan : SweepPlan
    capacity : int
        Rows to make room for (an estimate: more rows are fine).
    helper_thread : bool, default False
        Write the constant parameter columns and fault in the other columns' memory a little ahead of the rows in a
        thread beside the caller (worth it where a core is spare: on 2 cores it took a 1 M-point sweep of
        territory's normal form, 12 M rows, from about 1.0 s to 0.7 s). The builder must then be closed (:meth:`close`),
        as :meth:`frame` does; the table is the same.
    """

    def __init__(self, plan: SweepPlan, capacity: int, helper_thread: bool = False) -> None:
        self.plan = plan
        self.capacity = max(1, int(capacity))
        self.rows = 0
        self._labels: dict[str, dict] = {c: {} for c in CATEGORICAL_COLUMNS}
        self._columns: dict[str, np.ndarray] = {}
        # columns that are mostly zero (probabilities of actions an equilibrium does not play, the regret) start
        # as zeros, which the system provides untouched, and a chunk's all-zero part of them is not written; the
        # probabilities are the rows of one block and the payoffs of another, which an engine can write into
        # (:meth:`engine_columns`)
        self._sparse = frozenset([*plan.prob_cols, "regret"])
        self._blocks = {names: (np.zeros if names == plan.prob_cols else np.empty)((len(names), self.capacity))
                        for names in (plan.prob_cols, plan.pay_cols)}
        for name in plan.columns:
            dtype = {"point_id": np.int64, "equilibrium": np.int64, "n_equilibria": np.int64, "complete": bool,
                     "outcome": np.int8, "outcome_key": np.int8}.get(name, np.float64)
            if name not in plan.prob_cols:
                self._columns[name] = (np.zeros if name in self._sparse else np.empty)(self.capacity, dtype=dtype)
        for names, block in self._blocks.items():  # the probabilities last (the table's order)
            self._columns.update(zip(names, block))
        self._filler: _Filler | None = None
        if helper_thread:
            varied = {name for name, _ in plan.specs}
            constants = {k: float(v) for k, v in plan.base if k in plan.model.parameters and k not in varied}
            self._filler = _Filler(constants, self._columns)
            self._filler.ask(min(self.capacity, 2 * self.capacity // max(1, plan.n_chunks)))

    def engine_columns(self, rows: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The next *rows* rows of the probability columns (shape (probability columns, rows), all zeros), of the
        payoff columns (shape (payoff columns, rows)), of the regret (all zeros) and of the equilibrium numbers:
        for an engine to write the next chunk's equilibria into before :meth:`append` adds the chunk."""
        self._reserve(rows)
        s = slice(self.rows, self.rows + rows)
        return self._blocks[self.plan.prob_cols][:, s], self._blocks[self.plan.pay_cols][:, s], \
            self._columns["regret"][s], self._columns["equilibrium"][s]

    def _reserve(self, more: int) -> None:
        need = self.rows + more
        if need <= self.capacity:
            return
        if self._filler is not None:
            self._filler.idle()
            self._filler.restart(self.rows)
        self.capacity = max(need, self.capacity + self.capacity // 2)
        in_block = {name for names in self._blocks for name in names}
        for name, old in self._columns.items():
            if name not in in_block:
                new = (np.zeros if name in self._sparse else np.empty)(self.capacity, dtype=old.dtype)
                new[:self.rows] = old[:self.rows]
                self._columns[name] = new
        for names, old in self._blocks.items():
            block = (np.zeros if names == self.plan.prob_cols else np.empty)((len(names), self.capacity))
            block[:, :self.rows] = old[:, :self.rows]
            self._blocks[names] = block
            self._columns.update(zip(names, block))

    def _codes(self, column: str, values: Any, s: slice) -> None:
        """Write the codes of *values* (strings and None, as a list, a Categorical or :class:`_Codes`) in this
        builder's labels (in order of first appearance; -1 for None) into the rows *s* of *column*."""
        labels = self._labels[column]
        table = fixed = None
        if isinstance(values, _Codes):
            local, cats, table, fixed = values.codes, values.categories, values.table, values.fixed
        elif isinstance(values, pd.Categorical):
            local, cats = np.asarray(values.codes, dtype=np.intp), list(values.categories)
        else:
            codes, uniques = pd.factorize(np.asarray(values, dtype=object), use_na_sentinel=True)
            local, cats = codes.astype(np.intp), list(uniques)
        lookup = np.array([labels.setdefault(c, len(labels)) for c in cats] + [-1], dtype=np.int32)
        if len(labels) >= 128 and self._columns[column].dtype == np.int8:  # too many labels for int8 codes
            self._columns[column] = self._columns[column].astype(np.int32)
        out = self._columns[column][s]
        lookup = lookup.astype(out.dtype)
        # code -1 (missing, or a row of fixed codes) wraps to the final entry
        np.take(lookup if table is None else np.take(lookup, table, mode="wrap"), local, out=out, mode="wrap")
        if fixed is not None:
            out[fixed[0]] = np.take(lookup, fixed[1], mode="wrap")

    def append(self, lo: int, cols: Mapping[str, np.ndarray], rows: _Rows) -> None:
        """Add one chunk's rows: *lo* its first point, *cols* its varied parameters' values."""
        plan, point = self.plan, rows.point
        R = len(point)
        self._reserve(R)
        s = slice(self.rows, self.rows + R)
        c = self._columns
        np.add(point, lo, out=c["point_id"][s])
        varied = [name for name, _ in plan.specs]
        base = dict(plan.base)
        for name in varied:
            np.take(np.asarray(cols[name], dtype=float), point, out=c[name][s], mode="clip")
        if self._filler is None:
            for name in plan.model.parameters:
                if name not in varied:
                    c[name][s] = float(base[name])
        if not _same(rows.equilibrium, c["equilibrium"][s]):
            c["equilibrium"][s] = rows.equilibrium
        np.take(rows.n_equilibria, point, out=c["n_equilibria"][s], mode="clip")
        self._codes("outcome", rows.outcome, s)
        self._codes("outcome_key", rows.outcome_key, s)
        for k, name in enumerate([*plan.pay_cols, *plan.prob_cols, "regret"]):
            src, dst = rows.numeric[k], c[name][s]
            if _same(src, dst):
                continue  # the engine wrote it in place (:meth:`engine_columns`)
            if name not in self._sparse or np.any(src):
                dst[...] = src
        if rows.complete.all():
            c["complete"][s] = True
        else:
            np.take(rows.complete, point, out=c["complete"][s], mode="clip")
        self.rows += R
        if self._filler is not None:
            self._filler.ask(min(self.capacity, self.rows + 2 * R))

    def close(self) -> None:
        """End the helper thread, if any: the rows it has not written yet stay unwritten (for a table given up, or
        after :meth:`frame`, which waits for them); rows appended afterwards are written here, constants included."""
        if self._filler is not None:
            self._filler.close()
            self._filler = None

    def frame(self) -> pd.DataFrame:
        """The table so far (its columns are views of the builder's, which must not be appended to after)."""
        n = self.rows
        if self._filler is not None:
            self._filler.ask(n)
            self._filler.idle()
            self.close()
        table: dict[str, Any] = {}
        for name in self.plan.columns:     # the plan's order (the probability block is stored apart)
            arr = self._columns[name]
            if name in CATEGORICAL_COLUMNS:
                labels = list(self._labels[name])
                order = sorted(range(len(labels)), key=lambda q: labels[q])
                rank = np.empty(len(labels) + 1, dtype=arr.dtype)
                rank[order] = np.arange(len(labels))
                rank[-1] = -1
                # -1 (missing) indexes the final -1; labels met in sorted order need no renumbering
                codes = arr[:n] if order == sorted(order) else np.take(rank, arr[:n], mode="wrap")
                table[name] = pd.Categorical.from_codes(codes, categories=pd.Index([labels[q] for q in order]),
                                                        validate=False)
            else:
                table[name] = arr[:n]
        return pd.DataFrame(table, copy=False)


def chunk_rows(plan: SweepPlan, i: int,
               builder: TableBuilder | None = None) -> tuple[int, dict[str, np.ndarray], _Rows]:
    """Chunk *i*'s first point, its varied parameters' values and its rows, before they become a table. With
    *builder*, the chunk must be appended to it next: the bimatrix engine writes its equilibria into it."""
    lo, hi = plan.bounds(i)
    cols = plan.design(i)
    if plan.engine == "bimatrix":
        return lo, cols, _bimatrix_rows(plan, cols, hi - lo, builder)
    return lo, cols, _ENGINE_ROWS[plan.engine](plan, cols, hi - lo)


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
    >>> from gametheory_ukraine.analysis.sweep_plan import plan_sweep
    >>> plan = plan_sweep("territory", {"rho": "0.01:0.05:5"}, form="sequential", scenario="baseline-2025",
    ...                   chunk_size=2)
    >>> plan.n_chunks, plan.engine
    (3, 'tree')
    >>> solve_chunk(plan, 1)[["point_id", "rho", "outcome"]]
       point_id   rho                      outcome
    0         2  0.03  settlement on Russian terms
    1         3  0.04                war continues
    """
    lo, cols, rows = chunk_rows(plan, i)
    builder = TableBuilder(plan, len(rows.point))
    builder.append(lo, cols, rows)
    return builder.frame()


def solve_columns(plan: SweepPlan, cols: Mapping[str, np.ndarray]) -> pd.DataFrame:
    """Rows of the sweep table at explicit points: *cols* maps each of the plan's varied parameters to its values
    at the points (arrays of one length, inside the plan's ranges), solved by the plan's engine as a chunk is.

    For designs a sweep cannot describe (e.g. Saltelli's, :mod:`gametheory_ukraine.analysis.robustness`);
    ``point_id`` is the row of *cols*. Call it with at most ``plan.chunk_size`` points at a time to keep the
    engine's temporaries within the plan's bounds.

    Raises
    ------
    ParameterError
        If *cols* does not give exactly the plan's varied parameters, all of one length.
    """
    varied = [name for name, _ in plan.specs]
    lengths = {len(np.asarray(v)) for v in cols.values()}
    if sorted(cols) != sorted(varied) or len(lengths) != 1:
        raise ParameterError(f"explicit points must give each of {', '.join(varied)} once, all of one length",
                             fix="pass one array per varied parameter of the plan")
    cols = {name: cols[name] for name in varied}
    rows = _ENGINE_ROWS[plan.engine](plan, cols, lengths.pop())
    builder = TableBuilder(plan, len(rows.point))
    builder.append(0, cols, rows)
    return builder.frame()


def concat_tables(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate chunk tables in order into one (categorical columns over the union of their categories,
    sorted; a fresh RangeIndex).

    Column by column with :func:`numpy.concatenate`: each column is copied once (``pandas.concat`` of frames
    whose columns are separate blocks costs several times more)."""
    if len(frames) == 1:
        return frames[0]
    data: dict[str, Any] = {}
    for col in frames[0].columns:
        if col in CATEGORICAL_COLUMNS:
            union = pd.Index(sorted({v for f in frames for v in f[col].cat.categories}))
            parts = []
            for f in frames:
                cat = f[col].array
                where = union.get_indexer(cat.categories)
                codes = np.asarray(cat.codes, dtype=np.int64)
                parts.append(np.where(codes >= 0, where[np.maximum(codes, 0)] if len(where) else -1, -1))
            data[col] = pd.Categorical.from_codes(np.concatenate(parts), categories=union)
        else:
            data[col] = np.concatenate([f[col].to_numpy() for f in frames])
    return pd.DataFrame(data, copy=False)


# ------------------------------------------------------------------------------------------ errors
def chunk_label(plan: SweepPlan, i: int) -> str:
    """'chunk 1 (points [2, 4) of the design; rho from 0.03 to 0.04)': chunk *i*, its point range ``[lo, hi)`` of
    the design and the range of each varied parameter in it (left out if the design cannot be built)."""
    lo, hi = plan.bounds(i)
    return f"chunk {i} (points [{lo}, {hi}) of the design{_ranges(plan, i)})"


def chunk_error(plan: SweepPlan, i: int, exc: BaseException) -> GTUError:
    """The error to raise for chunk *i* failing with *exc*: the same class for a :class:`GTUError` (else a
    :class:`SolverError`), its message prefixed with :func:`chunk_label`.

    >>> from gametheory_ukraine.analysis.sweep_plan import plan_sweep
    >>> plan = plan_sweep("territory", {"rho": "0.01:0.05:5"}, form="sequential", scenario="baseline-2025",
    ...                   chunk_size=2)
    >>> print(chunk_error(plan, 1, ZeroDivisionError("division by zero")))
    chunk 1 (points [2, 4) of the design; rho from 0.03 to 0.04) failed: ZeroDivisionError: division by zero
    (fix: this may be a bug: please report it with the command you ran; in Python, the error's __cause__ holds
    the traceback)
    """
    head = chunk_label(plan, i)
    if isinstance(exc, GTUError):
        return type(exc)(f"{head} failed: {exc.message}", path=exc.path, where=exc.where, fix=exc.fix)
    return SolverError(f"{head} failed: {type(exc).__name__}: {exc}",
                       fix="this may be a bug: please report it with the command you ran; in Python, the error's "
                           "__cause__ holds the traceback")


def _ranges(plan: SweepPlan, i: int) -> str:
    """'; rho from 0.03 to 0.04' for the varied parameters in chunk *i* (empty if the design cannot be built)."""
    try:
        cols = plan.design(i)
        parts = []
        for name, arr in cols.items():
            vals = [float(v) for v in arr]
            parts.append(f"{name} from {min(vals):.6g} to {max(vals):.6g}")
        return "; " + ", ".join(parts) if parts else ""
    except Exception:  # only decoration of an error message
        return ""
