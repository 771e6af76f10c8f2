"""Claims of the analysis expressed by the talks-format model (models/talks-format.yaml), as tests.

Checked here, against a backward induction written below by hand from the model file's formulas (Fractions and
sympy; not the package's solvers):

- the baseline's unique SPE, its plan and its payoffs; every scenario's;
- W2: the leaders' preference between bilateral talks first and trilateral talks now (their values of the two
  subgames, read from the solver, against the closed forms theta_R* and theta_U*), the region where both
  prefer trilateral talks, the one where neither does, and a mutation of the model (no status cost of meeting
  alone) under which the W2 check fails;
- when the US gains by stepping back: e_B* in closed form, from `thresholds` and by hand;
- the tree's reduced normal form: every SPE outcome is one of its pure Nash outcomes (form_differences).
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
import sympy as sp

import gametheory_ukraine as gtu
from gametheory_ukraine.analysis.thresholds import CLOSED_FORM, thresholds
from gametheory_ukraine.games.reduce import to_normal_form
from gametheory_ukraine.games.tree import GameTree
from gametheory_ukraine.modelling.registry import bundled_models_dir

F = Fraction
MODEL_FILE = Path(bundled_models_dir()) / "talks-format.yaml"
SCENARIOS = ("baseline-2025", "istanbul-2", "reassurance-force", "managed-freeze")

# The defaults by hand (calibration-2025 plus the model's own), checked against the loaded model below.
DEFAULTS = {"delta": F(9, 10), "rho": F(129, 1000), "p": F(3, 5), "c_R": F(1, 10), "c_U": F(3, 20),
            "theta": F(3, 5), "b_US": F(1, 10), "s_R": F(1, 10), "s_U": F(1, 10), "d_R": F(1, 5), "d_U": F(1, 5),
            "sigma_B": F(1, 5), "sigma_T": F(2, 5), "mu_M": F(1, 2), "g_US": F(1, 10), "e_B": F(1, 50),
            "e_T": F(1, 10)}


# ------------------------------------------------------------------------------ the model by hand
def hand_spe(v):
    """Backward induction by hand: (plan {node: action}, payoffs (Russia, Ukraine, US)) from the model's formulas:
    war (q - c)/(1 - delta), settle(s, h, W) = (s + delta*h*W)/(1 - delta*(1 - h)), x_B = p + (c_U - c_R)/2,
    h_T = rho*(1 + mu_M). Ties raise (the tests use points without them)."""
    d = v["delta"]
    w_r, w_u = (v["p"] - v["c_R"]) / (1 - d), (1 - v["p"] - v["c_U"]) / (1 - d)

    def settle(s, h, w):
        return (s + d * h * w) / (1 - d * (1 - h))

    x_b, h_t = v["p"] + (v["c_U"] - v["c_R"]) / 2, v["rho"] * (1 + v["mu_M"])

    def deal(x, h, cost):
        return settle(x, h, w_r), settle(1 - x, h, w_u), settle(v["g_US"], h, 0) - cost

    plan = {}

    def pick(node, mover, options):
        vals = [o[1][mover] for o in options]
        assert vals.count(max(vals)) == 1, ("tie", node, vals)
        best = options[vals.index(max(vals))]
        plan[node] = best[0]
        return best[1]

    def trilateral(prefix):
        walk_u = (w_r, w_u - v["d_U"], -v["e_T"])
        walk_r = (w_r - v["d_R"], w_u, -v["e_T"])
        tilt_r = pick(f"ukraine_{prefix}tilted", 1, [("accept", deal(x_b + v["b_US"], h_t, v["e_T"])),
                                                    ("walk out", walk_u)])
        tilt_u = pick(f"russia_{prefix}tilted", 0, [("accept", deal(x_b - v["b_US"], h_t, v["e_T"])),
                                                   ("walk out", walk_r)])
        talks = tuple(v["sigma_T"] * (v["theta"] * a + (1 - v["theta"]) * b) + (1 - v["sigma_T"]) * c
                      for a, b, c in zip(tilt_r, tilt_u, (w_r, w_u, -v["e_T"])))
        names = ("putin_later", "zelensky_later") if prefix == "later_" else ("putin_trilateral",
                                                                              "zelensky_trilateral")
        zel = pick(names[1], 1, [("attend", talks), ("decline", (w_r, w_u - v["d_U"], -v["e_T"]))])
        return pick(names[0], 0, [("attend", zel), ("decline", (w_r - v["d_R"], w_u, -v["e_T"]))])

    now = trilateral("")
    later = trilateral("later_")
    later = ((1 - d) * w_r + d * later[0] - v["s_R"], (1 - d) * w_u + d * later[1] - v["s_U"],
             -v["e_B"] + d * later[2])
    bil_deal = deal(x_b, v["rho"], v["e_B"])
    bil_deal = (bil_deal[0] - v["s_R"], bil_deal[1] - v["s_U"], bil_deal[2])
    talks = tuple(v["sigma_B"] * a + (1 - v["sigma_B"]) * b for a, b in zip(bil_deal, later))
    zel = pick("zelensky_bilateral", 1, [("attend", talks), ("decline", (w_r, w_u - v["d_U"], -v["e_B"]))])
    bil = pick("putin_bilateral", 0, [("attend", zel), ("decline", (w_r - v["d_R"], w_u, -v["e_B"]))])
    top = pick("us", 2, [("bilateral talks first", bil), ("trilateral talks now", now),
                         ("step back", (w_r, w_u, 0))])
    return plan, top, {"bilateral": bil, "trilateral": now}


def closed_forms(v):
    """theta_R*, theta_U* and the both-prefer condition's two sides, from the file's findings:
    Russia prefers trilateral talks now iff K*T*(m + (2*theta - 1)*b_US) >= B*m - s_R, Ukraine iff
    K*T*(m - (2*theta - 1)*b_US) >= B*m - s_U, with T = sigma_T*A(h_T), B = sigma_B*A(rho),
    K = 1 - delta*(1 - sigma_B), m = (c_R + c_U)/2, A(h) = 1/(1 - delta*(1 - h))."""
    d = v["delta"]

    def a(h):
        return 1 / (1 - d * (1 - h))

    t = v["sigma_T"] * a(v["rho"] * (1 + v["mu_M"]))
    b = v["sigma_B"] * a(v["rho"])
    k = 1 - d * (1 - v["sigma_B"])
    m = (v["c_R"] + v["c_U"]) / 2
    theta_r = F(1, 2) + ((b * m - v["s_R"]) / (k * t) - m) / (2 * v["b_US"])
    theta_u = F(1, 2) + (m - (b * m - v["s_U"]) / (k * t)) / (2 * v["b_US"])
    return theta_r, theta_u, v["s_R"] + v["s_U"], 2 * m * (b - k * t)


# ------------------------------------------------------------------------------------------ helpers
@pytest.fixture(scope="module")
def model():
    return gtu.load_model("talks-format")


def point(**kw):
    return {**DEFAULTS, **{k: F(x) for k, x in kw.items()}}


def plan_of(res):
    (eq,) = res.equilibria
    return {h: a for per in res.strategy_dict(eq).values() for h, probs in per.items() for a, p in probs.items()
            if p == 1}


def subgame_values(model, scenario=None, **kw):
    """The leaders' SPE values of the two formats' subgames, from the package's solver: {format: (R, U, US)}."""
    tree = model.game("sequential", scenario, **kw)
    out = {}
    for name, root in (("bilateral", "putin_bilateral"), ("trilateral", "putin_trilateral")):
        node = next(n for n in tree.nodes() if n.name == root)
        res = gtu.solve(GameTree(tree.players, node))
        assert len({tuple(eq.payoffs) for eq in res.equilibria}) == 1
        out[name] = tuple(res.equilibria[0].payoffs)
    return out


