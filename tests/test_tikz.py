"""TikZ export (``gtu export --to tikz``), checked by parsing the TikZ: one node per tree node, one edge per move,
a dashed line between neighbouring nodes of each information set, bold edges exactly on the equilibrium's path
(walked here from the equilibrium's behaviour strategies), the game's payoffs at the leaves, chance probabilities
on chance edges; payoff tables with the hand-derived best responses underlined. No LaTeX is run here.

Independent sources: the chain store's subgame-perfect path (enter, acquiesce) is Selten's (1978); the trees'
payoffs are read from the game objects; the best responses of the Prisoner's dilemma are Osborne's (2004,
figure 15.1: Fink against everything).
"""

from __future__ import annotations

import re
from fractions import Fraction as F

import pytest

import gametheory_ukraine as gtu
from gametheory_ukraine.cli.app import main
from gametheory_ukraine.core.errors import ParameterError
from gametheory_ukraine.games.normal_form import NormalFormGame
from gametheory_ukraine.games.tree import Chance, Decision, GameTree, Terminal
from gametheory_ukraine.output.tikz import normal_form_tikz, tree_tikz

NODE = re.compile(r"^\\node\[gtu (decision|chance|terminal)(.*)\] \((n\d+)\) at \((-?[\d.]+), (-?[\d.]+)\) \{\};")
EDGE = re.compile(r"^\\draw\[gtu (edge|choice|path)\] \((n\d+)\) -- node\[gtu action, [a-z ]+\] \{(.*)\} \((n\d+)\);$")
INFOSET = re.compile(r"^\\draw\[gtu infoset\] \((n\d+)\) -- \((n\d+)\);")
PAYOFF = re.compile(r"^\\node\[gtu payoff\] \(payoff-(n\d+)\) at \((n\d+)\) \{\$\((.*)\)\$\}; % payoffs: (.*)$")


def parse(text: str) -> dict:
    out: dict = {"nodes": {}, "edges": [], "infosets": [], "payoffs": {}, "players": {}}
    for line in text.splitlines():
        if m := NODE.match(line):
            out["nodes"][m.group(3)] = m.group(1)
            if label := re.search(r"above:\{(.*?)\}\}", m.group(2)):
                out["players"][m.group(3)] = label.group(1)
        elif m := EDGE.match(line):
            out["edges"].append((m.group(1), m.group(2), m.group(3), m.group(4)))
        elif m := INFOSET.match(line):
            out["infosets"].append((m.group(1), m.group(2)))
        elif m := PAYOFF.match(line):
            assert m.group(1) == m.group(2)
            out["payoffs"][m.group(1)] = (m.group(3), [F(v.strip()) for v in m.group(4).split(",")])
    return out


def shown_number(text: str) -> float:
    """A payoff as typeset: ``5``, ``-\\tfrac{1}{2}``, ``6.365``."""
    text = text.strip()
    if m := re.fullmatch(r"(-?)\\tfrac\{(\d+)\}\{(\d+)\}", text):
        return (-1 if m.group(1) else 1) * int(m.group(2)) / int(m.group(3))
    return float(text)


def path_edges(tree, equilibrium) -> set[tuple[str, int]]:
    """(node name, action index) of every move on the path of play: moves of positive probability from the root."""
    found = set()
    stack = [tree.root]
    while stack:
        node = stack.pop()
        if isinstance(node, Terminal):
            continue
        probs = (node.probabilities if isinstance(node, Chance)
                 else equilibrium.strategies[node.player][node.infoset])
        for k, child in enumerate(node.children):
            if probs[k] != 0:
                found.add((node.name, k))
                stack.append(child)
    return found


def check_tree(tree, text: str, equilibrium=None) -> dict:
    got = parse(text)
    nodes = list(tree.nodes())
    names = {f"n{k}": node for k, node in enumerate(nodes)}
    assert set(got["nodes"]) == set(names)
    for key, node in names.items():
        kind = {Decision: "decision", Chance: "chance", Terminal: "terminal"}[type(node)]
        assert got["nodes"][key] == kind
        if isinstance(node, Decision):
            assert got["players"][key] == tree.players[node.player]
    edges = {(parent, child) for _, parent, _, child in got["edges"]}
    expected = {(f"n{nodes.index(node)}", f"n{nodes.index(child)}") for node in nodes
                if not isinstance(node, Terminal) for child in node.children}
    assert edges == expected and len(got["edges"]) == len(nodes) - 1
    for _, parent, label, child in got["edges"]:   # the action's name on its edge
        node = names[parent]
        k = [f"n{nodes.index(c)}" for c in node.children].index(child)
        assert label.startswith(node.actions[k].split()[0])
    n_dashed = sum(len(info.nodes) - 1 for info in tree.infosets().values())
    assert len(got["infosets"]) == n_dashed
    leaves = {key: node for key, node in names.items() if isinstance(node, Terminal)}
    assert set(got["payoffs"]) == set(leaves)
    for key, leaf in leaves.items():
        shown, exact = got["payoffs"][key]
        assert exact == [F(v) for v in leaf.payoffs]
        assert [shown_number(v) for v in shown.split(", ")] == pytest.approx([float(v) for v in leaf.payoffs],
                                                                              rel=5e-4)
    if equilibrium is not None:
        bold = {(names[parent].name, [f"n{nodes.index(c)}" for c in names[parent].children].index(child))
                for style, parent, _, child in got["edges"] if style == "path"}
        assert bold == path_edges(tree, equilibrium)
    else:
        assert all(style == "edge" for style, *_ in got["edges"])
    return got


