"""Writing matplotlib figures to files: PNG or SVG, atomically, with the same bytes for the same figure.

:mod:`~gametheory_ukraine.output.plots` and :mod:`~gametheory_ukraine.output.tree_drawing` save their figures
through :func:`save_figure`. This module imports nothing of matplotlib until a figure is saved, so modules that
only lay out or check a figure stay light to import.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.files import check_output_path, write_with

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["save_figure", "SUFFIXES"]

#: The file types a figure is saved as
SUFFIXES = (".png", ".svg")


def save_figure(fig: Figure, path: str | os.PathLike, *, dpi: float = 150) -> Path:
    """Write *fig* to *path* as PNG or SVG (by suffix), atomically, and close it; return the path.

    The path is checked before rendering (:func:`~gametheory_ukraine.core.files.check_output_path`) and
    the file is written under a temporary name and renamed, so no half-written figure is ever left under
    the final name. Output is deterministic: PNG has no timestamp, SVG gets no date and fixed element ids.
    A PNG is ``round(width * dpi) x round(height * dpi)`` pixels.

    Raises
    ------
    OutputError
        A suffix other than .png / .svg, a missing or unwritable folder.
    ValueError
        *dpi* not positive.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from gametheory_ukraine.output.plots import survival_curves
    >>> p = save_figure(survival_curves([0.1], years=5), pathlib.Path(tempfile.mkdtemp()) / "s.png", dpi=50)
    >>> p.read_bytes()[:8] == b"\\x89PNG\\r\\n\\x1a\\n"
    True
    """
    import matplotlib  # already loaded: *fig* is a matplotlib figure

    if not dpi or dpi <= 0:
        raise ValueError(f"dpi must be positive, got {dpi!r}")
    p = check_output_path(path, suffixes=SUFFIXES)
    fmt = p.suffix.lower()[1:]
    metadata: dict[str, Any] = {"Date": None} if fmt == "svg" else {}

    def writer(tmp: Path) -> None:
        with matplotlib.rc_context({"svg.hashsalt": "gametheory_ukraine", "text.usetex": False}):
            fig.savefig(tmp, format=fmt, dpi=dpi, metadata=metadata)

    try:
        write_with(p, writer)
    finally:
        pyplot = sys.modules.get("matplotlib.pyplot")
        if pyplot is not None:  # a pyplot-managed figure is released; our own figures need nothing
            pyplot.close(fig)
    return p
