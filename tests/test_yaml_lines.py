"""The YAML reader: libyaml's scanner and parser under the package's composer give exactly what the pure-Python
reader gives (values, the line of every key and item), and a refusal is worded as the pure-Python reader words it."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from gametheory_ukraine.io import yaml_lines
from gametheory_ukraine.io.yaml_lines import load_yaml_with_lines

ROOT = Path(__file__).resolve().parent.parent
MODELS = sorted((ROOT / "models").glob("*.yaml"))


def _with_lines(value):
    """The value with every mapping's and list's line numbers, for comparing two readers."""
    if isinstance(value, dict):
        return ("map", value.line, dict(value.key_lines), {k: _with_lines(v) for k, v in value.items()})
    if isinstance(value, list):
        return ("list", value.line, list(value.item_lines), [_with_lines(v) for v in value])
    return (type(value).__name__, value)


def test_libyaml_is_used():
    assert yaml_lines.CParser is not None and yaml_lines._FastLoader is not yaml_lines._Loader


@pytest.mark.parametrize("path", MODELS, ids=lambda p: p.stem)
def test_both_readers_give_the_same_values_and_lines(path):
    text = path.read_text(encoding="utf-8")
    fast = yaml.load(text, Loader=yaml_lines._FastLoader)  # noqa: S506 - the package's safe loaders
    slow = yaml.load(text, Loader=yaml_lines._Loader)  # noqa: S506
    assert _with_lines(fast) == _with_lines(slow)
    assert _with_lines(load_yaml_with_lines(text)) == _with_lines(slow)


@pytest.mark.parametrize("text, words", [
    ('a: "\\udcff"\n', "U+DCFF"),            # libyaml says "invalid Unicode character escape code"
    ("a: 1\na: 2\n", "duplicate key 'a'"),
    ("a: &x 1\nb: *x\n", "aliases (*name) are not allowed"),
    ("a: [1, 2\n", "line"),
])
def test_refusals_are_worded_as_the_pure_python_reader_words_them(text, words):
    with pytest.raises(yaml.YAMLError) as fast:
        load_yaml_with_lines(text)
    with pytest.raises(yaml.YAMLError) as slow:
        yaml.load(text, Loader=yaml_lines._Loader)  # noqa: S506
    assert str(fast.value) == str(slow.value)
    assert words in str(fast.value)
