# ---
# jupyter:
#   jupytext:
#     cell_metadata_filter: tags,-all
#     formats: ipynb,py//py:percent
#     notebook_metadata_filter: kernelspec,jupytext,-jupytext.text_representation.jupytext_version
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # The whole settlement: territory, NATO and guarantees in one package
#
# The 2025 framework has three points: "the exchange of territory", Ukraine not joining NATO, and security
# guarantees (Stanovaya 2025). The notebooks `02-territory`, `03-nato` and `04-guarantees` model each point
# alone, and each of them ends in **war continues** in every scenario. This notebook asks:
#
# > Does negotiating the three points together, as one package under one relapse risk, bring a deal that
# > none of the single points brings?
#
# It shows the `settlement` model: the game in short, its subgame-perfect equilibrium (SPE) at the baseline
# told in words, the four scenarios, the comparison with the single-point models, where the deal comes from,
# Russia's choice of the talks format ("ceasefire first" or comprehensive talks) and Europe's role. Every
# solve is exact (fractions, no randomness) and takes well under a second; every number printed below is
# computed here.

# %%
# %matplotlib inline
from fractions import Fraction

import matplotlib.figure
import numpy as np
import pandas as pd

import gametheory_ukraine as gtu
from gametheory_ukraine.analysis.thresholds import thresholds
from gametheory_ukraine.games.tree import Chance, Terminal

pd.set_option("display.max_colwidth", None)
model = gtu.load_model("settlement")
model.players

# %% [markdown]
# ## 1. The game in short
#
# Three players, one tree. In order of play:
#
# 1. **Europe** sets its support before the talks: *raise support* (Russia's odds fall by $d_E$ in every
#    later war, at a cost $C_E$ to Europe) or *hold support*.
# 2. **Russia** picks the talks format: *ceasefire first* (the line is frozen for the year of talks and
#    Ukraine rearms: Russia's odds fall by $\Delta p_R$) or *comprehensive talks* (the year of talks is fought,
#    and Russia's offensive raises its odds by $\Delta p_T$). The format is Russia's move because Russia won
#    it in 2025 (Stanovaya 2025).
# 3. **Russia** offers one package of twelve: a territory (all of Donbas, a limited swap, a freeze at the
#    line) × a NATO point (a neutrality pledge, or the NATO path left open) × a guarantee (the Istanbul terms,
#    a reassurance force with US air support on call, or none).
# 4. **Ukraine** accepts or fights on.
# 5. After a deal **Russia** complies or re-attacks; after a re-attack on the reassurance force **Europe**
#    answers with troops, with air support only, or acquiesces.
# 6. If Russia complies, **Ukraine** keeps the deal, makes its NATO move in a year when Washington backs
#    accession (breaks the pledge, or uses the open path), or breaks the deal.
#
# One relapse hazard covers the whole package: it rises with how much territory Ukraine gives up and falls
# with the reassurance force's monitoring. Any collapse ends all three points at once. On top of the shares
# of the stake, two *strategic* values count while a deal holds: $f_R$, Russia's yearly value of a "friendly"
# Ukraine (a neutral Ukraine that ceded less is friendlier), and $v_U$, Ukraine's yearly value of a guarantee
# that works (the reassurance force, when the US flies). Payoffs are present values in years of the contested
# stake. The full description, from the model file:

# %%
print(model.description)

# %% [markdown]
# The tree has a root, two format moves, four offer moves and twelve branches under each offer:

# %%
tree = model.game("sequential", "baseline-2025")
kinds = pd.Series([type(node).__name__ for node in tree.nodes()]).value_counts()
kinds

# %% [markdown]
# The parameters this model adds to the shared calibration, with their defaults and sources:

# %%
own = ["f_R", "v_U", "mu_F", "beta_US", "dp_talks", "dp_rearm", "d_E", "C_E"]
pd.DataFrame([{"parameter": name, "default": str(model.parameters[name].default),
               "range": f"[{model.parameters[name].low}, {model.parameters[name].high}]",
               "meaning": model.parameters[name].description} for name in own]).set_index("parameter")


# %% [markdown]
# ## 2. Reading an equilibrium
#
# The solver returns each SPE as a behaviour strategy for every player at every information set. Three
# helpers turn it into words: the equilibrium path (the moves actually played), the value of any subgame
# under the equilibrium strategies (what each player expects from that node on), and one table row per solve.

