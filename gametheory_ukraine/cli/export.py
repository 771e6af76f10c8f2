"""``gtu export``: one model's game to a file (Gambit .nfg/.efg, a tree picture, a LaTeX table)."""

from __future__ import annotations

import argparse
import sys

from .common import add_max_size, parse_params, whole_number

__all__ = ["HELP", "add_arguments", "run"]

HELP = "write a game to a file: Gambit .nfg/.efg, a tree picture, a LaTeX table"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("model", help="model name or path")
    add_max_size(parser)
    parser.add_argument("--to", required=True, choices=("nfg", "efg", "png", "svg", "latex"),
                        help="nfg/latex (normal form), efg/png/svg (sequential form)")
    parser.add_argument("--form", help="normal or sequential (default: the model's first form the format fits)")
    parser.add_argument("--scenario", help="a named scenario (default: parameter defaults)")
    parser.add_argument("-p", "--param", action="append", default=[], metavar="NAME=VALUE",
                        help="override a parameter (repeatable)")
    parser.add_argument("--max-nodes", dest="max_nodes", type=whole_number("budget"), metavar="N",
                        help="budget of tree nodes in a png/svg picture (default 1,000); use --to efg for bigger "
                             "trees")
    parser.add_argument("-o", "--output", required=True, metavar="FILE", help="the file to write")


def run(args: argparse.Namespace) -> int:
    """Write the file; say where on standard error."""
    from ..modelling.registry import load_model
    from ..output.export import export

    model = load_model(args.model, max_entries=args.max_size)
    path = export(model, args.to, args.output, form=args.form, scenario=args.scenario, max_nodes=args.max_nodes,
                  **parse_params(args.param))
    print(f"gtu export: {model.name} -> {path}", file=sys.stderr)
    return 0
