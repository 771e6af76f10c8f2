"""Sweeps and designs (gametheory_ukraine.analysis.sweep, .designs): specs, grids, sampled designs, the tidy
table, CSV and Parquet files, the gtu sweep command, and bad input.

Independent numbers used below (all by hand from models/README.md and DESIGN.md section 5):

- territory at baseline-2025: delta = 0.9, p = 0.6, c_R = 0.1, c_U = 0.15, x_D = 0.7, kappa = 0.5,
  dp_belt = 0.1, dp_erosion = 0. War today is worth W_R = (p - c_R)/(1 - delta) = 5 and W_U = (1 - p - c_U)/(1 - delta)
  = 2.5; after a cession the next war is fought at p + dp_belt, worth W'_R = 6 and W'_U = 1.5. The Donbas deal
  relapses with hazard rho_D = rho (1 + kappa), so it is worth V = (s + delta rho_D W')/(1 - delta (1 - rho_D))
  with s = x_D = 0.7 to Russia and 0.3 to Ukraine. Ukraine cedes iff V_U >= W_U, i.e.
  rho <= rho* = (1 - delta)(p + c_U - x_D)/(delta (1 + kappa) dp_belt) = 1/(18 (1 + kappa)) = 1/27 at kappa = 1/2
  (tests/test_claims_territory.py: hand_rho_star).
- The grid 0.01:0.5:101 has points rho_k = 0.01 + 0.0049 k. rho_5 = 0.0345 < 1/27 = 0.037037... < rho_6 = 0.0394,
  so k = 0..5 (6 points) settle on Russian terms and k = 6..100 (95 points) are war.
"""

from __future__ import annotations

import dataclasses
import json
import math
import os
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import THREE_PLAYER

import gametheory_ukraine as gtu
from gametheory_ukraine.analysis import sweep_plan, sweep_points
from gametheory_ukraine.analysis.designs import Spec, as_spec, design, n_points, parse_spec
from gametheory_ukraine.analysis.sweep import sweep, write_table
from gametheory_ukraine.analysis.sweep_plan import estimate_size
from gametheory_ukraine.cli import main
from gametheory_ukraine.core.errors import OutputError, ParameterError, SolverError

SETTLE, WAR = "settlement on Russian terms", "war continues"
SEQ = {"form": "sequential", "scenario": "baseline-2025"}


@pytest.fixture(scope="module")
def model():
    return gtu.load_model("territory")


@pytest.fixture(scope="module")
def df101(model):
    return sweep(model, {"rho": "0.01:0.5:101"}, **SEQ)


def donbas_deal(rho, kappa=0.5, delta=0.9):
    """(V_R, V_U) of the Donbas settlement by hand (DESIGN.md section 5)."""
    h = rho * (1 + kappa)
    den = 1 - delta * (1 - h)
    return (0.7 + delta * h * 6) / den, (0.3 + delta * h * 1.5) / den


def rho_star(kappa):
    return Fraction(1, 18) / (1 + Fraction(kappa))


def no_solving(*_a, **_k):
    raise AssertionError("a point was solved before the input was checked")


# ------------------------------------------------------------------------------------------- specs
def test_parse_spec_reads_numbers_exactly():
    g = parse_spec("0.01:0.5:101")
    assert (g.kind, g.lo, g.hi, g.n) == ("grid", Fraction(1, 100), Fraction(1, 2), 101)
    vals = g.exact_values()
    assert len(vals) == 101 and vals[0] == Fraction(1, 100) and vals[-1] == Fraction(1, 2)
    assert vals[5] == Fraction(345, 10000) and vals[6] == Fraction(394, 10000)
    assert g.float_values()[5] == 0.0345  # the float nearest the exact point, not 0.01 + 5 * 0.0049
    assert parse_spec("0:1/2:3").exact_values() == (0, Fraction(1, 4), Fraction(1, 2))
    assert parse_spec("-0.05:0.05:3").exact_values() == (Fraction(-1, 20), 0, Fraction(1, 20))
    r = parse_spec(" 0.01 : 0.5 ")
    assert (r.kind, r.lo, r.hi, r.n) == ("range", Fraction(1, 100), Fraction(1, 2), None)
    lst = parse_spec("0.3,1/27,5e-2")
    assert lst.kind == "list" and lst.values == (Fraction(3, 10), Fraction(1, 27), Fraction(1, 20))
    assert (lst.lo, lst.hi) == (Fraction(1, 27), Fraction(3, 10))
    assert parse_spec("1/27").values == (Fraction(1, 27),) and parse_spec("1/27").kind == "fixed"
    assert parse_spec("0.3:0.3:1").exact_values() == (Fraction(3, 10),)
    assert str(parse_spec("0.01:0.5:101")) == "0.01:0.5:101" and str(parse_spec("1/27,0.5")) == "1/27,0.5"


