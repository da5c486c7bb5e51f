"""Results as pandas DataFrames: a results database, exported JSON, or records in memory.

Pure Python (sqlite3, json, pandas): a laptop without the compiled module can read a database
written on a GPU node (STYLE.md lesson 8). The column contract is documented in docs/python.md;
columns are only ever added, and units are in the column names (``_s`` seconds, ``_per_s`` per
second, ``flop``/``byte`` counts).

The readers follow docs/database.md and docs/json-schema.md: a document or file of an unknown
major schema version is refused with one message naming it, and only runs whose status is
``complete`` are read (a reader never sees half a run).
"""

from __future__ import annotations

import json
import math
import os
import sqlite3
from pathlib import Path
from typing import Any, Iterable, Mapping, Optional, Union

import pandas as pd

MEASUREMENT_SCHEMA = "ridgeline.measurement/1"
RESULTS_SCHEMA = "ridgeline.results/1"
CEILINGS_SCHEMA = "ridgeline.ceilings/1"

# Database schema versions this reader understands (PRAGMA user_version; docs/database.md).
# Version 2 added tuning_runs, 3 imports (imported profiler files), 4 the nightly tables (read by
# the CLI's nightly reports, not here; every table read here is unchanged), 5
# tuning_runs.evaluations_per_minute (read when present, NaN before). A newer file is refused
# rather than half-read.
KNOWN_DATABASE_VERSIONS = (1, 2, 3, 4, 5)
_APPLICATION_ID = 0x52444C4E  # "RDLN"
_SQLITE_HEADER = b"SQLite format 3\x00"

# The measurement frame's columns, in order. docs/python.md documents each one.
MEASUREMENT_COLUMNS = [
    "measurement_id", "run_id", "device", "device_name", "catalog_id", "host",
    "backend", "kernel", "variant", "dtype",
    "problem", "problem_text", "params", "params_text", "status", "reason",
    "time_s_median", "time_s_min", "time_s_max", "time_s_mean", "time_s_q1", "time_s_q3",
    "time_relative_spread", "sample_count", "stop_reason",
    "flops", "flop_precision", "flop_unit", "bytes_dram",
    "flop_per_s", "dram_byte_per_s", "arithmetic_intensity_flop_per_byte",
    "counts_source", "check_passed", "check_max_error_over_bound", "date",
]

