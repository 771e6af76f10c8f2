"""Hostile Gambit files: nothing an ``.nfg`` or ``.efg`` file says may hang, crash or exhaust the machine.

Each class of hostile input has a regression test here: declared sizes past the budget (refused before
anything of that size is built), numbers too long or too large, control characters in labels, files
that are not regular files, malformed files of every kind. The commands run through
:mod:`bounded_gtu` (one child process, a memory cap and a per-command alarm), so a regression shows up
as a failed test rather than a stuck or exhausted machine. The last test fuzzes: seeded random headers,
bodies, truncations and byte mutations of valid files, every one run through ``gtu show`` and
``gtu solve`` in one batch.
"""

from __future__ import annotations

import os
import random
import re
import time
from fractions import Fraction
from pathlib import Path

import pytest
from bounded_gtu import assert_all_clean, run_gtu

import gametheory_ukraine as gtu
from gametheory_ukraine.core.errors import ModelFileError, ParameterError
from gametheory_ukraine.games.normal_form import NormalFormGame
from gametheory_ukraine.io.gambit import (
    MAX_COMMENT_CHARS,
    MAX_DIGITS,
    MAX_ENTRIES,
    MAX_EXPONENT,
    MAX_LABEL_CHARS,
    MAX_PLAYERS,
    efg_text,
    load_gambit_model,
    nfg_text,
    parse_gambit,
    read_gambit,
)

NFG2 = 'NFG 1 R "t" { "A" "B" }'
EFG2 = 'EFG 2 R "t" { "A" "B" } ""\n'


def _cases(tmp_path: Path, files: dict[str, str | bytes], commands=("show", "solve")) -> list[dict]:
    cases = []
    for name, text in files.items():
        path = tmp_path / name
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass"))
        cases += [{"argv": [command, str(path)]} for command in commands]
    return cases


def _one_line(outcome) -> str:
    assert outcome.status == 2, outcome.describe()
    assert outcome.clean, outcome.describe()
    return outcome.stderr.strip()


# ============================================================================== 1. declared sizes and budgets
def test_declared_sizes_past_the_budget_are_refused_before_anything_is_built(tmp_path):
    side = 1500
    files = {
        # 54 bytes that took 7.5 GB: counts of 12 digits in the payoff-list variant
        "huge.nfg": NFG2 + " { 999999999999 999999999999 }\n",
        # the outcome variant: strategy labels past the budget are refused while they are read
        "labels.nfg": NFG2 + " { { " + '"s" ' * 300_000 + '} { "x" "y" } }\n',
        # a 1,500 x 1,500 table with all its payoffs (9 MB): refused from its header
        "square.nfg": NFG2 + f" {{ {side} {side} }}\n" + "1 2 " * (side * side) + "\n",
        # 100,000 players (numpy allows at most 64 dimensions: an internal error before)
        "players.nfg": 'NFG 1 R "t" { ' + '"" ' * 100_000 + "} { " + '{ "a" } ' * 100_000 + "}\n",
        # a node with a million actions, and a tree with 300,000 nodes
        "actions.efg": EFG2 + 'p "" 1 1 "" { ' + '"a" ' * 1_000_000 + "} 0\n",
        "wide.efg": EFG2 + 'p "" 1 1 "" { ' + '"" ' * 300_000 + "} 0\n" + 't "" 0\n' * 300_000,
    }
    outcomes = run_gtu(_cases(tmp_path, files), seconds=20)
    assert_all_clean(outcomes, seconds=5)
    by_file = {Path(o.argv[1]).name: o for o in outcomes if o.argv[0] == "show"}
    for name, outcome in by_file.items():
        line = _one_line(outcome)
        assert f"{tmp_path / name}: line " in line, line
        if name != "players.nfg":
            assert f"budget of {MAX_ENTRIES}" in line and "max_entries" in line, line
    assert "declares 999999999998000000000001 strategy profiles" in by_file["huge.nfg"].stderr
    assert "1999999999996000000000002 payoff entries" in by_file["huge.nfg"].stderr
    assert "declares 2250000 strategy profiles" in by_file["square.nfg"].stderr
    assert f"more than {MAX_PLAYERS} players" in by_file["players.nfg"].stderr
    assert "at least" in by_file["labels.nfg"].stderr and "at least" in by_file["actions.efg"].stderr
    assert f"at least {MAX_ENTRIES // 2 + 1} nodes x 2 players" in by_file["wide.efg"].stderr
    assert all(o.seconds < 3 for o in outcomes), [o.describe() for o in outcomes]


