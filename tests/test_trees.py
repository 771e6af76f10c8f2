"""Game trees: reduced normal form, subgame-perfect equilibria, regret.

Hand computations are in the comments; pygambit 16.7 is the independent
cross-check for reduced strategic forms, subgame roots, Nash equilibria of the
reduced form and Nash regret of behaviour profiles.
"""

from __future__ import annotations

import random
from fractions import Fraction as F

import numpy as np
import pygambit as gbt
import pytest
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gametheory_ukraine.core.errors import SolverError
from gametheory_ukraine.core.frozen import FrozenDict
from gametheory_ukraine.games.reduce import (
    has_perfect_recall,
    pure_strategies,
    reduced_strategies,
    to_normal_form,
)
from gametheory_ukraine.games.tree import Chance, Decision, GameTree, Terminal
from gametheory_ukraine.solvers import n_player, two_player
from gametheory_ukraine.solvers.subgame_perfect import (
    SPESolution,
    expected_payoffs,
    outcome_distribution,
    reach_probabilities,
    regret,
    subgame_perfect,
    subgame_roots,
)

T = Terminal


# ------------------------------------------------------------------------------------- trees
def chain_store() -> GameTree:
    """One round of Selten's chain store (R. Selten, "The chain store paradox",
    Theory and Decision 9, 1978, 127-159): the entrant staying out gets 1 and the
    chain store 5; after entry, cooperating ("acquiesce") gives both 2, fighting
    ("aggressive") both 0."""
    return GameTree(("entrant", "incumbent"), Decision("E", 0, ("in", "out"), (
        Decision("I", 1, ("acquiesce", "fight"), (
            T("ia", (2, 2), "shared market"), T("if", (0, 0), "price war"))),
        T("o", (1, 5), "monopoly"))))


def tie_tree() -> GameTree:
    """P2 is indifferent after L (payoff 1 either way), but P1 gets 3 or 0."""
    return GameTree(("P1", "P2"), Decision("r", 0, ("L", "R"), (
        Decision("m", 1, ("a", "b"), (T("la", (3, 1)), T("lb", (0, 1)))),
        T("rr", (1, 0)))))


def chance_tree() -> GameTree:
    """P1 plays safe or gambles; nature then booms (1/3), muddles (1/2) or busts (1/6);
    after a boom P2 shares or grabs the windfall."""
    return GameTree(("P1", "P2"), Decision("a", 0, ("safe", "gamble"), (
        T("s", (2, 0), "status quo"),
        Chance("c", ("boom", "mid", "bust"), (F(1, 3), F(1, 2), F(1, 6)), (
            Decision("d", 1, ("share", "grab"), (
                T("bs", (6, 3), "windfall shared"), T("bg", (0, 4), "windfall grabbed"))),
            T("m", (3, 3), "muddling through"),
            T("b", (-3, 1), "collapse"))))))


def entry_bos() -> GameTree:
    """The entrant (E) stays out (2, 5) or enters a simultaneous battle of the sexes with I:
    both X (3, 1), both Y (1, 3), mismatch (0, 0). I does not observe E's choice X/Y."""
    bos = Decision("B1", 0, ("X", "Y"), (
        Decision("b2x", 1, ("X", "Y"), (T("xx", (3, 1), "both X"), T("xy", (0, 0), "mismatch")),
                 infoset="B2"),
        Decision("b2y", 1, ("X", "Y"), (T("yx", (0, 0), "mismatch"), T("yy", (1, 3), "both Y")),
                 infoset="B2")))
    return GameTree(("E", "I"), Decision("root", 0, ("in", "out"), (bos, T("out", (2, 5), "stay out"))))


def centipede() -> GameTree:
    """Four-move centipede, two moves each: take at n1 (1, 0), n2 (0, 2), n3 (3, 1), n4 (2, 4); end (4, 3)."""
    end = T("end", (4, 3), "cooperation to the end")
    n4 = Decision("n4", 1, ("take", "pass"), (T("t4", (2, 4), "P2 takes late"), end))
    n3 = Decision("n3", 0, ("take", "pass"), (T("t3", (3, 1), "P1 takes late"), n4))
    n2 = Decision("n2", 1, ("take", "pass"), (T("t2", (0, 2), "P2 takes early"), n3))
    n1 = Decision("n1", 0, ("take", "pass"), (T("t1", (1, 0), "P1 takes at once"), n2))
    return GameTree(("P1", "P2"), n1)


