"""Benchmark: sweeps of every framework model and form, against per-point loops over nashpy, quantecon, pygambit.

Run ``python benchmarks/bench_sweeps.py`` (``--quick`` for a short run; ``--no-memory`` to skip the 10 M-point
run). Not a test: it prints tables, and the numbers depend on the machine and on what else runs on it.

What it measures, in one run:

1. **Sweep rates.** For each framework model (territory, nato, guarantees, settlement) and form: ``model.sweep`` over a
   grid of rho in [0.01, 0.5] at the scenario ``baseline-2025`` (every other parameter at its scenario value),
   end to end (design, payoffs, equilibria, certificate, the tidy table), with the default engine, with 1 and
   with 2 worker processes; for two-player normal forms also over the same number of points given as a numpy
   array (``{"rho": np.linspace(0.01, 0.5, n)}``, one process), the array path of a sweep. Points per second
   = grid points / wall time, best of 3 runs in this process (as
   ``timeit`` reports); the first run is printed too. On a virtual machine the first run can be several times
   slower: the first touch of memory the host has not backed yet costs far more than the code (the table of a
   1 M-point normal-form sweep is about 1.3 GB); the script prints that cost, measured.
2. **The same points through per-point loops** over nashpy's ``support_enumeration``, quantecon's
   ``support_enumeration`` (numba; its compilation excluded) and pygambit's ``enummixed_solve``, on the model's
   two-player normal form (for a sequential model: its strategic form, the model's ``normal`` form). They run on
   the first points of the same grid and their rate is extrapolated; the table says how many. Three-player forms
   have no nashpy/quantecon row (two-player solvers). nashpy's and quantecon's support enumeration assume
   nondegenerate games: on these (structurally degenerate) games they are timed, but their answers are
   incomplete -- the ratio compares speed, not results.
3. **N-player normal forms** (``--nplayer-only`` runs just this part): the 3-player fixture's 2 x 2 x 3 form (the
   previous guarantees model, ``tests/data/three-player-guarantee.yaml``) swept over rho on the batched ``nplayer``
   engine and, on its first points, the scalar engine; and ``batched_nash`` alone on seeded random games with
   uniform payoffs (2 x 2 x 2, 2 x 2 x 3, 3 x 3 x 3) against per-point exact ``support_enumeration``, with the
   share of points the batched path certifies (the rest go to the exact path in a sweep).
4. **Peak memory of a 10 M-point sweep** streamed to Parquet (``gtu sweep ... -o FILE.parquet``, territory
   sequential), as the child process's maximum resident set size.
5. **CLI cold start**: ``gtu --help`` in a fresh interpreter, best of 5.

``--array-only`` runs only the numpy-array sweeps of the ``--models``' two-player normal forms (``--repeat``
runs each, the best reported, with its CPU time from ``time.process_time``) and the peers' loops on the same
points: on a machine shared with other work the CPU rate says what the code costs, the wall rate what it got.

Lines starting ``target`` say whether the speed targets are met (``met`` / ``NOT met``, with the figure): on the array
path of each two-player normal form, at least 1,000,000 points/s and at least 1,000 times nashpy's and 30 times
quantecon's loop on the same points; on the 3-player normal form, at least 200,000 points/s (the better of 1 and 2
processes).

The results table in ``docs/explanation/performance.md`` comes from this script.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_bimatrix import bench_gambit, bench_nashpy, bench_quantecon  # noqa: E402

MODELS = ("territory", "nato", "guarantees", "settlement")
#: settlement's tree (288 leaves) sweeps at about 10,000 points/s: 200,000 points (20,000 with --quick) suffice
SMALLER = {"settlement": 5}
SCENARIO = "baseline-2025"
#: Time budget of each peer's per-point loop (its point count is cut to fit, measured on one point first).
LOOP_SECONDS = 30.0


def _normal_arrays(model, rho: np.ndarray):
    """The model's normal-form payoffs at the grid points (float), via the compiled game."""
    from gametheory_ukraine.batched.compile import compile_normal_form

    game = model.symbolic("normal")
    base = {k: float(v) for k, v in model.values(SCENARIO).items()}
    base["rho"] = rho
    return compile_normal_form(game).payoffs(base)


#: CPU seconds (``time.process_time``, this process) of the best run of the last :func:`sweep_rate` call and of all
#: its runs: on a machine shared with other work, wall time also counts the time other processes held the cores.
LAST_CPU: dict[str, float] = {}