def test_the_budget_is_a_keyword_and_counts_payoff_entries_exactly(tmp_path):
    two_by_two = NFG2 + " { 2 2 }\n1 2 3 4 5 6 7 8\n"           # 4 profiles x 2 players = 8 entries
    assert parse_gambit(two_by_two, max_entries=8).shape == (2, 2)
    with pytest.raises(ModelFileError) as info:
        parse_gambit(two_by_two, max_entries=7)
    assert info.value.where == "line 1, column 25" and "8 payoff entries" in info.value.message
    assert "budget of 7" in info.value.message and "max_entries" in info.value.fix
    tree = EFG2 + 'p "" 1 1 "" { "a" "b" } 0\nt "" 0\nt "" 0\n'    # 3 nodes x 2 players = 6 entries
    path = tmp_path / "tree.efg"
    path.write_text(tree)
    assert len(list(load_gambit_model(path, max_entries=6).forms["sequential"].nodes())) == 3
    with pytest.raises(ModelFileError, match="at least 3 nodes"):
        read_gambit(path, max_entries=5)
    for wrong in (0, -1, 2.5, "8", True):
        with pytest.raises(ParameterError, match="max_entries must be a positive whole number"):
            parse_gambit(two_by_two, max_entries=wrong)


def test_outcome_lists_and_player_counts_are_bounded():
    many = NFG2 + ' { { "x" } { "y" } } "" { ' + '{ "" 1 2 } ' * 50 + "} 1\n"
    with pytest.raises(ModelFileError, match=r"at least 21 outcomes .*budget of 40"):
        parse_gambit(many, max_entries=40)
    assert parse_gambit(many, max_entries=100).payoffs[0][0, 0] == 1
    players = 'NFG 1 R "t" { ' + " ".join(f'"P{k}"' for k in range(MAX_PLAYERS + 1)) + " }"
    with pytest.raises(ModelFileError, match=f"more than {MAX_PLAYERS} players"):
        parse_gambit(players + " { " + "1 " * (MAX_PLAYERS + 1) + "}\n1\n")


def test_long_labels_and_comments_are_refused(tmp_path):
    files = {
        # one word of a million characters: 'gtu show' wrapped it for minutes
        "comment.nfg": 'NFG 1 R "t" { "A" } { 1 } "' + "x" * 1_000_000 + '"\n1\n',
        # 4 MB of escaped quotes: the unescaping took seconds per megabyte
        "escapes.nfg": 'NFG 1 R "t" { "A" } { 1 } "' + '\\"' * 2_000_000 + '"\n1\n',
        "title.efg": 'EFG 2 R "' + "T" * 20_000 + '" { "A" "B" } ""\nt "" 1 "o" { 1, 2 }\n',
        "player.nfg": 'NFG 1 R "t" { "' + "P" * 20_000 + '" } { 1 }\n1\n',
    }
    outcomes = run_gtu(_cases(tmp_path, files, commands=("show",)), seconds=20)
    assert_all_clean(outcomes, seconds=3)
    for outcome, (name, limit) in zip(outcomes, [("comment.nfg", MAX_COMMENT_CHARS), ("escapes.nfg", MAX_COMMENT_CHARS),
                                                 ("title.efg", MAX_LABEL_CHARS), ("player.nfg", MAX_LABEL_CHARS)]):
        line = _one_line(outcome)
        assert f"{tmp_path / name}: line 1, column " in line and f"characters, more than {limit}" in line, line
        assert f"shorten it to at most {limit} characters" in line and len(line) < 400, line
    text = 'NFG 1 R "' + "T" * MAX_LABEL_CHARS + '" { "A" } { 1 } "' + "c" * MAX_COMMENT_CHARS + '"\n1\n'
    assert len(parse_gambit(text).title) == MAX_LABEL_CHARS


