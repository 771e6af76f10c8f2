"""Claims of DESIGN.md section 3 encoded by the ``nato`` model (Ukraine not joining NATO), as tests.

Each test states its claim (id and quote) and checks what the model's equilibria say about it. The
thresholds are derived by hand in closed form, checked against sympy on the model's own symbolic payoffs,
and then checked against the solver just below and just above the threshold, in both forms.
"""

from __future__ import annotations

from fractions import Fraction as F

import pytest
import sympy as sp

import gametheory_ukraine as gtu
from gametheory_ukraine.analysis.relapse import expected_duration, settlement_value
from gametheory_ukraine.games.reduce import to_normal_form
from gametheory_ukraine.games.tree import Terminal

M = gtu.load_model("nato")
SCENARIOS = ["baseline-2025", "istanbul-2", "reassurance-force", "managed-freeze"]
S = {name: sp.Symbol(name) for name in M.parameters}
delta, rho, p, c_R, c_U, x = (S[n] for n in ("delta", "rho", "p", "c_R", "c_U", "x"))
pi_US, m, tau, a, k, f = (S[n] for n in ("pi_US", "m", "tau", "a", "k", "f"))
W_R = (p - c_R) / (1 - delta)                  # Fearon war values, present value in years of the stake
W_U = (1 - p - c_U) / (1 - delta)
D = 1 - delta * (1 - rho)                      # denominator of the relapse formula


def terminal(name: str) -> tuple:
    """Symbolic payoffs (Russia, Ukraine) of a terminal of the sequential form."""
    return next(n.payoffs for n in M.symbolic("sequential").nodes() if isinstance(n, Terminal) and n.name == name)


def at(expr, **over):
    """Exact value of a sympy expression at the baseline with overrides."""
    vals = M.values("baseline-2025", over)
    return sp.nsimplify(sp.sympify(expr).subs({S[n]: sp.Rational(v.numerator, v.denominator)
                                              for n, v in vals.items()}))


def spe_outcomes(scenario: str = "baseline-2025", **over) -> set[str]:
    return {eq.outcome for eq in M.solve("sequential", scenario, **over)}


def nash_pure_outcomes(scenario: str = "baseline-2025", **over) -> set[str]:
    return {eq.outcome for eq in M.solve("normal", scenario, **over) if len(eq.outcome_distribution) == 1}


def plan(eq, player: int, infoset: str) -> str:
    """The pure action an equilibrium plays at *infoset* (tree equilibria)."""
    infosets = M.symbolic("sequential").infosets()
    probs = eq.strategies[player][infoset]
    (action,) = [act for act, q in zip(infosets[infoset].actions, probs) if q == 1]
    return action


def frac(expr) -> F:
    r = sp.Rational(sp.nsimplify(expr))
    return F(int(r.p), int(r.q))


# ----------------------------------------------------------------------------- structure of the model
def test_stated_normal_form_is_the_strategic_form_of_the_tree():
    """Both forms are the same strategic situation: the stated 4 x 4 normal form equals the reduced normal
    form of the tree, payoff by payoff (symbolically) and outcome label by outcome label."""
    stated = M.symbolic("normal")
    tree_nf = to_normal_form(M.symbolic("sequential"))
    # stated Russia plan -> (answer to a pledge, answer to the NATO path) as labelled in the tree
    russia = {"settle only on a neutrality pledge": "moscow_after_pledge:settle, moscow_after_path:fight on",
              "settle either way": "moscow_after_pledge:settle, moscow_after_path:settle",
              "fight on either way": "moscow_after_pledge:fight on, moscow_after_path:fight on",
              "settle only if Kyiv keeps its NATO path": "moscow_after_pledge:fight on, moscow_after_path:settle"}
    ukraine = {"neutrality pledge, kept": "kyiv:neutrality pledge, kyiv_pledge_test:keep the pledge",
               "neutrality pledge, renege if the US backs accession":
                   "kyiv:neutrality pledge, kyiv_pledge_test:renege if the US backs accession",
               "keep NATO path, never seek accession": "kyiv:keep NATO path, kyiv_path_test:never seek accession",
               "keep NATO path, seek accession if the US backs it":
                   "kyiv:keep NATO path, kyiv_path_test:seek accession if the US backs it"}
    for r, r_label in enumerate(stated.actions[0]):
        for u, u_label in enumerate(stated.actions[1]):
            tr = tree_nf.actions[0].index(russia[r_label])
            tu = tree_nf.actions[1].index(ukraine[u_label])
            assert stated.outcome((r, u)) == tree_nf.outcome((tr, tu)), (r_label, u_label)
            for i in range(2):
                assert sp.simplify(stated.payoffs[i][r, u] - tree_nf.payoffs[i][tr, tu]) == 0, (r_label, u_label, i)


