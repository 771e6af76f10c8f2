"""Reading model files (YAML) into :class:`~gametheory_ukraine.modelling.model.Model` objects.

The file format is documented in ``models/README.md``. Loading is pure data
handling: YAML through a safe loader (no tags, no aliases), expressions through
the :mod:`~gametheory_ukraine.core.expressions` whitelist. Every problem raises a
:class:`~gametheory_ukraine.core.errors.ModelFileError` naming the file, the line and
key path, and the fix.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import re
from dataclasses import replace
from fractions import Fraction
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import sympy
import yaml

from ..core.errors import ModelFileError, ParameterError, excerpt
from ..core.expressions import (
    ALLOWED_FUNCTIONS,
    MAX_EXPANDED_TOTAL,
    Definition,
    ExpressionError,
    expression_size,
    parse_definition,
    parse_expression,
)
from ..core.frozen import FrozenDict
from ..core.numbers import format_value, to_exact
from ..core.reading import read_model_bytes
from ..games.normal_form import NormalFormGame
from ..games.tree import Chance, Decision, GameTree, Terminal
from ..io.yaml_lines import MAX_MODEL_BYTES, LineDict, LineList, UnsafeValueError, load_yaml_with_lines
from .bundled import bundled_models_dir
from .model import Model, Parameter, Scenario

__all__ = ["load_model_file", "parse_model", "is_calibration_file", "FORM_NAMES", "MAX_TREE_DEPTH",
           "MAX_INCLUDE_DEPTH", "MAX_TOTAL_BYTES", "CLAIM_ID_RE"]

#: Deepest game tree a model file may describe (moves on the longest path from the root); the
#: solvers and drawings walk trees recursively.
MAX_TREE_DEPTH = 200

FORM_NAMES = ("normal", "sequential")
_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_MODEL_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
#: A claim's id: S (Stanovaya 2025) or W (Wallace 2025) and its number, as in the bundled ``claims.yaml``
CLAIM_ID_RE = re.compile(r"^[SW][0-9]+$")
_DEFINE_RE = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:\((.*)\))?\s*$", re.S)
_CALIBRATION_LINE = re.compile(r"^calibration\s*:", re.M)
_NAME_LINE = re.compile(r"^name\s*:", re.M)
_MODEL_KEYS = {"name", "title", "description", "players", "parameters", "scenarios", "forms", "references", "findings",
               "notes", "form_differences", "include", "define", "claims", "tactical", "question"}
_CALIBRATION_KEYS = {"calibration", "title", "description", "units", "parameters", "scenarios", "define", "include",
                     "references", "notes"}

#: Deepest chain of includes (a model including a calibration that includes another ... counts each step).
MAX_INCLUDE_DEPTH = 4

#: Most bytes of a model file and every file it includes, together.
MAX_TOTAL_BYTES = MAX_MODEL_BYTES


class _Ctx:
    """Where we are in the file, for error messages."""

    def __init__(self, path: str, counted: list | None = None) -> None:
        self.path = path
        self.definitions: dict = {}
        # parts of the expressions read so far with their definitions expanded, one count for a model and all it
        # includes (a one-item list, shared); counted where definitions are in play
        self.counted = counted if counted is not None else [0]

    def count(self, expr, where: str, line: int | None) -> None:
        """Add the size of *expr* to the count; refuse past :data:`MAX_EXPANDED_TOTAL`."""
        self.counted[0] += expression_size(expr, MAX_EXPANDED_TOTAL - self.counted[0])
        if self.counted[0] > MAX_EXPANDED_TOTAL:
            self.fail(f"the expressions of this model and the files it includes have more than {MAX_EXPANDED_TOTAL} "
                      "parts together once definitions are expanded", where, line,
                      fix="use fewer cells or smaller definitions")

    def fail(self, message: str, where: str, line: int | None = None, fix: str | None = None):
        where = excerpt(where, 160)
        place = f"line {line} ({where})" if line else where
        raise ModelFileError(message, path=self.path, where=place, fix=fix)


def _line(container: Any, key: Any) -> int | None:
    if isinstance(container, LineDict):
        return container.line_of(key)
    if isinstance(container, LineList):
        return container.line_of(key)
    return None


def _req(ctx: _Ctx, mapping: Any, key: str, where: str, kind: type | tuple = object, fix: str | None = None):
    if not isinstance(mapping, dict):
        ctx.fail("expected a mapping (key: value lines)", where, getattr(mapping, "line", None))
    if key not in mapping:
        ctx.fail(f"missing key {key!r}", where, getattr(mapping, "line", None),
                 fix or f"add '{key}:' under {where or 'the top level'}")
    value = mapping[key]
    if kind is not object and not isinstance(value, kind):
        names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        ctx.fail(f"{key!r} must be a {names.replace('LineDict', 'mapping').replace('LineList', 'list')}",
                 f"{where}.{key}" if where else key, _line(mapping, key))
    return value


def _check_keys(ctx: _Ctx, mapping: dict, allowed: set, where: str) -> None:
    for key in mapping:
        if key not in allowed:
            ctx.fail(f"unknown key {key!r}", f"{where}.{key}" if where else str(key), _line(mapping, key),
                     fix="allowed keys here: " + ", ".join(sorted(allowed)))


def _number(ctx: _Ctx, mapping: dict, key: str, where: str) -> Fraction:
    value = _req(ctx, mapping, key, where)
    try:
        if isinstance(value, bool):
            raise ValueError
        return to_exact(value)
    except (ValueError, TypeError) as exc:
        too_large = isinstance(value, str) and "too large" in str(exc)
        ctx.fail(str(exc) if too_large else f"{key} must be a number, got {excerpt(repr(value))}",
                 f"{where}.{key}", _line(mapping, key),
                 fix="use a smaller number" if too_large else "write e.g. 0.05 or 1/20 (quoted)")


def _one_line(ctx: _Ctx, value: Any, where: str, line: int | None) -> None:
    """Names and labels are printed in tables and pictures: no line breaks or tabs in them."""
    if isinstance(value, str) and ("\n" in value.strip() or "\t" in value):
        ctx.fail(f"{excerpt(repr(value))} holds a line break or a tab", where, line,
                 fix="write names, labels and titles on one line")


def _expr(ctx: _Ctx, value: Any, params: list[str], where: str, line: int | None):
    try:
        result = parse_expression(value, params, ctx.definitions)
    except ExpressionError as exc:
        ctx.fail(f"bad expression {excerpt(repr(value))}: {exc}", where, line,
                 fix=exc.fix or "use numbers, declared parameter names, definitions, + - * / ** and "
                                "min/max/exp/log/sqrt/abs")
    if ctx.definitions:  # a short text may stand for a large expression: count what it expands to
        ctx.count(result, where, line)
    return result


class _Shared:
    """What a file's includes give it: parameters, scenarios and definitions, each with the calibration it comes
    from, the overrides made on the way, and the included files."""

    def __init__(self) -> None:
        self.parameters: dict[str, Parameter] = {}
        self.param_from: dict[str, str | None] = {}
        self.scenarios: dict[str, Scenario] = {}
        self.scenario_from: dict[str, str | None] = {}
        self.definitions: dict[str, Definition] = {}
        self.definition_from: dict[str, str | None] = {}
        self.overrides: list[dict] = []
        self.includes: list[str] = []             # calibration names, each after the ones it includes
        self.files: dict[str, tuple] = {}         # calibration name -> (path, sha256, mtime_ns, size)

    def merge(self, ctx: _Ctx, other: _Shared, line: int | None) -> None:
        """Add a sibling include's scope; the same name from two different declarations is refused."""
        for kind, mine, theirs, src_mine, src_theirs in (
                ("parameter", self.parameters, other.parameters, self.param_from, other.param_from),
                ("definition", self.definitions, other.definitions, self.definition_from, other.definition_from)):
            for name, value in theirs.items():
                if name in mine and mine[name] is not value:
                    ctx.fail(f"{kind} {name!r} is declared both in {src_mine[name]!r} and in {src_theirs[name]!r}",
                             "include", line, fix="declare it in one calibration file only, or include one file from "
                                                  "the other and override it there")
                mine.setdefault(name, value)
                src_mine.setdefault(name, src_theirs[name])
        for name, sc in other.scenarios.items():
            if name not in self.scenarios:
                self.scenarios[name] = sc
                self.scenario_from[name] = other.scenario_from[name]
                continue
            values = dict(self.scenarios[name].values)
            for pname, value in sc.values.items():
                if pname in values and values[pname] != value:
                    ctx.fail(f"scenario {name!r} gives {pname} two values, in {self.scenario_from[name]!r} and in "
                             f"{other.scenario_from[name]!r}", "include", line,
                             fix="set it in one calibration file only")
                values[pname] = value
            self.scenarios[name] = Scenario(name, self.scenarios[name].description, FrozenDict(values))
        for override in other.overrides:
            if override not in self.overrides:
                self.overrides.append(override)
        for name in other.includes:
            if name not in self.includes:
                self.includes.append(name)
        self.files.update(other.files)


