"""The single-point models as restrictions of the settlement (models/settlement.yaml).

What holds, and is tested here:

- **territory is a restriction.** Fix the other two points at "NATO path open, no guarantee" and take one
  offer node of the settlement (a format and Europe's move), keeping only the three territorial packages. With
  Washington leaning towards nobody (beta_US = 0) and never backing accession (pi_accession = 0, so Kyiv's NATO
  move pays what keeping the deal pays), every terminal payoff of that subgame is Y + delta * (the territory
  model's payoff at Russia's odds Q after the year of talks), with Y the year of talks (p - c_R or x_F for
  Russia): a positive affine map per player, the same at every terminal, so the two games have the same
  subgame-perfect equilibria. The test solves both exactly at the four shared scenarios and at 40 random points
  of the box and compares the sets of plans (mapped action by action) and the payoffs (through the affine map).
  The affine identity is also checked terminal by terminal, symbolically.
- **nato and guarantees share the settlement's formulas, not its moves.** In both, Kyiv proposes (nato: reject,
  cede Donbas with a pledge, or with the NATO path; guarantees: the guarantee at the current line); in the
  settlement Russia proposes, and may re-attack a signed deal, which nato does not allow. Their equilibria are
  not the restricted settlement's in general: two tests exhibit each difference at a point where it alone
  changes the outcome. What carries over is each deal's value: nato's pledge and path deals are, terminal by
  terminal, the settlement's Donbas packages without a guarantee, and guarantees' deals the settlement's freeze
  packages with the pledge made worthless (checked symbolically, through the same affine map).
"""

from __future__ import annotations

import random
from fractions import Fraction

import pytest
import sympy as sp

import gametheory_ukraine as gtu
from gametheory_ukraine.games.tree import Decision, GameTree, Terminal

F = Fraction
SCENARIOS = ("baseline-2025", "istanbul-2", "reassurance-force", "managed-freeze")
TERRITORY_OFFERS = {"all of Donbas, NATO path open, no guarantee": "demand all of Donbas",
                    "limited swap, NATO path open, no guarantee": "limited swap",
                    "freeze at the line, NATO path open, no guarantee": "freeze at the current line"}
#: settlement action -> territory action, at each kind of node
ANSWER = {"accept": "accept", "fight on": "fight on"}
RUSSIA_AFTER = {"comply": "keep the deal", "re-attack": "break the deal"}
KYIV_AFTER = {"keep the deal": "keep the deal", "seek accession if the US backs it": "keep the deal",
              "break the deal": "break the deal"}
NEUTRAL = {"beta_US": F(0), "pi_accession": F(0)}


@pytest.fixture(scope="module")
def settlement():
    return gtu.load_model("settlement")


@pytest.fixture(scope="module")
def territory():
    return gtu.load_model("territory")


def restricted(tree: GameTree, offer_node: str) -> GameTree:
    """The subgame at *offer_node* with only the three packages "NATO path open, no guarantee"."""
    node = next(n for n in tree.nodes() if n.name == offer_node)
    keep = [k for k, a in enumerate(node.actions) if a in TERRITORY_OFFERS]
    assert len(keep) == 3
    root = Decision(node.name, node.player, tuple(node.actions[k] for k in keep),
                    tuple(node.children[k] for k in keep))
    return GameTree(tree.players, root, title=f"settlement at {offer_node}, territory only")


def plans(res, entry) -> set:
    """Each pure SPE of *res* as a territory plan, frozen: {(kind, demand): action}, where entry(infoset, chosen)
    gives the (key, action) of one information set's choice."""
    out = set()
    for eq in res.equilibria:
        plan = {}
        for per_player in res.strategy_dict(eq).values():
            for infoset, probs in per_player.items():
                (chosen,) = [a for a, p in probs.items() if p == 1]
                key, action = entry(infoset, chosen)
                plan[key] = action
        out.add(frozenset(plan.items()))
    return out


#: the package code of each territorial offer's subgame in the settlement (infosets end in it)
CODE = {"DON": "demand all of Donbas", "SON": "limited swap", "FON": "freeze at the current line"}
AFTER_OFFER = {"ukraine": ("answer", ANSWER), "russia": ("russia", RUSSIA_AFTER), "kyiv": ("kyiv", KYIV_AFTER)}


def settlement_entry(infoset: str, chosen: str) -> tuple:
    if infoset.startswith("offer_"):
        return ("demand", None), TERRITORY_OFFERS[chosen]
    kind, words = AFTER_OFFER[infoset.split("_", 1)[0]]
    return (kind, CODE[infoset.rsplit("_", 1)[1]]), words[chosen]


