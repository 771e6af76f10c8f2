"""The batched tree engine agrees with the exact scalar solver (issue 5): random points, thresholds, sweep tables."""

from __future__ import annotations

from fractions import Fraction as F

import numpy as np
import pandas as pd
import pytest
import sympy
from conftest import THREE_PLAYER

import gametheory_ukraine as gtu
from gametheory_ukraine.analysis.sweep import sweep
from gametheory_ukraine.batched.compile import compile_normal_form, compile_tree
from gametheory_ukraine.batched.trees import backward_induction, compiled_tree, solve_tree_points, stages
from gametheory_ukraine.core.errors import ParameterError, SolverError
from gametheory_ukraine.core.numbers import to_exact
from gametheory_ukraine.games.tree import Decision, GameTree, Terminal
from gametheory_ukraine.solvers.signature import outcome_key

FRAMEWORK = ("territory", "nato", "guarantees")


def _scalar(model, scenario, values, exact=True):
    return model.solve("sequential", scenario, exact=exact, **values)


def _assert_agree(model, scenario, res, p, values, exact=True):
    """Point *p* of a TreePoints *res* equals the scalar solve at *values*."""
    ref = _scalar(model, scenario, values, exact)
    rows = np.flatnonzero(res.point == p)
    assert res.n_equilibria[p] == len(ref) == len(rows), (p, values)
    for r, eq in zip(rows, ref.equilibria):
        beh = {h: probs for s in eq.strategies for h, probs in s.items()}
        choice = tuple(list(map(float, beh[h])).index(1.0) for h in res.infosets)
        assert tuple(res.choices[r]) == choice, (p, values)
        assert res.outcome[r] == eq.outcome
        assert res.outcome_key[r] == outcome_key(eq, ref.exact)
        np.testing.assert_allclose(res.payoffs[r], [float(v) for v in eq.payoffs], rtol=0, atol=1e-9)
        assert abs(res.regret[r] - float(eq.regret)) <= 1e-9
    assert bool(res.complete[p]) == ref.complete


def _random_points(model, n, seed):
    rng = np.random.default_rng(seed)
    return {name: rng.uniform(float(par.low), float(par.high), n) for name, par in model.parameters.items()}


@pytest.mark.parametrize("name", FRAMEWORK)
def test_random_points_agree_with_exact_scalar_solver(name):
    model = gtu.load_model(name)
    n = 200
    pts = _random_points(model, n, seed=FRAMEWORK.index(name))
    res = solve_tree_points(model, "sequential", None, pts, exact=True)
    assert len(res.n_equilibria) == n and res.point.tolist() == sorted(res.point.tolist())
    if name == "territory":  # Russia indifferent between demands that all end in the same war: exact, batched ties
        assert (res.tied & ~res.rescued).sum() >= 1 and res.n_equilibria.max() >= 2
    for p in range(n):
        _assert_agree(model, None, res, p, {k: float(v[p]) for k, v in pts.items()})


# (model, scenario, extra fixed values, parameter, its value at a threshold, SPE count there) -- models/README.md,
# `gtu thresholds`. The guarantees model's baseline does not move with rho (Russia re-attacks or rejects whatever
# the relapse risk); it flips in dp_erosion = e. Derived by hand from its payoffs at the baseline (x_F = 2/5,
# p = 3/5, c_R = 1/10, c_U = 3/20, delta = 9/10, tau_F = 1/20): Moscow accepts the bare deal to re-attack it iff
# x_F + delta*(p + e - c_R)/(1 - delta) >= (p - c_R)/(1 - delta), i.e. e >= (1 - delta)*(p - c_R - x_F)/delta = 1/90,
# where Kyiv's four moves give 2.75, 2.5, 2.5, 2.5 and Moscow's tie over the bare deal doubles the fight-on ties:
# 1 + 3 = 4 equilibria. Kyiv signs a deal it foresees re-attacked iff (1 - x_F) + delta*(1 - p - e - c_U)/(1 - delta)
# >= (1 - p - c_U)/(1 - delta), i.e. e <= (1 - delta)*(p + c_U - x_F)/delta = 7/180, where the bare deal, the
# force (accepted to be re-attacked since e > 1/60) and fighting on all give Kyiv 5/2: 3 equilibria.
# The fixture (the previous guarantees model) keeps its rho thresholds at q = 1/2: 2/9 and 1/16.
THRESHOLDS = [
    ("territory", "baseline-2025", {}, "rho", F(1, 27), 2),
    # Ukraine indifferent on Donbas: ceding it (Russia demands it: 1 SPE) or fighting on (Russia indifferent
    # between its three demands, all rejected: 3 SPE)
    ("territory", "managed-freeze", {}, "rho", F(2, 81), 4),
    ("nato", "istanbul-2", {}, "rho", F(43, 702), 2),
    ("nato", "baseline-2025", {"x_D": F(55, 100), "pi_accession": F(1, 5), "k": 0, "a": 2}, "rho", F(4, 27), 6),
    ("guarantees", "baseline-2025", {}, "dp_erosion", F(1, 90), 4),
    ("guarantees", "baseline-2025", {}, "dp_erosion", F(7, 180), 3),
    (THREE_PLAYER, "baseline-2025", {"q": F(1, 2)}, "rho", F(2, 9), 2),
    (THREE_PLAYER, "baseline-2025", {"q": F(1, 2)}, "rho", F(1, 16), 2),
]


