"""Sweeps on Dask and through checkpoints (gametheory_ukraine.analysis.distributed, .checkpoint): a LocalCluster
gives the serial sweep's table row for row; a checkpoint resumes after deleted chunks or a SIGKILL and solves only
what is missing; another sweep with the same folder is refused; a dead worker's chunk is retried; a chunk that
fails is reported with its point range instead of hanging.

The expected tables are the serial sweeps (tests/test_sweep.py checks those against hand-computed values).
"""

from __future__ import annotations

import faulthandler
import logging
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from conftest import MINIMAL, ROOT

import gametheory_ukraine as gtu
from gametheory_ukraine.analysis import checkpoint as ckpt_mod
from gametheory_ukraine.analysis import executors
from gametheory_ukraine.analysis.checkpoint import Checkpoint
from gametheory_ukraine.analysis.sweep import sweep, sweep_to_file
from gametheory_ukraine.analysis.sweep_plan import plan_sweep
from gametheory_ukraine.cli import main
from gametheory_ukraine.core.errors import GTUError, OutputError, ParameterError

SEQ = {"form": "sequential", "scenario": "baseline-2025"}
TREE = {"rho": "0.01:0.5:2000"}  # 2,000 points of the territory tree (settlement for rho <= 1/27, then war)
NORMAL = {"c_I": "0:4:30", "d": "0:3:20"}  # chain-store's normal form: 2 or 3 equilibria a point, mixed ones too
# 1/(2a - 1) is undefined at a = 1/2: point 2 of the grid 0:2:9, in chunk 1 (points [2, 4)) with chunks of 2
DIVIDES = MINIMAL.replace("payoffs: {Row: a, Col: 1}", "payoffs: {Row: 1/(2*a - 1), Col: 1}")


@pytest.fixture(autouse=True)
def no_hang():
    """A test that hangs dumps its threads' stacks and ends the run (a failure), after 120 s."""
    faulthandler.dump_traceback_later(120, exit=True)
    yield
    faulthandler.cancel_dump_traceback_later()


@pytest.fixture(scope="module")
def cluster():
    """A LocalCluster of 2 worker processes with 1 thread each (closed at the end of the module)."""
    from distributed import LocalCluster

    c = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0",
                     silence_logs=logging.CRITICAL)
    yield c
    c.close()


@pytest.fixture(scope="module")
def client(cluster):
    from distributed import Client

    with Client(cluster) as c:
        yield c


@pytest.fixture(scope="module")
def territory():
    return gtu.load_model("territory")


@pytest.fixture(scope="module")
def tree_serial(territory):
    return sweep(territory, TREE, chunk_size=150, **SEQ)


def stamps(folder: Path) -> dict[str, tuple[int, int]]:
    """Chunk file name -> (inode, mtime_ns): a rewritten file gets a new inode (written beside, renamed)."""
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in folder.glob("chunk-*.parquet")}


def leftovers(*folders: Path) -> list[str]:
    return [p.name for f in folders for p in f.iterdir() if p.name.endswith(".part")]


def run_cli(*args: str, capsys) -> tuple[int, str]:
    code = main(["sweep", *args])
    return code, capsys.readouterr().err


# ---------------------------------------------------------------------------- dask equals serial
def test_dask_equals_serial_on_a_tree(client, territory, tree_serial, tmp_path):
    # 14 chunks of 150 points through a window of 4 in flight: results arrive out of order and are put back
    df = sweep(territory, TREE, chunk_size=150, executor=client, **SEQ)
    pd.testing.assert_frame_equal(df, tree_serial)
    assert df.attrs == tree_serial.attrs and df["point_id"].tolist() == list(range(2000))
    # the file: the same bytes of data as the serial file (one row group per chunk, written in order)
    sweep_to_file(territory, TREE, tmp_path / "dask.parquet", chunk_size=150, executor=client, **SEQ)
    sweep_to_file(territory, TREE, tmp_path / "serial.parquet", chunk_size=150, **SEQ)
    a, b = pd.read_parquet(tmp_path / "dask.parquet"), pd.read_parquet(tmp_path / "serial.parquet")
    pd.testing.assert_frame_equal(a, b)
    assert a.attrs == b.attrs
    pd.testing.assert_frame_equal(a, tree_serial, check_categorical=False)


def test_dask_equals_serial_on_a_normal_form_by_scheduler_address(cluster):
    m = gtu.load_model("chain-store")
    serial = gtu.sweep(m, NORMAL, form="normal", chunk_size=37)
    assert serial.attrs["engine"] == "bimatrix" and set(serial["n_equilibria"]) == {2, 3}
    on_dask = gtu.sweep(m, NORMAL, form="normal", chunk_size=37, executor=cluster.scheduler_address)
    pd.testing.assert_frame_equal(on_dask, serial)
    # a sampled (Sobol) design, with the scalar solver in exact arithmetic
    kw = dict(form="normal", method="sobol", samples=64, seed=11, chunk_size=10, exact=True)
    sobol = {"c_I": "0:4", "d": "0:3"}
    pd.testing.assert_frame_equal(gtu.sweep(m, sobol, executor=cluster, **kw), gtu.sweep(m, sobol, **kw))


