"""Writing output files safely: checked paths, atomic replacement, no half-written files.

Temporary files and folders are named ``.NAME.PID.XXXXXXXX.part`` beside their final name ``NAME``: the writing
process's id is part of the name, so a later run can tell a temporary left by a killed run (its process is gone)
from one being written now, and delete only the former (:func:`remove_stale_parts`).

A disk that fails while a file is written (full, over quota, read-only, an I/O error) ends in one
:class:`~gametheory_ukraine.core.errors.OutputError` naming the file and the fix (:func:`disk_error`); the temporary
is deleted and nothing appears under the final name.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from .errors import OutputError

__all__ = ["check_output_path", "check_parent", "atomic_path", "write_text_atomic", "write_bytes_atomic",
           "write_with", "disk_error", "part_prefix", "remove_stale_parts", "pid_alive", "DISK_ERRNOS"]

#: errno values that mean "the disk cannot take this file", not "the program is wrong"
DISK_ERRNOS = {errno.ENOSPC: "free some space on that disk, or choose a folder on another disk",
               errno.EDQUOT: "free some of your disk quota, or choose a folder on another disk",
               errno.EFBIG: "choose a folder on a disk that takes bigger files",
               errno.EROFS: "choose a folder on a writable disk",
               errno.EIO: "check the disk, or choose a folder on another disk"}
_PART = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)\.[a-z0-9_]+\.part$")


def disk_error(exc: BaseException, path: str | os.PathLike) -> OutputError | None:
    """The :class:`OutputError` to raise for *exc* met while writing *path*, if it is a fault of the disk
    (full, over quota, file too big, read-only, I/O error: :data:`DISK_ERRNOS`); else None.

    Examples
    --------
    >>> import errno
    >>> print(disk_error(OSError(errno.EROFS, "Read-only file system"), "out.csv"))
    out.csv: cannot write the file: Read-only file system (fix: choose a folder on a writable disk)
    >>> disk_error(ValueError("bad"), "out.csv") is None
    True
    """
    if not isinstance(exc, OSError):
        return None
    code = exc.errno
    if code not in DISK_ERRNOS:  # pyarrow puts the errno in the text of its OSErrors
        text = str(exc)
        code = next((c for c in DISK_ERRNOS if f"[errno {c}]" in text.lower() or os.strerror(c) in text), None)
        if code is None:
            return None
    return OutputError(f"cannot write the file: {os.strerror(code)}", path=str(path), fix=DISK_ERRNOS[code])


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


def part_prefix(final: str | os.PathLike) -> str:
    """The name prefix of this process's temporaries of *final*: ``.NAME.PID.``.

    >>> import os
    >>> part_prefix("out/table.csv") == f".table.csv.{os.getpid()}."
    True
    """
    return f".{Path(final).name}.{os.getpid()}."


def pid_alive(pid: int) -> bool:
    """Whether a process with id *pid* exists (on this machine); True when it cannot be told."""
    if pid <= 0:
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # e.g. EPERM: it exists, owned by someone else
        return True
    return True


def remove_stale_parts(final: str | os.PathLike) -> list[Path]:
    """Delete the temporaries of *final* (``.NAME.PID.XXXXXXXX.part`` files or folders beside it) whose writing
    process is gone -- left by a run that was killed (SIGKILL, a crash) while writing *final*; return them.

    Only names of exactly that pattern, for that *final* name, are touched, and only when the process id in the
    name is not running: a temporary being written now by another run stays.
    """
    final = Path(final)
    folder = final.parent if str(final.parent) else Path(".")
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        m = _PART.match(entry.name)
        if not m or m.group("name") != final.name or pid_alive(int(m.group("pid"))):
            continue
        path = Path(entry.path)
        with contextlib.suppress(OSError):
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(path)
            else:
                path.unlink()
            removed.append(path)
    return removed


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike, *, folder: bool = False, sweep: bool = True) -> Iterator[Path]:
    """Yield a temporary path beside *path*; on success rename it to *path*, on error delete it.

    Readers never see a half-written file under the final name. The temporary is named
    ``.NAME.PID.XXXXXXXX.part`` (see :func:`remove_stale_parts`); stale temporaries of *path* left by killed
    runs are deleted first. A fault of the disk while writing (full, read-only, ...) becomes one
    :class:`OutputError` naming *path* (:func:`disk_error`).

    Parameters
    ----------
    path : str or path-like
        The final name.
    folder : bool
        Yield an empty temporary folder instead of a file; it is renamed to *path* only if *path* does not
        exist; the caller moves it into place (and decides whether an existing *path* may be replaced).
    sweep : bool
        Delete stale temporaries of *path* first (:func:`remove_stale_parts`); callers writing many files into
        one folder clean it once themselves and pass False.

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
    parent = final.parent if str(final.parent) else Path(".")
    if sweep:
        remove_stale_parts(final)
    try:
        if folder:
            tmp = Path(tempfile.mkdtemp(prefix=part_prefix(final), suffix=".part", dir=parent))
        else:
            fd, tmp_name = tempfile.mkstemp(prefix=part_prefix(final), suffix=".part", dir=parent)
            os.close(fd)
            tmp = Path(tmp_name)
    except OSError as exc:
        err = disk_error(exc, final)
        if err is not None:
            raise err from None
        raise
    try:
        yield tmp
        # mkstemp makes the file private (0600); give it the permissions a plain open() would have
        if tmp.is_file():
            os.chmod(tmp, 0o666 & ~_umask())
        if not folder:
            os.replace(tmp, final)
        elif tmp.exists() and not final.exists():
            os.replace(tmp, final)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            if tmp.is_dir() and not tmp.is_symlink():
                shutil.rmtree(tmp)
            else:
                tmp.unlink()
        err = disk_error(exc, final)
        if err is not None:
            raise err from None
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
