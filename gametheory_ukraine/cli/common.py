"""What the ``gtu`` commands share: whole-number options, ``-p NAME=VALUE``, printing a result.

Only the command line parses arguments and prints; this module is imported when ``gtu`` starts, so it imports
nothing heavy.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator, Sequence

from ..core.errors import ParameterError, excerpt

__all__ = ["assignments", "whole_number", "add_max_size", "parse_params", "emit"]


def whole_number(name: str) -> Callable[[str], int]:
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


def add_max_size(parser: argparse.ArgumentParser) -> None:
    """The ``--max-size N`` option of every command that reads a model or a Gambit game."""
    parser.add_argument("--max-size", dest="max_size", type=whole_number("budget"), metavar="N",
                        help="budget of payoff entries of a Gambit .nfg/.efg game (default 200,000)")


def assignments(items: Sequence[str], *, value: str = "VALUE",
                example: str = "rho=0.05") -> Iterator[tuple[str, str, str]]:
    """Each ``-p NAME=VALUE`` item as (name, value, the item as given), in order and one at a time, so that a
    caller that reads each value reports the first bad item first.

    Raises
    ------
    ParameterError
        An item that is not ``NAME=VALUE`` (*value* names the right-hand side in the fix, *example* shows one),
        or a name given twice.
    """
    seen: set[str] = set()
    for item in items:
        name, sep, text = item.partition("=")
        name, text = name.strip(), text.strip()
        if not sep or not name or not text:
            raise ParameterError(f"cannot read '{excerpt(item)}'", where="-p",
                                 fix=f"write -p NAME={value}, e.g. -p {example}")
        if name in seen:
            raise ParameterError(f"parameter '{excerpt(name)}' is given twice", where="-p", fix="give it once")
        seen.add(name)
        yield name, text, item


def parse_params(items: Sequence[str]) -> dict[str, str]:
    """``["rho=0.05", "p=1/2"]`` as ``{"rho": "0.05", "p": "1/2"}``, the values as given (the library reads them).

    Raises
    ------
    ParameterError
        As :func:`assignments`.

    Examples
    --------
    >>> parse_params(["rho=0.05", " p = 1/2 "])
    {'rho': '0.05', 'p': '1/2'}
    """
    return {name: text for name, text, _ in assignments(items)}


def emit(text: str) -> None:
    """Write *text* to standard output, ending with one newline."""
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
