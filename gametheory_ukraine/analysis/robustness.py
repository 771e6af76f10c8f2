"""Robustness of a model's conclusions: how much of the plausible parameter box gives each equilibrium outcome,
and which parameters decide it.

The *box* is every parameter of the form that a scenario does not fix, uniform over its plausible range
[low, high] (the model file's ranges); the scenario's values (or the defaults, without one) are held for the
others. :func:`robustness` answers two questions:

**Shares.** A Monte Carlo sample of ``samples`` independent uniform points of the box
(:func:`~gametheory_ukraine.analysis.sweep.sweep` with the ``mc`` design, on the batched engines) is solved and
each point's outcome recorded; the share of each outcome is its fraction of the points, with a Wilson score
interval (Wilson 1927) at the 95 % level: for *k* of *n* points and z = 1.95996,
``(k + z²/2 ± z √(k(n-k)/n + z²/4)) / (n + z²)``. It never leaves [0, 1] and keeps close to its nominal coverage
for shares near 0 or 1, where the normal approximation does not.

**Drivers.** Sobol' indices (Sobol' 2001) of each outcome's indicator (1 where the point's outcome is that
outcome, else 0) over the same box: S1, the share of the indicator's variance that one parameter explains alone,
and ST, the share it takes part in, interactions included. A parameter with ST near 0 does not decide the
outcome anywhere in the box. The design is Saltelli's (2002) extension of a scrambled Sobol' sequence with base
size N (N (D + 2) points for D parameters; by default the largest power of two not above ``samples``), solved on
the same engines; the estimators are SALib's, through
:func:`~gametheory_ukraine.analysis.sensitivity.sobol_indices`. With two outcomes the indicators are complements
and their indices are equal.

**The outcome of a point** is the sorted set of distinct outcomes of its equilibria
(:func:`~gametheory_ukraine.solvers.signature.outcome_set`: each equilibrium's ``outcome_key``, the sweep table's
column of that name), joined by ``" | "``: for a perfect-information tree the subgame-perfect outcome (outcomes
of several SPE at a tie), for a normal form the set of its Nash outcomes (a mixed equilibrium counts as
``"lottery: a, b"``, the outcomes it mixes); ``"no equilibrium"`` where none is found. Ties between equilibria
have measure zero in the box, so almost every point of a tree has one outcome.

Everything is reproducible: the sample and the Sobol' design come from ``seed`` alone (no global random state).
The work is estimated and refused past a budget before anything but one probe point is solved.

References
----------
- E. B. Wilson (1927), "Probable inference, the law of succession, and statistical inference", *Journal of the
  American Statistical Association* 22(158), pp. 209-212.
- I. M. Sobol' (2001), "Global sensitivity indices for nonlinear mathematical models and their Monte
  Carlo estimates", *Mathematics and Computers in Simulation* 55, pp. 271-280.
- A. Saltelli (2002), "Making best use of model evaluations to compute sensitivity indices",
  *Computer Physics Communications* 145(2), pp. 280-297.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from statistics import NormalDist
from typing import Any

import numpy as np
import pandas as pd

from .._version import __version__
from ..core.errors import ParameterError
from ..modelling.model import Model
from ..modelling.registry import load_model
from .designs import check_count
from .sensitivity import sobol_indices
from .sweep import sweep
from .sweep_chunks import solve_columns
from .sweep_plan import check_sweep_work, choose_engine, plan_sweep

__all__ = ["robustness", "Robustness", "OutcomeShare", "Driver", "wilson_interval", "point_outcomes",
           "box_parameters", "DEFAULT_SAMPLES", "MAX_ROBUSTNESS_POINTS", "CONFIDENCE", "NO_EQUILIBRIUM",
           "SEPARATOR"]

#: Default Monte Carlo sample (``gtu robustness --samples``): a share's 95 % interval is then at most
#: +-1.6 percentage points wide.
DEFAULT_SAMPLES = 4096
#: Default budget of points solved, the Monte Carlo sample plus the Sobol' design (``--max-points``,
#: ``max_points=``): both are held in memory as sweep tables (about 0.5 kB a point for the framework models).
MAX_ROBUSTNESS_POINTS = 2_000_000
#: The confidence level of the shares' intervals.
CONFIDENCE = 0.95
#: The outcome of a point where no equilibrium is found.
NO_EQUILIBRIUM = "no equilibrium"
#: Joins the outcomes of a point with several equilibria of different outcomes.
SEPARATOR = " | "


@dataclass(frozen=True)
class OutcomeShare:
    """One outcome's share of the box: ``count`` of the ``n`` sampled points, and its Wilson interval."""

    outcome: str
    count: int
    n: int
    share: float
    ci_low: float
    ci_high: float


