"""Subgame-perfect equilibria of finite extensive games.

A *subgame* starts at a node whose subtree contains every information set it
touches entirely (Selten 1965). A profile of behaviour strategies is a
*subgame-perfect equilibrium* (SPE) if it induces a Nash equilibrium in every
subgame (Selten 1965, 1975). For perfect-information games the SPE are found by
backward induction (Kuhn 1953); in general, subgames are solved bottom-up and
every minimal subgame with imperfect information is solved through its reduced
normal form (von Stengel 2007), whose mixed equilibria are turned into behaviour
strategies by Kuhn's theorem (Kuhn 1953; perfect recall is required there).

Behaviour profiles
------------------
A behaviour profile is a :class:`~gametheory_ukraine.core.frozen.FrozenDict` mapping
an information-set label to a tuple of probabilities, one per action of that
information set (:class:`~fractions.Fraction` in exact mode, ``float``
otherwise), keys in pre-order of first appearance. Every information set is
present, except that a profile found by solving an imperfect-information
subgame through its normal form omits an information set that the mover's *own*
earlier moves (inside that subgame) reach with probability 0: Kuhn's formula
leaves it undefined (0/0), no deviation by anyone else can reach it, and any
behaviour there completes the profile to an SPE. The functions of this module
never look up an information set that is reached with probability 0.

References
----------
.. [Sel65] R. Selten, "Spieltheoretische Behandlung eines Oligopolmodells mit
   Nachfrageträgheit", *Zeitschrift für die gesamte Staatswissenschaft* 121, 1965,
   pp. 301-324 and 667-689.
.. [Sel75] R. Selten, "Reexamination of the perfectness concept for equilibrium
   points in extensive games", *International Journal of Game Theory* 4, 1975,
   pp. 25-55.
.. [Kuh53b] H. W. Kuhn, "Extensive games and the problem of information", in
   *Contributions to the Theory of Games II*, Annals of Mathematics Studies 28,
   Princeton University Press, 1953, pp. 193-216.
.. [vS07b] B. von Stengel, "Equilibrium computation for two-player games in
   strategic and extensive form", in *Algorithmic Game Theory* (N. Nisan,
   T. Roughgarden, É. Tardos, V. Vazirani, eds.), Cambridge University Press,
   2007, chapter 3.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
import sympy

from ..core.errors import SolverError
from ..core.frozen import FrozenDict
from ..core.numbers import to_exact
from ..games.reduce import has_perfect_recall, outcome_label, reduced_strategies, to_normal_form
from ..games.tree import Chance, Decision, GameTree, Node, Terminal
from . import n_player, two_player
from .budget import check_work

__all__ = ["SPESolution", "subgame_perfect", "expected_payoffs", "reach_probabilities",
           "outcome_distribution", "subgame_roots", "regret"]

#: Cap on the pure strategies enumerated for a best response without perfect recall.
MAX_DEVIATIONS = 100_000


# ------------------------------------------------------------------------------------ helpers
def _is_zero(p: Any) -> bool:
    return bool(p == 0)


def _is_float_mode(tree: GameTree, behaviour: Mapping[str, tuple]) -> bool:
    return tree.kind == "float" or any(isinstance(p, float) for probs in behaviour.values() for p in probs)


def _finish(value: Any, float_mode: bool) -> Any:
    """ints and Fractions -> Fraction (exact) or float; sympy values are kept."""
    if float_mode and not getattr(value, "free_symbols", None):
        return float(value)
    if isinstance(value, (int, Fraction)) and not isinstance(value, bool):
        return Fraction(value)
    return value


def _node_index(tree: GameTree) -> dict[str, Node]:
    return {node.name: node for node in tree.nodes()}


def _start(tree: GameTree, node: Node | str | None) -> Node:
    if node is None:
        return tree.root
    if isinstance(node, str):
        index = _node_index(tree)
        if node not in index:
            raise ValueError(f"the tree has no node named {node!r}")
        return index[node]
    return node


def _probabilities(node: Decision | Chance, behaviour: Mapping[str, tuple]) -> tuple:
    if isinstance(node, Chance):
        return tuple(node.probabilities)
    probs = behaviour.get(node.infoset)
    if probs is None:
        raise ValueError(f"the behaviour profile has no entry for information set {node.infoset!r} "
                         f"(node {node.name!r}), which it reaches with positive probability")
    if len(probs) != len(node.actions):
        raise ValueError(f"information set {node.infoset!r} has {len(node.actions)} actions, "
                         f"but the behaviour profile gives {len(probs)} probabilities")
    return tuple(probs)


def _value(node: Node, behaviour: Mapping[str, tuple], n: int) -> tuple:
    if isinstance(node, Terminal):
        return tuple(node.payoffs)
    total: list[Any] = [0] * n
    for p, child in zip(_probabilities(node, behaviour), node.children):
        if _is_zero(p):
            continue
        total = [t + p * v for t, v in zip(total, _value(child, behaviour, n))]
    return tuple(total)


# ---------------------------------------------------------------------------------- evaluation
def expected_payoffs(tree: GameTree, behaviour: Mapping[str, tuple], node: Node | str | None = None) -> tuple:
    """Every player's expected payoff under a behaviour profile.

    Parameters
    ----------
    tree : GameTree
    behaviour : mapping of str to tuple
        Information-set label -> probabilities, one per action (see the module
        docstring for omitted information sets).
    node : Node or str, optional
        Start here (a node or its name); default the root.

    Returns
    -------
    tuple, length N
        Exact :class:`~fractions.Fraction` when the tree and the profile are
        exact, floats otherwise.

    Raises
    ------
    ValueError
        If an information set reached with positive probability has no entry.

    Examples
    --------
    >>> from fractions import Fraction as F
    >>> from gametheory_ukraine.games.tree import Chance, Decision, GameTree, Terminal
    >>> t = GameTree(("A", "B"), Decision("a", 0, ("l", "r"), (
    ...     Terminal("z1", (1, 0)),
    ...     Chance("c", ("h", "t"), (F(1, 3), F(2, 3)), (Terminal("z2", (3, 3)), Terminal("z3", (0, 6)))))))
    >>> expected_payoffs(t, {"a": (F(1, 2), F(1, 2))})
    (Fraction(1, 1), Fraction(5, 2))
    """
    start = _start(tree, node)
    fm = _is_float_mode(tree, behaviour)
    return tuple(_finish(v, fm) for v in _value(start, behaviour, tree.n_players))


def reach_probabilities(tree: GameTree, behaviour: Mapping[str, tuple]) -> dict[str, Any]:
    """The probability of reaching each terminal node from the root.

    Returns
    -------
    dict of str to number
        Terminal name -> probability, every terminal in pre-order (0 for those
        not reached). Exact in exact mode.

    Examples
    --------
    >>> from fractions import Fraction as F
    >>> from gametheory_ukraine.games.tree import Decision, GameTree, Terminal
    >>> t = GameTree(("A",), Decision("a", 0, ("l", "r"), (Terminal("z1", (1,)), Terminal("z2", (2,)))))
    >>> reach_probabilities(t, {"a": (F(1, 4), F(3, 4))})
    {'z1': Fraction(1, 4), 'z2': Fraction(3, 4)}
    """
    fm = _is_float_mode(tree, behaviour)
    out: dict[str, Any] = {}
    stack: list[tuple[Node, Any]] = [(tree.root, 1)]
    while stack:
        node, prob = stack.pop()
        if isinstance(node, Terminal):
            out[node.name] = _finish(prob, fm)
            continue
        probs = (0,) * len(node.children) if _is_zero(prob) else _probabilities(node, behaviour)
        for p, child in reversed(list(zip(probs, node.children))):
            stack.append((child, 0 if _is_zero(p) else prob * p))
    return out


def outcome_distribution(tree: GameTree, behaviour: Mapping[str, tuple]) -> dict[str, Any]:
    """The probability of each outcome label (a terminal's ``outcome``, else its name).

    Only labels reached with non-zero probability are listed, in tree order.

    Examples
    --------
    >>> from fractions import Fraction as F
    >>> from gametheory_ukraine.games.tree import Decision, GameTree, Terminal
    >>> t = GameTree(("A",), Decision("a", 0, ("l", "m", "r"), (
    ...     Terminal("z1", (1,), "war"), Terminal("z2", (2,), "peace"), Terminal("z3", (2,), "war"))))
    >>> outcome_distribution(t, {"a": (F(1, 2), F(0), F(1, 2))})
    {'war': Fraction(1, 1)}
    """
    terminals = {node.name: node for node in tree.nodes() if isinstance(node, Terminal)}
    out: dict[str, Any] = {}
    for name, prob in reach_probabilities(tree, behaviour).items():
        if _is_zero(prob):
            continue
        label = outcome_label(terminals[name])
        out[label] = out[label] + prob if label in out else prob
    return out


# ------------------------------------------------------------------------------------ subgames
def subgame_roots(tree: GameTree) -> tuple[str, ...]:
    """Names of the decision and chance nodes that start a subgame, in pre-order.

    A node starts a subgame if every information set with a node in its
    subtree lies entirely in that subtree (Selten 1965). The root always does;
    in a game of perfect information every non-terminal node does.

    Examples
    --------
    >>> from gametheory_ukraine.games.tree import Decision, GameTree, Terminal
    >>> def z(k):
    ...     return Terminal(f"z{k}", (k, k))
    >>> t = GameTree(("A", "B"), Decision("a", 0, ("out", "in"), (z(0), Decision("b", 0, ("x", "y"), (
    ...     Decision("c1", 1, ("x", "y"), (z(1), z(2)), infoset="c"),
    ...     Decision("c2", 1, ("x", "y"), (z(3), z(4)), infoset="c"))))))
    >>> subgame_roots(t)
    ('a', 'b')
    """
    nodes = list(tree.nodes())
    pos = {node.name: k for k, node in enumerate(nodes)}
    first: dict[str, int] = {}
    last: dict[str, int] = {}
    for k, node in enumerate(nodes):
        if isinstance(node, Decision):
            first.setdefault(node.infoset, k)
            last[node.infoset] = k
    roots: list[str] = []

    def visit(node: Node) -> tuple[int, int, int]:
        """(subtree size, min first position, max last position) over the subtree's information sets."""
        start = pos[node.name]
        if isinstance(node, Terminal):
            return 1, start, start
        size, lo, hi = 1, start, start
        if isinstance(node, Decision):
            lo, hi = first[node.infoset], last[node.infoset]
        for child in node.children:
            s, clo, chi = visit(child)
            size, lo, hi = size + s, min(lo, clo), max(hi, chi)
        if lo >= start and hi < start + size:
            roots.append(node.name)
        return size, lo, hi

    visit(tree.root)
    return tuple(sorted(roots, key=pos.__getitem__))


def _best_response_value(root: Node, behaviour: Mapping[str, tuple], player: int,
                         perfect_recall: bool) -> Any:
    """Player's best payoff from *root* against the others' behaviour (pure strategies suffice)."""
    weights: dict[str, Any] = {}
    members: dict[str, list[Decision]] = {}
    stack: list[tuple[Node, Any]] = [(root, 1)]
    while stack:  # weights: chance and the others' probabilities; the player's own moves count as 1
        node, w = stack.pop()
        if isinstance(node, Terminal):
            continue
        if isinstance(node, Decision) and node.player == player:
            weights[node.name] = w
            members.setdefault(node.infoset, []).append(node)
            probs: tuple = (1,) * len(node.children)
        else:
            probs = (0,) * len(node.children) if _is_zero(w) else _probabilities(node, behaviour)
        for p, child in reversed(list(zip(probs, node.children))):
            stack.append((child, 0 if _is_zero(p) else w * p))

    def value(node: Node, choice: Mapping[str, int]) -> Any:
        if isinstance(node, Terminal):
            return node.payoffs[player]
        if isinstance(node, Decision) and node.player == player:
            return value(node.children[choice[node.infoset]], choice)
        total: Any = 0
        for p, child in zip(_probabilities(node, behaviour), node.children):
            if not _is_zero(p):
                total = total + p * value(child, choice)
        return total

    if perfect_recall:
        # With perfect recall every node of an information set follows the same own moves, so the
        # choice there can be optimised locally once the later information sets are fixed.
        choice: dict[str, int] = {}
        for label in reversed(list(members)):
            nodes = members[label]
            best_k, best_v = 0, None
            for k in range(len(nodes[0].actions)):
                v: Any = 0
                for x in nodes:
                    if not _is_zero(weights[x.name]):
                        v = v + weights[x.name] * value(x.children[k], choice)
                if best_v is None or v > best_v:
                    best_k, best_v = k, v
            choice[label] = best_k
        return value(root, choice)
    labels = list(members)
    count = 1
    for label in labels:
        count *= len(members[label][0].actions)
    if count > MAX_DEVIATIONS:
        raise ValueError(f"player {player} has {count} pure strategies in the subgame at {root.name!r} "
                         f"(more than {MAX_DEVIATIONS}) and the tree lacks perfect recall")
    best = None
    for combo in itertools.product(*(range(len(members[h][0].actions)) for h in labels)):
        v = value(root, dict(zip(labels, combo)))
        if best is None or v > best:
            best = v
    return best


def regret(tree: GameTree, behaviour: Mapping[str, tuple], *, subgames: Iterable[str] | None = None) -> Any:
    """The largest gain from a unilateral deviation in some subgame.

    For every subgame root *r* (default: all of :func:`subgame_roots`; pass
    ``subgames=(tree.root.name,)`` for the plain Nash regret) and every player
    *i* who moves in that subgame, the payoff of *i*'s best pure strategy in the
    subgame against the others' behaviour minus *i*'s payoff under the profile.
    With perfect recall the best response is found by backward recursion over
    *i*'s information sets (deepest first, weighting each node by the chance
    and opponents' probabilities of reaching it); otherwise *i*'s pure
    strategies in the subgame are enumerated (at most 100000).

    Returns
    -------
    number
        ``>= 0``; exactly 0 for a subgame-perfect equilibrium in exact mode
        (a :class:`~fractions.Fraction`), at most about the tolerance in float mode.

    Raises
    ------
    ValueError
        If a name in *subgames* is not a subgame root, or the enumeration is too large.

    Examples
    --------
    Selten's chain store, one round (payoffs of Selten 1978): the entrant stays
    out because the incumbent threatens to fight. That is a Nash equilibrium
    (regret 0 at the root) but not subgame-perfect: fighting after entry costs
    the incumbent 2.

    >>> from gametheory_ukraine.games.tree import Decision, GameTree, Terminal
    >>> t = GameTree(("entrant", "incumbent"), Decision("E", 0, ("in", "out"), (
    ...     Decision("I", 1, ("acquiesce", "fight"), (Terminal("ia", (2, 2)), Terminal("if", (0, 0)))),
    ...     Terminal("o", (1, 5)))))
    >>> threat = {"E": (0, 1), "I": (0, 1)}
    >>> regret(t, threat, subgames=("E",)), regret(t, threat)
    (Fraction(0, 1), Fraction(2, 1))
    """
    roots_all = subgame_roots(tree)
    roots = roots_all if subgames is None else tuple(subgames)
    bad = [r for r in roots if r not in roots_all]
    if bad:
        raise ValueError(f"{', '.join(map(repr, bad))} do not start subgames; subgame roots: {roots_all}")
    index = _node_index(tree)
    perfect = has_perfect_recall(tree)
    fm = _is_float_mode(tree, behaviour)
    worst: Any = 0
    for name in roots:
        root = index[name]
        base = _value(root, behaviour, tree.n_players)
        movers = sorted({node.player for node in GameTree(tree.players, root).nodes()
                         if isinstance(node, Decision)})
        for i in movers:
            gap = _best_response_value(root, behaviour, i, perfect) - base[i]
            if hasattr(gap, "free_symbols"):  # sympy algebraic numbers (3-player subgames)

                gap = sympy.simplify(gap)
            if gap > worst:
                worst = gap
    return _finish(worst, fm)


# -------------------------------------------------------------------------------------- solver
@dataclass(frozen=True)
class SPESolution:
    """Result of :func:`subgame_perfect`.

    Attributes
    ----------
    equilibria : tuple of FrozenDict
        Behaviour profiles (information-set label -> action probabilities),
        sorted lexicographically over the information sets in pre-order, higher
        probability on earlier actions first, an omitted information set last.
    complete : bool
        False if some subgame needed a solver whose result is not provably
        complete (the N >= 3 support enumeration meeting a continuum or an
        unsolved system). True means: every extreme equilibrium of every
        imperfect-information subgame and every tie-break at every
        perfect-information node has been followed (see the notes for ties and
        continua, which give further, non-extreme equilibria).
    notes : tuple of str
        Ties, continua, omitted information sets, solver remarks.
    payoffs : tuple of tuple
        ``payoffs[k]`` is every player's expected payoff at ``equilibria[k]``.
    """

    equilibria: tuple[FrozenDict, ...]
    complete: bool
    notes: tuple[str, ...]
    payoffs: tuple[tuple, ...] = ()


class _Solver:
    def __init__(self, tree: GameTree, exact: bool, tol: float, max_equilibria: int,
                 max_work: int | None = None) -> None:
        self.tree = tree
        self.max_work = max_work
        self.exact = exact
        self.tol = tol
        self.max = max_equilibria
        self.roots = set(subgame_roots(tree))
        self.one: Any = Fraction(1) if exact else 1.0
        self.zero: Any = Fraction(0) if exact else 0.0
        self.notes: list[str] = []
        self.complete = True

    # ---------------------------------------------------------------- utilities
    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    def number(self, value: Any) -> Any:
        if not self.exact:
            return float(value)
        if isinstance(value, (int, Fraction)):
            return Fraction(value)
        try:
            return to_exact(value)
        except ValueError:  # an irrational algebraic number from support enumeration
            return value

    def unit(self, k: int, n: int) -> tuple:
        return tuple(self.one if j == k else self.zero for j in range(n))

    def check(self, count: int, where: str) -> None:
        if count > self.max:
            raise ValueError(f"{count} subgame-perfect equilibria (or combinations of subgame equilibria) "
                             f"at {where!r} exceed max_equilibria={self.max}")

    def better_or_equal(self, v: Any, best: Any) -> bool:
        return v == best if self.exact else v >= best - self.tol

    # ---------------------------------------------------------------- recursion
    def solve(self, node: Node) -> list[tuple[dict, tuple]]:
        """(behaviour over the subtree's information sets, payoffs) for each SPE of the subgame at *node*."""
        if isinstance(node, Terminal):
            return [({}, tuple(self.number(v) for v in node.payoffs))]
        frontier, single = self.frontier(node)
        if not single:
            return self.solve_region(node, frontier)
        child_solutions = [self.solve(child) for child in node.children]
        self.check(int(np.prod([len(s) for s in child_solutions], dtype=object)), node.name)
        out: list[tuple[dict, tuple]] = []
        for combo in itertools.product(*child_solutions):
            merged: dict = {}
            for beh, _ in combo:
                merged.update(beh)
            if isinstance(node, Chance):
                pay = [self.zero] * self.tree.n_players
                for p, (_, v) in zip(node.probabilities, combo):
                    pay = [a + self.number(p) * b for a, b in zip(pay, v)]
                out.append((merged, tuple(pay)))
                continue
            i = node.player
            values = [v[i] for _, v in combo]
            best = max(values)
            tied = [k for k, v in enumerate(values) if self.better_or_equal(v, best)]
            if len(tied) > 1:
                acts = ", ".join(repr(node.actions[k]) for k in tied)
                self.note(f"tie at node {node.name!r}: {self.tree.players[i]} is indifferent between {acts}; "
                          "each is listed as a separate equilibrium (randomising between them is also "
                          "optimal there and can support further subgame-perfect equilibria, not listed)")
            for k in tied:
                beh = dict(merged)
                beh[node.infoset] = self.unit(k, len(node.actions))
                out.append((beh, combo[k][1]))
            self.check(len(out), node.name)
        return out

    def frontier(self, node: Decision | Chance) -> tuple[list[Node], bool]:
        """The first proper subgame roots below *node*, and whether *node* alone forms its region."""
        found: list[Node] = []
        single = True
        stack = list(reversed(node.children))
        while stack:
            y = stack.pop()
            if isinstance(y, Terminal):
                continue
            if y.name in self.roots:
                found.append(y)
            else:
                single = False
                stack.extend(reversed(y.children))
        return found, single

    def copy_region(self, node: Node, payoffs: dict[str, tuple], top: bool = False) -> Node:
        if not top and node.name in payoffs:
            return Terminal(node.name, payoffs[node.name], f"subgame {node.name}")
        if isinstance(node, Terminal):
            return Terminal(node.name, tuple(self.number(v) for v in node.payoffs), node.outcome)
        kids = tuple(self.copy_region(c, payoffs) for c in node.children)
        if isinstance(node, Decision):
            return Decision(node.name, node.player, node.actions, kids, node.infoset)
        return Chance(node.name, node.actions, tuple(self.number(p) for p in node.probabilities), kids)

    def solve_region(self, node: Decision | Chance, frontier: list[Node]) -> list[tuple[dict, tuple]]:
        sub = [self.solve(f) for f in frontier]
        self.check(int(np.prod([len(s) for s in sub], dtype=object)), node.name)
        out: list[tuple[dict, tuple]] = []
        seen: set = set()
        for combo in itertools.product(*sub):
            values = {f.name: v for f, (_, v) in zip(frontier, combo)}
            region = GameTree(self.tree.players, self.copy_region(node, values, top=True))
            if not has_perfect_recall(region):
                raise SolverError(f"the subgame at {node.name!r} lacks perfect recall; behaviour strategies "
                                  "cannot represent its mixed equilibria (Kuhn's theorem needs it)")
            game = to_normal_form(region)
            strategies = reduced_strategies(region)
            merged: dict = {}
            for beh, _ in combo:
                merged.update(beh)
            for mixed in self.solve_normal_form(game, node.name):
                local = self.kuhn(region, strategies, mixed)
                pay = tuple(self.tidy(v) for v in _value(region.root, local, self.tree.n_players))
                beh = {**merged, **local}
                key = FrozenDict(beh)
                if key in seen:
                    continue
                seen.add(key)
                out.append((beh, pay))
                self.check(len(out), node.name)
        return out

    def clean(self, probs: tuple) -> tuple:
        """Float mode: zero out probabilities below tol and renormalise; exact: Fractions where rational."""
        if self.exact:
            return tuple(self.number(p) for p in probs)
        vals = [float(p) if float(p) > self.tol else 0.0 for p in probs]
        total = sum(vals)
        return tuple(v / total for v in vals)

    def solve_normal_form(self, game, where: str) -> list[tuple[tuple, ...]]:
        """Equilibria (one probability tuple per player) of the region's reduced normal form."""
        shape = game.shape
        active = [i for i, k in enumerate(shape) if k > 1]
        take = tuple(slice(None) if i in active else 0 for i in range(len(shape)))
        arrays = [np.asarray(game.payoffs[i][take]) for i in active]
        dims = "x".join(str(shape[i]) for i in active) or "1"
        if len(active) >= 2:
            check_work([shape[i] for i in active], "vertex-enumeration" if len(active) == 2 else
                       "support-enumeration", self.max_work, where=f"subgame at {where!r}", exact=self.exact)
        if not active:
            eqs: list[tuple] = [()]
        elif len(active) == 1:
            u = list(arrays[0])
            best = max(u)
            chosen = [k for k, v in enumerate(u) if self.better_or_equal(v, best)]
            eqs = [(self.unit(k, len(u)),) for k in chosen]
            if len(chosen) > 1:
                self.note(f"subgame at {where!r}: {self.tree.players[active[0]]} is indifferent among "
                          f"{len(chosen)} reduced strategies; each is listed (mixtures are optimal too)")
        else:
            if len(active) == 2:
                res = two_player.extreme_equilibria(arrays[0], arrays[1], exact=self.exact, tol=self.tol)
            else:
                res = n_player.support_enumeration(arrays, exact=self.exact, tol=self.tol)
                self.complete = self.complete and res.complete
                for text in res.notes:
                    self.note(f"subgame at {where!r} (reduced normal form {dims}): {text}")
            eqs = [tuple(eq) for eq in res.equilibria]
            if res.has_continuum:
                self.note(f"subgame at {where!r} (reduced normal form {dims}) has continua of equilibria; "
                          "only their extreme points are listed")
        out = []
        for eq in eqs:
            full: list[tuple] = [(self.one,)] * len(shape)
            for i, probs in zip(active, eq):
                full[i] = self.clean(tuple(probs))
            out.append(tuple(full))
        return out

    def kuhn(self, region: GameTree, strategies: tuple, mixed: tuple[tuple, ...]) -> dict:
        """Behaviour strategies realisation-equivalent to *mixed* (Kuhn 1953), perfect recall assumed."""
        out: dict = {}
        for label, info in region.infosets().items():
            plans, sigma = strategies[info.player], mixed[info.player]
            reach: Any = 0
            for s, p in zip(plans, sigma):
                if label in s:
                    reach = reach + p
            if _is_zero(reach):
                continue  # excluded by the mover's own moves: omitted (see the module docstring)
            probs = []
            for action in info.actions:
                mass: Any = 0
                for s, p in zip(plans, sigma):
                    if s.get(label) == action:
                        mass = mass + p
                probs.append(self.tidy(mass / reach))
            out[label] = tuple(probs)
        return out

    def tidy(self, value: Any) -> Any:
        if not self.exact:
            return float(value)
        if isinstance(value, (int, Fraction)):
            return Fraction(value)

        simple = sympy.simplify(value)
        return self.number(simple) if simple.is_Rational else simple


def _sort_key(behaviour: Mapping[str, tuple], order: list[str]) -> tuple:
    key = []
    for label in order:
        if label in behaviour:
            key.append((0, tuple(-p if isinstance(p, (int, float, Fraction)) else -float(p)
                                 for p in behaviour[label])))
        else:
            key.append((1, ()))
    return tuple(key)


def subgame_perfect(tree: GameTree, *, exact: bool, tol: float = 1e-9,
                    max_equilibria: int = 10000, max_work: int | None = None) -> SPESolution:
    """Subgame-perfect equilibria by backward induction over subgames.

    Subgames are solved bottom-up (Selten 1965, 1975). A subgame whose root is
    the only node outside its proper subgames is solved by backward induction
    (Kuhn 1953): a chance node takes expectations, a decision node takes every
    action that maximises the mover's continuation payoff -- ties are never
    broken silently: each optimal action gives a separate equilibrium. The
    equilibria of a node are the product of its children's equilibrium sets,
    then the tie-breaks. A minimal subgame with imperfect information is solved,
    for every combination of equilibria of its own proper subgames (replaced by
    terminals carrying their payoffs), through its reduced normal form (von
    Stengel 2007): 1 moving player -> every optimal pure strategy; 2 ->
    :func:`~gametheory_ukraine.solvers.two_player.extreme_equilibria` (all
    extreme equilibria); 3 or more ->
    :func:`~gametheory_ukraine.solvers.n_player.support_enumeration`. Mixed
    equilibria become behaviour strategies by Kuhn's theorem: the probability of
    action *a* at information set *h* is the weight of the reduced strategies
    choosing *a* at *h* divided by the weight of those reaching *h* (an
    information set with zero reaching weight is omitted from the profile; see
    the module docstring).

    Parameters
    ----------
    tree : GameTree
        Numeric (exact or float) payoffs and chance probabilities. The tree is
        validated first.
    exact : bool
        True: exact rational arithmetic, probabilities and payoffs are
        :class:`~fractions.Fraction` (algebraic sympy numbers may appear in
        3-player imperfect-information subgames); False: floats.
    tol : float, default 1e-9
        Float mode only: actions within ``tol`` of the best count as tied, and
        probabilities below ``tol`` from the normal-form solvers are set to 0.
    max_equilibria : int, default 10000
        More equilibria (or combinations of subgame equilibria) at any stage
        raise ``ValueError``.
    max_work : int, optional
        Work budget of each imperfect-information subgame's normal form
        (:func:`gametheory_ukraine.solvers.budget.check_work`; default
        :data:`gametheory_ukraine.solvers.budget.MAX_WORK`).

    Returns
    -------
    SPESolution
        ``equilibria`` (behaviour profiles, deterministic order), ``complete``,
        ``notes`` and ``payoffs``.

    Raises
    ------
    SolverError
        If the tree has free parameters, an imperfect-information subgame
        lacks perfect recall, or its normal form is past *max_work*.
    ValueError
        If the tree is malformed or there are more than *max_equilibria* equilibria.

    Notes
    -----
    Listed are the equilibria in which every perfect-information tie is
    resolved by a pure action and every imperfect-information subgame plays an
    extreme equilibrium of its reduced normal form. Randomising over tied
    actions, or playing a non-extreme equilibrium of a subgame with a continuum,
    gives further SPE; a note flags every place where this happens.

    Examples
    --------
    Selten's one-round chain store (payoffs of Selten 1978, "The chain store
    paradox"): the unique SPE is entry and acquiescence; the threat to fight is
    not credible.

    >>> from gametheory_ukraine.games.tree import Decision, GameTree, Terminal
    >>> t = GameTree(("entrant", "incumbent"), Decision("E", 0, ("in", "out"), (
    ...     Decision("I", 1, ("acquiesce", "fight"), (Terminal("ia", (2, 2)), Terminal("if", (0, 0)))),
    ...     Terminal("o", (1, 5)))))
    >>> sol = subgame_perfect(t, exact=True)
    >>> [{h: tuple(map(str, p)) for h, p in eq.items()} for eq in sol.equilibria]
    [{'E': ('1', '0'), 'I': ('1', '0')}]
    >>> sol.payoffs, sol.complete
    (((Fraction(2, 1), Fraction(2, 1)),), True)
    """
    if tree.kind == "symbolic":
        raise SolverError(f"the game tree has free parameters {', '.join(tree.parameters)}",
                          fix="call tree.instantiate(...) with values for them first")
    tree.validate()
    numeric = tree.instantiate({}, exact=exact)
    solver = _Solver(numeric, exact, float(tol), max_equilibria, max_work)
    found = solver.solve(numeric.root)
    order = list(numeric.infosets())
    unique: dict[FrozenDict, tuple] = {}
    for beh, pay in found:
        key = FrozenDict((h, beh[h]) for h in order if h in beh)
        unique.setdefault(key, pay)
    ranked = sorted(unique.items(), key=lambda item: _sort_key(item[0], order))
    omitted = [h for h in order if any(h not in eq for eq, _ in ranked)]
    if omitted:
        solver.note(f"information sets {', '.join(map(repr, omitted))} are omitted from some equilibria: "
                    "the mover's own earlier moves reach them with probability 0, so any behaviour there "
                    "completes the profile")
    return SPESolution(equilibria=tuple(eq for eq, _ in ranked), complete=solver.complete,
                       notes=tuple(solver.notes), payoffs=tuple(pay for _, pay in ranked))
