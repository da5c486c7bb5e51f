"""The calls that run things: devices, catalog, run, tune, ceilings, import_results
(docs/python.md).

Each one checks its arguments' Python types here (TypeError naming the argument), turns them
into the text the C++ takes, and calls the compiled module, which runs the same library code as
the CLI verbs and returns the same JSON records. Value errors come from the C++ checks
themselves, as ValueError naming the argument ("problem: missing 'k' ..."), so Python and the
CLI refuse exactly the same inputs. Results are stored in the results database as the CLI
stores them: ``db=None`` is the CLI's default ($RIDGELINE_DB, else the XDG data directory).
"""

from __future__ import annotations

import json
import numbers
import os
from dataclasses import dataclass, field
from typing import Any, Mapping, Optional, Union

import pandas as pd

from . import _paths, progress as _progress, results

PathLike = Union[str, "os.PathLike[str]"]

_core_module = None


class TuningInterrupted(KeyboardInterrupt):
    """Ctrl-C (or an exception from the progress callback) stopped rl.tune.

    Every evaluation finished before it is stored and the run is resumable: call rl.tune again
    with the same arguments and ``resume=True``. ``.run`` holds the partial TuningRun.
    """

    def __init__(self, message: str, run: "TuningRun"):
        super().__init__(message)
        self.run = run


def _bind_openmp_threads() -> None:
    # The CLI re-executes itself with OMP_PROC_BIND=spread OMP_PLACES=threads unless the user
    # chose a binding (cli/main.cpp): unbound OpenMP threads migrate and make CPU timings noisy.
    # libgomp reads these once, when it is loaded, which is when _core is first imported, so
    # they are set when `ridgeline` is imported, before any path to _core (rl.run, rl.kernels,
    # a direct import of ridgeline._core) can load it — unless the user set them, or something
    # already loaded libgomp (then they would not take effect, and the provenance records them
    # as they are: unset).
    if "OMP_PROC_BIND" in os.environ:
        return
    try:
        with open("/proc/self/maps", encoding="utf-8", errors="replace") as maps:
            if "libgomp" in maps.read():
                return
    except OSError:
        return
    os.environ["OMP_PROC_BIND"] = "spread"
    os.environ.setdefault("OMP_PLACES", "threads")


def _core():
    """The compiled module, imported on first use (``import ridgeline`` never needs it)."""
    global _core_module
    if _core_module is None:
        try:
            from . import _core as core
        except ImportError as e:
            raise ImportError(
                "ridgeline: this call needs the compiled module ridgeline._core, which is not "
                "importable here (" + str(e) + "). Build it from a Ridgeline checkout with "
                "`pip install .` (Kokkos: $Kokkos_ROOT, else Ridgeline's own, built when missing) or "
                "`scripts/python-env`. "
                "Reading results and plotting (rl.open, rl.load, rl.plot) work without it."
            ) from e
        _core_module = core
    return _core_module


# --- Argument conversion: Python values -> the C++'s text, TypeError naming the argument.

def _text(name: str, value: Any, allow_none: bool = False) -> str:
    if value is None and allow_none:
        return ""
    if not isinstance(value, str):
        wanted = "a str or None" if allow_none else "a str"
        raise TypeError(f"{name}: expected {wanted}, got {type(value).__name__}")
    return value


def _value_text(name: str, value: Any) -> str:
    # bool first: True is an Integral too. Problem flags (causal) are 0/1 in the C++.
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        return repr(float(value))
    if isinstance(value, str):
        return value
    raise TypeError(f"{name}: expected an int, float, bool or str, got {type(value).__name__}")


def _pairs(name: str, mapping: Any) -> list:
    """A {name: value} dict (or None) as the C++'s [(name, text)] list, in the dict's order."""
    if mapping is None:
        return []
    if not isinstance(mapping, Mapping):
        raise TypeError(f"{name}: expected a dict like {{'m': 64}}, got {type(mapping).__name__}")
    out = []
    for key, value in mapping.items():
        if not isinstance(key, str):
            raise TypeError(f"{name}: keys must be str, got {type(key).__name__} ({key!r})")
        out.append((key, _value_text(f"{name}[{key!r}]", value)))
    return out


