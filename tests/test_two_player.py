"""Tests of the bimatrix vertex-enumeration solver (gametheory_ukraine.solvers.two_player).

Expected values come from sources independent of the solver: published examples
(von Stengel 2007, AGT ch. 3), hand computations written out in comments, and
Gambit's exact ``enummixed`` (pygambit) on random games.
"""

from __future__ import annotations

import itertools
import random
import warnings
from fractions import Fraction as F

import nashpy
import numpy as np
import pygambit as gbt
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from gametheory_ukraine.solvers.two_player import BimatrixSolution, _solve_linear, extreme_equilibria

# von Stengel (2007), "Equilibrium computation for two-player games in strategic and
# extensive form", Algorithmic Game Theory ch. 3: the degenerate 3 x 2 example.
VS_A = [[3, 3], [2, 5], [0, 6]]
VS_B_DEGENERATE = [[3, 3], [2, 6], [3, 1]]
VS_B_NONDEGENERATE = [[3, 2], [2, 6], [3, 1]]


def as_fractions(equilibria):
    return [(tuple(F(p) for p in x), tuple(F(q) for q in y)) for x, y in equilibria]


def gambit_equilibria(A, B) -> set:
    """Gambit's exact extreme equilibria (enummixed, rational arithmetic) as a set of Fraction tuples."""
    game = gbt.Game.from_arrays(np.array(A, dtype=object), np.array(B, dtype=object))
    result = gbt.nash.enummixed_solve(game, rational=True)
    out = set()
    for profile in result.equilibria:
        # pygambit 16.7: profile[strategy] is a pygambit Rational, a subclass of fractions.Fraction.
        out.add(tuple(tuple(F(profile[s]) for s in player.strategies) for player in game.players))
    return out


def assert_nash_exact(A, B, x, y):
    """No pure deviation of either player gains, checked in exact arithmetic."""
    m, n = len(A), len(A[0])
    assert len(x) == m and len(y) == n
    assert all(isinstance(p, F) for p in x + y)
    assert all(p >= 0 for p in x + y) and sum(x) == 1 and sum(y) == 1
    row_values = [sum(F(A[i][j]) * y[j] for j in range(n)) for i in range(m)]
    col_values = [sum(F(B[i][j]) * x[i] for i in range(m)) for j in range(n)]
    value_x = sum(x[i] * row_values[i] for i in range(m))
    value_y = sum(y[j] * col_values[j] for j in range(n))
    assert max(row_values) == value_x
    assert max(col_values) == value_y


@st.composite
def small_games(draw, max_dim: int = 4, low: int = -3, high: int = 3):
    m = draw(st.integers(1, max_dim))
    n = draw(st.integers(1, max_dim))
    matrix = st.lists(st.lists(st.integers(low, high), min_size=n, max_size=n), min_size=m, max_size=m)
    return draw(matrix), draw(matrix)


# ----------------------------------------------------------------------------- known games
def test_von_stengel_degenerate_game():
    sol = extreme_equilibria(VS_A, VS_B_DEGENERATE, exact=True)
    assert isinstance(sol, BimatrixSolution)
    assert sol.equilibria == (
        ((F(1), F(0), F(0)), (F(1), F(0))),
        ((F(1), F(0), F(0)), (F(2, 3), F(1, 3))),
        ((F(0), F(1, 3), F(2, 3)), (F(1, 3), F(2, 3))),
    )
    assert all(type(p) is F for x, y in sol.equilibria for p in x + y)
    assert sol.degenerate is True
    # The row player's first strategy is a best response to every y between (1, 0) and (2/3, 1/3),
    # and column's both strategies are best responses to it: a segment of equilibria.
    assert sol.components == (0, 0, 1)
    assert sol.has_continuum is True
    # Gambit agrees.
    assert set(sol.equilibria) == gambit_equilibria(VS_A, VS_B_DEGENERATE)


def test_nashpy_support_enumeration_misses_an_extreme_equilibrium():
    # Why the package does not rely on nashpy's support enumeration for degenerate games:
    # it pairs supports of equal size only and misses ((1,0,0), (2/3,1/3)).
    game = nashpy.Game(np.array(VS_A), np.array(VS_B_DEGENERATE))
    with pytest.warns(RuntimeWarning, match="degenerate"):
        found = list(game.support_enumeration())
    assert len(found) == 2
    assert len(extreme_equilibria(VS_A, VS_B_DEGENERATE, exact=True).equilibria) == 3


