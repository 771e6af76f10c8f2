"""Benchmark: batched two-player equilibrium enumeration against per-point loops over nashpy, quantecon, pygambit.

Run ``python benchmarks/bench_bimatrix.py`` (``--quick`` for a short run). Not a test: it prints a table.

Cases, each on the same points for every solver:

* ``2x2 generic``  random payoffs uniform on [0, 1) from a seeded rng;
* ``4x4 generic``  the same for 4 x 4 games;
* ``territory``    the territory model's 4 x 4 normal form over a rho x dp_belt grid (other parameters at the
  baseline), payoffs from ``model.symbolic("normal")`` lambdified once with ``sympy.lambdify``. The game is
  structurally degenerate (constant war payoffs), so every point takes the exact scalar fallback: this row
  measures that fallback, not the batched path.

The per-point loops over slower solvers run on a subsample (the first points of the same array) and their rate
is extrapolated from it; the table says how many points each rate was measured on. quantecon's first call
compiles with numba and is excluded (one warm-up call before timing). nashpy and quantecon's support
enumeration assume nondegenerate games: on ``territory`` they are timed but their answers are incomplete.
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np


def _rate(fn, points: int) -> tuple[float, float]:
    t0 = time.perf_counter()
    fn()
    dt = time.perf_counter() - t0
    return points / dt, dt


def bench_ours(A, B):
    from gametheory_ukraine.batched.bimatrix import batched_equilibria

    batched_equilibria(A[:100], B[:100])  # import and first-call overhead excluded
    out = {}
    rate, dt = _rate(lambda: out.setdefault("res", batched_equilibria(A, B)), len(A))
    return rate, dt, len(A), out["res"]


def bench_nashpy(A, B, k):
    import nashpy

    def run():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for p in range(k):
                list(nashpy.Game(A[p], B[p]).support_enumeration())

    rate, dt = _rate(run, k)
    return rate, dt, k


def bench_quantecon(A, B, k):
    from quantecon.game_theory import NormalFormGame, Player, support_enumeration

    support_enumeration(NormalFormGame((Player(A[0]), Player(B[0].T))))  # numba compilation: not timed

    def run():
        for p in range(k):
            support_enumeration(NormalFormGame((Player(A[p]), Player(B[p].T))))

    rate, dt = _rate(run, k)
    return rate, dt, k


def bench_gambit(A, B, k):
    import pygambit as gbt

    def run():
        for p in range(k):
            gbt.nash.enummixed_solve(gbt.Game.from_arrays(A[p], B[p]), rational=False)

    rate, dt = _rate(run, k)
    return rate, dt, k


def territory_grid(n_rho: int, n_belt: int):
    import sympy

    import gametheory_ukraine as gtu

    model = gtu.load_model("territory")
    game = model.symbolic("normal")
    exprs = [sympy.sympify(v) for p in game.payoffs for v in p.flat]
    symbols = sorted({s for e in exprs for s in e.free_symbols}, key=lambda s: s.name)
    f = sympy.lambdify(symbols, exprs, modules="numpy")
    base = {k: float(v) for k, v in model.values().items()}
    pr, pb = model.parameters["rho"], model.parameters["dp_belt"]
    rho, belt = np.meshgrid(np.linspace(float(pr.low), float(pr.high), n_rho),
                            np.linspace(float(pb.low), float(pb.high), n_belt), indexing="ij")
    vals = dict(base, rho=rho.ravel(), dp_belt=belt.ravel())
    P = rho.size
    args = [np.broadcast_to(np.asarray(vals[s.name], dtype=float), (P,)) for s in symbols]
    flat = np.stack([np.broadcast_to(np.asarray(v, dtype=float), (P,)) for v in f(*args)], axis=1)
    m, n = game.shape
    return np.ascontiguousarray(flat[:, : m * n].reshape(P, m, n)), np.ascontiguousarray(
        flat[:, m * n:].reshape(P, m, n))


def run_case(name, A, B, sub, lines):
    ours, dt, n_ours, res = bench_ours(A, B)
    lines.append(f"{name:<13} {'ours (batched)':<16} {n_ours:>9,} {dt:>9.3f} {ours:>14,.0f} {'1.0':>10}"
                 f"   flagged (exact fallback): {int(res.flagged.sum()):,}")
    for label, fn, k in (("nashpy", bench_nashpy, sub[0]), ("quantecon", bench_quantecon, sub[1]),
                         ("pygambit", bench_gambit, sub[2])):
        k = min(k, len(A))
        try:
            rate, dt, k = fn(A, B, k)
        except ImportError as exc:
            lines.append(f"{name:<13} {label:<16} not installed ({exc})")
            continue
        lines.append(f"{name:<13} {label:<16} {k:>9,} {dt:>9.3f} {rate:>14,.0f} {ours / rate:>10,.1f}"
                     + ("   (subsample, rate extrapolated)" if k < len(A) else ""))
    print("\n".join(lines[-4:]), flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer points (about 30 s in all)")
    ap.add_argument("--seed", type=int, default=12345)
    args = ap.parse_args()
    rng = np.random.default_rng(args.seed)
    q = args.quick
    header = f"{'case':<13} {'solver':<16} {'points':>9} {'seconds':>9} {'points/s':>14} {'ours / it':>10}"
    print(header)
    print("-" * len(header))
    lines: list[str] = []
    n2 = 200_000 if q else 2_000_000
    A = rng.uniform(size=(n2, 2, 2))
    B = rng.uniform(size=(n2, 2, 2))
    run_case("2x2 generic", A, B, (1_000, 5_000, 200) if q else (5_000, 50_000, 1_000), lines)
    n4 = 20_000 if q else 200_000
    A = rng.uniform(size=(n4, 4, 4))
    B = rng.uniform(size=(n4, 4, 4))
    run_case("4x4 generic", A, B, (100, 2_000, 50) if q else (500, 20_000, 200), lines)
    A, B = territory_grid(*((10, 10) if q else (30, 30)))
    run_case("territory", A, B, (100, 900, 50) if q else (900, 900, 200), lines)
    print("\nRates of per-point loops marked 'subsample' were measured on the first points of the same array "
          "and extrapolated; quantecon's numba warm-up is excluded. On 'territory' every point is degenerate, so "
          "'ours' is the exact scalar fallback, and nashpy/quantecon (support enumeration) are incomplete there.")


if __name__ == "__main__":
    main()