# The flat columns of a measurement as the C++ declares them (storage/measurement_columns.cpp):
# (database column, CSV column, JSON pointer into the record, stored as JSON text, a copy of
# another column kept for queries). A copy, so a laptop reads a database without the compiled
# module; tests/python/test_results_columns.py checks it against ridgeline._core's table.
MEASUREMENT_COLUMN_TABLE = (
    (None, "measurement_id", None, False, False),
    (None, "run_id", None, False, False),
    (None, "created_at", None, False, False),
    (None, "device_kind", None, False, False),
    (None, "device_vendor", None, False, False),
    (None, "device_name", None, False, False),
    (None, "device_arch", None, False, False),
    (None, "device_host", None, False, False),
    (None, "device_catalog_id", None, False, False),
    ("kernel", "kernel", "/kernel", False, False),
    ("variant", "variant", "/variant", False, False),
    ("dtype", "dtype", "/dtype", False, False),
    ("backend", "backend", "/backend", False, False),
    ("problem_json", None, "/problem", True, False),
    ("problem_text", "problem", None, False, False),
    ("params_json", None, "/params", True, False),
    ("params_text", "params", None, False, False),
    ("status", "status", "/status", False, False),
    ("reason", "reason", "/reason", False, False),
    ("time_median_s", "time_median_s", "/time_s/median", False, False),
    ("time_min_s", "time_min_s", "/time_s/min", False, False),
    ("time_max_s", "time_max_s", "/time_s/max", False, False),
    ("time_mean_s", "time_mean_s", "/time_s/mean", False, False),
    ("time_q1_s", "time_q1_s", "/time_s/q1", False, False),
    ("time_q3_s", "time_q3_s", "/time_s/q3", False, False),
    ("time_relative_spread", "time_relative_spread", "/time_s/relative_spread", False, False),
    ("sample_count", "sample_count", None, False, False),
    ("launches_per_sample", "launches_per_sample", "/time_s/launches_per_sample", False, False),
    ("warmup_launches", None, "/time_s/warmup_launches", False, False),
    ("warmup_s", None, "/time_s/warmup", False, False),
    ("stop_reason", "stop_reason", "/time_s/stop_reason", False, False),
    ("timer", None, "/time_s/timer", False, False),
    ("samples_json", None, "/time_s/samples", True, False),
    ("work_json", None, "/work", True, False),
    (None, "work_flop", None, False, False),
    (None, "work_dram_byte", None, False, False),
    ("counts_source", "counts_source", "/work/source", False, False),
    ("flop_per_s", "flop_per_s", "/derived/flop_per_s", False, False),
    ("dram_byte_per_s", "dram_byte_per_s", "/derived/dram_byte_per_s", False, False),
    ("arithmetic_intensity_flop_per_byte", "arithmetic_intensity_flop_per_byte",
     "/derived/arithmetic_intensity_flop_per_byte", False, False),
    ("check_passed", "check_passed", "/check/passed", False, True),
    ("check_json", None, "/check", True, False),
    (None, "check_max_error_over_bound", "/check/max_error_over_bound", False, False),
    ("rotation_json", None, "/rotation", True, False),
    (None, "rotation_copies", "/rotation/copies", False, False),
    (None, "inputs_cold", "/rotation/inputs_cold", False, False),
    (None, "working_set_byte", "/rotation/working_set_bytes", False, False),
    ("provenance_json", None, "/provenance", True, False),
)

# Roofs (datasheet or measured) as one frame: results.Database.ceilings(), plot.roofs.
ROOF_COLUMNS = [
    "device", "source", "kind", "precision", "unit", "level",
    "flop_per_s", "byte_per_s", "confidence", "provenance", "measured_at", "run_id",
]

CEILING_COLUMNS = [
    "source", "backend", "kind", "kernel", "precision", "unit", "level",
    "flop_per_s", "byte_per_s", "rate_mean_per_s", "rate_min_per_s", "points",
]

RUN_COLUMNS = [
    "run_id", "kind", "command", "status", "started_at", "finished_at", "host", "pid",
    "measurements", "kernel", "variant", "dtype", "problem_text", "strategy", "stop_reason",
    "evaluations", "evaluations_per_minute", "best_measurement_id",
]

WISDOM_COLUMNS = [
    "run_id", "device", "device_name", "catalog_id", "backend", "kernel", "variant", "dtype",
    "problem", "problem_text", "params", "params_text", "time_s_median", "flop_per_s",
    "floor_time_s", "strategy", "stop_reason", "evaluations", "software_key",
    "best_measurement_id", "best_for_case", "date",
]


def _schema_major(schema: Any, expected: str, where: str) -> None:
    """Refuses a document whose schema is not `expected` (name/major), naming where it was."""
    if not isinstance(schema, str):
        raise ValueError(f"{where}: 'schema' missing or not a string; expected '{expected}'")
    name, _, major = schema.rpartition("/")
    want_name, _, want_major = expected.rpartition("/")
    if name != want_name:
        raise ValueError(f"{where}: schema '{schema}' is not a {want_name} document")
    if major != want_major:
        raise ValueError(f"{where}: schema '{schema}' has an unknown major version; "
                         f"this reader knows '{expected}' (upgrade ridgeline)")


def _format_value(value: Any) -> str:
    # The C++ writes integral doubles without a fraction (alpha=1), so text keys agree.
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _mapping_text(mapping: Mapping[str, Any]) -> str:
    return ",".join(f"{k}={_format_value(v)}" for k, v in mapping.items())


