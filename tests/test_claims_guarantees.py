"""Claims of DESIGN.md section 3 encoded by the guarantees model (models/guarantees.yaml), as tests.

Each test states its claim (id and the analysis's sentence) and checks the model's equilibria against it.
Thresholds are derived by hand (derivations in the docstrings), checked symbolically against the model's
own payoff expressions with sympy, and then checked against the solver on both sides.
Players are (Russia, Ukraine, Europe); the tree's information sets are "ukraine", "russia" and "europe".
"""

from __future__ import annotations

from fractions import Fraction

import pytest
import sympy as sp

import gametheory_ukraine as gtu
from gametheory_ukraine.analysis.relapse import signing_threshold
from gametheory_ukraine.games.reduce import to_normal_form
from gametheory_ukraine.games.tree import Terminal

MODEL = gtu.load_model("guarantees")
SCENARIOS = ["baseline-2025", "istanbul-2", "reassurance-force", "managed-freeze"]
SYM = {name: sp.Symbol(name) for name in MODEL.parameters}
delta, rho, p, c_R, c_U, x, dp_after = (SYM[k] for k in ("delta", "rho", "p", "c_R", "c_U", "x", "dp_after"))
g_T, g_A, pi_US, q, v = (SYM[k] for k in ("g_T", "g_A", "pi_US", "q", "v"))
c_E, c_A, nu, a_E = (SYM[k] for k in ("c_E", "c_A", "nu", "a_E"))
EPS = Fraction(1, 1000)

# Closed forms derived by hand (see the test docstrings).
TAU = p + dp_after - c_R - x                                            # Russia's yearly temptation
Q_STAR = (1 - delta) * (1 - rho) * TAU / ((1 - delta + delta * rho) * (g_T + pi_US * g_A))
RHO_U_STAR = (p + c_U - x) * (1 - delta) / (delta * dp_after)           # Ukraine signs iff rho <= this
A_STAR = (c_A + nu) / (1 - delta)                                    # tripwire: Europe answers iff a_E > this


def at(expr, scenario=None, **overrides):
    """Value of a sympy expression at a scenario's parameter values (exact)."""
    vals = MODEL.values(scenario, overrides)
    return sp.simplify(expr.subs({SYM[k]: sp.Rational(str(val)) for k, val in vals.items()}))


def frac(value) -> Fraction:
    value = sp.Rational(value)
    return Fraction(int(value.p), int(value.q))


def spe(scenario=None, **overrides):
    return MODEL.solve("sequential", scenario, **overrides)


def plans(res):
    """Every SPE as {player: chosen action} (all SPE of this perfect-information tree are pure)."""
    out = []
    for eq in res:
        chosen = {}
        for player, infosets in res.strategy_dict(eq).items():
            ((_, probs),) = infosets.items()
            (action,) = [act for act, pr in probs.items() if pr == 1]
            chosen[player] = action
        out.append(chosen)
    return out


def only_spe(scenario=None, **overrides):
    res = spe(scenario, **overrides)
    assert len(res) == 1, f"expected a unique SPE at {scenario} {overrides}, got {len(res)}"
    return plans(res)[0], res[0]


def outcome(scenario=None, **overrides) -> str:
    return only_spe(scenario, **overrides)[1].outcome


def pure_profiles(res):
    """Pure equilibria of a normal-form result as (action labels, outcome)."""
    out = set()
    for eq in res:
        if all(pr in (0, 1) for s in eq.strategies for pr in s):
            labels = tuple(res.actions[i][list(s).index(1)] for i, s in enumerate(eq.strategies))
            out.add((labels, eq.outcome))
    return out


def payoff(player, russia, ukraine, europe):
    """Symbolic payoff of *player* in the stated normal form."""
    nf = MODEL.symbolic("normal")
    idx = (nf.actions[0].index(russia), nf.actions[1].index(ukraine), nf.actions[2].index(europe))
    return sp.sympify(nf.payoffs[MODEL.players.index(player)][idx])


