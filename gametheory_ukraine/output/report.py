"""The main job: ``gtu report``. Solve every model, form and scenario, find the relapse-risk
thresholds, draw the maps, and write a report (index.md, index.html, PNG figures, CSV tables).

The report is built in a temporary folder beside the target and moved into place only when it is
complete, so an interrupted run never leaves a half-written report under the final name. The folder's
``.gtu-report`` file is a manifest of every file the report wrote, with its SHA-256: an existing folder is
replaced only when it provably is an earlier report (a valid manifest, every file in it still there and
unchanged, nothing else present); any other non-empty folder is refused, and so is a symbolic link (a report
never replaces a link, and never writes through one: give the folder it points to instead). Its content
depends only on the model files and the package version (no timestamps), so the same inputs give
byte-identical tables and text.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import sympy
from matplotlib.figure import Figure

from .._version import __version__
from ..analysis.robustness import box_parameters, robustness
from ..analysis.sensitivity import TORNADO_COLUMNS, plot_tornado
from ..analysis.sweep import sweep, write_table
from ..analysis.tactical import tactical_strategic
from ..analysis.thresholds import thresholds
from ..core.errors import OutputError, excerpt
from ..core.files import atomic_path, check_parent, disk_error
from ..core.numbers import format_exact, short_text
from ..games.tree import GameTree, Terminal
from ..io.bibtex import cited, read_bibtex
from ..modelling.bundled import bundled_models_dir
from ..modelling.model import Model
from ..modelling.registry import list_models, load_model
from ..solvers.results import format_number
from ..solvers.solving import solve
from ..solvers.subgame_perfect import subgame_perfect
from . import plots
from .analysis_tables import conditions_text
from .document import Document, math_of, symbol_math
from .model_report import parameter_rows
from .solution_report import payoff_text
from .tree_drawing import MAX_DRAWN_LEAVES, save_tree

__all__ = ["build_report", "formula_label", "FRAMEWORK_MODELS", "REPORT_MODELS"]

FRAMEWORK_MODELS = ("territory", "nato", "guarantees", "settlement")
#: What ``gtu report`` covers by default: the framework models, then the talks format (how the talks are held) and
#: the micro-deals (the small steps before them).
REPORT_MODELS = FRAMEWORK_MODELS + ("talks-format", "micro-deals")

#: Trees with more information sets than this get no threshold scan in the report (each point is an exact
#: solve; the settlement model's 188 information sets make one scan take minutes): the section says how to run it.
MAX_REPORT_THRESHOLD_INFOSETS = 100
MARKER = ".gtu-report"
_SHARED = {"delta", "rho", "p", "c_R", "c_U"}


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _manifest(folder: Path) -> dict:
    """The manifest of a finished report folder: every file in it (relative POSIX path -> SHA-256) and every
    folder."""
    files, folders = {}, []
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.is_dir():
            folders.append(rel)
        elif path.is_file() and rel != MARKER:
            files[rel] = _sha256(path)
    return {"package": "gametheory_ukraine", "command": "gtu report", "version": __version__, "files": files,
            "folders": folders}


def _not_an_earlier_report(out: Path) -> str | None:
    """Why the non-empty folder *out* is not provably an earlier ``gtu report`` (None if it is)."""
    marker = out / MARKER
    if not marker.is_file() or marker.is_symlink():
        return "is not a gtu report"
    try:
        data = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return f"has a {MARKER} file that is not a report's manifest"
    files = data.get("files") if isinstance(data, dict) else None
    folders = data.get("folders") if isinstance(data, dict) else None
    if (not isinstance(data, dict) or data.get("package") != "gametheory_ukraine"
            or data.get("command") != "gtu report" or not isinstance(files, dict)
            or not isinstance(folders, list)):
        return f"has a {MARKER} file that is not a report's manifest"
    folders = {str(f) for f in folders}
    seen = set()
    for root, dirs, names in os.walk(out):
        base = Path(root).relative_to(out)
        for name in sorted(dirs):
            rel = (base / name).as_posix()
            if os.path.islink(os.path.join(root, name)) or rel not in folders:
                return f"holds {rel}/, which the earlier report did not write"
        for name in sorted(names):
            rel = (base / name).as_posix()
            if rel == MARKER:
                continue
            path = Path(root) / name
            if rel not in files or path.is_symlink() or not path.is_file():
                return f"holds {rel}, which the earlier report did not write"
            if _sha256(path) != files[rel]:
                return f"holds {rel}, changed since the earlier report wrote it"
            seen.add(rel)
    missing = sorted(set(files) - seen) + sorted(f"{f}/" for f in folders if not (out / f).is_dir())
    if missing:
        return f"lacks {missing[0]}, which the earlier report wrote"
    return None


def _prepare_target(out: Path) -> None:
    """Refuse a target that is not a new or empty folder or an unchanged earlier report (see the module)."""
    if out.is_symlink():
        raise OutputError("is a symbolic link: a report never replaces a link nor writes through one",
                          path=str(out), fix=f"give the folder it points to ({os.path.realpath(out)}) or a new name")
    if out.exists() and not out.is_dir():
        raise OutputError("exists and is not a folder", path=str(out), fix="choose a folder name")
    if out.is_dir() and any(out.iterdir()):
        why = _not_an_earlier_report(out)
        if why is not None:
            raise OutputError(f"the folder is not empty and {why}: only an unchanged earlier gtu report is "
                              "replaced", path=str(out), fix="choose a new or empty folder, or move your files out")
    check_parent(out)


def _strategy_text(res, eq) -> str:
    def mix(d) -> str:
        return ", ".join(a if p == 1 else f"{a} {_num(p)}" for a, p in d.items() if p)

    parts = []
    for player, strat in res.strategy_dict(eq).items():
        if res.form == "normal":
            parts.append(f"{player}: {mix(strat)}")
        else:
            parts += [f"{player}@{h}: {mix(d)}" for h, d in strat.items()]
    return "; ".join(parts)


def _num(v) -> str:
    return format_number(v, 4)


def _solve_all(model: Model) -> dict:
    """Every form at the defaults and in every scenario, solved once: ``{(form, scenario or None): result}``."""
    return {(form, scenario): model.solve(form, scenario) for form in model.forms
            for scenario in [None, *model.scenarios]}


def _equilibria_rows(model: Model, results: dict) -> list[dict]:
    rows = []
    for (form, scenario), res in results.items():
        for k, eq in enumerate(res.equilibria):
            row = {"model": model.name, "form": form, "scenario": scenario or "(defaults)", "equilibrium": k,
                   "n_equilibria": len(res), "complete": res.complete, "method": res.method,
                   "outcome": eq.outcome, "strategies": _strategy_text(res, eq)}
            for p, v in zip(res.players, eq.payoffs):
                row[f"payoff:{p}"] = str(v)
            rows.append(row)
    return rows


def _same_as_defaults(model: Model) -> str | None:
    """The first scenario whose values are the defaults (its rows then stand for the defaults too)."""
    defaults = model.values(None)
    return next((s for s in model.scenarios if model.values(s) == defaults), None)


def _equilibria_groups(model: Model, results: dict) -> list[list]:
    """Every form's equilibria per scenario, grouped by outcome: one row per form, outcome and set of scenarios
    with the same equilibria (count and payoffs); the defaults get no row of their own when a scenario is
    them."""
    same = _same_as_defaults(model)
    table = []
    for form in model.forms:
        groups: dict = {}
        for scenario in ([] if same else [None]) + list(model.scenarios):
            res = results[(form, scenario)]
            by_outcome: dict = {}
            for eq in res.equilibria:
                by_outcome.setdefault(_outcome_words(eq), []).append(tuple(eq.payoffs))
            key = tuple((o, len(v), tuple(dict.fromkeys(v))) for o, v in by_outcome.items())
            label = "(defaults)" if scenario is None else scenario + (" (the defaults)" if scenario == same else "")
            groups.setdefault(key, []).append(label)
        for key, labels in groups.items():
            total = sum(n for _, n, _ in key)
            for outcome, n, payoffs in key:
                pays = " / ".join(", ".join(f"{p} {short_text(v)}" for p, v in zip(model.players, vec))
                                  for vec in payoffs)
                table.append([form, ", ".join(labels), outcome, str(n) if n == total else f"{n} of {total}", pays])
    return table


def _completeness_text(model: Model, results: dict) -> str:
    """What the equilibria column counts, and whether each list is complete."""
    partial = []
    for (form, scenario), res in results.items():
        if not res.complete:
            partial.append(f"the {form} form{'' if scenario is None else ', ' + scenario} "
                           f"({'; '.join(res.notes) or res.method})")
    kinds = []
    if "normal" in model.forms:
        kinds.append("for a normal form, every extreme Nash equilibrium (the mixed equilibria in between are "
                     "the convex combinations of extreme ones that share a component)")
    if any(f != "normal" for f in model.forms):
        kinds.append("for a tree, every subgame-perfect equilibrium, ties included")
    text = ("Equilibria: how many there are with that outcome (" + "; ".join(kinds) + "). Equilibria with the "
            "same outcome differ in what the players would do off the equilibrium path or in how they mix among "
            "equally good replies; the payoffs are those of the distinct equilibria, exact where the fraction is "
            "short and as decimals otherwise (the exact values are in the CSV table). Scenarios with the same "
            "equilibria share a row. ")
    if partial:
        return text + "Not every list is complete: " + "; ".join(partial) + "."
    return text + "Every list is complete (the solver provably found them all), and every equilibrium passes a " \
        "best-response check."


def _tree_picture(doc, model: Model, tmp: Path) -> None:
    """The tree at the baseline with the path of its first equilibrium, if the model has a tree small enough to
    read; otherwise a sentence saying how to get the tree."""
    form, scenario = _main_form(model)
    game = model.game(form, scenario)
    if not isinstance(game, GameTree):
        return
    leaves = sum(isinstance(n, Terminal) for n in game.nodes())
    if leaves > MAX_DRAWN_LEAVES:
        doc.paragraph(f"The {form} form has {leaves} outcomes, too many to draw legibly; to open it in Gambit: "
                      f"`gtu export {model.name} --form {form} --to efg -o {model.name}.efg`.")
        return
    res = solve(game)
    path = f"figures/{model.name}-tree.png"
    save_tree(game, tmp / path, equilibrium=res[0], title="")
    which = "its equilibrium" if len(res) == 1 else f"equilibrium 1 of {len(res)}"
    width = int.from_bytes((tmp / path).read_bytes()[16:20], "big")   # the PNG header's width, in pixels
    big = " (select the picture for its full size)" if width > 3000 else ""
    doc.image(path, f"The {form} form of {model.name} at {scenario or 'the defaults'}{big}: thick, the path of "
                    f"{which}; black, its choices off the path; payoffs at the leaves in the order "
                    f"{', '.join(res.players)}" + (" (dashed: moves a player cannot tell apart)."
                                                    if any(len(h.nodes) > 1 for h in game.infosets().values())
                                                    else "."))


def _map_axis(model: Model, thr_results) -> str:
    """The parameter to put against rho in the map: one the first closed-form threshold depends on."""
    for res in thr_results:
        for t in res.thresholds:
            if t.expression is not None:
                names = sorted(s.name for s in t.expression.free_symbols)
                own = [n for n in names if n not in _SHARED and n in model.parameters]
                if own:
                    return own[0]
                other = [n for n in names if n != "rho" and n in model.parameters]
                if other:
                    return other[0]
    return "p" if "p" in model.parameters else next(n for n in model.parameters if n != "rho")


def _threshold_curve(model, scenario, y_name, expression, ys):
    """rho*(y) from a closed-form threshold, with the other parameters at the scenario values."""
    vals = model.values(scenario)
    subs = {sympy.Symbol(k): sympy.Rational(str(v)) for k, v in vals.items() if k != y_name}
    f = sympy.lambdify(sympy.Symbol(y_name), expression.xreplace(subs), "numpy")
    with np.errstate(all="ignore"):
        xs = np.broadcast_to(np.asarray(f(ys), dtype=float), ys.shape)
    return xs


def build_report(out: str | os.PathLike, models: list[str] | None = None, *,
                 progress: Callable[[str], None] | None = None, map_points: int = 31, sweep_points: int = 99) -> Path:
    """Write the report into folder *out* (replacing an earlier gtu report there); return its path.

    Parameters
    ----------
    out : path
        Target folder; created (atomically) if absent.
    models : list of str, optional
        Model names; default: :data:`REPORT_MODELS` (the framework models territory, nato, guarantees and
        settlement, then talks-format and micro-deals) that are available.
    progress : callable, optional
        Called with each model's name as its section begins.
    map_points : int
        Grid points per axis of the outcome maps.
    sweep_points : int
        Points of the rho sweeps behind the payoff plots and CSV tables.
    """
    out = Path(out)
    _prepare_target(out)
    names = models or [m for m in REPORT_MODELS if m in list_models()]
    loaded = [load_model(n) for n in names]
    with atomic_path(out, folder=True) as tmp:
        (tmp / "figures").mkdir()
        (tmp / "tables").mkdir()
        doc = Document("Game-theoretic scenario models of the 2025 Russia-Ukraine peace talks")
        doc.paragraph(
            f"Generated by gametheory_ukraine {__version__} (`gtu report`). Every equilibrium below is exact "
            "(rational arithmetic) and certified by a best-response check (regret 0). Models: "
            + ", ".join(f"{m.name} (file sha256 {m.sha256[:12]})" for m in loaded) + ".")
        at = len(doc.blocks)  # the brief goes here, once every model's section has been computed
        doc.heading("Relapse risk", 2)
        s_, d_, r_, w_, n_ = sympy.symbols("s delta rho W' n")
        doc.paragraph([
            "Relapse risk ", math_of(r_), " is the per-year probability that a signed settlement collapses back "
            "into war (Minsk-style). A settlement paying ", math_of(s_), " a year is worth ",
            _settle_formula(s_, d_, r_, w_), ", ",
            math_of(w_), " the war after a collapse; it lasts ", math_of(1 / r_), " years on average and survives ",
            math_of(n_), " years with probability ", math_of((1 - r_) ** n_), "."])
        fig = plots.survival_curves([0.05, 0.129, 0.3])
        plots.save_figure(fig, tmp / "figures" / "survival.png")
        doc.image("figures/survival.png", "Survival of a settlement for several yearly relapse risks rho "
                  "(0.05: 40 % failing within 10 years; 0.129: half within 5 years; 0.3).")
        brief, notes = [], []
        for model in loaded:
            if progress is not None:
                progress(model.name)
            thr_results, rob = _model_section(doc, model, tmp, map_points, sweep_points, notes)
            brief.append(_brief_row(model, thr_results, rob))
        doc.blocks[at:at] = _brief(brief, tmp).blocks
        refs = cited(read_bibtex((bundled_models_dir() / "references.bib").read_text(encoding="utf-8")),
                     doc.markdown())
        if refs:
            doc.heading("References", 2)
            doc.paragraph("The works this report cites (the package's bibliography, references.bib beside the "
                          "bundled model files).")
            doc.bullets([r.text() for r in refs])
        if notes:
            doc.heading("Appendix: design notes", 2)
            for name, title, paragraphs in notes:
                doc.heading(f"Design notes {name}", 3)
                doc.paragraph(f"{title}.")
                for paragraph in paragraphs:
                    doc.paragraph(paragraph)
        (tmp / "index.md").write_text(doc.markdown(), encoding="utf-8")
        (tmp / "index.html").write_text(doc.html(), encoding="utf-8")
        (tmp / MARKER).write_text(json.dumps(_manifest(tmp), indent=1, sort_keys=True) + "\n", encoding="utf-8")
        _move_into_place(tmp, out)
    return out


def formula_label(model, param: str, expr) -> str:
    """``param* = expr`` for a figure legend, in mathtext with the model's own symbols (``\\Delta p_B`` for
    ``dp_belt``); sympy's text if mathtext cannot typeset it."""
    names = {sympy.Symbol(n): p.symbol for n, p in model.parameters.items() if p.symbol}
    text = f"${model.parameters[param].symbol}^* = {sympy.latex(expr, symbol_names=names)}$"
    return text if plots.mathtext_ok(text) else f"{param}* = {expr}"


