"""All equilibria of many small bimatrix games at once: batched support enumeration with an exact fallback.

:func:`batched_equilibria` takes payoff arrays ``A, B`` of shape ``(points, m, n)`` and returns, for every
point, the same equilibria as the exact scalar solver
:func:`gametheory_ukraine.solvers.two_player.extreme_equilibria` (``exact=True``), in the same order.

Method
------
*Support enumeration* over pairs of supports of equal size ``k`` (Porter, Nudelman & Shoham 2008; [vS07]_
section 3.4): for a row support ``S`` and a column support ``T`` with ``|S| = |T| = k`` the candidate ``y``
makes every row of ``S`` indifferent (``A[S, T] y_T = u 1``, ``sum y_T = 1``) and ``x`` makes every column of
``T`` indifferent; the pair is an equilibrium iff both are probability vectors and no pure strategy outside the
supports does better. The ``k x k`` systems of all points and all support pairs of one size are solved at once,
with the adjugate written out for ``k <= 3`` (``y_T`` is proportional to ``adj(A[S, T]) 1``) and a stacked
``np.linalg.solve`` above that. ``k = 1`` is the vectorised pure best-response check; for 2 x 2 games the whole
computation is the textbook closed form.

For a *nondegenerate* game (no mixed strategy with support size ``k`` has more than ``k`` pure best
responses) every equilibrium has supports of equal size, each support pair carries at most one, and the
equilibria are exactly the extreme equilibria ([vS07]_ theorem 3.4 and section 3.4): so support enumeration
is complete and agrees with vertex enumeration. Every point that is, or may be, *degenerate* is flagged and
re-solved on the exact scalar path. A point is flagged if (conservatively, in payoffs normalised as in the
scalar solver, ``1 + (M - min M) / max|M|``, so that ``tol`` is relative to the largest payoff):

1. *degeneracy certificate*: for some row set ``S`` (``|S| = k``) and column set ``T`` (``|T| = k + 1``) the
   ``k x k`` matrix of differences ``B[S, t_j] - B[S, t_0]`` (``j = 1..k``) has ``|det| <= tol``; likewise for
   ``A`` with the roles of rows and columns swapped. A degenerate ``x`` with support ``S`` and ``k + 1`` best
   responses ``T`` solves ``x_S . (B[S, t_j] - B[S, t_0]) = 0``, so that determinant is exactly 0; hence an
   unflagged point is nondegenerate. For ``k = 1`` this is a tie between two payoffs in a row of ``B`` (a
   column of ``A``);
2. some ``A[S, T]`` or ``B[S, T]`` with ``|S| = |T|`` is near-singular (``|det| <= tol``);
3. some candidate is neither clearly an equilibrium nor clearly not one: a probability or a best-response gap
   lies within ``tol`` of 0;
4. the number of equilibria found is even (a nondegenerate game has an odd number, [vS07]_ corollary 3.7).

Flagged points are solved by ``extreme_equilibria(A_i, B_i, exact=True)`` on exact payoffs: by default the
float entries read as the decimals they print as (:func:`~gametheory_ukraine.core.numbers.to_exact`), or the exact
payoffs given by the ``exact_payoffs`` callback (e.g. a model's game at exact parameter values, so that a
threshold such as ``rho = 1/27`` in ``territory``, a near-tie in floats, is solved as the exact tie it is).

References
----------
.. [PNS08] R. Porter, E. Nudelman and Y. Shoham (2008), "Simple search methods for finding a Nash
   equilibrium", *Games and Economic Behavior* 63:642-662, doi:10.1016/j.geb.2006.03.015.
.. [vS07] B. von Stengel (2007), "Equilibrium computation for two-player games in strategic and extensive
   form", ch. 3 of *Algorithmic Game Theory* (Nisan, Roughgarden, Tardos, Vazirani, eds.), Cambridge
   University Press.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from itertools import combinations
from typing import Any

import numpy as np

from ..core.numbers import to_exact
from ..solvers.two_player import extreme_equilibria

__all__ = ["BatchedBimatrix", "batched_equilibria", "exact_matrix", "bilinear"]

# Points solved together: bounds the temporary arrays (~ chunk * candidates * (m + n) floats). The closed
# 2 x 2 form is fastest on long vectors; the general path on chunks that stay in cache.
_CHUNK_2X2 = 65536
_CHUNK = 4096


@dataclass(frozen=True)
class BatchedBimatrix:
    """The extreme equilibria of ``points`` bimatrix games, in one flat table.

    Equilibria of point ``p`` are rows ``offsets[p]:offsets[p + 1]``, in the scalar solver's order
    (lexicographically descending in ``x + y``).

    Attributes
    ----------
    counts : ndarray of int64, shape (points,)
        Number of extreme equilibria of each point.
    offsets : ndarray of int64, shape (points + 1,)
        ``offsets[p]`` is the first row of point ``p``; ``offsets[-1] == total``.
    point : ndarray of int64, shape (total,)
        The point of each equilibrium.
    x : ndarray of float64, shape (total, m)
        Row player's mixed strategy.
    y : ndarray of float64, shape (total, n)
        Column player's mixed strategy.
    payoffs : ndarray of float64, shape (total, 2)
        Expected payoffs ``(x A y, x B y)`` in the input's units.
    components : ndarray of int64, shape (total,)
        Connected component of each equilibrium within its point, as in
        :class:`~gametheory_ukraine.solvers.two_player.BimatrixSolution` (isolated equilibria of an unflagged
        point are components 0, 1, ...).
    flagged : ndarray of bool, shape (points,)
        Points that were (possibly) degenerate and re-solved on the exact scalar path.
    degenerate : ndarray of bool, shape (points,)
        The scalar solver's degeneracy flag for flagged points; False for the others (unflagged points are
        nondegenerate).
    regret : ndarray of float64, shape (total,), optional
        The certificate's regret of each equilibrium (the larger best-response gain of the two players), 0 for
        rows solved exactly; None if the engine does not give it.
    pattern : ndarray of int64, shape (total,), optional
        Rows with the same pattern have the same supports (the same equilibrium of one combinatorial type); -1
        for rows solved exactly. None if the engine does not give it.
    pattern_rows : ndarray of int64, shape (patterns,), optional
        One row of each pattern.
    index : ndarray of int64, shape (total,), optional
        Each equilibrium's number within its point (0, 1, ...). None if the engine does not give it.
    """

    counts: np.ndarray
    offsets: np.ndarray
    point: np.ndarray
    x: np.ndarray
    y: np.ndarray
    payoffs: np.ndarray
    components: np.ndarray
    flagged: np.ndarray
    degenerate: np.ndarray
    regret: np.ndarray | None = None
    pattern: np.ndarray | None = None
    pattern_rows: np.ndarray | None = None
    index: np.ndarray | None = None

    @property
    def n_points(self) -> int:
        return len(self.counts)

    def equilibria(self, p: int) -> list[tuple[tuple[float, ...], tuple[float, ...]]]:
        """The equilibria of point ``p`` as a list of ``(x, y)`` tuples of floats."""
        lo, hi = int(self.offsets[p]), int(self.offsets[p + 1])
        return [(tuple(self.x[r].tolist()), tuple(self.y[r].tolist())) for r in range(lo, hi)]


# ------------------------------------------------------------------------------------ small linear algebra
# Layout: the points are the LAST axis everywhere, so that every operation is a vector operation over points
# and reductions over the small axes are sums of contiguous slices.
def _det_adj(M: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
    """Determinant and adjugate of stacked ``k x k`` matrices, shape (..., k, k, points), written out for k <= 3.

    For k >= 4 the adjugate is None (callers use ``np.linalg``).
    """
    k = M.shape[-2]
    if k == 1:
        return M[..., 0, 0, :], np.ones_like(M)
    if k == 2:
        a, b, c, d = M[..., 0, 0, :], M[..., 0, 1, :], M[..., 1, 0, :], M[..., 1, 1, :]
        adj = np.stack([np.stack([d, -b], -2), np.stack([-c, a], -2)], -3)
        return a * d - b * c, adj
    if k == 3:
        e = [[M[..., i, j, :] for j in range(3)] for i in range(3)]
        cof = [[e[(i + 1) % 3][(j + 1) % 3] * e[(i + 2) % 3][(j + 2) % 3]
                - e[(i + 1) % 3][(j + 2) % 3] * e[(i + 2) % 3][(j + 1) % 3] for j in range(3)] for i in range(3)]
        det = e[0][0] * cof[0][0] + e[0][1] * cof[0][1] + e[0][2] * cof[0][2]
        adj = np.stack([np.stack([cof[j][i] for j in range(3)], -2) for i in range(3)], -3)  # transposed
        return det, adj
    return np.linalg.det(np.moveaxis(M, -1, -3)), None


def _solve_ones(M: np.ndarray, tol: float) -> tuple[np.ndarray, np.ndarray]:
    """``w = M^{-1} 1`` for stacked matrices M (..., k, k, points); w (..., k, points) and the near-singular mask.

    Near-singular matrices (``|det| <= tol``) get ``w = nan`` (their points are flagged).
    """
    k = M.shape[-2]
    det, adj = _det_adj(M)
    singular = np.abs(det) <= tol
    if adj is not None:
        with np.errstate(divide="ignore", invalid="ignore"):
            w = adj.sum(-2) / det[..., None, :]
    else:
        Mp = np.moveaxis(M, -1, -3)  # (..., points, k, k)
        safe = np.where(singular[..., None, None], np.eye(k), Mp)
        w = np.moveaxis(np.linalg.solve(safe, np.ones(Mp.shape[:-1] + (1,)))[..., 0], -2, -1)
    w = np.where(singular[..., None, :], np.nan, w)
    return w, singular


# ------------------------------------------------------------------------------------ one chunk
def _normalise(M: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per point ``1 + (M - low) / scale`` with ``low = min M``, ``scale = max|M|`` (entries in [1, 3]), as the
    scalar solver does; M (m, n, points). Returns the normalised M, low and scale (both (points,))."""
    low = M.min(axis=(0, 1))
    scale = np.abs(M).max(axis=(0, 1))
    scale = np.where(scale > 0, scale, 1.0)
    return 1.0 + (M - low) / scale, low, scale


