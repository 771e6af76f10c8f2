"""The table of an array sweep of territory's 6 x 14 normal form on the batched bimatrix engine is the scalar
engine's table: the same columns in the same order, the same dtypes, the same rows in the same order, the same
labels and integers, and floats equal to the exact scalar solver's at the point (to a few units in the last place:
the batched engine computes them in floats, the scalar one in exact rationals).

The points are random ones in ``[0.01, 0.5]`` (unsorted: the engine groups them), and points just either
side of rho = 1/27 (where Ukraine's choice changes) and of other real roots in that range of the degree-one factors
``rho - a/b`` the structure reads the type from. (Floats within about 1e-9 of such a tie are where the scalar
engine's float solve sees the tie; the batched engine gives the exact solver's answer there, which
``tests/test_array_sweeps.py`` checks.)"""

from __future__ import annotations

import threading
from fractions import Fraction as F

import numpy as np
import pandas as pd
import pytest
import sympy
from conftest import LOG_MODEL

import gametheory_ukraine as gtu
from gametheory_ukraine.analysis.sweep_chunks import TableBuilder, chunk_rows
from gametheory_ukraine.analysis.sweep_plan import plan_sweep
from gametheory_ukraine.batched.structural import _evaluated_keys, _risk_windows, _windowed_keys, compile_structure
from gametheory_ukraine.core.errors import GTUError

SCENARIO = "baseline-2025"


def _points() -> np.ndarray:
    rng = np.random.default_rng(2026)
    thresholds = [F(1, 27), F(7, 27), F(10, 33), F(70, 297), F(80, 189), F(4, 9), F(40, 99)]
    near = []
    for t in thresholds:
        x = float(t)
        near += [x * (1 + 1e-7), x * (1 - 1e-7), x * (1 + 1e-5), x * (1 - 1e-5)]
    return np.concatenate([rng.uniform(0.01, 0.5, 50), near])


@pytest.fixture(scope="module")
def tables():
    model = gtu.load_model("territory")
    rho = _points()
    batched = gtu.sweep(model, {"rho": rho}, form="normal", scenario=SCENARIO, chunk_size=37)
    scalar = gtu.sweep(model, {"rho": rho}, form="normal", scenario=SCENARIO, engine="scalar")
    return rho, batched, scalar


def test_the_thresholds_are_roots_of_the_structures_factors():
    """The probed thresholds are where a factor of the minors vanishes (so the engine meets them as ties)."""
    model = gtu.load_model("territory")
    fixed = {k: v for k, v in model.values(SCENARIO).items() if k != "rho"}
    factors = {sympy.sympify(f) for f in compile_structure(model.symbolic("normal"), fixed).factors}
    rho = sympy.Symbol("rho")
    for t in (F(1, 27), F(7, 27), F(10, 33), F(70, 297), F(80, 189), F(4, 9), F(40, 99)):
        assert rho - sympy.Rational(t.numerator, t.denominator) in factors


def test_array_sweep_table_is_the_scalar_engines(tables):
    rho, batched, scalar = tables
    assert batched.attrs["engine"] == "bimatrix" and scalar.attrs["engine"] == "scalar"
    assert list(batched.columns) == list(scalar.columns)
    # in the documented order (the plan's, which checkpoint chunks are checked against): regret and complete last
    plan = plan_sweep(gtu.load_model("territory"), {"rho": rho}, form="normal", scenario=SCENARIO)
    assert list(batched.columns) == plan.columns and plan.columns[-2:] == ["regret", "complete"]
    assert list(batched.dtypes) == list(scalar.dtypes)
    assert len(batched) == len(scalar) > len(rho)
    for col in batched.columns:
        a, b = batched[col], scalar[col]
        if isinstance(a.dtype, pd.CategoricalDtype):
            assert list(a.cat.categories) == list(b.cat.categories), col
            assert a.astype(object).tolist() == b.astype(object).tolist(), col
        elif a.dtype.kind in "ib":
            assert np.array_equal(a.to_numpy(), b.to_numpy()), col
        elif col == "regret":  # the certificates: rounding-sized (0 on an exact path)
            assert (a.to_numpy() <= 1e-12).all() and (b.to_numpy() <= 1e-12).all()
        else:
            np.testing.assert_allclose(a.to_numpy(), b.to_numpy(), rtol=1e-12, atol=1e-13, err_msg=col)


