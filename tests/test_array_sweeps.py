"""Sweeps over listed float values (numpy arrays, lists of floats): kept as floats end to end, recorded compactly in
the table's metadata, and routed to the batched bimatrix engine for two-player normal forms with one free
parameter (territory's 6 x 14 form included). Expected numbers come from the exact scalar solver at each point
(``model.solve(..., exact=True)``), from the string grid's own design, and from sympy's exact rational-function
arithmetic."""

from __future__ import annotations

import json
from fractions import Fraction as F

import numpy as np
import pandas as pd
import pytest
import sympy

import gametheory_ukraine as gtu
from gametheory_ukraine.analysis.designs import Spec, as_spec, design
from gametheory_ukraine.analysis.sweep_plan import choose_engine, plan_sweep, sweep_attrs
from gametheory_ukraine.batched.structural import _factor_structure, _specialise, _univariate_factors
from gametheory_ukraine.core.numbers import to_exact
from gametheory_ukraine.games.normal_form import NormalFormGame

SCENARIO = "baseline-2025"


def _others(model, varied=("rho",)):
    return {k: v for k, v in model.values(SCENARIO).items() if k not in varied}


# ------------------------------------------------------------------------------- same points, same table
def test_array_sweep_equals_the_string_grid_sweep():
    """The grid's own float points given as an array give the string grid's table, cell for cell."""
    model = gtu.load_model("nato")
    points = design({"rho": "0.01:0.5:301"})["rho"].to_numpy()
    by_text = gtu.sweep(model, {"rho": "0.01:0.5:301"}, form="normal", scenario=SCENARIO, chunk_size=64)
    by_array = gtu.sweep(model, {"rho": points}, form="normal", scenario=SCENARIO, chunk_size=100)
    by_list = gtu.sweep(model, {"rho": points.tolist()}, form="normal", scenario=SCENARIO)
    assert by_array.attrs["engine"] == by_text.attrs["engine"] == "bimatrix"
    pd.testing.assert_frame_equal(by_array, by_text, check_exact=True)
    pd.testing.assert_frame_equal(by_list, by_text, check_exact=True)
    again = gtu.sweep(model, {"rho": points}, form="normal", scenario=SCENARIO)
    pd.testing.assert_frame_equal(again, by_array, check_exact=True)
    assert again.attrs["specs"] == by_array.attrs["specs"]


@pytest.mark.parametrize("name", ["territory", "nato"])
def test_array_sweep_of_a_normal_form_agrees_with_exact_scalar_solves(name):
    """Territory's 6 x 14 and nato's normal forms swept over an array of rho on the batched engine: at a sample
    of points (random ones and the floats next to rho = 1/27, where Ukraine's choice changes) every equilibrium,
    its outcome, payoffs and probabilities equal the exact scalar solver's at the point's exact value."""
    model = gtu.load_model(name)
    rng = np.random.default_rng(11)
    near = [float(F(1, 27)), np.nextafter(float(F(1, 27)), 1.0), np.nextafter(float(F(1, 27)), 0.0)]
    rho = np.concatenate([np.sort(rng.uniform(0.01, 0.5, 600)), near])
    df = gtu.sweep(model, {"rho": rho}, form="normal", scenario=SCENARIO, chunk_size=128)
    assert df.attrs["engine"] == "bimatrix"
    game = model.symbolic("normal")
    sample = [*rng.choice(600, 5, replace=False).tolist(), 600, 601, 602]
    for p in sample:
        exact = model.solve("normal", SCENARIO, exact=True, rho=to_exact(float(rho[p])))
        rows = df[df["point_id"] == p]
        assert len(rows) == len(exact.equilibria) and rows["n_equilibria"].eq(len(exact.equilibria)).all()
        assert rows["complete"].all() == exact.complete
        for (_, row), eq in zip(rows.iterrows(), exact.equilibria):
            assert row["rho"] == rho[p] and row["outcome"] == eq.outcome
            for i, player in enumerate(game.players):
                assert row[f"payoff:{player}"] == pytest.approx(float(eq.payoffs[i]), abs=1e-9)
                for a, action in enumerate(game.actions[i]):
                    assert row[f"prob:{player}:{action}"] == pytest.approx(float(eq.strategies[i][a]), abs=1e-9)


def test_exact_sweep_of_listed_floats_reads_them_as_their_decimals():
    """exact=True with a float array solves each point at the float's shortest decimal, as the same values
    written as text do: both find the two equilibria of territory's tree at rho = 1/27 only when given 1/27."""
    model = gtu.load_model("territory")
    floats = np.array([0.02, 0.04, 0.0625])
    by_array = gtu.sweep(model, {"rho": floats}, form="sequential", scenario=SCENARIO, exact=True)
    by_text = gtu.sweep(model, {"rho": "0.02,0.04,0.0625"}, form="sequential", scenario=SCENARIO, exact=True)
    assert by_array.attrs["engine"] == "scalar" and by_array.attrs["exact"] is True
    pd.testing.assert_frame_equal(by_array, by_text, check_exact=True)
    assert as_spec(floats).values_at(np.arange(3), exact=True).tolist() == [F(1, 50), F(1, 25), F(1, 16)]


