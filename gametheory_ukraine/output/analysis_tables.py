"""Analysis results as text for the terminal: thresholds (``gtu thresholds``), sensitivity (``gtu sensitivity``) and
robustness (``gtu robustness``)."""

from __future__ import annotations

import math
from typing import Any

from ..core.numbers import format_exact
from .tables import text_table

__all__ = ["thresholds_text", "sensitivity_text", "conditions_text", "robustness_text", "tactical_text"]


def thresholds_text(result) -> str:
    """A readable text table of a :class:`~gametheory_ukraine.analysis.thresholds.ThresholdResult`: a heading,
    one row per threshold (value, exact value, closed form, what changes, the conditions under which the closed
    form's direction holds), the direction of each closed form at the evaluated point, the other parameters and
    the notes.

    Examples
    --------
    >>> import gametheory_ukraine as gtu
    >>> from gametheory_ukraine.analysis.thresholds import thresholds
    >>> res = thresholds(gtu.load_model("territory"), "rho", form="sequential", scenario="baseline-2025", grid=21)
    >>> print(thresholds_text(res).splitlines()[0])
    territory (sequential, baseline-2025): thresholds in rho over [0.01, 0.5]
    """
    head = (f"{result.model} ({result.form}" + (f", {result.scenario}" if result.scenario else "")
            + f"): thresholds in {result.param} over [{result.over[0]:g}, {result.over[1]:g}]")
    directions = []
    if not result.thresholds:
        body = f"no change of the equilibria in this range (grid {result.grid})"
    else:
        rows = [[f"{t.value:.6g}", str(t.exact) if t.exact is not None else "",
                 str(t.expression) if t.expression is not None else t.method, t.change, conditions_text(t)]
                for t in result.thresholds]
        body = text_table(["value", "exact", "closed form", "change", "conditions"], rows,
                          widths={2: 50, 3: 40, 4: 40})
        directions = [f"direction at {result.param}* = {t.value:.6g}: {t.direction}"
                      for t in result.thresholds if t.direction]
    fixed = ", ".join(f"{k}={format_exact(v)}" for k, v in result.parameters.items())
    return "\n".join([head, "", body, ""] + directions + [f"other parameters: {fixed}"]
                     + [f"note: {n}" for n in result.notes])


def conditions_text(threshold) -> str:
    """The conditions of a :class:`~gametheory_ukraine.analysis.thresholds.Threshold` as one cell: joined by
    ``"; "``, each failing one marked ``"(fails here)"``; ``"none (holds on the whole box)"`` for a closed form
    without conditions, ``""`` for a numeric threshold.

    Examples
    --------
    >>> from gametheory_ukraine.analysis.thresholds import Threshold
    >>> t = Threshold("rho", 0.4, None, None, "closed form", ("a",), ("b",), "a -> b",
    ...               conditions=("b > 0", "c != 0"), conditions_hold=False, conditions_failing=("b > 0",))
    >>> conditions_text(t)
    'b > 0 (fails here); c != 0'
    """
    if threshold.conditions_hold is None:
        return ""
    if not threshold.conditions:
        return "none (holds on the whole box)"
    failing = set(threshold.conditions_failing)
    return "; ".join(c + (" (fails here)" if c in failing else "") for c in threshold.conditions)


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return "nan" if math.isnan(value) else f"{value:.6g}"
    return str(value)


