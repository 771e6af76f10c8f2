"""Best responses to pure profiles, and the best-response correspondences of a 2x2 game.

:func:`best_response_marks` is the textbook "underline the best payoffs" method on arrays: for every player *i*
and every pure profile of the others, which of *i*'s actions give *i* the highest payoff (every maximiser
when several tie). A profile where every player's action is marked is a pure Nash equilibrium
(Osborne 2004, *An Introduction to Game Theory*, section 2.8.3; Gibbons 1992, *Game Theory for Applied
Economists*, section 1.1.C). :func:`best_responses` does the same for a
:class:`~gametheory_ukraine.games.normal_form.NormalFormGame` and returns an immutable
:class:`BestResponses`.

:func:`correspondences_2x2` gives the two best-response correspondences of a 2x2 game over mixed strategies
as unions of axis-parallel boxes in the unit square of ``(p, q)``, and their intersection, which is the set of
Nash equilibria (Osborne 2004, section 4.3; Gibbons 1992, section 1.3.B).

Exactness: exact payoffs (ints, Fractions) are compared exactly, so ties are ties; float payoffs are compared
with a tolerance relative to the payoffs' magnitude, recorded in the result.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from ..core.errors import ParameterError
from ..core.frozen import FrozenDict
from ..core.numbers import as_exact_array, is_exact_number

__all__ = ["BestResponses", "best_response_marks", "best_responses", "Box", "Correspondences2x2",
           "correspondences_2x2", "DEFAULT_TOLERANCE"]

#: Relative tolerance of float comparisons: two float payoffs tie when they differ by at most this times
#: max(1, largest absolute payoff).
DEFAULT_TOLERANCE = 1e-9


def _readonly(arr: np.ndarray) -> np.ndarray:
    arr = np.array(arr, copy=True)
    arr.flags.writeable = False
    return arr


def _numeric_arrays(payoffs: Sequence[Any]) -> tuple[tuple[np.ndarray, ...], bool]:
    """The payoff arrays as exact (object arrays of Fractions) or float arrays, and whether exact.

    Raises
    ------
    ParameterError
        Symbolic payoffs, arrays of different shapes, or not one array per player.
    """
    raw = [np.asarray(p, dtype=object) for p in payoffs]
    if not raw:
        raise ParameterError("no payoff arrays given", fix="pass one payoff array per player")
    shape = raw[0].shape
    if any(r.shape != shape for r in raw) or len(shape) != len(raw):
        raise ParameterError(f"{len(raw)} payoff arrays of shapes {[r.shape for r in raw]} are not one array "
                             "per player of one N-dimensional shape", fix="pass N arrays of shape (n_1, ..., n_N)")
    values = [v for r in raw for v in r.flat]
    if any(getattr(v, "free_symbols", None) for v in values):
        raise ParameterError("best responses need numeric payoffs; these are symbolic",
                             fix="instantiate the game first, e.g. model.game(form, scenario)")
    if all(is_exact_number(v) for v in values):
        return tuple(as_exact_array(r) for r in raw), True
    return tuple(np.asarray(r, dtype=float) for r in raw), False


def best_response_marks(payoffs: Sequence[Any], *, tol: float = DEFAULT_TOLERANCE) -> tuple[tuple[np.ndarray, ...],
                                                                                              bool, float]:
    """Which action of each player is a best response to each pure profile of the others.

    Parameters
    ----------
    payoffs : sequence of N array_like, each of shape (n_1, ..., n_N)
        ``payoffs[i][a]`` is player *i*'s payoff at pure profile *a*; ints and Fractions are compared exactly,
        anything else as floats.
    tol : float
        Float payoffs only: relative tolerance; a payoff within ``tol * max(1, max |payoff|)`` of the best one
        counts as a best response too.

    Returns
    -------
    marks : tuple of N read-only bool arrays, each of shape (n_1, ..., n_N)
        ``marks[i][a]`` is True iff ``a[i]`` maximises player *i*'s payoff given the others' actions ``a[-i]``.
        Every maximiser is marked when several tie.
    exact : bool
        Whether the comparison was exact.
    tolerance : float
        The absolute tolerance used (0.0 when exact).

    Raises
    ------
    ParameterError
        Symbolic payoffs or arrays that are not one per player of one shape.

    Examples
    --------
    The Prisoner's dilemma (C, D): D is the best response to everything.

    >>> marks, exact, _ = best_response_marks([[[3, 0], [5, 1]], [[3, 5], [0, 1]]])
    >>> marks[0].tolist(), marks[1].tolist(), exact
    ([[False, False], [True, True]], [[False, True], [False, True]], True)
    """
    arrays, exact = _numeric_arrays(payoffs)
    scale = 0.0 if exact else max([1.0, *(float(abs(v)) for p in arrays for v in p.flat)])
    atol = 0.0 if exact else float(tol) * scale
    if not exact and not (np.isfinite(atol) and atol >= 0):
        raise ParameterError(f"tolerance {tol!r} is not a finite number >= 0", fix="pass e.g. tol=1e-9")
    marks = []
    for i, p in enumerate(arrays):
        if exact:
            best = np.maximum.reduce(p, axis=i, keepdims=True)
            mark = np.vectorize(lambda v, b: v == b, otypes=[bool])(p, best)
        else:
            if not np.all(np.isfinite(p)):
                raise ParameterError(f"player {i + 1}'s payoffs are not all finite numbers",
                                     fix="give every payoff a finite value")
            mark = p >= p.max(axis=i, keepdims=True) - atol
        marks.append(_readonly(np.asarray(mark, dtype=bool)))
    return tuple(marks), exact, atol


@dataclass(frozen=True)
class BestResponses:
    """Best responses of every player to every pure profile of the others (the underlined payoffs of a
    textbook table).

    Attributes
    ----------
    players : tuple of str, length N
    actions : tuple of tuple of str
    marks : tuple of N read-only bool arrays, each of shape (n_1, ..., n_N)
        ``marks[i][a]``: player *i*'s action ``a[i]`` is a best response to the others' ``a[-i]``.
    exact : bool
        Exact comparison (ties are exact ties) or floats with :attr:`tolerance`.
    tolerance : float
        Absolute tolerance of float comparisons; 0.0 when exact.
    method : str
        ``"best-response"``.
    complete : bool
        Always True: every pure profile of the others is examined.
    parameters : FrozenDict
        The parameter values of the game, when known.
    """

    players: tuple[str, ...]
    actions: tuple[tuple[str, ...], ...]
    marks: tuple[np.ndarray, ...]
    exact: bool
    tolerance: float = 0.0
    method: str = "best-response"
    complete: bool = True
    parameters: FrozenDict = field(default_factory=FrozenDict)

    @property
    def shape(self) -> tuple[int, ...]:
        """(n_1, ..., n_N)."""
        return tuple(len(a) for a in self.actions)

    def is_best(self, player: int, profile: Sequence[int]) -> bool:
        """Whether *player*'s action in the pure *profile* (action indices) is a best response to the others'."""
        return bool(self.marks[player][tuple(profile)])

    def responses(self, player: int, others: Sequence[int]) -> tuple[int, ...]:
        """*player*'s best responses (action indices) to the others' actions *others* (indices of the N - 1
        other players, in player order)."""
        others = list(others)
        if len(others) != len(self.players) - 1:
            raise ParameterError(f"{len(others)} actions given for the other players; there are "
                                 f"{len(self.players) - 1}", fix="give one action index per other player")
        found = []
        for a in range(self.shape[player]):
            profile = others[:player] + [a] + others[player:]
            if self.marks[player][tuple(profile)]:
                found.append(a)
        return tuple(found)

    def pure_equilibria(self) -> tuple[tuple[int, ...], ...]:
        """The pure profiles where every player's action is marked: the pure Nash equilibria, in profile order."""
        every = np.logical_and.reduce(np.stack(self.marks)) if self.marks else np.zeros((), dtype=bool)
        return tuple(tuple(int(k) for k in idx) for idx in np.argwhere(every))


