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
# # Teaching tools on the NATO question: best responses, dominance, correlated equilibrium, quantal response, TikZ
#
# **For** a seminar in game theory or international relations, after Nash and subgame-perfect equilibrium;
# about 60 minutes. **Model**: the second point of the 2025 framework, "Ukraine not joining NATO"
# (Stanovaya 2025), as the bundled `nato` model encodes it: Kyiv rejects Russia's terms or cedes Donbas with a
# neutrality pledge or with its NATO path kept; Moscow, seeing which, settles or fights on; a settlement may
# relapse into war at a yearly risk $\rho$.
#
# **You will learn to**
#
# 1. read a payoff table with every best response marked, and find the pure equilibria from the marks;
# 2. eliminate dominated strategies, strictly (order does not matter) and weakly (it can);
# 3. compute the correlated equilibrium that maximises welfare or one side's payoff, and read its certificate;
# 4. trace the logit quantal response equilibrium (QRE) from random play to a Nash equilibrium, and see which
#    equilibrium it selects;
# 5. draw a best-response diagram and export the game as TikZ for a paper or slides.
#
# Every number below is exact (fractions) unless it is a QRE, which is a floating-point solution of
# nonlinear equations. The notebook uses no random numbers.

# %%
# %matplotlib inline
import tempfile
from pathlib import Path

import numpy as np
import sympy
from IPython.display import HTML, display

import gametheory_ukraine as gtu
from gametheory_ukraine.analysis.qre_sweep import qre_sweep
from gametheory_ukraine.games.normal_form import NormalFormGame
from gametheory_ukraine.output.best_response_diagram import best_response_diagram
from gametheory_ukraine.output.display import game_html
from gametheory_ukraine.output.qre_report import qre_path_figure
from gametheory_ukraine.output.tikz import normal_form_tikz, tree_tikz
from gametheory_ukraine.solvers.best_response import best_responses
from gametheory_ukraine.solvers.qre import logit_branch

# %% [markdown]
# ## Part 1. The game and its best responses
#
# The model's normal form is the reduced strategic form of its tree: Russia picks one of 4 plans (how it
# answers a pledge and how it answers a NATO path kept open), Ukraine one of 5. At the shared calibration's
# baseline the relapse risk is $\rho = 0.129$ a year. In the table every payoff that is a best response to the
# other side's plan is underlined: a cell with both payoffs underlined is a pure Nash equilibrium. Payoffs are
# exact present values, in units of one year's whole stake: 34898/5483 ≈ 6.36 is Russia's value of the
# settlement on its terms, 5 its value of the war.

# %%
nato = gtu.load_model("nato")
print(nato.meta["question"])
baseline = nato.game("normal")
display(HTML(game_html(baseline, best_responses=True)))

# %% [markdown]
# **Exercise 1.** From the marks alone, list the pure equilibria at the baseline. Then compare with the
# solver's list. Why does Russia have four best responses when Ukraine rejects its terms?

# %% tags=["solution"]
marks = best_responses(baseline)
from_marks = [(baseline.actions[0][r], baseline.actions[1][c]) for r, c in marks.pure_equilibria()]
equilibria = gtu.solve(baseline)
# an equilibrium is pure when each side plays one plan with probability 1
from_solver = [tuple(next(a for a, p in plan.items() if p == 1) for plan in e.plans().values())
               for e in equilibria if all(max(plan.values()) == 1 for plan in e.plans().values())]
print("from the marks: ", from_marks)
print("from the solver:", from_solver)
assert sorted(from_marks) == sorted(from_solver)
equilibria

# %% [markdown]
# *Solution.* When Kyiv rejects, the war goes on whatever Moscow planned to do about a deal that is never
# offered: all four of Russia's plans pay its war value $W_R = 5$, so all four are best responses (a
# degenerate game). The four pure equilibria are the vertices of one component: any mixture of Russia's plans
# against rejection is an equilibrium too, and the solver reports the component's extreme points (the
# `component` column of `equilibria.to_frame()`), never breaking the tie for you.

