"""Describing a model: text, JSON-ready dicts and LaTeX."""

from __future__ import annotations

import textwrap

from ..core.numbers import format_value
from ..games.normal_form import NormalFormGame
from ..modelling.model import Model
from .tables import latex_escape, text_table

__all__ = ["model_to_dict", "model_text", "parameters_latex", "parameter_rows", "form_summary", "definition_head"]


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


def definition_head(definition) -> str:
    """``name`` or ``name(arg, ...)``: how a definition is used."""
    args = definition["args"]
    return f"{definition['name']}({', '.join(args)})" if args else definition["name"]


def model_to_dict(model: Model) -> dict:
    """The ``gtu show --format json`` document."""
    shared_from = model.shared_from
    return {
        "name": model.name, "title": model.title, "players": list(model.players), "forms": list(model.forms),
        "includes": list(model.includes),
        "parameters": [{"name": p.name, "symbol": p.symbol, "default": format_value(p.default),
                        "low": format_value(p.low), "high": format_value(p.high), "description": p.description,
                        "source": p.source, "shared_from": shared_from.get(p.name)}
                       for p in model.parameters.values()],
        "scenarios": [{"name": s.name, "description": s.description,
                       "values": {k: format_value(v) for k, v in s.values.items()}} for s in model.scenarios.values()],
        "overrides": [dict(o) for o in model.overrides],
        "definitions": [{"name": d["name"], "args": list(d["args"]), "expression": d["expression"],
                         "shared_from": d["shared_from"]} for d in model.definitions],
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
    if model.includes:
        lines.append("Includes: " + ", ".join(model.includes))
    head = ["name", "symbol", "default", "low", "high", "description", "source"]
    rows, widths = parameter_rows(model), {5: 36, 6: 48}
    if model.includes:
        head.append("shared from")
        rows = [[*row, model.shared_from.get(row[0]) or "(this model)"] for row in rows]
    lines += ["", "Parameters:", text_table(head, rows, widths=widths)]
    if model.overrides:
        lines += ["", "Overrides of shared values:"]
        rows = [["parameter" if "parameter" in o else "scenario", o.get("parameter") or o.get("scenario"), o["by"],
                 o["reason"]] for o in model.overrides]
        lines.append(text_table(["what", "name", "by", "reason"], rows, widths={3: 60}))
    if model.definitions:
        lines += ["", "Definitions (expanded in the payoffs):"]
        rows = [[f"{definition_head(d)} = {d['expression']}", d["shared_from"] or "(this model)"]
                for d in model.definitions]
        lines.append(text_table(["definition", "from"], rows, widths={0: 90}))
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
