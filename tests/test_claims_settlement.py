"""Claims of the analysis expressed by the settlement model (models/settlement.yaml), as tests.

The claim tests are marked ``pytest.mark.claim("settlement", ID)`` for the claims the model file declares (S2,
S6, S8, S9, S10, S12, W1, W4). Checked here:

- the baseline's unique SPE, its path and payoffs, against an independent backward induction written below
  from the model file's definitions (``hand_payoffs``/``hand_spe``, plain arithmetic on Fractions or sympy),
  not the package's solvers; the defaults used by hand are checked against ``gtu show settlement --format json``;
- linking: the package brings a deal where territory, nato and guarantees have war (every shared scenario),
  through the strategic components f_R and v_U (either alone suffices, both off gives war); and it loses one:
  at pi_accession = 0.1 (all else default) the nato model settles but the settlement has war;
- S2 (format), S6 (the force's yearly cost), S8 (Europe decorative), S9/S10 (the package hazard), S12 (pre-war
  references), W1 and W4, with thresholds derived in closed form with sympy and the solver checked on both sides;
- the generated tree is what tools/make_settlement.py writes.

Numbers come from the formulas of the file's ``define:`` block and the calibration (war, settle), written out
here; where a threshold is quoted it is re-derived, never copied from the solver.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest
import sympy as sp

import gametheory_ukraine as gtu
from gametheory_ukraine.games.tree import Terminal
from gametheory_ukraine.modelling.registry import bundled_models_dir

F = Fraction
ROOT = Path(__file__).resolve().parent.parent
MODEL_FILE = Path(bundled_models_dir()) / "settlement.yaml"
SCENARIOS = ("baseline-2025", "istanbul-2", "reassurance-force", "managed-freeze")
WAR = "war continues"
EPS = F(1, 10000)

# The defaults by hand (calibration-2025 plus the settlement's own), checked against `gtu show` below.
DEFAULTS = {
    "delta": F(9, 10), "rho": F(129, 1000), "p": F(3, 5), "c_R": F(1, 10), "c_U": F(3, 20), "x_F": F(2, 5),
    "x_D": F(7, 10), "sigma": F(1, 5), "kappa": F(1, 2), "dp_belt": F(1, 10), "dp_erosion": F(0),
    "x_prewar": F(1, 4), "pi_accession": F(1, 50), "pi_air": F(1, 2), "m": F(3), "tau": F(5), "a": F(1, 2),
    "k": F(1, 10), "tau_F": F(1, 20), "dp_cap": F(1, 10), "w_E": F(1, 2), "g_T": F(1, 100), "g_A": F(1, 10),
    "c_E": F(1, 10), "c_A": F(1, 25), "nu": F(1, 10), "a_E": F(1, 2), "f_R": F(3, 10), "v_U": F(1, 5),
    "mu_F": F(9, 40), "beta_US": F(1, 10), "dp_talks": F(1, 50), "dp_rearm": F(1, 50), "d_E": F(1, 50),
    "C_E": F(1, 10),
}

TERR = {"D": ("x_D", 1, 1), "S": ("x_S", "sigma", 0), "F": ("x_F", 0, 0)}  # share, capitulation index, belt
NG = {"PI": (1, 1, 0), "PF": (1, 0, 1), "PN": (1, 0, 0), "ON": (0, 0, 0)}  # pledge, Istanbul terms, force
PKG = [t + n for t in "DSF" for n in ("PI", "PF", "PN", "ON")]
WORDS_T = {"D": "all of Donbas", "S": "limited swap", "F": "freeze at the line"}
WORDS_N = {"PI": "neutrality pledge, Istanbul terms", "PF": "neutrality pledge, reassurance force",
           "PN": "neutrality pledge, no guarantee", "ON": "NATO path open, no guarantee"}
EUROPE = {"up": ("raise support", 1), "hold": ("hold support", 0)}
FORMAT = {"cf": "ceasefire first", "ct": "comprehensive talks"}
BASE_OUTCOME = "settlement: Donbas ceded, neutrality, reassurance force; pledge broken when the US backs accession"
FREEZE_OUTCOME = "settlement: limited swap, neutrality, no guarantee; pledge broken when the US backs accession"
SPI_OUTCOME = "settlement: limited swap, neutrality, Istanbul terms; pledge broken when the US backs accession"
RAISED = " (Europe raised its support)"  # every outcome label after Europe's raise ends so (the script writes it)


# ------------------------------------------------------------------------------ the model by hand
def hand_payoffs(v, e, f, pkg, answer=True):
    """Payoffs (Russia, Ukraine, Europe) of one package subgame by hand, from the define: block:
    {"kept", "nato", "broken", "war", "hit"}; "hit" is Russia's re-attack followed by Europe's best answer
    (only with answer=True: it needs comparisons, so not on symbols)."""
    d, up = v["delta"], EUROPE[e][1]

    def war(q, c):
        return (q - c) / (1 - d)

    def settle(s, h, w):
        return (s + d * h * w) / (1 - d * (1 - h))

    def exposed(s, h, w, a):
        pa = v["pi_accession"]
        return (s + d * h * w + d * (1 - h) * pa * (w + a)) / (1 - d * (1 - h) * (1 - pa))

    xs, ci, belt = TERR[pkg[0]]
    x = v["x_F"] + v["sigma"] * (v["x_D"] - v["x_F"]) if xs == "x_S" else v[xs]
    ci = v["sigma"] if ci == "sigma" else ci
    pl, ist, force = NG[pkg[1:]]
    if f == "cf":
        q, yr, yu = v["p"] - v["dp_rearm"] - up * v["d_E"], v["x_F"], 1 - v["x_F"]
    else:
        q = v["p"] + v["dp_talks"] - up * v["d_E"]
        yr, yu = v["p"] - up * v["d_E"] - v["c_R"], 1 - v["p"] + up * v["d_E"] - v["c_U"]
    h = v["rho"] * (1 + v["kappa"] * ci) * (1 - v["mu_F"] * force)
    pd = q + v["dp_erosion"] + v["dp_belt"] * belt + v["dp_cap"] * ist
    s_r = x - v["tau_F"] * force + v["f_R"] * pl * (1 - x) / (1 - v["x_prewar"])
    s_u = 1 - x + v["v_U"] * v["pi_air"] * force
    cont_u = settle(s_u, h, war(1 - pd, v["c_U"])) - v["k"] * pl
    blame = v["beta_US"] * ((1 - d) * cont_u - (1 - q - v["c_U"]))
    out = {
        "kept": (yr + d * settle(s_r, h, war(pd, v["c_R"])), yu + d * cont_u),
        "nato": (yr + d * exposed(s_r, h, war(pd, v["c_R"]), -v["tau"]),
                 yu + d * (exposed(s_u, h, war(1 - pd, v["c_U"]), v["m"] - v["a"] * pl) - v["k"] * pl)),
        "broken": (yr + d * settle(s_r, 1, war(pd + v["beta_US"] * (1 - x), v["c_R"])),
                   yu + d * (settle(s_u, 1, war(1 - pd - v["beta_US"] * (1 - x), v["c_U"])) - v["k"] * pl)),
        "war": (yr + d * war(q + blame, v["c_R"]), yu + d * war(1 - q - blame, v["c_U"])),
    }
    out = {kind: (r, u, v["w_E"] * u - up * v["C_E"]) for kind, (r, u) in out.items()}
    if not answer:
        return out

    def hit(dd, cost):
        r = yr + d * settle(s_r, 1, war(pd - dd - v["beta_US"] * x, v["c_R"]))
        u = yu + d * (settle(s_u, 1, war(1 - pd + dd + v["beta_US"] * x, v["c_U"])) - v["k"] * pl)
        return r, u, v["w_E"] * u - up * v["C_E"] - d * cost

    if not force:
        out["hit"] = hit(0, 0)
        return out

    def fight(c):
        return d * c / (1 - d)

    def mix(a, b):
        return tuple(v["pi_air"] * i + (1 - v["pi_air"]) * j for i, j in zip(a, b))

    answers = {"troops": mix(hit(v["g_T"] + v["g_A"], fight(v["c_E"] + v["nu"] + v["c_A"])),
                             hit(v["g_T"], fight(v["c_E"] + v["nu"]))),
               "air support only": mix(hit(v["g_A"], fight(v["c_A"] + v["nu"])), hit(0, d * v["a_E"])),
               "acquiesce": hit(0, d * v["a_E"])}
    best = max(answers, key=lambda a: answers[a][2])
    out["hit"], out["europe answer"] = answers[best], best
    return out


def hand_spe(v):
    """Backward induction by hand over the 4 x 12 package subgames (asserting no ties): (plan, (payoffs, how the
    path ends, package, format, Europe's move)), the plan in the solver's infoset names and action words."""
    plan, value = {}, {}
    for e in EUROPE:
        for f in FORMAT:
            best = None
            for pkg in PKG:
                k, po = f"{e}_{f}_{pkg}", hand_payoffs(v, e, f, pkg)
                kinds = ("kept", "nato", "broken")
                uk = max(kinds, key=lambda a: po[a][1])
                assert [po[a][1] for a in kinds].count(po[uk][1]) == 1, ("tie", k)
                nato = ("renege on the pledge if the US backs accession" if NG[pkg[1:]][0]
                        else "seek accession if the US backs it")
                plan[f"kyiv_{k}"] = {"kept": "keep the deal", "broken": "break the deal", "nato": nato}[uk]
                if "europe answer" in po:
                    plan[f"europe_{k}"] = po["europe answer"]
                assert po[uk][0] != po["hit"][0], ("tie", k)
                comply = po[uk][0] > po["hit"][0]
                plan[f"russia_{k}"] = "comply" if comply else "re-attack"
                after = po[uk] if comply else po["hit"]
                assert after[1] != po["war"][1], ("tie", k)
                accept = after[1] > po["war"][1]
                plan[f"ukraine_{k}"] = "accept" if accept else "fight on"
                value[k] = (after, uk if comply else "hit") if accept else (po["war"], "war")
                if best is None or value[k][0][0] > value[f"{e}_{f}_{best}"][0][0]:
                    best = pkg
            offers = [value[f"{e}_{f}_{pkg}"][0][0] for pkg in PKG]
            assert offers.count(max(offers)) == 1, ("tie", e, f)
            plan[f"offer_{e}_{f}"] = f"{WORDS_T[best[0]]}, {WORDS_N[best[1:]]}"
            value[f"{e}_{f}"] = value[f"{e}_{f}_{best}"] + (best,)
        fbest = max(FORMAT, key=lambda fm: value[f"{e}_{fm}"][0][0])
        assert value[f"{e}_cf"][0][0] != value[f"{e}_ct"][0][0], ("tie", e)
        plan[f"format_{e}"] = FORMAT[fbest]
        value[e] = value[f"{e}_{fbest}"] + (fbest,)
    ebest = max(EUROPE, key=lambda x: value[x][0][2])
    plan["europe"] = EUROPE[ebest][0]
    return plan, value[ebest] + (ebest,)


# ------------------------------------------------------------------------------------------ helpers
@pytest.fixture(scope="module")
def model():
    return gtu.load_model("settlement")


def point(**kw):
    return {**DEFAULTS, **{k: F(x) for k, x in kw.items()}}


def solve(model, scenario="baseline-2025", **kw):
    return model.solve("sequential", scenario, **{k: str(x) for k, x in kw.items()})


def plans(res):
    """{infoset: chosen action} of each (pure) SPE."""
    out = []
    for eq in res.equilibria:
        plan = {}
        for per_player in res.strategy_dict(eq).values():
            for infoset, probs in per_player.items():
                chosen = [a for a, p in probs.items() if p == 1]
                assert len(chosen) == 1, (infoset, probs)
                plan[infoset] = chosen[0]
        out.append(plan)
    return out


def outcomes(res):
    return sorted({eq.outcome for eq in res.equilibria})


def sym_point(*free):
    """The defaults as sympy Rationals, with the named parameters left as symbols."""
    return {k: (sp.Symbol(k) if k in free else sp.Rational(x.numerator, x.denominator)) for k, x in DEFAULTS.items()}


def root(expr, name):
    sol = sp.solve(sp.Eq(expr, 0), sp.Symbol(name))
    assert len(sol) == 1, sol
    return F(int(sp.fraction(sol[0])[0]), int(sp.fraction(sol[0])[1]))


# --------------------------------------------------------------------------------------- 1. baseline
def test_defaults_are_the_shipped_ones(model):
    """The hand defaults are those `gtu show settlement --format json` reports (and those the solver uses)."""
    out = subprocess.run([sys.executable, "-m", "gametheory_ukraine.cli", "show", "settlement", "--format", "json"],
                         capture_output=True, text=True, cwd=ROOT)
    if out.returncode != 0:  # no `python -m` entry point: the console script next to the interpreter
        gtu_exe = shutil.which("gtu", path=str(Path(sys.executable).parent))
        out = subprocess.run([gtu_exe, "show", "settlement", "--format", "json"], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    shown = {p["name"]: F(p["default"]) for p in json.loads(out.stdout)["parameters"]}
    assert shown == DEFAULTS
    assert model.values("baseline-2025") == DEFAULTS


def test_baseline_unique_spe_path_and_payoffs(model):
    """Baseline: one SPE. Europe holds support, Russia chooses comprehensive talks and offers all of Donbas with a
    neutrality pledge and the reassurance force; Ukraine accepts, Russia complies, Ukraine would renege on the
    pledge if the US backs accession. Payoffs: Russia natoR(x_D, 1, 1, 1, 0, 1, p + dp_talks, p - c_R), Ukraine
    natoU(...), Europe w_E*Ukraine, written out symbolically (sympy) and evaluated at the defaults."""
    res = solve(model)
    assert len(res.equilibria) == 1
    eq = res.equilibria[0]
    assert eq.outcome == BASE_OUTCOME
    plan = plans(res)[0]
    assert plan["europe"] == "hold support" and plan["format_hold"] == "comprehensive talks"
    assert plan["offer_hold_ct"] == "all of Donbas, neutrality pledge, reassurance force"
    assert plan["ukraine_hold_ct_DPF"] == "accept" and plan["russia_hold_ct_DPF"] == "comply"
    assert plan["kyiv_hold_ct_DPF"] == "renege on the pledge if the US backs accession"
    # closed form, all parameters symbolic
    s = {k: sp.Symbol(k) for k in DEFAULTS}
    po = hand_payoffs(s, "hold", "ct", "DPF", answer=False)["nato"]
    sub = {s[k]: sp.Rational(x.numerator, x.denominator) for k, x in DEFAULTS.items()}
    exact = tuple(sp.nsimplify(sp.simplify(x.subs(sub))) for x in po)
    assert exact == (sp.Rational(3175539733, 500533850), sp.Rational(610281529, 250266925),
                     sp.Rational(610281529, 500533850))
    assert tuple(eq.payoffs) == (F(3175539733, 500533850), F(610281529, 250266925), F(610281529, 500533850))
    # the whole strategy profile (every infoset, on and off the path) is the hand backward induction's
    hplan, hval = hand_spe(DEFAULTS)
    assert hplan == plan and hval[0] == tuple(eq.payoffs) and hval[1:] == ("nato", "DPF", "ct", "hold")


@pytest.mark.parametrize("scenario, package", [("baseline-2025", "DPF"), ("istanbul-2", "DPF"),
                                               ("reassurance-force", "DPF"), ("managed-freeze", "SPN")])
def test_every_scenario_unique_spe_as_by_hand(model, scenario, package):
    """At every shared scenario: one SPE, Europe holds, comprehensive talks, Donbas + pledge + force (managed-
    freeze: limited swap + pledge, no guarantee), accepted, pledge broken when the US backs accession; the
    profile and payoffs equal the hand backward induction's."""
    res = solve(model, scenario)
    assert len(res.equilibria) == 1
    hplan, hval = hand_spe(model.values(scenario))
    assert plans(res)[0] == hplan
    assert hval[1:] == ("nato", package, "ct", "hold") and hval[0] == tuple(res.equilibria[0].payoffs)
    assert res.equilibria[0].outcome == (BASE_OUTCOME if package == "DPF" else FREEZE_OUTCOME)


# ------------------------------------------------------------------------------------------ 2. linking
@pytest.mark.parametrize("scenario", SCENARIOS)
def test_linking_brings_a_deal(model, scenario):
    """The package settles where every single-point model (territory, nato, guarantees) has war."""
    assert WAR not in outcomes(solve(model, scenario))
    for name in ("territory", "nato", "guarantees"):
        assert outcomes(gtu.load_model(name).solve("sequential", scenario)) == [WAR], name


def test_the_deal_comes_from_the_strategic_components(model):
    """With f_R = v_U = 0 the baseline is war: Europe raises support and Russia offers the freeze with a pledge
    under the Istanbul terms, which Ukraine rejects (blame makes a rejected generous-looking package Russia's
    best). Either component alone suffices (by hand and solver): v_U alone (f_R = 0) keeps the Donbas + force
    deal, f_R alone (v_U = 0) gives the limited swap + pledge under the Istanbul terms."""
    cases = ((dict(f_R=0, v_U=0), ("war", "FPI", "ct", "up"), [WAR + RAISED]),
             (dict(f_R=0), ("nato", "DPF", "ct", "hold"), [BASE_OUTCOME]),
             (dict(v_U=0), ("nato", "SPI", "ct", "hold"), [SPI_OUTCOME]))
    for kw, hand, solver in cases:
        hplan, hval = hand_spe(point(**kw))
        assert hval[1:] == hand, kw
        res = solve(model, **kw)
        assert outcomes(res) == solver and plans(res) == [hplan], kw


def test_linking_loses_a_deal_where_russia_would_re_attack(model):
    """At pi_accession = 0.1 (all else default) the nato model settles (Ukraine cedes Donbas and keeps the NATO
    path) while the settlement has war. Why the package loses it: in the settlement Russia may re-attack after
    signing (the nato model has no such move), and with a 10 % yearly chance of Ukraine's NATO move (cost tau = 5)
    Russia would re-attack every package after comprehensive talks (its chosen format); Ukraine accepts only the
    swap or the freeze without the Istanbul terms (a re-attacked deal still beats its war there), and those, re-
    attacked, are worth less to Russia than the war after Ukraine rejects the freeze under the Istanbul terms
    (whose blame favours Russia). Territory and guarantees have war at this point too.

    Search (offline, numbers for the record): of 2000 random points in the whole box (pi_accession > 0) 244
    single-model deals (territory, nato or guarantees) met a settlement war; with the settlement's own parameters at
    defaults 303 of 2000; this is the only one-parameter move from the baseline found on an 11-point grid."""
    pt = dict(pi_accession=F(1, 10))
    assert outcomes(gtu.load_model("nato").solve("sequential", "baseline-2025", pi_accession="0.1")) == [
        "settlement, NATO path open"]
    for name in ("territory", "guarantees"):  # territory has no pi_accession: its baseline is this point
        other = gtu.load_model(name)
        kw = {"pi_accession": "0.1"} if "pi_accession" in other.parameters else {}
        assert outcomes(other.solve("sequential", "baseline-2025", **kw)) == [WAR], name
    res = solve(model, **pt)
    assert outcomes(res) == [WAR + RAISED]
    hplan, hval = hand_spe(point(**pt))
    assert plans(res) == [hplan] and hval[1:] == ("war", "FPI", "ct", "up")
    assert all(hplan[f"russia_{e}_ct_{k}"] == "re-attack" for e in EUROPE for k in PKG)
    accepted = sorted(k for k in PKG if hplan[f"ukraine_hold_ct_{k}"] == "accept")
    assert accepted == ["FON", "FPF", "FPN", "SON", "SPF", "SPN"]
    v = point(**pt)
    best_accepted = max(hand_payoffs(v, "hold", "ct", k)["hit"][0] for k in accepted)
    assert best_accepted < hand_payoffs(v, "hold", "ct", "FPI")["war"][0]


# ---------------------------------------------------------------------------------------- 4. S2 format
@pytest.mark.claim("settlement", "S2")
def test_s2_russia_prefers_comprehensive_talks(model):
    """S2. With dp_talks = dp_rearm = 0 the two formats' subgames differ only by the year of talks (every terminal
    of Russia shifts by Y_R, Ukraine's by Y_U), so Russia picks comprehensive talks iff p - c_R - up*d_E > x_F:
    x_F* = 1/2 after Europe holds, 12/25 after it raises. With the offsets, for the same package (Donbas, pledge,
    force; accepted, pledge broken on US backing) under both formats, Russia prefers comprehensive talks iff
    x_F < p - c_R + delta*(E(p + dp_talks) - E(p - dp_rearm)), E Russia's continuation (linear in the war value):
    x_F* = 0.716... above x_F's range (0.55), so within the box the format is never a ceasefire by x_F alone; at
    x_F = 0.55 and dp_rearm = 0 the threshold in dp_talks is 0.00925... (ceasefire first below it)."""
    for x_f, hold, up in (("0.47", "ct", "ct"), ("0.49", "ct", "cf"), ("0.51", "cf", "cf")):
        plan = plans(solve(model, dp_talks=0, dp_rearm=0, x_F=x_f))[0]
        assert (plan["format_hold"], plan["format_up"]) == (FORMAT[hold], FORMAT[up]), x_f
    # the same package under both formats, in closed form
    s = sym_point("x_F", "dp_talks", "dp_rearm")
    gap = (hand_payoffs(s, "hold", "ct", "DPF", answer=False)["nato"][0]
           - hand_payoffs(s, "hold", "cf", "DPF", answer=False)["nato"][0])
    x_star = root(gap.subs({sp.Symbol("dp_talks"): sp.Rational(1, 50), sp.Symbol("dp_rearm"): sp.Rational(1, 50)}),
                  "x_F")
    assert F(715, 1000) < x_star < F(717, 1000)
    t_star = root(gap.subs({sp.Symbol("x_F"): sp.Rational(11, 20), sp.Symbol("dp_rearm"): 0}), "dp_talks")
    assert F(925, 100000) < t_star < F(926, 100000)
    plan = plans(solve(model, x_F="0.55"))[0]
    assert plan["format_hold"] == "comprehensive talks"
    for dp, fmt in ((t_star - EPS, "ceasefire first"), (t_star + EPS, "comprehensive talks")):
        plan = plans(solve(model, x_F="0.55", dp_rearm=0, dp_talks=dp))[0]
        assert plan["format_hold"] == fmt, dp
        assert plan["offer_hold_cf"] == plan["offer_hold_ct"] == "all of Donbas, neutrality pledge, reassurance force"


def test_s2_mutation_a_dearer_ceasefire_year_flips_the_format(tmp_path):
    """The S2 check fails on a copy of the model where the ceasefire year is worth x_F + 1 to Russia."""
    text = MODEL_FILE.read_text(encoding="utf-8")
    for key in ("Y_R_cf_hold: x_F\n", "Y_R_cf_up: x_F\n"):
        assert text.count(key) == 1, key
        text = text.replace(key, key.replace("x_F", "x_F + 1"))
    path = tmp_path / "settlement.yaml"
    path.write_text(text, encoding="utf-8")
    res = gtu.load_model(str(path)).solve("sequential", "baseline-2025")
    plan = plans(res)[0]
    assert plan["format_hold"] == plan["format_up"] == "ceasefire first"
    assert len(res.equilibria) == 1


# ------------------------------------------------------------------------------------ 5. S6 the force
@pytest.mark.claim("settlement", "S6")
def test_s6_the_force_package_ends_when_its_yearly_cost_is_high(model):
    """S6: Russia's value of the Donbas + pledge + force deal falls with tau_F (its yearly cost while the deal
    holds); the next best package (limited swap, pledge, Istanbul terms) does not depend on it. The threshold is
    decided off the path: it solves natoR(DPF) = natoR(SPI) after Europe RAISES support and comprehensive talks,
    tau_F* = 0.14476... (bisection on exact solves, 12 steps, lands there too); above it a raise buys Ukraine the
    swap, so Europe raises, although after a hold Russia would still offer the force up to 0.14535..."""
    s = sym_point("tau_F")
    gap = (hand_payoffs(s, "up", "ct", "DPF", answer=False)["nato"][0]
           - hand_payoffs(s, "up", "ct", "SPI", answer=False)["nato"][0])
    star = root(gap, "tau_F")
    assert F(1447, 10000) < star < F(1448, 10000)
    hold = (hand_payoffs(s, "hold", "ct", "DPF", answer=False)["nato"][0]
            - hand_payoffs(s, "hold", "ct", "SPI", answer=False)["nato"][0])
    assert root(hold, "tau_F") > star + F(5, 10000)  # after Europe holds Russia would keep offering the force longer
    plan = plans(solve(model, tau_F=star + EPS))[0]
    assert plan["europe"] == "raise support" and plan["offer_hold_ct"].endswith("reassurance force")
    lo, hi = F(1, 20), F(1, 2)
    for _ in range(12):
        mid = (lo + hi) / 2
        if outcomes(solve(model, tau_F=mid)) == [BASE_OUTCOME]:
            lo = mid
        else:
            hi = mid
    assert lo <= star <= hi and hi - lo < F(1, 8000)
    assert outcomes(solve(model, tau_F=star - EPS)) == [BASE_OUTCOME]
    assert outcomes(solve(model, tau_F=star + EPS)) == [SPI_OUTCOME + RAISED]


# ----------------------------------------------------------------------------------- 6. S8 Europe
@pytest.mark.claim("settlement", "S8")
def test_s8_europe_decorative_until_its_capacity_reaches_a_threshold(model):
    """S8: at baseline (d_E = 0.02) Europe holds support and raising it would not change the package: after a
    raise Russia still offers Donbas + pledge + force and Ukraine accepts it. Ukraine rejects that package after a
    raise iff natoU(DPF, up) < rejU(DPF, up), linear in d_E: d_E* = 0.030896...; above it Russia offers the limited
    swap with the Istanbul terms instead, which Ukraine values enough for Europe to pay C_E: Europe raises and the
    outcome changes (at the top d_E = 0.1 too). Below d_E*, including d_E = 0, the outcome is the baseline's."""
    plan = plans(solve(model))[0]
    assert plan["europe"] == "hold support"
    assert plan["offer_up_ct"] == plan["offer_hold_ct"] == "all of Donbas, neutrality pledge, reassurance force"
    s = sym_point("d_E")
    po = hand_payoffs(s, "up", "ct", "DPF", answer=False)
    star = root(po["nato"][1] - po["war"][1], "d_E")
    assert F(30896, 1000000) < star < F(30897, 1000000)
    for d_e, europe, out in ((0, "hold support", BASE_OUTCOME), (star - EPS, "hold support", BASE_OUTCOME),
                             (star + EPS, "raise support", SPI_OUTCOME + RAISED),
                             (F(1, 10), "raise support", SPI_OUTCOME + RAISED)):
        res = solve(model, d_E=d_e)
        assert outcomes(res) == [out] and plans(res)[0]["europe"] == europe, d_e
    assert plans(solve(model, d_E=star + EPS))[0]["ukraine_up_ct_DPF"] == "fight on"


@pytest.mark.claim("settlement", "S8")
def test_s8_threshold_in_closed_form_and_from_gtu_thresholds(model):
    """The S8 threshold in closed form (the model's findings state it): Ukraine's margin D(d_E) = natoU - rejU of
    the Donbas + pledge + force package after a raise and comprehensive talks is linear in d_E (d_E enters both
    sides only through Russia's odds Q and, cancelling, the year of talks), with slope -delta/(1 - delta)*(1 +
    beta_US*(1 - S_W) - E_W), where S_W = delta*h/(1 - delta*(1 - h)) and E_W = delta*(h + (1 - h)*pi)/(1 -
    delta*(1 - h)*(1 - pi)) are how much a kept and an exposed deal move with the war after them (h the
    package's hazard, pi = pi_accession). So d_E* = (1 - delta)*D(0)/(delta*(1 + beta_US*(1 - S_W) - E_W)), a
    lower bound on d_E (Ukraine accepts iff d_E < d_E*) wherever D(0) > 0; the denominator is positive for
    every delta < 1. ``gtu thresholds settlement --param d_E --on outcomes`` reports the same exact value as the
    root of that indifference (the condition is over the closed-form budget)."""
    v = DEFAULTS
    d, pi, beta = v["delta"], v["pi_accession"], v["beta_US"]
    h = v["rho"] * (1 + v["kappa"]) * (1 - v["mu_F"])
    s_w = d * h / (1 - d * (1 - h))
    e_w = d * (h + (1 - h) * pi) / (1 - d * (1 - h) * (1 - pi))
    po = hand_payoffs(point(d_E=0), "up", "ct", "DPF", answer=False)
    margin0 = po["nato"][1] - po["war"][1]
    assert margin0 > 0 and 1 + beta * (1 - s_w) - e_w > 0
    star = (1 - d) * margin0 / (d * (1 + beta * (1 - s_w) - e_w))
    sym = hand_payoffs(sym_point("d_E"), "up", "ct", "DPF", answer=False)
    assert star == root(sym["nato"][1] - sym["war"][1], "d_E")
    from gametheory_ukraine.analysis.thresholds import EXACT_ROOT, thresholds
    res = thresholds(model, "d_E", form="sequential", scenario="baseline-2025", on="outcomes")
    (t,) = res.thresholds
    assert t.method == EXACT_ROOT and t.exact == star
    assert t.indifference == "Ukraine at 'ukraine_up_ct_DPF': 'accept' vs 'fight on'"
    assert t.sign_above == -1 and "iff d_E < d_E*" in t.direction
    assert t.before == (BASE_OUTCOME,) and t.after == (SPI_OUTCOME + RAISED,)


# ------------------------------------------------------------------------------- 7. S9/S10 hazard
def implied_hazard(v, terminal_r, y, s_r, w):
    """Invert Russia's kept-deal payoff Y + delta*settle(s, h, W) for h."""
    d = v["delta"]
    cont = (terminal_r - y) / d
    return (s_r - cont * (1 - d)) / (d * (cont - w))


@pytest.mark.claim("settlement", "S9")
@pytest.mark.claim("settlement", "S10")
@pytest.mark.parametrize("kappa", [F(0), F(1, 2), F(1)])
def test_s9_s10_package_hazard_read_from_the_payoffs(model, kappa):
    """S9/S10: the hazard the tree uses, read back from Russia's kept-deal payoffs (Europe holds, comprehensive
    talks) by inverting settle(s, h, W), is rho*(1 + kappa) for Donbas with no guarantee, rho for the freeze (no
    kappa), and (1 - mu_F) times Donbas's with the force."""
    v = point(kappa=kappa)
    tree = model.game("sequential", kappa=str(kappa))
    terminals = {n.name: n.payoffs for n in tree.nodes() if isinstance(n, Terminal)}
    d, q = v["delta"], v["p"] + v["dp_talks"]
    y = v["p"] - v["c_R"]

    def s_r(x, force, pledge):
        return x - v["tau_F"] * force + v["f_R"] * pledge * (1 - x) / (1 - v["x_prewar"])

    w_d = (q + v["dp_belt"] - v["c_R"]) / (1 - d)
    w_f = (q - v["c_R"]) / (1 - d)
    h_dpn = implied_hazard(v, terminals["kept_hold_ct_DPN"][0], y, s_r(v["x_D"], 0, 1), w_d)
    h_dpf = implied_hazard(v, terminals["kept_hold_ct_DPF"][0], y, s_r(v["x_D"], 1, 1), w_d)
    h_fon = implied_hazard(v, terminals["kept_hold_ct_FON"][0], y, s_r(v["x_F"], 0, 0), w_f)
    assert h_dpn == v["rho"] * (1 + kappa)
    assert h_fon == v["rho"]
    assert h_dpf == h_dpn * (1 - v["mu_F"]) and h_dpf < h_dpn


# -------------------------------------------------------------------------------------- 8. S12
@pytest.mark.claim("settlement", "S12")
def test_s12_ukraine_below_its_pre_war_value_russia_above_until_f_r_star(model):
    """S12: at baseline Ukraine's value (2.44) is below V0_U = (1 - x_prewar)/(1 - delta) = 15/2 and Russia's
    (6.34) above V0_R = (x_prewar + f_R)/(1 - delta) = 11/2. V0_R rises by 10 per unit of f_R, Russia's value by
    much less (its friendly Ukraine is only (1 - x_D)/(1 - x_prewar) = 0.4 likely, and only while the deal
    holds), so Russia falls below at f_R* = 0.39861... (closed form with the baseline package, which the
    equilibrium keeps up to f_R = 0.577...)."""
    eq = solve(model).equilibria[0]
    v0_r = (DEFAULTS["x_prewar"] + DEFAULTS["f_R"]) / (1 - DEFAULTS["delta"])
    v0_u = (1 - DEFAULTS["x_prewar"]) / (1 - DEFAULTS["delta"])
    assert (v0_r, v0_u) == (F(11, 2), F(15, 2))
    assert eq.payoffs[1] < v0_u and eq.payoffs[0] > v0_r
    s = sym_point("f_R")
    f_r = sp.Symbol("f_R")
    gap = hand_payoffs(s, "hold", "ct", "DPF", answer=False)["nato"][0] - (s["x_prewar"] + f_r) / (1 - s["delta"])
    star = root(gap, "f_R")
    assert F(3986, 10000) < star < F(3987, 10000)
    for f, above in ((star - EPS, True), (star + EPS, False)):
        res = solve(model, f_R=f)
        assert outcomes(res) == [BASE_OUTCOME]
        assert (res.equilibria[0].payoffs[0] > (DEFAULTS["x_prewar"] + f) / (1 - DEFAULTS["delta"])) is above


@pytest.mark.claim("settlement", "S12")
def test_s12_tactical_against_total_in_russias_own_terms(model):
    """S12 made measurable (``gtu sensitivity settlement --kind tactical``). On the baseline path Russia's value
    is Y + delta*exposed(s, h, W, -tau) with s = x_D - tau_F + f_R*(1 - x_D)/(1 - x_prewar) (Ukraine breaks the
    pledge when the US backs accession), so by hand: tactical (f_R out, Ukraine's answer and h fixed) =
    delta/(1 - delta*(1 - h)*(1 - pi_accession)) with h = rho*(1 + kappa)*(1 - mu_F); total = tactical times
    1 - f_R/(1 - x_prewar) = 0.6 (no answer changes within 1/1000 of x_D's range). Ukraine's terms carry no
    strategic component: its total equals its tactical. The command says the claim fails (Russia ends above its
    pre-war value)."""
    v = DEFAULTS
    h = v["rho"] * (1 + v["kappa"]) * (1 - v["mu_F"])
    tactical = v["delta"] / (1 - v["delta"] * (1 - h) * (1 - v["pi_accession"]))
    total = tactical * (1 - v["f_R"] / (1 - v["x_prewar"]))
    out = subprocess.run([sys.executable, "-m", "gametheory_ukraine", "sensitivity", "settlement", "--kind", "tactical",
                          "--scenario", "baseline-2025", "--form", "sequential", "--format", "json"],
                         capture_output=True, text=True, check=True, cwd=ROOT)
    res = json.loads(out.stdout)
    rows = {r["player"]: r for r in res["rows"]}
    assert rows["Russia"]["tactical"] == pytest.approx(float(tactical), rel=1e-12)
    assert rows["Russia"]["total"] == pytest.approx(float(total), rel=1e-9)
    assert rows["Russia"]["strategic_share"] == pytest.approx(0.4, rel=1e-9)
    assert rows["Ukraine"]["tactical"] == pytest.approx(float(tactical), rel=1e-12)
    assert rows["Ukraine"]["total"] == pytest.approx(float(tactical), rel=1e-9)
    assert (rows["Russia"]["above_reference"], rows["Ukraine"]["above_reference"], res["holds"]) == (True, False, False)
    text = subprocess.run([sys.executable, "-m", "gametheory_ukraine", "sensitivity", "settlement", "--kind",
                           "tactical", "--scenario", "baseline-2025"], capture_output=True, text=True, check=True,
                          cwd=ROOT).stdout
    assert "the claim fails: Russia ends above its pre-war reference" in text
    # below f_R* (see above) the verdict turns: nobody ends above its pre-war value
    from gametheory_ukraine.analysis.tactical import tactical_strategic
    res2 = tactical_strategic(model, scenario="baseline-2025", values={"f_R": F(2, 5)})
    assert res2.holds and not res2.table["above_reference"].any()


# -------------------------------------------------------------------------------------- 9. W1, W4
@pytest.mark.claim("settlement", "W1")
@pytest.mark.parametrize("scenario, war", [("baseline-2025", True), ("istanbul-2", True),
                                           ("reassurance-force", True), ("managed-freeze", False)])
def test_w1_no_middle_ground_without_the_strategic_components(model, scenario, war):
    """W1: with f_R = v_U = 0 the war continues at baseline, istanbul-2 and reassurance-force (one SPE each, the
    hand profile); NOT in managed-freeze, where the limited swap with no guarantee is still signed, with or
    without the pledge (Russia indifferent between the two: 16 SPEs, in 4 of which Europe raises its support)."""
    res = solve(model, scenario, f_R=0, v_U=0)
    if war:
        hplan, hval = hand_spe(model.values(scenario, {"f_R": "0", "v_U": "0"}))
        assert outcomes(res) == [WAR + (RAISED if hval[-1] == "up" else "")] and plans(res) == [hplan]
        return
    # with f_R = 0 Russia no longer values the pledge: the swap with or without it is the same to Russia (16 SPEs);
    # how Russia breaks that tie after a raise and after a hold decides whether Europe raises (4 of the 16)
    assert len(res.equilibria) == 16
    path_open = "settlement: limited swap, NATO path open, no guarantee; accession sought when the US backs it"
    assert outcomes(res) == sorted([FREEZE_OUTCOME, path_open, path_open + RAISED])
    assert sum(eq.outcome.endswith(RAISED) for eq in res.equilibria) == 4
    with pytest.raises(AssertionError, match="tie"):
        hand_spe(model.values(scenario, {"f_R": "0", "v_U": "0"}))


MIRROR = {"delta": "0.8", "p": "0.4", "c_R": "0.1", "c_U": "0.02", "x_F": "0.55", "dp_erosion": "-0.05"}


@pytest.mark.claim("settlement", "W4")
def test_w4_each_side_breaks_when_war_beats_the_deal(model):
    """W4: at every package node Russia re-attacks and Ukraine breaks exactly when the hand values say the war
    (after the break) beats the deal: the solver's whole profile equals the hand backward induction at the
    baseline, at pi_accession = 0.1 (Russia re-attacks every package) and where Ukraine rearms during the pause
    (MIRROR: dp_erosion = -0.05, p = 0.4, ...: Ukraine breaks 33 of the 48 deals off the path, and the path is a
    freeze with pledge and force, Russia complying)."""
    for kw in ({}, {"pi_accession": "0.1"}, MIRROR):
        res = solve(model, **kw)
        hplan, _ = hand_spe(point(**kw))
        assert plans(res) == [hplan], kw
    hplan, hval = hand_spe(point(**MIRROR))
    assert sum(a == "break the deal" for a in hplan.values()) == 33
    assert hval[1:] == ("nato", "FPF", "ct", "hold")
    v = point(**MIRROR)
    po = hand_payoffs(v, "hold", "ct", "DPN")
    assert hplan["kyiv_hold_ct_DPN"] == "break the deal" and po["broken"][1] > max(po["kept"][1], po["nato"][1])


# ------------------------------------------------------------------------------------ 10. the generator
def test_the_tree_is_what_the_script_writes(tmp_path):
    copy = tmp_path / "settlement.yaml"
    shutil.copyfile(MODEL_FILE, copy)
    out = subprocess.run([sys.executable, str(ROOT / "tools" / "make_settlement.py"), str(copy)],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert copy.read_bytes() == MODEL_FILE.read_bytes()
