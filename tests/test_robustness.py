"""Robustness of conclusions: each outcome's share of the parameter box (checked against a brute-force Monte Carlo
of exact solves by the ordinary solver), the Wilson intervals, the Sobol' drivers (on a model whose outcome one
parameter decides), reproducibility by seed, the budgets, and the ``gtu robustness`` command.

The brute force never touches the batched engines: it solves each point with ``Model.solve`` in exact arithmetic
and names the point's outcome from the equilibria itself. The tests take parameter names from the models, never
spell them, so they hold when a model's parameters are renamed or added.
"""

from __future__ import annotations

import json
import math
from fractions import Fraction

import numpy as np
import pytest
from conftest import THREE_PLAYER
from scipy.stats import binomtest

import gametheory_ukraine as gtu
from gametheory_ukraine.analysis.robustness import robustness, wilson_interval
from gametheory_ukraine.cli import main
from gametheory_ukraine.core.errors import ParameterError


# ----------------------------------------------------------------------------------- brute force
def _box(model, form, scenario):
    """The box, built here from the model file's data: the form's parameters not set by the scenario, low < high."""
    used = set(model.symbolic(form).parameters)
    fixed = set(model.scenarios[scenario].values) if scenario else set()
    return [name for name, p in model.parameters.items()
            if name in used and name not in fixed and p.low < p.high]


def _exact_outcome(model, form, scenario, values):
    """A point's outcome from an exact solve by the ordinary solver: the sorted set of its equilibria's outcomes,
    a lottery named by the outcomes it mixes."""
    res = model.solve(form, scenario, exact=True, **{k: Fraction(v) for k, v in values.items()})
    names = set()
    for eq in res.equilibria:
        support = sorted(k for k, p in eq.outcome_distribution.items() if p != 0)
        names.add(support[0] if len(support) == 1 else "lottery: " + ", ".join(support))
    return " | ".join(sorted(names)) if names else "no equilibrium"


CASES = [("territory", "sequential", 400), ("territory", "normal", 150), ("nato", "sequential", 400),
         ("nato", "normal", 150), ("guarantees", "sequential", 300)]


@pytest.fixture(scope="module")
def results():
    return {(name, form): robustness(gtu.load_model(name), form=form, samples=n, seed=7, sobol_samples=16)
            for name, form, n in CASES}


@pytest.mark.parametrize("name,form,n", CASES)
def test_shares_equal_a_brute_force_of_exact_solves_at_the_same_points(results, name, form, n):
    model = gtu.load_model(name)
    res = results[(name, form)]
    assert list(res.parameters) == _box(model, form, None)
    assert len(res.points) == n
    lows = np.array([float(model.parameters[p].low) for p in res.parameters])
    highs = np.array([float(model.parameters[p].high) for p in res.parameters])
    X = res.points[list(res.parameters)].to_numpy()
    assert np.all(X >= lows) and np.all(X <= highs)
    brute = [_exact_outcome(model, form, None, dict(zip(res.parameters, row))) for row in X.tolist()]
    assert res.points["outcome"].tolist() == brute
    counts = {o: brute.count(o) for o in set(brute)}
    assert {o.outcome: o.count for o in res.outcomes} == counts
    for o in res.outcomes:
        assert o.share == counts[o.outcome] / n
        assert o.ci_low <= counts[o.outcome] / n <= o.ci_high
    assert math.isclose(sum(o.share for o in res.outcomes), 1.0)


@pytest.mark.parametrize("name,form", [("territory", "sequential"), ("nato", "sequential")])
def test_each_ci_holds_an_independent_brute_force_share(name, form):
    # a fresh uniform sample of the box, drawn here, solved exactly point by point: its share of each outcome
    # must agree with the robustness estimate within sampling error (both estimates are random: a 3.9-sigma band
    # on their difference, and the brute force's share inside the 95 % interval widened by its own error)
    model = gtu.load_model(name)
    res = robustness(model, form=form, samples=4096, seed=3, sobol_samples=16)
    box = _box(model, form, None)
    rng = np.random.default_rng(20250601)
    m = 250
    lows = np.array([float(model.parameters[p].low) for p in box])
    highs = np.array([float(model.parameters[p].high) for p in box])
    X = lows + rng.random((m, len(box))) * (highs - lows)
    brute = [_exact_outcome(model, form, None, dict(zip(box, row))) for row in X.tolist()]
    for o in res.outcomes:
        b = brute.count(o.outcome) / m
        sd = math.sqrt(max(o.share * (1 - o.share), 1e-4) * (1 / m + 1 / res.samples))
        assert abs(b - o.share) <= 3.9 * sd, (o.outcome, b, o.share)
        assert o.ci_low - 3.3 * math.sqrt(o.share * (1 - o.share) / m) <= b
        assert b <= o.ci_high + 3.3 * math.sqrt(o.share * (1 - o.share) / m)