# -------------------------------------------------------------------------------------- metadata
def test_metadata_of_a_listed_design_is_compact_and_changes_with_any_value():
    rng = np.random.default_rng(3)
    values = rng.uniform(0.01, 0.5, 10**6)
    text = str(as_spec(values))
    assert len(text) < 120 and text.startswith("array(n=1000000, ")
    assert f"min={float(values.min())!r}" in text and f"max={float(values.max())!r}" in text
    changed = values.copy()
    changed[500_000] = np.nextafter(changed[500_000], 1.0)
    assert str(as_spec(changed)) != text and str(as_spec(values.copy())) == text
    assert as_spec(changed) != as_spec(values) and as_spec(values.copy()) == as_spec(values)
    exact = [F(k, 97) for k in range(1, 201)]  # a long exact list: compact too
    assert len(str(Spec.listed(exact))) < 120 and str(Spec.listed(exact)).startswith("list(n=200, min=1/97, max=")
    assert str(Spec.listed(["0.1", "1/27"])) == "0.1,1/27"  # short lists stay readable


def test_a_million_point_array_sweep_does_not_write_its_values_into_the_metadata():
    """Planning a 10**6-point array sweep (nothing is solved but one probe point): the table's attrs, as the JSON
    a Parquet file stores, stay under 2,000 characters."""
    values = np.linspace(0.01, 0.5, 10**6)
    plan = plan_sweep("nato", {"rho": values}, form="normal", scenario=SCENARIO)
    attrs = sweep_attrs(plan)
    assert attrs["points"] == 10**6 and attrs["engine"] == "bimatrix"
    assert len(json.dumps(attrs, default=str)) < 2000 and attrs["specs"]["rho"].startswith("array(n=1000000,")
    lo, hi = plan.bounds(plan.n_chunks - 1)
    np.testing.assert_array_equal(plan.design(plan.n_chunks - 1)["rho"], values[lo:hi])


def test_array_values_are_checked():
    with pytest.raises(gtu.ParameterError, match="value 2 of the list, nan, is not a finite number"):
        as_spec(np.array([0.1, 0.2, np.nan]))
    with pytest.raises(gtu.ParameterError, match="outside|above|below|range"):
        gtu.sweep("nato", {"rho": np.array([0.1, 7.0])}, form="normal")
    with pytest.raises(gtu.ParameterError, match="listed values"):
        gtu.sweep("nato", {"rho": np.array([0.1, 0.2])}, form="normal", method="mc", samples=4)
    s = as_spec(np.array([0.3, 0.1]))
    with pytest.raises(ValueError, match="read-only"):
        s.data[0] = 1.0


# --------------------------------------------------------------------------------------- routing
def test_big_two_player_normal_forms_with_one_free_parameter_take_the_bimatrix_engine():
    """Territory's 6 x 14 form (38,759 pairs of supports): the bimatrix engine once every parameter but the
    swept one is fixed -- from a spec string and from an array alike -- and the scalar engine when two vary."""
    territory = gtu.load_model("territory")
    assert choose_engine(territory, "normal", False, "auto", _others(territory)) == "bimatrix"
    assert choose_engine(territory, "normal", False, "auto", _others(territory, ("rho", "kappa"))) == "scalar"
    assert choose_engine(territory, "normal", False, "auto") == "scalar"
    for values in ({"rho": "0.01:0.5:5"}, {"rho": np.linspace(0.01, 0.5, 5)}):
        assert plan_sweep(territory, values, form="normal", scenario=SCENARIO).engine == "bimatrix"
    two = {"rho": "0.01:0.5:2", "kappa": "0:1:2"}
    assert plan_sweep(territory, two, form="normal", scenario=SCENARIO).engine == "scalar"


def _random_game(seed: int) -> NormalFormGame:
    """A 4 x 5 game with entries (a + b t) / (c + t), c > 0, some cells copied (structural ties)."""
    rng = np.random.default_rng(seed)
    t = sympy.Symbol("t")

    def entry():
        a, b = (int(v) for v in rng.integers(-3, 4, 2))
        return a + b * t if rng.random() < 0.6 else (a + b * t) / (int(rng.integers(1, 4)) + t)

    A = [[entry() for _ in range(5)] for _ in range(4)]
    B = [[entry() for _ in range(5)] for _ in range(4)]
    for i in range(4):
        for j in range(1, 5):
            if rng.random() < 0.3:
                A[i][j], B[i][j] = A[i][j - 1], B[i][j - 1]
    return NormalFormGame.from_arrays(A, B)


@pytest.mark.parametrize("seed", range(12))
def test_integer_minors_find_every_factor_of_the_rational_function_minors(seed):
    """The big-game path (minors as integers by Kronecker substitution) against sympy's exact arithmetic in
    Q(t): the same identically-zero minors, and every factor sympy finds among its factors (it may add the
    rows' denominators, which only refines the grouping)."""
    game = _random_game(seed)
    field_factors, field_zero, _ = _factor_structure(game)
    fast_factors, fast_zero, _ = _univariate_factors(game)
    assert fast_zero == field_zero
    assert set(field_factors) <= set(fast_factors)


@pytest.mark.parametrize(("name", "param"), [("nato", "rho"), ("chain-store", "d")])
def test_integer_minors_give_the_field_factors_of_the_bundled_games(name, param):
    model = gtu.load_model(name)
    scenario = SCENARIO if SCENARIO in model.scenarios else None
    spec, _ = _specialise(model.symbolic("normal"),
                          {k: v for k, v in model.values(scenario).items() if k != param})
    field_factors, field_zero, _ = _factor_structure(spec)
    fast_factors, fast_zero, _ = _univariate_factors(spec)
    assert (fast_zero, set(fast_factors)) == (field_zero, set(field_factors))
