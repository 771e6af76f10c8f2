"""Critical parameter values where the equilibria of a model change (relapse-risk thresholds and others).

Sensitivity to relapse risk means, among other things, the critical rho* where the equilibrium set changes,
in closed form where sympy can find it. :func:`thresholds` finds every such value of one parameter over an
interval, numerically everywhere and in closed form where an indifference condition of the game gives it.

Algorithm
---------
1. **Scan.** Solve the game at ``grid`` evenly spaced values of the parameter over ``over`` (default its
   [low, high]; the interval must lie inside it), the other parameters at the scenario's values (or the
   defaults) plus ``values``, in float mode, and take the equilibrium signature at each point
   (:func:`signature`: :func:`~gametheory_ukraine.solvers.signature.equilibrium_signature`, the outcome
   and supports of every equilibrium, with a lottery named by its outcomes without their probabilities,
   which move continuously). The per-point work is :class:`PointSolver` (payoffs compiled once) and
   :func:`scan`, which a batched engine replaces. Each equilibrium enters the signature as a whole (the
   supports at every information set together), so the signature changes when the set of equilibria does,
   even where the actions played at each information set and the outcomes stay the same: a tie that appears
   or disappears, or a pairing that changes (a follower indifferent among several replies keeps all of them,
   but which of them goes with the leader's outside option changes); ``on="outcomes"`` ignores such changes.
2. **Refine.** For every pair of neighbouring grid points whose signatures differ, recompute both
   signatures in exact rational arithmetic and bisect, solving exactly at each midpoint, until the bracket
   is shorter than ``xtol``; a midpoint that matches neither end splits the bracket in two, so several
   changes in one grid cell are all found. Brackets that touch are merged: a grid point that falls exactly
   on a tie gives one threshold, not two. The signature is a step function, so bracketing bisection is the
   root finder (no derivative, no sign to follow), and in exact arithmetic float noise cannot invent a
   threshold. (Games whose payoffs are not rational functions, e.g. with ``exp``, are bisected in float
   mode; the notes say so.)
3. **Closed form.** Each threshold is a root of an indifference condition. Candidates:

   - *game trees*: solve just below and just above the bracket, find the information sets where the
     chosen action changes, and build symbolically, on the model's symbolic tree with the other moves
     fixed as in those (pure) subgame-perfect equilibria, the mover's continuation value of each action
     played there, from the node (or the smallest subgame containing the information set); the difference
     of two such values is a candidate. When none of these has a root in the bracket, a second pass
     (:mod:`~gametheory_ukraine.analysis.threshold_candidates`) takes the information sets where the
     *pairing* of actions with continuations changes (two or more actions played there, and the set of
     (action there, supports in its subgame) pairs differs between the sides) and every equilibrium of
     either side, mixed ones included: a mixed subgame equilibrium is solved symbolically from its
     indifference conditions (each mover indifferent on its support; sympy, up to
     :data:`~gametheory_ukraine.analysis.threshold_candidates.MAX_MIXED_UNKNOWNS` unknown probabilities),
     the solution that equals the solver's profile kept, so an option whose value crosses the value of a
     mixed equilibrium gets an exact root of their difference; the mixed probabilities are candidates too
     (a root where one reaches 0). A candidate from this pass names the continuation it is taken against
     (``"Leader at 'L': 'out' vs 'in' given 'F': 'r2'"``, ``"... (mixed play at 'R', 'C')"``);
   - *normal forms*: every pure-deviation payoff difference u_i(a, b) - u_i(a', b), for every player i,
     opponent pure profile b and actions a != a'; for two players also, for each mixed equilibrium just
     below or above with supports of equal size, the opponent's mixed strategy solved symbolically from
     the indifference on the support, then each probability on the support (a root where it reaches 0)
     and each outside action's payoff difference against that mixed strategy.

   A candidate is kept if it changes sign across the final bracket (evaluated exactly) or nearly vanishes
   in it (a tangency). The numerator of each kept candidate is solved for the parameter: directly when
   linear, with :func:`sympy.solve` for polynomials up to degree 4 and small non-polynomial conditions. A
   root, an expression in the other parameters, *matches* when its value at the point lies in the final
   bracket (widened by 1e-9, relative), i.e. equals the refined value within 1e-9 for the default ``xtol``;
   roots within 1e-9 of the bracket's midpoint come first, then the simplest. A match is reported as
   ``"closed form"``, simplified (:func:`sympy.simplify`, :func:`sympy.factor`, partial fractions: the
   shortest), with its exact value when rational; otherwise the threshold is ``"numeric (root finding)"``
   at the midpoint of the final bracket.

4. **Conditions.** A closed form carries the conditions under which its direction holds
   (:mod:`~gametheory_ukraine.analysis.threshold_conditions`): solving the indifference condition for the
   parameter divides by the slope of its numerator at the root (for A*x + B, by A) and carries the sign of
   its denominator; each factor of those whose sign is not fixed on the declared parameter box becomes a
   sympy-printed condition such as ``"dp_belt + dp_erosion > 0"`` (oriented as at the model's parameter
   defaults), a factor that may only not vanish becomes ``"... != 0"``. The conditions are evaluated at the
   point: a threshold whose conditions fail there is not reported as if they held: ``conditions_hold`` is
   False, the failing ones are listed, and the direction (which action the indifference condition favours
   below and above) is derived from the signs at the point, saying when the inequality is reversed with
   respect to where the conditions hold. (The threshold itself and ``before``/``after`` are read from solves
   and hold at the point either way.)

What changes (``before`` and ``after``, the sorted outcome labels) is read from solves just below and just
above (``xtol`` beyond the bracket), so a tie at the threshold itself, where the solver reports the
equilibria of both sides, does not blur it.

Limits: a change and its reversal within one grid cell (the same signature at both ends) is missed; raise
``grid`` to be sure. An isolated tie (the same equilibria on both sides, different only at one point) is
not a threshold, nor is a change at an end of the range (nothing lies beyond it, e.g. a tie at a
probability parameter's 0): both are listed in the notes when the grid meets them. A mixed subgame
equilibrium is made symbolic only when sympy solves its indifference conditions with at most
:data:`~gametheory_ukraine.analysis.threshold_candidates.MAX_MIXED_UNKNOWNS` unknowns and one solution equals
the solver's; otherwise a threshold that needs it gets no closed form.

References
----------
.. [Fea95] J. D. Fearon, "Rationalist explanations for war", *International Organization* 49(3), 1995,
   pp. 379-414 (the indifference conditions of the framework models).
.. [Sel65] R. Selten, "Spieltheoretische Behandlung eines Oligopolmodells mit Nachfrageträgheit",
   *Zeitschrift für die gesamte Staatswissenschaft* 121, 1965 (backward induction and subgames).
"""