# %% [markdown]
# ## Part 2. Iterated elimination of dominated strategies
#
# A strategy is *strictly dominated* if another strategy, possibly a mixture, pays strictly more against
# everything the others might do; no rational player uses it, and removing such strategies round after round
# never removes a Nash equilibrium, in any order (Gibbons 1992, section 1.1). *Weakly dominated*: never more,
# sometimes less. Removing those can remove equilibria, and the result can depend on the order (Rasmusen 2007,
# chapter 1). The package tests domination by mixtures with an exact linear program and reports each step with
# its witness and margin.

# %%
strict = gtu.solve(baseline, method="dominance")
print(strict)

# %% [markdown]
# Strict dominance removes only Ukraine's two pledges: at the baseline a pledge costs Kyiv the domestic cost
# $k$ of offering neutrality for nothing better than rejection. Weak dominance goes much further:

# %%
weak = gtu.solve(baseline, method="weak-dominance")
print(weak)

# %% [markdown]
# Weak dominance leaves one profile, (settle either way, reject Russia's terms): one of the four pure
# equilibria of Part 1, picked by the argument "settling costs Russia nothing when Kyiv rejects, and gains
# when Kyiv cedes". The note in the output is the caveat to teach: the order of elimination (here all weakly
# dominated strategies of a round at once) matters for weak dominance.

# %% [markdown]
# ## Part 3. Several equilibria: a lower relapse risk
#
# The outcome depends on the relapse risk. At $\rho = 0.05$ a year (a sturdier settlement) the game has two
# kinds of equilibria: the war goes on, or Kyiv cedes Donbas keeping its NATO path and Moscow settles.

# %%
sturdy = nato.game("normal", rho="1/20")
sturdy_equilibria = gtu.solve(sturdy)
print(sorted({e.outcome for e in sturdy_equilibria}))
sturdy_equilibria

# %% [markdown]
# Which one will be played? Three different answers from three different ideas of rationality follow.
# First, weak dominance:

# %%
print(gtu.solve(sturdy, method="weak-dominance"))

# %% [markdown]
# ### Correlated equilibrium
#
# A mediator draws a profile from a public distribution and tells each side only its own part; the
# distribution is a correlated equilibrium (Aumann 1974) if no side gains by disobeying its recommendation.
# These are linear constraints, so the best correlated equilibrium for any linear objective is a linear
# program: the package solves it exactly and proves optimality with the program's dual.

# %%
for objective in ("welfare", "Russia", "Ukraine"):
    print(gtu.solve(sturdy, method="correlated", objective=objective), end="\n\n")

# %% [markdown]
# Here a mediator cannot do better than the settlement equilibrium for either side: the best correlated
# equilibrium is that pure equilibrium. That is not always so. In Aumann's game of Chicken a mediator who
# sometimes tells both sides to yield gives both more than any Nash equilibrium that treats them alike:

# %%
chicken = NormalFormGame.from_arrays([[6, 2], [7, 0]], [[6, 7], [2, 0]], players=["Row", "Column"],
                                     actions=[["yield", "dare"], ["yield", "dare"]], title="Chicken")
best = gtu.solve(chicken, method="correlated")
print(best)
nash_welfare = max(sum(e.payoffs) for e in gtu.solve(chicken))
print("best Nash welfare:", nash_welfare, " best correlated welfare:", best.value)

# %% [markdown]
# **Exercise 2.** Check by hand (with sympy, not the package) that the Chicken distribution above satisfies
# every incentive constraint, and that its welfare is $10\tfrac{1}{2}$.

# %% tags=["solution"]
p = {profile: sympy.Rational(str(v)) for profile, v in best.probabilities.items()}
u_row = {("yield", "yield"): 6, ("yield", "dare"): 2, ("dare", "yield"): 7, ("dare", "dare"): 0}
u_col = {(r, c): u_row[(c, r)] for r, c in u_row}          # the game is symmetric
acts = ("yield", "dare")
for told in acts:
    for deviate in acts:
        row_gain = sum(p[(told, c)] * (u_row[(deviate, c)] - u_row[(told, c)]) for c in acts)
        col_gain = sum(p[(r, told)] * (u_col[(r, deviate)] - u_col[(r, told)]) for r in acts)
        assert row_gain <= 0 and col_gain <= 0, (told, deviate)
