"""Rich display in Jupyter: HTML and LaTeX for models, games, game trees and equilibrium sets.

The ``_repr_html_`` and ``_repr_latex_`` methods of :class:`~gametheory_ukraine.modelling.model.Model`,
:class:`~gametheory_ukraine.games.normal_form.NormalFormGame`, :class:`~gametheory_ukraine.games.tree.GameTree`
and :class:`~gametheory_ukraine.solvers.results.EquilibriumSet` call the functions here; they are pure functions of
the objects, usable on their own (:func:`to_html`, :func:`to_latex`).

Decisions
---------
- HTML escapes every text (:func:`html.escape`) and writes payoffs as plain text (sympy's ``sstr`` for
  symbolic ones), so it reads the same with or without MathJax. Parameter symbols such as ``\\pi_{US}`` are
  shown as ``π<sub>US</sub>``. Styles are inline: the output never changes the rest of a notebook.
- LaTeX is math mode (``$$ \\begin{array} ... $$``), since Jupyter renders ``text/latex`` with MathJax, which
  knows no text-mode tables; text goes into ``\\text{}`` pieces that work in MathJax and in LaTeX (nbconvert).
  Symbolic payoffs are typeset by :func:`sympy.latex`, exact ones as fractions.
- A game tree's HTML shows the tree drawn by :func:`~gametheory_ukraine.output.tree_drawing.draw_tree` as
  inline SVG (up to :data:`MAX_PICTURE_NODES` nodes), then its plays (terminal nodes) as a table.

Examples
--------
>>> import gametheory_ukraine as gtu
>>> model = gtu.load_model("chain-store")
>>> "Selten (1978)" in model._repr_html_()
True
>>> print(model.game("normal")._repr_latex_().splitlines()[1])
\\begin{array}{l|cc}
"""

from __future__ import annotations

import html
import io
import re
import textwrap
import unicodedata
from typing import Any

from ..core.numbers import format_value
from ..games.normal_form import NormalFormGame
from ..games.tree import Chance, GameTree, Terminal
from ..modelling.model import Model
from ..solvers.results import EquilibriumSet, format_number
from .latex import (
    BEST_RESPONSE_LEGEND,
    best_response_marks_for,
    latex_number,
    math_text,
    payoff_array_latex,
    table_slices,
)
from .model_report import form_summary
from .solution_report import payoff_text, strategy_text
from .tree_drawing import draw_tree

__all__ = ["to_html", "to_latex", "model_html", "model_latex", "game_html", "game_latex", "tree_html",
           "tree_latex", "equilibria_html", "equilibria_latex", "MAX_PICTURE_NODES"]

#: Trees with more nodes are shown as a table only (a drawing would be too large to read inline).
MAX_PICTURE_NODES = 300

_TABLE = 'style="border-collapse: collapse; margin: 0.4em 0;"'
_CELL = 'style="border: 1px solid #ccc; padding: 0.2em 0.5em; text-align: left; vertical-align: top;"'
_HEAD = ('style="border: 1px solid #ccc; padding: 0.2em 0.5em; text-align: left; vertical-align: top; '
         'background: #f3f3f3;"')
_NOTE = 'style="color: #555; font-size: 90%;"'


# ----------------------------------------------------------------------------------------------- helpers
def _e(text: Any) -> str:
    return html.escape(str(text))


def _table(headers: list[str], rows: list[list[str]], *, header_column: bool = False) -> str:
    """An HTML table; *headers* and cells are HTML already (escape before)."""
    out = [f"<table {_TABLE}>", "<thead><tr>" + "".join(f"<th {_HEAD}>{h}</th>" for h in headers) + "</tr></thead>",
           "<tbody>"]
    for row in rows:
        cells = [(f"<th {_HEAD}>{c}</th>" if header_column and k == 0 else f"<td {_CELL}>{c}</td>")
                 for k, c in enumerate(row)]
        out.append("<tr>" + "".join(cells) + "</tr>")
    out += ["</tbody>", "</table>"]
    return "\n".join(out)


def _div(kind: str, parts: list[str]) -> str:
    return f'<div class="gtu-display gtu-{kind}">\n' + "\n".join(p for p in parts if p) + "\n</div>"