def best_responses(game, *, tol: float = DEFAULT_TOLERANCE, parameters: Any = None) -> BestResponses:
    """The best responses of a numeric normal-form *game* (:func:`best_response_marks` with names).

    Parameters
    ----------
    game : NormalFormGame
        Exact or float payoffs.
    tol : float
        Relative tolerance for float payoffs (see :func:`best_response_marks`).
    parameters : mapping, optional
        Parameter values the game was made at, recorded in the result.

    Raises
    ------
    ParameterError
        A symbolic game (instantiate it at a scenario first).

    Examples
    --------
    Battle of the sexes (Osborne 2004, figure 19.1): each player's best response is to match the other.

    >>> from gametheory_ukraine.games.normal_form import NormalFormGame
    >>> bos = NormalFormGame.from_arrays([[2, 0], [0, 1]], [[1, 0], [0, 2]])
    >>> br = best_responses(bos)
    >>> br.responses(0, [1]), br.responses(1, [0]), br.pure_equilibria()
    ((1,), (0,), ((0, 0), (1, 1)))
    """
    if getattr(game, "kind", None) == "symbolic":
        raise ParameterError("best responses of a symbolic game are not defined until its parameters have "
                             "values", fix="instantiate it first: model.game(form, scenario) or game.instantiate()")
    marks, exact, atol = best_response_marks(game.payoffs, tol=tol)
    return BestResponses(tuple(game.players), tuple(tuple(a) for a in game.actions), marks, exact, atol,
                         parameters=FrozenDict(dict(parameters or {})))