# ---------------------------------------------------------------------------------- checkpoints
def test_resume_solves_only_the_missing_chunks(territory, tree_serial, tmp_path, monkeypatch):
    ck, out = tmp_path / "ck", tmp_path / "out.parquet"
    sweep_to_file(territory, TREE, out, chunk_size=150, checkpoint=ck, **SEQ)
    pd.testing.assert_frame_equal(pd.read_parquet(out), tree_serial, check_categorical=False)
    before = stamps(ck)
    assert sorted(before) == [f"chunk-{i:08d}.parquet" for i in range(14)]
    for i in (0, 5, 13):
        (ck / f"chunk-{i:08d}.parquet").unlink()
    (ck / ".chunk-00000005.parquet.abc123.part").write_bytes(b"half a chunk")  # as a SIGKILL leaves it
    # a killed run's temporary of the output: its name carries the writer's PID, here one no process can have
    (tmp_path / ".out.parquet.99999999.xyz.part").write_bytes(b"half a file")
    out.unlink()
    solved = []
    real = executors.solve_chunk

    def counting(plan, i):
        solved.append(i)
        return real(plan, i)

    monkeypatch.setattr(executors, "solve_chunk", counting)
    sweep_to_file(territory, TREE, out, chunk_size=150, checkpoint=ck, **SEQ)
    assert solved == [0, 5, 13]
    after = stamps(ck)
    assert sorted(after) == sorted(before)
    assert sorted(k for k in after if after[k] != before[k]) == [f"chunk-{i:08d}.parquet" for i in (0, 5, 13)]
    back = pd.read_parquet(out)
    pd.testing.assert_frame_equal(back, tree_serial, check_categorical=False)
    assert leftovers(ck, tmp_path) == []
    # everything there: nothing solved, the same table in memory
    solved.clear()
    pd.testing.assert_frame_equal(sweep(territory, TREE, chunk_size=150, checkpoint=ck, **SEQ), tree_serial)
    assert solved == []


def test_resume_on_dask_after_a_serial_start(client, territory, tree_serial, tmp_path):
    ck = tmp_path / "ck"
    sweep(territory, TREE, chunk_size=150, checkpoint=ck, **SEQ)
    before = stamps(ck)
    gone = [f"chunk-{i:08d}.parquet" for i in (1, 2, 3, 8, 9, 10, 11)]
    for name in gone:
        (ck / name).unlink()
    df = sweep(territory, TREE, chunk_size=150, checkpoint=ck, executor=client, **SEQ)
    pd.testing.assert_frame_equal(df, tree_serial)
    after = stamps(ck)
    assert sorted(after) == sorted(before)
    assert sorted(k for k in after if after[k] != before.get(k)) == gone


