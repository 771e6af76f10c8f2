"""The claims table as text for the terminal (``gtu claims``)."""

from __future__ import annotations

from collections.abc import Sequence

from .tables import text_table

__all__ = ["claims_text"]


def claims_text(rows: Sequence[dict]) -> str:
    """Render the rows of :func:`~gametheory_ukraine.modelling.claims.claims_table` in at most 100 columns.

    One row per claim: its id; the paraphrase, the quote and the source (a key of the models' references.bib);
    and each model that expresses it with how, or "not modelled" with the reason.

    Examples
    --------
    >>> row = {"id": "S9", "source": "stanovaya2025", "paraphrase": "Deals relapse.", "quote": "Minsk.",
    ...        "modelled_by": [{"model": "nato", "how": "rho"}], "not_modelled": None}
    >>> print(claims_text([row]))
    claim  what it says              how the models express it
    -----  ------------------------  -------------------------
    S9     Deals relapse.            nato: rho
           “Minsk.” (stanovaya2025)
    """
    body = []
    for r in rows:
        said = f"{r['paraphrase']}\n“{r['quote']}” ({r['source']})"
        if r["modelled_by"]:
            how = "\n".join(f"{m['model']}: {m['how']}" for m in r["modelled_by"])
        else:
            how = f"not modelled: {r['not_modelled']}"
        body.append([r["id"], said, how])
    lines = text_table(["claim", "what it says", "how the models express it"], body, widths={1: 44, 2: 45})
    # a blank line between claims: each spans several lines
    out = []
    for line in lines.splitlines():
        if out and len(out) > 2 and line[:5].strip():
            out.append("")
        out.append(line)
    return "\n".join(out)
