"""ridgeline.plot.roofline: roofs labelled, points present, ridge marked, bad input named."""

import itertools
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from ridgeline import plot, results  # noqa: E402
from ridgeline.plot._labels import _outline  # noqa: E402

DATA = Path(__file__).resolve().parent / "data"
REPO = Path(__file__).resolve().parents[2]
H200 = REPO / "data" / "device-results" / "2026-11-26-h200-b"


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def gids(ax, prefix):
    found = [a.get_gid() for a in itertools.chain(ax.lines, ax.collections, ax.texts)]
    return [g for g in found if g and g.startswith(prefix)]


def assert_every_roof_labelled(ax):
    roof_lines = gids(ax, "roof:")
    labels = {t.get_gid()[len("label:"):]: t.get_text() for t in ax.texts
              if (t.get_gid() or "").startswith("label:roof:")}
    assert roof_lines and set(roof_lines) == set(labels)
    return labels


def assert_labels_do_not_overlap(ax):
    # Rotated labels are compared as rotated rectangles: their axis-aligned boxes overlap
    # whenever two sloped roofs run close, though the words do not.
    ax.figure.canvas.draw()
    renderer = ax.figure.canvas.get_renderer()
    outlines = [(t.get_text(), _outline(t, renderer, 0.0)) for t in ax.texts
                if (t.get_gid() or "").startswith("label:")]
    assert len(outlines) >= 4
    for (a, path_a), (b, path_b) in itertools.combinations(outlines, 2):
        assert not path_a.intersects_path(path_b, filled=True), f"{a!r} overlaps {b!r}"


def test_roofline_of_a_database_draws_datasheet_and_measured_roofs(dev_db):
    ax = plot.roofline(dev_db)
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log"
    labels = assert_every_roof_labelled(ax)
    assert "roof:datasheet:compute:f32:simt" in labels
    assert "230 GFLOP/s" in labels["roof:datasheet:compute:f32:simt"]
    assert "roof:datasheet:bandwidth:dram" in labels
    with results.open(dev_db) as db:
        stored = db.ceilings()
        frame = db.measurements()
    for level in stored.loc[stored["kind"] == "bandwidth", "level"]:
        assert any(g.startswith("roof:measured:bandwidth:") and level in g.split(":")[-1].split(",")
                   for g in labels)
    # Datasheet dashed, measured solid.
    styles = {line.get_gid(): line.get_linestyle() for line in ax.lines if line.get_gid()}
    assert styles["roof:datasheet:compute:f32:simt"] == "--"
    assert styles["roof:measured:bandwidth:dram"] == "-"
    # One point per timed measurement with FLOPs, grouped by kernel and variant.
    placed = frame[(frame["status"] == "ok") & (frame["flop_per_s"] > 0)]
    points = {c.get_gid(): len(c.get_offsets()) for c in ax.collections
              if (c.get_gid() or "").startswith("points:")}
    want = placed.groupby(["kernel", "variant"]).size()
    assert points == {f"points:{k}:{v}": n for (k, v), n in want.items()}
    # The ridge points are drawn, and what was not placed is said.
    assert gids(ax, "ridge:datasheet:f32:simt:dram") and gids(ax, "ridge:measured:f32:simt:dram")
    unplaced = [t for t in ax.texts if t.get_gid() == "unplaced"][0].get_text()
    assert "moe_permute kokkos (no FLOPs)" in unplaced and "timeout" in unplaced
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "kernel: gemm" in legend and "variant: vendor" in legend
    assert_labels_do_not_overlap(ax)


def test_roofline_of_h200_json_with_ceilings_json():
    ax = plot.roofline(H200 / "results.json", roofs=H200 / "ceilings.json")
    labels = assert_every_roof_labelled(ax)
    assert any(g.startswith("roof:datasheet:compute:") and "bf16:tensor" in g for g in labels)
    assert "roof:measured:compute:f32:simt" in labels
    assert "roof:measured:bandwidth:dram" in labels
    assert "NVIDIA H200" in ax.get_title()
    assert_labels_do_not_overlap(ax)


def test_roofs_only_and_kernel_filter():
    ax = plot.roofline(device="h20")
    assert not gids(ax, "points:")
    assert "roof:datasheet:compute:f64:simt" in assert_every_roof_labelled(ax)
    ax = plot.roofline(H200 / "results.json", kernels="gemm")
    assert {g.split(":")[1] for g in gids(ax, "points:")} == {"gemm"}


def test_bad_inputs_name_the_argument(dev_db):
    with pytest.raises(ValueError, match="device: 'h100_sxm' has no measurements"):
        plot.roofline(dev_db, device="h100_sxm")
    with pytest.raises(ValueError, match="device: 'nope' is not a catalog card"):
        plot.roofline(device="nope")
    with pytest.raises(ValueError, match="data: no measurements"):
        plot.roofline(results.measurement_frame([]))
    with pytest.raises(TypeError, match="source"):
        plot.roofline(12)
    with pytest.raises(TypeError, match="device"):
        plot.roofline(dev_db, device=3)
    both = pd.concat([results.load(dev_db), results.load(H200 / "results.json")])
    with pytest.raises(ValueError, match="device: data holds several devices"):
        plot.roofline(both)
    assert plot.roofline(both, device="h200").get_title().endswith("(h200)")


def test_device_without_a_card_on_its_measured_roofs(cardless_db):
    ax = plot.roofline(cardless_db())
    assert ax.get_title() == "Roofline: Intel(R) Xeon(R) Processor (measured roofs, no datasheet)"
    labels = assert_every_roof_labelled(ax)
    assert labels and all(g.startswith("roof:measured:") for g in labels)
    assert gids(ax, "ridge:measured:f32:simt:dram") and not gids(ax, "ridge:datasheet")
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "datasheet roof" not in legend
    assert any(t.startswith("measured roof (no catalog card") for t in legend)


def test_device_with_neither_card_nor_roofs_draws_its_points_and_says_why(cardless_db):
    ax = plot.roofline(cardless_db(roofs=False))
    assert "no catalog card, no measured roofs" in ax.get_title()
    assert not gids(ax, "roof:") and not gids(ax, "ridge:")
    assert gids(ax, "points:gemm:")
    note = [t for t in ax.texts if t.get_gid() == "noroofs"][0].get_text()
    assert "no catalog card and no measured roofs" in note
    unplaced = [t for t in ax.texts if t.get_gid() == "unplaced"][0].get_text()
    assert "moe_permute kokkos (no FLOPs)" in unplaced


def test_measured_roofs_without_dram_use_the_outermost_level():
    # A quick sweep stops in cache: the ridge is against its last level (LLC), and says so.
    ax = plot.roofline(DATA / "dev_vm_export.json", roofs=DATA / "dev_vm_ceilings_quick.json")
    assert gids(ax, "ridge:measured:f32:simt:llc")
    assert "(measured roofs, no datasheet)" in ax.get_title()