# ------------------------------------------------------------------------------------- the two forms
def test_normal_form_is_the_reduced_normal_form_of_the_tree():
    """The stated normal form has exactly the expected payoffs of the tree's reduced normal form."""
    stated, tree = MODEL.symbolic("normal"), to_normal_form(MODEL.symbolic("sequential"))
    assert stated.actions == tree.actions
    for i in range(3):
        for idx in [(r, u, e) for r in range(2) for u in range(2) for e in range(3)]:
            diff = sp.sympify(stated.payoffs[i][idx]) - sp.sympify(tree.payoffs[i][idx])
            assert sp.simplify(sp.together(diff)) == 0, (MODEL.players[i], idx)


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_both_forms_have_the_same_pure_nash_profiles_and_outcomes(scenario):
    stated = pure_profiles(MODEL.solve("normal", scenario))
    tree = pure_profiles(gtu.solve(MODEL.game("sequential", scenario), method="nash"))
    assert stated == tree
    assert {o for _, o in stated} <= {"war continues", "settlement holds"}


def test_every_outcome_is_labelled():
    tree = MODEL.symbolic("sequential")
    labels = {n.outcome for n in tree.nodes() if isinstance(n, Terminal)}
    assert labels == {"war continues", "settlement holds", "re-attack answered", "re-attack unanswered"}
    nf = MODEL.symbolic("normal")
    assert all(o for o in nf.outcomes.flat)


# ------------------------------------------------------------------------------------------ baseline
def test_baseline_spe_is_unique_war_continues():
    """At baseline Russia would re-attack a signed settlement, Europe would acquiesce, so Ukraine fights on.

    Payoffs: Russia (p - c_R)/(1 - delta) = 5, Ukraine (1 - p - c_U)/(1 - delta) = 5/2, Europe 0.
    """
    chosen, eq = only_spe()
    assert chosen == {"Russia": "re-attack", "Ukraine": "fight on", "Europe": "acquiesce"}
    assert eq.outcome == "war continues"
    assert eq.payoffs == (5, Fraction(5, 2), 0)


@pytest.mark.claim("guarantees", "S10")
@pytest.mark.parametrize("scenario, russia", [("baseline-2025", "re-attack"), ("istanbul-2", "comply"),
                                              ("reassurance-force", "re-attack"), ("managed-freeze", "re-attack")])
def test_scenarios(scenario, russia):
    """No guarantee on the table makes a settlement worth signing: the war continues in every scenario.

    Under istanbul-2 Russia would comply (its terms x = 0.75 beat its post-settlement war), but the army
    cap and the terms leave Ukraine better off fighting on (S10: capitulatory terms are not accepted).
    """
    chosen, eq = only_spe(scenario)
    assert chosen == {"Russia": russia, "Ukraine": "fight on", "Europe": "acquiesce"}
    assert eq.outcome == "war continues"


@pytest.mark.claim("guarantees", "S9")
def test_relapse_is_endogenous():
    """S9 + the design: subgame-perfect play sets the first-year collapse probability of a signed settlement.

    Russia's plan is to re-attack (collapse with probability 1, not rho) at baseline; with a hard guarantor
    (q = 1) it complies and only the Minsk-style risk rho remains, and Ukraine then signs.
    """
    chosen, _ = only_spe()
    assert chosen["Russia"] == "re-attack"
    chosen, eq = only_spe(q=1)
    assert chosen["Russia"] == "comply" and chosen["Ukraine"] == "sign the settlement"
    assert eq.outcome == "settlement holds"


# ------------------------------------------------------------------------------------------- claims
@pytest.mark.claim("guarantees", "S11")
@pytest.mark.parametrize("scenario", SCENARIOS)
def test_S11_guarantor_acquiesces_after_a_re_attack_in_every_spe(scenario):
    """S11. Stanovaya (2025): "With the West resolutely refusing to directly fight Russia on Ukraine's side
    today, there is no reason to believe it will suddenly be prepared to do so in the event of a new
    escalation after the current war has stopped."

    In every SPE, at baseline and in every scenario, Europe acquiesces after a re-attack.
    """
    for chosen in plans(spe(scenario)):
        assert chosen["Europe"] == "acquiesce"


@pytest.mark.claim("guarantees", "S11")
def test_S11_the_threat_to_fight_is_nash_but_not_subgame_perfect():
    """S11, chain-store logic (Selten 1978): Europe's threat of troops (or of calling in US air support)
    sustains a Nash equilibrium in which the settlement holds, but no SPE, because the threat is not
    credible once Russia has re-attacked."""
    nash = pure_profiles(MODEL.solve("normal"))
    sustained = {(("comply", "sign the settlement", e), "settlement holds") for e in ("troops", "air support only")}
    assert sustained <= nash
    assert {eq.outcome for eq in spe()} == {"war continues"}