from __future__ import annotations

import difflib
import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np
import sympy as sp
from sympy.printing.pycode import PythonCodePrinter

from .._version import __version__
from ..core.errors import ParameterError, SolverError
from ..core.frozen import FrozenDict
from ..core.numbers import format_exact, to_exact
from ..games.normal_form import NormalFormGame
from ..games.tree import Chance, Decision, GameTree, Terminal
from ..modelling.model import Model
from ..modelling.registry import load_model
from ..solvers.results import EquilibriumSet, number_text
from ..solvers.signature import equilibrium_signature, outcome_set
from ..solvers.solving import solve
from .designs import check_count
from .sweep_plan import check_sweep_work
from .threshold_candidates import pairing_candidates, played_candidates
from .threshold_conditions import box_of, derive

#: Default budget of the scan's grid points (``gtu thresholds --max-points``, ``max_points=``): each is one float
#: solve (about 1 ms for the framework models), so 10**5 points are a minute or two.
MAX_SCAN_POINTS = 100_000

__all__ = ["Threshold", "ThresholdResult", "thresholds", "signature", "outcomes", "scan", "solve_point",
           "PointSolver", "range_bound", "CLOSED_FORM", "EXACT_ROOT", "NUMERIC"]

CLOSED_FORM = "closed form"
#: The indifference condition is over the closed-form budget, but with the other parameters at their (exact)
#: values it is a polynomial in the parameter whose root is exact: the value and the indifference that sets it
#: are reported, without a formula in the other parameters.
EXACT_ROOT = "exact root (other parameters at their values)"
NUMERIC = "numeric (root finding)"

#: Relative tolerance for a candidate root to match the refined threshold.
MATCH_RTOL = 1e-9
#: A candidate is solved symbolically only if it changes sign across the final bracket or its absolute
#: value at the bracket's midpoint is at most this (a tangency).
SCREEN_ABS = 1e-8
#: Most brackets split in two inside one grid cell before the search there gives up.
MAX_SPLITS = 32

#: Largest indifference condition (sympy ``count_ops``) whose closed form is sought; larger ones (a tree with
#: dozens of subgames, e.g. ``settlement``) are bounded work refused: the threshold is reported from the exact
#: bisection, with a note. Raise it with ``thresholds(..., max_ops=N)`` / ``gtu thresholds --max-ops N``.
MAX_CLOSED_FORM_OPS = 150

#: Most divisions (negative powers) in an indifference condition whose closed form is sought: bringing nested
#: fractions to one (what solving and the conditions need) grows exponentially with them. The framework models'
#: conditions have at most 2; the settlement's, with a relapse value inside a relapse value, many more.
MAX_CLOSED_FORM_DIVISIONS = 4

#: A root, as solved and before it is simplified, may be this many times larger than *max_ops* (nato's pledge
#: threshold a* solves to 301 operations and simplifies to 20).
ROOT_OPS_FACTOR = 4
#: Tolerance of the one retry of a float solve that failed its certificate next to a tie.
RETRY_TOL = 1e-8
#: Float-mode bisection (irrational payoffs): brackets closer than this (times max(1, |range ends|)) are
#: one threshold, since the float solver reports a tie over a small window around it.
FLOAT_MERGE = 1e-6
#: Highest degree (in the parameter) of a polynomial indifference condition that is solved symbolically.
MAX_DEGREE = 4
#: Highest degree of the one-variable polynomial whose real roots are isolated exactly when the other parameters
#: are put in (:func:`_exact_root`): isolation over the rationals needs no closed form, so it goes further.
MAX_ROOT_DEGREE = 64
#: Largest (by :func:`sympy.count_ops`) non-polynomial condition (exp, log, ...) handed to sympy.solve.
MAX_OPS_TRANSCENDENTAL = 40


# ----------------------------------------------------------------------------------------------- results
@dataclass(frozen=True)
class Threshold:
    """One critical value of a parameter.

    Attributes
    ----------
    param : str
        The parameter varied.
    value : float
        The critical value (the closed form's value, or the midpoint of the final bisection bracket).
    exact : Fraction or None
        The exact value when the closed form evaluates to a rational number.
    expression : sympy expression or None
        The closed form in the other parameters; None when only numeric.
    method : str
        ``"closed form"``; ``"exact root (other parameters at their values)"`` (:data:`EXACT_ROOT`: the indifference
        condition is too large for a closed form, but with the other parameters at their values its root is
        exact; *indifference*, *direction* and *sign_above* are given, *expression* and *conditions* are not); or
        ``"numeric (root finding)"``.
    before, after : tuple of str
        The sorted outcome labels of the equilibria just below and just above.
    change : str
        ``"war continues -> settlement on Russian terms"``, or ``"equilibrium set changes (same outcomes)"``
        (read from solves on both sides, so true at the evaluated point whatever the conditions say).
    conditions : tuple of str
        For a closed form: the conditions under which its direction holds, sympy-printed (the signs of what
        solving the indifference condition for *param* divides by, e.g. ``"dp_belt + dp_erosion > 0"``, and
        what must not vanish), oriented as at the model's parameter defaults; those that hold on the whole
        declared parameter box are left out (see
        :mod:`~gametheory_ukraine.analysis.threshold_conditions`). Empty for a numeric threshold.
    conditions_hold : bool or None
        Whether every condition holds at the evaluated point; None for a numeric threshold. When False, the
        threshold is still a change of the equilibria here (*change*), but the closed form's direction is
        not the one stated where the conditions hold: *direction* gives the one that holds here.
    conditions_failing : tuple of str
        The conditions that fail at the evaluated point.
    indifference : str or None
        The indifference condition the closed form solves, e.g. ``"Ukraine at 'U': 'accept' vs 'reject'"``
        (the first compared with the second).
    direction : str or None
        When the first is preferred, derived from the sign of what the inequality is divided by at the
        evaluated point, e.g. ``"Ukraine prefers 'accept' to 'reject' at 'U' iff rho < rho*"``; when
        conditions fail, it names them and says whether the inequality is reversed with respect to where they
        hold.
    sign_above : int or None
        +1 or -1: the sign of the indifference condition (first minus second) just above the threshold at
        the evaluated point; None when it does not change sign there or for a numeric threshold.
    """

    param: str
    value: float
    exact: Fraction | None
    expression: object | None
    method: str
    before: tuple[str, ...]
    after: tuple[str, ...]
    change: str
    conditions: tuple[str, ...] = ()
    conditions_hold: bool | None = None
    conditions_failing: tuple[str, ...] = ()
    indifference: str | None = None
    direction: str | None = None
    sign_above: int | None = None

    def to_dict(self) -> dict:
        """JSON-ready: ``exact`` as ``"1/27"`` or None, ``expression`` as sympy's text or None,
        ``conditions`` a list of strings."""
        return {"value": float(self.value), "exact": None if self.exact is None else str(self.exact),
                "expression": None if self.expression is None else str(self.expression),
                "method": self.method, "before": list(self.before), "after": list(self.after),
                "change": self.change, "conditions": list(self.conditions),
                "conditions_hold": self.conditions_hold, "conditions_failing": list(self.conditions_failing),
                "indifference": self.indifference,
                "direction": self.direction,
                "sign_above": None if self.sign_above is None else int(self.sign_above)}   # a sympy Integer too


