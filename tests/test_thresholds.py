"""Thresholds: critical parameter values where the equilibria change (gametheory_ukraine.analysis.thresholds).

Independent sources for the numbers:

- the closed forms derived by hand from the models' payoffs (rho* = 1/27 for ceding Donbas; for nato at
  x_D = 0.55, pi_accession = 0.2, k = 0, a = 2 the pledge's rho_c = 4/27, Moscow's rho_s = 67/243 and Kyiv's
  8/27, and pi_U* = 2483/29034, pi_R* = 7483/58068 at the baseline; for the guarantees at q = 1/2,
  dp_erosion = 0.05, x_F = 0.54 rho_R* = 1/11 and rho_U* = 7/15, and q* = 871/2161 at rho = 0.129), written
  out again here as sympy expressions and compared symbolically (each also checked by an independent
  backward induction on the payoffs retyped from the model files, outside the package);
- brute force: solving with :meth:`Model.solve` just below and just above each threshold, and counting the
  changes of the equilibrium signature on a fine grid;
- small hand-made games whose thresholds are known on paper (a mixed-strategy indifference at a = 3/2, a
  threshold at log 2, a quintic root checked against numpy.roots; in trees, a change of which indifferent reply
  goes with an outside option at t* = 1/3, and an outside option crossing the value of a mixed matching-pennies
  subgame at sqrt(3) - 1 and of a mixed rock-paper-scissors subgame at 3/4, each derived with sympy in the test).
"""

from __future__ import annotations

import json
import random
import re
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp

import gametheory_ukraine as gtu
from gametheory_ukraine.analysis import threshold_candidates
from gametheory_ukraine.analysis.thresholds import (
    CLOSED_FORM,
    EXACT_ROOT,
    NUMERIC,
    PointSolver,
    Threshold,
    ThresholdResult,
    thresholds,
)
from gametheory_ukraine.cli import main
from gametheory_ukraine.core.errors import ParameterError
from gametheory_ukraine.solvers.signature import equilibrium_signature, outcome_set

TERRITORY = gtu.load_model("territory")
NATO = gtu.load_model("nato")
GUARANTEES = gtu.load_model("guarantees")


def S(*names):
    out = tuple(sp.Symbol(n) for n in names)
    return out if len(out) > 1 else out[0]


def same(expr, hand) -> bool:
    return sp.simplify(sp.sympify(expr) - hand) == 0


# ------------------------------------------------------------------------------ results shared by the tests
@pytest.fixture(scope="module")
def territory_rho():
    return thresholds(TERRITORY, "rho", form="sequential", scenario="baseline-2025", grid=101)


@pytest.fixture(scope="module")
def territory_freeze():
    return thresholds(TERRITORY, "rho", form="sequential", scenario="managed-freeze", grid=101)


# nato where all three decisions move with rho inside its range: Moscow refuses the open path at low rho and
# the pledge is credible there (rho <= rho_c); x_D at the bottom of its range, the US hazard at its top
NATO_POINT = {"x_D": "0.55", "pi_accession": "0.2", "k": "0", "a": "2"}
# guarantees where the force can hold: the line just below Russia's relapse-war value (x_F = 0.54 <
# p + dp_erosion - c_R = 0.55, so Russia re-attacks a bare deal) and Western erosion at the top of its range
GUARANTEES_POINT = {"q": "1/2", "dp_erosion": "0.05", "x_F": "0.54"}


@pytest.fixture(scope="module")
def nato_rho():
    return thresholds(NATO, "rho", form="sequential", scenario="baseline-2025", values=NATO_POINT, grid=101)


@pytest.fixture(scope="module")
def guarantees_rho():
    return thresholds(GUARANTEES, "rho", form="sequential", scenario="baseline-2025", values=GUARANTEES_POINT,
                      grid=101)


@pytest.fixture(scope="module")
def territory_normal():
    return thresholds(TERRITORY, "rho", form="normal", scenario="baseline-2025", grid=51)


# ------------------------------------------------------------------------------------------ territory
def test_territory_rho_star_is_one_27th_in_closed_form(territory_rho):
    """models/README.md (territory): Ukraine cedes all of Donbas iff
    rho <= (1 - delta)(p + c_U - x_D)/(delta (1 + kappa)(dp_belt + dp_erosion)) = 1/27."""
    delta, p, c_U, x_D, kappa, dp_belt, dp_erosion = S("delta", "p", "c_U", "x_D", "kappa", "dp_belt",
                                                       "dp_erosion")
    hand = (1 - delta) * (p + c_U - x_D) / (delta * (1 + kappa) * (dp_belt + dp_erosion))
    (t,) = territory_rho.thresholds
    assert t.method == CLOSED_FORM and t.param == "rho"
    assert t.exact == Fraction(1, 27) and t.value == pytest.approx(1 / 27, abs=1e-15)
    assert same(t.expression, hand)
    assert S("rho") not in t.expression.free_symbols
    assert t.before == ("settlement on Russian terms",) and t.after == ("war continues",)
    assert t.change == "settlement on Russian terms -> war continues"
    assert territory_rho.over == (0.01, 0.5) and territory_rho.form == "sequential"
    assert territory_rho.parameters["kappa"] == Fraction(1, 2) and "rho" not in territory_rho.parameters


def test_territory_managed_freeze_one_threshold(territory_freeze):
    """models/territory.yaml (managed freeze): Ukraine cedes Donbas iff rho <= 2/81; above it the war continues
    at every rho, since Russia would break a swap or a freeze (its yearly war value at eroded odds, 0.55, exceeds
    x_S = 0.46 and x_F = 0.4) and Ukraine, foreseeing it, rejects them: no second threshold (the old model's
    swap threshold 8/99 came from a swap Russia could not break)."""
    delta, p, c_U, x_D, kappa, dp_belt, dp_erosion = S("delta", "p", "c_U", "x_D", "kappa", "dp_belt", "dp_erosion")
    donbas = (1 - delta) * (p + c_U - x_D) / (delta * (1 + kappa) * (dp_belt + dp_erosion))
    (first,) = territory_freeze.thresholds
    assert first.exact == Fraction(2, 81)
    assert same(first.expression, donbas)
    assert first.change == "settlement on Russian terms -> war continues"


# ----------------------------------------------------------------------------------------------- nato
def test_nato_moscow_accepts_the_open_path_above_rho_s(nato_rho):
    """Moscow accepts an open NATO path iff rho >= rho_s. The model no longer has this threshold at the
    baseline (Moscow accepts the open path at every rho there), so it is taken at x_D = 0.55, pi_accession =
    0.2, k = 0, a = 2. By hand from open_R >= W_R with Dp = dp_belt + dp_erosion, D = Dp/(1 - delta) and
    h_D = rho*(1 + kappa) (no force, f = 0): x_D - p + c_R + delta*D >= delta*(1 - h_D)*((1 - pi)*D + pi*tau),
    so rho_s = (1 - (x_D - p + c_R + delta*D)/(delta*((1 - pi)*D + pi*tau)))/(1 + kappa) = 67/243.
    Around it: the pledge stops being credible at rho_c = 4/27 (a settlement on Russian terms before it) and
    Kyiv rejects the open path above rho_U = (1 - (x_D - p - c_U + delta*D)/(delta*((1 - pi)*D + pi*m)))/(1 +
    kappa) = 8/27 (from open_U >= W_U)."""
    delta, p, c_R, c_U, x_D, pi, tau, m, f, kappa, db, de = S(
        "delta", "p", "c_R", "c_U", "x_D", "pi_accession", "tau", "m", "f", "kappa", "dp_belt", "dp_erosion")
    big_d = (db + de) / (1 - delta)
    rho_s = (1 - (x_D - p + c_R + delta * big_d) / (delta * ((1 - pi) * big_d + pi * tau))) / (1 + kappa)
    rho_u = (1 - (x_D - p - c_U + delta * big_d) / (delta * ((1 - pi) * big_d + pi * m))) / (1 + kappa)
    credible, moscow, kyiv = nato_rho.thresholds
    assert [t.exact for t in nato_rho.thresholds] == [Fraction(4, 27), Fraction(67, 243), Fraction(8, 27)]
    assert moscow.method == CLOSED_FORM and kyiv.method == CLOSED_FORM
    assert same(moscow.expression.subs(f, 0), rho_s) and same(kyiv.expression, rho_u)
    assert credible.change == "settlement on Russian terms -> war continues"
    assert moscow.change == "war continues -> settlement, NATO path open"
    assert kyiv.change == "settlement, NATO path open -> war continues"


