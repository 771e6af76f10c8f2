"""Agreement of the batched bimatrix solver (gametheory_ukraine.batched.bimatrix) with the exact scalar solver.

Reference: ``extreme_equilibria(A, B, exact=True)`` (vertex enumeration in rational arithmetic) per point, or
``model.solve("normal", exact=True, **values)`` for the framework models. Equilibria are compared as sets
(rounded to 1e-9), then in order; payoffs within 1e-9.
"""

from __future__ import annotations

from fractions import Fraction as F

import numpy as np
import pytest
import sympy

import gametheory_ukraine as gtu
from gametheory_ukraine.batched.bimatrix import BatchedBimatrix, batched_equilibria
from gametheory_ukraine.solvers.two_player import extreme_equilibria

VS_A = [[3, 3], [2, 5], [0, 6]]
VS_B_DEGENERATE = [[3, 3], [2, 6], [3, 1]]
VS_B_NONDEGENERATE = [[3, 2], [2, 6], [3, 1]]


def _bilinear(x, M, y) -> F:
    return sum((F(x[i]) * F(M[i][j]) * F(y[j]) for i in range(len(x)) for j in range(len(y))), F(0))


def reference(A, B):
    """Exact scalar solution as floats: (equilibria as a list of (x, y) float tuples, payoffs, degenerate)."""
    sol = extreme_equilibria(A, B, exact=True)
    eqs = [(tuple(float(v) for v in x), tuple(float(v) for v in y)) for x, y in sol.equilibria]
    pays = [(float(_bilinear(x, A, y)), float(_bilinear(x, B, y))) for x, y in sol.equilibria]
    return eqs, pays, sol.degenerate


def _key(eq) -> tuple:
    return tuple(round(v, 9) + 0.0 for v in eq[0] + eq[1])


def assert_point_agrees(res: BatchedBimatrix, p: int, eqs, pays) -> None:
    got = res.equilibria(p)
    assert res.counts[p] == len(eqs), (p, got, eqs)
    assert {_key(e) for e in got} == {_key(e) for e in eqs}, (p, got, eqs)  # as sets
    for (gx, gy), (ex, ey) in zip(got, eqs):  # then in order
        np.testing.assert_allclose(gx + gy, ex + ey, rtol=0, atol=1e-9)
    lo, hi = res.offsets[p], res.offsets[p + 1]
    np.testing.assert_allclose(res.payoffs[lo:hi], np.array(pays, dtype=float).reshape(-1, 2), rtol=0, atol=1e-9)
    assert (res.point[lo:hi] == p).all()


def assert_batch_agrees(A, B) -> BatchedBimatrix:
    res = batched_equilibria(A, B)
    assert res.offsets[-1] == len(res.point) == len(res.x) == len(res.y) == len(res.payoffs)
    for p in range(len(A)):
        eqs, pays, degenerate = reference(A[p].tolist(), B[p].tolist())
        assert_point_agrees(res, p, eqs, pays)
        if degenerate:  # the flag is conservative: every degenerate point is re-solved exactly
            assert res.flagged[p]
        if res.flagged[p]:
            assert res.degenerate[p] == degenerate
        else:
            assert not degenerate and len(eqs) % 2 == 1
    return res


# ------------------------------------------------------------------------------------ random games
@pytest.mark.parametrize("shape", [(2, 2), (3, 3), (4, 4), (2, 4), (4, 3), (1, 3), (3, 1)])
def test_generic_random_games_agree_without_fallback(shape):
    rng = np.random.default_rng(sum(shape) * 101 + shape[0])
    A = rng.uniform(-1, 1, size=(60, *shape))
    B = rng.uniform(-1, 1, size=(60, *shape))
    res = assert_batch_agrees(A, B)
    assert not res.flagged.any()  # uniform payoffs: nondegenerate almost surely, all solved in batch
    if shape == (4, 4):
        assert res.counts.max() >= 3  # mixed equilibria were found, not only pure ones


@pytest.mark.parametrize("shape", [(2, 2), (3, 3), (4, 4), (3, 2)])
def test_small_integer_games_flag_degenerate_points_and_fall_back(shape):
    rng = np.random.default_rng(7 + shape[0] * 10 + shape[1])
    A = rng.integers(0, 10, size=(80, *shape)).astype(float)
    B = rng.integers(0, 10, size=(80, *shape)).astype(float)
    res = assert_batch_agrees(A, B)
    assert res.flagged.any()
    assert res.degenerate.any() or shape == (2, 2)


def test_von_stengel_degenerate_game_in_a_batch():
    A = np.array([VS_A, VS_A, VS_A], dtype=float)
    B = np.array([VS_B_NONDEGENERATE, VS_B_DEGENERATE, VS_B_NONDEGENERATE], dtype=float)
    res = assert_batch_agrees(A, B)
    assert res.counts.tolist() == [3, 3, 3]
    assert res.flagged.tolist() == [False, True, False]
    assert res.degenerate.tolist() == [False, True, False]
    lo = res.offsets[1]
    assert res.components[lo:lo + 3].tolist() == [0, 0, 1]  # the continuum of von Stengel's example
    np.testing.assert_allclose(res.x[lo + 2], [0, 1 / 3, 2 / 3])
    np.testing.assert_allclose(res.y[lo + 1], [2 / 3, 1 / 3])


def test_two_by_two_closed_form_examples():
    # Matching pennies (one mixed equilibrium), battle of the sexes (two pure, one mixed), prisoners' dilemma.
    A = np.array([[[1, -1], [-1, 1]], [[2, 0], [0, 1]], [[3, 0], [5, 1]]], dtype=float)
    B = np.array([[[-1, 1], [1, -1]], [[1, 0], [0, 2]], [[3, 5], [0, 1]]], dtype=float)
    res = assert_batch_agrees(A, B)
    assert res.counts.tolist() == [1, 3, 1]
    np.testing.assert_allclose(res.x[1:4], [[1, 0], [2 / 3, 1 / 3], [0, 1]])
    np.testing.assert_allclose(res.y[1:4], [[1, 0], [1 / 3, 2 / 3], [0, 1]])
    np.testing.assert_allclose(res.payoffs[4], [1, 1])


