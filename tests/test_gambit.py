"""Gambit interoperability (issue 8): export, import, round trips, and validation against pygambit.

Gambit (pygambit 16.7) is the reference here: it reads every file we write, its catalog supplies the
field's reference games, its exact ``enummixed`` gives complete extreme-equilibrium sets of two-player
games, and its profile arithmetic (``max_regret``, ``node_value``) checks our equilibria independently
of our own certificates. Gambit has no subgame-perfect solver; the subgame-perfect equilibria are
checked with a brute-force test written here on top of Gambit's node values: in every subgame
(``Node.is_subgame_root``) no player gains by any pure deviation inside it.

Disagreements found: none on any catalog game or random game. On Nau et al.'s 2x2x4 game, whose Nash
equilibria form a segment, :func:`test_n_player_catalog_games_are_nash_per_gambit` checks that the point
Gambit's logit tracing finds, ((1/2, 1/2), (1/2, 1/2), (1/4, 1/4, 1/4, 1/4)), is the midpoint of the segment
our N-player support enumeration lists by its two end points (one component, complete).
"""

from __future__ import annotations

import io
import itertools
import json
import random
import re
import subprocess
import sys
from fractions import Fraction
from importlib.resources import files
from pathlib import Path

import numpy as np
import pygambit as gbt
import pytest
from conftest import THREE_PLAYER
from hypothesis import given, settings
from hypothesis import strategies as st

import gametheory_ukraine as gtu
from gametheory_ukraine.cli import main
from gametheory_ukraine.core.errors import ModelFileError, OutputError, ParameterError, SolverError
from gametheory_ukraine.games.normal_form import NormalFormGame
from gametheory_ukraine.games.reduce import reduced_strategies, to_normal_form
from gametheory_ukraine.games.tree import Chance, Decision, GameTree, Terminal
from gametheory_ukraine.io.gambit import (
    efg_text,
    from_pygambit,
    nfg_text,
    parse_gambit,
    read_gambit,
    to_pygambit,
    write_gambit,
)
from gametheory_ukraine.output.export import export
from gametheory_ukraine.solvers.certificate import regret

FRAMEWORK = ("territory", "nato", "guarantees")
SCENARIOS = ("baseline-2025", "istanbul-2", "reassurance-force", "managed-freeze")
FORMATS = {"normal": "nfg", "sequential": "efg"}
#: the framework models and the 3-player fixture (a file, loaded by path) with their forms: a model that states no
#: normal form (guarantees: its tree's reduced normal form is too big to state) has only its tree here
MODEL_FORMS = [pytest.param(source, form, id=f"{form}-{gtu.load_model(source).name}")
               for source in (*FRAMEWORK, THREE_PLAYER) for form in FORMATS if form in gtu.load_model(source).forms]
CATALOG = files("pygambit") / "catalog_data"
CATALOG_FILES = sorted(str(p.relative_to(CATALOG)) for suffix in ("*.nfg", "*.efg") for p in CATALOG.rglob(suffix))
#: catalog games with an absent-minded player (an information set twice on one path): we refuse them
ABSENT_MINDED = {"books/shohamleytonbrown2008/fig5_12.efg", "journals/geb/gilboa1997/fig1.efg"}


def _two_player_perfect_recall(slug: str) -> bool:
    gm = gambit_read(CATALOG / slug)
    return len(gm.players) == 2 and gm.is_perfect_recall


def F(x) -> Fraction:
    """pygambit numbers (Rational, a Fraction subclass, or Decimal) as exact Fractions."""
    return Fraction(x)


def gambit_read(path) -> gbt.Game:
    path = str(path)
    return gbt.read_efg(path) if path.endswith(".efg") else gbt.read_nfg(path)


#: Gambit's enummixed needs two players and perfect recall (it refuses imperfect recall)
TWO_PLAYER_PERFECT_RECALL = [s for s in CATALOG_FILES if _two_player_perfect_recall(s)]


# ============================================================================= comparing a Gambit game with ours
def preorder(gm: gbt.Game) -> list:
    out, stack = [], [gm.root]
    while stack:
        node = stack.pop()
        out.append(node)
        stack.extend(reversed(list(node.children)))
    return out


def infoset_key(infoset) -> tuple[int, int]:
    return (-1 if infoset.player.is_chance else infoset.player.number, infoset.number)


def path_payoffs(gm: gbt.Game, node) -> tuple:
    """Gambit adds the payoffs of every outcome on the path from the root."""
    total = [Fraction(0)] * len(gm.players)
    while node is not None:
        if node.outcome:
            total = [t + F(node.outcome[p]) for t, p in zip(total, gm.players)]
        node = node.parent
    return tuple(total)


def label_or_none(label: str, labels) -> str | None:
    """A Gambit label we expect our reader to keep: non-empty, unique among *labels*, and not one of
    pygambit's renamings of a repeated label (``1/2_1``, ``1/2_2``; ours are ``1/2 (1)``, ``1/2 (2)``)."""
    if not label or list(labels).count(label) != 1 or re.search(r"_\d+\Z", label):
        return None
    return label


def same_outcome_label(gambit: str, ours: str) -> bool:
    """pygambit 16.7 makes outcome labels unique on reading: a label that two outcomes with different
    payoffs share comes back as ``label_1``, ``label_2``. (Our writer shares one Gambit outcome among
    equal (label, payoffs), so only such labels are renamed; our own reader keeps them.)"""
    return gambit == ours or re.fullmatch(re.escape(ours) + r"_\d+", gambit) is not None


def assert_same_normal_form(gm: gbt.Game, game: NormalFormGame, *, outcome_labels: bool = True) -> None:
    assert not gm.is_tree
    assert tuple(p.label for p in gm.players) == game.players
    assert tuple(tuple(s.label for s in p.strategies) for p in gm.players) == game.actions
    for profile in game.profiles():
        outcome = gm[profile]
        for i, player in enumerate(gm.players):
            value = game.payoffs[i][profile]
            assert type(value) is Fraction and F(outcome[player]) == value, (profile, player.label)
        if outcome_labels and game.outcome(profile) is not None:
            assert same_outcome_label(outcome.label, game.outcome(profile))


