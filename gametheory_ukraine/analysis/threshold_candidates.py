"""Candidate indifference conditions of a game tree at a threshold (where its closed form comes from).

At a threshold of a game tree some player becomes indifferent between two actions at an information set, given
what the others (and the player later) do in equilibrium. :func:`~gametheory_ukraine.analysis.thresholds.thresholds`
solves the game just below and just above the threshold and asks this module for the payoff differences that
may vanish there, in two passes:

1. :func:`played_candidates`, where the *actions played* change: at every information set whose set of played
   actions (over all equilibria) differs between the two sides, for every pair of those actions and every
   pure equilibrium profile of either side, the mover's continuation value of the one minus that of the other,
   built on the symbolic tree from the node (or the smallest subgame containing the information set) with the
   rest of the profile fixed.
2. :func:`pairing_candidates`, where only the *pairing* changes, or an equilibrium mixes: at every information
   set whose pairing of actions with continuations differs between the sides (the set of pairs (action played
   there, actions played at the information sets of the smallest subgame containing it), one pair per
   equilibrium) and at which two or more actions are played, the same differences for every equilibrium
   profile of either side, mixed ones included. That finds the threshold where a player indifferent among
   several replies keeps all of them, but which of them goes with the first mover's outside option changes (the
   moves played are the same on both sides), and the one where an outside option's value crosses the value of
   a mixed equilibrium of a simultaneous-move subgame.

A mixed profile is made symbolic: with its supports fixed, each mixing information
set's probabilities are unknowns (the last one on the support is one minus the others), and each mover's
indifference among the actions of its support, from the smallest subgame containing the information set,
is one equation (Nash's indifference principle: in an equilibrium every action played with positive
probability earns the same). :func:`sympy.solve` solves the system for the probabilities as rational (or
algebraic) functions of the parameters; the solution that equals the solver's numeric profile at the point
where it was found is kept. The value of the mixed equilibrium is then a function of the parameters, and an
option's value crossing it is a root of their difference, solved exactly. The probabilities themselves are
candidates too (a root where one reaches 0 and the support changes).

References
----------
.. [Nas51] J. Nash, "Non-cooperative games", *Annals of Mathematics* 54(2), 1951, pp. 286-295 (an action
   played with positive probability in an equilibrium is a best reply).
.. [Sel65] R. Selten, "Spieltheoretische Behandlung eines Oligopolmodells mit Nachfrageträgheit",
   *Zeitschrift für die gesamte Staatswissenschaft* 121, 1965 (subgames and subgame perfection).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import sympy as sp

from ..games.tree import Decision, GameTree, Terminal
from ..solvers.results import EquilibriumSet
from ..solvers.subgame_perfect import expected_payoffs, subgame_roots

__all__ = ["played_candidates", "pairing_candidates", "merged_profile", "MAX_MIXED_UNKNOWNS", "MAX_MIXED_OPS",
           "MIX_MATCH", "MAX_NAMED"]

#: Most unknown probabilities (over all mixing information sets of one profile, one fewer than each support's
#: size) for which :func:`pairing_candidates` solves the indifference system: a 2x2 subgame has 2, a 3x3 one 4.
MAX_MIXED_UNKNOWNS = 6
#: Largest indifference system (sympy ``count_ops``, summed over its equations) handed to :func:`sympy.solve`.
MAX_MIXED_OPS = 600
#: A symbolic mixed profile must equal the solver's numeric one within this at the point where it was found.
MIX_MATCH = 1e-6

#: Most information sets of the continuation named in a pairing candidate's description (" given 'F': 'r2'").
MAX_NAMED = 3

#: A candidate: (payoff difference or probability, what it compares, what its being positive means).
Candidate = tuple[Any, str, str]


def merged_profile(eq) -> dict:
    """The behaviour profile of an equilibrium of a tree: information set -> probabilities, all players'."""
    prof: dict = {}
    for s in eq.strategies:
        prof.update(s)
    return prof


def _pure(profile: Mapping[str, tuple]) -> dict | None:
    """A behaviour profile with 0/1 entries as ints, or None if some entry is mixed."""
    out = {}
    for h, probs in profile.items():
        if any(p not in (0, 1) for p in probs):
            return None
        out[h] = tuple(int(p == 1) for p in probs)
    return out


