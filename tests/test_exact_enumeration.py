"""Exact two-player enumeration by lexicographic vertex search, checked against two independent programs:
lrsnash (lrslib, reverse search, run as a subprocess) and pygambit's exact ``enummixed``, on random games from
4 x 4 to 11 x 11 (square and not), on degenerate games with continua of equilibria, and on von Stengel's
published degenerate example; plus the optional ``method="lrsnash"`` backend, its certificate, and what
happens without the program."""

from __future__ import annotations

import subprocess
import sys
from fractions import Fraction as F

import numpy as np
import pygambit as gbt
import pytest

import gametheory_ukraine as gtu
from gametheory_ukraine.core.errors import SolverError
from gametheory_ukraine.io.gambit import write_gambit
from gametheory_ukraine.solvers import lrs, two_player
from gametheory_ukraine.solvers.lrs import find_lrsnash, lrsnash_equilibria, parse_lrsnash
from gametheory_ukraine.solvers.two_player import extreme_equilibria
from gametheory_ukraine.solvers.vertex_search import max_bases, polytope_vertices

LRSNASH = find_lrsnash()


def test_lrsnash_is_installed_with_the_test_extra():
    # the test extra installs passagemath-lrslib, whose wheel carries the program
    assert LRSNASH is not None
    # matching pennies: the one equilibrium is (1/2, 1/2) for both
    assert lrsnash_set([[1, 0], [0, 1]], [[0, 1], [1, 0]]) == {((F(1, 2), F(1, 2)), (F(1, 2), F(1, 2)))}


def lrsnash_set(A, B) -> set:
    """lrsnash's extreme equilibria, run and read here with the test's own parser (independent of ours)."""
    m, n = len(A), len(A[0])
    text = f"{m} {n}\n\n" + "\n".join(" ".join(map(str, r)) for r in A) + "\n\n" + \
        "\n".join(" ".join(map(str, r)) for r in B) + "\n"
    out = subprocess.run([LRSNASH, "/dev/stdin"], input=text, capture_output=True, text=True, check=True).stdout
    pairs, ys = set(), []
    for line in out.splitlines():
        f = line.split()
        if not f or f[0].startswith("*"):
            continue
        if f[0] == "2":
            ys.append(tuple(F(v) for v in f[1:-1]))
        else:
            assert f[0] == "1"
            x = tuple(F(v) for v in f[1:-1])
            pairs |= {(x, y) for y in ys}
            ys = []
    return pairs


def gambit_set(A, B) -> set:
    gm = gbt.Game.from_arrays(np.array(A, dtype=object), np.array(B, dtype=object))
    res = gbt.nash.enummixed_solve(gm, rational=True)
    p1, p2 = gm.players
    return {(tuple(F(eq[s]) for s in p1.strategies), tuple(F(eq[s]) for s in p2.strategies))
            for eq in res.equilibria}


def ours_set(A, B) -> set:
    return {(tuple(x), tuple(y)) for x, y in extreme_equilibria(A, B, exact=True).equilibria}


def random_game(m, n, seed, high=99):
    rng = np.random.default_rng(seed)
    return rng.integers(0, high + 1, (m, n)).tolist(), rng.integers(0, high + 1, (m, n)).tolist()


# sizes on every path: candidate bases (<= 200 per polytope), both polytopes searched (<= 8 x 8), one searched
# with complementary bases (9 x 9 and up), the players swapped (more rows than columns)
SHAPES = [(4, 4), (3, 8), (5, 5), (6, 7), (8, 8), (9, 9), (10, 7), (7, 10), (11, 11)]


@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("high", [99, 3], ids=["payoffs-0-99", "payoffs-0-3-degenerate"])
def test_random_games_agree_with_lrsnash_and_gambit(shape, high):
    for seed in range(2 if shape[0] * shape[1] >= 100 else 4):
        A, B = random_game(*shape, seed=1000 * shape[0] + 10 * shape[1] + seed, high=high)
        ours = ours_set(A, B)
        assert ours == lrsnash_set(A, B), (shape, seed)
        if shape[0] * shape[1] <= 64:  # enummixed is slow beyond 8 x 8
            assert ours == gambit_set(A, B), (shape, seed)