def _dominant_flops(flops: list) -> tuple:
    """Total FLOPs, and the precision and unit holding most of them (the roof that applies)."""
    total = sum(int(f.get("count", 0)) for f in flops)
    if not flops:
        return total, None, None
    main = max(flops, key=lambda f: int(f.get("count", 0)))
    return total, main.get("precision"), main.get("unit")


def _catalog_id_of(record: Mapping[str, Any]) -> Optional[str]:
    # `run --json` adds placements; a datasheet placement names the matched catalog card.
    for placement in record.get("roofline") or []:
        if placement.get("roof_source") == "datasheet" and placement.get("device"):
            return placement["device"]
    return None


def _nan_if_none(value: Any) -> float:
    return math.nan if value is None else float(value)


def _record_row(record: Mapping[str, Any], where: str) -> dict:
    if not isinstance(record, Mapping):
        raise TypeError(f"{where}: expected a dict (a {MEASUREMENT_SCHEMA} record), "
                        f"got {type(record).__name__}")
    _schema_major(record.get("schema"), MEASUREMENT_SCHEMA, where)
    for key in ("kernel", "variant", "dtype", "status", "work", "derived"):
        if key not in record:
            raise ValueError(f"{where}: '{key}' missing")
    time_s = record.get("time_s") or {}
    work = record["work"]
    derived = record["derived"]
    provenance = record.get("provenance") or {}
    check = record.get("check")
    flops, flop_precision, flop_unit = _dominant_flops(work.get("flops") or [])
    bytes_dram = sum(int(b.get("count", 0)) for b in work.get("bytes") or []
                     if b.get("level") == "dram")
    problem = dict(record.get("problem") or {})
    params = dict(record.get("params") or {})
    # Accelerators record their identity in `device`; host backends only have the CPU model.
    device_name = provenance.get("device") or provenance.get("cpu_model") or ""
    catalog_id = _catalog_id_of(record)
    samples = time_s.get("samples")
    return {
        "measurement_id": pd.NA,
        "run_id": pd.NA,
        "device": catalog_id or device_name,
        "device_name": device_name,
        "catalog_id": catalog_id,
        "host": provenance.get("host"),
        "backend": record.get("backend"),
        "kernel": record["kernel"],
        "variant": record["variant"],
        "dtype": record["dtype"],
        "problem": problem,
        "problem_text": _mapping_text(problem),
        "params": params,
        "params_text": _mapping_text(params),
        "status": record["status"],
        "reason": record.get("reason", ""),
        "time_s_median": _nan_if_none(time_s.get("median")),
        "time_s_min": _nan_if_none(time_s.get("min")),
        "time_s_max": _nan_if_none(time_s.get("max")),
        "time_s_mean": _nan_if_none(time_s.get("mean")),
        "time_s_q1": _nan_if_none(time_s.get("q1")),
        "time_s_q3": _nan_if_none(time_s.get("q3")),
        "time_relative_spread": _nan_if_none(time_s.get("relative_spread")),
        "sample_count": len(samples) if samples is not None else pd.NA,
        "stop_reason": time_s.get("stop_reason"),
        "flops": flops,
        "flop_precision": flop_precision,
        "flop_unit": flop_unit,
        "bytes_dram": bytes_dram,
        "flop_per_s": float(derived.get("flop_per_s", 0.0)),
        "dram_byte_per_s": float(derived.get("dram_byte_per_s", 0.0)),
        "arithmetic_intensity_flop_per_byte":
            float(derived.get("arithmetic_intensity_flop_per_byte", 0.0)),
        "counts_source": work.get("source"),
        "check_passed": pd.NA if check is None else bool(check.get("passed")),
        "check_max_error_over_bound":
            math.nan if check is None else _nan_if_none(check.get("max_error_over_bound")),
        "date": provenance.get("date"),
    }


