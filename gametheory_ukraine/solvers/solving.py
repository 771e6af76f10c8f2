"""The entry point :func:`solve`: pick a solver, run it, certify every equilibrium."""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Mapping
from fractions import Fraction
from itertools import cycle
from typing import Any, Literal, overload

import numpy as np
import sympy

from ..core.errors import SolverError
from ..core.frozen import FrozenDict
from ..core.numbers import simplest, to_exact
from ..games.normal_form import NormalFormGame
from ..games.reduce import to_normal_form
from ..games.tree import Chance, Decision, GameTree, Terminal
from . import certificate
from .budget import MAX_WORK, check_work, estimate_work, support_profiles
from .correlated import CorrelatedEquilibrium, CorrelatedPolytope, correlated_equilibrium, correlated_vertices
from .dominance import DominanceResult, iterated_dominance
from .lrs import lrsnash_equilibria
from .n_player import pure_equilibria, support_enumeration
from .qre import QRE, logit_qre
from .results import Equilibrium, EquilibriumSet, format_number
from .subgame_perfect import expected_payoffs, outcome_distribution, regret, subgame_perfect
from .two_player import extreme_equilibria

# the work budget (MAX_WORK, estimate_work, check_work) lives in .budget, below this module and the solvers it
# calls; it is re-exported here, where callers of solve() look for it
__all__ = ["solve", "NORMAL_FORM_METHODS", "TREE_METHODS", "REDUCTION_METHODS", "MAX_WORK", "estimate_work",
           "check_work"]

NORMAL_FORM_METHODS = ("auto", "vertex-enumeration", "support-enumeration", "pure", "lemke-howson", "lrsnash")
TREE_METHODS = ("auto", "subgame-perfect", "nash")
#: Methods that return something other than Nash equilibria (on a tree: of its reduced normal form):
#: iterated elimination of strictly (weakly) dominated strategies, mixed dominators included
#: (:class:`~gametheory_ukraine.solvers.dominance.DominanceResult`), the correlated equilibrium maximising an
#: objective (:class:`~gametheory_ukraine.solvers.correlated.CorrelatedEquilibrium`) and the vertices of the
#: correlated-equilibrium polytope (:class:`~gametheory_ukraine.solvers.correlated.CorrelatedPolytope`).
REDUCTION_METHODS = ("dominance", "weak-dominance", "correlated", "correlated-vertices")
#: Every method :func:`solve` accepts for a normal form / a tree (Nash methods, reductions, the logit QRE).
ALL_NORMAL_FORM_METHODS = NORMAL_FORM_METHODS + REDUCTION_METHODS + ("logit-qre",)
ALL_TREE_METHODS = TREE_METHODS + REDUCTION_METHODS + ("logit-qre",)

#: Lemke-Howson paths longer than this many pivots are abandoned (float pivoting can cycle or overflow).
MAX_PIVOTS = 10_000


@overload
def solve(game: NormalFormGame | GameTree, *, exact: bool | None = None, method: Literal["logit-qre"],
          tol: float = 1e-9, parameters: Mapping[str, Any] | None = None, max_work: int | None = None,
          lam: float | None = None, objective: Any = None) -> QRE: ...
@overload
def solve(game: NormalFormGame | GameTree, *, exact: bool | None = None, method: Literal["dominance", "weak-dominance"],
          tol: float = 1e-9, parameters: Mapping[str, Any] | None = None, max_work: int | None = None,
          lam: float | None = None, objective: Any = None) -> DominanceResult: ...
@overload
def solve(game: NormalFormGame | GameTree, *, exact: bool | None = None, method: Literal["correlated"],
          tol: float = 1e-9, parameters: Mapping[str, Any] | None = None, max_work: int | None = None,
          lam: float | None = None, objective: Any = None) -> CorrelatedEquilibrium: ...