def _settle_formula(s_, d_, r_, w_):
    """V = (s + delta*rho*W')/(1 - delta*(1 - rho)), as written (sympy would reorder its terms)."""
    add, mul = (lambda *a: sympy.Add(*a, evaluate=False)), (lambda *a: sympy.Mul(*a, evaluate=False))
    value = mul(add(s_, mul(d_, r_, w_)), sympy.Pow(add(1, -mul(d_, add(1, -r_))), -1, evaluate=False))
    return math_of(sympy.Eq(sympy.Symbol("V"), value, evaluate=False), order="none")


def _move_into_place(tmp: Path, out: Path) -> None:
    """Put the finished report *tmp* at *out*, replacing an earlier report there (checked again now: files may
    have been added while this one was built)."""
    _prepare_target(out)
    try:
        if out.exists():
            old = out.with_name(f".{out.name}.{os.getpid()}.old.part")  # a temporary name remove_stale_parts knows
            os.replace(out, old)
            os.replace(tmp, out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, out)
    except OSError as exc:
        err = disk_error(exc, out)
        if err is not None:
            raise err from None
        raise


def _model_section(doc, model, tmp, map_points, sweep_points, notes: list) -> tuple:
    name = model.name
    doc.heading(f"{model.title} (`{name}`)", 2)
    paragraphs = [" ".join(p.split()) for p in (model.description or "").split("\n") if p.strip()]
    if model.meta.get("question"):
        doc.paragraph("Question: " + " ".join(str(model.meta["question"]).split()))
    if paragraphs:
        doc.paragraph(paragraphs[0])
    _tree_picture(doc, model, tmp)
    if len(paragraphs) > 1:
        doc.paragraph(f"The model file's design notes (how the game is built, and why) are in the appendix: "
                      f"[{name}](#design-notes-{name}).")
        notes.append((name, model.title, paragraphs[1:]))
    # parameters
    doc.heading("Parameters and their sources", 3)
    prow = parameter_rows(model)
    doc.table(["name", "symbol", "default", "low", "high", "description", "source"],
              [[r[0], symbol_math(r[1], r[0]), *r[2:]] for r in prow])
    pd.DataFrame(prow, columns=["name", "symbol", "default", "low", "high", "description", "source"]).to_csv(
        tmp / "tables" / f"{name}-parameters.csv", index=False)
    if model.scenarios:
        doc.table(["scenario", "values", "description"],
                  [[s.name, ", ".join(f"{k}={excerpt(format_exact(v))}" for k, v in s.values.items()) or "(defaults)",
                    " ".join(s.description.split())] for s in model.scenarios.values()])
    # equilibria
    doc.heading("Equilibria by form and scenario", 3)
    results = _solve_all(model)
    rows = _equilibria_rows(model, results)
    pd.DataFrame(rows).to_csv(tmp / "tables" / f"{name}-equilibria.csv", index=False)
    doc.table(["form", "scenarios", "outcome", "equilibria", "payoffs (present values)"],
              _equilibria_groups(model, results))
    doc.paragraph(_completeness_text(model, results))
    table = f"tables/{name}-equilibria.csv"
    doc.paragraph(f"All equilibria with their strategies: [{table}]({table}).")
    if model.meta.get("tactical"):
        _tactical_section(doc, model, tmp)
    form, scenario = _main_form(model)
    rob = robustness(model, form=form, scenario=scenario, samples=BRIEF_SAMPLES, seed=BRIEF_SEED)
    labels = plots.axis_labels(model)
    thr_results = _threshold_section(doc, model, tmp, map_points, sweep_points, labels) \
        if "rho" in model.parameters else []
    _sensitivity_section(doc, model, tmp, rob, sweep_points, labels)
    _findings(doc, model)
    return thr_results, rob