@dataclass(frozen=True)
class Driver:
    """Sobol' indices of one parameter for the indicator of one outcome."""

    outcome: str
    parameter: str
    S1: float
    ST: float


@dataclass(frozen=True, eq=False)
class Robustness:
    """The result of :func:`robustness`.

    Attributes
    ----------
    model, form : str
    scenario : str or None
    samples, seed : int
        The Monte Carlo sample's size and the seed of the sample and the Sobol' design.
    parameters : tuple of str
        The varied parameters (the box), in the model's order.
    held : dict
        The other parameters of the form and their values (exact, as text).
    baseline : str
        The outcome at the point itself (the scenario's values, or the defaults).
    outcomes : tuple of OutcomeShare
        By share, largest first (ties by name).
    drivers : tuple of Driver
        For each outcome (in the order of :attr:`outcomes`), every varied parameter by ST, largest first.
    sobol_n : int
        The Sobol' design's base size N; ``sobol_points`` = N (D + 2) points were solved for it.
    sobol_points : int
    engine : str
        The engine that solved the points (``"tree"``, ``"bimatrix"`` or ``"scalar"``).
    points : pandas.DataFrame
        The Monte Carlo sample: one row per point, the varied parameters' values and the point's ``outcome``.
    """

    model: str
    form: str
    scenario: str | None
    samples: int
    seed: int
    parameters: tuple
    held: dict
    baseline: str
    outcomes: tuple
    drivers: tuple
    sobol_n: int
    sobol_points: int
    engine: str
    points: pd.DataFrame

    def share(self, outcome: str) -> float:
        """The share of *outcome* (0.0 if no sampled point has it)."""
        return next((o.share for o in self.outcomes if o.outcome == outcome), 0.0)

    def to_dict(self) -> dict:
        """The JSON document: ``model``, ``form``, ``scenario``, ``samples``, ``seed``, ``outcomes`` (a list of
        ``{"outcome", "share", "ci_low", "ci_high"}``) and ``drivers`` (a list of ``{"outcome", "parameter",
        "S1", "ST"}``: each driver row names the outcome whose indicator it explains)."""
        return {"model": self.model, "form": self.form, "scenario": self.scenario, "samples": self.samples,
                "seed": self.seed,
                "outcomes": [{"outcome": o.outcome, "share": o.share, "ci_low": o.ci_low, "ci_high": o.ci_high}
                             for o in self.outcomes],
                "drivers": [{"outcome": d.outcome, "parameter": d.parameter, "S1": d.S1, "ST": d.ST}
                            for d in self.drivers]}

    @property
    def notes(self) -> tuple[str, ...]:
        """What the numbers need to be read right."""
        held = ", ".join(f"{k}={v}" for k, v in self.held.items()) or "none"
        return (f"box: {', '.join(self.parameters)} uniform on their [low, high]; held: {held}",
                f"outcome at the point itself: {self.baseline}",
                f"shares: {self.samples:,} Monte Carlo points, 95% Wilson intervals; a point's outcome is the set "
                "of its equilibria's outcomes",
                f"drivers: Sobol' indices of each outcome's indicator, Saltelli design N={self.sobol_n:,} "
                f"({self.sobol_points:,} points), engine {self.engine}, package version {__version__}")


