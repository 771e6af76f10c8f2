"""Games as TikZ pictures for LaTeX documents (``gtu export --to tikz``): game trees and payoff tables.

:func:`tree_tikz` draws a :class:`~gametheory_ukraine.games.tree.GameTree` top-down with the layout of
:func:`~gametheory_ukraine.output.tree_drawing.tree_layout` (terminal nodes evenly spaced in tree order, every other
node centred over its children), the textbook way (Osborne 2004, *An Introduction to Game Theory*, chapter 5):

- decision nodes are black discs with the mover's name above; chance nodes open circles named "Chance";
- each edge carries its action's name (a chance edge also its probability);
- nodes of one information set with several nodes are joined by dashed lines (style ``gtu infoset``);
- given an equilibrium, its path of play is drawn bold in vermillion (style ``gtu path``) and its choices off the
  path thick black (``gtu choice``); other edges are thin (``gtu edge``);
- the payoff vector stands under each terminal node, in the player order a note above the tree names; short
  fractions are exact (``\\tfrac``), longer ones rounded to four significant digits, and every exact payoff is
  in a comment at the end of the node's line (``% payoffs: 34898/5483, 22449/10966``).

:func:`normal_form_tikz` puts the payoff table(s) of a normal form (the ``tabular`` of
:func:`~gametheory_ukraine.output.latex.payoff_table_latex`) into TikZ nodes, best responses underlined on request.

Both return a ``standalone`` document that ``pdflatex`` compiles as it is (it needs the ``standalone``, ``tikz``
and ``amsmath`` packages, in TeX Live's ``latex-recommended`` and ``pictures`` collections), or with
``fragment=True`` only the ``tikzpicture`` for ``\\input`` in a document that loads ``tikz`` and ``amsmath``.
No TikZ library is needed. Node names are ``n0``, ``n1``... in depth-first pre-order (the tree's own node name in
a comment at the end of its line).

Examples
--------
>>> import gametheory_ukraine as gtu
>>> tree = gtu.load_model("chain-store").game("sequential")
>>> text = tree_tikz(tree, equilibrium=gtu.solve(tree)[0], fragment=True)
>>> text.count(r"\\draw[gtu path]"), text.count(r"\\node[gtu payoff]")
(2, 3)
"""

from __future__ import annotations

import textwrap
from fractions import Fraction
from typing import Any

from ..core.errors import ParameterError
from ..core.numbers import to_exact
from ..games.tree import Chance, Decision, Terminal
from .latex import (
    BEST_RESPONSE_LEGEND,
    best_response_marks_for,
    latex_number,
    payoff_rows,
    table_slices,
    tabular_latex,
)
from .tables import latex_escape
from .tree_drawing import MAX_DRAWN_LEAVES, edge_kinds, equilibrium_behaviour, tree_layout

__all__ = ["tree_tikz", "normal_form_tikz", "tikz_document", "TIKZ_STYLES", "PATH_HTML_COLOUR"]

#: Colour of the equilibrium path (Okabe-Ito vermillion, as in the matplotlib tree pictures).
PATH_HTML_COLOUR = "D55E00"

#: The styles every picture defines (the tests and a user's own document can refer to them).
TIKZ_STYLES = (
    r"gtu decision/.style={circle, fill=black, inner sep=0pt, minimum size=5pt}",
    r"gtu chance/.style={circle, draw=black, fill=white, inner sep=0pt, minimum size=6pt}",
    r"gtu terminal/.style={inner sep=0pt, minimum size=2pt}",
    r"gtu player/.style={fill=white, inner sep=1pt, font=\small\bfseries}",
    r"gtu action/.style={font=\scriptsize, align=center, inner sep=1.5pt, fill=white, fill opacity=0.85, "
    r"text opacity=1}",
    r"gtu payoff/.style={below=3pt, font=\footnotesize, align=center}",
    r"gtu outcome/.style={below=0pt, font=\scriptsize\itshape, align=center, text=black!70}",
    r"gtu edge/.style={thin, black!75}",
    r"gtu choice/.style={thick, black}",
    r"gtu path/.style={line width=2pt, gtupath}",
    r"gtu infoset/.style={dashed, thick, black!70}",
    r"gtu note/.style={font=\footnotesize, align=left, anchor=south west}",
)

