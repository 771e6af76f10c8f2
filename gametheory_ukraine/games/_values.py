"""Turning symbolic payoff expressions into numbers: exact Fractions or floats."""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import numpy as np

from .._numbers import is_exact_number, to_exact
from ..errors import ParameterError

__all__ = ["is_symbolic_value", "resolve_exactness", "numeric_value", "free_parameters"]


def is_symbolic_value(value: Any) -> bool:
    """True if *value* is a sympy expression with free symbols."""
    free = getattr(value, "free_symbols", None)
    return bool(free)


def free_parameters(values: Any) -> tuple[str, ...]:
    """Sorted names of the free symbols in an iterable of (possibly symbolic) values."""
    names: set[str] = set()
    for value in values:
        for sym in getattr(value, "free_symbols", ()):
            names.add(sym.name)
    return tuple(sorted(names))


def resolve_exactness(values: Mapping[str, Any], exact: bool | None) -> bool:
    """Decide exact vs float instantiation.

    ``exact=None`` means: exact iff every value is exact (int, Fraction, sympy
    Rational, or a decimal/fraction string such as ``"0.05"`` or ``"1/3"``).
    """
    if exact is not None:
        return bool(exact)
    for value in values.values():
        if isinstance(value, str):
            continue
        if not is_exact_number(value):
            return False
    return True


def substitutions(values: Mapping[str, Any], exact: bool) -> dict:
    """Map sympy Symbols to sympy numbers for ``xreplace``."""
    import sympy

    subs = {}
    for name, value in values.items():
        try:
            if exact:
                frac = to_exact(value)
                num = sympy.Rational(frac.numerator, frac.denominator)
            else:
                num = sympy.Float(float(to_exact(value) if isinstance(value, str) else value), 17)
        except (ValueError, TypeError):
            raise ParameterError(f"value {value!r} for parameter {name!r} is not a number",
                                 fix="give a number such as 0.05 or 1/20") from None
        subs[sympy.Symbol(name)] = num
    return subs


def numeric_value(value: Any, subs: dict, exact: bool, *, what: str = "expression") -> Fraction | float:
    """Evaluate one payoff or probability under *subs*.

    Returns a Fraction in exact mode (the value must then be rational) and a float
    otherwise. Raises :class:`ParameterError` for missing parameters, division by
    zero or non-finite results.
    """
    import sympy

    if isinstance(value, sympy.Basic):
        result = value.xreplace(subs) if subs else value
        if result.free_symbols:
            missing = ", ".join(sorted(s.name for s in result.free_symbols))
            raise ParameterError(f"{what} {value} needs a value for {missing}",
                                 fix=f"pass {missing} as a parameter value")
        if result.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo):
            raise ParameterError(f"{what} {value} is undefined (division by zero?) at these parameter values")
        if exact:
            if result.is_Rational:
                return Fraction(int(result.p), int(result.q))
            # irrational (e.g. sqrt): keep float semantics but say so via caller
            raise ParameterError(f"{what} {value} is not rational at these values ({result})",
                                 fix="solve with exact=False")
        out = float(result.evalf(17))
    else:
        if exact:
            return to_exact(value)
        out = float(value)
    if not np.isfinite(out):
        raise ParameterError(f"{what} {value} is not finite at these parameter values")
    return out