# ------------------------------------------------------------------------------------------ statistics
def wilson_interval(count: int, n: int, confidence: float = CONFIDENCE) -> tuple[float, float]:
    """The Wilson score interval (Wilson 1927) of a binomial share *count* / *n* at the *confidence* level.

    Examples
    --------
    5 of 10 at 95 % (z = 1.96): centre (0.5 + z²/20) / (1 + z²/10) = 0.5, half-width
    z √(0.025 + z²/400) / (1 + z²/10) = 0.2634:

    >>> [round(v, 4) for v in wilson_interval(5, 10)]
    [0.2366, 0.7634]
    """
    if n < 1 or not 0 <= count <= n:
        raise ParameterError(f"a share of {count} in {n} points is not a share", fix="give 0 <= count <= n, n >= 1")
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    p = count / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    low, high = max(0.0, centre - half), min(1.0, centre + half)
    if count == 0:
        low = 0.0
    if count == n:
        high = 1.0
    return low, high


# ------------------------------------------------------------------------------------------ outcomes
def point_outcomes(table: pd.DataFrame) -> pd.Series:
    """The outcome of every point of a sweep table: the sorted distinct ``outcome_key`` of its equilibria joined
    by :data:`SEPARATOR` (:data:`NO_EQUILIBRIUM` where none was found), indexed by ``point_id``.

    Examples
    --------
    >>> df = pd.DataFrame({"point_id": [0, 1, 1, 2], "n_equilibria": [1, 2, 2, 0],
    ...                    "outcome_key": ["war", "deal", "war", None]})
    >>> point_outcomes(df).tolist()
    ['war', 'deal | war', 'no equilibrium']
    """
    keys = table["outcome_key"].astype(object)
    keys = keys.where(keys.notna() & (table["n_equilibria"] > 0), NO_EQUILIBRIUM)
    single = table["n_equilibria"].to_numpy() <= 1
    out = pd.Series(keys[single].to_numpy(), index=table["point_id"][single].to_numpy(), dtype=object)
    if not single.all():
        multi = pd.DataFrame({"point_id": table["point_id"][~single].to_numpy(), "key": keys[~single].to_numpy()})
        joined = multi.groupby("point_id", sort=True)["key"].agg(lambda s: SEPARATOR.join(sorted(set(s))))
        out = pd.concat([out, joined.astype(object)])
    return out.sort_index()


# ------------------------------------------------------------------------------------------ the box
def box_parameters(model, form: str, scenario: str | None) -> tuple[list[str], dict[str, Any]]:
    """The parameters of the box, in the model's order: those the form's payoffs use, not fixed by *scenario*,
    whose range is not one value; and the values held for the form's other parameters.

    Examples
    --------
    >>> import gametheory_ukraine as gtu
    >>> varied, held = box_parameters(gtu.load_model("chain-store"), "sequential", "costly-war")
    >>> varied, held
    (['o_E', 'd', 'm'], {'c_E': Fraction(1, 1), 'c_I': Fraction(1, 1)})
    """
    game = model.symbolic(form)
    used = set(game.parameters)
    fixed = set(model.scenarios[scenario].values) if scenario is not None else set()
    point = model.values(scenario)
    varied, held = [], {}
    for name, p in model.parameters.items():
        if name not in used:
            continue
        if name in fixed or p.low == p.high:
            held[name] = point[name]
        else:
            varied.append(name)
    return varied, held


def _sample_columns(X: np.ndarray, pars: list) -> dict[str, np.ndarray]:
    """Columns of a design inside each parameter's [low, high] (a scaled float may overshoot by an ulp)."""
    return {p.name: np.clip(X[:, j], float(p.low), float(p.high)) for j, p in enumerate(pars)}