def test_von_stengel_nondegenerate_variant():
    sol = extreme_equilibria(VS_A, VS_B_NONDEGENERATE, exact=True)
    # Middle one by hand: y = (2/3, 1/3) gives rows 1, 2 payoff 3 (row 3: 2); x = (4/5, 1/5, 0)
    # gives columns 3*4/5 + 2/5 = 14/5 and 2*4/5 + 6/5 = 14/5.
    assert sol.equilibria == (
        ((F(1), F(0), F(0)), (F(1), F(0))),
        ((F(4, 5), F(1, 5), F(0)), (F(2, 3), F(1, 3))),
        ((F(0), F(1, 3), F(2, 3)), (F(1, 3), F(2, 3))),
    )
    assert sol.degenerate is False
    assert sol.components == (0, 1, 2)
    assert sol.has_continuum is False


def test_von_stengel_float_mode():
    sol = extreme_equilibria(np.array(VS_A, dtype=float), np.array(VS_B_DEGENERATE, dtype=float), exact=False)
    expected = [((1, 0, 0), (1, 0)), ((1, 0, 0), (2 / 3, 1 / 3)), ((0, 1 / 3, 2 / 3), (1 / 3, 2 / 3))]
    assert len(sol.equilibria) == 3
    for (x, y), (ex, ey) in zip(sol.equilibria, expected):
        assert all(type(p) is float for p in x + y)
        assert np.allclose(x, ex, atol=1e-12) and np.allclose(y, ey, atol=1e-12)
    assert sol.degenerate is True
    assert sol.components == (0, 0, 1)


def test_matching_pennies():
    # Zero-sum, no pure equilibrium; each player must make the other indifferent: (1/2, 1/2).
    A = [[1, -1], [-1, 1]]
    B = [[-1, 1], [1, -1]]
    sol = extreme_equilibria(A, B, exact=True)
    assert sol.equilibria == (((F(1, 2), F(1, 2)), (F(1, 2), F(1, 2))),)
    assert sol.degenerate is False
    assert sol.components == (0,)


def test_prisoners_dilemma():
    # Strategies (Cooperate, Defect); Defect strictly dominates, so (D, D) is the unique equilibrium.
    A = [[3, 0], [5, 1]]
    B = [[3, 5], [0, 1]]
    sol = extreme_equilibria(A, B, exact=True)
    assert sol.equilibria == (((F(0), F(1)), (F(0), F(1))),)
    assert sol.degenerate is False


def test_battle_of_the_sexes():
    # A = [[2,0],[0,1]], B = [[1,0],[0,2]]. Mixed equilibrium by hand:
    #   column indifferent:  x1 * 1 = x2 * 2  ->  x = (2/3, 1/3);
    #   row indifferent:     y1 * 2 = y2 * 1  ->  y = (1/3, 2/3).
    A = [[2, 0], [0, 1]]
    B = [[1, 0], [0, 2]]
    sol = extreme_equilibria(A, B, exact=True)
    assert sol.equilibria == (
        ((F(1), F(0)), (F(1), F(0))),
        ((F(2, 3), F(1, 3)), (F(1, 3), F(2, 3))),
        ((F(0), F(1)), (F(0), F(1))),
    )
    assert sol.degenerate is False
    assert sol.components == (0, 1, 2)


def test_constant_game():
    # Every profile is an equilibrium; the equilibrium set is the whole square, whose extreme
    # points are the four pure profiles, all in one component.
    sol = extreme_equilibria([[7, 7], [7, 7]], [[-2, -2], [-2, -2]], exact=True)
    assert sol.equilibria == (
        ((F(1), F(0)), (F(1), F(0))),
        ((F(1), F(0)), (F(0), F(1))),
        ((F(0), F(1)), (F(1), F(0))),
        ((F(0), F(1)), (F(0), F(1))),
    )
    assert sol.components == (0, 0, 0, 0)
    assert sol.degenerate is True
    assert sol.has_continuum is True
    float_sol = extreme_equilibria(np.full((2, 2), 7.0), np.full((2, 2), -2.0), exact=False)
    as_floats = tuple((tuple(map(float, x)), tuple(map(float, y))) for x, y in sol.equilibria)
    assert float_sol.equilibria == as_floats
    assert float_sol.components == (0, 0, 0, 0)


def test_one_by_one_game():
    for exact in (True, False):
        sol = extreme_equilibria([[5]], [[-4]], exact=exact)
        assert sol.equilibria == (((1,), (1,)),)
        assert sol.degenerate is False
        assert sol.components == (0,)


def test_one_row_game():
    # The row player has one strategy; the column player is indifferent between columns 1 and 3
    # (payoff 3), so every mix of them is an equilibrium: a segment with two extreme points.
    sol = extreme_equilibria([[1, 2, 3]], [[3, 1, 3]], exact=True)
    assert sol.equilibria == (((F(1),), (F(1), F(0), F(0))), ((F(1),), (F(0), F(0), F(1))))
    assert sol.degenerate is True  # a pure strategy (support size 1) with two pure best responses
    assert sol.components == (0, 0)
    assert set(sol.equilibria) == gambit_equilibria([[1, 2, 3]], [[3, 1, 3]])