@pytest.mark.parametrize("text, words", [
    ("0.3:0.1:5", "LO > HI"),
    ("0.3:0.3:0", "a grid of 0 points is empty"),
    ("0.3:0.3:5", "is empty (LO = HI)"),
    ("0.3:0.3", "is empty (LO = HI)"),
    ("0.1:0.3:1", "ambiguous"),
    ("0.1:0.3:2.5", "not a whole number"),
    ("0.1:x:3", "'x' is not a number"),
    ("0.1:0.2:3:4", "cannot read"),
    ("0.1,,0.2", "empty item"),
    ("0.1:0.2,0.3", "mixes"),
    ("", "empty"),
])
def test_parse_spec_bad_text(text, words):
    with pytest.raises(ParameterError) as info:
        parse_spec(text, where=f"-p rho={text}")
    assert words in str(info.value) and "fix:" in str(info.value)


def test_as_spec_python_values():
    assert as_spec((0.01, 0.5)) == Spec.range("0.01", "0.5")
    assert as_spec([0.01, 0.5]).kind == "array" and as_spec(["0.01", "0.5"]).kind == "list"
    assert as_spec(np.array([0.1, 0.2, 0.3])).n == 3 and as_spec(np.array([1, 2])).kind == "list"
    assert as_spec(0.05).values == (Fraction(1, 20),) and as_spec(Fraction(1, 27)).values == (Fraction(1, 27),)
    with pytest.raises(ParameterError, match="not a list"):
        as_spec(np.zeros((2, 2)))


# ----------------------------------------------------------------------------------------- designs
def test_grid_of_two_parameters_is_the_full_product_first_slowest():
    a, b = [0.0, 0.25, 0.5, 1.0], [10.0, 20.0, 30.0]
    d = design({"a": "0,0.25,0.5,1", "b": "10:30:3"})
    assert d.shape == (12, 2) and list(d.columns) == ["a", "b"]
    assert d["a"].tolist() == list(np.repeat(a, 3)) and d["b"].tolist() == b * 4
    assert n_points({"a": "0,0.25,0.5,1", "b": "10:30:3"}) == 12
    assert d.attrs["seed"] is None and d.attrs["method"] == "grid"
    ex = design({"a": "0:1:4"}, exact=True)
    assert ex["a"].tolist() == [0, Fraction(1, 3), Fraction(2, 3), 1]
    assert design({}).shape == (1, 0)


@pytest.mark.parametrize("method", ["lhs", "mc", "sobol"])
def test_sampled_designs_reproducible_inside_bounds(method):
    ranges = {"rho": "0.01:0.5", "c_R": (0.02, 0.4), "kappa": 0.5}
    a = design(ranges, method=method, samples=64, seed=7)
    b = design(ranges, method=method, samples=64, seed=7)
    c = design(ranges, method=method, samples=64, seed=8)
    pd.testing.assert_frame_equal(a, b)
    assert not np.allclose(a[["rho", "c_R"]].to_numpy(), c[["rho", "c_R"]].to_numpy())
    assert list(a.columns) == ["rho", "c_R", "kappa"] and a.shape == (64, 3)
    assert a["rho"].between(0.01, 0.5).all() and a["c_R"].between(0.02, 0.4).all()
    assert (a["kappa"] == 0.5).all() and a.attrs["seed"] == 7 and a.attrs["samples"] == 64
    # seed 0 is a seed, not "no seed"
    z1, z2 = (design(ranges, method=method, samples=64, seed=0) for _ in range(2))
    pd.testing.assert_frame_equal(z1, z2)
    assert z1.attrs["seed"] == 0
    # no seed: a fresh one, recorded, that reproduces the design
    fresh = design(ranges, method=method, samples=64)
    assert isinstance(fresh.attrs["seed"], int)
    pd.testing.assert_frame_equal(design(ranges, method=method, samples=64, seed=fresh.attrs["seed"]), fresh)