def _threshold_section(doc, model, tmp, map_points, sweep_points, labels) -> list:
    """The relapse-risk thresholds (table and closed forms), the outcome map over rho and the parameter the first
    closed form depends on, and the payoffs against rho where rho moves them."""
    name = model.name
    doc.heading("Relapse-risk thresholds", 3)
    thr_rows, thr_results, thr_cells = [], [], []
    symbols = {n: p.symbol for n, p in model.parameters.items() if p.symbol}
    large = {f: len(g.infosets()) for f, g in model.forms.items()
             if isinstance(g, GameTree) and len(g.infosets()) > MAX_REPORT_THRESHOLD_INFOSETS}
    if large:
        f, n = next(iter(large.items()))
        doc.paragraph(f"Not computed in the report: the {f} form has {n} information sets, and a threshold scan "
                      "solves it exactly at hundreds of points (minutes for one scenario). To compute them: "
                      f"gtu thresholds {name} --param rho --form {f} --scenario baseline-2025 --on outcomes.")
    for form in [f for f in model.forms if f not in large]:
        scenarios = list(model.scenarios) or [None]
        if form == "normal":
            scenarios = ["baseline-2025"] if "baseline-2025" in model.scenarios else scenarios[:1]
        for scenario in scenarios:
            res = thresholds(model, "rho", form=form, scenario=scenario, grid=101 if form == "normal" else 201)
            thr_results.append(res)
            for t in res.thresholds:
                conditions = conditions_text(t)
                if t.conditions_hold is False and t.direction:
                    conditions += f". Here: {t.direction}"
                thr_rows.append([form, scenario or "(defaults)", f"{t.value:.6g}",
                                 "" if t.exact is None else str(t.exact),
                                 "" if t.expression is None else str(t.expression), t.method, t.change,
                                 conditions])
                thr_cells.append([*thr_rows[-1][:3], "" if t.exact is None else payoff_text(t.exact),
                                  "" if t.expression is None else math_of(t.expression, symbols=symbols),
                                  *thr_rows[-1][5:]])
            if not res.thresholds:
                lo, hi = res.over
                thr_rows.append([form, scenario or "(defaults)", "none", "", "", "",
                                 f"no change for rho in [{lo:g}, {hi:g}]: " + "; ".join(_outcomes_at(model, form,
                                                                                                  scenario)), ""])
                thr_cells.append(thr_rows[-1])
    headers = ["form", "scenario", "rho*", "exact", "closed form", "method", "what changes", "conditions"]
    if thr_cells:
        doc.table(headers, thr_cells)
    if any(row[4] for row in thr_rows):
        doc.paragraph("Conditions: where each closed form's direction holds, i.e. the signs of what solving its "
                      "indifference condition for rho divides by, and what must not vanish (those true on the whole "
                      "declared parameter box are left out). A condition that fails at the scenario's values is "
                      "marked \"fails here\", and the direction that holds there is given instead.")
    pd.DataFrame(thr_rows, columns=headers).to_csv(tmp / "tables" / f"{name}-thresholds.csv", index=False)
    # maps and curves (sequential form, baseline)
    form = "sequential" if "sequential" in model.forms else next(iter(model.forms))
    scenario = "baseline-2025" if "baseline-2025" in model.scenarios else None
    y = _map_axis(model, [r for r in thr_results if r.form == form and r.scenario == scenario])
    if large:  # every map point is an exact solve: a coarser grid keeps the report's run to minutes
        map_points = min(map_points, 11)
    data = plots.outcome_map_data(model, "rho", y, form=form, scenario=scenario, nx=map_points, ny=map_points)
    curves = []
    ys = np.linspace(float(model.parameters[y].low), float(model.parameters[y].high), 200)
    for r in thr_results:
        if r.form == form and r.scenario == scenario:
            for t in r.thresholds:
                if t.expression is not None and "rho" not in {s.name for s in t.expression.free_symbols}:
                    xs = _threshold_curve(model, scenario, y, t.expression, ys)
                    rho_par = model.parameters["rho"]
                    inside = np.isfinite(xs) & (xs >= float(rho_par.low)) & (xs <= float(rho_par.high))
                    if inside.any():     # a curve wholly off the map is not drawn, nor named in the caption
                        curves.append((formula_label(model, "rho", t.expression), xs, ys))
    at = model.values(scenario)
    fig = plots.outcome_map(data, "rho", y, title=f"{name}: {form} form, {scenario or 'defaults'}", curves=curves,
                            labels=labels, baseline=(float(at["rho"]), float(at[y])))
    plots.save_figure(fig, tmp / "figures" / f"{name}-map-rho-{y}.png")
    doc.image(f"figures/{name}-map-rho-{y}.png",
              f"Equilibrium outcomes of {name} ({form} form, {scenario or 'defaults'}) over rho and {y}, "
              f"{map_points} x {map_points} exact solves; the star: the baseline"
              + ("; lines: closed-form thresholds." if curves else "."))
    rho = model.parameters["rho"]
    df = sweep(model, {"rho": np.linspace(float(rho.low), float(rho.high), sweep_points)}, form=form,
               scenario=scenario, progress=False)
    write_table(df, tmp / "tables" / f"{name}-rho-sweep.csv")
    pay = df[[c for c in df.columns if c.startswith("payoff:")]].to_numpy(dtype=float)
    if np.all(np.nanmax(pay, axis=0) - np.nanmin(pay, axis=0) <= 1e-12):
        seen = "; ".join(dict.fromkeys(str(o) for o in df["outcome"]))
        doc.paragraph(f"No equilibrium payoff moves with rho over [{float(rho.low):g}, {float(rho.high):g}] "
                      f"({form} form, {scenario or 'defaults'}): the outcome there is {seen}, whose value does not "
                      "depend on rho, so no payoff plot against rho is drawn. The rho sweep's table: "
                      f"[tables/{name}-rho-sweep.csv](tables/{name}-rho-sweep.csv).")
        return thr_results
    marks = [t.value for r in thr_results if r.form == form and r.scenario == scenario for t in r.thresholds]
    fig = plots.payoffs_vs(df, "rho", thresholds=marks, title=f"{name}: equilibrium payoffs against rho",
                           labels=labels, baseline=float(at["rho"]))
    plots.save_figure(fig, tmp / "figures" / f"{name}-payoffs-rho.png")
    doc.image(f"figures/{name}-payoffs-rho.png",
              f"Equilibrium payoffs of {name} ({form} form, {scenario or 'defaults'}) against rho; dotted: the "
              "baseline" + ("; dashed: thresholds." if marks else "."))
    return thr_results