def test_sigkill_part_way_then_resume(territory, tmp_path):
    """A run killed with SIGKILL keeps whole chunk files only; the rerun completes to the serial table."""
    ck, out = tmp_path / "ck", tmp_path / "out.parquet"
    cmd = [sys.executable, "-m", "gametheory_ukraine", "sweep", "territory", "-p", "rho=0.01:0.5:80000",
           "--form", "sequential", "--scenario", "baseline-2025", "--chunk-size", "1000", "--checkpoint", str(ck),
           "-o", str(out)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(cmd, cwd=tmp_path, env=env, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while len(list(ck.glob("chunk-*.parquet"))) < 5 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL, proc.stderr.read().decode()
    done = len(list(ck.glob("chunk-*.parquet")))
    assert 5 <= done < 80 and not out.exists()
    rerun = subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert rerun.returncode == 0, rerun.stderr
    m = re.search(r"checkpoint \S+: (\d+) of 80 chunks were there, (\d+) solved now", rerun.stderr)
    assert m and int(m.group(1)) >= done and int(m.group(1)) + int(m.group(2)) == 80, rerun.stderr
    serial = sweep(territory, {"rho": "0.01:0.5:80000"}, chunk_size=1000, **SEQ)
    back = pd.read_parquet(out)
    pd.testing.assert_frame_equal(back, serial, check_categorical=False)
    assert back.attrs == {k: v for k, v in serial.attrs.items() if k != "rows"}
    assert leftovers(ck, tmp_path) == []


def test_another_sweep_with_the_same_checkpoint_is_refused(tmp_path, capsys):
    ck, out = tmp_path / "ck", tmp_path / "out.csv"
    base = ["territory", "--form", "sequential", "--scenario", "baseline-2025", "--checkpoint", str(ck), "-o",
            str(out)]
    code, err = run_cli(*base, "-p", "rho=0.01:0.5:101", "--chunk-size", "20", capsys=capsys)
    assert code == 0 and "0 of 6 chunks were there, 6 solved now" in err
    files = stamps(ck)
    code, err = run_cli(*base, "-p", "rho=0.01:0.5:102", "--chunk-size", "20", capsys=capsys)
    assert code == 2
    assert err.startswith("gtu: error: ") and len(err.strip().splitlines()) == 1
    assert "the checkpoint holds another sweep" in err and "specs.rho is '0.01:0.5:101' in the checkpoint" in err
    assert "'0.01:0.5:102' now" in err and "points is 101 in the checkpoint, 102 now" in err
    assert "use a new checkpoint folder" in err and str(ck) in err
    code, err = run_cli(*base, "-p", "rho=0.01:0.5:101", "--chunk-size", "25", capsys=capsys)
    assert code == 2 and "chunk_size is 20 in the checkpoint, 25 now" in err
    code, err = run_cli(*base, "-p", "rho=0.01:0.5:101", "--chunk-size", "20", "--scenario", "istanbul-2",
                        capsys=capsys)
    assert code == 2 and "scenario is 'baseline-2025' in the checkpoint, 'istanbul-2' now" in err
    assert stamps(ck) == files  # nothing written, nothing mixed
    code, err = run_cli(*base, "-p", "rho=0.01:0.5:101", "--chunk-size", "20", capsys=capsys)
    assert code == 0 and "6 of 6 chunks were there, 0 solved now" in err
    serial = tmp_path / "serial.csv"
    assert run_cli("territory", "--form", "sequential", "--scenario", "baseline-2025", "-p", "rho=0.01:0.5:101",
                   "-o", str(serial), capsys=capsys)[0] == 0
    assert out.read_bytes() == serial.read_bytes()  # the CSV assembled from the checkpoint, byte for byte


def test_a_changed_model_file_is_refused(tmp_path, capsys):
    model = tmp_path / "territory.yaml"
    shutil.copy(ROOT / "models" / "territory.yaml", model)
    ck, out = tmp_path / "ck", tmp_path / "out.parquet"
    args = [str(model), "-p", "rho=0.01:0.5:50", "--form", "sequential", "--chunk-size", "10", "--checkpoint",
            str(ck), "-o", str(out)]
    assert run_cli(*args, capsys=capsys)[0] == 0
    text = model.read_text(encoding="utf-8")
    assert text.count("\ntitle: ") == 1  # territory declares no parameter of its own: change its title
    model.write_text(text.replace("\ntitle: \"", "\ntitle: \"(changed) ", 1), encoding="utf-8")
    code, err = run_cli(*args, capsys=capsys)
    assert code == 2 and "the checkpoint holds another sweep: the model file changed (SHA-256" in err


def test_checkpoint_folder_checks(territory, tmp_path):
    plan = plan_sweep(territory, {"rho": "0.01:0.5:20"}, chunk_size=5, **SEQ)
    other = tmp_path / "other"
    other.mkdir()
    (other / "notes.txt").write_text("mine")
    with pytest.raises(OutputError, match="holds files but no manifest.json"):
        Checkpoint(other, plan).open()
    (tmp_path / "file").write_text("x")
    with pytest.raises(OutputError, match="is a file, not a folder"):
        Checkpoint(tmp_path / "file", plan).open()
    with Checkpoint(tmp_path / "ck", plan):  # held by a run in progress
        with pytest.raises(OutputError, match="another sweep is using this checkpoint folder"):
            sweep(territory, {"rho": "0.01:0.5:20"}, chunk_size=5, checkpoint=tmp_path / "ck", **SEQ)
    df = sweep(territory, {"rho": "0.01:0.5:20"}, chunk_size=5, checkpoint=tmp_path / "ck", **SEQ)
    assert len(df) == 20
    # a chunk file of another sweep (or damaged) is named, with the fix
    shutil.copy(tmp_path / "ck" / "chunk-00000001.parquet", tmp_path / "ck" / "chunk-00000002.parquet")
    with pytest.raises(OutputError, match=r"chunk-00000002.parquet: chunk 2 is damaged: its SHA-256 differs"):
        sweep(territory, {"rho": "0.01:0.5:20"}, chunk_size=5, checkpoint=tmp_path / "ck", **SEQ)
    # ... also when its checksum file came along: the chunk's own tag says which chunk it is
    shutil.copy(tmp_path / "ck" / "chunk-00000001.parquet.sha256", tmp_path / "ck" / "chunk-00000002.parquet.sha256")
    with pytest.raises(OutputError, match=r"chunk-00000002.parquet: the file is not chunk 2 \(points \[10, 15\)\)"):
        sweep(territory, {"rho": "0.01:0.5:20"}, chunk_size=5, checkpoint=tmp_path / "ck", **SEQ)


def test_a_sampled_design_without_seed_resumes_with_the_checkpoints_seed(tmp_path):
    m = gtu.load_model("chain-store")
    kw = dict(form="normal", method="mc", samples=40, chunk_size=8, checkpoint=tmp_path / "ck")
    first = gtu.sweep(m, {"c_I": "0:4", "d": "0:3"}, **kw)
    (tmp_path / "ck" / "chunk-00000003.parquet").unlink()
    again = gtu.sweep(m, {"c_I": "0:4", "d": "0:3"}, **kw)
    pd.testing.assert_frame_equal(again, first)
    assert again.attrs["seed"] == first.attrs["seed"]
    with pytest.raises(OutputError, match="seed is"):
        gtu.sweep(m, {"c_I": "0:4", "d": "0:3"}, seed=first.attrs["seed"] + 1, **kw)


# ----------------------------------------------------------------------------------------- faults
def test_a_killed_workers_chunk_is_retried(client, territory, tree_serial, tmp_path):
    marker = tmp_path / "killed"
    spec = f"6:{marker}"
    pids = set(client.run(os.getpid).values())
    client.run(lambda: os.environ.__setitem__("GTU_TEST_KILL_WORKER", spec))
    try:
        df = sweep(territory, TREE, chunk_size=150, executor=client, **SEQ)
    finally:
        client.run(lambda: os.environ.pop("GTU_TEST_KILL_WORKER", None))
    assert marker.exists()  # chunk 6 did kill the worker that ran it first...
    killed = int(marker.read_text())
    assert killed in pids
    client.wait_for_workers(2, timeout=60)
    assert killed not in set(client.run(os.getpid).values())  # ... which is gone (its nanny started a new one)
    pd.testing.assert_frame_equal(df, tree_serial)  # ... and the chunk was solved again elsewhere


def test_a_failing_chunk_is_reported_with_its_point_range(client, cluster, write_model, tmp_path, capsys):
    path = write_model(DIVIDES)
    for executor in (client, None):  # the batched engine, on Dask and serially
        with pytest.raises(ParameterError) as info:
            sweep(str(path), {"a": "0:2:9"}, chunk_size=2, executor=executor)
        text = str(info.value)
        assert text.startswith("chunk 1 (points [2, 4) of the design; a from 0.5 to 0.75) failed: ")
        assert "payoff of Row" in text
        assert "division by zero" in text
    # from the command line, with a checkpoint: one line, exit 2; finished chunks are kept, no output file
    out = tmp_path / "out.csv"
    for extra, kept in ((["--exact"], [0]), (["--dask", cluster.scheduler_address], None)):
        ck = tmp_path / f"ck{len(extra)}"
        code, err = run_cli(str(path), "-p", "a=0:2:9", "--chunk-size", "2", "--checkpoint", str(ck), *extra,
                            "-o", str(out), capsys=capsys)
        assert code == 2 and len(err.strip().splitlines()) == 1, err
        assert "chunk 1 (points [2, 4) of the design; a from 0.5 to 0.75) failed: " in err
        assert "payoff of Row" in err and "division by zero" in err
        done = sorted(stamps(ck))
        assert "chunk-00000001.parquet" not in done
        assert kept is None or done == [f"chunk-{i:08d}.parquet" for i in kept]
        assert not out.exists() and leftovers(ck, tmp_path) == []


# --------------------------------------------------------------------------------- the CLI route
def test_cli_dask_local_with_checkpoint(tree_serial, tmp_path, capsys):
    out, ck = tmp_path / "out.parquet", tmp_path / "ck"
    args = ["territory", "-p", "rho=0.01:0.5:2000", "--form", "sequential", "--scenario", "baseline-2025",
            "--chunk-size", "150", "--checkpoint", str(ck), "-o", str(out)]
    code, err = run_cli(*args, "--dask", "local", capsys=capsys)
    assert code == 0 and "0 of 14 chunks were there, 14 solved now" in err, err
    pd.testing.assert_frame_equal(pd.read_parquet(out), tree_serial, check_categorical=False)
    code, err = run_cli(*args, "--dask", "local", "--workers", "2", capsys=capsys)
    assert code == 2 and "with --dask, size the Dask cluster instead" in err
    code, err = run_cli(*args, "--dask", "my-laptop", capsys=capsys)
    assert code == 2 and "unknown Dask executor 'my-laptop'" in err


def test_without_dask_the_message_says_how_to_install_it(territory, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed -> ImportError
    with pytest.raises(GTUError, match=r'pip install "gametheory_ukraine\[dask\]"'):
        sweep(territory, {"rho": "0.01:0.5:5"}, executor="local", **SEQ)
    assert ckpt_mod.count_done("nowhere") == 0
