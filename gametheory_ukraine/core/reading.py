"""Reading input files safely: regular files only, never more than a size limit.

Model files (:mod:`gametheory_ukraine.modelling.model_file`) and Gambit games (:mod:`gametheory_ukraine.io.gambit`)
are read through :func:`read_model_bytes`: a device, a pipe, a socket or a folder is refused before it is opened,
and a file past the limit is refused without reading more than one byte beyond it.
"""

from __future__ import annotations

import os
import stat

from .errors import ModelFileError

__all__ = ["check_regular_file", "read_model_bytes"]


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a file"


def check_regular_file(path: str | os.PathLike) -> os.stat_result:
    """``os.stat`` of *path* (following symlinks); refuse anything but a regular file.

    A device (``/dev/zero``, ``/dev/urandom``), a named pipe, a socket or a folder -- or a symlink
    to one -- is refused before it is opened, so reading a model can neither block nor run forever.

    Raises
    ------
    ModelFileError
        For a missing path or one that is not a regular file.
    """
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise ModelFileError("no such file", path=str(path), fix="check the path") from None
    except OSError as exc:
        raise ModelFileError(f"cannot read the file ({exc.strerror})", path=str(path),
                             fix="check the path and its permissions") from None
    if not stat.S_ISREG(st.st_mode):
        raise ModelFileError(f"not a regular file: {_kind(st.st_mode)}", path=str(path),
                             fix="give the path of a model file (.yaml) or a Gambit game (.nfg, .efg)")
    return st


def read_model_bytes(path: str | os.PathLike, limit: int) -> bytes:
    """The bytes of the regular file *path*, refused past *limit* bytes without reading more.

    The file is opened non-blocking and checked with ``fstat`` after opening too (it may have been
    replaced since :func:`check_regular_file`); at most ``limit + 1`` bytes are ever read.

    Parameters
    ----------
    path : str or path-like
        The file.
    limit : int
        The largest size accepted, in bytes.

    Returns
    -------
    bytes

    Raises
    ------
    ModelFileError
        For a file that is missing, unreadable, not a regular file or larger than *limit*.
    """
    check_regular_file(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
                     | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise ModelFileError(f"cannot read the file ({exc.strerror})", path=str(path),
                             fix="check the path and its permissions") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise ModelFileError(f"not a regular file: {_kind(st.st_mode)}", path=str(path),
                                 fix="give the path of a model file (.yaml) or a Gambit game (.nfg, .efg)")
        chunks, total = [], 0
        while total <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    except OSError as exc:
        raise ModelFileError(f"cannot read the file ({exc.strerror})", path=str(path),
                             fix="check the path and its permissions") from None
    finally:
        os.close(fd)
    if total > limit:
        raise ModelFileError(f"file is larger than {limit} bytes", path=str(path),
                             fix="model files are small text files: check that this is the right file")
    return b"".join(chunks)
