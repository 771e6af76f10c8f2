"""gametheory_ukraine: game-theoretic scenario models of the 2025 Russia-Ukraine peace talks.

The public API is imported lazily so that ``gtu --help`` starts fast::

    import gametheory_ukraine as gtu
    model = gtu.load_model("chain-store")
    result = gtu.solve(model.game("sequential"))
    found = gtu.thresholds(model, "c_I", form="sequential")      # where the equilibria change
    table = gtu.sweep(model, {"c_I": "0:4:5"}, form="sequential")  # one row per point and equilibrium
    robust = gtu.robustness(model, form="sequential")              # each outcome's share of the box, drivers
    figure = gtu.draw_tree(model.game("sequential"), equilibrium=result[0])
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from ._version import __version__

if TYPE_CHECKING:
    # What type checkers and IDEs see: the same names as _LAZY, imported only while checking (never at run time,
    # so `gtu --help` stays free of the scientific stack). The test suite keeps the two lists equal.
    from .analysis.robustness import robustness
    from .analysis.sweep import sweep
    from .analysis.thresholds import thresholds
    from .core.errors import GTUError, ModelFileError, ParameterError, SolverError
    from .core.expressions import parse_expression
    from .games.normal_form import NormalFormGame
    from .games.tree import Chance, Decision, GameTree, Terminal
    from .modelling.model import Model, Parameter, Scenario
    from .modelling.registry import list_models, load_model
    from .output.tree_drawing import draw_tree
    from .solvers.results import Equilibrium, EquilibriumSet
    from .solvers.solving import solve

__all__ = [
    "__version__", "load_model", "list_models", "solve", "NormalFormGame", "GameTree", "Terminal",
    "Decision", "Chance", "Model", "Parameter", "Scenario", "Equilibrium", "EquilibriumSet",
    "GTUError", "ModelFileError", "ParameterError", "SolverError", "parse_expression", "thresholds", "sweep",
    "robustness", "draw_tree",
]

_LAZY = {
    "load_model": "modelling.registry", "list_models": "modelling.registry", "solve": "solvers.solving",
    "NormalFormGame": "games.normal_form", "GameTree": "games.tree", "Terminal": "games.tree",
    "Decision": "games.tree", "Chance": "games.tree", "Model": "modelling.model", "Parameter": "modelling.model",
    "Scenario": "modelling.model", "Equilibrium": "solvers.results", "EquilibriumSet": "solvers.results",
    "GTUError": "core.errors", "ModelFileError": "core.errors", "ParameterError": "core.errors",
    "SolverError": "core.errors", "parse_expression": "core.expressions", "thresholds": "analysis.thresholds",
    "sweep": "analysis.sweep", "robustness": "analysis.robustness", "draw_tree": "output.tree_drawing",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
