"""Describing logit quantal response equilibria: the JSON document and text of ``gtu solve --method logit-qre``,
and the figure of the principal branch (each action's probability against the precision lambda)."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from ..modelling.model import Model
from ..solvers.qre import QRE
from .plots import probabilities_vs

__all__ = ["qre_to_dict", "qre_text", "qre_path_figure"]


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
    """Each action's probability along the principal branch, against lambda (or against a swept parameter).

    Parameters
    ----------
    df : pandas.DataFrame
        :meth:`QREPath.to_frame` (a ``lambda`` column and ``prob:...`` columns), or a
        :func:`~gametheory_ukraine.analysis.qre_sweep.qre_sweep` table over one parameter.
    x : str
        The column on the horizontal axis: ``"lambda"`` or the swept parameter.
    title : str, optional
    figsize : (float, float), optional

    Returns
    -------
    matplotlib.figure.Figure
        One line per action whose probability changes along the path (gid ``"<column>:0"``).

    Examples
    --------
    >>> df = pd.DataFrame({"lambda": [0.0, 1.0, 2.0], "prob:A:x": [0.5, 0.7, 0.8], "prob:A:y": [0.5, 0.3, 0.2]})
    >>> [ln.get_gid() for ln in qre_path_figure(df).axes[0].lines]
    ['prob:A:x:0', 'prob:A:y:0']
    """
    fig = probabilities_vs(df.assign(equilibrium=0), x, title=title, figsize=figsize)
    ax = fig.axes[0]
    if x == "lambda":
        ax.set_xlabel("precision $\\lambda$ (logit quantal response)")
    ax.set_ylabel("probability in the logit QRE")
    return fig
