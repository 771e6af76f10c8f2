"""Gambit's game files: ``.nfg`` (strategic form) and ``.efg`` (extensive form), written and read exactly.

`Gambit <https://www.gambit-project.org>`_ is the reference toolkit of the field; its two text formats
are how games move between tools. This module

* writes a numeric :class:`~gametheory_ukraine.games.normal_form.NormalFormGame` as ``.nfg`` (the
  outcome-based variant, which keeps strategy and outcome labels) and a
  :class:`~gametheory_ukraine.games.tree.GameTree` as ``.efg`` (chance nodes, information sets,
  outcomes shared by equal terminals), exact numbers as Gambit rationals (``2/3``), floats as the
  decimal they print as (``0.05``), labels quoted with ``"`` escaped; by default labels are made valid
  for Gambit 16.7 (printable ASCII, single spaces; each change listed in the file's comment), with
  ``labels="exact"`` they are written verbatim (see :func:`write_gambit`);
* reads both formats (both ``.nfg`` variants: payoff list and outcome list) back into our game
  classes, exactly: Gambit's decimals (``0.05``) become :class:`~fractions.Fraction` ``1/20``;
* builds a :class:`~gametheory_ukraine.modelling.model.Model` from a file (:func:`load_gambit_model`), which
  :func:`gametheory_ukraine.load_model` uses for paths ending in ``.nfg`` or ``.efg``;
* converts to and from :class:`pygambit.Game` (:func:`to_pygambit`, :func:`from_pygambit`), the only
  functions here that need the optional ``gambit`` extra.

Why a reader of our own rather than pygambit's
----------------------------------------------
pygambit 16.7's reader is the reference, and the tests check our reader against it on every game in
its catalog and on every file we write. We do not use it to load files because

* it refuses any file with a label that is not printable ASCII or has leading, trailing or double
  spaces (``"Kyiv’s offer"``, ``"—"``), and it decodes titles and comments as ASCII (a UTF-8 title
  loads, but reading it raises :class:`UnicodeDecodeError`);
* it renames labels: an unlabelled outcome or player becomes ``"_1"`` (so "no label" cannot be
  told from a label) and repeated outcome or action labels become ``"war continues_1"``, and it reads
  ``\\\\`` (an escaped backslash, as its own writer writes it) as three backslashes;
* it refuses files that repeat a node label, which the format allows and our reader accepts;
* it allocates the table an ``.nfg`` header declares before reading any payoff: a 50-byte file
  declaring 100000 x 100000 strategies exhausts the memory (we check every declared count against a
  budget while it is read, before anything of that size is built: see "Budgets" below);
* its errors name the line but not the file or the fix; ours are
  :class:`~gametheory_ukraine.core.errors.ModelFileError` like every other bad input;
* ``gtu solve game.efg`` should work on a core install, without the extra.

The formats are small (a tokenizer and two recursive-descent parsers, below). Reading never
executes anything from the file. Where Gambit 16.7 is strict (an outcome or information set
restated differently, an outcome used before its payoffs are given, probabilities not summing
exactly to one) we are strict in the same way; where it silently ignores text after the last
node of an ``.efg``, we refuse it, since it usually means a miscounted action list.

Budgets. A file can declare far more than it holds, or more than can be solved: reading checks every
count against a budget as soon as it is read, before anything of that size is built, and refuses past
it with one line naming the file, the place, the estimate, the budget and how to raise it:

* payoff entries, :data:`MAX_ENTRIES` by default (strategy profiles x players of an ``.nfg``, from its
  header; tree nodes x players of an ``.efg``, from the action lists read so far); raise it with
  ``max_entries=`` of :func:`load_gambit_model`, :func:`read_gambit` or :func:`parse_gambit`;
* at most :data:`MAX_PLAYERS` players, :data:`MAX_DEPTH` moves on a path, :data:`MAX_GAMBIT_BYTES` bytes
  (a regular file only: devices, pipes and sockets are refused before they are opened), labels and
  titles of :data:`MAX_LABEL_CHARS` characters and a comment of :data:`MAX_COMMENT_CHARS`;
* numbers within the limits of every number the package reads (:data:`MAX_DIGITS` digits in a
  decimal's mantissa or each side of a fraction, exponents within ±``MAX_EXPONENT``), checked on their
  text before they are converted (``1e999999`` is refused, not computed); sums formed while reading
  (chance probabilities, payoffs accumulated along a path) are refused past the size of the largest
  number that can be written.

Labels, titles and comments are text: control characters (C0 but tab and line feed, DEL, C1) and
surrogates are refused, so nothing from a file can drive a terminal; a Windows line end (CR LF)
reads as a line end.

Names. Our games need distinct, non-empty names where Gambit allows empty or repeated labels. A
label that is non-empty and unique is kept; otherwise players become ``"Player 2"``, strategies
and actions their number (``"2"``; a repeated label gets the number appended, ``"Win (2)"``),
nodes ``"node 7"`` (pre-order number) and information sets ``"<player>:<number>"``. An empty
outcome label means "no outcome label". Files we write keep every name, so a game survives the
round trip unchanged. Payoffs of outcomes attached to non-terminal nodes are added to every
terminal node below them, as Gambit does.

Examples
--------
>>> from gametheory_ukraine.games.normal_form import NormalFormGame
>>> g = NormalFormGame.from_arrays([[1, 0], [0, 1]], [[0, 1], [1, 0]], players=("Row", "Col"),
...                                actions=(("H", "T"), ("H", "T")), title="Matching pennies")
>>> text = nfg_text(g)
>>> print(text.splitlines()[0])
NFG 1 R "Matching pennies" { "Row" "Col" }
>>> parse_gambit(text) == g
True
"""

from __future__ import annotations

import hashlib
import io
import itertools
import math
import operator
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import sympy

from ..core.errors import GTUError, ModelFileError, OutputError, ParameterError, excerpt
from ..core.files import check_output_path, write_text_atomic
from ..core.frozen import FrozenDict
from ..core.numbers import MAX_DIGITS, MAX_EXPONENT, check_number_text
from ..core.reading import read_model_bytes
from ..games.normal_form import NormalFormGame
from ..games.tree import Chance, Decision, GameTree, Terminal
from ..modelling.model import Model

__all__ = ["SUFFIXES", "MAX_GAMBIT_BYTES", "MAX_ENTRIES", "MAX_PLAYERS", "MAX_DIGITS", "MAX_EXPONENT", "MAX_DEPTH",
           "MAX_LABEL_CHARS", "MAX_COMMENT_CHARS", "LABEL_MODES",
           "OptionalDependencyError",
           "nfg_text", "efg_text", "gambit_text", "write_gambit", "parse_gambit", "read_gambit", "load_gambit_model",
           "to_pygambit", "from_pygambit"]

