"""The hostile commands, end to end: each ends within 20 s and 2 GB with a result or one clean line.

Every command below was once a hang, an exhausted machine, an internal error or a raw traceback. They
all run in one child process under a memory cap, each under an alarm (``tests/bounded_gtu.py``); a
case passes when it exits 0 with a result, or 2 with exactly one ``gtu:`` line that names the problem,
is at most 1,000 characters long and carries no terminal escape. Focused regression tests for each
class (with the exact messages) live beside the code's own tests; this file is the catalogue as a
user would type it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from bounded_gtu import assert_all_clean, run_gtu

TINY = """\
name: tiny
title: {title}
players: [Row, Col]
parameters:
  a: {{symbol: a, default: {default}, low: 0, high: 2, description: a payoff, source: "hand-made for tests"}}
forms:
  normal:
    actions: {{Row: [U, D], Col: [L, R]}}
    payoffs:
      - {{play: {{Row: U, Col: L}}, payoffs: {{Row: "{payoff}", Col: 1}}}}
      - {{play: {{Row: U, Col: R}}, payoffs: {{Row: 0, Col: 0}}}}
      - {{play: {{Row: D, Col: L}}, payoffs: {{Row: 0, Col: 0}}}}
      - {{play: {{Row: D, Col: R}}, payoffs: {{Row: 1, Col: a}}}}
