"""Exact and floating-point numbers used throughout the package.

Exact numbers are :class:`fractions.Fraction`. Decimal literals written by people
(``0.05`` in a model file, ``rho=0.05`` on the command line) are read as the exact
decimal they denote (1/20), never as the nearest binary float.
"""

from __future__ import annotations

import numbers
from fractions import Fraction
from typing import Any

import numpy as np

__all__ = ["Number", "to_exact", "is_exact_number", "to_float", "as_exact_array", "as_float_array", "format_exact"]

Number = Fraction | float | int


def is_exact_number(value: Any) -> bool:
    """True for ints, Fractions and sympy Rationals (not bools, not floats)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, Fraction, np.integer)):
        return True
    try:  # sympy is imported lazily by callers that need it
        import sympy

        return isinstance(value, sympy.Rational)
    except ImportError:  # pragma: no cover - sympy is a core dependency
        return False


def to_exact(value: Any) -> Fraction:
    """Convert *value* to an exact :class:`~fractions.Fraction`.

    Floats are read through their shortest decimal representation, so ``0.1``
    becomes ``1/10``. Strings may be ``"2/3"``, ``"0.05"`` or ``"1e-3"``.

    Raises
    ------
    ValueError
        If *value* is not a finite number.

    Examples
    --------
    >>> to_exact(0.05)
    Fraction(1, 20)
    >>> to_exact("2/3")
    Fraction(2, 3)
    """
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a number")
    if isinstance(value, Fraction):
        return value
    if isinstance(value, (int, np.integer)):
        return Fraction(int(value))
    if isinstance(value, (float, np.floating)):
        if not np.isfinite(value):
            raise ValueError(f"{value!r} is not a finite number")
        return Fraction(repr(float(value)))
    if isinstance(value, str):
        try:
            return Fraction(value.strip())
        except (ValueError, ZeroDivisionError):
            raise ValueError(f"{value!r} is not a number (write e.g. 0.05, 1/20 or 5e-2)") from None
    try:
        import sympy

        if isinstance(value, sympy.Rational):
            return Fraction(int(value.p), int(value.q))
        if isinstance(value, sympy.Basic):
            raise ValueError(f"{value} is not rational")
    except ImportError:  # pragma: no cover
        pass
    if isinstance(value, numbers.Rational):
        return Fraction(value.numerator, value.denominator)
    raise ValueError(f"{value!r} is not a number")


def to_float(value: Any) -> float:
    """Convert an exact or float number (or a sympy number) to ``float``."""
    return float(value)


def as_exact_array(array: Any) -> np.ndarray:
    """Object array of Fractions with the shape of *array*."""
    arr = np.asarray(array, dtype=object)
    out = np.empty(arr.shape, dtype=object)
    for idx, value in np.ndenumerate(arr):
        out[idx] = to_exact(value)
    return out


def as_float_array(array: Any) -> np.ndarray:
    """float64 array with the shape of *array*."""
    return np.asarray(np.vectorize(float, otypes=[float])(np.asarray(array, dtype=object)), dtype=float) \
        if np.asarray(array).dtype == object else np.asarray(array, dtype=float)


def format_exact(value: Any) -> str:
    """``0.05`` for a Fraction that prints exactly as a decimal float, ``1/27`` otherwise, ints as ints.

    Examples
    --------
    >>> format_exact(Fraction(1, 20)), format_exact(Fraction(1, 27)), format_exact(Fraction(3))
    ('0.05', '1/27', '3')
    """
    if isinstance(value, Fraction):
        if value.denominator == 1:
            return str(value.numerator)
        as_float = float(value)
        if Fraction(repr(as_float)) == value:
            return repr(as_float)
    return str(value)
