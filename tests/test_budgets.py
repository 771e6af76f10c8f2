"""Bounded work: every command estimates what it will do and refuses past a documented budget, at once, with
one line giving the estimate, the cap and the option that raises it; bad counts and seeds are refused as the
command line is read; a sweep point with undefined payoffs names its values."""

from __future__ import annotations

import random
import time

import numpy as np
import pytest
from bounded_gtu import assert_all_clean, run_gtu
from conftest import LOG_MODEL

import gametheory_ukraine as gtu
from gametheory_ukraine.analysis.designs import MAX_POINTS, design
from gametheory_ukraine.analysis.sensitivity import model_sobol
from gametheory_ukraine.analysis.thresholds import thresholds
from gametheory_ukraine.core.errors import ParameterError, SolverError
from gametheory_ukraine.io.gambit import write_gambit
from gametheory_ukraine.output.tree_drawing import check_picture_size
from gametheory_ukraine.solvers.solving import MAX_WORK, estimate_work


def tree_model(path, depth: int) -> str:
    """A binary perfect-information tree of 2**(depth+1) - 1 nodes with one parameter r in [0, 10]."""
    lines = ["name: big-tree", "title: big tree", "players: [A, B]", "parameters:", "  r:", "    default: 1",
             "    low: 0", "    high: 10", "    description: r", "    source: test", "forms:", "  sequential:",
             "    root: n0", "    nodes:"]
    count = [0]

    def node(level: int, name: str) -> None:
        lines.append(f"      {name}:")
        if level == depth:
            k = count[0]
            count[0] += 1
            lines.append(f"        payoffs: {{A: r*{k % 7} + {k}, B: {(k * 37) % 4099}}}")
            return
        lines.append(f"        player: {'A' if level % 2 == 0 else 'B'}")
        lines.append(f"        actions: {{x: {name}l, y: {name}r}}")
        node(level + 1, name + "l")
        node(level + 1, name + "r")

    node(0, "n")
    lines[12] = "    root: n"
    path.write_text("\n".join(lines) + "\n")
    return str(path)


def log_model(path) -> str:
    path.write_text(LOG_MODEL)
    return str(path)


def one_line(outcome) -> str:
    lines = [ln for ln in outcome.stderr.splitlines() if ln.strip()]
    assert outcome.status == 2 and len(lines) == 1 and lines[0].startswith("gtu: error: "), outcome.describe()
    return lines[0]


# ------------------------------------------------------------------------------------ designs and scans
def test_unbounded_designs_are_refused_at_once(tmp_path):
    cases = [
        ["sweep", "territory", "-p", "rho=0.01:0.5:1000000000000", "-o", "a.csv"],
        ["sweep", "territory", "-p", "rho=0.01:0.5:1000000", "-p", "delta=0.8:0.9:1000000", "-o", "b.csv"],
        ["sweep", "territory", "--method", "lhs", "--samples", "1073741824", "-p", "rho=0.01:0.5", "-o", "c.csv"],
        ["sweep", "territory", "--method", "sobol", "--samples", "1073741824", "-p", "rho=0.01:0.5", "-o", "d.csv"],
        ["sweep", "territory", "--method", "mc", "--samples", "1000000000", "-p", "rho=0.01:0.5", "-o", "e.parquet"],
        ["thresholds", "territory", "--param", "rho", "--grid", "1000000000"],
        ["sensitivity", "chain-store", "--kind", "sobol", "--samples", str(2**30)],
    ]
    outcomes = run_gtu([{"argv": a, "cwd": str(tmp_path)} for a in cases], seconds=20)
    assert_all_clean(outcomes)
    expected = [("1,000,000,000,000 points", "100,000,000", "--max-points 1000000000000"),
                ("1,000,000,000,000 points", "100,000,000", "--max-points"),
                ("1,073,741,824 points", "10,000,000", "--max-points 1073741824"),
                ("1,073,741,824 points", "100,000,000", "--max-points 1073741824"),
                ("1,000,000,000 points", "100,000,000", "--max-points 1000000000"),
                ("1,000,000,000 grid points", "100,000", "--max-points 1000000000"),
                ("7,516,192,768 points", "200,000", "--max-points 7516192768")]
    for outcome, parts in zip(outcomes, expected):
        line = one_line(outcome)
        assert all(part in line for part in parts), line
        assert outcome.seconds < 10, outcome.describe()
    assert list(tmp_path.iterdir()) == []  # nothing written, not even a temporary file


