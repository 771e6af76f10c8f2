"""The structured engine's factor keys, sweeps with fixed parameters, and its internals (cache, runs, patterns).

``compile_structure(game, fixed)`` substitutes a sweep's other parameters exactly and reads the combinatorial
type of a point off the signs of the irreducible factors of the polytope minors ("factors" keys) or of the
minors themselves ("minors" keys). Every test here checks the batched answer against the exact scalar solver
(:func:`~gametheory_ukraine.solvers.two_player.extreme_equilibria` on exact payoffs) or against the other mode.
"""

from __future__ import annotations

import functools
from fractions import Fraction as F
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import sympy
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import gametheory_ukraine as gtu
from gametheory_ukraine.batched.structural import MAX_FACTOR_PARAMETERS, compile_structure, structured_equilibria
from gametheory_ukraine.core.errors import ParameterError, SolverError
from gametheory_ukraine.core.numbers import to_exact
from gametheory_ukraine.games.normal_form import NormalFormGame
from gametheory_ukraine.solvers.two_player import extreme_equilibria

# model, scenario -> the parameters varied (the first 1, 2 or 3 of them); the others are fixed at the scenario
VARIED = {
    ("territory", "baseline-2025"): ("rho", "kappa", "p"),
    ("nato", "baseline-2025"): ("rho", "p", "x_D"),
    ("nato", "istanbul-2"): ("rho", "delta", "c_U"),
    ("chain-store", None): ("d", "m", "o_E"),
}
CASES = [(name, scenario, k) for (name, scenario) in VARIED for k in (1, 2, 3)]
# threshold of the type, in the varied parameter VARIED[...][0] (models/README.md; d = o_E for the chain store)
THRESHOLDS = [
    ("territory", "baseline-2025", F(1, 27)),
    # Kyiv's open path against war at istanbul-2: (1 - (x_D - p - c_U + delta*D)/(delta*((1 - pi)*D + pi*m)))
    # /(1 + kappa), D = (dp_belt + dp_erosion)/(1 - delta), derived by hand from the model's payoffs
    ("nato", "istanbul-2", F(43, 702)),
    ("chain-store", None, F(1)),
]


# ------------------------------------------------------------------------------------------ helpers
# The structured engine's two-player test game is territory's previous 4 x 4 normal form (kept in tests/data):
# the current territory model states a 6 x 14 form, beyond what the structured engine compiles with several free
# parameters (batched.structural.MAX_SUPPORT_PAIRS).
_FIXTURES = {"territory": str(Path(__file__).resolve().parent / "data" / "territory-before-break-option.yaml")}


@functools.cache
def _model(name):
    return gtu.load_model(_FIXTURES.get(name, name))


@functools.cache
def _struct(name, scenario, varied, keys="auto"):
    """The structure with every parameter but *varied* fixed at the scenario's values (shared between tests:
    only tests that do not look at the cache use it)."""
    return _compile(name, scenario, varied, keys)


def _compile(name, scenario, varied, keys="auto"):
    model = _model(name)
    fixed = {k: v for k, v in model.values(scenario).items() if k not in varied}
    return compile_structure(model.symbolic("normal"), fixed, keys=keys)


@functools.cache
def _reference(name, scenario, point):
    """Exact payoffs (lists of Fractions) of the *unspecialised* game at the scenario with *point* (a tuple of
    (name, Fraction)) substituted, the exact solver's answer there, and that answer as float arrays."""
    model = _model(name)
    vals = model.values(scenario)
    vals.update(dict(point))
    A, B = model.symbolic("normal").instantiate(vals, exact=True).payoffs
    A, B = A.tolist(), B.tolist()
    sol = extreme_equilibria(A, B, exact=True)
    return A, B, sol, _expected(A, B, sol)


def _expected(A, B, sol):
    """The exact answer as floats: x (E, m), y (E, n), payoffs (E, 2), components (E,), degenerate."""
    m, n = len(A), len(A[0])
    xs = [[float(v) for v in x] for x, _ in sol.equilibria]
    ys = [[float(v) for v in y] for _, y in sol.equilibria]
    pay = [[float(sum(x[i] * M[i][j] * y[j] for i in range(m) for j in range(n))) for M in (A, B)]
           for x, y in sol.equilibria]
    return (np.array(xs, dtype=float).reshape(-1, m), np.array(ys, dtype=float).reshape(-1, n),
            np.array(pay, dtype=float).reshape(-1, 2), np.array(sol.components, dtype=np.int64),
            bool(sol.degenerate))


