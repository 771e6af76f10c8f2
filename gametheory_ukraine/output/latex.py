"""Payoff tables in LaTeX: a text-mode ``tabular`` for papers, a math-mode ``array`` for notebooks.

Both share one table builder (:func:`payoff_rows`) and one number formatter (:func:`latex_number`):

- exact numbers are fractions, ``\\tfrac{5}{2}`` (``\\tfrac`` is from the ``amsmath`` package, which the
  output says in a comment when it uses it);
- symbolic payoffs are typeset by :func:`sympy.latex`;
- floats are written compactly (six significant digits, ``1.5 \\times 10^{-7}`` for tiny ones).

Two-player games are one bimatrix: the first player chooses the row, the second the column, each cell lists
the two payoffs in player order. Games with N > 2 players are one such table per combination of the other
players' actions.

Best responses (``best_responses=True``, off by default so that a table for a paper states payoffs only): each
payoff that is the highest its player can get against the other players' actions is underlined, the textbook
way of finding pure equilibria (Osborne 2004, *An Introduction to Game Theory*, section 2.8.3), and a legend line
says so. They come from :func:`~gametheory_ukraine.solvers.best_response.best_responses`, exact for exact
payoffs; a symbolic game has no marks until a scenario makes it numeric.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from fractions import Fraction
from typing import Any

import numpy as np
import sympy

from ..solvers.best_response import BestResponses, best_responses
from .tables import latex_escape

__all__ = ["payoff_table_latex", "payoff_array_latex", "latex_number", "math_text", "payoff_rows", "table_slices",
           "best_response_marks_for", "tabular_latex", "uses_tfrac", "BEST_RESPONSE_LEGEND"]

#: The legend line of a table with best responses marked (the mark itself is said by each format).
BEST_RESPONSE_LEGEND = "a best response, the highest payoff its player can get against the other players' actions"

_MATH_SPECIAL = {"&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_", "{": r"\{", "}": r"\}",
                 "~": r"\sim", "^": r"\hat{}", "\\": r"\backslash"}


def latex_number(value: Any) -> str:
    """A payoff or probability as LaTeX math (without ``$``).

    Examples
    --------
    >>> from fractions import Fraction
    >>> latex_number(Fraction(5, 2)), latex_number(Fraction(-1, 3)), latex_number(4)
    ('\\\\tfrac{5}{2}', '-\\\\tfrac{1}{3}', '4')
    >>> latex_number(0.25), latex_number(1.5e-7)
    ('0.25', '1.5 \\\\times 10^{-7}')
    >>> import sympy
    >>> latex_number(sympy.Symbol("c_R") / 2)
    '\\\\frac{c_{R}}{2}'
    """
    if isinstance(value, (bool, np.bool_)):
        return str(value)
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        return _latex_float(float(value))
    if not isinstance(value, Fraction):
        if isinstance(value, sympy.Rational):
            value = Fraction(int(value.p), int(value.q))
        elif isinstance(value, sympy.Basic):
            if value.is_Number and not value.free_symbols:
                return _latex_float(float(value))
            return sympy.latex(value)
        else:
            return str(value)
    if value.denominator == 1:
        return str(value.numerator)
    sign = "-" if value < 0 else ""
    return f"{sign}\\tfrac{{{abs(value.numerator)}}}{{{value.denominator}}}"


def _latex_float(x: float) -> str:
    if math.isnan(x):
        return r"\mathrm{NaN}"
    if math.isinf(x):
        return r"\infty" if x > 0 else r"-\infty"
    text = f"{x:.6g}"
    if text == "-0":
        text = "0"
    if "e" in text:
        mantissa, exponent = text.split("e")
        return f"{mantissa} \\times 10^{{{int(exponent)}}}"
    return text


def math_text(text: str) -> str:
    """Plain *text* for LaTeX math mode (``\\text{...}`` pieces; special characters as math symbols).

    The result works both in LaTeX and in MathJax (Jupyter), which do not agree on escapes inside ``\\text``.

    Examples
    --------
    >>> math_text("fight_on & win")
    '\\\\text{fight}\\\\_\\\\text{on }\\\\&\\\\text{ win}'
    """
    out: list[str] = []
    run: list[str] = []
    for ch in str(text):
        if ch in _MATH_SPECIAL:
            if run:
                out.append("\\text{" + "".join(run) + "}")
                run = []
            out.append(_MATH_SPECIAL[ch])
        else:
            run.append(ch)
    if run:
        out.append("\\text{" + "".join(run) + "}")
    return "".join(out)


def table_slices(game) -> list[tuple[tuple[str, str], ...] | tuple[()]]:
    """The tables a payoff array is shown in, one entry per table: the (player, action) choices of players 3..N
    that fix it (one empty entry for N <= 2)."""
    rest = range(2, game.n_players)
    return [tuple((game.players[i], game.actions[i][a]) for i, a in zip(rest, combo))
            for combo in itertools.product(*(range(len(game.actions[i])) for i in rest))]


def best_response_marks_for(game, wanted: bool) -> BestResponses | None:
    """The best responses of *game* if *wanted* and its payoffs are numeric, else None (a symbolic game gets no
    marks: which payoff is best depends on the parameters)."""
    if not wanted or game.kind == "symbolic":
        return None
    return best_responses(game)


def payoff_rows(game, others: tuple = (), *, label: Callable[[str], str] = latex_escape,
                number: Callable[[Any], str] = latex_number, marks: BestResponses | None = None,
                mark: Callable[[str], str] = lambda text: f"\\underline{{{text}}}") -> list[list[str]]:
    """The cells of one payoff table: a header row, then one row per action of the first player.

    Parameters
    ----------
    game : NormalFormGame
    others : tuple of (player, action)
        The fixed actions of players 3..N (empty for one- and two-player games).
    label : callable
        Turns a plain-text label into LaTeX for the mode at hand (:func:`latex_escape` or :func:`math_text`).
    number : callable
        Turns a payoff into LaTeX math.
    marks : BestResponses, optional
        Best responses of *game* (:func:`best_response_marks_for`): a payoff that is one is passed through *mark*.
    mark : callable
        Marks one payoff's text (default: ``\\underline{...}``).

    Returns
    -------
    list of list of str
        Cells without ``$``; payoff cells are math, ``"a, b"``.

    Examples
    --------
    >>> from gametheory_ukraine.games.normal_form import NormalFormGame
    >>> g = NormalFormGame.from_arrays([[1, 0], [0, 1]], [[2, 0], [0, 1]], players=["Row", "Col"])
    >>> payoff_rows(g)
    [['Row \\\\textbackslash{} Col', 'c1', 'c2'], ['r1', '1, 2', '0, 0'], ['r2', '0, 0', '1, 1']]
    """
    fixed = [game.actions[i].index(a) for i, (_, a) in zip(range(2, game.n_players), others)]
    if game.n_players == 1:
        header = [label(game.players[0]), label("payoff")]
        columns: list[int | None] = [None]
    else:
        header = [label(f"{game.players[0]} \\ {game.players[1]}")] + [label(a) for a in game.actions[1]]
        columns = list(range(len(game.actions[1])))
    rows = [header]
    for r, row_action in enumerate(game.actions[0]):
        cells = [label(row_action)]
        for c in columns:
            idx = tuple([r] + ([] if c is None else [c]) + fixed)
            cells.append(", ".join(mark(number(p[idx])) if marks is not None and marks.marks[i][idx]
                                   else number(p[idx]) for i, p in enumerate(game.payoffs)))
        rows.append(cells)
    return rows


def uses_tfrac(tables: list[list[list[str]]]) -> bool:
    """Whether any cell of the tables (lists of :func:`payoff_rows`) writes a fraction with ``\\tfrac`` (amsmath)."""
    return any("\\tfrac" in cell for rows in tables for row in rows for cell in row)


def tabular_latex(rows: list[list[str]], others: tuple = ()) -> str:
    """One ``tabular`` of :func:`payoff_rows`'s cells (payoff cells put in ``$...$``), headed by the actions of
    players 3..N (*others*) if any."""
    n_cols = len(rows[0])
    lines = [f"\\begin{{tabular}}{{l|{'c' * (n_cols - 1)}}}"]
    if others:
        heading = ", ".join(f"{latex_escape(p)} plays \\emph{{{latex_escape(a)}}}" for p, a in others)
        lines.append(f"\\multicolumn{{{n_cols}}}{{l}}{{{heading}}} \\\\")
    lines += [r"\hline", " & ".join(rows[0]) + r" \\", r"\hline"]
    lines += [" & ".join([row[0]] + [f"${cell}$" for cell in row[1:]]) + r" \\" for row in rows[1:]]
    lines += [r"\hline", r"\end{tabular}"]
    return "\n".join(lines)


def payoff_table_latex(game, *, caption: str | None = None, best_responses: bool = False) -> str:
    """The payoff table of a normal-form *game* as LaTeX ``tabular`` (one per combination of players 3..N).

    Parameters
    ----------
    game : NormalFormGame
        Symbolic, exact or float.
    caption : str, optional
        If given, the tables go into a ``table`` float with this (escaped) caption; otherwise they are bare
        ``tabular`` environments to ``\\input`` anywhere.
    best_responses : bool
        Underline every best-response payoff and add a legend line under the tables (numeric games only).

    Returns
    -------
    str
        LaTeX source. Needs ``amsmath`` when a fraction appears (said in a comment at the top).

    Examples
    --------
    >>> import gametheory_ukraine as gtu
    >>> print(payoff_table_latex(gtu.load_model("chain-store").game("normal")))
    % Entrant chooses the row, Incumbent the column; each cell: Entrant's payoff, Incumbent's payoff
    \\begin{tabular}{l|cc}
    \\hline
    Entrant \\textbackslash{} Incumbent & fight & acquiesce \\\\
    \\hline
    stay out & $1, 5$ & $1, 5$ \\\\
    enter & $0, 0$ & $2, 2$ \\\\
    \\hline
    \\end{tabular}
    """
    slices = table_slices(game)
    marks = best_response_marks_for(game, best_responses)
    tables = [payoff_rows(game, others, marks=marks) for others in slices]
    players = list(game.players)
    roles = (f"{players[0]} chooses the row" if len(players) == 1 else
             f"{players[0]} chooses the row, {players[1]} the column")
    lines = [f"% {roles}; each cell: " + ", ".join(f"{p}'s payoff" for p in players)]
    if uses_tfrac(tables):
        lines.append(r"% \tfrac needs \usepackage{amsmath}")
    if caption is not None:
        lines += [r"\begin{table}[htbp]", r"\centering", f"\\caption{{{latex_escape(caption)}}}"]
    for k, (others, rows) in enumerate(zip(slices, tables)):
        if k:
            lines.append(r"\par\medskip")
        lines.append(tabular_latex(rows, others))
    if marks is not None:  # below the tables, so that a long legend does not widen a column
        lines.append(f"\\par\\smallskip{{\\footnotesize \\underline{{Underlined}}: "
                     f"{latex_escape(BEST_RESPONSE_LEGEND)}.}}\\par")
    if caption is not None:
        lines.append(r"\end{table}")
    return "\n".join(lines) + "\n"


def payoff_array_latex(game, *, best_responses: bool = False) -> str:
    """The payoff table(s) of *game* as a math-mode ``array`` (no text-mode commands, renders in MathJax).

    Used by the notebook display; one array per combination of players 3..N, stacked with a heading each.

    Examples
    --------
    >>> from gametheory_ukraine.games.normal_form import NormalFormGame
    >>> g = NormalFormGame.from_arrays([[1, 0], [0, 1]], [[2, 0], [0, 1]], players=["Row", "Col"])
    >>> print(payoff_array_latex(g))
    \\begin{array}{l|cc}
    \\text{Row }\\backslash\\text{ Col} & \\text{c1} & \\text{c2} \\\\
    \\hline
    \\text{r1} & 1, 2 & 0, 0 \\\\
    \\text{r2} & 0, 0 & 1, 1 \\\\
    \\end{array}
    """
    parts = []
    marks = best_response_marks_for(game, best_responses)
    for others in table_slices(game):
        rows = payoff_rows(game, others, label=math_text, marks=marks)
        body = [f"\\begin{{array}}{{l|{'c' * (len(rows[0]) - 1)}}}", " & ".join(rows[0]) + r" \\", r"\hline"]
        body += [" & ".join(row) + r" \\" for row in rows[1:]]
        body.append(r"\end{array}")
        table = "\n".join(body)
        if others:
            heading = math_text(", ".join(f"{p} plays {a}" for p, a in others))
            table = f"{heading} \\\\\n{table}"
        parts.append(table)
    if marks is not None:
        parts.append(f"\\underline{{{math_text('Underlined')}}}{math_text(': ' + BEST_RESPONSE_LEGEND)}")
    if len(parts) == 1:
        return parts[0]
    return "\\begin{array}{c}\n" + " \\\\[1em]\n".join(parts) + "\n\\end{array}"
