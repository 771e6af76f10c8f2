"""gametheory_ukraine: game-theoretic scenario models of the 2025 Russia-Ukraine peace talks.

The public API is imported lazily so that ``gtu --help`` starts fast::

    import gametheory_ukraine as gtu
    model = gtu.load_model("chain-store")
    result = gtu.solve(model.game("sequential"))
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from ._version import __version__

__all__ = [
    "__version__", "load_model", "list_models", "solve", "NormalFormGame", "GameTree", "Terminal",
    "Decision", "Chance", "Model", "Parameter", "Scenario", "Equilibrium", "EquilibriumSet",
    "GTUError", "ModelFileError", "ParameterError", "SolverError", "parse_expression",
]

_LAZY = {
    "load_model": "modelling.registry", "list_models": "modelling.registry", "solve": "solvers.solving",
    "NormalFormGame": "games.normal_form", "GameTree": "games.tree", "Terminal": "games.tree",
    "Decision": "games.tree", "Chance": "games.tree", "Model": "modelling.model", "Parameter": "modelling.model",
    "Scenario": "modelling.model", "Equilibrium": "solvers.results", "EquilibriumSet": "solvers.results",
    "GTUError": "core.errors", "ModelFileError": "core.errors", "ParameterError": "core.errors",
    "SolverError": "core.errors", "parse_expression": "core.expressions",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
