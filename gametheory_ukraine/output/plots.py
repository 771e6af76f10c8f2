"""Figures: outcome-region maps, equilibrium payoffs and probabilities against a parameter, survival curves.

Every function here renders DATA: a tidy sweep table (one row per (point, equilibrium), the schema of
:func:`gametheory_ukraine.analysis.sweep.sweep`), threshold values, or relapse risks. The only function
that solves games is :func:`outcome_map_data`, which builds such a table over a two-parameter grid by
solving point by point (a batched engine can replace it without touching the rendering).

Sweep table schema (columns)
----------------------------
``point_id`` (int), one column per varied parameter (float), ``equilibrium`` (index within the point),
``n_equilibria``, ``outcome`` (label), ``payoff:<player>``, ``prob:<player>:<action>`` (normal form) or
``prob:<player>:<infoset>:<action>`` (sequential form), ``complete`` (bool).

Readability: every figure reads in black and white and in colour
----------------------------------------------------------------
- Regions get a colour from Paul Tol's colour-blind-safe "light" palette (Tol 2021, *Colour Schemes*,
  SRON/EPS/TN/09-002) AND a distinct hatch pattern, and region boundaries are drawn as thin black lines.
- Lines get a colour from the Okabe-Ito palette (Okabe & Ito 2008, *Color Universal Design*) AND a
  distinct line style and marker.
- Legends sit outside the plotting area, so they never cover data.

Figures are built as :class:`matplotlib.figure.Figure` objects directly, without pyplot: no display, no
backend switch, no global state. They render with Agg (PNG) or the SVG backend; no LaTeX is needed
(symbols use matplotlib's built-in mathtext). Output is deterministic: the same data give the same bytes.

Examples
--------
>>> import numpy as np
>>> fig = survival_curves([0.05, 0.129], years=20)
>>> [round(float(v), 4) for v in fig.axes[0].lines[0].get_ydata()[:3]]   # (1 - 0.05)**n, n = 0, 1, 2
[1.0, 0.95, 0.9025]
"""

from __future__ import annotations

import itertools
import math
import textwrap
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import PathPatch
from matplotlib.path import Path as MplPath

from ..analysis.relapse import expected_duration, survival
from ..core.errors import ParameterError
from ..core.numbers import to_exact
from ..solvers.signature import outcome_key
from .figures import save_figure

__all__ = ["outcome_map", "outcome_map_data", "outcome_labels", "payoffs_vs", "probabilities_vs",
           "survival_curves", "save_figure", "axis_labels", "mathtext_ok", "region_styles", "OUTCOME_ORDER",
           "REGION_COLOURS", "HATCHES", "LINE_COLOURS", "LINE_STYLES", "MARKERS", "CURVE_DASHES"]

#: Paul Tol's "light" qualitative palette: colour-blind safe, light enough for hatching and text on top.
REGION_COLOURS = ("#77AADD", "#EE8866", "#EEDD88", "#FFAABB", "#99DDFF", "#44BB99", "#BBCC33", "#AAAA00",
                  "#DDDDDD")
#: Hatch patterns, one per region (doubled for the next round when there are more regions than patterns).
HATCHES = ("//", "..", "\\\\", "xx", "oo", "++", "--", "||", "**", "OO")
#: Okabe-Ito palette (without yellow, too pale for thin lines on white).
LINE_COLOURS = ("#000000", "#E69F00", "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#56B4E9")
LINE_STYLES = ("-", "--", ":", "-.", (0, (5, 1, 1, 1, 1, 1)), (0, (8, 2)))
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*", "<", ">")
#: Dash patterns of threshold curves overlaid on maps (all drawn in black, thicker than region edges).
CURVE_DASHES = ((0, (6, 2)), (0, (1, 1.5)), (0, (7, 2, 1.5, 2)), (0, (3, 3)), (0, (10, 2, 1.5, 2, 1.5, 2)))

#: Outcome labels of the bundled models in style order: each keeps its colour and hatch on every map.
OUTCOME_ORDER = ("war continues", "settlement on Russian terms", "compromise settlement", "managed freeze",
                 "settlement, then relapse", "settlement holds", "re-attack answered", "re-attack unanswered")

_RESERVED = {"point_id", "equilibrium", "n_equilibria", "outcome", "outcome_key", "complete"}
_NO_EQ = "no equilibrium found"
_DEFAULT_SIZE = (7.0, 5.0)
# hatch lines in dark grey; matplotlib < 3.10 takes the hatch colour from the (zero-width) edge
_HATCH_INK = ({"hatchcolor": "0.2", "edgecolor": "none"} if hasattr(PathPatch, "set_hatchcolor")
              else {"edgecolor": "0.2"})


# ----------------------------------------------------------------------------------------- helpers
def _new_axes(ax, figsize):
    """Return (figure, axes): the given axes' figure, or a new constrained-layout figure without pyplot."""
    if ax is not None:
        return ax.figure, ax
    with matplotlib.rc_context({"text.usetex": False}):
        fig = Figure(figsize=figsize or _DEFAULT_SIZE, layout="constrained")
        return fig, fig.add_subplot()


