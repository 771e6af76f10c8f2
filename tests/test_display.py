"""Rich display: HTML and LaTeX of models, games, trees and equilibrium sets hold the real content, escape
text, and reach Jupyter (IPython's formatter and a real kernel); plain reprs stay short."""

from __future__ import annotations

import html
import re
from fractions import Fraction as F
from html.parser import HTMLParser

import pytest
import sympy
from conftest import THREE_PLAYER

import gametheory_ukraine as gtu
from gametheory_ukraine.games.normal_form import NormalFormGame
from gametheory_ukraine.games.tree import Decision, GameTree, Terminal
from gametheory_ukraine.output import display
from gametheory_ukraine.output.latex import math_text

MODELS = gtu.list_models()
VOID = {"br", "img", "hr", "meta", "input", "link"}


class TagChecker(HTMLParser):
    """Checks that HTML tags nest and close (SVG elements may self-close)."""

    def __init__(self):
        super().__init__()
        self.stack, self.errors, self.text = [], [], []

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        pass

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)


def check_html(text):
    checker = TagChecker()
    checker.feed(text)
    checker.close()
    assert checker.errors == [] and checker.stack == []
    return html.unescape(" ".join(checker.text))


def check_latex(text):
    """$$-delimited math with balanced braces and environments."""
    assert text.startswith("$$\n") and text.endswith("\n$$")
    body = text[3:-3]
    assert "$" not in body.replace(r"\$", "")
    depth = 0
    for m in re.finditer(r"\\.|[{}]", body):
        if m.group() == "{":
            depth += 1
        elif m.group() == "}":
            depth -= 1
        assert depth >= 0
    assert depth == 0
    assert body.count(r"\begin{array}") == body.count(r"\end{array}") > 0
    return body


def tricky_game():
    return NormalFormGame.from_arrays([[1, F(1, 2)], [0, 3]], [[2, 0], [F(-7, 3), 1]],
                                      players=["A<b>", "B & C"], actions=[["x < y", "50% _z"], ["p", "q$"]],
                                      title="<script>alert(1)</script>")


# ----------------------------------------------------------------------------------------------- models
@pytest.mark.parametrize("name", MODELS)
def test_model_html_has_every_parameter_with_its_source(name):
    model = gtu.load_model(name)
    raw = model._repr_html_()
    text = check_html(raw)
    assert model.title in text
    for p in model.parameters.values():
        assert p.name in text
        assert " ".join(p.source.split()) in " ".join(text.split())
        assert " ".join(p.description.split()) in " ".join(text.split())
    for s in model.scenarios.values():
        assert s.name in text
    for form in model.forms:
        assert form in text


def test_model_html_symbols_and_escaping():
    text = gtu.load_model("nato")._repr_html_()
    assert "π<sub>N</sub>" in text and "<td" in text
    assert "τ" in text and "\\tau" not in text
    assert "Stanovaya (2025): &quot;" in text        # quotes in sources are escaped


@pytest.mark.parametrize("name", MODELS)
def test_model_latex(name):
    model = gtu.load_model(name)
    body = check_latex(model._repr_latex_())
    for p in model.parameters.values():
        assert math_text(p.name) in body
    assert body.count(r"\hline") == 1 + bool(model.scenarios)
    # descriptions and sources are wrapped into lines of at most 60 characters
    table = body[body.index(r"\begin{array}{llllll}"):]
    assert max(len(m) for m in re.findall(r"\\text\{([^{}]*)\}", table)) <= 60


# ------------------------------------------------------------------------------------------------ games
def test_game_html_exact_values_in_the_right_cells():
    game = gtu.load_model("chain-store").game("normal", c_E="1/2")
    text = check_html(game._repr_html_())
    rows = re.findall(r"<tr>(.*?)</tr>", game._repr_html_(), flags=re.S)
    cells = [[html.unescape(re.sub(r"<[^>]+>", " ", c)).split() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r)]
             for r in rows]
    assert [" ".join(c) for c in cells[0]] == ["Entrant \\ Incumbent", "fight", "acquiesce"]
    assert [" ".join(c) for c in cells[1]] == ["stay out", "1, 5 entry deterred", "1, 5 entry deterred"]
    assert [" ".join(c) for c in cells[2]] == ["enter", "-1/2, 0 entry fought", "2, 2 entry accommodated"]
    assert "2×2, exact payoffs" in text


