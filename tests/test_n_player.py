"""Tests of :mod:`gametheory_ukraine.solvers.n_player`.

Expected values come from hand derivations (written out next to each game),
textbook games, the McKelvey-McLennan 2x2x2 example as distributed with Gambit
(``contrib/games/2x2x2.nfg``), and the independent solvers pygambit and nashpy.
"""

from __future__ import annotations

import itertools
from fractions import Fraction as F
from importlib.resources import files

import nashpy
import numpy as np
import pygambit as gbt
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import gametheory_ukraine as gtu
from gametheory_ukraine.games.tree import Decision, GameTree, Terminal
from gametheory_ukraine.io.gambit import read_gambit
from gametheory_ukraine.solvers import certificate
from gametheory_ukraine.solvers.n_player import (
    NPlayerSolution,
    pure_equilibria,
    support_enumeration,
)
from gametheory_ukraine.solvers.two_player import extreme_equilibria

# --------------------------------------------------------------------------- helpers


def _obj(a) -> np.ndarray:
    return np.array(a, dtype=object)


def _game_from_deltas(d1: dict, d2: dict, d3: dict) -> list[np.ndarray]:
    """2x2x2 game in which player i's payoff is 0 for action 1 and ``d_i[others' actions]`` for action 0.

    With p, q, r the probabilities of action 0 of players 1, 2, 3, player 1's
    gain from action 0 over action 1 is ``D1(q, r) = sum_{b,c} d1[b,c] P(b) P(c)``,
    so ``d1[b, c]`` is the value of ``D1`` at the vertex (q, r) = (1-b, 1-c).
    """
    u = [np.zeros((2, 2, 2), dtype=object) for _ in range(3)]
    for (b, c), v in d1.items():
        u[0][0, b, c] = v
    for (a, c), v in d2.items():
        u[1][a, 0, c] = v
    for (a, b), v in d3.items():
        u[2][a, b, 0] = v
    return u


def _expected(u: np.ndarray, i: int, profile) -> list:
    """Player i's expected payoff of each own action against the others' mixed strategies.

    Exact when the payoffs and probabilities are exact.
    """
    n = u.ndim
    out = []
    for a in range(u.shape[i]):
        total = 0
        for idx in itertools.product(*(range(k) for k in u.shape)):
            if idx[i] != a:
                continue
            w = u[idx]
            for j in range(n):
                if j != i:
                    w = w * profile[j][idx[j]]
            total = total + w
        out.append(total)
    return out


def _regret(payoffs, profile) -> object:
    """Largest gain any player gets from a pure deviation (exact for exact inputs)."""
    worst = 0
    for i, u in enumerate(payoffs):
        vals = _expected(u, i, profile)
        own = sum(p * v for p, v in zip(profile[i], vals))
        worst = max(worst, max(vals) - own)
    return worst


def _numeric(profile, digits: int = 50):
    """Probabilities as 50-digit sympy Floats (exact Rationals where rational)."""
    return [
        [
            sympy.Rational(v.numerator, v.denominator) if isinstance(v, F) else sympy.N(v, digits)
            for v in probs
        ]
        for probs in profile
    ]


def _flat(profile) -> np.ndarray:
    return np.array(
        [
            float(sympy.N(v, 30)) if not isinstance(v, (F, float)) else float(v)
            for probs in profile
            for v in probs
        ]
    )


def _is_rational_profile(profile) -> bool:
    return all(isinstance(v, F) for probs in profile for v in probs)


def _check_all_are_equilibria(payoffs, sol: NPlayerSolution) -> None:
    for eq in sol.equilibria:
        assert [len(p) for p in eq] == list(payoffs[0].shape)
        if _is_rational_profile(eq):
            assert sum(eq[0]) == 1
            assert _regret(payoffs, eq) == 0  # exact
        else:
            num = _numeric(eq)
            assert float(_regret([u.astype(object) for u in payoffs], num)) <= 1e-9
            assert all(abs(float(sum(p)) - 1) < 1e-40 for p in num)


def _gambit_equilibria(payoffs, method=gbt.nash.enumpoly_solve) -> list[np.ndarray]:
    g = gbt.Game.from_arrays(*[np.asarray(u, dtype=int) for u in payoffs])
    res = method(g)
    return [np.array([float(e[s]) for pl in g.players for s in pl.strategies]) for e in res.equilibria]


def _contains(found: list[np.ndarray], target: np.ndarray, atol: float = 1e-6) -> bool:
    return any(np.allclose(f, target, atol=atol) for f in found)


# --------------------------------------------------------------------------- hand-derived 3-player games