def correspondence(gm: gbt.Game, tree: GameTree) -> tuple[dict, dict]:
    """Walk both trees in pre-order; map Gambit's information sets to our labels and back."""
    to_ours, to_gambit = {}, {}
    gnodes, ours = preorder(gm), list(tree.nodes())
    assert len(gnodes) == len(ours)
    for gn, node in zip(gnodes, ours):
        if isinstance(node, Decision):
            assert to_ours.setdefault(infoset_key(gn.infoset), node.infoset) == node.infoset
            to_gambit[node.infoset] = gn.infoset
    assert len(set(to_ours.values())) == len(to_ours)  # a bijection: same information partition
    return to_ours, to_gambit


def assert_same_tree(gm: gbt.Game, tree: GameTree, *, labels: str = "all") -> None:
    """Same structure, movers, actions, chance probabilities and (path-summed) payoffs.

    labels="all": node, information-set and outcome labels equal ours (files we wrote);
    labels="kept": Gambit labels that are non-empty and unique are kept by our reader.
    """
    assert gm.is_tree
    players = [p.label for p in gm.players]
    for label, ours in zip(players, tree.players):
        assert ours == (label if labels == "all" else label_or_none(label, players) or ours)
    correspondence(gm, tree)
    node_labels = [n.label for n in gm.nodes]
    for gn, node in zip(preorder(gm), tree.nodes()):
        expect = gn.label if labels == "all" else label_or_none(gn.label, node_labels)
        if expect is not None:
            assert node.name == expect
        if isinstance(node, Terminal):
            assert gn.is_terminal
            assert node.payoffs == path_payoffs(gm, gn)
            assert all(type(v) is Fraction for v in node.payoffs)
            if gn.outcome and labels == "all" and node.outcome:
                assert same_outcome_label(gn.outcome.label, node.outcome)
            continue
        assert not gn.is_terminal and len(gn.children) == len(node.children)
        gactions = [a.label for a in gn.infoset.actions]
        assert tuple(label_or_none(a, gactions) or ours for a, ours in zip(gactions, node.actions)) == node.actions
        if isinstance(node, Chance):
            assert gn.player.is_chance
            assert node.probabilities == tuple(F(a.prob) for a in gn.infoset.actions)
        else:
            assert not gn.player.is_chance
            assert list(gm.players).index(gn.player) == node.player
            if labels == "all":
                assert gn.infoset.label == node.infoset


# ============================================================================= equilibrium sets in both packages
def gambit_extreme_set(gm: gbt.Game) -> set:
    """Gambit's exact extreme equilibria of a strategic-form game: tuples of Fraction tuples."""
    result = gbt.nash.enummixed_solve(gm, rational=True)
    return {tuple(tuple(F(eq[s]) for s in p.strategies) for p in gm.players) for eq in result.equilibria}


def our_extreme_set(result) -> set:
    return {tuple(tuple(s) for s in eq.strategies) for eq in result}


def gambit_tree_extreme_set(gm: gbt.Game, tree: GameTree, pure: bool = False) -> set:
    """Gambit's extreme equilibria (with *pure*, its pure equilibria) of a tree's reduced strategic form, each
    strategy named as ours: a frozenset of (information set, action) over the sets it specifies."""
    to_ours, _ = correspondence(gm, tree)
    infosets = tree.infosets()

    def plan(strategy) -> frozenset:
        chosen = {}
        for infoset in strategy.player.infosets:
            action = strategy.action(infoset)
            if action is not None:
                label = to_ours[infoset_key(infoset)]
                chosen[label] = infosets[label].actions[list(infoset.actions).index(action)]
        return frozenset(chosen.items())

    result = gbt.nash.enumpure_solve(gm) if pure else gbt.nash.enummixed_solve(gm, rational=True)
    return {tuple(frozenset((plan(s), F(eq[s])) for s in p.strategies if eq[s] != 0) for p in gm.players)
            for eq in result.equilibria}


def our_tree_extreme_set(result, tree: GameTree) -> set:
    plans = [[frozenset(s.items()) for s in player] for player in reduced_strategies(tree)]
    return {tuple(frozenset((plans[i][k], p) for k, p in enumerate(strategy) if p != 0)
                  for i, strategy in enumerate(eq.strategies)) for eq in result}


def behaviour_profile(gm: gbt.Game, tree: GameTree, strategies) -> gbt.MixedBehaviorProfile:
    """Our behaviour strategies (information set -> probabilities) as Gambit's rational profile."""
    _, to_gambit = correspondence(gm, tree)
    profile = gm.mixed_behavior_profile(rational=True)
    for behaviour in strategies:
        for label, probabilities in behaviour.items():
            for action, p in zip(to_gambit[label].actions, probabilities):
                profile[action] = F(p)
    return profile


def inside(node, root) -> bool:
    return node == root or node.is_successor_of(root)


def subgame_regret(gm: gbt.Game, profile) -> Fraction:
    """The largest gain from a pure deviation by one player inside any subgame, by Gambit's node values.

    Zero iff *profile* is a subgame-perfect equilibrium: in each subgame, a player's best response
    to the others is attained by a pure strategy, i.e. one action at each of her information sets.
    """
    worst = Fraction(0)
    for root in gm.nodes:
        if root.is_terminal or not root.is_subgame_root:
            continue
        for player in gm.players:
            sets = [h for h in player.infosets if all(inside(m, root) for m in h.members)]
            base = F(profile.node_value(player, root))
            for choice in itertools.product(*(range(len(h.actions)) for h in sets)):
                deviation = profile.copy()
                for h, k in zip(sets, choice):
                    for j, action in enumerate(h.actions):
                        deviation[action] = Fraction(int(j == k))
                worst = max(worst, F(deviation.node_value(player, root)) - base)
    return worst


