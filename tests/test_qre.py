"""Logit quantal response equilibria (gametheory_ukraine.solvers.qre, solve(method="logit-qre"), gtu qre).

Independent sources: pygambit 16.7's logit path follower (``gbt.qre.logit_solve_lambda`` on normal forms,
``gbt.nash.logit_solve`` for the limit of the agent QRE branch) and pygambit's conditional action values
(``MixedBehaviorProfile.action_value``) for the agent QRE fixed point at given lambdas (pygambit 16.7 cannot hand
out the behaviour profiles of ``logit_solve_lambda``: their ``.profile`` raises); fixed points derived by hand
here and solved with mpmath; the known limits of the principal branch (the risk-dominant equilibrium of a stag
hunt, the mixed equilibrium of asymmetric matching pennies).
"""

from __future__ import annotations

import io
import json
import math

import mpmath
import numpy as np
import pandas as pd
import pygambit as gbt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gametheory_ukraine as gtu
from gametheory_ukraine.analysis.qre_sweep import qre_sweep
from gametheory_ukraine.cli import main
from gametheory_ukraine.core.errors import ParameterError, SolverError
from gametheory_ukraine.games.tree import Decision, GameTree, Terminal
from gametheory_ukraine.io.gambit import parse_gambit
from gametheory_ukraine.solvers.qre import QRE, QREPath, logit_branch, logit_qre

LAMBDAS = [0.25, 1.0, 3.0, 8.0, 20.0]

HORSE = """EFG 2 R "Selten's horse" { "P1" "P2" "P3" }
p "" 1 1 "" { "C" "D" } 0
p "" 2 1 "" { "c" "d" } 0
t "" 1 "" { 1, 1, 1 }
p "" 3 1 "" { "L" "R" } 0
t "" 2 "" { 4, 4, 0 }
t "" 3 "" { 1, 1, 1 }
p "" 3 1 "" { "L" "R" } 0
t "" 4 "" { 3, 2, 2 }
t "" 5 "" { 0, 0, 3 }
"""

#: a signalling game: chance draws the sender's type (1/3, 2/3); the receiver sees the message, not the type
SIGNAL = """EFG 2 R "signalling" { "S" "R" }
c "" 1 "" { "t1" 1/3 "t2" 2/3 } 0
p "" 1 1 "" { "a" "b" } 0
p "" 2 1 "" { "x" "y" } 0
t "" 1 "" { 2, 1 }
t "" 2 "" { 0, 0 }
p "" 2 2 "" { "x" "y" } 0
t "" 3 "" { 1, 0 }
t "" 4 "" { 3, 2 }
p "" 1 2 "" { "a" "b" } 0
p "" 2 1 "" { "x" "y" } 0
t "" 5 "" { 0, 0 }
t "" 6 "" { 1, 3 }
p "" 2 2 "" { "x" "y" } 0
t "" 7 "" { 2, 1 }
t "" 8 "" { 0, 2 }
"""


def _flat(q: QRE) -> list[float]:
    return [p for s in q.strategies for p in s]


def _gambit_lambda(arrays, lams):
    """pygambit's logit QRE of a normal form at each lambda, as flat lists (players in order)."""
    gg = gbt.Game.from_arrays(*arrays)
    return [[float(r.profile[s]) for s in gg.strategies] for r in gbt.qre.logit_solve_lambda(gg, lam=lams)]


