"""Thresholds: critical parameter values where the equilibria change (gametheory_ukraine.analysis.thresholds).

Independent sources for the numbers:

- the closed forms derived by hand in models/README.md and tests/test_claims_{territory,nato,guarantees}.py
  (rho* = 1/27 for ceding Donbas, rho_s = 7/27 and a* = 4983/2161 for the NATO pledge, rho_R* = 1/16 and
  rho_U* = 2/9 for the guarantees), written out again here as sympy expressions and compared symbolically;
- brute force: solving with :meth:`Model.solve` just below and just above each threshold, and counting the
  changes of the equilibrium signature on a fine grid;
- small hand-made games whose thresholds are known on paper (a mixed-strategy indifference at a = 3/2, a
  threshold at log 2, a quintic root checked against numpy.roots).
"""

from __future__ import annotations

import json
import random
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp

import gametheory_ukraine as gtu
from gametheory_ukraine.analysis.thresholds import (
    CLOSED_FORM,
    NUMERIC,
    PointSolver,
    Threshold,
    ThresholdResult,
    thresholds,
)
from gametheory_ukraine.cli import main
from gametheory_ukraine.core.errors import ParameterError
from gametheory_ukraine.solvers.signature import equilibrium_signature, outcome_set

TERRITORY = gtu.load_model("territory")
NATO = gtu.load_model("nato")
GUARANTEES = gtu.load_model("guarantees")


def S(*names):
    out = tuple(sp.Symbol(n) for n in names)
    return out if len(out) > 1 else out[0]


def same(expr, hand) -> bool:
    return sp.simplify(sp.sympify(expr) - hand) == 0


# ------------------------------------------------------------------------------ results shared by the tests
@pytest.fixture(scope="module")
def territory_rho():
    return thresholds(TERRITORY, "rho", form="sequential", scenario="baseline-2025", grid=101)


@pytest.fixture(scope="module")
def territory_freeze():
    return thresholds(TERRITORY, "rho", form="sequential", scenario="managed-freeze", grid=101)


@pytest.fixture(scope="module")
def nato_rho():
    return thresholds(NATO, "rho", form="sequential", scenario="baseline-2025", values={"pi_US": "0.03"}, grid=101)


@pytest.fixture(scope="module")
def guarantees_rho():
    return thresholds(GUARANTEES, "rho", form="sequential", scenario="baseline-2025", values={"q": "1/2"},
                      grid=101)


@pytest.fixture(scope="module")
def territory_normal():
    return thresholds(TERRITORY, "rho", form="normal", scenario="baseline-2025", grid=51)


# ------------------------------------------------------------------------------------------ territory
def test_territory_rho_star_is_one_27th_in_closed_form(territory_rho):
    """models/README.md (territory): Ukraine cedes all of Donbas iff
    rho <= (1 - delta)(p + c_U - x_D)/(delta (1 + kappa)(dp_belt + dp_erosion)) = 1/27."""
    delta, p, c_U, x_D, kappa, dp_belt, dp_erosion = S("delta", "p", "c_U", "x_D", "kappa", "dp_belt",
                                                       "dp_erosion")
    hand = (1 - delta) * (p + c_U - x_D) / (delta * (1 + kappa) * (dp_belt + dp_erosion))
    (t,) = territory_rho.thresholds
    assert t.method == CLOSED_FORM and t.param == "rho"
    assert t.exact == Fraction(1, 27) and t.value == pytest.approx(1 / 27, abs=1e-15)
    assert same(t.expression, hand)
    assert S("rho") not in t.expression.free_symbols
    assert t.before == ("settlement on Russian terms",) and t.after == ("war continues",)
    assert t.change == "settlement on Russian terms -> war continues"
    assert territory_rho.over == (0.01, 0.5) and territory_rho.form == "sequential"
    assert territory_rho.parameters["kappa"] == Fraction(1, 2) and "rho" not in territory_rho.parameters