def gambit_pure_spe(gm: gbt.Game, tree: GameTree) -> set:
    """Every pure subgame-perfect equilibrium of a perfect-information tree, by Gambit's arithmetic.

    One-shot deviation principle: a pure profile of a finite perfect-information game is subgame-perfect
    iff at every decision node the action it picks maximises the mover's node value among the children.
    Returned as frozensets of (information set, action) in our labels.
    """
    to_ours, _ = correspondence(gm, tree)
    sets = [h for h in gm.infosets if not h.player.is_chance]
    assert all(len(h.members) == 1 for h in sets), "perfect information only"
    found = set()
    for choice in itertools.product(*(range(len(h.actions)) for h in sets)):
        profile = gm.mixed_behavior_profile(rational=True)
        for h, k in zip(sets, choice):
            for j, action in enumerate(h.actions):
                profile[action] = Fraction(int(j == k))
        ok = True
        for h, k in zip(sets, choice):
            node = list(h.members)[0]
            values = [F(profile.node_value(h.player, child)) for child in node.children]
            ok = ok and values[k] == max(values)
        if ok:
            labels = [to_ours[infoset_key(h)] for h in sets]
            found.add(frozenset((label, tree.infosets()[label].actions[k]) for label, k in zip(labels, choice)))
    return found


def our_pure_spe(result) -> set:
    out = set()
    for eq in result:
        chosen = []
        for player_actions, behaviour in zip(result.actions, eq.strategies):
            for label, probabilities in behaviour.items():
                assert sorted(probabilities) == [0] * (len(probabilities) - 1) + [1], "pure"
                chosen.append((label, player_actions[label][list(probabilities).index(1)]))
        out.add(frozenset(chosen))
    return out


# ============================================================================= export: Gambit reads what we write
@pytest.mark.parametrize(("source", "form"), MODEL_FORMS)
def test_export_is_read_by_gambit_with_the_same_game(source, form, tmp_path):
    model = gtu.load_model(source)
    name = model.name
    path = export(model, FORMATS[form], tmp_path / f"{name}.{FORMATS[form]}", form=form, scenario="baseline-2025")
    ours = model.game(form, "baseline-2025", exact=True)
    gm = gambit_read(path)
    assert gm.title == f"{name} ({form}, baseline-2025)"
    assert "baseline-2025" in gm.description and "rho=0.129" in gm.description
    if form == "normal":
        assert_same_normal_form(gm, ours)
    else:
        assert_same_tree(gm, ours, labels="all")
        assert gm.is_perfect_recall


def test_export_keeps_parameter_overrides_and_exact_numbers(tmp_path):
    model = gtu.load_model("territory")
    path = export(model, "efg", tmp_path / "t.efg", form="sequential", scenario="istanbul-2", rho="1/27")
    text = path.read_text()
    assert "rho=1/27" in text and "p=0.7" in text
    assert_same_tree(gambit_read(path), model.game("sequential", "istanbul-2", rho="1/27"), labels="all")
    # a denominator that is not a power of 2 or 5 survives only as a rational
    assert any("/" in line and line.startswith("t ") for line in text.splitlines())


def test_chance_nodes_with_zero_probability_are_written_exactly(tmp_path):
    tree = gtu.load_model("guarantees").game("sequential", "baseline-2025")
    probabilities = [n.probabilities for n in tree.nodes() if isinstance(n, Chance)]
    assert (Fraction(0), Fraction(1)) in probabilities and (Fraction(1, 2), Fraction(1, 2)) in probabilities
    path = write_gambit(tree, tmp_path / "g.efg")
    gm = gambit_read(path)
    assert [tuple(F(a.prob) for a in h.actions) for h in gm.players.chance.infosets] == probabilities


def test_float_games_are_written_as_their_decimals(tmp_path):
    game = NormalFormGame.from_arrays([[0.1, -2.5e-7], [1e20, 3.0]], [[1.0, 0.0], [0.0, 1 / 3]])
    path = write_gambit(game, tmp_path / "f.nfg")
    gm = gambit_read(path)
    assert [F(gm[(0, 1)][p]) for p in gm.players] == [Fraction("-2.5e-7"), 0]
    assert F(gm[(1, 0)][list(gm.players)[0]]) == 10 ** 20
    assert F(gm[(1, 1)][list(gm.players)[1]]) == Fraction(repr(1 / 3))
    assert read_gambit(path).payoffs[0][0, 0] == Fraction(1, 10)


def test_labels_with_quotes_and_n_player_shapes(tmp_path):
    rng = np.random.default_rng(3)
    shape = (2, 3, 1, 2)
    arrays = [rng.integers(-5, 6, size=shape).tolist() for _ in shape]
    outcomes = np.full(shape, None, dtype=object)
    outcomes[1, 2, 0, 1] = 'the "last" one'
    game = NormalFormGame.from_arrays(*arrays, players=('Say "hi"', "B", "C", "D"),
                                      actions=(("x", 'y"'), ("1", "2", "3"), ("only",), ("l", "r")),
                                      outcomes=outcomes, title='a "quoted" title')
    path = write_gambit(game, tmp_path / "n.nfg")
    gm = gambit_read(path)
    assert gm.title == 'a "quoted" title'
    assert_same_normal_form(gm, game)
    assert read_gambit(path) == game


