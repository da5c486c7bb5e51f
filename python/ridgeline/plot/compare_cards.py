"""rl.plot.compare_cards: achieved vs peak per card and problem, side by side.

For every problem measured somewhere, each card's *attainable* performance follows from its
datasheet roofs and the problem's arithmetic intensity (a property of the problem, not the card):
min(compute roof, DRAM roof × intensity). Cards with measurements also show what they achieved
and its fraction of that roof; cards without measurements show the datasheet roof only, hatched
and marked "datasheet only". Where the catalog lists board power (and price), the same numbers
per watt (and per unit of money) answer the buyer's question.

A measured device without a catalog card (no datasheet) is judged by its measured roofs instead
— the ceilings stored in its database or passed as `roofs` — and labelled "measured roofs, no
datasheet"; a device with neither is listed as not placed, with that reason.
"""

from __future__ import annotations

import math
import textwrap
from typing import Any, Iterable, Mapping, Optional

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.colors import ListedColormap
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import EngFormatter, LogLocator, NullFormatter

from .. import results
from . import roofs as roofs_mod
from ._labels import kernel_label, level_label, unit_label


def _frames(data: Any):
    """All measurements of `data` in one frame, and the measured roofs stored in its databases
    by device (the newest set where several databases hold one for the same device)."""
    if data is None:
        return results.measurement_frame([]), {}
    if isinstance(data, Mapping) and "schema" not in data:
        sources = list(data.values())
    elif isinstance(data, (list, tuple)) and data and not isinstance(data[0], Mapping):
        sources = list(data)
    else:
        sources = [data]
    parts, stored = [], {}
    for source in sources:
        frame, db_roofs = roofs_mod.measurements_and_db_roofs(source)
        if not frame.empty:
            parts.append(frame)
        if db_roofs is None:
            continue
        for device, rows in roofs_mod.measured_roofs(db_roofs).groupby("device", sort=False):
            newest = rows["measured_at"].max()
            if device not in stored or newest > stored[device]["measured_at"].max():
                stored[device] = rows.reset_index(drop=True)
    frame = pd.concat(parts, ignore_index=True) if parts else results.measurement_frame([])
    return frame, stored


def _short_problems(problems: pd.DataFrame) -> list:
    """Problem labels without the fields all problems of a kernel share (they tell none apart)."""
    labels = []
    for _, p in problems.iterrows():
        same_kernel = problems[problems["kernel"] == p["kernel"]]
        fields = p["problem"]
        varying = [k for k in fields
                   if len({str(q.get(k)) for q in same_kernel["problem"]}) > 1]
        keys = varying or [k for k in fields if k not in ("alpha", "beta")][:4]
        text = ",".join(f"{k}={fields[k]}" for k in keys)
        # Wrap between fields, never inside one (textwrap splits only at spaces).
        parts = text.split(",")
        # An imported kernel is named as its profiler wrote it (a whole C++ signature, no
        # problem fields): wrapped, its last line continues with the dtype.
        *lines, line = kernel_label(p["kernel"], width=30).split("\n")
        line = f"{line} {p['dtype']} {parts[0]}".rstrip()
        for part in parts[1:]:
            if len(line) + 1 + len(part) > 30:
                lines.append(line + ",")
                line = part
            else:
                line += "," + part
        lines.append(line)
        labels.append("\n".join(lines))
    return labels


def _problem_table(frame: pd.DataFrame) -> pd.DataFrame:
    ok = frame[(frame["status"] == "ok") & (frame["flop_per_s"] > 0)
               & (frame["arithmetic_intensity_flop_per_byte"] > 0)]
    key = ["kernel", "dtype", "problem_text", "flop_precision", "flop_unit"]
    rows = []
    for values, group in ok.groupby(key, sort=False):
        rows.append(dict(zip(key, values), problem=group["problem"].iloc[0],
                         intensity=float(group["arithmetic_intensity_flop_per_byte"].median())))
    return pd.DataFrame(rows, columns=key + ["problem", "intensity"])


