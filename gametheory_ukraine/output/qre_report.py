"""Describing logit quantal response equilibria: the JSON document and text of ``gtu solve --method logit-qre``,
and the figure of the principal branch (each action's probability against the precision lambda)."""

from __future__ import annotations

import math
import textwrap

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ..modelling.model import Model
from ..solvers.qre import QRE
from .plots import LINE_COLOURS, LINE_STYLES, MARKERS

__all__ = ["qre_to_dict", "qre_text", "qre_path_figure", "MAX_PANELS"]

#: Most panels (players, or information sets) of one figure of the branch.
MAX_PANELS = 36


def qre_to_dict(model: Model, form: str, scenario: str | None, result: QRE) -> dict:
    """The ``gtu solve --method logit-qre --format json`` document: the model, form and scenario, then
    :meth:`QRE.to_dict` (``lambda``, ``strategies``, ``payoffs``, ``regret``, ``nash: false``, ...)."""
    return {"model": model.name, "form": form, "scenario": scenario, **result.to_dict(),
            "model_sha256": model.sha256}


def qre_text(model: Model, form: str, scenario: str | None, result: QRE) -> str:
    """The model, form and scenario on one line, then the QRE as :meth:`QRE.__str__` writes it."""
    head = f"{model.name} ({form}" + (f", scenario {scenario}" if scenario else "") + ")"
    return head + "\n" + str(result)


def qre_path_figure(df: pd.DataFrame, *, x: str = "lambda", title: str | None = None,
                    figsize: tuple[float, float] | None = None) -> Figure:
    """Each action's probability along the principal branch against lambda (or against a swept parameter):
    one panel per player of a normal form, per information set of a tree (the column name without its last
    ``:action`` part), so that a tree with many information sets stays readable.

    Parameters
    ----------
    df : pandas.DataFrame
        :meth:`QREPath.to_frame` (a ``lambda`` column and ``prob:...`` columns), or a
        :func:`~gametheory_ukraine.analysis.qre_sweep.qre_sweep` table over one parameter.
    x : str
        The column on the horizontal axis: ``"lambda"`` or the swept parameter.
    title : str, optional
    figsize : (float, float), optional
        Default: 4 x 2.8 inches a panel, three panels a row.

    Returns
    -------
    matplotlib.figure.Figure
        Lines have ``gid=<column>``.

    Raises
    ------
    ValueError
        No ``prob:`` column, *x* missing, or more than :data:`MAX_PANELS` panels.

    Examples
    --------
    >>> df = pd.DataFrame({"lambda": [0.0, 1.0, 2.0], "prob:A:x": [0.5, 0.7, 0.8], "prob:A:y": [0.5, 0.3, 0.2],
    ...                    "prob:B:h:u": [0.5, 0.4, 0.1], "prob:B:h:v": [0.5, 0.6, 0.9]})
    >>> fig = qre_path_figure(df)
    >>> [[ln.get_gid() for ln in ax.lines] for ax in fig.axes]
    [['prob:A:x', 'prob:A:y'], ['prob:B:h:u', 'prob:B:h:v']]
    """
    columns = [c for c in df.columns if str(c).startswith("prob:")]
    if x not in df.columns or not columns:
        raise ValueError(f"qre_path_figure needs a column {x!r} and prob: columns")
    groups: dict[str, list[str]] = {}
    for c in columns:
        groups.setdefault(c[len("prob:"):].rsplit(":", 1)[0], []).append(c)
    if len(groups) > MAX_PANELS:
        raise ValueError(f"{len(groups)} panels are too many for one figure (at most {MAX_PANELS})")
    ncols = min(3, len(groups))
    nrows = math.ceil(len(groups) / ncols)
    with matplotlib.rc_context({"text.usetex": False}):
        fig = Figure(figsize=figsize or (4.0 * ncols, 2.8 * nrows + (0.4 if title else 0)), layout="constrained")
        axes = fig.subplots(nrows, ncols, squeeze=False, sharex=True, sharey=True).ravel()
    order = np.argsort(df[x].to_numpy(dtype=float), kind="stable")
    xs = df[x].to_numpy(dtype=float)[order]
    for ax, (group, cols) in zip(axes, groups.items()):
        for k, c in enumerate(cols):
            ax.plot(xs, df[c].to_numpy(dtype=float)[order], color=LINE_COLOURS[k % len(LINE_COLOURS)],
                    linestyle=LINE_STYLES[k % len(LINE_STYLES)], marker=MARKERS[k % len(MARKERS)],
                    markevery=max(1, len(xs) // 8), markersize=4, linewidth=1.5, gid=c,
                    label=c.rsplit(":", 1)[1])
        ax.set_title(textwrap.shorten(group.replace(":", ": "), 48), fontsize="medium")
        ax.set_ylim(-0.04, 1.04)
        ax.grid(True, color="0.9", linewidth=0.6)
        ax.legend(fontsize="small", frameon=False, loc="best")
    for ax in axes[len(groups):]:
        ax.set_visible(False)
    fig.supxlabel("precision $\\lambda$ (logit quantal response)" if x == "lambda" else x)
    fig.supylabel("probability in the logit QRE")
    if title:
        fig.suptitle(title)
    return fig