def _typed_measurements(rows: list) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=MEASUREMENT_COLUMNS)
    for column in ("measurement_id", "run_id", "sample_count"):
        frame[column] = frame[column].astype("Int64")
    for column in ("flops", "bytes_dram"):
        frame[column] = frame[column].astype("int64")
    frame["check_passed"] = frame["check_passed"].astype("boolean")
    frame["date"] = pd.to_datetime(frame["date"], utc=True, errors="coerce")
    return frame


def measurement_frame(records: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """One row per ``ridgeline.measurement/1`` record, columns MEASUREMENT_COLUMNS."""
    if isinstance(records, (Mapping, str, bytes)):
        raise TypeError("records: expected an iterable of measurement dicts, got "
                        f"{type(records).__name__} (for a whole document use load())")
    rows = [_record_row(r, f"records[{i}]") for i, r in enumerate(records)]
    return _typed_measurements(rows)


# How far an achieved rate may exceed its roof before the roof set, not the kernel, is judged
# wrong: timing noise (the harness aims at a 2% spread) plus the measured ceilings' own spread
# (within 4% of likwid-bench). The one declaration is `roof_tolerance` in profiler/roofs.hpp; this
# copy lets the pure-Python readers and plots judge without the compiled module, and
# tests/python/test_roof_below_achieved.py fails when the two disagree.
ROOF_TOLERANCE = 0.05


def exceeds_roof(achieved: Any, attainable: Any) -> bool:
    """True when ``achieved`` > ``attainable`` × (1 + ROOF_TOLERANCE): the roof is below what was
    achieved, so the roof set is wrong or stale and achieved / attainable measures nothing.
    Exactly at the boundary is still accepted; a missing or non-positive attainable never is.
    Also for times (floor / best = achieved / attainable): ``exceeds_roof(floor_s, best_s)``."""
    try:
        achieved, attainable = float(achieved), float(attainable)
    except (TypeError, ValueError):
        return False
    return attainable > 0 and achieved > attainable * (1 + ROOF_TOLERANCE)


def placements(record: Mapping[str, Any]) -> list:
    """The roofline placements of a measurement record (its ``roofline`` array, written by
    ``run --json``, rl.run and the benchmarks; docs/json-schema.md), as new dicts that always
    carry ``roof_below_achieved`` and ``roof_below_achieved_reason``. A record written before
    those keys existed is judged here with the same rule, so an old file read today is flagged
    too. Records without placements (a database, ``export``) give []."""
    if not isinstance(record, Mapping):
        raise TypeError(f"record: expected a dict (a {MEASUREMENT_SCHEMA} record), "
                        f"got {type(record).__name__}")
    out = []
    for placement in record.get("roofline") or []:
        p = dict(placement)
        if "roof_below_achieved" not in p:
            achieved = p.get("achieved_flop_per_s") or 0.0
            attainable = p.get("attainable_flop_per_s") or 0.0
            flagged = bool(p.get("placed")) and exceeds_roof(achieved, attainable)
            p["roof_below_achieved"] = flagged
            origin = (f"datasheet card {p.get('device')}" if p.get("roof_source") == "datasheet"
                      else f"measured ceilings of {p.get('device')}")
            p["roof_below_achieved_reason"] = (
                f"this roof set is wrong or stale ({origin}): its {p.get('bound')} roof allows "
                f"{float(attainable):.4g} FLOP/s, below the achieved {float(achieved):.4g} FLOP/s"
                if flagged else "")
        p.setdefault("roof_below_achieved_reason", "")
        out.append(p)
    return out


def ceilings_frame(doc: Mapping[str, Any]) -> pd.DataFrame:
    """A ``ridgeline.ceilings/1`` document (``ridgeline --json ceilings``) as measured roofs."""
    if not isinstance(doc, Mapping):
        raise TypeError(f"doc: expected a dict ({CEILINGS_SCHEMA}), got {type(doc).__name__}")
    _schema_major(doc.get("schema"), CEILINGS_SCHEMA, "doc")
    rows = []
    for i, c in enumerate(doc.get("ceilings") or []):
        kind = c.get("kind")
        if kind not in ("compute", "bandwidth"):
            raise ValueError(f"doc.ceilings[{i}].kind: expected compute or bandwidth, got {kind!r}")
        compute = kind == "compute"
        rows.append({
            "source": "measured",
            "backend": doc.get("backend"),
            "kind": kind,
            "kernel": c.get("kernel"),
            "precision": c.get("precision") if compute else None,
            # The fma micro-benchmark runs on the vector (SIMT) units, as the CLI stores it.
            "unit": "simt" if compute else None,
            "level": None if compute else c.get("level"),
            "flop_per_s": float(c["max"]) if compute else math.nan,
            "byte_per_s": math.nan if compute else float(c["max"]),
            "rate_mean_per_s": float(c.get("mean", math.nan)),
            "rate_min_per_s": float(c.get("min", math.nan)),
            "points": int(c.get("points", 0)),
        })
    return pd.DataFrame(rows, columns=CEILING_COLUMNS)


class Database:
    """A results database opened read-only (docs/database.md). Use ``open(path)``."""

    def __init__(self, path: Union[str, os.PathLike]):
        self.path = Path(path)
        if not self.path.is_file():
            raise FileNotFoundError(f"path: {self.path}: no such database file")
        with self.path.open("rb") as f:
            if f.read(16) != _SQLITE_HEADER:
                raise ValueError(f"path: {self.path}: not an SQLite database")
        # mode=ro: a reader must never migrate or otherwise write the file.
        self._db = sqlite3.connect(self.path.resolve().as_uri() + "?mode=ro", uri=True)
        self._db.row_factory = sqlite3.Row
        version, app_id = self._db.execute(
            "SELECT (SELECT user_version FROM pragma_user_version),"
            " (SELECT application_id FROM pragma_application_id)").fetchone()
        if app_id not in (0, _APPLICATION_ID):
            self.close()
            raise ValueError(f"path: {self.path}: not a Ridgeline database "
                             f"(application_id {app_id:#x}, expected {_APPLICATION_ID:#x})")
        if version not in KNOWN_DATABASE_VERSIONS:
            self.close()
            newest = max(KNOWN_DATABASE_VERSIONS)
            if version > newest:
                raise ValueError(f"path: {self.path}: schema version {version} is newer than "
                                 f"this reader's {newest}; upgrade ridgeline")
            raise ValueError(f"path: {self.path}: not a Ridgeline database "
                             f"(schema version {version})")
        self.schema_version = version

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> "Database":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return (f"ridgeline.results.Database({str(self.path)!r}, "
                f"schema version {self.schema_version})")

    def _has_table(self, name: str) -> bool:
        return self._db.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?",
                                (name,)).fetchone() is not None

    def _has_column(self, table: str, column: str) -> bool:
        return self._db.execute("SELECT 1 FROM pragma_table_info(?) WHERE name=?",
                                (table, column)).fetchone() is not None

    def devices(self) -> pd.DataFrame:
        rows = self._db.execute(
            "SELECT id AS device_id, kind, vendor, name, arch, backend, host, catalog_id"
            " FROM devices ORDER BY id").fetchall()
        return pd.DataFrame([dict(r) for r in rows],
                            columns=["device_id", "kind", "vendor", "name", "arch", "backend",
                                     "host", "catalog_id"])

    def _device_ids(self, device: Optional[str]) -> Optional[list]:
        if device is None:
            return None
        if not isinstance(device, str):
            raise TypeError(f"device: expected a string, got {type(device).__name__}")
        devices = self.devices()
        hit = devices[(devices["catalog_id"] == device) | (devices["name"] == device)]
        if hit.empty:
            known = sorted({d for d in devices["catalog_id"].dropna()} | set(devices["name"]))
            raise ValueError(f"device: {device!r} is not in {self.path} "
                             f"(devices there: {', '.join(known) or 'none'})")
        return [int(i) for i in hit["device_id"]]

    def records(self, kernel: Optional[str] = None, device: Optional[str] = None) -> list:
        """The stored measurements as ``ridgeline.measurement/1`` dicts, oldest first."""
        return [r for _, r in self._rows(kernel, device)]

    def _rows(self, kernel, device):
        sql = ("SELECT m.*, d.name AS device_name, d.catalog_id, d.host AS device_host"
               " FROM measurements m JOIN runs r ON r.id = m.run_id"
               " JOIN devices d ON d.id = m.device_id WHERE r.status = 'complete'")
        args: list = []
        if kernel is not None:
            if not isinstance(kernel, str):
                raise TypeError(f"kernel: expected a string, got {type(kernel).__name__}")
            sql += " AND m.kernel = ?"
            args.append(kernel)
        ids = self._device_ids(device)
        if ids is not None:
            sql += f" AND m.device_id IN ({','.join('?' * len(ids))})"
            args.extend(ids)
        for row in self._db.execute(sql + " ORDER BY m.id", args):
            yield row, _record_from_row(row)

    def measurements(self, kernel: Optional[str] = None,
                     device: Optional[str] = None) -> pd.DataFrame:
        """Measurements of complete runs, columns MEASUREMENT_COLUMNS.

        ``device`` is a catalog id or a device name as stored; an unknown one is a ValueError.
        """
        rows = []
        for i, (row, record) in enumerate(self._rows(kernel, device)):
            values = _record_row(record, f"{self.path}: measurement {row['id']}")
            values.update({
                "measurement_id": row["id"],
                "run_id": row["run_id"],
                "device": row["catalog_id"] or row["device_name"],
                "device_name": row["device_name"],
                "catalog_id": row["catalog_id"],
                "host": row["device_host"],
                # The text the database keys on, as written by the C++.
                "problem_text": row["problem_text"],
                "params_text": row["params_text"],
            })
            rows.append(values)
        return _typed_measurements(rows)

    def runs(self) -> pd.DataFrame:
        """Every run (any status), with what it holds: kind ``tuning``, ``roofs`` or ``run``."""
        tuning = self._has_table("tuning_runs")
        # Schema version 5 added the pace; an older file's runs read as NaN.
        pace = ("t.evaluations_per_minute"
                if tuning and self._has_column("tuning_runs", "evaluations_per_minute")
                else "NULL")
        tuning_cols = ("t.kernel, t.variant, t.dtype, t.problem_text, t.strategy, t.stop_reason,"
                       f" t.evaluations, {pace} AS evaluations_per_minute, t.best_measurement_id,"
                       " t.run_id IS NOT NULL AS is_tuning"
                       if tuning else
                       "NULL AS kernel, NULL AS variant, NULL AS dtype, NULL AS problem_text,"
                       " NULL AS strategy, NULL AS stop_reason, NULL AS evaluations,"
                       " NULL AS evaluations_per_minute, NULL AS best_measurement_id,"
                       " 0 AS is_tuning")
        join = " LEFT JOIN tuning_runs t ON t.run_id = r.id" if tuning else ""
        rows = self._db.execute(
            "SELECT r.id AS run_id, r.command, r.status, r.started_at, r.finished_at, r.host,"
            " r.pid, (SELECT COUNT(*) FROM measurements m WHERE m.run_id = r.id) AS measurements,"
            " EXISTS (SELECT 1 FROM roofs f WHERE f.run_id = r.id) AS has_roofs, "
            + tuning_cols + " FROM runs r" + join + " ORDER BY r.id").fetchall()
        records = []
        for r in rows:
            d = dict(r)
            d["kind"] = "tuning" if d.pop("is_tuning") else ("roofs" if d["has_roofs"] else "run")
            d.pop("has_roofs")
            records.append(d)
        frame = pd.DataFrame(records, columns=RUN_COLUMNS)
        for column in ("started_at", "finished_at"):
            frame[column] = pd.to_datetime(frame[column], utc=True, errors="coerce")
        for column in ("run_id", "pid", "measurements", "evaluations", "best_measurement_id"):
            frame[column] = frame[column].astype("Int64")
        frame["evaluations_per_minute"] = frame["evaluations_per_minute"].astype(float)
        return frame

    def wisdom(self) -> pd.DataFrame:
        """Complete tuning runs with their best configuration, the results wisdom chooses from.

        ``best_for_case`` marks the fastest per (device, kernel, variant, dtype, problem).
        """
        if not self._has_table("tuning_runs"):
            return pd.DataFrame(columns=WISDOM_COLUMNS)
        rows = self._db.execute(
            "SELECT t.run_id, t.kernel, t.variant, t.dtype, t.backend, t.problem_text,"
            " t.software_key, t.strategy, t.stop_reason, t.evaluations, t.floor_time_s,"
            " t.best_measurement_id, r.finished_at, d.name AS device_name, d.catalog_id,"
            " m.problem_json, m.params_json, m.params_text, m.time_median_s, m.flop_per_s"
            " FROM tuning_runs t JOIN runs r ON r.id = t.run_id"
            " JOIN devices d ON d.id = t.device_id"
            " JOIN measurements m ON m.id = t.best_measurement_id"
            " WHERE r.status = 'complete' ORDER BY t.run_id").fetchall()
        records = []
        for r in rows:
            d = dict(r)
            records.append({
                "run_id": d["run_id"],
                "device": d["catalog_id"] or d["device_name"],
                "device_name": d["device_name"],
                "catalog_id": d["catalog_id"],
                "backend": d["backend"], "kernel": d["kernel"], "variant": d["variant"],
                "dtype": d["dtype"],
                "problem": json.loads(d["problem_json"]), "problem_text": d["problem_text"],
                "params": json.loads(d["params_json"]), "params_text": d["params_text"],
                "time_s_median": _nan_if_none(d["time_median_s"]),
                "flop_per_s": float(d["flop_per_s"]),
                "floor_time_s": _nan_if_none(d["floor_time_s"]),
                "strategy": d["strategy"], "stop_reason": d["stop_reason"],
                "evaluations": d["evaluations"], "software_key": d["software_key"],
                "best_measurement_id": d["best_measurement_id"],
                "best_for_case": False,
                "date": d["finished_at"],
            })
        frame = pd.DataFrame(records, columns=WISDOM_COLUMNS)
        frame["date"] = pd.to_datetime(frame["date"], utc=True, errors="coerce")
        if not frame.empty:
            case = ["device", "kernel", "variant", "dtype", "problem_text"]
            fastest = frame.groupby(case)["time_s_median"].transform("min")
            frame["best_for_case"] = frame["time_s_median"] == fastest
        return frame

    def ceilings(self, history: bool = False) -> pd.DataFrame:
        """Stored roofs, columns ROOF_COLUMNS.

        By default the current set per device and source: the latest complete run that stored
        any (docs/database.md); ``history=True`` returns every stored set.
        """
        sql = ("SELECT f.*, d.name AS device_name, d.catalog_id FROM roofs f"
               " JOIN runs r ON r.id = f.run_id JOIN devices d ON d.id = f.device_id"
               " WHERE r.status = 'complete'")
        if not history:
            sql += (" AND f.run_id = (SELECT MAX(g.run_id) FROM roofs g JOIN runs s"
                    " ON s.id = g.run_id WHERE s.status = 'complete'"
                    " AND g.device_id = f.device_id AND g.source = f.source)")
        records = []
        for r in self._db.execute(sql + " ORDER BY f.id"):
            compute = r["kind"] == "compute"
            records.append({
                "device": r["catalog_id"] or r["device_name"],
                "source": r["source"], "kind": r["kind"],
                "precision": r["precision"], "unit": r["unit"], "level": r["level"],
                "flop_per_s": r["value"] if compute else math.nan,
                "byte_per_s": math.nan if compute else r["value"],
                "confidence": r["confidence"], "provenance": r["provenance"],
                "measured_at": r["measured_at"], "run_id": r["run_id"],
            })
        frame = pd.DataFrame(records, columns=ROOF_COLUMNS)
        frame["measured_at"] = pd.to_datetime(frame["measured_at"], utc=True, errors="coerce")
        return frame