_WRAP_ACTION = 16        # characters per line of an action label
_WRAP_OUTCOME = 20       # characters per line of an outcome
_CHAR_CM = {"footnotesize": 0.14, "scriptsize": 0.12}  # generous average character widths (cm)
_LEVEL_CM = 2.2          # vertical distance between depths
_EDGE_STYLE = {"edge": "gtu edge", "edge-chosen": "gtu choice", "edge-path": "gtu path"}


def tikz_document(picture: str, *, fragment: bool = False) -> str:
    """A ``tikzpicture`` as a standalone document (``\\documentclass[tikz]{standalone}``), or as it is with
    *fragment* (a comment says which packages the document around it must load)."""
    if fragment:
        return "% needs \\usepackage{tikz} and \\usepackage{amsmath}\n" + picture + "\n"
    return "\n".join([r"\documentclass[tikz,border=8pt]{standalone}", r"\usepackage{amsmath}",
                      r"\begin{document}", picture, r"\end{document}"]) + "\n"


def _picture(lines: list[str]) -> str:
    head = [r"\begin{tikzpicture}[", "  " + ",\n  ".join(TIKZ_STYLES), "]",
            f"\\definecolor{{gtupath}}{{HTML}}{{{PATH_HTML_COLOUR}}}"]
    return "\n".join(head + lines + [r"\end{tikzpicture}"])


def _comment(text: str) -> str:
    """Text safe at the end of a line after ``%`` (one line)."""
    return " ".join(str(text).split())


def _wrapped(text: str, width: int) -> list[str]:
    return textwrap.wrap(str(text), width) or [""]


def _short_number(value: Any) -> str:
    """A payoff or probability as LaTeX math: exact when short, else four significant digits."""
    if getattr(value, "free_symbols", None):
        return latex_number(value)
    if isinstance(value, float):
        return latex_number(float(f"{value:.4g}"))
    try:
        exact = to_exact(value)
    except ValueError:
        return latex_number(value)
    if len(f"{exact.numerator}/{exact.denominator}") <= 7:
        return latex_number(exact)
    return latex_number(float(f"{float(exact):.4g}"))


def _cell_label(text: str) -> str:
    """An action's name for a table cell, on several lines (a one-column ``tabular``) when it is long."""
    parts = _wrapped(text, _WRAP_ACTION + 4)
    if len(parts) == 1:
        return latex_escape(text)
    return (r"{\def\arraystretch{1}\begin{tabular}[b]{@{}c@{}}" + r"\\".join(latex_escape(p) for p in parts)
            + r"\end{tabular}}")


def _exact_text(value: Any) -> str:
    if isinstance(value, (int, Fraction)):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    return str(value)