def omitted_tree() -> GameTree:
    """One imperfect-information region (the root is the only subgame root).

    P1 picks a or b; P2 (infoset M) does not see it and picks l or r. After (a, l) P1
    moves again at c (x or y); P2's second information set D = {d1, d2, d3} spans the
    nodes after (a, l, x), (a, l, y) and (b, l) -- with perfect recall for both.
    P1 gets 10 after b and 0 after a, so b is strictly dominant and c is excluded by
    P1's own move; after b, P2 gets 2 for (l, u), 1 for (l, v), 0 for r.
    """
    d1 = Decision("d1", 1, ("u", "v"), (T("a_l_x_u", (0, 1)), T("a_l_x_v", (0, 0))), infoset="D")
    d2 = Decision("d2", 1, ("u", "v"), (T("a_l_y_u", (0, 0)), T("a_l_y_v", (0, 1))), infoset="D")
    c = Decision("c", 0, ("x", "y"), (d1, d2))
    m1 = Decision("m1", 1, ("l", "r"), (c, T("a_r", (0, 3))), infoset="M")
    d3 = Decision("d3", 1, ("u", "v"), (T("b_l_u", (10, 2)), T("b_l_v", (10, 1))), infoset="D")
    m2 = Decision("m2", 1, ("l", "r"), (d3, T("b_r", (10, 0))), infoset="M")
    return GameTree(("P1", "P2"), Decision("root", 0, ("a", "b"), (m1, m2)))


def jordan_after_choice() -> GameTree:
    """P2 quits (0, 1, 0) or starts Jordan's three-player matching pennies (J. S. Jordan,
    "Three problems in learning mixed-strategy Nash equilibria", Games and Economic
    Behavior 5, 1993): P1 wants to match P2, P2 to match P3, P3 to mismatch P1 (1 if
    the wish is met, else 0), moves simultaneous. Its unique equilibrium is (1/2, 1/2, 1/2)
    with payoffs (1/2, 1/2, 1/2), so P2 quits."""
    def z(a1: int, a2: int, a3: int) -> Terminal:
        return T(f"z{a1}{a2}{a3}", (int(a1 == a2), int(a2 == a3), int(a3 != a1)))

    def p3(a1: int, a2: int) -> Decision:
        return Decision(f"p3_{a1}{a2}", 2, ("H", "T"), (z(a1, a2, 0), z(a1, a2, 1)), infoset="J3")

    def p2(a1: int) -> Decision:
        return Decision(f"p2_{a1}", 1, ("H", "T"), (p3(a1, 0), p3(a1, 1)), infoset="J2")

    game = Decision("J1", 0, ("H", "T"), (p2(0), p2(1)))
    return GameTree(("P1", "P2", "P3"), Decision("start", 1, ("play", "quit"), (game, T("q", (0, 1, 0)))))


def blind_investment() -> GameTree:
    """Nature picks good (1/4) or bad (3/4); P1 invests or holds without seeing it.
    Invest: 4 if good, 0 if bad (expected 1); hold: 1. P2 never moves."""
    def pair(state: str, payoff: int) -> Decision:
        return Decision(f"i_{state}", 0, ("invest", "hold"), (
            T(f"{state}_inv", (payoff, 0)), T(f"{state}_hold", (1, 0))), infoset="I")

    return GameTree(("P1", "P2"), Chance("nature", ("good", "bad"), (F(1, 4), F(3, 4)),
                                         (pair("good", 4), pair("bad", 0))))


# ------------------------------------------------------------------------------- pygambit
def to_gambit(tree: GameTree) -> gbt.Game:
    """The same tree in pygambit: node and information-set labels are our names."""
    g = gbt.Game.new_tree(players=list(tree.players))
    made: dict[str, object] = {}

    def rational(x) -> gbt.Rational:
        x = F(x)
        return gbt.Rational(x.numerator, x.denominator)

    def build(node, gnode) -> None:
        gnode.label = node.name
        if isinstance(node, Terminal):
            g.set_outcome(gnode, g.add_outcome(node.name, [rational(v) for v in node.payoffs]))
            return
        if isinstance(node, Chance):
            g.append_move(gnode, g.players.chance, list(node.actions))
            g.set_chance_probs(gnode.infoset, [rational(p) for p in node.probabilities])
        elif node.infoset in made:
            g.append_infoset(gnode, made[node.infoset])
        else:
            g.append_move(gnode, tree.players[node.player], list(node.actions))
            made[node.infoset] = gnode.infoset
            gnode.infoset.label = node.infoset
        for child, gchild in zip(node.children, list(gnode.children)):
            build(child, gchild)

    build(tree.root, g.root)
    return g