def _json_column(row: sqlite3.Row, column: str) -> Any:
    text = row[column]
    return None if text is None else json.loads(text)


def _record_from_row(row: sqlite3.Row) -> dict:
    """A measurements row read back as the ``ridgeline.measurement/1`` record it came from."""
    record: dict = {"schema": MEASUREMENT_SCHEMA}
    sections = set()  # the objects spread over several columns ("time_s", "derived")
    for database, _csv, pointer, json_text, copy in MEASUREMENT_COLUMN_TABLE:
        if database is None or pointer is None or copy:
            continue
        value = row[database]
        if json_text and value is not None:
            value = json.loads(value)
        *parents, key = pointer.strip("/").split("/")
        target = record
        for parent in parents:
            if parent not in target:
                sections.add(parent)
            target = target.setdefault(parent, {})
        target[key] = value
    # A section stored as nothing but NULL columns was absent: a failed run has no timing.
    for key in sections:
        if all(v is None for v in record[key].values()):
            record[key] = None
    return record


def open(path: Union[str, os.PathLike]) -> Database:  # noqa: A001 - the contract's name
    """Opens a results database read-only."""
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path: expected a file path, got {type(path).__name__}")
    return Database(path)


def _records_of_document(doc: Any, where: str) -> list:
    if isinstance(doc, list):
        return doc
    if not isinstance(doc, Mapping):
        raise TypeError(f"{where}: expected a JSON object or array, got {type(doc).__name__}")
    schema = doc.get("schema")
    if isinstance(schema, str) and schema.startswith("ridgeline.measurement/"):
        return [doc]
    _schema_major(schema, RESULTS_SCHEMA, where)
    measurements = doc.get("measurements")
    if not isinstance(measurements, list):
        raise ValueError(f"{where}: 'measurements' missing or not a list")
    return measurements


