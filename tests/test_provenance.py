"""Every sentence a model quotes from the analysis is in the article, verbatim.

Quotes are found in parameter sources and descriptions, in scenario descriptions and in the claims table
(``models/claims.yaml``): a
double-quoted passage of at least 25 characters that follows a mention of ``Stanovaya (2025)`` or
``Wallace (2025)`` (also written ``Wallace 2025``) is attributed to the nearest such mention
before it. Passages split by an ellipsis are checked piece by piece.

With ``../shared/analysis`` beside the repository (as in CI), each quote is checked against the
article text, and the committed snapshot ``tests/data/analysis_quotes.json`` must equal the set of
verified quotes. Without the articles (a clone on its own), each quote must be in that snapshot, which
was verified against the articles when it was written. Refresh it with::

    python tests/test_provenance.py --refresh
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SNAPSHOT = ROOT / "tests" / "data" / "analysis_quotes.json"
ARTICLES = {"Stanovaya (2025)": "stanovaya-2025-tactical-victories.md",
            "Wallace (2025)": "wallace-2025-where-do-we-go.md"}
_AUTHOR_RE = re.compile(r"(Stanovaya|Wallace),? \(?2025\)?")
_QUOTE_RE = re.compile(r'"([^"]{25,})"')


def _norm(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    text = text.replace("\u2014", "-").replace("\u2013", "-").replace("*", "")
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # markdown links: keep the link text
    return " ".join(text.split())


def analysis_dir() -> Path:
    return Path(os.environ.get("GTU_ANALYSIS_DIR", ROOT.parent / "shared" / "analysis"))


def model_texts():
    sys.path.insert(0, str(ROOT))
    import gametheory_ukraine as gtu
    from gametheory_ukraine.modelling.registry import bundled_models_dir, model_paths

    # the registry's models (calibration files and the claims table are not models; a calibration's parameters
    # and scenarios are checked in the models that include them)
    for name, path in sorted(model_paths().items()):
        if path.parent != bundled_models_dir() or not path.name.endswith(".yaml"):
            continue
        model = gtu.load_model(name)
        for p in model.parameters.values():
            yield f"{model.name}: parameter {p.name}", p.source + " " + p.description
        for s in model.scenarios.values():
            yield f"{model.name}: scenario {s.name}", s.description
    # the claims table's quotes (its source is a bibliography key; the quote field has no quote marks)
    from gametheory_ukraine.modelling.claims import load_claims

    authors = {"stanovaya2025": "Stanovaya (2025)", "wallace2025": "Wallace (2025)"}
    for claim in load_claims():
        yield f"claims.yaml: {claim.id}", f'{authors[claim.source]}: "{claim.quote}"'


def extract_quotes(text: str) -> list[tuple[str, str]]:
    """(author, quoted piece) pairs in *text*; see the module docstring for the rule."""
    text = _norm(text)
    authors = [(m.start(), m.group(1)) for m in _AUTHOR_RE.finditer(text)]  # (position, surname)
    out = []
    for m in _QUOTE_RE.finditer(text):
        before = [f"{a} (2025)" for pos, a in authors if pos < m.start()]
        if not before:
            continue
        for piece in re.split(r"\.\.\.|\u2026|\[[^\]]*\]", m.group(1)):
            piece = piece.strip(" ,;:")
            if len(piece) >= 12:
                out.append((before[-1], piece))
    return out


def all_quotes() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {a: set() for a in ARTICLES}
    for _where, text in model_texts():
        for author, piece in extract_quotes(text):
            found[author].add(piece)
    return found


def article_texts(folder: Path) -> dict[str, str]:
    return {a: _norm((folder / f).read_text(encoding="utf-8")) for a, f in ARTICLES.items()}


def test_extraction_rule():
    text = ('Stanovaya (2025): "first quoted passage, long enough" and Wallace (2025): "the second piece of it '
            '... and after the ellipsis" but "short" and "a long passage quoted after Wallace again"')
    assert extract_quotes(text) == [
        ("Stanovaya (2025)", "first quoted passage, long enough"),
        ("Wallace (2025)", "the second piece of it"), ("Wallace (2025)", "and after the ellipsis"),
        ("Wallace (2025)", "a long passage quoted after Wallace again")]
    assert extract_quotes('no author here: "a long passage that nobody is said to have written"') == []


def test_models_quote_the_analysis():
    quotes = all_quotes()
    assert sum(len(q) for q in quotes.values()) >= 30, "the framework models should quote the analysis"
    assert all(quotes.values()), "both articles should be quoted"


def test_every_quote_is_verbatim():
    quotes = all_quotes()
    folder = analysis_dir()
    snapshot = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    if folder.is_dir():
        texts = article_texts(folder)
        missing = [(a, q) for a, qs in quotes.items() for q in sorted(qs) if q not in texts[a]]
        assert not missing, f"quotes not found verbatim in the article: {missing}"
        for a, f in ARTICLES.items():
            digest = hashlib.sha256((folder / f).read_bytes()).hexdigest()
            assert snapshot["articles"][a]["sha256"] == digest, f"{f} changed: run python {__file__} --refresh"
        assert {a: sorted(q) for a, q in quotes.items()} == snapshot["quotes"], (
            f"tests/data/analysis_quotes.json is out of date: run python {Path(__file__).name} --refresh")
    else:
        missing = [(a, q) for a, qs in quotes.items() for q in sorted(qs) if q not in snapshot["quotes"][a]]
        assert not missing, f"quotes not verified against the articles (no {folder} here): {missing}"


def refresh() -> None:
    folder = analysis_dir()
    texts = article_texts(folder)
    quotes = all_quotes()
    bad = [(a, q) for a, qs in quotes.items() for q in qs if q not in texts[a]]
    if bad:
        raise SystemExit(f"not verbatim, fix the model files first: {bad}")
    doc = {"articles": {a: {"file": f, "sha256": hashlib.sha256((folder / f).read_bytes()).hexdigest()}
                        for a, f in ARTICLES.items()},
           "quotes": {a: sorted(q) for a, q in quotes.items()}}
    SNAPSHOT.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {SNAPSHOT}: {sum(len(q) for q in quotes.values())} quotes")


if __name__ == "__main__":
    if sys.argv[1:] == ["--refresh"]:
        refresh()
    else:
        raise SystemExit("usage: python tests/test_provenance.py --refresh")
