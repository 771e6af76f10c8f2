"""Local and global sensitivity (gametheory_ukraine/analysis/sensitivity.py), checked against independent numbers:
hand-derived closed forms (the war value W_U = (1 - p - c_U)/(1 - delta), relapse-discounted deal values, mixed
equilibria of small games), finite differences through the solver, and the analytic Sobol' indices of the Ishigami
function with SALib's own tolerance."""

from __future__ import annotations

import json
import math
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from conftest import MINIMAL, THREE_PLAYER
from numpy.testing import assert_allclose
from SALib.test_functions import Ishigami

import gametheory_ukraine as gtu
from gametheory_ukraine.analysis import sensitivity as S
from gametheory_ukraine.cli import main
from gametheory_ukraine.core.errors import ParameterError


@pytest.fixture(scope="module")
def territory():
    return gtu.load_model("territory")


@pytest.fixture(scope="module")
def chain():
    return gtu.load_model("chain-store")


def row(df, param, quantity):
    sel = df[(df["param"] == param) & (df["quantity"] == quantity)]
    assert len(sel) == 1, (param, quantity)
    return sel.iloc[0]


# ======================================================================================= local: trees
def test_territory_baseline_spe_war_value_derivatives_by_hand(territory):
    """At baseline-2025 the SPE is "war continues" and Ukraine gets W_U = (1 - p - c_U)/(1 - delta) = 2.5
    (models/README.md). By hand: dW_U/dp = dW_U/dc_U = -1/(1 - delta) = -10, elasticities -10*0.6/2.5 = -2.4
    and -10*0.15/2.5 = -0.6; dW_U/ddelta = (1 - p - c_U)/(1 - delta)^2 = 25, elasticity 25*0.9/2.5 = 9;
    W_U does not depend on rho (rho enters only deals that are not taken). Russia: W_R = (p - c_R)/(1 - delta)
    = 5, dW_R/dp = 10 (elasticity 1.2), dW_R/dc_R = -10 (elasticity -0.2)."""
    df = S.local_sensitivity(territory, form="sequential", scenario="baseline-2025")
    assert list(df.columns) == list(S.LOCAL_COLUMNS)
    assert set(df["method"]) == {"symbolic"}
    assert df.attrs["outcome"] == "war continues" and df.attrs["n_equilibria"] == 1
    expected = {  # (param, quantity): (value, derivative, elasticity)
        ("p", "payoff:Ukraine"): (2.5, -10, -2.4),
        ("c_U", "payoff:Ukraine"): (2.5, -10, -0.6),
        ("delta", "payoff:Ukraine"): (2.5, 25, 9),
        ("rho", "payoff:Ukraine"): (2.5, 0, 0),
        ("p", "payoff:Russia"): (5, 10, 1.2),
        ("c_R", "payoff:Russia"): (5, -10, -0.2),
        ("delta", "payoff:Russia"): (5, 50, 9),
        ("rho", "payoff:Russia"): (5, 0, 0),
    }
    for (param, quantity), (value, derivative, elasticity) in expected.items():
        r = row(df, param, quantity)
        assert r.value == pytest.approx(value, rel=1e-12)
        assert r.derivative == pytest.approx(derivative, rel=1e-12, abs=1e-12)
        assert r.elasticity == pytest.approx(elasticity, rel=1e-12, abs=1e-12)
    assert row(df, "p", "payoff:Ukraine").expression == "-1/(1 - delta)"
    # The behaviour is pure, so every strategy derivative is 0; the outcome is sure and stays so locally.
    probs = df[df["quantity"].str.startswith("prob:")]
    assert len(probs) and (probs["derivative"] == 0).all()
    war = df[df["quantity"] == "outcome:war continues"]
    assert len(war) == 11 and (war["value"] == 1).all() and (war["derivative"] == 0).all()
    outcomes = {q for q in df["quantity"] if q.startswith("outcome:")}
    deals = ("settlement on Russian terms", "compromise settlement", "managed freeze")
    assert outcomes == {"outcome:war continues", *(f"outcome:{d}" for d in deals),
                        *(f"outcome:{d}, then relapse" for d in deals)}
    # 11 parameters that enter a payoff (x_prewar, the pre-war reference, enters none) x (2 payoffs, 9 + 12
    # action probabilities: Russia's demand and 3 keep-or-break sets, Ukraine's 3 answers and 3 keep-or-break
    # sets, 7 outcomes)
    assert "x_prewar" not in set(df["param"])
    assert len(df) == 11 * (2 + 21 + 7)
    # Strategy quantities of trees name the information set: Ukraine's answer to the Donbas demand.
    assert row(df, "p", "prob:Ukraine:ukraine_on_donbas:fight on").value == 1