def test_published_degenerate_example_and_its_continuum():
    # von Stengel (2007), section 3.4: x = (1, 0, 0) is in equilibrium with every y on the segment from (1, 0)
    # to (2/3, 1/3); (0, 1/3, 2/3) with (1/3, 2/3) is the third extreme equilibrium
    A, B = [[3, 3], [2, 5], [0, 6]], [[3, 3], [2, 6], [3, 1]]
    sol = extreme_equilibria(A, B, exact=True)
    assert set(sol.equilibria) == {((1, 0, 0), (1, 0)), ((1, 0, 0), (F(2, 3), F(1, 3))),
                                   ((0, F(1, 3), F(2, 3)), (F(1, 3), F(2, 3)))}
    assert sol.degenerate is True and sorted(sol.components) == [0, 0, 1]
    assert set(sol.equilibria) == lrsnash_set(A, B)


def test_large_degenerate_game_on_the_one_polytope_path():
    # a 9 x 9 game (one polytope searched) with a continuum: two identical columns for the row player and a
    # column player indifferent between them, so every mix of columns 0 and 1 against row 0 is an equilibrium
    A, B = random_game(9, 9, seed=7)
    for i in range(9):
        A[i][1] = A[i][0]
    A[0] = [200] * 9  # row 0 strictly dominant
    B[0][0] = B[0][1] = 300  # against row 0 the column player is indifferent between columns 0 and 1 only
    sol = extreme_equilibria(A, B, exact=True)
    x0 = tuple([1] + [0] * 8)
    assert {y for x, y in sol.equilibria} == {tuple([1] + [0] * 8), tuple([0, 1] + [0] * 7)}
    assert all(x == x0 for x, _ in sol.equilibria) and len(set(sol.components)) == 1
    assert sol.degenerate is True
    assert set(sol.equilibria) == lrsnash_set(A, B)


def test_coordination_game_has_one_equilibrium_per_support():
    # 9 x 9 identity payoffs for both (one polytope searched): by hand, for every nonempty set S of actions both
    # mixing uniformly on S is an equilibrium (each action in S earns 1/|S|, each outside 0), and these are all
    # the extreme ones: 2**9 - 1, most of which the search must accept rather than refute
    n = 9
    eye = [[int(i == j) for j in range(n)] for i in range(n)]
    expected = set()
    for bits in range(1, 2**n):
        size = bin(bits).count("1")
        x = tuple(F(1, size) if bits >> i & 1 else F(0) for i in range(n))
        expected.add((x, x))
    assert ours_set(eye, eye) == expected


@pytest.mark.parametrize("high", [10**6, 10**13], ids=["checks-scaled-down", "past-exact-float-checks"])
def test_large_payoffs_agree_with_lrsnash(high):
    # large payoffs shrink the integers the floating-point certificates may use (10**6), or switch them off
    # (10**13), leaving every partner to exact pivots: the equilibria are the same either way
    A, B = random_game(10, 10, seed=4242, high=high)
    assert ours_set(A, B) == lrsnash_set(A, B)


def test_payoffs_past_the_float_range_keep_the_equilibria():
    # multiplying every payoff by 10**309 (past the largest float, about 1.8e308) changes no equilibrium: ours
    # on the scaled 9 x 9 game (one polytope searched, partners paired) must be lrsnash's on the original one
    A, B = random_game(9, 9, seed=4243)
    big = 10**309
    assert ours_set([[v * big for v in r] for r in A], [[v * big for v in r] for r in B]) == lrsnash_set(A, B)