def test_game_html_symbolic_and_n_players():
    sym = check_html(gtu.load_model("chain-store").symbolic("normal")._repr_html_())
    assert "-c_E, -c_I" in sym and "symbolic payoffs" in sym and "parameters: c_E, c_I, d, m, o_E" in sym
    game = gtu.load_model(THREE_PLAYER).game("normal")
    raw = game._repr_html_()
    text = check_html(raw)
    assert raw.count("<table") == 3
    for action in game.actions[2]:
        assert f"Europe plays {action}:" in text
    assert "5, 5/2, 0" in text


def test_game_latex():
    exact = check_latex(gtu.load_model("chain-store").game("normal", c_E="1/2")._repr_latex_())
    assert r"\text{enter} & -\tfrac{1}{2}, 0 & 2, 2 \\" in exact
    sym = check_latex(gtu.load_model("chain-store").symbolic("normal")._repr_latex_())
    assert "- c_{E}, - c_{I}" in sym
    three = check_latex(gtu.load_model(THREE_PLAYER).game("normal")._repr_latex_())
    assert three.count(r"\begin{array}{l|cc}") == 3 and r"\text{Europe plays troops}" in three
    floats = check_latex(gtu.load_model("chain-store").game("normal", exact=False)._repr_latex_())
    assert "1, 5" in floats and "tfrac" not in floats


def test_text_is_escaped():
    game = tricky_game()
    raw = game._repr_html_()
    assert "<script>" not in raw and "&lt;script&gt;" in raw
    assert "A&lt;b&gt; \\ B &amp; C" in raw and "x &lt; y" in raw
    text = check_html(raw)
    assert "1, 2" in text and "1/2, 0" in text and "0, -7/3" in text
    latex = check_latex(game._repr_latex_())
    assert r"\text{A<b> }\backslash\text{ B }\&\text{ C}" in latex and r"\text{50}\%\text{ }\_\text{z}" in latex
    assert r"\text{q}\$" in latex and r"-\tfrac{7}{3}" in latex


# ------------------------------------------------------------------------------------------------ trees
def test_tree_html_with_picture_and_plays():
    tree = gtu.load_model("territory").game("sequential")
    raw = tree._repr_html_()
    text = check_html(raw)
    assert raw.count("<svg") == 1 and 'id="payoff:donbas_settlement"' in raw
    assert "22 nodes (12 terminal)" in text and "perfect information" in text
    assert "Russia: demand all of Donbas → Ukraine: fight on" in text
    assert "war continues" in text and "5/2" in text
    assert display.tree_html(tree) == raw                            # deterministic notebook output


def test_tree_html_escapes_and_symbolic():
    leaf = Terminal("x", (sympy.Symbol("a") / 2, F(1)), "A & B <win>")
    tree = GameTree(("P<1>", "P2"), Decision("r", 0, ("go & see", "stop"), (leaf, Terminal("y", (F(0), F(0))))),
                    "<i>title</i>")
    raw = display.tree_html(tree)
    assert "<i>" not in raw and "<win>" not in raw and "P<1>" not in raw
    text = check_html(raw)
    assert "P<1>: go & see" in text and "A & B <win>" in text and "a/2" in text
    latex = check_latex(tree._repr_latex_())
    assert r"\frac{a}{2}" in latex and r"\text{P<1>: go }\&\text{ see}" in latex


def test_large_trees_are_shown_without_a_picture(monkeypatch):
    monkeypatch.setattr(display, "MAX_PICTURE_NODES", 3)
    raw = gtu.load_model("chain-store").game("sequential")._repr_html_()
    assert "<svg" not in raw and "<details open>" in raw