def test_territory_managed_freeze_one_threshold(territory_freeze):
    """models/territory.yaml (managed freeze): Ukraine cedes Donbas iff rho <= 2/81; above it the war continues
    at every rho, since Russia would break a swap or a freeze (its yearly war value at eroded odds, 0.55, exceeds
    x_S = 0.46 and x_F = 0.4) and Ukraine, foreseeing it, rejects them: no second threshold (the old model's
    swap threshold 8/99 came from a swap Russia could not break)."""
    delta, p, c_U, x_D, kappa, dp_belt, dp_erosion = S("delta", "p", "c_U", "x_D", "kappa", "dp_belt", "dp_erosion")
    donbas = (1 - delta) * (p + c_U - x_D) / (delta * (1 + kappa) * (dp_belt + dp_erosion))
    (first,) = territory_freeze.thresholds
    assert first.exact == Fraction(2, 81)
    assert same(first.expression, donbas)
    assert first.change == "settlement on Russian terms -> war continues"


# ----------------------------------------------------------------------------------------------- nato
def test_nato_rho_s_is_seven_27ths_with_pi_us_003(nato_rho):
    """models/README.md (nato): with pi_US = 0.03, Moscow accepts an open NATO path iff
    rho >= rho_s = 1 - (x - p + c_R)/(delta pi_US tau) = 7/27 (no force, f = 0)."""
    delta, p, c_R, x, pi_US, tau, f = S("delta", "p", "c_R", "x", "pi_US", "tau", "f")
    (t,) = nato_rho.thresholds
    assert t.exact == Fraction(7, 27) and t.method == CLOSED_FORM
    assert same(t.expression.subs(f, 0), 1 - (x - p + c_R) / (delta * pi_US * tau))
    assert t.change == "war continues -> managed freeze"


def test_nato_audience_cost_threshold_and_credible_pledge():
    """models/README.md (nato): the pledge is credible iff a >= a* = m - (p + c_U - x)/(1 - delta(1 - rho)),
    2.306 at the baseline; with a = 2, iff rho <= rho_c = ((p + c_U - x)/(m - a) - (1 - delta))/delta = 1/18.
    At the baseline no rho in the range changes the outcome."""
    delta, rho, p, c_U, x, m, a = S("delta", "rho", "p", "c_U", "x", "m", "a")
    res = gtu.thresholds(NATO, "a", form="sequential", scenario="baseline-2025", grid=101)
    (t,) = res.thresholds
    assert t.exact == Fraction(4983, 2161) and round(t.value, 3) == 2.306
    assert same(t.expression, m - (p + c_U - x) / (1 - delta * (1 - rho)))
    assert t.change == "war continues -> settlement on Russian terms"
    (t,) = gtu.thresholds(NATO, "rho", form="sequential", values={"a": 2}, grid=51).thresholds
    assert t.exact == Fraction(1, 18)
    assert same(t.expression, ((p + c_U - x) / (m - a) - (1 - delta)) / delta)
    assert t.change == "settlement on Russian terms -> war continues"
    assert gtu.thresholds(NATO, "rho", form="sequential", grid=51).thresholds == ()


def test_change_at_the_end_of_the_range_is_a_note_not_a_threshold():
    """nato over pi_US in [0, 0.3]: at pi_US = 0 exactly Kyiv is indifferent about seeking accession (a tie
    at the end point). The one threshold is pi* = (x - p + c_R)/(delta (1 - rho) tau) = 200/7839 = 0.0255
    (tests/test_claims_nato.py, S5/W5)."""
    delta, rho, p, c_R, x, tau, f = S("delta", "rho", "p", "c_R", "x", "tau", "f")
    res = thresholds(NATO, "pi_US", form="sequential", grid=61)
    (t,) = res.thresholds
    assert t.exact == Fraction(200, 7839)
    assert same(t.expression.subs(f, 0), (x - p + c_R) / (delta * (1 - rho) * tau))
    assert any("end point pi_US=0" in n for n in res.notes)


# ----------------------------------------------------------------------------------------- guarantees
def test_guarantees_settlement_window_one_16th_to_two_9ths(guarantees_rho):
    """models/README.md (guarantees), q = 1/2: Russia keeps the settlement iff
    rho >= rho_R* = (1-delta)(tau - q g_H)/(delta q g_H + (1-delta) tau) = 1/16 (tau = p + dp_after - c_R - x,
    g_H = g_T + pi_US g_A, no veto); Ukraine signs iff rho <= rho_U* = (p + c_U - x)(1 - delta)/(delta dp_after)
    = 2/9."""
    delta, p, c_R, c_U, x, dp_after, g_T, g_A, pi_US, q, v = S(
        "delta", "p", "c_R", "c_U", "x", "dp_after", "g_T", "g_A", "pi_US", "q", "v")
    tau = p + dp_after - c_R - x
    g_h = g_T + pi_US * g_A
    rho_r = (1 - delta) * (tau - q * g_h) / (delta * q * g_h + (1 - delta) * tau)
    rho_u = (p + c_U - x) * (1 - delta) / (delta * dp_after)
    low, high = guarantees_rho.thresholds
    assert (low.exact, high.exact) == (Fraction(1, 16), Fraction(2, 9))
    assert same(low.expression.subs(v, 0), rho_r) and same(high.expression, rho_u)
    assert low.change == "war continues -> settlement holds"
    assert high.change == "settlement holds -> war continues"


