"""Correlated equilibria against Aumann's Chicken, the polytope's vertices derived here with sympy, scipy's HiGHS on
the same program built independently, and Nash equilibria computed by Gambit."""

from __future__ import annotations

import itertools
import json
from fractions import Fraction as F

import numpy as np
import pygambit as gbt
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

import gametheory_ukraine as gtu
from gametheory_ukraine.cli import main
from gametheory_ukraine.core.errors import SolverError
from gametheory_ukraine.games.normal_form import NormalFormGame
from gametheory_ukraine.solvers.correlated import correlated_equilibrium, correlated_regret, correlated_vertices

# Aumann (1974), "Subjectivity and correlation in randomized strategies", the game of Chicken: (C,C) = (6,6),
# (C,D) = (2,7), (D,C) = (7,2), (D,D) = (0,0)
CHICKEN = NormalFormGame.from_arrays([[6, 2], [7, 0]], [[6, 7], [2, 0]], actions=[["C", "D"], ["C", "D"]])


def _incentives_by_hand(payoffs, shape):
    """The incentive constraints as sympy rows over the profiles (row-major): sum_{s: s_i = a} p(s) (u_i(s) -
    u_i(a', s_-i)) >= 0, written out here independently of the package."""
    profiles = list(itertools.product(*(range(k) for k in shape)))
    rows = []
    for i, k in enumerate(shape):
        for a, b in itertools.permutations(range(k), 2):
            rows.append([sympy.Integer(payoffs[i][s] - payoffs[i][s[:i] + (b,) + s[i + 1:]]) if s[i] == a else 0
                         for s in profiles])
    return rows


def test_chicken_welfare_maximum_is_aumanns():
    # Aumann (1974): the correlated equilibrium putting 1/2 on (C,C) and 1/4 on (C,D) and (D,C) has welfare 21/2,
    # more than any Nash equilibrium (10/3 + 10/3 at the mixed one, 9 at the pure ones)
    ce = correlated_equilibrium(CHICKEN)
    assert ce.value == F(21, 2) and ce.payoffs == (F(21, 4), F(21, 4)) and ce.regret == 0
    assert dict(ce.probabilities) == {("C", "C"): F(1, 2), ("C", "D"): F(1, 4), ("D", "C"): F(1, 4),
                                      ("D", "D"): 0}
    # the dual certificate proves optimality: b . y equals the value and A^T y >= c
    assert ce.certificate.status == "optimal" and ce.certificate.dual_eq[0] * 1 == F(21, 2)
    # one player's payoff: the row player's best correlated equilibrium is (D, C), 7 (by hand: 7 is the row
    # player's largest payoff and (D, C) is a Nash equilibrium)
    assert correlated_equilibrium(CHICKEN, "Player 1").value == 7


def test_chicken_polytope_vertices_derived_with_sympy():
    # The polytope's vertices (its geometry: Nau, Gomez Canovas and Hansen 2004), derived here by hand with sympy:
    # every choice of 3 of the 8 inequalities (p >= 0, 4 incentive constraints) made tight with sum p = 1, solved,
    # kept when feasible. They are the three Nash equilibria ((C,D), (D,C), the mixed one with 2/3 on C) and two
    # more, Aumann's welfare optimum and (0, 2/5, 2/5, 1/5).
    shape = (2, 2)
    payoffs = [np.array([[6, 2], [7, 0]]), np.array([[6, 7], [2, 0]])]
    ineq = [[int(j == k) for j in range(4)] for k in range(4)] + _incentives_by_hand(payoffs, shape)
    found = set()
    for active in itertools.combinations(ineq, 3):
        m = sympy.Matrix(list(active) + [[1, 1, 1, 1]])
        if m.det() == 0:
            continue
        p = m.solve(sympy.Matrix([0, 0, 0, 1]))
        if all(sum(r[j] * p[j] for j in range(4)) >= 0 for r in ineq):
            found.add(tuple(F(int(v.p), int(v.q)) for v in p))
    assert len(found) == 5
    assert (F(1, 2), F(1, 4), F(1, 4), 0) in found and (F(4, 9), F(2, 9), F(2, 9), F(1, 9)) in found
    assert (0, F(2, 5), F(2, 5), F(1, 5)) in found
    poly = correlated_vertices(CHICKEN)
    assert {tuple(v.values()) for v in poly.vertices} == found and poly.complete and poly.exact


def test_vertices_budget_and_bad_objectives():
    g = NormalFormGame.from_arrays(np.zeros((3, 3), dtype=int).tolist(), np.zeros((3, 3), dtype=int).tolist())
    with pytest.raises(SolverError, match="--max-work"):
        correlated_vertices(g)
    # Chicken's LP: 4 incentive rows and one equality over 4 profiles, a first tableau of 5 x 9 cells
    with pytest.raises(SolverError, match="tableau of 45 cells"):
        correlated_equilibrium(CHICKEN, max_work=44)
    with pytest.raises(SolverError, match="unknown objective 'Bob'"):
        correlated_equilibrium(CHICKEN, "Bob")
    with pytest.raises(SolverError, match="3 objective weights for 2 players"):
        correlated_equilibrium(CHICKEN, [1, 2, 3])
    with pytest.raises(SolverError, match="not a probability vector"):
        correlated_regret(CHICKEN, [1, 1, 0, 0])
    with pytest.raises(SolverError, match="free parameters"):
        correlated_equilibrium(gtu.load_model("chain-store").symbolic("normal"))