def _math(body: str) -> str:
    return "$$\n" + body + "\n$$"


def _rows_latex(rows: list[list[str]], spec: str) -> str:
    """A math-mode array: the first row is the header (cells are LaTeX math already)."""
    lines = [f"\\begin{{array}}{{{spec}}}", " & ".join(rows[0]) + r" \\", r"\hline"]
    lines += [" & ".join(row) + r" \\" for row in rows[1:]]
    lines.append(r"\end{array}")
    return "\n".join(lines)


def _stack_latex(lines: list[str]) -> str:
    """Several lines of math in one cell (a one-column array)."""
    if len(lines) == 1:
        return lines[0]
    return "\\begin{array}{l}" + r" \\ ".join(lines) + r"\end{array}"


def _wrapped_text_latex(text: str, width: int = 60) -> str:
    return _stack_latex([math_text(line) for line in textwrap.wrap(str(text), width)] or [""])


def _symbol_html(symbol: str) -> str:
    r"""``\pi_{US}`` -> ``π<sub>US</sub>``: Greek letters by name, sub- and superscripts."""

    def greek(match: re.Match) -> str:
        name = match.group(1)
        case = "CAPITAL" if name[0].isupper() else "SMALL"
        try:
            return unicodedata.lookup(f"GREEK {case} LETTER {name.upper().replace('LAMBDA', 'LAMDA')}")
        except KeyError:
            return match.group(0)

    text = html.escape(re.sub(r"\\([A-Za-z]+) ?", greek, symbol))
    text = re.sub(r"_\{([^{}]*)\}|_(\w)", lambda m: f"<sub>{m.group(1) or m.group(2)}</sub>", text)
    return re.sub(r"\^\{([^{}]*)\}|\^(\w)", lambda m: f"<sup>{m.group(1) or m.group(2)}</sup>", text)


def _symbol_latex(symbol: str) -> str:
    """A parameter's symbol as math: as written if it looks like LaTeX math, else as text."""
    if re.fullmatch(r"[A-Za-z0-9_{}\\ ^',.+-]+", symbol):
        return symbol
    return math_text(symbol)


# ------------------------------------------------------------------------------------------------- models
def model_html(model) -> str:
    """HTML: title, players, forms, the parameters with their ranges and sources, the scenarios.

    Examples
    --------
    >>> import gametheory_ukraine as gtu
    >>> text = model_html(gtu.load_model("nato"))
    >>> "π<sub>N</sub>" in text and "Wallace (2025)" in text
    True
    """
    parts = [f"<p><strong>{_e(model.name)}</strong>: {_e(model.title)}</p>"]
    if model.description:
        parts.append(f"<p {_NOTE}>{_e(model.description)}</p>")
    parts.append(f"<p><strong>Players:</strong> {_e(', '.join(model.players))}</p>")
    parts.append("<p><strong>Forms:</strong></p><ul>" + "".join(
        f"<li><code>{_e(name)}</code>: {_e(form_summary(game))}</li>" for name, game in model.forms.items())
        + "</ul>")
    rows = [[f"<code>{_e(p.name)}</code>", _symbol_html(p.symbol), _e(format_value(p.default)),
             f"[{_e(format_value(p.low))}, {_e(format_value(p.high))}]", _e(p.description), _e(p.source)]
            for p in model.parameters.values()]
    parts.append(f"<p><strong>Parameters</strong> ({len(rows)})</p>")
    parts.append(_table(["name", "symbol", "default", "range", "description", "source"], rows))
    if model.scenarios:
        rows = [[f"<code>{_e(s.name)}</code>",
                 _e(", ".join(f"{k}={format_value(v)}" for k, v in s.values.items()) or "(defaults)"),
                 _e(s.description)]
                for s in model.scenarios.values()]
        parts += ["<p><strong>Scenarios</strong></p>", _table(["scenario", "values", "description"], rows)]
    if model.path:
        parts.append(f"<p {_NOTE}>File: <code>{_e(model.path)}</code>"
                     + (f" (sha256 {_e(model.sha256[:12])}…)" if model.sha256 else "") + "</p>")
    return _div("model", parts)