class _Loading:
    """State of one load: the bytes left of the budget and the calibration files already read."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.counted = [0]  # parts of expressions with definitions expanded (see _Ctx.count)
        self.done: dict[str, _Shared] = {}
        self.misses: list[str] = []  # files looked for beside an including file and not found


def _include_names(ctx: _Ctx, data: dict) -> list[tuple[str, int | None]]:
    raw = data.get("include")
    line = _line(data, "include")
    if raw is None:
        return []
    items = [(raw, line)] if isinstance(raw, str) else [(v, _line(raw, i)) for i, v in enumerate(raw)] \
        if isinstance(raw, list) else None
    if not items:
        ctx.fail("include must be a calibration name or a list of names", "include", line,
                 fix="write e.g. 'include: calibration-2025'")
    seen = set()
    for name, nline in items:
        if not isinstance(name, str) or not _MODEL_NAME_RE.match(name):
            ctx.fail(f"include {excerpt(repr(name))} is not a calibration name", "include", nline,
                     fix="give the bare name of a calibration file in the models folder or beside this file "
                         "(lower-case letters, digits, '-', '_'; no path, no suffix, no URL)")
        if name in seen:
            ctx.fail(f"{name!r} is included twice", "include", nline, fix="list it once")
        seen.add(name)
    return items


def _find_include(ctx: _Ctx, name: str, base: Path, line: int | None, loading: _Loading):
    """``<base>/<name>.yaml``, else the bundled models folder's; a Traversable."""
    beside = base / f"{name}.yaml"
    if beside.is_file():
        return beside
    loading.misses.append(str(beside))
    bundled = bundled_models_dir() / f"{name}.yaml"
    if bundled.is_file():
        return bundled
    ctx.fail(f"no calibration file {name + '.yaml'!r} beside this file or among the bundled models", "include", line,
             fix="check the name, or put the calibration file in the same folder as this file")


def _resolve_includes(ctx: _Ctx, data: dict, base: Path, chain: list[tuple[str, str]], loading: _Loading) -> _Shared:
    """The scope the includes of *data* give it (read, checked and merged)."""
    shared = _Shared()
    for name, line in _include_names(ctx, data):
        entry = _find_include(ctx, name, base, line, loading)
        with resources.as_file(entry) as real:
            key = str(Path(real).resolve())
            if key in (k for _n, k in chain):
                names = " -> ".join([n for n, _k in chain] + [name])
                ctx.fail(f"include cycle: {names}", "include", line, fix="remove one of these includes")
            if len(chain) > MAX_INCLUDE_DEPTH:
                names = " -> ".join([n for n, _k in chain] + [name])
                ctx.fail(f"includes are nested more than {MAX_INCLUDE_DEPTH} levels deep ({names})", "include",
                         line, fix="include the deeper calibration files directly")
            if key not in loading.done:
                loading.done[key] = _load_calibration(ctx, Path(real), name, line, [*chain, (name, key)], loading)
        shared.merge(ctx, loading.done[key], line)
    return shared


def _read_yaml(path: Path, limit: int, total: int | None = None) -> tuple[bytes, Any]:
    """The bytes and the parsed YAML of *path*, at most *limit* bytes (*total*: the budget it counts against)."""
    try:
        raw = read_model_bytes(path, limit)
    except ModelFileError as exc:
        if total is None or not exc.message.startswith("file is larger"):
            raise
        raise ModelFileError(f"a model and the files it includes may hold at most {total} bytes together",
                             path=str(path), fix="include smaller files") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ModelFileError(f"not UTF-8 text (byte {exc.start})", path=str(path),
                             fix="save the file as UTF-8") from None
    try:
        return raw, load_yaml_with_lines(text)
    except UnsafeValueError as exc:
        mark = exc.problem_mark
        raise ModelFileError(exc.problem, path=str(path), where=f"line {mark.line + 1}, column {mark.column + 1}",
                             fix=exc.fix) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else None
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ModelFileError(f"not valid YAML: {excerpt(problem, 200)}", path=str(path), where=where,
                             fix="fix the YAML syntax there (indentation, quoting, colons)") from None


