"""rl.plot.roofline: measurements of one device on its roofs (log-log, every roof labelled).

Datasheet roofs come from the device catalog and are dashed; measured roofs (`ridgeline
ceilings`, from a database or a ceilings JSON document) are solid. Points are coloured by kernel
and marked by variant; the ridge point where the DRAM roof meets the compute roof that the
points are judged against is marked and labelled. Artists carry a `gid` ("roof:…", "points:…",
"ridge:…") so tests and callers can find them.

A device without a catalog card is drawn on its measured roofs alone, and the title says so
("… (measured roofs, no datasheet)"); with no roofs at all its points are drawn without roofs
and the plot says why.
"""

from __future__ import annotations

import math
import textwrap
from typing import Any, Iterable, Optional

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.ticker import EngFormatter, LogLocator

from .. import results
from . import roofs as roofs_mod
from ._labels import (kernel_label, level_label, place_without_overlap, rate_unit, si,
                      unit_label)

MARKERS = ["o", "s", "^", "D", "v", "P", "X", "<", ">", "h"]
ROOF_STYLE = {"datasheet": dict(linestyle=(0, (5, 3)), color="0.35", linewidth=1.3),
              "measured": dict(linestyle="-", color="0.1", linewidth=1.5)}


def _roof_groups(roofs: pd.DataFrame, kind: str):
    """Roofs of one kind merged when source and value agree (bf16 and f16 tensor are one line)."""
    value = "flop_per_s" if kind == "compute" else "byte_per_s"
    part = roofs[roofs["kind"] == kind]
    groups = []
    for (source, val), rows in part.groupby(["source", value], sort=False):
        if kind == "compute":
            names = [f"{p} {unit_label(u)}" for p, u in zip(rows["precision"], rows["unit"])]
            units = {rate_unit(p) for p in rows["precision"]}
            unit = units.pop() if len(units) == 1 else "(FL)OP/s"
            label = f"{source} {' / '.join(names)}: {si(val, unit)}"
            keys = [f"{p}:{u}" for p, u in zip(rows["precision"], rows["unit"])]
        else:
            levels = " / ".join(level_label(level) for level in rows["level"])
            label = f"{source} {levels}: {si(val, 'B/s')}"
            keys = list(rows["level"])
        groups.append({"source": source, "value": float(val), "label": label,
                       "gid": f"roof:{source}:{kind}:" + ",".join(keys)})
    return groups


def _primary_roof(points: pd.DataFrame, roofs: pd.DataFrame, source: str):
    """The compute roof most points are judged against (their dominant precision and unit)."""
    compute = roofs[(roofs["kind"] == "compute") & (roofs["source"] == source)]
    if compute.empty:
        return None
    if not points.empty:
        key = points.groupby(["flop_precision", "flop_unit"]).size().idxmax()
        hit = compute[(compute["precision"] == key[0]) & (compute["unit"] == key[1])]
        if not hit.empty:
            return hit.iloc[0]
    simt = compute[compute["unit"] == "simt"]
    return (simt if not simt.empty else compute).sort_values("flop_per_s").iloc[-1]


