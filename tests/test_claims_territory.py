"""Claims of the analysis expressed by the territory model (models/territory.yaml), as tests.

Each claim has a check, a function of a loaded model that returns the list of what fails (empty when the
claim holds as the model file states it). The claim tests assert the shipped model passes; the mutation tests
load a changed copy of the model file (a payoff, a move, a default) from a temporary folder and assert that
the same check reports a failure. Expected numbers are derived by hand from the closed forms in the model
file's notes (re-derived with sympy in the tests below), never copied from the solver's output.
``tests/data/territory-before-break-option.yaml`` is the model before each side could break a deal: the
regression tests show that the defects of that version fail the checks.
"""

from __future__ import annotations

import random
from fractions import Fraction
from pathlib import Path

import pytest
import sympy as sp

import gametheory_ukraine as gtu
from gametheory_ukraine.analysis import relapse
from gametheory_ukraine.games.reduce import to_normal_form
from gametheory_ukraine.games.tree import Terminal
from gametheory_ukraine.modelling.registry import bundled_models_dir

F = Fraction
MODEL = "territory"
SCENARIOS = ("baseline-2025", "istanbul-2", "reassurance-force", "managed-freeze")
OLD_FILE = Path(__file__).parent / "data" / "territory-before-break-option.yaml"

WAR = "war continues"
DONBAS, SWAP, FREEZE = "settlement on Russian terms", "compromise settlement", "managed freeze"
THEN = ", then relapse"
# Break nodes of the sequential form: deal -> (Russia's node, Ukraine's node).
BREAK_NODES = {"D": ("russia_after_cession", "ukraine_after_cession"),
               "S": ("russia_after_swap", "ukraine_after_swap"),
               "F": ("russia_after_freeze", "ukraine_after_freeze")}

# The counterexample to the old 4 x 4 normal form (its SPE was not among the form's pure Nash outcomes).
COUNTEREXAMPLE = {"delta": "0.82", "rho": "0.5", "p": "0.4", "c_R": "0.1", "c_U": "0.02", "x_D": "0.55",
                  "x_F": "0.55", "sigma": "0.5", "kappa": "1", "dp_belt": "0.02", "dp_erosion": "-0.05"}
# Ukraine rearms during the pause (dp_erosion < 0) and breaks the swap it signed (the model file's findings).
MIRROR = {"delta": "0.8", "p": "0.4", "c_R": "0.1", "c_U": "0.02", "x_F": "0.55", "dp_erosion": "-0.05"}


@pytest.fixture(scope="module")
def model():
    return gtu.load_model(MODEL)


@pytest.fixture(scope="module")
def old_model():
    return gtu.load_model(str(OLD_FILE))


def mutated(tmp_path: Path, old: str, new: str, count: int = 1):
    """Load a copy of the shipped model file with *old* replaced by *new* (which must occur *count* times)."""
    text = (Path(bundled_models_dir()) / f"{MODEL}.yaml").read_text(encoding="utf-8")
    assert text.count(old) == count, (old, text.count(old))
    path = tmp_path / f"{MODEL}.yaml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return gtu.load_model(str(path))


# ------------------------------------------------------------------------------------------ hand formulas
def war_values(v):
    """Today's war, forever: (W_R, W_U)."""
    return (v["p"] - v["c_R"]) / (1 - v["delta"]), (1 - v["p"] - v["c_U"]) / (1 - v["delta"])


def deal_terms(v, deal):
    """(Russia's yearly share, relapse hazard, Russia's odds in a war after the deal), by hand."""
    x_s = v["x_F"] + v["sigma"] * (v["x_D"] - v["x_F"])
    return {"D": (v["x_D"], v["rho"] * (1 + v["kappa"]), v["p"] + v["dp_belt"] + v["dp_erosion"]),
            "S": (x_s, v["rho"] * (1 + v["kappa"] * v["sigma"]), v["p"] + v["dp_erosion"]),
            "F": (v["x_F"], v["rho"], v["p"] + v["dp_erosion"])}[deal]


