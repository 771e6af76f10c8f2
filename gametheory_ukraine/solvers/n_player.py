"""Nash equilibria of N-player normal-form games by support enumeration.

A game with N players is given as ``payoffs``, a sequence of N arrays, each of
shape ``(n_1, ..., n_N)``: ``payoffs[i][a_1, ..., a_N]`` is player i's payoff
when player j plays action ``a_j``. Two modes are supported:

* exact -- object arrays of ints / :class:`fractions.Fraction` (anything
  :func:`gametheory_ukraine._numbers.to_exact` accepts); results are exact;
* float -- float64 arrays; the payoffs are still converted exactly (through
  their shortest decimal representation) and the polynomial systems are solved
  exactly; only the reported probabilities are rounded to ``float``.

Functions
---------
pure_equilibria
    All pure-strategy Nash equilibria (vectorised best-response test).
support_enumeration
    Equilibria found by solving, for every support profile, the polynomial
    indifference system exactly (Groebner bases in sympy).

References
----------
.. [MM96] R. D. McKelvey and A. McLennan, "Computation of equilibria in finite
   games", in H. M. Amman, D. A. Kendrick and J. Rust (eds.), *Handbook of
   Computational Economics*, vol. 1, ch. 2, pp. 87-142, Elsevier, 1996.
.. [PNS08] R. Porter, E. Nudelman and Y. Shoham, "Simple search methods for
   finding a Nash equilibrium", *Games and Economic Behavior* 63(2):642-662, 2008.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Sequence

import numpy as np
import sympy
from sympy.polys.domains import QQ

from gametheory_ukraine._numbers import as_exact_array

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
        raise ValueError(f"with {n_players} players every payoff array must have {n_players} axes; "
                         f"got shape {shape}")
    for i, arr in enumerate(arrays):
        if arr.shape != shape:
            raise ValueError(f"payoffs[{i}] has shape {arr.shape}, expected {shape} (same as payoffs[0])")
    if any(n < 1 for n in shape):
        raise ValueError(f"every player needs at least one action; shape is {shape}")
    return arrays


def _exact_arrays(arrays: list[np.ndarray]) -> list[np.ndarray]:
    return [as_exact_array(arr) for arr in arrays]


def _float_arrays(arrays: list[np.ndarray]) -> list[np.ndarray]:
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
        otherwise they are compared as float64.
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
        True when every support system that was not excluded by dominance
        was zero-dimensional and solved, so that ``equilibria`` lists *all*
        Nash equilibria of the game (for N = 1 see :func:`support_enumeration`).
    notes : tuple of str
        Human-readable remarks; non-empty whenever ``complete`` is False,
        giving the reason (e.g. ``"support ((0, 1), (0, 1), (0,)) has a
        continuum of solutions ..."``).
    """

    equilibria: tuple[tuple[tuple, ...], ...]
    complete: bool
    notes: tuple[str, ...] = ()


# --------------------------------------------------------------------------- algebra