def _problem(kernel: str, problem: Any, preset: Any, tokens: Any) -> list:
    """The problem's fields: `problem` alone, or a model preset's (configs/problems) at `tokens`
    with `problem`'s fields replacing or added — `ridgeline run --preset --tokens --problem`."""
    fields = _core().problem_fields(kernel, _pairs("problem", problem),
                                    "" if preset is None else _text("preset", preset),
                                    _optional_int("tokens", tokens, minimum=1, bits=63),
                                    _paths.problems_dir())
    return [tuple(f) for f in fields]


def _dtype_text(dtype: Any) -> str:
    if isinstance(dtype, str):
        return dtype
    try:
        import numpy as np
        dt = np.dtype(dtype)
    except TypeError:
        raise TypeError("dtype: expected a name ('f32', 'f64', 'bf16', 'f16') or a NumPy float "
                        f"dtype, got {type(dtype).__name__}") from None
    # NumPy has no bfloat16: "bf16" is given by name.
    names = {np.dtype(np.float32): "f32", np.dtype(np.float64): "f64",
             np.dtype(np.float16): "f16"}
    if dt not in names:
        raise ValueError(f"dtype: {dt} is not supported (expected float32, float64, float16 or "
                         "a name: f32, f64, bf16, f16)")
    return names[dt]


def _bool(name: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"{name}: expected True or False, got {type(value).__name__}")
    return value


def _optional_int(name: str, value: Any, minimum: int = 0, bits: int = 64) -> Optional[int]:
    """An int in [minimum, 2^bits) — the range of the C++ field it becomes — or None."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name}: expected an int or None, got {type(value).__name__}")
    if value < minimum:
        raise ValueError(f"{name}: must be >= {minimum} (got {value})")
    if value >= 2 ** bits:
        raise ValueError(f"{name}: must be < 2^{bits} (got {value})")
    return int(value)


def _optional_float(name: str, value: Any) -> Optional[float]:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name}: expected a number or None, got {type(value).__name__}")
    return float(value)


def _db_arg(db: Any, allow_false: bool) -> Optional[str]:
    """None -> "" (the default database); False -> None (not stored); a path -> its text."""
    if db is None:
        return ""
    if db is False and allow_false:
        return None
    if isinstance(db, (str, os.PathLike)):
        return os.fspath(db)
    wanted = "a path, None (the default database) or False (not stored)" if allow_false \
        else "a path or None (the default database)"
    raise TypeError(f"db: expected {wanted}, got {type(db).__name__}")


def _command(call: str, **arguments: Any) -> str:
    """What the database stores as the run's command: the call as written in Python."""
    shown = ", ".join(f"{k}={v!r}" for k, v in arguments.items() if v is not None)
    return f"ridgeline.{call}({shown})"


# --- Results.

@dataclass
class Measurement:
    """One run of one kernel variant: the ``ridgeline.measurement/1`` record (docs/json-schema.md).

    ``record`` is the dict as the C++ wrote it (with ``roofline``: its placements under the
    device's datasheet and measured roofs); ``to_frame()`` is its one-row DataFrame with the
    columns of ``rl.load`` (docs/python.md).
    """

    record: dict

    @property
    def status(self) -> str:
        """"ok", "invalid_config", "launch_failed", "wrong_result" or "timeout"."""
        return self.record["status"]

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    @property
    def reason(self) -> str:
        return self.record.get("reason", "")

    @property
    def params(self) -> dict:
        return dict(self.record.get("params") or {})

    @property
    def time_s(self) -> Optional[float]:
        """The median time of one launch, seconds (None when it did not run)."""
        timing = self.record.get("time_s")
        return None if not timing else timing.get("median")

    @property
    def check(self) -> Optional[dict]:
        return self.record.get("check")

    @property
    def placements(self) -> list:
        """Its roofline placements (one per roof set), each with ``roof_below_achieved``
        (results.placements: judged here for records written before the flag existed)."""
        return results.placements(self.record)

    @property
    def roof_below_achieved(self) -> bool:
        """A roof set's roof is below what this measurement achieved (by more than
        results.ROOF_TOLERANCE): that roof set is wrong or stale, and its fraction of
        attainable measures nothing. The reasons: ``[p["roof_below_achieved_reason"] for p in
        m.placements if p["roof_below_achieved"]]``."""
        return any(p["roof_below_achieved"] for p in self.placements)

    def to_frame(self) -> pd.DataFrame:
        return results.measurement_frame([self.record])

    def __repr__(self) -> str:
        r = self.record
        what = f"{r['kernel']} {r['variant']} {r['dtype']} {r.get('backend', '')}".strip()
        if not self.ok:
            return f"<Measurement {what}: {self.status}: {self.reason}>"
        if self.time_s is None:  # time=False: checked or counted, not timed
            return f"<Measurement {what}: ok (not timed)>"
        return f"<Measurement {what}: {self.time_s:.4g} s median>"


