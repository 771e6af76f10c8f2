"""Immutable results of equilibrium computations."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Any

import pandas as pd
import sympy

from .._version import __version__
from ..core.frozen import FrozenDict
from ..core.numbers import MAX_SIMPLIFY_OPS, simplest

__all__ = ["Equilibrium", "EquilibriumSet", "table_columns", "format_number", "number_text", "outcome_key",
           "MAX_SIMPLIFY_OPS"]


def table_columns(players: Sequence[str], form: str, actions: Sequence[Any]) -> tuple[list[str], list[str],
                                                                                     list[tuple[int, Any, int]]]:
    """Payoff and probability column names of a result table, and where each probability lives.

    Parameters
    ----------
    players : sequence of str
    form : str
        ``"normal"`` (*actions* holds each player's action labels) or a tree's form (*actions* holds, for each
        player, a mapping of information set to action labels).
    actions : sequence

    Returns
    -------
    pay_cols, prob_cols, where : list, list, list
        ``payoff:P`` for each player; ``prob:P:action`` (normal form) or ``prob:P:information set:action``
        (trees); and for each probability column, (player index, information set or None, action index).

    Examples
    --------
    >>> table_columns(["A", "B"], "normal", [["up", "down"], ["left"]])
    (['payoff:A', 'payoff:B'], ['prob:A:up', 'prob:A:down', 'prob:B:left'], [(0, None, 0), (0, None, 1), (1, None, 0)])
    """
    pay_cols = [f"payoff:{p}" for p in players]
    prob_cols: list[str] = []
    where: list[tuple[int, Any, int]] = []
    for i, player in enumerate(players):
        if form == "normal":
            for a, label in enumerate(actions[i]):
                prob_cols.append(f"prob:{player}:{label}")
                where.append((i, None, a))
        else:
            for h, labels in actions[i].items():
                for a, label in enumerate(labels):
                    prob_cols.append(f"prob:{player}:{h}:{label}")
                    where.append((i, h, a))
    return pay_cols, prob_cols, where


def format_number(value: Any, digits: int = 6) -> str:
    """``2/3`` for exact rationals, ``0.666667`` for floats, sympy's text for algebraic numbers (simplified by
    :func:`~gametheory_ukraine.core.numbers.simplest`: expanded, denominators rationalised, factored when shorter;
    left as they are beyond :data:`MAX_SIMPLIFY_OPS` operations).

    Examples
    --------
    >>> r = sympy.sqrt(2)
    >>> format_number((-2 + 2 * r) * (-1 + r) ** 2 + (2 - r) ** 3), format_number(1 / (1 + r))
    ('6 - 4*sqrt(2)', '-1 + sqrt(2)')
    """
    if isinstance(value, Fraction):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return f"{value:.{digits}g}"
    if isinstance(value, sympy.Basic) and not isinstance(value, sympy.Rational):
        return str(simplest(value))
    return str(value)


def number_text(value: Any, digits: int = 4) -> str:
    """:func:`format_number`, with a decimal beside an exact fraction whose denominator makes it hard to read
    (above 12).

    Examples
    --------
    >>> number_text(Fraction(2, 3)), number_text(Fraction(51059, 495975)), number_text(0.25)
    ('2/3', '51059/495975 (~0.1029)', '0.25')
    >>> number_text(2 - sympy.sqrt(2)), number_text((1 + sympy.sqrt(2)) * (1 - sympy.sqrt(2)))
    ('2 - sqrt(2) (~0.5858)', '-1')
    """
    if isinstance(value, sympy.Basic) and value.is_number and not isinstance(value, sympy.Rational):
        value = simplest(value)
        if not isinstance(value, Fraction):     # else it was a rational all along (an irrational part cancelled)
            return f"{value} (~{float(sympy.N(value, 30)):.{digits}g})"
    text = format_number(value)
    if isinstance(value, Fraction) and value.denominator > 12:
        return f"{text} (~{float(value):.{digits}g})"
    return text


def outcome_key(eq, exact: bool = True, tol: float = 1e-9) -> str:
    """The outcome of *eq* without lottery probabilities.

    A sure outcome is its label; a lottery is named by the outcomes it mixes, sorted
    (``"lottery: exit, play"``), because its displayed label (``"lottery: play (2/3), exit (1/3)"``)
    changes continuously with the parameters. Outcomes of probability at most *tol* are dropped in
    float mode.
    """
    dist = eq.outcome_distribution
    if len(dist) <= 1:
        return eq.outcome or ""
    kept = sorted(k for k, p in dist.items() if exact or abs(float(p)) > tol)
    return kept[0] if len(kept) == 1 else "lottery: " + ", ".join(kept)


def _json_number(value: Any, exact: bool):
    if exact:
        return str(value) if isinstance(value, (Fraction, int)) else str(value)
    return float(value)


def _choice_text(plan: Mapping) -> str:
    """A pure choice by its action's name; a mix as every action played with its probability."""
    played = {a: p for a, p in plan.items() if p != 0}
    if len(played) == 1 and next(iter(played.values())) == 1:
        return next(iter(played))
    return ", ".join(f"{a} {number_text(p)}" for a, p in played.items())


