"""Nash equilibria of N-player normal-form games by support enumeration.

A game with N players is given as ``payoffs``, a sequence of N arrays, each of
shape ``(n_1, ..., n_N)``: ``payoffs[i][a_1, ..., a_N]`` is player i's payoff
when player j plays action ``a_j``. Two modes are supported:

* exact -- object arrays of ints / :class:`fractions.Fraction` (anything
  :func:`gametheory_ukraine.core.numbers.to_exact` accepts); results are exact;
* float -- float64 arrays; the payoffs are still converted exactly (through
  their shortest decimal representation) and the polynomial systems are solved
  exactly; only the reported probabilities are rounded to ``float``.

Functions
---------
pure_equilibria
    All pure-strategy Nash equilibria (vectorised best-response test).
support_enumeration
    Equilibria found by solving, for every support profile, the polynomial
    indifference system exactly (Groebner bases in sympy); a continuum whose
    conditions are linear is a polytope of equilibria, given by its vertices
    (enumerated exactly) and labelled with its connected component.

References
----------
R. D. McKelvey and A. McLennan, "Computation of equilibria in finite games",
in H. M. Amman, D. A. Kendrick and J. Rust (eds.), *Handbook of Computational
Economics*, vol. 1, pp. 87-142, Elsevier, 1996.

R. Porter, E. Nudelman and Y. Shoham, "Simple search methods for finding a
Nash equilibrium", *Games and Economic Behavior* 63(2):642-662, 2008.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
import sympy
from sympy.polys.domains import QQ

from gametheory_ukraine.core.numbers import as_exact_array, simplest

from . import certificate

__all__ = ["NPlayerSolution", "pure_equilibria", "support_enumeration"]

# Symbol in which the algebraic numbers of irrational equilibria are written
# (``CRootOf(x**3 - ..., k)``).
_T = sympy.Symbol("x")


# --------------------------------------------------------------------------- input


def _check_payoffs(payoffs: Sequence[Any]) -> list[np.ndarray]:
    """Validate *payoffs* and return them as a list of numpy arrays (dtype kept)."""
    if isinstance(payoffs, np.ndarray) and payoffs.ndim >= 1:
        arrays = [np.asarray(p) for p in payoffs]
    else:
        arrays = [np.asarray(p) for p in list(payoffs)]
    n_players = len(arrays)
    if n_players < 1:
        raise ValueError("payoffs must hold one array per player (at least one player)")
    shape = arrays[0].shape
    if len(shape) != n_players:
        raise ValueError(
            f"with {n_players} players every payoff array must have {n_players} axes; got shape {shape}"
        )
    for i, arr in enumerate(arrays):
        if arr.shape != shape:
            raise ValueError(f"payoffs[{i}] has shape {arr.shape}, expected {shape} (same as payoffs[0])")
    if any(n < 1 for n in shape):
        raise ValueError(f"every player needs at least one action; shape is {shape}")
    return arrays


def _exact_arrays(arrays: list[np.ndarray]) -> list[np.ndarray]:
    return [as_exact_array(arr) for arr in arrays]


def _float_arrays(arrays: list[np.ndarray]) -> list[np.ndarray]:
    if all(arr.dtype.kind in "iu" for arr in arrays):  # integers: compared exactly in their own dtype
        return arrays
    out = []
    for arr in arrays:
        f = np.asarray(arr.astype(float) if arr.dtype == object else arr, dtype=float)
        if not np.all(np.isfinite(f)):
            raise ValueError("payoffs must be finite numbers")
        out.append(f)
    return out


# --------------------------------------------------------------------------- pure


def pure_equilibria(payoffs: Sequence[Any], *, tol: float = 0.0) -> tuple[tuple[int, ...], ...]:
    """All pure-strategy Nash equilibria of an N-player normal-form game.

    For each player i the maximum of ``payoffs[i]`` over axis i (her own
    actions) is taken; a profile is an equilibrium when every player's payoff
    attains that maximum. The test is vectorised over all profiles.

    Parameters
    ----------
    payoffs : sequence of N array_like, each of shape (n_1, ..., n_N)
        ``payoffs[i][a]`` is player i's payoff at action profile ``a``.
        If any array has dtype ``object`` all payoffs are converted to
        :class:`~fractions.Fraction` and compared exactly (``tol`` is ignored);
        otherwise they are compared as float64 (as integers when all arrays
        have an integer dtype).
    tol : float, default 0.0
        Float mode only: a unilateral deviation breaks a profile only if it
        gains *more than* ``tol``.

    Returns
    -------
    tuple of tuple of int
        The equilibrium profiles ``(a_1, ..., a_N)`` (0-based action indices)
        in lexicographic order.

    Examples
    --------
    Prisoner's dilemma (action 0 = cooperate, 1 = defect):

    >>> import numpy as np
    >>> A = np.array([[3, 0], [5, 1]])
    >>> pure_equilibria([A, A.T])
    ((1, 1),)
    """
    arrays = _check_payoffs(payoffs)
    exact = any(arr.dtype == object for arr in arrays)
    arrays = _exact_arrays(arrays) if exact else _float_arrays(arrays)
    mask = np.ones(arrays[0].shape, dtype=bool)
    for i, u in enumerate(arrays):
        best = np.max(u, axis=i, keepdims=True)
        if exact:
            ok = np.asarray(u == best, dtype=bool)
        else:
            ok = (best - u) <= tol
        mask &= ok
    return tuple(tuple(int(k) for k in idx) for idx in np.argwhere(mask))


# --------------------------------------------------------------------------- result


@dataclass(frozen=True)
class NPlayerSolution:
    """Result of :func:`support_enumeration`.

    Attributes
    ----------
    equilibria : tuple of tuple of tuple
        Each equilibrium is a tuple of N probability tuples, player i's of
        length ``n_i``. Exact mode: :class:`~fractions.Fraction` where the
        probability is rational, otherwise an exact sympy algebraic number
        (a radical expression such as ``-1/8 + sqrt(41)/8`` when the defining
        polynomial is quadratic, a polynomial in a ``CRootOf`` when its degree
        is 3 or more). Float mode: ``float``.
    complete : bool
        True when every support profile not excluded by dominance either had
        finitely many solutions, all solved exactly, or a polytope of
        equilibria whose vertices were all enumerated: every Nash equilibrium
        is then listed in ``equilibria`` or lies in the convex hull of one of
        ``polytopes`` (for N = 1 see :func:`support_enumeration`).
    notes : tuple of str
        Human-readable remarks; non-empty whenever ``complete`` is False,
        naming each support profile left out and why (e.g. ``"support ((0,
        1), (0, 1), (0, 1)) has a continuum of solutions ... not linear"``),
        and one per polytope of equilibria (its support profile, vertices and
        component).
    components : tuple of int
        ``components[k]`` is the index (0, 1, ...) of the connected component
        of the set of equilibria that holds ``equilibria[k]``, numbered in
        order of first appearance (as for two players). Equilibria sharing a
        component are connected through the polytopes of ``polytopes``; an
        isolated equilibrium is a component of its own.
    polytopes : tuple of tuple of int
        Each a polytope of equilibria (a continuum), given by the indices in
        ``equilibria`` of its vertices: every convex combination of them is an
        equilibrium. A polytope whose vertices are all those of a listed one
        (a face of it) is not listed.
    """

    equilibria: tuple[tuple[tuple, ...], ...]
    complete: bool
    notes: tuple[str, ...] = ()
    components: tuple[int, ...] = ()
    polytopes: tuple[tuple[int, ...], ...] = ()

    @property
    def has_continuum(self) -> bool:
        """True iff some component holds more than one equilibrium."""
        return len(set(self.components)) != len(self.components)


# --------------------------------------------------------------------------- algebra


def _q(value: Any) -> Fraction:
    """A sympy / gmpy / python rational as a Fraction."""
    return Fraction(int(value.numerator), int(value.denominator))


def _tpoly(value: Any) -> sympy.Poly:
    """Constant or expression as a polynomial in ``_T`` over QQ."""
    return sympy.Poly(value, _T, domain=QQ)


@dataclass
class _Root:
    """A real root alpha of the irreducible polynomial ``f`` (in ``_T``, over QQ).

    ``interval`` is a rational isolating interval ``(a, b)`` (``a == b`` for a
    rational root); ``index`` is alpha's rank among the real roots of ``f``
    (ascending), as used by :class:`sympy.CRootOf`.
    """

    f: sympy.Poly
    interval: tuple[Fraction, Fraction]
    index: int

    def sign(self, r: sympy.Poly) -> int:
        """Exact sign of ``r(alpha)``, without floating point.

        Zero is decided by the remainder of ``r`` modulo ``f``: ``f`` is
        irreducible, so ``r(alpha) == 0`` iff ``f`` divides ``r``. Otherwise, with
        ``m`` the midpoint and ``w`` the half-width of the isolating interval,
        ``|r(alpha) - r(m)| <= w * sum_k k |c_k| M^(k-1)`` (``M`` bounds ``|x|``
        on the interval); when ``|r(m)|`` exceeds that bound the sign of
        ``r(m)`` (an exact rational) is the sign of ``r(alpha)``, else the
        interval is refined (:meth:`sympy.Poly.refine_root`) and the test
        repeated -- this terminates because ``r(alpha) != 0``.
        """
        r = r.rem(self.f)
        if r.is_zero:
            return 0
        coeffs = [_q(c) for c in reversed(r.all_coeffs())]  # c_0, c_1, ...
        a, b = self.interval
        while True:
            m = (a + b) / 2
            value = sum(c * m**k for k, c in enumerate(coeffs))
            big = max(abs(a), abs(b))
            bound = (b - a) / 2 * sum(k * abs(c) * big ** (k - 1) for k, c in enumerate(coeffs) if k)
            if abs(value) > bound:
                self.interval = (a, b)
                return 1 if value > 0 else -1
            lo, hi = self.f.refine_root(a, b, eps=(b - a) / 2**40)
            a, b = _q(QQ.convert(lo)), _q(QQ.convert(hi))

    def value(self, r: sympy.Poly) -> Any:
        """``r(alpha)`` as a Fraction if rational, else an exact sympy number in its simplest form found
        (:func:`~gametheory_ukraine.core.numbers.simplest`)."""
        r = r.rem(self.f)
        if r.is_zero:
            return Fraction(0)
        if r.degree() == 0:
            return _q(r.LC())
        a, b = self.interval
        if a == b:
            return sum((_q(c) * a**k for k, c in enumerate(reversed(r.all_coeffs()))), Fraction(0))
        if self.f.degree() == 2:
            c2, c1, c0 = (sympy.Rational(c) for c in self.f.all_coeffs())
            disc = sympy.sqrt(c1 * c1 - 4 * c2 * c0)
            roots = [(-c1 - disc) / (2 * c2), (-c1 + disc) / (2 * c2)]  # ascending iff c2 > 0
            alpha = roots[self.index if c2 > 0 else 1 - self.index]
        else:
            alpha = sympy.CRootOf(self.f.as_expr(), self.index)
        return simplest(r.as_expr().subs(_T, alpha))


def _real_roots(p: sympy.Poly) -> list[_Root]:
    """Exact real roots of the univariate polynomial *p* in ``_T`` (distinct; multiplicities dropped)."""
    roots = []
    _, factors = p.factor_list()
    for factor, _mult in factors:
        f = sympy.Poly(factor, _T, domain=QQ)
        if f.degree() <= 0:
            continue
        for index, ((a, b), _m) in enumerate(f.intervals()):
            roots.append(_Root(f, (_q(QQ.convert(a)), _q(QQ.convert(b))), index))
    return roots


def _eval_at(e: sympy.Poly, coords: list[sympy.Poly], f: sympy.Poly) -> sympy.Poly:
    """``e(h_1(t), ..., h_n(t))`` modulo ``f`` for a polynomial *e* in n variables."""
    total = _tpoly(0)
    for monom, coeff in e.terms():
        term = _tpoly(coeff)
        for h, power in zip(coords, monom):
            for _ in range(power):
                term = (term * h).rem(f)
        total += term
    return total.rem(f)


def _shape_basis(polys: list[sympy.Poly], gens: list) -> list[sympy.Poly] | None:
    """If the reduced lex basis *polys* is in shape position, return ``[g_1, ..., g_{n-1}, p]``.

    Shape position: ``{x_k - g_k(t) : k < n} + {p(t)}`` with ``t = gens[-1]``.
    Returns None otherwise.
    """
    n = len(gens)
    if len(polys) != n:
        return None
    univariate = [p for p in polys if all(d == 0 for d in p.degree_list()[:-1])]
    if len(univariate) != 1:
        return None
    out = []
    for k in range(n - 1):
        cands = [p for p in polys if p.degree(gens[k]) > 0]
        if len(cands) != 1 or cands[0].degree(gens[k]) != 1:
            return None
        expr = cands[0].as_expr()
        coeff = cands[0].coeff_monomial(gens[k])
        rest = sympy.expand(expr - coeff * gens[k])
        if coeff == 0 or not rest.free_symbols <= {gens[-1]}:
            return None
        out.append(sympy.Poly(-rest / coeff, gens[-1], domain=QQ))
    out.append(sympy.Poly(univariate[0].as_expr(), gens[-1], domain=QQ))
    return out


_N_FORMS = 8  # separating linear forms tried: t = x_n first, then fixed integer combinations


def _solve_zero_dim(grevlex: sympy.GroebnerBasis, gens: list) -> list[tuple[_Root, list[sympy.Poly]]] | None:
    """Real points of the zero-dimensional ideal with the grevlex Groebner basis *grevlex* in *gens*.

    ``gens[-1]`` is ``_T``. A separating linear form ``u = x_n + sum_k c_k x_k``
    (``c = 0`` first) is introduced and a lex Groebner basis with ``u`` last
    is computed (grevlex, then FGLM); when it is in shape position every point
    is ``x_k = g_k(u)`` at a real root ``u`` of ``p``. Returns, per real point,
    its root and the coordinate polynomials ``x_k = h_k(t)`` (in ``_T``) for all
    of *gens*; None when no tried form gives shape position.
    """
    n = len(gens)
    u = sympy.Dummy("u")
    for attempt in range(_N_FORMS if n > 1 else 1):
        c = [((7 * attempt + 3 * k * k + 2 * k) % 9 - 4) if attempt else 0 for k in range(n - 1)]
        if attempt == 0:
            new_gens, basis = gens, grevlex
        else:
            last = u - sum((ck * xk for ck, xk in zip(c, gens[:-1])), sympy.Integer(0))
            new_gens = list(gens[:-1]) + [u]
            changed = [
                sympy.Poly(p.as_expr().subs(gens[-1], last), *new_gens, domain=QQ) for p in grevlex.polys
            ]
            basis = sympy.groebner(changed, *new_gens, order="grevlex", domain=QQ)
        lex = basis.fglm("lex") if n > 1 else basis
        shape = _shape_basis(list(lex.polys), new_gens)
        if shape is None:
            continue
        shape = [sympy.Poly(p.as_expr().subs(new_gens[-1], _T), _T, domain=QQ) for p in shape]
        gs, p = shape[:-1], shape[-1]
        x_last = _tpoly(_T) - sum((g * ck for ck, g in zip(c, gs)), _tpoly(0))
        coords = list(gs) + [x_last]
        return [(root, [h.rem(root.f) for h in coords]) for root in _real_roots(p)]
    return None


def _radical_basis(basis: list[sympy.Poly], gens: list) -> list[sympy.Poly]:
    """Add each variable's square-free eliminant (Seidenberg's lemma: the ideal becomes radical)."""
    extra = []
    for x in gens:
        order = [y for y in gens if y != x] + [x]
        lex = sympy.groebner([p.as_expr() for p in basis], *order, order="lex", domain=QQ)
        univ = [p for p in lex.exprs if p.free_symbols <= {x}]
        if univ:
            q = sympy.Poly(univ[0], x, domain=QQ)
            q = sympy.quo(q, sympy.gcd(q, q.diff(x)))
            extra.append(sympy.Poly(q.as_expr(), *gens, domain=QQ))
    return list(basis) + extra


def _solve_polynomial_system(eqs: list[sympy.Poly], gens: list):
    """Solve ``eqs == 0`` exactly (``gens[-1]`` is ``_T``).

    Returns ``"continuum"`` for a positive-dimensional solution set, ``"failed"``
    when no shape-position basis was found, else a list of ``(root, coords)``.
    """
    eqs = [e for e in eqs if not e.is_zero]
    if any(e.is_ground for e in eqs):
        return []
    if not eqs:
        return "continuum"
    grevlex = sympy.groebner(eqs, *gens, order="grevlex", domain=QQ)
    if any(p.is_ground for p in grevlex.polys):
        return []
    if not grevlex.is_zero_dimensional:
        return "continuum"
    points = _solve_zero_dim(grevlex, gens)
    if points is None:
        radical = _radical_basis(list(grevlex.polys), gens)
        points = _solve_zero_dim(sympy.groebner(radical, *gens, order="grevlex", domain=QQ), gens)
    if points is None:
        return "failed"
    # safety net: every point must satisfy the original equations exactly
    for root, coords in points:
        if any(not _eval_at(e, coords, root.f).is_zero for e in eqs):
            return "failed"
    return points


# --------------------------------------------------------------------------- supports


def _nonempty_subsets(n: int) -> list[tuple[int, ...]]:
    return [s for size in range(1, n + 1) for s in itertools.combinations(range(n), size)]


def _dominated(u: np.ndarray, i: int, supports: tuple, tol: Fraction) -> bool:
    """Conditional dominance test (Porter, Nudelman & Shoham 2008), in a weak form valid inside a support.

    Every profile of ``prod_{j != i} S_j`` has positive probability, so an action
    ``a`` in ``S_i`` cannot be a best response if some ``a'`` is at least as good
    against every such profile and strictly better against one. For ``a'``
    outside ``S_i`` with ``tol > 0`` (float mode) the gain must exceed ``tol``
    everywhere instead.
    """
    index = tuple(supports[j] if j != i else list(range(u.shape[i])) for j in range(u.ndim))
    sub = np.moveaxis(u[np.ix_(*index)], i, 0)
    for a in supports[i]:
        for b in range(u.shape[i]):
            if b == a:
                continue
            diff = list((sub[b] - sub[a]).flat)
            if tol == 0 or b in supports[i]:
                if all(d >= 0 for d in diff) and any(d > 0 for d in diff):
                    return True
            elif all(d > tol for d in diff):
                return True
    return False


def _expected_payoff(u: np.ndarray, i: int, action: int, sigma: list[dict], supports: tuple, zero, mod=None):
    """Player i's expected payoff of *action* when each other player j mixes ``sigma[j]`` over ``S_j``.

    ``sigma[j][a]`` are polynomials (in the unknowns, or in ``_T`` with *mod*).
    """
    others = [j for j in range(u.ndim) if j != i]
    total = zero
    for prof in itertools.product(*(supports[j] for j in others)):
        idx = list(prof)
        idx.insert(i, action)
        coeff = u[tuple(idx)]
        if coeff == 0:
            continue
        term = zero + sympy.Rational(coeff.numerator, coeff.denominator)
        for j, aj in zip(others, prof):
            term = term * sigma[j][aj]
            if mod is not None:
                term = term.rem(mod)
        total = total + term
    return total if mod is None else total.rem(mod)


def _unknowns(supports: tuple) -> tuple[list, list, sympy.Poly, list[dict]]:
    """The probabilities of a support profile as polynomials in its unknowns.

    One unknown ``sigma_i(a)`` per action ``a`` in ``S_i[1:]`` (the last one is
    ``_T``, as the zero-dimensional solver needs); ``sigma_i(S_i[0])`` is one minus
    the others. Returns ``(owners, gens, zero, sigma)``: the ``(player, action)``
    of each unknown, the generators (``[_T]`` alone when there is no unknown),
    the zero polynomial and, per player, ``{action: polynomial}``.
    """
    owners = [(i, a) for i, s in enumerate(supports) for a in s[1:]]
    gens = [sympy.Symbol(f"s{i}_{a}") for i, a in owners[:-1]] + [_T]
    zero = sympy.Poly(0, *gens, domain=QQ)
    sigma: list[dict] = [{} for _ in supports]
    for (i, a), g in zip(owners, gens):
        sigma[i][a] = sympy.Poly(g, *gens, domain=QQ)
    for i, s in enumerate(supports):
        sigma[i][s[0]] = zero + 1 - sum(sigma[i].values(), zero)
    return owners, gens, zero, sigma


def _solve_support(game: list[np.ndarray], supports: tuple, tol: Fraction):
    """Equilibria with exactly the support profile *supports*; see :func:`support_enumeration`.

    Returns a list of profiles, or ``"continuum"`` / ``"failed"``.
    """
    owners, gens, zero, sigma = _unknowns(supports)
    if owners:
        eqs = []
        for i, s in enumerate(supports):
            base = _expected_payoff(game[i], i, s[0], sigma, supports, zero)
            for a in s[1:]:
                eqs.append(_expected_payoff(game[i], i, a, sigma, supports, zero) - base)
        solved = _solve_polynomial_system(eqs, gens)
        if isinstance(solved, str):
            return solved
    else:  # a pure profile: the empty system has one solution
        solved = [(_Root(_tpoly(_T), (Fraction(0), Fraction(0)), 0), [])]
    rq = _tpoly(sympy.Rational(tol.numerator, tol.denominator))
    tzero = _tpoly(0)
    found = []
    for root, coords in solved:
        coord = dict(zip(owners, coords))
        sig_t: list[dict] = []
        for i, s in enumerate(supports):
            d = {a: coord[(i, a)] for a in s[1:]}
            d[s[0]] = (_tpoly(1) - sum(d.values(), tzero)).rem(root.f)
            sig_t.append(d)
        if any(root.sign(p) <= 0 for d in sig_t for p in d.values()):
            continue

        def beaten(i: int, s: tuple, root=root, sig_t=sig_t) -> bool:
            outside = [b for b in range(game[i].shape[i]) if b not in s]
            if not outside:
                return False
            base = _expected_payoff(game[i], i, s[0], sig_t, supports, tzero, root.f)
            return any(
                root.sign(_expected_payoff(game[i], i, b, sig_t, supports, tzero, root.f) - base - rq) > 0
                for b in outside
            )

        # no action outside the support may do strictly (float mode: by more than tol) better
        if any(beaten(i, s) for i, s in enumerate(supports)):
            continue
        profile = []
        for i, s in enumerate(supports):
            probs: list[Any] = [Fraction(0)] * game[i].shape[i]
            for a in s:
                probs[a] = root.value(sig_t[i][a])
            profile.append(tuple(probs))
        found.append(tuple(profile))
    return found


# --------------------------------------------------------------------------- polytopes of equilibria

#: Most candidate vertices (sets of tight inequalities) tried for one polytope of equilibria; a polytope that needs
#: more is left out, with ``complete`` False and a note naming its support profile.
MAX_VERTEX_BASES = 100_000


def _conditions(game: list[np.ndarray], bests: Sequence[tuple], support: tuple):
    """The conditions, in the unknowns of *support*, for a profile whose support lies within *support* to make
    every action of ``best[i]`` a best response of player i, for each ``best`` in *bests*.

    Equalities (``p == 0``): the actions of ``best[i]`` earn the same. Inequalities (``p <= 0``): no other action
    earns more, and every probability on *support* is non-negative. Returns ``(owners, gens, equalities,
    inequalities)``.
    """
    owners, gens, zero, sigma = _unknowns(support)
    eqs: list[sympy.Poly] = []
    ineqs = [-sigma[i][a] for i, s in enumerate(support) if len(s) > 1 for a in s]
    for best in bests:
        for i, s in enumerate(best):
            base = _expected_payoff(game[i], i, s[0], sigma, support, zero)
            for b in range(game[i].shape[i]):
                gap = _expected_payoff(game[i], i, b, sigma, support, zero) - base
                if b in s[1:]:
                    eqs.append(gap)
                elif b not in s:
                    ineqs.append(gap)
    return owners, gens, eqs, ineqs


def _affine(polys: Sequence[sympy.Poly], n: int) -> list[list[Fraction]] | None:
    """Rows ``[c_1, ..., c_n, c_0]`` (``c . x + c_0``) of polynomials of degree at most 1 in their first *n*
    generators; None if one has a higher degree."""
    rows = []
    for p in polys:
        row = [Fraction(0)] * (n + 1)
        for monom, coeff in p.terms():
            degree = sum(monom)
            if degree > 1:
                return None
            row[monom.index(1) if degree else n] = _q(coeff)
        rows.append(row)
    return rows


def _rref(rows: list[list[Fraction]], n: int) -> tuple[list[list[Fraction]], list[int]] | None:
    """Reduced row echelon form of the affine equations ``c . x + c_0 = 0`` (rows ``[c, c_0]``, x in Q^n), as
    (non-zero rows, pivot columns); None when they are inconsistent."""
    rows = [list(r) for r in rows]
    pivots: list[int] = []
    for col in range(n):
        r = len(pivots)
        k = next((k for k in range(r, len(rows)) if rows[k][col] != 0), None)
        if k is None:
            continue
        rows[r], rows[k] = rows[k], rows[r]
        rows[r] = [v / rows[r][col] for v in rows[r]]
        for j in range(len(rows)):
            if j != r and rows[j][col] != 0:
                f = rows[j][col]
                rows[j] = [a - f * b for a, b in zip(rows[j], rows[r])]
        pivots.append(col)
    if any(row[n] != 0 for row in rows[len(pivots):]):
        return None
    return rows[:len(pivots)], pivots


def _parametrise(rows: list[list[Fraction]], n: int) -> tuple[list[Fraction], list[list[Fraction]]] | None:
    """The solutions of the affine equations *rows* as ``x = x0 + N z`` (N of shape n x k, k free unknowns);
    None when there is none."""
    reduced = _rref(rows, n)
    if reduced is None:
        return None
    rows, pivots = reduced
    free = [c for c in range(n) if c not in pivots]
    x0 = [Fraction(0)] * n
    basis = [[Fraction(int(f == c)) for f in free] for c in range(n)]
    for row, c in zip(rows, pivots):
        x0[c] = -row[n]
        basis[c] = [-row[f] for f in free]
    return x0, basis


def _equality_rows(eqs: list[sympy.Poly], gens: list, n: int) -> list[list[Fraction]] | None:
    """The equalities as affine rows: themselves when linear, else their reduced Groebner basis when that is
    linear (the solution set is then the affine space it defines); None otherwise."""
    eqs = [e for e in eqs if not e.is_zero]
    rows = _affine(eqs, n)
    if rows is None:
        rows = _affine(sympy.groebner(eqs, *gens, order="grevlex", domain=QQ).polys, n)
    return rows


def _restricted_rows(ineqs: list[sympy.Poly], gens: list, n: int, x0: list, basis: list) -> list | None:
    """The inequalities ``p(x0 + N z) <= 0`` as affine rows in z; None if one is not affine in z."""
    k = len(basis[0]) if n else 0
    rows = _affine(ineqs, n)
    if rows is not None:
        return [[sum(r[c] * basis[c][j] for c in range(n)) for j in range(k)]
                + [sum(r[c] * x0[c] for c in range(n)) + r[n]] for r in rows]
    zs = list(sympy.symbols(f"z0:{k}")) or [sympy.Dummy("z")]
    sub = {g: sympy.Rational(x0[c].numerator, x0[c].denominator)
           + sum(sympy.Rational(v.numerator, v.denominator) * z for v, z in zip(basis[c], zs))
           for c, g in enumerate(gens[:n])}
    return _affine([sympy.Poly(p.as_expr().xreplace(sub), *zs, domain=QQ) for p in ineqs], k)


def _vertices(rows: list[list[Fraction]], k: int, cap: int, first: bool) -> list[tuple[Fraction, ...]] | None:
    """Vertices of the bounded polytope ``{z in Q^k : g . z + h <= 0}`` (rows ``[g, h]``): the feasible points at
    which k linearly independent inequalities are tight, found by trying every k of them. None when that is more
    than *cap* sets; with *first*, stop at the first vertex (a test for emptiness)."""
    kept: list[list[Fraction]] = []
    for row in rows:
        if any(row[:k]):
            if row not in kept:
                kept.append(row)
        elif row[k] > 0:
            return []
    if k == 0:
        return [()]
    if math.comb(len(kept), k) > cap:
        return None
    found: list[tuple[Fraction, ...]] = []
    for subset in itertools.combinations(kept, k):
        reduced = _rref(list(subset), k)
        if reduced is None or len(reduced[1]) < k:
            continue
        z = tuple(-row[k] for row in reduced[0])
        if z not in found and all(sum(g * v for g, v in zip(row, z)) + row[k] <= 0 for row in kept):
            found.append(z)
            if first:
                break
    return found


def _polytope(game: list[np.ndarray], bests: Sequence[tuple], support: tuple, cap: int = MAX_VERTEX_BASES,
              first: bool = False) -> list | str:
    """Vertices of the set of profiles with support within *support* that make every action of ``best[i]`` a
    best response of player i (for each ``best`` in *bests*), when that set is a polytope.

    The set is a polytope when the indifference equalities are linear in the unknowns (or their Groebner basis
    is) and the best-response inequalities are linear on the affine space they define. Its vertices are rational
    and are returned exactly as profiles (Fractions). Returns ``"nonlinear"`` when the set is not shown to be a
    polytope, ``"too large"`` when its vertices would need more than *cap* candidate sets.
    """
    owners, gens, eqs, ineqs = _conditions(game, bests, support)
    n = len(owners)
    rows = _equality_rows(eqs, gens, n)
    if rows is None:
        return "nonlinear"
    param = _parametrise(rows, n)
    if param is None:
        return []
    x0, basis = param
    restricted = _restricted_rows(ineqs, gens, n, x0, basis)
    if restricted is None:
        return "nonlinear"
    points = _vertices(restricted, len(basis[0]) if n else 0, cap, first)
    if points is None:
        return "too large"
    out = []
    for z in points:
        x = dict(zip(owners, (x0[c] + sum(v * w for v, w in zip(basis[c], z)) for c in range(n))))
        profile = []
        for i, s in enumerate(support):
            probs = [Fraction(0)] * game[i].shape[i]
            for a in s[1:]:
                probs[a] = x[(i, a)]
            probs[s[0]] = 1 - sum(probs)
            profile.append(tuple(probs))
        out.append(tuple(profile))
    return out


def _meet(game: list[np.ndarray], first: tuple, second: tuple) -> bool | None:
    """Whether the polytopes of equilibria of the support profiles *first* and *second* share a point (None when
    that could not be decided within the cap): their common points have support within the intersection."""
    common = tuple(tuple(a for a in s if a in t) for s, t in zip(first, second))
    if not all(common):
        return False
    found = _polytope(game, (first, second), common, first=True)
    return None if isinstance(found, str) else bool(found)


def _as_fraction_or_float(value: Any, exact: bool) -> Any:
    if exact:
        return value
    if isinstance(value, Fraction):
        return float(value)
    return float(sympy.N(value, 30))


def _sort_key(eq: tuple) -> tuple:
    return tuple(
        float(v) if isinstance(v, Fraction) else float(sympy.N(v, 30)) for probs in eq for v in probs
    )


def support_enumeration(
    payoffs: Sequence[Any], *, exact: bool, tol: float = 1e-9, max_supports: int = 20000
) -> NPlayerSolution:
    r"""Nash equilibria of an N-player game by exact support enumeration.

    For every support profile :math:`(S_1, \dots, S_N)` (each :math:`S_i` a
    nonempty set of player i's actions) the indifference system

    .. math::

        \sum_{a_{-i} \in S_{-i}} u_i(a, a_{-i}) \prod_{j \ne i} \sigma_j(a_j) = v_i
        \quad (a \in S_i), \qquad \sum_{a \in S_i} \sigma_i(a) = 1

    is written with exact rational coefficients, ``v_i`` and one
    probability per player are eliminated linearly, and the remaining
    multilinear polynomial system (as many equations as unknowns) is solved
    exactly with sympy: a Groebner basis decides whether the system has no,
    finitely many or infinitely many complex solutions; in the finite case a
    lex basis in shape position (after a separating linear change of variables
    if needed) gives every solution as ``x_k = g_k(t)`` at a real root ``t`` of
    a univariate polynomial. A solution is kept when every probability on the
    support is real and strictly positive and no action outside ``S_i`` gives
    player i a strictly higher payoff. These sign tests are exact, also for
    irrational (algebraic) solutions: zero-ness by polynomial remainder modulo
    the root's (irreducible) minimal polynomial, the sign of a non-zero value
    from an exact rational enclosure over the root's rational isolating
    interval, refined until the enclosure excludes 0 (no floating point).
    Supports containing an action that is weakly dominated, with a strict gain
    somewhere, against the others' supports are skipped (a form of the
    conditional-dominance pruning of Porter, Nudelman & Shoham [PNS08]_;
    support enumeration for N players is surveyed in [MM96]_).

    A support profile whose system has infinitely many solutions (a continuum)
    is solved as a polytope when its conditions are linear: the profiles with
    support within :math:`(S_1, \dots, S_N)` at which every action of
    :math:`S_i` is a best response of player i form a set of equilibria cut out
    by the indifference equalities, the best-response inequalities and
    non-negativity. When the equalities are linear (always when at most one
    player mixes: then the others' payoffs are linear in her mixture; also for
    two players) or their reduced Groebner basis is, and the inequalities are
    linear on the affine space they define, that set is a polytope with
    rational vertices, enumerated exactly (every choice of tight inequalities
    that fixes a point, checked against all the others; at most
    :data:`MAX_VERTEX_BASES` choices). Its vertices are reported as equilibria
    and its vertex set in ``polytopes``; the connected components of the union
    of these polytopes and the isolated equilibria are labelled as for two
    players (two polytopes are joined when the polytope of their common points
    is non-empty, tested the same way). A continuum with nonlinear conditions
    (three players mixing, say, on a curve) is left out with a note.

    For two-player games ``two_player.extreme_equilibria`` is the faster
    complete method; this function is meant for N >= 3 but works for every
    N >= 1 (for two players its points are the extreme equilibria).

    Parameters
    ----------
    payoffs : sequence of N array_like, each of shape (n_1, ..., n_N)
        ``payoffs[i][a_1, ..., a_N]`` is player i's payoff.
    exact : bool
        True: payoffs are converted with ``to_exact`` (ints, Fractions, decimal
        strings; floats read as the decimal they print as) and results are exact.
        False: payoffs are converted the same way, solved exactly, and the
        probabilities are returned as floats.
    tol : float, default 1e-9
        Float mode only (ignored when ``exact``): an action outside the support
        disqualifies a candidate only if it gains *more than* ``tol`` (computed
        exactly), matching ``pure_equilibria(payoffs, tol=tol)`` on pure profiles.
        Indifference on the support and positivity are always exact, and so are
        the conditions of a polytope of equilibria (its vertices have regret 0).
    max_supports : int, default 20000
        Maximum number of support profiles :math:`\prod_i (2^{n_i} - 1)`.

    Returns
    -------
    NPlayerSolution
        ``equilibria``: tuples of N probability tuples (player i's of length
        ``n_i``), exact values being :class:`~fractions.Fraction` when rational
        and exact sympy algebraic numbers otherwise (radicals for quadratic
        minimal polynomials, expressions in ``CRootOf`` beyond), floats in float
        mode; sorted by the probabilities, flattened player by player,
        descending lexicographically.
        ``complete`` is True when every support profile not excluded by
        dominance had finitely many solutions, all found exactly, or a polytope
        of equilibria whose vertices were all enumerated: every Nash
        equilibrium is then listed or a convex combination of the vertices of
        one of ``polytopes``. It is False, with a note naming each support
        profile left out, when a continuum's conditions are not linear (its
        equilibria are not reported except those of smaller supports, which
        their own systems give), its vertices would need more than
        :data:`MAX_VERTEX_BASES` candidate sets, or sympy could not solve a
        system. ``components`` labels every equilibrium with its connected
        component (within the sets found), and ``notes`` describe each polytope.

        N = 1: the equilibria are the argmax actions (within ``tol`` in float
        mode), reported as pure strategies, and ``complete`` is True: with ties
        every mixture of them is also optimal, and the reported pure strategies
        are exactly the extreme points of that (convex) equilibrium set; a note
        says so.

    Raises
    ------
    ValueError
        If the payoff arrays are malformed, or if the number of support
        profiles exceeds ``max_supports`` (N >= 2; the message gives both).

    References
    ----------
    .. [MM96] R. D. McKelvey and A. McLennan, "Computation of equilibria in
       finite games", in *Handbook of Computational Economics*, vol. 1,
       pp. 87-142, Elsevier, 1996.
    .. [PNS08] R. Porter, E. Nudelman and Y. Shoham, "Simple search methods for
       finding a Nash equilibrium", *Games and Economic Behavior* 63(2):642-662,
       2008.

    Examples
    --------
    Battle of the sexes (two pure equilibria and one mixed):

    >>> import numpy as np
    >>> A = np.array([[2, 0], [0, 1]], dtype=object)
    >>> B = np.array([[1, 0], [0, 2]], dtype=object)
    >>> sol = support_enumeration([A, B], exact=True)
    >>> [tuple(tuple(str(p) for p in probs) for probs in eq) for eq in sol.equilibria]
    [(('1', '0'), ('1', '0')), (('2/3', '1/3'), ('1/3', '2/3')), (('0', '1'), ('0', '1'))]
    >>> sol.complete
    True

    Three players, player 3 indifferent at the pure profile (0, 0) of players 1
    and 2, who keep it while player 3's first action has probability between
    1/3 (player 1: gain ``3r - 1``) and 3/4 (player 2: gain ``3 - 4r``); a
    segment of equilibria, listed by its end points with one component:

    >>> u = [np.zeros((2, 2, 2), dtype=object) for _ in range(3)]
    >>> u[0][0, 0] = [2, -1]; u[0][0, 1] = -5; u[1][0, 0] = [-1, 3]; u[1][1, 0] = -5; u[2][:, :, 0] = -1
    >>> u[2][0, 0, 0] = 0
    >>> sol = support_enumeration(u, exact=True)
    >>> [tuple(str(p) for p in eq[2]) for eq in sol.equilibria], sol.components, sol.polytopes, sol.complete
    ([('3/4', '1/4'), ('1/3', '2/3'), ('0', '1')], (0, 0, 1), ((0, 1),), True)
    """
    arrays = _check_payoffs(payoffs)
    game = _exact_arrays(arrays)
    n_players = len(game)
    shape = game[0].shape
    tol_q = Fraction(0) if exact else Fraction(repr(float(tol)))
    if tol_q < 0:
        raise ValueError(f"tol must be non-negative, got {tol}")

    if n_players == 1:
        u = game[0]
        best = max(u)
        chosen = [a for a in range(shape[0]) if best - u[a] <= tol_q]
        one, nil = (Fraction(1), Fraction(0)) if exact else (1.0, 0.0)
        eqs = tuple((tuple(one if b == a else nil for b in range(shape[0])),) for a in chosen)
        notes = ()
        if len(chosen) > 1:
            notes = (
                f"the single player is indifferent among actions {tuple(chosen)}: every mixture of "
                "the reported pure equilibria is also an equilibrium (they are its extreme points)",
            )
        vertices = (tuple(range(len(chosen))),) if len(chosen) > 1 else ()
        return NPlayerSolution(equilibria=eqs, complete=True, notes=notes, components=(0,) * len(chosen),
                               polytopes=vertices)

    count = 1
    for n in shape:
        count *= 2**n - 1
    if count > max_supports:
        raise ValueError(f"the game has {count} support profiles, more than max_supports={max_supports}")

    found: list = []
    notes: list[str] = []
    polytopes: list[tuple[tuple, list]] = []
    for supports in itertools.product(*(_nonempty_subsets(n) for n in shape)):
        if any(_dominated(game[i], i, supports, tol_q) for i in range(n_players)):
            continue
        result = _solve_support(game, supports, tol_q)
        if result == "continuum":
            result = _polytope(game, (supports,), supports)
            if not isinstance(result, str):
                polytopes.append((supports, result))
        if isinstance(result, str):
            notes.append(_LEFT_OUT[result].format(supports=supports, cap=MAX_VERTEX_BASES))
            continue
        found.extend(result)

    unique: list = []
    for eq in found:
        if eq not in unique:
            unique.append(eq)
    unique.sort(key=lambda eq: (_sort_key(eq), str(eq)), reverse=True)
    for eq in unique:
        if _is_rational(eq) and certificate.regret(game, eq) > tol_q:  # safety net; cannot happen
            raise ArithmeticError(f"internal error: the profile {eq} fails its best-response check")
    components, vertex_sets, component_notes = _components(game, unique, polytopes)
    equilibria = tuple(
        tuple(tuple(_as_fraction_or_float(v, exact) for v in probs) for probs in eq) for eq in unique
    )
    return NPlayerSolution(equilibria=equilibria, complete=not notes, notes=tuple(notes + component_notes),
                           components=components, polytopes=vertex_sets)


#: Notes for a support profile whose equilibria are left out, by the reason.
_LEFT_OUT = {
    "nonlinear": "support {supports} has a continuum of solutions (positive-dimensional system) on which the "
                 "best-response conditions are not linear; equilibria in its relative interior, if any, are not "
                 "reported",
    "too large": "support {supports} has a polytope of equilibria whose vertices need more than {cap} candidate "
                 "sets of tight inequalities; they are not reported",
    "failed": "support {supports}: sympy could not solve the polynomial system",
}


def _is_rational(eq: tuple) -> bool:
    return all(isinstance(v, Fraction) for probs in eq for v in probs)


def _components(game: list[np.ndarray], unique: list, polytopes: list[tuple[tuple, list]]):
    """Connected components of the equilibria: the listed points and the polytopes spanned by their vertices.

    Two polytopes are joined when they share a point (an exact test: the polytope of their common points has a
    vertex); a point in a polytope is one of its vertices (a point isolated in its own support's solution set
    cannot lie inside a segment of equilibria). Returns ``(components, vertex_sets, notes)``: per equilibrium
    its component, numbered by first appearance; per polytope with two or more vertices, unless its vertices are
    all another's, the indices of its vertices; and a note per such polytope, or per pair of polytopes whose
    meeting could not be decided.
    """
    index = {eq: k for k, eq in enumerate(unique)}
    parent = list(range(len(unique)))

    def find(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    sets = [(supports, sorted(index[v] for v in verts)) for supports, verts in polytopes if verts]
    for _, ks in sets:
        for k in ks[1:]:
            parent[find(k)] = find(ks[0])
    notes: list[str] = []
    for (s, ks), (t, ls) in itertools.combinations(sets, 2):
        if find(ks[0]) != find(ls[0]):
            meet = _meet(game, s, t)
            if meet:
                parent[find(ls[0])] = find(ks[0])
            elif meet is None:
                notes.append(f"supports {s} and {t}: whether their polytopes of equilibria meet was not decided "
                             "(too many candidate vertices); their components may be one")
    numbering: dict = {}
    components = tuple(numbering.setdefault(find(k), len(numbering)) for k in range(len(unique)))
    vertex_sets: list[tuple[int, ...]] = []
    for supports, ks in sets:
        # a polytope whose vertices are all another's lies inside it: only the largest are listed
        if len(ks) > 1 and tuple(ks) not in vertex_sets and not any(set(ks) < set(ls) for _, ls in sets):
            vertex_sets.append(tuple(ks))
            notes.append(f"support {supports}: a continuum of equilibria, the polytope of profiles with support "
                         f"within it at which its actions are best responses; its {len(ks)} vertices are "
                         f"equilibria {', '.join(map(str, ks))} (component {components[ks[0]]})")
    return components, tuple(vertex_sets), notes
