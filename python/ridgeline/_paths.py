"""Where the installed package finds its data: the device catalog, metric formulas and problem
presets that `pip install .` copies into ``ridgeline/data/`` (python/CMakeLists.txt).

The environment variables the CLI honours win, as they do for the CLI: ``$RIDGELINE_CATALOG``,
``$RIDGELINE_METRICS_DIR`` and ``$RIDGELINE_PROBLEMS``.
"""

from __future__ import annotations

import os
from pathlib import Path

_DATA = Path(__file__).resolve().parent / "data"
# A source checkout run without installing (PYTHONPATH=python): the repository's configs/.
_SOURCE_CONFIGS = Path(__file__).resolve().parents[2] / "configs"


def _data_dir(name: str, env: str) -> str:
    value = os.environ.get(env)
    if value:
        return value
    for base in (_DATA, _SOURCE_CONFIGS):
        if (base / name).is_dir():
            return str(base / name)
    raise FileNotFoundError(
        f"ridgeline: no {name} directory (looked in {_DATA} and {_SOURCE_CONFIGS}); "
        f"reinstall the package or set ${env}")


def catalog_dir() -> str:
    """The device catalog (configs/devices)."""
    return _data_dir("devices", "RIDGELINE_CATALOG")


def metrics_dir() -> str:
    """The counter metric formulas (configs/metrics)."""
    return _data_dir("metrics", "RIDGELINE_METRICS_DIR")


def problems_dir() -> str:
    """The model problem presets (configs/problems)."""
    return _data_dir("problems", "RIDGELINE_PROBLEMS")
