"""Nash equilibria of many small N-player normal-form games at once, by vectorised best-response checks.

:func:`batched_nash` enumerates supports as the scalar support enumeration does and solves each support's
indifference conditions in closed form over arrays of points where they have one -- a continuum of solutions by
the vertices of its polytope of equilibria where one player mixes -- leaving near-degenerate points to the exact
path; :func:`batched_pure_equilibria` finds the pure equilibria alone.

A pure profile ``s`` is a Nash equilibrium iff no player gains by a unilateral deviation: for every player ``i``,
``u_i(s) = max_{a} u_i(a, s_{-i})`` (Nash 1951). With the payoffs of ``points`` games stacked in arrays of shape
``(points, n_1, ..., n_N)``, player ``i``'s best-response values are one ``max`` along axis ``i + 1``, and the
equilibrium mask is the conjunction over players of ``u_i == max``: a handful of numpy reductions for all points
and profiles together.

In :func:`batched_pure_equilibria` float comparisons use a band: a profile whose deviation gain for some player
lies in ``(0, tol * scale]`` (scale: max(1, the largest ``|payoff|`` at the point)) is neither clearly an
equilibrium nor clearly not one; its point is *flagged*, and with ``exact_payoffs`` re-checked in exact
arithmetic (as the scalar ``method="pure"`` solver does). Otherwise a profile is an equilibrium iff every
player's gain is at most 0.

References
----------
.. [Nas51] J. Nash, "Non-cooperative games", *Annals of Mathematics* 54(2):286-295, 1951.
.. [MM96] R. D. McKelvey and A. McLennan, "Computation of equilibria in finite games", in *Handbook of
   Computational Economics*, vol. 1, pp. 87-142, Elsevier, 1996.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

__all__ = ["BatchedPure", "batched_pure_equilibria", "BatchedNash", "batched_nash", "MAX_CELLS"]


@dataclass(frozen=True)
class BatchedPure:
    """Pure equilibria of ``points`` games.

    Attributes
    ----------
    mask : numpy.ndarray of bool, shape (points, n_1, ..., n_N)
        ``mask[p][s]``: profile ``s`` is a pure Nash equilibrium of game ``p``.
    counts : numpy.ndarray of int64, shape (points,)
    flagged : numpy.ndarray of bool, shape (points,)
        Points with a deviation gain in ``(0, tol * scale]`` (re-checked exactly when exact payoffs were given).
    """

    mask: np.ndarray
    counts: np.ndarray
    flagged: np.ndarray

    def profiles(self, p: int) -> list[tuple[int, ...]]:
        """The pure equilibria of point *p*, in lexicographic order of the profiles."""
        return [tuple(int(a) for a in s) for s in np.argwhere(self.mask[p])]


def batched_pure_equilibria(payoffs: tuple[Any, ...], *, tol: float = 1e-9,
                            exact_payoffs: Callable[[int], tuple[Any, ...]] | None = None) -> BatchedPure:
    """Every pure Nash equilibrium of each of ``points`` N-player games.

    Parameters
    ----------
    payoffs : tuple of N array_like, each of shape (points, n_1, ..., n_N)
        Player ``i``'s payoffs at every point and profile (finite floats).
    tol : float, default 1e-9
        Relative band for flagging near-ties (see the module docstring).
    exact_payoffs : callable, optional
        ``exact_payoffs(p)`` -> N exact arrays of shape (n_1, ..., n_N) (Fractions): flagged points are re-checked
        with them, exactly. Without it, flagged points keep the float answer (gains <= 0 count as equilibria).

    Returns
    -------
    BatchedPure

    Examples
    --------
    The prisoners' dilemma and a three-player coordination game (every player gets 1 if all three choose the
    same action):

    >>> import numpy as np
    >>> pd_ = batched_pure_equilibria((np.array([[[3, 0], [5, 1]]]), np.array([[[3, 5], [0, 1]]])))
    >>> pd_.profiles(0), pd_.counts.tolist()
    ([(1, 1)], [1])
    >>> same = np.zeros((1, 2, 2, 2))
    >>> same[0, 0, 0, 0] = same[0, 1, 1, 1] = 1
    >>> batched_pure_equilibria((same, same, same)).profiles(0)
    [(0, 0, 0), (1, 1, 1)]
    """
    arrays = [np.asarray(u, dtype=float) for u in payoffs]
    N = len(arrays)
    if N < 1 or any(a.shape != arrays[0].shape for a in arrays) or arrays[0].ndim != N + 1:
        raise ValueError(f"need N arrays of one shape (points, n_1, ..., n_N); got {[a.shape for a in arrays]}")
    if not all(np.isfinite(a).all() for a in arrays):
        raise ValueError("payoffs must be finite")
    P = arrays[0].shape[0]
    scale = np.maximum(1.0, np.max([np.abs(a).reshape(P, -1).max(axis=1) for a in arrays], axis=0)) if P else \
        np.ones(0)
    band = (tol * scale).reshape((P,) + (1,) * N)
    mask = np.ones(arrays[0].shape, dtype=bool)
    near = np.zeros(arrays[0].shape, dtype=bool)
    for i, u in enumerate(arrays):
        gain = u.max(axis=i + 1, keepdims=True) - u
        mask &= gain <= 0
        near |= (gain > 0) & (gain <= band)
    flagged = near.reshape(P, -1).any(axis=1)
    if exact_payoffs is not None and flagged.any():
        for p in np.flatnonzero(flagged).tolist():
            exact = [np.asarray(u, dtype=object) for u in exact_payoffs(p)]
            ok = np.ones(exact[0].shape, dtype=bool)
            for i, u in enumerate(exact):
                best = np.max(u, axis=i, keepdims=True)
                ok &= u == best
            mask[p] = ok
    counts = mask.reshape(P, -1).sum(axis=1).astype(np.int64)
    return BatchedPure(mask, counts, flagged)


# ------------------------------------------------------------------------------------ mixed equilibria
#: The largest N-player game (cells of the payoff table) :func:`batched_nash` takes: 3 x 3 x 3.
MAX_CELLS = 27

# Bands, relative to the point's payoff scale s = max(1, max |u|) (or its power for products of payoffs). A
# quantity within its band of the value it is compared with makes the point *unsure*: it goes to the exact path.
_VALUE_BAND = 1e-12    # a difference of two payoffs, or of two such differences (float error: a few ulps of s)
_PIVOT_BAND = 1e-9     # pivots, determinants, resultants, discriminants (x s, s**2, ...)
_PROB_BAND = 1e-9      # a probability against 0 (absolute)
_GAIN_BAND = 1e-9      # a deviation gain at a mixed profile against tol (x s)
_LINEAR_BAND = 1e-3    # a quadratic's linear coefficient, large enough to treat a near-zero square term (x s**3)
_UNIQUE, _FREE, _UNSURE, _NONE = 0, 1, 2, 3  # a block's status; blocks combine by the largest


@dataclass(frozen=True)
class BatchedNash:
    """The equilibria that support enumeration reports, at every point where the batched path certifies them.

    Attributes
    ----------
    certified : numpy.ndarray of bool, shape (points,)
        True: the point's rows below are exactly the equilibria of the scalar
        :func:`~gametheory_ukraine.solvers.n_player.support_enumeration` (float mode, same ``tol``), in its order,
        and ``complete`` is its flag. False: some support profile is near-degenerate at the point, or has no closed
        form here; the point has no rows and must be solved on the exact path.
    complete : numpy.ndarray of bool, shape (points,)
        At certified points, the scalar flag: False where a support profile is left out (two mixers whose
        conditions vanish and whose best-response conditions are not linear, as the scalar solver notes).
    counts : numpy.ndarray of int64, shape (points,)
        Equilibria per point (0 at uncertified points).
    point : numpy.ndarray of int64, shape (rows,)
        Each equilibrium's point, ascending; one point's rows in the scalar order (probabilities, flattened player
        by player, descending).
    strategies : tuple of N numpy.ndarray, each of shape (rows, n_i)
        Views of one (rows, n_1 + ... + n_N) array, the strategies side by side.
    payoffs : numpy.ndarray, shape (rows, N)
        Expected payoffs.
    regret : numpy.ndarray, shape (rows,)
        Largest gain of a unilateral pure deviation, floored at 0 (the best-response certificate).
    component : numpy.ndarray of int64, shape (rows,)
        The scalar solver's ``components``: each row's connected component of the point's equilibria (rows sharing
        a polytope of equilibria are joined), numbered 0, 1, ... within the point by first appearance.
    """

    certified: np.ndarray
    complete: np.ndarray
    counts: np.ndarray
    point: np.ndarray
    strategies: tuple[np.ndarray, ...]
    payoffs: np.ndarray
    regret: np.ndarray
    component: np.ndarray


def _fold(ufunc: np.ufunc, x: np.ndarray) -> np.ndarray:
    """``ufunc`` reduced along the short axes of *x* (points, k, ...), column by column: numpy's reduction along a
    short trailing axis costs tens of times more than k elementwise operations. The values are numpy's: max, min,
    and, or are exact, and sums of at most 7 terms add in numpy's order (left to right; more terms: numpy)."""
    x = x.reshape(x.shape[0], int(np.prod(x.shape[1:])))
    k = x.shape[1]
    if k == 0 or (ufunc is np.add and k > 7):
        return ufunc.reduce(x, axis=1)
    out = x[:, 0].copy()
    for j in range(1, k):
        ufunc(out, x[:, j], out=out)
    return out