def test_labels_gambit_cannot_read_are_made_ascii_or_kept_exactly(tmp_path):
    tree = GameTree(("Київ", 'Back\\slash "B"'), Decision("старт", 0, ("мир — peace", "a\\b\nc  d "), (
        Terminal("z1", (Fraction(1, 3), 0), "Kyiv’s offer"), Terminal("z2", (0, 1)))), "Ukraine’s choice")
    # verbatim: our reader restores every label; pygambit 16.7 refuses the file (printable ASCII labels only)
    exact = write_gambit(tree, tmp_path / "exact.efg", labels="exact")
    assert read_gambit(exact) == tree
    with pytest.raises(ValueError, match="Invalid label"):
        gambit_read(exact)
    # the default: labels Gambit accepts, every change listed in the comment
    path = write_gambit(tree, tmp_path / "gambit.efg", comment="from a test")
    assert path.read_bytes().isascii()
    gm = gambit_read(path)
    assert gm.title == "Ukraine's choice"
    assert [p.label for p in gm.players] == ["????", 'Back/slash "B"']
    assert [a.label for a in gm.root.infoset.actions] == ["??? - peace", "a/b c d"]
    assert list(gm.root.children)[0].outcome.label == "Kyiv's offer"
    assert gm.description.startswith("from a test\nLabels changed for Gambit")
    assert "'<U+041A><U+0438><U+0457><U+0432>' -> '????'" in gm.description
    back = read_gambit(path)
    assert back.players == ("????", 'Back/slash "B"') and back.root.name == "?????"
    assert [n.payoffs for n in back.nodes() if isinstance(n, Terminal)] == [(Fraction(1, 3), 0), (0, 1)]
    # two labels that become one are refused rather than merged
    clash = GameTree(("Ö", "O"), Terminal("z", (0, 0)))
    with pytest.raises(OutputError, match="both become 'O'"):
        efg_text(clash)
    assert parse_gambit(efg_text(clash, labels="exact")) == clash


def test_writer_refuses_what_gambit_cannot_hold(tmp_path):
    model = gtu.load_model("chain-store")
    with pytest.raises(OutputError, match="free parameters"):
        nfg_text(model.symbolic("normal"))
    with pytest.raises(OutputError, match="free parameters"):
        efg_text(model.symbolic("sequential"))
    with pytest.raises(OutputError, match=r"written as \.efg"):
        write_gambit(model.game("sequential"), tmp_path / "tree.nfg")
    with pytest.raises(OutputError, match=r"written as \.nfg"):
        write_gambit(model.game("normal"), tmp_path / "table.efg")
    with pytest.raises(OutputError, match="cannot store"):
        nfg_text(NormalFormGame.from_arrays([float("nan"), 1.0]))
    assert not list(tmp_path.iterdir())  # nothing half-written


# ============================================================================= import: our reader against Gambit's
@pytest.mark.parametrize("slug", CATALOG_FILES)
def test_reader_agrees_with_gambit_on_the_catalog(slug):
    path = CATALOG / slug
    gm = gambit_read(path)
    if slug in ABSENT_MINDED:
        assert not gm.is_perfect_recall
        with pytest.raises(ModelFileError, match="occurs twice on one path"):
            read_gambit(path)
        return
    ours = read_gambit(path)
    assert ours.title == gm.title
    if gm.is_tree:
        assert isinstance(ours, GameTree)
        assert_same_tree(gm, ours, labels="kept")
    else:
        assert isinstance(ours, NormalFormGame)
        assert_same_normal_form(gm, ours, outcome_labels=False)


def test_reader_names_what_gambit_leaves_unlabelled():
    text = """EFG 2 R "" { "" "B" }
    p "" 1 1 "" { "" "" } 0
    c "x" 1 "" { "h" 1/3 "t" 2/3 } 1 "" { 1, 1 }
    t "x" 2 "win" { 0.5 -1/2 }
    t "" 0
    t "" 3 "" { 2, 2 }
    """
    tree = parse_gambit(text)
    assert tree.players == ("Player 1", "B")
    assert [n.name for n in tree.nodes()] == ["node 1", "x (node 2)", "x (node 3)", "node 4", "node 5"]
    assert tree.root.actions == ("1", "2") and tree.root.infoset == "Player 1:1"
    # an outcome at a chance node is added to every terminal below it, as in Gambit
    assert [n.payoffs for n in tree.nodes() if isinstance(n, Terminal)] == [
        (Fraction(3, 2), Fraction(1, 2)), (1, 1), (2, 2)]
    assert [n.outcome for n in tree.nodes() if isinstance(n, Terminal)] == ["win", None, None]
    with pytest.raises(ValueError, match="Node label must be unique"):  # Gambit 16.7 is stricter here
        gbt.read_efg(io.StringIO(text))
    gm = gbt.read_efg(io.StringIO(text.replace('t "x"', 't "y"')))
    assert [path_payoffs(gm, n) for n in preorder(gm) if n.is_terminal] == [
        (Fraction(3, 2), Fraction(1, 2)), (1, 1), (2, 2)]


def test_payoff_list_nfg_and_decimals():
    text = 'NFG 1 D "list" { "A" "B" } { 2 2 }\n"a comment"\n1 2  3 4  5.5 6  7/2 -0.25\n'
    game = parse_gambit(text)
    assert game.actions == (("1", "2"), ("1", "2")) and game.outcomes is None
    # player 1's strategy changes fastest
    assert game.payoffs[0].tolist() == [[1, 5.5], [3, Fraction(7, 2)]]
    assert game.payoffs[1][1, 1] == Fraction(-1, 4) and type(game.payoffs[1][1, 1]) is Fraction
    gm = gbt.read_nfg(io.StringIO(text))
    assert_same_normal_form(gm, game, outcome_labels=False)


def test_round_trip_through_our_own_reader_is_the_identity():
    for name in ("chain-store", *FRAMEWORK):
        model = gtu.load_model(name)
        for scenario in (None, *model.scenarios):
            for form in model.forms:
                game = model.game(form, scenario, exact=True)
                text = efg_text(game) if form == "sequential" else nfg_text(game)
                assert parse_gambit(text) == game


