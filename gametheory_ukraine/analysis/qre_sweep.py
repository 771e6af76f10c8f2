"""Logit quantal response equilibria over a parameter grid, at one precision lambda.

Each grid point's game is solved by :func:`~gametheory_ukraine.solvers.qre.logit_qre` (the principal branch
traced from lambda = 0 to the given lambda); the table has one row per point.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from ..solvers.qre import MAX_STEPS, check_lambda, logit_qre
from .designs import design

__all__ = ["qre_sweep", "MAX_QRE_POINTS"]

#: Default budget of grid points of :func:`qre_sweep` (each traces a whole branch).
MAX_QRE_POINTS = 10_000


def qre_sweep(model, values: Mapping[str, Any], *, lam: float, form: str | None = None,
              scenario: str | None = None, max_points: int | None = None, max_steps: int = MAX_STEPS,
              max_work: int | None = None, tol: float = 1e-12) -> pd.DataFrame:
    """The logit QRE at precision *lam* at every point of a parameter grid.

    Parameters
    ----------
    model : Model
    values : mapping of str -> spec
        Parameter name -> grid spec (``"0:0.5:11"``, ``"0.1,0.2"``, a fixed value): see
        :func:`~gametheory_ukraine.analysis.designs.parse_spec`. Parameters not given keep the scenario's values.
    lam : float
        Precision lambda >= 0.
    form, scenario : str, optional
        As in :meth:`Model.game`.
    max_points : int, optional
        Budget of grid points (default :data:`MAX_QRE_POINTS`).
    max_steps, max_work, tol
        As in :func:`~gametheory_ukraine.solvers.qre.logit_qre`.

    Returns
    -------
    pandas.DataFrame
        One row per point: ``point_id``, one column per parameter in *values* (float), ``lambda``, ``payoff:P``,
        ``prob:P:action`` (``prob:P:information set:action`` for a tree), ``regret`` (distance from a Nash
        equilibrium).

    Examples
    --------
    >>> import gametheory_ukraine as gtu
    >>> df = qre_sweep(gtu.load_model("chain-store"), {"c_I": "0:2:3"}, lam=2, form="normal")
    >>> df.shape[0], df["lambda"].tolist()
    (3, [2.0, 2.0, 2.0])
    """
    lam = check_lambda(lam)
    points = design(values, method="grid", max_points=MAX_QRE_POINTS if max_points is None else max_points)
    rows = []
    for k, point in enumerate(points.to_dict("records")):
        game = model.game(form, scenario, exact=False, **point)
        q = logit_qre(game, lam, tol=tol, max_steps=max_steps, max_work=max_work, parameters=point)
        row: dict[str, Any] = {"point_id": k, **{name: float(v) for name, v in point.items()}, "lambda": lam}
        row.update({f"payoff:{p}": v for p, v in zip(q.players, q.payoffs)})
        for player, plan in q.strategy_dict().items():
            if q.form == "normal":
                row.update({f"prob:{player}:{a}": p for a, p in plan.items()})
            else:
                row.update({f"prob:{player}:{h}:{a}": p for h, d in plan.items() for a, p in d.items()})
        row["regret"] = q.regret
        rows.append(row)
    return pd.DataFrame(rows)
