"""Iterated elimination of dominated strategies against published games with published answers, Gambit's own
elimination (pure dominators), and Nash equilibria computed by Gambit."""

from __future__ import annotations

import json
from fractions import Fraction as F

import numpy as np
import pygambit as gbt
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

import gametheory_ukraine as gtu
from gametheory_ukraine.cli import main
from gametheory_ukraine.core.errors import SolverError
from gametheory_ukraine.games.normal_form import NormalFormGame
from gametheory_ukraine.solvers.dominance import dominating_mixture, iterated_dominance


def test_gibbons_strategy_dominated_only_by_a_mixture():
    # Gibbons (1992), A Primer in Game Theory, §1.3.A: rows T (3, 0), M (0, 3), B (1, 1) against L, R; B is
    # dominated by no pure strategy but by the mixture (1/2, 1/2) of T and M. The best margin, derived here:
    # max_p min(3p, 3(1 - p)) - 1 is reached where 3p = 3(1 - p).
    p = sympy.symbols("p")
    p_star = sympy.solve(sympy.Eq(3 * p, 3 * (1 - p)), p)[0]
    margin = 3 * p_star - 1
    game = NormalFormGame.from_arrays([[3, 0], [0, 3], [1, 1]], [[0, 0], [0, 0], [0, 0]],
                                      actions=[["T", "M", "B"], ["L", "R"]])
    res = iterated_dominance(game)
    assert res.game.actions[0] == ("T", "M") and res.game.actions[1] == ("L", "R")
    (step,) = res.steps
    assert (step.player, step.action, step.kind) == ("Player 1", "B", "strict")
    assert dict(step.dominated_by) == {"T": F(str(p_star)), "M": 1 - F(str(p_star))}
    assert step.margin == F(str(margin)) == F(1, 2)
    # pure dominators only: nothing is eliminated
    assert iterated_dominance(game, mixed=False).steps == ()


def test_gibbons_iterated_strict_dominance_to_a_unique_outcome():
    # Gibbons (1992), §1.1.B: Up (1,0) (1,2) (0,1); Down (0,3) (0,1) (2,0). Right is dominated by Middle, then
    # Down by Up, then Left by Middle: (Up, Middle).
    game = NormalFormGame.from_arrays([[1, 1, 0], [0, 0, 2]], [[0, 2, 1], [3, 1, 0]],
                                      actions=[["Up", "Down"], ["Left", "Middle", "Right"]])
    res = iterated_dominance(game)
    assert res.unique and res.game.actions == (("Up",), ("Middle",))
    assert [(s.round, s.action, dict(s.dominated_by)) for s in res.steps] == [
        (1, "Right", {"Middle": 1}), (2, "Down", {"Up": 1}), (3, "Left", {"Middle": 1})]


def test_prisoners_dilemma():
    # Gibbons (1992), §1.1.A: mum/fink with payoffs (-1,-1), (-9,0), (0,-9), (-6,-6); fink strictly dominates mum
    game = NormalFormGame.from_arrays([[-1, -9], [0, -6]], [[-1, 0], [-9, -6]],
                                      actions=[["mum", "fink"], ["mum", "fink"]])
    res = iterated_dominance(game)
    assert res.game.actions == (("fink",), ("fink",)) and len(res.steps) == 2
    assert {s.round for s in res.steps} == {1} and all(s.margin == 1 for s in res.steps)


RASMUSEN = NormalFormGame.from_arrays([[2, 1, 1], [0, 0, 0], [0, 1, 0]], [[12, 10, 12], [12, 10, 11], [12, 10, 13]],
                                      players=["Row", "Column"], actions=[["r1", "r2", "r3"], ["c1", "c2", "c3"]])


def test_weak_dominance_order_matters_rasmusen_iteration_path_game():
    # Rasmusen, Games and Information (4th ed., 2007), ch. 1, "The Iteration Path Game": deleting in the order
    # (r2, c2, c1, r3) leaves (r1, c3); in the order (r3, c3, c2, r2), (r1, c1); deleting every weakly dominated
    # strategy simultaneously removes r2, r3 and c2 in the first round and leaves r1 against c1 and c3.
    first = iterated_dominance(RASMUSEN, kind="weak", order=[("Row", "r2"), ("Column", "c2"), ("Column", "c1"),
                                                             ("Row", "r3")])
    assert first.game.actions == (("r1",), ("c3",))
    second = iterated_dominance(RASMUSEN, kind="weak", order=[("Row", "r3"), ("Column", "c3"), ("Column", "c2"),
                                                              ("Row", "r2")])
    assert second.game.actions == (("r1",), ("c1",))
    together = iterated_dominance(RASMUSEN, kind="weak")
    assert together.game.actions == (("r1",), ("c1", "c3"))
    assert {(s.round, s.action) for s in together.steps} == {(1, "r2"), (1, "r3"), (1, "c2")}
    assert "order" in together.notes[-1] and together.order == "simultaneous"