def breaks(v, deal):
    """W4 by hand: (Russia breaks, Ukraine breaks) iff its yearly war value at the post-deal odds exceeds its
    yearly share (notes: settle(s, h, W') - broken(s, W') has the sign of s - (1 - delta)*W' for h < 1)."""
    s, _, q = deal_terms(v, deal)
    return q - v["c_R"] > s, 1 - q - v["c_U"] > 1 - s


def broken_values(v, deal):
    """One year of the deal, then war at the post-deal odds: (Russia, Ukraine)."""
    s, _, q = deal_terms(v, deal)
    d = v["delta"]
    return s + d * (q - v["c_R"]) / (1 - d), 1 - s + d * (1 - q - v["c_U"]) / (1 - d)


def hand_rho_star(v):
    """Ukraine accepts the Donbas deal it keeps iff (1 - delta)(p + c_U - x_D) >= delta rho (1 + kappa)(dp_belt +
    dp_erosion); rho* is the root (a threshold of direction 'rho <= rho*' only if dp_belt + dp_erosion > 0)."""
    return ((1 - v["delta"]) * (v["p"] + v["c_U"] - v["x_D"])
            / (v["delta"] * (1 + v["kappa"]) * (v["dp_belt"] + v["dp_erosion"])))


def spe_plans(res):
    """{infoset: chosen action} of every (pure) subgame-perfect equilibrium."""
    plans = []
    for eq in res:
        plan = {}
        for per_player in res.strategy_dict(eq).values():
            for infoset, probs in per_player.items():
                chosen = [a for a, p in probs.items() if p == 1]
                assert len(chosen) == 1, (infoset, probs)
                plan[infoset] = chosen[0]
        plans.append(plan)
    return plans


def pure_outcomes(res):
    return {eq.outcome for eq in res if len(eq.outcome_distribution) == 1}


def terminal_payoffs(tree):
    """{terminal name: payoffs} of a game tree."""
    return {node.name: node.payoffs for node in tree.nodes() if isinstance(node, Terminal)}


def outcomes(res):
    return sorted({eq.outcome for eq in res})


def definition(model, name, v):
    """Evaluate one of the model's own named definitions at the values *v*."""
    spec = next(d for d in model.definitions if d["name"] == name)
    expr = sp.sympify(spec["expression"], locals={k: sp.Symbol(k) for k in v})
    return expr.subs({sp.Symbol(k): sp.Rational(str(x)) for k, x in v.items()})


# ------------------------------------------------------------------------------------------------ checks
def check_w1(model) -> list[str]:
    """W1: at baseline no demand on the menu is both signed by Ukraine and worth more than war to Russia; the
    war continues (unique SPE, Russia demands all of Donbas); the range opens below rho* (settlement at 0.01)."""
    fails = []
    v = model.values("baseline-2025")
    w_r, w_u = war_values(v)
    res = model.solve("sequential", "baseline-2025")
    if [eq.outcome for eq in res] != [WAR]:
        fails.append(f"baseline outcome {outcomes(res)}")
    elif tuple(res[0].payoffs) != (w_r, w_u):
        fails.append(f"baseline payoffs {tuple(res[0].payoffs)} != war {(w_r, w_u)}")
    for plan in spe_plans(res):
        if plan.get("russia_demand") != "demand all of Donbas" or plan.get("ukraine_on_donbas") != "fight on":
            fails.append(f"baseline plan {plan}")
    # the swap and the freeze: Russia would break them (hand), Ukraine would sign them anyway, Russia prefers war
    for deal, answer in (("S", "ukraine_on_swap"), ("F", "ukraine_on_freeze")):
        r_breaks, _ = breaks(v, deal)
        b_r, b_u = broken_values(v, deal)
        if not (r_breaks and b_u > w_u and b_r < w_r):
            fails.append(f"{deal}: hand values moved ({r_breaks}, {b_r}, {b_u})")
        for plan in spe_plans(res):
            if plan.get(BREAK_NODES[deal][0]) != "break the deal" or plan.get(answer, "").startswith("fight"):
                fails.append(f"{deal}: plan {plan}")
    low = model.solve("sequential", "baseline-2025", rho="0.01")
    if [eq.outcome for eq in low] != [DONBAS]:
        fails.append(f"rho = 0.01 outcome {outcomes(low)}")
    return fails