# ============================================================================== 2. numbers
def test_long_and_large_numbers_are_refused_with_a_digit_limit():
    head = 'NFG 1 R "t" { "A" } { 1 }\n'
    cases = {
        "1" * 5000: "too long: the number has 5000 characters",   # Python's int-to-string limit is 4300
        "1/" + "3" * 1001: "too long: the number has 1001 digits",
        "1e9999": "too large: the exponent 9999 is beyond",       # loaded before, then the solve's output failed
        "1e-9999": "too large: the exponent -9999 is beyond",
        "1e99999999999": "too large: the exponent 99999999999",   # refused before as "expected a number"
        "1/0": "divides by zero",
    }
    for number, message in cases.items():
        with pytest.raises(ModelFileError) as info:
            parse_gambit(head + number + "\n")
        error = info.value
        assert message in error.message and error.where == "line 2, column 1", (number, error)
        assert f"{MAX_DIGITS} digits" in error.fix or "denominator" in error.fix, error
        assert len(str(error)) < 400
    assert parse_gambit(head + "1e1000\n").payoffs[0][0] == 10**1000
    assert parse_gambit(head + "-1/" + "9" * MAX_DIGITS + "\n").payoffs[0][0] == Fraction(-1, 10**MAX_DIGITS - 1)
    # what our writer writes for the extreme floats still reads back exactly
    for value in (5e-324, 1.7976931348623157e308, -2.2250738585072014e-308, 0.1):
        game = NormalFormGame.from_arrays([[value]], [[0]], title="floats")
        assert parse_gambit(nfg_text(game)).payoffs[0][0, 0] == Fraction(repr(value))
    assert parse_gambit(head + "-1.5e-3\n").payoffs[0][0] == Fraction(-3, 2000)


def test_sums_formed_while_reading_are_bounded_too(tmp_path):
    # payoffs on a path add up: 20 coprime 900-digit denominators make an 18,000-digit one, past Python's
    # int-to-string limit of 4,300 digits (the solve's output ended in an internal error)
    base = 10**899
    path = "".join(f'p "" 1 {k + 1} "" {{ "a" }} {k + 1} "" {{ 1/{base + 2 * k + 1}, 0 }}\n' for k in range(20))
    deep = EFG2 + path + 't "" 0\n'
    # chance probabilities with such denominators: the message printed their 6,000-digit sum
    chance = EFG2 + 'c "" 1 "" { ' + " ".join(f'"a{k}" 1/{base + 2 * k + 1}' for k in range(20)) + " } 0\n" \
        + 't "" 0\n' * 20
    outcomes = run_gtu(_cases(tmp_path, {"deep.efg": deep, "chance.efg": chance}), seconds=20)
    assert_all_clean(outcomes, seconds=5)
    for outcome in outcomes:
        line = _one_line(outcome)
        assert f"would need more than {MAX_DIGITS + MAX_EXPONENT} digits exactly" in line, line
    # the third node's payoffs are the first sum past the limit; the chance node is refused as a whole
    assert "line 4, column 1: the payoffs accumulated along the path" in outcomes[0].stderr
    assert "line 2, column 1: the sum of the chance probabilities" in outcomes[2].stderr


# ============================================================================== 3. control characters
CONTROL = {  # file: (text, the character, what is named)
    "title.nfg": ('NFG 1 R "t\x1b[31mred" { "A" } { 1 }\n1\n', "\x1b", "game's title"),
    "player.nfg": ('NFG 1 R "t" { "A\x00" } { 1 }\n1\n', "\x00", "player names"),
    "strategy.nfg": ('NFG 1 R "t" { "A" } { { "x\x9b2J" } } "" { { "o" 1 } } 1\n', "\x9b", "strategy labels"),
    "outcome.nfg": ('NFG 1 R "t" { "A" } { { "x" } } "" { { "o\x7f" 1 } } 1\n', "\x7f", "outcome"),
    "comment.nfg": ('NFG 1 R "t" { "A" } { 1 } "c\x1b]0;pwn\x07" \n1\n', "\x1b", "comment"),
    "cr.efg": ('EFG 2 R "t" { "A" "B" } ""\nt "z\rspoof" 1 "o" { 1, 2 }\n', "\r", "node label"),
    "action.efg": ('EFG 2 R "t" { "A" "B" } ""\np "" 1 1 "" { "a\x08" } 0\nt "" 0\n', "\x08", "action label"),
}


def _place(text: str, char: str) -> str:
    offset = text.index(char)
    return f"line {text.count(chr(10), 0, offset) + 1}, column {offset - text.rfind(chr(10), 0, offset)}"