def test_nato_audience_cost_threshold_and_credible_pledge():
    """models/nato.yaml, findings (3): the pledge is credible iff a >= a* = m - G/(1 - delta*(1 - h_D)) with
    G = p + dp_belt + dp_erosion + c_U - x_D and h_D = rho*(1 + kappa). Where Moscow refuses the open
    path and Kyiv prefers a kept pledge to war (x_D = 0.55, pi_accession = 0.2, k = 0), a* = 3 - 0.3/0.27415
    = 10449/5483 decides between war and a settlement on Russian terms; with a = 2 < m the direction in
    rho is "credible iff rho <= rho_c", rho_c = (G/(m - a) - (1 - delta))/(delta*(1 + kappa)) = 4/27."""
    delta, rho, p, c_U, x_D, m, a, kappa, db, de = S("delta", "rho", "p", "c_U", "x_D", "m", "a", "kappa",
                                                     "dp_belt", "dp_erosion")
    point = {"x_D": Fraction(55, 100), "pi_accession": Fraction(1, 5), "k": 0}
    g = p + db + de + c_U - x_D
    res = gtu.thresholds(NATO, "a", form="sequential", scenario="baseline-2025", values=point, grid=101)
    (t,) = res.thresholds
    assert t.exact == 3 - Fraction(3, 10) / (1 - Fraction(9, 10) * (1 - Fraction(129, 1000) * Fraction(3, 2)))
    assert same(t.expression, m - g / (1 - delta * (1 - rho * (1 + kappa))))
    assert t.change == "war continues -> settlement on Russian terms"
    t = gtu.thresholds(NATO, "rho", form="sequential", values={**point, "a": 2}, grid=201).thresholds[0]
    assert t.exact == Fraction(4, 27)
    assert same(t.expression, (g / (m - a) - (1 - delta)) / (delta * (1 + kappa)))
    assert t.change == "settlement on Russian terms -> war continues"


def test_change_at_the_end_of_the_range_is_a_note_not_a_threshold():
    """nato over pi_accession in [0, 0.2]: at pi_accession = 0 exactly Kyiv is indifferent about seeking
    accession (exposed(...) = settle(...): a tie at the end point), a note, not a threshold. The thresholds
    inside, by hand from open_U >= W_U and open_R >= W_R (h_D = rho*(1 + kappa), D = (dp_belt +
    dp_erosion)/(1 - delta), f = 0): Kyiv accepts the open path iff pi >= pi_U* = (x_D - p - c_U +
    delta*h_D*D)/(delta*(1 - h_D)*(m - D)) = 2483/29034, Moscow iff pi <= pi_R* = (x_D - p + c_R +
    delta*h_D*D)/(delta*(1 - h_D)*(tau - D)) = 7483/58068 (the window of the W5 claim)."""
    delta, rho, p, c_R, c_U, x_D, tau, m, f, kappa, db, de = S(
        "delta", "rho", "p", "c_R", "c_U", "x_D", "tau", "m", "f", "kappa", "dp_belt", "dp_erosion")
    h_d, big_d = rho * (1 + kappa), (db + de) / (1 - delta)
    res = thresholds(NATO, "pi_accession", form="sequential", grid=61)
    kyiv, moscow = res.thresholds
    assert (kyiv.exact, moscow.exact) == (Fraction(2483, 29034), Fraction(7483, 58068))
    assert same(kyiv.expression, (x_D - p - c_U + delta * h_d * big_d) / (delta * (1 - h_d) * (m - big_d)))
    assert same(moscow.expression.subs(f, 0),
                (x_D - p + c_R + delta * h_d * big_d) / (delta * (1 - h_d) * (tau - big_d)))
    assert kyiv.change == "war continues -> settlement, NATO path open"
    assert moscow.change == "settlement, NATO path open -> war continues"
    assert any("end point pi_accession=0" in n for n in res.notes)


# ----------------------------------------------------------------------------------------- guarantees
def test_guarantees_settlement_window_one_11th_to_seven_15ths(guarantees_rho):
    """A settlement window in rho for the reassurance force. rho no longer moves the guarantees baseline
    (Moscow rejects the line x_F = 0.4 at every rho), so the window is taken at q = 1/2, dp_erosion = 0.05,
    x_F = 0.54. By hand, with Europe acquiescing (w_E = 1/2 < w_E*): Russia keeps the force's deal iff
    settle(s_F, rho, W2) >= s_F + delta*(W2 - q*g_H/(1 - delta)), i.e. rho >= rho_R* = (1-delta)(T_F - q g_H)/
    (delta q g_H + (1-delta) T_F) = 1/11 (T_F = p + dp_erosion - c_R - x_F + tau_F, g_H = g_T + pi_air g_A);
    Ukraine signs iff settle(1 - x_F, rho, W2_U) >= W_U, i.e. rho <= rho_U* = (1 - delta)(p + c_U - x_F)/(delta
    dp_erosion) = 7/15. Below rho_R* Kyiv signs a deal it foresees re-attacked (the lottery over the hard
    guarantor's answer)."""
    delta, p, c_R, c_U, x_F, de, g_T, g_A, pi, q, tau_F = S(
        "delta", "p", "c_R", "c_U", "x_F", "dp_erosion", "g_T", "g_A", "pi_air", "q", "tau_F")
    t_f = p + de - c_R - x_F + tau_F
    g_h = g_T + pi * g_A
    rho_r = (1 - delta) * (t_f - q * g_h) / (delta * q * g_h + (1 - delta) * t_f)
    rho_u = (p + c_U - x_F) * (1 - delta) / (delta * de)
    low, high = guarantees_rho.thresholds
    assert (low.exact, high.exact) == (Fraction(1, 11), Fraction(7, 15))
    assert same(low.expression, rho_r) and same(high.expression, rho_u)
    assert low.change == "lottery: re-attack answered, re-attack unanswered -> settlement holds: reassurance force"
    assert high.change == "settlement holds: reassurance force -> war continues"


def test_guarantees_zagare_kilgour_q_star():
    """Deterrence iff q >= q* = (1-delta)(1-rho) T_F/((1-delta+delta rho) g_H), T_F = p + dp_erosion - c_R - x_F
    + tau_F, g_H = g_T + pi_air g_A (from settle(s_F, rho, W2) >= s_F + delta*(W2 - q*g_H/(1 - delta))). At the
    baseline q* = 4355/4322 > 1: no threshold in [0, 1]. Where Moscow would accept the force (x_F = 0.54,
    dp_erosion = 0.05, rho = 0.129) q* = 871/2161, and above it the force's deal holds."""
    delta, rho, p, c_R, x_F, de, tau_F, g_T, g_A, pi = S(
        "delta", "rho", "p", "c_R", "x_F", "dp_erosion", "tau_F", "g_T", "g_A", "pi_air")
    t_f = p + de - c_R - x_F + tau_F
    q_star = (1 - delta) * (1 - rho) * t_f / ((1 - delta + delta * rho) * (g_T + pi * g_A))
    assert thresholds(GUARANTEES, "q", form="sequential", grid=41).thresholds == ()
    point = {k: v for k, v in GUARANTEES_POINT.items() if k != "q"}
    (t,) = thresholds(GUARANTEES, "q", form="sequential", values=point, grid=41).thresholds
    assert t.exact == Fraction(871, 2161)
    assert same(t.expression, q_star)
    assert t.change == "war continues -> settlement holds: reassurance force"


