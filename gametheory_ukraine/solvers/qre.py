"""Logit quantal response equilibria, traced along the principal branch.

A *logit quantal response equilibrium* (QRE) at precision :math:`\\lambda \\ge 0` is a profile in which every
player plays every action with probability proportional to :math:`\\exp(\\lambda v)`, where *v* is the action's
expected payoff against the profile itself ([MP95]_). At :math:`\\lambda = 0` play is uniform; as
:math:`\\lambda \\to \\infty` the *principal branch* (the connected set of QRE that starts at the uniform profile)
converges, in a generic game, to one Nash equilibrium ([MP95]_; [Tur05]_). For a game tree the *agent* logit QRE
([MP98]_) applies the same rule at every information set, with *v* the action's expected payoff conditional on
reaching the information set (beliefs from Bayes' rule, which is always defined since every action has positive
probability).

A QRE is not a Nash equilibrium: its regret (the largest gain from a unilateral deviation) is positive at every
finite :math:`\\lambda` and is reported, not certified to be 0. Precision is in the units of the payoffs:
doubling every payoff halves the :math:`\\lambda` at which the same profile is reached.

Method
------
The branch is traced as in [Tur05]_ and Gambit's ``logit`` solver ([Gam16]_): the unknowns are the logarithms
of the probabilities and :math:`\\lambda`; the equations are, at each information set (a player's strategy set
in a normal form) with actions :math:`a_0, \\dots, a_k`, :math:`\\sum_j \\exp(x_{a_j}) = 1` and
:math:`x_{a_j} - x_{a_0} = \\lambda (v_{a_j} - v_{a_0})`. Their solution set near the uniform start is a curve,
followed by a predictor-corrector method ([AG90]_): an Euler step along the unit tangent (the null vector of the
Jacobian, oriented by continuity), then Newton steps with the Moore-Penrose pseudo-inverse back to the curve, the
step length shrunk when the corrector moves too far or contracts too slowly and grown by at most *max_accel*
otherwise. A requested :math:`\\lambda` that a step crosses is reached exactly by Newton's method at that fixed
:math:`\\lambda`, started from the linear interpolation of the step's ends.

One representation serves both forms: a list of *plays* (pure profiles of a normal form, terminal nodes of a
tree), each with its payoffs, its chance probability and the actions it uses. An action's value is the average
payoff of the plays through it, weighted by their probabilities of being played: for a tree, the expected payoff
conditional on reaching the information set and taking the action; for a normal form, the expected payoff of the
pure strategy against the others' mixed strategies.

References
----------
.. [MP95] R. D. McKelvey and T. R. Palfrey, "Quantal response equilibria for normal form games", *Games and
   Economic Behavior* 10, 1995, pp. 6-38.
.. [MP98] R. D. McKelvey and T. R. Palfrey, "Quantal response equilibria for extensive form games",
   *Experimental Economics* 1, 1998, pp. 9-41.
.. [Tur05] T. L. Turocy, "A dynamic homotopy interpretation of the logistic quantal response equilibrium
   correspondence", *Games and Economic Behavior* 51, 2005, pp. 243-263.
.. [AG90] E. L. Allgower and K. Georg, *Numerical Continuation Methods: An Introduction*, Springer, 1990.
.. [Gam16] R. D. McKelvey, A. M. McLennan and T. L. Turocy, *Gambit: Software Tools for Game Theory*,
   version 16 (the ``gambit-logit`` path follower).

All five are entries of the package's bibliography (``models/references.bib``).
"""

from __future__ import annotations

import itertools
import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse import linalg as sparse_linalg

from ..core.errors import ParameterError, SolverError, excerpt
from ..core.frozen import FrozenDict
from ..games.normal_form import NormalFormGame
from ..games.tree import Chance, Decision, GameTree, Terminal
from . import certificate
from .subgame_perfect import expected_payoffs, regret

__all__ = ["QREStructure", "QRE", "QREPath", "normal_form_structure", "tree_structure", "trace_branch",
           "logit_qre", "logit_branch", "check_lambda", "MAX_STEPS", "MAX_LAMBDA", "MAX_QRE_WORK"]