def fractions(array) -> np.ndarray:
    return np.vectorize(lambda v: F(str(v)), otypes=[object])(np.asarray(array, dtype=object))


def assert_same_reduced_form(tree: GameTree) -> gbt.Game:
    """Our reduced normal form equals pygambit's strategic form of the same tree (same order)."""
    g = to_gambit(tree)
    ours = to_normal_form(tree)
    theirs = [fractions(a) for a in g.to_arrays()]
    assert ours.shape == theirs[0].shape
    for mine, other in zip(ours.payoffs, theirs):
        assert np.array_equal(mine, other)
    return g


def gambit_profile(g: gbt.Game, eq) -> tuple:
    """A pygambit mixed strategy profile as a tuple of per-player Fraction tuples."""
    return tuple(tuple(F(str(eq[s])) for s in player.strategies) for player in g.players)


def pure(k: int, n: int) -> tuple:
    return tuple(F(1) if j == k else F(0) for j in range(n))


def profile(**kw) -> FrozenDict:
    return FrozenDict(kw)


# ------------------------------------------------------------------------------ chain store
def test_chain_store_has_one_spe_entry_and_acquiescence():
    sol = subgame_perfect(chain_store(), exact=True)
    assert isinstance(sol, SPESolution)
    assert sol.equilibria == (profile(E=(1, 0), I=(1, 0)),)
    assert all(isinstance(p, F) for p in sol.equilibria[0]["E"] + sol.equilibria[0]["I"])
    assert sol.payoffs == ((2, 2),)
    assert sol.complete and sol.notes == ()
    assert regret(chain_store(), sol.equilibria[0]) == 0
    assert outcome_distribution(chain_store(), sol.equilibria[0]) == {"shared market": 1}


def test_chain_store_reduced_form_has_a_nash_equilibrium_that_is_not_subgame_perfect():
    tree = chain_store()
    game = to_normal_form(tree)
    assert game.actions == (("in", "out"), ("acquiesce", "fight"))
    assert game.payoffs[0].tolist() == [[2, 0], [1, 1]]
    assert game.payoffs[1].tolist() == [[2, 0], [5, 5]]
    assert game.outcomes.tolist() == [["shared market", "price war"], ["monopoly", "monopoly"]]
    # (in, acquiesce) and (out, fight): the incumbent is indifferent once the entrant stays out
    assert n_player.pure_equilibria(game.payoffs) == ((0, 0), (1, 1))
    threat = profile(E=(0, 1), I=(0, 1))
    assert regret(tree, threat, subgames=("E",)) == 0  # Nash: no profitable deviation at the root
    assert regret(tree, threat, subgames=("I",)) == 2  # after entry, acquiescing gives 2 instead of 0
    assert regret(tree, threat) == 2
    assert subgame_roots(tree) == ("E", "I")
    g = assert_same_reduced_form(tree)
    nash = [gambit_profile(g, eq) for eq in gbt.nash.enumpure_solve(g).equilibria]
    assert nash == [((1, 0), (1, 0)), ((0, 1), (0, 1))]


def test_chain_store_in_float_mode():
    sol = subgame_perfect(chain_store(), exact=False)
    assert sol.equilibria == (profile(E=(1.0, 0.0), I=(1.0, 0.0)),)
    assert all(isinstance(p, float) for p in sol.equilibria[0]["E"])
    assert sol.payoffs == ((2.0, 2.0),) and isinstance(sol.payoffs[0][0], float)
    assert regret(chain_store(), sol.equilibria[0]) == 0.0


# -------------------------------------------------------------------------------------- ties
def test_a_tie_of_the_second_mover_gives_two_spe_with_different_first_moves():
    tree = tie_tree()
    sol = subgame_perfect(tree, exact=True)
    # P2 plays a -> P1 compares L (3) with R (1): L.  P2 plays b -> L gives 0 < 1: R.
    assert sol.equilibria == (profile(r=(1, 0), m=(1, 0)), profile(r=(0, 1), m=(0, 1)))
    assert sol.payoffs == ((3, 1), (1, 0))
    assert [eq["r"] for eq in sol.equilibria] == [(1, 0), (0, 1)]
    assert len(sol.notes) == 1 and "'m'" in sol.notes[0] and "indifferent" in sol.notes[0]
    assert all(regret(tree, eq) == 0 for eq in sol.equilibria)
    # P1 going L while P2 plays b is not even Nash: R gains 1 - 0
    assert regret(tree, profile(r=(1, 0), m=(0, 1)), subgames=("r",)) == 1