def test_territory_managed_freeze_swap_value_derivatives_by_hand(territory):
    """managed-freeze with no erosion (dp_erosion = 0) and a freeze line at x_F = 0.52: the swap splits
    x_S = x_F + sigma*(x_D - x_F) = 0.556, inside the bargaining range at the post-deal odds
    [p - c_R, p + c_U] = [0.5, 0.75], so neither side breaks it, and the unique SPE is the kept swap. By hand,
    Ukraine's value of it is V_U = (1 - x_S + delta*h_S*W_U)/(1 - delta*(1 - h_S)) with
    h_S = rho*(1 + kappa*sigma) = 0.3*1.1 = 0.33 and W_U = 2.5: (0.444 + 0.7425)/0.397 = 2373/794 > W_U, and
    Russia's (0.556 + 1.485)/0.397 = 2041/397 > W_R = 5. So dV_U/dx_D = -sigma/(1 - delta*(1 - h_S)) = -0.2/0.397
    and dV_U/dx_F = -(1 - sigma)/0.397; Russia's derivatives are the opposite."""
    point = {"dp_erosion": "0", "x_F": "0.52"}
    df = S.local_sensitivity(territory, form="sequential", scenario="managed-freeze", params=["x_D", "x_F"],
                             values=point)
    assert df.attrs["outcome"] == "compromise settlement" and df.attrs["n_equilibria"] == 1
    assert row(df, "x_D", "payoff:Ukraine").value == pytest.approx(2373 / 794, rel=1e-12)
    assert row(df, "x_D", "payoff:Russia").value == pytest.approx(2041 / 397, rel=1e-12)
    assert row(df, "x_D", "payoff:Ukraine").derivative == pytest.approx(-0.2 / 0.397, rel=1e-12)
    assert row(df, "x_F", "payoff:Ukraine").derivative == pytest.approx(-0.8 / 0.397, rel=1e-12)
    assert row(df, "x_D", "payoff:Russia").derivative == pytest.approx(0.2 / 0.397, rel=1e-12)
    assert set(df["param"]) == {"x_D", "x_F"}


# ================================================================================ local: normal forms
def test_mixed_coordination_equilibrium_derivatives_by_hand(write_model):
    """tests/conftest.py MINIMAL at a = 1/2: Row (U, D), Col (L, R), payoffs (a, 1) at (U, L), (1, a) at
    (D, R), 0 elsewhere. The mixed equilibrium, by hand: Col indifferent, x = P(U) = a/(1 + a) = 1/3;
    Row indifferent, y = P(L) = 1/(1 + a) = 2/3; both payoffs a/(1 + a) = 1/3. Derivatives: dx/da = 1/(1 + a)^2
    = 4/9, dy/da = -4/9, payoffs 4/9; elasticities 2/3, -1/3, 2/3; P(U, L) = xy = 2/9 with derivative
    x'y + xy' = 8/27 - 4/27 = 4/27."""
    model = gtu.load_model(write_model(MINIMAL))
    res = model.solve(a="1/2")
    mixed = [k for k, eq in enumerate(res) if 0 < eq.strategies[0][0] < 1]
    assert len(mixed) == 1
    df = S.local_sensitivity(model, values={"a": "1/2"}, equilibrium=mixed[0])
    assert set(df["method"]) == {"symbolic"}
    expected = {"prob:Row:U": (1 / 3, 4 / 9, 2 / 3), "prob:Row:D": (2 / 3, -4 / 9, -1 / 3),
                "prob:Col:L": (2 / 3, -4 / 9, -1 / 3), "prob:Col:R": (1 / 3, 4 / 9, 2 / 3),
                "payoff:Row": (1 / 3, 4 / 9, 2 / 3), "payoff:Col": (1 / 3, 4 / 9, 2 / 3),
                "outcome:U / L": (2 / 9, 4 / 27, 1 / 3)}
    for quantity, (value, derivative, elasticity) in expected.items():
        r = row(df, "a", quantity)
        assert (r.value, r.derivative, r.elasticity) == pytest.approx((value, derivative, elasticity), rel=1e-12)
    # The expression is the derivative of a/(1 + a), in whatever form sympy writes it.
    import sympy as sp

    a = sp.Symbol("a")
    assert sp.simplify(sp.sympify(row(df, "a", "prob:Row:U").expression) - 1 / (1 + a) ** 2) == 0