def test_table_columns_are_owned_writable_and_rows_in_point_order(tables):
    """Every column of the table is a writable array the table can be edited through (no shared or read-only
    views), and rows come point by point, equilibria numbered 0, 1, ... within a point."""
    _, batched, _ = tables
    copy = batched.copy()
    batched.loc[0, "delta"] = -1.0
    batched.loc[1, "prob:Russia:limited swap, then keep the deal"] = 0.5
    assert batched.loc[0, "delta"] == -1.0 and batched.loc[1, "prob:Russia:limited swap, then keep the deal"] == 0.5
    assert copy.loc[0, "delta"] != -1.0
    point = batched["point_id"].to_numpy()
    assert (np.diff(point) >= 0).all()
    eq = batched["equilibrium"].to_numpy()
    first = np.r_[True, point[1:] != point[:-1]]
    assert (eq[first] == 0).all() and (eq[~first] == eq[np.flatnonzero(~first) - 1] + 1).all()


@pytest.mark.parametrize("helper_thread", [False, True])
def test_builder_growth_keeps_rows(helper_thread):
    """A builder whose capacity estimate is too small grows and keeps every row (the zero-initialised
    probability columns included), also when the engine writes the probabilities into it, and also when a helper
    thread writes the constant columns (it is stopped and restarted at each growth)."""
    model = gtu.load_model("territory")
    rho = _points()[:40]
    plan = plan_sweep(model, {"rho": rho}, form="normal", scenario=SCENARIO, chunk_size=7)
    whole = gtu.sweep(model, {"rho": rho}, form="normal", scenario=SCENARIO)
    for direct in (False, True):  # rows copied in, or probabilities written in place by the engine
        small = TableBuilder(plan, 3, helper_thread=helper_thread)
        for i in range(plan.n_chunks):
            small.append(*chunk_rows(plan, i, small if direct else None))
        pd.testing.assert_frame_equal(small.frame(), whole, check_exact=True)


def _fillers() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "gtu-table-filler"]


def test_the_helper_thread_gives_the_same_table_and_ends_with_the_sweep(monkeypatch, tmp_path):
    """With a core to spare and a large table, a thread writes the constant columns and faults in the table's
    memory: the table is the one written without it, and the thread ends with the sweep, also when the sweep fails
    half-way."""
    from gametheory_ukraine.analysis import sweep as sweep_module

    model = gtu.load_model("territory")
    rho = np.linspace(0.01, 0.5, 20_000)
    monkeypatch.setattr(sweep_module, "usable_cores", lambda: 1)  # no core to spare: no thread
    alone = gtu.sweep(model, {"rho": rho}, form="normal", scenario=SCENARIO, chunk_size=1000)
    monkeypatch.setattr(sweep_module, "usable_cores", lambda: 8)
    started = []
    real = threading.Thread.start

    def start(self):
        started.append(self.name)
        real(self)

    monkeypatch.setattr(threading.Thread, "start", start)
    helped = gtu.sweep(model, {"rho": rho}, form="normal", scenario=SCENARIO, chunk_size=1000)
    assert started.count("gtu-table-filler") == 1
    pd.testing.assert_frame_equal(helped, alone, check_exact=True)
    assert len(helped) > 20_000 and helped["delta"].nunique() == 1  # a constant column, written by the thread
    gtu.sweep(model, {"rho": rho[:100]}, form="normal", scenario=SCENARIO)  # a small table: no thread
    assert started.count("gtu-table-filler") == 1
    monkeypatch.setattr(sweep_module, "HELPER_THREAD_ROWS", 0)  # the failing sweep below is small
    (tmp_path / "m.yaml").write_text(LOG_MODEL)
    with pytest.raises(GTUError):  # log(r - 1) is undefined at r = 1, point 200 of 301
        gtu.sweep(tmp_path / "m.yaml", {"r": np.linspace(3, 0, 301)}, form="normal", chunk_size=20, engine="scalar")
    assert started.count("gtu-table-filler") == 2
    for t in _fillers():
        t.join(5)
    assert not _fillers()