TERRITORY_NODES = {"russia_demand": ("demand", None),
                   "ukraine_on_donbas": ("answer", "demand all of Donbas"),
                   "ukraine_on_swap": ("answer", "limited swap"),
                   "ukraine_on_freeze": ("answer", "freeze at the current line"),
                   "russia_after_cession": ("russia", "demand all of Donbas"),
                   "russia_after_swap": ("russia", "limited swap"),
                   "russia_after_freeze": ("russia", "freeze at the current line"),
                   "ukraine_after_cession": ("kyiv", "demand all of Donbas"),
                   "ukraine_after_swap": ("kyiv", "limited swap"),
                   "ukraine_after_freeze": ("kyiv", "freeze at the current line")}


def territory_entry(infoset: str, chosen: str) -> tuple:
    key = TERRITORY_NODES[infoset]
    return key, ("accept" if key[0] == "answer" and chosen != "fight on" else chosen)


def year_and_odds(v: dict, offer_node: str) -> tuple[Fraction, Fraction, Fraction]:
    """(Y_R, Y_U, Q) of the offer node: the year of talks and Russia's odds after it (the model's define:)."""
    _, europe, fmt = offer_node.split("_")
    up = v["d_E"] if europe == "up" else 0
    if fmt == "cf":
        return v["x_F"], 1 - v["x_F"], v["p"] - v["dp_rearm"] - up
    return v["p"] - up - v["c_R"], 1 - v["p"] + up - v["c_U"], v["p"] + v["dp_talks"] - up


def by_name(expr, values: dict):
    """*expr* with its symbols named in *values* replaced (matched by name, whatever their assumptions)."""
    expr = sp.sympify(expr)
    return expr.xreplace({x: values[x.name] for x in expr.free_symbols if x.name in values})


def check_point(settlement, territory, scenario, offer_node, draws):
    vals = settlement.values(scenario, {**draws, **NEUTRAL})
    y_r, y_u, q = year_and_odds(vals, offer_node)
    tvals = {k: vals[k] for k in territory.parameters if k in vals}
    tvals["p"] = q
    if not territory.parameters["p"].low <= q <= territory.parameters["p"].high:
        return None
    sub = restricted(settlement.game("sequential", None, **vals), offer_node)
    s_res = gtu.solve(sub)
    t_res = territory.solve("sequential", None, **tvals)
    assert plans(s_res, settlement_entry) == plans(t_res, territory_entry), (scenario, offer_node, draws)
    d = vals["delta"]
    s_pay = {tuple(eq.payoffs[:2]) for eq in s_res.equilibria}
    t_pay = {(y_r + d * eq.payoffs[0], y_u + d * eq.payoffs[1]) for eq in t_res.equilibria}
    assert s_pay == t_pay
    return sorted({eq.outcome for eq in t_res.equilibria})


@pytest.mark.parametrize("scenario", SCENARIOS)
@pytest.mark.parametrize("offer_node", ["offer_hold_ct", "offer_hold_cf", "offer_up_ct", "offer_up_cf"])
def test_territory_is_the_settlement_with_path_open_and_no_guarantee(settlement, territory, scenario, offer_node):
    assert check_point(settlement, territory, scenario, offer_node, {}) is not None


def test_territory_restriction_on_random_points_of_the_box(settlement, territory):
    """40 points uniform on both models' common parameter box (exact fractions of 1/1000 of the range, seed
    2025); every outcome kind of the territory model occurs among them, so the comparison is not vacuous."""
    rng = random.Random(2025)
    names = sorted(set(territory.parameters) | {"dp_talks", "dp_rearm", "d_E"})
    seen: set = set()
    checked = 0
    while checked < 40:
        draws = {}
        for n in names:
            par = settlement.parameters[n]
            draws[n] = par.low + (par.high - par.low) * F(rng.randrange(1001), 1000)
        node = rng.choice(["offer_hold_ct", "offer_hold_cf", "offer_up_ct", "offer_up_cf"])
        out = check_point(settlement, territory, None, node, draws)
        if out is not None:
            checked += 1
            seen.update(out)
    assert {"war continues", "settlement on Russian terms", "compromise settlement",
            "managed freeze"} <= seen, seen