def _support(probs) -> tuple[int, ...] | None:
    return None if probs is None else tuple(k for k, p in enumerate(probs) if p != 0)


def _unit(k: int, n: int) -> tuple[int, ...]:
    return tuple(int(j == k) for j in range(n))


class _Layout:
    """For each information set of a tree: the smallest subgame containing it (its root's name) and the
    information sets of that subgame other than itself (in pre-order)."""

    def __init__(self, tree: GameTree) -> None:
        self.tree = tree
        self.infos = tree.infosets()
        roots = set(subgame_roots(tree))
        parent: dict[str, str] = {}
        inside: dict[str, list[str]] = {}      # subgame root -> the information sets in it, pre-order

        def collect(node) -> list[str]:
            if isinstance(node, Terminal):
                return []
            labels = [node.infoset] if isinstance(node, Decision) else []
            for child in node.children:
                parent[child.name] = node.name
                labels += collect(child)
            if node.name in roots:
                inside[node.name] = labels
            return labels

        collect(tree.root)
        self.start: dict[str, str] = {}
        self.later: dict[str, tuple[str, ...]] = {}
        for label, info in self.infos.items():
            start = info.nodes[0].name      # the node itself, or the smallest subgame containing the infoset
            while start not in roots:
                start = parent[start]
            self.start[label] = start
            self.later[label] = tuple(dict.fromkeys(h for h in inside[start] if h != label))

    def pairings(self, label: str, profiles: Iterable[Mapping[str, tuple]]) -> set:
        """{(support at *label*, ((h, support at h) for h in the subgame containing it))}, one per profile."""
        return {(_support(p.get(label)), tuple((h, _support(p.get(h))) for h in self.later[label]))
                for p in profiles}


def _given(layout: _Layout, label: str, profile: Mapping[str, tuple]) -> str:
    """The text `` given 'F': 'r2'``: what the pure *profile* plays at the other information sets of the subgame
    containing *label*, when there are at most :data:`MAX_NAMED` of them; else ``""``."""
    later = [h for h in layout.later[label] if h in profile]
    if not later or len(later) > MAX_NAMED:
        return ""
    return " given " + ", ".join(f"{h!r}: {layout.infos[h].actions[profile[h].index(1)]!r}" for h in later)


def _differences(layout: _Layout, label: str, support: Sequence[int], profiles: Sequence[tuple[dict, str]],
                 seen: set, name_given: bool = False) -> list[Candidate]:
    """For each pair of *support* actions at *label* and each (profile, how it mixes): the mover's value of the
    first minus that of the second, from the smallest subgame containing *label*; those in *seen* left out.
    *name_given*: a pure profile's continuation is named in the description."""
    tree, info = layout.tree, layout.infos[label]
    name, n = tree.players[info.player], len(info.actions)
    out: list[Candidate] = []
    for k1, k2 in itertools.combinations(support, 2):
        for prof, how in profiles:
            mixing = how or (_given(layout, label, prof) if name_given else "")
            try:
                v1, v2 = (expected_payoffs(tree, {**prof, label: _unit(k, n)}, layout.start[label])[info.player]
                          for k in (k1, k2))
            except ValueError:  # an omitted information set is reached: no candidate from it
                continue
            diff = v1 - v2
            if diff in seen:
                continue
            seen.add(diff)
            out.append((diff, f"{name} at {label!r}: {info.actions[k1]!r} vs {info.actions[k2]!r}{mixing}",
                        f"{name} prefers {info.actions[k1]!r} to {info.actions[k2]!r} at {label!r}{mixing}"))
    return out


