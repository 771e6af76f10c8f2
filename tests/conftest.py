"""Shared fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# A 3-player game with symbolic payoffs and a stated 3-player normal form (Ukraine 2 x Russia 2 x Europe 3): the
# previous version of the guarantees model, kept as a test fixture. Load it with gtu.load_model(THREE_PLAYER).
THREE_PLAYER = ROOT / "tests" / "data" / "three-player-guarantee.yaml"


# A 2 x 2 game whose payoff log(r - 1) is complex for r < 1 and undefined at r = 1 (for errors at sweep points).
LOG_MODEL = """name: logm
title: log model
players: [A, B]
parameters:
  r: {default: 2, low: 0, high: 3, description: r, source: test}
forms:
  normal:
    actions: {A: [u, d], B: [l, r]}
    payoffs:
      - {play: {A: u, B: l}, payoffs: {A: log(r - 1), B: 1}}
      - {play: {A: u, B: r}, payoffs: {A: 0, B: 0}}
      - {play: {A: d, B: l}, payoffs: {A: 0, B: 0}}
      - {play: {A: d, B: r}, payoffs: {A: 1, B: 1}}
"""


@pytest.fixture
def write_model(tmp_path):
    """Write YAML text to a model file in a temporary folder and return its path."""

    def _write(text: str, name: str = "m.yaml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return _write


MINIMAL = """\
name: tiny
title: A tiny game
players: [Row, Col]
parameters:
  a:
    symbol: a
    default: 1
    low: 0
    high: 2
    description: a payoff
    source: "hand-made for tests"
forms:
  normal:
    actions:
      Row: [U, D]
      Col: [L, R]
    payoffs:
      - play: {Row: U, Col: L}
        payoffs: {Row: a, Col: 1}
      - play: {Row: U, Col: R}
        payoffs: {Row: 0, Col: 0}
      - play: {Row: D, Col: L}
        payoffs: {Row: 0, Col: 0}
      - play: {Row: D, Col: R}
        payoffs: {Row: 1, Col: a}
"""