# Game R (rational). p, q, r = probability of action 0 of players 1, 2, 3.
#   D1(q, r) = 6qr - 1    (player 1's gain from action 0 over action 1)
#   D2(p, r) = 4p - 3
#   D3(p, q) = 8pq - 3
# Vertex values (all non-zero): D1 = 5, -1, -1, -1 at (q,r) = (1,1),(1,0),(0,1),(0,0); D2 = 1 (p=1), -3 (p=0);
# D3 = 5, -3, -3, -3.
# Fully mixed: D2 = 0 -> p = 3/4; D3 = 0 -> 6q = 3 -> q = 1/2; D1 = 0 -> 3r = 1 -> r = 1/3 (unique).
# Other equilibria: if player 2 mixes then p = 3/4, so player 1 mixes, so 6qr = 1 with r > 0; r = 1 gives
# q = 1/6 and D3 = 1 - 3 < 0, contradicting r = 1; so r is mixed and we are at the fully mixed point.
# If q = 1 then p >= 3/4, D3 = 8p - 3 > 0 so r = 1, D1 = 5 > 0 so p = 1: the pure profile (0,0,0).
# If q = 0 then D3 < 0, r = 0, D1 = -1 < 0, p = 0: the pure profile (1,1,1). Hence exactly three equilibria.
GAME_R = _game_from_deltas(
    {(0, 0): 5, (0, 1): -1, (1, 0): -1, (1, 1): -1},
    {(0, 0): 1, (0, 1): 1, (1, 0): -3, (1, 1): -3},
    {(0, 0): 5, (0, 1): -3, (1, 0): -3, (1, 1): -3},
)

# Game Q (irrational).
#   D1(q, r) = 2qr - 1, D2(p, r) = 4p - 2r - 1, D3(p, q) = 4q - 2p - 1 (all vertex values non-zero).
# Fully mixed: r = (4p - 1)/2, q = (2p + 1)/4, 2qr = 1 -> (2p + 1)(4p - 1) = 4 -> 8p^2 + 2p - 5 = 0
# -> p = (sqrt(41) - 1)/8 (the other root is negative), q = (sqrt(41) + 3)/16, r = (sqrt(41) - 3)/4.
# Other equilibria: player 1 mixing needs qr = 1/2, so q, r >= 1/2; q = 1, r = 1/2 needs D3 = 3 - 2p = 0
# (impossible); r = 1, q = 1/2 needs D2 = 4p - 3 = 0 and then D3 = -1/2 < 0 contradicts r = 1. If p = 1:
# D2 = 3 - 2r > 0 -> q = 1, D3 = 1 > 0 -> r = 1, D1 = 1 > 0: pure (0,0,0). If p = 0: D2 < 0 -> q = 0,
# D3 = -1 -> r = 0, D1 = -1: pure (1,1,1). Hence exactly three equilibria.
GAME_Q = _game_from_deltas(
    {(0, 0): 1, (0, 1): -1, (1, 0): -1, (1, 1): -1},
    {(0, 0): 1, (0, 1): 3, (1, 0): -3, (1, 1): -1},
    {(0, 0): 1, (0, 1): -3, (1, 0): 3, (1, 1): -1},
)


def test_rational_fully_mixed_equilibrium_and_pure_ones():
    sol = support_enumeration(GAME_R, exact=True)
    assert sol.complete and sol.notes == ()
    assert sol.equilibria == (
        ((F(1), F(0)), (F(1), F(0)), (F(1), F(0))),
        ((F(3, 4), F(1, 4)), (F(1, 2), F(1, 2)), (F(1, 3), F(2, 3))),
        ((F(0), F(1)), (F(0), F(1)), (F(0), F(1))),
    )
    assert all(isinstance(v, F) for eq in sol.equilibria for p in eq for v in p)
    assert str(sol.equilibria[1][2][1]) == "2/3"
    assert pure_equilibria(GAME_R) == ((0, 0, 0), (1, 1, 1))
    _check_all_are_equilibria(GAME_R, sol)


def test_rational_game_float_mode():
    floats = [u.astype(float) for u in GAME_R]
    sol = support_enumeration(floats, exact=False)
    assert sol.complete
    assert len(sol.equilibria) == 3
    assert all(type(v) is float for eq in sol.equilibria for p in eq for v in p)
    assert sol.equilibria[1] == ((0.75, 0.25), (0.5, 0.5), pytest.approx((1 / 3, 2 / 3), abs=1e-15))


def test_irrational_fully_mixed_equilibrium_is_exact():
    sol = support_enumeration(GAME_Q, exact=True)
    assert sol.complete
    assert len(sol.equilibria) == 3
    assert sol.equilibria[0] == ((F(1), F(0)),) * 3
    assert sol.equilibria[2] == ((F(0), F(1)),) * 3
    mixed = sol.equilibria[1]
    s41 = sympy.sqrt(41)
    expected = [(s41 - 1) / 8, (s41 + 3) / 16, (s41 - 3) / 4]
    for probs, p in zip(mixed, expected):
        assert isinstance(probs[0], sympy.Expr) and not isinstance(probs[0], F)
        assert sympy.simplify(probs[0] - p) == 0
        assert sympy.simplify(probs[1] - (1 - p)) == 0
    assert "sqrt(41)" in str(mixed[0][0])
    # printed simplified, with a decimal: p = (sqrt(41) - 1)/8 = 0.6754; each player's payoff there is that of
    # its action 1, 0 by construction (the irrational parts cancel and print as 0, not as a sum of powers)
    result = gtu.solve(gtu.NormalFormGame.from_arrays(*GAME_Q))
    assert str(result[1].strategies[0][0]) == "(-1 + sqrt(41))/8"  # held simplified in the result
    assert result[1].payoffs == (0, 0, 0) and all(type(v) is F for v in result[1].payoffs)
    text = str(result)
    assert "Player 1: r1 (-1 + sqrt(41))/8 (~0.6754), r2 9/8 - sqrt(41)/8 (~0.3246)" in text
    assert "payoffs: Player 1 0, Player 2 0, Player 3 0" in text.split("[1]", 1)[1].split("[2]")[0]
    # the indifference conditions hold exactly
    p, q, r = (probs[0] for probs in mixed)
    assert sympy.simplify(2 * q * r - 1) == 0
    assert sympy.simplify(4 * p - 2 * r - 1) == 0
    assert sympy.simplify(4 * q - 2 * p - 1) == 0
    # float mode gives the same numbers
    fsol = support_enumeration(GAME_Q, exact=False)
    assert fsol.equilibria[1][0][0] == pytest.approx((41**0.5 - 1) / 8, abs=1e-15)


