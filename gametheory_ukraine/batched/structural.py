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

:func:`compile_structure` finds, once per game, the minors that are *identically zero* as functions of the
parameters (the structural degeneracy): each minor is evaluated in exact rational arithmetic at three random
rational parameter points and counts as identically zero iff it vanishes at all three. A nonzero rational
function vanishes at a point drawn at random from a large set with small probability (Schwartz 1980; Zippel
1979), and the points are drawn from a fixed seed, so the classification is reproducible. Games with ``Min``,
``Max``, ``Abs`` or ``Piecewise`` payoffs (whose minors can vanish on whole regions) are refused here.

:func:`structured_equilibria` then, for a chunk of points:

1. evaluates the payoffs (one ``lambdify`` call), and every minor that is not identically zero on payoffs
   scaled by their largest absolute value; a point with such a minor within ``tol * k!`` of zero is *flagged*
   (it may lie on a threshold, where the type changes);
2. groups the other points by key; solves each group's first point exactly
   (:func:`~gametheory_ukraine.solvers.two_player.extreme_equilibria`, ``exact=True``, on the exact payoffs
   given by ``exact_payoffs``) and reads each extreme equilibrium's tight constraints, choosing a nonsingular
   square subset of them;
3. recomputes every vertex at every point of the group by a stacked linear solve, orders the equilibria of each
   point as the scalar solver does (descending lexicographic in ``x + y``) and numbers the components by first
   appearance, as it does;
4. certifies every equilibrium at every point by a best-response check (regret at most
   ``4 * tol * max(1, max|payoff|)``, probabilities within ``tol`` of [0, 1]); a point that fails is flagged;
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
from dataclasses import dataclass
from fractions import Fraction
from itertools import combinations
from typing import Any

import numpy as np

from ..errors import SolverError
from ..games.normal_form import NormalFormGame
from .bimatrix import BatchedBimatrix, _bilinear, _exact_matrix
from .compile import CompiledNormalForm, compile_normal_form

__all__ = ["StructuredBimatrix", "compile_structure", "structured_equilibria"]

_ZERO_TEST_POINTS = 3
_ZERO_TEST_SEED = 20250101


# ------------------------------------------------------------------------------------------- minors
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
        The symbolic game.
    compiled : CompiledNormalForm
        Its payoffs compiled to numpy.
    minors_p, minors_q : tuple of (tuple of int, tuple of int)
        The minors ``(R, C)`` of ``B`` (for ``P``) and of ``A^T`` (for ``Q``) that are not identically zero.
    n_zero : int
        How many minors were found identically zero (the structural degeneracy).
    """

    game: NormalFormGame
    compiled: CompiledNormalForm
    minors_p: tuple
    minors_q: tuple
    n_zero: int

    @property
    def parameters(self) -> tuple[str, ...]:
        return self.compiled.parameters


def _random_point(names, rng: np.random.Generator) -> dict[str, Fraction]:
    return {n: Fraction(int(rng.integers(1, 10**9)), 10**9 + int(rng.integers(1, 10**6))) for n in names}


def compile_structure(game: NormalFormGame) -> StructuredBimatrix:
    """Compile a symbolic two-player game and find its identically-zero minors (see the module docstring).

    Parameters
    ----------
    game : NormalFormGame
        Two players; symbolic, exact or float payoffs.

    Returns
    -------
    StructuredBimatrix

    Raises
    ------
    SolverError
        More than two players, or piecewise payoffs (``Min``, ``Max``, ``Abs``, ``Piecewise``).

    Examples
    --------
    The column player is indifferent between her columns against the first row, for every value of *a*:

    >>> import sympy
    >>> a = sympy.Symbol("a")
    >>> s = compile_structure(NormalFormGame.from_arrays([[a, 0], [1, 2]], [[1, 1], [0, a]]))
    >>> s.n_zero, len(s.minors_p), len(s.minors_q)
    (1, 1, 2)
    """
    import sympy

    if len(game.players) != 2:
        raise SolverError(f"the structured engine is for two-player games, not {len(game.players)}",
                          fix="use the scalar path for N-player games")
    exprs = [sympy.sympify(v) if not isinstance(v, (Fraction, int, float)) else v
             for p in game.payoffs for v in np.asarray(p, dtype=object).flat]
    if any(isinstance(e, sympy.Basic) and e.has(sympy.Min, sympy.Max, sympy.Abs, sympy.Piecewise) for e in exprs):
        raise SolverError("payoffs with min, max or abs can be degenerate on whole regions",
                          fix="use the scalar path (engine='scalar')")
    compiled = compile_normal_form(game)
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
    return StructuredBimatrix(game, compiled, keep_p, keep_q, zero_p + zero_q)


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


def _group(words: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Group rows of equal *words* (points, W): (first row of each group, group of each row)."""
    if words.shape[1] == 0:
        return np.zeros(1, dtype=np.int64), np.zeros(words.shape[0], dtype=np.int64)
    if words.shape[1] == 1:
        _, first, inverse = np.unique(words[:, 0], return_index=True, return_inverse=True)
        return first, inverse.reshape(-1)
    rows = np.ascontiguousarray(words).view(np.dtype((np.void, words.dtype.itemsize * words.shape[1])))[:, 0]
    _, first, inverse = np.unique(rows, return_index=True, return_inverse=True)
    return first, inverse.reshape(-1)


