"""gtu report: the main job writes a complete, reproducible report, atomically."""

from __future__ import annotations

import os

import pandas as pd
import pytest

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