def test_tree_latex_lists_every_play():
    tree = gtu.load_model(THREE_PLAYER).game("sequential")
    body = check_latex(tree._repr_latex_())
    n_terminals = sum(1 for n in tree.nodes() if isinstance(n, Terminal))
    assert len(re.findall(r"^\d+ & ", body, flags=re.M)) == n_terminals
    assert r"\text{veto (0)}" in body and r"\text{Ukraine: fight on}" in body


# ------------------------------------------------------------------------------------------- equilibria
def test_equilibria_html():
    result = gtu.load_model("chain-store").solve("normal")
    raw = result._repr_html_()
    text = check_html(raw)
    assert "3 equilibria (normal form) by vertex-enumeration, exact; complete: yes; degenerate: yes" in text
    assert "Incumbent: fight 1/2, acquiesce 1/2" in text
    assert "entry accommodated" in text and "Entrant: 2" in text
    assert "(component 0)" in text and "continuum" in text
    assert "parameters: o_E=1, d=2, m=5, c_E=0, c_I=0" in text
    assert len(re.findall(r"<tr>", raw)) == 1 + len(result)


def test_equilibria_html_trees_and_floats():
    tree_result = gtu.load_model("nato").solve("sequential")
    text = check_html(tree_result._repr_html_())
    assert "Ukraine @ kyiv: reject Russia" in text and "subgame-perfect" in text
    floats = gtu.load_model("chain-store").solve("normal", exact=False)
    text = check_html(floats._repr_html_())
    assert "float (tolerance 1e-09)" in text


def test_equilibria_latex():
    result = gtu.load_model("chain-store").solve("normal")
    body = check_latex(result._repr_latex_())
    assert len(re.findall(r"^\d+ & ", body, flags=re.M)) == 3
    assert r"\text{Incumbent: fight 1/2, acquiesce 1/2}" in body
    assert r"\text{complete: yes" in body or "complete: yes" in body
    assert "entry accommodated" in body


def test_dispatch():
    model = gtu.load_model("chain-store")
    assert display.to_html(model) == model._repr_html_()
    assert display.to_latex(model.game("sequential")) == model.game("sequential")._repr_latex_()
    with pytest.raises(TypeError, match="no rich display"):
        display.to_html(42)


# ------------------------------------------------------------------------------------------------ reprs
def test_plain_reprs_stay_short():
    for model in (gtu.load_model("guarantees"), gtu.load_model(THREE_PLAYER)):
        objects = [model] + [model.game(form) for form in model.forms] + [model.symbolic(form) for form in model.forms]
        for obj in objects:
            text = repr(obj)
            assert "\n" not in text and len(text) < 200 and "<table" not in text
        result = model.solve("sequential")
        assert len(repr(result).splitlines()) == 1 and len(str(result).splitlines()) > 1 + len(result)


# ---------------------------------------------------------------------------------------------- Jupyter
def test_ipython_formatter_offers_html_latex_and_text():
    from IPython.core.formatters import DisplayFormatter

    formatter = DisplayFormatter()
    model = gtu.load_model("chain-store")
    tree = model.game("sequential")
    for obj in (model, model.game("normal"), tree, gtu.solve(tree)):
        data, _ = formatter.format(obj)
        assert {"text/plain", "text/html", "text/latex"} <= set(data)
        assert data["text/plain"] == repr(obj)
        assert data["text/latex"].startswith("$$")


def test_display_in_a_notebook_kernel():
    import nbformat
    from nbclient import NotebookClient

    code = ("import gametheory_ukraine as gtu\n"
            "m = gtu.load_model('chain-store')\n"
            "t = m.game('sequential')\n"
            "display(m, m.game('normal'), t, gtu.solve(t))")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    outputs = nb.cells[0].outputs
    assert [o.output_type for o in outputs] == ["display_data"] * 4
    assert all("text/html" in o.data and "text/latex" in o.data for o in outputs)
    assert "Selten (1978)" in outputs[0].data["text/html"]
    assert "<svg" in outputs[2].data["text/html"]
    assert "entry accommodated" in outputs[3].data["text/html"]
