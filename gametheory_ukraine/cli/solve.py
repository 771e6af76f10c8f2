"""``gtu solve``: the equilibria of one or more models' games, as a table, JSON or LaTeX."""

from __future__ import annotations

import argparse
import json

from ..core.errors import SolverError
from .common import add_max_size, emit, parse_params, whole_number

__all__ = ["HELP", "add_arguments", "run"]

HELP = "compute the equilibria of one or more models' games"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("model", nargs="+",
                        help="model names (see 'gtu list') or paths to .yaml model files or Gambit .nfg/.efg games")
    add_max_size(parser)
    parser.add_argument("--form", help="normal, sequential, or all (default: each model's first form)")
    parser.add_argument("--scenario", help="a named scenario of the model (default: parameter defaults)")
    parser.add_argument("-p", "--param", action="append", default=[], metavar="NAME=VALUE",
                        help="override a parameter, e.g. -p rho=0.05 or -p rho=1/20 (repeatable)")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--exact", dest="exact", action="store_const", const=True, default=None,
                      help="exact rational arithmetic (the default when all values are exact decimals)")
    mode.add_argument("--float", dest="exact", action="store_const", const=False,
                      help="floating-point arithmetic")
    parser.add_argument("--method", default="auto",
                        help="solver: auto, vertex-enumeration, support-enumeration, pure, lemke-howson, "
                             "lrsnash (the external lrsnash program, if installed) (normal form); auto, "
                             "subgame-perfect, nash (sequential); either form (a tree by its reduced normal form), "
                             "exact: dominance, weak-dominance (iterated elimination of strictly / weakly "
                             "dominated strategies, mixed dominators included), correlated (the correlated "
                             "equilibrium maximising --objective), correlated-vertices (every vertex of the "
                             "correlated-equilibrium polytope, small games)")
    parser.add_argument("--objective", metavar="WHAT",
                        help="--method correlated: welfare (sum of payoffs, the default), a player's name, or one "
                             "weight per player, e.g. 1,2")
    parser.add_argument("--format", choices=("table", "json", "latex"), default="table")
    parser.add_argument("--max-work", dest="max_work", type=whole_number("budget"), metavar="N",
                        help="work budget of a solve (default 2,000,000 units, about 20 s at most): a bigger "
                             "game is refused before solving, naming a method that fits")


def run(args: argparse.Namespace) -> int:
    """Solve each model (and each form with ``--form all``); everything is computed before anything is
    printed, so a bad argument for the third model prints nothing for the first two."""
    from ..modelling.registry import load_model
    from ..output import solution_report
    from ..solvers.solving import REDUCTION_METHODS, solve

    if args.objective is not None and args.method != "correlated":
        raise SolverError(f"--objective is for --method correlated, not {args.method}", where="--objective",
                          fix="drop --objective, or use --method correlated")
    if args.method in REDUCTION_METHODS and args.format == "latex":
        raise SolverError(f"--format latex shows equilibria, not the result of --method {args.method}",
                          where="--format", fix="use --format table or --format json")

    values = parse_params(args.param)
    jobs = []
    for name in args.model:
        model = load_model(name, max_entries=args.max_size)
        forms = list(model.forms) if args.form == "all" else [model.form_name(args.form)]
        for form in forms:
            try:
                result = (_solve_reduction(solve, model, form, args, values) if args.method in REDUCTION_METHODS
                          else model.solve(form, args.scenario, exact=args.exact, method=args.method,
                                           max_work=args.max_work, **values))
            except SolverError as exc:  # name the model the refusal is about (several may be given)
                if exc.path is not None:
                    raise
                raise SolverError(exc.message, path=name, where=exc.where, fix=exc.fix) from None
            jobs.append((model, form, result))
    if args.method in REDUCTION_METHODS:
        return _emit_reduction(jobs, args)
    if args.format == "json":
        docs = [solution_report.solution_to_dict(m, f, args.scenario, r) for m, f, r in jobs]
        emit(json.dumps(docs[0] if len(docs) == 1 else docs, indent=2, ensure_ascii=False))
    elif args.format == "latex":
        emit("\n\n".join(solution_report.solution_latex(m, f, args.scenario, r) for m, f, r in jobs))
    else:
        emit("\n\n".join(solution_report.solution_text(m, f, args.scenario, r) for m, f, r in jobs))
    return 0


def _solve_reduction(solve, model, form: str, args: argparse.Namespace, values: dict):
    """Dominance or correlated equilibria of one form (by *solve*, :func:`gametheory_ukraine.solve`), at the
    scenario and parameters given."""
    objective = args.objective or "welfare"
    if "," in objective:
        objective = [w.strip() for w in objective.split(",")]
    used = model.values(args.scenario, values)
    game = model.game(form, args.scenario, exact=args.exact, **values)
    return solve(game, method=args.method, parameters=used, max_work=args.max_work, objective=objective)


def _emit_reduction(jobs: list, args: argparse.Namespace) -> int:
    """Dominance and correlated-equilibrium results, as text or JSON (they are not tables of equilibria)."""
    if args.format == "json":
        docs = [{"model": m.name, "form": f, "scenario": args.scenario, **r.to_dict(), "model_sha256": m.sha256}
                for m, f, r in jobs]
        emit(json.dumps(docs[0] if len(docs) == 1 else docs, indent=2, ensure_ascii=False))
    else:
        emit("\n\n".join(f"{m.name} [{f}] scenario: {args.scenario or '(parameter defaults)'}\n"
                           + "parameters: " + ", ".join(f"{k}={v}" for k, v in r.parameters.items()) + f"\n{r}"
                           for m, f, r in jobs))
    return 0
