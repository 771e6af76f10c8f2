"""Hostile model files, expressions and numbers: each ends in a result or one clean ``gtu:`` line,
quickly and within bounded memory -- never a hang, an internal error, or text that reaches the
terminal raw. The fuzz tests generate many such inputs from a fixed seed and run them in one batch."""

from __future__ import annotations

import json
import os
import random
import time
from fractions import Fraction

import pytest
import sympy
from bounded_gtu import assert_all_clean, run_gtu

from gametheory_ukraine.core import numbers as _numbers
from gametheory_ukraine.core.errors import GTUError, ModelFileError, excerpt
from gametheory_ukraine.core.expressions import MAX_DEPTH, ExpressionError, parse_expression
from gametheory_ukraine.modelling.model_file import load_model_file
from gametheory_ukraine.modelling.registry import load_model


def q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML; escapes included)."""
    return json.dumps(text)


def model_text(*, payoff="x", default="1", low="0", high="10", title="A game", player="Row", param="x",
               scenario_value=None, action="U", description="fine") -> str:
    scenario = "" if scenario_value is None else \
        f"scenarios:\n  s:\n    description: d\n    values: {{{param}: {scenario_value}}}\n"
    return f"""\
name: hostile
title: {title}
description: {description}
players: [{player}, Col]
parameters:
  {param}:
    symbol: x
    default: {default}
    low: {low}
    high: {high}
    description: a payoff
    source: hand-made
{scenario}forms:
  normal:
    actions:
      {player}: [{action}, D]
      Col: [L, R]
    payoffs:
      - play: {{{player}: {action}, Col: L}}
        payoffs: {{{player}: {payoff}, Col: 1}}
      - play: {{{player}: {action}, Col: R}}
        payoffs: {{{player}: 0, Col: 0}}
      - play: {{{player}: D, Col: L}}
        payoffs: {{{player}: 0, Col: 0}}
      - play: {{{player}: D, Col: R}}
        payoffs: {{{player}: 1, Col: 1}}
