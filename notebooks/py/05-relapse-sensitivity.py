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
# # Relapse risk and sensitivity: thresholds, maps, Sobol indices
#
# Stanovaya (2025) expects any settlement formula to be "doomed to repeat the fate of previous accords
# between Moscow and Kyiv, like the Minsk agreements". The models turn that into one number, the yearly
# relapse risk $\rho$, and this notebook asks how much the equilibria depend on it, and on everything
# else:
#
# 1. the relapse formalism: present values, survival, base rates;
# 2. the critical $\rho$ of every framework model and scenario, in closed form;
# 3. outcome maps over two parameters;
# 4. local sensitivity (derivatives, elasticities) and one-at-a-time swings (tornado);
# 5. global sensitivity: Sobol' indices over the parameter ranges, with a fixed seed.

# %%
# %matplotlib inline
from fractions import Fraction

import matplotlib.figure
import numpy as np
import pandas as pd

import gametheory_ukraine as gtu
from gametheory_ukraine.analysis import relapse, sensitivity
from gametheory_ukraine.output import plots

pd.set_option("display.max_colwidth", 120)
SEED = 20250901   # every random design below is drawn from this seed: the notebook gives the same numbers each run
models = {name: gtu.load_model(name) for name in ("territory", "nato", "guarantees")}

# %% [markdown]
# ## 1. The relapse formalism
#
# A settlement pays side $i$ a yearly $s_i$ while it holds; each year it collapses with probability $\rho$,
# and play reverts to a war worth $W'_i$ at that moment. With discount factor $\delta$ its present value is
#
# $$V_i = \frac{s_i + \delta\rho W'_i}{1 - \delta(1-\rho)},$$
#
# its expected lifetime is $1/\rho$ years and it survives $n$ years with probability $(1-\rho)^n$. A base
# rate "a share $F$ of settlements fails within $N$ years" gives $\rho = 1 - (1-F)^{1/N}$:

# %%
base_rates = pd.DataFrame([
    {"base rate": "40 % fail within 10 years (Collier, Hoeffler & Söderbom 2008)", "F": 0.40, "N": 10},
    {"base rate": "31 % within 10 years, peacekeeping doubled (same)", "F": 0.31, "N": 10},
    {"base rate": "half of interstate ceasefires within 5 years (Fortna 2004)", "F": 0.50, "N": 5},
])
base_rates["rho per year"] = [round(relapse.rho_from_base_rate(f, n), 4) for f, n in zip(base_rates.F, base_rates.N)]
base_rates["expected lifetime (years)"] = [round(float(relapse.expected_duration(r)), 1)
                                           for r in base_rates["rho per year"]]
base_rates

# %%
plots.survival_curves([0.05, 0.093, 0.129, 0.3], years=30,
                      title="Survival of a settlement: baseline 0.129, reassurance force 0.093, managed freeze 0.3")

# %% [markdown]
# When a collapse restores the same war, $\rho$ cancels from the decision to sign: side $i$ signs iff
# $s_i \ge (1-\delta)W_i$. It bites when the relapse war is worse than today's (an army cap, a ceded
# fortified belt): then side $i$ signs iff $s_i \ge (1-\delta)W^0_i + \delta\rho(W^0_i - W'_i)$.

# %%
delta = Fraction(9, 10)
[relapse.signing_threshold(5, 5, rho, delta) for rho in (Fraction(1, 20), Fraction(1, 2))], \
    [relapse.signing_threshold(5, 3, rho, delta) for rho in (Fraction(1, 20), Fraction(1, 2))]

# %% [markdown]
# ## 2. The critical relapse risk of every model and scenario
#
# `thresholds` scans $\rho$ over its range, brackets each change of the equilibrium set exactly and solves
# the indifference condition with sympy (sequential forms: subgame-perfect equilibria).

# %%
rows = []
for name, model in models.items():
    for scenario in model.scenarios:
        found = gtu.thresholds(model, "rho", form="sequential", scenario=scenario)
        for t in found:
            rows.append({"model": name, "scenario": scenario, "rho*": str(t.exact), "value": f"{t.value:.4f}",
                         "change": t.change, "closed form": str(t.expression)})
        if not len(found):
            outcome = model.solve("sequential", scenario)[0].outcome
            rows.append({"model": name, "scenario": scenario, "rho*": "none in [0.01, 0.5]", "value": "",
                         "change": f"always {outcome}", "closed form": ""})
pd.DataFrame(rows).set_index(["model", "scenario"])

# %% [markdown]
# ## 3. Outcome maps
#
# The NATO pledge is credible iff the audience cost $a$ reaches
# $a^*(\rho) = m - (p + \Delta p_B + \Delta p_E + c_U - x_D)/(1 - \delta(1 - \rho(1+\kappa)))$, which rises
# with $\rho$: the riskier the Donbas deal, the less it is worth keeping the pledge. At the baseline Kyiv rejects
# Russia's terms whatever $a$, so the map takes the point of the `nato` findings where the pledge decides
# (a smaller Donbas share $x_D = 0.55$, a likely US turn $\pi_N = 0.2$, no domestic cost $k = 0$). The map
# solves the tree on a 31 × 31 grid; the dashed line is the closed form. Above it and at low $\rho$ the pledge
# is kept and Moscow settles on its terms; at higher $\rho$ the Donbas deal is worth less to Kyiv than the war,
# credible pledge or not.

