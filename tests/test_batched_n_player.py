"""The batched N-player engine (:func:`gametheory_ukraine.batched.n_player.batched_nash` and the ``nplayer`` sweep
engine) against the exact scalar support enumeration, point by point.

Every certified point must carry exactly the scalar solver's equilibria, in its order, with its ``complete`` flag;
every other point is solved on the exact path by the sweep. The independent references are the exact solver
(:func:`~gametheory_ukraine.solvers.n_player.support_enumeration`, exact rational or algebraic arithmetic) and a
closed form derived here with sympy.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
import sympy
from conftest import THREE_PLAYER

import gametheory_ukraine as gtu
from gametheory_ukraine.batched.compile import compile_normal_form
from gametheory_ukraine.batched.n_player import MAX_CELLS, batched_nash
from gametheory_ukraine.solvers.n_player import support_enumeration


def _assert_certified_points_agree(payoffs: tuple[np.ndarray, ...], res, tol: float = 1e-9) -> int:
    """Each certified point's rows equal the exact solver's equilibria (same count, order, values to 1e-9) and
    its complete flag; returns the number of certified points."""
    for p in np.flatnonzero(res.certified).tolist():
        sol = support_enumeration([u[p] for u in payoffs], exact=False, tol=tol)
        rows = np.flatnonzero(res.point == p)
        assert len(rows) == len(sol.equilibria) == res.counts[p], p
        assert bool(res.complete[p]) == sol.complete, p
        for r, eq in zip(rows.tolist(), sol.equilibria):
            mine = np.concatenate([s[r] for s in res.strategies])
            np.testing.assert_allclose(mine, np.concatenate([np.asarray(x, float) for x in eq]), atol=1e-9)
            assert res.regret[r] <= tol
        assert res.component[rows].tolist() == list(sol.components), p
    return int(res.certified.sum())


def _continuum(payoffs: tuple[np.ndarray, ...], p: int) -> bool:
    """Whether the exact solver finds a continuum (a polytope of equilibria) at point *p*."""
    return bool(support_enumeration([u[p] for u in payoffs], exact=False).polytopes)


def _uncertified_are_ties_or_continua(payoffs: tuple[np.ndarray, ...], res, ties=()) -> None:
    """Every point the batched engine leaves to the exact path has a continuum there, or is a known tie."""
    for p in np.flatnonzero(~res.certified).tolist():
        assert p in ties or _continuum(payoffs, p), p


# ------------------------------------------------------------------------------ random games
@pytest.mark.parametrize(("shape", "points", "low"), [((2, 2, 2), 60, 55), ((2, 2, 3), 60, 55), ((3, 3, 3), 4, 0)])
def test_random_float_games_agree_with_the_exact_solver(shape, points, low):
    """Seeded random games with continuous payoffs (generic: 2x2x2 and 2x2x3 points are nearly all certified; a
    3x3x3 point has supports of three mixers with three actions, which have no closed form here)."""
    rng = np.random.default_rng(20251205)
    payoffs = tuple(np.round(rng.uniform(-10, 10, size=(points, *shape)), 3) for _ in shape)
    res = batched_nash(payoffs)
    assert _assert_certified_points_agree(payoffs, res) >= low


@pytest.mark.parametrize(("shape", "points"), [((2, 2, 2), 80), ((2, 2, 3), 60)])
def test_random_integer_games_agree_where_certified_and_ties_are_left_to_the_exact_path(shape, points):
    """Small integer payoffs make ties (degenerate games): certified points agree exactly, and points with a
    continuum of equilibria are left to the exact path (which lists its polytope's vertices) rather than
    guessed."""
    rng = np.random.default_rng(7)
    payoffs = tuple(rng.integers(-2, 3, size=(points, *shape)).astype(float) for _ in shape)
    res = batched_nash(payoffs)
    certified = _assert_certified_points_agree(payoffs, res)
    assert 0 < certified < points
    assert any(_continuum(payoffs, p) for p in np.flatnonzero(~res.certified).tolist())


def test_the_three_matching_players_game():
    """Everyone gets 1 if all three match: (0,0,0), (1,1,1) and the fully mixed (1/2, 1/2, 1/2) (each player's
    indifference (1 - y)(1 - z) = yz is linear, y + z = 1, and symmetry gives 1/2). Where two players play
    different pure actions the third is indifferent: a continuum of solutions of that support's indifference
    conditions, but none of them is an equilibrium (the two players who differ are not best-responding), so its
    polytope is empty: exactly the three, complete, each its own component (the batched engine resolves the
    continuum itself)."""
    same = np.zeros((1, 2, 2, 2))
    same[0, 0, 0, 0] = same[0, 1, 1, 1] = 1
    res = batched_nash((same, same, same))
    assert res.certified[0] and res.complete[0] and res.counts[0] == 3
    assert [tuple(s[r, 0] for s in res.strategies) for r in range(3)] == [(1, 1, 1), (0.5, 0.5, 0.5), (0, 0, 0)]
    assert res.component.tolist() == [0, 1, 2]
    exact = support_enumeration([same[0]] * 3, exact=False)
    assert exact.complete and not exact.polytopes
    assert sorted(tuple(eq[k][0] for k in range(3)) for eq in exact.equilibria) == [
        (0.0, 0.0, 0.0), (0.5, 0.5, 0.5), (1.0, 1.0, 1.0)]


# -------------------------------------------------------------------- an irrational equilibrium
def _game_from_deltas(d1: dict, d2: dict, d3: dict) -> list[np.ndarray]:
    """2x2x2: player i gets 0 for action 1 and d_i[others' actions] for action 0."""
    out = [np.zeros((2, 2, 2)) for _ in range(3)]
    for a, b, c in itertools.product(range(2), repeat=3):
        if a == 0:
            out[0][a, b, c] = d1[(b, c)]
        if b == 0:
            out[1][a, b, c] = d2[(a, c)]
        if c == 0:
            out[2][a, b, c] = d3[(a, b)]
    return out


def test_an_irrational_fully_mixed_equilibrium_matches_its_closed_form():
    """With p, q, r the probabilities of action 0: D1 = 2qr - 1, D2 = 4p - 2r - 1, D3 = 4q - 2p - 1 (the gains
    of action 0). Solved here with sympy: the fully mixed equilibrium has p = (sqrt(41) - 1)/8; the pure
    equilibria are (0,0,0) and (1,1,1)."""
    game = _game_from_deltas({(0, 0): 1, (0, 1): -1, (1, 0): -1, (1, 1): -1},
                             {(0, 0): 1, (0, 1): 3, (1, 0): -3, (1, 1): -1},
                             {(0, 0): 1, (0, 1): -3, (1, 0): 3, (1, 1): -1})
    p, q, r = sympy.symbols("p q r")
    P_ = lambda x, k: x if k == 0 else 1 - x  # noqa: E731
    gains = []
    for i, (x, y) in enumerate(((q, r), (p, r), (p, q))):
        d = game[i][tuple(0 if j == i else slice(None) for j in range(3))]
        gains.append(sum(sympy.Integer(int(d[b, c])) * P_(x, b) * P_(y, c) for b in range(2) for c in range(2)))
    solutions = [s for s in sympy.solve(gains, [p, q, r], dict=True) if all(0 < s[v] < 1 for v in (p, q, r))]
    assert len(solutions) == 1 and sympy.simplify(solutions[0][p] - (sympy.sqrt(41) - 1) / 8) == 0
    expected = [float(solutions[0][v]) for v in (p, q, r)]
    res = batched_nash(tuple(u[None] for u in game))
    assert res.certified[0] and res.complete[0] and res.counts[0] == 3
    np.testing.assert_allclose([res.strategies[i][1, 0] for i in range(3)], expected, rtol=1e-12)
    np.testing.assert_allclose([res.strategies[i][0, 0] for i in range(3)], [1, 1, 1])
    np.testing.assert_allclose([res.strategies[i][2, 0] for i in range(3)], [0, 0, 0])
    np.testing.assert_allclose(res.payoffs[1], [0, 0, 0], atol=1e-12)  # indifferent: action 1 pays 0


# ----------------------------------------------------------------------- near-degenerate points
def test_a_near_tie_with_the_tolerance_goes_to_the_exact_path():
    """Player 1 gains exactly tol = 1e-9 by deviating from (0,0,0): whether that beats tol is decided exactly
    (it does not: the scalar solver keeps (0,0,0)); the float gain sits in the band, so the point is not
    certified, while the same game with a gain of 0.5 is."""
    base = np.zeros((2, 2, 2, 2))
    base[:, 0, 0, 0] = 1.0                # everyone likes (0,0,0) ...
    one = base.copy()
    one[:, 1, 0, 0] = [1.0 + 1e-9, 1.5]   # ... but player 1 gains 1e-9 (a tie with tol) or 0.5 by leaving it
    res = batched_nash((one, base, base))
    assert not res.certified[0]  # the second point has continua (zeros off (0,0,0)): the exact path too
    _uncertified_are_ties_or_continua((one, base, base), res, ties=(0,))
    exact = support_enumeration([one[0], base[0], base[0]], exact=False)
    assert ((1.0, 0.0), (1.0, 0.0), (1.0, 0.0)) in exact.equilibria
    _assert_certified_points_agree((one, base, base), res)


def test_a_near_zero_pivot_goes_to_the_exact_path():
    """Player 3 plays its dominant action 0; player 2 matches player 1; player 1's gain from action 1 is -5e-14
    against player 2's action 0 and 5e-14 against action 1. Exactly, ((1/2, 1/2), (1/2, 1/2), (1, 0)) is an
    equilibrium (each of players 1 and 2 indifferent at the other's 1/2), but the pivot of player 1's
    indifference is 1e-13, within its band of zero: the point goes to the exact path, which finds it."""
    u1, u2, u3 = (np.zeros((1, 2, 2, 2)) for _ in range(3))
    u3[0, :, :, 0] = 1
    u2[0, 0, 0, :] = u2[0, 1, 1, :] = 1
    u1[0, 0, 0, 0] = u1[0, 1, 1, 0] = 5e-14
    res = batched_nash((u1, u2, u3))
    assert not res.certified[0] and res.counts[0] == 0
    exact = support_enumeration([u1[0], u2[0], u3[0]], exact=False)
    assert ((0.5, 0.5), (0.5, 0.5), (1.0, 0.0)) in exact.equilibria


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="more than 27 cells"):
        batched_nash(tuple(np.zeros((1, 3, 3, 4)) for _ in range(3)))
    with pytest.raises(ValueError, match="finite"):
        batched_nash(tuple(np.full((1, 2, 2, 2), np.nan) for _ in range(3)))
    assert MAX_CELLS == 27


# -------------------------------------------------------------------------------- sweeps
def _frames_equal(a: pd.DataFrame, b: pd.DataFrame) -> None:
    assert list(a.columns) == list(b.columns) and len(a) == len(b)
    pd.testing.assert_frame_equal(a, b, check_exact=False, rtol=1e-9, atol=1e-9, check_categorical=False)


def test_the_guarantees_normal_form_sweeps_on_the_batched_engine_with_the_scalar_table():
    """The previous guarantees model's 2 x 2 x 3 form (tests/data): the batched sweep's table equals the
    scalar engine's, on a grid over which the outcomes change."""
    model = gtu.load_model(THREE_PLAYER)
    values = {"rho": "0.01:0.5:5", "q": "0:1:3", "x": "0.5:0.75:3"}
    batched = gtu.sweep(model, values, form="normal")
    scalar = gtu.sweep(model, values, form="normal", engine="scalar")
    assert batched.attrs["engine"] == "nplayer" and scalar.attrs["engine"] == "scalar"
    assert batched["outcome"].nunique() > 1
    _frames_equal(batched, scalar)


def _model_yaml(shape: tuple[int, ...], seed: int) -> str:
    """A 3-player model whose payoffs are seeded random integers plus a * (random integers): one game per a."""
    rng = np.random.default_rng(seed)
    players = ["P1", "P2", "P3"]
    lines = ["name: random-three", "title: Random three-player game", f"players: [{', '.join(players)}]",
             "parameters:", "  a:", "    symbol: a", "    default: 0", "    low: -2", "    high: 2",
             "    description: the game's direction", "    source: \"hand-made for tests\"",
             "forms:", "  normal:", "    actions:"]
    for k, n in enumerate(shape):
        lines.append(f"      {players[k]}: [{', '.join(f'x{k}{a}' for a in range(n))}]")
    lines.append("    payoffs:")
    for prof in itertools.product(*(range(n) for n in shape)):
        play = ", ".join(f"{players[k]}: x{k}{a}" for k, a in enumerate(prof))
        pays = ", ".join(f"{players[k]}: \"{rng.integers(-3, 4)} + {rng.integers(-2, 3)}*a\"" for k in range(3))
        lines += [f"      - play: {{{play}}}", f"        payoffs: {{{pays}}}"]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(("shape", "spec"), [((2, 2, 2), "-2:2:21"), ((2, 2, 3), "-2:2:21")])
def test_random_model_sweeps_equal_the_scalar_engine(write_model, shape, spec):
    """Random integer games along a line a in [-2, 2]: the grid hits integer and half-integer a, where payoffs
    tie (structural ties, continua: decided exactly on the batched path), and generic points between; the table
    equals the scalar one."""
    model = gtu.load_model(write_model(_model_yaml(shape, seed=sum(shape))))
    batched = gtu.sweep(model, {"a": spec}, form="normal")
    scalar = gtu.sweep(model, {"a": spec}, form="normal", engine="scalar")
    assert batched.attrs["engine"] == "nplayer"
    _frames_equal(batched, scalar)
    payoffs = compile_normal_form(model.symbolic("normal")).payoffs({"a": batched["a"].unique()})
    res = batched_nash(payoffs)
    # ties at integer a are decided exactly; points where a support's conditions have a continuum of solutions
    # go to the exact path (the frames above are equal either way)
    assert res.certified.any()
    assert scalar["outcome"].nunique() > 1


TIE_MODEL = """\
name: tie-three
title: A tie with the tolerance
players: [P1, P2, P3]
parameters:
  a:
    symbol: a
    default: 0
    low: 0
    high: 1
    description: player 1's gain from leaving (x0, y0, z0)
    source: "hand-made for tests"
forms:
  normal:
    actions:
      P1: [x0, x1]
      P2: [y0, y1]
      P3: [z0, z1]
    payoffs:
"""


def test_sweep_points_left_uncertified_are_solved_on_the_exact_path(write_model):
    """Everyone gets 1 at (x0, y0, z0) and 0 elsewhere, but player 1 gets 1 + a by leaving it for x1. At
    a = 1e-9 the gain ties with the tolerance: the batched engine leaves that point to the exact path, which
    keeps (x0, y0, z0) (the gain is not more than tol); at a = 2e-9 it is broken. The table equals the scalar."""
    rows = []
    for a, b, c in itertools.product(range(2), repeat=3):
        one = "1 + a" if (a, b, c) == (1, 0, 0) else ("1" if (a, b, c) == (0, 0, 0) else "0")
        two = "1" if (a, b, c) == (0, 0, 0) else "0"
        rows.append(f"      - play: {{P1: x{a}, P2: y{b}, P3: z{c}}}\n"
                    f"        payoffs: {{P1: \"{one}\", P2: \"{two}\", P3: \"{two}\"}}")
    model = gtu.load_model(write_model(TIE_MODEL + "\n".join(rows) + "\n"))
    values = {"a": "0:2e-9:3"}
    batched = gtu.sweep(model, values, form="normal")
    scalar = gtu.sweep(model, values, form="normal", engine="scalar")
    _frames_equal(batched, scalar)
    payoffs = compile_normal_form(model.symbolic("normal")).payoffs({"a": batched["a"].unique()})
    res = batched_nash(payoffs)
    assert not res.certified[1]  # the tie; the zeros off (x0, y0, z0) make continua, also left to the exact path
    _uncertified_are_ties_or_continua(tuple(payoffs), res, ties=(1,))
    at = scalar[scalar["a"] == batched["a"].unique()[1]]
    assert (at["prob:P1:x0"] == 1).any() and (at["prob:P2:y0"] == 1).any()


def test_larger_n_player_forms_keep_the_scalar_engine(write_model):
    """A 3 x 3 x 4 form has 36 cells, more than the batched engine takes: 'auto' sweeps it on the scalar engine
    and 'batched' says why it cannot."""
    from gametheory_ukraine.analysis.sweep_plan import choose_engine
    from gametheory_ukraine.core.errors import ParameterError

    model = gtu.load_model(write_model(_model_yaml((3, 3, 4), seed=3)))
    assert choose_engine(model, "normal", False, "auto") == "scalar"
    assert choose_engine(model, "normal", True, "auto") == "scalar"
    assert choose_engine(gtu.load_model(THREE_PLAYER), "normal", False, "auto") == "nplayer"
    with pytest.raises(ParameterError, match="more than 27 cells"):
        choose_engine(model, "normal", False, "batched")


# ------------------------------------------------------------------------------- continua of equilibria
def test_the_fixture_rho_line_has_continua_and_is_certified_everywhere():
    """The 3-player fixture at baseline along rho: at every point the exact solver finds polytopes of equilibria
    (segments where Russia mixes while Ukraine fights on, polygons where Europe mixes) and leaves out the
    two-mixer continua whose best-response conditions are bilinear (complete False). The batched engine resolves
    them all itself: every point certified, with the exact solver's equilibria, order, components and flag."""
    model = gtu.load_model(THREE_PLAYER)
    compiled = compile_normal_form(model.symbolic("normal"))
    params = {k: float(v) for k, v in model.values("baseline-2025").items() if k in compiled.parameters}
    params["rho"] = np.linspace(0.01, 0.5, 13)
    payoffs = tuple(np.ascontiguousarray(np.broadcast_to(u, (13, *u.shape[1:]))) for u in compiled.payoffs(params))
    res = batched_nash(payoffs)
    assert res.certified.all() and not res.complete.any()
    assert all(_continuum(payoffs, p) for p in range(13))
    assert _assert_certified_points_agree(payoffs, res) == 13
    assert (np.bincount(res.point) >= 6).all() and res.component.max() >= 1


def test_the_fixture_sweeps_through_continua_with_the_scalar_table():
    """A grid over rho, dp_after (Russia re-attacks iff dp_after > x + c_R - p = 0.05) and pi_US: the batched
    table equals the scalar engine's, continua and complete flags included."""
    model = gtu.load_model(THREE_PLAYER)
    values = {"rho": "0.01:0.5:3", "dp_after": "0:0.2:5", "pi_US": "0:1:3"}
    batched = gtu.sweep(model, values, form="normal", scenario="baseline-2025")
    scalar = gtu.sweep(model, values, form="normal", scenario="baseline-2025", engine="scalar")
    assert batched.attrs["engine"] == "nplayer"
    assert batched["outcome"].nunique() > 1 and not scalar["complete"].all()
    _frames_equal(batched, scalar)


def test_a_polygon_of_equilibria_matches_its_vertices_derived_with_sympy():
    """2x2x3 (after the exact solver's triangle test): at the pure profile (0, 0) of players 1 and 2 player 3 earns
    0 with each action; elsewhere her action 2 earns 1, her others 0 (or 1/2). Against her mixture s, player 1's
    gain from keeping action 0 (player 2 at 0) is g . s with g = (2, 1, -2), player 2's is h . s with
    h = (-2, 2, 1); against the other's action 1 each loses 5 by action 0. So the equilibria with (p, q) = (1, 1)
    are the polygon {s in the simplex : g . s >= 0, h . s >= 0}, whose vertices sympy finds here (every pair of
    tight constraints, kept if feasible); apart from it, the pure equilibrium (1, 1, 2). One vertex is where both
    gains vanish inside the simplex."""
    g, h = (2, 1, -2), (-2, 2, 1)
    u1, u2, u3 = (np.zeros((1, 2, 2, 3)) for _ in range(3))
    u1[0, 0, 0], u1[0, 0, 1] = g, -5
    u2[0, 0, 0], u2[0, 1, 0] = h, -5
    u3[0, :, :, 2] = 1
    u3[0, 0, 0, 2] = 0
    u3[0, 0, 1, 1] = u3[0, 1, 0, 1] = u3[0, 1, 1, 1] = 0.5  # not indifferent elsewhere (no continuum of two mixers)
    s = sympy.symbols("s0:3")
    rows = [s[0], s[1], s[2], sum(a * x for a, x in zip(g, s)), sum(a * x for a, x in zip(h, s))]
    polygon = set()
    for one, two in itertools.combinations(rows, 2):
        sol = sympy.solve([one, two, sum(s) - 1], s, dict=True)
        if len(sol) == 1 and len(sol[0]) == 3 and all(r.subs(sol[0]) >= 0 for r in rows):
            polygon.add(tuple(sol[0][x] for x in s))
    expected = sorted(polygon, reverse=True) + [(0, 0, 1)]
    assert len(polygon) == 4 and any(min(v) > 0 for v in polygon)
    res = batched_nash((u1, u2, u3))
    assert res.certified[0] and res.complete[0] and res.counts[0] == 5
    np.testing.assert_allclose(res.strategies[2], np.array(expected, dtype=float), atol=1e-15)
    np.testing.assert_allclose(res.strategies[0][:, 0], [1, 1, 1, 1, 0])
    assert res.component.tolist() == [0, 0, 0, 0, 1] and (res.regret <= 1e-15).all()
    _assert_certified_points_agree((u1, u2, u3), res)


@pytest.mark.parametrize(("shape", "tied", "points"), [((2, 2, 3), 2, 60), ((2, 2, 3), 3, 60), ((2, 2, 2), 2, 60)])
def test_random_games_with_planted_continua_agree_with_the_exact_solver(shape, tied, points):
    """Random games (3-decimal payoffs) with a planted tie: at one pure profile (a, b) of players 1 and 2 player 3
    earns the same with her first *tied* actions, so her support of those actions there is a continuum -- a
    segment (2) or polygon (3) of equilibria wherever players 1 and 2 keep best-responding to some of her
    mixtures. Certified points equal the exact solver (vertices, order, components, flag); nearly all points are
    certified and many have a polytope."""
    rng = np.random.default_rng(100 * sum(shape) + tied)
    payoffs = [np.round(rng.uniform(-10, 10, size=(points, *shape)), 3) for _ in shape]
    for p in range(points):
        a, b = rng.integers(shape[0]), rng.integers(shape[1])
        payoffs[2][p, a, b, 1:tied] = payoffs[2][p, a, b, 0]
        payoffs[0][p, a, b, :] += 10    # players 1 and 2 like (a, b) whatever player 3 does (often: not always)
        payoffs[1][p, a, b, :] += 10
    payoffs = tuple(payoffs)
    res = batched_nash(payoffs)
    certified = _assert_certified_points_agree(payoffs, res)
    assert certified >= 0.9 * points
    with_polytopes = sum(_continuum(payoffs, p) for p in np.flatnonzero(res.certified).tolist())
    assert with_polytopes >= certified // 3


def test_the_nau_2004_segment_is_left_to_the_exact_path():
    """Nau, Gomez Canovas and Hansen (2004), sec. 6, as distributed with pygambit: "the set of Nash equilibria is a
    line segment" -- by hand (the exact solver's test of it): p = q = 1/2 and s = (t, t, 1/2 - t, 1/2 - t),
    t in [0, 1/2]. All three players mix on it, which has no closed form here: the batched engine leaves the game
    uncertified, without rows, and the exact path (the sweep's fallback) lists the segment's two end points."""
    from importlib.resources import files

    from gametheory_ukraine.io.gambit import read_gambit

    game = read_gambit(files("pygambit") / "catalog_data" / "journals" / "ijgt" / "nau2004" / "sec6.nfg")
    pay = tuple(np.asarray(u, dtype=float)[None] for u in game.payoffs)
    res = batched_nash(pay)
    assert not res.certified[0] and res.counts[0] == 0 and len(res.point) == 0
    sol = support_enumeration([u[0] for u in pay], exact=False)
    ends = [eq[2] for eq in sol.equilibria]
    np.testing.assert_allclose(ends, [[0.5, 0.5, 0, 0], [0, 0, 0.5, 0.5]], atol=1e-12)
    assert all(eq[0] == eq[1] == (0.5, 0.5) for eq in sol.equilibria) and sol.components == (0, 0)


# ------------------------------------------------------------------------------------- the sweep's probe
@pytest.mark.parametrize("rho", [0.01, 0.1325, 0.255, 0.5])
def test_the_batched_probe_counts_the_scalar_solvers_equilibria(rho):
    from gametheory_ukraine.analysis.sweep_points import batched_count, solve_point

    model = gtu.load_model(THREE_PLAYER)
    scalar = solve_point(model, "normal", "baseline-2025", {"rho": rho}, False)
    assert batched_count(model, "normal", "baseline-2025", {"rho": rho}) == len(scalar) > 0


def test_a_sweep_planned_on_the_batched_probe_is_the_one_planned_on_the_scalar_probe(monkeypatch):
    from gametheory_ukraine.analysis import sweep_points
    from gametheory_ukraine.analysis.sweep_plan import plan_sweep

    def fields(plan):
        return plan.engine, plan.pay_cols, plan.prob_cols, plan.where, plan.chunk_size, plan.points

    batched = plan_sweep(THREE_PLAYER, {"rho": "0.01:0.5:1000"}, form="normal", scenario="baseline-2025")
    asked = []
    monkeypatch.setattr(sweep_points, "batched_count", lambda *args: asked.append(args))  # None: the scalar probe
    scalar = plan_sweep(THREE_PLAYER, {"rho": "0.01:0.5:1000"}, form="normal", scenario="baseline-2025")
    assert asked and fields(batched) == fields(scalar)
    assert batched.engine == "nplayer"