welfare = sum(p[s] * (u_row[s] + u_col[s]) for s in p)
print("welfare:", welfare)
assert welfare == sympy.Rational(21, 2)

# %% [markdown]
# ### Logit quantal response equilibrium
#
# Real negotiators make mistakes, and costly mistakes less often. In a logit QRE (McKelvey and Palfrey 1995)
# each side plays every plan with probability proportional to $\exp(\lambda \cdot \text{expected payoff})$:
# at $\lambda = 0$ play is uniform, and as $\lambda$ grows the principal branch of QRE converges to a Nash
# equilibrium (Turocy 2005). The package follows that branch with a predictor-corrector method. Payoffs here
# are in units of one year's whole stake, so $\lambda = 10$ means a plan worth 0.1 more is played $e \approx
# 2.7$ times as often.

# %%
path = logit_branch(sturdy, 60)
frame = path.to_frame()
qre_path_figure(frame, title="nato at rho = 0.05: the logit QRE's principal branch")

# %% [markdown]
# Along the branch Ukraine moves to ceding Donbas with its NATO path kept and Russia to settling (split between
# its two plans that settle on that path). The QRE selects the settlement, not the war: mistakes make
# rejection costly for Kyiv, because a Russia that sometimes settles makes ceding worth more. The regret (what
# the best deviation would gain) shows how far a QRE is from a Nash equilibrium:

# %%
for lam in (1.0, 10.0, 100.0, 10_000.0):
    q = gtu.solve(sturdy, method="logit-qre", lam=lam)
    plan = max(q.strategy_dict()["Ukraine"].items(), key=lambda kv: kv[1])
    print(f"lambda {lam:>8g}: regret {q.regret:.2e}; Ukraine's likeliest plan {plan[0]!r} ({plan[1]:.3f})")
limit = gtu.solve(sturdy, method="logit-qre", lam=10_000.0)
settlement_plans = {a for e in sturdy_equilibria if e.outcome.startswith("settlement")
                    for a, p in e.plans()["Ukraine"].items() if p > 0}
assert max(limit.strategy_dict()["Ukraine"], key=limit.strategy_dict()["Ukraine"].get) in settlement_plans

# %% [markdown]
# **Exercise 3.** Fix $\lambda = 10$ and let $\rho$ run from 0.01 to 0.2. Where does Kyiv's probability of
# rejecting Russia's terms pass one half? Compare with the relapse risk at which the settlement stops being a
# Nash equilibrium.

# %% tags=["solution"]
table = qre_sweep(nato, {"rho": "0.01:0.2:39"}, lam=10, form="normal")
reject = table["prob:Ukraine:reject Russia's terms"].to_numpy()
crossing = table["rho"].to_numpy()[np.argmax(reject > 0.5)]
print(f"at lambda = 10 Kyiv rejects with probability {reject[0]:.2f} at rho = 0.01, {reject[-1]:.2f} at rho = 0.2,"
      f" and above 1/2 from rho = {crossing:.3f}")
found = gtu.thresholds(nato, "rho", form="normal")
last = found.thresholds[-1]
print(f"the settlement stops being a Nash equilibrium at rho* = {last.exact} (~{float(last.value):.4f})")
qre_path_figure(table, x="rho", title="nato: the logit QRE at lambda = 10 over the relapse risk")

# %% [markdown]
# *Solution.* Nash equilibrium switches at a threshold: above $\rho^*$ (printed above with its closed form in
# `found`) only the war is left. The QRE moves gradually: at $\lambda = 10$ Kyiv's probability of rejecting
# rises smoothly with $\rho$ and passes one half near the threshold, not at it. Smooth responses of this kind
# are one reason QRE fits experimental data better than Nash equilibrium (McKelvey and Palfrey 1995).