def check_rho_star(model) -> list[str]:
    """S9/S10/S4: Ukraine cedes all of Donbas iff rho <= rho* (dp_belt + dp_erosion > 0): 1/27 at baseline."""
    fails = []
    v = model.values("baseline-2025")
    star = hand_rho_star(v)
    for rho, expected in ((star - F(1, 1000), DONBAS), (star + F(1, 1000), WAR), (F(129, 1000), WAR)):
        got = outcomes(model.solve("sequential", "baseline-2025", rho=str(rho)))
        if got != [expected]:
            fails.append(f"rho = {rho}: {got}")
    at = outcomes(model.solve("sequential", "baseline-2025", rho=str(star)))
    if at != sorted([DONBAS, WAR]):
        fails.append(f"at rho* = {star}: {at}")
    return fails


def check_s10(model) -> list[str]:
    """S10: the capitulation premium alone decides: at rho = 0.04 (between 1/27 and 1/18) Ukraine cedes all of
    Donbas when kappa = 0 (rho* = 1/18) and fights on at the default kappa = 0.5 (rho* = 1/27)."""
    fails = []
    v = model.values("baseline-2025")
    if not (hand_rho_star(v) < F(1, 25) < hand_rho_star(dict(v, kappa=F(0)))):
        fails.append("hand thresholds moved")
    if outcomes(model.solve("sequential", "baseline-2025", rho="0.04", kappa=0)) != [DONBAS]:
        fails.append("kappa = 0 at rho = 0.04 is not a settlement")
    if outcomes(model.solve("sequential", "baseline-2025", rho="0.04")) != [WAR]:
        fails.append("kappa = 0.5 at rho = 0.04 is not war")
    return fails


def check_w4(model) -> list[str]:
    """W4: a side breaks a deal exactly when its yearly war value at the post-deal odds exceeds its share.

    At three points (baseline, managed-freeze, and Ukraine rearming) every SPE's action at every break node is
    the hand-derived one (Russia's action is checked only where Ukraine keeps: where Ukraine breaks anyway,
    Russia is indifferent); at the rearming point the played outcome is Ukraine breaking the swap, with the
    hand-computed values of a broken swap."""
    fails = []
    for scenario, point in (("baseline-2025", {}), ("managed-freeze", {}), ("baseline-2025", MIRROR)):
        v = model.values(scenario, point)
        res = model.solve("sequential", scenario, **point)
        for plan in spe_plans(res):
            for deal, (r_node, u_node) in BREAK_NODES.items():
                r_breaks, u_breaks = breaks(v, deal)
                if plan.get(u_node) != ("break the deal" if u_breaks else "keep the deal"):
                    fails.append(f"{scenario} {point}: Ukraine at {u_node}: {plan.get(u_node)}")
                if not u_breaks and plan.get(r_node) != ("break the deal" if r_breaks else "keep the deal"):
                    fails.append(f"{scenario} {point}: Russia at {r_node}: {plan.get(r_node)}")
    v = model.values("baseline-2025", MIRROR)
    res = model.solve("sequential", "baseline-2025", **MIRROR)
    if breaks(v, "S") != (False, True) or broken_values(v, "S") != (F(79, 50), F(147, 50)):
        fails.append("hand values at the rearming point moved")
    if {eq.outcome for eq in res} != {SWAP + THEN}:
        fails.append(f"rearming point outcome {outcomes(res)}")
    for eq in res:
        if tuple(eq.payoffs) != broken_values(v, "S"):
            fails.append(f"rearming point payoffs {tuple(eq.payoffs)}")
    return fails