def test_every_settlement_is_valued_with_the_relapse_formula():
    """Relapse built in: a kept settlement is V = (s + delta*rho*W)/(1 - delta*(1 - rho)); a settlement that
    Kyiv would break in the year Washington backs accession is the same formula with the endogenous hazard
    rho_eff = rho + (1 - rho)*pi_US and the war after it worth W + m - a (Ukraine) or W - tau (Russia)."""
    rho_eff = rho + (1 - rho) * pi_US
    for name, extra_u in [("neutral_settlement", -k), ("compromise", 0)]:
        r_pay, u_pay = terminal(name)
        assert sp.simplify(r_pay - (settlement_value(x, W_R, rho, delta) - f * tau)) == 0
        assert sp.simplify(u_pay - (settlement_value(1 - x, W_U, rho, delta) + extra_u)) == 0
    for name, cost, extra_u in [("pledge_broken", a, -k), ("freeze", 0, 0)]:
        r_pay, u_pay = terminal(name)
        w_r = (rho * W_R + (1 - rho) * pi_US * (W_R - tau)) / rho_eff
        w_u = (rho * W_U + (1 - rho) * pi_US * (W_U + m - cost)) / rho_eff
        assert sp.simplify(r_pay - (settlement_value(x, w_r, rho_eff, delta) - f * tau)) == 0
        assert sp.simplify(u_pay - (settlement_value(1 - x, w_u, rho_eff, delta) + extra_u)) == 0


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_subgame_perfect_equilibrium_is_unique_in_every_scenario(scenario):
    """Defaults were chosen so that no backward-induction step ties: one SPE per scenario."""
    res = M.solve("sequential", scenario)
    assert len(res) == 1 and res[0].regret == 0 and res.complete


def test_baseline_and_scenario_outcomes():
    """The headline results, in both forms: war at baseline, under Istanbul-2 terms and with a reassurance
    force; Moscow's managed freeze when Washington walks away."""
    expected = {"baseline-2025": "war continues", "istanbul-2": "war continues",
                "reassurance-force": "war continues", "managed-freeze": "managed freeze"}
    for scenario, outcome in expected.items():
        assert spe_outcomes(scenario) == {outcome}
        assert outcome in nash_pure_outcomes(scenario)
    eq = M.solve("sequential", "baseline-2025")[0]
    assert eq.payoffs == (F(5), F(5, 2))          # W_R = 0.5/0.1, W_U = 0.25/0.1


# ------------------------------------------------------------------------------------------ claims
@pytest.mark.claim("nato", "W1")
def test_W1_russia_demands_neutrality_but_the_pledge_is_not_credible_at_baseline():
    """W1 (Wallace 2025): "Russia continues to demand that Ukraine relinquish control over Donbas, renounce
    ambitions to join NATO, and prevent Western troops from being deployed to its territory."

    The model expresses the demand as Moscow's conditional plan "settle only on a neutrality pledge", which
    is its subgame-perfect plan whenever the pledge is credible (a >= a*). At the baseline a = 0.5 < a* =
    2.31: Kyiv would renege in the year Washington backs accession, so Moscow fights on after the pledge
    too, and the bargaining range over NATO is empty (W1: "possibly empty bargaining range at baseline")."""
    (eq,) = M.solve("sequential", "baseline-2025")
    assert plan(eq, 1, "kyiv_pledge_test") == "renege if the US backs accession"
    assert plan(eq, 0, "moscow_after_pledge") == "fight on"
    assert plan(eq, 0, "moscow_after_path") == "fight on"
    assert eq.outcome == "war continues"
    # with a pledge that would be kept, the demand is exactly Moscow's plan, and it is met
    (eq,) = M.solve("sequential", "baseline-2025", a=5)
    assert plan(eq, 1, "kyiv_pledge_test") == "keep the pledge"
    assert (plan(eq, 0, "moscow_after_pledge"), plan(eq, 0, "moscow_after_path")) == ("settle", "fight on")
    assert plan(eq, 1, "kyiv") == "neutrality pledge"
    assert eq.outcome == "settlement on Russian terms"
    # in the normal form the same plan appears by its name
    nash = M.solve("normal", "baseline-2025", a=5)
    demand = M.symbolic("normal").actions[0].index("settle only on a neutrality pledge")
    assert any(eq.strategies[0][demand] == 1 and eq.outcome == "settlement on Russian terms" for eq in nash)