def tree_tikz(tree, *, equilibrium=None, title: str | None = None, fragment: bool = False,
              outcomes: bool = True) -> str:
    """*tree* as a TikZ picture.

    Parameters
    ----------
    tree : GameTree
        Numeric or symbolic (symbolic payoffs are typeset by sympy).
    equilibrium : Equilibrium, optional
        One equilibrium of *tree* (e.g. ``solve(tree)[0]``): its path drawn bold, its other choices thick.
    title : str, optional
        A line over the tree (default: the tree's title; ``""`` for none).
    fragment : bool
        Only the ``tikzpicture``, not a standalone document.
    outcomes : bool
        Write each terminal node's outcome under its payoffs.

    Returns
    -------
    str
        LaTeX source.

    Raises
    ------
    TypeError, ValueError
        *equilibrium* is not one equilibrium of this tree.
    ParameterError
        More than :data:`~gametheory_ukraine.output.tree_drawing.MAX_DRAWN_LEAVES` terminal nodes (the labels would
        not fit at a readable size), or a picture wider than TeX can measure (5 m).
    """
    n_leaves = sum(1 for node in tree.nodes() if isinstance(node, Terminal))
    if n_leaves > MAX_DRAWN_LEAVES:
        raise ParameterError(f"the tree has {n_leaves} terminal nodes; a TikZ tree stays legible up to "
                             f"{MAX_DRAWN_LEAVES}", where="--to",
                             fix="export the game to Gambit instead (--to efg), or draw a model with a smaller tree")
    behaviour = equilibrium_behaviour(tree, equilibrium) if equilibrium is not None else None
    kinds = edge_kinds(tree, behaviour)
    xs, depth, leaves = tree_layout(tree)
    payoff_texts = {id(leaf): "$(" + ", ".join(_short_number(v) for v in leaf.payoffs) + ")$" for leaf in leaves}
    # leaf spacing: room for each payoff vector, outcome and the action labels of the lowest edges
    widest_payoff = max(len(t.replace(r"\tfrac", "").replace("$", "")) for t in payoff_texts.values())
    widest_action = max([len(line) for node in tree.nodes() if not isinstance(node, Terminal)
                         for a in node.actions for line in _wrapped(a, _WRAP_ACTION)], default=0)
    dx = max(1.8, widest_payoff * _CHAR_CM["footnotesize"] + 0.4,
             (_WRAP_OUTCOME * _CHAR_CM["scriptsize"] + 0.3) if outcomes else 0.0,
             1.4 * widest_action * _CHAR_CM["scriptsize"])
    if n_leaves * dx > 500:
        raise ParameterError(f"a TikZ tree {n_leaves * dx / 100:.1f} m wide is more than TeX can measure",
                             where="--to", fix="export the game to Gambit instead (--to efg), or shorten its labels")
    names = {id(node): f"n{k}" for k, node in enumerate(tree.nodes())}
    lines: list[str] = []
    top = 0.9
    heading = tree.title if title is None else title
    if heading:
        lines.append(f"\\node[gtu note, font=\\normalsize\\bfseries] at (0, {top + 0.55:.2f}) "
                     f"{{{latex_escape(heading)}}};")
    lines.append(f"\\node[gtu note] at (0, {top:.2f}) {{Payoffs: ({latex_escape(', '.join(tree.players))})"
                 + ("; bold: the equilibrium path" if behaviour is not None else "") + "};")
    for node in tree.nodes():
        x, y = xs[id(node)] * dx, -depth[id(node)] * _LEVEL_CM
        name = names[id(node)]
        where = f"at ({x:.2f}, {y:.2f})"
        if isinstance(node, Decision):
            mover = latex_escape(tree.players[node.player])
            lines.append(f"\\node[gtu decision, label={{[gtu player]above:{{{mover}}}}}] ({name}) {where} {{}};"
                         f" % {_comment(node.name)}")
        elif isinstance(node, Chance):
            lines.append(f"\\node[gtu chance, label={{[gtu player]above:{{Chance}}}}] ({name}) {where} {{}};"
                         f" % {_comment(node.name)}")
        else:
            lines.append(f"\\node[gtu terminal] ({name}) {where} {{}}; % {_comment(node.name)}")
    for node in tree.nodes():
        if isinstance(node, Terminal):
            continue
        px = xs[id(node)]
        for k, (action, child) in enumerate(zip(node.actions, node.children)):
            text = "\\\\".join(latex_escape(line) for line in _wrapped(action, _WRAP_ACTION))
            if isinstance(node, Chance):
                text += f"\\\\$({_short_number(node.probabilities[k])})$"
            cx = xs[id(child)]
            if 0 < k < len(node.children) - 1:      # a middle edge: its label away from the outer edges
                side = "left" if cx > px + 1e-9 else "right"
            else:
                side = "above left" if cx < px - 1e-9 else ("above right" if cx > px + 1e-9 else "right")
            lines.append(f"\\draw[{_EDGE_STYLE[kinds[(id(node), k)]]}] ({names[id(node)]}) -- "
                         f"node[gtu action, {side}] {{{text}}} ({names[id(child)]});")
    for label, info in tree.infosets().items():
        for a, b in zip(info.nodes, info.nodes[1:]):
            lines.append(f"\\draw[gtu infoset] ({names[id(a)]}) -- ({names[id(b)]}); % {_comment(label)}")
    for leaf in leaves:
        name = names[id(leaf)]
        exact = ", ".join(_exact_text(v) for v in leaf.payoffs)
        lines.append(f"\\node[gtu payoff] (payoff-{name}) at ({name}) {{{payoff_texts[id(leaf)]}}}; "
                     f"% payoffs: {_comment(exact)}")
        if outcomes and leaf.outcome:
            text = "\\\\".join(latex_escape(line) for line in _wrapped(leaf.outcome, _WRAP_OUTCOME))
            lines.append(f"\\node[gtu outcome] at (payoff-{name}.south) {{{text}}};")
    return tikz_document(_picture(lines), fragment=fragment)