# ------------------------------------------------------------------------------- brute-force cross-checks
def _outcomes_at(model, form, scenario, values, x, param="rho"):
    return outcome_set(model.solve(form, scenario, **values, **{param: x}))


@pytest.mark.parametrize("case", ["territory_rho", "territory_freeze", "nato_rho", "guarantees_rho",
                                  "territory_normal"])
def test_before_and_after_match_the_solver_on_both_sides(case, request):
    """At every reported threshold, Model.solve (exact) 1e-6 below and above gives `before` and `after`, and at
    the exact threshold itself the solver reports a tie: the equilibria of both sides."""
    res: ThresholdResult = request.getfixturevalue(case)
    model = gtu.load_model(res.model)
    fixed = {k: v for k, v in res.parameters.items() if v != model.values(res.scenario)[k]}
    assert res.thresholds
    for t in res.thresholds:
        eps = Fraction(1, 10**6)
        assert _outcomes_at(model, res.form, res.scenario, fixed, t.exact - eps) == t.before
        assert _outcomes_at(model, res.form, res.scenario, fixed, t.exact + eps) == t.after
        tie = model.solve(res.form, res.scenario, **fixed, rho=t.exact)
        assert set(t.before) | set(t.after) <= set(outcome_set(tie))


@pytest.mark.parametrize("case, points", [("territory_rho", 2001), ("nato_rho", 2001), ("guarantees_rho", 2001),
                                          ("territory_normal", 201)])
def test_number_of_thresholds_equals_signature_changes_on_a_fine_grid(case, points, request):
    """Brute force: the equilibrium signature (analysis.signature) on a grid much finer than the scan changes
    exactly once per reported threshold, between the grid points around its value."""
    res: ThresholdResult = request.getfixturevalue(case)
    model = gtu.load_model(res.model)
    fixed = {k: v for k, v in res.parameters.items() if v != model.values(res.scenario)[k]}
    solver = PointSolver(model, res.form, res.scenario, fixed)
    grid = np.linspace(*res.over, points)
    sigs = [equilibrium_signature(solver({"rho": float(x)}, exact=False)) for x in grid]
    changes = [(grid[k], grid[k + 1]) for k in range(points - 1) if sigs[k] != sigs[k + 1]]
    assert len(changes) == len(res.thresholds)
    for (a, b), t in zip(changes, res.thresholds):
        assert a < t.value < b


def test_point_solver_equals_model_solve():
    """The compiled per-point path gives exactly Model.solve's equilibria (exact) and the same to 1e-9
    (float) at seeded random points of every framework model, both forms."""
    rng = random.Random(4)
    for model in (TERRITORY, NATO, GUARANTEES):
        for form in model.forms:                                # the guarantees state no normal form
            solver = PointSolver(model, form, None, {})
            for _ in range(2 if form == "normal" else 4):
                pt = {n: p.low + (p.high - p.low) * Fraction(rng.randint(0, 100), 100)
                      for n, p in model.parameters.items()}
                a, b = solver(pt, exact=True), model.solve(form, **pt)
                assert [(e.strategies, e.payoffs, e.outcome) for e in a] == \
                       [(e.strategies, e.payoffs, e.outcome) for e in b]
                fl = {n: float(v) for n, v in pt.items()}
                a, b = solver(fl, exact=False), model.solve(form, exact=False, **fl)
                assert equilibrium_signature(a) == equilibrium_signature(b)
                assert np.allclose([e.payoffs for e in a], [e.payoffs for e in b], atol=1e-9)


# -------------------------------------------------------------------------------------------- normal form
def test_normal_form_threshold_from_a_pure_deviation(territory_normal):
    """Normal form of territory: below 1/27 the pure Nash outcomes are {settlement on Russian terms, war
    continues}, above only war (models/README.md); the closed form is Ukraine's pure deviation 'cede all of
    Donbas' vs 'fight on' against 'demand Donbas, then settle', the same rho* as the tree's."""
    delta, p, c_U, x_D, kappa, dp_belt, dp_erosion = S("delta", "p", "c_U", "x_D", "kappa", "dp_belt",
                                                       "dp_erosion")
    (t,) = territory_normal.thresholds
    assert t.exact == Fraction(1, 27)
    assert same(t.expression, (1 - delta) * (p + c_U - x_D) / (delta * (1 + kappa) * (dp_belt + dp_erosion)))
    assert t.before == ("settlement on Russian terms", "war continues") and t.after == ("war continues",)
    assert t.change == "{settlement on Russian terms, war continues} -> war continues"


MIXED = """\
name: pennies-exit
title: Matching pennies with an outside option
players: [Row, Col]
parameters:
  a: {default: 1, low: 0, high: 2, description: Row's outside option, source: "hand-made for tests"}
  c: {default: 1, low: 1, high: 3, description: Col's payoff when Row exits and Col plays L,
      source: "hand-made for tests"}
forms:
  normal:
    actions:
      Row: [T, M, B]
      Col: [L, R]
    payoffs:
      - {play: {Row: T, Col: L}, payoffs: {Row: 3, Col: 0}, outcome: play}
      - {play: {Row: T, Col: R}, payoffs: {Row: 0, Col: 1}, outcome: play}
      - {play: {Row: M, Col: L}, payoffs: {Row: 0, Col: 1}, outcome: play}
      - {play: {Row: M, Col: R}, payoffs: {Row: 3, Col: 0}, outcome: play}
      - {play: {Row: B, Col: L}, payoffs: {Row: a, Col: c}, outcome: exit}
      - {play: {Row: B, Col: R}, payoffs: {Row: a, Col: 0}, outcome: exit}
"""


def test_mixed_strategy_indifference_gives_the_closed_form(write_model):
    """By hand: Col mixes 1/2-1/2 to keep Row indifferent between T and M (each then pays 3/2), so Row's exit
    (worth a) breaks that equilibrium at a = 3/2. Row's pure-deviation differences (3 - a, -a, +-3) vanish only
    at a = 0 and a = 3: the closed form comes from the opponent's symbolic mixed strategy."""
    model = gtu.load_model(write_model(MIXED))
    (t,) = thresholds(model, "a", grid=21).thresholds
    assert t.method == CLOSED_FORM and t.exact == Fraction(3, 2) and t.expression == sp.Rational(3, 2)
    assert t.before == ("play",) and t.after == ("lottery: exit, play",)


def test_lottery_probabilities_moving_with_a_parameter_are_not_thresholds(write_model):
    """With a = 1.6 Row mixes T and B with probabilities that move with c (2/3 at c = 2, 5/7 at c = 2.5, by
    hand: Col indifferent iff c x_B = x_T), but the supports never change: no threshold in c."""
    model = gtu.load_model(write_model(MIXED))
    assert [str(p) for p in model.solve(a="1.6", c=2)[0].strategies[0]] == ["2/3", "0", "1/3"]
    assert [str(p) for p in model.solve(a="1.6", c="2.5")[0].strategies[0]] == ["5/7", "0", "2/7"]
    res = thresholds(model, "c", values={"a": "1.6"}, grid=11)
    assert res.thresholds == ()


