"""The typed public surface: mypy sees every lazily imported public name with its real type.

``gametheory_ukraine/__init__.py`` imports its public names on first use (``__getattr__``), which a type checker
cannot follow: its ``if TYPE_CHECKING:`` block imports the same names for checkers only. Checked here: that block
lists exactly the lazy names, from the same modules; mypy (configured in ``pyproject.toml [tool.mypy]``) passes on
``__init__.py`` and on ``tests/typecheck/public_api.py``, a typed use of the API with ``assert_type`` of its return
types; mypy reveals no lazy name as ``Any``; and the block costs nothing at run time.

What mypy checks: ``__init__.py`` and the usage file in full (``disallow_untyped_defs`` and friends); the modules
behind the names are read for their signatures only (``follow_imports = "silent"``), their bodies are not checked.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys

import pytest
from conftest import ROOT

import gametheory_ukraine as gtu

INIT = ROOT / "gametheory_ukraine" / "__init__.py"
USAGE = ROOT / "tests" / "typecheck" / "public_api.py"
LAZY: dict[str, str] = gtu._LAZY  # the runtime table: name -> module under the package


def _type_checking_imports() -> dict[str, str]:
    """name -> module (relative to the package) of every import inside ``if TYPE_CHECKING:`` in __init__.py."""
    found: dict[str, str] = {}
    for node in ast.parse(INIT.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            for imp in node.body:
                assert isinstance(imp, ast.ImportFrom) and imp.level == 1, ast.dump(imp)
                for alias in imp.names:
                    found[alias.asname or alias.name] = imp.module or ""
    return found


def _mypy(*files: str, cache) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mypy", "--cache-dir", str(cache), "--no-error-summary",
                           "--hide-error-context", *files], cwd=ROOT, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def mypy_run(tmp_path_factory):
    """One mypy run over __init__.py, the usage file and a generated file revealing the type of every lazy name."""
    folder = tmp_path_factory.mktemp("typing")
    reveal = folder / "reveal_lazy_names.py"
    reveal.write_text("import gametheory_ukraine as gtu\n\n" + "".join(
        f"reveal_type(gtu.{name})  # {name}\n" for name in LAZY), encoding="utf-8")
    proc = _mypy(str(INIT.relative_to(ROOT)), str(USAGE.relative_to(ROOT)), str(reveal), cache=folder / "cache")
    return proc, reveal


def test_the_type_checking_block_imports_exactly_the_lazy_names_from_the_same_modules():
    assert _type_checking_imports() == LAZY
    assert set(LAZY) | {"__version__"} == set(gtu.__all__)


def test_mypy_passes_on_the_public_api(mypy_run):
    proc, reveal = mypy_run
    errors = [line for line in proc.stdout.splitlines() if ": error:" in line]
    assert errors == [] and proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    checked = {line.split(":", 1)[0] for line in proc.stdout.splitlines()}
    assert str(reveal) in checked  # the reveal file was read (its notes are there)


def test_mypy_sees_every_lazy_name_with_its_type(mypy_run):
    proc, reveal = mypy_run
    revealed: dict[str, str] = {}
    for line in proc.stdout.splitlines():
        m = re.match(rf"^{re.escape(str(reveal))}:(\d+): note: Revealed type is \"(.*)\"$", line)
        if m:
            revealed[list(LAZY)[int(m.group(1)) - 3]] = m.group(2)
    assert sorted(revealed) == sorted(LAZY), proc.stdout[-4000:]
    untyped = {name: text for name, text in revealed.items() if not text.startswith("def (")}
    assert untyped == {}, "names mypy cannot see through the lazy import (add them to the TYPE_CHECKING block)"
    # a class is revealed as its constructor, returning an instance of the class from its own module
    for name, module in LAZY.items():
        if name[0].isupper():
            assert revealed[name].endswith(f"-> gametheory_ukraine.{module}.{name}"), (name, revealed[name])
    assert revealed["load_model"].endswith("-> gametheory_ukraine.modelling.model.Model")
    assert revealed["solve"].endswith("-> gametheory_ukraine.solvers.results.EquilibriumSet")
    assert revealed["thresholds"].endswith("-> gametheory_ukraine.analysis.thresholds.ThresholdResult")
    assert revealed["robustness"].endswith("-> gametheory_ukraine.analysis.robustness.Robustness")
    assert revealed["draw_tree"].endswith("-> matplotlib.figure.Figure")
    assert revealed["list_models"] == "def () -> list[str]"


def test_the_type_checking_block_imports_nothing_at_run_time():
    code = ("import sys, gametheory_ukraine; "
            "print(sorted(m for m in sys.modules if m.startswith('gametheory_ukraine.')))")
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.strip() == "['gametheory_ukraine._version']"


def test_the_package_ships_its_py_typed_marker():
    assert (ROOT / "gametheory_ukraine" / "py.typed").is_file()
    assert re.search(r"^gametheory_ukraine = py\.typed$", (ROOT / "setup.cfg").read_text(encoding="utf-8"), re.M)