def prefers_trilateral(values):
    """(Russia prefers trilateral talks now, Ukraine does), from the subgame values."""
    return tuple(values["trilateral"][i] > values["bilateral"][i] for i in (0, 1))


# --------------------------------------------------------------------------------------- baseline
def test_defaults_are_the_shipped_ones(model):
    shipped = model.values()
    assert {k: shipped[k] for k in DEFAULTS} == DEFAULTS


def test_baseline_unique_spe_as_by_hand(model):
    res = model.solve("sequential", "baseline-2025")
    hplan, hpay, _ = hand_spe(point())
    assert plan_of(res) == hplan and tuple(res.equilibria[0].payoffs) == hpay
    assert hplan["us"] == "bilateral talks first"
    assert all(hplan[n] in ("attend", "accept") for n in hplan if n != "us")
    assert hpay[2] == F(312812451, 2962190750)


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_every_scenario_as_by_hand(model, scenario):
    res = model.solve("sequential", scenario)
    hplan, hpay, _ = hand_spe(model.values(scenario))
    assert plan_of(res) == hplan and tuple(res.equilibria[0].payoffs) == hpay


# ------------------------------------------------------------------------------------------ W2
def check_w2(model):
    """W2 at the defaults: both leaders prefer trilateral talks now (their subgame values, solved), as the closed
    forms say (theta_R* <= theta <= theta_U*); on either side of theta_U* Ukraine's preference flips."""
    v = point()
    theta_r, theta_u, costs, need = closed_forms(v)
    assert costs >= need and theta_r <= v["theta"] <= theta_u
    assert prefers_trilateral(subgame_values(model)) == (True, True)
    eps = F(1, 10**6)
    assert prefers_trilateral(subgame_values(model, theta=theta_u - eps)) == (True, True)
    assert prefers_trilateral(subgame_values(model, theta=theta_u + eps)) == (True, False)
    return theta_r, theta_u


