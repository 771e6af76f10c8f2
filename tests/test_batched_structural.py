"""The batched two-player engine for structurally degenerate games agrees with the exact scalar solver (issue 5).

Every framework model's two-player normal form is degenerate at every point (the strategic form of a tree), so
these tests are the agreement tests of the normal-form sweep engine: random points, points placed exactly on
thresholds, random symbolic games, and whole sweep tables against the scalar path.
"""

from __future__ import annotations

from fractions import Fraction as F
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import sympy
from conftest import THREE_PLAYER
from hypothesis import given, settings
from hypothesis import strategies as st

import gametheory_ukraine as gtu
from gametheory_ukraine.batched.structural import compile_structure, structured_equilibria
from gametheory_ukraine.core.errors import SolverError
from gametheory_ukraine.core.numbers import to_exact
from gametheory_ukraine.games.normal_form import NormalFormGame
from gametheory_ukraine.solvers.two_player import extreme_equilibria

TWO_PLAYER = ("territory", "nato", "chain-store")
# territory here is its previous 4 x 4 normal form (tests/data): the current model states a 6 x 14 form, beyond
# what the structured engine compiles with several free parameters (batched.structural.MAX_SUPPORT_PAIRS), as
# these tests vary them all; its one-parameter sweeps are tested in test_array_sweeps.py
_FIXTURES = {"territory": str(Path(__file__).resolve().parent / "data" / "territory-before-break-option.yaml")}


def _load(name):
    return gtu.load_model(_FIXTURES.get(name, name))



def _exact_game(model, scenario, values):
    vals = model.values(scenario)
    vals.update(values)
    return model.symbolic("normal").instantiate(vals, exact=True)


def _check_point(res, p, A, B):
    """Point *p* of the batched result equals the exact scalar solver on exact payoffs A, B."""
    sol = extreme_equilibria(A, B, exact=True)
    lo, hi = res.offsets[p], res.offsets[p + 1]
    assert hi - lo == len(sol.equilibria)
    assert res.components[lo:hi].tolist() == list(sol.components)
    assert bool(res.degenerate[p]) == sol.degenerate
    for r, (x, y) in zip(range(lo, hi), sol.equilibria):
        np.testing.assert_allclose(res.x[r], [float(v) for v in x], rtol=0, atol=1e-9)
        np.testing.assert_allclose(res.y[r], [float(v) for v in y], rtol=0, atol=1e-9)
        u = sum(x[i] * A[i][j] * y[j] for i in range(len(x)) for j in range(len(y)))
        v = sum(x[i] * B[i][j] * y[j] for i in range(len(x)) for j in range(len(y)))
        np.testing.assert_allclose(res.payoffs[r], [float(u), float(v)], rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("name", TWO_PLAYER)
def test_random_points_agree_with_the_exact_solver(name):
    """Every parameter drawn uniformly in its range at 300 points; each point checked exactly."""
    model = _load(name)
    struct = compile_structure(model.symbolic("normal"))
    rng = np.random.default_rng(7)
    params = {k: rng.uniform(float(p.low), float(p.high), 300) for k, p in model.parameters.items()}

    def exact(p):
        return _exact_game(model, None, {k: to_exact(float(v[p])) for k, v in params.items()}).payoffs

    res = structured_equilibria(struct, params, exact_payoffs=exact)
    assert res.counts.min() >= 1
    for p in range(300):
        A, B = exact(p)
        _check_point(res, p, A.tolist(), B.tolist())


@pytest.mark.parametrize(("name", "scenario", "param", "value"), [
    ("territory", "baseline-2025", "rho", F(1, 27)),    # Ukraine's indifference between ceding and fighting
    ("nato", "istanbul-2", "rho", F(43, 702)),          # Kyiv: open NATO path vs war (by hand from the payoffs)
    ("chain-store", None, "d", F(1)),                   # the entrant's indifference, d = o_E
])
def test_points_exactly_on_thresholds_are_flagged_and_solved_exactly(name, scenario, param, value):
    model = _load(name)
    struct = compile_structure(model.symbolic("normal"))
    base = model.values(scenario)
    values = [value - F(1, 1000), value, value + F(1, 1000)]
    params = {k: float(v) for k, v in base.items()}
    params[param] = np.array([float(v) for v in values])

    def exact(p):
        return _exact_game(model, scenario, {param: values[p]}).payoffs

    res = structured_equilibria(struct, params, exact_payoffs=exact)
    assert res.flagged.tolist() == [False, True, False]
    for p in range(3):
        A, B = exact(p)
        _check_point(res, p, A.tolist(), B.tolist())
    assert res.counts[1] != res.counts[0] or res.counts[1] != res.counts[2]  # the type changes there


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(-3, 3), min_size=32, max_size=32), st.lists(st.integers(0, 1), min_size=16,
                                                                          max_size=16))
def test_random_symbolic_games_with_structural_ties(entries, tied):
    """4 x 4 games a + b * t with ties planted (a cell copies its left neighbour, for both players): the batched
    answer at 5 values of t equals the exact solver's."""
    t = sympy.Symbol("t")
    A = [[entries[4 * i + j] + (j - i) * t for j in range(4)] for i in range(4)]
    B = [[entries[16 + 4 * i + j] - i * t for j in range(4)] for i in range(4)]
    for i in range(4):
        for j in range(1, 4):
            if tied[4 * i + j]:
                A[i][j], B[i][j] = A[i][j - 1], B[i][j - 1]
    game = NormalFormGame.from_arrays(A, B)
    struct = compile_structure(game)
    ts = [F(-7, 3), F(-1, 2), F(1, 5), F(2, 3), F(13, 4)]
    res = structured_equilibria(struct, {"t": np.array([float(v) for v in ts])},
                                exact_payoffs=lambda p: game.instantiate({"t": ts[p]}, exact=True).payoffs)
    for p, tv in enumerate(ts):
        Ae, Be = game.instantiate({"t": tv}, exact=True).payoffs
        _check_point(res, p, Ae.tolist(), Be.tolist())