@overload
def solve(game: NormalFormGame | GameTree, *, exact: bool | None = None, method: Literal["correlated-vertices"],
          tol: float = 1e-9, parameters: Mapping[str, Any] | None = None, max_work: int | None = None,
          lam: float | None = None, objective: Any = None) -> CorrelatedPolytope: ...
@overload
def solve(game: NormalFormGame | GameTree, *, exact: bool | None = None, method: str = "auto",
          tol: float = 1e-9, parameters: Mapping[str, Any] | None = None, max_work: int | None = None,
          lam: float | None = None, objective: Any = None) -> EquilibriumSet: ...


def solve(game: NormalFormGame | GameTree, *, exact: bool | None = None, method: str = "auto",
          tol: float = 1e-9, parameters: Mapping[str, Any] | None = None,
          max_work: int | None = None, lam: float | None = None, objective: Any = None,
          ) -> EquilibriumSet | QRE | DominanceResult | CorrelatedEquilibrium | CorrelatedPolytope:
    """Compute the equilibria of a numeric game, each with a best-response certificate.

    Parameters
    ----------
    game : NormalFormGame or GameTree
        With numeric payoffs (call ``instantiate`` on a symbolic game first).
    exact : bool, optional
        Exact rational arithmetic. Default: exact iff the game's payoffs are exact.
        Float payoffs solved exactly are read as the decimals they print as.
    method : str
        Normal form: ``"auto"`` (= ``"vertex-enumeration"`` for two players: every
        extreme equilibrium, degenerate games included; ``"support-enumeration"``
        for N >= 3: sympy polynomial solving; argmax for one player),
        ``"pure"`` (pure equilibria only), ``"lemke-howson"`` (nashpy; one
        equilibrium per starting label, two players, floats, not complete),
        ``"lrsnash"`` (two players, exact, by the external ``lrsnash`` program
        when installed: :mod:`~gametheory_ukraine.solvers.lrs`).
        Trees: ``"auto"`` = ``"subgame-perfect"`` (backward induction, ties kept
        as separate equilibria; imperfect-information subgames solved in normal
        form), or ``"nash"`` (all Nash equilibria of the reduced normal form).
        Both (trees: on the reduced normal form), exact, returning their own results
        (:data:`REDUCTION_METHODS`): ``"dominance"`` (iterated elimination of strictly
        dominated strategies, mixed dominators included: a
        :class:`~gametheory_ukraine.solvers.dominance.DominanceResult`),
        ``"weak-dominance"`` (weakly dominated ones, all of them round by round),
        ``"correlated"`` (the correlated equilibrium maximising *objective*) and
        ``"correlated-vertices"`` (every vertex of the correlated-equilibrium polytope).
    tol : float
        Float mode: tolerance for best-response checks. Ignored when exact.
    parameters : mapping, optional
        Parameter values to record in the result.
    max_work : int, optional
        Work budget (default :data:`MAX_WORK`): a normal form (also a tree's reduced normal form, and the
        normal forms of imperfect-information subgames) whose :func:`estimate_work` exceeds it is refused
        before solving starts. For :data:`REDUCTION_METHODS`, the budget of each exact LP, resp. of the
        vertex enumeration.
    lam : float, optional
        With ``method="logit-qre"`` (either form): the precision lambda >= 0 of the logit quantal response
        equilibrium on the principal branch (:func:`~gametheory_ukraine.solvers.qre.logit_qre`; agent QRE for a
        tree). Such a solve returns a :class:`~gametheory_ukraine.solvers.qre.QRE`, not an EquilibriumSet: a QRE
        is not a Nash equilibrium, and its regret is reported, not certified.
    objective : str or sequence
        ``method="correlated"`` only (any other method refuses it, as lam for all but logit-qre): ``"welfare"``
        (sum of payoffs; the default), a player's name, or one weight per player.

    Returns
    -------
    EquilibriumSet
        For a Nash method. ``method="logit-qre"`` returns a :class:`~gametheory_ukraine.solvers.qre.QRE` and
        :data:`REDUCTION_METHODS` their own results (the overloads of this function state which, so a type
        checker knows).

    Raises
    ------
    SolverError
        For symbolic games, unknown methods, a game too large for the method (past *max_work*, or past a
        solver's own cap), or (never expected) an equilibrium failing its certificate.

    Examples
    --------
    >>> import gametheory_ukraine as gtu
    >>> g = gtu.NormalFormGame.from_arrays([[3, 3], [2, 5], [0, 6]], [[3, 3], [2, 6], [3, 1]])
    >>> res = gtu.solve(g)
    >>> len(res), res.degenerate, res.complete
    (3, True, True)
    >>> [str(p) for p in res[2].strategies[0]]
    ['0', '1/3', '2/3']
    """
    params = FrozenDict(parameters or {})
    if game.kind == "symbolic":
        raise SolverError(f"the game has free parameters {', '.join(game.parameters)}",
                          fix="instantiate it first, e.g. game.instantiate(rho=0.05), or use model.game(...)")
    if objective is not None and method != "correlated":
        raise SolverError(f"an objective is for method correlated, not {method!r}",
                          fix="drop objective (--objective), or use method='correlated'")
    if method == "logit-qre":  # a quantal response equilibrium, not a Nash equilibrium: its own result type
        if lam is None:
            raise SolverError("method logit-qre needs a precision lambda", fix="pass lam=5 (on the command line "
                              "--lambda 5)")
        return logit_qre(game, lam, parameters=params, max_work=max_work)
    if lam is not None:
        raise SolverError(f"a precision lambda is for method logit-qre, not {method!r}",
                          fix="drop lam (--lambda), or use method='logit-qre'")
    ex = game.is_exact if exact is None else bool(exact)
    if method in REDUCTION_METHODS and isinstance(game, (GameTree, NormalFormGame)):
        return _solve_reduction(game, method, params, max_work, objective)
    if isinstance(game, GameTree):
        return _solve_tree(game, ex, method, tol, params, max_work)
    if isinstance(game, NormalFormGame):
        return _solve_normal(game, ex, method, tol, params, max_work)
    raise SolverError(f"cannot solve an object of type {type(game).__name__}",
                      fix="pass a NormalFormGame or a GameTree")


