"""Figures: region data against the hand-derived territory threshold, line data against the sweep table and
models/README.md, survival curves against (1 - rho)^n, and valid, deterministic PNG / SVG files."""

from __future__ import annotations

import struct
import warnings
from fractions import Fraction as F
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display needed (the module itself never touches pyplot)

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

import gametheory_ukraine as gtu
from gametheory_ukraine.core.errors import OutputError, ParameterError
from gametheory_ukraine.output import plots

SETTLE, WAR = "settlement on Russian terms", "war continues"
TIE = f"{SETTLE} | {WAR}"

# models/README.md, territory parameter table (baseline-2025 has no overrides)
DELTA, P, C_U, X_D, KAPPA, DP_EROSION = F(9, 10), F(3, 5), F(3, 20), F(7, 10), F(1, 2), F(0)


def rho_star(dp_belt):
    """models/README.md, territory: Ukraine cedes Donbas iff rho <= rho* (hand-derived)."""
    return (1 - DELTA) * (P + C_U - X_D) / (DELTA * (1 + KAPPA) * (dp_belt + DP_EROSION))


def png_size(path):
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def sweep_1d(model, form, scenario, param, values):
    """A sweep table over one parameter built directly from model.solve (independent of plots._rows)."""
    rows = []
    for pid, v in enumerate(values):
        res = model.solve(form, scenario, **{param: v})
        for k, eq in enumerate(res.equilibria):
            row = {"point_id": pid, param: float(F(v)), "equilibrium": k, "n_equilibria": len(res.equilibria),
                   "outcome": eq.outcome}
            row.update({f"payoff:{pl}": float(x) for pl, x in zip(res.players, eq.payoffs)})
            for player, strat in res.strategy_dict(eq).items():
                for key, val in strat.items():
                    if isinstance(val, dict):
                        row.update({f"prob:{player}:{key}:{a}": float(q) for a, q in val.items()})
                    else:
                        row[f"prob:{player}:{key}"] = float(val)
            row["complete"] = res.complete
            rows.append(row)
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def territory():
    # the figures' test game is territory's previous version (tests/data: a 4 x 4 normal form the batched engine
    # sweeps, and the hand-derived numbers these tests were written against); the figures do not depend on it
    return gtu.load_model(str(Path(__file__).resolve().parent / "data" / "territory-before-break-option.yaml"))


@pytest.fixture(scope="module")
def territory_grid(territory):
    # rho = 1/100 .. 10/100 (step 1/100), dp_belt = 2/100 + (13/100) j/7, j = 0..7: exact grid
    return plots.outcome_map_data(territory, "rho", "dp_belt", form="sequential", scenario="baseline-2025",
                                  nx=10, ny=8, x_range=("1/100", "1/10"))


def expected_label(rho, dp):
    r = rho_star(dp)
    return SETTLE if rho < r else WAR if rho > r else TIE


def test_rho_star_is_the_readme_number():
    assert rho_star(F(1, 10)) == F(1, 27)


def test_map_data_schema(territory_grid):
    df = territory_grid
    assert df["point_id"].nunique() == 80
    for col in ["point_id", "rho", "dp_belt", "equilibrium", "n_equilibria", "outcome", "payoff:Russia",
                "payoff:Ukraine", "prob:Ukraine:ukraine_on_donbas:cede all of Donbas", "complete"]:
        assert col in df.columns
    assert df["complete"].all()
    assert sorted(df["rho"].unique()) == pytest.approx([k / 100 for k in range(1, 11)])
    assert sorted(df["dp_belt"].unique()) == pytest.approx([float(F(2, 100) + F(13, 100) * j / 7) for j in range(8)])


def test_region_data_follows_the_hand_threshold(territory_grid):
    pts = plots.outcome_labels(territory_grid, "rho", "dp_belt")
    assert len(pts) == 80
    grid = [(F(i, 100), F(2, 100) + F(13, 100) * F(j, 7)) for i in range(1, 11) for j in range(8)]
    expected = {(float(r), float(d)): expected_label(r, d) for r, d in grid}
    got = {(x, y): lab for x, y, lab in pts.itertuples(index=False)}
    assert got == expected
    # the boundary really crosses the map: at dp_belt = 0.15, rho* = 1/40.5 ~ 0.0247 (two settlement columns)
    top = pts[pts["y"] == pts["y"].max()]
    assert top["label"].tolist() == [SETTLE, SETTLE] + [WAR] * 8
    # at dp_belt = 0.02, rho* ~ 0.185 > 0.1: all settlement
    assert set(pts[pts["y"] == pts["y"].min()]["label"]) == {SETTLE}