def sweep_rate(model, form: str, n: int, workers: int, repeat: int = 3,
               array: bool = False) -> tuple[float, float, float, str, int]:
    """(best rate, best seconds, first run's seconds, engine, rows) of *repeat* runs of the same sweep: over the
    grid ``0.01:0.5:n`` given as text, or (*array*) over ``np.linspace(0.01, 0.5, n)`` given as an array. The
    CPU seconds of the runs are left in :data:`LAST_CPU`."""
    from gametheory_ukraine.analysis.sweep import sweep

    spec = np.linspace(0.01, 0.5, n) if array else f"0.01:0.5:{n}"
    sweep(model, {"rho": "0.01:0.5:11"}, form=form, scenario=SCENARIO)  # compile once (not timed)
    times, cpu = [], []
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        df = sweep(model, {"rho": spec}, form=form, scenario=SCENARIO, workers=workers)
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
        engine, rows = df.attrs["engine"], len(df)
        del df
    LAST_CPU.update(best=min(cpu), first=cpu[0], wall_best_run=cpu[times.index(min(times))])
    return n / min(times), min(times), times[0], engine, rows


def array_rows(names: list[str], quick: bool, repeat: int) -> None:
    """Only the array path of the two-player normal forms (bimatrix engine) of *names*, with wall and CPU rates of
    every run, against the nashpy, quantecon and pygambit loops on the same points."""
    import gametheory_ukraine as gtu

    for name in names:
        model = gtu.load_model(name)
        if "normal" not in model.forms:
            continue
        n = 100_000 if quick else 1_000_000
        rate, dt, first, engine, rows = sweep_rate(model, "normal", n, 1, repeat, array=True)
        cpu = LAST_CPU["best"]
        lines = [f"{name + ' normal':<24} {'ours (array, 1w)':<18} {n:>10,} {dt:>9.2f} {rate:>12,.0f} {'':>12}   "
                 f"engine {engine}; rows: {rows:,}; best CPU {cpu:.2f} s ({n / cpu:,.0f} points/s of CPU); "
                 f"first run {first:.2f} s wall, {LAST_CPU['first']:.2f} s CPU"]
        sub = (200, 2_000, 100) if quick else (1_000, 10_000, 300)
        peers = loops(model, n, sub, rate, name + " normal", lines)
        lines += array_targets(name, rate, peers)
        print("\n".join(lines), flush=True)