@pytest.mark.claim("nato", "W1")
def test_W1_a_Nash_threat_that_is_not_subgame_perfect():
    """W1's demand as a threat: in the managed-freeze scenario the normal form has a Nash equilibrium in which
    Moscow's plan "settle only on a neutrality pledge" makes Kyiv pledge (and later renege), but the threat
    to fight on against the NATO path is not credible, so the only SPE is the managed freeze (the chain-store
    logic, Selten 1978)."""
    nash = M.solve("normal", "managed-freeze")
    assert {"settlement, then relapse", "managed freeze"} <= {eq.outcome for eq in nash}
    assert spe_outcomes("managed-freeze") == {"managed freeze"}


@pytest.mark.claim("nato", "S6")
def test_S6_russias_penalty_for_nato_in_ukraine():
    """S6 (Stanovaya 2025): "the Russian Foreign Ministry said again that there can be no NATO troops on
    Ukrainian territory without Russia's participation."

    (a) Moscow settles with a Kyiv that would seek accession iff x - (p - c_R) >= delta*(1 - rho)*pi_US*tau,
    i.e. iff tau <= tau* = (x - p + c_R)/(delta*(1 - rho)*pi_US) (= 2.5513 at baseline < tau = 5).
    (b) A NATO-country force charged f*tau blocks even a credible neutrality deal iff
    f*tau > (x - p + c_R)/(1 - delta*(1 - rho)): with the reassurance force Moscow fights on a pledge that
    would be kept, where without it Moscow settles."""
    freeze_r, _ = terminal("freeze")
    war_r, _ = terminal("war_after_path")
    (tau_star,) = sp.solve(sp.Eq(freeze_r.subs(f, 0), war_r), tau)
    assert sp.simplify(tau_star - (x - p + c_R) / (delta * (1 - rho) * pi_US)) == 0
    t = frac(at(tau_star))
    assert t == F(20000, 7839)                  # 0.1/(0.9*0.871*0.05) = 2.5513
    assert spe_outcomes(tau=t - F(1, 100)) == {"managed freeze"}
    assert spe_outcomes(tau=t + F(1, 100)) == {"war continues"}
    assert "managed freeze" in nash_pure_outcomes(tau=t - F(1, 100))
    assert "managed freeze" not in nash_pure_outcomes(tau=t + F(1, 100))
    # (b) the force: the closed form, then the solver
    neutral_r, _ = terminal("neutral_settlement")
    (f_star,) = sp.solve(sp.Eq(neutral_r, war_r), f)
    assert sp.simplify(f_star - (x - p + c_R) / (D * tau)) == 0
    f_rf = frac(at(f_star, rho="0.093"))
    assert f_rf < F(1, 4)                       # the scenario's f = 0.25 lies above the threshold
    assert spe_outcomes("baseline-2025", a=5) == {"settlement on Russian terms"}
    assert spe_outcomes("reassurance-force", a=5) == {"war continues"}
    assert spe_outcomes("reassurance-force", a=5, f=f_rf - F(1, 100)) == {"settlement on Russian terms"}
    assert spe_outcomes("reassurance-force", a=5, f=f_rf + F(1, 100)) == {"war continues"}