@dataclass(frozen=True)
class ThresholdResult:
    """Every threshold of one parameter over an interval, with what was held fixed.

    Attributes
    ----------
    model, param, form : str
    scenario : str or None
    over : tuple of float, length 2
        The interval searched.
    parameters : FrozenDict of str -> Fraction or float
        The values of the other parameters.
    thresholds : tuple of Threshold
        In increasing order of value.
    grid : int
        Points of the scan.
    notes : tuple of str
    """

    model: str
    param: str
    form: str
    scenario: str | None
    over: tuple[float, float]
    parameters: FrozenDict
    thresholds: tuple[Threshold, ...]
    grid: int
    notes: tuple[str, ...] = field(default=())

    def __len__(self) -> int:
        return len(self.thresholds)

    def __iter__(self):
        return iter(self.thresholds)

    def __getitem__(self, index: int) -> Threshold:
        return self.thresholds[index]

    def __repr__(self) -> str:
        """One line: the model, the parameter and its interval, the form and scenario, how many thresholds."""
        count = f"{len(self.thresholds)} threshold{'' if len(self.thresholds) == 1 else 's'}"
        return (f"<ThresholdResult: {self.model} {self.param} over [{float(self.over[0]):g}, {float(self.over[1]):g}]"
                f" ({self.form}, {self.scenario or 'defaults'}): {count}>")

    def __str__(self) -> str:
        """Each threshold in words: its value (the exact one and a decimal, or the closed form), how it was found,
        what changes there, and the direction; then the notes."""
        lines = [repr(self)]
        for t in self.thresholds:
            exact = "" if t.exact is None else f" = {number_text(t.exact)}"
            form = "" if t.expression is None else f" = {t.expression}"
            lines.append(f"{self.param}* = {t.value:.6g}{exact}{form} ({t.method})")
            lines.append(f"    {t.change}")
            if t.direction:
                lines.append(f"    {t.direction}")
            if t.conditions:
                lines.append("    conditions: " + "; ".join(t.conditions))
        if not self.thresholds:
            lines.append(f"no change for {self.param} in [{float(self.over[0]):g}, {float(self.over[1]):g}]")
        return "\n".join(lines + [f"note: {n}" for n in self.notes])

    def to_dict(self) -> dict:
        """A JSON-ready dict: ``{"param", "model", "form", "scenario", "range": [lo, hi], "thresholds":
        [{"value", "exact", "expression", "method", "before", "after", "change", "conditions",
        "conditions_hold", "conditions_failing", "indifference", "direction", "sign_above"}], "notes"}`` (see
        :class:`Threshold`) plus the
        fixed ``parameters`` (exact ones as strings such as ``"1/20"``), ``grid`` and the package
        ``version``."""
        return {"param": self.param, "model": self.model, "form": self.form, "scenario": self.scenario,
                "range": [float(self.over[0]), float(self.over[1])],
                "thresholds": [t.to_dict() for t in self.thresholds],
                "notes": list(self.notes),
                "parameters": {k: (v if isinstance(v, float) else str(v)) for k, v in self.parameters.items()},
                "grid": self.grid, "version": __version__}


# ------------------------------------------------------------------------------------- per-point work
def solve_point(model, form: str, scenario: str | None, values: Mapping[str, Any], *,
                exact: bool) -> EquilibriumSet:
    """Solve *model*'s *form* at one parameter point (the scenario's values overridden by *values*).

    The reference path (:meth:`Model.solve`); :class:`PointSolver` gives the same results faster when
    many points of one model are solved.
    """
    return model.solve(form, scenario, exact=exact, **values)


class PointSolver:
    """Solve one model's form at many parameter points: the per-point unit of work of :func:`thresholds`.

    The symbolic payoffs and chance probabilities are compiled once with :func:`sympy.lambdify`
    (substituting into a symbolic game costs more than solving it): with Python floats in float mode, with
    :class:`~fractions.Fraction` arithmetic in exact mode, so exact results are the same as
    :func:`solve_point`'s. A point the compiled game cannot evaluate (division by zero, an irrational
    value, a chance probability outside [0, 1]) goes through :func:`solve_point`, which reports it. A
    batched engine can replace this class: it must map (overrides, exact) to an
    :class:`~gametheory_ukraine.solvers.results.EquilibriumSet`.

    Parameters
    ----------
    model : Model
    form : str
    scenario : str or None
    values : mapping
        Fixed overrides of the scenario's values (validated here).
    """

    def __init__(self, model, form: str, scenario: str | None, values: Mapping[str, Any]) -> None:
        self.model, self.form, self.scenario = model, form, scenario
        self.values = dict(values)
        self.base = model.values(scenario, self.values)
        self._compiled: dict[bool, _CompiledGame] = {}
        self.retries = 0

    def __call__(self, overrides: Mapping[str, Any], *, exact: bool) -> EquilibriumSet:
        vals = dict(self.base)
        for name, v in overrides.items():
            self.model.parameters[name].check(to_exact(v))
            vals[name] = v if not exact else to_exact(v)
        if exact not in self._compiled:
            self._compiled[exact] = _CompiledGame(self.model.symbolic(self.form), exact)
        game = self._compiled[exact](vals)
        try:
            if game is None:
                return solve_point(self.model, self.form, self.scenario, {**self.values, **overrides},
                                   exact=exact)
            return solve(game, exact=exact, parameters=vals)
        except SolverError:
            if exact:
                raise
            # Float solving within about twice the tolerance of a tie can report an equilibrium whose
            # regret exceeds the tolerance it was found with; one retry with a looser tolerance.
            self.retries += 1
            if game is None:
                return self.model.solve(self.form, self.scenario, exact=False, tol=RETRY_TOL,
                                        **{**self.values, **overrides})
            return solve(game, exact=False, tol=RETRY_TOL, parameters=vals)