HISTORY_COLUMNS = ["evaluation", "params", "params_text", "status", "time_s", "reason"]


@dataclass
class TuningRun:
    """A tuning run (``ridgeline.tune/1``, docs/json-schema.md) and its search history.

    ``best`` and ``default`` are Measurements (``best`` is None when no configuration ran
    correctly); ``history`` has one row per evaluated configuration in evaluation order
    (columns HISTORY_COLUMNS); ``stop_reason`` is "budget", "time", "no_improvement",
    "within_roof", "roof_below_achieved" (within_roof was the only stop and the roofline floor
    proved wrong), "exhausted" or "interrupted" (then the run is resumable: ``resume=True``).
    """

    document: dict
    history: pd.DataFrame = field(repr=False)

    @property
    def run_id(self) -> int:
        return self.document["run_id"]

    @property
    def stop_reason(self) -> str:
        return self.document["stop_reason"]

    @property
    def resumed(self) -> bool:
        return self.document["resumed"]

    @property
    def reused_evaluations(self) -> int:
        return self.document["reused_evaluations"]

    @property
    def evaluations_per_minute(self) -> Optional[float]:
        """Configurations measured per minute of this call's wall time (None: none measured)."""
        return self.document.get("evaluations_per_minute")

    @property
    def best(self) -> Optional[Measurement]:
        best = self.document.get("best")
        return None if best is None else Measurement(best)

    @property
    def default(self) -> Measurement:
        return Measurement(self.document["default"])

    @property
    def floor_time_s(self) -> Optional[float]:
        """The roofline's lowest possible time for this case (None without roofs)."""
        return self.document.get("floor_time_s")

    @property
    def roof_below_achieved(self) -> bool:
        """The best beat the roofline floor by more than results.ROOF_TOLERANCE: the roofs it
        came from are wrong or stale, so floor_time_s is no floor and no "% of roof" applies
        (the reason: ``document["roof_below_achieved_reason"]``). Judged here for documents
        written before the flag existed."""
        flag = self.document.get("roof_below_achieved")
        if flag is not None:
            return bool(flag)
        best = self.best
        floor = self.floor_time_s
        return (floor is not None and best is not None and best.time_s is not None
                and results.exceeds_roof(floor, best.time_s))

    @property
    def seconds(self) -> float:
        return self.document["seconds"]

    def __repr__(self) -> str:
        best = self.best
        shown = f"best {best.time_s:.4g} s {best.params}" if best is not None and best.ok \
            else "no correct configuration"
        return (f"<TuningRun {self.run_id}: {len(self.history)} evaluations, "
                f"stopped: {self.stop_reason}, {shown}>")


def _history_frame(entries: list) -> pd.DataFrame:
    rows = []
    for i, e in enumerate(entries):
        params = dict(e["params"])
        rows.append({"evaluation": i, "params": params,
                     "params_text": ",".join(f"{k}={v}" for k, v in params.items()),
                     "status": e["status"],
                     "time_s": float("nan") if e["time_s"] is None else float(e["time_s"]),
                     "reason": e["reason"]})
    frame = pd.DataFrame(rows, columns=HISTORY_COLUMNS)
    frame["evaluation"] = frame["evaluation"].astype("int64")
    frame["time_s"] = frame["time_s"].astype("float64")
    return frame


# --- The calls.

DEVICE_COLUMNS = [
    "backend", "kokkos_name", "default", "host", "concurrency", "details",
    "catalog_id", "catalog_name", "catalog_reason",
    "kokkos_version", "cpu_vendor", "cpu_model", "logical_cpus", "physical_cores",
    "memory_total_bytes",
]