def test_mc_is_the_generator_scaled():
    d = design({"x": "1:3", "y": "-1:0"}, method="mc", samples=5, seed=0)
    u = np.random.default_rng(0).random((5, 2))
    np.testing.assert_array_equal(d["x"].to_numpy(), 1 + 2 * u[:, 0])
    np.testing.assert_array_equal(d["y"].to_numpy(), -1 + u[:, 1])


def strata(col, lo, hi, n):
    return sorted(np.floor((col.to_numpy() - lo) / (hi - lo) * n).astype(int).tolist())


def test_lhs_hits_each_stratum_once_per_dimension():
    n = 50
    d = design({"a": "0:1", "b": "0.01:0.5", "c": "-2:3"}, method="lhs", samples=n, seed=11)
    for name, (lo, hi) in {"a": (0, 1), "b": (0.01, 0.5), "c": (-2, 3)}.items():
        assert strata(d[name], lo, hi, n) == list(range(n)), name
    # Sobol' with 2^m points is a (0, m, 1)-net in each coordinate: one point per stratum too.
    s = design({"a": "0:1", "b": "0:1"}, method="sobol", samples=64, seed=11)
    assert strata(s["a"], 0, 1, 64) == list(range(64)) and strata(s["b"], 0, 1, 64) == list(range(64))
    # independent uniform draws are not stratified (a random permutation would have probability 50!/50^50)
    m = design({"a": "0:1"}, method="mc", samples=n, seed=11)
    assert strata(m["a"], 0, 1, n) != list(range(n))


@pytest.mark.parametrize("kwargs, words", [
    ({"method": "lhs"}, "needs its number of points"),
    ({"method": "sobol", "samples": 100}, "--samples 64 or 128"),
    ({"method": "mc", "samples": 0}, "not a whole number >= 1"),
    ({"method": "grid", "samples": 10}, "not grids"),
    ({"method": "latin"}, "unknown design method"),
    ({"method": "mc", "samples": 4, "seed": -1}, "seed -1"),
])
def test_design_bad_arguments(kwargs, words):
    ranges = {"rho": "0.01:0.5"} if kwargs["method"] != "grid" else {"rho": "0.01:0.5:3"}
    with pytest.raises(ParameterError, match="fix:") as info:
        design(ranges, **kwargs)
    assert words in str(info.value)


def test_design_specs_the_method_cannot_use():
    with pytest.raises(ParameterError, match="range without a number of grid points"):
        design({"rho": "0.01:0.5"})
    with pytest.raises(ParameterError, match="write the range rho=0.01:0.5 without N"):
        design({"rho": "0.01:0.5:11"}, method="lhs", samples=8)
    with pytest.raises(ParameterError, match="needs at least one range"):
        design({"rho": 0.1}, method="mc", samples=8)