@pytest.mark.parametrize(("name", "scenario", "extra", "parameter", "value", "count"), THRESHOLDS)
def test_threshold_points_agree(name, scenario, extra, parameter, value, count):
    model = gtu.load_model(name)
    spec = model.parameters[parameter]
    values = [value, value - F(1, 10**6), value + F(1, 10**6), to_exact(spec.low), to_exact(spec.high)]
    params = {parameter: np.array(values, dtype=object), **extra}
    res = solve_tree_points(model, "sequential", scenario, params, exact=True)
    assert res.flagged[0] and res.rescued[0]
    if count is not None:
        assert res.n_equilibria[0] == count
    for p, v in enumerate(values):
        _assert_agree(model, scenario, res, p, {parameter: v, **extra})


def test_ties_kept_without_rescue_match_scalar_order():
    """resolve=False: the batched tie enumeration alone gives the scalar solver's equilibria, in its order."""
    model = gtu.load_model("territory")
    res = solve_tree_points(model, "sequential", "baseline-2025", {"rho": np.array([1 / 27, 0.3])}, resolve=False)
    assert not res.rescued.any() and res.flagged.tolist() == [True, False]
    ref = _scalar(model, "baseline-2025", {"rho": F(1, 27)})
    assert res.n_equilibria.tolist() == [2, 1]
    for r, eq in enumerate(ref.equilibria):
        beh = {h: probs for s in eq.strategies for h, probs in s.items()}
        assert tuple(res.choices[r]) == tuple(list(beh[h]).index(1) for h in res.infosets)
        assert res.outcome_key[r] == outcome_key(eq)
        np.testing.assert_allclose(res.payoffs[r], [float(v) for v in eq.payoffs], atol=1e-9)
        assert 0 <= res.regret[r] <= 1e-9 * 10


@pytest.mark.parametrize("block", [1, 2, 3])
def test_blocks_of_points_give_the_same_result_as_one_pass(monkeypatch, block):
    """solve_tree_points solves POINTS_PER_BLOCK points at a time; with blocks of 1, 2 or 3 points the result
    equals one pass over all 7 (rows, point numbers, tie expansion, rescued threshold points, labels), in exact
    and in float mode, with and without the scalar rescue."""
    import gametheory_ukraine.batched.trees as trees

    model = gtu.load_model("territory")
    rho = np.array([F(1, 50), F(1, 27), F(1, 10), F(1, 27), F(3, 10), F(1, 2), F(1, 100)], dtype=object)
    for kw in ({"exact": True}, {"exact": False}, {"exact": False, "resolve": False}):
        one = solve_tree_points(model, "sequential", "baseline-2025", {"rho": rho}, **kw)
        assert one.n_equilibria.tolist()[:2] == [1, 2]   # a tie at 1/27: the blocks must expand it
        monkeypatch.setattr(trees, "POINTS_PER_BLOCK", block)
        split = solve_tree_points(model, "sequential", "baseline-2025", {"rho": rho}, **kw)
        monkeypatch.setattr(trees, "POINTS_PER_BLOCK", 8192)
        for field in ("point", "equilibrium", "n_equilibria", "choices", "payoffs", "regret", "complete",
                      "flagged", "tied", "rescued"):
            np.testing.assert_array_equal(getattr(split, field), getattr(one, field), err_msg=field)
        assert split.outcome == one.outcome and split.outcome_key == one.outcome_key


