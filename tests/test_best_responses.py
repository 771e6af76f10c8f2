"""Best responses to pure profiles (solvers.best_response) and their marks in the LaTeX, HTML and text tables.

Independent sources: published games with their best responses written out by hand from the published payoffs
(Osborne 2004, *An Introduction to Game Theory*: the Prisoner's dilemma, figure 15.1, and Bach or Stravinsky,
figure 19.1; Gibbons 1992, *Game Theory for Applied Economists*: figures 1.1.1 and 1.1.4), a three-player
unanimity game worked out by hand, and pygambit's pure-equilibrium enumeration on random games.
"""

from __future__ import annotations

import dataclasses
import re
from fractions import Fraction as F

import numpy as np
import pygambit as gbt
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

import gametheory_ukraine as gtu
from gametheory_ukraine.core.errors import ParameterError
from gametheory_ukraine.games.normal_form import NormalFormGame
from gametheory_ukraine.output.display import game_html, game_latex
from gametheory_ukraine.output.latex import payoff_table_latex
from gametheory_ukraine.output.payoff_text import payoff_table_text
from gametheory_ukraine.solvers.best_response import best_response_marks, best_responses

T, N = True, False

# Osborne (2004), figure 15.1: Quiet / Fink, payoffs (2,2) (0,3) (3,0) (1,1); Fink is the best response to
# everything, for both.
PD = NormalFormGame.from_arrays([[2, 0], [3, 1]], [[2, 3], [0, 1]], actions=[["Quiet", "Fink"], ["Quiet", "Fink"]])
PD_MARKS = ([[N, N], [T, T]], [[N, T], [N, T]])
# Osborne (2004), figure 19.1: Bach or Stravinsky; each best response is to match the other.
BOS = NormalFormGame.from_arrays([[2, 0], [0, 1]], [[1, 0], [0, 2]], actions=[["B", "S"], ["B", "S"]])
BOS_MARKS = ([[T, N], [N, T]], [[T, N], [N, T]])
# Gibbons (1992), figure 1.1.1 (2x3): Up / Down against Left / Middle / Right; (Up, Middle) survives the
# iterated elimination of strictly dominated strategies there, and is the one pure equilibrium.
G111 = NormalFormGame.from_arrays([[1, 1, 0], [0, 0, 2]], [[0, 2, 1], [3, 1, 0]])
G111_MARKS = ([[T, T, N], [N, N, T]],            # row: Up against Left and Middle, Down against Right;
              [[N, T, N], [T, N, N]])            # column: Middle against Up, Left against Down
# Gibbons (1992), figure 1.1.4 (3x3): the unique Nash equilibrium is (B, R).
G114 = NormalFormGame.from_arrays([[0, 4, 5], [4, 0, 5], [3, 3, 6]], [[4, 0, 3], [0, 4, 3], [5, 5, 6]],
                                  actions=[["T", "M", "B"], ["L", "C", "R"]])
G114_MARKS = ([[N, T, N], [T, N, N], [N, N, T]],  # row: M against L, T against C, B against R
              [[T, N, N], [N, T, N], [N, N, T]])  # column: L against T, C against M, R against B


@pytest.mark.parametrize("game, expected, pure", [
    (PD, PD_MARKS, [(1, 1)]), (BOS, BOS_MARKS, [(0, 0), (1, 1)]), (G111, G111_MARKS, [(0, 1)]),
    (G114, G114_MARKS, [(2, 2)]),
])
def test_published_games(game, expected, pure):
    br = best_responses(game)
    assert br.exact and br.tolerance == 0.0 and br.complete and br.method == "best-response"
    for i in range(2):
        assert br.marks[i].tolist() == expected[i]
    assert list(br.pure_equilibria()) == pure


def test_responses_by_player_and_the_others_actions():
    br = best_responses(G114)
    assert br.responses(0, [0]) == (1,) and br.responses(0, [2]) == (2,)       # M against L, B against R
    assert br.responses(1, [1]) == (1,) and br.responses(1, [2]) == (2,)       # C against M, R against B
    assert br.is_best(0, (2, 2)) and not br.is_best(1, (0, 2))
    with pytest.raises(ParameterError, match="2 actions given for the other players; there are 1"):
        br.responses(0, [0, 1])


def test_ties_mark_every_maximiser_exactly():
    # chain store at Selten's numbers: against "stay out" the incumbent gets 5 either way (both marked)
    game = gtu.load_model("chain-store").game("normal")
    br = best_responses(game)
    assert br.marks[1][0].tolist() == [T, T]
    # exact ties only: 1/3 and 1/3 + 1e-30 are different numbers
    near = NormalFormGame.from_arrays([[F(1, 3)], [F(1, 3) + F(1, 10**30)]], [[0], [0]])
    assert best_responses(near).marks[0].tolist() == [[N], [T]]


def test_floats_tie_within_the_recorded_tolerance():
    game = NormalFormGame.from_arrays([[1.0, 0.0], [1.0 + 1e-12, 0.5]], [[0.0, 1.0], [0.0, 1.0]])
    br = best_responses(game)
    assert not br.exact and br.tolerance == pytest.approx(1e-9 * 1.0 + 1e-21)
    assert br.marks[0][:, 0].tolist() == [T, T]       # 1 and 1 + 1e-12 tie
    assert br.marks[0][:, 1].tolist() == [N, T]
    assert best_responses(game, tol=0.0).marks[0][:, 0].tolist() == [N, T]


