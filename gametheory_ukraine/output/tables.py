"""Plain-text tables for the terminal, with wrapped cells."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

__all__ = ["text_table", "latex_escape"]


def text_table(headers: Sequence[str], rows: Sequence[Sequence[object]],
               widths: dict[int, int] | None = None) -> str:
    """Render *rows* under *headers*; column k is wrapped at ``widths[k]`` characters if given.

    Examples
    --------
    >>> print(text_table(["a", "b"], [[1, "xy"]]))
    a  b
    -  --
    1  xy
    """
    widths = widths or {}
    cells = []
    for row in rows:
        cells.append([[piece for line in str(v).splitlines()
                       for piece in (textwrap.wrap(line, widths[k], subsequent_indent="  ") or [""])] or [""]
                      if k in widths else str(v).splitlines() or [""]
                      for k, v in enumerate(row)])
    col_w = [len(h) for h in headers]
    for row in cells:
        for k, lines in enumerate(row):
            col_w[k] = max(col_w[k], *(len(line) for line in lines))
    out = ["  ".join(h.ljust(col_w[k]) for k, h in enumerate(headers)).rstrip(),
           "  ".join("-" * col_w[k] for k in range(len(headers)))]
    for row in cells:
        height = max(len(lines) for lines in row)
        for i in range(height):
            out.append("  ".join((lines[i] if i < len(lines) else "").ljust(col_w[k])
                                 for k, lines in enumerate(row)).rstrip())
    return "\n".join(out)


_LATEX_SPECIAL = {"&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_", "{": r"\{", "}": r"\}",
                  "~": r"\textasciitilde{}", "^": r"\textasciicircum{}", "\\": r"\textbackslash{}"}


def latex_escape(text: str) -> str:
    """Escape LaTeX's special characters in plain text."""
    return "".join(_LATEX_SPECIAL.get(ch, ch) for ch in str(text))