def test_python_api_budgets_raise_and_can_be_raised():
    model = gtu.load_model("territory")
    with pytest.raises(ParameterError, match=r"1,000,000,000,000 points.*--max-points"):
        gtu.sweep(model, {"rho": "0.01:0.5:1000000000000"}, form="sequential")
    with pytest.raises(ParameterError, match=r"3 points, more than the budget of 2"):
        gtu.sweep(model, {"rho": "0.01:0.5:3"}, form="sequential", max_points=2)
    df = gtu.sweep(model, {"rho": "0.01:0.5:3"}, form="sequential", max_points=3)
    assert sorted(df["point_id"].unique()) == [0, 1, 2]
    with pytest.raises(ParameterError, match="the design has 20,000,000 points"):
        design({"a": "0:1:20000000"})
    assert len(design({"a": "0:1:5"}, max_points=5)) == 5
    with pytest.raises(ParameterError, match="--max-points"):
        thresholds(model, "rho", form="sequential", grid=10**9)
    with pytest.raises(ParameterError, match=r"max_points=0 is not a whole number >= 1"):
        thresholds(model, "rho", form="sequential", grid=21, max_points=0)
    with pytest.raises(ParameterError, match=r"N x \(2 \+ 2\) = 4,294,967,296 points"):
        model_sobol(gtu.load_model("chain-store"), "payoff:Entrant", params=["o_E", "d"], n=2**30)
    with pytest.raises(ParameterError, match="--seed"):
        model_sobol(gtu.load_model("chain-store"), "payoff:Entrant", params=["o_E", "d"], n=8, seed=-1)
    assert MAX_POINTS == 10**8


# ------------------------------------------------------------------------------------------------ solves
def random_game(shape, seed=0):
    rng = np.random.default_rng(seed)
    return gtu.NormalFormGame.from_arrays(*[rng.integers(0, 20, shape).tolist() for _ in shape])


def test_games_too_large_for_the_method_are_refused_by_the_cli(tmp_path):
    files = {}
    for name, game in [("g16", random_game((16, 16))),
                       ("c40", gtu.NormalFormGame.from_arrays(np.zeros((40, 40), int).tolist(),
                                                              np.zeros((40, 40), int).tolist())),
                       ("p444", random_game((4, 4, 4))), ("p20", random_game((20, 20, 20)))]:
        files[name] = str(write_gambit(game, tmp_path / f"{name}.nfg"))
    cases = [{"argv": ["solve", files[k]], "cwd": str(tmp_path)} for k in ("g16", "c40", "p444", "p20")]
    cases.append({"argv": ["solve", files["g16"], "--method", "pure"], "cwd": str(tmp_path)})
    cases.append({"argv": ["solve", files["g16"], "--method", "lemke-howson"], "cwd": str(tmp_path)})
    outcomes = run_gtu(cases, seconds=60)
    assert_all_clean(outcomes)
    for outcome in outcomes[:4]:
        line = one_line(outcome)
        assert "--max-work: solving the" in line and "more than the budget of 2,000,000" in line, line
        assert "--method pure" in line and outcome.seconds < 5, line
    # the upper bound theorem for a 16-polytope with 32 facets: C(24, 16) + C(23, 16) = 735,471 + 245,157
    # bases, times 16 x 16 / 8
    assert "16 x 16 game by vertex-enumeration needs 31,380,096 units" in outcomes[0].stderr
    assert "raise the budget with --max-work 31380096" in outcomes[0].stderr
    assert "3 x" not in outcomes[3].stderr and "internal error" not in outcomes[3].stderr
    assert "20 x 20 x 20 game by support-enumeration" in outcomes[3].stderr
    assert outcomes[4].status == 0 and outcomes[5].status == 0