def test_degenerate_chain_store_extreme_mixed_equilibrium_by_hand(chain):
    """Chain store, normal form, Selten's numbers: the entrant stays out and the incumbent fights with
    probability q >= (d - o_E)/(d + c_E) = 1/2; the extreme point q = 1/2 keeps the entrant indifferent,
    o_E = -c_E*q + d*(1 - q). By hand: dq/dd = (c_E + o_E)/(d + c_E)^2 = 1/4, dq/do_E = -1/(d + c_E) = -1/2,
    dq/dc_E = -(d - o_E)/(d + c_E)^2 = -1/4; elasticities 1 (d) and -1 (o_E). Payoffs o_E and m."""
    res = chain.solve("normal")
    k = next(i for i, eq in enumerate(res) if eq.strategies[1][0] == Fraction(1, 2))
    df = S.local_sensitivity(chain, form="normal", equilibrium=k)
    assert set(df["method"]) == {"symbolic"}
    fight = "prob:Incumbent:fight"
    assert (row(df, "d", fight).derivative, row(df, "d", fight).elasticity) == pytest.approx((0.25, 1.0))
    assert (row(df, "o_E", fight).derivative, row(df, "o_E", fight).elasticity) == pytest.approx((-0.5, -1.0))
    assert row(df, "c_E", fight).derivative == pytest.approx(-0.25)
    assert row(df, "c_E", fight).elasticity == 0  # c_E = 0 at the point
    assert row(df, "d", "prob:Incumbent:acquiesce").derivative == pytest.approx(-0.25)
    assert row(df, "o_E", "payoff:Entrant").derivative == 1 and row(df, "m", "payoff:Incumbent").derivative == 1
    assert row(df, "d", "payoff:Entrant").derivative == 0
    # Elasticity is NaN where the quantity is 0: the entrant never enters here.
    assert math.isnan(row(df, "d", "prob:Entrant:enter").elasticity)


def test_pure_equilibria_of_three_players_are_symbolic():
    """The 3-player fixture (the previous guarantees model), normal form: its equilibria are pure, so payoffs are
    the payoff expressions at the profile. At the war profile Russia gets W_R = (p - c_R)/(1 - delta): dW_R/dp =
    10 at delta = 0.9."""
    model = gtu.load_model(THREE_PLAYER)
    res = model.solve("normal")
    # the first pure one: the war profile is also a vertex of segments of equilibria where Russia mixes
    k = next(i for i, eq in enumerate(res) if eq.outcome == "war continues"
             and all(max(s) == 1 for s in eq.strategies))
    df = S.local_sensitivity(model, form="normal", equilibrium=k, params=["p"])
    assert set(df["method"]) == {"symbolic"}
    assert row(df, "p", "payoff:Russia").derivative == pytest.approx(10, rel=1e-12)


# ============================================================================ local: finite differences
@pytest.mark.parametrize("name, form, scenario, values, k", [
    ("territory", "sequential", "managed-freeze", None, 0),
    ("territory", "sequential", "baseline-2025", {"rho": "0.02"}, 0),  # below rho* = 1/27: Donbas is ceded
    ("nato", "normal", None, None, 0),  # a mixed extreme equilibrium of a degenerate 4x4 game
])
def test_finite_differences_agree_with_the_symbolic_derivatives(name, form, scenario, values, k):
    model = gtu.load_model(name)
    sym = S.local_sensitivity(model, form=form, scenario=scenario, values=values, equilibrium=k)
    num = S.local_sensitivity(model, form=form, scenario=scenario, values=values, equilibrium=k,
                              method="finite difference")
    assert set(sym["method"]) == {"symbolic"} and set(num["method"]) == {"finite difference"}
    assert (sym["value"] == num["value"]).all()
    assert not num["derivative"].isna().any()
    assert_allclose(num["derivative"], sym["derivative"], rtol=1e-8, atol=1e-8)
    assert (sym["derivative"] != 0).sum() >= 4  # the comparison is not only of zeros


