"""A tiny document model rendered to Markdown and to standalone HTML (no dependencies beyond sympy's printers).

Text is written as Markdown inline text: `` `code` `` spans and ``[label](target)`` links, which the HTML renders
as ``<code>`` and ``<a>``. Mathematics is a :class:`Math` (LaTeX for the Markdown, between ``$`` signs, and
presentation MathML for the HTML, which browsers render without any script or network access), in a table cell
or in a paragraph given as a list of text and :class:`Math` parts.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field

import sympy
from sympy.printing.mathml import mathml

__all__ = ["Document", "Math", "math_of", "symbol_math"]

_CODE = re.compile(r"`([^`]+)`")
_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")


@dataclass(frozen=True)
class Math:
    """A formula: *latex* for Markdown (written between ``$`` signs) and *mathml*, the inside of a ``<math>``
    element, for HTML."""

    latex: str
    mathml: str

    def markdown(self) -> str:
        return f"${self.latex}$"

    def html(self) -> str:
        return f'<math display="inline">{self.mathml}</math>'


def math_of(expr, order: str | None = None, symbols: Mapping[str, str] | None = None) -> Math:
    """A sympy expression as :class:`Math`: sympy's LaTeX and its presentation MathML (symbols such as ``c_R``
    with their subscripts, ``delta`` as the Greek letter); ``order="none"`` keeps an unevaluated expression's terms
    in the order written; *symbols* maps a symbol's name to the LaTeX it is written with (a model's declared
    symbols: ``{"dp_belt": "\\Delta p_B"}``), in both the LaTeX and the MathML.

    Examples
    --------
    >>> import sympy
    >>> math_of(sympy.Symbol("c_R") / 2).latex
    '\\\\frac{c_{R}}{2}'
    >>> m = math_of(sympy.Symbol("dp_belt") + 1, symbols={"dp_belt": "\\\\Delta p_B"})
    >>> m.latex
    '{\\\\Delta p_B} + 1'
    >>> m.mathml
    '<mrow><mrow><mi>&#916;</mi><msub><mi>p</mi><mi>B</mi></msub></mrow><mo>+</mo><mn>1</mn></mrow>'
    """
    names = {}
    for s in sorted(getattr(expr, "free_symbols", ()), key=lambda s: s.name):
        if symbols and symbols.get(s.name):
            try:
                names[s] = (sympy.Symbol(f"gtusym{_letters(len(names))}"), symbols[s.name],
                            symbol_math(symbols[s.name], s.name).mathml)
            except ValueError:
                continue
    if not names:
        return Math(sympy.latex(expr, order=order), mathml(expr, printer="presentation", order=order))
    placed = expr.xreplace({s: ph for s, (ph, _, _) in names.items()})
    latex, ml = sympy.latex(placed, order=order), mathml(placed, printer="presentation", order=order)
    for ph, tex, sym_ml in names.values():
        latex = re.sub(rf"\b{ph.name}\b", lambda _m, t=tex: "{" + t + "}", latex)
        ml = ml.replace(f"<mi>{ph.name}</mi>", sym_ml)
    return Math(latex, ml)


def _letters(k: int) -> str:
    """a, b, ..., z, ba, bb, ...: a placeholder suffix sympy prints as it is (no digits, no underscores)."""
    out = ""
    while True:
        out = "abcdefghijklmnopqrstuvwxyz"[k % 26] + out
        k //= 26
        if k == 0:
            return out


def _greek(name: str) -> str | None:
    """The Greek letter a LaTeX command names (``delta``, ``Delta``, ``varepsilon``), or None."""
    base = name[3:] if name.startswith("var") else name
    if not base.isalpha():
        return None
    case = "CAPITAL" if base[0].isupper() else "SMALL"
    try:
        return unicodedata.lookup(f"GREEK {case} LETTER {base.upper().replace('LAMBDA', 'LAMDA')}")
    except KeyError:
        return None


def symbol_math(symbol: str, name: str) -> Math:
    """A parameter's declared symbol (LaTeX such as ``\\Delta p_S``, ``c_R``, ``\\mu_{S}``) as :class:`Math`: Greek
    letters, letters, digits, subscripts and superscripts; anything else falls back to the parameter's *name*
    printed by sympy.

    Examples
    --------
    >>> symbol_math("\\\\Delta p_S", "dp_S").mathml
    '<mrow><mi>&#916;</mi><msub><mi>p</mi><mi>S</mi></msub></mrow>'
    """
    tokens = re.findall(r"\\[A-Za-z]+|[A-Za-z]|[0-9]+|[_^{}]| +|.", symbol)

    def atom(i: int) -> tuple[str, int]:
        t = tokens[i]
        if t == "{":
            parts, i = [], i + 1
            while i < len(tokens) and tokens[i] != "}":
                part, i = item(i)
                parts.append(part)
            return "<mrow>" + "".join(parts) + "</mrow>", i + 1
        if t.startswith("\\"):
            char = _greek(t[1:])
            if char is None:
                raise ValueError(t)
            return f"<mi>&#{ord(char)};</mi>", i + 1
        if t.isdigit():
            return f"<mn>{t}</mn>", i + 1
        if t.isalpha():
            return f"<mi>{t}</mi>", i + 1
        raise ValueError(t)

    def item(i: int) -> tuple[str, int]:
        while tokens[i].isspace():
            i += 1
        base, i = atom(i)
        if i < len(tokens) and tokens[i] in "_^":
            op = "msub" if tokens[i] == "_" else "msup"
            script, i = atom(i + 1)
            base = f"<{op}>{base}{script}</{op}>"
        return base, i

    try:
        parts, i = [], 0
        while i < len(tokens):
            if tokens[i].isspace():
                i += 1
                continue
            part, i = item(i)
            parts.append(part)
        inner = parts[0] if len(parts) == 1 else "<mrow>" + "".join(parts) + "</mrow>"
        return Math(symbol, inner)
    except (ValueError, IndexError):
        return Math(symbol, math_of(sympy.Symbol(name)).mathml)


def _inline_html(text) -> str:
    """Markdown inline text (or a list of text and :class:`Math` parts) as HTML."""
    if isinstance(text, Math):
        return text.html()
    if isinstance(text, (list, tuple)):
        return "".join(_inline_html(part) for part in text)
    out = html.escape(str(text), quote=False)
    out = _CODE.sub(lambda m: f"<code>{m.group(1)}</code>", out)
    return _LINK.sub(lambda m: f'<a href="{html.escape(m.group(2))}">{m.group(1)}</a>', out)


def _inline_md(text) -> str:
    if isinstance(text, Math):
        return text.markdown()
    if isinstance(text, (list, tuple)):
        return "".join(_inline_md(part) for part in text)
    return str(text)


def _anchor(text: str, taken: set) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", _CODE.sub(r"\1", text).lower()).strip("-") or "section"
    anchor, k = base, 2
    while anchor in taken:
        anchor, k = f"{base}-{k}", k + 1
    taken.add(anchor)
    return anchor


@dataclass
class Document:
    """An ordered list of blocks: headings, paragraphs, tables, images, preformatted text.

    Examples
    --------
    >>> d = Document("Title")
    >>> d.paragraph("Hello.")
    >>> d.table(["a", "b"], [[1, 2]])
    >>> print(d.markdown())
    # Title
    <BLANKLINE>
    Hello.
    <BLANKLINE>
    | a | b |
    |---|---|
    | 1 | 2 |
    <BLANKLINE>
    """

    title: str
    blocks: list = field(default_factory=list)

    def heading(self, text: str, level: int = 2) -> None:
        self.blocks.append(("h", level, text))

    def paragraph(self, text) -> None:
        self.blocks.append(("p", text))

    def bullets(self, items: list) -> None:
        self.blocks.append(("ul", list(items)))

    def numbered(self, items: list) -> None:
        self.blocks.append(("ol", list(items)))

    def table(self, headers: list[str], rows: list[list[object]]) -> None:
        self.blocks.append(("table", list(headers), [[c if isinstance(c, (Math, list)) else str(c) for c in r]
                                                     for r in rows]))

    def image(self, path: str, caption: str) -> None:
        self.blocks.append(("img", path, caption))

    def pre(self, text: str) -> None:
        self.blocks.append(("pre", text))

    # ---------------------------------------------------------------- render
    def markdown(self) -> str:
        out = [f"# {self.title}", ""]
        for b in self.blocks:
            if b[0] == "h":
                out += ["#" * b[1] + " " + b[2], ""]
            elif b[0] == "p":
                out += [_inline_md(b[1]), ""]
            elif b[0] == "ul":
                out += [f"- {_inline_md(item)}" for item in b[1]] + [""]
            elif b[0] == "ol":
                out += [f"{k}. {_inline_md(item)}" for k, item in enumerate(b[1], 1)] + [""]
            elif b[0] == "table":
                esc = [[_inline_md(c).replace("|", "\\|").replace("\n", " ") for c in row] for row in b[2]]
                out.append("| " + " | ".join(b[1]) + " |")
                out.append("|" + "|".join("---" for _ in b[1]) + "|")
                out += ["| " + " | ".join(row) + " |" for row in esc]
                out.append("")
            elif b[0] == "img":
                out += [f"![{b[2]}]({b[1]})", "", f"*{b[2]}*", ""]
            elif b[0] == "pre":
                out += ["```", b[1], "```", ""]
        return "\n".join(out)

    def html(self) -> str:
        """Standalone HTML: a table of contents of the headings, every heading, table and figure with an anchor
        (tables and figures numbered, each caption linking to itself), formulas as MathML."""
        e = html.escape
        taken: set = set()
        body, toc = [f"<h1>{e(self.title)}</h1>"], []
        n_table = n_figure = 0
        for b in self.blocks:
            if b[0] == "h":
                anchor = _anchor(b[2], taken)
                body.append(f'<h{b[1]} id="{anchor}">{_inline_html(b[2])}</h{b[1]}>')
                if b[1] <= 3:
                    toc.append((b[1], anchor, _inline_html(b[2])))
            elif b[0] == "p":
                body.append(f"<p>{_inline_html(b[1])}</p>")
            elif b[0] in ("ul", "ol"):
                body.append(f"<{b[0]}>" + "".join(f"<li>{_inline_html(i)}</li>" for i in b[1]) + f"</{b[0]}>")
            elif b[0] == "table":
                n_table += 1
                head = "".join(f"<th>{_inline_html(h)}</th>" for h in b[1])
                rows = "".join("<tr>" + "".join(f"<td>{_inline_html(c)}</td>" for c in r) + "</tr>" for r in b[2])
                body.append(f'<div class="wide"><table id="table-{n_table}"><caption><a href="#table-{n_table}">'
                            f"Table {n_table}</a></caption><thead><tr>{head}</tr></thead><tbody>{rows}</tbody>"
                            "</table></div>")
            elif b[0] == "img":
                n_figure += 1
                alt = _LINK.sub(r"\1", _CODE.sub(r"\1", b[2]))
                body.append(f'<figure id="figure-{n_figure}"><a href="{e(b[1])}"><img src="{e(b[1])}" '
                            f'alt="{e(alt)}"></a><figcaption><a href="#figure-{n_figure}">Figure {n_figure}</a>. '
                            f"{_inline_html(b[2])}</figcaption></figure>")
            elif b[0] == "pre":
                body.append(f"<pre>{e(b[1])}</pre>")
        if toc:
            items = "".join(f'<li class="toc{level}"><a href="#{anchor}">{text}</a></li>'
                            for level, anchor, text in toc)
            body.insert(1, f'<nav><h2 id="contents">Contents</h2><ul class="toc">{items}</ul></nav>')
        style = ("body{font-family:Georgia,serif;max-width:60em;margin:2em auto;padding:0 1em;line-height:1.45}"
                 "table{border-collapse:collapse;margin:1em 0;font-size:90%}"
                 "caption{text-align:left;font-style:italic;padding:.2em 0}"
                 "td,th{border:1px solid #999;padding:.25em .5em;vertical-align:top;text-align:left}"
                 "th{background:#eee}img{max-width:100%}figcaption{font-style:italic}"
                 "code{font-size:90%;background:#f3f3f3;padding:0 .2em}"
                 "ul.toc{list-style:none;padding-left:0}li.toc3{padding-left:1.5em;font-size:95%}"
                 "pre{background:#f6f6f6;padding:.5em;overflow-x:auto}"
                 "div.wide{overflow-x:auto;max-width:100%}td{overflow-wrap:break-word}")
        return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                f"<title>{e(self.title)}</title><style>{style}</style></head><body>\n"
                + "\n".join(body) + "\n</body></html>\n")
