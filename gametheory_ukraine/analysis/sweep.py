"""Sweeps: solve a model over a grid or a sampled design of parameter values; a tidy table; CSV and Parquet.

:func:`sweep` plans the sweep (:func:`~gametheory_ukraine.analysis.sweep_plan.plan_in_memory`: the input is
checked and the table's size estimated before anything but one probe point is solved), runs the plan's chunks
on an executor (serially, in local processes: :mod:`gametheory_ukraine.analysis.executors`; on Dask:
:mod:`gametheory_ukraine.analysis.distributed`), through a checkpoint folder
(:mod:`gametheory_ukraine.analysis.checkpoint`) or not (:func:`chunk_tables`), and returns one row per (point,
equilibrium) (each chunk solved by :mod:`gametheory_ukraine.analysis.sweep_chunks`). :func:`sweep_to_file`
streams the same rows to a file chunk by chunk; :func:`write_table` writes a table to ``.csv`` or ``.parquet``
through :mod:`gametheory_ukraine.core.files` (path checked first, written under a temporary name, renamed when
complete).

Columns of the table, in order:

=============================================  =============================================================
``point_id``                                   0 .. n_points-1, the row of the design
every parameter of the model                   varied ones first (in the order given), then the others in the
                                               model's order with their (constant) scenario/fixed values, so
                                               a CSV file is self-contained; all float64
``equilibrium``                                index of the equilibrium within its point (-1: none found)
``n_equilibria``                               number of equilibria at the point
``outcome``                                    the equilibrium's outcome label (None if the model gives none)
``payoff:<player>``                            expected payoff of each player
``prob:<player>:<action>``                     normal form: probability of each action
``prob:<player>:<infoset>:<action>``           sequential form: behaviour probability at each information set
``regret``                                     the equilibrium's best-response certificate (0 when exact)
``complete``                                   whether the solver provably found every equilibrium at the point
=============================================  =============================================================

Numbers in the table are float64 also when ``exact=True`` (exact mode changes the solving: ties such as
rho = 1/27 in ``territory`` are found exactly, with both equilibria). ``df.attrs`` records the model name and the
SHA-256 of its file, form, scenario, method, samples, the seed used, exactness, the specs of the varied
parameters, the values of all other parameters (exact, as text) and the package version; Parquet files keep it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ..core.errors import ModelFileError, OutputError, ParameterError
from ..core.files import atomic_path, check_output_path, remove_stale_parts, write_with
from ..core.workers import usable_cores
from ..modelling.model import Model
from .checkpoint import Checkpoint, resume_seed
from .distributed import check_executor, dask_chunks, dask_client
from .executors import labelled, progress_bar, run_chunks, serial_rows
from .sweep_chunks import CATEGORICAL_COLUMNS, TableBuilder, concat_tables
from .sweep_plan import SweepPlan, plan_in_memory, plan_sweep, sweep_attrs, too_big

__all__ = ["sweep", "sweep_to_file", "write_table", "chunk_tables", "check_apart", "check_model_unchanged",
           "TABLE_SUFFIXES", "HELPER_THREAD_ROWS"]

TABLE_SUFFIXES = (".csv", ".parquet")

#: Estimated rows from which an in-memory sweep with a core to spare writes its table's constant columns in a helper
#: thread: a smaller table's columns are a few MB, which the sweeping thread fills in well under a millisecond.
HELPER_THREAD_ROWS = 1 << 16


# --------------------------------------------------------------------------------------- the sweep
def sweep(model: Model | str | os.PathLike, values: Mapping[str, Any], *, form: str | None = None,
          scenario: str | None = None, method: str = "grid", samples: int | None = None, seed: int | None = None,
          exact: bool = False, progress: bool | None = None, max_rows: int = 50_000_000, engine: str = "auto",
          workers: int = 1, chunk_size: int | None = None, executor: Any = None,
          checkpoint: str | os.PathLike | None = None, max_points: int | None = None,
          max_work: int | None = None) -> pd.DataFrame:
    """Solve *model* at every point of a design; one row per (point, equilibrium).

    Parameters
    ----------
    model : Model or str
        A loaded model, or a model name / path for :func:`gametheory_ukraine.load_model`.
    values : mapping of str -> spec
        Parameter name -> what it takes: a :class:`~gametheory_ukraine.analysis.designs.Spec`, spec text
        (``"0.01:0.5:101"``, ``"0.01:0.5"``, ``"0.1,0.2"``, ``"0.05"``), a number (fixed), a 2-tuple ``(lo, hi)``
        (a range, for sampled designs) or a list/array (listed values, for grids). Parameters not named keep
        their *scenario* values.
    form : str, optional
        ``"normal"`` or ``"sequential"`` (default: the model's first form).
    scenario : str, optional
        A named scenario (default: the parameter defaults).
    method : {"grid", "lhs", "mc", "sobol"}
        See :func:`~gametheory_ukraine.analysis.designs.design`.
    samples : int, optional
        Points of a sampled design (required for ``lhs``, ``mc``, ``sobol``; a power of 2 for ``sobol``).
    seed : int, optional
        Seed of a sampled design; None draws a fresh one, recorded in ``df.attrs["seed"]``.
    exact : bool
        Solve each point in exact rational arithmetic (grid points exact; sampled floats read as their shortest
        decimal). Slower for some games; ties are found exactly. Default: floats.
    progress : bool, optional
        A tqdm bar on stderr. None: only when stderr is a terminal and there are more than 200 points.
    max_rows : int
        Refuse (before solving all points) a sweep whose estimated rows exceed this. Also refused: an estimate
        above the memory available now.
    engine : {"auto", "batched", "scalar"}
        ``"auto": the batched engines (:mod:`gametheory_ukraine.batched`) for float sweeps of
        perfect-information trees and of two-player normal forms, the scalar per-point solver otherwise (and
        always with ``exact=True``). All give the exact scalar solver's equilibria: the batched engines re-solve
        doubtful points (near-ties, threshold points) on the exact path.
    workers : int, default 1
        Local processes to solve chunks in, this one included (see
        :func:`~gametheory_ukraine.analysis.executors.run_chunks`); the table does not depend on it. With fewer
        processes than the CPUs this process may use and a table of at least :data:`HELPER_THREAD_ROWS` estimated
        rows, a thread beside the sweep writes the constant parameter columns and faults in the table's fresh memory
        (:class:`~gametheory_ukraine.analysis.sweep_chunks.TableBuilder`, *helper_thread*).
    chunk_size : int, optional
        Points per chunk (see :func:`~gametheory_ukraine.analysis.sweep_plan.plan_sweep`); the table does not
        depend on it.
    executor : str or distributed.Client or Dask cluster, optional
        Solve the chunks as Dask tasks (:mod:`gametheory_ukraine.analysis.distributed`): ``"local"`` (a
        ``LocalCluster`` sized to the machine), a scheduler address ``"tcp://HOST:PORT"``, a ``Client`` or a
        cluster object (e.g. ``dask_jobqueue.SLURMCluster``). Needs ``pip install "gametheory_ukraine[dask]"``;
        *workers* must then be 1. The table does not depend on it.
    checkpoint : str or path-like, optional
        A folder keeping each finished chunk as a Parquet file with a manifest
        (:mod:`gametheory_ukraine.analysis.checkpoint`): running the same sweep again resumes, solving only the
        missing chunks; another sweep with the same folder is refused. A sampled design without *seed* resumes
        with the checkpoint's seed. The table does not depend on it.
    max_points : int, optional
        Budget of the design's points, checked before anything is built or solved (default
        :data:`~gametheory_ukraine.analysis.designs.MAX_POINTS`, 10**8; 10**7 for Latin hypercube designs,
        which are built whole).
    max_work : int, optional
        Budget of the sweep's work, points x the game's size (nodes of a tree, cells x players of a normal form;
        x 100 on the scalar engine), checked after one probe solve and before the others (default
        :data:`~gametheory_ukraine.analysis.sweep_plan.MAX_SWEEP_WORK`).

    Returns
    -------
    pandas.DataFrame
        Columns as in the module docstring, shape (sum over points of max(1, n_equilibria), n_columns);
        ``attrs``: ``model``, ``model_sha256``, ``form``, ``scenario``, ``method``, ``samples``, ``seed``,
        ``exact``, ``varied`` (names), ``specs`` (name -> spec text), ``parameters`` (every other parameter ->
        exact value as text), ``points``, ``rows``, ``engine``, ``chunk_size``, ``package``, ``version``.

    Raises
    ------
    ParameterError
        Unknown parameter names (with the closest name), bad specs (empty ranges, LO > HI, N < 1), values outside a
        parameter's [low, high], a missing ``samples``, a sweep too big (with how to split it), unknown form or
        scenario. All raised before any point is solved, except a size overrun found while solving.

    Examples
    --------
    Ukraine cedes all of Donbas only while rho <= 1/27 (models/README.md); its settlement value at rho = 0.02 is
    (0.3 + 0.9 * 0.03 * 1.5) / (1 - 0.9 * 0.97) = 2.6811 (:func:`~gametheory_ukraine.analysis.relapse.settlement_value`,
    hazard rho (1 + kappa) = 0.03):

    >>> import gametheory_ukraine as gtu
    >>> m = gtu.load_model("territory")
    >>> df = sweep(m, {"rho": "0.02:0.06:3"}, form="sequential", scenario="baseline-2025")
    >>> df[["point_id", "rho", "outcome", "payoff:Ukraine"]].round(4)
       point_id   rho                      outcome  payoff:Ukraine
    0         0  0.02  settlement on Russian terms          2.6811
    1         1  0.04               war continues          2.5000
    2         2  0.06               war continues          2.5000
    """
    seed = resume_seed(checkpoint, method, seed)
    plan, rows_estimate = plan_in_memory(model, values, form=form, scenario=scenario, method=method, samples=samples,
                                         seed=seed, exact=exact, engine=engine, chunk_size=chunk_size,
                                         max_rows=max_rows, max_points=max_points, max_work=max_work)
    first = plan.specs[0][0] if plan.specs else None

    def check(total: int, done: int) -> None:
        if total > max_rows:
            raise too_big(f"more than max_rows={max_rows:,} rows after {done} of {plan.n_chunks} chunks",
                          plan.points, int(total * plan.n_chunks / done), max_rows, plan.method, first)

    if executor is None and checkpoint is None:
        # every chunk's rows go straight into the final columns (no per-chunk tables to copy); worker processes
        # send back only the solved columns of their chunks
        # with a core to spare and a large table, a thread writes the constant columns and faults in its fresh memory
        helper = workers < usable_cores() and rows_estimate >= HELPER_THREAD_ROWS
        builder = TableBuilder(plan, capacity=rows_estimate + plan.chunk_size, helper_thread=helper)
        order = list(range(plan.n_chunks))
        parts = serial_rows(plan, progress, builder) if workers == 1 else \
            run_chunks(plan, workers=workers, progress=progress, rows=True)
        with contextlib.closing(parts), contextlib.closing(builder):  # closed at once if a chunk fails or is too big
            for done, (_, part) in enumerate(labelled(plan, order, parts), start=1):
                builder.append(*part)
                check(builder.rows, done)
            df = builder.frame()
        if workers != 1:
            check_model_unchanged(plan)
    else:
        frames = []
        total = 0
        for frame in chunk_tables(plan, workers=workers, progress=progress, executor=executor,
                                  checkpoint=checkpoint):
            total += len(frame)
            check(total, len(frames) + 1)
            frames.append(frame)
        df = concat_tables(frames)
        check_model_unchanged(plan)
    df.attrs.update({**sweep_attrs(plan), "rows": len(df)})
    return df


# ------------------------------------------------------------------------------------- running chunks
def _check_executor(workers: int, executor: Any) -> None:
    if executor is None:
        return
    if workers != 1:
        raise ParameterError(f"workers={workers} and a Dask executor were both given", where="--workers",
                             fix="with --dask, size the Dask cluster instead (leave --workers at 1)")
    check_executor(executor)


def chunk_tables(plan: SweepPlan, *, workers: int = 1, progress: bool | None = None, executor: Any = None,
                 checkpoint: str | os.PathLike | None = None,
                 output: str | os.PathLike | None = None) -> Iterator[pd.DataFrame]:
    """The chunk tables of *plan*, in chunk order, however they are computed.

    Without a checkpoint the chunks are solved as the returned iterator is consumed. With one, this call opens
    the checkpoint and solves every missing chunk before it returns; the iterator then reads the chunk files in
    order (and releases the folder's lock when exhausted or closed).

    Parameters
    ----------
    plan : SweepPlan
    workers : int, default 1
        Local processes (:func:`~gametheory_ukraine.analysis.executors.run_chunks`); must be 1 with *executor*.
    progress : bool, optional
        A tqdm bar over points on stderr (None: only on a terminal, for more than 200 points).
    executor : str or distributed.Client or cluster, optional
        Solve the chunks on Dask (:func:`~gametheory_ukraine.analysis.distributed.dask_client`): ``"local"``, a
        scheduler address ``"tcp://HOST:PORT"``, a ``distributed.Client`` or a cluster object.
    checkpoint : str or path-like, optional
        A checkpoint folder (:class:`~gametheory_ukraine.analysis.checkpoint.Checkpoint`): finished chunks
        already there are kept, the missing ones are solved (in any order) and written there, and the tables are
        read back from it, in order, only when every chunk is present.
    output : str or path-like, optional
        The output file to be written from the tables: temporaries of it left by a killed run are deleted
        (checkpoint runs only; call this before creating the output's own temporary file).

    Returns
    -------
    iterator of pandas.DataFrame
        Chunk 0, 1, ... tables, as :func:`~gametheory_ukraine.analysis.sweep_chunks.solve_chunk` returns them.
    """
    _check_executor(workers, executor)
    if checkpoint is None:
        return _direct_tables(plan, workers=workers, progress=progress, executor=executor)
    ck = Checkpoint(checkpoint, plan)
    ck.open()
    try:
        if output is not None:
            # temporaries of the output left by a run killed while writing it (whose writing process is gone)
            remove_stale_parts(Path(output))
        _fill(ck, workers=workers, progress=progress, executor=executor)
        left = ck.missing()
        if left:  # pragma: no cover - every chunk was written above or raised
            raise OutputError(f"{len(left)} chunks are missing (first: {left[0]})", path=str(ck.folder),
                              fix="run the same sweep again")
    except BaseException:
        ck.close()
        raise
    return _read_tables(ck)


def _direct_tables(plan: SweepPlan, *, workers: int, progress: bool | None,
                   executor: Any) -> Iterator[pd.DataFrame]:
    if executor is None:
        order = list(range(plan.n_chunks))
        tables = run_chunks(plan, workers=workers, progress=progress)
        with contextlib.closing(tables):  # closed at once (workers stopped) if the consumer stops early
            for _, frame in labelled(plan, order, tables):
                yield frame
        return
    with dask_client(executor) as client, progress_bar(plan, progress) as bar:
        for i, frame in dask_chunks(plan, client, range(plan.n_chunks), ordered=True):
            bar.update(plan.chunk_points(i))
            yield frame


def _fill(ck: Checkpoint, *, workers: int, progress: bool | None, executor: Any) -> None:
    """Solve the chunks missing from *ck* and write each as it arrives."""
    plan = ck.plan
    todo = ck.missing()
    if not todo:
        return
    done_points = plan.points - sum(plan.chunk_points(i) for i in todo)
    with progress_bar(plan, progress, done_points) as bar:
        if executor is None:
            tables = run_chunks(plan, workers=workers, progress=False, chunks=todo)
            with contextlib.closing(tables):  # a failed write stops the workers at once
                for i, frame in labelled(plan, todo, tables):
                    ck.write(i, frame)
                    bar.update(plan.chunk_points(i))
            return
        with dask_client(executor) as client:
            for i, frame in dask_chunks(plan, client, todo, ordered=False):
                ck.write(i, frame)
                bar.update(plan.chunk_points(i))


def _read_tables(ck: Checkpoint) -> Iterator[pd.DataFrame]:
    try:
        for i in range(ck.plan.n_chunks):
            yield ck.read(i)
    finally:
        ck.close()


# ------------------------------------------------------------------------------------------ output
def write_table(df: pd.DataFrame, path: str | os.PathLike) -> Path:
    """Write a sweep table to ``.csv`` or ``.parquet`` (by suffix), atomically.

    The path is checked first (:func:`~gametheory_ukraine.core.files.check_output_path`); the file is written
    under a temporary name beside it and renamed when complete, so no half-written file ever has the final
    name. CSV: the columns only (every parameter is a column). Parquet: the columns with their dtypes, and
    ``df.attrs`` as JSON in the schema metadata under ``gametheory_ukraine`` and ``PANDAS_ATTRS`` (which
    ``pandas.read_parquet`` restores into ``attrs``).

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    OutputError
        Another suffix, a missing or unwritable folder, a folder given as the file, no pyarrow for Parquet.
    """
    p = check_output_path(path, suffixes=TABLE_SUFFIXES)
    if p.suffix.lower() == ".csv":
        return write_with(p, lambda tmp: df.to_csv(tmp, index=False))
    table = pa.Table.from_pandas(df, preserve_index=False)
    blob = json.dumps(df.attrs, sort_keys=True, default=str).encode("utf-8")
    table = table.replace_schema_metadata({**(table.schema.metadata or {}), b"gametheory_ukraine": blob,
                                           b"PANDAS_ATTRS": blob})
    return write_with(p, lambda tmp: pq.write_table(table, tmp))


def sweep_to_file(model, values: Mapping[str, Any], path: str | os.PathLike, *, form: str | None = None,
                  scenario: str | None = None, method: str = "grid", samples: int | None = None,
                  seed: int | None = None, exact: bool = False, progress: bool | None = None, engine: str = "auto",
                  workers: int = 1, chunk_size: int | None = None, executor: Any = None,
                  checkpoint: str | os.PathLike | None = None, max_points: int | None = None,
                  max_work: int | None = None) -> tuple[Path, dict[str, Any]]:
    """Sweep straight to a ``.parquet`` or ``.csv`` file, chunk by chunk, in bounded memory.

    The path is checked before anything is solved; chunks are solved in order (serially or in *workers*
    processes, :func:`~gametheory_ukraine.analysis.executors.run_chunks`) and each is appended to a temporary file
    beside *path* (one Parquet row group per chunk) that is renamed to *path* only when every chunk is written: no
    half-written file ever has the final name. Memory holds a few chunks at a time, whatever the number of
    points. The file holds the rows of ``write_table(sweep(...), path)`` for the same arguments (Parquet: the same
    columns and dtypes, and the same ``attrs`` except ``rows``, which is known only at the end: it is the file's
    row count, also stored in the footer under ``gametheory_ukraine_rows``).

    Parameters
    ----------
    model, values, form, scenario, method, samples, seed, exact, progress, engine, workers, chunk_size
        As for :func:`sweep`.
    executor, max_points, max_work
        As for :func:`sweep` (with *executor*, chunks are solved on Dask in any order and written in order).
    checkpoint : str or path-like, optional
        As for :func:`sweep`: finished chunks are kept in the folder, a rerun solves only the missing ones, and
        the file is written from the folder, in order, only when every chunk is there.
    path : str or path-like
        ``.parquet`` or ``.csv``.

    Returns
    -------
    path : pathlib.Path
        The file written.
    attrs : dict
        The table's ``attrs`` (as :func:`sweep`), with ``rows``.

    Raises
    ------
    ParameterError, OutputError
        Bad input (before solving) or a bad path (before solving).
    """
    out = check_output_path(path, suffixes=TABLE_SUFFIXES)
    if checkpoint is not None:
        check_apart(out, checkpoint)
    plan = plan_sweep(model, values, form=form, scenario=scenario, method=method, samples=samples,
                      seed=resume_seed(checkpoint, method, seed), exact=exact, engine=engine, chunk_size=chunk_size,
                      max_points=max_points, max_work=max_work)
    attrs = sweep_attrs(plan)
    tables = chunk_tables(plan, workers=workers, progress=progress, executor=executor, checkpoint=checkpoint,
                          output=out)
    rows = 0
    with contextlib.closing(tables), atomic_path(out) as tmp:
        if out.suffix.lower() == ".csv":
            with open(tmp, "w", encoding="utf-8", newline="") as fh:
                for k, frame in enumerate(tables):
                    frame.to_csv(fh, index=False, header=(k == 0))
                    rows += len(frame)
        else:
            writer = None
            try:
                for frame in tables:
                    table = pa.Table.from_pandas(frame, preserve_index=False)
                    if writer is None:
                        schema = _stable_schema(table.schema, attrs)
                        writer = pq.ParquetWriter(tmp, schema)
                    writer.write_table(table.cast(schema))
                    rows += len(frame)
                writer.add_key_value_metadata({"gametheory_ukraine_rows": str(rows)})
            finally:
                if writer is not None:
                    writer.close()
        check_model_unchanged(plan)
    attrs["rows"] = rows
    return out, attrs


def check_apart(out: Path, checkpoint: str | os.PathLike) -> None:
    """Refuse an output file that is the checkpoint folder or lies inside it (before anything is solved).

    Raises
    ------
    OutputError
        Naming both paths and the fix.
    """
    target = Path(os.path.realpath(out))
    folder = Path(os.path.realpath(checkpoint))
    if target == folder or folder in target.parents:
        raise OutputError(f"the output file {str(out)!r} would be the checkpoint folder or inside it",
                          path=str(checkpoint), where="--checkpoint",
                          fix="give the checkpoint its own folder, apart from the -o file (e.g. -o table.parquet "
                              "--checkpoint table-chunks)")


def check_model_unchanged(plan: SweepPlan) -> None:
    """Refuse a sweep whose model file changed while it ran (its SHA-256 differs from the plan's).

    Called when every chunk is solved, before the table gets its final name: local workers and Dask workers
    load the model file themselves, so an edit during the run could mix two versions of the model.

    Raises
    ------
    ModelFileError
        The file changed or is gone (with the fix: run the sweep again).
    """
    model = plan.model
    if not model.path or not model.sha256 or not os.path.isfile(model.path):
        if model.path and model.sha256 and not os.path.exists(model.path):
            raise ModelFileError("the model file was removed while the sweep ran", path=model.path,
                                 fix="restore it and run the sweep again")
        return
    h = hashlib.sha256()
    with open(model.path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    digest = h.hexdigest()
    included = model.meta.get("included_files", ()) if model.meta else ()
    if included:
        # a model that includes calibration files carries the loader's combined digest (its own file's, then
        # each included file's by name): recompute it from the files as they are now
        combined = hashlib.sha256(digest.encode())
        for name, inc_path, *_ in included:
            try:
                with open(inc_path, "rb") as fh:
                    combined.update(f"\n{name} {hashlib.sha256(fh.read()).hexdigest()}".encode())
            except OSError:
                combined.update(f"\n{name} (gone)".encode())
        digest = combined.hexdigest()
    if digest != model.sha256:
        raise ModelFileError("the model file changed while the sweep ran (its SHA-256 differs from the one the "
                             "sweep started with); nothing was written", path=model.path,
                             fix="run the sweep again when the file is final (results of two versions of a model "
                                 "are never mixed)")


def _stable_schema(schema, attrs: Mapping[str, Any]):
    """The first chunk's schema with the categorical columns as dictionary<int32, string> (so every chunk casts
    to it, whatever its categories) and the sweep's attrs (without ``rows``, added at the end) in the metadata."""
    fields = [pa.field(f.name, pa.dictionary(pa.int32(), pa.string())) if f.name in CATEGORICAL_COLUMNS else f
              for f in schema]
    meta = dict(schema.metadata or {})
    meta.pop(b"pandas", None)  # written per chunk by from_pandas; the categories differ between chunks
    blob = json.dumps(dict(attrs), sort_keys=True, default=str).encode("utf-8")
    meta.update({b"gametheory_ukraine": blob, b"PANDAS_ATTRS": blob})
    return pa.schema(fields, metadata=meta)