def devices() -> pd.DataFrame:
    """This machine's Kokkos backends, one row each, with the catalog card each matches
    (columns DEVICE_COLUMNS; the whole ``ridgeline.devices/1`` document in ``.attrs``)."""
    doc = json.loads(_core().devices_json(_paths.catalog_dir()))
    cpu = doc["cpu"]
    rows = []
    for b in doc["backends"]:
        rows.append({
            "backend": b["id"], "kokkos_name": b["kokkos_name"], "default": b["default"],
            "host": b["host"], "concurrency": b["concurrency"], "details": b["details"],
            "catalog_id": b["catalog"]["card"] or None,
            "catalog_name": b["catalog"]["name"] or None,
            "catalog_reason": b["catalog"]["reason"],
            "kokkos_version": doc["kokkos_version"], "cpu_vendor": cpu["vendor"],
            "cpu_model": cpu["model"], "logical_cpus": cpu["logical_cpus"],
            "physical_cores": cpu["physical_cores"],
            "memory_total_bytes": cpu["memory_total_bytes"],
        })
    frame = pd.DataFrame(rows, columns=DEVICE_COLUMNS)
    frame.attrs["document"] = doc
    return frame


# results.ROOF_COLUMNS first (the frame plot.roofline takes), then the card's identity and the
# catalog's own detail of each number.
CATALOG_COLUMNS = results.ROOF_COLUMNS + [
    "name", "vendor", "device_kind", "arch", "memory_type", "memory_bytes",
    "value_low", "value_high", "unit_as_written", "note",
]


def catalog(db: Optional[PathLike] = None, catalog: Optional[PathLike] = None) -> pd.DataFrame:
    """Every roof of the device catalog, one row each (columns CATALOG_COLUMNS).

    Datasheet roofs come from the catalog (``catalog``: a directory; default the installed
    configs/devices or $RIDGELINE_CATALOG), read by the same strict loader as the CLI; a roof
    the catalog lists as unknown is a row with confidence "unknown" and no value. With ``db``,
    the measured roofs stored there (``rl.ceilings``, ``ridgeline ceilings``) are added as rows
    with source "measured".
    """
    directory = _paths.catalog_dir() if catalog is None else os.fspath(
        _path_arg("catalog", catalog))
    cards = json.loads(_core().catalog_json(directory))
    rows = []
    for card in cards:
        identity = {"name": card["name"], "vendor": card["vendor"], "device_kind": card["kind"],
                    "arch": card["arch"], "memory_type": card["memory_type"] or None,
                    "memory_bytes": card["memory_bytes"]}
        for kind, entries in (("compute", card["compute"]), ("bandwidth", card["bandwidth"])):
            for e in entries:
                value = float("nan") if e["value"] is None else float(e["value"])
                rows.append({
                    "device": card["id"], "source": "datasheet", "kind": kind,
                    "precision": e.get("precision"), "unit": e.get("unit"),
                    "level": e.get("level"),
                    "flop_per_s": value if kind == "compute" else float("nan"),
                    "byte_per_s": value if kind == "bandwidth" else float("nan"),
                    "confidence": e["confidence"], "provenance": e["source"],
                    "measured_at": pd.NaT, "run_id": pd.NA,
                    "value_low": e["low"], "value_high": e["high"],
                    "unit_as_written": e["unit_as_written"], "note": e["note"] or None,
                    **identity,
                })
    frame = pd.DataFrame(rows, columns=CATALOG_COLUMNS)
    if db is not None:
        with results.open(_path_arg("db", db)) as database:
            measured = database.ceilings()
        measured = measured[measured["source"] == "measured"].reindex(columns=CATALOG_COLUMNS)
        if not measured.empty:
            frame = pd.concat([frame, measured], ignore_index=True)
    frame["measured_at"] = pd.to_datetime(frame["measured_at"], utc=True, errors="coerce")
    frame["run_id"] = frame["run_id"].astype("Int64")
    return frame


def _path_arg(name: str, value: Any) -> str:
    if not isinstance(value, (str, os.PathLike)):
        raise TypeError(f"{name}: expected a path, got {type(value).__name__}")
    return os.fspath(value)