def check_managed_freeze(model) -> list[str]:
    """W5/W4: in managed-freeze Russia would break the swap and the freeze (its eroded war value 0.55 a year
    exceeds 0.46 and 0.4), Ukraine foresees it and rejects them, and rejects Donbas (rho = 0.3 > rho* = 2/81):
    the war continues. A deal comes only below rho* (settlement on Russian terms)."""
    fails = []
    v = model.values("managed-freeze")
    if not (breaks(v, "S") == breaks(v, "F") == (True, False)
            and max(broken_values(v, "S")[1], broken_values(v, "F")[1]) < war_values(v)[1]
            and hand_rho_star(v) == F(2, 81)):
        fails.append("hand values moved")
    got = outcomes(model.solve("sequential", "managed-freeze"))
    if got != [WAR]:
        fails.append(f"managed-freeze outcome {got}")
    for rho, expected in (("0.02", [DONBAS]), ("0.025", [WAR]), ("0.1", [WAR])):
        got = outcomes(model.solve("sequential", "managed-freeze", rho=rho))
        if got != expected:
            fails.append(f"managed-freeze at rho = {rho}: {got}")
    # erosion alone, at the baseline's other values: a deal signed in order to be broken. By hand, a broken deal
    # beats war for Russia iff dp_erosion >= (1 - delta)(p - c_R - x_d)/delta and Ukraine signs it iff
    # dp_erosion <= (1 - delta)(p + c_U - x_d)/delta: swap on (1/225, 29/900), freeze on (29/900, 7/180).
    v = model.values("baseline-2025")
    x_s = deal_terms(v, "S")[0]
    k = (1 - v["delta"]) / v["delta"]
    if (k * (v["p"] - v["c_R"] - x_s), k * (v["p"] + v["c_U"] - x_s), k * (v["p"] + v["c_U"] - v["x_F"])) != (
            F(1, 225), F(29, 900), F(7, 180)):
        fails.append("hand erosion thresholds moved")
    for erosion, expected in (("0.004", [WAR]), ("0.005", [SWAP + THEN]), ("0.032", [SWAP + THEN]),
                              ("0.033", [FREEZE + THEN]), ("0.038", [FREEZE + THEN]), ("0.04", [WAR])):
        got = outcomes(model.solve("sequential", "baseline-2025", dp_erosion=erosion))
        if got != expected:
            fails.append(f"dp_erosion = {erosion}: {got}")
    return fails


def check_s7(model) -> list[str]:
    """S7: Istanbul 2 (p and x_D up by 0.1) leaves the war going on, with Ukraine weaker and Russia stronger, and
    rho* unchanged (p + c_U - x_D unchanged)."""
    fails = []
    base, ist = model.values("baseline-2025"), model.values("istanbul-2")
    res = model.solve("sequential", "istanbul-2")
    if [eq.outcome for eq in res] != [WAR] or tuple(res[0].payoffs) != war_values(ist):
        fails.append(f"istanbul-2: {[(eq.outcome, tuple(eq.payoffs)) for eq in res]}")
    if not (war_values(ist)[1] < war_values(base)[1] and war_values(ist)[0] > war_values(base)[0]):
        fails.append("Ukraine not weaker or Russia not stronger")
    if hand_rho_star(ist) != hand_rho_star(base):
        fails.append("rho* moved")
    return fails


def check_s4(model) -> list[str]:
    """S4: the reassurance force lowers the hazard to 0.093, still above rho* = 1/27; the war continues, and rho*
    lies below the base rate of Collier et al. (2008) applied to 40 % within 10 years."""
    fails = []
    v = model.values("reassurance-force")
    if not hand_rho_star(v) < v["rho"] or not hand_rho_star(v) < relapse.rho_from_base_rate(0.40, 10):
        fails.append("hand values moved")
    got = outcomes(model.solve("sequential", "reassurance-force"))
    if got != [WAR]:
        fails.append(f"reassurance-force outcome {got}")
    return fails


def check_s12(model) -> list[str]:
    """S12, as the model finds it: in every scenario's equilibria Ukraine ends below its pre-war value V0_U and
    Russia above its own V0_R (the model's definitions, evaluated at the scenario); the claim fails for Russia
    because its war value p - c_R exceeds x_prewar. Raising x_prewar above p - c_R puts Russia below."""
    fails = []
    for scenario in SCENARIOS:
        v = model.values(scenario)
        v0_r, v0_u = definition(model, "V0_R", v), definition(model, "V0_U", v)
        for form in ("sequential", "normal"):
            for eq in model.solve(form, scenario):
                if not eq.payoffs[1] < v0_u:
                    fails.append(f"{scenario} {form}: Ukraine {eq.payoffs[1]} not below {v0_u}")
                if not eq.payoffs[0] > v0_r:
                    fails.append(f"{scenario} {form}: Russia {eq.payoffs[0]} not above {v0_r}")
    high = model.values("baseline-2025", {"x_prewar": "0.6"})
    eq = model.solve("sequential", "baseline-2025", x_prewar="0.6")[0]
    if not (high["x_prewar"] > high["p"] - high["c_R"] and eq.payoffs[0] < definition(model, "V0_R", high)):
        fails.append("x_prewar = 0.6 does not put Russia below its pre-war value")
    return fails


