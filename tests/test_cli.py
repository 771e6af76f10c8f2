"""The gtu command: list, show, solve in every format; bad input gives one line and exit 2."""

from __future__ import annotations

import json
import subprocess
import sys
from fractions import Fraction

import pytest
from conftest import MINIMAL

from gametheory_ukraine.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_list_json(capsys):
    code, out, _ = run(capsys, "list", "--format", "json")
    rows = json.loads(out)
    assert code == 0
    chain = next(r for r in rows if r["name"] == "chain-store")
    assert chain == {"name": "chain-store", "title": chain["title"], "forms": ["normal", "sequential"],
                     "players": ["Entrant", "Incumbent"]}


def test_show_json_schema(capsys):
    code, out, _ = run(capsys, "show", "chain-store", "--format", "json")
    doc = json.loads(out)
    assert code == 0
    assert set(doc) >= {"name", "title", "players", "forms", "parameters", "scenarios"}
    names = [p["name"] for p in doc["parameters"]]
    assert names == ["o_E", "d", "m", "c_E", "c_I"]
    for p in doc["parameters"]:
        assert set(p) >= {"name", "default", "low", "high", "description", "source"} and p["source"]
    sc = {s["name"]: s for s in doc["scenarios"]}
    assert sc["costly-war"]["values"] == {"c_E": "1", "c_I": "1"}


def test_show_table_and_latex(capsys):
    code, out, _ = run(capsys, "show", "chain-store")
    assert code == 0 and "Selten (1978)" in out and "source" in out and "costly-war" in out
    code, out, _ = run(capsys, "show", "chain-store", "--format", "latex")
    assert code == 0 and out.startswith(r"\begin{tabular}") and r"$c\_I$" in out


def test_solve_sequential_json_is_the_spe(capsys):
    code, out, _ = run(capsys, "solve", "chain-store", "--form", "sequential", "--format", "json")
    doc = json.loads(out)
    assert code == 0
    assert set(doc) >= {"model", "form", "scenario", "parameters", "equilibria", "complete", "degenerate",
                        "method", "version"}
    assert doc["model"] == "chain-store" and doc["form"] == "sequential" and doc["complete"] is True
    assert len(doc["equilibria"]) == 1
    eq = doc["equilibria"][0]
    assert eq["strategies"]["Entrant"] == {"entry": {"stay out": "0", "enter": "1"}}
    assert eq["strategies"]["Incumbent"] == {"response": {"fight": "0", "acquiesce": "1"}}
    assert eq["payoffs"] == {"Entrant": "2", "Incumbent": "2"}
    assert eq["outcome"] == "entry accommodated" and eq["regret"] == "0"


def test_solve_normal_json_matches_hand_solution(capsys):
    # Normal form at Selten's numbers: (enter, acquiesce) and the component "stay out, fight with q >= 1/2"
    # (entrant: out 1 vs enter 2(1 - q), indifferent at q = 1/2), whose extreme points are q = 1 and q = 1/2.
    code, out, _ = run(capsys, "solve", "chain-store", "--form", "normal", "--format", "json")
    doc = json.loads(out)
    got = sorted((e["strategies"]["Entrant"]["enter"], e["strategies"]["Incumbent"]["fight"])
                 for e in doc["equilibria"])
    assert got == [("0", "1"), ("0", "1/2"), ("1", "0")]
    assert doc["degenerate"] is True and doc["complete"] is True


def test_solve_with_param_and_scenario(capsys):
    # m = 1 < o_E? no: with d = 0 entering gives the entrant 0 < o_E = 1 whatever the incumbent does.
    code, out, _ = run(capsys, "solve", "chain-store", "--form", "sequential", "-p", "d=0", "-p", "c_I=1/2",
                       "--format", "json")
    doc = json.loads(out)
    assert code == 0 and doc["parameters"]["d"] == "0" and doc["parameters"]["c_I"] == "1/2"
    # the incumbent prefers acquiescing (0) to fighting (-1/2); the entrant then gets 0 < 1 and stays out
    assert [e["outcome"] for e in doc["equilibria"]] == ["entry deterred"]
    code, out, _ = run(capsys, "solve", "chain-store", "--scenario", "costly-war", "--form", "sequential")
    assert code == 0 and "entry accommodated" in out and "costly-war" in out


def test_solve_float_mode(capsys):
    code, out, _ = run(capsys, "solve", "chain-store", "--float", "--format", "json")
    doc = json.loads(out)
    assert code == 0 and doc["exact"] is False
    fights = sorted(e["strategies"]["Incumbent"]["fight"] for e in doc["equilibria"])
    assert fights == pytest.approx([0.0, 0.5, 1.0])


def test_solve_latex(capsys):
    code, out, _ = run(capsys, "solve", "chain-store", "--form", "sequential", "--format", "latex")
    assert code == 0 and r"\begin{tabular}" in out and "entry accommodated" in out