# ------------------------------------------------------------------------------- the 101-point sweep
def test_101_point_rho_sweep_matches_hand_and_direct_solves(model, df101):
    df = df101
    assert len(df) == 101 and df["point_id"].tolist() == list(range(101))
    assert (df["n_equilibria"] == 1).all() and (df["equilibrium"] == 0).all() and df["complete"].all()
    np.testing.assert_array_equal(df["rho"].to_numpy(), parse_spec("0.01:0.5:101").float_values())
    # outcome switches once, between rho_5 = 0.0345 and rho_6 = 0.0394 (rho* = 1/27): 6 settle, 95 war
    assert df["outcome"].tolist() == [SETTLE] * 6 + [WAR] * 95
    assert df["rho"].iloc[5] < 1 / 27 < df["rho"].iloc[6]
    settle = df.iloc[:6]
    v_r, v_u = donbas_deal(settle["rho"].to_numpy())
    np.testing.assert_allclose(settle["payoff:Russia"], v_r, rtol=1e-12)
    np.testing.assert_allclose(settle["payoff:Ukraine"], v_u, rtol=1e-12)
    assert v_u[-1] >= 2.5 > donbas_deal(0.0394)[1]  # the hand threshold agrees at the switching pair
    np.testing.assert_allclose(df.loc[6:, ["payoff:Russia", "payoff:Ukraine"]], [[5, 2.5]] * 95, rtol=1e-12)
    assert (df["prob:Ukraine:ukraine_on_donbas:cede all of Donbas"] == [1.0] * 6 + [0.0] * 95).all()
    assert (df["prob:Russia:russia_demand:demand all of Donbas"] == 1).all()
    # every parameter is a column; the fixed ones also in attrs
    assert list(df.columns[:3]) == ["point_id", "rho", "delta"] and (df["kappa"] == 0.5).all()
    assert df.attrs["parameters"]["kappa"] == "0.5" and "rho" not in df.attrs["parameters"]
    assert df.attrs["varied"] == ["rho"] and df.attrs["specs"] == {"rho": "0.01:0.5:101"}
    assert df.attrs["model_sha256"] == model.sha256 and df.attrs["version"] == gtu.__version__
    assert (df.attrs["form"], df.attrs["scenario"], df.attrs["method"]) == ("sequential", "baseline-2025", "grid")
    # spot checks against solving each point directly
    for k in (0, 3, 5, 6, 7, 50, 100):
        direct = model.solve("sequential", "baseline-2025", rho=float(df["rho"].iloc[k]))
        row = df.iloc[k]
        assert len(direct) == 1 and row["outcome"] == direct[0].outcome
        # the batched engine evaluates the payoffs with lambdified numpy, the scalar solver with sympy: same
        # numbers up to float rounding
        assert (row["payoff:Russia"], row["payoff:Ukraine"]) == pytest.approx(
            tuple(float(v) for v in direct[0].payoffs), rel=1e-12)
        for player, per in direct.strategy_dict(direct[0]).items():
            for infoset, probs in per.items():
                for action, prob in probs.items():
                    assert row[f"prob:{player}:{infoset}:{action}"] == float(prob)


def test_101_point_sweep_files_via_cli(tmp_path, capsys, df101):
    for suffix in ("csv", "parquet"):
        out = tmp_path / f"rho.{suffix}"
        code = main(["sweep", "territory", "-p", "rho=0.01:0.5:101", "--form", "sequential", "--scenario",
                     "baseline-2025", "-o", str(out)])
        err = capsys.readouterr().err
        assert code == 0 and err.strip() == f"gtu sweep: territory sequential: 101 points, 101 rows -> {out}"
        back = pd.read_csv(out) if suffix == "csv" else pd.read_parquet(out)
        # CSV has no categories; Parquet keeps them (outcome, outcome_key are categorical)
        pd.testing.assert_frame_equal(_plain(back), _plain(df101), check_dtype=False)
        assert (suffix == "csv") != isinstance(back["outcome"].dtype, pd.CategoricalDtype)
        assert back["outcome"].tolist() == [SETTLE] * 6 + [WAR] * 95
    assert sorted(os.listdir(tmp_path)) == ["rho.csv", "rho.parquet"]  # no temporary files left
    import pyarrow.parquet as pq

    meta = json.loads(pq.read_schema(tmp_path / "rho.parquet").metadata[b"gametheory_ukraine"])
    expected = {k: v for k, v in json.loads(json.dumps(df101.attrs)).items() if k != "rows"}
    assert meta == expected and meta["model"] == "territory"  # streamed: rows is the file's row count
    assert pq.read_metadata(tmp_path / "rho.parquet").num_rows == df101.attrs["rows"] == 101
    assert pd.read_parquet(tmp_path / "rho.parquet").attrs["specs"] == {"rho": "0.01:0.5:101"}


def _plain(df: pd.DataFrame) -> pd.DataFrame:
    """The table with categorical columns as plain strings (as a CSV file reads back)."""
    return df.astype({c: str for c in df.columns if isinstance(df[c].dtype, pd.CategoricalDtype)})


def test_write_table_to_both_formats(tmp_path, df101):
    small = df101.iloc[:7].copy()
    small.attrs = dict(df101.attrs)
    assert write_table(small, tmp_path / "s.parquet") == tmp_path / "s.parquet"
    back = pd.read_parquet(tmp_path / "s.parquet")
    pd.testing.assert_frame_equal(back, small)
    assert back.attrs == json.loads(json.dumps(small.attrs))
    write_table(small, tmp_path / "s.csv")
    pd.testing.assert_frame_equal(_plain(pd.read_csv(tmp_path / "s.csv")), _plain(small), check_dtype=False)


