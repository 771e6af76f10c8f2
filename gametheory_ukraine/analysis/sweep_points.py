"""One point of a sweep: the scalar solve, its numbers as a row block, and an error restated for the point.

:func:`solve_point` is the one per-point solve of a sweep: the plan's probe point
(:func:`~gametheory_ukraine.analysis.sweep_plan.plan_sweep`) and every point of the scalar engine
(:mod:`gametheory_ukraine.analysis.sweep_chunks`) go through it, looked up on this module when called, so that
replacing it here replaces it for both. :func:`result_layout` names a result's payoff and probability columns
and :func:`numeric_block` fills them; :func:`point_error` restates a failure at a point with the point's values.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from ..core.errors import ParameterError, SolverError
from ..core.numbers import format_exact
from ..solvers.solving import solve

__all__ = ["solve_point", "result_layout", "numeric_block", "point_error"]


def solve_point(model, form: str, scenario: str | None, values: Mapping[str, Any], exact: bool):
    """Solve *model*'s *form* under *scenario* with *values* (already validated) overriding it.

    Returns
    -------
    EquilibriumSet
    """
    vals = model.values(scenario)
    vals.update(values)
    game = model.symbolic(form).instantiate(vals, exact=exact)
    return solve(game, exact=exact, parameters=vals)


def result_layout(result) -> tuple[list[str], list[str], list[tuple[int, Any, int]]]:
    """Payoff and probability column names of a result, and where each probability lives: (player, information
    set or None, action index); :meth:`~gametheory_ukraine.solvers.results.EquilibriumSet.columns`."""
    return result.columns()


def numeric_block(result, where) -> np.ndarray:
    """(n_equilibria, n_players + n_probabilities + 1) float64: payoffs, probabilities, regret."""
    n_players = len(result.players)
    out = np.full((max(1, len(result)), n_players + len(where) + 1), np.nan)
    for k, eq in enumerate(result.equilibria):
        out[k, :n_players] = [float(v) for v in eq.payoffs]
        for c, (i, h, a) in enumerate(where):
            s = eq.strategies[i]
            if h is None:
                out[k, n_players + c] = float(s[a])
            elif h in s:
                out[k, n_players + c] = float(s[h][a])
        out[k, -1] = float(eq.regret)
    return out


def point_error(exc, point: Mapping[str, Any]):
    """*exc* (a :class:`~gametheory_ukraine.core.errors.GTUError`) restated for the sweep point *point* (the varied
    parameters' values), so that a payoff undefined, infinite or complex at one point of a sweep names the values
    that cause it; the sweep stops there (no row is written for a point that has no real payoffs)."""
    if not isinstance(exc, (ParameterError, SolverError)):  # a value the solver could not take: complex, NaN
        text = str(exc)
        text = text if len(text) <= 80 else text[:40] + "\u2026" + text[-39:]
        exc = ParameterError(f"a payoff or probability is not a finite real number ({type(exc).__name__}: {text})")

    def show(v: Any) -> str:
        text = repr(v) if isinstance(v, float) else format_exact(v) if not isinstance(v, str) else v
        return text if len(text) <= 30 else text[:14] + "\u2026" + text[-15:]

    where = ", ".join(f"{k}={show(v)}" for k, v in point.items())
    return type(exc)(f"at the sweep point {where}: {exc.message}", path=exc.path, where=exc.where,
                     fix=exc.fix or "narrow the swept ranges to values where every payoff and probability is a "
                                    "finite real number")