@pytest.mark.claim("guarantees", "S3")
def test_S3_under_the_veto_the_guarantee_deters_nothing():
    """S3. Stanovaya (2025): "Then, in the event of a new escalation, each guarantor would have the right to
    veto decisions." and the army cap: "Russia also expects such guarantees to be accompanied by a radical
    reduction in the size of the Ukrainian army, ..."

    With the veto (v = 1) Russia's payoff from a re-attack does not depend on Europe's plan, on the
    guarantor's resolve q or on US air support: symbolically, and so even a hard guarantor (q = 1) that
    deters at baseline deters nothing under the Istanbul terms.
    """
    reattack = [payoff("Russia", "re-attack", "sign the settlement", e).subs(v, 1)
                for e in ("troops", "air support only", "acquiesce")]
    for expr in reattack:
        assert not expr.free_symbols & {q, pi_US, g_T, g_A}
        assert sp.simplify(expr - reattack[0]) == 0
    # a hard guarantor deters at baseline terms ...
    assert only_spe(q=1)[0]["Russia"] == "comply"
    # ... but not with the veto (same terms, x = 0.55, as at baseline)
    assert only_spe("istanbul-2", q=1, x="0.55")[0]["Russia"] == "re-attack"
    # the army cap makes the post-relapse war worse for Ukraine: W'_U(istanbul-2) < W'_U(baseline) < W_U
    w_after = (1 - p - dp_after - c_U) / (1 - delta)
    assert at(w_after, "istanbul-2") < at(w_after) < at((1 - p - c_U) / (1 - delta))


@pytest.mark.claim("guarantees", "S4")
def test_S4_reassurance_force_is_a_weak_tripwire():
    """S4. Stanovaya (2025): "These "reassurance forces" will not be intended to fight Russia and essentially
    amount to moral support for Kyiv, as well as some limited practical functions like in-country training."

    Derivation (Europe at its node, soft guarantor, no veto; PV at the re-attack): acquiesce costs a_E;
    air support only costs pi_US*(c_A + nu)/(1 - delta) + (1 - pi_US)*a_E; troops cost
    (c_E + nu + pi_US*c_A)/(1 - delta). Acquiescing beats air support iff pi_US*a_E < pi_US*(c_A + nu)/(1 -
    delta), i.e. a_E < a* = (c_A + nu)/(1 - delta) (pi_US cancels), and a* is below the troops cost at the
    defaults. With the force deployed (a_E = 1) the audience cost stays below a* = 1.4: Europe still
    acquiesces. Above a* it calls in US air support, which deters Russia and the settlement holds.
    """
    e_acq = payoff("Europe", "re-attack", "sign the settlement", "acquiesce").subs({q: 0, v: 0})
    e_air = payoff("Europe", "re-attack", "sign the settlement", "air support only").subs({q: 0, v: 0})
    (root,) = sp.solve(sp.Eq(e_acq, e_air), a_E)
    assert sp.simplify(root - A_STAR) == 0
    a_star = frac(at(A_STAR, "reassurance-force"))
    assert a_star == Fraction(7, 5)
    assert MODEL.values("reassurance-force")["a_E"] < a_star and MODEL.values()["a_E"] < a_star
    assert at(A_STAR) < at((c_E + nu + pi_US * c_A) / (1 - delta))
    below, eq_below = only_spe("reassurance-force", a_E=a_star - EPS)
    above, eq_above = only_spe("reassurance-force", a_E=a_star + EPS)
    assert below["Europe"] == "acquiesce" and eq_below.outcome == "war continues"
    assert above["Europe"] == "air support only" and eq_above.outcome == "settlement holds"


