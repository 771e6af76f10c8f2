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
# # Territory: Russia's demand, Ukraine's answer, and a deal either side may break
#
# The first point of the 2025 framework is "the exchange of territory" (Stanovaya 2025). Wallace (2025):
# "Russia continues to demand that Ukraine relinquish control over Donbas, renounce ambitions to join NATO,
# and prevent Western troops from being deployed to its territory. In return, Moscow has hinted at only
# limited territorial concessions and an end to active hostilities, serving little benefit to Ukraine."
#
# This notebook shows the `territory` model: the game, its sources, the equilibria in every scenario and how
# they move with the relapse risk $\rho$.

# %%
# %matplotlib inline
import textwrap

import numpy as np
import pandas as pd
import sympy
import yaml
from IPython.display import Math, display

import gametheory_ukraine as gtu
from gametheory_ukraine.output import plots

pd.set_option("display.max_colwidth", None)
model = gtu.load_model("territory")
labels = plots.axis_labels(model)


# %% [markdown]
# Two helpers used below (the same in the `nato` and `guarantees` notebooks): a table of equilibria per
# scenario and form, and the stretches of $\rho$ over which the equilibrium outcomes stay the same.

# %%
def equilibria_table(model, forms=("sequential", "normal")):
    """For every scenario and form: how many equilibria, their outcomes and payoffs."""
    rows = []
    for scenario in model.scenarios:
        for form in forms:
            result = model.solve(form, scenario)
            found = {}
            for eq in result:
                found.setdefault(eq.outcome, set()).add(tuple(round(float(v), 3) for v in eq.payoffs))
            rows.append({"scenario": scenario, "form": form, "equilibria": len(result),
                         "outcomes (payoffs " + ", ".join(model.players) + ")":
                             "; ".join(f"{o} {sorted(p)}" for o, p in found.items())})
    return pd.DataFrame(rows).set_index(["scenario", "form"])


def outcome_runs(df, param):
    """Consecutive stretches of `param` in a sweep table over which the set of equilibrium outcomes is the same."""
    per_point = df.groupby(param)["outcome"].agg(lambda s: " | ".join(sorted(set(s.dropna()))))
    runs = []
    for value, label in per_point.items():
        if runs and runs[-1]["outcomes"] == label:
            runs[-1]["to"] = value
        else:
            runs.append({"from": value, "to": value, "outcomes": label})
    return pd.DataFrame(runs)


# %% [markdown]
# ## 1. The game
#
# Russia names its terms: *demand all of Donbas*, a *limited swap* or *freeze at the current line*.
# Ukraine accepts or fights on. After a deal Russia, then Ukraine, keeps it or breaks it: Wallace's warning
# that deals "collapse the moment one side believes it can achieve more on the battlefield", and Fearon's
# (1995) strategic territory. Payoffs are present values, in years of the contested stake:
#
# - war: $W_R = (p - c_R)/(1-\delta)$ for Russia, $W_U = (1 - p - c_U)/(1-\delta)$ for Ukraine;
# - a deal $d$ that pays $s$ a year and collapses with hazard $\rho_d$ into a war worth $W'$:
#   $V = (s + \delta\rho_d W')/(1 - \delta(1-\rho_d))$, with $\rho_D = \rho(1+\kappa)$ for the Donbas deal,
#   $\rho_S = \rho(1 + \kappa\sigma)$ for the swap, $\rho_F = \rho$ for the freeze (S10: the more
#   capitulatory, the less durable);
# - a broken deal pays its split for one year, then war: the same formula with hazard 1, $s + \delta W'$;
# - every war after a deal is fought at the odds it left: $p + \Delta p_B + \Delta p_E$ once the fortified
#   belt is ceded, $p + \Delta p_E$ after the swap or the freeze. A side breaks a deal iff its yearly war value
#   at those odds exceeds its yearly share.
#
# The tree at the baseline, with the subgame-perfect equilibrium drawn thick:

# %%
baseline = model.solve("sequential", "baseline-2025")
gtu.draw_tree(model.game("sequential", "baseline-2025"), equilibrium=baseline[0], title="territory, baseline-2025")

# %% [markdown]
# The normal form is 6 × 14: Russia's demand and its keep/break plan against Ukraine's answers to the three
# demands (keep, break or reject), restricted to plans that keep every pure Nash outcome of the tree (the
# model file's `form_differences` proves it). Its payoffs, symbolic and at the baseline:

# %%
model.symbolic("normal")

# %%
model.game("normal", "baseline-2025")

# %% [markdown]
# ## 2. Sources
#
# Every number is traced: a quote from the analysis, a citation with the number it gives, or the statement
# that nobody gives one (then the range is wide, and the sweeps below cover it). The model's display lists
# the parameters with their ranges and sources, and the scenarios with what each represents:

# %%
model

# %% [markdown]
# ## 3. Equilibria per scenario
#
# Both forms, every scenario, solved exactly. The sequential form gives the subgame-perfect equilibria; the
# normal form every extreme Nash equilibrium (several of them can be the corners of one continuum).

# %%
equilibria_table(model)

# %% [markdown]
# At the baseline Russia demands all of Donbas and Ukraine fights on: **war continues**. The demand
# $x_D = 0.7$ lies inside Fearon's one-off bargaining range $(0.5, 0.75)$, so the refusal does not come from
# the split. It comes from relapse: the Donbas deal collapses with hazard $\rho(1+\kappa) = 0.19$ a year, and
# the next war starts without the fortified belt. Russia would break the swap and the freeze (worth less to
# it a year than war), so it prefers war to them. In the managed freeze (Western unity eroding during the
# pause, $\Delta p_E = 0.05$; a fragile limbo, $\rho = 0.3$) Russia would break any swap or freeze to fight
# at the eroded odds, Ukraine foresees it and rejects them: war continues.
#
# ## 4. How the equilibria move with $\rho$
#
# ### Thresholds in closed form

# %%
rows = []
for scenario in model.scenarios:
    for t in gtu.thresholds(model, "rho", form="sequential", scenario=scenario):
        rows.append({"scenario": scenario, "rho*": str(t.exact), "value": round(t.value, 4), "change": t.change,
                     "closed form": str(t.expression)})
thresholds = pd.DataFrame(rows)
thresholds

# %% [markdown]
# The first one is where Ukraine stops ceding Donbas:

# %%
t = gtu.thresholds(model, "rho", form="sequential", scenario="baseline-2025")[0]
display(Math(r"\rho^* = " + sympy.latex(t.expression) + r" = " + sympy.latex(sympy.Rational(t.exact))))

# %% [markdown]
# ### A sweep over $\rho$
#
# At the baseline the outcome turns from a settlement on Russian terms to war at $\rho^* = 1/27$, and then
# stays war over the whole range:

# %%
sweep = gtu.sweep(model, {"rho": "0.01:0.5:99"}, form="sequential", scenario="baseline-2025")
outcome_runs(sweep, "rho")

# %%
found = gtu.thresholds(model, "rho", form="sequential", scenario="baseline-2025")
plots.payoffs_vs(sweep, "rho", thresholds=found.thresholds, labels=labels,
                 title="territory, baseline-2025: SPE payoffs against rho")

# %% [markdown]
# With the managed-freeze values (eroding unity) Ukraine cedes Donbas below $\rho^* = 2/81$; above it the
# war continues, since Russia would break a swap or a freeze.

# %%
freeze = gtu.sweep(model, {"rho": "0.01:0.5:99"}, form="sequential", scenario="managed-freeze")
display(outcome_runs(freeze, "rho"))
plots.payoffs_vs(freeze, "rho", thresholds=gtu.thresholds(model, "rho", form="sequential", scenario="managed-freeze"),
                 labels=labels, title="territory, managed-freeze: SPE payoffs against rho")

# %% [markdown]
# ### An outcome map: $\rho$ against the value of the fortified belt
#
# The threshold moves with $\Delta p_B$: the more the belt is worth in the next war, the lower the relapse
# risk Ukraine can accept. The map solves the game on a 31 × 21 grid; the dashed curve is the closed form
# $\rho^*(\Delta p_B)$, the threshold's expression with every other parameter at the baseline.

# %%
grid = plots.outcome_map_data(model, "rho", "dp_belt", form="sequential", scenario="baseline-2025",
                              nx=31, ny=21, x_range=("0.01", "0.1"))
dp_belt, rho = sympy.symbols("dp_belt rho")
others = {sympy.Symbol(k): v for k, v in model.values("baseline-2025").items() if k != "dp_belt"}
rho_star = sympy.lambdify(dp_belt, t.expression.subs(others))
dps = np.linspace(0.02, 0.15, 50)
plots.outcome_map(grid, "rho", "dp_belt", labels=labels, curves=[("closed-form rho*", rho_star(dps), dps)],
                  title="territory, baseline-2025: SPE outcome")

# %% [markdown]
# ## 5. What the model finds
#
# The model file records its findings, including where it does not reproduce the analysis:

# %%
with open(model.path, encoding="utf-8") as f:
    findings = yaml.safe_load(f)["findings"]
for finding in [findings] if isinstance(findings, str) else findings:
    for paragraph in finding.splitlines():
        if paragraph.strip():
            print(textwrap.fill(paragraph, 110) + "\n")
