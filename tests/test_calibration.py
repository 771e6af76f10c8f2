"""The framework models tell one story: what they share, they share exactly.

Read through ``gtu show --format json``, as a user would: every parameter two framework models both have
carries the same default, range and source in each, and every scenario of one name gives each shared
parameter the same value in each model. The shared values are those of the calibration file the models
include, and no model overrides one without saying why.
"""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
FRAMEWORK = ("territory", "nato", "guarantees")
CALIBRATION = ROOT / "models" / "calibration-2025.yaml"


def _show(name: str) -> dict:
    out = subprocess.run([sys.executable, "-m", "gametheory_ukraine", "show", name, "--format", "json"],
                         capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(out.stdout)


@pytest.fixture(scope="module")
def shown() -> dict[str, dict]:
    return {name: _show(name) for name in FRAMEWORK}


@pytest.fixture(scope="module")
def calibration() -> dict:
    return yaml.safe_load(CALIBRATION.read_text(encoding="utf-8"))


def _params(doc: dict) -> dict[str, dict]:
    return {p["name"]: p for p in doc["parameters"]}


def _values(doc: dict) -> dict[str, dict[str, Fraction]]:
    return {s["name"]: {k: Fraction(v) for k, v in s["values"].items()} for s in doc["scenarios"]}


def test_every_framework_model_includes_the_calibration(shown):
    for name, doc in shown.items():
        assert doc["includes"] == ["calibration-2025"], name


def test_parameters_of_one_name_mean_one_thing_in_every_model(shown):
    for (a, da), (b, db) in itertools.combinations(shown.items(), 2):
        pa, pb = _params(da), _params(db)
        common = sorted(set(pa) & set(pb))
        assert {"delta", "rho", "p", "c_R", "c_U", "x_prewar"} <= set(common), (a, b, common)
        for name in common:
            for field in ("default", "low", "high", "source", "description", "symbol"):
                assert Fraction(pa[name][field]) == Fraction(pb[name][field]) if field in ("default", "low", "high") \
                    else pa[name][field] == pb[name][field], (a, b, name, field)


def test_shared_parameters_are_the_calibrations(shown, calibration):
    cal = calibration["parameters"]
    for model, doc in shown.items():
        for name, p in _params(doc).items():
            if name in cal:
                assert p["shared_from"] == "calibration-2025", (model, name)
                assert Fraction(p["default"]) == Fraction(str(cal[name]["default"])), (model, name)
                assert (Fraction(p["low"]), Fraction(p["high"])) == (Fraction(str(cal[name]["low"])),
                                                                     Fraction(str(cal[name]["high"]))), (model, name)
                assert " ".join(p["source"].split()) == " ".join(cal[name]["source"].split()), (model, name)
            else:
                assert p["shared_from"] is None, (model, name)
    assert all(doc["overrides"] == [] for doc in shown.values()), "an override needs a reason and a review"


def test_each_shared_scenario_gives_a_shared_parameter_one_value_everywhere(shown, calibration):
    cal_values = {s: {k: Fraction(str(v)) for k, v in (spec.get("values") or {}).items()}
                  for s, spec in calibration["scenarios"].items()}
    for model, doc in shown.items():
        params = _params(doc)
        values = _values(doc)
        assert set(cal_values) <= set(values), model
        for scenario, shared in cal_values.items():
            for name, value in shared.items():
                if name in params:
                    assert values[scenario].get(name) == value, (model, scenario, name)
            # nothing a model sets in a shared scenario contradicts another model's value of the same name
    for (a, da), (b, db) in itertools.combinations(shown.items(), 2):
        va, vb = _values(da), _values(db)
        pa, pb = _params(da), _params(db)
        for scenario in set(va) & set(vb):
            for name in set(pa) & set(pb):
                # a parameter a scenario leaves alone takes the (shared) default, so compare effective values
                ea = va[scenario].get(name, Fraction(pa[name]["default"]))
                eb = vb[scenario].get(name, Fraction(pb[name]["default"]))
                assert ea == eb, (scenario, name, a, ea, b, eb)