def test_lottery_outcomes_agree():
    """The 3-player fixture (the previous guarantees model): Ukraine signs and Russia re-attacks, so the outcome is
    a lottery over the guarantor's answer."""
    model = gtu.load_model(THREE_PLAYER)
    vals = {"delta": 0.8, "rho": 0.06, "p": 0.78, "c_R": 0.13, "c_U": 0.37, "x": 0.65, "dp_after": 0.1, "g_T": 0.05,
            "g_A": 0.03, "pi_US": 0.02, "q": 0.76, "v": 0.34, "c_E": 0.19, "c_A": 0.19, "nu": 0.1, "a_E": 4}
    ref = _scalar(model, None, vals, exact=False)
    assert ref[0].outcome.startswith("lottery")
    for exact in (False, True):
        res = solve_tree_points(model, "sequential", None, {k: np.array([v]) for k, v in vals.items()}, exact=exact)
        _assert_agree(model, None, res, 0, vals, exact=exact)


SWEEPS = [("territory", "baseline-2025"), ("territory", "managed-freeze"), ("nato", "istanbul-2"),
          ("guarantees", "baseline-2025")]


@pytest.mark.parametrize(("name", "scenario"), SWEEPS)
def test_table_equals_scalar_sweep(name, scenario):
    """The sweep table from the batched tree engine equals the scalar path's, row for row."""
    model = gtu.load_model(name)
    ref = sweep(model, {"rho": "0.01:0.5:101"}, form="sequential", scenario=scenario, engine="scalar")
    mine = sweep(model, {"rho": "0.01:0.5:101"}, form="sequential", scenario=scenario, engine="batched")
    assert (mine.attrs["engine"], ref.attrs["engine"]) == ("tree", "scalar")
    assert list(mine.columns) == list(ref.columns)
    pd.testing.assert_frame_equal(mine, ref, check_exact=False, rtol=0, atol=1e-9)


def test_table_with_fixed_value_equals_sweep():
    """The fixture at q = 1/2: the settlement holds for rho in (1/16, 2/9), the war continues outside."""
    model = gtu.load_model(THREE_PLAYER)
    ref = sweep(model, {"rho": "0.01:0.5:21", "q": 0.5}, form="sequential", scenario="baseline-2025",
                engine="scalar")
    mine = sweep(model, {"rho": "0.01:0.5:21", "q": 0.5}, form="sequential", scenario="baseline-2025",
                 engine="batched", chunk_size=4)
    pd.testing.assert_frame_equal(mine, ref, check_exact=False, rtol=0, atol=1e-9)
    assert set(mine["outcome_key"]) == {"settlement holds", "war continues"}
    assert mine["q"].eq(0.5).all()


# ------------------------------------------------------------------------------------------ compile
def test_compiled_payoffs_equal_instantiated_games():
    """Every framework model's tree and every stated normal form (the fixture's has three players)."""
    normal_forms = 0
    for name in (*FRAMEWORK, THREE_PLAYER):
        model = gtu.load_model(name)
        pts = _random_points(model, 5, seed=1)
        pay, probs = compiled_tree(model.symbolic("sequential")).evaluate(pts)
        nf = compile_normal_form(model.symbolic("normal")).payoffs(pts) if "normal" in model.forms else None
        normal_forms += nf is not None
        for p in range(5):
            vals = {k: float(v[p]) for k, v in pts.items()}
            tree = model.game("sequential", exact=False, **vals)
            terms = [z for z in tree.nodes() if isinstance(z, Terminal)]
            np.testing.assert_allclose(pay[p], [z.payoffs for z in terms], rtol=1e-12, atol=1e-12)
            if nf is not None:
                game = model.game("normal", exact=False, **vals)
                for i, arr in enumerate(nf):
                    np.testing.assert_allclose(arr[p], game.payoffs[i], rtol=1e-12, atol=1e-12)
        assert all(pr.shape[0] == 5 for pr in probs)
    assert normal_forms >= 2