def model_latex(model) -> str:
    """LaTeX (math mode): title, players, and the parameters with their ranges and sources.

    Examples
    --------
    >>> import gametheory_ukraine as gtu
    >>> text = model_latex(gtu.load_model("chain-store"))
    >>> text.startswith("$$") and r"\\text{o}\\_\\text{E}" in text and "c_E" in text
    True
    """
    head = [math_text(f"{model.name}: {model.title}"), math_text("Players: " + ", ".join(model.players))]
    rows = [[math_text(h) for h in ("Parameter", "Symbol", "Default", "Range", "Description", "Source")]]
    for p in model.parameters.values():
        rows.append([math_text(p.name), _symbol_latex(p.symbol), latex_number(p.default),
                     f"[{latex_number(p.low)}, {latex_number(p.high)}]", _wrapped_text_latex(p.description, 40),
                     _wrapped_text_latex(p.source, 60)])
    blocks = head + [_rows_latex(rows, "llllll")]
    if model.scenarios:
        srows = [[math_text(h) for h in ("Scenario", "Values", "Description")]]
        srows += [[math_text(s.name),
                   math_text(", ".join(f"{k}={format_value(v)}" for k, v in s.values.items()) or "(defaults)"),
                   _wrapped_text_latex(s.description, 60)] for s in model.scenarios.values()]
        blocks.append(_rows_latex(srows, "lll"))
    return _math("\\begin{array}{l}\n" + " \\\\[0.5em]\n".join(blocks) + "\n\\end{array}")


# -------------------------------------------------------------------------------------------------- games
def game_html(game, *, best_responses: bool = False) -> str:
    """HTML payoff table(s) of a normal-form game; cells list the payoffs in player order, then the outcome.

    With *best_responses* (numeric games only), every best-response payoff is underlined (``<u>``) and a note
    says so (see :mod:`.latex`); the notebook hook shows the plain table.

    Examples
    --------
    >>> import gametheory_ukraine as gtu
    >>> text = game_html(gtu.load_model("chain-store").symbolic("normal"))
    >>> "-c_E, -c_I" in text and "entry fought" in text
    True
    """
    dims = "×".join(str(n) for n in game.shape)
    roles = (f"{game.players[0]} chooses the row" if game.n_players == 1 else
             f"{game.players[0]} chooses the row, {game.players[1]} the column")
    parts = [f"<p><strong>{_e(game.title or 'Normal-form game')}</strong></p>",
             f"<p {_NOTE}>normal form, {dims}, {_e(game.kind)} payoffs; {_e(roles)}; each cell: payoffs of "
             f"({_e(', '.join(game.players))})"
             + (f"; parameters: {_e(', '.join(game.parameters))}" if game.kind == "symbolic" else "") + "</p>"]
    marks = best_response_marks_for(game, best_responses)
    if marks is not None:
        parts.append(f"<p {_NOTE}><u>Underlined</u>: {_e(BEST_RESPONSE_LEGEND)}</p>")
    for others in table_slices(game):
        fixed = [game.actions[i].index(a) for i, (_, a) in zip(range(2, game.n_players), others)]
        if others:
            parts.append("<p>" + _e(", ".join(f"{p} plays {a}" for p, a in others)) + ":</p>")
        columns = list(range(len(game.actions[1]))) if game.n_players > 1 else [None]
        corner = (f"{game.players[0]} \\ {game.players[1]}" if game.n_players > 1 else game.players[0])
        headers = [_e(corner)] + ([_e(a) for a in game.actions[1]] if game.n_players > 1 else ["payoff"])
        rows = []
        for r, action in enumerate(game.actions[0]):
            row = [_e(action)]
            for c in columns:
                idx = tuple([r] + ([] if c is None else [c]) + fixed)
                cell = ", ".join(f"<u>{_e(format_number(p[idx]))}</u>" if marks is not None and marks.marks[i][idx]
                                 else _e(format_number(p[idx])) for i, p in enumerate(game.payoffs))
                outcome = game.outcome(idx)
                if outcome:
                    cell += f"<br><small><i>{_e(outcome)}</i></small>"
                row.append(cell)
            rows.append(row)
        parts.append(_table(headers, rows, header_column=True))
    return _div("game", parts)


def game_latex(game, *, best_responses: bool = False) -> str:
    """LaTeX (math mode) payoff table(s) of a normal-form game (see :func:`.latex.payoff_array_latex`), best
    responses underlined if *best_responses*."""
    return _math(payoff_array_latex(game, best_responses=best_responses))