@st.composite
def games(draw, players=(2,), sizes=(1, 3)):
    n = draw(st.sampled_from(players))
    shape = tuple(draw(st.integers(*sizes)) for _ in range(n))
    cells = int(np.prod(shape))
    return NormalFormGame.from_arrays(*[np.array(draw(st.lists(st.integers(-4, 4), min_size=cells,
                                                                 max_size=cells))).reshape(shape).tolist()
                                        for _ in range(n)])


def _gambit_equilibria(game):
    g = gbt.Game.from_arrays(*[np.asarray(p, dtype=int) for p in game.payoffs])
    for eq in gbt.nash.enummixed_solve(g, rational=True).equilibria:
        yield [[F(str(eq[s])) for s in player.strategies] for player in g.players]


@settings(max_examples=40, deadline=None)
@given(games())
def test_every_nash_equilibrium_is_correlated_and_the_best_welfare_is_at_least_nash(game):
    # Aumann (1974): a Nash equilibrium's product distribution obeys every incentive constraint, so the welfare
    # maximum over correlated equilibria is at least every Nash equilibrium's welfare (equilibria by Gambit)
    best = correlated_equilibrium(game).value
    for sigma in _gambit_equilibria(game):
        product = [np.prod([sigma[i][a] for i, a in enumerate(s)])
                   for s in itertools.product(*(range(k) for k in game.shape))]
        assert correlated_regret(game, product) == 0
        welfare = sum(sum(u[s] for u in game.payoffs) * q
                      for s, q in zip(itertools.product(*(range(k) for k in game.shape)), product))
        assert best >= welfare


@settings(max_examples=40, deadline=None)
@given(games(players=(2, 3), sizes=(1, 3)), st.lists(st.integers(-3, 3), min_size=3, max_size=3))
def test_value_agrees_with_scipy_on_the_program_built_here(game, weights):
    w = weights[:game.n_players]
    ce = correlated_equilibrium(game, w)
    shape = game.shape
    rows = _incentives_by_hand([np.asarray(p, dtype=int) for p in game.payoffs], shape)
    profiles = list(itertools.product(*(range(k) for k in shape)))
    c = [sum(wi * int(u[s]) for wi, u in zip(w, game.payoffs)) for s in profiles]
    ref = linprog(-np.array(c, dtype=float), A_ub=-np.array(rows, dtype=float) if rows else None,
                  b_ub=np.zeros(len(rows)) if rows else None, A_eq=np.ones((1, len(profiles))), b_eq=[1],
                  bounds=(0, None), method="highs")
    assert ref.status == 0 and float(ce.value) == pytest.approx(-ref.fun, abs=1e-7)
    assert ce.regret == 0 and sum(ce.probabilities.values()) == 1


def test_vertices_contain_the_optimum_and_every_vertex_is_an_equilibrium():
    # a 2 x 3 game (Gibbons 1992, §1.1.B, solved by dominance to (Up, Middle)): its only correlated equilibrium
    # is that profile, since correlated equilibria put no weight on iteratively strictly dominated actions
    game = NormalFormGame.from_arrays([[1, 1, 0], [0, 0, 2]], [[0, 2, 1], [3, 1, 0]],
                                      actions=[["Up", "Down"], ["Left", "Middle", "Right"]])
    poly = correlated_vertices(game)
    assert [{s for s, p in v.items() if p} for v in poly.vertices] == [{("Up", "Middle")}]
    assert correlated_equilibrium(game).probabilities[("Up", "Middle")] == 1


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_correlated_text_json_and_vertices(capsys, tmp_path):
    nfg = tmp_path / "chicken.nfg"
    # Gambit's payoff-list format, the first player's strategy varying fastest: (C,C), (D,C), (C,D), (D,D)
    nfg.write_text('NFG 1 R "Chicken" { "Row" "Column" } { 2 2 }\n\n6 6 7 2 2 7 0 0\n', encoding="utf-8")
    code, out, _ = run(capsys, "solve", str(nfg), "--method", "correlated", "--format", "json")
    doc = json.loads(out)
    assert code == 0 and doc["value"] == "21/2" and doc["method"] == "correlated-lp"
    assert {(d["profile"]["Row"], d["profile"]["Column"]): d["probability"] for d in doc["distribution"]} == {
        ("1", "1"): "1/2", ("1", "2"): "1/4", ("2", "1"): "1/4"}
    code, out, _ = run(capsys, "solve", str(nfg), "--method", "correlated", "--objective", "Column")
    assert code == 0 and "maximising Column's payoff" in out and "value 7" in out
    code, out, _ = run(capsys, "solve", str(nfg), "--method", "correlated-vertices")
    assert code == 0 and "5 vertices" in out
    code, out, err = run(capsys, "solve", str(nfg), "--method", "correlated", "--objective", "1,2,3")
    assert code == 2 and out == "" and "3 objective weights for 2 players" in err and len(err.splitlines()) == 1
