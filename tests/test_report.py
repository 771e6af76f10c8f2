"""gtu report: the main job writes a complete, reproducible report, atomically."""

from __future__ import annotations

import os

import pandas as pd
import pytest
from conftest import ROOT

import gametheory_ukraine as gtu
from gametheory_ukraine.cli import main
from gametheory_ukraine.core.errors import OutputError
from gametheory_ukraine.output.report import build_report

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def territory_report(tmp_path_factory):
    out = tmp_path_factory.mktemp("rep") / "report"
    build_report(out, ["territory"], map_points=9, sweep_points=21)
    return out


def test_report_files(territory_report):
    out = territory_report
    assert (out / "index.md").is_file() and (out / "index.html").is_file()
    md = (out / "index.md").read_text()
    html = (out / "index.html").read_text()
    assert md.startswith("# Game-theoretic scenario models") and "<h1>" in html
    figures = sorted(p.name for p in (out / "figures").iterdir())
    assert "survival.png" in figures and "territory-payoffs-rho.png" in figures
    assert any(f.startswith("territory-map-rho-") for f in figures)
    for f in figures:
        assert (out / "figures" / f).read_bytes().startswith(PNG)
        assert f"figures/{f}" in md and f'src="figures/{f}"' in html
    for t in ("parameters", "equilibria", "thresholds", "rho-sweep"):
        df = pd.read_csv(out / "tables" / f"territory-{t}.csv")
        assert len(df) > 0


def test_report_opens_with_the_brief(territory_report):
    """The brief comes first: its table has the model's question, the baseline's outcome, the relapse threshold
    nearest the baseline (territory's 1/27, to 4 digits) and the share of the box where the outcome is the
    baseline's, the same as gtu robustness with the brief's sample gives."""
    from gametheory_ukraine.analysis.robustness import robustness
    from gametheory_ukraine.output.report import BRIEF_SAMPLES, BRIEF_SEED

    md = (territory_report / "index.md").read_text()
    headings = [line for line in md.splitlines() if line.startswith("## ")]
    assert headings[0] == "## The brief"
    brief = pd.read_csv(territory_report / "tables" / "brief.csv")
    (row,) = brief.to_dict(orient="records")
    model = gtu.load_model("territory")
    assert row["model"] == "territory" and row["question"] == model.meta["question"]
    assert row["baseline outcome"] == "war continues"
    assert row["nearest relapse threshold"].startswith("rho* = 0.03704 (the baseline's rho = 0.129; closed form)")
    rob = robustness(model, form="sequential", scenario="baseline-2025", samples=BRIEF_SAMPLES, seed=BRIEF_SEED)
    share = next(o for o in rob.outcomes if o.outcome == "war continues")
    assert row["how robust"].startswith(f"{share.share:.1%} (95 % interval {share.ci_low:.1%} to ")


def test_report_html_is_clean_and_every_link_works(territory_report):
    """No Markdown backticks and no raw LaTeX outside MathML in the HTML; every link to a file points to a file
    of the report, every in-page link to an anchor; every figure is shown; parameters' symbols are MathML."""
    import re

    html = (territory_report / "index.html").read_text()
    assert "`" not in html
    outside_math = re.sub(r"<math\b.*?</math>", "", html, flags=re.S)
    assert not re.search(r"\\[A-Za-z]+", outside_math), re.search(r".{40}\\[A-Za-z]+.{40}", outside_math)
    assert "<math" in html and "<mi>&#948;</mi>" in html           # delta's symbol
    targets = re.findall(r'(?:href|src)="([^"]+)"', html)
    anchors = set(re.findall(r'id="([^"]+)"', html))
    assert len(targets) > 20
    for target in targets:
        if target.startswith("#"):
            assert target[1:] in anchors, target
        else:
            assert (territory_report / target).is_file(), target
    for png in (territory_report / "figures").iterdir():
        assert f'<img src="figures/{png.name}"' in html
    for csv in (territory_report / "tables").iterdir():
        if csv.name in ("brief.csv", "territory-equilibria.csv"):
            assert f'href="tables/{csv.name}"' in html
    assert html.count("<figure id=") == len(list((territory_report / "figures").iterdir()))