def test_a_scenario_holds_its_values_and_the_brute_force_agrees():
    model = gtu.load_model("territory")
    form = "sequential"
    used = set(model.symbolic(form).parameters)
    scenario = max(model.scenarios, key=lambda s: len(set(model.scenarios[s].values) & used))
    fixed = set(model.scenarios[scenario].values) & used
    assert fixed
    res = robustness(model, form=form, scenario=scenario, samples=200, seed=0, sobol_samples=16)
    assert res.scenario == scenario and not fixed & set(res.parameters) and fixed <= set(res.held)
    assert list(res.parameters) == _box(model, form, scenario)
    X = res.points[list(res.parameters)].to_numpy().tolist()
    brute = [_exact_outcome(model, form, scenario, dict(zip(res.parameters, row))) for row in X]
    assert res.points["outcome"].tolist() == brute
    assert res.baseline == _exact_outcome(model, form, scenario, {})


def test_a_three_player_normal_form_runs_on_its_engine():
    """The 3-player fixture (the previous guarantees model; no framework model states a 3-player normal form)."""
    model = gtu.load_model(THREE_PLAYER)
    res = robustness(model, form="normal", samples=12, seed=0, sobol_samples=2)
    X = res.points[list(res.parameters)].to_numpy().tolist()
    assert res.points["outcome"].tolist() == [_exact_outcome(model, "normal", None, dict(zip(res.parameters, r)))
                                              for r in X]


# ----------------------------------------------------------------------------------- intervals
@pytest.mark.parametrize("k,n", [(0, 20), (1, 20), (5, 10), (37, 400), (400, 400), (2049, 4096)])
def test_wilson_interval_matches_scipy(k, n):
    ci = binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
    low, high = wilson_interval(k, n)
    assert low == pytest.approx(ci.low, abs=1e-12) and high == pytest.approx(ci.high, abs=1e-12)


def test_wilson_interval_refuses_what_is_not_a_share():
    with pytest.raises(ParameterError):
        wilson_interval(5, 4)
    with pytest.raises(ParameterError):
        wilson_interval(0, 0)


# ----------------------------------------------------------------------------------- drivers
ONE_DRIVER = """\
name: one-driver
title: The outcome depends on a alone
players: [Row, Col]
parameters:
  a: {symbol: a, default: 1, low: 0, high: 2, description: decides, source: "hand-made for tests"}
  b: {symbol: b, default: 1, low: 0, high: 2, description: scales Col's payoffs, source: "hand-made for tests"}
  c: {symbol: c, default: 2, low: 1, high: 3, description: scales Col's payoffs, source: "hand-made for tests"}
  e: {symbol: e, default: 0.5, low: 0.5, high: 0.5, description: held, source: "hand-made for tests"}
scenarios:
  fix-a:
    description: a held at 1
    values: {a: 1.5}
  fix-all:
    description: everything held
    values: {a: 1.5, b: 1, c: 2}
forms:
  sequential:
    root: start
    nodes:
      start:
        player: Row
        actions: {go: went, stop: stopped}
      went:
        player: Col
        actions: {left: gl, right: gr}
      gl: {payoffs: {Row: a - e, Col: b*c}, outcome: "went"}
      gr: {payoffs: {Row: a - e - 1, Col: b}, outcome: "went, punished"}
      stopped: {payoffs: {Row: 0, Col: b + c}, outcome: "stopped"}
  normal:
    actions:
      Row: [go, stop]
      Col: [only]
    payoffs:
      - play: {Row: go, Col: only}
        payoffs: {Row: a - e, Col: b*c}
        outcome: "went"
      - play: {Row: stop, Col: only}
        payoffs: {Row: 0, Col: b + c}
        outcome: "stopped"
"""


@pytest.mark.parametrize("form", ["sequential", "normal"])
def test_the_one_deciding_parameter_gets_st_near_1(write_model, form):
    # Row goes iff a > 1/2 (Col always answers left, b*c >= b): P = 3/4 for a ~ U[0, 2]; b and c decide nothing
    model = gtu.load_model(write_model(ONE_DRIVER))
    res = robustness(model, form=form, samples=2048, seed=0)
    assert list(res.parameters) == ["a", "b", "c"] and res.held == {"e": "1/2"}
    went = next(o for o in res.outcomes if o.outcome == "went")
    assert abs(went.share - 0.75) <= 4 * math.sqrt(0.75 * 0.25 / res.samples)
    assert went.ci_low <= 0.75 <= went.ci_high
    assert {o.outcome for o in res.outcomes} == {"went", "stopped"}
    for outcome in ("went", "stopped"):
        rows = {d.parameter: d for d in res.drivers if d.outcome == outcome}
        assert rows["a"].ST == pytest.approx(1, abs=0.1) and rows["a"].S1 == pytest.approx(1, abs=0.1)
        assert abs(rows["b"].ST) < 0.02 and abs(rows["c"].ST) < 0.02
        assert abs(rows["b"].S1) < 0.02 and abs(rows["c"].S1) < 0.02
        assert [d.parameter for d in res.drivers if d.outcome == outcome][0] == "a"
    assert res.baseline == "went"  # a = 1 > 1/2 at the defaults, and Col strictly prefers left (b*c = 2 > b = 1)


