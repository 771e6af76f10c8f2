"""Exact and floating-point numbers used throughout the package.

Exact numbers are :class:`fractions.Fraction`. Decimal literals written by people
(``0.05`` in a model file, ``rho=0.05`` on the command line) are read as the exact
decimal they denote (1/20), never as the nearest binary float.
"""

from __future__ import annotations

import numbers
import re
from fractions import Fraction
from typing import Any

import numpy as np
import sympy

from .errors import excerpt

__all__ = ["Number", "to_exact", "is_exact_number", "to_float", "as_exact_array", "as_float_array", "format_exact",
           "MAX_DIGITS", "MAX_EXPONENT", "check_number_text", "MAX_SIMPLIFY_OPS", "simplest"]

Number = Fraction | float | int

#: Most digits in one written number (a model file's value, an expression's literal, ``-p NAME=VALUE``):
#: counted in the mantissa of a decimal and in each side of a fraction. ``int("9" * 5000)`` would hit
#: Python's own int-to-string limit; the check runs before any conversion.
MAX_DIGITS = 1000

#: Largest decimal exponent (in absolute value) of a written number: ``1e999`` and ``1e-999`` are read
#: exactly, ``1e999999999`` is refused before a 10**999999999 is ever built.
MAX_EXPONENT = 1000

_EXPONENT = re.compile(r"[eE]\s*([+-]?[0-9_]+)\s*$")
_DIGIT = re.compile(r"\d")


def check_number_text(text: str) -> None:
    """Refuse a written number whose exact value would be too large to build.

    Counts digits and reads the exponent of *text* (``"1e-999"``, ``"2/3"``, ``"0.05"``) before any
    conversion, so the check itself is linear in the length of *text*.

    Raises
    ------
    ValueError
        With :data:`MAX_DIGITS` or :data:`MAX_EXPONENT` named.
    """
    if len(text) > 2 * MAX_DIGITS + 64:
        raise ValueError(f"the number has {len(text)} characters, more than {2 * MAX_DIGITS + 64} "
                         f"(at most {MAX_DIGITS} digits)")
    match = _EXPONENT.search(text)
    mantissa = text
    if match:
        digits = match.group(1).replace("_", "").lstrip("+-").lstrip("0")
        if len(digits) > len(str(MAX_EXPONENT)) or int(digits or 0) > MAX_EXPONENT:
            shown = match.group(1) if len(match.group(1)) <= 24 else match.group(1)[:10] + "…" + match.group(1)[-10:]
            raise ValueError(f"the exponent {shown} is beyond ±{MAX_EXPONENT}")
        mantissa = text[:match.start()]
    for part in mantissa.split("/"):
        count = len(_DIGIT.findall(part))
        if count > MAX_DIGITS:
            raise ValueError(f"the number has {count} digits, more than {MAX_DIGITS}")


def is_exact_number(value: Any) -> bool:
    """True for ints, Fractions and sympy Rationals (not bools, not floats)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, Fraction, np.integer)):
        return True
    return isinstance(value, sympy.Rational)


def to_exact(value: Any) -> Fraction:
    """Convert *value* to an exact :class:`~fractions.Fraction`.

    Floats are read through their shortest decimal representation, so ``0.1``
    becomes ``1/10``. Strings may be ``"2/3"``, ``"0.05"`` or ``"1e-3"``.

    Raises
    ------
    ValueError
        If *value* is not a finite number, or a string with more than :data:`MAX_DIGITS` digits or
        an exponent beyond :data:`MAX_EXPONENT` (checked before any conversion).

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
        text = value.strip()
        try:
            check_number_text(text)
        except ValueError as exc:
            raise ValueError(f"{excerpt(text)!r} is too large to read exactly: {exc}") from None
        try:
            return Fraction(text)
        except (ValueError, ZeroDivisionError):
            raise ValueError(f"{excerpt(text)!r} is not a number (write e.g. 0.05, 1/20 or 5e-2)") from None
    if isinstance(value, sympy.Rational):
        return Fraction(int(value.p), int(value.q))
    if isinstance(value, sympy.Basic):
        raise ValueError(f"{value} is not rational")
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


def format_value(value: Any) -> str:
    """:func:`format_exact`, cut to a short printable excerpt (:func:`~gametheory_ukraine.core.errors.excerpt`):
    a parameter value as messages, tables and reports show it.

    Examples
    --------
    >>> format_value(Fraction(1, 20)), format_value(Fraction(2, 3))
    ('0.05', '2/3')
    >>> format_value(Fraction(1, 3 ** 200))
    '1/265613988875874769338781322…092490901302182994384699044001'
    """
    return excerpt(format_exact(value))


