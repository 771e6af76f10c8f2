"""Local and global sensitivity of equilibria to the model parameters.

Three views of how the equilibria of a model depend on its parameters:

* :func:`local_sensitivity`: derivatives and elasticities of one equilibrium's payoffs, strategy
  probabilities and outcome probabilities at a point, in closed form (sympy) where the equilibrium
  has one, by central finite differences otherwise.
* :func:`tornado` and :func:`plot_tornado`: one parameter at a time over its range [low, high], the
  others held at the point; the parameters sorted by the swing of an outcome measure.
* :func:`sobol_indices` and :func:`model_sobol`: variance-based global sensitivity (Sobol' first-order
  and total indices) over the parameter box, with SALib's Saltelli/Sobol' design and estimator.

Measures
--------
Tornado charts and Sobol' indices summarise the equilibrium set at a point by one number, a *measure*:

* ``"payoff:PLAYER"``: the player's expected equilibrium payoff;
* ``"outcome:LABEL"``: the probability of the outcome ``LABEL`` in equilibrium (its entry in the
  equilibrium's ``outcome_distribution``, 0 if absent).

A point can have several equilibria (ties in backward induction, the extreme points of a continuum,
several Nash equilibria). The measure of the point is the **mean over its equilibria**, each counted
once, as listed by the solver. It does not depend on the order in which the solver lists them (an
"equilibrium 0" would), it is a plain average of the extreme equilibria and not a refinement or an
equilibrium-selection rule, and for pure equilibria ``outcome:LABEL`` is the share of equilibria with
that outcome. :func:`tornado` and :func:`model_sobol` both evaluate the measure through
:func:`measure_at_points`, the single per-point function that a batched engine can replace.

References
----------
.. [Sob01] I. M. Sobol', "Global sensitivity indices for nonlinear mathematical models and their Monte
   Carlo estimates", *Mathematics and Computers in Simulation* 55, 2001, pp. 271-280.
.. [Sal02] A. Saltelli, "Making best use of model evaluations to compute sensitivity indices",
   *Computer Physics Communications* 145(2), 2002, pp. 280-297.
.. [Sal10] A. Saltelli, P. Annoni, I. Azzini, F. Campolongo, M. Ratto, S. Tarantola, "Variance based
   sensitivity analysis of model output. Design and estimator for the total sensitivity index",
   *Computer Physics Communications* 181(2), 2010, pp. 259-270.
.. [HU17] J. Herman, W. Usher, "SALib: An open-source Python library for Sensitivity Analysis",
   *Journal of Open Source Software* 2(9), 2017, 97.
.. [IH90] T. Ishigami, T. Homma, "An importance quantification technique in uncertainty analysis for
   computer models", *Proceedings of ISUMA '90*, 1990, pp. 398-403.
"""

from __future__ import annotations

import difflib
import itertools
import math
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd
import sympy

from .._version import __version__
from ..core.errors import ParameterError
from ..core.numbers import to_exact
from ..games.normal_form import NormalFormGame
from ..games.reduce import outcome_label
from ..games.tree import Chance, GameTree, Terminal
from ..solvers.subgame_perfect import expected_payoffs, outcome_distribution
from .designs import check_count
from .sweep_plan import check_sweep_work

__all__ = ["LOCAL_COLUMNS", "TORNADO_COLUMNS", "SOBOL_COLUMNS", "Measure", "parse_measure", "measure_at_points",
           "local_sensitivity", "tornado", "plot_tornado", "sobol_indices", "model_sobol", "KINDS", "Sensitivity",
           "sensitivity"]

LOCAL_COLUMNS = ("param", "quantity", "value", "derivative", "elasticity", "expression", "method")
TORNADO_COLUMNS = ("param", "low", "high", "measure_at_low", "measure_at_high", "base", "swing")
SOBOL_COLUMNS = ("S1", "S1_conf", "ST", "ST_conf")

SYMBOLIC = "symbolic"
FINITE_DIFFERENCE = "finite difference"

#: Relative step of the finite differences (exact arithmetic: the error is the O(h^2) truncation only).
FD_STEP = Fraction(1, 10**6)



# ============================================================================================ measures
@dataclass(frozen=True)
class Measure:
    """An outcome measure of an equilibrium set (see the module docstring).

    Attributes
    ----------
    text : str
        As given, e.g. ``"payoff:Ukraine"`` or ``"outcome:war continues"``.
    kind : str
        ``"payoff"`` or ``"outcome"``.
    player : int or None
        Index of the player (payoff measures).
    label : str or None
        The outcome label (outcome measures).
    """

    text: str
    kind: str
    player: int | None = None
    label: str | None = None

    def of_equilibrium(self, eq) -> Any:
        """The measure of one equilibrium: a payoff or an outcome probability (exact or float)."""
        if self.kind == "payoff":
            return eq.payoffs[self.player]
        return eq.outcome_distribution.get(self.label, 0)

    def of_result(self, result) -> float:
        """The mean of :meth:`of_equilibrium` over the equilibria of *result* (NaN if there are none)."""
        if not len(result):
            return math.nan
        return float(sum(self.of_equilibrium(eq) for eq in result.equilibria) / len(result))


def _outcome_labels(game) -> list[str]:
    """Every outcome label an equilibrium of the (symbolic or numeric) game can report."""
    labels: list[str] = []
    if isinstance(game, NormalFormGame):
        labels = [_profile_label(game, profile) for profile in game.profiles()]
    else:
        labels = [outcome_label(node) for node in game.nodes() if isinstance(node, Terminal)]
    return list(dict.fromkeys(labels))


def parse_measure(model, form: str | None, measure: str | Measure | None) -> Measure:
    """Read ``"payoff:PLAYER"`` or ``"outcome:LABEL"`` (``None``: the first player's payoff).

    Raises
    ------
    ParameterError
        For another kind, an unknown player or an outcome label the form never reports (with the
        known names as the fix).

    Examples
    --------
    >>> import gametheory_ukraine as gtu
    >>> m = gtu.load_model("chain-store")
    >>> parse_measure(m, "sequential", "outcome:entry deterred")
    Measure(text='outcome:entry deterred', kind='outcome', player=None, label='entry deterred')
    >>> parse_measure(m, "sequential", None).text
    'payoff:Entrant'
    """
    if isinstance(measure, Measure):
        return measure
    if measure is None:
        measure = f"payoff:{model.players[0]}"
    kind, sep, name = str(measure).partition(":")
    kind, name = kind.strip(), name.strip()
    if kind == "payoff" and sep:
        if name not in model.players:
            raise ParameterError(f"model {model.name!r} has no player {name!r}", where="--measure",
                                 fix="use payoff:PLAYER with one of " + ", ".join(model.players))
        return Measure(f"payoff:{name}", "payoff", player=model.players.index(name))
    if kind == "outcome" and sep:
        labels = _outcome_labels(model.symbolic(form))
        if name not in labels:
            raise ParameterError(f"form {model.form_name(form)!r} of model {model.name!r} has no outcome {name!r}",
                                 where="--measure", fix="use outcome:LABEL with one of " + "; ".join(labels))
        return Measure(f"outcome:{name}", "outcome", label=name)
    raise ParameterError(f"cannot read the measure {measure!r}", where="--measure",
                         fix="write payoff:PLAYER (e.g. payoff:" + model.players[0] + ") or outcome:LABEL")


