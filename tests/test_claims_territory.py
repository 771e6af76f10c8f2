"""Claims of DESIGN.md section 3 encoded by the territory model (models/territory.yaml), as tests.

Each test states the claim with its id and the analysis's sentence, then checks what the model's
equilibria give. Where the model does not reproduce a claim, the test checks the finding that the
model file documents under ``findings``.
"""

from __future__ import annotations

import random
from fractions import Fraction

import pytest
import sympy as sp

import gametheory_ukraine as gtu
from gametheory_ukraine.analysis import relapse

SCENARIOS = ("baseline-2025", "istanbul-2", "reassurance-force", "managed-freeze")

# Row / column indices of the stated normal form.
DONBAS_SETTLE, DONBAS_CONTINUE, SWAP, FREEZE = range(4)
CEDE_ALL, ACCEPT_SWAP, HOLD_LINE, FIGHT_ON = range(4)


@pytest.fixture(scope="module")
def model():
    return gtu.load_model("territory")


@pytest.fixture(scope="module")
def syms(model):
    return {name: sp.Symbol(name) for name in model.parameters}


def spe_plan(res, eq):
    """{infoset: chosen action} of a pure subgame-perfect equilibrium."""
    plan = {}
    for per_player in res.strategy_dict(eq).values():
        for infoset, probs in per_player.items():
            chosen = [a for a, p in probs.items() if p == 1]
            assert len(chosen) == 1, (infoset, probs)
            plan[infoset] = chosen[0]
    return plan


def pure_outcomes(res):
    return {eq.outcome for eq in res if len(eq.outcome_distribution) == 1}


def war_values(v):
    """Today's war, forever: (W_R, W_U)."""
    return (v["p"] - v["c_R"]) / (1 - v["delta"]), (1 - v["p"] - v["c_U"]) / (1 - v["delta"])


def hand_rho_star(v):
    """Ukraine cedes all of Donbas iff rho <= rho*, derived by hand from V_U(D) >= W_U (DESIGN.md section 5):
    1 - x_D - (1 - p - c_U) >= delta*rho*(1 + kappa)*(dp_belt + dp_erosion)/(1 - delta)."""
    return ((1 - v["delta"]) * (v["p"] + v["c_U"] - v["x_D"])
            / (v["delta"] * (1 + v["kappa"]) * (v["dp_belt"] + v["dp_erosion"])))


# ------------------------------------------------------------------------------------------- W1
@pytest.mark.claim("territory", "W1")
def test_w1_baseline_war_with_an_empty_bargaining_range(model):
    """W1 (Wallace 2025): "Russia continues to demand that Ukraine relinquish control over Donbas, renounce
    ambitions to join NATO, and prevent Western troops from being deployed to its territory." and "Zelensky,
    meanwhile, wants the polar opposite, aiming to retain territory and gain security guarantees from Western
    allies to deter future conflict." ... "It’s difficult to envision how the two sides can find a middle
    ground."

    Baseline: the unique SPE has Russia demand all of Donbas and Ukraine fight on; no demand on the menu is
    both accepted by Ukraine and worth more than war to Russia (empty bargaining range over the menu)."""
    res = model.solve("sequential", "baseline-2025")
    assert len(res) == 1 and res.complete
    eq = res[0]
    plan = spe_plan(res, eq)
    assert eq.outcome == "war continues"
    assert plan["russia_demand"] == "demand all of Donbas"
    assert plan["ukraine_on_donbas"] == "fight on"
    # Ukraine would take the swap and the freeze; Russia prefers war to both.
    assert plan["ukraine_on_swap"] == "accept the limited swap"
    assert plan["ukraine_on_freeze"] == "accept the freeze"

    v = model.values("baseline-2025")
    A, B = model.game("normal", "baseline-2025").payoffs
    w_r, w_u = war_values(v)
    assert (A[0, 3], B[0, 3]) == (w_r, w_u) == (5, Fraction(5, 2))
    zone = [(r, A[r, CEDE_ALL] > w_r and B[r, CEDE_ALL] > w_u) for r in (DONBAS_SETTLE, SWAP, FREEZE)]
    assert not any(ok for _, ok in zone), zone
    # The normal form agrees: war is the only pure Nash outcome.
    assert pure_outcomes(model.solve("normal", "baseline-2025")) == {"war continues"}


