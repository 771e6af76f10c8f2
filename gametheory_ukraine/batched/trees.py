"""Backward induction over arrays of parameter points, for trees with chance nodes whose only imperfect information
is simultaneous 2 x 2 stages.

In a finite game of perfect information the subgame-perfect equilibria in pure behaviour strategies are found
by backward induction (Kuhn 1953; Selten 1965): a chance node takes expectations, a decision node takes every
action that maximises the mover's continuation payoff. :func:`backward_induction` does this for all points at
once (one numpy pass per node over arrays of shape (points, ...)), taking the first maximiser. Where some decision
node has two actions within ``2 * tol * scale`` of each other for its mover (``scale`` = max(1, the largest
``|terminal payoff|`` at the point), the scale used by :func:`gametheory_ukraine.solvers.solving.solve`) the point
is either

* *tied*: each such pair leads to single terminals (no chance move below) whose payoffs to the mover are the same
  expression (e.g. "war continues" after each of Russia's demands in ``territory``), an exact tie at every
  parameter value; every combination of tied actions is then enumerated from the batched numbers, or
* *flagged*: any other near-tie, where the float answer can differ from the exact one.

:func:`solve_tree_points` re-solves flagged points on the scalar path (``tree.instantiate(values, exact=...)``
then :func:`gametheory_ukraine.solvers.solving.solve`, as ``model.solve(form, scenario, exact=True, ...)`` does), so its
result is that of the scalar solver at every point; with ``resolve=False`` flagged points instead get every
combination of actions tied within ``tol * scale``, each a separate equilibrium, as
:func:`gametheory_ukraine.solvers.subgame_perfect.subgame_perfect` lists them.
:mod:`gametheory_ukraine.analysis.sweep_chunks` turns that into the rows of the sweep table.

Simultaneous stages
-------------------
A *stage* is a decision node of one player with two actions, each followed by a node of another player with two
actions, the two of them forming one information set and nothing else (the second mover does not see the first
move: a simultaneous 2 x 2 game whose cells are the subtrees below). At a stage the four cells' continuation
values give a 2 x 2 game at every point. Where it is non-degenerate (each player's two actions differ by more than
``2 * tol * scale`` against each action of the other) and has exactly one pure equilibrium, that is its only
equilibrium (a non-degenerate 2 x 2 game has an odd number of equilibria, and at most one of them is mixed), and
the point goes on; any other point (a tie, no pure equilibrium, or two) is flagged and solved on the scalar path,
which also finds mixed equilibria (:attr:`TreePoints.mixed`). Trees with any other imperfect information are
refused (the scalar path solves them).

Order of equilibria
-------------------
``subgame_perfect`` sorts its profiles lexicographically over the information sets in pre-order, higher
probability on earlier actions first. For pure profiles of a perfect-information tree (every information set
present, one node each) that is ascending lexicographic order of the tuple of chosen action indices, which is
the order used here.

Regret
------
For the unique-argmax solution the chosen action attains the maximum of the mover's continuation values at
every decision node, so every one-shot deviation gains exactly 0 on the computed values; by the one-shot
deviation principle for finite trees (Hendon, Jacobsen and Sloth 1996), no deviation in any subgame gains,
and the regret column is 0.0. For tie-expanded equilibria (``resolve=False``) the regret reported is the
largest one-shot gain, at most ``tol * scale`` per node. Rows taken from the scalar path carry its certified
regret.

References
----------
.. [Kuh53] H. W. Kuhn, "Extensive games and the problem of information", in *Contributions to the Theory of
   Games II*, Annals of Mathematics Studies 28, Princeton University Press, 1953, pp. 193-216.
.. [Sel65b] R. Selten, "Spieltheoretische Behandlung eines Oligopolmodells mit Nachfrageträgheit",
   *Zeitschrift für die gesamte Staatswissenschaft* 121, 1965, pp. 301-324 and 667-689.
.. [HJS96] E. Hendon, H. J. Jacobsen and B. Sloth, "The one-shot-deviation principle for sequential
   rationality", *Games and Economic Behavior* 12, 1996, pp. 274-282.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import sympy

from ..core.errors import SolverError
from ..games.reduce import outcome_label
from ..games.tree import Chance, Decision, GameTree, Node, Terminal
from ..solvers.signature import outcome_key
from ..solvers.solving import describe_outcome, solve
from .compile import CompiledTree, as_sympy, compile_tree, point_arrays

__all__ = ["BatchedBackwardInduction", "TreePoints", "compiled_tree", "backward_induction", "solve_tree_points",
           "stages"]

_CACHE_KEY = "batched.compiled_tree"

#: :func:`solve_tree_points` evaluates and solves this many points at a time. One pass over all points allocated
#: the terminal payoffs and every node's stacked values for all of them at once (for settlement's 288 terminals and
#: 200,000 points, gigabytes of fresh memory); in blocks the same arrays are a few tens of MB, reused. Measured on
#: settlement, 200,000 points: 4.8 s in blocks of 8192, 7.7 s in one pass; 2048 and 65536 were slower than 8192.
#: The results do not depend on it (each point is solved on its own).
POINTS_PER_BLOCK = 8192


def compiled_tree(tree: GameTree) -> CompiledTree:
    """:func:`~gametheory_ukraine.batched.compile.compile_tree` of *tree*, compiled once and kept in the tree's own
    cache (so once per (model, form): ``model.symbolic(form)`` is one object; nothing global)."""
    if _CACHE_KEY not in tree._cache:
        tree._cache[_CACHE_KEY] = compile_tree(tree)
    return tree._cache[_CACHE_KEY]


def _same_payoffs(compiled: CompiledTree) -> np.ndarray:
    """int (N, T): a class number per player and terminal; terminals t, u give player i identical payoffs as
    expressions (an exact tie everywhere) when ``classes[i, t] == classes[i, u]``.

    The cost is linear in the number of terminals (comparing every pair took hours on a tree of 8,191 nodes):
    each distinct payoff expression is evaluated exactly at two fixed random rational points, and only
    expressions with the same values there are compared symbolically (``cancel`` of their difference), so
    equal values never certify a tie by themselves. An exact tie that ``cancel`` does not prove is left
    uncertified, and the points where it matters are re-solved exactly, never mis-reported.
    """
    key = "batched.same_payoffs"
    cache = compiled.tree._cache
    if key not in cache:
        terms = compiled.terminals
        n = compiled.tree.n_players
        exprs = [[as_sympy(z.payoffs[i]) for z in terms] for i in range(n)]
        symbols = sorted({s for row in exprs for e in row for s in e.free_symbols}, key=str)
        rng = np.random.default_rng(0x5EED)  # a fixed, local stream: the classes never depend on global state
        points = [{s: sympy.Rational(int(rng.integers(10**6, 10**7)), int(rng.integers(10**6, 10**7)))
                   for s in symbols} for _ in range(2)]

        def fingerprint(e):
            values = tuple(e.xreplace(pt) for pt in points)
            return values if all(v.is_Rational for v in values) else None  # None: compare symbolically

        classes = np.zeros((n, len(terms)), dtype=np.int64)
        for i in range(n):
            of: dict = {}  # expression -> class
            count = 0
            buckets: dict = {}  # fingerprint -> [(representative, class)]
            for t, e in enumerate(exprs[i]):
                if e not in of:
                    bucket = buckets.setdefault(fingerprint(e), [])
                    for rep, c in bucket:
                        d = e - rep
                        if d == 0 or sympy.cancel(d) == 0:
                            of[e] = c
                            break
                    else:
                        of[e] = count
                        count += 1
                        bucket.append((e, of[e]))
                classes[i, t] = of[e]
        cache[key] = classes
    return cache[key]


def stages(tree: GameTree) -> dict[str, str]:
    """The simultaneous 2 x 2 stages of *tree* (see the module docstring): {first mover's node name: the second
    mover's information set}; None if some information set with several nodes is not a stage's second mover.

    Examples
    --------
    >>> t = GameTree(("r", "c"), Decision("top", 0, ("u", "d"), (
    ...     Decision("c1", 1, ("l", "r"), (Terminal("z1", (1, 1)), Terminal("z2", (0, 0))), infoset="col"),
    ...     Decision("c2", 1, ("l", "r"), (Terminal("z3", (0, 0)), Terminal("z4", (1, 1))), infoset="col"))))
    >>> stages(t)
    {'top': 'col'}
    """
    key = "batched.stages"
    if key not in tree._cache:
        found: dict[str, str] | None = {}
        sets = tree.infosets()
        for node in tree.nodes():
            kids = node.children if isinstance(node, Decision) else ()
            if (len(kids) == 2 and len(sets[node.infoset].nodes) == 1
                    and all(isinstance(k, Decision) and len(k.actions) == 2 for k in kids)):
                h = kids[0].infoset
                if kids[0].player != node.player and sets[h].nodes == tuple(kids):
                    found[node.name] = h
        covered = set(found.values())
        if any(len(info.nodes) > 1 and label not in covered for label, info in sets.items()):
            found = None
        tree._cache[key] = found
    return tree._cache[key]


def _require_supported(tree: GameTree) -> None:
    if not isinstance(tree, GameTree):
        raise SolverError(f"batched backward induction needs a game tree, not {type(tree).__name__}",
                          fix="use the scalar path (gametheory_ukraine.solve) for normal-form games")
    if stages(tree) is None:
        raise SolverError("batched backward induction needs a tree whose only information sets with several nodes "
                          "are simultaneous 2 x 2 stages; this tree has others",
                          fix="use the scalar path: model.solve(form, scenario, exact=True, ...)")


# ---------------------------------------------------------------------------------- batched pass
@dataclass(frozen=True)
class BatchedBackwardInduction:
    """Result of :func:`backward_induction`: one (first-argmax) SPE per point.

    Attributes
    ----------
    infosets : tuple of str
        Information sets in pre-order of first appearance (one node each, but a stage's second mover's two).
    choices : numpy.ndarray, int16, shape (points, n_infosets)
        The chosen action index at each information set.
    payoffs : numpy.ndarray, float64, shape (points, N)
        Every player's payoff under that profile.
    reach : numpy.ndarray, float64, shape (points, n_terminals)
        Probability of reaching each terminal (pre-order) under that profile.
    flagged : numpy.ndarray, bool, shape (points,)
        Some decision node has two actions within ``2 * tol * scale`` for its mover that are not *certified*
        ties (see ``tied``), or some stage is degenerate or has no or two pure equilibria: the float answer may
        differ from the exact one.
    tied : numpy.ndarray, bool, shape (points,)
        Some decision node has two actions whose outcomes are single terminals (no chance move below) giving the
        mover the same payoff *expression*: an exact tie at every parameter value, enumerated in float.
    scale : numpy.ndarray, float64, shape (points,)
        max(1, largest ``|terminal payoff|``) at each point.
    terminal_payoffs : numpy.ndarray, float64, shape (points, n_terminals, N)
    chance_probabilities : tuple of numpy.ndarray
        Per chance node (pre-order), shape (points, k).
    """

    infosets: tuple[str, ...]
    choices: np.ndarray
    payoffs: np.ndarray
    reach: np.ndarray
    flagged: np.ndarray
    tied: np.ndarray
    scale: np.ndarray
    terminal_payoffs: np.ndarray
    chance_probabilities: tuple[np.ndarray, ...]


def backward_induction(compiled: CompiledTree, params: Mapping[str, Any], *,
                       tol: float = 1e-9) -> BatchedBackwardInduction:
    """Backward induction at every point at once (first maximiser), with near-ties flagged.

    Parameters
    ----------
    compiled : CompiledTree
        A tree of perfect information but for simultaneous 2 x 2 stages (:func:`stages`), compiled.
    params : mapping of str -> number or array of shape (points,)
        Values of every parameter of the tree (others are ignored).
    tol : float
        Relative tie tolerance; points with two actions of one node within ``2 * tol * scale`` are flagged.

    Returns
    -------
    BatchedBackwardInduction

    Raises
    ------
    SolverError
        If the tree has imperfect information other than simultaneous 2 x 2 stages.
    ParameterError
        Missing parameters, non-finite payoffs, bad chance probabilities.

    Examples
    --------
    Selten's one-round chain store with the incumbent's fighting payoff as a parameter *f*: acquiescing (2)
    beats fighting while f < 2; at f = 2 the point is flagged.

    >>> import sympy
    >>> f = sympy.Symbol("f")
    >>> t = GameTree(("entrant", "incumbent"), Decision("E", 0, ("in", "out"), (
    ...     Decision("I", 1, ("acquiesce", "fight"), (Terminal("ia", (2, 2)), Terminal("if", (0, f)))),
    ...     Terminal("o", (1, 5)))))
    >>> bi = backward_induction(compile_tree(t), {"f": [0.0, 2.0, 3.0]})
    >>> bi.choices.tolist(), bi.payoffs.tolist(), bi.flagged.tolist(), bi.tied.tolist()
    ([[0, 0], [0, 0], [1, 1]], [[2.0, 2.0], [2.0, 2.0], [1.0, 5.0]], [False, True, False], [False, False, False])
    """
    tree = compiled.tree
    _require_supported(tree)
    heads = stages(tree)
    pay, probs = compiled.evaluate(params)
    points, _, n = pay.shape
    scale = np.maximum(1.0, np.abs(pay).max(axis=(1, 2))) if pay.size else np.ones(points)
    band = (2.0 * tol) * scale
    t_index = {z.name: t for t, z in enumerate(compiled.terminals)}
    c_index = {c.name: k for k, c in enumerate(compiled.chances)}
    infosets = tuple(tree.infosets())
    h_index = {h: k for k, h in enumerate(infosets)}
    choices = np.zeros((points, len(infosets)), dtype=np.int16)
    flagged = np.zeros(points, dtype=bool)
    tied = np.zeros(points, dtype=bool)
    rows = np.arange(points)
    same = _same_payoffs(compiled)

    def value(node: Node) -> tuple[np.ndarray, np.ndarray]:
        """(values (points, N), the single terminal reached (points,) or -1 if a chance move is below)."""
        nonlocal flagged, tied
        if isinstance(node, Terminal):
            t = t_index[node.name]
            return pay[:, t, :], np.full(points, t)
        if node.name in heads:
            return stage(node)
        kids = [value(c) for c in node.children]
        if isinstance(node, Chance):
            p = probs[c_index[node.name]]
            total = p[:, 0, None] * kids[0][0]
            for k in range(1, len(kids)):
                total = total + p[:, k, None] * kids[k][0]
            return total, np.full(points, -1)
        stacked = np.stack([v for v, _ in kids], axis=1)  # (points, K, N)
        term = np.stack([t for _, t in kids], axis=1)  # (points, K)
        mover = stacked[:, :, node.player]
        k = mover.argmax(axis=1)
        best = mover[rows, k]
        near = (best[:, None] - mover) <= band[:, None]
        near[rows, k] = False
        if near.any():
            tb = term[rows, k]
            cls = same[node.player]
            certified = (tb[:, None] >= 0) & (term >= 0) & (cls[np.maximum(tb, 0)][:, None] == cls[np.maximum(term, 0)])
            flagged |= (near & ~certified).any(axis=1)
            tied |= near.any(axis=1)
        choices[:, h_index[node.infoset]] = k
        return stacked[rows, k], term[rows, k]

    def stage(node: Decision) -> tuple[np.ndarray, np.ndarray]:
        """A simultaneous 2 x 2 stage: its unique pure equilibrium where the stage game is non-degenerate and has
        exactly one; other points flagged (and given the first pure equilibrium, or cell (0, 0), for now)."""
        nonlocal flagged
        i, j = node.player, node.children[0].player
        cells = [value(grand) for kid in node.children for grand in kid.children]  # (r, c) at 2 * r + c
        vals = np.stack([v for v, _ in cells], axis=1)  # (points, 4, N)
        term = np.stack([t for _, t in cells], axis=1)
        gain_i = vals[:, [0, 1], i] - vals[:, [2, 3], i]  # row 0 over row 1, against column 0 and 1
        gain_j = vals[:, [0, 2], j] - vals[:, [1, 3], j]  # column 0 over column 1, in row 0 and 1
        degenerate = (np.abs(gain_i) <= band[:, None]).any(axis=1) | (np.abs(gain_j) <= band[:, None]).any(axis=1)
        best_row = np.where(gain_i > 0, 0, 1)  # against column c
        best_col = np.where(gain_j > 0, 0, 1)  # in row r
        pure = np.stack([(best_row[:, c] == r) & (best_col[:, r] == c) for r in (0, 1) for c in (0, 1)], axis=1)
        flagged |= degenerate | (pure.sum(axis=1) != 1)
        cell = pure.argmax(axis=1)
        r, c = cell // 2, cell % 2
        choices[:, h_index[node.infoset]] = r
        choices[:, h_index[node.children[0].infoset]] = c
        return vals[rows, cell], term[rows, cell]

    payoffs = np.ascontiguousarray(value(tree.root)[0]) if points else np.zeros((0, n))
    reach = np.zeros(pay.shape[:2])

    def down(node: Node, r: np.ndarray) -> None:
        if isinstance(node, Terminal):
            reach[:, t_index[node.name]] = r
        elif isinstance(node, Chance):
            p = probs[c_index[node.name]]
            for k, child in enumerate(node.children):
                down(child, r * p[:, k])
        else:
            chosen = choices[:, h_index[node.infoset]]
            for k, child in enumerate(node.children):
                down(child, np.where(chosen == k, r, 0.0))

    down(tree.root, np.ones(points))
    return BatchedBackwardInduction(infosets, choices, payoffs, reach, flagged, tied & ~flagged, scale, pay, probs)


# ------------------------------------------------------------------------------- ties, one point
class _Uncertified(Exception):
    """A near-tie met while enumerating ties that is not an exact tie of identical expressions."""


def _expand_point(compiled: CompiledTree, bi: BatchedBackwardInduction, p: int, tol: float, *, certify: bool,
                  max_equilibria: int = 10000) -> list[tuple[tuple[int, ...], np.ndarray, float]]:
    """Every SPE at point *p* with actions tied within ``tol * scale`` kept (as ``subgame_perfect`` does):
    (choices in information-set order, payoffs (N,), largest one-shot gain), sorted by choices. With *certify*,
    raise :class:`_Uncertified` at a near-tie (within ``2 * tol * scale``) that is not a certified exact tie."""
    tree = compiled.tree
    pay = bi.terminal_payoffs[p]
    t_index = {z.name: t for t, z in enumerate(compiled.terminals)}
    c_index = {c.name: k for k, c in enumerate(compiled.chances)}
    d_index = {h: k for k, h in enumerate(bi.infosets)}
    band = tol * bi.scale[p]
    same = _same_payoffs(compiled)
    heads = stages(tree) or {}

    def equilibria_below(node: Node) -> list[tuple[dict, np.ndarray, float, int]]:
        if node.name in heads:  # a stage's mixed equilibria are the scalar solver's to find
            raise _Uncertified(node.name)
        if isinstance(node, Terminal):
            t = t_index[node.name]
            return [({}, pay[t], 0.0, t)]
        subs = [equilibria_below(c) for c in node.children]
        if int(np.prod([len(s) for s in subs], dtype=object)) > max_equilibria:
            raise ValueError(f"more than max_equilibria={max_equilibria} combinations at {node.name!r}")
        out = []
        for combo in itertools.product(*subs):
            merged: dict = {}
            for beh, _, _, _ in combo:
                merged.update(beh)
            worst = max(r for _, _, r, _ in combo)
            if isinstance(node, Chance):
                probs = bi.chance_probabilities[c_index[node.name]][p]
                total = probs[0] * combo[0][1]
                for k in range(1, len(combo)):
                    total = total + probs[k] * combo[k][1]
                out.append((merged, total, worst, -1))
                continue
            i = node.player
            values = [v[i] for _, v, _, _ in combo]
            best = max(values)
            top = values.index(best)
            for k, v in enumerate(values):
                gap = best - v
                if certify and k != top and gap <= 2 * band:
                    a, b = combo[top][3], combo[k][3]
                    if a < 0 or b < 0 or same[i, a] != same[i, b]:
                        raise _Uncertified(node.name)
                if gap <= band:
                    out.append(({**merged, d_index[node.infoset]: k}, combo[k][1], max(worst, gap), combo[k][3]))
        return out

    found = [(tuple(beh[k] for k in range(len(bi.infosets))), v, r) for beh, v, r, _ in equilibria_below(tree.root)]
    return sorted(found, key=lambda item: item[0])


def _reach_one(compiled: CompiledTree, bi: BatchedBackwardInduction, p: int, choice: tuple[int, ...]) -> np.ndarray:
    t_index = {z.name: t for t, z in enumerate(compiled.terminals)}
    c_index = {c.name: k for k, c in enumerate(compiled.chances)}
    d_index = {h: k for k, h in enumerate(bi.infosets)}
    out = np.zeros(len(compiled.terminals))
    stack: list[tuple[Node, float]] = [(compiled.tree.root, 1.0)]
    while stack:
        node, r = stack.pop()
        if isinstance(node, Terminal):
            out[t_index[node.name]] = r
        elif isinstance(node, Chance):
            probs = bi.chance_probabilities[c_index[node.name]][p]
            stack.extend((c, r * probs[k]) for k, c in enumerate(node.children))
        else:
            stack.extend((c, r if choice[d_index[node.infoset]] == k else 0.0) for k, c in enumerate(node.children))
    return out


# --------------------------------------------------------------------------------------- outcomes
def _outcomes(compiled: CompiledTree, reach: np.ndarray, exact: bool, tol: float) -> tuple[list, list, np.ndarray]:
    """Outcome labels and keys (as :func:`~gametheory_ukraine.solvers.solving.describe_outcome` and
    :func:`~gametheory_ukraine.solvers.signature.outcome_key` give them in float mode) for reach probabilities
    of shape (rows, n_terminals); and a mask of rows whose outcome is a lottery."""
    labels: list[str] = []
    for z in compiled.terminals:
        if outcome_label(z) not in labels:
            labels.append(outcome_label(z))
    rows = reach.shape[0]
    lab = np.zeros((rows, len(labels)))
    for t, z in enumerate(compiled.terminals):
        lab[:, labels.index(outcome_label(z))] += reach[:, t]
    support = lab != 0
    lottery = support.sum(axis=1) > 1
    first = support.argmax(axis=1)
    label_arr = np.array(labels, dtype=object)
    outcome = label_arr[first]
    key = outcome.copy()
    for r in np.flatnonzero(lottery):
        dist = {labels[j]: float(lab[r, j]) for j in np.flatnonzero(support[r])}
        outcome[r] = describe_outcome(dist)
        kept = sorted(k for k, v in dist.items() if exact or abs(v) > tol)
        key[r] = kept[0] if len(kept) == 1 else "lottery: " + ", ".join(kept)
    return outcome.tolist(), key.tolist(), lottery


# ------------------------------------------------------------------------------------ per point
@dataclass(frozen=True)
class TreePoints:
    """Equilibria at every point, flat: one row per (point, equilibrium).

    Attributes
    ----------
    players : tuple of str, length N
    infosets : tuple of str
        Information sets in pre-order of first appearance.
    point : numpy.ndarray, int64, shape (rows,)
        The point of each row (ascending; a point's equilibria are consecutive).
    equilibrium : numpy.ndarray, int64, shape (rows,)
        Index of the equilibrium within its point (the scalar solver's order).
    n_equilibria : numpy.ndarray, int64, shape (points,)
    choices : numpy.ndarray, int16, shape (rows, n_infosets)
        Chosen action index per information set.
    payoffs : numpy.ndarray, float64, shape (rows, N)
    outcome : list of str, length rows
        The outcome label (``describe_outcome``; lottery probabilities as the scalar path prints them).
    outcome_key : list of str, length rows
        :func:`~gametheory_ukraine.solvers.signature.outcome_key`.
    regret : numpy.ndarray, float64, shape (rows,)
    complete : numpy.ndarray, bool, shape (points,)
    flagged : numpy.ndarray, bool, shape (points,)
        Near-tie points that are not certified exact ties (see :func:`backward_induction`).
    tied : numpy.ndarray, bool, shape (points,)
        Points with certified exact ties only, enumerated from the batched data.
    rescued : numpy.ndarray, bool, shape (points,)
        Points whose rows come from the scalar solver.
    mixed : mapping of int to mapping of str to tuple of float
        Rows (of the scalar solver, at a stage) whose equilibrium mixes at some information set: {row:
        {information set: probability of each action}}; ``choices`` holds -1 there.
    """

    players: tuple[str, ...]
    infosets: tuple[str, ...]
    point: np.ndarray
    equilibrium: np.ndarray
    n_equilibria: np.ndarray
    choices: np.ndarray
    payoffs: np.ndarray
    outcome: list
    outcome_key: list
    regret: np.ndarray
    complete: np.ndarray
    flagged: np.ndarray
    tied: np.ndarray
    rescued: np.ndarray
    mixed: Mapping = field(default_factory=dict)


def _scalar_rows(result, infosets: tuple[str, ...]) -> list[tuple]:
    """(choices, payoffs, outcome, key, regret, {information set: probabilities} where it mixes) per equilibrium;
    an information set the equilibrium leaves out (reached with probability 0 by its mover's own moves) counts as
    its first action."""
    out = []
    for eq in result.equilibria:
        beh: dict = {}
        for s in eq.strategies:
            beh.update(s)
        choice, mixes = [], {}
        for h in infosets:
            probs = [float(v) for v in beh.get(h, (1,))]
            if max(probs) == 1.0 and sum(probs) == 1.0:
                choice.append(probs.index(1.0))
            else:
                choice.append(-1)
                mixes[h] = tuple(probs)
        out.append((tuple(choice), np.array([float(v) for v in eq.payoffs]), eq.outcome,
                    outcome_key(eq, result.exact), float(eq.regret), mixes))
    return out


def solve_tree_points(model, form: str | None, scenario: str | None, params: Mapping[str, Any], *,
                      exact: bool = True, resolve: bool = True, tol: float = 1e-9) -> TreePoints:
    """Subgame-perfect equilibria of a model's tree at many points (perfect information, or simultaneous 2 x 2
    stages: see the module docstring).

    Parameters
    ----------
    model : Model
    form : str or None
        A sequential form of *model* (None: its first form).
    scenario : str or None
        Values of the parameters not in *params* (None: the defaults).
    params : mapping of str -> number or array_like of shape (points,)
        The varied parameters. Arrays may hold floats or exact values (Fractions, ints); the batched pass uses
        float64, the scalar re-solve uses each value as given (a float is read as the decimal it prints as in
        exact mode, like ``model.solve(..., exact=True, rho=0.05)``). Values are not range-checked here.
    exact : bool, default True
        The scalar path to agree with and to re-solve on: ``exact=True`` is ``model.solve(form, scenario,
        exact=True, ...)``; ``exact=False`` is the float solver (tolerance *tol*, absolute), as in
        :func:`gametheory_ukraine.analysis.sweep.sweep` by default. In exact mode points whose equilibrium is a
        lottery over outcomes are re-solved too (their label prints exact probabilities).
    resolve : bool, default True
        Re-solve flagged points on the scalar path. False: keep the batched answer, every combination of actions
        tied within ``tol * scale`` listed as a separate equilibrium (float labels).
    tol : float, default 1e-9

    Returns
    -------
    TreePoints

    Raises
    ------
    SolverError
        The form is not a tree this engine solves (use the scalar path).
    ParameterError
        A parameter value is missing or makes a payoff or probability invalid.

    Examples
    --------
    Ukraine cedes all of Donbas iff rho <= 1/27 (models/README.md); at 1/27 exactly the scalar solver reports
    the tie as two equilibria, and so does this function (the point is flagged and re-solved exactly):

    >>> from fractions import Fraction
    >>> import gametheory_ukraine as gtu
    >>> m = gtu.load_model("territory")
    >>> res = solve_tree_points(m, "sequential", "baseline-2025",
    ...                         {"rho": np.array([0.02, Fraction(1, 27), 0.3], dtype=object)})
    >>> res.n_equilibria.tolist(), res.outcome_key, res.flagged.tolist()
    ([1, 2, 1], ['settlement on Russian terms', 'settlement on Russian terms', 'war continues', 'war continues'], \
[False, True, False])
    """
    tree = model.symbolic(form)
    _require_supported(tree)
    compiled = compiled_tree(tree)
    base = model.values(scenario)
    raw = {name: np.asarray(v, dtype=object) if np.asarray(v).dtype == object else np.asarray(v)
           for name, v in params.items()}
    values: dict[str, Any] = {k: float(v) for k, v in base.items() if k not in raw}
    points, arrays = point_arrays({**raw}, list(raw))
    values.update(zip(raw, arrays))
    blocks = [_solve_block(tree, compiled, base, raw, {k: (v[lo:lo + POINTS_PER_BLOCK] if np.ndim(v) else v)
                                                       for k, v in values.items()},
                           lo, exact=exact, resolve=resolve, tol=tol)
              for lo in range(0, max(points, 1), POINTS_PER_BLOCK)]
    if len(blocks) == 1:
        return blocks[0]
    first = blocks[0]
    offsets = np.cumsum([0] + [len(b.n_equilibria) for b in blocks[:-1]])
    row_offsets = np.cumsum([0] + [len(b.point) for b in blocks[:-1]])
    return TreePoints(first.players, first.infosets,
                      np.concatenate([b.point + off for b, off in zip(blocks, offsets)]),
                      *(np.concatenate([getattr(b, f) for b in blocks])
                        for f in ("equilibrium", "n_equilibria", "choices", "payoffs")),
                      [x for b in blocks for x in b.outcome], [x for b in blocks for x in b.outcome_key],
                      *(np.concatenate([getattr(b, f) for b in blocks])
                        for f in ("regret", "complete", "flagged", "tied", "rescued")),
                      {int(row + off): mix for b, off in zip(blocks, row_offsets) for row, mix in b.mixed.items()})


def _solve_block(tree: GameTree, compiled: CompiledTree, base: Mapping[str, Any], raw: Mapping[str, np.ndarray],
                 values: Mapping[str, Any], lo: int, *, exact: bool, resolve: bool, tol: float) -> TreePoints:
    """:func:`solve_tree_points` on the points ``lo, lo + 1, ...`` whose float *values* are given (point numbers
    in the result are counted from 0); *raw* holds every point's value as given, for the scalar re-solve."""
    bi = backward_induction(compiled, values, tol=tol)
    points = len(bi.flagged)
    n_players = len(tree.players)
    outcome, key, lottery = _outcomes(compiled, bi.reach, exact, tol)

    redo = (bi.flagged | lottery if exact else bi.flagged.copy()) if resolve else np.zeros(points, dtype=bool)
    special: dict[int, list] = {}
    for p in np.flatnonzero(redo | bi.flagged | bi.tied).tolist():
        if not redo[p]:  # certified ties (or, with resolve=False, any near-tie): every combination, batched data
            try:
                rows = []
                for choice, pay, r in _expand_point(compiled, bi, p, tol, certify=resolve):
                    reach = _reach_one(compiled, bi, p, choice)[None, :]
                    o, kk, lot = _outcomes(compiled, reach, exact, tol)
                    if resolve and exact and lot[0]:
                        raise _Uncertified("lottery")
                    rows.append((choice, pay, o[0], kk[0], r, {}))
                special[p] = rows
                continue
            except _Uncertified:
                redo[p] = True
        vals = dict(base)
        for name, arr in raw.items():
            v = arr[lo + p] if arr.ndim else arr[()]
            vals[name] = v.item() if isinstance(v, np.generic) else v
        res = solve(tree.instantiate(vals, exact=exact), exact=exact, tol=tol)
        special[p] = _scalar_rows(res, bi.infosets)
        if not res.complete:  # pragma: no cover - 2 x 2 stages and perfect information are solved completely
            raise SolverError("the scalar solver reports an incomplete result")

    counts = np.ones(points, dtype=np.int64)
    for p, rows in special.items():
        counts[p] = len(rows)
    total = int(counts.sum())
    starts = np.cumsum(counts) - counts
    point = np.repeat(np.arange(points, dtype=np.int64), counts)
    equilibrium = np.arange(total, dtype=np.int64) - np.repeat(starts, counts)
    mixed: dict[int, dict] = {}
    if not special:
        choices, payoffs, regret = bi.choices, bi.payoffs, np.zeros(points)
        out_labels, out_keys = outcome, key
    else:
        plain = np.ones(points, dtype=bool)
        plain[list(special)] = False
        pos = starts[plain]
        choices = np.empty((total, len(bi.infosets)), dtype=np.int16)
        payoffs = np.empty((total, n_players))
        regret = np.zeros(total)
        choices[pos] = bi.choices[plain]
        payoffs[pos] = bi.payoffs[plain]
        out_labels = [None] * total
        out_keys = [None] * total
        for p_, r_ in zip(np.flatnonzero(plain).tolist(), pos.tolist()):
            out_labels[r_] = outcome[p_]
            out_keys[r_] = key[p_]
        for p, rows in special.items():
            for j, (choice, pay, lab, kk, r, mix) in enumerate(rows):
                at = starts[p] + j
                choices[at] = choice
                payoffs[at] = pay
                out_labels[at] = lab
                out_keys[at] = kk
                regret[at] = r
                if mix:
                    mixed[int(at)] = mix
    return TreePoints(tuple(tree.players), bi.infosets, point, equilibrium, counts, choices, payoffs, out_labels,
                      out_keys, regret, np.ones(points, dtype=bool), bi.flagged, bi.tied, redo, mixed)