def _design(varied, columns):
    """Exact points (tuples of (name, Fraction)) and float arrays for the varied parameters, from float columns:
    the exact values are the decimals the floats print as, as the engine's default reads them."""
    P = len(columns[0])
    points = [tuple((k, to_exact(float(col[p]))) for k, col in zip(varied, columns)) for p in range(P)]
    params = {k: np.array([float(v) for v in col], dtype=float) for k, col in zip(varied, columns)}
    return points, params


def _random_design(name, scenario, varied, P, seed):
    model = _model(name)
    rng = np.random.default_rng(seed)
    columns = [rng.uniform(float(model.parameters[k].low), float(model.parameters[k].high), P) for k in varied]
    return _design(varied, columns)


def _exact_fn(name, scenario, points, calls=None):
    def exact(p):
        if calls is not None:
            calls.append(int(p))
        A, B, _, _ = _reference(name, scenario, points[p])
        return A, B
    return exact


def _compare(res, p, expected):
    """Point *p* of the batched result equals *expected* (see :func:`_expected`)."""
    x, y, pay, comp, degenerate = expected
    lo, hi = res.offsets[p], res.offsets[p + 1]
    assert hi - lo == len(comp), f"point {p}: {hi - lo} equilibria, exact solver {len(comp)}"
    assert (res.point[lo:hi] == p).all()
    assert res.components[lo:hi].tolist() == comp.tolist(), f"point {p}"
    assert bool(res.degenerate[p]) == degenerate, f"point {p}"
    np.testing.assert_allclose(res.x[lo:hi], x, rtol=0, atol=1e-9, err_msg=f"point {p}")
    np.testing.assert_allclose(res.y[lo:hi], y, rtol=0, atol=1e-9, err_msg=f"point {p}")
    np.testing.assert_allclose(res.payoffs[lo:hi], pay, rtol=1e-12, atol=1e-12, err_msg=f"point {p}")


def _check_point(res, p, A, B, sol=None):
    """Point *p* of the batched result equals the exact scalar solver on exact payoffs A, B."""
    if sol is None:
        sol = extreme_equilibria(A, B, exact=True)
    _compare(res, p, _expected(A, B, sol))


def _check_all(res, name, scenario, points):
    """Every point of *res* equals the exact solver at *points* (compared all at once, then point by point to
    name the first that differs)."""
    assert len(res.counts) == len(points)
    assert res.counts.min() >= 1
    refs = [_reference(name, scenario, pt)[3] for pt in points]
    try:
        np.testing.assert_array_equal(res.counts, [len(r[3]) for r in refs])
        np.testing.assert_array_equal(res.components, np.concatenate([r[3] for r in refs]))
        np.testing.assert_array_equal(res.degenerate, [r[4] for r in refs])
        np.testing.assert_allclose(res.x, np.concatenate([r[0] for r in refs]), rtol=0, atol=1e-9)
        np.testing.assert_allclose(res.y, np.concatenate([r[1] for r in refs]), rtol=0, atol=1e-9)
        np.testing.assert_allclose(res.payoffs, np.concatenate([r[2] for r in refs]), rtol=1e-12, atol=1e-12)
        np.testing.assert_array_equal(res.point, np.repeat(np.arange(len(points)), res.counts))
    except AssertionError:
        for p, expected in enumerate(refs):
            _compare(res, p, expected)
        raise


def _supports(res, r):
    return tuple((res.x[r] != 0).tolist()), tuple((res.y[r] != 0).tolist())