#: File suffixes of Gambit games this module reads and writes.
SUFFIXES = (".nfg", ".efg")
#: Largest Gambit file read (bytes).
MAX_GAMBIT_BYTES = 64_000_000
#: Default budget of payoff entries in a file read: strategy profiles x players for an ``.nfg``,
#: tree nodes x players for an ``.efg`` (a 300 x 300 table, a two-player tree of 100,000 nodes).
#: Raised with ``max_entries=`` (:func:`load_gambit_model`, :func:`read_gambit`, :func:`parse_gambit`).
MAX_ENTRIES = 200_000
#: Most players in a file read (a table has one dimension per player).
MAX_PLAYERS = 32
#: Longest label or title read (characters).
MAX_LABEL_CHARS = 10_000
#: Longest comment read (characters).
MAX_COMMENT_CHARS = 100_000
# Numbers are read within MAX_DIGITS and MAX_EXPONENT, the limits of every number the package reads
# (gametheory_ukraine.core.numbers): every float is written by write_gambit in at most 330 digits.
#: Deepest ``.efg`` tree read (moves on one path).
MAX_DEPTH = 400

EXTRA_HINT = 'pip install "gametheory_ukraine[gambit]"'


class OptionalDependencyError(GTUError):
    """A feature needs an optional dependency that is not installed; the message names the extra."""


def _require_pygambit():
    try:
        import pygambit
    except ImportError:
        raise OptionalDependencyError("this needs pygambit (Gambit's Python package), which is not installed",
                                      fix=f"{EXTRA_HINT}, or use the .nfg/.efg files, which need no extra") from None
    return pygambit


# ===================================================================================================== writing
#: ``labels=`` of the writers: ``"gambit"`` (what Gambit 16.7 accepts) or ``"exact"`` (verbatim)
LABEL_MODES = ("gambit", "exact")
_PUNCTUATION = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
                              "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"', "\u00ab": '"',
                              "\u00bb": '"', "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-",
                              "\u2014": "-", "\u2212": "-", "\u2026": "...", "\u00d7": "x", "\u2022": "*",
                              "\u00a0": " ", "\\": "/"})


def _ascii(text: str) -> str:
    """Printable-ASCII transliteration: typographic quotes and dashes mapped, accents dropped, other
    characters replaced by ``?``; a backslash becomes ``/`` (Gambit's reader garbles ``\\\\``)."""
    decomposed = unicodedata.normalize("NFKD", str(text).translate(_PUNCTUATION))
    out = []
    for ch in decomposed:
        if unicodedata.combining(ch):
            continue
        out.append(ch if ch.isascii() and (ch.isprintable() or ch in "\n\t") else "?")
    return "".join(out)


def _show(text: str) -> str:
    """*text* in printable ASCII without loss: other characters as ``<U+2019>``."""
    return "".join(ch if ch.isascii() and ch.isprintable() else f"<U+{ord(ch):04X}>" for ch in text)


class _Labels:
    """Quote labels for a Gambit file; in ``"gambit"`` mode make them valid for Gambit 16.7 (printable
    ASCII, no leading, trailing or double spaces) and remember what changed."""

    def __init__(self, mode: str) -> None:
        if mode not in LABEL_MODES:
            raise OutputError(f"unknown label mode {mode!r}", fix="use labels='gambit' or labels='exact'")
        self.mode = mode
        self.changed: dict[str, str] = {}

    def label(self, text: str | None) -> str:
        text = text or ""
        if self.mode == "exact":
            return _quote(text)
        safe = " ".join(_ascii(text).split())
        if safe != text:
            self.changed.setdefault(text, safe)
        return _quote(safe)

    def text(self, text: str) -> str:
        """A title or comment: any text, but pygambit 16.7 decodes it as ASCII."""
        return _quote(text if self.mode == "exact" else _ascii(text))

    def distinct(self, labels, what: str) -> None:
        if self.mode == "exact":
            return
        seen: dict[str, str] = {}
        for text in labels:
            safe = " ".join(_ascii(text).split())
            if seen.setdefault(safe, text) != text:
                raise OutputError(f"{what} {seen[safe]!r} and {text!r} both become {safe!r} in Gambit's printable "
                                  "ASCII labels", fix="rename one of them, or write with labels='exact' "
                                                      "(read back exactly by this package, not by Gambit 16.7)")

    def note(self, comment: str) -> str:
        if not self.changed:
            return comment
        shown = "; ".join(f"'{_show(k)}' -> '{v}'" for k, v in list(self.changed.items())[:20])
        more = f" (and {len(self.changed) - 20} more)" if len(self.changed) > 20 else ""
        extra = f"Labels changed for Gambit (printable ASCII, single spaces): {shown}{more}"
        return f"{comment}\n{extra}" if comment else extra


def _quote(text: Any) -> str:
    r"""A Gambit string literal: ``"`` and ``\`` escaped with a backslash."""
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _number(value: Any, what: str) -> str:
    """Gambit's text for one number: ``-2/3`` for exact values, the printed decimal for floats."""
    if isinstance(value, bool):
        raise OutputError(f"{what} is a boolean, not a number", fix="use numeric payoffs")
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, Fraction):
        return str(value)
    if isinstance(value, (float, np.floating)):
        if not math.isfinite(value):
            raise OutputError(f"{what} is {value}, which Gambit cannot store", fix="use finite payoffs")
        text = format(Decimal(repr(float(value))), "f")
        return "0" if text in ("-0", "-0.0") else text
    if getattr(value, "free_symbols", None):
        raise OutputError(f"{what} is symbolic ({value})",
                          fix="instantiate the game first, e.g. model.game(form, scenario) or game.instantiate(...)")
    if isinstance(value, sympy.Rational):
        return str(Fraction(int(value.p), int(value.q)))
    raise OutputError(f"{what} is {value!r}, not a rational number or a float",
                      fix="Gambit files hold rationals and decimals only; solve or round such games in Python")


