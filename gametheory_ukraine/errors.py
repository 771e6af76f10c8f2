"""Exceptions raised by :mod:`gametheory_ukraine`.

Every error a user can cause (a malformed model file, an unknown parameter, a
value out of range, an unwritable path) is a :class:`GTUError`. The command line
prints ``str(error)`` -- one message naming the file, the place and the fix --
and exits with status 2; it never shows a traceback for these.
"""

from __future__ import annotations

__all__ = ["GTUError", "ModelFileError", "ParameterError", "SolverError", "OutputError"]


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
        return text

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