# ------------------------------------------------------------------------- 1. sweeps with fixed values
@pytest.mark.parametrize(("name", "scenario", "k"), CASES)
def test_random_points_with_fixed_parameters_agree_with_the_exact_solver(name, scenario, k):
    """1, 2 or 3 parameters varied uniformly in their ranges (100 seeded points), the rest fixed exactly at the
    scenario: factor keys, and every point equal to the exact solver's answer."""
    varied = VARIED[name, scenario][:k]
    struct = _struct(name, scenario, varied)
    assert struct.keys == "factors"
    assert set(struct.parameters) == set(varied)
    assert {n for n, _ in struct.fixed} == set(struct.game.parameters) - set(varied)
    assert set(struct.specialised.parameters) == set(varied)
    assert len(struct.factors) >= 1 and struct.n_zero >= 1   # the strategic forms are structurally degenerate
    points, params = _random_design(name, scenario, varied, 100, seed=100 + k)
    res = structured_equilibria(struct, params, exact_payoffs=_exact_fn(name, scenario, points))
    _check_all(res, name, scenario, points)
    assert not res.flagged.any()                             # the batched path did the work, not the fallback
    types = {tuple(res.pattern[res.offsets[p]:res.offsets[p + 1]].tolist()) for p in range(len(points))}
    assert len(types) >= 2                                   # the design crosses at least one threshold


# ----------------------------------------------------------------------------------------- 2. thresholds
@pytest.mark.parametrize("k", [1, 3])
@pytest.mark.parametrize(("name", "scenario", "value"), THRESHOLDS)
def test_points_on_thresholds_are_flagged_and_the_type_changes(name, scenario, value, k):
    """The documented thresholds (territory rho = 1/27, nato istanbul-2 rho = 43/702, chain store d = 1) and
    1/1000 either side, with 1 or 3 parameters free: only the point on the threshold is flagged, all three
    equal the exact solver, and the combinatorial type differs on the two sides."""
    varied = VARIED[name, scenario][:k]
    struct = _struct(name, scenario, varied)
    assert struct.keys == "factors"
    base = _model(name).values(scenario)
    first = varied[0]
    values = [value - F(1, 1000), value, value + F(1, 1000)]
    # the other varied parameters sit at their scenario values, so the threshold is where it is documented
    columns = [values if v == first else [base[v]] * 3 for v in varied]
    points = [tuple((v, F(col[p])) for v, col in zip(varied, columns)) for p in range(3)]
    params = {v: np.array([float(c) for c in col]) for v, col in zip(varied, columns)}
    res = structured_equilibria(struct, params, exact_payoffs=_exact_fn(name, scenario, points))
    assert res.flagged.tolist() == [False, True, False]
    _check_all(res, name, scenario, points)
    below = [_supports(res, r) for r in range(res.offsets[0], res.offsets[1])]
    above = [_supports(res, r) for r in range(res.offsets[2], res.offsets[3])]
    assert below != above                                    # a different combinatorial type on each side
    assert res.counts[1] != res.counts[0] or res.counts[1] != res.counts[2]
    assert set(res.pattern[res.offsets[0]:res.offsets[1]]).isdisjoint(res.pattern[res.offsets[2]:res.offsets[3]])


# -------------------------------------------------------------------------------- 3. factors == minors
@pytest.mark.parametrize(("name", "scenario"), list(VARIED))
def test_factor_keys_and_minor_keys_give_the_same_answer(name, scenario):
    """Three parameters free, the rest fixed at the same values: factor keys and minor keys give the same
    table on 200 random points."""
    varied = VARIED[name, scenario]
    by_factors = _struct(name, scenario, varied)
    by_minors = _struct(name, scenario, varied, "minors")
    assert by_factors.keys == "factors" and by_minors.keys == "minors"
    assert by_minors.factors == () and len(by_minors.minors_p) + len(by_minors.minors_q) >= 1
    assert by_factors.n_zero == by_minors.n_zero and by_factors.fixed == by_minors.fixed
    points, params = _random_design(name, scenario, varied, 200, seed=3)
    exact = _exact_fn(name, scenario, points)
    a = structured_equilibria(by_factors, params, exact_payoffs=exact)
    b = structured_equilibria(by_minors, params, exact_payoffs=exact)
    np.testing.assert_array_equal(a.counts, b.counts)
    np.testing.assert_array_equal(a.offsets, b.offsets)
    np.testing.assert_array_equal(a.components, b.components)
    np.testing.assert_array_equal(a.degenerate, b.degenerate)
    for field in ("x", "y", "payoffs"):
        np.testing.assert_allclose(getattr(a, field), getattr(b, field), rtol=0, atol=1e-12, err_msg=field)