def test_settlement_below_the_threshold_depends_on_rho(territory):
    """Below rho* = 1/27 Ukraine cedes Donbas; its deal value V_U = (1 - x_D + delta*rho_D*W'_U)/(1 - delta*(1 -
    rho_D)), rho_D = rho*(1 + kappa), falls with rho because the relapse war W'_U = (1 - p - dp_belt - c_U)/(1 -
    delta) = 1.5 is worth less than the deal's yearly 0.3/(1 - delta) = 3. By hand at rho = 0.02:
    dV_U/drho = (1 + kappa)*delta*(1 - delta)*(W'_U - (1 - x_D)/(1 - delta))/(1 - delta*(1 - rho_D))^2."""
    df = S.local_sensitivity(territory, form="sequential", scenario="baseline-2025", values={"rho": "0.02"},
                             params=["rho"])
    assert df.attrs["outcome"] == "settlement on Russian terms"
    rho_d, delta = 0.02 * 1.5, 0.9
    hand = 1.5 * delta * (1 - delta) * (1.5 - 3.0) / (1 - delta * (1 - rho_d)) ** 2
    assert row(df, "rho", "payoff:Ukraine").derivative == pytest.approx(hand, rel=1e-12)


def test_mixed_equilibrium_of_three_players_falls_back_to_finite_differences(write_model):
    """MINIMAL plus a bystander with one action: three players, so no linear closed form; the finite
    differences reproduce the two-player hand values dx/da = 4/9, dy/da = -4/9 at a = 1/2."""
    text = (MINIMAL.replace("players: [Row, Col]", "players: [Row, Col, Bystander]")
            .replace("      Col: [L, R]\n", "      Col: [L, R]\n      Bystander: [wait]\n"))
    for r, c in (("U", "L"), ("U", "R"), ("D", "L"), ("D", "R")):
        old = f"      - play: {{Row: {r}, Col: {c}}}\n"
        assert old in text
        text = text.replace(old, f"      - play: {{Row: {r}, Col: {c}, Bystander: wait}}\n")
    text = text.replace("payoffs: {Row: a, Col: 1}", "payoffs: [a, 1, 0]").replace(
        "payoffs: {Row: 0, Col: 0}", "payoffs: [0, 0, 0]").replace("payoffs: {Row: 1, Col: a}", "payoffs: [1, a, 0]")
    model = gtu.load_model(write_model(text))
    res = model.solve(a="1/2")
    k = next(i for i, eq in enumerate(res) if 0 < eq.strategies[0][0] < 1)
    df = S.local_sensitivity(model, values={"a": "1/2"}, equilibrium=k)
    assert set(df["method"]) == {"finite difference"}
    assert any("no closed form" in note for note in df.attrs["notes"])
    assert row(df, "a", "prob:Row:U").derivative == pytest.approx(4 / 9, rel=1e-9)
    assert row(df, "a", "prob:Col:L").derivative == pytest.approx(-4 / 9, rel=1e-9)
    assert row(df, "a", "payoff:Row").derivative == pytest.approx(4 / 9, rel=1e-9)
    with pytest.raises(ParameterError, match="no closed form"):
        S.local_sensitivity(model, values={"a": "1/2"}, equilibrium=k, method="symbolic")


TREE = """\
name: tinytree
title: The tiny coordination game as a tree with an information set
players: [Row, Col]
parameters:
  a: {symbol: a, default: 1, low: 0, high: 2, description: a payoff, source: "hand-made for tests"}
forms:
  sequential:
    root: row
    nodes:
      row: {player: Row, actions: {U: col_after_u, D: col_after_d}}
      col_after_u: {player: Col, infoset: col, actions: {L: ul, R: ur}}
      col_after_d: {player: Col, infoset: col, actions: {L: dl, R: dr}}
      ul: {payoffs: {Row: a, Col: 1}}
      ur: {payoffs: {Row: 0, Col: 0}}
      dl: {payoffs: {Row: 0, Col: 0}}
      dr: {payoffs: {Row: 1, Col: a}}
"""


