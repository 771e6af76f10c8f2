"""Models: parameters with provenance, scenarios, and symbolic game forms."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Literal, overload

from ..core.errors import ParameterError, excerpt
from ..core.frozen import FrozenDict
from ..core.numbers import format_value, to_exact
from ..games.normal_form import NormalFormGame
from ..games.tree import GameTree
from ..solvers import solving

if TYPE_CHECKING:
    from ..solvers.correlated import CorrelatedEquilibrium, CorrelatedPolytope
    from ..solvers.dominance import DominanceResult
    from ..solvers.qre import QRE
    from ..solvers.results import EquilibriumSet

__all__ = ["Parameter", "Scenario", "Model"]


@dataclass(frozen=True)
class Parameter:
    """A named model parameter with its range and provenance.

    Attributes
    ----------
    name : str
        The name used in payoff expressions (e.g. ``"rho"``).
    symbol : str
        How it is typeset (e.g. ``"\\rho"`` or ``"ρ"``).
    default, low, high : Fraction
        Default value and the plausible range [low, high].
    description : str
        What it means, with its unit.
    source : str
        A quote from the analysis (with its cite-as name) or a literature citation.
    unit : str
        Its unit, as the file gives it (e.g. ``"per year"``); empty if none.
    """

    name: str
    symbol: str
    default: Fraction
    low: Fraction
    high: Fraction
    description: str
    source: str
    unit: str = ""

    def check(self, value: Fraction, *, where: str = "") -> None:
        """Raise :class:`ParameterError` if *value* lies outside [low, high]."""
        if not self.low <= value <= self.high:
            raise ParameterError(
                f"{self.name}={format_value(value)} is outside its range "
                f"[{format_value(self.low)}, {format_value(self.high)}]",
                where=where or None,
                fix=f"choose {self.name} between {format_value(self.low)} and {format_value(self.high)}")


@dataclass(frozen=True)
class Scenario:
    """A named set of parameter overrides, with what it represents."""

    name: str
    description: str
    values: FrozenDict


@dataclass(frozen=True, eq=False)
class Model:
    """A game-theoretic model loaded from a model file.

    Hold data and delegate: the symbolic games live in :attr:`forms`;
    :meth:`game` instantiates one, :func:`~gametheory_ukraine.solve` solves it.

    Attributes
    ----------
    name, title, description : str
    players : tuple of str
    parameters : FrozenDict of str -> Parameter
    scenarios : FrozenDict of str -> Scenario
    forms : FrozenDict of str -> NormalFormGame or GameTree (symbolic)
    path : str
        The file it was loaded from.
    sha256 : str
        Hash of the file's bytes (with included calibration files: of its hash and theirs).
    meta : FrozenDict
        What else the file says, kept as it is (``references``, ``findings``, ``notes``, ``form_differences``),
        ``claims`` (see :attr:`claims`) and what its includes and definitions gave it (see :attr:`includes`,
        :attr:`shared_from`, :attr:`overrides`, :attr:`definitions`).
    """

    name: str
    title: str
    description: str
    players: tuple[str, ...]
    parameters: FrozenDict
    scenarios: FrozenDict
    forms: FrozenDict
    path: str = ""
    sha256: str = ""
    meta: FrozenDict = field(default_factory=FrozenDict, repr=False)

    @property
    def form_differences(self) -> str:
        """Why the normal form's Nash outcomes differ from the sequential form's, if the file says so."""
        return str(self.meta.get("form_differences", "") or "")

    @property
    def claims(self) -> FrozenDict:
        """The claims of the analysis this model expresses: claim id -> how (the file's ``claims:`` key).

        The ids are those of the bundled claims table (``claims.yaml``; ``gtu claims`` prints it), e.g.
        ``"S9"``; empty if the file declares none.
        """
        return self.meta.get("claims", FrozenDict())

    @property
    def includes(self) -> tuple[str, ...]:
        """The calibration files the model includes, directly or through another, each after those it includes."""
        return tuple(self.meta.get("includes", ()))

    @property
    def shared_from(self) -> FrozenDict:
        """Parameter name -> the calibration it comes from (``None`` for the model's own)."""
        return self.meta.get("shared_from") or FrozenDict({name: None for name in self.parameters})

    @property
    def overrides(self) -> tuple[FrozenDict, ...]:
        """Each shared parameter or scenario value the model (or a calibration on the way) replaces:
        ``{"parameter" or "scenario": name, "reason": ..., "by": model or calibration name}``."""
        return tuple(self.meta.get("overrides", ()))

    @property
    def definitions(self) -> tuple[FrozenDict, ...]:
        """The named definitions the payoffs could use: ``{"name", "args", "expression", "shared_from"}`` each, the
        included ones first. Already expanded in :attr:`forms`."""
        return tuple(self.meta.get("definitions", ()))

    def __repr__(self) -> str:
        return (f"<Model {self.name!r}: {len(self.players)} players, {len(self.parameters)} parameters, "
                f"forms {list(self.forms)}, scenarios {list(self.scenarios)}>")

    def __str__(self) -> str:
        """The model at a glance: its name and title, its question, players, forms with their sizes, every
        parameter as ``name = default [low, high] unit``, and the scenarios with the values they set.

        Examples
        --------
        >>> import gametheory_ukraine as gtu
        >>> print(gtu.load_model("chain-store"))  # doctest: +ELLIPSIS
        chain-store: Selten's chain store (one round): is the threat to fight credible?
        question: Is a threat to fight an entrant credible once the entrant is in (...)?
        players: Entrant, Incumbent
        forms: normal (2 x 2), sequential (5 nodes)
        parameters:
          o_E = 1 in [0, 10]
          d = 2 in [0, 10]
          m = 5 in [0, 20]
          c_E = 0 in [0, 10]
          c_I = 0 in [0, 10]
        scenarios:
          selten-1978: o_E = 1, d = 2, m = 5, c_E = 0, c_I = 0
          costly-war: c_E = 1, c_I = 1
        """
        lines = [f"{self.name}: {self.title}" if self.title else self.name]
        if self.meta.get("question"):
            lines.append("question: " + " ".join(str(self.meta["question"]).split()))
        lines.append("players: " + ", ".join(self.players))
        forms = []
        for name, game in self.forms.items():
            size = (" x ".join(str(n) for n in game.shape) if hasattr(game, "shape")
                    else f"{sum(1 for _ in game.nodes())} nodes")
            forms.append(f"{name} ({size})")
        lines.append("forms: " + ", ".join(forms))
        lines.append("parameters:")
        for name, p in self.parameters.items():
            text = f"  {name} = {format_value(p.default)}"
            if p.low != p.high:
                text += f" in [{format_value(p.low)}, {format_value(p.high)}]"
            lines.append(text + (f" ({p.unit})" if p.unit else ""))
        if self.scenarios:
            lines.append("scenarios:")
            lines += [f"  {n}: " + (", ".join(f"{k} = {format_value(v)}" for k, v in sc.values.items())
                                    or "the defaults") for n, sc in self.scenarios.items()]
        return "\n".join(lines)

    # --------------------------------------------------------- parameters
    def form_name(self, form: str | None) -> str:
        """The name of *form*, checked against the model's forms; ``None`` means the first (the file's order)."""
        if form is None:
            return next(iter(self.forms))
        if form not in self.forms:
            raise ParameterError(f"model {self.name!r} has no form {form!r}",
                                 where="--form", fix="use one of " + ", ".join(self.forms))
        return form

    def _scenario(self, scenario: str | None) -> Scenario | None:
        if scenario is None:
            return None
        if scenario not in self.scenarios:
            raise ParameterError(f"model {self.name!r} has no scenario {scenario!r}", where="--scenario",
                                 fix="use one of " + (", ".join(self.scenarios) or "(none defined)"))
        return self.scenarios[scenario]

    def values(self, scenario: str | None = None, overrides: Mapping[str, Any] | None = None,
               **kw: Any) -> dict[str, Any]:
        """Full parameter values: defaults, then the scenario's overrides, then *overrides*.

        Values given here are checked against each parameter's [low, high]. Exact
        inputs (ints, Fractions, strings such as ``"0.05"``) stay exact; floats stay
        floats, which makes the instantiated game a float game.

        Raises
        ------
        ParameterError
            Unknown parameter names (with the closest known name) or values out of range.
        """
        vals: dict[str, Any] = {name: p.default for name, p in self.parameters.items()}
        sc = self._scenario(scenario)
        if sc is not None:
            vals.update(sc.values)
        given = dict(overrides or {}, **kw)
        for name, raw in given.items():
            if name not in self.parameters:
                close = difflib.get_close_matches(name[:100], list(self.parameters), n=1)
                hint = f"did you mean {close[0]!r}? " if close else ""
                raise ParameterError(f"model {self.name!r} has no parameter '{excerpt(name)}'",
                                     fix=hint + "known parameters: " + ", ".join(self.parameters))
            try:
                exact_value = to_exact(raw)
            except (ValueError, TypeError) as exc:
                if "too large" in str(exc):
                    p = self.parameters[name]
                    raise ParameterError(f"{name}={exc}", fix=f"choose {name} between {format_value(p.low)} and "
                                                              f"{format_value(p.high)}") from None
                raise ParameterError(f"{name}={excerpt(repr(raw))} is not a number ({exc})",
                                     fix="give a number such as 0.05 or 1/20") from None
            self.parameters[name].check(exact_value)
            vals[name] = raw if isinstance(raw, float) else exact_value
        return vals

    # --------------------------------------------------------------- games
    def symbolic(self, form: str | None = None) -> NormalFormGame | GameTree:
        """The symbolic game of *form* (default: the first form in the file)."""
        return self.forms[self.form_name(form)]

    def game(self, form: str | None = None, scenario: str | None = None, *, exact: bool | None = None,
             **values: Any) -> NormalFormGame | GameTree:
        """The numeric game of *form* under *scenario* with parameter *values* overridden.

        Examples
        --------
        >>> import gametheory_ukraine as gtu
        >>> m = gtu.load_model("chain-store")
        >>> m.game("normal").kind
        'exact'
        """
        vals = self.values(scenario, values)
        return self.symbolic(form).instantiate(vals, exact=exact)

    @overload
    def solve(self, form: str | None = None, scenario: str | None = None, *, exact: bool | None = None,
              method: Literal["logit-qre"], tol: float = 1e-9, max_work: int | None = None,
              lam: float | None = None, objective: Any = None, **values: Any) -> QRE: ...
    @overload
    def solve(self, form: str | None = None, scenario: str | None = None, *, exact: bool | None = None,
              method: Literal["dominance", "weak-dominance"], tol: float = 1e-9, max_work: int | None = None,
              lam: float | None = None, objective: Any = None, **values: Any) -> DominanceResult: ...
    @overload
    def solve(self, form: str | None = None, scenario: str | None = None, *, exact: bool | None = None,
              method: Literal["correlated"], tol: float = 1e-9, max_work: int | None = None,
              lam: float | None = None, objective: Any = None, **values: Any) -> CorrelatedEquilibrium: ...
    @overload
    def solve(self, form: str | None = None, scenario: str | None = None, *, exact: bool | None = None,
              method: Literal["correlated-vertices"], tol: float = 1e-9, max_work: int | None = None,
              lam: float | None = None, objective: Any = None, **values: Any) -> CorrelatedPolytope: ...
    @overload
    def solve(self, form: str | None = None, scenario: str | None = None, *, exact: bool | None = None,
              method: str = "auto", tol: float = 1e-9, max_work: int | None = None,
              lam: float | None = None, objective: Any = None, **values: Any) -> EquilibriumSet: ...

    def solve(self, form: str | None = None, scenario: str | None = None, *, exact: bool | None = None,
              method: str = "auto", tol: float = 1e-9, max_work: int | None = None, lam: float | None = None,
              objective: Any = None, **values: Any,
              ) -> EquilibriumSet | QRE | DominanceResult | CorrelatedEquilibrium | CorrelatedPolytope:
        """Instantiate and solve; see :func:`gametheory_ukraine.solve` (``max_work`` is its work budget, ``lam``
        the precision of ``method="logit-qre"``, ``objective`` what ``method="correlated"`` maximises).

        Thresholds and sweeps build on solving and live in the analysis layer, as functions of a model:
        ``gtu.thresholds(model, param, ...)`` (:func:`gametheory_ukraine.analysis.thresholds.thresholds`) and
        ``gtu.sweep(model, values, ...)`` (:func:`gametheory_ukraine.analysis.sweep.sweep`).
        """
        vals = self.values(scenario, values)
        game = self.symbolic(form).instantiate(vals, exact=exact)
        used = {k: v for k, v in vals.items()}
        return solving.solve(game, exact=exact, method=method, tol=tol, parameters=used, max_work=max_work, lam=lam,
                             objective=objective)

    # ------------------------------------------------------------- display
    def _repr_html_(self) -> str:
        from ..output.display import model_html

        return model_html(self)

    def _repr_latex_(self) -> str:
        from ..output.display import model_latex

        return model_latex(self)
