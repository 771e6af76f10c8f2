"""The claims table (models/claims.yaml), the models' claims: keys, the tests marked with each claim, and
`gtu claims`.

- models/claims.yaml lists every claim S1-S12 (Stanovaya 2025) and W1-W5 (Wallace 2025) exactly once, each with
  a source in models/references.bib, a paraphrase and a quote, and either a not_modelled reason or at least one
  model that expresses it (never both).
- Every (model, claim) pair a bundled model declares has at least one test marked
  ``@pytest.mark.claim(MODEL, ID)``, and every marked pair is declared (the marks are read from the test files
  with ``ast``, so nothing has to run).
- Bad claims (in a model file or in a claims file) are refused with the file, the place and the fix.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest
import yaml
from conftest import MINIMAL, ROOT

import gametheory_ukraine as gtu
from gametheory_ukraine.cli import main
from gametheory_ukraine.core.errors import ModelFileError
from gametheory_ukraine.modelling.claims import claims_table, load_claims
from gametheory_ukraine.modelling.registry import NOT_MODELS, list_models

CLAIMS_FILE = ROOT / "models" / "claims.yaml"
EXPECTED = [f"S{k}" for k in range(1, 13)] + [f"W{k}" for k in range(1, 6)]
TESTS = Path(__file__).resolve().parent


def _raw_claims() -> list[dict]:
    """The claims as plain YAML reads them (independently of the package's loader)."""
    return yaml.safe_load(CLAIMS_FILE.read_text(encoding="utf-8"))["claims"]


def _bib_keys() -> set[str]:
    return set(re.findall(r"^@\w+\{([^,\s]+),", (ROOT / "models" / "references.bib").read_text(encoding="utf-8"),
                          flags=re.M))


def _declared() -> set[tuple[str, str]]:
    """(model, claim) for every claim a bundled model file declares under claims:."""
    return {(name, cid) for name in list_models() for cid in gtu.load_model(name).claims}


def _marked() -> dict[tuple[str, str], list[str]]:
    """(model, claim) -> the tests marked with it, from every test file's ``pytest.mark.claim(...)`` calls."""
    found: dict[tuple[str, str], list[str]] = {}
    for path in sorted(TESTS.glob("test_*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and ast.unparse(n.func) == "pytest.mark.claim"]
        seen = 0
        for fn in ast.walk(tree):
            if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Module)):
                continue
            decorators = getattr(fn, "decorator_list", [])
            for node in (n for d in decorators for n in ast.walk(d)):
                if isinstance(node, ast.Call) and ast.unparse(node.func) == "pytest.mark.claim":
                    args = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
                    assert len(args) == len(node.args) == 2 and not node.keywords, \
                        f"{path.name}:{node.lineno}: write pytest.mark.claim(\"MODEL\", \"ID\") with two strings"
                    found.setdefault((args[0], args[1]), []).append(f"{path.name}::{fn.name}")
                    seen += 1
        # a mark anywhere else (pytestmark = ..., pytest.param(marks=...)) would escape the scan: use decorators
        assert seen == len(calls), f"{path.name}: put pytest.mark.claim on the test function as a decorator"
    return found


# ------------------------------------------------------------------------------------------- the file
def test_every_claim_appears_exactly_once_in_order():
    ids = [c["id"] for c in _raw_claims()]
    assert ids == EXPECTED
    assert [c.id for c in load_claims()] == EXPECTED


def test_each_claim_has_its_fields_and_a_known_source():
    keys = _bib_keys()
    assert {"stanovaya2025", "wallace2025"} <= keys
    for c in _raw_claims():
        assert set(c) <= {"id", "source", "paraphrase", "quote", "not_modelled"}, c["id"]
        assert c["source"] == ("stanovaya2025" if c["id"].startswith("S") else "wallace2025"), c["id"]
        for key in ("paraphrase", "quote"):
            assert isinstance(c[key], str) and len(c[key].split()) >= 5, (c["id"], key)


def test_quotes_are_plain_text_not_wrapped_in_quotation_marks():
    # the words themselves: no surrounding quotation marks (the table adds them), no markup, one paragraph
    for c in _raw_claims():
        quote = c["quote"]
        assert quote == quote.strip() and "\n" not in quote, c["id"]
        assert quote[0] not in "\"'“‘«" and quote[-1] not in "\"'”’»", c["id"]
        assert not re.search(r"\]\(|\*\*|`|<[a-z]", quote), c["id"]
        assert quote[0].isupper() and quote[-1] in ".?!", c["id"]


def test_each_claim_is_modelled_or_says_why_not_never_both():
    declared = _declared()
    by_claim = {cid: sorted(m for m, c in declared if c == cid) for cid in EXPECTED}
    for c in _raw_claims():
        reason = c.get("not_modelled")
        if reason is None:
            assert by_claim[c["id"]], f"{c['id']}: no model expresses it and it gives no not_modelled reason"
        else:
            assert isinstance(reason, str) and reason.strip(), c["id"]
            assert by_claim[c["id"]] == [], f"{c['id']} is marked not modelled but {by_claim[c['id']]} declare it"
    # every claim has a model now: the talks format (W2) and the micro-deals (W3) came last
    reasons = {c["id"]: c.get("not_modelled") for c in _raw_claims()}
    assert set(reasons.values()) == {None}
    assert by_claim["W2"] == ["talks-format"] and by_claim["W3"] == ["micro-deals"]
    assert "micro-deals" in by_claim["W4"]


def test_models_declare_only_claims_of_the_table():
    assert {cid for _, cid in _declared()} <= set(EXPECTED)
    assert {"territory", "nato", "guarantees"} <= {m for m, _ in _declared()}


# ------------------------------------------------------------------------------------------- the marks
def test_every_declared_pair_has_a_marked_test_and_every_mark_is_declared():
    declared, marked = _declared(), _marked()
    assert sorted(declared - set(marked)) == [], "declared by a model file but no test is marked with it"
    assert sorted(set(marked) - declared) == [], "marked on a test but not declared by the model file"


def test_the_mark_scan_sees_the_marks():
    # the scan must find the marks it should, or the check above would pass on nothing
    marked = _marked()
    assert "test_claims_territory.py::test_s7_istanbul_2_same_war_weaker_ukraine" in marked[("territory", "S7")]
    assert "test_claims_guarantees.py::test_S12_no_winners_for_ukraine_not_for_russia" in marked[("guarantees", "S12")]
    assert len(marked[("territory", "W4")]) == 1


def test_the_claim_marker_is_registered():
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'^markers = \[[^\]]*"claim\(', text, flags=re.M)