def _degeneracy_certificate(C: np.ndarray, tol: float) -> np.ndarray:
    """Points where some ``x`` over rows of ``C`` (r, c, points) may have more best responses than its support.

    For each row set S (|S| = k) and column set T = (t_0..t_k): |det(C[S, t_j] - C[S, t_0])| <= tol.
    """
    r, c, P = C.shape
    flag = np.zeros(P, dtype=bool)
    for k in range(1, min(r, c - 1) + 1):
        S = np.array(list(combinations(range(r), k)))        # (nS, k)
        T = np.array(list(combinations(range(c), k + 1)))    # (nT, k + 1)
        sub = C[S[:, None, :, None], T[None, :, None, :]]    # (nS, nT, k, k + 1, P)
        D = sub[..., 1:, :] - sub[..., :1, :]                 # rows: S, columns: t_j - t_0
        flag |= (np.abs(_det_adj(D)[0]) <= tol).reshape(-1, P).any(axis=0)
    return flag


def _chunk(A: np.ndarray, B: np.ndarray, tol: float):
    """Support enumeration on one chunk, A and B of shape (m, n, points).

    Returns (point, x, y, payoffs, flagged): the valid candidates (unsorted), their payoffs in the input's
    units, and the flags.
    """
    m, n, P = A.shape
    (Ap, low_a, scale_a), (Bp, low_b, scale_b) = _normalise(A), _normalise(B)
    flagged = _degeneracy_certificate(Bp, tol) | _degeneracy_certificate(Ap.transpose(1, 0, 2), tol)
    pts, xs, ys, pays = [], [], [], []
    for k in range(1, min(m, n) + 1):
        S = np.array(list(combinations(range(m), k)))  # (nS, k)
        T = np.array(list(combinations(range(n), k)))  # (nT, k)
        nS, nT = len(S), len(T)
        rows, cols = S[:, None, :, None], T[None, :, None, :]
        # y_T makes the rows S indifferent: A[S, T] w = 1, y = w / sum w. x_S: B[S, T]^T w = 1.
        wy, sing_a = _solve_ones(Ap[rows, cols], tol)                            # (nS, nT, k, P)
        wx, sing_b = _solve_ones(np.swapaxes(Bp[rows, cols], 2, 3), tol)        # (nS, nT, k, P)
        flagged |= (sing_a | sing_b).reshape(-1, P).any(axis=0)
        with np.errstate(divide="ignore", invalid="ignore"):
            yT = wy / wy.sum(-2, keepdims=True)
            xS = wx / wx.sum(-2, keepdims=True)
            low = np.minimum(yT.min(-2), xS.min(-2))                             # (nS, nT, P)
            gap = np.full((nS, nT, P), -np.inf)
            if k < m:  # rows outside S must not beat the value u of the rows in S
                Ay = (Ap[:, T].transpose(1, 0, 2, 3)[None] * yT[:, :, None]).sum(-2)  # (nS, nT, m, P)
                u = Ay[np.arange(nS)[:, None], np.arange(nT)[None, :], S[:, :1]]    # (nS, nT, P)
                out = np.ones((nS, m), dtype=bool)
                out[np.arange(nS)[:, None], S] = False
                gap = np.maximum(gap, np.where(out[:, None, :, None], Ay - u[:, :, None], -np.inf).max(2))
            if k < n:
                xB = (Bp[S][:, None] * xS[..., None, :]).sum(2)                       # (nS, nT, n, P)
                v = xB[np.arange(nS)[:, None], np.arange(nT)[None, :], T[None, :, 0]]  # (nS, nT, P)
                out = np.ones((nT, n), dtype=bool)
                out[np.arange(nT)[:, None], T] = False
                gap = np.maximum(gap, np.where(out[None, :, :, None], xB - v[:, :, None], -np.inf).max(2))
            valid = (low > tol) & (gap < -tol)
            invalid = (low < -tol) | (gap > tol)
        flagged |= (~(valid | invalid)).reshape(-1, P).any(axis=0)  # ambiguous, or nan (singular)
        s_idx, t_idx, p_idx = np.nonzero(valid)
        E = len(p_idx)
        x = np.zeros((E, m))
        x[np.arange(E)[:, None], S[s_idx]] = xS[s_idx, t_idx, :, p_idx]
        y = np.zeros((E, n))
        y[np.arange(E)[:, None], T[t_idx]] = yT[s_idx, t_idx, :, p_idx]
        # Values: A' y = 1 / sum w on S (normalised units), mapped back with A = (A' - 1) scale + low.
        u = 1.0 / wy[s_idx, t_idx, :, p_idx].sum(-1)
        v = 1.0 / wx[s_idx, t_idx, :, p_idx].sum(-1)
        pays.append(np.stack([(u - 1.0) * scale_a[p_idx] + low_a[p_idx],
                              (v - 1.0) * scale_b[p_idx] + low_b[p_idx]], axis=1))
        pts.append(p_idx)
        xs.append(x)
        ys.append(y)
    point = np.concatenate(pts)
    counts = np.bincount(point, minlength=P)
    flagged |= counts % 2 == 0  # nondegenerate games have an odd number of equilibria
    return point, np.concatenate(xs), np.concatenate(ys), np.concatenate(pays), flagged