def test_outcome_map_regions_patches_and_png(territory_grid, tmp_path):
    dps = np.linspace(0.02, 0.15, 50)
    curve_x = np.array([float(rho_star(F(d))) for d in dps])
    fig = plots.outcome_map(territory_grid, "rho", "dp_belt", title="territory", curves=[("rho*", curve_x, dps)],
                            labels={"rho": r"relapse risk $\rho$"})
    ax = fig.axes[0]
    regions = {p.get_label(): p for p in ax.patches if p.get_gid() == "region"}
    assert set(regions) == {SETTLE, WAR}
    hatches = [p.get_hatch() for p in regions.values()]
    assert len(set(hatches)) == len(hatches) and all(hatches)
    assert len({tuple(p.get_facecolor()) for p in regions.values()}) == len(regions)
    # every grid point lies in the region of its hand-derived label, and in no other
    for x, y in territory_grid[["rho", "dp_belt"]].drop_duplicates().itertuples(index=False):
        lab = expected_label(F(x).limit_denominator(10**6), F(y).limit_denominator(10**6))
        inside = [name for name, p in regions.items() if p.get_path().contains_point((x, y))]
        assert inside == [lab]
    curve = [ln for ln in ax.lines if ln.get_gid() == "curve"][0]
    assert np.array_equal(curve.get_xdata(), curve_x) and np.array_equal(curve.get_ydata(), dps)
    assert ax.get_xlabel() == r"relapse risk $\rho$" and ax.get_ylabel() == "dp_belt"
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == [WAR, SETTLE, "rho*"]
    path = plots.save_figure(fig, tmp_path / "map.png")
    assert png_size(path) == (1050, 750)


def test_a_long_closed_form_label_is_wrapped_and_the_layout_holds(territory_grid, tmp_path):
    """A closed form longer than the figure is wide (nato's rho* is ~400 characters) used to squeeze the axes
    to nothing: matplotlib warned "constrained_layout not applied" and the legend was cut off."""
    dps = np.linspace(0.02, 0.15, 50)
    label = "rho* = " + " + ".join(f"delta*dp_belt*pi_accession_{k}" for k in range(12))
    fig = plots.outcome_map(territory_grid, "rho", "dp_belt", curves=[(label, dps * 0 + 0.1, dps)])
    (text,) = [t.get_text() for t in fig.axes[0].get_legend().get_texts() if t.get_text().startswith("rho*")]
    lines = text.splitlines()
    assert len(lines) > 1 and max(map(len, lines)) <= plots.LEGEND_WIDTH and " ".join(lines) == label
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        plots.save_figure(fig, tmp_path / "long.png")
    ax = fig.axes[0].get_position()
    assert ax.width > 0.5 and ax.height > 0.3   # the axes keep most of the figure


def test_tie_gets_a_combined_region_with_its_own_hatch(territory):
    df = plots.outcome_map_data(territory, "rho", "dp_belt", form="sequential", scenario="baseline-2025",
                                values={"rho": ["1/50", "1/27", "1/20"], "dp_belt": ["1/10", "3/25"]})
    pts = plots.outcome_labels(df, "rho", "dp_belt")
    # rho* = 1/27 at dp_belt = 1/10 (tie: 2 SPE), 1/32.4 at dp_belt = 3/25
    assert pts["label"].tolist() == [SETTLE, TIE, WAR, SETTLE, WAR, WAR]
    fig = plots.outcome_map(df, "rho", "dp_belt")
    regions = [p for p in fig.axes[0].patches if p.get_gid() == "region"]
    assert [p.get_label() for p in regions] == [WAR, SETTLE, TIE]  # OUTCOME_ORDER, then the tie
    assert len({p.get_hatch() for p in regions}) == 3
    # boundaries between differing neighbours: 2 vertical in row 1, 1 vertical in row 2, 1 horizontal
    (bounds,) = [c for c in fig.axes[0].collections if c.get_gid() == "boundary"]
    assert len(bounds.get_segments()) == 4


