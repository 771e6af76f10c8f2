"""Finding models: bundled ones by name, user ones by path or ``GTU_MODEL_PATH``."""

from __future__ import annotations

import os
from functools import lru_cache
from importlib import resources
from pathlib import Path

from .errors import ModelFileError
from .model import Model

__all__ = ["list_models", "load_model", "bundled_models_dir", "model_paths"]

_SUFFIXES = (".yaml", ".yml")


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
def _load_cached(path: str, mtime_ns: int, size: int) -> Model:
    from .model_file import load_model_file

    return load_model_file(path)


def load_model(name_or_path: str | os.PathLike) -> Model:
    """Load a model by name (``"chain-store"``) or from a file path.

    Parameters
    ----------
    name_or_path : str or path-like
        A bundled model's name, a name found on ``GTU_MODEL_PATH``, or a path to
        a ``.yaml`` model file.

    Returns
    -------
    Model

    Raises
    ------
    ModelFileError
        Unknown name (the message lists the known ones) or an invalid file.

    Examples
    --------
    >>> import gametheory_ukraine as gtu
    >>> gtu.load_model("chain-store").players
    ('Entrant', 'Incumbent')
    """
    text = os.fspath(name_or_path)
    path = Path(text)
    looks_like_path = text.endswith(_SUFFIXES) or os.sep in text or (os.altsep and os.altsep in text)
    if not looks_like_path:
        paths = model_paths()
        if text in paths:
            entry = paths[text]
            with resources.as_file(entry) as real:
                st = Path(real).stat()
                return _load_cached(str(real), st.st_mtime_ns, st.st_size)
        raise ModelFileError(f"no model named {text!r}", where="model name",
                             fix="use one of " + ", ".join(sorted(paths)) + ", or give a path to a .yaml file")
    if not path.exists():
        raise ModelFileError("no such file", path=text, fix="check the path")
    st = path.stat()
    return _load_cached(str(path.resolve()), st.st_mtime_ns, st.st_size)
