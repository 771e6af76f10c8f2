"""What identifies "the same equilibria" across parameter values."""

from __future__ import annotations

from .results import EquilibriumSet, outcome_key  # outcome_key lives with the results it reads

__all__ = ["equilibrium_signature", "outcome_set", "outcome_key"]


def _support(strategies) -> tuple:
    out = []
    for s in strategies:
        if hasattr(s, "items"):  # behaviour strategy: info set -> probabilities
            out.append(tuple((h, tuple(i for i, p in enumerate(ps) if p != 0)) for h, ps in s.items()))
        else:
            out.append(tuple(i for i, p in enumerate(s) if p != 0))
    return tuple(out)


def equilibrium_signature(result: EquilibriumSet, tol: float = 1e-9) -> tuple:
    """A hashable summary of an equilibrium set: for each equilibrium, its outcome (:func:`outcome_key`)
    and the supports of its strategies (which pure actions get positive probability), sorted.

    Two parameter points with the same signature have "the same equilibria" for threshold purposes:
    the equilibrium set changes where the signature changes. Probabilities at most *tol* count as 0
    in float mode.
    """
    items = []
    for eq in result.equilibria:
        strategies = eq.strategies
        if not result.exact:
            strategies = tuple(
                {h: tuple(0 if abs(p) <= tol else p for p in ps) for h, ps in s.items()} if hasattr(s, "items")
                else tuple(0 if abs(p) <= tol else p for p in s) for s in strategies)
        items.append((outcome_key(eq, result.exact, tol), _support(strategies)))
    return tuple(sorted(set(items)))


def outcome_set(result: EquilibriumSet, tol: float = 1e-9) -> tuple[str, ...]:
    """The sorted distinct outcomes (:func:`outcome_key`) of an equilibrium set."""
    return tuple(sorted({outcome_key(eq, result.exact, tol) for eq in result.equilibria}))