def _best(frame: pd.DataFrame, card: str, problem: pd.Series, stand_in: bool = False):
    # A device judged by measured roofs has no catalog id: its name is its `device`.
    mine = (frame["catalog_id"].isna() & (frame["device"] == card)) if stand_in \
        else (frame["catalog_id"] == card)
    rows = frame[mine & (frame["status"] == "ok")
                 & (frame["kernel"] == problem["kernel"]) & (frame["dtype"] == problem["dtype"])
                 & (frame["problem_text"] == problem["problem_text"])]
    if rows.empty:
        return None
    return rows.loc[rows["flop_per_s"].idxmax()]


def _unplaced_text(unplaced: list) -> list:
    return [f"{u['device']} ({u['measurements']} measurements): {u['reason']}" for u in unplaced]


def compare_table(data: Any = None, kernel: Optional[str] = None, *,
                  cards: Optional[Iterable[str]] = None, catalog: Any = None,
                  roofs: Any = None) -> pd.DataFrame:
    """The numbers compare_cards draws: one row per card and problem.

    Columns: card, card_name, measured (bool), kernel, dtype, problem_text, precision, unit,
    arithmetic_intensity_flop_per_byte, attainable_flop_per_s, bound, achieved_flop_per_s,
    variant, fraction_of_attainable, board_power_w, attainable_flop_per_s_per_w,
    achieved_flop_per_s_per_w, price_per_card, price_currency, attainable_flop_per_s_per_price,
    achieved_flop_per_s_per_price, roofs ('datasheet', or 'measured' for a device without a
    catalog card), bandwidth_level (the bandwidth roof of attainable: 'dram', or the outermost
    level measured when a measured set has no DRAM roof), roof_below_achieved (the roof is below
    what the card achieved by more than results.ROOF_TOLERANCE: its roof set is wrong or stale,
    and fraction_of_attainable, kept as the plain ratio, measures nothing; compare_cards draws
    no fraction bar for it).

    roofs: measured roofs for devices without a catalog card, besides those stored in the
      databases of `data` (which they override): a database, a roof DataFrame, a ceilings
      document or file (taken for the only card-less device), or a dict device -> one of those.
    Devices with neither a card nor measured roofs have no row; ``.attrs["unplaced"]`` lists
    them (dicts: device, device_name, measurements, reason).
    """
    frame, stored = _frames(data)
    if kernel is not None:
        if not isinstance(kernel, str):
            raise TypeError(f"kernel: expected a kernel name, got {type(kernel).__name__}")
        if not frame.empty and kernel not in set(frame["kernel"]):
            raise ValueError(f"kernel: no measurements of {kernel!r} in data (kernels there: "
                             f"{', '.join(sorted(set(frame['kernel'])))})")
        frame = frame[frame["kernel"] == kernel]
    catalog_cards = roofs_mod.load_catalog(catalog)
    # Measured devices in the order the data holds them: catalog cards by id, the others by name.
    measured_devices = list(dict.fromkeys(
        (cid, False) if isinstance(cid, str) else (dev, True)
        for dev, cid in zip(frame["device"], frame["catalog_id"])))
    cardless = [dev for dev, no_card in measured_devices if no_card]
    stand_ins = dict(stored)
    stand_ins.update(roofs_mod.measured_roofs_by_device(roofs, cardless))
    unplaced = []
    for dev in cardless:
        if dev not in stand_ins or stand_ins[dev].empty:
            rows = frame[frame["catalog_id"].isna() & (frame["device"] == dev)]
            unplaced.append({"device": dev, "device_name": rows["device_name"].iloc[0],
                             "measurements": len(rows), "reason": roofs_mod.NO_ROOFS_REASON})
    placed = [(dev, no_card) for dev, no_card in measured_devices
              if not (no_card and any(u["device"] == dev for u in unplaced))]
    if cards is None:
        chosen = placed
    else:
        chosen = [(c, False) for c in ([cards] if isinstance(cards, str) else list(cards))]
        for c in placed:
            if c not in chosen:
                chosen.append(c)
    unknown = [c for c, no_card in chosen if not no_card and c not in catalog_cards]
    if unknown:
        raise ValueError(f"cards: unknown catalog card(s) {', '.join(unknown)} "
                         f"(catalog: {', '.join(sorted(catalog_cards))})")
    if not chosen and not unplaced:
        raise ValueError("data: no measurements and no cards given: nothing to compare")
    problems = _problem_table(frame)
    if problems.empty:
        raise ValueError("data: no timed measurements with FLOPs to compare"
                         + (f" for kernel {kernel!r}" if kernel else ""))
    rows = []
    for card_id, stand_in in chosen:
        card = catalog_cards.get(card_id) if not stand_in else None
        roof_set = stand_ins[card_id] if stand_in else card.roofs
        bandwidth = roofs_mod.bandwidth_roof(roof_set)
        for _, p in problems.iterrows():
            attainable = roofs_mod.attainable_flop_per_s(roof_set, p["flop_precision"],
                                                         p["flop_unit"], p["intensity"])
            compute = roof_set[(roof_set["kind"] == "compute")
                               & (roof_set["precision"] == p["flop_precision"])
                               & (roof_set["unit"] == p["flop_unit"])]["flop_per_s"]
            bound = None
            if math.isfinite(attainable):
                bound = "compute" if attainable >= compute.max() else f"memory ({bandwidth[0]})"
            best = _best(frame, card_id, p, stand_in)
            achieved = float(best["flop_per_s"]) if best is not None else math.nan
            if stand_in:
                names = frame.loc[frame["catalog_id"].isna() & (frame["device"] == card_id),
                                  "device_name"]
                name, power, price, currency = names.iloc[0], None, None, None
            else:
                name, power, price = card.name, card.board_power_w, card.price_per_card
                currency = card.price_currency
            rows.append({
                "card": card_id, "card_name": name, "measured": best is not None,
                "kernel": p["kernel"], "dtype": p["dtype"], "problem_text": p["problem_text"],
                "problem": p["problem"],
                "precision": p["flop_precision"], "unit": p["flop_unit"],
                "arithmetic_intensity_flop_per_byte": p["intensity"],
                "attainable_flop_per_s": attainable, "bound": bound,
                "achieved_flop_per_s": achieved,
                "variant": best["variant"] if best is not None else None,
                "fraction_of_attainable": achieved / attainable
                if best is not None and math.isfinite(attainable) else math.nan,
                "board_power_w": power if power else math.nan,
                "attainable_flop_per_s_per_w": attainable / power if power else math.nan,
                "achieved_flop_per_s_per_w": achieved / power if power else math.nan,
                "price_per_card": price if price else math.nan,
                "price_currency": currency,
                "attainable_flop_per_s_per_price": attainable / price if price else math.nan,
                "achieved_flop_per_s_per_price": achieved / price if price else math.nan,
                "roofs": "measured" if stand_in else "datasheet",
                "bandwidth_level": bandwidth[0] if bandwidth is not None else None,
                "roof_below_achieved": best is not None and math.isfinite(attainable)
                and results.exceeds_roof(achieved, attainable),
            })
    table = pd.DataFrame(rows, columns=TABLE_COLUMNS)
    table.attrs["unplaced"] = unplaced
    return table