def test_guarantees_zagare_kilgour_q_star():
    """tests/test_claims_guarantees.py: deterrence iff q >= q* = (1-delta)(1-rho) tau/((1-delta+delta rho) g_H)
    = 4355/12966 at the baseline (no veto)."""
    delta, rho, p, c_R, x, dp_after, g_T, g_A, pi_US, v = S(
        "delta", "rho", "p", "c_R", "x", "dp_after", "g_T", "g_A", "pi_US", "v")
    tau = p + dp_after - c_R - x
    q_star = (1 - delta) * (1 - rho) * tau / ((1 - delta + delta * rho) * (g_T + pi_US * g_A))
    (t,) = thresholds(GUARANTEES, "q", form="sequential", grid=41).thresholds
    assert t.exact == Fraction(4355, 12966)
    assert same(t.expression.subs(v, 0), q_star)
    assert t.change == "war continues -> settlement holds"


# ------------------------------------------------------------------------------- brute-force cross-checks
def _outcomes_at(model, form, scenario, values, x, param="rho"):
    return outcome_set(model.solve(form, scenario, **values, **{param: x}))


@pytest.mark.parametrize("case", ["territory_rho", "territory_freeze", "nato_rho", "guarantees_rho",
                                  "territory_normal"])
def test_before_and_after_match_the_solver_on_both_sides(case, request):
    """At every reported threshold, Model.solve (exact) 1e-6 below and above gives `before` and `after`, and at
    the exact threshold itself the solver reports a tie: the equilibria of both sides."""
    res: ThresholdResult = request.getfixturevalue(case)
    model = gtu.load_model(res.model)
    fixed = {k: v for k, v in res.parameters.items() if v != model.values(res.scenario)[k]}
    assert res.thresholds
    for t in res.thresholds:
        eps = Fraction(1, 10**6)
        assert _outcomes_at(model, res.form, res.scenario, fixed, t.exact - eps) == t.before
        assert _outcomes_at(model, res.form, res.scenario, fixed, t.exact + eps) == t.after
        tie = model.solve(res.form, res.scenario, **fixed, rho=t.exact)
        assert set(t.before) | set(t.after) <= set(outcome_set(tie))


@pytest.mark.parametrize("case, points", [("territory_rho", 2001), ("nato_rho", 2001), ("guarantees_rho", 2001),
                                          ("territory_normal", 201)])
def test_number_of_thresholds_equals_signature_changes_on_a_fine_grid(case, points, request):
    """Brute force: the equilibrium signature (analysis.signature) on a grid much finer than the scan changes
    exactly once per reported threshold, between the grid points around its value."""
    res: ThresholdResult = request.getfixturevalue(case)
    model = gtu.load_model(res.model)
    fixed = {k: v for k, v in res.parameters.items() if v != model.values(res.scenario)[k]}
    solver = PointSolver(model, res.form, res.scenario, fixed)
    grid = np.linspace(*res.over, points)
    sigs = [equilibrium_signature(solver({"rho": float(x)}, exact=False)) for x in grid]
    changes = [(grid[k], grid[k + 1]) for k in range(points - 1) if sigs[k] != sigs[k + 1]]
    assert len(changes) == len(res.thresholds)
    for (a, b), t in zip(changes, res.thresholds):
        assert a < t.value < b