def test_irrational_payoffs_are_held_simplified():
    # Every player's gain from action 0 is 2 x (the others' probabilities of action 0) - 1: in the fully mixed
    # equilibrium qr = pr = pq = 1/2, so p = q = r = sqrt(2)/2. Player 1 also earns 4 whenever players 2 and 3
    # both play action 1, whatever she does (her incentives are unchanged): at the mixed equilibrium her payoff
    # is that of action 1, 0, plus 4 (1 - sqrt(2)/2)^2 = 4 (3/2 - sqrt(2)) = 6 - 4 sqrt(2) ~ 0.3431. All three
    # play action 1 with probability (1 - sqrt(2)/2)^3 = 5/2 - 7 sqrt(2)/4.
    d = {(0, 0): 1, (0, 1): -1, (1, 0): -1, (1, 1): -1}
    payoffs = _game_from_deltas(d, d, d)
    payoffs[0][:, 1, 1] += 4
    result = gtu.solve(gtu.NormalFormGame.from_arrays(*payoffs))
    mixed = [eq for eq in result if eq.strategies[0][0] not in (0, 1)]
    assert len(result) == 3 and len(mixed) == 1
    half_root = sympy.sqrt(2) / 2
    assert all(sympy.simplify(s[0] - half_root) == 0 for s in mixed[0].strategies)
    pay = mixed[0].payoffs
    assert sympy.simplify(pay[0] - (6 - 4 * sympy.sqrt(2))) == 0 and pay[1:] == (0, 0)
    assert str(pay[0]) == "6 - 4*sqrt(2)"  # not a sum of products of powers
    last = mixed[0].outcome_distribution["r2 / c2 / p3_2"]
    assert sympy.simplify(last - (sympy.Rational(5, 2) - 7 * sympy.sqrt(2) / 4)) == 0
    assert sympy.count_ops(last) <= sympy.count_ops(sympy.Rational(5, 2) - 7 * sympy.sqrt(2) / 4)
    assert "payoffs: Player 1 6 - 4*sqrt(2) (~0.3431), Player 2 0, Player 3 0" in str(result)
    gambit = _gambit_equilibria(payoffs)
    assert _contains(gambit, np.array([0.5**0.5, 1 - 0.5**0.5] * 3))


# McKelvey & McLennan's 2x2x2 example with nine equilibria, two of them totally mixed, as distributed with
# Gambit (contrib/games/2x2x2.nfg). Payoffs (u1, u2, u3) at (a1, a2, a3); all other profiles pay 0.
MM_PAYOFFS = {(0, 0, 0): (9, 8, 12), (1, 1, 0): (9, 8, 2), (1, 0, 1): (3, 4, 6), (0, 1, 1): (3, 4, 6)}
GAME_MM = [np.zeros((2, 2, 2), dtype=object) for _ in range(3)]
for _profile, _values in MM_PAYOFFS.items():
    for _i in range(3):
        GAME_MM[_i][_profile] = _values[_i]


def test_mckelvey_mclennan_nine_equilibria():
    sol = support_enumeration(GAME_MM, exact=True)
    assert sol.complete
    assert len(sol.equilibria) == 9
    totally_mixed = [eq for eq in sol.equilibria if all(v > 0 for p in eq for v in p)]
    # e.g. ((1/2,1/2),(2/5,3/5),(1/4,3/4)): player 1's action 0 earns 9qr + 3(1-q)(1-r) = 0.9 + 1.35 and
    # action 1 earns 9(1-q)r + 3q(1-r) = 1.35 + 0.9 (q = 2/5, r = 1/4).
    assert totally_mixed == [
        ((F(1, 2), F(1, 2)), (F(2, 5), F(3, 5)), (F(1, 4), F(3, 4))),
        ((F(2, 5), F(3, 5)), (F(1, 2), F(1, 2)), (F(1, 3), F(2, 3))),
    ]
    pure = [eq for eq in sol.equilibria if all(v in (0, 1) for p in eq for v in p)]
    assert len(pure) == 4
    assert pure_equilibria(GAME_MM) == ((0, 0, 0), (0, 1, 1), (1, 0, 1), (1, 1, 0))
    assert sorted(tuple(int(p[1]) for p in eq) for eq in pure) == list(pure_equilibria(GAME_MM))
    _check_all_are_equilibria(GAME_MM, sol)
    gambit = _gambit_equilibria(GAME_MM)
    assert len(gambit) == 9
    mine = [_flat(eq) for eq in sol.equilibria]
    assert all(_contains(mine, g) for g in gambit)