def test_control_characters_in_labels_are_refused_before_they_reach_a_terminal(tmp_path):
    files = {name: case[0] for name, case in CONTROL.items()}
    outcomes = run_gtu(_cases(tmp_path, files), seconds=20)
    assert_all_clean(outcomes, seconds=5)
    for outcome in outcomes:
        name = Path(outcome.argv[1]).name
        text, char, what = CONTROL[name]
        line = _one_line(outcome)
        assert outcome.stdout == "", outcome.describe()
        assert f"{tmp_path / name}: {_place(text, char)}: control character U+{ord(char):04X} in the " in line, line
        assert what in line and "(fix: remove it" in line, line
        assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", outcome.stderr), line
    # multi-line comments and titles are text (catalog games have them); a Windows line end is a line end
    crlf = 'NFG 1 R "two\r\nlines" { "A" } { 1 } "a\r\n\tcomment"\r\n1\r\n'
    assert parse_gambit(crlf).title == "two\nlines"
    assert load_comment(tmp_path, crlf) == "a\n\tcomment"
    with pytest.raises(ModelFileError, match=r"U\+D800 in the player names"):
        parse_gambit('NFG 1 R "t" { "\ud800" } { 1 }\n1\n')


def load_comment(tmp_path: Path, text: str) -> str:
    path = tmp_path / "crlf.nfg"
    path.write_bytes(text.encode())
    return load_gambit_model(path).description


# ============================================================================== 4. everything else
def test_files_that_are_not_regular_files_are_refused_without_reading(tmp_path):
    fifo = tmp_path / "pipe.nfg"
    os.mkfifo(fifo)
    zero = tmp_path / "zero.efg"
    zero.symlink_to("/dev/zero")
    outcomes = run_gtu([{"argv": ["show", str(fifo)]}, {"argv": ["solve", str(fifo)]}], seconds=10)
    assert_all_clean(outcomes, seconds=3)
    for outcome in outcomes:
        line = _one_line(outcome)
        assert "not a regular file" in line and outcome.argv[1] in line, line
    for path in (fifo, zero):
        for load in (read_gambit, load_gambit_model):
            start = time.perf_counter()
            with pytest.raises(ModelFileError, match="not a regular file"):
                load(path)
            assert time.perf_counter() - start < 1


MALFORMED = [
    # (text, place, message): every one a clean refusal, naming the place
    (b'NFG 1 R "t" { "A" }\n{ 1 } "\xff"\n1\n', "line 2, column 8", "not UTF-8"),
    (NFG2 + ' { { "x" } { "y" } } "" { { "" 1,, 2 } } 1\n', "line 1, column 57", "comma"),
    (NFG2 + ' { { "x" } { "y" } } "" { { "" , 1 2 } } 1\n', "line 1, column 55", "comma"),
    (NFG2 + ' { { "x" } { "y" } } "" { { "" 1 2 3 } } 1\n', "line 1, column 59", "3 payoffs for 2 players"),
    (NFG2 + " { 1 1 1 }\n1 2\n", "line 1, column 31", "more players"),
    (NFG2 + " { 2 2 }\n\n1 2 3\n", "line 3, column 1", "declares 4 strategy profiles"),
    (EFG2 + "x" * 100_000 + "\n", "line 2, column 1", "expected a node"),
    (EFG2 + 'p "" 1 1 "' + "L" * 5_000 + '" { "a" } 0\nt "" 0\np "" 1 1 "other" { "a" } 0\nt "" 0\n',
     "line 4, column 1", "after the last node"),
    (EFG2 + 'c "" 1 "" { "a" 1/2, "b" 1/2 } 0\nt "" 0\nt "" 0\n', None, None),   # Gambit's commas are fine
    ("{" * 100_000, "line 1, column 1", "not a Gambit game file"),
    (EFG2 + 'p "" 1 1 "" { "a" "b" ', "line 2, column 23", "found the end of the file"),
    (NFG2 + ' { { "x', "line 1, column 29", "not closed"),
]


@pytest.mark.parametrize("text, where, message", MALFORMED, ids=[str(k) for k in range(len(MALFORMED))])
def test_malformed_files_are_one_short_clean_error(text, where, message):
    if message is None:
        parse_gambit(text)
        return
    with pytest.raises(ModelFileError) as info:
        parse_gambit(text, "x.efg")
    error = info.value
    assert message in error.message and error.where.startswith(where) and error.fix, str(error)
    assert len(str(error)) < 400, str(error)[:500]