def first_touch(megabytes: int = 720) -> tuple[float, float]:
    """Seconds to allocate and fill *megabytes* of fresh memory, the first time and again (after freeing it)."""
    out = []
    for _ in range(2):
        t0 = time.perf_counter()
        block = np.empty(megabytes * 2**20 // 8)
        block[:] = 1.0
        out.append(time.perf_counter() - t0)
        del block
    return out[0], out[1]


def loops(model, n: int, sub: tuple[int, int, int], ours: float, name: str, lines: list[str]) -> dict[str, float]:
    """Append the peers' loop rows to *lines*; return their rates (points/s) by peer."""
    rates: dict[str, float] = {}
    if "normal" not in model.forms:  # the peers solve normal forms; a model that states only its tree has none
        lines.append(f"{name:<24} {'nashpy/quantecon':<18} n/a: the model states no normal form")
        return rates
    rho = np.linspace(0.01, 0.5, n)
    pay = _normal_arrays(model, rho[: max(sub)])
    if len(pay) != 2:
        lines.append(f"{name:<24} {'nashpy/quantecon':<18} n/a: {len(pay)}-player normal form")
        return rates
    A, B = (np.ascontiguousarray(p) for p in pay)
    for label, fn, k in (("nashpy", bench_nashpy, sub[0]), ("quantecon", bench_quantecon, sub[1]),
                         ("pygambit", bench_gambit, sub[2])):
        try:
            first = fn(A, B, 1)                      # imports and first-call overhead (numba's compilation)
        except ImportError as exc:
            lines.append(f"{name:<24} {label:<18} not installed ({exc})")
            continue
        if first[1] > LOOP_SECONDS:                  # one point already over the budget: that is the measurement
            rate, dt, k = first
        else:
            _, one, _ = fn(A, B, 1)
            # at most about LOOP_SECONDS per peer: nashpy on territory's 6 x 14 form takes a minute a point
            k = max(1, min(k, len(A), int(LOOP_SECONDS / max(one, 1e-9))))
            rate, dt, k = fn(A, B, k)
        rates[label] = rate
        lines.append(f"{name:<24} {label:<18} {k:>10,} {dt:>9.2f} {rate:>12,.0f} {ours / rate:>11,.1f}x")
    return rates


#: the speed targets (2 cores): the array path of the two-player framework normal forms, and the
#: 3-player normal form
ARRAY_RATE, NASHPY_RATIO, QUANTECON_RATIO, NPLAYER_RATE = 1_000_000, 1_000, 30, 200_000


def array_targets(name: str, rate: float, peers: dict[str, float]) -> list[str]:
    """Lines saying whether the array path of *name*'s normal form meets the targets: *rate* points/s, and *rate*
    over each peer loop's rate on the first points of the same grid."""
    out = [f"target {name} normal, array path >= {ARRAY_RATE:,} points/s: "
           f"{'met' if rate >= ARRAY_RATE else 'NOT met'} ({rate:,.0f})"]
    for peer, times in (("nashpy", NASHPY_RATIO), ("quantecon", QUANTECON_RATIO)):
        if peer in peers:
            ratio = rate / peers[peer]
            out.append(f"target {name} normal, array path >= {times:,}x the {peer} loop: "
                       f"{'met' if ratio >= times else 'NOT met'} ({ratio:,.1f}x)")
        else:
            out.append(f"target {name} normal, array path >= {times:,}x the {peer} loop: not measured ({peer} "
                       "not installed)")
    return out


def peak_memory(points: int) -> tuple[float, float]:
    """(peak RSS in MiB, seconds) of a streamed territory sweep of *points* points in a child process (Linux)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "big.parquet"
        # VmHWM: the peak resident size of this process's own memory (ru_maxrss would include the RSS that
        # Linux carries over from the benchmark's process through fork and exec)
        code = ("import sys; from gametheory_ukraine.cli import main; "
                f"rc = main(['sweep', 'territory', '-p', 'rho=0.01:0.5:{points}', '--form', 'sequential', "
                f"'--scenario', '{SCENARIO}', '-o', r'{out}']); "
                "print([l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM:')][0]); "
                "sys.exit(rc)")
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)  # noqa: S603
        dt = time.perf_counter() - t0
        return int(proc.stdout.strip().splitlines()[-1]) / 1024, dt


THREE_PLAYER = Path(__file__).resolve().parent.parent / "tests" / "data" / "three-player-guarantee.yaml"


def nplayer_rows(quick: bool) -> None:
    """Sweep rates of the 3-player fixture's normal form, and batched_nash against support_enumeration."""
    import gametheory_ukraine as gtu
    from gametheory_ukraine.analysis.sweep import sweep
    from gametheory_ukraine.batched.n_player import batched_nash
    from gametheory_ukraine.solvers.n_player import support_enumeration

    model = gtu.load_model(THREE_PLAYER)
    n = 20_000 if quick else 200_000
    name = "guarantees (fixture) normal"
    best = 0.0
    for workers in (1, 2):
        rate, dt, first, engine, rows = sweep_rate(model, "normal", n, workers)
        best = max(best, rate)
        print(f"{name:<28} {'ours (' + engine + f', {workers}w)':<18} {n:>10,} {dt:>9.2f} {rate:>12,.0f}   "
              f"rows: {rows:,}; first run {first:.2f} s", flush=True)
    print(f"target {name}, 3 players, >= {NPLAYER_RATE:,} points/s on {os.cpu_count()} cores: "
          f"{'met' if best >= NPLAYER_RATE else 'NOT met'} ({best:,.0f}, the better of 1 and 2 processes)", flush=True)
    t0 = time.perf_counter()
    sweep(model, {"rho": "0.01:0.5:40"}, form="normal", scenario=SCENARIO, engine="scalar")
    dt = time.perf_counter() - t0
    print(f"{name:<28} {'scalar engine':<18} {40:>10,} {dt:>9.2f} {40 / dt:>12,.0f}", flush=True)
    rng = np.random.default_rng(2025)
    # payoffs with 3 decimals: exact support enumeration of full-precision floats spends minutes a 3 x 3 x 3 point
    # on the size of the rationals
    for shape, k in (((2, 2, 2), 50), ((2, 2, 3), 30), ((3, 3, 3), 1)):
        P = n
        pay = tuple(rng.uniform(-10, 10, size=(P, *shape)).round(3) for _ in shape)
        t0 = time.perf_counter()
        res = batched_nash(pay)
        dt = time.perf_counter() - t0
        label = "random " + " x ".join(map(str, shape))
        print(f"{label:<28} {'batched_nash':<18} {P:>10,} {dt:>9.2f} {P / dt:>12,.0f}   certified "
              f"{res.certified.mean():.1%} of the points (the rest: exact path)", flush=True)
        t0 = time.perf_counter()
        for p in range(k):
            support_enumeration([u[p] for u in pay], exact=False)
        dt = time.perf_counter() - t0
        print(f"{label:<28} {'support_enum.':<18} {k:>10,} {dt:>9.2f} {k / dt:>12,.1f}", flush=True)


def cold_start() -> float:
    gtu = Path(sys.executable).with_name("gtu")
    best = float("inf")
    for _ in range(5):
        t0 = time.perf_counter()
        subprocess.run([str(gtu), "--help"], capture_output=True, check=True)  # noqa: S603
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer points")
    ap.add_argument("--no-memory", action="store_true", help="skip the 10 M-point memory run")
    ap.add_argument("--models", default=",".join(MODELS), help="comma-separated models (default: all four)")
    ap.add_argument("--nplayer-only", action="store_true", help="only the N-player normal-form rows")
    ap.add_argument("--array-only", action="store_true",
                    help="only the numpy-array sweeps of the --models' two-player normal forms and the loops")
    ap.add_argument("--repeat", type=int, default=3, help="runs of each sweep (the best is reported)")
    args = ap.parse_args()
    if args.nplayer_only:
        nplayer_rows(args.quick)
        return
    if args.array_only:
        print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}; load average "
              f"{', '.join(f'{v:.2f}' for v in os.getloadavg())}")
        array_rows(args.models.split(","), args.quick, args.repeat)
        print(f"load average after: {', '.join(f'{v:.2f}' for v in os.getloadavg())}")
        return
    import gametheory_ukraine as gtu
    from gametheory_ukraine.analysis.sweep import sweep

    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}")
    cold, warm = first_touch()
    print(f"fresh memory: 720 MB allocated and filled in {cold:.2f} s the first time, {warm:.2f} s again")
    header = f"{'model / form':<24} {'solver':<18} {'points':>10} {'seconds':>9} {'points/s':>12} {'ours / it':>12}"
    print(header)
    print("-" * len(header))
    for name in args.models.split(","):
        model = gtu.load_model(name)
        for form in model.forms:
            # the engine the sweep chooses (every framework form of these models has a batched one for rho alone)
            engine = sweep(model, {"rho": "0.01:0.5:11"}, form=form, scenario=SCENARIO).attrs["engine"]
            batched = engine != "scalar"
            n = (100_000 if args.quick else 1_000_000) if batched else 200
            n //= SMALLER.get(name, 1)
            lines: list[str] = []
            best = 0.0
            array_rate = None
            for workers in (1, 2):
                rate, dt, first, engine, rows = sweep_rate(model, form, n, workers, 1 if n <= 200 else 3)
                best = max(best, rate)
                lines.append(f"{name + ' ' + form:<24} {'ours (' + engine + f', {workers}w)':<18} {n:>10,} "
                             f"{dt:>9.2f} {rate:>12,.0f} {'':>12}   rows: {rows:,}; first run {first:.2f} s "
                             f"({n / first:,.0f} points/s)")
            if engine == "bimatrix":  # the array path: the same points as a numpy array, one process
                rate, dt, first, engine, rows = sweep_rate(model, form, n, 1, 3, array=True)
                best = max(best, rate)
                array_rate = rate
                lines.append(f"{name + ' ' + form:<24} {'ours (array, 1w)':<18} {n:>10,} {dt:>9.2f} {rate:>12,.0f} "
                             f"{'':>12}   rows: {rows:,}; first run {first:.2f} s ({n / first:,.0f} points/s)")
            sub = (200, 2_000, 100) if args.quick else (1_000, 10_000, 300)
            peers = loops(model, n, sub, best, name + " " + form, lines)
            if array_rate is not None:
                lines += array_targets(name, array_rate, peers)
            print("\n".join(lines), flush=True)
    print("\nOur rates: best of 3 runs (first run beside it). Ratios use our best rate (text or array, 1 or 2 "
          "workers) over the loop's rate on the first points of the same grid.\n")
    nplayer_rows(args.quick)
    if not args.no_memory:
        points = 1_000_000 if args.quick else 10_000_000
        mib, dt = peak_memory(points)
        print(f"\npeak memory, {points:,}-point territory sequential sweep streamed to Parquet: {mib:,.0f} MiB "
              f"({dt:.1f} s, {points / dt:,.0f} points/s including start-up and writing)")
    print(f"\ngtu --help cold start (best of 5): {cold_start():.3f} s")


if __name__ == "__main__":
    main()