def _numbered(n: int) -> list[str]:
    return [f"action {k}" for k in range(1, n + 1)]


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
    #: Names for printing, set by the :class:`EquilibriumSet` that holds it (not compared, not in the repr):
    #: the players, and their action labels (as :attr:`EquilibriumSet.actions`).
    players: tuple = field(default=(), compare=False, repr=False)
    labels: tuple = field(default=(), compare=False, repr=False)

    def plans(self) -> dict:
        """``{player: {action: p}}`` (normal form) or ``{player: {information set: {action: p}}}`` (trees), by
        name; players and actions are numbered (``player 1``, ``action 1``, ...) when the equilibrium was made alone."""
        out: dict = {}
        for i, strat in enumerate(self.strategies):
            player = self.players[i] if i < len(self.players) else f"player {i + 1}"
            names = self.labels[i] if i < len(self.labels) else None
            if isinstance(strat, Mapping):
                out[player] = {h: dict(zip(names[h] if names else _numbered(len(ps)), ps)) for h, ps in strat.items()}
            else:
                out[player] = dict(zip(names if names else _numbered(len(strat)), strat))
        return out

    def lines(self) -> list[str]:
        """The equilibrium in words, one line per player then its payoffs (what ``str`` joins)."""
        lines = []
        for player, plan in self.plans().items():
            if plan and all(isinstance(v, dict) for v in plan.values()):
                lines.append(f"{player}: " + "; ".join(f"{h}: {_choice_text(d)}" for h, d in plan.items()))
            else:
                lines.append(f"{player}: {_choice_text(plan)}")
        names = [self.players[i] if i < len(self.players) else f"player {i + 1}" for i in range(len(self.payoffs))]
        lines.append("payoffs: " + ", ".join(f"{p} {number_text(v)}" for p, v in zip(names, self.payoffs)))
        return lines

    def __repr__(self) -> str:
        """One line: the outcome and the payoffs."""
        names = [self.players[i] if i < len(self.players) else f"player {i + 1}" for i in range(len(self.payoffs))]
        pays = ", ".join(f"{p} {number_text(v)}" for p, v in zip(names, self.payoffs))
        where = f"{self.outcome}; " if self.outcome else ""
        return f"<Equilibrium: {where}payoffs {pays}>"

    def __str__(self) -> str:
        """The equilibrium with action names: each player's plan (by information set in a tree) and the payoffs,
        then the outcome.

        Examples
        --------
        >>> import gametheory_ukraine as gtu
        >>> print(gtu.solve(gtu.load_model("chain-store").game("sequential"))[0])
        Entrant: entry: enter
        Incumbent: response: acquiesce
        payoffs: Entrant 2, Incumbent 2
        outcome: entry accommodated
        """
        return "\n".join(self.lines() + ([f"outcome: {self.outcome}"] if self.outcome else []))


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

    def __post_init__(self) -> None:
        named = tuple(eq if eq.players else replace(eq, players=tuple(self.players), labels=tuple(self.actions))
                      for eq in self.equilibria)
        object.__setattr__(self, "equilibria", named)

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
        """One line: the type, how many equilibria, the method, exact or float, and flags."""
        kind = "exact" if self.exact else f"float, tol={self.tolerance:g}"
        flags = []
        if not self.complete:
            flags.append("INCOMPLETE")
        if self.degenerate:
            flags.append("degenerate")
        extra = (", " + ", ".join(flags)) if flags else ""
        count = f"{len(self)} equilibri{'um' if len(self) == 1 else 'a'}"
        return f"<EquilibriumSet: {count} by {self.method} ({kind}{extra})>"

    def __str__(self) -> str:
        """Every equilibrium with action names: each player's plan (a pure choice by its action's name, a mix as
        actions with their probabilities; trees by information set), its payoffs and outcome; a decimal beside
        every long fraction."""
        lines = [repr(self)]
        for k, eq in enumerate(self.equilibria):
            lines.append(f"[{k}] " + (eq.outcome or "") + ("" if eq.regret == 0 else
                                                            f" (regret {number_text(eq.regret)})"))
            lines += [f"    {line}" for line in eq.lines()]
        return "\n".join(lines)

    def columns(self) -> tuple[list[str], list[str], list[tuple[int, Any, int]]]:
        """Payoff and probability column names, as sweep tables name them (``payoff:P``; ``prob:P:action`` or, in
        trees, ``prob:P:information set:action``), and where each probability lives: (player, information set or
        None, action index); :func:`table_columns` of this result's players, form and actions."""
        return table_columns(self.players, self.form, self.actions)

    def to_frame(self) -> pd.DataFrame:
        """One row per equilibrium with the sweep table's columns: ``equilibrium``, ``payoff:P``, ``prob:...``,
        ``regret``, ``outcome``, ``outcome_key``, ``complete`` (floats; the exact values stay in the result).
        An information set an equilibrium leaves out (reached with probability 0 by its mover's own moves) is NaN.

        Examples
        --------
        >>> import gametheory_ukraine as gtu
        >>> df = gtu.load_model("chain-store").solve("sequential").to_frame()
        >>> list(df.columns[:4]), df["outcome"].tolist()
        (['equilibrium', 'payoff:Entrant', 'payoff:Incumbent', 'prob:Entrant:entry:stay out'], ['entry accommodated'])
        """
        pay_cols, prob_cols, where = self.columns()
        rows = []
        for k, eq in enumerate(self.equilibria):
            row = {"equilibrium": k, **{c: float(v) for c, v in zip(pay_cols, eq.payoffs)}}
            for c, (i, h, a) in zip(prob_cols, where):
                s = eq.strategies[i]
                row[c] = float(s[a]) if h is None else (float(s[h][a]) if h in s else float("nan"))
            row.update(regret=float(eq.regret), outcome=eq.outcome, outcome_key=outcome_key(eq, self.exact),
                       complete=self.complete)
            rows.append(row)
        return pd.DataFrame(rows, columns=["equilibrium", *pay_cols, *prob_cols, "regret", "outcome", "outcome_key",
                                           "complete"])

    def _repr_html_(self) -> str:
        from ..output.display import equilibria_html

        return equilibria_html(self)

    def _repr_latex_(self) -> str:
        from ..output.display import equilibria_latex

        return equilibria_latex(self)