def _coordination(n_actions: int) -> list[np.ndarray]:
    u = np.zeros((n_actions,) * 3, dtype=object)
    for a in range(n_actions):
        u[a, a, a] = 1
    return [u, u.copy(), u.copy()]


def test_three_player_coordination_pure_equilibria():
    # 2 actions: in a non-unanimous profile the minority player can make it unanimous and gain 1.
    assert pure_equilibria(_coordination(2)) == ((0, 0, 0), (1, 1, 1))
    # 3 actions: unanimous profiles, plus the 6 profiles with three different actions (every deviation
    # still leaves the profile non-unanimous, so nobody can gain).
    expected = sorted([(a, a, a) for a in range(3)] + list(itertools.permutations(range(3))))
    assert pure_equilibria(_coordination(3)) == tuple(expected)
    assert pure_equilibria([u.astype(float) for u in _coordination(3)]) == tuple(expected)


def test_three_player_coordination_mixed():
    # Player 1's action 0 earns qr, action 1 earns (1-q)(1-r): indifference iff q + r = 1; likewise
    # p + r = 1 and p + q = 1, so p = q = r = 1/2. With exactly two players mixing, say 1 and 2 with
    # r in {0, 1}, player 1's indifference gives q in {0, 1}: impossible. Weakly dominated supports
    # (player 1 mixing while 2 and 3 play different actions) are excluded, so the result is complete.
    sol = support_enumeration(_coordination(2), exact=True)
    assert sol.complete, sol.notes
    half = (F(1, 2), F(1, 2))
    assert sol.equilibria == (((F(1), F(0)),) * 3, (half,) * 3, ((F(0), F(1)),) * 3)


# --------------------------------------------------------------------------- cross-checks with pygambit


# Random 2x2x2 games with payoffs drawn from a wide range, so that they are generic with probability ~1.
@pytest.mark.parametrize("seed", range(12))
def test_random_2x2x2_games_against_pygambit(seed):
    rng = np.random.default_rng(1000 + seed)
    payoffs = [rng.integers(-1000, 1001, size=(2, 2, 2)) for _ in range(3)]
    sol = support_enumeration([u.astype(object) for u in payoffs], exact=True)
    assert sol.complete, sol.notes
    assert len(sol.equilibria) % 2 == 1  # generic games have an odd number of equilibria (Wilson 1971)
    _check_all_are_equilibria(payoffs, sol)
    mine = [_flat(eq) for eq in sol.equilibria]
    for g in _gambit_equilibria(payoffs):
        assert _contains(mine, g), (g, mine)
    pure = [eq for eq in sol.equilibria if all(v in (0, 1) for p in eq for v in p)]
    assert sorted(tuple(p.index(1) for p in eq) for eq in pure) == list(pure_equilibria(payoffs))
    # float mode returns the same equilibria as floats
    fsol = support_enumeration([u.astype(float) for u in payoffs], exact=False)
    assert len(fsol.equilibria) == len(mine)
    for f, m in zip(fsol.equilibria, mine):
        assert np.allclose(np.concatenate([np.array(p) for p in f]), m, atol=1e-12)


def test_random_3x2x2_game_against_pygambit():
    rng = np.random.default_rng(7)
    payoffs = [rng.integers(-1000, 1001, size=(3, 2, 2)) for _ in range(3)]
    sol = support_enumeration([u.astype(object) for u in payoffs], exact=True)
    assert sol.complete
    _check_all_are_equilibria(payoffs, sol)
    mine = [_flat(eq) for eq in sol.equilibria]
    for g in _gambit_equilibria(payoffs):
        assert _contains(mine, g)


def test_random_four_player_game_against_pygambit():
    rng = np.random.default_rng(2)
    payoffs = [rng.integers(-1000, 1001, size=(2, 2, 2, 2)) for _ in range(4)]
    sol = support_enumeration([u.astype(object) for u in payoffs], exact=True)
    assert sol.complete
    assert len(sol.equilibria) == 7
    _check_all_are_equilibria(payoffs, sol)
    mine = [_flat(eq) for eq in sol.equilibria]
    for g in _gambit_equilibria(payoffs):
        assert _contains(mine, g)


# Found while cross-checking: pygambit 16.7's enumpoly_solve misses the totally mixed equilibrium of this game
# (payoffs from np.random.default_rng(17).integers(-100, 101, size=(2, 2, 2)), three draws). gnm_solve and
# our exact solver both find it, and its regret is 0 to 40 digits.
GAME_MISSED_BY_ENUMPOLY = [
    np.array([[[48, 69], [-79, -68]], [[-8, 12], [53, -27]]]),
    np.array([[[-93, -57], [-9, -23]], [[83, -14], [28, 22]]]),
    np.array([[[-82, 48], [-90, -97]], [[17, -49], [-27, 21]]]),
]


