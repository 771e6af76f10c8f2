"""Claims of the analysis expressed by the micro-deals model (models/micro-deals.yaml), as tests.

Checked here, against a backward induction written below by hand (Fractions and sympy; not the package's
solvers), in which each held rung's value comes from its weekly Bellman equation, not from the model file's
closed-form holding phase:

- the tree is what tools/make_micro_deals.py writes; the defaults are the ones below;
- the baseline's unique SPE, its plan, payoffs and outcome probabilities; every scenario's; plans at seeded
  points of the parameter box;
- W3: where the front holds, every rung is self-enforcing and the ladder climbs to the monitored line and a
  settlement; a mutation that pays a side for breaking a rung its opponent keeps breaks the ladder and fails
  the check;
- each rung's self-enforcement condition in closed form (the grim-trigger condition with noise and a climb),
  its holding-period threshold H* by hand and from `thresholds`;
- W4: the stepping-stone region and the pressure-valve region with the closed-form condition between them,
  checked against the solver on both sides, by hand and from `thresholds`; the side a shift of the front
  favours breaks the ladder above dp_S*; mutations (a valve as durable as the settlement; a shift that does
  not move the odds) fail the checks.
"""

from __future__ import annotations

import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
import sympy as sp

import gametheory_ukraine as gtu
from gametheory_ukraine.analysis.thresholds import thresholds
from gametheory_ukraine.modelling.registry import bundled_models_dir

F = Fraction
ROOT = Path(__file__).resolve().parent.parent
MODEL_FILE = Path(bundled_models_dir()) / "micro-deals.yaml"
SCENARIOS = ("baseline-2025", "istanbul-2", "reassurance-force", "managed-freeze")
STATES = (("holds", 0), ("shift_R", 1), ("shift_U", -1))     # node prefix, direction of the shift
RUNGS = ("exchanges", "transit", "stand_down", "line")
RELIEFS = ("v_X", "v_T", "v_S", "v_L")

# The defaults by hand (calibration-2025 plus the model's own), checked against the loaded model below.
DEFAULTS = {"delta": F(9, 10), "rho": F(129, 1000), "p": F(3, 5), "c_R": F(1, 10), "c_U": F(3, 20),
            "d_R": F(1, 5), "d_U": F(1, 5), "H": F(6), "eps": F(1, 100), "phi": F(1, 5), "dp_S": F(1, 10),
            "v_X": F(1, 200), "v_T": F(1, 100), "v_S": F(1, 100), "v_L": F(3, 100), "mu_S": F(1, 2),
            "k_S": F(3, 10)}


# ------------------------------------------------------------------------------ the model by hand
def war(v, shift):
    """(Russia's, Ukraine's) value of war at odds p + shift: (q - c)/(1 - delta)."""
    d = v["delta"]
    return (v["p"] + shift - v["c_R"]) / (1 - d), (1 - v["p"] - shift - v["c_U"]) / (1 - d)


def settle(v, s, h, w):
    """A deal paying s a year that relapses at h a year into a war worth w: the fixed point of
    S = s + delta*((1 - h)*S + h*w)."""
    d = v["delta"]
    return (s + d * h * w) / (1 - d * (1 - h))


def held(v, flow, w, after):
    """A held rung's value from its weekly Bellman equation: V = flow/52 + d_w*(eps*w + (1 - eps)*(V_climb)),
    V_climb = after/H + (1 - 1/H)*V, d_w = 1 - (1 - delta)/52 (the yearly flow's perpetuity kept)."""
    dw, e, lam = 1 - (1 - v["delta"]) / 52, v["eps"], 1 / v["H"]
    return (flow / 52 + dw * e * w + dw * (1 - e) * lam * after) / (1 - dw * (1 - e) * (1 - lam))