@dataclass
class _Root:
    """A real root alpha of the irreducible polynomial ``f`` (over QQ).

    ``interval`` is a rational isolating interval ``(a, b)`` (``a == b`` for a
    rational root); ``index`` is alpha's rank among the real roots of ``f``
    (ascending), as used by :class:`sympy.CRootOf`.
    """

    f: sympy.Poly
    interval: tuple
    index: int

    def sign(self, r: sympy.Poly) -> int:
        """Exact sign of ``r(alpha)``.

        Zero is decided by the remainder of ``r`` modulo ``f`` (``f`` is
        irreducible, so ``r(alpha) == 0`` iff ``f`` divides ``r``). For a
        non-zero value the isolating interval of alpha is refined until ``r``
        has no root in it (Sturm counting, :meth:`sympy.Poly.count_roots`);
        then ``r(alpha)`` has the sign of ``r`` at the interval's endpoint.
        No floating-point arithmetic is involved.
        """
        r = r.rem(self.f)
        if r.is_zero:
            return 0
        a, b = self.interval
        if a == b:
            value = r.eval(a)
            return int(sympy.sign(value))
        while r.count_roots(a, b) > 0:
            a, b = self.f.refine_root(a, b, eps=(b - a) / 16)
        self.interval = (a, b)
        value = r.eval(a)
        return int(sympy.sign(value))

    def value(self, r: sympy.Poly) -> Any:
        """``r(alpha)`` as a Fraction if rational, else an exact sympy number."""
        r = r.rem(self.f)
        if r.degree() <= 0:
            c = r.LC() if not r.is_zero else 0
            return Fraction(int(sympy.Rational(c).p), int(sympy.Rational(c).q))
        a, b = self.interval
        if a == b:
            v = sympy.Rational(r.eval(a))
            return Fraction(int(v.p), int(v.q))
        if self.f.degree() == 2:
            c2, c1, c0 = (sympy.Rational(c) for c in self.f.all_coeffs())
            disc = sympy.sqrt(c1 * c1 - 4 * c2 * c0)
            roots = sorted([(-c1 - disc) / (2 * c2), (-c1 + disc) / (2 * c2)], key=lambda z: float(z))
            alpha = roots[self.index]
            return sympy.radsimp(sympy.expand(r.as_expr().subs(_T, alpha)))
        alpha = sympy.CRootOf(self.f.as_expr(), self.index)
        return sympy.expand(r.as_expr().subs(_T, alpha))


def _as_fraction_or_float(value: Any, exact: bool) -> Any:
    if exact:
        return value
    if isinstance(value, Fraction):
        return float(value)
    return float(sympy.N(value, 30))


def _real_roots(p: sympy.Poly) -> list[_Root]:
    """Exact real roots of the univariate polynomial *p* (distinct, multiplicity ignored)."""
    roots = []
    _, factors = sympy.factor_list(p.as_expr(), _T)
    for factor, _mult in factors:
        f = sympy.Poly(factor, _T, domain=QQ)
        if f.degree() <= 0:
            continue
        for index, ((a, b), _m) in enumerate(f.intervals()):
            roots.append(_Root(f, (sympy.Rational(a), sympy.Rational(b)), index))
    return roots


def _shape_basis(exprs: list, gens: list) -> list | None:
    """If the reduced lex basis *exprs* is in shape position, return ``[g_1, ..., g_{n-1}, p]``.

    Shape position: ``{x_k - g_k(t) : k < n} + {p(t)}`` with ``t = gens[-1]``.
    Returns None otherwise.
    """
    n = len(gens)
    t = gens[-1]
    if len(exprs) != n:
        return None
    univariate = [e for e in exprs if e.free_symbols <= {t}]
    if len(univariate) != 1:
        return None
    out = []
    for k in range(n - 1):
        x = gens[k]
        cands = [e for e in exprs if x in e.free_symbols]
        if len(cands) != 1:
            return None
        poly = sympy.Poly(cands[0], *gens, domain=QQ)
        if poly.degree(x) != 1:
            return None
        coeff = poly.coeff_monomial(x)
        rest = sympy.expand(cands[0] - coeff * x)
        if coeff == 0 or not rest.free_symbols <= {t}:
            return None
        out.append(sympy.Poly(-rest / coeff, t, domain=QQ))
    out.append(sympy.Poly(univariate[0], t, domain=QQ))
    return out


_N_SHIFTS = 8  # separating linear forms tried: t = x_n, then pseudo-random integer combinations


