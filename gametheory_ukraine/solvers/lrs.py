"""lrsnash as an optional backend: every extreme equilibrium of a bimatrix game from David Avis's ``lrsnash``.

``lrsnash`` (lrslib, GPL) enumerates the vertices of one best-response polytope by lexicographic reverse search
and finds the complementary vertices of the other (Avis, Rosenberg, Savani and von Stengel 2010). It is never
imported or linked: the game is written to a temporary file and the program run as a subprocess, found on
``PATH`` (Debian's ``lrslib`` package) or in the ``passagemath-lrslib`` wheel (``pip install
"gametheory_ukraine[lrs]"``). Its output is read back exactly;
:func:`~gametheory_ukraine.solvers.solving.solve` then certifies every equilibrium with its own best-response
check, as for every other method.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import tempfile
from fractions import Fraction
from typing import Any

from ..core.errors import SolverError
from .two_player import BimatrixSolution, component_labels, exact_integer_payoffs

__all__ = ["find_lrsnash", "lrsnash_equilibria", "parse_lrsnash"]

INSTALL_HINT = 'pip install "gametheory_ukraine[lrs]" (the passagemath-lrslib wheel) or apt-get install lrslib'


def find_lrsnash() -> str | None:
    """Path of an ``lrsnash`` executable: on ``PATH``, else in an installed ``passagemath-lrslib``; or None.

    Looking into the wheel uses :func:`importlib.util.find_spec`, which locates the package without importing
    it.
    """
    found = shutil.which("lrsnash")
    if found:
        return found
    spec = importlib.util.find_spec("sage_wheels")
    for folder in (spec.submodule_search_locations or []) if spec is not None else []:
        candidate = os.path.join(folder, "bin", "lrsnash")
        if os.access(candidate, os.X_OK):
            return candidate
    return None


def parse_lrsnash(text: str, m: int, n: int) -> tuple[tuple[tuple, tuple], ...]:
    """The extreme equilibria ``(x, y)`` in ``lrsnash`` output, as tuples of Fractions.

    The output is a sequence of blocks separated by blank lines: one or more lines ``2 y_1 ... y_n v`` (a
    strategy of player 2 and player 1's payoff) and then one line ``1 x_1 ... x_m w``; each ``y`` of the block
    is in equilibrium with the ``x``. Lines starting with ``*`` are comments.

    Examples
    --------
    >>> text = ("*comment\\n2  1  0  3 \\n2  2/3  1/3  3 \\n1  1  0  0  3 \\n\\n"
    ...         "2  1/3  2/3  4 \\n1  0  1/3  2/3  8/3 \\n")
    >>> [([str(v) for v in x], [str(v) for v in y]) for x, y in parse_lrsnash(text, 3, 2)]
    [(['1', '0', '0'], ['1', '0']), (['1', '0', '0'], ['2/3', '1/3']), (['0', '1/3', '2/3'], ['1/3', '2/3'])]
    """
    out: list[tuple[tuple, tuple]] = []
    ys: list[tuple] = []
    for line in text.splitlines():
        fields = line.split()
        if not fields or fields[0].startswith("*"):
            continue
        values = tuple(Fraction(v) for v in fields[1:])
        if fields[0] == "2" and len(values) == n + 1:
            ys.append(values[:n])
        elif fields[0] == "1" and len(values) == m + 1 and ys:
            out.extend((values[:m], y) for y in ys)
            ys = []
        else:
            raise SolverError(f"lrsnash printed a line this reader does not know: {line.strip()!r}",
                              where="lrsnash", fix="use method='vertex-enumeration'")
    if ys:
        raise SolverError("lrsnash's output ended inside a block", where="lrsnash",
                          fix="use method='vertex-enumeration'")
    return tuple(out)


def lrsnash_equilibria(A: Any, B: Any, *, binary: str | None = None, timeout: float | None = None
                       ) -> BimatrixSolution:
    """Every extreme equilibrium of the bimatrix game ``(A, B)`` computed by ``lrsnash``.

    Parameters
    ----------
    A, B : array_like, shape (m, n)
        The players' payoffs, read exactly (as by
        :func:`~gametheory_ukraine.solvers.two_player.extreme_equilibria` with ``exact=True``).
    binary : str, optional
        The ``lrsnash`` to run; default :func:`find_lrsnash`.
    timeout : float, optional
        Seconds before the run is stopped (:class:`~gametheory_ukraine.core.errors.SolverError`).

    Returns
    -------
    BimatrixSolution
        ``equilibria`` sorted as ``extreme_equilibria`` sorts them, ``components`` from
        :func:`~gametheory_ukraine.solvers.two_player.component_labels`, and ``degenerate=None``: ``lrsnash``
        does not say.

    Raises
    ------
    SolverError
        If no ``lrsnash`` is found, it fails, times out, or prints something unexpected.
    """
    Ap, Bp = exact_integer_payoffs(A, B)
    m, n = len(Ap), len(Ap[0])
    program = binary or find_lrsnash()
    if program is None:
        raise SolverError("method 'lrsnash' needs the lrsnash program, which was not found", where="lrsnash",
                          fix=INSTALL_HINT + "; or use method='vertex-enumeration'")
    lines = [f"{m} {n}", ""] + [" ".join(map(str, row)) for row in Ap] + [""] + \
        [" ".join(map(str, row)) for row in Bp] + [""]
    with tempfile.TemporaryDirectory(prefix="gtu-lrsnash-") as folder:
        path = os.path.join(folder, "game.txt")
        with open(path, "w", encoding="ascii") as handle:
            handle.write("\n".join(lines))
        try:
            # the program is lrsnash (found above or named by the caller), its one argument the file written here
            run = subprocess.run([program, path], capture_output=True, text=True,  # noqa: S603
                                 timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            raise SolverError(f"lrsnash did not finish within {timeout} s", where="lrsnash",
                              fix="raise the timeout, or use method='vertex-enumeration'") from None
        except OSError as exc:
            raise SolverError(f"lrsnash could not be run: {exc}", where="lrsnash", fix=INSTALL_HINT) from None
    if run.returncode != 0:
        detail = (run.stderr or run.stdout).strip().splitlines()[-1:] or ["no output"]
        raise SolverError(f"lrsnash failed (exit status {run.returncode}): {detail[0]}", where="lrsnash",
                          fix="use method='vertex-enumeration'")
    equilibria = sorted(parse_lrsnash(run.stdout, m, n), key=lambda pair: pair[0] + pair[1], reverse=True)
    return BimatrixSolution(equilibria=tuple(equilibria), degenerate=None, components=component_labels(equilibria))