def _findings(doc, model) -> None:
    findings = model.meta.get("findings")
    if findings:
        doc.heading("Findings recorded in the model file", 3)
        items = findings if isinstance(findings, list) else [p for p in str(findings).split("\n") if p.strip()]
        items = [" ".join(str(i).split()) for i in items]
        numbered = [re.match(r"(\d+)\. ", i) for i in items]
        if len(items) > 1 and all(numbered[1:]) and [int(m.group(1)) for m in numbered[1:]] == list(
                range(1, len(items))) and not numbered[0]:
            doc.paragraph(items[0])                    # a preamble, then the numbered findings
            doc.numbered([i[m.end():] for i, m in zip(items[1:], numbered[1:])])
        elif all(numbered) and [int(m.group(1)) for m in numbered] == list(range(1, len(items) + 1)):
            doc.numbered([i[m.end():] for i, m in zip(items, numbered)])
        else:
            doc.bullets(items)


# ------------------------------------------------------------------------------------- sensitivity
#: A one-at-a-time point with more equilibria than this (ties at a parameter's end) is left out of the tornado:
#: certifying thousands of subgame-perfect equilibria takes minutes (settlement has 4,096 at pi_air = 0).
MAX_TORNADO_EQUILIBRIA = 256
#: The outcome table of a model's sensitivity section: the most common outcomes (and the baseline's), the rest in
#: one row; Sobol' indices only for outcomes with at least this share of the sample.
MAX_OUTCOME_ROWS = 8
MIN_DRIVER_SHARE = 0.05


