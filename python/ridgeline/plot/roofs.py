"""Roofs for plotting: datasheet roofs from the device catalog, measured roofs from results.

Pure Python (PyYAML): reading `configs/devices/*.yaml` needs no compiled module, so a laptop can
draw an H20's roofs without ever building Ridgeline. The C++ loader (roofline/device_catalog.hpp)
is the strict validator of the catalog; this reader trusts files that loader accepts and only
converts their numbers to base units (docs/device-catalog.md, "Numbers").

A device without a catalog card (a VM whose CPU model the hypervisor hides, a card not yet in the
catalog) has no datasheet: the plots judge it by its measured roofs instead and say so
(STAND_IN_LABEL); a device with neither is listed as not placed, with that reason.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Optional, Union

import pandas as pd

from .. import _paths, results

# Unit -> factor to the base unit (FLOP/s, OP/s, B/s, B, W); decimal prefixes are powers of
# 1000, binary ones of 1024, as in docs/device-catalog.md.
_UNIT_FACTORS = {
    "FLOP/s": 1.0, "kFLOP/s": 1e3, "MFLOP/s": 1e6, "GFLOP/s": 1e9, "TFLOP/s": 1e12,
    "PFLOP/s": 1e15,
    "OP/s": 1.0, "kOP/s": 1e3, "MOP/s": 1e6, "GOP/s": 1e9, "TOP/s": 1e12, "POP/s": 1e15,
    "B/s": 1.0, "kB/s": 1e3, "KiB/s": 1024.0, "MB/s": 1e6, "MiB/s": 1024.0 ** 2,
    "GB/s": 1e9, "GiB/s": 1024.0 ** 3, "TB/s": 1e12, "TiB/s": 1024.0 ** 4,
    "W": 1.0, "kW": 1e3,
}


# How the plots name a device judged by its measured roofs because it has no catalog card.
STAND_IN_LABEL = "measured roofs, no datasheet"
NO_ROOFS_REASON = ("no catalog card and no measured roofs (run `ridgeline ceilings` on it, or "
                   "pass roofs=)")


@dataclass
class Card:
    """One catalog card: identity, datasheet roofs (ROOF_COLUMNS) and economics."""
    id: str
    name: str
    vendor: str
    kind: str
    roofs: pd.DataFrame
    board_power_w: Optional[float] = None
    board_power_source: Optional[str] = None
    price_per_card: Optional[float] = None
    price_currency: Optional[str] = None
    price_source: Optional[str] = None
    unknown: list = field(default_factory=list)  # "f32 simt", "dram": listed but not published


def catalog_dir(directory: Union[str, os.PathLike, None] = None) -> Path:
    """The catalog directory: the argument, else what the package uses (ridgeline._paths:
    $RIDGELINE_CATALOG as for the CLI, the installed data copy, or the source tree)."""
    if directory is None:
        return Path(_paths.catalog_dir())
    if not isinstance(directory, (str, os.PathLike)):
        raise TypeError(f"catalog: expected a directory path, got {type(directory).__name__}")
    path = Path(directory)
    if not path.is_dir():
        raise FileNotFoundError(f"catalog: {path}: no such directory")
    return path


def _number(entry: Mapping[str, Any], where: str) -> Optional[float]:
    if entry.get("confidence") == "unknown":
        return None
    unit = entry.get("unit")
    if unit not in _UNIT_FACTORS:
        raise ValueError(f"{where}.unit: unknown unit {unit!r}")
    return float(entry["value"]) * _UNIT_FACTORS[unit]


def _read_card(path: Path) -> Card:
    try:
        import yaml  # imported here so that `import ridgeline` never needs it
    except ImportError as e:
        raise ImportError("reading the device catalog needs PyYAML: pip install pyyaml") from e
    with path.open(encoding="utf-8") as f:
        doc = yaml.safe_load(f)
    where = path.name
    if not isinstance(doc, Mapping) or doc.get("schema") != "ridgeline.device/1":
        raise ValueError(f"{where}: schema: expected 'ridgeline.device/1'")
    card_id = path.stem
    rows, unknown = [], []
    for unit, precisions in (doc.get("compute") or {}).items():
        for precision, entry in (precisions or {}).items():
            value = _number(entry, f"{where}: compute.{unit}.{precision}")
            if value is None:
                unknown.append(f"{precision} {unit}")
                continue
            rows.append({"device": card_id, "source": "datasheet", "kind": "compute",
                         "precision": precision, "unit": unit, "level": None,
                         "flop_per_s": value, "byte_per_s": math.nan,
                         "confidence": entry.get("confidence"),
                         "provenance": entry.get("source"), "measured_at": pd.NaT,
                         "run_id": pd.NA})
    for level, entry in (doc.get("bandwidth") or {}).items():
        value = _number(entry, f"{where}: bandwidth.{level}")
        if value is None:
            unknown.append(level)
            continue
        rows.append({"device": card_id, "source": "datasheet", "kind": "bandwidth",
                     "precision": None, "unit": None, "level": level,
                     "flop_per_s": math.nan, "byte_per_s": value,
                     "confidence": entry.get("confidence"), "provenance": entry.get("source"),
                     "measured_at": pd.NaT, "run_id": pd.NA})
    card = Card(id=card_id, name=doc.get("name", card_id), vendor=doc.get("vendor", ""),
                kind=doc.get("kind", ""), roofs=pd.DataFrame(rows, columns=results.ROOF_COLUMNS),
                unknown=unknown)
    economics = doc.get("economics") or {}
    power = economics.get("board_power")
    if power is not None:
        card.board_power_w = _number(power, f"{where}: economics.board_power")
        card.board_power_source = power.get("source")
    price = economics.get("price")
    if price is not None:
        cards = int(price.get("cards", 1)) if price.get("per", "card") == "server" else 1
        card.price_per_card = float(price["amount"]) / cards
        card.price_currency = price.get("currency")
        card.price_source = price.get("source")
    return card


def load_catalog(catalog: Union[str, os.PathLike, None] = None) -> dict:
    """Every card of a catalog directory, by id."""
    directory = catalog_dir(catalog)
    return {p.stem: _read_card(p) for p in sorted(directory.glob("*.yaml"))}


def catalog_frame(catalog: Union[str, os.PathLike, None] = None) -> pd.DataFrame:
    """All datasheet roofs of the catalog in one frame (ROOF_COLUMNS)."""
    frames = [c.roofs for c in load_catalog(catalog).values() if not c.roofs.empty]
    return pd.concat(frames, ignore_index=True) if frames else \
        pd.DataFrame(columns=results.ROOF_COLUMNS)


def measured_roofs(source: Any, device: Optional[str] = None) -> pd.DataFrame:
    """Measured roofs (ROOF_COLUMNS, source 'measured') from a database path or Database, a
    ``ridgeline.ceilings/1`` document or JSON file, or a roof/ceilings DataFrame."""
    if isinstance(source, results.Database):
        frame = source.ceilings()
    elif isinstance(source, pd.DataFrame):
        frame = source
    elif isinstance(source, Mapping):
        frame = results.ceilings_frame(source)
    elif isinstance(source, (str, os.PathLike)):
        path = Path(source)
        if not path.is_file():
            raise FileNotFoundError(f"roofs: {path}: no such file")
        with path.open("rb") as f:
            is_sqlite = f.read(16) == b"SQLite format 3\x00"
        if is_sqlite:
            with results.open(path) as db:
                frame = db.ceilings()
        else:
            frame = results.ceilings_frame(json.loads(path.read_text(encoding="utf-8")))
    else:
        raise TypeError("roofs: expected a database, a ceilings JSON document or path, or a "
                        f"DataFrame, got {type(source).__name__}")
    missing = [c for c in ("source", "kind", "precision", "unit", "level", "flop_per_s",
                           "byte_per_s") if c not in frame.columns]
    if missing:
        raise ValueError(f"roofs: frame lacks roof columns: {', '.join(missing)}")
    frame = frame[frame["source"] == "measured"].copy()
    if "kernel" in frame.columns:
        # A ceilings document has one ceiling per micro-benchmark; the stored roof of a level
        # is the `load` (read) sweep's, as `ridgeline ceilings` records it
        # (kernels/ceilings/ceilings.cpp, ceilings_result::roofs).
        frame = frame[(frame["kind"] == "compute") | (frame["kernel"] == "load")].copy()
    if "device" not in frame.columns or frame["device"].isna().all():
        # A ceilings document does not say which device it measured: the caller's device.
        frame["device"] = device
    elif device is not None:
        frame = frame[frame["device"] == device]
    return frame.reindex(columns=results.ROOF_COLUMNS).reset_index(drop=True)


def measurements_and_db_roofs(data: Any):
    """Measurements of `data` (results.load), and the measured roofs stored beside them when it
    is a database (a Database or an SQLite path); None for other sources."""
    if isinstance(data, results.Database):
        return data.measurements(), data.ceilings()
    if isinstance(data, (str, os.PathLike)) and os.path.isfile(data):
        with open(data, "rb") as f:
            if f.read(16) == b"SQLite format 3\x00":
                with results.open(data) as db:
                    return db.measurements(), db.ceilings()
    return results.load(data), None


def measured_roofs_by_device(source: Any, devices) -> dict:
    """Measured roofs for `devices` (names as in a measurement frame's ``device`` column): device
    -> ROOF_COLUMNS frame, for those `source` has roofs of.

    source: None; a mapping device -> one measured_roofs() source; or one source: a database or
    roof DataFrame (matched by its ``device`` column), or a ceilings document or file, which
    names no device and so is taken for the only device of `devices` (ambiguous otherwise).
    """
    devices = list(dict.fromkeys(devices))
    if source is None or not devices:
        return {}
    if isinstance(source, Mapping) and "schema" not in source:
        found = {}
        for device, one in source.items():
            frame = measured_roofs(one, device=device)
            frame = frame[frame["device"] == device]
            if not frame.empty:
                found[device] = frame.reset_index(drop=True)
        return found
    frame = measured_roofs(source)
    if frame["device"].isna().all():
        if frame.empty:
            return {}
        if len(devices) != 1:
            raise ValueError("roofs: a ceilings document names no device, and "
                             f"{len(devices)} devices lack a catalog card "
                             f"({', '.join(devices) or 'none'}); pass {{device: roofs}}")
        frame = frame.assign(device=devices[0])
    return {d: rows.reset_index(drop=True) for d, rows in frame.groupby("device", sort=False)
            if d in devices}


# Memory levels from the cores outwards; the fallback below takes the outermost one measured.
_LEVEL_ORDER = {"l1": 0, "shared": 0, "l2": 1, "llc": 2, "dram": 3}


def bandwidth_roof(roofs: pd.DataFrame, level: str = "dram"):
    """(level, byte_per_s) of the bandwidth roof that ridge points and attainable performance use:
    the `level` roof; for a set of measured roofs without one, the outermost level measured (a
    sweep capped below DRAM, as in RIDGELINE_QUICK, ends at a cache level; the slowest of equals).
    None without one. A datasheet set without the `level` roof has none: its bandwidth is
    unknown, not replaced by a cache's."""
    bandwidth = roofs[(roofs["kind"] == "bandwidth") & roofs["byte_per_s"].notna()]
    hit = bandwidth[bandwidth["level"] == level]
    if not hit.empty:
        return level, float(hit["byte_per_s"].max())
    if bandwidth.empty or not (bandwidth["source"] == "measured").all():
        return None
    order = bandwidth["level"].map(lambda v: _LEVEL_ORDER.get(v, -1))
    outer = bandwidth[order == order.max()]
    slowest = outer.loc[outer["byte_per_s"].idxmin()]
    return slowest["level"], float(slowest["byte_per_s"])


RIDGE_COLUMNS = ["device", "source", "precision", "unit", "flop_per_s", "byte_per_s",
                 "ridge_flop_per_byte", "level"]


def ridge_points(roofs: pd.DataFrame, level: str = "dram") -> pd.DataFrame:
    """Where each compute roof meets the `level` bandwidth roof of the same device and source:
    columns device, source, precision, unit, flop_per_s, byte_per_s, ridge_flop_per_byte, level
    (the bandwidth roof's level: `level`, or for measured roofs without it the outermost level
    measured, see bandwidth_roof)."""
    rows = []
    for (device, source), group in roofs.groupby(["device", "source"], sort=False, dropna=False):
        bandwidth = bandwidth_roof(group, level)
        if bandwidth is None:
            continue
        for c in group[group["kind"] == "compute"].itertuples(index=False):
            rows.append({"device": device, "source": source, "precision": c.precision,
                         "unit": c.unit, "flop_per_s": c.flop_per_s, "byte_per_s": bandwidth[1],
                         "ridge_flop_per_byte": c.flop_per_s / bandwidth[1],
                         "level": bandwidth[0]})
    return pd.DataFrame(rows, columns=RIDGE_COLUMNS)


def attainable_flop_per_s(roofs: pd.DataFrame, precision: str, unit: str,
                          intensity_flop_per_byte: float, level: str = "dram") -> float:
    """min(compute roof, bandwidth roof × intensity) for one roof set; NaN without both roofs.
    The bandwidth roof is bandwidth_roof(roofs, level)'s."""
    compute = roofs[(roofs["kind"] == "compute") & (roofs["precision"] == precision)
                    & (roofs["unit"] == unit)]["flop_per_s"]
    bandwidth = bandwidth_roof(roofs, level)
    if compute.empty or bandwidth is None:
        return math.nan
    return float(min(compute.max(), bandwidth[1] * intensity_flop_per_byte))
