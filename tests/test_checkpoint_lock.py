"""The checkpoint folder's lock (``filelock``, an OS file lock): a second writer in another process is refused at
once with the one-line message, and the lock dies with the process holding it (no stale lock after SIGKILL)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading

import pytest

from gametheory_ukraine.analysis.checkpoint import Checkpoint
from gametheory_ukraine.analysis.sweep_plan import plan_sweep
from gametheory_ukraine.core.errors import OutputError

SPECS = {"rho": "0.01:0.5:20"}
ARGS = {"chunk_size": 5, "form": "sequential", "scenario": "baseline-2025"}

HOLDER = f"""
import sys
import threading
from gametheory_ukraine.analysis.checkpoint import Checkpoint
from gametheory_ukraine.analysis.sweep_plan import plan_sweep
plan = plan_sweep("territory", {SPECS!r}, **{ARGS!r})
with Checkpoint(sys.argv[1], plan):
    print("held", flush=True)
    sys.stdin.readline()  # hold the lock until told (or killed)
print("released", flush=True)
"""


@pytest.fixture
def plan():
    return plan_sweep("territory", SPECS, **ARGS)


def _hold(folder):
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(folder)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    if line.strip() != "held":
        proc.kill()
        raise AssertionError(f"the holder did not take the lock: {line!r} {proc.stderr.read()[-3000:]}")
    return proc


def test_a_second_writer_in_another_process_is_refused_until_the_first_releases(tmp_path, plan):
    folder = tmp_path / "ck"
    proc = _hold(folder)
    try:
        before = sorted(os.listdir(folder))
        assert before == [".lock", "manifest.json"]
        with pytest.raises(OutputError, match="another sweep is using this checkpoint folder now") as info:
            Checkpoint(folder, plan).open()
        assert str(info.value).count("\n") == 0 and "fix: wait for it to finish, or use another folder" in str(
            info.value)
        assert sorted(os.listdir(folder)) == before  # the refusal left the folder as it was
        out, err = proc.communicate("\n", timeout=120)
        assert proc.returncode == 0 and out.strip() == "released", err[-3000:]
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    with Checkpoint(folder, plan) as ck:  # released: the second writer gets it now
        assert ck.missing() == [0, 1, 2, 3]
    assert sorted(os.listdir(folder)) == [".lock", "manifest.json"]  # the lock file stays, as with flock before


def test_the_lock_dies_with_a_killed_holder(tmp_path, plan):
    folder = tmp_path / "ck"
    proc = _hold(folder)
    try:
        with pytest.raises(OutputError, match="another sweep is using"):
            Checkpoint(folder, plan).open()
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    with Checkpoint(folder, plan) as ck:  # no stale lock: the OS dropped it with the process
        assert ck.done() == set()


def test_the_same_process_cannot_open_a_folder_twice(tmp_path, plan):
    with Checkpoint(tmp_path / "ck", plan):
        second = Checkpoint(tmp_path / "ck", plan)
        with pytest.raises(OutputError, match="another sweep is using"):
            second.open()
        second.close()  # closing a refused checkpoint is harmless and does not release the first one's lock
        with pytest.raises(OutputError, match="another sweep is using"):
            Checkpoint(tmp_path / "ck", plan).open()


def test_closing_from_another_thread_releases_the_lock(tmp_path, plan):
    ck = Checkpoint(tmp_path / "ck", plan)
    ck.open()
    closer = threading.Thread(target=ck.close)
    closer.start()
    closer.join(timeout=60)
    with Checkpoint(tmp_path / "ck", plan) as again:  # released, though not by the thread that took it
        assert again.done() == set()