def _load_calibration(parent: _Ctx, path: Path, name: str, line: int | None, chain: list,
                      loading: _Loading) -> _Shared:
    raw, data = _read_yaml(path, loading.budget, MAX_TOTAL_BYTES)
    loading.budget -= len(raw)
    ctx = _Ctx(str(path), loading.counted)
    if not isinstance(data, dict) or "calibration" not in data:
        is_model = isinstance(data, dict) and "name" in data
        what = "a model file (it has 'name:')" if is_model else "not a calibration file"
        parent.fail(f"include {name!r} ({path}) is {what}", "include", line,
                    fix="include only calibration files: their top level has 'calibration: NAME'")
    _check_keys(ctx, data, _CALIBRATION_KEYS, "")
    calname = _req(ctx, data, "calibration", "", str)
    if calname != name:
        ctx.fail(f"calibration {excerpt(repr(calname))} is in a file named {name + '.yaml'!r}", "calibration",
                 _line(data, "calibration"), fix=f"write 'calibration: {name}' (a calibration is named like its file)")
    for key in ("title", "description", "units"):
        if key in data and not isinstance(data[key], str):
            ctx.fail(f"{key} must be text", key, _line(data, key))
    _one_line(ctx, data.get("title"), "title", _line(data, "title"))
    shared = _resolve_includes(ctx, data, path.parent, chain, loading)
    scope = _own_scope(ctx, data, shared, name)
    st = os.stat(path)
    scope.files[name] = (str(path), hashlib.sha256(raw).hexdigest(), st.st_mtime_ns, st.st_size)
    scope.includes.append(name)
    return scope


def _parameter(ctx: _Ctx, pname: Any, spec: Any, where: str, line: int | None,
               base: Parameter | None = None) -> Parameter:
    """One parameter's spec; with *base* (a shared parameter) an override: the fields given replace base's."""
    if not isinstance(pname, str) or not _NAME_RE.match(pname):
        ctx.fail(f"parameter name {pname!r} must be an identifier (letters, digits, _)", where, line)
    if pname in ALLOWED_FUNCTIONS:
        ctx.fail(f"parameter name {pname!r} is a function name", where, line, fix="rename the parameter")
    if not isinstance(spec, dict):
        ctx.fail("expected a mapping with symbol, default, low, high, description, source", where, line)
    keys = {"symbol", "default", "low", "high", "description", "source", "unit"}
    _check_keys(ctx, spec, keys | ({"override"} if base is not None else set()), where)
    if base is not None:
        reason = _req(ctx, spec, "override", where, str)
        if not reason.strip():
            ctx.fail("the override's reason is empty", f"{where}.override", _line(spec, "override"),
                     fix="say why this model departs from the shared value")
        fields: dict[str, Any] = {k: _number(ctx, spec, k, where) for k in ("default", "low", "high") if k in spec}
        for key in ("symbol", "description", "source"):
            if key in spec:
                if not isinstance(spec[key], str) or not spec[key].strip():
                    ctx.fail(f"{key} must be non-empty text", f"{where}.{key}", _line(spec, key))
                fields[key] = spec[key].strip()
        default, low, high = (fields.get(k, getattr(base, k)) for k in ("default", "low", "high"))
    else:
        default, low, high = (_number(ctx, spec, k, where) for k in ("default", "low", "high"))
    if low > high:
        ctx.fail(f"low ({excerpt(low)}) is greater than high ({excerpt(high)})", f"{where}.low",
                 _line(spec, "low"), fix="swap them")
    if not low <= default <= high:
        ctx.fail(f"default {excerpt(default)} lies outside [low, high] = [{excerpt(low)}, {excerpt(high)}]",
                 f"{where}.default", _line(spec, "default"), fix="widen the range or change the default")
    if base is not None:
        return replace(base, **fields)
    source = _req(ctx, spec, "source", where, str,
                  fix="every parameter needs a source: a quote from the analysis or a citation")
    if not source.strip():
        ctx.fail("source is empty", f"{where}.source", _line(spec, "source"),
                 fix="quote the analysis or cite the literature")
    desc = _req(ctx, spec, "description", where, str)
    symbol = spec.get("symbol", pname)
    if not isinstance(symbol, str):
        ctx.fail("symbol must be text", f"{where}.symbol", _line(spec, "symbol"))
    unit = spec.get("unit", "")
    if not isinstance(unit, str):
        ctx.fail("unit must be text", f"{where}.unit", _line(spec, "unit"))
    _one_line(ctx, unit, f"{where}.unit", _line(spec, "unit"))
    return Parameter(pname, symbol, default, low, high, desc.strip(), source.strip(), unit.strip())


