"""Safe parsing of payoff and probability expressions.

A model file is data: its expressions are parsed with :mod:`ast` and translated
node by node into sympy through a whitelist. Nothing is ever passed to
``eval``, ``exec`` or ``sympy.sympify``, so a model file cannot run code.

Allowed: numbers, the names of declared parameters, ``+ - * / **``, unary
minus, parentheses, and the functions ``min``, ``max``, ``exp``, ``log``,
``sqrt`` and ``abs``. A model file's named definitions (:class:`Definition`, made by
:func:`parse_definition`) are expanded where they are used: a name without arguments
stands for its expression, a definition with arguments is called like a function.
"""

from __future__ import annotations

import ast
import math
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from functools import cache

import sympy

from .errors import excerpt
from .numbers import check_number_text

__all__ = ["parse_expression", "parse_definition", "Definition", "ExpressionError", "ALLOWED_FUNCTIONS",
           "MAX_LENGTH", "MAX_DEPTH", "MAX_NODES", "MAX_POWER", "MAX_BITS", "MAX_DEGREE", "MAX_EXPANDED",
           "MAX_EXPANDED_TOTAL",
           "expression_size"]

ALLOWED_FUNCTIONS = ("min", "max", "exp", "log", "sqrt", "abs")

#: Most characters in one expression.
MAX_LENGTH = 2000

#: Deepest nesting of an expression: parenthesised sub-expressions, unary signs, powers and calls
#: each add a level; a flat sum or product (``a + b + c ...``) is one level however long it is.
#: Checked on the parsed syntax tree, without recursion, before anything is converted.
MAX_DEPTH = 100

#: Most syntax nodes (numbers, names, operations, calls) in one expression.
MAX_NODES = 2000

#: Largest exponent (in absolute value) of a power.
MAX_POWER = 64

#: Most bits in the numerator or denominator of any number an expression computes while it is
#: read: a literal, or a power of numbers such as ``9**64`` (203 bits). ``(9**64)**64`` is refused
#: from the bit lengths before it is computed.
MAX_BITS = 4096

#: Largest total power of the parameters in one expression (``x**64`` is 64, ``(x**64)**16`` is 1024,
#: ``x**64 * y**64`` is 128): bounds the size of the exact number a parameter value turns into.
MAX_DEGREE = 1024

#: Most parts (sympy nodes: numbers, symbols, operations) of an expression once its named definitions are
#: expanded: about 25 times the largest payoff of the bundled models written out in full, so a chain of
#: definitions that doubles at each step is refused long before it fills the memory.
MAX_EXPANDED = 2000

#: Most parts of all the payoffs and probabilities of one model file together once its definitions are expanded
#: (about 60 times the bundled models' largest total): a short payoff calling a large definition in every cell of a
#: large game is refused before it costs more than a file written out in full would.
MAX_EXPANDED_TOTAL = 100_000

_ADDITIVE = (ast.Add, ast.Sub)
_MULTIPLICATIVE = (ast.Mult, ast.Div)


class ExpressionError(ValueError):
    """An expression uses something outside the whitelist, or is past a limit (message says what).

    Attributes
    ----------
    fix : str or None
        What to do about it, when it is not the generic advice about the whitelist.

    unknown : str or None
        The unknown name, when that is the problem.
    """

    def __init__(self, message: str, fix: str | None = None, unknown: str | None = None) -> None:
        super().__init__(message)
        self.fix = fix
        self.unknown = unknown


_SMALLER = (f"write a smaller expression: at most {MAX_LENGTH} characters, {MAX_DEPTH} levels of nesting, "
            f"exponents up to {MAX_POWER}, numbers up to {MAX_BITS} bits")


@cache
def _functions():
    return {"min": sympy.Min, "max": sympy.Max, "exp": sympy.exp, "log": sympy.log,
            "sqrt": sympy.sqrt, "abs": sympy.Abs}


