"""The pre-commit configuration: it parses, pre-commit itself accepts it, and it runs the hooks the project relies
on (ruff; output stripping and jupytext pairing of the notebooks) on the files they are meant for."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
import yaml
from conftest import ROOT

CONFIG = ROOT / ".pre-commit-config.yaml"


@pytest.fixture(scope="module")
def hooks() -> dict[str, dict]:
    data = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    return {hook["id"]: hook for repo in data["repos"] for hook in repo["hooks"]}


def test_pre_commit_accepts_the_config():
    proc = subprocess.run([sys.executable, "-m", "pre_commit", "validate-config", str(CONFIG)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]


def test_the_config_names_the_hooks(hooks):
    assert set(hooks) == {"ruff", "nbstripout", "jupytext-sync"}
    assert hooks["ruff"]["entry"].split()[:2] == ["ruff", "check"]
    assert hooks["nbstripout"]["entry"].split()[0] == "nbstripout"
    assert hooks["jupytext-sync"]["entry"].split() == ["jupytext", "--sync"]
    for hook in hooks.values():  # each tool pinned, installed from PyPI by pre-commit
        (dep,) = hook["additional_dependencies"]
        assert re.fullmatch(r"[a-z]+==\d+(\.\d+)+", dep), dep


def test_the_notebook_hooks_cover_every_notebook_pair_and_only_them(hooks):
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True,
                             timeout=60).stdout.split()
    notebooks = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "notebooks").glob("*.ipynb"))
    twins = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "notebooks" / "py").glob("*.py"))
    assert notebooks and len(twins) == len(notebooks)
    strip = re.compile(hooks["nbstripout"]["files"])
    sync = re.compile(hooks["jupytext-sync"]["files"])
    assert sorted(f for f in tracked if strip.search(f)) == notebooks  # not docs/tutorials (links to these)
    assert sorted(f for f in tracked if sync.search(f)) == sorted(notebooks + twins)
    # nbstripout keeps the cell ids jupytext wrote (without --keep-id it renumbers every cell)
    assert "--keep-id" in hooks["nbstripout"]["entry"].split()
    # the pairing the sync hook relies on is the one in notebooks/jupytext.toml
    pairing = (ROOT / "notebooks" / "jupytext.toml").read_text(encoding="utf-8")
    assert re.search(r'^formats = "ipynb,py//py:percent"$', pairing, re.M)
