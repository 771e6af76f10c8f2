"""Immutable results of equilibrium computations."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from .._version import __version__
from ..core.frozen import FrozenDict

__all__ = ["Equilibrium", "EquilibriumSet", "format_number"]


def format_number(value: Any, digits: int = 6) -> str:
    """``2/3`` for exact rationals, ``0.666667`` for floats, sympy's text for algebraic numbers."""
    if isinstance(value, Fraction):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return f"{value:.{digits}g}"
    return str(value)


def _json_number(value: Any, exact: bool):
    if exact:
        return str(value) if isinstance(value, (Fraction, int)) else str(value)
    return float(value)


@dataclass(frozen=True)
class Equilibrium:
    """One equilibrium.

    Attributes
    ----------
    strategies : tuple
        Normal form: one probability vector (tuple, length n_i) per player.
        Trees: one behaviour strategy per player, a :class:`FrozenDict` mapping
        information-set label to a probability tuple over its actions.
    payoffs : tuple
        Expected payoff per player.
    regret : number
        Best-response certificate: the largest gain from a unilateral
        deviation (0 in exact mode; at most the tolerance otherwise). For
        trees, the largest over all subgames.
    outcome : str or None
        The outcome in the analysis's words; for a lottery over outcomes,
        the outcomes with their probabilities.
    outcome_distribution : FrozenDict
        Outcome label -> probability.
    component : int or None
        Two-player games: index of the connected component of extreme
        equilibria this one belongs to (a component with several members is a
        continuum of equilibria).
    """

    strategies: tuple
    payoffs: tuple
    regret: Any
    outcome: str | None = None
    outcome_distribution: FrozenDict = field(default_factory=FrozenDict)
    component: int | None = None


@dataclass(frozen=True)
class EquilibriumSet:
    """The equilibria of a game with how they were computed.

    Attributes
    ----------
    equilibria : tuple of Equilibrium
    method : str
        e.g. ``"vertex-enumeration"``, ``"support-enumeration"``, ``"subgame-perfect"``.
    exact : bool
        Exact rational arithmetic (regret 0) or floats (regret <= tolerance).
    complete : bool
        True when the solver provably returned every equilibrium of its kind
        (every extreme equilibrium for two players; every SPE in pure behaviour
        strategies at ties, etc.; see :attr:`notes`).
    degenerate : bool or None
        Two-player games: whether the game is degenerate. None when not assessed.
    tolerance : float
        0.0 in exact mode.
    players : tuple of str
    actions : tuple
        Normal form: action labels per player. Trees: per player, a FrozenDict
        information set -> action labels.
    form : str
        ``"normal"`` or ``"sequential"``.
    parameters : FrozenDict
        Parameter values the game was instantiated with (empty for plain games).
    notes : tuple of str
    """

    equilibria: tuple[Equilibrium, ...]
    method: str
    exact: bool
    complete: bool
    degenerate: bool | None
    tolerance: float
    players: tuple[str, ...]
    actions: tuple
    form: str = "normal"
    parameters: FrozenDict = field(default_factory=FrozenDict)
    notes: tuple[str, ...] = ()

    def __len__(self) -> int:
        return len(self.equilibria)

    def __iter__(self) -> Iterator[Equilibrium]:
        return iter(self.equilibria)

    def __getitem__(self, index: int) -> Equilibrium:
        return self.equilibria[index]

    @property
    def has_continuum(self) -> bool:
        """True if some component holds more than one extreme equilibrium."""
        comps = [e.component for e in self.equilibria if e.component is not None]
        return len(comps) != len(set(comps))

    # ------------------------------------------------------------- output
    def strategy_dict(self, eq: Equilibrium) -> dict:
        """``{player: {action: p}}`` (normal form) or ``{player: {infoset: {action: p}}}`` (trees)."""
        out: dict = {}
        for i, player in enumerate(self.players):
            if self.form == "normal":
                out[player] = dict(zip(self.actions[i], eq.strategies[i]))
            else:
                labels: Mapping = self.actions[i]
                out[player] = {h: dict(zip(labels[h], probs)) for h, probs in eq.strategies[i].items()}
        return out

    def to_dict(self) -> dict:
        """A JSON-ready dict; exact numbers are strings such as ``"2/3"``, floats are numbers."""
        def num(v):
            return _json_number(v, self.exact)

        eqs = []
        for eq in self.equilibria:
            strat = self.strategy_dict(eq)
            if self.form == "normal":
                strat_json = {p: {a: num(v) for a, v in d.items()} for p, d in strat.items()}
            else:
                strat_json = {p: {h: {a: num(v) for a, v in d.items()} for h, d in hs.items()}
                              for p, hs in strat.items()}
            item = {"strategies": strat_json,
                    "payoffs": {p: num(v) for p, v in zip(self.players, eq.payoffs)},
                    "outcome": eq.outcome,
                    "outcome_distribution": {k: num(v) for k, v in eq.outcome_distribution.items()},
                    "regret": num(eq.regret)}
            if eq.component is not None:
                item["component"] = eq.component
            eqs.append(item)
        return {"equilibria": eqs, "complete": self.complete, "degenerate": self.degenerate,
                "method": self.method, "exact": self.exact, "tolerance": self.tolerance,
                "parameters": {k: num(v) for k, v in self.parameters.items()},
                "notes": list(self.notes), "version": __version__}

    def __repr__(self) -> str:
        kind = "exact" if self.exact else f"float, tol={self.tolerance:g}"
        flags = []
        if not self.complete:
            flags.append("INCOMPLETE")
        if self.degenerate:
            flags.append("degenerate")
        extra = (", " + ", ".join(flags)) if flags else ""
        lines = [f"<EquilibriumSet: {len(self)} equilibria by {self.method} ({kind}{extra})>"]
        for k, eq in enumerate(self.equilibria):
            if self.form == "normal":
                strat = "; ".join(
                    f"{p}: (" + ", ".join(format_number(v) for v in s) + ")"
                    for p, s in zip(self.players, eq.strategies))
            else:
                strat = "; ".join(
                    f"{h}: (" + ", ".join(format_number(v) for v in probs) + ")"
                    for s in eq.strategies for h, probs in s.items())
            pays = ", ".join(format_number(v) for v in eq.payoffs)
            lines.append(f"  [{k}] {strat} -> payoffs ({pays})" + (f" [{eq.outcome}]" if eq.outcome else ""))
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        from ..output.display import equilibria_html

        return equilibria_html(self)

    def _repr_latex_(self) -> str:
        from ..output.display import equilibria_latex

        return equilibria_latex(self)
