"""``gtu qre``: the principal branch of the logit quantal response equilibria of a model's game, or the QRE at
one precision over a parameter grid; written to CSV or Parquet, with a figure if asked."""

from __future__ import annotations

import argparse
import sys

from .common import add_max_size, assignments, whole_number

__all__ = ["HELP", "add_arguments", "run"]

HELP = "trace the logit quantal response equilibria (QRE) of a model's game; write CSV or Parquet"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("model", help="model name or path (a .yaml model file or a Gambit .nfg/.efg game)")
    add_max_size(parser)
    parser.add_argument("--lambda", dest="lam", required=True, metavar="LO:HI or L",
                        help="the branch from lambda 0 to HI, rows from LO (e.g. 0:20; a single number L means "
                             "0:L); with a grid in -p, one precision L at every grid point")
    parser.add_argument("--form", help="normal or sequential (default: the model's first form)")
    parser.add_argument("--scenario", help="a named scenario (default: parameter defaults)")
    parser.add_argument("-p", "--param", action="append", default=[], metavar="NAME=VALUE or NAME=LO:HI:N",
                        help="override a parameter (-p rho=0.05), or sweep it over a grid (-p rho=0:0.5:11, "
                             "-p rho=0.1,0.2): then the QRE at one lambda at each point; repeatable")
    parser.add_argument("--max-steps", dest="max_steps", type=whole_number("budget"), metavar="N",
                        help="budget of path-following steps of one branch (default 10,000)")
    parser.add_argument("--max-work", dest="max_work", type=whole_number("budget"), metavar="N",
                        help="budget of the game's size, plays x actions x actions (default 200,000,000)")
    parser.add_argument("--max-points", dest="max_points", type=whole_number("budget"), metavar="N",
                        help="budget of grid points of a sweep (default 10,000)")
    parser.add_argument("-o", "--output", required=True, metavar="FILE", help="FILE.csv or FILE.parquet")
    parser.add_argument("--plot", metavar="FILE",
                        help="also draw each action's probability against lambda (against the swept parameter "
                             "for a one-parameter sweep) to FILE.png or FILE.svg")


def run(args: argparse.Namespace) -> int:
    """Read the options (a bad one is refused before anything is computed), trace or sweep, write the table and
    the figure, print one summary line to standard error."""
    from ..analysis.designs import parse_spec
    from ..analysis.qre_sweep import qre_sweep
    from ..analysis.sweep import TABLE_SUFFIXES, write_table
    from ..core.errors import ParameterError, excerpt
    from ..core.files import check_output_path
    from ..modelling.registry import load_model
    from ..output.figures import save_figure
    from ..output.qre_report import qre_path_figure
    from ..solvers.qre import MAX_STEPS, check_lambda, logit_branch

    out = check_output_path(args.output, suffixes=TABLE_SUFFIXES)
    if args.plot is not None:
        check_output_path(args.plot, suffixes=(".png", ".svg"))
    max_steps = MAX_STEPS if args.max_steps is None else args.max_steps
    if max_steps < 1:
        raise ParameterError(f"--max-steps must be at least 1, not {max_steps}", fix="give a positive budget")
    specs = {name: (text, parse_spec(text, where=f"-p {item}"))
             for name, text, item in assignments(args.param, value="VALUE", example="rho=0:0.5:11")}
    grid = [name for name, (_, spec) in specs.items() if spec.kind != "fixed"]
    lo_text, sep, hi_text = str(args.lam).partition(":")
    if grid:
        if sep:
            raise ParameterError(f"a sweep takes one precision, not the range '{excerpt(args.lam)}'", where="--lambda",
                                 fix="give one number, e.g. --lambda 5, or fix every -p parameter to trace a path")
        lam = check_lambda(args.lam, "--lambda")
    else:
        lo = check_lambda(lo_text if sep else 0.0, "--lambda LO")
        lam = check_lambda(hi_text if sep else args.lam, "--lambda HI")
        if ":" in hi_text or lo > lam:
            raise ParameterError(f"cannot read the range '{excerpt(args.lam)}'", where="--lambda",
                                 fix="write LO:HI with 0 <= LO <= HI, e.g. --lambda 0:20")
    model = load_model(args.model, max_entries=args.max_size)
    form = model.form_name(args.form)
    if grid:
        df = qre_sweep(model, {name: spec for name, (_, spec) in specs.items()}, lam=lam, form=form,
                       scenario=args.scenario, max_points=args.max_points, max_steps=max_steps,
                       max_work=args.max_work)
        x = grid[0] if len(grid) == 1 else None
        what = f"{len(df):,} point{'s' * (len(df) != 1)} at lambda {lam:g}"
    else:
        values = {name: text for name, (text, _) in specs.items()}
        path = logit_branch(model.game(form, args.scenario, exact=False, **values), lam, max_steps=max_steps,
                            max_work=args.max_work, parameters=values)
        df = path.to_frame()
        df = df[df["lambda"] >= lo].reset_index(drop=True)
        x = "lambda"
        what = f"{len(df):,} point{'s' * (len(df) != 1)} of the branch, lambda {lo:g} to {lam:g}"
    if args.plot is not None and x is None:
        raise ParameterError("a figure of a sweep needs exactly one swept parameter", where="--plot",
                             fix="sweep one parameter, or drop --plot")
    written = write_table(df, out)
    drawn = ""
    if args.plot is not None:
        title = f"{model.name} ({form}): logit QRE" + (f" at lambda {lam:g}" if x != "lambda" else "")
        drawn = " and " + str(save_figure(qre_path_figure(df, x=x, title=title), args.plot))
    print(f"gtu qre: {model.name} {form}: {what} -> {written}{drawn}", file=sys.stderr)
    return 0
