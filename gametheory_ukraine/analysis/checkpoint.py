"""Checkpoints of sweeps: one Parquet file per finished chunk, a manifest, resuming, and the output only at the end.

A checkpoint is a folder::

    DIR/manifest.json            what the sweep is (model and its file's SHA-256, form, scenario, design, the
                                 other parameters' values, exactness, engine, points, chunking, columns, version)
    DIR/chunk-00000000.parquet   the rows of chunk 0 (global point_id), one file per finished chunk
    DIR/chunk-00000000.parquet.sha256   the SHA-256 of that file's bytes, written before the chunk is renamed
    DIR/chunk-00000001.parquet   ...
    DIR/.lock                    held (an OS file lock, via filelock) by the run using the folder

Every file is written under a temporary name beside its final name and renamed when complete, so a run killed at
any moment (SIGKILL included) leaves whole chunk files and at most some ``.chunk-*.part`` temporaries, which the
next run deletes: it loses only the chunks in flight. Running the same sweep again with the same folder resumes:
the manifest is compared with the new plan (a changed model file, grid, design, scenario, parameter, engine,
chunking or package version is refused with a message saying what differs), finished chunks are kept and only
the missing ones are solved. Every finished chunk's bytes are checked against its recorded SHA-256 when a run
resumes and again when the table is assembled: a chunk damaged on disk (a flipped bit, a file rewritten by
something else) is refused with the fix (delete it: the chunk is solved again), never read into the table. A
refused folder is left as it was (no lock file, no folder created). The sweep's table (in memory or the output
file) is assembled from the chunk files, in chunk order, only when every chunk is present, so it equals the
serial sweep's row for row.

:class:`Checkpoint` is the store: it knows the files of a plan's chunks, not how they are solved.
:func:`~gametheory_ukraine.analysis.sweep.sweep` and :func:`~gametheory_ukraine.analysis.sweep.sweep_to_file`
fill it with the chunks an executor solves (serially, in local processes or on Dask) and read the table back
from it.

Examples
--------
>>> import tempfile, pathlib
>>> from gametheory_ukraine.analysis.sweep import sweep
>>> folder = pathlib.Path(tempfile.mkdtemp()) / "ckpt"
>>> args = dict(form="sequential", scenario="baseline-2025", chunk_size=2)
>>> df = sweep("territory", {"rho": "0.02:0.06:5"}, checkpoint=folder, **args)
>>> for name in sorted(p.name for p in folder.iterdir()):
...     print(name)
.lock
chunk-00000000.parquet
chunk-00000000.parquet.sha256
chunk-00000001.parquet
chunk-00000001.parquet.sha256
chunk-00000002.parquet
chunk-00000002.parquet.sha256
manifest.json
>>> again = sweep("territory", {"rho": "0.02:0.06:5"}, checkpoint=folder, **args)  # nothing left to solve
>>> again.equals(df)
True
>>> sweep("territory", {"rho": "0.02:0.07:5"}, checkpoint=folder, **args)
Traceback (most recent call last):
...
gametheory_ukraine.core.errors.OutputError: ...: the checkpoint holds another sweep: specs.rho is '0.02:0.06:5' in the
checkpoint, '0.02:0.07:5' now (fix: use a new checkpoint folder for this sweep, or delete ... to start over)
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from filelock import FileLock, Timeout

from .._version import __version__
from ..core.errors import GTUError, OutputError
from ..core.files import atomic_path, write_text_atomic
from .designs import SAMPLED_METHODS
from .sweep_plan import SweepPlan, sweep_attrs

__all__ = ["Checkpoint", "plan_manifest", "resume_seed", "chunk_name", "count_done", "MANIFEST"]

MANIFEST = "manifest.json"
FORMAT = 2  # 2: chunks carry a .sha256 file
_LOCK = ".lock"
_CHUNK = re.compile(r"^chunk-(\d{8,})\.parquet$")
_STALE = re.compile(r"^\.(chunk-\d{8,}\.parquet(\.sha256)?|manifest\.json)\..*\.part$")
_SUM = ".sha256"
#: manifest keys that do not identify the sweep (informational only)
_INFO_KEYS = ("model_path",)
_CHUNK_META = b"gametheory_ukraine_chunk"


def chunk_name(i: int) -> str:
    """File name of chunk *i* in a checkpoint folder.

    >>> chunk_name(12)
    'chunk-00000012.parquet'
    """
    return f"chunk-{i:08d}.parquet"


def plan_manifest(plan: SweepPlan) -> dict[str, Any]:
    """The manifest of a checkpoint for *plan* (JSON-ready): everything that identifies the sweep's rows.

    Keys: ``format``, ``package``, ``version``, ``model``, ``model_sha256``, ``model_path`` (informational), ``form``,
    ``scenario``, ``method``, ``samples``, ``seed``, ``exact``, ``engine``, ``specs`` (name -> spec text),
    ``parameters`` (every other parameter -> exact value as text), ``points``, ``chunk_size``, ``n_chunks``,
    ``columns``.
    """
    attrs = sweep_attrs(plan)
    return {"format": FORMAT, "package": attrs["package"], "version": __version__, "model": attrs["model"],
            "model_sha256": attrs["model_sha256"], "model_path": str(plan.model.path or ""),
            "form": attrs["form"], "scenario": attrs["scenario"], "method": attrs["method"],
            "samples": attrs["samples"], "seed": attrs["seed"], "exact": attrs["exact"], "engine": attrs["engine"],
            "specs": attrs["specs"], "parameters": attrs["parameters"], "points": attrs["points"],
            "chunk_size": attrs["chunk_size"], "n_chunks": int(plan.n_chunks), "columns": list(plan.columns)}


def _identity(manifest: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in manifest.items() if k not in _INFO_KEYS}


def _digest(manifest: dict[str, Any]) -> str:
    blob = json.dumps(_identity(manifest), sort_keys=True, separators=(",", ":")).encode("utf-8")
    return hashlib.sha256(blob).hexdigest()[:16]


def _differences(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """What differs between two manifests, as readable lines (nested dicts compared key by key)."""
    out: list[str] = []
    first = ("model", "model_sha256", "version", "format")  # the reasons most worth saying first
    keys = sorted(set(_identity(old)) | set(_identity(new)), key=lambda k: (k not in first, first.index(k)
                                                                            if k in first else 0, k))
    for key in keys:
        a, b = old.get(key), new.get(key)
        if a == b:
            continue
        if isinstance(a, dict) and isinstance(b, dict):
            for sub in sorted(set(a) | set(b)):
                if a.get(sub) != b.get(sub):
                    out.append(f"{key}.{sub} is {_show(a.get(sub))} in the checkpoint, {_show(b.get(sub))} now")
        elif key == "model_sha256":
            out.append(f"the model file changed (SHA-256 {str(a)[:12]}... in the checkpoint, {str(b)[:12]}... now)")
        elif key == "columns":
            out.append("the table's columns differ")
        else:
            out.append(f"{key} is {_show(a)} in the checkpoint, {_show(b)} now")
    return out


def _show(value: Any) -> str:
    return "absent" if value is None else repr(value)


def _read_manifest(folder: Path) -> dict[str, Any] | None:
    path = folder / MANIFEST
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise OutputError(f"cannot read the checkpoint's manifest: {exc}", path=str(path),
                          fix=f"delete the folder {str(folder)!r} to start the sweep over") from None
    if not isinstance(data, dict) or data.get("package") != "gametheory_ukraine":
        raise OutputError("not a gametheory_ukraine checkpoint manifest", path=str(path),
                          fix="give another --checkpoint folder") from None
    return data


def resume_seed(folder: str | os.PathLike | None, method: str, seed: int | None) -> int | None:
    """The seed to plan with: *seed*, or -- for a sampled design without one -- the seed recorded in the
    checkpoint at *folder*, so that rerunning the same command resumes the same design.

    >>> resume_seed(None, "sobol", None) is None
    True
    >>> resume_seed("no-such-folder", "grid", None) is None
    True
    """
    if folder is None or seed is not None or method not in SAMPLED_METHODS:
        return seed
    with contextlib.suppress(GTUError):
        data = _read_manifest(Path(folder))
        if data is not None and data.get("method") == method and isinstance(data.get("seed"), int):
            return data["seed"]
    return seed


class Checkpoint:
    """A checkpoint folder for one plan; use as a context manager (it holds the folder's lock while open).

    Opening creates the folder (and its parents) if needed, takes the lock (refusing a folder another run is
    using), deletes temporaries left by a killed run, and writes the manifest -- or, if there is one, compares it
    with *plan* and refuses a different sweep.

    Parameters
    ----------
    folder : str or path-like
    plan : SweepPlan

    Raises
    ------
    OutputError
        The folder is a file, cannot be created or written, holds other files but no manifest, is in use by
        another run, or holds another sweep (the message lists what differs).
    """

    def __init__(self, folder: str | os.PathLike, plan: SweepPlan) -> None:
        self.folder = Path(folder)
        self.plan = plan
        self.manifest = plan_manifest(plan)
        self.digest = _digest(self.manifest)
        self._file_lock: FileLock | None = None

    # ------------------------------------------------------------------ opening
    def __enter__(self) -> Checkpoint:
        self.open()
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def open(self) -> None:
        """Create or check the folder and take its lock (see the class docstring); :meth:`close` releases it.

        A refusal leaves the folder as it was: no lock file or folder of this run stays behind.
        """
        folder = self.folder
        if folder.exists() and not folder.is_dir():
            raise OutputError("is a file, not a folder", path=str(folder), where="--checkpoint",
                              fix="give a folder name for the checkpoint")
        if folder.is_dir():
            self._refuse_foreign()
        created = [p for p in [folder, *folder.parents] if not p.exists()]
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(f"cannot create the checkpoint folder: {exc.strerror or exc}", path=str(folder),
                              where="--checkpoint", fix="choose a folder you can write to") from None
        lock_was_there = (folder / _LOCK).exists()
        try:
            if not os.access(folder, os.W_OK | os.X_OK):
                raise OutputError("the checkpoint folder is not writable", path=str(folder), where="--checkpoint",
                                  fix="choose a folder you can write to")
            self._lock()
            self._clean_stale()
            old = _read_manifest(folder)
            if old is None:
                self._refuse_foreign()
                write_text_atomic(folder / MANIFEST, json.dumps(self.manifest, indent=2, sort_keys=True) + "\n")
            elif _identity(old) != _identity(self.manifest):
                diffs = _differences(old, self.manifest)
                shown = "; ".join(diffs[:4]) + (f"; and {len(diffs) - 4} more" if len(diffs) > 4 else "")
                raise OutputError(f"the checkpoint holds another sweep: {shown}", path=str(folder),
                                  fix=f"use a new checkpoint folder for this sweep, or delete {str(folder)!r} to "
                                      "start over")
            else:
                for i in sorted(self.done()):
                    self.verify(i)
        except BaseException:
            self.close()
            if not lock_was_there:
                with contextlib.suppress(OSError):
                    os.unlink(folder / _LOCK)
            for p in created:  # innermost first; only if still empty
                with contextlib.suppress(OSError):
                    p.rmdir()
            raise

    def _refuse_foreign(self) -> None:
        """Refuse a folder with files but no manifest (before anything is created in it)."""
        if (self.folder / MANIFEST).exists():
            return
        others = [e.name for e in os.scandir(self.folder) if e.name != _LOCK]
        if others:
            raise OutputError(f"the folder holds files but no {MANIFEST} (e.g. {sorted(others)[0]!r}): it is "
                              "not a sweep checkpoint", path=str(self.folder), where="--checkpoint",
                              fix="give an empty or new folder")

    def _lock(self) -> None:
        # filelock: an OS lock on the lock file (flock on POSIX, msvcrt.locking on Windows), held by this object's
        # open handle and dropped by the OS if the process dies; timeout=0 refuses at once instead of waiting;
        # not thread-local, so that close() releases it from any thread, as closing the flock descriptor did
        lock = FileLock(self.folder / _LOCK, timeout=0, thread_local=False)
        try:
            lock.acquire()
        except Timeout:
            raise OutputError("another sweep is using this checkpoint folder now", path=str(self.folder),
                              where="--checkpoint", fix="wait for it to finish, or use another folder") from None
        self._file_lock = lock

    def close(self) -> None:
        """Release the folder's lock (the files stay, the lock file too)."""
        if self._file_lock is not None:
            self._file_lock.release()
            self._file_lock = None

    def __del__(self) -> None:
        self.close()

    def _clean_stale(self) -> None:
        for entry in os.scandir(self.folder):
            if _STALE.match(entry.name):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(entry.path)

    # ------------------------------------------------------------------ chunks
    def done(self) -> set[int]:
        """Indices of the finished chunks (the chunk files present)."""
        n = self.plan.n_chunks
        out = set()
        for entry in os.scandir(self.folder):
            m = _CHUNK.match(entry.name)
            if m and int(m.group(1)) < n:
                out.add(int(m.group(1)))
        return out

    def missing(self) -> list[int]:
        """Indices of the chunks still to solve, in order."""
        done = self.done()
        return [i for i in range(self.plan.n_chunks) if i not in done]

    def path(self, i: int) -> Path:
        """The file of chunk *i* (present only once the chunk is finished)."""
        return self.folder / chunk_name(i)

    def write(self, i: int, frame: pd.DataFrame) -> Path:
        """Write chunk *i*'s table atomically (temporary name, fsync, rename); return its path."""
        lo, hi = self.plan.bounds(i)
        table = pa.Table.from_pandas(frame, preserve_index=False)
        tag = json.dumps({"chunk": i, "lo": lo, "hi": hi, "sweep": self.digest}).encode("utf-8")
        table = table.replace_schema_metadata({**(table.schema.metadata or {}), _CHUNK_META: tag})
        final = self.path(i)
        with atomic_path(final, sweep=False) as tmp:
            pq.write_table(table, tmp)
            fd = os.open(tmp, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
            # the checksum is in place before the chunk: a chunk file is never there without it
            digest = _file_sha256(tmp)
            with atomic_path(self._sum_path(i), sweep=False) as sum_tmp:
                sum_tmp.write_text(f"{digest}  {final.name}\n", encoding="ascii")
        return final

    def _sum_path(self, i: int) -> Path:
        return self.folder / (chunk_name(i) + _SUM)

    def _recorded_sum(self, i: int) -> str | None:
        try:
            text = self._sum_path(i).read_text(encoding="ascii")
        except (OSError, ValueError):
            return None
        digest = text.split(maxsplit=1)[0] if text.split() else ""
        return digest if re.fullmatch(r"[0-9a-f]{64}", digest) else None

    def _damaged(self, i: int, why: str) -> OutputError:
        return OutputError(f"chunk {i} is damaged: {why}", path=str(self.path(i)),
                           fix="delete this file and run the same sweep again: the chunk will be solved again")

    def verify(self, i: int, data: bytes | None = None) -> None:
        """Check chunk *i*'s bytes (read from its file unless given as *data*) against its recorded SHA-256.

        Raises
        ------
        OutputError
            No valid checksum file, or bytes that differ from the ones written (with the fix: delete the chunk).
        """
        recorded = self._recorded_sum(i)
        if recorded is None:
            raise self._damaged(i, f"its checksum file {chunk_name(i) + _SUM} is missing or unreadable")
        actual = hashlib.sha256(data).hexdigest() if data is not None else _file_sha256(self.path(i))
        if actual != recorded:
            raise self._damaged(i, "its SHA-256 differs from the one recorded when it was written")

    def read(self, i: int) -> pd.DataFrame:
        """Chunk *i*'s table, checked to belong to this sweep and chunk.

        Raises
        ------
        OutputError
            The file is missing, damaged, or from another sweep (with the fix: delete it and run again).
        """
        path = self.path(i)
        lo, hi = self.plan.bounds(i)
        fix = "delete this file and run the same sweep again: the chunk will be solved again"
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise OutputError(f"chunk {i} is missing", path=str(path), fix="run the same sweep again") from None
        self.verify(i, data)
        try:
            table = pq.read_table(pa.BufferReader(data))
            tag = json.loads((table.schema.metadata or {}).get(_CHUNK_META, b"{}"))
        except Exception as exc:  # pyarrow raises several types for a damaged file
            raise OutputError(f"cannot read chunk {i}: {exc}", path=str(path), fix=fix) from None
        if tag != {"chunk": i, "lo": lo, "hi": hi, "sweep": self.digest}:
            raise OutputError(f"the file is not chunk {i} (points [{lo}, {hi})) of this sweep", path=str(path),
                              fix=fix)
        frame = table.to_pandas()
        if list(frame.columns) != self.plan.columns:
            raise OutputError(f"chunk {i} has other columns than the sweep", path=str(path), fix=fix)
        return frame


def _file_sha256(path: str | os.PathLike) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def count_done(folder: str | os.PathLike) -> int:
    """Number of chunk files in a checkpoint folder (0 if there is none).

    >>> count_done("no-such-folder")
    0
    """
    try:
        return sum(1 for e in os.scandir(folder) if _CHUNK.match(e.name))
    except OSError:
        return 0