def test_a_scenario_that_holds_the_decisive_parameter_leaves_one_outcome(write_model):
    model = gtu.load_model(write_model(ONE_DRIVER))
    res = robustness(model, form="sequential", scenario="fix-a", samples=256, seed=0)
    assert list(res.parameters) == ["b", "c"]
    assert [(o.outcome, o.share) for o in res.outcomes] == [("went", 1.0)]
    assert all(d.S1 == 0 and d.ST == 0 for d in res.drivers)
    with pytest.raises(ParameterError, match="no parameter"):
        robustness(model, form="sequential", scenario="fix-all", samples=64)


# ----------------------------------------------------------------------------------- reproducible, bounded
def test_same_seed_same_result_other_seed_differs_seed_0_valid():
    model = gtu.load_model("territory")
    state = np.random.get_state()[1].copy()
    a = robustness(model, form="sequential", samples=256, seed=0, sobol_samples=32)
    b = robustness(model, form="sequential", samples=256, seed=0, sobol_samples=32)
    c = robustness(model, form="sequential", samples=256, seed=1, sobol_samples=32)
    assert np.array_equal(np.random.get_state()[1], state)  # no global random state drawn
    assert a.to_dict() == b.to_dict() and a.points.equals(b.points)
    assert a.to_dict() != c.to_dict() and not a.points.equals(c.points)
    assert a.seed == 0


def test_budgets_refuse_before_solving():
    model = gtu.load_model("territory")
    with pytest.raises(ParameterError, match="budget"):
        robustness(model, form="sequential", samples=4096, max_points=5000)
    with pytest.raises(ParameterError, match="budget"):
        robustness(model, form="sequential", samples=4096, max_work=1000)
    # the 3-player form runs on the batched nplayer engine: 4096 points x 36 units (12 cells x 3 players)
    with pytest.raises(ParameterError, match="budget"):
        robustness(gtu.load_model(THREE_PLAYER), form="normal", samples=4096, max_work=100_000)
    for bad in ({"samples": 1}, {"samples": 2.5}, {"seed": -1}, {"seed": 2**32}, {"sobol_samples": 3},
                {"sobol_samples": 1}, {"form": "extensive"}, {"scenario": "nowhere"}):
        with pytest.raises(ParameterError):
            robustness(model, **{"form": "sequential", **bad})


# ----------------------------------------------------------------------------------- the command
def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_json_has_exactly_the_keys(capsys):
    code, out, err = run(capsys, "robustness", "nato", "--form", "sequential", "--scenario", "baseline-2025",
                         "--samples", "512", "--seed", "0", "--format", "json")
    assert code == 0, err
    doc = json.loads(out)
    assert list(doc) == ["model", "form", "scenario", "samples", "seed", "outcomes", "drivers"]
    assert (doc["model"], doc["form"], doc["scenario"], doc["samples"], doc["seed"]) == \
        ("nato", "sequential", "baseline-2025", 512, 0)
    assert doc["outcomes"] and all(list(o) == ["outcome", "share", "ci_low", "ci_high"] for o in doc["outcomes"])
    assert all(o["ci_low"] <= o["share"] <= o["ci_high"] for o in doc["outcomes"])
    assert math.isclose(sum(o["share"] for o in doc["outcomes"]), 1.0)
    assert doc["drivers"] and all(list(d) == ["outcome", "parameter", "S1", "ST"] for d in doc["drivers"])
    model = gtu.load_model("nato")
    box = _box(model, "sequential", "baseline-2025")
    for o in doc["outcomes"]:
        assert sorted(d["parameter"] for d in doc["drivers"] if d["outcome"] == o["outcome"]) == sorted(box)


def test_cli_table(capsys):
    code, out, err = run(capsys, "robustness", "territory", "--form", "normal", "--samples", "256",
                         "--sobol-samples", "16")
    assert code == 0, err
    lines = out.splitlines()
    d = len(_box(gtu.load_model("territory"), "normal", None))
    assert lines[0] == f"territory (normal): robustness over {d} parameters, 256 sampled points, seed 0"
    assert "95% CI (Wilson)" in out and "(at the point)" in out and "S1" in out and "ST" in out


@pytest.mark.parametrize("argv,where", [
    (["robustness", "no-such-model"], "no-such-model"),
    (["robustness", "territory", "--form", "extensive"], "--form"),
    (["robustness", "territory", "--scenario", "nowhere"], "--scenario"),
    (["robustness", "territory", "--samples", "1"], "--samples"),
    (["robustness", "territory", "--samples", "many"], "--samples"),
    (["robustness", "territory", "--seed", str(2**32)], "--seed"),
    (["robustness", "territory", "--seed", "-1"], "seed"),
    (["robustness", "territory", "--sobol-samples", "100"], "--sobol-samples"),
    (["robustness", "territory", "--max-points", "10"], "--max-points"),
    (["robustness", "territory", "--max-work", "10"], "--max-work"),
    (["robustness", "territory", "--format", "xml"], "--format"),
])
def test_cli_bad_input_is_one_line_and_exit_2(capsys, argv, where):
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse refuses while reading the command line
        code = exc.code
    err = capsys.readouterr().err
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and err.startswith("gtu: error:") and where in err
