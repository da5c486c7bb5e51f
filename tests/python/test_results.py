"""ridgeline.results: frames from recorded databases and JSON, checked against the raw files."""

import json
import math
import shutil
import sqlite3
from pathlib import Path

import pandas as pd
import pytest

from ridgeline import results

DATA = Path(__file__).resolve().parent / "data"
REPO = Path(__file__).resolve().parents[2]
H200 = REPO / "data" / "device-results" / "2026-11-26-h200-b"


def raw_rows(path, sql, args=()):
    db = sqlite3.connect(path)
    db.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in db.execute(sql, args)]
    finally:
        db.close()


def test_measurements_have_the_documented_columns_and_the_stored_values(dev_db):
    with results.open(dev_db) as db:
        frame = db.measurements()
    assert list(frame.columns) == results.MEASUREMENT_COLUMNS
    raw = raw_rows(dev_db, "SELECT m.*, d.catalog_id FROM measurements m JOIN runs r"
                           " ON r.id = m.run_id JOIN devices d ON d.id = m.device_id"
                           " WHERE r.status = 'complete' ORDER BY m.id")
    assert len(frame) == len(raw) > 10
    for row, want in zip(frame.to_dict("records"), raw):
        assert row["measurement_id"] == want["id"]
        assert row["device"] == want["catalog_id"] == "epyc_zen4_vm_2cpu"
        assert (row["kernel"], row["variant"], row["dtype"]) == \
            (want["kernel"], want["variant"], want["dtype"])
        assert row["problem"] == json.loads(want["problem_json"])
        assert row["problem_text"] == want["problem_text"]
        assert row["params"] == json.loads(want["params_json"])
        assert row["status"] == want["status"]
        if want["time_median_s"] is None:
            assert math.isnan(row["time_s_median"])
        else:
            assert row["time_s_median"] == want["time_median_s"]
            assert row["sample_count"] == len(json.loads(want["samples_json"]))
        assert row["flop_per_s"] == want["flop_per_s"]
        assert row["arithmetic_intensity_flop_per_byte"] == \
            want["arithmetic_intensity_flop_per_byte"]
        work = json.loads(want["work_json"])
        assert row["flops"] == sum(f["count"] for f in work["flops"])
        assert row["bytes_dram"] == sum(b["count"] for b in work["bytes"] if b["level"] == "dram")
        assert row["counts_source"] == want["counts_source"] == "analytic"
        if want["check_passed"] is None:
            assert pd.isna(row["check_passed"])
        else:
            assert row["check_passed"] == bool(want["check_passed"])
    # Units follow from the work model: FLOP/s = FLOPs / median time.
    timed = frame[frame["status"] == "ok"]
    assert (abs(timed["flops"] / timed["time_s_median"] - timed["flop_per_s"])
            <= 1e-9 * timed["flop_per_s"]).all()
    assert frame["date"].dt.tz is not None


def test_only_complete_runs_are_read(dev_db):
    db = sqlite3.connect(dev_db)
    db.execute("INSERT INTO runs (command, status, started_at, host, pid)"
               " VALUES ('killed', 'running', '2026-11-26T00:00:00.000Z', 'vm', 1)")
    run_id = db.execute("SELECT last_insert_rowid()").fetchone()[0]
    columns = [r[1] for r in db.execute("PRAGMA table_info(measurements)") if r[1] != "id"]
    db.execute(f"INSERT INTO measurements ({','.join(columns)}) SELECT "
               + ",".join("?" if c == "run_id" else c for c in columns)
               + " FROM measurements WHERE id = 1", (run_id,))
    db.commit()
    db.close()
    with results.open(dev_db) as rdb:
        frame = rdb.measurements()
        runs = rdb.runs()
    assert run_id not in set(frame["run_id"])
    assert runs.set_index("run_id").loc[run_id, "status"] == "running"


def test_filters_and_unknown_device(dev_db):
    with results.open(dev_db) as db:
        gemm = db.measurements(kernel="gemm")
        assert set(gemm["kernel"]) == {"gemm"} and len(gemm) > 2
        assert len(db.measurements(device="epyc_zen4_vm_2cpu")) == len(db.measurements())
        assert len(db.measurements(device="AMD EPYC")) == len(db.measurements())
        with pytest.raises(ValueError, match="device: 'h100_sxm' is not in"):
            db.measurements(device="h100_sxm")
        with pytest.raises(TypeError, match="kernel"):
            db.measurements(kernel=3)