def test_an_order_whose_step_is_not_dominated_is_refused():
    with pytest.raises(SolverError, match="not weakly dominated at step 1"):
        iterated_dominance(RASMUSEN, kind="weak", order=[("Row", "r1")])
    with pytest.raises(SolverError, match="no action 'r9'"):
        iterated_dominance(RASMUSEN, kind="weak", order=[("Row", "r9")])
    with pytest.raises(SolverError, match="unknown elimination order"):
        iterated_dominance(RASMUSEN, order="random")
    with pytest.raises(SolverError, match="unknown dominance kind"):
        iterated_dominance(RASMUSEN, kind="very")
    with pytest.raises(SolverError, match="free parameters"):
        iterated_dominance(gtu.load_model("chain-store").symbolic("normal"))
    with pytest.raises(SolverError, match="--max-work 18"):
        iterated_dominance(RASMUSEN, max_work=5)
    # the budget covers the whole elimination: Gibbons' 3 x 2 game fits its 12 payoff entries in 20 units, but not
    # the LP that finds the dominating mixture
    gibbons = NormalFormGame.from_arrays([[3, 0], [0, 3], [1, 1]], [[0, 0], [0, 0], [0, 0]])
    with pytest.raises(SolverError, match="iterated strict dominance stopped after 0 eliminations"):
        iterated_dominance(gibbons, max_work=20)
    assert len(iterated_dominance(gibbons, max_work=200).steps) == 1


# ----------------------------------------------------------------------------- properties against Gambit
def _gambit(game: NormalFormGame):
    return gbt.Game.from_arrays(*[np.vectorize(lambda v: gbt.Rational(v.numerator, v.denominator))(
        np.asarray(p, dtype=object)) for p in game.payoffs])


def _gambit_iterated(game: NormalFormGame, strict: bool) -> tuple:
    """Gambit's test of dominance by a pure strategy (``StrategySupportProfile.is_dominated``), applied to every
    strategy of the current support at once, repeated to its fixed point. (Gambit 16.7's own
    ``supports.undominated_strategies_solve(strict=False)`` also drops strategies that ``is_dominated`` calls
    undominated, e.g. c2 in a 2 x 4 x 2 game Hypothesis found, so the test uses the one-strategy test.)"""
    support = _gambit(game).strategy_support_profile()
    while True:
        dominated = [s for s in support if support.is_dominated(s, strict=strict)]
        if not dominated:
            break
        for s in dominated:
            support = support.remove(s)
    return tuple(tuple(s.number for s in support if s.player.number == i) for i in range(len(game.players)))


@st.composite
def games(draw, players=(2, 3), sizes=(1, 4)):
    n = draw(st.sampled_from(players))
    shape = tuple(draw(st.integers(*sizes)) for _ in range(n))
    cells = int(np.prod(shape))
    arrays = [np.array(draw(st.lists(st.integers(-4, 4), min_size=cells, max_size=cells))).reshape(shape)
              for _ in range(n)]
    return NormalFormGame.from_arrays(*[a.tolist() for a in arrays])


@settings(max_examples=60, deadline=None)
@given(games(), st.sampled_from(["strict", "weak"]))
def test_pure_dominance_agrees_with_gambit(game, kind):
    res = iterated_dominance(game, kind=kind, mixed=False)
    assert res.kept == _gambit_iterated(game, strict=kind == "strict")


def _witness_holds(game, kept_before, step) -> bool:
    """The witness dominates the action in the game at the start of its round (checked with numpy here)."""
    i = game.players.index(step.player)
    u = np.moveaxis(np.asarray(game.payoffs[i], dtype=object)[np.ix_(*kept_before)], i, 0)
    labels = [game.actions[i][a] for a in kept_before[i]]
    target = u[labels.index(step.action)].ravel()
    mix = sum(p * u[labels.index(a)].ravel() for a, p in step.dominated_by.items())
    gains = mix - target
    if step.kind == "strict":
        return min(gains) > 0 and min(gains) == step.margin
    return min(gains) >= 0 and sum(gains) == step.margin > 0


@settings(max_examples=60, deadline=None)
@given(games(), st.sampled_from(["strict", "weak"]))
def test_every_witness_dominates_and_mixtures_remove_at_least_what_pure_strategies_do(game, kind):
    res = iterated_dominance(game, kind=kind)
    kept = [list(range(len(a))) for a in game.actions]
    for rnd in sorted({s.round for s in res.steps}):
        steps = [s for s in res.steps if s.round == rnd]
        assert all(_witness_holds(game, kept, s) for s in steps)
        for s in steps:
            i = game.players.index(s.player)
            kept[i].remove(game.actions[i].index(s.action))
    assert tuple(map(tuple, kept)) == res.kept
    if kind == "strict":   # mixtures only add eliminations (strict dominance does not depend on the order)
        pure = iterated_dominance(game, mixed=False).kept
        assert all(set(a) <= set(b) for a, b in zip(res.kept, pure))