@pytest.mark.claim("territory", "W1")
def test_w1_finding_the_split_alone_is_inside_fearons_range(model):
    """W1 finding (model file, findings[0]): as a one-off split the Donbas demand lies inside Fearon's range
    (p - c_R, p + c_U) = (0.5, 0.75) (LITERATURE.md validation game 1); the range over the menu is emptied
    by relapse and strategic territory, so at the lowest relapse risk Ukraine cedes all of Donbas."""
    v = model.values("baseline-2025")
    assert v["p"] - v["c_R"] == Fraction(1, 2) and v["p"] + v["c_U"] == Fraction(3, 4)
    assert v["p"] - v["c_R"] < v["x_D"] < v["p"] + v["c_U"]
    low = model.solve("sequential", "baseline-2025", rho="0.01")
    assert [eq.outcome for eq in low] == ["settlement on Russian terms"]


# ------------------------------------------------------------------------------------------- S7
@pytest.mark.claim("territory", "S7")
def test_s7_istanbul_2_same_war_weaker_ukraine(model):
    """S7 (Stanovaya 2025): "The Ukrainian leadership is therefore now being drawn into a negotiating format
    that can be termed “Istanbul 2” — the same demands, not counting the new territorial claims, the same place,
    and the same people (at least on the Russian side)." and "But Ukraine is now in an even more difficult
    situation than in the spring of 2022, facing the risk of losing the rest of the Donbas."

    The scenario raises Russia's odds and its demand; the outcome stays "war continues", Ukraine's value falls
    and Russia's rises; the Donbas threshold rho* is unchanged because both moved by 0.1 (findings[3])."""
    base, ist = model.values("baseline-2025"), model.values("istanbul-2")
    assert ist["p"] > base["p"] and ist["x_D"] > base["x_D"]
    b = model.solve("sequential", "baseline-2025")
    i = model.solve("sequential", "istanbul-2")
    assert len(i) == 1 and i[0].outcome == "war continues"
    assert spe_plan(i, i[0])["russia_demand"] == "demand all of Donbas"
    assert i[0].payoffs[1] < b[0].payoffs[1] and i[0].payoffs[0] > b[0].payoffs[0]
    assert tuple(i[0].payoffs) == (6, Fraction(3, 2))
    assert hand_rho_star(ist) == hand_rho_star(base) == Fraction(1, 27)


# ------------------------------------------------------------------------------------------- S9
@pytest.mark.claim("territory", "S9")
@pytest.mark.parametrize("scenario", SCENARIOS)
def test_s9_every_settlement_is_valued_with_the_minsk_relapse_formula(model, syms, scenario):
    """S9 (Stanovaya 2025): "But it will most likely be doomed to repeat the fate of previous accords between
    Moscow and Kyiv, like the Minsk agreements: rather than settling the conflict once and for all, it may serve
    as a prologue to another war sometime down the road."

    Every settlement payoff is exactly relapse.settlement_value(s, W', rho_d, delta) with the hazards
    rho_D = rho*(1 + kappa), rho_S = rho*(1 + kappa*sigma), rho_F = rho; and at the defaults rho is the
    Fortna calibration (half of ceasefires failing within 5 years), expected duration 1/rho."""
    s = syms
    A, B = model.symbolic("normal").payoffs
    one = 1 - s["delta"]
    x_s = s["x_F"] + s["sigma"] * (s["x_D"] - s["x_F"])
    deals = {
        DONBAS_SETTLE: (s["x_D"], s["rho"] * (1 + s["kappa"]), s["dp_belt"] + s["dp_erosion"]),
        SWAP: (x_s, s["rho"] * (1 + s["kappa"] * s["sigma"]), s["dp_erosion"]),
        FREEZE: (s["x_F"], s["rho"], s["dp_erosion"]),
    }
    for row, (share, hazard, shift) in deals.items():
        w_r = (s["p"] + shift - s["c_R"]) / one
        w_u = (1 - s["p"] - shift - s["c_U"]) / one
        assert sp.simplify(A[row, CEDE_ALL] - relapse.settlement_value(share, w_r, hazard, s["delta"])) == 0
        assert sp.simplify(B[row, CEDE_ALL] - relapse.settlement_value(1 - share, w_u, hazard, s["delta"])) == 0
    # Numbers: the scenario's game evaluates the same formula exactly.
    v = model.values(scenario)
    g = model.game("normal", scenario)
    w_u_after = (1 - v["p"] - v["dp_erosion"] - v["c_U"]) / (1 - v["delta"])
    assert g.payoffs[1][FREEZE, HOLD_LINE] == relapse.settlement_value(1 - v["x_F"], w_u_after, v["rho"], v["delta"])
    if scenario == "baseline-2025":
        assert round(relapse.rho_from_base_rate(0.5, 5), 3) == float(v["rho"]) == 0.129
        assert relapse.expected_duration(v["rho"]) == Fraction(1000, 129)               # about 7.8 years
        assert relapse.expected_duration(v["rho"] * (1 + v["kappa"])) == Fraction(2000, 387)   # Donbas: 5.2