def _solve_reduction(game: NormalFormGame | GameTree, method: str, params, max_work: int | None, objective: Any):
    """Dominance or correlated equilibria, exact, of a normal form (a tree: of its reduced normal form)."""
    if isinstance(game, GameTree):
        game.validate()
        try:
            game = to_normal_form(game, max_profiles=max(1, MAX_WORK if max_work is None else int(max_work)))
        except ValueError as exc:  # too many reduced strategies or profiles
            raise SolverError(f"the reduced normal form is too large: {exc}", where=f"--method {method}",
                              fix="raise the budget with --max-work") from None
    if method in ("dominance", "weak-dominance"):
        return iterated_dominance(game, kind="strict" if method == "dominance" else "weak", parameters=params,
                                  max_work=max_work)
    if method == "correlated":
        return correlated_equilibrium(game, "welfare" if objective is None else objective, parameters=params,
                                      max_work=max_work)
    return correlated_vertices(game, parameters=params, max_work=max_work)


# ----------------------------------------------------------------- normal form
def _payoff_arrays(game: NormalFormGame, exact: bool) -> tuple[np.ndarray, ...]:
    if exact:
        return game.as_exact().payoffs
    return tuple(np.asarray(p, dtype=float) for p in game.payoffs)


def _outcome_distribution(game: NormalFormGame, profile) -> dict:
    dist: dict = {}
    supports = [[a for a, p in enumerate(s) if p != 0] for s in profile]
    for pure in itertools.product(*supports):
        prob = 1
        for i, a in enumerate(pure):
            prob = prob * profile[i][a]
        label = game.outcome(pure)
        if label is None:
            label = " / ".join(game.actions[i][a] for i, a in enumerate(pure))
        dist[label] = dist.get(label, 0) + prob
    return dist


