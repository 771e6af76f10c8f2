"""Faults of the machine and of the user's surroundings: interrupts (SIGINT, SIGTERM, SIGKILL), a full disk, a
closed or full standard output, damaged checkpoints, and output folders that hold the user's files.

Each test checks what the command line promises: one ``gtu:`` line and a known exit status, no traceback, no stray
processes, nothing half-written under a final name and nothing of the user's lost.
"""

from __future__ import annotations

import contextlib
import errno
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import psutil
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import gametheory_ukraine as gtu
from gametheory_ukraine.cli import main
from gametheory_ukraine.core.errors import ModelFileError, OutputError
from gametheory_ukraine.io.gambit import write_gambit
from gametheory_ukraine.output.report import build_report

ROOT = Path(__file__).resolve().parent.parent
MODEL = ROOT / "models" / "territory.yaml"
#: a sweep that takes several seconds, so it is still running when it is interrupted
BIG = ["sweep", "territory", "-p", "rho=0.01:0.5:2000000", "-o", "a.parquet"]
SEQ = ["--form", "sequential", "--scenario", "baseline-2025"]


# ------------------------------------------------------------------------------------------ helpers
def _env() -> dict:
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    return env


def _start(argv: list[str], cwd: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "gametheory_ukraine", *argv], cwd=cwd, env=_env(),
                            start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_for(predicate, seconds: float) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def _session(sid: int) -> list[psutil.Process]:
    """The live processes of session *sid* (the gtu process and everything it started)."""
    out = []
    for proc in psutil.process_iter():
        with contextlib.suppress(psutil.Error, ProcessLookupError, PermissionError):
            if os.getsid(proc.pid) == sid and proc.status() != psutil.STATUS_ZOMBIE:
                out.append(proc)
    return out


def _kill_session(sid: int) -> None:
    for proc in _session(sid):
        with contextlib.suppress(psutil.Error):
            proc.kill()


def _solving(folder: Path, name: str = "a.parquet") -> bool:
    """Whether the sweep has started writing *name* (its temporary file exists)."""
    return any(p.name.startswith(f".{name}.") for p in folder.iterdir())


def _interrupt(argv: list[str], cwd: Path, sig: int = signal.SIGINT, after: float = 1.0,
               started=_solving) -> tuple[subprocess.Popen, str]:
    """Start ``gtu argv``, wait until it is solving, send *sig* to its whole process group, wait (bounded)."""
    proc = _start(argv, cwd)
    try:
        assert _wait_for(lambda: started(cwd), 60), "the sweep never started writing"
        time.sleep(after)
        assert proc.poll() is None, "the sweep ended before it could be interrupted"
        os.killpg(proc.pid, sig)
        _, err = proc.communicate(timeout=60)
        assert _wait_for(lambda: not _session(proc.pid), 10), [p.cmdline()[:4] for p in _session(proc.pid)]
        return proc, err
    finally:
        if proc.poll() is None:
            proc.kill()
        _kill_session(proc.pid)
        proc.communicate(timeout=10)


# ------------------------------------------------------------------------------------------ interrupts
@pytest.mark.parametrize("extra", [[], ["--workers", "2"], ["--dask", "local"]], ids=["serial", "workers", "dask"])
def test_ctrl_c_ends_with_one_line_and_status_130(tmp_path, extra):
    proc, err = _interrupt(BIG + extra, tmp_path)
    assert proc.returncode == 130, err[-3000:]
    assert err.strip().splitlines() == ["gtu: interrupted"], err[-3000:]
    assert sorted(os.listdir(tmp_path)) == []  # no output, no temporary


def test_ctrl_c_during_a_long_exact_solve_ends_with_one_line_and_no_output(tmp_path):
    # a 16 x 16 game with the budget raised past its estimate: the vertex search runs for minutes
    rng = np.random.default_rng(16)
    write_gambit(gtu.NormalFormGame.from_arrays(*[rng.integers(0, 100, (16, 16)).tolist() for _ in range(2)]),
                 tmp_path / "g16.nfg")
    proc = _start(["solve", "g16.nfg", "--max-work", "100000000", "--format", "json"], tmp_path)
    try:
        time.sleep(3)
        assert proc.poll() is None, "the solve ended before it could be interrupted"
        os.killpg(proc.pid, signal.SIGINT)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
        _kill_session(proc.pid)
    assert proc.returncode == 130 and err.strip().splitlines() == ["gtu: interrupted"], err[-3000:]
    assert out == "" and sorted(os.listdir(tmp_path)) == ["g16.nfg"]