def test_chunking_does_not_change_the_result():
    rng = np.random.default_rng(3)
    A = rng.uniform(size=(50, 3, 3))
    B = rng.integers(0, 3, size=(50, 3, 3)).astype(float)
    one, many = batched_equilibria(A, B), batched_equilibria(A, B, chunk=7)
    for field in ("counts", "offsets", "point", "x", "y", "payoffs", "components", "flagged", "degenerate"):
        np.testing.assert_array_equal(getattr(one, field), getattr(many, field))


def test_input_errors():
    with pytest.raises(ValueError, match="shape"):
        batched_equilibria(np.zeros((2, 2)), np.zeros((2, 2)))
    with pytest.raises(ValueError, match="shape"):
        batched_equilibria(np.zeros((1, 2, 2)), np.zeros((1, 2, 3)))
    with pytest.raises(ValueError, match="finite"):
        batched_equilibria(np.full((1, 2, 2), np.nan), np.zeros((1, 2, 2)))
    with pytest.raises(ValueError, match="tol"):
        batched_equilibria(np.zeros((1, 2, 2)), np.zeros((1, 2, 2)), tol=-1)


# ------------------------------------------------------------------------------------ framework models
def _payoff_function(model):
    """(names, f) with f(**arrays) -> (A, B) of shape (points, m, n): the normal form lambdified once."""
    game = model.symbolic("normal")
    exprs = [sympy.sympify(v) for p in game.payoffs for v in p.flat]
    symbols = sorted({s for e in exprs for s in e.free_symbols}, key=lambda s: s.name)
    f = sympy.lambdify(symbols, exprs, modules="numpy")
    m, n = game.shape

    def evaluate(values: dict) -> tuple[np.ndarray, np.ndarray]:
        args = [np.asarray(values[s.name], dtype=float) for s in symbols]
        P = len(args[0])
        flat = np.stack([np.broadcast_to(np.asarray(v, dtype=float), (P,)) for v in f(*args)], axis=1)
        return flat[:, : m * n].reshape(P, m, n), flat[:, m * n:].reshape(P, m, n)

    return evaluate


def _random_points(model, rng, count: int) -> list[dict]:
    points = []
    for _ in range(count):
        vals = model.values()
        for name, par in model.parameters.items():
            vals[name] = par.low + (par.high - par.low) * F(int(rng.integers(0, 1001)), 1000)
        points.append(vals)
    return points


def _check_model_points(model, points: list[dict]) -> BatchedBimatrix:
    evaluate = _payoff_function(model)
    A, B = evaluate({name: [float(pt[name]) for pt in points] for name in model.parameters})

    def exact_payoffs(p):
        game = model.game("normal", exact=True, **points[p])
        return game.payoffs[0], game.payoffs[1]

    res = batched_equilibria(A, B, exact_payoffs=exact_payoffs)
    for p, vals in enumerate(points):
        ref = model.solve("normal", exact=True, **vals)
        eqs = [(tuple(float(v) for v in e.strategies[0]), tuple(float(v) for v in e.strategies[1]))
               for e in ref.equilibria]
        pays = [tuple(float(v) for v in e.payoffs) for e in ref.equilibria]
        assert_point_agrees(res, p, eqs, pays)
        assert res.degenerate[p] == bool(ref.degenerate)
    return res


@pytest.mark.parametrize("name", ["territory", "nato"])
def test_framework_normal_forms_at_random_points(name):
    model = gtu.load_model(name)
    rng = np.random.default_rng(2025)
    points = [model.values()] + [model.values(sc) for sc in model.scenarios] + _random_points(model, rng, 25)
    res = _check_model_points(model, points)
    assert res.flagged.all()  # structurally degenerate (constant war payoffs): every point is solved exactly


def test_territory_threshold_rho_one_27th_is_a_tie():
    model = gtu.load_model("territory")
    below, at, above = (model.values(rho=r) for r in (F(1, 30), F(1, 27), F(1, 25)))
    res = _check_model_points(model, [below, at, above])
    # At rho* = 1/27 Ukraine is indifferent between ceding Donbas and fighting on (the float payoffs are only a
    # near-tie; the exact path decides). Pure equilibria, counted by hand over the 6 x 14 form: below rho* 2
    # settlements on Russian terms (Ukraine's answers to the swap and the freeze all "reject" or all "break")
    # and 6 wars, at rho* 2 settlements and 12 wars, above it 12 wars. Settlement values by hand:
    # settle(0.7, h, 6) and settle(0.3, h, 1.5) with h = 1.5 rho: (194/29, 147/58) at 1/30, (20/3, 5/2) at 1/27.
    pure_counts, payoffs = [], []
    for p in range(3):
        lo, hi = res.offsets[p], res.offsets[p] + res.counts[p]
        pure = [k for k in range(lo, hi) if 1.0 in res.x[k] and 1.0 in res.y[k]]
        pure_counts.append(len(pure))
        payoffs.append({tuple(round(float(v), 9) for v in res.payoffs[k]) for k in pure})
    assert pure_counts == [8, 14, 12]
    assert payoffs[0] == {(round(194 / 29, 9), round(147 / 58, 9)), (5.0, 2.5)}
    assert payoffs[1] == {(round(20 / 3, 9), 2.5), (5.0, 2.5)}
    assert payoffs[2] == {(5.0, 2.5)}