def test_point_solver_equals_model_solve():
    """The compiled per-point path gives exactly Model.solve's equilibria (exact) and the same to 1e-9
    (float) at seeded random points of every framework model, both forms."""
    rng = random.Random(4)
    for model in (TERRITORY, NATO, GUARANTEES):
        for form in ("sequential", "normal"):
            solver = PointSolver(model, form, None, {})
            for _ in range(2 if form == "normal" else 4):
                pt = {n: p.low + (p.high - p.low) * Fraction(rng.randint(0, 100), 100)
                      for n, p in model.parameters.items()}
                a, b = solver(pt, exact=True), model.solve(form, **pt)
                assert [(e.strategies, e.payoffs, e.outcome) for e in a] == \
                       [(e.strategies, e.payoffs, e.outcome) for e in b]
                fl = {n: float(v) for n, v in pt.items()}
                a, b = solver(fl, exact=False), model.solve(form, exact=False, **fl)
                assert equilibrium_signature(a) == equilibrium_signature(b)
                assert np.allclose([e.payoffs for e in a], [e.payoffs for e in b], atol=1e-9)


# -------------------------------------------------------------------------------------------- normal form
def test_normal_form_threshold_from_a_pure_deviation(territory_normal):
    """Normal form of territory: below 1/27 the pure Nash outcomes are {settlement on Russian terms, war
    continues}, above only war (models/README.md); the closed form is Ukraine's pure deviation 'cede all of
    Donbas' vs 'fight on' against 'demand Donbas, then settle', the same rho* as the tree's."""
    delta, p, c_U, x_D, kappa, dp_belt, dp_erosion = S("delta", "p", "c_U", "x_D", "kappa", "dp_belt",
                                                       "dp_erosion")
    (t,) = territory_normal.thresholds
    assert t.exact == Fraction(1, 27)
    assert same(t.expression, (1 - delta) * (p + c_U - x_D) / (delta * (1 + kappa) * (dp_belt + dp_erosion)))
    assert t.before == ("settlement on Russian terms", "war continues") and t.after == ("war continues",)
    assert t.change == "{settlement on Russian terms, war continues} -> war continues"


MIXED = """\
name: pennies-exit
title: Matching pennies with an outside option
players: [Row, Col]
parameters:
  a: {default: 1, low: 0, high: 2, description: Row's outside option, source: "hand-made for tests"}
  c: {default: 1, low: 1, high: 3, description: Col's payoff when Row exits and Col plays L,
      source: "hand-made for tests"}
forms:
  normal:
    actions:
      Row: [T, M, B]
      Col: [L, R]
    payoffs:
      - {play: {Row: T, Col: L}, payoffs: {Row: 3, Col: 0}, outcome: play}
      - {play: {Row: T, Col: R}, payoffs: {Row: 0, Col: 1}, outcome: play}
      - {play: {Row: M, Col: L}, payoffs: {Row: 0, Col: 1}, outcome: play}
      - {play: {Row: M, Col: R}, payoffs: {Row: 3, Col: 0}, outcome: play}
      - {play: {Row: B, Col: L}, payoffs: {Row: a, Col: c}, outcome: exit}
      - {play: {Row: B, Col: R}, payoffs: {Row: a, Col: 0}, outcome: exit}
"""


def test_mixed_strategy_indifference_gives_the_closed_form(write_model):
    """By hand: Col mixes 1/2-1/2 to keep Row indifferent between T and M (each then pays 3/2), so Row's exit
    (worth a) breaks that equilibrium at a = 3/2. Row's pure-deviation differences (3 - a, -a, +-3) vanish only
    at a = 0 and a = 3: the closed form comes from the opponent's symbolic mixed strategy."""
    model = gtu.load_model(write_model(MIXED))
    (t,) = thresholds(model, "a", grid=21).thresholds
    assert t.method == CLOSED_FORM and t.exact == Fraction(3, 2) and t.expression == sp.Rational(3, 2)
    assert t.before == ("play",) and t.after == ("lottery: exit, play",)


def test_lottery_probabilities_moving_with_a_parameter_are_not_thresholds(write_model):
    """With a = 1.6 Row mixes T and B with probabilities that move with c (2/3 at c = 2, 5/7 at c = 2.5, by
    hand: Col indifferent iff c x_B = x_T), but the supports never change: no threshold in c."""
    model = gtu.load_model(write_model(MIXED))
    assert [str(p) for p in model.solve(a="1.6", c=2)[0].strategies[0]] == ["2/3", "0", "1/3"]
    assert [str(p) for p in model.solve(a="1.6", c="2.5")[0].strategies[0]] == ["5/7", "0", "2/7"]
    res = thresholds(model, "c", values={"a": "1.6"}, grid=11)
    assert res.thresholds == ()