def test_report_content_matches_the_model(territory_report):
    out = territory_report
    md = (out / "index.md").read_text()
    # the hand-derived baseline threshold of the territory model: rho* = 1/27 (models/README.md)
    thr = pd.read_csv(out / "tables" / "territory-thresholds.csv", dtype=str)
    base = thr[(thr["form"] == "sequential") & (thr["scenario"] == "baseline-2025")]
    assert "1/27" in set(base["exact"]) and (base["method"] == "closed form").any()
    assert "1/27" in md
    eq = pd.read_csv(out / "tables" / "territory-equilibria.csv")
    spe = eq[(eq["form"] == "sequential") & (eq["scenario"] == "baseline-2025")]
    assert list(spe["outcome"]) == ["war continues"]
    params = pd.read_csv(out / "tables" / "territory-parameters.csv")
    assert params["source"].str.len().min() > 20  # every parameter carries its source into the report
    assert "Stanovaya (2025)" in md


def test_report_is_reproducible(territory_report, tmp_path):
    again = build_report(tmp_path / "again", ["territory"], map_points=9, sweep_points=21)
    for rel in ("index.md", "index.html", "tables/territory-thresholds.csv", "tables/territory-equilibria.csv",
                "tables/territory-rho-sweep.csv"):
        assert (again / rel).read_bytes() == (territory_report / rel).read_bytes(), rel


def test_report_refuses_a_foreign_folder_and_leaves_nothing(tmp_path):
    target = tmp_path / "mine"
    target.mkdir()
    (target / "thesis.tex").write_text("precious")
    with pytest.raises(OutputError, match="not a gtu report"):
        build_report(target, ["territory"], map_points=5, sweep_points=5)
    assert sorted(os.listdir(tmp_path)) == ["mine"] and (target / "thesis.tex").read_text() == "precious"
    with pytest.raises(OutputError, match="does not exist"):
        build_report(tmp_path / "no" / "such" / "dir", ["territory"])


def test_report_failure_midway_leaves_no_partial_folder(tmp_path, monkeypatch):
    from gametheory_ukraine.output import report

    def boom(*a, **k):
        raise RuntimeError("simulated failure while drawing")

    monkeypatch.setattr(report, "_model_section", boom)
    with pytest.raises(RuntimeError):
        build_report(tmp_path / "rep", ["territory"])
    assert os.listdir(tmp_path) == []


def test_report_cli_bad_target(capsys, tmp_path):
    blocker = tmp_path / "file.txt"
    blocker.write_text("x")
    code = main(["report", "-o", str(blocker), "--models", "territory"])
    _, err = capsys.readouterr()
    assert code == 2 and "exists and is not a folder" in err and len(err.strip().splitlines()) == 1


def test_written_files_have_ordinary_permissions(tmp_path):
    from gametheory_ukraine.core.files import write_text_atomic

    old = os.umask(0o022)
    try:
        path = write_text_atomic(tmp_path / "a.txt", "x")
    finally:
        os.umask(old)
    assert (path.stat().st_mode & 0o777) == 0o644


def test_report_prints_the_conditions_of_the_closed_forms(territory_report):
    """Territory's rho* divides by dp_belt + dp_erosion (models/README.md), positive at the baseline."""
    thr = pd.read_csv(territory_report / "tables" / "territory-thresholds.csv", dtype=str, keep_default_na=False)
    base = thr[(thr["form"] == "sequential") & (thr["scenario"] == "baseline-2025")]
    assert list(base["conditions"]) == ["dp_belt + dp_erosion > 0"]
    assert "dp_belt + dp_erosion > 0" in (territory_report / "index.md").read_text()


SIGNS = """\
name: signs
title: A threshold whose direction turns on a sign
players: [Row, Col]
parameters:
  rho: {default: 0.1, low: 0.01, high: 0.5, description: hazard, source: "hand-made for tests"}
  b: {default: 0.1, low: 0.02, high: 0.15, description: a gain, source: "hand-made for tests"}
  e: {default: 0, low: -0.05, high: 0.05, description: a shift of either sign, source: "hand-made for tests"}
  c: {default: 0.01, low: -0.1, high: 0.1, description: a cost, source: "hand-made for tests"}
scenarios:
  rearmed: {description: "e below -b", values: {b: 0.02, e: -0.05, c: -0.01}}
forms:
  normal:
    actions: {Row: [U, D], Col: [L]}
    payoffs:
      - {play: {Row: U, Col: L}, payoffs: {Row: "(b + e)*rho - c", Col: 0}, outcome: up}
      - {play: {Row: D, Col: L}, payoffs: {Row: 0, Col: 0}, outcome: down}
"""