def _own_scope(ctx: _Ctx, data: dict, shared: _Shared, owner: str | None) -> _Shared:
    """*shared* with the file's own parameters, definitions and scenarios added (*owner*: the calibration's name,
    None for a model)."""
    scope = _Shared()
    scope.includes = list(shared.includes)
    scope.files = dict(shared.files)
    scope.overrides = list(shared.overrides)
    by = owner or data.get("name")
    # -------------------------------------------------------------- parameters
    raw_params = data.get("parameters", LineDict()) or LineDict()
    if not isinstance(raw_params, dict):
        ctx.fail("parameters must be a mapping name -> {symbol, default, low, high, description, source}",
                 "parameters", _line(data, "parameters"))
    scope.parameters, scope.param_from = dict(shared.parameters), dict(shared.param_from)
    for pname, spec in raw_params.items():
        where, line = f"parameters.{pname}", _line(raw_params, pname)
        base = shared.parameters.get(pname) if isinstance(pname, str) else None
        if base is not None and not (isinstance(spec, dict) and "override" in spec):
            cal = shared.param_from[pname]
            ctx.fail(f"parameter {pname!r} is already declared in calibration {cal!r} ({shared.files[cal][0]})",
                     where, line, fix="remove it here to use the shared one, or add 'override: \"reason\"' to its "
                                      "spec to replace the fields given here")
        if base is None and isinstance(spec, dict) and "override" in spec:
            ctx.fail(f"nothing to override: no included file declares parameter {pname!r}", f"{where}.override",
                     _line(spec, "override"), fix="remove 'override' (or include the calibration that declares it)")
        if isinstance(pname, str) and pname in shared.definitions:
            ctx.fail(f"parameter {pname!r} clashes with the definition {pname!r} of calibration "
                     f"{shared.definition_from[pname]!r}", where, line, fix="rename the parameter")
        scope.parameters[pname] = _parameter(ctx, pname, spec, where, line, base)
        if base is not None:
            scope.overrides.append({"parameter": pname, "reason": spec["override"].strip(), "by": by})
        else:
            scope.param_from[pname] = owner
    # ------------------------------------------------------------- definitions
    scope.definitions, scope.definition_from = dict(shared.definitions), dict(shared.definition_from)
    _definitions(ctx, data, scope, owner)
    # --------------------------------------------------------------- scenarios
    raw_sc = data.get("scenarios", LineDict()) or LineDict()
    if not isinstance(raw_sc, dict):
        ctx.fail("scenarios must be a mapping name -> {description, values}", "scenarios", _line(data, "scenarios"))
    scope.scenarios, scope.scenario_from = dict(shared.scenarios), dict(shared.scenario_from)
    for sname, spec in raw_sc.items():
        where, line = f"scenarios.{sname}", _line(raw_sc, sname)
        inherited = shared.scenarios.get(sname)
        if not isinstance(spec, dict):
            ctx.fail("expected a mapping with description and values", where, line)
        _check_keys(ctx, spec, {"description", "values", "source"} | ({"override"} if inherited else set()), where)
        if inherited is None:
            sdesc = _req(ctx, spec, "description", where, str).strip()
            values: dict[str, Fraction] = {}
        else:
            sdesc = spec.get("description", inherited.description)
            if not isinstance(sdesc, str):
                ctx.fail("description must be text", f"{where}.description", _line(spec, "description"))
            sdesc = sdesc.strip()
            values = dict(inherited.values)
        svals = spec.get("values", LineDict()) or LineDict()
        if not isinstance(svals, dict):
            ctx.fail("values must be a mapping parameter -> number", f"{where}.values", _line(spec, "values"))
        shared_set = []
        for pname, raw in svals.items():
            vwhere = f"{where}.values.{pname}"
            if pname not in scope.parameters:
                ctx.fail(f"unknown parameter {pname!r}", vwhere, _line(svals, pname),
                         fix="declare it under parameters or fix the name")
            try:
                if isinstance(raw, bool):
                    raise ValueError
                value = to_exact(raw)
            except (ValueError, TypeError) as exc:
                ctx.fail(str(exc) if isinstance(raw, str) else f"{excerpt(repr(raw))} is not a number", vwhere,
                         _line(svals, pname), fix="write e.g. 0.05 or 1/20 (quoted)")
            p = scope.parameters[pname]
            if not p.low <= value <= p.high:
                ctx.fail(f"{pname}={excerpt(value)} is outside [{excerpt(p.low)}, {excerpt(p.high)}]", vwhere,
                         _line(svals, pname), fix="change the value or the parameter's range")
            if inherited is not None and pname in shared.parameters:
                shared_set.append(pname)
            values[pname] = value
        if inherited is not None:
            if shared_set and "override" not in spec:
                ctx.fail(f"scenario {sname!r} of calibration {shared.scenario_from[sname]!r} would get a new value "
                         f"for the shared parameter {shared_set[0]!r}", f"{where}.values.{shared_set[0]}",
                         _line(svals, shared_set[0]), fix="add 'override: \"reason\"' to the scenario, or set only "
                                                          "this file's own parameters in a shared scenario")
            if "override" in spec:
                reason = spec["override"]
                if not isinstance(reason, str) or not reason.strip():
                    ctx.fail("the override's reason must be non-empty text", f"{where}.override",
                             _line(spec, "override"), fix="say why this model departs from the shared scenario")
                if not shared_set:
                    ctx.fail(f"nothing to override: scenario {sname!r} sets no shared parameter here",
                             f"{where}.override", _line(spec, "override"), fix="remove 'override'")
                scope.overrides.append({"scenario": sname, "reason": reason.strip(), "by": by})
        else:
            scope.scenario_from[sname] = owner
        scope.scenarios[sname] = Scenario(str(sname), sdesc, FrozenDict(values))
    # shared scenario values must lie in the (possibly overridden) ranges of this file
    for sname, sc in scope.scenarios.items():
        for pname, value in sc.values.items():
            p = scope.parameters[pname]
            if not p.low <= value <= p.high:
                ctx.fail(f"scenario {sname!r} sets {pname}={format_value(value)}, outside the range "
                         f"[{format_value(p.low)}, {format_value(p.high)}] this file gives it", f"parameters.{pname}",
                         _line(raw_params, pname), fix=f"widen the range, or set the value here: scenarios: {sname}: "
                                                       f"{{override: \"reason\", values: {{{pname}: ...}}}}")
    return scope


