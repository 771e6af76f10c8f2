"""N-player normal-form games with symbolic, exact or floating-point payoffs."""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..core.errors import ParameterError
from ..core.numbers import as_exact_array, is_exact_number, short_text
from .values import free_parameters, numeric_value, resolve_exactness, substitutions

__all__ = ["NormalFormGame"]


def _readonly(arr: np.ndarray) -> np.ndarray:
    arr = np.array(arr, copy=True)
    arr.flags.writeable = False
    return arr


@dataclass(frozen=True, eq=False)
class NormalFormGame:
    """A finite N-player game in normal (strategic) form.

    The payoffs are either symbolic (sympy expressions in named parameters),
    exact (:class:`fractions.Fraction`) or floats. Symbolic games are turned into
    numeric ones with :meth:`instantiate`; the solvers work on numeric games.

    Parameters
    ----------
    players : tuple of str, length N
        Player names.
    actions : tuple of tuple of str
        ``actions[i]`` names player *i*'s n_i pure strategies.
    payoffs : tuple of N numpy arrays, each of shape (n_1, ..., n_N)
        ``payoffs[i][a]`` is player *i*'s payoff at pure profile ``a``. dtype
        ``object`` (Fractions or sympy expressions) or ``float64``.
    outcomes : numpy array of str, shape (n_1, ..., n_N), optional
        A label for each pure profile, in the analysis's words.
    title : str
        A human-readable title.

    Notes
    -----
    The constructor stores what it is given (arrays are copied read-only); use
    :meth:`from_arrays` to build a game from plain nested lists.
    """

    players: tuple[str, ...]
    actions: tuple[tuple[str, ...], ...]
    payoffs: tuple[np.ndarray, ...]
    outcomes: np.ndarray | None = None
    title: str = ""
    _kind: str = field(default="", repr=False, compare=False)
    _parameters: tuple | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "players", tuple(self.players))
        object.__setattr__(self, "actions", tuple(tuple(a) for a in self.actions))
        object.__setattr__(self, "payoffs", tuple(_readonly(p) for p in self.payoffs))
        if self.outcomes is not None:
            object.__setattr__(self, "outcomes", _readonly(np.asarray(self.outcomes, dtype=object)))

    # ------------------------------------------------------------------ build
    @classmethod
    def from_arrays(cls, *arrays: Any, players: Sequence[str] | None = None,
                    actions: Sequence[Sequence[str]] | None = None, outcomes: Any = None,
                    title: str = "") -> NormalFormGame:
        """Build a game from one payoff array per player.

        Parameters
        ----------
        *arrays : array_like, each of shape (n_1, ..., n_N)
            Payoffs of players 1..N: ints, Fractions, floats or sympy expressions.
            Ints and Fractions give an exact game; any float makes it a float game.
        players, actions : optional
            Names; default ``"Player 1"``... and actions ``"r1"``, ``"r2"``... for the row player, ``"c1"``,
            ``"c2"``... for the column player, ``"p3_1"``... for a third (names that cannot be read as numbers
            or probabilities when printed).

        Examples
        --------
        >>> g = NormalFormGame.from_arrays([[3, 3], [2, 5], [0, 6]], [[3, 3], [2, 6], [3, 1]])
        >>> g.shape, g.kind
        ((3, 2), 'exact')
        """
        if not arrays:
            raise ValueError("from_arrays needs at least one payoff array")
        raw = [np.asarray(a, dtype=object) for a in arrays]
        shape = raw[0].shape
        if len(shape) != len(raw):
            raise ValueError(f"{len(raw)} payoff arrays need {len(raw)} dimensions each; got shape {shape}")
        if any(r.shape != shape for r in raw):
            raise ValueError(f"payoff arrays differ in shape: {[r.shape for r in raw]}")
        if any(n < 1 for n in shape):
            raise ValueError(f"every player needs at least one action; got shape {shape}")
        values = [v for r in raw for v in r.flat]
        if any(getattr(v, "free_symbols", None) for v in values):
            payoffs = tuple(raw)
        elif all(is_exact_number(v) for v in values):
            payoffs = tuple(as_exact_array(r) for r in raw)
        else:
            payoffs = tuple(np.asarray(r, dtype=float) for r in raw)
        n = len(raw)
        players = tuple(players) if players is not None else tuple(f"Player {i + 1}" for i in range(n))
        prefixes = ["r", "c"] + [f"p{i + 1}_" for i in range(2, n)]
        actions = (tuple(tuple(a) for a in actions) if actions is not None
                   else tuple(tuple(f"{prefixes[i]}{j + 1}" for j in range(k)) for i, k in enumerate(shape)))
        if len(players) != n or len(actions) != n or any(len(a) != k for a, k in zip(actions, shape)):
            raise ValueError("players/actions do not match the payoff arrays' shape")
        return cls(players, actions, payoffs, outcomes=outcomes, title=title)

    # -------------------------------------------------------------- inspect
    @property
    def n_players(self) -> int:
        """Number of players N."""
        return len(self.players)

    @property
    def shape(self) -> tuple[int, ...]:
        """(n_1, ..., n_N): number of pure strategies per player."""
        return tuple(len(a) for a in self.actions)

    @property
    def kind(self) -> str:
        """``"symbolic"``, ``"exact"`` or ``"float"``."""
        if not self._kind:
            if all(p.dtype != object for p in self.payoffs):
                kind = "float"
            elif any(getattr(v, "free_symbols", None) for p in self.payoffs for v in p.flat):
                kind = "symbolic"
            else:
                kind = "exact"
            object.__setattr__(self, "_kind", kind)
        return self._kind

    @property
    def is_exact(self) -> bool:
        return self.kind == "exact"

    @property
    def parameters(self) -> tuple[str, ...]:
        """Names of the free parameters in the payoffs (empty for numeric games)."""
        if self._parameters is None:  # the payoffs are read-only: computed once
            object.__setattr__(self, "_parameters", free_parameters(v for p in self.payoffs for v in p.flat))
        return self._parameters

    def outcome(self, profile: Sequence[int]) -> str | None:
        """The outcome label of pure profile *profile* (action indices), if any."""
        if self.outcomes is None:
            return None
        return self.outcomes[tuple(profile)]

    def profiles(self) -> Iterator[tuple[int, ...]]:
        """Iterate over all pure profiles (tuples of action indices)."""
        return itertools.product(*(range(n) for n in self.shape))

    # ---------------------------------------------------------- transform
    def instantiate(self, values: Mapping[str, Any] | None = None, *, exact: bool | None = None,
                    **kw: Any) -> NormalFormGame:
        """Substitute parameter values and return a numeric game.

        Parameters
        ----------
        values : mapping of str to number
            A value for every free parameter (extra names are ignored).
        exact : bool, optional
            Force exact (Fraction) or float payoffs. By default the game is exact
            iff every value is exact (int, Fraction, or a string like ``"0.05"``).
        """
        vals = dict(values or {}, **kw)
        missing = sorted(set(self.parameters) - set(vals))
        if missing:
            raise ParameterError(f"no value for parameter(s) {', '.join(missing)}",
                                 fix="pass a value for each, e.g. " + ", ".join(f"{m}=..." for m in missing))
        ex = resolve_exactness({k: v for k, v in vals.items() if k in self.parameters}, exact)
        if self.kind != "symbolic" and ex == self.is_exact:
            return self
        subs = substitutions({k: v for k, v in vals.items() if k in self.parameters}, ex)
        new = []
        for i, p in enumerate(self.payoffs):
            out = np.empty(p.shape, dtype=object if ex else float)
            for idx, v in np.ndenumerate(p):
                profile = ", ".join(acts[a] for acts, a in zip(self.actions, idx))
                out[idx] = numeric_value(v, subs, ex, what=f"payoff of {self.players[i]} at ({profile})")
            new.append(out)
        return NormalFormGame(self.players, self.actions, tuple(new), outcomes=self.outcomes, title=self.title)

    def restrict(self, actions: Sequence[Sequence[str | int]], *, title: str | None = None) -> NormalFormGame:
        """The game in which each player may use only some of her actions (symbolic games too).

        Parameters
        ----------
        actions : sequence of N sequences of str or int
            Per player, the actions kept, by label or by index, in the order the new game lists them.
        title : str, optional
            Default: this game's title.

        Returns
        -------
        NormalFormGame
            Payoffs and outcomes of shape ``(len(actions[0]), ..., len(actions[N - 1]))``.

        Raises
        ------
        ParameterError
            A player given no action, an action given twice, or an unknown label or index.

        Examples
        --------
        Prisoner's dilemma, the row player limited to defecting:

        >>> pd = NormalFormGame.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]], actions=[["C", "D"], ["C", "D"]])
        >>> small = pd.restrict([["D"], [0, 1]])
        >>> small.shape, small.actions, [str(v) for v in small.payoffs[1].flat]
        ((1, 2), (('D',), ('C', 'D')), ['0', '1'])
        """
        if len(actions) != self.n_players:
            raise ParameterError(f"{len(actions)} action lists for {self.n_players} players",
                                 fix="give one list of actions per player")
        index: list[list[int]] = []
        for i, keep in enumerate(actions):
            picked = []
            for a in keep:
                if isinstance(a, str) and a in self.actions[i]:
                    picked.append(self.actions[i].index(a))
                elif isinstance(a, (int, np.integer)) and not isinstance(a, bool) and 0 <= a < len(self.actions[i]):
                    picked.append(int(a))
                else:
                    raise ParameterError(f"{self.players[i]} has no action {a!r}",
                                         fix="use one of " + ", ".join(map(repr, self.actions[i])) + " or its index")
            if not picked or len(set(picked)) != len(picked):
                raise ParameterError(f"{self.players[i]} needs at least one action, each listed once",
                                     fix="list each kept action once")
            index.append(picked)
        cut = np.ix_(*index)
        return NormalFormGame(self.players, tuple(tuple(self.actions[i][a] for a in k) for i, k in enumerate(index)),
                              tuple(p[cut] for p in self.payoffs),
                              outcomes=None if self.outcomes is None else self.outcomes[cut],
                              title=self.title if title is None else title)

    def as_exact(self) -> NormalFormGame:
        """The same game with exact payoffs: Fractions, float payoffs read as the decimals they print as
        (:func:`~gametheory_ukraine.core.numbers.to_exact`); an exact game is returned as it is.

        Examples
        --------
        >>> g = NormalFormGame.from_arrays([[0.1, 1.5]], [[2.0, 0.25]]).as_exact()
        >>> g.kind, [str(v) for v in g.payoffs[0].flat]
        ('exact', ['1/10', '3/2'])
        """
        if self.kind == "symbolic":
            raise ParameterError("a symbolic game has no numeric payoffs", fix="call instantiate() first")
        if all(p.dtype == object for p in self.payoffs):
            return self
        return NormalFormGame(self.players, self.actions,
                              tuple(p if p.dtype == object else as_exact_array(p) for p in self.payoffs),
                              outcomes=self.outcomes, title=self.title)

    def as_float(self) -> NormalFormGame:
        """The same game with float payoffs."""
        if self.kind == "symbolic":
            raise ParameterError("a symbolic game has no numeric payoffs", fix="call instantiate() first")
        if self.kind == "float":
            return self
        return NormalFormGame(self.players, self.actions,
                              tuple(np.asarray(p.astype(float), dtype=float) for p in self.payoffs),
                              outcomes=self.outcomes, title=self.title)

    def __repr__(self) -> str:
        dims = "x".join(str(n) for n in self.shape)
        name = f" {self.title!r}" if self.title else ""
        return f"<NormalFormGame{name} {dims} {self.kind} players={list(self.players)}>"

    def __str__(self) -> str:
        """The game as a table: for two players, one row per row action and one column per column action, each
        cell ``row payoff, column payoff``; for more, one line per profile. Long fractions and floats are shown to
        four digits (the exact values stay in :attr:`payoffs`); a game of more than 400 cells prints its repr.

        Examples
        --------
        >>> print(NormalFormGame.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]], actions=[["C", "D"], ["C", "D"]]))
        <NormalFormGame 2x2 exact players=['Player 1', 'Player 2']>
        Player 1 \\ Player 2 | C    | D
        C                    | 3, 3 | 0, 5
        D                    | 5, 0 | 1, 1
        """
        cells = int(np.prod(self.shape))
        if cells > 400:
            return repr(self) + f" ({cells} cells: too many to print)"
        lines = [repr(self)]
        if self.n_players == 2:
            head = [f"{self.players[0]} \\ {self.players[1]}", *self.actions[1]]
            rows = [[a, *(", ".join(short_text(p[i, j]) for p in self.payoffs) for j in range(self.shape[1]))]
                    for i, a in enumerate(self.actions[0])]
            widths = [max(len(r[k]) for r in [head, *rows]) for k in range(len(head))]
            for r in [head, *rows]:
                lines.append(" | ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip())
            return "\n".join(lines)
        for profile in itertools.product(*(range(n) for n in self.shape)):
            names = " / ".join(self.actions[i][k] for i, k in enumerate(profile))
            lines.append(f"{names}: " + ", ".join(short_text(p[profile]) for p in self.payoffs))
        return "\n".join(lines)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, NormalFormGame):
            return NotImplemented
        same_outcomes = (self.outcomes is None and other.outcomes is None) or (
            self.outcomes is not None and other.outcomes is not None
            and np.array_equal(self.outcomes, other.outcomes))
        return (self.players == other.players and self.actions == other.actions and same_outcomes
                and all(np.array_equal(a, b) for a, b in zip(self.payoffs, other.payoffs)))

    __hash__ = None  # type: ignore[assignment]

    # ------------------------------------------------------------- display
    def _repr_html_(self) -> str:
        from ..output.display import game_html

        return game_html(self)

    def _repr_latex_(self) -> str:
        from ..output.display import game_latex

        return game_latex(self)
