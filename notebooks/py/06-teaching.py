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
# # A lesson: credible threats, commitment and the risk of relapse
#
# **For** an undergraduate course in game theory or international relations; about 90 minutes.
#
# **You will learn to**
#
# 1. solve a game tree by backward induction and tell a subgame-perfect equilibrium from a Nash equilibrium
#    that rests on a threat nobody would carry out;
# 2. value a settlement that may collapse back into war, with a yearly relapse risk $\rho$;
# 3. find the critical $\rho$ at which a side stops accepting a deal, by hand and with the package;
# 4. connect each step to the analysis of the 2025 peace talks (Stanovaya 2025; Wallace 2025).
#
# Each exercise is followed by a worked solution (cells tagged `solution`; the how-to guide for teachers in
# the documentation shows how to remove them for a student version). Run the notebook top to bottom first.

# %%
# %matplotlib inline
import io
import tempfile
from fractions import Fraction
from pathlib import Path

import matplotlib.figure
import sympy
import yaml
from ipywidgets import Dropdown, FloatSlider, HBox, Image, VBox

import gametheory_ukraine as gtu
from gametheory_ukraine.analysis import relapse
from gametheory_ukraine.output.latex import payoff_table_latex
from gametheory_ukraine.output.tree_drawing import save_tree

# %% [markdown]
# ## Part 1. A threat that is not credible
#
# Stanovaya (2025) doubts that the West would fight Russia after a new escalation: there is "no reason to
# believe it will suddenly be prepared to do so". Game theory's classic version of that doubt is Selten's
# (1978) chain store. An entrant decides whether to enter a market; after entry the incumbent fights (a
# price war that hurts both) or acquiesces.

# %%
chain = gtu.load_model("chain-store")
chain.game("sequential")

# %% [markdown]
# **Exercise 1.** (a) Solve the tree by backward induction: what does the incumbent do after entry, and
# what does the entrant do? (b) In the normal form below, find every Nash equilibrium in pure strategies.
# (c) Which Nash equilibrium rests on a threat the incumbent would not carry out?

# %%
chain.game("normal")

# %% [markdown] tags=["solution"]
# **Solution 1.** (a) After entry the incumbent compares acquiescing ($d = 2$) with fighting ($-c_I = 0$)
# and acquiesces; foreseeing that, the entrant compares entering (2) with staying out ($o_E = 1$) and
# enters. The subgame-perfect equilibrium is (enter, acquiesce):

# %% tags=["solution"]
spe = chain.solve("sequential")
gtu.draw_tree(chain.game("sequential"), equilibrium=spe[0], title="chain store: the subgame-perfect equilibrium")

# %% [markdown] tags=["solution"]
# (b) and (c) The normal form has two pure equilibria, (enter, acquiesce) and (stay out, fight), and a
# continuum in which the entrant stays out and the incumbent fights with probability at least 1/2 (the game
# is degenerate). Staying out is a best response only to the threat to fight, and the incumbent would never
# carry it out once entry has happened: that equilibrium is Nash but not subgame-perfect.

# %% tags=["solution"]
chain.solve("normal")

# %% [markdown]
# ## Part 2. The value of a settlement that may relapse
#
# Stanovaya (2025) expects a settlement formula to be "doomed to repeat the fate of previous accords between
# Moscow and Kyiv, like the Minsk agreements". Suppose a settlement pays a side $s$ a year while it holds,
# collapses each year with probability $\rho$, and then leaves a war worth $W'$ (a present value, at the
# moment of collapse). With a discount factor $\delta$ its value today is
#
# $$V = s + \delta\left[(1-\rho)V + \rho W'\right] \quad\Longrightarrow\quad
#   V = \frac{s + \delta\rho W'}{1 - \delta(1-\rho)}.$$
#
# **Exercise 2.** Ukraine's war is worth $W = (1 - p - c_U)/(1-\delta)$ a year with $p = 0.6$,
# $c_U = 0.15$, $\delta = 0.9$. A deal gives Ukraine $s = 0.3$ a year. (a) What is the deal worth if it never
# collapses? (b) If it collapses with $\rho = 0.129$ a year back into the same war? (c) Into a war in which
# Russia's odds are 0.1 higher, because Ukraine has given up its fortified belt?

# %% [markdown] tags=["solution"]
# **Solution 2.** $W = 0.25/0.1 = 2.5$. (a) $V = 0.3/0.1 = 3$. (b) $V = (0.3 + 0.9 \cdot 0.129 \cdot 2.5) /
# (1 - 0.9 \cdot 0.871) = 0.59025/0.2161 \approx 2.73$: above 2.5, so worth signing. (c) The war after the
# relapse is worth $W' = 0.15/0.1 = 1.5$, and $V = 0.47415/0.2161 \approx 2.19$: below today's war, so Ukraine
# would rather fight on. Exactly:

# %% tags=["solution"]
delta, s, rho = Fraction(9, 10), Fraction(3, 10), Fraction(129, 1000)
W = relapse.war_value(1 - Fraction(6, 10) - Fraction(15, 100), delta)
W_after = relapse.war_value(1 - Fraction(7, 10) - Fraction(15, 100), delta)
for case, value in [("(a) never collapses", relapse.settlement_value(s, W, 0, delta)),
                    ("(b) same war after", relapse.settlement_value(s, W, rho, delta)),
                    ("(c) weaker after", relapse.settlement_value(s, W_after, rho, delta))]:
    print(f"{case}: V = {value} = {float(value):.3f}   (war today: {W})")

# %% [markdown]
# ## Part 3. When does Ukraine cede Donbas?
#
# Wallace (2025): "Russia continues to demand that Ukraine relinquish control over Donbas". In the
# `territory` model Russia demands all of Donbas, a limited swap or a freeze; Ukraine accepts or fights on.
# Ceding Donbas gives Russia $x_D = 0.7$ of the stake a year, and the deal relapses with the higher hazard
# $\rho(1+\kappa)$, $\kappa = 0.5$ (Stanovaya: Ukrainians "will never accept the capitulatory
# conditions"), into a war fought at Russia's odds $p + \Delta p_B$, $\Delta p_B = 0.1$.
#
# **Exercise 3.** (a) Write Ukraine's condition for accepting the Donbas deal, $V_U \ge W_U$, and solve it
# for $\rho$. (b) Is the default $\rho = 0.129$ below or above the threshold? What happens at the baseline?

# %% [markdown] tags=["solution"]
# **Solution 3.** (a) With $s = 1 - x_D$, hazard $h = \rho(1+\kappa)$ and $W'_U = W_U - \Delta p_B/(1-\delta)$,
# $V_U \ge W_U$ reads $s + \delta h W'_U \ge W_U(1 - \delta + \delta h)$, i.e.
# $h \le (s - (1-\delta)W_U)/(\delta(W_U - W'_U))$, so
#
# $$\rho \le \rho^* = \frac{(1-\delta)(p + c_U - x_D)}{\delta(1+\kappa)\Delta p_B} = \frac{0.1 \cdot 0.05}{0.9
#   \cdot 1.5 \cdot 0.1} = \frac{1}{27} \approx 0.037.$$
#
# The same with sympy:

# %% tags=["solution"]
r, d, p, c_U, x_D, kappa, dp = sympy.symbols("rho delta p c_U x_D kappa dp_B", positive=True)
W_U = (1 - p - c_U) / (1 - d)
W_U_after = (1 - p - dp - c_U) / (1 - d)
V_U = relapse.settlement_value(1 - x_D, W_U_after, r * (1 + kappa), d)
rho_star = sympy.solve(sympy.Eq(V_U, W_U), r)[0]
defaults = {d: sympy.Rational(9, 10), p: sympy.Rational(6, 10), c_U: sympy.Rational(15, 100),
            x_D: sympy.Rational(7, 10), kappa: sympy.Rational(1, 2), dp: sympy.Rational(1, 10)}
sympy.factor(rho_star), rho_star.subs(defaults)

# %% [markdown] tags=["solution"]
# And with the package, which finds the threshold from the model file alone:

# %% tags=["solution"]
territory = gtu.load_model("territory")
found = gtu.thresholds(territory, "rho", form="sequential", scenario="baseline-2025")
found[0].exact, found[0].change

# %% [markdown] tags=["solution"]
# (b) $0.129 > 1/27$: at the baseline Ukraine fights on rather than cede Donbas, and since the freeze and the
# swap are worth less to Russia than war, Russia demands Donbas and the war continues. A deal would need a
# settlement expected to last 27 years.

# %% [markdown]
# ## Part 4. Explore: move $\rho$ and watch the equilibrium
#
# Move the slider: the tree is solved exactly at each value and redrawn with the subgame-perfect path in
# thick vermillion. Choose a scenario to change the other parameters.

# %%
def show_equilibrium(rho=0.129, scenario="baseline-2025", ax=None):
    """Solve the territory tree at `rho` under `scenario` and draw it with its (first) subgame-perfect path."""
    rho = Fraction(f"{rho:.3f}")
    result = territory.solve("sequential", scenario, rho=rho)
    eq = result[0]
    payoffs = ", ".join(f"{player} {float(v):.3f}" for player, v in zip(result.players, eq.payoffs))
    title = f"{scenario}, rho = {float(rho):.3f}: {eq.outcome} ({payoffs})"
    if len(result) > 1:
        title += f" [{len(result)} SPE: a tie]"
    return gtu.draw_tree(territory.game("sequential", scenario, rho=rho), equilibrium=eq, ax=ax, title=title)