#: Default budget of predictor-corrector steps of one branch (raise it with ``max_steps=`` or ``--max-steps``).
MAX_STEPS = 10_000
#: Default budget of the size of a game: plays x actions x actions (the cost of one Jacobian), raised with
#: ``max_work=`` (``--max-work``).
MAX_QRE_WORK = 200_000_000
#: Largest precision accepted: past it the probabilities of all but best replies underflow to 0.
MAX_LAMBDA = 1e6
#: Corrector: the largest distance a Newton step may move, and the largest contraction rate accepted ([AG90]_).
_MAX_DIST = 0.4
_MAX_CONTRACTION = 0.6
_MIN_STEP = 1e-10
#: Square systems larger than this are solved by sparse LU.
_DENSE_LIMIT = 150


# ------------------------------------------------------------------ the game as plays x actions
@dataclass(frozen=True)
class QREStructure:
    """A finite game as the quantal response solver reads it.

    Attributes
    ----------
    incidence : numpy.ndarray of float, shape (Z, A)
        ``incidence[z, a]`` is 1 if play *z* uses action *a*, else 0.
    log_chance : numpy.ndarray of float, shape (Z,)
        Log of the chance probability of each play (0 in a normal form). Plays of chance probability 0 are left
        out.
    payoffs : numpy.ndarray of float, shape (Z, N)
        Each play's payoff to each player.
    infoset : numpy.ndarray of int, shape (A,)
        The information set (normal form: the player) each action belongs to; actions of one information set
        are consecutive.
    owner : numpy.ndarray of int, shape (H,)
        The player who moves at each information set.
    """

    incidence: np.ndarray
    log_chance: np.ndarray
    payoffs: np.ndarray
    infoset: np.ndarray
    owner: np.ndarray

    @cached_property
    def pairs(self) -> tuple[np.ndarray, np.ndarray]:
        """For every nonzero entry k = (z, a) of :attr:`incidence` (as numbered by :attr:`nonzero`) and every
        action b that play z uses: (k, b), two arrays."""
        z, a = self.nonzero
        starts = np.searchsorted(z, np.arange(self.incidence.shape[0]))
        counts = np.bincount(z, minlength=self.incidence.shape[0])
        ks = [np.repeat(np.arange(starts[r], starts[r] + c), c) for r, c in enumerate(counts)]
        bs = [np.tile(a[starts[r]:starts[r] + c], c) for r, c in enumerate(counts)]
        return (np.concatenate(ks) if ks else np.zeros(0, int)), (np.concatenate(bs) if bs else np.zeros(0, int))

    @cached_property
    def nonzero(self) -> tuple[np.ndarray, np.ndarray]:
        """(play, action) index pairs of the nonzero entries of :attr:`incidence`, action-major within a play."""
        return np.nonzero(self.incidence)

    @property
    def sizes(self) -> np.ndarray:
        """Number of actions of each information set, shape (H,)."""
        return np.bincount(self.infoset, minlength=len(self.owner))


def normal_form_structure(payoffs: Sequence[np.ndarray]) -> QREStructure:
    """The plays of an N-player normal form: its pure profiles.

    Parameters
    ----------
    payoffs : sequence of N arrays, each of shape (n_1, ..., n_N)

    Returns
    -------
    QREStructure
        Z = n_1 ... n_N plays, A = n_1 + ... + n_N actions, H = N information sets (one per player).

    Examples
    --------
    >>> s = normal_form_structure([np.eye(2), -np.eye(2)])
    >>> s.incidence.shape, s.infoset.tolist(), s.owner.tolist()
    ((4, 4), [0, 0, 1, 1], [0, 1])
    """
    arrays = [np.asarray(p, dtype=float) for p in payoffs]
    shape = arrays[0].shape
    offsets = np.concatenate([[0], np.cumsum(shape)])
    profiles = list(itertools.product(*(range(k) for k in shape)))
    incidence = np.zeros((len(profiles), int(offsets[-1])))
    for z, profile in enumerate(profiles):
        incidence[z, [int(offsets[i]) + a for i, a in enumerate(profile)]] = 1.0
    pays = np.stack([p.reshape(-1) for p in arrays], axis=1)
    infoset = np.repeat(np.arange(len(shape)), shape)
    return QREStructure(incidence, np.zeros(len(profiles)), pays, infoset, np.arange(len(shape)))


