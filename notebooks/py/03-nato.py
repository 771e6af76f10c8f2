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
# # NATO: a neutrality pledge as a commitment problem
#
# The second point of the framework is "Ukraine not joining NATO" (Stanovaya 2025). Russia demands that
# Ukraine "renounce ambitions to join NATO" (Wallace 2025), and the United States is "a fickle guarantor"
# whose stance "appears to change with the wind" (Wallace 2025). Can Kyiv promise neutrality credibly, and
# what does the relapse risk $\rho$ do to that promise?
#
# This notebook shows the `nato` model: the game, its sources, the equilibria in every scenario and how
# they move with $\rho$.

# %%
# %matplotlib inline
import textwrap

import pandas as pd
import sympy
import yaml
from IPython.display import Math, display

import gametheory_ukraine as gtu
from gametheory_ukraine.output import plots

pd.set_option("display.max_colwidth", None)
model = gtu.load_model("nato")
labels = plots.axis_labels(model)


# %% [markdown]
# The same two helpers as in the territory notebook:

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
# Kyiv moves first: **neutrality pledge** or **keep NATO path**. Moscow sees the move and **settles** or
# **fights on**. A settlement pays Russia $x$ a year and falls back into the same war with probability
# $\rho$ a year. While it holds, Washington may back Ukraine's accession (probability $\pi_{US}$ a year);
# in that year Kyiv keeps its word or reneges (after a pledge) or seeks accession (on the NATO path).
# Accession is worth $m$ to Ukraine and costs Russia $\tau$, and Russia attacks again; breaking a pledge
# costs Kyiv the audience cost $a$ (Fearon 1997). So reneging is a relapse the model produces itself: it
# raises the yearly collapse risk from $\rho$ to $\rho + (1-\rho)\pi_{US}$.

# %%
baseline = model.solve("sequential", "baseline-2025")
gtu.draw_tree(model.game("sequential", "baseline-2025"), equilibrium=baseline[0], title="nato, baseline-2025")

# %% [markdown]
# The normal form is the tree's strategic form: Moscow's four plans ("settle only on a neutrality pledge" is
# W1's demand) against Kyiv's four. At the baseline:

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

# %%
equilibria_table(model)

# %% [markdown]
# At the baseline the pledge is cheap talk: Kyiv would renege as soon as Washington backs accession, so
# Moscow fights on whatever Kyiv says, and the war continues. The pledge would be credible only with an
# audience cost of at least $a^*$:

# %%
a_star = gtu.thresholds(model, "a", form="sequential", scenario="baseline-2025")[0]
display(Math(r"a^* = " + sympy.latex(a_star.expression) + rf" \approx {a_star.value:.3f} > a = 0.5"))

# %% [markdown]
# In the managed freeze the US walks away ($\pi_{US} = 0.02$), Moscow accepts a Kyiv that keeps its NATO
# path, and the outcome is a **managed freeze**. The normal form also has a Nash equilibrium in which
# Moscow's threat to fight the NATO path makes Kyiv pledge (and later renege): a threat that is not
# subgame-perfect, the chain-store logic.
#
# ## 4. How the equilibria move with $\rho$
#
# At the baseline they do not move at all: there is no threshold in $[0.01, 0.5]$.

# %%
baseline_thresholds = gtu.thresholds(model, "rho", form="sequential", scenario="baseline-2025")
len(baseline_thresholds), baseline_thresholds.over

# %% [markdown]
# Relapse risk pushes in two opposite directions, which two variants of the baseline show.
#
# **A costlier pledge ($a = 2$).** A higher $\rho$ makes the pledge *less* credible ($da^*/d\rho > 0$):
# the outcome turns from a settlement on Russian terms into war at $\rho_c$.

# %%
costly = gtu.thresholds(model, "rho", form="sequential", scenario="baseline-2025", values={"a": 2})
t = costly[0]
display(Math(r"\rho_c = " + sympy.latex(t.expression) + " = " + sympy.latex(sympy.Rational(t.exact))))
t.change

# %%
sweep_a = gtu.sweep(model, {"rho": "0.01:0.5:99", "a": 2}, form="sequential", scenario="baseline-2025")
display(outcome_runs(sweep_a, "rho"))
plots.payoffs_vs(sweep_a, "rho", thresholds=costly, labels=labels, title="nato, a = 2: SPE payoffs against rho")

# %% [markdown]
# **A less fickle US ($\pi_{US} = 0.03$).** A higher $\rho$ makes Moscow *more* willing to accept an open
# NATO path: falling back into the same war costs it nothing against fighting on now, and a shorter
# settlement leaves less time for Washington to back accession. The outcome turns from war into a managed
# freeze at $\rho_s$.

# %%
steady = gtu.thresholds(model, "rho", form="sequential", scenario="baseline-2025", values={"pi_US": "0.03"})
t = steady[0]
display(Math(r"\rho_s = " + sympy.latex(t.expression) + " = " + sympy.latex(sympy.Rational(t.exact))))

# %%
sweep_pi = gtu.sweep(model, {"rho": "0.01:0.5:99", "pi_US": 0.03}, form="sequential", scenario="baseline-2025")
display(outcome_runs(sweep_pi, "rho"))
plots.payoffs_vs(sweep_pi, "rho", thresholds=steady, labels=labels,
                 title="nato, pi_US = 0.03: SPE payoffs against rho")

# %% [markdown]
# ### An outcome map: $\rho$ against the US hazard $\pi_{US}$
#
# The two effects on one map (a 25 × 25 grid); the dashed curve is Moscow's acceptance condition
# $x - (p - c_R) = \delta(1-\rho)\pi_{US}\tau$ solved for $\pi_{US}$. Below it Moscow accepts a Kyiv that keeps
# its NATO path: a managed freeze. (At $\pi_{US} = 0$ Washington never backs accession, the path is never
# used, and the managed freeze is the same play as a compromise settlement: the solver reports both.)

# %%
grid = plots.outcome_map_data(model, "rho", "pi_US", form="sequential", scenario="baseline-2025", nx=25, ny=25,
                              y_range=("0", "0.06"))
v = {k: float(val) for k, val in model.values("baseline-2025").items()}
rhos = [0.01 + 0.49 * i / 60 for i in range(61)]
pi_star = [(v["x"] - v["p"] + v["c_R"]) / (v["delta"] * (1 - r) * v["tau"]) for r in rhos]
plots.outcome_map(grid, "rho", "pi_US", labels=labels, curves=[("Moscow indifferent", rhos, pi_star)],
                  title="nato, baseline-2025: SPE outcome")

# %% [markdown]
# ## 5. What the model finds

# %%
with open(model.path, encoding="utf-8") as f:
    findings = yaml.safe_load(f)["findings"]
for finding in [findings] if isinstance(findings, str) else findings:
    for paragraph in finding.splitlines():
        if paragraph.strip():
            print(textwrap.fill(paragraph, 110) + "\n")