# -------------------------------------------------------------------------------------------- 4. cache
def test_second_call_reads_the_cache_and_only_resolves_flagged_points():
    """A repeated call finds every combinatorial type in ``struct._cache``: ``exact_payoffs`` is called only
    for the flagged points, and the result is the same, array for array."""
    name, scenario, varied = "territory", "baseline-2025", ("rho", "kappa")
    struct = _compile(name, scenario, varied)                # fresh: its cache starts empty
    assert struct._cache == {}
    points, params = _random_design(name, scenario, varied, 150, seed=5)
    # two points exactly on the threshold rho = 1/27 (at the scenario's kappa = 1/2), to have flagged points
    for p in (17, 90):
        points[p] = (("rho", F(1, 27)), ("kappa", F(1, 2)))
        params["rho"][p], params["kappa"][p] = 1 / 27, 0.5
    first_calls, second_calls = [], []
    first = structured_equilibria(struct, params, exact_payoffs=_exact_fn(name, scenario, points, first_calls))
    flagged = np.flatnonzero(first.flagged).tolist()
    assert 17 in flagged and 90 in flagged
    types = len(struct._cache)
    assert types >= 2
    # the fresh cache: one exact solve per new type (at its first point) and one per flagged point
    assert set(flagged) <= set(first_calls)
    assert len(first_calls) == types + len(flagged)
    second = structured_equilibria(struct, params, exact_payoffs=_exact_fn(name, scenario, points, second_calls))
    assert sorted(second_calls) == flagged                   # one exact solve per flagged point, nothing else
    assert len(struct._cache) == types
    for field in ("counts", "offsets", "point", "x", "y", "payoffs", "components", "flagged", "degenerate",
                  "regret", "pattern", "pattern_rows"):
        np.testing.assert_array_equal(getattr(first, field), getattr(second, field), err_msg=field)
    _check_all(second, name, scenario, points)


# ------------------------------------------------------------------------ 5. groups that are not contiguous
# values of rho on each side of 1/27 (territory, baseline-2025), cycled so the exact references are reused
_BELOW = [0.011, 0.0153, 0.02, 0.0251, 0.03, 0.0347]
_ABOVE = [0.04, 0.07, 0.129, 0.2, 0.3333, 0.41, 0.5]


@pytest.mark.parametrize("alternations", [5, 63, 64, 65, 150])
def test_interleaved_groups_agree_with_the_exact_solver(alternations):
    """rho alternating below and above 1/27: each group is split into ``alternations`` runs (slices up to 64
    runs, one index array beyond)."""
    name, scenario, varied = "territory", "baseline-2025", ("rho",)
    struct = _struct(name, scenario, varied)
    rho = []
    for t in range(alternations):
        rho += [_BELOW[t % len(_BELOW)], _ABOVE[t % len(_ABOVE)]]
    points, params = _design(varied, [rho])
    res = structured_equilibria(struct, params, exact_payoffs=_exact_fn(name, scenario, points))
    assert not res.flagged.any()
    _check_all(res, name, scenario, points)
    # the two regions are two types, each with one set of patterns
    lo_pat = {tuple(res.pattern[res.offsets[p]:res.offsets[p + 1]]) for p in range(0, len(rho), 2)}
    hi_pat = {tuple(res.pattern[res.offsets[p]:res.offsets[p + 1]]) for p in range(1, len(rho), 2)}
    assert len(lo_pat) == 1 and len(hi_pat) == 1 and lo_pat != hi_pat


