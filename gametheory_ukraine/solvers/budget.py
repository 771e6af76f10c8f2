"""Work budgets of solves: what solving a normal form of a given shape by a given method costs, and the check
that refuses one past its budget before it starts.

:func:`~gametheory_ukraine.solvers.solving.solve` checks every normal form it solves, and
:mod:`~gametheory_ukraine.solvers.subgame_perfect` every imperfect-information subgame, against the same budget.
"""

from __future__ import annotations

import math
import numbers

from ..core.errors import SolverError
from .two_player import ENUMERATE_UP_TO, SEARCH_BOTH_UP_TO
from .vertex_search import max_bases

__all__ = ["MAX_WORK", "estimate_work", "check_work", "count_text", "support_profiles"]

#: Default work budget of one solve (``gtu solve --max-work``, ``solve(max_work=)``), in the units of
#: :func:`estimate_work`; measured on a 2-core machine, every solve within it takes at most about 20 s
#: (an exact 13 x 13 bimatrix game by vertex enumeration: at most 54,264 bases, 1.1 M units; 14 x 14: 3.8 M
#: units, refused, though random 14 x 14 games visit 14,000-24,000 bases and take 3-6 s; in floats 10 x 10:
#: 1.8 M units, 4-20 s).
MAX_WORK = 2_000_000
# units per support profile of support enumeration: linear systems (two players), polynomial systems (more)
_SUPPORT_WEIGHT_2 = 100
_SUPPORT_WEIGHT_N = 30_000


def support_profiles(shape) -> int:
    count = 1
    for k in shape:
        count *= 2**int(k) - 1
    return count


def estimate_work(shape, method: str, *, exact: bool = True) -> tuple[int, str]:
    """Estimated work of solving a normal form of *shape* (actions per player) with *method*.

    Units: vertex enumeration, in floats or on games with at most
    :data:`~gametheory_ukraine.solvers.two_player.ENUMERATE_UP_TO` candidate bases, ``C(m+n, m) x max(m, n)``
    (the candidate bases of each best-response polytope times the size of their linear systems); exact on
    larger games, the upper bound theorem's bound on the bases the lexicographic search can visit (in the
    polytope of lower dimension, and in the other too up to 8 x 8) times ``m n / 8`` (an integer pivot);
    lrsnash, the same bound for one polytope times ``m n / 32`` (its pivots, in C, cost about a quarter of
    ours); support enumeration, 100 per support profile with two players
    (linear systems) and 30,000 with more (polynomial systems); pure equilibria and argmax, one per cell and
    player / 1,000 plus a quarter per deviation check of the worst case (every cell an equilibrium, each checked
    against ``sum(shape)`` deviations); Lemke-Howson, ``(m+n)**3`` (one path per label, each a few pivots of an
    (m+n)-row tableau).

    Parameters
    ----------
    shape : sequence of int
        Actions per player.
    method : str
        A resolved method (not ``"auto"``).

    Returns
    -------
    (int, str)
        The estimate and what it counts.

    Examples
    --------
    >>> estimate_work((10, 10), "vertex-enumeration")
    (50050, 'at most 4,004 bases x 10 x 10 / 8')
    >>> estimate_work((10, 10), "vertex-enumeration", exact=False)
    (1847560, '184,756 candidate bases x 10')
    >>> estimate_work((2, 2, 3), "support-enumeration")[0]
    1890000
    """
    shape = tuple(int(k) for k in shape)
    if method == "vertex-enumeration" and len(shape) == 2:
        m, n = shape
        bases = math.comb(m + n, m)
        if not exact or bases <= ENUMERATE_UP_TO:
            return bases * max(m, n), f"{count_text(bases)} candidate bases x {max(m, n)}"
        low, high = sorted((m, n))
        bound = max_bases(low, m + n)
        if max_bases(high, m + n) <= SEARCH_BOTH_UP_TO:
            bound += max_bases(high, m + n)
        return bound * m * n // 8, f"at most {count_text(bound)} bases x {m} x {n} / 8"
    if method == "lrsnash" and len(shape) == 2:
        m, n = shape
        bound = max_bases(min(m, n), m + n)
        return bound * m * n // 32, f"at most {count_text(bound)} bases x {m} x {n} / 32"
    if method == "support-enumeration" and len(shape) >= 2:
        count = support_profiles(shape)
        weight = _SUPPORT_WEIGHT_2 if len(shape) == 2 else _SUPPORT_WEIGHT_N
        kind = "linear" if len(shape) == 2 else "polynomial"
        return count * weight, f"{count_text(count)} support profiles x {weight:,} ({kind} systems)"
    if method == "lemke-howson" and len(shape) == 2:
        k = sum(shape)
        return k**3, f"{k} labels x {k}**2 pivoting"
    cells = math.prod(shape)
    # finding pure equilibria is vectorised (cells x players / 1000); certifying them is not: in the worst case
    # (a constant game) every cell is an equilibrium, each checked against sum(shape) deviations exactly
    checks = cells * sum(shape)
    return cells * len(shape) // 1000 + checks // 4, (f"{count_text(cells)} cells x players / 1000 + up to "
                                                      f"{count_text(checks)} deviation checks / 4")


def count_text(n: int) -> str:
    """*n* with thousands separators, or ``about 10^K`` when it has more than 15 digits (never converting a
    huge integer to text in full).

    Examples
    --------
    >>> count_text(1234567), count_text(10**40 + 1)
    ('1,234,567', 'about 10^40')
    """
    n = int(n)
    if abs(n) < 10**15:
        return f"{n:,}"
    digits = int(n.bit_length() * math.log10(2))
    if 10 ** (digits + 1) <= n:
        digits += 1
    return f"about 10^{digits}"


def _shape_text(shape) -> str:
    return " x ".join(str(int(k)) for k in shape)


def check_work(shape, method: str, max_work: int | None = None, *, where: str | None = None,
               exact: bool = True) -> int:
    """Refuse a solve whose :func:`estimate_work` exceeds *max_work* (default :data:`MAX_WORK`) before it
    starts; return the estimate.

    Raises
    ------
    SolverError
        With the estimate, the budget, the option that raises it and a method that would be feasible.

    Examples
    --------
    >>> check_work((16, 16), "vertex-enumeration")
    Traceback (most recent call last):
    ...
    gametheory_ukraine.core.errors.SolverError: --max-work: solving the 16 x 16 game by vertex-enumeration needs ...
    """
    if max_work is None:
        cap = MAX_WORK
    elif isinstance(max_work, bool) or not isinstance(max_work, numbers.Integral) or max_work < 1:
        raise SolverError(f"max_work={max_work!r} is not a whole number >= 1", where="--max-work",
                          fix=f"give e.g. --max-work {MAX_WORK}")
    else:
        cap = int(max_work)
    work, what = estimate_work(shape, method, exact=exact)
    if work <= cap:
        return work
    feasible = [alt for alt in ("pure", "lemke-howson") if alt != method
                and (alt == "pure" or len(shape) == 2) and estimate_work(shape, alt)[0] <= cap]
    labels = {"pure": "--method pure (pure equilibria only)",
              "lemke-howson": "--method lemke-howson (some equilibria, in floats)"}
    hint = " or ".join(labels[alt] for alt in feasible) if feasible else "a smaller game"
    raise_it = (f"raise the budget with --max-work {work} (max_work=)" if work < 10**15
                else "no budget makes this method feasible")
    raise SolverError(f"solving the {_shape_text(shape)} game by {method} needs {count_text(work)} units of work "
                      f"({what}), more than the budget of {cap:,}", where=where or "--max-work",
                      fix=f"use {hint}; or {raise_it}")
