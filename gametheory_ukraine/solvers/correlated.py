"""Correlated equilibria (Aumann 1974), exact: the one maximising a linear objective, and the vertices of the
polytope of all of them for small games.

A correlated equilibrium of a finite game is a distribution *p* over pure profiles such that no player, told
only their own action *a* drawn from *p*, gains by playing another action *a'*:

.. math::

   \\sum_{s_{-i}} p(a, s_{-i}) \\,[u_i(a, s_{-i}) - u_i(a', s_{-i})] \\ge 0
   \\quad\\text{for every player } i \\text{ and actions } a \\ne a'.

These incentive constraints with ``p >= 0`` and ``sum p = 1`` define a polytope [Aum74]_ that contains every Nash
equilibrium (as the product of its strategies), so a linear objective is maximised over it by an exact linear
program (:func:`~gametheory_ukraine.solvers.exact_lp.linprog_exact`), with its dual as the certificate of
optimality and the incentive constraints checked again exactly on the answer. The polytope's vertices are found by
enumerating sets of active constraints (every choice of ``N - 1`` inequalities, with ``sum p = 1``, for ``N``
pure profiles), which is exponential and refused past a work budget; Nau, Gomez Canovas and Hansen [NGH04]_
describe the polytope's geometry (e.g. its vertices for Chicken).

References
----------
.. [Aum74] R. J. Aumann, "Subjectivity and correlation in randomized strategies", *Journal of Mathematical
   Economics* 1(1), 67-96, 1974.
.. [NGH04] R. Nau, S. Gomez Canovas and P. Hansen, "On the geometry of Nash equilibria and correlated
   equilibria", *International Journal of Game Theory* 32(4), 443-453, 2004.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from .._version import __version__
from ..core.errors import SolverError, excerpt
from ..core.frozen import FrozenDict
from ..core.numbers import to_exact
from ..games.normal_form import NormalFormGame
from .budget import count_text
from .exact_lp import LPResult, linprog_exact, work_budget
from .results import number_text

__all__ = ["CorrelatedEquilibrium", "CorrelatedPolytope", "correlated_equilibrium", "correlated_vertices",
           "incentive_rows", "correlated_regret"]


def _exact_payoffs(game: NormalFormGame) -> list[np.ndarray]:
    if game.kind == "symbolic":
        raise SolverError(f"the game has free parameters {', '.join(game.parameters)}",
                          fix="instantiate it first, e.g. game.instantiate(rho=0.05), or use model.game(...)")
    return list(game.as_exact().payoffs)


def incentive_rows(game: NormalFormGame) -> tuple[list[list[Fraction]], list[tuple[int, int, int]]]:
    """The incentive constraints as rows over the pure profiles (row-major order, as ``itertools.product``):
    row ``r`` . p >= 0 means player i told a does not gain by a'.

    Returns
    -------
    (rows, labels)
        ``rows``: ``sum_i n_i (n_i - 1)`` lists of ``prod(n_i)`` Fractions; ``labels``: (i, a, a') per row.
    """
    payoffs = _exact_payoffs(game)
    profiles = list(itertools.product(*(range(len(a)) for a in game.actions)))
    rows, labels = [], []
    for i, acts in enumerate(game.actions):
        u = payoffs[i]
        for a, b in itertools.permutations(range(len(acts)), 2):
            row = []
            for s in profiles:
                if s[i] != a:
                    row.append(Fraction(0))
                else:
                    dev = s[:i] + (b,) + s[i + 1:]
                    row.append(u[s] - u[dev])
            rows.append(row)
            labels.append((i, a, b))
    return rows, labels


def correlated_regret(game: NormalFormGame, probabilities: Sequence) -> Fraction:
    """The largest gain of a player who deviates from a recommendation, exactly (0 iff *probabilities* is a
    correlated equilibrium).

    Parameters
    ----------
    probabilities : sequence of prod(n_i) rationals
        Over the pure profiles in row-major order; must be a probability distribution.

    Examples
    --------
    >>> chicken = NormalFormGame.from_arrays([[6, 2], [7, 0]], [[6, 7], [2, 0]])   # Aumann (1974)
    >>> correlated_regret(chicken, [Fraction(1, 3)] * 3 + [0]), correlated_regret(chicken, [1, 0, 0, 0])
    (Fraction(0, 1), Fraction(1, 1))
    """
    p = [to_exact(v) for v in probabilities]
    if len(p) != math.prod(game.shape) or any(v < 0 for v in p) or sum(p) != 1:
        raise SolverError("the distribution is not a probability vector over the game's pure profiles",
                          fix=f"give {math.prod(game.shape)} non-negative numbers summing to 1")
    rows, _ = incentive_rows(game)
    worst = Fraction(0)
    for row in rows:
        gain = -sum((r * v for r, v in zip(row, p) if r and v), Fraction(0))
        worst = max(worst, gain)
    return worst


def _weights(game: NormalFormGame, objective: Any) -> tuple[tuple[Fraction, ...], str]:
    n = game.n_players
    if isinstance(objective, str):
        if objective == "welfare":
            return tuple(Fraction(1) for _ in range(n)), "welfare (sum of payoffs)"
        if objective in game.players:
            k = game.players.index(objective)
            return tuple(Fraction(int(i == k)) for i in range(n)), f"{objective}'s payoff"
        raise SolverError(f"unknown objective {excerpt(objective)!r}", where="--objective",
                          fix="use welfare, a player's name (" + ", ".join(game.players) + ") or weights w1,w2,...")
    try:
        w = tuple(to_exact(v) for v in objective)
    except (TypeError, ValueError) as exc:  # not a sequence of numbers
        raise SolverError(f"objective weights: {exc}", where="--objective", fix="give one number per player") from None
    if len(w) != n:
        raise SolverError(f"{len(w)} objective weights for {n} players", where="--objective",
                          fix="give one weight per player")
    return w, "weights " + ", ".join(str(v) for v in w)


def _distribution(game: NormalFormGame, p: Sequence[Fraction]) -> FrozenDict:
    profiles = itertools.product(*game.actions)
    return FrozenDict({labels: v for labels, v in zip(profiles, p)})


def _payoffs_under(payoffs: list[np.ndarray], p: Sequence[Fraction]) -> tuple:
    return tuple(sum((u.flat[k] * v for k, v in enumerate(p) if v), Fraction(0)) for u in payoffs)


def _check_size(game: NormalFormGame, n: int, budget: int) -> None:
    """Refuse a correlated-equilibrium LP before building it: K incentive rows and one equality over *n*
    profiles make a first tableau of (K + 1) x (n + K + 1) cells (variables, slacks, one artificial)."""
    k = sum(len(a) * (len(a) - 1) for a in game.actions)
    cells = (k + 1) * (n + k + 1)
    if cells > budget:
        raise SolverError(f"the correlated-equilibrium LP of the {' x '.join(map(str, game.shape))} game has a "
                          f"tableau of {count_text(cells)} cells, more than the budget of {budget:,}",
                          where="--max-work", fix=f"use a smaller game, or raise the budget with --max-work {cells}")


@dataclass(frozen=True)
class CorrelatedEquilibrium:
    """A correlated equilibrium maximising a linear objective, with its certificates.

    Parameters
    ----------
    probabilities : FrozenDict
        Profile (tuple of action labels, one per player) -> probability, every pure profile in row-major order.
    payoffs : tuple of Fraction
        Expected payoff per player.
    objective : str
        What was maximised, in words.
    weights : tuple of Fraction
        The objective's weight per player (it maximises ``sum_i w_i u_i``).
    value : Fraction
        The objective's maximum.
    regret : Fraction
        Largest gain from disobeying a recommendation, checked exactly: 0.
    certificate : LPResult
        The exact LP's solution; its ``dual_ub``/``dual_eq`` prove that no correlated equilibrium does better.
    players, actions : tuple
    method : str
        ``"correlated-lp"``.
    exact, complete : bool
        Always True (exact LP; the optimum is proven by the dual).
    parameters : FrozenDict
    """

    probabilities: FrozenDict
    payoffs: tuple
    objective: str
    weights: tuple
    value: Fraction
    regret: Fraction
    certificate: LPResult
    players: tuple
    actions: tuple
    method: str = "correlated-lp"
    exact: bool = True
    complete: bool = True
    parameters: FrozenDict = field(default_factory=FrozenDict)

    def lines(self) -> list[str]:
        """The objective, the profiles with positive probability, the payoffs and the certificate."""
        lines = [f"correlated equilibrium maximising {self.objective} (exact LP): value {number_text(self.value)}"]
        lines += [f"  ({', '.join(s)}): {number_text(v)}" for s, v in self.probabilities.items() if v != 0]
        lines.append("payoffs: " + ", ".join(f"{p} {number_text(v)}" for p, v in zip(self.players, self.payoffs)))
        lines.append(f"incentive constraints checked exactly: largest gain from disobeying {self.regret}; "
                     "optimality proven by the LP dual")
        return lines

    def __str__(self) -> str:
        return "\n".join(self.lines())

    def to_dict(self) -> dict:
        """JSON-ready: exact numbers as strings."""
        return {"method": self.method, "exact": self.exact, "objective": self.objective,
                "weights": [str(w) for w in self.weights], "value": str(self.value),
                "distribution": [{"profile": dict(zip(self.players, s)), "probability": str(v)}
                                 for s, v in self.probabilities.items() if v != 0],
                "payoffs": {p: str(v) for p, v in zip(self.players, self.payoffs)}, "regret": str(self.regret),
                "parameters": {k: str(v) for k, v in self.parameters.items()}, "version": __version__}


def correlated_equilibrium(game: NormalFormGame, objective: Any = "welfare", *, parameters: Any = None,
                           max_work: int | None = None) -> CorrelatedEquilibrium:
    """The correlated equilibrium maximising a linear objective, exactly.

    Parameters
    ----------
    game : NormalFormGame
        Numeric payoffs (float payoffs are read as the decimals they print as), any number of players.
    objective : str or sequence
        ``"welfare"`` (sum of payoffs), a player's name (their payoff), or one weight per player.
    parameters : mapping, optional
        Parameter values to record.
    max_work : int, optional
        The LP's budget (see :func:`~gametheory_ukraine.solvers.exact_lp.linprog_exact`); a game whose first
        tableau, ``(K + 1) x (N + K + 1)`` cells for ``N`` profiles and ``K`` incentive constraints, is larger is
        refused before the constraints are built.

    Returns
    -------
    CorrelatedEquilibrium
        When several correlated equilibria attain the maximum, one vertex of that face.

    Raises
    ------
    SolverError
        A symbolic game, an unknown objective, work past the budget.

    Examples
    --------
    >>> chicken = NormalFormGame.from_arrays([[6, 2], [7, 0]], [[6, 7], [2, 0]], actions=[["C", "D"], ["C", "D"]])
    >>> ce = correlated_equilibrium(chicken)        # Aumann (1974): welfare 21/2
    >>> str(ce.value), {"/".join(s): str(v) for s, v in ce.probabilities.items() if v}
    ('21/2', {'C/C': '1/2', 'C/D': '1/4', 'D/C': '1/4'})
    """
    payoffs = _exact_payoffs(game)
    weights, text = _weights(game, objective)
    n = math.prod(game.shape)
    _check_size(game, n, work_budget(max_work))
    rows, _ = incentive_rows(game)
    c = [sum((w * u.flat[k] for w, u in zip(weights, payoffs)), Fraction(0)) for k in range(n)]
    res = linprog_exact(c, [[-v for v in r] for r in rows] or None, [0] * len(rows) or None, [[1] * n], [1],
                        max_work=max_work)
    if res.status != "optimal":  # the polytope holds every Nash equilibrium, so it is never empty
        raise SolverError(f"internal error: the correlated-equilibrium LP is {res.status} (please report this game)")
    regret = correlated_regret(game, res.x)
    if regret != 0:
        raise SolverError(f"internal error: the correlated equilibrium has regret {regret} (please report this game)")
    return CorrelatedEquilibrium(_distribution(game, res.x), _payoffs_under(payoffs, res.x), text, weights,
                                 res.value, regret, res, game.players, game.actions,
                                 parameters=FrozenDict(parameters or {}))


@dataclass(frozen=True)
class CorrelatedPolytope:
    """The vertices of a game's correlated-equilibrium polytope.

    Parameters
    ----------
    vertices : tuple of FrozenDict
        Each: profile (tuple of action labels) -> probability, every pure profile in row-major order; sorted.
    players, actions : tuple
    active_sets : int
        Sets of active constraints examined.
    method : str
        ``"active-set enumeration"``.
    exact, complete : bool
        Always True: every vertex, exactly.
    parameters : FrozenDict
    """

    vertices: tuple
    players: tuple
    actions: tuple
    active_sets: int
    method: str = "active-set enumeration"
    exact: bool = True
    complete: bool = True
    parameters: FrozenDict = field(default_factory=FrozenDict)

    def lines(self) -> list[str]:
        """One line per vertex: its profiles with positive probability."""
        lines = [f"{len(self.vertices)} vertices of the correlated-equilibrium polytope ({self.method}, exact; "
                 f"{self.active_sets:,} active sets examined)"]
        for k, v in enumerate(self.vertices):
            lines.append(f"[{k}] " + ", ".join(f"({', '.join(s)}) {number_text(p)}" for s, p in v.items() if p))
        return lines

    def __str__(self) -> str:
        return "\n".join(self.lines())

    def to_dict(self) -> dict:
        """JSON-ready: exact numbers as strings."""
        return {"method": self.method, "exact": self.exact, "complete": self.complete,
                "vertices": [[{"profile": dict(zip(self.players, s)), "probability": str(p)}
                              for s, p in v.items() if p] for v in self.vertices],
                "parameters": {k: str(v) for k, v in self.parameters.items()}, "version": __version__}


def _solve_square(rows: list[list[Fraction]], rhs: list[Fraction]) -> list[Fraction] | None:
    """The unique solution of a square system by exact Gaussian elimination; None if singular."""
    n = len(rows)
    m = [list(r) + [b] for r, b in zip(rows, rhs)]
    for col in range(n):
        piv = next((r for r in range(col, n) if m[r][col] != 0), None)
        if piv is None:
            return None
        m[col], m[piv] = m[piv], m[col]
        pr = m[col]
        for r in range(n):
            f = m[r][col]
            if r != col and f:
                m[r] = [a - f * b / pr[col] for a, b in zip(m[r], pr)]
    return [m[r][n] / m[r][r] for r in range(n)]


def correlated_vertices(game: NormalFormGame, *, parameters: Any = None,
                        max_work: int | None = None) -> CorrelatedPolytope:
    """Every vertex of the correlated-equilibrium polytope, exactly, for small games.

    Each choice of ``N - 1`` of the ``N + K`` inequalities (``N`` pure profiles, ``K`` incentive constraints)
    is made active with ``sum p = 1``; a unique, feasible solution is a vertex.

    Parameters
    ----------
    max_work : int, optional
        Budget in units of ``C(N + K, N - 1) x N**3`` (active sets times an elimination), default
        :data:`~gametheory_ukraine.solvers.budget.MAX_WORK`: 2 x 2 and 2 x 3 games fit, 3 x 3 does not.

    Raises
    ------
    SolverError
        Past the budget (naming the budget that would do), a symbolic game.

    Examples
    --------
    >>> chicken = NormalFormGame.from_arrays([[6, 2], [7, 0]], [[6, 7], [2, 0]], actions=[["C", "D"], ["C", "D"]])
    >>> poly = correlated_vertices(chicken)
    >>> len(poly.vertices)
    5
    """
    _exact_payoffs(game)   # refuses a symbolic game
    n = math.prod(game.shape)
    k = sum(len(a) * (len(a) - 1) for a in game.actions)
    sets = math.comb(n + k, n - 1)
    work = sets * n**3
    budget = work_budget(max_work)
    if work > budget:
        raise SolverError(f"the correlated-equilibrium polytope of the {' x '.join(map(str, game.shape))} game has "
                          f"{count_text(sets)} sets of active constraints to examine ({count_text(work)} units of "
                          f"work), more than the budget of {budget:,}", where="--max-work",
                          fix=f"use --method correlated (one optimal correlated equilibrium); or raise the budget "
                              f"with --max-work {work}" if work < 10**15 else "use --method correlated")
    rows, _ = incentive_rows(game)
    ineq = [[Fraction(int(j == k)) for j in range(n)] for k in range(n)] + rows   # each row . p >= 0
    ones = [Fraction(1)] * n
    found: set[tuple[Fraction, ...]] = set()
    for active in itertools.combinations(range(len(ineq)), n - 1):
        sol = _solve_square([ineq[k] for k in active] + [ones], [Fraction(0)] * (n - 1) + [Fraction(1)])
        if sol is None:
            continue
        if all(sum((a * v for a, v in zip(r, sol) if a and v), Fraction(0)) >= 0 for r in ineq):
            found.add(tuple(sol))
    vertices = tuple(_distribution(game, v) for v in sorted(found, reverse=True))
    return CorrelatedPolytope(vertices, game.players, game.actions, sets, parameters=FrozenDict(parameters or {}))