# ------------------------------------------------------------- trees: pairings and mixed subgame equilibria
REPLIES = """\
name: replies
title: An outside option and a follower indifferent among three replies
players: [Leader, Follower]
parameters:
  t: {default: 0, low: 0, high: 1, description: the Leader's stake, source: "hand-made for tests"}
forms:
  sequential:
    root: L
    nodes:
      L:
        player: Leader
        actions: {out: stay, in: F}
      F:
        player: Follower
        actions: {r1: z1, r2: z2, r3: z3}
      stay: {payoffs: {Leader: "(1 + t)/2", Follower: 1}, outcome: stays out}
      z1: {payoffs: {Leader: "t/4", Follower: 0}, outcome: enters}
      z2: {payoffs: {Leader: "2*t", Follower: 0}, outcome: enters}
      z3: {payoffs: {Leader: "1 + t", Follower: 0}, outcome: enters}
"""


def _pairings(model, t) -> set:
    """{(Leader's move, Follower's reply)} over the subgame-perfect equilibria at t (exact)."""
    out = set()
    for eq in model.solve(t=t).equilibria:
        (lead,), (follow,) = ([a for a, x in zip(acts, probs) if x == 1] for acts, probs in
                              ((("out", "in"), eq.strategies[0]["L"]), (("r1", "r2", "r3"), eq.strategies[1]["F"])))
        out.add((lead, follow))
    return out


def test_a_pairing_change_with_the_same_moves_played_gets_its_closed_form(write_model):
    """By hand: the Follower gets 0 from every reply, so each of r1, r2, r3 continues a subgame-perfect
    equilibrium; the Leader's outside option is worth (1 + t)/2 and entry t/4, 2t or 1 + t. Against r1 the
    Leader stays out (t/4 < (1 + t)/2 on [0, 1]), against r3 it enters, against r2 it enters iff
    2t > (1 + t)/2, i.e. t > t* = 1/3. Both sides play out and in at L and all three replies at F, with the
    same outcomes: only which reply goes with staying out changes. The old candidates (information sets whose
    played actions change) found none, so t* was only bisected (method "numeric"); the pairing gives the
    Leader's out-vs-in condition given r2."""
    model = gtu.load_model(write_model(REPLIES))
    t_ = S("t")
    (hand,) = sp.solve(sp.Eq(2 * t_, (1 + t_) / 2), t_)
    eps = Fraction(1, 10**6)
    star = Fraction(int(hand.p), int(hand.q))
    assert _pairings(model, star - eps) == {("out", "r1"), ("out", "r2"), ("in", "r3")}
    assert _pairings(model, star + eps) == {("out", "r1"), ("in", "r2"), ("in", "r3")}
    (t,) = thresholds(model, "t", grid=21).thresholds
    assert t.method == CLOSED_FORM and t.exact == star and t.expression == hand
    assert t.before == t.after == ("enters", "stays out") and t.change == "equilibrium set changes (same outcomes)"
    assert t.indifference == "Leader at 'L': 'out' vs 'in' given 'F': 'r2'"
    assert t.sign_above == -1 and t.direction.endswith("iff t < t*") and t.conditions_hold is True
    # what is played (the outcomes) does not change: a threshold of the equilibria, not of the outcomes
    assert thresholds(model, "t", grid=21, on="outcomes").thresholds == ()


PENNIES_ENTRY = """\
name: pennies-entry
title: Entry into matching pennies
players: [Row, Col]
parameters:
  p: {default: 0, low: 0, high: 2, description: Row's stake on heads, source: "hand-made for tests"}
forms:
  sequential:
    root: E
    nodes:
      E:
        player: Row
        actions: {out: stay, in: R}
      R:
        player: Row
        actions: {H: CH, T: CT}
      CH: {player: Col, infoset: C, actions: {H: hh, T: ht}}
      CT: {player: Col, infoset: C, actions: {H: th, T: tt}}
      stay: {payoffs: {Row: "1 - p/2", Col: 0}, outcome: stays out}
      hh: {payoffs: {Row: "1 + p", Col: 0}, outcome: pennies}
      ht: {payoffs: {Row: 0, Col: 1}, outcome: pennies}
      th: {payoffs: {Row: 0, Col: 1}, outcome: pennies}
      tt: {payoffs: {Row: 1, Col: 0}, outcome: pennies}
"""


def test_an_option_crossing_the_value_of_a_mixed_subgame_equilibrium_gets_its_closed_form(write_model):
    """By hand (own sympy below): after entry Row and Col play matching pennies in which heads-heads pays Row
    1 + p. Its only equilibrium is mixed: Col plays H with probability q where q(1 + p) = 1 - q, q = 1/(2 + p),
    so entering is worth V(p) = (1 + p)/(2 + p) to Row, against 1 - p/2 for staying out. Row enters iff
    V(p) > 1 - p/2, i.e. p^2 + 2p - 2 > 0, p > p* = sqrt(3) - 1. No equilibrium is pure, so the old candidates
    (pure profiles only) had none and p* was only bisected (method "numeric")."""
    model = gtu.load_model(write_model(PENNIES_ENTRY))
    p, q = S("p", "q")
    (q_hand,) = sp.solve(sp.Eq(q * (1 + p), 1 - q), q)
    value_in = sp.simplify(q_hand * (1 + p))
    (hand,) = [r for r in sp.solve(value_in - (1 - p / 2), p) if 0 <= r <= 2]
    (t,) = thresholds(model, "p", grid=21).thresholds
    assert t.method == CLOSED_FORM and same(t.expression, hand) and t.exact is None
    assert t.value == pytest.approx(float(hand), abs=1e-15)
    assert t.before == ("stays out",) and t.after == ("pennies",)
    assert t.indifference == "Row at 'E': 'out' vs 'in' (mixed play at 'R', 'C')"
    assert t.sign_above == -1 and t.direction.endswith("iff p < p*") and t.conditions_hold is True
    # Col's mix at p = 1 is q = 1/3, as derived
    (eq,) = model.solve(p=1).equilibria
    assert eq.strategies[1]["C"] == (q_hand.subs(p, 1), 1 - q_hand.subs(p, 1))


def test_a_mixed_subgame_past_the_unknowns_budget_is_only_bisected(write_model, monkeypatch):
    """With room for 1 unknown probability the 2x2 pennies subgame (2 unknowns) is not made symbolic: the
    threshold is still found, from the exact bisection, at sqrt(3) - 1 within 1e-12, without a closed form."""
    monkeypatch.setattr(threshold_candidates, "MAX_MIXED_UNKNOWNS", 1)
    (t,) = thresholds(gtu.load_model(write_model(PENNIES_ENTRY)), "p", grid=21).thresholds
    assert t.method == NUMERIC and t.expression is None
    assert abs(t.value - (np.sqrt(3) - 1)) < 1e-12


RPS_ENTRY = """\
name: rps-entry
title: Entry into rock-paper-scissors
players: [Row, Col]
parameters:
  p: {default: 0, low: 0, high: 2, description: Row's extra gain from rock on scissors, source: "hand-made for tests"}
forms:
  sequential:
    root: E
    nodes:
      E:
        player: Row
        actions: {out: stay, in: R}
      R:
        player: Row
        actions: {R: cR, P: cP, S: cS}
      stay: {payoffs: {Row: "1/15", Col: "-1/15"}, outcome: stays out}
      cR: {player: Col, infoset: C, actions: {R: rr, P: rp, S: rs}}
      cP: {player: Col, infoset: C, actions: {R: pr, P: pp, S: ps}}
      cS: {player: Col, infoset: C, actions: {R: sr, P: sp, S: ss}}
      rr: {payoffs: {Row: 0, Col: 0}, outcome: plays}
      rp: {payoffs: {Row: -1, Col: 1}, outcome: plays}
      rs: {payoffs: {Row: "1 + p", Col: "-1 - p"}, outcome: plays}
      pr: {payoffs: {Row: 1, Col: -1}, outcome: plays}
      pp: {payoffs: {Row: 0, Col: 0}, outcome: plays}
      ps: {payoffs: {Row: -1, Col: 1}, outcome: plays}
      sr: {payoffs: {Row: -1, Col: 1}, outcome: plays}
      sp: {payoffs: {Row: 1, Col: -1}, outcome: plays}
      ss: {payoffs: {Row: 0, Col: 0}, outcome: plays}
"""


