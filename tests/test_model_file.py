"""Model files: the bundled example loads; every kind of bad file gets one clear message naming the
file, the line/place and the fix; a file carrying code is refused without running it."""

from __future__ import annotations

from fractions import Fraction

import pytest
import sympy
from conftest import MINIMAL

import gametheory_ukraine as gtu
from gametheory_ukraine.core.errors import ModelFileError
from gametheory_ukraine.games.tree import Decision, Terminal

TREE = """\
name: tree
title: A tree
players: [A, B]
parameters:
  q:
    symbol: q
    default: 1/2
    low: 0
    high: 1
    description: a probability
    source: "hand-made for tests"
forms:
  sequential:
    root: start
    nodes:
      start:
        player: A
        actions: {left: coin, right: b_move}
      coin:
        chance:
          heads: {probability: q, next: t1}
          tails: {probability: 1 - q, next: t2}
      b_move:
        player: B
        actions: {x: t3, y: t4}
      t1: {payoffs: {A: 1, B: 0}, outcome: "heads"}
      t2: {payoffs: {A: 0, B: 1}}
      t3: {payoffs: {A: 2, B: 2}}
      t4: {payoffs: {A: -1, B: 3}}
"""


def test_minimal_model_loads(write_model):
    m = gtu.load_model(write_model(MINIMAL))
    assert m.name == "tiny" and m.players == ("Row", "Col")
    p = m.parameters["a"]
    assert (p.default, p.low, p.high, p.source) == (1, 0, 2, "hand-made for tests")
    game = m.symbolic("normal")
    assert game.kind == "symbolic" and game.parameters == ("a",)
    assert game.payoffs[0][0, 0] == sympy.Symbol("a")
    num = m.game("normal", a="1/2")
    assert num.kind == "exact" and num.payoffs[0][0, 0] == Fraction(1, 2)
    assert m.game("normal", a=0.5).kind == "float"


def test_tree_model_loads(write_model):
    m = gtu.load_model(write_model(TREE))
    tree = m.game("sequential")
    assert isinstance(tree.root, Decision) and tree.root.actions == ("left", "right")
    coin = tree.root.children[0]
    assert coin.probabilities == (Fraction(1, 2), Fraction(1, 2))
    assert isinstance(coin.children[0], Terminal) and coin.children[0].outcome == "heads"
    assert m.game("sequential", q="1/4").root.children[0].probabilities == (Fraction(1, 4), Fraction(3, 4))


def _bad(write_model, text):
    with pytest.raises(ModelFileError) as info:
        gtu.load_model(write_model(text))
    return str(info.value)


@pytest.mark.parametrize("old, new, fragments", [
    # malformed YAML: the line is named
    ("players: [Row, Col]", "players: [Row, Col", ["not valid YAML", "line"]),
    ("    high: 2\n", "    high: 2\n   bad indent: 1\n", ["not valid YAML", "line"]),
    # unknown key, missing key
    ("title: A tiny game", "title: A tiny game\ntitel: typo", ["unknown key 'titel'", "line 3", "allowed keys"]),
    ("    source: \"hand-made for tests\"\n", "", ["missing key 'source'", "parameters.a", "fix:"]),
    # ranges
    ("    default: 1\n", "    default: 5\n", ["default 5 lies outside [low, high] = [0, 2]", "line 7"]),
    ("    low: 0\n", "    low: 3\n", ["low (3) is greater than high (2)", "fix: swap them"]),
    ("    default: 1\n", "    default: lots\n", ["default must be a number", "parameters.a.default"]),
    # expressions outside the whitelist / unknown parameter
    ("payoffs: {Row: a, Col: 1}", "payoffs: {Row: a + b, Col: 1}", ["unknown name 'b'", "line 19",
                                                                      "payoffs[0].payoffs.Row"]),
    ("payoffs: {Row: a, Col: 1}", "payoffs: {Row: \"a.real\", Col: 1}", ["Attribute is not allowed"]),
    # missing payoff: a profile, and a player's entry
    ("      - play: {Row: D, Col: R}\n        payoffs: {Row: 1, Col: a}\n", "",
     ["missing payoff for profile(s): D / R", "forms.normal.payoffs", "one entry per profile"]),
    ("payoffs: {Row: 1, Col: a}", "payoffs: {Row: 1}", ["missing payoff for 'Col'"]),
    ("play: {Row: D, Col: R}", "play: {Row: D, Col: X}", ["'X' is not an action of 'Col'", "actions of Col: L, R"]),
    ("play: {Row: D, Col: R}", "play: {Row: D, Col: L}", ["this profile is given twice"]),
    ("name: tiny", "name: Tiny Model", ["model name 'Tiny Model'"]),
    ("players: [Row, Col]", "players: [Row, Row]", ["player names must be distinct"]),
    ("forms:\n", "forms:\n  extensive: {}\n", ["unknown form 'extensive'", "use 'normal' or 'sequential'"]),
])
def test_bad_minimal_files(write_model, old, new, fragments):
    assert old in MINIMAL
    msg = _bad(write_model, MINIMAL.replace(old, new, 1))
    assert "m.yaml" in msg  # the file is named
    for fragment in fragments:
        assert fragment in msg, (fragment, msg)