def run(kernel: str, problem: Optional[Mapping[str, Any]] = None, dtype: Any = "f32",
        variant: Optional[str] = None, params: Optional[Mapping[str, Any]] = None,
        check: bool = False, db: Union[PathLike, None, bool] = None, progress: Any = None, *,
        preset: Optional[str] = None, tokens: Optional[int] = None,
        backend: Optional[str] = None, seed: Optional[int] = None, time: bool = True,
        counters: str = "auto", warmup: Optional[float] = None,
        max_time: Optional[float] = None, target_spread: Optional[float] = None,
        min_samples: Optional[int] = None, max_samples: Optional[int] = None) -> Measurement:
    """Check (``check=True``) and time one kernel variant on one problem: ``ridgeline run``.

    ``problem``/``params`` are dicts of the kernel's fields and the variant's axes
    (``{"m": 64, "n": 64, "k": 64}``, ``{"tile_m": 32}``); ``preset``/``tokens`` take the
    problem from a model's shape (configs/problems, docs/problems.md), ``problem``'s fields
    overriding it, e.g. ``run("moe_layer", preset="deepseek-v3", tokens=512)``. The
    measurement is stored in ``db``
    (None: the default database; False: not stored) and placed under the device's roofs. A
    configuration that cannot run or computes a wrong result is a Measurement whose ``status``
    says so, not an exception. ``progress`` is accepted for symmetry with tune/ceilings: a
    single run reports nothing until it is done. ``time=False`` only checks. ``counters``:
    as ``ridgeline run --counters``, "auto" (default: perf_event on CPUs, CUPTI on CUDA, the
    analytic model when unavailable), "none", "perf", "cupti" (docs/counters.md).
    """
    if progress not in (None, True, False) and not callable(progress):
        raise TypeError("progress: expected None, True, False or a callable, got "
                        f"{type(progress).__name__}")
    args = dict(
        kernel=_text("kernel", kernel), variant=_text("variant", variant, allow_none=True),
        dtype=_dtype_text(dtype), problem=_problem(kernel, problem, preset, tokens),
        params=_pairs("params", params), backend=_text("backend", backend, allow_none=True),
        check=_bool("check", check), time=_bool("time", time),
        seed=_optional_int("seed", seed), warmup=_optional_float("warmup", warmup),
        max_time=_optional_float("max_time", max_time),
        target_spread=_optional_float("target_spread", target_spread),
        min_samples=_optional_int("min_samples", min_samples, bits=31),
        max_samples=_optional_int("max_samples", max_samples, bits=31),
        counters=_text("counters", counters))
    if not args["check"] and not args["time"]:
        raise ValueError("time: with check=False there is nothing to do (time=False only checks)")
    command = _command("run", kernel=kernel, problem=dict(args["problem"]), dtype=args["dtype"],
                       variant=variant, params=None if params is None else dict(params),
                       check=check)
    doc = json.loads(_core().run(**args, metrics_dir=_paths.metrics_dir(),
                                 catalog_dir=_paths.catalog_dir(),
                                 db=_db_arg(db, allow_false=True), command=command))
    return Measurement(doc["measurements"][0])