def nfg_text(game: NormalFormGame, *, title: str | None = None, comment: str = "",
             labels: str = "gambit") -> str:
    """The ``.nfg`` text of a numeric normal-form game (any number of players, any shape).

    Gambit's outcome-based variant: one Gambit outcome per distinct (outcome label, payoffs) pair,
    labelled with the game's outcome label (or ``""``); profiles are listed with player 1's strategy
    changing fastest. (pygambit 16.7 makes outcome labels unique on reading, appending ``_1``, ``_2``
    to a repeated label; sharing outcomes keeps the labels intact unless one label carries
    different payoffs.)

    Parameters
    ----------
    game : NormalFormGame
        Exact or float payoffs.
    title : str, optional
        Default: the game's title.
    comment : str
        Gambit's free-text comment.
    labels : {"gambit", "exact"}
        ``"gambit"`` (default): every label made valid for Gambit 16.7, which accepts only printable
        ASCII without leading, trailing or double spaces (typographic quotes and dashes become ``'``,
        ``"``, ``-``; accents are dropped; other characters become ``?``; ``\\`` becomes ``/``); title
        and comment are transliterated the same way; the comment lists every label changed.
        ``"exact"``: labels written verbatim (UTF-8), read back exactly by :func:`read_gambit`.

    Raises
    ------
    OutputError
        For symbolic payoffs, or two labels that become equal in ASCII.

    Examples
    --------
    >>> from fractions import Fraction as F
    >>> g = NormalFormGame.from_arrays([[F(2, 3)], [0]], [[1], [-1]], players=("A", "B"),
    ...                                actions=(("u", "d"), ("l",)), title="tiny")
    >>> print(nfg_text(g))
    NFG 1 R "tiny" { "A" "B" }
    <BLANKLINE>
    { { "u" "d" }
    { "l" }
    }
    ""
    <BLANKLINE>
    {
    { "" 2/3, 1 }
    { "" 0, -1 }
    }
    1 2
    <BLANKLINE>
    """
    if not isinstance(game, NormalFormGame):
        raise OutputError(f"an .nfg file holds a normal-form game, not a {type(game).__name__}",
                          fix="write a game tree as .efg, or pass games.reduce.to_normal_form(tree)")
    if game.kind == "symbolic":
        raise OutputError(f"the game has free parameters {', '.join(game.parameters)}",
                          fix="instantiate it first, e.g. model.game(form, scenario)")
    names = _Labels(labels)
    names.distinct(game.players, "players")
    for player, acts in zip(game.players, game.actions):
        names.distinct(acts, f"strategies of {player!r}:")
    head = [f"NFG 1 R {names.text(game.title if title is None else title)} "
            "{ " + " ".join(names.label(p) for p in game.players) + " }", ""]
    head.append("{ " + "\n".join("{ " + " ".join(names.label(a) for a in acts) + " }" for acts in game.actions))
    head.append("}")
    lines = ["", "{"]
    numbers: dict[tuple[str, str], int] = {}
    order = []
    for reverse in itertools.product(*(range(n) for n in reversed(game.shape))):
        profile = reverse[::-1]
        label = names.label(game.outcome(profile))
        what = "payoff at (" + ", ".join(game.actions[i][a] for i, a in enumerate(profile)) + ")"
        pays = ", ".join(_number(p[profile], what) for p in game.payoffs)
        if (label, pays) not in numbers:
            numbers[(label, pays)] = len(numbers) + 1
            lines.append(f"{{ {label} {pays} }}")
        order.append(str(numbers[(label, pays)]))
    lines += ["}", " ".join(order), ""]
    return "\n".join([*head, names.text(names.note(comment)), *lines])


def efg_text(tree: GameTree, *, title: str | None = None, comment: str = "", labels: str = "gambit") -> str:
    """The ``.efg`` text of a numeric game tree.

    Nodes are written in pre-order with their names as Gambit node labels; information sets are
    numbered per player in order of first appearance and labelled with our information-set labels;
    each chance node gets its own (unlabelled) chance information set; terminal nodes with the same outcome
    label and payoffs share one Gambit outcome, labelled with that label (or ``""``).

    Parameters
    ----------
    tree : GameTree
        Exact or float payoffs and chance probabilities.
    title : str, optional
        Default: the tree's title.
    comment : str
        Gambit's free-text comment.
    labels : {"gambit", "exact"}
        ``"gambit"`` (default): every label made valid for Gambit 16.7, which accepts only printable
        ASCII without leading, trailing or double spaces (typographic quotes and dashes become ``'``,
        ``"``, ``-``; accents are dropped; other characters become ``?``; ``\\`` becomes ``/``); title
        and comment are transliterated the same way; the comment lists every label changed.
        ``"exact"``: labels written verbatim (UTF-8), read back exactly by :func:`read_gambit`.

    Raises
    ------
    OutputError
        For symbolic payoffs or probabilities, an invalid tree, or two labels that become equal in ASCII.

    Examples
    --------
    >>> from fractions import Fraction as F
    >>> t = GameTree(("Entrant", "Incumbent"), Decision("entry", 0, ("out", "in"), (
    ...     Terminal("z1", (1, 5), "deterred"),
    ...     Chance("luck", ("good", "bad"), (F(1, 3), F(2, 3)), (
    ...         Terminal("z2", (2, 2)), Terminal("z3", (0, F(-1, 2))))))), "toy")
    >>> print(efg_text(t))
    EFG 2 R "toy" { "Entrant" "Incumbent" }
    ""
    <BLANKLINE>
    p "entry" 1 1 "entry" { "out" "in" } 0
    t "z1" 1 "deterred" { 1, 5 }
    c "luck" 1 "" { "good" 1/3 "bad" 2/3 } 0
    t "z2" 2 "" { 2, 2 }
    t "z3" 3 "" { 0, -1/2 }
    <BLANKLINE>
    """
    if not isinstance(tree, GameTree):
        raise OutputError(f"an .efg file holds a game tree, not a {type(tree).__name__}",
                          fix="write a normal-form game as .nfg")
    if tree.kind == "symbolic":
        raise OutputError(f"the game has free parameters {', '.join(tree.parameters)}",
                          fix="instantiate it first, e.g. model.game(form, scenario)")
    try:
        tree.validate()
    except ValueError as exc:
        raise OutputError(f"not a valid game tree: {exc}", fix="fix the tree before writing it") from None
    names = _Labels(labels)
    names.distinct(tree.players, "players")
    names.distinct([n.name for n in tree.nodes()], "nodes")
    names.distinct(list(tree.infosets()), "information sets")
    for node in tree.nodes():
        if not isinstance(node, Terminal):
            names.distinct(node.actions, f"actions at {node.name!r}:")
    head = f"EFG 2 R {names.text(tree.title if title is None else title)} " \
           "{ " + " ".join(names.label(p) for p in tree.players) + " }"
    lines = [""]
    infoset_numbers: dict[str, int] = {}
    outcomes: dict[tuple[str, str], int] = {}
    per_player = [0] * tree.n_players
    n_chance = 0
    for node in tree.nodes():
        if isinstance(node, Terminal):
            label = names.label(node.outcome)
            pays = ", ".join(_number(v, f"payoff of {tree.players[i]} at {node.name!r}")
                             for i, v in enumerate(node.payoffs))
            number = outcomes.setdefault((label, pays), len(outcomes) + 1)
            lines.append(f"t {names.label(node.name)} {number} {label} {{ {pays} }}")
        elif isinstance(node, Decision):
            if node.infoset not in infoset_numbers:
                per_player[node.player] += 1
                infoset_numbers[node.infoset] = per_player[node.player]
            actions = " ".join(names.label(a) for a in node.actions)
            lines.append(f"p {names.label(node.name)} {node.player + 1} {infoset_numbers[node.infoset]} "
                         f"{names.label(node.infoset)} {{ {actions} }} 0")
        else:
            n_chance += 1
            branches = " ".join(f"{names.label(a)} {_number(p, f'probability of {a!r} at {node.name!r}')}"
                                for a, p in zip(node.actions, node.probabilities))
            lines.append(f"c {names.label(node.name)} {n_chance} \"\" {{ {branches} }} 0")
    lines.append("")
    return "\n".join([head, names.text(names.note(comment)), *lines])


def gambit_text(game: NormalFormGame | GameTree, *, title: str | None = None, comment: str = "",
                labels: str = "gambit") -> str:
    """:func:`nfg_text` for a normal-form game, :func:`efg_text` for a tree."""
    if isinstance(game, GameTree):
        return efg_text(game, title=title, comment=comment, labels=labels)
    return nfg_text(game, title=title, comment=comment, labels=labels)


