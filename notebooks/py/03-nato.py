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
# # NATO: a neutrality pledge on Russia's terms
#
# The second point of the framework is "Ukraine not joining NATO" (Stanovaya 2025). Russia bundles it with
# territory: it demands that Ukraine "relinquish control over Donbas, renounce ambitions to join NATO, and
# prevent Western troops from being deployed to its territory" (Wallace 2025), and the United States is "a
# fickle guarantor" whose stance "appears to change with the wind" (Wallace 2025). Can Kyiv promise
# neutrality credibly, is the promise what stands between the two sides, and what does the relapse risk
# $\rho$ do?
#
# This notebook shows the `nato` model: the game, its sources (most of them shared with the other framework
# models through the calibration file `calibration-2025`), the equilibria in every scenario, the thresholds in
# the US hazard, the audience cost and $\rho$ with the conditions under which they hold, and how robust the
# baseline is over the whole parameter box.

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
SEED = 20251     # the robustness sample below is drawn from this seed: the notebook gives the same numbers each run
model = gtu.load_model("nato")
labels = plots.axis_labels(model)
baseline_values = model.values("baseline-2025")


# %% [markdown]
# Three helpers: a table of equilibria per scenario and form, the stretches of a sweep over which the
# equilibrium outcomes stay the same, and a closed-form threshold as a function of one other parameter (the
# rest at the baseline), for the curves on the outcome maps.

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


def curve(threshold, free, xs):
    """A threshold's closed form as a function of the parameter `free`, the others at the baseline."""
    fixed = {sympy.Symbol(k): sympy.nsimplify(v) for k, v in baseline_values.items() if k != free}
    f = sympy.lambdify(sympy.Symbol(free), threshold.expression.subs(fixed), "numpy")
    return np.asarray([float(f(x)) for x in xs])


# %% [markdown]
# ## 1. The game
#
# Kyiv moves first: it **rejects Russia's terms** (the war continues), or **cedes Donbas** (Russia's share
# $x_D$ a year) with a **neutrality pledge** or with its **NATO path kept**. Moscow sees which and **settles**
# or **fights on**. The Donbas deal collapses with the calibration's hazard $h_D = \rho(1+\kappa)$ (a
# capitulation is likelier to unravel) into a war fought at Russia's odds $p + \Delta p_B + \Delta p_E$ (the
# fortified belt is gone). While it holds, Washington may back Ukraine's accession, with probability
# $\pi_N$ (`pi_accession`) a year; Kyiv then keeps its word or reneges (after a pledge) or seeks accession
# (on the NATO path). Accession is worth $m$ to Ukraine and costs Russia $\tau$, and Russia attacks again;
# breaking a pledge costs Kyiv the audience cost $a$ (Fearon 1997). So reneging is a relapse the model
# produces itself: the yearly collapse risk rises from $h_D$ to $h_D + (1-h_D)\pi_N$.

# %%
baseline = model.solve("sequential", "baseline-2025")
gtu.draw_tree(model.game("sequential", "baseline-2025"), equilibrium=baseline[0], title="nato, baseline-2025")

# %% [markdown]
# The payoffs are written with named definitions (`gtu show nato` lists them): `settle(s, h, W)` is the
# calibration's relapse value, and `exposed(s, W, A)` the model's own, a deal that may also end in an
# accession war. The normal form is the tree's reduced strategic form: Moscow's four plans ("settle only on a
# neutrality pledge" is W1's demand) against Kyiv's five. At the baseline:

# %%
model.game("normal", "baseline-2025")

# %% [markdown]
# ## 2. Sources
#
# Every number is traced: a quote from the analysis, a citation with the number it gives, or the statement
# that nobody gives one (then the range is wide, and the sweeps below cover it). The parameters the framework
# models share ($\delta$, $\rho$, $p$, the war costs, $x_D$, $\kappa$, $\Delta p_B$, $\Delta p_E$, the pre-war
# share and $\pi_N$) come from the calibration, with one default, range and source for all three models; the
# display says which:

# %%
model

# %% [markdown]
# ## 3. Equilibria per scenario

# %%
equilibria_table(model)

# %% [markdown]
# In every scenario the war continues, and not over NATO: **Kyiv rejects Russia's terms**. Moscow would settle
# on any of them, but even their best version for Kyiv (the Donbas cession with the NATO path kept and used if
# Washington backs accession) is worth less to Ukraine than fighting on. The relapse of a capitulation into a
# war without the fortified belt costs Kyiv more than the split is worth. (With the reassurance force Moscow
# would fight the open path, and Kyiv is indifferent between rejecting and offering it: two subgame-perfect
# equilibria, one outcome.)
#
# ## 4. The fickle US: a window of settlement
#
# A more likely US turn makes the open NATO path worth more to Kyiv and less to Moscow. Kyiv accepts the deal
# with the path open from $\pi_U^*$ on, Moscow refuses it above $\pi_R^*$; in between the outcome is a
# settlement with the NATO path open. Each threshold comes with the conditions under which its direction holds
# (the signs of what solving the indifference divides by):

# %%
window = gtu.thresholds(model, "pi_accession", form="sequential", scenario="baseline-2025")
for name, t in zip((r"\pi_U^*", r"\pi_R^*"), window):
    display(Math(name + " = " + sympy.latex(sympy.Rational(t.exact)) + rf" \approx {t.value:.4f}"))
pd.DataFrame([{"threshold": str(t.exact), "change": t.change, "conditions": "; ".join(t.conditions),
               "hold at the baseline": t.conditions_hold} for t in window])

# %% [markdown]
# The calibration's default, $\pi_N = 0.02$ a year, lies well below $\pi_U^*$: the baseline does not sit on a
# knife-edge in the US hazard. A sweep over the whole range shows the window and the payoffs in it:

# %%
sweep_pi = gtu.sweep(model, {"pi_accession": "0:0.2:81"}, form="sequential", scenario="baseline-2025")
display(outcome_runs(sweep_pi, "pi_accession"))
plots.payoffs_vs(sweep_pi, "pi_accession", thresholds=window, labels=labels,
                 title="nato, baseline-2025: SPE payoffs against the US hazard")

# %% [markdown]
# ## 5. The pledge is cheap talk
#
# In a year Washington backs accession Kyiv keeps its pledge iff the audience cost reaches $a^*$ (for any
# $\pi_N > 0$; at 0 that year never comes). At the baseline $a = 0.5$, far below:

# %%
a_star = gtu.thresholds(model, "a", form="sequential", scenario="baseline-2025")[0]
display(Math(r"a^* = " + sympy.latex(sympy.Rational(a_star.exact)) + rf" \approx {a_star.value:.4f} > a = 0.5"))
a_star.conditions

# %% [markdown]
# Moscow's demand "settle only on a neutrality pledge" (W1) is met only where the pledge is credible *and* the
# open path is not acceptable to Moscow. The model file's findings give such a point: $x_D = 0.55$,
# $\pi_N = 0.2$, $k = 0$; with $a = 5$ the subgame-perfect outcome is a settlement on Russian terms, with
# $a = 0.5$ the war continues:

# %%
point = {"x_D": "0.55", "pi_accession": "0.2", "k": "0"}
pd.DataFrame([{"a": a, "SPE outcome": model.solve("sequential", "baseline-2025", **point, a=a)[0].outcome}
              for a in ("5", "0.5")])

# %% [markdown]
# ## 6. How the equilibria move with $\rho$
#
# Relapse risk shortens every deal. At the baseline there is one threshold in $[0.01, 0.5]$: below it the
# Donbas deal with the NATO path open is a settlement, above it the war continues (a deal that soon relapses
# into a war without the belt is not worth the cession to Kyiv).