def test_report_marks_a_condition_that_fails_and_gives_the_direction_there(write_model, tmp_path):
    """By hand: U - D = (b + e) rho - c, so U iff rho > c/(b + e) where b + e > 0 (true at the defaults); in
    scenario rearmed (the only one the report solves) b + e = -0.03 and rho* = 1/3 with the inequality
    reversed (U iff rho < rho*)."""
    out = build_report(tmp_path / "rep", [str(write_model(SIGNS, "signs.yaml"))], map_points=5, sweep_points=11)
    thr = pd.read_csv(out / "tables" / "signs-thresholds.csv", dtype=str, keep_default_na=False)
    rows = {r["scenario"]: r for _, r in thr.iterrows()}
    assert rows["rearmed"]["exact"] == "1/3" and rows["rearmed"]["what changes"] == "up -> down"
    assert rows["rearmed"]["conditions"].startswith("b + e > 0 (fails here). Here: Row prefers 'U' to 'D'")
    assert "iff rho < rho* here" in rows["rearmed"]["conditions"]
    md = (out / "index.md").read_text()
    assert "b + e > 0 (fails here)" in md and "reversed" in md


def test_the_settlement_section_has_its_tactical_table_and_says_why_no_threshold_scan(tmp_path):
    """The settlement model (163 information sets) gets no threshold scan in the report, and the section says
    how to run one; its tactical-against-strategic table gives the baseline's verdict (Russia ends above its
    pre-war value: the claim fails there, as the model's claim tests derive); its map is 5 x 5 exact solves."""
    out = build_report(tmp_path / "rep", ["settlement"], map_points=5, sweep_points=11)
    md = (out / "index.md").read_text(encoding="utf-8")
    n = len(gtu.load_model("settlement").symbolic("sequential").infosets())
    assert n > 100 and f"Not computed in the report: the sequential form has {n} information sets" in md
    assert "gtu thresholds settlement --param rho --form sequential --scenario baseline-2025 --on outcomes" in md
    assert "Tactical against strategic value" in md and "fails here: Russia ends above its pre-war value" in md
    assert "5 x 5 exact solves" in md
    tactical = (out / "tables" / "settlement-tactical.csv").read_text(encoding="utf-8").splitlines()
    assert tactical[0].startswith("equilibrium,player,terms,sign,tactical,total") and len(tactical) == 3
    figures = {p.name for p in (out / "figures").iterdir()}
    assert {"survival.png", "settlement-map-rho-p.png", "settlement-payoffs-rho.png",
            "settlement-tornado.png"} <= figures
    assert "settlement-tree.png" not in figures and "--to efg" in md   # 288 outcomes: too many to draw legibly
    # no threshold table with headers alone; dozens of outcomes over the box: the most common shown, the rest summed
    assert "| form | scenario | rho* |" not in md
    from gametheory_ukraine.output.report import MAX_OUTCOME_ROWS, MIN_DRIVER_SHARE

    shares = pd.read_csv(out / "tables" / "settlement-outcomes.csv")
    assert len(shares) > MAX_OUTCOME_ROWS and shares["share"].sum() == pytest.approx(1)
    table = md.split("| outcome | share of the box | decided most by |", 1)[1].split("\n\n", 1)[0]
    rows = [[c.strip() for c in line.strip("|").split("|")] for line in table.splitlines()[2:]]
    assert len(rows) in (MAX_OUTCOME_ROWS + 1, MAX_OUTCOME_ROWS + 2) and rows[-1][0].endswith(" other outcomes")
    assert int(rows[-1][0].split()[0]) == len(shares) - (len(rows) - 1)
    assert sum(r[0].endswith("(the baseline)") for r in rows) == 1
    for outcome, share, drivers in rows[:-1]:
        assert float(share.split("%")[0]) / 100 == pytest.approx(
            shares.loc[shares["outcome"] == outcome.removesuffix(" (the baseline)"), "share"].item(), abs=5e-4)
        rare = float(share.split("%")[0]) / 100 < MIN_DRIVER_SHARE
        assert (drivers == "too rare in the sample for its indices") == rare