MALFORMED = [
    ("bad.nfg", 'NFG 1 R "t" { "A" "B" } { 2 2 }\n\n1 2 3 4 5 6 7 x\n', "line 3, column 15", "expected a number"),
    ("short.nfg", 'NFG 1 R "t" { "A" "B" } { 2 2 }\n\n1 2 3\n', "line 3", "declares 4 strategy profiles"),
    ("big.nfg", 'NFG 1 R "t" { "A" "B" } { 100000 100000 }\n1 2\n', "line", "declares 10000000000"),
    ("quote.nfg", 'NFG 1 R "t { "A" "B" }\n', "line 1, column 20", "not closed"),
    ("trail.efg", 'EFG 2 R "t" { "A" "B" }\n""\np "" 1 1 "" { "a" } 0\nt "" 1 "o" { 1, 2 }\nt "" 0\n',
     "line 5, column 1", "after the last node"),
    ("sum.efg", 'EFG 2 R "t" { "A" "B" }\nc "" 1 "" { "a" 1/3 "b" 1/2 } 0\nt "" 0\nt "" 0\n', "line 2, column 1",
     "sum to 5/6"),
    ("players.efg", 'EFG 2 R "t" { "A" "B" }\np "" 3 1 "" { "a" } 0\nt "" 0\n', "line 2, column 6",
     "between 1 and 2"),
    ("payoffs.efg", 'EFG 2 R "t" { "A" "B" }\nt "" 1 "o" { 1 }\n', "line 2, column 16", "1 payoffs for 2 players"),
    ("outcome.efg", 'EFG 2 R "t" { "A" "B" }\np "" 1 1 "" { "a" "b" } 0\nt "" 1\nt "" 1 "o" { 1, 2 }\n',
     "line 3", "used before its payoffs"),
    ("restated.efg", 'EFG 2 R "t" { "A" "B" }\np "" 1 1 "" { "a" "b" } 0\np "" 2 1 "" { "x" "y" } 0\n'
     't "" 0\nt "" 0\np "" 2 1 "" { "u" "v" } 0\nt "" 0\nt "" 0\n', "line 6, column 1", "other actions"),
    ("truncated.efg", 'EFG 2 R "t" { "A" "B" }\np "" 1 1 "" { "a" "b" } 0\nt "" 0\n', "line 4",
     "ends before node"),
    ("kind.efg", 'NFG 1 R "t" { "A" } { 1 }\n3\n', "line 1", "strategic-form game (NFG) but is named .efg"),
    ("binary.nfg", b"NFG 1 R \"\xff\" { }", None, "not UTF-8"),
]


@pytest.mark.parametrize("name, text, where, message", MALFORMED, ids=[m[0] for m in MALFORMED])
def test_malformed_files_name_the_file_the_place_and_the_fix(tmp_path, name, text, where, message):
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    with pytest.raises(ModelFileError) as info:
        gtu.load_model(path)
    error = info.value
    assert message in error.message and error.path == str(path.resolve()) and error.fix
    if where is not None:
        assert error.where.startswith(where)
    if name == "trail.efg":
        gambit_read(path)  # Gambit 16.7 ignores text after the last node; we refuse it
    elif name != "big.nfg" and not isinstance(text, bytes):  # Gambit would allocate 10**10 profiles
        with pytest.raises(ValueError):  # Gambit refuses the others too
            gambit_read(path)


def test_hostile_numbers_and_depths_are_refused_quickly():
    head = 'NFG 1 R "t" { "A" } { 1 }\n'
    with pytest.raises(ModelFileError, match="expected a number"):
        parse_gambit(head + "1e999999999\n")             # would be a 10**999999999 to compute
    with pytest.raises(ModelFileError, match="too long"):
        parse_gambit(head + "1" * 5000 + "\n")
    assert parse_gambit(head + "-1.5e-3\n").payoffs[0][0] == Fraction(-3, 2000)
    deep = 'EFG 2 R "t" { "A" "B" }\n' + 'p "" 1 1 "" { "a" } 0\n' * 500 + 't "" 0\n'
    with pytest.raises(ModelFileError, match="deeper than 400 moves"):
        parse_gambit(deep)
    shallow = 'EFG 2 R "t" { "A" "B" }\n' + "".join(f'p "" 1 {k} "" {{ "a" }} 0\n' for k in range(1, 300))
    assert len(list(parse_gambit(shallow + 't "" 0\n').nodes())) == 300


def test_loading_never_executes_anything(tmp_path):
    payload = "__import__('os').system('touch pwned')"
    path = tmp_path / "evil.nfg"
    path.write_text(f'NFG 1 R "{payload}" {{ "A" }} {{ 1 }}\n{payload}\n')
    with pytest.raises(ModelFileError, match="expected a number"):
        gtu.load_model(path)
    path.write_text(f'NFG 1 R "{payload}" {{ "A" }} {{ 1 }}\n1\n')
    assert gtu.load_model(path).title == payload
    assert not (tmp_path / "pwned").exists() and not Path("pwned").exists()


# ============================================================================= load_model and round trips
def test_load_model_from_a_gambit_file(tmp_path):
    path = write_gambit(gtu.load_model("chain-store").game("normal"), tmp_path / "Entry Game.nfg",
                        title="Selten's game", comment="from the test suite\n")
    model = gtu.load_model(str(path))
    assert model.name == "Entry Game" and model.title == "Selten's game" and model.description == "from the test suite"
    assert list(model.forms) == ["normal"] and not model.parameters and not model.scenarios
    assert model.players == ("Entrant", "Incumbent") and len(model.sha256) == 64
    assert gtu.load_model(path) is model  # cached like YAML models
    with pytest.raises(ParameterError, match="no parameter 'c_I'"):
        model.solve(c_I=1)
    with pytest.raises(ParameterError, match="no scenario"):
        model.solve(scenario="baseline-2025")


@pytest.mark.parametrize("scenario", SCENARIOS)
@pytest.mark.parametrize(("source", "form"), MODEL_FORMS)
def test_round_trip_model_file_load_solve(tmp_path, source, form, scenario):
    model = gtu.load_model(source)
    path = export(model, FORMATS[form], tmp_path / f"{model.name}.{FORMATS[form]}", form=form, scenario=scenario)
    loaded = gtu.load_model(path)
    direct, again = model.solve(form, scenario), loaded.solve()
    assert again.form == direct.form and again.method == direct.method and again.complete == direct.complete
    assert again.players == direct.players and again.actions == direct.actions
    assert again.equilibria == direct.equilibria  # strategies, payoffs, regret, outcome labels, components
    assert len(direct) >= 1 and all(e.outcome for e in direct)