def check_normal_form(model, points) -> list[str]:
    """The stated normal form has the tree's pure Nash outcomes (those of its reduced normal form), and the SPE
    outcomes are among them, at each point."""
    fails = []
    for pt in points:
        stated = pure_outcomes(model.solve("normal", method="pure", **pt))
        tree = pure_outcomes(gtu.solve(to_normal_form(model.game("sequential", **pt)), method="pure"))
        spe = {eq.outcome for eq in model.solve("sequential", **pt)}
        if stated != tree or not spe <= stated:
            fails.append(f"{pt}: stated {sorted(stated)}, tree {sorted(tree)}, SPE {sorted(spe)}")
    return fails


def random_points(model, n, seed):
    rng = random.Random(seed)
    box = {k: (p.low, p.high) for k, p in model.parameters.items() if k != "x_prewar"}
    return [{k: str(F(round(float(lo + (hi - lo) * F(rng.random())), 3)).limit_denominator(1000))
             for k, (lo, hi) in box.items()} for _ in range(n)]


# ------------------------------------------------------------------------------------------- claim tests
@pytest.mark.claim("territory", "W1")
def test_w1_baseline_war_with_an_empty_bargaining_range(model):
    """W1 (Wallace 2025): "It’s difficult to envision how the two sides can find a middle ground." The Donbas
    split is inside Fearon's one-off range, (p - c_R, p + c_U) = (0.5, 0.75); relapse and strategic territory
    empty the range over the menu, and Russia would break the smaller deals."""
    v = model.values("baseline-2025")
    assert v["p"] - v["c_R"] < v["x_D"] < v["p"] + v["c_U"]
    assert check_w1(model) == []


@pytest.mark.claim("territory", "S9")
@pytest.mark.parametrize("scenario", SCENARIOS)
def test_s9_every_kept_deal_is_valued_with_the_minsk_relapse_formula(model, scenario):
    """S9 (Stanovaya 2025): a settlement "may serve as a prologue to another war sometime down the road". Every
    kept deal's payoff is relapse.settlement_value(s, W', h_d, delta), W' the war at the post-deal odds, and a
    broken deal's is the same formula with hazard 1; rho decides the Donbas deal (rho*)."""
    s = {n: sp.Symbol(n) for n in model.parameters}
    tree = model.symbolic("sequential")
    terminals = terminal_payoffs(tree)
    one = 1 - s["delta"]
    for deal, kept, broken in (("D", "donbas_settlement", "donbas_broken_by_russia"),
                               ("S", "swap_settlement", "swap_broken_by_ukraine"),
                               ("F", "freeze_settlement", "freeze_broken_by_russia")):
        share, hazard, odds = deal_terms(s, deal)
        w_r, w_u = (odds - s["c_R"]) / one, (1 - odds - s["c_U"]) / one
        for node, h in ((kept, hazard), (broken, 1)):
            r, u = terminals[node]
            assert sp.simplify(r - relapse.settlement_value(share, w_r, h, s["delta"])) == 0, node
            assert sp.simplify(u - relapse.settlement_value(1 - share, w_u, h, s["delta"])) == 0, node
    if scenario == "baseline-2025":
        v = model.values(scenario)
        assert round(relapse.rho_from_base_rate(0.5, 5), 3) == float(v["rho"]) == 0.129
        assert relapse.expected_duration(v["rho"]) == F(1000, 129)                       # about 7.8 years
        assert check_rho_star(model) == []