def write_gambit(game: NormalFormGame | GameTree, path: str | os.PathLike, *, title: str | None = None,
                 comment: str = "", labels: str = "gambit") -> Path:
    """Write *game* to *path* as ``.nfg`` (normal form) or ``.efg`` (tree), atomically.

    Parameters
    ----------
    game : NormalFormGame or GameTree
        Numeric (exact or float).
    path : str or path-like
        Must end in ``.nfg`` for a normal-form game, ``.efg`` for a tree.
    title : str, optional
        Gambit's title line (default: the game's title).
    comment : str
        Gambit's comment (e.g. where the game came from and the parameter values).
    labels : {"gambit", "exact"}
        ``"gambit"`` (default): every label made valid for Gambit 16.7, which accepts only printable
        ASCII without leading, trailing or double spaces (typographic quotes and dashes become ``'``,
        ``"``, ``-``; accents are dropped; other characters become ``?``; ``\\`` becomes ``/``); title
        and comment are transliterated the same way; the comment lists every label changed.
        ``"exact"``: labels written verbatim (UTF-8), read back exactly by :func:`read_gambit`.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    OutputError
        A suffix that does not fit the game, a path that cannot be written, symbolic payoffs.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> g = NormalFormGame.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]], title="PD")
    >>> out = write_gambit(g, pathlib.Path(tempfile.mkdtemp()) / "pd.nfg")
    >>> read_gambit(out).payoffs[0].tolist()
    [[Fraction(3, 1), Fraction(0, 1)], [Fraction(5, 1), Fraction(1, 1)]]
    """
    want = ".efg" if isinstance(game, GameTree) else ".nfg"
    out = check_output_path(path, suffixes=SUFFIXES)
    if out.suffix.lower() != want:
        kind = "a game tree" if want == ".efg" else "a normal-form game"
        raise OutputError(f"{kind} is written as {want}, not {out.suffix}", path=str(out),
                          fix=f"name the file {out.stem}{want}")
    return write_text_atomic(out, gambit_text(game, title=title, comment=comment, labels=labels))


# ===================================================================================================== reading
# Every count in a file is checked against a budget while it is read, before anything of that size is
# built: the players (MAX_PLAYERS), the payoff entries a table or a tree holds (max_entries), the digits of
# every number (MAX_DIGITS, MAX_EXPONENT). Tokens are read one at a time, so a large file costs nothing past the point
# where it is refused.
# Tokens are found in a shadow of the text in which the escapes \\ and \" are replaced by two letters,
# so a label is simply '"[^"]*"' (a regular expression with escapes keeps state for every escape it
# passes: gigabytes for a 64 MB label) and an unclosed label is an odd number of quotes. Each token's
# text is then taken from the real text at the same offsets. Outside labels, a backslash can only be
# part of an invalid token, which is refused at the same place either way.
_TOKEN = re.compile(r'"[^"]*"|[{}]|,|[^\s{}",]+')
_RATIONAL = re.compile(r"-?(\d+)/(\d+)\Z")
_DECIMAL = re.compile(r"-?(?:(\d+)\.?(\d*)|\.(\d+))(?:[eE]([+-]?\d+))?\Z")
_INTEGER = re.compile(r"\d{1,12}\Z")
#: control characters (C0 but tab and line feed, DEL, C1) and surrogates, refused in every label
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
#: the largest sum formed while reading: as large as the largest number that can be written
_SUM_DIGITS = MAX_DIGITS + MAX_EXPONENT
_MAX_BITS = math.ceil(_SUM_DIGITS * math.log2(10))
#: how a refusal past the budget says to raise it
_RAISE = ("if the machine can hold and solve a game this large, raise the budget with gtu's --max-size N "
          "(max_entries= of load_model, load_gambit_model or read_gambit)")


def _unescape(content: str) -> str:
    r"""A label's text from its quoted content: ``\\`` becomes ``\``, ``\"`` becomes ``"``, any other
    backslash stays. String methods, not a regular-expression substitution (which took 50 s for the 32
    million escapes a 64 MB label can hold); NUL, refused in labels before this, holds the place of ``\``."""
    return content.replace("\\\\", "\0").replace('\\"', '"').replace("\0", "\\")


def _excerpt(text: str, limit: int = 60, quote: str = "'") -> str:
    """*text* quoted for a message: :func:`~gametheory_ukraine.core.errors.excerpt` (controls escaped, at most
    *limit* characters, the middle elided with ``…``) between *quote* characters."""
    return f"{quote}{excerpt(text, limit)}{quote}"


def _budget(max_entries: int) -> int:
    """*max_entries* as a positive int, or a :class:`ParameterError`."""
    try:
        cap = operator.index(max_entries) if not isinstance(max_entries, bool) else 0
    except TypeError:
        cap = 0
    if cap < 1:
        raise ParameterError(f"max_entries must be a positive whole number, not {_excerpt(repr(max_entries))}",
                             where="max_entries", fix=f"use e.g. max_entries={MAX_ENTRIES}")
    return cap