def sensitivity_text(result, written: str | None = None, *, all_rows: bool = False) -> str:
    """A readable text table of a :class:`~gametheory_ukraine.analysis.sensitivity.Sensitivity`: a heading, the
    table (long derivative expressions cut: CSV and JSON keep the whole text) and the notes, then
    ``written: FILE`` if the table was also written to *written*. Local tables leave out, unless *all_rows*,
    the rows of quantities that are 0 with derivative 0 (an action not played: its elasticity is undefined, NaN),
    and say how many."""
    df = result.table
    hidden = 0
    if result.kind == "local" and not all_rows and {"value", "derivative", "elasticity"} <= set(df.columns):
        idle = (df["value"] == 0) & (df["derivative"] == 0) & df["elasticity"].isna()
        hidden = int(idle.sum())
        df = df[~idle]
    head = (f"{result.model} ({result.form}" + (f", {result.scenario}" if result.scenario else "")
            + f"): {result.kind} sensitivity")
    widths = {list(df.columns).index("expression"): 48} if "expression" in df.columns else None
    cells = [[_cell(v) for v in row] for row in df.itertuples(index=False)]
    if widths:  # long derivative expressions: the table shows their start, CSV and JSON the whole text
        k = next(iter(widths))
        for row in cells:
            if len(row[k]) > 3 * widths[k]:
                row[k] = row[k][:3 * widths[k] - 3] + "..."
    table = text_table(list(df.columns), cells, widths=widths)
    left_out = ([f"{hidden} rows left out: quantities that are 0 with derivative 0 (actions not played), whose "
                 "elasticity is undefined; --all shows them (CSV and JSON always have them)"] if hidden else [])
    return "\n".join([head, "", table, ""] + list(result.notes) + left_out
                      + ([f"written: {written}"] if written else []))


def tactical_text(result, written: str | None = None) -> str:
    """A readable text of a :class:`~gametheory_ukraine.analysis.tactical.TacticalStrategic`: a heading, one row
    per (equilibrium, player), the verdict on "strategically, there can be no winners", the notes."""
    df = result.table
    head = (f"{result.model} ({result.form}" + (f", {result.scenario}" if result.scenario else "")
            + "): tactical against strategic value")
    cells = [[_cell(v) for v in row] for row in df.itertuples(index=False)]
    winners = sorted(set(df.loc[df["above_reference"], "player"]))
    verdict = ("strategically there are no winners: every player ends below its pre-war reference" if result.holds
               else "the claim fails: " + ", ".join(winners) + " ends above its pre-war reference")
    return "\n".join([head, "", text_table(list(df.columns), cells), "", verdict] + list(result.notes)
                     + ([f"written: {written}"] if written else []))


def robustness_text(result, *, top: int = 5) -> str:
    """A readable text of a :class:`~gametheory_ukraine.analysis.robustness.Robustness`: a heading, one row per
    outcome (share and 95 % interval, the outcome at the point itself marked), then for each outcome its *top*
    drivers by ST (the JSON output lists every parameter), and the notes.

    Examples
    --------
    >>> import gametheory_ukraine as gtu
    >>> from gametheory_ukraine.analysis.robustness import robustness
    >>> res = robustness(gtu.load_model("chain-store"), form="sequential", samples=64, seed=0)
    >>> print(robustness_text(res).splitlines()[0])
    chain-store (sequential): robustness over 5 parameters, 64 sampled points, seed 0
    """
    head = (f"{result.model} ({result.form}" + (f", {result.scenario}" if result.scenario else "")
            + f"): robustness over {len(result.parameters)} parameters, {result.samples:,} sampled points, "
              f"seed {result.seed}")
    rows = [[o.outcome + ("  (at the point)" if o.outcome == result.baseline else ""), f"{o.share:.3f}",
             f"[{o.ci_low:.3f}, {o.ci_high:.3f}]"] for o in result.outcomes]
    if result.baseline not in {o.outcome for o in result.outcomes}:
        rows.append([result.baseline + "  (at the point)", "0.000", "(not in the sample)"])
    shares = text_table(["outcome", "share", "95% CI (Wilson)"], rows, widths={0: 70})
    driver_rows = []
    for o in result.outcomes:
        ranked = [d for d in result.drivers if d.outcome == o.outcome][:top]
        for k, d in enumerate(ranked):
            driver_rows.append([o.outcome if k == 0 else "", d.parameter, f"{d.S1:.3f}", f"{d.ST:.3f}"])
    drivers = text_table(["outcome", "parameter", "S1", "ST"], driver_rows, widths={0: 50})
    return "\n".join([head, "", shares, "", f"drivers (Sobol' indices of each outcome's indicator, top {top} by ST):",
                      "", drivers, ""] + [f"note: {n}" for n in result.notes])