def test_ties_multiply_across_independent_subgames_and_max_equilibria_is_enforced():
    # nature picks one of three copies of the tie tree: 2 * 2 * 2 = 8 SPE
    def copy(k: int) -> Decision:
        return Decision(f"r{k}", 0, ("L", "R"), (
            Decision(f"m{k}", 1, ("a", "b"), (T(f"la{k}", (3, 1)), T(f"lb{k}", (0, 1)))),
            T(f"rr{k}", (1, 0))))

    nature = Chance("n", ("1", "2", "3"), (F(1, 3),) * 3, tuple(copy(k) for k in range(3)))
    tree = GameTree(("P1", "P2"), nature)
    sol = subgame_perfect(tree, exact=True)
    assert len(sol.equilibria) == 8 and len(set(sol.equilibria)) == 8
    # expected P1 payoff: (number of copies where P2 plays a) * 3/3 + (others) * 1/3
    expected = sorted(F(3 * k + (3 - k), 3) for k in (0, 1, 1, 1, 2, 2, 2, 3))
    assert sorted(p[0] for p in sol.payoffs) == expected
    assert all(regret(tree, eq) == 0 for eq in sol.equilibria)
    with pytest.raises(ValueError, match=r"\b8\b.*max_equilibria=7"):
        subgame_perfect(tree, exact=True, max_equilibria=7)


# ------------------------------------------------------------------------------------ chance
def test_chance_node_expected_payoffs_are_exact():
    tree = chance_tree()
    sol = subgame_perfect(tree, exact=True)
    # after a boom P2 grabs (4 > 3). Gamble: P1 1/3*0 + 1/2*3 + 1/6*(-3) = 1,
    # P2 1/3*4 + 1/2*3 + 1/6*1 = 3. Safe gives P1 2 > 1: P1 plays safe.
    assert sol.equilibria == (profile(a=(1, 0), d=(0, 1)),)
    assert sol.payoffs == ((2, 0),)
    spe = sol.equilibria[0]
    assert expected_payoffs(tree, spe, "c") == (F(1), F(3))
    assert expected_payoffs(tree, spe, tree.root.children[1]) == (F(1), F(3))
    # sharing instead: P1 1/3*6 + 1/2*3 - 1/2 = 3, P2 1/3*3 + 3/2 + 1/6 = 8/3
    share = profile(a=(0, 1), d=(1, 0))
    payoffs = expected_payoffs(tree, share)
    assert payoffs == (F(3), F(8, 3)) and all(isinstance(v, F) for v in payoffs)
    # a half-half mix at a: P1 (2 + 3)/2, P2 (0 + 8/3)/2
    assert expected_payoffs(tree, profile(a=(F(1, 2), F(1, 2)), d=(1, 0))) == (F(5, 2), F(4, 3))
    assert reach_probabilities(tree, share) == {"s": 0, "bs": F(1, 3), "bg": 0, "m": F(1, 2), "b": F(1, 6)}
    assert outcome_distribution(tree, share) == {"windfall shared": F(1, 3), "muddling through": F(1, 2),
                                                 "collapse": F(1, 6)}
    assert regret(tree, share, subgames=("d",)) == 1  # grabbing gives P2 4 instead of 3


def test_chance_tree_normal_form_has_exact_lotteries():
    tree = chance_tree()
    game = to_normal_form(tree)
    assert game.actions == (("safe", "gamble"), ("share", "grab"))
    assert game.payoffs[0].tolist() == [[2, 2], [3, 1]]
    assert game.payoffs[1].tolist() == [[0, 0], [F(8, 3), 3]]
    assert game.outcomes[1, 1] == "lottery: windfall grabbed (1/3), muddling through (1/2), collapse (1/6)"
    assert game.outcomes[0, 1] == "status quo"
    assert_same_reduced_form(tree)
    floats = to_normal_form(tree.instantiate(exact=False))
    assert floats.kind == "float" and floats.payoffs[1][1, 0] == pytest.approx(8 / 3)
    assert floats.outcomes[1, 1] == ("lottery: windfall grabbed (0.333333), muddling through (0.5), "
                                     "collapse (0.166667)")