def _definitions(ctx: _Ctx, data: dict, scope: _Shared, owner: str | None) -> None:
    """Parse the file's ``define:`` mapping into *scope* (in order; each may use the ones before it)."""
    raw = data.get("define", LineDict()) or LineDict()
    if not isinstance(raw, dict):
        ctx.fail("define must be a mapping NAME: expression (or \"NAME(arg, ...)\": expression)", "define",
                 _line(data, "define"), fix="write e.g. define: {W_R: (p - c_R)/(1 - delta)}")
    heads: list[tuple[Any, str, tuple, int | None]] = []
    for key in raw:
        where, line = f"define.{key}", _line(raw, key)
        match = _DEFINE_RE.match(key) if isinstance(key, str) else None
        if match is None:
            ctx.fail(f"definition {excerpt(repr(key))} is neither a name nor NAME(arg, ...)", where, line,
                     fix="write NAME: expression or \"NAME(a, b)\": expression, names being identifiers")
        name, arglist = match.group(1), match.group(2)
        args: tuple = ()
        if arglist is not None:
            args = tuple(a.strip() for a in arglist.split(","))
            if args == ("",):
                ctx.fail(f"definition {name!r} has empty parentheses", where, line,
                         fix=f"write {name} without parentheses for a definition without arguments")
            for a in args:
                if not _NAME_RE.match(a):
                    ctx.fail(f"argument name {excerpt(repr(a))} of {name!r} is not an identifier", where, line,
                             fix="use letters, digits and _ for argument names, separated by commas")
            if len(set(args)) != len(args):
                ctx.fail(f"definition {name!r} names an argument twice", where, line, fix="give each argument "
                                                                                         "its own name")
        heads.append((key, name, args, line))
    later = {name: line for _key, name, _args, line in heads}
    for key, name, args, line in heads:
        where = f"define.{key}"
        later.pop(name, None)
        for what, ident in [("definition", name)] + [("argument", a) for a in args]:
            clash = ("a function name" if ident in ALLOWED_FUNCTIONS
                     else f"the parameter {ident!r}" if ident in scope.parameters
                     else f"the definition {ident!r}" + (
                         f" of calibration {scope.definition_from[ident]!r}" if scope.definition_from[ident] != owner
                         else " above") if ident in scope.definitions
                     else f"the definition {ident!r} it belongs to" if what == "argument" and ident == name
                     else None)
            if clash:
                ctx.fail(f"{what} name {ident!r} clashes with {clash}", where, line, fix=f"rename the {what}")
        value = raw[key]
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            ctx.fail(f"definition {name!r} must be an expression", where, line,
                     fix="write an expression such as (p - c_R)/(1 - delta)")
        try:
            definition = parse_definition(name, args, value, scope.parameters, scope.definitions)
        except ExpressionError as exc:
            if exc.unknown == name:
                ctx.fail(f"definition {name!r} uses itself: definitions cannot be recursive", where, line,
                         fix="write it out without referring to itself")
            if exc.unknown in later:
                ctx.fail(f"definition {name!r} uses {exc.unknown!r} before it is defined (line {later[exc.unknown]})",
                         where, line, fix=f"move {exc.unknown!r} above {name!r}: a definition may use only the ones "
                                          "before it")
            ctx.fail(f"bad expression {excerpt(repr(value))}: {exc}", where, line,
                     fix=exc.fix or "use numbers, parameter names, earlier definitions, + - * / ** and "
                                    "min/max/exp/log/sqrt/abs")
        ctx.count(definition.body, where, line)
        scope.definitions[name] = definition
        scope.definition_from[name] = owner


def parse_model(data: Any, path: str = "<model>", sha256: str = "", *, _loading: _Loading | None = None) -> Model:
    """Build a :class:`Model` from parsed YAML (see :func:`load_model_file`).

    Included calibration files (``include:``) are looked up beside *path*, then among the bundled models.
    """
    ctx = _Ctx(path)
    if not isinstance(data, dict):
        ctx.fail("a model file must be a mapping with keys name, title, players, parameters, forms", "top level", 1)
    if "calibration" in data and "name" not in data:
        ctx.fail("this is a calibration file, not a model", "calibration", _line(data, "calibration"),
                 fix="include it from a model file ('include: NAME'); load, solve and show models")
    _check_keys(ctx, data, _MODEL_KEYS, "")
    name = _req(ctx, data, "name", "", str)
    if not _MODEL_NAME_RE.match(name):
        ctx.fail(f"model name {name!r} must be lower-case letters, digits, '-' or '_'", "name", _line(data, "name"))
    title = _req(ctx, data, "title", "", str)
    _one_line(ctx, title, "title", _line(data, "title"))
    description = data.get("description", "") or ""
    if not isinstance(description, str):
        ctx.fail("description must be text", "description", _line(data, "description"))
    if "question" in data and (not isinstance(data["question"], str) or not data["question"].strip()):
        ctx.fail("question must be text: the question the model answers, in one sentence", "question",
                 _line(data, "question"))
    _one_line(ctx, data.get("question"), "question", _line(data, "question"))

    players = _req(ctx, data, "players", "", list)
    if not players or not all(isinstance(p, str) and p for p in players):
        ctx.fail("players must be a non-empty list of names", "players", _line(data, "players"))
    if len(set(players)) != len(players):
        ctx.fail("player names must be distinct", "players", _line(data, "players"))
    for i, player in enumerate(players):
        _one_line(ctx, player, f"players[{i}]", _line(players, i))
    players = tuple(players)

    # ------------------------------------ includes, parameters, definitions, scenarios
    here = Path(path)
    loading = _loading or _Loading(MAX_TOTAL_BYTES)
    ctx.counted = loading.counted
    shared = _resolve_includes(ctx, data, here.parent, [(here.stem, str(here.resolve()))], loading)
    scope = _own_scope(ctx, data, shared, None)
    pnames = list(scope.parameters)
    ctx.definitions = scope.definitions

    # ------------------------------------------------------------------- forms
    raw_forms = _req(ctx, data, "forms", "", dict)
    if not raw_forms:
        ctx.fail("a model needs at least one form", "forms", _line(data, "forms"), fix="add normal: or sequential:")
    forms: dict[str, Any] = {}
    for fname, spec in raw_forms.items():
        where = f"forms.{fname}"
        if fname == "normal":
            forms[fname] = _parse_normal(ctx, spec, players, pnames, title, where)
        elif fname == "sequential":
            forms[fname] = _parse_tree(ctx, spec, players, pnames, title, where)
        else:
            ctx.fail(f"unknown form {fname!r}", where, _line(raw_forms, fname), fix="use 'normal' or 'sequential'")

    # ------------------------------------- shared parameters the model does not use are dropped
    used = {n for game in forms.values() for n in game.parameters}
    for dname, definition in scope.definitions.items():
        if scope.definition_from[dname] is None:
            used |= {str(s) for s in definition.body.free_symbols if not isinstance(s, sympy.Dummy)}
    parameters = {n: p for n, p in scope.parameters.items() if scope.param_from[n] is None or n in used}
    scenarios = {n: Scenario(sc.name, sc.description, FrozenDict({k: v for k, v in sc.values.items()
                                                                   if k in parameters}))
                 for n, sc in scope.scenarios.items()}
    _check_forms_at_points(ctx, data, forms, parameters, scenarios)
    meta = {k: data[k] for k in ("references", "findings", "notes", "form_differences") if k in data}
    if "question" in data:
        meta["question"] = " ".join(data["question"].split())
    if "claims" in data:
        meta["claims"] = _parse_claims(ctx, data)
    if "tactical" in data:
        meta["tactical"] = _parse_tactical(ctx, data, parameters, scope.definitions)
    meta["includes"] = tuple(scope.includes)
    meta["shared_from"] = FrozenDict({n: scope.param_from[n] for n in parameters})
    meta["overrides"] = tuple(FrozenDict(o) for o in scope.overrides
                              if "scenario" in o or o["parameter"] in parameters)
    meta["definitions"] = tuple(FrozenDict(name=d.name, args=tuple(d.args), expression=d.expression,
                                           shared_from=scope.definition_from[n])
                                for n, d in scope.definitions.items())
    meta["included_files"] = tuple((n, *scope.files[n]) for n in scope.includes)
    meta["include_misses"] = tuple(loading.misses)
    if scope.includes and sha256:
        combined = hashlib.sha256(sha256.encode())
        for n in scope.includes:
            combined.update(f"\n{n} {scope.files[n][1]}".encode())
        sha256 = combined.hexdigest()
    return Model(name, title.strip(), description.strip(), players, FrozenDict(parameters),
                 FrozenDict(scenarios), FrozenDict(forms), path=str(path), sha256=sha256,
                 meta=FrozenDict(meta))