"""


def refused(path, *needles, seconds=5.0):
    """Load *path*; assert a clean GTUError quickly whose message contains every needle."""
    start = time.perf_counter()
    with pytest.raises(GTUError) as info:
        load_model(str(path))
    assert time.perf_counter() - start < seconds
    text = str(info.value)
    assert len(text) < 600, text
    for needle in needles:
        assert needle in text, text
    return text


# ------------------------------------------------------------------ 1. bounded expressions
@pytest.mark.parametrize("payoff", ["((((9**64)**64)**64)**64)**64", "((((x**64)**64)**64)**64)**64",
                                    "(2**64)**(64)", "x**64**64"])
def test_huge_powers_are_refused_before_they_are_computed(write_model, payoff):
    path = write_model(model_text(payoff=q(payoff)))
    refused(path, str(path), "forms.normal.payoffs[0].payoffs.Row", "power")


def test_long_sums_are_built_and_deep_nesting_refused():
    terms = "+".join(["x"] * 999)
    start = time.perf_counter()
    assert parse_expression(terms, ["x"]) == 999 * sympy.Symbol("x")
    assert parse_expression("*".join(["2"] * 600), []) == 2**600
    assert time.perf_counter() - start < 5
    for text in ["-" * 1999 + "1", "(1+" * 150 + "1" + ")" * 150, "-(" * 190 + "1" + ")" * 190,
                 "min(" * 250 + "1" + ",1)" * 250]:
        with pytest.raises(ExpressionError, match="nested"):
            parse_expression(text, [])
    assert MAX_DEPTH < 200


def test_literals_out_of_float_range_are_read_exactly_or_refused(write_model):
    assert parse_expression("1e-999", []) == sympy.Rational(1, 10**999)
    assert parse_expression("2.5e-400*x", ["x"]) == sympy.Rational(25, 10**401) * sympy.Symbol("x")
    for text in ["1e99999", "1" * 1999, "inf", "nan"]:
        with pytest.raises(ExpressionError):
            parse_expression(text, [])
    # a literal too large for a float is exact, but a payoff that cannot be a float is refused at load
    refused(write_model(model_text(payoff="1e999")), "not finite")
    for default in [".inf", "-.inf", ".nan", "1.0e999", "1.0e-999", "1" * 5000]:
        refused(write_model(model_text(default=default)), "line 8")
    for value in ["1e999999999", "1e-999999999", "1" * 5000, "1/" + "3" * 5000]:
        with pytest.raises(ValueError, match="digits|exponent"):
            _numbers.to_exact(value)
    assert _numbers.to_exact("1e-999") == Fraction(1, 10**999)
    assert _numbers.to_exact("0.05") == Fraction(1, 20)


def test_command_line_numbers_go_through_the_same_checks(tmp_path):
    cases = [{"argv": ["solve", "chain-store", "-p", f"c_I={v}"]}
             for v in ["1e999999999", "1e-999999999", "9" * 100_000, "1/" + "3" * 5000]]
    outcomes = run_gtu(cases, seconds=10)
    assert_all_clean(outcomes, seconds=3)
    for o in outcomes:
        assert o.status == 2 and "c_I=" in o.stderr and len(o.stderr) < 400, o.describe()


# ------------------------------------------------------------------ 2. real and finite values
@pytest.mark.parametrize(("payoff", "default", "low", "scenario", "needle"), [
    ("log(x)", "-1", "-2", None, "x=-1"),
    ("sqrt(x)", "1", "-2", "-1", "x=-1"),
    ("1/(x - 1)", "1", "0", None, "x=1"),
    ("exp(x)", "1000", "0", None, "x=1000"),
])
def test_values_must_be_real_and_finite_at_defaults_and_scenarios(write_model, payoff, default, low, scenario,
                                                                   needle):
    path = write_model(model_text(payoff=q(payoff), default=q(default), low=q(low), high="10000",
                                  scenario_value=scenario))
    text = refused(path, str(path), "forms.normal", needle)
    assert "Row" in text


# ------------------------------------------------------------------ 3. files that are not regular
def test_files_that_are_not_regular_are_refused_before_reading(tmp_path):
    (tmp_path / "zero.yaml").symlink_to("/dev/zero")
    (tmp_path / "rand.nfg").symlink_to("/dev/urandom")
    os.mkfifo(tmp_path / "x.yaml")
    (tmp_path / "dir.yaml").mkdir()
    cases = [{"argv": ["show", str(p)]} for p in ["/dev/zero", "/dev/urandom", tmp_path / "x.yaml",
                                                  tmp_path / "zero.yaml", tmp_path / "rand.nfg",
                                                  tmp_path / "dir.yaml"]]
    outcomes = run_gtu(cases, seconds=10, memory=512 * 1024**2)
    assert_all_clean(outcomes, seconds=3)
    for o in outcomes:
        assert o.status == 2 and "not a regular file" in o.stderr, o.describe()


def test_a_file_that_grows_is_never_read_past_the_limit(tmp_path, monkeypatch):
    from gametheory_ukraine.modelling import registry

    path = tmp_path / "big.yaml"
    path.write_bytes(b"#" * 1000)
    with pytest.raises(ModelFileError, match="larger than 100 bytes"):
        registry.read_model_bytes(path, 100)
    assert registry.read_model_bytes(path, 1000) == b"#" * 1000


# ------------------------------------------------------------------ 4. deep YAML, odd names, trees
def test_deeply_nested_yaml_is_refused(write_model):
    for nested in ["[" * 500 + "]" * 500, "{a: " * 500 + "1" + "}" * 500]:
        refused(write_model(model_text(description=nested)), "nested more than")


@pytest.mark.parametrize("field", ["player", "param", "title", "action"])
def test_surrogates_are_refused(write_model, field):
    path = write_model(model_text(**{field: q("p\udcff")}))
    text = refused(path, str(path), "U+DCFF")
    text.encode("utf-8")  # the message itself can be printed


def test_invalid_utf8_is_refused(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_bytes(model_text().encode() + b"notes: \xff\xfe\n")
    refused(path, "UTF-8")


def test_an_unreachable_cycle_is_refused(write_model):
    text = """\