def normal_form_tikz(game, *, best_responses: bool = False, title: str | None = None,
                     fragment: bool = False) -> str:
    """The payoff table(s) of a normal-form *game* as TikZ nodes, one ``tabular`` each (one per combination of
    players 3..N, stacked), best-response payoffs underlined with a legend if *best_responses*.

    Parameters
    ----------
    game : NormalFormGame
        Symbolic (never marked), exact or float.
    best_responses : bool
        Underline every payoff that is a best response to the other players' actions.
    title : str, optional
        A line over the table (default: the game's title; ``""`` for none).
    fragment : bool
        Only the ``tikzpicture``, not a standalone document.

    Raises
    ------
    ParameterError
        A game of more than 64 tables (players 3..N have too many action combinations to stack).

    Examples
    --------
    >>> from gametheory_ukraine.games.normal_form import NormalFormGame
    >>> pd = NormalFormGame.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]], actions=[["C", "D"], ["C", "D"]])
    >>> r"$\\underline{1}, \\underline{1}$" in normal_form_tikz(pd, best_responses=True, title="")
    True
    """
    slices = table_slices(game)
    if len(slices) > 64:
        raise ParameterError(f"a TikZ picture of {len(slices)} payoff tables is too big to read",
                             fix="export it with --to nfg or --to latex")
    marks = best_response_marks_for(game, best_responses)
    lines: list[str] = []
    heading = game.title if title is None else title
    roles = (f"{game.players[0]} chooses the row" if game.n_players == 1 else
             f"{game.players[0]} chooses the row, {game.players[1]} the column")
    note = f"{roles}; each cell: payoffs of ({', '.join(game.players)})"
    lines.append("% payoffs: exact when short, else rounded to four significant digits; best responses are found "
                 "from the exact payoffs")
    lines.append(f"\\node[gtu note, anchor=south west] (note) at (0, 0.15) {{{latex_escape(note)}}};")
    if heading:
        lines.append(f"\\node[gtu note, anchor=south west, font=\\normalsize\\bfseries] at (note.north west) "
                     f"{{{latex_escape(heading)}}};")
    below = "(0, 0)"
    for k, others in enumerate(slices):
        rows = payoff_rows(game, others, label=_cell_label, number=_short_number, marks=marks)
        lines.append(f"\\node[anchor=north west, inner sep=0pt] (table{k}) at {below} "
                     f"{{\\def\\arraystretch{{1.5}}{tabular_latex(rows, others)}}};")
        below = f"([yshift=-10pt]table{k}.south west)"
    if marks is not None:
        lines.append(f"\\node[gtu note, anchor=north west] (legend) at {below} {{\\underline{{Underlined}}: "
                     f"{latex_escape(BEST_RESPONSE_LEGEND)}}};")
    return tikz_document(_picture(lines), fragment=fragment)