@dataclass(frozen=True)
class Definition:
    """A named definition of a model file, ready to be expanded (see :func:`parse_definition`).

    Attributes
    ----------
    name : str
        The name it is used by.
    args : tuple of str
        Its argument names (empty for a plain named expression).
    expression : str
        The expression as written.
    body : sympy.Expr
        The expression over the parameters and one ``sympy.Dummy`` per argument (:attr:`dummies`), its
        definitions already expanded.
    dummies : tuple of sympy.Dummy
        The arguments' stand-ins in :attr:`body` (they cannot clash with a parameter of the same name).
    degree : int
        An upper bound of the body's total power in the parameters and the arguments.
    base : int
        An upper bound of the body's total power in the parameters alone (the arguments counted as numbers).
    powers : tuple of int
        For each argument, an upper bound of its power in the body (the parameters counted as numbers). A use
        with arguments of total powers ``a_i`` has total power at most ``base + sum(powers[i] * a_i)``: every
        term's power is its parameters' part plus its arguments' part, and the largest of such sums is at most
        the sum of the largest parts.
    """

    name: str
    args: tuple
    expression: str
    body: object
    dummies: tuple
    degree: int
    base: int = 0
    powers: tuple = ()

    def expand(self, arguments: tuple = ()):
        """The body with *arguments* (sympy expressions) put in for the argument names."""
        if not self.args:
            return self.body
        return self.body.xreplace(dict(zip(self.dummies, arguments)))


def expression_size(expr, limit: int | None = None) -> int:
    """Parts of a sympy expression (nodes of its tree: numbers, symbols, operations), counted up to *limit* + 1.

    Examples
    --------
    >>> import sympy
    >>> expression_size(sympy.Symbol("a") + 1)
    3
    """
    count, stack = 0, [expr]
    while stack:
        count += 1
        if limit is not None and count > limit:
            break
        stack.extend(stack.pop().args)
    return count


def _check_expanded(expr, what: str) -> None:
    if expression_size(expr, MAX_EXPANDED) > MAX_EXPANDED:
        raise ExpressionError(f"{what} has more than {MAX_EXPANDED} parts once its definitions are expanded",
                              fix="use fewer or smaller definitions: an expression built from definitions may have "
                                  f"at most {MAX_EXPANDED} parts (sympy nodes) when written out")


def parse_definition(name: str, args: Iterable[str], text: str | int | float, parameters: Iterable[str],
                     definitions: Mapping[str, Definition] | None = None) -> Definition:
    """Parse the body of a named definition into a :class:`Definition`.

    Parameters
    ----------
    name : str
        The definition's name (checked by the caller).
    args : iterable of str
        Its argument names: they may be used in *text* and stand for what a call passes.
    text : str or number
        The expression.
    parameters : iterable of str
        The parameter names it may use.
    definitions : mapping of str to Definition, optional
        The earlier definitions it may use.

    Raises
    ------
    ExpressionError
        As :func:`parse_expression`; also when the body, expanded, has more than :data:`MAX_EXPANDED` parts.

    Examples
    --------
    >>> settle = parse_definition("settle", ["s", "h"], "s/(1 - d*(1 - h))", ["d"])
    >>> parse_expression("settle(1, r)", ["d", "r"], {"settle": settle})
    1/(-d*(1 - r) + 1)
    """
    args = tuple(args)
    dummies = tuple(sympy.Dummy(a) for a in args)
    parameters = tuple(parameters)
    local = dict(zip(args, dummies))
    body, degree = _parse(text, parameters, definitions or {}, local)
    _check_expanded(body, f"definition {name!r}")
    base, powers = degree, ()
    if args:  # the same walk with the arguments, then each argument alone, weighted 1 (others weighted 0)
        base = _parse(text, parameters, definitions or {}, local, {a: 0 for a in args})[1]
        powers = tuple(_parse(text, parameters, definitions or {}, local,
                              {None: 0, **{b: int(b == a) for b in args}})[1] for a in args)
    expression = text if isinstance(text, str) else repr(text)
    return Definition(name, args, expression.strip(), body, dummies, degree, base, powers)