def test_an_option_crossing_the_value_of_a_mixed_three_by_three_subgame(write_model):
    """A 3x3 subgame (4 unknown probabilities): zero-sum rock-paper-scissors in which rock beating scissors pays
    Row 1 + p. Its only equilibrium is mixed (own sympy below: Col's mix y solves A y = V (1, 1, 1), sum y = 1),
    with value V(p) = p/(3(p + 3)) to Row; staying out is worth 1/15, so Row enters iff V(p) > 1/15, i.e.
    p > p* = 3/4. Before, no pure profile gave a candidate (method "numeric")."""
    model = gtu.load_model(write_model(RPS_ENTRY))
    p, v = S("p", "V")
    ys = sp.symbols("y0:3")
    a = sp.Matrix([[0, -1, 1 + p], [1, 0, -1], [-1, 1, 0]])
    (sol,) = sp.solve(list(a * sp.Matrix(ys) - sp.Matrix([v, v, v])) + [sum(ys) - 1], [*ys, v], dict=True)
    (hand,) = sp.solve(sol[v] - sp.Rational(1, 15), p)
    (t,) = thresholds(model, "p", grid=21).thresholds
    assert t.method == CLOSED_FORM and t.exact == Fraction(int(hand.p), int(hand.q)) and t.expression == hand
    assert t.before == ("stays out",) and t.after == ("plays",)
    assert t.indifference == "Row at 'E': 'out' vs 'in' (mixed play at 'R', 'C')"


ONE_PLAYER_CHOICE = """\
name: {name}
title: Up or down
players: [Row, Col]
parameters:
  a: {{default: 1, low: 0, high: 2, description: growth, source: "hand-made for tests"}}
forms:
  normal:
    actions:
      Row: [U, D]
      Col: [L]
    payoffs:
      - {{play: {{Row: U, Col: L}}, payoffs: {{Row: "{up}", Col: 0}}, outcome: up}}
      - {{play: {{Row: D, Col: L}}, payoffs: {{Row: "{down}", Col: 0}}, outcome: down}}
"""


def test_numeric_threshold_when_no_closed_form(write_model):
    """U pays a**5 + a, D pays 1: the threshold is the real root of a^5 + a - 1 (no radicals), reported as
    numeric and equal to numpy.roots' root to 1e-11."""
    model = gtu.load_model(write_model(ONE_PLAYER_CHOICE.format(name="quintic", up="a**5 + a", down="1")))
    (t,) = thresholds(model, "a", grid=11).thresholds
    (root,) = [r.real for r in np.roots([1, 0, 0, 0, 1, -1]) if abs(r.imag) < 1e-12]
    assert t.method == NUMERIC and t.expression is None and t.exact is None
    assert abs(t.value - root) < 1e-11
    assert t.change == "down -> up"


def test_transcendental_threshold_in_closed_form_with_float_bisection(write_model):
    """U pays exp(a), D pays 2: the threshold is log 2. The game is not rational, so the bisection runs in
    float mode (said in the notes), and sympy still finds the closed form."""
    model = gtu.load_model(write_model(ONE_PLAYER_CHOICE.format(name="expo", up="exp(a)", down="2")))
    res = thresholds(model, "a", grid=11)
    (t,) = res.thresholds
    assert t.method == CLOSED_FORM and t.expression == sp.log(2) and t.exact is None
    assert t.value == pytest.approx(np.log(2), abs=1e-15)
    assert any("float mode" in n for n in res.notes)


def test_parameter_outside_the_payoffs_has_no_threshold():
    """nato's x_prewar (the pre-war split) is used by the S12 claim only, not in any payoff."""
    res = thresholds(NATO, "x_prewar", form="sequential")
    assert res.thresholds == () and "does not enter" in res.notes[0]


def test_tie_on_a_grid_point_is_one_threshold():
    """With the range [1/54, 1/18] and 3 grid points, the middle point is rho* = 1/27 itself, where the solver
    reports both equilibria; the two changes next to it merge into one threshold."""
    res = thresholds(TERRITORY, "rho", form="sequential", scenario="baseline-2025", over=("1/54", "1/18"),
                     grid=3)
    (t,) = res.thresholds
    assert t.exact == Fraction(1, 27)
    assert t.before == ("settlement on Russian terms",) and t.after == ("war continues",)
    assert res.over == (1 / 54, 1 / 18)


# ------------------------------------------------------------------------------------------ bad input
@pytest.mark.parametrize("kwargs, text", [
    ({"param": "rhoo"}, "did you mean 'rho'"),
    ({"over": (0, 0.3)}, "leaves rho's range [0.01, 0.5]"),
    ({"over": (0.3, 0.2)}, "is empty"),
    ({"over": ("0.3", "0.3")}, "is empty"),
    ({"over": ("abc", 1)}, "not a number"),
    ({"over": (0.1,)}, "not a pair"),
    ({"grid": 1}, "too small"),
    ({"values": {"rho": 0.1}}, "parameter being varied"),
    ({"values": {"kapa": 0.1}}, "did you mean 'kappa'"),
    ({"values": {"kappa": 3}}, "outside its range"),
    ({"scenario": "nope"}, "no scenario"),
    ({"form": "extensive"}, "no form"),
])
def test_bad_input_raises_parameter_error_with_a_fix(kwargs, text):
    args = {"param": "rho", "form": "sequential", **kwargs}
    with pytest.raises(ParameterError) as info:
        thresholds(TERRITORY, args.pop("param"), **args)
    assert text in str(info.value) and info.value.fix


# ------------------------------------------------------------------------------------------------- CLI
def test_cli_json_schema(capsys):
    code = main(["thresholds", "territory", "--param", "rho", "--form", "sequential", "--scenario",
                 "baseline-2025", "--grid", "41", "--format", "json"])
    assert code == 0
    doc = json.loads(capsys.readouterr().out)
    assert {"param", "model", "form", "scenario", "range", "thresholds", "notes"} <= set(doc)
    assert (doc["param"], doc["model"], doc["form"], doc["scenario"]) == ("rho", "territory", "sequential",
                                                                          "baseline-2025")
    assert doc["range"] == [0.01, 0.5]
    (t,) = doc["thresholds"]
    assert set(t) == {"value", "exact", "expression", "method", "before", "after", "change", "conditions",
                      "conditions_hold", "conditions_failing", "indifference", "direction", "sign_above"}
    assert [as_positive(c) for c in t["conditions"]] == [as_positive("dp_belt + dp_erosion > 0")]
    assert t["conditions_hold"] is True and t["conditions_failing"] == []
    assert t["exact"] == "1/27" and abs(t["value"] - 1 / 27) < 1e-15 and t["method"] == "closed form"
    assert t["before"] == ["settlement on Russian terms"] and t["after"] == ["war continues"]
    names = {n: sp.Symbol(n) for n in TERRITORY.parameters}
    expr = sp.sympify(t["expression"], locals=names)
    assert expr.subs({names[k]: sp.Rational(str(v)) for k, v in doc["parameters"].items()}) == sp.Rational(1, 27)