@pytest.mark.claim("guarantees", "S5")
def test_S5_us_backstop_probability_sets_the_deterrence_threshold():
    """S5. Stanovaya (2025): "Air support is likely, though Trump and his team have not specified what
    exactly that support would mean in practice." and "The United States will also ask for additional
    payment for this air support from the Europeans, ..."

    The US sends no troops (it has no troop move) and flies with probability pi_US; Europe pays c_A while it
    does. With a hard guarantor of probability q, deterrence holds iff q*(g_T + pi_US*g_A) >= K, with
    K = (1 - delta)*(1 - rho)*(p + dp_after - c_R - x)/(1 - delta + delta*rho) (see the Zagare-Kilgour test),
    i.e. iff pi_US >= pi* = (K/q - g_T)/g_A. At baseline with q = 1/2, pi* = 0.303...
    """
    nodes = {n.name: n for n in MODEL.symbolic("sequential").nodes()}
    assert MODEL.symbolic("sequential").players.index("Europe") == 2
    assert sp.simplify(sp.sympify(nodes["air_flown"].payoffs[2]) + delta * (c_A + nu) / (1 - delta)) == 0
    k = Q_STAR * (g_T + pi_US * g_A)
    pi_star = (k / q - g_T) / g_A
    value = frac(at(pi_star, q="0.5"))
    assert abs(value - Fraction(303, 1000)) < Fraction(1, 1000)
    assert outcome(q="0.5", pi_US=value - EPS) == "war continues"
    assert outcome(q="0.5", pi_US=value + EPS) == "settlement holds"
    # the US backstop lowers the resolve a guarantor needs: q* falls with pi_US
    assert sp.simplify(sp.diff(Q_STAR, pi_US) + Q_STAR * g_A / (g_T + pi_US * g_A)) == 0
    assert at(Q_STAR, "reassurance-force") < at(Q_STAR) < at(Q_STAR, "managed-freeze")


@pytest.mark.claim("guarantees", "S8")
def test_S8_europe_is_decorative():
    """S8. Stanovaya (2025): "Europe's role in the negotiation format is largely decorative. It has neither
    the military nor financial resources to bring about any rapid change to the situation on the
    battlefield, ..."

    (1) At baseline Europe's moves do not change the equilibrium outcome: holding Russia's and Ukraine's SPE
    strategies fixed, each of Europe's three actions gives "war continues". (2) Europe's own forces change
    nothing even if Europe could commit to using them: without US air support (pi_US = 0) the normal form's
    Nash outcomes are "war continues" only, whichever plan Europe holds. What would matter is the US air
    support Europe would pay for, and only if the commitment were credible (findings).
    """
    for e in ("troops", "air support only", "acquiesce"):
        game = MODEL.game("normal")
        idx = (game.actions[0].index("re-attack"), game.actions[1].index("fight on"), game.actions[2].index(e))
        assert game.outcome(idx) == "war continues"
    nash = MODEL.solve("normal", pi_US=0)
    assert {eq.outcome for eq in nash} == {"war continues"}
    # Europe alone would need g_T >= K (its forces fighting for sure) to deter; it has about half of that
    k = at(Q_STAR * (g_T + pi_US * g_A))
    assert MODEL.values()["g_T"] < frac(k)
    # the finding: with US air support (pi_US = 1/2), a credible European plan would deter
    assert "settlement holds" in {eq.outcome for eq in MODEL.solve("normal")}


@pytest.mark.claim("guarantees", "S1")
def test_S1_russia_cannot_be_defeated_and_escalation_risk_makes_the_guarantee_incredible():
    """S1. Stanovaya (2025): "The first is Trump's firm belief that Russia, as a nuclear power, cannot be
    defeated on the battlefield, which means that Ukraine cannot win through military means." and "...
    contain an aggressor that cannot be defeated using military means because it is in possession of
    nuclear weapons."

    (1) In every war of the tree, even against European troops and US air support together, Russia's odds
    stay above 1/2 at baseline and in every scenario. (2) The guarantor's cost of fighting includes the
    nuclear escalation risk nu, and that risk is what makes it acquiesce: Europe prefers acquiescing to air
    support only iff a < (c_A + nu)/(1 - delta), i.e. nu > nu* = a_E*(1 - delta) - c_A = 1/100 at baseline.
    Without it (nu = 0) Europe would call in US air support, Russia would be deterred and the settlement
    would hold.
    """
    for scenario in SCENARIOS:
        assert at(p + dp_after - g_T - g_A, scenario) > sp.Rational(1, 2)
    nu_star = frac(at(a_E * (1 - delta) - c_A))
    assert nu_star == Fraction(1, 100)
    chosen, eq = only_spe(nu=0)
    assert chosen["Europe"] == "air support only" and eq.outcome == "settlement holds"
    chosen, eq = only_spe(nu=nu_star + EPS)
    assert chosen["Europe"] == "acquiesce" and eq.outcome == "war continues"