def roofline(data: Any = None, device: Optional[str] = None, ax=None, *, roofs: Any = None,
             catalog: Any = None, precisions: Optional[Iterable[str]] = None,
             kernels: Optional[Iterable[str]] = None, title: Optional[str] = None):
    """Draws `device`'s roofs and the measurements of `data` on it; returns the Axes.

    data: a measurement DataFrame (results.load), a database path or Database (its measured
      roofs are drawn too), a ``ridgeline export``/``--json run`` file or dict; None for roofs
      only (then `device` is required).
    device: catalog id or device name as in the data's ``device`` column; may be left out when
      the data holds one device.
    roofs: measured roofs to add: a database, a ``ridgeline --json ceilings`` document or file,
      or a roof DataFrame.
    precisions: compute roofs to draw (default: every one the card lists and the points' own).
    kernels: only these kernels' points.
    """
    if device is not None and not isinstance(device, str):
        raise TypeError("device: expected a catalog id or device name, got "
                        f"{type(device).__name__}")
    if data is None:
        if device is None:
            raise ValueError("device: required when there is no data (roofs only)")
        frame, db_roofs = results.measurement_frame([]), None
    else:
        frame, db_roofs = roofs_mod.measurements_and_db_roofs(data)
        if frame.empty:
            raise ValueError("data: no measurements to plot (pass data=None and device=… for "
                             "roofs only)")
    if device is None:
        devices = sorted(frame["device"].dropna().unique())
        if len(devices) != 1:
            raise ValueError(f"device: data holds several devices ({', '.join(devices)}); pick one")
        device = devices[0]
    if not frame.empty:
        mine = frame[(frame["device"] == device) | (frame["device_name"] == device)]
        if mine.empty:
            known = ", ".join(sorted(frame["device"].dropna().unique()))
            raise ValueError(f"device: {device!r} has no measurements in data (devices there: "
                             f"{known})")
        frame = mine
        catalog_ids = frame["catalog_id"].dropna().unique()
        card_id = catalog_ids[0] if len(catalog_ids) else device
    else:
        card_id = device
    if kernels is not None:
        kernels = [kernels] if isinstance(kernels, str) else list(kernels)
        frame = frame[frame["kernel"].isin(kernels)]

    cards = roofs_mod.load_catalog(catalog)
    card = cards.get(card_id)
    roof_frames = []
    if card is not None:
        roof_frames.append(card.roofs)
    for source in (db_roofs, roofs):
        if source is not None:
            measured = roofs_mod.measured_roofs(source, device=card_id)
            roof_frames.append(measured[measured["device"].isin([card_id, device])])
    all_roofs = pd.concat([f for f in roof_frames if not f.empty], ignore_index=True) \
        if any(not f.empty for f in roof_frames) else pd.DataFrame(columns=results.ROOF_COLUMNS)
    if all_roofs.empty and data is None:
        raise ValueError(f"device: {device!r} is not a catalog card with known roofs and no "
                         f"measured roofs were given (catalog: {', '.join(sorted(cards))})")
    # Measurements without any roof (no card, no ceilings) are still drawn, and the plot says
    # why there is no roof: a missing datasheet is a state of the data, not a misuse.

    ok = (frame["status"] == "ok") & (frame["flop_per_s"] > 0) & \
        (frame["arithmetic_intensity_flop_per_byte"] > 0)
    points, unplaced = frame[ok], frame[~ok]
    if precisions is not None:
        keep = set([precisions] if isinstance(precisions, str) else precisions)
        keep |= set(points["flop_precision"].dropna())
        is_compute = all_roofs["kind"] == "compute"
        all_roofs = all_roofs[~is_compute | all_roofs["precision"].isin(keep)]

    if ax is None:
        _, ax = plt.subplots(figsize=(11, 6.5), layout="constrained")
    _draw(ax, all_roofs, points, unplaced, card, device, title)
    return ax


def _roof_below_achieved(points: pd.DataFrame, roofs: pd.DataFrame) -> pd.DataFrame:
    """The points some roof set is below by more than results.ROOF_TOLERANCE, judged as drawn:
    per source, min(compute roof of the point's precision and unit, DRAM roof × intensity). Such
    a point says that roof set is wrong or stale (docs/design.md, "Placements above the roof")."""
    if points.empty or roofs.empty:
        return points.iloc[0:0]
    keep = []
    for index, p in points.iterrows():
        for _, roof_set in roofs.groupby("source", sort=False):
            attainable = roofs_mod.attainable_flop_per_s(
                roof_set, p["flop_precision"], p["flop_unit"],
                p["arithmetic_intensity_flop_per_byte"])
            if results.exceeds_roof(p["flop_per_s"], attainable):
                keep.append(index)
                break
    return points.loc[keep]