def parse_expression(text: str | int | float, parameters: Iterable[str],
                     definitions: Mapping[str, Definition] | None = None) -> sympy.Expr:
    """Parse *text* into a sympy expression over the declared *parameters*.

    Parameters
    ----------
    text : str or number
        E.g. ``"(s_U + delta*rho*W_U)/(1 - delta*(1 - rho))"``. Decimal literals
        are read exactly (``0.1`` is 1/10).
    parameters : iterable of str
        The names that may appear.
    definitions : mapping of str to Definition, optional
        Named definitions that may appear (see :func:`parse_definition`), expanded in the result.

    Returns
    -------
    sympy.Expr

    Raises
    ------
    ExpressionError
        For syntax errors, unknown names, attribute access, calls of functions
        not in :data:`ALLOWED_FUNCTIONS`, or any other construct; for an expression
        longer than :data:`MAX_LENGTH`, nested deeper than :data:`MAX_DEPTH` or with more
        than :data:`MAX_NODES` nodes; for numbers past :data:`~gametheory_ukraine.core.numbers.MAX_DIGITS`
        or :data:`MAX_BITS`, and powers past :data:`MAX_POWER` or :data:`MAX_DEGREE`; for unknown definitions,
        calls with the wrong number of arguments, and expansions past :data:`MAX_EXPANDED` parts.

    Examples
    --------
    >>> parse_expression("(s + d*r*w)/(1 - d*(1 - r))", ["s", "d", "r", "w"])
    (d*r*w + s)/(-d*(1 - r) + 1)
    >>> parse_expression("__import__('os').system('true')", [])
    Traceback (most recent call last):
    ...
    gametheory_ukraine.core.expressions.ExpressionError: calls are limited to min, max, exp, log, sqrt, abs
    """
    return _parse(text, parameters, definitions or {}, {})[0]


def _parse(text, parameters: Iterable[str], definitions: Mapping[str, Definition], local: dict,
           weights: Mapping[str, int] | None = None):
    """(expression, degree bound) of *text*; *local* maps argument names to their stand-ins; *weights* gives a
    name's power other than 1 (0: counted as a number); its key None, the power of every other name and of a
    plain named definition's parameters (1 unless given)."""
    if isinstance(text, bool):
        raise ExpressionError("true/false is not a number")
    if isinstance(text, int):
        _check_int(text)
        return sympy.Integer(text), 0
    if isinstance(text, float):
        if not math.isfinite(text):
            raise ExpressionError(f"{text!r} is not a finite number")
        frac = Fraction(repr(text))
        return sympy.Rational(frac.numerator, frac.denominator), 0
    if not isinstance(text, str):
        raise ExpressionError(f"expected a number or an expression string, got {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"expression longer than {MAX_LENGTH} characters ({len(text)})", fix=_SMALLER)
    source = text.strip()
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError as exc:
        raise ExpressionError(f"not a valid expression ({exc.msg})") from None
    except (ValueError, RecursionError, MemoryError) as exc:
        raise ExpressionError(f"not a valid expression ({type(exc).__name__})") from None
    _check_shape(tree.body)
    names = set(parameters)
    symbols = {name: sympy.Symbol(name) for name in names}
    symbols.update(local)
    converter = _Converter(source, symbols, definitions, weights)
    result, degree = converter.convert(tree.body)
    if result.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo):
        raise ExpressionError(f"the expression is undefined ({excerpt(result, 200)}): a division by zero?")
    if converter.expanded:
        _check_expanded(result, "the expression")
    return result, degree


def _check_int(value: int) -> None:
    if value.bit_length() > MAX_BITS:
        raise ExpressionError(f"a number of {value.bit_length()} bits is larger than {MAX_BITS} bits",
                              fix=_SMALLER)


def _chain(node: ast.AST) -> tuple[list[ast.AST], list[ast.operator]]:
    """Operands of a flat sum or product whose top is *node*, and the operators joining them (``ops[k]`` stands
    before ``operands[k + 1]``), found without recursion."""
    group = _ADDITIVE if isinstance(node.op, _ADDITIVE) else _MULTIPLICATIVE
    operands, ops = [], []
    while isinstance(node, ast.BinOp) and isinstance(node.op, group):
        operands.append(node.right)
        ops.append(node.op)
        node = node.left
    operands.append(node)
    operands.reverse()
    ops.reverse()
    return operands, ops


def _check_shape(root: ast.AST) -> None:
    """Refuse an expression nested deeper than MAX_DEPTH or with more than MAX_NODES nodes (iteratively)."""
    stack = [(root, 1)]
    count = 0
    while stack:
        node, depth = stack.pop()
        count += 1
        if count > MAX_NODES:
            raise ExpressionError(f"expression has more than {MAX_NODES} parts", fix=_SMALLER)
        if depth > MAX_DEPTH:
            raise ExpressionError(f"expression is nested more than {MAX_DEPTH} levels deep", fix=_SMALLER)
        if isinstance(node, ast.BinOp) and isinstance(node.op, _ADDITIVE + _MULTIPLICATIVE):
            children = _chain(node)[0]
            count += len(children) - 2  # the chain's operations
        else:
            children = [c for c in ast.iter_child_nodes(node) if isinstance(c, ast.expr)]
        stack.extend((child, depth + 1) for child in children)