@pytest.mark.claim("nato", "W5")
def test_S5_W5_a_fickle_us_makes_moscow_fight_unless_it_walks_away():
    """S5 (Stanovaya 2025): "Air support is likely, though Trump and his team have not specified what exactly
    that support would mean in practice." W5 (Wallace 2025): "Trump’s equivocal position makes Washington a
    fickle guarantor of any deal." and Moscow pushes "a ‘managed freeze’ that cements the status quo".

    pi_US, the yearly chance that Washington backs accession, decides whether Moscow accepts a settlement
    that leaves the NATO path open: iff pi_US <= pi* = (x - p + c_R)/(delta*(1 - rho)*tau) (= 0.0255 at
    baseline). The baseline pi_US = 0.05 lies above (war); the managed-freeze scenario's 0.02 below."""
    freeze_r, _ = terminal("freeze")
    war_r, _ = terminal("war_after_path")
    (pi_star,) = sp.solve(sp.Eq(freeze_r.subs(f, 0), war_r), pi_US)
    assert sp.simplify(pi_star - (x - p + c_R) / (delta * (1 - rho) * tau)) == 0
    ps = frac(at(pi_star))
    assert F(2, 100) < ps < F(5, 100)
    assert spe_outcomes(pi_US=ps - F(1, 1000)) == {"managed freeze"}
    assert spe_outcomes(pi_US=ps + F(1, 1000)) == {"war continues"}
    assert "managed freeze" in nash_pure_outcomes(pi_US=ps - F(1, 1000))
    assert "managed freeze" not in nash_pure_outcomes(pi_US=ps + F(1, 1000))
    assert spe_outcomes("managed-freeze") == {"managed freeze"}


@pytest.mark.claim("nato", "S9")
def test_S9_relapse_settlements_are_prologues_and_relapse_risk_erodes_the_pledge():
    """S9 (Stanovaya 2025): "But it will most likely be doomed to repeat the fate of previous accords between
    Moscow and Kyiv, like the Minsk agreements: rather than settling the conflict once and for all, it may
    serve as a prologue to another war sometime down the road."

    (a) The only settlement reached in any scenario (the managed freeze) collapses at the yearly rate
    rho + (1 - rho)*pi_US, above the exogenous rho: Kyiv's plan to seek accession is an endogenous relapse.
    (b) The credibility threshold a* = m - (p + c_U - x)/(1 - delta*(1 - rho)) rises with rho: the more
    Minsk-like the settlement, the less a neutrality pledge is worth keeping."""
    (eq,) = M.solve("sequential", "managed-freeze")
    assert eq.outcome == "managed freeze"
    vals = M.values("managed-freeze")
    rho_eff = vals["rho"] + (1 - vals["rho"]) * vals["pi_US"]
    assert rho_eff > vals["rho"]
    assert expected_duration(rho_eff) < expected_duration(vals["rho"])
    assert round(float(expected_duration(rho_eff)), 2) == 6.83
    neutral_u, broken_u = terminal("neutral_settlement")[1], terminal("pledge_broken")[1]
    (a_star,) = sp.solve(sp.Eq(neutral_u, broken_u), a)
    assert sp.simplify(a_star - (m - (p + c_U - x) / D)) == 0
    assert sp.simplify(sp.diff(a_star, rho) - delta * (p + c_U - x) / D**2) == 0   # > 0 when p + c_U > x


@pytest.mark.claim("nato", "S12")
def test_S12_no_side_ends_above_its_pre_war_value():
    """S12 (Stanovaya 2025): "Tactically, the parties may win but, strategically, there can be no winners."

    Pre-war values: q0/(1 - delta) for Russia and (1 - q0)/(1 - delta) for Ukraine (peace at the 2014-2022
    split, no war costs). Every equilibrium, both forms, at the baseline and in every scenario, leaves both
    sides strictly below them. For the baseline outcome (war) this holds iff p - c_R < q0 < p + c_U, i.e.
    iff the pre-war split lay in Fearon's bargaining range (0.50, 0.75); q0 has no number in the analysis
    (default 0.6 = p), so the claim is reproduced under that stated assumption."""
    for scenario in SCENARIOS:
        vals = M.values(scenario)
        pre_r = vals["q0"] / (1 - vals["delta"])
        pre_u = (1 - vals["q0"]) / (1 - vals["delta"])
        for form in ("normal", "sequential"):
            for eq in M.solve(form, scenario):
                assert eq.payoffs[0] < pre_r and eq.payoffs[1] < pre_u, (scenario, form, eq.outcome)
    # the boundary, by hand: at the baseline the war gives Russia 5 and Ukraine 2.5
    (eq,) = M.solve("sequential", "baseline-2025")
    lo, hi = F(1, 2), F(3, 4)                   # p - c_R and p + c_U
    assert eq.payoffs == (lo / F(1, 10), (1 - hi) / F(1, 10))
    for q0, holds in [(lo, False), (lo + F(1, 100), True), (hi - F(1, 100), True), (hi, False)]:
        vals = M.values("baseline-2025", q0=q0)
        below = (eq.payoffs[0] < vals["q0"] / (1 - vals["delta"])
                 and eq.payoffs[1] < (1 - vals["q0"]) / (1 - vals["delta"]))
        assert below is holds, q0