# --------------------------------------------------------------------------------- other sweeps
def test_two_parameter_grid_sweep_against_hand_thresholds(model):
    """rho* = 1/(18 (1 + kappa)): 1/18 = 0.0556 (kappa 0), 1/27 = 0.037 (kappa 1/2), 1/36 = 0.0278 (kappa 1)."""
    df = gtu.sweep(model, {"rho": "0.01:0.05:3", "kappa": "0,0.5,1"}, **SEQ)
    assert len(df) == 9 and df["point_id"].tolist() == list(range(9))
    assert df["rho"].tolist() == [0.01] * 3 + [0.03] * 3 + [0.05] * 3 and df["kappa"].tolist() == [0, 0.5, 1] * 3
    for _, row in df.iterrows():
        expected = SETTLE if Fraction(str(row["rho"])) <= rho_star(str(row["kappa"])) else WAR
        assert row["outcome"] == expected, (row["rho"], row["kappa"])
    # (rho, kappa) in C order: only (0.03, 1), (0.05, 0.5) and (0.05, 1) lie above their rho*
    assert df["outcome"].tolist() == [SETTLE] * 5 + [WAR, SETTLE, WAR, WAR]
    assert df.attrs["varied"] == ["rho", "kappa"]


def test_exact_sweep_finds_the_tie_at_one_27th(model):
    df = gtu.sweep(model, {"rho": "1/30,1/27,1/25"}, exact=True, **SEQ)
    assert df["point_id"].tolist() == [0, 1, 1, 2] and df["n_equilibria"].tolist() == [1, 2, 2, 1]
    assert df["equilibrium"].tolist() == [0, 0, 1, 0]
    assert df["outcome"].tolist() == [SETTLE, SETTLE, WAR, WAR]
    # at rho* Ukraine is indifferent: V_U = W_U = 2.5; Russia gets V_R = 20/3 from the deal
    assert df["payoff:Ukraine"].iloc[1] == 2.5 and df["payoff:Russia"].iloc[1] == float(Fraction(20, 3))
    assert df["regret"].eq(0).all() and df.attrs["exact"] is True and df.attrs["specs"] == {"rho": "1/30,1/27,0.04"}


def test_normal_form_rows_per_equilibrium():
    """Below rho* the normal form has the Donbas deal and war; in the mixed equilibria Russia settles after a
    cession with the probability q that leaves Ukraine indifferent: q V_U + (1 - q) W'_U = W_U, so
    q = (2.5 - 1.5)/(V_U - 1.5). The game is territory's previous version (tests/data), whose 4 x 4 normal form
    these numbers were derived for."""
    model = gtu.load_model(str(Path(__file__).resolve().parent / "data" / "territory-before-break-option.yaml"))
    df = gtu.sweep(model, {"rho": "0.03,0.2"}, form="normal", scenario="baseline-2025")
    direct = [model.solve("normal", "baseline-2025", rho=r) for r in (0.03, 0.2)]
    assert df["n_equilibria"].tolist() == [len(direct[0])] * len(direct[0]) + [len(direct[1])] * len(direct[1])
    assert len(df) == len(direct[0]) + len(direct[1])
    at = df[df["point_id"] == 0]
    assert at["equilibrium"].tolist() == list(range(len(direct[0])))
    assert set(at["outcome"]) == {SETTLE, WAR} and set(df[df["point_id"] == 1]["outcome"]) == {WAR}
    russia = [c for c in df if c.startswith("prob:Russia:")]
    ukraine = [c for c in df if c.startswith("prob:Ukraine:")]
    assert len(russia) == 4 and len(ukraine) == 4
    np.testing.assert_allclose(df[russia].sum(axis=1), 1)
    np.testing.assert_allclose(df[ukraine].sum(axis=1), 1)
    q = (2.5 - 1.5) / (donbas_deal(0.03)[1] - 1.5)
    settle_col = "prob:Russia:demand all of Donbas and settle"
    assert np.isclose(at[settle_col], q, rtol=1e-9).sum() == 3
    for k, eq in enumerate(direct[0].equilibria):
        assert at.iloc[k]["outcome"] == eq.outcome
        np.testing.assert_allclose(at.iloc[k][russia].to_numpy(float), [float(x) for x in eq.strategies[0]])