def signature(result: EquilibriumSet, tol: float = 1e-9) -> tuple:
    """:func:`~gametheory_ukraine.solvers.signature.equilibrium_signature` (lotteries named by the
    outcomes they mix, without their probabilities, so that a mixed strategy or chance probability that
    moves with the parameters is not a threshold at every point)."""
    return equilibrium_signature(result, tol)


def outcomes(result: EquilibriumSet, tol: float = 1e-9) -> tuple[str, ...]:
    """The sorted distinct outcomes of *result* (:func:`~gametheory_ukraine.solvers.signature.outcome_set`)."""
    return outcome_set(result, tol)


def scan(solver: PointSolver, param: str, points: Sequence[Fraction], sign=None) -> list[tuple]:
    """Float-mode equilibrium signatures (:func:`signature`) at each of *points* (values of *param*).

    The batched engine of a later issue replaces this function; it must return one signature per point,
    in order.
    """
    sign = signature if sign is None else sign
    return [sign(solver({param: float(x)}, exact=False)) for x in points]


class _FractionPrinter(PythonCodePrinter):
    """Prints rationals as ``Fraction(p, q)``, so that a compiled game computes exactly."""

    def _print_Rational(self, expr):
        return f"Fraction({expr.p}, {expr.q})"

    _print_Half = _print_Rational


class _CompiledGame:
    """A symbolic game compiled to a function of the parameter values that returns a numeric instance."""

    def __init__(self, game, exact: bool) -> None:
        self.game, self.exact = game, exact
        self.names = tuple(game.parameters)
        self.normal = isinstance(game, NormalFormGame)
        if self.normal:
            exprs = [v for p in game.payoffs for v in p.flat]
        else:
            exprs = []
            for node in game.nodes():   # pre-order, the order in which __call__ consumes them
                if isinstance(node, Terminal):
                    exprs.extend(node.payoffs)
                elif isinstance(node, Chance):
                    exprs.extend(node.probabilities)
        exprs = [sp.sympify(e) for e in exprs]
        args = [_sym(n) for n in self.names]
        if exact:
            self.func = sp.lambdify(args, exprs, modules=[{"Fraction": Fraction}, "math"],
                                    printer=_FractionPrinter, cse=True)
        else:
            self.func = sp.lambdify(args, exprs, modules="math", cse=True)

    def _numbers(self, vals: Mapping[str, Any]) -> list | None:
        try:
            if self.exact:
                raw = self.func(*(to_exact(vals[n]) for n in self.names))
                flat = [Fraction(v) if isinstance(v, int) and not isinstance(v, bool) else v for v in raw]
                return flat if all(isinstance(v, Fraction) for v in flat) else None
            flat = [float(v) for v in self.func(*(float(vals[n]) for n in self.names))]
        except (ZeroDivisionError, OverflowError, ValueError, TypeError):
            return None
        return flat if all(math.isfinite(v) for v in flat) else None

    def __call__(self, vals: Mapping[str, Any]):
        """The numeric game at *vals*, or None when the compiled game cannot evaluate it."""
        flat = self._numbers(vals)
        if flat is None:
            return None
        g = self.game
        if self.normal:
            size = int(np.prod(g.shape))
            dtype = object if self.exact else float
            arrays = tuple(np.asarray(flat[i * size:(i + 1) * size], dtype=dtype).reshape(g.shape)
                           for i in range(g.n_players))
            return NormalFormGame(g.players, g.actions, arrays, outcomes=g.outcomes, title=g.title)
        it = iter(flat)
        tol = 0 if self.exact else 1e-9
        ok = True

        def conv(node):
            nonlocal ok
            if isinstance(node, Terminal):
                return Terminal(node.name, tuple(next(it) for _ in node.payoffs), node.outcome)
            if isinstance(node, Chance):
                probs = tuple(next(it) for _ in node.probabilities)
                if any(p < -tol or p > 1 + tol for p in probs) or abs(sum(probs) - 1) > tol:
                    ok = False
                return Chance(node.name, node.actions, probs, tuple(conv(c) for c in node.children))
            return Decision(node.name, node.player, node.actions, tuple(conv(c) for c in node.children),
                            node.infoset)

        root = conv(g.root)
        return GameTree(g.players, root, g.title) if ok else None


# ------------------------------------------------------------------------------------------ validation
def _load(model):
    if isinstance(model, str):
        return load_model(model)
    return model


