"""CITATION.cff: valid Citation File Format 1.2.0 (checked against the format's own JSON schema, copied into
tests/data from cffconvert 2.0.0), and saying what the package says: its version, license, authors and title."""

from __future__ import annotations

import configparser
import copy
import json

import jsonschema
import pytest
import yaml
from conftest import ROOT

import gametheory_ukraine as gtu

CFF = ROOT / "CITATION.cff"
SCHEMA = json.loads((ROOT / "tests" / "data" / "cff-schema-1.2.0.json").read_text(encoding="utf-8"))
#: the keys CFF 1.2.0 requires (its schema's "required")
REQUIRED = ("cff-version", "message", "title", "authors")


@pytest.fixture(scope="module")
def citation() -> dict:
    data = yaml.safe_load(CFF.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _metadata() -> configparser.SectionProxy:
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "setup.cfg", encoding="utf-8")
    return cfg["metadata"]


def test_citation_is_valid_cff_1_2_0(citation):
    assert sorted(SCHEMA["required"]) == sorted(REQUIRED)
    assert all(key in citation for key in REQUIRED)
    assert citation["cff-version"] == "1.2.0"
    jsonschema.Draft7Validator(SCHEMA).validate(citation)


@pytest.mark.parametrize("damage", ["no authors", "empty authors", "unknown key", "bad license"])
def test_the_schema_refuses_a_damaged_citation(citation, damage):
    bad = copy.deepcopy(citation)
    if damage == "no authors":
        del bad["authors"]
    elif damage == "empty authors":
        bad["authors"] = []
    elif damage == "unknown key":
        bad["year"] = 2026
    else:
        bad["license"] = "MIT-ish"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft7Validator(SCHEMA).validate(bad)


def test_citation_says_what_the_package_says(citation):
    meta = _metadata()
    assert str(citation["version"]) == gtu.__version__
    assert citation["license"] == meta["license"] == "MIT"
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").splitlines()[0] == "MIT License"
    assert [a.get("name") for a in citation["authors"]] == [meta["author"]]
    assert citation["title"].startswith("gametheory_ukraine")