def test_mixed_behaviour_in_a_tree_falls_back_to_finite_differences(write_model):
    """MINIMAL as a tree in which Col does not see Row's move: the mixed SPE mixes at both information sets,
    so the derivatives come from finite differences; they match the hand values of the normal form."""
    model = gtu.load_model(write_model(TREE))
    res = model.solve(a="1/2")
    k = next(i for i, eq in enumerate(res) if 0 < eq.strategies[0]["row"][0] < 1)
    df = S.local_sensitivity(model, values={"a": "1/2"}, equilibrium=k)
    assert set(df["method"]) == {"finite difference"}
    assert row(df, "a", "prob:Row:row:U").derivative == pytest.approx(4 / 9, rel=1e-9)
    assert row(df, "a", "prob:Col:col:L").derivative == pytest.approx(-4 / 9, rel=1e-9)
    assert row(df, "a", "outcome:ul").derivative == pytest.approx(4 / 27, rel=1e-9)
    pure = S.local_sensitivity(model, values={"a": "1/2"}, equilibrium=next(i for i in range(3) if i != k))
    assert set(pure["method"]) == {"symbolic"}


def test_local_bad_input(chain):
    with pytest.raises(ParameterError, match="equilibrium 7 does not exist"):
        S.local_sensitivity(chain, form="sequential", equilibrium=7)
    with pytest.raises(ParameterError, match="no parameter 'rho'"):
        S.local_sensitivity(chain, params=["rho"])
    with pytest.raises(ParameterError, match="outside its range"):
        S.local_sensitivity(chain, values={"d": 11})


# ============================================================================================ measures
def test_measure_is_the_mean_over_the_equilibria(chain):
    """Chain store, normal form, Selten's numbers: three extreme equilibria with entrant payoffs 1, 1 and 2
    (README): the measure is their mean 4/3; "entry deterred" holds in two of three."""
    y, n = S.measure_at_points(chain, "payoff:Entrant", [{}], form="normal")
    assert n.tolist() == [3] and y[0] == pytest.approx(4 / 3, rel=1e-15)
    y, _ = S.measure_at_points(chain, "outcome:entry deterred", [{}], form="normal")
    assert y[0] == pytest.approx(2 / 3, rel=1e-15)
    with pytest.raises(ParameterError, match="no outcome 'peace'"):
        S.parse_measure(chain, "normal", "outcome:peace")
    with pytest.raises(ParameterError, match="cannot read the measure"):
        S.parse_measure(chain, "normal", "welfare")


# ============================================================================================= tornado
def test_tornado_chain_store_order_by_hand(chain):
    """Sequential chain store: the incumbent acquiesces (d >= -c_I) and the entrant gets max(o_E, d). By hand,
    d over [0, 10]: at d = 0 the entrant stays out (1; the incumbent's tie gives two SPE, both 1), at 10 it
    enters (10): swing 9. o_E over [0, 10]: 2 then 10: swing 8. m, c_E, c_I: no change."""
    df = S.tornado(chain, "payoff:Entrant", form="sequential")
    assert list(df.columns) == list(S.TORNADO_COLUMNS)
    assert df["param"].tolist() == ["d", "o_E", "m", "c_E", "c_I"]
    assert df[["measure_at_low", "measure_at_high", "swing"]].values.tolist()[:2] == [[1, 10, 9], [2, 10, 8]]
    assert (df["base"] == 2).all() and (df["swing"].iloc[2:] == 0).all()