def _mean_payoffs(model, form, scenario, values) -> np.ndarray | None:
    """Each player's payoff averaged over the equilibria at the point (None past MAX_TORNADO_EQUILIBRIA)."""
    game = model.game(form, scenario, **values)
    if isinstance(game, GameTree):
        try:
            subgame_perfect(game, exact=True, max_equilibria=MAX_TORNADO_EQUILIBRIA)
        except ValueError:  # the solver's cap on equilibria (solve() turns the same error into a SolverError)
            return None
    res = solve(game)
    return np.mean([[float(v) for v in eq.payoffs] for eq in res.equilibria], axis=0)


def tornado_tables(model, form: str, scenario: str | None) -> tuple[dict[str, pd.DataFrame], list[str]]:
    """One-at-a-time swings of every player's mean equilibrium payoff over each parameter of the box.

    Each parameter of :func:`~gametheory_ukraine.analysis.robustness.box_parameters` in turn is set to its
    ``low`` and its ``high`` with the others at the scenario's values; one exact solve per point serves every
    player. A point with more than :data:`MAX_TORNADO_EQUILIBRIA` subgame-perfect equilibria is left out.

    Returns
    -------
    tables : dict of str to pandas.DataFrame
        Per player, the columns of :func:`gametheory_ukraine.analysis.sensitivity.tornado`, largest swing first.
    left_out : list of str
        ``"name = value"`` for each point left out.
    """
    varied, _ = box_parameters(model, form, scenario)
    base = _mean_payoffs(model, form, scenario, {})
    rows: dict[str, list] = {p: [] for p in model.players}
    left_out = []
    for name in varied:
        par = model.parameters[name]
        ends = []
        for v in (par.low, par.high):
            y = _mean_payoffs(model, form, scenario, {name: v})
            if y is None:
                left_out.append(f"{name} = {format_number(v, 4)}")
            ends.append(y)
        if any(y is None for y in ends):
            continue
        for i, player in enumerate(model.players):
            lo, hi = ends[0][i], ends[1][i]
            rows[player].append((name, float(par.low), float(par.high), lo, hi, base[i], abs(hi - lo)))
    tables = {}
    for player in model.players:
        df = pd.DataFrame(rows[player], columns=list(TORNADO_COLUMNS))
        df = df.sort_values("swing", ascending=False, kind="mergesort").reset_index(drop=True)
        df.attrs.update(measure=f"payoff:{player}")
        tables[player] = df
    return tables, left_out


