"""Number formatting and label placement shared by the plots."""

from __future__ import annotations

import math
import re

import numpy as np
from matplotlib.path import Path

_PREFIXES = [(1e15, "P"), (1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k"), (1.0, "")]


def si(value: float, unit: str) -> str:
    """3 significant digits with an SI prefix: 66.9 TFLOP/s, 4.8 TB/s."""
    if value is None or not math.isfinite(value):
        return f"? {unit}"
    for factor, prefix in _PREFIXES:
        if abs(value) >= factor:
            return f"{value / factor:.3g} {prefix}{unit}"
    return f"{value:.3g} {unit}"


def rate_unit(precision: str) -> str:
    # int8 roofs count operations, not floating-point operations (docs/device-catalog.md).
    return "OP/s" if precision == "int8" else "FLOP/s"


def unit_label(unit: str) -> str:
    return {"simt": "SIMT", "tensor": "tensor"}.get(unit, unit)


def level_label(level: str) -> str:
    return {"dram": "DRAM", "llc": "LLC", "l1": "L1", "l2": "L2", "shared": "shared"}.get(
        level, level)


def kernel_label(name: str, width: int = 44, max_lines: int = 3) -> str:
    """A kernel name as a legend or axis label. Imported kernels are named as the profiler
    wrote them, often a whole C++ signature ("void cuda_parallel_launch_local_memory<ParallelFor<
    gemm_tiled_functor<float, Cuda, 4, 4>, ...>>(T1)"), which would push the plot off the figure:
    such a name is wrapped at `width` characters (after spaces, commas, "<" and "("; inside a
    longer word after "_"), at most `max_lines` lines, the rest elided with "…". Names that fit
    are returned unchanged."""
    name = str(name)
    if len(name) <= width:
        return name
    tokens = []
    for token in re.findall(r"[^\s,<(]*[,<(]?\s*", name):
        tokens += re.findall(r"[^_]*_?", token) if len(token) > width else [token]
    lines, line = [], ""
    for token in tokens:
        while len(token) > width:  # one token longer than a line: split it
            if line:
                lines.append(line.rstrip())
                line = ""
            lines.append(token[:width])
            token = token[width:]
        if line and len(line) + len(token.rstrip()) > width:
            lines.append(line.rstrip())
            line = ""
        line += token
    if line.strip():
        lines.append(line.rstrip())
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][:width - 1].rstrip() + "…"
    return "\n".join(lines)


def _outline(text, renderer, pad_px):
    """The text's rotated rectangle in display coordinates, as a closed Path."""
    angle = text.get_rotation()
    text.set_rotation(0)
    box = text.get_window_extent(renderer)
    text.set_rotation(angle)
    anchor = text.get_transform().transform(text.get_position())
    corners = np.array([[box.x0 - pad_px, box.y0 - pad_px], [box.x1 + pad_px, box.y0 - pad_px],
                        [box.x1 + pad_px, box.y1 + pad_px], [box.x0 - pad_px, box.y1 + pad_px]])
    if angle and text.get_rotation_mode() == "anchor":
        # rotation_mode="anchor": the unrotated box turns about the alignment point.
        theta = math.radians(angle)
        rot = np.array([[math.cos(theta), -math.sin(theta)], [math.sin(theta), math.cos(theta)]])
        corners = (corners - anchor) @ rot.T + anchor
    return Path(np.vstack([corners, corners[:1]]), closed=True)


def place_without_overlap(ax, texts_and_candidates, renderer=None, pad_px=1.5):
    """Moves each text to the first candidate position where it stays inside the axes and
    overlaps no text placed before it, nor (preferably) a line or marker of the axes.

    `texts_and_candidates` is a list of (Text, [(x, y, kwargs), ...]); kwargs may set
    ha/va/rotation. Preference: clear of texts, lines and points; else clear of texts; else the
    first candidate (a crowded label beats a missing one).
    """
    if renderer is None:
        renderer = ax.figure.canvas.get_renderer()
    axes_box = ax.get_window_extent(renderer)
    lines = [line.get_transform().transform_path(line.get_path()) for line in ax.lines
             if line.get_gid() and line.get_gid().startswith("roof:")]
    points = [c.get_offset_transform().transform(c.get_offsets()) for c in ax.collections]
    points += [line.get_transform().transform(line.get_xydata()) for line in ax.lines
               if (line.get_gid() or "").startswith("ridge:")]
    points = np.vstack(points) if points else np.zeros((0, 2))
    placed = []
    for text, candidates in texts_and_candidates:
        best = None
        for rank_wanted in (0, 1):
            for x, y, kwargs in candidates:
                text.set_position((x, y))
                text.update(kwargs)
                outline = _outline(text, renderer, pad_px)
                verts = outline.vertices
                inside = (verts[:, 0].min() >= axes_box.x0 and verts[:, 0].max() <= axes_box.x1
                          and verts[:, 1].min() >= axes_box.y0
                          and verts[:, 1].max() <= axes_box.y1)
                if not inside or any(outline.intersects_path(p, filled=True) for p in placed):
                    continue
                if rank_wanted == 0:
                    if any(outline.intersects_path(line, filled=False) for line in lines):
                        continue
                    if len(points) and outline.contains_points(points).any():
                        continue
                best = (x, y, kwargs)
                break
            if best is not None:
                break
        x, y, kwargs = best or candidates[0]
        text.set_position((x, y))
        text.update(kwargs)
        placed.append(_outline(text, renderer, pad_px))