def measure_at_points(model, measure: str | Measure, points: Sequence[Mapping[str, Any]], *,
                      form: str | None = None, scenario: str | None = None, exact: bool | None = None,
                      progress: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Solve the model at each point and evaluate the measure: THE per-point evaluation.

    :func:`tornado` and :func:`model_sobol` evaluate every point through this function, so a batched
    engine can replace it without touching them.

    Parameters
    ----------
    model : Model
    measure : str or Measure
        ``"payoff:PLAYER"`` or ``"outcome:LABEL"``; the mean over the equilibria at each point.
    points : sequence of mappings, length P
        Parameter overrides on top of *scenario* (validated by :meth:`Model.values`).
    form, scenario : str, optional
    exact : bool, optional
        Passed to :meth:`Model.solve` (default: exact iff the point's values are exact).
    progress : bool
        Show a tqdm progress bar on standard error.

    Returns
    -------
    values : numpy.ndarray of float, shape (P,)
        The measure at each point.
    n_equilibria : numpy.ndarray of int, shape (P,)
        How many equilibria each point has.

    Examples
    --------
    >>> import gametheory_ukraine as gtu
    >>> m = gtu.load_model("chain-store")
    >>> y, n = measure_at_points(m, "payoff:Entrant", [{"d": 3}, {"d": 0}], form="sequential")
    >>> y.tolist(), n.tolist()    # enter (d = 3); at d = 0 the incumbent is indifferent: two SPE
    ([3.0, 1.0], [1, 2])
    """
    spec = parse_measure(model, form, measure)
    values = np.empty(len(points), dtype=float)
    counts = np.empty(len(points), dtype=int)
    iterator: Any = enumerate(points)
    if progress:
        from tqdm import tqdm

        iterator = tqdm(iterator, total=len(points), desc=f"solving {model.name}", unit="point", file=sys.stderr)
    for k, point in iterator:
        result = model.solve(form, scenario, exact=exact, **dict(point))
        values[k] = spec.of_result(result)
        counts[k] = len(result)
    return values, counts


# ========================================================================================= parameters
def _point(model, scenario: str | None, values: Mapping[str, Any] | None) -> dict[str, Fraction]:
    """All parameter values at the point (scenario, then *values*), read exactly."""
    return {name: to_exact(v) for name, v in model.values(scenario, values or {}).items()}


def _chosen_params(model, form: str, params: Sequence[str] | str | None, fixed: Mapping[str, Any] | None,
                   *, exclude_fixed: bool, need_range: bool) -> list[str]:
    """The parameters to vary: *params* (checked), else the form's parameters in file order (without the
    fixed ones if *exclude_fixed*, and without those whose range is a single value if *need_range*)."""
    if isinstance(params, str):
        params = [p.strip() for p in params.split(",") if p.strip()]
    if params is not None:
        params = list(params)
        if not params:
            raise ParameterError("no parameter to vary", where="--params", fix="name at least one, e.g. rho")
        for name in params:
            if name not in model.parameters:
                close = difflib.get_close_matches(name, list(model.parameters), n=1)
                hint = f"did you mean {close[0]!r}? " if close else ""
                raise ParameterError(f"model {model.name!r} has no parameter {name!r}", where="--params",
                                     fix=hint + "known parameters: " + ", ".join(model.parameters))
        if len(set(params)) != len(params):
            raise ParameterError("a parameter is named twice", where="--params", fix="name each once")
        if need_range:
            flat = [n for n in params if model.parameters[n].low == model.parameters[n].high]
            if flat:
                raise ParameterError(f"parameter(s) {', '.join(flat)} have a single value [low = high]",
                                     where="--params", fix="leave them out")
        return params
    used = set(model.symbolic(form).parameters)
    out = [n for n in model.parameters if n in used]
    if exclude_fixed:
        out = [n for n in out if n not in (fixed or {})]
    if need_range:
        out = [n for n in out if model.parameters[n].low < model.parameters[n].high]
    if not out:
        raise ParameterError(f"form {form!r} of model {model.name!r} leaves no parameter to vary",
                             where="--params", fix="name the parameters with params=... (--params)")
    return out


# ================================================================================ local: quantities
def _quantity_names(result, labels: Sequence[str]) -> list[tuple[str, tuple]]:
    """(name, key) of every local quantity: payoffs, strategy probabilities, the probability of each outcome
    label in *labels*.

    Keys: ``("payoff", i)``, ``("prob", i, a)`` (normal form), ``("prob", i, infoset, a)`` (trees),
    ``("outcome", label)``.
    """
    out: list[tuple[str, tuple]] = [(f"payoff:{p}", ("payoff", i)) for i, p in enumerate(result.players)]
    for i, player in enumerate(result.players):
        if result.form == "normal":
            out += [(f"prob:{player}:{a}", ("prob", i, k)) for k, a in enumerate(result.actions[i])]
        else:
            for h, acts in result.actions[i].items():
                out += [(f"prob:{player}:{h}:{a}", ("prob", i, h, k)) for k, a in enumerate(acts)]
    out += [(f"outcome:{label}", ("outcome", label)) for label in labels]
    return out


def _numeric_quantity(eq, key: tuple) -> Any:
    """The value of quantity *key* at equilibrium *eq* (NaN for an information set the profile omits)."""
    if key[0] == "payoff":
        return eq.payoffs[key[1]]
    if key[0] == "outcome":
        return eq.outcome_distribution.get(key[1], 0)
    if len(key) == 3:
        return eq.strategies[key[1]][key[2]]
    probs = eq.strategies[key[1]].get(key[2])
    return math.nan if probs is None else probs[key[3]]


def _supports(eq) -> tuple:
    out = []
    for s in eq.strategies:
        if hasattr(s, "items"):
            out.append(tuple((h, tuple(k for k, p in enumerate(ps) if p != 0)) for h, ps in s.items()))
        else:
            out.append(tuple(k for k, p in enumerate(s) if p != 0))
    return tuple(out)


def _is_pure(eq) -> bool:
    probs = [p for s in eq.strategies for ps in (s.values() if hasattr(s, "values") else [s]) for p in ps]
    return all(p == 0 or p == 1 for p in probs)


# ================================================================================ local: closed form
def _sym(value: Any):
    if isinstance(value, Fraction):
        return sympy.Rational(value.numerator, value.denominator)
    return sympy.sympify(value)


def _subs(point: Mapping[str, Fraction]) -> dict:
    return {sympy.Symbol(k): sympy.Rational(v.numerator, v.denominator) for k, v in point.items()}


def _rank(rows: list[list]) -> int:
    """Rank of a matrix of Fractions (Gaussian elimination, exact)."""
    mat = [list(r) for r in rows]
    rank, ncols = 0, len(mat[0]) if mat else 0
    for c in range(ncols):
        pivot = next((r for r in range(rank, len(mat)) if mat[r][c] != 0), None)
        if pivot is None:
            continue
        mat[rank], mat[pivot] = mat[pivot], mat[rank]
        for r in range(rank + 1, len(mat)):
            f = mat[r][c] / mat[rank][c]
            if f:
                mat[r] = [a - f * b for a, b in zip(mat[r], mat[rank])]
        rank += 1
    return rank


def _mixture(other_sym: np.ndarray, other_num: np.ndarray, own: Sequence[int], others_support: Sequence[int],
             x_num: Sequence[Fraction], u_num: Fraction, subs: dict):
    """One player's equilibrium mixture as rational functions of the parameters (two-player games).

    The mixture ``x`` over the player's support *own* makes the other player indifferent,
    ``sum_i x_i M[i, j] = u``, over the other's support and, where that leaves the mixture undetermined
    (degenerate games), over the other's actions that are best responses at the point although unused;
    with ``sum_i x_i = 1``. *other_sym* / *other_num* is the other player's payoff matrix, rows indexed by
    this player's actions. The equations are taken in that order while they raise the rank of the system
    at the point: this picks the extreme equilibrium whose binding conditions they are, and follows it as
    the parameters move. The square system is solved by sympy's LU decomposition with pivots that are
    non-zero at the point.

    Returns
    -------
    (dict of int to sympy expression, sympy expression) or None
        ``{action: probability}`` on *own* and the other player's payoff ``u``; None when the conditions
        do not determine the mixture or do not reproduce it at the point.
    """
    k = len(own)
    rows_num = [[Fraction(1)] * k + [Fraction(0)]]
    rows_sym = [[sympy.Integer(1)] * k + [sympy.Integer(0)]]
    rhs = [sympy.Integer(1)]
    tight = [j for j in range(other_num.shape[1]) if j not in others_support
             and sum(x_num[i] * other_num[i, j] for i in own) == u_num]
    for j in list(others_support) + tight:
        row_num = [Fraction(other_num[i, j]) for i in own] + [Fraction(-1)]
        if _rank(rows_num + [row_num]) > len(rows_num):
            rows_num.append(row_num)
            rows_sym.append([_sym(other_sym[i, j]) for i in own] + [sympy.Integer(-1)])
            rhs.append(sympy.Integer(0))
        if len(rows_num) == k + 1:
            break
    if len(rows_num) < k + 1:
        return None

    def zero_at_point(expr) -> bool:
        return bool(sympy.sympify(expr).xreplace(subs) == 0)

    sol = sympy.Matrix(rows_sym).LUsolve(sympy.Matrix(rhs), iszerofunc=zero_at_point)
    probs = {i: sol[n] for n, i in enumerate(own)}
    if any(sympy.sympify(probs[i]).xreplace(subs) != _sym(x_num[i]) for i in own) or \
            sympy.sympify(sol[k]).xreplace(subs) != _sym(u_num):
        return None
    return probs, sol[k]


def _profile_label(game, profile: tuple) -> str:
    """The outcome label of a pure profile, as the solver reports it (actions joined by " / " if none)."""
    label = game.outcome(profile)
    return label if label is not None else " / ".join(game.actions[i][a] for i, a in enumerate(profile))


def _closed_form(model, form: str, result, eq, point: Mapping[str, Fraction],
                 keys: Sequence[tuple]) -> tuple[dict | None, str]:
    """Sympy expressions of every quantity *key* of equilibrium *eq*, or (None, why not)."""
    symbolic = model.symbolic(form)
    subs = _subs(point)
    exprs: dict[tuple, Any] = {}
    if isinstance(symbolic, GameTree):
        if not _is_pure(eq):
            return None, "the equilibrium mixes at an information set (an imperfect-information subgame)"
        behaviour = {h: ps for s in eq.strategies for h, ps in s.items()}
        pays = expected_payoffs(symbolic, behaviour)
        dist = {str(k): v for k, v in outcome_distribution(symbolic, behaviour).items()}
        for key in keys:
            if key[0] == "payoff":
                exprs[key] = _sym(pays[key[1]])
            elif key[0] == "outcome":
                exprs[key] = _sym(dist.get(key[1], 0))
            else:
                exprs[key] = _sym(_numeric_quantity(eq, key))
        return exprs, ""
    n = len(result.players)
    if _is_pure(eq):
        profile = tuple(next(a for a, p in enumerate(s) if p == 1) for s in eq.strategies)
        label = _profile_label(symbolic, profile)
        for key in keys:
            if key[0] == "payoff":
                exprs[key] = _sym(symbolic.payoffs[key[1]][profile])
            elif key[0] == "outcome":
                exprs[key] = sympy.Integer(1 if key[1] == label else 0)
            else:
                exprs[key] = _sym(_numeric_quantity(eq, key))
        return exprs, ""
    if n != 2:
        return None, f"a mixed equilibrium of a {n}-player game has no linear closed form"
    game = model.game(form, None, exact=True, **point)
    A_num, B_num = game.payoffs
    A_sym, B_sym = symbolic.payoffs
    x, y = eq.strategies
    sx = [i for i, p in enumerate(x) if p != 0]
    sy = [j for j, p in enumerate(y) if p != 0]
    row = _mixture(B_sym, B_num, sx, sy, x, Fraction(eq.payoffs[1]), subs)
    col = _mixture(A_sym.T, A_num.T, sy, sx, y, Fraction(eq.payoffs[0]), subs)
    if row is None or col is None:
        return None, "the indifference conditions do not determine the equilibrium"
    xs = [row[0].get(i, sympy.Integer(0)) for i in range(len(x))]
    ys = [col[0].get(j, sympy.Integer(0)) for j in range(len(y))]
    pays = [col[1], row[1]]  # each player's value from the other's indifference system
    for key in keys:
        if key[0] == "payoff":
            exprs[key] = pays[key[1]]
        elif key[0] == "prob":
            exprs[key] = (xs, ys)[key[1]][key[2]]
        else:
            cells = [(i, j) for i, j in itertools.product(sx, sy) if _profile_label(symbolic, (i, j)) == key[1]]
            if len(cells) == len(sx) * len(sy):  # every profile played leads there: probability 1
                exprs[key] = sympy.Integer(1)
            else:
                exprs[key] = sum((xs[i] * ys[j] for i, j in cells), sympy.Integer(0))
    return exprs, ""


def _as_number(value: Any) -> Fraction | float:
    """Fraction for exact values (ints, Fractions, sympy Rationals), float otherwise (NaN if not a number)."""
    if isinstance(value, Fraction):
        return value
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return Fraction(int(value))
    try:
        if isinstance(value, sympy.Basic):
            value = sympy.sympify(value)
            if value.is_Rational:
                return Fraction(int(value.p), int(value.q))
            return float(value.evalf(30))
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def _elasticity(derivative: Any, theta: Fraction, value: Any) -> float:
    if isinstance(value, float) and math.isnan(value):
        return math.nan
    if value == 0 or (isinstance(derivative, float) and math.isnan(derivative)):
        return math.nan
    if isinstance(derivative, Fraction) and isinstance(value, Fraction):
        return float(derivative * theta / value)
    return float(derivative) * float(theta) / float(value)


# =========================================================================== local: finite differences
def _stencil(theta: Fraction, low: Fraction, high: Fraction) -> list[tuple[Fraction, Fraction]] | None:
    """(offset, weight) pairs of a second-order difference quotient inside [low, high]: central where both
    neighbours fit, else one-sided (-3f0 + 4f1 - f2)/(2h) forward or backward."""
    width = high - low
    if width <= 0:
        return None
    h = FD_STEP * max(Fraction(1), abs(theta))
    if 4 * h > width:
        h = width / 8
    if low <= theta - h and theta + h <= high:
        return [(-h, -1 / (2 * h)), (h, 1 / (2 * h))]
    if theta + 2 * h <= high:
        return [(Fraction(0), -3 / (2 * h)), (h, 4 / (2 * h)), (2 * h, -1 / (2 * h))]
    return [(Fraction(0), 3 / (2 * h)), (-h, -4 / (2 * h)), (-2 * h, 1 / (2 * h))]


def _distance(a, b) -> float:
    total = 0.0
    for sa, sb in zip(a.strategies, b.strategies):
        if hasattr(sa, "items"):
            for h, ps in sa.items():
                qs = sb.get(h)
                if qs is not None:
                    total += sum(abs(float(p) - float(q)) for p, q in zip(ps, qs))
        else:
            total += sum(abs(float(p) - float(q)) for p, q in zip(sa, sb))
    return total


def _finite_differences(model, form: str, scenario: str | None, point: Mapping[str, Fraction], eq,
                        names: Sequence[str], keys: Sequence[tuple]) -> tuple[dict, list[str]]:
    """{(param, key): derivative} by difference quotients through the solver, following the equilibrium
    with the same supports as *eq* (the nearest one if several); NaN where it has none within the step."""
    base_support = _supports(eq)
    out: dict = {}
    notes: list[str] = []
    for name in names:
        par = model.parameters[name]
        stencil = _stencil(point[name], par.low, par.high)
        if stencil is None:
            notes.append(f"{name}: its range is a single value; no derivative")
            out.update({(name, key): math.nan for key in keys})
            continue
        if stencil[0][0] == 0:
            notes.append(f"{name}: one-sided difference at the end of its range")
        terms = []
        for offset, weight in stencil:
            if offset == 0:
                terms.append((weight, eq))
                continue
            res = model.solve(form, scenario, exact=True, **dict(point, **{name: point[name] + offset}))
            same = [e for e in res.equilibria if _supports(e) == base_support]
            if not same:
                terms = None
                notes.append(f"{name}: no equilibrium with the same supports within the step; no derivative")
                break
            terms.append((weight, min(same, key=lambda e: _distance(e, eq))))
        for key in keys:
            if terms is None:
                out[(name, key)] = math.nan
                continue
            vals = [_as_number(_numeric_quantity(e, key)) for _, e in terms]
            if all(isinstance(v, Fraction) for v in vals):
                out[(name, key)] = sum((w * v for (w, _), v in zip(terms, vals)), Fraction(0))
            else:
                out[(name, key)] = sum(float(w) * float(v) for (w, _), v in zip(terms, vals))
    return out, notes


# ============================================================================================== local
def local_sensitivity(model, *, form: str | None = None, scenario: str | None = None, equilibrium: int = 0,
                      params: Sequence[str] | str | None = None, values: Mapping[str, Any] | None = None,
                      method: str = "auto") -> pd.DataFrame:
    r"""Derivatives and elasticities of one equilibrium's payoffs and probabilities at a point.

    At the point (the *scenario*'s values, then *values*, read exactly) the form is solved exactly and
    equilibrium number *equilibrium* is taken. Its quantities are, in this order: each player's expected
    payoff (``"payoff:PLAYER"``), each strategy probability (``"prob:PLAYER:ACTION"`` in the normal form,
    ``"prob:PLAYER:INFOSET:ACTION"`` in trees) and the probability of each outcome label of the form
    (``"outcome:LABEL"``). For each quantity :math:`y` and parameter :math:`\theta` the table gives
    :math:`\partial y/\partial\theta` and the elasticity :math:`(\partial y/\partial\theta)\,\theta/y`
    (NaN where :math:`y = 0`).

    **Symbolic** where the equilibrium has a closed form:

    * trees, when the equilibrium chooses purely everywhere: the expected payoff of the equilibrium
      behaviour as a sympy expression of the terminal payoffs and the (symbolic) chance probabilities,
      the behaviour held fixed; strategy derivatives are 0;
    * pure equilibria of normal forms (any number of players): the payoff expressions at the profile;
      strategy derivatives are 0;
    * mixed equilibria of two-player normal forms: the indifference conditions on the equilibrium's
      supports solved as a linear system in sympy, which gives strategies and payoffs as rational
      functions of the parameters (in degenerate games the binding conditions that pin the extreme
      equilibrium down at the point; see ``_mixture``).

    Otherwise (mixed equilibria of games with three or more players, mixing in a tree) the derivative is
    a **finite difference**: exact solves at :math:`\theta \pm h`, :math:`h = 10^{-6}\max(1, |\theta|)`,
    following the equilibrium with the same supports; second-order one-sided at the ends of the
    parameter's range. The derivative is the one of the equilibrium *as it is at the point*: where the
    point lies on a threshold (a tie), it is the derivative of this equilibrium's branch, and it says
    nothing about the jump to another equilibrium beyond the threshold.

    Parameters
    ----------
    model : Model
    form, scenario : str, optional
    equilibrium : int
        Index into the equilibria at the point (as :meth:`Model.solve` lists them).
    params : sequence of str or comma-separated str, optional
        Default: every parameter that occurs in the form, in the model file's order.
    values : mapping, optional
        Parameter overrides that choose the point (floats are read through their shortest decimal).
    method : {"auto", "symbolic", "finite difference"}
        ``"auto"``: symbolic where possible; ``"finite difference"`` forces the numeric path (a check of
        the symbolic one); ``"symbolic"`` raises if there is no closed form.

    Returns
    -------
    pandas.DataFrame
        One row per (parameter, quantity), columns :data:`LOCAL_COLUMNS`: ``param``, ``quantity``,
        ``value`` (at the point), ``derivative``, ``elasticity`` (floats), ``expression`` (the sympy
        derivative as text; empty for finite differences) and ``method`` (``"symbolic"`` or
        ``"finite difference"``). ``attrs`` records the model, form, scenario, point, equilibrium index,
        number of equilibria, outcome and notes.

    Raises
    ------
    ParameterError
        Unknown parameters, values out of range, an equilibrium index out of range.

    Examples
    --------
    Ukraine's payoff at the baseline SPE of the territory game is the war value
    :math:`W_U = (1 - p - c_U)/(1 - \delta) = 2.5`, so :math:`\partial W_U/\partial p = -1/(1-\delta) = -10`:

    >>> import gametheory_ukraine as gtu
    >>> m = gtu.load_model("territory")
    >>> df = local_sensitivity(m, form="sequential", scenario="baseline-2025", params=["p", "rho"])
    >>> row = df[(df.param == "p") & (df.quantity == "payoff:Ukraine")].iloc[0]
    >>> float(row.value), float(row.derivative), float(row.elasticity), row.expression, row.method
    (2.5, -10.0, -2.4, '-1/(1 - delta)', 'symbolic')
    >>> float(df[(df.param == "rho") & (df.quantity == "payoff:Ukraine")].derivative.iloc[0])
    0.0
    """
    if method not in ("auto", SYMBOLIC, FINITE_DIFFERENCE):
        raise ParameterError(f"unknown method {method!r}", fix="use auto, symbolic or finite difference")
    form = model.form_name(form)
    point = _point(model, scenario, values)
    names = _chosen_params(model, form, params, values, exclude_fixed=False, need_range=False)
    result = model.solve(form, scenario, exact=True, **point)
    if not len(result):
        raise ParameterError("no equilibrium at this point", fix="check the model")
    if not -len(result) <= equilibrium < len(result):
        raise ParameterError(f"equilibrium {equilibrium} does not exist: the point has {len(result)}",
                             where="equilibrium", fix=f"choose 0 to {len(result) - 1}")
    eq = result[equilibrium]
    quantities = _quantity_names(result, _outcome_labels(model.symbolic(form)))
    keys = [key for _, key in quantities]
    notes: list[str] = []
    exprs = None
    if method != FINITE_DIFFERENCE:
        exprs, why = _closed_form(model, form, result, eq, point, keys)
        if exprs is None:
            if method == SYMBOLIC:
                raise ParameterError(f"no closed form: {why}", fix="use method='finite difference'")
            notes.append(f"no closed form ({why}): finite differences")
    fd: dict = {}
    if exprs is None:
        fd, fd_notes = _finite_differences(model, form, scenario, point, eq, names, keys)
        notes.extend(fd_notes)
    subs = _subs(point)
    rows = []
    for name in names:
        theta = point[name]
        sym = sympy.Symbol(name)
        for qname, key in quantities:
            value = _as_number(_numeric_quantity(eq, key))
            if exprs is not None:
                d = sympy.diff(exprs[key], sym) if sym in exprs[key].free_symbols else sympy.Integer(0)
                derivative = _as_number(d.xreplace(subs))
                expression, how = str(d), SYMBOLIC
            else:
                derivative, expression, how = fd[(name, key)], "", FINITE_DIFFERENCE
            rows.append((name, qname, float(value), float(derivative), _elasticity(derivative, theta, value),
                         expression, how))
    df = pd.DataFrame(rows, columns=list(LOCAL_COLUMNS))
    df.attrs.update(model=model.name, form=form, scenario=scenario, equilibrium=int(equilibrium) % len(result),
                    n_equilibria=len(result), outcome=eq.outcome, notes=notes,
                    point={k: str(v) for k, v in point.items()})
    return df


# ============================================================================================ tornado
def tornado(model, measure: str | Measure, *, form: str | None = None, scenario: str | None = None,
            params: Sequence[str] | str | None = None, values: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """One-at-a-time swings of an equilibrium measure over each parameter's range.

    Each parameter in turn is set to its ``low`` and to its ``high`` with the others at the point (the
    *scenario*'s values, then *values*); the measure (``"payoff:PLAYER"`` or ``"outcome:LABEL"``, the
    mean over the equilibria at the point, as in :func:`model_sobol`; see the module docstring) is
    evaluated there by :func:`measure_at_points`, exactly.

    Parameters
    ----------
    model : Model
    measure : str or Measure
    form, scenario : str, optional
    params : sequence of str or comma-separated str, optional
        Default: the form's parameters not fixed in *values* whose range is not a single value.
    values : mapping, optional
        Fixed parameter values (they set the point and are not varied by default).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`TORNADO_COLUMNS`: ``param``, ``low``, ``high``, ``measure_at_low``,
        ``measure_at_high``, ``base`` (the measure at the point) and ``swing`` = ``|measure_at_high -
        measure_at_low|``; sorted by swing, largest first (ties keep the file's order).

    Examples
    --------
    The chain-store entrant gets ``max(o_E, d)`` in the SPE (the incumbent acquiesces): ``d`` over
    [0, 10] swings it from 1 to 10, ``o_E`` from 2 to 10, and the others not at all.

    >>> import gametheory_ukraine as gtu
    >>> df = tornado(gtu.load_model("chain-store"), "payoff:Entrant", form="sequential")
    >>> df[["param", "measure_at_low", "measure_at_high", "swing"]].values.tolist()  # doctest: +NORMALIZE_WHITESPACE
    [['d', 1.0, 10.0, 9.0], ['o_E', 2.0, 10.0, 8.0], ['m', 2.0, 2.0, 0.0], ['c_E', 2.0, 2.0, 0.0],
     ['c_I', 2.0, 2.0, 0.0]]
    """
    form = model.form_name(form)
    spec = parse_measure(model, form, measure)
    point = _point(model, scenario, values)
    names = _chosen_params(model, form, params, values, exclude_fixed=True, need_range=True)
    points = [point]
    for name in names:
        par = model.parameters[name]
        points += [dict(point, **{name: par.low}), dict(point, **{name: par.high})]
    y, _ = measure_at_points(model, spec, points, form=form, scenario=scenario)
    rows = []
    for k, name in enumerate(names):
        par = model.parameters[name]
        lo, hi = y[1 + 2 * k], y[2 + 2 * k]
        rows.append((name, float(par.low), float(par.high), lo, hi, y[0], abs(hi - lo)))
    df = pd.DataFrame(rows, columns=list(TORNADO_COLUMNS))
    df = df.sort_values("swing", ascending=False, kind="mergesort").reset_index(drop=True)
    df.attrs.update(model=model.name, form=form, scenario=scenario, measure=spec.text,
                    point={k: str(v) for k, v in point.items()})
    return df


def plot_tornado(df: pd.DataFrame, *, title: str | None = None, ax=None):
    """Draw a tornado chart of :func:`tornado`'s table.

    One horizontal bar pair per parameter, the largest swing on top: from the base value to the measure
    at the parameter's low end (light, hatched ``///``) and to the measure at its high end (dark,
    hatched ``...``), with the base as a vertical line. The hatching tells low from high in black and
    white; no LaTeX is needed.

    Parameters
    ----------
    df : pandas.DataFrame
        The output of :func:`tornado` (columns :data:`TORNADO_COLUMNS`).
    title : str, optional
        Default: the measure from ``df.attrs``.
    ax : matplotlib Axes, optional
        Draw here; default a new figure (not registered with pyplot).

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"param": ["d", "o_E"], "low": [0, 0], "high": [10, 10], "measure_at_low": [1.0, 2.0],
    ...                    "measure_at_high": [10.0, 10.0], "base": [2.0, 2.0], "swing": [9.0, 8.0]})
    >>> fig = plot_tornado(df, title="Entrant's payoff")
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()]  # bottom to top
    ['o_E [0, 10]', 'd [0, 10]']
    """
    missing = [c for c in TORNADO_COLUMNS if c not in df.columns]
    if missing:
        raise ValueError(f"not a tornado table: missing columns {missing}")
    if ax is None:
        from matplotlib.figure import Figure

        fig = Figure(figsize=(7.0, 1.2 + 0.45 * max(len(df), 1)), layout="constrained")
        ax = fig.add_subplot()
    else:
        fig = ax.figure
    n = len(df)
    ypos = np.arange(n)[::-1]  # the first row (largest swing) on top
    base = df["base"].to_numpy(dtype=float)
    lo = df["measure_at_low"].to_numpy(dtype=float)
    hi = df["measure_at_high"].to_numpy(dtype=float)
    ax.barh(ypos + 0.18, lo - base, left=base, height=0.36, color="#9ecae1", edgecolor="black", hatch="///",
            label="parameter at its low end")
    ax.barh(ypos - 0.18, hi - base, left=base, height=0.36, color="#3a5f8a", edgecolor="black", hatch="...",
            label="parameter at its high end")
    if n:
        ax.axvline(base[0], color="black", linewidth=1.0, linestyle="--", label="at the point")
    labels = [f"{p} [{_short(a)}, {_short(b)}]" for p, a, b in zip(df["param"], df["low"], df["high"])]
    ax.set_yticks(ypos[::-1], labels[::-1])  # bottom to top
    measure = df.attrs.get("measure", "measure")
    ax.set_xlabel(f"{measure} (mean over the equilibria)")
    ax.set_title(title if title is not None else f"Tornado: {measure}")
    ax.legend(loc="best", fontsize="small")
    ax.grid(axis="x", color="0.85", linewidth=0.6)
    ax.set_axisbelow(True)
    return fig


def _short(value: Any) -> str:
    return f"{float(value):.4g}"


# ============================================================================================= Sobol
def _is_power_of_two(n: int) -> bool:
    return n >= 1 and n & (n - 1) == 0


def sobol_indices(func: Callable[[np.ndarray], Any], problem: Mapping[str, Any], *, n: int, seed: int,
                  calc_second_order: bool = False, num_resamples: int = 100,
                  conf_level: float = 0.95) -> pd.DataFrame:
    r"""Sobol' first-order and total indices of ``func`` over a box: THE code path of every Sobol' analysis.

    The design is SALib's Saltelli extension of the scrambled Sobol' sequence
    (``SALib.sample.sobol.sample``, [Sal02]_), the estimators are SALib's (``SALib.analyze.sobol.analyze``:
    first order after [Sal10]_, total order after Jansen as in [Sal10]_, bootstrap confidence intervals);
    the indices are those of [Sob01]_.

    Parameters
    ----------
    func : callable
        Vectorised over rows: ``func(X)`` with ``X`` of shape ``(N*(D+2), D)`` (``(N*(2D+2), D)`` with
        second-order indices) returns the outputs, shape ``(N*(D+2),)``.
    problem : mapping
        ``"names"`` (D distinct names) and ``"bounds"`` (D pairs ``[low, high]``, low < high); inputs are
        uniform on the box.
    n : int
        Base sample size N, a power of two (the balance properties of Sobol' points need it).
    seed : int
        Seeds the scrambling of the design (``seed``) and the bootstrap (a seed drawn from
        ``numpy.random.SeedSequence(seed)``: SALib 1.6 falls back to NumPy's global random state for a
        seed of 0, which this avoids). Same seed, same table.
    calc_second_order : bool
        Also estimate second-order indices (in ``attrs["S2"]``, ``attrs["S2_conf"]``, D x D lists).
    num_resamples : int
        Bootstrap resamples for the confidence intervals.
    conf_level : float
        Confidence level of the intervals, in (0, 1).

    Returns
    -------
    pandas.DataFrame
        Index: the names; columns :data:`SOBOL_COLUMNS`: ``S1``, ``S1_conf``, ``ST``, ``ST_conf``
        (``*_conf``: half-width of the bootstrap interval). ``attrs``: ``n``, ``seed``,
        ``n_evaluations``. When the outputs are constant every index is 0 (no input changes them) and
        ``attrs["note"]`` says so.

    Raises
    ------
    ParameterError
        Bad names, bounds, ``n`` or ``conf_level``.
    ValueError
        If ``func`` returns the wrong shape or a non-finite value.

    Examples
    --------
    The Ishigami function [IH90]_ (a = 7, b = 0.1) has S1 = (0.3139, 0.4424, 0) and
    ST = (0.5576, 0.4424, 0.2437):

    >>> import numpy as np
    >>> from SALib.test_functions import Ishigami
    >>> problem = {"names": ["x1", "x2", "x3"], "bounds": [[-np.pi, np.pi]] * 3}
    >>> df = sobol_indices(Ishigami.evaluate, problem, n=1024, seed=1)
    >>> df[["S1", "ST"]].round(1).values.tolist()
    [[0.3, 0.6], [0.4, 0.4], [0.0, 0.2]]
    """
    from SALib.analyze import sobol as sobol_analyze
    from SALib.sample import sobol as sobol_sample

    names = [str(v) for v in problem.get("names", ())]
    try:
        bounds = np.asarray(problem.get("bounds", ()), dtype=float)
    except (TypeError, ValueError):
        raise ParameterError("the bounds are not numbers", fix="give [low, high] pairs of numbers") from None
    d = len(names)
    if d == 0:
        raise ParameterError("no input to vary", fix="give at least one name with its bounds")
    if len(set(names)) != d:
        raise ParameterError("an input is named twice", fix="name each input once")
    if bounds.shape != (d, 2) or not np.all(np.isfinite(bounds)) or not np.all(bounds[:, 0] < bounds[:, 1]):
        raise ParameterError(f"the bounds must be {d} finite pairs [low, high] with low < high",
                             fix="give one [low, high] per name")
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not _is_power_of_two(int(n)):
        raise ParameterError(f"the base sample size {n!r} is not a power of two", where="--samples",
                             fix="use a power of two, e.g. 64, 256 or 1024")
    if not 0 < conf_level < 1:
        raise ParameterError(f"confidence level {conf_level} is not in (0, 1)", fix="use e.g. 0.95")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= seed < 2**32:
        raise ParameterError(f"seed {seed!r} is not a whole number from 0 to 2**32-1", where="--seed",
                             fix="give a seed such as --seed 0 (the default) or --seed 1")
    n, seed = int(n), int(seed)
    salib_problem = {"num_vars": d, "names": names, "bounds": bounds.tolist()}
    X = sobol_sample.sample(salib_problem, n, calc_second_order=calc_second_order, scramble=True, seed=seed)
    Y = np.asarray(func(X), dtype=float)
    if Y.shape != (X.shape[0],):
        raise ValueError(f"func returned shape {Y.shape}; expected ({X.shape[0]},): one output per row of X")
    if not np.all(np.isfinite(Y)):
        raise ValueError(f"func returned {int(np.sum(~np.isfinite(Y)))} non-finite outputs")
    attrs: dict[str, Any] = {"n": n, "seed": seed, "n_evaluations": int(X.shape[0])}
    if np.ptp(Y) == 0:
        zeros = np.zeros(d)
        df = pd.DataFrame({"S1": zeros, "S1_conf": zeros, "ST": zeros, "ST_conf": zeros},
                          index=pd.Index(names, name="param"))
        attrs["note"] = "the output is constant over the design: no input changes it"
        if calc_second_order:
            attrs["S2"] = attrs["S2_conf"] = np.zeros((d, d)).tolist()
        df.attrs.update(attrs)
        return df
    boot_seed = int(np.random.SeedSequence(seed).generate_state(1)[0]) or 1
    si = sobol_analyze.analyze(salib_problem, Y, calc_second_order=calc_second_order,
                               num_resamples=num_resamples, conf_level=conf_level, print_to_console=False,
                               seed=boot_seed)
    df = pd.DataFrame({c: np.asarray(si[c], dtype=float) for c in SOBOL_COLUMNS},
                      index=pd.Index(names, name="param"))
    if calc_second_order:
        attrs["S2"] = np.asarray(si["S2"], dtype=float).tolist()
        attrs["S2_conf"] = np.asarray(si["S2_conf"], dtype=float).tolist()
    df.attrs.update(attrs)
    return df


def _sample_value(x: float, low: Fraction, high: Fraction) -> Any:
    """A sampled float as a parameter value that passes the range check (read as its shortest decimal)."""
    exact = to_exact(float(x))
    if exact < low:
        return low
    if exact > high:
        return high
    return float(x)


def _rational_form(game) -> bool:
    """True if every payoff and chance probability of the symbolic *game* is a rational function."""
    if isinstance(game, NormalFormGame):
        values = [v for p in game.payoffs for v in p.flat]
    else:
        values = [v for node in game.nodes() for v in (node.payoffs if isinstance(node, Terminal) else
                                                        node.probabilities if isinstance(node, Chance) else ())]
    for v in values:
        expr = _sym(v)
        if expr.free_symbols and not expr.is_rational_function(*expr.free_symbols):
            return False
        if not expr.free_symbols and not expr.is_Rational:
            return False
    return True


#: Default budget of a Sobol' analysis's evaluations, N x (D + 2) (``gtu sensitivity --max-points``,
#: ``max_points=``): the design's points are built in memory (about 1 kB each) and solved one by one (about
#: 1 ms each for the framework models), so 200,000 points are about 200 MB and a few minutes.
MAX_SOBOL_POINTS = 200_000


def _sobol_evaluations(n: Any, d: int) -> int:
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ParameterError(f"the base sample size {n!r} is not a positive power of two", where="--samples",
                             fix="use a power of two, e.g. 64, 256 or 1024")
    return int(n) * (d + 2)


def model_sobol(model, measure: str | Measure, *, form: str | None = None, scenario: str | None = None,
                params: Sequence[str] | str | None = None, n: int = 256, seed: int = 0,
                values: Mapping[str, Any] | None = None, exact: bool | None = None,
                progress: bool | None = None, max_points: int | None = None,
                max_work: int | None = None) -> pd.DataFrame:
    """Sobol' indices of an equilibrium measure over the parameters' ranges.

    The parameters *params* are uniform on their [low, high]; the others stay at the point (the
    *scenario*'s values, then *values*). At every design point the form is solved and the measure
    (the mean over the equilibria there; see the module docstring) is evaluated by
    :func:`measure_at_points`; the indices come from :func:`sobol_indices`, the same code path as the
    Ishigami check.

    Parameters
    ----------
    model : Model
    measure : str or Measure
        ``"payoff:PLAYER"`` or ``"outcome:LABEL"``.
    form, scenario : str, optional
    params : sequence of str or comma-separated str, optional
        Default: the form's parameters not fixed in *values* whose range is not a single value.
    n : int
        Base sample size (power of two): ``n * (D + 2)`` solves for D parameters.
    seed : int
        Seed of the design and the bootstrap.
    values : mapping, optional
        Fixed parameter values.
    exact : bool, optional
        Solve each point exactly, the sampled floats read as their shortest decimals (ties between
        equilibria are then found exactly; for trees it is also the faster path), or in floats. Default:
        exact when every payoff and chance probability of the form is a rational function of the
        parameters (no ``exp``, ``log``, ``sqrt``), floats otherwise.
    progress : bool, optional
        A progress bar on standard error; default: when standard error is a terminal.
    max_points : int, optional
        Budget of evaluations ``n * (D + 2)`` (default :data:`MAX_SOBOL_POINTS`), checked before the design is
        built: the design and its points are held in memory (about 1 kB a point).
    max_work : int, optional
        Budget of evaluations x the game's size x 1000 (each a scalar solve; see
        :func:`~gametheory_ukraine.analysis.sweep_plan.check_sweep_work`).

    Returns
    -------
    pandas.DataFrame
        As :func:`sobol_indices`; ``attrs`` adds the model, form, scenario, measure, ``n_points`` and
        ``n_multiple`` (how many design points had more than one equilibrium, where the measure is a mean).

    Examples
    --------
    The chain-store entrant gets ``max(o_E, d)``; for two independent uniforms
    ``S1 = Var(E[max | one]) / Var(max) = (1/45)/(1/18) = 0.4`` and ``ST = 1 - 0.4 = 0.6`` for each:

    >>> import gametheory_ukraine as gtu
    >>> df = model_sobol(gtu.load_model("chain-store"), "payoff:Entrant", form="sequential",
    ...                  params=["o_E", "d"], n=256, seed=3)
    >>> df[["S1", "ST"]].round(1).values.tolist(), df.attrs["n_points"]
    ([[0.4, 0.6], [0.4, 0.6]], 1024)
    """
    form = model.form_name(form)
    spec = parse_measure(model, form, measure)
    point = _point(model, scenario, values)
    names = _chosen_params(model, form, params, values, exclude_fixed=True, need_range=True)
    pars = [model.parameters[name] for name in names]
    problem = {"names": names, "bounds": [[float(p.low), float(p.high)] for p in pars]}
    evaluations = _sobol_evaluations(n, len(names))
    cap = MAX_SOBOL_POINTS if max_points is None else check_count(max_points, "max_points", option="--max-points")
    if evaluations > cap:
        raise ParameterError(f"a Sobol' analysis with N={n:,} over {len(names)} parameters solves N x "
                             f"({len(names)} + 2) = {evaluations:,} points, more than the budget of {cap:,}",
                             where="--samples", fix=f"use a smaller --samples (a power of two), or raise the "
                                                    f"budget with --max-points {evaluations} (max_points=)")
    check_sweep_work(model, form, "scalar", evaluations, max_work=max_work, what="the Sobol' analysis's",
                     points_option="--samples")
    if exact is None:
        exact = _rational_form(model.symbolic(form))
    show = sys.stderr.isatty() if progress is None else bool(progress)
    counts: list[np.ndarray] = []

    def func(X: np.ndarray) -> np.ndarray:
        points = [dict(point, **{p.name: _sample_value(x, p.low, p.high) for p, x in zip(pars, row)})
                  for row in X]
        y, neq = measure_at_points(model, spec, points, form=form, scenario=scenario,
                                   exact=True if exact else False, progress=show)
        counts.append(neq)
        return y

    df = sobol_indices(func, problem, n=n, seed=seed)
    neq = np.concatenate(counts) if counts else np.zeros(0, dtype=int)
    df.attrs.update(model=model.name, form=form, scenario=scenario, measure=spec.text,
                    n_points=int(neq.size), n_multiple=int(np.sum(neq > 1)),
                    point={k: str(v) for k, v in point.items() if k not in names})
    return df


# ====================================================================================== one analysis
#: The kinds of :func:`sensitivity`.
KINDS = ("local", "tornado", "sobol")


def _json_value(value: Any) -> Any:
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(value) else float(value)
    if isinstance(value, np.integer):
        return int(value)
    return value


@dataclass(frozen=True, eq=False)
class Sensitivity:
    """One sensitivity analysis of a model, as :func:`sensitivity` returns it.

    Attributes
    ----------
    model, form : str
    scenario : str or None
    kind : str
        ``"local"``, ``"tornado"`` or ``"sobol"``.
    measure : Measure or None
        The measure (tornado and Sobol'; for ``"local"`` only when one was asked for).
    values : dict
        The fixed parameter values, as given.
    table : pandas.DataFrame
        :func:`local_sensitivity`'s, :func:`tornado`'s or :func:`model_sobol`'s table (Sobol': the parameter
        names as the column ``param``), with their ``attrs``.
    notes : tuple of str
        What the table needs to be read right: the equilibrium taken, the measure, notes of the analysis.
    """

    model: str
    form: str
    scenario: str | None
    kind: str
    measure: Measure | None
    values: dict
    table: pd.DataFrame
    notes: tuple[str, ...]

    def to_dict(self) -> dict:
        """A JSON-ready dict: ``model``, ``form``, ``scenario``, ``kind``, ``measure`` (its text or None),
        ``values`` (as text), ``rows`` (one dict per row of the table, NaN as None), ``notes``, the package
        ``version`` and, where the table records them, ``n``, ``seed``, ``n_points``, ``n_multiple``,
        ``equilibrium``, ``n_equilibria`` and ``outcome``."""
        df = self.table
        doc = {"model": self.model, "form": self.form, "scenario": self.scenario, "kind": self.kind,
               "measure": self.measure.text if self.measure is not None else None,
               "values": {k: str(v) for k, v in self.values.items()},
               "rows": [{k: _json_value(v) for k, v in row.items()} for row in df.to_dict(orient="records")],
               "notes": list(self.notes), "version": __version__}
        for key in ("n", "seed", "n_points", "n_multiple", "equilibrium", "n_equilibria", "outcome"):
            if key in df.attrs:
                doc[key] = _json_value(df.attrs[key])
        return doc


def sobol_sample_warning(df, samples: int) -> list[str]:
    """A note when the Sobol' sample is too small for its indices: an index whose 95 % interval half-width
    exceeds its size, or a negative first-order index (an estimation error: the indices are shares of a
    variance); none otherwise.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"param": ["a", "b"], "S1": [0.5, -0.01], "S1_conf": [0.1, 0.04], "ST": [0.6, 0.02],
    ...                    "ST_conf": [0.1, 0.03]})
    >>> sobol_sample_warning(df, 64)[0][:60]
    'the sample is too small for 1 of 2 parameters: b (an interva'
    """
    wide = (df["S1_conf"] > df["S1"].abs()) | (df["ST_conf"] > df["ST"].abs()) | (df["S1"] < 0)
    if not wide.any():
        return []
    names = df.loc[wide, "param"].tolist()
    shown = ", ".join(names[:6]) + (", ..." if len(names) > 6 else "")
    return [f"the sample is too small for {len(names)} of {len(df)} parameters: {shown} (an interval wider than "
            f"its estimate, or a negative first-order index, which is estimation error); raise --samples (now "
            f"{samples}; the intervals shrink about as 1/sqrt(N): {4 * samples} halves them)"]


def sensitivity(model, kind: str = "local", *, form: str | None = None, scenario: str | None = None,
                measure: str | Measure | None = None, params: Sequence[str] | str | None = None,
                values: Mapping[str, Any] | None = None, samples: int | None = 256, seed: int | None = 0,
                max_points: int | None = None, max_work: int | None = None) -> Sensitivity:
    """One analysis of *kind*: :func:`local_sensitivity`, :func:`tornado` or :func:`model_sobol`, with the notes
    that go with its table (what ``gtu sensitivity`` shows).

    Parameters
    ----------
    model : Model
    kind : {"local", "tornado", "sobol"}
    form, scenario : str, optional
    measure : str or Measure, optional
        Tornado and Sobol': default the first player's payoff. Local: keep only that quantity's rows.
    params : sequence of str or comma-separated str, optional
        The parameters to vary (default: see each analysis).
    values : mapping, optional
        Fixed parameter values.
    samples, seed : int
        Sobol': the base sample size N (a power of two) and the seed (None: 0).
    max_points, max_work : int, optional
        Sobol': the budgets of :func:`model_sobol`.

    Returns
    -------
    Sensitivity

    Raises
    ------
    ParameterError
        An unknown kind, a bad measure, parameter or value, a Sobol' sample size below 1 or past the budgets.

    Examples
    --------
    >>> import gametheory_ukraine as gtu
    >>> res = sensitivity(gtu.load_model("chain-store"), "tornado", form="sequential", params="d")
    >>> res.table[["param", "swing"]].values.tolist(), res.notes
    ([['d', 9.0]], ('measure: payoff:Entrant, the mean over the equilibria at each point',))
    """
    values = dict(values or {})
    form = model.form_name(form)
    kind = kind or "local"
    measure = parse_measure(model, form, measure) if (measure or kind != "local") else None
    notes: list[str] = []
    if kind == "local":
        df = local_sensitivity(model, form=form, scenario=scenario, params=params, values=values)
        if measure is not None:
            df = df[df["quantity"] == measure.text].reset_index(drop=True)
        notes += [f"equilibrium {df.attrs['equilibrium']} of {df.attrs['n_equilibria']}: {df.attrs['outcome']}"]
        notes += list(df.attrs.get("notes", []))
    elif kind == "tornado":
        df = tornado(model, measure, form=form, scenario=scenario, params=params, values=values)
        notes.append(f"measure: {measure.text}, the mean over the equilibria at each point")
    elif kind == "sobol":
        if samples is None or samples < 1:
            raise ParameterError(f"--samples {samples} is not a positive number", where="--samples",
                                 fix="use a power of two, e.g. 256")
        df = model_sobol(model, measure, form=form, scenario=scenario, params=params, n=samples,
                         seed=seed if seed is not None else 0, values=values, max_points=max_points,
                         max_work=max_work)
        attrs = dict(df.attrs)
        df = df.reset_index()
        df.attrs.update(attrs)
        notes.append(f"measure: {measure.text}, the mean over the equilibria at each point; "
                     f"{attrs['n_points']} points solved, {attrs['n_multiple']} with several equilibria")
        if attrs.get("note"):
            notes.append(attrs["note"])
        notes += sobol_sample_warning(df, samples)
    else:
        raise ParameterError(f"unknown kind {kind!r}", where="--kind", fix="use local, tornado or sobol")
    return Sensitivity(model.name, form, scenario, kind, measure, values, df, tuple(notes))