def _plot_parameter(tables: dict[str, pd.DataFrame], skip=frozenset()) -> str | None:
    """The parameter that moves the players' payoffs most (the largest swing of any player), leaving out *skip*;
    None if nothing else moves them."""
    best: dict[str, float] = {}
    for df in tables.values():
        for name, swing in zip(df["param"], df["swing"]):
            if name not in skip:
                best[name] = max(best.get(name, 0.0), float(swing))
    name = max(best, key=lambda k: best[k], default=None)
    return name if name is not None and best[name] > 1e-12 else None


def _sensitivity_section(doc, model, tmp, rob, sweep_points: int, labels) -> None:
    """Tornado charts of every player's payoff, the outcome's Sobol' indices over the box, and the payoffs
    against the parameter that moves them most."""
    name = model.name
    form, scenario = _main_form(model)
    at = model.values(scenario)
    doc.heading("Sensitivity", 3)
    tables, left_out = tornado_tables(model, form, scenario)
    shown = 8
    fig = Figure(figsize=(7.0 * len(tables), 1.6 + 0.45 * shown), layout="constrained")
    for ax, (player, df) in zip(fig.subplots(1, len(tables), squeeze=False)[0], tables.items()):
        plot_tornado(df.head(shown), ax=ax, title=f"payoff of {player}")
        ax.set_xlabel(f"{player}'s payoff (present value, mean over the equilibria)")
    plots.save_figure(fig, tmp / "figures" / f"{name}-tornado.png")
    still = sorted(set.intersection(*[set(df.loc[df["swing"] <= 1e-12, "param"]) for df in tables.values()]),
                   key=list(model.parameters).index)
    caption = (f"One parameter at a time at its low and at its high end, the others at {scenario or 'the defaults'}"
               f" ({form} form): each player's equilibrium payoff; the {shown} largest swings per player")
    if still:
        caption += "; no effect on any payoff: " + ", ".join(still)
    if left_out:
        caption += (f"; left out (more than {MAX_TORNADO_EQUILIBRIA} equilibria there, ties): " + ", ".join(left_out))
    doc.image(f"figures/{name}-tornado.png", caption + ".")
    pd.concat([df.assign(player=p) for p, df in tables.items()]).to_csv(tmp / "tables" / f"{name}-tornado.csv",
                                                                        index=False)
    # Sobol' indices of the outcome
    doc.paragraph(
        f"Outcomes over the whole parameter box ({', '.join(rob.parameters)} uniform on their ranges, the others "
        f"held; {rob.samples} seeded points, seed {rob.seed}): each outcome's share with its 95 % interval, and "
        "the parameters that decide it, by Sobol' indices of the outcome's indicator (S1: alone; ST: with its "
        f"interactions; a Saltelli design of base size {rob.sobol_n}, so rough: they can fall below 0 or above 1).")
    out_rows = []
    shown_outcomes = [o for k, o in enumerate(rob.outcomes) if k < MAX_OUTCOME_ROWS or o.outcome == rob.baseline]
    for o in shown_outcomes:
        drivers = [d for d in rob.drivers if d.outcome == o.outcome][:3]
        out_rows.append([o.outcome + (" (the baseline)" if o.outcome == rob.baseline else ""),
                         f"{o.share:.1%} ({o.ci_low:.1%} to {o.ci_high:.1%})",
                         "; ".join(f"{d.parameter} (S1 {d.S1:.2f}, ST {d.ST:.2f})" for d in drivers)
                         if o.share >= MIN_DRIVER_SHARE else "too rare in the sample for its indices"])
    rest = [o for o in rob.outcomes if o not in shown_outcomes]
    if rest:
        out_rows.append([f"{len(rest)} other outcomes", f"{sum(o.share for o in rest):.1%} together", ""])
    doc.table(["outcome", "share of the box", "decided most by"], out_rows)
    pd.DataFrame(rob.to_dict()["outcomes"]).to_csv(tmp / "tables" / f"{name}-outcomes.csv", index=False)
    pd.DataFrame(rob.to_dict()["drivers"]).to_csv(tmp / "tables" / f"{name}-sobol.csv", index=False)
    doc.paragraph(f"Every outcome's share: [tables/{name}-outcomes.csv](tables/{name}-outcomes.csv); every "
                  f"parameter's indices: [tables/{name}-sobol.csv](tables/{name}-sobol.csv); the tornado's "
                  f"numbers: [tables/{name}-tornado.csv](tables/{name}-tornado.csv). Indices are given only for "
                  f"outcomes with at least {MIN_DRIVER_SHARE:.0%} of the sample: for a rarer one they are noise.")
    # payoffs against the parameter that moves them most
    y = _plot_parameter(tables, skip=_SHARED)
    why = "the model's own parameter that moves them most in the tornado (the shared delta, rho, p, c_R and c_U " \
          "move every model's value of war)"
    if y is None:
        y = _plot_parameter(tables, skip={"delta", "rho"})
        why = "the parameter that moves them most in the tornado (leaving out delta, which rescales every present " \
              "value)"
    if y is None or y == "rho":
        return
    par = model.parameters[y]
    lo, hi = float(par.low), float(par.high)
    grid = lo + (np.arange(sweep_points) + 0.5) * (hi - lo) / sweep_points  # cell midpoints: no tie at an end
    df = sweep(model, {y: grid}, form=form, scenario=scenario, progress=False)
    write_table(df, tmp / "tables" / f"{name}-{y}-sweep.csv")
    fig = plots.payoffs_vs(df, y, title=f"{name}: equilibrium payoffs against {y}", labels=labels,
                           baseline=float(at[y]))
    plots.save_figure(fig, tmp / "figures" / f"{name}-payoffs-{y}.png")
    doc.image(f"figures/{name}-payoffs-{y}.png",
              f"Equilibrium payoffs of {name} ({form} form, {scenario or 'defaults'}) against {y}, {why}; the "
              "others at their values there; dotted: the baseline.")


