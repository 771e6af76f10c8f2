"""``gtu list``: the available models."""

from __future__ import annotations

import argparse
import json

from .common import emit

__all__ = ["HELP", "add_arguments", "run"]

HELP = "list the available models (calibration files, which models include, are not listed)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=("table", "json"), default="table")


def run(args: argparse.Namespace) -> int:
    from ..modelling.registry import list_models, load_model
    from ..output.tables import text_table

    rows = []
    for name in list_models():
        m = load_model(name)
        rows.append({"name": m.name, "title": m.title, "forms": list(m.forms), "players": list(m.players)})
    if args.format == "json":
        emit(json.dumps(rows, indent=2, ensure_ascii=False))
    else:
        emit(text_table(["name", "forms", "players", "title"],
                        [[r["name"], ", ".join(r["forms"]), ", ".join(r["players"]), r["title"]] for r in rows]))
    return 0