def test_chain_store_round_trip_and_both_solution_concepts(tmp_path):
    model = gtu.load_model("chain-store")
    path = export(model, "efg", tmp_path / "chain.efg", form="sequential")
    loaded = gtu.load_model(path)
    spe = loaded.solve()
    assert [(dict(e.strategies[0]), dict(e.strategies[1])) for e in spe] == [
        ({"entry": (0, 1)}, {"response": (0, 1)})]
    assert spe.equilibria == model.solve("sequential").equilibria
    nash = loaded.solve(method="nash")
    assert nash.equilibria == model.solve("sequential", method="nash").equilibria and len(nash) == 3


# ============================================================================= validation: equilibria vs Gambit
@pytest.mark.parametrize("slug", TWO_PLAYER_PERFECT_RECALL)
def test_catalog_two_player_extreme_equilibria_equal_gambits(slug):
    gm = gambit_read(CATALOG / slug)
    ours = read_gambit(CATALOG / slug)
    if gm.is_tree:
        result = gtu.solve(ours, method="nash")
        assert result.complete
        assert our_tree_extreme_set(result, ours) == gambit_tree_extreme_set(gm, ours)
        assert len(our_tree_extreme_set(result, ours)) == len(result)
    else:
        result = gtu.solve(ours)
        assert result.complete and result.method == "vertex-enumeration"
        assert our_extreme_set(result) == gambit_extreme_set(gm) and len(result) == len(gambit_extreme_set(gm))


@pytest.mark.parametrize("slug", [s for s in CATALOG_FILES if s.endswith(".efg") and s not in ABSENT_MINDED])
def test_catalog_trees_spe_are_nash_and_subgame_perfect_per_gambit(slug):
    gm = gambit_read(CATALOG / slug)
    tree = read_gambit(CATALOG / slug)
    if not gm.is_perfect_recall:  # neither package computes equilibria of these
        with pytest.raises(SolverError, match="lacks perfect recall"):
            gtu.solve(tree)
        with pytest.raises(RuntimeError, match="imperfect recall" if len(gm.players) == 2 else "two-player"):
            gbt.nash.enummixed_solve(gm, rational=True)
        return
    # the work budget is a worst-case estimate for a game's size; these catalog games (a 2x2x2x2 subgame among
    # them) solve in seconds, so the budget is raised here rather than the default loosened for every game
    result = gtu.solve(tree, max_work=CATALOG_WORK)
    assert len(result) >= 1
    for eq in result:
        profile = behaviour_profile(gm, tree, eq.strategies)
        assert profile.max_regret() == 0
        assert subgame_regret(gm, profile) == 0
        assert tuple(F(profile.payoff(p)) for p in gm.players) == eq.payoffs


#: work budget for the catalog's N-player games: beyond the default worst-case estimate (Nau et al.'s 2x2x4 game
#: counts 4,050,000 units), each solves in about a second here
CATALOG_WORK = 10**8


def test_n_player_catalog_games_are_nash_per_gambit():
    results = {}
    for slug in [s for s in CATALOG_FILES if s.endswith(".nfg")]:
        gm = gambit_read(CATALOG / slug)
        if len(gm.players) == 2:
            continue
        result = gtu.solve(read_gambit(CATALOG / slug), max_work=CATALOG_WORK)
        for eq in result:
            profile = gm.mixed_strategy_profile(rational=False)
            for player, strategy in zip(gm.players, eq.strategies):
                for s, p in zip(player.strategies, strategy):
                    profile[s] = float(p)
            assert profile.max_regret() < 1e-12
        results[slug] = result
    assert len(results) == 3
    # Nau et al. (2004) sec. 6: the equilibria form a segment inside one support. Gambit's logit tracing finds one
    # there; it is the midpoint of the segment we list by its two end points (one component).
    slug = "journals/ijgt/nau2004/sec6.nfg"
    gm = gambit_read(CATALOG / slug)
    found = gbt.nash.logit_solve(gm).equilibria[0]
    x = tuple(tuple(Fraction(float(found[s])).limit_denominator(100) for s in p.strategies) for p in gm.players)
    assert x == ((Fraction(1, 2),) * 2, (Fraction(1, 2),) * 2, (Fraction(1, 4),) * 4)
    assert regret(read_gambit(CATALOG / slug).payoffs, x) == 0  # an exact equilibrium
    result = results[slug]
    ends = [eq.strategies for eq in result if eq.component == 0]
    assert result.complete and len(ends) == 2
    assert x == tuple(tuple((p + q) / 2 for p, q in zip(*pair)) for pair in zip(*ends))  # the segment's midpoint


def test_selten_chain_store_spe_is_only_enter_acquiesce(tmp_path):
    model = gtu.load_model("chain-store")
    tree = model.game("sequential")
    gm = gbt.read_efg(io.StringIO(efg_text(tree)))
    # Gambit's Nash equilibria (pure, strategic form) include the incredible threat (out, fight)
    pure = {tuple(next(s.action(list(p.infosets)[0]).label for s in p.strategies if eq[s] == 1) for p in gm.players)
            for eq in gbt.nash.enumpure_solve(gm).equilibria}
    assert pure == {("stay out", "fight"), ("enter", "acquiesce")}
    mixed = gambit_tree_extreme_set(gm, tree)
    out_fight = (frozenset({(frozenset({("entry", "stay out")}), 1)}),
                 frozenset({(frozenset({("response", "fight")}), 1)}))
    enter_acquiesce = (frozenset({(frozenset({("entry", "enter")}), 1)}),
                       frozenset({(frozenset({("response", "acquiesce")}), 1)}))
    assert out_fight in mixed and enter_acquiesce in mixed and len(mixed) == 3
    # ... but only (enter, acquiesce) is subgame-perfect, for Gambit's arithmetic and for us
    assert gambit_pure_spe(gm, tree) == {frozenset({("entry", "enter"), ("response", "acquiesce")})}
    result = gtu.solve(tree)
    assert our_pure_spe(result) == gambit_pure_spe(gm, tree) and result.complete
    threat = behaviour_profile(gm, tree, [{"entry": (1, 0)}, {"response": (1, 0)}])
    assert threat.max_regret() == 0 and subgame_regret(gm, threat) == 2