def test_region_styles_are_distinct_beyond_the_palette():
    styles = plots.region_styles([f"o{k}" for k in range(25)])
    assert len({h for _, h in styles.values()}) == 25
    assert plots.region_styles(["a"]) == {"a": (plots.REGION_COLOURS[0], plots.HATCHES[0])}


def test_outcome_map_sampled_points_and_given_axes():
    rng = np.random.default_rng(4)
    xs, ys = rng.uniform(0, 1, 30), rng.uniform(0, 1, 30)
    df = pd.DataFrame({"point_id": range(30), "a": xs, "b": ys, "equilibrium": 0,
                       "outcome": np.where(xs > ys, "war continues", "compromise settlement")})
    fig = Figure()
    ax = fig.add_subplot()
    assert plots.outcome_map(df, "a", "b", ax=ax) is fig
    (war,) = [c for c in ax.collections if c.get_label() == "war continues"]
    assert np.allclose(np.sort(war.get_offsets()[:, 0]), np.sort(xs[xs > ys]))


def test_outcome_map_rejects_a_third_varied_parameter():
    df = pd.DataFrame({"point_id": [0, 1], "a": [0.0, 0.0], "b": [0.0, 0.0], "c": [1.0, 2.0], "equilibrium": 0,
                       "outcome": ["war", "peace"]})
    with pytest.raises(ValueError, match="also varies"):
        plots.outcome_map(df, "a", "b")


def test_outcome_map_data_bad_input(territory):
    with pytest.raises(ParameterError, match="rhoo"):
        plots.outcome_map_data(territory, "rhoo", "dp_belt", form="sequential", scenario=None, nx=2, ny=2)
    with pytest.raises(ParameterError, match="empty range"):
        plots.outcome_map_data(territory, "rho", "dp_belt", form="sequential", scenario=None, x_range=(0.2, 0.1))
    with pytest.raises(ParameterError):  # outside rho's range [0.01, 0.5]
        plots.outcome_map_data(territory, "rho", "dp_belt", form="sequential", scenario=None, x_range=(0.0, 0.1))


@pytest.fixture(scope="module")
def freeze_sweep(territory):
    # the rho column of models/README.md's "How the outcome changes with rho" table
    return sweep_1d(territory, "sequential", "managed-freeze", "rho",
                    ["0.01", "0.03", "0.04", "0.08", "0.093", "0.129", "0.3", "0.5"])


def test_payoffs_vs_line_data(freeze_sweep, tmp_path):
    fig = plots.payoffs_vs(freeze_sweep, "rho", thresholds=[("2/81", F(2, 81)), F(8, 99)])
    ax = fig.axes[0]
    lines = {ln.get_gid(): ln for ln in ax.lines}
    for player in ("Russia", "Ukraine"):
        ln = lines[f"payoff:{player}:0"]
        assert np.array_equal(ln.get_xdata(), freeze_sweep["rho"].to_numpy())
        assert np.array_equal(ln.get_ydata(), freeze_sweep[f"payoff:{player}"].to_numpy())
    # models/README.md, managed-freeze column: (Russia, Ukraine) at rho = 0.01, 0.03, ..., 0.5
    readme = [(6.941, 2.762), (5, 2.5), (5, 2.5), (5, 2.5), (5.031, 3.770), (5.105, 3.493), (5.273, 2.856),
              (5.349, 2.571)]
    assert lines["payoff:Russia:0"].get_ydata() == pytest.approx([r for r, _ in readme], abs=5e-4)
    assert lines["payoff:Ukraine:0"].get_ydata() == pytest.approx([u for _, u in readme], abs=5e-4)
    vlines = [ln for ln in ax.lines if ln.get_gid() == "threshold"]
    assert [ln.get_xdata()[0] for ln in vlines] == pytest.approx([2 / 81, 8 / 99])
    top = [a for a in ax.child_axes][0]
    assert [t.get_text() for t in top.get_xticklabels()] == ["2/81", "0.0808"]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Russia", "Ukraine", "threshold"]
    assert png_size(plots.save_figure(fig, tmp_path / "payoffs.png", dpi=100)) == (700, 500)