def test_document_renders_code_links_math_tables_and_figures():
    """Markdown keeps `code`, [links](target) and $LaTeX$; the HTML turns them into <code>, <a> and MathML, numbers
    tables and figures with anchors, lists the headings, and numbered findings become an ordered list."""
    import sympy

    from gametheory_ukraine.output.document import Document, math_of, symbol_math

    d = Document("T")
    d.heading("A `model` section", 2)
    d.paragraph(["See [the table](tables/x.csv) of `gtu`; ", math_of(sympy.Symbol("c_R") / 2), "."])
    d.table(["name", "symbol"], [["delta", symbol_math("\\delta", "delta")], ["dp_S", symbol_math("\\Delta p_S",
                                                                                                  "dp_S")]])
    d.numbered(["first", "second"])
    d.image("figures/a.png", "A figure of `x`.")
    md, html = d.markdown(), d.html()
    assert "See [the table](tables/x.csv) of `gtu`; $\\frac{c_{R}}{2}$." in md
    assert "| dp_S | $\\Delta p_S$ |" in md and "1. first\n2. second" in md
    assert '<a href="tables/x.csv">the table</a> of <code>gtu</code>' in html
    assert "<msub><mi>c</mi><mi>R</mi></msub>" in html and "<mi>&#916;</mi>" in html and "`" not in html
    assert '<h2 id="a-model-section">A <code>model</code> section</h2>' in html
    assert '<li class="toc2"><a href="#a-model-section">' in html
    assert '<table id="table-1"><caption><a href="#table-1">Table 1</a>' in html
    assert '<figure id="figure-1"><a href="figures/a.png"><img src="figures/a.png"' in html
    assert "<ol><li>first</li><li>second</li></ol>" in html
    # a symbol the small converter does not read falls back to the parameter's name, printed by sympy
    assert symbol_math("\\frac{a}{b}", "x_1").mathml == "<msub><mi>x</mi><mi>1</mi></msub>"


def test_threshold_curves_are_labelled_in_mathtext_with_the_models_symbols():
    """The outcome map's legend writes a closed-form threshold with the model's own symbols (Delta p_B for
    dp_belt), typeset by mathtext; text mathtext cannot typeset falls back to sympy's."""
    import sympy

    from gametheory_ukraine.output.plots import mathtext_ok
    from gametheory_ukraine.output.report import formula_label

    model = gtu.load_model("territory")
    s = {n: sympy.Symbol(n) for n in ("delta", "c_U", "p", "x_D", "dp_belt", "dp_erosion", "kappa")}
    expr = (1 - s["delta"]) * (s["c_U"] + s["p"] - s["x_D"]) / (
        s["delta"] * (s["dp_belt"] + s["dp_erosion"]) * (s["kappa"] + 1))
    label = formula_label(model, "rho", expr)
    assert label.startswith("$\\rho^* = ") and "\\Delta p_B" in label and "dp_belt" not in label
    assert mathtext_ok(label) and not mathtext_ok("$\\frac{$")


def test_equilibria_are_grouped_by_outcome_and_scenario(territory_report):
    """Each form's table lists every scenario once; scenarios with the same equilibria share a row; the count is
    the solver's (every extreme equilibrium / every SPE) and the payoffs are the distinct ones. Territory's
    baseline is its defaults, so the defaults get no row of their own; the completeness note says every list is
    complete."""
    model = gtu.load_model("territory")
    md = (territory_report / "index.md").read_text()
    section = md.split("### Equilibria by form and scenario", 1)[1].split("\n### ", 1)[0]
    rows = [[c.strip() for c in line.strip("|").split("|")] for line in section.splitlines()
            if line.startswith("| ") and not line.startswith("| form")]
    assert all(r[0] in model.forms for r in rows) and "(defaults)" not in section.replace("(the defaults)", "")
    for form in model.forms:
        listed = [s.split(" (")[0] for r in rows if r[0] == form for s in r[1].split(", ")]
        assert sorted(listed) == sorted(model.scenarios)
        for r in (r for r in rows if r[0] == form):
            for scenario in r[1].split(", "):
                res = model.solve(form, scenario.split(" (")[0])
                assert int(r[3]) == len(res) and {eq.outcome for eq in res} == {r[2]}
                vec = res[0].payoffs
                assert r[4] == f"Russia {vec[0]}, Ukraine {vec[1]}"       # short fractions: exact
    assert "Every list is complete" in section