class _Tokens:
    """The tokens of a Gambit file, read one at a time, and error reporting by line and column."""

    def __init__(self, text: str, path: str) -> None:
        self.text = text
        self.path = path
        shadow = text.replace("\\\\", "ee").replace('\\"', "ee") if "\\" in text else text
        if shadow.count('"') % 2:
            self.fail("a quoted label is not closed", shadow.rfind('"'),
                      "add the closing double quote (write \\\" for a quote inside a label)")
        self._tokens = _TOKEN.finditer(shadow)
        self._token: str | None = None
        self._offset = 0
        self._numbers: dict[str, Fraction] = {}
        self.skip()

    # ------------------------------------------------------------------ errors
    def place(self, offset: int) -> str:
        line = self.text.count("\n", 0, offset) + 1
        column = offset - (self.text.rfind("\n", 0, offset) + 1) + 1
        return f"line {line}, column {column}"

    def fail(self, message: str, offset: int | None = None, fix: str | None = None):
        if offset is None:
            offset = self._offset
        if fix is None and offset >= len(self.text):
            fix = "the file ends too early: it is truncated or incomplete"
        raise ModelFileError(message, path=self.path, where=self.place(offset),
                             fix=fix or "see Gambit's file format documentation "
                                        "(https://gambitproject.readthedocs.io/en/latest/formats.html)")

    # ------------------------------------------------------------------ reading
    def skip(self) -> None:
        """Move to the next token."""
        m = next(self._tokens, None)
        if m is None:
            self._token, self._offset = None, len(self.text)
        else:
            start = m.start()
            self._token, self._offset = self.text[start:m.end()], start

    def peek(self) -> str | None:
        return self._token

    def offset(self) -> int:
        return self._offset

    def _shown(self) -> str:
        tok = self.peek()
        return "the end of the file" if tok is None else _excerpt(tok, 40)

    def take(self) -> str:
        tok = self.peek()
        if tok is None:
            self.fail("the file ends too early", fix="the file is truncated: write it again or complete it")
        self.skip()
        return tok

    def expect(self, literal: str, what: str) -> None:
        if self.peek() != literal:
            self.fail(f"expected {literal!r} ({what}), found {self._shown()}")
        self.skip()

    def is_string(self) -> bool:
        tok = self.peek()
        return tok is not None and tok.startswith('"')

    def string(self, what: str, limit: int = MAX_LABEL_CHARS) -> str:
        """A quoted label of at most *limit* characters: any text but control characters other than
        tab and line feed."""
        if not self.is_string():
            self.fail(f"expected a quoted label ({what}), found {self._shown()}")
        raw, start = self.peek(), self.offset()
        if len(raw) - 2 > limit:
            self.fail(f"{what}: a label of {len(raw) - 2} characters, more than {limit}: "
                      f"{_excerpt(raw[1:-1])}", start, fix=f"shorten it to at most {limit} characters")
        bad = _CONTROL.search(raw, 1, len(raw) - 1)
        if bad is not None:
            char = bad.group()
            self.fail(f"control character U+{ord(char):04X} in the {what}: {_excerpt(raw[1:-1])}",
                      start + bad.start(),
                      fix="remove it: labels, titles and comments are printable text, tabs and line ends")
        self.skip()
        return _unescape(raw[1:-1]) if "\\" in raw else raw[1:-1]

    def integer(self, what: str, low: int = 0, high: int | None = None) -> int:
        tok = self.peek()
        if tok is None or not _INTEGER.match(tok):
            self.fail(f"expected a whole number ({what}), found {self._shown()}")
        value = int(tok)
        if value < low or (high is not None and value > high):
            bound = f"between {low} and {high}" if high is not None else f"at least {low}"
            self.fail(f"{what} is {value}; it must be {bound}")
        self.skip()
        return value

    def is_number(self) -> bool:
        tok = self.peek()
        return tok is not None and bool(_RATIONAL.match(tok) or _DECIMAL.match(tok))

    def number(self, what: str) -> Fraction:
        """A rational (``-2/3``) or decimal (``0.05``, ``1.5e-3``), exact, within the package's limits on
        written numbers (:data:`MAX_DIGITS` digits, exponents within :data:`MAX_EXPONENT`), checked on
        the text before converting it."""
        tok = self.peek()
        known = self._numbers.get(tok)
        if known is not None:  # files repeat their numbers: each distinct one is converted once
            self.skip()
            return known
        rational = _RATIONAL.match(tok) if tok is not None else None
        decimal = None if rational or tok is None else _DECIMAL.match(tok)
        if rational is None and decimal is None:
            self.fail(f"expected a number ({what}), found {self._shown()}",
                      fix="write numbers as integers, decimals (0.05) or fractions (2/3)")
        try:  # the package's limits on written numbers, checked on the text before converting it
            check_number_text(tok)
        except ValueError as exc:
            kind = "too large" if "exponent" in str(exc) else "too long"
            self.fail(f"expected a number of at most {MAX_DIGITS} digits with an exponent within ±{MAX_EXPONENT} "
                      f"({what}); {_excerpt(tok, 40)} is {kind}: {exc}",
                      fix=f"write it with at most {MAX_DIGITS} digits and an exponent within ±{MAX_EXPONENT}")
        if rational is not None and not rational.group(2).strip("0"):
            self.fail(f"{_excerpt(tok, 40)} divides by zero ({what})", fix="give the fraction a non-zero denominator")
        value = self._numbers[tok] = Fraction(tok)
        self.skip()
        return value

    def bounded(self, value: Fraction, what: str, offset: int) -> Fraction:
        """*value* (a sum formed while reading), refused past the digits of the largest written number."""
        if value.numerator.bit_length() > _MAX_BITS or value.denominator.bit_length() > _MAX_BITS:
            self.fail(f"the {what} would need more than {_SUM_DIGITS} digits exactly", offset,
                      fix="use numbers with smaller denominators (this package computes exactly)")
        return value

    def payoffs(self, n: int, what: str) -> tuple[Fraction, ...]:
        """``{ a, b, ... }`` with exactly *n* numbers; commas optional."""
        self.expect("{", f"start of the payoffs of {what}")
        return self.payoff_body(n, what)

    def payoff_body(self, n: int, what: str) -> tuple[Fraction, ...]:
        """The numbers of a payoff list up to and including its closing ``}``; a comma may follow a number."""
        out: list[Fraction] = []
        comma_allowed = False
        while self.peek() != "}":
            if self.peek() == ",":
                if not comma_allowed:
                    self.fail(f"a comma without a payoff before it ({what})", fix="separate payoffs by one comma")
                comma_allowed = False
                self.skip()
                continue
            if self.peek() not in self._numbers and not self.is_number():
                self.fail(f"expected a payoff or '}}' ({what}), found {self._shown()}")
            if len(out) == n:
                self.fail(f"{what} has {n + 1} payoffs for {n} players",
                          fix="give one payoff per player, in the order of the player list")
            out.append(self.number(f"payoff in {what}"))
            comma_allowed = True
        if len(out) != n:
            self.fail(f"{what} has {len(out)} payoffs for {n} players",
                      fix="give one payoff per player, in the order of the player list")
        self.skip()
        return tuple(out)

    def string_list(self, what: str, limit: int, too_many) -> list[str]:
        """``{ "a" "b" ... }``; ``too_many(count, offset)`` is called (and must raise) past *limit* labels."""
        self.expect("{", f"start of the {what}")
        out = []
        while self.peek() != "}":
            if len(out) == limit:
                too_many(len(out) + 1, self.offset())
            out.append(self.string(what))
        self.skip()
        return out

    def header(self, kind: str, version: str) -> tuple[str, list[str]]:
        first = self.peek()
        if first != kind:
            other = {"NFG": "EFG", "EFG": "NFG"}[kind]
            if first == other:
                suffix = other.lower()
                self.fail(f"this is a Gambit {other} file, not {kind}", fix=f"name it .{suffix}")
            self.fail(f"not a Gambit {kind} file: it should start with '{kind} {version} R'",
                      fix=f"give a Gambit .{kind.lower()} file (a model file ends in .yaml)")
        self.skip()
        if self.peek() != version:
            self.fail(f"unsupported {kind} format version {self._shown()}", fix=f"use version {version}")
        self.skip()
        if self.peek() not in ("R", "D"):
            self.fail(f"expected 'R' or 'D' after the version, found {self._shown()}")
        self.skip()
        title = self.string("game's title")

        def too_many(count: int, offset: int):
            self.fail(f"the game has more than {MAX_PLAYERS} players", offset,
                      fix=f"this package reads games of at most {MAX_PLAYERS} players")

        players = self.string_list("player names", MAX_PLAYERS, too_many)
        if not players:
            self.fail("the game has no players", fix="list at least one player name")
        return title, players

    def comment(self) -> str:
        return self.string("comment", MAX_COMMENT_CHARS) if self.is_string() else ""

    def end(self, what: str) -> None:
        if self.peek() is not None:
            self.fail(f"unexpected {self._shown()} after the {what}",
                      fix="remove it, or check the counts (actions per node, profiles, outcomes) above it")