"""


def tiny(title: str = "tiny", default: str = "1", payoff: str = "a") -> str:
    return TINY.format(title=title, default=default, payoff=payoff)


def nfg(n_rows: int, n_cols: int, payoff) -> str:
    """A two-player Gambit strategic form with payoffs ``payoff(i, j) -> (u1, u2)`` (payoff-list variant)."""
    body = []
    for j in range(n_cols):  # Gambit lists profiles with the first player's strategy changing fastest
        for i in range(n_rows):
            body.extend(payoff(i, j))
    return f'NFG 1 R "g" {{ "A" "B" }} {{ {n_rows} {n_cols} }}\n\n' + " ".join(map(str, body)) + "\n"


def nfg3(k: int) -> str:
    body = [(i * 7 + j * 3 + m * 5 + q) % 11 for m in range(k) for j in range(k) for i in range(k) for q in range(3)]
    return f'NFG 1 R "g3" {{ "A" "B" "C" }} {{ {k} {k} {k} }}\n\n' + " ".join(map(str, body)) + "\n"


def binary_tree(depth: int) -> str:
    """A perfect-information tree with 2**(depth+1) - 1 nodes, two players alternating, no ties anywhere on [0, 2]."""
    lines = ["name: big-tree", "title: a big tree", "players: [A, B]", "parameters:",
             "  a: {symbol: a, default: 1, low: 0, high: 2, description: a payoff, source: hand-made for tests}",
             "forms:", "  sequential:", "    root: n1", "    nodes:"]
    for k in range(1, 2 ** (depth + 1)):
        if k < 2 ** depth:
            player = "A" if (k.bit_length() % 2) else "B"
            lines.append(f"      n{k}: {{player: {player}, actions: {{l: n{2 * k}, r: n{2 * k + 1}}}}}")
        else:
            lines.append(f"      n{k}: {{payoffs: {{A: \"a*{k % 7}/1000 + {k}\", B: {(k * 7919) % 8209}}}}}")
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory):
    d = tmp_path_factory.mktemp("hostile")
    files = {
        "huge-strategies.nfg": 'NFG 1 R "x" { "A" "B" } { 999999999999 999999999999 }\n',
        "power.yaml": tiny(payoff="((((9**64)**64)**64)**64)**64"),
        "power-default.yaml": tiny(default='"((((9**64)**64)**64)**64)**64"'),
        "long-sum.yaml": tiny(payoff="+".join(["a"] * 999)),
        "unary.yaml": tiny(payoff="-" * 1990 + "a"),
        "log-negative.yaml": tiny(payoff="log(a - 5)"),
        "sqrt-negative.yaml": tiny(payoff="sqrt(a - 5)"),
        "inf-literal.yaml": tiny(payoff="a*1e999"),
        "tiny-literal.yaml": tiny(payoff="a*1e-999"),
        "inf-default.yaml": tiny(default=".inf"),
        "nan-default.yaml": tiny(default=".nan"),
        "big-int.yaml": tiny(payoff="a*" + "9" * 5000),
        "escape-title.yaml": tiny(title='"\\e]0;pwned\\a\\e[31mred"'),
        "surrogate.yaml": tiny(title='"\\uDCFF"'),
        "deep.yaml": "a: " + "[" * 500 + "]" * 500 + "\n",
        "big-int.nfg": nfg(2, 2, lambda i, j: ("9" * 5000, 1)),
        "12x12.nfg": nfg(12, 12, lambda i, j: ((i * 5 + j * 7) % 13, (i * 3 + j * 11) % 17)),
        "16x16.nfg": nfg(16, 16, lambda i, j: ((i * 5 + j * 7) % 13, (i * 3 + j * 11) % 17)),
        "40x40-constant.nfg": nfg(40, 40, lambda i, j: (1, 1)),
        "3p-4.nfg": nfg3(4),
        "3p-20.nfg": nfg3(20),
        "tree-8191.yaml": binary_tree(12),
        "tree-16383.yaml": binary_tree(13),
    }
    for name, text in files.items():
        (d / name).write_text(text, encoding="utf-8", errors="surrogateescape")
    (d / "cycle.yaml").write_text(
        tiny().split("forms:")[0] + "forms:\n  sequential:\n    root: r\n    nodes:\n"
        "      r: {player: Row, actions: {go: t}}\n      t: {payoffs: {Row: 1, Col: 1}}\n"
        "      x: {player: Col, actions: {on: y}}\n      y: {player: Row, actions: {back: x}}\n", encoding="utf-8")
    (d / "zero.yaml").symlink_to("/dev/zero")
    os.mkfifo(d / "fifo.yaml")
    (d / "game-1500.nfg").write_text(nfg(1500, 1500, lambda i, j: ((i + j) % 3, (i * j) % 5)), encoding="utf-8")

    def f(name):
        return str(d / name)

    sweep = ["sweep", "territory", "--form", "sequential", "-o", f("out.parquet")]
    cases = [
        ["show", f("huge-strategies.nfg")],
        ["show", "/dev/zero"], ["show", f("zero.yaml")], ["show", "/dev/urandom"], ["show", f("fifo.yaml")],
        ["solve", f("power.yaml")], ["show", f("power-default.yaml")],
        ["solve", "territory", "-p", "rho=1e999999999"], ["solve", "territory", "-p", "rho=1e-999999999"],
        ["solve", "territory", "-p", "rho=" + "1" * 100_000],
        [*sweep, "-p", "rho=0.01:0.5", "--method", "lhs", "--samples", "1073741824", "--seed", "1"],
        [*sweep, "-p", "rho=0.01:0.5", "--method", "mc", "--samples", "1000000000", "--seed", "1"],
        [*sweep, "-p", "rho=0.01:0.5:1000000000000"],
        [*sweep, "-p", "rho=0.01:0.5:1000000", "-p", "p=0.1:0.9:1000000"],
        ["thresholds", "territory", "--param", "rho", "--grid", "1000000000"],
        ["sensitivity", "territory", "--kind", "sobol", "--form", "sequential", "--samples", str(2 ** 30)],
        ["sensitivity", "territory", "--kind", "sobol", "--form", "sequential", "--samples", "8", "--seed", "-1"],
        [*sweep, "-p", "rho=0.01:0.5:11", "--workers", "0"],
        ["solve", f("12x12.nfg")], ["solve", f("16x16.nfg")], ["solve", f("40x40-constant.nfg")],
        ["solve", f("3p-4.nfg")], ["solve", f("3p-20.nfg")], ["solve", f("game-1500.nfg")],
        ["solve", f("long-sum.yaml")], ["solve", f("unary.yaml")], ["show", f("deep.yaml")],
        ["solve", f("big-int.yaml")], ["solve", f("big-int.nfg")],
        ["solve", f("log-negative.yaml")], ["solve", f("sqrt-negative.yaml")],
        ["solve", f("inf-literal.yaml")], ["solve", f("tiny-literal.yaml")],
        ["solve", f("inf-default.yaml")], ["solve", f("nan-default.yaml")],
        ["show", f("escape-title.yaml")], ["show", f("surrogate.yaml")], ["show", f("cycle.yaml")],
        ["export", f("tree-16383.yaml"), "--to", "png", "-o", f("tree.png")],
        ["sweep", f("tree-8191.yaml"), "-p", "a=0:2:1000", "-o", f("tree.parquet")],
    ]
    return run_gtu([{"argv": argv, "cwd": str(d)} for argv in cases]), d


def test_every_hostile_command_ends_cleanly_within_the_limits(outcomes):
    results, _ = outcomes
    assert_all_clean(results)


def test_nothing_from_a_file_reaches_the_terminal_raw(outcomes):
    results, _ = outcomes
    for o in results:
        for text in (o.stdout, o.stderr):
            assert "\x1b" not in text and "\x07" not in text and "\x00" not in text, o.describe()


def test_refusals_say_what_to_do(outcomes):
    results, _ = outcomes
    for o in results:
        if o.status == 2:
            assert "fix:" in o.stderr or "--" in o.stderr, o.describe()


def test_refused_commands_leave_no_output_behind(outcomes):
    results, d = outcomes
    refused_outputs = {Path(a).name for o in results if o.status != 0 for a in o.argv
                       if a.endswith((".parquet", ".png"))}
    left = {p.name for p in d.iterdir()} & refused_outputs
    assert not left
    assert not [p.name for p in d.iterdir() if p.name.endswith(".part")]
