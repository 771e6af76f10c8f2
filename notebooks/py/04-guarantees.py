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
# # Guarantees: does any security guarantee deter a re-attack?
#
# The third point of the framework is "security guarantees for Ukraine" (Stanovaya 2025). Zelensky wants
# "security guarantees from Western allies to deter future conflict" (Wallace 2025). What is on the table,
# in Stanovaya's reading: a European "reassurance force" that "will not be intended to fight Russia and
# essentially amount to moral support for Kyiv"; US air support that is "likely", for which the Europeans
# would pay; and Russia's own version, in which the guarantors include Russia and "each guarantor would have
# the right to veto decisions".
#
# This notebook shows the `guarantees` model, a three-player game (Russia, Ukraine, Europe; the United
# States is a chance move): the game, its sources, the equilibria in every scenario and how they move with
# the relapse risk $\rho$.

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
model = gtu.load_model("guarantees")
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
# Ukraine first chooses between *sign the settlement* (Russia gets $x$ of the contested stake a year) and
# *fight on*. After a signature Russia *complies* or *re-attacks*:
#
# - *comply*: the settlement still carries the Minsk-style relapse risk $\rho$ a year, into a war in which
#   Russia's odds are $p + \Delta p_{after}$ (Ukraine has demobilised, the US has left); no guarantor
#   answers that murky unravelling;
# - *re-attack*: relapse made certain. A veto blocks any response with probability $v$; otherwise the
#   guarantor is "hard" with probability $q$ and answers with troops (Zagare and Kilgour's committed
#   defender); failing that Europe chooses *troops*, *air support only* (it pays the US, which flies with
#   probability $\pi_{US}$) or *acquiesce*, at the audience cost $a_E$.

# %%
baseline = model.solve("sequential", "baseline-2025")
gtu.draw_tree(model.game("sequential", "baseline-2025"), equilibrium=baseline[0], title="guarantees, baseline-2025")

# %% [markdown]
# The stated normal form (Ukraine 2 × Russia 2 × Europe 3) is the tree's reduced normal form, with expected
# payoffs over the chance moves: one table for each of Europe's actions.

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
# In every scenario the subgame-perfect outcome is **war continues**: Russia would re-attack a signed
# settlement (its post-settlement war, $p + \Delta p_{after} - c_R = 0.6$ a year, is worth more than the
# terms $x = 0.55$), Europe would acquiesce (the audience cost $a_E = 0.5$ is below the cost of calling in
# air support, $(c_A + \nu)/(1-\delta) = 1.4$), and Ukraine, foreseeing both, fights on. The normal form
# also has "settlement holds" equilibria, but they rest on Europe's threat to fight, which is not credible:
# the chain-store logic behind Stanovaya's "no reason to believe it will suddenly be prepared to do so"
# (S11).
#
# ## 4. How the equilibria move with $\rho$
#
# In the four scenarios the subgame-perfect outcome does not depend on $\rho$: a re-attack makes relapse
# certain whatever $\rho$ is, and a Ukraine that foresees it does not sign.

# %%
pd.DataFrame([{"scenario": s, "thresholds in rho (sequential form)":
               len(gtu.thresholds(model, "rho", form="sequential", scenario=s))} for s in model.scenarios])

# %% [markdown]
# The normal form is another matter. Its non-credible "settlement holds" equilibria survive only while
# Ukraine prefers a settlement Russia keeps to fighting on, that is while the relapse war, worse for
# Ukraine than today's, is far enough away:

# %%
normal = gtu.thresholds(model, "rho", form="normal", scenario="baseline-2025", grid=41)
t = normal[0]
display(Math(r"\rho = " + sympy.latex(t.expression) + " = " + sympy.latex(sympy.Rational(t.exact))))
t.change

# %% [markdown]
# ### Where the guarantee is partly credible
#
# With a guarantor that is "hard" half the time ($q = 1/2$), $\rho$ matters twice. Ukraine signs a
# settlement Russia keeps only while $\rho \le 2/9$; and Russia keeps it only while $\rho \ge 1/16$, because
# a higher Minsk-style risk makes an open re-attack less attractive (unravelling brings the same war with no
# guarantor answering it). So the settlement holds only in a window:

# %%
partial = gtu.thresholds(model, "rho", form="sequential", scenario="baseline-2025", values={"q": "1/2"})
pd.DataFrame([{"rho": str(t.exact), "value": round(t.value, 4), "change": t.change} for t in partial])

# %%
sweep = gtu.sweep(model, {"rho": "0.01:0.5:99", "q": 0.5}, form="sequential", scenario="baseline-2025")
display(outcome_runs(sweep, "rho"))
plots.payoffs_vs(sweep, "rho", thresholds=partial, labels=labels,
                 title="guarantees, q = 1/2: SPE payoffs against rho")

# %% [markdown]
# ### An outcome map: $\rho$ against the guarantor's resolve $q$
#
# Deterrence holds iff $(1 - v)\,q \ge q^*$, Zagare and Kilgour's condition for these payoffs, with
# $q^* = (1-\delta)(1-\rho)\tau / ((1 - \delta + \delta\rho)\,g_H)$, $\tau = p + \Delta p_{after} - c_R - x$
# and $g_H = g_T + \pi_{US} g_A$; the settlement is signed only left of $\rho = 2/9$. The map (25 × 25 points)
# and the closed form $q^*(\rho)$, dashed:

# %%
grid = plots.outcome_map_data(model, "rho", "q", form="sequential", scenario="baseline-2025", nx=25, ny=25)
v = {k: float(val) for k, val in model.values("baseline-2025").items()}
tau = v["p"] + v["dp_after"] - v["c_R"] - v["x"]
g_h = v["g_T"] + v["pi_US"] * v["g_A"]
rhos = [0.01 + 0.49 * i / 80 for i in range(81)]
q_star = [(1 - v["delta"]) * (1 - r) * tau / ((1 - v["delta"] + v["delta"] * r) * g_h) for r in rhos]
plots.outcome_map(grid, "rho", "q", labels=labels, curves=[("q* (Zagare-Kilgour)", rhos, q_star)],
                  title="guarantees, baseline-2025: SPE outcome")

# %% [markdown]
# ## 5. What the model finds

# %%
with open(model.path, encoding="utf-8") as f:
    findings = yaml.safe_load(f)["findings"]
for finding in [findings] if isinstance(findings, str) else findings:
    for paragraph in finding.splitlines():
        if paragraph.strip():
            print(textwrap.fill(paragraph, 110) + "\n")
