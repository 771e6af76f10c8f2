"""Turning symbolic payoff expressions into numbers: exact Fractions or floats."""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import numpy as np
import sympy

from ..core.errors import ParameterError, excerpt
from ..core.numbers import is_exact_number, to_exact

__all__ = ["is_symbolic_value", "resolve_exactness", "numeric_value", "free_parameters", "describe_point"]


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


def describe_point(value: Any, subs: dict) -> str:
    """``x=-1, y=2``: the values *subs* gives the parameters that *value* uses (for messages).

    Parameters
    ----------
    value : sympy expression or number
        A payoff or probability.
    subs : dict
        sympy Symbol -> sympy number, as made by :func:`substitutions`.

    Returns
    -------
    str
        ``"these parameter values"`` when *value* uses no parameter.
    """
    used = sorted(getattr(value, "free_symbols", ()), key=lambda s: s.name)
    parts = []
    for sym in used:
        num = subs.get(sym)
        if num is None:
            continue
        text = repr(float(num)) if getattr(num, "is_Float", False) else str(num)
        parts.append(f"{sym.name}={excerpt(text, 24)}")
    return excerpt(", ".join(parts), 200) if parts else "these parameter values"


#: ``exp`` of more than this overflows a float: refused as not finite before anything is evaluated
#: (``exp(exp(x))`` at x = 10**5 would otherwise be evaluated to 43,000 digits of exponent).
EXP_OVERFLOW = 709.782712893384
#: ``exp`` of less than this underflows a float to 0.
EXP_UNDERFLOW = -745.1332191019412


def _bounded_exponentials(result: Any, what: str, shown: str, at: str) -> Any:
    """*result* with each ``exp`` whose argument underflows a float replaced by 0; refuse one that overflows.

    Inner exponentials are looked at first, so each argument evaluated here is bounded.
    """
    exps = sorted(result.atoms(sympy.exp), key=lambda e: e.count(sympy.exp))
    if not exps:
        return result
    done: dict = {}
    for e in exps:
        arg = e.args[0].xreplace(done) if done else e.args[0]
        real = sympy.re(arg.evalf(17))
        if not real.is_Number:
            continue
        if real > EXP_OVERFLOW:
            raise ParameterError(f"{what} {shown} is not finite at {at} (exp of {excerpt(real, 30)} overflows)",
                                 fix="change the expression or the parameter values")
        if real < EXP_UNDERFLOW:
            done[e] = sympy.Integer(0)
    return result.xreplace(done) if done else result


def numeric_value(value: Any, subs: dict, exact: bool, *, what: str = "expression") -> Fraction | float:
    """Evaluate one payoff or probability under *subs*.

    Returns a Fraction in exact mode (the value must then be rational) and a float
    otherwise.

    Raises
    ------
    ParameterError
        For missing parameters, and for a value that is undefined (division by zero),
        not a real number (``log`` or ``sqrt`` of a negative number), or not finite; the
        message names the parameter values that cause it (see :func:`describe_point`).
    """
    if isinstance(value, sympy.Basic):
        if subs and not exact and value.has(sympy.exp):
            # sympy evaluates exp of a Float at once, to as many digits as its exponent needs
            # (exp(exp(exp(x))) at x = 1 never ends): substitute the floats' exact values instead,
            # so exp stays symbolic until its arguments have been bounded below.
            result = value.xreplace({k: sympy.Rational(*float(v).as_integer_ratio()) if v.is_Float else v
                                     for k, v in subs.items()})
        else:
            result = value.xreplace(subs) if subs else value
        if not exact and result.is_Float and np.isfinite(out := float(result)):
            return out  # the common case of a float sweep: a plain finite number, nothing left to check
        # the excerpt and the point are written only for a message: printing a large expression costs more than
        # evaluating it
        if result.free_symbols:
            missing = ", ".join(sorted(s.name for s in result.free_symbols))
            raise ParameterError(f"{what} {excerpt(value, 80)} needs a value for {missing}",
                                 fix=f"pass {missing} as a parameter value")
        if result.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo):
            raise ParameterError(f"{what} {excerpt(value, 80)} is undefined (division by zero?) at "
                                 f"{describe_point(value, subs)}", fix="change the expression or the parameter values")
        if exact and result.is_Rational:
            return Fraction(int(result.p), int(result.q))
        if result.has(sympy.exp):
            result = _bounded_exponentials(result, what, excerpt(value, 80), describe_point(value, subs))
        number = result.evalf(17)
        if number.is_real is not True or not number.is_Number:
            raise ParameterError(f"{what} {excerpt(value, 80)} is not a real number at {describe_point(value, subs)} "
                                 f"({excerpt(number, 40)})",
                                 fix="keep log and sqrt arguments non-negative over the parameter ranges")
        if exact:
            # irrational (e.g. sqrt): keep float semantics but say so via caller
            raise ParameterError(f"{what} {excerpt(value, 80)} is not rational at these values ({excerpt(result, 40)})",
                                 fix="solve with exact=False")
        out = float(number)
        if not np.isfinite(out):
            raise ParameterError(f"{what} {excerpt(value, 80)} is not finite at {describe_point(value, subs)}",
                                 fix="change the expression or the parameter values")
        return out
    else:
        if exact:
            return to_exact(value)
        out = float(value)
        at = "these parameter values"
        shown = value
    if not np.isfinite(out):
        raise ParameterError(f"{what} {shown} is not finite at {at}",
                             fix="change the expression or the parameter values")
    return out
