"""Iterated elimination of dominated strategies, N players, exact, with a witness for every elimination.

An action *a* of player *i* is **strictly dominated** when some mixture sigma of *i*'s other remaining actions
earns more than *a* against every remaining profile of the others; **weakly dominated** when sigma earns at least
as much everywhere and more somewhere. A strategy can be strictly dominated by a mixture and by no pure strategy
(Gibbons 1992, §1.3.A), so domination by mixtures is decided by an exact
linear program (:func:`~gametheory_ukraine.solvers.exact_lp.linprog_exact`): for strict dominance, maximise the
smallest gain ``eps`` of sigma over *a* (dominated iff ``eps > 0``); for weak dominance, maximise the total gain
subject to no loss anywhere (dominated iff it is ``> 0``). A pure dominator is looked for first and preferred as
the witness; the LP's sigma is the witness otherwise.

Order. Strict dominance: every strictly dominated action of every player is removed at once, round by round,
until none is left; the result does not depend on the order for finite games [GKZ90]_. Weak dominance: the result
can depend on the order (Rasmusen's "Iteration Path Game" [Ras07]_ reaches three different answers by three
orders), so the order is a parameter and recorded: ``"simultaneous"`` (default) removes, round by round, every
weakly dominated action of every player in the game at the round's start; ``"sequential"`` removes one action per
round, the first found scanning players in order and their actions in order; a sequence of ``(player, action)``
pairs removes those first, one per round, each checked to be dominated at its turn, then goes on sequentially.
Every witness is a mixture over the actions remaining when its round began.

References
----------
.. [GKZ90] I. Gilboa, E. Kalai and E. Zemel, "On the order of eliminating dominated strategies", *Operations
   Research Letters* 9(2), 85-89, 1990.
.. [Ras07] E. Rasmusen, *Games and Information: An Introduction to Game Theory*, 4th ed., Blackwell, 2007,
   chapter 1 ("The Iteration Path Game").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from .._version import __version__
from ..core.errors import SolverError, excerpt
from ..core.frozen import FrozenDict
from ..games.normal_form import NormalFormGame
from .exact_lp import linprog_exact, work_budget
from .results import number_text

__all__ = ["Elimination", "DominanceResult", "iterated_dominance", "dominating_mixture", "DOMINANCE_KINDS",
           "DOMINANCE_ORDERS"]

DOMINANCE_KINDS = ("strict", "weak")
DOMINANCE_ORDERS = ("simultaneous", "sequential")


@dataclass(frozen=True)
class Elimination:
    """One eliminated action.

    Parameters
    ----------
    round : int
        1, 2, ...: the round in which it was removed.
    player : str
    action : str
    dominated_by : FrozenDict
        The witness: action label -> probability (positive entries only), a mixture over the player's actions
        remaining at the start of the round.
    kind : str
        ``"strict"`` or ``"weak"``.
    margin : Fraction
        Strict: the smallest gain of the witness over the action (> 0). Weak: the total gain over the others'
        remaining profiles (> 0), with no loss anywhere.
    """

    round: int
    player: str
    action: str
    dominated_by: FrozenDict
    kind: str
    margin: Fraction

    def text(self) -> str:
        """``round 1: Player 1 drops M (strictly dominated by T 1/2, B 1/2; margin 1/2)``."""
        by = ", ".join(f"{a} {number_text(p)}" if p != 1 else a for a, p in self.dominated_by.items())
        return (f"round {self.round}: {self.player} drops {self.action} ({self.kind}ly dominated by {by}; "
                f"margin {number_text(self.margin)})")


@dataclass(frozen=True)
class DominanceResult:
    """The game left by iterated elimination of dominated strategies, and how it got there.

    Parameters
    ----------
    game : NormalFormGame
        The reduced game (exact payoffs), the original's actions that survive, in their order.
    steps : tuple of Elimination
        Every elimination in the order made.
    kept : tuple of tuple of int
        Per player, the indices (in the original game) of the surviving actions.
    method : str
        ``"iterated-strict-dominance"`` or ``"iterated-weak-dominance"``.
    kind, order : str
        Strict or weak; ``"simultaneous"``, ``"sequential"``, or ``"given: P1 a, P2 b, ...; then sequential"`` (see
        the module's notes on order).
    mixed : bool
        Whether domination by mixed strategies was considered (else pure dominators only).
    exact : bool
        Always True: payoffs are exact (float payoffs read as the decimals they print as) and every LP exact.
    complete : bool
        True: no action of the reduced game is dominated in the sense used.
    parameters : FrozenDict
    notes : tuple of str
    """

    game: NormalFormGame
    steps: tuple[Elimination, ...]
    kept: tuple[tuple[int, ...], ...]
    method: str
    kind: str
    order: str
    mixed: bool
    exact: bool = True
    complete: bool = True
    parameters: FrozenDict = field(default_factory=FrozenDict)
    notes: tuple[str, ...] = ()

    @property
    def unique(self) -> bool:
        """True when one action is left for every player."""
        return all(len(k) == 1 for k in self.kept)

    def lines(self) -> list[str]:
        """The eliminations, then the surviving actions per player."""
        head = (f"{self.method} ({'mixed' if self.mixed else 'pure'} dominators, {self.order} order, exact): "
                f"{len(self.steps)} elimination{'s' if len(self.steps) != 1 else ''}")
        lines = [head] + [f"  {s.text()}" for s in self.steps]
        lines += [f"{p} keeps: {', '.join(a)}" for p, a in zip(self.game.players, self.game.actions)]
        lines += [f"note: {n}" for n in self.notes]
        return lines

    def __str__(self) -> str:
        return "\n".join(self.lines())

    def to_dict(self) -> dict:
        """JSON-ready: exact numbers as strings such as ``"1/2"``."""
        return {"method": self.method, "kind": self.kind, "order": self.order, "mixed": self.mixed,
                "exact": self.exact, "complete": self.complete,
                "steps": [{"round": s.round, "player": s.player, "action": s.action, "kind": s.kind,
                           "dominated_by": {a: str(p) for a, p in s.dominated_by.items()}, "margin": str(s.margin)}
                          for s in self.steps],
                "kept": {p: list(a) for p, a in zip(self.game.players, self.game.actions)},
                "parameters": {k: str(v) for k, v in self.parameters.items()},
                "notes": list(self.notes), "version": __version__}


def _rows(u: np.ndarray, player: int, actions: list[int]) -> list[list[Fraction]]:
    """Per remaining action of *player*, its payoffs against every remaining profile of the others (flattened)."""
    moved = np.moveaxis(u, player, 0)
    return [list(moved[a].flat) for a in actions]


def dominating_mixture(rows: list[list[Fraction]], target: int, kind: str = "strict", *, mixed: bool = True,
                       max_work: int | None = None) -> tuple[dict[int, Fraction], Fraction] | None:
    """A mixture of the other rows that dominates row *target*, with its margin; None if there is none.

    Parameters
    ----------
    rows : list of k lists of m Fractions
        One player's payoffs: row = own action, column = a profile of the others.
    target : int
        The row tested.
    kind : str
        ``"strict"`` (the witness maximises the smallest gain) or ``"weak"`` (it maximises the total gain
        subject to no loss).
    mixed : bool
        Consider mixtures (an exact LP); else pure dominators only.

    Returns
    -------
    (dict, Fraction) or None
        Row index -> probability (positive entries), and the margin (smallest gain, resp. total gain).

    Examples
    --------
    >>> F = Fraction
    >>> rows = [[F(3), F(0)], [F(0), F(3)], [F(1), F(1)]]   # Gibbons (1992), §1.3.A: B is dominated by a mixture
    >>> w, margin = dominating_mixture(rows, 2)
    >>> {k: str(p) for k, p in w.items()}, str(margin)
    ({0: '1/2', 1: '1/2'}, '1/2')
    >>> dominating_mixture(rows, 2, mixed=False) is None
    True
    """
    if kind not in DOMINANCE_KINDS:
        raise SolverError(f"unknown dominance kind {kind!r}", fix="use 'strict' or 'weak'")
    return _dominating(rows, target, kind, mixed, max_work)[0]


def _dominating(rows: list[list[Fraction]], target: int, kind: str, mixed: bool,
                max_work: int | None) -> tuple[tuple[dict[int, Fraction], Fraction] | None, int]:
    """:func:`dominating_mixture`, and its work: payoff entries compared plus the LP's tableau cells."""
    target_row = rows[target]
    others = [k for k in range(len(rows)) if k != target]
    best: tuple | None = None
    for k in others:  # pure dominators first: the simplest witness (comparisons first, differences only then)
        if kind == "strict" and all(x > y for x, y in zip(rows[k], target_row)):
            margin = min(x - y for x, y in zip(rows[k], target_row))
        elif kind == "weak" and all(x >= y for x, y in zip(rows[k], target_row)) and rows[k] != target_row:
            margin = sum(x - y for x, y in zip(rows[k], target_row))
        else:
            continue
        if best is None or margin > best[1]:
            best = ({k: Fraction(1)}, margin)
    m, q = len(target_row), len(others)
    if best is not None or not mixed or len(others) < 2:
        return best, q * m
    # a mixture can only beat the target in a column where some other row does (weakly: ties everywhere else)
    tops = [max(rows[k][s] for k in others) for s in range(m)]
    if kind == "strict" and any(top <= y for top, y in zip(tops, target_row)):
        return None, q * m
    if kind == "weak" and (any(top < y for top, y in zip(tops, target_row)) or tops == list(target_row)):
        return None, q * m
    if kind == "strict":
        # variables: sigma (q), eps+ , eps-; maximise eps = eps+ - eps- s.t. eps - sum_k sigma_k (u_k - u_t) <= 0
        c = [0] * q + [1, -1]
        a_ub = [[-(rows[k][s] - target_row[s]) for k in others] + [1, -1] for s in range(m)]
        res = linprog_exact(c, a_ub, [0] * m, [[1] * q + [0, 0]], [1], max_work=max_work)
        margin = res.value
    else:
        # maximise sum_s sum_k sigma_k (u_k - u_t)(s) s.t. each column's gain >= 0, sum sigma = 1
        c = [sum(rows[k][s] - target_row[s] for s in range(m)) for k in others]
        a_ub = [[-(rows[k][s] - target_row[s]) for k in others] for s in range(m)]
        res = linprog_exact(c, a_ub, [0] * m, [[1] * q], [1], max_work=max_work)
        margin = res.value
    if res.status != "optimal" or margin <= 0:
        return None, q * m + res.work
    return ({k: p for k, p in zip(others, res.x[:q]) if p != 0}, margin), q * m + res.work


def iterated_dominance(game: NormalFormGame, *, kind: str = "strict", mixed: bool = True,
                       order: str | Sequence[tuple[str, str]] = "simultaneous", parameters: Any = None,
                       max_work: int | None = None) -> DominanceResult:
    """Iterated elimination of dominated strategies (see the module's notes for the order used).

    Parameters
    ----------
    game : NormalFormGame
        Numeric payoffs (exact, or floats read as the decimals they print as), any number of players.
    kind : str
        ``"strict"`` or ``"weak"``.
    mixed : bool
        Let mixtures dominate (exact LPs); else pure dominators only.
    order : str or sequence of (str, str)
        ``"simultaneous"``, ``"sequential"``, or ``(player, action)`` pairs to remove first, in that order (each
        must be dominated when its turn comes), then sequentially; strict dominance is order-independent, the order
        only changes how the steps are grouped into rounds.
    parameters : mapping, optional
        Parameter values to record.
    max_work : int, optional
        Budget of the whole elimination (default :data:`~gametheory_ukraine.solvers.budget.MAX_WORK`): payoff
        entries compared plus the LPs' tableau cells updated; a game with more payoff entries is refused at once.

    Returns
    -------
    DominanceResult

    Raises
    ------
    SolverError
        A symbolic game, an unknown kind or order, work past the budget.

    Examples
    --------
    >>> pd = NormalFormGame.from_arrays([[-1, -9], [0, -6]], [[-1, 0], [-9, -6]],
    ...                                 actions=[["mum", "fink"], ["mum", "fink"]])  # Gibbons (1992), §1.1
    >>> res = iterated_dominance(pd)
    >>> res.game.actions, [s.text() for s in res.steps][0]
    ((('fink',), ('fink',)), 'round 1: Player 1 drops mum (strictly dominated by fink; margin 1)')
    """
    if kind not in DOMINANCE_KINDS:
        raise SolverError(f"unknown dominance kind {kind!r}", where="kind", fix="use 'strict' or 'weak'")
    given = _given_order(game, order)
    if game.kind == "symbolic":
        raise SolverError(f"the game has free parameters {', '.join(game.parameters)}",
                          fix="instantiate it first, e.g. game.instantiate(rho=0.05), or use model.game(...)")
    budget = work_budget(max_work)
    cells = int(np.prod(game.shape)) * game.n_players
    if cells > budget:
        raise SolverError(f"the {' x '.join(map(str, game.shape))} game has {cells:,} payoff entries, more than "
                          f"the budget of {budget:,}", where="--max-work", fix=f"raise it with --max-work {cells}")
    exact_game = game.as_exact()
    payoffs = list(exact_game.payoffs)
    kept = [list(range(len(a))) for a in game.actions]
    steps: list[Elimination] = []
    used = [0]

    def dominated(rows: list[list[Fraction]], t: int):
        """One dominance test, its work counted against the budget of the whole elimination."""
        try:
            hit, work = _dominating(rows, t, kind, mixed, budget - used[0])
        except SolverError as exc:
            if exc.where != "--max-work":   # only the LP's budget is caught: it is this function's budget
                raise
            work = budget + 1
        used[0] += work
        if used[0] > budget:
            raise SolverError(f"iterated {kind} dominance stopped after {len(steps)} eliminations: its tests' work "
                              f"passed the budget of {budget:,}", where="--max-work",
                              fix=f"raise it, e.g. --max-work {4 * budget}")
        return hit

    rnd = 0
    while True:
        rnd += 1
        sub = [p[np.ix_(*kept)] for p in payoffs]
        found: list[tuple[int, int, dict, Fraction]] = []
        if rnd <= len(given):
            i, a = given[rnd - 1]
            if a not in kept[i]:
                raise SolverError(f"{game.players[i]}'s {game.actions[i][a]!r} is listed twice in the order",
                                  where="order", fix="list each action once")
            t = kept[i].index(a)
            hit = dominated(_rows(sub[i], i, list(range(len(kept[i])))), t)
            if hit is None:
                raise SolverError(f"{game.players[i]}'s {game.actions[i][a]!r} is not {kind}ly dominated at step "
                                  f"{rnd} of the order given", where="order", fix="give an order in which each "
                                  "action is dominated when its turn comes")
            found.append((i, t, hit[0], hit[1]))
        for i in range(game.n_players if not found else 0):
            if len(kept[i]) < 2:
                continue
            rows = _rows(sub[i], i, list(range(len(kept[i]))))
            for t in range(len(rows)):
                hit = dominated(rows, t)
                if hit is not None:
                    found.append((i, t, hit[0], hit[1]))
                    if order != "simultaneous":
                        break
            if order != "simultaneous" and found:
                break
        if not found:
            break
        for i, t, witness, margin in found:
            labels = game.actions[i]
            steps.append(Elimination(rnd, game.players[i], labels[kept[i][t]],
                                     FrozenDict({labels[kept[i][k]]: p for k, p in sorted(witness.items())}),
                                     kind, margin))
        drop = {(i, t) for i, t, _, _ in found}
        kept = [[a for t, a in enumerate(k) if (i, t) not in drop] for i, k in enumerate(kept)]
    reduced = exact_game.restrict(kept)   # the exact payoffs the eliminations compared
    order_text = order if isinstance(order, str) else (
        "given: " + ", ".join(f"{game.players[i]} {game.actions[i][a]}" for i, a in given) + "; then sequential")
    notes = []
    if game.kind == "float":
        notes.append("float payoffs were read as the decimals they print as")
    if kind == "weak":
        notes.append(f"weak dominance depends on the order of elimination; this is the {order_text} order")
    return DominanceResult(reduced, tuple(steps), tuple(tuple(k) for k in kept),
                           method=f"iterated-{kind}-dominance", kind=kind, order=order_text, mixed=mixed,
                           parameters=FrozenDict(parameters or {}), notes=tuple(notes))


def _given_order(game: NormalFormGame, order: Any) -> list[tuple[int, int]]:
    """*order* checked: ``[]`` for a named order, else (player index, action index) per pair."""
    if isinstance(order, str):
        if order not in DOMINANCE_ORDERS:
            raise SolverError(f"unknown elimination order {excerpt(order)!r}", where="order",
                              fix="use 'simultaneous', 'sequential' or a list of (player, action) pairs")
        return []
    out = []
    for pair in order:
        if not isinstance(pair, (tuple, list)) or len(pair) != 2:
            raise SolverError(f"{excerpt(pair)!r} is not a (player, action) pair", where="order",
                              fix="give pairs such as ('Player 1', 'r2')")
        player, action = pair
        if player not in game.players or action not in game.actions[game.players.index(player)]:
            raise SolverError(f"no action {excerpt(action)!r} of a player {excerpt(player)!r}", where="order",
                              fix="use the game's player and action names")
        i = game.players.index(player)
        out.append((i, game.actions[i].index(action)))
    return out
