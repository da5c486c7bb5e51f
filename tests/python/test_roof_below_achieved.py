"""A roof below an achieved point is an error of the roofs, not a result (issue 13): the Python
readers expose the flag, judge old records by the same rule, and the plots and progress bars
never show a fraction above the tolerance. Pure Python, inputs built here."""

import math
import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import ridgeline as rl  # noqa: E402
from ridgeline import plot, progress, results  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
CARD = "test_card"
PEAK = 1e12  # the test card's f32 SIMT roof; DRAM 1 TB/s, so AI 100 is compute-bound


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_the_tolerance_is_the_cpp_one():
    """profiler/roofs.hpp declares it; Python's copy must not drift."""
    text = (REPO / "profiler" / "roofs.hpp").read_text()
    found = re.search(r"inline constexpr double roof_tolerance = ([0-9.eE+-]+);", text)
    assert found, "roof_tolerance not found in profiler/roofs.hpp"
    assert results.ROOF_TOLERANCE == float(found.group(1))


@pytest.mark.parametrize("ratio, flagged", [(1.9, True), (1.04, False), (1.0, False),
                                            (0.5, False)])
def test_exceeds_roof(ratio, flagged):
    assert results.exceeds_roof(ratio * PEAK, PEAK) is flagged


def test_exactly_at_the_boundary_is_accepted():
    assert PEAK * (1 + results.ROOF_TOLERANCE) == 1.05e12  # exact in double
    assert not results.exceeds_roof(1.05e12, PEAK)
    assert results.exceeds_roof(1.05e12 + 1, PEAK)
    # No roof, or no number: nothing to judge.
    assert not results.exceeds_roof(5.0, 0.0)
    assert not results.exceeds_roof(5.0, math.nan)
    assert not results.exceeds_roof(5.0, None)


def placement(achieved, attainable=PEAK, **extra):
    p = {"placed": True, "why_not": "", "device": CARD, "roof_source": "datasheet",
         "counts_source": "analytic", "precision": "f32", "unit": "simt",
         "compute_roof_flop_per_s": PEAK, "levels": [], "attainable_flop_per_s": attainable,
         "bound": "compute (f32 simt)", "achieved_flop_per_s": achieved,
         "fraction_of_attainable": achieved / attainable, "headroom": attainable / achieved}
    p.update(extra)
    return p


def record(achieved, intensity=100.0, placements=None):
    """A ridgeline.measurement/1 record timed at 1 s: achieved FLOP/s = its FLOPs."""
    flops = int(achieved)
    dram = int(flops / intensity)
    return {
        "schema": "ridgeline.measurement/1", "kernel": "gemm", "variant": "kokkos_tiled",
        "dtype": "f32", "backend": "OpenMP", "problem": {"m": 64, "n": 64, "k": 64},
        "params": {}, "status": "ok", "reason": "",
        "time_s": {"median": 1.0, "min": 1.0, "max": 1.0, "mean": 1.0, "q1": 1.0, "q3": 1.0,
                   "relative_spread": 0.0, "samples": [1.0], "stop_reason": "converged"},
        "work": {"source": "analytic",
                 "flops": [{"precision": "f32", "unit": "simt", "count": flops}],
                 "bytes": [{"level": "dram", "kind": "minimal", "count": dram}]},
        "derived": {"flop_per_s": float(flops), "dram_byte_per_s": float(dram),
                    "arithmetic_intensity_flop_per_byte": flops / dram},
        "check": None, "provenance": {"date": "2026-11-26T07:12:03Z", "cpu_model": "Test CPU"},
        "roofline": placements if placements is not None else [placement(float(flops))],
    }


def test_placements_keep_the_writers_flag():
    reason = ("this roof set is wrong or stale (datasheet card test_card): its compute (f32 "
              "simt) roof, 1 TFLOP/s (datasheet), is below the achieved 1.9 TFLOP/s")
    r = record(1.9e12, placements=[placement(1.9e12, roof_below_achieved=True,
                                             roof_below_achieved_reason=reason)])
    [p] = results.placements(r)
    assert p["roof_below_achieved"] is True and p["roof_below_achieved_reason"] == reason
    m = rl.Measurement(r)
    assert m.roof_below_achieved
    assert m.placements[0]["roof_below_achieved_reason"] == reason


@pytest.mark.parametrize("ratio, flagged", [(1.9, True), (1.04, False), (1.05, False)])
def test_records_written_before_the_flag_are_judged_by_the_same_rule(ratio, flagged):
    r = record(ratio * PEAK)  # placements without the keys, as older files have them
    assert "roof_below_achieved" not in r["roofline"][0]
    [p] = results.placements(r)
    assert p["roof_below_achieved"] is flagged
    assert rl.Measurement(r).roof_below_achieved is flagged
    if flagged:
        assert p["roof_below_achieved_reason"].startswith(
            "this roof set is wrong or stale (datasheet card test_card): its compute (f32 simt)")
    else:
        assert p["roof_below_achieved_reason"] == ""
    assert "roof_below_achieved" not in r["roofline"][0]  # the record itself is not changed