def test_tornado_territory_delta_swings_most_and_rho_flips_the_outcome(territory):
    """Ukraine's war value W_U = 0.25/(1 - delta) runs from 1.25 (delta = 0.8) to 12.5 (delta = 0.98), the war
    going on at both ends; no other parameter moves Ukraine's payoff that far. rho over [0.01, 0.5] crosses
    rho* = 1/27: the war outcome has probability 0 at rho = 0.01 and 1 at rho = 0.5."""
    df = S.tornado(territory, "payoff:Ukraine", form="sequential", scenario="baseline-2025")
    first = df.iloc[0]
    assert first.param == "delta"
    assert (first.measure_at_low, first.measure_at_high) == pytest.approx((1.25, 12.5), rel=1e-12)
    assert (df["base"] == 2.5).all() and df["swing"].is_monotonic_decreasing
    war = S.tornado(territory, "outcome:war continues", form="sequential", scenario="baseline-2025",
                    params="rho,kappa")
    assert war.set_index("param").loc["rho", ["measure_at_low", "measure_at_high"]].tolist() == [0, 1]
    # kappa in [0, 1] keeps rho* = (1 - delta)*0.05/(delta*(1 + kappa)*0.1) <= 1/18 < 0.129: still war.
    assert war.set_index("param").loc["kappa", "swing"] == 0
    with pytest.raises(ParameterError, match="leaves no parameter to vary"):
        S.tornado(gtu.load_model("chain-store"), "payoff:Entrant",
                  values={"o_E": 1, "d": 2, "m": 5, "c_E": 0, "c_I": 0})


def test_plot_tornado_hatched_bars(chain, tmp_path):
    df = S.tornado(chain, "payoff:Entrant", form="sequential")
    fig = S.plot_tornado(df)
    ax = fig.axes[0]
    assert len(ax.patches) == 2 * len(df)
    assert {p.get_hatch() for p in ax.patches} == {"///", "..."}
    assert ax.get_yticklabels()[-1].get_text() == "d [0, 10]"  # the largest swing on top
    assert "payoff:Entrant" in ax.get_title()
    fig.savefig(tmp_path / "tornado.png")
    assert (tmp_path / "tornado.png").stat().st_size > 1000


# =============================================================================================== Sobol
def ishigami_reference(a: float = 7.0, b: float = 0.1):
    """Analytic Sobol' indices of the Ishigami function (Ishigami & Homma 1990; Saltelli et al. 2008,
    Global Sensitivity Analysis: The Primer, sect. 4): V = 1/2 + a^2/8 + b pi^4/5 + b^2 pi^8/18,
    V1 = 1/2 + b pi^4/5 + b^2 pi^8/50, V2 = a^2/8, V3 = 0, V13 = 8 b^2 pi^8/225."""
    pi = math.pi
    v = 0.5 + a**2 / 8 + b * pi**4 / 5 + b**2 * pi**8 / 18
    v1 = 0.5 + b * pi**4 / 5 + b**2 * pi**8 / 50
    v2 = a**2 / 8
    v13 = 8 * b**2 * pi**8 / 225
    return np.array([v1, v2, 0.0]) / v, np.array([v1 + v13, v2, v13]) / v


ISHIGAMI = {"names": ["x1", "x2", "x3"], "bounds": [[-math.pi, math.pi]] * 3}


def test_sobol_indices_reproduce_ishigami():
    """SALib's own regression test (SALib/SALib tests/test_regression.py::test_regression_sobol) checks S1 and
    ST of Ishigami with assert_allclose(..., atol=5e-2, rtol=1e-1); the same tolerance here, through our code
    path, against the analytic values."""
    s1, st = ishigami_reference()
    assert_allclose(s1, [0.3139, 0.4424, 0.0], atol=5e-5)
    assert_allclose(st, [0.5576, 0.4424, 0.2437], atol=5e-5)
    df = S.sobol_indices(Ishigami.evaluate, ISHIGAMI, n=2**12, seed=42)
    assert list(df.columns) == list(S.SOBOL_COLUMNS) and df.index.tolist() == ["x1", "x2", "x3"]
    assert_allclose(df["S1"], s1, atol=5e-2, rtol=1e-1)
    assert_allclose(df["ST"], st, atol=5e-2, rtol=1e-1)
    assert df.attrs["n_evaluations"] == 2**12 * 5
    assert (df["S1_conf"] > 0).all() and (df["S1_conf"] < 0.1).all()