def test_compile_errors_and_broadcasting():
    model = gtu.load_model("territory")
    compiled = compiled_tree(model.symbolic("sequential"))
    assert compiled is compiled_tree(model.symbolic("sequential"))  # compiled once per (model, form)
    vals = {k: float(v) for k, v in model.values().items()}
    with pytest.raises(ParameterError, match="no value for parameter"):
        compiled.evaluate({k: v for k, v in vals.items() if k != "rho"})
    pay, _ = compiled.evaluate({**vals, "rho": [0.1, 0.2, 0.3]})  # numbers broadcast, x_prewar (unused) ignored
    assert pay.shape == (3, 12, 2)   # territory: 12 terminals (3 wars, 3 deals kept, 6 broken)
    with pytest.raises(ParameterError, match="not finite"):
        compiled.evaluate({**vals, "delta": 1.0, "rho": 0.0})
    q, r = sympy.Symbol("q"), sympy.Symbol("r")
    game = gtu.NormalFormGame.from_arrays([[q, r]], [[1, 2]])
    with pytest.raises(ParameterError, match="different lengths"):
        compile_normal_form(game).payoffs({"q": np.zeros(2), "r": np.zeros(3)})
    a, b = compile_normal_form(game).payoffs({"q": [1.0, 2.0], "r": 5})
    assert a.tolist() == [[[1.0, 5.0]], [[2.0, 5.0]]] and b.tolist() == [[[1.0, 2.0]], [[1.0, 2.0]]]

def test_imperfect_information_other_than_two_by_two_stages_is_refused():
    """Matching pennies is a simultaneous 2 x 2 stage: solved, and flagged (no pure equilibrium). A second mover
    with three actions, or one information set across two heads, is refused."""
    pennies = GameTree(("A", "B"), Decision("a", 0, ("l", "r"), (
        Decision("b1", 1, ("x", "y"), (Terminal("z1", (1, 0)), Terminal("z2", (0, 1))), infoset="b"),
        Decision("b2", 1, ("x", "y"), (Terminal("z3", (0, 1)), Terminal("z4", (1, 0))), infoset="b"))))
    assert stages(pennies) == {"a": "b"}
    assert backward_induction(compile_tree(pennies), {}).flagged.tolist() == [True]
    three = GameTree(("A", "B"), Decision("a", 0, ("l", "r"), (
        Decision("b1", 1, ("x", "y", "w"), tuple(Terminal(f"z{k}", (k, 0)) for k in range(3)), infoset="b"),
        Decision("b2", 1, ("x", "y", "w"), tuple(Terminal(f"y{k}", (0, k)) for k in range(3)), infoset="b"))))
    across = GameTree(("A", "B"), Decision("a", 0, ("l", "r"), (
        Decision("a1", 0, ("u", "d"), (
            Decision("b1", 1, ("x", "y"), (Terminal("z1", (1, 0)), Terminal("z2", (0, 1))), infoset="b"),
            Terminal("z3", (0, 0)))),
        Decision("a2", 0, ("u", "d"), (
            Decision("b2", 1, ("x", "y"), (Terminal("z4", (0, 1)), Terminal("z5", (1, 0))), infoset="b"),
            Terminal("z6", (0, 0)))))))
    for tree in (three, across):
        assert stages(tree) is None
        with pytest.raises(SolverError, match="simultaneous 2 x 2 stages"):
            backward_induction(compile_tree(tree), {})


def _hawk_dove(a):
    """A chance move (probability 1/2 each) over two copies of a 2 x 2 stage, row player first: both comply
    (a, a); one breaks (1, 0) or (0, 1); both break (-1, -1). For a > 1 complying is dominant (one pure
    equilibrium); for a < 1 it is hawk-dove (two pure equilibria and a mixed one); a = 1 is degenerate."""
    def stage(tag):
        cells = {("c", "c"): (a, a), ("b", "c"): (1, 0), ("c", "b"): (0, 1), ("b", "b"): (-1, -1)}
        return Decision(f"{tag}_row", 0, ("c", "b"), tuple(
            Decision(f"{tag}_col_{r}", 1, ("c", "b"), tuple(Terminal(f"{tag}_{r}{c}", cells[(r, c)])
                                                            for c in ("c", "b")), infoset=f"{tag}_col")
            for r in ("c", "b")))
    from gametheory_ukraine.games.tree import Chance
    return GameTree(("R", "C"), Chance("nature", ("left", "right"), (sympy.Rational(1, 2), sympy.Rational(1, 2)),
                                       (stage("L"), stage("R"))))


class _TreeModel:
    """The least of a model that solve_tree_points needs: a symbolic tree and parameter values."""

    def __init__(self, tree):
        self.tree = tree

    def symbolic(self, form=None):
        return self.tree

    def values(self, scenario=None):
        return {}