name: cyc
title: t
players: [A]
forms:
  sequential:
    root: r
    nodes:
      r: {payoffs: {A: 1}}
      a: {player: A, actions: {go: b}}
      b: {player: A, actions: {back: a}}
"""
    refused(write_model(text), "forms.sequential", "never reached from the root")


def test_a_very_deep_tree_is_refused(write_model):
    lines = ["name: deep", "title: t", "players: [A]", "forms:", "  sequential:", "    root: n0", "    nodes:"]
    depth = 3000
    lines += [f"      n{i}: {{player: A, actions: {{go: n{i + 1}}}}}" for i in range(depth)]
    lines.append(f"      n{depth}: {{payoffs: {{A: 1}}}}")
    refused(write_model("\n".join(lines) + "\n"), "forms.sequential", "deeper than")


# ------------------------------------------------------------------ 5. safe text
@pytest.mark.parametrize("field", ["title", "player", "action", "description"])
@pytest.mark.parametrize("bad", ["\x1b[31mred", "nul\x00", "osc\x1b]0;pwned\x07", "c1\x9b2J", "del\x7f"])
def test_control_characters_in_a_model_file_are_refused(write_model, field, bad):
    path = write_model(model_text(**{field: q(bad)}))
    text = refused(path, str(path), "control character")
    assert not any(ord(c) < 32 or 0x7f <= ord(c) < 0xa0 for c in text), repr(text)


def test_newlines_in_a_name_are_refused_but_prose_may_have_them(write_model):
    assert load_model_file(write_model(model_text(description=q("two\nlines\tand a tab")))).description
    refused(write_model(model_text(player=q("Ro\nw"))), "players", "line break")


def test_excerpt_elides_and_escapes():
    assert excerpt("short") == "short"
    long = excerpt("a" * 50 + "b" * 100_000 + "c" * 50)
    assert len(long) <= 60 and long.startswith("a") and long.endswith("c") and "…" in long
    assert "\x1b" not in excerpt("\x1b[2J\x00\x9b") and "\\x1b" in excerpt("\x1b[2J")
    assert "\udcff" not in excerpt("\udcff")


def test_errors_quote_a_short_excerpt_of_a_long_input(write_model, tmp_path):
    long_expr = "+".join(["x"] * 30_000) + "+y"
    path = write_model(model_text(payoff=q(long_expr)))
    text = refused(path, "forms.normal.payoffs[0].payoffs.Row")
    assert len(text) < 400
    outcomes = run_gtu([{"argv": ["solve", "chain-store", "-p", "c_I=" + "x" * 100_000]},
                        {"argv": ["solve", str(path)]}], seconds=10)
    assert_all_clean(outcomes, seconds=3)
    assert all(len(o.stderr) < 400 for o in outcomes), [o.describe() for o in outcomes]


# ------------------------------------------------------------------ 6. fuzzing
_PIECES = ["x", "1", "0", "9", "64", "1e999", "1e-999", "1.5e308", "0.1", "inf", "nan", "j", "1j", "x.y",
           "__import__", "min", "max", "exp", "log", "sqrt", "abs", "lambda", "ρ", "\x1b[0m", "\x00", "\udcff",
           "'s'", "[1]", "{}", "...", "@", "**", "*", "/", "-", "+", "(", ")", ",", " ", "//", "%", "<", "not "]


def _hostile_expression(rng: random.Random) -> str:
    kind = rng.randrange(8)
    if kind == 0:  # deep nesting of one construct
        n = rng.choice([50, 150, 400, 1000])
        form = rng.choice(["({})", "-{}", "-({})", "min({},1)", "exp({})", "({})**2", "log({}+1)"])
        text = "x"
        for _ in range(n):
            text = form.format(text)
        return text[:5000]
    if kind == 1:  # towers of powers
        base = rng.choice(["9", "x", "2", "0.5", "(x+1)", "10**300", "1e300"])
        return base + "".join(rng.choice(["**64", "**2", "**-64", "**(1/3)", "**0.5"])
                              for _ in range(rng.randrange(1, 7)))
    if kind == 2:  # long sums and products
        op = rng.choice(["+", "*", "-", "/", "**"])
        return op.join([rng.choice(["x", "1", "2", "9**64", "0.5"])] * rng.choice([10, 500, 999, 1500]))
    if kind == 3:  # weird literals
        return rng.choice(["1e999", "-1e999", "1e-999", "1" * rng.choice([10, 400, 1999, 4400]), "0x1f", "1_000",
                           "1e99999", "0.0000001e-400", ".5e-320", "1/0", "0/0", "x/0", "0**-1", "(-8)**(1/3)"])
    if kind == 4:  # functions at bad points
        return rng.choice(["log(-x)", "sqrt(-x)", "log(0)", "exp(1e300)", "exp(exp(exp(x)))", "1/(x-1)",
                           "log(x-1)", "abs(-x)**0.5", "max(x)", "min()", "log(x, 2)", "sqrt(x=1)"])
    # random soup of pieces
    return "".join(rng.choice(_PIECES) for _ in range(rng.randrange(1, 40)))


def tree_text(probability: str, payoff: str = "1") -> str:
    """A one-player tree whose chance node has *probability* and its complement."""
    return f"""\
