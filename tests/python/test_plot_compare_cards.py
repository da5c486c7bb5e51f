"""ridgeline.plot.compare_cards: achieved vs datasheet roofs per card; inversions by ridge point."""

import json
import math
import shutil
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
import yaml  # noqa: E402

from ridgeline import plot, results  # noqa: E402

DATA = Path(__file__).resolve().parent / "data"
REPO = Path(__file__).resolve().parents[2]
CATALOG = REPO / "configs" / "devices"
H200 = REPO / "data" / "device-results" / "2026-11-26-h200-b"


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def datasheet(card):
    """Roofs read straight from the YAML, in base units (independent of plot.roofs)."""
    doc = yaml.safe_load((CATALOG / f"{card}.yaml").read_text())
    scale = {"TFLOP/s": 1e12, "TB/s": 1e12, "GFLOP/s": 1e9, "GB/s": 1e9}
    f32 = doc["compute"]["simt"]["f32"]
    dram = doc["bandwidth"]["dram"]
    return f32["value"] * scale[f32["unit"]], dram["value"] * scale[dram["unit"]]


def test_table_judges_every_card_by_its_datasheet_roofs():
    table = plot.compare_table({"h200": H200 / "results.json"}, kernel="gemm",
                               cards=["h20", "a100_sxm_80gb"])
    frame = results.load(H200 / "results.json")
    gemm = frame[(frame["kernel"] == "gemm") & (frame["status"] == "ok")]
    assert set(table["card"]) == {"h200", "h20", "a100_sxm_80gb"}
    assert set(table["problem_text"]) == set(gemm["problem_text"])
    for row in table[table["dtype"] == "f32"].to_dict("records"):
        peak, bandwidth = datasheet(row["card"])
        ai = row["arithmetic_intensity_flop_per_byte"]
        assert row["attainable_flop_per_s"] == pytest.approx(min(peak, bandwidth * ai), rel=1e-12)
        assert row["bound"] == ("compute" if bandwidth * ai >= peak else "memory (dram)")
        if row["card"] == "h200":
            assert row["measured"]
            best = gemm[(gemm["problem_text"] == row["problem_text"]) & (gemm["dtype"] == "f32")]
            assert row["achieved_flop_per_s"] == best["flop_per_s"].max()
            assert row["fraction_of_attainable"] == pytest.approx(
                row["achieved_flop_per_s"] / row["attainable_flop_per_s"])
        else:
            assert not row["measured"]
    # Power where the catalog has it, nothing invented where it does not.
    h200 = table[table["card"] == "h200"].iloc[0]
    assert h200["attainable_flop_per_s_per_w"] == h200["attainable_flop_per_s"] / 700
    assert table.loc[table["card"] == "h20", "board_power_w"].isna().all()
    a100 = table[table["card"] == "a100_sxm_80gb"].iloc[0]
    assert a100["price_currency"] == "CNY" and a100["price_per_card"] > 0
    assert table.loc[table["card"] == "h200", "price_per_card"].isna().all()


def test_figure_marks_cards_without_measurements(tmp_path):
    db = tmp_path / "dev.sqlite"
    shutil.copy(DATA / "dev_vm.sqlite", db)
    fig = plot.compare_cards({"h200": H200 / "results.json", "vm": db}, kernel="gemm",
                             cards=["h20", "a100_sxm_80gb"])
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert "h20 (no measurements: datasheet only)" in legend
    assert "h200" in legend and "epyc_zen4_vm_2cpu" in legend
    assert any("no board power in the catalog: h20" in t for t in legend)
    assert any(t.startswith("no price in the catalog") for t in legend)
    titles = [ax.get_title() for ax in fig.axes]
    assert titles == ["% of roof (measured cards)", "achieved vs attainable", "per watt",
                      "per unit of money"]
    # Unmeasured cards: hatched datasheet bars only, no achieved bar.
    absolute = fig.axes[1]
    hatched = [p for p in absolute.patches if p.get_gid() == "absolute:attainable:h20"]
    assert hatched and all(p.get_hatch() == "///" for p in hatched)
    achieved = [p for p in absolute.patches if p.get_gid() == "absolute:achieved:h20"]
    assert all(not (p.get_width() > 0) for p in achieved)
    measured = [p for p in absolute.patches if p.get_gid() == "absolute:achieved:h200"]
    assert sum(p.get_width() > 0 for p in measured) == 6  # 3 GEMM shapes x 2 dtypes
    fig.savefig(tmp_path / "compare.png")