def _check_columns(df: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(f"{what}: the table has no column(s) {missing}; it has {list(df.columns)}")


def _parameter_columns(df: pd.DataFrame) -> list[str]:
    return [c for c in df.columns if c not in _RESERVED and not c.startswith(("payoff:", "prob:"))]


def _label(name: str, labels: Mapping[str, str] | None) -> str:
    return (labels or {}).get(name, name)


def mathtext_ok(text: str) -> bool:
    """Whether matplotlib's mathtext can typeset *text* (``$...$``)."""
    from matplotlib.mathtext import MathTextParser

    try:
        MathTextParser("path").parse(text)
    except ValueError:
        return False
    return True


def axis_labels(model) -> dict[str, str]:
    """Axis labels ``"name (symbol), unit"`` for every parameter of *model*, the symbol in mathtext (no LaTeX).

    A symbol that mathtext cannot parse is left out, and so is a unit the file does not give.

    Examples
    --------
    >>> import gametheory_ukraine as gtu
    >>> axis_labels(gtu.load_model("territory"))["dp_belt"]
    'dp_belt ($\\\\Delta p_B$), share of the stake'
    """
    out = {}
    for name, par in model.parameters.items():
        sym = (getattr(par, "symbol", "") or "").strip()
        text = f"${sym}$" if sym else ""
        label = f"{name} ({text})" if text and text != f"${name}$" and mathtext_ok(text) else name
        unit = (getattr(par, "unit", "") or "").strip()
        out[name] = f"{label}, {unit}" if unit else label
    return out


def _one_point_per(df: pd.DataFrame, param: str) -> None:
    """Raise if the table varies parameters other than *param* (several points share a value of it)."""
    if "point_id" not in df.columns:
        return
    per_value = df.groupby(param, sort=False)["point_id"].nunique()
    if (per_value > 1).any():
        others = [c for c in _parameter_columns(df) if c != param and df[c].nunique() > 1]
        raise ValueError(f"several points share a value of {param!r} (the table also varies {others or '?'}); "
                         f"select one value of the other parameters first, e.g. df[df[{(others or ['x'])[0]!r}] "
                         "== v]")


def _threshold_items(thresholds) -> list[tuple[str, float]]:
    """Normalise thresholds (numbers, (label, value) pairs or objects with ``.value``) to (label, float)."""
    items = []
    for t in thresholds or ():
        if isinstance(t, tuple) and len(t) == 2 and isinstance(t[0], str):
            label, value = t[0], float(t[1])
        else:
            value = float(getattr(t, "value", t))
            label = f"{value:.3g}"
        items.append((label, value))
    return items


def _draw_thresholds(ax, thresholds) -> list:
    """Vertical dashed grey lines at the thresholds, labelled on a secondary x axis at the top."""
    items = _threshold_items(thresholds)
    if not items:
        return []
    handles = [ax.axvline(v, color="0.35", linestyle=(0, (4, 3)), linewidth=1.1, zorder=1.5,
                          label="threshold" if k == 0 else "_nolegend_", gid="threshold")
               for k, (_, v) in enumerate(items)]
    sec = ax.secondary_xaxis("top")
    sec.set_xticks([v for _, v in items])
    sec.set_xticklabels([lab for lab, _ in items], fontsize="small")
    sec.tick_params(direction="in", length=4)
    return handles[:1]


#: Longest line of a legend label, in characters (longer labels are wrapped).
LEGEND_WIDTH = 70


def _is_math(label: str) -> bool:
    return label.startswith("$") and label.endswith("$") and len(label) > 2


def _legend_below(ax, handles=None) -> None:
    """Legend under the axes (outside the data area), in as many columns as the label lengths allow."""
    handles = handles if handles is not None else ax.get_legend_handles_labels()[0]
    n = len(handles)
    if n == 0:
        return
    # A label wider than the figure (a long closed form) would squeeze the axes to nothing: wrap it.
    # (a formula in mathtext is typeset as one line, shorter than its source: it is neither wrapped nor counted)
    labels = [h.get_label() if _is_math(h.get_label()) else
              textwrap.fill(h.get_label(), LEGEND_WIDTH, break_long_words=False) for h in handles]
    longest = max(len(line) for lab in labels if not _is_math(lab) for line in lab.splitlines()) \
        if any(not _is_math(lab) for lab in labels) else 40
    if any(_is_math(lab) for lab in labels):
        longest = max(longest, 46)   # one column: a typeset formula is wide
    ncols = 1 if longest > 45 else 2 if longest > 28 else 3
    # more columns for many entries, but never more than the figure's width holds (about 110 characters)
    ncols = min(max(ncols, math.ceil(n / 8)), n, max(1, 110 // (longest + 8)))
    ax.legend(handles=handles, labels=labels, loc="upper center", bbox_to_anchor=(0.5, -0.13), ncols=ncols,
              fontsize="small", frameon=False, handlelength=3.0, handleheight=1.4)


def _factor_legend(ax, series: Sequence[tuple[str, int]], eqs: Sequence[int], extra: Sequence) -> None:
    """Legend with one entry per series (colour, line style, marker if one equilibrium) and, when there are
    several equilibria, one entry per equilibrium index (its marker): n + m entries instead of n * m."""
    many = len(eqs) > 1
    handles = [Line2D([], [], color=LINE_COLOURS[i % len(LINE_COLOURS)], linestyle=LINE_STYLES[i % len(LINE_STYLES)],
                      linewidth=1.6, marker=None if many else MARKERS[i % len(MARKERS)], markersize=5, label=lab)
               for lab, i in series]
    if many:
        handles += [Line2D([], [], color="0.25", linestyle="none", marker=MARKERS[k % len(MARKERS)], markersize=5,
                           markerfacecolor="white" if k % 2 else "0.25", label=f"equilibrium {k}") for k in eqs]
    _legend_below(ax, handles + list(extra))


# ---------------------------------------------------------------------------------- outcome regions
def outcome_labels(df: pd.DataFrame, x: str, y: str) -> pd.DataFrame:
    """The equilibrium outcome set at each point of a sweep table, as one label per (x, y).

    Parameters
    ----------
    df : pandas.DataFrame
        Sweep table (module docstring), one row per (point, equilibrium).
    x, y : str
        The two parameter columns.

    Returns
    -------
    pandas.DataFrame
        Columns ``x``, ``y``, ``label``; one row per distinct (x, y), sorted by y then x. The label is the
        sorted distinct outcome labels joined by ``" | "`` (several equilibria with different outcomes,
        e.g. ``"settlement on Russian terms | war continues"`` at a tie), or ``"no equilibrium found"``.

    Raises
    ------
    ValueError
        Missing columns, or two points at the same (x, y) with different outcome sets (the table varies a
        third parameter: select one value of it first).

    Examples
    --------
    >>> df = pd.DataFrame({"point_id": [0, 0, 1], "a": [0.0, 0.0, 1.0], "b": [0.0, 0.0, 0.0],
    ...                    "equilibrium": [0, 1, 0], "outcome": ["war", "peace", "war"]})
    >>> outcome_labels(df, "a", "b")["label"].tolist()
    ['peace | war', 'war']
    """
    _check_columns(df, [x, y, "outcome"], "outcome map")
    if x == y:
        raise ValueError(f"x and y are the same column {x!r}")
    key = "point_id" if "point_id" in df.columns else None
    groups = df.groupby(key if key else [x, y], sort=False)
    rows = []
    for _, g in groups:
        col = g["outcome_key"] if "outcome_key" in g.columns else g["outcome"]
        outs = sorted({str(o) for o in col if not (o is None or (isinstance(o, float) and math.isnan(o)))})
        rows.append((float(g[x].iloc[0]), float(g[y].iloc[0]), " | ".join(outs) if outs else _NO_EQ))
    out = pd.DataFrame(rows, columns=["x", "y", "label"]).drop_duplicates()
    clash = out.groupby(["x", "y"])["label"].nunique()
    if (clash > 1).any():
        others = [c for c in _parameter_columns(df) if c not in (x, y) and df[c].nunique() > 1]
        raise ValueError(f"points with the same ({x}, {y}) have different outcome sets: the table also varies "
                         f"{others or 'another parameter'}; select one value of it first")
    return out.sort_values(["y", "x"], kind="mergesort").reset_index(drop=True)


def _style(k: int) -> tuple[str, str]:
    return REGION_COLOURS[k % len(REGION_COLOURS)], HATCHES[k % len(HATCHES)] * (1 + k // len(HATCHES))


def region_styles(labels: Sequence[str]) -> dict[str, tuple[str, str]]:
    """Colour and hatch for each region label, in the given order: ``{label: (colour, hatch)}``.

    Every label gets a distinct hatch (patterns repeat doubled, i.e. denser, after :data:`HATCHES` runs
    out) and a colour from :data:`REGION_COLOURS`.

    Examples
    --------
    >>> region_styles(["war continues", "compromise settlement"])
    {'war continues': ('#77AADD', '//'), 'compromise settlement': ('#EE8866', '..')}
    """
    return {lab: _style(k) for k, lab in enumerate(labels)}


def _default_order(labels) -> list[str]:
    """Single outcomes first, then combined ones, then 'no equilibrium'; alphabetical within each."""
    return sorted(set(labels), key=lambda s: (s == _NO_EQ, s.count(" | "), s))


def _style_slots(found: Sequence[str], order: Sequence[str]) -> dict[str, int]:
    """Style slot per label: a label listed in *order* keeps its position there (the same outcome looks the
    same on every map); the others, single outcomes first, then combined ones, alphabetically, take the
    lowest free slots (so the regions of one map always differ)."""
    found = set(found)
    slots = {lab: k for k, lab in enumerate(order) if lab in found}
    used = set(slots.values())
    free = (k for k in itertools.count() if k not in used)
    for lab in _default_order(found):
        if lab not in slots:
            slots[lab] = next(free)
    return dict(sorted(slots.items(), key=lambda item: item[1]))


def _edges(values: np.ndarray) -> np.ndarray:
    """Cell edges around sorted grid values: midpoints inside, half a spacing beyond the ends."""
    if len(values) == 1:
        half = 0.05 * abs(values[0]) or 0.5
        return np.array([values[0] - half, values[0] + half])
    mid = (values[:-1] + values[1:]) / 2
    return np.concatenate([[values[0] - (mid[0] - values[0])], mid, [values[-1] + (values[-1] - mid[-1])]])


def _rect_path(rects) -> MplPath:
    verts, codes = [], []
    for x0, x1, y0, y1 in rects:
        verts += [(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]
        codes += [MplPath.MOVETO, MplPath.LINETO, MplPath.LINETO, MplPath.LINETO, MplPath.CLOSEPOLY]
    return MplPath(np.array(verts, dtype=float), codes)


def outcome_map(df: pd.DataFrame, x: str, y: str, *, title: str | None = None,
                curves: Sequence[tuple[str, Any, Any]] | None = None, ax=None,
                labels: Mapping[str, str] | None = None, order: Sequence[str] | None = None,
                figsize: tuple[float, float] | None = None, baseline: tuple[float, float] | None = None) -> Figure:
    """Regions over two parameters, coloured AND hatched by the equilibrium outcome set at each point.

    On a full grid each point owns the cell around it (edges halfway to its neighbours), cells with the
    same label form one hatched region (one :class:`~matplotlib.patches.PathPatch` per label, so the
    region's hatching is continuous), and region boundaries are drawn as thin black lines. The map is
    exact about what was computed: a boundary lies somewhere inside the cells on either side of it; overlay
    the closed-form threshold as a curve to show where. Points that do not form a full grid (sampled
    designs) are drawn as markers, one marker shape and colour per label.

    Parameters
    ----------
    df : pandas.DataFrame
        Sweep table (module docstring), e.g. from :func:`outcome_map_data` or ``gtu.sweep(model, ...)``; only the
        columns *x*, *y*, ``outcome`` (and ``point_id`` if present) are used.
    x, y : str
        Parameters on the horizontal and vertical axes.
    title : str, optional
    curves : sequence of (label, xs, ys), optional
        Threshold curves overlaid in black with distinct dash styles. *ys* may be a callable, then
        ``ys = ys(xs)``; for a threshold in *x* as a function of *y* give *xs* as the callable's values,
        e.g. ``("rho*", rho_star(dps), dps)``. Curves are clipped to the map.
    ax : matplotlib Axes, optional
        Draw into these axes (the figure is then the axes' figure); default a new 7 x 5 inch figure.
    labels : mapping, optional
        Axis label per parameter name, e.g. from :func:`axis_labels` (``{"rho": "rho ($\\\\rho$)"}``).
    order : sequence of str, optional
        Style slots (:func:`region_styles`): a label at position k gets style k on every map; default
        :data:`OUTCOME_ORDER`, the outcome labels of the bundled models. Other labels (combined ones, e.g.
        ``"A | B"``) take the lowest slots free on this map, so the regions of one map always differ.
    figsize : (width, height) in inches, optional
    baseline : (x, y), optional
        The baseline point, marked with a white star (``gid="baseline"``) and named in the legend.

    Returns
    -------
    matplotlib.figure.Figure
        Region patches carry ``gid="region"`` and the label; boundary lines ``gid="boundary"``; curves
        ``gid="curve"``.

    Examples
    --------
    >>> df = pd.DataFrame({"point_id": range(4), "a": [0.0, 1.0, 0.0, 1.0], "b": [0.0, 0.0, 1.0, 1.0],
    ...                    "equilibrium": 0, "outcome": ["war", "peace", "war", "war"]})
    >>> fig = outcome_map(df, "a", "b")
    >>> sorted((p.get_label(), p.get_hatch()) for p in fig.axes[0].patches if p.get_gid() == "region")
    [('peace', '//'), ('war', '..')]
    """
    pts = outcome_labels(df, x, y)
    if pts.empty:
        raise ValueError("the table has no points to map")
    slots = _style_slots(pts["label"].unique(), OUTCOME_ORDER if order is None else order)
    style_order = list(slots)
    styles = {lab: _style(k) for lab, k in slots.items()}
    if figsize is None and len(style_order) > 6:  # a long legend below: a taller figure keeps the map readable
        figsize = (_DEFAULT_SIZE[0], _DEFAULT_SIZE[1] + 0.45 * (len(style_order) - 6))
    fig, ax = _new_axes(ax, figsize)

    xs, ys = np.unique(pts["x"].to_numpy()), np.unique(pts["y"].to_numpy())
    grid = pts.pivot(index="y", columns="x", values="label")
    full = grid.shape == (len(ys), len(xs)) and not grid.isna().to_numpy().any()
    handles = []
    if full:
        codes = np.vectorize(style_order.index)(grid.reindex(index=ys, columns=xs).to_numpy())
        ex, ey = _edges(xs), _edges(ys)
        for k, lab in enumerate(style_order):
            rects = []
            for j in range(len(ys)):  # runs of equal labels along each row make one rectangle each
                i = 0
                while i < len(xs):
                    if codes[j, i] != k:
                        i += 1
                        continue
                    start = i
                    while i < len(xs) and codes[j, i] == k:
                        i += 1
                    rects.append((ex[start], ex[i], ey[j], ey[j + 1]))
            colour, hatch = styles[lab]
            patch = PathPatch(_rect_path(rects), facecolor=colour, hatch=hatch, linewidth=0, label=lab,
                              gid="region", zorder=1, **_HATCH_INK)
            ax.add_patch(patch)
            handles.append(patch)
        segs = [((ex[i + 1], ey[j]), (ex[i + 1], ey[j + 1]))
                for j in range(len(ys)) for i in range(len(xs) - 1) if codes[j, i] != codes[j, i + 1]]
        segs += [((ex[i], ey[j + 1]), (ex[i + 1], ey[j + 1]))
                 for j in range(len(ys) - 1) for i in range(len(xs)) if codes[j, i] != codes[j + 1, i]]
        if segs:
            ax.add_collection(LineCollection(segs, colors="black", linewidths=0.8, zorder=2, gid="boundary"))
        ax.set_xlim(ex[0], ex[-1])
        ax.set_ylim(ey[0], ey[-1])
    else:
        for k, lab in enumerate(style_order):
            sub = pts[pts["label"] == lab]
            colour, _ = styles[lab]
            handles.append(ax.scatter(sub["x"], sub["y"], s=28, c=colour, marker=MARKERS[k % len(MARKERS)],
                                      edgecolors="black", linewidths=0.6, label=lab, gid="region", zorder=2))
        ax.margins(0.03)
    xlim, ylim = ax.get_xlim(), ax.get_ylim()
    for k, (lab, cx, cy) in enumerate(curves or ()):
        cx = np.asarray(cx, dtype=float)
        cy = np.asarray(cy(cx) if callable(cy) else cy, dtype=float)
        (line,) = ax.plot(cx, cy, color="black", linewidth=2.0, linestyle=CURVE_DASHES[k % len(CURVE_DASHES)],
                          label=lab, gid="curve", zorder=3)
        line.set_clip_on(True)
        handles.append(line)
    if baseline is not None:
        (star,) = ax.plot([float(baseline[0])], [float(baseline[1])], marker="*", markersize=16, color="white",
                          markeredgecolor="black", markeredgewidth=1.2, linestyle="none", label="baseline",
                          gid="baseline", zorder=4)
        handles.append(star)
    ax.set_xlim(xlim)
    ax.set_ylim(ylim)
    ax.set_xlabel(_label(x, labels))
    ax.set_ylabel(_label(y, labels))
    if title:
        ax.set_title(title)
    _legend_below(ax, handles)
    return fig


def _grid_values(model, name: str, rng, n: int, values: Mapping[str, Any] | None, exact: bool) -> list:
    if values and name in values:
        vals = list(values[name])
        if not vals:
            raise ParameterError(f"no values given for {name!r}", where=name, fix="give at least one value")
        return vals
    if name not in model.parameters:
        model.values(None, {name: 0})  # raises ParameterError naming the closest parameter
    par = model.parameters[name]
    lo, hi = (par.low, par.high) if rng is None else rng
    lo, hi = (to_exact(lo), to_exact(hi)) if exact else (float(lo), float(hi))
    if lo > hi:
        raise ParameterError(f"empty range {lo}..{hi} for {name!r}", where=name, fix="give lo <= hi")
    if not isinstance(n, int) or n < 1:
        raise ParameterError(f"number of grid values for {name!r} must be a positive integer, got {n!r}",
                             where=name, fix="e.g. nx=41")
    if n == 1:
        return [lo]
    if exact:
        return [lo + (hi - lo) * Fraction(i, n - 1) for i in range(n)]
    return list(np.linspace(lo, hi, n))


def outcome_map_data(model, x: str, y: str, *, form: str | None, scenario: str | None, nx: int = 41,
                     ny: int = 41, values: Mapping[str, Any] | None = None,
                     x_range: tuple | None = None, y_range: tuple | None = None,
                     fixed: Mapping[str, Any] | None = None, exact: bool = True) -> pd.DataFrame:
    """Solve *model* on an nx x ny grid over parameters *x* and *y*: a sweep table for :func:`outcome_map`.

    This is the one place that solves games (point by point with ``model.solve``, ~4 ms a point for a
    sequential form, 30-60 ms for a normal form); a batched sweep engine can replace it.

    Parameters
    ----------
    model : gametheory_ukraine Model
    x, y : str
        Parameter names on the two axes.
    form, scenario : str or None
        As in ``model.solve``.
    nx, ny : int
        Grid sizes; the grid is evenly spaced over *x_range* / *y_range*, by default the parameter's
        [low, high] from the model file.
    values : mapping, optional
        Explicit grid values for *x* and/or *y* (``{"rho": ["1/50", "1/27", "1/20"]}``), replacing nx/ny.
    x_range, y_range : (lo, hi), optional
        Grid bounds (numbers or strings such as ``"1/100"``).
    fixed : mapping, optional
        Values of other parameters, on top of the scenario's.
    exact : bool
        True (default): grid points are exact rationals ``lo + (hi - lo) i / (n - 1)`` and games are solved
        exactly, so a tie that lies on the grid shows up as both outcomes. False: float grid and games.

    Returns
    -------
    pandas.DataFrame
        Sweep schema (module docstring), rows ordered by point (x outer, y inner) then equilibrium; the
        parameter columns hold floats.

    Raises
    ------
    ParameterError
        Unknown parameter names, empty ranges, values outside a parameter's range.

    Examples
    --------
    >>> import gametheory_ukraine as gtu
    >>> m = gtu.load_model("territory")
    >>> df = outcome_map_data(m, "rho", "dp_belt", form="sequential", scenario="baseline-2025",
    ...                       values={"rho": ["1/50", "1/27", "1/20"], "dp_belt": ["1/10"]})
    >>> print(df[["rho", "equilibrium", "outcome"]].to_string(index=False))
         rho  equilibrium                     outcome
    0.020000            0 settlement on Russian terms
    0.037037            0 settlement on Russian terms
    0.037037            1               war continues
    0.050000            0               war continues
    """
    if x == y:
        raise ParameterError(f"x and y are the same parameter {x!r}", fix="choose two different parameters")
    xv = _grid_values(model, x, x_range, nx, values, exact)
    yv = _grid_values(model, y, y_range, ny, values, exact)
    fixed = dict(fixed or {})
    model.values(scenario, {**fixed, x: xv[0], y: yv[0]})  # fail fast on names, ranges, scenario
    rows: list[dict] = []
    for pid, (a, b) in enumerate(itertools.product(xv, yv)):
        result = model.solve(form, scenario, exact=None if exact else False, **{**fixed, x: a, y: b})
        rows.extend(_rows(result, pid, {x: float(to_exact(a)), y: float(to_exact(b))}))
    return pd.DataFrame(rows)


def _rows(result, point_id: int, point: Mapping[str, float]) -> list[dict]:
    """Sweep-table rows of one solved point."""
    out = []
    n = len(result.equilibria)
    for k, eq in enumerate(result.equilibria):
        row: dict[str, Any] = {"point_id": point_id, **point, "equilibrium": k, "n_equilibria": n,
                               "outcome": eq.outcome, "outcome_key": outcome_key(eq, result.exact)}
        for player, pay in zip(result.players, eq.payoffs):
            row[f"payoff:{player}"] = float(pay)
        for i, player in enumerate(result.players):
            if result.form == "normal":
                for action, prob in zip(result.actions[i], eq.strategies[i]):
                    row[f"prob:{player}:{action}"] = float(prob)
            else:
                for h, probs in eq.strategies[i].items():
                    for action, prob in zip(result.actions[i][h], probs):
                        row[f"prob:{player}:{h}:{action}"] = float(prob)
        row["complete"] = bool(result.complete)
        out.append(row)
    if not out:
        out.append({"point_id": point_id, **point, "equilibrium": -1, "n_equilibria": 0, "outcome": None,
                    "complete": bool(result.complete)})
    return out


# --------------------------------------------------------------------------------- lines against a parameter
def _series(df: pd.DataFrame, param: str, column: str, equilibria) -> tuple[np.ndarray, dict[int, np.ndarray]]:
    """x values (sorted distinct values of *param*) and, per equilibrium index, the column (NaN if absent)."""
    xs = np.sort(df[param].astype(float).unique())
    out = {}
    for k in equilibria:
        sub = df[df["equilibrium"] == k]
        s = pd.Series(sub[column].astype(float).to_numpy(), index=sub[param].astype(float).to_numpy())
        out[k] = s.reindex(xs).to_numpy(dtype=float)
    return xs, out


def _equilibrium_indices(df: pd.DataFrame, equilibria) -> list[int]:
    present = sorted(int(k) for k in df["equilibrium"].unique() if k >= 0)
    if equilibria is None:
        return present
    bad = [k for k in equilibria if k not in present]
    if bad:
        raise ValueError(f"no equilibrium index {bad} in the table (it has {present})")
    return list(equilibria)


def _markevery(n_points: int, k: int):
    step = max(1, n_points // 12)
    return (k % step, step)


def _plot_lines(ax, df: pd.DataFrame, param: str, columns: Sequence[tuple[str, str]], eqs) -> None:
    """One line per (column, equilibrium index): colour and line style by column, marker by equilibrium
    (hollow for odd indices) so that the lines stay apart in black and white. *columns* holds
    (column name, legend label) pairs; line gids are ``"<column>:<k>"``."""
    many = len(eqs) > 1
    for i, (col, text) in enumerate(columns):
        xs, series = _series(df, param, col, eqs)
        for k in eqs:
            ax.plot(xs, series[k], color=LINE_COLOURS[i % len(LINE_COLOURS)],
                    linestyle=LINE_STYLES[i % len(LINE_STYLES)], linewidth=1.6,
                    marker=MARKERS[(k if many else i) % len(MARKERS)], markersize=5,
                    markevery=_markevery(len(xs), k if many else i),
                    markerfacecolor="white" if many and k % 2 else None,
                    label=f"{text}, equilibrium {k}", gid=f"{col}:{k}")


def payoffs_vs(df: pd.DataFrame, param: str, *, players: Sequence[str] | None = None, title: str | None = None,
               ax=None, thresholds: Sequence[Any] | None = None, equilibria: Sequence[int] | None = None,
               labels: Mapping[str, str] | None = None, figsize: tuple[float, float] | None = None,
               baseline: float | None = None) -> Figure:
    """Equilibrium payoffs against one parameter: one line per (player, equilibrium index).

    Players differ by colour and line style, equilibrium indices by marker (markers on about a dozen
    points, staggered so equal lines stay distinguishable). A point where an equilibrium index does not
    exist leaves a gap. Note that index k at two points need not be "the same" equilibrium; the sweep
    table orders equilibria as the solver returns them.

    Parameters
    ----------
    df : pandas.DataFrame
        Sweep table over *param* alone (other parameters fixed).
    param : str
        The parameter on the horizontal axis.
    players : sequence of str, optional
        Default: every ``payoff:<player>`` column.
    title : str, optional
    ax : matplotlib Axes, optional
    thresholds : sequence, optional
        Numbers, ``(label, value)`` pairs or objects with a ``.value`` (e.g. ``Threshold``): vertical dashed
        lines, labelled on a secondary axis at the top.
    equilibria : sequence of int, optional
        Equilibrium indices to draw (default all).
    labels : mapping, optional
        Axis label per parameter name (:func:`axis_labels`).
    figsize : (width, height), optional
    baseline : number, optional
        The baseline value of *param*: a dotted vertical line named in the legend (``gid="baseline"``).

    Returns
    -------
    matplotlib.figure.Figure
        Lines have ``gid="payoff:<player>:<k>"``; x data are the sorted distinct values of *param*, y data
        the payoffs (NaN where the index is absent).

    Examples
    --------
    >>> df = pd.DataFrame({"point_id": [0, 1], "r": [0.1, 0.2], "equilibrium": [0, 0], "outcome": "war",
    ...                    "payoff:A": [1.0, 2.0], "payoff:B": [3.0, 4.0]})
    >>> fig = payoffs_vs(df, "r", thresholds=[0.15])
    >>> [(ln.get_gid(), ln.get_ydata().tolist()) for ln in fig.axes[0].lines if ln.get_gid() != "threshold"]
    [('payoff:A:0', [1.0, 2.0]), ('payoff:B:0', [3.0, 4.0])]
    """
    _check_columns(df, [param, "equilibrium"], "payoffs_vs")
    players = list(players) if players is not None else [c[len("payoff:"):] for c in df.columns
                                                          if c.startswith("payoff:")]
    _check_columns(df, [f"payoff:{p}" for p in players], "payoffs_vs")
    if not players:
        raise ValueError("the table has no payoff:<player> columns")
    _one_point_per(df, param)
    eqs = _equilibrium_indices(df, equilibria)
    fig, ax = _new_axes(ax, figsize)
    _plot_lines(ax, df, param, [(f"payoff:{player}", player) for player in players], eqs)
    extra = _draw_thresholds(ax, thresholds)
    if baseline is not None:
        extra = [*extra, ax.axvline(float(baseline), color="0.35", linestyle=":", linewidth=1.4, label="baseline",
                                    gid="baseline")]
    ax.set_xlabel(_label(param, labels))
    ax.set_ylabel("equilibrium payoff (present value, years of the stake)")
    ax.grid(True, color="0.9", linewidth=0.6)
    if title:
        ax.set_title(title)
    _factor_legend(ax, [(p, i) for i, p in enumerate(players)], eqs, extra)
    return fig


def _prob_label(column: str) -> str:
    return column[len("prob:"):].replace(":", ": ")


def probabilities_vs(df: pd.DataFrame, param: str, *, columns: Sequence[str] | None = None,
                     equilibria: Sequence[int] | None = None, title: str | None = None, ax=None,
                     thresholds: Sequence[Any] | None = None, labels: Mapping[str, str] | None = None,
                     figsize: tuple[float, float] | None = None, tol: float = 1e-9) -> Figure:
    """Equilibrium strategy probabilities against one parameter: one line per (column, equilibrium index).

    Parameters
    ----------
    df : pandas.DataFrame
        Sweep table over *param* alone.
    param : str
    columns : sequence of str, optional
        ``prob:...`` columns to draw. Default: the columns that change along *param* (by more than *tol*);
        if none changes, the columns that are somewhere positive.
    equilibria : sequence of int, optional
        Equilibrium indices (default all).
    title, ax, thresholds, labels, figsize
        As in :func:`payoffs_vs`.
    tol : float
        Changes at most *tol* count as none (for the default column choice).

    Returns
    -------
    matplotlib.figure.Figure
        Lines have ``gid="<column>:<k>"``.

    Examples
    --------
    >>> df = pd.DataFrame({"point_id": [0, 1], "r": [0.1, 0.2], "equilibrium": 0, "outcome": "x",
    ...                    "prob:A:yes": [1.0, 0.0], "prob:A:no": [0.0, 1.0], "prob:B:go": [1.0, 1.0]})
    >>> fig = probabilities_vs(df, "r")
    >>> [ln.get_gid() for ln in fig.axes[0].lines]
    ['prob:A:yes:0', 'prob:A:no:0']
    """
    _check_columns(df, [param, "equilibrium"], "probabilities_vs")
    all_cols = [c for c in df.columns if c.startswith("prob:")]
    if columns is None:
        vals = df[all_cols].astype(float)
        columns = [c for c in all_cols if vals[c].max() - vals[c].min() > tol]
        if not columns:
            columns = [c for c in all_cols if vals[c].max() > tol]
    columns = list(columns)
    _check_columns(df, columns, "probabilities_vs")
    if not columns:
        raise ValueError("no probability columns to draw")
    _one_point_per(df, param)
    eqs = _equilibrium_indices(df, equilibria)
    fig, ax = _new_axes(ax, figsize)
    _plot_lines(ax, df, param, [(col, _prob_label(col)) for col in columns], eqs)
    extra = _draw_thresholds(ax, thresholds)
    ax.set_ylim(-0.04, 1.04)
    ax.set_xlabel(_label(param, labels))
    ax.set_ylabel("probability in equilibrium")
    ax.grid(True, color="0.9", linewidth=0.6)
    if title:
        ax.set_title(title)
    _factor_legend(ax, [(_prob_label(c), i) for i, c in enumerate(columns)], eqs, extra)
    return fig


# ------------------------------------------------------------------------------------------ survival
def survival_curves(rhos: Sequence[Any], *, years: int = 30, ax=None, title: str | None = None,
                    figsize: tuple[float, float] | None = None) -> Figure:
    """Survival ``(1 - rho)**n`` of a settlement over *years* years, one curve per relapse risk *rho*.

    Each curve is drawn at n = 0, 1, ..., years (:func:`gametheory_ukraine.analysis.relapse.survival`) with its own
    colour, line style and marker; the expected duration ``1/rho`` (:func:`~gametheory_ukraine.analysis.relapse.
    expected_duration`; Fortna 2004) is marked by a white-filled dot on the curve with a dotted drop line,
    and given in the legend (also when it lies beyond the plotted years).

    Parameters
    ----------
    rhos : sequence of numbers (or strings such as ``"1/20"``)
        Per-year relapse probabilities, each in (0, 1].
    years : int
        Horizon in years (>= 1).
    ax, title, figsize
        As in :func:`payoffs_vs`.

    Returns
    -------
    matplotlib.figure.Figure
        Curves have ``gid="survival"`` (in the order of *rhos*), expected-duration marks
        ``gid="expected-duration"``.

    Raises
    ------
    ParameterError
        A rho outside (0, 1] or not a number, or *years* not a positive integer.

    Examples
    --------
    >>> fig = survival_curves([0.1], years=10)
    >>> line = [ln for ln in fig.axes[0].lines if ln.get_gid() == "survival"][0]
    >>> round(float(line.get_ydata()[10]), 6), line.get_label()
    (0.348678, '$\\\\rho$ = 0.1: expected duration 10 years')
    """
    if not isinstance(years, (int, np.integer)) or isinstance(years, bool) or years < 1:
        raise ParameterError(f"years must be a positive integer, got {years!r}", where="years", fix="e.g. 30")
    rs = []
    for r in rhos:
        try:
            v = float(to_exact(r))
        except (TypeError, ValueError):
            raise ParameterError(f"rho={r!r} is not a number", fix="give a number such as 0.05 or 1/20") from None
        if not 0 < v <= 1:
            raise ParameterError(f"rho={r!r} is not a yearly probability in (0, 1]", fix="give 0 < rho <= 1")
        rs.append(v)
    if not rs:
        raise ParameterError("no relapse risks given", fix="give at least one rho")
    fig, ax = _new_axes(ax, figsize)
    n = np.arange(years + 1)
    for k, r in enumerate(rs):
        colour = LINE_COLOURS[k % len(LINE_COLOURS)]
        mean = float(expected_duration(r))
        where = "" if mean <= years else ", beyond the plot"
        ax.plot(n, survival(r, n), color=colour, linestyle=LINE_STYLES[k % len(LINE_STYLES)], linewidth=1.6,
                marker=MARKERS[k % len(MARKERS)], markersize=4.5, markevery=_markevery(years + 1, k),
                label=f"$\\rho$ = {r:.3g}: expected duration {mean:.3g} years{where}", gid="survival")
        if mean <= years:
            s = float(survival(r, mean))
            ax.plot([mean, mean], [0, s], color=colour, linestyle=":", linewidth=1.0, gid="expected-duration-drop")
            ax.plot([mean], [s], linestyle="none", marker="o", markersize=7, markerfacecolor="white",
                    markeredgecolor=colour, markeredgewidth=1.6, gid="expected-duration", zorder=3)
    ax.plot([], [], linestyle="none", marker="o", markerfacecolor="white", markeredgecolor="black",
            label="expected duration 1/$\\rho$", gid="legend-key")
    ax.set_xlim(0, years)
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("years after signing")
    ax.set_ylabel("probability the settlement still holds")
    ax.grid(True, color="0.9", linewidth=0.6)
    if title:
        ax.set_title(title)
    _legend_below(ax)
    return fig


# ---------------------------------------------------------------------------------------------- saving