@pytest.mark.parametrize(("name", "scenario"), [("territory", "baseline-2025"), ("nato", "istanbul-2")])
def test_randomly_interleaved_types_agree_with_the_exact_solver(name, scenario):
    """1000 points drawn at random (with repetition) from 80 random points of three varied parameters: many
    types, each scattered in runs of every length (some groups with fewer than 64 runs, some with more; more
    than 8 groups for nato). Every point equals the exact solver's."""
    varied = VARIED[name, scenario]
    struct = _struct(name, scenario, varied)
    pool, _ = _random_design(name, scenario, varied, 80, seed=21)
    pick = np.random.default_rng(4).integers(0, len(pool), 1000)
    points = [pool[i] for i in pick]
    params = {k: np.array([float(dict(pt)[k]) for pt in points]) for k in varied}
    res = structured_equilibria(struct, params, exact_payoffs=_exact_fn(name, scenario, points))
    assert not res.flagged.any()
    _check_all(res, name, scenario, points)
    # the design does what it says: the types (read off the patterns of a point's rows) and their runs
    types: dict = {}
    for p in range(len(points)):
        types.setdefault(tuple(res.pattern[res.offsets[p]:res.offsets[p + 1]].tolist()), []).append(p)
    runs = [int((np.diff(members) != 1).sum()) + 1 for members in types.values()]
    assert min(runs) < 64 < max(runs)
    assert len(types) > (8 if name == "nato" else 4)


# ----------------------------------------------------------------------------- 6. regret and patterns
@pytest.mark.parametrize(("name", "scenario", "value"), THRESHOLDS)
def test_regret_and_patterns(name, scenario, value):
    """The certificate's regret is in [0, 4 tol max(1, max|payoff|)] on batched rows and 0 on flagged rows;
    ``pattern`` is -1 exactly on flagged rows, numbers its classes 0, 1, ... (``pattern_rows`` holds a row of
    each) and rows of one class have the same supports."""
    varied = VARIED[name, scenario][:2]
    struct = _struct(name, scenario, varied)
    points, params = _random_design(name, scenario, varied, 120, seed=9)
    base = _model(name).values(scenario)
    # on-threshold points (the second varied parameter at its scenario value): flagged rows among the others
    for p in (0, 50, 119):
        points[p] = ((varied[0], value), (varied[1], base[varied[1]]))
        params[varied[0]][p], params[varied[1]][p] = float(value), float(base[varied[1]])
    res = structured_equilibria(struct, params, exact_payoffs=_exact_fn(name, scenario, points))
    assert res.flagged[[0, 50, 119]].all() and not res.flagged.all()
    _check_all(res, name, scenario, points)
    row_flagged = res.flagged[res.point]
    assert res.regret.shape == res.pattern.shape == (int(res.offsets[-1]),)
    assert (res.regret >= 0).all()
    assert (res.regret[row_flagged] == 0).all()
    scale = np.array([max(1.0, max(abs(float(v)) for M in _reference(name, scenario, pt)[:2] for row in M
                                   for v in row)) for pt in points])
    assert (res.regret[~row_flagged] <= 4e-9 * scale[res.point[~row_flagged]]).all()
    assert ((res.pattern == -1) == row_flagged).all()
    assert len(res.pattern_rows) == res.pattern.max() + 1
    by_pattern = {}
    for r in np.flatnonzero(~row_flagged):
        by_pattern.setdefault(int(res.pattern[r]), set()).add(_supports(res, r))
    assert sorted(by_pattern) == list(range(len(res.pattern_rows)))
    assert all(len(s) == 1 for s in by_pattern.values())
    for k, r in enumerate(res.pattern_rows):
        assert res.pattern[r] == k
    # the rows of one point have distinct patterns (one per equilibrium of its type)
    for p in np.flatnonzero(~res.flagged):
        pats = res.pattern[res.offsets[p]:res.offsets[p + 1]]
        assert len(set(pats.tolist())) == len(pats)


# ------------------------------------------------------------------------------------------- 7. errors
def test_factor_keys_are_refused_beyond_three_free_parameters():
    model = _model("territory")
    varied = ("rho", "kappa", "p", "delta")
    assert len(varied) > MAX_FACTOR_PARAMETERS
    fixed = {k: v for k, v in model.values("baseline-2025").items() if k not in varied}
    with pytest.raises(SolverError, match="factors"):
        compile_structure(model.symbolic("normal"), fixed, keys="factors")
    with pytest.raises(SolverError, match="factors"):
        compile_structure(model.symbolic("normal"), keys="factors")
    assert compile_structure(model.symbolic("normal"), fixed).keys == "minors"       # auto falls back