# ------------------------------------------------------------------- thresholds in rho and in a
def test_rho_threshold_for_a_credible_pledge():
    """How the outcome changes with rho. The pledge is credible iff rho <= rho_c =
    ((p + c_U - x)/(m - a) - (1 - delta))/delta (for m > a). At the baseline a = 0.5, rho_c < 0: no relapse
    risk makes the pledge credible, and the war continues for every rho in [0.01, 0.5]. With a = 2,
    rho_c = (0.15 - 0.1)/0.9 = 1/18: below it a settlement on Russian terms, above it war; at rho_c itself
    Kyiv is indifferent and the solver reports both."""
    neutral_u, broken_u = terminal("neutral_settlement")[1], terminal("pledge_broken")[1]
    sols = [r for r in sp.solve(sp.Eq(neutral_u, broken_u), rho) if r != 1]   # rho = 1: no settlement years
    hand = ((p + c_U - x) / (m - a) - (1 - delta)) / delta
    assert len(sols) == 1 and sp.simplify(sols[0] - hand) == 0
    assert at(hand) < 0                                        # baseline: never credible
    for r in ("0.01", "0.05", "0.129", "0.2", "0.3", "0.5"):
        assert spe_outcomes(rho=r) == {"war continues"}
        assert nash_pure_outcomes(rho=r) == {"war continues"}
    rc = frac(at(hand, a=2))
    assert rc == F(1, 18)
    eps = F(1, 1000)
    assert spe_outcomes(a=2, rho=rc - eps) == {"settlement on Russian terms"}
    assert spe_outcomes(a=2, rho=rc + eps) == {"war continues"}
    assert spe_outcomes(a=2, rho=rc) == {"settlement on Russian terms", "war continues"}
    assert "settlement on Russian terms" in nash_pure_outcomes(a=2, rho=rc - eps)
    assert "settlement on Russian terms" not in nash_pure_outcomes(a=2, rho=rc + eps)


def test_audience_cost_threshold_at_baseline_rho():
    """The audience cost that makes the pledge credible at the baseline rho = 0.129:
    a* = m - (p + c_U - x)/(1 - delta*(1 - rho)) = 3 - 0.15/0.2161 = 2.3059. Below it war, above it a
    settlement on Russian terms, in both forms."""
    a_star = frac(at(m - (p + c_U - x) / D))
    assert a_star == 3 - F(15, 100) / F(2161, 10000)
    eps = F(1, 100)
    assert spe_outcomes(a=a_star - eps) == {"war continues"}
    assert spe_outcomes(a=a_star + eps) == {"settlement on Russian terms"}
    assert "settlement on Russian terms" not in nash_pure_outcomes(a=a_star - eps)
    assert "settlement on Russian terms" in nash_pure_outcomes(a=a_star + eps)


def test_rho_threshold_for_moscow_to_accept_an_open_nato_path():
    """The other effect of rho, which points the opposite way: Moscow accepts a settlement with a Kyiv that
    would seek accession iff rho >= rho_s = 1 - (x - p + c_R)/(delta*pi_US*tau). A relapse back into the same
    war costs Moscow nothing compared with fighting now, and it cuts short the years in which Washington
    might back accession. At the baseline rho_s = 5/9 > 0.5 (war throughout the range); with pi_US = 0.03,
    rho_s = 7/27: war below, managed freeze above."""
    freeze_r, war_r = terminal("freeze")[0], terminal("war_after_path")[0]
    (rs,) = sp.solve(sp.Eq(freeze_r.subs(f, 0), war_r), rho)
    hand = 1 - (x - p + c_R) / (delta * pi_US * tau)
    assert sp.simplify(rs - hand) == 0
    assert frac(at(hand)) == F(5, 9)
    r_s = frac(at(hand, pi_US="0.03"))
    assert r_s == F(7, 27)
    eps = F(1, 100)
    assert spe_outcomes(pi_US="0.03", rho=r_s - eps) == {"war continues"}
    assert spe_outcomes(pi_US="0.03", rho=r_s + eps) == {"managed freeze"}
    assert "managed freeze" not in nash_pure_outcomes(pi_US="0.03", rho=r_s - eps)
    assert "managed freeze" in nash_pure_outcomes(pi_US="0.03", rho=r_s + eps)


