"""From a game tree to its (reduced) normal form.

A pure strategy of player *i* in an extensive game chooses an action at each of
her information sets. In the *reduced* normal form two pure strategies that
differ only at information sets made unreachable by the player's own earlier
moves are identified: such an information set gets no action at all
(Kuhn 1953; von Stengel 2007, section 3.10 "reduced strategic form"). For a
centipede with two moves per player, for instance, each player has 4 pure
strategies but only 3 reduced ones ("take", "pass then take", "pass then pass").

References
----------
.. [Kuh53] H. W. Kuhn, "Extensive games and the problem of information",
   in *Contributions to the Theory of Games II*, Annals of Mathematics Studies 28,
   Princeton University Press, 1953, pp. 193-216.
.. [vS07a] B. von Stengel, "Equilibrium computation for two-player games in
   strategic and extensive form", in *Algorithmic Game Theory* (N. Nisan et al.,
   eds.), Cambridge University Press, 2007, chapter 3.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import sympy

from ..core.frozen import FrozenDict
from ..core.numbers import to_exact
from .normal_form import NormalFormGame
from .tree import Decision, GameTree, Node, Terminal

__all__ = ["reduced_strategies", "pure_strategies", "strategy_labels", "to_normal_form",
           "has_perfect_recall", "outcome_label"]

#: Label of the single (empty) strategy of a player who never moves.
NO_MOVE = "\u2014"


def outcome_label(terminal: Terminal) -> str:
    """The outcome label of a terminal node: its ``outcome``, else its name."""
    return terminal.outcome if terminal.outcome is not None else terminal.name


# ---------------------------------------------------------------------------------- strategies
def _join(left: list[dict], right: list[dict], cap: int, who: str) -> list[dict]:
    """All unions ``l | r`` of partial plans that agree on their common information sets."""
    if right == [{}]:
        return left
    if left == [{}]:
        return right
    out: list[dict] = []
    for p in left:
        for q in right:
            if all(p[k] == v for k, v in q.items() if k in p):
                out.append({**p, **q})
                if len(out) > cap:
                    raise ValueError(f"{who} has more than {cap} reduced pure strategies; "
                                     "the reduced normal form is too large to enumerate")
    return out


def _moves_below(tree: GameTree, player: int) -> set[str]:
    """Names of the nodes whose subtree contains a decision node of *player*."""
    found: set[str] = set()

    def visit(node: Node) -> bool:
        if isinstance(node, Terminal):
            return False
        hit = isinstance(node, Decision) and node.player == player
        for child in node.children:
            hit = visit(child) or hit
        if hit:
            found.add(node.name)
        return hit

    visit(tree.root)
    return found


def _sort_key(strategy: dict, order: dict[str, tuple[str, ...]]) -> tuple[int, ...]:
    return tuple(actions.index(strategy[h]) if h in strategy else -1 for h, actions in order.items())


def reduced_strategies(tree: GameTree, *, max_strategies: int = 100_000
                       ) -> tuple[tuple[FrozenDict[str, str], ...], ...]:
    """The pure strategies of every player in the reduced normal form.

    A reduced strategy of player *i* is a plan that names an action at exactly
    those of her information sets that are not excluded by her own earlier
    actions in the plan (Kuhn 1953; von Stengel 2007). They are enumerated by
    recursion over the tree: at one of *i*'s nodes the plan picks an action and
    continues only below it; at another player's or a chance node the plans of
    all children are combined (agreeing where an information set of *i* spans
    several branches).

    Parameters
    ----------
    tree : GameTree
    max_strategies : int, default 100000
        Per-player cap; more reduced strategies raise ``ValueError``.

    Returns
    -------
    tuple of N tuples of FrozenDict
        ``result[i]`` lists player *i*'s reduced strategies, each a mapping
        information-set label -> action label over the information sets it
        specifies, keys in pre-order of first appearance. Strategies are sorted
        lexicographically by action index at the information sets in pre-order.
        A player without decision nodes has the single empty strategy.

    Examples
    --------
    Player 1 moves "out" or "in"; after "in", player 2 and then player 1 move.
    Player 1's second move is irrelevant after "out", so she has 3 reduced
    strategies, not 4:

    >>> from gametheory_ukraine.games.tree import Decision, GameTree, Terminal
    >>> t = GameTree(("P1", "P2"), Decision("a", 0, ("out", "in"), (
    ...     Terminal("z0", (0, 0)),
    ...     Decision("b", 1, ("l", "r"), (
    ...         Decision("c", 0, ("x", "y"), (Terminal("z1", (1, 1)), Terminal("z2", (2, 2)))),
    ...         Terminal("z3", (3, 3)))))))
    >>> [dict(s) for s in reduced_strategies(t)[0]]
    [{'a': 'out'}, {'a': 'in', 'c': 'x'}, {'a': 'in', 'c': 'y'}]
    """
    infosets = tree.infosets()
    out = []
    for player in range(tree.n_players):
        below = _moves_below(tree, player)
        who = f"player {tree.players[player]!r}"

        def plans(node: Node, player: int = player, below: set[str] = below, who: str = who) -> list[dict]:
            if isinstance(node, Terminal) or node.name not in below:
                return [{}]
            if isinstance(node, Decision) and node.player == player:
                result: list[dict] = []
                for action, child in zip(node.actions, node.children):
                    for plan in plans(child):
                        if plan.get(node.infoset, action) != action:
                            continue
                        result.append({node.infoset: action, **plan})
                        if len(result) > max_strategies:
                            raise ValueError(f"{who} has more than {max_strategies} reduced pure strategies; "
                                             "the reduced normal form is too large to enumerate")
                return result
            combined: list[dict] = [{}]
            for child in node.children:
                combined = _join(combined, plans(child), max_strategies, who)
            return combined

        order = {h: info.actions for h, info in infosets.items() if info.player == player}
        unique: dict[tuple, dict] = {}
        for plan in plans(tree.root):
            unique.setdefault(_sort_key(plan, order), plan)
        strategies = tuple(FrozenDict((h, unique[k][h]) for h in order if h in unique[k])
                           for k in sorted(unique))
        out.append(strategies)
    return tuple(out)


def pure_strategies(tree: GameTree, *, max_strategies: int = 100_000
                    ) -> tuple[tuple[FrozenDict[str, str], ...], ...]:
    """Every player's (unreduced) pure strategies: one action at every information set.

    Same format and order as :func:`reduced_strategies`.

    Raises
    ------
    ValueError
        If a player has more than *max_strategies* pure strategies.
    """
    infosets = tree.infosets()
    out = []
    for player in range(tree.n_players):
        own = [(h, info.actions) for h, info in infosets.items() if info.player == player]
        count = 1
        for _, actions in own:
            count *= len(actions)
        if count > max_strategies:
            raise ValueError(f"player {tree.players[player]!r} has {count} pure strategies, "
                             f"more than max_strategies={max_strategies}")
        out.append(tuple(FrozenDict(zip([h for h, _ in own], combo))
                         for combo in itertools.product(*(a for _, a in own))))
    return tuple(out)


def strategy_labels(tree: GameTree, strategies: tuple[FrozenDict[str, str], ...],
                    player: int) -> tuple[str, ...]:
    """Readable labels for *player*'s *strategies*.

    A player with one information set gets its action labels; one with several
    gets ``"infoset:action, infoset:action"`` over the information sets each
    strategy specifies; one without moves gets ``"—"``.
    """
    n_own = sum(1 for info in tree.infosets().values() if info.player == player)
    if n_own == 0:
        return tuple(NO_MOVE for _ in strategies)
    if n_own == 1:
        return tuple(next(iter(s.values())) for s in strategies)
    return tuple(", ".join(f"{h}:{a}" for h, a in s.items()) for s in strategies)


# ------------------------------------------------------------------------------- perfect recall
def has_perfect_recall(tree: GameTree) -> bool:
    """True if every player remembers her own earlier information sets and actions.

    Perfect recall (Kuhn 1953): all nodes of an information set have the same
    sequence of the mover's own (information set, action) pairs on their paths
    from the root.

    Examples
    --------
    >>> from gametheory_ukraine.games.tree import Decision, GameTree, Terminal
    >>> forget = GameTree(("P1",), Decision("a", 0, ("l", "r"), (
    ...     Decision("b1", 0, ("x", "y"), (Terminal("z1", (1,)), Terminal("z2", (2,))), infoset="b"),
    ...     Decision("b2", 0, ("x", "y"), (Terminal("z3", (3,)), Terminal("z4", (4,))), infoset="b"))))
    >>> has_perfect_recall(forget)
    False
    """
    seen: dict[str, tuple] = {}
    stack: list[tuple[Node, tuple[tuple, ...]]] = [(tree.root, tuple(() for _ in tree.players))]
    while stack:
        node, history = stack.pop()
        if isinstance(node, Terminal):
            continue
        if isinstance(node, Decision):
            own = history[node.player]
            if seen.setdefault(node.infoset, own) != own:
                return False
            for action, child in zip(node.actions, node.children):
                new = list(history)
                new[node.player] = own + ((node.infoset, action),)
                stack.append((child, tuple(new)))
        else:
            stack.extend((child, history) for child in node.children)
    return True


# --------------------------------------------------------------------------------- normal form
def _is_zero(p: Any) -> bool:
    try:
        return bool(p == 0)
    except TypeError:  # pragma: no cover - exotic sympy relationals
        return False


def _terminal_distribution(root: Node,
                           profile: tuple[FrozenDict[str, str], ...]) -> list[tuple[Terminal, Any]]:
    """(terminal, probability) for every terminal reached with non-zero probability."""
    out: list[tuple[Terminal, Any]] = []
    stack: list[tuple[Node, Any]] = [(root, 1)]
    while stack:
        node, prob = stack.pop()
        if isinstance(node, Terminal):
            out.append((node, prob))
        elif isinstance(node, Decision):
            action = profile[node.player].get(node.infoset)
            if action is None:  # pragma: no cover - reduced strategies cover every reachable set
                raise ValueError(f"the strategy of player {node.player} does not specify information "
                                 f"set {node.infoset!r}, which it reaches")
            stack.append((node.children[node.actions.index(action)], prob))
        else:
            for p, child in reversed(list(zip(node.probabilities, node.children))):
                if not _is_zero(p):
                    stack.append((child, prob * p))
    return out


def _format_probability(p: Any) -> str:
    if isinstance(p, float):
        return f"{p:.6g}"
    return str(p)


def to_normal_form(tree: GameTree, reduced: bool = True, *, max_profiles: int = 1_000_000) -> NormalFormGame:
    """The (reduced) normal form of a game tree.

    Parameters
    ----------
    tree : GameTree
        Numeric (exact or float) or symbolic payoffs and chance probabilities.
    reduced : bool, default True
        Use the reduced strategies of :func:`reduced_strategies`; with False, all
        pure strategies of :func:`pure_strategies`.
    max_profiles : int, default 1000000
        Cap on the number of pure strategy profiles (``ValueError`` beyond).

    Returns
    -------
    NormalFormGame
        ``payoffs[i][profile]`` is player *i*'s expected payoff (chance
        probabilities multiplied): Fractions for an exact tree, floats for a
        float tree, sympy expressions for a symbolic one. Strategy labels follow
        :func:`strategy_labels`. ``outcomes[profile]`` is the outcome label of
        the terminal reached if a single outcome label is reached with
        probability 1, else ``"lottery: <label> (p), <label> (q)"`` over the
        labels reached with non-zero probability, in tree order.

    Examples
    --------
    >>> from fractions import Fraction as F
    >>> from gametheory_ukraine.games.tree import Chance, Decision, GameTree, Terminal
    >>> t = GameTree(("P1",), Decision("a", 0, ("safe", "risky"), (
    ...     Terminal("s", (1,), "status quo"),
    ...     Chance("c", ("win", "lose"), (F(1, 4), F(3, 4)), (
    ...         Terminal("w", (8,), "victory"), Terminal("l", (0,), "defeat"))))))
    >>> g = to_normal_form(t)
    >>> g.actions, [str(v) for v in g.payoffs[0]]
    ((('safe', 'risky'),), ['1', '2'])
    >>> list(g.outcomes)
    ['status quo', 'lottery: victory (1/4), defeat (3/4)']
    """
    strategies = reduced_strategies(tree) if reduced else pure_strategies(tree)
    strategies = tuple(s if s else (FrozenDict(),) for s in strategies)
    shape = tuple(len(s) for s in strategies)
    size = int(np.prod(shape, dtype=object))
    if size > max_profiles:
        raise ValueError(f"the normal form has {size} pure strategy profiles, "
                         f"more than max_profiles={max_profiles}")
    kind = tree.kind
    n = tree.n_players
    pays = [np.empty(shape, dtype=object) for _ in range(n)]
    outcomes = np.empty(shape, dtype=object)
    if kind == "symbolic":
        zero: Any = sympy.Integer(0)
    else:
        zero = 0
    for idx in itertools.product(*(range(k) for k in shape)):
        profile = tuple(strategies[i][k] for i, k in enumerate(idx))
        dist = _terminal_distribution(tree.root, profile)
        for i in range(n):
            total = zero
            for term, p in dist:
                total = total + p * term.payoffs[i]
            pays[i][idx] = total
        by_label: dict[str, Any] = {}
        for term, p in dist:
            label = outcome_label(term)
            by_label[label] = by_label.get(label, zero) + p
        if len(by_label) == 1:
            outcomes[idx] = next(iter(by_label))
        else:
            outcomes[idx] = "lottery: " + ", ".join(f"{lab} ({_format_probability(p)})"
                                                   for lab, p in by_label.items())
    if kind == "float":
        arrays = [np.asarray(p.astype(float), dtype=float) for p in pays]
    elif kind == "exact":
        arrays = []
        for p in pays:
            arr = np.empty(shape, dtype=object)
            for k, v in np.ndenumerate(p):
                arr[k] = to_exact(v)
            arrays.append(arr)
    else:
        arrays = [np.vectorize(sympy.sympify, otypes=[object])(p) for p in pays]
    actions = tuple(strategy_labels(tree, strategies[i], i) for i in range(n))
    return NormalFormGame(tree.players, actions, tuple(arrays), outcomes=outcomes,
                          title=tree.title)
