"""The README's examples run: every `gtu` line of its Use section and its Python snippet."""

from __future__ import annotations

import os
import re
import shlex

import pytest
from conftest import ROOT

from gametheory_ukraine.cli import main

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _use_section() -> str:
    return README.split("## Use", 1)[1].split("\n## ", 1)[0]


def _gtu_lines() -> list[str]:
    block = re.findall(r"```bash\n(.*?)```", _use_section(), flags=re.S)[0]
    lines = [line.split("  #")[0].strip() for line in block.splitlines()]
    return [line for line in lines if line.startswith("gtu ")]


GTU_LINES = _gtu_lines()


def test_readme_lists_commands():
    assert len(GTU_LINES) >= 10


@pytest.mark.parametrize("line", [line for line in GTU_LINES if not line.startswith("gtu report")])
def test_readme_gtu_line_runs(line, tmp_path, monkeypatch, capsys):
    argv = shlex.split(line)[1:]
    argv = [str(ROOT / a) if a.startswith("models/") else a for a in argv]
    monkeypatch.chdir(tmp_path)
    code = main(argv)
    out, err = capsys.readouterr()
    assert code == 0, err
    if "-o" in argv:
        assert (tmp_path / argv[argv.index("-o") + 1]).is_file()


def test_readme_report_line_is_the_main_job():
    (line,) = [line for line in GTU_LINES if line.startswith("gtu report")]
    assert "gtu report -o gtu-report" in README.split("## Use", 1)[0] and line == "gtu report -o gtu-report"


def test_readme_python_snippet_runs(monkeypatch, tmp_path):
    code = re.findall(r"```python\n(.*?)```", _use_section(), flags=re.S)[0]
    monkeypatch.chdir(tmp_path)
    namespace: dict = {}
    exec(compile(code, "README.md", "exec"), namespace)  # noqa: S102 - our own README, under test
    assert namespace["result"].complete and len(namespace["result"]) == 1
    assert os.listdir(tmp_path) == []