def test_records_without_placements_have_none():
    r = record(1.9e12)
    del r["roofline"]
    assert results.placements(r) == []
    assert not rl.Measurement(r).roof_below_achieved


def tuning(floor, best, **flag):
    doc = {"schema": "ridgeline.tune/1", "run_id": 1, "resumed": False, "reused_evaluations": 0,
           "evaluations": 1, "stop_reason": "budget", "seconds": 1.0, "floor_time_s": floor,
           "floor_bound": "compute (f32 simt)", "roofs_source": "datasheet",
           "default": record(PEAK), "best": record(PEAK)}
    doc["best"]["time_s"]["median"] = best
    doc.update(flag)
    return rl.TuningRun(doc, history=pd.DataFrame())


def test_tuning_run_exposes_the_flag():
    assert tuning(1.9e-3, 1e-3, roof_below_achieved=True).roof_below_achieved
    assert not tuning(1.9e-3, 1e-3, roof_below_achieved=False).roof_below_achieved
    # A document written before the flag: floor / best = achieved / attainable.
    assert tuning(1.9e-3, 1e-3).roof_below_achieved
    assert not tuning(1.04e-3, 1e-3).roof_below_achieved
    assert not tuning(None, 1e-3).roof_below_achieved


def test_progress_bar_never_shows_more_than_the_tolerance_of_roof(capsys):
    callback, close = progress.resolve(True, progress.tune_bar, "tune gemm")
    callback({"done": 1, "total": 2, "best_time_s": 1e-3, "elapsed_s": 0.1, "reused": 0,
              "floor_time_s": 1.9e-3})
    close()
    err = capsys.readouterr().err
    assert "roof below achieved" in err and "190%" not in err
    callback, close = progress.resolve(True, progress.tune_bar, "tune gemm")
    callback({"done": 1, "total": 2, "best_time_s": 1e-3, "elapsed_s": 0.1, "reused": 0,
              "floor_time_s": 1.04e-3})
    close()
    err = capsys.readouterr().err
    assert "104%" in err and "roof below achieved" not in err


@pytest.fixture
def catalog(tmp_path):
    directory = tmp_path / "catalog"
    directory.mkdir()
    (directory / f"{CARD}.yaml").write_text(
        "schema: ridgeline.device/1\n"
        "name: Test Card\n"
        "vendor: Test\n"
        "kind: cpu\n"
        "compute:\n"
        "  simt:\n"
        "    f32: {value: 1, unit: TFLOP/s, confidence: datasheet, source: test}\n"
        "bandwidth:\n"
        "  dram: {value: 1, unit: TB/s, confidence: datasheet, source: test}\n")
    return directory


def results_doc(*records):
    return {"schema": "ridgeline.results/1", "measurements": list(records)}


def problem(r, m):
    r["problem"] = {"m": m, "n": 64, "k": 64}
    return r


def test_compare_table_flags_and_the_figure_draws_no_fraction_bar(catalog):
    data = results_doc(problem(record(1.9 * PEAK), 1), problem(record(1.04 * PEAK), 2))
    table = plot.compare_table(data, kernel="gemm", catalog=catalog)
    by_m = {row["problem"]["m"]: row for row in table.to_dict("records")}
    assert by_m[1]["roof_below_achieved"] and by_m[1]["fraction_of_attainable"] == \
        pytest.approx(1.9)
    assert not by_m[2]["roof_below_achieved"]
    assert list(table.columns)[-1] == "roof_below_achieved"  # appended: positions kept

    fig = plot.compare_cards(data, kernel="gemm", catalog=catalog)
    fraction = fig.axes[0]
    widths = [p.get_width() for p in fraction.patches if p.get_gid() == f"fraction:achieved:{CARD}"]
    shown = [w for w in widths if not math.isnan(w)]
    assert shown == [pytest.approx(1.04)]  # 1.9 is not drawn as 190%
    assert fraction.get_xlim()[1] < 1.9
    marks = [t for t in fraction.texts if (t.get_gid() or "").startswith("roof_below_achieved:")]
    assert [t.get_text() for t in marks] == ["roof below achieved"]
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert any(t.startswith("roof below achieved") for t in legend)


def test_roofline_plot_rings_points_above_a_roof(catalog):
    above = plot.roofline(results_doc(record(1.9 * PEAK)), catalog=catalog)
    rings = [c for c in above.collections if c.get_gid() == "roof_below_achieved"]
    assert len(rings) == 1 and len(rings[0].get_offsets()) == 1
    assert any("roof below achieved" in t.get_text() for t in above.get_legend().get_texts())
    plt.close("all")
    under = plot.roofline(results_doc(record(1.04 * PEAK)), catalog=catalog)
    assert not [c for c in under.collections if c.get_gid() == "roof_below_achieved"]