# ------------------------------------------------------------------------------------------- the registry
def test_the_claims_file_is_not_a_model():
    assert "claims.yaml" in NOT_MODELS and "claims" not in list_models()
    with pytest.raises(ModelFileError, match="no model named 'claims'"):
        gtu.load_model("claims")


def test_model_claims_are_immutable_metadata():
    claims = gtu.load_model("territory").claims
    assert "S9" in claims and "rho" in claims["S9"]
    with pytest.raises(TypeError):
        claims["S9"] = "something else"
    assert gtu.load_model("chain-store").claims == {}


# ------------------------------------------------------------------------------------------- bad input
CLAIM_ERRORS = [
    ("claims: {X1: how}", "line 26 (claims.X1)", "'X1' is not a claim id", "S1 ... S12"),
    ("claims: {S1: ''}", "line 26 (claims.S1)", "non-empty text", "e.g."),
    ("claims: {S1: [a, b]}", "line 26 (claims.S1)", "non-empty text", "e.g."),
    ("claims: [S1]", "line 26 (claims)", "must be a mapping", "drop the key"),
    ("claims: {}", "line 26 (claims)", "must be a mapping", "drop the key"),
]


@pytest.mark.parametrize("text, where, message, fix", CLAIM_ERRORS)
def test_bad_claims_in_a_model_file(write_model, text, where, message, fix):
    path = write_model(MINIMAL + text + "\n")
    with pytest.raises(ModelFileError) as info:
        gtu.load_model(path)
    line = str(info.value)
    assert str(path) in line and where in line and message in line and "fix:" in line and fix in line
    assert "\n" not in line


def test_a_model_file_with_claims_loads(write_model):
    m = gtu.load_model(write_model(MINIMAL + "claims:\n  S9: >-\n    the payoff a,\n    in two lines\n"))
    assert dict(m.claims) == {"S9": "the payoff a, in two lines"}


def _claims_file(tmp_path, entries: str) -> Path:
    path = tmp_path / "claims.yaml"
    path.write_text("claims:\n" + entries, encoding="utf-8")
    return path


GOOD = "  - {id: S1, source: stanovaya2025, paraphrase: p, quote: q}\n"


@pytest.mark.parametrize("entries, where, message", [
    (GOOD + GOOD, "line 3 (claims[1].id)", "claim S1 is given twice (first at line 2)"),
    ("  - {id: S1, source: s, paraphrase: p}\n", "claims[0] (S1).quote", "'quote' must be a non-empty text"),
    ("  - {id: S1, source: s, paraphrase: p, quote: q, modelled: yes}\n", "line 2 (claims[0].modelled)",
     "unknown key 'modelled'"),
    ("  - {id: s1, source: s, paraphrase: p, quote: q}\n", "line 2 (claims[0].id)", "'s1' is not a claim id"),
    ("  - just text\n", "line 2 (claims[0])", "a claim is a mapping"),
])
def test_bad_claims_file(tmp_path, entries, where, message):
    path = _claims_file(tmp_path, entries)
    with pytest.raises(ModelFileError) as info:
        load_claims(path)
    assert str(path) in str(info.value) and where in str(info.value) and message in str(info.value)