def test_ctrl_c_leaves_a_resumable_checkpoint(tmp_path):
    from gametheory_ukraine.analysis.checkpoint import Checkpoint
    from gametheory_ukraine.analysis.sweep_plan import plan_sweep

    argv = ["sweep", "territory", "-p", "rho=0.01:0.5:2000000", "-o", "a.parquet", "--checkpoint", "ck",
            "--chunk-size", "10000"]
    proc, err = _interrupt(argv, tmp_path, started=lambda d: any((d / "ck").glob("chunk-*.parquet")))
    assert proc.returncode == 130 and err.strip().splitlines() == ["gtu: interrupted"], err[-3000:]
    assert sorted(os.listdir(tmp_path)) == ["ck"]
    plan = plan_sweep("territory", {"rho": "0.01:0.5:2000000"}, chunk_size=10000)
    with Checkpoint(tmp_path / "ck", plan) as ck:  # not locked, manifest the same, every chunk there verified
        done = ck.done()
        assert done and ck.missing()
        assert len(ck.read(min(done))) > 0


def test_an_interrupt_inside_an_eval_of_a_string_still_ends_with_130(tmp_path):
    # CPython records a KeyboardInterrupt that leaves eval/exec of a string (a namedtuple made during a
    # deferred import is one) and, under ``python -m``, ends the process by SIGINT (-2) once main returns.
    (tmp_path / "interrupted_in_eval.py").write_text(
        "from gametheory_ukraine import cli\n"
        "def interrupted(args):\n"
        "    eval(\"exec('raise KeyboardInterrupt')\")\n"
        "cli.COMMANDS['list'] = interrupted\n"
        "raise SystemExit(cli.main(['list']))\n")
    env = _env()
    env["PYTHONPATH"] = os.pathsep.join([str(tmp_path), env["PYTHONPATH"]])
    proc = subprocess.run([sys.executable, "-m", "interrupted_in_eval"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 130, proc.stderr[-3000:]
    assert proc.stderr.strip().splitlines() == ["gtu: interrupted"]


def test_sigterm_removes_temporaries_and_ends_with_143(tmp_path):
    proc = _start(BIG, tmp_path)
    try:
        assert _wait_for(lambda: _solving(tmp_path), 60)
        time.sleep(0.5)
        proc.send_signal(signal.SIGTERM)  # to the gtu process only, as `kill PID` does
        _, err = proc.communicate(timeout=60)
    finally:
        _kill_session(proc.pid)
    assert proc.returncode == 143 and err.strip().splitlines() == ["gtu: terminated"], err[-3000:]
    assert os.listdir(tmp_path) == []


def test_sigkill_takes_the_workers_along_and_the_next_run_sweeps_the_temporary(tmp_path):
    proc = _start([*BIG, "--workers", "2"], tmp_path)
    try:
        assert _wait_for(lambda: _solving(tmp_path) and len(_session(proc.pid)) >= 3, 60)
        time.sleep(0.5)
        helpers = [p for p in _session(proc.pid) if p.pid != proc.pid]  # the workers and the resource tracker
        assert len(helpers) >= 2
        proc.kill()
        proc.communicate(timeout=10)
        assert _wait_for(lambda: not any(p.is_running() and p.status() != psutil.STATUS_ZOMBIE for p in helpers),
                         10), [p.cmdline()[:4] for p in helpers if p.is_running()]
    finally:
        _kill_session(proc.pid)
    left = [p.name for p in tmp_path.iterdir()]
    assert len(left) == 1 and left[0].startswith(f".a.parquet.{proc.pid}.") and left[0].endswith(".part")
    # the next run writing the same file deletes the dead run's temporary
    assert main(["sweep", "territory", "-p", "rho=0.02:0.06:3", "-o", str(tmp_path / "a.parquet")]) == 0
    assert os.listdir(tmp_path) == ["a.parquet"]


def test_only_provably_stale_temporaries_are_removed(tmp_path):
    from gametheory_ukraine.core.files import remove_stale_parts

    dead = tmp_path / ".a.csv.99999999.abc123.part"  # no process can have this id
    dead.write_text("half")
    (tmp_path / ".a.csv.99999999.dir.part").mkdir()
    live = tmp_path / f".a.csv.{os.getpid()}.abc123.part"  # being written by a live process
    live.write_text("half")
    mine = [tmp_path / name for name in (".a.csv.notes.part", ".b.csv.99999999.abc123.part", "a.csv.99999999.x.part")]
    for p in mine:
        p.write_text("mine")
    removed = remove_stale_parts(tmp_path / "a.csv")
    assert sorted(p.name for p in removed) == [".a.csv.99999999.abc123.part", ".a.csv.99999999.dir.part"]
    assert live.exists() and all(p.read_text() == "mine" for p in mine)


# ------------------------------------------------------------------------------------------ standard output
def test_full_standard_output_is_one_line_and_status_2():
    with open("/dev/full", "w") as full:
        proc = subprocess.run([sys.executable, "-m", "gametheory_ukraine", "list"], stdout=full,
                              stderr=subprocess.PIPE, text=True, env=_env(), timeout=60)
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode == 2 and len(lines) == 1, proc.stderr[-2000:]
    assert lines[0].startswith("gtu: error: standard output: cannot write: No space left on device (fix:")


def test_closed_standard_output_ends_quietly():
    read, write = os.pipe()
    os.close(read)  # the reader is gone before anything is written, as with `gtu list | head -0`
    try:
        proc = subprocess.run([sys.executable, "-m", "gametheory_ukraine", "list"], stdout=write,
                              stderr=subprocess.PIPE, text=True, env=_env(), timeout=60)
    finally:
        os.close(write)
    assert proc.returncode == 0 and proc.stderr == "", proc.stderr[-2000:]


# ------------------------------------------------------------------------------------------ full disk
@pytest.fixture
def full_disk(tmp_path):
    """A folder on a full disk: a 64 kB tmpfs filled up, where mounting is permitted; elsewhere a file-size limit
    of 0 bytes for this process (writes then fail with EFBIG instead of ENOSPC). Yields (folder, errno)."""
    folder = tmp_path / "disk"
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(folder)],
                             capture_output=True).returncode == 0 if shutil.which("mount") else False
    if mounted:
        try:
            with open(folder / "filler", "wb", buffering=0) as fh, contextlib.suppress(OSError):
                while True:
                    fh.write(b"\0" * 4096)
            yield folder, errno.ENOSPC
        finally:
            subprocess.run(["umount", "-l", str(folder)], capture_output=True)
        return
    (folder / "filler").write_bytes(b"")
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, hard))
    try:
        yield folder, errno.EFBIG
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))


