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
                             "subgame-perfect, nash (sequential); logit-qre (either form, with --lambda: a "
                             "logit quantal response equilibrium, not a Nash equilibrium); either form (a tree by "
                             "its reduced normal form), exact: dominance, weak-dominance (iterated elimination of "
                             "strictly / weakly dominated strategies, mixed dominators included), correlated (the "
                             "correlated equilibrium maximising --objective), correlated-vertices (every vertex of "
                             "the correlated-equilibrium polytope, small games)")
    parser.add_argument("--lambda", dest="lam", metavar="L",
                        help="precision of --method logit-qre (a number >= 0)")
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
    from ..output import qre_report, solution_report
    from ..solvers.qre import QRE
    from ..solvers.solving import REDUCTION_METHODS

    if args.method in REDUCTION_METHODS and args.format == "latex":
        raise SolverError(f"--format latex shows equilibria, not the result of --method {args.method}",
                          where="--format", fix="use --format table or --format json")
    objective = args.objective
    if objective is not None and "," in objective:
        objective = [w.strip() for w in objective.split(",")]

    values = parse_params(args.param)
    jobs = []
    for name in args.model:
        model = load_model(name, max_entries=args.max_size)
        forms = list(model.forms) if args.form == "all" else [model.form_name(args.form)]
        for form in forms:
            try:
                result = model.solve(form, args.scenario, exact=args.exact, method=args.method,
                                     max_work=args.max_work, lam=args.lam, objective=objective, **values)
            except SolverError as exc:  # name the model the refusal is about (several may be given)
                if exc.path is not None:
                    raise
                raise SolverError(exc.message, path=name, where=exc.where, fix=exc.fix) from None
            jobs.append((model, form, result))
    if any(isinstance(r, QRE) for _, _, r in jobs):  # a QRE is not an equilibrium set: its own document
        if args.format == "latex":
            raise SolverError("there is no LaTeX for a quantal response equilibrium", where="--format",
                              fix="use --format json or table")
        describe = qre_report.qre_to_dict if args.format == "json" else qre_report.qre_text
        docs = [describe(m, f, args.scenario, r) for m, f, r in jobs]
        emit(json.dumps(docs[0] if len(docs) == 1 else docs, indent=2, ensure_ascii=False)
             if args.format == "json" else "\n\n".join(docs))
    elif args.method in REDUCTION_METHODS:
        return _emit_reduction(jobs, args)
    elif args.format == "json":
        docs = [solution_report.solution_to_dict(m, f, args.scenario, r) for m, f, r in jobs]
        emit(json.dumps(docs[0] if len(docs) == 1 else docs, indent=2, ensure_ascii=False))
    elif args.format == "latex":
        emit("\n\n".join(solution_report.solution_latex(m, f, args.scenario, r) for m, f, r in jobs))
    else:
        emit("\n\n".join(solution_report.solution_text(m, f, args.scenario, r) for m, f, r in jobs))
    return 0


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