# %%
def node_by_name(tree):
    return {node.name: node for node in tree.nodes()}


def spe_path(tree, strategies):
    """The moves played on the equilibrium path: (player, node, action), until a terminal or a chance node."""
    path, node = [], tree.root
    while not isinstance(node, (Terminal, Chance)):
        player = tree.players[node.player]
        probs = strategies[player][node.infoset]
        action = max(node.actions, key=lambda a: probs[a])
        path.append((player, node.name, action))
        node = node.children[node.actions.index(action)]
    return path, node


def subgame_value(node, strategies, players):
    """Expected payoffs from *node* on when every player follows *strategies* (exact with exact inputs)."""
    if isinstance(node, Terminal):
        return np.array(node.payoffs, dtype=object)
    if isinstance(node, Chance):
        probs = node.probabilities
    else:
        probs = [strategies[players[node.player]][node.infoset][a] for a in node.actions]
    total = np.zeros(len(players), dtype=object)
    for prob, child in zip(probs, node.children):
        if prob != 0:
            total = total + prob * subgame_value(child, strategies, players)
    return total


_solved = {}


def describe(scenario="baseline-2025", **values):
    """Solve the tree and describe its (first) SPE: the path in words, the outcome and the payoffs.

    Returns the table row, the solver's result and the tree (each solve once: the answers are cached)."""
    key = (scenario, tuple(sorted(values.items())))
    if key not in _solved:
        _solved[key] = _describe(scenario, **values)
    return _solved[key]


def _describe(scenario, **values):
    tree = model.game("sequential", scenario, **values)
    result = model.solve("sequential", scenario, **values)
    eq = result.equilibria[0]
    path, end = spe_path(tree, result.strategy_dict(eq))
    moves = {}
    for _, name, action in path:
        moves.setdefault(name.split("_")[0], action)    # the first "europe" node is the root
    row = {"SPE": len(result), "Europe": moves["europe"], "format": moves["format"], "package": moves["offer"],
           "Ukraine": moves["ukraine"], "Russia after": moves.get("russia", "-"),
           "Ukraine after": moves.get("kyiv", "-"), "outcome": eq.outcome}
    row.update({f"payoff {p}": round(float(v), 3) for p, v in zip(model.players, eq.payoffs)})
    return row, result, tree


# %% [markdown]
# ## 3. The baseline equilibrium, in words

# %%
row, baseline, tree = describe("baseline-2025")
strategies = baseline.strategy_dict(baseline.equilibria[0])
path, end = spe_path(tree, strategies)
print(f"Subgame-perfect equilibria at the baseline: {len(baseline)} (exact: {baseline.exact})\n")
for player, node, action in path:
    print(f"  {player:8s} at {node:16s} -> {action}")
print(f"\nOutcome: {end.outcome}")
print("Payoffs:", ", ".join(f"{p} {float(v):.3f}" for p, v in zip(model.players, baseline.equilibria[0].payoffs)))

# %% [markdown]
# Read top to bottom: Europe holds its support; Russia chooses comprehensive talks, fought during its
# offensive; it asks for **all of Donbas and a neutrality pledge, and accepts a European reassurance force**;
# Ukraine accepts; Russia complies; and Ukraine keeps the deal until a year in which Washington backs
# accession, when it would break the pledge (the move the outcome names; in most years nothing happens).
#
# Why this package? Russia's offer is the best of the twelve for Russia among those Ukraine accepts. The value
# of every package to each side after comprehensive talks (Europe holding), with the SPE play that follows it:

# %%
nodes = node_by_name(tree)


def packages_table(offer_node):
    rows = []
    node = nodes[offer_node]
    for action, child in zip(node.actions, node.children):
        answer = max(child.actions, key=lambda a: strategies["Ukraine"][child.infoset][a])
        value = subgame_value(child, strategies, tree.players)
        rows.append({"package": action, "Ukraine's answer": answer,
                     **{f"value {p}": round(float(v), 3) for p, v in zip(tree.players, value)}})
    return pd.DataFrame(rows).set_index("package")


ct = packages_table("offer_hold_ct")
cf = packages_table("offer_hold_cf")
ct