def _subsets(n: int) -> list[tuple[int, ...]]:
    """Nonempty subsets of range(n), by size then lexicographically (the scalar solver's order)."""
    return [c for size in range(1, n + 1) for c in itertools.combinations(range(n), size)]


def _pairs(n: int) -> list[tuple[int, int]]:
    """Ordered pairs ``(a, b)`` of distinct actions of a player with *n* actions, lexicographically."""
    return [(a, b) for a in range(n) for b in range(n) if a != b]


@functools.lru_cache(maxsize=64)
def _dominance_plan(shape: tuple[int, ...], outside: bool) -> tuple[tuple[np.ndarray, ...], np.ndarray]:
    """Which pairwise dominance tests each support profile makes (a constant of the game's shape).

    For player ``i``, the test of action ``b`` against ``a`` (:func:`_dominance`) is made against a profile of the
    others' supports ``c`` (the product of their subsets, in :func:`_subsets` order), over the others' profiles
    ``o`` in it.

    Parameters
    ----------
    shape : tuple of int
        Actions per player.
    outside : bool
        Whether a pair with ``b`` outside the support is tested by more than tol (``tol != 0``); else every pair is
        tested weakly, as one inside the support.

    Returns
    -------
    incidence : tuple of numpy.ndarray of float32, one (profiles of the others' supports, others' profiles) each
        ``incidence[i][c, o]``: the others' profile ``o`` lies in their support profile ``c``.
    tests : numpy.ndarray of int64, shape (support profiles, most tests)
        Per support profile (in ``itertools.product`` order of the players' :func:`_subsets`), the rows of the
        table of test results that it ors (:func:`_dominance`), padded with the row past the last.
    """
    incidence, offsets, total = [], [], 0
    for i, n in enumerate(shape):
        others = [m for j, m in enumerate(shape) if j != i]
        combos = list(itertools.product(*(_subsets(m) for m in others)))
        inc = np.zeros((len(combos), int(np.prod(others))), dtype=np.float32)
        for c, sup in enumerate(combos):
            inc[c, [int(np.ravel_multi_index(o, others)) if others else 0 for o in itertools.product(*sup)]] = 1
        inc.flags.writeable = False
        incidence.append(inc)
        offsets.append(total)
        total += 2 * len(_pairs(n)) * len(combos)
    tests = []
    for supports in itertools.product(*(_subsets(n) for n in shape)):
        rows = []
        for i, sk in enumerate(supports):
            C = incidence[i].shape[0]
            others = [_subsets(m).index(supports[j]) for j, m in enumerate(shape) if j != i]
            c = int(np.ravel_multi_index(others, [2 ** m - 1 for j, m in enumerate(shape) if j != i])) \
                if others else 0
            pairs = _pairs(shape[i])
            for a in sk:
                for b in range(shape[i]):
                    if b != a:
                        out = outside and b not in sk
                        rows.append(offsets[i] + (len(pairs) * C if out else 0) + pairs.index((a, b)) * C + c)
        tests.append(rows)
    table = np.full((len(tests), max(map(len, tests))), total, dtype=np.int64)
    for k, rows in enumerate(tests):
        table[k, :len(rows)] = rows
    table.flags.writeable = False
    return tuple(incidence), table