# ------------------------------------------------------------------------------------------- 2x2 mixed
@dataclass(frozen=True)
class Box:
    """An axis-parallel box ``[p_low, p_high] x [q_low, q_high]`` in the unit square: a point, a segment or a
    rectangle. Coordinates are Fractions for exact games, floats otherwise."""

    p_low: Any
    p_high: Any
    q_low: Any
    q_high: Any

    @property
    def kind(self) -> str:
        """``"point"``, ``"segment"`` or ``"region"``."""
        flat = (self.p_low == self.p_high) + (self.q_low == self.q_high)
        return {2: "point", 1: "segment", 0: "region"}[flat]

    def contains(self, other: Box) -> bool:
        """Whether *other* lies inside this box."""
        return (self.p_low <= other.p_low and other.p_high <= self.p_high and self.q_low <= other.q_low
                and other.q_high <= self.q_high)


@dataclass(frozen=True)
class Correspondences2x2:
    """The best-response correspondences of a 2x2 game over mixed strategies, and their intersection.

    *p* is the probability that the row player plays its first action, *q* the probability that the column
    player plays its first action.

    Attributes
    ----------
    players, actions : names, as in the game
    row : tuple of Box
        The graph ``{(p, q): p is a best response to q}`` of the row player's correspondence.
    column : tuple of Box
        The graph ``{(p, q): q is a best response to p}`` of the column player's correspondence.
    equilibria : tuple of Box
        Their intersection: the Nash equilibria (points; a segment or region for a continuum), none contained
        in another.
    row_switch, column_switch : number or None
        The *q* at which the row player is indifferent (the *p* at which the column player is), when it is in
        [0, 1] and the player is not indifferent everywhere.
    exact : bool
    tolerance : float
        Absolute tolerance of float comparisons (0.0 when exact).
    method : str
        ``"best-response-2x2"``.
    complete : bool
        Always True: the correspondences are exact unions of boxes.
    """

    players: tuple[str, ...]
    actions: tuple[tuple[str, ...], ...]
    row: tuple[Box, ...]
    column: tuple[Box, ...]
    equilibria: tuple[Box, ...]
    row_switch: Any
    column_switch: Any
    exact: bool
    tolerance: float = 0.0
    method: str = "best-response-2x2"
    complete: bool = True