TABLE_COLUMNS = [
    "card", "card_name", "measured", "kernel", "dtype", "problem_text", "problem", "precision",
    "unit", "arithmetic_intensity_flop_per_byte", "attainable_flop_per_s", "bound",
    "achieved_flop_per_s", "variant", "fraction_of_attainable", "board_power_w",
    "attainable_flop_per_s_per_w", "achieved_flop_per_s_per_w", "price_per_card",
    "price_currency", "attainable_flop_per_s_per_price", "achieved_flop_per_s_per_price",
    "roofs", "bandwidth_level", "roof_below_achieved",
]


def compare_cards(data: Any = None, kernel: Optional[str] = None, *,
                  cards: Optional[Iterable[str]] = None, catalog: Any = None, fig=None,
                  title: Optional[str] = None, roofs: Any = None):
    """Achieved vs datasheet attainable per card and problem; returns the Figure.

    data: one source (DataFrame, database, JSON) or several (list, or dict name -> source).
      A measured device without a catalog card is judged by its measured roofs (stored in its
      database, or given as `roofs`) and labelled "measured roofs, no datasheet"; one with
      neither is listed as not placed, with the reason.
    kernel: only this kernel's problems.
    cards: catalog ids to show besides those measured; a card without measurements shows its
      datasheet roofs only, hatched and marked "datasheet only".
    roofs: measured roofs for devices without a catalog card (see compare_table).
    Panels: % of attainable (measured cards); attainable and achieved FLOP/s; per watt where
    the catalog has board power; per unit of money where it has a price (one currency).
    A card whose roof is below what it achieved gets no % bar but "roof below achieved" (its
    roof set is wrong or stale), named in the legend too.
    """
    table = compare_table(data, kernel, cards=cards, catalog=catalog, roofs=roofs)
    unplaced = _unplaced_text(table.attrs["unplaced"])
    if table.empty:
        # Nothing has roofs: say so in an empty figure rather than raise (the data is not wrong).
        if fig is None:
            fig = plt.figure(figsize=(8, 2.5), layout="constrained")
        ax = fig.subplots()
        ax.set_axis_off()
        lines = [line for u in unplaced for line in textwrap.wrap(u, 90, subsequent_indent="  ")]
        ax.text(0.0, 1.0, "not placed:\n" + "\n".join(lines), transform=ax.transAxes,
                va="top", ha="left", fontsize=9, color="0.3", gid="unplaced")
        fig.suptitle(title or ("Cards compared" + (f": {kernel}" if kernel else "")
                               + " (nothing to compare: no roofs)"), fontsize=11)
        return fig
    problems = table.drop_duplicates(["kernel", "dtype", "problem_text"])
    labels = _short_problems(problems)
    card_ids = list(dict.fromkeys(table["card"]))
    measured = {c: bool(table.loc[table["card"] == c, "measured"].any()) for c in card_ids}
    stand_in = {c: bool((table.loc[table["card"] == c, "roofs"] == "measured").any())
                for c in card_ids}
    colours = {c: matplotlib.colormaps["tab10"](i % 10) for i, c in enumerate(card_ids)}
    powered = table.dropna(subset=["board_power_w"])
    priced = table.dropna(subset=["price_per_card"])
    currencies = sorted(set(priced["price_currency"]))
    panels = ["fraction", "absolute"]
    if not powered.empty:
        panels.append("per_watt")
    if len(currencies) == 1:
        panels.append("per_price")
    n_rows = len(problems)
    height = 1.6 + n_rows * (0.28 * len(card_ids) + 0.35)
    if fig is None:
        fig = plt.figure(figsize=(4.2 * len(panels) + 2.5, max(height, 4.0)), layout="constrained")
    axes = fig.subplots(1, len(panels), sharey=True, squeeze=False)[0]
    bar_h = 0.8 / len(card_ids)
    y_base = np.arange(n_rows)[::-1].astype(float)

    def bars(ax, column_attainable, column_achieved, gid):
        for i, card in enumerate(card_ids):
            rows = table[table["card"] == card].set_index(["kernel", "dtype", "problem_text"])
            ys = y_base + 0.4 - (i + 0.5) * bar_h
            keys = list(zip(problems["kernel"], problems["dtype"], problems["problem_text"]))
            att = [rows.loc[k, column_attainable] if column_attainable else math.nan for k in keys]
            ach = [rows.loc[k, column_achieved] for k in keys]
            if column_attainable:
                ax.barh(ys, att, height=bar_h * 0.9, facecolor="none", edgecolor=colours[card],
                        hatch="///" if not measured[card] else None, linewidth=1.2,
                        linestyle="--" if stand_in[card] else "-",
                        gid=f"{gid}:attainable:{card}")
            ax.barh(ys, ach, height=bar_h * 0.9, color=colours[card], alpha=0.85,
                    gid=f"{gid}:achieved:{card}")

    ax = axes[0]
    # A fraction against a roof below the achieved point is an error of the roofs: never a bar.
    table["fraction_shown"] = table["fraction_of_attainable"].where(
        ~table["roof_below_achieved"].astype(bool))
    bars(ax, None, "fraction_shown", "fraction")
    ax.xaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
    ax.set_xlim(0, max(1.0, float(np.nanmax(table["fraction_shown"].to_numpy(dtype=float),
                                            initial=0.0)) * 1.1))
    above = []
    for i, card in enumerate(card_ids):
        for j, (kernel_, dtype, problem_text) in enumerate(
                zip(problems["kernel"], problems["dtype"], problems["problem_text"])):
            row = table[(table["card"] == card) & (table["kernel"] == kernel_)
                        & (table["dtype"] == dtype) & (table["problem_text"] == problem_text)]
            if not row.empty and bool(row["roof_below_achieved"].iloc[0]):
                ax.text(0.02, y_base[j] + 0.4 - (i + 0.5) * bar_h, "roof below achieved",
                        transform=ax.get_yaxis_transform(), va="center", fontsize=7,
                        color="#d62728",
                        gid=f"roof_below_achieved:{card}:{kernel_}:{dtype}:{problem_text}")
                above.append(card)
    ax.axvline(1.0, color="0.5", linestyle=":")
    ax.set_xlabel("achieved / attainable")
    ax.set_title("% of roof (measured cards)", fontsize=10)
    ax.set_yticks(y_base, labels, fontsize=8)

    ax = axes[1]
    bars(ax, "attainable_flop_per_s", "achieved_flop_per_s", "absolute")
    ax.set_xscale("log")
    ax.set_xlabel("FLOP/s (outline: attainable)")
    ax.set_title("achieved vs attainable", fontsize=10)

    notes = []
    if above:
        notes.append("roof below achieved (roof set wrong or stale): "
                     + ", ".join(dict.fromkeys(above)))
    k = 2
    if "per_watt" in panels:
        ax = axes[k]
        k += 1
        bars(ax, "attainable_flop_per_s_per_w", "achieved_flop_per_s_per_w", "per_watt")
        ax.set_xscale("log")
        ax.set_xlabel("FLOP/s per W (board TDP)")
        ax.set_title("per watt", fontsize=10)
    no_power = [c for c in card_ids if table.loc[table["card"] == c, "board_power_w"].isna().all()]
    if no_power:
        notes.append("no board power in the catalog: " + ", ".join(no_power))
    if "per_price" in panels:
        ax = axes[k]
        bars(ax, "attainable_flop_per_s_per_price", "achieved_flop_per_s_per_price", "per_price")
        ax.set_xscale("log")
        ax.set_xlabel(f"FLOP/s per {currencies[0]} of card price")
        ax.set_title("per unit of money", fontsize=10)
    no_price = [c for c in card_ids if table.loc[table["card"] == c, "price_per_card"].isna().all()]
    if no_price:
        notes.append("no price in the catalog (not plotted per money): " + ", ".join(no_price))
    if len(currencies) > 1:
        notes.append("prices in several currencies (" + ", ".join(currencies) + "): not compared")
    for c in card_ids:
        levels = set(table.loc[(table["card"] == c) & (table["roofs"] == "measured"),
                               "bandwidth_level"].dropna())
        if levels - {"dram"}:
            notes.append(f"{c}: no DRAM roof measured; attainable uses the outermost level "
                         f"measured ({', '.join(level_label(v) for v in sorted(levels))})")
    notes += ["not placed: " + u for u in unplaced]

    for ax in axes:
        ax.grid(True, axis="x", color="0.9")
        if ax.get_xscale() == "log":
            # Whole decades, so even a narrow range has labelled ticks; units in the label.
            lo, hi = ax.get_xlim()
            ax.set_xlim(10 ** math.floor(math.log10(lo)), 10 ** math.ceil(math.log10(hi)))
            ax.xaxis.set_major_locator(LogLocator(base=10, numticks=5))
            ax.xaxis.set_major_formatter(EngFormatter(unit="", sep=" "))
            ax.xaxis.set_minor_formatter(NullFormatter())
        ax.set_ylim(-0.6, n_rows - 0.4)
    def card_label(c):
        if stand_in[c]:
            return f"{c} ({roofs_mod.STAND_IN_LABEL})"
        return f"{c}" + ("" if measured[c] else " (no measurements: datasheet only)")

    handles = [Patch(facecolor=colours[c], edgecolor=colours[c], label=card_label(c))
               for c in card_ids]
    handles.append(Patch(facecolor="none", edgecolor="0.3", label="datasheet attainable"))
    if any(stand_in.values()):
        handles.append(Patch(facecolor="none", edgecolor="0.3", linestyle="--",
                             label="attainable from measured roofs\n(device without a datasheet)"))
    handles.append(Patch(facecolor="none", edgecolor="0.3", hatch="///",
                         label="datasheet only (card not measured)"))
    handles += [Line2D([], [], linestyle="none", label="\n".join(textwrap.wrap(n, 45)))
                for n in notes]
    try:  # "outside" legends need matplotlib >= 3.7
        fig.legend(handles=handles, loc="outside right upper", fontsize=8, frameon=False)
    except ValueError:
        fig.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8,
                   frameon=False)
    roof_units = sorted({f"{p} {unit_label(u)}" for p, u in zip(table["precision"], table["unit"])})
    heading = title or ("Cards compared" + (f": {kernel}" if kernel else "")
                        + f" (roofs: {', '.join(roof_units)} and DRAM, datasheet)")
    stand_ins = [c for c in card_ids if stand_in[c]]
    if stand_ins and not title:
        heading += "\n" + "\n".join(textwrap.wrap(
            f"no datasheet, measured roofs instead: {', '.join(stand_ins)}", 80))
    fig.suptitle(heading, fontsize=11)
    return fig