def test_runs_say_what_each_run_holds(dev_db):
    with results.open(dev_db) as db:
        runs = db.runs()
    assert list(runs.columns) == results.RUN_COLUMNS
    raw = raw_rows(dev_db, "SELECT run_id, COUNT(*) AS n FROM measurements GROUP BY run_id")
    counts = dict(zip(runs["run_id"], runs["measurements"]))
    for r in raw:
        assert counts[r["run_id"]] == r["n"]
    assert set(runs["kind"]) == {"run", "tuning", "roofs"}
    tuning = runs[runs["kind"] == "tuning"].iloc[0]
    assert tuning["strategy"] == "forest" and tuning["kernel"] == "gemm"


def test_wisdom_is_the_best_of_each_tuning_run(dev_db):
    with results.open(dev_db) as db:
        wisdom = db.wisdom()
        measurements = db.measurements().set_index("measurement_id")
    assert list(wisdom.columns) == results.WISDOM_COLUMNS
    raw = raw_rows(dev_db, "SELECT * FROM tuning_runs WHERE best_measurement_id IS NOT NULL")
    assert len(wisdom) == len(raw) >= 1
    for row in wisdom.to_dict("records"):
        best = measurements.loc[row["best_measurement_id"]]
        assert row["time_s_median"] == best["time_s_median"]
        assert row["params"] == best["params"]
        tuned = measurements[measurements["run_id"] == row["run_id"]]
        assert row["time_s_median"] == tuned.loc[tuned["status"] == "ok", "time_s_median"].min()
    assert wisdom["best_for_case"].all()


def test_ceilings_are_the_latest_set_per_device_and_source(dev_db):
    with results.open(dev_db) as db:
        roofs = db.ceilings()
    assert list(roofs.columns) == results.ROOF_COLUMNS
    raw = raw_rows(dev_db, "SELECT * FROM roofs")
    assert len(roofs) == len(raw) > 0
    compute = roofs[roofs["kind"] == "compute"]
    assert compute["flop_per_s"].gt(0).all() and compute["byte_per_s"].isna().all()
    dram = roofs[(roofs["kind"] == "bandwidth") & (roofs["level"] == "dram")]
    assert dram["byte_per_s"].iloc[0] == next(r["value"] for r in raw if r["level"] == "dram")
    # A newer complete set replaces the old one; history keeps both.
    db = sqlite3.connect(dev_db)
    db.execute("INSERT INTO runs (command, status, started_at, finished_at, host, pid) VALUES"
               " ('ceilings', 'complete', '2026-11-27T00:00:00.000Z',"
               " '2026-11-27T00:00:01.000Z', 'vm', 2)")
    run_id = db.execute("SELECT last_insert_rowid()").fetchone()[0]
    db.execute("INSERT INTO roofs (run_id, device_id, source, kind, level, value, confidence,"
               " provenance, measured_at) VALUES (?, 1, 'measured', 'bandwidth', 'dram', 1e10,"
               " 'measured', 'test', '2026-11-27T00:00:00.000Z')", (run_id,))
    db.commit()
    db.close()
    with results.open(dev_db) as rdb:
        assert rdb.ceilings()["byte_per_s"].tolist() == [1e10]
        assert len(rdb.ceilings(history=True)) == len(raw) + 1


def test_json_export_reads_as_the_database_does(dev_db):
    exported = results.load(DATA / "dev_vm_export.json")
    with results.open(dev_db) as db:
        stored = db.measurements()
    assert list(exported.columns) == results.MEASUREMENT_COLUMNS
    same = ["kernel", "variant", "dtype", "problem_text", "params_text", "status",
            "time_s_median", "flops", "bytes_dram", "flop_per_s",
            "arithmetic_intensity_flop_per_byte", "flop_precision", "flop_unit"]
    pd.testing.assert_frame_equal(exported[same], stored[same])
    # An export carries no device identity beyond the provenance.
    assert set(exported["device"]) == {"AMD EPYC"}


def test_h200_results_json_names_its_catalog_card():
    frame = results.load(H200 / "results.json")
    doc = json.loads((H200 / "results.json").read_text())
    assert len(frame) == len(doc["measurements"])
    assert set(frame["device"]) == {"h200"}
    for row, record in zip(frame.to_dict("records"), doc["measurements"]):
        assert row["arithmetic_intensity_flop_per_byte"] == \
            record["derived"]["arithmetic_intensity_flop_per_byte"]
        assert row["backend"] == "Cuda"
    # The same from the H200's database (a copy: reading creates -shm beside the file).
    assert set(results.load(frame)["device"]) == {"h200"}


def test_h200_database_matches_its_json(tmp_path):
    path = tmp_path / "h200.sqlite"
    shutil.copy(H200 / "results.sqlite", path)
    with results.open(path) as db:
        frame = db.measurements()
        roofs = db.ceilings()
    assert set(frame["device"]) == {"h200"}
    assert set(roofs["source"]) == {"measured"}
    f32 = roofs[(roofs["kind"] == "compute") & (roofs["precision"] == "f32")]
    ceilings = json.loads((H200 / "ceilings.json").read_text())
    fma = [c for c in ceilings["ceilings"] if c["kernel"] == "fma" and c["precision"] == "f32"]
    assert f32["flop_per_s"].iloc[0] == fma[0]["max"]