def test_the_deepest_tree_allowed_is_shown_solved_and_exported(tmp_path):
    depth = 399
    # no ties: every terminal pays each player something different
    tree = EFG2 + "".join(f'p "" {k % 2 + 1} {k + 1} "" {{ "a" "b" }} 0\nt "" {k + 1} "" {{ {k}, {-k} }}\n'
                          for k in range(depth)) + 't "" 0\n'
    path = tmp_path / "deep.efg"
    path.write_text(tree)
    outcomes = run_gtu([{"argv": [c, str(path)]} for c in ("show", "solve")]
                       + [{"argv": ["export", str(path), "--to", "efg", "-o", str(tmp_path / "out.efg")]}])
    assert_all_clean(outcomes)
    assert all(o.status == 0 for o in outcomes), [o.describe() for o in outcomes]
    back, original = parse_gambit((tmp_path / "out.efg").read_text()), parse_gambit(tree)
    assert [(type(n), getattr(n, "payoffs", None)) for n in back.nodes()] \
        == [(type(n), getattr(n, "payoffs", None)) for n in original.nodes()]


# ============================================================================== 5. fuzzing
def _valid_files() -> list[tuple[str, str]]:
    out = []
    for name in gtu.list_models():
        model = gtu.load_model(name)
        for form, game in model.forms.items():
            if getattr(game, "kind", "numeric") == "symbolic":
                game = model.game(form, exact=True)
            if form == "sequential":
                out.append((f"{name}.efg", efg_text(game)))
            elif form == "normal":
                out.append((f"{name}.nfg", nfg_text(game)))
    return out


COUNTS = ["0", "-1", "999999999999", "4294967296", "1e3", "1.5", "x", "{", "}", '""', ",", ""]
NUMBERS = ["1/0", "1e9999", "1e-9999", "9" * 5000, "1/" + "7" * 1001, "1e1000", "-1e-1000", "0." + "0" * 500 + "1",
           "-", ".", "1/2/3", "1e", "e5", "0x10", "nan", "inf", "1_000", "\u0661", "--1", "+1", "1,,2", ",", "1e+0400",
           "1" * 999 + "e1", "123456789/987654321", "-0.000001e-990"]
TEXTS = ['"\x1b[2J"', '"\x00"', '"\ud800"', '"\x9b"', '"\x7f"', '"a\\"', '"', '"\\', "{", "}" * 50, "{" * 5000, "",
         '"' + "L" * 10_000 + '"', '"\u202e"', '"\t\n"']