def test_cli_table_with_fixed_values_and_range(capsys):
    """nato at NATO_POINT over rho in [0.2, 0.3]: Moscow's rho_s = 67/243 and Kyiv's 8/27 (derived by hand in
    test_nato_moscow_accepts_the_open_path_above_rho_s); the table wraps the change's text."""
    code = main(["thresholds", "nato", "--param", "rho", "--form", "sequential", "-p", "x_D=0.55",
                 "-p", "pi_accession=0.2", "-p", "k=0", "-p", "a=2", "--range", "0.2:0.3", "--grid", "11"])
    assert code == 0
    out = capsys.readouterr().out
    assert "67/243" in out and "8/27" in out and "4/27" not in out
    assert "war continues -> settlement, NATO path" in out and "pi_accession=0.2" in out


@pytest.mark.parametrize("argv, text", [
    (["--param", "rhoo"], "did you mean 'rho'"),
    (["--param", "rho", "--range", "abc:1"], "not a number"),
    (["--param", "rho", "--range", "0.3:0.2"], "is empty"),
    (["--param", "rho", "--range", "0:0.3"], "leaves rho's range"),
    (["--param", "rho", "--range", "0.3"], "cannot read the range"),
    (["--param", "rho", "-p", "kappa"], "cannot read"),
    (["--param", "rho", "--grid", "0"], "too small"),
])
def test_cli_bad_input_one_line_and_exit_2(argv, text, capsys):
    code = main(["thresholds", "territory", "--form", "sequential", *argv])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("gtu: error:") and err.count("\n") == 1 and text in err and "fix:" in err


def test_result_to_dict_is_json_ready(territory_rho):
    doc = json.loads(json.dumps(territory_rho.to_dict()))
    assert doc["thresholds"][0]["exact"] == "1/27" and doc["grid"] == 101
    assert doc["parameters"]["delta"] == "9/10"
    t = territory_rho.thresholds[0]
    assert isinstance(t, Threshold) and isinstance(t.value, float) and isinstance(t.exact, Fraction)


@pytest.mark.parametrize("name, form, scenario, fixed, exact_value", [
    ("territory", "sequential", "baseline-2025", {}, Fraction(1, 27)),
    # Kyiv's open_U = W_U: (1 - (x_D - p - c_U + delta*D)/(delta*((1 - pi)*D + pi*m)))/(1 + kappa), D = 1
    ("nato", "sequential", "istanbul-2", {}, Fraction(43, 702)),
    # rho no longer moves the guarantees in any scenario: Ukraine's signing threshold rho_U* at GUARANTEES_POINT
    ("guarantees", "sequential", "baseline-2025", GUARANTEES_POINT, Fraction(7, 15)),
])
def test_each_framework_model_has_a_closed_form_rho_threshold_matching_a_sweep(name, form, scenario, fixed,
                                                                               exact_value):
    """Issue 4's 'done when': each model reports a rho threshold in closed form (for territory and nato the
    ones `gtu report` shows; the guarantees have none at their scenarios, so theirs is taken at a point where
    rho_U* lies inside rho's range), and a numeric sweep over rho changes its outcomes exactly across it (between
    the neighbouring thresholds)."""
    from gametheory_ukraine.analysis.sweep import sweep

    model = gtu.load_model(name)
    res = gtu.thresholds(model, "rho", form=form, scenario=scenario, values=fixed,
                         grid=101 if form == "normal" else 201)
    (thr,) = [t for t in res.thresholds if t.exact == exact_value]
    assert thr.method == "closed form" and thr.expression is not None
    values = {k: sp.Rational(str(v)) for k, v in model.values(scenario).items() if k != "rho"}
    values.update({k: sp.Rational(v) for k, v in fixed.items()})
    assert sp.nsimplify(thr.expression.xreplace({sp.Symbol(k): v for k, v in values.items()})) == exact_value
    grid = np.linspace(0.01, 0.5, 50)
    df = sweep(model, {"rho": grid, **{k: float(sp.Rational(v)) for k, v in fixed.items()}}, form=form,
               scenario=scenario, progress=False)
    outs = df.groupby("point_id").apply(lambda g: tuple(sorted(set(g["outcome_key"]))), include_groups=False)
    lower = max([t.value for t in res.thresholds if t.exact < exact_value], default=-1.0)
    upper = min([t.value for t in res.thresholds if t.exact > exact_value], default=2.0)
    below = {outs[i] for i, r in enumerate(grid) if lower < r < float(exact_value)}
    above = {outs[i] for i, r in enumerate(grid) if float(exact_value) < r < upper}
    assert below == {thr.before} and above == {thr.after}


# --------------------------------------------------------------------------- conditions on the closed forms
# Names of the bundled models' parameters that the tests below use (the models' files may rename them).
GUARANTEES_PI = "pi_air"     # the chance the US flies air support
NATO_PI = "pi_accession"     # the chance Washington backs accession


def as_positive(condition: str):
    """A condition string read with sympy, as (kind, expression): ("> 0", e) for e > 0 (an "a < b" becomes
    b - a > 0), ("!= 0", e) up to sign, (">= 0", e); e expanded, so equivalent texts compare equal."""
    names = {n: sp.Symbol(n) for n in ("beta", "gamma", "lambda", "pi")}
    if "!=" in condition:
        lhs, rhs = condition.split("!=")
        e = sp.expand(sp.sympify(lhs, locals=names) - sp.sympify(rhs, locals=names))
        return "!= 0", (-e if e.could_extract_minus_sign() else e)
    rel = sp.sympify(condition, locals=names)
    if isinstance(rel, (sp.StrictGreaterThan, sp.StrictLessThan)):
        e = rel.lhs - rel.rhs if isinstance(rel, sp.StrictGreaterThan) else rel.rhs - rel.lhs
        return "> 0", sp.expand(e)
    assert isinstance(rel, sp.GreaterThan), condition
    return ">= 0", sp.expand(rel.lhs - rel.rhs)


SIGNS = """\
name: signs
title: A threshold whose direction turns on a sign
players: [Row, Col]
parameters:
  rho: {default: 0.1, low: 0.01, high: 0.5, description: hazard, source: "hand-made for tests"}
  b: {default: 0.1, low: 0.02, high: 0.15, description: a gain, source: "hand-made for tests"}
  e: {default: 0, low: -0.05, high: 0.05, description: a shift of either sign, source: "hand-made for tests"}
  c: {default: 0.01, low: -0.1, high: 0.1, description: a cost, source: "hand-made for tests"}
  d: {default: 0.9, low: 0.8, high: 0.98, description: a discount factor, source: "hand-made for tests"}
  k: {default: 0.5, low: 0, high: 1, description: a premium, source: "hand-made for tests"}
scenarios:
  rearmed: {description: "e below -b", values: {b: 0.02, e: -0.05, c: -0.01}}
forms:
  normal:
    actions: {Row: [U, D], Col: [L]}
    payoffs:
      - {play: {Row: U, Col: L}, payoffs: {Row: "((1 + k)*(b + e)*rho - c)/(1 - d*(1 - rho))", Col: 0}, outcome: up}
      - {play: {Row: D, Col: L}, payoffs: {Row: 0, Col: 0}, outcome: down}
"""


def _row_plays_up(model, scenario, rho) -> bool:
    (eq,) = model.solve("normal", scenario, rho=rho).equilibria
    return eq.outcome == "up"


