"""``gtu sensitivity``: local (derivatives, elasticities), tornado and Sobol' sensitivity of the equilibria."""

from __future__ import annotations

import argparse
import json

from .common import add_max_size, emit, parse_params, whole_number

__all__ = ["HELP", "add_arguments", "run"]

HELP = "local (derivatives, elasticities, tornado) and global (Sobol) sensitivity of equilibrium outcomes"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("model", help="model name or path")
    add_max_size(parser)
    parser.add_argument("--kind", choices=("local", "tornado", "sobol", "tactical"), default="local",
                        help="tactical: each player's tactical against total derivative in its own terms and its "
                             "value against its pre-war reference (models with a 'tactical:' block: settlement)")
    parser.add_argument("--form", help="normal or sequential (default: the model's first form)")
    parser.add_argument("--scenario", help="a named scenario (default: parameter defaults)")
    parser.add_argument("--measure", help="payoff:PLAYER or outcome:LABEL (default: the first player's payoff)")
    parser.add_argument("--params", help="comma-separated parameters to vary (default: all)")
    parser.add_argument("--samples", type=whole_number("--samples"), default=256,
                        help="Sobol base sample size N (default 256)")
    parser.add_argument("--seed", type=whole_number("--seed"), default=0,
                        help="seed for the Sobol design, 0 to 2**32-1 (default 0)")
    parser.add_argument("--max-points", dest="max_points", type=whole_number("budget"), metavar="N",
                        help="budget of Sobol evaluations N x (parameters + 2) (default 200,000)")
    parser.add_argument("--max-work", dest="max_work", type=whole_number("budget"), metavar="N",
                        help="budget of Sobol evaluations x game size x 1000 (default 2,000,000,000)")
    parser.add_argument("-p", "--param", action="append", default=[], metavar="NAME=VALUE",
                        help="fix a parameter value (repeatable)")
    parser.add_argument("--all", action="store_true",
                        help="local: also list quantities that are 0 with derivative 0 (undefined elasticity)")
    parser.add_argument("--format", choices=("table", "json"), default="table")
    parser.add_argument("-o", "--output", metavar="FILE", help="also write the table to FILE.csv")


def run(args: argparse.Namespace) -> int:
    """Print the table (or JSON); with ``-o FILE.csv`` also write it, atomically. The output path is checked
    before any work."""
    from ..analysis.sensitivity import sensitivity
    from ..analysis.tactical import tactical_strategic
    from ..core.files import check_output_path, write_with
    from ..modelling.registry import load_model
    from ..output.analysis_tables import sensitivity_text, tactical_text

    model = load_model(args.model, max_entries=args.max_size)
    values = parse_params(args.param)
    out_path = check_output_path(args.output, suffixes=(".csv",)) if args.output else None
    if args.kind == "tactical":
        result = tactical_strategic(model, form=args.form, scenario=args.scenario, values=values)
        text = tactical_text
    else:
        result = sensitivity(model, args.kind, form=args.form, scenario=args.scenario, measure=args.measure,
                             params=args.params, values=values, samples=args.samples, seed=args.seed,
                             max_points=args.max_points, max_work=args.max_work)
        text = sensitivity_text
    if out_path is not None:
        write_with(out_path, lambda tmp: result.table.to_csv(tmp, index=False))
    if args.format == "json":
        emit(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
    else:
        emit(text(result, out_path, all_rows=args.all) if args.kind != "tactical" else text(result, out_path))
    return 0