# -------------------------------------------------------------------------------------------------- trees
def _plays(tree) -> list[tuple[Any, list[str]]]:
    """(terminal, the moves leading to it) for every terminal node, in tree order."""
    out: list[tuple[Any, list[str]]] = []
    stack: list[tuple[Any, list[str]]] = [(tree.root, [])]
    while stack:
        node, moves = stack.pop()
        if isinstance(node, Terminal):
            out.append((node, moves))
            continue
        nxt = []
        for k, (action, child) in enumerate(zip(node.actions, node.children)):
            if isinstance(node, Chance):
                step = f"{action} ({format_number(node.probabilities[k])})"
            else:
                step = f"{tree.players[node.player]}: {action}"
            nxt.append((child, [*moves, step]))
        stack.extend(reversed(nxt))
    return out


def _tree_summary(tree) -> str:
    n_nodes = sum(1 for _ in tree.nodes())
    n_terminal = len(_plays(tree))
    info = "perfect information" if tree.perfect_information else "imperfect information"
    text = (f"game tree, {n_nodes} nodes ({n_terminal} terminal), {len(tree.infosets())} information sets, "
            f"{info}, {tree.kind} payoffs; players: {', '.join(tree.players)}")
    if tree.kind == "symbolic":
        text += "; parameters: " + ", ".join(tree.parameters)
    return text


def _svg(tree) -> str:
    """The drawing of *tree* as inline SVG (text kept as text, no XML prologue)."""
    import matplotlib

    fig = draw_tree(tree)
    buf = io.StringIO()
    # fixed id salt: the same tree gives the same text; ids still differ between different drawings
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "gametheory_ukraine", "text.usetex": False}):
        fig.savefig(buf, format="svg", metadata={"Date": None})
    text = buf.getvalue()
    return text[text.index("<svg"):]


def tree_html(tree, *, picture: bool = True) -> str:
    """HTML: a summary line, the tree drawn as inline SVG (if *picture* and not too large), its plays.

    Examples
    --------
    >>> import gametheory_ukraine as gtu
    >>> text = tree_html(gtu.load_model("chain-store").game("sequential"), picture=False)
    >>> "Entrant: enter" in text and "entry accommodated" in text and "<svg" not in text
    True
    """
    n_nodes = sum(1 for _ in tree.nodes())
    parts = [f"<p><strong>{_e(tree.title or 'Game tree')}</strong></p>", f"<p {_NOTE}>{_e(_tree_summary(tree))}</p>"]
    show = picture and n_nodes <= MAX_PICTURE_NODES
    if show:
        parts.append(f'<div style="overflow-x: auto;">{_svg(tree)}</div>')
    rows = [[str(k + 1), _e(" → ".join(moves)), _e(leaf.outcome or "")]
            + [_e(format_number(v)) for v in leaf.payoffs] for k, (leaf, moves) in enumerate(_plays(tree))]
    table = _table(["#", "play", "outcome"] + [_e(p) for p in tree.players], rows)
    parts.append(f"<details{'' if show else ' open'}><summary>plays and payoffs</summary>\n{table}\n</details>")
    return _div("tree", parts)


def tree_latex(tree) -> str:
    """LaTeX (math mode): the plays of *tree* (the moves to each terminal node) with outcomes and payoffs.

    Examples
    --------
    >>> import gametheory_ukraine as gtu
    >>> text = tree_latex(gtu.load_model("chain-store").symbolic("sequential"))
    >>> "- c_{E}" in text and r"\\text{entry fought}" in text
    True
    """
    head = [math_text(tree.title or "Game tree"), math_text(_tree_summary(tree))]
    rows = [[math_text(h) for h in ("#", "play", "outcome", *tree.players)]]
    rows += [[str(k + 1), _stack_latex([math_text(m) for m in moves] or [math_text("(root)")]),
              math_text(leaf.outcome or ""), *(latex_number(v) for v in leaf.payoffs)]
             for k, (leaf, moves) in enumerate(_plays(tree))]
    table = _rows_latex(rows, "l" * (3 + tree.n_players))
    return _math("\\begin{array}{l}\n" + " \\\\\n".join(head + [table]) + "\n\\end{array}")