def test_one_column_game():
    sol = extreme_equilibria([[1], [5], [2]], [[0], [0], [0]], exact=True)
    assert sol.equilibria == (((F(0), F(1), F(0)), (F(1),)),)
    assert sol.degenerate is False
    sol = extreme_equilibria([[1], [5], [5]], [[0], [0], [0]], exact=True)
    assert sol.equilibria == (((F(0), F(1), F(0)), (F(1),)), ((F(0), F(0), F(1)), (F(1),)))
    assert sol.degenerate is True and sol.components == (0, 0)


def test_exact_inputs_fractions_and_strings():
    # Same game as von Stengel's, written with Fractions, decimal strings and floats read exactly.
    A = np.array([[F(3, 10), "0.3"], [0.2, F(1, 2)], [0, "3/5"]], dtype=object)
    B = [[F(3), 3], [2, 6.0], [3, 1]]
    sol = extreme_equilibria(A, B, exact=True)
    assert sol.equilibria == extreme_equilibria(VS_A, VS_B_DEGENERATE, exact=True).equilibria


def test_float_tolerance_treats_rounding_noise_as_ties():
    # 0.1 + 0.2 == 0.30000000000000004 != 0.3 in binary floating point. In float mode the two columns
    # tie up to tol (relative to the largest payoff), so the column player's whole simplex is a
    # continuum of equilibria; exact mode reads the floats as the decimals they print as, and there
    # column 1 is strictly better.
    B = [[0.1 + 0.2, 0.3]]
    sol = extreme_equilibria([[0.0, 0.0]], B, exact=False)
    assert sol.equilibria == (((1.0,), (1.0, 0.0)), ((1.0,), (0.0, 1.0)))
    assert sol.degenerate is True and sol.components == (0, 0)
    sol = extreme_equilibria([[0.0, 0.0]], B, exact=True)
    assert sol.equilibria == (((F(1),), (F(1), F(0))),)
    assert sol.degenerate is False


@pytest.mark.parametrize(
    ("A", "B", "match"),
    [
        ([[1, 2], [3, 4]], [[1, 2, 3], [4, 5, 6]], "same shape"),
        ([1, 2], [1, 2], "2-D"),
        ([[[1]]], [[[1]]], "2-D"),
        (np.zeros((0, 2)), np.zeros((0, 2)), "at least one row"),
        (np.zeros((2, 0)), np.zeros((2, 0)), "at least one row"),
        ([[1, 2], [3]], [[1, 2], [3, 4]], "A"),
    ],
)
def test_bad_shapes_raise(A, B, match):
    for exact in (True, False):
        with pytest.raises(ValueError, match=match):
            extreme_equilibria(A, B, exact=exact)


def test_bad_entries_raise():
    with pytest.raises(ValueError, match="non-finite"):
        extreme_equilibria([[1.0, float("nan")]], [[1.0, 2.0]], exact=False)
    with pytest.raises(ValueError):
        extreme_equilibria([[1, "x"]], [[1, 2]], exact=True)
    with pytest.raises(ValueError):
        extreme_equilibria([[1, "x"]], [[1, 2]], exact=False)
    with pytest.raises(ValueError, match="tol"):
        extreme_equilibria([[1]], [[1]], exact=False, tol=-1.0)


def test_larger_game_matches_gambit():
    # An 8 x 8 game with payoffs in -3..3 (degenerate) and one in -100..100 (generic).
    for seed, spread in ((8, 3), (8, 100)):
        rng = random.Random(seed)
        A = [[rng.randint(-spread, spread) for _ in range(8)] for _ in range(8)]
        B = [[rng.randint(-spread, spread) for _ in range(8)] for _ in range(8)]
        sol = extreme_equilibria(A, B, exact=True)
        assert set(sol.equilibria) == gambit_equilibria(A, B)
        assert len(set(sol.equilibria)) == len(sol.equilibria)
        for x, y in sol.equilibria:
            assert_nash_exact(A, B, x, y)


def test_generic_games_are_nondegenerate():
    # Payoffs drawn from a huge range: degenerate with negligible probability. Nondegenerate games
    # have an odd number of equilibria, all isolated, with equal support sizes (von Stengel 2007,
    # Thm 3.4 and Prop. 3.3), facts the solver does not use.
    rng = np.random.default_rng(2024)
    for _ in range(20):
        m, n = rng.integers(1, 6, size=2)
        A = rng.integers(-10**9, 10**9, size=(m, n)).tolist()
        B = rng.integers(-10**9, 10**9, size=(m, n)).tolist()
        sol = extreme_equilibria(A, B, exact=True)
        assert sol.degenerate is False
        assert len(sol.equilibria) % 2 == 1
        assert sol.components == tuple(range(len(sol.equilibria)))
        for x, y in sol.equilibria:
            assert sum(p > 0 for p in x) == sum(q > 0 for q in y)


