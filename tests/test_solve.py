"""gtu.solve(): dispatch, exactness, certificates, immutability of results."""

from __future__ import annotations

import pickle
from dataclasses import FrozenInstanceError
from fractions import Fraction as F

import numpy as np
import pytest
import sympy

import gametheory_ukraine as gtu
from gametheory_ukraine.core.errors import SolverError

# von Stengel (2007), Algorithmic Game Theory ch. 3: a degenerate 3x2 game with 3 extreme equilibria.
VS_A = [[3, 3], [2, 5], [0, 6]]
VS_B = [[3, 3], [2, 6], [3, 1]]


def _profiles(res):
    return {tuple(tuple(s) for s in eq.strategies) for eq in res}


def test_von_stengel_exact_through_solve():
    res = gtu.solve(gtu.NormalFormGame.from_arrays(VS_A, VS_B))
    assert res.exact and res.complete and res.degenerate and res.method == "vertex-enumeration"
    assert _profiles(res) == {((1, 0, 0), (1, 0)), ((1, 0, 0), (F(2, 3), F(1, 3))),
                              ((0, F(1, 3), F(2, 3)), (F(1, 3), F(2, 3)))}
    assert all(isinstance(p, F) for eq in res for s in eq.strategies for p in s)
    assert all(eq.regret == 0 and isinstance(eq.regret, F) for eq in res)
    mixed = next(eq for eq in res if eq.strategies[0][0] == 0)
    assert [str(p) for p in mixed.strategies[0]] == ["0", "1/3", "2/3"]
    # payoffs by hand: row gets 3*(1/3)+3*(2/3) = 3 in the first, y=(1/3,2/3) against row 2: 2/3 + 10/3 = 4
    assert mixed.payoffs == (F(4), F(8, 3))
    # the first two share a component (the segment between them is a continuum of equilibria)
    comps = [eq.component for eq in res if eq.strategies[0] == (1, 0, 0)]
    assert len(set(comps)) == 1 and res.has_continuum


def test_float_mode_agrees_with_exact():
    exact = gtu.solve(gtu.NormalFormGame.from_arrays(VS_A, VS_B))
    flt = gtu.solve(gtu.NormalFormGame.from_arrays(VS_A, VS_B), exact=False)
    assert not flt.exact and flt.tolerance == 1e-9 and len(flt) == 3
    for e, f in zip(sorted(exact, key=lambda q: [float(x) for s in q.strategies for x in s]),
                    sorted(flt, key=lambda q: [float(x) for s in q.strategies for x in s])):
        assert np.allclose([float(x) for s in e.strategies for x in s], [x for s in f.strategies for x in s])
        assert all(isinstance(x, float) for s in f.strategies for x in s)


def test_float_game_solved_exactly_reads_decimals():
    g = gtu.NormalFormGame.from_arrays([[0.1, 0.0], [0.0, 0.2]], [[0.2, 0.0], [0.0, 0.1]])
    assert g.kind == "float"
    res = gtu.solve(g, exact=True)
    # mixed: column makes row indifferent: 0.1 y = 0.2 (1 - y) -> y = 2/3; row: 0.2 x = 0.1 (1 - x) -> x = 1/3
    mixed = [eq for eq in res if 0 < eq.strategies[0][0] < 1]
    assert mixed[0].strategies == ((F(1, 3), F(2, 3)), (F(2, 3), F(1, 3)))


def test_symbolic_game_refused_with_fix():
    a = sympy.Symbol("a")
    g = gtu.NormalFormGame.from_arrays([[a, 0], [0, 1]], [[1, 0], [0, a]])
    assert g.kind == "symbolic" and g.parameters == ("a",)
    with pytest.raises(SolverError, match="instantiate"):
        gtu.solve(g)
    res = gtu.solve(g.instantiate(a=2))
    assert len(res) == 3


def test_three_player_dispatches_to_support_enumeration():
    # 2x2x2 game in which every player gets 1 when all match and 0 otherwise: the pure equilibria are
    # (0,0,0) and (1,1,1); solve must certify each.
    A = np.zeros((2, 2, 2), dtype=object)
    A[0, 0, 0] = A[1, 1, 1] = 1
    res = gtu.solve(gtu.NormalFormGame.from_arrays(A, A, A))
    assert res.method == "support-enumeration"
    pure = {tuple(tuple(s) for s in eq.strategies) for eq in res if all(max(s) == 1 for s in eq.strategies)}
    assert pure == {((1, 0), (1, 0), (1, 0)), ((0, 1), (0, 1), (0, 1))}
    assert all(eq.regret == 0 for eq in res)