def test_equilibrium_missed_by_enumpoly_is_genuine():
    payoffs = GAME_MISSED_BY_ENUMPOLY
    sol = support_enumeration([u.astype(object) for u in payoffs], exact=True)
    assert sol.complete and len(sol.equilibria) == 3
    _check_all_are_equilibria(payoffs, sol)
    mixed = [eq for eq in sol.equilibria if all(v != 0 for p in eq for v in p)]
    assert len(mixed) == 1 and not _is_rational_profile(mixed[0])
    assert "sqrt(579793282537)" in str(mixed[0][0][0])
    assert float(_regret([u.astype(object) for u in payoffs], _numeric(mixed[0]))) < 1e-40
    target = _flat(mixed[0])
    enumpoly = _gambit_equilibria(payoffs)
    mine = [_flat(eq) for eq in sol.equilibria]
    assert all(_contains(mine, g) for g in enumpoly)
    assert _contains(_gambit_equilibria(payoffs, gbt.nash.gnm_solve), target)


# --------------------------------------------------------------------------- two players and one player


def test_matching_pennies():
    A = _obj([[1, -1], [-1, 1]])
    sol = support_enumeration([A, -A], exact=True)
    assert sol.complete
    assert sol.equilibria == (((F(1, 2), F(1, 2)), (F(1, 2), F(1, 2))),)
    assert pure_equilibria([A, -A]) == ()


def test_battle_of_the_sexes():
    A = _obj([[2, 0], [0, 1]])
    B = _obj([[1, 0], [0, 2]])
    # mixed: column indifferent when p = 2(1 - p) -> p = 2/3; row indifferent when 2q = 1 - q -> q = 1/3
    expected = (
        ((F(1), F(0)), (F(1), F(0))),
        ((F(2, 3), F(1, 3)), (F(1, 3), F(2, 3))),
        ((F(0), F(1)), (F(0), F(1))),
    )
    sol = support_enumeration([A, B], exact=True)
    assert sol.complete and sol.equilibria == expected
    fsol = support_enumeration([A.astype(float), B.astype(float)], exact=False)
    assert fsol.equilibria[0] == ((1.0, 0.0), (1.0, 0.0))
    assert fsol.equilibria[1] == (pytest.approx((2 / 3, 1 / 3)), pytest.approx((1 / 3, 2 / 3)))


def test_prisoners_dilemma_pure():
    A = np.array([[3, 0], [5, 1]])
    assert pure_equilibria([A, A.T]) == ((1, 1),)
    assert pure_equilibria([_obj(A), _obj(A.T)]) == ((1, 1),)
    sol = support_enumeration([A, A.T], exact=True)
    assert sol.equilibria == (((F(0), F(1)), (F(0), F(1))),)


@pytest.mark.parametrize("seed", range(4))
def test_random_bimatrix_games_against_nashpy(seed):
    rng = np.random.default_rng(50 + seed)
    A = rng.integers(-1000, 1001, size=(3, 4))
    B = rng.integers(-1000, 1001, size=(3, 4))
    sol = support_enumeration([A, B], exact=True)
    assert sol.complete
    mine = [_flat(eq) for eq in sol.equilibria]
    theirs = [np.concatenate(e) for e in nashpy.Game(A, B).vertex_enumeration()]
    assert len(mine) == len(theirs)
    assert all(_contains(mine, t, atol=1e-9) for t in theirs)


def test_one_player_argmax_with_ties():
    u = np.array([3, 5, 5, 1])
    assert pure_equilibria([u]) == ((1,), (2,))
    sol = support_enumeration([_obj(u)], exact=True)
    assert sol.equilibria == (((F(0), F(1), F(0), F(0)),), ((F(0), F(0), F(1), F(0)),))
    assert sol.complete
    assert sol.notes and "indifferent" in sol.notes[0]
    sol = support_enumeration([np.array([3.0, 5.0, 1.0])], exact=False)
    assert sol.equilibria == (((0.0, 1.0, 0.0),),) and sol.complete and sol.notes == ()


# --------------------------------------------------------------------------- degenerate games, limits, input


def test_dummy_player_segment_is_complete():
    # Players 1 and 2 play matching pennies whatever player 3 does; player 3 always gets 0, so every
    # (1/2, 1/2, r) is an equilibrium: a segment, and nothing else (players 1 and 2 must mix 1/2 whatever
    # player 3 does). The conditions on it are linear, so its end points r = 1 and r = 0 are its vertices.
    mp = np.array([[1, -1], [-1, 1]], dtype=object)
    u1 = np.stack([mp, mp], axis=2)
    u3 = np.zeros((2, 2, 2), dtype=object)
    sol = support_enumeration([u1, -u1, u3], exact=True)
    half = (F(1, 2), F(1, 2))
    assert sol.equilibria == ((half, half, (F(1), F(0))), (half, half, (F(0), F(1))))
    assert sol.complete and sol.components == (0, 0) and sol.polytopes == ((0, 1),) and sol.has_continuum
    assert any("((0, 1), (0, 1), (0, 1))" in note and "2 vertices" in note for note in sol.notes)


