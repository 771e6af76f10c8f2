"""Tree drawings: every bundled sequential model draws with one label per node, edge and terminal; the
equilibrium path is exactly the equilibrium's choices on the path; information sets are dashed links; no
two labels overlap and no label covers an edge."""

from __future__ import annotations

import itertools
from fractions import Fraction as F

import matplotlib

matplotlib.use("Agg")  # pyplot is only imported to check that drawing leaves it alone

import numpy as np
import pytest
import sympy
from conftest import THREE_PLAYER

import gametheory_ukraine as gtu
from gametheory_ukraine.core.errors import OutputError, ParameterError
from gametheory_ukraine.games.tree import Chance, Decision, GameTree, Terminal
from gametheory_ukraine.output.tree_drawing import PATH_COLOUR, draw_tree, save_tree

SEQUENTIAL = [name for name in gtu.list_models() if "sequential" in gtu.load_model(name).forms
              and name != "settlement"]   # 288 terminal nodes: refused, see the test below


def test_a_tree_too_large_to_read_is_refused_with_the_way_out():
    """settlement's tree (288 terminal nodes) is past MAX_DRAWN_LEAVES: one refusal naming the size and Gambit."""
    from gametheory_ukraine.output.tree_drawing import MAX_DRAWN_LEAVES

    tree = gtu.load_model("settlement").game("sequential")
    assert MAX_DRAWN_LEAVES < 288
    with pytest.raises(ParameterError, match="288 terminal nodes") as err:
        draw_tree(tree)
    assert "--to efg" in err.value.fix


def test_every_bundled_model_with_a_sequential_form_is_tested():
    assert set(SEQUENTIAL) >= {"territory", "nato", "guarantees", "chain-store"}


def texts(fig, prefix):
    return [t for t in fig.axes[0].texts if (t.get_gid() or "").startswith(prefix)]


def lines(fig, prefix):
    return [ln for ln in fig.axes[0].lines if (ln.get_gid() or "").startswith(prefix)]


def edges(tree):
    return [(node, k) for node in tree.nodes() if not isinstance(node, Terminal) for k in range(len(node.children))]


def pennies():
    """Matching pennies as a tree: Col does not see Row's coin (one information set of two nodes)."""
    a = Decision("a", 1, ("h", "t"), (Terminal("ah", (F(1), F(-1)), "match"), Terminal("at", (F(-1), F(1)))), "col")
    b = Decision("b", 1, ("h", "t"), (Terminal("bh", (F(-1), F(1))), Terminal("bt", (F(1), F(-1)), "match")), "col")
    tree = GameTree(("Row", "Col"), Decision("r", 0, ("H", "T"), (a, b)), "pennies")
    tree.validate()
    return tree


def on_path_choices(tree, eq):
    """(node name, action index) of the equilibrium's moves on its path of play, walked from the root."""
    out, stack = set(), [tree.root]
    while stack:
        node = stack.pop()
        if isinstance(node, Terminal):
            continue
        for k, child in enumerate(node.children):
            if isinstance(node, Decision):
                p = eq.strategies[node.player][node.infoset][k]
            else:
                p = node.probabilities[k]
            if p > 0:
                out.add((node.name, k))
                stack.append(child)
    return out


def all_choices(tree, eq):
    return {(node.name, k) for node in tree.nodes() if isinstance(node, Decision)
            for k, p in enumerate(eq.strategies[node.player][node.infoset]) if p > 0}


@pytest.mark.parametrize("name", SEQUENTIAL)
def test_bundled_trees_draw_one_label_per_node_edge_and_terminal(name):
    tree = gtu.load_model(name).game("sequential")
    fig = draw_tree(tree, equilibrium=gtu.solve(tree)[0])
    nodes = list(tree.nodes())
    terminals = [n for n in nodes if isinstance(n, Terminal)]
    inner = [n for n in nodes if not isinstance(n, Terminal)]
    assert sorted(t.get_gid() for t in texts(fig, "payoff:")) == sorted(f"payoff:{n.name}" for n in terminals)
    assert len(texts(fig, "outcome:")) == sum(1 for n in terminals if n.outcome)
    assert len(texts(fig, "player:")) == len(inner)
    assert len(texts(fig, "action:")) == len(edges(tree))
    assert len(lines(fig, "edge")) == len(edges(tree))
    assert len(lines(fig, "node:")) == len(nodes)
    # the payoff vectors as drawn: e.g. chain-store's "(1, 5)" for staying out
    drawn = {t.get_gid()[len("payoff:"):]: t.get_text() for t in texts(fig, "payoff:")}
    for leaf in terminals:
        values = [v for v in leaf.payoffs]
        if all(isinstance(v, F) and len(str(v)) <= 7 for v in values):
            assert drawn[leaf.name] == "(" + ", ".join(str(v) for v in values) + ")"
    # players at the nodes, chance nodes labelled "Chance"
    movers = {t.get_gid()[len("player:"):]: t.get_text() for t in texts(fig, "player:")}
    for node in inner:
        assert movers[node.name] == (tree.players[node.player] if isinstance(node, Decision) else "Chance")