def gemm_bounds(cards: Iterable[str], tokens: Iterable[int], n: int, k: int, *,
                precision: str = "bf16", unit: str = "tensor", bytes_per_element: int = 2,
                catalog: Any = None, roofs: Any = None) -> pd.DataFrame:
    """Which roof bounds a GEMM (m tokens × k) · (k × n) on each card, from datasheet roofs.

    Intensity: 2·m·n·k FLOPs over the compulsory DRAM traffic (read A and B, write C once),
    the kernels' analytic work model. Columns: card, m, n, k, arithmetic_intensity_flop_per_byte,
    ridge_flop_per_byte, bound ('memory' or 'compute'), attainable_flop_per_s, roofs
    ('datasheet' or 'measured'), bandwidth_level.

    roofs: measured roofs for entries of `cards` that are not catalog cards (a device without a
      datasheet, named as in its measurements): a database, a roof DataFrame, a ceilings
      document or file (for the only such entry), or a dict name -> one of those.
    """
    cards = [cards] if isinstance(cards, str) else list(cards)
    catalog_cards = roofs_mod.load_catalog(catalog)
    stand_ins = roofs_mod.measured_roofs_by_device(
        roofs, [c for c in cards if c not in catalog_cards])
    unknown = [c for c in cards if c not in catalog_cards and c not in stand_ins]
    if unknown:
        given = f"; measured roofs given for: {', '.join(stand_ins)}" if stand_ins else ""
        raise ValueError(f"cards: unknown catalog card(s) {', '.join(unknown)} and no measured "
                         f"roofs for them{given}")
    rows = []
    for card_id in cards:
        source = "datasheet" if card_id in catalog_cards else "measured"
        roof_set = catalog_cards[card_id].roofs if source == "datasheet" else stand_ins[card_id]
        ridges = roofs_mod.ridge_points(roof_set)
        ridge = ridges[(ridges["precision"] == precision) & (ridges["unit"] == unit)]
        if ridge.empty:
            raise ValueError(f"cards: {card_id} has no {source} {precision} {unit} roof "
                             "with a " + ("DRAM roof" if source == "datasheet"
                                          else "bandwidth roof"))
        r = float(ridge["ridge_flop_per_byte"].iloc[0])
        level = ridge["level"].iloc[0]
        for m in tokens:
            if int(m) < 1:
                raise ValueError(f"tokens: must be >= 1 (got {m})")
            flops = 2.0 * m * n * k
            traffic = bytes_per_element * (m * k + k * n + m * n)
            ai = flops / traffic
            rows.append({"card": card_id, "m": int(m), "n": n, "k": k,
                         "arithmetic_intensity_flop_per_byte": ai, "ridge_flop_per_byte": r,
                         "bound": "compute" if ai >= r else "memory",
                         "attainable_flop_per_s": roofs_mod.attainable_flop_per_s(
                             roof_set, precision, unit, ai),
                         "roofs": source, "bandwidth_level": level})
    return pd.DataFrame(rows)