def _unplaced_reason(row) -> str:
    """Why a measurement has no point: its status, or the count it lacks (an imported launch may
    have FLOPs but no DRAM bytes, or no time)."""
    if row.status != "ok":
        return row.status
    if isinstance(row.reason, str) and row.reason:  # an imported launch says why (docs/import.md)
        return textwrap.shorten(row.reason, 70, placeholder=" ...")
    if not row.flops > 0:
        return "no FLOPs"
    if not row.time_s_median > 0:
        return "no time"
    return "no DRAM bytes"


def _limits(roofs: pd.DataFrame, points: pd.DataFrame):
    compute = roofs.loc[roofs["kind"] == "compute", "flop_per_s"]
    bandwidth = roofs.loc[roofs["kind"] == "bandwidth", "byte_per_s"]
    ridges = [c / b for c in compute for b in bandwidth]
    xs = list(points["arithmetic_intensity_flop_per_byte"]) + ridges
    ys = list(points["flop_per_s"]) + list(compute)
    x_lo = min(xs) / 8 if xs else 0.1
    x_hi = max(xs) * 8 if xs else 1e3
    x_lo, x_hi = 10 ** math.floor(math.log10(x_lo)), 10 ** math.ceil(math.log10(x_hi))
    if not ys:  # neither roofs nor placed points: an empty frame around the "not placed" list
        return (x_lo, x_hi), (1e9, 1e12)
    y_hi = max(ys) * 4
    lows = list(points["flop_per_s"]) + [b * x_lo for b in bandwidth] + list(compute)
    y_lo = 10 ** math.floor(math.log10(max(min(lows) / 3, y_hi * 1e-7)))
    return (x_lo, x_hi), (y_lo, y_hi)