def test_chain_store_drawing_content():
    tree = gtu.load_model("chain-store").game("sequential")
    fig = draw_tree(tree, equilibrium=gtu.solve(tree)[0])
    assert sorted(t.get_text() for t in texts(fig, "payoff:")) == ["(0, 0)", "(1, 5)", "(2, 2)"]
    assert {t.get_text() for t in texts(fig, "action:")} == {"stay out", "enter", "fight", "acquiesce"}
    assert " ".join(texts(fig, "title")[0].get_text().split()) == tree.title
    assert texts(fig, "payoff-order")[0].get_text() == "payoffs: (Entrant, Incumbent)"


@pytest.mark.parametrize("name", SEQUENTIAL)
def test_the_highlighted_edges_are_the_equilibrium_choices(name):
    model = gtu.load_model(name)
    for scenario in [None, *model.scenarios]:
        tree = model.game("sequential", scenario)
        for eq in gtu.solve(tree):
            fig = draw_tree(tree, equilibrium=eq)
            path = {tuple(ln.get_gid().split(":")[1:]) for ln in lines(fig, "edge-path:")}
            chosen = {tuple(ln.get_gid().split(":")[1:]) for ln in lines(fig, "edge-chosen:")}
            expected_path = {(n, str(k)) for n, k in on_path_choices(tree, eq)}
            assert path == expected_path
            assert path  # play always leaves the root
            off = {(n, str(k)) for n, k in all_choices(tree, eq)} - expected_path
            assert chosen == off
            for ln in lines(fig, "edge-path:"):
                assert ln.get_color() == PATH_COLOUR and ln.get_linewidth() > 3
            for ln in lines(fig, "edge:"):
                assert ln.get_linewidth() < 1.5


def test_the_territory_path_follows_the_backward_induction_outcome():
    tree = gtu.load_model("territory").game("sequential")
    eq = gtu.solve(tree)[0]
    fig = draw_tree(tree, equilibrium=eq)
    path = sorted(ln.get_gid() for ln in lines(fig, "edge-path:"))
    # Russia demands all of Donbas, Ukraine fights on (models/README.md: war continues at the defaults)
    assert eq.outcome == "war continues"
    assert path == ["edge-path:russia_demand:0", "edge-path:ukraine_on_donbas:1"]


def test_without_an_equilibrium_nothing_is_highlighted():
    tree = gtu.load_model("nato").game("sequential")
    fig = draw_tree(tree)
    assert not lines(fig, "edge-path") and not lines(fig, "edge-chosen")
    assert len(lines(fig, "edge:")) == len(edges(tree))
    legend = fig.axes[0].get_legend()
    assert legend is None or "equilibrium path" not in [t.get_text() for t in legend.get_texts()]


def test_information_sets_are_dashed_links_and_mixed_choices_are_labelled():
    tree = pennies()
    eq = gtu.solve(tree)[0]
    assert eq.strategies[1]["col"] == (F(1, 2), F(1, 2))
    fig = draw_tree(tree, equilibrium=eq)
    (link,) = lines(fig, "infoset:")
    assert link.get_gid() == "infoset:col"
    assert link.get_linestyle() == "--"
    nodes = {ln.get_gid(): np.column_stack(ln.get_data())[0] for ln in lines(fig, "node:")}
    ends = np.column_stack(link.get_data())
    assert np.allclose(sorted(map(tuple, ends)), sorted([tuple(nodes["node:a"]), tuple(nodes["node:b"])]))
    # every move is played with probability 1/2: all six edges are on the path, each labelled with sigma
    assert len(lines(fig, "edge-path:")) == 6
    assert all(t.get_text().endswith("σ=1/2") for t in texts(fig, "action:"))
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert "information set" in legend and "equilibrium path" in legend


