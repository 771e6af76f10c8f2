"""Safe YAML loading that remembers line numbers, for error messages that point into the file.

A model file is data: besides refusing tags and aliases, the loader bounds the nesting depth (the
YAML composer recurses), the digits of integers (``int()`` of 5,000 digits fails), floats outside
the range of floating-point numbers or not finite (``.inf``, ``.nan``, ``1.0e-999``), and text with
control characters (terminal escape sequences, NUL) or lone surrogates.
"""

from __future__ import annotations

import math
import re
from typing import Any

import yaml

from ..core.numbers import MAX_DIGITS, check_number_text

try:  # libyaml, PyYAML's C scanner and parser (in PyYAML's wheels)
    from yaml.cyaml import CParser
except ImportError:  # pragma: no cover - PyYAML built without it
    CParser = None

__all__ = ["load_yaml_with_lines", "LineDict", "LineList", "MAX_MODEL_BYTES", "MAX_YAML_DEPTH",
           "UnsafeValueError", "CONTROL_CHARACTERS"]

#: Largest model file, in bytes (checked before the file is read whole).
MAX_MODEL_BYTES = 2_000_000

#: Deepest nesting of lists and mappings in a model file (the bundled models use 8).
MAX_YAML_DEPTH = 40

#: Characters never allowed in the text of a model file: C0 controls other than tab and line
#: feed, DEL, C1 controls and lone surrogates (``"\e[31m"``, ``"\0"``, ``"\udcff"`` in a quoted string).
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


class UnsafeValueError(yaml.MarkedYAMLError):
    """Well-formed YAML whose value a model file may not hold (the message says why, ``fix`` what to do)."""

    def __init__(self, problem: str, mark, fix: str) -> None:
        super().__init__(None, None, problem, mark)
        self.fix = fix


class LineDict(dict):
    """A dict that knows the line of each key (1-based) and its own start line."""

    line: int = 0
    key_lines: dict

    def line_of(self, key: Any) -> int:
        return self.key_lines.get(key, self.line)


class LineList(list):
    """A list that knows the line of each item (1-based) and its own start line."""

    line: int = 0
    item_lines: list

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if 0 <= index < len(self.item_lines) else self.line


class _Checks:
    """What both loaders add to PyYAML's safe loading: line numbers, no aliases, bounded depth and values."""

    _depth = 0

    def compose_node(self, parent, index):  # noqa: D401 - yaml API
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.constructor.ConstructorError(
                None, None, "aliases (*name) are not allowed in model files", event.start_mark)
        if self._depth >= MAX_YAML_DEPTH:
            raise UnsafeValueError(f"lists and mappings are nested more than {MAX_YAML_DEPTH} levels deep",
                                   self.peek_event().start_mark, fix="flatten the structure")
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_yaml_str(self, node):
        value = super().construct_yaml_str(node)
        bad = CONTROL_CHARACTERS.search(value)
        if bad:
            raise UnsafeValueError(f"control character U+{ord(bad.group()):04X} in a text",
                                   node.start_mark, fix="remove it: a model file holds plain text")
        return value

    def construct_yaml_int(self, node):
        text = self.construct_scalar(node)
        if len(text) > MAX_DIGITS:
            raise UnsafeValueError(f"an integer of {len(text)} characters, more than {MAX_DIGITS} digits",
                                   node.start_mark, fix="use a smaller number")
        return super().construct_yaml_int(node)

    def construct_yaml_float(self, node):
        text = self.construct_scalar(node)
        try:
            check_number_text(text)
        except ValueError as exc:
            raise UnsafeValueError(f"the number is too large: {exc}", node.start_mark,
                                   fix="use a smaller number") from None
        value = super().construct_yaml_float(node)
        if not math.isfinite(value):
            raise UnsafeValueError(f"{text.strip()[:20]} is not a finite number", node.start_mark,
                                   fix="give a finite number")
        if value != 0 and abs(value) < 2.2250738585072014e-308 or value == 0 and re.search(
                "[1-9]", re.split("[eE]", text)[0]):
            raise UnsafeValueError(f"{text.strip()[:40]} is too small for a floating-point number",
                                   node.start_mark, fix="quote it (\"1e-999\") to have it read exactly")
        return value

    def construct_mapping(self, node, deep=False):
        if not isinstance(node, yaml.MappingNode):
            raise yaml.constructor.ConstructorError(None, None, "expected a mapping", node.start_mark)
        result = LineDict()
        result.line = node.start_mark.line + 1
        result.key_lines = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                hash(key)
            except TypeError:
                raise yaml.constructor.ConstructorError(
                    "while constructing a mapping", node.start_mark, "found an unhashable key",
                    key_node.start_mark) from None
            if key in result:
                raise yaml.constructor.ConstructorError(
                    "while constructing a mapping", node.start_mark, f"duplicate key {key!r}", key_node.start_mark)
            result[key] = self.construct_object(value_node, deep=True)
            result.key_lines[key] = key_node.start_mark.line + 1
        return result

    def construct_sequence(self, node, deep=False):
        result = LineList(self.construct_object(child, deep=True) for child in node.value)
        result.line = node.start_mark.line + 1
        result.item_lines = [child.start_mark.line + 1 for child in node.value]
        return result


class _Loader(_Checks, yaml.SafeLoader):
    """SafeLoader (no Python objects, no code) with the checks: the pure-Python reader."""


if CParser is not None:
    class _FastLoader(_Checks, yaml.composer.Composer, CParser, yaml.constructor.SafeConstructor,
                      yaml.resolver.Resolver):
        """The same loader with libyaml's scanner and parser (C) under Python's composer, so that the checks
        above still see every node: the same nodes, marks and values, several times faster on large files."""

        def __init__(self, stream) -> None:
            CParser.__init__(self, stream)
            yaml.composer.Composer.__init__(self)
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)
else:  # pragma: no cover - PyYAML built without libyaml
    _FastLoader = _Loader

for _cls in {_Loader, _FastLoader}:
    _cls.add_constructor("tag:yaml.org,2002:map", _Checks.construct_mapping)
    _cls.add_constructor("tag:yaml.org,2002:seq", _Checks.construct_sequence)
    _cls.add_constructor("tag:yaml.org,2002:str", _Checks.construct_yaml_str)
    _cls.add_constructor("tag:yaml.org,2002:int", _Checks.construct_yaml_int)
    _cls.add_constructor("tag:yaml.org,2002:float", _Checks.construct_yaml_float)


def load_yaml_with_lines(text: str) -> Any:
    """Parse YAML text safely; mappings become :class:`LineDict`, sequences :class:`LineList`.

    Raises
    ------
    yaml.YAMLError
        For syntax errors, aliases, duplicate keys (with the position in ``problem_mark``);
        :class:`UnsafeValueError` for nesting deeper than :data:`MAX_YAML_DEPTH`, integers past
        :data:`~gametheory_ukraine.core.numbers.MAX_DIGITS` digits, floats that are not finite or
        outside the range of floats, and text with :data:`CONTROL_CHARACTERS`.
    """
    try:
        return yaml.load(text, Loader=_FastLoader)  # noqa: S506 - safe constructor and resolver only
    except yaml.YAMLError:
        if _FastLoader is _Loader:
            raise
    # libyaml words some refusals differently (a lone surrogate escape is "invalid Unicode character escape
    # code", not the character it is): the pure-Python reader says what is wrong, as it always did
    return yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader derives from SafeLoader
