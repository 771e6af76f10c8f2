"""All equilibria of a symbolic bimatrix game at many points, degenerate games included: one exact solve per
combinatorial type.

The strategic forms of game trees (the framework models' normal forms) are *structurally* degenerate: the same
payoff expression appears in several cells ("war continues" whatever the other player planned), so every
parameter point is a degenerate game and support enumeration (:mod:`gametheory_ukraine.batched.bimatrix`) would
send every point to the exact scalar solver. This module instead uses the fact that the extreme equilibria of a
bimatrix game are determined, as *label sets*, by the combinatorial types of the two best-response polytopes
([vS07]_ section 3.4):

* ``P = {x >= 0 : B^T x <= 1}`` and ``Q = {y >= 0 : A y <= 1}`` (payoffs shifted positive). Homogenised, the
  constraints of ``P`` are the vectors ``e_i`` (``x_i >= 0``) and ``(-B[:, j], 1)`` in ``R^(m+1)``; the face
  lattice with its labels is fixed by their oriented matroid, i.e. by the signs of all maximal minors
  ([BLSWZ99]_ section 3.2). Expanding along the ``e_i``, these are (up to fixed signs) the minors
  ``det [[B[R, C]], [1 ... 1]]`` with ``|R| = k - 1`` rows and ``|C| = k`` columns. Subtracting multiples of the
  row of ones shows they are invariant under adding a constant to ``B``, and scaling ``B`` by ``s > 0`` scales
  them by ``s^(k-1)``: so their signs can be read off the raw payoffs, whatever the normalisation.
* Points whose two sign vectors ("keys") agree have the same equilibria as label sets, the same components and
  the same degeneracy; only the coordinates move. Each vertex is the unique solution of its tight constraints.

:func:`compile_structure` first substitutes, exactly, the parameters that keep one value at every point (a
sweep's other parameters; ``fixed``), and then reads the type of a point in one of two ways ("keys"):

``"factors"``
    For payoffs that are rational functions, with exact coefficients, of at most
    :data:`MAX_FACTOR_PARAMETERS` remaining parameters. Every minor is computed once, exactly, in the field of
    rational functions of the remaining parameters
    (sympy's sparse polynomials); the identically-zero ones are the structural degeneracy, and the numerators
    and denominators of the others are factored into irreducible polynomials. The sign of a minor is the
    product of the signs of its factors, so the factors' signs determine the type. A sweep of the relapse risk
    alone has about ten factors of degree one or two in rho: reading a point's type costs a few
    multiplications. A point is flagged when a factor ``f`` is within ``tol * |f|_1`` of zero, where ``|f|_1``
    is ``f`` with its coefficients and parameters in absolute value (the size of the terms that cancel).
``"minors"``
    For the other games. Each minor is evaluated in exact rational arithmetic at three random rational
    parameter points and counts as identically zero iff it vanishes at all three (a nonzero rational function
    vanishes at a point drawn at random from a large set with small probability: Schwartz 1980; Zippel 1979;
    the points come from a fixed seed, so the classification is reproducible). The other minors are
    evaluated at every point, on payoffs
    scaled by their largest absolute value; a point with such a minor within ``tol * k!`` of zero is flagged.

Games with ``Min``, ``Max``, ``Abs`` or ``Piecewise`` payoffs (whose minors can vanish on whole regions) are
refused.

:func:`structured_equilibria` then, for a chunk of points:

1. evaluates the payoffs (one ``lambdify`` call) and the keys, flagging points that may lie on a threshold,
   where the type changes;
2. groups the other points by key. The first time a type is met (in this chunk or an earlier one: the types
   are cached on the compiled game), one of its points is solved exactly
   (:func:`~gametheory_ukraine.solvers.two_player.extreme_equilibria`, ``exact=True``, on the exact payoffs
   given by ``exact_payoffs``) and each extreme equilibrium's tight constraints are read off, choosing a
   nonsingular square subset of them;
3. recomputes every vertex at every point of the group (closed forms for supports of two and three actions,
   a stacked linear solve beyond), orders the equilibria of each point as the scalar solver does (descending
   lexicographic in ``x + y``) and numbers the components by first appearance, as it does. A pure strategy
   stays a constant, so its payoff vector is a view of a payoff column;
4. certifies every equilibrium at every point by a best-response check (regret at most
   ``4 * tol * max(1, max|payoff|)``, probabilities within ``tol`` of [0, 1]) and checks the order; a point
   that fails is flagged;
5. re-solves flagged points on the exact scalar path.

So every point's answer is that of the exact scalar solver: literally so at flagged points and group
representatives, and at the other points through the equal combinatorial type.

References
----------
.. [vS07] B. von Stengel (2007), "Equilibrium computation for two-player games in strategic and extensive
   form", ch. 3 of *Algorithmic Game Theory*, Cambridge University Press.
.. [BLSWZ99] A. Björner, M. Las Vergnas, B. Sturmfels, N. White and G. M. Ziegler, *Oriented Matroids*, 2nd
   ed., Cambridge University Press, 1999.
.. [Sch80] J. T. Schwartz, "Fast probabilistic algorithms for verification of polynomial identities",
   *Journal of the ACM* 27(4):701-717, 1980.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import combinations
from typing import Any

import numpy as np
import sympy
from sympy import QQ
from sympy.polys.polyerrors import PolynomialError

from ..core.errors import ParameterError, SolverError
from ..core.numbers import to_exact
from ..games.normal_form import NormalFormGame
from ..solvers.two_player import extreme_equilibria
from .bimatrix import BatchedBimatrix, bilinear, exact_matrix
from .compile import CompiledNormalForm, as_sympy, compile_normal_form, point_arrays

__all__ = ["StructuredBimatrix", "compile_structure", "structured_equilibria", "check_structured",
           "support_pairs", "MAX_SUPPORT_PAIRS", "MAX_SUPPORT_PAIRS_ONE_PARAMETER", "MAX_FACTOR_PARAMETERS"]

#: Factors mode is used for games with at most this many free parameters (after fixing a sweep's others): the
#: exact factorisation takes well under a second there, and grows quickly beyond.
MAX_FACTOR_PARAMETERS = 3
_ZERO_TEST_POINTS = 3
_ZERO_TEST_SEED = 20250101
_CACHE_LIMIT = 4096   # combinatorial types remembered per compiled game
_MAX_RUNS = 64        # a group split into more contiguous runs than this is handled as one index array
_FEW_GROUPS = 8       # up to this many groups are selected by masks, more by one sort
_WINDOW_POINTS = 2048  # one-parameter keys from risk windows (:func:`_windowed_keys`) from this many points on
_ROOT_WIDTH = sympy.Rational(1, 10**12)  # width of the isolating intervals of the roots of the risk windows


# ------------------------------------------------------------------------------------------- minors
def _polytope_matrices(entries: list, m: int, n: int) -> tuple[list, list]:
    """``B`` (m x n) and ``A`` transposed (n x m) from the flat payoff entries, A's m*n first (row by row) then
    B's: the matrices whose minors define the two best-response polytopes."""
    A = [entries[i * n:(i + 1) * n] for i in range(m)]
    B = [entries[m * n + i * n:m * n + (i + 1) * n] for i in range(m)]
    return B, [[A[i][j] for i in range(m)] for j in range(n)]


def _minor_index(r: int, c: int) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """(R, C) pairs with |C| = |R| + 1 >= 2: the minors det [[M[R, C]], [1 ... 1]] of an r x c matrix M."""
    out = []
    for k in range(2, min(r + 1, c) + 1):
        for R in combinations(range(r), k - 1):
            for C in combinations(range(c), k):
                out.append((R, C))
    return out


def _det_ones(rows: list[list[Any]]) -> Any:
    """det of the square matrix *rows* + a row of ones (exact or float), by Laplace expansion along the ones."""
    k = len(rows) + 1
    if k == 2:
        return rows[0][1] - rows[0][0]
    total = 0
    for j in range(k):
        sub = [[row[c] for c in range(k) if c != j] for row in rows]
        total += (-1) ** (k - 1 + j) * _det(sub)
    return total


def _det(M: list[list[Any]]) -> Any:
    n = len(M)
    if n == 1:
        return M[0][0]
    if n == 2:
        return M[0][0] * M[1][1] - M[0][1] * M[1][0]
    return sum((-1) ** j * M[0][j] * _det([row[:j] + row[j + 1:] for row in M[1:]]) for j in range(n))