@settings(max_examples=40, deadline=None)
@given(games(players=(2,), sizes=(1, 4)))
def test_strict_dominance_keeps_every_nash_equilibrium(game):
    # every equilibrium Gambit finds (extreme equilibria, exact) is played within the surviving actions
    res = iterated_dominance(game)
    for eq in gbt.nash.enummixed_solve(_gambit(game), rational=True).equilibria:
        for i, player in enumerate(eq.game.players):
            support = {k for k, s in enumerate(player.strategies) if eq[s] > 0}
            assert support <= set(res.kept[i])


def test_three_players_mixed_domination():
    # player 3's action z is worth 1 against every profile, while x and y pay 3 on alternate profiles of players
    # 1 and 2 and 0 elsewhere: z is dominated by (1/2 x, 1/2 y), with margin 1/2 (as in Gibbons' example above);
    # then the others are indifferent and nothing more goes
    u3 = np.zeros((2, 2, 3), dtype=object)
    u3[:, :, 0] = [[3, 0], [3, 0]]
    u3[:, :, 1] = [[0, 3], [0, 3]]
    u3[:, :, 2] = 1
    zero = np.zeros((2, 2, 3), dtype=int).tolist()
    game = NormalFormGame.from_arrays(zero, zero, u3.tolist(), actions=[["a", "b"], ["c", "d"], ["x", "y", "z"]])
    res = iterated_dominance(game)
    assert res.game.actions == (("a", "b"), ("c", "d"), ("x", "y"))
    assert dict(res.steps[0].dominated_by) == {"x": F(1, 2), "y": F(1, 2)} and res.steps[0].margin == F(1, 2)
    # weakly: any (p, 1 - p) with 3p >= 1 and 3(1 - p) >= 1 dominates, with total gain 3p + 3(1 - p) - 2 = 1
    witness, total = dominating_mixture([[F(3), F(0)], [F(0), F(3)], [F(1), F(1)]], 2, "weak")
    assert total == 1 and F(1, 3) <= witness[0] <= F(2, 3) and witness[0] + witness[1] == 1


# ----------------------------------------------------------------------------------------- solve and CLI
def test_solve_routes_dominance_and_trees_use_their_reduced_normal_form():
    model = gtu.load_model("chain-store")
    # Selten (1978): in the chain store's normal form nothing is strictly dominated; fight is weakly dominated by
    # acquiesce, and then stay out by enter (the subgame-perfect outcome)
    strict = gtu.solve(model.game("normal"), method="dominance")
    assert strict.steps == () and strict.method == "iterated-strict-dominance"
    weak = gtu.solve(model.game("sequential"), method="weak-dominance")
    assert [(s.player, s.action) for s in weak.steps] == [("Incumbent", "fight"), ("Entrant", "stay out")]


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_text_and_json_at_a_scenario(capsys):
    code, out, _ = run(capsys, "solve", "chain-store", "--method", "weak-dominance", "--scenario", "costly-war")
    assert code == 0 and "scenario: costly-war" in out
    assert "Incumbent drops fight (weakly dominated by acquiesce" in out and "Entrant keeps: enter" in out
    code, out, _ = run(capsys, "solve", "chain-store", "--method", "dominance", "--format", "json",
                       "-p", "c_I=1")
    doc = json.loads(out)
    assert code == 0 and doc["method"] == "iterated-strict-dominance" and doc["parameters"]["c_I"] == "1"
    assert doc["kept"] == {"Entrant": ["stay out", "enter"], "Incumbent": ["fight", "acquiesce"]}


def test_an_objective_is_refused_by_every_method_but_correlated():
    game = gtu.load_model("chain-store").game("normal")
    for method in ("auto", "dominance", "weak-dominance", "correlated-vertices", "logit-qre"):
        with pytest.raises(SolverError, match="an objective is for method correlated"):
            gtu.solve(game, method=method, objective="welfare", **({"lam": 1.0} if method == "logit-qre" else {}))
    assert gtu.solve(game, method="correlated").objective == gtu.solve(game, method="correlated",
                                                                       objective="welfare").objective


@pytest.mark.parametrize("argv, words", [
    (["--method", "dominance", "--objective", "welfare"], "an objective is for method correlated"),
    (["--method", "dominance", "--format", "latex"], "--format latex shows equilibria"),
    (["--method", "dominance", "--max-work", "3"], "raise it with --max-work"),
    (["--method", "dominanze"], "unknown method"),
])
def test_cli_bad_input_is_one_line_and_exit_2(capsys, argv, words):
    code, out, err = run(capsys, "solve", "chain-store", *argv)
    assert code == 2 and out == "" and words in err and len(err.strip().splitlines()) == 1