def test_sampled_sweep_against_the_hand_threshold(model):
    df = gtu.sweep(model, {"rho": (0.01, 0.5), "kappa": "0.5"}, method="lhs", samples=16, seed=0, **SEQ)
    assert len(df) == 16 and df.attrs["seed"] == 0 and df.attrs["samples"] == 16 and df.attrs["varied"] == ["rho"]
    assert (df["kappa"] == 0.5).all() and df.attrs["parameters"]["kappa"] == "0.5"
    pd.testing.assert_series_equal(df["rho"], design({"rho": (0.01, 0.5)}, method="lhs", samples=16, seed=0)["rho"])
    expected = np.where(df["rho"] <= 1 / 27, SETTLE, WAR)
    assert df["outcome"].tolist() == expected.tolist() and SETTLE in expected and WAR in expected
    again = gtu.sweep(model, {"rho": (0.01, 0.5)}, method="lhs", samples=16, seed=0, **SEQ)
    pd.testing.assert_frame_equal(df, again)
    fresh = gtu.sweep(model, {"rho": (0.01, 0.5)}, method="mc", samples=4, **SEQ)
    assert isinstance(fresh.attrs["seed"], int)
    redo = gtu.sweep(model, {"rho": (0.01, 0.5)}, method="mc", samples=4, seed=fresh.attrs["seed"], **SEQ)
    pd.testing.assert_frame_equal(fresh, redo)


def test_a_point_without_equilibria_keeps_one_row(model, monkeypatch):
    real = sweep_points.solve_point

    def none_at_the_middle(model_, form, scenario, values, exact):
        res = real(model_, form, scenario, values, exact)
        return dataclasses.replace(res, equilibria=()) if values["rho"] == 0.03 else res

    monkeypatch.setattr(sweep_points, "solve_point", none_at_the_middle)
    df = gtu.sweep(model, {"rho": "0.01:0.05:3"}, engine="scalar", **SEQ)
    assert df["point_id"].tolist() == [0, 1, 2] and df["equilibrium"].tolist() == [0, -1, 0]
    assert df["n_equilibria"].tolist() == [1, 0, 1] and df["outcome"].isna().tolist() == [False, True, False]
    assert df["payoff:Russia"].isna().tolist() == [False, True, False]


def test_progress_bar_only_when_asked_or_on_a_terminal(model, capsys):
    gtu.sweep(model, {"rho": "0.01:0.05:3"}, progress=True, engine="scalar", **SEQ)
    err = capsys.readouterr().err
    assert "3/3" in err and "100%" in err
    gtu.sweep(model, {"rho": "0.01:0.05:3"}, **SEQ)  # stderr is not a terminal under pytest
    assert capsys.readouterr().err == ""


# -------------------------------------------------------------------------------------- bad input
@pytest.mark.parametrize("values, kwargs, words", [
    ({"rh": "0.01:0.5:11"}, {}, "no parameter 'rh' (fix: did you mean 'rho'?"),
    ({"rho": "0.5:0.01:11"}, {}, "LO > HI"),
    ({"rho": "0.3:0.3:0"}, {}, "a grid of 0 points is empty"),
    ({"rho": "0:0.5:101"}, {}, "rho=0 is outside its range [0.01, 0.5]"),  # the example, for territory
    ({"rho": [0.1, 0.6]}, {}, "rho=0.6 is outside its range [0.01, 0.5]"),
    ({"kappa": 2}, {}, "kappa=2 is outside its range [0, 1]"),
    ({"rho": (0.01, 0.5)}, {"method": "lhs"}, "needs its number of points"),
    ({"rho": "0.01:0.5:11"}, {"scenario": "nowhere"}, "no scenario 'nowhere'"),
    ({"rho": "0.01:0.5:11"}, {"form": "extensive"}, "no form 'extensive'"),
    ({"rho": "0.01:0.5:101"}, {"max_rows": 50}, "split the range of rho into 3 parts of at most 34 points"),
])
def test_bad_sweeps_fail_before_solving(model, monkeypatch, values, kwargs, words):
    monkeypatch.setattr(sweep_points, "solve_point", no_solving)
    args = {**SEQ, **kwargs}
    with pytest.raises(ParameterError) as info:
        sweep(model, values, **args)
    assert words in str(info.value) and "fix:" in str(info.value)


