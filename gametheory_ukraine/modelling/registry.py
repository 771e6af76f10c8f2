"""Finding models: bundled ones by name, user ones by path or ``GTU_MODEL_PATH``."""

from __future__ import annotations

import os
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

from ..core.errors import ModelFileError
from ..core.reading import check_regular_file, read_model_bytes
from ..io.gambit import MAX_ENTRIES, load_gambit_model
from .bundled import bundled_models_dir
from .model import Model
from .model_file import is_calibration_file, load_model_file

# check_regular_file and read_model_bytes live in core.reading (the file formats read through them too); they are
# re-exported here, where they were first defined
__all__ = ["list_models", "load_model", "bundled_models_dir", "model_paths", "read_model_bytes",
           "check_regular_file"]

_SUFFIXES = (".yaml", ".yml")
_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
#: Gambit games (strategic form, extensive form), read by :mod:`gametheory_ukraine.io.gambit`
_GAMBIT_SUFFIXES = (".nfg", ".efg")


def _search_path() -> list:
    extra = [Path(p) for p in os.environ.get("GTU_MODEL_PATH", "").split(os.pathsep) if p]
    return [*extra, bundled_models_dir()]


@lru_cache(maxsize=256)
def _is_calibration(path: str, mtime_ns: int, size: int) -> bool:
    return is_calibration_file(path)


def _calibration(entry) -> bool:
    """Whether the YAML file *entry* is a calibration file (included by models, not a model itself)."""
    with resources.as_file(entry) as real:
        try:
            st = Path(real).stat()
        except OSError:
            return False
        return _is_calibration(str(real), st.st_mtime_ns, st.st_size)


def model_paths() -> dict[str, object]:
    """Model name -> file, for every model on the search path.

    The search path is the folders in the ``GTU_MODEL_PATH`` environment variable
    (``os.pathsep``-separated), then the bundled models. The first file named
    ``NAME.yaml`` wins. Calibration files (top-level ``calibration:``, included by models) are not models and
    are left out.
    """
    found: dict[str, object] = {}
    for folder in _search_path():
        try:
            entries = sorted(folder.iterdir(), key=lambda e: e.name)
        except (OSError, FileNotFoundError):
            continue
        for entry in entries:
            name = entry.name.rsplit(".", 1)[0]
            if entry.name.endswith(_SUFFIXES) and name not in found and entry.is_file() and not _calibration(entry):
                found[name] = entry
    return found


def list_models() -> list[str]:
    """Names of the available models, sorted."""
    return sorted(model_paths())


@lru_cache(maxsize=64)
def _load_cached(path: str, mtime_ns: int, size: int, max_entries: int | None = None) -> Model:
    if path.lower().endswith(_GAMBIT_SUFFIXES):
        return load_gambit_model(path, max_entries=MAX_ENTRIES if max_entries is None else max_entries)
    return load_model_file(path)


def _load(path: str, st: os.stat_result, max_entries: int | None) -> Model:
    """The model of *path*, from the cache while neither it nor a file it includes has changed."""
    model = _load_cached(path, st.st_mtime_ns, st.st_size, max_entries)
    for _name, included, _sha, mtime_ns, size in model.meta.get("included_files", ()):
        try:
            now = os.stat(included)
        except OSError:
            now = None
        if now is None or (now.st_mtime_ns, now.st_size) != (mtime_ns, size):
            return load_model_file(path)
    if any(os.path.exists(missing) for missing in model.meta.get("include_misses", ())):
        return load_model_file(path)  # a calibration file now beside the model takes the bundled one's place
    return model


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
                return _load(str(real), Path(real).stat(), max_entries)
        if path.suffix and path.is_file():
            _unknown_suffix(text, path)
        for folder in _search_path() if _NAME_RE.match(text) else []:
            entry = folder / f"{text}.yaml"
            if entry.is_file() and _calibration(entry):
                raise ModelFileError(f"{text!r} is a calibration file (shared parameters, scenarios and "
                                     "definitions), not a model", where="model name",
                                     fix="give a model that includes it ('include: " + text + "'); 'gtu list' lists "
                                         "the models")
        raise ModelFileError(f"no model named {text!r}", where="model name",
                             fix="use one of " + ", ".join(sorted(paths))
                                 + ", or give a path to a .yaml model file or a Gambit .nfg/.efg game")
    st = check_regular_file(text)
    if path.suffix and not text.lower().endswith(known):
        _unknown_suffix(text, path)
    return _load(str(path.resolve()), st, max_entries)


def _unknown_suffix(text: str, path: Path) -> None:
    raise ModelFileError(f"cannot tell the file type from the suffix {path.suffix!r}", path=text,
                         fix="model files end in .yaml or .yml, Gambit games in .nfg (strategic form) "
                             "or .efg (extensive form)")