@pytest.mark.parametrize("old, new, fragments", [
    ("actions: {x: t3, y: t4}", "actions: {x: t3, y: t1}", ["node 't1' has two parents", "not a tree"]),
    ("actions: {x: t3, y: t4}", "actions: {x: t3, y: start}", ["root 'start' cannot be a child"]),
    ("actions: {x: t3, y: t4}", "actions: {x: t3, y: nowhere}", ["next node 'nowhere' does not exist"]),
    ("      t4: {payoffs: {A: -1, B: 3}}\n", "      t4: {payoffs: {A: -1, B: 3}}\n      t5: {payoffs: {A: 0, B: 0}}\n",
     ["never reached from the root: t5", "connect them or delete them"]),
    ("      t2: {payoffs: {A: 0, B: 1}}", "      t2: {payoffs: {A: 0}}", ["missing payoff for 'B'"]),
    ("      t2: {payoffs: {A: 0, B: 1}}", "      t2: {outcome: x}", ["exactly one of 'player'"]),
    ("player: B", "player: C", ["unknown player 'C'", "players are: A, B"]),
    ("probability: 1 - q", "probability: 2 - q", ["probabilities sum to 2, not 1", "fix: make the branch"]),
    ("probability: 1 - q", "probability: 1 - 2*q", ["probabilities sum to"]),
    ("root: start", "root: begin", ["root node 'begin' is not among the nodes"]),
])
def test_bad_tree_files(write_model, old, new, fragments):
    assert old in TREE
    msg = _bad(write_model, TREE.replace(old, new, 1))
    for fragment in fragments:
        assert fragment in msg, (fragment, msg)


def test_chance_probabilities_checked_at_defaults(write_model):
    text = TREE.replace("probability: q,", "probability: q + 3/4,")
    text = text.replace("probability: 1 - q", "probability: 1/4 - q")
    msg = _bad(write_model, text)
    assert "invalid at the defaults" in msg and "chance node 'coin'" in msg and "['1.25', '-0.25']" in msg


def test_cycle_is_not_a_tree(write_model):
    # b_move -> c2 -> b_move would need two parents for b_move; a pure cycle away from the root is
    # caught as unreachable; both say "not a tree" or "never reached".
    text = TREE.replace("actions: {x: t3, y: t4}", "actions: {x: t3, y: loop}") + \
        "      loop:\n        player: A\n        actions: {again: b_move}\n"
    msg = _bad(write_model, text)
    assert "two parents" in msg and "not a tree" in msg


def test_information_set_must_match(write_model):
    text = TREE.replace("player: B\n        actions: {x: t3, y: t4}",
                        "player: B\n        infoset: hB\n        actions: {x: t3, y: t4}")
    text = text.replace("      t1: {payoffs: {A: 1, B: 0}, outcome: \"heads\"}",
                        "      t1:\n        player: B\n        infoset: hB\n        actions: {z: t5, w: t6}\n"
                        "      t5: {payoffs: {A: 1, B: 0}}\n      t6: {payoffs: {A: 1, B: 0}}")
    msg = _bad(write_model, text)
    assert "information set 'hB'" in msg and "same player and the same actions" in msg


def test_scenario_checks(write_model):
    text = MINIMAL + "scenarios:\n  s1:\n    description: d\n    values: {a: 7}\n"
    assert "a=7 is outside [0, 2]" in _bad(write_model, text)
    text = MINIMAL + "scenarios:\n  s1:\n    description: d\n    values: {zz: 1}\n"
    assert "unknown parameter 'zz'" in _bad(write_model, text)


def test_python_tags_are_refused_without_running(write_model, tmp_path):
    marker = tmp_path / "pwned"
    text = MINIMAL.replace('source: "hand-made for tests"',
                           f"source: !!python/object/apply:os.system ['touch {marker}']")
    msg = _bad(write_model, text)
    assert "not valid YAML" in msg and "python/object/apply" in msg
    assert not marker.exists()


def test_code_in_a_payoff_is_refused_without_running(write_model, tmp_path):
    marker = tmp_path / "pwned"
    code = f"__import__('pathlib').Path('{marker}').touch()"
    msg = _bad(write_model, MINIMAL.replace("payoffs: {Row: a, Col: 1}", f"payoffs: {{Row: \"{code}\", Col: 1}}"))
    assert "calls are limited" in msg
    assert not marker.exists()


def test_aliases_are_refused(write_model):
    text = MINIMAL.replace("    default: 1\n", "    default: &x 1\n").replace("    high: 2\n", "    high: *x\n")
    assert "aliases" in _bad(write_model, text)


def test_not_a_mapping_and_unreadable(write_model, tmp_path):
    assert "must be a mapping" in _bad(write_model, "- just\n- a list\n")
    with pytest.raises(ModelFileError, match="no such file"):
        gtu.load_model(tmp_path / "missing.yaml")
    bad = tmp_path / "bin.yaml"
    bad.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(ModelFileError, match="not UTF-8"):
        gtu.load_model(bad)


def test_unknown_model_name_lists_the_known_ones():
    with pytest.raises(ModelFileError) as info:
        gtu.load_model("no-such-model")
    assert "no model named 'no-such-model'" in str(info.value) and "chain-store" in str(info.value)


def test_gtu_model_path(write_model, monkeypatch, tmp_path):
    write_model(MINIMAL, name="tiny.yaml")
    monkeypatch.setenv("GTU_MODEL_PATH", str(tmp_path))
    assert "tiny" in gtu.list_models() and "chain-store" in gtu.list_models()
    assert gtu.load_model("tiny").name == "tiny"