def _solve_zero_dim(basis: list, xs: list) -> list[tuple[_Root, list[sympy.Poly]]] | None:
    """Real points of the zero-dimensional ideal generated by *basis* in the variables *xs*.

    A separating linear form ``t = x_n + sum_k c_k x_k`` (``c = 0`` first) is
    introduced and a lex Groebner basis (grevlex, then FGLM) with ``t`` last is
    computed; when it is in shape position every point is
    ``x_k = g_k(t)`` at a real root ``t`` of ``p``. Returns, per real point,
    its root and the coordinate polynomials ``x_k = h_k(t)`` for all of *xs*;
    returns None when no tried form gives shape position.
    """
    n = len(xs)
    t = _T
    gens = list(xs[:-1]) + [t]
    for attempt in range(_N_SHIFTS if n > 1 else 1):
        rng = random.Random(attempt)
        c = [sympy.Integer(rng.randint(-5, 5) if attempt else 0) for _ in range(n - 1)]
        last = t - sum((ck * xk for ck, xk in zip(c, xs[:-1])), sympy.Integer(0))
        exprs = [sympy.expand(e.subs(xs[-1], last)) for e in basis]
        grevlex = sympy.groebner(exprs, *gens, order="grevlex", domain=QQ)
        lex = grevlex.fglm("lex") if n > 1 else grevlex
        shape = _shape_basis(list(lex.exprs), gens)
        if shape is None:
            continue
        gs, p = shape[:-1], shape[-1]
        tpoly = sympy.Poly(t, t, domain=QQ)
        x_last = tpoly - sum((g * sympy.Poly(ck, t, domain=QQ) for ck, g in zip(c, gs)),
                             sympy.Poly(0, t, domain=QQ))
        coords = list(gs) + [x_last]
        return [(root, coords) for root in _real_roots(p)]
    return None


def _radical_generators(basis: list, xs: list) -> list:
    """Add the square-free part of each variable's eliminant (Seidenberg's lemma: the ideal becomes radical)."""
    extra = []
    for k, x in enumerate(xs):
        gens = [y for y in xs if y is not x] + [x]
        lex = sympy.groebner(basis, *gens, order="grevlex", domain=QQ).fglm("lex")
        univ = [e for e in lex.exprs if e.free_symbols <= {x}]
        if univ:
            p = sympy.Poly(univ[0], x, domain=QQ)
            extra.append(sympy.quo(p, sympy.gcd(p, p.diff(x))).as_expr())
    return list(basis) + extra


def _solve_polynomial_system(eqs: list, xs: list):
    """Solve ``eqs == 0`` exactly.

    Returns ``"continuum"`` for a positive-dimensional solution set, ``"failed"``
    when no shape-position basis was found, else a list of ``(root, coords)``.
    """
    eqs = [e for e in eqs if e != 0]
    if not xs:
        if any(eqs):
            return []
        return [(_Root(sympy.Poly(_T, _T, domain=QQ), (sympy.Integer(0), sympy.Integer(0)), 0), [])]
    if any(e.is_number for e in eqs):
        return []
    if not eqs:
        return "continuum"
    grevlex = sympy.groebner(eqs, *xs, order="grevlex", domain=QQ)
    if any(e.is_number for e in grevlex.exprs):
        return []
    if not grevlex.is_zero_dimensional:
        return "continuum"
    basis = list(grevlex.exprs)
    points = _solve_zero_dim(basis, xs)
    if points is None:
        points = _solve_zero_dim(_radical_generators(basis, xs), xs)
    if points is None:
        return "failed"
    # safety net: every point must satisfy the original equations exactly
    for root, coords in points:
        sub = dict(zip(xs, (h.as_expr() for h in coords)))
        for e in eqs:
            if not sympy.Poly(sympy.expand(e.subs(sub, simultaneous=True)), _T, domain=QQ).rem(root.f).is_zero:
                return "failed"
    return points


# --------------------------------------------------------------------------- supports


def _nonempty_subsets(n: int) -> list[tuple[int, ...]]:
    return [s for size in range(1, n + 1) for s in itertools.combinations(range(n), size)]