def test_bundled_trees_have_information_set_links_only_at_micro_deals_stages():
    """Every bundled tree is of perfect information but micro-deals, whose 12 rungs are simultaneous stages: one
    dashed link per stage, joining the second mover's two nodes."""
    for name in SEQUENTIAL:
        tree = gtu.load_model(name).game("sequential")
        links = lines(draw_tree(tree), "infoset:")
        if name == "micro-deals":
            assert not tree.perfect_information
            assert sorted(ln.get_gid() for ln in links) == sorted(
                f"infoset:{label}" for label, info in tree.infosets().items() if len(info.nodes) == 2)
            assert len(links) == 12
        else:
            assert tree.perfect_information and not links


def test_chance_edges_show_their_probabilities():
    tree = gtu.load_model("guarantees").game("sequential")
    fig = draw_tree(tree)
    labels = {t.get_gid(): t.get_text() for t in texts(fig, "action:")}
    for node in tree.nodes():
        if isinstance(node, Chance):
            for k, (action, p) in enumerate(zip(node.actions, node.probabilities)):
                assert labels[f"action:{node.name}:{k}"].split("\n") == [action, f"({p})"]
    assert any(isinstance(n, Chance) for n in tree.nodes())


def test_symbolic_trees_list_their_payoffs_in_a_key():
    tree = gtu.load_model("guarantees").symbolic("sequential")
    fig = draw_tree(tree)
    terminals = [n for n in tree.nodes() if isinstance(n, Terminal)]
    keys = texts(fig, "key:")
    assert len(keys) == len(terminals)
    assert sorted(t.get_text() for t in texts(fig, "payoff:")) == sorted(f"[{k + 1}]" for k in range(len(terminals)))
    joined = "\n".join(" ".join(t.get_text().split()) for t in keys)
    for leaf in terminals:
        for player, value in zip(tree.players, leaf.payoffs):
            assert f"{player}: {sympy.sstr(value)}" in joined
    # chance probabilities stay symbolic on the edges (the guarantor is soft with probability 1 - q, the US stays
    # out with probability 1 - pi_air)
    edges = [t.get_text() for t in texts(fig, "action:")]
    assert any(e.endswith("(1 - q)") for e in edges) and any(e.endswith("(1 - pi_air)") for e in edges)


def test_small_symbolic_payoffs_stand_under_the_nodes():
    fig = draw_tree(gtu.load_model("chain-store").symbolic("sequential"))
    assert sorted(t.get_text() for t in texts(fig, "payoff:")) == ["(-c_E, -c_I)", "(d, d)", "(o_E, m)"]
    assert not texts(fig, "key:")


def test_numbers_are_compact():
    tree = gtu.load_model("territory").game("sequential")
    fig = draw_tree(tree)
    drawn = {t.get_gid(): t.get_text() for t in texts(fig, "payoff:")}
    settle = next(n for n in tree.nodes() if n.name == "donbas_settlement")
    assert len(str(settle.payoffs[0])) > 7            # a long exact fraction ...
    assert drawn["payoff:donbas_settlement"] == "(≈{:.4g}, ≈{:.4g})".format(*map(float, settle.payoffs))
    floats = draw_tree(gtu.load_model("chain-store").game("sequential", exact=False, c_E=0.25))
    assert "(-0.25, 0)" in {t.get_text() for t in texts(floats, "payoff:")}


def overlapping_texts(fig):
    renderer = fig.canvas.get_renderer()
    boxes = [(t.get_gid(), t.get_window_extent(renderer)) for t in fig.axes[0].texts]
    return [(a, b) for (a, x), (b, y) in itertools.combinations(boxes, 2) if x.overlaps(y)]


def labels_on_edges(fig):
    """(edge, label) pairs where an edge runs through a label other than its own action and the movers."""
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    boxes = [(t.get_gid(), t.get_window_extent(renderer)) for t in ax.texts]
    hits = []
    for line in lines(fig, "edge"):
        _, node, k = line.get_gid().split(":")
        ends = ax.transData.transform(np.column_stack(line.get_data()))
        pts = ends[0] + np.linspace(0, 1, 400)[:, None] * (ends[1] - ends[0])
        for gid, box in boxes:
            if gid == f"action:{node}:{k}" or gid.startswith("player:"):
                continue
            inside = (pts[:, 0] > box.x0) & (pts[:, 0] < box.x1) & (pts[:, 1] > box.y0) & (pts[:, 1] < box.y1)
            if inside.any():
                hits.append((line.get_gid(), gid))
    return hits