def load(source: Any) -> pd.DataFrame:
    """Measurements from a database path, a JSON file, a JSON document, records, or a DataFrame.

    JSON: ``ridgeline.results/1`` (``ridgeline export``, ``ridgeline --json run``), one
    ``ridgeline.measurement/1`` record, or a list of records. A DataFrame passes through
    unchanged after a check that it has the measurement columns.
    """
    if isinstance(source, pd.DataFrame):
        missing = [c for c in MEASUREMENT_COLUMNS if c not in source.columns]
        if missing:
            raise ValueError(f"source: DataFrame lacks measurement columns: {', '.join(missing)}")
        return source
    if isinstance(source, Database):
        return source.measurements()
    if isinstance(source, (Mapping, list)):
        return measurement_frame(_records_of_document(source, "source"))
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        if not path.is_file():
            raise FileNotFoundError(f"source: {path}: no such file")
        with path.open("rb") as f:
            head = f.read(16)
        if head == _SQLITE_HEADER:
            with Database(path) as db:
                return db.measurements()
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as e:
            raise ValueError(f"source: {path}: neither an SQLite database nor JSON ({e})") from None
        return measurement_frame(_records_of_document(doc, f"source: {path}"))
    raise TypeError("source: expected a database or JSON path, a dict, a list of records or a "
                    f"DataFrame, got {type(source).__name__}")