name: c
title: t
players: [A]
parameters:
  x: {{default: 1/2, low: 0, high: 1, description: d, source: s}}
forms:
  sequential:
    root: r
    nodes:
      r: {{chance: {{h: {{probability: {q(probability)}, next: s}},
                   t: {{probability: {q('1 - (' + probability + ')')}, next: u}}}}}}
      s: {{payoffs: {{A: {q(payoff)}}}}}
      u: {{payoffs: {{A: 1}}}}
"""


def test_bad_chance_probabilities_are_refused_with_a_short_message(write_model):
    refused(write_model(tree_text("0**-1")), "undefined")
    text = refused(write_model(tree_text("1" * 400)), "forms.sequential", "outside [0, 1]")
    assert "…" in text


def _hostile_yaml(rng: random.Random) -> str:
    kind = rng.randrange(11)
    if kind == 10:
        expr = _hostile_expression(rng)
        return tree_text(expr, rng.choice([expr, "1"]))
    if kind == 0:
        n = rng.choice([100, 500, 3000])
        return model_text(description=rng.choice(["[" * n + "]" * n, "{a: " * n + "1" + "}" * n]))
    if kind == 1:
        return model_text(description="&a [1, 2]", title="*a") if rng.random() < 0.5 else \
            model_text(title=rng.choice(["!!python/object:os.system x", "!custom t", "!!binary aGk=", "!!set {a}",
                                         "!!timestamp 2025-01-01", "!!omap [a: 1]"]))
    if kind == 2:
        return model_text(default=rng.choice(["1" * 5000, "-" + "9" * 4400, "0x" + "f" * 5000, "1e" + "9" * 20,
                                              q("1e" + "9" * 20), q("1/" + "7" * 3000)]))
    if kind == 3:
        return model_text(default=rng.choice([".inf", ".nan", "-.inf", "1.0e999", "1.0e-999", ".NaN"]),
                          low=rng.choice(["-.inf", "0"]), high=rng.choice([".inf", "10"]))
    if kind == 4:
        return model_text(default=rng.choice(["[1]", "{a: 1}", "yes", "null", "''", "2025-01-01", "x"]),
                          player=rng.choice(["Row", "[Row]", "1", "null", "Col"]))
    if kind == 5:  # duplicate keys
        return model_text() + rng.choice(["name: again\n", "title: again\n", "forms: {}\n"])
    if kind == 6:  # cycles and odd trees
        nodes = rng.choice([
            "r: {player: A, actions: {a: r}}",
            "r: {payoffs: {A: 1}}\n      a: {player: A, actions: {go: b}}\n      b: {player: A, actions: {go: a}}",
            "r: {player: A, actions: {a: s, b: s}}\n      s: {payoffs: {A: 1}}",
            "r: {chance: {h: {probability: 2, next: s}, t: {probability: -1, next: u}}}\n"
            "      s: {payoffs: {A: 1}}\n      u: {payoffs: {A: 1}}",
            "r: {player: A, actions: {a: s}, infoset: [1]}\n      s: {payoffs: {A: log(-1)}}",
        ])
        return f"name: c\ntitle: t\nplayers: [A]\nforms:\n  sequential:\n    root: r\n    nodes:\n      {nodes}\n"
    if kind == 7:  # control characters and unicode anywhere
        bad = rng.choice(["\x1b[31m", "\x00", "\x07", "\x9b", "\x7f", "\udcff", "\u202e", "\r", "\n", "ρ", "\ufeff"])
        field = rng.choice(["title", "player", "action", "description", "param"])
        value = q("a" + bad + "b")
        return model_text(**{field: value})
    if kind == 8:  # hostile expressions as payoffs, defaults and scenario values
        expr = q(_hostile_expression(rng))
        where = rng.choice(["payoff", "default", "scenario_value"])
        return model_text(**{where: expr, "high": "10**6"})
    return rng.choice(["", "- 1\n", "name: [\n", "\t\tname: x\n", "a: b: c\n", "? [a]\n: 1\n", "%YAML 9.9\n---\n",
                       "--- !!map\n? !!str a\n", "*alias\n", "'" * 1000])


def _write_cases(tmp_path, texts, extra_args):
    cases = []
    for i, text in enumerate(texts):
        path = tmp_path / f"case{i}.yaml"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        for args in extra_args:
            cases.append({"argv": [args[0], str(path), *args[1:]]})
    return cases


def test_fuzz_hostile_expressions(tmp_path):
    rng = random.Random(20251203)
    texts = [model_text(payoff=q(_hostile_expression(rng)), high="1000000") for _ in range(120)]
    outcomes = run_gtu(_write_cases(tmp_path, texts, [("show",)]), seconds=20)
    assert_all_clean(outcomes, seconds=5)


def test_fuzz_hostile_yaml(tmp_path):
    rng = random.Random(1303)
    texts = [_hostile_yaml(rng) for _ in range(120)]
    outcomes = run_gtu(_write_cases(tmp_path, texts, [("show",), ("solve", "--format", "json")])[:200],
                       seconds=20)
    assert_all_clean(outcomes, seconds=5)


def _hostile_number(rng: random.Random) -> str:
    digits = "".join(rng.choice("0123456789") for _ in range(rng.choice([1, 5, 40, 1001, 5000])))
    return rng.choice([
        digits, "-" + digits, "1/" + digits, digits + "/0", "0." + digits, f"1e{rng.choice(['', '-'])}{digits}",
        f"{digits}e{rng.randrange(-1500, 1500)}", "inf", "nan", "-inf", "1e", "e5", "1/2/3", "0x10", "1_000",
        "١٢", "\x1b[2J", "\x00", "\udcff", "1 2", " ", "9" * 100_000, "(1)", "2**10", "1j", "--1", "+-1", ".",
    ])


def test_fuzz_command_line_numbers():
    rng = random.Random(4242)
    cases = []
    for _ in range(80):
        command = rng.choice([["solve", "chain-store"], ["solve", "chain-store", "--form", "sequential"],
                              ["solve", "chain-store", "--form", "normal"]])
        cases.append({"argv": [*command, "-p", "c_I=" + _hostile_number(rng)]})
    outcomes = run_gtu(cases, seconds=20)
    assert_all_clean(outcomes, seconds=5)
    assert all(len(o.stderr) < 500 for o in outcomes), [o.describe() for o in outcomes if len(o.stderr) >= 500]