def _check_param(model, param: str) -> None:
    if param not in model.parameters:
        close = difflib.get_close_matches(param, list(model.parameters), n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        raise ParameterError(f"model {model.name!r} has no parameter {param!r}", where="--param",
                             fix=hint + "known parameters: " + ", ".join(model.parameters))


def range_bound(raw: Any, what: str) -> Fraction:
    """*raw* (a number or a string such as ``"1/20"``) read exactly as an end of a range, *what* naming it
    (``"range start"``, ``"range end"``) in the error.

    Raises
    ------
    ParameterError
        *raw* is not a number.

    Examples
    --------
    >>> range_bound("1/20", "range start"), range_bound(0.5, "range end")
    (Fraction(1, 20), Fraction(1, 2))
    """
    try:
        return to_exact(raw)
    except (ValueError, TypeError):
        raise ParameterError(f"{what} {raw!r} is not a number", where="--range",
                             fix="write LO:HI with numbers, e.g. --range 0.01:0.5 or --range 1/100:1/2") from None


def _interval(model, param: str, over: Any) -> tuple[Fraction, Fraction]:
    par = model.parameters[param]
    if over is None:
        lo, hi = par.low, par.high
    else:
        try:
            raw_lo, raw_hi = over
        except (TypeError, ValueError):
            raise ParameterError(f"range {over!r} is not a pair (lo, hi)", where="--range",
                                 fix="give two numbers, e.g. over=(0.01, 0.5) or --range 0.01:0.5") from None
        lo, hi = range_bound(raw_lo, "range start"), range_bound(raw_hi, "range end")
    low, high = format_exact(par.low), format_exact(par.high)
    if not lo < hi:
        raise ParameterError(f"the range {param}={format_exact(lo)}:{format_exact(hi)} is empty (lo must be below hi)",
                             where="--range", fix=f"give lo < hi inside [{low}, {high}]")
    if lo < par.low or hi > par.high:
        raise ParameterError(f"the range {format_exact(lo)}:{format_exact(hi)} leaves {param}'s range [{low}, {high}]",
                             where="--range", fix=f"choose lo and hi between {low} and {high}")
    return lo, hi


# ------------------------------------------------------------------------------------------- refinement
class _Context:
    """The solves of one threshold search (exact unless the game has irrational payoffs), cached by the
    value of the parameter."""

    def __init__(self, solver: PointSolver, param: str, exact: bool, sign=None) -> None:
        self.solver, self.param, self.mode = solver, param, exact
        self.sign = signature if sign is None else sign
        self._cache: dict[Fraction, EquilibriumSet] = {}

    def exact(self, x: Fraction) -> EquilibriumSet:
        if x not in self._cache:
            self._cache[x] = self.solver({self.param: x if self.mode else float(x)}, exact=self.mode)
        return self._cache[x]

    def signature(self, x: Fraction) -> tuple:
        return self.sign(self.exact(x))


def _is_rational_game(game) -> bool:
    """True if every payoff and probability is a rational function of the parameters (exact solving works);
    min, max and abs keep rationals rational."""
    if hasattr(game, "infosets"):
        exprs = [v for node in game.nodes() if isinstance(node, (Terminal, Chance))
                 for v in (node.payoffs if isinstance(node, Terminal) else node.probabilities)]
    else:
        exprs = [v for p in game.payoffs for v in p.flat]
    for e in exprs:
        e = sp.sympify(e)
        if e.has(sp.exp, sp.log) or any(not pw.exp.is_Integer for pw in e.atoms(sp.Pow)):
            return False
    return True


def _bisect(ctx: _Context, lo: Fraction, s_lo: tuple, hi: Fraction, s_hi: tuple,
            xtol: Fraction) -> tuple[list[tuple[Fraction, Fraction]], bool]:
    """Brackets [l, h] (h - l <= xtol) inside [lo, hi] where the exact signature changes, and whether the
    search stopped after :data:`MAX_SPLITS` splits (a signature that keeps changing)."""
    out: list[tuple[Fraction, Fraction]] = []
    stack = [(lo, s_lo, hi, s_hi)]
    splits = 0
    while stack:
        a, sa, b, sb = stack.pop()
        if sa == sb:
            continue
        if b - a <= xtol:
            out.append((a, b))
            continue
        mid = (a + b) / 2
        sm = ctx.signature(mid)
        if sm == sa:
            stack.append((mid, sm, b, sb))
        elif sm == sb:
            stack.append((a, sa, mid, sm))
        else:  # the signature changes on both sides of mid
            splits += 1
            if splits > MAX_SPLITS:
                return sorted(out), True
            stack.append((mid, sm, b, sb))
            stack.append((a, sa, mid, sm))
    return sorted(out), False


def _merge(brackets: list[tuple[Fraction, Fraction]], xtol: Fraction) -> list[tuple[Fraction, Fraction]]:
    merged: list[list[Fraction]] = []
    for a, b in sorted(brackets):
        if merged and a - merged[-1][1] <= xtol:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return [(a, b) for a, b in merged]


# ------------------------------------------------------------------------------------------ closed form
def _sym(name: str):
    return sp.Symbol(name)


def _subs(vals: Mapping[str, Any]) -> dict:
    out = {}
    for name, v in vals.items():
        f = to_exact(v)
        out[_sym(name)] = sp.Rational(f.numerator, f.denominator)
    return out


def _normal_candidates(game, below: EquilibriumSet, above: EquilibriumSet) -> list[tuple[Any, str, str]]:
    """Pure-deviation payoff differences and, for two players, mixed-strategy conditions, each with its
    description and what its being positive means."""
    out: list[tuple[Any, str, str]] = []
    seen: set = set()

    def add(expr, where, positive):
        expr = sp.sympify(expr)
        if expr.free_symbols and expr not in seen:
            seen.add(expr)
            out.append((expr, where, positive))

    n = game.n_players
    shape = game.shape
    for i in range(n):
        others = [range(shape[j]) for j in range(n) if j != i]
        for b in itertools.product(*others):
            for a1, a2 in itertools.combinations(range(shape[i]), 2):
                idx1 = b[:i] + (a1,) + b[i:]
                idx2 = b[:i] + (a2,) + b[i:]
                against = ", ".join(repr(game.actions[j][k]) for j, k in zip((j for j in range(n) if j != i), b))
                add(game.payoffs[i][idx1] - game.payoffs[i][idx2],
                    f"{game.players[i]}: {game.actions[i][a1]!r} vs {game.actions[i][a2]!r}",
                    f"{game.players[i]} prefers {game.actions[i][a1]!r} to {game.actions[i][a2]!r} against "
                    f"({against})")
    if n == 2:
        supports = set()
        for eq in list(below) + list(above):
            s = tuple(tuple(k for k, p in enumerate(probs) if p != 0) for probs in eq.strategies)
            if any(len(x) > 1 for x in s) and len(s[0]) == len(s[1]):
                supports.add(s)
        for s in sorted(supports):
            for expr, where, positive in _mixed_conditions(game, s):
                add(expr, where, positive)
    return out


def _mixed_conditions(game, supports: tuple[tuple[int, ...], ...]) -> list[tuple[Any, str, str]]:
    """For a 2-player support pair of equal size: each player's mix solved from the other's indifference;
    conditions: a probability on the support is 0, or an outside action earns the same as the support."""
    out: list[tuple[Any, str, str]] = []
    A, B = game.payoffs
    for i in range(2):  # player i is indifferent on its support; j = 1 - i mixes
        j = 1 - i
        s_i, s_j = supports[i], supports[j]
        ys = sp.symbols(f"_y0:{len(s_j)}")

        def pay(a, col_probs, i=i, s_j=s_j):
            total = 0
            for y, b in zip(col_probs, s_j):
                total += y * (A[a, b] if i == 0 else B[b, a])
            return total

        eqs = [pay(a, ys) - pay(s_i[0], ys) for a in s_i[1:]] + [sum(ys) - 1]
        try:
            sol = sp.solve(eqs, ys, dict=True)
        except (NotImplementedError, ValueError):
            continue
        if len(sol) != 1 or any(y not in sol[0] for y in ys):
            continue
        mix = [sp.together(sol[0][y]) for y in ys]
        for y, b in zip(mix, s_j):
            what = f"{game.players[j]}'s probability of {game.actions[j][b]!r} in a mixed equilibrium"
            out.append((y, what, what + " is positive"))
        for a in range(game.shape[i]):
            if a not in s_i:
                out.append((pay(a, mix) - pay(s_i[0], mix),
                            f"{game.players[i]}: {game.actions[i][a]!r} against the mixed equilibrium",
                            f"{game.players[i]} prefers {game.actions[i][a]!r} to its mixed-equilibrium "
                            "support"))
    return out


def _roots(expr, param: str, cache: dict) -> list:
    """Roots for *param* of the numerator of *expr* (cached); [] when too hard."""
    if expr in cache:
        return cache[expr]
    sym = _sym(param)
    roots: list = []
    try:
        num = sp.numer(sp.together(expr))
        if sym in num.free_symbols:
            if num.is_polynomial(sym):
                poly = sp.Poly(num, sym)
                if poly.degree() == 1:           # the usual case: the condition is linear in the parameter
                    c1, c0 = (c.as_expr() for c in poly.all_coeffs())
                    roots = [-c0 / c1]
                elif 2 <= poly.degree() <= MAX_DEGREE:
                    roots = sp.solve(num, sym, simplify=False)
            elif sp.count_ops(num) <= MAX_OPS_TRANSCENDENTAL:
                roots = sp.solve(num, sym, simplify=False)
        roots = [r for r in roots if sym not in r.free_symbols and not r.has(sp.RootOf)]
    except (sp.PolynomialError, NotImplementedError, ValueError, TypeError):
        roots = []
    cache[expr] = roots
    return roots


def _closed_form(candidates: list[tuple[Any, str, str]], param: str, lo: Fraction, hi: Fraction,
                 others: dict, cache: dict, max_ops: int | None = None, skipped: list | None = None):
    """The simplest root of a candidate that matches the bracket [lo, hi]: (expression, exact value or
    None, value, the candidate), or None."""
    sym = _sym(param)
    mid = (lo + hi) / 2
    ends = [{**others, sym: sp.Rational(x.numerator, x.denominator)} for x in (lo, mid, hi)]
    tol_abs = MATCH_RTOL * max(1.0, abs(float(mid)))
    skipped = [] if skipped is None else skipped
    matches = []
    for candidate in candidates:
        expr = candidate[0]
        if max_ops is not None and (sp.count_ops(expr) > max_ops or len(
                [w for w in sp.sympify(expr).atoms(sp.Pow) if w.exp.is_negative]) > MAX_CLOSED_FORM_DIVISIONS):
            skipped.append(int(sp.count_ops(expr)))
            continue
        try:
            v_lo, v_mid, v_hi = (complex(expr.xreplace(e).evalf(30)) for e in ends)
        except (TypeError, ValueError, ZeroDivisionError):
            continue
        if any(v != v or abs(v) == float("inf") for v in (v_lo, v_mid, v_hi)):   # nan, inf
            continue
        # screen: the condition changes sign across the bracket or (a tangency) nearly vanishes there
        if not (v_lo.real * v_hi.real <= 0 or abs(v_mid) <= SCREEN_ABS):
            continue
        for root in _roots(expr, param, cache):
            if max_ops is not None and sp.count_ops(root) > ROOT_OPS_FACTOR * max_ops:  # before tidying
                skipped.append(int(sp.count_ops(root)))
                continue
            val = root.xreplace(others)
            try:
                num = complex(sp.N(val, 30))
            except (TypeError, ValueError, ZeroDivisionError):
                continue
            if abs(num.imag) > tol_abs:
                continue
            x = num.real
            if float(lo) - tol_abs <= x <= float(hi) + tol_abs:
                matches.append((abs(x - float(mid)) > tol_abs, sp.count_ops(root), root, val, x, candidate))
    if not matches:
        return None
    # within 1e-9 of the refined value first (always so for exact bisection to xtol <= 1e-9; a float-mode
    # bracket around a tie window can be wider), then the simplest
    _, _, root, val, x, candidate = min(matches, key=lambda t: t[:2])
    exact = Fraction(int(val.p), int(val.q)) if getattr(val, "is_Rational", False) else None
    return _tidy(root), exact, (float(exact) if exact is not None else x), candidate


def _exact_root(candidates: list[tuple[Any, str, str]], param: str, lo: Fraction, hi: Fraction, others: dict):
    """Over the closed-form budget: the first candidate that, with the other parameters at their exact values,
    changes sign across [lo, hi] and is a rational function of *param* with a numerator of degree at most
    :data:`MAX_ROOT_DEGREE`, and its root in [lo, hi] (a multiple root counted once): (root as a sympy number,
    sign above, candidate), or None.

    Substituting numbers first keeps the work small: what is left is one polynomial in one variable."""
    sym = _sym(param)
    ends = [sp.Rational(x.numerator, x.denominator) for x in (lo, hi)]
    for candidate in candidates:
        uni = sp.sympify(candidate[0]).xreplace(others)
        if uni.free_symbols != {sym}:
            continue
        v_lo, v_hi = (uni.xreplace({sym: x}) for x in ends)
        if not (v_lo.is_Rational and v_hi.is_Rational) or v_lo * v_hi > 0 or v_lo == v_hi:
            continue
        num = sp.numer(sp.together(uni))
        if not num.is_polynomial(sym):
            continue
        poly = sp.Poly(num, sym)
        # exact rational coefficients only: sympy isolates real roots over ZZ and QQ, not over EX (sqrt(2), pi)
        if not (1 <= poly.degree() <= MAX_ROOT_DEGREE and (poly.domain.is_ZZ or poly.domain.is_QQ)):
            continue
        roots = sorted({r for r in sp.real_roots(poly) if ends[0] <= r <= ends[1]}, key=float)  # once each
        if len(roots) == 1:
            return roots[0], (1 if v_hi > 0 else -1), candidate
    return None


def _tidy(expr):
    """The shortest (by :func:`sympy.count_ops`) of: the simplified expression, its factored form, and its
    partial fractions in each symbol of the denominator with every term factored (when the denominator has
    at most two symbols: :func:`sympy.apart` is slow on larger ones)."""
    simple = sp.simplify(expr)
    forms = [sp.factor(simple), simple]
    denominator = sp.denom(sp.together(simple)).free_symbols
    for s in sorted(denominator, key=lambda x: x.name) if len(denominator) <= 2 else ():
        try:
            parts = sp.apart(simple, s)
        except (sp.PolynomialError, NotImplementedError, ValueError):
            continue
        forms.append(sp.Add(*[sp.factor(t) for t in sp.Add.make_args(parts)]))
    return min(forms, key=sp.count_ops)


def _candidates(sym_game, below: EquilibriumSet, above: EquilibriumSet, param: str, bracket: tuple, sides: tuple,
                others: dict, cache: dict, max_ops: int, skipped: list) -> tuple[list, Any]:
    """The candidate indifference conditions of one threshold and the closed form they give (or None).

    A normal form's come in one pass. A tree's come in two (see
    :mod:`~gametheory_ukraine.analysis.threshold_candidates`): where the actions played change, against pure
    profiles; and only if none of those has a matching root, where the pairing of actions with continuations
    changes, against every profile, mixed subgame equilibria solved symbolically. *sides* are the values of
    *param* where *below* and *above* were solved."""
    a, b = bracket
    if not hasattr(sym_game, "infosets"):
        candidates = _normal_candidates(sym_game, below, above)
        return candidates, _closed_form(candidates, param, a, b, others, cache, max_ops, skipped)
    candidates = played_candidates(sym_game, below, above)
    hit = _closed_form(candidates, param, a, b, others, cache, max_ops, skipped)
    if hit is None:
        points = tuple({**others, _sym(param): sp.Rational(x.numerator, x.denominator)} for x in sides)
        more = pairing_candidates(sym_game, below, above, points, skip=[c[0] for c in candidates])
        hit = _closed_form(more, param, a, b, others, cache, max_ops, skipped)
        candidates = candidates + more
    return candidates, hit


# ----------------------------------------------------------------------------------------------- driver
def _direction(param: str, positive: str, cond) -> str:
    """The direction text of a closed-form threshold (see :class:`Threshold`)."""
    if cond.sign_above is None:
        return f"{positive}: the condition touches 0 at {param}* without changing sign (no direction)"
    text = f"{positive} iff {param} {'>' if cond.sign_above == 1 else '<'} {param}*"
    if cond.hold:
        return text
    failing = ", ".join(cond.failing)
    if cond.reversed:
        return (f"{text} here, where {failing} fails: the inequality solved for {param} is reversed with respect "
                "to where the conditions hold")
    return f"{text} here, where {failing} fails (the failing signs cancel: the same direction as where they hold)"


def _change(before: tuple[str, ...], after: tuple[str, ...]) -> str:
    if before == after:
        return "equilibrium set changes (same outcomes)"

    def show(s):
        return s[0] if len(s) == 1 else "{" + ", ".join(s) + "}"

    return f"{show(before)} -> {show(after)}"


def thresholds(model: Model | str, param: str, *, form: str | None = None, scenario: str | None = None,
               over: tuple | None = None, values: Mapping[str, Any] | None = None, grid: int = 201,
               xtol: float = 1e-12, max_points: int | None = None, max_work: int | None = None,
               on: str = "equilibria", max_ops: int = MAX_CLOSED_FORM_OPS) -> ThresholdResult:
    """Every value of *param* in *over* where the equilibrium set (or its outcome) changes.

    See the module docstring for the algorithm (scan, exact bisection, closed form from indifference
    conditions).

    Parameters
    ----------
    model : Model or str
        A model or its name.
    param : str
        The parameter to vary.
    form, scenario : str, optional
        Default: the model's first form; parameter defaults.
    over : (lo, hi), optional
        The interval, inside the parameter's [low, high] (default: all of it). Numbers or strings such as
        ``"1/20"``; read exactly.
    values : mapping, optional
        Other parameters fixed at these values (on top of the scenario's).
    grid : int
        Points of the float-mode scan (at least 2).
    xtol : float
        Width of the final bisection bracket.
    max_points : int, optional
        Budget of scan points (default :data:`MAX_SCAN_POINTS`); a bigger *grid* is refused before anything is
        solved.
    max_work : int, optional
        Budget of the scan's work, *grid* x the game's size x 1000 (each point is a scalar solve; see
        :func:`~gametheory_ukraine.analysis.sweep_plan.check_sweep_work`), default
        :data:`~gametheory_ukraine.analysis.sweep_plan.MAX_SWEEP_WORK`.
    on : {"equilibria", "outcomes"}
        What counts as a change: the equilibrium set (every equilibrium's outcome and supports, off the
        equilibrium path included; the default), or only the set of outcomes (what is played). In a large tree
        the equilibria change off the path at many values that change nothing played.
    max_ops : int
        Largest indifference condition (sympy operations) for which a closed form is sought (default
        :data:`MAX_CLOSED_FORM_OPS`; conditions with more than :data:`MAX_CLOSED_FORM_DIVISIONS` divisions are
        not tried either); a threshold whose candidates are all larger is reported from the exact bisection,
        and a note says so.

    Returns
    -------
    ThresholdResult
        ``thresholds`` sorted by value; each with its closed form if found, the outcome labels just
        below and just above, what changes, and for a closed form the conditions under which its direction
        holds, whether they hold at the point, and the direction there (a threshold whose conditions fail is
        flagged, with the direction that holds there, never reported as if they held).

    Raises
    ------
    ParameterError
        Unknown parameter, *param* also in *values*, an empty interval or one leaving [low, high],
        ``grid < 2``, a *grid* past *max_points* or *max_work*, non-positive ``xtol``.

    Examples
    --------
    Ukraine cedes all of Donbas iff rho <= (1 - delta)(p + c_U - x_D)/(delta(1 + kappa)(dp_belt +
    dp_erosion)) = 1/27 (models/README.md, territory):

    >>> import gametheory_ukraine as gtu
    >>> res = thresholds(gtu.load_model("territory"), "rho", form="sequential", scenario="baseline-2025",
    ...                  grid=21)
    >>> [(str(t.exact), t.method, t.change) for t in res.thresholds]
    [('1/27', 'closed form', 'settlement on Russian terms -> war continues')]
    >>> res.thresholds[0].conditions, res.thresholds[0].conditions_hold
    (('dp_belt + dp_erosion > 0',), True)
    """
    model = _load(model)
    _check_param(model, param)
    form = model.form_name(form)
    if on not in ("equilibria", "outcomes"):
        raise ParameterError(f"on={on!r} is not a kind of change", where="--on", fix="use 'equilibria' or 'outcomes'")
    if isinstance(max_ops, bool) or not isinstance(max_ops, int) or max_ops < 1:
        raise ParameterError(f"max_ops={max_ops!r} is not a whole number >= 1", where="--max-ops",
                             fix="use e.g. --max-ops 400")
    sign = signature if on == "equilibria" else outcomes
    values = dict(values or {})
    if param in values:
        raise ParameterError(f"{param!r} is the parameter being varied and cannot also be fixed",
                             where="-p", fix=f"drop {param}=... from the fixed values; use the range instead")
    fixed = model.values(scenario, values)          # validates names, ranges and the scenario
    lo, hi = _interval(model, param, over)
    if not isinstance(grid, int) or isinstance(grid, bool) or grid < 2:
        raise ParameterError(f"grid={grid!r} is too small", where="--grid", fix="use at least 2 points, e.g. 201")
    cap = MAX_SCAN_POINTS if max_points is None else check_count(max_points, "max_points", option="--max-points")
    if grid > cap:
        raise ParameterError(f"a scan of {grid:,} grid points is more than the budget of {cap:,}", where="--grid",
                             fix=f"use a smaller --grid (the bisection refines every change to xtol anyway), or "
                                 f"raise the budget with --max-points {grid} (max_points=)")
    check_sweep_work(model, form, "scalar", grid, max_work=max_work, what="the scan's", points_option="--grid points")
    if not xtol > 0:
        raise ParameterError(f"xtol={xtol!r} must be positive", fix="use e.g. 1e-12")
    xtol_f = to_exact(xtol)
    step = (hi - lo) / (grid - 1)
    points = [lo + k * step for k in range(grid)]
    solver = PointSolver(model, form, scenario, values)
    sym_game = model.symbolic(form)
    if param not in sym_game.parameters:
        note = f"{param} does not enter the payoffs or probabilities of the {form} form: nothing to scan"
        return ThresholdResult(model.name, param, form, scenario, (float(lo), float(hi)),
                               FrozenDict({k: v for k, v in fixed.items() if k != param}), (), grid, (note,))
    rational = _is_rational_game(sym_game)
    ctx = _Context(solver, param, rational, sign)
    notes = [f"scan: {grid} points in float mode (spacing {float(step):.4g}); changes refined by "
             f"{'exact' if rational else 'float'} bisection to {float(xtol_f):.0e}; two changes within one grid "
             "cell can be missed"]
    merge_tol = xtol_f
    if not rational:
        merge_tol = max(xtol_f, FLOAT_MERGE * max(1, abs(lo), abs(hi)))
        notes.append("the payoffs are not rational functions of the parameters (exp, log, sqrt or a fractional "
                     "power), so the bisection runs in float mode, where near-ties within the solver's "
                     f"tolerance count as ties: changes closer than {float(merge_tol):.0e} are merged and the "
                     "numeric values are accurate to about 1e-9")

    sigs = scan(solver, param, points, sign)
    brackets: list[tuple[Fraction, Fraction]] = []
    for k in range(grid - 1):
        if sigs[k] != sigs[k + 1]:
            a, b = points[k], points[k + 1]
            found_here, stopped = _bisect(ctx, a, ctx.signature(a), b, ctx.signature(b), xtol_f)
            brackets += found_here
            if stopped:
                notes.append(f"the equilibria change more than {MAX_SPLITS} times between {param}={float(a):.6g} "
                             f"and {float(b):.6g}; the search there stopped (only some changes are listed)")
    brackets = _merge(brackets, merge_tol)

    others = _subs({k: v for k, v in fixed.items() if k != param})
    cache: dict = {}
    box, reference = box_of(model), _subs(model.values(None))
    found: list[Threshold] = []
    for a, b in brackets:
        if a <= lo or b >= hi:
            end = lo if a <= lo else hi
            notes.append(f"the equilibria at the end point {param}={format_exact(end)} differ from those just "
                         "inside the range (a tie at the end point); not listed as a threshold")
            continue
        below, above = ctx.exact(max(lo, a - xtol_f)), ctx.exact(min(hi, b + xtol_f))
        if sign(below) == sign(above):
            notes.append(f"isolated tie near {param}={float((a + b) / 2):.12g}: the equilibria differ only "
                         "at that point (the same on both sides); not listed as a threshold")
            continue
        skipped: list[int] = []
        sides = (max(lo, a - xtol_f), min(hi, b + xtol_f))
        candidates, hit = _candidates(sym_game, below, above, param, (a, b), sides, others, cache, max_ops, skipped)
        before, after = outcomes(below), outcomes(above)
        root = _exact_root(candidates, param, a, b, others) if hit is None and skipped else None
        if hit is None and skipped:
            notes.append(f"near {param}={float((a + b) / 2):.12g}: {len(skipped)} indifference condition(s) or "
                         f"their roots have {min(skipped):,} to {max(skipped):,} operations (more than "
                         f"max_ops={max_ops:,}) or more than {MAX_CLOSED_FORM_DIVISIONS} nested divisions: no "
                         "closed form is sought there (raise --max-ops); "
                         + ("the value is the exact bisection's" if root is None else
                            f"the value is the exact root of {root[2][1]} with the other parameters at their values"))
        if hit is not None and sp.count_ops(hit[0]) > max_ops:
            root = _exact_root([hit[3]], param, a, b, others)
            notes.append(f"near {param}={float((a + b) / 2):.12g}: a closed form of {int(sp.count_ops(hit[0])):,} "
                         f"operations was found, more than max_ops={max_ops:,}: its conditions are not derived, so "
                         "it is not reported (raise --max-ops); "
                         + ("the value is the exact bisection's" if root is None else
                            f"the value is the exact root of {root[2][1]} with the other parameters at their values"))
            hit = None
        if root is not None:
            value, sign_above, (_, where, positive) = root
            exact = Fraction(int(value.p), int(value.q)) if value.is_Rational else None
            found.append(Threshold(param, float(value), exact, None, EXACT_ROOT, before, after,
                                   _change(before, after), indifference=where,
                                   direction=f"{positive} iff {param} {'>' if sign_above == 1 else '<'} {param}* "
                                             "(at the other parameters' values)", sign_above=sign_above))
        elif hit is None:
            found.append(Threshold(param, float((a + b) / 2), None, None, NUMERIC, before, after,
                                   _change(before, after)))
        else:
            expr, exact, value, (indifference, where, positive) = hit
            point = {**others, _sym(param): sp.Rational((a + b).numerator, 2 * (a + b).denominator)}
            cond = derive(indifference, param, expr, box=box, reference=reference, point=point)
            found.append(Threshold(param, value, exact, expr, CLOSED_FORM, before, after, _change(before, after),
                                   conditions=cond.conditions, conditions_hold=cond.hold,
                                   conditions_failing=cond.failing, indifference=where,
                                   direction=_direction(param, positive, cond), sign_above=cond.sign_above))
    if solver.retries:
        notes.append(f"{solver.retries} float solve(s) next to a tie failed the solver's certificate at tolerance "
                     f"1e-9 and were repeated at {RETRY_TOL:g}")
    parameters = FrozenDict({k: v for k, v in fixed.items() if k != param})
    return ThresholdResult(model.name, param, form, scenario, (float(lo), float(hi)), parameters,
                           tuple(sorted(found, key=lambda t: t.value)), grid, tuple(notes))