def test_what_stops_the_helper_thread_stops_the_sweep(monkeypatch):
    from gametheory_ukraine.analysis import sweep as sweep_module
    from gametheory_ukraine.analysis import sweep_chunks

    def broken(column, lo, hi):
        raise MemoryError("simulated: the helper thread could not fault in the table's memory")

    monkeypatch.setattr(sweep_module, "usable_cores", lambda: 8)
    monkeypatch.setattr(sweep_chunks, "_populate", broken)
    with pytest.raises(MemoryError, match="simulated"):
        gtu.sweep("territory", {"rho": np.linspace(0.01, 0.5, 10_000)}, form="normal", scenario=SCENARIO)


@pytest.fixture(scope="module")
def territory_structure():
    model = gtu.load_model("territory")
    fixed = {k: v for k, v in model.values(SCENARIO).items() if k != "rho"}
    return compile_structure(model.symbolic("normal"), fixed)


def test_risk_windows_hold_every_real_root_of_every_factor(territory_structure):
    """The stretches where the one-parameter keys are read once contain no root of a factor: every real root
    (sympy's exact real_roots, as floats) lies inside a window."""
    s = territory_structure
    bounds = _risk_windows(s, 1e-9, (-1, 1))
    assert (np.diff(bounds) > 0).all()  # sorted, disjoint
    rho = sympy.Symbol("rho")
    roots = [float(r) for f in s.factors for r in sympy.Poly(sympy.sympify(f), rho).real_roots()]
    assert len(roots) > 50
    inside = np.searchsorted(bounds, roots, side="right") % 2 == 1
    assert inside.all(), np.array(roots)[~inside]


def test_windowed_keys_equal_keys_evaluated_at_every_point(territory_structure):
    """Keys and flags read through the risk windows are those of evaluating every factor at every point: on a
    grid, random points on both sides of zero, and the floats around every real root of every factor."""
    s = territory_structure
    rho = sympy.Symbol("rho")
    roots = [float(r) for f in s.factors for r in sympy.Poly(sympy.sympify(f), rho).real_roots()]
    near = [r + k * abs(r) * d for r in roots for k in (-1, 1) for d in (0.0, 1e-16, 1e-13, 1e-10, 1e-7, 1e-4)]
    rng = np.random.default_rng(7)
    x = np.concatenate([np.linspace(0.01, 0.5, 5000), rng.uniform(-4, 4, 5000), near, [0.0, -0.0]])
    words, evaluated_flag = _evaluated_keys(s, {"rho": x}, len(x), 1e-9)
    # a first call on every third point finds some stretches' words, the second (all points) reuses them
    for part in (slice(None, None, 3), slice(None)):
        keys, index, flag = _windowed_keys(s, x[part], 1e-9)
        assert flag.sum() > 30  # points near roots are flagged
        assert len(keys) < len(x[part]) / 2  # the stretches between windows share their words
        np.testing.assert_array_equal(keys[index], words[part])
        np.testing.assert_array_equal(flag, evaluated_flag[part])


def test_interleaved_types_give_the_rows_of_the_same_points_sorted():
    """Points of two combinatorial types interleaved (each type's points in more runs than the engine writes run
    by run, so its rows are written through index arrays) give the rows the same points give sorted (each type
    one contiguous run, checked against the scalar engine above), point by point, bit for bit."""
    from gametheory_ukraine.batched import structural

    model = gtu.load_model("territory")
    rng = np.random.default_rng(11)
    rho = np.ravel(np.column_stack([rng.uniform(0.02, 0.03, 100), rng.uniform(0.31, 0.4, 100)]))
    fixed = {k: v for k, v in model.values(SCENARIO).items() if k != "rho"}
    keys, index, _ = structural._factor_keys(compile_structure(model.symbolic("normal"), fixed), {"rho": rho},
                                             len(rho), 1e-9)
    words = keys[np.arange(len(rho)) if index is None else index]
    runs = np.count_nonzero((words[1:] != words[:-1]).any(axis=1)) + 1
    assert runs >= 2 * structural._MAX_RUNS  # the two types alternate at every point
    order = np.argsort(rho)
    mixed = gtu.sweep(model, {"rho": rho}, form="normal", scenario=SCENARIO)
    tidy = gtu.sweep(model, {"rho": rho[order]}, form="normal", scenario=SCENARIO)
    tidy["point_id"] = order[tidy["point_id"].to_numpy()]
    tidy = tidy.sort_values("point_id", kind="stable").reset_index(drop=True)
    pd.testing.assert_frame_equal(mixed, tidy, check_exact=True)
