"""Where the bundled models (and the calibration files they include) live."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

__all__ = ["bundled_models_dir"]

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