def test_probabilities_vs_line_data(freeze_sweep, tmp_path):
    fig = plots.probabilities_vs(freeze_sweep, "rho", thresholds=[F(2, 81), F(8, 99)])
    lines = {ln.get_gid(): ln for ln in fig.axes[0].lines if ln.get_gid() != "threshold"}
    # default: the columns that change with rho: Russia moves from Donbas to the swap at 8/99, Ukraine stops
    # ceding Donbas at 2/81 (models/README.md, managed-freeze thresholds)
    assert set(lines) == {"prob:Russia:russia_demand:demand all of Donbas:0",
                          "prob:Russia:russia_demand:limited swap:0",
                          "prob:Ukraine:ukraine_on_donbas:cede all of Donbas:0",
                          "prob:Ukraine:ukraine_on_donbas:fight on:0"}
    rho = freeze_sweep["rho"].to_numpy()
    cede = lines["prob:Ukraine:ukraine_on_donbas:cede all of Donbas:0"].get_ydata()
    assert np.array_equal(cede, (rho < 2 / 81).astype(float))
    swap = lines["prob:Russia:russia_demand:limited swap:0"].get_ydata()
    assert np.array_equal(swap, (rho > 8 / 99).astype(float))
    assert png_size(plots.save_figure(fig, tmp_path / "probs.png")) == (1050, 750)


def test_several_equilibria_normal_form(territory):
    df = sweep_1d(territory, "normal", "baseline-2025", "rho", ["0.01", "0.08"])
    fig = plots.payoffs_vs(df, "rho", players=["Russia"])
    ax = fig.axes[0]
    eq0 = [ln for ln in ax.lines if ln.get_gid() == "payoff:Russia:0"][0]
    # models/README.md: settlement on Russian terms (6.881, 2.822) at rho = 0.01, war (5, 2.5) at 0.08
    assert eq0.get_ydata() == pytest.approx([6.881, 5], abs=5e-4)
    # 7 extreme equilibria below rho* = 1/27, six above it (models/README.md: "Six extreme equilibria")
    assert df.groupby("point_id")["n_equilibria"].first().tolist() == [7, 6]
    n_eq = df["equilibrium"].nunique()
    eq6 = [ln for ln in ax.lines if ln.get_gid() == "payoff:Russia:6"][0]
    assert eq6.get_ydata()[0] == pytest.approx(5) and np.isnan(eq6.get_ydata()[1])  # index 6 absent: a gap
    # the legend is factorised: 1 player + 7 equilibrium markers, not 7 lines
    assert len(ax.get_legend().get_texts()) == 1 + n_eq
    fig = plots.probabilities_vs(df, "rho", equilibria=[0])
    assert {ln.get_gid()[-2:] for ln in fig.axes[0].lines} == {":0"}


def test_line_plots_reject_two_varied_parameters(territory_grid):
    with pytest.raises(ValueError, match="dp_belt"):
        plots.payoffs_vs(territory_grid, "rho")
    with pytest.raises(ValueError, match="no equilibrium index"):
        plots.payoffs_vs(territory_grid[territory_grid["dp_belt"] == 0.02], "rho", equilibria=[3])


def test_survival_curves(tmp_path):
    fig = plots.survival_curves([0.05, "0.129", 0.01], years=30)
    ax = fig.axes[0]
    curves = [ln for ln in ax.lines if ln.get_gid() == "survival"]
    assert len(curves) == 3
    for ln, rho in zip(curves, [0.05, 0.129, 0.01]):
        assert np.array_equal(ln.get_xdata(), np.arange(31))
        for n in (0, 1, 5, 10, 30):
            assert ln.get_ydata()[n] == pytest.approx((1 - rho) ** n, rel=1e-12)
    # Fortna (2004) / LITERATURE.md: rho = 0.129 means about half fail within 5 years; 0.95^10 = 0.598737
    assert curves[1].get_ydata()[5] == pytest.approx(0.5013, abs=1e-4)
    assert curves[0].get_ydata()[10] == pytest.approx(0.598737, abs=1e-6)
    # expected duration 1/rho marked on the curve where it fits in the plot (20 and 7.75 years, not 100)
    marks = [ln for ln in ax.lines if ln.get_gid() == "expected-duration"]
    assert [m.get_xdata()[0] for m in marks] == pytest.approx([20, 1 / 0.129])
    assert marks[0].get_ydata()[0] == pytest.approx(0.95**20)
    assert "100 years, beyond the plot" in curves[2].get_label()
    assert png_size(plots.save_figure(fig, tmp_path / "survival.png")) == (1050, 750)


