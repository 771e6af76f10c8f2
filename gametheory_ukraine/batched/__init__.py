"""Batched engine: symbolic games compiled once to numpy, solved over arrays of parameter points.

:mod:`.compile` turns a symbolic :class:`~gametheory_ukraine.games.normal_form.NormalFormGame` or
:class:`~gametheory_ukraine.games.tree.GameTree` into numpy functions of parameter arrays (``sympy.lambdify``
once per game); :mod:`.trees` runs backward induction over arrays of points for perfect-information trees, with
ties kept and near-ties re-solved on the exact scalar path, and builds the table of
:func:`gametheory_ukraine.analysis.sweep.sweep`; :mod:`.bimatrix` enumerates the equilibria of stacked
two-player games, re-solving any point that may be degenerate on the exact scalar path.

They agree with the scalar solvers point for point and are the default path of sweeps (``engine="auto"``).
"""