def _draw(ax, roofs, points, unplaced, card, device, title):
    ax.set_xscale("log")
    ax.set_yscale("log")
    (x_lo, x_hi), (y_lo, y_hi) = _limits(roofs, points)
    ax.set_xlim(x_lo, x_hi)
    ax.set_ylim(y_lo, y_hi)
    compute_groups = _roof_groups(roofs, "compute")
    bandwidth_groups = _roof_groups(roofs, "bandwidth")
    labels, ridge_labels = [], []

    for g in bandwidth_groups:
        same = [c["value"] for c in compute_groups if c["source"] == g["source"]] or \
            [c["value"] for c in compute_groups]
        top = max(same) if same else y_hi
        x_end = min(top / g["value"], x_hi)
        ax.plot([x_lo, x_end], [g["value"] * x_lo, g["value"] * x_end], gid=g["gid"],
                **ROOF_STYLE[g["source"]])
        g["x_end"] = x_end
    for g in compute_groups:
        same = [b["value"] for b in bandwidth_groups if b["source"] == g["source"]] or \
            [b["value"] for b in bandwidth_groups]
        x_start = max(g["value"] / max(same), x_lo) if same else x_lo
        ax.plot([x_start, x_hi], [g["value"], g["value"]], gid=g["gid"], **ROOF_STYLE[g["source"]])
        g["x_start"] = x_start

    # Ridge points: the DRAM roof meets the points' compute roof; without a DRAM roof, measured
    # roofs use the outermost level measured (as compare_cards does: roofs.bandwidth_roof) and
    # datasheet roofs the slowest level listed.
    for source in ("datasheet", "measured"):
        primary = _primary_roof(points, roofs, source)
        bw = roofs[(roofs["kind"] == "bandwidth") & (roofs["source"] == source)]
        if primary is None or bw.empty:
            continue
        chosen = roofs_mod.bandwidth_roof(bw)
        dram = bw[bw["level"] == (chosen[0] if chosen else "dram")]
        b = (dram if not dram.empty else bw.sort_values("byte_per_s")).iloc[0]
        ridge = primary["flop_per_s"] / b["byte_per_s"]
        ax.plot([ridge], [primary["flop_per_s"]], marker="D", markersize=8, color="white",
                markeredgecolor="black", markeredgewidth=1.5, linestyle="none", zorder=5,
                gid=f"ridge:{source}:{primary['precision']}:{primary['unit']}:{b['level']}")
        ax.plot([ridge, ridge], [y_lo, primary["flop_per_s"]], linestyle=":", color="0.5",
                linewidth=1, zorder=1)
        text = ax.text(ridge, y_lo, f"ridge ({source}, {primary['precision']} "
                       f"{unit_label(primary['unit'])} / {level_label(b['level'])}): "
                       f"{ridge:.3g} FLOP/B", fontsize=8, color="0.2", gid=f"label:ridge:{source}")
        y = primary["flop_per_s"]
        cands = []
        for f in (1.25, 2.2, 4.0, 7.0, 12.0, 25.0, 50.0, 100.0):
            cands += [(ridge * 1.12, y / f, dict(ha="left", va="top")),
                      (ridge / 1.12, y / f, dict(ha="right", va="top"))]
        ridge_labels.append((text, cands))

    # Measurement points: colour = kernel, marker = variant.
    kernel_names = sorted(points["kernel"].unique())
    variant_names = sorted(points["variant"].unique())
    colours = {k: matplotlib.colormaps["tab10"](i % 10) for i, k in enumerate(kernel_names)}
    markers = {v: MARKERS[i % len(MARKERS)] for i, v in enumerate(variant_names)}
    for (kernel, variant), rows in points.groupby(["kernel", "variant"]):
        ax.scatter(rows["arithmetic_intensity_flop_per_byte"], rows["flop_per_s"], s=55,
                   color=colours[kernel], marker=markers[variant], edgecolors="black",
                   linewidths=0.6, zorder=6, gid=f"points:{kernel}:{variant}")
    # A point above a roof is an error of the roofs, not a result: ringed, and named in the legend.
    above = _roof_below_achieved(points, roofs)
    if not above.empty:
        ax.scatter(above["arithmetic_intensity_flop_per_byte"], above["flop_per_s"], s=220,
                   facecolors="none", edgecolors="#d62728", linewidths=1.6, zorder=7,
                   gid="roof_below_achieved")

    # Plain decimals: FLOP/B is a ratio, and "10m" would read as metres or milli-FLOP.
    ax.xaxis.set_major_formatter(lambda v, _: f"{v:g}")
    ax.yaxis.set_major_formatter(EngFormatter(unit="FLOP/s"))
    ax.xaxis.set_major_locator(LogLocator(base=10))
    ax.set_xlabel("arithmetic intensity (FLOP per byte of DRAM traffic)")
    ax.set_ylabel("performance")
    ax.grid(True, which="major", color="0.9", linewidth=0.8)
    if card is not None:
        name = f"{card.name} ({device})"
        # Legend entries for the roof styles drawn only: a card that publishes no roofs (an
        # imported device's, often) draws none.
        handles = [Line2D([], [], **ROOF_STYLE[source], label=f"{source} roof")
                   for source in ("datasheet", "measured") if (roofs["source"] == source).any()]
    elif not roofs.empty:
        name = f"{device} ({roofs_mod.STAND_IN_LABEL})"
        handles = [Line2D([], [], **ROOF_STYLE["measured"],
                          label="measured roof (no catalog card:\nno datasheet roofs)")]
    else:
        name = f"{device} (no catalog card, no measured roofs)"
        handles = []
    if roofs.empty:
        why = roofs_mod.NO_ROOFS_REASON if card is None else \
            f"the catalog card {card.id} publishes no roofs and no measured roofs were given"
        ax.text(0.5, 0.98, "no roofs: " + why, transform=ax.transAxes, ha="center", va="top",
                fontsize=8, color="0.3", gid="noroofs")
    ax.set_title(title or f"Roofline: {name}")

    if not roofs.empty:
        handles += [Line2D([], [], marker="D", color="white", markeredgecolor="black",
                           linestyle="none", label="ridge point")]
    handles += [Line2D([], [], marker="o", linestyle="none", color=colours[k],
                       markeredgecolor="black", label=f"kernel: {kernel_label(k)}")
                for k in kernel_names]
    handles += [Line2D([], [], marker=markers[v], linestyle="none", color="0.7",
                       markeredgecolor="black", label=f"variant: {v}") for v in variant_names]
    if not above.empty:
        handles.append(Line2D([], [], marker="o", markersize=11, linestyle="none",
                              markerfacecolor="none", markeredgecolor="#d62728",
                              label="roof below achieved:\nroof set wrong or stale"))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8,
              frameon=False)
    if not unplaced.empty:
        why = sorted({f"{kernel_label(r.kernel)} {r.variant} ({_unplaced_reason(r)})"
                      for r in unplaced.itertuples()})
        ax.text(1.01, 0.0, "not placed:\n" + "\n".join(why), transform=ax.transAxes,
                fontsize=7, va="bottom", ha="left", color="0.3", gid="unplaced")

    # Labels last: their places depend on the final axes size (constrained layout and the
    # legend move the axes), so the layout is settled first.
    if hasattr(ax.figure, "draw_without_rendering"):  # matplotlib >= 3.6
        ax.figure.draw_without_rendering()
    else:
        ax.figure.canvas.draw()
    renderer = ax.figure.canvas.get_renderer()
    # Roof labels after the points, placed where they overlap nothing placed before.
    for g in sorted(compute_groups, key=lambda g: -g["value"]):
        text = ax.text(0, 0, g["label"], fontsize=8, color=ROOF_STYLE[g["source"]]["color"],
                       gid="label:" + g["gid"])
        # Right-aligned positions whose left end stays on the line (after its start).
        width_px = text.get_window_extent(renderer).width
        px_per_decade = (ax.transData.transform((10.0, 1.0))[0]
                         - ax.transData.transform((1.0, 1.0))[0])
        first = max(g["x_start"], x_lo) * 1.05 * 10 ** (width_px / px_per_decade)
        cands = []
        for xs in (np.geomspace(x_hi / 1.1, min(first, x_hi / 1.1), 12),
                   np.geomspace(x_hi / 1.1, max(g["x_start"], x_lo) * 1.05, 16)):
            cands += [(x, g["value"] * 1.06, dict(ha="right", va="bottom")) for x in xs]
            cands += [(x, g["value"] / 1.06, dict(ha="right", va="top")) for x in xs]
        labels.append((text, cands))
    renderer = ax.figure.canvas.get_renderer()
    for g in bandwidth_groups:
        text = ax.text(0, 0, g["label"], fontsize=8, color=ROOF_STYLE[g["source"]]["color"],
                       gid="label:" + g["gid"], rotation_mode="anchor")
        p0 = ax.transData.transform((x_lo, g["value"] * x_lo))
        p1 = ax.transData.transform((x_lo * 10, g["value"] * x_lo * 10))
        angle = math.degrees(math.atan2(p1[1] - p0[1], p1[0] - p0[0]))
        start = max(x_lo * 1.3, y_lo * 1.5 / g["value"])
        xs = np.geomspace(start, max(g["x_end"] / 4, start), 16)
        cands = [(x, g["value"] * x * 1.12, dict(ha="left", va="bottom", rotation=angle))
                 for x in xs]
        cands += [(x, g["value"] * x / 1.12, dict(ha="left", va="top", rotation=angle))
                  for x in xs]
        labels.append((text, cands))
    # Ridge labels last: they have the most room (anywhere below the ridge).
    place_without_overlap(ax, labels + ridge_labels, renderer)

