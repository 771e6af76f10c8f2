"""The bundled models' bibliography: every "Author (Year)" the model files and models/README.md cite has an entry
in models/references.bib, and every entry there is cited."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODELS = ROOT / "models"
MONTHS = {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"}
#: "Fearon (1995)", "Fearon 1995", "Fearon's (1995)", "Zagare and Kilgour (2000)", "Collier et al. (2008)"
CITATION = re.compile(r"\b([A-Z][a-zà-ÿ]+)(?:'s)?(?: (?:and|&) [A-Z][a-zà-ÿ]+| et al\.)?,? \(?((?:19|20)\d\d)\b")


def _entries() -> list[set[tuple[str, str]]]:
    """For each entry of references.bib, its (surname, year) pairs, one per author."""
    text = (MODELS / "references.bib").read_text(encoding="utf-8")
    out = []
    for body in re.split(r"\n@", text)[1:]:
        authors = re.search(r"author\s*=\s*\{(.+?)\},\n", body).group(1).replace('{\\"o}', "ö")
        year = re.search(r"year\s*=\s*\{(\d{4})\}", body).group(1)
        out.append({(a.split(",")[0].strip(), year) for a in authors.split(" and ")})
    return out


def _citations() -> dict[tuple[str, str], list[str]]:
    found: dict[tuple[str, str], list[str]] = {}
    for path in sorted(MODELS.glob("*.yaml")) + [MODELS / "README.md"]:
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for m in CITATION.finditer(line):
                if m.group(1) not in MONTHS:
                    found.setdefault((m.group(1), m.group(2)), []).append(f"{path.name}:{n}")
    return found


def test_every_citation_has_an_entry():
    known = set().union(*_entries())
    missing = {k: v[:3] for k, v in _citations().items() if k not in known}
    assert missing == {}


def test_every_entry_is_cited():
    cited = set(_citations())
    assert [sorted(entry) for entry in _entries() if not entry & cited] == []


def test_the_scan_finds_the_citations_it_should():
    cited = _citations()
    assert {("Fearon", "1995"), ("Stanovaya", "2025"), ("Zagare", "2000"), ("Collier", "2008")} <= set(cited)


def test_the_package_reads_every_entry_of_the_bibliography():
    """gametheory_ukraine.io.bibtex reads each entry with its authors, year and title, as this file's own regular
    expressions do, and writes each as one line starting with the first author and the year."""
    from gametheory_ukraine.io.bibtex import read_bibtex

    refs = read_bibtex((MODELS / "references.bib").read_text(encoding="utf-8"))
    expected = _entries()
    assert len(refs) == len(expected)
    for ref, pairs in zip(refs, expected):
        assert {(s, ref.year) for s in ref.surnames} == pairs
        assert ref.fields["title"] and "{" not in ref.text() and "\\" not in ref.text()
        assert ref.text().startswith(ref.fields["author"].split(" and ")[0]) and f" ({ref.year}). " in ref.text()