# ------------------------------------------------------------------------------ normal form vs pygambit
@pytest.mark.parametrize("arrays", [
    (np.array([[4, 0, 2], [1, 3, 1]]), np.array([[1, 2, 0], [3, 0, 2]])),           # 2 x 3, mixed limit
    (np.array([[3, 0], [5, 1]]), np.array([[3, 5], [0, 1]])),                       # prisoner's dilemma
    (np.array([[[2, 0], [0, 1]], [[0, 3], [1, 0]]]),                                # three players, 2 x 2 x 2
     np.array([[[1, 0], [2, 0]], [[0, 1], [0, 2]]]),
     np.array([[[0, 2], [1, 0]], [[1, 0], [0, 3]]])),
    (np.array([[[1, 0], [0, 2], [3, 1]], [[2, 1], [1, 0], [0, 0]]]),                 # three players, 2 x 3 x 2
     np.array([[[0, 1], [2, 0], [1, 1]], [[1, 0], [0, 3], [2, 0]]]),
     np.array([[[2, 0], [1, 1], [0, 2]], [[0, 1], [1, 0], [3, 0]]])),
], ids=["2x3", "prisoners-dilemma", "3-player-2x2x2", "3-player-2x3x2"])
def test_normal_form_matches_pygambit(arrays):
    game = gtu.NormalFormGame.from_arrays(*arrays)
    for lam, expected in zip(LAMBDAS, _gambit_lambda(arrays, LAMBDAS)):
        q = logit_qre(game, lam)
        assert q.lam == lam and q.method == "logit-qre" and q.residual < 1e-10
        np.testing.assert_allclose(_flat(q), expected, atol=1e-6, rtol=0)