def test_symbolic_tree_gives_symbolic_normal_form():
    p = sympy.Symbol("p")
    tree = GameTree(("P1", "P2"), Decision("a", 0, ("safe", "gamble"), (
        T("s", (sympy.Integer(1), sympy.Integer(0)), "status quo"),
        Chance("c", ("win", "lose"), (p, 1 - p), (T("w", (sympy.Integer(4), sympy.Integer(-1)), "win"),
                                                  T("l", (sympy.Integer(-2), sympy.Integer(2)), "loss"))))))
    game = to_normal_form(tree)
    assert game.kind == "symbolic" and game.parameters == ("p",)
    assert sympy.expand(game.payoffs[0][1, 0] - (6 * p - 2)) == 0
    assert sympy.expand(game.payoffs[1][1, 0] - (2 - 3 * p)) == 0
    assert game.outcomes[1, 0] == "lottery: win (p), loss (1 - p)"
    numeric = to_normal_form(tree.instantiate(p=F(1, 4)))
    assert all(np.array_equal(a, b) for a, b in zip(game.instantiate(p=F(1, 4)).payoffs, numeric.payoffs))
    assert numeric.outcomes[1, 0] == "lottery: win (1/4), loss (3/4)"
    assert numeric.payoffs[0][1, 0] == F(-1, 2)
    with pytest.raises(SolverError, match="free parameters p"):
        subgame_perfect(tree, exact=True)
    # p = 3/4: gambling gives P1 6 * 3/4 - 2 = 5/2 > 1
    sol = subgame_perfect(tree.instantiate(p=F(3, 4)), exact=True)
    assert sol.equilibria == (profile(a=(0, 1)),) and sol.payoffs == ((F(5, 2), F(-1, 4)),)


# ------------------------------------------------------------------------ imperfect information
def test_entry_then_battle_of_the_sexes_gives_three_spe():
    tree = entry_bos()
    assert subgame_roots(tree) == ("root", "B1")
    sol = subgame_perfect(tree, exact=True)
    # BoS equilibria: (X, X) -> (3, 1); (Y, Y) -> (1, 3); mixed: I plays X w.p. 1/4 (E indifferent:
    # 3q = 1 - q), E plays X w.p. 3/4 (I indifferent: p = 3(1 - p)), payoffs (3/4, 3/4).
    # E enters only when the subgame gives her more than 2: only after (X, X).
    assert sol.equilibria == (
        profile(root=(1, 0), B1=(1, 0), B2=(1, 0)),
        profile(root=(0, 1), B1=(F(3, 4), F(1, 4)), B2=(F(1, 4), F(3, 4))),
        profile(root=(0, 1), B1=(0, 1), B2=(0, 1)),
    )
    assert sol.payoffs == ((3, 1), (2, 5), (2, 5))
    assert sol.complete
    assert all(regret(tree, eq) == 0 for eq in sol.equilibria)
    assert expected_payoffs(tree, sol.equilibria[1], "B1") == (F(3, 4), F(3, 4))
    assert outcome_distribution(tree, sol.equilibria[1]) == {"stay out": 1}
    # the mixed subgame profile, conditional on entry: both X 3/16, both Y 3/16, mismatch 10/16
    entered = profile(root=(1, 0), B1=(F(3, 4), F(1, 4)), B2=(F(1, 4), F(3, 4)))
    assert outcome_distribution(tree, entered) == {"both X": F(3, 16), "mismatch": F(5, 8),
                                                   "both Y": F(3, 16)}
    assert regret(tree, entered) == F(5, 4)  # staying out gives 2 instead of 3/4


def test_entry_bos_float_mode_matches_exact():
    tree = entry_bos()
    exact = subgame_perfect(tree, exact=True)
    approx = subgame_perfect(tree, exact=False, tol=1e-9)
    assert len(approx.equilibria) == 3
    for e, a in zip(exact.equilibria, approx.equilibria):
        assert list(e) == list(a)
        for h in e:
            assert all(isinstance(x, float) for x in a[h])
            assert np.allclose([float(x) for x in e[h]], a[h], atol=1e-12)
        assert regret(tree, a) <= 1e-9


def test_entry_bos_reduced_form_against_pygambit():
    tree = entry_bos()
    game = to_normal_form(tree)
    assert game.actions == (("root:in, B1:X", "root:in, B1:Y", "root:out"), ("X", "Y"))
    assert game.outcomes.tolist() == [["both X", "mismatch"], ["mismatch", "both Y"],
                                      ["stay out", "stay out"]]
    g = assert_same_reduced_form(tree)
    assert [n.label for n in g.nodes if n.is_subgame_root] == list(subgame_roots(tree))
    ours = two_player.extreme_equilibria(*game.payoffs, exact=True).equilibria
    theirs = {gambit_profile(g, eq) for eq in gbt.nash.enummixed_solve(g, rational=True).equilibria}
    # (in X, X), (out, Y) and (out, I plays X w.p. 2/3: E's in-X gives 3 * 2/3 = 2 = out)
    assert set(ours) == theirs == {((1, 0, 0), (1, 0)), ((0, 0, 1), (0, 1)), ((0, 0, 1), (F(2, 3), F(1, 3)))}


