"""Finding models: bundled ones by name, user ones by path or ``GTU_MODEL_PATH``."""

from __future__ import annotations

import os
from functools import lru_cache
from importlib import resources
from pathlib import Path

from ..core.errors import ModelFileError
from ..core.reading import check_regular_file, read_model_bytes
from ..io.gambit import MAX_ENTRIES, load_gambit_model
from .model import Model
from .model_file import load_model_file

# check_regular_file and read_model_bytes live in core.reading (the file formats read through them too); they are
# re-exported here, where they were first defined
__all__ = ["list_models", "load_model", "bundled_models_dir", "model_paths", "read_model_bytes",
           "check_regular_file", "NOT_MODELS"]

_SUFFIXES = (".yaml", ".yml")
#: Gambit games (strategic form, extensive form), read by :mod:`gametheory_ukraine.io.gambit`
_GAMBIT_SUFFIXES = (".nfg", ".efg")


#: Data files of the bundled models folder that are not models (no ``name:``): the claims table (read by
#: :mod:`gametheory_ukraine.modelling.claims`). The registry does not list them.
NOT_MODELS = frozenset({"claims.yaml"})

#: The top-level ``models/`` folder of a source checkout, beside the package folder
_CHECKOUT_MODELS = Path(__file__).resolve().parents[2] / "models"


def bundled_models_dir():
    """The folder of the models shipped with the package (a Traversable).

    Installed (a wheel, or editable), the models are the package ``gametheory_ukraine.models`` (``setup.cfg`` maps
    the top-level ``models/`` folder to it). A plain checkout that is not installed (run with the checkout on
    ``sys.path``, e.g. ``python -m gametheory_ukraine`` from its top folder) has no such package: its top-level
    ``models/`` folder is used instead.
    """
    try:
        return resources.files("gametheory_ukraine.models")
    except ModuleNotFoundError:
        return _CHECKOUT_MODELS


def model_paths() -> dict[str, object]:
    """Model name -> file, for every model on the search path.

    The search path is the folders in the ``GTU_MODEL_PATH`` environment variable
    (``os.pathsep``-separated), then the bundled models. The first file named
    ``NAME.yaml`` wins. The bundled folder's data files that are not models (:data:`NOT_MODELS`) are skipped.
    """
    found: dict[str, object] = {}
    extra = [Path(p) for p in os.environ.get("GTU_MODEL_PATH", "").split(os.pathsep) if p]
    bundled = bundled_models_dir()
    for folder in [*extra, bundled]:
        try:
            entries = sorted(folder.iterdir(), key=lambda e: e.name)
        except (OSError, FileNotFoundError):
            continue
        for entry in entries:
            if folder is bundled and entry.name in NOT_MODELS:
                continue
            if entry.name.endswith(_SUFFIXES) and entry.is_file():
                found.setdefault(entry.name.rsplit(".", 1)[0], entry)
    return found


def list_models() -> list[str]:
    """Names of the available models, sorted."""
    return sorted(model_paths())


@lru_cache(maxsize=64)
def _load_cached(path: str, mtime_ns: int, size: int, max_entries: int | None = None) -> Model:
    if path.lower().endswith(_GAMBIT_SUFFIXES):
        return load_gambit_model(path, max_entries=MAX_ENTRIES if max_entries is None else max_entries)
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


def _unknown_suffix(text: str, path: Path) -> None:
    raise ModelFileError(f"cannot tell the file type from the suffix {path.suffix!r}", path=text,
                         fix="model files end in .yaml or .yml, Gambit games in .nfg (strategic form) "
                             "or .efg (extensive form)")