def test_solve_budget_in_the_api_and_the_framework_models_are_admitted():
    g = random_game((9, 9), seed=1)
    # C(13, 9) + C(13, 9) = 1,430 bases at most (the upper bound theorem, dimension 9, 18 facets) x 81 / 8
    with pytest.raises(SolverError, match=r"9 x 9 game by vertex-enumeration needs 14,478 units"):
        gtu.solve(g, max_work=1000)
    with pytest.raises(SolverError, match="max_work=0 is not a whole number"):
        gtu.solve(g, max_work=0)
    # 12 x 12: at most C(18, 12) + C(17, 12) = 24,752 bases, 594,048 units: within the default budget
    assert estimate_work((12, 12), "vertex-enumeration")[0] == 24752 * 144 // 8 <= MAX_WORK
    assert gtu.solve(random_game((12, 12), seed=2)).complete
    assert estimate_work((2, 2, 3), "support-enumeration")[0] <= MAX_WORK
    for name in gtu.list_models():
        model = gtu.load_model(name)
        for form in model.forms:
            assert len(model.solve(form)) >= 1


def test_lemke_howson_paths_end_on_games_where_pivoting_overflows():
    start = time.perf_counter()
    res = gtu.solve(random_game((15, 15)), method="lemke-howson")
    assert time.perf_counter() - start < 20
    assert len(res) >= 1 and not res.complete


# ------------------------------------------------------------------------------------- trees and pictures
def test_pictures_and_sweeps_of_big_trees_are_refused_before_drawing_or_solving(tmp_path):
    path = tree_model(tmp_path / "big.yaml", 10)  # 2,047 nodes
    cases = [["export", path, "--to", "png", "-o", "t.png"],
             ["sweep", path, "-p", "r=0:10:1000", "--engine", "scalar", "-o", "s.csv"],
             ["thresholds", path, "--param", "r", "--grid", "1000"]]
    outcomes = run_gtu([{"argv": a, "cwd": str(tmp_path)} for a in cases], seconds=20)
    assert_all_clean(outcomes)
    pic, sweep, scan = (one_line(o) for o in outcomes)
    assert "2,047 nodes is more than the budget of 1,000" in pic and "--to efg" in pic and "--max-nodes 2047" in pic
    assert "1,000 points x 2,047 nodes x 1000 (scalar engine) = 2,047,000,000 units" in sweep and "--max-work" in sweep
    assert "--max-work" in scan and "--grid points (at most 977)" in scan
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.yaml"]
    assert check_picture_size(gtu.load_model("chain-store").symbolic("sequential")) == 5
    with pytest.raises(ParameterError, match="--max-nodes 5"):
        check_picture_size(gtu.load_model("chain-store").symbolic("sequential"), max_nodes=4)


# ------------------------------------------------------------------------------------- command-line values
BAD_VALUES = [
    (["sweep", "territory", "--workers", "0", "-p", "rho=0.01:0.5:3", "-o", "w.csv"], "--workers"),
    (["sensitivity", "chain-store", "--kind", "sobol", "--seed", "-1"], "--seed"),
    (["sweep", "territory", "--method", "mc", "--samples", "0", "-p", "rho=0.01:0.5", "-o", "s.csv"], "--samples"),
    (["sweep", "territory", "--method", "mc", "--samples", "-5", "-p", "rho=0.01:0.5", "-o", "s.csv"], "--samples"),
    (["sweep", "territory", "--method", "mc", "--samples", "abc", "-p", "rho=0.01:0.5", "-o", "s.csv"], "--samples"),
    (["thresholds", "territory", "--param", "rho", "--grid", "1"], "--grid"),
    (["sweep", "territory", "--chunk-size", "0", "-p", "rho=0.01:0.5:3", "-o", "c.csv"], "--chunk-size"),
    (["sweep", "territory", "--method", "mc", "--samples", "4", "--seed", "9" * 60, "-p", "rho=0.01:0.5",
      "-o", "s.csv"], "--seed"),
    (["solve", "chain-store", "--max-work", "0"], "--max-work"),
]


def test_bad_counts_and_seeds_are_refused_in_one_line(tmp_path):
    cases = [{"argv": a, "cwd": str(tmp_path)} for a, _ in BAD_VALUES]
    cases.append({"argv": ["sensitivity", "chain-store", "--kind", "sobol", "--samples", "8", "--seed", "0",
                           "--params", "o_E,d"], "cwd": str(tmp_path)})
    outcomes = run_gtu(cases, seconds=20)
    assert_all_clean(outcomes)
    for outcome, (_, option) in zip(outcomes, BAD_VALUES):
        line = one_line(outcome)
        assert option in line and "fix:" in line and len(line) < 250, line
    assert outcomes[-1].status == 0 and "S1" in outcomes[-1].stdout
    assert list(tmp_path.iterdir()) == []


