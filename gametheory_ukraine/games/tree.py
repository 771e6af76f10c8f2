"""Extensive-form games: decision, chance and terminal nodes, information sets."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from sympy import Basic

from ..core.errors import ParameterError, excerpt
from ..core.numbers import short_text
from .values import free_parameters, numeric_value, resolve_exactness, substitutions

__all__ = ["Terminal", "Decision", "Chance", "Node", "GameTree", "InfoSet"]


@dataclass(frozen=True)
class Terminal:
    """An end of play.

    Parameters
    ----------
    name : str
        Node id, unique in the tree.
    payoffs : tuple, length N
        One payoff per player (sympy expression, Fraction or float).
    outcome : str, optional
        The outcome in the analysis's words (e.g. ``"settlement, then relapse"``).
    """

    name: str
    payoffs: tuple
    outcome: str | None = None


@dataclass(frozen=True)
class Decision:
    """A move by a player.

    Parameters
    ----------
    name : str
        Node id, unique in the tree.
    player : int
        Index of the mover in :attr:`GameTree.players`.
    actions : tuple of str
        Action labels, one per child.
    children : tuple of Node
        The node each action leads to.
    infoset : str, optional
        Information-set label; nodes sharing it are indistinguishable to the
        mover and must have the same player and actions. Defaults to *name*.
    """

    name: str
    player: int
    actions: tuple[str, ...]
    children: tuple[Node, ...]
    infoset: str = ""

    def __post_init__(self) -> None:
        if not self.infoset:
            object.__setattr__(self, "infoset", self.name)


@dataclass(frozen=True)
class Chance:
    """A move by nature with the given probabilities (one per child)."""

    name: str
    actions: tuple[str, ...]
    probabilities: tuple
    children: tuple[Node, ...]


Node = Terminal | Decision | Chance


@dataclass(frozen=True)
class InfoSet:
    """An information set: its label, mover, actions and member nodes (in tree order)."""

    name: str
    player: int
    actions: tuple[str, ...]
    nodes: tuple[Decision, ...]


@dataclass(frozen=True, eq=False)
class GameTree:
    """A finite game in extensive form.

    Parameters
    ----------
    players : tuple of str, length N
    root : Node
    title : str

    Notes
    -----
    Payoffs and chance probabilities are symbolic (sympy), exact (Fraction) or
    float, like :class:`~gametheory_ukraine.games.normal_form.NormalFormGame`.
    The constructor stores; :meth:`validate` checks the structure. The tree's (reduced) normal form is
    ``to_normal_form(tree)`` (:func:`gametheory_ukraine.games.reduce.to_normal_form`) and its picture is
    ``draw_tree(tree)`` (:func:`gametheory_ukraine.output.tree_drawing.draw_tree`): functions of the layers that
    build on trees, not methods, so that this module depends on nothing above it.
    """

    players: tuple[str, ...]
    root: Node
    title: str = ""
    _cache: dict = field(default_factory=dict, repr=False, compare=False)

    # ------------------------------------------------------------ traverse
    def nodes(self) -> Iterator[Node]:
        """All nodes in depth-first pre-order (children in action order)."""
        stack = [self.root]
        while stack:
            node = stack.pop()
            yield node
            if not isinstance(node, Terminal):
                stack.extend(reversed(node.children))

    @property
    def n_players(self) -> int:
        return len(self.players)

    def infosets(self) -> dict[str, InfoSet]:
        """Information sets by label, in order of first appearance (pre-order)."""
        if "infosets" not in self._cache:
            groups: dict[str, list[Decision]] = {}
            for node in self.nodes():
                if isinstance(node, Decision):
                    groups.setdefault(node.infoset, []).append(node)
            self._cache["infosets"] = {
                k: InfoSet(k, v[0].player, v[0].actions, tuple(v)) for k, v in groups.items()}
        return self._cache["infosets"]

    def _values(self) -> Iterator[Any]:
        for node in self.nodes():
            if isinstance(node, Terminal):
                yield from node.payoffs
            elif isinstance(node, Chance):
                yield from node.probabilities

    @property
    def parameters(self) -> tuple[str, ...]:
        """Names of the free parameters in payoffs and chance probabilities (computed once: the tree is immutable)."""
        if "parameters" not in self._cache:
            self._cache["parameters"] = free_parameters(self._values())
        return self._cache["parameters"]

    @property
    def kind(self) -> str:
        """``"symbolic"``, ``"exact"`` or ``"float"``."""
        if "kind" not in self._cache:
            vals = list(self._values())
            if any(getattr(v, "free_symbols", None) for v in vals):
                kind = "symbolic"
            elif any(isinstance(v, float) for v in vals):
                kind = "float"
            else:
                kind = "exact"
            self._cache["kind"] = kind
        return self._cache["kind"]

    @property
    def is_exact(self) -> bool:
        return self.kind == "exact"

    @property
    def perfect_information(self) -> bool:
        """True if every information set is a single node."""
        return all(len(s.nodes) == 1 for s in self.infosets().values())

    # ------------------------------------------------------------ validate
    def validate(self) -> None:
        """Check that this is a well-formed tree.

        Node names are unique, every node is reached once (no shared subtrees),
        decision nodes have at least one action and valid players, terminal
        payoffs have one entry per player, nodes of one information set share
        player and actions, and no information set contains two nodes on one
        path. Numeric chance probabilities must be in [0, 1] and sum to 1.

        Raises
        ------
        ValueError
            With the offending node named.
        """
        seen_names: set[str] = set()
        seen_ids: set[int] = set()
        n = len(self.players)
        path_sets: dict[str, set[str]] = {}

        def visit(node: Node, ancestors: frozenset[str]) -> None:
            if id(node) in seen_ids:
                raise ValueError(f"node {node.name!r} is reached twice: this is not a tree")
            seen_ids.add(id(node))
            if node.name in seen_names:
                raise ValueError(f"node name {node.name!r} is used twice")
            seen_names.add(node.name)
            if isinstance(node, Terminal):
                if len(node.payoffs) != n:
                    raise ValueError(f"terminal {node.name!r} has {len(node.payoffs)} payoffs for {n} players")
                return
            if len(node.actions) < 1 or len(node.actions) != len(node.children):
                raise ValueError(f"node {node.name!r} needs one child per action")
            if len(set(node.actions)) != len(node.actions):
                raise ValueError(f"node {node.name!r} repeats an action label")
            if isinstance(node, Decision):
                if not 0 <= node.player < n:
                    raise ValueError(f"node {node.name!r} has no valid player")
                if node.infoset in ancestors:
                    raise ValueError(f"information set {node.infoset!r} occurs twice on one path "
                                     f"(at {node.name!r}): the mover would forget its own move")
                below = ancestors | {node.infoset}
            else:
                if len(node.probabilities) != len(node.children):
                    raise ValueError(f"chance node {node.name!r} needs one probability per child")
                numeric = [p for p in node.probabilities if not getattr(p, "free_symbols", None)]
                for p in numeric:
                    if isinstance(p, Basic) and not (p.is_real and p.is_finite):
                        raise ValueError(f"chance node {node.name!r} has probability {excerpt(p)}, "
                                         "which is not a real number")
                    slack = 1e-9 if isinstance(p, float) else 0  # float rounding, as the sum's tolerance
                    if not -slack <= p <= 1 + slack:
                        raise ValueError(f"chance node {node.name!r} has probability {excerpt(p)} outside [0, 1]")
                if len(numeric) == len(node.probabilities):
                    total = sum(numeric)
                    if abs(float(total) - 1.0) > 1e-9:
                        raise ValueError(f"chance node {node.name!r}: probabilities sum to {excerpt(total)}, not 1")
                below = ancestors
            path_sets.setdefault(node.name, set())
            for child in node.children:
                visit(child, below)

        visit(self.root, frozenset())
        for label, info in self.infosets().items():
            first = info.nodes[0]
            for node in info.nodes[1:]:
                if node.player != first.player or node.actions != first.actions:
                    raise ValueError(f"information set {label!r}: nodes {first.name!r} and {node.name!r} "
                                     "must have the same player and the same actions")

    # ---------------------------------------------------------- transform
    def instantiate(self, values: Mapping[str, Any] | None = None, *, exact: bool | None = None,
                    **kw: Any) -> GameTree:
        """Substitute parameter values; return a tree with numeric payoffs and probabilities.

        Exactness follows :meth:`NormalFormGame.instantiate`. Chance probabilities
        must come out in [0, 1] and sum to 1, else :class:`ParameterError`.
        """
        vals = dict(values or {}, **kw)
        params = self.parameters
        missing = sorted(set(params) - set(vals))
        if missing:
            raise ParameterError(f"no value for parameter(s) {', '.join(missing)}",
                                 fix="pass a value for each, e.g. " + ", ".join(f"{m}=..." for m in missing))
        used = {k: v for k, v in vals.items() if k in params}
        ex = resolve_exactness(used, exact)
        if self.kind != "symbolic" and ex == self.is_exact:
            return self
        subs = substitutions(used, ex)

        def conv(node: Node) -> Node:
            if isinstance(node, Terminal):
                pays = tuple(numeric_value(v, subs, ex, what=f"payoff of {self.players[i]} at {node.name!r}")
                             for i, v in enumerate(node.payoffs))
                return Terminal(node.name, pays, node.outcome)
            kids = tuple(conv(c) for c in node.children)
            if isinstance(node, Decision):
                return Decision(node.name, node.player, node.actions, kids, node.infoset)
            probs = tuple(numeric_value(p, subs, ex, what=f"probability at chance node {node.name!r}")
                          for p in node.probabilities)
            tol = 0 if ex else 1e-9
            if any(p < -tol or p > 1 + tol for p in probs) or abs(float(sum(probs)) - 1) > (1e-12 if ex else 1e-9):
                raise ParameterError(
                    f"chance node {node.name!r} gets probabilities {[str(p) for p in probs]} at these values",
                    fix="choose parameter values that make each probability lie in [0, 1]")
            return Chance(node.name, node.actions, probs, kids)

        return GameTree(self.players, conv(self.root), self.title)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, GameTree):
            return NotImplemented
        return (self.players, self.title, self.root) == (other.players, other.title, other.root)

    __hash__ = None  # type: ignore[assignment]

    def __reduce__(self):
        # the cache may hold compiled (lambdified) functions, which do not pickle; it is rebuilt on demand
        return (GameTree, (self.players, self.root, self.title))

    def __repr__(self) -> str:
        n_nodes = sum(1 for _ in self.nodes())
        name = f" {self.title!r}" if self.title else ""
        return f"<GameTree{name} {n_nodes} nodes {self.kind} players={list(self.players)}>"

    def __str__(self) -> str:
        """The tree as an indented outline: each move's mover (or chance) and information set, each action, and at
        the leaves the payoffs (long fractions and floats to four digits) and the outcome; a tree of more than 300
        nodes prints its repr.

        Examples
        --------
        >>> import gametheory_ukraine as gtu
        >>> print(str(gtu.load_model("chain-store").game("sequential")).split("\\n", 1)[1])  # after the repr line
        Entrant (entry)
          stay out: 1, 5  entry deterred
          enter: Incumbent (response)
            fight: 0, 0  entry fought
            acquiesce: 2, 2  entry accommodated
        """
        n_nodes = sum(1 for _ in self.nodes())
        if n_nodes > 300:
            return repr(self) + f" ({n_nodes} nodes: too many to print)"
        lines = [repr(self)]

        def node_text(node: Node) -> str:
            if isinstance(node, Terminal):
                return ", ".join(short_text(v) for v in node.payoffs) + (f"  {node.outcome}" if node.outcome else "")
            if isinstance(node, Chance):
                return "chance"
            return f"{self.players[node.player]} ({node.infoset})"

        def walk(node: Node, depth: int) -> None:
            if isinstance(node, Terminal):
                return
            probs = node.probabilities if isinstance(node, Chance) else (None,) * len(node.actions)
            for action, prob, child in zip(node.actions, probs, node.children):
                label = action if prob is None else f"{action} ({short_text(prob)})"
                lines.append("  " * depth + f"{label}: {node_text(child)}")
                walk(child, depth + 1)

        lines.append(node_text(self.root))
        walk(self.root, 1)
        return "\n".join(lines)

    # ------------------------------------------------------------- display
    def _repr_html_(self) -> str:
        from ..output.display import tree_html

        return tree_html(self)

    def _repr_latex_(self) -> str:
        from ..output.display import tree_latex

        return tree_latex(self)