def describe_outcome(dist: Mapping) -> str:
    """One label if the outcome is sure, else ``"lottery: a (2/3), b (1/3)"`` by falling probability, equal ones
    (to 12 decimals: float rounding must not decide the order) by label."""
    items = sorted(dist.items(), key=lambda kv: (-round(float(kv[1]), 12), kv[0]))
    if len(items) == 1:
        return items[0][0]
    return "lottery: " + ", ".join(f"{k} ({format_number(v, 4)})" for k, v in items)


def _payoff_scale(payoffs) -> float:
    """max(1, largest |payoff|): float tolerances are relative to the payoffs' magnitude."""
    return max([1.0, *(float(abs(v)) for p in payoffs for v in np.asarray(p, dtype=float).flat)])


def _certify(value, exact: bool, tol: float, what: str):
    """Check one equilibrium's regret: exactly 0 in exact mode, at most *tol* otherwise (callers pass
    a tolerance already scaled to the payoffs' magnitude)."""
    if exact:
        if isinstance(value, (int, Fraction)):
            if value != 0:
                raise SolverError(f"internal error: {what} has regret {value} (please report this game)")
            return Fraction(0)
        # algebraic numbers from polynomial solving: certify numerically at high precision
        val = sympy.N(value, 50)
        if abs(val) > sympy.Float("1e-40"):
            raise SolverError(f"internal error: {what} has regret {val} (please report this game)")
        return Fraction(0)
    value = float(value)
    if value > tol:
        raise SolverError(f"internal error: {what} has regret {value:g} > tolerance {tol:g}")
    return max(value, 0.0)