# ------------------------------------------------------------------------------------------ S10
@pytest.mark.claim("territory", "S10")
def test_s10_relapse_rises_with_the_concession_and_turns_a_deal_into_war(model):
    """S10 (Stanovaya 2025): "The first is that Putin flatly refuses to understand that it is not the West that
    prevents Ukraine from becoming “friendly” to Moscow, but that Ukrainian society and elites will never accept
    the capitulatory conditions that Moscow is trying to impose on them." and "And no matter what points the
    Kremlin manages to shoehorn into agreements signed after arduous negotiations, it still won’t be possible
    to implement them."

    The hazard is ordered by concession (freeze <= swap <= Donbas, over the whole parameter box), and the
    capitulation premium alone decides the outcome: at rho = 0.04, between 1/27 and 1/18, Ukraine cedes all of
    Donbas when kappa = 0 and fights on at the default kappa = 0.5."""
    for name in ("kappa", "sigma", "rho"):
        assert model.parameters[name].low >= 0
    assert model.parameters["sigma"].high <= 1
    assert model.parameters["rho"].high * (1 + model.parameters["kappa"].high) <= 1   # rho_D stays a probability
    v = model.values("baseline-2025")
    assert hand_rho_star(dict(v, kappa=Fraction(0))) == Fraction(1, 18)
    assert hand_rho_star(v) == Fraction(1, 27)
    no_premium = model.solve("sequential", "baseline-2025", rho="0.04", kappa=0)
    premium = model.solve("sequential", "baseline-2025", rho="0.04")
    assert [eq.outcome for eq in no_premium] == ["settlement on Russian terms"]
    assert [eq.outcome for eq in premium] == ["war continues"]
    # Ukraine's value of the Donbas deal falls as the premium rises (relapse starts from a weaker position).
    values = [model.game("normal", "baseline-2025", kappa=k).payoffs[1][DONBAS_SETTLE, CEDE_ALL]
              for k in ("0", "0.25", "0.5", "1")]
    assert values == sorted(values, reverse=True) and len(set(values)) == 4


# ------------------------------------------------------------------------------------------- W4
@pytest.mark.claim("territory", "W4")
def test_w4_ukraine_fights_on_exactly_when_war_beats_the_deal(model):
    """W4 (Wallace 2025): "Unless those two positions shift, any micro-deal risks being temporary, vulnerable to
    collapse the moment one side believes it can achieve more on the battlefield than at the negotiating table."

    At seeded random points of the parameter box, in every SPE Ukraine accepts a demand iff the deal (with
    Russia's planned follow-up) is worth at least its war value, and Russia settles after a cession iff the
    deal is worth at least the offensive from the ceded belt."""
    rng = random.Random(20250905)
    checked = 0
    for _ in range(40):
        vals = {n: Fraction(round(p.low + (p.high - p.low) * Fraction(rng.random()), 3)).limit_denominator(1000)
                for n, p in model.parameters.items()}
        vals = {n: min(max(x, model.parameters[n].low), model.parameters[n].high) for n, x in vals.items()}
        A, B = model.game("normal", **vals).payoffs
        w_u = B[DONBAS_SETTLE, FIGHT_ON]
        if len({A[DONBAS_SETTLE, CEDE_ALL], A[DONBAS_CONTINUE, CEDE_ALL]}) == 1:
            continue
        settles = A[DONBAS_SETTLE, CEDE_ALL] > A[DONBAS_CONTINUE, CEDE_ALL]
        donbas_u = B[DONBAS_SETTLE if settles else DONBAS_CONTINUE, CEDE_ALL]
        expected = {"russia_after_cession": "settle" if settles else "continue the offensive",
                    "ukraine_on_donbas": "cede all of Donbas" if donbas_u >= w_u else "fight on",
                    "ukraine_on_swap": "accept the limited swap" if B[SWAP, CEDE_ALL] >= w_u else "fight on",
                    "ukraine_on_freeze": "accept the freeze" if B[FREEZE, CEDE_ALL] >= w_u else "fight on"}
        if w_u in (donbas_u, B[SWAP, CEDE_ALL], B[FREEZE, CEDE_ALL]):
            continue
        res = model.solve("sequential", **vals)
        for eq in res:
            plan = spe_plan(res, eq)
            assert {k: plan[k] for k in expected} == expected, vals
        checked += 1
    assert checked >= 30