# -------------------------------------------------------------------------------------- undefined payoffs
def test_a_sweep_point_with_undefined_payoffs_is_named(tmp_path):
    path = log_model(tmp_path / "logm.yaml")
    cases = [{"argv": ["sweep", path, "-p", "r=0.5,2,1.5", "--engine", "scalar", "-o", "a.csv"],
              "cwd": str(tmp_path)},
             {"argv": ["sweep", path, "-p", "r=2,1.5,1", "--engine", "scalar", "-o", "b.csv"],
              "cwd": str(tmp_path)}]
    outcomes = run_gtu(cases, seconds=20)
    assert_all_clean(outcomes)
    complex_point, zero_point = (one_line(o) for o in outcomes)
    assert "at the sweep point r=0.5:" in complex_point and "log(r - 1) is not a real number" in complex_point
    assert "at the sweep point r=1" in zero_point and "fix:" in zero_point
    assert sorted(p.name for p in tmp_path.iterdir()) == ["logm.yaml"]


# ------------------------------------------------------------------------------------------------- fuzzing
def hostile_cases(rng: random.Random, n: int) -> list[list[str]]:
    counts = ["0", "-1", "1", "2", "3", "1e12", "abc", "", " ", "9" * 50, "2**30", "1_000", "0x10", "nan", "-0",
              "1073741824", "+4"]
    specs = ["0:1:1e12", "1:0:5", "nan:1:3", "0.01:0.5:1000000000000", "0.01:0.5:3", "0.01:0.5", "inf:1:2",
             "0.01:0.5:-3", "0.01:0.5:0", "0.01,0.02,", "::", "0.01:0.5:1.5", "1e999999:1:2", "0.02"]
    out = []
    for _ in range(n):
        kind = rng.choice(["sweep", "thresholds", "sensitivity", "solve", "export"])
        if kind == "sweep":
            argv = ["sweep", "territory", "--form", "sequential", "-o", "o.csv"]
            for _ in range(rng.randint(0, 4)):
                argv += ["-p", f"{rng.choice(['rho', 'delta', 'p', 'zz'])}={rng.choice(specs)}"]
            if rng.random() < 0.6:
                argv += ["--method", rng.choice(["grid", "lhs", "mc", "sobol"]), "--samples", rng.choice(counts)]
            for option in ("--seed", "--workers", "--chunk-size", "--max-points", "--max-work"):
                if rng.random() < 0.3:
                    argv += [option, rng.choice(counts)]
        elif kind == "thresholds":
            argv = ["thresholds", "territory", "--param", rng.choice(["rho", "zz"]), "--grid", rng.choice(counts)]
            if rng.random() < 0.3:
                argv += ["--max-points", rng.choice(counts)]
        elif kind == "sensitivity":
            argv = ["sensitivity", "chain-store", "--kind", "sobol", "--samples", rng.choice(counts),
                    "--seed", rng.choice(counts), "--params", "o_E,d"]
        elif kind == "solve":
            argv = ["solve", rng.choice(["chain-store", "nato"]), "--max-work", rng.choice(counts),
                    "--method", rng.choice(["auto", "pure", "lemke-howson", "bogus"])]
        else:
            argv = ["export", "chain-store", "--to", rng.choice(["png", "svg", "efg"]), "--max-nodes",
                    rng.choice(counts), "-o", "e." + rng.choice(["png", "svg", "efg"])]
        if rng.random() < 0.1:
            argv.append(rng.choice(["--frobnicate", "--max-points=-3", "-p"]))
        out.append(argv)
    return out


def test_fuzzed_command_lines_end_cleanly_within_the_limits(tmp_path):
    cases = [{"argv": argv, "cwd": str(tmp_path)} for argv in hostile_cases(random.Random(13), 60)]
    start = time.perf_counter()
    outcomes = run_gtu(cases, seconds=20)
    assert len(outcomes) == len(cases)
    assert_all_clean(outcomes)
    assert time.perf_counter() - start < 120
    assert any(o.status == 0 for o in outcomes) and any(o.status == 2 for o in outcomes)
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]
    assert leftovers == []
