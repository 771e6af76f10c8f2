"""One shared suite applied to every bundled model (in the spirit of Axelrod's TestPlayer and
scikit-learn's parametrize_with_checks): provenance, shapes, finite payoffs, determinism, pickling,
and agreement between a model's normal and sequential forms."""

from __future__ import annotations

import math
import pickle
from fractions import Fraction

import numpy as np
import pytest

import gametheory_ukraine as gtu
from gametheory_ukraine.games.normal_form import NormalFormGame
from gametheory_ukraine.games.reduce import to_normal_form
from gametheory_ukraine.games.tree import Chance, GameTree, Terminal
from gametheory_ukraine.modelling.model_file import is_calibration_file
from gametheory_ukraine.modelling.registry import NOT_MODELS, bundled_models_dir

# calibration files (shared parameters, scenarios and definitions that models include) and the claims table are
# not models
BUNDLED = sorted(p.name.rsplit(".", 1)[0] for p in bundled_models_dir().iterdir()
                 if p.name.endswith(".yaml") and p.name not in NOT_MODELS and not is_calibration_file(p))


def test_there_are_bundled_models():
    assert "chain-store" in BUNDLED


@pytest.fixture(params=BUNDLED)
def model(request):
    return gtu.load_model(request.param)


def _points(model, rng):
    """Defaults, every scenario, the corners low/high, and a few seeded random points in range."""
    pts = [("defaults", model.values())]
    pts += [(f"scenario {s}", model.values(s)) for s in model.scenarios]
    pts.append(("all low", model.values(**{n: p.low for n, p in model.parameters.items()})))
    pts.append(("all high", model.values(**{n: p.high for n, p in model.parameters.items()})))
    for k in range(3):
        vals = {n: Fraction(str(round(float(p.low + (p.high - p.low) * Fraction(rng.random())), 6)))
                for n, p in model.parameters.items()}
        pts.append((f"random {k}", model.values(**{n: min(max(v, model.parameters[n].low),
                                                             model.parameters[n].high) for n, v in vals.items()})))
    return pts


def test_every_parameter_is_sourced_and_in_range(model):
    assert model.parameters, "a model without parameters cannot be swept"
    for p in model.parameters.values():
        assert p.source.strip() and p.description.strip()
        assert p.low <= p.default <= p.high
        assert isinstance(p.default, Fraction)


def test_every_model_states_its_question(model):
    """The report's brief shows each model's question: one sentence, ending with a question mark."""
    question = model.meta.get("question", "")
    assert 20 < len(question) < 200 and question.endswith("?") and "\n" not in question


def test_forms_use_only_declared_parameters(model):
    for game in model.forms.values():
        assert set(game.parameters) <= set(model.parameters)
        assert game.players == model.players


def test_shapes_and_finite_payoffs(model):
    rng = np.random.default_rng(20251)
    for label, vals in _points(model, rng):
        for fname, sym in model.forms.items():
            game = sym.instantiate(vals)
            if isinstance(game, NormalFormGame):
                assert game.kind == "exact", (fname, label)
                shape = tuple(len(a) for a in game.actions)
                assert all(p.shape == shape for p in game.payoffs)
                assert all(math.isfinite(v) for p in game.payoffs for v in p.flat), (fname, label)
            else:
                assert isinstance(game, GameTree)
                for node in game.nodes():
                    if isinstance(node, Terminal):
                        assert len(node.payoffs) == game.n_players and all(math.isfinite(v) for v in node.payoffs)
                    elif isinstance(node, Chance):
                        assert sum(node.probabilities) == 1 and all(0 <= p <= 1 for p in node.probabilities)


def test_solutions_are_certified_and_deterministic(model):
    for fname in model.forms:
        first = model.solve(fname)
        again = model.solve(fname)
        assert first == again
        assert len(first) >= 1 and all(eq.regret == 0 for eq in first)
        for sname in model.scenarios:
            res = model.solve(fname, sname)
            assert len(res) >= 1 and all(eq.regret == 0 for eq in res)


def test_pickling(model):
    clone = pickle.loads(pickle.dumps(model))
    assert clone.name == model.name and list(clone.parameters) == list(model.parameters)
    for fname in model.forms:
        assert pickle.loads(pickle.dumps(model.game(fname))) == model.game(fname)
        res = model.solve(fname)
        assert pickle.loads(pickle.dumps(res)) == res


def test_normal_and_sequential_forms_share_nash_outcomes(model):
    """The stated normal form has the same pure Nash outcomes as the tree's reduced normal form, or the
    model file explains the difference under ``form_differences``. A model that states only its tree must say
    there why (its own tests then compare the tree's reduced normal form with the subgame-perfect outcomes)."""
    if set(model.forms) == {"sequential"}:
        assert "normal form" in model.form_differences and len(model.form_differences.strip()) > 80, (
            f"model {model.name} states no normal form and does not say why (form_differences)")
        return
    if not {"normal", "sequential"} <= set(model.forms):
        pytest.fail(f"model {model.name} should ship both forms")
    for sname in [None, *model.scenarios]:
        normal = model.solve("normal", sname)
        # the pure equilibria of the tree's reduced normal form (what is compared below); exact vertex
        # enumeration of a large reduced form (territory's 6 x 27) would exceed the default work budget
        tree_nash = gtu.solve(to_normal_form(model.game("sequential", sname)), method="pure")
        pure_outcomes = lambda res: {eq.outcome for eq in res if len(eq.outcome_distribution) == 1}  # noqa: E731
        if pure_outcomes(normal) != pure_outcomes(tree_nash):
            assert len(model.form_differences.strip()) > 80, (
                f"{model.name}, scenario {sname}: normal-form outcomes {pure_outcomes(normal)} differ from the "
                f"tree's {pure_outcomes(tree_nash)} and the file does not explain why (form_differences)")
        spe = model.solve("sequential", sname)
        assert {eq.outcome for eq in spe} <= {eq.outcome for eq in tree_nash}
