"""Exceptions raised by :mod:`gametheory_ukraine`.

Every error a user can cause (a malformed model file, an unknown parameter, a
value out of range, an unwritable path) is a :class:`GTUError`. The command line
prints ``str(error)`` -- one message naming the file, the place and the fix --
and exits with status 2; it never shows a traceback for these.
"""

from __future__ import annotations

import re

__all__ = ["GTUError", "ModelFileError", "ParameterError", "SolverError", "OutputError", "excerpt",
           "escape_controls", "EXCERPT_LIMIT"]

#: Most characters of the user's input that a message quotes (longer input is elided in the middle).
EXCERPT_LIMIT = 60

#: Characters that never reach the terminal raw from a message: C0 controls (tab and newline too,
#: a message is one line), DEL, C1 controls, lone surrogates, line/paragraph separators and the
#: bidirectional overrides that can make text read differently from what it is.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _escape_one(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape_controls(text: str) -> str:
    """*text* with every control character written as a visible escape (``\\x1b``, ``\\u202e``).

    Examples
    --------
    >>> escape_controls("red\x1b[31m")
    'red\\\\x1b[31m'
    """
    return _UNSAFE.sub(_escape_one, str(text))


def excerpt(text: object, limit: int = EXCERPT_LIMIT) -> str:
    """A short, printable excerpt of (possibly hostile) user input for an error message.

    Control characters are escaped (see :func:`escape_controls`), then text longer than *limit*
    characters keeps its start and end with ``…`` in the middle, so a message can neither grow with
    the input nor move the terminal's cursor.

    Parameters
    ----------
    text : object
        The input to quote (converted with ``str``).
    limit : int
        Most characters in the result.

    Returns
    -------
    str

    Examples
    --------
    >>> excerpt("x" * 100, limit=11)
    'xxxxx…xxxxx'
    """
    safe = escape_controls(str(text))
    if len(safe) <= limit:
        return safe
    head = (limit - 1) // 2
    tail = limit - 1 - head
    return safe[:head] + "…" + (safe[-tail:] if tail else "")


class GTUError(Exception):
    """Base class of every error caused by user input.

    Parameters
    ----------
    message : str
        What is wrong.
    path : str, optional
        The file concerned.
    where : str, optional
        The place in the file (e.g. ``"parameters.rho.low"``), or the option.
    fix : str, optional
        What the user should do about it.
    """

    def __init__(self, message: str, *, path: str | None = None, where: str | None = None,
                 fix: str | None = None) -> None:
        self.message = message
        self.path = None if path is None else str(path)
        self.where = where
        self.fix = fix
        super().__init__(str(self))

    def __str__(self) -> str:
        head = ": ".join(part for part in (self.path, self.where) if part)
        text = f"{head}: {self.message}" if head else self.message
        if self.fix:
            text += f" (fix: {self.fix})"
        return escape_controls(text)

    def __reduce__(self):  # keep keyword-only fields through pickling
        return (_rebuild, (type(self), self.message, self.path, self.where, self.fix))


def _rebuild(cls, message, path, where, fix):
    return cls(message, path=path, where=where, fix=fix)


class ModelFileError(GTUError):
    """A model file is malformed: bad YAML, a missing key, an unsafe expression."""


class ParameterError(GTUError):
    """An unknown parameter, a value that does not parse or lies outside [low, high]."""


class SolverError(GTUError):
    """A game cannot be solved as asked (e.g. symbolic payoffs, too many supports)."""


class OutputError(GTUError):
    """An output path that cannot be written."""