# %% [markdown]
# ## Part 4. A best-response diagram
#
# Best-response diagrams are drawn for 2 × 2 games. Take two plans per side from the NATO game: Russia settles
# either way or fights on either way; Ukraine rejects, or cedes Donbas keeping its NATO path (and seeks
# accession if the US backs it). `restrict` keeps those plans in the symbolic game, which is then evaluated at
# two relapse risks.

# %%
small = nato.symbolic("normal").restrict(
    [["settle either way", "fight on either way"],
     ["reject Russia's terms", "cede Donbas, keep NATO path, seek accession if the US backs it"]],
    title="nato, two plans each")
for rho in ("1/20", "129/1000"):
    game = small.instantiate(nato.values(None, {"rho": rho}))
    display(best_response_diagram(game, title=f"nato, two plans each, rho = {rho}"))

# %% [markdown]
# At $\rho = 0.05$ ceding is Kyiv's best response to any positive chance that Russia settles (against a Russia
# that surely fights Kyiv is indifferent, the dashed segment on the left), and settling is Russia's best
# response to any chance that Kyiv cedes: two equilibria, the war (Russia fights, Kyiv rejects) and the
# settlement. At the baseline $\rho = 0.129$ Kyiv rejects whenever Russia might settle, and Russia, facing a
# rejection, is indifferent among its plans: the equilibria form a segment (Kyiv rejects, Russia mixes in any
# proportion), the war in every case. `gtu export chain-store --to br-diagram --over d --values 0,1,2,5` draws
# such diagrams
# over a parameter for a model whose normal form is 2 × 2.

# %% [markdown]
# ## Part 5. TikZ for papers and slides
#
# The package writes TikZ (PGF) that compiles with plain `pdflatex`: the tree with information sets dashed, the
# equilibrium path bold and payoffs at the leaves, and the payoff table with best responses marked. From the
# command line: `gtu export nato --form sequential --to tikz -o nato-tree.tex`, and
# `gtu export nato --form normal --to tikz --best-responses -o nato-table.tex`.

# %%
tree = nato.game("sequential")
spe = gtu.solve(tree)
print(spe)
tree_code = tree_tikz(tree, equilibrium=spe[0])
table_code = normal_form_tikz(baseline, best_responses=True)
print("\n".join(tree_code.splitlines()[:12]))

# %%
folder = Path(tempfile.mkdtemp())
(folder / "nato-tree.tex").write_text(tree_code, encoding="utf-8")     # a whole standalone document
(folder / "nato-table.tex").write_text(table_code, encoding="utf-8")
for name in ("nato-tree.tex", "nato-table.tex"):
    body = (folder / name).read_text(encoding="utf-8")
    assert body.count("\\documentclass") == 1 and body.rstrip().endswith("\\end{document}")
print(sorted(p.name for p in folder.iterdir()), "written to a temporary folder; compile each with pdflatex")
print("for \\input into your own document:", tree_tikz(tree, equilibrium=spe[0], fragment=True).splitlines()[0])

# %% [markdown]
# ## What to take away
#
# - The marks in a payoff table are the quickest way to find pure equilibria by hand, and to see ties (a
#   column with several marks): the NATO game at the baseline is degenerate.
# - Strict dominance is safe and order-free; weak dominance selects, and its answer depends on the order.
# - At a relapse risk where a settlement and the war are both equilibria, weak dominance, the best correlated
#   equilibrium and the logit QRE all pick the settlement; at the baseline risk nothing but the war survives.
# - Every result above carries its method, its exactness and, where it is an optimum or an equilibrium, its
#   certificate.
#
# **Sources.** Aumann, R. J. (1974), Subjectivity and correlation in randomized strategies; Gibbons, R. (1992),
# *Game Theory for Applied Economists*; McKelvey, R. D. and Palfrey, T. R. (1995), Quantal response equilibria
# for normal form games; Rasmusen, E. (2007), *Games and Information*; Stanovaya, T. (2025); Turocy, T. L.
# (2005), A dynamic homotopy interpretation of the logistic quantal response equilibrium correspondence. Full
# entries in the package's bibliography, `models/references.bib`.