@pytest.mark.claim("territory", "W4")
def test_w4_russia_continues_the_offensive_from_the_ceded_belt(model):
    """W4 and strategic territory (Fearon 1995): where the Donbas split is worth less to Russia than fighting on
    from the ceded belt (x_D < p + dp_belt - c_R at dp_erosion = 0), Russia's plan after a cession is to
    "continue the offensive"; Ukraine, anticipating it, fights on, so "settlement, then relapse" is never played
    in an SPE nor a pure Nash outcome of the normal form. Russia is never forced below its war value."""
    pt = {"p": "0.8", "c_R": "0.05", "dp_belt": "0.15", "x_D": "0.8"}
    res = model.solve("sequential", **pt)
    assert len(res) == 1
    plan = spe_plan(res, res[0])
    assert plan["russia_after_cession"] == "continue the offensive"
    assert plan["ukraine_on_donbas"] == "fight on"
    assert res[0].outcome == "war continues"
    assert "settlement, then relapse" not in pure_outcomes(model.solve("normal", **pt))
    # The same point with a Donbas split above the offensive's value: Russia would settle.
    keep = model.solve("sequential", **dict(pt, x_D="0.9"))
    assert spe_plan(keep, keep[0])["russia_after_cession"] == "settle"
    for scenario in SCENARIOS:
        v = model.values(scenario)
        eq = model.solve("sequential", scenario)[0]
        assert eq.payoffs[0] >= war_values(v)[0]


# ------------------------------------------------------------------------------------------ S12
@pytest.mark.claim("territory", "S12")
@pytest.mark.parametrize("scenario", SCENARIOS)
def test_s12_finding_ukraine_below_prewar_russia_not(model, scenario):
    """S12 (Stanovaya 2025): "Tactically, the parties may win but, strategically, there can be no winners."

    Finding (model file, findings[1]): in every equilibrium of both forms Ukraine ends below its pre-war value
    (1 - x_prewar)/(1 - delta); Russia ends ABOVE its pre-war value x_prewar/(1 - delta) at the defaults, since
    its war value p - c_R = 0.5 a year exceeds x_prewar = 0.25. Russia is below at the war outcome iff
    x_prewar > p - c_R (checked at x_prewar = 0.6)."""
    v = model.values(scenario)
    prewar_r = v["x_prewar"] / (1 - v["delta"])
    prewar_u = (1 - v["x_prewar"]) / (1 - v["delta"])
    for form in ("sequential", "normal"):
        res = model.solve(form, scenario)
        for eq in res:
            assert eq.payoffs[1] < prewar_u
            assert eq.payoffs[0] > prewar_r          # the finding: Russia "wins tactically" in this game
    if scenario == "baseline-2025":
        high = model.values(scenario, x_prewar="0.6")
        eq = model.solve("sequential", scenario, x_prewar="0.6")[0]
        assert eq.outcome == "war continues" and high["x_prewar"] > high["p"] - high["c_R"]
        assert eq.payoffs[0] < high["x_prewar"] / (1 - high["delta"])


# ---------------------------------------------------------------------------- rho threshold (closed form)
@pytest.mark.claim("territory", "S9")
@pytest.mark.claim("territory", "W1")
def test_rho_threshold_for_ceding_donbas_closed_form_and_solver(model, syms):
    """How the equilibrium changes with rho (S9, S10, W1). Hand derivation: Ukraine cedes all of Donbas iff
    V_U(D) >= W_U, i.e. rho <= rho* = (1 - delta)(p + c_U - x_D) / (delta (1 + kappa)(dp_belt + dp_erosion)),
    1/27 at the defaults. sympy solves the model's own payoffs for the same root; the solver gives "settlement
    on Russian terms" below it, "war continues" above it, and both (a tie, kept) at rho* itself."""
    s = syms
    A, B = model.symbolic("normal").payoffs
    roots = sp.solve(sp.numer(sp.together(B[DONBAS_SETTLE, CEDE_ALL] - B[DONBAS_SETTLE, FIGHT_ON])), s["rho"])
    assert len(roots) == 1
    hand = hand_rho_star(s)
    assert sp.simplify(roots[0] - hand) == 0
    v = model.values("baseline-2025")
    star = hand_rho_star(v)
    assert star == Fraction(1, 27) == roots[0].subs({s[k]: sp.Rational(x) for k, x in v.items()})

    for rho, outcome in (("0.01", "settlement on Russian terms"), ("1/30", "settlement on Russian terms"),
                         ("1/25", "war continues"), ("0.129", "war continues"), ("0.5", "war continues")):
        res = model.solve("sequential", "baseline-2025", rho=rho)
        assert [eq.outcome for eq in res] == [outcome], rho
        nash = pure_outcomes(model.solve("normal", "baseline-2025", rho=rho))
        assert nash == ({outcome, "war continues"} if outcome != "war continues" else {"war continues"})
    at = model.solve("sequential", "baseline-2025", rho=str(star))
    assert sorted(eq.outcome for eq in at) == ["settlement on Russian terms", "war continues"]
    # Below the threshold Ukraine's deal value exceeds war; the Russian share of the deal is then x_D.
    below = model.solve("sequential", "baseline-2025", rho="1/30")[0]
    assert below.payoffs[1] > war_values(v)[1] and below.payoffs[0] > war_values(v)[0]