# ------------------------------------------------------------------------------------------- equilibria
def _result_header(result) -> list[str]:
    mode = "exact" if result.exact else f"float (tolerance {result.tolerance:g})"
    n = len(result)
    lines = [f"{n} equilibri{'um' if n == 1 else 'a'} ({result.form} form) by {result.method}, {mode}; "
             f"complete: {'yes' if result.complete else 'NO'}"
             + ("" if result.degenerate is None else f"; degenerate: {'yes' if result.degenerate else 'no'}")]
    if result.parameters:
        lines.append("parameters: " + ", ".join(f"{k}={format_value(v)}" for k, v in result.parameters.items()))
    return lines


def equilibria_html(result) -> str:
    """HTML: how the equilibria were computed (method, exactness, completeness), then one row each with
    strategies, payoffs, outcome and the regret certificate.

    Examples
    --------
    >>> import gametheory_ukraine as gtu
    >>> text = equilibria_html(gtu.load_model("chain-store").solve("normal"))
    >>> "3 equilibria" in text and "Incumbent: fight 1/2, acquiesce 1/2" in text
    True
    """
    head = _result_header(result)
    parts = [f"<p><strong>{_e(head[0])}</strong></p>"] + [f"<p {_NOTE}>{_e(line)}</p>" for line in head[1:]]
    if result.notes:
        parts.append(f"<ul {_NOTE}>" + "".join(f"<li>{_e(n)}</li>" for n in result.notes) + "</ul>")
    rows = []
    for k, eq in enumerate(result.equilibria):
        index = str(k) + (f" <small>(component {eq.component})</small>" if result.has_continuum else "")
        rows.append([index, "<br>".join(_e(s) for s in strategy_text(result, eq)),
                     "<br>".join(f"{_e(p)}: {_e(payoff_text(v))}" for p, v in zip(result.players, eq.payoffs)),
                     _e(eq.outcome or ""), _e(format_number(eq.regret))])
    if rows:
        parts.append(_table(["#", "strategies", "payoffs", "outcome", "regret"], rows))
    return _div("equilibria", parts)


def equilibria_latex(result) -> str:
    """LaTeX (math mode): the header of :func:`equilibria_html` and one array row per equilibrium.

    Examples
    --------
    >>> import gametheory_ukraine as gtu
    >>> text = equilibria_latex(gtu.load_model("chain-store").solve("normal"))
    >>> r"\\tfrac{1}{2}" not in text and r"\\text{Incumbent: fight 1/2, acquiesce 1/2}" in text
    True
    """
    rows = [[math_text(h) for h in ("#", "strategies", *result.players, "outcome", "regret")]]
    for k, eq in enumerate(result.equilibria):
        rows.append([str(k), _stack_latex([math_text(s) for s in strategy_text(result, eq)]),
                     *(latex_number(v) for v in eq.payoffs), math_text(eq.outcome or ""), latex_number(eq.regret)])
    lines = [math_text(line) for line in _result_header(result)]
    lines += [math_text("note: " + n) for n in result.notes]
    table = _rows_latex(rows, "l" * (4 + len(result.players)))
    return _math("\\begin{array}{l}\n" + " \\\\\n".join(lines + [table]) + "\n\\end{array}")


# ----------------------------------------------------------------------------------------------- dispatch
def to_html(obj) -> str:
    """HTML for a Model, NormalFormGame, GameTree or EquilibriumSet.

    Raises
    ------
    TypeError
        For any other object.
    """
    return _dispatch(obj, model_html, game_html, tree_html, equilibria_html)


def to_latex(obj) -> str:
    """LaTeX (math mode, ``$$...$$``) for a Model, NormalFormGame, GameTree or EquilibriumSet."""
    return _dispatch(obj, model_latex, game_latex, tree_latex, equilibria_latex)


def _dispatch(obj, on_model, on_game, on_tree, on_result) -> str:
    for cls, fn in ((Model, on_model), (NormalFormGame, on_game), (GameTree, on_tree), (EquilibriumSet, on_result)):
        if isinstance(obj, cls):
            return fn(obj)
    raise TypeError(f"no rich display for {type(obj).__name__}")
