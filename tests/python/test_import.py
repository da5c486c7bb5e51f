"""rl.import_results (python/ridgeline/_api.py, python/src/bind_import.cpp) over the compiled
module: other profilers' samples (tests/importers/data) stored and read back with the columns of
rl.load, the per-file summary, refused files raised after the others were stored, and bad
arguments raising TypeError/ValueError that name the argument. Expected numbers are worked out by
hand from the sample files."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

import ridgeline as rl
from ridgeline import _api, results

pytestmark = pytest.mark.core

SAMPLES = Path(__file__).resolve().parents[1] / "importers" / "data"
MLU590 = SAMPLES / "ridgeline-csv" / "mlu590_gemm.csv"
MATMUL = SAMPLES / "msprof" / "op_matmul_f16"
ADD = SAMPLES / "msprof" / "op_add_launches"
MALFORMED = SAMPLES / "ncu" / "malformed_value.csv"


def by_kernel_and_time(frame):
    return frame.sort_values(["kernel", "time_s_median"]).reset_index(drop=True)


def test_returns_the_rl_load_columns_and_one_summary_per_file(db_path):
    frame = rl.import_results(MLU590, db=db_path)
    assert list(frame.columns) == results.MEASUREMENT_COLUMNS
    [summary] = frame.attrs["imports"]
    assert list(summary) == _api.IMPORT_SUMMARY_KEYS
    assert summary["path"] == str(MLU590)
    assert (summary["format"], summary["tool"], summary["card"]) == \
        ("ridgeline-csv", "ridgeline-csv", "mlu590")
    assert (summary["launches"], summary["placeable"]) == (3, 3)
    assert summary["already_imported"] is False and summary["error"] == ""
    assert isinstance(summary["run_id"], int)
    # The same rows rl.load reads from the database, nothing else (one run: this file).
    stored = rl.load(db_path)
    pd.testing.assert_frame_equal(frame, stored[stored["run_id"] == summary["run_id"]]
                                  .reset_index(drop=True), check_like=False)
    runs = rl.open(db_path).runs()
    assert runs["command"].iloc[0].startswith("ridgeline.import_results(")


def test_ridgeline_csv_numbers_as_the_file_states_them(db_path):
    f = by_kernel_and_time(rl.import_results([MLU590], db=db_path))
    assert list(f["kernel"]) == ["gemm_f16_4096", "gemm_f16_4096", "softmax_f32_4096x4096"]
    assert set(f["variant"]) == {"imported:ridgeline-csv"}
    assert set(f["catalog_id"]) == {"mlu590"} and set(f["device_name"]) == {"MLU590"}
    # gemm: 137438953472 f16 tensor + 16777216 f32 SIMT FLOPs; 100663296 DRAM bytes; the two
    # launches (812.5 and 790.25 us) kept apart; dtype, precision and unit the dominant ones.
    gemm = f.iloc[0]
    assert gemm["flops"] == 137438953472 + 16777216
    assert (gemm["dtype"], gemm["flop_precision"], gemm["flop_unit"]) == ("f16", "f16", "tensor")
    assert gemm["bytes_dram"] == 100663296
    assert list(f["time_s_median"][:2]) == pytest.approx([790.25e-6, 812.5e-6])
    assert gemm["flop_per_s"] == pytest.approx((137438953472 + 16777216) / 790.25e-6)
    assert gemm["arithmetic_intensity_flop_per_byte"] == pytest.approx(1365.5)
    softmax = f.iloc[2]
    assert (softmax["flops"], softmax["bytes_dram"]) == (67108864, 134217728)
    assert (softmax["flop_precision"], softmax["flop_unit"]) == ("f32", "simt")
    assert softmax["flop_per_s"] == pytest.approx(67108864 / 105e-6)
    assert softmax["arithmetic_intensity_flop_per_byte"] == pytest.approx(0.5)
    assert (f["status"] == "ok").all() and (f["sample_count"] == 1).all()
    assert set(f["counts_source"]) == {"ridgeline-csv"}


def test_msprof_cube_and_vector_work_on_the_named_card(db_path):
    frame = rl.import_results([MATMUL, ADD], device="ascend_910b", db=db_path)
    assert [s["card"] for s in frame.attrs["imports"]] == ["ascend_910b", "ascend_910b"]
    assert len({s["run_id"] for s in frame.attrs["imports"]}) == 2  # one run per folder
    assert set(frame["catalog_id"]) == {"ascend_910b"}
    assert set(frame["variant"]) == {"imported:msprof"}
    f = by_kernel_and_time(frame)
    # MatMul: two blocks of 67108864 cube FLOPs and four vector sub-blocks of 16384 (f16, so
    # the cube's tensor roof judges it); DRAM bytes = read + write main memory, in KiB:
    # 2 x (768 + 64) + 4 x (32 + 32); the op's Task Duration 24.68 us.
    add_8_02, add_7_96 = f[f["kernel"] == "Add_f16_65536"].sort_values(
        "time_s_median", ascending=False).itertuples()
    matmul = f[f["kernel"] == "MatMulV2_f16_256x256x1024"].iloc[0]
    assert matmul["flops"] == 2 * 67108864 + 4 * 16384
    assert (matmul["flop_precision"], matmul["flop_unit"]) == ("f16", "tensor")
    assert matmul["bytes_dram"] == (2 * (768 + 64) + 4 * (32 + 32)) * 1024
    assert matmul["time_s_median"] == pytest.approx(24.68e-6)
    # Add: vector only (the simt roof judges it), four blocks of 16384 f16 FLOPs and
    # 64 + 32 KiB each; two launches (8.02 and 7.96 us) kept apart.
    for add, time_s in ((add_8_02, 8.02e-6), (add_7_96, 7.96e-6)):
        assert (add.flops, add.flop_precision, add.flop_unit) == (4 * 16384, "f16", "simt")
        assert add.bytes_dram == 4 * (64 + 32) * 1024
        assert add.time_s_median == pytest.approx(time_s)
    # On the card's roofs: cube work under the f16 tensor roof, vector work under the f16 simt
    # roof, each far below its roof (not a roof set below what was achieved).
    roofs = rl.plot.load_catalog()["ascend_910b"].roofs
    for row in f.itertuples():
        attainable = rl.plot.attainable_flop_per_s(roofs, row.flop_precision, row.flop_unit,
                                                  row.arithmetic_intensity_flop_per_byte)
        assert 0 < row.flop_per_s < attainable


def test_a_file_naming_no_device_needs_a_card(db_path):
    # msprof names no device: refused whole with the hint, nothing stored; with device= it goes in.
    with pytest.raises(rl.ImportRefused, match="does not name the device it ran on: pass --device"):
        rl.import_results(MATMUL, db=db_path)
    frame = rl.import_results(MATMUL, device="ascend_910b", db=db_path)
    assert list(frame["catalog_id"]) == ["ascend_910b"]


def test_the_kernel_filter_keeps_matching_kernels_only(db_path):
    frame = rl.import_results(MLU590, kernel_filter="^gemm", db=db_path)
    assert list(frame["kernel"]) == ["gemm_f16_4096", "gemm_f16_4096"]
    assert frame.attrs["imports"][0]["launches"] == 2


def test_the_same_content_twice_adds_nothing(db_path, tmp_path):
    first = rl.import_results(MLU590, db=db_path)
    copy = tmp_path / "renamed.csv"
    copy.write_bytes(MLU590.read_bytes())
    again = rl.import_results(copy, db=db_path)
    [summary] = again.attrs["imports"]
    assert summary["already_imported"] is True
    assert summary["run_id"] is None and summary["launches"] == 0
    assert again.empty and list(again.columns) == results.MEASUREMENT_COLUMNS
    assert len(rl.load(db_path)) == len(first)


def test_a_refused_file_raises_after_the_others_are_stored(db_path):
    with pytest.raises(rl.ImportRefused) as refused:
        rl.import_results([MALFORMED, MLU590], db=db_path)
    assert isinstance(refused.value, ValueError)
    first_line = str(refused.value).splitlines()[0]
    # "FILE:LINE: problem": the value on line 3 is not a number.
    assert first_line.startswith(f"{MALFORMED}:3: ") and "12.5x" in first_line
    assert "1 other file imported" in str(refused.value)
    frame = refused.value.frame
    assert set(frame["kernel"]) == {"gemm_f16_4096", "softmax_f32_4096x4096"}
    bad, good = frame.attrs["imports"]
    assert bad["error"] == first_line and bad["run_id"] is None
    assert good["error"] == "" and good["launches"] == 3
    assert len(rl.load(db_path)) == 3  # the good file is stored; nothing of the bad one


def test_only_refused_files_raise_with_an_empty_frame(db_path, tmp_path):
    missing = tmp_path / "nowhere.csv"
    with pytest.raises(rl.ImportRefused, match="nowhere.csv: no such file or directory") as e:
        rl.import_results(missing, db=db_path)
    assert e.value.frame.empty and "imported" not in str(e.value)


@pytest.mark.parametrize("overrides, error, message", [
    (dict(paths=3), TypeError, "paths: expected a path or a list of paths, got int"),
    (dict(paths=[]), ValueError, "paths: name at least one file or directory"),
    (dict(paths=[MLU590, 3]), TypeError, r"paths\[1\]: expected a path, got int"),
    (dict(format=3), TypeError, "format: expected a str, got int"),
    (dict(format="nope"), ValueError, "format: 'nope' is not a format"),
    (dict(device=3), TypeError, "device: expected a str or None, got int"),
    (dict(device="h999"), ValueError, "device: no catalog card 'h999'"),
    (dict(kernel_filter="("), ValueError, "kernel_filter: '\\(' is not a regular expression"),
    (dict(db=False), TypeError, "db: expected a path or None"),
])
def test_rejects_bad_arguments_naming_them(overrides, error, message, db_path):
    args = dict(paths=MLU590, db=db_path)
    args.update(overrides)
    with pytest.raises(error, match=message):
        rl.import_results(**args)
    # Refused before anything was read: nothing stored.
    assert not db_path.exists() or rl.load(db_path).empty


def test_the_default_database_is_the_cli_s():
    # db=None: $RIDGELINE_DB, as for the CLI (conftest points it into the session's temporary
    # directory, so the user's database is never touched).
    frame = rl.import_results(MLU590)
    [summary] = frame.attrs["imports"]
    stored = rl.load(os.environ["RIDGELINE_DB"])
    if not summary["already_imported"]:  # another test of this session may have imported it
        assert set(frame["measurement_id"]) <= set(stored["measurement_id"])
    assert (stored["variant"] == "imported:ridgeline-csv").sum() == 3


def test_the_roofline_plot_says_why_an_imported_launch_is_not_placed(db_path):
    # op_summary with the default metrics gives utilisation ratios only: each task is stored with
    # its time and that reason, which the plot's "not placed" list repeats (shortened).
    summary = SAMPLES / "msprof" / "op_summary_pipe_utilization.csv"
    frame = rl.import_results(summary, device="ascend_910b", db=db_path)
    assert (frame["reason"].str.contains("ratios")).all()
    ax = rl.plot.roofline(frame, device="ascend_910b")
    unplaced = [t for t in ax.texts if t.get_gid() == "unplaced"][0].get_text()
    assert "imported:msprof (op_summary gives no FLOP or byte counts" in unplaced
