"""The expression whitelist: what parses, what is refused, and that nothing is ever executed."""

from __future__ import annotations

from fractions import Fraction

import pytest
import sympy

from gametheory_ukraine.core.expressions import ExpressionError, parse_expression

P = ["s_U", "delta", "rho", "W_U", "a"]


def test_settlement_value_parses_to_the_hand_formula():
    expr = parse_expression("(s_U + delta*rho*W_U)/(1 - delta*(1 - rho))", P)
    s, d, r, w = sympy.symbols("s_U delta rho W_U")
    assert sympy.simplify(expr - (s + d * r * w) / (1 - d * (1 - r))) == 0
    # at s=1/2, delta=9/10, rho=1/20, W=0: 0.5 / (1 - 0.9*0.95) = 0.5/0.145 = 100/29
    val = expr.subs({s: sympy.Rational(1, 2), d: sympy.Rational(9, 10), r: sympy.Rational(1, 20), w: 0})
    assert val == sympy.Rational(100, 29)


def test_decimals_are_exact():
    assert parse_expression("0.1 + 0.2", []) == sympy.Rational(3, 10)
    assert parse_expression(0.05, []) == sympy.Rational(1, 20)
    assert parse_expression(3, []) == 3


@pytest.mark.parametrize("text, expected", [
    ("min(a, 1)", sympy.Min(sympy.Symbol("a"), 1)),
    ("max(a, 0, 2)", sympy.Max(sympy.Symbol("a"), 2)),
    ("sqrt(4)", 2),
    ("abs(-a)", sympy.Abs(sympy.Symbol("a"))),
    ("-a**2", -sympy.Symbol("a") ** 2),
    ("exp(0) + log(1)", 1),
])
def test_whitelisted_functions(text, expected):
    assert sympy.simplify(parse_expression(text, P) - expected) == 0


@pytest.mark.parametrize("text, fragment", [
    ("__import__('os').system('echo hacked')", "calls are limited"),
    ("a.__class__", "Attribute is not allowed"),
    ("[a, 1]", "List is not allowed"),
    ("lambda: 1", "Lambda is not allowed"),
    ("'text'", "only numbers"),
    ("b + 1", "unknown name 'b'"),
    ("a if a else 1", "IfExp is not allowed"),
    ("a < 1", "Compare is not allowed"),
    ("a // 2", "FloorDiv is not allowed"),
    ("a % 2", "Mod is not allowed"),
    ("eval('1')", "calls are limited"),
    ("sqrt(a, 1)", "exactly one argument"),
    ("min(a)", "at least two"),
    ("1 +", "not a valid expression"),
    ("a / 0", "division by zero"),
    ("2 ** 1000", "exponent"),
    ("True", "only numbers"),
    ("sqrt", "must be called"),
    ("(a := 3)", "NamedExpr is not allowed"),
])
def test_refused(text, fragment):
    with pytest.raises(ExpressionError, match=fragment.replace("(", r"\(")):
        parse_expression(text, P)


def test_code_in_an_expression_is_never_run(tmp_path):
    marker = tmp_path / "pwned"
    payload = f"__import__('pathlib').Path({str(marker)!r}).touch()"
    with pytest.raises(ExpressionError):
        parse_expression(payload, P)
    assert not marker.exists()


def test_non_string_non_number_refused():
    with pytest.raises(ExpressionError):
        parse_expression(True, P)
    with pytest.raises(ExpressionError):
        parse_expression([1], P)  # type: ignore[arg-type]


def test_fraction_consistency():
    # 1/3 stays exact through the parser
    assert parse_expression("1/3", []) == sympy.Rational(1, 3)
    assert Fraction(1, 3) == Fraction(int(parse_expression("1/3", []).p), int(parse_expression("1/3", []).q))


def test_a_definitions_power_bound_adds_up_its_arguments_powers():
    """A use of a definition counts its power in the parameters plus each argument's power times the argument's
    own, an upper bound: four nested affine definitions with a rational coefficient (the micro-deals model's
    holding phases) load, and a power that truly grows past MAX_DEGREE is still refused."""
    from gametheory_ukraine.core.expressions import MAX_DEGREE, parse_definition

    names = ["d", "e", "h", "w"]
    defs = {"D": parse_definition("D", [], "d*e/(1 - d*(1 - e/h))", names)}
    defs["hold"] = parse_definition("hold", ["v", "x"], "(1 - D)*(w + v/(1 - d)) + D*x", names, defs)
    assert defs["hold"].powers == (1, 1) and defs["hold"].base < defs["hold"].degree
    expr = parse_expression("hold(w, hold(w, hold(w, hold(w, w))))", names, defs)
    assert expr.free_symbols == {sympy.Symbol(n) for n in names}
    defs["sq"] = parse_definition("sq", ["x"], "x**32", names)
    assert defs["sq"].powers == (32,)
    assert parse_expression("sq(sq(d))", names, defs) == sympy.Symbol("d") ** MAX_DEGREE     # 32 * 32
    with pytest.raises(ExpressionError, match=f"total power of the parameters may exceed {MAX_DEGREE}"):
        parse_expression("sq(sq(d*e))", names, defs)                        # 2 * 32 * 32
