"""A typed use of the public API, checked by mypy (tests/test_typing.py), never run: every name comes from the
lazy ``gametheory_ukraine`` namespace, and each ``assert_type`` fails the check if the name's type is lost (a name
missing from ``__init__``'s TYPE_CHECKING block is ``Any``, or an error with ``--disallow-any-expr``)."""

from __future__ import annotations

import pandas as pd
import sympy
from matplotlib.figure import Figure
from typing_extensions import assert_type

import gametheory_ukraine as gtu
from gametheory_ukraine.analysis.robustness import Robustness
from gametheory_ukraine.analysis.thresholds import ThresholdResult


def use_the_api() -> None:
    assert_type(gtu.__version__, str)
    assert_type(gtu.list_models(), list[str])
    model = gtu.load_model("chain-store")
    assert_type(model, gtu.Model)
    game = model.game("sequential")
    assert_type(game, gtu.NormalFormGame | gtu.GameTree)
    result = gtu.solve(game)
    assert_type(result, gtu.EquilibriumSet)
    assert_type(result.complete, bool)
    assert_type(result.method, str)
    assert_type(model.solve("sequential"), gtu.EquilibriumSet)
    first = result[0]
    assert_type(first, gtu.Equilibrium)
    assert_type(first.outcome, str | None)
    for equilibrium in result:
        assert_type(equilibrium, gtu.Equilibrium)
    found = gtu.thresholds(model, "c_I", form="sequential")
    assert_type(found, ThresholdResult)
    table = gtu.sweep(model, {"c_I": "0:4:5"}, form="sequential")
    assert_type(table, pd.DataFrame)
    assert_type(gtu.robustness(model, form="sequential"), Robustness)
    tree = gtu.GameTree(players=("A", "B"), root=gtu.Terminal("end", payoffs=(1, 2)))
    assert_type(tree, gtu.GameTree)
    normal = gtu.NormalFormGame.from_arrays([[1]], [[2]])
    assert_type(normal, gtu.NormalFormGame)
    assert_type(next(normal.profiles()), tuple[int, ...])
    assert_type(gtu.parse_expression("2*a", ["a"]), sympy.Expr)
    assert_type(gtu.Parameter, type[gtu.Parameter])
    assert_type(gtu.Scenario, type[gtu.Scenario])
    assert_type(gtu.Decision, type[gtu.Decision])
    assert_type(gtu.Chance, type[gtu.Chance])
    errors: tuple[type[gtu.GTUError], ...] = (gtu.ModelFileError, gtu.ParameterError, gtu.SolverError)
    assert_type(errors, tuple[type[gtu.GTUError], ...])
    figure = gtu.draw_tree(tree, equilibrium=first)
    assert_type(figure, Figure)