def played_candidates(tree: GameTree, below: EquilibriumSet, above: EquilibriumSet) -> list[Candidate]:
    """Payoff differences at the information sets whose played actions change, against pure profiles.

    Parameters
    ----------
    tree : GameTree
        The symbolic tree.
    below, above : EquilibriumSet
        The equilibria just below and just above the threshold.

    Returns
    -------
    list of (sympy expression, str, str)
        Each difference, what it compares (``"Ukraine at 'U': 'accept' vs 'reject'"``) and what its being
        positive means.
    """
    layout = _Layout(tree)
    profiles_b = [merged_profile(eq) for eq in below]
    profiles_a = [merged_profile(eq) for eq in above]
    pure: list[tuple[dict, str]] = []
    for prof in profiles_b + profiles_a:
        p = _pure(prof)
        if p is not None and (p, "") not in pure:
            pure.append((p, ""))
    out: list[Candidate] = []
    seen: set = set()
    for label in layout.infos:
        played_b = {prof.get(label) for prof in profiles_b}
        played_a = {prof.get(label) for prof in profiles_a}
        if played_b != played_a:
            support = sorted({k for probs in played_b | played_a if probs is not None for k in _support(probs)})
            out += _differences(layout, label, support, pure, seen)
    return out


def pairing_candidates(tree: GameTree, below: EquilibriumSet, above: EquilibriumSet,
                       points: tuple[Mapping, Mapping], skip: Iterable = ()) -> list[Candidate]:
    """Payoff differences where the pairing of actions with continuations changes, against every equilibrium
    profile (mixed ones made symbolic, see the module docstring), and each mixed profile's probabilities.

    Parameters
    ----------
    tree : GameTree
        The symbolic tree.
    below, above : EquilibriumSet
        The equilibria just below and just above the threshold.
    points : (mapping, mapping)
        sympy Symbol -> Rational: every parameter's value where *below* and where *above* were solved.
    skip : iterable of sympy expressions
        Candidates already tried (left out).

    Returns
    -------
    list of (sympy expression, str, str)
        As :func:`played_candidates`; a difference against a mixed profile names the mixing information sets.

    Examples
    --------
    Row stays out (worth 1 - p/2) or plays matching pennies whose heads-heads pays Row 1 + p; Col mixes
    (1/(2 + p), (1 + p)/(2 + p)) to keep Row indifferent, so playing is worth (1 + p)/(2 + p) to Row; the
    two values cross at p* = sqrt(3) - 1:

    >>> from gametheory_ukraine.games.tree import Decision, Terminal
    >>> from gametheory_ukraine.solvers.solving import solve
    >>> p = sp.Symbol("p")
    >>> col = (Decision("CH", 1, ("H", "T"), (Terminal("HH", (1 + p, 0)), Terminal("HT", (0, 1))), "C"),
    ...        Decision("CT", 1, ("H", "T"), (Terminal("TH", (0, 1)), Terminal("TT", (1, 0))), "C"))
    >>> tree = GameTree(("Row", "Col"), Decision("E", 0, ("out", "in"), (
    ...     Terminal("stay", (1 - p / 2, 0)), Decision("R", 0, ("H", "T"), col))))
    >>> below, above = (solve(tree.instantiate({"p": x}, exact=True), exact=True) for x in (0, 2))
    >>> cands = pairing_candidates(tree, below, above, ({p: 0}, {p: 2}))
    >>> diff, where, _ = cands[0]
    >>> sp.factor(diff), where
    (-(p**2 + 2*p - 2)/(2*(p + 2)), "Row at 'E': 'out' vs 'in' (mixed play at 'R', 'C')")
    >>> [r for r in sp.solve(diff, p) if r > 0]
    [-1 + sqrt(3)]
    """
    layout = _Layout(tree)
    sides = [[merged_profile(eq) for eq in side] for side in (below, above)]
    seen = set(skip)
    out: list[Candidate] = []
    profiles: list[tuple[dict, str]] = []
    solved: list[dict] = []     # symbolic mixed profiles, reused where one also equals a profile of the other side
    for side, point in zip(sides, points):
        for prof in side:
            pure = _pure(prof)
            if pure is not None:
                entry = (pure, "")
            else:
                sym = next((s for s in solved if _matches(s, prof, point)), None)
                if sym is None:
                    sym = _mixed_profile(layout, prof, point)
                    if sym is None:
                        continue
                    solved.append(sym)
                mixing = [h for h, probs in prof.items() if any(p not in (0, 1) for p in probs)]
                entry = (sym, f" (mixed play at {', '.join(map(repr, mixing))})")
                out += _probabilities(layout, sym, mixing, seen)
            if entry not in profiles:
                profiles.append(entry)
    for label in layout.infos:
        support = sorted({k for side in sides for prof in side if prof.get(label) is not None
                          for k in _support(prof[label])})
        if len(support) > 1 and layout.pairings(label, sides[0]) != layout.pairings(label, sides[1]):
            out = _differences(layout, label, support, profiles, seen, name_given=True) + out
    return out