def test_memory_estimate_refuses_with_how_to_chunk(model, monkeypatch):
    monkeypatch.setattr(sweep_plan, "_available_memory", lambda: 50_000)
    rows, nbytes = estimate_size(101, 1, 31)
    assert (rows, nbytes) == (101, 101 * 31 * 16 + 101 * 100)  # 31 columns: 1 + 12 parameters + 3 + 2 + 11 + 2
    with pytest.raises(ParameterError) as info:
        sweep(model, {"rho": "0.01:0.5:101"}, **SEQ)
    text = str(info.value)
    assert "GiB of memory available" in text and "split the range of rho into 2 parts" in text and "--dask" in text
    with pytest.raises(ParameterError, match="designs of at most --samples"):
        sweep(model, {"rho": "0.01:0.5"}, method="mc", samples=101, seed=1, **SEQ)


@pytest.mark.parametrize("argv, words", [
    (["-p", "rh=0.01:0.5:11"], "did you mean 'rho'?"),
    (["-p", "rho=0.5:0.01:11"], "LO > HI"),
    (["-p", "rho=0.3:0.3:0"], "a grid of 0 points is empty"),
    (["-p", "rho=0:0.5:101"], "outside its range"),
    (["-p", "rho=0.01:0.5", "--method", "lhs"], "--samples: the lhs design needs its number of points"),
    (["-p", "rho=0.01:0.5", "--method", "sobol", "--samples", "100"], "--samples 64 or 128"),
    (["-p", "rho"], "write -p NAME=SPEC"),
    (["-p", "rho=0.1", "-p", "rho=0.2"], "given twice"),
])
def test_cli_bad_input_one_line_exit_2_no_file(tmp_path, capsys, monkeypatch, argv, words):
    monkeypatch.setattr(sweep_points, "solve_point", no_solving)
    out = tmp_path / "t.csv"
    code = main(["sweep", "territory", "--form", "sequential", *argv, "-o", str(out)])
    err = capsys.readouterr().err
    assert code == 2 and words in err and err.startswith("gtu: error: ") and err.count("\n") == 1
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("name, words", [
    ("t.xlsx", "cannot tell the format from the suffix '.xlsx' (fix: use a file name ending in .csv or .parquet)"),
    ("missing/t.csv", "does not exist"),
    ("a_file/t.csv", "does not exist"),
    ("d.csv", "is a folder"),
])
def test_cli_output_path_is_checked_before_solving(tmp_path, capsys, monkeypatch, name, words):
    (tmp_path / "a_file").write_text("x")
    (tmp_path / "d.csv").mkdir()
    monkeypatch.setattr(sweep_points, "solve_point", no_solving)
    code = main(["sweep", "territory", "-p", "rho=0.01:0.5:3", "-o", str(tmp_path / name)])
    err = capsys.readouterr().err
    assert code == 2 and words in err
    assert sorted(os.listdir(tmp_path)) == ["a_file", "d.csv"]
    with pytest.raises(OutputError):
        write_table(pd.DataFrame({"a": [1]}), tmp_path / name)


def test_failure_half_way_leaves_no_file(tmp_path, capsys, monkeypatch):
    real = sweep_points.solve_point
    calls = []

    def flaky(*a):
        calls.append(a)
        if len(calls) > 5:
            raise SolverError("simulated failure at the sixth point", fix="none")
        return real(*a)

    monkeypatch.setattr(sweep_points, "solve_point", flaky)
    out = tmp_path / "half.parquet"
    # --exact runs the scalar per-point path, where a failure can happen half-way
    code = main(["sweep", "territory", "-p", "rho=0.01:0.5:101", "--form", "sequential", "--exact", "-o", str(out)])
    assert code == 2 and "simulated failure" in capsys.readouterr().err and len(calls) == 6
    assert os.listdir(tmp_path) == []
    # an existing file under the final name is left as it was
    out.write_bytes(b"old")
    calls.clear()
    assert main(["sweep", "territory", "-p", "rho=0.01:0.5:101", "--form", "sequential", "--exact",
                 "-o", str(out)]) == 2
    assert out.read_bytes() == b"old" and os.listdir(tmp_path) == ["half.parquet"]


