"""Best-response diagrams of 2x2 games: where the two correspondences meet are the Nash equilibria.

Independent sources: the equilibria of each game are derived in the test, by hand or with sympy (the
indifference conditions of the mixed equilibrium, the pure profiles checked one by one), never by our solvers;
matching pennies and Bach or Stravinsky have their published equilibria (Osborne 2004, *An Introduction to Game
Theory*, sections 4.3 and 4.1).
"""

from __future__ import annotations

import itertools
from fractions import Fraction as F

import matplotlib

matplotlib.use("Agg")

import pytest
import sympy
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import gametheory_ukraine as gtu
from gametheory_ukraine.cli.app import main
from gametheory_ukraine.core.errors import ParameterError
from gametheory_ukraine.games.normal_form import NormalFormGame
from gametheory_ukraine.output.best_response_diagram import (
    MAX_PANELS,
    best_response_diagram,
    best_response_diagrams,
)
from gametheory_ukraine.solvers.best_response import correspondences_2x2


def closed_form_equilibria(A, B) -> set[tuple]:
    """Nash equilibria (p, q) of a nondegenerate 2x2 game, by hand: pure profiles where both play a best reply,
    and the mixed profile that makes each player indifferent (sympy), when it is inside the square."""
    found = set()
    for r, c in itertools.product(range(2), repeat=2):
        if A[r][c] >= A[1 - r][c] and B[r][c] >= B[r][1 - c]:
            found.add((F(1 - r), F(1 - c)))
    p, q = sympy.symbols("p q")
    row_indifferent = sympy.Eq(q * A[0][0] + (1 - q) * A[0][1], q * A[1][0] + (1 - q) * A[1][1])
    column_indifferent = sympy.Eq(p * B[0][0] + (1 - p) * B[1][0], p * B[0][1] + (1 - p) * B[1][1])
    for sol in sympy.solve([row_indifferent, column_indifferent], [p, q], dict=True):
        ps, qs = F(str(sol[p])), F(str(sol[q]))
        if 0 < ps < 1 and 0 < qs < 1:
            found.add((ps, qs))
    return found


def diagram_points(fig, panel: int = 0) -> set[tuple[float, float]]:
    ax = fig.axes[panel]
    return {(float(line.get_xdata()[0]), float(line.get_ydata()[0])) for line in ax.lines
            if line.get_gid().startswith("equilibrium:")}


def test_battle_of_the_sexes_three_equilibria():
    """Osborne (2004), section 4.3: (B, B), (S, S) and the mixed equilibrium (2/3, 1/3)."""
    bos = NormalFormGame.from_arrays([[2, 0], [0, 1]], [[1, 0], [0, 2]])
    corr = correspondences_2x2(bos)
    assert {(b.p_low, b.q_low) for b in corr.equilibria} == {(F(1), F(1)), (F(0), F(0)), (F(2, 3), F(1, 3))}
    assert all(b.kind == "point" for b in corr.equilibria)
    assert corr.row_switch == F(1, 3) and corr.column_switch == F(2, 3)       # where each player is indifferent
    points = diagram_points(best_response_diagram(bos))
    assert points == {(0.0, 0.0), (float(F(2, 3)), float(F(1, 3))), (1.0, 1.0)}


def test_matching_pennies_one_mixed_equilibrium():
    mp = NormalFormGame.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    assert diagram_points(best_response_diagram(mp)) == {(0.5, 0.5)}


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(-4, 4), min_size=8, max_size=8))
def test_intersections_are_the_closed_form_equilibria(values):
    A = [values[0:2], values[2:4]]
    B = [values[4:6], values[6:8]]
    # nondegenerate: no player is ever indifferent between its two pure replies to a pure action
    assume(all(A[0][c] != A[1][c] for c in range(2)) and all(B[r][0] != B[r][1] for r in range(2)))
    game = NormalFormGame.from_arrays(A, B)
    corr = correspondences_2x2(game)
    assert all(b.kind == "point" for b in corr.equilibria)
    expected = closed_form_equilibria(A, B)
    assert {(b.p_low, b.q_low) for b in corr.equilibria} == expected
    fig = best_response_diagram(game, label_points=False)
    assert diagram_points(fig) == {(float(p), float(q)) for p, q in expected}


