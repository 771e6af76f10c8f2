"""One model's game, at a scenario and parameter values, to a file for another tool (``gtu export``).

Formats (``--to``), each written atomically (never a half-written file under the final name):

==============  ===========  ================================================================================
format          forms        writer
==============  ===========  ================================================================================
``nfg``         normal       Gambit strategic form, exact numbers kept exact (:mod:`gametheory_ukraine.io.gambit`)
``efg``         sequential   Gambit extensive form, exact numbers kept exact (:mod:`gametheory_ukraine.io.gambit`)
``png``         sequential   the tree drawn with matplotlib (:mod:`gametheory_ukraine.output.tree_drawing`)
``svg``         sequential   as ``png``
``latex``       normal       the payoff table as a LaTeX ``tabular`` (:mod:`gametheory_ukraine.output.latex`)
``txt``         normal       the payoff table as plain text (:mod:`gametheory_ukraine.output.payoff_text`)
``tikz``        both         a TikZ picture of the tree or the payoff table, a ``standalone`` document or (with
                             *fragment*) the ``tikzpicture`` alone (:mod:`gametheory_ukraine.output.tikz`)
``br-diagram``  normal, 2x2  the best-response diagram, PNG or SVG; small multiples over a parameter with
                             *over* (:mod:`gametheory_ukraine.output.best_response_diagram`)
==============  ===========  ================================================================================

Best responses are marked (``best_responses=True``, ``--best-responses``) in ``latex``, ``txt`` and a normal
form's ``tikz``; they are off by default, so that a table states the payoffs only unless asked.

The writers live in their own modules; pygambit, the optional ``gambit`` extra, is not needed to write Gambit
files.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .._version import __version__
from ..core.errors import ParameterError
from ..core.files import check_output_path, write_text_atomic
from ..core.numbers import format_exact
from ..games.tree import GameTree
from ..io.gambit import write_gambit
from ..solvers.solving import solve
from .best_response_diagram import best_response_diagram, best_response_diagrams
from .figures import save_figure
from .latex import payoff_table_latex
from .payoff_text import payoff_table_text
from .tikz import normal_form_tikz, tree_tikz
from .tree_drawing import check_picture_size, save_tree

__all__ = ["FORMATS", "export"]

#: format -> (forms it accepts, file suffixes)
FORMATS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "nfg": (("normal",), (".nfg",)),
    "efg": (("sequential",), (".efg",)),
    "png": (("sequential",), (".png",)),
    "svg": (("sequential",), (".svg",)),
    "latex": (("normal",), (".tex",)),
    "txt": (("normal",), (".txt",)),
    "tikz": (("sequential", "normal"), (".tex",)),
    "br-diagram": (("normal",), (".png", ".svg")),
}


def _kind(game) -> str:
    return "sequential" if isinstance(game, GameTree) else "normal"


def export(model, to: str, path, *, form: str | None = None, scenario: str | None = None,
           exact: bool | None = None, max_nodes: int | None = None, best_responses: bool = False,
           fragment: bool = False, over: str | None = None, over_values: Sequence[Any] | None = None,
           **values: Any):
    """Write *model*'s game of *form* at *scenario* (parameters *values* overridden) to *path* as *to*.

    Parameters
    ----------
    model : Model
    to : {"nfg", "efg", "png", "svg", "latex", "txt", "tikz", "br-diagram"}
    path : str or path-like
        The output file; its suffix must match the format (see the module docstring).
    form, scenario : str, optional
        Default form: the model's first form the format fits (``png``/``svg``/``efg``: the tree).
        As for :meth:`Model.game <gametheory_ukraine.modelling.model.Model.game>`.
    exact : bool, optional
        Exact numbers (the default when every value is exact).
    max_nodes : int, optional
        ``png``/``svg``: budget of the tree's nodes (default
        :data:`~gametheory_ukraine.output.tree_drawing.MAX_PICTURE_NODES`), checked before anything is solved
        or drawn.
    best_responses : bool
        ``latex``, ``txt``, ``tikz`` of a normal form: mark every best-response payoff.
    fragment : bool
        ``tikz``: only the ``tikzpicture`` (default: a ``standalone`` document that ``pdflatex`` compiles).
    over, over_values : str and sequence, optional
        ``br-diagram``: one panel per value of parameter *over* (default: one diagram at the given values).
    **values
        Parameter overrides.

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    ParameterError
        Unknown format, a format that does not fit the form (e.g. ``efg`` for a normal form), a tree too big
        for a picture, an option the format does not take.
    OutputError
        A bad or unwritable path.
    """
    if to not in FORMATS:
        raise ParameterError(f"unknown export format {to!r}", where="--to", fix="use one of " + ", ".join(FORMATS))
    kinds, suffixes = FORMATS[to]
    _check_options(to, best_responses, fragment, over, over_values)
    out = check_output_path(path, suffixes=suffixes)
    if form is None:  # no form named: the first one the format fits (a picture of a tree, not the normal form)
        form = next((f for f in model.forms if _kind(model.symbolic(f)) in kinds), None)
    form = model.form_name(form)
    symbolic = model.symbolic(form)
    if _kind(symbolic) not in kinds:
        other = [f for f in model.forms if _kind(model.symbolic(f)) in kinds]
        raise ParameterError(f"--to {to} needs a {' or '.join(kinds)} form; {model.name} {form} is "
                             f"{_kind(symbolic)}", where="--form",
                             fix=(f"use --form {other[0]}" if other else "choose another format"))
    if to in ("png", "svg") or (to == "tikz" and _kind(symbolic) == "sequential"):
        check_picture_size(symbolic, max_nodes)
    if to == "br-diagram" and over is not None:
        fig = best_response_diagrams(model, over, over_values, form=form, scenario=scenario, **values)
        return save_figure(fig, out)
    game = model.game(form, scenario, exact=exact, **values)
    if to in ("nfg", "efg"):
        return write_gambit(game, out, title=f"{model.name} ({form}, {scenario or 'defaults'})",
                            comment=_provenance(model, form, scenario, values))
    given = ", ".join(f"{k}={v}" for k, v in values.items())
    where = f"{model.name}, " + (f"scenario {scenario}" if scenario else "parameter defaults") + (
        f", {given}" if given else "")
    if to in ("png", "svg") or (to == "tikz" and _kind(game) == "sequential"):
        result = solve(game, exact=exact)
        equilibrium = result.equilibria[0] if len(result) else None
        if to == "tikz":
            return write_text_atomic(out, tree_tikz(game, equilibrium=equilibrium, title=f"{model.title} ({where})",
                                                    fragment=fragment))
        return save_tree(game, out, equilibrium=equilibrium, title=f"{model.title}\n{where}", max_nodes=max_nodes)
    if to == "tikz":
        return write_text_atomic(out, normal_form_tikz(game, best_responses=best_responses,
                                                       title=f"{model.title} ({where})", fragment=fragment))
    if to == "br-diagram":
        return save_figure(best_response_diagram(game, title=f"{model.title} ({where})"), out)
    if to == "txt":
        return write_text_atomic(out, f"{model.title} ({where})\n"
                                 + payoff_table_text(game, best_responses=best_responses) + "\n")
    return write_text_atomic(out, payoff_table_latex(game, caption=f"{model.name} ({scenario or 'defaults'})",
                                                     best_responses=best_responses))


def _check_options(to: str, best_responses: bool, fragment: bool, over, over_values) -> None:
    """Refuse an option the format does not take (it would be ignored without a word)."""
    if best_responses and to not in ("latex", "txt", "tikz"):
        raise ParameterError(f"--to {to} marks no best responses", where="--best-responses",
                             fix="use it with --to latex, txt or tikz, or leave it out")
    if fragment and to != "tikz":
        raise ParameterError(f"--to {to} has no fragment form", where="--tikz-fragment",
                             fix="use it with --to tikz, or leave it out")
    if (over is not None or over_values is not None) and to != "br-diagram":
        raise ParameterError(f"--to {to} draws no panels over a parameter", where="--over",
                             fix="use --over and --values with --to br-diagram, or leave them out")
    if (over is None) != (over_values is None):
        raise ParameterError("--over and --values go together", where="--over",
                             fix="give both, e.g. --over d --values 0,1,2")


def _provenance(model, form: str, scenario: str | None, values: dict[str, Any]) -> str:
    """Where an exported game came from: model, file hash, form, scenario, every parameter value, version."""
    lines = [f"{model.title}", f"Exported by gametheory_ukraine {__version__} from model {model.name!r}"
             + (f" (sha256 {model.sha256[:16]})" if model.sha256 else "")
             + f", form {form!r}, scenario {scenario or '(parameter defaults)'}."]
    full = model.values(scenario, values)
    if full:
        lines.append("Parameters: " + ", ".join(f"{k}={format_exact(v) if not isinstance(v, float) else repr(v)}"
                                                 for k, v in full.items()))
    return "\n".join(lines)