@pytest.mark.claim("talks-format", "W2")
def test_w2_both_leaders_prefer_trilateral_talks(model):
    theta_r, theta_u = check_w2(model)
    assert 0 < theta_r < F(1, 10) and F(9, 10) < theta_u < 1   # both for theta in [0.067, 0.933]
    hand = hand_spe(point())[2]
    solver = subgame_values(model)
    assert hand == solver


@pytest.mark.claim("talks-format", "W2")
def test_w2_russia_boundary_and_the_region_where_neither_prefers(model):
    """Russia's boundary theta_R* inside [0, 1] (s_R = 0.06: a cheaper meeting for Putin; theta_R* = 0.557),
    checked on both sides. With no status costs (s_R = s_U = 0; the largest tilt b_US = 0.25, with d_R = d_U =
    0.5 so that the side tilted against still accepts) the interval is empty: for theta between theta_U* and
    theta_R* neither leader prefers trilateral talks, since bilateral talks first bring the more durable deal
    and keep trilateral talks as the fallback."""
    v = point(s_R="0.06")
    theta_r, _, _, _ = closed_forms(v)
    assert 0 < theta_r < 1
    eps = F(1, 10**6)
    assert prefers_trilateral(subgame_values(model, s_R="0.06", theta=theta_r + eps))[0]
    assert not prefers_trilateral(subgame_values(model, s_R="0.06", theta=theta_r - eps))[0]
    kw = {"s_R": "0", "s_U": "0", "b_US": "0.25", "d_R": "0.5", "d_U": "0.5"}
    theta_r, theta_u, costs, need = closed_forms(point(**kw))
    assert costs < need and 0 < theta_u < theta_r < 1
    mid = (theta_r + theta_u) / 2
    plan, _, _ = hand_spe(point(**kw, theta=mid))
    assert all(plan[n] in ("attend", "accept") for n in plan if n != "us")   # where the closed forms hold
    assert prefers_trilateral(subgame_values(model, theta=mid, **kw)) == (False, False)


def test_w2_mutation_no_status_cost_of_meeting_alone_fails_the_check(tmp_path):
    """The W2 check fails on a copy of the model where meeting alone costs nothing (s_R, s_U dropped from the
    bilateral payoffs): the leaders' values change, and Ukraine no longer prefers trilateral talks."""
    text = MODEL_FILE.read_text(encoding="utf-8")
    for old, new in (('"VR(x_B, rho) - s_R"', '"VR(x_B, rho)"'), ('"VU(x_B, rho) - s_U"', '"VU(x_B, rho)"'),
                     ("*V - s_R\n", "*V\n"), ("*V - s_U\n", "*V\n")):
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path / "talks-format.yaml"
    path.write_text(text, encoding="utf-8")
    mutated = gtu.load_model(str(path))
    with pytest.raises(AssertionError):
        assert prefers_trilateral(subgame_values(mutated)) == (True, True)


# ---------------------------------------------------------------------------- the US stepping back
def test_the_us_steps_back_when_engagement_costs_more_than_a_deal_is_worth(model):
    """With e_T = 0.2 trilateral talks now are worth sigma_T*g_US*A(h_T) - e_T < 0 to the US, and bilateral talks
    first -e_B + sigma_B*g_US*A(rho) + (1 - sigma_B)*delta*(sigma_T*g_US*A(h_T) - e_T): the US steps back iff
    e_B > e_B*, that expression's root. `thresholds` finds it in closed form; by hand with sympy."""
    s = {k: sp.Symbol(k) for k in DEFAULTS}
    d = s["delta"]

    def a(h):
        return 1 / (1 - d * (1 - h))

    tri = s["sigma_T"] * s["g_US"] * a(s["rho"] * (1 + s["mu_M"])) - s["e_T"]
    bil = -s["e_B"] + s["sigma_B"] * s["g_US"] * a(s["rho"]) + (1 - s["sigma_B"]) * d * tri
    at = {s[k]: sp.Rational(x.numerator, x.denominator) for k, x in point(e_T="0.2").items() if k != "e_B"}
    assert tri.xreplace(at) < 0
    (star,) = sp.solve(bil.xreplace(at), s["e_B"])
    res = thresholds(model, "e_B", form="sequential", scenario="baseline-2025", values={"e_T": "0.2"})
    (t,) = res.thresholds
    assert t.method == CLOSED_FORM and t.exact == F(int(star.p), int(star.q))
    assert sp.simplify(t.expression.xreplace({x: at.get(sp.Symbol(x.name), x) for x in t.expression.free_symbols})
                       - star) == 0
    assert t.before != t.after and t.after == ("war continues: the US steps back",)
    for e_b, us in ((star - F(1, 10**6), "bilateral talks first"), (star + F(1, 10**6), "step back")):
        assert plan_of(model.solve("sequential", "baseline-2025", e_T="0.2", e_B=e_b))["us"] == us