# The picture is an Image widget redrawn whenever the slider or the menu changes. (`ipywidgets.interact` would
# do the same through an Output widget, which can stall notebooks run without a browser: jupyter/nbclient#312.)
rho_slider = FloatSlider(value=0.129, min=0.01, max=0.5, step=0.001, readout_format=".3f", description="rho")
scenario_menu = Dropdown(options=list(territory.scenarios), value="baseline-2025", description="scenario")
picture = Image(format="png")


def redraw(change=None):
    """Draw the tree at the slider's rho and the menu's scenario into the picture."""
    buffer = io.BytesIO()
    show_equilibrium(rho_slider.value, scenario_menu.value).savefig(buffer, format="png", dpi=80)
    picture.value = buffer.getvalue()


rho_slider.observe(redraw, names="value")
scenario_menu.observe(redraw, names="value")
redraw()
VBox([HBox([rho_slider, scenario_menu]), picture])

# %% [markdown]
# For a printed handout, the same at two values of $\rho$, one above the other:

# %%
fig = matplotlib.figure.Figure(figsize=(10, 12))
top, bottom = fig.subplots(2, 1)
show_equilibrium(0.03, ax=top)
show_equilibrium(0.129, ax=bottom)
fig

# %% [markdown]
# **Exercise 4.** Stanovaya calls the European "reassurance force" "moral support". In the model it lowers
# the relapse risk from 0.129 to 0.093 (scenario `reassurance-force`, after Collier, Hoeffler and Söderbom
# 2008). Does it bring a deal? How low must $\rho$ go, and how long would such a settlement be expected to
# last?

# %% [markdown] tags=["solution"]
# **Solution 4.** No: $0.093 > 1/27$, so the outcome stays "war continues". A deal needs $\rho \le 1/27$, a
# settlement expected to last $1/\rho = 27$ years, longer than any base rate (half of interstate ceasefires
# fail within five years, Fortna 2004).

# %% tags=["solution"]
territory.solve("sequential", "reassurance-force")[0].outcome, float(relapse.expected_duration(found[0].exact))

# %% [markdown]
# ## Part 5. Make it your own
#
# **Exercise 5.** A guarantor can make its threat credible by tying its hands: troops on the ground make
# acquiescing costly (an audience cost, Fearon 1997). Build a variant of the chain store in which
# acquiescing costs the incumbent $a$, and find the smallest $a$ that deters entry.

# %% [markdown] tags=["solution"]
# **Solution 5.** Copy the model file, add a parameter `a` with its source, subtract it from the
# incumbent's payoff after acquiescing, and load the new file by path. The incumbent now fights iff
# $-c_I > d - a$, i.e. $a > d + c_I = 2$; with $a = 3$ entry is deterred in the subgame-perfect equilibrium.

# %% tags=["solution"]
data = yaml.safe_load(Path(chain.path).read_text(encoding="utf-8"))
data["name"] = "chain-store-tripwire"
data["title"] = "Chain store with a tripwire: acquiescing costs the incumbent a"
data["parameters"]["a"] = {
    "symbol": "a", "default": 3, "low": 0, "high": 10,
    "description": "Incumbent's audience cost of acquiescing after entry (troops on the ground).",
    "source": "Fearon (1997), J. Conflict Resolution 41(1):68-90: tying hands; a pledge is credible iff v + a >= c.",
}
data["forms"]["normal"]["payoffs"][3]["payoffs"]["Incumbent"] = "d - a"
data["forms"]["sequential"]["nodes"]["accommodated"]["payoffs"]["Incumbent"] = "d - a"
folder = Path(tempfile.mkdtemp())
variant_file = folder / "chain-store-tripwire.yaml"
variant_file.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")

variant = gtu.load_model(variant_file)
variant.solve("sequential")

# %% tags=["solution"]
gtu.thresholds(variant, "a", form="sequential")[0].exact

# %% [markdown]
# ## For the slides: a LaTeX table and a picture of the tree
#
# The normal form as a LaTeX `tabular` (paste it into a Beamer slide or a handout) and the tree as a PNG:

# %%
print(payoff_table_latex(chain.game("normal"), caption="Selten's chain store"))

# %%
picture = save_tree(chain.game("sequential"), folder / "chain-store.png", equilibrium=spe[0],
                    title="Selten's chain store")
picture.name, picture.stat().st_size > 0

# %% [markdown]
# From the shell, the same files: `gtu export chain-store --form normal --to latex -o chain-store.tex` and
# `gtu export chain-store --form sequential --to png -o chain-store.png`.