def test_own_move_excludes_an_information_set_which_is_then_omitted():
    tree = omitted_tree()
    assert has_perfect_recall(tree)
    assert subgame_roots(tree) == ("root",)
    strategies = reduced_strategies(tree)
    assert [dict(s) for s in strategies[0]] == [{"root": "a", "c": "x"}, {"root": "a", "c": "y"},
                                                {"root": "b"}]
    assert [dict(s) for s in strategies[1]] == [{"M": "l", "D": "u"}, {"M": "l", "D": "v"}, {"M": "r"}]
    assert [len(s) for s in pure_strategies(tree)] == [4, 4]
    g = assert_same_reduced_form(tree)
    assert [n.label for n in g.nodes if n.is_subgame_root] == ["root"]
    sol = subgame_perfect(tree, exact=True)
    # b is strictly dominant for P1 (10 > 0); after b P2 gets 2 from (l, u), 1 from (l, v), 0 from r
    assert sol.equilibria == (profile(root=(0, 1), M=(1, 0), D=(1, 0)),)
    assert "c" not in sol.equilibria[0]
    assert any("'c'" in note and "omitted" in note for note in sol.notes)
    assert sol.payoffs == ((10, 2),)
    assert regret(tree, sol.equilibria[0]) == 0
    assert reach_probabilities(tree, sol.equilibria[0])["b_l_u"] == 1
    with pytest.raises(ValueError, match="information set 'c'"):
        expected_payoffs(tree, profile(root=(1, 0), M=(1, 0), D=(1, 0)))


def test_three_player_subgame_uses_support_enumeration():
    tree = jordan_after_choice()
    sol = subgame_perfect(tree, exact=True)
    half = (F(1, 2), F(1, 2))
    assert sol.equilibria == (profile(start=(0, 1), J1=half, J2=half, J3=half),)
    assert sol.payoffs == ((0, 1, 0),)
    assert sol.complete
    assert expected_payoffs(tree, sol.equilibria[0], "J1") == (F(1, 2),) * 3
    assert regret(tree, sol.equilibria[0]) == 0
    g = assert_same_reduced_form(tree)
    assert [n.label for n in g.nodes if n.is_subgame_root] == list(subgame_roots(tree)) == ["start", "J1"]


def test_one_player_imperfect_information_lists_each_optimal_strategy():
    tree = blind_investment()
    game = to_normal_form(tree)
    assert game.actions == (("invest", "hold"), ("\u2014",))
    assert game.payoffs[0].tolist() == [[1], [1]]  # invest: 1/4 * 4 + 3/4 * 0 = 1 = hold
    assert game.outcomes[0, 0] == "lottery: good_inv (1/4), bad_inv (3/4)"
    sol = subgame_perfect(tree, exact=True)
    assert sol.equilibria == (profile(I=(1, 0)), profile(I=(0, 1)))
    assert sol.payoffs == ((1, 0), (1, 0))
    assert any("indifferent" in note for note in sol.notes)
    assert all(regret(tree, eq) == 0 for eq in sol.equilibria)
    assert_same_reduced_form(tree)


def test_subgame_without_perfect_recall_is_refused():
    forget = GameTree(("P1", "P2"), Decision("a", 0, ("l", "r"), (
        Decision("b1", 0, ("x", "y"), (T("z1", (1, 0)), T("z2", (2, 0))), infoset="b"),
        Decision("b2", 0, ("x", "y"), (T("z3", (3, 0)), T("z4", (4, 0))), infoset="b"))))
    assert not has_perfect_recall(forget)
    with pytest.raises(SolverError, match="perfect recall"):
        subgame_perfect(forget, exact=True)
    # the best deviation is found by enumeration instead: (r, y) gives 4
    assert regret(forget, profile(a=(1, 0), b=(1, 0))) == 3


