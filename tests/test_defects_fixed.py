"""The modelling defects of the framework models' previous versions, each as a check that reports it.

Every check runs on the shipped model (where it must find nothing) and on the previous version (where it must
find the defect), so the test fails if a model regresses and could not pass on the old model. Territory's two
defects (no later break option; a normal form that loses the SPE) are checked against its previous version in
tests/test_claims_territory.py; the shared-calibration contradictions in tests/test_calibration.py. The previous
nato and guarantees files are kept unchanged in tests/data."""

from __future__ import annotations

from pathlib import Path

import pytest

import gametheory_ukraine as gtu
from gametheory_ukraine.games.tree import Decision, Terminal

DATA = Path(__file__).resolve().parent / "data"


def previous(name: str) -> Path:
    return DATA / {"guarantees": "three-player-guarantee.yaml", "nato": "nato-before-calibration.yaml"}[name]


def decisions(tree):
    return [n for n in tree.nodes() if isinstance(n, Decision)]


def terminals(tree):
    return [n for n in tree.nodes() if isinstance(n, Terminal)]


def guarantees_defects(model) -> list[str]:
    """What the issue found wrong with guarantees, checked on the sequential form at the defaults."""
    tree = model.game("sequential")
    russia, ukraine, europe = (tree.players.index(p) for p in ("Russia", "Ukraine", "Europe"))
    found = []
    # Moscow accepts or rejects the regime Kyiv tables: a Russian decision right below a Ukrainian one.
    if not any(n.player == ukraine and any(isinstance(c, Decision) and c.player == russia and "reject" in c.actions
                                           for c in n.children) for n in decisions(tree)):
        found.append("Russia never accepts or rejects a guarantee regime")
    # A Western force costs Russia: a deal kept with the force is worth less to Russia than the same deal kept bare.
    held = {t.outcome: t.payoffs for t in terminals(tree)}
    force, bare = held.get("settlement holds: reassurance force"), held.get("settlement holds: no guarantee")
    if force is None or bare is None or not force[russia] < bare[russia]:
        found.append("a Western force costs Russia nothing")
    # Europe values Ukraine's fate: where Europe does not act, its payoff rises with Ukraine's (and is not constant).
    quiet = sorted({(t.payoffs[ukraine], t.payoffs[europe]) for t in terminals(tree)
                    if t.outcome == "war continues" or t.outcome.startswith("settlement holds")})
    if len({e for _, e in quiet}) < 2 or any(e2 < e1 for (_, e1), (_, e2) in zip(quiet, quiet[1:])):
        found.append("Europe values nothing of Ukraine's fate")
    return found


def nato_defects(model) -> list[str]:
    tree = model.game("sequential")
    ukraine = tree.players.index("Ukraine")
    found = []
    # Kyiv may reject Russia's terms: one of its moves ends the game with the war going on.
    if not any(isinstance(c, Terminal) and c.outcome == "war continues"
               for n in decisions(tree) if n.player == ukraine for c in n.children):
        found.append("Kyiv cannot reject Russia's terms")
    # One US parameter per meaning: no pi_US that means the accession backing here and air support elsewhere.
    if "pi_US" in model.parameters:
        found.append("pi_US means two things across the models")
    return found


CHECKS = {"guarantees": guarantees_defects, "nato": nato_defects}


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_the_shipped_model_has_none_of_the_defects_and_its_previous_version_has_them_all(name):
    check = CHECKS[name]
    assert check(gtu.load_model(name)) == []
    old = check(gtu.load_model(previous(name)))
    expected = {"guarantees": ["Russia never accepts or rejects a guarantee regime",
                               "a Western force costs Russia nothing", "Europe values nothing of Ukraine's fate"],
                "nato": ["Kyiv cannot reject Russia's terms", "pi_US means two things across the models"]}[name]
    assert old == expected