def _solve_normal(game: NormalFormGame, exact: bool, method: str, tol: float, params,
                  max_work: int | None = None) -> EquilibriumSet:
    if method not in NORMAL_FORM_METHODS:
        raise SolverError(f"unknown method {method!r} for a normal-form game",
                          fix="use one of " + ", ".join(ALL_NORMAL_FORM_METHODS))
    n = game.n_players
    shape = tuple(len(a) for a in game.actions)
    resolved = method if method != "auto" else (
        "vertex-enumeration" if n == 2 else ("argmax" if n == 1 else "support-enumeration"))
    check_work(shape, resolved, max_work, exact=exact)
    payoffs = _payoff_arrays(game, exact)
    degenerate = None
    complete = True
    notes: list[str] = []
    components: tuple | None = None
    if method == "auto":
        method = "vertex-enumeration" if n == 2 else ("pure" if n == 1 else "support-enumeration")
        if n == 1:
            method = "argmax"
    if method == "vertex-enumeration":
        if n != 2:
            raise SolverError("vertex enumeration is for two-player games", fix="use method='support-enumeration'")

        sol = extreme_equilibria(payoffs[0], payoffs[1], exact=exact, tol=tol)
        profiles = [tuple(pair) for pair in sol.equilibria]
        degenerate = sol.degenerate
        components = sol.components
        if sol.has_continuum:
            notes.append("some equilibria lie in a continuum: equilibria sharing a component index span "
                         "a convex set whose extreme points are listed")
    elif method == "lrsnash":
        if n != 2:
            raise SolverError("lrsnash is for two-player games", fix="use method='support-enumeration'")
        sol = lrsnash_equilibria(payoffs[0], payoffs[1])
        profiles = [pair if exact else tuple(tuple(float(v) for v in s) for s in pair) for pair in sol.equilibria]
        components = sol.components
        notes.append("computed by lrsnash (lrslib, run as a separate program); every equilibrium certified here")
        if len(set(components)) != len(components):
            notes.append("some equilibria lie in a continuum: equilibria sharing a component index span "
                         "a convex set whose extreme points are listed")
    elif method in ("pure", "argmax"):
        profiles = []
        for pure in pure_equilibria(payoffs, tol=0 if exact else tol):
            profiles.append(tuple(tuple((1 if exact else 1.0) if a == k else (0 if exact else 0.0)
                                        for a in range(len(game.actions[i])))
                                  for i, k in enumerate(pure)))
        if method == "pure":
            complete = False
            notes.append("pure equilibria only; mixed equilibria were not searched")
        else:
            notes.append("one player: the extreme optimal strategies are the pure maximisers")
    elif method == "support-enumeration":
        try:
            sol = support_enumeration(payoffs, exact=exact, tol=tol, max_supports=max(1, support_profiles(shape)))
        except ValueError as exc:  # a solver's own cap
            raise SolverError(str(exc), fix="use --method pure, or a smaller game") from None
        profiles = [tuple(p) for p in sol.equilibria]
        complete = sol.complete
        components = sol.components
        notes.extend(sol.notes)
    else:  # lemke-howson via nashpy
        if n != 2:
            raise SolverError("Lemke-Howson is for two-player games")
        A, B = (np.asarray(p, dtype=float) for p in payoffs)
        found = []
        for label in range(sum(A.shape)):
            try:
                x, y = _lemke_howson(A, B, label)
            except Exception as exc:  # nashpy raises on some degenerate games
                notes.append(f"Lemke-Howson from label {label} failed: {exc}")
                continue
            if x.shape != (A.shape[0],) or np.isnan(x).any() or np.isnan(y).any():
                continue
            pair = (tuple(float(v) for v in x), tuple(float(v) for v in y))
            if not any(np.allclose(np.r_[pair[0], pair[1]], np.r_[q[0], q[1]], atol=1e-9) for q in found):
                found.append(pair)
        profiles = found
        exact = False
        complete = False
        notes.append("Lemke-Howson (nashpy) from every initial label: one equilibrium per path, "
                     "not guaranteed to find all")

    # the solvers' float tolerance is relative to the payoff scale (two_player normalises payoffs to
    # [1, 3]); a near-tie they treat as a tie can leave a regret of a few tol * max|u|
    bound = 4 * tol * _payoff_scale(payoffs) if not exact else 0.0
    equilibria = []
    for k, prof in enumerate(profiles):
        r = _certify(certificate.regret(payoffs, prof), exact, bound, f"equilibrium {k}")
        pays = tuple(certificate.expected_payoffs(payoffs, prof))
        pays = tuple(simplest(v) if exact else float(v) for v in pays)
        dist = {label: simplest(p) for label, p in _outcome_distribution(game, prof).items()}
        equilibria.append(Equilibrium(
            strategies=tuple(tuple(s) for s in prof), payoffs=pays, regret=r,
            outcome=describe_outcome(dist), outcome_distribution=FrozenDict(dist),
            component=None if components is None else components[k]))
    return EquilibriumSet(tuple(equilibria), method=method, exact=exact, complete=complete,
                          degenerate=degenerate, tolerance=0.0 if exact else tol, players=game.players,
                          actions=game.actions, form="normal", parameters=params, notes=tuple(notes))


def _lemke_howson(A: np.ndarray, B: np.ndarray, label: int, max_pivots: int = MAX_PIVOTS):
    """nashpy's Lemke-Howson path from *label* (``nashpy.algorithms.lemke_howson``, lexicographic pivoting),
    abandoned after *max_pivots* pivots or when the tableau stops being finite (float pivoting overflows on
    larger games, after which nashpy's own loop never ends)."""
    # deferred: nashpy imports scipy.optimize and networkx (about 1 s), which only this method needs
    from nashpy.linalg import create_col_tableau, create_row_tableau

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        col_tableau = create_col_tableau(A, True)
        row_tableau = create_row_tableau(B, True)
        tableaux = cycle((row_tableau, col_tableau) if label in row_tableau.non_basic_variables
                         else (col_tableau, row_tableau))
        full = col_tableau.labels
        entering = label
        for _ in range(max_pivots):
            tableau = next(tableaux)
            entering = tableau.pivot_and_drop_label(entering)
            if col_tableau.non_basic_variables.union(row_tableau.non_basic_variables) == full:
                return (row_tableau.to_strategy(col_tableau.non_basic_variables),
                        col_tableau.to_strategy(row_tableau.non_basic_variables))
            if not (np.isfinite(tableau._tableau).all()):
                raise ArithmeticError("the pivoting overflowed")
    raise ArithmeticError(f"no equilibrium after {max_pivots} pivots")