# --------------------------------------------------------------------------------- group structure
@dataclass(frozen=True)
class _Vertex:
    """How to recompute one vertex: equations (kind, index) of a nonsingular square system."""

    equations: tuple[tuple[str, int], ...]


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
    return _Vertex(tuple(chosen))


def _solve_vertex(vertex: _Vertex, M: np.ndarray) -> np.ndarray:
    """The vertex at every point: M (points, r, c) as in :func:`_vertex_system`; returns (points, r)."""
    P, r, _ = M.shape
    zero_rows = [i for kind, i in vertex.equations if kind == "zero"]
    support = [i for i in range(r) if i not in zero_rows]
    out = np.zeros((P, r))
    if len(support) == 1:
        out[:, support[0]] = 1.0
        return out
    best = [j for kind, j in vertex.equations if kind == "best"]
    k = len(support)
    system = np.empty((P, k + 1, k + 1))
    system[:, 0, :k] = 1.0
    system[:, 0, k] = 0.0
    for e, j in enumerate(best):
        system[:, e + 1, :k] = M[:, support, j]
        system[:, e + 1, k] = -1.0
    rhs = np.zeros((P, k + 1, 1))
    rhs[:, 0, 0] = 1.0
    sol = np.linalg.solve(system, rhs)[:, :k, 0]
    out[:, support] = sol
    return out


@dataclass(frozen=True)
class _Structure:
    """A group's equilibria as vertex pairs, with their component classes and degeneracy."""

    x_vertices: tuple[_Vertex, ...]
    y_vertices: tuple[_Vertex, ...]
    pairs: tuple[tuple[int, int], ...]
    classes: tuple[int, ...]
    degenerate: bool


def _structure(Ae: list[list[Fraction]], Be: list[list[Fraction]]) -> _Structure:
    from ..solvers.two_player import extreme_equilibria

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