def test_zagare_kilgour_deterrence_threshold_in_q():
    """Perfect deterrence (Zagare and Kilgour 2000): deterrence holds iff q >= (1 - s)/(1 - w).

    By hand, for Russia at its node (Europe's soft type acquiesces, no veto): comply is worth
    V_c = (x + delta*rho*A)/(1 - delta + delta*rho) with A = (p + dp_after - c_R)/(1 - delta); an unanswered
    re-attack x + delta*A; an answered one x + delta*(A - g_H/(1 - delta)) with g_H = g_T + pi_US*g_A.
    Then x + delta*A - V_c = delta*(1 - rho)*tau/(1 - delta + delta*rho) with tau = p + dp_after - c_R - x,
    so with payoffs normalised to unanswered = 1, answered = w, comply = s:
    q* = (1 - s)/(1 - w) = (1 - delta)*(1 - rho)*tau / ((1 - delta + delta*rho)*g_H) = 4355/12966 = 0.336
    at baseline. With the veto the condition is (1 - v)*q >= q*.
    """
    comply = payoff("Russia", "comply", "sign the settlement", "acquiesce")
    unanswered = payoff("Russia", "re-attack", "sign the settlement", "acquiesce").subs({q: 0, v: 0})
    answered = payoff("Russia", "re-attack", "sign the settlement", "acquiesce").subs({q: 1, v: 0})
    assert sp.simplify((unanswered - comply) / (unanswered - answered) - Q_STAR) == 0
    q_star = frac(at(Q_STAR))
    assert q_star == Fraction(4355, 12966)
    below, eq_below = only_spe(q=q_star - EPS)
    above, eq_above = only_spe(q=q_star + EPS)
    assert below["Russia"] == "re-attack" and eq_below.outcome == "war continues"
    assert above["Russia"] == "comply" and eq_above.outcome == "settlement holds"
    # a partial veto scales resolve down: (1 - v)*q must clear q*
    assert only_spe(q=1, v=1 - q_star + EPS)[0]["Russia"] == "re-attack"
    assert only_spe(q=1, v=1 - q_star - EPS)[0]["Russia"] == "comply"


def test_rho_thresholds_in_closed_form():
    """S9 and the relapse formula: how the equilibrium outcome moves with rho.

    (1) Ukraine, when Russia complies, signs iff V_U >= W_U, i.e. (DESIGN.md section 5)
    1 - x >= (1 - delta)*W_U + delta*rho*(W_U - W'_U), so rho <= rho_U* = (p + c_U - x)*(1 - delta)/(delta*dp_after)
    = 2/9 at baseline. (2) Russia complies iff q*g_H*(1 - delta + delta*rho) >= (1 - delta)*(1 - rho)*tau,
    i.e. rho >= rho_R* = (1 - delta)*(tau - q*g_H)/(delta*q*g_H + (1 - delta)*tau) = 1/16 at q = 1/2: a
    higher Minsk-style risk makes open re-attack less attractive, since unravelling delivers the same war
    with no guarantor answering. So with a half-credible guarantor the settlement holds only for rho in
    (1/16, 2/9). (3) At baseline (q = 0) the outcome does not depend on rho at all.
    """
    w_u = (1 - p - c_U) / (1 - delta)
    w_after = (1 - p - dp_after - c_U) / (1 - delta)
    assert sp.simplify(signing_threshold(w_u, w_after, RHO_U_STAR, delta) - (1 - x)) == 0
    comply_u = payoff("Ukraine", "comply", "sign the settlement", "acquiesce")
    fight_u = payoff("Ukraine", "comply", "fight on", "acquiesce")
    assert sp.simplify(comply_u.subs(rho, RHO_U_STAR) - fight_u) == 0
    rho_u = frac(at(RHO_U_STAR))
    assert rho_u == Fraction(2, 9)
    assert outcome(q=1, rho=rho_u - EPS) == "settlement holds"
    assert outcome(q=1, rho=rho_u + EPS) == "war continues"

    g_h = g_T + pi_US * g_A
    rho_r = (1 - delta) * (TAU - q * g_h) / (delta * q * g_h + (1 - delta) * TAU)
    assert sp.simplify(Q_STAR.subs(rho, rho_r) - q) == 0
    rho_r_half = frac(at(rho_r, q="0.5"))
    assert rho_r_half == Fraction(1, 16)
    assert outcome(q="0.5", rho=rho_r_half - EPS) == "war continues"
    assert outcome(q="0.5", rho=rho_r_half + EPS) == "settlement holds"
    assert outcome(q="0.5", rho=rho_u - EPS) == "settlement holds"
    assert outcome(q="0.5", rho=rho_u + EPS) == "war continues"
    for r in ("0.01", "0.05", "0.129", "0.2", "0.3", "0.5"):
        assert outcome(rho=r) == "war continues"