FLAT = """\
name: flat
title: A choice the relapse risk cannot move
players: [Row, Col]
parameters:
  rho: {default: 0.1, low: 0.01, high: 0.5, description: hazard, source: "hand-made for tests"}
  b: {default: 0.1, low: 0.02, high: 0.15, description: a gain, source: "hand-made for tests"}
  c: {default: 0.01, low: 0, high: 0.02, description: a cost, source: "hand-made for tests"}
forms:
  sequential:
    root: choice
    nodes:
      choice: {player: Row, actions: {U: up, D: down}}
      up: {payoffs: {Row: "b", Col: 0}, outcome: up}
      down: {payoffs: {Row: "b*rho - c", Col: 0}, outcome: down}
"""


def test_the_sensitivity_section_draws_what_moves_payoffs(write_model, tmp_path):
    """By hand: Row takes U (b) over D (b rho - c <= b/2 < b) everywhere in the box, so no payoff moves with rho:
    the report says so and draws no payoff plot against rho. One at a time, b swings Row's payoff from 0.02 to
    0.15, rho and c not at all, and Col's payoff is 0 throughout: the payoff plot is drawn against b."""
    out = build_report(tmp_path / "rep", [str(write_model(FLAT, "flat.yaml"))], map_points=5, sweep_points=11)
    md = (out / "index.md").read_text()
    figures = {p.name for p in (out / "figures").iterdir()}
    assert "flat-payoffs-rho.png" not in figures and "No equilibrium payoff moves with rho" in md
    assert {"flat-tornado.png", "flat-payoffs-b.png", "flat-tree.png"} <= figures
    torn = pd.read_csv(out / "tables" / "flat-tornado.csv")
    row = torn[torn["player"] == "Row"].set_index("param")
    assert row.loc["b", ["measure_at_low", "measure_at_high"]].tolist() == pytest.approx([0.02, 0.15])
    assert row.loc[["rho", "c"], "swing"].tolist() == [0, 0]
    assert (torn.loc[torn["player"] == "Col", "swing"] == 0).all()
    assert "no effect on any payoff: rho, c" in md
    sweep_b = pd.read_csv(out / "tables" / "flat-b-sweep.csv")
    assert sweep_b["payoff:Row"].tolist() == pytest.approx(sweep_b["b"].tolist())   # Row's payoff is b
    sobol = pd.read_csv(out / "tables" / "flat-sobol.csv")
    assert set(sobol["parameter"]) == {"rho", "b", "c"} and set(sobol["outcome"]) == {"up"}


def test_tornado_tables_agree_with_the_single_measure_tornado_and_leave_out_ties(monkeypatch):
    """One solve per point for every player gives what gtu's tornado (one measure at a time) gives; a point with
    more equilibria than the cap is left out: chain-store at d = 0 has two SPE (the incumbent indifferent)."""
    from gametheory_ukraine.analysis.sensitivity import tornado
    from gametheory_ukraine.output import report

    model = gtu.load_model("chain-store")
    tables, left_out = report.tornado_tables(model, "sequential", None)
    assert left_out == []
    for player in model.players:
        ref = tornado(model, f"payoff:{player}", form="sequential")
        got = tables[player]
        assert got["param"].tolist() == ref["param"].tolist()
        assert got[["measure_at_low", "measure_at_high", "swing"]].to_numpy() == pytest.approx(
            ref[["measure_at_low", "measure_at_high", "swing"]].to_numpy())
    monkeypatch.setattr(report, "MAX_TORNADO_EQUILIBRIA", 1)
    tables, left_out = report.tornado_tables(model, "sequential", None)
    assert "d = 0" in left_out and "d" not in tables["Entrant"]["param"].tolist()


def test_the_report_ends_with_the_references_it_cites(territory_report):
    """Every "Author (Year)" the report cites that the bibliography has is listed under References, and nothing
    it does not cite; territory cites Fearon (1995) and Stanovaya (2025)."""
    from gametheory_ukraine.io.bibtex import CITATION, read_bibtex

    md = (territory_report / "index.md").read_text()
    body, refs = md.split("\n## References\n", 1)
    refs = refs.split("\n## ", 1)[0]
    bib = read_bibtex((ROOT / "models" / "references.bib").read_text(encoding="utf-8"))
    pairs = {(m.group(1), m.group(2)) for m in CITATION.finditer(body)}
    expected = {r.text() for r in bib if any((s, r.year) in pairs for s in r.surnames)}
    listed = {line[2:] for line in refs.splitlines() if line.startswith("- ")}
    assert listed == expected
    assert any(t.startswith("Fearon, James D. (1995). Rationalist Explanations for War.") for t in listed)
    assert any(t.startswith("Stanovaya, Tatiana (2025).") for t in listed)