# ------------------------------------------------------------------------------------------- the brief
#: The robustness run behind the brief: Monte Carlo points and the seed (the Sobol' design has the same base size).
BRIEF_SAMPLES = 256
BRIEF_SEED = 2025


def _main_form(model) -> tuple[str, str | None]:
    form = "sequential" if "sequential" in model.forms else next(iter(model.forms))
    return form, ("baseline-2025" if "baseline-2025" in model.scenarios else None)


def _outcome_words(eq) -> str:
    """The outcome of one equilibrium in words: its label, or a lottery's labels with their chances in per cent."""
    dist = sorted(eq.outcome_distribution.items(), key=lambda kv: (-float(kv[1]), kv[0]))
    if len(dist) == 1:
        return dist[0][0]
    return "; ".join(f"{label} ({float(p):.1%})" for label, p in dist)


def _brief_row(model, thr_results, rob) -> dict:
    """What the brief says about *model*: its question, the baseline's outcome, the relapse threshold nearest the
    baseline's rho, and how much of the parameter box shares the baseline's outcome (and what decides it)."""
    form, scenario = _main_form(model)
    res = model.solve(form, scenario)
    words = list(dict.fromkeys(_outcome_words(eq) for eq in res.equilibria))
    outcome = words[0] if len(words) == 1 else " / ".join(words)
    if len(res) > 1:
        outcome += f" ({len(res)} equilibria{', one outcome' if len(words) == 1 else ''})"
    rho = float(model.values(scenario)["rho"]) if "rho" in model.parameters else None
    scans = [r for r in thr_results if r.form == form and r.scenario == scenario]
    near = [t for r in scans for t in r.thresholds]
    if rho is None:
        threshold = "no relapse risk in this model"
    elif not scans:
        threshold = f"not scanned in the report (gtu thresholds {model.name} --param rho --on outcomes)"
    elif not near:
        lo, hi = scans[0].over
        threshold = f"none for rho in [{lo:g}, {hi:g}]"
    else:
        t = min(near, key=lambda t: abs(t.value - rho))
        threshold = f"rho* = {t.value:.4g} (the baseline's rho = {rho:g}; {t.method})"
        if t.direction:
            threshold += f": {t.direction}"
    share = next((o for o in rob.outcomes if o.outcome == rob.baseline), None)
    drivers = [d for d in rob.drivers if d.outcome == rob.baseline][:2]
    robust = ("0 %" if share is None else
              f"{share.share:.1%} (95 % interval {share.ci_low:.1%} to {share.ci_high:.1%})")
    if drivers:
        robust += "; decided most by " + " and ".join(f"{d.parameter} (Sobol' total index {d.ST:.2f})"
                                                      for d in drivers)
    return {"model": model.name, "title": model.title, "question": model.meta.get("question", ""),
            "outcome": outcome, "threshold": threshold, "robustness": robust, "share": share}