def tree_structure(tree: GameTree) -> QREStructure:
    """The plays of a numeric game tree: its terminal nodes reached with positive chance probability.

    Information sets are numbered in the order of :meth:`~gametheory_ukraine.games.tree.GameTree.infosets`,
    their actions in the order of the tree.

    Examples
    --------
    >>> import gametheory_ukraine as gtu
    >>> s = tree_structure(gtu.load_model("chain-store").game("sequential"))
    >>> s.incidence.shape, s.owner.tolist()
    ((3, 4), [0, 1])
    """
    infosets = tree.infosets()
    start, infoset, owner = {}, [], []
    for h, (label, info) in enumerate(infosets.items()):
        start[label] = len(infoset)
        infoset.extend([h] * len(info.actions))
        owner.append(info.player)
    rows: list[tuple[list[int], float, tuple]] = []
    stack: list[tuple[object, list[int], float]] = [(tree.root, [], 0.0)]
    while stack:
        node, used, logp = stack.pop()
        if isinstance(node, Terminal):
            rows.append((used, logp, tuple(float(v) for v in node.payoffs)))
        elif isinstance(node, Decision):
            for a, child in enumerate(node.children):
                stack.append((child, [*used, start[node.infoset] + a], logp))
        elif isinstance(node, Chance):
            for p, child in zip(node.probabilities, node.children):
                if float(p) > 0:
                    stack.append((child, used, logp + math.log(float(p))))
    incidence = np.zeros((len(rows), len(infoset)))
    for z, (used, _, _) in enumerate(rows):
        incidence[z, used] = 1.0
    pays = np.array([r[2] for r in rows], dtype=float).reshape(len(rows), tree.n_players)
    return QREStructure(incidence, np.array([r[1] for r in rows]), pays, np.array(infoset, dtype=int),
                        np.array(owner, dtype=int))