def test_gemm_bounds_use_the_kernels_work_model():
    # The recorded H200 decode GEMM: its analytic intensity is the formula's.
    frame = results.load(H200 / "results.json")
    decode = frame[(frame["kernel"] == "gemm") & (frame["dtype"] == "f32")
                   & (frame["problem_text"].str.startswith("m=16,"))].iloc[0]
    p = decode["problem"]
    bounds = plot.gemm_bounds(["h200"], [p["m"]], n=p["n"], k=p["k"], precision="f32",
                              unit="simt", bytes_per_element=4)
    assert bounds["arithmetic_intensity_flop_per_byte"].iloc[0] == pytest.approx(
        decode["arithmetic_intensity_flop_per_byte"], rel=1e-12)


def test_inversion_decode_gemm_memory_bound_on_h100_compute_bound_on_h20():
    bounds = plot.gemm_bounds(["h100_sxm", "h20"], [1, 64, 4096], n=8192, k=8192)
    bound = bounds.set_index(["card", "m"])["bound"]
    assert bound[("h100_sxm", 64)] == "memory" and bound[("h20", 64)] == "compute"
    assert bound[("h100_sxm", 1)] == bound[("h20", 1)] == "memory"
    assert bound[("h100_sxm", 4096)] == bound[("h20", 4096)] == "compute"
    ax = plot.bound_map(bounds)
    cells = [t.get_gid() for t in ax.texts if (t.get_gid() or "").startswith("cell:")]
    assert "cell:h20:64:compute" in cells and "cell:h100_sxm:64:memory" in cells


def test_bad_inputs_name_the_argument():
    h200 = H200 / "results.json"
    with pytest.raises(ValueError, match="cards: unknown catalog card"):
        plot.compare_cards(h200, cards=["h300"])
    with pytest.raises(ValueError, match="kernel: no measurements of 'softmax'"):
        plot.compare_cards(h200, kernel="softmax")
    with pytest.raises(ValueError, match="data: no measurements and no cards"):
        plot.compare_cards(results.measurement_frame([]))
    with pytest.raises(TypeError, match="source"):
        plot.compare_cards(object())
    with pytest.raises(ValueError, match="cards: h20 has no datasheet fp4"):
        plot.gemm_bounds(["h20"], [1], n=8, k=8, precision="fp4")
    with pytest.raises(ValueError, match="tokens"):
        plot.gemm_bounds(["h20"], [0], n=8, k=8)
    with pytest.raises(TypeError, match="bounds"):
        plot.bound_map([])


# Devices without a catalog card (issue 13): measured roofs stand in for the datasheet.

CARDLESS = "Intel(R) Xeon(R) Processor"  # conftest.CARDLESS_NAME


def legend_texts(fig):
    return [t.get_text() for t in fig.legends[0].get_texts()]


def test_device_without_a_card_is_judged_by_its_stored_measured_roofs(cardless_db, tmp_path):
    db = cardless_db()
    with results.open(db) as opened:
        stored = opened.ceilings()
    assert set(stored["device"]) == {CARDLESS}
    peak = stored[stored["kind"] == "compute"].set_index("precision")["flop_per_s"]
    dram = stored.query("level == 'dram'")["byte_per_s"].iloc[0]

    table = plot.compare_table({"h200": H200 / "results.json", "vm": db}, kernel="gemm",
                               cards=["h20"])
    assert table.attrs["unplaced"] == []
    mine = table[table["card"] == CARDLESS]
    assert not mine.empty and set(mine["roofs"]) == {"measured"}
    assert set(mine["bandwidth_level"]) == {"dram"}
    assert set(table.loc[table["card"] != CARDLESS, "roofs"]) == {"datasheet"}
    for row in mine.to_dict("records"):
        ai = row["arithmetic_intensity_flop_per_byte"]
        assert row["attainable_flop_per_s"] == pytest.approx(
            min(peak[row["precision"]], dram * ai), rel=1e-12)
        assert math.isnan(row["board_power_w"]) and math.isnan(row["price_per_card"])
    assert mine["measured"].any()  # its own GEMMs have an achieved value

    fig = plot.compare_cards({"h200": H200 / "results.json", "vm": db}, kernel="gemm",
                             cards=["h20"])
    legend = legend_texts(fig)
    assert f"{CARDLESS} (measured roofs, no datasheet)" in legend
    assert "h200" in legend and "h20 (no measurements: datasheet only)" in legend
    assert not any(t.startswith("not placed") for t in legend)
    assert "measured roofs instead: " + CARDLESS in fig._suptitle.get_text()
    outlines = [p for p in fig.axes[1].patches if p.get_gid() == f"absolute:attainable:{CARDLESS}"]
    assert outlines and all(p.get_linestyle() == "--" for p in outlines)
    fig.savefig(tmp_path / "cardless.png")


