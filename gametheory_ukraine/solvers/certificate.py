"""Best-response certificates for normal-form equilibria.

Every equilibrium the package reports carries its *regret*: the largest gain any
player could make by a unilateral deviation to a pure strategy. It is 0 exactly
for an equilibrium in exact mode and at most the tolerance in float mode.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["action_values", "expected_payoffs", "regret"]


def action_values(payoffs: Sequence[np.ndarray], profile: Sequence[Sequence], player: int) -> np.ndarray:
    """Expected payoff of each pure action of *player* against the others' mixed strategies.

    Parameters
    ----------
    payoffs : sequence of N arrays, each of shape (n_1, ..., n_N)
    profile : sequence of N probability vectors, vector i of length n_i
    player : int

    Returns
    -------
    numpy.ndarray, shape (n_player,)
        object dtype (exact) when payoffs or probabilities are objects.

    Examples
    --------
    >>> from fractions import Fraction as F
    >>> A = np.array([[1, -1], [-1, 1]], dtype=object)
    >>> action_values([A, -A], [(F(1, 2), F(1, 2)), (F(1, 3), F(2, 3))], 0)
    array([Fraction(-1, 3), Fraction(1, 3)], dtype=object)

    Integer payoffs with exact or float probabilities are not rounded to integers:

    >>> B = np.array([[1, -1], [-1, 1]])
    >>> action_values([B, -B], [(1, 0), (F(1, 3), F(2, 3))], 0), action_values([B, -B], [(1, 0), (0.25, 0.75)], 0)
    (array([Fraction(-1, 3), Fraction(1, 3)], dtype=object), array([-0.5,  0.5]))
    """
    u = payoffs[player]
    # contract the other players' axes from the last one down, so axis numbers stay valid
    for j in reversed(range(len(payoffs))):
        if j == player:
            continue
        sigma = np.asarray(profile[j])
        if sigma.dtype == object or u.dtype == object:  # exact (Fractions or algebraic numbers on either side)
            u, sigma = u.astype(object), sigma.astype(object)
        if u.dtype == object:  # exact: only the support's terms (a pure strategy is one slice, no products)
            support = np.flatnonzero(sigma != 0)
            if len(support) == 1 and sigma[support[0]] == 1:
                u = np.take(u, support[0], axis=j)
                continue
            u, sigma = np.take(u, support, axis=j), sigma[support]
        u = np.tensordot(u, sigma, axes=([j], [0]))
    return np.asarray(u)


def _dot(values: np.ndarray, sigma: np.ndarray):
    """``values . sigma``; exact (object) vectors only over the support of *sigma*."""
    if values.dtype == object or sigma.dtype == object:
        support = np.flatnonzero(sigma != 0)
        if len(support) == 1 and sigma[support[0]] == 1:
            return values[support[0]]
        return np.dot(values[support], sigma[support]) if len(support) else 0
    return np.dot(values, sigma)


def expected_payoffs(payoffs: Sequence[np.ndarray], profile: Sequence[Sequence]) -> tuple:
    """Expected payoff of every player at mixed *profile*; tuple of length N."""
    out = []
    for i in range(len(payoffs)):
        vals = action_values(payoffs, profile, i)
        sigma = np.asarray(profile[i], dtype=vals.dtype if vals.dtype != object else object)
        out.append(_dot(vals, sigma))
    return tuple(out)


def regret(payoffs: Sequence[np.ndarray], profile: Sequence[Sequence]):
    """Largest gain from a unilateral pure deviation at *profile* (0 at an equilibrium).

    Returns a Fraction when everything is exact, a float otherwise.

    Examples
    --------
    >>> A = np.array([[3, 0], [5, 1]], dtype=object)   # prisoner's dilemma
    >>> regret([A, A.T], [(0, 1), (0, 1)]), regret([A, A.T], [(1, 0), (1, 0)])
    (0, 2)
    """
    worst = 0
    for i in range(len(payoffs)):
        vals = action_values(payoffs, profile, i)
        sigma = np.asarray(profile[i], dtype=vals.dtype if vals.dtype != object else object)
        gain = max(vals) - _dot(vals, sigma)
        if gain > worst:
            worst = gain
    return worst