def _parse_claims(ctx: _Ctx, data: dict) -> FrozenDict:
    """The top-level ``claims:`` mapping, claim id -> how this model expresses the claim (one paragraph of text).

    Only the ids' form is checked here (a model loads without the claims table); ``gtu claims`` checks that each
    id is in the bundled ``claims.yaml``.
    """
    raw = data["claims"]
    if not isinstance(raw, dict) or not raw:
        ctx.fail("claims must be a mapping claim id -> how the model expresses it", "claims", _line(data, "claims"),
                 fix="write e.g. 'claims: {S9: \"every settlement may relapse, with hazard rho\"}' or drop the key")
    out = {}
    for cid, how in raw.items():
        where = f"claims.{cid}"
        if not isinstance(cid, str) or not CLAIM_ID_RE.match(cid):
            ctx.fail(f"{excerpt(repr(cid))} is not a claim id", where, _line(raw, cid),
                     fix="use the ids of the claims table: S1 ... S12 (Stanovaya 2025), W1 ... W5 (Wallace 2025); "
                         "see 'gtu claims'")
        if not isinstance(how, str) or not how.strip():
            ctx.fail("say how the model expresses the claim (a non-empty text)", where, _line(raw, cid),
                     fix="e.g. 'the relapse hazard rho of every settlement'")
        out[cid] = " ".join(how.split())
    return FrozenDict(out)


def _parse_tactical(ctx: _Ctx, data: dict, parameters: dict, definitions: dict) -> FrozenDict:
    """The top-level ``tactical:`` mapping, player -> how to split that player's value into tactical and strategic
    parts (:func:`gametheory_ukraine.analysis.tactical.tactical_strategic`): ``terms`` (the parameter that sets
    the player's own terms), ``sign`` (+1 if a larger value of it is better terms for the player, -1 if worse),
    ``strategic`` (the parameters weighting its strategic payoff component) and ``reference`` (a definition
    without arguments: its pre-war value)."""
    raw = data["tactical"]
    players = data.get("players") or []
    fix = ("write e.g. 'tactical: {Russia: {terms: x_D, sign: 1, strategic: [f_R], reference: V0_R}}' "
           "with a declared parameter and a definition without arguments")
    if not isinstance(raw, dict) or not raw:
        ctx.fail("tactical must be a mapping player -> {terms, sign, strategic, reference}", "tactical",
                 _line(data, "tactical"), fix=fix)
    out = {}
    for player, spec in raw.items():
        where = f"tactical.{player}"
        if player not in players:
            ctx.fail(f"{excerpt(repr(player))} is not a player", where, _line(raw, player),
                     fix=f"use one of the players: {', '.join(map(str, players))}")
        if not isinstance(spec, dict) or set(spec) != {"terms", "sign", "strategic", "reference"}:
            ctx.fail("give exactly the keys terms, sign, strategic and reference", where, _line(raw, player), fix=fix)
        strategic = spec["strategic"]
        if spec["terms"] not in parameters or spec["sign"] not in (1, -1) or not isinstance(strategic, list) or \
                any(s not in parameters for s in strategic) or spec["reference"] not in definitions or \
                definitions[spec["reference"]].args:
            ctx.fail("terms and strategic must be declared parameters, sign 1 or -1, reference a definition "
                     "without arguments", where, _line(raw, player), fix=fix)
        out[player] = FrozenDict(terms=spec["terms"], sign=spec["sign"], strategic=tuple(strategic),
                                 reference=spec["reference"],
                                 reference_expression=definitions[spec["reference"]].body)
    return FrozenDict(out)


def _check_forms_at_points(ctx: _Ctx, data: dict, forms: dict, parameters: dict, scenarios: dict) -> None:
    """Every form must give finite payoffs and valid chance probabilities at the defaults and in
    every scenario; chance probabilities must sum to 1 identically in the parameters."""
    for fname, game in forms.items():
        if isinstance(game, GameTree):
            for node in game.nodes():
                if isinstance(node, Chance):
                    total = sympy.simplify(sum(node.probabilities) - 1)
                    if total != 0:
                        ctx.fail(f"chance node {node.name!r}: probabilities sum to {sum(node.probabilities)}, "
                                 "not 1", f"forms.{fname}.nodes.{node.name}", _line(data["forms"][fname]["nodes"],
                                                                                    node.name),
                                 fix="make the branch probabilities add up to 1 (e.g. q and 1 - q)")
        points = [("defaults", {n: p.default for n, p in parameters.items()})]
        for sname, sc in scenarios.items():
            points.append((f"scenario {sname!r}", {**points[0][1], **sc.values}))
        for label, values in points:
            try:
                game.instantiate(values, exact=False)
            except ParameterError as exc:
                ctx.fail(f"form {fname!r} is invalid at the {label}: {exc.message}", f"forms.{fname}",
                         _line(data["forms"], fname), fix=exc.fix or "check the expressions and the parameter ranges")