@pytest.mark.claim("territory", "S10")
def test_s10_relapse_rises_with_the_concession_and_turns_a_deal_into_war(model):
    """S10 (Stanovaya 2025): "Ukrainian society and elites will never accept the capitulatory conditions that
    Moscow is trying to impose on them." The hazard rho*(1 + kappa*a) stays a probability over the box, and the
    premium alone turns the Donbas deal into war at rho = 0.04."""
    assert model.parameters["rho"].high * (1 + model.parameters["kappa"].high) <= 1
    assert model.parameters["sigma"].high <= 1 and model.parameters["kappa"].low >= 0
    assert check_s10(model) == []


@pytest.mark.claim("territory", "W4")
def test_w4_a_side_breaks_when_war_beats_the_deal(model):
    """W4 (Wallace 2025): any micro-deal is "vulnerable to collapse the moment one side believes it can achieve
    more on the battlefield than at the negotiating table". Both sides' break decisions follow the hand rule at
    the baseline, in managed-freeze (Russia breaks) and where Ukraine rearms (Ukraine breaks)."""
    assert check_w4(model) == []


@pytest.mark.claim("territory", "W5")
def test_w5_managed_freeze_is_war_once_either_side_may_break(model):
    """W5 (Wallace 2025): "Moscow understands these divisions and will likely exploit them, pushing for a
    ‘managed freeze’ that cements the status quo while eroding Western unity." """
    assert check_managed_freeze(model) == []


@pytest.mark.claim("territory", "S7")
def test_s7_istanbul_2_same_war_weaker_ukraine(model):
    """S7 (Stanovaya 2025): "Istanbul 2": the same demands plus new territorial claims; Ukraine weaker."""
    assert check_s7(model) == []
    assert hand_rho_star(model.values("istanbul-2")) == F(1, 27)


@pytest.mark.claim("territory", "S4")
def test_s4_reassurance_force_brings_no_deal(model):
    """S4 (Stanovaya 2025): the reassurance forces "essentially amount to moral support for Kyiv"."""
    assert check_s4(model) == []


@pytest.mark.claim("territory", "S12")
def test_s12_ukraine_below_prewar_russia_not(model):
    """S12 (Stanovaya 2025): "Tactically, the parties may win but, strategically, there can be no winners." The
    solver's equilibrium values against the model's pre-war values (its definitions V0_R, V0_U)."""
    assert check_s12(model) == []


# ------------------------------------------------------------------------- closed forms and their conditions
def test_closed_forms_match_the_models_own_payoffs(model):
    """The notes' closed forms, re-derived with sympy from the model's expanded payoffs: keep against break has
    the sign of s - (1 - delta)*W' (h < 1); rho* is the one root of Ukraine's acceptance of the kept Donbas
    deal; the old text's keep condition (an immediate offensive at p + dp_belt) has the factor (1 + kappa)."""
    s = {n: sp.Symbol(n) for n in model.parameters}
    found = terminal_payoffs(model.symbolic("sequential"))
    one, d = 1 - s["delta"], s["delta"]
    share, h, odds = deal_terms(s, "D")
    diff = sp.factor(sp.simplify(found["donbas_settlement"][0] - found["donbas_broken_by_russia"][0]))
    assert sp.simplify(diff - d * (1 - h) * (share - (odds - s["c_R"])) / (1 - d * (1 - h))) == 0
    w_u = (1 - s["p"] - s["c_U"]) / one
    roots = sp.solve(sp.numer(sp.together(found["donbas_settlement"][1] - w_u)), s["rho"])
    assert len(roots) == 1 and sp.simplify(roots[0] - hand_rho_star(s)) == 0
    old_keep = found["donbas_settlement"][0] - (s["p"] + s["dp_belt"] - s["c_R"]) / one
    stated = ((s["x_D"] + d * s["rho"] * (1 + s["kappa"]) * s["dp_erosion"] / one - (s["p"] + s["dp_belt"] - s["c_R"]))
              / (1 - d * (1 - h)))
    assert sp.simplify(old_keep - stated) == 0