def _dominated(u: np.ndarray, i: int, supports: tuple, tol: Fraction) -> bool:
    """Conditional dominance test of [PNS08], in a weak form valid inside a support profile.

    Every profile of ``prod_{j != i} S_j`` has positive probability, so an action
    ``a`` in ``S_i`` cannot be a best response if some ``a'`` is at least as good
    against every such profile and strictly better against one. For ``a'``
    outside ``S_i`` with ``tol > 0`` (float mode) the gain must exceed ``tol``
    everywhere instead.
    """
    index = tuple(supports[j] if j != i else list(range(u.shape[i])) for j in range(u.ndim))
    sub = np.moveaxis(u[np.ix_(*index)], i, 0)
    n_i = u.shape[i]
    for a in supports[i]:
        for b in range(n_i):
            if b == a:
                continue
            diff = sub[b] - sub[a]
            if tol == 0 or b in supports[i]:
                if all(d >= 0 for d in diff.flat) and any(d > 0 for d in diff.flat):
                    return True
            elif all(d > tol for d in diff.flat):
                return True
    return False


def _payoff_poly(u: np.ndarray, i: int, action: int, sigma: list[dict], supports: tuple) -> Any:
    """Player i's expected payoff of *action* against the others' mixed strategies *sigma*."""
    others = [j for j in range(u.ndim) if j != i]
    total = 0
    for prof in itertools.product(*(supports[j] for j in others)):
        idx = list(prof)
        idx.insert(i, action)
        coeff = u[tuple(idx)]
        if coeff == 0:
            continue
        term = sympy.Rational(coeff.numerator, coeff.denominator)
        for j, aj in zip(others, prof):
            term = term * sigma[j][aj]
        total = total + term
    return total


def _solve_support(game: list[np.ndarray], supports: tuple, tol: Fraction):
    """Equilibria with exactly the support profile *supports*; see :func:`support_enumeration`."""
    xs = []
    sigma: list[dict] = []
    for i, s in enumerate(supports):
        vars_i = [sympy.Symbol(f"s{i}_{a}") for a in s[1:]]
        xs.extend(vars_i)
        d = dict(zip(s[1:], vars_i))
        d[s[0]] = 1 - sum(vars_i, sympy.Integer(0))
        sigma.append(d)
    eqs = []
    for i, s in enumerate(supports):
        base = _payoff_poly(game[i], i, s[0], sigma, supports)
        for a in s[1:]:
            eqs.append(sympy.expand(_payoff_poly(game[i], i, a, sigma, supports) - base))
    solved = _solve_polynomial_system(eqs, xs)
    if isinstance(solved, str):
        return solved
    found = []
    zero = sympy.Poly(0, _T, domain=QQ)
    for root, coords in solved:
        coord = dict(zip(xs, coords))
        sig_t: list[dict] = []
        ok = True
        for i, s in enumerate(supports):
            d = {a: coord[sympy.Symbol(f"s{i}_{a}")] for a in s[1:]}
            d[s[0]] = sympy.Poly(1, _T, domain=QQ) - sum(d.values(), zero)
            if any(root.sign(p) <= 0 for p in d.values()):
                ok = False
                break
            sig_t.append(d)
        if not ok:
            continue
        # no action outside the support may do (strictly, or by more than tol) better
        for i, s in enumerate(supports):
            outside = [b for b in range(game[i].shape[i]) if b not in s]
            if not outside:
                continue
            rq = sympy.Rational(tol.numerator, tol.denominator)
            base = _tpoly_payoff(game[i], i, s[0], sig_t, supports, root.f)
            for b in outside:
                gain = _tpoly_payoff(game[i], i, b, sig_t, supports, root.f) - base
                if root.sign(gain - sympy.Poly(rq, _T, domain=QQ)) > 0:
                    ok = False
                    break
            if not ok:
                break
        if not ok:
            continue
        profile = []
        for i, s in enumerate(supports):
            probs = [Fraction(0)] * game[i].shape[i]
            for a in s:
                probs[a] = root.value(sig_t[i][a])
            profile.append(tuple(probs))
        found.append(tuple(profile))
    return found