def short_text(value: Any) -> str:
    """A payoff as a glance shows it: short fractions and integers exact, a long fraction or a float as ``~`` and
    four significant digits, anything else (a symbolic expression) as its text.

    Examples
    --------
    >>> short_text(Fraction(5, 2)), short_text(Fraction(61, 27)), short_text(0.125), short_text(3)
    ('5/2', '~2.259', '0.125', '3')
    """
    if isinstance(value, Fraction):
        return str(value) if value.denominator <= 12 else f"~{float(value):.4g}"
    if isinstance(value, (int, np.integer)):
        return str(value)
    if isinstance(value, (float, np.floating)):
        return f"{float(value):.4g}"
    return str(value)


#: An algebraic number with more operations than this (:func:`sympy.count_ops`) is kept as it is, unsimplified:
#: simplifying costs time that grows with its size.
MAX_SIMPLIFY_OPS = 400

_X = sympy.Dummy("x")


def _reduced_roots(value: sympy.Expr) -> sympy.Expr:
    """*value*, a polynomial with rational coefficients in one ``CRootOf`` alpha, reduced modulo alpha's defining
    polynomial (of degree d: a polynomial of degree below d); anything else unchanged."""
    roots = value.atoms(sympy.CRootOf)
    if len(roots) != 1:
        return value
    alpha = next(iter(roots))
    try:
        poly = sympy.Poly(value.xreplace({alpha: _X}), _X, domain=sympy.QQ)
    except sympy.PolynomialError:  # not a polynomial in alpha over the rationals (radicals beside it, say)
        return value
    defining = sympy.Poly(alpha.poly.as_expr().xreplace({alpha.poly.gen: _X}), _X, domain=sympy.QQ)
    return poly.rem(defining).as_expr().xreplace({_X: alpha})


def _proven_equal(a: sympy.Expr, b: sympy.Expr) -> bool:
    """True only if ``a == b`` is proved exactly: the minimal polynomial of ``a - b`` is ``x``. False where sympy
    cannot compute it (``NotAlgebraic`` for a transcendental difference, ``NotImplementedError`` for forms it
    does not handle): the caller then keeps the form it has, so an unproved guess is never used."""
    try:
        return sympy.minimal_polynomial(a - b, _X) == _X
    except (NotImplementedError, sympy.polys.polyerrors.NotAlgebraic):
        return False


def simplest(value: Any) -> Any:
    """An exact number in the shortest form found at bounded cost: a sympy Rational as a
    :class:`~fractions.Fraction`; an algebraic number expanded with rationalised denominators (``6 - 4*sqrt(2)``,
    not a product of powers) and reduced modulo its ``CRootOf``'s polynomial, or that factored
    (``(-1 + sqrt(41))/8``) or, for a nested radical, :func:`sympy.nsimplify`'s guess (``1 + sqrt(2)`` for
    ``sqrt(3 + 2*sqrt(2))``) when shorter (by :func:`sympy.count_ops`; a guess only when proved equal by its
    minimal polynomial), and as a Fraction when it is rational after all. Anything else -- ints, Fractions,
    floats, symbolic expressions, an algebraic number of more than :data:`MAX_SIMPLIFY_OPS` operations -- is
    returned unchanged.

    Examples
    --------
    >>> r = sympy.sqrt(2)
    >>> simplest((-2 + 2 * r) * (-1 + r) ** 2 + (2 - r) ** 3), simplest(1 / (1 + r)), simplest((1 + r) * (1 - r))
    (6 - 4*sqrt(2), -1 + sqrt(2), Fraction(-1, 1))
    >>> simplest(sympy.Rational(-1, 8) + sympy.sqrt(41) / 8), simplest(sympy.sqrt(3 + 2 * r))
    ((-1 + sqrt(41))/8, 1 + sqrt(2))
    """
    if isinstance(value, sympy.Rational):
        return Fraction(int(value.p), int(value.q))
    if (not isinstance(value, sympy.Expr) or not value.is_number or value.has(sympy.Float)
            or sympy.count_ops(value) > MAX_SIMPLIFY_OPS):
        return value
    expanded = sympy.radsimp(_reduced_roots(sympy.expand(value)))
    best = min((expanded, sympy.factor(expanded)), key=sympy.count_ops)  # ties: the expanded form
    if any(not (power.base.is_Rational or isinstance(power.base, sympy.CRootOf))  # a nested radical: denest it
           for power in best.atoms(sympy.Pow)):
        guess = sympy.nsimplify(best)
        if sympy.count_ops(guess) < sympy.count_ops(best) and _proven_equal(guess, best):
            best = guess
    return Fraction(int(best.p), int(best.q)) if best.is_Rational else best