def test_the_affine_map_terminal_by_terminal(settlement, territory):
    """Symbolically: each terminal of the restricted settlement subgame (comprehensive talks, Europe holds) is
    Y + delta*(the territory terminal reached by the same moves) with p replaced by p + dp_talks, at beta_US =
    pi_accession = 0."""
    tree = restricted(settlement.symbolic("sequential"), "offer_hold_ct")
    ttree = territory.symbolic("sequential")
    sym = {n: sp.Symbol(n) for n in ("p", "dp_talks", "c_R", "c_U", "delta")}
    neutral = {"beta_US": 0, "pi_accession": 0}
    to_q = {"p": sym["p"] + sym["dp_talks"]}
    y = (sym["p"] - sym["c_R"], 1 - sym["p"] - sym["c_U"])

    def leaves(node, path=()):
        if isinstance(node, Terminal):
            yield path, node
            return
        for a, child in zip(node.actions, node.children):
            yield from leaves(child, path + (a,))

    tmap = {}
    for path, leaf in leaves(ttree.root):
        tmap[path] = leaf
    count = 0
    for path, leaf in leaves(tree.root):
        offer, answer, *rest = path
        tpath = (TERRITORY_OFFERS[offer],)
        tnode = ttree.root.children[ttree.root.actions.index(tpath[0])]
        tpath += (tnode.actions[0] if answer == "accept" else "fight on",)
        if rest:
            tpath += (RUSSIA_AFTER[rest[0]],)
            if len(rest) > 1:
                tpath += (KYIV_AFTER[rest[1]],)
        expected = tmap[tpath]
        for i in (0, 1):
            lhs = by_name(leaf.payoffs[i], neutral)
            rhs = y[i] + sym["delta"] * by_name(expected.payoffs[i], to_q)
            assert sp.simplify(lhs - rhs) == 0, (path, i)
        count += 1
    assert count == 3 * (1 + 1 + 3)  # per package: fight on, re-attack, keep / NATO move / break


def test_nato_deals_are_the_settlement_donbas_packages(settlement):
    """nato's deal values are the settlement's Donbas packages without a guarantee, through the same affine map
    (comprehensive talks, Europe holds; f_R = beta_US = 0: nato has no friendly-Ukraine value and no blame; nato's
    NATO-country force f = 0: the settlement's force is a package of its own):
    kept pledge, pledge broken when the US backs accession, path never used, path used."""
    nato = gtu.load_model("nato")
    ntree, stree = nato.symbolic("sequential"), settlement.symbolic("sequential")
    nleaf = {n.name: n for n in ntree.nodes() if isinstance(n, Terminal)}
    sleaf = {n.name: n for n in stree.nodes() if isinstance(n, Terminal)}
    s = {n: sp.Symbol(n) for n in ("p", "dp_talks", "c_R", "c_U", "delta")}
    neutral = {"beta_US": 0, "f_R": 0, "f": 0}
    to_q = {"p": s["p"] + s["dp_talks"]}
    y = (s["p"] - s["c_R"], 1 - s["p"] - s["c_U"])
    pairs = {"neutral_settlement": "kept_hold_ct_DPN", "pledge_broken": "nato_hold_ct_DPN",
             "path_unused": "kept_hold_ct_DON", "path_open": "nato_hold_ct_DON"}
    for n_name, s_name in pairs.items():
        for i in (0, 1):
            lhs = by_name(sleaf[s_name].payoffs[i], neutral)
            rhs = y[i] + s["delta"] * by_name(by_name(nleaf[n_name].payoffs[i], neutral), to_q)
            assert sp.simplify(lhs - rhs) == 0, (n_name, i)


def test_guarantees_deals_are_the_settlement_freeze_packages(settlement):
    """guarantees' deals (at the current line) are the settlement's freeze packages with a pledge, through the
    affine map Y + delta*(...) for all three players (Europe's year of talks is w_E*Y_U): the pledge made
    worthless (pi_accession = k = f_R = 0), the force's hazard cut off (mu_F = 0), no security value (v_U = 0), no
    blame; guarantees' hard guarantor (q) has no counterpart, so only Europe's own answers are compared."""
    guar = gtu.load_model("guarantees")
    gleaf = {n.name: n for n in guar.symbolic("sequential").nodes() if isinstance(n, Terminal)}
    sleaf = {n.name: n for n in settlement.symbolic("sequential").nodes() if isinstance(n, Terminal)}
    s = {n: sp.Symbol(n) for n in ("p", "dp_talks", "c_R", "c_U", "delta", "w_E")}
    neutral = {"beta_US": 0, "pi_accession": 0, "k": 0, "f_R": 0, "mu_F": 0, "v_U": 0}
    to_q = {"p": s["p"] + s["dp_talks"]}
    y_u = 1 - s["p"] - s["c_U"]
    y = (s["p"] - s["c_R"], y_u, s["w_E"] * y_u)
    pairs = {"force_holds": "kept_hold_ct_FPF", "troops_air": "troopsair_hold_ct_FPF",
             "troops_alone": "troopsalone_hold_ct_FPF", "air_flown": "airflown_hold_ct_FPF",
             "air_not": "airnot_hold_ct_FPF", "force_unanswered": "acquiesce_hold_ct_FPF",
             "istanbul_holds": "kept_hold_ct_FPI", "istanbul_vetoed": "hit_hold_ct_FPI",
             "bare_holds": "kept_hold_ct_FPN", "bare_unanswered": "hit_hold_ct_FPN", "war": "war_hold_ct_FPN"}
    for g_name, s_name in pairs.items():
        for i in (0, 1, 2):
            lhs = by_name(sleaf[s_name].payoffs[i], neutral)
            rhs = y[i] + s["delta"] * by_name(by_name(gleaf[g_name].payoffs[i], neutral), to_q)
            assert sp.simplify(lhs - rhs) == 0, (g_name, i)