# --------------------------------------------------------------------------------- centipede
def test_centipede_reduced_form_has_three_strategies_per_player():
    tree = centipede()
    game = to_normal_form(tree)
    assert game.shape == (3, 3)
    assert game.actions == (("n1:take", "n1:pass, n3:take", "n1:pass, n3:pass"),
                            ("n2:take", "n2:pass, n4:take", "n2:pass, n4:pass"))
    assert game.payoffs[0].tolist() == [[1, 1, 1], [0, 3, 3], [0, 2, 4]]
    assert game.payoffs[1].tolist() == [[0, 0, 0], [2, 1, 1], [2, 4, 3]]
    assert game.outcomes[2, 1] == "P2 takes late"
    full = to_normal_form(tree, reduced=False)
    assert full.shape == (4, 4)
    assert full.actions[0] == ("n1:take, n3:take", "n1:take, n3:pass", "n1:pass, n3:take", "n1:pass, n3:pass")
    # the two strategies that take at once are the same row of the reduced form
    assert full.payoffs[0][0].tolist() == full.payoffs[0][1].tolist() == [1, 1, 1, 1]
    assert n_player.pure_equilibria(game.payoffs) == ((0, 0),)
    sol = subgame_perfect(tree, exact=True)
    take = (1, 0)
    assert sol.equilibria == (profile(n1=take, n2=take, n3=take, n4=take),)
    assert sol.payoffs == ((1, 0),)


def test_centipede_against_pygambit():
    tree = centipede()
    g = assert_same_reduced_form(tree)
    assert [len(p.strategies) for p in g.players] == [len(s) for s in reduced_strategies(tree)] == [3, 3]
    assert [n.label for n in g.nodes if n.is_subgame_root] == list(subgame_roots(tree))
    game = to_normal_form(tree)
    pure_theirs = [tuple(probs.index(1) for probs in gambit_profile(g, eq))
                   for eq in gbt.nash.enumpure_solve(g).equilibria]
    assert pure_theirs == list(n_player.pure_equilibria(game.payoffs))
    ours = set(two_player.extreme_equilibria(*game.payoffs, exact=True).equilibria)
    theirs = {gambit_profile(g, eq) for eq in gbt.nash.enummixed_solve(g, rational=True).equilibria}
    assert ours == theirs and len(ours) == 4


def test_kuhn_conversion_matches_pygambit_as_behavior():
    """Random payoffs on the omitted-tree shape (one region, P1 moving twice): our SPE are pygambit's
    extreme Nash equilibria of the reduced strategic form turned into behaviour strategies."""
    rng = random.Random(7)
    shape = omitted_tree()
    for _ in range(25):
        def relabel(node):
            if isinstance(node, Terminal):
                return T(node.name, (rng.randint(0, 3), rng.randint(0, 3)))
            return Decision(node.name, node.player, node.actions, tuple(relabel(c) for c in node.children),
                            node.infoset)

        tree = GameTree(shape.players, relabel(shape.root))
        sol = subgame_perfect(tree, exact=True)
        g = to_gambit(tree)
        theirs = []
        for eq in gbt.nash.enummixed_solve(g, rational=True).equilibria:
            beh = eq.as_behavior()
            theirs.append({info.label: tuple(F(str(beh[a])) for a in info.actions) for info in g.infosets})
        matched = set()
        for ours in sol.equilibria:
            hits = {k for k, th in enumerate(theirs) if all(th[h] == probs for h, probs in ours.items())}
            assert hits, (dict(ours), theirs)
            matched |= hits
        assert matched == set(range(len(theirs)))


# ---------------------------------------------------------------------------- regret vs gambit
@pytest.mark.parametrize("make", [entry_bos, chance_tree, omitted_tree, centipede, jordan_after_choice])
def test_root_regret_equals_pygambit_max_regret(make):
    tree = make()
    g = to_gambit(tree)
    infosets = {i.label: i for i in g.infosets}
    rng = random.Random(20251123)
    for _ in range(8):
        behaviour = {}
        prof = g.mixed_behavior_profile(rational=True)
        for label, info in tree.infosets().items():
            weights = [rng.randint(0, 3) for _ in info.actions]
            weights[rng.randrange(len(weights))] += 1
            probs = tuple(F(w, sum(weights)) for w in weights)
            behaviour[label] = probs
            prof[infosets[label]] = [gbt.Rational(p.numerator, p.denominator) for p in probs]
        ours = regret(tree, behaviour, subgames=(tree.root.name,))
        assert ours == F(str(prof.max_regret()))
        assert regret(tree, behaviour) >= ours