# ------------------------------------------------------------------------------------ normal form
@pytest.mark.parametrize("scenario", SCENARIOS)
def test_every_spe_outcome_is_a_pure_nash_outcome_of_the_reduced_normal_form(model, scenario):
    tree = model.game("sequential", scenario)
    nf = to_normal_form(tree)
    assert tuple(len(a) for a in nf.actions) == (12, 12, 3)
    nash = {eq.outcome for eq in gtu.solve(nf, method="pure")}

    def label(dist):  # a normal-form cell names its lottery with the outcomes in alphabetical order
        if len(dist) == 1:
            return next(iter(dist))
        return "lottery: " + ", ".join(f"{k} ({v})" for k, v in sorted(dist.items()))

    spe = model.solve("sequential", scenario)
    assert spe.equilibria and {label(eq.outcome_distribution) for eq in spe.equilibria} <= nash


@pytest.mark.claim("talks-format", "W2")
def test_w2_shares_over_the_box_as_the_findings_say(model):
    """The findings' shares over the box: 2,000 points uniform on every parameter's [low, high] (fractions of
    1/10000 of the range, random.Random(2025), parameters in alphabetical order), each format's subgame solved by
    the hand backward induction above: both leaders prefer trilateral talks at 1,261 (63.1 %), Russia alone 12.8 %,
    Ukraine alone 12.8 %, neither 11.4 %. The solver agrees with the hand values at the first 50 points."""
    import random

    rng = random.Random(2025)
    names = sorted(model.parameters)
    counts = {(True, True): 0, (True, False): 0, (False, True): 0, (False, False): 0}
    for k in range(2000):
        v = {n: model.parameters[n].low + (model.parameters[n].high - model.parameters[n].low)
             * F(rng.randrange(10001), 10000) for n in names}
        _, _, sub = hand_spe(v)
        pref = tuple(sub["trilateral"][i] > sub["bilateral"][i] for i in (0, 1))
        counts[pref] += 1
        if k < 50:
            assert prefers_trilateral(subgame_values(model, None, **v)) == pref
    assert counts == {(True, True): 1261, (True, False): 256, (False, True): 256, (False, False): 227}


def test_the_us_steps_back_above_a_relapse_risk(model):
    """Over rho the one change is the US's: it convenes bilateral talks first iff rho < rho*, the root in [0.01,
    0.5] of its value of bilateral talks first, -e_B + sigma_B*g_US*A(rho) + (1 - sigma_B)*delta*(sigma_T*g_US*
    A(rho*(1 + mu_M)) - e_T) (by hand with sympy: a quadratic's root, 0.3812). The closed form in every parameter
    is over the default operation budget, so `thresholds` reports the exact root with the other parameters at
    their values, naming the US's indifference."""
    from gametheory_ukraine.analysis.thresholds import EXACT_ROOT

    v = {k: sp.Rational(x.numerator, x.denominator) for k, x in DEFAULTS.items()}
    r = sp.Symbol("rho")
    d = v["delta"]

    def a(h):
        return 1 / (1 - d * (1 - h))

    us = -v["e_B"] + v["sigma_B"] * v["g_US"] * a(r) + (1 - v["sigma_B"]) * d * (
        v["sigma_T"] * v["g_US"] * a(r * (1 + v["mu_M"])) - v["e_T"])
    roots = [x for x in sp.solve(sp.numer(sp.together(us)), r) if x.is_real and F(1, 100) <= x <= F(1, 2)]
    (star,) = roots
    res = thresholds(model, "rho", form="sequential", scenario="baseline-2025")
    (t,) = res.thresholds
    assert t.method == EXACT_ROOT and t.exact is None and abs(t.value - float(star)) < 1e-12
    assert t.indifference == "US at 'us': 'bilateral talks first' vs 'step back'"
    assert "iff rho < rho*" in t.direction and t.after == ("war continues: the US steps back",)
    assert any("exact root of US at 'us'" in n for n in res.notes)
