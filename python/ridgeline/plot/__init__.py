"""Plots over results (pure Python, matplotlib): no compiled module needed to draw.

roofline(data, device=None, ax=None)   one device's roofs with its measurements
compare_cards(data, kernel=None, ...)  achieved vs peak per card and problem, side by side
A device without a catalog card is judged by its measured roofs, and labelled so.
"""

from .compare_cards import bound_map, compare_cards, compare_table, gemm_bounds
from .roofline import roofline
from .roofs import (attainable_flop_per_s, bandwidth_roof, catalog_frame, load_catalog,
                    measured_roofs, measured_roofs_by_device, ridge_points)

__all__ = ["roofline", "compare_cards", "compare_table", "gemm_bounds", "bound_map",
           "load_catalog", "catalog_frame", "measured_roofs", "measured_roofs_by_device",
           "ridge_points", "bandwidth_roof", "attainable_flop_per_s"]