def test_three_players_unanimity():
    """Each of three players gets 1 if all three choose the same action, else 0. By hand: if the other two
    agree, the only best response is to join them; if they disagree, both actions give 0 and both are best."""
    payoff = np.zeros((2, 2, 2), dtype=int)
    payoff[0, 0, 0] = payoff[1, 1, 1] = 1
    br = best_responses(NormalFormGame.from_arrays(payoff, payoff, payoff))
    for i in range(3):
        for a, b in [(0, 0), (1, 1), (0, 1), (1, 0)]:
            expected = (a,) if a == b else (0, 1)
            assert br.responses(i, [a, b]) == expected
    # in a split profile two players agree and the third does not: its only best response is to join them
    assert br.pure_equilibria() == ((0, 0, 0), (1, 1, 1))


@settings(max_examples=40, deadline=None)
@given(st.integers(2, 3), st.integers(2, 3), st.data())
def test_all_marked_profiles_are_pygambits_pure_equilibria(m, n, data):
    cells = st.lists(st.integers(-3, 3), min_size=m * n, max_size=m * n)
    A = np.array(data.draw(cells)).reshape(m, n)
    B = np.array(data.draw(cells)).reshape(m, n)
    g = gbt.Game.from_arrays(A.astype(int).tolist(), B.astype(int).tolist())
    found = gbt.nash.enumpure_solve(g).equilibria
    expected = {tuple(int(np.argmax([float(eq[s]) for s in player.strategies])) for player in g.players)
                for eq in found}
    assert set(best_responses(NormalFormGame.from_arrays(A.tolist(), B.tolist())).pure_equilibria()) == expected


def test_result_is_immutable_and_symbolic_games_are_refused():
    br = best_responses(PD)
    with pytest.raises(dataclasses.FrozenInstanceError):
        br.exact = False
    with pytest.raises(ValueError):
        br.marks[0][0, 0] = True
    with pytest.raises(ParameterError, match="symbolic"):
        best_responses(gtu.load_model("chain-store").symbolic("normal"))
    with pytest.raises(ParameterError, match="symbolic"):
        best_response_marks([[sympy.Symbol("x"), 1]])
    with pytest.raises(ParameterError, match="one array per player"):
        best_response_marks([[[1, 2]], [[1]]])


# ------------------------------------------------------------------------------------------ the tables
def test_latex_table_underlines_exactly_the_best_responses():
    text = payoff_table_latex(PD, best_responses=True)
    assert r"Quiet & $2, 2$ & $0, \underline{3}$ \\" in text
    assert r"Fink & $\underline{3}, 0$ & $\underline{1}, \underline{1}$ \\" in text
    assert "Underlined" in text and "best response" in text
    assert r"\underline" not in payoff_table_latex(PD)                          # off by default
    array = game_latex(G114, best_responses=True)
    assert r"\text{B} & 3, 5 & 3, 5 & \underline{6}, \underline{6} \\" in array          # 6 > 5 for the column
    assert r"\text{T} & 0, \underline{4} & \underline{4}, 0 & 5, 3 \\" in array
    assert r"\underline" not in game_latex(G114)


def test_html_and_text_mark_the_best_responses():
    html = game_html(BOS, best_responses=True)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", html)
    assert cells == ["<u>2</u>, <u>1</u>", "0, 0", "0, 0", "<u>1</u>, <u>2</u>"]
    assert "<u>" not in game_html(BOS)
    text = payoff_table_text(G111, best_responses=True).splitlines()
    assert text[3].split() == ["r1", "1*,", "0", "1*,", "2*", "0,", "1"]
    assert text[4].split() == ["r2", "0,", "3*", "0,", "1", "2*,", "0"]
    assert text[-1].startswith("* marks a best response")
    assert "*" not in payoff_table_text(G111)


def test_symbolic_tables_are_not_marked_until_a_scenario_makes_them_numeric():
    model = gtu.load_model("chain-store")
    assert r"\underline" not in payoff_table_latex(model.symbolic("normal"), best_responses=True)
    assert "*" not in payoff_table_text(model.symbolic("normal"), best_responses=True)
    numeric = payoff_table_latex(model.game("normal", "costly-war"), best_responses=True)
    # costly war: enter/fight pays (-1, -1); against enter the incumbent acquiesces (2 > -1)
    assert r"enter & $-1, -1$ & $\underline{2}, \underline{2}$ \\" in numeric


def test_cli_writes_marked_tables(tmp_path, capsys):
    from gametheory_ukraine.cli.app import main

    out = tmp_path / "cs.txt"
    assert main(["export", "chain-store", "--to", "txt", "--best-responses", "-o", str(out)]) == 0
    lines = out.read_text().splitlines()
    assert lines[4].split() == ["stay", "out", "1*,", "5*", "1,", "5*"]
    assert lines[5].split() == ["enter", "0,", "0", "2*,", "2*"]
    tex = tmp_path / "cs.tex"
    assert main(["export", "chain-store", "--to", "latex", "--best-responses", "-o", str(tex)]) == 0
    assert r"enter & $0, 0$ & $\underline{2}, \underline{2}$ \\" in tex.read_text()
    assert main(["export", "chain-store", "--form", "sequential", "--to", "png", "--best-responses", "-o",
                 str(tmp_path / "t.png")]) == 2
    assert "--best-responses" in capsys.readouterr().err
