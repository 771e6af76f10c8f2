"""The bundled bibliography (``references.bib`` beside the model files): read its entries and write them as
references a reader can follow.

Only the BibTeX the bibliography uses is read: ``@type{key, field = {value}, ...}`` with braced or bare values,
``--`` for an en dash and ``{\\"o}`` for an umlaut; a ``%`` line is a comment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..core.frozen import FrozenDict

__all__ = ["Reference", "read_bibtex", "cited"]

_ACCENTS = {'{\\"o}': "ö", '{\\"u}': "ü", '{\\"a}': "ä", "{\\'e}": "é", "{\\`e}": "è", "{\\'a}": "á",
            "{\\aa}": "å", "{\\AA}": "Å", "{\\o}": "ø"}
_MONTHS = {"jan": "January", "feb": "February", "mar": "March", "apr": "April", "may": "May", "jun": "June",
           "jul": "July", "aug": "August", "sep": "September", "oct": "October", "nov": "November",
           "dec": "December"}
#: "Fearon (1995)", "Fearon 1995", "Fearon's (1995)", "Zagare and Kilgour (2000)", "Collier et al. (2008)"
CITATION = re.compile(r"\b([A-Z][a-zà-ÿ]+)(?:'s)?(?: (?:and|&) [A-Z][a-zà-ÿ]+| et al\.)?,? \(?((?:19|20)\d\d)\b")


@dataclass(frozen=True)
class Reference:
    """One entry of the bibliography: its key, type and fields (plain text, accents resolved)."""

    key: str
    kind: str
    fields: FrozenDict = field(default_factory=FrozenDict)

    @property
    def surnames(self) -> tuple[str, ...]:
        return tuple(a.split(",")[0].strip() for a in self.fields.get("author", "").split(" and ") if a.strip())

    @property
    def year(self) -> str:
        return self.fields.get("year", "")

    def text(self) -> str:
        """The reference in one line: authors (year). Title. Where it appeared. Its address, if any.

        Examples
        --------
        >>> (ref,) = read_bibtex("@article{f95, author = {Fearon, James D.}, title = {Rationalist Explanations "
        ...                      "for War}, journal = {International Organization}, volume = {49}, number = {3}, "
        ...                      "pages = {379--414}, year = {1995}}")
        >>> ref.text()
        'Fearon, James D. (1995). Rationalist Explanations for War. International Organization 49(3), 379–414.'
        """
        f = self.fields
        authors = f.get("author", "").split(" and ")
        names = authors[0] if len(authors) == 1 else ", ".join(authors[:-1]) + " and " + authors[-1]
        where = f.get("journal") or f.get("howpublished") or f.get("publisher") or ""
        if f.get("volume"):
            where += f" {f['volume']}" + (f"({f['number']})" if f.get("number") else "")
        if f.get("pages"):
            where += f", {f['pages']}"
        if f.get("month"):
            date = " ".join(x for x in (f.get("day", ""), _MONTHS.get(f["month"].lower()[:3], f["month"]),
                                         self.year) if x)
            where += f", {date}"
        text = f"{names} ({self.year}). {f.get('title', '')}." + (f" {where}." if where else "")
        return text + (f" {f['url']}" if f.get("url") else "")


def _plain(value: str) -> str:
    for tex, char in _ACCENTS.items():
        value = value.replace(tex, char)
    value = value.replace("--", "–").replace("{", "").replace("}", "")
    return " ".join(value.split())


def read_bibtex(text: str) -> list[Reference]:
    """The entries of a BibTeX text, in order.

    Raises
    ------
    ValueError
        An entry whose fields cannot be read (its key and the field where reading stopped).
    """
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("%")]
    body = "\n".join(lines)
    out = []
    for m in re.finditer(r"@(\w+)\s*\{\s*([^,\s]+)\s*,", body):
        kind, key, i = m.group(1).lower(), m.group(2), m.end()
        fields: dict[str, str] = {}
        while True:
            fm = re.compile(r"\s*(\w+)\s*=\s*").match(body, i)
            if fm is None:
                break
            name, i = fm.group(1).lower(), fm.end()
            if body[i] == "{":
                depth, j = 0, i
                while True:
                    depth += {"{": 1, "}": -1}.get(body[j], 0)
                    if depth == 0:
                        break
                    j += 1
                    if j >= len(body):
                        raise ValueError(f"entry {key!r}: field {name!r} has no closing brace")
                fields[name], i = _plain(body[i + 1:j]), j + 1
            else:
                vm = re.compile(r"[^,}\s]+").match(body, i)
                if vm is None:
                    raise ValueError(f"entry {key!r}: cannot read field {name!r}")
                fields[name], i = vm.group(0), vm.end()
            cm = re.compile(r"\s*,?").match(body, i)
            i = cm.end()
        out.append(Reference(key, kind, FrozenDict(fields)))
    return out


def cited(references: list[Reference], text: str) -> list[Reference]:
    """The references *text* cites as "Author (Year)" (any author of the entry, its year), sorted by first
    author and year.

    Examples
    --------
    >>> refs = read_bibtex("@book{a, author = {Schelling, Thomas C.}, title = {Arms and Influence}, "
    ...                    "publisher = {Yale University Press}, year = {1966}}")
    >>> [r.key for r in cited(refs, "as Schelling (1966) puts it")], cited(refs, "Schelling 1960") == []
    (['a'], True)
    """
    pairs = {(m.group(1), m.group(2)) for m in CITATION.finditer(text)}
    found = [r for r in references if any((s, r.year) in pairs for s in r.surnames)]
    return sorted(found, key=lambda r: (r.surnames[:1], r.year, r.key))
