"""Writing output files safely: checked paths, atomic replacement, no half-written files."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from ..errors import OutputError

__all__ = ["check_output_path", "check_parent", "atomic_path", "write_text_atomic", "write_bytes_atomic"]


def check_output_path(path: str | os.PathLike, *, suffixes: tuple[str, ...] | None = None) -> Path:
    """Check that *path* can be written before any work is done.

    The parent folder must exist and be writable, *path* must not be a folder, and
    its suffix must be one of *suffixes* (if given).

    Raises
    ------
    OutputError
        Naming the path and the fix.
    """
    p = Path(path)
    if suffixes is not None and p.suffix.lower() not in suffixes:
        raise OutputError(f"cannot tell the format from the suffix {p.suffix or '(none)'!r}", path=str(p),
                          fix="use a file name ending in " + " or ".join(suffixes))
    if p.is_dir():
        raise OutputError("is a folder, not a file", path=str(p), fix="give a file name inside it")
    check_parent(p)
    if p.exists() and not os.access(p, os.W_OK):
        raise OutputError("the file exists and is not writable", path=str(p), fix="choose another name")
    return p


def check_parent(path: Path) -> None:
    """Raise :class:`OutputError` unless the folder that would hold *path* exists and is writable."""
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise OutputError(f"folder {str(parent)!r} does not exist", path=str(path), fix="create it first")
    if not os.access(parent, os.W_OK):
        raise OutputError(f"folder {str(parent)!r} is not writable", path=str(path),
                          fix="choose a folder you can write to")


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside *path*; on success rename it to *path*, on error delete it.

    Readers never see a half-written file under the final name.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> with atomic_path(d / "out.txt") as tmp:
    ...     _ = tmp.write_text("done")
    >>> (d / "out.txt").read_text()
    'done'
    """
    final = Path(path)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{final.name}.", suffix=".part", dir=final.parent or ".")
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        # mkstemp makes the file private (0600); give it the permissions a plain open() would have
        if tmp.is_file():
            os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, final)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_text_atomic(path: str | os.PathLike, text: str) -> Path:
    """Write *text* (UTF-8) to *path* atomically; return the path."""
    p = check_output_path(path)
    with atomic_path(p) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return p


def write_bytes_atomic(path: str | os.PathLike, data: bytes) -> Path:
    """Write *data* to *path* atomically; return the path."""
    p = check_output_path(path)
    with atomic_path(p) as tmp:
        tmp.write_bytes(data)
    return p


def write_with(path: str | os.PathLike, writer: Callable[[Path], None]) -> Path:
    """Call ``writer(tmp_path)`` and move the result to *path* atomically."""
    p = check_output_path(path)
    with atomic_path(p) as tmp:
        writer(tmp)
    return p