def _minors_float(M: np.ndarray, index: list) -> np.ndarray:
    """Minors of stacked matrices M (points, r, c) for *index*; float (points, len(index))."""
    P = M.shape[0]
    out = np.empty((P, len(index)))
    for q, (R, C) in enumerate(index):
        k = len(C)
        if k == 2:
            out[:, q] = M[:, R[0], C[1]] - M[:, R[0], C[0]]
        elif k == 3:
            a, b = M[:, R[0]], M[:, R[1]]
            d = [a[:, C[u]] * b[:, C[v]] - a[:, C[v]] * b[:, C[u]] for u, v in ((1, 2), (0, 2), (0, 1))]
            out[:, q] = d[0] - d[1] + d[2]
        elif k == 4:
            a, b, c = M[:, R[0]], M[:, R[1]], M[:, R[2]]
            total = np.zeros(P)
            for j in range(4):
                u, v, w = (C[t] for t in range(4) if t != j)
                d3 = (a[:, u] * (b[:, v] * c[:, w] - b[:, w] * c[:, v])
                      - a[:, v] * (b[:, u] * c[:, w] - b[:, w] * c[:, u])
                      + a[:, w] * (b[:, u] * c[:, v] - b[:, v] * c[:, u]))
                total += d3 if (3 + j) % 2 == 0 else -d3
            out[:, q] = total
        else:
            sub = np.empty((P, k, k))
            sub[:, :k - 1, :] = M[:, list(R)][:, :, list(C)]
            sub[:, k - 1, :] = 1.0
            out[:, q] = np.linalg.det(sub)
    return out


# --------------------------------------------------------------------------------------- compiling
@dataclass(frozen=True, eq=False)
class StructuredBimatrix:
    """A symbolic two-player game prepared for :func:`structured_equilibria`.

    Attributes
    ----------
    game : NormalFormGame
        The symbolic game as given.
    specialised : NormalFormGame
        The game with the ``fixed`` parameters substituted (exactly); its free parameters are the ones a sweep
        varies.
    compiled : CompiledNormalForm
        ``specialised``'s payoffs compiled to numpy.
    fixed : tuple of (str, Fraction)
        The parameters fixed at compile time, with their values.
    keys : {"factors", "minors"}
        How the combinatorial type of a point is read (see the module docstring).
    factors : tuple of str
        ``keys == "factors"``: the distinct irreducible factors of the minors, as text.
    minors_p, minors_q : tuple of (tuple of int, tuple of int)
        ``keys == "minors"``: the minors ``(R, C)`` of ``B`` (for ``P``) and of ``A^T`` (for ``Q``) that are not
        identically zero, one per class of constant multiples.
    n_zero : int
        How many minors are identically zero (the structural degeneracy).
    """

    game: NormalFormGame
    specialised: NormalFormGame
    compiled: CompiledNormalForm
    fixed: tuple
    keys: str
    factors: tuple
    minors_p: tuple
    minors_q: tuple
    n_zero: int
    _factor_func: Callable | None = field(default=None, repr=False)
    _cache: dict = field(default_factory=dict, repr=False)
    _windows: dict = field(default_factory=dict, repr=False)

    @property
    def parameters(self) -> tuple[str, ...]:
        """The parameters a point must give: the free parameters of ``specialised``."""
        return self.compiled.parameters


#: Most pairs of equal-size supports a game may have for :func:`compile_structure`, which builds the symbolic
#: minors of every pair: 69 for a 4 x 4 game, 125 for 5 x 4, 12,869 for 8 x 8, 38,759 for 6 x 14 (whose
#: symbolic compilation in several parameters takes minutes, where one exact solve per point takes a fraction
#: of a second).
MAX_SUPPORT_PAIRS = 20_000
#: Most pairs of supports of a game whose payoffs, once a sweep's other parameters are fixed, are rational
#: functions of at most one parameter: its minors are then computed as integers, one Kronecker substitution
#: for all coefficients (:func:`_univariate_factors`; territory's 6 x 14 form, 38,759 pairs, in about 2 s).
MAX_SUPPORT_PAIRS_ONE_PARAMETER = 100_000


def support_pairs(m: int, n: int) -> int:
    """Pairs of equal-size supports of an *m* x *n* game: the sum over k of C(m, k) C(n, k).

    Examples
    --------
    >>> support_pairs(4, 4), support_pairs(6, 14)
    (69, 38759)
    """
    return sum(math.comb(m, k) * math.comb(n, k) for k in range(1, min(m, n) + 1))


def check_structured(game: NormalFormGame, fixed: Mapping[str, Any] | None = None) -> None:
    """Raise :class:`SolverError` unless *game* suits :func:`compile_structure` with the parameters *fixed*
    (two players, no piecewise payoffs, at most :data:`MAX_SUPPORT_PAIRS` pairs of supports, or at most
    :data:`MAX_SUPPORT_PAIRS_ONE_PARAMETER` when the payoffs with *fixed* substituted are rational functions of
    at most one parameter). Cheap: nothing is compiled (a big game's payoffs are substituted once).

    Examples
    --------
    >>> import gametheory_ukraine as gtu
    >>> m = gtu.load_model("territory")
    >>> check_structured(m.symbolic("normal"))
    Traceback (most recent call last):
    ...
    gametheory_ukraine.core.errors.SolverError: a 6 x 14 game has 38,759 pairs of supports, more than the \
structured engine compiles (20,000; 100,000 once every parameter but one is fixed) (fix: ...)
    >>> others = {k: v for k, v in m.values("baseline-2025").items() if k != "rho"}
    >>> check_structured(m.symbolic("normal"), others)
    """
    # a game found suitable with some fixed values is remembered (with the game, so its id stays its own): every
    # sweep of a model checks its game again, and a big game's check substitutes and factors every payoff
    try:
        key = (id(game), tuple(sorted((k, to_exact(v)) for k, v in (fixed or {}).items() if k in game.parameters)))
    except (TypeError, ValueError, ArithmeticError):  # a value with no exact form: checked every time
        key = None
    if key is not None and _SUITABLE.get(key) is game:
        return
    _check_structured(game, fixed)
    if key is not None:
        if len(_SUITABLE) >= 16:
            _SUITABLE.clear()
        _SUITABLE[key] = game


_SUITABLE: dict = {}


def _check_structured(game: NormalFormGame, fixed: Mapping[str, Any] | None) -> None:
    if len(game.players) != 2:
        raise SolverError(f"the structured engine is for two-player games, not {len(game.players)}",
                          fix="use the scalar path for N-player games")
    for p in game.payoffs:
        for v in np.asarray(p, dtype=object).flat:
            if isinstance(v, sympy.Basic) and v.has(sympy.Min, sympy.Max, sympy.Abs, sympy.Piecewise):
                raise SolverError("payoffs with min, max or abs can be degenerate on whole regions",
                                  fix="use the scalar path (engine='scalar')")
    pairs = support_pairs(*(len(a) for a in game.actions))
    if pairs <= MAX_SUPPORT_PAIRS:
        return
    if pairs <= MAX_SUPPORT_PAIRS_ONE_PARAMETER and _univariate(_specialise(game, fixed or {})[0]) is not None:
        return
    shape = " x ".join(str(len(a)) for a in game.actions)
    raise SolverError(f"a {shape} game has {pairs:,} pairs of supports, more than the structured engine "
                      f"compiles ({MAX_SUPPORT_PAIRS:,}; {MAX_SUPPORT_PAIRS_ONE_PARAMETER:,} once every parameter "
                      "but one is fixed)", fix="sweep one parameter at a time, or use the scalar path "
                                               "(engine='scalar')")


def _specialise(game: NormalFormGame, fixed: Mapping[str, Any]) -> tuple[NormalFormGame, tuple]:
    """*game* with the parameters of *fixed* that it uses substituted exactly, and those values."""
    used = {k: to_exact(v) for k, v in fixed.items() if k in game.parameters}
    if not used:
        return game, ()
    subs = {sympy.Symbol(k): sympy.Rational(v.numerator, v.denominator) for k, v in used.items()}
    new = []
    for p in game.payoffs:
        out = np.empty(p.shape, dtype=object)
        for idx, v in np.ndenumerate(p):
            out[idx] = v.xreplace(subs) if isinstance(v, sympy.Basic) else v
        new.append(out)
    spec = NormalFormGame(game.players, game.actions, tuple(new), outcomes=game.outcomes, title=game.title)
    return spec, tuple(sorted(used.items()))