def _player_values(ctx: _Ctx, spec: Any, players: tuple, pnames: list, where: str, line: int | None) -> tuple:
    if isinstance(spec, dict):
        for key in spec:
            if key not in players:
                ctx.fail(f"unknown player {key!r}", f"{where}.{key}", _line(spec, key),
                         fix="players are: " + ", ".join(players))
        out = []
        for p in players:
            if p not in spec:
                ctx.fail(f"missing payoff for {p!r}", where, line, fix=f"add '{p}: <expression>'")
            out.append(_expr(ctx, spec[p], pnames, f"{where}.{p}", _line(spec, p)))
        return tuple(out)
    if isinstance(spec, list):
        if len(spec) != len(players):
            ctx.fail(f"{len(spec)} payoffs for {len(players)} players", where, line,
                     fix="give one payoff per player, in the order of 'players'")
        return tuple(_expr(ctx, v, pnames, f"{where}[{i}]", _line(spec, i)) for i, v in enumerate(spec))
    ctx.fail("payoffs must be a mapping player -> expression (or a list in player order)", where, line)


def _parse_normal(ctx: _Ctx, spec: Any, players: tuple, pnames: list, title: str, where: str) -> NormalFormGame:
    if not isinstance(spec, dict):
        ctx.fail("expected a mapping with actions and payoffs", where, None)
    _check_keys(ctx, spec, {"actions", "payoffs", "description"}, where)
    actions_spec = _req(ctx, spec, "actions", where, dict)
    actions = []
    for p in players:
        if p not in actions_spec:
            ctx.fail(f"no actions for player {p!r}", f"{where}.actions", _line(spec, "actions"),
                     fix=f"add '{p}: [action, ...]'")
        acts = actions_spec[p]
        if not isinstance(acts, list) or not acts or not all(isinstance(a, str) for a in acts):
            ctx.fail("actions must be a non-empty list of names", f"{where}.actions.{p}", _line(actions_spec, p))
        if len(set(acts)) != len(acts):
            ctx.fail("action names must be distinct", f"{where}.actions.{p}", _line(actions_spec, p))
        for k, act in enumerate(acts):
            _one_line(ctx, act, f"{where}.actions.{p}[{k}]", _line(acts, k))
        actions.append(tuple(acts))
    for key in actions_spec:
        if key not in players:
            ctx.fail(f"unknown player {key!r}", f"{where}.actions.{key}", _line(actions_spec, key))
    shape = tuple(len(a) for a in actions)
    entries = _req(ctx, spec, "payoffs", where, list)
    pay = [np.empty(shape, dtype=object) for _ in players]
    outcomes = np.empty(shape, dtype=object)
    filled = np.zeros(shape, dtype=bool)
    for k, entry in enumerate(entries):
        ewhere = f"{where}.payoffs[{k}]"
        eline = _line(entries, k)
        if not isinstance(entry, dict):
            ctx.fail("each entry needs 'play' (player -> action), 'payoffs' and optionally 'outcome'", ewhere, eline)
        _check_keys(ctx, entry, {"play", "payoffs", "outcome"}, ewhere)
        play = _req(ctx, entry, "play", ewhere, dict)
        idx = []
        for i, p in enumerate(players):
            if p not in play:
                ctx.fail(f"'play' gives no action for {p!r}", f"{ewhere}.play", _line(entry, "play"))
            if play[p] not in actions[i]:
                ctx.fail(f"{play[p]!r} is not an action of {p!r}", f"{ewhere}.play.{p}", _line(play, p),
                         fix="actions of " + p + ": " + ", ".join(actions[i]))
            idx.append(actions[i].index(play[p]))
        for key in play:
            if key not in players:
                ctx.fail(f"unknown player {key!r}", f"{ewhere}.play.{key}", _line(play, key))
        idx_t = tuple(idx)
        if filled[idx_t]:
            ctx.fail("this profile is given twice", ewhere, eline, fix="remove the duplicate entry")
        filled[idx_t] = True
        vals = _player_values(ctx, _req(ctx, entry, "payoffs", ewhere), players, pnames, f"{ewhere}.payoffs",
                              _line(entry, "payoffs"))
        for i, v in enumerate(vals):
            pay[i][idx_t] = v
        outcome = entry.get("outcome")
        if outcome is not None and not isinstance(outcome, str):
            ctx.fail("outcome must be text", f"{ewhere}.outcome", _line(entry, "outcome"))
        _one_line(ctx, outcome, f"{ewhere}.outcome", _line(entry, "outcome"))
        outcomes[idx_t] = outcome
    if not filled.all():
        missing = [" / ".join(actions[i][a] for i, a in enumerate(prof))
                   for prof in itertools.product(*(range(n) for n in shape)) if not filled[prof]]
        ctx.fail(f"missing payoff for profile(s): {'; '.join(missing[:5])}" + (" ..." if len(missing) > 5 else ""),
                 f"{where}.payoffs", _line(spec, "payoffs"), fix="add one entry per profile of actions")
    if all(o is None for o in outcomes.flat):
        outcomes = None
    return NormalFormGame(players, tuple(actions), tuple(pay), outcomes=outcomes, title=title)