def tune(kernel: str, problem: Optional[Mapping[str, Any]] = None, dtype: Any = "f32",
         strategy: Optional[str] = None, budget: Optional[int] = None,
         time: Optional[float] = None, db: Optional[PathLike] = None, progress: Any = None, *,
         preset: Optional[str] = None, tokens: Optional[int] = None,
         variant: Optional[str] = None, no_improvement: Optional[int] = None,
         within_roof: Optional[float] = None, seed: int = 1, resume: bool = False,
         check: str = "best", abandon_factor: float = 3.0, backend: Optional[str] = None,
         strategy_options: Optional[Mapping[str, Any]] = None, warmup: Optional[float] = None,
         max_time: Optional[float] = None, target_spread: Optional[float] = None,
         cut: Optional[float] = None) -> TuningRun:
    """Search a kernel variant's tuning space on this device: ``ridgeline tune``.

    Stops on the first of ``budget`` evaluations, ``time`` seconds, ``no_improvement``
    evaluations without a better time, or the best within ``within_roof`` percent of the
    roofline (none given: a budget of 40). Every evaluation is committed to ``db`` as it is
    measured. Ctrl-C — or an exception raised by a ``progress`` callable — stops the search
    after the evaluation in flight: TuningInterrupted (a KeyboardInterrupt) is raised with the
    partial run as ``.run``, everything evaluated is kept, and ``resume=True`` with the same
    arguments continues it without measuring anything again. ``check``: "best" (each new best
    is checked against the reference), "all" or "none". ``abandon_factor``: a configuration
    whose fastest warm-up launch (its first, for a launch longer than ``warmup``) takes more than
    this many times the best time so far is abandoned instead of being timed fully (status
    ``timeout``, reason ``abandoned after N launches: ...``; 0: never); ``cut`` is its earlier
    name, still accepted.
    """
    if cut is not None:
        if abandon_factor != 3.0:
            raise TypeError("cut: the earlier name of abandon_factor; give one of them")
        abandon_factor = cut
    seed_value = _optional_int("seed", seed)
    if seed_value is None:
        raise TypeError("seed: expected an int, got None")
    database = _db_arg(db, allow_false=False)
    args = dict(
        kernel=_text("kernel", kernel), variant=_text("variant", variant, allow_none=True),
        dtype=_dtype_text(dtype), problem=_problem(kernel, problem, preset, tokens),
        backend=_text("backend", backend, allow_none=True),
        strategy=_text("strategy", strategy, allow_none=True),
        strategy_options=_pairs("strategy_options", strategy_options), seed=seed_value,
        resume=_bool("resume", resume), check=_text("check", check),
        abandon_factor=_optional_float("abandon_factor", abandon_factor),
        budget=_optional_int("budget", budget),
        time=_optional_float("time", time),
        no_improvement=_optional_int("no_improvement", no_improvement),
        within_roof=_optional_float("within_roof", within_roof),
        warmup=_optional_float("warmup", warmup),
        max_time=_optional_float("max_time", max_time),
        target_spread=_optional_float("target_spread", target_spread))
    if args["abandon_factor"] is None:
        raise TypeError("abandon_factor: expected a number, got None")
    callback, close = _progress.resolve(progress, _progress.tune_bar, f"tune {kernel}")
    command = _command("tune", kernel=kernel, problem=dict(args["problem"]), dtype=args["dtype"],
                       variant=variant, strategy=strategy, budget=budget, time=time,
                       seed=seed, resume=resume or None)
    try:
        text, error = _core().tune(**args, catalog_dir=_paths.catalog_dir(), db=database,
                                   command=command, progress=callback)
    finally:
        close()
    doc = json.loads(text)
    result = TuningRun(doc, _history_frame(doc.pop("history")))
    if error is not None:
        if isinstance(error, KeyboardInterrupt):
            raise TuningInterrupted(
                f"tuning run {result.run_id} interrupted after {len(result.history)} "
                "evaluations; they are stored, and rl.tune(..., resume=True) with the same "
                "arguments continues the run", result) from error
        raise error
    return result


class ImportRefused(ValueError):
    """rl.import_results refused one or more files ("FILE:LINE: problem", one line each).

    As ``ridgeline import`` does, the other files were imported first: ``.frame`` is the
    DataFrame rl.import_results would have returned for them (its ``attrs["imports"]`` lists
    every file, the refused ones with their ``error``).
    """

    def __init__(self, message: str, frame: pd.DataFrame):
        super().__init__(message)
        self.frame = frame


# The per-file summary of rl.import_results (``attrs["imports"]``), the keys of
# ``ridgeline --json import`` (``ridgeline.import/1``).
IMPORT_SUMMARY_KEYS = ["path", "format", "tool", "launches", "placeable", "already_imported",
                       "run_id", "card", "note", "error"]


def _paths_arg(name: str, value: Any) -> list:
    """One path or a list/tuple of paths as a list of str."""
    if isinstance(value, (str, os.PathLike)):
        return [os.fspath(value)]
    if isinstance(value, (list, tuple)):
        out = []
        for i, item in enumerate(value):
            if not isinstance(item, (str, os.PathLike)):
                raise TypeError(f"{name}[{i}]: expected a path, got {type(item).__name__}")
            out.append(os.fspath(item))
        if not out:
            raise ValueError(f"{name}: name at least one file or directory")
        return out
    raise TypeError(f"{name}: expected a path or a list of paths, got {type(value).__name__}")


