"""Exact linear programming: the two-phase simplex method on :class:`fractions.Fraction` with Bland's rule.

The problem is

.. math::

   \\max_x\\; c \\cdot x \\quad\\text{subject to}\\quad A_{ub} x \\le b_{ub},\\; A_{eq} x = b_{eq},\\; x \\ge 0,

with rational data. Every answer carries a certificate that :func:`check_certificate` verifies exactly, and
:func:`linprog_exact` verifies before returning it:

* ``optimal``: a primal point *x* and a dual point (``dual_ub >= 0``, ``dual_eq`` free) with
  ``A_ub^T dual_ub + A_eq^T dual_eq >= c`` and ``b . dual = c . x`` (weak duality then proves *x* optimal);
* ``infeasible``: a Farkas vector (``dual_ub >= 0``, ``A^T dual >= 0``, ``b . dual < 0``);
* ``unbounded``: a feasible *x* and a ray ``d >= 0`` with ``A_ub d <= 0``, ``A_eq d = 0``, ``c . d > 0``.

Bland's smallest-index rule never cycles [Bla77]_, so the method ends on every problem; the work (pivots times
tableau cells) is bounded by a budget, past which it stops with a :class:`~gametheory_ukraine.core.errors.SolverError`
naming how to raise it. The method is textbook [Chv83]_; it is meant for the small programs of game theory
(dominance by mixed strategies, correlated equilibria), not for large ones.

References
----------
.. [Bla77] R. G. Bland, "New finite pivoting rules for the simplex method", *Mathematics of Operations
   Research* 2(2), 103-107, 1977.
.. [Chv83] V. Chvátal, *Linear Programming*, W. H. Freeman, 1983.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from ..core.errors import SolverError
from ..core.numbers import to_exact
from .budget import MAX_WORK

__all__ = ["LPResult", "linprog_exact", "check_certificate", "work_budget", "LP_STATUSES"]

LP_STATUSES = ("optimal", "infeasible", "unbounded")


@dataclass(frozen=True)
class LPResult:
    """The exact solution of a linear program with its certificate.

    Parameters
    ----------
    status : str
        ``"optimal"``, ``"infeasible"`` or ``"unbounded"``.
    x : tuple of Fraction or None
        Optimal point (``optimal``), a feasible point (``unbounded``), None (``infeasible``); length n.
    value : Fraction or None
        ``c . x`` at the optimum; None otherwise.
    dual_ub, dual_eq : tuple of Fraction or None
        ``optimal``: the optimal dual solution (one entry per row of ``A_ub``, resp. ``A_eq``);
        ``infeasible``: the Farkas vector; None when unbounded.
    ray : tuple of Fraction or None
        ``unbounded``: a direction of unbounded improvement; None otherwise.
    pivots : int
        Simplex pivots made (both phases).
    work : int
        Tableau cells updated (rows x columns per pivot), the units of the budget.
    method : str
        ``"exact-simplex (Bland's rule)"``.
    exact : bool
        Always True: every number is a Fraction and the certificate was checked exactly.
    """

    status: str
    x: tuple | None
    value: Fraction | None
    dual_ub: tuple | None
    dual_eq: tuple | None
    ray: tuple | None
    pivots: int
    work: int = 0
    method: str = "exact-simplex (Bland's rule)"
    exact: bool = True


def work_budget(max_work: Any) -> int:
    """*max_work* checked (a whole number >= 1), or :data:`~gametheory_ukraine.solvers.budget.MAX_WORK` for None.

    Raises
    ------
    SolverError
        Anything else, naming ``--max-work``.
    """
    if max_work is None:
        return MAX_WORK
    if isinstance(max_work, bool) or not isinstance(max_work, numbers.Integral) or max_work < 1:
        raise SolverError(f"max_work={max_work!r} is not a whole number >= 1", where="--max-work",
                          fix=f"give e.g. --max-work {MAX_WORK}")
    return int(max_work)


def _matrix(rows: Any, n: int | None, what: str) -> list[list[Fraction]]:
    if rows is None:
        return []
    out = []
    for k, row in enumerate(rows):
        try:
            vals = [to_exact(v) for v in row]
        except (ValueError, TypeError) as exc:  # a non-number, or a row that is not a sequence
            raise SolverError(f"{what} row {k}: {exc}", where=what, fix="give rational numbers") from None
        if n is not None and len(vals) != n:
            raise SolverError(f"{what} row {k} has {len(vals)} entries, the objective {n}", where=what,
                              fix="give one coefficient per variable")
        out.append(vals)
    return out


def _vector(values: Any, m: int, what: str) -> list[Fraction]:
    vals = _matrix([values], None, what)[0] if values is not None else []
    if len(vals) != m:
        raise SolverError(f"{what} has {len(vals)} entries for {m} constraint rows", where=what,
                          fix="give one right-hand side per row")
    return vals


def _dot(a: Sequence, b: Sequence) -> Fraction:
    return sum((x * y for x, y in zip(a, b) if x and y), Fraction(0))


class _Tableau:
    """Rows ``T x = rhs`` over all columns (variables, slacks, artificials) with a basis; pivots counted against
    a work budget."""

    def __init__(self, rows: list[list[Fraction]], rhs: list[Fraction], basis: list[int], budget: int):
        self.rows, self.rhs, self.basis = rows, rhs, basis
        self.pivots = 0
        self.budget = budget
        self.cells = len(rows) * (len(rows[0]) if rows else 0)
        self.work = 0

    def reduced(self, cost: list[Fraction], j: int) -> Fraction:
        return cost[j] - sum((cost[b] * r[j] for b, r in zip(self.basis, self.rows) if cost[b] and r[j]),
                             Fraction(0))

    def pivot(self, r: int, j: int) -> None:
        self.work += self.cells
        if self.work > self.budget:
            raise SolverError(f"the exact simplex method stopped after {self.pivots} pivots: their work "
                              f"({self.work:,} tableau cells) passed the budget of {self.budget:,}",
                              where="--max-work", fix=f"raise the budget, e.g. --max-work {4 * self.budget} "
                                                      "(max_work= in Python)")
        row, piv = self.rows[r], self.rows[r][j]
        row[:] = [v / piv for v in row]
        self.rhs[r] /= piv
        for k, other in enumerate(self.rows):
            f = other[j]
            if k != r and f:
                other[:] = [a - f * b if b else a for a, b in zip(other, row)]
                self.rhs[k] -= f * self.rhs[r]
        self.basis[r] = j
        self.pivots += 1

    def run(self, cost: list[Fraction], allowed: int) -> int | None:
        """Maximise ``cost . x`` over columns ``< allowed`` entering; None at an optimum, else the column along
        which the objective grows without bound."""
        while True:
            entering = next((j for j in range(allowed) if j not in self.basis and self.reduced(cost, j) > 0), None)
            if entering is None:
                return None
            best: tuple | None = None
            for r, row in enumerate(self.rows):
                if row[entering] > 0:
                    key = (self.rhs[r] / row[entering], self.basis[r])   # Bland: ties by smallest basic index
                    if best is None or key < best[0]:
                        best = (key, r)
            if best is None:
                return entering
            self.pivot(best[1], entering)

    def point(self, n: int) -> list[Fraction]:
        x = [Fraction(0)] * n
        for b, v in zip(self.basis, self.rhs):
            if b < n:
                x[b] = v
        return x

    def duals(self, cost: list[Fraction], unit: list[int]) -> list[Fraction]:
        """``c_B^T B^{-1}``, read from the columns that started as the identity (``unit[r]`` was ``e_r``)."""
        return [sum((cost[b] * r[j] for b, r in zip(self.basis, self.rows) if cost[b]), Fraction(0)) for j in unit]


def linprog_exact(c: Sequence, A_ub: Any = None, b_ub: Any = None, A_eq: Any = None, b_eq: Any = None, *,
                  max_work: int | None = None) -> LPResult:
    """Maximise ``c . x`` subject to ``A_ub x <= b_ub``, ``A_eq x = b_eq``, ``x >= 0``, exactly.

    Parameters
    ----------
    c : sequence of n rationals
        Objective (maximised). Ints, Fractions, sympy Rationals, exact strings such as ``"2/3"``; floats are read
        as the decimals they print as.
    A_ub : (m_ub, n) nested sequence, optional
    b_ub : (m_ub,) sequence, optional
    A_eq : (m_eq, n) nested sequence, optional
    b_eq : (m_eq,) sequence, optional
    max_work : int, optional
        Budget in tableau cells updated (rows x columns per pivot), default
        :data:`~gametheory_ukraine.solvers.budget.MAX_WORK`; a tableau larger than the budget is refused before
        the first pivot.

    Returns
    -------
    LPResult
        With its certificate checked by :func:`check_certificate`.

    Raises
    ------
    SolverError
        Data that are not rational numbers, shapes that do not match, work past the budget.

    Examples
    --------
    >>> res = linprog_exact([3, 2], A_ub=[[1, 1], [1, 3]], b_ub=[4, 6])
    >>> res.status, [str(v) for v in res.x], str(res.value), [str(v) for v in res.dual_ub]
    ('optimal', ['4', '0'], '12', ['3', '0'])
    >>> linprog_exact([1], A_eq=[[1]], b_eq=[-1]).status, linprog_exact([1], A_ub=[[-1]], b_ub=[0]).status
    ('infeasible', 'unbounded')
    """
    cost = _matrix([c], None, "c")[0]
    n = len(cost)
    if n == 0:
        raise SolverError("the linear program has no variables", where="c", fix="give one coefficient per variable")
    aub, aeq = _matrix(A_ub, n, "A_ub"), _matrix(A_eq, n, "A_eq")
    bub, beq = _vector(b_ub, len(aub), "b_ub"), _vector(b_eq, len(aeq), "b_eq")
    mu, me = len(aub), len(aeq)
    m = mu + me
    budget = work_budget(max_work)
    # standard form: [A_ub I; A_eq 0] (x, s) = b, each row signed so that its right-hand side is >= 0; the first
    # basis is a row's slack where it can be (an inequality with b >= 0), an artificial variable elsewhere
    needs_art = [not (i < mu and b >= 0) for i, b in enumerate(bub + beq)]
    k = sum(needs_art)
    width = n + mu + k
    if m * width > budget:
        raise SolverError(f"the linear program's tableau ({m} rows x {width} columns) is larger than the work "
                          f"budget of {budget:,}", where="--max-work",
                          fix=f"raise the budget to --max-work {m * width} (max_work= in Python)")
    first_art = n + mu
    rows, rhs, signs, unit = [], [], [], []
    for i, (a, b) in enumerate(list(zip(aub, bub)) + list(zip(aeq, beq))):
        s = -1 if b < 0 else 1
        slack = [Fraction(s if (i < mu and j == i) else 0) for j in range(mu)]
        art = [Fraction(0)] * k
        if needs_art[i]:
            art[sum(needs_art[:i])] = Fraction(1)
            unit.append(first_art + sum(needs_art[:i]))
        else:
            unit.append(n + i)
        rows.append([s * v for v in a] + slack + art)
        rhs.append(s * b)
        signs.append(s)
    tab = _Tableau(rows, rhs, list(unit), budget)
    phase1 = [Fraction(0)] * first_art + [Fraction(-1)] * k
    tab.run(phase1, first_art)
    if sum((v for b, v in zip(tab.basis, tab.rhs) if b >= first_art), Fraction(0)) > 0:
        y = [s * v for s, v in zip(signs, tab.duals(phase1, unit))]
        return _checked(LPResult("infeasible", None, None, tuple(y[:mu]), tuple(y[mu:]), None, tab.pivots, tab.work),
                        cost, aub, bub, aeq, beq)
    # drive artificials (basic at 0) out where their row has a non-zero real entry; the rest are redundant rows
    for r in range(m):
        if tab.basis[r] >= first_art:
            j = next((j for j in range(first_art) if tab.rows[r][j] != 0), None)
            if j is not None:
                tab.pivot(r, j)
    phase2 = cost + [Fraction(0)] * (mu + k)
    ray_column = tab.run(phase2, first_art)
    x = tab.point(n)
    if ray_column is not None:
        full = [Fraction(0)] * first_art
        full[ray_column] = Fraction(1)
        for b, row in zip(tab.basis, tab.rows):
            if b < first_art:
                full[b] = -row[ray_column]
        return _checked(LPResult("unbounded", tuple(x), None, None, None, tuple(full[:n]), tab.pivots, tab.work),
                        cost, aub, bub, aeq, beq)
    y = [s * v for s, v in zip(signs, tab.duals(phase2, unit))]
    return _checked(LPResult("optimal", tuple(x), _dot(cost, x), tuple(y[:mu]), tuple(y[mu:]), None, tab.pivots,
                             tab.work), cost, aub, bub, aeq, beq)


def _checked(res: LPResult, c, aub, bub, aeq, beq) -> LPResult:
    problem = check_certificate(res, c, aub, bub, aeq, beq)
    if problem:
        raise SolverError(f"internal error: the exact simplex certificate fails ({problem}); please report this "
                          "linear program")
    return res


def check_certificate(res: LPResult, c: Sequence, A_ub: Any = None, b_ub: Any = None, A_eq: Any = None,
                      b_eq: Any = None) -> str:
    """Verify *res*'s certificate exactly against the problem; ``""`` when it holds, else what fails.

    Examples
    --------
    >>> res = linprog_exact([1, 1], A_ub=[[1, 2]], b_ub=[2])
    >>> check_certificate(res, [1, 1], [[1, 2]], [2])
    ''
    >>> check_certificate(res, [1, 3], [[1, 2]], [2])
    'dual infeasible in column 1'
    """
    cost = [to_exact(v) for v in c]
    n = len(cost)
    aub = [[to_exact(v) for v in r] for r in ([] if A_ub is None else A_ub)]
    aeq = [[to_exact(v) for v in r] for r in ([] if A_eq is None else A_eq)]
    bub = [to_exact(v) for v in (b_ub if b_ub is not None else [])]
    beq = [to_exact(v) for v in (b_eq if b_eq is not None else [])]

    def primal(x) -> str:
        if len(x) != n or any(v < 0 for v in x):
            return "x is not a non-negative vector of the right length"
        if any(_dot(a, x) > b for a, b in zip(aub, bub)):
            return "x violates an inequality"
        if any(_dot(a, x) != b for a, b in zip(aeq, beq)):
            return "x violates an equality"
        return ""

    def dual_columns(yu, ye):
        return [_dot([r[j] for r in aub], yu) + _dot([r[j] for r in aeq], ye) for j in range(n)]

    if res.status == "optimal":
        bad = primal(res.x)
        if bad:
            return bad
        if any(v < 0 for v in res.dual_ub):
            return "a dual of an inequality is negative"
        cols = dual_columns(res.dual_ub, res.dual_eq)
        for j in range(n):
            if cols[j] < cost[j]:
                return f"dual infeasible in column {j}"
        if _dot(bub, res.dual_ub) + _dot(beq, res.dual_eq) != _dot(cost, res.x) or res.value != _dot(cost, res.x):
            return "duality gap is not zero"
        return ""
    if res.status == "infeasible":
        if any(v < 0 for v in res.dual_ub) or any(v < 0 for v in dual_columns(res.dual_ub, res.dual_eq)):
            return "the Farkas vector is not valid"
        if _dot(bub, res.dual_ub) + _dot(beq, res.dual_eq) >= 0:
            return "the Farkas vector does not separate"
        return ""
    if res.status == "unbounded":
        bad = primal(res.x)
        if bad:
            return bad
        d = res.ray
        if (any(v < 0 for v in d) or any(_dot(a, d) > 0 for a in aub) or any(_dot(a, d) != 0 for a in aeq)
                or _dot(cost, d) <= 0):
            return "the ray is not an improving feasible direction"
        return ""
    return f"unknown status {res.status!r}"
