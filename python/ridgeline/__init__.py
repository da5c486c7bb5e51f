"""Ridgeline: a roofline kernel profiler and autotuner (docs/python.md).

    import ridgeline as rl
    rl.devices()                                   # this machine's backends and catalog match
    m = rl.run("gemm", problem={"m": 64, "n": 64, "k": 64}, check=True)
    t = rl.tune("gemm", problem={"m": 256, "n": 256, "k": 256}, budget=20)
    rl.open("results.sqlite").measurements()       # stored results as a DataFrame
    rl.plot.roofline(rl.load("results.sqlite"))

Importing needs no compiled module and no GPU: reading and plotting results is pure Python.
devices, catalog, run, tune, ceilings, import_results and kernels import the compiled module
ridgeline._core
on first use and say how to build it when it is missing.
"""

from ._api import _bind_openmp_threads

_bind_openmp_threads()  # before anything can load the compiled module (and with it libgomp)

from . import kernels, plot, results  # noqa: E402
from ._api import (ImportRefused, Measurement, TuningInterrupted, TuningRun,  # noqa: E402
                   catalog, ceilings, devices, import_results, run, tune)
from .results import Database, load, open  # noqa: A004,E402 - `open` is the contract's name

__version__ = "0.1.0"


__all__ = ["devices", "catalog", "ceilings", "run", "tune", "import_results", "open", "load",
           "kernels", "plot", "results", "Database", "Measurement", "TuningRun",
           "TuningInterrupted", "ImportRefused"]