def _values(s: QREStructure, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Action values v (A,) at log-probabilities *x* (A,), and their derivatives dv/dx (A, A).

    v_a is the average payoff to a's mover over the plays through a, weighted by their probabilities; its
    derivative in x_b is the weighted covariance of that payoff with the indicator of b. Only the nonzero entries
    of the incidence matrix are visited (a play uses few actions).
    """
    z, a = s.nonzero
    n = s.incidence.shape[1]
    logw = (s.log_chance + s.incidence @ x)[z]                            # log weight of play z in column a
    top = np.full(n, -np.inf)
    np.maximum.at(top, a, logw)
    w = np.exp(logw - top[a])
    w = w / np.bincount(a, weights=w, minlength=n)[a]                      # each column's weights sum to 1
    u = s.payoffs[z, s.owner[s.infoset[a]]]                                # payoff to a's mover
    v = np.bincount(a, weights=w * u, minlength=n)
    k, b = s.pairs
    cov = w[k] * (u[k] - v[a[k]])
    dv = np.bincount(a[k] * n + b, weights=cov, minlength=n * n).reshape(n, n)
    return v, dv


def _reference(s: QREStructure) -> np.ndarray:
    """For each action, the first action of its information set."""
    first = np.concatenate([[0], np.cumsum(s.sizes)[:-1]])
    return first[s.infoset]


def _equations(s: QREStructure, y: np.ndarray, ref: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """H(y) (A,) and its Jacobian (A, A + 1) at y = (x, lambda).

    Row a of an information set's first action: the set's probabilities sum to 1; row a of another action:
    x_a - x_ref - lambda (v_a - v_ref) = 0.
    """
    x, lam = y[:-1], y[-1]
    n = len(x)
    v, dv = _values(s, x)
    first = ref == np.arange(n)
    px = np.exp(x)
    h = x - x[ref] - lam * (v - v[ref])
    h[first] = (np.bincount(s.infoset, weights=px, minlength=len(s.owner)) - 1.0)[s.infoset[first]]
    jac = np.zeros((n, n + 1))
    jac[:, :n] = -lam * (dv - dv[ref])
    jac[np.arange(n), np.arange(n)] += 1.0
    jac[np.arange(n), ref] -= 1.0
    jac[:, n] = -(v - v[ref])
    jac[first] = 0.0
    jac[ref, np.arange(n)] = px                                            # sum rows: the set's probabilities
    return h, jac


def _augmented_solve(jac: np.ndarray, row: np.ndarray, rhs: np.ndarray) -> np.ndarray:
    """Solve [jac; row] z = rhs, a square system of size A + 1 (NaN when it is singular); sparse LU for large
    systems (the Jacobian of a tree is mostly zeros)."""
    full = np.vstack([jac, row])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", sparse_linalg.MatrixRankWarning)
        if len(full) > _DENSE_LIMIT:
            return np.asarray(sparse_linalg.spsolve(sparse.csc_matrix(full), rhs))
        try:
            return np.linalg.solve(full, rhs)
        except np.linalg.LinAlgError:  # singular: the caller treats a non-finite step as a failed step
            return np.full(len(rhs), np.nan)


def _tangent(jac: np.ndarray, previous: np.ndarray) -> np.ndarray:
    """The unit null vector of *jac* (A, A + 1) on the side of *previous*: the solution of [jac; previous] t =
    (0, ..., 0, 1), normalised ([AG90]_, the augmented Jacobian)."""
    rhs = np.zeros(jac.shape[1])
    rhs[-1] = 1.0
    t = _augmented_solve(jac, previous, rhs)
    return t / np.linalg.norm(t)


def _correct(s: QREStructure, y: np.ndarray, ref: np.ndarray, tol: float, normal: np.ndarray):
    """Newton's method back to the curve from *y*, each step in the hyperplane orthogonal to *normal* (the
    tangent, or the lambda axis to keep lambda fixed): the corrected point and the largest deceleration factor
    it suggests, or None when a step moves too far or the iteration contracts too slowly ([AG90]_).

    Accepted when the residual is at most *tol* relative to the size of the terms, ``(1 + max(abs(y))) * (1 +
    max(abs(payoffs)))``: at lambda in the thousands the log-probabilities are in the thousands too, and their rounding
    errors are that much larger than 1e-16."""
    decel = 0.0
    previous = None
    payoff_scale = 1.0 + float(np.max(np.abs(s.payoffs), initial=0.0))
    for _ in range(30):
        h, jac = _equations(s, y, ref)
        size = 1.0 + float(np.max(np.abs(y)))
        step = _augmented_solve(jac, normal, np.append(-h, 0.0))
        dist = float(np.linalg.norm(step))
        if not np.isfinite(dist) or dist >= _MAX_DIST:
            return None
        decel = max(decel, math.sqrt(dist / _MAX_DIST))
        noise = 1e-13 * size * payoff_scale                                # a step this small is rounding
        if previous is not None and dist > noise:
            contraction = dist / (previous + noise)
            if contraction > _MAX_CONTRACTION:
                return None
            decel = max(decel, math.sqrt(contraction / _MAX_CONTRACTION))
        y = y + step
        if float(np.max(np.abs(h), initial=0.0)) <= tol * size * payoff_scale and dist <= max(1e-8, noise):
            return y, decel
        previous = dist
    return None


def _between(y: np.ndarray, new: np.ndarray, target: float) -> np.ndarray:
    """The point of the segment from *y* to *new* whose lambda is *target*."""
    guess = y + (target - y[-1]) / (new[-1] - y[-1]) * (new - y)
    guess[-1] = target
    return guess


def check_lambda(value: float, what: str = "lambda") -> float:
    """*value* as a float in [0, :data:`MAX_LAMBDA`], else :class:`ParameterError` naming *what*."""
    try:
        lam = float(value)
    except (TypeError, ValueError):
        raise ParameterError(f"{what} '{excerpt(value)}' is not a number", fix="give a number >= 0, e.g. 5") from None
    if not math.isfinite(lam) or lam < 0:
        raise ParameterError(f"{what} must be a finite number >= 0, not {excerpt(value)}",
                             fix="give a number >= 0, e.g. 5")
    if lam > MAX_LAMBDA:
        raise ParameterError(f"{what} {lam:g} is above the largest precision {MAX_LAMBDA:g}",
                             fix=f"give at most {MAX_LAMBDA:g}: past it play is a best reply to rounding error")
    return lam


def trace_branch(s: QREStructure, lam_max: float, *, targets: Sequence[float] = (), tol: float = 1e-12,
                 first_step: float = 0.03, max_accel: float = 1.1, max_steps: int = MAX_STEPS,
                 ) -> tuple[list[tuple[float, np.ndarray]], list[tuple[float, np.ndarray]]]:
    """Trace the principal branch of the logit QRE correspondence from lambda = 0 to *lam_max*.

    Parameters
    ----------
    s : QREStructure
    lam_max : float
        Where to stop (>= 0); the last point has exactly this lambda.
    targets : sequence of float
        Precisions at which a point is computed exactly (each at its first crossing by the branch).
    tol : float
        Largest residual of the equations at an accepted point, relative to ``(1 + max(abs(y))) * (1 +
        max(abs(payoffs)))``, y = (log-probabilities, lambda).
    first_step, max_accel : float
        Arc length of the first step; most the step may grow (or shrink, when the corrector struggles) per step.
    max_steps : int
        Budget of predictor-corrector steps.

    Returns
    -------
    path : list of (lambda, log-probabilities)
        Every accepted point, log-probabilities of shape (A,) (a probability below about 1e-308 is 0 as a float,
        not its logarithm), starting with (0, uniform) and ending at *lam_max*.
    hits : list of (lambda, log-probabilities)
        One point for each target <= *lam_max*, in increasing order.

    Raises
    ------
    SolverError
        Past *max_steps* steps, or when the step length falls below 1e-10 (a turning point the corrector cannot
        pass).
    """
    ref = _reference(s)
    x0 = -np.log(s.sizes[s.infoset].astype(float))
    y = np.append(x0, 0.0)
    pending = sorted({float(t) for t in targets if t <= lam_max} | {float(lam_max)})
    path = [(0.0, x0)]
    hits: list[tuple[float, np.ndarray]] = []
    while pending and pending[0] == 0.0:
        hits.append((0.0, x0))
        pending.pop(0)
    step = first_step
    lam_axis = np.zeros(len(y))
    lam_axis[-1] = 1.0
    t = _tangent(_equations(s, y, ref)[1], lam_axis)
    steps = 0
    while pending:
        steps += 1
        if steps > max_steps:
            raise SolverError(f"the logit branch needs more than {max_steps:,} steps to reach lambda {lam_max:g} "
                              f"(it is at lambda {y[-1]:g})",
                              fix="raise the budget with max_steps= (--max-steps N), or ask for a smaller lambda")
        corrected = _correct(s, y + step * t, ref, tol, t)
        if corrected is None:
            step /= max_accel ** 4
            if step < _MIN_STEP:
                raise SolverError(f"the logit branch cannot be followed past lambda {y[-1]:g}: the step length fell "
                                  "below 1e-10", fix="ask for a smaller lambda")
            continue
        new, decel = corrected
        crossed = [target for target in pending if y[-1] < target <= new[-1]]
        found = [_correct(s, _between(y, new, target), ref, tol, lam_axis) for target in crossed]
        if any(f is None for f in found):   # Newton at a fixed lambda failed from this step's ends: a shorter step
            step /= max_accel ** 4
            continue
        for target, fixed in zip(crossed, found):
            pending.remove(target)
            hits.append((target, fixed[0][:-1]))
            path.append(hits[-1])
        if pending:
            path.append((float(new[-1]), new[:-1]))
        t = _tangent(_equations(s, new, ref)[1], t)
        y = new
        step = step / max(decel, 1.0 / max_accel)
    return path, hits


# ------------------------------------------------------------------------------------------ results
@dataclass(frozen=True)
class QRE:
    """One logit quantal response equilibrium on the principal branch: *not* a Nash equilibrium.

    Attributes
    ----------
    lam : float
        The precision lambda.
    strategies : tuple
        Normal form: one probability tuple per player. Trees: per player, a FrozenDict information set ->
        probability tuple (every information set, since every action has positive probability).
    payoffs : tuple of float
        Expected payoff per player.
    regret : float
        Largest gain from a unilateral deviation to a pure strategy (normal form) or pure behaviour strategy
        (tree): how far the QRE is from a Nash equilibrium. Positive at finite lambda, reported, not certified.
    residual : float
        Largest absolute residual of the QRE equations at the point.
    tolerance : float
        The residual the solver asked for.
    players, actions, form, parameters
        As in :class:`~gametheory_ukraine.solvers.results.EquilibriumSet`.
    method : str
        ``"logit-qre"``.
    notes : tuple of str
    """

    lam: float
    strategies: tuple
    payoffs: tuple
    regret: float
    residual: float
    tolerance: float
    players: tuple[str, ...]
    actions: tuple
    form: str = "normal"
    parameters: FrozenDict = field(default_factory=FrozenDict)
    method: str = "logit-qre"
    notes: tuple[str, ...] = ()

    def strategy_dict(self) -> dict:
        """``{player: {action: p}}`` (normal form) or ``{player: {information set: {action: p}}}`` (trees)."""
        out: dict = {}
        for i, player in enumerate(self.players):
            if self.form == "normal":
                out[player] = dict(zip(self.actions[i], self.strategies[i]))
            else:
                out[player] = {h: dict(zip(self.actions[i][h], ps)) for h, ps in self.strategies[i].items()}
        return out

    def to_dict(self) -> dict:
        """A JSON-ready dict: ``lambda``, ``strategies``, ``payoffs``, ``regret``, ``residual``, ``method``,
        ``tolerance``, ``parameters``, ``notes``, and ``nash: false``."""
        return {"lambda": self.lam, "strategies": self.strategy_dict(),
                "payoffs": dict(zip(self.players, self.payoffs)), "regret": self.regret,
                "residual": self.residual, "method": self.method, "nash": False, "tolerance": self.tolerance,
                "parameters": {k: str(v) if not isinstance(v, (int, float)) else v
                               for k, v in self.parameters.items()}, "notes": list(self.notes)}

    def __str__(self) -> str:
        lines = [repr(self)]
        for player, plan in self.strategy_dict().items():
            if self.form == "normal":
                lines.append(f"{player}: " + ", ".join(f"{a} {p:.6g}" for a, p in plan.items()))
            else:
                lines.append(f"{player}: " + "; ".join(
                    f"{h}: " + ", ".join(f"{a} {p:.6g}" for a, p in d.items()) for h, d in plan.items()))
        lines.append("payoffs: " + ", ".join(f"{p} {v:.6g}" for p, v in zip(self.players, self.payoffs)))
        lines.append(f"regret (distance from a Nash equilibrium): {self.regret:.3g}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"<QRE: logit, lambda={self.lam:g}, regret {self.regret:.3g} (not a Nash equilibrium)>"


@dataclass(frozen=True)
class QREPath:
    """Points of the principal branch of the logit QRE correspondence.

    Attributes
    ----------
    lambdas : numpy.ndarray of float, shape (K,)
        Precision of each point, starting at 0.
    probabilities : numpy.ndarray of float, shape (K, A)
        Each point's action probabilities, columns named by :attr:`columns`.
    columns : tuple of str
        ``prob:P:action`` (normal form) or ``prob:P:information set:action`` (trees), as sweep tables name them.
    lam_max : float
        The precision the trace was asked to reach (the last point's).
    tolerance : float
        Largest residual of the QRE equations accepted at a point.
    players, actions, form, parameters
        As in :class:`QRE`.
    method : str
        ``"logit-qre"``.
    settings : FrozenDict
        The path follower's settings (``first_step``, ``max_accel``, ``max_steps``).
    """

    lambdas: np.ndarray
    probabilities: np.ndarray
    columns: tuple[str, ...]
    lam_max: float
    tolerance: float
    players: tuple[str, ...]
    actions: tuple
    form: str = "normal"
    parameters: FrozenDict = field(default_factory=FrozenDict)
    method: str = "logit-qre"
    settings: FrozenDict = field(default_factory=FrozenDict)

    def __post_init__(self) -> None:
        for name in ("lambdas", "probabilities"):
            arr = np.array(getattr(self, name), dtype=float, copy=True)
            arr.flags.writeable = False
            object.__setattr__(self, name, arr)

    def __len__(self) -> int:
        return len(self.lambdas)

    def to_frame(self) -> pd.DataFrame:
        """One row per point: ``lambda`` then one ``prob:...`` column per action.

        Examples
        --------
        >>> import gametheory_ukraine as gtu
        >>> g = gtu.NormalFormGame.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
        >>> df = logit_branch(g, 3).to_frame()
        >>> list(df.columns), float(df["lambda"].iloc[-1]), round(float(df["prob:Player 1:r1"].max()), 12)
        (['lambda', 'prob:Player 1:r1', 'prob:Player 1:r2', 'prob:Player 2:c1', 'prob:Player 2:c2'], 3.0, 0.5)
        """
        df = pd.DataFrame(self.probabilities, columns=list(self.columns))
        df.insert(0, "lambda", self.lambdas)
        return df

    def __repr__(self) -> str:
        return f"<QREPath: logit, {len(self)} points, lambda 0 to {self.lam_max:g}>"


# ------------------------------------------------------------------------------------------ games
def _size(game) -> tuple[int, int]:
    """(plays, actions) of a numeric game, counted without building anything."""
    if isinstance(game, GameTree):
        plays = sum(1 for node in game.nodes() if isinstance(node, Terminal))
        return plays, sum(len(info.actions) for info in game.infosets().values())
    return math.prod(game.shape), sum(game.shape)


def _prepare(game, max_steps: int, max_work: int | None) -> tuple[QREStructure, tuple, str, list[str]]:
    """The structure, the action labels, the form and the column names of a numeric game within the budgets."""
    if not isinstance(game, (GameTree, NormalFormGame)):
        raise SolverError(f"cannot solve an object of type {type(game).__name__}",
                          fix="pass a NormalFormGame or a GameTree")
    if game.kind == "symbolic":
        raise SolverError(f"the game has free parameters {', '.join(game.parameters)}",
                          fix="instantiate it first, e.g. game.instantiate(rho=0.05), or use model.game(...)")
    if int(max_steps) < 1:
        raise ParameterError(f"max_steps must be at least 1, not {max_steps}", fix="give a positive budget")
    budget = MAX_QRE_WORK if max_work is None else int(max_work)
    if isinstance(game, GameTree):
        game.validate()
    plays, n_actions = _size(game)
    if plays * n_actions * n_actions > budget:
        raise SolverError(f"the game is too large for the logit path: {plays:,} plays x {n_actions:,} actions "
                          f"squared is more than the budget {budget:,}",
                          fix="raise the budget with max_work= (--max-work N), or solve a smaller game")
    if isinstance(game, GameTree):
        infosets = game.infosets()
        actions = tuple(FrozenDict({h: s.actions for h, s in infosets.items() if s.player == i})
                        for i in range(game.n_players))
        columns = [f"prob:{game.players[s.player]}:{h}:{a}" for h, s in infosets.items() for a in s.actions]
        return tree_structure(game), actions, "sequential", columns
    columns = [f"prob:{p}:{a}" for p, acts in zip(game.players, game.actions) for a in acts]
    return normal_form_structure(game.payoffs), game.actions, "normal", columns


def _profile(game, probs: np.ndarray, form: str, actions: tuple) -> tuple:
    if form == "normal":
        cuts = np.cumsum([len(a) for a in actions])[:-1]
        return tuple(tuple(float(v) for v in part) for part in np.split(probs, cuts))
    k = 0
    per_set = {}
    for h, info in game.infosets().items():
        per_set[h] = tuple(float(v) for v in probs[k:k + len(info.actions)])
        k += len(info.actions)
    return tuple(FrozenDict({h: per_set[h] for h in actions[i]}) for i in range(game.n_players))


def _point(game, s: QREStructure, lam: float, logp: np.ndarray, form: str, actions: tuple, tol: float,
           parameters) -> QRE:
    strategies = _profile(game, np.exp(logp), form, actions)
    y = np.append(logp, lam)
    residual = float(np.max(np.abs(_equations(s, y, _reference(s))[0]), initial=0.0))
    if form == "normal":
        pays = tuple(float(v) for v in certificate.expected_payoffs(game.payoffs, strategies))
        reg = float(certificate.regret([np.asarray(p, dtype=float) for p in game.payoffs], strategies))
    else:
        behaviour = FrozenDict({h: p for part in strategies for h, p in part.items()})
        pays = tuple(float(v) for v in expected_payoffs(game, behaviour))
        reg = float(regret(game, behaviour, subgames=(game.root.name,)))
    return QRE(lam, strategies, pays, max(reg, 0.0), residual, tol, tuple(game.players), actions, form,
               FrozenDict(parameters or {}))


def logit_qre(game, lam: float, *, tol: float = 1e-12, first_step: float = 0.03, max_accel: float = 1.1,
              max_steps: int = MAX_STEPS, max_work: int | None = None, parameters: Mapping | None = None) -> QRE:
    """The logit QRE (agent QRE for a tree) at precision *lam* on the principal branch.

    Parameters
    ----------
    game : NormalFormGame or GameTree
        Numeric (any number of players).
    lam : float
        Precision, 0 <= lam <= :data:`MAX_LAMBDA`.
    tol, first_step, max_accel, max_steps
        As in :func:`trace_branch`.
    max_work : int, optional
        Budget of the game's size, plays x actions x actions (default :data:`MAX_QRE_WORK`): a larger game is
        refused before tracing starts.
    parameters : mapping, optional
        Parameter values to record in the result.

    Returns
    -------
    QRE

    Raises
    ------
    ParameterError
        *lam* negative, not finite or above :data:`MAX_LAMBDA`; *max_steps* below 1.
    SolverError
        A symbolic game; a game past *max_work*; a branch needing more than *max_steps* steps.

    Examples
    --------
    >>> import gametheory_ukraine as gtu
    >>> g = gtu.NormalFormGame.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    >>> q = logit_qre(g, 10)
    >>> [round(p, 12) for p in q.strategies[0]], q.method
    ([0.5, 0.5], 'logit-qre')
    """
    lam = check_lambda(lam)
    s, actions, form, _ = _prepare(game, max_steps, max_work)
    _, hits = trace_branch(s, lam, targets=(lam,), tol=tol, first_step=first_step, max_accel=max_accel,
                           max_steps=max_steps)
    return _point(game, s, lam, hits[-1][1], form, actions, tol, parameters)


def logit_branch(game, lam_max: float, *, tol: float = 1e-12, first_step: float = 0.03, max_accel: float = 1.1,
                 max_steps: int = MAX_STEPS, max_work: int | None = None, parameters: Mapping | None = None,
                 ) -> QREPath:
    """The principal branch of the logit QRE correspondence from lambda = 0 to *lam_max*.

    Parameters and budget as in :func:`logit_qre`; every accepted point of the path follower is kept.

    Returns
    -------
    QREPath
    """
    lam_max = check_lambda(lam_max, "the largest lambda")
    s, actions, form, columns = _prepare(game, max_steps, max_work)
    path, _ = trace_branch(s, lam_max, tol=tol, first_step=first_step, max_accel=max_accel, max_steps=max_steps)
    return QREPath(np.array([p[0] for p in path]), np.exp(np.array([p[1] for p in path])), tuple(columns), lam_max, tol,
                   tuple(game.players), actions, form, FrozenDict(parameters or {}),
                   settings=FrozenDict(first_step=first_step, max_accel=max_accel, max_steps=int(max_steps)))
