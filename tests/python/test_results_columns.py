"""results.MEASUREMENT_COLUMN_TABLE, the pure-Python copy of storage/measurement_columns.cpp."""

import sqlite3
from pathlib import Path

from ridgeline import results

REPO = Path(__file__).resolve().parents[2]


def test_the_copy_is_the_compiled_table(core):
    assert results.MEASUREMENT_COLUMN_TABLE == tuple(core.measurement_columns())


def test_the_copy_names_the_golden_csv_header():
    header = (REPO / "tests" / "storage" / "data" / "export_golden.csv").read_text().split("\n")[0]
    assert [c[1] for c in results.MEASUREMENT_COLUMN_TABLE if c[1]] == header.split(",")


def test_the_copy_names_the_stored_columns_in_order(dev_db):
    db = sqlite3.connect(dev_db)
    try:
        stored = [r[1] for r in db.execute("PRAGMA table_info(measurements)")]
    finally:
        db.close()
    # id, run_id, device_id and created_at are the row's place, not the record's columns.
    assert [c[0] for c in results.MEASUREMENT_COLUMN_TABLE if c[0]] == stored[4:]