def compile_structure(game: NormalFormGame, fixed: Mapping[str, Any] | None = None, *,
                      keys: str = "auto") -> StructuredBimatrix:
    """Compile a symbolic two-player game and find its structural degeneracy (see the module docstring).

    Parameters
    ----------
    game : NormalFormGame
        Two players; symbolic, exact or float payoffs.
    fixed : mapping of str -> number, optional
        Parameters that keep one value at every point (a sweep's other parameters), substituted exactly before
        anything else: minors that vanish at these values are then structural zeros, and the key polynomials
        are in the remaining parameters only. Names the game does not use are ignored.
    keys : {"auto", "factors", "minors"}, default "auto"
        ``"factors"``: signs of the minors' irreducible factors, computed once in exact rational-function
        arithmetic (payoffs must be rational functions of at most :data:`MAX_FACTOR_PARAMETERS` free
        parameters); ``"minors"``: signs of the minors, evaluated at every point; ``"auto"``: factors when
        possible.

    Returns
    -------
    StructuredBimatrix

    Raises
    ------
    SolverError
        More than two players, piecewise payoffs (``Min``, ``Max``, ``Abs``, ``Piecewise``), or
        ``keys="factors"`` for a game that does not allow it.

    Examples
    --------
    The column player is indifferent between her columns against the first row, for every value of *a*; the
    other minors are a, 1 - a and 2, so the type of a point is read off the signs of a and a - 1:

    >>> import sympy
    >>> a = sympy.Symbol("a")
    >>> g = NormalFormGame.from_arrays([[a, 0], [1, 2]], [[1, 1], [0, a]])
    >>> s = compile_structure(g)
    >>> s.keys, s.n_zero, s.factors
    ('factors', 1, ('a', 'a - 1'))
    >>> s = compile_structure(g, keys="minors")
    >>> s.n_zero, len(s.minors_p), len(s.minors_q)
    (1, 1, 2)
    """
    if keys not in ("auto", "factors", "minors"):
        raise SolverError(f"unknown keys={keys!r}", fix="use 'auto', 'factors' or 'minors'")
    check_structured(game, fixed)
    spec, fixed_items = _specialise(game, fixed or {})
    compiled = compile_normal_form(spec)
    big = support_pairs(*spec.shape) > MAX_SUPPORT_PAIRS
    if big and keys == "minors":
        raise SolverError(f"keys='minors' evaluates every minor at every point: too many for a "
                          f"{' x '.join(map(str, spec.shape))} game", fix="use keys='auto'")
    found = None if keys == "minors" else _univariate_factors(spec) if big else _factor_structure(spec)
    if found is not None:
        factors, n_zero, func = found
        return StructuredBimatrix(game, spec, compiled, fixed_items, "factors", factors, (), (), n_zero, func)
    if keys == "factors":
        raise SolverError(f"keys='factors' needs payoffs that are rational functions of at most "
                          f"{MAX_FACTOR_PARAMETERS} free parameters with exact coefficients "
                          f"(this game has {len(spec.parameters)})", fix="use keys='minors' or 'auto'")
    keep_p, keep_q, n_zero = _minor_structure(spec)
    return StructuredBimatrix(game, spec, compiled, fixed_items, "minors", (), keep_p, keep_q, n_zero)


def _factor_structure(game: NormalFormGame) -> tuple[tuple[str, ...], int, Callable | None] | None:
    """Factors mode: the distinct monic irreducible factors of the numerators and denominators of every minor
    that is not identically zero, computed in the field Q(parameters); the number of identically-zero minors;
    one numpy function of the parameters returning the factors' values then their absolute-value bounds.
    None if the payoffs are not rational functions with exact coefficients of few enough parameters."""
    names = game.parameters
    if len(names) > MAX_FACTOR_PARAMETERS:
        return None
    values = [v for p in game.payoffs for v in np.asarray(p, dtype=object).flat]
    if any(isinstance(v, float) or (isinstance(v, sympy.Basic) and v.has(sympy.Float)) for v in values):
        return None
    symbols = [sympy.Symbol(n) for n in names]
    try:
        if symbols:
            K, *_ = sympy.field(symbols, QQ)
            conv = K.from_expr
        else:
            conv = QQ.from_sympy
        els = [conv(as_sympy(v)) for v in values]
    except (PolynomialError, ValueError, TypeError, ArithmeticError):
        return None
    m, n = game.shape
    B, At = _polytope_matrices(els, m, n)
    found: dict = {}
    zero = 0
    for M, index in ((B, _minor_index(m, n)), (At, _minor_index(n, m))):
        for R, C in index:
            d = _det_ones([[M[r][c] for c in C] for r in R])
            if not d:
                zero += 1
                continue
            if not symbols:
                continue
            for part in (d.numer, d.denom):
                if part.is_ground:
                    continue
                for f, _ in part.factor_list()[1]:
                    if not f.is_ground:
                        found.setdefault(f.monic(), None)
    if not found:
        return (), zero, None
    text, func = _factor_function(symbols, list(found))
    return text, zero, func


def _factor_function(symbols: list, factors: list) -> tuple[tuple[str, ...], Callable]:
    """The factors as text, and one numpy function of *symbols* returning the factors' values then their
    absolute-value bounds ``|f|_1``."""
    exprs, bounds = [], []
    for f in factors:
        exprs.append(f.as_expr())
        bounds.append(sympy.Add(*[abs(QQ.to_sympy(QQ.convert(c))) * sympy.Mul(*[sympy.Abs(s) ** e
                                                                               for s, e in zip(symbols, mon)])
                                  for mon, c in f.terms()]))
    func = sympy.lambdify(symbols, exprs + bounds, modules="numpy", cse=True)
    return tuple(str(e) for e in exprs), func


def _univariate(game: NormalFormGame) -> tuple[Any, list] | None:
    """(x, entries) if every payoff of *game* is a rational function with exact coefficients of at most one
    parameter x (a dummy symbol if none): entries are (numerator, denominator) ``Poly`` over QQ in x, payoff
    by payoff as ``payoffs[0]`` then ``payoffs[1]`` flattened; else None."""
    if len(game.parameters) > 1:
        return None
    x = sympy.Symbol(game.parameters[0]) if game.parameters else sympy.Dummy("x")
    entries = []
    for p in game.payoffs:
        for v in np.asarray(p, dtype=object).flat:
            e = as_sympy(v)
            if isinstance(v, float) or e.has(sympy.Float):
                return None
            try:
                num, den = sympy.fraction(sympy.cancel(e))
                entries.append((sympy.Poly(num, x, domain=QQ), sympy.Poly(den, x, domain=QQ)))
            except (PolynomialError, sympy.GeneratorsNeeded, sympy.CoercionFailed):  # not a polynomial in x over QQ
                return None
    return x, entries


def _integer_rows(rows: list[list[tuple]]) -> tuple[list[list[Any]], list[Any]]:
    """Each row of (numerator, denominator) pairs times its denominators' lcm and its coefficients' common
    denominator: integer polynomials (``Poly`` over ZZ); and each row's multiplier polynomial (whose sign enters
    the signs of the minors)."""
    out, multipliers = [], []
    for row in rows:
        lcm = row[0][1]
        for _, den in row[1:]:
            lcm = lcm.lcm(den)
        scaled = [num * lcm.exquo(den) for num, den in row]
        scale = 1
        for f in scaled:
            scale = math.lcm(scale, int(f.clear_denoms()[0]))
        out.append([(f * scale).set_domain(sympy.ZZ) for f in scaled])
        multipliers.append(lcm)
    return out, multipliers


def _ones_minors(M: list[list[Any]], index: list) -> list[Any]:
    """The minors ``det [[M[R, C]], [1 ... 1]]`` of *index* (as :func:`_det_ones`, up to a fixed sign each),
    expanded along the row of ones into square minors of M that are each computed once (Laplace expansion along
    their first row, sub-minors cached): about sum_k k C(r, k) C(c, k) products in all, where expanding each
    minor on its own costs k! apiece."""
    cache: dict = {}

    def det(R: tuple, C: tuple) -> Any:
        if len(R) == 1:
            return M[R[0]][C[0]]
        key = (R, C)
        v = cache.get(key)
        if v is None:
            v = 0
            for t, c in enumerate(C):
                e = M[R[0]][c]
                if e:
                    term = e * det(R[1:], C[:t] + C[t + 1:])
                    v = v + term if t % 2 == 0 else v - term
            cache[key] = v
        return v

    out = []
    for R, C in index:
        total = 0
        for j in range(len(C)):
            d = det(R, C[:j] + C[j + 1:])
            total = total + d if j % 2 == 0 else total - d
        out.append(total)
    return out