@pytest.mark.parametrize("name", ("chain-store", *FRAMEWORK))
@pytest.mark.parametrize("scenario", [None, *SCENARIOS])
def test_model_trees_spe_are_exactly_gambits_subgame_perfect_profiles(name, scenario):
    model = gtu.load_model(name)
    if scenario is not None and scenario not in model.scenarios:
        scenario = None
    tree = model.game("sequential", scenario)
    gm = to_pygambit(tree)
    result = gtu.solve(tree)
    assert our_pure_spe(result) == gambit_pure_spe(gm, tree)
    for eq in result:
        profile = behaviour_profile(gm, tree, eq.strategies)
        assert profile.max_regret() == 0 and subgame_regret(gm, profile) == 0
    if name == "territory":
        # Its reduced strategic form is 6 x 27: exact mixed enumeration needs ~30 million units here and
        # Gambit's enummixed ran over 20 minutes without finishing, so the two are compared on the pure
        # equilibria of the reduced form, and (in one scenario, ~20 s for Gambit) on all extreme equilibria
        # of the stated 6 x 14 form.
        reduced = to_normal_form(tree)
        assert reduced.shape == (6, 27)
        ours = our_tree_extreme_set(gtu.solve(reduced, method="pure"), tree)
        assert ours and ours == gambit_tree_extreme_set(gm, tree, pure=True)
        if scenario == "managed-freeze":
            stated = model.game("normal", scenario)
            assert stated.shape == (6, 14)
            stated_result = gtu.solve(stated)
            assert stated_result.complete
            assert our_extreme_set(stated_result) == gambit_extreme_set(to_pygambit(stated))
    elif tree.n_players == 2:  # Nash equilibria of the reduced strategic form, both ways
        assert our_tree_extreme_set(gtu.solve(tree, method="nash"), tree) == gambit_tree_extreme_set(gm, tree)


# ----------------------------------------------------------------------------------------------- random games
@st.composite
def bimatrix_games(draw, max_dim: int = 4, low: int = -2, high: int = 2):
    m, n = draw(st.integers(1, max_dim)), draw(st.integers(1, max_dim))
    matrix = st.lists(st.lists(st.integers(low, high), min_size=n, max_size=n), min_size=m, max_size=m)
    return NormalFormGame.from_arrays(draw(matrix), draw(matrix), players=("Row", "Column"))


@settings(max_examples=150, deadline=None, derandomize=True)
@given(bimatrix_games())
def test_random_bimatrix_games_extreme_equilibria_equal_gambits(game):
    text = nfg_text(game)
    assert parse_gambit(text) == game
    gm = gbt.read_nfg(io.StringIO(text))
    assert_same_normal_form(gm, game)
    result = gtu.solve(game)
    assert result.complete and our_extreme_set(result) == gambit_extreme_set(gm)


def test_degenerate_games_from_the_literature():
    # von Stengel (2007): 3 extreme equilibria, two of them on one segment; a constant game: every
    # pure profile is an equilibrium
    games = [NormalFormGame.from_arrays([[3, 3], [2, 5], [0, 6]], [[3, 3], [2, 6], [3, 1]]),
             NormalFormGame.from_arrays([[1, 1], [1, 1]], [[0, 0], [0, 0]])]
    for game, count in zip(games, (3, 4)):
        gm = to_pygambit(game)
        result = gtu.solve(game)
        assert result.degenerate and our_extreme_set(result) == gambit_extreme_set(gm) and len(result) == count


def random_tree(rng: random.Random, n_players: int, depth: int = 3) -> GameTree:
    names = itertools.count()

    def build(level: int):
        k = next(names)
        if level == 0 or (level < depth and rng.random() < 0.25):
            return Terminal(f"z{k}", tuple(Fraction(rng.randint(-2, 2)) for _ in range(n_players)),
                            rng.choice([None, "peace", "war"]))
        if rng.random() < 0.2:
            weights = [rng.randint(0, 3) for _ in range(rng.randint(2, 3))]
            weights[0] += 1
            total = sum(weights)
            return Chance(f"c{k}", tuple(f"r{j}" for j in range(len(weights))),
                          tuple(Fraction(w, total) for w in weights), tuple(build(level - 1) for _ in weights))
        m = rng.choice([2, 2, 3])
        return Decision(f"d{k}", rng.randrange(n_players), tuple(f"a{j}" for j in range(m)),
                        tuple(build(level - 1) for _ in range(m)))

    return GameTree(tuple(f"P{i + 1}" for i in range(n_players)), build(depth), "random")


@pytest.mark.parametrize("seed", range(40))
def test_random_trees_spe_equal_gambits_subgame_perfect_profiles(seed):
    rng = random.Random(seed)
    while True:  # at most 256 pure profiles, so that Gambit's side can enumerate them
        tree = random_tree(rng, n_players=2 + seed % 2)
        if np.prod([len(n.actions) for n in tree.nodes() if isinstance(n, Decision)]) <= 256:
            break
    text = efg_text(tree)
    assert parse_gambit(text) == tree
    gm = gbt.read_efg(io.StringIO(text))
    assert_same_tree(gm, tree, labels="all")
    result = gtu.solve(tree)
    assert our_pure_spe(result) == gambit_pure_spe(gm, tree)
    if tree.n_players == 2:
        assert our_tree_extreme_set(gtu.solve(tree, method="nash"), tree) == gambit_tree_extreme_set(gm, tree)


# ============================================================================= pygambit conversions
def test_to_and_from_pygambit():
    tree = gtu.load_model("territory").game("sequential", "reassurance-force")
    gm = to_pygambit(tree)
    assert isinstance(gm, gbt.Game) and gm.is_tree
    assert_same_tree(gm, tree, labels="all")
    assert from_pygambit(gm) == tree
    # guarantees repeats outcome labels with different payoffs: pygambit renames them, the rest survives
    tree = gtu.load_model("guarantees").game("sequential", "reassurance-force")
    back = from_pygambit(to_pygambit(tree))
    renamed = [(a.outcome, b.outcome) for a, b in zip(tree.nodes(), back.nodes()) if isinstance(a, Terminal)
               and a.outcome != b.outcome]
    assert renamed and all(same_outcome_label(b, a) for a, b in renamed)
    assert [getattr(n, "payoffs", None) for n in back.nodes()] == [getattr(n, "payoffs", None) for n in tree.nodes()]
    game = gtu.load_model("territory").game("normal", "managed-freeze")
    assert from_pygambit(to_pygambit(game)) == game
    catalog = gbt.catalog.load("journals/other/shapley1974/fig2")
    assert isinstance(from_pygambit(catalog), NormalFormGame)


