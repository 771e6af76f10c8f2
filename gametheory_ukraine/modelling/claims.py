"""The claims table: the analyses' claims (``claims.yaml``, shipped with the models) joined with the models that
express them.

``claims.yaml`` lists each claim of Stanovaya (2025), S1-S12, and Wallace (2025), W1-W5: its id, its source (a key
of the models' ``references.bib``), a paraphrase, the quote, and ``not_modelled`` (the reason) for a claim no model
expresses. A model file says which claims it expresses under its top-level ``claims:`` key
(:attr:`Model.claims <gametheory_ukraine.modelling.model.Model.claims>`). :func:`claims_table` joins the two and
checks that they agree; ``gtu claims`` prints the result.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from ..core.errors import ModelFileError, excerpt
from ..core.reading import read_model_bytes
from ..io.yaml_lines import LineDict, LineList, UnsafeValueError, load_yaml_with_lines
from .model_file import CLAIM_ID_RE
from .registry import bundled_models_dir, list_models, load_model

__all__ = ["Claim", "load_claims", "claims_table", "claims_path", "MAX_CLAIMS_BYTES"]

#: Largest claims file, in bytes (checked before it is read whole; the bundled one is about 12 kB)
MAX_CLAIMS_BYTES = 1_000_000

_KEYS = ("id", "source", "paraphrase", "quote", "not_modelled")


@dataclass(frozen=True)
class Claim:
    """One claim of the analysis.

    Attributes
    ----------
    id : str
        ``S1`` ... ``S12`` (Stanovaya 2025), ``W1`` ... ``W5`` (Wallace 2025).
    source : str
        Its key in the models' ``references.bib`` (e.g. ``stanovaya2025``).
    paraphrase : str
        What it says, in one or two sentences.
    quote : str
        The article's words ("…" joins two passages).
    not_modelled : str or None
        Why no model expresses it, or None for a claim that models express.
    """

    id: str
    source: str
    paraphrase: str
    quote: str
    not_modelled: str | None = None


def claims_path():
    """The bundled claims file, ``claims.yaml`` in the models folder (a Traversable, like the models)."""
    return bundled_models_dir() / "claims.yaml"


def _fail(path: str, message: str, where: str, line: int | None = None, fix: str | None = None):
    place = f"line {line} ({where})" if line else where
    raise ModelFileError(message, path=path, where=place, fix=fix)


def _line(container: Any, key: Any) -> int | None:
    if isinstance(container, (LineDict, LineList)):
        return container.line_of(key)
    return None


def _text(path: str, entry: dict, key: str, where: str, required: bool = True) -> str | None:
    value = entry.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        _fail(path, f"{key!r} must be a non-empty text", f"{where}.{key}", _line(entry, key) or _line(entry, "id"),
              fix=f"give the claim's {key.replace('_', ' ')} as text")
    return " ".join(value.split())


def load_claims(path: str | os.PathLike | None = None) -> tuple[Claim, ...]:
    """Read a claims file (default: the bundled ``claims.yaml``), in its order.

    Read like a model file: a regular file of at most :data:`MAX_CLAIMS_BYTES`, YAML through the safe loader.

    Raises
    ------
    ModelFileError
        A file that cannot be read or is not YAML; a claim with a missing, unknown or empty key, an id that is
        not ``S`` or ``W`` and a number, or an id given twice (the message names the file, the line and the fix).

    Examples
    --------
    >>> claims = load_claims()
    >>> [c.id for c in claims][:3], claims[0].source
    (['S1', 'S2', 'S3'], 'stanovaya2025')
    """
    if path is None:
        with resources.as_file(claims_path()) as real:
            return load_claims(real)
    p = Path(path)
    where_file = str(p)
    raw = read_model_bytes(p, MAX_CLAIMS_BYTES)
    try:
        data = load_yaml_with_lines(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ModelFileError(f"not UTF-8 text (byte {exc.start})", path=where_file, fix="save the file as UTF-8") \
            from None
    except UnsafeValueError as exc:
        mark = exc.problem_mark
        raise ModelFileError(exc.problem, path=where_file, where=f"line {mark.line + 1}, column {mark.column + 1}",
                             fix=exc.fix) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ModelFileError(f"not valid YAML: {excerpt(problem, 200)}", path=where_file,
                             where=f"line {mark.line + 1}, column {mark.column + 1}" if mark else None,
                             fix="fix the YAML syntax there (indentation, quoting, colons)") from None
    if not isinstance(data, dict) or set(data) != {"claims"} or not isinstance(data["claims"], list):
        _fail(where_file, "a claims file is a mapping with one key, 'claims': a list of claims", "top level", 1,
              fix="write 'claims:' and under it one '- id: ...' entry per claim")
    out: list[Claim] = []
    seen: dict[str, int | None] = {}
    for k, entry in enumerate(data["claims"]):
        where = f"claims[{k}]"
        if not isinstance(entry, dict):
            _fail(where_file, "a claim is a mapping with id, source, paraphrase, quote and optionally not_modelled",
                  where, _line(data["claims"], k))
        for key in entry:
            if key not in _KEYS:
                _fail(where_file, f"unknown key {excerpt(repr(key))}", f"{where}.{key}", _line(entry, key),
                      fix="allowed keys: " + ", ".join(_KEYS))
        cid = entry.get("id")
        if not isinstance(cid, str) or not CLAIM_ID_RE.match(cid):
            _fail(where_file, f"{excerpt(repr(cid))} is not a claim id", f"{where}.id",
                  _line(entry, "id") or _line(data["claims"], k), fix="write S or W and the claim's number, e.g. S9")
        if cid in seen:
            _fail(where_file, f"claim {cid} is given twice (first at line {seen[cid]})", f"{where}.id",
                  _line(entry, "id"), fix="keep one entry per claim")
        seen[cid] = _line(entry, "id")
        where = f"claims[{k}] ({cid})"
        out.append(Claim(cid, *(_text(where_file, entry, key, where) for key in ("source", "paraphrase", "quote")),
                         _text(where_file, entry, "not_modelled", where, required=False)))
    return tuple(out)


def claims_table(claims: tuple[Claim, ...] | None = None, models: list[str] | None = None) -> list[dict]:
    """Each claim with the models that express it: the ``gtu claims --format json`` document.

    Parameters
    ----------
    claims : tuple of Claim, optional
        Default: :func:`load_claims` of the bundled file.
    models : list of str, optional
        Names of the models to join (default: every model ``gtu list`` shows).

    Returns
    -------
    list of dict
        In the claims' order: ``{"id", "source", "paraphrase", "quote", "modelled_by": [{"model", "how"}],
        "not_modelled": reason or None}``, ``modelled_by`` sorted by model name.

    Raises
    ------
    ModelFileError
        A model that declares a claim id the table does not have, a claim marked ``not_modelled`` that a model
        declares, or a claim that no model expresses and that has no ``not_modelled`` reason.

    Examples
    --------
    >>> rows = claims_table()
    >>> rows[11]["id"], [m["model"] for m in rows[11]["modelled_by"]]
    ('S12', ['guarantees', 'nato', 'settlement', 'territory'])
    """
    claims = load_claims() if claims is None else claims
    by_id = {c.id: c for c in claims}
    table_file = "claims.yaml"
    modelled: dict[str, list[dict]] = {c.id: [] for c in claims}
    for name in sorted(list_models() if models is None else models):
        model = load_model(name)
        for cid, how in model.claims.items():
            if cid not in by_id:
                raise ModelFileError(f"model {model.name!r} declares claim {cid}, which the claims table does not "
                                     "have", path=model.path, where=f"claims.{cid}",
                                     fix="use an id that 'gtu claims' lists: " + ", ".join(by_id))
            if by_id[cid].not_modelled is not None:
                raise ModelFileError(f"model {model.name!r} expresses claim {cid}, which the claims table marks "
                                     "not modelled", path=model.path, where=f"claims.{cid}",
                                     fix=f"drop not_modelled from claim {cid} in {table_file}, or the claim from "
                                         "the model")
            modelled[cid].append({"model": model.name, "how": how})
    for c in claims:
        if c.not_modelled is None and not modelled[c.id]:
            raise ModelFileError(f"claim {c.id} is expressed by no model and gives no reason", path=table_file,
                                 where=f"claim {c.id}",
                                 fix="add 'not_modelled: reason' to the claim, or the claim to a model's claims:")
    return [{"id": c.id, "source": c.source, "paraphrase": c.paraphrase, "quote": c.quote,
             "modelled_by": modelled[c.id], "not_modelled": c.not_modelled} for c in claims]