def test_search_visits_exactly_the_vertices_of_a_cube():
    # {z >= 0, z_i <= 1/2}: the cube [0, 1/2]^3 (C = 2 I), 8 vertices, each with 3 labels; no degeneracy
    pv = polytope_vertices([[2, 0, 0], [0, 2, 0], [0, 0, 2]])
    points = {tuple(F(v, d) for v in z) for z, d in zip(pv.numerators, pv.denominators)}
    assert points == {(a, b, c) for a in (0, F(1, 2)) for b in (0, F(1, 2)) for c in (0, F(1, 2))}
    assert pv.bases == 8 and not pv.degenerate


def test_upper_bound_theorem_values():
    # McMullen's bound for simple d-polytopes with f facets, checked on polytopes where it is attained: the
    # d-cube (2d facets) has 2^d vertices for d <= 3, a simplex (d + 1 facets) d + 1
    assert [max_bases(d, 2 * d) for d in (1, 2, 3)] == [2, 4, 8]
    assert [max_bases(d, d + 1) for d in (1, 2, 5)] == [2, 3, 6]


def test_lrsnash_method_through_solve_is_certified_and_equals_ours(tmp_path):
    A, B = random_game(7, 6, seed=3, high=5)
    game = gtu.NormalFormGame.from_arrays(A, B)
    via_lrs = gtu.solve(game, method="lrsnash")
    ours = gtu.solve(game, method="vertex-enumeration")
    assert via_lrs.method == "lrsnash" and via_lrs.complete and via_lrs.exact
    assert {eq.strategies for eq in via_lrs} == {eq.strategies for eq in ours}
    assert all(eq.regret == 0 for eq in via_lrs)
    assert [e.component for e in via_lrs] == [e.component for e in ours]
    path = write_gambit(game, tmp_path / "g.nfg")
    run = subprocess.run([sys.executable, "-m", "gametheory_ukraine", "solve", str(path), "--method", "lrsnash"],
                         capture_output=True, text=True)
    assert run.returncode == 0 and "method: lrsnash, exact; complete: yes" in run.stdout


def test_without_the_program_the_method_says_how_to_install_it(monkeypatch):
    monkeypatch.setattr(lrs, "find_lrsnash", lambda: None)
    with pytest.raises(SolverError, match=r"lrsnash program, which was not found.*passagemath-lrslib"):
        gtu.solve(gtu.NormalFormGame.from_arrays([[1, 0], [0, 1]], [[1, 0], [0, 1]]), method="lrsnash")


def test_unexpected_lrsnash_output_is_refused():
    with pytest.raises(SolverError, match="does not know"):
        parse_lrsnash("2 1/2 1/2 1\n3 1 0 1\n", 2, 2)
    with pytest.raises(SolverError, match="ended inside a block"):
        parse_lrsnash("2 1/2 1/2 1\n", 2, 2)
    with pytest.raises(SolverError, match="failed"):
        lrsnash_equilibria([[1]], [[1]], binary="false")


def test_integer_payoffs_keep_the_equilibria():
    # a positive affine map per player: (A - min A) * lcm + 1
    Ap, Bp = two_player.exact_integer_payoffs([[F(1, 2), -1], [0, 2]], [["0.25", 1], [3, -2]])
    assert Ap == [[4, 1], [3, 7]] and Bp == [[10, 13], [21, 1]]


@pytest.mark.parametrize("faces_up_to", [0, 10**6], ids=["second-polytope-searched", "every-face-searched"])
def test_both_ways_of_finding_partners_of_degenerate_vertices_agree_with_lrsnash(monkeypatch, faces_up_to):
    # past FACES_UP_TO degenerate vertices the second polytope is searched once, else one face per vertex
    monkeypatch.setattr(two_player, "FACES_UP_TO", faces_up_to)
    for seed in range(3):
        A, B = random_game(10, 10, seed=500 + seed, high=2)
        assert ours_set(A, B) == lrsnash_set(A, B), seed