def test_conditions_of_a_closed_form_are_the_signs_of_what_it_divides_by(write_model):
    """By hand: U - D = ((1 + k)(b + e) rho - c)/(1 - d(1 - rho)); solving U >= D for rho divides by
    (1 + k)(b + e) and by the denominator. On the box 1 + k >= 1 and 1 - d(1 - rho) >= 1 - 0.98 > 0, so the
    one condition left is b + e > 0 (b + e ranges over [-0.03, 0.2]): U iff rho > rho* = c/((1 + k)(b + e))."""
    model = gtu.load_model(write_model(SIGNS))
    rho, b, e, c, k, d = S("rho", "b", "e", "c", "k", "d")
    u = ((1 + k) * (b + e) * rho - c) / (1 - d * (1 - rho))
    (root,) = sp.solve(sp.numer(sp.together(u)), rho)
    (t,) = thresholds(model, "rho", grid=21).thresholds
    assert same(t.expression, root) and t.exact == Fraction(1, 15)
    assert [as_positive(x) for x in t.conditions] == [as_positive("b + e > 0")]
    assert t.conditions_hold is True and t.conditions_failing == ()
    # the direction: by hand d(U - D)/d rho at rho* has the sign of (1 + k)(b + e) > 0 at the defaults
    assert t.sign_above == 1 and t.direction.endswith("iff rho > rho*") and "'U' to 'D'" in t.direction
    assert not _row_plays_up(model, None, t.exact - Fraction(1, 10**6))
    assert _row_plays_up(model, None, t.exact + Fraction(1, 10**6))


def test_where_a_condition_fails_the_direction_is_reversed_not_reported_as_holding(write_model):
    """Scenario rearmed: b + e = 0.02 - 0.05 < 0, c = -0.01: rho* = -0.01/(1.5 * -0.03) = 2/9 (by hand), and
    the inequality solved for rho flips: U iff rho < rho*. Brute force on both sides agrees."""
    model = gtu.load_model(write_model(SIGNS))
    (t,) = thresholds(model, "rho", scenario="rearmed", grid=21).thresholds
    assert t.exact == Fraction(2, 9)
    (cond,) = t.conditions
    point = {sp.Symbol(n): sp.Rational(str(v)) for n, v in model.values("rearmed").items()}
    assert sp.sympify(cond).xreplace(point) == sp.false      # evaluated independently: b + e > 0 fails here
    assert t.conditions_hold is False and t.conditions_failing == (cond,)
    assert t.sign_above == -1 and "iff rho < rho* here" in t.direction and "reversed" in t.direction
    eps = Fraction(1, 10**6)
    assert _row_plays_up(model, "rearmed", t.exact - eps) and not _row_plays_up(model, "rearmed", t.exact + eps)
    assert (t.before, t.after) == (("up",), ("down",))
    doc = t.to_dict()
    assert doc["conditions_hold"] is False and doc["conditions"] == [cond]


def test_conditions_on_the_box_interval_arithmetic():
    """on_box decides signs on the whole box (1 - d(1 - r) > 0, (1 + k)(b + e) undecided) and derive()
    keeps a factor of even multiplicity that can vanish as "!= 0" (U = x/h**2 - 1: x* = h**2, dividing by
    h**2, which is 0 at h = 0 inside [-1, 1])."""
    from gametheory_ukraine.analysis.threshold_conditions import derive, on_box

    r, d, k, b, e, x, h = S("r", "d", "k", "b", "e", "x", "h")
    q = sp.Rational
    box = {r: (q(1, 100), q(1, 2)), d: (q(4, 5), q(49, 50)), k: (0, 1), b: (q(1, 50), q(3, 20)),
           e: (q(-1, 20), q(1, 20)), x: (0, 2), h: (-1, 1)}
    assert on_box(1 - d * (1 - r), box) == 1 and on_box(d * (r - 1), box) == -1
    assert on_box((1 + k) * (b + e), box) is None and on_box(b + e + q(1, 50), box) is None
    assert on_box(b + e + q(1, 10), box) == 1
    c = derive(x / h**2 - 1, "x", h**2, box=box, reference={x: 1, h: q(1, 2)}, point={x: q(1, 4), h: q(1, 2)})
    assert [as_positive(s) for s in c.conditions] == [as_positive("h != 0")] and c.hold and c.sign_above == 1


def test_territory_rho_star_conditions_and_a_point_where_they_fail():
    """Territory's rho* for ceding Donbas: Ukraine accepts a kept cession iff V_U_D >= W_U, i.e. (by hand)
    (1 - x_D) - (1 - p - c_U) >= delta*h_D*(W_U - W_U_D) with W_U - W_U_D = (dp_belt + dp_erosion)/(1 - delta)
    and h_D = rho*(1 + kappa), so rho* divides by delta (1 + kappa)(dp_belt + dp_erosion). On the box
    delta, 1 + kappa > 0 but dp_belt + dp_erosion ranges over [-0.03, 0.2], so the condition is printed.
    Where it fails, the break option removes the threshold: rho* > 0 there needs x_D > p + c_U, and then
    x_D > p_D + c_U, so Ukraine breaks the cession (its yearly share is below its yearly war value at the
    post-deal odds) and gets B_U_D, which does not depend on rho. At dp_belt = 0.02, dp_erosion = -0.05 no
    rho threshold is reported, and the exact solves agree: the outcome is the same across rho's range [0.01, 0.5)."""
    delta, p, c_U, x_D, kappa, dp_belt, dp_erosion = S("delta", "p", "c_U", "x_D", "kappa", "dp_belt",
                                                       "dp_erosion")
    hand = (1 - delta) * (p + c_U - x_D) / (delta * (1 + kappa) * (dp_belt + dp_erosion))
    sign = as_positive("dp_belt + dp_erosion > 0")
    # the defaults: the condition holds, rho* = (0.1)(0.05)/(0.9 * 1.5 * 0.1) = 1/27
    (t0,) = [t for t in thresholds(TERRITORY, "rho", form="sequential", grid=41).thresholds if same(t.expression, hand)]
    assert t0.exact == Fraction(1, 27)
    assert t0.conditions_hold is True and [as_positive(c) for c in t0.conditions] == [sign]
    label, first = re.match(r".* at '(.+)': '(.+)' vs '.+'$", t0.indifference).groups()
    assert (label, first) == ("ukraine_on_donbas", "cede all of Donbas")
    eps = Fraction(1, 10**6)
    for x, above in ((t0.exact - eps, False), (t0.exact + eps, True)):
        res_x = TERRITORY.solve("sequential", "baseline-2025", exact=True, rho=x)
        assert {_plays(TERRITORY, eq, label, first) for eq in res_x.equilibria} == {(t0.sign_above == 1) == above}
    # a point where the condition fails (and hand's rho* = 39/82 would lie in (0, 1))
    values = dict(delta="0.82", p="0.4", c_R="0.1", c_U="0.02", x_D="0.55", x_F="0.55", sigma="0.5", kappa=1,
                  dp_belt="0.02", dp_erosion="-0.05")
    point = {sp.Symbol(k): sp.Rational(v) for k, v in values.items()}
    assert hand.xreplace(point) == sp.Rational(39, 82)
    assert thresholds(TERRITORY, "rho", form="sequential", values=values, grid=41).thresholds == ()
    outcomes = {rho: {eq.outcome for eq in TERRITORY.solve("sequential", None, exact=True, rho=rho, **values)}
                for rho in (Fraction(1, 100), Fraction(39, 82) - eps, Fraction(39, 82) + eps, Fraction(49, 100))}
    # (at rho = 1/2, h_D = rho*(1 + kappa) = 1 and a kept cession relapses at once: Ukraine is indifferent)
    assert set(map(frozenset, outcomes.values())) == {frozenset({"settlement on Russian terms, then relapse"})}
    ukraine_breaks = TERRITORY.solve("sequential", None, exact=True, rho=Fraction(1, 4), **values)
    assert all(_plays(TERRITORY, eq, "ukraine_after_cession", "break the deal") for eq in ukraine_breaks.equilibria)


def _plays(model, eq, label, action) -> bool:
    """Whether equilibrium *eq* of *model*'s sequential form plays *action* for sure at information set *label*."""
    actions = list(model.symbolic("sequential").infosets()[label].actions)
    (probs,) = [s[label] for s in eq.strategies if label in s]
    return probs[actions.index(action)] == 1