def test_a_claims_file_needs_the_claims_list(tmp_path):
    path = tmp_path / "claims.yaml"
    path.write_text("name: claims\n", encoding="utf-8")
    with pytest.raises(ModelFileError, match=r"line 1 \(top level\).*one key, 'claims'"):
        load_claims(path)


def test_the_join_refuses_what_does_not_match(tmp_path, monkeypatch, write_model):
    claims = load_claims(_claims_file(tmp_path, GOOD + "  - {id: W2, source: wallace2025, paraphrase: p, "
                                                       "quote: q, not_modelled: no model yet}\n"))
    with pytest.raises(ModelFileError, match="claim S1 is expressed by no model and gives no reason"):
        claims_table(claims, models=[])
    folder = tmp_path / "user"
    folder.mkdir()
    (folder / "mine.yaml").write_text(MINIMAL.replace("name: tiny", "name: mine") + "claims: {S7: the payoff a}\n",
                                      encoding="utf-8")
    (folder / "other.yaml").write_text(MINIMAL.replace("name: tiny", "name: other") + "claims: {W2: a talk}\n",
                                       encoding="utf-8")
    monkeypatch.setenv("GTU_MODEL_PATH", str(folder))
    with pytest.raises(ModelFileError, match=r"mine.yaml: claims.S7: model 'mine' declares claim S7, which the "
                                             r"claims table does not have \(fix: use an id that 'gtu claims' lists: "
                                             r"S1, W2\)"):
        claims_table(claims, models=["mine"])
    with pytest.raises(ModelFileError, match="expresses claim W2, which the claims table marks not modelled"):
        claims_table(claims, models=["other"])
    rows = claims_table(load_claims(_claims_file(tmp_path, GOOD.replace("S1", "S7"))), models=["mine"])
    assert rows == [{"id": "S7", "source": "stanovaya2025", "paraphrase": "p", "quote": "q",
                     "modelled_by": [{"model": "mine", "how": "the payoff a"}], "not_modelled": None}]


# ------------------------------------------------------------------------------------------- gtu claims
def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_gtu_claims_json(capsys):
    code, out, err = run(capsys, "claims", "--format", "json")
    assert code == 0, err
    rows = json.loads(out)
    assert [r["id"] for r in rows] == EXPECTED
    raw = {c["id"]: c for c in _raw_claims()}
    declared = _declared()
    for r in rows:
        assert set(r) == {"id", "source", "paraphrase", "quote", "modelled_by", "not_modelled"}
        c = raw[r["id"]]
        assert (r["source"], r["quote"]) == (c["source"], " ".join(c["quote"].split()))
        assert r["not_modelled"] == (" ".join(c["not_modelled"].split()) if "not_modelled" in c else None)
        assert [m["model"] for m in r["modelled_by"]] == sorted(m for m, cid in declared if cid == r["id"])
        for m in r["modelled_by"]:
            assert m["how"] == " ".join(gtu.load_model(m["model"]).claims[r["id"]].split())
    s12 = next(r for r in rows if r["id"] == "S12")
    assert {m["model"] for m in s12["modelled_by"]} == {"territory", "nato", "guarantees", "settlement"}
    s2 = next(r for r in rows if r["id"] == "S2")
    assert [m["model"] for m in s2["modelled_by"]] == ["settlement"] and s2["not_modelled"] is None


def test_gtu_claims_table_fits_100_columns(capsys):
    code, out, err = run(capsys, "claims")
    assert code == 0, err
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= 100
    starts = [line.split()[0] for line in lines[2:] if line[:1].strip()]
    assert starts == EXPECTED
    assert out.count("not modelled:") == 0              # every claim has a model
    said = " ".join(" ".join(line[7:51] for line in lines[2:]).split())     # the middle column, read down
    assert "Ukraine. Tactically, the parties may win but, strategically, there can be no winners.” (stanovaya2025)" \
        in said
    assert "(wallace2025)" in out and "territory: " in out


def test_gtu_claims_reports_a_bad_model_in_one_line(capsys, tmp_path, monkeypatch):
    (tmp_path / "mine.yaml").write_text(MINIMAL.replace("name: tiny", "name: mine") + "claims: {S99: a}\n",
                                        encoding="utf-8")
    monkeypatch.setenv("GTU_MODEL_PATH", str(tmp_path))
    code, out, err = run(capsys, "claims")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "mine.yaml" in err and "claim S99" in err and "fix:" in err