# ------------------------------------------------------------------------------------------ solver
def structured_equilibria(struct: StructuredBimatrix, params: Mapping[str, Any], *,
                          exact_payoffs: Callable[[int], tuple[Any, Any]] | None = None,
                          tol: float = 1e-9) -> BatchedBimatrix:
    """Every extreme equilibrium at every point of a symbolic two-player game (see the module docstring).

    Parameters
    ----------
    struct : StructuredBimatrix
        From :func:`compile_structure`.
    params : mapping of str -> number or array of shape (points,)
        Values of the game's parameters.
    exact_payoffs : callable, optional
        ``exact_payoffs(p) -> (A_p, B_p)``: the exact payoff matrices at point *p* (for group representatives
        and flagged points). Default: the float payoffs read as the decimals they print as.
    tol : float, default 1e-9
        Relative tolerance of the near-zero minors and of the certificate.

    Returns
    -------
    BatchedBimatrix
        Per point the scalar exact solver's extreme equilibria, in its order, as floats; ``flagged`` marks the
        points re-solved on the exact path; ``degenerate`` is the exact solver's flag at every point.

    Examples
    --------
    The chain store's normal form (entrant: stay out/enter, incumbent: fight/acquiesce) is degenerate at every
    point: "stay out" gives the incumbent m whatever it planned. At the bundled defaults (o_E = 1, m = 5,
    c_E = c_I = 0) and d = 2 or 3 the equilibria are those of the exact scalar solver: (enter, acquiesce) and
    "stay out" against the segment of incumbent plans that fight with probability at least 1 - 1/d (its ends):

    >>> import gametheory_ukraine as gtu
    >>> g = gtu.load_model("chain-store").symbolic("normal")
    >>> res = structured_equilibria(compile_structure(g), {"o_E": 1, "c_E": 0, "c_I": 0, "m": 5, "d": [2.0, 3.0]})
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
    A, B = struct.compiled.payoffs(params)
    P, m, n = A.shape
    words_p, flag_p = _keys(B, struct.minors_p, tol)
    words_q, flag_q = _keys(A.transpose(0, 2, 1), struct.minors_q, tol)
    flagged = flag_p | flag_q
    scale = np.maximum(1.0, np.maximum(np.abs(A).max(axis=(1, 2)), np.abs(B).max(axis=(1, 2))))

    def exact_at(p: int):
        if exact_payoffs is not None:
            Ae, Be = exact_payoffs(p)
        else:
            Ae, Be = A[p].tolist(), B[p].tolist()
        return _exact_matrix(Ae), _exact_matrix(Be)

    ok = np.flatnonzero(~flagged)
    pieces = []  # (points (G,), x (G, E, m), y (G, E, n), payoffs (G, E, 2), components (E,), degenerate)
    if len(ok):
        first, group = _group(np.concatenate([words_p[ok], words_q[ok]], axis=1))
        order = np.argsort(group, kind="stable")
        bounds = np.searchsorted(group[order], np.arange(len(first) + 1))
        for g in range(len(first)):
            members = ok[order[bounds[g]:bounds[g + 1]]]
            Ae, Be = exact_at(int(members[0]))
            st = _structure(Ae, Be)
            Bg, Ag = B[members], A[members]
            xs = [_solve_vertex(v, Bg) for v in st.x_vertices]
            ys = [_solve_vertex(v, Ag.transpose(0, 2, 1)) for v in st.y_vertices]
            bad, pay = _certify(Ag, Bg, xs, ys, st.pairs, scale[members], tol)
            bad |= _misordered(xs, ys, st.pairs)
            flagged[members[bad]] = True
            keep = ~bad
            pieces.append((members[keep], [x[keep] for x in xs], [y[keep] for y in ys], st.pairs, pay[keep],
                           st.classes, st.degenerate))
    return _assemble(P, m, n, A, B, pieces, flagged, exact_at)


def _certify(A: np.ndarray, B: np.ndarray, xs: list, ys: list, pairs: tuple, scale: np.ndarray,
             tol: float) -> tuple[np.ndarray, np.ndarray]:
    """Best-response check of every equilibrium: points (G,) where one fails (regret above
    ``4 * tol * scale``, or not a probability vector), and the payoffs (G, E, 2). Payoffs against each vertex are
    computed once per vertex (a column of the matrix for a pure strategy)."""

    def against(M: np.ndarray, z: np.ndarray) -> np.ndarray:  # M (G, r, c), z (G, c) -> (G, r)
        support = np.flatnonzero((z != 0).any(axis=0))
        if len(support) == 1 and (z[:, support[0]] == 1).all():
            return M[:, :, support[0]]
        return (M[:, :, support] * z[:, None, support]).sum(axis=2)

    Ay = [against(A, y) for y in ys]                       # row payoffs against each y-vertex, (G, m)
    xB = [against(B.transpose(0, 2, 1), x) for x in xs]    # column payoffs against each x-vertex, (G, n)
    best_a = [v.max(axis=1) for v in Ay]
    best_b = [v.max(axis=1) for v in xB]
    bad = np.zeros(A.shape[0], dtype=bool)
    for z in (*xs, *ys):
        bad |= (z < -tol).any(axis=1) | (np.abs(z.sum(axis=1) - 1) > tol)
    pay = np.empty((A.shape[0], len(pairs), 2))
    bound = 4 * tol * scale
    for e, (i, j) in enumerate(pairs):
        u = (xs[i] * Ay[j]).sum(axis=1)
        v = (ys[j] * xB[i]).sum(axis=1)
        regret = np.maximum(best_a[j] - u, best_b[i] - v)
        bad |= ~(regret <= bound)
        pay[:, e, 0] = u
        pay[:, e, 1] = v
    return bad, pay


def _compare(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Lexicographic comparison of rows of a and b (G, r) at the scalar solver's 1e-9 resolution: masks
    (greater, equal, ambiguous); a difference in (1e-12, 1e-9] before the first larger one is ambiguous."""
    d = a - b
    big = np.abs(d) > 1e-9
    some = big.any(axis=1)
    first = np.where(some, big.argmax(axis=1), d.shape[1])
    lead = d[np.arange(len(d)), np.minimum(first, d.shape[1] - 1)]
    ambiguous = ((np.abs(d) > 1e-12) & (np.arange(d.shape[1]) < first[:, None])).any(axis=1)
    return some & (lead > 0) & ~ambiguous, ~some & ~ambiguous, ambiguous