def _probabilities(layout: _Layout, profile: Mapping[str, tuple], mixing: Sequence[str], seen: set) -> list:
    """Each probability on the support of a mixing information set that depends on the parameters (a root is
    where it reaches 0)."""
    out = []
    for h in mixing:
        info = layout.infos[h]
        for k, prob in enumerate(profile[h]):
            if getattr(prob, "free_symbols", None) and prob not in seen:
                seen.add(prob)
                what = (f"{layout.tree.players[info.player]}'s probability of {info.actions[k]!r} at {h!r} in a "
                        "mixed subgame equilibrium")
                out.append((prob, what, what + " is positive"))
    return out


def _mixed_profile(layout: _Layout, profile: Mapping[str, tuple], point: Mapping) -> dict | None:
    """*profile* with the probabilities of its mixing information sets as functions of the parameters.

    Parameters
    ----------
    layout : _Layout
        The symbolic tree's subgame structure.
    profile : mapping of str -> tuple
        A numeric equilibrium behaviour profile (some entries mixed).
    point : mapping of sympy Symbol -> Rational
        The parameter values where *profile* was found.

    Returns
    -------
    dict or None
        Information set -> probabilities (ints 0/1 where pure, sympy expressions where mixed), or None when
        there are more than :data:`MAX_MIXED_UNKNOWNS` unknowns, the indifference system is larger than
        :data:`MAX_MIXED_OPS`, sympy cannot solve it, or no solution equals *profile* at *point* within
        :data:`MIX_MATCH`.
    """
    sym: dict = {}
    unknowns: list = []
    mixing: list[tuple[str, tuple[int, ...]]] = []
    for h, probs in profile.items():
        support = _support(probs)
        if len(support) == 1:
            sym[h] = _unit(support[0], len(probs))
            continue
        ys = sp.symbols(f"_q{len(mixing)}_0:{len(support) - 1}")
        entry: list = [0] * len(probs)
        for y, k in zip(ys, support):
            entry[k] = y
        entry[support[-1]] = 1 - sum(ys)
        sym[h] = tuple(entry)
        unknowns += ys
        mixing.append((h, support))
    if len(unknowns) > MAX_MIXED_UNKNOWNS:
        return None
    equations = []
    for h, support in mixing:
        info = layout.infos[h]
        values = [expected_payoffs(layout.tree, {**sym, h: _unit(k, len(info.actions))}, layout.start[h])
                  [info.player] for k in support]
        equations += [sp.together(v - values[0]) for v in values[1:]]
    if sum(sp.count_ops(e) for e in equations) > MAX_MIXED_OPS:
        return None
    try:
        solutions = sp.solve(equations, unknowns, dict=True)
    except NotImplementedError:  # sympy has no method for this system: the threshold stays numeric
        return None
    for solution in solutions:
        if any(u not in solution or solution[u].free_symbols & set(unknowns) for u in unknowns):
            continue        # undetermined: a continuum of mixtures, or an information set not reached
        out = {h: tuple(sp.cancel(p.xreplace(solution)) if isinstance(p, sp.Basic) else p for p in probs)
               for h, probs in sym.items()}
        if _matches(out, profile, point):
            return out
    return None


def _matches(symbolic: Mapping[str, tuple], profile: Mapping[str, tuple], point: Mapping) -> bool:
    """Whether *symbolic* at *point* equals the numeric *profile* (the same information sets) within
    :data:`MIX_MATCH`."""
    if symbolic.keys() != profile.keys():
        return False
    for h, probs in symbolic.items():
        for p, q in zip(probs, profile[h]):
            try:
                value = complex(sp.sympify(p).xreplace(point).evalf(30))
            except (TypeError, ValueError, ZeroDivisionError):
                return False
            if not abs(value - float(q)) <= MIX_MATCH:
                return False
    return True