def hand_spe(v):
    """Backward induction by hand: (plan {information set: action}, payoffs (Russia, Ukraine), probability of
    the settlement). A side breaks a rung iff its value of the rung is below its war value less its
    displeasure (breaking is then dominant for it; the disfavoured side never breaks); ties and stages where
    both would break raise (the tests use points without them)."""
    plan, values, settled = {}, [], []
    m_r = v["p"] + (v["c_U"] - v["c_R"]) / 2                       # x_B
    for prefix, sign in STATES:
        shift = sign * v["dp_S"]
        w_r, w_u = war(v, shift)
        reliefs = [sum(v[r] for r in RELIEFS[:k + 1]) for k in range(4)]
        h_s = v["rho"] * (1 - v["mu_S"])
        sign_r, sign_u = settle(v, m_r, h_s, w_r) - v["k_S"], settle(v, 1 - m_r, h_s, w_u) - v["k_S"]
        keep = (settle(v, v["p"] - v["c_R"] + reliefs[3], v["rho"], w_r),
                settle(v, 1 - v["p"] - v["c_U"] + reliefs[3], v["rho"], w_u))
        assert sign_u != keep[1]
        plan[f"{prefix}_top_ukraine"] = "sign" if sign_u > keep[1] else "keep the line"
        after_sign = (sign_r, sign_u) if sign_u > keep[1] else (keep[0] - v["k_S"], keep[1])
        assert after_sign[0] != keep[0]
        plan[f"{prefix}_top"] = "sign" if after_sign[0] > keep[0] else "keep the line"
        top = after_sign if after_sign[0] > keep[0] else keep
        value, reach = top, F(int(plan[f"{prefix}_top"] == "sign" and plan[f"{prefix}_top_ukraine"] == "sign"))
        for k in reversed(range(4)):
            flows = (v["p"] - v["c_R"] + reliefs[k], 1 - v["p"] - v["c_U"] + reliefs[k])
            hold = (held(v, flows[0], w_r, value[0]), held(v, flows[1], w_u, value[1]))
            breaks = (hold[0] < w_r - v["d_R"], hold[1] < w_u - v["d_U"])
            assert hold[0] != w_r - v["d_R"] and hold[1] != w_u - v["d_U"], "tie"
            assert not all(breaks), "both would break: three equilibria"
            plan[f"{prefix}_{RUNGS[k]}"] = "break" if breaks[0] else "comply"
            plan[f"{prefix}_{RUNGS[k]}_ukraine"] = "break" if breaks[1] else "comply"
            climb = (1 - v["eps"]) / v["H"] / (v["eps"] + (1 - v["eps"]) / v["H"])
            if breaks[0]:
                value, reach = (w_r - v["d_R"], w_u), F(0)
            elif breaks[1]:
                value, reach = (w_r, w_u - v["d_U"]), F(0)
            else:
                value, reach = hold, climb * reach
        values.append(value)
        settled.append(reach)
    weights = (1 - v["phi"], v["phi"] / 2, v["phi"] / 2)
    pay = tuple(sum(w * val[i] for w, val in zip(weights, values)) for i in (0, 1))
    return plan, pay, sum(w * s for w, s in zip(weights, settled))


def valve_boundary(v):
    """k_S* where the front holds: the ladder hands over to a settlement iff k_S < k_S* =
    m/(1 - delta + delta*rho*(1 - mu_S)) - V_4/(1 - delta + delta*rho), m = (c_R + c_U)/2 (each side's margin
    over war at x_B), V_4 the four rungs' reliefs."""
    d, r = v["delta"], v["rho"]
    m = (v["c_R"] + v["c_U"]) / 2
    v4 = sum(v[x] for x in RELIEFS)
    return m / (1 - d + d * r * (1 - v["mu_S"])) - v4 / (1 - d + d * r)


# ------------------------------------------------------------------------------------------ helpers
@pytest.fixture(scope="module")
def model():
    return gtu.load_model("micro-deals")


def point(**kw):
    return {**DEFAULTS, **{k: F(x) for k, x in kw.items()}}


def solve_at(model, **kw):
    return model.solve("sequential", **{k: F(x) for k, x in kw.items()})


def plan_of(res):
    (eq,) = res.equilibria
    return {h: a for per in res.strategy_dict(eq).values() for h, probs in per.items() for a, p in probs.items()
            if p == 1}


def settlement_probability(res):
    (eq,) = res.equilibria
    return sum((p for label, p in eq.outcome_distribution.items() if label.startswith("stepping stone")), F(0))


def mutated(tmp_path, *replacements):
    text = MODEL_FILE.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    path = tmp_path / "micro-deals.yaml"
    path.write_text(text, encoding="utf-8")
    return gtu.load_model(str(path))