def test_one_player_argmax_with_tie():
    res = gtu.solve(gtu.NormalFormGame.from_arrays([3, 1, 3]))
    assert _profiles(res) == {((1, 0, 0),), ((0, 0, 1),)}


def test_pure_and_lemke_howson_methods():
    g = gtu.NormalFormGame.from_arrays([[1, 0], [0, 2]], [[2, 0], [0, 1]])  # battle of the sexes
    pure = gtu.solve(g, method="pure")
    assert not pure.complete and _profiles(pure) == {((1, 0), (1, 0)), ((0, 1), (0, 1))}
    lh = gtu.solve(g, method="lemke-howson")
    assert not lh.complete and not lh.exact and 1 <= len(lh) <= 3
    assert all(eq.regret <= 1e-9 for eq in lh)


def test_tree_nash_vs_subgame_perfect():
    m = gtu.load_model("chain-store")
    tree = m.game("sequential")
    spe = gtu.solve(tree)
    assert spe.method == "subgame-perfect" and len(spe) == 1 and spe[0].outcome == "entry accommodated"
    nash = gtu.solve(tree, method="nash")
    outcomes = sorted({eq.outcome for eq in nash})
    assert outcomes == ["entry accommodated", "entry deterred"]  # the threat is a Nash equilibrium only


def test_results_are_immutable_and_picklable():
    res = gtu.solve(gtu.NormalFormGame.from_arrays(VS_A, VS_B))
    with pytest.raises(FrozenInstanceError):
        res.method = "x"  # type: ignore[misc]
    with pytest.raises(FrozenInstanceError):
        res[0].regret = 1  # type: ignore[misc]
    again = pickle.loads(pickle.dumps(res))
    assert again == res
    g = gtu.NormalFormGame.from_arrays(VS_A, VS_B)
    with pytest.raises(ValueError):
        g.payoffs[0][0, 0] = 7


def test_from_arrays_validation():
    with pytest.raises(ValueError, match="differ in shape"):
        gtu.NormalFormGame.from_arrays([[1, 2]], [[1], [2]])
    with pytest.raises(ValueError, match="dimensions"):
        gtu.NormalFormGame.from_arrays([1, 2], [1, 2])
    g = gtu.NormalFormGame.from_arrays([[F(1, 2), 1]], [[0, 1]], players=["R", "C"],
                                       actions=[["u"], ["l", "r"]])
    assert g.kind == "exact" and g.players == ("R", "C") and g.shape == (1, 2)


def test_repr_is_short_and_str_reads_with_action_names():
    res = gtu.solve(gtu.NormalFormGame.from_arrays(VS_A, VS_B))
    assert repr(res) == "<EquilibriumSet: 3 equilibria by vertex-enumeration (exact, degenerate)>"
    text = str(res)
    assert text.splitlines()[0] == repr(res) and "1/3" in text and text.count("payoffs: ") == 3
    nato = gtu.load_model("nato").solve("normal", "baseline-2025")
    assert "    Russia: settle only on a neutrality pledge\n    Ukraine: reject Russia's terms" in str(nato)
    chain = gtu.load_model("chain-store").solve("sequential")
    assert repr(chain) == "<EquilibriumSet: 1 equilibrium by subgame-perfect (exact)>"
    assert "    Incumbent: response: acquiesce" in str(chain)
    mixed = gtu.solve(gtu.NormalFormGame.from_arrays([[1, 0], [0, 1]], [[0, 1], [1, 0]]))
    assert "    Player 1: r1 1/2, r2 1/2" in str(mixed)   # a mix: each action with its probability
    assert mixed.actions == (("r1", "r2"), ("c1", "c2"))       # default names that do not read as numbers


def test_one_equilibrium_prints_with_names_and_stays_equal_to_an_unnamed_one():
    """By hand, chain-store's SPE at the defaults (o_E = 1 < d = 2; the incumbent gets 2 > c_I = 0 by
    acquiescing): the entrant enters, the incumbent acquiesces, 2 each. The equilibrium taken from its set prints
    with the players' and actions' names; one made alone numbers them; the names do not change equality."""
    from gametheory_ukraine.solvers.results import Equilibrium

    eq = gtu.load_model("chain-store").solve("sequential")[0]
    assert repr(eq) == "<Equilibrium: entry accommodated; payoffs Entrant 2, Incumbent 2>"
    assert str(eq).splitlines() == ["Entrant: entry: enter", "Incumbent: response: acquiesce",
                                    "payoffs: Entrant 2, Incumbent 2", "outcome: entry accommodated"]
    alone = Equilibrium(strategies=((F(1, 3), F(2, 3)), (F(1), F(0))), payoffs=(F(1, 27), 2), regret=0)
    assert str(alone).splitlines() == ["player 1: action 1 1/3, action 2 2/3", "player 2: action 1",
                                       "payoffs: player 1 1/27 (~0.03704), player 2 2"]
    named = gtu.solve(gtu.NormalFormGame.from_arrays([[1, 0], [0, 1]], [[0, 1], [1, 0]]))[0]
    bare = Equilibrium(named.strategies, named.payoffs, named.regret, named.outcome, named.outcome_distribution,
                       named.component)
    assert bare == named and not bare.players and named.players == ("Player 1", "Player 2")


