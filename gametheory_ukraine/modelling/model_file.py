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
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import sympy
import yaml

from ..core.errors import ModelFileError, ParameterError, excerpt
from ..core.expressions import ExpressionError, parse_expression
from ..core.frozen import FrozenDict
from ..core.numbers import to_exact
from ..core.reading import read_model_bytes
from ..games.normal_form import NormalFormGame
from ..games.tree import Chance, Decision, GameTree, Terminal
from ..io.yaml_lines import MAX_MODEL_BYTES, LineDict, LineList, UnsafeValueError, load_yaml_with_lines
from .model import Model, Parameter, Scenario

__all__ = ["load_model_file", "parse_model", "FORM_NAMES", "MAX_TREE_DEPTH", "CLAIM_ID_RE"]

#: Deepest game tree a model file may describe (moves on the longest path from the root); the
#: solvers and drawings walk trees recursively.
MAX_TREE_DEPTH = 200

FORM_NAMES = ("normal", "sequential")
_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_MODEL_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
#: A claim's id: S (Stanovaya 2025) or W (Wallace 2025) and its number, as in the bundled ``claims.yaml``
CLAIM_ID_RE = re.compile(r"^[SW][0-9]+$")


class _Ctx:
    """Where we are in the file, for error messages."""

    def __init__(self, path: str) -> None:
        self.path = path

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
        return parse_expression(value, params)
    except ExpressionError as exc:
        ctx.fail(f"bad expression {excerpt(repr(value))}: {exc}", where, line,
                 fix=exc.fix or "use numbers, declared parameter names, + - * / ** and min/max/exp/log/sqrt/abs")