def test_max_supports_exceeded():
    payoffs = [np.zeros((3, 3, 3), dtype=object)] * 3  # (2^3 - 1)^3 = 343 support profiles
    with pytest.raises(ValueError, match=r"343.*max_supports=100"):
        support_enumeration(payoffs, exact=True, max_supports=100)


def test_tolerance_in_float_mode():
    # player 1 gains 1e-12 by switching from action 0 to action 1 when player 2 plays 0
    A = np.array([[1.0, 0.0], [1.0 + 1e-12, 0.0]])
    B = np.array([[1.0, 0.0], [0.0, 0.0]])
    assert pure_equilibria([A, B]) == ((1, 0), (1, 1))
    assert pure_equilibria([A, B], tol=1e-9) == ((0, 0), (1, 0), (1, 1))
    assert pure_equilibria([_obj(A), _obj(B)], tol=1e-9) == ((1, 0), (1, 1))  # exact: tol ignored
    exact = support_enumeration([A, B], exact=True)
    loose = support_enumeration([A, B], exact=False, tol=1e-9)
    assert ((F(1), F(0)), (F(1), F(0))) not in exact.equilibria
    assert ((1.0, 0.0), (1.0, 0.0)) in loose.equilibria


def test_malformed_payoffs():
    with pytest.raises(ValueError, match="shape"):
        pure_equilibria([np.zeros((2, 2)), np.zeros((2, 3))])
    with pytest.raises(ValueError, match="axes"):
        support_enumeration([np.zeros((2, 2))], exact=True)


@settings(max_examples=25, deadline=None, derandomize=True)
@given(
    arrays(np.int64, (2, 2, 2), elements=st.integers(-2, 2)),
    arrays(np.int64, (2, 2, 2), elements=st.integers(-2, 2)),
    arrays(np.int64, (2, 2, 2), elements=st.integers(-2, 2)),
)
def test_degenerate_games_pure_part_and_validity(u1, u2, u3):
    # small payoff range: many ties and continua; every reported profile, and every polytope's centre, must still
    # be an exact equilibrium, and the pure ones must be exactly pure_equilibria's
    payoffs = [u1, u2, u3]
    sol = support_enumeration([u.astype(object) for u in payoffs], exact=True)
    assert sol.complete or sol.notes
    _check_all_are_equilibria(payoffs, sol)
    _check_polytopes([u.astype(object) for u in payoffs], sol)
    pure = [eq for eq in sol.equilibria if all(v in (0, 1) for p in eq for v in p)]
    assert sorted(tuple(p.index(1) for p in eq) for eq in pure) == list(pure_equilibria(payoffs))
    keys = [tuple(v for p in eq for v in p) for eq in sol.equilibria]
    assert len(set(keys)) == len(keys)
    floats = [tuple(float(sympy.N(v, 30)) for v in k) for k in keys]
    assert floats == sorted(floats, reverse=True)


def test_internal_solver_without_shape_position():
    # t = x does not separate the 4 points (+-1, +-1), and (y^2, y t, t^2) is not radical: the solver must
    # change coordinates / take the radical and still find the points.
    from sympy.polys.domains import QQ

    from gametheory_ukraine.solvers.n_player import _T, _solve_polynomial_system

    y = sympy.Symbol("y")

    def solve(eqs):
        out = _solve_polynomial_system([sympy.Poly(e, y, _T, domain=QQ) for e in eqs], [y, _T])
        return sorted(tuple(root.value(h) for h in coords) for root, coords in out)

    assert solve([y**2 - 1, _T**2 - 1]) == [(-1, -1), (-1, 1), (1, -1), (1, 1)]
    assert solve([y**2, y * _T, _T**2]) == [(0, 0)]
    assert solve([y**2 - 2 * y + 1, (_T - 1) ** 3]) == [(1, 1)]
    assert _solve_polynomial_system([sympy.Poly(y * _T - 1, y, _T, domain=QQ)], [y, _T]) == "continuum"


# --------------------------------------------------------------------------- continua: polytopes of equilibria


def _gambit_regret(payoffs, profile) -> F:
    """pygambit's exact largest gain from a deviation at our (rational) profile."""
    game = gbt.Game.from_arrays(*[np.asarray(u, dtype=int) for u in payoffs])
    mixed = game.mixed_strategy_profile(rational=True)
    for player, probs in zip(game.players, profile):
        for strategy, p in zip(player.strategies, probs):
            mixed[strategy] = F(p)
    return F(mixed.max_regret())


def _check_polytopes(payoffs, sol: NPlayerSolution) -> None:
    """Every listed point and every polytope's centre (a convex combination of its vertices) is an exact
    equilibrium, for our certificate and for pygambit; a polytope's vertices share one component."""
    centres = []
    for vertices in sol.polytopes:
        assert len({sol.components[k] for k in vertices}) == 1
        points = [sol.equilibria[k] for k in vertices]
        centres.append(tuple(tuple(sum(p[i][a] for p in points) / len(points) for a in range(len(points[0][i])))
                             for i in range(len(payoffs))))
    for profile in [*sol.equilibria, *centres]:
        assert certificate.regret(payoffs, profile) == 0
        assert _gambit_regret(payoffs, profile) == 0