def test_structural_zero_minors_are_found():
    """The chain store: 'stay out' gives the incumbent m whatever it planned -- one identically-zero minor."""
    s = compile_structure(gtu.load_model("chain-store").symbolic("normal"))
    assert s.n_zero == 1 and len(s.minors_p) == 1 and len(s.minors_q) == 2


def test_piecewise_payoffs_and_more_players_are_refused():
    a = sympy.Symbol("a")
    with pytest.raises(SolverError, match="min, max or abs"):
        compile_structure(NormalFormGame.from_arrays([[sympy.Max(a, 1), 0], [0, 1]], [[1, 0], [0, 1]]))
    with pytest.raises(SolverError, match="two-player"):
        compile_structure(gtu.load_model(THREE_PLAYER).symbolic("normal"))


@pytest.mark.parametrize(("name", "scenario", "values"), [
    ("territory", "baseline-2025", {"rho": "0.01:0.1:46", "kappa": "0:1:3"}),
    ("nato", "istanbul-2", {"rho": "0.1:0.5:41"}),
    ("chain-store", None, {"d": "0:3:31"}),
])
def test_normal_form_sweep_table_equals_the_scalar_sweep(name, scenario, values):
    """The sweep's default engine for two-player normal forms gives the scalar path's table: same rows, labels,
    components; probabilities and payoffs to 1e-9. The grids straddle thresholds (1/27, 1/3, d = 1)."""
    model = _load(name)
    batched = gtu.sweep(model, values, form="normal", scenario=scenario, chunk_size=16)
    exact = gtu.sweep(model, values, form="normal", scenario=scenario, exact=True)
    assert batched.attrs["engine"] == "bimatrix" and exact.attrs["engine"] == "scalar"
    assert list(batched.columns) == list(exact.columns)
    cols = [c for c in exact.columns if c != "regret"]
    pd.testing.assert_frame_equal(batched[cols], exact[cols], check_exact=False, rtol=0, atol=1e-9)
    assert (batched["regret"] <= 1e-9).all()


# ------------------------------------------------------------------------------ N-player pure equilibria
def test_batched_pure_equilibria_of_the_three_player_form_agree_with_the_scalar_pure_solver():
    """The 3-player fixture's 2 x 2 x 3 normal form (the previous guarantees model) at 200 random points (and at
    its scenarios): the same pure equilibria as ``solve(..., method="pure", exact=True)``."""
    from gametheory_ukraine.batched.compile import compile_normal_form
    from gametheory_ukraine.batched.n_player import batched_pure_equilibria

    model = gtu.load_model(THREE_PLAYER)
    game = model.symbolic("normal")
    rng = np.random.default_rng(11)
    points = [{k: to_exact(float(rng.uniform(float(p.low), float(p.high)))) for k, p in model.parameters.items()}
              for _ in range(200)]
    points += [model.values(s) for s in model.scenarios]
    params = {k: np.array([float(pt[k]) for pt in points]) for k in model.parameters}
    pays = compile_normal_form(game).payoffs(params)
    res = batched_pure_equilibria(pays, exact_payoffs=lambda p: game.instantiate(points[p], exact=True).payoffs)
    for p, pt in enumerate(points):
        ref = model.solve("normal", exact=True, method="pure", **pt)
        expected = sorted(tuple(s.index(1) for s in eq.strategies) for eq in ref.equilibria)
        assert res.profiles(p) == expected
    assert res.counts.sum() > 0


def test_batched_pure_equilibria_flag_near_ties_and_resolve_them_exactly():
    from gametheory_ukraine.batched.n_player import batched_pure_equilibria

    A = np.array([[[1.0, 0.0], [1.0 + 1e-12, 0.0]]])   # row 2 beats row 1 by 1e-12 in column 1
    B = np.array([[[1.0, 0.0], [1.0, 0.0]]])
    res = batched_pure_equilibria((A, B), exact_payoffs=lambda p: ([[1, 0], [1, 0]], [[1, 0], [1, 0]]))
    assert res.flagged.tolist() == [True] and res.profiles(0) == [(0, 0), (1, 0)]  # exactly a tie
    plain = batched_pure_equilibria((A, B))
    assert plain.flagged.tolist() == [True] and plain.profiles(0) == [(1, 0)]


def test_games_with_too_many_support_pairs_take_the_scalar_engine():
    """Territory's 6 x 14 normal form has sum_k C(6, k) C(14, k) = 84 + 1365 + 7280 + 15015 + 12012 + 3003 =
    38,759 pairs of equal-size supports, above the cap for games with several free parameters: with none of
    them fixed the structured engine refuses it and a sweep takes the scalar engine; nato's 5 x 4 form (20 + 60 +
    40 + 5 = 125 pairs) stays on the structured engine."""
    from gametheory_ukraine.analysis.sweep_plan import choose_engine
    from gametheory_ukraine.batched.structural import MAX_SUPPORT_PAIRS, check_structured
    from gametheory_ukraine.core.errors import SolverError

    territory = gtu.load_model("territory")
    assert [len(a) for a in territory.symbolic("normal").actions] == [6, 14]
    assert 38_759 > MAX_SUPPORT_PAIRS
    with pytest.raises(SolverError, match="38,759 pairs of supports"):
        check_structured(territory.symbolic("normal"))
    assert choose_engine(territory, "normal", False, "auto") == "scalar"
    assert choose_engine(gtu.load_model("nato"), "normal", False, "auto") == "bimatrix"
