"""Best-response diagrams of 2x2 games: the unit square of mixed strategies with both players' best-response
correspondences; the Nash equilibria are where they meet (Osborne 2004, *An Introduction to Game Theory*,
section 4.3; Gibbons 1992, *Game Theory for Applied Economists*, figure 1.3.6).

- :func:`best_response_diagram` draws one game: *p* (the row player's probability of its first action) across,
  *q* (the column player's probability of its first action) up. The row player's correspondence is a solid blue
  line, the column player's a dashed orange one (Okabe-Ito colours, told apart by style too), a player who is
  indifferent everywhere fills the square with hatching, and the equilibria are black discs (a continuum of
  equilibria: a black segment between two discs, drawn over the correspondences). The geometry is exact for exact games
  (:func:`~gametheory_ukraine.solvers.best_response.correspondences_2x2`).
- :func:`best_response_diagrams` draws small multiples: one diagram per value of one parameter of a model
  (``gtu export MODEL --to br-diagram --param NAME --values ...``).

Artists carry ids (``gid``): ``br-row``, ``br-column``, ``br-row-region``, ``br-column-region``,
``equilibrium:K`` (K counts the equilibria of one panel), ``panel-title``.

Examples
--------
>>> from gametheory_ukraine.games.normal_form import NormalFormGame
>>> bos = NormalFormGame.from_arrays([[2, 0], [0, 1]], [[1, 0], [0, 2]], actions=[["B", "S"], ["B", "S"]])
>>> fig = best_response_diagram(bos)
>>> sorted((float(a.get_xdata()[0]), float(a.get_ydata()[0])) for a in fig.axes[0].lines
...        if a.get_gid().startswith("equilibrium:"))
[(0.0, 0.0), (0.6666666666666666, 0.3333333333333333), (1.0, 1.0)]
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from typing import Any

from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from ..core.errors import ParameterError
from ..solvers.best_response import Correspondences2x2, correspondences_2x2
from ..solvers.results import format_number
from .figures import save_figure

__all__ = ["best_response_diagram", "best_response_diagrams", "save_figure", "ROW_STYLE", "COLUMN_STYLE",
           "MAX_PANELS"]

#: The row player's correspondence: Okabe-Ito blue, solid.
ROW_STYLE = {"color": "#0072B2", "linestyle": "-", "linewidth": 3.0}
#: The column player's correspondence: Okabe-Ito orange, dashed (drawn over the row player's, so both show).
COLUMN_STYLE = {"color": "#E69F00", "linestyle": (0, (4, 2)), "linewidth": 2.2}
#: Most panels in one figure of small multiples.
MAX_PANELS = 12


def _draw_boxes(ax, boxes, style: dict, hatch: str, gid: str) -> None:
    for box in boxes:
        if box.kind == "region":
            ax.add_patch(Rectangle((0, 0), 1, 1, facecolor="none", edgecolor=style["color"], hatch=hatch,
                                   linewidth=0, gid=f"{gid}-region", zorder=1))
        else:
            ax.add_line(Line2D([float(box.p_low), float(box.p_high)], [float(box.q_low), float(box.q_high)],
                               solid_capstyle="round", clip_on=False, gid=gid, zorder=2, **style))


def _point_text(box) -> str:
    def span(lo, hi) -> str:
        return format_number(lo, 3) if lo == hi else f"[{format_number(lo, 3)}, {format_number(hi, 3)}]"
    return f"({span(box.p_low, box.p_high)}, {span(box.q_low, box.q_high)})"


def _draw(ax, corr: Correspondences2x2, *, title: str | None, label_points: bool) -> None:
    _draw_boxes(ax, corr.row, ROW_STYLE, "//", "br-row")
    _draw_boxes(ax, corr.column, COLUMN_STYLE, "\\\\", "br-column")
    for k, box in enumerate(corr.equilibria):
        if box.kind == "region":
            ax.add_patch(Rectangle((0, 0), 1, 1, facecolor="0.85", edgecolor="black", linewidth=1.5,
                                   gid=f"equilibrium:{k}", zorder=0))
            continue
        ax.add_line(Line2D([float(box.p_low), float(box.p_high)], [float(box.q_low), float(box.q_high)],
                           color="black", linewidth=1.8 if box.kind == "segment" else 0, marker="o", markersize=8,
                           markevery=[0] if box.kind == "point" else None, clip_on=False, zorder=4,
                           gid=f"equilibrium:{k}", solid_capstyle="butt"))
        if label_points:
            x, y = float(box.p_low + box.p_high) / 2, float(box.q_low + box.q_high) / 2
            ax.annotate(_point_text(box), (x, y), xytext=(6 if x < 0.7 else -6, -12 if y > 0.3 else 8),
                        textcoords="offset points", ha="left" if x < 0.7 else "right", fontsize=8, zorder=5,
                        bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none",
                              "alpha": 0.85})
    row, col = corr.players
    ax.set_xlim(-0.04, 1.04)
    ax.set_ylim(-0.04, 1.04)
    ax.set_aspect("equal")
    ax.set_xticks([0, 0.5, 1])
    ax.set_yticks([0, 0.5, 1])
    ax.set_xlabel(f"p = P({row} plays {corr.actions[0][0]})", fontsize=9)
    ax.set_ylabel(f"q = P({col} plays {corr.actions[1][0]})", fontsize=9)
    if title:
        ax.set_title("\n".join(textwrap.wrap(title, 48)), fontsize=10, gid="panel-title")


def _legend(fig, corrs: Sequence[Correspondences2x2]) -> None:
    corr = corrs[0]
    handles = [Line2D([], [], label=f"{corr.players[0]}'s best responses", **ROW_STYLE),
               Line2D([], [], label=f"{corr.players[1]}'s best responses", **COLUMN_STYLE),
               Line2D([], [], color="black", marker="o", linewidth=0, markersize=8, label="Nash equilibria")]
    if any(b.kind == "region" for c in corrs for b in c.row + c.column):
        handles.append(Patch(facecolor="none", edgecolor="0.3", hatch="//", label="indifferent everywhere"))
    fig.legend(handles=handles, loc="lower center", ncol=2, fontsize=8, frameon=False)


def best_response_diagram(game, *, title: str | None = None, label_points: bool = True) -> Figure:
    """The best-response diagram of a numeric 2x2 *game*.

    Parameters
    ----------
    game : NormalFormGame
        Two players, two actions each, exact or float payoffs.
    title : str, optional
        Default: the game's title.
    label_points : bool
        Write each equilibrium's (p, q) beside it.

    Returns
    -------
    matplotlib.figure.Figure
        One square axes, the legend below it.

    Raises
    ------
    ParameterError
        A game that is not 2x2, or a symbolic one.
    """
    corr = correspondences_2x2(game)
    fig = Figure(figsize=(4.6, 5.2))
    ax = fig.add_axes((0.17, 0.24, 0.76, 0.66))
    _draw(ax, corr, title=title if title is not None else (game.title or None), label_points=label_points)
    _legend(fig, [corr])
    return fig


def best_response_diagrams(model, param: str, values: Sequence[Any], *, form: str | None = None,
                           scenario: str | None = None, title: str | None = None, **fixed: Any) -> Figure:
    """Small multiples: the best-response diagram of *model*'s 2x2 game at each value of parameter *param*.

    Parameters
    ----------
    model : Model
    param : str
        The parameter that varies across the panels.
    values : sequence of numbers or strings, at most :data:`MAX_PANELS`
        Its values, one panel each, read like ``-p`` values (``"1/2"`` and ``"0.5"`` are exact).
    form, scenario : str, optional
        As for :meth:`Model.game <gametheory_ukraine.modelling.model.Model.game>`; default form: the model's first
        2x2 normal form.
    title : str, optional
        Figure title (default: the model's name, the scenario and the parameter).
    **fixed
        Other parameter overrides, the same in every panel.

    Raises
    ------
    ParameterError
        An unknown parameter, no values or too many, a value out of range, a form that is not 2x2.

    Examples
    --------
    >>> import gametheory_ukraine as gtu
    >>> fig = best_response_diagrams(gtu.load_model("chain-store"), "c_I", ["0", "3"])
    >>> [t.get_text() for t in fig.findobj(lambda a: getattr(a, "get_gid", lambda: None)() == "panel-title")]
    ['c_I = 0', 'c_I = 3']
    """
    if param not in model.parameters:
        raise ParameterError(f"{model.name} has no parameter {param!r}", where="--over",
                             fix="choose one of " + ", ".join(model.parameters))
    values = list(values)
    if not values or len(values) > MAX_PANELS:
        raise ParameterError(f"{len(values)} values of {param} given; a figure has 1 to {MAX_PANELS} panels",
                             where="--values", fix=f"give between 1 and {MAX_PANELS} values")
    if form is None:
        form = next((f for f, g in model.forms.items() if getattr(g, "shape", None) == (2, 2)), None)
        if form is None:
            raise ParameterError(f"{model.name} has no 2x2 normal form for a best-response diagram",
                                 where="--form", fix="choose a model with a 2x2 normal form, e.g. chain-store")
    games = [model.game(form, scenario, **{**fixed, param: v}) for v in values]
    corrs = [correspondences_2x2(g) for g in games]
    nrows = math.ceil(len(values) / 4)
    ncols = math.ceil(len(values) / nrows)
    fig = Figure(figsize=(3.0 * ncols + 0.4, 3.1 * nrows + 1.1))
    fig.subplots_adjust(left=0.5 / (3.0 * ncols + 0.4) * 2, right=0.97, top=1 - 0.7 / (3.1 * nrows + 1.1),
                        bottom=0.95 / (3.1 * nrows + 1.1) + 0.12 / nrows, wspace=0.45, hspace=0.55)
    axes = fig.subplots(nrows, ncols, squeeze=False)
    for k, (value, corr) in enumerate(zip(values, corrs)):
        _draw(axes[k // ncols][k % ncols], corr, title=f"{param} = {value}", label_points=False)
    for k in range(len(values), nrows * ncols):
        axes[k // ncols][k % ncols].set_visible(False)
    fig.suptitle(title or f"{model.name}: best responses as {param} varies ("
                 + (f"scenario {scenario}" if scenario else "parameter defaults") + ")", fontsize=11)
    _legend(fig, corrs)
    return fig