def test_solve_a_file_path(capsys, write_model):
    path = write_model(MINIMAL)
    code, out, _ = run(capsys, "solve", str(path), "-p", "a=2", "--format", "json")
    doc = json.loads(out)
    # coordination game (a,1 | 0,0 / 0,0 | 1,a) at a = 2: (U,L), (D,R), and the mixed one where Row mixes
    # to make Col indifferent: 1*x = 2*(1 - x) -> x = 2/3; Col mixes y: 2y = 1 - y -> y = 1/3.
    mixed = [e for e in doc["equilibria"] if e["strategies"]["Row"]["U"] not in ("0", "1")]
    assert len(doc["equilibria"]) == 3 and len(mixed) == 1
    assert mixed[0]["strategies"]["Row"]["U"] == "2/3" and mixed[0]["strategies"]["Col"]["L"] == "1/3"
    assert Fraction(mixed[0]["payoffs"]["Row"]) == Fraction(2, 3)


@pytest.mark.parametrize("argv, fragments", [
    (["solve", "chain-store", "-p", "rho=0.1"], ["no parameter 'rho'", "known parameters"]),
    (["solve", "chain-store", "-p", "c_l=1"], ["did you mean 'c_I'"]),
    (["solve", "chain-store", "-p", "c_I=11"], ["outside its range [0, 10]", "fix:"]),
    (["solve", "chain-store", "-p", "c_I"], ["cannot read 'c_I'", "NAME=VALUE"]),
    (["solve", "chain-store", "-p", "c_I=abc"], ["not a number"]),
    (["solve", "chain-store", "-p", "c_I=1", "-p", "c_I=2"], ["given twice"]),
    (["solve", "chain-store", "--form", "extensive"], ["no form 'extensive'", "normal, sequential"]),
    (["solve", "chain-store", "--scenario", "istanbul"], ["no scenario 'istanbul'", "costly-war"]),
    (["solve", "chain-store", "--method", "magic"], ["unknown method 'magic'"]),
    (["solve", "nonexistent"], ["no model named 'nonexistent'"]),
    (["show", "missing/file.yaml"], ["missing/file.yaml", "no such file"]),
])
def test_bad_input_one_line_exit_2(capsys, argv, fragments):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("gtu: error: ") and "Traceback" not in err
    for fragment in fragments:
        assert fragment in err, (fragment, err)


def test_malformed_model_file_via_cli(capsys, write_model):
    path = write_model(MINIMAL.replace("players: [Row, Col]", "players: [Row, Col"))
    code, out, err = run(capsys, "solve", str(path))
    assert code == 2 and str(path) in err and "line" in err and "Traceback" not in err


def test_python_dash_m_and_help_subprocess():
    proc = subprocess.run([sys.executable, "-m", "gametheory_ukraine", "solve", "chain-store", "-p", "zz=1"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and proc.stderr.startswith("gtu: error:") and "Traceback" not in proc.stderr
    proc = subprocess.run([sys.executable, "-m", "gametheory_ukraine", "--help"], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0 and "solve" in proc.stdout
    proc = subprocess.run([sys.executable, "-m", "gametheory_ukraine", "frobnicate"], capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 2 and "invalid choice" in proc.stderr and "Traceback" not in proc.stderr


def test_solve_several_models_and_all_forms(capsys):
    """The README's main job: the three framework models at the 2025 baseline, every form each states (guarantees
    states only its tree: its reduced normal form is too big to state). Guarantees at the baseline, by hand: Moscow
    rejects the bare deal and the force (re-attacking them is worth 4.9 and 4.85 to Russia, the war 5) and accepts
    the Istanbul terms only to re-attack them, worth 1.95 to Kyiv against the war's 2.5, so the war continues."""
    code, out, _ = run(capsys, "solve", "territory", "nato", "guarantees", "--scenario", "baseline-2025",
                       "--form", "all", "--format", "json")
    docs = json.loads(out)
    assert code == 0
    assert [(d["model"], d["form"]) for d in docs] == [("territory", "sequential"), ("territory", "normal"),
                                                       ("nato", "normal"), ("nato", "sequential"),
                                                       ("guarantees", "sequential")]
    for d in docs:
        assert d["scenario"] == "baseline-2025" and d["equilibria"]
        assert all(e["regret"] == "0" and e["outcome"] for e in d["equilibria"])
    spe = {d["model"]: {e["outcome"] for e in d["equilibria"]} for d in docs if d["form"] == "sequential"}
    assert spe == {"territory": {"war continues"}, "nato": {"war continues"}, "guarantees": {"war continues"}}
    code, out, _ = run(capsys, "solve", "territory", "nato", "--scenario", "baseline-2025", "--form", "all")
    assert code == 0 and out.count("scenario: baseline-2025") == 4


def test_several_models_bad_one_prints_nothing(capsys):
    code, out, err = run(capsys, "solve", "territory", "no-such-model")
    assert code == 2 and out == "" and "no model named 'no-such-model'" in err
