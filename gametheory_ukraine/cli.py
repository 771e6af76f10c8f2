"""The ``gtu`` command line.

Heavy modules (sympy, numpy, the solvers) are imported inside the commands so
that ``gtu --help`` starts quickly. Errors caused by the user print one line
``gtu: error: ...`` and exit with status 2; never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import sys
from collections.abc import Sequence

from ._version import __version__

__all__ = ["main", "build_parser"]

EXIT_USAGE = 2
EXIT_INTERNAL = 1


def build_parser() -> argparse.ArgumentParser:
    """The ``gtu`` parser. Counts, seeds and budgets are checked as they are read (``type=``), and a bad
    command line prints one line ``gtu: error: ...`` (with the command's ``--help`` as the fix), exit 2."""

    class Parser(argparse.ArgumentParser):
        def error(self, message: str):  # one line, the project's convention (argparse prints usage too)
            text = " ".join(str(message).split())
            text = text if len(text) <= 200 else text[:120] + "\u2026" + text[-79:]
            self.exit(2, f"gtu: error: {text} (fix: see '{self.prog} --help')\n")

    def count(name: str):
        """A ``type=`` reading a whole number of at most 40 digits (no huge parses); its range is checked by the
        library function the command calls, which names the option and the fix."""
        def read(text: str) -> int:
            raw = str(text).strip().replace("_", "")
            shown = raw if len(raw) <= 40 else raw[:20] + "\u2026" + raw[-19:]
            if not raw.lstrip("+-").isdigit() or raw.count("-") + raw.count("+") > 1:
                raise argparse.ArgumentTypeError(f"{shown!r} is not a whole number")
            if len(raw) > 40:
                raise argparse.ArgumentTypeError(f"{shown} has more than 40 digits")
            return int(raw)
        read.__name__ = name.lstrip("-")
        return read

    samples = count("--samples")
    seed = count("--seed")
    budget = count("budget")

    parser = Parser(
        prog="gtu",
        description="Game-theoretic scenario models of the 2025 Russia-Ukraine peace talks: "
                    "list and inspect models, solve them exactly.",
        epilog="Examples: gtu list; gtu show chain-store; gtu solve chain-store --form sequential; "
               "gtu solve chain-store --form normal -p c_I=2 --format json")
    parser.add_argument("--version", action="version", version=f"gtu {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    p_list = sub.add_parser("list", help="list the available models")
    p_list.add_argument("--format", choices=("table", "json"), default="table")

    p_show = sub.add_parser("show", help="show a model: players, forms, parameters with sources, scenarios")
    p_show.add_argument("model", help="model name (see 'gtu list') or path to a .yaml model file or a Gambit "
                                      ".nfg/.efg game")
    p_show.add_argument("--max-size", dest="max_size", type=budget, metavar="N",
                        help="budget of payoff entries of a Gambit .nfg/.efg game (default 200,000)")
    p_show.add_argument("--format", choices=("table", "json", "latex"), default="table")

    p_solve = sub.add_parser("solve", help="compute the equilibria of one or more models' games")
    p_solve.add_argument("model", nargs="+",
                         help="model names (see 'gtu list') or paths to .yaml model files or Gambit .nfg/.efg games")
    p_solve.add_argument("--max-size", dest="max_size", type=budget, metavar="N",
                        help="budget of payoff entries of a Gambit .nfg/.efg game (default 200,000)")
    p_solve.add_argument("--form", help="normal, sequential, or all (default: each model's first form)")
    p_solve.add_argument("--scenario", help="a named scenario of the model (default: parameter defaults)")
    p_solve.add_argument("-p", "--param", action="append", default=[], metavar="NAME=VALUE",
                         help="override a parameter, e.g. -p rho=0.05 or -p rho=1/20 (repeatable)")
    mode = p_solve.add_mutually_exclusive_group()
    mode.add_argument("--exact", dest="exact", action="store_const", const=True, default=None,
                      help="exact rational arithmetic (the default when all values are exact decimals)")
    mode.add_argument("--float", dest="exact", action="store_const", const=False,
                      help="floating-point arithmetic")
    p_solve.add_argument("--method", default="auto",
                         help="solver: auto, vertex-enumeration, support-enumeration, pure, lemke-howson "
                              "(normal form); auto, subgame-perfect, nash (sequential)")
    p_solve.add_argument("--format", choices=("table", "json", "latex"), default="table")
    p_solve.add_argument("--max-work", dest="max_work", type=budget, metavar="N",
                         help="work budget of a solve (default 2,000,000 units, about 20 s at most): a bigger "
                              "game is refused before solving, naming a method that fits")

    p_thr = sub.add_parser("thresholds", help="critical values of a parameter where the equilibria change")
    p_thr.add_argument("model", help="model name or path")
    p_thr.add_argument("--max-size", dest="max_size", type=budget, metavar="N",
                        help="budget of payoff entries of a Gambit .nfg/.efg game (default 200,000)")
    p_thr.add_argument("--param", required=True, help="the parameter to vary, e.g. rho")
    p_thr.add_argument("--range", dest="range_", metavar="LO:HI", help="the interval to search (default [low, high])")
    p_thr.add_argument("--form", help="normal or sequential (default: the model's first form)")
    p_thr.add_argument("--scenario", help="a named scenario (default: parameter defaults)")
    p_thr.add_argument("-p", "--param-value", dest="param_values", action="append", default=[],
                       metavar="NAME=VALUE", help="fix another parameter (repeatable)")
    p_thr.add_argument("--grid", type=count("--grid"), default=201,
                       help="grid points for the numeric scan (default 201)")
    p_thr.add_argument("--max-points", dest="max_points", type=budget, metavar="N",
                       help="budget of scan points (default 100,000)")
    p_thr.add_argument("--max-work", dest="max_work", type=budget, metavar="N",
                       help="budget of grid points x game size x 1000 (default 2,000,000,000)")
    p_thr.add_argument("--format", choices=("table", "json"), default="table")

    p_sweep = sub.add_parser("sweep", help="solve over a grid or a sampled design; write CSV or Parquet")
    p_sweep.add_argument("model", help="model name or path")
    p_sweep.add_argument("--max-size", dest="max_size", type=budget, metavar="N",
                        help="budget of payoff entries of a Gambit .nfg/.efg game (default 200,000)")
    p_sweep.add_argument("-p", "--param", action="append", default=[], metavar="NAME=SPEC",
                         help="NAME=LO:HI:N (grid of N points), NAME=LO:HI (range for sampled designs), "
                              "NAME=V1,V2,... (listed values) or NAME=VALUE (fixed); repeatable")
    p_sweep.add_argument("--method", choices=("grid", "lhs", "mc", "sobol"), default="grid")
    p_sweep.add_argument("--samples", type=samples, help="number of points for lhs, mc and sobol designs")
    p_sweep.add_argument("--seed", type=seed, help="seed of the sampled design (reproducible), 0 to 2**128-1")
    p_sweep.add_argument("--form", help="normal or sequential (default: the model's first form)")
    p_sweep.add_argument("--scenario", help="a named scenario (default: parameter defaults)")
    p_sweep.add_argument("--exact", action="store_true",
                         help="exact arithmetic at every point, on the scalar path (slower)")
    p_sweep.add_argument("--engine", choices=("auto", "batched", "scalar"), default="auto",
                         help="auto (default): batched for trees of perfect information and two-player normal "
                              "forms, scalar otherwise")
    p_sweep.add_argument("--workers", type=count("--workers"), default=1,
                         help="local processes (default 1); same output")
    p_sweep.add_argument("--chunk-size", dest="chunk_size", type=count("--chunk-size"), metavar="N",
                         help="points per chunk (default: about 262,144 rows a chunk, 65,536 for trees, 256 points "
                              "on the scalar engine); same output")
    p_sweep.add_argument("--dask", metavar="local|tcp://HOST:PORT",
                         help="solve chunks as Dask tasks: 'local' starts a cluster sized to this machine, an "
                              "address connects to a running scheduler (needs gametheory_ukraine[dask]); same output")
    p_sweep.add_argument("--checkpoint", metavar="DIR",
                         help="keep each finished chunk in DIR; rerunning the same command resumes, solving only "
                              "the missing chunks; the output is written when all are there")
    p_sweep.add_argument("--max-points", dest="max_points", type=budget, metavar="N",
                         help="budget of the design's points (default 100,000,000; 10,000,000 for lhs, built "
                              "whole in memory)")
    p_sweep.add_argument("--max-work", dest="max_work", type=budget, metavar="N",
                         help="budget of points x game size (nodes, or cells x players; x 1000 on the scalar "
                              "engine), default 2,000,000,000")
    p_sweep.add_argument("-o", "--output", required=True, metavar="FILE", help="FILE.csv or FILE.parquet")

    p_sens = sub.add_parser("sensitivity", help="local (derivatives, elasticities, tornado) and global "
                                                "(Sobol) sensitivity of equilibrium outcomes")
    p_sens.add_argument("model", help="model name or path")
    p_sens.add_argument("--max-size", dest="max_size", type=budget, metavar="N",
                        help="budget of payoff entries of a Gambit .nfg/.efg game (default 200,000)")
    p_sens.add_argument("--kind", choices=("local", "tornado", "sobol"), default="local")
    p_sens.add_argument("--form", help="normal or sequential (default: the model's first form)")
    p_sens.add_argument("--scenario", help="a named scenario (default: parameter defaults)")
    p_sens.add_argument("--measure", help="payoff:PLAYER or outcome:LABEL (default: the first player's payoff)")
    p_sens.add_argument("--params", help="comma-separated parameters to vary (default: all)")
    p_sens.add_argument("--samples", type=samples, default=256, help="Sobol base sample size N (default 256)")
    p_sens.add_argument("--seed", type=seed, default=0,
                        help="seed for the Sobol design, 0 to 2**32-1 (default 0)")
    p_sens.add_argument("--max-points", dest="max_points", type=budget, metavar="N",
                        help="budget of Sobol evaluations N x (parameters + 2) (default 200,000)")
    p_sens.add_argument("--max-work", dest="max_work", type=budget, metavar="N",
                        help="budget of Sobol evaluations x game size x 1000 (default 2,000,000,000)")
    p_sens.add_argument("-p", "--param", action="append", default=[], metavar="NAME=VALUE",
                        help="fix a parameter value (repeatable)")
    p_sens.add_argument("--format", choices=("table", "json"), default="table")
    p_sens.add_argument("-o", "--output", metavar="FILE", help="also write the table to FILE.csv")

    p_exp = sub.add_parser("export", help="write a game to a file: Gambit .nfg/.efg, a tree picture, a LaTeX table")
    p_exp.add_argument("model", help="model name or path")
    p_exp.add_argument("--max-size", dest="max_size", type=budget, metavar="N",
                        help="budget of payoff entries of a Gambit .nfg/.efg game (default 200,000)")
    p_exp.add_argument("--to", required=True, choices=("nfg", "efg", "png", "svg", "latex"),
                       help="nfg/latex (normal form), efg/png/svg (sequential form)")
    p_exp.add_argument("--form", help="normal or sequential (default: the model's first form)")
    p_exp.add_argument("--scenario", help="a named scenario (default: parameter defaults)")
    p_exp.add_argument("-p", "--param", action="append", default=[], metavar="NAME=VALUE",
                       help="override a parameter (repeatable)")
    p_exp.add_argument("--max-nodes", dest="max_nodes", type=budget, metavar="N",
                       help="budget of tree nodes in a png/svg picture (default 1,000); use --to efg for bigger trees")
    p_exp.add_argument("-o", "--output", required=True, metavar="FILE", help="the file to write")

    p_rep = sub.add_parser("report", help="the main job: solve every model, form and scenario, find the "
                                          "relapse thresholds, write a report with figures and tables")
    p_rep.add_argument("-o", "--output", default="gtu-report", metavar="DIR",
                       help="output folder (default ./gtu-report)")
    p_rep.add_argument("--models", help="comma-separated model names (default: the framework models)")
    return parser


def _parse_params(items: Sequence[str]) -> dict[str, str]:
    from .core.errors import ParameterError, excerpt

    out: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        name, value = name.strip(), value.strip()
        if not sep or not name or not value:
            raise ParameterError(f"cannot read '{excerpt(item)}'", where="-p",
                                 fix="write -p NAME=VALUE, e.g. -p rho=0.05")
        if name in out:
            raise ParameterError(f"parameter '{excerpt(name)}' is given twice", where="-p", fix="give it once")
        out[name] = value
    return out


def _emit(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def cmd_list(args) -> int:
    from .modelling.registry import list_models, load_model

    rows = []
    for name in list_models():
        m = load_model(name)
        rows.append({"name": m.name, "title": m.title, "forms": list(m.forms), "players": list(m.players)})
    if args.format == "json":
        _emit(json.dumps(rows, indent=2, ensure_ascii=False))
    else:
        from .output.tables import text_table

        _emit(text_table(["name", "forms", "players", "title"],
                         [[r["name"], ", ".join(r["forms"]), ", ".join(r["players"]), r["title"]] for r in rows]))
    return 0


def cmd_show(args) -> int:
    from .modelling.registry import load_model
    from .output import model_report

    model = load_model(args.model, max_entries=args.max_size)
    if args.format == "json":
        _emit(json.dumps(model_report.model_to_dict(model), indent=2, ensure_ascii=False))
    elif args.format == "latex":
        _emit(model_report.parameters_latex(model))
    else:
        _emit(model_report.model_text(model))
    return 0


def cmd_solve(args) -> int:
    """Solve each model (and each form with ``--form all``); everything is computed before anything is
    printed, so a bad argument for the third model prints nothing for the first two."""
    from .modelling.registry import load_model
    from .output import solution_report

    values = _parse_params(args.param)
    jobs = []
    for name in args.model:
        model = load_model(name, max_entries=args.max_size)
        forms = list(model.forms) if args.form == "all" else [model._form_name(args.form)]
        for form in forms:
            result = model.solve(form, args.scenario, exact=args.exact, method=args.method, max_work=args.max_work,
                                 **values)
            jobs.append((model, form, result))
    if args.format == "json":
        docs = [solution_report.solution_to_dict(m, f, args.scenario, r) for m, f, r in jobs]
        _emit(json.dumps(docs[0] if len(docs) == 1 else docs, indent=2, ensure_ascii=False))
    elif args.format == "latex":
        _emit("\n\n".join(solution_report.solution_latex(m, f, args.scenario, r) for m, f, r in jobs))
    else:
        _emit("\n\n".join(solution_report.solution_text(m, f, args.scenario, r) for m, f, r in jobs))
    return 0


def cmd_thresholds(args) -> int:
    from .analysis.thresholds import cli

    return cli(args)


def cmd_sweep(args) -> int:
    from .analysis.sweep import cli

    return cli(args)


def cmd_sensitivity(args) -> int:
    from .analysis.sensitivity import cli

    return cli(args)


def cmd_export(args) -> int:
    from .output.export import cli

    return cli(args)


def cmd_report(args) -> int:
    from .output.report import cli

    return cli(args)


COMMANDS = {"list": cmd_list, "show": cmd_show, "solve": cmd_solve, "thresholds": cmd_thresholds,
            "sweep": cmd_sweep, "sensitivity": cmd_sensitivity, "export": cmd_export, "report": cmd_report}


class Terminated(BaseException):
    """Raised in the main thread by the ``gtu`` command's SIGTERM handler, so that every ``finally`` and
    temporary-file cleanup runs before the command exits with status 143 (128 + SIGTERM)."""


class StdoutFault(Exception):
    """Standard output failed (a closed pipe, a full disk): raised by :class:`_GuardedStdout` around the
    ``OSError`` so that it is not mistaken for a fault of an output file."""

    def __init__(self, error: OSError) -> None:
        super().__init__(str(error))
        self.error = error


class _GuardedStdout:
    """A stand-in for ``sys.stdout`` during a command: writes and flushes that fail raise :class:`StdoutFault`."""

    def __init__(self, stream) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except OSError as exc:
            raise StdoutFault(exc) from None

    def flush(self) -> None:
        try:
            self._stream.flush()
        except OSError as exc:
            raise StdoutFault(exc) from None

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


def _raise_terminated(signum, frame) -> None:
    raise Terminated()


def _silence_stdout(stream) -> None:
    """Point standard output at the null device, so the flush at interpreter exit cannot fail again (what the
    Python documentation recommends after a ``BrokenPipeError``)."""
    try:
        fd = stream.fileno()
    except (AttributeError, OSError, ValueError):
        return
    with contextlib.suppress(OSError):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, fd)
        os.close(null)


def _stdout_fault_status(fault: StdoutFault, stream) -> int:
    """Exit status for a failed standard output: 0 for a reader that closed the pipe (``gtu list | head -1``:
    the reader wanted no more), else one ``gtu: error`` line and 2."""
    import errno

    _silence_stdout(stream)
    if isinstance(fault.error, BrokenPipeError) or fault.error.errno == errno.EPIPE:
        return 0
    reason = fault.error.strerror or str(fault.error)
    print(f"gtu: error: standard output: cannot write: {reason} (fix: free some space on the disk that standard "
          "output goes to, or redirect it to another file)", file=sys.stderr)
    return EXIT_USAGE


def _signal_in_chain(exc: BaseException):
    """``KeyboardInterrupt`` or :class:`Terminated` if one of them is the cause or context of *exc* (a signal
    handler's exception raised while C code ran comes back as e.g. a ``SystemError`` around it), else None."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, (KeyboardInterrupt, Terminated)):
            return type(exc) if isinstance(exc, Terminated) else KeyboardInterrupt
        exc = exc.__cause__ or exc.__context__
    return None


def _forget_caught_interrupt() -> None:
    """Clear CPython's record that a ``KeyboardInterrupt`` left an ``eval`` or ``exec`` of a string.

    CPython keeps that record even when the interrupt is caught further up, and under ``python -m`` the
    interpreter then ends itself by SIGINT once :func:`main` has returned, so the caller sees -2 instead of
    status 130 (Python/pythonrun.c, ``run_eval_code_obj``; a Ctrl-C that lands while a deferred import defines
    a namedtuple is such a case). The first step of evaluating any string is to reset the record.
    """
    eval("None")  # noqa: S307 - a constant string, evaluated only for the side effect above


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``gtu`` command; return the exit status.

    Exit statuses: 0 success (also when the reader of standard output closed the pipe early); 2 an error the
    user can fix, one ``gtu: error:`` line (a full disk included); 130 interrupted (SIGINT, Ctrl-C), one line
    ``gtu: interrupted``; 143 terminated (SIGTERM), one line ``gtu: terminated``; 1 an internal error. An
    interrupted or terminated command removes its temporary files and leaves nothing under a final name.
    """
    stdout = sys.stdout
    sys.stdout = _GuardedStdout(stdout)
    previous = None
    with contextlib.suppress(ValueError):  # only the main thread may set signal handlers
        previous = signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        try:
            args = build_parser().parse_args(argv)
            status = COMMANDS[args.command](args)
            sys.stdout.flush()
            return status
        except SystemExit:  # argparse: --help, --version, a usage error
            sys.stdout.flush()
            raise
        finally:
            # no SIGTERM handler once the command is over: a late signal must not raise outside this function
            if previous is not None:
                signal.signal(signal.SIGTERM, previous)
            sys.stdout = stdout
    except KeyboardInterrupt:
        _forget_caught_interrupt()
        print("gtu: interrupted", file=sys.stderr)
        return 130
    except Terminated:
        print("gtu: terminated", file=sys.stderr)
        return 143
    except StdoutFault as fault:
        return _stdout_fault_status(fault, stdout)
    except Exception as exc:  # one clear line, never a traceback, for user errors
        from .core.errors import GTUError
        from .core.files import disk_error

        signalled = _signal_in_chain(exc)
        if signalled is not None:  # a signal's exception raised inside C code arrives wrapped (SystemError)
            _forget_caught_interrupt()
            print("gtu: interrupted" if signalled is KeyboardInterrupt else "gtu: terminated", file=sys.stderr)
            return 130 if signalled is KeyboardInterrupt else 143

        if isinstance(exc, OSError) and disk_error(exc, exc.filename or "an output file") is not None:
            exc = disk_error(exc, exc.filename or "an output file")
        if isinstance(exc, GTUError):
            print(f"gtu: error: {exc}", file=sys.stderr)
            return EXIT_USAGE
        if os.environ.get("GTU_DEBUG"):
            raise
        print(f"gtu: internal error: {type(exc).__name__}: {exc} "
              "(this is a bug: please report it with the command you ran; GTU_DEBUG=1 shows the traceback)",
              file=sys.stderr)
        return EXIT_INTERNAL