def _misordered(xs: list, ys: list, pairs: tuple) -> np.ndarray:
    """Points (G,) where the equilibria, kept in the group representative's (exact) order, are not in
    descending lexicographic order of ``x + y`` at every point, or where a comparison is ambiguous."""
    G = xs[0].shape[0] if xs else 0
    bad = np.zeros(G, dtype=bool)
    for (i1, j1), (i2, j2) in zip(pairs, pairs[1:]):
        if i1 == i2:
            greater, _, _ = _compare(ys[j1], ys[j2])
            bad |= ~greater
            continue
        greater, equal, _ = _compare(xs[i1], xs[i2])
        if j1 != j2:
            greater_y, _, _ = _compare(ys[j1], ys[j2])
            greater = greater | (equal & greater_y)
        bad |= ~greater
    return bad


def _assemble(P: int, m: int, n: int, A: np.ndarray, B: np.ndarray, pieces: list, flagged: np.ndarray,
              exact_at: Callable) -> BatchedBimatrix:
    """One flat table: the groups' equilibria and the flagged points' exact ones, scattered by point."""
    from ..solvers.two_player import extreme_equilibria

    counts = np.zeros(P, dtype=np.int64)
    degenerate = np.zeros(P, dtype=bool)
    for members, _, _, pairs, _, _, degen in pieces:
        counts[members] = len(pairs)
        degenerate[members] = degen
    exact_solutions = {}
    for p in np.flatnonzero(flagged).tolist():
        Ae, Be = exact_at(p)
        sol = extreme_equilibria(Ae, Be, exact=True)
        exact_solutions[p] = (sol, Ae, Be)
        counts[p] = len(sol.equilibria)
        degenerate[p] = sol.degenerate
    offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    total = int(offsets[-1])
    point = np.repeat(np.arange(P, dtype=np.int64), counts)
    x = np.empty((total, m))
    y = np.empty((total, n))
    payoffs = np.empty((total, 2))
    comp = np.empty(total, dtype=np.int64)
    for members, xs, ys, pairs, pay, classes, _ in pieces:
        start = offsets[members]
        for e, (i, j) in enumerate(pairs):
            rows = start + e
            x[rows] = xs[i]
            y[rows] = ys[j]
            payoffs[rows] = pay[:, e]
            comp[rows] = classes[e]
    for p, (sol, Ae, Be) in exact_solutions.items():
        lo = offsets[p]
        for k, ((xe, ye), c) in enumerate(zip(sol.equilibria, sol.components)):
            x[lo + k] = [float(v) for v in xe]
            y[lo + k] = [float(v) for v in ye]
            payoffs[lo + k] = (float(_bilinear(xe, Ae, ye)), float(_bilinear(xe, Be, ye)))
            comp[lo + k] = c
    return BatchedBimatrix(counts=counts, offsets=offsets, point=point, x=x, y=y, payoffs=payoffs,
                           components=comp, flagged=flagged, degenerate=degenerate)