def test_survival_bad_input():
    for bad in ([0], [1.5], ["x"], []):
        with pytest.raises(ParameterError):
            plots.survival_curves(bad)
    with pytest.raises(ParameterError, match="years"):
        plots.survival_curves([0.1], years=0)


def test_save_figure_svg_deterministic_and_atomic(tmp_path):
    a = plots.save_figure(plots.survival_curves([0.1, 0.3], years=10), tmp_path / "a.svg")
    b = plots.save_figure(plots.survival_curves([0.1, 0.3], years=10), tmp_path / "b.svg")
    text = a.read_text()
    assert text.startswith("<?xml") and "<svg" in text and "<dc:date>" not in text
    assert a.read_bytes() == b.read_bytes()
    p1 = plots.save_figure(plots.survival_curves([0.2], years=10), tmp_path / "a.png")
    p2 = plots.save_figure(plots.survival_curves([0.2], years=10), tmp_path / "b.png")
    assert p1.read_bytes() == p2.read_bytes()
    with pytest.raises(OutputError, match="suffix"):
        plots.save_figure(plots.survival_curves([0.1]), tmp_path / "a.pdf")
    with pytest.raises(OutputError, match="does not exist"):
        plots.save_figure(plots.survival_curves([0.1]), tmp_path / "missing" / "a.png")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.png", "a.svg", "b.png", "b.svg"]  # no .part files


def test_axis_labels(territory):
    labels = plots.axis_labels(territory)
    assert labels["rho"] == r"rho ($\rho$)" and labels["p"] == "p"
    fig = plots.survival_curves([0.1])
    fig.axes[0].set_xlabel(labels["dp_belt"])
    fig.canvas.draw()  # mathtext renders without LaTeX


def test_an_outcome_looks_the_same_on_every_map():
    def regions(outcomes):
        df = pd.DataFrame({"point_id": range(3), "a": [0.0, 1.0, 2.0], "b": 0.0, "equilibrium": 0,
                           "outcome": outcomes})
        fig = plots.outcome_map(df, "a", "b")
        return {p.get_label(): (p.get_facecolor(), p.get_hatch()) for p in fig.axes[0].patches}

    one = regions([WAR, SETTLE, SETTLE])
    two = regions(["compromise settlement", WAR, "managed freeze"])
    assert one[WAR] == two[WAR]
    assert two["managed freeze"][1] == plots.HATCHES[plots.OUTCOME_ORDER.index("managed freeze")]
    assert len({h for _, h in two.values()}) == 3


def test_the_baseline_is_marked_and_axes_carry_symbol_and_unit():
    """Outcome maps mark the baseline with a star, payoff plots with a dotted line, both in the legend; axis
    labels read "name (symbol), unit" from the model file's parameters."""
    model = gtu.load_model("territory")
    assert model.parameters["rho"].unit == "per year"
    labels = plots.axis_labels(model)
    assert labels["rho"] == "rho ($\\rho$), per year"
    df = pd.DataFrame({"point_id": range(4), "rho": [0.1, 0.2, 0.1, 0.2], "dp_belt": [0.0, 0.0, 0.1, 0.1],
                       "equilibrium": 0, "outcome": ["war", "peace", "war", "war"]})
    fig = plots.outcome_map(df, "rho", "dp_belt", labels=labels, baseline=(0.129, 0.1))
    (star,) = [ln for ln in fig.axes[0].lines if ln.get_gid() == "baseline"]
    assert star.get_marker() == "*" and list(star.get_xdata()) == [0.129]
    assert fig.axes[0].get_xlabel() == "rho ($\\rho$), per year"
    legend = fig.legends[0] if fig.legends else fig.axes[0].get_legend()
    assert "baseline" in [t.get_text() for t in legend.get_texts()]
    table = pd.DataFrame({"point_id": [0, 1], "rho": [0.1, 0.2], "equilibrium": [0, 0], "outcome": "war",
                          "payoff:A": [1.0, 2.0]})
    fig = plots.payoffs_vs(table, "rho", baseline=0.129, labels=labels)
    assert [ln.get_xdata()[0] for ln in fig.axes[0].lines if ln.get_gid() == "baseline"] == [0.129]