def bound_map(bounds: pd.DataFrame, ax=None, title: Optional[str] = None):
    """Cards × token counts, each cell memory- or compute-bound, with intensity / ridge in it."""
    if not isinstance(bounds, pd.DataFrame):
        raise TypeError("bounds: expected the DataFrame of gemm_bounds, got "
                        f"{type(bounds).__name__}")
    if bounds.empty:
        raise ValueError("bounds: empty")
    cards = list(dict.fromkeys(bounds["card"]))
    tokens = sorted(set(bounds["m"]))
    grid = np.zeros((len(cards), len(tokens)))
    if ax is None:
        _, ax = plt.subplots(figsize=(3.5 + 0.75 * len(tokens), 1.2 + 0.45 * len(cards)),
                             layout="constrained")
    for i, card in enumerate(cards):
        for j, m in enumerate(tokens):
            row = bounds[(bounds["card"] == card) & (bounds["m"] == m)].iloc[0]
            ratio = row["arithmetic_intensity_flop_per_byte"] / row["ridge_flop_per_byte"]
            grid[i, j] = 1.0 if row["bound"] == "compute" else 0.0
            ax.text(j, i, f"{ratio:.2g}", ha="center", va="center", fontsize=7.5,
                    color="black", gid=f"cell:{card}:{m}:{row['bound']}")
    cmap = ListedColormap(["#9ecae1", "#fdae6b"])
    ax.imshow(grid, cmap=cmap, vmin=0, vmax=1, aspect="auto")
    ax.set_xticks(range(len(tokens)), [str(m) for m in tokens])
    def card_label(c):
        row = bounds[bounds["card"] == c].iloc[0]
        if row.get("roofs") != "measured":
            return f"{c} (ridge {row['ridge_flop_per_byte']:.0f} FLOP/B)"
        level = row.get("bandwidth_level")
        over = "" if level in (None, "dram") else f" over {level_label(level)}"
        return (f"{c}\n({roofs_mod.STAND_IN_LABEL};\n"
                f" ridge {row['ridge_flop_per_byte']:.3g} FLOP/B{over})")

    ax.set_yticks(range(len(cards)), [card_label(c) for c in cards])
    ax.set_xlabel("tokens m (GEMM m × n × k)")
    ax.legend(handles=[Patch(color="#9ecae1", label="memory-bound"),
                       Patch(color="#fdae6b", label="compute-bound")],
              loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    first = bounds.iloc[0]
    stand_in = "roofs" in bounds.columns and (bounds["roofs"] == "measured").any()
    ax.set_title(title or f"Bound per card: GEMM n={first['n']}, k={first['k']} "
                 "(cell: intensity / ridge)" + ("\nmeasured roofs where a device has no datasheet"
                                                if stand_in else ""), fontsize=10)
    return ax