def _hostile(rng: random.Random, valid: list[tuple[str, str]]) -> tuple[str, bytes]:
    """One hostile file (its name, its bytes): mostly well-formed, with hostile parts mixed in."""
    hostility = rng.choice([0.02, 0.05, 0.1, 0.2])

    def pick(good: list[str], bad: list[str], p: float = 1.0) -> str:
        return rng.choice(bad) if rng.random() < p * hostility else rng.choice(good)

    label = lambda: pick(['"s"', '""', '"a b"', '"\\"quoted\\""'], TEXTS)  # noqa: E731
    number = lambda: pick(["0", "1", "-2", "1/3", "0.05", "2.5e-3", "7"], NUMBERS)  # noqa: E731
    count = lambda: pick(["1", "2", "3"], COUNTS)  # noqa: E731
    kind = rng.randrange(6)
    if kind == 0:  # .nfg payoff lists: hostile player lists, counts and numbers
        n = rng.choice([1, 2, 2, 3, MAX_PLAYERS + 1])
        players = " ".join(label() for _ in range(n))
        shape = [count() for _ in range(n + rng.choice([0, 0, 0, 1, -1]))]
        size = 1
        for m in shape:
            size *= int(m) if m.isdigit() and len(m) < 4 else 1
        entries = size * n if size * n < 1000 else rng.randrange(1000)
        body = " ".join(number() for _ in range(entries + rng.choice([0, 0, 0, 1, -1])))
        return "h.nfg", f'NFG 1 R {label()} {{ {players} }} {{ {" ".join(shape)} }}\n{body}\n'.encode(
            "utf-8", "surrogatepass")
    if kind == 1:  # .nfg outcome lists
        rows = rng.randrange(1, 4)
        strategies = " ".join(label() for _ in range(rows))
        outs = " ".join("{ " + label() + " " + ", ".join(number() for _ in range(rng.choice([2, 2, 2, 1, 3]))) + " }"
                        for _ in range(rng.randrange(4)))
        idx = " ".join(count() for _ in range(rows + rng.choice([0, 0, 1, -1])))
        return "o.nfg", f'NFG 1 R "t" {{ "A" "B" }} {{ {{ {strategies} }} {{ "y" }} }} {label()} {{ {outs} }} {idx}\n' \
            .encode("utf-8", "surrogatepass")
    if kind == 2:  # .efg bodies: nodes of every kind with hostile fields
        lines = []
        for _ in range(rng.randrange(1, 12)):
            node = pick(["p", "c", "t"], ["q", "", "{", "P"], 0.5)
            acts = rng.randrange(1, 3)
            if node == "t":
                fields = [label(), count(), label(), "{ " + ", ".join(number() for _ in range(2)) + " }"]
            elif node == "c":
                branches = " ".join(f"{label()} {pick(['1/2', '1/3', '1'], NUMBERS)}" for _ in range(acts))
                fields = [label(), count(), label(), "{ " + branches + " }", "0"]
            else:
                fields = [label(), pick(["1", "2"], COUNTS), count(), label(),
                          "{ " + " ".join(label() for _ in range(acts)) + " }", pick(["0"], COUNTS)]
            cut = len(fields) if rng.random() > hostility else rng.randrange(len(fields))
            lines.append(node + " " + " ".join(fields[:cut]))
        return "e.efg", (EFG2 + "\n".join(lines) + "\n").encode("utf-8", "surrogatepass")
    name, text = rng.choice(valid)
    data = bytearray(text.encode())
    if kind == 3:  # truncation
        return name, bytes(data[: rng.randrange(len(data))])
    if kind == 4:  # byte mutations
        for _ in range(rng.randrange(1, 6)):
            at = rng.randrange(len(data))
            data[at] = rng.choice([rng.randrange(256), ord("{"), ord("}"), ord('"'), ord("9"), ord(" "), 0, 0x1b])
        return name, bytes(data)
    # token splices: a hostile token in place of one of the file's tokens
    tokens = text.split(" ")
    tokens[rng.randrange(len(tokens))] = rng.choice(NUMBERS + COUNTS + TEXTS)
    return name, " ".join(tokens).encode("utf-8", "surrogatepass")


def test_fuzzed_gambit_files_end_cleanly(tmp_path):
    rng = random.Random(20251203)
    valid = _valid_files()
    cases = []
    for k in range(150):
        name, data = _hostile(rng, valid)
        path = tmp_path / f"{k:03d}-{name}"
        path.write_bytes(data)
        cases += [{"argv": ["show", str(path)]}, {"argv": ["solve", str(path)]}]
    start = time.perf_counter()
    outcomes = run_gtu(cases, seconds=20)
    assert_all_clean(outcomes, seconds=5)
    assert len(outcomes) == len(cases)
    assert time.perf_counter() - start < 60
    refused = [o for o in outcomes if o.status == 2]
    assert len(refused) > len(outcomes) // 2    # the generator does produce hostile files
    for outcome in refused:
        assert outcome.argv[1] in outcome.stderr, outcome.describe()


def test_the_command_line_names_and_honours_max_size(tmp_path):
    """Refused past the default budget with --max-size named as the fix; admitted with --max-size raised."""
    side = 400  # 160,000 profiles x 2 players = 320,000 entries > MAX_ENTRIES
    body = " ".join(f"{(i * 7 + j) % 5} {(i + 3 * j) % 4}" for j in range(side) for i in range(side))
    path = tmp_path / "big.nfg"
    path.write_text(NFG2 + f" {{ {side} {side} }}\n{body}\n", encoding="utf-8")
    cases = [{"argv": ["show", str(path)]}, {"argv": ["show", str(path), "--max-size", "320000"]},
             {"argv": ["show", str(path), "--max-size", "319999"]}]
    refused, shown, short = run_gtu(cases, seconds=60)
    line = _one_line(refused)
    assert "320000 payoff entries" in line and f"budget of {MAX_ENTRIES}" in line and "--max-size" in line, line
    assert shown.status == 0 and "big" in shown.stdout, shown.describe()
    assert "budget of 319999" in _one_line(short)
