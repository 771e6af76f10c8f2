"""Game trees drawn with matplotlib, no LaTeX needed.

:func:`draw_tree` lays a :class:`~gametheory_ukraine.games.tree.GameTree` out top-down, one row per depth,
the terminal nodes evenly spaced left to right in tree order and every other node centred over its
children. It shows

- decision nodes as discs in the mover's colour, labelled with the mover's name; chance nodes as white
  diamonds labelled "Chance";
- the action labels beside their edges, chance edges with their probabilities;
- the payoff vector under each terminal node (in the player order given in the header), with the outcome
  in the analysis's words below it. Symbolic payoffs are too long to stand under a node: they are
  numbered ``[1]``, ``[2]``... and written out in a key under the tree;
- information sets with several nodes as dashed links between their nodes;
- given an equilibrium, the path of play as thick vermillion edges and the equilibrium's choices off
  the path as black edges (probabilities of mixed choices beside the action, as ``σ=1/2``).

The spacing is computed from the measured size of every label, so labels never overlap: the figure
grows with the number of terminal nodes and the length of the labels. Figures are plain
:class:`matplotlib.figure.Figure` objects, made without pyplot (no global state, nothing to close) and
rendered by Agg; :func:`save_tree` writes PNG or SVG atomically.

Artists carry ids (``gid``) that say what they show, also in SVG output: edges ``edge:NODE:K`` (K is the
action index), ``edge-chosen:NODE:K`` and ``edge-path:NODE:K`` when an equilibrium is drawn; texts
``player:NODE``, ``action:NODE:K``, ``payoff:TERMINAL``, ``outcome:TERMINAL``, ``key:TERMINAL``,
``title``, ``payoff-order``; information-set links ``infoset:LABEL``.

Examples
--------
>>> import gametheory_ukraine as gtu
>>> tree = gtu.load_model("chain-store").game("sequential")
>>> fig = draw_tree(tree, equilibrium=gtu.solve(tree)[0])
>>> sorted(t.get_text() for t in fig.axes[0].texts if t.get_gid().startswith("payoff:"))
['(0, 0)', '(1, 5)', '(2, 2)']
>>> sorted(line.get_gid() for line in fig.axes[0].lines if line.get_gid().startswith("edge-path"))
['edge-path:entry:1', 'edge-path:response:1']
"""

from __future__ import annotations

import os
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import sympy

from ..analysis.designs import check_count
from ..core.errors import ParameterError
from ..core.files import check_output_path
from ..core.numbers import to_exact
from ..games.tree import Chance, Decision, GameTree, Terminal
from ..solvers.results import Equilibrium, EquilibriumSet
from .figures import save_figure

if TYPE_CHECKING:  # matplotlib is imported only when a tree is drawn
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["draw_tree", "save_tree", "check_picture_size", "tree_layout", "equilibrium_behaviour", "edge_kinds",
           "MAX_PICTURE_NODES", "PATH_COLOUR", "PLAYER_COLOURS"]

