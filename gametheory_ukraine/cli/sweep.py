"""``gtu sweep``: solve a model over a grid or a sampled design; write the table to CSV or Parquet."""

from __future__ import annotations

import argparse
import math
import sys

from .common import add_max_size, assignments, whole_number

__all__ = ["HELP", "add_arguments", "run"]

HELP = "solve over a grid or a sampled design; write CSV or Parquet"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("model", help="model name or path")
    add_max_size(parser)
    parser.add_argument("-p", "--param", action="append", default=[], metavar="NAME=SPEC",
                        help="NAME=LO:HI:N (grid of N points), NAME=LO:HI (range for sampled designs), "
                             "NAME=V1,V2,... (listed values) or NAME=VALUE (fixed); repeatable")
    parser.add_argument("--method", choices=("grid", "lhs", "mc", "sobol"), default="grid")
    parser.add_argument("--samples", type=whole_number("--samples"),
                        help="number of points for lhs, mc and sobol designs")
    parser.add_argument("--seed", type=whole_number("--seed"),
                        help="seed of the sampled design (reproducible), 0 to 2**128-1")
    parser.add_argument("--form", help="normal or sequential (default: the model's first form)")
    parser.add_argument("--scenario", help="a named scenario (default: parameter defaults)")
    parser.add_argument("--exact", action="store_true",
                        help="exact arithmetic at every point, on the scalar path (slower)")
    parser.add_argument("--engine", choices=("auto", "batched", "scalar"), default="auto",
                        help="auto (default): batched for trees of perfect information and two-player normal "
                             "forms, scalar otherwise")
    parser.add_argument("--workers", type=whole_number("--workers"), default=1,
                        help="local processes (default 1); same output")
    parser.add_argument("--chunk-size", dest="chunk_size", type=whole_number("--chunk-size"), metavar="N",
                        help="points per chunk (default: about 262,144 rows a chunk, 65,536 for trees, 256 points "
                             "on the scalar engine); same output")
    parser.add_argument("--dask", metavar="local|tcp://HOST:PORT",
                        help="solve chunks as Dask tasks: 'local' starts a cluster sized to this machine, an "
                             "address connects to a running scheduler (needs gametheory_ukraine[dask]); same output")
    parser.add_argument("--checkpoint", metavar="DIR",
                        help="keep each finished chunk in DIR; rerunning the same command resumes, solving only "
                             "the missing chunks; the output is written when all are there")
    parser.add_argument("--max-points", dest="max_points", type=whole_number("budget"), metavar="N",
                        help="budget of the design's points (default 100,000,000; 10,000,000 for lhs, built "
                             "whole in memory)")
    parser.add_argument("--max-work", dest="max_work", type=whole_number("budget"), metavar="N",
                        help="budget of points x game size (nodes, or cells x players; x 1000 on the scalar "
                             "engine), default 2,000,000,000")
    parser.add_argument("-o", "--output", required=True, metavar="FILE", help="FILE.csv or FILE.parquet")


def run(args: argparse.Namespace) -> int:
    """Check the output path, sweep (streaming the table to the file chunk by chunk, so memory stays bounded),
    print one summary line to standard error; with a checkpoint the line also says how many chunks were already
    there."""
    if args.workers > 1 and args.dask is None:
        from ..core.workers import start_worker_server

        start_worker_server()  # the workers' fork server imports the solvers while this process does
    from ..analysis.checkpoint import count_done
    from ..analysis.designs import check_count, parse_spec
    from ..analysis.sweep import TABLE_SUFFIXES, sweep_to_file
    from ..core.files import check_output_path
    from ..modelling.registry import load_model

    workers = check_count(args.workers, "workers", option="--workers")
    chunk_size = args.chunk_size
    if chunk_size is not None:
        check_count(chunk_size, "chunk_size", option="--chunk-size")
    out = check_output_path(args.output, suffixes=TABLE_SUFFIXES)
    items = assignments(args.param, value="SPEC", example="rho=0.01:0.5:101")
    specs = {name: parse_spec(text, where=f"-p {item}") for name, text, item in items}
    model = load_model(args.model, max_entries=args.max_size)
    engine = "scalar" if args.exact else args.engine or "auto"
    checkpoint = args.checkpoint
    if checkpoint is not None:
        before = count_done(checkpoint)
    path, attrs = sweep_to_file(model, specs, out, form=args.form, scenario=args.scenario, method=args.method,
                                samples=args.samples, seed=args.seed, exact=bool(args.exact), engine=engine,
                                workers=workers, chunk_size=chunk_size, executor=args.dask, checkpoint=checkpoint,
                                max_points=args.max_points, max_work=args.max_work)
    seed = f", seed {attrs['seed']}" if attrs["seed"] is not None else ""
    n, rows = attrs["points"], attrs["rows"]
    resumed = ""
    if checkpoint is not None:
        total = max(1, math.ceil(n / attrs["chunk_size"]))
        resumed = f"; checkpoint {checkpoint}: {before:,} of {total:,} chunks were there, {total - before:,} solved now"
    print(f"gtu sweep: {attrs['model']} {attrs['form']}: {n:,} point{'s' * (n != 1)}, "
          f"{rows:,} row{'s' * (rows != 1)}{seed} -> {path}{resumed}", file=sys.stderr)
    return 0