def _chunk_2x2(A: np.ndarray, B: np.ndarray, tol: float):
    """The same for 2 x 2 games (A, B of shape (2, 2, points)) in closed form, already in the scalar order.

    The candidates, in descending lexicographic order of ``x + y``: pure (1, 1), pure (1, 2), the mixed
    equilibrium, pure (2, 1), pure (2, 2). The flags are those of :func:`_chunk`.
    """
    (Ap, _, _), (Bp, _, _) = _normalise(A), _normalise(B)
    a, b, c, d = Ap[0, 0], Ap[0, 1], Ap[1, 0], Ap[1, 1]
    e, f, g, h = Bp[0, 0], Bp[0, 1], Bp[1, 0], Bp[1, 1]
    # Certificate (k = 1): ties in a column of A or a row of B. Singular 2 x 2 systems.
    flagged = ((np.abs(a - c) <= tol) | (np.abs(b - d) <= tol) | (np.abs(e - f) <= tol) | (np.abs(g - h) <= tol)
               | (np.abs(a * d - b * c) <= tol) | (np.abs(e * h - f * g) <= tol))
    with np.errstate(divide="ignore", invalid="ignore"):
        y0 = (d - b) / ((d - b) + (a - c))  # makes rows 1 and 2 indifferent
        x0 = (h - g) / ((h - g) + (e - f))  # makes columns 1 and 2 indifferent
        low = np.minimum(np.minimum(x0, 1.0 - x0), np.minimum(y0, 1.0 - y0))
        mixed = low > tol
        flagged |= ~(mixed | (low < -tol))  # ambiguous or nan
    valid = np.stack([(a > c) & (e > f), (b > d) & (f > e), mixed, (c > a) & (g > h), (d > b) & (h > g)], axis=1)
    counts = valid.sum(1)
    flagged |= counts % 2 == 0
    p_idx, slot = np.nonzero(valid)
    is_mixed = slot == 2
    row = np.where(slot < 2, 0, 1)
    col = np.where(slot % 2 == 0, 0, 1)  # slots 0, 3: column 1; slots 1, 4: column 2
    col = np.where(slot >= 3, slot - 3, col)
    x_first = np.where(is_mixed, x0[p_idx], (row == 0).astype(float))
    y_first = np.where(is_mixed, y0[p_idx], (col == 0).astype(float))
    x = np.stack([x_first, 1.0 - x_first], axis=1)
    y = np.stack([y_first, 1.0 - y_first], axis=1)
    Ae, Be = A[:, :, p_idx], B[:, :, p_idx]  # (2, 2, E) in the input's units
    pays = np.stack([np.einsum("ie,ije,je->e", x.T, Ae, y.T), np.einsum("ie,ije,je->e", x.T, Be, y.T)], axis=1)
    return p_idx, x, y, pays, flagged