def test_a_continuum_is_one_segment_chain_store():
    """Chain store (Selten 1978): (enter, acquiesce) = (p, q) = (0, 0), and staying out against any threat to
    fight with probability q >= (d - o_E) / (d + c_E), where entering is no better than the outside option."""
    model = gtu.load_model("chain-store")
    for d, o_e, c_e in [(2, 1, 0), (5, 1, 0), (3, 1, 2)]:
        corr = correspondences_2x2(model.game("normal", d=d, o_E=o_e, c_E=c_e))
        q_star = F(d - o_e, d + c_e)
        boxes = {(b.p_low, b.p_high, b.q_low, b.q_high) for b in corr.equilibria}
        assert boxes == {(0, 0, 0, 0), (1, 1, q_star, 1)}


def test_float_games_agree_with_exact_ones():
    exact = correspondences_2x2(NormalFormGame.from_arrays([[2, 0], [0, 1]], [[1, 0], [0, 2]]))
    floats = correspondences_2x2(NormalFormGame.from_arrays([[2.0, 0.0], [0.0, 1.0]], [[1.0, 0.0], [0.0, 2.0]]))
    assert not floats.exact and floats.tolerance > 0
    assert [float(v) for b in exact.equilibria for v in (b.p_low, b.q_low)] == pytest.approx(
        [v for b in floats.equilibria for v in (b.p_low, b.q_low)], abs=1e-12)


def test_a_player_indifferent_everywhere_fills_the_square():
    game = NormalFormGame.from_arrays([[1, 1], [1, 1]], [[2, 0], [0, 1]])
    corr = correspondences_2x2(game)
    assert [b.kind for b in corr.row] == ["region"]
    # every column best reply is then an equilibrium: the column's own graph is the set
    assert set(corr.equilibria) == set(corr.column)
    fig = best_response_diagram(game)
    assert any(p.get_gid() == "br-row-region" for p in fig.axes[0].patches)


def test_small_multiples_over_a_parameter():
    model = gtu.load_model("chain-store")
    values = ["0", "2", "5"]
    fig = best_response_diagrams(model, "c_E", values)
    titles = [ax.get_title() for ax in fig.axes if ax.get_visible()]
    assert titles == [f"c_E = {v}" for v in values]
    for k, c_e in enumerate([0, 2, 5]):
        # stay out (p = 1) is an equilibrium at q = 1 and at q* = (d - o_E) / (d + c_E) = 1 / (2 + c_E)
        assert diagram_points(fig, k) == {(0.0, 0.0), (1.0, float(F(1, 2 + c_e)))}


def test_refusals():
    model = gtu.load_model("chain-store")
    with pytest.raises(ParameterError, match="no parameter"):
        best_response_diagrams(model, "rho", ["0"])
    with pytest.raises(ParameterError, match="panels"):
        best_response_diagrams(model, "d", [str(k) for k in range(MAX_PANELS + 1)])
    with pytest.raises(ParameterError, match="2x2"):
        correspondences_2x2(gtu.load_model("nato").game("normal"))
    with pytest.raises(ParameterError, match="symbolic"):
        correspondences_2x2(model.symbolic("normal"))
    with pytest.raises(ParameterError, match="no 2x2 normal form"):
        best_response_diagrams(gtu.load_model("nato"), "rho", ["0.05"])


def test_cli(tmp_path, capsys):
    out = tmp_path / "d.png"
    assert main(["export", "chain-store", "--to", "br-diagram", "--over", "d", "--values", "1,2,5", "-o",
                 str(out)]) == 0
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    one = tmp_path / "one.svg"
    assert main(["export", "chain-store", "--to", "br-diagram", "-o", str(one)]) == 0
    assert "<svg" in one.read_text()
    assert main(["export", "chain-store", "--to", "br-diagram", "--over", "d", "-o", str(out)]) == 2
    assert "--values" in capsys.readouterr().err
    assert main(["export", "territory", "--to", "br-diagram", "-o", str(out)]) == 2
    assert "2x2" in capsys.readouterr().err
