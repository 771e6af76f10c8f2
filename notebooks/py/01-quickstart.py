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
# # Quickstart: from a model file to a solved game in five minutes
#
# `gametheory_ukraine` encodes the three points of the 2025 Russia–Ukraine framework (exchange of territory,
# Ukraine not joining NATO, security guarantees) as games whose payoffs are **symbolic expressions in named
# parameters**, each parameter traced to its source. It solves them **exactly** and shows how the
# equilibria move with the **relapse risk** $\rho$, the yearly probability that a signed settlement
# collapses back into war.
#
# The worry comes from the analysis the models are built on. Stanovaya (2025): a settlement formula
# "will most likely be doomed to repeat the fate of previous accords between Moscow and Kyiv, like the
# Minsk agreements: rather than settling the conflict once and for all, it may serve as a prologue to
# another war sometime down the road."
#
# This notebook takes one model, `territory`, through the whole workflow: load it, read its parameters and
# their sources, solve both forms, find the critical relapse risk in closed form and plot how the
# equilibrium payoffs move with $\rho$. Run it top to bottom (*Run → Run All Cells*); it takes a few
# seconds.

# %%
# %matplotlib inline
import sympy
from IPython.display import Math, display

import gametheory_ukraine as gtu
from gametheory_ukraine.analysis import relapse
from gametheory_ukraine.output import plots

gtu.__version__

# %% [markdown]
# ## 1. The bundled models
#
# Models are YAML files shipped with the package (`models/` in the repository). Loading one never runs
# code: the file is data, and every payoff is an expression over declared parameters.

# %%
gtu.list_models()

# %%
territory = gtu.load_model("territory")
territory

# %% [markdown]
# ## 2. Parameters, sources and scenarios
#
# The display above is the model file in short: the players, the two forms, every parameter with its
# default, its plausible range and its source (a quote from the analysis, Stanovaya 2025 or Wallace 2025,
# or a citation from the literature; where nobody gives a number the source says so and the range is
# wide), and the scenarios, named sets of parameter values. The same in code:

# %%
rho = territory.parameters["rho"]
rho.default, rho.low, rho.high

# %%
print(rho.source)

# %% [markdown]
# The default $\rho = 0.129$ a year is the base rate "half of settlements fail within five years"
# (Fortna 2004), turned into a yearly hazard by $\rho = 1 - (1 - F)^{1/N}$; a settlement then lasts
# $1/\rho \approx 7.8$ years on average:

# %%
round(relapse.rho_from_base_rate(0.5, 5), 4), float(relapse.expected_duration(rho.default))

# %%
{name: dict(s.values) for name, s in territory.scenarios.items()}

# %% [markdown]
# ## 3. Solve the game
#
# **Sequential form.** Russia names its terms (all of Donbas, a limited swap, a freeze at the current line),
# Ukraine accepts or fights on, and after a cession Russia settles or continues the offensive. The solver
# returns every subgame-perfect equilibrium, in exact rational arithmetic, each with a best-response
# certificate (`regret`, 0 in exact mode).

# %%
result = territory.solve("sequential", "baseline-2025")
result

# %%
eq = result[0]
eq.outcome, dict(zip(result.players, eq.payoffs)), eq.regret

# %%
result.strategy_dict(eq)

# %% [markdown]
# The tree, with the equilibrium path drawn thick:

# %%
gtu.draw_tree(territory.game("sequential", "baseline-2025"), equilibrium=eq, title="territory, baseline-2025")

# %% [markdown]
# **Normal form.** The same game as a 4 × 4 table of plans. The solver enumerates *every* extreme Nash
# equilibrium, degenerate games included; here they form one continuum, and all end in war.

# %%
normal = territory.solve("normal", "baseline-2025")
print(f"{len(normal)} extreme equilibria, continuum: {normal.has_continuum}, complete: {normal.complete}")
sorted({e.outcome for e in normal})

# %% [markdown]
# Any parameter can be changed for one solve. With a low relapse risk Ukraine cedes Donbas:

# %%
low = territory.solve("sequential", "baseline-2025", rho="0.02")
low[0].outcome, [float(v) for v in low[0].payoffs]

# %% [markdown]
# ## 4. The critical relapse risk, in closed form
#
# Where does the equilibrium change? `thresholds` scans $\rho$ over its range, brackets every change exactly
# and solves the indifference condition with sympy:

# %%
found = gtu.thresholds(territory, "rho", form="sequential", scenario="baseline-2025")
t = found[0]
print(f"rho* = {t.exact} = {float(t.exact):.4f} ({t.change})")
print("the direction holds where:", "; ".join(t.conditions), "- here:", t.conditions_hold)

# %%
display(Math(r"\rho^* = " + sympy.latex(t.expression) + r" = " + sympy.latex(sympy.Rational(t.exact))))

# %% [markdown]
# Ukraine cedes all of Donbas only if a settlement is expected to last $1/\rho^* = 27$ years (18 for the
# Donbas deal itself, whose hazard is $\rho(1+\kappa)$), far longer than any base rate.
#
# ## 5. How the equilibrium moves with $\rho$
#
# A sweep solves the game on a grid and returns a tidy table, one row per (point, equilibrium):

# %%
sweep = gtu.sweep(territory, {"rho": "0.01:0.5:99"}, form="sequential", scenario="baseline-2025")
sweep[["rho", "outcome", "payoff:Russia", "payoff:Ukraine"]].head()

# %%
plots.payoffs_vs(sweep, "rho", thresholds=found.thresholds, labels=plots.axis_labels(territory),
                 title="territory, baseline-2025: equilibrium payoffs against rho")

# %% [markdown]
# ## 6. Any game from arrays
#
# The solvers also take plain arrays. Von Stengel's degenerate 3 × 2 game has three extreme equilibria;
# support enumeration in other libraries finds two.

# %%
g = gtu.NormalFormGame.from_arrays([[3, 3], [2, 5], [0, 6]], [[3, 3], [2, 6], [3, 1]])
gtu.solve(g)

# %% [markdown]
# ## Next
#
# - `02-territory`, `03-nato`, `04-guarantees`: each framework model, its sources, its equilibria per
#   scenario and how they move with $\rho$.
# - `05-relapse-sensitivity`: thresholds across models, outcome maps, local and global (Sobol)
#   sensitivity.
# - `06-teaching`: a lesson with exercises, worked solutions and a slider over $\rho$.
# - The same from the shell: `gtu solve territory --form sequential --scenario baseline-2025`,
#   `gtu thresholds territory --param rho --scenario baseline-2025`.