def _parse_tree(ctx: _Ctx, spec: Any, players: tuple, pnames: list, title: str, where: str) -> GameTree:
    if not isinstance(spec, dict):
        ctx.fail("expected a mapping with root and nodes", where, None)
    _check_keys(ctx, spec, {"root", "nodes", "description"}, where)
    root = _req(ctx, spec, "root", where, str)
    nodes = _req(ctx, spec, "nodes", where, dict)
    if root not in nodes:
        ctx.fail(f"root node {root!r} is not among the nodes", f"{where}.root", _line(spec, "root"))
    parent: dict[str, str] = {}

    for nid, nspec in nodes.items():
        nwhere = f"{where}.nodes.{nid}"
        nline = _line(nodes, nid)
        if not isinstance(nspec, dict):
            ctx.fail("a node is a mapping: {player, actions} or {chance} or {payoffs}", nwhere, nline)
        kinds = [k for k in ("player", "chance", "payoffs") if k in nspec]
        if len(kinds) != 1:
            ctx.fail("a node needs exactly one of 'player' (decision), 'chance' or 'payoffs' (terminal)",
                     nwhere, nline)
        targets = []
        if "player" in nspec:
            _check_keys(ctx, nspec, {"player", "actions", "infoset", "description"}, nwhere)
            if nspec["player"] not in players:
                ctx.fail(f"unknown player {nspec['player']!r}", f"{nwhere}.player", _line(nspec, "player"),
                         fix="players are: " + ", ".join(players))
            acts = _req(ctx, nspec, "actions", nwhere, dict, fix="write actions: {action name: next node id}")
            if not acts:
                ctx.fail("a decision node needs at least one action", f"{nwhere}.actions", _line(nspec, "actions"))
            targets = [(a, t, _line(acts, a), f"{nwhere}.actions.{a}") for a, t in acts.items()]
            for a in acts:
                _one_line(ctx, a, f"{nwhere}.actions.{a}", _line(acts, a))
        elif "chance" in nspec:
            _check_keys(ctx, nspec, {"chance", "description"}, nwhere)
            branches = _req(ctx, nspec, "chance", nwhere, dict,
                            fix="write chance: {label: {probability: expr, next: node id}}")
            if not branches:
                ctx.fail("a chance node needs at least one branch", f"{nwhere}.chance", _line(nspec, "chance"))
            for label, b in branches.items():
                bwhere = f"{nwhere}.chance.{label}"
                _one_line(ctx, label, bwhere, _line(branches, label))
                if not isinstance(b, dict):
                    ctx.fail("a branch is {probability: expr, next: node id}", bwhere, _line(branches, label))
                _check_keys(ctx, b, {"probability", "next"}, bwhere)
                targets.append((label, _req(ctx, b, "next", bwhere), _line(b, "next"), f"{bwhere}.next"))
                _req(ctx, b, "probability", bwhere)
        else:
            _check_keys(ctx, nspec, {"payoffs", "outcome", "description"}, nwhere)
        for _label, target, tline, twhere in targets:
            if not isinstance(target, str) or target not in nodes:
                ctx.fail(f"next node {target!r} does not exist", twhere, tline, fix="use the id of a node under nodes")
            if target == root:
                ctx.fail(f"the root {root!r} cannot be a child: this is not a tree", twhere, tline)
            if target in parent:
                ctx.fail(f"node {target!r} has two parents ({parent[target]!r} and {nid!r}): this is not a tree",
                         twhere, tline, fix="give each branch its own node")
            parent[target] = nid

    unreached = [nid for nid in nodes if nid != root and nid not in parent]
    if unreached:
        ctx.fail(f"node(s) never reached from the root: {', '.join(map(str, unreached))}",
                 f"{where}.nodes", _line(spec, "nodes"), fix="connect them or delete them")

    # build bottom-up without recursion limits; detect cycles (a node that is its own ancestor)
    built: dict[str, Any] = {}
    stack: list[tuple[str, bool]] = [(root, False)]
    on_path: set[str] = set()
    while stack:
        if len(on_path) > MAX_TREE_DEPTH:
            ctx.fail(f"the tree is deeper than {MAX_TREE_DEPTH} moves", f"{where}.nodes", _line(spec, "nodes"),
                     fix="a game this deep cannot be solved here: shorten the longest path")
        nid, expanded = stack.pop()
        nspec = nodes[nid]
        nwhere = f"{where}.nodes.{nid}"
        children = (list(nspec["actions"].values()) if "player" in nspec
                    else [b["next"] for b in nspec["chance"].values()] if "chance" in nspec else [])
        if not expanded:
            if nid in on_path:
                ctx.fail(f"node {nid!r} lies on a cycle: this is not a tree", nwhere, _line(nodes, nid))
            on_path.add(nid)
            stack.append((nid, True))
            for c in reversed(children):
                stack.append((c, False))
            continue
        on_path.discard(nid)
        kids = tuple(built[c] for c in children)
        if "player" in nspec:
            infoset = nspec.get("infoset", nid)
            if not isinstance(infoset, str):
                ctx.fail("infoset must be a label", f"{nwhere}.infoset", _line(nspec, "infoset"))
            built[nid] = Decision(nid, players.index(nspec["player"]), tuple(map(str, nspec["actions"])),
                                  kids, infoset)
        elif "chance" in nspec:
            probs = tuple(_expr(ctx, b["probability"], pnames, f"{nwhere}.chance.{lab}.probability",
                                _line(b, "probability")) for lab, b in nspec["chance"].items())
            built[nid] = Chance(nid, tuple(map(str, nspec["chance"])), probs, kids)
        else:
            pays = _player_values(ctx, nspec["payoffs"], players, pnames, f"{nwhere}.payoffs",
                                  _line(nspec, "payoffs"))
            outcome = nspec.get("outcome")
            if outcome is not None and not isinstance(outcome, str):
                ctx.fail("outcome must be text", f"{nwhere}.outcome", _line(nspec, "outcome"))
            _one_line(ctx, outcome, f"{nwhere}.outcome", _line(nspec, "outcome"))
            built[nid] = Terminal(nid, pays, outcome)
    unbuilt = [nid for nid in nodes if nid not in built]
    if unbuilt:  # every node has a parent, yet some are not below the root: they form cycles
        ctx.fail(f"node(s) never reached from the root (they form a cycle): {excerpt(', '.join(map(str, unbuilt)))}",
                 f"{where}.nodes", _line(spec, "nodes"), fix="connect them to the tree or delete them")
    tree = GameTree(players, built[root], title)
    try:
        tree.validate()
    except ValueError as exc:
        ctx.fail(str(exc), f"{where}.nodes", _line(spec, "nodes"))
    return tree


def load_model_file(path: str | os.PathLike) -> Model:
    """Load and validate one model file, with the calibration files it includes.

    Raises
    ------
    ModelFileError
        If the file (or a file it includes) cannot be read, is not YAML, or does not describe a valid model.
    """
    p = Path(path)
    raw, data = _read_yaml(p, MAX_MODEL_BYTES)
    return parse_model(data, str(p), hashlib.sha256(raw).hexdigest(), _loading=_Loading(MAX_TOTAL_BYTES - len(raw)))


def is_calibration_file(path: str | os.PathLike) -> bool:
    """Whether the YAML file *path* is a calibration file (top-level ``calibration:`` and no ``name:``), read
    without parsing it (at most :data:`MAX_MODEL_BYTES` bytes; unreadable files are not calibration files)."""
    try:
        text = read_model_bytes(path, MAX_MODEL_BYTES).decode("utf-8", "replace")
    except ModelFileError:
        return False
    return bool(_CALIBRATION_LINE.search(text)) and not _NAME_LINE.search(text)