# ------------------------------------------------------------------------------ random trees
@st.composite
def perfect_information_trees(draw):
    n_players = draw(st.integers(2, 3))
    counter = iter(range(10_000))
    budget = [draw(st.integers(1, 5))]  # decision nodes

    def node(depth: int):
        k = next(counter)
        if depth == 0 or budget[0] == 0 or draw(st.integers(0, 3)) == 0:
            return T(f"z{k}", tuple(draw(st.integers(0, 2)) for _ in range(n_players)))
        if draw(st.integers(0, 4)) == 0:
            return Chance(f"c{k}", ("h", "t"), (F(1, 2), F(1, 2)), (node(depth - 1), node(depth - 1)))
        budget[0] -= 1
        width = draw(st.integers(2, 3))
        return Decision(f"d{k}", draw(st.integers(0, n_players - 1)), tuple("abc"[:width]),
                        tuple(node(depth - 1) for _ in range(width)))

    return GameTree(tuple(f"P{i}" for i in range(n_players)), node(3))


def brute_force_pure_spe(tree: GameTree) -> set:
    labels = [h for h, info in tree.infosets().items()]
    sizes = [len(tree.infosets()[h].actions) for h in labels]
    found = set()
    for combo in np.ndindex(*sizes):
        beh = FrozenDict((h, pure(k, n)) for h, k, n in zip(labels, combo, sizes))
        if regret(tree, beh) == 0:
            found.add(beh)
    return found


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(perfect_information_trees())
def test_backward_induction_finds_exactly_the_pure_spe(tree):
    sol = subgame_perfect(tree, exact=True)
    assert len(set(sol.equilibria)) == len(sol.equilibria)
    assert set(sol.equilibria) == brute_force_pure_spe(tree)
    for eq, pay in zip(sol.equilibria, sol.payoffs):
        assert expected_payoffs(tree, eq) == pay
        assert sum(reach_probabilities(tree, eq).values()) == 1


@st.composite
def imperfect_information_trees(draw):
    """A first move by P1, leading to terminals, simultaneous 2 x k games, or the omitted-tree shape."""
    pay = st.integers(0, 3)
    counter = iter(range(10_000))

    def z():
        return T(f"z{next(counter)}", (draw(pay), draw(pay)))

    def simultaneous():
        k = next(counter)
        width = draw(st.integers(2, 3))
        first = draw(st.integers(0, 1))
        moves = ("X", "Y", "W")[:width]
        return Decision(f"s{k}", first, ("L", "R"), tuple(
            Decision(f"s{k}_{j}", 1 - first, moves, tuple(z() for _ in moves), infoset=f"S{k}")
            for j in range(2)))

    def sequential_region():
        k = next(counter)
        d1 = Decision(f"d1_{k}", 1, ("u", "v"), (z(), z()), infoset=f"D{k}")
        d2 = Decision(f"d2_{k}", 1, ("u", "v"), (z(), z()), infoset=f"D{k}")
        c = Decision(f"c{k}", 0, ("x", "y"), (d1, d2))
        m1 = Decision(f"m1_{k}", 1, ("l", "r"), (c, z()), infoset=f"M{k}")
        d3 = Decision(f"d3_{k}", 1, ("u", "v"), (z(), z()), infoset=f"D{k}")
        m2 = Decision(f"m2_{k}", 1, ("l", "r"), (d3, z()), infoset=f"M{k}")
        return Decision(f"r{k}", 0, ("a", "b"), (m1, m2))

    kinds = draw(st.lists(st.sampled_from(["z", "sim", "seq"]), min_size=1, max_size=3))
    children = tuple({"z": z, "sim": simultaneous, "seq": sequential_region}[kind]() for kind in kinds)
    actions = tuple(f"o{j}" for j in range(len(children)))
    return GameTree(("P1", "P2"), Decision("root", 0, actions, children))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(imperfect_information_trees())
def test_every_spe_of_an_imperfect_information_tree_has_zero_regret(tree):
    sol = subgame_perfect(tree, exact=True)
    assert sol.complete and len(sol.equilibria) >= 1
    for eq, pay in zip(sol.equilibria, sol.payoffs):
        assert regret(tree, eq) == 0
        assert expected_payoffs(tree, eq) == pay
        assert sum(reach_probabilities(tree, eq).values()) == 1
        for probs in eq.values():
            assert sum(probs) == 1 and all(isinstance(p, F) and p >= 0 for p in probs)
    approx = subgame_perfect(tree, exact=False)
    assert len(approx.equilibria) == len(sol.equilibria)
    assert all(regret(tree, eq) <= 1e-9 for eq in approx.equilibria)


def test_regret_rejects_a_node_that_does_not_start_a_subgame():
    with pytest.raises(ValueError, match="do not start subgames"):
        regret(entry_bos(), profile(root=(1, 0), B1=(1, 0), B2=(1, 0)), subgames=("b2x",))