# ------------------------------------------------------------------------------------------ the analysis
def robustness(model: Model | str, *, form: str | None = None, scenario: str | None = None,
               samples: int = DEFAULT_SAMPLES, seed: int = 0, sobol_samples: int | None = None,
               max_points: int | None = None, max_work: int | None = None) -> Robustness:
    """The share of the plausible parameter box in which each outcome is the equilibrium outcome, with 95 %
    Wilson intervals, and the Sobol' indices of each outcome's indicator (see the module docstring).

    Parameters
    ----------
    model : Model or str
        A loaded model, or a model name / path.
    form : str, optional
        Default: the model's first form.
    scenario : str, optional
        Its values are held; the other parameters of the form vary over [low, high]. Default: none (every
        parameter varies).
    samples : int
        Points of the Monte Carlo sample (>= 2).
    seed : int
        Seed of the sample and the design, 0 to 2**32-1. Same seed, same result.
    sobol_samples : int, optional
        The Sobol' design's base size N, a power of two (N (D + 2) points are solved for D parameters). Default:
        the largest power of two not above *samples*.
    max_points : int, optional
        Budget of the points solved, ``samples`` + N (D + 2) (default :data:`MAX_ROBUSTNESS_POINTS`).
    max_work : int, optional
        Budget of points x the game's size (x 1000 on the scalar engine), as for sweeps
        (:func:`~gametheory_ukraine.analysis.sweep_plan.check_sweep_work`).

    Returns
    -------
    Robustness

    Raises
    ------
    ParameterError
        Unknown form or scenario, a bad sample size or seed, a box with no parameter to vary, work or points past
        their budgets (all before the sample is solved).

    Examples
    --------
    In the chain-store's tree the incumbent always accommodates entry (d >= 0 >= -c_I), so the entrant enters
    exactly where d > o_E: for two independent uniforms on the same range a share of 1/2. Its indicator
    1{d > o_E} has variance 1/4 and E[1{d > o_E} | d] is uniform with variance 1/12, so S1 = 1/3 for each of d
    and o_E, ST = 1 - 1/3 = 2/3, and 0 for the three parameters that decide nothing:

    >>> import gametheory_ukraine as gtu
    >>> res = robustness(gtu.load_model("chain-store"), form="sequential", samples=4096, seed=1)
    >>> sorted((o.outcome, round(o.share, 1)) for o in res.outcomes)
    [('entry accommodated', 0.5), ('entry deterred', 0.5)]
    >>> sorted((d.parameter, round(d.S1, 1), round(d.ST, 1)) for d in res.drivers[:5])
    [('c_E', 0.0, 0.0), ('c_I', 0.0, 0.0), ('d', 0.3, 0.7), ('m', 0.0, 0.0), ('o_E', 0.3, 0.7)]
    """
    if isinstance(model, str):
        model = load_model(model)
    form = model.form_name(form)
    model.values(scenario)  # checks the scenario
    if isinstance(samples, bool) or not isinstance(samples, (int, np.integer)) or samples < 2:
        raise ParameterError(f"--samples {samples!r} is not a whole number >= 2", where="--samples",
                             fix="give a sample size such as --samples 4096")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= seed < 2**32:
        raise ParameterError(f"seed {seed!r} is not a whole number from 0 to 2**32-1", where="--seed",
                             fix="give a seed such as --seed 0 (the default) or --seed 1")
    samples, seed = int(samples), int(seed)
    varied, held = box_parameters(model, form, scenario)
    if not varied:
        raise ParameterError(f"no parameter of {model.name}'s {form} form varies"
                             + (f" under the scenario {scenario!r}" if scenario else ""), where="--scenario",
                             fix="choose a scenario that fixes fewer parameters, or none")
    pars = [model.parameters[name] for name in varied]
    if sobol_samples is None:
        sobol_n = 1 << (samples.bit_length() - 1)
    elif (isinstance(sobol_samples, bool) or not isinstance(sobol_samples, (int, np.integer)) or sobol_samples < 2
          or int(sobol_samples) & (int(sobol_samples) - 1)):
        raise ParameterError(f"--sobol-samples {sobol_samples!r} is not a power of two >= 2",
                             where="--sobol-samples", fix="use a power of two, e.g. --sobol-samples 1024")
    else:
        sobol_n = int(sobol_samples)
    sobol_points = sobol_n * (len(varied) + 2)
    total = samples + sobol_points
    cap = MAX_ROBUSTNESS_POINTS if max_points is None else check_count(max_points, "max_points",
                                                                          option="--max-points")
    if total > cap:
        raise ParameterError(f"the robustness analysis solves {samples:,} sampled points and a Sobol' design of "
                             f"{sobol_n:,} x ({len(varied)} + 2) = {sobol_points:,}: {total:,} points, more than the "
                             f"budget of {cap:,}", where="--max-points",
                             fix=f"use a smaller --samples, or raise the budget with --max-points {total} "
                                 "(max_points=)")
    engine = choose_engine(model, form, False, "auto")
    check_sweep_work(model, form, engine, total, max_work=max_work, what="the robustness analysis's",
                     points_option="--samples")
    ranges = {p.name: (p.low, p.high) for p in pars}
    budget = dict(max_points=max(total, 1), max_work=None if max_work is None else max(int(max_work), 1))

    # the shares: an independent uniform sample of the box, on the sweep machinery
    table = sweep(model, ranges, form=form, scenario=scenario, method="mc", samples=samples, seed=seed,
                  progress=False, **budget)
    outcome_of = point_outcomes(table)
    first = table.drop_duplicates("point_id").set_index("point_id")
    points = first.loc[outcome_of.index, varied].reset_index(drop=True)
    points["outcome"] = outcome_of.to_numpy()
    counts = points["outcome"].value_counts()
    order = sorted(counts.index, key=lambda o: (-int(counts[o]), o))
    outcomes = tuple(OutcomeShare(o, int(counts[o]), samples, int(counts[o]) / samples,
                                  *wilson_interval(int(counts[o]), samples)) for o in order)

    # the outcome at the point itself, on the engine that solves the design
    plan = plan_sweep(model, ranges, form=form, scenario=scenario, method="mc", samples=sobol_points, seed=seed,
                      **budget)
    base_cols = {name: np.array([float(model.values(scenario)[name])]) for name in varied}
    baseline = str(point_outcomes(solve_columns(plan, base_cols)).iloc[0])

    # the drivers: Saltelli's design over the same box, each chunk solved on the plan's engine
    design_outcomes: list[np.ndarray] = []

    def solve_design(X: np.ndarray) -> np.ndarray:
        for lo in range(0, len(X), plan.chunk_size):
            cols = _sample_columns(X[lo:lo + plan.chunk_size], pars)
            design_outcomes.append(point_outcomes(solve_columns(plan, cols)).to_numpy())
        return np.zeros(len(X))  # the indices are computed below, once per outcome, from the same outcomes

    problem = {"names": varied, "bounds": [[float(p.low), float(p.high)] for p in pars]}
    with warnings.catch_warnings():
        # a rare outcome's indicator is constant on some of the design's blocks, which SALib warns about; its
        # indices are still the estimates (near 0 where the outcome never appears)
        warnings.filterwarnings("ignore", message="Constant values encountered", category=UserWarning)
        drivers = _drivers(solve_design, problem, sobol_n, seed, order, varied, design_outcomes)
    return Robustness(model=model.name, form=form, scenario=scenario, samples=samples, seed=seed,
                      parameters=tuple(varied), held={k: str(v) for k, v in held.items()}, baseline=baseline,
                      outcomes=outcomes, drivers=tuple(drivers), sobol_n=sobol_n, sobol_points=sobol_points,
                      engine=plan.engine, points=points)


def _drivers(solve_design, problem: dict, sobol_n: int, seed: int, order: list, varied: list,
             design_outcomes: list) -> list[Driver]:
    """Solve Saltelli's design once (through *solve_design*, which fills *design_outcomes*), then the Sobol'
    indices of each outcome's indicator, the parameters of each by ST, largest first."""
    sobol_indices(solve_design, problem, n=sobol_n, seed=seed)
    at = np.concatenate(design_outcomes)
    drivers: list[Driver] = []
    for o in order:
        # the same seed gives the same design, so the indicator lines up with the rows solved above
        indicator = (at == o).astype(float)
        df = sobol_indices(lambda X, y=indicator: y, problem, n=sobol_n, seed=seed)
        ranked = sorted(varied, key=lambda name: (-float(df.loc[name, "ST"]), varied.index(name)))
        drivers += [Driver(o, name, float(df.loc[name, "S1"]), float(df.loc[name, "ST"])) for name in ranked]
    return drivers
