"""All extreme Nash equilibria of a two-player (bimatrix) game.

The solver enumerates the vertices of the two best-response polytopes and pairs
the completely labelled ones (Avis, Rosenberg, Savani & von Stengel 2010;
von Stengel 2007). Unlike support enumeration it is correct for degenerate
games: it returns *every* extreme equilibrium, and says which of them lie on a
common connected component (a continuum of equilibria).

References
----------
.. [ARSvS] D. Avis, G. D. Rosenberg, R. Savani and B. von Stengel (2010),
   "Enumeration of Nash equilibria for two-player games", *Economic Theory*
   42:9-37, doi:10.1007/s00199-009-0449-x.
.. [vS07] B. von Stengel (2007), "Equilibrium computation for two-player games
   in strategic and extensive form", ch. 3 of *Algorithmic Game Theory*
   (Nisan, Roughgarden, Tardos, Vazirani, eds.), Cambridge University Press.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import combinations
from typing import Any

import numpy as np

from ..core.numbers import to_exact
from .vertex_search import PolytopeVertices, complementary_vertices, max_bases, polytope_vertices

__all__ = ["BimatrixSolution", "extreme_equilibria", "component_labels", "exact_integer_payoffs"]


@dataclass(frozen=True)
class BimatrixSolution:
    """The extreme Nash equilibria of a bimatrix game.

    Attributes
    ----------
    equilibria : tuple of (x, y)
        Every extreme equilibrium, ``x`` a tuple of ``m`` probabilities for the
        row player and ``y`` a tuple of ``n`` for the column player
        (:class:`~fractions.Fraction` in exact mode, ``float`` otherwise).
        Sorted lexicographically by ``x + y`` in descending order, so pure
        strategies such as ``(1, 0, 0)`` come first.
    degenerate : bool or None
        True iff the game is degenerate: some mixed strategy with support size
        ``k`` has more than ``k`` pure best responses. None where that was not
        settled: an exact solve of a game larger than 8 x 8 searches one
        best-response polytope only, and if nothing it met was degenerate the
        other polytope may still be (off every equilibrium). The equilibria
        are complete either way.
    components : tuple of int
        ``components[k]`` is the index (0, 1, ...) of the connected component
        of ``equilibria[k]`` in the bipartite graph whose nodes are the
        distinct ``x`` and ``y`` and whose edges are the extreme equilibria.
        Components are numbered in order of first appearance. Equilibria of one
        component span a union of convex sets of equilibria (a continuum).
    """

    equilibria: tuple[tuple[tuple, tuple], ...]
    degenerate: bool | None
    components: tuple[int, ...]

    @property
    def has_continuum(self) -> bool:
        """True iff some component holds more than one extreme equilibrium."""
        return len(set(self.components)) != len(self.components)


# --------------------------------------------------------------------- linear algebra
def _solve_linear(M: Sequence[Sequence[Any]], b: Sequence[Any], *, exact: bool, tol: float,
                  integral: bool | None = None) -> tuple[list, Any] | None:
    """Solve the square system ``M z = b`` by fraction-free Gauss-Jordan elimination.

    One routine serves both arithmetics. Every elimination step is
    ``row_r <- (p * row_r - f * row_c) / p_prev`` (Bareiss), which for integer
    input keeps every entry an integer (the divisions are exact), and in floating
    point is Gaussian elimination with rescaled rows.

    Parameters
    ----------
    M : sequence of s sequences of s numbers
        Python ints or Fractions when ``exact``, floats otherwise.
    b : sequence of s numbers
        Right-hand side.
    exact : bool
        Exact mode: any nonzero pivot is taken (the first one), zero pivots mean
        singular. Float mode: partial pivoting; the system is treated as singular
        when the largest available pivot of the equivalent ordinary Gaussian
        elimination is at most ``tol`` in absolute value.
    tol : float
        Singularity threshold in float mode (ignored in exact mode).
    integral : bool, optional
        Exact mode: whether all entries are Python ints (then the exact
        divisions are integer divisions). Determined from the entries if None.

    Returns
    -------
    (numerators, d) or None
        ``z[i] == numerators[i] / d`` with ``d > 0`` (``d`` is ``|det M|`` for
        integer input), or None if ``M`` is singular.
    """
    s = len(M)
    rows = [list(M[i]) + [b[i]] for i in range(s)]
    # Integers: exact floor division (the quotients are exact). Fractions, floats: true division.
    if integral is None:
        integral = exact and all(type(v) is int for row in rows for v in row)
    if exact and not integral:
        rows = [[Fraction(v) for v in row] for row in rows]  # int / int would give a float
    prev = 1
    for c in range(s):
        if exact:
            p = c
            while p < s and rows[p][c] == 0:
                p += 1
            if p == s:
                return None
        else:
            p = c
            best = abs(rows[c][c])
            for r in range(c + 1, s):
                if abs(rows[r][c]) > best:
                    p, best = r, abs(rows[r][c])
            if best <= tol * abs(prev):
                return None
        if p != c:
            rows[c], rows[p] = rows[p], rows[c]
        piv = rows[c]
        pv = piv[c]
        for r in range(s):
            if r == c:
                continue
            row = rows[r]
            f = row[c]
            if integral:
                for k in range(c + 1, s + 1):
                    row[k] = (pv * row[k] - f * piv[k]) // prev
            else:
                for k in range(c + 1, s + 1):
                    row[k] = (pv * row[k] - f * piv[k]) / prev
            row[c] = 0
        prev = pv
    # Every diagonal entry now equals the last pivot ``prev`` (= +-det M for integers).
    numerators = [row[s] for row in rows]
    if prev < 0:
        return [-v for v in numerators], -prev
    return numerators, prev


# --------------------------------------------------------------------- polytopes
def _tight_candidates(cols: list[list[Any]], *, exact: bool, tol: float) -> list[int]:
    """Columns that may be among the |S| tight columns of a basis with support S.

    ``cols[j]`` is column j restricted to the rows in S. Only a pruning: a vertex
    ``z`` with support exactly S (``z_S > 0``) has a basis made of the zero
    constraints outside S and |S| tight columns, and none of these columns t can
    be dominated by a column j (``cols[j] >= cols[t]``, strictly somewhere),
    since then ``cols[j] . z_S > cols[t] . z_S = 1``. Of several equal columns
    one suffices (a basis holds at most one of them and the others give the same
    vertex).

    In float mode a solution counts as feasible up to ``tol`` and coordinates
    may be as small as ``-tol``, so a column is dropped only if another beats it
    by more than ``(6 |S| + 6) tol`` in every row: with payoffs in [1, 3] the
    positive part of ``z_S`` sums to at least 1/3, so the other column then
    exceeds 1 by more than ``tol`` at every candidate solution. Near-ties (float
    noise) are thus never used for pruning.
    """
    out: list[int] = []
    seen: set = set()
    for t, col in enumerate(cols):
        key = tuple(col)
        if key in seen:
            continue
        seen.add(key)
        if exact:
            dominated = any(other != col and all(a >= b for a, b in zip(other, col)) for other in cols)
        else:
            margin = (6 * len(col) + 6) * tol
            dominated = any(all(a - b > margin for a, b in zip(other, col)) for other in cols)
        if not dominated:
            out.append(t)
    return out


def _vertices(C: list[list[Any]], *, exact: bool, tol: float) -> list[tuple[list, int, int]]:
    """All vertices of ``{z in R^k : z >= 0, C^T z <= 1}`` for a positive k x l matrix ``C``.

    A vertex is the unique solution of k linearly independent tight constraints.
    Each choice is a support ``S`` (the coordinates not fixed to zero) and
    ``|S|`` tight columns ``T``; the remaining system is ``C[S, T]^T z_S = 1``.
    Every vertex ``z`` has such a basis with ``S`` its support (extend the
    independent zero constraints outside the support to a basis of tight
    constraints), so in exact mode only solutions with ``z_S > 0`` are kept.

    Parameters
    ----------
    C : list of k lists of l numbers
        Positive Python ints in exact mode, positive floats otherwise.
    exact : bool
        Exact (integer) or float arithmetic.
    tol : float
        Float mode tolerance (see :func:`extreme_equilibria`); 0 in exact mode.

    Returns
    -------
    list of (z, zero_mask, tight_mask)
        ``z`` as a list of k numbers (Fractions / floats), ``zero_mask`` with bit
        ``i`` set iff ``z_i = 0`` and ``tight_mask`` with bit ``j`` set iff
        ``(C^T z)_j = 1``, both up to ``tol`` in float mode. The origin is first.
    """
    k, l_ = len(C), len(C[0])
    zero = Fraction(0) if exact else 0.0
    one = 1 if exact else 1.0
    all_zero = (1 << k) - 1
    found: dict = {}
    out: list[tuple[list, int, int]] = [([zero] * k, all_zero, 0)]
    found[(all_zero, 0)] = 0
    float_vertices = np.empty((16, k))  # rows 0..n_float-1: the float vertices found so far
    n_float = 0
    for s in range(1, min(k, l_) + 1):
        for S in combinations(range(k), s):
            cols = [[C[i][j] for i in S] for j in range(l_)]
            for T in combinations(_tight_candidates(cols, exact=exact, tol=tol), s):
                sol = _solve_linear([cols[j] for j in T], [one] * s, exact=exact, tol=tol, integral=exact)
                if sol is None:
                    continue
                num, d = sol
                if exact:
                    # Only vertices with support exactly S are wanted here (the others are
                    # found with their own support); all comparisons are on integers.
                    if any(v <= 0 for v in num):
                        continue
                    slack = 0
                else:
                    slack = tol * d
                    if any(v < -slack for v in num):
                        continue
                tight = 0
                for j in range(l_):
                    col = cols[j]
                    t = 0
                    for a, v in zip(col, num):
                        t += a * v
                    if t > d + slack:
                        break
                    if t >= d - slack:
                        tight |= 1 << j
                else:
                    zmask = all_zero
                    for pos, i in enumerate(S):
                        if num[pos] > slack:
                            zmask &= ~(1 << i)
                    key = (zmask, tight)
                    if key in found:
                        continue
                    z = [zero] * k
                    for pos, i in enumerate(S):
                        z[i] = Fraction(num[pos], d) if exact else num[pos] / d
                    if not exact:
                        # Distinct vertices have distinct label sets; a float vertex whose
                        # labels flickered at the tolerance is merged here by distance.
                        row = np.asarray(z, dtype=float)
                        if n_float and np.abs(float_vertices[:n_float] - row).max(axis=1).min() <= tol:
                            continue
                        if n_float == len(float_vertices):
                            float_vertices = np.concatenate([float_vertices, np.empty_like(float_vertices)])
                        float_vertices[n_float] = row
                        n_float += 1
                    found[key] = len(out)
                    out.append((z, zmask, tight))
    return out


# --------------------------------------------------------------------- pairing vertices
def _label_pairs(p_labels: Sequence[int], q_labels: Sequence[int], m: int, n: int) -> list[tuple[int, int]]:
    """Index pairs ``(p, q)`` of nonzero vertices whose labels together are all ``m + n`` labels.

    ``p_labels`` and ``q_labels`` are bit masks in the game's label order (``i < m`` a row, ``m + j`` a column);
    index 0 of each list is the origin, which is never part of an equilibrium.
    """
    full = (1 << (m + n)) - 1
    # Index Q's nonzero vertices by label: has_label[l] is a bit set over Q's vertex indices.
    q_nonzero = 0
    has_label = [0] * (m + n)
    for idx, L in enumerate(q_labels):
        if idx == 0:
            continue
        q_nonzero |= 1 << idx
        for lab in range(m + n):
            if L >> lab & 1:
                has_label[lab] |= 1 << idx
    pairs: list[tuple[int, int]] = []
    for pi in range(1, len(p_labels)):
        need = full & ~p_labels[pi]
        candidates = q_nonzero
        lab = 0
        while need and candidates:
            if need & 1:
                candidates &= has_label[lab]
            need >>= 1
            lab += 1
        qi = 0
        while candidates:
            if candidates & 1:
                pairs.append((pi, qi))
            candidates >>= 1
            qi += 1
    return pairs


def _float_pairs(Ap: list[list[float]], Bp: list[list[float]], tol: float) -> tuple[list, list, list, bool]:
    """Float mode: vertices of both polytopes from their candidate bases (:func:`_vertices`), paired by labels."""
    m, n = len(Ap), len(Ap[0])
    # P: z = x, C = B (m x n).  Q: z = y, C = A^T (n x m).
    P = _vertices(Bp, exact=False, tol=tol)
    Q = _vertices([[Ap[i][j] for i in range(m)] for j in range(n)], exact=False, tol=tol)
    p_labels = [zmask | (tight << m) for _, zmask, tight in P]
    q_labels = [tight | (zmask << m) for _, zmask, tight in Q]
    degenerate = (any(bin(L).count("1") > m for L in p_labels)
                  or any(bin(L).count("1") > n for L in q_labels))
    return [z for z, _, _ in P], [z for z, _, _ in Q], _label_pairs(p_labels, q_labels, m, n), degenerate


#: Exact mode enumerates the candidate bases of both polytopes (:func:`_vertices`) when there are at most this
#: many per polytope, ``C(m + n, m)``: on such small games (up to 4 x 5 and 3 x 8) that is faster than the search.
ENUMERATE_UP_TO = 200

#: Exact mode searches the second polytope as well (which settles whether the game is degenerate) when the
#: upper bound theorem allows it at most this many bases: every game up to 8 x 8. Larger games search one
#: polytope and solve for each of its vertices the one linear system that gives its partner.
SEARCH_BOTH_UP_TO = 1_000


#: Past this many vertices of P whose partners form faces of Q (degenerate vertices), searching Q once is
#: cheaper than searching each face: a face search visits a polytope of the dimension of the face's best
#: responses, which on games with many ties costs about as much as a fiftieth of Q.
FACES_UP_TO = 16


def _exact_pairs(Ap: list[list[int]], Bp: list[list[int]]) -> tuple[list, list, list, bool | None]:
    """Exact mode: lexicographic vertex search (:mod:`.vertex_search`), with integer arithmetic throughout.

    The smallest games (:data:`ENUMERATE_UP_TO`) enumerate candidate bases as float mode does, exactly.
    Games up to 8 x 8 (more precisely: where Q has at most :data:`SEARCH_BOTH_UP_TO` bases) search both
    best-response polytopes and pair their vertices by labels, which also settles whether the game is
    degenerate. Larger games search ``P = {x >= 0, B^T x <= 1}`` only, carrying the complementary basis of Q
    along (:func:`~.vertex_search.complementary_vertices`); a vertex of P whose partners that does not settle
    (a degenerate vertex, or a singular complement) gets the face of Q with the labels it lacks searched
    (:func:`_face_partners`); past :data:`FACES_UP_TO` such vertices, Q is searched once instead.

    Returns ``(x vertices, y vertices, index pairs, degenerate)``; ``degenerate`` is None when only P was
    searched and nothing degenerate was met (Q may still have a degenerate vertex off every equilibrium).
    """
    m, n = len(Ap), len(Ap[0])
    if math.comb(m + n, m) <= ENUMERATE_UP_TO:
        Pv = _vertices(Bp, exact=True, tol=0)
        Qv = _vertices([[Ap[i][j] for i in range(m)] for j in range(n)], exact=True, tol=0)
        pairs = _label_pairs([zm | (t << m) for _, zm, t in Pv], [t | (zm << m) for _, zm, t in Qv], m, n)
        degenerate = (any(bin(zm | (t << m)).count("1") > m for _, zm, t in Pv)
                      or any(bin(t | (zm << m)).count("1") > n for _, zm, t in Qv))
        return [z for z, _, _ in Pv], [z for z, _, _ in Qv], pairs, degenerate
    if max_bases(n, m + n) <= SEARCH_BOTH_UP_TO:
        return _paired_by_labels(polytope_vertices(Bp), Ap)
    P, (found, faces) = complementary_vertices(Bp, Ap)
    if len(faces) > FACES_UP_TO:
        return _paired_by_labels(P, Ap)
    searched: dict[int, PolytopeVertices] = {}  # faces by their set of columns: vertices of P often share one
    for pi in faces:
        found += tuple((pi, *partner) for partner in _face_partners(Ap, P.labels[pi], m, n, searched))
    ys: list[list[Fraction]] = [[Fraction(0)] * n]
    q_index: dict[int, int] = {}
    pairs: list[tuple[int, int]] = []
    for pi, y_labels, num, d in found:
        qi = q_index.setdefault(y_labels, len(ys))
        if qi == len(ys):
            ys.append([Fraction(v, d) for v in num])
        pairs.append((pi, qi))
    degenerate = P.degenerate or any(bin(y_labels).count("1") > n for y_labels in q_index)
    return _fractions(P, {pi for pi, _ in pairs}), ys, pairs, True if degenerate else None


def _paired_by_labels(P: PolytopeVertices, Ap: list[list[int]]) -> tuple[list, list, list, bool]:
    """Search Q as well and pair the vertices of P and Q by their labels (which settles degeneracy)."""
    m, n = len(Ap), len(Ap[0])
    Q = polytope_vertices([[Ap[i][j] for i in range(m)] for j in range(n)])
    # Q's labels: bit j < n for y_j = 0, bit n + i for row i tight; in the game's order rows come first.
    q_labels = [(L >> n) | ((L & ((1 << n) - 1)) << m) for L in Q.labels]
    pairs = _label_pairs(list(P.labels), q_labels, m, n)
    return (_fractions(P, {pi for pi, _ in pairs}), _fractions(Q, {qi for _, qi in pairs}), pairs,
            P.degenerate or Q.degenerate)


def _fractions(pv: PolytopeVertices, wanted: set[int] | None = None) -> list[list[Fraction] | None]:
    """The vertices of *pv* as Fractions; only those in *wanted* (indices) if given, None for the others."""
    return [[Fraction(v, d) for v in z] if wanted is None or index in wanted else None
            for index, (z, d) in enumerate(zip(pv.numerators, pv.denominators))]


def _face_partners(Ap: list[list[int]], x_labels: int, m: int, n: int,
                   searched: dict[int, PolytopeVertices]) -> list[tuple[int, tuple, int]]:
    """Every vertex ``y`` of Q with all the labels that a vertex of P with labels *x_labels* lacks.

    These are the vertices of ``Q' = {y_T >= 0, A[:, T] y_T <= 1}`` (``T`` the columns labelled in *x_labels*,
    the column player's best responses; the other ``y_j`` are zero) at which every row in the support of
    ``x`` is tight. Returns ``(labels of y in the game's order, numerators, denominator)`` for each.
    *searched* caches the vertices of ``Q'`` by ``T`` (a bit mask) across calls.
    """
    cols = [j for j in range(n) if x_labels >> (m + j) & 1]
    support = [i for i in range(m) if not x_labels >> i & 1]
    if not cols:
        return []
    face = searched.get(x_labels >> m)
    if face is None:
        face = searched[x_labels >> m] = polytope_vertices([[Ap[i][j] for i in range(m)] for j in cols])
    t = len(cols)
    out = []
    for L, z, d in zip(face.labels, face.numerators, face.denominators):
        rows_tight = L >> t
        if any(not rows_tight >> i & 1 for i in support):
            continue
        num = [0] * n
        zero = (1 << n) - 1
        for pos, j in enumerate(cols):
            num[j] = z[pos]
            if z[pos]:
                zero &= ~(1 << j)
        out.append((rows_tight | (zero << m), tuple(num), d))
    return out


# --------------------------------------------------------------------- input handling
def _check_shapes(A: Any, B: Any) -> tuple[np.ndarray, np.ndarray]:
    arrays = []
    for name, M in (("A", A), ("B", B)):
        try:
            arr = np.asarray(M, dtype=object)
        except ValueError as exc:  # ragged nested sequences
            raise ValueError(f"payoff matrix {name} is not a rectangular 2-D array: {exc}") from None
        if arr.ndim != 2:
            raise ValueError(f"payoff matrix {name} must be 2-D (m x n), got {arr.ndim} dimension(s)")
        if arr.shape[0] < 1 or arr.shape[1] < 1:
            raise ValueError(f"payoff matrix {name} must have at least one row and one column, "
                             f"got shape {arr.shape}")
        arrays.append(arr)
    if arrays[0].shape != arrays[1].shape:
        raise ValueError(f"payoff matrices A and B must have the same shape, got {arrays[0].shape} "
                         f"and {arrays[1].shape}")
    return arrays[0], arrays[1]


def _positive_integers(M: np.ndarray) -> list[list[int]]:
    """Exact positive affine image of M with integer entries >= 1 (equilibria unchanged)."""
    rationals = [[to_exact(v) for v in row] for row in M]
    scale = 1  # least common multiple of the denominators
    for row in rationals:
        for v in row:
            scale = scale * v.denominator // math.gcd(scale, v.denominator)
    ints = [[int(v * scale) for v in row] for row in rationals]
    low = min(min(row) for row in ints)
    return [[v - low + 1 for v in row] for row in ints]


def _normalised_floats(M: np.ndarray, name: str) -> list[list[float]]:
    """Positive affine image ``1 + (M - min M) / max|M|`` of M, with entries in [1, 3].

    Dividing by the largest absolute payoff (not by the range) makes the float
    tolerance relative to the payoffs' magnitude, so that payoffs differing by
    rounding noise (``0.1 + 0.2`` and ``0.3``) stay (near-)ties.
    """
    try:
        arr = np.asarray(np.vectorize(float, otypes=[float])(M), dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"payoff matrix {name} has a non-numeric entry: {exc}") from None
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"payoff matrix {name} has a non-finite entry")
    scale = float(np.abs(arr).max())
    arr = 1.0 + (arr - float(arr.min())) / (scale if scale > 0 else 1.0)
    return arr.tolist()


def exact_integer_payoffs(A: Any, B: Any) -> tuple[list[list[int]], list[list[int]]]:
    """``(A, B)`` read exactly and mapped to integers >= 1 by a positive affine map of each player's payoffs
    (which leaves every equilibrium unchanged).

    Examples
    --------
    >>> exact_integer_payoffs([[0.5, -1]], [["1/3", 2]])
    ([[4, 1]], [[1, 6]])
    """
    A_arr, B_arr = _check_shapes(A, B)
    return _positive_integers(A_arr), _positive_integers(B_arr)


# --------------------------------------------------------------------- the solver
def extreme_equilibria(A: Any, B: Any, *, exact: bool, tol: float = 1e-9) -> BimatrixSolution:
    """Every extreme Nash equilibrium of the bimatrix game (A, B).

    Vertex enumeration of the best-response polytopes ([ARSvS]_, [vS07]_):
    payoffs are mapped to positive values by a positive affine transformation
    (which leaves equilibria unchanged), and the vertices of

    * ``P = {x in R^m : x >= 0, B^T x <= 1}`` and
    * ``Q = {y in R^n : A y <= 1, y >= 0}``

    are found. In exact mode (beyond the smallest games) by a lexicographic
    search of their bases with integer pivoting
    (:mod:`~gametheory_ukraine.solvers.vertex_search`), which visits only
    vertices; in float mode and on games with at most
    :data:`ENUMERATE_UP_TO` candidate bases, by choosing ``m`` (resp. ``n``)
    of the ``m + n`` constraints as tight, solving the linear system and
    keeping the feasible solutions. ``x`` has label ``i`` if ``x_i = 0`` and ``m + j`` if ``(B^T x)_j = 1``;
    ``y`` has label ``i`` if ``(A y)_i = 1`` and ``m + j`` if ``y_j = 0``. The
    extreme equilibria are the pairs of nonzero vertices whose labels together
    are all ``m + n`` labels, normalised to probability vectors. This is complete
    also for degenerate games, where a vertex has more than ``m`` (``n``) labels
    and equilibria may form continua.

    Parameters
    ----------
    A : array_like, shape (m, n)
        Row player's payoffs (``m, n >= 1``).
    B : array_like, shape (m, n)
        Column player's payoffs.
    exact : bool
        If True, entries are read exactly with :func:`~gametheory_ukraine.core.numbers.to_exact`
        (ints, Fractions, decimal strings; floats as the decimal they print as)
        and all arithmetic is exact rational arithmetic; the result is exact.
        If False, entries are converted to float64.
    tol : float, default 1e-9
        Float mode only. Each player's payoffs are first mapped to
        ``1 + (M - min M) / max|M|`` (entries in [1, 3]), so ``tol`` is relative
        to that player's largest absolute payoff. A constraint of ``P`` or ``Q``
        counts as tight (a label) if its slack is at most ``tol``, as violated
        if it is below ``-tol``; a linear system is singular if a pivot of
        Gaussian elimination with partial pivoting is at most ``tol``; vertices
        closer than ``tol`` (max norm) are merged. No other rounding is done
        (equilibria are only *sorted* at 1e-9 resolution, so that rounding noise
        does not reorder them).

    Returns
    -------
    BimatrixSolution
        ``equilibria`` (tuple of ``(x, y)``, x of length m, y of length n),
        ``degenerate`` and ``components``; see :class:`BimatrixSolution`.

    Raises
    ------
    ValueError
        If A or B is not a 2-D array with at least one row and column, if their
        shapes differ, or if an entry is not a finite number.

    Notes
    -----
    Exact mode works on integers (payoffs are scaled by a common denominator)
    with fraction-free pivoting. Measured on a 2-core machine (CPU time, the
    median of three random games with payoffs 0..99): 8 x 8 in 0.013 s,
    10 x 10 in 0.045 s, 12 x 12 in 0.24 s and 14 x 14 in 4.4 s, 1.2-2.1 times
    lrsnash's CPU time from 10 x 10 up, but 3.6-5.3 times on games with many
    ties (payoffs 0..3), whose degenerate vertices need more search
    (``benchmarks/bench_exact.py``, run on a loaded machine).
    Above 8 x 8 one polytope is searched, so
    ``degenerate`` may be None (not settled). Float mode makes at most
    ``C(m+n, m)`` small linear solves per polytope, fewer after discarding
    dominated tight columns (see ``_tight_candidates``); an 8 x 8 game takes
    about 0.1-0.3 s.

    Examples
    --------
    Von Stengel's degenerate example game ([vS07]_): the row player's first pure
    strategy has two pure best responses, and is in equilibrium with a whole
    segment of column strategies.

    >>> sol = extreme_equilibria([[3, 3], [2, 5], [0, 6]], [[3, 3], [2, 6], [3, 1]], exact=True)
    >>> for x, y in sol.equilibria:
    ...     print([str(p) for p in x], [str(q) for q in y])
    ['1', '0', '0'] ['1', '0']
    ['1', '0', '0'] ['2/3', '1/3']
    ['0', '1/3', '2/3'] ['1/3', '2/3']
    >>> sol.degenerate, sol.components, sol.has_continuum
    (True, (0, 0, 1), True)
    """
    A_arr, B_arr = _check_shapes(A, B)
    m, n = A_arr.shape
    if exact:
        Ap, Bp = _positive_integers(A_arr), _positive_integers(B_arr)
        tol_used: float = 0
    else:
        tol = float(tol)
        if not (tol >= 0 and math.isfinite(tol)):
            raise ValueError(f"tol must be a finite number >= 0, got {tol!r}")
        Ap, Bp = _normalised_floats(A_arr, "A"), _normalised_floats(B_arr, "B")
        tol_used = tol

    if exact and m > n:  # search the polytope of lower dimension: the game with the players' roles swapped
        ys_raw, xs_raw, swapped, degenerate = _exact_pairs([list(col) for col in zip(*Bp)],
                                                           [list(col) for col in zip(*Ap)])
        pairs = [(pi, qi) for qi, pi in swapped]
    elif exact:
        xs_raw, ys_raw, pairs, degenerate = _exact_pairs(Ap, Bp)
    else:
        xs_raw, ys_raw, pairs, degenerate = _float_pairs(Ap, Bp, tol_used)

    def normalise(z: list) -> tuple:
        total = sum(z)
        return tuple(v / total for v in z)

    xs = {pi: normalise(xs_raw[pi]) for pi, _ in pairs}
    ys = {qi: normalise(ys_raw[qi]) for _, qi in pairs}
    if exact:
        pairs.sort(key=lambda pq: xs[pq[0]] + ys[pq[1]], reverse=True)
    else:
        # Probabilities are compared at 1e-9 resolution, so that rounding noise does not
        # reorder entries that are equal in exact arithmetic (float order = exact order).
        pairs.sort(key=lambda pq: tuple(round(v, 9) for v in xs[pq[0]] + ys[pq[1]]), reverse=True)

    equilibria = tuple((xs[pi], ys[qi]) for pi, qi in pairs)
    return BimatrixSolution(equilibria=equilibria, degenerate=degenerate, components=component_labels(equilibria))


def component_labels(equilibria: Sequence[tuple[tuple, tuple]]) -> tuple[int, ...]:
    """Component index of each extreme equilibrium ``(x, y)``: the connected components of the bipartite graph
    whose nodes are the distinct ``x`` and ``y`` and whose edges are the equilibria, numbered in order of first
    appearance ([ARSvS]_, section 4: the extreme equilibria of one component span a union of convex sets).

    Examples
    --------
    >>> component_labels([((1, 0), (1, 0)), ((1, 0), (0, 1)), ((0, 1), (0, 1)), ((1, 1), (1, 1))])
    (0, 0, 0, 1)
    """
    parent: dict = {}

    def find(node: tuple) -> tuple:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for x, y in equilibria:
        parent[find(("x", tuple(x)))] = find(("y", tuple(y)))
    numbering: dict = {}
    return tuple(numbering.setdefault(find(("x", tuple(x))), len(numbering)) for x, _ in equilibria)