@pytest.mark.parametrize("name", SEQUENTIAL)
def test_labels_never_overlap(name):
    model = gtu.load_model(name)
    for scenario in [None, *model.scenarios]:
        tree = model.game("sequential", scenario)
        fig = draw_tree(tree, equilibrium=gtu.solve(tree)[0])
        assert overlapping_texts(fig) == []
        assert labels_on_edges(fig) == []
    symbolic = draw_tree(model.symbolic("sequential"))
    assert overlapping_texts(symbolic) == []
    assert labels_on_edges(symbolic) == []


def test_the_figure_grows_with_the_tree():
    """chain-store's 5 nodes against the 3-player fixture's 18 (the previous guarantees model)."""
    small = draw_tree(gtu.load_model("chain-store").game("sequential"))
    large = draw_tree(gtu.load_model(THREE_PLAYER).game("sequential"))
    (w1, h1), (w2, h2) = small.get_size_inches(), large.get_size_inches()
    assert w2 > 2 * w1 and h2 > h1
    assert w2 < 40 and h2 < 20


def test_drawing_into_given_axes_and_the_method():
    from matplotlib.figure import Figure

    tree = gtu.load_model("chain-store").game("sequential")
    fig = Figure(figsize=(3, 2))
    ax = fig.add_subplot()
    assert draw_tree(tree, ax=ax, title="") is fig
    assert tuple(fig.get_size_inches()) == (3, 2)
    assert len(texts(fig, "payoff:")) == 3 and not texts(fig, "title")
    via_method = draw_tree(tree, equilibrium=gtu.solve(tree)[0], title="custom")
    assert texts(via_method, "title")[0].get_text() == "custom"
    assert len(lines(via_method, "edge-path:")) == 2


def test_drawing_leaves_pyplot_alone():
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    draw_tree(gtu.load_model("nato").game("sequential"))
    assert plt.get_fignums() == before


def test_dollar_signs_are_not_mathtext():
    tree = GameTree(("A", "B"), Decision("r", 0, ("pay $5", "pay $6"),
                                         (Terminal("x", (F(1), F(0))), Terminal("y", (F(0), F(1))))), "costs in $")
    fig = draw_tree(tree)
    fig.canvas.draw()   # would raise on unbalanced mathtext
    assert r"pay \$5" in {t.get_text() for t in texts(fig, "action:")}


def test_a_wrong_equilibrium_is_refused():
    tree = gtu.load_model("chain-store").game("sequential")
    result = gtu.solve(tree)
    with pytest.raises(TypeError, match="result\\[0\\]"):
        draw_tree(tree, equilibrium=result)
    other = gtu.solve(gtu.load_model("nato").game("sequential"))[0]
    with pytest.raises(ValueError, match="information set"):
        draw_tree(tree, equilibrium=other)
    with pytest.raises(ValueError, match="players"):
        draw_tree(gtu.load_model("guarantees").game("sequential"), equilibrium=result[0])


def test_save_tree_checks_the_path_first(tmp_path, monkeypatch):
    from gametheory_ukraine.output import tree_drawing

    def boom(*args, **kwargs):  # drawing must not start for a bad path
        raise AssertionError("drew before checking the path")

    tree = gtu.load_model("chain-store").game("sequential")
    monkeypatch.setattr(tree_drawing, "draw_tree", boom)
    with pytest.raises(OutputError, match="suffix"):
        save_tree(tree, tmp_path / "tree.pdf")
    with pytest.raises(OutputError, match="does not exist"):
        save_tree(tree, tmp_path / "missing" / "tree.png")
    assert list(tmp_path.iterdir()) == []


def test_save_tree_writes_png_and_svg(tmp_path):
    tree = gtu.load_model("chain-store").game("sequential")
    png = save_tree(tree, tmp_path / "t.png")
    svg = save_tree(tree, tmp_path / "t.svg", equilibrium=gtu.solve(tree)[0])
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert svg.read_text().count('id="edge-path:') == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.png", "t.svg"]