def _kronecker_minors(rows: list[list[Any]], index: list, x) -> tuple[list, int]:
    """The distinct nonzero minors of *index* of the integer polynomial matrix *rows*, as ``Poly`` over ZZ, and
    how many are identically zero.

    Kronecker substitution: every entry is evaluated at x = 2**b, so each minor is one Python integer whose
    base-2**b digits (balanced) are its coefficients; b exceeds the bits of twice k! prod_i max_j |M_ij|_1, a
    bound on any coefficient of a k x k minor with a row of ones (Leibniz expansion), so the digits do not
    overlap and the coefficients are read back exactly."""
    k_max = min(len(rows) + 1, len(rows[0]))
    bound = math.factorial(k_max)
    for row in rows:
        bound *= max(1, *(sum(abs(int(c)) for c in f.coeffs()) for f in row))
    b = (2 * bound).bit_length() + 1
    base = 1 << b
    M = [[int(f.eval(base)) for f in row] for row in rows]
    zero = 0
    distinct: set = set()
    for v in _ones_minors(M, index):
        if v:
            distinct.add(v)
        else:
            zero += 1
    polys = []
    half = base >> 1
    for v in sorted(distinct):  # sorted: the factors' order (and text) is the same in every run
        digits = []
        while v:
            d = v & (base - 1)
            if d >= half:
                d -= base
            digits.append(d)
            v = (v - d) >> b
        polys.append(sympy.Poly(digits[::-1], x, domain=sympy.ZZ))
    return polys, zero


def _univariate_factors(game: NormalFormGame) -> tuple[tuple[str, ...], int, Callable | None] | None:
    """Factors mode (:func:`_factor_structure`) for a game whose payoffs are rational functions of at most one
    parameter, fast enough for big games: each row of B and of A^T is scaled to integer polynomials
    (:func:`_integer_rows`; a row's multiplier scales every minor through that row), the minors are computed
    exactly with integers (:func:`_kronecker_minors`), and the factors are those of the distinct minors and of
    the multipliers (a superset of the unscaled minors' factors: the grouping can only be finer). None if the
    payoffs are not of that kind."""
    found = _univariate(game)
    if found is None:
        return None
    x, entries = found
    m, n = game.shape
    B, At = _polytope_matrices(entries, m, n)
    factors: dict = {}
    zero = 0
    for M, index in ((B, _minor_index(m, n)), (At, _minor_index(n, m))):
        rows, multipliers = _integer_rows(M)
        polys, z = _kronecker_minors(rows, index, x)
        zero += z
        for f in (*polys, *multipliers):
            for g, _ in f.factor_list()[1]:
                if g.degree() > 0:
                    factors.setdefault(g.monic().set_domain(QQ), None)
    if not game.parameters or not factors:
        return (), zero, None
    text, func = _factor_function([x], list(factors))
    return text, zero, func


def _random_point(names, rng: np.random.Generator) -> dict[str, Fraction]:
    return {n: Fraction(int(rng.integers(1, 10**9)), 10**9 + int(rng.integers(1, 10**6))) for n in names}


def _minor_structure(game: NormalFormGame) -> tuple[tuple, tuple, int]:
    """Minors mode: the minors that are not identically zero (exact evaluation at three seeded random rational
    points), one per class of constant multiples, and the number of identically-zero ones."""
    exprs = [sympy.sympify(v) if not isinstance(v, (Fraction, int, float)) else v
             for p in game.payoffs for v in np.asarray(p, dtype=object).flat]
    m, n = game.shape
    index_p, index_q = _minor_index(m, n), _minor_index(n, m)
    values_p: list[list[Fraction]] = [[] for _ in index_p]
    values_q: list[list[Fraction]] = [[] for _ in index_q]
    rng = np.random.default_rng(_ZERO_TEST_SEED)
    symbols = {s.name: s for e in exprs if isinstance(e, sympy.Basic) for s in e.free_symbols}
    done = tries = 0
    while done < _ZERO_TEST_POINTS:
        tries += 1
        if tries > 50:  # pragma: no cover - payoffs undefined almost everywhere
            raise SolverError("could not evaluate the payoffs at random parameter points")
        point = _random_point(sorted(symbols), rng)
        subs = {symbols[k]: sympy.Rational(v.numerator, v.denominator) for k, v in point.items()}
        try:
            vals = []
            for e in exprs:
                v = e.xreplace(subs) if isinstance(e, sympy.Basic) else e
                r = sympy.Rational(str(v)) if isinstance(v, float) else sympy.Rational(v)
                vals.append(Fraction(int(r.p), int(r.q)))
        except (TypeError, ValueError, ZeroDivisionError):
            continue
        k = m * n
        A = [vals[i * n:(i + 1) * n] for i in range(m)]
        B = [vals[k + i * n:k + (i + 1) * n] for i in range(m)]
        At = [[A[i][j] for i in range(m)] for j in range(n)]
        for q, (R, C) in enumerate(index_p):
            values_p[q].append(_det_ones([[B[r][c] for c in C] for r in R]))
        for q, (R, C) in enumerate(index_q):
            values_q[q].append(_det_ones([[At[r][c] for c in C] for r in R]))
        done += 1
    keep_p, zero_p = _distinct(index_p, values_p)
    keep_q, zero_q = _distinct(index_q, values_q)
    return keep_p, keep_q, zero_p + zero_q


def _distinct(index: list, values: list[list[Fraction]]) -> tuple[tuple, int]:
    """The minors that are not identically zero, one per class of minors that are constant multiples of each
    other (at the test points; their signs determine each other), and the number of identically-zero ones."""
    kept, seen, zero = [], set(), 0
    for key, vals in zip(index, values):
        if all(v == 0 for v in vals):
            zero += 1
            continue
        lead = next(v for v in vals if v != 0)
        canon = tuple(v / lead for v in vals)  # equal for minors that are constant multiples of each other
        if canon in seen:
            continue
        seen.add(canon)
        kept.append(key)
    return tuple(kept), zero


# ------------------------------------------------------------------------------------------ keys
def _keys(M: np.ndarray, index: tuple, tol: float) -> tuple[np.ndarray, np.ndarray]:
    """Sign bits of the minors *index* of M (points, r, c), packed (points, words) as uint64, and the flag of
    points where one of them is within ``tol * k! * scale^(k-1)`` of zero (``scale = max|M|``)."""
    P = M.shape[0]
    if not index:
        return np.zeros((P, 0), dtype=np.uint64), np.zeros(P, dtype=bool)
    scale = np.abs(M).reshape(P, -1).max(axis=1)
    vals = _minors_float(M, list(index))
    flag = np.zeros(P, dtype=bool)
    for k in sorted({len(C) for _, C in index}):
        cols = [q for q, (_, C) in enumerate(index) if len(C) == k]
        flag |= np.abs(vals[:, cols]).min(axis=1) <= tol * math.factorial(k) * scale ** (k - 1)
    words = (len(index) + 63) // 64
    packed = np.packbits(vals > 0, axis=1, bitorder="little")
    padded = np.zeros((P, 8 * words), dtype=np.uint8)
    padded[:, :packed.shape[1]] = packed
    return padded.view(np.uint64), flag


def _factor_keys(struct: StructuredBimatrix, params: Mapping[str, Any], P: int,
                 tol: float) -> tuple[np.ndarray, np.ndarray | None, np.ndarray]:
    """Sign bits of the factors, packed as uint64 words, and the flag of points where a factor ``f`` is within
    ``tol * |f|_1`` of zero (``|f|_1``: ``f`` with coefficients and parameters in absolute value, a bound on the
    terms that cancel): ``(keys, index, flag)``, the words of point p being ``keys[index[p]]`` (``keys[p]`` when
    *index* is None).

    With one parameter and many points, the factors are evaluated only at the points inside
    :func:`_risk_windows` and at one point of each stretch between them, whose bits the stretch's other points
    share and where no point is flagged (both as the evaluation at every point would find)."""
    K = len(struct.factors)
    if K and len(struct.parameters) == 1 and P >= _WINDOW_POINTS and 1000 * tol < 0.5:
        _, (x,) = point_arrays(params, struct.parameters)
        if np.ndim(x) == 1:
            return _windowed_keys(struct, x, tol)
    words, flag = _evaluated_keys(struct, params, P, tol)
    return words, None, flag