ONE_PLAYER_CHOICE = """\
name: {name}
title: Up or down
players: [Row, Col]
parameters:
  a: {{default: 1, low: 0, high: 2, description: growth, source: "hand-made for tests"}}
forms:
  normal:
    actions:
      Row: [U, D]
      Col: [L]
    payoffs:
      - {{play: {{Row: U, Col: L}}, payoffs: {{Row: "{up}", Col: 0}}, outcome: up}}
      - {{play: {{Row: D, Col: L}}, payoffs: {{Row: "{down}", Col: 0}}, outcome: down}}
"""


def test_numeric_threshold_when_no_closed_form(write_model):
    """U pays a**5 + a, D pays 1: the threshold is the real root of a^5 + a - 1 (no radicals), reported as
    numeric and equal to numpy.roots' root to 1e-11."""
    model = gtu.load_model(write_model(ONE_PLAYER_CHOICE.format(name="quintic", up="a**5 + a", down="1")))
    (t,) = thresholds(model, "a", grid=11).thresholds
    (root,) = [r.real for r in np.roots([1, 0, 0, 0, 1, -1]) if abs(r.imag) < 1e-12]
    assert t.method == NUMERIC and t.expression is None and t.exact is None
    assert abs(t.value - root) < 1e-11
    assert t.change == "down -> up"


def test_transcendental_threshold_in_closed_form_with_float_bisection(write_model):
    """U pays exp(a), D pays 2: the threshold is log 2. The game is not rational, so the bisection runs in
    float mode (said in the notes), and sympy still finds the closed form."""
    model = gtu.load_model(write_model(ONE_PLAYER_CHOICE.format(name="expo", up="exp(a)", down="2")))
    res = thresholds(model, "a", grid=11)
    (t,) = res.thresholds
    assert t.method == CLOSED_FORM and t.expression == sp.log(2) and t.exact is None
    assert t.value == pytest.approx(np.log(2), abs=1e-15)
    assert any("float mode" in n for n in res.notes)


def test_parameter_outside_the_payoffs_has_no_threshold():
    """nato's q0 (the pre-war split) is used by the S12 claim only, not in any payoff."""
    res = thresholds(NATO, "q0", form="sequential")
    assert res.thresholds == () and "does not enter" in res.notes[0]


def test_tie_on_a_grid_point_is_one_threshold():
    """With the range [1/54, 1/18] and 3 grid points, the middle point is rho* = 1/27 itself, where the solver
    reports both equilibria; the two changes next to it merge into one threshold."""
    res = thresholds(TERRITORY, "rho", form="sequential", scenario="baseline-2025", over=("1/54", "1/18"),
                     grid=3)
    (t,) = res.thresholds
    assert t.exact == Fraction(1, 27)
    assert t.before == ("settlement on Russian terms",) and t.after == ("war continues",)
    assert res.over == (1 / 54, 1 / 18)


# ------------------------------------------------------------------------------------------ bad input
@pytest.mark.parametrize("kwargs, text", [
    ({"param": "rhoo"}, "did you mean 'rho'"),
    ({"over": (0, 0.3)}, "leaves rho's range [0.01, 0.5]"),
    ({"over": (0.3, 0.2)}, "is empty"),
    ({"over": ("0.3", "0.3")}, "is empty"),
    ({"over": ("abc", 1)}, "not a number"),
    ({"over": (0.1,)}, "not a pair"),
    ({"grid": 1}, "too small"),
    ({"values": {"rho": 0.1}}, "parameter being varied"),
    ({"values": {"kapa": 0.1}}, "did you mean 'kappa'"),
    ({"values": {"kappa": 3}}, "outside its range"),
    ({"scenario": "nope"}, "no scenario"),
    ({"form": "extensive"}, "no form"),
])
def test_bad_input_raises_parameter_error_with_a_fix(kwargs, text):
    args = {"param": "rho", "form": "sequential", **kwargs}
    with pytest.raises(ParameterError) as info:
        thresholds(TERRITORY, args.pop("param"), **args)
    assert text in str(info.value) and info.value.fix