def test_sobol_indices_are_deterministic_and_leave_global_state_alone():
    """Same seed, same table, seed 0 included (SALib 1.6's analyze() uses NumPy's global state for seed 0;
    we pass it a seed drawn from SeedSequence(seed)); another seed, another design."""
    np.random.seed(12345)
    state = np.random.get_state()[1].copy()
    a = S.sobol_indices(Ishigami.evaluate, ISHIGAMI, n=256, seed=0)
    b = S.sobol_indices(Ishigami.evaluate, ISHIGAMI, n=256, seed=0)
    pd.testing.assert_frame_equal(a, b)
    assert (np.random.get_state()[1] == state).all()
    c = S.sobol_indices(Ishigami.evaluate, ISHIGAMI, n=256, seed=1)
    assert not np.allclose(a["S1"], c["S1"])


def test_sobol_indices_bad_input():
    with pytest.raises(ParameterError, match="not a power of two"):
        S.sobol_indices(Ishigami.evaluate, ISHIGAMI, n=100, seed=0)
    with pytest.raises(ParameterError, match="low < high"):
        S.sobol_indices(Ishigami.evaluate, {"names": ["x"], "bounds": [[1, 1]]}, n=8, seed=0)
    with pytest.raises(ValueError, match="one output per row"):
        S.sobol_indices(lambda X: X, ISHIGAMI, n=8, seed=0)
    const = S.sobol_indices(lambda X: np.ones(len(X)), ISHIGAMI, n=8, seed=0)
    assert (const[list(S.SOBOL_COLUMNS)] == 0).all().all() and "constant" in const.attrs["note"]


def test_model_sobol_goes_through_sobol_indices(chain, monkeypatch):
    """The sequential chain-store entrant gets max(o_E, d): model_sobol must give exactly the table that
    sobol_indices gives for numpy's max on the same design, and it must get there by calling sobol_indices.
    For two independent uniforms, S1 = Var(E[max | one])/Var(max) = (1/45)/(1/18) = 0.4 and ST = 0.6."""
    calls = []
    original = S.sobol_indices

    def spy(func, problem, **kw):
        calls.append((list(problem["names"]), kw))
        return original(func, problem, **kw)

    monkeypatch.setattr(S, "sobol_indices", spy)
    got = S.model_sobol(chain, "payoff:Entrant", form="sequential", params=["o_E", "d"], n=64, seed=5)
    assert calls == [(["o_E", "d"], {"n": 64, "seed": 5})]
    problem = {"names": ["o_E", "d"], "bounds": [[0, 10], [0, 10]]}
    want = original(lambda X: np.maximum(X[:, 0], X[:, 1]), problem, n=64, seed=5)
    pd.testing.assert_frame_equal(got[list(S.SOBOL_COLUMNS)], want)
    assert got.attrs["n_points"] == 64 * 4 and got.attrs["n_multiple"] == 0
    assert got.attrs["measure"] == "payoff:Entrant"
    big = original(lambda X: np.maximum(X[:, 0], X[:, 1]), problem, n=2**13, seed=5)
    assert_allclose(big["S1"], [0.4, 0.4], atol=5e-2, rtol=1e-1)
    assert_allclose(big["ST"], [0.6, 0.6], atol=5e-2, rtol=1e-1)


def test_model_sobol_territory_rho_threshold_and_a_dummy(territory):
    """With the others at baseline, "war continues" is the indicator of rho > rho* = 1/27 (models/README.md);
    x_prewar enters no payoff of the game, so both its indices are exactly 0."""
    got = S.model_sobol(territory, "outcome:war continues", form="sequential", scenario="baseline-2025",
                        params=["rho", "x_prewar"], n=32, seed=7)
    problem = {"names": ["rho", "x_prewar"], "bounds": [[0.01, 0.5], [0.1, 0.6]]}
    want = S.sobol_indices(lambda X: (X[:, 0] > 1 / 27).astype(float), problem, n=32, seed=7)
    pd.testing.assert_frame_equal(got[list(S.SOBOL_COLUMNS)], want)
    assert got.loc["x_prewar", "S1"] == 0 and got.loc["x_prewar", "ST"] == 0
    assert got.loc["rho", "ST"] > 0.5


def test_model_sobol_counts_points_with_several_equilibria(chain):
    """The chain store's normal form always has the entry-deterred continuum besides (enter, acquiesce)."""
    df = S.model_sobol(chain, "payoff:Entrant", form="normal", params="o_E,d", n=8, seed=0)
    assert df.attrs["n_points"] == 32 and df.attrs["n_multiple"] == 32