def _brief(rows: list[dict], tmp) -> Document:
    """The report's opening: one table of what every model concludes at the baseline, and a few plain sentences."""
    doc = Document("")
    doc.heading("The brief", 2)
    doc.paragraph(
        "What each model concludes at the baseline (the sequential form where the model has one, the "
        "baseline-2025 scenario): the outcome of its equilibria in the analysis's words, the relapse-risk "
        "threshold nearest the baseline, and the share of the whole parameter box (every parameter uniform on "
        f"its range; {BRIEF_SAMPLES} seeded points, seed {BRIEF_SEED}) where the outcome is the baseline's, with "
        "the parameters that decide it most (Sobol' total indices from a design of the same base size: rough, they "
        "can exceed 1; gtu robustness with more samples narrows them). The sections after it give each model's "
        "game, sources, equilibria, thresholds with their conditions, figures and findings.")
    headers = ["model", "question", "baseline outcome", "nearest relapse threshold", "how robust"]
    table = [[r["model"], r["question"], r["outcome"], r["threshold"], r["robustness"]] for r in rows]
    doc.table(headers, table)
    pd.DataFrame(table, columns=headers).to_csv(tmp / "tables" / "brief.csv", index=False)
    doc.paragraph("The table as CSV: [tables/brief.csv](tables/brief.csv).")
    robust = [r["model"] for r in rows if r["share"] is not None and r["share"].share >= 0.5]
    fragile = [r["model"] for r in rows if r["share"] is None or r["share"].share < 0.5]
    words = []
    if robust:
        words.append("The baseline's outcome holds over most of the parameter box for " + ", ".join(robust) + ".")
    if fragile:
        words.append("For " + ", ".join(fragile) + " it holds over less than half of the box: what the model "
                     "concludes there depends on numbers the analysis does not give, and the drivers named in the "
                     "table are the ones to argue about.")
    doc.paragraph(" ".join(words))
    return doc


def _tactical_section(doc, model, tmp) -> None:
    """Tactical against strategic value at the baseline (``tactical:`` models): the table and the verdict."""
    scenario = "baseline-2025" if "baseline-2025" in model.scenarios else None
    res = tactical_strategic(model, scenario=scenario)
    doc.heading("Tactical against strategic value", 3)
    cols = ["player", "terms", "tactical", "total", "strategic_share", "value", "reference", "above_reference"]
    doc.table(cols, [[r[c] if not isinstance(r[c], float) else f"{r[c]:.4g}" for c in cols]
                     for r in res.table.to_dict(orient="records")])
    res.table.to_csv(tmp / "tables" / f"{model.name}-tactical.csv", index=False)
    winners = sorted(set(res.table.loc[res.table["above_reference"], "player"]))
    doc.paragraph("tactical: the derivative of the player's equilibrium value in its own terms with every response "
                  "fixed and its strategic payoff left out; total: the change at equilibrium (re-solved), strategic "
                  "payoff in; reference: its pre-war value. \"Strategically, there can be no winners\" "
                  + ("holds here: every player ends below its pre-war value." if res.holds else
                     "fails here: " + ", ".join(winners) + " ends above its pre-war value."))


def _outcomes_at(model, form, scenario) -> list[str]:
    return sorted({eq.outcome for eq in model.solve(form, scenario)})