def _graph(diff_at_0: Any, diff_at_1: Any, atol: float, one: Any, transpose: bool) -> tuple[tuple[Box, ...], Any]:
    """The graph of one player's correspondence. ``diff(t) = diff_at_0 + t (diff_at_1 - diff_at_0)`` is the
    player's payoff from its first action minus its second when the other plays its first action with
    probability *t*; the player's own probability *s* is 1 where diff > 0, 0 where diff < 0, anything at 0.
    Boxes are in (s, t) coordinates, swapped to (p, q) when *transpose*."""
    zero = one * 0

    def sign(x) -> int:
        return 0 if abs(x) <= atol else (1 if x > 0 else -1)

    s0, s1 = sign(diff_at_0), sign(diff_at_1)
    boxes: list[tuple] = []
    switch = None
    if s0 == 0 and s1 == 0:
        boxes.append((zero, one, zero, one))
    elif s0 == s1 or 0 in (s0, s1):
        # one sign on (0, 1): at most an end where the player is indifferent
        s = s0 or s1
        level = one if s > 0 else zero
        boxes.append((level, level, zero, one))
        for t, st in ((zero, s0), (one, s1)):
            if st == 0:
                boxes.append((zero, one, t, t))
                switch = t
    else:
        switch = diff_at_0 / (diff_at_0 - diff_at_1)
        first = one if s0 > 0 else zero
        boxes += [(first, first, zero, switch), (zero, one, switch, switch),
                  (one - first, one - first, switch, one)]
    if transpose:
        boxes = [(t0, t1, s0_, s1_) for s0_, s1_, t0, t1 in boxes]
    return tuple(Box(*b) for b in boxes), switch


def correspondences_2x2(game, *, tol: float = DEFAULT_TOLERANCE) -> Correspondences2x2:
    """The two best-response correspondences of a numeric 2x2 *game* and the Nash equilibria where they meet.

    Parameters
    ----------
    game : NormalFormGame
        Two players with two actions each; exact or float payoffs.
    tol : float
        Relative tolerance for float payoffs.

    Raises
    ------
    ParameterError
        A game that is not 2x2, or a symbolic one.

    Examples
    --------
    Matching pennies: one equilibrium, both players mix 1/2 (Osborne 2004, example 116.1).

    >>> from gametheory_ukraine.games.normal_form import NormalFormGame
    >>> mp = NormalFormGame.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    >>> [(b.p_low, b.q_low) for b in correspondences_2x2(mp).equilibria]
    [(Fraction(1, 2), Fraction(1, 2))]
    """
    if getattr(game, "shape", None) != (2, 2):
        raise ParameterError(f"a best-response diagram needs a 2x2 game; this one is "
                             f"{'x'.join(str(n) for n in getattr(game, 'shape', ())) or 'not a normal form'}",
                             fix="choose a normal form with two players of two actions each")
    if game.kind == "symbolic":
        raise ParameterError("a best-response diagram needs numeric payoffs; this game is symbolic",
                             fix="instantiate it first: model.game(form, scenario)")
    arrays, exact = _numeric_arrays(game.payoffs)
    A, B = arrays
    one: Any = Fraction(1) if exact else 1.0
    atol = 0.0 if exact else float(tol) * max([1.0, *(float(abs(v)) for p in arrays for v in p.flat)])
    # row: first minus second action when the column plays its first (q = 1) or second (q = 0) action
    row, row_switch = _graph(A[0, 1] - A[1, 1], A[0, 0] - A[1, 0], atol, one, transpose=False)
    column, column_switch = _graph(B[1, 0] - B[1, 1], B[0, 0] - B[0, 1], atol, one, transpose=True)
    meets: list[Box] = []
    for a in row:
        for b in column:
            lo_p, hi_p = max(a.p_low, b.p_low), min(a.p_high, b.p_high)
            lo_q, hi_q = max(a.q_low, b.q_low), min(a.q_high, b.q_high)
            if lo_p <= hi_p and lo_q <= hi_q:
                meets.append(Box(lo_p, hi_p, lo_q, hi_q))
    kept: list[Box] = []
    for k, box in enumerate(meets):
        inside = any(other.contains(box) and (other != box or j < k) for j, other in enumerate(meets) if j != k)
        if not inside:
            kept.append(box)
    kept.sort(key=lambda b: (b.p_low, b.q_low, b.p_high, b.q_high))
    return Correspondences2x2(tuple(game.players), tuple(tuple(a) for a in game.actions), row, column, tuple(kept),
                              row_switch, column_switch, exact, atol)