# ----------------------------------------------------------------------------- properties
@settings(max_examples=400, deadline=None)
@given(small_games())
def test_random_games_exact_against_gambit(game):
    A, B = game
    sol = extreme_equilibria(A, B, exact=True)
    eqs = sol.equilibria
    assert len(eqs) >= 1 and len(set(eqs)) == len(eqs)
    for x, y in eqs:
        assert_nash_exact(A, B, x, y)
    assert set(eqs) == gambit_equilibria(A, B)
    # Output order: lexicographically descending by (x, y); components numbered by first appearance.
    keys = [x + y for x, y in eqs]
    assert keys == sorted(keys, reverse=True)
    assert len(sol.components) == len(eqs)
    seen = []
    for c in sol.components:
        if c not in seen:
            assert c == len(seen)
            seen.append(c)
    # Equilibria sharing an x or a y lie in one component.
    for (i, (xi, yi)), (j, (xj, yj)) in itertools.combinations(enumerate(eqs), 2):
        if xi == xj or yi == yj:
            assert sol.components[i] == sol.components[j]
    # Nondegenerate games: odd number of isolated equilibria with equal support sizes.
    if not sol.degenerate:
        assert len(eqs) % 2 == 1
        assert not sol.has_continuum
        for x, y in eqs:
            assert sum(p > 0 for p in x) == sum(q > 0 for q in y)


@settings(max_examples=300, deadline=None)
@given(small_games())
def test_random_games_float_matches_exact(game):
    A, B = game
    exact = extreme_equilibria(A, B, exact=True)
    approx = extreme_equilibria(np.array(A, dtype=float), np.array(B, dtype=float), exact=False)
    assert len(approx.equilibria) == len(exact.equilibria)
    for (x, y), (fx, fy) in zip(exact.equilibria, approx.equilibria):
        assert all(type(p) is float for p in fx + fy)
        assert max(abs(float(p) - q) for p, q in zip(x + y, fx + fy)) <= 1e-9
    assert approx.degenerate == exact.degenerate
    assert approx.components == exact.components


@settings(max_examples=60, deadline=None)
@given(small_games(max_dim=3), st.integers(1, 9), st.integers(-20, 20), st.integers(1, 9),
       st.integers(-20, 20))
def test_positive_affine_transformations_change_nothing(game, a, b, c, d):
    A, B = game
    A2 = [[F(a, 7) * v + b for v in row] for row in A]
    B2 = [[F(c, 3) * v + d for v in row] for row in B]
    assert extreme_equilibria(A2, B2, exact=True) == extreme_equilibria(A, B, exact=True)


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 6).flatmap(
    lambda s: st.tuples(
        st.lists(st.lists(st.integers(-5, 5), min_size=s, max_size=s), min_size=s, max_size=s),
        st.lists(st.integers(-5, 5), min_size=s, max_size=s))))
def test_linear_solver_against_sympy(system):
    M, b = system
    reference = sympy.Matrix(M)
    singular = reference.det() == 0
    expected = None if singular else [F(int(e.p), int(e.q)) for e in reference.LUsolve(sympy.Matrix(b))]
    # Integers (fraction-free integer division), Fractions (true division; M/3 z = b/3 has the same z)
    # and a mix of both.
    variants = ((M, b), ([[F(v, 3) for v in row] for row in M], [F(v, 3) for v in b]), (M, [F(v) for v in b]))
    for entries, rhs in variants:
        result = _solve_linear(entries, rhs, exact=True, tol=0)
        if singular:
            assert result is None
        else:
            num, d = result
            assert d > 0 and all(isinstance(v, (int, F)) for v in [*num, d])
            assert [F(v) / d for v in num] == expected
    M_float, b_float = np.array(M, dtype=float), np.array(b, dtype=float)
    result = _solve_linear(M_float.tolist(), b_float.tolist(), exact=False, tol=1e-9)
    if singular:
        assert result is None
    else:
        num, d = result
        assert np.allclose(np.array(num) / d, np.linalg.solve(M_float, b_float), atol=1e-9)


def test_has_continuum_is_a_bool_property():
    sol = extreme_equilibria(VS_A, VS_B_NONDEGENERATE, exact=True)
    assert sol.has_continuum is False  # attribute access, as used by gametheory_ukraine.solve
    with pytest.raises(AttributeError):
        sol.degenerate = True  # frozen


def test_runs_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        extreme_equilibria(VS_A, VS_B_DEGENERATE, exact=True)
        extreme_equilibria(VS_A, VS_B_DEGENERATE, exact=False)