def test_kappa_threshold_decides_the_baseline():
    """Finding: the baseline outcome turns on the unsourced post-settlement shift dp_after.

    With no credible guarantee Russia re-attacks iff its post-settlement war beats the settlement,
    p + dp_after - c_R > x (rho cancels), i.e. dp_after > dp_after* = x + c_R - p = 1/20 at baseline; below it Russia
    complies without any guarantee and Ukraine signs (rho = 0.129 < rho_U*).
    """
    kappa_star = frac(at(x + c_R - p))
    assert kappa_star == Fraction(1, 20)
    assert outcome(dp_after=kappa_star - EPS) == "settlement holds"
    assert outcome(dp_after=kappa_star + EPS) == "war continues"


def test_signed_then_re_attacked_needs_an_interval_of_kappa_empty_at_the_defaults():
    """Finding 1: Ukraine signs although Russia will re-attack (unanswered) iff
    1 - x + delta*(1 - p - dp_after - c_U)/(1 - delta) >= (1 - p - c_U)/(1 - delta), i.e.
    dp_after <= (p + c_U - x)*(1 - delta)/delta; Russia re-attacks iff dp_after > x + c_R - p. At the defaults the
    interval (1/20, 1/45] is empty; with softer terms (x = 0.5) it is not, and the settlement is signed and
    then re-attacked on the equilibrium path.
    """
    upper = (p + c_U - x) * (1 - delta) / delta
    sign_u = payoff("Ukraine", "re-attack", "sign the settlement", "acquiesce").subs({q: 0, v: 0})
    fight_u = payoff("Ukraine", "re-attack", "fight on", "acquiesce")
    assert sp.simplify(sign_u.subs(dp_after, upper) - fight_u.subs(dp_after, upper)) == 0
    assert frac(at(upper)) == Fraction(1, 45) < frac(at(x + c_R - p))
    chosen, eq = only_spe(x="0.5", dp_after="0.02")
    assert chosen == {"Russia": "re-attack", "Ukraine": "sign the settlement", "Europe": "acquiesce"}
    assert eq.outcome == "re-attack unanswered"


@pytest.mark.claim("guarantees", "S12")
@pytest.mark.parametrize("scenario", SCENARIOS)
def test_S12_no_winners(scenario):
    """S12. Stanovaya (2025): "Tactically, the parties may win but, strategically, there can be no winners."

    In every SPE of every scenario: (1) the two sides together get less than the pre-war total
    1/(1 - delta) (war and relapse destroy value whatever the pre-war split); (2) neither side gets more
    than its settlement terms would be worth if they held (x/(1 - delta), (1 - x)/(1 - delta)): the
    tactical gain is not realised; (3) Ukraine ends below its pre-war value (1 - x0)/(1 - delta) for every
    pre-war Russian share x0 <= x (Russia holds no less today than before the war). Russia's side is a
    finding: it ends below its pre-war value iff x0 > (1 - delta)*V_R = p - c_R, a number nobody gives.
    """
    vals = MODEL.values(scenario)
    d = vals["delta"]
    for eq in spe(scenario):
        v_r, v_u, _ = eq.payoffs
        assert v_r + v_u < 1 / (1 - d)
        assert v_r <= vals["x"] / (1 - d) and v_u <= (1 - vals["x"]) / (1 - d)
        assert (1 - d) * v_r == vals["p"] - vals["c_R"]   # the finding's threshold for x0