def test_device_with_neither_card_nor_roofs_is_listed_not_placed(cardless_db, tmp_path):
    db = cardless_db(roofs=False)
    n = len(results.load(db).query("kernel == 'gemm'"))
    fig = plot.compare_cards({"h200": H200 / "results.json", "vm": db}, kernel="gemm")
    legend = " ".join(legend_texts(fig)).replace("\n", " ")
    assert (f"not placed: {CARDLESS} ({n} measurements): no catalog card and no measured roofs"
            in legend)
    table = plot.compare_table({"h200": H200 / "results.json", "vm": db}, kernel="gemm")
    assert set(table["card"]) == {"h200"}
    assert [u["device"] for u in table.attrs["unplaced"]] == [CARDLESS]
    assert "no catalog card and no measured roofs" in table.attrs["unplaced"][0]["reason"]
    fig.savefig(tmp_path / "unplaced.png")

    # Nothing else to compare: an empty figure that says why, not an exception.
    fig = plot.compare_cards(db)
    texts = [t for ax in fig.axes for t in ax.texts if t.get_gid() == "unplaced"]
    assert texts and texts[0].get_text().startswith("not placed:")
    assert CARDLESS in texts[0].get_text()
    assert plot.compare_table(db).empty


def test_json_export_without_a_card_takes_roofs_from_a_ceilings_document():
    export, ceilings = DATA / "dev_vm_export.json", DATA / "dev_vm_ceilings_quick.json"
    device = results.load(export)["device"].iloc[0]
    assert results.load(export)["catalog_id"].isna().all()
    # A JSON export carries no roofs: not placed, not an exception.
    table = plot.compare_table(export, kernel="gemm")
    assert table.empty and table.attrs["unplaced"][0]["device"] == device
    # The quick sweep stopped in cache: its outermost level (LLC) is the bandwidth roof.
    table = plot.compare_table(export, kernel="gemm", roofs=ceilings)
    doc = json.loads(ceilings.read_text())
    llc = [c["max"] for c in doc["ceilings"] if c["kernel"] == "load" and c["level"] == "llc"][0]
    assert set(table["roofs"]) == {"measured"} and set(table["bandwidth_level"]) == {"llc"}
    for row in table.to_dict("records"):
        assert row["attainable_flop_per_s"] <= llc * row["arithmetic_intensity_flop_per_byte"]
        assert row["bound"] in ("compute", "memory (llc)")
    fig = plot.compare_cards(export, kernel="gemm", roofs={device: ceilings})
    assert any("no DRAM roof measured" in t and "LLC" in t for t in legend_texts(fig))
    # A ceilings document names no device: with two card-less devices it is ambiguous.
    other = results.load(export).assign(device="another VM", device_name="another VM")
    both = pd.concat([results.load(export), other], ignore_index=True)
    with pytest.raises(ValueError, match="roofs: a ceilings document names no device"):
        plot.compare_table(both, roofs=ceilings)


def test_gemm_bounds_of_a_device_without_a_card(cardless_db):
    db = cardless_db()
    bounds = plot.gemm_bounds(["h20", CARDLESS], [1, 64], n=4096, k=4096, precision="f32",
                              unit="simt", bytes_per_element=4, roofs=db)
    mine = bounds[bounds["card"] == CARDLESS]
    assert set(mine["roofs"]) == {"measured"}
    assert set(bounds.loc[bounds["card"] == "h20", "roofs"]) == {"datasheet"}
    with results.open(db) as opened:
        stored = opened.ceilings()
    ridge = (stored.query("kind == 'compute' and precision == 'f32'")["flop_per_s"].iloc[0]
             / stored.query("level == 'dram'")["byte_per_s"].iloc[0])
    assert mine["ridge_flop_per_byte"].iloc[0] == pytest.approx(ridge)
    ax = plot.bound_map(bounds)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert any(CARDLESS in t and "measured roofs, no datasheet" in t for t in labels)
    # Neither a card nor roofs for a name given by the caller: a misuse, named.
    with pytest.raises(ValueError, match="cards: unknown catalog card.*no measured roofs"):
        plot.gemm_bounds([CARDLESS], [1], n=8, k=8)
