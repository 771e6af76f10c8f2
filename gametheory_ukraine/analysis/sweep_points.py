"""One point of a sweep: the scalar solve, its numbers as a row block, and an error restated for the point.

:func:`solve_point` is the one per-point solve of a sweep: the plan's probe point
(:func:`~gametheory_ukraine.analysis.sweep_plan.plan_sweep`) and every point of the scalar engine
(:mod:`gametheory_ukraine.analysis.sweep_chunks`) go through it, looked up on this module when called, so that
replacing it here replaces it for both -- except the probe of a sweep on the batched N-player engine, which asks
that engine (:func:`batched_count`) and falls back to :func:`solve_point` only where it leaves the point to the
scalar path. :func:`result_layout` names a result's payoff and probability columns and :func:`numeric_block`
fills them; :func:`point_error` restates a failure at a point with the point's values.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from ..batched.compile import CompiledNormalForm, compile_normal_form
from ..batched.n_player import batched_nash
from ..core.errors import ParameterError, SolverError
from ..core.numbers import format_exact
from ..solvers.solving import solve

__all__ = ["solve_point", "compiled_normal_form", "batched_count", "result_layout", "numeric_block", "point_error"]

_COMPILED: dict = {}


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


def compiled_normal_form(model, form: str) -> CompiledNormalForm:
    """*model*'s normal form *form* compiled to numpy
    (:func:`~gametheory_ukraine.batched.compile.compile_normal_form`), once per process and model version (the
    last 16 kept)."""
    game = model.symbolic(form)
    key = (model.name, model.sha256, form, id(game))
    if key not in _COMPILED:
        if len(_COMPILED) >= 16:
            _COMPILED.clear()
        _COMPILED[key] = compile_normal_form(game)
    return _COMPILED[key]


def batched_count(model, form: str, scenario: str | None, values: Mapping[str, Any]) -> int | None:
    """The number of equilibria of *model*'s N-player normal form *form* at one point, from the batched engine
    (:func:`~gametheory_ukraine.batched.n_player.batched_nash`, float payoffs), or None where that engine leaves
    the point to the scalar path: not certified there, or a payoff undefined or not finite (the scalar path then
    says which).

    Parameters
    ----------
    model : Model
    form : str
    scenario : str or None
    values : mapping of str -> number
        Values overriding the scenario's, already validated.
    """
    compiled = compiled_normal_form(model, form)
    vals = model.values(scenario)
    vals.update(values)
    try:
        pay = compiled.payoffs({k: float(vals[k]) for k in compiled.parameters})
        res = batched_nash(tuple(np.broadcast_to(u, (1, *np.shape(u)[1:])) for u in pay))
    except (ParameterError, ValueError, TypeError, ArithmeticError):
        return None
    return int(res.counts[0]) if res.certified[0] else None


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