def test_measurement_frame_from_records_and_schema_checks():
    doc = json.loads((DATA / "dev_vm_export.json").read_text())
    frame = results.measurement_frame(doc["measurements"][:3])
    assert len(frame) == 3 and frame["measurement_id"].isna().all()
    newer = dict(doc["measurements"][0], schema="ridgeline.measurement/2")
    with pytest.raises(ValueError, match=r"records\[0\]: schema 'ridgeline.measurement/2'"):
        results.measurement_frame([newer])
    with pytest.raises(ValueError, match="source: schema 'ridgeline.results/9'"):
        results.load({"schema": "ridgeline.results/9", "measurements": []})
    missing = {k: v for k, v in doc["measurements"][0].items() if k != "work"}
    with pytest.raises(ValueError, match="'work' missing"):
        results.measurement_frame([missing])
    with pytest.raises(TypeError, match="records"):
        results.measurement_frame(doc)
    assert results.load(doc["measurements"][0])["kernel"].tolist() == ["gemm"]
    assert results.measurement_frame([]).columns.tolist() == results.MEASUREMENT_COLUMNS


def test_ceilings_frame():
    doc = json.loads((DATA / "dev_vm_ceilings_quick.json").read_text())
    frame = results.ceilings_frame(doc)
    assert list(frame.columns) == results.CEILING_COLUMNS
    assert len(frame) == len(doc["ceilings"])
    for row, c in zip(frame.to_dict("records"), doc["ceilings"]):
        value = row["flop_per_s"] if c["kind"] == "compute" else row["byte_per_s"]
        assert value == c["max"] and row["rate_min_per_s"] == c["min"]
    with pytest.raises(ValueError, match="schema"):
        results.ceilings_frame({"schema": "ridgeline.ceilings/2"})
    with pytest.raises(TypeError, match="doc"):
        results.ceilings_frame([])


def test_runs_read_the_pace_of_a_version_5_file_and_nan_before(dev_db):
    with results.open(dev_db) as db:  # the fixture is older than version 5: no pace stored
        assert db.runs()["evaluations_per_minute"].isna().all()
    db = sqlite3.connect(dev_db)
    # What migration 5 does (storage/detail/migrations.cpp), then one finished run's pace.
    db.execute("ALTER TABLE tuning_runs ADD COLUMN evaluations_per_minute REAL")
    tuning_run = db.execute("SELECT MIN(run_id) FROM tuning_runs").fetchone()[0]
    db.execute("UPDATE tuning_runs SET evaluations_per_minute = 42.5 WHERE run_id = ?",
               (tuning_run,))
    db.execute("PRAGMA user_version = 5")
    db.commit()
    db.close()
    with results.open(dev_db) as db:
        assert db.schema_version == 5
        runs = db.runs()
    assert list(runs.columns) == results.RUN_COLUMNS
    paced = runs[runs["run_id"] == tuning_run].iloc[0]
    assert paced["evaluations_per_minute"] == 42.5
    assert runs[runs["run_id"] != tuning_run]["evaluations_per_minute"].isna().all()


def test_open_refuses_what_it_cannot_read(tmp_path, dev_db):
    with pytest.raises(FileNotFoundError, match="path"):
        results.open(tmp_path / "absent.sqlite")
    text = tmp_path / "notes.sqlite"
    text.write_text("not a database")
    with pytest.raises(ValueError, match="not an SQLite database"):
        results.open(text)
    with pytest.raises(TypeError, match="path"):
        results.open(42)
    db = sqlite3.connect(dev_db)
    db.execute("PRAGMA user_version = 99")
    db.close()
    with pytest.raises(ValueError, match=f"schema version 99 is newer than this reader's {max(results.KNOWN_DATABASE_VERSIONS)}"):
        results.open(dev_db)
    foreign = tmp_path / "foreign.sqlite"
    db = sqlite3.connect(foreign)
    db.execute("PRAGMA application_id = 7")
    db.execute("CREATE TABLE t (x)")
    db.close()
    with pytest.raises(ValueError, match="not a Ridgeline database"):
        results.open(foreign)


def test_load_rejects_wrong_types(tmp_path):
    with pytest.raises(TypeError, match="source"):
        results.load(3.5)
    with pytest.raises(ValueError, match="source: DataFrame lacks"):
        results.load(pd.DataFrame({"kernel": ["gemm"]}))
    bad = tmp_path / "bad.json"
    bad.write_text("{ not json")
    with pytest.raises(ValueError, match="neither an SQLite database nor JSON"):
        results.load(bad)
