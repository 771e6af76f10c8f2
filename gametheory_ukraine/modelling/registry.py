"""Finding models: bundled ones by name, user ones by path or ``GTU_MODEL_PATH``."""

from __future__ import annotations

import os
import stat
from functools import lru_cache
from importlib import resources
from pathlib import Path

from ..core.errors import ModelFileError
from .model import Model

__all__ = ["list_models", "load_model", "bundled_models_dir", "model_paths", "read_model_bytes",
           "check_regular_file"]

_SUFFIXES = (".yaml", ".yml")
#: Gambit games (strategic form, extensive form), read by :mod:`gametheory_ukraine.io.gambit`
_GAMBIT_SUFFIXES = (".nfg", ".efg")


def bundled_models_dir():
    """The folder of the models shipped with the package (a Traversable)."""
    return resources.files("gametheory_ukraine.models")


def model_paths() -> dict[str, object]:
    """Model name -> file, for every model on the search path.

    The search path is the folders in the ``GTU_MODEL_PATH`` environment variable
    (``os.pathsep``-separated), then the bundled models. The first file named
    ``NAME.yaml`` wins.
    """
    found: dict[str, object] = {}
    extra = [Path(p) for p in os.environ.get("GTU_MODEL_PATH", "").split(os.pathsep) if p]
    for folder in [*extra, bundled_models_dir()]:
        try:
            entries = sorted(folder.iterdir(), key=lambda e: e.name)
        except (OSError, FileNotFoundError):
            continue
        for entry in entries:
            if entry.name.endswith(_SUFFIXES) and entry.is_file():
                found.setdefault(entry.name.rsplit(".", 1)[0], entry)
    return found


def list_models() -> list[str]:
    """Names of the available models, sorted."""
    return sorted(model_paths())


@lru_cache(maxsize=64)
def _load_cached(path: str, mtime_ns: int, size: int, max_entries: int | None = None) -> Model:
    if path.lower().endswith(_GAMBIT_SUFFIXES):
        from ..io.gambit import MAX_ENTRIES, load_gambit_model

        return load_gambit_model(path, max_entries=MAX_ENTRIES if max_entries is None else max_entries)
    from .model_file import load_model_file

    return load_model_file(path)


def load_model(name_or_path: str | os.PathLike, *, max_entries: int | None = None) -> Model:
    """Load a model by name (``"chain-store"``) or from a file path.

    Parameters
    ----------
    name_or_path : str or path-like
        A bundled model's name, a name found on ``GTU_MODEL_PATH``, a path to
        a ``.yaml`` model file, or a path to a Gambit game (``.nfg`` strategic
        form, ``.efg`` extensive form; see
        :func:`~gametheory_ukraine.io.gambit.load_gambit_model`: no parameters,
        one form named ``normal`` or ``sequential``).
    max_entries : int, optional
        Budget of payoff entries of a Gambit game, checked before anything of that size is built (default
        :data:`~gametheory_ukraine.io.gambit.MAX_ENTRIES`; ``gtu --max-size``). Model files are bounded by
        their own limits instead.

    Returns
    -------
    Model

    Raises
    ------
    ModelFileError
        Unknown name (the message lists the known ones), a file whose suffix is
        none of the above, a path that is not a regular file (a device, a pipe, a
        folder: refused before it is opened), or an invalid file.

    Examples
    --------
    >>> import gametheory_ukraine as gtu
    >>> gtu.load_model("chain-store").players
    ('Entrant', 'Incumbent')
    """
    text = os.fspath(name_or_path)
    path = Path(text)
    known = _SUFFIXES + _GAMBIT_SUFFIXES
    looks_like_path = text.lower().endswith(known) or os.sep in text or bool(os.altsep and os.altsep in text)
    if not looks_like_path:
        paths = model_paths()
        if text in paths:
            entry = paths[text]
            with resources.as_file(entry) as real:
                st = Path(real).stat()
                return _load_cached(str(real), st.st_mtime_ns, st.st_size, max_entries)
        if path.suffix and path.is_file():
            _unknown_suffix(text, path)
        raise ModelFileError(f"no model named {text!r}", where="model name",
                             fix="use one of " + ", ".join(sorted(paths))
                                 + ", or give a path to a .yaml model file or a Gambit .nfg/.efg game")
    st = check_regular_file(text)
    if path.suffix and not text.lower().endswith(known):
        _unknown_suffix(text, path)
    return _load_cached(str(path.resolve()), st.st_mtime_ns, st.st_size, max_entries)


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


def _unknown_suffix(text: str, path: Path) -> None:
    raise ModelFileError(f"cannot tell the file type from the suffix {path.suffix!r}", path=text,
                         fix="model files end in .yaml or .yml, Gambit games in .nfg (strategic form) "
                             "or .efg (extensive form)")