def parse_model(data: Any, path: str = "<model>", sha256: str = "") -> Model:
    """Build a :class:`Model` from parsed YAML (see :func:`load_model_file`)."""
    ctx = _Ctx(path)
    if not isinstance(data, dict):
        ctx.fail("a model file must be a mapping with keys name, title, players, parameters, forms", "top level", 1)
    _check_keys(ctx, data, {"name", "title", "description", "players", "parameters", "scenarios", "forms",
                            "references", "findings", "notes", "form_differences", "claims"}, "")
    name = _req(ctx, data, "name", "", str)
    if not _MODEL_NAME_RE.match(name):
        ctx.fail(f"model name {name!r} must be lower-case letters, digits, '-' or '_'", "name", _line(data, "name"))
    title = _req(ctx, data, "title", "", str)
    _one_line(ctx, title, "title", _line(data, "title"))
    description = data.get("description", "") or ""
    if not isinstance(description, str):
        ctx.fail("description must be text", "description", _line(data, "description"))

    players = _req(ctx, data, "players", "", list)
    if not players or not all(isinstance(p, str) and p for p in players):
        ctx.fail("players must be a non-empty list of names", "players", _line(data, "players"))
    if len(set(players)) != len(players):
        ctx.fail("player names must be distinct", "players", _line(data, "players"))
    for i, player in enumerate(players):
        _one_line(ctx, player, f"players[{i}]", _line(players, i))
    players = tuple(players)

    # -------------------------------------------------------------- parameters
    raw_params = data.get("parameters", LineDict()) or LineDict()
    if not isinstance(raw_params, dict):
        ctx.fail("parameters must be a mapping name -> {symbol, default, low, high, description, source}",
                 "parameters", _line(data, "parameters"))
    parameters: dict[str, Parameter] = {}
    for pname, spec in raw_params.items():
        where = f"parameters.{pname}"
        line = _line(raw_params, pname)
        if not isinstance(pname, str) or not _NAME_RE.match(pname):
            ctx.fail(f"parameter name {pname!r} must be an identifier (letters, digits, _)", where, line)
        if pname in ("min", "max", "exp", "log", "sqrt", "abs"):
            ctx.fail(f"parameter name {pname!r} is a function name", where, line, fix="rename the parameter")
        if not isinstance(spec, dict):
            ctx.fail("expected a mapping with symbol, default, low, high, description, source", where, line)
        _check_keys(ctx, spec, {"symbol", "default", "low", "high", "description", "source", "unit"}, where)
        default, low, high = (_number(ctx, spec, k, where) for k in ("default", "low", "high"))
        if low > high:
            ctx.fail(f"low ({excerpt(low)}) is greater than high ({excerpt(high)})", f"{where}.low", _line(spec, "low"),
                     fix="swap them")
        if not low <= default <= high:
            ctx.fail(f"default {excerpt(default)} lies outside [low, high] = [{excerpt(low)}, {excerpt(high)}]",
                     f"{where}.default", _line(spec, "default"), fix="widen the range or change the default")
        source = _req(ctx, spec, "source", where, str,
                      fix="every parameter needs a source: a quote from the analysis or a citation")
        if not source.strip():
            ctx.fail("source is empty", f"{where}.source", _line(spec, "source"),
                     fix="quote the analysis or cite the literature")
        desc = _req(ctx, spec, "description", where, str)
        symbol = spec.get("symbol", pname)
        if not isinstance(symbol, str):
            ctx.fail("symbol must be text", f"{where}.symbol", _line(spec, "symbol"))
        parameters[pname] = Parameter(pname, symbol, default, low, high, desc.strip(), source.strip())
    pnames = list(parameters)

    # --------------------------------------------------------------- scenarios
    raw_sc = data.get("scenarios", LineDict()) or LineDict()
    if not isinstance(raw_sc, dict):
        ctx.fail("scenarios must be a mapping name -> {description, values}", "scenarios", _line(data, "scenarios"))
    scenarios: dict[str, Scenario] = {}
    for sname, spec in raw_sc.items():
        where = f"scenarios.{sname}"
        line = _line(raw_sc, sname)
        if not isinstance(spec, dict):
            ctx.fail("expected a mapping with description and values", where, line)
        _check_keys(ctx, spec, {"description", "values", "source"}, where)
        sdesc = _req(ctx, spec, "description", where, str)
        svals = spec.get("values", LineDict()) or LineDict()
        if not isinstance(svals, dict):
            ctx.fail("values must be a mapping parameter -> number", f"{where}.values", _line(spec, "values"))
        values = {}
        for pname, raw in svals.items():
            vwhere = f"{where}.values.{pname}"
            if pname not in parameters:
                ctx.fail(f"unknown parameter {pname!r}", vwhere, _line(svals, pname),
                         fix="declare it under parameters or fix the name")
            try:
                if isinstance(raw, bool):
                    raise ValueError
                value = to_exact(raw)
            except (ValueError, TypeError) as exc:
                ctx.fail(str(exc) if isinstance(raw, str) else f"{excerpt(repr(raw))} is not a number", vwhere,
                         _line(svals, pname), fix="write e.g. 0.05 or 1/20 (quoted)")
            p = parameters[pname]
            if not p.low <= value <= p.high:
                ctx.fail(f"{pname}={excerpt(value)} is outside [{excerpt(p.low)}, {excerpt(p.high)}]", vwhere,
                         _line(svals, pname), fix="change the value or the parameter's range")
            values[pname] = value
        scenarios[sname] = Scenario(str(sname), sdesc.strip(), FrozenDict(values))

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
    _check_forms_at_points(ctx, data, forms, parameters, scenarios)
    meta = {k: data[k] for k in ("references", "findings", "notes", "form_differences") if k in data}
    if "claims" in data:
        meta["claims"] = _parse_claims(ctx, data)
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
    """Load and validate one model file.

    Raises
    ------
    ModelFileError
        If the file cannot be read, is not YAML, or does not describe a valid model.
    """
    p = Path(path)
    raw = read_model_bytes(p, MAX_MODEL_BYTES)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ModelFileError(f"not UTF-8 text (byte {exc.start})", path=str(p), fix="save the file as UTF-8") from None
    try:
        data = load_yaml_with_lines(text)
    except UnsafeValueError as exc:
        mark = exc.problem_mark
        raise ModelFileError(exc.problem, path=str(p), where=f"line {mark.line + 1}, column {mark.column + 1}",
                             fix=exc.fix) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else None
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ModelFileError(f"not valid YAML: {excerpt(problem, 200)}", path=str(p), where=where,
                             fix="fix the YAML syntax there (indentation, quoting, colons)") from None
    return parse_model(data, str(p), hashlib.sha256(raw).hexdigest())


