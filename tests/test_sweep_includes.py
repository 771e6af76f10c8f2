"""A sweep of a model that includes a calibration file checks the same digest the loader computed.

The loader's SHA-256 of such a model covers the model file and every included file; the end-of-sweep check
must recompute that digest (a sweep of an unchanged model is written), and must still notice an edit of the
calibration file during the run (then nothing is written).
"""

from __future__ import annotations

import shutil

import pytest
from conftest import ROOT

import gametheory_ukraine as gtu
from gametheory_ukraine.analysis.sweep import check_model_unchanged
from gametheory_ukraine.cli import main
from gametheory_ukraine.core.errors import ModelFileError


@pytest.fixture
def nato_copy(tmp_path):
    for name in ("nato.yaml", "calibration-2025.yaml"):
        shutil.copy(ROOT / "models" / name, tmp_path / name)
    return tmp_path


def test_sweep_to_file_of_a_model_with_includes_is_written(nato_copy, monkeypatch, capsys):
    monkeypatch.chdir(nato_copy)
    code = main(["sweep", str(nato_copy / "nato.yaml"), "-p", "rho=0.01:0.5:3", "--form", "sequential",
                 "-o", "out.csv"])
    assert code == 0, capsys.readouterr().err
    assert (nato_copy / "out.csv").is_file()


def test_an_edit_of_the_included_calibration_is_noticed(nato_copy):
    model = gtu.load_model(nato_copy / "nato.yaml")
    assert model.includes == ("calibration-2025",)
    plan = type("Plan", (), {"model": model})()
    check_model_unchanged(plan)                              # unchanged: no error
    cal = nato_copy / "calibration-2025.yaml"
    cal.write_text(cal.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    with pytest.raises(ModelFileError, match="changed while the sweep ran"):
        check_model_unchanged(plan)