def test_guarantees_q_star_needs_g_t_plus_pi_g_a_positive():
    """q* = (1-delta)(1-rho) T_F/((1-delta+delta rho)(g_T + pi g_A)) (test_guarantees_zagare_kilgour_q_star):
    solving Russia's comply >= re-attack, linear in q with slope delta*(g_T + pi g_A)/(1 - delta), divides by
    g_T + pi g_A, which is 0 at g_T = 0, pi g_A = 0 inside the box; delta > 0 and 1 - delta + delta rho > 0
    on the box. (The veto v is gone: the veto is part of the Istanbul regime.) q* lies in [0, 1] only where
    Moscow would accept the force, so at GUARANTEES_POINT; the condition holds there."""
    point = {k: v for k, v in GUARANTEES_POINT.items() if k != "q"}
    (t,) = thresholds(GUARANTEES, "q", form="sequential", values=point, grid=41).thresholds
    conds = [as_positive(c) for c in t.conditions]
    assert conds == [as_positive(f"g_T + {GUARANTEES_PI}*g_A > 0")]
    assert t.conditions_hold is True


def test_nato_rho_c_needs_m_above_a_and_reverses_below():
    """rho_c = (G/(m - a) - (1 - delta))/(delta*(1 + kappa)), G = p + dp_belt + dp_erosion + c_U - x_D, divides
    by m - a (models/nato.yaml, findings (3)): the condition m - a > 0 holds at a = 2 (m = 3; at NATO_POINT,
    where rho_c = 4/27 is a threshold) and fails at a = 3, m = 1, p = 0.4, c_U = 0.02, x_D = 0.9, where
    rho_c = 1/15 (by hand: ((0.4 + 0.1 + 0.02 - 0.9)/(-2) - 0.1)/(0.9*1.5)) and keeping the pledge is
    preferred iff rho > rho_c (off the path there: Kyiv rejects the terms on both sides)."""
    (t,) = [t for t in thresholds(NATO, "rho", form="sequential", values=NATO_POINT, grid=101).thresholds
            if t.exact == Fraction(4, 27)]
    assert as_positive("m - a > 0") in [as_positive(c) for c in t.conditions] and t.conditions_hold is True
    values = {"a": 3, "m": 1, "p": "0.4", "c_U": "0.02", "x_D": "0.9"}
    (t,) = thresholds(NATO, "rho", form="sequential", values=values, grid=51).thresholds
    assert t.exact == Fraction(1, 15)
    assert t.conditions_hold is False and [as_positive(c) for c in t.conditions_failing] == [as_positive("m - a > 0")]
    label, first = re.match(r".* at '(.+)': '(.+)' vs '.+'$", t.indifference).groups()
    for x, above in ((t.exact - Fraction(1, 10**6), False), (t.exact + Fraction(1, 10**6), True)):
        res_x = NATO.solve("sequential", None, exact=True, rho=x, **values)
        assert {_plays(NATO, eq, label, first) for eq in res_x.equilibria} == {(t.sign_above == 1) == above}


def test_table_and_report_show_the_conditions(write_model, tmp_path, capsys):
    path = write_model(SIGNS, "signs.yaml")
    assert main(["thresholds", str(path), "--param", "rho", "--scenario", "rearmed", "--grid", "21"]) == 0
    out = capsys.readouterr().out
    assert "conditions" in out and "b + e > 0 (fails here)" in out and "reversed" in out
    assert main(["thresholds", str(path), "--param", "rho", "--grid", "21"]) == 0
    out = capsys.readouterr().out
    assert "b + e > 0" in out and "fails here" not in out


def test_on_outcomes_keeps_exactly_the_changes_of_what_is_played(nato_rho):
    """``on="outcomes"``: a change counts only where the set of outcomes changes. Its thresholds are those of
    the default run whose outcomes differ on the two sides, at the same values (the same exact bisection)."""
    res = thresholds(NATO, "rho", form="sequential", scenario="baseline-2025", values=NATO_POINT, grid=101,
                     on="outcomes")
    played = [t for t in nato_rho.thresholds if t.before != t.after]
    assert [(t.value, t.exact, t.before, t.after) for t in res.thresholds] == \
        [(t.value, t.exact, t.before, t.after) for t in played]
    assert all(t.before != t.after for t in res.thresholds)


def test_a_closed_form_past_the_operation_budget_is_not_sought(territory_rho):
    """With ``max_ops=1`` no indifference condition qualifies for a closed form: the threshold is the exact root
    of the indifference with the other parameters at their values (1/27, the hand value of the module docstring),
    named, with its direction but without a formula or conditions, and a note says why and how to raise it."""
    res = thresholds(TERRITORY, "rho", form="sequential", scenario="baseline-2025", grid=21, max_ops=1)
    (t,) = res.thresholds
    assert t.method == EXACT_ROOT and t.expression is None and t.conditions == () and t.conditions_hold is None
    assert t.exact == Fraction(1, 27) and t.value == 1 / 27
    assert t.indifference == "Ukraine at 'ukraine_on_donbas': 'cede all of Donbas' vs 'fight on'"
    assert t.sign_above == -1 and "iff rho < rho*" in t.direction
    assert any("max_ops=1" in n and "--max-ops" in n and "exact root" in n for n in res.notes)
    (ref,) = territory_rho.thresholds
    assert ref.method == CLOSED_FORM and ref.exact == Fraction(1, 27)


def test_past_the_budget_without_a_polynomial_root_the_value_is_the_bisection(monkeypatch):
    """When the exact root is not found either (here: the fallback disabled), the threshold is the exact
    bisection's value, within xtol of 1/27, marked numeric."""
    import gametheory_ukraine.analysis.thresholds as th
    monkeypatch.setattr(th, "_exact_root", lambda *args: None)
    res = thresholds(TERRITORY, "rho", form="sequential", scenario="baseline-2025", grid=21, max_ops=1)
    (t,) = res.thresholds
    assert t.method == NUMERIC and t.expression is None and t.exact is None and t.conditions == ()
    assert abs(Fraction(t.value) - Fraction(1, 27)) < Fraction(1, 10**11)
    assert any("max_ops=1" in n and "exact bisection" in n for n in res.notes)


@pytest.mark.parametrize("kw, where", [({"on": "supports"}, "--on"), ({"max_ops": 0}, "--max-ops"),
                                       ({"max_ops": True}, "--max-ops")])
def test_bad_change_kind_or_operation_budget_is_refused(kw, where):
    with pytest.raises(ParameterError) as err:
        thresholds(TERRITORY, "rho", form="sequential", grid=3, **kw)
    assert err.value.where == where


def test_a_sign_above_from_sympy_is_written_to_json_as_an_int():
    """The conditions can give the sign as a sympy Integer (settlement's rho thresholds did, and the JSON dump
    failed on it)."""
    t = Threshold("x", 0.5, Fraction(1, 2), sp.Rational(1, 2), CLOSED_FORM, ("a",), ("b",), "a -> b",
                  sign_above=sp.Integer(-1))
    assert json.loads(json.dumps(t.to_dict()))["sign_above"] == -1


def test_a_threshold_result_prints_in_words():
    """repr: one line with the model, parameter, interval and count; str: each threshold's value, exact value,
    closed form, method, change and direction (not a dataclass dump)."""
    res = thresholds(gtu.load_model("territory"), "rho", form="sequential", scenario="baseline-2025", grid=41)
    assert repr(res) == "<ThresholdResult: territory rho over [0.01, 0.5] (sequential, baseline-2025): 1 threshold>"
    text = str(res).splitlines()
    assert text[0] == repr(res) and "(closed form)" in text[1]
    assert text[1].startswith("rho* = 0.037037 = 1/27 (~0.03704) = ")
    assert text[2] == "    settlement on Russian terms -> war continues"
    assert "iff rho < rho*" in text[3] and "FrozenDict" not in str(res)