# Game S (a segment). p, q, r = probability of action 0 of players 1, 2, 3.
#   D1(q, r) = q(3r - 1) - 5(1 - q), D2(p, r) = p(3 - 4r) - 5(1 - p), D3(p, q) = pq - 1 (d3 = 0 at (0, 0), else -1).
# D3 < 0 unless p = q = 1. If (p, q) != (1, 1): r = 0, D1(q, 0) = -q - 5(1 - q) < 0 so p = 0, D2(0, 0) = -5 so
# q = 0: the pure profile (1, 1, 1). If p = q = 1: player 3 is indifferent, and players 1 and 2 keep action 0 iff
# D1(1, r) = 3r - 1 >= 0 and D2(1, r) = 3 - 4r >= 0: r in [1/3, 3/4], a segment with end points r = 3/4, 1/3.
GAME_S = _game_from_deltas(
    {(0, 0): 2, (0, 1): -1, (1, 0): -5, (1, 1): -5},
    {(0, 0): -1, (0, 1): 3, (1, 0): -5, (1, 1): -5},
    {(0, 0): 0, (0, 1): -1, (1, 0): -1, (1, 1): -1},
)


def test_segment_of_equilibria_with_a_pure_profile_of_two_players():
    sol = support_enumeration(GAME_S, exact=True)
    pure0 = (F(1), F(0))
    assert sol.equilibria == (
        (pure0, pure0, (F(3, 4), F(1, 4))),
        (pure0, pure0, (F(1, 3), F(2, 3))),
        ((F(0), F(1)),) * 3,
    )
    assert sol.complete and sol.components == (0, 0, 1) and sol.polytopes == ((0, 1),)
    assert [note for note in sol.notes if "((0,), (0,), (0, 1))" in note and "vertices" in note]
    _check_polytopes(GAME_S, sol)
    # pygambit's enumpoly reports the isolated equilibrium only (not the segment); ours include it
    mine = [_flat(eq) for eq in sol.equilibria]
    gambit = _gambit_equilibria(GAME_S)
    assert gambit and all(_contains(mine, g) for g in gambit)
    # float mode: the same vertices, as floats
    fsol = support_enumeration([u.astype(float) for u in GAME_S], exact=False)
    assert fsol.equilibria[0] == ((1.0, 0.0), (1.0, 0.0), (0.75, 0.25)) and fsol.components == (0, 0, 1)
    # through solve(): the component labels and the polytope's note reach the result
    res = gtu.solve(gtu.NormalFormGame.from_arrays(*GAME_S))
    assert res.complete and res.has_continuum and [eq.component for eq in res] == [0, 0, 1]


def test_nau_2004_segment_in_the_interior():
    # Nau, Gomez Canovas & Hansen (2004), sec. 6, as distributed with pygambit: "the set of Nash equilibria is a
    # line segment". By hand from the payoff table, with p = P(Top), q = P(Left), s = player 3's mixture: at
    # p = q = 1/2 player 3 earns 1 with each action; there player 1's gain Top - Bottom is 1/2, -1/2, -1/2, 1/2
    # against player 3's actions, player 2's gain Left - Right is 1/2, -1/2, 1/2, -1/2, so both are indifferent
    # iff s1 + s4 = s2 + s3 = 1/2 and s1 + s3 = s2 + s4 = 1/2: s = (t, t, 1/2 - t, 1/2 - t), t in [0, 1/2].
    path = files("pygambit") / "catalog_data" / "journals" / "ijgt" / "nau2004" / "sec6.nfg"
    payoffs = [np.asarray(u, dtype=object) for u in read_gambit(path).payoffs]
    sol = support_enumeration(payoffs, exact=True)
    half = (F(1, 2), F(1, 2))
    assert sol.equilibria == (
        (half, half, (F(1, 2), F(1, 2), F(0), F(0))),
        (half, half, (F(0), F(0), F(1, 2), F(1, 2))),
    )
    assert sol.complete and sol.components == (0, 0) and sol.polytopes == ((0, 1),)
    _check_polytopes(payoffs, sol)


