"""The documentation builds without warnings, and the notebooks are stored as the docs say.

- The Sphinx project in ``docs/`` builds with warnings as errors, executing every notebook (as in
  ``docs/how-to/notebooks.md``), and the built pages hold the tutorials' figures, the reference of every
  public module and the how-to guides.
- Every notebook in ``notebooks/`` is a jupytext pair (``NAME.ipynb`` + ``py/NAME.py``, percent format) whose
  two files have the same cells, and the ``.ipynb`` is stored without outputs (the documented policy).
- Every notebook is a tutorial in the docs; the notebooks draw random numbers only from explicit seeds; the
  repository paths the docs mention exist.

The notebooks themselves run through nbmake (``notebooks`` is in pytest's testpaths).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import jupytext
import nbformat
import pytest
from conftest import ROOT

NOTEBOOKS = ROOT / "notebooks"
DOCS = ROOT / "docs"
NAMES = sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb"))


def _cells(path: Path) -> list[tuple[str, str]]:
    nb = jupytext.read(path)
    return [(cell.cell_type, cell.source.strip()) for cell in nb.cells]


def test_the_ten_notebooks_exist():
    assert NAMES == ["01-quickstart", "02-territory", "03-nato", "04-guarantees", "05-relapse-sensitivity",
                     "06-teaching", "07-settlement", "08-micro-deals", "09-talks-format", "10-teaching-tools"]


@pytest.mark.parametrize("name", NAMES)
def test_notebook_pair_in_sync(name):
    ipynb, py = NOTEBOOKS / f"{name}.ipynb", NOTEBOOKS / "py" / f"{name}.py"
    assert py.is_file(), f"{py.name} is missing: run `jupytext --sync notebooks/{name}.ipynb`"
    assert _cells(ipynb) == _cells(py), f"{name}: .ipynb and .py differ; run `jupytext --sync notebooks/{name}.ipynb`"
    assert "format_name: percent" in py.read_text(encoding="utf-8")


def test_every_py_pair_has_a_notebook():
    assert {p.stem for p in (NOTEBOOKS / "py").glob("*.py")} == set(NAMES)
    assert not list(NOTEBOOKS.glob("*.py"))     # pytest runs the notebooks folder: no .py module may sit in it


@pytest.mark.parametrize("name", NAMES)
def test_notebook_stored_without_outputs(name):
    nb = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    nbformat.validate(nb)
    dirty = [k for k, cell in enumerate(nb.cells)
             if cell.cell_type == "code" and (cell.outputs or cell.execution_count is not None)]
    assert not dirty, (f"{name}.ipynb has outputs in cells {dirty}: "
                       f"run `jupyter nbconvert --clear-output --inplace notebooks/{name}.ipynb`")
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3"


@pytest.mark.parametrize("name", NAMES)
def test_notebook_is_a_tutorial(name):
    link = DOCS / "tutorials" / f"{name}.ipynb"
    assert link.is_symlink() and link.resolve() == (NOTEBOOKS / f"{name}.ipynb").resolve()
    toctree = (DOCS / "tutorials" / "index.md").read_text(encoding="utf-8").split("```{toctree}", 1)[1]
    assert re.search(rf"^{re.escape(name)}$", toctree, flags=re.M)


def _calls(code: str, function: str) -> list[str]:
    """The text of every call ``function(...)`` in *code*, parentheses balanced."""
    found = []
    for match in re.finditer(rf"\b{re.escape(function)}\(", code):
        depth, i = 1, match.end()
        while depth and i < len(code):
            depth += {"(": 1, ")": -1}.get(code[i], 0)
            i += 1
        found.append(code[match.start():i])
    return found


@pytest.mark.parametrize("name", NAMES)
def test_notebook_randomness_is_seeded(name):
    code = "\n".join(src for kind, src in _cells(NOTEBOOKS / f"{name}.ipynb") if kind == "code")
    assert not re.search(r"np\.random\.(seed|rand|randn|randint|random|normal|uniform|choice)\(", code)
    sampled = _calls(code, "model_sobol") + _calls(code, "sobol_indices")
    sampled += [c for c in _calls(code, "sweep") if re.search(r"method=\"(lhs|mc|sobol)\"", c)]
    for call in sampled:
        assert "seed=" in call, f"{name}: a random design without seed=: {call}"


def test_seed_check_sees_calls():
    assert _calls("x = f(a, g(b), seed=1)\nf(c)", "f") == ["f(a, g(b), seed=1)", "f(c)"]
    assert _calls(jupytext.writes(jupytext.read(NOTEBOOKS / "05-relapse-sensitivity.ipynb"), "py:percent"),
                  "model_sobol")


def _doc_pages() -> list[Path]:
    return [p for p in DOCS.rglob("*") if p.suffix in (".md", ".rst") and "_build" not in p.parts]


def test_paths_mentioned_in_the_docs_exist():
    pattern = re.compile(r"\b(?:notebooks|docs|tests|models|gametheory_ukraine)/[A-Za-z0-9_./*-]*[A-Za-z0-9_*]")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    texts = [(p.relative_to(ROOT), p.read_text(encoding="utf-8")) for p in _doc_pages()] + [("README.md", readme)]
    missing = []
    for where, text in texts:
        for path in set(pattern.findall(text)):
            if "NAME" in path or "_build" in path:
                continue            # placeholders and build output
            if not (list(ROOT.glob(path)) if "*" in path else (ROOT / path).exists()):
                missing.append(f"{where}: {path}")
    assert not missing, missing


def test_how_to_guides_are_in_the_toctree():
    toctree = (DOCS / "how-to" / "index.md").read_text(encoding="utf-8").split("```{toctree}", 1)[1]
    listed = set(re.findall(r"^([\w-]+)$", toctree, flags=re.M))
    pages = {p.stem for p in (DOCS / "how-to").glob("*.md")} - {"index"}
    assert "teaching" in listed and listed == pages


def test_docs_build_without_warnings(tmp_path):
    out = tmp_path / "html"
    env = dict(os.environ, PYTHONWARNINGS="ignore::DeprecationWarning")
    env.pop("GTU_DOCS_EXECUTE", None)      # as published: every notebook is executed
    proc = subprocess.run([sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html",
                           "-d", str(tmp_path / "doctrees"), str(DOCS), str(out)],
                          capture_output=True, text=True, timeout=1200, cwd=ROOT, env=env)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-8000:]
    # the tutorials were executed: every figure-making notebook shows figures
    for name in NAMES:
        page = (out / "tutorials" / f"{name}.html").read_text(encoding="utf-8")
        assert page.count("<img") >= 2, f"{name}: no figures in the built page"
    assert "1/27" in (out / "tutorials" / "01-quickstart.html").read_text(encoding="utf-8")
    # the look: the sidebar's title style and wrapping code blocks are loaded; one toctree without a caption, so
    # the navigation does not read "Tutorials / Tutorials"
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "_static/custom.css" in index and "caption-text" not in index
    css = (out / "_static" / "custom.css").read_text(encoding="utf-8")
    assert "h1.logo" in css and "pre-wrap" in css
    # the reference covers the API; the how-to guides and explanation pages are there
    api = "".join(p.read_text(encoding="utf-8") for p in (out / "reference" / "api").glob("*.html"))
    for name in ("gametheory_ukraine.analysis.relapse.settlement_value", "gametheory_ukraine.modelling.model.Model",
                 "gametheory_ukraine.analysis.thresholds.thresholds", "gametheory_ukraine.output.plots.outcome_map",
                 "gametheory_ukraine.cli.main",
                 # the teaching and research tools: QRE, dominance, correlated equilibrium, best responses, TikZ
                 "gametheory_ukraine.solvers.qre.logit_qre", "gametheory_ukraine.solvers.qre.logit_branch",
                 "gametheory_ukraine.analysis.qre_sweep.qre_sweep",
                 "gametheory_ukraine.solvers.dominance.iterated_dominance",
                 "gametheory_ukraine.solvers.correlated.correlated_equilibrium",
                 "gametheory_ukraine.solvers.correlated.correlated_vertices",
                 "gametheory_ukraine.solvers.exact_lp.linprog_exact",
                 "gametheory_ukraine.solvers.best_response.best_responses",
                 "gametheory_ukraine.output.best_response_diagram.best_response_diagram",
                 "gametheory_ukraine.output.tikz.tree_tikz", "gametheory_ukraine.output.tikz.normal_form_tikz",
                 "gametheory_ukraine.output.payoff_text.payoff_table_text",
                 "gametheory_ukraine.output.qre_report.qre_path_figure"):
        assert f'id="{name}"' in api, name
    for page in ("how-to/teaching", "how-to/notebooks", "how-to/qre", "how-to/dominance-and-correlated",
                 "explanation/models", "explanation/relapse",
                 "explanation/sources", "reference/cli", "reference/model-files"):
        assert (out / f"{page}.html").is_file(), page
    assert "gtu export" in (out / "reference" / "cli.html").read_text(encoding="utf-8")
