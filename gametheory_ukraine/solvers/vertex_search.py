"""Vertices of a best-response polytope by lexicographic search with integer pivoting.

The polytope is ``P = {z in R^k : z >= 0, C^T z <= 1}`` for a positive integer ``k x l`` matrix ``C``, the
form of both best-response polytopes of a bimatrix game (von Stengel 2007; see
:mod:`~gametheory_ukraine.solvers.two_player` for the references). Its vertices are found by a depth-first
search over the *lexicographically feasible* bases of the system ``C^T z + s = 1``: the right-hand side is
perturbed to ``1 + (eps, eps^2, ..., eps^l)`` symbolically, which makes the polytope simple without moving
it, and ties in the ratio test are broken by that perturbation (Avis, Rosenberg, Savani and von Stengel 2010,
section 5; [Avis00]_, the method of ``lrs``). Every vertex of ``P`` is the solution of at least one lex-feasible
basis, the graph of lex-feasible bases joined by lexicographic pivots is connected (it is the graph of the
perturbed, simple polytope), so the search reaches every vertex, degenerate ones included; it visits only
vertices (bases), never infeasible candidate systems as support enumeration does.

Arithmetic is exact on integers: the dictionary is kept as integers over a common denominator ``D`` (the
absolute value of the basis determinant) and pivoting is fraction-free (Edmonds 1967; every division is
exact). The ratio test is decided in floating point only where that is provably right: the float images of
the integer entries are correctly rounded, so two ratios whose float values differ by more than a relative
``1e-12`` are ordered as their floats are; closer ratios, equal ones included, are compared exactly, and equal
ones are broken lexicographically. Where the search pairs each vertex with the complementary basis of the
other polytope (:func:`complementary_vertices`), a vertex without a partner is mostly refuted by a Farkas
certificate found in floating point and checked in integers small enough that floats hold them exactly, so
no float decides anything that an exact check does not confirm.

References
----------
.. [Avis00] D. Avis (2000), "lrs: a revised implementation of the reverse search vertex enumeration
   algorithm", in *Polytopes -- Combinatorics and Computation*, Birkhauser, 177-198.
.. [Edm67] J. Edmonds (1967), "Systems of distinct representatives and linear algebra", *J. Res. Nat. Bur.
   Standards* 71B:241-245.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..core.errors import SolverError

__all__ = ["PolytopeVertices", "polytope_vertices", "max_bases"]

#: Float ratios closer than this (relative) are compared exactly. The float image of an integer is correctly
#: rounded and a quotient adds one more rounding, so a float ratio is within ``3 * 2**-53`` (relative) of the
#: exact one; a gap of 1e-12 is thousands of times that.
_FLOAT_MARGIN = 1e-12

#: Memory for dictionaries kept on the search stack (bytes, estimated at 64 per entry); deeper states are
#: restored by pivoting back to them, which costs one more pivot each, so memory stays bounded.
_STACK_MEMORY = 512 * 2**20


def max_bases(dim: int, facets: int) -> int:
    """The upper bound theorem's bound on the vertices of a simple ``dim``-polytope with ``facets`` facets.

    The lexicographically perturbed polytope searched by :func:`polytope_vertices` is simple, with at most
    ``facets`` facets, and its vertices are the lex-feasible bases, so this bounds the bases visited
    (McMullen 1970).

    Examples
    --------
    A square has 4 vertices, a 3-cube 8 (the bound for 6 facets is the cyclic polytope's, 8):

    >>> max_bases(2, 4), max_bases(3, 6)
    (4, 8)
    >>> max_bases(14, 28)
    155040
    """
    d, f = int(dim), int(facets)
    if f <= d:
        return 1
    return math.comb(f - (d + 1) // 2, f - d) + math.comb(f - d // 2 - 1, f - d)


@dataclass(frozen=True)
class PolytopeVertices:
    """The vertices of ``{z >= 0, C^T z <= 1}``, each with its labels.

    Attributes
    ----------
    labels : tuple of int
        One bit mask per vertex over the ``k + l`` constraints: bit ``i < k`` set iff ``z_i = 0``, bit ``k + j``
        iff ``(C^T z)_j = 1``. Distinct vertices have distinct masks. The origin is first.
    numerators : tuple of tuple of int
        ``z`` of each vertex as integers over ``denominators``.
    denominators : tuple of int
        The common positive denominator of each vertex.
    bases : int
        Lex-feasible bases visited (at least the number of vertices; more where vertices are degenerate).
    degenerate : bool
        True iff some vertex has more than ``k`` labels.
    """

    labels: tuple[int, ...]
    numerators: tuple[tuple[int, ...], ...]
    denominators: tuple[int, ...]
    bases: int
    degenerate: bool


class _Search:
    """The state of one search: the integer dictionary of the current basis and how to move it.

    Rows are the ``l`` constraints, columns the ``k`` nonbasic variables. Variable ``v < k`` is ``z_v``, variable
    ``k + j`` the slack of constraint ``j``; a variable's index is its label. ``M[r][c] / D`` is the
    coefficient of nonbasic ``N[c]`` in the row of basic ``B[r]``, ``M[r][k] / D`` (the row's last entry, also
    :attr:`rhs`) its value.
    """

    def __init__(self, C: Sequence[Sequence[int]]):
        self.k, self.l = len(C), len(C[0])
        self.M = [[int(C[i][j]) for i in range(self.k)] + [1] for j in range(self.l)]
        self.D = 1
        self.B = list(range(self.k, self.k + self.l))
        self.N = list(range(self.k))

    def state(self) -> tuple:
        return self.M, self.D, self.B, self.N

    def restore(self, state: tuple) -> None:
        self.M, self.D, self.B, self.N = state

    @property
    def rhs(self) -> list[int]:
        """The basic variables' values times ``D``, row by row."""
        return [row[-1] for row in self.M]

    def pivot(self, r: int, c: int) -> None:
        """Exchange basic ``B[r]`` and nonbasic ``N[c]``; new lists, so stored states stay valid."""
        M, D = self.M, self.D
        Mr = M[r]
        p = Mr[c]
        newM = []
        for i, Mi in enumerate(M):
            if i == r:
                row = Mi[:]
                row[c] = D
            else:
                f = Mi[c]
                if f:
                    row = [(a * p - f * b) // D for a, b in zip(Mi, Mr)]
                    row[c] = -f
                else:
                    row = [a * p // D for a in Mi]
            newM.append(row)
        self.M, self.D = newM, p
        self.B = self.B[:]
        self.N = self.N[:]
        self.B[r], self.N[c] = self.N[c], self.B[r]

    def rebuild(self, basic: set[int]) -> bool:
        """Pivot from the current basis to the basis *basic* (a set of variables); False if it is singular
        (then the dictionary is left at some other basis)."""
        for v in sorted(basic - set(self.B)):
            c = self.N.index(v)
            r = next((i for i, b in enumerate(self.B) if b not in basic and self.M[i][c] != 0), None)
            if r is None:
                return False
            self.pivot(r, c)
        return True

    def _lex_entry(self, row: int, slack: int) -> int:
        """Entry of the inverse basis (times D) in *row* for the original slack *slack*."""
        v = self.k + slack
        if v in self.B:
            return self.D if self.B[row] == v else 0
        return self.M[row][self.N.index(v)]

    def _exact_leaving(self, rows: Sequence[int], c: int) -> int:
        """The lexicographic minimum ratio among *rows* (all with a positive entry in column c), exactly."""
        M = self.M
        best = rows[0]
        for i in rows[1:]:
            mi, mb = M[i][c], M[best][c]
            d = M[i][-1] * mb - M[best][-1] * mi
            slack = 0
            while d == 0:  # equal ratios: the perturbation decides (rows of an invertible matrix differ)
                d = self._lex_entry(i, slack) * mb - self._lex_entry(best, slack) * mi
                slack += 1
            if d < 0:
                best = i
        return best

    def leaving_rows(self) -> list[int]:
        """For every column, the row that leaves when that column's variable enters (the lex ratio test)."""
        try:  # every entry's float is correctly rounded; past the float range, the exact test throughout
            full = np.array(self.M, dtype=float)
        except OverflowError:
            return [self._exact_leaving([i for i in range(self.l) if self.M[i][c] > 0], c)
                    for c in range(self.k)]
        Mf = full[:, :-1]
        ratio = np.divide(full[:, -1:], Mf, out=np.full(Mf.shape, np.inf), where=Mf > 0)
        near = ratio <= ratio.min(axis=0) * (1 + _FLOAT_MARGIN)
        out = ratio.argmin(axis=0).tolist()
        if np.count_nonzero(near) > self.k:  # some column has close ratios (each has at least one)
            for c in np.flatnonzero(near.sum(axis=0) > 1).tolist():
                out[c] = self._exact_leaving(np.flatnonzero(near[:, c]).tolist(), c)
        return out


def polytope_vertices(C: Sequence[Sequence[int]], *, max_visits: int | None = None) -> PolytopeVertices:
    """Every vertex of ``{z in R^k : z >= 0, C^T z <= 1}`` for a positive integer ``k x l`` matrix ``C``.

    Parameters
    ----------
    C : sequence of k sequences of l positive ints
        The constraint matrix (``k, l >= 1``); positive entries make the polytope bounded.
    max_visits : int, optional
        Refuse (:class:`~gametheory_ukraine.core.errors.SolverError`) once more bases than this have been
        visited. Default: :func:`max_bases`, which the search cannot exceed.

    Returns
    -------
    PolytopeVertices
        Labels and exact coordinates of every vertex, the origin first.

    Examples
    --------
    The polytope ``{x >= 0, B^T x <= 1}`` of von Stengel's degenerate 3 x 2 example, ``B = [[3, 3], [2, 6],
    [3, 1]]``, has five vertices: 0, ``(1/3, 0, 0)``, ``(0, 1/6, 0)``, ``(0, 0, 1/3)`` and ``(0, 1/8, 1/4)``
    (solve the tight constraints by hand). At ``(1/3, 0, 0)`` both columns are tight as well as ``x_1 = x_2 =
    0``: four labels in dimension three, a degenerate vertex.

    >>> from fractions import Fraction
    >>> pv = polytope_vertices([[3, 3], [2, 6], [3, 1]])
    >>> len(pv.labels), pv.degenerate
    (5, True)
    >>> i = pv.labels.index(0b11110)
    >>> [str(Fraction(v, pv.denominators[i])) for v in pv.numerators[i]]
    ['1/3', '0', '0']
    """
    return _search(C, None, max_visits)[0]


def complementary_vertices(Bp: Sequence[Sequence[int]], Ap: Sequence[Sequence[int]], *,
                           max_visits: int | None = None) -> tuple[PolytopeVertices, tuple]:
    """The vertices of ``P = {x >= 0, B^T x <= 1}`` and, for each basis, the complementary basis of
    ``Q = {y >= 0, A y <= 1}``.

    The complementary basis of Q for a basis of P is the one whose nonbasic variables carry the labels of P's
    basic ones. Where that basis of Q is feasible, the two vertices together have every label: a Nash
    equilibrium (the complementary pairing of Lemke and Howson 1964). A vertex of P with exactly ``m`` labels
    has one complementary basis, so where that basis is nonsingular its partners (zero or one) are found. Most
    vertices are refuted first by exact tests that need no pivot (see :class:`_Partner`); for the others the
    dictionary of Q is pivoted to the complementary basis after the search, in the order the vertices were
    found, so consecutive ones are a few pivots apart. The other vertices (degenerate ones, and those whose
    complement is singular) are returned apart: their partners form a face of Q, for the caller to search.

    Parameters
    ----------
    Bp, Ap : sequence of m sequences of n positive ints
        The players' payoffs made positive.

    Returns
    -------
    (PolytopeVertices, (pairs, faces))
        P's vertices; the pairs ``(index of x, labels of y, y numerators, y denominator)`` in the game's
        labels (rows ``0..m-1``, columns ``m..m+n-1``); and the indices of the vertices of P whose partners
        were not settled by one complementary basis.
    """
    m, n = len(Bp), len(Bp[0])
    return _search(Bp, [[Ap[i][j] for i in range(m)] for j in range(n)], max_visits)


class _Partner:
    """The other polytope, ``{w >= 0, partner_C^T w <= 1}``, and the partners found for the searched one's
    vertices (see :func:`complementary_vertices`).

    A vertex of the searched polytope with support ``S`` (the rows not labelled), best responses ``T`` (the
    columns labelled) and ``|S| = |T|`` labels missing has a partner only if ``w >= 0`` on ``T`` exists with
    ``A[S, T] w = 1`` and ``A[Z, T] w <= 1`` (``Z`` the other rows, ``A`` the other player's payoffs). Two
    exact tests refute that before any pivot: no row outside ``S`` may beat a row in ``S`` in every column of
    ``T`` (:meth:`visit`), and a Farkas certificate, proposed in floating point and checked in exact integer
    arithmetic (:func:`_refuted`). Only the vertices left have the dictionary of the other polytope moved
    (:meth:`_Search.rebuild`) to the complement of their basis, after the search, in the order found.
    """

    def __init__(self, partner_C: Sequence[Sequence[int]], k: int):
        self.search = _Search(partner_C)
        self.k = k
        lp = self.search.k
        # beats[i][s]: bit j set iff row i beats row s in column j
        self.beats = [[sum(1 << j for j in range(lp) if partner_C[j][i] > partner_C[j][s]) for s in range(k)]
                      for i in range(k)]
        self.amax = max(max(row) for row in partner_C)
        # the other player's payoffs (k x lp) for the certificates, which need them exact in floats; past
        # 2**53 (even past the float range) there are none and the exact pivots decide every partner
        self.A = np.array(partner_C, dtype=float).T if self.amax < 2**53 else None
        self.candidates: list[tuple[int, int, int]] = []
        self.pairs: list[tuple] = []
        self.faces: list[int] = []

    def visit(self, index: int, lab: int, basis: int) -> None:
        if bin(lab).count("1") == self.k:
            self.candidates.append((index, lab, basis))
        elif not self.dominated(lab):  # degenerate: its partners form a face
            self.faces.append(index)

    def dominated(self, lab: int) -> bool:
        """True if a row outside the support beats a row in it in every best-response column (no partner)."""
        k = self.k
        columns = lab >> k
        support = [s for s in range(k) if not lab >> s & 1]
        for i in range(k):
            if lab >> i & 1:
                beats = self.beats[i]
                for s in support:
                    if beats[s] & columns == columns:
                        return True
        return False

    def finish(self, nvars: int) -> None:
        """Settle the candidates: refute what the certificates can, pivot to the complement of the rest."""
        k, lp = self.k, self.search.k
        cands = self.candidates
        if cands and self.A is not None:
            refuted = _refuted(self.A, [lab for _, lab, _ in cands], self.amax)
        else:
            refuted = [False] * len(cands)
        for (index, lab, basis), out in zip(cands, refuted):
            if out or self.dominated(lab):
                continue
            if not self.search.rebuild({_counterpart(v, k, lp) for v in range(nvars) if not basis >> v & 1}):
                self.faces.append(index)  # a singular complement: the partners form a face
                continue
            pair = _complementary_point(self.search, k)
            if pair is not None:
                self.pairs.append((index, *pair))
        self.faces.sort()


def _refuted(A: np.ndarray, labels: list[int], amax: int) -> list[bool]:
    """For each nondegenerate vertex (its *labels*), True if it has no partner, proven exactly.

    With ``S, T, Z`` as in :class:`_Partner` and ``t = |S| = |T|``, a partner ``w`` has ``0 <= w <= 1`` (each
    ``A`` entry is at least 1 and every row has ``A w <= 1``). For integers ``U`` (one per row of ``S``) and a
    weight ``s >= 0`` on one row ``i`` of ``Z`` (or none), ``G = U A[S, T] + s A[i, T]`` then satisfies
    ``sum(min(G, 0)) <= G w <= sum(U) + s``; so ``sum(min(G, 0)) > sum(U) + s`` proves there is no partner.
    ``U`` comes from the floating-point solution ``w' = A[S, T]^-1 1``: a row of the inverse where ``w'`` has
    a negative entry, ``-A[i, T]`` times the inverse where row ``i`` exceeds 1, scaled to integers of at most
    ``2**a`` with ``t (t + 1) max(A) 2**a < 2**53``, so that every product and sum of the check is an integer
    that floats represent exactly: the check is exact whatever the rounding of the proposal.

    Parameters
    ----------
    A : ndarray, shape (k, lp)
        The other player's payoffs, positive integers (as floats), at most ``amax``.
    labels : list of int
        Bit masks of the vertices (``k`` row bits, then ``lp`` column bits), each with exactly ``k`` labels.

    Returns
    -------
    list of bool
    """
    k, lp = A.shape
    a = 52 - (k * (k + 1) * amax).bit_length()
    n_all = len(labels)
    if a < 24:  # payoffs too large for exact float checks: refute nothing, the exact pivots decide
        return [False] * n_all
    width = (k + lp + 7) // 8
    raw = np.frombuffer(b"".join(lab.to_bytes(width, "little") for lab in labels), dtype=np.uint8)
    bits = np.unpackbits(raw.reshape(n_all, width), axis=1, bitorder="little")[:, :k + lp].astype(bool)
    zero, tight = bits[:, :k], bits[:, k:]
    sizes = tight.sum(axis=1)
    out = np.zeros(n_all, dtype=bool)
    AT = A.T
    with np.errstate(all="ignore"):  # near-singular systems give inf or nan: such proposals fail the check
        for t in np.unique(sizes).tolist():
            if t == 0:  # only the origin has no support, and it is never a candidate
                continue
            sel = np.flatnonzero(sizes == t)
            n = len(sel)
            cols = np.nonzero(tight[sel])[1].reshape(n, t)
            rows = np.nonzero(~zero[sel])[1].reshape(n, t)
            sub = AT[cols].transpose(0, 2, 1)  # (n, k, t): A[:, T] for each vertex
            M = np.take_along_axis(sub, rows[:, :, None], axis=1)
            try:
                W = np.linalg.inv(M)
            except np.linalg.LinAlgError:  # some A[S, T] singular in floats: propose one by one
                W = np.stack([_inverse(m) for m in M])
            w = W.sum(axis=2)
            at = np.arange(n)
            j = w.argmin(axis=1)
            low = -w[at, j]
            u = W[at, j]
            if t < k:
                others = np.take_along_axis(sub, np.nonzero(zero[sel])[1].reshape(n, k - t)[:, :, None], axis=1)
                over = (others @ w[:, :, None])[:, :, 0]
                i = over.argmax(axis=1)
                high = over[at, i] - 1.0
                row = others[at, i]
                by_row = high > low
                u = np.where(by_row[:, None], -(row[:, None, :] @ W)[:, 0, :], u)
                low = np.maximum(low, high)
            size = np.maximum(np.abs(u).max(axis=1), 1.0)
            e = np.frexp(size)[1]
            scale = np.ldexp(1.0, a - e)
            U = np.rint(u * scale[:, None])
            G = (U[:, None, :] @ M)[:, 0, :]
            bound = U.sum(axis=1)
            if t < k:
                s = np.where(by_row, scale, 0.0)
                G += s[:, None] * row
                bound += s
            proven = (low > 0) & np.isfinite(size) & (e <= a) & (np.minimum(G, 0.0).sum(axis=1) > bound)
            out[sel] = proven
    return out.tolist()


def _inverse(M: np.ndarray) -> np.ndarray:
    """The inverse of *M*, or nan where it is singular (such a proposal fails the exact check)."""
    try:
        return np.linalg.inv(M)
    except np.linalg.LinAlgError:
        return np.full(M.shape, np.nan)


def _search(C: Sequence[Sequence[int]], partner_C: Sequence[Sequence[int]] | None,
            max_visits: int | None) -> tuple[PolytopeVertices, tuple | None]:
    """Depth-first search of the lex-feasible bases of ``{z >= 0, C^T z <= 1}`` (see the module notes).

    With *partner_C* (``l x k``), also find the partners in ``{w >= 0, partner_C^T w <= 1}`` (see
    :func:`complementary_vertices`).
    """
    search = _Search(C)
    k, l_ = search.k, search.l
    partner = None if partner_C is None else _Partner(partner_C, k)
    limit = max_bases(k, k + l_) if max_visits is None else int(max_visits)
    full = (1 << (k + l_)) - 1
    basis = sum(1 << v for v in search.B)
    seen = {basis}
    found: dict[int, int] = {}
    labels: list[int] = []
    numerators: list[tuple[int, ...]] = []
    denominators: list[int] = []

    def record() -> None:
        lab = full ^ basis
        rhs = [row[-1] for row in search.M]
        if 0 in rhs:
            for r, value in enumerate(rhs):
                if value == 0:
                    lab |= 1 << search.B[r]
        if lab in found:
            return
        index = found[lab] = len(labels)
        z = [0] * k
        for r, v in enumerate(search.B):
            if v < k:
                z[v] = rhs[r]
        labels.append(lab)
        numerators.append(tuple(z))
        denominators.append(search.D)
        if partner is not None and index:
            partner.visit(index, lab, basis)

    record()
    # each stack entry: (parent basis, next column, parent's leaving rows, parent's state or None)
    stack: list[tuple] = []
    stored = _STACK_MEMORY // (64 * (k + 1) * l_)
    leave = search.leaving_rows()
    c = 0
    while True:
        if c < k:
            r = leave[c]
            entering, leaving = search.N[c], search.B[r]
            child = basis & ~(1 << leaving) | (1 << entering)
            if child in seen:
                c += 1
                continue
            if len(seen) >= limit:
                raise SolverError(f"the vertex search visited {len(seen):,} bases, its limit",
                                  where="max_work", fix="raise the work budget (--max-work / max_work=)")
            seen.add(child)
            stack.append((basis, c, leave, search.state() if len(stack) < stored else None))
            search.pivot(r, c)
            basis = child
            record()
            leave = search.leaving_rows()
            c = 0
        elif stack:
            parent, c, leave, state = stack.pop()
            if state is None:  # pivot back: the variable that entered at column c leaves again
                entered = (basis & ~parent).bit_length() - 1
                search.pivot(search.B.index(entered), c)
            else:
                search.restore(state)
            basis = parent
            c += 1
        else:
            break
    degenerate = any(bin(lab).count("1") > k for lab in labels)
    vertices = PolytopeVertices(labels=tuple(labels), numerators=tuple(numerators),
                                denominators=tuple(denominators), bases=len(seen), degenerate=degenerate)
    if partner is None:
        return vertices, None
    partner.finish(k + l_)
    return vertices, (tuple(partner.pairs), tuple(partner.faces))


def _counterpart(v: int, k: int, lp: int) -> int:
    """The partner's variable with the label of the searched polytope's variable *v*."""
    return lp + v if v < k else v - k


def _complementary_point(partner: _Search, k: int) -> tuple | None:
    """``(labels, numerators, denominator)`` of the partner's basic solution in the game's labels if it is
    feasible, else None."""
    D = partner.D
    rhs = partner.rhs
    if any((v < 0) if D > 0 else (v > 0) for v in rhs):
        return None
    lp = partner.k
    lab = 0
    for v in partner.N:
        lab |= 1 << (v - lp if v >= lp else k + v)
    w = [0] * lp
    for r, v in enumerate(partner.B):
        value = rhs[r]
        if value == 0:
            lab |= 1 << (v - lp if v >= lp else k + v)
        elif v < lp:
            w[v] = value if D > 0 else -value
    return lab, tuple(w), abs(D)