def test_triangle_of_equilibria_for_the_mixing_player():
    # 2x2x3. At the pure profile (0, 0) of players 1 and 2 player 3 gets 0 with each action; elsewhere her action 2
    # earns 1 more than the others. Against player 3's mixture s, player 1's gain from action 0 (player 2 playing
    # 0) is 2 s1 - s2 - s3 = 3 s1 - 1 and player 2's (player 1 playing 0) is 3 s2 - 1; against the other's action
    # 1 each loses 5 by action 0. If (p, q) != (1, 1) player 3 plays action 2, then player 1's gain is
    # -q - 5 (1 - q) < 0, p = 0, player 2's is -5, q = 0: the pure profile (1, 1, 2). If p = q = 1, player 3 is
    # indifferent and players 1 and 2 keep action 0 iff s1 >= 1/3 and s2 >= 1/3: a triangle with vertices
    # (2/3, 1/3, 0), (1/3, 2/3, 0), (1/3, 1/3, 1/3).
    u1, u2, u3 = (np.zeros((2, 2, 3), dtype=object) for _ in range(3))
    u1[0, 0], u1[0, 1] = [2, -1, -1], -5
    u2[0, 0], u2[1, 0] = [-1, 2, -1], -5
    u3[:, :, 2] = 1
    u3[0, 0, 2] = 0
    sol = support_enumeration([u1, u2, u3], exact=True)
    pure0 = (F(1), F(0))
    assert sol.equilibria == (
        (pure0, pure0, (F(2, 3), F(1, 3), F(0))),
        (pure0, pure0, (F(1, 3), F(2, 3), F(0))),
        (pure0, pure0, (F(1, 3), F(1, 3), F(1, 3))),
        ((F(0), F(1)), (F(0), F(1)), (F(0), F(0), F(1))),
    )
    assert sol.complete and sol.components == (0, 0, 0, 1) and sol.polytopes == ((0, 1, 2),)
    _check_polytopes([u1, u2, u3], sol)


def test_zero_game_is_one_cube():
    # every profile is an equilibrium: the set is the product of three segments, a cube whose 8 vertices are the
    # pure profiles, one component
    payoffs = [np.zeros((2, 2, 2), dtype=object)] * 3
    sol = support_enumeration(payoffs, exact=True)
    assert sorted(tuple(p.index(1) for p in eq) for eq in sol.equilibria) == list(itertools.product((0, 1), repeat=3))
    assert sol.complete and sol.components == (0,) * 8 and sol.polytopes == (tuple(range(8)),)  # faces not listed
    _check_polytopes(payoffs, sol)


def test_nonlinear_continuum_is_left_out_with_a_note():
    # Player 1's gain from action 0 is D1(q, r) = 2qr - 1; players 2 and 3 always get 0. Player 1 mixing needs
    # qr = 1/2, a curve (a hyperbola arc, not a polytope); keeping action 0 needs 2qr >= 1, a region bounded by it.
    payoffs = _game_from_deltas({(0, 0): 1, (0, 1): -1, (1, 0): -1, (1, 1): -1}, {}, {})
    sol = support_enumeration(payoffs, exact=True)
    assert not sol.complete
    assert any("((0, 1), (0, 1), (0, 1))" in note and "not linear" in note for note in sol.notes)
    assert any("((0,), (0, 1), (0, 1))" in note and "not linear" in note for note in sol.notes)
    _check_polytopes(payoffs, sol)
    # the region where player 1 plays action 1 (2qr <= 1 with p = 0) is not a polytope either, but the square
    # p = 0, q = 0 (player 2 pure, 2qr = 0) is: its vertices r = 0, 1 are listed
    assert ((F(0), F(1)), (F(0), F(1)), (F(1), F(0))) in sol.equilibria


@pytest.mark.parametrize("seed", range(8))
def test_degenerate_bimatrix_games_vertices_are_gambits_extreme_equilibria(seed):
    # two players: the polytope of every support profile is a product of faces of the best-response polytopes, so
    # the listed points are exactly the extreme equilibria (Gambit's enummixed), and the components are those of
    # the bipartite graph of extreme equilibria
    rng = np.random.default_rng(300 + seed)
    A, B = (rng.integers(-2, 3, size=(3, 3)) for _ in range(2))
    sol = support_enumeration([A, B], exact=True)
    game = gbt.Game.from_arrays(A, B)
    gambit = {tuple(tuple(F(e[s]) for s in p.strategies) for p in game.players)
              for e in gbt.nash.enummixed_solve(game, rational=True).equilibria}
    assert sol.complete and set(sol.equilibria) == gambit and len(sol.equilibria) == len(gambit)
    _check_polytopes([A, B], sol)
    ours = extreme_equilibria(A, B, exact=True)
    label = dict(zip(ours.equilibria, ours.components))
    pairs = {(label[e], c) for e, c in zip(sol.equilibria, sol.components)}
    assert len(pairs) == len({c for _, c in pairs}) == len({c for c, _ in pairs})


def test_tree_with_the_segment_game_as_its_subgame():
    # game S played simultaneously (each player's move in one information set): the tree's only subgame is the
    # whole game, solved in normal form; its subgame-perfect equilibria are the three points of game S, and the
    # solver says they include the end points of a continuum
    def node(player: int, path: tuple):
        if player == 3:
            return Terminal("t" + "".join(map(str, path)), tuple(F(u[path]) for u in GAME_S))
        kids = tuple(node(player + 1, path + (a,)) for a in range(2))
        return Decision("n" + "".join(map(str, path)), player, ("a0", "a1"), kids, infoset=f"h{player}")

    result = gtu.solve(GameTree(("P1", "P2", "P3"), node(0, ())))
    assert result.complete and len(result) == 3
    assert sorted(eq.strategies[2]["h2"] for eq in result) == [(0, 1), (F(1, 3), F(2, 3)), (F(3, 4), F(1, 4))]
    assert any("continua of equilibria" in note for note in result.notes)
    assert any("((0,), (0,), (0, 1))" in note and "2 vertices" in note for note in result.notes)