#: Colour of the equilibrium path (Okabe-Ito vermillion); it is also drawn thicker, for black and white.
PATH_COLOUR = "#D55E00"
#: Movers' colours (Okabe-Ito, without the path's vermillion), by player index.
PLAYER_COLOURS = ("#0072B2", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")

_FONT = {"player": 9.0, "action": 8.0, "payoff": 8.0, "outcome": 7.5, "key": 7.5, "title": 11.0, "info": 8.0}
_WRAP_ACTION = 18      # characters per line of an action label
_WRAP_OUTCOME = 18     # characters per line of an outcome label
_LONG_PAYOFF = 30      # payoff vectors longer than this go into a key under the tree
_GAP = 0.25            # inches between neighbouring labels
_PT = 1 / 72           # one point in inches
_HALO = {"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none", "alpha": 0.85}
_MAX_PIXELS = 30000    # largest side of a saved PNG (Agg's hard limit is 2**16)
#: Default budget of nodes in a tree picture (``gtu export --max-nodes``, ``max_nodes=``): measured, a
#: 1,023-node tree takes about 15 s and 0.5 GB to draw and save, a 2,047-node one 45 s and 0.8 GB.
MAX_PICTURE_NODES = 1_000


def check_picture_size(tree, max_nodes: int | None = None) -> int:
    """Refuse to draw a tree of more than *max_nodes* nodes (default :data:`MAX_PICTURE_NODES`) before any
    figure is made; return the number of nodes.

    Raises
    ------
    ParameterError
        With the count, the budget, the option that raises it and the Gambit format as the alternative.

    Examples
    --------
    >>> import gametheory_ukraine as gtu
    >>> check_picture_size(gtu.load_model("chain-store").symbolic("sequential"))
    5
    """
    cap = MAX_PICTURE_NODES if max_nodes is None else check_count(max_nodes, "max_nodes", option="--max-nodes")
    nodes = 0
    for _ in tree.nodes():
        nodes += 1
        if nodes > cap:
            total = sum(1 for _ in tree.nodes())
            raise ParameterError(f"a picture of a tree of {total:,} nodes is more than the budget of {cap:,} "
                                 "nodes", where="--max-nodes",
                                 fix=f"export it with --to efg (any size), or raise the budget with --max-nodes "
                                     f"{total} (max_nodes=)")
    return nodes


# ------------------------------------------------------------------------------------------ numbers
def _number(value: Any) -> str:
    """A payoff or probability in few characters: ``5/2``, ``≈1.823`` for long fractions, sympy's text."""
    if getattr(value, "free_symbols", None):
        return sympy.sstr(value)
    if isinstance(value, (float, np.floating)):
        text = f"{float(value):.4g}"
        return "0" if text == "-0" else text
    try:
        exact = to_exact(value)
    except ValueError:
        return str(value)
    if exact.denominator == 1:
        return str(exact.numerator)
    text = f"{exact.numerator}/{exact.denominator}"
    return text if len(text) <= 7 else f"≈{float(exact):.4g}"


def _positive(value: Any) -> bool:
    """True unless *value* is numerically zero (symbolic probabilities count as positive)."""
    if getattr(value, "free_symbols", None):
        return True
    return float(value) > 1e-12


def _plain(text: str) -> str:
    """Text that matplotlib shows as written (no mathtext from ``$``)."""
    return str(text).replace("$", r"\$")


# ------------------------------------------------------------------------------------------ measure
class _Measure:
    """Text sizes in inches, measured with an Agg renderer (the fonts of the final figure)."""

    def __init__(self) -> None:
        from matplotlib.backends.backend_agg import RendererAgg
        from matplotlib.font_manager import FontProperties

        self._renderer = RendererAgg(10, 10, 72)
        self._props = FontProperties
        self._cache: dict[tuple[str, float, str], tuple[float, float]] = {}

    def size(self, text: str, fontsize: float, weight: str = "normal") -> tuple[float, float]:
        """(width, height) of *text* (possibly several lines) in inches."""
        key = (text, fontsize, weight)
        if key not in self._cache:
            props = self._props(size=fontsize, weight=weight)
            lines = text.split("\n")
            width = max(self._renderer.get_text_width_height_descent(_plain(line) or " ", props, ismath=False)[0]
                        for line in lines)
            # matplotlib's line spacing is 1.2 font sizes
            self._cache[key] = (width * _PT, (len(lines) * 1.2 * fontsize + 2) * _PT)
        return self._cache[key]


# ------------------------------------------------------------------------------------------- layout
@dataclass
class _Label:
    """A text to place: its anchor moves with the leaf spacing L (x = a*L + dx); y is fixed in inches."""

    gid: str
    text: str
    a: float           # anchor, in leaf units
    dx: float          # offset of the anchor, inches
    y: float           # anchor height, inches (0 = root, negative downwards)
    ha: str
    va: str
    fontsize: float
    width: float
    height: float
    style: dict

    def box(self) -> tuple[float, float, float, float]:
        """(x0, x1, y0, y1) relative to the anchor position a*L."""
        x0 = {"left": self.dx, "right": self.dx - self.width, "center": self.dx - self.width / 2}[self.ha]
        y0 = {"bottom": self.y, "top": self.y - self.height, "center": self.y - self.height / 2}[self.va]
        return x0, x0 + self.width, y0, y0 + self.height


def tree_layout(tree) -> tuple[dict[int, float], dict[int, int], list]:
    """Horizontal position (leaf units) and depth of every node; terminals in tree order.

    Returns
    -------
    xs : dict of id(node) -> float
        The terminal nodes at 0, 1, 2... in tree order, every other node centred over its first and last child.
    depth : dict of id(node) -> int
        0 at the root.
    leaves : list of Terminal
        In tree order (left to right).
    """
    xs: dict[int, float] = {}
    depth: dict[int, int] = {}
    leaves: list = []

    def visit(node, d: int) -> float:
        depth[id(node)] = d
        if isinstance(node, Terminal):
            xs[id(node)] = float(len(leaves))
            leaves.append(node)
        else:
            kids = [visit(child, d + 1) for child in node.children]
            xs[id(node)] = (kids[0] + kids[-1]) / 2
        return xs[id(node)]

    visit(tree.root, 0)
    return xs, depth, leaves


def _edge_points(tree, xs, depth, level: float) -> list[tuple[frozenset, float, float, float]]:
    """Points along every edge as obstacles for labels: (labels allowed to touch it, anchor, y, half size).

    An edge may touch its own action label and the mover labels at its two ends (drawn on a white halo).
    """
    points = []
    for node in tree.nodes():
        if isinstance(node, Terminal):
            continue
        pu, py = xs[id(node)], -depth[id(node)] * level
        for k, child in enumerate(node.children):
            cu, cy = xs[id(child)], py - level
            owners = frozenset({f"action:{node.name}:{k}", f"player:{node.name}", f"player:{child.name}"})
            n = 11 + int(8 * abs(cu - pu))
            for t in np.linspace(0.0, 1.0, n):
                half = 0.07 if t in (0.0, 1.0) else 0.03      # node markers are larger than lines
                points.append((owners, pu + (cu - pu) * t, py + (cy - py) * t, half))
    return points


def _min_spacing(labels: list[_Label], points: list[tuple[frozenset, float, float, float]]) -> float:
    """The smallest leaf spacing (inches) at which no two labels overlap and no label covers another edge."""
    if not labels:
        return 0.0
    a = np.array([lab.a for lab in labels])
    x0, x1, y0, y1 = np.array([lab.box() for lab in labels]).T
    # labels against labels
    overlap_y = (y0[:, None] < y1[None, :] + _GAP / 2) & (y0[None, :] < y1[:, None] + _GAP / 2)
    da = a[None, :] - a[:, None]                   # > 0 where label j is anchored right of label i
    with np.errstate(divide="ignore", invalid="ignore"):
        need = np.where(overlap_y & (da > 1e-9), (x1[:, None] - x0[None, :] + _GAP) / da, 0.0)
    best = float(need.max())
    if not points:
        return best
    # labels against edges, a block of points at a time (bounded memory for big trees)
    gids = [lab.gid for lab in labels]
    pad = 0.04
    for start in range(0, len(points), 2000):
        block = points[start:start + 2000]
        pa = np.array([p[1] for p in block])
        py = np.array([p[2] for p in block])
        half = np.array([p[3] for p in block])
        own = np.array([[gid in p[0] for p in block] for gid in gids], dtype=bool)
        hit_y = (y0[:, None] < py[None, :] + half[None, :]) & (py[None, :] - half[None, :] < y1[:, None])
        hit_y &= ~own
        d = pa[None, :] - a[:, None]
        with np.errstate(divide="ignore", invalid="ignore"):
            right = (x1[:, None] + half[None, :] + pad) / d       # point right of the label: d > 0
            left = (half[None, :] + pad - x0[:, None]) / -d       # point left of the label: d < 0
        need = np.where(hit_y & (d > 1e-9), right, 0.0)
        need = np.maximum(need, np.where(hit_y & (d < -1e-9), left, 0.0))
        best = max(best, float(need.max()))
    return best


# ---------------------------------------------------------------------------------------- equilibrium
def equilibrium_behaviour(tree, equilibrium) -> dict[str, tuple]:
    """Information-set label -> probabilities over its actions, checked against *tree*.

    Raises
    ------
    TypeError, ValueError
        *equilibrium* is not one equilibrium of this tree (from ``solve(tree)``).
    """
    if isinstance(equilibrium, EquilibriumSet):
        raise TypeError("draw_tree needs one equilibrium, not an EquilibriumSet: pass e.g. result[0]")
    if not isinstance(equilibrium, Equilibrium):
        raise TypeError(f"equilibrium must be an Equilibrium from solve(tree), not {type(equilibrium).__name__}")
    if len(equilibrium.strategies) != tree.n_players:
        raise ValueError(f"the equilibrium has strategies for {len(equilibrium.strategies)} players; "
                         f"the tree has {tree.n_players}")
    out: dict[str, tuple] = {}
    for label, info in tree.infosets().items():
        strategy = equilibrium.strategies[info.player]
        if not hasattr(strategy, "get") or label not in strategy:
            raise ValueError(f"the equilibrium gives no choice at information set {label!r}: "
                             "is it an equilibrium of this tree (from solve(tree))?")
        probs = tuple(strategy[label])
        if len(probs) != len(info.actions):
            raise ValueError(f"information set {label!r} has {len(info.actions)} actions; the equilibrium gives "
                             f"{len(probs)} probabilities")
        out[label] = probs
    return out


def edge_kinds(tree, behaviour: dict[str, tuple] | None) -> dict[tuple[int, int], str]:
    """(id(node), action index) -> "edge", "edge-chosen" (equilibrium choice off the path) or "edge-path".

    *behaviour* is :func:`equilibrium_behaviour`'s, or None (every edge is ``"edge"``). An edge is on the path
    when every move to it and the move itself have positive probability (chance moves included).
    """
    kinds: dict[tuple[int, int], str] = {}

    def visit(node, reached: bool) -> None:
        if isinstance(node, Terminal):
            return
        for k, child in enumerate(node.children):
            if isinstance(node, Decision):
                chosen = behaviour is not None and _positive(behaviour[node.infoset][k])
            else:
                chosen = behaviour is not None and _positive(node.probabilities[k])
            on_path = reached and chosen
            if on_path:
                kinds[(id(node), k)] = "edge-path"
            elif chosen and isinstance(node, Decision):
                kinds[(id(node), k)] = "edge-chosen"
            else:
                kinds[(id(node), k)] = "edge"
            visit(child, on_path)

    visit(tree.root, behaviour is not None)
    return kinds


# -------------------------------------------------------------------------------------------- labels
def _labels(tree, xs, depth, leaves, behaviour, level: float, measure: _Measure, key_mode: bool) -> list[_Label]:
    labels: list[_Label] = []

    def add(gid, text, a, dx, y, ha, va, kind, **style):
        weight = style.get("fontweight", "normal")
        w, h = measure.size(text, _FONT[kind], weight)
        labels.append(_Label(gid, text, a, dx, y, ha, va, _FONT[kind], w, h, style))

    terminal_index = {id(t): k for k, t in enumerate(leaves)}
    parent_x = {id(child): xs[id(node)] for node in tree.nodes() if not isinstance(node, Terminal)
                for child in node.children}
    for node in tree.nodes():
        x, y = xs[id(node)], -depth[id(node)] * level
        if isinstance(node, Terminal):
            pays = (f"[{terminal_index[id(node)] + 1}]" if key_mode
                    else "(" + ", ".join(_number(v) for v in node.payoffs) + ")")
            add(f"payoff:{node.name}", pays, x, 0.0, y - 7 * _PT, "center", "top", "payoff")
            if node.outcome:
                below = measure.size(pays, _FONT["payoff"])[1]
                add(f"outcome:{node.name}", textwrap.fill(node.outcome, _WRAP_OUTCOME), x, 0.0,
                    y - 7 * _PT - below, "center", "top", "outcome", fontstyle="italic", color="0.3")
            continue
        # the mover's name above the node, on the side away from the edge coming in
        side = parent_x.get(id(node), x)
        place = ((-5 * _PT, "right", "bottom", y + 5 * _PT) if side > x + 1e-9 else
                 (5 * _PT, "left", "bottom", y + 5 * _PT) if side < x - 1e-9 or id(node) in parent_x else
                 (0.0, "center", "bottom", y + 7 * _PT))
        if isinstance(node, Decision):
            add(f"player:{node.name}", tree.players[node.player], x, place[0], place[3], place[1], place[2], "player",
                fontweight="bold", color=PLAYER_COLOURS[node.player % len(PLAYER_COLOURS)], bbox=_HALO)
        else:
            add(f"player:{node.name}", "Chance", x, place[0], place[3], place[1], place[2], "player",
                fontstyle="italic", color="0.25", bbox=_HALO)
        for k, (action, child) in enumerate(zip(node.actions, node.children)):
            lines = textwrap.wrap(action, _WRAP_ACTION) or [""]
            if isinstance(node, Chance):
                lines.append(f"({_number(node.probabilities[k])})")
            elif behaviour is not None:
                p = behaviour[node.infoset][k]
                if _positive(p) and _positive(1 - p):
                    lines.append(f"σ={_number(p)}")
            mid = (x + xs[id(child)]) / 2
            gid, text = f"action:{node.name}:{k}", "\n".join(lines)
            if 0 < k < len(node.children) - 1:     # a middle edge: the label sits on it, on a white halo
                add(gid, text, mid, 0.0, y - level / 2, "center", "center", "action", color="0.1", bbox=_HALO)
            elif k == 0 and len(node.children) > 1:
                add(gid, text, mid, -4 * _PT, y - level / 2 + 2 * _PT, "right", "bottom", "action", color="0.1")
            else:
                add(gid, text, mid, 4 * _PT, y - level / 2 + 2 * _PT, "left", "bottom", "action", color="0.1")
    return labels


def _key_texts(tree, leaves, width_in: float, measure: _Measure) -> list[tuple[str, str]]:
    """(gid, text) of the key of symbolic payoffs, wrapped to *width_in* inches."""
    char = measure.size("abcdefghijklmnopqrstuvwxyz0123456789 +-*/()", _FONT["key"])[0] / 43
    chars = max(40, int(width_in / char))
    out = []
    for k, leaf in enumerate(leaves):
        head = f"[{k + 1}] {leaf.name}" + (f" ({leaf.outcome})" if leaf.outcome else "")
        lines = textwrap.wrap(head, chars) or [head]
        for player, value in zip(tree.players, leaf.payoffs):
            text = sympy.sstr(value) if getattr(value, "free_symbols", None) else _number(value)
            lines += textwrap.wrap(f"{player}: {text}", chars, initial_indent="    ", subsequent_indent="        ")
        out.append((f"key:{leaf.name}", "\n".join(lines)))
    return out


# ------------------------------------------------------------------------------------------------ draw
#: Most terminal nodes drawn: past it the labels no longer fit at a readable size (settlement has 288).
MAX_DRAWN_LEAVES = 120


def draw_tree(tree: GameTree, *, equilibrium: Equilibrium | None = None, ax: Axes | None = None,
              title: str | None = None) -> Figure:
    """Draw *tree* top-down with matplotlib; return the figure.

    Parameters
    ----------
    tree : GameTree
        Numeric or symbolic (symbolic payoffs are listed in a key under the tree).
    equilibrium : Equilibrium, optional
        One equilibrium of *tree* (e.g. ``solve(tree)[0]``): its path of play is drawn thick in
        :data:`PATH_COLOUR`, its choices off the path in black.
    ax : matplotlib Axes, optional
        Draw into these axes (their figure is returned, not resized). By default a new figure sized to
        the tree, with no overlapping labels.
    title : str, optional
        Title over the tree; default the tree's own title, ``""`` for none.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    TypeError, ValueError
        *equilibrium* is not one equilibrium of this tree.
    ParameterError
        The tree has more than :data:`MAX_DRAWN_LEAVES` terminal nodes.

    Examples
    --------
    >>> import gametheory_ukraine as gtu
    >>> tree = gtu.load_model("territory").game("sequential")
    >>> fig = draw_tree(tree, title="territory")
    >>> sum(1 for t in fig.axes[0].texts if t.get_gid().startswith("payoff:"))   # one per terminal node
    12
    """
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D


    n_leaves = sum(1 for node in tree.nodes() if isinstance(node, Terminal))
    if n_leaves > MAX_DRAWN_LEAVES:
        raise ParameterError(f"the tree has {n_leaves} terminal nodes; a drawing stays legible up to "
                             f"{MAX_DRAWN_LEAVES}", where="--to",
                             fix="export the game to Gambit instead (--to efg) and draw it there, or draw a model "
                                 "with a smaller tree")
    behaviour = equilibrium_behaviour(tree, equilibrium) if equilibrium is not None else None
    measure = _Measure()
    xs, depth, leaves = tree_layout(tree)
    key_mode = any(len("(" + ", ".join(_number(v) for v in leaf.payoffs) + ")") > _LONG_PAYOFF for leaf in leaves)

    # vertical spacing: an edge label sits in the upper half of its edge, clear of both nodes' labels
    probe = _labels(tree, xs, depth, leaves, behaviour, 1.0, measure, key_mode)
    tallest = max((lab.height for lab in probe if lab.gid.startswith(("action:", "player:"))), default=0.2)
    level = max(1.0, 2 * tallest + 0.3)
    labels = _labels(tree, xs, depth, leaves, behaviour, level, measure, key_mode)
    spacing = max(0.6, _min_spacing(labels, _edge_points(tree, xs, depth, level)))

    # extent of the tree with its labels (inches, root at y = 0)
    boxes = np.array([lab.box() for lab in labels]) + np.array([[lab.a * spacing] * 2 + [0, 0] for lab in labels])
    node_x = np.array(list(xs.values())) * spacing
    left = min(boxes[:, 0].min(), node_x.min()) - 0.25
    right = max(boxes[:, 1].max(), node_x.max()) + 0.25
    top, bottom = boxes[:, 3].max() + 0.15, boxes[:, 2].min() - 0.2
    width = max(right - left, 4.0)
    shift = left - (width - (right - left)) / 2          # centre a narrow tree in the minimum width

    # header: title, payoff order, legend
    title = tree.title if title is None else title
    sample = "Exchange of territory: a settlement that may relapse"
    chars = max(30, int((width - 0.4) * len(sample) / measure.size(sample, _FONT["title"], "bold")[0]))
    title_text = "\n".join(textwrap.fill(line, chars) for line in title.splitlines()) if title else ""
    title_h = measure.size(title_text, _FONT["title"], "bold")[1] if title_text else 0.0
    info_text = ("payoffs: (" + ", ".join(tree.players) + ")" + ("; symbolic payoffs in the key below" if key_mode
                                                                 else ""))
    info_h = measure.size(info_text, _FONT["info"])[1]
    kinds = edge_kinds(tree, behaviour)
    legend: list = []
    if behaviour is not None:
        legend.append(Line2D([], [], color=PATH_COLOUR, lw=3.2, label="equilibrium path"))
        if "edge-chosen" in kinds.values():
            legend.append(Line2D([], [], color="black", lw=1.6, label="equilibrium choice off the path"))
    multi = [info for info in tree.infosets().values() if len(info.nodes) > 1]
    if multi:
        legend.append(Line2D([], [], color="0.35", lw=1.0, ls=(0, (4, 3)), label="information set"))
    if any(isinstance(node, Chance) for node in tree.nodes()):
        legend.append(Line2D([], [], ls="", marker="D", ms=6, mfc="white", mec="black", label="chance move"))
    legend_h = 0.25 if legend else 0.0
    header = 0.15 + title_h + info_h + legend_h

    keys = _key_texts(tree, leaves, width - 0.5, measure) if key_mode else []
    key_sizes = [measure.size(text, _FONT["key"]) for _, text in keys]
    key_h = sum(h for _, h in key_sizes) + (0.2 if keys else 0.0)
    if keys:
        width = max(width, max(w for w, _ in key_sizes) + 0.5)
    height = header + (top - bottom) + key_h

    if ax is None:
        fig = Figure(figsize=(width, height))
        FigureCanvasAgg(fig)
        ax = fig.add_axes((0, 0, 1, 1))
    else:
        fig = ax.figure
    ax.set_axis_off()
    ax.set_xlim(0, width)
    ax.set_ylim(0, height)

    y0 = height - header - top                            # the root's height in the figure

    def pos(node) -> tuple[float, float]:
        return xs[id(node)] * spacing - shift, y0 - depth[id(node)] * level

    with matplotlib.rc_context({"text.usetex": False}):
        # edges
        styles = {"edge": {"color": "0.55", "lw": 1.0, "zorder": 1},
                  "edge-chosen": {"color": "black", "lw": 1.6, "zorder": 2},
                  "edge-path": {"color": PATH_COLOUR, "lw": 3.2, "zorder": 3, "solid_capstyle": "round"}}
        for node in tree.nodes():
            if isinstance(node, Terminal):
                continue
            (px, py) = pos(node)
            for k, child in enumerate(node.children):
                cx, cy = pos(child)
                kind = kinds[(id(node), k)]
                ax.add_line(Line2D([px, cx], [py, cy], gid=f"{kind}:{node.name}:{k}", **styles[kind]))
        # information sets with several nodes
        for info in multi:
            pts = sorted((pos(n) for n in info.nodes), key=lambda p: p[0])
            ax.add_line(Line2D([p[0] for p in pts], [p[1] for p in pts], color="0.35", lw=1.0, ls=(0, (4, 3)),
                               zorder=0, gid=f"infoset:{info.name}"))
        # nodes
        for node in tree.nodes():
            x, y = pos(node)
            if isinstance(node, Decision):
                colour = PLAYER_COLOURS[node.player % len(PLAYER_COLOURS)]
                ax.add_line(Line2D([x], [y], ls="", marker="o", ms=9, mfc=colour, mec="white", mew=1.0, zorder=5,
                                   gid=f"node:{node.name}"))
            elif isinstance(node, Chance):
                ax.add_line(Line2D([x], [y], ls="", marker="D", ms=8, mfc="white", mec="black", mew=1.2, zorder=5,
                                   gid=f"node:{node.name}"))
            else:
                ax.add_line(Line2D([x], [y], ls="", marker="s", ms=4, mfc="black", mec="black", zorder=5,
                                   gid=f"node:{node.name}"))
        # labels
        for lab in labels:
            ax.text(lab.a * spacing + lab.dx - shift, y0 + lab.y, _plain(lab.text), ha=lab.ha, va=lab.va,
                    fontsize=lab.fontsize, gid=lab.gid, linespacing=1.2, zorder=6, **lab.style)
        # header
        y = height - 0.15
        if title_text:
            ax.text(width / 2, y, _plain(title_text), ha="center", va="top", fontsize=_FONT["title"],
                    fontweight="bold", gid="title")
            y -= title_h
        ax.text(width / 2, y, _plain(info_text), ha="center", va="top", fontsize=_FONT["info"], color="0.25",
                gid="payoff-order")
        y -= info_h
        if legend:
            ax.legend(handles=legend, loc="upper center", bbox_to_anchor=(width / 2, y), bbox_transform=ax.transData,
                      ncol=len(legend), frameon=False, fontsize=_FONT["info"], handlelength=2.5,
                      borderaxespad=0, borderpad=0.1)
        # key of symbolic payoffs
        y = key_h - 0.1
        for (gid, text), (_, h) in zip(keys, key_sizes):
            ax.text(0.25, y, _plain(text), ha="left", va="top", fontsize=_FONT["key"], gid=gid, linespacing=1.2)
            y -= h
    return fig


def save_tree(tree, path: str | os.PathLike, *, equilibrium=None, title: str | None = None,
              max_nodes: int | None = None) -> Path:
    """Draw *tree* (see :func:`draw_tree`) and write it to *path* as PNG or SVG, by suffix, atomically.

    The path is checked before drawing; the file appears under its final name only when complete.

    *max_nodes* (default :data:`MAX_PICTURE_NODES`) bounds the tree's size (:func:`check_picture_size`).

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    OutputError
        A suffix other than ``.png``/``.svg``, a missing or unwritable folder.
    ParameterError
        A tree of more than *max_nodes* nodes.

    Examples
    --------
    >>> import tempfile, pathlib, gametheory_ukraine as gtu
    >>> tree = gtu.load_model("chain-store").game("sequential")
    >>> p = save_tree(tree, pathlib.Path(tempfile.mkdtemp()) / "chain.svg", equilibrium=gtu.solve(tree)[0])
    >>> p.read_text().count('id="payoff:')
    3
    """
    p = check_output_path(path, suffixes=(".png", ".svg"))
    check_picture_size(tree, max_nodes)
    fig = draw_tree(tree, equilibrium=equilibrium, title=title)
    width, height = fig.get_size_inches()
    dpi = min(150.0, _MAX_PIXELS / max(width, height))
    return save_figure(fig, p, dpi=dpi)