def _distinct(labels: Sequence[str], fallbacks: Sequence[str]) -> list[str]:
    """Keep labels that are non-empty and unique; name the others from *fallbacks*; all distinct."""
    counts = Counter(labels)
    used = {label for label in labels if label and counts[label] == 1}
    out = []
    for label, fallback in zip(labels, fallbacks):
        if label and counts[label] == 1:
            out.append(label)
            continue
        name = f"{label} ({fallback})" if label else fallback
        while name in used:
            name += "'"
        used.add(name)
        out.append(name)
    return out


def _player_names(labels: list[str]) -> list[str]:
    return _distinct(labels, [f"Player {k + 1}" for k in range(len(labels))])


def _numbered(labels: Sequence[str]) -> list[str]:
    return _distinct(labels, [str(k + 1) for k in range(len(labels))])


def _entries_message(what: str, count: int, n: int, cap: int, at_least: bool = False) -> str:
    least = "at least " if at_least else ""
    return f"{least}{count} {what} x {n} players = {least}{count * n} payoff entries, more than the budget of {cap}"


def _parse_nfg(tok: _Tokens, cap: int) -> tuple[NormalFormGame, str]:
    title, raw_players = tok.header("NFG", "1")
    players = _player_names(raw_players)
    n = len(players)
    shape_start = tok.offset()
    tok.expect("{", "start of the strategy lists or of the numbers of strategies")
    if tok.is_number():  # payoff-list variant: { 3 2 }
        shape = []
        while tok.peek() != "}":
            if len(shape) == n:
                tok.fail(f"strategies are given for more players than the game has ({n})",
                         fix="give one strategy list (or count) per player")
            shape.append(tok.integer("number of strategies", low=1))
        tok.skip()
        outcome_variant = False
        if len(shape) != n:
            tok.fail(f"strategies are given for {len(shape)} players, but the game has {n}", shape_start,
                     fix="give one strategy list (or count) per player")
        # at most MAX_PLAYERS counts of at most 12 digits each: their exact product is cheap
        n_profiles = math.prod(shape)
        if n_profiles * n > cap:
            tok.fail("the game declares " + _entries_message("strategy profiles", n_profiles, n, cap),
                     shape_start, fix=_RAISE)
        strategies = [[str(k + 1) for k in range(m)] for m in shape]
    else:
        strategies = []
        while tok.peek() == "{":
            start = tok.offset()
            if len(strategies) == n:
                tok.fail(f"strategies are given for more players than the game has ({n})", start,
                         fix="give one strategy list (or count) per player")
            before = math.prod(len(s) for s in strategies)   # at most cap: checked for each list

            def too_many(count: int, offset: int, before=before):
                tok.fail("the strategy lists declare " + _entries_message("strategy profiles", before * count, n,
                                                                           cap, at_least=True), offset, fix=_RAISE)

            labels = tok.string_list("strategy labels", max(cap // (before * n), 0), too_many)
            if not labels:
                tok.fail("a player has no strategies", start, fix="give each player at least one strategy")
            strategies.append(_numbered(labels))
        tok.expect("}", "end of the strategy lists")
        shape = [len(s) for s in strategies]
        outcome_variant = True
    if len(shape) != n:
        tok.fail(f"strategies are given for {len(shape)} players, but the game has {n}",
                 fix="give one strategy list (or count) per player")
    comment = tok.comment()
    n_profiles = math.prod(shape)
    first = tok.offset()
    profiles = [rev[::-1] for rev in itertools.product(*(range(m) for m in reversed(shape)))]
    pays = [np.empty(tuple(shape), dtype=object) for _ in range(n)]
    outcomes = np.full(tuple(shape), None, dtype=object)

    def short(read: int, unit: str):
        tok.fail(f"the game declares {n_profiles} strategy profiles, but the file holds only {read} {unit}",
                 first, fix="check the strategy counts in the header")

    if not outcome_variant:
        for number, profile in enumerate(profiles):
            what = "profile (" + ", ".join(strategies[i][a] for i, a in enumerate(profile)) + ")"
            for i in range(n):
                if tok.peek() == ",":
                    tok.skip()
                if tok.peek() is None:
                    short(number * n + i, f"of its {n_profiles * n} payoffs")
                pays[i][profile] = tok.number(f"payoff of {_excerpt(players[i], 30)} at {what}")
    else:
        tok.expect("{", "start of the outcome list")
        table: list[tuple[str | None, tuple[Fraction, ...]]] = []
        while tok.peek() == "{":
            if (len(table) + 1) * n > cap:
                tok.fail("the outcome list has " + _entries_message("outcomes", len(table) + 1, n, cap, True),
                         fix=_RAISE)
            tok.skip()
            label = tok.string(f"label of outcome {len(table) + 1} (may be \"\")")
            table.append((label or None, tok.payoff_body(n, f"outcome {len(table) + 1}")))
        tok.expect("}", "end of the outcome list")
        zero = tuple(Fraction(0) for _ in range(n))
        for number, profile in enumerate(profiles):
            if tok.peek() is None:
                short(number, "outcome numbers")
            k = tok.integer("outcome number of a profile (0 = no outcome)", low=0, high=len(table))
            label, values = table[k - 1] if k else (None, zero)
            for i in range(n):
                pays[i][profile] = values[i]
            outcomes[profile] = label
    tok.end("last profile")
    out = None if all(o is None for o in outcomes.flat) else outcomes
    game = NormalFormGame(tuple(players), tuple(tuple(s) for s in strategies), tuple(pays), outcomes=out,
                          title=title)
    return game, comment


def _parse_efg(tok: _Tokens, cap: int) -> tuple[GameTree, str]:
    title, raw_players = tok.header("EFG", "2")
    players = _player_names(raw_players)
    n = len(players)
    comment = tok.comment()
    outcomes: dict[int, tuple[str, tuple[Fraction, ...]]] = {}
    infosets: dict[tuple[int, int], dict] = {}
    records: list[dict] = []
    # stack of (record index, children still to read, accumulated payoffs on the path to it)
    stack: list[list] = []
    pending = 0  # children announced by action lists and not read yet: the tree has at least this many more
    zero = tuple(Fraction(0) for _ in range(n))

    def too_large(nodes: int, offset: int):
        tok.fail("the tree has " + _entries_message("nodes", nodes, n, cap, at_least=True), offset, fix=_RAISE)

    while True:
        if tok.peek() is None:
            if not records:
                tok.fail("the file has no nodes", fix="add the root node (a line starting with p, c or t)")
            if stack:
                top = records[stack[-1][0]]
                tok.fail(f"the file ends before node {_excerpt(top['label']) if top['label'] else stack[-1][0] + 1} "
                         f"has all its {len(top['actions'])} children",
                         fix="the file is truncated, or an action list is too long")
        start = tok.offset()
        kind = tok.take()
        if kind not in ("p", "c", "t"):
            tok.fail(f"expected a node ('p', 'c' or 't'), found {_excerpt(kind, 40)}", start,
                     fix="each node starts with p (player), c (chance) or t (terminal)")
        if len(records) + 1 + pending - (1 if stack else 0) > cap // n:
            too_large(len(records) + 1 + pending - (1 if stack else 0), start)
        rec: dict[str, Any] = {"kind": kind, "offset": start, "label": tok.string("node label (may be \"\")")}
        if kind in ("p", "c"):
            if kind == "p":
                player = tok.integer("player number", low=1, high=n) - 1
                key = (player, tok.integer("information set number", low=1))
            else:
                player = -1
                key = (-1, tok.integer("chance information set number", low=1))
            label = tok.string("information set label") if tok.is_string() else None
            known = infosets.get(key)
            if tok.peek() == "{":
                tok.skip()
                actions, probs = [], []
                while tok.peek() != "}":
                    nodes = len(records) + pending - (1 if stack else 0) + 2 + len(actions)
                    if nodes > cap // n:
                        too_large(nodes, tok.offset())
                    actions.append(tok.string("action label"))
                    if kind == "c":
                        probs.append(tok.number(f"probability of action {_excerpt(actions[-1], 30)}"))
                        if tok.peek() == ",":
                            tok.skip()
                tok.skip()
                if not actions:
                    tok.fail("a node needs at least one action", start)
                if known is not None and (known["actions"] != actions or known["probs"] != probs):
                    what = "probabilities" if known["actions"] == actions else "actions"
                    tok.fail(f"information set {key[1]} of "
                             f"{'chance' if kind == 'c' else _excerpt(players[player], 30)} is "
                             f"given other {what} here than at {tok.place(known['offset'])}", start,
                             fix="nodes of one information set have the same actions (and probabilities)")
            elif known is None:
                tok.fail("expected the action list '{ ... }' of a new information set", fix="list its actions")
            else:
                actions, probs = known["actions"], known["probs"]
            if known is None:
                if kind == "c":
                    if any(p < 0 for p in probs):
                        tok.fail("a chance probability is negative", start, fix="use probabilities in [0, 1]")
                    total = Fraction(0)
                    for p in probs:
                        total = tok.bounded(total + p, "sum of the chance probabilities", start)
                    if total != 1:
                        shown = _excerpt(str(total), quote="")
                        tok.fail(f"the chance probabilities sum to {shown}, not exactly 1", start,
                                 fix="make them add up to 1 exactly (write 1/3, not 0.333)")
                known = infosets[key] = {"label": label or "", "actions": actions, "probs": probs, "offset": start,
                                         "player": player, "number": key[1]}
            elif label and known["label"] and label != known["label"]:
                tok.fail(f"information set {key[1]} is labelled {_excerpt(known['label'], 30)} at "
                         f"{tok.place(known['offset'])} and {_excerpt(label, 30)} here", start,
                         fix="use one label per information set")
            elif label and not known["label"]:
                known["label"] = label
            rec.update(player=player, key=key, actions=actions, probs=probs)
        number = tok.integer("outcome number (0 = none)", low=0)
        own = zero
        if number:
            label = tok.string("outcome label") if tok.is_string() else None
            values = tok.payoffs(n, f"outcome {number}") if tok.peek() == "{" else None
            if number in outcomes:
                old_label, old_values = outcomes[number]
                if (label is not None and label != old_label) or (values is not None and values != old_values):
                    tok.fail(f"outcome {number} is given another label or other payoffs than before", start,
                             fix="restate an outcome exactly, or give it a new number")
            elif values is None:
                tok.fail(f"outcome {number} is used before its payoffs are given", start,
                         fix=f"write its payoffs here: {number} \"label\" {{ ... }}")
            else:
                outcomes[number] = (label or "", values)
            rec["outcome"] = outcomes[number][0] or None
            own = outcomes[number][1]
        else:
            rec["outcome"] = None
        if not stack or stack[-1][2] is zero:
            accumulated = own
        elif own is zero:
            accumulated = stack[-1][2]
        else:
            accumulated = tuple(tok.bounded(a + b, "payoffs accumulated along the path to this node", start)
                                for a, b in zip(stack[-1][2], own))
        rec["payoffs"] = accumulated
        rec["children"] = []
        index = len(records)
        records.append(rec)
        if stack:
            records[stack[-1][0]]["children"].append(index)
            stack[-1][1] -= 1
            pending -= 1
        if kind != "t":
            if len(stack) >= MAX_DEPTH:
                tok.fail(f"the tree is deeper than {MAX_DEPTH} moves", start,
                         fix="this package solves trees by recursion; split or shorten the game")
            stack.append([index, len(rec["actions"]), accumulated])
            pending += len(rec["actions"])
        while stack and stack[-1][1] == 0:
            stack.pop()
        if not stack:
            break
    tok.end("last node of the tree")
    return _build_tree(records, infosets, players, title, tok), comment


def _build_tree(records: list[dict], infosets: dict, players: list[str], title: str, tok: _Tokens) -> GameTree:
    names = _distinct([r["label"] for r in records], [f"node {k + 1}" for k in range(len(records))])
    keys = [k for k in infosets if k[0] >= 0]
    set_names = dict(zip(keys, _distinct([infosets[k]["label"] for k in keys],
                                         [f"{players[k[0]]}:{k[1]}" for k in keys])))
    action_names = {k: _numbered(v["actions"]) for k, v in infosets.items()}
    built: list[Any] = [None] * len(records)
    for index in range(len(records) - 1, -1, -1):
        rec = records[index]
        name = names[index]
        if rec["kind"] == "t":
            built[index] = Terminal(name, rec["payoffs"], rec["outcome"])
            continue
        kids = tuple(built[c] for c in rec["children"])
        acts = tuple(action_names[rec["key"]])
        if rec["kind"] == "p":
            built[index] = Decision(name, rec["player"], acts, kids, infoset=set_names[rec["key"]])
        else:
            built[index] = Chance(name, acts, tuple(rec["probs"]), kids)
        for child in rec["children"]:
            built[child] = None  # free memory; each node has one parent
    # outcomes at non-terminal nodes were added to the terminals below; their labels are kept there only
    tree = GameTree(tuple(players), built[0], title)
    try:
        tree.validate()
    except ValueError as exc:
        raise ModelFileError(f"not a game tree this package can use: {exc}", path=tok.path, where="the tree",
                             fix="each information set may occur at most once on any path "
                                 "(absent-minded players are not supported)") from None
    return tree


def parse_gambit(text: str | bytes, path: str | os.PathLike = "<string>", *,
                 max_entries: int = MAX_ENTRIES) -> NormalFormGame | GameTree:
    """Parse the text of a Gambit ``.nfg`` or ``.efg`` file (told apart by its first word).

    Parameters
    ----------
    text : str or bytes
        The file's contents (bytes are decoded as UTF-8).
    path : str, optional
        Named in error messages.
    max_entries : int
        Budget of payoff entries: strategy profiles x players for an ``.nfg``, tree nodes x players
        for an ``.efg`` (default :data:`MAX_ENTRIES`). A file declaring more is refused while its
        header or action lists are read, before anything of that size is built.

    Returns
    -------
    NormalFormGame or GameTree
        With exact (Fraction) payoffs and probabilities.

    Raises
    ------
    ModelFileError
        Naming the file, the line and column, and the fix; also for a game past the budget, more
        than :data:`MAX_PLAYERS` players, a number past :data:`MAX_DIGITS` digits, or a
        control character in a label.

    Examples
    --------
    >>> tree = parse_gambit('''EFG 2 R "chain store" { "Entrant" "Incumbent" }
    ... p "" 1 1 "" { "out" "in" } 0
    ... t "" 1 "deterred" { 1, 5 }
    ... p "" 2 1 "" { "fight" "acquiesce" } 0
    ... t "" 2 "fought" { 0, 0 }
    ... t "" 3 "accommodated" { 2, 2 }
    ... ''')
    >>> [n.name for n in tree.nodes()]
    ['node 1', 'node 2', 'node 3', 'node 4', 'node 5']
    >>> [s.name for s in tree.infosets().values()]
    ['Entrant:1', 'Incumbent:1']
    """
    return _parse(text, os.fspath(path), _budget(max_entries))[0]


def _parse(text: str | bytes, where: str, cap: int) -> tuple[NormalFormGame | GameTree, str]:
    """The game and Gambit's comment."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = text.count(b"\n", 0, exc.start) + 1
            column = exc.start - (text.rfind(b"\n", 0, exc.start) + 1) + 1
            raise ModelFileError(f"not UTF-8 text (byte {exc.start}: {text[exc.start:exc.start + 1]!r})",
                                 path=where, where=f"line {line}, column {column}",
                                 fix="save the file as UTF-8 (or ASCII)") from None
    text = text.removeprefix("\ufeff")
    if "\r\n" in text:  # a Windows line end is a line end (also inside a multi-line comment)
        text = text.replace("\r\n", "\n")
    tok = _Tokens(text, where)
    first = tok.peek()
    if first == "NFG":
        return _parse_nfg(tok, cap)
    if first == "EFG":
        return _parse_efg(tok, cap)
    tok.fail("not a Gambit game file: it should start with 'NFG 1 R' or 'EFG 2 R'",
             fix="give a Gambit .nfg or .efg file (model files end in .yaml)")
    raise AssertionError("unreachable")  # pragma: no cover


def _read_bytes(path: Path) -> bytes:
    """The file's bytes: a regular file (refused before it is opened otherwise) of at most
    :data:`MAX_GAMBIT_BYTES` bytes, of which at most one more is ever read."""
    return read_model_bytes(path, MAX_GAMBIT_BYTES)


def _check_suffix(path: Path, game: NormalFormGame | GameTree) -> None:
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        return
    want = ".efg" if isinstance(game, GameTree) else ".nfg"
    if suffix != want:
        kind = "an extensive-form game (EFG)" if want == ".efg" else "a strategic-form game (NFG)"
        raise ModelFileError(f"the file holds {kind} but is named {suffix}", path=str(path), where="line 1",
                             fix=f"rename it to {path.stem}{want}")


def read_gambit(path: str | os.PathLike, *, max_entries: int = MAX_ENTRIES) -> NormalFormGame | GameTree:
    """Read a Gambit ``.nfg`` file as a :class:`NormalFormGame` or an ``.efg`` file as a :class:`GameTree`.

    Payoffs and chance probabilities come out exact. See the module docstring for how empty or
    repeated labels are named.

    Parameters
    ----------
    path : str or path-like
        A regular file of at most :data:`MAX_GAMBIT_BYTES` bytes.
    max_entries : int
        Budget of payoff entries (see :func:`parse_gambit`; default :data:`MAX_ENTRIES`).

    Raises
    ------
    ModelFileError
        Missing or unreadable file, not a regular file, a suffix that does not match the contents,
        a game past the budget, or a malformed file (naming the line and column and the fix).
    """
    p = Path(path)
    cap = _budget(max_entries)
    game = _parse(_read_bytes(p), str(p), cap)[0]
    _check_suffix(p, game)
    return game


def load_gambit_model(path: str | os.PathLike, *, max_entries: int = MAX_ENTRIES):
    """A :class:`~gametheory_ukraine.modelling.model.Model` holding the game in a Gambit file.

    The model has no parameters and no scenarios, one form (``normal`` for ``.nfg``,
    ``sequential`` for ``.efg``), the file's stem as its name, Gambit's title as its title
    (the stem if empty) and Gambit's comment as its description. Outcome labels come from
    Gambit's outcome labels. :meth:`Model.solve <gametheory_ukraine.modelling.model.Model.solve>` then
    gives every extreme equilibrium of a strategic form and the subgame-perfect equilibria of
    a tree.

    Parameters
    ----------
    path : str or path-like
        A regular file of at most :data:`MAX_GAMBIT_BYTES` bytes.
    max_entries : int
        Budget of payoff entries: strategy profiles x players for an ``.nfg``, tree nodes x players
        for an ``.efg`` (default :data:`MAX_ENTRIES`); a file declaring more is refused before
        anything of that size is built.

    Raises
    ------
    ModelFileError
        As :func:`read_gambit`.

    Examples
    --------
    >>> import tempfile, pathlib, gametheory_ukraine as gtu
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "entry.efg"
    >>> _ = write_gambit(gtu.load_model("chain-store").game("sequential"), out)
    >>> m = load_gambit_model(out)
    >>> m.name, list(m.forms), m.players
    ('entry', ['sequential'], ('Entrant', 'Incumbent'))
    >>> [e.outcome for e in m.solve()]
    ['entry accommodated']
    """
    p = Path(path)
    cap = _budget(max_entries)
    raw = _read_bytes(p)
    game, comment = _parse(raw, str(p), cap)
    _check_suffix(p, game)
    form = "sequential" if isinstance(game, GameTree) else "normal"
    title = game.title.strip() or p.stem
    meta = {"notes": f"Read from the Gambit file {p.name} ({'extensive' if form == 'sequential' else 'strategic'} "
                     "form): no parameters, no scenarios."}
    return Model(p.stem, title, comment.strip(), tuple(game.players), FrozenDict(), FrozenDict(),
                 FrozenDict({form: game}), path=str(p), sha256=hashlib.sha256(raw).hexdigest(),
                 meta=FrozenDict(meta))


# ===================================================================================================== pygambit
def to_pygambit(game: NormalFormGame | GameTree):
    """The same game as a :class:`pygambit.Game` (needs the ``gambit`` extra), exact numbers kept.

    Use it to run Gambit's own solvers (``pygambit.nash``, ``pygambit.qre``) on our games. Labels are
    made valid for Gambit as by :func:`write_gambit`; a label repeated by outcomes with different
    payoffs comes back from pygambit as ``label_1``, ``label_2``.

    Raises
    ------
    OptionalDependencyError
        If pygambit is not installed (the message names the extra).
    """
    gbt = _require_pygambit()
    text = gambit_text(game)
    reader = gbt.read_efg if isinstance(game, GameTree) else gbt.read_nfg
    return reader(io.StringIO(text))


def from_pygambit(game) -> NormalFormGame | GameTree:
    """Our game for a :class:`pygambit.Game` (a tree for an extensive game), through Gambit's own writer.

    Raises
    ------
    OptionalDependencyError
        If pygambit is not installed (the message names the extra).
    """
    _require_pygambit()
    text = game.to_efg() if game.is_tree else game.to_nfg()
    return parse_gambit(text, f"<pygambit game {game.title!r}>")