def test_games_and_models_print_as_tables_and_outlines():
    """A bimatrix prints as its table (a prisoner's dilemma by hand), a 3-player game one profile a line, a game
    too large to print as its repr with the count; a tree as an outline with chance probabilities; a model with
    one line per parameter and scenario."""
    pd_game = gtu.NormalFormGame.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]], actions=[["C", "D"], ["C", "D"]])
    head = "Player 1 \\ Player 2"
    assert str(pd_game).splitlines()[1:] == [f"{head} | C    | D", f"{'C'.ljust(len(head))} | 3, 3 | 0, 5",
                                             f"{'D'.ljust(len(head))} | 5, 0 | 1, 1"]
    three = gtu.NormalFormGame.from_arrays(*(np.arange(8).reshape(2, 2, 2) * k for k in (1, 2, 3)))
    lines = str(three).splitlines()
    assert len(lines) == 9 and lines[-1] == "r2 / c2 / p3_2: 7, 14, 21"
    big = gtu.NormalFormGame.from_arrays(np.zeros((21, 20), dtype=int), np.zeros((21, 20), dtype=int))
    assert str(big) == repr(big) + " (420 cells: too many to print)"
    tree = str(gtu.load_model("micro-deals").game("sequential", "baseline-2025"))
    assert "\n  the front holds (4/5): Russia (" in tree
    text = str(gtu.load_model("territory")).splitlines()
    model = gtu.load_model("territory")
    assert text[0] == f"territory: {model.title}" and "  rho = 0.129 in [0.01, 0.5] (per year)" in text
    assert sum(line.startswith("  ") for line in text) == len(model.parameters) + len(model.scenarios)
    assert "  istanbul-2: p = 0.7, x_D = 0.8" in text


def test_long_fractions_get_a_decimal_and_to_frame_has_the_sweep_columns():
    from gametheory_ukraine.analysis.sweep import sweep
    from gametheory_ukraine.solvers.results import number_text

    assert number_text(F(51059, 495975)) == "51059/495975 (~0.1029)" and number_text(F(5, 2)) == "5/2"
    assert "Russia 612345559/118487630 (~5.168)" in str(gtu.load_model("talks-format").solve("sequential"))
    res = gtu.load_model("territory").solve("sequential", "baseline-2025")
    frame = res.to_frame()
    table = sweep(gtu.load_model("territory"), {"rho": [0.129]}, form="sequential", scenario="baseline-2025")
    shared = [c for c in table.columns if c.startswith(("payoff:", "prob:")) or c in ("outcome", "outcome_key")]
    assert shared and all(c in frame.columns for c in shared)
    numbers = [c for c in shared if c not in ("outcome", "outcome_key")]
    assert frame[["outcome", "outcome_key"]].iloc[0].tolist() == table[["outcome", "outcome_key"]].iloc[0].tolist()
    np.testing.assert_allclose(frame[numbers].iloc[0].to_numpy(float), table[numbers].iloc[0].to_numpy(float),
                               rtol=1e-12)   # the sweep's float engine against the exact solve


def test_float_near_tie_is_certified_relative_to_payoff_scale():
    # payoffs 2 + 1.4e-9 and 2: the float solver treats them as tied (its tolerance is relative to the
    # payoffs' magnitude), so both rows are reported; the certificate accepts the 1.4e-9 regret.
    g = gtu.NormalFormGame.from_arrays([[2 + 1.4e-9], [2.0]], [[0.0], [0.0]])
    res = gtu.solve(g)
    assert len(res) == 2 and max(eq.regret for eq in res) == pytest.approx(1.4e-9, rel=1e-3)
    exact = gtu.solve(g, exact=True)  # exactly, the first row is strictly better
    assert [eq.strategies[0] for eq in exact] == [(1, 0)]
