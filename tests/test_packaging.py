"""The bundled models ship inside the wheel and load by name from a wheel install and from an editable
install alike, run from outside the source tree, and from a plain checkout that is not installed at all."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT

PROBE = ("import gametheory_ukraine as g, json; m = g.load_model('chain-store'); "
         "print(json.dumps({'file': g.__file__, 'model': m.path, 'names': g.list_models(), "
         "'spe': g.solve(m.game('sequential'))[0].outcome}))")


def _pip(*args, cwd=None):
    proc = subprocess.run([sys.executable, "-m", "pip", "--disable-pip-version-check", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-4000:]
    return proc


def _probe(python, cwd, env=None, flags=()):
    import json

    proc = subprocess.run([python, *flags, "-c", PROBE], cwd=cwd, capture_output=True, text=True, timeout=300,
                          env=env)
    assert proc.returncode == 0, proc.stderr[-4000:]
    return json.loads(proc.stdout)


@pytest.fixture(scope="module")
def source(tmp_path_factory) -> Path:
    # a copy without build/: setuptools keeps modules of earlier builds there and would ship them
    source = tmp_path_factory.mktemp("source") / "gametheory_ukraine"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        "build", "dist", ".git", ".venv", "*.egg-info", "__pycache__", ".hypothesis", "gtu-report", "docs"))
    return source


@pytest.fixture(scope="module")
def wheel(tmp_path_factory, source) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    _pip("wheel", "--no-deps", "-q", "-w", str(dist), str(source))
    (built,) = dist.glob("gametheory_ukraine-*.whl")
    return built


#: what a shipped file may not cite: the developers' working notes, the test files and issue numbers
UNSHIPPED = re.compile(r"DESIGN\.md|LITERATURE\.md|\.\./shared|shared/analysis|tests/test_\w*|\b[Ii]ssues? #?\d+")


def test_wheel_cites_only_what_it_ships(wheel):
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        assert "gametheory_ukraine/models/references.bib" in names
        found = []
        for name in names:
            text = zf.read(name).decode("utf-8", errors="replace")
            found += [f"{name}: {m.group()!r}" for m in UNSHIPPED.finditer(text)]
    assert found == [], "\n".join(found)


def test_wheel_ships_the_py_typed_marker(wheel):
    """PEP 561: type checkers use the package's annotations only when the installed package has py.typed."""
    names = zipfile.ZipFile(wheel).namelist()
    assert "gametheory_ukraine/py.typed" in names
    assert "gametheory_ukraine/__init__.py" in names


def test_sdist_ships_the_citation_file(tmp_path, source):
    """The source archive (what archives and distributions take) carries CITATION.cff, the same file."""
    proc = subprocess.run([sys.executable, "-m", "build", "--sdist", "-o", str(tmp_path),
                           str(source)], capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-4000:]
    (built,) = tmp_path.glob("gametheory_ukraine-*.tar.gz")
    with tarfile.open(built) as tf:
        (member,) = [m for m in tf.getmembers() if m.name.count("/") == 1 and m.name.endswith("/CITATION.cff")]
        shipped = tf.extractfile(member).read()
        assert any(m.name.endswith("/gametheory_ukraine/py.typed") for m in tf.getmembers())
    assert shipped == (ROOT / "CITATION.cff").read_bytes()


def test_wheel_contains_models_and_loads_them_by_name(tmp_path, wheel):
    names = zipfile.ZipFile(wheel).namelist()
    shipped = {Path(n).name for n in names if n.startswith("gametheory_ukraine/models/")}
    on_disk = {p.name for p in (ROOT / "models").glob("*.yaml")}
    assert on_disk and on_disk <= shipped
    target = tmp_path / "site"
    _pip("install", "--no-deps", "-q", "--target", str(target), str(wheel))
    env = dict(os.environ, PYTHONPATH=str(target))
    out = _probe(sys.executable, cwd=tmp_path, env=env)
    assert out["file"].startswith(str(target))
    assert out["model"].startswith(str(target)) and out["model"].endswith("chain-store.yaml")
    assert "chain-store" in out["names"] and out["spe"] == "entry accommodated"


def test_editable_install_loads_models_from_the_source_tree(tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    python = str(venv / "bin" / "python")
    # the dependencies from the environment running the tests, without its own gametheory_ukraine: a .pth line
    # puts a folder on sys.path without running the .pth files (the editable-install hook) inside it.
    # (--system-site-packages would reach the base interpreter's packages, which need not have numpy.)
    site = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True, timeout=60).stdout.strip()
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (Path(site) / "test-dependencies.pth").write_text("\n".join(sorted(ours)) + "\n", encoding="utf-8")
    proc = subprocess.run([python, "-m", "pip", "--disable-pip-version-check", "install", "--no-deps", "-q",
                           "-e", str(ROOT)], capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-4000:]
    out = _probe(python, cwd=tmp_path)
    assert out["file"] == str(ROOT / "gametheory_ukraine" / "__init__.py")
    assert out["model"] == str(ROOT / "models" / "chain-store.yaml")
    assert "chain-store" in out["names"] and out["spe"] == "entry accommodated"


def test_plain_checkout_loads_the_top_level_models_folder(tmp_path):
    """A checkout that is not installed has no package ``gametheory_ukraine.models`` (only an install maps the
    top-level ``models/`` folder to it): run from its top folder, it lists and loads the models of that folder."""
    clone = tmp_path / "clone"
    skip = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(ROOT / "gametheory_ukraine", clone / "gametheory_ukraine", ignore=skip)
    shutil.copytree(ROOT / "models", clone / "models", ignore=skip)
    # -S: no site module, so no .pth file runs and an editable install of the package (an import hook that maps
    # gametheory_ukraine.models to the source tree) cannot stand in for the copy; the dependencies come from this
    # interpreter's path, after the copy (the current folder comes first on sys.path)
    path = [p for p in sys.path if p and Path(p).is_dir()]
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON") and k != "GTU_MODEL_PATH"}
    env["PYTHONPATH"] = os.pathsep.join(path)
    listed = subprocess.run([sys.executable, "-S", "-m", "gametheory_ukraine", "list"], cwd=clone, env=env,
                            capture_output=True, text=True, timeout=300)
    assert listed.returncode == 0, listed.stderr[-4000:]
    assert "chain-store" in listed.stdout and "territory" in listed.stdout
    out = _probe(sys.executable, cwd=clone, env=env, flags=("-S",))
    assert out["file"] == str(clone / "gametheory_ukraine" / "__init__.py")
    assert out["model"] == str(clone / "models" / "chain-store.yaml")
    assert "chain-store" in out["names"] and out["spe"] == "entry accommodated"