def _tpoly_payoff(u, i, action, sig_t, supports, f):
    others = [j for j in range(u.ndim) if j != i]
    total = sympy.Poly(0, _T, domain=QQ)
    for prof in itertools.product(*(supports[j] for j in others)):
        idx = list(prof)
        idx.insert(i, action)
        coeff = u[tuple(idx)]
        if coeff == 0:
            continue
        term = sympy.Poly(sympy.Rational(coeff.numerator, coeff.denominator), _T, domain=QQ)
        for j, aj in zip(others, prof):
            term = (term * sig_t[j][aj]).rem(f)
        total = total + term
    return total.rem(f)


def _sort_key(eq: tuple) -> tuple:
    flat = [v for probs in eq for v in probs]
    return tuple(float(v) if isinstance(v, Fraction) else float(sympy.N(v, 30)) for v in flat)


def support_enumeration(payoffs: Sequence[Any], *, exact: bool, tol: float = 1e-9,
                        max_supports: int = 20000) -> NPlayerSolution:
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
    the root's minimal polynomial, the sign of a non-zero value by Sturm root
    counting on a rational isolating interval (no floating point). Supports
    containing an action that is weakly dominated, with a strict gain somewhere,
    against the others' supports are skipped (the conditional-dominance pruning
    of Porter, Nudelman & Shoham [PNS08]_; see also [MM96]_, section 6).

    For two-player games ``two_player.extreme_equilibria`` is the complete
    method (it also enumerates the extreme points of continua of equilibria);
    this function is meant for N >= 3 but works for every N >= 1.

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
        Indifference on the support and positivity are always exact.
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
        ``complete`` is False, with a note, when some support system has a
        continuum of solutions (its equilibria are then not reported -- those
        on its boundary with smaller support are, through the smaller support's
        own system -- so the result lists all isolated equilibria with
        zero-dimensional supports but not the continuum) or could not be solved.

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
       finite games", *Handbook of Computational Economics*, vol. 1, 1996.
    .. [PNS08] R. Porter, E. Nudelman and Y. Shoham, "Simple search methods for
       finding a Nash equilibrium", *Games and Economic Behavior* 63, 2008.

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
        eqs = tuple(((tuple(one if b == a else nil for b in range(shape[0])),),) for a in chosen)
        notes = ()
        if len(chosen) > 1:
            notes = (f"the single player is indifferent among actions {tuple(chosen)}: every mixture of "
                     "the reported pure equilibria is also an equilibrium (they are its extreme points)",)
        return NPlayerSolution(equilibria=eqs, complete=True, notes=notes)

    count = 1
    for n in shape:
        count *= 2 ** n - 1
    if count > max_supports:
        raise ValueError(f"the game has {count} support profiles, more than max_supports={max_supports}")

    found: list = []
    notes: list[str] = []
    for supports in itertools.product(*(_nonempty_subsets(n) for n in shape)):
        if any(_dominated(game[i], i, supports, tol_q) for i in range(n_players)):
            continue
        result = _solve_support(game, supports, tol_q)
        if result == "continuum":
            notes.append(f"support {supports} has a continuum of solutions (positive-dimensional "
                         "system); equilibria in its relative interior, if any, are not reported")
            continue
        if result == "failed":
            notes.append(f"support {supports}: sympy could not solve the polynomial system")
            continue
        found.extend(result)

    unique: list = []
    for eq in found:
        if eq not in unique:
            unique.append(eq)
    unique.sort(key=lambda eq: (_sort_key(eq), str(eq)), reverse=True)
    equilibria = tuple(tuple(tuple(_as_fraction_or_float(v, exact) for v in probs) for probs in eq)
                       for eq in unique)
    return NPlayerSolution(equilibria=equilibria, complete=not notes, notes=tuple(notes))