@pytest.mark.claim("territory", "W5")
def test_managed_freeze_finding_swap_threshold(model, syms):
    """W5 / managed freeze (Wallace 2025): "Moscow understands these divisions and will likely exploit them,
    pushing for a ‘managed freeze’ that cements the status quo while eroding Western unity."

    Finding (findings[2]): with Western unity eroding during the pause, a relapse-prone deal pays Russia, which
    takes the limited swap iff rho*(1 + kappa*sigma) >= (1 - delta)(p - c_R - x_S)/(delta dp_erosion), i.e.
    rho >= 8/99 at the scenario's values; the scenario's SPE is the swap, and the pure freeze is a Nash but not
    a subgame-perfect outcome. Below 2/81 Ukraine cedes all of Donbas; in between, war continues."""
    s = syms
    A, _ = model.symbolic("normal").payoffs
    x_s = s["x_F"] + s["sigma"] * (s["x_D"] - s["x_F"])
    roots = sp.solve(sp.numer(sp.together(A[SWAP, CEDE_ALL] - A[SWAP, FIGHT_ON])), s["rho"])
    hand = (1 - s["delta"]) * (s["p"] - s["c_R"] - x_s) / (s["delta"] * s["dp_erosion"] * (1 + s["kappa"] * s["sigma"]))
    assert len(roots) == 1 and sp.simplify(roots[0] - hand) == 0
    v = model.values("managed-freeze")
    at = {s[k]: sp.Rational(x) for k, x in v.items()}
    assert hand.subs(at) == sp.Rational(8, 99)
    assert hand_rho_star(v) == Fraction(2, 81)
    for rho, outcome in (("0.02", "settlement on Russian terms"), ("0.03", "war continues"),
                         ("0.08", "war continues"), ("0.09", "compromise settlement"),
                         ("0.3", "compromise settlement")):
        res = model.solve("sequential", "managed-freeze", rho=rho)
        assert [eq.outcome for eq in res] == [outcome], rho
    assert "managed freeze" in pure_outcomes(model.solve("normal", "managed-freeze"))
    assert [eq.outcome for eq in model.solve("sequential", "managed-freeze")] == ["compromise settlement"]


@pytest.mark.claim("territory", "S4")
def test_reassurance_force_finding_no_deal(model):
    """Stanovaya (2025): "These “reassurance forces” will not be intended to fight Russia and essentially amount
    to moral support for Kyiv, as well as some limited practical functions like in-country training."

    Finding (findings[4]): the lower hazard (0.093) leaves the outcome at "war continues"; a deal on Donbas would
    need rho <= 1/27, below every base rate in LITERATURE.md (the lowest, 40 % in 10 years, is 0.05)."""
    res = model.solve("sequential", "reassurance-force")
    assert [eq.outcome for eq in res] == ["war continues"]
    assert hand_rho_star(model.values("reassurance-force")) < relapse.rho_from_base_rate(0.40, 10)


def test_form_differences_example(model):
    """The model file's form_differences: a point in range where the tree's reduced normal form (8 Ukrainian
    plans) has a pure Nash outcome the stated form (4 monotone plans) lacks; the SPE is in both."""
    pt = {"delta": "0.98", "rho": "0.5", "kappa": "1", "sigma": "0.5", "x_D": "0.6", "x_F": "0.55", "p": "0.5"}
    stated = pure_outcomes(model.solve("normal", **pt))
    tree = pure_outcomes(gtu.solve(model.game("sequential", **pt), method="nash"))
    assert tree - stated == {"compromise settlement"}
    assert stated <= tree
    spe = model.solve("sequential", **pt)
    assert [eq.outcome for eq in spe] == ["managed freeze"] and "managed freeze" in stated
    assert "Example in range" in model.form_differences
