"""``gtu robustness``: how much of the plausible parameter box gives each equilibrium outcome, and which
parameters decide it."""

from __future__ import annotations

import argparse
import json

from .common import add_max_size, emit, whole_number

__all__ = ["HELP", "add_arguments", "run"]

HELP = "share of the parameter box giving each equilibrium outcome, with confidence intervals; what decides it"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("model", help="model name or path")
    add_max_size(parser)
    parser.add_argument("--form", help="normal or sequential (default: the model's first form)")
    parser.add_argument("--scenario", help="a named scenario: its values are held, the other parameters vary "
                                           "over [low, high] (default: none; every parameter varies)")
    parser.add_argument("--samples", type=whole_number("--samples"), default=4096,
                        help="Monte Carlo points for the shares (default 4096)")
    parser.add_argument("--sobol-samples", dest="sobol_samples", type=whole_number("--sobol-samples"),
                        metavar="N", help="base size N of the Sobol' design, a power of two; N x (parameters + 2) "
                                          "points (default: the largest power of two <= --samples)")
    parser.add_argument("--seed", type=whole_number("--seed"), default=0,
                        help="seed of the sample and the Sobol' design, 0 to 2**32-1 (default 0)")
    parser.add_argument("--max-points", dest="max_points", type=whole_number("budget"), metavar="N",
                        help="budget of points solved, samples + the Sobol' design (default 2,000,000)")
    parser.add_argument("--max-work", dest="max_work", type=whole_number("budget"), metavar="N",
                        help="budget of points x game size (nodes, or cells x players; x 1000 on the scalar "
                             "engine), default 2,000,000,000")
    parser.add_argument("--format", choices=("table", "json"), default="table")


def run(args: argparse.Namespace) -> int:
    """Print the shares and drivers as a table or JSON."""
    from ..analysis.robustness import robustness
    from ..modelling.registry import load_model
    from ..output.analysis_tables import robustness_text

    model = load_model(args.model, max_entries=args.max_size)
    result = robustness(model, form=args.form, scenario=args.scenario, samples=args.samples, seed=args.seed,
                        sobol_samples=args.sobol_samples, max_points=args.max_points, max_work=args.max_work)
    if args.format == "json":
        emit(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
    else:
        emit(robustness_text(result))
    return 0
