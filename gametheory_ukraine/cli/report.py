"""``gtu report``: the main job, a report of every framework model with figures and tables."""

from __future__ import annotations

import argparse
import sys

__all__ = ["HELP", "add_arguments", "run"]

HELP = ("the main job: solve every model, form and scenario, find the relapse thresholds, write a report with "
        "figures and tables")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-o", "--output", default="gtu-report", metavar="DIR",
                        help="output folder (default ./gtu-report)")
    parser.add_argument("--models", help="comma-separated model names (default: the framework models and "
                                             "talks-format and micro-deals)")


def _progress(model: str) -> None:
    print(f"gtu report: {model}", file=sys.stderr, flush=True)


def run(args: argparse.Namespace) -> int:
    """Write the report; say what it is doing, and where it wrote, on standard error."""
    from ..output.report import build_report

    models = [m.strip() for m in args.models.split(",") if m.strip()] if args.models else None
    out = build_report(args.output, models, progress=_progress)
    print(f"gtu report: wrote {out / 'index.md'} and {out / 'index.html'}", file=sys.stderr)
    return 0