def _dominance(cells: list[np.ndarray], tol: float, band: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The scalar solver's conditional dominance test of every support profile at every point.

    A support profile is pruned when some player ``i`` has actions ``a`` in its support and ``b != a`` with ``b``
    dominating ``a`` against the others' supports: weakly with a strict gain somewhere when ``b`` is in the support
    (or ``tol`` is 0), else by more than ``tol``. Each test compares the differences ``u_i(b, o) - u_i(a, o)``
    with 0, ``tol``, and the band: a float difference of two payoffs has the exact sign of the difference of their
    decimals (rounding is monotone), but the scalar path evaluates the payoff expressions itself (sympy, not
    numpy), which can differ in the last digit, so a test that a difference nonzero but within the band (or one
    within the band of ``tol``) could turn makes the point *unsure*.

    The tests are functions of these comparisons alone, and the points of a sweep mostly share them: they are
    made once per distinct set of comparisons (:func:`_representatives`), for every support profile at once
    (:func:`_dominance_plan`), and spread back to the points.

    Parameters
    ----------
    cells : list of numpy.ndarray, each (n_1, ..., n_N, points)
        Cell-major payoffs.
    tol : float
        The scalar solver's tolerance.
    band : numpy.ndarray, shape (points,)
        The band of a difference of two payoffs.

    Returns
    -------
    dominated, unsure : numpy.ndarray of bool, each (support profiles, points)
        Per support profile (in the order of :func:`_dominance_plan`): pruned; not pruned, but unsure.
    """
    shape, P = cells[0].shape[:-1], cells[0].shape[-1]
    checks = []
    for i, u in enumerate(cells):
        V = np.moveaxis(u, i, 0).reshape(shape[i], -1, P)         # (n_i, profiles of the others, points)
        d = np.stack([V[b] - V[a] for a, b in itertools.combinations(range(shape[i]), 2)])
        # d >= 0, d > 0, nonzero within the band, and (tol != 0) d, -d against tol, clearly and possibly
        c = [d >= 0, d > 0, (d != 0) & (np.abs(d) <= band)]
        if tol != 0:
            c += [d > tol + band, d > tol - band, d < -(tol + band), d < -(tol - band)]
        checks.append(np.stack(c))                                # (checks, pairs a < b, others' profiles, points)
    reps, inverse = _representatives(np.concatenate([c.reshape(-1, P) for c in checks]))
    if inverse is not None:
        checks = [c[..., reps] for c in checks]
    R = checks[0].shape[-1]
    incidence, tests = _dominance_plan(tuple(shape), tol != 0)
    sure, maybe = [], []
    for i, c in enumerate(checks):
        ge, gt, tiny, hi, lo = _ordered_checks(c, shape[i])
        sure.append((~_any_of(incidence[i], ~ge) & _any_of(incidence[i], gt)).reshape(-1, R))
        maybe.append(_any_of(incidence[i], tiny).reshape(-1, R))
        if tol != 0:
            sure.append(~_any_of(incidence[i], ~hi).reshape(-1, R))
            maybe.append(~_any_of(incidence[i], ~lo).reshape(-1, R))
        else:  # never tested: every pair is tested as one inside the support
            sure.append(np.zeros_like(sure[-1]))
            maybe.append(np.zeros_like(maybe[-1]))
    false = np.zeros((1, R), dtype=bool)                          # the padding row of the plan
    dominated = np.concatenate(sure + [false])[tests].any(axis=1)
    unsure = np.concatenate(maybe + [false])[tests].any(axis=1) & ~dominated
    if inverse is not None:
        dominated, unsure = dominated[:, inverse], unsure[:, inverse]         # faster than np.take here
    return dominated, unsure


def _ordered_checks(checks: np.ndarray, n: int) -> tuple[np.ndarray | None, ...]:
    """The comparisons of ``d = u_i(b, .) - u_i(a, .)`` per ordered pair ``(a, b)`` (:func:`_pairs`) from those
    per unordered pair ``a < b`` (*checks*: d >= 0, d > 0, nonzero within the band, and possibly d and -d clearly
    and possibly above tol; each (pairs a < b, others' profiles, points)): for ``a > b``, ``d`` is the exact
    negative of the pair's difference, so ``d >= 0`` is ``not -d > 0`` and so on.

    Returns
    -------
    ge, gt, tiny, hi, lo : numpy.ndarray of bool, each (ordered pairs, others' profiles, points)
        ``d >= 0``, ``d > 0``, nonzero within the band, clearly and possibly above tol (None without tol).
    """
    unordered = list(itertools.combinations(range(n), 2))
    index = np.array([unordered.index((min(a, b), max(a, b))) for a, b in _pairs(n)], dtype=np.int64)
    flip = np.array([a > b for a, b in _pairs(n)])[:, None, None]
    c = checks[:, index]
    ge, gt = np.where(flip, ~c[1], c[0]), np.where(flip, ~c[0], c[1])
    if len(checks) == 3:
        return ge, gt, c[2], None, None
    return ge, gt, c[2], np.where(flip, c[5], c[3]), np.where(flip, c[6], c[4])


def _any_of(incidence: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Whether *x* (pairs, others' profiles, points) holds at some profile of each support profile of the others
    (*incidence*: (support profiles, profiles)): (pairs, support profiles, points). A count of the profiles
    where it holds, by ``np.einsum`` (not BLAS, whose threads would spin on after the call)."""
    return np.einsum("co,qor->qcr", incidence, x.astype(np.float32)) > 0


def _representatives(bits: np.ndarray, tries: int = 8) -> tuple[np.ndarray, np.ndarray | None]:
    """Group the points (columns of *bits*, (bits, points)) by equal columns, trying *tries* groups at most.

    Each try takes the first point not yet grouped and groups every point with its column: a sweep of a game
    whose payoffs keep their order needs one or a few. The tries stop early when one groups its point alone while
    most points are ungrouped (points in general position: no column recurs). The points still ungrouped are
    their own representatives.

    Returns
    -------
    reps : numpy.ndarray of int64
        The representative points, ascending.
    inverse : numpy.ndarray of int64 or None
        Each point's position in *reps*; None when more than half the points are representatives (then every
        point stands for itself).
    """
    P = bits.shape[1]
    group = np.full(P, -1, dtype=np.int64)
    firsts: list[int] = []
    for g in range(tries):
        left = np.flatnonzero(group < 0)
        if not len(left):
            break
        r = int(left[0])
        firsts.append(r)
        same = (group < 0) & (bits == bits[:, r:r + 1]).all(axis=0)
        group[same] = g
        if 2 * (len(left) - 1) > P and int(np.count_nonzero(same)) == 1:
            break
    rest = np.flatnonzero(group < 0)
    if 2 * (len(firsts) + len(rest)) > P:
        return np.arange(P), None
    group[rest] = len(firsts) + np.arange(len(rest))
    reps = np.concatenate([np.array(firsts, dtype=np.int64), rest])
    order = np.argsort(reps)
    rank = np.empty(len(reps), dtype=np.int64)
    rank[order] = np.arange(len(reps))
    return reps[order], rank[group]


def _action_values(cells: list[np.ndarray], sigma: list[np.ndarray], i: int, supports: tuple,
                   at: np.ndarray | None = None) -> np.ndarray:
    """Player *i*'s expected payoff of each action against the others' mixed strategies, which are zero off
    *supports*: a sum over the others' support profiles only, (points, n_i). *cells*: cell-major payoffs
    (n_1, ..., n_N, points), or with *at* of more points, of which the profiles *sigma* are at the points *at*
    (only the cells the sum reads are gathered); the result is a view whose points are its contiguous axis."""
    others = [j for j in range(len(cells)) if j != i]
    vals = np.zeros((cells[i].shape[i], cells[i].shape[-1] if at is None else len(at)))
    for o in itertools.product(*(supports[j] for j in others)):
        w = sigma[others[0]][:, o[0]]
        for j, a in zip(others[1:], o[1:]):
            w = w * sigma[j][:, a]
        index = list(o)
        index.insert(i, slice(None))
        cell = cells[i][tuple(index)]
        vals += w[None, :] * (cell if at is None else np.take(cell, at, axis=-1))
    return vals.T


def _linear_block(M: np.ndarray, zM: np.ndarray, r: np.ndarray, zr: np.ndarray,
                  s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Status and solution of ``M y = r`` per point (M: (points, e, u), e, u in {1, 2}); *zM*, *zr*: entries
    known to be exactly zero. NONE: inconsistent; FREE: a positive-dimensional (complex) solution set; UNIQUE:
    one solution ``y``; UNSURE: a near-zero pivot decides."""
    P, e, u = M.shape
    nzM = (np.abs(M) > _VALUE_BAND * s[:, None, None]) & ~zM
    nzr = (np.abs(r) > _VALUE_BAND * s[:, None]) & ~zr
    zero_row = zM.all(axis=2) & zr
    ground = zM.all(axis=2) & nzr
    live_row = ~zero_row
    status = np.full(P, _UNSURE)
    y = np.zeros((P, u))
    if e == u:
        det = M[:, 0, 0] if u == 1 else M[:, 0, 0] * M[:, 1, 1] - M[:, 0, 1] * M[:, 1, 0]
        ok = np.abs(det) > _PIVOT_BAND * s ** u
        with np.errstate(all="ignore"):
            if u == 1:
                y[:, 0] = r[:, 0] / det
            else:
                y[:, 0] = (r[:, 0] * M[:, 1, 1] - M[:, 0, 1] * r[:, 1]) / det
                y[:, 1] = (M[:, 0, 0] * r[:, 1] - r[:, 0] * M[:, 1, 0]) / det
        status[ok] = _UNIQUE
    if e == 2 and u == 1:  # two equations a_k y = r_k: inconsistent if the 2 x 2 minor is clearly nonzero
        minor = M[:, 0, 0] * r[:, 1] - M[:, 1, 0] * r[:, 0]
        status[_fold(np.logical_and, nzM[:, :, 0]) & (np.abs(minor) > _PIVOT_BAND * s ** 2)] = _NONE
    # one equation left (the other exactly zero, or e == 1 < u): a line of solutions if a coefficient is nonzero
    one_left = _fold(np.add, live_row.astype(np.int64)) == 1
    if u == 2:
        status[one_left & _fold(np.logical_or, nzM & live_row[:, :, None])] = _FREE
    elif e == 2:  # u == 1 and one row left: that row alone decides
        k = np.argmax(live_row, axis=1)
        a, b = M[np.arange(P), k, 0], r[np.arange(P), k]
        ok = one_left & (np.abs(a) > _PIVOT_BAND * s)
        with np.errstate(all="ignore"):
            y[ok, 0] = b[ok] / a[ok]
        status[ok] = _UNIQUE
    status[_fold(np.logical_and, zero_row)] = _FREE
    status[_fold(np.logical_or, ground)] = _NONE
    return status, y


def _grid(u: np.ndarray, supports: tuple, axes: tuple[int, ...]) -> np.ndarray:
    """``u`` (cell-major: (n_1, ..., n_N, points)) at the pure players' actions, on the supports of the players
    *axes* (in that order): (points, |S_axes[0]|, ...). One gather of whole cells; the result is a view whose
    points are its contiguous axis, so that the elementwise arithmetic on it runs along long rows."""
    sub = u[np.ix_(*supports)]                                     # (|S_1|, ..., |S_N|, points), contiguous
    sub = np.moveaxis(sub, list(axes), list(range(len(axes))))
    sub = sub.reshape(*[len(supports[a]) for a in axes], sub.shape[-1])
    return np.moveaxis(sub, -1, 0)


def _two_mixers(arrays: list[np.ndarray], supports: tuple, s: np.ndarray,
                sigma: list[np.ndarray]) -> tuple[np.ndarray, list[tuple]]:
    """Two players mix, the others play pure: each mixer's indifference is linear in the other's probabilities,
    ``sum_b sigma_j(b) D(a, b) = 0`` with ``D(a, b) = u_i(a, b) - u_i(S_i[0], b)``, unknowns ``sigma_j(b)`` for
    ``b`` in ``S_j[1:]`` (the scalar solver's variables). With two actions each, ``sigma_j(b) = D(a, b') /
    (D(a, b') - D(a, b))`` (``b' != b``): a probability is exactly zero iff one difference of two payoffs is, which
    floats decide exactly (a boundary solution, which the scalar solver rejects)."""
    i, j = [k for k, sk in enumerate(supports) if len(sk) > 1]
    status = np.full(arrays[0].shape[-1], _UNIQUE)
    zero = np.zeros(arrays[0].shape[-1], dtype=bool)
    for me, other in ((i, j), (j, i)):
        g = _grid(arrays[me], supports, (me, other))            # (points, |S_me|, |S_other|)
        D, Dz = g[:, 1:, :] - g[:, :1, :], g[:, 1:, :] == g[:, :1, :]
        M = D[:, :, 1:] - D[:, :, :1]
        zM = (Dz[:, :, 1:] & Dz[:, :, :1]) | ((g[:, 1:, 1:] == g[:, 1:, :1]) & (g[:, :1, 1:] == g[:, :1, :1]))
        st, y = _linear_block(M, zM, -D[:, :, 0], Dz[:, :, 0], s)
        status = np.maximum(status, st)
        if D.shape[1:] == (1, 2):
            zero |= _fold(np.logical_or, Dz[:, 0])
        sigma[other][:, list(supports[other][1:])] = y
        sigma[other][:, supports[other][0]] = 1 - _fold(np.add, y)
    return status, [(sigma, zero)]


def _lin_mul(p: tuple, q: tuple) -> tuple:
    """Product of polynomials given by coefficient tuples (constant first)."""
    out = [0.0] * (len(p) + len(q) - 1)
    for a, pa in enumerate(p):
        for b, qb in enumerate(q):
            out[a + b] = out[a + b] + pa * qb
    return tuple(out)


def _three_mixers(arrays: list[np.ndarray], supports: tuple, s: np.ndarray,
                  sigma: list[np.ndarray]) -> tuple[np.ndarray, list[list[np.ndarray]]]:
    """Three players mix two actions each (any others pure). With ``x_k`` the probability of mixer k's second
    support action, mixer k's indifference is bilinear in the other two: ``A + B x_j + C x_l + E x_j x_l = 0``.
    The first two solve linearly for ``x_1`` and ``x_0`` in ``t = x_2``; the third becomes a quadratic
    ``q(t)`` (McKelvey and McLennan 1996, section 6). Unsure unless: the linear solves have no common root of
    numerator and denominator (resultant clearly nonzero), ``q`` is clearly quadratic with a discriminant clearly
    nonzero, and the denominators are clearly nonzero at the roots."""
    k0, k1, k2 = [k for k, sk in enumerate(supports) if len(sk) > 1]
    coef = []
    for me, others in ((k0, (k1, k2)), (k1, (k0, k2)), (k2, (k0, k1))):
        g = _grid(arrays[me], supports, (me, *others))          # (points, 2, 2, 2)
        coef.append(_bilinear(g[:, 1] - g[:, 0]))
    (A0, B0, C0, E0), (A1, B1, C1, E1), (A2, B2, C2, E2) = coef
    n1, d1 = (-A0, -C0), (B0, E0)                               # x1 = n1(t) / d1(t)
    n0, d0 = (-A1, -C1), (B1, E1)                               # x0 = n0(t) / d0(t)
    terms = [_lin_mul((A2,), _lin_mul(d0, d1)), _lin_mul((B2,), _lin_mul(n0, d1)),
             _lin_mul((C2,), _lin_mul(n1, d0)), _lin_mul((E2,), _lin_mul(n0, n1))]
    q0, q1, q2 = (sum(t[k] for t in terms) for k in range(3))
    disc = q1 * q1 - 4 * q2 * q0
    ok = (np.abs(A0 * E0 - C0 * B0) > _PIVOT_BAND * s ** 2) & (np.abs(A1 * E1 - C1 * B1) > _PIVOT_BAND * s ** 2)
    # q nearly linear (q2 within its band, q1 large): the second root, if any, has |t| >= |q1 / q2| - |t_1|, far
    # outside [0, 1]; the stable formula's q0 / half is the first root either way
    linear = (np.abs(q2) <= _PIVOT_BAND * s ** 3) & (np.abs(q1) > _LINEAR_BAND * s ** 3)
    ok &= ((np.abs(q2) > _PIVOT_BAND * s ** 3) & (np.abs(disc) > _PIVOT_BAND * s ** 6)) | linear
    status = np.where(ok, np.where(disc < 0, _NONE, _UNIQUE), _UNSURE)
    root = np.sqrt(np.maximum(disc, 0.0))
    with np.errstate(all="ignore"):
        half = -0.5 * (q1 + np.where(q1 >= 0, root, -root))     # stable quadratic roots
        roots = (half / q2, q0 / half)
    cands = []
    for t in roots:
        den0, den1 = d0[0] + d0[1] * t, d1[0] + d1[1] * t
        bad = (np.abs(den0) <= _PIVOT_BAND * s) | (np.abs(den1) <= _PIVOT_BAND * s)
        status = np.where((status == _UNIQUE) & bad, _UNSURE, status)
        with np.errstate(all="ignore"):
            xs = ((n0[0] + n0[1] * t) / den0, (n1[0] + n1[1] * t) / den1, t)
        sig = [x.copy() for x in sigma]
        for k, x in zip((k0, k1, k2), xs):
            sig[k][:, supports[k][1]] = x
            sig[k][:, supports[k][0]] = 1 - x
        cands.append((sig, linear if t is roots[0] else np.zeros(len(t), dtype=bool)))
    return status, cands


def _bilinear(g: np.ndarray) -> tuple:
    """Coefficients (A, B, C, E) of ``A + B x + C y + E x y = sum_{a, b} w_x(a) w_y(b) g[:, a, b]`` with
    ``w(0) = 1 - w(1)``, ``w(1)`` the unknown: g of shape (points, 2, 2)."""
    return (g[:, 0, 0], g[:, 1, 0] - g[:, 0, 0], g[:, 0, 1] - g[:, 0, 0],
            g[:, 1, 1] - g[:, 1, 0] - g[:, 0, 1] + g[:, 0, 0])


def _three_mixers_223(arrays: list[np.ndarray], supports: tuple, s: np.ndarray,
                      sigma: list[np.ndarray]) -> tuple[np.ndarray, list[tuple]]:
    """Three players mix, two with two actions (``x``, ``y`` the probabilities of their second support actions),
    one with three (``z``). The three-action mixer's two indifferences are bilinear in ``(x, y)``: the first gives
    ``x = n(y) / d(y)``, the second then a quadratic ``q(y)``; at each root the two-action mixers' indifferences
    are linear in ``z`` (a 2 x 2 solve). Unsure unless the resultant of ``n`` and ``d`` is clearly nonzero, ``q``
    is clearly quadratic with a clearly nonzero discriminant (or nearly linear), and at both roots, complex ones
    included (zero-dimensionality), ``d`` and the 2 x 2 determinant are clearly nonzero."""
    P = arrays[0].shape[-1]
    m = [k for k, sk in enumerate(supports) if len(sk) > 1]
    c = next(k for k in m if len(supports[k]) == 3)
    a, b = [k for k in m if k != c]
    G = _grid(arrays[c], supports, (c, a, b))                      # (points, 3, 2, 2)
    A1, B1, C1, E1 = _bilinear(G[:, 1] - G[:, 0])
    A2, B2, C2, E2 = _bilinear(G[:, 2] - G[:, 0])
    n, d = (-A1, -C1), (B1, E1)                                    # x = n(y) / d(y)
    zero = 0.0 * A1
    terms = [_lin_mul((A2, zero), d), _lin_mul((B2, zero), n), _lin_mul((zero, C2), d), _lin_mul((zero, E2), n)]
    q0, q1, q2 = (sum(t[k] for t in terms) for k in range(3))
    disc = q1 * q1 - 4 * q2 * q0
    linear = (np.abs(q2) <= _PIVOT_BAND * s ** 2) & (np.abs(q1) > _LINEAR_BAND * s ** 2)
    ok = np.abs(A1 * E1 - C1 * B1) > _PIVOT_BAND * s ** 2
    ok &= ((np.abs(q2) > _PIVOT_BAND * s ** 2) & (np.abs(disc) > _PIVOT_BAND * s ** 4)) | linear
    with np.errstate(all="ignore"):
        root = np.sqrt(disc.astype(complex))
        root = np.where((np.conj(q1) * root).real >= 0, root, -root)
        half = -0.5 * (q1 + root)
        roots = (half / q2, q0 / half)
    Da = _grid(arrays[a], supports, (a, b, c))
    Da = Da[:, 1] - Da[:, 0]                                        # (points, 2 (b), 3 (c))
    Db = _grid(arrays[b], supports, (b, a, c))
    Db = Db[:, 1] - Db[:, 0]                                        # (points, 2 (a), 3 (c))
    cands = []
    for t, huge in zip(roots, (linear, np.zeros(P, dtype=bool))):
        with np.errstate(all="ignore"):
            den = d[0] + d[1] * t
            x = (n[0] + n[1] * t) / den
            g = (1 - t)[:, None] * Da[:, 0] + t[:, None] * Da[:, 1]    # (points, 3): a's gains against each c
            h = (1 - x)[:, None] * Db[:, 0] + x[:, None] * Db[:, 1]
            M = np.stack([g[:, 1:] - g[:, :1], h[:, 1:] - h[:, :1]], axis=1)
            det = M[:, 0, 0] * M[:, 1, 1] - M[:, 0, 1] * M[:, 1, 0]
            z1 = (-g[:, 0] * M[:, 1, 1] + M[:, 0, 1] * h[:, 0]) / det
            z2 = (-M[:, 0, 0] * h[:, 0] + g[:, 0] * M[:, 1, 0]) / det
        fine = huge | ((np.abs(den) > _PIVOT_BAND * s) & (np.abs(det) > _PIVOT_BAND * s ** 2))
        ok &= fine
        sig = [v.copy() for v in sigma]
        real = np.abs(t.imag) <= 0
        for k, v in ((a, x), (b, t)):
            sig[k][:, supports[k][1]] = v.real
            sig[k][:, supports[k][0]] = 1 - v.real
        sig[c][:, list(supports[c][1:])] = np.stack([z1.real, z2.real], axis=1)
        sig[c][:, supports[c][0]] = 1 - z1.real - z2.real
        cands.append((sig, huge | ~real))
    status = np.where(ok, np.where(disc < 0, _NONE, _UNIQUE), _UNSURE)
    return status, cands


def _pure_sigma(shape: tuple[int, ...], supports: tuple, P: int) -> list[np.ndarray]:
    """Mixed strategies of shape (points, n_i), pure at each support's first action (mixers are filled later)."""
    sigma = []
    for n, sk in zip(shape, supports):
        x = np.zeros((P, n))
        x[:, sk[0]] = 1.0
        sigma.append(x)
    return sigma


def _candidates(arrays: list[np.ndarray], supports: tuple, s: np.ndarray):
    """Status of a support's indifference system per point and its candidate profiles (lists of N arrays);
    *arrays*: the payoffs cell-major (n_1, ..., n_N, points)."""
    P, shape = arrays[0].shape[-1], arrays[0].shape[:-1]
    sigma = _pure_sigma(shape, supports, P)
    mixers = [k for k, sk in enumerate(supports) if len(sk) > 1]
    if not mixers:
        return np.full(P, _UNIQUE), [(sigma, np.zeros(P, dtype=bool))]
    if len(mixers) == 1:  # the mixer's indifference is a set of constants: all zero (a continuum) or not
        g = _grid(arrays[mixers[0]], supports, (mixers[0],))
        d = g[:, 1:] - g[:, :1]
        big = np.abs(d) > _VALUE_BAND * s[:, None]
        return np.where(_fold(np.logical_or, big), _NONE, np.where(_fold(np.logical_or, d != 0), _UNSURE, _FREE)), []
    if len(mixers) == 2:
        return _two_mixers(arrays, supports, s, sigma)
    if len(mixers) == 3 and all(len(supports[k]) == 2 for k in mixers):
        return _three_mixers(arrays, supports, s, sigma)
    if len(mixers) == 3 and sorted(len(supports[k]) for k in mixers) == [2, 2, 3]:
        return _three_mixers_223(arrays, supports, s, sigma)
    return np.full(P, _UNSURE), []


# ------------------------------------------------------------------------------------ polytopes of equilibria
def _any(masks) -> np.ndarray:
    """Elementwise or of (points,) masks."""
    return functools.reduce(np.logical_or, masks)


def _all(masks) -> np.ndarray:
    """Elementwise and of (points,) masks."""
    return functools.reduce(np.logical_and, masks)


def _dot(g: list[np.ndarray], w: list[np.ndarray]) -> np.ndarray:
    """``sum_a g[a] * w[a]`` over columns (points,), added left to right."""
    v = g[0] * w[0]
    for ga, wa in zip(g[1:], w[1:]):
        v = v + ga * wa
    return v


def _one_mixer_polytope(cells: list[np.ndarray], supports: tuple, s: np.ndarray):
    """The polytope of equilibria of a support profile where one player (the *mixer*, support ``S`` of 2 or 3
    actions) mixes, the others play pure, and the mixer's payoffs on ``S`` are equal (a continuum): the mixtures
    ``w`` over ``S`` (barycentric, ``w >= 0``, ``sum w = 1``) at which no other player ``j`` gains by a deviation
    ``b`` -- ``G_jb . w <= 0`` with ``G_jb[a]`` player j's gain from ``b`` when the mixer plays ``S[a]`` -- and no
    action outside ``S`` earns the mixer more (a constant; exact conditions, no tolerance, as the scalar solver's
    polytopes). Its vertices: the feasible corners of the simplex, the feasible points where one ``G_jb`` crosses an
    edge (``t = G[a] / (G[a] - G[b])``), and for three actions the feasible points where two ``G_jb`` vanish
    inside (their cross product, normalised).

    *cells*: cell-major payoffs (n_1, ..., n_N, points), so that a cell is one contiguous vector; mixtures and
    gains are kept as lists of k such vectors (their columns).

    Returns ``(unsure, corners, vertices)``: points where a sign is within its band (for the exact path); per
    corner ``a``, the points where it is a vertex; and per other vertex its points, weights (k columns) and how it
    is made (the same construction gives the same floats in every polytope that has it)."""
    P = cells[0].shape[-1]
    m = next(k for k, sk in enumerate(supports) if len(sk) > 1)
    S = supports[m]
    k = len(S)
    o = [sk[0] for sk in supports]
    band = _VALUE_BAND * s
    at = [tuple(S[a] if q == m else o[q] for q in range(len(o))) for a in range(k)]
    unsure = np.zeros(P, dtype=bool)
    empty = np.zeros(P, dtype=bool)
    for b in range(cells[m].shape[m]):
        if b not in S:  # the mixer's own deviation: a constant gain, decided exactly (no tolerance)
            gap = cells[m][at[0][:m] + (b,) + at[0][m + 1:]] - cells[m][at[0]]
            unsure |= (gap != 0) & (np.abs(gap) <= band)
            empty |= gap > band
    G, names = [], []
    for j in range(len(o)):
        if j == m:
            continue
        for b in range(cells[j].shape[j]):
            if b != o[j]:
                g = [cells[j][p[:j] + (b,) + p[j + 1:]] - cells[j][p] for p in at]
                unsure |= _any([(x != 0) & (np.abs(x) <= band) for x in g])
                # a gain that does not depend on the mixture: a constant condition (the scalar drops it, or finds
                # the polytope empty); a gain whose dependence is within the band is unsure
                const = _all([x == g[0] for x in g])
                unsure |= ~const & (functools.reduce(np.maximum, g) - functools.reduce(np.minimum, g) <= band)
                empty |= const & (g[0] > 0)
                G.append([np.where(const, 0.0, x) for x in g])
                names.append((j, b))
    live = ~empty
    corners = [live & _all([g[a] <= 0 for g in G]) if G else live.copy() for a in range(k)]
    gain_band = _GAIN_BAND * s
    zero = np.zeros(P)

    def feasible(w: list[np.ndarray], ok: np.ndarray, skip: tuple) -> np.ndarray:
        nonlocal unsure
        positive = [x > 0 for x in w]
        for c, g in enumerate(G):
            if c in skip:
                continue
            v = _dot(g, w)
            unsure |= ok & (np.abs(v) <= gain_band) & _any([(x != 0) & y for x, y in zip(g, positive)])
            ok = ok & (v <= gain_band)
        return ok

    vertices = []
    for a, b in itertools.combinations(range(k), 2):
        for c, g in enumerate(G):
            ga, gb = g[a], g[b]
            ok = live & (((ga > 0) & (gb < 0)) | ((ga < 0) & (gb > 0)))
            with np.errstate(all="ignore"):
                t = np.where(ok, ga / (ga - gb), 0.0)
            unsure |= ok & ((t <= _PROB_BAND) | (t >= 1 - _PROB_BAND))
            w = [zero] * k
            w[a], w[b] = 1 - t, t
            ok = feasible(w, ok, (c,))
            vertices.append((ok, w, ("edge", S[a], S[b], names[c])))
    if k == 3:
        for c, d in itertools.combinations(range(len(G)), 2):
            (a0, a1, a2), (b0, b1, b2) = G[c], G[d]
            w = [a1 * b2 - a2 * b1, a2 * b0 - a0 * b2, a0 * b1 - a1 * b0]    # np.cross, column by column
            tot = w[0] + w[1] + w[2]
            nonzero = _any([x != 0 for x in w])
            unsure |= live & nonzero & (np.abs(tot) <= _PIVOT_BAND * s ** 2)
            with np.errstate(all="ignore"):
                w = [x / tot for x in w]
            inside = live & nonzero & (np.abs(tot) > _PIVOT_BAND * s ** 2)
            unsure |= inside & _any([np.abs(x) <= _PROB_BAND for x in w]) & _all([x >= -_PROB_BAND for x in w])
            ok = feasible([np.where(inside, x, 0.0) for x in w], inside & _all([x > _PROB_BAND for x in w]), (c, d))
            vertices.append((ok, w, ("inside", S, names[c], names[d])))
    return unsure & ~empty, corners, vertices


def _nonlinear_pair(arrays: list[np.ndarray], supports: tuple, s: np.ndarray) -> np.ndarray:
    """Two mixers ``i``, ``j``, the others pure: the points where both mixers' indifference conditions vanish
    identically (every payoff difference on the other's support exactly zero) and some pure player's gain from a
    deviation -- bilinear in the two mixtures -- has a product term clearly nonzero. The scalar solver's polytope
    test then finds its best-response conditions not linear: the support is left out with a note (``complete``
    False) and adds no equilibrium. The coefficient of ``x_a y_c`` (the scalar's unknowns) is
    ``g[a, c] - g[a, 0] - g[0, c] + g[0, 0]``."""
    i, j = [k for k, sk in enumerate(supports) if len(sk) > 1]
    vanish = np.ones(arrays[0].shape[-1], dtype=bool)
    for me, other in ((i, j), (j, i)):
        g = _grid(arrays[me], supports, (me, other))
        vanish &= _fold(np.logical_and, g[:, 1:, :] == g[:, :1, :])
    product = np.zeros_like(vanish)
    for k, sk in enumerate(supports):
        if len(sk) > 1:
            continue
        here = _grid(arrays[k], supports, (i, j))
        for b in range(arrays[k].shape[k]):
            if b != sk[0]:
                g = _grid(arrays[k], supports[:k] + ((b,),) + supports[k + 1:], (i, j)) - here
                E = g[:, 1:, 1:] - g[:, 1:, :1] - g[:, :1, 1:] + g[:, :1, :1]
                product |= _fold(np.logical_or, np.abs(E) > _PIVOT_BAND * s[:, None, None])
    return vanish & product


def _continuum(major: list[np.ndarray], supports: tuple, fidx: np.ndarray, s: np.ndarray, poly0: int, kinds: dict):
    """A support profile whose conditions have a continuum of solutions at the points *fidx*, as the scalar solver
    resolves it where a closed form is at hand: one mixer of 2 or 3 actions (a segment or polygon of equilibria,
    :func:`_one_mixer_polytope`, every vertex certified by its regret), or two mixers whose conditions vanish with a
    nonlinear best-response condition (:func:`_nonlinear_pair`: left out, not complete).

    Returns ``(done, incomplete, rows, members)``: per point of *fidx* whether it was resolved (the others go to
    the exact path) and whether the support is left out; the mixed vertices as a rows entry (their polytope ids,
    ``poly0 + position in fidx``, and their constructions, numbered in *kinds*, in its last fields); and the pure
    vertices as (``point * cells + cell``, polytope ids), the cell the vertex's flat index in the payoff table.
    *major*: the payoffs cell-major."""
    F = len(fidx)
    shape = major[0].shape[:-1]
    mixers = [k for k, sk in enumerate(supports) if len(sk) > 1]
    nothing = np.zeros(F, dtype=bool)
    whole = F == major[0].shape[-1]                  # every point (fidx is ascending and unique): no gather
    s_sub = s if whole else s[fidx]
    if len(mixers) == 2:
        left_out = _nonlinear_pair(major if whole else [np.take(a, fidx, axis=-1) for a in major], supports, s_sub)
        return left_out, left_out, None, None
    if len(mixers) != 1 or len(supports[mixers[0]]) > 3:
        return nothing, nothing, None, None
    m, S = mixers[0], list(supports[mixers[0]])
    major = major if whole else [np.take(a, fidx, axis=-1) for a in major]
    unsure, corners, vertices = _one_mixer_polytope(major, supports, s_sub)
    done = ~unsure
    poly = poly0 + np.arange(F, dtype=np.int64)
    o = [sk[0] for sk in supports]
    cm = [np.flatnonzero(c & done) for c in corners]
    C = int(np.prod(shape))
    cells = [int(np.ravel_multi_index(tuple(S[a] if q == m else o[q] for q in range(len(o))), shape))
             for a in range(len(S))]
    members = (np.concatenate([fidx[t] * C + c for t, c in zip(cm, cells)]), np.concatenate([poly[t] for t in cm]))
    take = [np.flatnonzero(ok & done) for ok, _, _ in vertices]
    at = np.concatenate(take)
    kind = np.concatenate([np.full(len(t), kinds.setdefault((m, tuple(o[:m] + o[m + 1:]), tag), len(kinds)))
                           for t, (_, _, tag) in zip(take, vertices)])
    sigma = _pure_sigma(shape, supports, len(at))
    sigma[m][:, S[0]] = 0.0
    sigma[m][:, S] = np.concatenate([np.stack([x[t] for x in w], axis=1) for t, (_, w, _) in zip(take, vertices)])
    payoffs, regret = np.empty((len(at), len(shape))), np.zeros(len(at))
    for i in range(len(shape)):
        vals = _action_values(major, sigma, i, supports, at)
        payoffs[:, i] = _fold(np.add, vals * sigma[i])
        regret = np.maximum(regret, _fold(np.maximum, vals) - payoffs[:, i])
    bad = regret > _GAIN_BAND * s_sub[at]           # the best-response certificate (a vertex has regret 0)
    done[at[bad]] = False
    keep = np.flatnonzero(done[at])
    at = at[keep]
    rows = (fidx[at], _at(np.concatenate(sigma, axis=1), keep), _at(payoffs, keep), regret[keep], -1, poly[at],
            kind[keep])
    return done, nothing, rows, members


def _verdict(major: list[np.ndarray], supports: tuple, cand: tuple, s: np.ndarray,
             tol: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(equilibrium, unsure, payoffs (points, N), regret) per point for a mixed candidate profile: positive on
    the support, indifferent on it, and no action outside it gaining more than *tol* (the scalar solver's tests;
    a gain exactly zero -- every payoff difference against the others' supports zero -- is decided exactly).
    *cand*: the profile (N arrays) and the points where a support probability is known to be exactly zero.
    *major*: the payoffs cell-major."""
    sigma, zero = cand
    P = major[0].shape[-1]
    gain_band = _GAIN_BAND * s
    rejected = zero.copy()
    unsure = np.zeros(P, dtype=bool)
    payoffs, regret = np.empty((P, len(major))), np.zeros(P)
    for i, sk in enumerate(supports):
        probs = sigma[i][:, list(sk)]
        rejected |= _fold(np.logical_or, probs < -_PROB_BAND)
        unsure |= _fold(np.logical_or, np.abs(probs) <= _PROB_BAND) | ~_fold(np.logical_and, np.isfinite(probs))
        vals = _action_values(major, sigma, i, supports)
        payoffs[:, i] = _fold(np.add, vals * sigma[i])
        regret = np.maximum(regret, _fold(np.maximum, vals) - payoffs[:, i])
        base = vals[:, sk[0]]
        unsure |= _fold(np.logical_or, np.abs(vals[:, list(sk)] - base[:, None]) > gain_band[:, None])  # certificate
        others = list(itertools.product(*(supports[:i] + supports[i + 1:])))     # the others' support profiles
        for b in range(major[i].shape[i]):
            if b in sk:
                continue
            exact_zero = _all([major[i][o[:i] + (b,) + o[i:]] == major[i][o[:i] + (sk[0],) + o[i:]] for o in others])
            gain = vals[:, b] - base
            rejected |= ~exact_zero & (gain > tol + gain_band)
            unsure |= ~exact_zero & (gain > tol - gain_band) & (gain <= tol + gain_band)
    unsure &= ~rejected
    return ~rejected & ~unsure, unsure, payoffs, regret


def _pure_verdict(cells: list[np.ndarray], profile: tuple, s: np.ndarray,
                  tol: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """:func:`_verdict` for a pure profile, on cell-major payoffs (n_1, ..., n_N, points): each deviation gain
    is one difference of two payoffs (its sign exact, its comparison with ``tol > 0`` unsure within the band)."""
    P = cells[0].shape[-1]
    band = _VALUE_BAND * s
    rejected, unsure = np.zeros(P, dtype=bool), np.zeros(P, dtype=bool)
    payoffs, regret = np.empty((P, len(cells))), np.zeros(P)
    for i, u in enumerate(cells):
        here = u[profile]
        payoffs[:, i] = here
        for b in range(u.shape[i]):
            if b != profile[i]:
                gain = u[profile[:i] + (b,) + profile[i + 1:]] - here
                rejected |= gain > tol + band
                unsure |= (gain != 0) & (gain > tol - band) & (gain <= tol + band)
                regret = np.maximum(regret, gain)
    return ~rejected & ~unsure, unsure & ~rejected, payoffs, regret


def _order(point: np.ndarray, flat: np.ndarray, rows: np.ndarray,
           mixed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The permutation putting rows by point, then by the flattened probabilities descending (the scalar order),
    and the points where two equilibria are too close (every coordinate within 1e-9, or one differing by less)
    for float rounding to be trusted with their order.

    Rows come support by support, ascending by point within each; pure profiles come in ascending profile order,
    which is the scalar order among them, so a stable sort by point orders every point without a mixed row
    (*mixed*). The others are sorted by a proxy key (the probabilities weighted by 16^-k) and the order checked
    pair by adjacent pair (a sequence is sorted iff every adjacent pair is, and an adjacent pair whose first
    differing coordinates differ by more than 1e-9 keeps its order under float rounding); the points where the
    proxy erred are ranked by pairwise comparison (:func:`_rank_pairwise`). The rows' probabilities are
    ``flat[rows]`` (gathered only where needed)."""
    by_point = _stable_order(point)
    point = point[by_point]
    has_mixed = np.zeros(int(point[-1]) + 1 if len(point) else 0, dtype=bool)
    has_mixed[point[mixed[by_point]]] = True
    J = np.flatnonzero(has_mixed[point])                          # rows of points with a mixed row
    if not len(J):
        return by_point, np.zeros(0, dtype=np.int64)
    sp, sf = point[J], _at(flat, rows[by_point[J]])
    proxy = sf @ (16.0 ** -np.arange(sf.shape[1]))
    within = np.argsort(-proxy, kind="stable")                    # np.lexsort((-proxy, sp)), in two stable sorts
    within = within[_stable_order(sp[within])]
    sf = _at(sf, within)
    x, y = sf[:-1], sf[1:]
    pair = sp[1:] == sp[:-1]
    first = np.argmax(x != y, axis=1)
    cut = np.arange(len(first)) * sf.shape[1] + first             # x[r, first[r]] in sf flattened
    wrong = pair & ~(np.take(sf, cut) > np.take(sf, cut + sf.shape[1]))
    gap = np.subtract(x, y)
    np.abs(gap, out=gap)
    near = gap <= 1e-9
    close = pair & (_fold(np.logical_and, near) | _fold(np.logical_or, (gap > 0) & near))
    bad = np.unique(sp[1:][wrong])
    close_points = np.unique(sp[1:][close & ~np.isin(sp[1:], bad)])
    order = by_point.copy()
    order[J] = by_point[J[within]]
    if len(bad):
        K = J[np.isin(sp, bad)]                                     # rows (in by_point order) of those points
        rank, near = _rank_pairwise(point[K], _at(flat, rows[by_point[K]]))
        again = np.empty(len(K), dtype=np.int64)
        again[np.searchsorted(point[K], point[K]) + rank] = K
        order[K] = by_point[again]
        close_points = np.union1d(close_points, np.unique(point[K][near]))
    return order, close_points


def _at(x: np.ndarray, index: np.ndarray) -> np.ndarray:
    """``x[index]`` for an integer *index* along the first axis: ``np.take`` gathers rows of a 2-D array several
    times faster than indexing does."""
    return np.take(x, index, axis=0)


def _stable_order(keys: np.ndarray) -> np.ndarray:
    """``np.argsort(keys, kind="stable")`` for nonnegative integer keys, in the narrowest integer type that holds
    them (numpy sorts 16-bit integers by radix, several times faster than 64-bit ones)."""
    if len(keys) and int(keys.max()) < 2**16:
        keys = keys.astype(np.uint16)
    return np.argsort(keys, kind="stable")


def _rank_pairwise(sp: np.ndarray, sf: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each row's rank within its point (rows sorted by point) by comparing every pair of the point's rows, and
    the rows too close to another for their order to be trusted."""
    rank = np.zeros(len(sp), dtype=np.int64)
    close = np.zeros(len(sp), dtype=bool)
    k = 1
    while k < len(sp) and (sp[k:] == sp[:-k]).any():
        same = np.flatnonzero(sp[k:] == sp[:-k])
        x, y = _at(sf, same), _at(sf, same + k)                         # row r and row r + k of the same point
        first = np.argmax(x != y, axis=1)
        y_first = y[np.arange(len(same)), first] > x[np.arange(len(same)), first]
        rank[same] += y_first                                   # y goes first (descending); indices unique
        rank[same + k] += ~y_first
        gap = np.abs(x - y)
        close[same] |= _fold(np.logical_and, gap <= 1e-9) | _fold(np.logical_or, (gap > 0) & (gap <= 1e-9))
        k += 1
    return rank, close


def batched_nash(payoffs: tuple[Any, ...], *, tol: float = 1e-9) -> BatchedNash:
    """Nash equilibria of ``points`` small N-player games by support enumeration in closed form over arrays.

    Every support profile is visited as the scalar
    :func:`~gametheory_ukraine.solvers.n_player.support_enumeration` visits it (the same conditional dominance
    pruning, the same variables), but its indifference system is solved for all points at once where it has a
    closed form: a pure profile; one mixer (its conditions are constants: none or a continuum); two mixers (each
    one's conditions are linear in the other's probabilities); three mixers of two actions each, or of two, two
    and three actions (one quadratic in one probability, the rest linear). Each candidate is certified by a
    best-response check over all players (positive on its support, indifferent there, no outside action gaining
    more than *tol*).

    A continuum of solutions is resolved as the scalar solver resolves it where it has a closed form: when one
    player mixes over 2 or 3 actions and the others play pure, the profiles at which every support action is a
    best response form a segment or polygon in the mixer's simplex, cut out by the others' gains (linear in the
    mixture); its vertices (feasible corners, edge crossings ``t = G[a] / (G[a] - G[b])``, and crossings of two
    gains inside a triangle) are listed as equilibria, each certified by its regret, and the rows sharing a
    polytope form one component (``component``). When two players mix, the others are pure and both mixers'
    conditions vanish, a pure player's gain is bilinear in the two mixtures: where its product term is clearly
    nonzero the scalar solver leaves the support out with a note, and so does this (``complete`` False).

    A point is left *uncertified* -- for the exact path -- when any support profile it does not prune is
    near-degenerate there (a pivot, resultant or discriminant within its band of zero, a probability or gain within
    its band of the threshold, a vertex within its band of another constraint), has no closed form here (three
    mixers of which two have three actions, four or more mixers, a continuum with two mixers whose conditions are
    linear, or with one mixer of four or more actions), or when two equilibria are too close to order. Nothing is
    dropped: an uncertified point has no rows.

    Parameters
    ----------
    payoffs : tuple of N array_like, each of shape (points, n_1, ..., n_N)
        Finite float payoffs, at most :data:`MAX_CELLS` cells.
    tol : float, default 1e-9
        The scalar solver's float tolerance (absolute, as there).

    Returns
    -------
    BatchedNash

    References
    ----------
    McKelvey and McLennan 1996 (module references).

    .. [PNS08] R. Porter, E. Nudelman and Y. Shoham, "Simple search methods for finding a Nash equilibrium",
       *Games and Economic Behavior* 63(2):642-662, 2008.

    Examples
    --------
    Three players who each get 1 when all match: where two players play different pure actions the third is
    indifferent (a continuum of solutions of its conditions), but the two who differ are not best responding, so
    the polytope is empty; the equilibria are (0, 0, 0), the fully mixed (1/2, 1/2, 1/2) and (1, 1, 1):

    >>> import numpy as np
    >>> same = np.zeros((1, 2, 2, 2))
    >>> same[0, 0, 0, 0] = same[0, 1, 1, 1] = 1
    >>> res = batched_nash((same, same, same))
    >>> bool(res.certified[0]), res.counts.tolist(), res.strategies[0][:, 0].tolist()
    (True, [3], [1.0, 0.5, 0.0])

    Player 3 indifferent at the pure profile (0, 0) of players 1 and 2, who keep it while player 3's first action
    has probability between 1/3 (player 1's gain ``3r - 1``) and 3/4 (player 2's gain ``3 - 4r``): a segment of
    equilibria, listed by its end points in one component, then the pure equilibrium (1, 1, 1):

    >>> u = [np.zeros((1, 2, 2, 2)) for _ in range(3)]
    >>> u[0][0, 0, 0] = [2, -1]; u[0][0, 0, 1] = -5; u[1][0, 0, 0] = [-1, 3]; u[1][0, 1, 0] = -5
    >>> u[2][0, :, :, 0] = -1; u[2][0, 0, 0, 0] = 0
    >>> res = batched_nash(tuple(u))
    >>> res.strategies[2].round(4).tolist(), res.component.tolist()
    ([[0.75, 0.25], [0.3333, 0.6667], [0.0, 1.0]], [0, 0, 1])

    A game with a unique pure equilibrium (each player gets 1 for action 0 whatever the others do):

    >>> first = np.zeros((1, 2, 2, 2))
    >>> first[0, 0] = 1
    >>> res = batched_nash((first, np.moveaxis(first, 1, 2), np.moveaxis(first, 1, 3)))
    >>> bool(res.certified[0]), bool(res.complete[0]), [s[:, 0].tolist() for s in res.strategies]
    (True, True, [[1.0], [1.0], [1.0]])
    """
    arrays = [np.asarray(u, dtype=float) for u in payoffs]
    N = len(arrays)
    if N < 2 or any(a.shape != arrays[0].shape for a in arrays) or arrays[0].ndim != N + 1:
        raise ValueError(f"batched_nash: need N >= 2 arrays of one shape (points, n_1, ..., n_N); got "
                         f"{[a.shape for a in arrays]}")
    shape = arrays[0].shape[1:]
    if int(np.prod(shape)) > MAX_CELLS:
        raise ValueError(f"batched_nash: a {' x '.join(map(str, shape))} game has more than {MAX_CELLS} cells; "
                         "solve it with solvers.n_player.support_enumeration")
    if not all(np.isfinite(a).all() for a in arrays):
        raise ValueError("batched_nash: payoffs must be finite; check the game at the offending points")
    P = arrays[0].shape[0]
    s = np.maximum(1.0, np.max([_fold(np.maximum, np.abs(a)) for a in arrays], axis=0)) if P else np.ones(0)
    certified, complete = np.ones(P, dtype=bool), np.ones(P, dtype=bool)
    cells = [np.ascontiguousarray(np.moveaxis(a, 0, -1)) for a in arrays]  # cell-major: a cell is one vector
    pruned, doubtful = _dominance(cells, tol, _VALUE_BAND * s)
    everywhere = pruned.all(axis=1)                                # pruned at every point: nothing to do
    rows: list[tuple] = []
    members: list[tuple] = []
    polys, kinds = 0, {}
    for k, supports in enumerate(itertools.product(*(_subsets(n) for n in shape))):
        if everywhere[k]:
            continue
        dominated, unsure = pruned[k], doubtful[k]
        certified &= ~unsure
        live = certified & ~dominated
        if all(len(sk) == 1 for sk in supports):
            good, doubt, pay, reg = _pure_verdict(cells, tuple(sk[0] for sk in supports), s, tol)
            certified &= ~(live & doubt)
            take = np.flatnonzero(live & good)
            rows.append((take, np.broadcast_to(_one_hot(shape, supports), (len(take), sum(shape))), _at(pay, take),
                         reg[take], int(np.ravel_multi_index(tuple(sk[0] for sk in supports), shape))))
            continue
        idx = np.flatnonzero(live)                                  # the points where this support is live
        if not len(idx):
            continue
        if 2 * len(idx) > P:  # most points: solve at all of them (no gather) and void the others
            idx, major, s_sub = np.arange(P), cells, s
            status, cands = _candidates(major, supports, s_sub)
            status = np.where(live, status, _NONE)
        else:
            major, s_sub = [np.take(a, idx, axis=-1) for a in cells], s[idx]
            status, cands = _candidates(major, supports, s_sub)
        fidx = idx[status == _FREE]
        if len(fidx):  # a continuum of solutions: a polytope's vertices, a support left out, or the exact path
            done, left_out, vrows, vmembers = _continuum(cells, supports, fidx, s, polys, kinds)
            polys += len(fidx)
            certified[fidx[~done]] = False
            complete[fidx[left_out]] = False
            if vrows is not None:
                rows.append(vrows)
                members.append(vmembers)
        certified[idx[status == _UNSURE]] = False
        for cand in cands:
            sigma = cand[0]
            good, doubt, pay, reg = _verdict(major, supports, cand, s_sub, tol)
            ok = status == _UNIQUE
            certified[idx[ok & doubt]] = False
            take = np.flatnonzero(ok & good)
            rows.append((idx[take], np.concatenate([_at(x, take) for x in sigma], axis=1), _at(pay, take), reg[take],
                         -1))
    return _assemble(shape, P, certified, complete, rows, members)


def _one_hot(shape: tuple, supports: tuple) -> np.ndarray:
    """(1, n_1 + ... + n_N): the pure profile of the supports' first actions, its strategies side by side."""
    out, start = np.zeros((1, sum(shape))), 0
    for n, sk in zip(shape, supports):
        out[0, start + sk[0]] = 1.0
        start += n
    return out


def _assemble(shape: tuple, P: int, certified: np.ndarray, complete: np.ndarray, rows: list[tuple],
              members: list[tuple]) -> BatchedNash:
    """Rows of the certified points in the scalar order, with their components.

    A vertex of several polytopes (or a pure equilibrium that is also a vertex) is listed once, as the scalar
    solver's exact de-duplication does: mixed vertices are merged when they are made the same way (the same
    construction from the same payoff differences gives the same floats; two constructions that meet exactly are
    within the band of each other's constraint, and a pair merely close is left to the exact path by
    :func:`_order`), and a pure vertex is the pure equilibrium's row (every pure vertex is one: its gains are at
    most 0). Components: the rows joined through the polytopes, numbered by first appearance."""
    N = len(shape)
    point = np.concatenate([r[0] for r in rows] + [np.zeros(0, dtype=np.int64)]).astype(np.int64)
    payoffs = np.concatenate([r[2] for r in rows] + [np.zeros((0, N))])
    regret = np.concatenate([r[3] for r in rows] + [np.zeros(0)])
    pure_cell = np.concatenate([np.full(len(r[0]), r[4], dtype=np.int64) for r in rows] + [np.zeros(0, np.int64)])
    pure = pure_cell >= 0
    poly = np.concatenate([r[5] if len(r) > 5 else np.full(len(r[0]), -1, dtype=np.int64) for r in rows]
                          + [np.zeros(0, dtype=np.int64)])
    flat = np.concatenate([r[1] for r in rows] + [np.zeros((0, sum(shape)))])  # every strategy, side by side
    certified = certified.copy()
    # membership of rows in polytopes: (row, polytope id)
    m_row, m_poly = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    vert = np.flatnonzero(poly >= 0)
    keep = np.ones(len(point), dtype=bool)
    if len(vert):
        kind = np.concatenate([r[6] for r in rows if len(r) > 6])
        _, first, inverse = np.unique(point[vert] * (int(kind.max()) + 1) + kind, return_index=True,
                                      return_inverse=True)
        canon = vert[first][inverse.ravel()]
        keep[vert] = False
        keep[vert[first]] = True
        m_row, m_poly = canon, poly[vert]
    if members:
        mkey = np.concatenate([m[0] for m in members]).astype(np.int64, copy=False)     # point * C + cell
        mpoly = np.concatenate([m[1] for m in members]).astype(np.int64, copy=False)
        prow = np.flatnonzero(pure)
        C = int(np.prod(shape))
        table = np.full(P * C, -1, dtype=np.int64)                  # the pure row of each (point, profile)
        table[point[prow] * C + pure_cell[prow]] = prow
        at = np.take(table, mkey)
        found = at >= 0
        if not found.all():  # a pure vertex without its pure row: leave the point to the exact path
            certified[mkey[~found] // C] = False
            at, mpoly = at[found], mpoly[found]
        m_row = np.concatenate([m_row, at])
        m_poly = np.concatenate([m_poly, mpoly])
    kept = np.flatnonzero(keep)
    order, close = _order(point[kept], flat, kept, ~pure[kept])
    order = kept[order]
    certified[close] = False
    order = order[certified[point[order]]]
    point = point[order]
    counts = np.bincount(point, minlength=P).astype(np.int64)
    component = _components(point, order, m_row, m_poly, len(poly))
    flat = _at(flat, order)
    ends = np.cumsum(shape)
    strategies = tuple(flat[:, e - n:e] for n, e in zip(shape, ends))     # views: copying columns costs more
    return BatchedNash(certified, complete & certified, counts, point, strategies, _at(payoffs, order),
                       np.maximum(regret[order], 0.0), component)


def _first_rows(point: np.ndarray) -> np.ndarray:
    """Each row's first row of its point, *point* sorted: ``np.searchsorted(point, point)`` by counting."""
    counts = np.bincount(point)
    return (np.cumsum(counts) - counts)[point]


def _components(point: np.ndarray, order: np.ndarray, m_row: np.ndarray, m_poly: np.ndarray,
                n_rows: int) -> np.ndarray:
    """Component of each final row (*point* sorted, *order* the rows' original indices): rows sharing a polytope
    are joined (the connected components of the graph of all rows and polytopes, each row linked to its
    polytopes; rows left out are whole points, or duplicates that no polytope lists, so they join no kept rows),
    and components are numbered within each point by their first row, as the scalar solver numbers them."""
    R = len(point)
    if not len(m_row):
        return np.arange(R, dtype=np.int64) - _first_rows(point)
    n = n_rows + int(m_poly.max()) + 1                       # nodes: the rows, then the polytopes
    graph = csr_matrix((np.ones(len(m_row), dtype=np.int8), (m_row, n_rows + m_poly)), shape=(n, n))
    _, label = connected_components(graph, directed=True, connection="weak")
    label = label[order]
    first = np.full(int(label.max()) + 1 if R else 0, R, dtype=np.int64)
    np.minimum.at(first, label, np.arange(R, dtype=np.int64))
    root = first[label]                                      # each row's component by its first row
    is_root = root == np.arange(R)
    count = np.cumsum(is_root) - 1                           # roots before and at each row, overall
    start = _first_rows(point)                               # each point's first row
    return (count[root] - count[start]).astype(np.int64)
