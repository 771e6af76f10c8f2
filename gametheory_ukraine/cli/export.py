"""``gtu export``: one model's game to a file (Gambit .nfg/.efg, a tree picture, a LaTeX, text or TikZ table, a
TikZ tree, a best-response diagram)."""

from __future__ import annotations

import argparse
import sys

from .common import add_max_size, parse_params, whole_number

__all__ = ["HELP", "add_arguments", "run"]

HELP = "write a game to a file: Gambit .nfg/.efg, a tree picture, a LaTeX/text/TikZ table, a TikZ tree, a " \
       "best-response diagram"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("model", help="model name or path")
    add_max_size(parser)
    parser.add_argument("--to", required=True,
                        choices=("nfg", "efg", "png", "svg", "latex", "txt", "tikz", "br-diagram"),
                        help="nfg/latex/txt (normal form), efg/png/svg (sequential form), tikz (either: a .tex "
                             "picture), br-diagram (a 2x2 normal form's best-response diagram, .png or .svg)")
    parser.add_argument("--form", help="normal or sequential (default: the model's first form the format fits)")
    parser.add_argument("--scenario", help="a named scenario (default: parameter defaults)")
    parser.add_argument("-p", "--param", action="append", default=[], metavar="NAME=VALUE",
                        help="override a parameter (repeatable)")
    parser.add_argument("--max-nodes", dest="max_nodes", type=whole_number("budget"), metavar="N",
                        help="budget of tree nodes in a png/svg/tikz picture (default 1,000); use --to efg for bigger "
                             "trees")
    parser.add_argument("--best-responses", dest="best_responses", action="store_true",
                        help="latex/txt/tikz of a normal form: mark each best-response payoff (underlined; * in "
                             "text); off by default")
    parser.add_argument("--tikz-fragment", dest="fragment", action="store_true",
                        help="tikz: write only the tikzpicture (default: a standalone document pdflatex compiles)")
    parser.add_argument("--over", metavar="NAME",
                        help="br-diagram: one panel per value of this parameter (with --values)")
    parser.add_argument("--values", dest="over_values", type=_values, metavar="V1,V2,...",
                        help="br-diagram: the values of --over, comma-separated, e.g. 0,1/2,2")
    parser.add_argument("-o", "--output", required=True, metavar="FILE", help="the file to write")


def _values(text: str) -> list[str]:
    """``"0, 1/2,2"`` as ``["0", "1/2", "2"]`` (the library reads each value)."""
    items = [part.strip() for part in str(text).split(",")]
    if not all(items):
        raise argparse.ArgumentTypeError(f"{text[:40]!r} is not a comma-separated list of values")
    return items


def run(args: argparse.Namespace) -> int:
    """Write the file; say where on standard error."""
    from ..modelling.registry import load_model
    from ..output.export import export

    model = load_model(args.model, max_entries=args.max_size)
    path = export(model, args.to, args.output, form=args.form, scenario=args.scenario, max_nodes=args.max_nodes,
                  best_responses=args.best_responses, fragment=args.fragment, over=args.over,
                  over_values=args.over_values, **parse_params(args.param))
    print(f"gtu export: {model.name} -> {path}", file=sys.stderr)
    return 0