def donbas_without_guarantee(settlement, vals):
    """The settlement's subgame at comprehensive talks with Europe holding, only the two Donbas packages without
    a guarantee (pledge, NATO path): the settlement's counterpart of the nato model. Its SPE plans, solved
    exactly."""
    tree = settlement.game("sequential", None, **vals)
    node = next(n for n in tree.nodes() if n.name == "offer_hold_ct")
    keep = [k for k, a in enumerate(node.actions) if a.startswith("all of Donbas") and "no guarantee" in a]
    sub = GameTree(tree.players, Decision(node.name, node.player, tuple(node.actions[k] for k in keep),
                                          tuple(node.children[k] for k in keep)))
    res = gtu.solve(sub)
    return [{k: max(v, key=v.get) for per in res.strategy_dict(eq).values() for k, v in per.items()}
            for eq in res.equilibria]


#: A point of nato's box (found by a seeded search: random.Random(7), draw 74) where both Donbas deals are
#: signed and kept by both sides whoever proposes; nato's NATO-country force f = 0.
PROPOSER_POINT = {"a": "777/200", "c_R": "487/2500", "c_U": "9303/50000", "delta": "20639/25000",
                  "dp_belt": "58/625", "dp_erosion": "-303/10000", "k": "23/250", "kappa": "89/500", "m": "7/2",
                  "p": "1569/2500", "pi_accession": "93/5000", "rho": "8487/50000", "tau": "122/25",
                  "x_D": "13639/20000", "x_prewar": "29/125"}


def test_nato_is_not_a_restriction_the_proposer_differs(settlement):
    """Kyiv proposes in nato, Russia in the settlement. At PROPOSER_POINT (no talks-year shift, no blame, no
    friendly-Ukraine value) Ukraine accepts both Donbas packages and Russia complies with both, so only the
    choice between them differs: Kyiv offers the open path in nato, Russia the neutrality pledge."""
    nato = gtu.load_model("nato")
    vals = {k: F(v) for k, v in PROPOSER_POINT.items()}
    n_res = nato.solve("sequential", None, f=0, **vals)
    assert [eq.outcome for eq in n_res.equilibria] == ["settlement, NATO path open"]
    (plan,) = donbas_without_guarantee(settlement, {**vals, "f_R": 0, "beta_US": 0, "dp_talks": 0})
    assert plan["offer_hold_ct"] == "all of Donbas, neutrality pledge, no guarantee"
    for pkg in ("DPN", "DON"):
        assert plan[f"ukraine_hold_ct_{pkg}"] == "accept" and plan[f"russia_hold_ct_{pkg}"] == "comply", pkg


def test_nato_is_not_a_restriction_russia_may_re_attack(settlement):
    """nato has no re-attack after a signed deal; the settlement has. At the baseline with pi_accession = 0.1
    (f_R = beta_US = dp_talks = 0) nato settles with the path open, while in the settlement Russia would
    re-attack the path deal (the belt ceded, Ukraine's NATO move ahead) and Ukraine, foreseeing it, rejects it."""
    nato = gtu.load_model("nato")
    n_res = nato.solve("sequential", "baseline-2025", pi_accession=F(1, 10))
    assert [eq.outcome for eq in n_res.equilibria] == ["settlement, NATO path open"]
    vals = settlement.values("baseline-2025", {"pi_accession": F(1, 10), "f_R": 0, "beta_US": 0, "dp_talks": 0})
    plans = donbas_without_guarantee(settlement, vals)
    assert plans and all(pl["russia_hold_ct_DON"] == "re-attack" and pl["ukraine_hold_ct_DON"] == "fight on"
                         for pl in plans)