@pytest.mark.parametrize("exact", [True, False])
def test_two_by_two_stages_batched_equal_the_scalar_solver_mixed_equilibria_included(exact):
    """At a in {3, 2, 1, 1/2}: the dominant case is solved batched; hawk-dove (9 SPE: 3 per stage, mixed ones
    included) and the degenerate a = 1 are flagged and re-solved on the scalar path, rows equal to its own (in
    exact mode every point is, its outcome being a lottery whose label prints exact probabilities)."""
    a = sympy.Symbol("a")
    tree = _hawk_dove(a)
    values = np.array([F(3), F(2), F(1), F(1, 2)], dtype=object)
    res = solve_tree_points(_TreeModel(tree), None, None, {"a": values}, exact=exact)
    assert res.flagged.tolist() == [False, False, True, True]
    assert res.rescued.tolist() == ([True] * 4 if exact else res.flagged.tolist())   # exact: lotteries re-solved
    for p, v in enumerate(values):
        ref = gtu.solve(tree.instantiate({"a": v}, exact=exact), exact=exact)
        rows = np.flatnonzero(res.point == p)
        assert len(rows) == len(ref) == res.n_equilibria[p]
        for r, eq in zip(rows, ref.equilibria):
            np.testing.assert_allclose(res.payoffs[r], [float(x) for x in eq.payoffs], atol=1e-12)
            beh = {h: probs for st in eq.strategies for h, probs in st.items()}
            for k, h in enumerate(res.infosets):
                probs = tuple(float(x) for x in beh[h])
                if res.choices[r, k] >= 0:
                    assert probs[res.choices[r, k]] == 1.0
                else:
                    assert res.mixed[int(r)][h] == probs and 0 < probs[0] < 1
    assert res.n_equilibria.tolist()[3] == 9 and any(res.mixed)


def test_micro_deals_batched_equal_the_scalar_solver_over_the_box():
    """The micro-deals model (12 simultaneous stages) at 300 points of its box: the batched engine gives the
    float scalar solver's equilibria, point for point, and its sweep table equals the scalar engine's."""
    model = gtu.load_model("micro-deals")
    pts = _random_points(model, 300, seed=17)
    res = solve_tree_points(model, "sequential", None, pts, exact=False)
    assert res.rescued.sum() < 30 and (res.n_equilibria == 1).all()
    for p in range(300):
        _assert_agree(model, None, res, p, {k: float(v[p]) for k, v in pts.items()}, exact=False)
    ref = sweep(model, {"rho": "0.01:0.5:41", "dp_S": "0:0.2:5"}, form="sequential", engine="scalar")
    mine = sweep(model, {"rho": "0.01:0.5:41", "dp_S": "0:0.2:5"}, form="sequential", engine="batched")
    assert mine.attrs["engine"] == "tree" and len(set(mine["outcome_key"])) >= 3
    pd.testing.assert_frame_equal(mine, ref, check_exact=False, rtol=0, atol=1e-9)


def test_a_compiled_tree_still_pickles():
    """The compiled functions live in the tree's cache; pickling (used by the suite and by parallel
    sweeps) drops the cache instead of failing on lambdified functions."""
    import pickle

    import gametheory_ukraine as gtu
    from gametheory_ukraine.batched.trees import compiled_tree

    tree = gtu.load_model("territory").symbolic("sequential")
    compiled_tree(tree)
    clone = pickle.loads(pickle.dumps(tree))
    assert clone == tree and not clone._cache


def test_ties_between_payoffs_written_differently_are_certified_and_near_ties_are_not():
    """a*(1+b) and a + a*b are one expression (a tie at every point, enumerated without an exact rescue);
    a + a*b + 1/10**9 is not (its points are flagged for exact re-solving, never reported as a tie)."""
    a, b = sympy.symbols("a b")
    tree = GameTree(("A", "B"), Decision("r", 0, ("x", "y", "z"), (
        Terminal("t1", (a * (1 + b), 0)), Terminal("t2", (a + a * b, 1)),
        Terminal("t3", (a + a * b - sympy.Rational(1, 10**9), 2)))))
    compiled = compiled_tree(tree)
    bi = backward_induction(compiled, {"a": np.array([1.0, 2.0]), "b": np.array([0.5, 3.0])})
    assert bi.flagged.all()  # t3 lies within the float band of t1 and t2 but is no exact tie
    lone = GameTree(("A", "B"), Decision("r", 0, ("x", "y"), (
        Terminal("t1", (a * (1 + b), 0)), Terminal("t2", (a + a * b, 1)))))
    bi = backward_induction(compiled_tree(lone), {"a": np.array([1.0, 2.0]), "b": np.array([0.5, 3.0])})
    assert bi.tied.all() and not bi.flagged.any()