# --------------------------------------------------------------------------------------- the file
def test_the_tree_is_what_the_script_writes(tmp_path):
    copy = tmp_path / "micro-deals.yaml"
    copy.write_text(MODEL_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    out = subprocess.run([sys.executable, str(ROOT / "tools" / "make_micro_deals.py"), str(copy)],
                         capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
    assert copy.read_text(encoding="utf-8") == MODEL_FILE.read_text(encoding="utf-8")


def test_defaults_are_the_shipped_ones(model):
    shipped = model.values()
    assert {k: shipped[k] for k in DEFAULTS} == DEFAULTS and set(shipped) == set(DEFAULTS)


def test_the_weekly_holding_phase_of_the_file_equals_the_bellman_equation(model):
    """The file's hold(V, X) = (1 - D)*(W + V/(1 - delta)) + D*E[X] equals the weekly Bellman value (symbols)."""
    s = {k: sp.Symbol(k) for k in ("delta", "eps", "H", "f", "w", "x")}
    dw = 1 - (1 - s["delta"]) / 52
    z = 1 - (1 - s["eps"]) * (1 - 1 / s["H"])
    big_d = dw * z / (1 - dw * (1 - z))
    flow_value = s["f"] / (1 - s["delta"])          # W + V/(1 - delta) for a yearly flow f
    file_form = (1 - big_d) * flow_value + big_d * (s["eps"] / z * s["w"] + (1 - s["eps"]) / (s["H"] * z) * s["x"])
    vv = sp.Symbol("V")
    bellman = sp.solve(sp.Eq(vv, s["f"] / 52 + dw * (s["eps"] * s["w"] + (1 - s["eps"]) * (
        s["x"] / s["H"] + (1 - 1 / s["H"]) * vv))), vv)[0]
    assert sp.simplify(file_form - bellman) == 0
    # a yearly flow is worth the same paid weekly at the weekly discount: sum of f/52 * d_w^t = f/(1 - delta)
    assert sp.simplify(s["f"] / 52 / (1 - dw) - flow_value) == 0


# --------------------------------------------------------------------------------------- baseline
def test_baseline_unique_spe_as_by_hand(model):
    res = model.solve("sequential", "baseline-2025")
    hplan, hpay, hsettled = hand_spe(point())
    assert plan_of(res) == hplan and tuple(res.equilibria[0].payoffs) == hpay
    assert set(hplan.values()) == {"comply", "sign"}
    # every ladder climbs; each rung reaches the climb before a breach with probability (1-eps)/H / z = 33/35
    assert hsettled == settlement_probability(res) == F(33, 35) ** 4
    assert {label.split(":")[0] for label in res.equilibria[0].outcome_distribution} == {"stepping stone",
                                                                                         "collapse"}


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_every_scenario_as_by_hand(model, scenario):
    res = model.solve("sequential", scenario)
    hplan, hpay, hsettled = hand_spe(model.values(scenario))
    assert plan_of(res) == hplan and tuple(res.equilibria[0].payoffs) == hpay
    assert settlement_probability(res) == hsettled


def box_points(model, n, seed):
    """n points uniform on the box (exact decimals with 4 digits), seeded."""
    rng = np.random.default_rng(seed)
    specs = model.parameters
    out = []
    for _ in range(n):
        out.append({name: F(round(float(rng.uniform(float(spec.low), float(spec.high))), 4)).limit_denominator(
            10**4) for name, spec in specs.items()})
    return out


def test_plans_and_payoffs_as_by_hand_over_the_box(model):
    """30 seeded box points: the solver's unique SPE is the hand backward induction's, plan and payoffs; the
    points cover breaking by the favoured side, valves and settlements."""
    seen = set()
    for v in box_points(model, 30, 2025):
        res = model.solve("sequential", **v)
        hplan, hpay, _ = hand_spe(v)
        assert len(res.equilibria) == 1
        assert plan_of(res) == hplan and tuple(res.equilibria[0].payoffs) == hpay
        seen |= {(k.split("_")[0] + ("_top" if "top" in k else ""), a) for k, a in hplan.items()}
    assert {("shift", "break"), ("holds_top", "sign"), ("holds_top", "keep the line")} <= seen


# ------------------------------------------------------------------------------------------ W3
def check_w3(model, points):
    """Where the front holds, nobody breaks a rung and the ladder climbs to the top (at every point given)."""
    for v in points:
        res = model.solve("sequential", **v)
        plan = plan_of(res)
        for rung in RUNGS:
            assert plan[f"holds_{rung}"] == plan[f"holds_{rung}_ukraine"] == "comply", (rung, v)


@pytest.mark.claim("micro-deals", "W3")
def test_w3_where_the_front_holds_the_ladder_climbs(model):
    """W3: "Suppose those micro-deals hold for weeks rather than days. In that case, negotiators can layer in
    bolder steps". Where the front holds every rung is self-enforcing (its value is at least the war's, which is
    more than the war less the displeasure of breaking), at the baseline and at 12 seeded box points, and at
    the baseline the ladder reaches the monitored line and a settlement with probability (33/35)^4 = 0.790,
    the rest being accidental breaches."""
    check_w3(model, [point()] + box_points(model, 12, 7))
    plan = plan_of(model.solve("sequential"))
    assert plan["holds_top"] == plan["holds_top_ukraine"] == "sign"


@pytest.mark.claim("micro-deals", "W3")
def test_w3_mutation_paying_for_a_break_fails_the_check(tmp_path, model):
    """A copy of the model where breaking the first rung while Ukraine keeps it pays Russia a first-strike gain of
    one year of the stake (more than its displeasure d_R = 0.2 and its value of the ladder over war): the
    ladder is no longer self-enforcing where the front holds."""
    text = MODEL_FILE.read_text(encoding="utf-8")
    n = text.count('Russia: "W_R - d_R"') + text.count('Russia: "holdR(V_1, W_R - d_R)"')
    assert n >= 2
    broken = mutated(tmp_path, ('      holds_exchanges_rb:\n        payoffs:\n          Russia: "W_R - d_R"',
                                '      holds_exchanges_rb:\n        payoffs:\n          Russia: "W_R - d_R + 1"'))
    with pytest.raises(AssertionError):
        check_w3(broken, [point()])


def self_enforcing(v, k, prefix, side, after):
    """Rung k's self-enforcement condition for *side* in closed form: with q = d_w*(1 - eps), lam = 1/H, R and P
    the weekly flows of the rung and of the war at the state's odds, T = P - d the week of breaking (the
    displeasure charged that week: breaking is worth T + d_w*W) and X - W the next step's value over war,
    q*((1 - lam)*(T - P) + lam*(X - W)) >= T - R. For lam = 0 (no climb) this is q*(T - P) >= T - R, the
    grim-trigger condition with noise delta*(1 - rho) >= (T - R)/(T - P) (for T > P)."""
    sign = dict(STATES)[prefix]
    w = war(v, sign * v["dp_S"])[side]
    dw, lam = 1 - (1 - v["delta"]) / 52, 1 / v["H"]
    q = dw * (1 - v["eps"])
    relief = sum(v[r] for r in RELIEFS[:k + 1])
    flow = (v["p"] - v["c_R"] + relief) if side == 0 else (1 - v["p"] - v["c_U"] + relief)
    big_r, big_p = flow / 52, (1 - dw) * w
    big_t = big_p - (v["d_R"], v["d_U"])[side]
    return q * ((1 - lam) * (big_t - big_p) + lam * (after - w)) >= big_t - big_r


def test_each_rungs_self_enforcement_condition_in_closed_form(model):
    """The closed form above decides each rung exactly as the backward induction does, for both sides, in every
    state, at the baseline and at 20 seeded box points (the next step's value X read from the hand solution)."""
    for v in [point(), point(dp_S="0.2")] + box_points(model, 20, 11):
        hplan, _, _ = hand_spe(v)
        for prefix, sign in STATES:
            w = war(v, sign * v["dp_S"])
            # the value after each rung, rebuilt from the top as in hand_spe
            after = _values_after(v, prefix)
            for k in range(4):
                for side, node in ((0, f"{prefix}_{RUNGS[k]}"), (1, f"{prefix}_{RUNGS[k]}_ukraine")):
                    assert self_enforcing(v, k, prefix, side, after[k][side]) == (hplan[node] == "comply"), \
                        (node, v)
            assert w  # the state's war values exist


def _values_after(v, prefix):
    """[X_k]: the (Russia, Ukraine) value of the step after rung k on the SPE path, for k = 0..3."""
    sub = dict(v)
    sign = dict(STATES)[prefix]
    # solve the single-state game: the hand SPE with phi = 0 and the state's shift put on p's war only
    w_r, w_u = war(sub, sign * sub["dp_S"])
    m_r = sub["p"] + (sub["c_U"] - sub["c_R"]) / 2
    reliefs = [sum(sub[r] for r in RELIEFS[:k + 1]) for k in range(4)]
    h_s = sub["rho"] * (1 - sub["mu_S"])
    sign_pair = (settle(sub, m_r, h_s, w_r) - sub["k_S"], settle(sub, 1 - m_r, h_s, w_u) - sub["k_S"])
    keep = (settle(sub, sub["p"] - sub["c_R"] + reliefs[3], sub["rho"], w_r),
            settle(sub, 1 - sub["p"] - sub["c_U"] + reliefs[3], sub["rho"], w_u))
    after_sign = sign_pair if sign_pair[1] > keep[1] else (keep[0] - sub["k_S"], keep[1])
    value = after_sign if after_sign[0] > keep[0] else keep
    out = [None] * 4
    for k in reversed(range(4)):
        out[k] = value
        flows = (sub["p"] - sub["c_R"] + reliefs[k], 1 - sub["p"] - sub["c_U"] + reliefs[k])
        hold = (held(sub, flows[0], w_r, value[0]), held(sub, flows[1], w_u, value[1]))
        if hold[0] < w_r - sub["d_R"]:
            value = (w_r - sub["d_R"], w_u)
        elif hold[1] < w_u - sub["d_U"]:
            value = (w_r, w_u - sub["d_U"])
        else:
            value = hold
    return out


def test_each_rung_is_a_two_by_two_stage_whose_unique_nash_equilibrium_the_spe_plays(model):
    """form_differences: each rung's simultaneous stage, built by hand as a 2 x 2 normal form from the continuation
    values (both comply: the held rung; a side breaks: war at the state's odds, the breaker less its
    displeasure), has one pure Nash equilibrium (checked by enumerating the four cells), and the solver's SPE
    plays it, at the baseline and at 10 seeded box points."""
    for v in [point(), point(dp_S="0.15")] + box_points(model, 10, 5):
        plan = plan_of(model.solve("sequential", **v))
        for prefix, sign in STATES:
            w_r, w_u = war(v, sign * v["dp_S"])
            after = _values_after(v, prefix)
            for k in range(4):
                relief = sum(v[r] for r in RELIEFS[:k + 1])
                hold = (held(v, v["p"] - v["c_R"] + relief, w_r, after[k][0]),
                        held(v, 1 - v["p"] - v["c_U"] + relief, w_u, after[k][1]))
                cells = {("comply", "comply"): hold, ("break", "comply"): (w_r - v["d_R"], w_u),
                         ("comply", "break"): (w_r, w_u - v["d_U"]),
                         ("break", "break"): (w_r - v["d_R"], w_u - v["d_U"])}
                other = {"comply": "break", "break": "comply"}
                nash = [(a, b) for (a, b), pay in cells.items()
                        if pay[0] >= cells[(other[a], b)][0] and pay[1] >= cells[(a, other[b])][1]]
                assert nash == [(plan[f"{prefix}_{RUNGS[k]}"], plan[f"{prefix}_{RUNGS[k]}_ukraine"])], (prefix, k, v)


def test_the_holding_period_threshold_by_hand_and_from_thresholds(model):
    """With the front shifted towards Russia by dp_S = 0.11 (just below dp_S* at H = 6), Russia keeps the
    monitored line's rung only while the top comes late enough: there it can only sign a settlement, or keep
    the line, both worth less to it than the war at the shifted odds. At shift_R_line the condition is linear
    in lam = 1/H (the top's value does not depend on H), so Russia breaks iff H < H* = 1/lam* = 3.80 weeks.
    `thresholds` over H finds the same exact number."""
    v = point(dp_S="0.11")
    lam = sp.Symbol("lam")
    dw = 1 - (1 - v["delta"]) / 52
    q = dw * (1 - v["eps"])
    w = war(v, v["dp_S"])[0]
    x = _values_after(v, "shift_R")[3][0]
    big_r = (v["p"] - v["c_R"] + sum(v[r] for r in RELIEFS)) / 52
    big_p = (1 - dw) * w
    big_t = big_p - v["d_R"]
    lam_star = sp.solve(sp.Eq(q * ((1 - lam) * (big_t - big_p) + lam * (x - w)), big_t - big_r), lam)[0]
    h_star = F(str(sp.nsimplify(1 / lam_star)))
    # inside H's declared range and below its default: at the default hold Russia keeps the rung, it breaks only
    # for the shorter holds of the range
    assert model.parameters["H"].low < h_star < v["H"]
    assert plan_of(solve_at(model, dp_S="0.11"))["shift_R_line"] == "comply"
    assert plan_of(solve_at(model, dp_S="0.11", H=model.parameters["H"].low))["shift_R_line"] == "break"
    # the root is the indifference of the rung's own weekly Bellman value, not only of the closed form above
    at = {**v, "H": h_star}
    rung = held(at, v["p"] - v["c_R"] + sum(v[r] for r in RELIEFS), w, _values_after(at, "shift_R")[3][0])
    assert rung == w - v["d_R"]
    res = thresholds(model, "H", form="sequential", values={"dp_S": F(11, 100)}, on="outcomes")
    found = [t for t in res.thresholds if abs(float(t.value) - float(h_star)) < 1e-9]
    assert len(found) == 1 and F(found[0].exact) == h_star
    assert plan_of(solve_at(model, dp_S="0.11", H=h_star - F(1, 10**6)))["shift_R_line"] == "break"
    assert plan_of(solve_at(model, dp_S="0.11", H=h_star + F(1, 10**6)))["shift_R_line"] == "comply"


# ------------------------------------------------------------------------------------------ W4
def check_valve_boundary(model, **kw):
    """Where the front holds the ladder hands over to a settlement just below k_S* and stays a pressure valve just
    above (the solver's plan at holds_top), k_S* from the closed form."""
    v = point(**kw)
    k_star = valve_boundary(v)
    gap = F(1, 10**6)
    assert plan_of(solve_at(model, **{**kw, "k_S": k_star - gap}))["holds_top"] == "sign"
    assert plan_of(solve_at(model, **{**kw, "k_S": k_star + gap}))["holds_top"] == "keep the line"
    return k_star


@pytest.mark.claim("micro-deals", "W4")
def test_w4_the_closed_form_between_stepping_stone_and_pressure_valve(model):
    """W4: "such piecemeal arrangements end up functioning as pressure valves rather than stepping stones".
    Where the front holds, the ladder hands over to a settlement iff k_S < k_S* = m/(1 - delta + delta*rho*(1 -
    mu_S)) - V_4/(1 - delta + delta*rho) (conditions: the ladder has reached the top; x_B gives each side the
    margin m over war; delta < 1): the hazard reduction the ladder built (mu_S) against the reliefs it gives
    (V_4), which make keeping the line worth more. Checked on both sides of k_S* at the defaults and at two
    other points; at the defaults k_S* = 3663950/6830921 = 0.5364, the number `thresholds` finds."""
    k_star = check_valve_boundary(model)
    assert k_star == F(3663950, 6830921)
    check_valve_boundary(model, mu_S="0.2", v_L="0.05")
    check_valve_boundary(model, delta="0.95", rho="0.3", mu_S="0.8")
    res = thresholds(model, "k_S", form="sequential", on="outcomes")
    assert k_star in {F(t.exact) for t in res.thresholds}


@pytest.mark.claim("micro-deals", "W4")
def test_w4_a_stepping_stone_region_and_a_pressure_valve_region(model):
    """The two regions in the (mu_S, v_L) plane at k_S = 0.3: a ladder that builds trust and gives little relief
    (mu_S = 0.9, v_L = 0) is a stepping stone; one that builds no trust and gives the most relief (mu_S = 0,
    v_L = 0.05) is a pressure valve: the monitored line is kept and the settlement never comes."""
    stone = solve_at(model, mu_S="0.9", v_L="0")
    valve = solve_at(model, mu_S="0", v_L="0.05")
    assert valve_boundary(point(mu_S="0.9", v_L="0")) > F(3, 10) > valve_boundary(point(mu_S="0", v_L="0.05"))
    assert plan_of(stone)["holds_top"] == "sign" and settlement_probability(stone) > F(3, 4)
    assert plan_of(valve)["holds_top"] == "keep the line"
    (eq,) = valve.equilibria
    assert "pressure valve: the monitored line kept, no settlement" in eq.outcome_distribution
    assert not any(label.startswith("stepping stone") for label in eq.outcome_distribution)


@pytest.mark.claim("micro-deals", "W4")
def test_w4_mutation_a_valve_as_durable_as_the_settlement_fails(tmp_path):
    """A copy where the kept line relapses only at the settlement's hazard h_S: the valve gains, the boundary
    moves, and the closed-form check fails."""
    broken = mutated(tmp_path, ('"valveR(W)": settle(p - c_R + V_4, rho, W)',
                                '"valveR(W)": settle(p - c_R + V_4, h_S, W)'),
                     ('"valveU(W)": settle(1 - p - c_U + V_4, rho, W)',
                      '"valveU(W)": settle(1 - p - c_U + V_4, h_S, W)'))
    with pytest.raises(AssertionError):
        check_valve_boundary(broken)


def shift_threshold(v):
    """dp_S* by hand: the favoured Russia breaks the monitored line's rung iff its value of the rung falls below
    its war value at the shifted odds less d_R; linear in dp_S where Russia would sign at the top."""
    dp = sp.Symbol("dp")
    w_r, w_u = war(v, 0)
    w_r = w_r + dp / (1 - v["delta"])
    m_r = v["p"] + (v["c_U"] - v["c_R"]) / 2
    top = settle(v, m_r, v["rho"] * (1 - v["mu_S"]), w_r) - v["k_S"]
    rung = held(v, v["p"] - v["c_R"] + sum(v[r] for r in RELIEFS), w_r, top)
    (root,) = sp.solve(sp.Eq(rung, w_r - v["d_R"]), dp)
    return F(str(root))


def check_shift(model):
    v = point()
    star = shift_threshold(v)
    gap = F(1, 10**6)
    below, above = solve_at(model, dp_S=star - gap), solve_at(model, dp_S=star + gap)
    assert plan_of(below)["shift_R_line"] == "comply" and plan_of(above)["shift_R_line"] == "break"
    assert plan_of(above)["shift_U_line_ukraine"] == "break"              # the same for Ukraine, by symmetry
    assert plan_of(above)["holds_line"] == "comply"                       # where the front holds, nobody breaks
    return star


@pytest.mark.claim("micro-deals", "W4")
def test_w4_the_side_a_shift_favours_breaks_the_ladder(model):
    """W4: micro-deals are "vulnerable to collapse the moment one side believes it can achieve more on the
    battlefield than at the negotiating table". The side a shift of the front favours breaks the monitored
    line's rung iff dp_S > dp_S* = 385340289/3488620000 = 0.1105 (its war value at the shifted odds, less its
    displeasure, exceeds its value of the rung), by hand and from `thresholds`; the other side never breaks."""
    star = check_shift(model)
    assert star == F(385340289, 3488620000)
    res = thresholds(model, "dp_S", form="sequential", on="outcomes")
    assert [F(t.exact) for t in res.thresholds] == [star]
    # a larger shift breaks the ladder at its first rung: probability phi/2 for each side
    collapse = solve_at(model, dp_S="0.15")
    assert plan_of(collapse)["shift_R_exchanges"] == plan_of(collapse)["shift_U_exchanges_ukraine"] == "break"
    (eq,) = collapse.equilibria
    assert eq.outcome_distribution["collapse: Russia breaks the ladder"] == F(1, 10)
    assert eq.outcome_distribution["collapse: Ukraine breaks the ladder"] == F(1, 10)


@pytest.mark.claim("micro-deals", "W4")
def test_w4_mutation_a_shift_that_does_not_move_the_odds_fails(tmp_path):
    """A copy where a shift of the front does not change the war's odds: nobody ever gains by breaking, and the
    check that the favoured side breaks above dp_S* fails."""
    broken = mutated(tmp_path, ('"WRs(q)": war(p + q, c_R)', '"WRs(q)": war(p, c_R)'),
                     ('"WUs(q)": war(1 - p - q, c_U)', '"WUs(q)": war(1 - p, c_U)'))
    with pytest.raises(AssertionError):
        check_shift(broken)
