"""NormalFormGame.restrict: a game limited to some actions per player, exact, symbolic or float."""

from __future__ import annotations

import pytest
import sympy

import gametheory_ukraine as gtu
from gametheory_ukraine.core.errors import ParameterError

RUSSIA = ["fight on either way", "settle either way"]
UKRAINE = ["cede Donbas, keep NATO path, seek accession if the US backs it", "reject Russia's terms"]


def test_restricted_symbolic_game_has_the_full_games_entries_in_the_order_given():
    full = gtu.load_model("nato").symbolic("normal")
    small = full.restrict([RUSSIA, UKRAINE], title="two plans each")
    assert small.shape == (2, 2) and small.actions == (tuple(RUSSIA), tuple(UKRAINE))
    assert small.title == "two plans each" and small.kind == "symbolic"
    for r, row in enumerate(RUSSIA):
        for c, col in enumerate(UKRAINE):
            cell = (full.actions[0].index(row), full.actions[1].index(col))
            assert small.outcomes[r, c] == full.outcomes[cell]
            for i in range(2):
                assert sympy.simplify(small.payoffs[i][r, c] - full.payoffs[i][cell]) == 0


def test_labels_and_indices_select_the_same_game_and_instantiation_commutes():
    model = gtu.load_model("nato")
    full = model.symbolic("normal")
    by_index = full.restrict([[full.actions[0].index(a) for a in RUSSIA], [full.actions[1].index(a) for a in UKRAINE]])
    assert by_index == full.restrict([RUSSIA, UKRAINE])
    values = model.values(None, {"rho": "1/20"})
    # restrict then instantiate = instantiate then restrict (the exact payoffs of the same cells)
    assert full.restrict([RUSSIA, UKRAINE]).instantiate(values) == full.instantiate(values).restrict([RUSSIA, UKRAINE])


def test_prisoners_dilemma_restricted_to_defection_leaves_the_column_players_best_reply():
    pd = gtu.NormalFormGame.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]], actions=[["C", "D"], ["C", "D"]])
    result = gtu.solve(pd.restrict([["D"], ["C", "D"]]))
    assert len(result) == 1 and [list(s) for s in result[0].strategies] == [[1], [0, 1]]


@pytest.mark.parametrize("actions, words", [
    ([["D"]], "1 action lists for 2 players"),
    ([["D"], ["X"]], "Player 2 has no action 'X'"),
    ([["D"], [2]], "Player 2 has no action 2"),
    ([["D"], [True]], "Player 2 has no action True"),
    ([[], ["C"]], "Player 1 needs at least one action"),
    ([["D", 1], ["C"]], "Player 1 needs at least one action, each listed once"),
])
def test_bad_restrictions_name_the_player_and_the_fix(actions, words):
    pd = gtu.NormalFormGame.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]], actions=[["C", "D"], ["C", "D"]])
    with pytest.raises(ParameterError, match=words) as info:
        pd.restrict(actions)
    assert info.value.fix
