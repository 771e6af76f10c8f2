"""The ``gtu`` command: its parser, the run of one command, the exit statuses.

Each command is a module of this package with ``HELP``, ``add_arguments(parser)`` and ``run(args) -> int``; the
library is imported inside ``run`` so that ``gtu --help`` starts quickly. Errors caused by the user print one line
``gtu: error: ...`` and exit with status 2; never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import os
import signal
import sys
from collections.abc import Sequence

from .._version import __version__
from ..core.errors import GTUError
from ..core.files import disk_error
from . import claims, export, qre, report, robustness, sensitivity, show, solve, sweep, thresholds
from . import list as list_  # the module of ``gtu list``; the builtin stays usable here

__all__ = ["main", "build_parser", "COMMANDS", "EXIT_USAGE", "EXIT_INTERNAL", "Terminated", "StdoutFault"]

EXIT_USAGE = 2
EXIT_INTERNAL = 1

#: The commands in the order ``gtu --help`` lists them: name -> module.
MODULES = {"list": list_, "show": show, "solve": solve, "thresholds": thresholds, "sweep": sweep,
           "sensitivity": sensitivity, "robustness": robustness, "export": export, "report": report, "claims": claims,
           "qre": qre}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, the project's convention (argparse prints usage too)
        text = " ".join(str(message).split())
        text = text if len(text) <= 200 else text[:120] + "\u2026" + text[-79:]
        self.exit(2, f"gtu: error: {text} (fix: see '{self.prog} --help')\n")


def build_parser() -> argparse.ArgumentParser:
    """The ``gtu`` parser. Counts, seeds and budgets are checked as they are read (``type=``), and a bad
    command line prints one line ``gtu: error: ...`` (with the command's ``--help`` as the fix), exit 2."""
    parser = _Parser(
        prog="gtu",
        description="Game-theoretic scenario models of the 2025 Russia-Ukraine peace talks: "
                    "list and inspect models, solve them exactly.",
        epilog="Examples: gtu list; gtu show chain-store; gtu solve chain-store --form sequential; "
               "gtu solve chain-store --form normal -p c_I=2 --format json")
    parser.add_argument("--version", action="version", version=f"gtu {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name, module in MODULES.items():
        module.add_arguments(sub.add_parser(name, help=module.HELP))
    return parser


#: name -> the command's ``run(args) -> int``.
COMMANDS = {name: module.run for name, module in MODULES.items()}


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
