"""Compile a symbolic game once to numpy: payoffs (and chance probabilities) over arrays of parameter points.

Every payoff and chance probability of a symbolic game is a sympy expression in named parameters
(:mod:`gametheory_ukraine.core.expressions`). :func:`compile_normal_form` and :func:`compile_tree` call
``sympy.lambdify`` (module ``"numpy"``, common subexpressions eliminated) *once* on all of a game's expressions,
so evaluating a game at a million points is a handful of vectorised numpy operations instead of a million
``xreplace`` calls (Meurer et al. 2017, section 3.1 on ``lambdify``). The compiled objects keep the compiled
function; compile once per (model, form) and keep the object (nothing is cached globally).

Conventions
-----------
``params`` is a mapping from parameter name to a number or a 1-D array of shape ``(points,)`` (all arrays of the
same length; numbers are broadcast). Parameters that the game does not use are ignored; a missing one raises
:class:`~gametheory_ukraine.core.errors.ParameterError`. Constant payoffs are broadcast over the points. Results are
float64. A non-finite payoff, or chance probabilities outside [0, 1] or not summing to 1 (tolerance 1e-9, as in
:meth:`GameTree.instantiate <gametheory_ukraine.games.tree.GameTree.instantiate>`), raise ``ParameterError``
naming the first offending point.

References
----------
.. [MSP17] A. Meurer, C. P. Smith, M. Paprocki et al., "SymPy: symbolic computing in Python",
   *PeerJ Computer Science* 3:e103, 2017.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
import sympy

from ..core.errors import ParameterError
from ..games.normal_form import NormalFormGame
from ..games.tree import Chance, GameTree, Terminal

__all__ = ["CompiledNormalForm", "CompiledTree", "compile_normal_form", "compile_tree", "point_arrays", "as_sympy"]

_PROB_TOL = 1e-9


# ------------------------------------------------------------------------------------------ helpers
def as_sympy(value: Any):
    """A payoff or probability as a sympy number: sympy values as they are, Fractions and ints exactly, floats
    with 17 significant digits (so they round-trip)."""
    if isinstance(value, sympy.Basic):
        return value
    if isinstance(value, Fraction):
        return sympy.Rational(value.numerator, value.denominator)
    if isinstance(value, bool):
        raise TypeError(f"payoff {value!r} is not a number")
    if isinstance(value, int):
        return sympy.Integer(value)
    return sympy.Float(float(value), 17)


def _lambdify(exprs: Sequence[Any]) -> tuple[tuple[str, ...], Callable[..., list]]:
    """Parameter names (sorted) and one numpy function of them returning every expression, in order."""
    exprs = [as_sympy(e) for e in exprs]
    symbols: dict[str, Any] = {}
    for e in exprs:
        for s in e.free_symbols:
            symbols[s.name] = s
    names = tuple(sorted(symbols))
    func = sympy.lambdify([symbols[n] for n in names], exprs, modules="numpy", cse=True)
    return names, func


def point_arrays(params: Mapping[str, Any], names: Sequence[str]) -> tuple[int, list[np.ndarray | np.float64]]:
    """The number of points and one float64 value per name in *names*: an array of shape (points,), or a float
    for a number (so that constant subexpressions are computed once, not once per point).

    Parameters
    ----------
    params : mapping of str -> number or array_like of shape (points,)
        Values; names not in *names* are ignored.
    names : sequence of str
        The parameters needed.

    Returns
    -------
    points : int
    arrays : list of numpy.ndarray of shape (points,) or numpy.float64

    Raises
    ------
    ParameterError
        A name of *names* is missing, an array is not 1-D, or the lengths differ.

    Examples
    --------
    >>> n, (a, b) = point_arrays({"a": [1, 2, 3], "b": 0.5, "c": "ignored"}, ["a", "b"])
    >>> n, a.tolist(), float(b)
    (3, [1.0, 2.0, 3.0], 0.5)
    """
    missing = [n for n in names if n not in params]
    if missing:
        raise ParameterError(f"no value for parameter(s) {', '.join(missing)}",
                             fix="pass an array (or a number) for each, e.g. " + ", ".join(f"{m}=..." for m in missing))
    raw = []
    for n in names:
        arr = np.asarray(params[n], dtype=float)
        if arr.ndim > 1:
            raise ParameterError(f"values of {n!r} have shape {arr.shape}, not (points,)", fix="pass a 1-D array")
        raw.append(arr)
    lengths = {a.shape[0] for a in raw if a.ndim == 1}
    if len(lengths) > 1:
        raise ParameterError(f"parameter arrays have different lengths {sorted(lengths)}",
                             fix="pass arrays of one length (numbers are broadcast)")
    points = lengths.pop() if lengths else 1
    return points, [a if a.ndim == 1 else np.float64(a) for a in raw]


def _fill(out: np.ndarray, values: Sequence[Any], what: Callable[[int], str]) -> None:
    """out[j] = values[j] (arrays or constants) for out of shape (k, points) -- contiguous rows, so each value
    is one sequential write -- then check finiteness."""
    for j, v in enumerate(values):
        out[j] = v
    if not np.isfinite(out).all():
        j, point = np.argwhere(~np.isfinite(out))[0]
        raise ParameterError(f"{what(int(j))} is not finite at point {int(point)} (division by zero?)",
                             fix="choose parameter values inside the model's ranges")


# ------------------------------------------------------------------------------------- normal form
@dataclass(frozen=True, eq=False)
class CompiledNormalForm:
    """A symbolic normal-form game compiled to numpy; see :func:`compile_normal_form`.

    Attributes
    ----------
    players : tuple of str, length N
    actions : tuple of tuple of str
    shape : tuple of int
        (n_1, ..., n_N).
    parameters : tuple of str
        The parameters the payoffs use, sorted.
    outcomes : numpy.ndarray or None
        Outcome labels, shape (n_1, ..., n_N).
    """

    players: tuple[str, ...]
    actions: tuple[tuple[str, ...], ...]
    shape: tuple[int, ...]
    parameters: tuple[str, ...]
    outcomes: np.ndarray | None
    _func: Callable[..., list]

    def payoffs(self, params: Mapping[str, Any]) -> tuple[np.ndarray, ...]:
        """Every player's payoffs at every point.

        Parameters
        ----------
        params : mapping of str -> number or array of shape (points,)

        Returns
        -------
        tuple of N numpy.ndarray, each float64 of shape (points, n_1, ..., n_N)
        """
        points, arrays = point_arrays(params, self.parameters)
        n, k = len(self.players), int(np.prod(self.shape))
        with np.errstate(all="ignore"):
            values = self._func(*arrays)
        out = np.empty((n, k, points))
        for i in range(n):
            _fill(out[i], values[i * k:(i + 1) * k],
                  lambda j, i=i: f"payoff of {self.players[i]} at profile "
                                         f"{tuple(int(k) for k in np.unravel_index(j, self.shape))}")
        # (points, n_1, ..., n_N) views of profile-major storage: each payoff entry is contiguous over points
        axes = (len(self.shape), *range(len(self.shape)))
        return tuple(out[i].reshape((*self.shape, points)).transpose(axes) for i in range(n))

    def payoff_columns(self, params: Mapping[str, Any]) -> tuple[int, list[np.ndarray]]:
        """Every payoff entry at every point, as one array per entry: the same numbers as :meth:`payoffs`
        without writing them into one block. Entries the compiled function computes once (equal expressions,
        constants) are one array: a constant is a read-only view of one number.

        Parameters
        ----------
        params : mapping of str -> number or array of shape (points,)

        Returns
        -------
        points : int
        columns : list of numpy.ndarray of shape (points,)
            Player by player, each player's entries in row-major order of ``shape``.

        Raises
        ------
        ParameterError
            As :meth:`payoffs`: a payoff that is not finite at some point.

        Examples
        --------
        >>> import sympy
        >>> a = sympy.Symbol("a")
        >>> g = NormalFormGame.from_arrays([[a, 0], [1, 2 * a]], [[1, a], [0, 3]])
        >>> points, cols = compile_normal_form(g).payoff_columns({"a": [0.5, 2.0]})
        >>> points, len(cols), cols[3].tolist(), cols[4].tolist()
        (2, 8, [1.0, 4.0], [1.0, 1.0])
        """
        points, arrays = point_arrays(params, self.parameters)
        with np.errstate(all="ignore"):
            values = self._func(*arrays)
        made: dict[int, np.ndarray] = {}
        columns = []
        for v in values:
            if id(v) not in made:
                arr = np.asarray(v, dtype=float)
                made[id(v)] = arr if arr.shape == (points,) else np.broadcast_to(arr, (points,))
            columns.append(made[id(v)])
        if not all(np.isfinite(c).all() for c in made.values()):
            self.payoffs(params)  # raises the error naming the entry and the point
        return points, columns


def compile_normal_form(game: NormalFormGame) -> CompiledNormalForm:
    """Compile a (symbolic) normal-form game's payoffs to one numpy function of its parameters.

    Parameters
    ----------
    game : NormalFormGame
        Symbolic, exact or float payoffs (numeric games compile to constants).

    Returns
    -------
    CompiledNormalForm
        ``.payoffs(params)`` gives N float arrays of shape (points, n_1, ..., n_N).

    Examples
    --------
    >>> import sympy
    >>> a = sympy.Symbol("a")
    >>> g = NormalFormGame.from_arrays([[a, 0], [1, 2 * a]], [[1, a], [0, 3]])
    >>> A, B = compile_normal_form(g).payoffs({"a": [0.5, 2.0], "unused": 1})
    >>> A.shape, A[1].tolist(), B[:, 0, 1].tolist()
    ((2, 2, 2), [[2.0, 0.0], [1.0, 4.0]], [0.5, 2.0])
    """
    exprs = [v for p in game.payoffs for v in np.asarray(p, dtype=object).flat]
    names, func = _lambdify(exprs)
    return CompiledNormalForm(tuple(game.players), tuple(game.actions), tuple(game.shape), names,
                              game.outcomes, func)


# -------------------------------------------------------------------------------------------- trees
@dataclass(frozen=True, eq=False)
class CompiledTree:
    """A symbolic game tree compiled to numpy; see :func:`compile_tree`.

    Attributes
    ----------
    tree : GameTree
        The symbolic tree it was compiled from.
    parameters : tuple of str
        The parameters of payoffs and chance probabilities, sorted.
    terminals : tuple of Terminal
        In pre-order; column t of the payoff array is ``terminals[t]``.
    chances : tuple of Chance
        In pre-order; entry c of the probabilities is ``chances[c]``.
    """

    tree: GameTree
    parameters: tuple[str, ...]
    terminals: tuple[Terminal, ...]
    chances: tuple[Chance, ...]
    _func: Callable[..., list]

    def evaluate(self, params: Mapping[str, Any]) -> tuple[np.ndarray, tuple[np.ndarray, ...]]:
        """Terminal payoffs and chance probabilities at every point.

        Parameters
        ----------
        params : mapping of str -> number or array of shape (points,)

        Returns
        -------
        payoffs : numpy.ndarray, float64, shape (points, n_terminals, N)
            ``payoffs[:, t, i]``: player *i*'s payoff at ``terminals[t]``.
        probabilities : tuple of numpy.ndarray
            One per chance node (pre-order), float64 of shape (points, k) for its k actions.

        Raises
        ------
        ParameterError
            Missing parameters, non-finite payoffs, chance probabilities outside [0, 1] or not summing to 1.
        """
        points, arrays = point_arrays(params, self.parameters)
        n, t = self.tree.n_players, len(self.terminals)
        with np.errstate(all="ignore"):
            values = self._func(*arrays)
        flat = np.empty((t * n, points))
        _fill(flat, values[:t * n],
              lambda j: f"payoff of {self.tree.players[j % n]} at {self.terminals[j // n].name!r}")
        probs = []
        pos = t * n
        for node in self.chances:
            k = len(node.children)
            rows = np.empty((k, points))
            _fill(rows, values[pos:pos + k], lambda j, node=node: f"probability {j} at chance node {node.name!r}")
            block = rows.T
            pos += k
            bad = ((block < -_PROB_TOL) | (block > 1 + _PROB_TOL)).any(axis=1)
            bad |= np.abs(block.sum(axis=1) - 1) > _PROB_TOL
            if bad.any():
                point = int(np.argmax(bad))
                raise ParameterError(f"chance node {node.name!r} gets probabilities {block[point].tolist()} at point "
                                     f"{point}", fix="choose parameter values that make each probability lie in [0, 1]")
            probs.append(block)
        return flat.reshape(t, n, points).transpose(2, 0, 1), tuple(probs)


def compile_tree(tree: GameTree) -> CompiledTree:
    """Compile a (symbolic) game tree's terminal payoffs and chance probabilities to one numpy function.

    Parameters
    ----------
    tree : GameTree

    Returns
    -------
    CompiledTree
        ``.evaluate(params)`` gives the payoffs (points, n_terminals, N) and the chance probabilities.

    Examples
    --------
    >>> import sympy
    >>> from gametheory_ukraine.games.tree import Decision
    >>> q = sympy.Symbol("q")
    >>> t = GameTree(("A", "B"), Decision("a", 0, ("l", "r"), (
    ...     Terminal("z1", (1, 0)),
    ...     Chance("c", ("h", "t"), (q, 1 - q), (Terminal("z2", (3 * q, 3)), Terminal("z3", (0, 6)))))))
    >>> pay, (pc,) = compile_tree(t).evaluate({"q": [0.25, 0.5]})
    >>> pay.shape, pay[:, 1, 0].tolist(), pc.tolist()
    ((2, 3, 2), [0.75, 1.5], [[0.25, 0.75], [0.5, 0.5]])
    """
    nodes = list(tree.nodes())
    terminals = tuple(x for x in nodes if isinstance(x, Terminal))
    chances = tuple(x for x in nodes if isinstance(x, Chance))
    exprs = [v for z in terminals for v in z.payoffs] + [p for c in chances for p in c.probabilities]
    names, func = _lambdify(exprs)
    return CompiledTree(tree, names, terminals, chances, func)