CASES = {
    "sweep-parquet": lambda d, t: ["sweep", "territory", "-p", "rho=0.01:0.5:50", "-o", str(d / "a.parquet")],
    "sweep-csv": lambda d, t: ["sweep", "territory", "-p", "rho=0.01:0.5:50", "-o", str(d / "a.csv")],
    "checkpoint": lambda d, t: ["sweep", "territory", "-p", "rho=0.01:0.5:50", "--checkpoint", str(d / "ck"),
                                "-o", str(t / "a.parquet")],
    "report": lambda d, t: ["report", "-o", str(d / "rep"), "--models", "territory"],
    "picture": lambda d, t: ["export", "territory", "--to", "png", "--form", "sequential", "-o", str(d / "t.png")],
    "latex-table": lambda d, t: ["export", "territory", "--to", "latex", "--form", "normal", "-o", str(d / "t.tex")],
    "sensitivity-table": lambda d, t: ["sensitivity", "territory", "-o", str(d / "s.csv")],
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_full_disk_is_one_line_and_leaves_nothing(full_disk, tmp_path, capsys, case, monkeypatch):
    folder, code = full_disk
    if case == "report":  # a small report: the fault comes at the first file either way
        from gametheory_ukraine.output import report

        monkeypatch.setattr(report, "_model_section", lambda *a, **k: ([], None))
    status = main(CASES[case](folder, tmp_path))
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert status == 2 and len(lines) == 1, err[-3000:]
    assert lines[0].startswith("gtu: error: ") and str(folder) in lines[0], lines[0]
    assert f"cannot write the file: {os.strerror(code)} (fix: " in lines[0], lines[0]
    assert os.listdir(folder) == ["filler"]  # nothing half-written, no temporary, no checkpoint folder
    assert not (tmp_path / "a.parquet").exists()


def test_disk_errors_raised_by_pyarrow_are_recognised(tmp_path, monkeypatch):
    """pyarrow reports the errno only in the text of its OSError."""
    def full(*args, **kwargs):
        raise OSError("Error writing bytes to file. Detail: [errno 28] No space left on device")

    monkeypatch.setattr(pq.ParquetWriter, "write_table", full)
    from gametheory_ukraine.analysis.sweep import sweep_to_file

    with pytest.raises(OutputError, match="No space left on device .fix: free some space"):
        sweep_to_file("territory", {"rho": "0.02:0.06:3"}, tmp_path / "a.parquet")
    assert os.listdir(tmp_path) == []


# ------------------------------------------------------------------------------------------ checkpoints
def _checkpointed(tmp_path: Path) -> tuple[Path, Path, list[str]]:
    ck, out = tmp_path / "ck", tmp_path / "a.parquet"
    argv = ["sweep", "territory", "-p", "rho=0.01:0.5:40", *SEQ, "--chunk-size", "10", "--checkpoint", str(ck),
            "-o", str(out)]
    assert main(argv) == 0
    out.unlink()
    return ck, out, argv


def test_a_chunk_rewritten_as_valid_parquet_is_refused(tmp_path, capsys):
    ck, out, argv = _checkpointed(tmp_path)
    chunk = ck / "chunk-00000001.parquet"
    table = pq.read_table(chunk)
    col = table.column_names.index("payoff:Ukraine")
    values = table.column(col).to_pylist()
    values[0] += 1.0  # one payoff changed; the file stays valid Parquet with the same metadata
    pq.write_table(table.set_column(col, "payoff:Ukraine", pa.array(values)), chunk)
    capsys.readouterr()
    assert main(argv) == 2
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and str(chunk) in lines[0] and "chunk 1 is damaged" in lines[0], err
    assert "delete this file and run the same sweep again" in lines[0]
    assert not out.exists() and not list(tmp_path.glob(".a.parquet*"))
    chunk.unlink()  # the fix the message gives: the chunk is solved again, the table is the serial one
    assert main(argv) == 0
    serial = tmp_path / "serial.parquet"
    assert main(["sweep", "territory", "-p", "rho=0.01:0.5:40", *SEQ, "-o", str(serial)]) == 0
    pd.testing.assert_frame_equal(pd.read_parquet(out), pd.read_parquet(serial))


def test_a_flipped_bit_in_a_chunk_is_refused(tmp_path, capsys):
    ck, out, argv = _checkpointed(tmp_path)
    chunk = ck / "chunk-00000002.parquet"
    data = bytearray(chunk.read_bytes())
    for k, pos in enumerate(range(8, len(data) - 8, max(1, len(data) // 12))):  # 12 trials, as many places
        damaged = bytearray(data)
        damaged[pos] ^= 1 << (k % 8)
        chunk.write_bytes(bytes(damaged))
        capsys.readouterr()
        assert main(argv) == 2, pos
        err = capsys.readouterr().err
        assert len(err.strip().splitlines()) == 1 and "chunk 2 is damaged" in err, (pos, err)
        assert not out.exists()


def test_a_model_edited_while_the_sweep_runs_is_refused(tmp_path, monkeypatch):
    from gametheory_ukraine.analysis import executors
    from gametheory_ukraine.analysis import sweep as sweep_mod

    model = tmp_path / "territory.yaml"
    shutil.copy(MODEL, model)
    real = executors.solve_chunk

    def edit_then_solve(plan, i):
        if i == 1:  # the user saves the model file while the sweep runs
            with open(model, "a", encoding="utf-8") as fh:
                fh.write("\n# edited\n")
        return real(plan, i)

    monkeypatch.setattr(executors, "solve_chunk", edit_then_solve)
    out = tmp_path / "a.csv"
    with pytest.raises(ModelFileError, match="changed while the sweep ran") as info:
        sweep_mod.sweep_to_file(str(model), {"rho": "0.02:0.06:9"}, out, chunk_size=3, workers=1, **dict(
            form="sequential", scenario="baseline-2025"))
    assert info.value.path == str(model)
    assert sorted(os.listdir(tmp_path)) == ["territory.yaml"]


def test_a_refused_checkpoint_folder_is_left_as_it_was(tmp_path, capsys):
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "thesis.tex").write_text("precious")
    argv = ["sweep", "territory", "-p", "rho=0.02:0.06:3", "--checkpoint", str(foreign), "-o",
            str(tmp_path / "a.csv")]
    assert main(argv) == 2
    assert "not a sweep checkpoint" in capsys.readouterr().err
    assert os.listdir(foreign) == ["thesis.tex"] and sorted(os.listdir(tmp_path)) == ["mine"]


@pytest.mark.parametrize("layout", ["same-path", "inside"])
def test_output_in_the_checkpoint_is_refused_before_solving(tmp_path, capsys, layout):
    out = tmp_path / "x.parquet"
    ck = out if layout == "same-path" else tmp_path / "ck"
    if layout == "inside":
        out = ck / "x.parquet"
        ck.mkdir()
    start = time.perf_counter()
    status = main(["sweep", "territory", "-p", "rho=0.01:0.5:200000", "--checkpoint", str(ck), "-o", str(out)])
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert status == 2 and len(lines) == 1 and "--checkpoint" in lines[0] and "fix: give the checkpoint its own" \
        in lines[0], err
    assert time.perf_counter() - start < 10  # refused up front, nothing solved
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == \
        ([] if layout == "same-path" else ["ck"])


# ------------------------------------------------------------------------------------------ report folders
def _report(out: Path):
    """A report without the models' sections (what is checked here does not depend on its content: fast)."""
    from gametheory_ukraine.output import report

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(report, "_model_section", lambda *a, **k: ([], None))
        mp.setattr(report, "_brief_row", lambda model, thr, rob: {"model": model.name, "title": model.title,
                                                             "question": "", "outcome": "", "threshold": "",
                                                             "robustness": "", "share": None})
        return build_report(out, ["territory"])


@pytest.fixture(scope="module")
def small_report(tmp_path_factory):
    return _report(tmp_path_factory.mktemp("rep") / "report")


def test_a_marker_alone_does_not_make_a_folder_replaceable(tmp_path, capsys):
    r = tmp_path / "r"
    r.mkdir()
    (r / ".gtu-report").touch()
    (r / "notes.txt").write_text("mine")
    assert main(["report", "-o", str(r), "--models", "territory"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and str(r) in err[0] and "only an unchanged earlier gtu report is replaced" in err[0]
    assert "fix: choose a new or empty folder" in err[0]
    assert sorted(os.listdir(r)) == [".gtu-report", "notes.txt"] and (r / "notes.txt").read_text() == "mine"
    assert os.listdir(tmp_path) == ["r"]


@pytest.mark.parametrize("change", ["added", "edited", "removed", "added-folder"])
def test_an_earlier_report_with_changes_is_not_replaced(small_report, tmp_path, change):
    r = tmp_path / "r"
    shutil.copytree(small_report, r)
    if change == "added":
        (r / "tables" / "my-notes.csv").write_text("mine")
    elif change == "edited":
        with open(r / "index.md", "a", encoding="utf-8") as fh:
            fh.write("my comments\n")
    elif change == "removed":
        (r / "figures" / "survival.png").unlink()
    else:
        (r / "drafts").mkdir()
    before = {p.relative_to(r).as_posix(): p.read_bytes() for p in r.rglob("*") if p.is_file()}
    with pytest.raises(OutputError, match="only an unchanged earlier gtu report is replaced"):
        _report(r)
    assert {p.relative_to(r).as_posix(): p.read_bytes() for p in r.rglob("*") if p.is_file()} == before
    assert os.listdir(tmp_path) == ["r"]


def test_an_unchanged_earlier_report_is_replaced(small_report, tmp_path):
    r = tmp_path / "r"
    shutil.copytree(small_report, r)
    (r / "index.md").write_text((r / "index.md").read_text())  # touched, same bytes: still the earlier report
    for name in (".r.99999999.k3j4h5g6.part", ".r.99999999.old.part"):  # what runs killed by SIGKILL leave
        (tmp_path / name).mkdir()
        (tmp_path / name / "index.md").write_text("half a report")
    _report(r)
    assert (r / "index.md").read_bytes() == (small_report / "index.md").read_bytes()
    assert os.listdir(tmp_path) == ["r"]  # no old copy, no temporary left, the dead runs' folders swept


def test_a_symlinked_report_folder_is_refused_and_kept(small_report, tmp_path, capsys):
    target = tmp_path / "real"
    shutil.copytree(small_report, target)
    link = tmp_path / "r"
    link.symlink_to(target, target_is_directory=True)
    assert main(["report", "-o", str(link), "--models", "territory"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "is a symbolic link" in err[0] and str(target) in err[0]
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert sorted(os.listdir(tmp_path)) == ["r", "real"]
