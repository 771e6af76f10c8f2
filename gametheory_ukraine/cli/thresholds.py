"""``gtu thresholds``: the critical values of a parameter where the equilibria change, as a table or JSON."""

from __future__ import annotations

import argparse
import json

from ..core.errors import ParameterError
from .common import add_max_size, emit, parse_params, whole_number

__all__ = ["HELP", "add_arguments", "split_range", "run"]

HELP = "critical values of a parameter where the equilibria change"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("model", help="model name or path")
    add_max_size(parser)
    parser.add_argument("--param", required=True, help="the parameter to vary, e.g. rho")
    parser.add_argument("--range", dest="range_", metavar="LO:HI", help="the interval to search (default [low, high])")
    parser.add_argument("--form", help="normal or sequential (default: the model's first form)")
    parser.add_argument("--scenario", help="a named scenario (default: parameter defaults)")
    parser.add_argument("-p", "--param-value", dest="param_values", action="append", default=[],
                        metavar="NAME=VALUE", help="fix another parameter (repeatable)")
    parser.add_argument("--grid", type=whole_number("--grid"), default=201,
                        help="grid points for the numeric scan (default 201)")
    parser.add_argument("--max-points", dest="max_points", type=whole_number("budget"), metavar="N",
                        help="budget of scan points (default 100,000)")
    parser.add_argument("--max-work", dest="max_work", type=whole_number("budget"), metavar="N",
                        help="budget of grid points x game size x 1000 (default 2,000,000,000)")
    parser.add_argument("--on", choices=("equilibria", "outcomes"), default="equilibria",
                        help="what counts as a change: the equilibrium set, off the path included (default), or "
                             "only the outcomes played")
    parser.add_argument("--max-ops", dest="max_ops", type=whole_number("--max-ops"), default=150, metavar="N",
                        help="largest indifference condition (sympy operations) for which a closed form is "
                             "sought (default 150); past it, the exact root with the other parameters at their "
                             "values is reported")
    parser.add_argument("--format", choices=("table", "json"), default="table")


def split_range(text: str) -> tuple[str, str]:
    """``--range LO:HI`` as its two ends, unread (the library reads them exactly)."""
    lo, sep, hi = str(text).partition(":")
    if not sep or not lo.strip() or not hi.strip() or ":" in hi:
        raise ParameterError(f"cannot read the range {text!r}", where="--range",
                             fix="write LO:HI, e.g. --range 0.01:0.5 or --range 1/100:1/2")
    return lo.strip(), hi.strip()


def run(args: argparse.Namespace) -> int:
    """Print the thresholds of ``--param`` as a table or JSON."""
    from ..analysis.thresholds import range_bound, thresholds
    from ..modelling.registry import load_model
    from ..output.analysis_tables import thresholds_text

    model = load_model(args.model, max_entries=args.max_size)
    over = None
    if args.range_ is not None:
        lo, hi = split_range(args.range_)
        over = (range_bound(lo, "range start"), range_bound(hi, "range end"))
    values = parse_params(args.param_values)
    result = thresholds(model, args.param, form=args.form, scenario=args.scenario, over=over, values=values,
                        grid=args.grid, max_points=args.max_points, max_work=args.max_work, on=args.on,
                        max_ops=args.max_ops)
    if args.format == "json":
        emit(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
    else:
        emit(thresholds_text(result))
    return 0