def _evaluated_keys(struct: StructuredBimatrix, params: Mapping[str, Any], P: int,
                    tol: float) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_factor_keys` by evaluating every factor at every point."""
    K = len(struct.factors)
    W = max(1, (K + 63) // 64)
    if not K:
        return np.zeros((P, W), dtype=np.uint64), np.zeros(P, dtype=bool)
    _, arrays = point_arrays(params, struct.parameters)
    values = np.empty((2 * K, P))  # the factors, then their bounds, factor by factor (all at once: few points)
    with np.errstate(all="ignore"):
        for k, v in enumerate(struct._factor_func(*arrays)):
            values[k] = v
        f, bound = values[:K], values[K:]
        flag = ~(np.abs(f) > tol * bound).all(axis=0)
    # bit k % 64 of word k // 64 is the sign of factor k: bits packed along the factors, 8 bytes a word
    bits = np.zeros((8 * W, P), dtype=np.uint8)
    bits[:(K + 7) // 8] = np.packbits(f > 0, axis=0, bitorder="little")
    return np.ascontiguousarray(bits.T).view("<u8").astype(np.uint64, copy=False), flag


def _windowed_keys(struct: StructuredBimatrix, x: np.ndarray,
                   tol: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`_factor_keys` of one parameter *x* (points,), as ``(keys, index, flag)``: evaluated at the points in
    the risk windows (and any that is not finite), and once per stretch between windows (in this call or an
    earlier one) for the others, whose words are their stretch's."""
    name = struct.parameters[0]
    signs = tuple(s for s, side in ((-1, x <= 0), (1, x >= 0)) if side.any())
    bounds = _risk_windows(struct, tol, signs)
    stretch = np.searchsorted(bounds, x, side="right")
    inside = (stretch % 2 == 1) | ~np.isfinite(x)
    outside = np.flatnonzero(~inside)
    where = np.flatnonzero(inside)
    P = len(x)
    index = np.empty(P, dtype=np.intp)
    # the words of each stretch between windows, found once per structure (at one point of the stretch, any one:
    # the words are the same all along it) and kept for later chunks
    W, S = max(1, (len(struct.factors) + 63) // 64), len(bounds) + 1
    stretch_words, known = struct._windows.setdefault(("words", float(tol), signs),
                                                      (np.zeros((S, W), dtype=np.uint64), np.zeros(S, dtype=bool)))
    if len(outside):
        gap = stretch[outside]
        rep = np.full(S, -1, dtype=np.intp)
        rep[gap] = outside  # a point of each stretch met, without sorting: the stretches are numbered by the bounds
        new = np.flatnonzero((rep >= 0) & ~known)
        if len(new):
            new_words, new_flag = _evaluated_keys(struct, {name: x[rep[new]]}, len(new), tol)
            if new_flag.any():  # pragma: no cover - the windows contain every point that can be flagged
                raise SolverError("internal error: a factor is near zero outside its risk windows")
            stretch_words[new] = new_words
            known[new] = True
        index[outside] = gap
    flag = np.zeros(P, dtype=bool)
    if not len(where):
        return stretch_words.copy(), index, flag
    words, flag[where] = _evaluated_keys(struct, {name: x[where]}, len(where), tol)
    index[where] = S + np.arange(len(where))
    return np.concatenate([stretch_words, words]), index, flag


def _risk_windows(struct: StructuredBimatrix, tol: float, signs: tuple[int, ...]) -> np.ndarray:
    """Sorted disjoint closed intervals ``[a0, b0, a1, b1, ...]`` (floats, rounded outwards) that contain every
    x on the half-lines ``s * x >= 0`` (s in *signs*) where a factor ``f`` of the one-parameter structure has
    ``|f(x)| <= c |f|_1(x)``, ``c = 1000 tol``; once per structure, tolerance and half-lines.

    On a half-line ``|f|_1`` is the polynomial ``f1(x) = sum_j |a_j| (s x)^j``, so the set is where
    ``g = (f - c f1)(f + c f1) <= 0``: exactly, between consecutive real roots of ``g`` (isolated in rational
    intervals by sympy's ``Poly.intervals``) where ``g`` is not positive at a rational point between them, and
    those roots' intervals (``g > 0`` beyond the outermost roots: ``c < 1``). Outside the windows every factor is
    more than ``1000 tol |f|_1`` from zero, so its float value has the exact sign and is not flagged (the float
    error of ``f`` and ``|f|_1`` is some ``1e-15 |f|_1``).
    """
    key = (float(tol), signs)
    if key in struct._windows:
        return struct._windows[key]
    x = sympy.Symbol(struct.parameters[0])
    c = sympy.Rational(1000) * sympy.nsimplify(tol, rational=True)
    spans: list[tuple[Fraction, Fraction]] = []
    for text in struct.factors:
        f = sympy.Poly(sympy.sympify(text, locals={x.name: x}), x, domain=QQ)
        coeffs = f.all_coeffs()[::-1]  # a_0, a_1, ...
        for sign in signs:
            f1 = sympy.Poly([abs(a) * sign ** j for j, a in enumerate(coeffs)][::-1], x, domain=QQ)
            g = (f - f1 * c) * (f + f1 * c)
            roots = sorted((Fraction(str(lo)), Fraction(str(hi))) for (lo, hi), _ in g.intervals(eps=_ROOT_WIDTH))
            found = list(roots)
            for (_, b), (a, _) in zip(roots, roots[1:]):
                mid = (b + a) / 2
                if g.eval(sympy.Rational(mid.numerator, mid.denominator)) <= 0:
                    found.append((b, a))
            for a, b in found:  # the part on this half-line
                a, b = (max(a, Fraction(0)), b) if sign > 0 else (a, min(b, Fraction(0)))
                if a <= b:
                    spans.append((a, b))
    merged: list[list[float]] = []
    for a, b in sorted(spans):
        lo, hi = float(np.nextafter(float(a), -np.inf)), float(np.nextafter(float(b), np.inf))
        if merged and lo <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], hi)
        else:
            merged.append([lo, hi])
    out = np.array([v for pair in merged for v in pair], dtype=float)
    struct._windows[key] = out
    return out


def _group(words: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Group rows of equal *words* (points, W): (first row of each group, group of each row)."""
    if words.shape[1] == 0 or not (words != words[:1]).any():
        return np.zeros(1, dtype=np.int64), np.zeros(words.shape[0], dtype=np.int64)
    if words.shape[1] == 1:
        _, first, inverse = np.unique(words[:, 0], return_index=True, return_inverse=True)
        return first, inverse.reshape(-1)
    rows = np.ascontiguousarray(words).view(np.dtype((np.void, words.dtype.itemsize * words.shape[1])))[:, 0]
    _, first, inverse = np.unique(rows, return_index=True, return_inverse=True)
    return first, inverse.reshape(-1)


def _point_groups(keys: np.ndarray, index: np.ndarray | None, ok: np.ndarray) -> list[np.ndarray]:
    """The points *ok* (sorted) grouped by equal words (point p's are ``keys[index[p]]``, ``keys[p]`` if *index*
    is None): groups in the order of their words' bytes, each group's points sorted. The words are grouped once
    per distinct row of *keys*, the points through *index*."""
    _, kgroup = _group(keys)
    group = kgroup[ok] if index is None else kgroup[index[ok]]
    sizes = np.bincount(group, minlength=int(kgroup.max()) + 1 if len(kgroup) else 0)
    present = np.flatnonzero(sizes)
    if len(present) == 1:
        return [ok]
    if len(present) <= _FEW_GROUPS:
        return [ok[group == g] for g in present.tolist()]
    order = np.argsort(group, kind="stable")
    bounds = np.concatenate([[0], np.cumsum(sizes[present])])
    return [ok[order[bounds[g]:bounds[g + 1]]] for g in range(len(present))]


# --------------------------------------------------------------------------------- group structure
@dataclass(frozen=True)
class _Vertex:
    """How to recompute one vertex: the equations (kind, index) of a nonsingular square system, and what they
    fix: the support, the best responses of the system, or the pure strategy."""

    equations: tuple[tuple[str, int], ...]
    size: int

    @property
    def support(self) -> tuple[int, ...]:
        zero = {i for kind, i in self.equations if kind == "zero"}
        return tuple(i for i in range(self.size) if i not in zero)

    @property
    def best(self) -> tuple[int, ...]:
        return tuple(j for kind, j in self.equations if kind == "best")


def _independent(rows: list[list[Fraction]], tags: list) -> list:
    """Greedily pick tags of linearly independent rows (exact), as many as the rank."""
    basis: list[list[Fraction]] = []
    pivots: list[int] = []
    chosen = []
    for row, tag in zip(rows, tags):
        v = list(row)
        for b, p in zip(basis, pivots):
            if v[p] != 0:
                f = v[p] / b[p]
                v = [vi - f * bi for vi, bi in zip(v, b)]
        nz = next((i for i, vi in enumerate(v) if vi != 0), None)
        if nz is not None:
            basis.append(v)
            pivots.append(nz)
            chosen.append(tag)
    return chosen


def _vertex_system(z: tuple, M: list[list[Fraction]]) -> _Vertex:
    """Equations fixing the mixed strategy *z* (length r) against payoff matrix M (r x c, the opponent's payoffs
    indexed [own action][other action]): sum z = 1, z_i = 0 off the support, equal payoff v on every best
    response; unknowns (z, v)."""
    r, c = len(M), len(M[0])
    vals = [sum(z[i] * M[i][j] for i in range(r)) for j in range(c)]
    best = max(vals)
    rows, tags = [[Fraction(1)] * r + [Fraction(0)]], [("sum", 0)]
    for i in range(r):
        if z[i] == 0:
            rows.append([Fraction(int(i == t)) for t in range(r)] + [Fraction(0)])
            tags.append(("zero", i))
    for j in range(c):
        if vals[j] == best:
            rows.append([M[i][j] for i in range(r)] + [Fraction(-1)])
            tags.append(("best", j))
    chosen = _independent(rows, tags)
    if len(chosen) != r + 1:  # pragma: no cover - an extreme equilibrium is a vertex
        raise SolverError("internal error: an extreme equilibrium is not a vertex of its polytope")
    return _Vertex(tuple(chosen), r)


@dataclass(frozen=True)
class _Structure:
    """A group's equilibria as vertex pairs, with their component classes and degeneracy."""

    x_vertices: tuple[_Vertex, ...]
    y_vertices: tuple[_Vertex, ...]
    pairs: tuple[tuple[int, int], ...]
    classes: tuple[int, ...]
    degenerate: bool


def _structure(Ae: list[list[Fraction]], Be: list[list[Fraction]]) -> _Structure:
    sol = extreme_equilibria(Ae, Be, exact=True)
    m, n = len(Ae), len(Ae[0])
    At = [[Ae[i][j] for i in range(m)] for j in range(n)]
    xv: dict = {}
    yv: dict = {}
    pairs = []
    for x, y in sol.equilibria:
        kx = _vertex_system(tuple(x), Be)
        ky = _vertex_system(tuple(y), At)
        pairs.append((xv.setdefault(kx, len(xv)), yv.setdefault(ky, len(yv))))
    return _Structure(tuple(xv), tuple(yv), tuple(pairs), tuple(sol.components), bool(sol.degenerate))


# ------------------------------------------------------------------------------- column arithmetic
# A "column" is the value of one coordinate at every point of a piece: an array of shape (G,), or a Python
# float when it is the same at every point (0 and 1 of pure strategies, constant payoffs). Keeping constants
# as floats is what makes a pure strategy's payoff vector a mere view of a payoff column.

def _dot(entries: list, z: list) -> Any:
    """sum_c entries[c] * z[c] over the c where z[c] is not the constant 0 (1 is not multiplied)."""
    total: Any = 0.0
    started = False
    for e, w in zip(entries, z):
        if isinstance(w, float) and w == 0.0:
            continue
        term = e if (isinstance(w, float) and w == 1.0) else e * w
        total = term if not started else total + term
        started = True
    return total


def _max(values: list) -> Any:
    out = values[0]
    for v in values[1:]:
        out = np.maximum(out, v)
    return out


def _vertex_columns(v: _Vertex, M: list[list[Any]]) -> list:
    """The vertex at every point of a piece, as r columns; M[own][other] are columns of the payoffs that fix it
    (B for the row player's strategy, A^T for the column player's)."""
    r = v.size
    S, best = v.support, v.best
    if len(S) == 1:
        return [1.0 if i == S[0] else 0.0 for i in range(r)]
    # sum_S z = 1 and, with the common payoff v eliminated, sum_S z_i (M[i][b] - M[i][best[0]]) = 0
    d = [[M[i][b] - M[i][best[0]] for i in S] for b in best[1:]]
    k = len(S)
    with np.errstate(all="ignore"):
        if k == 2:
            den = d[0][1] - d[0][0]
            z = [d[0][1] / den, -d[0][0] / den]
        elif k == 3:  # Cramer's rule on [[1, 1, 1], d[0], d[1]]
            c0 = d[0][1] * d[1][2] - d[0][2] * d[1][1]
            c1 = d[0][2] * d[1][0] - d[0][0] * d[1][2]
            c2 = d[0][0] * d[1][1] - d[0][1] * d[1][0]
            den = c0 + c1 + c2
            z = [c0 / den, c1 / den, c2 / den]
        else:
            G = next(np.shape(e)[0] for row in d for e in row if np.ndim(e))
            system = np.empty((G, k, k))
            system[:, 0, :] = 1.0
            for t, row in enumerate(d):
                for s, e in enumerate(row):
                    system[:, t + 1, s] = e
            rhs = np.zeros((G, k, 1))
            rhs[:, 0, 0] = 1.0
            try:
                sol = np.linalg.solve(system, rhs)[:, :, 0]
            except np.linalg.LinAlgError:  # a singular point: certified as bad below
                sol = np.full((G, k), np.nan)
            z = [sol[:, s] for s in range(k)]
    out: list = [0.0] * r
    for i, zi in zip(S, z):
        out[i] = zi
    return out


def _lex_misordered(a: list, b: list) -> Any:
    """Where *a* is not lexicographically greater than *b* at the scalar solver's 1e-9 resolution, or the
    comparison is ambiguous (a difference in (1e-12, 1e-9] before the first larger one): bool or (G,) mask."""
    undecided: Any = True
    greater: Any = False
    ambiguous: Any = False
    for ac, bc in zip(a, b):
        if ac is bc:
            continue
        d = ac - bc
        big = np.abs(d) > 1e-9
        ambiguous = ambiguous | (undecided & ~big & (np.abs(d) > 1e-12))
        greater = greater | (undecided & big & (d > 0))
        undecided = undecided & ~big
        if not np.any(undecided):
            break
    return ~greater | ambiguous


@dataclass
class _Piece:
    """One run of points sharing a structure: ``where`` is a slice of the chunk's points (a contiguous run) or
    an index array; per equilibrium e of the structure, the columns of x, y and the payoffs and regret."""

    where: Any
    st: _Structure
    sid: int
    xs: list
    ys: list
    u: list
    v: list
    regret: list

    @property
    def size(self) -> int:
        w = self.where
        return w.stop - w.start if isinstance(w, slice) else len(w)

    def points(self) -> np.ndarray:
        w = self.where
        return np.arange(w.start, w.stop) if isinstance(w, slice) else w

    def drop(self, bad: np.ndarray) -> _Piece:
        keep = ~bad

        def cut(c):
            return c[keep] if isinstance(c, np.ndarray) else c

        return _Piece(self.points()[keep], self.st, self.sid, [[cut(c) for c in x] for x in self.xs],
                      [[cut(c) for c in y] for y in self.ys], [cut(c) for c in self.u], [cut(c) for c in self.v],
                      [cut(c) for c in self.regret])


def _solve_piece(st: _Structure, sid: int, Acols: list, Bcols: list, where: Any, scale: np.ndarray,
                 tol: float) -> tuple[_Piece, np.ndarray]:
    """Recompute and certify every equilibrium of *st* at the points *where*: the piece and its bad points."""
    m, n = len(Acols), len(Acols[0])
    A = [[Acols[i][j][where] for j in range(n)] for i in range(m)]
    B = [[Bcols[i][j][where] for j in range(n)] for i in range(m)]
    At = [[A[i][j] for i in range(m)] for j in range(n)]
    xs = [_vertex_columns(v, B) for v in st.x_vertices]
    ys = [_vertex_columns(v, At) for v in st.y_vertices]
    G = len(scale)
    bad = np.zeros(G, dtype=bool)
    with np.errstate(all="ignore"):
        for z in (*xs, *ys):
            for c in z:
                if isinstance(c, np.ndarray):
                    bad |= ~((c >= -tol) & (c <= 1 + tol))
        Ay = [[_dot(A[i], y) for i in range(m)] for y in ys]      # row payoffs against each y-vertex
        Bt = [[B[i][j] for i in range(m)] for j in range(n)]
        xB = [[_dot(Bt[j], x) for j in range(n)] for x in xs]     # column payoffs against each x-vertex
        best_a = [_max(v) for v in Ay]
        best_b = [_max(v) for v in xB]
        bound = 4 * tol * scale
        us, vs, regrets = [], [], []
        for i, j in st.pairs:
            u = _dot(Ay[j], xs[i])
            v = _dot(xB[i], ys[j])
            regret, other = best_a[j] - u, best_b[i] - v
            if isinstance(regret, np.ndarray) and regret.shape == (G,) and np.shape(other) in ((G,), ()):
                np.maximum(regret, other, out=regret)  # a new array: maxima taken in place
                np.maximum(regret, 0.0, out=regret)
            else:
                regret = np.maximum(np.maximum(regret, other), 0.0)
            bad |= ~(regret <= bound)
            us.append(u)
            vs.append(v)
            regrets.append(regret)
        for (i1, j1), (i2, j2) in zip(st.pairs, st.pairs[1:]):
            bad |= _lex_misordered([*xs[i1], *ys[j1]], [*xs[i2], *ys[j2]])
    return _Piece(where, st, sid, xs, ys, us, vs, regrets), bad


def _runs(members: np.ndarray) -> list:
    """Sorted point indices as slices of contiguous runs (or one index array if there are many runs)."""
    if len(members) == 0:
        return []
    breaks = np.flatnonzero(np.diff(members) != 1) + 1
    if len(breaks) >= _MAX_RUNS:
        return [members]
    starts = [0, *breaks.tolist()]
    ends = [*breaks.tolist(), len(members)]
    return [slice(int(members[a]), int(members[b - 1]) + 1) for a, b in zip(starts, ends)]


# ------------------------------------------------------------------------------------------ solver
def structured_equilibria(struct: StructuredBimatrix, params: Mapping[str, Any], *,
                          exact_payoffs: Callable[[int], tuple[Any, Any]] | None = None,
                          tol: float = 1e-9,
                          out: Callable[[int], tuple] | None = None) -> BatchedBimatrix:
    """Every extreme equilibrium at every point of a symbolic two-player game (see the module docstring).

    Parameters
    ----------
    struct : StructuredBimatrix
        From :func:`compile_structure`.
    params : mapping of str -> number or array of shape (points,)
        Values of the parameters ``struct.parameters``; values of parameters fixed at compile time may be given
        too and must then equal the fixed ones. The number of points is the arrays' length (also when no
        parameter of the game varies).
    exact_payoffs : callable, optional
        ``exact_payoffs(p) -> (A_p, B_p)``: the exact payoff matrices at point *p* (for the first point of each
        new combinatorial type and for flagged points). Default: the float payoffs read as the decimals they
        print as.
    tol : float, default 1e-9
        Relative tolerance of the near-zero keys and of the certificate.
    out : callable, optional
        ``out(rows) -> (S, pay, regret, index)``: arrays to write the equilibria into, e.g. a table's columns, so
        they are not copied there afterwards: the strategies ``S`` of shape (m + n, rows), all zeros (``x`` is
        ``S[:m].T``, ``y`` is ``S[m:].T``), the payoffs ``pay`` of shape (2, rows), the regret, shape (rows,),
        all zeros, and each equilibrium's number within its point, int64 of shape (rows,). Default: new arrays.

    Returns
    -------
    BatchedBimatrix
        Per point the scalar exact solver's extreme equilibria, in its order, as floats; ``flagged`` marks the
        points re-solved on the exact path; ``degenerate`` is the exact solver's flag at every point; ``regret``
        the certificate's regret of every row (0 at flagged points) and ``pattern`` its equilibrium's class of
        equal supports (-1 at flagged points).

    Raises
    ------
    ParameterError
        A parameter is missing, or a fixed parameter is given another value.

    Examples
    --------
    The chain store's normal form (entrant: stay out/enter, incumbent: fight/acquiesce) is degenerate at every
    point: "stay out" gives the incumbent m whatever it planned. At the bundled defaults (o_E = 1, m = 5,
    c_E = c_I = 0) and d = 2 or 3 the equilibria are those of the exact scalar solver: (enter, acquiesce) and
    "stay out" against the segment of incumbent plans that fight with probability at least 1 - 1/d (its ends):

    >>> import gametheory_ukraine as gtu
    >>> g = gtu.load_model("chain-store").symbolic("normal")
    >>> s = compile_structure(g, {"o_E": 1, "c_E": 0, "c_I": 0, "m": 5})
    >>> s.parameters, s.factors
    (('d',), ('d', 'd - 1'))
    >>> res = structured_equilibria(s, {"d": [2.0, 3.0]})
    >>> res.counts.tolist(), res.flagged.tolist(), res.degenerate.tolist()
    ([3, 3], [False, False], [True, True])
    >>> res.y[3:].round(4).tolist(), res.components[3:].tolist()
    ([[1.0, 0.0], [0.6667, 0.3333], [0.0, 1.0]], [0, 0, 1])
    >>> from gametheory_ukraine.solvers.two_player import extreme_equilibria
    >>> g3 = gtu.load_model("chain-store").game("normal", d=3)
    >>> [[float(q) for q in y] for _, y in extreme_equilibria(*g3.payoffs, exact=True).equilibria]
    [[1.0, 0.0], [0.6666666666666666, 0.3333333333333333], [0.0, 1.0]]
    """
    tol = float(tol)
    _check_fixed(struct, params)
    lengths = {np.shape(v)[0] for v in params.values() if np.ndim(v) == 1}
    if len(lengths) > 1:
        raise ParameterError(f"parameter arrays have different lengths {sorted(lengths)}",
                             fix="pass arrays of one length (numbers are broadcast)")
    m, n = struct.specialised.shape
    if struct.keys == "factors":
        # payoff columns as the compiled function makes them: equal entries (the same outcome in several cells)
        # share one array, and the per-point maximum |payoff| is taken over the distinct ones
        P, cells = struct.compiled.payoff_columns(params)
        if lengths and P != next(iter(lengths)):  # no varied parameter enters the payoffs: one game
            P = next(iter(lengths))
            cells = [np.broadcast_to(c[:1], (P,)) for c in cells]
        Acols = [[cells[i * n + j] for j in range(n)] for i in range(m)]
        Bcols = [[cells[m * n + i * n + j] for j in range(n)] for i in range(m)]
        keys, index, flagged = _factor_keys(struct, params, P, tol)
        scale = np.ones(P)
        for c in {id(c): c for c in cells}.values():
            np.maximum(scale, np.abs(c[:1]) if c.strides == (0,) and P else np.abs(c), out=scale)
    else:
        A, B = struct.compiled.payoffs(params)
        if lengths and A.shape[0] != next(iter(lengths)):  # no varied parameter enters the payoffs: one game
            P = next(iter(lengths))
            A, B = (np.ascontiguousarray(np.broadcast_to(M.transpose(1, 2, 0), (*M.shape[1:], P))).transpose(2, 0, 1)
                    for M in (A, B))
        P = A.shape[0]
        storage_a, storage_b = A.transpose(1, 2, 0), B.transpose(1, 2, 0)  # (m, n, P), contiguous
        Acols = [[storage_a[i, j] for j in range(n)] for i in range(m)]
        Bcols = [[storage_b[i, j] for j in range(n)] for i in range(m)]
        words_p, flag_p = _keys(B, struct.minors_p, tol)
        words_q, flag_q = _keys(A.transpose(0, 2, 1), struct.minors_q, tol)
        keys, index, flagged = np.concatenate([words_p, words_q], axis=1), None, flag_p | flag_q
        scale = np.maximum(1.0, np.maximum(np.abs(storage_a).reshape(m * n, P).max(axis=0),
                                           np.abs(storage_b).reshape(m * n, P).max(axis=0)))
    scale = np.broadcast_to(scale, (P,))

    def exact_at(p: int):
        if exact_payoffs is not None:
            Ae, Be = exact_payoffs(p)
        else:
            Ae, Be = [[float(c[p]) for c in row] for row in Acols], [[float(c[p]) for c in row] for row in Bcols]
        return exact_matrix(Ae), exact_matrix(Be)

    pieces: list[_Piece] = []
    ok = np.flatnonzero(~flagged)
    if len(ok):
        for members in _point_groups(keys, index, ok):
            key = keys[members[0] if index is None else index[members[0]]]
            st, sid = _cached_structure(struct, key, lambda p=int(members[0]): exact_at(p))
            for where in _runs(members):
                piece, bad = _solve_piece(st, sid, Acols, Bcols, where, scale[where], tol)
                if bad.any():
                    flagged[piece.points()[bad]] = True
                    piece = piece.drop(bad)
                if piece.size:
                    pieces.append(piece)
    return _assemble(P, m, n, pieces, flagged, exact_at, out)


def _check_fixed(struct: StructuredBimatrix, params: Mapping[str, Any]) -> None:
    for name, value in struct.fixed:
        if name in params and not np.all(np.asarray(params[name], dtype=float) == float(value)):
            raise ParameterError(f"parameter {name!r} was fixed at {value} when the game was compiled",
                                 fix="compile the structure again with the new value (or vary the parameter)")


def _cached_structure(struct: StructuredBimatrix, key: np.ndarray, exact: Callable) -> tuple[_Structure, int]:
    """The structure of a combinatorial type, computed once (by an exact solve at one of its points)."""
    cache = struct._cache
    k = key.tobytes()
    if k not in cache:
        if len(cache) >= _CACHE_LIMIT:
            cache.clear()
        Ae, Be = exact()
        cache[k] = (_structure(Ae, Be), len(cache))
    return cache[k]


#: A column of a piece's block with more entries to write than this is written through one contiguous buffer
#: and one transposing copy, not entry by entry (each a write with stride E: about six such cost one copy).
_STRIDED_ENTRIES = 6


def _is_zero(value: Any) -> bool:
    return isinstance(value, float) and value == 0.0


def _write_entries(target: np.ndarray, where: list, values: list, zero: bool, buffer: np.ndarray | None) -> None:
    """Write equilibrium e's *values[e]* (a float or a (G,) column) into the rows *where[e]* of *target*; with
    *zero* (the target's rows are all zeros) the constant zeros are not written.

    *where* are the rows of a piece: for a contiguous run of G points with E equilibria each, ``where[e]`` is
    the slice ``start + e :: E`` of the block ``target[start:start + G * E]``, and *buffer* a scratch (E, G)
    float array; then a column with many entries to write is assembled in the buffer and written with one
    transposing copy (contiguous in the target), and constants alone are one broadcast row."""
    E = len(values)
    todo = [e for e, v in enumerate(values) if not (zero and _is_zero(v))]
    if not todo:
        return
    arrays = sum(1 for e in todo if isinstance(values[e], np.ndarray))
    if buffer is None or len(todo) <= _STRIDED_ENTRIES or (not arrays and len(todo) * 2 <= E):
        for e in todo:
            target[where[e]] = values[e]
        return
    first = where[0]
    G = buffer.shape[1]
    block = target[first.start:first.start + G * E].reshape(G, E)
    if not arrays:  # constants only: one broadcast row
        block[...] = np.array(values, dtype=target.dtype)
        return
    for e, v in enumerate(values):
        buffer[e] = v
    block[...] = buffer.T


def _assemble(P: int, m: int, n: int, pieces: list[_Piece], flagged: np.ndarray,
              exact_at: Callable, out: Callable[[int], tuple] | None = None) -> BatchedBimatrix:
    """One flat table: the pieces' equilibria and the flagged points' exact ones, written by point (into the
    arrays ``out(rows)`` gives if given: see :func:`structured_equilibria`)."""
    counts = np.zeros(P, dtype=np.int64)
    degenerate = np.zeros(P, dtype=bool)
    for piece in pieces:
        counts[piece.where] = len(piece.st.pairs)
        degenerate[piece.where] = piece.st.degenerate
    exact_solutions = {}
    for p in np.flatnonzero(flagged).tolist():
        Ae, Be = exact_at(p)
        sol = extreme_equilibria(Ae, Be, exact=True)
        exact_solutions[p] = (sol, Ae, Be)
        counts[p] = len(sol.equilibria)
        degenerate[p] = sol.degenerate
    offsets = np.zeros(P + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    total = int(offsets[-1])
    point = np.repeat(np.arange(P, dtype=np.int64), counts)
    # column-major storage: each coordinate is one contiguous array (the sweep's table takes them as they are);
    # the strategies and the regret start as zeros, and only their nonzeros are written
    if out is None:
        S, pay, regret = np.zeros((m + n, total)), np.empty((2, total)), np.zeros(total)
        index = np.empty(total, dtype=np.int64)
    else:
        S, pay, regret, index = out(total)
        shapes = tuple(np.shape(a) for a in (S, pay, regret, index))
        wanted = ((m + n, total), (2, total), (total,), (total,))
        if shapes != wanted:
            raise SolverError(f"out({total}) gave arrays of shapes {shapes}, not {wanted}")
    comp = np.empty(total, dtype=np.int64)
    pattern = np.empty(total, dtype=np.int64)  # every row is a piece's but those of flagged points (-1)
    patterns: dict = {}
    pattern_rows: list[int] = []
    buffer = None
    for piece in pieces:
        E = len(piece.st.pairs)
        w = piece.where
        if isinstance(w, slice):
            start = int(offsets[w.start])
            G = w.stop - w.start
            where = [slice(start + e, start + G * E, E) for e in range(E)]
            if buffer is None or buffer.size < E * G:
                buffer = np.empty(max(E * G, 0 if buffer is None else buffer.size))
            scratch = buffer[:E * G].reshape(E, G)
        else:
            base = offsets[w]
            where = [base + e for e in range(E)]
            scratch = None
        # array by array: a piece's rows of one array stay in cache while its equilibria are written (they
        # interleave, E rows per point)
        xs = [piece.xs[i] for i, _ in piece.st.pairs]
        ys = [piece.ys[j] for _, j in piece.st.pairs]
        for c in range(m):
            _write_entries(S[c], where, [z[c] for z in xs], True, scratch)
        for c in range(n):
            _write_entries(S[m + c], where, [z[c] for z in ys], True, scratch)
        _write_entries(pay[0], where, piece.u, False, scratch)
        _write_entries(pay[1], where, piece.v, False, scratch)
        if any(np.any(r) for r in piece.regret):  # mostly exactly 0
            _write_entries(regret, where, piece.regret, True, scratch)
        _write_entries(comp, where, list(piece.st.classes), False, scratch)
        _write_entries(index, where, list(range(E)), False, scratch)
        pids = []
        for e, r in enumerate(where):
            pid = patterns.setdefault((piece.sid, e), len(patterns))
            if pid == len(pattern_rows):
                pattern_rows.append(r.start if isinstance(r, slice) else int(r[0]))
            pids.append(pid)
        _write_entries(pattern, where, pids, False, scratch)
    X, Y = S[:m], S[m:]
    for p, (sol, Ae, Be) in exact_solutions.items():
        lo = offsets[p]
        pattern[lo:offsets[p + 1]] = -1
        for k, ((xe, ye), c) in enumerate(zip(sol.equilibria, sol.components)):
            X[:, lo + k] = [float(v) for v in xe]
            Y[:, lo + k] = [float(v) for v in ye]
            pay[:, lo + k] = (float(bilinear(xe, Ae, ye)), float(bilinear(xe, Be, ye)))
            comp[lo + k] = c
            index[lo + k] = k
    return BatchedBimatrix(counts=counts, offsets=offsets, point=point, x=X.T, y=Y.T, payoffs=pay.T,
                           components=comp, flagged=flagged, degenerate=degenerate, regret=regret,
                           pattern=pattern, pattern_rows=np.asarray(pattern_rows, dtype=np.int64), index=index)
