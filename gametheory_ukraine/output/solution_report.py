"""Describing solutions: text tables, the JSON document of ``gtu solve``, LaTeX."""

from __future__ import annotations

from ..core.numbers import format_value
from ..modelling.model import Model
from ..solvers.results import EquilibriumSet, format_number, number_text
from .tables import latex_escape, text_table

__all__ = ["solution_to_dict", "solution_text", "solution_latex", "payoff_text", "strategy_text"]


def solution_to_dict(model: Model, form: str, scenario: str | None, result: EquilibriumSet) -> dict:
    """The ``gtu solve --format json`` document."""
    doc = result.to_dict()
    return {"model": model.name, "form": form, "scenario": scenario, **doc,
            "parameters": {k: (str(v) if result.exact else float(v)) for k, v in result.parameters.items()},
            "model_sha256": model.sha256}


def payoff_text(value) -> str:
    """Exact payoff, with a decimal beside a fraction whose denominator makes it hard to read
    (:func:`~gametheory_ukraine.solvers.results.number_text`)."""
    return number_text(value)


def strategy_text(result: EquilibriumSet, eq) -> list[str]:
    """One line per player (normal form) or per player and information set (trees): the actions played with
    positive probability, each with its probability unless it is played for sure."""
    parts = []
    for player, strat in result.strategy_dict(eq).items():
        if result.form == "normal":
            support = [f"{a} {number_text(p)}" if p != 1 else a for a, p in strat.items() if p != 0]
            parts.append(f"{player}: " + ", ".join(support))
        else:
            for h, d in strat.items():
                support = [f"{a} {number_text(p)}" if p != 1 else a for a, p in d.items() if p != 0]
                parts.append(f"{player} @ {h}: " + ", ".join(support))
    return parts


def solution_text(model: Model, form: str, scenario: str | None, result: EquilibriumSet) -> str:
    """Header with method and flags, then one row per equilibrium."""
    mode = "exact" if result.exact else f"float (tolerance {result.tolerance:g})"
    head = [f"{model.name} [{form}] scenario: {scenario or '(parameter defaults)'}",
            f"method: {result.method}, {mode}; complete: {'yes' if result.complete else 'NO'}"
            + ("" if result.degenerate is None else f"; degenerate: {'yes' if result.degenerate else 'no'}"),
            "parameters: " + ", ".join(f"{k}={format_value(v)}" for k, v in result.parameters.items())]
    shown = result.notes if len(result.notes) <= 3 else result.notes[:2]
    head += [f"note: {n}" for n in shown]
    if len(shown) < len(result.notes):
        head.append(f"note: ... and {len(result.notes) - len(shown)} more notes (--format json lists them all)")
    rows = []
    for k, eq in enumerate(result.equilibria):
        rows.append([str(k), "\n".join(strategy_text(result, eq)),
                     "\n".join(f"{p}: {payoff_text(v)}" for p, v in zip(result.players, eq.payoffs)),
                     eq.outcome or "", format_number(eq.regret)])
    table = text_table(["#", "strategies", "payoffs", "outcome", "regret"], rows, widths={1: 72, 3: 40})
    count = f"{len(result)} equilibri{'um' if len(result) == 1 else 'a'}"
    return "\n".join(head + ["", count, table])


def solution_latex(model: Model, form: str, scenario: str | None, result: EquilibriumSet) -> str:
    """A LaTeX ``tabular`` of the equilibria."""
    cols = "l" + "l" * (1 + len(result.players)) + "l"
    lines = [rf"% {latex_escape(model.name)} [{form}] scenario {latex_escape(scenario or 'defaults')}, "
             f"{result.method}", rf"\begin{{tabular}}{{{cols}}}", r"\hline",
             "\\# & Strategies & " + " & ".join(latex_escape(p) for p in result.players) + r" & Outcome \\",
             r"\hline"]
    for k, eq in enumerate(result.equilibria):
        strat = "; ".join(latex_escape(s) for s in strategy_text(result, eq))
        pays = " & ".join(f"${format_number(v)}$" for v in eq.payoffs)
        lines.append(f"{k} & {strat} & {pays} & {latex_escape(eq.outcome or '')} \\\\")
    lines += [r"\hline", r"\end{tabular}"]
    return "\n".join(lines)