def test_chain_store_path_is_seltens():
    tree = gtu.load_model("chain-store").game("sequential")
    eq = gtu.solve(tree)[0]
    got = check_tree(tree, tree_tikz(tree, equilibrium=eq), eq)
    bold = sorted(label for style, _, label, _ in got["edges"] if style == "path")
    assert bold == ["acquiesce", "enter"]                       # Selten (1978): enter, then acquiesce


@pytest.mark.parametrize("name", ["territory", "nato", "guarantees"])
def test_framework_trees_at_the_baseline(name):
    tree = gtu.load_model(name).game("sequential", "baseline-2025")
    eq = gtu.solve(tree)[0]
    check_tree(tree, tree_tikz(tree, equilibrium=eq), eq)
    check_tree(tree, tree_tikz(tree))                           # no equilibrium: no bold edge


def imperfect_tree() -> GameTree:
    """Nature picks good (1/3) or bad (2/3) and tells Player 1, who chooses C or D; Player 2 sees neither and
    chooses L or R at one information set of four nodes."""
    def second(tag: str, a: int) -> Decision:
        leaves = tuple(Terminal(f"{tag}{a}{b}", (F(a + b + (tag == "g")), F(a - b, 2))) for b in range(2))
        return Decision(f"p2_{tag}{a}", 1, ("L", "R"), leaves, infoset="h2")

    firsts = tuple(Decision(f"p1_{tag}", 0, ("C", "D"), (second(tag, 0), second(tag, 1))) for tag in ("g", "b"))
    return GameTree(("Player 1", "Player 2"), Chance("nature", ("good", "bad"), (F(1, 3), F(2, 3)), firsts))


def test_information_sets_and_chance_probabilities():
    tree = imperfect_tree()
    tree.validate()
    eq = gtu.solve(tree)[0]
    text = tree_tikz(tree, equilibrium=eq)
    got = check_tree(tree, text, eq)
    assert len(got["infosets"]) == 3                            # four nodes in one set: three dashed links
    chance = [label for _, parent, label, _ in got["edges"] if got["nodes"][parent] == "chance"]
    assert chance == [r"good\\$(\tfrac{1}{3})$", r"bad\\$(\tfrac{2}{3})$"]
    assert "Chance" in text


def test_standalone_document_and_fragment():
    tree = gtu.load_model("chain-store").game("sequential")
    full = tree_tikz(tree)
    assert full.startswith(r"\documentclass[tikz") and r"\end{document}" in full and "standalone" in full
    fragment = tree_tikz(tree, fragment=True)
    assert r"\documentclass" not in fragment and fragment.count(r"\begin{tikzpicture}") == 1
    for text in (full, fragment):
        assert text.count("{") == text.count("}") and text.count(r"\begin{") == text.count(r"\end{")


def test_normal_form_table_with_best_responses():
    pd = NormalFormGame.from_arrays([[2, 0], [3, 1]], [[2, 3], [0, 1]], actions=[["Quiet", "Fink"], ["Quiet", "Fink"]])
    text = normal_form_tikz(pd, best_responses=True)
    assert text.count(r"\begin{tabular}") == 1 and r"\node[gtu note, anchor=north west] (legend)" in text
    rows = re.findall(r"^(Quiet|Fink) & (.*) \\\\$", text, flags=re.M)
    cells = {a: [c.strip() for c in rest.split("&")] for a, rest in rows}
    assert cells == {"Quiet": ["$2, 2$", r"$0, \underline{3}$"],
                     "Fink": [r"$\underline{3}, 0$", r"$\underline{1}, \underline{1}$"]}
    assert r"\underline" not in normal_form_tikz(pd)
    # three players: one tabular per action of the third
    three = NormalFormGame.from_arrays(*([[[1, 0], [0, 1]], [[0, 1], [1, 0]]] for _ in range(3)))
    assert normal_form_tikz(three).count(r"\begin{tabular}") == 2


def test_cli(tmp_path, capsys):
    out = tmp_path / "t.tex"
    assert main(["export", "territory", "--to", "tikz", "--scenario", "baseline-2025", "-o", str(out)]) == 0
    tree = gtu.load_model("territory").game("sequential", "baseline-2025")
    check_tree(tree, out.read_text(), gtu.solve(tree)[0])
    assert out.read_text().startswith(r"\documentclass")
    frag = tmp_path / "f.tex"
    assert main(["export", "nato", "--to", "tikz", "--form", "normal", "--best-responses", "--tikz-fragment",
                 "-o", str(frag)]) == 0
    assert r"\documentclass" not in frag.read_text() and r"\underline" in frag.read_text()
    assert main(["export", "settlement", "--to", "tikz", "-o", str(tmp_path / "s.tex")]) == 2
    assert "terminal nodes" in capsys.readouterr().err
    with pytest.raises(ParameterError, match="terminal nodes"):
        tree_tikz(gtu.load_model("settlement").game("sequential"))