# %%
nato = models["nato"]
w1_point = {"x_D": "0.55", "pi_accession": "0.2", "k": "0"}
grid = plots.outcome_map_data(nato, "rho", "a", form="sequential", scenario="baseline-2025", nx=31, ny=31,
                              fixed=w1_point)
v = {k: float(val) for k, val in nato.values("baseline-2025").items()} | {k: float(x) for k, x in w1_point.items()}
rhos = np.linspace(0.01, 0.5, 60)
gap = v["p"] + v["dp_belt"] + v["dp_erosion"] + v["c_U"] - v["x_D"]
a_star = v["m"] - gap / (1 - v["delta"] * (1 - rhos * (1 + v["kappa"])))
plots.outcome_map(grid, "rho", "a", labels=plots.axis_labels(nato), curves=[("a*(rho)", rhos, a_star)],
                  title="nato, x_D = 0.55, pi_N = 0.2, k = 0: SPE outcome")

# %% [markdown]
# In the territory model the relapse hazard of a deal rises with how capitulatory it is, $\rho(1 + \kappa a_d)$
# (S10: Ukrainians "will never accept the capitulatory conditions"). A map of $\rho$ against the
# capitulation premium $\kappa$, from a sweep (the batched engine solves the 41 × 21 grid at once):

# %%
territory = models["territory"]
sweep = gtu.sweep(territory, {"rho": "0.01:0.1:41", "kappa": "0:1:21"}, form="sequential", scenario="baseline-2025")
plots.outcome_map(sweep, "rho", "kappa", labels=plots.axis_labels(territory),
                  title="territory, baseline-2025: SPE outcome")

# %% [markdown]
# ## 4. Local sensitivity
#
# Derivatives and elasticities of one equilibrium's payoffs at a point, in closed form where the equilibrium
# has one. In the territory model's managed freeze the equilibrium is war: the pause erodes Western unity
# ($\Delta p_E = 0.05$), so Russia would break the swap or the freeze. With no erosion and a freeze line
# worth a little more to Russia ($\Delta p_E = 0$, $x_F = 0.52$) the limited swap lies inside the bargaining
# range, neither side breaks it, and it is the equilibrium. A higher $\rho$ then lowers its value to both
# sides (each prefers the kept swap to war), and a larger swap ($\sigma$) raises Russia's value and lowers
# Ukraine's by more (the larger concession also raises the hazard).

# %%
point = {"dp_erosion": "0", "x_F": "0.52"}
local = sensitivity.local_sensitivity(territory, form="sequential", scenario="managed-freeze", values=point,
                                      params=["rho", "kappa", "sigma", "delta"])
print(local.attrs["outcome"])
local[local.quantity.str.startswith("payoff:")][["param", "quantity", "value", "derivative", "elasticity",
                                                  "expression"]]

# %% [markdown]
# One parameter at a time over its whole range, the others at the baseline: which parameters swing
# Ukraine's equilibrium payoff most? (A tornado chart; exact solves at both ends of every range.)

# %%
swings = sensitivity.tornado(territory, "payoff:Ukraine", form="sequential", scenario="baseline-2025")
sensitivity.plot_tornado(swings, title="territory, baseline-2025: Ukraine's SPE payoff")

# %% [markdown]
# ## 5. Global sensitivity: Sobol' indices
#
# How much of the variance of an outcome measure over the parameter box comes from each parameter, alone
# (first-order index $S_1$) and with its interactions (total index $S_T$)? The measure here is the
# probability that the equilibrium outcome is war, in the territory tree, with six parameters uniform on
# their ranges (Saltelli's design through SALib, $n (D + 2) = 1024$ solves, seeded).

# %%
sobol = sensitivity.model_sobol(territory, "outcome:war continues", form="sequential", scenario="baseline-2025",
                                params=["rho", "kappa", "dp_belt", "x_D", "p", "c_U"], n=128, seed=SEED)
sobol.round(3)


# %%
def sobol_bars(df, title):
    """First-order and total indices with their 95 % bootstrap intervals, hatched for black and white."""
    fig = matplotlib.figure.Figure(figsize=(7, 3.6))
    ax = fig.subplots()
    y = np.arange(len(df))
    ax.barh(y - 0.2, df["S1"], 0.4, xerr=df["S1_conf"], color="#77AADD", hatch="//", edgecolor="black",
            label="first order $S_1$")
    ax.barh(y + 0.2, df["ST"], 0.4, xerr=df["ST_conf"], color="#EE8866", hatch="..", edgecolor="black",
            label="total $S_T$")
    ax.set_yticks(y, df.index)
    ax.invert_yaxis()
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_xlabel("Sobol' index")
    ax.set_title(title)
    ax.legend(loc="lower right")
    fig.tight_layout()
    return fig


sobol_bars(sobol, "territory: share of the variance of P(war continues)")

# %% [markdown]
# The battlefield odds $p$ dominate: whether the war continues depends first on who is winning it. The
# relapse parameters ($\rho$, $\kappa$, $\Delta p_B$) matter through their interactions ($S_T > S_1$): the
# relapse channel decides only where the Donbas deal is close to acceptable. Estimates near zero can come
# out slightly negative; the bootstrap intervals show the sampling error, which shrinks as $n$ grows
# (`n=1024` takes about a minute).
#
# The same from the shell:
#
# ```bash
# gtu thresholds territory --param rho --scenario baseline-2025
# gtu sensitivity territory --kind tornado --form sequential --scenario baseline-2025 --measure payoff:Ukraine
# gtu sensitivity territory --kind sobol --form sequential --measure "outcome:war continues" --samples 128 --seed 1
# ```
