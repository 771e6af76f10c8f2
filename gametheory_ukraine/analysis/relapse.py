"""Minsk-style relapse: the value of a settlement that may collapse back into war.

A settlement signed today pays side *i* a per-period value ``s_i`` for as long as it
holds; each period it collapses with probability ``rho`` and play reverts to a war worth
``W'_i`` (present value at the moment of collapse), which may be worse than today's war
(army cap, ceded fortifications). With discount factor ``delta`` per period the present
value of signing is (the geometric sum of the settlement flow, plus the discounted war after collapse)::

    V_i = (s_i + delta * rho * W'_i) / (1 - delta * (1 - rho))

Every function works on Python numbers, Fractions (exact results), numpy arrays
(vectorised) and sympy expressions (symbolic results), so the same formula serves
model files, thresholds in closed form and sweeps.

References
----------
Axelrod, R. (1984). *The Evolution of Cooperation*. Basic Books.
Collier, P., Hoeffler, A. & Söderbom, M. (2008). Post-conflict risks. *Journal of Peace Research* 45(4):461-478.
Fortna, V. P. (2004). *Peace Time*. Princeton University Press.
Walter, B. F. (1999). Designing transitions from civil war. *International Security* 24(1):127-155.
"""

from __future__ import annotations

from typing import Any

__all__ = ["settlement_value", "war_value", "expected_duration", "survival", "rho_from_base_rate",
           "signing_threshold", "grim_trigger_threshold"]


def settlement_value(s: Any, w_after: Any, rho: Any, delta: Any) -> Any:
    """Present value of a settlement paying *s* per period that collapses with probability *rho* per period.

    Parameters
    ----------
    s : number, array or sympy expression
        Per-period payoff while the settlement holds.
    w_after : number, array or sympy expression
        Present value of the war that follows a collapse (W').
    rho : number, array or sympy expression
        Per-period collapse probability, in [0, 1].
    delta : number, array or sympy expression
        Discount factor per period, in [0, 1).

    Returns
    -------
    Same type as the inputs (broadcast for arrays): ``(s + delta*rho*w_after) / (1 - delta*(1 - rho))``.

    Examples
    --------
    >>> from fractions import Fraction as F
    >>> settlement_value(F(1, 2), 0, F(1, 20), F(9, 10))   # 0.5 / (1 - 0.9*0.95) = 100/29
    Fraction(100, 29)
    >>> settlement_value(1, 10, 0, F(9, 10))                 # never collapses: 1/(1 - delta) = 10
    Fraction(10, 1)
    """
    return (s + delta * rho * w_after) / (1 - delta * (1 - rho))


def war_value(w: Any, delta: Any) -> Any:
    """Present value ``w / (1 - delta)`` of a war paying *w* per period forever (Fearon 1995: ``p - c``).

    Examples
    --------
    >>> from fractions import Fraction as F
    >>> war_value(F(1, 2), F(9, 10))
    Fraction(5, 1)
    """
    return w / (1 - delta)


def expected_duration(rho: Any) -> Any:
    """Mean lifetime ``1/rho`` periods of a settlement with per-period collapse probability *rho*.

    Examples
    --------
    >>> expected_duration(0.05)
    20.0
    """
    return 1 / rho


def survival(rho: Any, n: Any) -> Any:
    """Probability ``(1 - rho)**n`` that a settlement is still in force after *n* periods.

    Examples
    --------
    >>> round(survival(0.05, 10), 4)
    0.5987
    """
    return (1 - rho) ** n


def rho_from_base_rate(share_failed: Any, years: Any) -> Any:
    """Per-period relapse risk from a base rate: a share *share_failed* fails within *years* periods.

    ``rho = 1 - (1 - F)**(1/N)``: F = 0.40, N = 10 gives 0.050 (Collier, Hoeffler & Söderbom 2008: post-conflict
    relapse risk about 40 %); F = 0.50, N = 5 gives 0.129 (Walter 1999: 9 of 17 negotiated settlements failed).

    Examples
    --------
    >>> round(rho_from_base_rate(0.40, 10), 4), round(rho_from_base_rate(0.50, 5), 4)
    (0.0498, 0.1294)
    """
    if not 0 <= share_failed < 1:
        raise ValueError(f"share_failed must lie in [0, 1), got {share_failed}")
    if years <= 0:
        raise ValueError(f"years must be positive, got {years}")
    return 1 - (1 - share_failed) ** (1 / years)


def signing_threshold(w_now: Any, w_after: Any, rho: Any, delta: Any) -> Any:
    """Smallest per-period settlement payoff for which signing beats fighting on.

    With ``W0 = w_now`` the present value of today's war and ``W' = w_after`` the war
    after a collapse, side *i* signs iff ``s >= (1 - delta)*W0 + delta*rho*(W0 - W')``
    (set ``V_i`` of :func:`settlement_value` equal to ``W0`` and solve for ``s``). When ``W' = W0`` the relapse
    risk cancels.

    Examples
    --------
    >>> from fractions import Fraction as F
    >>> signing_threshold(5, 5, F(1, 10), F(9, 10))         # rho cancels: (1 - 0.9)*5
    Fraction(1, 2)
    >>> signing_threshold(5, 3, F(1, 10), F(9, 10))         # weaker after relapse: 1/2 + 0.09*2
    Fraction(17, 25)
    """
    return (1 - delta) * w_now + delta * rho * (w_now - w_after)


def grim_trigger_threshold(temptation: Any, reward: Any, punishment: Any) -> Any:
    """Cooperation in a repeated prisoner's dilemma with grim trigger holds iff ``delta*(1-rho) >= (T-R)/(T-P)``.

    Returns the right-hand side (Axelrod's textbook payoffs T, R, P = 5, 3, 1 give 0.5).

    Examples
    --------
    >>> from fractions import Fraction as F
    >>> grim_trigger_threshold(F(5), F(3), F(1))
    Fraction(1, 2)
    """
    return (temptation - reward) / (temptation - punishment)
