r"""Tactical against strategic value: "tactically, the parties may win but, strategically, there can be no winners".

Stanovaya (2025)'s sentence becomes two measurements per player, declared in a model file's ``tactical:`` block
(the parameter ``terms`` that sets the player's own terms, its ``sign``, the parameters ``strategic`` that weight
the strategic component of its payoff, and the ``reference`` definition, its pre-war value):

* **tactical**: :math:`s\,\partial V_i/\partial\theta` along the equilibrium, holding the other players' responses
  (the whole profile) fixed and the strategic component out (its weights at 0). In the bundled ``settlement``
  model the relapse hazard does not depend on the terms parameter, so it is held fixed too;
* **total**: :math:`s\,(V_i^*(\theta + \epsilon) - V_i^*(\theta - \epsilon))/(2\epsilon)`, the change of the
  player's equilibrium value with the equilibrium solved again on each side (responses and path may change;
  strategic component in), :math:`\epsilon` = 1/1000 of the parameter's range;

and one level comparison: the player's equilibrium value against its pre-war reference. ``1 - total/tactical`` is
the share of a tactical gain (better terms) that the strategic channels and the responses take back; a player
*wins strategically* if its equilibrium value is above its pre-war reference. The claim holds at a point iff no
player wins strategically.

References
----------
.. [Sta25] T. Stanovaya, Carnegie Politika, 2025 (the package's bibliography, ``models/references.bib``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import pandas as pd
import sympy

from ..core.errors import ParameterError
from ..core.numbers import to_exact
from ..solvers.subgame_perfect import expected_payoffs

__all__ = ["TacticalStrategic", "tactical_strategic"]


@dataclass(frozen=True)
class TacticalStrategic:
    """Result of :func:`tactical_strategic`.

    Attributes
    ----------
    model, form, scenario : str
        What was solved (scenario ``None``: the defaults).
    parameters : dict
        Every parameter's exact value at the point.
    table : pandas.DataFrame
        One row per (equilibrium, player): ``equilibrium``, ``player``, ``terms`` (parameter), ``sign``,
        ``tactical``, ``total``, ``strategic_share`` (1 - total/tactical: the share of the tactical gain lost
        strategically), ``value``, ``reference`` (pre-war value), ``above_reference``.
    holds : bool
        True iff no player ends above its pre-war reference in any equilibrium ("there can be no winners").
    notes : tuple of str
    """

    model: str
    form: str
    scenario: str | None
    parameters: Mapping[str, Fraction]
    table: pd.DataFrame
    holds: bool
    notes: tuple[str, ...]

    def to_dict(self) -> dict:
        return {"model": self.model, "form": self.form, "scenario": self.scenario, "kind": "tactical",
                "parameters": {k: str(v) for k, v in self.parameters.items()},
                "rows": self.table.to_dict(orient="records"), "holds": self.holds, "notes": list(self.notes)}


def _behaviour(eq) -> dict:
    return {h: ps for s in eq.strategies for h, ps in s.items()}


def _value_at(model, form: str, point: Mapping[str, Fraction], theta: str, x: Fraction, i: int, player: str,
              notes: list[str]) -> Fraction:
    """Player *i*'s equilibrium value with *theta* = *x* (the mean over distinct values, with a note)."""
    r = model.solve(form, None, exact=True, **{**point, theta: x})
    vals = {Fraction(e.payoffs[i]) for e in r.equilibria}
    if len(vals) > 1:
        notes.append(f"{player}: several equilibrium values at {theta} = {x}; their mean is used")
    return sum(vals, Fraction(0)) / len(vals)


def tactical_strategic(model, *, form: str | None = None, scenario: str | None = None,
                       values: Mapping[str, Any] | None = None) -> TacticalStrategic:
    """Tactical and total derivatives of each player's equilibrium value in its own terms, and its value against
    its pre-war reference (module docstring).

    Parameters
    ----------
    model : Model
        A model whose file has a ``tactical:`` block and a sequential form.
    form : str, optional
        Default ``"sequential"``.
    scenario : str, optional
    values : mapping, optional
        Parameter values on top of the scenario's, read exactly.

    Returns
    -------
    TacticalStrategic

    Raises
    ------
    ParameterError
        If the model has no ``tactical:`` block or the form is not a tree.

    Examples
    --------
    >>> import gametheory_ukraine as gtu
    >>> res = tactical_strategic(gtu.load_model("settlement"), scenario="baseline-2025")
    >>> res.table[["player", "tactical", "total", "above_reference"]].round(3).values.tolist()
    [['Russia', 3.596, 2.158, True], ['Ukraine', 3.596, 3.596, False]]
    >>> res.holds
    False
    """
    spec = model.meta.get("tactical")
    if not spec:
        raise ParameterError(f"model {model.name!r} declares no tactical block",
                             fix="use a model with a 'tactical:' block (the bundled 'settlement')")
    form = form or "sequential"
    symbolic = model.symbolic(form)
    if not hasattr(symbolic, "root"):
        raise ParameterError(f"form {form!r} of {model.name!r} is not a tree", fix="use --form sequential")
    if scenario is not None and scenario not in model.scenarios:
        raise ParameterError(f"unknown scenario {scenario!r}", fix=f"use one of: {', '.join(model.scenarios)}")
    base = dict(model.scenarios[scenario].values) if scenario else {}
    base.update({k: to_exact(v) for k, v in (values or {}).items()})
    point = {n: to_exact(base.get(n, p.default)) for n, p in model.parameters.items()}
    solved = model.solve(form, None, exact=True, **point)
    players = list(solved.players)
    rows: list[dict] = []
    notes: list[str] = []
    subs = {sympy.Symbol(n): sympy.Rational(v.numerator, v.denominator) for n, v in point.items()}
    for k, eq in enumerate(solved.equilibria):
        pays = expected_payoffs(symbolic, _behaviour(eq))
        for player, s in spec.items():
            i = players.index(player)
            theta = s["terms"]
            sym = sympy.Symbol(theta)
            off = dict(subs)
            off.update({sympy.Symbol(w): 0 for w in s["strategic"]})
            tactical = s["sign"] * sympy.diff(sympy.sympify(pays[i]), sym).xreplace(off)
            p = model.parameters[theta]
            eps = (to_exact(p.high) - to_exact(p.low)) / 1000
            lo = max(point[theta] - eps, to_exact(p.low))
            hi = min(point[theta] + eps, to_exact(p.high))

            total = s["sign"] * (_value_at(model, form, point, theta, hi, i, player, notes)
                                 - _value_at(model, form, point, theta, lo, i, player, notes)) / (hi - lo)
            reference = Fraction(str(sympy.nsimplify(s["reference_expression"].xreplace(subs))))
            value = Fraction(eq.payoffs[i])
            rows.append({"equilibrium": k, "player": player, "terms": theta, "sign": s["sign"],
                         "tactical": float(tactical), "total": float(total),
                         "strategic_share": float(1 - total / tactical) if tactical != 0 else float("nan"),
                         "value": float(value), "reference": float(reference),
                         "above_reference": bool(value > reference)})
    table = pd.DataFrame(rows)
    holds = not bool(table["above_reference"].any())
    notes.append("tactical: derivative along the equilibrium with every response fixed and the strategic "
                 "weights (" + ", ".join(w for s in spec.values() for w in s["strategic"]) + ") at 0; total: "
                 "central difference of the equilibrium value re-solved at the terms parameter +- 1/1000 of its range")
    return TacticalStrategic(model.name, form, scenario, point, table, holds, tuple(dict.fromkeys(notes)))