def test_rho_star_direction_reverses_when_rearming_outweighs_the_belt(model):
    """With dp_belt + dp_erosion < 0 'accept iff rho <= rho*' reverses; where Ukraine keeps the deal then
    (x_D <= p_D + c_U < p + c_U) rho* < 0, so Ukraine cedes at every rho, including rho above rho*."""
    pt = {"dp_belt": "0.02", "dp_erosion": "-0.05", "p": "0.6", "c_U": "0.15", "x_D": "0.7"}
    v = model.values("baseline-2025", pt)
    assert v["dp_belt"] + v["dp_erosion"] < 0 and hand_rho_star(v) < 0
    assert breaks(v, "D") == (False, False)
    for rho in ("0.01", "0.5"):
        res = model.solve("sequential", **pt, rho=rho)
        assert {plan["ukraine_on_donbas"] for plan in spe_plans(res)} == {"cede all of Donbas"}, rho


# ----------------------------------------------------------------------------- the normal form and the tree
def test_counterexample_point_normal_form_keeps_the_spe(model, old_model):
    """The issue's point, where the old 4 x 4 form's only pure Nash outcome was war while the SPE was a
    settlement on Russian terms: the stated form now has the tree's pure Nash outcomes; the old one did not."""
    assert check_normal_form(model, [COUNTEREXAMPLE]) == []
    assert check_normal_form(old_model, [COUNTEREXAMPLE]) != []


def test_normal_form_has_the_trees_pure_nash_outcomes_on_random_points(model):
    """300 seeded points of the box: the stated normal form (6 x 14) and the tree's reduced normal form (6 x 27)
    have the same pure Nash outcomes, and the SPE outcomes are among them (form_differences proves it)."""
    points = random_points(model, 300, seed=15)
    assert check_normal_form(model, points) == []


# ------------------------------------------------------------------------------------ the old model's defects
def test_old_model_fails_where_the_break_option_matters(old_model):
    """The model before the break option: managed freeze was a compromise settlement, and no side could break a
    swap or a freeze, so the W4 and W5 checks fail on it."""
    assert outcomes(old_model.solve("sequential", "managed-freeze")) == [SWAP]
    assert check_managed_freeze(old_model) != []
    assert check_w4(old_model) != []


# ------------------------------------------------------------------------------------------ mutation tests
MUTATIONS = [
    # (claim, check, text replaced, replacement, occurrences)
    ("W1", check_w1, "B_R_S: broken(x_S, W_R_E)", "B_R_S: broken(x_S + 0.1, W_R_E)", 1),
    ("S9", check_rho_star, "V_U_D: settle(1 - x_D, h_D, W_U_D)", "V_U_D: settle(1 - x_D, h_D/2, W_U_D)", 1),
    ("S10", check_s10, "h_D: rho*(1 + kappa)", "h_D: rho", 1),
    ("W4", check_w4, "B_U_S: broken(1 - x_S, W_U_E)", "B_U_S: broken(1 - x_S, W_U)", 1),
    ("W4", check_w4, "swap_broken_by_ukraine: {payoffs: {Russia: B_R_S, Ukraine: B_U_S}",   # breaking = keeping
     "swap_broken_by_ukraine: {payoffs: {Russia: V_R_S, Ukraine: V_U_S}", 1),
    ("W5", check_managed_freeze, "swap_broken_by_russia: {payoffs: {Russia: B_R_S, Ukraine: B_U_S}",
     "swap_broken_by_russia: {payoffs: {Russia: V_R_S, Ukraine: V_U_S}", 1),
    ("S7", check_s7, "B_R_S: broken(x_S, W_R_E)", "B_R_S: broken(x_S + 0.2, W_R_E)", 1),
    ("S4", check_s4, "h_D: rho*(1 + kappa)", "h_D: rho*(1 + kappa)/10", 1),
    ("S12", check_s12, "V0_U: (1 - x_prewar)/(1 - delta)", "V0_U: (1 - x_prewar)/(1 - delta)/4", 1),
    ("S12", check_s12, "include: calibration-2025\n",
     "include: calibration-2025\nparameters:\n  x_prewar: {override: \"mutation\", default: 0.6}\n", 1),
]


@pytest.mark.parametrize(("claim", "check", "old", "new", "count"), MUTATIONS,
                         ids=[f"{m[0]}-{k}" for k, m in enumerate(MUTATIONS)])
def test_mutation_breaks_the_claim_check(tmp_path, claim, check, old, new, count):
    """Each claim check reports a failure on a copy of the model changed so that the claim no longer holds."""
    assert check(mutated(tmp_path, old, new, count)) != [], claim
