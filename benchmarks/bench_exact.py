"""Benchmark: exact enumeration of every extreme equilibrium of a bimatrix game, ours against lrsnash and
pygambit's ``enummixed``, on the same games in the same run.

Run ``python benchmarks/bench_exact.py`` (``--quick``: 4 x 4 to 10 x 10, one game per cell). Not a test: it
prints a table and whether the targets are met.

Games: square, payoffs drawn uniformly from the integers 0..99 (``random``; degenerate now and then, through
ties) and 0..3 (``degenerate``: many ties, continua of equilibria), three seeded games per size and kind, sizes
4 x 4 to 14 x 14. Times are medians over the games of one cell; each game is solved once by each program:

* ours: ``extreme_equilibria(A, B, exact=True)`` in this process;
* lrsnash: ``lrsnash_equilibria`` (lrslib 7.1, GPL, run as a subprocess; the time includes writing its input
  file, starting the program and reading its output, as a user of ``method="lrsnash"`` pays);
* pygambit: ``enummixed_solve(rational=True)``, up to 8 x 8 (at 10 x 10 one game takes minutes).

A second table gives CPU time (``time.process_time`` for ours; the lrsnash child processes' user and system time
from ``getrusage``), which other load on the machine disturbs less than wall time.

"agree" says whether the three sets of extreme equilibria are identical on every game of the cell (two where
pygambit was not run). Targets: within 3x of lrsnash on the random 10 x 10, 12 x 12 and 14 x 14 games; at most
the ratio the earlier candidate-basis enumeration had up to 8 x 8 (0.7x lrsnash at 4 x 4, 2.7x at 6 x 6, 13x at
8 x 8, measured on the same machine before this method).
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time
from fractions import Fraction

import numpy as np

from gametheory_ukraine.solvers.lrs import find_lrsnash, lrsnash_equilibria
from gametheory_ukraine.solvers.two_player import extreme_equilibria

EARLIER_RATIO = {4: 0.7, 6: 2.7, 8: 13.0}
TARGET_SIZES = (10, 12, 14)
GAMBIT_UP_TO = 8


def game(size: int, high: int, seed: int) -> tuple[list, list]:
    rng = np.random.default_rng(seed)
    return rng.integers(0, high + 1, (size, size)).tolist(), rng.integers(0, high + 1, (size, size)).tolist()


def timed(fn, *args, **kwargs):
    """(wall seconds, CPU seconds of this process and of the children it waited for, result)."""
    start, cpu = time.perf_counter(), time.process_time()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = fn(*args, **kwargs)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = time.process_time() - cpu + (after.ru_utime + after.ru_stime) - (children.ru_utime + children.ru_stime)
    return time.perf_counter() - start, cpu, out


def as_set(equilibria) -> set:
    return {(tuple(x), tuple(y)) for x, y in equilibria}


def gambit_set(A, B) -> set:
    import pygambit as gbt  # optional peer, only here

    gm = gbt.Game.from_arrays(np.array(A, dtype=object), np.array(B, dtype=object))
    res = gbt.nash.enummixed_solve(gm, rational=True)
    p1, p2 = gm.players
    return {(tuple(Fraction(eq[s]) for s in p1.strategies), tuple(Fraction(eq[s]) for s in p2.strategies))
            for eq in res.equilibria}


def cell(size: int, kind: str, games: int) -> dict:
    high = 99 if kind == "random" else 3
    ours_t, lrs_t, gbt_t, agree, counts = [], [], [], True, []
    ours_c, lrs_c = [], []
    for k in range(games):
        A, B = game(size, high, seed=100 * size + k + (0 if kind == "random" else 50))
        t, c, sol = timed(extreme_equilibria, A, B, exact=True)
        ours_t.append(t)
        ours_c.append(c)
        t, c, ref = timed(lrsnash_equilibria, A, B)
        lrs_t.append(t)
        lrs_c.append(c)
        ours, theirs = as_set(sol.equilibria), as_set(ref.equilibria)
        counts.append(len(ours))
        agree &= ours == theirs
        if size <= GAMBIT_UP_TO:
            t, _, g = timed(gambit_set, A, B)
            gbt_t.append(t)
            agree &= g == ours
    return {"size": size, "kind": kind, "ours": statistics.median(ours_t), "lrsnash": statistics.median(lrs_t),
            "gambit": statistics.median(gbt_t) if gbt_t else None, "agree": agree,
            "ours_cpu": statistics.median(ours_c), "lrsnash_cpu": statistics.median(lrs_c),
            "equilibria": "/".join(map(str, counts))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="4 x 4 to 10 x 10, one game per cell")
    args = parser.parse_args()
    if find_lrsnash() is None:
        raise SystemExit('lrsnash not found: pip install "gametheory_ukraine[lrs]" or apt-get install lrslib')
    sizes = (4, 6, 8, 10) if args.quick else (4, 6, 8, 10, 12, 14)
    games = 1 if args.quick else 3
    extreme_equilibria([[1, 0], [0, 1]], [[1, 0], [0, 1]], exact=True)  # imports and first call
    rows = [cell(size, kind, games) for size in sizes for kind in ("random", "degenerate")]
    print("| size | payoffs | equilibria per game | ours (s) | lrsnash (s) | pygambit enummixed (s) | ours / lrsnash "
          "| pygambit / ours | sets agree |")
    print("|---|---|---|---:|---:|---:|---:|---:|---|")
    for r in rows:
        g = "not run" if r["gambit"] is None else f"{r['gambit']:.4f}"
        gr = "" if r["gambit"] is None else f"{r['gambit'] / r['ours']:.1f}"
        print(f"| {r['size']} x {r['size']} | {'0..99' if r['kind'] == 'random' else '0..3'} | {r['equilibria']} "
              f"| {r['ours']:.4f} | {r['lrsnash']:.4f} | {g} | {r['ours'] / r['lrsnash']:.2f} | {gr} "
              f"| {'yes' if r['agree'] else 'NO'} |")
    print()
    print("CPU time (this process for ours, the lrsnash child processes for lrsnash; less sensitive to load):")
    print()
    print("| size | payoffs | ours CPU (s) | lrsnash CPU (s) | ours / lrsnash (CPU) |")
    print("|---|---|---:|---:|---:|")
    for r in rows:
        print(f"| {r['size']} x {r['size']} | {'0..99' if r['kind'] == 'random' else '0..3'} | {r['ours_cpu']:.4f} "
              f"| {r['lrsnash_cpu']:.4f} | {r['ours_cpu'] / r['lrsnash_cpu']:.2f} |")
    print()
    for r in rows:
        if r["kind"] != "random":
            continue
        ratio = r["ours"] / r["lrsnash"]
        if r["size"] in TARGET_SIZES:
            print(f"target {r['size']} x {r['size']}: within 3x of lrsnash: {'met' if ratio <= 3 else 'NOT met'} "
                  f"({ratio:.2f}x)")
        elif r["size"] in EARLIER_RATIO:
            print(f"target {r['size']} x {r['size']}: no slower than the earlier enumeration "
                  f"({EARLIER_RATIO[r['size']]}x lrsnash): {'met' if ratio <= EARLIER_RATIO[r['size']] else 'NOT met'}"
                  f" ({ratio:.2f}x)")
    print(f"equilibrium sets identical on every game: {'yes' if all(r['agree'] for r in rows) else 'NO'}")


if __name__ == "__main__":
    main()