# ------------------------------------------------------------------------------------ the solver
def batched_equilibria(A: Any, B: Any, *, tol: float = 1e-9,
                       exact_payoffs: Callable[[int], tuple[Any, Any]] | None = None,
                       chunk: int | None = None) -> BatchedBimatrix:
    """Every extreme Nash equilibrium of each of ``points`` bimatrix games, solved together.

    Parameters
    ----------
    A, B : array_like of float, shape (points, m, n)
        Payoffs of the row and the column player at every point (finite).
    tol : float, default 1e-9
        Relative to each player's largest absolute payoff at the point (payoffs are normalised to [1, 3]
        as in the scalar solver). Determinants, probabilities and best-response gaps within ``tol`` of 0
        flag the point for the exact path; see the module docstring for the four flags.
    exact_payoffs : callable, optional
        ``exact_payoffs(p) -> (A_p, B_p)``: exact payoff matrices (Fractions, ints, decimal strings) of
        point ``p``, used for flagged points. Default: the float entries read exactly with
        :func:`~gametheory_ukraine.core.numbers.to_exact` (the scalar solver's reading of floats).
    chunk : int, optional
        Points solved together (bounds temporary memory); default 65536 for 2 x 2 games, 4096 otherwise.

    Returns
    -------
    BatchedBimatrix
        Per point the scalar exact solver's extreme equilibria, in its order, as floats.

    Raises
    ------
    ValueError
        If the shapes are wrong or an entry is not finite.

    Examples
    --------
    Matching pennies, a coordination game and von Stengel's degenerate 3 x 2 game (solved exactly):

    >>> import numpy as np
    >>> A = np.array([[[1., -1.], [-1., 1.]], [[2., 0.], [0., 1.]]])
    >>> res = batched_equilibria(A, np.stack([-A[0], A[1]]))
    >>> res.counts.tolist(), res.flagged.tolist()
    ([1, 3], [False, False])
    >>> res.x.round(4).tolist()
    [[0.5, 0.5], [1.0, 0.0], [0.3333, 0.6667], [0.0, 1.0]]
    >>> res.payoffs[2].round(4).tolist()
    [0.6667, 0.6667]
    >>> vs = batched_equilibria([[[3, 3], [2, 5], [0, 6]]], [[[3, 3], [2, 6], [3, 1]]])
    >>> vs.counts.tolist(), vs.flagged.tolist(), vs.degenerate.tolist(), vs.components.tolist()
    ([3], [True], [True], [0, 0, 1])
    """
    A = np.asarray(A, dtype=float)
    B = np.asarray(B, dtype=float)
    if A.ndim != 3 or A.shape != B.shape or A.shape[1] < 1 or A.shape[2] < 1:
        raise ValueError(f"A and B must both have shape (points, m, n) with m, n >= 1; got {A.shape} and {B.shape}")
    if not (np.isfinite(A).all() and np.isfinite(B).all()):
        raise ValueError("payoffs must be finite")
    tol = float(tol)
    if not (tol >= 0 and np.isfinite(tol)):
        raise ValueError(f"tol must be a finite number >= 0, got {tol!r}")
    P, m, n = A.shape
    parts = []
    flagged = np.zeros(P, dtype=bool)
    closed_form = (m, n) == (2, 2)
    step = max(1, int(chunk if chunk is not None else (_CHUNK_2X2 if closed_form else _CHUNK)))
    for lo in range(0, P, step):
        hi = min(P, lo + step)
        At = np.ascontiguousarray(A[lo:hi].transpose(1, 2, 0))
        Bt = np.ascontiguousarray(B[lo:hi].transpose(1, 2, 0))
        pt, x, y, pay, fl = _chunk_2x2(At, Bt, tol) if closed_form else _chunk(At, Bt, tol)
        keep = ~fl[pt]
        parts.append((pt[keep] + lo, x[keep], y[keep], pay[keep]))
        flagged[lo:hi] = fl
    point = np.concatenate([q[0] for q in parts]) if parts else np.zeros(0, dtype=np.int64)
    x = np.concatenate([q[1] for q in parts]) if parts else np.zeros((0, m))
    y = np.concatenate([q[2] for q in parts]) if parts else np.zeros((0, n))
    payoffs = np.concatenate([q[3] for q in parts]) if parts else np.zeros((0, 2))
    if not closed_form:
        # Scalar order within a point: descending lexicographic in x + y at 1e-9 resolution (its float rule).
        z = np.round(np.concatenate([x, y], axis=1), 9)
        order = np.lexsort([-z[:, j] for j in range(m + n - 1, -1, -1)] + [point])
        point, x, y, payoffs = point[order], x[order], y[order], payoffs[order]
    counts = np.bincount(point, minlength=P).astype(np.int64)
    components = np.arange(len(point), dtype=np.int64) - np.repeat(np.cumsum(counts) - counts, counts)
    degenerate = np.zeros(P, dtype=bool)

    flagged_points = np.flatnonzero(flagged)
    if len(flagged_points):
        fb_point, fb_x, fb_y, fb_pay, fb_comp = [], [], [], [], []
        for p in flagged_points.tolist():
            Ae, Be = exact_payoffs(p) if exact_payoffs is not None else (A[p].tolist(), B[p].tolist())
            sol = extreme_equilibria(Ae, Be, exact=True)
            degenerate[p] = sol.degenerate
            Ex = exact_matrix(Ae)
            Ey = exact_matrix(Be)
            for (xe, ye), comp in zip(sol.equilibria, sol.components):
                fb_point.append(p)
                fb_x.append([float(v) for v in xe])
                fb_y.append([float(v) for v in ye])
                fb_pay.append([float(bilinear(xe, Ex, ye)), float(bilinear(xe, Ey, ye))])
                fb_comp.append(comp)
            counts[p] = len(sol.equilibria)
        point = np.concatenate([point, np.array(fb_point, dtype=np.int64)])
        x = np.concatenate([x, np.array(fb_x, dtype=float).reshape(-1, m)])
        y = np.concatenate([y, np.array(fb_y, dtype=float).reshape(-1, n)])
        payoffs = np.concatenate([payoffs, np.array(fb_pay, dtype=float).reshape(-1, 2)])
        components = np.concatenate([components, np.array(fb_comp, dtype=np.int64)])
        order = np.argsort(point, kind="stable")  # the two parts hold disjoint points
        point, x, y, payoffs, components = point[order], x[order], y[order], payoffs[order], components[order]
    offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    return BatchedBimatrix(counts=counts, offsets=offsets, point=point, x=x, y=y, payoffs=payoffs,
                           components=components, flagged=flagged, degenerate=degenerate)


def exact_matrix(M: Any) -> list[list[Fraction]]:
    """*M* (an array or nested lists of numbers) as nested lists of Fractions."""
    return [[to_exact(v) for v in row] for row in np.asarray(M, dtype=object).tolist()]


def bilinear(x, M, y) -> Fraction:
    """``x . M . y`` in exact arithmetic: a player's expected payoff at the mixed strategies *x* and *y*
    (terms with a zero probability skipped)."""
    return sum((x[i] * M[i][j] * y[j] for i in range(len(x)) for j in range(len(y)) if x[i] and y[j]), Fraction(0))