# ----------------------------------------------------------------------- trees
def _solve_tree(tree: GameTree, exact: bool, method: str, tol: float, params,
                max_work: int | None = None) -> EquilibriumSet:
    if method not in TREE_METHODS:
        raise SolverError(f"unknown method {method!r} for a game tree",
                          fix="use one of " + ", ".join(ALL_TREE_METHODS))
    tree.validate()
    if exact and not tree.is_exact:
        tree = _exact_tree(tree)
    if method == "nash":
        try:
            nf = to_normal_form(tree, max_profiles=max(1, MAX_WORK if max_work is None else int(max_work)))
        except ValueError as exc:  # too many reduced strategies or profiles
            raise SolverError(f"the reduced normal form is too large: {exc}", where="--method nash",
                              fix="use --method subgame-perfect, or raise the budget with --max-work") from None
        res = _solve_normal(nf, exact, "auto", tol, params, max_work)
        return EquilibriumSet(res.equilibria, method=res.method + " (reduced normal form)", exact=res.exact,
                              complete=res.complete, degenerate=res.degenerate, tolerance=res.tolerance,
                              players=res.players, actions=res.actions, form="normal", parameters=params,
                              notes=res.notes)
    try:
        sol = subgame_perfect(tree, exact=exact, tol=tol, max_work=max_work)
    except ValueError as exc:  # the solver's own caps: too many equilibria, strategies or profiles
        raise SolverError(str(exc), where="--method subgame-perfect",
                          fix="solve a smaller game, or fix parameters that make many ties") from None
    infosets = tree.infosets()
    actions = tuple(FrozenDict({h: s.actions for h, s in infosets.items() if s.player == i})
                    for i in range(tree.n_players))
    bound = 0.0 if exact else 4 * tol * _payoff_scale(
        [n.payoffs for n in tree.nodes() if isinstance(n, Terminal)] or [[0]])
    equilibria = []
    for k, behaviour in enumerate(sol.equilibria):
        r = _certify(regret(tree, behaviour), exact, bound, f"subgame-perfect equilibrium {k}")
        pays = tuple(simplest(v) if exact else float(v) for v in expected_payoffs(tree, behaviour))
        dist = {str(k2): simplest(v) for k2, v in outcome_distribution(tree, behaviour).items()}
        strategies = tuple(FrozenDict({h: behaviour[h] for h in actions[i] if h in behaviour})
                           for i in range(tree.n_players))
        equilibria.append(Equilibrium(strategies=strategies, payoffs=pays, regret=r,
                                      outcome=describe_outcome(dist), outcome_distribution=FrozenDict(dist)))
    return EquilibriumSet(tuple(equilibria), method="subgame-perfect", exact=exact, complete=sol.complete,
                          degenerate=None, tolerance=0.0 if exact else tol, players=tree.players,
                          actions=actions, form="sequential", parameters=params, notes=tuple(sol.notes))


def _exact_tree(tree: GameTree) -> GameTree:
    def conv(node):
        if isinstance(node, Terminal):
            return Terminal(node.name, tuple(to_exact(v) for v in node.payoffs), node.outcome)
        kids = tuple(conv(c) for c in node.children)
        if isinstance(node, Decision):
            return Decision(node.name, node.player, node.actions, kids, node.infoset)
        return Chance(node.name, node.actions, tuple(to_exact(p) for p in node.probabilities), kids)

    return GameTree(tree.players, conv(tree.root), tree.title)