# ------------------------------------------------------------------------------------------------- CLI
def test_cli_json_schema(capsys):
    code = main(["thresholds", "territory", "--param", "rho", "--form", "sequential", "--scenario",
                 "baseline-2025", "--grid", "41", "--format", "json"])
    assert code == 0
    doc = json.loads(capsys.readouterr().out)
    assert {"param", "model", "form", "scenario", "range", "thresholds", "notes"} <= set(doc)
    assert (doc["param"], doc["model"], doc["form"], doc["scenario"]) == ("rho", "territory", "sequential",
                                                                          "baseline-2025")
    assert doc["range"] == [0.01, 0.5]
    (t,) = doc["thresholds"]
    assert set(t) == {"value", "exact", "expression", "method", "before", "after", "change"}
    assert t["exact"] == "1/27" and abs(t["value"] - 1 / 27) < 1e-15 and t["method"] == "closed form"
    assert t["before"] == ["settlement on Russian terms"] and t["after"] == ["war continues"]
    names = {n: sp.Symbol(n) for n in TERRITORY.parameters}
    expr = sp.sympify(t["expression"], locals=names)
    assert expr.subs({names[k]: sp.Rational(str(v)) for k, v in doc["parameters"].items()}) == sp.Rational(1, 27)


def test_cli_table_with_fixed_values_and_range(capsys):
    code = main(["thresholds", "nato", "--param", "rho", "--form", "sequential", "-p", "pi_US=0.03",
                 "--range", "0.2:0.3", "--grid", "11"])
    assert code == 0
    out = capsys.readouterr().out
    assert "7/27" in out and "war continues -> managed freeze" in out and "pi_US=0.03" in out


@pytest.mark.parametrize("argv, text", [
    (["--param", "rhoo"], "did you mean 'rho'"),
    (["--param", "rho", "--range", "abc:1"], "not a number"),
    (["--param", "rho", "--range", "0.3:0.2"], "is empty"),
    (["--param", "rho", "--range", "0:0.3"], "leaves rho's range"),
    (["--param", "rho", "--range", "0.3"], "cannot read the range"),
    (["--param", "rho", "-p", "kappa"], "cannot read"),
    (["--param", "rho", "--grid", "0"], "too small"),
])
def test_cli_bad_input_one_line_and_exit_2(argv, text, capsys):
    code = main(["thresholds", "territory", "--form", "sequential", *argv])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("gtu: error:") and err.count("\n") == 1 and text in err and "fix:" in err


def test_result_to_dict_is_json_ready(territory_rho):
    doc = json.loads(json.dumps(territory_rho.to_dict()))
    assert doc["thresholds"][0]["exact"] == "1/27" and doc["grid"] == 101
    assert doc["parameters"]["delta"] == "9/10"
    t = territory_rho.thresholds[0]
    assert isinstance(t, Threshold) and isinstance(t.value, float) and isinstance(t.exact, Fraction)


@pytest.mark.parametrize("name, form, scenario, exact_value", [
    ("territory", "sequential", "baseline-2025", Fraction(1, 27)),
    ("nato", "sequential", "istanbul-2", Fraction(1, 3)),
    ("guarantees", "normal", "baseline-2025", Fraction(2, 9)),
])
def test_each_framework_model_has_a_closed_form_rho_threshold_matching_a_sweep(name, form, scenario, exact_value):
    """Issue 4's 'done when': each model reports a rho threshold in closed form (the ones `gtu report`
    shows), and a numeric sweep over rho changes its outcomes exactly across it."""
    from gametheory_ukraine.analysis.sweep import sweep

    model = gtu.load_model(name)
    res = gtu.thresholds(model, "rho", form=form, scenario=scenario, grid=101 if form == "normal" else 201)
    (thr,) = [t for t in res.thresholds if t.exact == exact_value]
    assert thr.method == "closed form" and thr.expression is not None
    values = {k: sp.Rational(str(v)) for k, v in model.values(scenario).items() if k != "rho"}
    assert sp.nsimplify(thr.expression.xreplace({sp.Symbol(k): v for k, v in values.items()})) == exact_value
    grid = np.linspace(0.01, 0.5, 50)
    df = sweep(model, {"rho": grid}, form=form, scenario=scenario, progress=False)
    outs = df.groupby("point_id").apply(lambda g: tuple(sorted(set(g["outcome_key"]))), include_groups=False)
    below = {outs[i] for i, r in enumerate(grid) if r < float(exact_value)}
    above = {outs[i] for i, r in enumerate(grid) if r > float(exact_value)}
    assert below == {thr.before} and above == {thr.after}