def test_branch_points_are_pygambit_qre_at_their_lambdas():
    arrays = (np.array([[4, 0, 2], [1, 3, 1]]), np.array([[1, 2, 0], [3, 0, 2]]))
    path = logit_branch(gtu.NormalFormGame.from_arrays(*arrays), 12)
    assert isinstance(path, QREPath) and path.lambdas[0] == 0 and path.lambdas[-1] == 12
    assert np.all(np.diff(path.lambdas) > 0) and len(path) > 10
    picks = [3, len(path) // 2, len(path) - 1]
    expected = _gambit_lambda(arrays, [float(path.lambdas[k]) for k in picks])
    for k, exp in zip(picks, expected):
        np.testing.assert_allclose(path.probabilities[k], exp, atol=1e-6, rtol=0)
    df = path.to_frame()
    assert list(df.columns) == ["lambda", "prob:Player 1:r1", "prob:Player 1:r2", "prob:Player 2:c1",
                                "prob:Player 2:c2", "prob:Player 2:c3"]
    np.testing.assert_allclose(df.iloc[0, 1:], [1 / 2, 1 / 2, 1 / 3, 1 / 3, 1 / 3])


@settings(max_examples=15, deadline=None)
@given(st.floats(min_value=0, max_value=200))
def test_matching_pennies_is_uniform_at_every_lambda(lam):
    game = gtu.NormalFormGame.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    np.testing.assert_allclose(_flat(logit_qre(game, lam)), [0.5] * 4, atol=1e-12)


@pytest.mark.parametrize("lam", [0.5, 2.0, 10.0])
def test_asymmetric_matching_pennies_closed_form(lam):
    """McKelvey and Palfrey's asymmetric matching pennies: row [[9, 0], [0, 1]], column [[0, 1], [1, 0]].
    By hand: the row player's values are 9q and 1 - q, so p = 1 / (1 + exp(lam (1 - 10 q))); the column
    player's are 1 - p and p, so q = 1 / (1 + exp(lam (2 p - 1))). p - (that of q(p)) is decreasing in p: one
    root in [0, 1], found by bisection at 30 digits."""
    mpmath.mp.dps = 30
    lam_m = mpmath.mpf(lam)

    def q_of(p):
        return 1 / (1 + mpmath.exp(lam_m * (2 * p - 1)))

    p = mpmath.findroot(lambda p: p - 1 / (1 + mpmath.exp(lam_m * (1 - 10 * q_of(p)))), (0, 1), solver="bisect")
    q = logit_qre(gtu.NormalFormGame.from_arrays([[9, 0], [0, 1]], [[0, 1], [1, 0]]), lam)
    np.testing.assert_allclose(_flat(q), [float(p), float(1 - p), float(q_of(p)), float(1 - q_of(p))],
                               atol=1e-10, rtol=0)


def test_lambda_zero_is_uniform_and_branch_converges_to_the_mixed_nash():
    game = gtu.NormalFormGame.from_arrays([[9, 0], [0, 1]], [[0, 1], [1, 0]])
    assert _flat(logit_qre(game, 0)) == [0.5, 0.5, 0.5, 0.5]
    far = logit_qre(game, 5000)
    # the Nash equilibrium: row mixes 1/2-1/2 (column indifferent), column plays left 1/10 (9 q = 1 - q)
    np.testing.assert_allclose(_flat(far), [0.5, 0.5, 0.1, 0.9], atol=2e-3)
    assert far.regret < 1e-2 < logit_qre(game, 5).regret


def test_stag_hunt_branch_selects_the_risk_dominant_equilibrium():
    """Stag hunt: (stag, stag) pays 4 each, hare pays 3 for sure, stag against hare 0. (stag, stag) is payoff
    dominant, (hare, hare) risk dominant (deviation losses 4 - 3 = 1 < 3 - 0 = 3); the logit branch starts at
    1/2, where hare is the better reply (3 > 2), and goes to (hare, hare), as pygambit's logit limit does."""
    a = np.array([[4, 0], [3, 3]])
    game = gtu.NormalFormGame.from_arrays(a, a.T, actions=[["stag", "hare"]] * 2)
    q = logit_qre(game, 50)
    np.testing.assert_allclose(_flat(q), [0, 1, 0, 1], atol=1e-12)
    assert q.regret < 1e-12
    limit = gbt.nash.logit_solve(gbt.Game.from_arrays(a, a.T)).equilibria[0]
    np.testing.assert_allclose([float(limit[s]) for s in limit.game.strategies], _flat(q), atol=1e-6)


# ------------------------------------------------------------------------------------ agent QRE (trees)
def _gambit_fixed_point_error(text: str, q: QRE, lam: float) -> float:
    """How far *q* is from a logit fixed point by pygambit's own conditional action values."""
    gg = gbt.read_efg(io.StringIO(text))
    prof = gg.mixed_behavior_profile(rational=False)
    behaviour = {h: ps for part in q.strategies for h, ps in part.items()}
    for iset in gg.infosets:
        for action, p in zip(iset.actions, behaviour[f"{iset.player.label}:{iset.number + 1}"]):
            prof[action] = p
    err = 0.0
    for iset in gg.infosets:
        v = np.array([float(prof.action_value(a)) for a in iset.actions])
        logit = np.exp(lam * (v - v.max()))
        err = max(err, float(np.max(np.abs(logit / logit.sum() - [float(prof[a]) for a in iset.actions]))))
    return err


@pytest.mark.parametrize("text", [HORSE, SIGNAL], ids=["selten-horse-3-players", "signalling-with-chance"])
def test_agent_qre_is_a_fixed_point_by_pygambits_action_values(text):
    tree = parse_gambit(text)
    for lam in LAMBDAS:
        q = logit_qre(tree, lam)
        assert q.form == "sequential" and q.residual < 1e-10
        assert _gambit_fixed_point_error(text, q, lam) < 1e-9


@pytest.mark.parametrize("text", [HORSE, SIGNAL], ids=["selten-horse-3-players", "signalling-with-chance"])
def test_agent_qre_branch_limit_is_pygambits(text):
    gg = gbt.read_efg(io.StringIO(text))
    limit = gbt.nash.logit_solve(gg, use_strategic=False).equilibria[0]
    q = logit_qre(parse_gambit(text), 2000)
    behaviour = {h: ps for part in q.strategies for h, ps in part.items()}
    mine = [p for iset in gg.infosets for p in behaviour[f"{iset.player.label}:{iset.number + 1}"]]
    np.testing.assert_allclose(mine, [float(limit[a]) for a in gg.actions], atol=1e-3)


def test_simultaneous_moves_as_a_tree_give_the_normal_form_qre():
    """Player 2's information set holds both of player 1's moves: every information set is reached for sure,
    so the agent QRE is the normal-form QRE, here pygambit's."""
    a, b = np.array([[4, 0, 2], [1, 3, 1]]), np.array([[1, 2, 0], [3, 0, 2]])
    rows = [Decision(f"n{i}", 1, ("c1", "c2", "c3"), tuple(Terminal(f"z{i}{j}", (int(a[i, j]), int(b[i, j])))
                                                            for j in range(3)), infoset="col")
            for i in range(2)]
    tree = GameTree(("Player 1", "Player 2"), Decision("root", 0, ("r1", "r2"), tuple(rows)))
    for lam, expected in zip(LAMBDAS, _gambit_lambda((a, b), LAMBDAS)):
        q = logit_qre(tree, lam)
        np.testing.assert_allclose([*q.strategies[0]["root"], *q.strategies[1]["col"]], expected, atol=1e-6)


def test_chain_store_tree_closed_form():
    """Entrant: stay out (1, 5) or enter; incumbent: fight (0, 0) or acquiesce (2, 2). By hand: the incumbent's
    conditional values are 0 and 2, so fight has probability 1 / (1 + e^(2 lam)); the entrant's are 1 and
    2 (1 - fight), so stay out has probability 1 / (1 + e^(lam (2 (1 - fight) - 1)))."""
    tree = GameTree(("Entrant", "Incumbent"), Decision("entry", 0, ("out", "in"), (
        Terminal("o", (1, 5)),
        Decision("response", 1, ("fight", "acquiesce"), (Terminal("f", (0, 0)), Terminal("a", (2, 2)))))))
    for lam in (0.3, 1.0, 4.0):
        fight = 1 / (1 + math.exp(2 * lam))
        out = 1 / (1 + math.exp(lam * (2 * (1 - fight) - 1)))
        q = logit_qre(tree, lam)
        np.testing.assert_allclose(q.strategies[1]["response"], [fight, 1 - fight], atol=1e-12)
        np.testing.assert_allclose(q.strategies[0]["entry"], [out, 1 - out], atol=1e-12)


# ------------------------------------------------------------------------------------- solve(), budgets
def test_solve_returns_a_qre_not_an_equilibrium_set():
    game = gtu.NormalFormGame.from_arrays([[9, 0], [0, 1]], [[0, 1], [1, 0]])
    q = gtu.solve(game, method="logit-qre", lam=2)
    assert isinstance(q, QRE) and q.to_dict()["nash"] is False and q.to_dict()["lambda"] == 2
    assert "not a Nash equilibrium" in repr(q)
    with pytest.raises(SolverError, match="needs a precision lambda"):
        gtu.solve(game, method="logit-qre")
    with pytest.raises(SolverError, match="is for method logit-qre"):
        gtu.solve(game, lam=2)


@pytest.mark.parametrize("lam", [-1, float("nan"), float("inf"), 1e7, "abc"])
def test_bad_lambda_is_refused(lam):
    with pytest.raises(ParameterError):
        logit_qre(gtu.NormalFormGame.from_arrays([[1, 0]], [[0, 1]]), lam)


def test_budgets_are_refused_with_the_way_to_raise_them():
    game = gtu.NormalFormGame.from_arrays([[9, 0], [0, 1]], [[0, 1], [1, 0]])
    with pytest.raises(SolverError, match=r"more than 3 steps.*max_steps="):
        logit_qre(game, 100, max_steps=3)
    with pytest.raises(SolverError, match=r"too large.*max_work="):
        logit_qre(game, 1, max_work=10)
    with pytest.raises(SolverError, match="free parameters"):
        logit_qre(gtu.load_model("chain-store").symbolic("normal"), 1)


def test_qre_sweep_table():
    model = gtu.load_model("chain-store")
    df = qre_sweep(model, {"c_I": "0:2:3"}, lam=1.5, form="sequential")
    assert df["c_I"].tolist() == [0.0, 1.0, 2.0] and (df["lambda"] == 1.5).all()
    for c_i, fight in zip(df["c_I"], df["prob:Incumbent:response:fight"]):
        # the incumbent's conditional values: fight -c_I, acquiesce d = 2 (the model's default)
        assert fight == pytest.approx(1 / (1 + math.exp(1.5 * (2 + c_i))), abs=1e-12)


# ---------------------------------------------------------------------------------------------- CLI
def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_solve_logit_qre_json(capsys):
    code, out, _ = run(capsys, "solve", "chain-store", "--form", "sequential", "--method", "logit-qre",
                       "--lambda", "2", "--format", "json")
    doc = json.loads(out)
    assert code == 0 and doc["lambda"] == 2.0 and doc["nash"] is False and doc["method"] == "logit-qre"
    fight = doc["strategies"]["Incumbent"]["response"]["fight"]
    assert fight == pytest.approx(1 / (1 + math.exp(4)), abs=1e-12)
    code, out, _ = run(capsys, "solve", "chain-store", "--method", "logit-qre", "--lambda", "2")
    assert code == 0 and "not a Nash equilibrium" in out


def test_cli_qre_path_csv_and_plot(capsys, tmp_path):
    csv, png = tmp_path / "path.csv", tmp_path / "path.png"
    code, _, err = run(capsys, "qre", "chain-store", "--form", "normal", "--lambda", "0:5", "-o", str(csv),
                       "--plot", str(png))
    assert code == 0 and "gtu qre" in err
    df = pd.read_csv(csv)
    assert df.columns[0] == "lambda" and all(c.startswith("prob:") for c in df.columns[1:])
    assert df["lambda"].iloc[0] == 0 and df["lambda"].iloc[-1] == 5
    np.testing.assert_allclose(df.iloc[0, 1:], 0.5)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_cli_qre_sweep(capsys, tmp_path):
    csv = tmp_path / "sweep.csv"
    code, _, _ = run(capsys, "qre", "chain-store", "--lambda", "5", "-p", "c_I=0:1:3", "-o", str(csv))
    df = pd.read_csv(csv)
    assert code == 0 and df["c_I"].tolist() == [0, 0.5, 1] and (df["lambda"] == 5).all()


@pytest.mark.parametrize("argv", [
    ["solve", "chain-store", "--method", "logit-qre", "--lambda", "-1"],
    ["solve", "chain-store", "--method", "logit-qre", "--lambda", "x"],
    ["solve", "chain-store", "--method", "logit-qre"],
    ["qre", "chain-store", "--lambda", "3:1"],
    ["qre", "chain-store", "--lambda", "0:1:2"],
    ["qre", "chain-store", "--lambda", "0:nan"],
    ["qre", "chain-store", "--lambda", "0:5", "-p", "c_I=0:1:3"],
    ["qre", "chain-store", "--lambda", "1000", "--max-steps", "4"],
    ["qre", "chain-store", "--lambda", "1", "--max-steps", "0"],
])
def test_cli_bad_input_is_one_line_exit_2(capsys, tmp_path, argv):
    if argv[0] == "qre":
        argv = [*argv, "-o", str(tmp_path / "x.csv")]
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == "" and err.startswith("gtu: error:") and err.count("\n") == 1, err
    assert not (tmp_path / "x.csv").exists()


def test_far_along_the_branch_is_pygambits_logit_limit():
    """At lambda 1e5 (log-probabilities near -1e5) the path follower still converges, to the Nash equilibrium
    that pygambit's logit solver reaches at the end of the same branch."""
    a, b = np.array([[4, 0, 2], [1, 3, 1]]), np.array([[1, 2, 0], [3, 0, 2]])
    q = logit_qre(gtu.NormalFormGame.from_arrays(a, b), 1e5)
    limit = gbt.nash.logit_solve(gbt.Game.from_arrays(a, b)).equilibria[0]
    np.testing.assert_allclose(_flat(q), [float(limit[s]) for s in limit.game.strategies], atol=1e-4)
    assert q.regret < 1e-4


def test_cli_hostile_lambda_is_quoted_short(capsys, tmp_path):
    code, _, err = run(capsys, "qre", "chain-store", "--lambda", "\x1b[31m" + "9" * 500 + ":x", "-o",
                       str(tmp_path / "x.csv"))
    assert code == 2 and err.count("\n") == 1 and "\x1b" not in err and len(err) < 300
