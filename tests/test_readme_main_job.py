"""The README's main job, run as written: `gtu report -o gtu-report` from a fresh folder (its own file, so that
pytest-xdist runs its few minutes beside the other tests)."""

from __future__ import annotations

import re
import shlex

from conftest import ROOT

from gametheory_ukraine.cli import main

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_readme_main_job_runs_as_written(tmp_path, monkeypatch, capsys):
    quick = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    first = re.findall(r"```bash\n(.*?)```", quick, flags=re.S)[0].strip()
    command = first.split(" && ")[-1]
    assert command == "gtu report -o gtu-report"
    monkeypatch.chdir(tmp_path)
    code = main(shlex.split(command)[1:])
    err = capsys.readouterr().err
    assert code == 0, err
    out = tmp_path / "gtu-report"
    html = (out / "index.html").read_text(encoding="utf-8")
    md = (out / "index.md").read_text(encoding="utf-8")
    assert md.splitlines()[0].startswith("# ") and "## The brief" in md
    # every bundled model the README names has its section and its brief row
    for name in ("territory", "nato", "guarantees", "settlement", "talks-format", "micro-deals"):
        assert f"(`{name}`)" in md and f">{name}</code>)" in html
    for figure in re.findall(r'src="(figures/[^"]+)"', html):
        assert (out / figure).is_file()
    # the micro-deals tree is drawn 10,000 pixels wide: its caption says it opens at full size; territory's is not
    assert "micro-deals at baseline-2025 (select the picture for its full size)" in md
    assert "territory at baseline-2025: thick, the path of its equilibrium" in md