# %%
rho_thresholds = gtu.thresholds(model, "rho", form="sequential", scenario="baseline-2025")
pd.DataFrame([{"rho*": str(t.exact), "value": round(t.value, 4), "change": t.change,
               "conditions": "; ".join(t.conditions)} for t in rho_thresholds])

# %% [markdown]
# ### An outcome map: $\rho$ against the US hazard $\pi_N$
#
# Both effects on one map (a 25 × 25 grid of exact solves). The dashed curves are the closed forms of
# $\pi_U^*$ (Kyiv accepts the open path above it) and $\pi_R^*$ (Moscow refuses it above it) as functions of
# $\rho$, the other parameters at the baseline.

# %%
grid = plots.outcome_map_data(model, "rho", "pi_accession", form="sequential", scenario="baseline-2025",
                              nx=25, ny=25)
rhos = np.linspace(0.01, 0.5, 60)
plots.outcome_map(grid, "rho", "pi_accession", labels=labels,
                  curves=[("Kyiv indifferent (pi_U*)", rhos, curve(window[0], "rho", rhos)),
                          ("Moscow indifferent (pi_R*)", rhos, curve(window[1], "rho", rhos))],
                  title="nato, baseline-2025: SPE outcome")

# %% [markdown]
# ## 7. A Western force (S6) and the pre-war reference (S12)
#
# A NATO-country force charged $f\tau$ to Russia makes Moscow refuse the open path from $f = 0.219$ on (in the
# reassurance-force scenario, $f = 0.25$, it does); it does not change the baseline, which Kyiv decides.

# %%
[(str(t.exact), round(t.value, 4), t.change) for t in gtu.thresholds(model, "f", form="sequential",
                                                                      scenario="baseline-2025")]

# %% [markdown]
# "Strategically, there can be no winners" (Stanovaya 2025) compares every equilibrium with the pre-war
# values $x_{0}/(1-\delta)$ and $(1-x_0)/(1-\delta)$. With the calibration's $x_0 = 0.25$ the war leaves
# Ukraine at 2.5 against 7.5, but Russia at 5 against 2.5: the claim holds for Russia only if
# $x_0 > p - c_R$.

# %%
v = {k: float(x) for k, x in baseline_values.items()}
pd.DataFrame({"pre-war value": [v["x_prewar"] / (1 - v["delta"]), (1 - v["x_prewar"]) / (1 - v["delta"])],
              "SPE payoff": [float(x) for x in baseline[0].payoffs]}, index=model.players)

# %% [markdown]
# ## 8. How robust is the baseline?
#
# One point of the parameter space proves little. `gtu.robustness` draws points uniformly from every
# parameter's [low, high] (seeded), solves each exactly on the batched engine and reports each outcome's share
# of the box with a 95 % Wilson interval, and the parameters that decide it (Sobol' indices). A small sample
# here; `gtu robustness nato --form sequential --samples 4096` gives tighter intervals.

# %%
robust = gtu.robustness(model, form="sequential", samples=512, sobol_samples=256, seed=SEED)
pd.DataFrame([{"outcome": o.outcome, "share": round(o.share, 3), "95 % interval": f"{o.ci_low:.3f}-{o.ci_high:.3f}"}
              for o in robust.outcomes])

# %% [markdown]
# The war is the equilibrium outcome over most of the box, in line with the model file's 400-point check. Which
# parameters decide it (the five largest total indices $S_T$ of the indicator "war continues"):

# %%
drivers = pd.DataFrame([{"parameter": d.parameter, "S1": round(d.S1, 3), "ST": round(d.ST, 3)}
                        for d in robust.drivers if d.outcome == "war continues"])
drivers.sort_values("ST", ascending=False).head(5)

# %% [markdown]
# ## 9. What the model finds

# %%
with open(model.path, encoding="utf-8") as f:
    findings = yaml.safe_load(f)["findings"]
for finding in [findings] if isinstance(findings, str) else findings:
    for paragraph in finding.splitlines():
        if paragraph.strip():
            print(textwrap.fill(paragraph, 110) + "\n")