# ================================================================================================= CLI
def test_cli_local_json(capsys):
    code = main(["sensitivity", "territory", "--form", "sequential", "--scenario", "baseline-2025",
                 "--params", "p,rho", "--measure", "payoff:Ukraine", "--format", "json"])
    assert code == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["kind"] == "local" and doc["outcome"] == "war continues"
    rows = {r["param"]: r for r in doc["rows"]}
    assert set(rows) == {"p", "rho"}
    assert rows["p"]["derivative"] == pytest.approx(-10) and rows["p"]["elasticity"] == pytest.approx(-2.4)
    assert rows["p"]["expression"] == "-1/(1 - delta)" and rows["rho"]["derivative"] == 0


def test_cli_tornado_and_sobol_write_csv(tmp_path, capsys):
    out = tmp_path / "tornado.csv"
    assert main(["sensitivity", "chain-store", "--kind", "tornado", "--form", "sequential", "--measure",
                 "payoff:Entrant", "-o", str(out)]) == 0
    df = pd.read_csv(out)
    assert df["param"].tolist()[:2] == ["d", "o_E"] and df["swing"].tolist()[:2] == [9, 8]
    assert "d " in capsys.readouterr().out
    out2 = tmp_path / "sobol.csv"
    assert main(["sensitivity", "chain-store", "--kind", "sobol", "--form", "sequential", "--params", "o_E,d",
                 "--samples", "16", "--seed", "3", "-o", str(out2)]) == 0
    text = capsys.readouterr().out
    assert "64 points solved, 0 with several equilibria" in text
    sob = pd.read_csv(out2)
    assert sob.columns.tolist() == ["param", *S.SOBOL_COLUMNS] and sob["param"].tolist() == ["o_E", "d"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sobol.csv", "tornado.csv"]  # no temporary left


@pytest.mark.parametrize("argv, message", [
    (["--kind", "sobol", "--samples", "100"], "not a power of two"),
    (["--params", "rho"], "no parameter 'rho'"),
    (["--kind", "tornado", "--measure", "payoff:Nobody"], "no player 'Nobody'"),
    (["-p", "c_E=20"], "outside its range"),
    (["-o", "{tmp}/table.txt"], "suffix"),
    (["-o", "{tmp}/missing/table.csv"], "does not exist"),
])
def test_cli_errors_exit_2_without_a_file(tmp_path, capsys, argv, message):
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    if "-o" not in argv:  # a writable output path: the error must still leave no file behind
        argv += ["-o", str(tmp_path / "out.csv")]
    code = main(["sensitivity", "chain-store", *argv])
    assert code == 2
    err = capsys.readouterr().err
    assert err.startswith("gtu: error:") and message in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_the_local_table_leaves_out_undefined_elasticities_and_says_so(capsys):
    """territory at baseline: 187 of its rows are actions not played (value 0, derivative 0, elasticity NaN); the
    table leaves them out and says how many and how to show them; --all shows them."""
    from gametheory_ukraine.cli import main as gtu_main

    args = ["sensitivity", "territory", "--form", "sequential", "--scenario", "baseline-2025"]
    assert gtu_main(args) == 0
    out = capsys.readouterr().out
    assert " nan " not in out and "187 rows left out" in out and "--all shows them" in out
    assert gtu_main(args + ["--all"]) == 0
    full = capsys.readouterr().out
    assert full.count(" nan ") == 187 and "rows left out" not in full


def test_a_sobol_sample_too_small_is_named_with_the_fix():
    """With 64 samples territory's Sobol' intervals are wider than the indices: the result's notes say so and
    name --samples; with 1024 on a two-parameter problem whose indices are large, no warning."""
    from gametheory_ukraine.analysis.sensitivity import sensitivity, sobol_sample_warning

    small = sensitivity(gtu.load_model("territory"), "sobol", form="sequential", measure="payoff:Ukraine",
                        samples=64, seed=0)
    assert any("the sample is too small" in n and "raise --samples (now 64" in n for n in small.notes)
    good = pd.DataFrame({"param": ["a", "b"], "S1": [0.6, 0.3], "S1_conf": [0.05, 0.04], "ST": [0.65, 0.35],
                         "ST_conf": [0.05, 0.04]})
    assert sobol_sample_warning(good, 1024) == []