def test_core_works_without_pygambit_and_names_the_extra(tmp_path):
    code = f"""
import sys
sys.modules["pygambit"] = None   # import pygambit now raises ImportError
import gametheory_ukraine as gtu
from gametheory_ukraine.cli import main
from gametheory_ukraine.io.gambit import OptionalDependencyError, to_pygambit, from_pygambit
out = r"{tmp_path / 'cs.efg'}"
assert main(["export", "chain-store", "--to", "efg", "--form", "sequential", "-o", out]) == 0
model = gtu.load_model(out)
print([e.outcome for e in model.solve()])
assert main(["solve", out]) == 0
for call in (lambda: to_pygambit(model.game()), lambda: from_pygambit(None)):
    try:
        call()
    except OptionalDependencyError as exc:
        print("ERROR:", exc)
print("pygambit loaded:", sys.modules["pygambit"] is not None)
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "['entry accommodated']" in done.stdout and "pygambit loaded: False" in done.stdout
    errors = [line for line in done.stdout.splitlines() if line.startswith("ERROR:")]
    assert len(errors) == 2
    assert all('pip install "gametheory_ukraine[gambit]"' in line and "pygambit" in line for line in errors)


# ============================================================================= the command line
def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("source", (*FRAMEWORK, THREE_PLAYER), ids=lambda s: Path(s).stem)
def test_cli_export_both_forms_then_solve_the_files(capsys, tmp_path, source):
    """Every form the model states (a model without a stated normal form exports its tree only)."""
    model = gtu.load_model(source)
    name, forms = model.name, [form for form in FORMATS if form in model.forms]
    assert "sequential" in forms
    for form in forms:
        suffix = FORMATS[form]
        path = tmp_path / f"{name}-{form}.{suffix}"
        code, _, err = run(capsys, "export", source, "--to", suffix, "--form", form, "--scenario", "baseline-2025",
                           "-o", path)
        assert code == 0 and f"{name} -> {path}" in err and path.is_file()
        code, out, _ = run(capsys, "solve", path, "--format", "json")
        assert code == 0
        from_file = json.loads(out)
        code, out, _ = run(capsys, "solve", source, "--form", form, "--scenario", "baseline-2025", "--format", "json")
        direct = json.loads(out)
        assert from_file["model"] == f"{name}-{form}" and from_file["form"] == form
        assert from_file["equilibria"] == direct["equilibria"] and from_file["complete"] == direct["complete"]
        code, out, _ = run(capsys, "solve", path)
        assert code == 0 and "war continues" in out


def test_cli_export_with_parameters_and_show_the_file(capsys, tmp_path):
    path = tmp_path / "cs.nfg"
    code, _, _ = run(capsys, "export", "chain-store", "--to", "nfg", "-p", "c_I=1/3", "-o", path)
    gm = gambit_read(path)
    assert code == 0 and F(gm[(1, 0)][list(gm.players)[1]]) == Fraction(-1, 3)
    code, out, _ = run(capsys, "show", path)
    assert code == 0 and "c_I=1/3" in out and "normal: " in out


CLI_ERRORS = [
    (["export", "chain-store", "--to", "efg", "--form", "normal", "-o", "{tmp}/x.efg"],
     "--form: --to efg needs a sequential form"),
    (["export", "chain-store", "--to", "nfg", "--form", "sequential", "-o", "{tmp}/x.nfg"],
     "--to nfg needs a normal form"),
    (["export", "chain-store", "--to", "nfg", "-o", "{tmp}/x.txt"], "cannot tell the format from the suffix '.txt'"),
    (["export", "chain-store", "--to", "efg", "--form", "sequential", "-o", "{tmp}/x.nfg"],
     "use a file name ending in"),
    (["export", "chain-store", "--to", "nfg", "-o", "{tmp}/missing/x.nfg"], "does not exist"),
    (["solve", "{tmp}/game.gbt"], "cannot tell the file type from the suffix '.gbt'"),
    (["solve", "{tmp}/bad.nfg"], "bad.nfg: line 3, column 3: expected a number"),
    (["solve", "{tmp}/tree.nfg"], "holds an extensive-form game (EFG) but is named .nfg (fix: rename it to tree.efg)"),
    (["solve", "{tmp}/missing.efg"], "missing.efg: no such file"),
    (["solve", "{tmp}/ok.efg", "--form", "normal"], "has no form 'normal' (fix: use one of sequential)"),
    (["solve", "{tmp}/ok.efg", "--scenario", "baseline-2025"], "has no scenario 'baseline-2025'"),
]


@pytest.mark.parametrize("argv, message", CLI_ERRORS, ids=[" ".join(a[:2]) + f" {k}" for k, (a, _) in
                                                             enumerate(CLI_ERRORS)])
def test_cli_errors_are_one_line_and_exit_2(capsys, tmp_path, argv, message):
    (tmp_path / "game.gbt").write_text("whatever")
    (tmp_path / "bad.nfg").write_text('NFG 1 R "t" { "A" "B" } { 1 1 }\n\n1 oops\n')
    (tmp_path / "ok.efg").write_text(efg_text(gtu.load_model("chain-store").game("sequential")))
    (tmp_path / "tree.nfg").write_text((tmp_path / "ok.efg").read_text())
    code, out, err = run(capsys, *[a.format(tmp=tmp_path) for a in argv])
    assert code == 2 and out == ""
    assert err.startswith("gtu: error: ") and err.count("\n") == 1 and "Traceback" not in err
    assert message in err
    assert not list(tmp_path.glob("x.*")) and not list(tmp_path.glob(".x.*"))
