"""``gtu claims``: the analysis's claims, their quotes, and the models that express them."""

from __future__ import annotations

import argparse
import json

from .common import emit

__all__ = ["HELP", "add_arguments", "run"]

HELP = "list the analysis's claims (S1-S12, W1-W5) with their quotes and the models that express them"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=("table", "json"), default="table")


def run(args: argparse.Namespace) -> int:
    from ..modelling.claims import claims_table
    from ..output.claims_table import claims_text

    rows = claims_table()
    emit(json.dumps(rows, indent=2, ensure_ascii=False) if args.format == "json" else claims_text(rows))
    return 0
