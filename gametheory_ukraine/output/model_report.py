"""Describing a model: text, JSON-ready dicts and LaTeX."""

from __future__ import annotations

import textwrap

from ..core.numbers import format_value
from ..games.normal_form import NormalFormGame
from ..modelling.model import Model
from .tables import latex_escape, text_table

__all__ = ["model_to_dict", "model_text", "parameters_latex", "parameter_rows", "form_summary"]


def parameter_rows(model: Model) -> list[list[str]]:
    """One row per parameter: name, symbol, default, low, high, description, source."""
    return [[p.name, p.symbol, format_value(p.default), format_value(p.low), format_value(p.high), p.description,
             p.source] for p in model.parameters.values()]


def form_summary(game) -> str:
    """One line about a game form: each player's actions (normal form), or the tree's size and information."""
    if isinstance(game, NormalFormGame):
        return " x ".join(f"{p} {{{', '.join(a)}}}" for p, a in zip(game.players, game.actions))
    n_nodes = sum(1 for _ in game.nodes())
    info = "perfect information" if game.perfect_information else "imperfect information"
    return f"game tree, {n_nodes} nodes, {len(game.infosets())} information sets, {info}"


def model_to_dict(model: Model) -> dict:
    """The ``gtu show --format json`` document."""
    return {
        "name": model.name, "title": model.title, "players": list(model.players), "forms": list(model.forms),
        "parameters": [{"name": p.name, "symbol": p.symbol, "default": format_value(p.default),
                        "low": format_value(p.low), "high": format_value(p.high), "description": p.description,
                        "source": p.source}
                       for p in model.parameters.values()],
        "scenarios": [{"name": s.name, "description": s.description,
                       "values": {k: format_value(v) for k, v in s.values.items()}} for s in model.scenarios.values()],
        "path": model.path, "sha256": model.sha256,
    }


def model_text(model: Model) -> str:
    """The ``gtu show`` text: title, players, forms, the parameters table with sources, scenarios."""
    lines = [f"{model.name}: {model.title}", ""]
    if model.description:
        lines += textwrap.wrap(model.description, 100) + [""]
    lines.append("Players: " + ", ".join(model.players))
    lines.append("Forms:")
    for name, game in model.forms.items():
        lines.append(f"  {name}: {form_summary(game)}")
    lines += ["", "Parameters:",
              text_table(["name", "symbol", "default", "low", "high", "description", "source"],
                         parameter_rows(model), widths={5: 36, 6: 48})]
    if model.scenarios:
        lines += ["", "Scenarios:"]
        rows = [[s.name, ", ".join(f"{k}={format_value(v)}" for k, v in s.values.items()) or "(defaults)",
                 s.description] for s in model.scenarios.values()]
        lines.append(text_table(["scenario", "values", "description"], rows, widths={1: 36, 2: 56}))
    lines += ["", f"File: {model.path}"]
    return "\n".join(lines)


def parameters_latex(model: Model) -> str:
    """A LaTeX ``tabular`` of the parameters with their sources (needs no packages)."""
    rows = [r"\begin{tabular}{llllp{5cm}p{6cm}}", r"\hline",
            r"Parameter & Default & Low & High & Description & Source \\", r"\hline"]
    for p in model.parameters.values():
        sym = p.symbol if p.symbol.startswith("\\") else latex_escape(p.symbol)
        rows.append(f"${sym}$ & {format_value(p.default)} & {format_value(p.low)} & {format_value(p.high)} & "
                    f"{latex_escape(p.description)} & {latex_escape(p.source)} \\\\")
    rows += [r"\hline", r"\end{tabular}"]
    return "\n".join(rows)