def test_failure_while_writing_leaves_no_file(tmp_path, monkeypatch, df101):
    def broken(self, path, **kw):
        with open(path, "w") as fh:
            fh.write("point_id,rho\n0,0.0")
        raise OSError("disk full (simulated)")

    monkeypatch.setattr(pd.DataFrame, "to_csv", broken)
    with pytest.raises(OSError, match="disk full"):
        write_table(df101, tmp_path / "w.csv")
    assert os.listdir(tmp_path) == []


def test_cli_sampled_design_prints_its_seed(tmp_path, capsys):
    out = tmp_path / "lhs.csv"
    code = main(["sweep", "territory", "--form", "sequential", "--scenario", "baseline-2025", "-p", "rho=0.01:0.5",
                 "-p", "c_R=0.1", "--method", "lhs", "--samples", "8", "--seed", "0", "-o", str(out)])
    err = capsys.readouterr().err
    assert code == 0 and "8 points, 8 rows, seed 0 ->" in err
    back = pd.read_csv(out)
    d = design({"rho": "0.01:0.5"}, method="lhs", samples=8, seed=0)
    np.testing.assert_allclose(back["rho"].to_numpy(), d["rho"].to_numpy(), rtol=1e-15)
    assert (back["outcome"] == np.where(back["rho"] <= 1 / 27, SETTLE, WAR)).all()
    assert math.isclose(back["c_R"].iloc[0], 0.1)


def test_batched_and_scalar_engines_give_the_same_table(model):
    """Sweeps of perfect-information trees run on the batched engine by default; the scalar path gives the
    same rows (payoffs up to float rounding), on a grid that straddles rho* = 1/27."""
    batched = gtu.sweep(model, {"rho": "0.01:0.1:46", "kappa": "0:1:5"}, **SEQ)
    scalar = gtu.sweep(model, {"rho": "0.01:0.1:46", "kappa": "0:1:5"}, engine="scalar", **SEQ)
    assert batched.attrs["engine"] == "tree" and scalar.attrs["engine"] == "scalar"
    pd.testing.assert_frame_equal(batched, scalar, check_exact=False, rtol=1e-12, atol=1e-12)
    three = gtu.sweep(gtu.load_model(THREE_PLAYER), {"rho": "0.01:0.1:3"}, form="normal", engine="batched")
    assert three.attrs["engine"] == "nplayer"


def test_worker_processes_give_the_serial_table(model):
    """Worker processes send back each chunk's solved columns and this process builds the table: the same table,
    bit for bit and with the same attrs, as one process, for a tree (territory) and an N-player normal form (the
    3-player fixture), over several chunks."""
    for m, values, kwargs in ((model, {"rho": "0.01:0.1:23", "kappa": "0:1:3"}, SEQ),
                              (gtu.load_model(THREE_PLAYER), {"rho": "0.01:0.5:31"}, {"form": "normal"})):
        serial = gtu.sweep(m, values, chunk_size=7, **kwargs)
        pooled = gtu.sweep(m, values, chunk_size=7, workers=2, **kwargs)
        assert len(serial) > 60 and serial.attrs["chunk_size"] == 7
        pd.testing.assert_frame_equal(pooled, serial, check_exact=True)
        assert pooled.attrs == serial.attrs


@pytest.mark.parametrize(("method", "samples"), [("grid", None), ("sobol", 256), ("mc", 300), ("lhs", 200)])
def test_a_chunk_of_a_design_equals_the_same_rows_of_the_whole_design(method, samples):
    """design_slice builds rows lo:hi without the whole design (grids, Sobol', MC) and equals design()[lo:hi]."""
    from gametheory_ukraine.analysis.designs import design_slice

    specs = ({"a": "0:1:7", "b": "10,20,30", "c": "0.5"} if method == "grid" else {"a": "0:1", "b": "2:3", "c": "0.5"})
    whole = design(specs, method=method, samples=samples, seed=5)
    parsed = {k: as_spec(v) for k, v in specs.items()}
    for lo, hi in [(0, 1), (3, 17), (len(whole) - 4, len(whole))]:
        part = design_slice(parsed, method=method, samples=samples, seed=whole.attrs["seed"], lo=lo, hi=hi)
        for k in specs:
            np.testing.assert_array_equal(part[k], whole[k].to_numpy()[lo:hi])