def test_factor_keys_are_refused_for_float_coefficients():
    a = sympy.Symbol("a")
    g = NormalFormGame.from_arrays([[0.5 * a, 0], [1, 2]], [[1, 1], [0, a]])
    with pytest.raises(SolverError):
        compile_structure(g, keys="factors")
    assert compile_structure(g).keys == "minors"


def test_fixed_parameters_must_keep_their_value():
    name, scenario, varied = "territory", "baseline-2025", ("rho",)
    struct = _struct(name, scenario, varied)
    rho = np.array([0.02, 0.2])
    with pytest.raises(ParameterError, match="kappa"):
        structured_equilibria(struct, {"rho": rho, "kappa": 0.3})
    with pytest.raises(ParameterError, match="kappa"):
        structured_equilibria(struct, {"rho": rho, "kappa": np.array([0.5, 0.3])})
    # the fixed value itself is accepted, as a number or an array
    points, _ = _design(varied, [rho])
    res = structured_equilibria(struct, {"rho": rho, "kappa": 0.5, "p": np.array([0.6, 0.6])},
                                exact_payoffs=_exact_fn(name, scenario, points))
    _check_all(res, name, scenario, points)


def test_unknown_keys_are_refused():
    with pytest.raises(SolverError, match="keys"):
        compile_structure(_model("chain-store").symbolic("normal"), keys="signs")


# ------------------------------------------------------------------------------------ 8. random games
_TS = [F(-7, 3), F(-1, 2), F(1, 5), F(2, 3), F(13, 4)]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(-3, 3), min_size=18, max_size=18),
       st.lists(st.integers(-2, 2), min_size=18, max_size=18),
       st.lists(st.booleans(), min_size=9, max_size=9))
def test_random_3x3_games_linear_in_t_both_key_modes(const, slope, tied):
    """3 x 3 games a + b t (integers) with planted ties (a cell copies its left neighbour, for both players):
    factor keys and minor keys at 5 rational t both equal the exact solver."""
    t = sympy.Symbol("t")
    A = [[const[3 * i + j] + slope[3 * i + j] * t for j in range(3)] for i in range(3)]
    B = [[const[9 + 3 * i + j] + slope[9 + 3 * i + j] * t for j in range(3)] for i in range(3)]
    for i in range(3):
        for j in range(1, 3):
            if tied[3 * i + j]:
                A[i][j], B[i][j] = A[i][j - 1], B[i][j - 1]
    game = NormalFormGame.from_arrays(A, B)
    assume(game.parameters == ("t",))
    refs = []
    for tv in _TS:
        Ae, Be = game.instantiate({"t": tv}, exact=True).payoffs
        Ae, Be = Ae.tolist(), Be.tolist()
        refs.append((Ae, Be, extreme_equilibria(Ae, Be, exact=True)))
    params = {"t": np.array([float(v) for v in _TS])}
    for keys in ("factors", "minors"):
        struct = compile_structure(game, keys=keys)
        assert struct.keys == keys
        res = structured_equilibria(struct, params, exact_payoffs=lambda p: refs[p][:2])
        for p, (Ae, Be, sol) in enumerate(refs):
            _check_point(res, p, Ae, Be, sol)


def test_a_sweep_of_a_parameter_the_normal_form_does_not_use_keeps_every_point():
    """x_prewar enters no payoff of territory's normal form: the batched sweep still has a row set per point,
    equal to the exact scalar sweep's (5 points x 6 equilibria at baseline-2025)."""
    t = _model("territory")
    batched = gtu.sweep(t, {"x_prewar": "0.1:0.5:5"}, form="normal", scenario="baseline-2025")
    exact = gtu.sweep(t, {"x_prewar": "0.1:0.5:5"}, form="normal", scenario="baseline-2025", exact=True)
    assert batched.attrs["engine"] == "bimatrix" and len(batched) == len(exact) == 30
    cols = [c for c in exact.columns if c != "regret"]
    pd.testing.assert_frame_equal(batched[cols], exact[cols], check_exact=False, rtol=0, atol=1e-9)