# %% [markdown]
# Ukraine rejects every Donbas package except the one with the reassurance force: the force lowers the relapse
# hazard and brings Ukraine its security value $v_U\pi_{air}$ a year, enough to make ceding Donbas better than
# fighting on. Ukraine accepts all the swaps and freezes, but each is worth less to Russia.
#
# The same values after a ceasefire first (Europe holding), next to the comprehensive talks: Russia's value of
# each package, hatched where Ukraine fights on. Ukraine's answers differ between the formats: after a year of
# ceasefire, in which it rearms, it rejects even Donbas with the force.

# %%
def package_bars(ct, cf):
    fig = matplotlib.figure.Figure(figsize=(9, 5.2))
    ax = fig.subplots()
    y = np.arange(len(ct))
    for shift, table, label, color in [(-0.2, ct, "comprehensive talks", "#EE8866"),
                                       (0.2, cf, "ceasefire first", "#77AADD")]:
        rejected = table["Ukraine's answer"] != "accept"
        ax.barh(y + shift, table["value Russia"], 0.4, color=color, edgecolor="black", label=label,
                hatch=["//" if r else "" for r in rejected])
    ax.set_yticks(y, ct.index)
    ax.invert_yaxis()
    values = pd.concat([ct["value Russia"], cf["value Russia"]])
    ax.set_xlim(0.9 * values.min(), 1.02 * values.max())
    ax.set_xlabel("Russia's value of the package (years of the stake); hatched: Ukraine fights on")
    ax.set_title("settlement, baseline-2025, Europe holding: Russia's value of each package")
    ax.legend(loc="lower right")
    fig.tight_layout()
    return fig


package_bars(ct, cf)

# %%
pd.DataFrame({"comprehensive talks": ct["Ukraine's answer"], "ceasefire first": cf["Ukraine's answer"]})

# %% [markdown]
# ## 4. The four scenarios
#
# The scenarios are shared with the single-point models: `istanbul-2` (Russia's odds and demand higher),
# `reassurance-force` (lower relapse risk, the US likelier to fly), `managed-freeze` (Western unity eroding in
# the pause, a fragile limbo, the US less likely to fly). One row per scenario:

# %%
scenarios = pd.DataFrame([{"scenario": s, **describe(s)[0]} for s in model.scenarios]).set_index("scenario")
scenarios

# %% [markdown]
# In every scenario the SPE is unique and ends in a deal. Europe holds and Russia picks comprehensive talks
# each time; in three scenarios the package is Donbas with neutrality and the force, while in the managed
# freeze (a fragile limbo: a high relapse risk, the US unlikely to fly) Russia settles for less territory and
# no guarantee. In every scenario Ukraine would break the pledge in a year when the US backs accession.
#
# ## 5. Compared with the single points
#
# The three single-point models, solved in the same scenarios (every SPE outcome, joined when there are
# several equilibria):

# %%
def outcomes(name, scenario):
    result = gtu.load_model(name).solve("sequential", scenario)
    return " | ".join(sorted({eq.outcome for eq in result}))


compare = pd.DataFrame({name: {s: outcomes(name, s) for s in model.scenarios}
                        for name in ["territory", "nato", "guarantees"]})
compare["settlement"] = scenarios["outcome"]
compare

# %% [markdown]
# Each point alone ends in war in every scenario: Ukraine will not cede Donbas without security, Russia will
# not leave the NATO path open, and no guarantee regime is acceptable to both. Linked in one package, they
# give a deal in every scenario: territory and neutrality for Russia, paid for with a guarantee for Ukraine.
#
# ## 6. Where the deal comes from: the strategic values
#
# With $f_R = v_U = 0$ every payoff is the single-point models' (the model file says so). Switching the two
# strategic components off, one at a time and together:

# %%
variants = {"defaults": {}, "f_R = 0": {"f_R": 0}, "v_U = 0": {"v_U": 0}, "f_R = v_U = 0": {"f_R": 0, "v_U": 0}}
strategic = pd.DataFrame([{"variant": name, **describe("baseline-2025", **values)[0]}
                          for name, values in variants.items()]).set_index("variant")
strategic[["SPE", "Europe", "format", "package", "Ukraine", "outcome", "payoff Russia", "payoff Ukraine",
           "payoff Europe"]]

