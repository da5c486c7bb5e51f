"""rl.plot.compare_cards: achieved vs peak per card and problem, side by side.

For every problem measured somewhere, each card's *attainable* performance follows from its
datasheet roofs and the problem's arithmetic intensity (a property of the problem, not the card):
min(compute roof, DRAM roof × intensity). Cards with measurements also show what they achieved
and its fraction of that roof; cards without measurements show the datasheet roof only, hatched
and marked "datasheet only". Where the catalog lists board power (and price), the same numbers
per watt (and per unit of money) answer the buyer's question.
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
from ._labels import unit_label


def _frames(data: Any) -> pd.DataFrame:
    if data is None:
        return results.measurement_frame([])
    if isinstance(data, Mapping) and "schema" not in data:
        parts = [results.load(source) for source in data.values()]
    elif isinstance(data, (list, tuple)) and data and not isinstance(data[0], Mapping):
        parts = [results.load(source) for source in data]
    else:
        parts = [results.load(data)]
    parts = [p for p in parts if not p.empty]
    return pd.concat(parts, ignore_index=True) if parts else results.measurement_frame([])


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
        lines, line = [], f"{p['kernel']} {p['dtype']} {parts[0]}"
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


def _best(frame: pd.DataFrame, card: str, problem: pd.Series):
    rows = frame[(frame["catalog_id"] == card) & (frame["status"] == "ok")
                 & (frame["kernel"] == problem["kernel"]) & (frame["dtype"] == problem["dtype"])
                 & (frame["problem_text"] == problem["problem_text"])]
    if rows.empty:
        return None
    return rows.loc[rows["flop_per_s"].idxmax()]


def compare_table(data: Any = None, kernel: Optional[str] = None, *,
                  cards: Optional[Iterable[str]] = None, catalog: Any = None) -> pd.DataFrame:
    """The numbers compare_cards draws: one row per card and problem.

    Columns: card, card_name, measured (bool), kernel, dtype, problem_text, precision, unit,
    arithmetic_intensity_flop_per_byte, attainable_flop_per_s (datasheet), bound,
    achieved_flop_per_s, variant, fraction_of_attainable, board_power_w,
    attainable_flop_per_s_per_w, achieved_flop_per_s_per_w, price_per_card, price_currency,
    attainable_flop_per_s_per_price, achieved_flop_per_s_per_price.
    """
    frame = _frames(data)
    if kernel is not None:
        if not isinstance(kernel, str):
            raise TypeError(f"kernel: expected a kernel name, got {type(kernel).__name__}")
        if not frame.empty and kernel not in set(frame["kernel"]):
            raise ValueError(f"kernel: no measurements of {kernel!r} in data (kernels there: "
                             f"{', '.join(sorted(set(frame['kernel'])))})")
        frame = frame[frame["kernel"] == kernel]
    catalog_cards = roofs_mod.load_catalog(catalog)
    measured_cards = [c for c in dict.fromkeys(frame["catalog_id"].dropna())]
    unmatched = sorted(set(frame.loc[frame["catalog_id"].isna(), "device"]))
    if unmatched:
        raise ValueError("data: measurements of devices without a catalog card "
                         f"({', '.join(unmatched)}); compare_cards judges cards by their "
                         "datasheet roofs")
    if cards is None:
        chosen = measured_cards
    else:
        chosen = [cards] if isinstance(cards, str) else list(cards)
        for c in measured_cards:
            if c not in chosen:
                chosen.append(c)
    unknown = [c for c in chosen if c not in catalog_cards]
    if unknown:
        raise ValueError(f"cards: unknown catalog card(s) {', '.join(unknown)} "
                         f"(catalog: {', '.join(sorted(catalog_cards))})")
    if not chosen:
        raise ValueError("data: no measurements and no cards given: nothing to compare")
    problems = _problem_table(frame)
    if problems.empty:
        raise ValueError("data: no timed measurements with FLOPs to compare"
                         + (f" for kernel {kernel!r}" if kernel else ""))
    rows = []
    for card_id in chosen:
        card = catalog_cards[card_id]
        for _, p in problems.iterrows():
            roofs = card.roofs
            attainable = roofs_mod.attainable_flop_per_s(roofs, p["flop_precision"], p["flop_unit"],
                                                         p["intensity"])
            compute = roofs[(roofs["kind"] == "compute")
                            & (roofs["precision"] == p["flop_precision"])
                            & (roofs["unit"] == p["flop_unit"])]["flop_per_s"]
            bound = None
            if math.isfinite(attainable):
                bound = "compute" if attainable >= compute.max() else "memory (dram)"
            best = _best(frame, card_id, p)
            achieved = float(best["flop_per_s"]) if best is not None else math.nan
            power, price = card.board_power_w, card.price_per_card
            rows.append({
                "card": card_id, "card_name": card.name, "measured": best is not None,
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
                "price_currency": card.price_currency,
                "attainable_flop_per_s_per_price": attainable / price if price else math.nan,
                "achieved_flop_per_s_per_price": achieved / price if price else math.nan,
            })
    return pd.DataFrame(rows)


def compare_cards(data: Any = None, kernel: Optional[str] = None, *,
                  cards: Optional[Iterable[str]] = None, catalog: Any = None, fig=None,
                  title: Optional[str] = None):
    """Achieved vs datasheet attainable per card and problem; returns the Figure.

    data: one source (DataFrame, database, JSON) or several (list, or dict name -> source);
      every measurement's device must be a catalog card.
    kernel: only this kernel's problems.
    cards: catalog ids to show besides those measured; a card without measurements shows its
      datasheet roofs only, hatched and marked "datasheet only".
    Panels: % of attainable (measured cards); attainable and achieved FLOP/s; per watt where
    the catalog has board power; per unit of money where it has a price (one currency).
    """
    table = compare_table(data, kernel, cards=cards, catalog=catalog)
    problems = table.drop_duplicates(["kernel", "dtype", "problem_text"])
    labels = _short_problems(problems)
    card_ids = list(dict.fromkeys(table["card"]))
    measured = {c: bool(table.loc[table["card"] == c, "measured"].any()) for c in card_ids}
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
                        gid=f"{gid}:attainable:{card}")
            ax.barh(ys, ach, height=bar_h * 0.9, color=colours[card], alpha=0.85,
                    gid=f"{gid}:achieved:{card}")

    ax = axes[0]
    bars(ax, None, "fraction_of_attainable", "fraction")
    ax.xaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
    ax.set_xlim(0, max(1.0, float(np.nanmax(table["fraction_of_attainable"].to_numpy(dtype=float),
                                            initial=0.0)) * 1.1))
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
    handles = [Patch(facecolor=colours[c], edgecolor=colours[c],
                     label=f"{c}" + ("" if measured[c] else " (no measurements: datasheet only)"))
               for c in card_ids]
    handles.append(Patch(facecolor="none", edgecolor="0.3", label="datasheet attainable"))
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
    fig.suptitle(heading, fontsize=11)
    return fig


def gemm_bounds(cards: Iterable[str], tokens: Iterable[int], n: int, k: int, *,
                precision: str = "bf16", unit: str = "tensor", bytes_per_element: int = 2,
                catalog: Any = None) -> pd.DataFrame:
    """Which roof bounds a GEMM (m tokens × k) · (k × n) on each card, from datasheet roofs.

    Intensity: 2·m·n·k FLOPs over the compulsory DRAM traffic (read A and B, write C once),
    the kernels' analytic work model. Columns: card, m, n, k, arithmetic_intensity_flop_per_byte,
    ridge_flop_per_byte, bound ('memory' or 'compute'), attainable_flop_per_s.
    """
    cards = [cards] if isinstance(cards, str) else list(cards)
    catalog_cards = roofs_mod.load_catalog(catalog)
    unknown = [c for c in cards if c not in catalog_cards]
    if unknown:
        raise ValueError(f"cards: unknown catalog card(s) {', '.join(unknown)}")
    rows = []
    for card_id in cards:
        roofs = catalog_cards[card_id].roofs
        ridges = roofs_mod.ridge_points(roofs)
        ridge = ridges[(ridges["precision"] == precision) & (ridges["unit"] == unit)]
        if ridge.empty:
            raise ValueError(f"cards: {card_id} has no datasheet {precision} {unit} roof "
                             "with a DRAM roof")
        r = float(ridge["ridge_flop_per_byte"].iloc[0])
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
                             roofs, precision, unit, ai)})
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
    ridge = {c: bounds.loc[bounds["card"] == c, "ridge_flop_per_byte"].iloc[0] for c in cards}
    ax.set_yticks(range(len(cards)), [f"{c} (ridge {ridge[c]:.0f} FLOP/B)" for c in cards])
    ax.set_xlabel("tokens m (GEMM m × n × k)")
    ax.legend(handles=[Patch(color="#9ecae1", label="memory-bound"),
                       Patch(color="#fdae6b", label="compute-bound")],
              loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    first = bounds.iloc[0]
    ax.set_title(title or f"Bound per card: GEMM n={first['n']}, k={first['k']} "
                 "(cell: intensity / ridge)", fontsize=10)
    return ax
