"""Calibration files (``include:``) and named definitions (``define:``) in model files: where an include is
looked up, what a model inherits, overrides, scenario merging, dropping unused shared parameters, cycles and
depth, definitions with and without arguments, each refusal (file, line, fix), and that a model written with
definitions has exactly the payoffs of the same model written out in full."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest
import sympy
from bounded_gtu import assert_all_clean, run_gtu

import gametheory_ukraine as gtu
from gametheory_ukraine.cli import main
from gametheory_ukraine.core.errors import ModelFileError
from gametheory_ukraine.core.expressions import (
    MAX_EXPANDED,
    MAX_EXPANDED_TOTAL,
    ExpressionError,
    expression_size,
    parse_definition,
    parse_expression,
)
from gametheory_ukraine.modelling import model_file

CAL = """\
calibration: cal
title: Shared numbers
units: one period is one year
parameters:
  delta: {symbol: "\\\\delta", default: 0.9, low: 0.5, high: 0.99, description: discount factor, source: "Test (2025)"}
  p: {default: 0.6, low: 0, high: 1, description: Russia's odds, source: "Test (2025)"}
  c_R: {default: 0.1, low: 0, high: 0.5, description: Russia's war cost, source: "Test (2025)"}
  unused: {default: 1, low: 0, high: 2, description: a parameter no model below uses, source: "Test (2025)"}
define:
  W_R: (p - c_R)/(1 - delta)
  "settle(s, h, W)": (s + delta*h*W)/(1 - delta*(1 - h))
scenarios:
  istanbul-2: {description: "Istanbul, second round", values: {p: 0.7, unused: 2}}
  calm: {description: "a quiet year", values: {c_R: 0.05}}
"""


def model(include="cal", parameters="", define="", scenarios="", payoff_a="V", payoff_b="W_R", extra=""):
    """A two-outcome model including *include*, with the given extra blocks (YAML text, indented by the caller)."""
    text = f"""\
name: m
title: M
include: {include}
players: [A, B]
parameters:
  rho: {{default: 0.1, low: 0, high: 1, description: relapse hazard, source: "Test (2025)"}}
{parameters}define:
  V: settle(0.5, rho, W_R)
{define}scenarios:
  own: {{description: "this model's own", values: {{rho: 0.3}}}}
{scenarios}forms:
  normal:
    actions: {{A: [x, y], B: [z]}}
    payoffs:
      - play: {{A: x, B: z}}
        payoffs: {{A: "{payoff_a}", B: 0}}
      - play: {{A: y, B: z}}
        payoffs: {{A: "{payoff_b}", B: 1}}
{extra}"""
    return text


@pytest.fixture
def folder(tmp_path):
    """A folder holding the calibration file cal.yaml; write(name, text) adds a file and returns its path."""

    def write(name, text):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    write("cal.yaml", CAL)
    write.dir = tmp_path
    return write


def refused(path, *needles):
    with pytest.raises(ModelFileError) as info:
        gtu.load_model(str(path))
    text = str(info.value)
    assert "\n" not in text and "(fix: " in text, text
    for needle in needles:
        assert needle in text, text
    return text


def sym(*names):
    return sympy.symbols(names)


# ------------------------------------------------------------------ inheriting from a calibration
def test_a_model_gets_the_shared_parameters_definitions_and_scenarios(folder):
    m = gtu.load_model(str(folder("m.yaml", model())))
    delta, p, c_R, rho = sym("delta", "p", "c_R", "rho")
    war = (p - c_R) / (1 - delta)
    assert sympy.simplify(m.symbolic().payoffs[0][0, 0] - (Fraction(1, 2) + delta * rho * war)
                          / (1 - delta * (1 - rho))) == 0
    assert sympy.simplify(m.symbolic().payoffs[0][1, 0] - war) == 0
    # shared parameters the payoffs use come first, in the calibration's order; 'unused' is dropped
    assert list(m.parameters) == ["delta", "p", "c_R", "rho"]
    assert m.parameters["delta"].default == Fraction(9, 10) and m.parameters["delta"].symbol == "\\delta"
    assert dict(m.meta["shared_from"]) == {"delta": "cal", "p": "cal", "c_R": "cal", "rho": None}
    assert m.meta["includes"] == ("cal",)
    # the shared scenario comes with its description and its values (the dropped parameter's removed)
    assert m.scenarios["istanbul-2"].description == "Istanbul, second round"
    assert dict(m.scenarios["istanbul-2"].values) == {"p": Fraction(7, 10)}
    assert dict(m.scenarios["own"].values) == {"rho": Fraction(3, 10)}
    assert [d["name"] for d in m.meta["definitions"]] == ["W_R", "settle", "V"]
    assert m.meta["definitions"][1]["args"] == ("s", "h", "W")
    assert m.meta["definitions"][2]["shared_from"] is None
    # the game at a point equals the formula computed by hand: V = (1/2 + .9*.1*5)/(1 - .9*.9) at the defaults
    game = m.game("normal")
    assert game.payoffs[0][0, 0] == (Fraction(1, 2) + Fraction(9, 10) * Fraction(1, 10) * 5) / (1 - Fraction(81, 100))
    assert m.game("normal", "istanbul-2").payoffs[0][1, 0] == Fraction(6, 10) / Fraction(1, 10)


def test_a_shared_parameter_used_only_through_a_definition_of_the_model_is_kept(folder):
    path = folder("m.yaml", model(define="  U: unused*2\n", payoff_a="U + V"))
    assert "unused" in gtu.load_model(str(path)).parameters
    # a definition of the model's own keeps its parameters even when no payoff calls it
    path = folder("m2.yaml", model(define="  U: unused*2\n").replace("name: m", "name: m2"))
    assert "unused" in gtu.load_model(str(path)).parameters


def test_includes_resolve_beside_the_file_then_in_the_bundled_folder(tmp_path, monkeypatch):
    bundled, mine = tmp_path / "bundled", tmp_path / "mine"
    bundled.mkdir()
    mine.mkdir()
    (bundled / "cal.yaml").write_text(CAL, encoding="utf-8")
    monkeypatch.setattr(model_file, "bundled_models_dir", lambda: bundled)
    (mine / "m.yaml").write_text(model(), encoding="utf-8")
    assert gtu.load_model(str(mine / "m.yaml")).parameters["p"].default == Fraction(6, 10)
    # a file beside the model wins over the bundled one
    (mine / "cal.yaml").write_text(CAL.replace("default: 0.6", "default: 0.5"), encoding="utf-8")
    assert gtu.load_model(str(mine / "m.yaml")).parameters["p"].default == Fraction(1, 2)


@pytest.mark.parametrize("include", ["../cal", "/etc/passwd", "cal.yaml", "https://example.org/cal",
                                     "Cal", "[cal, ./cal]", "{a: 1}", "[]"])
def test_an_include_is_a_bare_name_never_a_path_or_url(folder, include):
    text = refused(folder("m.yaml", model(include=include)), "m.yaml", "line 3 (include)")
    assert "calibration name" in text


def test_a_missing_calibration_is_named(folder):
    refused(folder("m.yaml", model(include="nowhere")), "m.yaml: line 3 (include)",
            "no calibration file 'nowhere.yaml'")


def test_only_calibration_files_can_be_included(folder):
    folder("other.yaml", model().replace("name: m", "name: other").replace("include: cal\n", ""))
    refused(folder("m.yaml", model(include="[cal, other]")), "m.yaml: line 3", "is a model file",
            "calibration: NAME")


def test_a_calibration_is_named_like_its_file(folder):
    folder("cal.yaml", CAL.replace("calibration: cal", "calibration: other"))
    refused(folder("m.yaml", model()), "cal.yaml: line 1 (calibration)", "write 'calibration: cal'")


def test_an_error_in_an_included_file_names_that_file_and_its_line(folder):
    folder("cal.yaml", CAL.replace("low: 0, high: 0.5", "low: 0.6, high: 0.5"))
    text = refused(folder("m.yaml", model()), "cal.yaml: line 7 (parameters.c_R.low)", "greater than high")
    assert "m.yaml" not in text
    folder("cal.yaml", CAL.replace("(p - c_R)", "(p - c_X)"))
    refused(folder("m.yaml", model()), "cal.yaml: line 10 (define.W_R)", "unknown name 'c_X'")


# ------------------------------------------------------------------ overrides
def test_redeclaring_a_shared_parameter_needs_an_override_naming_both_files(folder):
    path = folder("m.yaml", model(parameters="  p: {default: 0.5, low: 0, high: 1, description: odds, "
                                             "source: mine}\n"))
    text = refused(path, "m.yaml: line 7 (parameters.p)", "already declared in calibration 'cal'", "override")
    assert str(folder.dir / "cal.yaml") in text


def test_an_override_replaces_the_fields_it_gives_and_is_shown(folder):
    path = folder("m.yaml", model(parameters="  p: {override: \"a weaker Russia here\", default: 0.5, low: 0.2}\n"))
    m = gtu.load_model(str(path))
    p = m.parameters["p"]
    assert (p.default, p.low, p.high, p.description) == (Fraction(1, 2), Fraction(1, 5), 1, "Russia's odds")
    assert m.meta["shared_from"]["p"] == "cal"
    assert [dict(o) for o in m.meta["overrides"]] == [{"parameter": "p", "reason": "a weaker Russia here",
                                                       "by": "m"}]


def test_override_refusals(folder):
    refused(folder("m.yaml", model(parameters="  p: {override: \"\"}\n")), "line 7 (parameters.p.override)",
            "reason is empty")
    refused(folder("m.yaml", model(parameters="  p: {override: why, default: 2}\n")), "line 7 (parameters.p.default)",
            "outside [low, high]")
    refused(folder("m.yaml", model(parameters="  q: {override: why, default: 1, low: 0, high: 1, description: d, "
                                              "source: s}\n")),
            "line 7 (parameters.q.override)", "nothing to override")
    # narrowing a shared range so that a shared scenario's value falls outside it
    refused(folder("m.yaml", model(parameters="  p: {override: why, high: 0.65}\n")), "line 7 (parameters.p)",
            "scenario 'istanbul-2' sets p=0.7, outside the range [0, 0.65]", "override")


# ------------------------------------------------------------------ scenarios
def test_a_model_adds_its_own_values_to_a_shared_scenario(folder):
    m = gtu.load_model(str(folder("m.yaml", model(scenarios="  istanbul-2: {values: {rho: 0.2}}\n"))))
    sc = m.scenarios["istanbul-2"]
    assert sc.description == "Istanbul, second round"
    assert dict(sc.values) == {"p": Fraction(7, 10), "rho": Fraction(1, 5)}
    assert m.values("istanbul-2")["rho"] == Fraction(1, 5) and m.values("calm")["rho"] == Fraction(1, 10)


def test_a_shared_value_in_a_shared_scenario_needs_an_override(folder):
    path = folder("m.yaml", model(scenarios="  istanbul-2: {values: {p: 0.65}}\n"))
    refused(path, "m.yaml: line 11 (scenarios.istanbul-2.values.p)", "shared parameter 'p'", "override")
    path = folder("m.yaml", model(scenarios="  istanbul-2: {override: \"our reading\", values: {p: 0.65}}\n"))
    m = gtu.load_model(str(path))
    assert m.scenarios["istanbul-2"].values["p"] == Fraction(13, 20)
    assert [dict(o) for o in m.meta["overrides"]] == [{"scenario": "istanbul-2", "reason": "our reading", "by": "m"}]
    refused(folder("m.yaml", model(scenarios="  istanbul-2: {override: why, values: {rho: 0.2}}\n")),
            "line 11 (scenarios.istanbul-2.override)", "nothing to override")
    refused(folder("m.yaml", model(scenarios="  new: {values: {rho: 0.2}}\n")), "line 11 (scenarios.new)",
            "missing key 'description'")


# ------------------------------------------------------------------ cycles, depth, budget
def _calibration(name, include=None, param=None):
    lines = [f"calibration: {name}"]
    if include:
        lines.append(f"include: {include}")
    if param:
        lines.append(f"parameters:\n  {param}: {{default: 1, low: 0, high: 2, description: d, source: s}}")
    return "\n".join(lines) + "\n"


def test_include_cycles_are_refused_with_the_chain(folder):
    folder("a.yaml", _calibration("a", "b"))
    folder("b.yaml", _calibration("b", "a"))
    refused(folder("m.yaml", model(include="[cal, a]")), "b.yaml: line 2 (include)", "include cycle: m -> a -> b -> a")
    folder("c.yaml", _calibration("c", "c"))
    refused(folder("m.yaml", model(include="c")), "c.yaml", "include cycle: m -> c -> c")
    refused(folder("m.yaml", model(include="m")), "m.yaml: line 3 (include)", "include cycle: m -> m")


def test_includes_nest_at_most_four_deep(folder):
    for k in range(1, 6):
        folder(f"d{k}.yaml", _calibration(f"d{k}", f"d{k + 1}" if k < 5 else "cal", f"x{k}"))
    # m -> d2 -> d3 -> d4 -> d5 -> cal: five levels
    refused(folder("m.yaml", model(include="d2")), "d5.yaml: line 2 (include)", "more than 4 levels",
            "m -> d2 -> d3 -> d4 -> d5 -> cal")
    # m -> d3 -> d4 -> d5 -> cal: four levels, and a diamond (cal twice) is not a cycle
    m = gtu.load_model(str(folder("m.yaml", model(include="[d3, cal]", payoff_b="W_R + x3 + x5"))))
    assert m.meta["includes"] == ("cal", "d5", "d4", "d3")
    assert m.meta["shared_from"]["x5"] == "d5" and "x4" not in m.parameters


def test_two_calibrations_may_not_declare_one_parameter(folder):
    folder("a.yaml", _calibration("a", None, "p"))
    refused(folder("m.yaml", model(include="[cal, a]")), "m.yaml: line 3 (include)",
            "'p' is declared both in 'cal' and in 'a'")


def test_included_bytes_count_against_one_budget(folder, monkeypatch):
    folder("cal.yaml", CAL + "#" * 3000 + "\n")
    path = folder("m.yaml", model() + "#" * 3000 + "\n")
    monkeypatch.setattr(model_file, "MAX_TOTAL_BYTES", 5000)
    refused(path, "cal.yaml", "at most 5000 bytes together")
    monkeypatch.setattr(model_file, "MAX_TOTAL_BYTES", 8000)
    assert gtu.load_model(str(path)).name == "m"


def test_a_changed_calibration_is_read_again(folder):
    path = folder("m.yaml", model())
    before = gtu.load_model(str(path))
    assert before.parameters["p"].default == Fraction(6, 10)
    folder("cal.yaml", CAL.replace("default: 0.6", "default: 0.55"))
    after = gtu.load_model(str(path))
    assert after.parameters["p"].default == Fraction(11, 20)
    # the model's hash covers what it includes: results stamped with it tell the two apart
    assert after.sha256 != before.sha256 and len(after.sha256) == 64


# ------------------------------------------------------------------ definitions
def test_definitions_with_and_without_arguments_expand_into_sympy():
    a, b, d = sym("a", "b", "d")
    f = parse_definition("f", ["x", "y"], "x*d + y", ["d"])
    g = parse_definition("g", [], "f(a, b)**2", ["a", "b", "d"], {"f": f})
    assert parse_expression("g - f(1, 2)", ["a", "b", "d"], {"f": f, "g": g}) == (a * d + b) ** 2 - (d + 2)
    # an argument named like a parameter of a later file stands for what is passed, not for that parameter
    x = sympy.Symbol("x")
    assert parse_expression("f(x, 0)", ["x", "d"], {"f": f}) == x * d
    with pytest.raises(ExpressionError, match="takes 2 arguments, called with 1"):
        parse_expression("f(a)", ["a", "d"], {"f": f})
    with pytest.raises(ExpressionError, match="takes 2 arguments, used without arguments"):
        parse_expression("f + 1", ["d"], {"f": f})
    with pytest.raises(ExpressionError, match="takes 0 arguments, called with 1"):
        parse_expression("g(a)", ["a", "b", "d"], {"g": g})


@pytest.mark.parametrize("define, needles", [
    ("  U: nothing + 1\n", ["line 9 (define.U)", "unknown name 'nothing'"]),
    ("  U: settle(1, rho)\n", ["line 9 (define.U)", "takes 3 arguments, called with 2", "settle(s, h, W)"]),
    ("  rho: 1\n", ["line 9 (define.rho)", "clashes with the parameter 'rho'"]),
    ("  p: 1\n", ["line 9 (define.p)", "clashes with the parameter 'p'"]),
    ("  exp: 1\n", ["line 9 (define.exp)", "clashes with a function name"]),
    ("  \"V(a)\": a\n", ["line 9 (define.V(a))", "clashes with the definition 'V' above"]),
    ("  W_R: 1\n", ["line 9 (define.W_R)", "clashes with the definition 'W_R' of calibration 'cal'"]),
    ("  U: T + 1\n  T: 2\n", ["line 9 (define.U)", "uses 'T' before it is defined (line 10)", "move 'T' above"]),
    ("  U: U + 1\n", ["line 9 (define.U)", "uses itself", "recursive"]),
    ("  \"f(a)\": f(a)\n", ["line 9 (define.f(a))", "uses itself"]),
    ("  \"f(1x)\": 1\n", ["line 9", "argument name '1x' of 'f' is not an identifier"]),
    ("  \"f(a.b)\": 1\n", ["line 9", "argument name 'a.b'"]),
    ("  \"f(a, a)\": a\n", ["line 9", "names an argument twice"]),
    ("  \"f()\": 1\n", ["line 9", "empty parentheses"]),
    ("  \"f(rho)\": rho\n", ["line 9", "argument name 'rho' clashes with the parameter 'rho'"]),
    ("  \"f(log)\": 1\n", ["line 9", "argument name 'log' clashes with a function name"]),
    ("  \"f(V)\": 1\n", ["line 9", "argument name 'V' clashes with the definition 'V' above"]),
    ("  \"f(f)\": 1\n", ["line 9", "argument name 'f' clashes with the definition 'f' it belongs to"]),
    ("  \"f x\": 1\n", ["line 9", "neither a name nor NAME(arg, ...)"]),
    ("  U: [1]\n", ["line 9 (define.U)", "must be an expression"]),
    ("  U: __import__('os')\n", ["line 9 (define.U)", "calls are limited to"]),
    ("  U: rho(1)\n", ["line 9 (define.U)", "'rho' is a parameter, not a function"]),
])
def test_definition_refusals_name_file_line_and_fix(folder, define, needles):
    refused(folder("m.yaml", model(define=define)), "m.yaml", *needles)


def test_definitions_in_payoffs_are_checked(folder):
    refused(folder("m.yaml", model(payoff_a="settle(1, rho)")), "m.yaml: line 16 (forms.normal.payoffs[0].payoffs.A)",
            "takes 3 arguments")
    refused(folder("m.yaml", model(payoff_a="W_R(1)")), "line 16", "takes 0 arguments")
    refused(folder("m.yaml", model(payoff_a="Q + 1")), "line 16", "unknown name 'Q'", "definitions: W_R, settle, V")
    path = folder("m.yaml", model(parameters="  W_R: {default: 1, low: 0, high: 2, description: d, source: s}\n"))
    refused(path, "line 7 (parameters.W_R)", "clashes with the definition 'W_R' of calibration 'cal'")


def _doubling(steps, with_args=False):
    if with_args:
        lines = ["  \"f(a)\": a*p + a*c_R", "  d0: f(rho)"] + [f"  d{k}: f(d{k - 1})" for k in range(1, steps)]
    else:
        lines = ["  d0: rho + 1"] + [f"  d{k}: d{k - 1}*p + d{k - 1}*c_R" for k in range(1, steps)]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("with_args", [False, True])
def test_definitions_that_double_in_size_are_refused_at_the_limit(folder, with_args):
    ok = gtu.load_model(str(folder("m.yaml", model(define=_doubling(6, with_args), payoff_b=f"d{5}"))))
    assert ok.symbolic().payoffs[0][1, 0].free_symbols == set(sym("rho", "p", "c_R"))
    text = refused(folder("m.yaml", model(define=_doubling(40, with_args))), "m.yaml: line", "define.d",
                   f"more than {MAX_EXPANDED} parts")
    assert "d39" not in text  # refused where it first passes the limit, not at the end of the chain
    # a payoff nesting calls is held to the same limit
    nested = "f(" * 12 + "rho" + ")" * 12
    refused(folder("m.yaml", model(define=_doubling(1, True), payoff_a=nested)),
            "line 18 (forms.normal.payoffs[0].payoffs.A)", f"more than {MAX_EXPANDED} parts")


@pytest.mark.parametrize("payoff", ["f(f(f(9**64)))", "f(f(f(f(f(2)))))", "g(g(g(g(g(x)))))"])
def test_numbers_put_into_definitions_stay_bounded(payoff):
    f = parse_definition("f", ["a"], "a**64", [])
    g = parse_definition("g", ["a"], "a**8*x", ["x"])
    with pytest.raises(ExpressionError, match="bits|total power"):
        parse_expression(payoff, ["x"], {"f": f, "g": g})
    assert parse_expression("f(2)", [], {"f": f}) == 2 ** 64


def _many_cells(cells, define):
    lines = ["name: wide", "title: Wide", "players: [A, B]", "parameters:"]
    lines += [f"  {n}: {{default: 1, low: 0, high: 2, description: d, source: s}}" for n in ("rho", "p", "c_R")]
    lines += ["define:", define.rstrip("\n"), "forms:", "  normal:",
              f"    actions: {{A: [{', '.join(f'a{i}' for i in range(cells))}], B: [b]}}", "    payoffs:"]
    for i in range(cells):
        lines += [f"      - play: {{A: a{i}, B: b}}", f"        payoffs: {{A: \"d7 + {i}\", B: 0}}"]
    return "\n".join(lines) + "\n"


def test_a_large_definition_in_many_cells_is_refused_by_the_total(folder):
    ok = gtu.load_model(str(folder("wide.yaml", _many_cells(3, _doubling(8)))))
    size = expression_size(ok.symbolic().payoffs[0][0, 0])
    assert 500 < size <= MAX_EXPANDED  # each cell on its own is within the limit ...
    cells = MAX_EXPANDED_TOTAL // size + 5  # ... but not this many of them
    refused(folder("wide.yaml", _many_cells(cells, _doubling(8))), "wide.yaml: line",
            f"more than {MAX_EXPANDED_TOTAL} parts together")


# The Russian payoffs of two cells of the territory model's normal form as that file wrote them out in full
# (demand all of Donbas and settle / cede all of Donbas; limited swap / accept a limited swap) ...
TERRITORY_FULL = {
    "donbas": "(x_D + delta*rho*(1 + kappa)*(p + dp_belt + dp_erosion - c_R)/(1 - delta))"
              "/(1 - delta*(1 - rho*(1 + kappa)))",
    "swap": "(x_F + sigma*(x_D - x_F) + delta*rho*(1 + kappa*sigma)*(p + dp_erosion - c_R)/(1 - delta))"
            "/(1 - delta*(1 - rho*(1 + kappa*sigma)))",
}
# ... and the same two payoffs written with definitions, as a paper would
TERRITORY_DEFINED = {
    "donbas": "settle(x_D, rho*(1 + kappa), war(p + dp_belt + dp_erosion))",
    "swap": "settle(x_S, rho*(1 + kappa*sigma), war(p + dp_erosion))",
}
TERRITORY_PARAMETERS = {"delta": "0.9", "rho": "0.129", "p": "0.6", "c_R": "0.1", "x_D": "0.55", "x_F": "0.4",
                        "sigma": "0.5", "kappa": "1", "dp_belt": "0.05", "dp_erosion": "0"}


def _territory_like(payoffs, define=""):
    lines = ["name: t", "title: T", "players: [Russia, Ukraine]", "parameters:"]
    lines += [f"  {n}: {{default: {v}, low: -1, high: 2, description: d, source: s}}"
              for n, v in TERRITORY_PARAMETERS.items()]
    lines += [define + "forms:", "  normal:", "    actions: {Russia: [donbas, swap], Ukraine: [accept]}",
              "    payoffs:"]
    for action in ("donbas", "swap"):
        lines += [f"      - play: {{Russia: {action}, Ukraine: accept}}",
                  f"        payoffs: {{Russia: \"{payoffs[action]}\", Ukraine: 0}}"]
    return "\n".join(lines) + "\n"


def test_a_model_written_with_definitions_has_the_payoffs_written_out_in_full(tmp_path):
    define = ('define:\n  "war(q)": (q - c_R)/(1 - delta)\n  "settle(s, h, W)": (s + delta*h*W)/(1 - delta*(1 - h))\n'
              '  x_S: x_F + sigma*(x_D - x_F)\n')
    full_path, defined_path = tmp_path / "full.yaml", tmp_path / "defined.yaml"
    full_path.write_text(_territory_like(TERRITORY_FULL), encoding="utf-8")
    defined_path.write_text(_territory_like(TERRITORY_DEFINED, define), encoding="utf-8")
    full, defined = gtu.load_model(str(full_path)), gtu.load_model(str(defined_path))
    for k in range(2):
        a, b = full.symbolic().payoffs[0][k, 0], defined.symbolic().payoffs[0][k, 0]
        assert sympy.simplify(a - b) == 0
        assert a.free_symbols == b.free_symbols
    # and both equal the settlement value computed by hand at the defaults
    v = {n: Fraction(x) for n, x in TERRITORY_PARAMETERS.items()}
    hazard = v["rho"] * (1 + v["kappa"])
    war = (v["p"] + v["dp_belt"] + v["dp_erosion"] - v["c_R"]) / (1 - v["delta"])
    by_hand = (v["x_D"] + v["delta"] * hazard * war) / (1 - v["delta"] * (1 - hazard))
    assert full.game().payoffs[0][0, 0] == defined.game().payoffs[0][0, 0] == by_hand


# ------------------------------------------------------------------ the registry and the command line
def test_calibration_files_are_not_models(folder, monkeypatch, capsys):
    folder("m.yaml", model())
    monkeypatch.setenv("GTU_MODEL_PATH", str(folder.dir))
    assert "m" in gtu.list_models() and "cal" not in gtu.list_models()
    with pytest.raises(ModelFileError, match="'cal' is a calibration file"):
        gtu.load_model("cal")
    refused(folder.dir / "cal.yaml", "cal.yaml: line 1 (calibration)", "this is a calibration file, not a model")
    assert main(["list"]) == 0
    assert "cal" not in capsys.readouterr().out.split()
    assert gtu.load_model("m").meta["includes"] == ("cal",)


def test_show_lists_includes_shared_parameters_overrides_and_definitions(folder, capsys):
    path = folder("m.yaml", model(parameters="  p: {override: \"a weaker Russia here\", default: 0.5}\n"))
    assert main(["show", str(path), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["includes"] == ["cal"]
    assert {p["name"]: p["shared_from"] for p in doc["parameters"]} == {"delta": "cal", "p": "cal", "c_R": "cal",
                                                                        "rho": None}
    assert doc["overrides"] == [{"parameter": "p", "reason": "a weaker Russia here", "by": "m"}]
    assert {"name": "settle", "args": ["s", "h", "W"], "expression": "(s + delta*h*W)/(1 - delta*(1 - h))",
            "shared_from": "cal"} in doc["definitions"]
    assert main(["show", str(path)]) == 0
    out = capsys.readouterr().out
    for needle in ("Includes: cal", "a weaker Russia here", "settle(s, h, W) = (s + delta*h*W)/(1 - delta*(1 - h))",
                   "V = settle(0.5, rho, W_R)"):
        assert needle in out, out


def test_a_model_without_includes_shows_empty_lists(capsys):
    assert main(["show", "chain-store", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["includes"] == [] and doc["overrides"] == [] and doc["definitions"] == []
    assert all(p["shared_from"] is None for p in doc["parameters"])


def test_bad_includes_and_definitions_end_with_one_line_from_gtu_show(folder):
    folder("a.yaml", _calibration("a", "b"))
    folder("b.yaml", _calibration("b", "a"))
    bad = {"cycle.yaml": model(include="a"), "path.yaml": model(include="../etc/passwd"),
           "recursive.yaml": model(define="  U: U\n"), "doubling.yaml": model(define=_doubling(60)),
           # 30 calls nested through the hazard, which settle uses twice: the expansion doubles at each call
           # (nested through s, used once, it grows only linearly and is a fine expression)
           "args.yaml": model(payoff_a="settle(1, " * 29 + "settle(1, 1, 1)" + ", 1)" * 29),
           "wide.yaml": _many_cells(3000, _doubling(8))}
    cases = [{"argv": ["show", str(folder(name, text))]} for name, text in bad.items()]
    outcomes = run_gtu(cases, seconds=10)
    assert_all_clean(outcomes, seconds=10)
    assert all(o.status == 2 for o in outcomes), [o.describe() for o in outcomes]