def import_results(paths: Union[PathLike, list, tuple], format: str = "auto",  # noqa: A002
                   device: Optional[str] = None, kernel_filter: Optional[str] = None,
                   db: Optional[PathLike] = None) -> pd.DataFrame:
    """Store other profilers' results as measurements: ``ridgeline import`` (docs/import.md).

    ``paths``: files or directories (an msprof op folder, a rocprof-compute workload folder) —
    Nsight Compute CSV, rocprof / rocprofv3 / rocprof-compute CSV, Ascend msprof (an ``msprof op``
    folder or an op_summary CSV) or a ridgeline-csv file. ``format``: "auto" (detected per file) or a format name of
    ``ridgeline import --help``. ``device``: the catalog card they ran on (default: the card
    matching the device name each file states). ``kernel_filter``: a regular expression; only
    kernels whose name it matches are stored. Each file is one run (variant
    ``imported:<tool>``) in ``db`` (None: the default database); a file imported before (same
    content) adds nothing.

    Returns the measurements this call stored, with the columns of ``rl.load`` (read back from
    the database), and ``attrs["imports"]``: one dict per file (IMPORT_SUMMARY_KEYS). Files the
    importer refuses raise ImportRefused (a ValueError) with their "FILE:LINE: problem" lines,
    after the others were stored; its ``.frame`` is what the call would have returned.
    """
    args = dict(paths=_paths_arg("paths", paths), format=_text("format", format),
                device=_text("device", device, allow_none=True),
                kernel_filter=_text("kernel_filter", kernel_filter, allow_none=True))
    shown = args["paths"] if isinstance(paths, (list, tuple)) else args["paths"][0]
    command = _command("import_results", paths=shown,
                       format=None if format == "auto" else format, device=device,
                       kernel_filter=kernel_filter)
    text, db_path = _core().import_results(**args, metrics_dir=_paths.metrics_dir(),
                                           catalog_dir=_paths.catalog_dir(),
                                           db=_db_arg(db, allow_false=False), command=command)
    files = [{key: f.get(key) for key in IMPORT_SUMMARY_KEYS} for f in json.loads(text)["files"]]
    run_ids = {f["run_id"] for f in files if f["run_id"] is not None}
    if run_ids:
        with results.open(db_path) as database:
            frame = database.measurements()
        frame = frame[frame["run_id"].isin(run_ids)].reset_index(drop=True)
    else:  # nothing new (refused, or imported before)
        frame = results.measurement_frame([])
    frame.attrs["imports"] = files
    refused = [f["error"] for f in files if f["error"]]
    if refused:
        imported = sum(1 for f in files if not f["error"])
        tail = (f"\n({imported} other file{'s' if imported != 1 else ''} imported: "
                "the exception's .frame)" if imported else "")
        raise ImportRefused("\n".join(refused) + tail, frame)
    return frame


def ceilings(backend: Optional[str] = None, time_per_point: float = 0.15,
             max_bytes: Optional[int] = None, quick: bool = False,
             db: Union[PathLike, None, bool] = None, progress: Any = None) -> pd.DataFrame:
    """Measure this device's compute and bandwidth ceilings: ``ridgeline ceilings``.

    Returns the measured roofs (columns of ``results.ceilings_frame``; the whole
    ``ridgeline.ceilings/1`` document with its sweep in ``.attrs["document"]``). A complete
    sweep is stored in ``db`` (None: the default database; False: not stored) as the device's
    measured roofs; ``quick=True`` (one point per level: a smoke test, not a measurement) and
    an interrupted sweep are never stored. Ctrl-C stops after the point in flight and raises
    KeyboardInterrupt.
    """
    args = dict(backend=_text("backend", backend, allow_none=True),
                time_per_point=_optional_float("time_per_point", time_per_point),
                max_bytes=_optional_int("max_bytes", max_bytes), quick=_bool("quick", quick))
    if args["time_per_point"] is None:
        raise TypeError("time_per_point: expected a number, got None")
    database = _db_arg(db, allow_false=True)
    callback, close = _progress.resolve(progress, _progress.ceilings_bar, "ceilings")
    command = _command("ceilings", backend=backend, time_per_point=time_per_point,
                       max_bytes=max_bytes, quick=quick or None)
    try:
        text, error = _core().ceilings(**args, catalog_dir=_paths.catalog_dir(), db=database,
                                       command=command, progress=callback)
    finally:
        close()
    if error is not None:
        raise error
    doc = json.loads(text)
    frame = results.ceilings_frame(doc)
    frame.attrs["document"] = doc
    return frame
