"""Safe parsing of payoff and probability expressions.

A model file is data: its expressions are parsed with :mod:`ast` and translated
node by node into sympy through a whitelist. Nothing is ever passed to
``eval``, ``exec`` or ``sympy.sympify``, so a model file cannot run code.

Allowed: numbers, the names of declared parameters, ``+ - * / **``, unary
minus, parentheses, and the functions ``min``, ``max``, ``exp``, ``log``,
``sqrt`` and ``abs``.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from fractions import Fraction
from functools import cache

__all__ = ["parse_expression", "ExpressionError", "ALLOWED_FUNCTIONS"]

ALLOWED_FUNCTIONS = ("min", "max", "exp", "log", "sqrt", "abs")
_MAX_LENGTH = 2000
_MAX_POWER = 64


class ExpressionError(ValueError):
    """An expression uses something outside the whitelist (message says what)."""


@cache
def _functions():
    import sympy

    return {"min": sympy.Min, "max": sympy.Max, "exp": sympy.exp, "log": sympy.log,
            "sqrt": sympy.sqrt, "abs": sympy.Abs}


def parse_expression(text: str | int | float, parameters: Iterable[str]):
    """Parse *text* into a sympy expression over the declared *parameters*.

    Parameters
    ----------
    text : str or number
        E.g. ``"(s_U + delta*rho*W_U)/(1 - delta*(1 - rho))"``. Decimal literals
        are read exactly (``0.1`` is 1/10).
    parameters : iterable of str
        The names that may appear.

    Returns
    -------
    sympy.Expr

    Raises
    ------
    ExpressionError
        For syntax errors, unknown names, attribute access, calls of functions
        not in :data:`ALLOWED_FUNCTIONS`, or any other construct.

    Examples
    --------
    >>> parse_expression("(s + d*r*w)/(1 - d*(1 - r))", ["s", "d", "r", "w"])
    (d*r*w + s)/(-d*(1 - r) + 1)
    >>> parse_expression("__import__('os').system('true')", [])
    Traceback (most recent call last):
    ...
    gametheory_ukraine.expressions.ExpressionError: calls are limited to min, max, exp, log, sqrt, abs
    """
    import sympy

    if isinstance(text, bool):
        raise ExpressionError("true/false is not a number")
    if isinstance(text, int):
        return sympy.Integer(text)
    if isinstance(text, float):
        frac = Fraction(repr(text))
        return sympy.Rational(frac.numerator, frac.denominator)
    if not isinstance(text, str):
        raise ExpressionError(f"expected a number or an expression string, got {type(text).__name__}")
    if len(text) > _MAX_LENGTH:
        raise ExpressionError(f"expression longer than {_MAX_LENGTH} characters")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise ExpressionError(f"not a valid expression ({exc.msg})") from None
    names = set(parameters)
    symbols = {name: sympy.Symbol(name) for name in names}
    return _convert(tree.body, symbols)


def _convert(node: ast.AST, symbols: dict):
    import sympy

    if isinstance(node, ast.Constant):
        value = node.value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ExpressionError(f"only numbers are allowed as constants, not {value!r}")
        if isinstance(value, int):
            return sympy.Integer(value)
        frac = Fraction(repr(value))
        return sympy.Rational(frac.numerator, frac.denominator)
    if isinstance(node, ast.Name):
        if node.id in symbols:
            return symbols[node.id]
        if node.id in ALLOWED_FUNCTIONS:
            raise ExpressionError(f"function {node.id!r} must be called, e.g. {node.id}(x)")
        known = ", ".join(sorted(symbols)) or "none"
        raise ExpressionError(f"unknown name {node.id!r} (declared parameters: {known})")
    if isinstance(node, ast.BinOp):
        left, right = _convert(node.left, symbols), _convert(node.right, symbols)
        if isinstance(node.op, ast.Add):
            return left + right
        if isinstance(node.op, ast.Sub):
            return left - right
        if isinstance(node.op, ast.Mult):
            return left * right
        if isinstance(node.op, ast.Div):
            if right == 0:
                raise ExpressionError("division by zero")
            return left / right
        if isinstance(node.op, ast.Pow):
            if right.is_Number and abs(right) > _MAX_POWER:
                raise ExpressionError(f"exponent {right} is larger than {_MAX_POWER}")
            return left ** right
        raise ExpressionError(f"operator {type(node.op).__name__} is not allowed (use + - * / **)")
    if isinstance(node, ast.UnaryOp):
        operand = _convert(node.operand, symbols)
        if isinstance(node.op, ast.USub):
            return -operand
        if isinstance(node.op, ast.UAdd):
            return operand
        raise ExpressionError(f"operator {type(node.op).__name__} is not allowed")
    if isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name) or node.func.id not in ALLOWED_FUNCTIONS:
            raise ExpressionError("calls are limited to " + ", ".join(ALLOWED_FUNCTIONS))
        if node.keywords:
            raise ExpressionError("keyword arguments are not allowed")
        args = [_convert(a, symbols) for a in node.args]
        name = node.func.id
        if name in ("min", "max"):
            if len(args) < 2:
                raise ExpressionError(f"{name}() needs at least two arguments")
        elif len(args) != 1:
            raise ExpressionError(f"{name}() takes exactly one argument")
        return _functions()[name](*args)
    raise ExpressionError(f"{type(node).__name__} is not allowed in an expression "
                          "(only numbers, parameter names, + - * / ** and " + ", ".join(ALLOWED_FUNCTIONS) + ")")
