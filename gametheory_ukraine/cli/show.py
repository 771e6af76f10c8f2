"""``gtu show``: a model's players, forms, parameters with their sources, scenarios, and what it takes from
calibration files (includes, each parameter's origin, overrides) and its named definitions."""

from __future__ import annotations

import argparse
import json

from .common import add_max_size, emit

__all__ = ["HELP", "add_arguments", "run"]

HELP = "show a model: players, forms, parameters with sources, scenarios, includes, overrides, definitions"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("model", help="model name (see 'gtu list') or path to a .yaml model file or a Gambit "
                                      ".nfg/.efg game")
    add_max_size(parser)
    parser.add_argument("--format", choices=("table", "json", "latex"), default="table")


def run(args: argparse.Namespace) -> int:
    from ..modelling.registry import load_model
    from ..output import model_report

    model = load_model(args.model, max_entries=args.max_size)
    if args.format == "json":
        emit(json.dumps(model_report.model_to_dict(model), indent=2, ensure_ascii=False))
    elif args.format == "latex":
        emit(model_report.parameters_latex(model))
    else:
        emit(model_report.model_text(model))
    return 0