def _bits(number) -> int:
    """Bits of the numerator or denominator of a sympy Rational, whichever is larger."""
    return max(int(number.p).bit_length(), int(number.q).bit_length())


class _Converter:
    """ast -> sympy through the whitelist; returns (expression, degree in the parameters)."""

    def __init__(self, source: str, symbols: dict, definitions: Mapping[str, Definition] | None = None,
                 weights: Mapping[str, int] | None = None) -> None:
        self.source = source
        self.symbols = symbols
        self.definitions = definitions or {}
        self.weights = weights or {}
        self.unit = self.weights.get(None, 1)  # the power a parameter counts for
        self.expanded = False  # whether a definition was used (then the result's size is checked)

    def definition(self, node: ast.AST, name: str, args: list):
        """A use of the definition *name*: its expansion and the degree bound."""
        d = self.definitions[name]
        if len(args) != len(d.args):
            usage = f"{name}({', '.join(d.args)})" if d.args else name
            given = f"called with {len(args)} argument{'s' * (len(args) != 1)}" if isinstance(node, ast.Call) \
                else "used without arguments"
            raise ExpressionError(f"definition {name!r} takes {len(d.args)} argument{'s' * (len(d.args) != 1)}, "
                                  f"{given}", fix=f"write {usage}")
        converted = [self.convert(a) for a in args]
        self.expanded = True
        for value, _ in converted:
            # putting a number in computes its powers at once (a**64 with a = 9**64): bound them as a written power
            if value.is_Rational and _bits(value) * max(1, d.degree) > MAX_BITS:
                raise ExpressionError(f"{name}({excerpt(value)}, ...) would compute numbers of about "
                                      f"{_bits(value) * d.degree} bits, more than {MAX_BITS}", fix=_SMALLER)
        if d.args:
            degree = d.base * self.unit + sum(k * c[1] for k, c in zip(d.powers, converted))
        else:
            degree = d.degree * self.unit
        if degree > MAX_DEGREE:
            raise ExpressionError(f"the expression's total power of the parameters may exceed {MAX_DEGREE}",
                                  fix=_SMALLER)
        result = d.expand(tuple(c[0] for c in converted))
        _check_expanded(result, f"the use of {name!r}")
        return result, degree

    def literal(self, node: ast.Constant):
        value = node.value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ExpressionError(f"only numbers are allowed as constants, not {excerpt(repr(value))}")
        written = ast.get_source_segment(self.source, node) or repr(value)
        try:
            check_number_text(written)
        except ValueError as exc:
            raise ExpressionError(f"number {excerpt(written)} is too large: {exc}", fix=_SMALLER) from None
        if isinstance(value, int):
            _check_int(value)
            return sympy.Integer(value)
        mantissa = re.split("[eE]", written)[0]
        if math.isfinite(value) and (abs(value) >= sys.float_info.min or not re.search("[1-9]", mantissa)):
            frac = Fraction(repr(value))
        else:  # beyond the range of floats (1e999, 1e-999): read the digits as written, exactly
            frac = Fraction(written.replace("_", ""))
        return sympy.Rational(frac.numerator, frac.denominator)

    def convert(self, node: ast.AST):
        if isinstance(node, ast.Constant):
            return self.literal(node), 0
        if isinstance(node, ast.Name):
            if node.id in self.symbols:
                return self.symbols[node.id], self.weights.get(node.id, self.unit)
            if node.id in self.definitions:
                return self.definition(node, node.id, [])
            if node.id in ALLOWED_FUNCTIONS:
                raise ExpressionError(f"function {node.id!r} must be called, e.g. {node.id}(x)")
            known = excerpt(", ".join(sorted(self.symbols)) or "none", 200)
            defined = excerpt(", ".join(self.definitions), 200)
            raise ExpressionError(f"unknown name '{excerpt(node.id)}' (declared parameters: {known}"
                                  + (f"; definitions: {defined})" if defined else ")"), unknown=node.id)
        if isinstance(node, ast.BinOp) and isinstance(node.op, _ADDITIVE):
            operands, ops = _chain(node)
            first, degree = self.convert(operands[0])
            terms = [first]
            for op, operand in zip(ops, operands[1:]):
                value, deg = self.convert(operand)
                degree = max(degree, deg)
                terms.append(value if isinstance(op, ast.Add) else -value)
            return (terms[0] if len(terms) == 1 else sympy.Add(*terms)), degree
        if isinstance(node, ast.BinOp) and isinstance(node.op, _MULTIPLICATIVE):
            operands, ops = _chain(node)
            result, degree = self.convert(operands[0])
            for op, operand in zip(ops, operands[1:]):
                value, deg = self.convert(operand)
                degree += deg
                if degree > MAX_DEGREE:
                    raise ExpressionError(f"the product's total power of the parameters is larger than {MAX_DEGREE}",
                                          fix=_SMALLER)
                if isinstance(op, ast.Div):
                    if value == 0:
                        raise ExpressionError("division by zero")
                    result = result / value
                else:
                    result = result * value
                if result.is_Rational and _bits(result) > MAX_BITS:
                    raise ExpressionError(f"a product of more than {MAX_BITS} bits", fix=_SMALLER)
            return result, degree
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow):
            (left, ldeg), (right, _) = self.convert(node.left), self.convert(node.right)
            return self.power(left, ldeg, right), ldeg * math.ceil(abs(right))
        if isinstance(node, ast.BinOp):
            raise ExpressionError(f"operator {type(node.op).__name__} is not allowed (use + - * / **)")
        if isinstance(node, ast.UnaryOp):
            operand, degree = self.convert(node.operand)
            if isinstance(node.op, ast.USub):
                return -operand, degree
            if isinstance(node.op, ast.UAdd):
                return operand, degree
            raise ExpressionError(f"operator {type(node.op).__name__} is not allowed")
        if isinstance(node, ast.Call):
            if node.keywords:
                raise ExpressionError("keyword arguments are not allowed")
            if isinstance(node.func, ast.Name) and node.func.id in self.definitions:
                return self.definition(node, node.func.id, node.args)
            if not isinstance(node.func, ast.Name) or node.func.id not in ALLOWED_FUNCTIONS:
                if isinstance(node.func, ast.Name) and node.func.id in self.symbols:
                    raise ExpressionError(f"{excerpt(node.func.id)!r} is a parameter, not a function: it cannot be "
                                          "called")
                raise ExpressionError("calls are limited to " + ", ".join(ALLOWED_FUNCTIONS)
                                      + (" and the definitions with arguments" if self.definitions else ""),
                                      unknown=node.func.id if isinstance(node.func, ast.Name) else None)
            converted = [self.convert(a) for a in node.args]
            args = [c[0] for c in converted]
            degree = max((c[1] for c in converted), default=0)
            name = node.func.id
            if name in ("min", "max"):
                if len(args) < 2:
                    raise ExpressionError(f"{name}() needs at least two arguments")
            elif len(args) != 1:
                raise ExpressionError(f"{name}() takes exactly one argument")
            if name == "sqrt":
                return self.power(args[0], degree, _half()), degree
            return _functions()[name](*args), degree
        raise ExpressionError(f"{type(node).__name__} is not allowed in an expression "
                              "(only numbers, parameter names, + - * / ** and " + ", ".join(ALLOWED_FUNCTIONS) + ")")

    @staticmethod
    def power(left, ldeg: int, right):
        """``left ** right``, refused when the exponent, the number or the degree would be too large."""
        if not right.is_Number:
            raise ExpressionError("the exponent of a power must be a number (for a parameter exponent "
                                  "write exp(y*log(x)) instead of x**y)")
        if abs(right) > MAX_POWER:
            raise ExpressionError(f"exponent {excerpt(right)} of a power is larger than {MAX_POWER}", fix=_SMALLER)
        if not right.is_Rational:
            raise ExpressionError("the exponent of a power must be a rational number")
        if left.is_Rational and _bits(left) * abs(right) > MAX_BITS:
            raise ExpressionError(f"the power {excerpt(left)}**{right} would have about "
                                  f"{int(_bits(left) * abs(right))} bits, more than {MAX_BITS}", fix=_SMALLER)
        if ldeg * abs(right) > MAX_DEGREE:
            raise ExpressionError(f"the power's total power of the parameters is larger than {MAX_DEGREE}",
                                  fix=_SMALLER)
        return left ** right


def _half():
    return sympy.Rational(1, 2)