# %% [markdown]
# Without Russia's value of a friendly Ukraine the deal is the same, worth less to Russia. Without Ukraine's
# value of a working guarantee Ukraine no longer cedes Donbas for the force, and Russia offers a limited swap
# with neutrality under the Istanbul terms. Without both, the baseline is **war continues**, as in the
# single-point models: Russia prefers the war to every package Ukraine would accept, and tables one that
# Ukraine rejects (the one that looks most generous in Washington, which then leans towards Russia); Europe,
# facing a war, raises its support. Linking the points does not make the deal by itself: it comes from the
# security value of the reassurance force to Ukraine and Russia's value of a friendly, neutral Ukraine.
#
# ## 7. Ceasefire first or comprehensive talks?
#
# Washington "abandoned his demand for a ceasefire" (Stanovaya 2025); in the model the format is Russia's
# move. Russia's choice compares the subgames that start after each format: its value under each, with
# Europe's equilibrium move, and the package it would offer:

# %%
def format_values(scenario="baseline-2025", **values):
    row, result, tree = describe(scenario, **values)
    strategies = result.strategy_dict(result.equilibria[0])
    nodes = node_by_name(tree)
    europe = "up" if row["Europe"] == "raise support" else "hold"
    out = {"scenario": scenario, "Europe": row["Europe"]}
    for fmt, label in [("cf", "ceasefire first"), ("ct", "comprehensive talks")]:
        offer = nodes[f"offer_{europe}_{fmt}"]
        value = subgame_value(offer, strategies, tree.players)
        package = max(offer.actions, key=lambda a: strategies["Russia"][offer.infoset][a])
        out[f"{label}: Russia"] = round(float(value[0]), 3)
        out[f"{label}: Ukraine"] = round(float(value[1]), 3)
        out[f"{label}: package"] = package
    out["Russia chooses"] = row["format"]
    return out


formats = pd.DataFrame([format_values(s) for s in model.scenarios]).set_index("scenario")
formats

# %% [markdown]
# At the baseline Russia gains this much from refusing the ceasefire, and Ukraine loses this much:

# %%
b = formats.loc["baseline-2025"]
print(f"Russia: {b['comprehensive talks: Russia'] - b['ceasefire first: Russia']:+.3f} years of the stake")
print(f"Ukraine: {b['comprehensive talks: Ukraine'] - b['ceasefire first: Ukraine']:+.3f} years of the stake")

# %% [markdown]
# Russia refuses the ceasefire in every scenario. Under a ceasefire first Russia's year of talks pays only the
# frozen line and Ukraine rearms, so Ukraine's alternative to a deal is better: at the baseline it rejects
# every Donbas package and Russia gets a limited swap. Fighting through the talks pays Russia more during
# them and worsens Ukraine's outside option, so Ukraine cedes Donbas. (With the reassurance force's lower
# relapse risk Ukraine cedes Donbas after a ceasefire too, but Russia still gains from the year of war.)
#
# The two shifts, the offensive's $\Delta p_T$ and the rearming's $\Delta p_R$, have no number in the
# analysis. With both set to 0 the format only changes the year of talks, and Russia's yearly value of the
# two (the frozen line against a year of war at today's odds) decides:

# %%
v = model.values("baseline-2025")
print(f"Russia's year of talks: frozen line x_F = {float(v['x_F']):.3f}, a year of war p - c_R = "
      f"{float(v['p'] - v['c_R']):.3f}")
pd.DataFrame([format_values("baseline-2025", dp_talks=Fraction(0), dp_rearm=Fraction(0))]).set_index("scenario")

# %% [markdown]
# Russia still chooses comprehensive talks, and the package it gets under either format is the same (Europe
# now raises its support: the table shows the subgames after that move). The refusal of a ceasefire does not
# need the offensive's gains: in this calibration a year of war pays Russia more than the frozen line.

# %% [markdown]
# ## 8. Europe's role: "largely decorative"
#
# Stanovaya (2025) calls Europe's role "largely decorative". In the model Europe's one strategic lever is its
# support before the talks: raising it lowers Russia's odds by $d_E$ in every later war, at a cost $C_E$.
# Europe's value of raising and of holding (the subgames after its move) and the equilibrium, for $d_E$ at 0,
# at its default and at the top of its range:

# %%
def europe_row(d_E):
    row, result, tree = describe("baseline-2025", d_E=d_E)
    strategies = result.strategy_dict(result.equilibria[0])
    nodes = node_by_name(tree)
    up = subgame_value(nodes["format_up"], strategies, tree.players)
    hold = subgame_value(nodes["format_hold"], strategies, tree.players)
    return {"d_E": str(d_E), "Europe's value: raise": round(float(up[2]), 3),
            "Europe's value: hold": round(float(hold[2]), 3), "Europe": row["Europe"], "package": row["package"],
            "outcome": row["outcome"], "payoff Russia": row["payoff Russia"], "payoff Ukraine": row["payoff Ukraine"],
            "payoff Europe": row["payoff Europe"]}


d_E_values = [Fraction(0), model.parameters["d_E"].default, Fraction(1, 10)]
europe = pd.DataFrame([europe_row(Fraction(d)) for d in d_E_values]).set_index("d_E")
europe

# %% [markdown]
# At $d_E = 0$ and at the default Europe holds, and the settlement is the same as without Europe's move: its
# support is worth less to it than it costs. At the top of the range ($d_E = 0.1$: a fall of ten points in
# Russia's odds, far more than "neither the military nor financial resources to bring about any rapid change
# to the situation on the battlefield" suggests) Europe raises its support; then Russia can no longer get
# Donbas and offers a limited swap under the Istanbul terms, and Ukraine gains. (Every outcome reached after
# Europe raises its support says so in its label.)
#
# Where between the two does Europe stop being decorative? `thresholds` finds the value of $d_E$ at which the
# outcome changes, exactly, and names the choice that sets it:

# %%
europe_threshold = thresholds(model, "d_E", form="sequential", scenario="baseline-2025", on="outcomes")
for t in europe_threshold.thresholds:
    print(f"d_E* = {t.exact} = {t.value:.4f}\n  {t.direction}\n  {t.change}")

# %% [markdown]
# The threshold is Ukraine's answer to the Donbas package after a raise: above $d_E^* \approx 0.031$ (three
# points of Russia's odds) a raise makes Ukraine reject that package, so raising pays Europe. The indifference
# is linear in $d_E$, and its closed form, with the conditions under which it holds, is in the model's
# findings (`gtu show settlement`).
#
# The SPE payoffs of the three players in every variant of this notebook, side by side:

# %%
def payoff_bars(table, title):
    fig = matplotlib.figure.Figure(figsize=(9, 3.8))
    ax = fig.subplots()
    x = np.arange(len(table))
    for k, (player, color, hatch) in enumerate(zip(model.players, ["#EE8866", "#77AADD", "#BBCC33"],
                                                   ["", "//", ".."])):
        ax.bar(x + (k - 1) * 0.27, table[f"payoff {player}"], 0.27, color=color, hatch=hatch, edgecolor="black",
               label=player)
    ax.set_xticks(x, table.index, rotation=15)
    ax.set_ylabel("SPE payoff (years of the stake)")
    ax.set_title(title)
    ax.legend()
    fig.tight_layout()
    return fig


summary = pd.concat([strategic[["payoff Russia", "payoff Ukraine", "payoff Europe"]],
                     europe.rename(index=lambda d: f"d_E = {d}")[["payoff Russia", "payoff Ukraine",
                                                                   "payoff Europe"]]])
payoff_bars(summary, "settlement, baseline-2025: SPE payoffs by variant")

# %% [markdown]
# ## 9. What the notebook shows
#
# - Negotiated as one package under one relapse risk, the three points give a **deal in every scenario**,
#   where each point alone gives war: Russia gets all of Donbas (a limited swap in the managed freeze) and a
#   neutrality pledge, Ukraine gets a European reassurance force (no guarantee in the managed freeze).
# - The deal is not made by linking alone: with $f_R = v_U = 0$ the baseline is war again. It comes from the
#   security value of the force to Ukraine and the value to Russia of a friendly, neutral Ukraine.
# - Russia prefers comprehensive talks to a ceasefire first in every scenario: fighting while talking pays it
#   more during the talks, weakens Ukraine's outside option and, at the baseline, buys all of Donbas instead
#   of a limited swap.
# - Europe holds its support unless that support would move the battlefield far more than the analysis says
#   it can: its role is decorative.
# - The deal is fragile in the way the analysis fears: Ukraine would break the neutrality pledge in a year
#   when Washington backs accession.
#
# Not done here: thresholds and sweeps of this model (a three-player tree with hundreds of terminal nodes).
# The documentation's explanation page on the settlement model describes it in prose.
