"""Pure Nash equilibria of many N-player normal-form games at once, by vectorised best-response checks.

A pure profile ``s`` is a Nash equilibrium iff no player gains by a unilateral deviation: for every player ``i``,
``u_i(s) = max_{a} u_i(a, s_{-i})`` (Nash 1951). With the payoffs of ``points`` games stacked in arrays of shape
``(points, n_1, ..., n_N)``, player ``i``'s best-response values are one ``max`` along axis ``i + 1``, and the
equilibrium mask is the conjunction over players of ``u_i == max``: a handful of numpy reductions for all points
and profiles together.

Float comparisons use a band: a profile whose deviation gain for some player lies in ``(0, tol * scale]`` (scale:
max(1, the largest ``|payoff|`` at the point)) is neither clearly an equilibrium nor clearly not one; its point is
*flagged*, and with ``exact_payoffs`` re-checked in exact arithmetic (as the scalar ``method="pure"`` solver does).
Otherwise a profile is an equilibrium iff every player's gain is at most 0.

References
----------
.. [Nas51] J. Nash, "Non-cooperative games", *Annals of Mathematics* 54(2):286-295, 1951.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["BatchedPure", "batched_pure_equilibria"]


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
