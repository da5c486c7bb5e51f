"""rl.devices / catalog / run / tune / ceilings (python/ridgeline/_api.py) over the compiled
module: frames and their columns, results stored and read back, Ctrl-C's path through the
tuner, and every kind of bad argument raising TypeError/ValueError that names the argument."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
import time

import numpy as np
import pandas as pd
import pytest
import yaml

import ridgeline as rl
from ridgeline import _api, _paths, results

pytestmark = pytest.mark.core

SMALL = {"m": 64, "n": 64, "k": 64}
# Sampling short enough for a 2-core CI machine: these tests check plumbing, not speed.
QUICK = {"max_time": 0.02, "warmup": 0.001}


def measurement_rows(db_path, run_id):
    """Rows the tuner committed for one run, whatever the run's status (results.py shows only
    complete runs, and an interrupted run is not complete)."""
    with sqlite3.connect(db_path) as c:
        return c.execute("SELECT COUNT(*) FROM measurements WHERE run_id = ?",
                         (run_id,)).fetchone()[0]


def run_status(db_path, run_id):
    with sqlite3.connect(db_path) as c:
        return c.execute("SELECT status FROM runs WHERE id = ?", (run_id,)).fetchone()[0]


# --- devices and catalog

def test_devices_frame_has_documented_columns_and_one_default_backend():
    frame = rl.devices()
    assert list(frame.columns) == _api.DEVICE_COLUMNS
    assert len(frame) >= 1
    assert frame["default"].sum() == 1
    assert set(frame["backend"]) <= {"openmp", "serial", "cuda", "hip"}
    assert (frame["concurrency"] >= 1).all()
    assert frame.attrs["document"]["schema"] == "ridgeline.devices/1"


def test_catalog_agrees_with_the_pure_python_reader():
    # Two independent readers of configs/devices: the strict C++ loader behind rl.catalog and
    # the plotting package's PyYAML reader. Every known datasheet roof must agree.
    frame = rl.catalog()
    assert list(frame.columns) == _api.CATALOG_COLUMNS
    assert (frame["source"] == "datasheet").all()
    known = frame[frame["confidence"] != "unknown"]
    unknown = frame[frame["confidence"] == "unknown"]
    assert unknown["flop_per_s"].isna().all() and unknown["byte_per_s"].isna().all()
    other = rl.plot.catalog_frame()
    key = ["device", "kind", "precision", "unit", "level"]
    merged = known.merge(other, on=key, suffixes=("", "_py"), how="outer", indicator=True)
    assert (merged["_merge"] == "both").all(), merged[merged["_merge"] != "both"][key]
    for column in ("flop_per_s", "byte_per_s"):
        a, b = merged[column].to_numpy(float), merged[column + "_py"].to_numpy(float)
        assert np.allclose(a, b, rtol=1e-12, equal_nan=True), column
    h100 = frame[(frame["device"] == "h100_sxm") & (frame["level"] == "dram")]
    assert len(h100) == 1 and h100["byte_per_s"].iloc[0] > 1e12


def test_catalog_refuses_a_directory_that_does_not_exist(tmp_path):
    with pytest.raises(ValueError, match="does-not-exist"):
        rl.catalog(catalog=tmp_path / "does-not-exist")


# --- run

def test_run_small_gemm_checked_is_stored_and_reads_back(db_path):
    m = rl.run("gemm", problem=SMALL, dtype="f32", check=True, db=db_path, seed=7, **QUICK)
    assert m.ok, m.reason
    assert m.check["passed"] is True
    assert m.time_s > 0
    assert {k: m.record["problem"][k] for k in SMALL} == SMALL
    frame = m.to_frame()
    assert list(frame.columns) == results.MEASUREMENT_COLUMNS
    assert frame["flops"].iloc[0] == 2 * 64 * 64 * 64
    stored = rl.open(db_path).measurements()
    assert len(stored) == 1
    row = stored.iloc[0]
    assert (row["kernel"], row["variant"], row["dtype"]) == ("gemm", m.record["variant"], "f32")
    assert row["time_s_median"] == pytest.approx(m.time_s)
    assert bool(row["check_passed"]) is True


def test_run_f64_from_a_numpy_dtype_and_explicit_params(db_path):
    m = rl.run("gemm", problem={"m": 33, "n": 17, "k": 9}, dtype=np.float64, variant="kokkos_tiled",
               params={"tile_m": 16, "reg_m": 4, "stage": "none"}, check=True, db=db_path, **QUICK)
    assert m.ok, m.reason
    assert m.record["dtype"] == "f64"
    assert m.params["tile_m"] == "16" or m.params["tile_m"] == 16
    assert m.params["stage"] == "none"


def test_run_invalid_configuration_is_a_status_not_an_exception():
    # tile_m=8 with reg_m=6 violates the space's tile_m % reg_m constraint: a recorded outcome.
    m = rl.run("gemm", problem=SMALL, params={"tile_m": 8, "reg_m": 6}, db=False, **QUICK)
    assert m.status == "invalid_config"
    assert "tile_m" in m.reason or "reg_m" in m.reason


def test_run_checked_not_timed_has_a_repr():
    # time=False leaves time_s null in the record; showing the result in a notebook must work.
    m = rl.run("gemm", problem={"m": 9, "n": 7, "k": 5}, db=False, check=True, time=False)
    assert m.ok and m.time_s is None and m.check["passed"] is True
    assert repr(m).endswith("ok (not timed)>")


def test_run_with_db_false_stores_nothing(db_path):
    rl.run("gemm", problem=SMALL, db=False, **QUICK)
    assert not db_path.exists()


def test_run_with_a_model_preset_takes_its_shape_and_the_explicit_fields():
    preset = yaml.safe_load(open(_paths.problems_dir() + "/mixtral-8x7b.yaml"))["attention"]
    m = rl.run("attention", preset="mixtral-8x7b", tokens=16, problem={"causal": 0}, db=False,
               check=True, **QUICK)
    assert m.ok, m.reason
    problem = m.record["problem"]
    assert (problem["hq"], problem["hkv"], problem["d"]) == (
        preset["hq"]["value"], preset["hkv"]["value"], preset["d"]["value"])
    assert (problem["sq"], problem["skv"], problem["causal"]) == (16, 16, 0)


def test_run_releases_the_gil():
    # While this thread runs (the thread that started Kokkos: OpenMP launches only from it), a
    # Python thread wakes up every 5 ms. With the GIL held for the whole run it would wake up
    # about once.
    ticks = 0
    done = threading.Event()

    def tick():
        nonlocal ticks
        while not done.is_set():
            ticks += 1
            time.sleep(0.005)

    ticker = threading.Thread(target=tick)
    started = time.monotonic()
    ticker.start()
    try:
        m = rl.run("gemm", problem={"m": 128, "n": 128, "k": 128}, db=False, check=True,
                   max_time=0.3, target_spread=1e-9)
    finally:
        done.set()
        ticker.join()
    elapsed = time.monotonic() - started
    assert m.ok and m.check["passed"] is True
    assert elapsed > 0.05
    assert ticks >= max(4, 0.25 * elapsed / 0.005)


def test_run_from_another_thread_on_openmp_says_why():
    # Kokkos 3.4's OpenMP backend launches only from the thread that initialized Kokkos; from
    # another thread a range kernel would silently run on one core. The call must refuse instead.
    if "openmp" not in set(rl.devices()["backend"]):
        pytest.skip("this build has no OpenMP backend")
    rl.run("gemm", problem={"m": 8, "n": 8, "k": 8}, db=False, backend="openmp", **QUICK)
    caught = []

    def call():
        try:
            rl.run("gemm", problem={"m": 8, "n": 8, "k": 8}, db=False, backend="openmp", **QUICK)
        except Exception as e:  # noqa: BLE001 -- the test inspects what was raised
            caught.append(e)

    worker = threading.Thread(target=call)
    worker.start()
    worker.join()
    assert len(caught) == 1 and isinstance(caught[0], RuntimeError)
    assert str(caught[0]).startswith("backend: Kokkos' OpenMP backend launches kernels only")
    # A serial run from the same other thread is fine.
    m = []
    worker = threading.Thread(target=lambda: m.append(
        rl.run("gemm", problem={"m": 8, "n": 8, "k": 8}, db=False, backend="serial", **QUICK)))
    worker.start()
    worker.join()
    assert m and m[0].ok


# --- tune

def test_tune_budget_three_is_stored_and_reads_back(db_path):
    seen = []
    t = rl.tune("gemm", problem={"m": 48, "n": 32, "k": 16}, budget=3, db=db_path,
                progress=seen.append, **QUICK)
    assert t.stop_reason in ("budget", "exhausted")
    assert len(t.history) == 3
    assert list(t.history.columns) == _api.HISTORY_COLUMNS
    assert [p["done"] for p in seen] == [1, 2, 3]
    assert all(p["total"] == 3 for p in seen)
    assert t.best is not None and t.best.ok
    assert t.best.check["passed"] is True  # check="best": the best was checked
    # The best is the fastest ok time of the default and every evaluation (the default always
    # runs correctly here; the others may be cut on a busy machine).
    ok_times = list(t.history.loc[t.history["status"] == "ok", "time_s"])
    assert t.default.ok
    assert t.best.time_s == min(ok_times + [t.default.time_s])

    runs = rl.open(db_path).runs()
    run = runs[runs["run_id"] == t.run_id].iloc[0]
    assert run["status"] == "complete" and run["kind"] == "tuning"
    assert run["stop_reason"] == t.stop_reason
    stored = rl.open(db_path).measurements()
    assert len(stored) == measurement_rows(db_path, t.run_id) == run["evaluations"]
    # The pace: every configuration was measured (default included), and the stored value is
    # the one the call returned.
    assert t.document["measured_evaluations"] == len(stored)
    assert t.evaluations_per_minute > 0
    assert run["evaluations_per_minute"] == pytest.approx(t.evaluations_per_minute)
    assert len(stored) == len(set(t.history["params_text"]) | {
        ",".join(f"{k}={v}" for k, v in t.default.params.items())})


def test_tune_interrupted_keeps_its_rows_and_resumes(db_path):
    stop_after = 2

    def interrupt(info):
        if info["done"] == stop_after:
            raise KeyboardInterrupt

    args = dict(problem={"m": 40, "n": 24, "k": 8}, budget=4, db=db_path, seed=3, **QUICK)
    with pytest.raises(rl.TuningInterrupted) as caught:
        rl.tune("gemm", progress=interrupt, **args)
    partial = caught.value.run
    assert isinstance(caught.value, KeyboardInterrupt)
    assert partial.stop_reason == "interrupted"
    assert len(partial.history) == stop_after
    committed = measurement_rows(db_path, partial.run_id)
    # the default configuration plus each evaluation (the default may be one of them)
    assert committed in (stop_after, stop_after + 1)
    assert run_status(db_path, partial.run_id) == "failed"  # unfinished: resumable

    resumed = rl.tune("gemm", resume=True, **args)
    assert resumed.resumed and resumed.run_id == partial.run_id
    assert resumed.reused_evaluations >= stop_after  # answered from the database, not re-run
    assert len(resumed.history) == 4
    assert run_status(db_path, resumed.run_id) == "complete"
    assert measurement_rows(db_path, resumed.run_id) == len(
        set(resumed.history["params_text"]) | {
            ",".join(f"{k}={v}" for k, v in resumed.default.params.items())})


def test_tune_progress_exception_propagates_with_results_kept(db_path):
    def broken(info):
        raise ZeroDivisionError("progress callback failed")

    with pytest.raises(ZeroDivisionError, match="progress callback failed"):
        rl.tune("gemm", problem={"m": 16, "n": 16, "k": 16}, budget=3, db=db_path,
                progress=broken, **QUICK)
    runs = pd.read_sql("SELECT id, status FROM runs", sqlite3.connect(db_path))
    assert list(runs["status"]) == ["failed"]
    assert measurement_rows(db_path, int(runs["id"].iloc[0])) >= 1


# --- ceilings

def test_ceilings_quick_is_returned_but_not_stored(db_path):
    frame = rl.ceilings(quick=True, time_per_point=0.01, max_bytes=1 << 20, db=db_path)
    compute = frame[frame["kind"] == "compute"]
    assert set(compute["precision"]) == {"f32", "f64"}
    assert (compute["flop_per_s"] > 0).all()
    doc = frame.attrs["document"]
    assert doc["schema"] == "ridgeline.ceilings/1" and doc["stored"] is False
    assert rl.open(db_path).ceilings().empty


def test_ceilings_stored_join_the_catalog_as_measured_roofs(db_path):
    seen = []
    frame = rl.ceilings(time_per_point=0.01, max_bytes=1 << 20, db=db_path, progress=seen.append)
    assert frame.attrs["document"]["stored"] is True
    assert [p["done"] for p in seen] == list(range(1, seen[-1]["total"] + 1))
    measured = rl.catalog(db=db_path)
    measured = measured[measured["source"] == "measured"]
    assert set(measured[measured["kind"] == "compute"]["precision"]) == {"f32", "f64"}
    best_f64 = frame[(frame["kind"] == "compute") & (frame["precision"] == "f64")]["flop_per_s"]
    assert measured[(measured["kind"] == "compute") & (measured["precision"] == "f64")][
        "flop_per_s"].iloc[0] == pytest.approx(best_f64.iloc[0])


def test_ceilings_interrupted_raises_and_stores_nothing(db_path):
    def interrupt(info):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        rl.ceilings(time_per_point=0.01, max_bytes=1 << 20, db=db_path, progress=interrupt)
    assert rl.open(db_path).ceilings().empty


# --- bad arguments: TypeError for the wrong kind of value, ValueError for a wrong value; the
# message starts with the argument's name.

RUN_ERRORS = [
    (dict(kernel="nope"), ValueError, r"^kernel: unknown kernel 'nope'"),
    (dict(kernel=5), TypeError, r"^kernel: expected a str"),
    (dict(problem={"m": 64, "n": 64, "k": 64, "q": 1}), ValueError, r"^problem: unknown field 'q'"),
    (dict(problem={"m": 64, "n": 64}), ValueError, r"^problem: missing 'k'"),
    (dict(problem={"m": 0, "n": 64, "k": 64}), ValueError, r"^problem: m must be >= 1"),
    (dict(problem="m=64,n=64,k=64"), TypeError, r"^problem: expected a dict"),
    (dict(problem={"m": [64], "n": 64, "k": 64}), TypeError, r"^problem\['m'\]: expected an int"),
    (dict(problem={1: 64}), TypeError, r"^problem: keys must be str"),
    (dict(dtype="f17"), ValueError, r"^dtype: unknown dtype 'f17'"),
    (dict(dtype=np.int32), ValueError, r"^dtype: int32 is not supported"),
    (dict(dtype=3.5), TypeError, r"^dtype: expected"),
    (dict(variant="nope"), ValueError, r"^variant: unknown variant 'nope' of gemm"),
    (dict(variant=1), TypeError, r"^variant: expected a str or None"),
    (dict(params={"bogus": 1}), ValueError, r"^params: unknown axis 'bogus'"),
    (dict(params={"tile_m": "x"}), ValueError, r"^params: tile_m: expected an integer"),
    (dict(params={"stage": "l9"}), ValueError, r"^params: stage must be one of"),
    (dict(params=[("tile_m", 8)]), TypeError, r"^params: expected a dict"),
    (dict(check="yes"), TypeError, r"^check: expected True or False"),
    (dict(seed=-1), ValueError, r"^seed: must be >= 0"),
    (dict(seed=1.5), TypeError, r"^seed: expected an int"),
    (dict(seed=2 ** 64), ValueError, r"^seed: must be < 2\^64"),
    (dict(max_samples=2 ** 40), ValueError, r"^max_samples: must be < 2\^31"),
    (dict(db=3), TypeError, r"^db: expected a path"),
    (dict(backend="cuda"), ValueError, r"^backend: 'cuda' is not enabled"),
    (dict(max_time=0), ValueError, r"^max_time: must be > 0"),
    (dict(max_time="1s"), TypeError, r"^max_time: expected a number"),
    (dict(min_samples=5, max_samples=2), ValueError, r"^max_samples: must be >= --min-samples"),
    (dict(counters="gpu"), ValueError, r"^counters:"),
    (dict(progress=3), TypeError, r"^progress: expected"),
    (dict(problem=None), ValueError, r"^problem: required \(or preset="),
    (dict(tokens=16), ValueError, r"^tokens: needs preset"),
    (dict(kernel="attention", problem=None, preset="gpt-9", tokens=16), ValueError,
     r"^preset: unknown preset 'gpt-9'"),
    (dict(kernel="attention", problem=None, preset="mixtral-8x7b", tokens=0), ValueError,
     r"^tokens: must be >= 1"),
    (dict(kernel="attention", problem=None, preset=7, tokens=16), TypeError,
     r"^preset: expected a str"),
    (dict(check=False, time=False), ValueError, r"^time: with check=False there is nothing"),
]


@pytest.mark.parametrize("overrides,error,message", RUN_ERRORS,
                         ids=[m for _, _, m in RUN_ERRORS])
def test_run_rejects_bad_arguments_naming_them(overrides, error, message):
    kwargs = dict(kernel="gemm", problem=SMALL, db=False, **QUICK)
    kwargs.update(overrides)
    with pytest.raises(error, match=message):
        rl.run(**kwargs)


TUNE_ERRORS = [
    (dict(budget=0), ValueError, r"^budget: must be >= 1"),
    (dict(budget=-1), ValueError, r"^budget: must be >= 0"),
    (dict(budget=2.5), TypeError, r"^budget: expected an int"),
    (dict(time="5m"), TypeError, r"^time: expected a number"),
    (dict(time=0), ValueError, r"^time: must be > 0"),
    (dict(within_roof=150), ValueError, r"^within_roof: a percentage between 0 and 100"),
    (dict(no_improvement=0), ValueError, r"^no_improvement: must be >= 1"),
    (dict(strategy="nope"), ValueError, r"^strategy: unknown strategy 'nope'"),
    (dict(strategy_options={"bogus": 1}), ValueError, r"^strategy_option"),
    (dict(variant="vendor"), ValueError, r"^variant: vendor of gemm has no tunable axes"),
    (dict(check="most"), ValueError, r"^check: 'most' is not one of none, best, all"),
    (dict(check=True), TypeError, r"^check: expected a str"),
    (dict(abandon_factor=0.5), ValueError, r"^abandon_factor: must be > 1"),
    (dict(cut=0.5), ValueError, r"^abandon_factor: must be > 1"),  # the earlier name
    (dict(cut=2, abandon_factor=4), TypeError, r"^cut: the earlier name of abandon_factor"),
    (dict(abandon_factor=None), TypeError, r"^abandon_factor: expected a number"),
    (dict(db=False), TypeError, r"^db: expected a path or None"),
    (dict(resume="yes"), TypeError, r"^resume: expected True or False"),
    (dict(problem={"m": 8}), ValueError, r"^problem: missing 'n'"),
    (dict(kernel="nope"), ValueError, r"^kernel: unknown kernel 'nope'"),
    (dict(progress="bar"), TypeError, r"^progress: expected"),
]


@pytest.mark.parametrize("overrides,error,message", TUNE_ERRORS,
                         ids=[m for _, _, m in TUNE_ERRORS])
def test_tune_rejects_bad_arguments_naming_them(overrides, error, message, db_path):
    kwargs = dict(kernel="gemm", problem={"m": 8, "n": 8, "k": 8}, budget=1, db=db_path, **QUICK)
    kwargs.update(overrides)
    with pytest.raises(error, match=message):
        rl.tune(**kwargs)
    assert measurement_rows_or_none(db_path) in (None, 0)


def measurement_rows_or_none(db_path):
    if not db_path.exists():
        return None
    with sqlite3.connect(db_path) as c:
        return c.execute("SELECT COUNT(*) FROM measurements").fetchone()[0]


CEILINGS_ERRORS = [
    (dict(time_per_point=0), ValueError, r"^time_per_point: must be > 0"),
    (dict(max_bytes=10), ValueError, r"^max_bytes: must be at least 1M"),
    (dict(quick="yes"), TypeError, r"^quick: expected True or False"),
    (dict(backend="hip"), ValueError, r"^backend: 'hip' is not enabled"),
    (dict(db=[]), TypeError, r"^db: expected a path"),
]


@pytest.mark.parametrize("overrides,error,message", CEILINGS_ERRORS,
                         ids=[m for _, _, m in CEILINGS_ERRORS])
def test_ceilings_rejects_bad_arguments_naming_them(overrides, error, message):
    kwargs = dict(quick=True, time_per_point=0.01, max_bytes=1 << 20, db=False)
    kwargs.update(overrides)
    with pytest.raises(error, match=message):
        rl.ceilings(**kwargs)


def test_core_errors_are_the_documented_python_types(core):
    assert issubclass(core.RidgelineError, RuntimeError)
    with pytest.raises(TypeError):  # pybind11's own argument check: never a crash
        core.run(1, 2, 3)


# --- without the compiled module

def test_import_works_without_the_compiled_module():
    # A laptop reading results: _core blocked, `import ridgeline` still works, and each call
    # that needs _core says how to build it. One interpreter for all (starting one is slow).
    code = """
import sys
sys.modules['ridgeline._core'] = None
import ridgeline as rl
assert callable(rl.open) and callable(rl.load) and callable(rl.plot.roofline)
calls = [lambda: rl.run('gemm', problem={'m': 1, 'n': 1, 'k': 1}), rl.devices, rl.catalog,
         lambda: rl.tune('gemm', problem={'m': 1, 'n': 1, 'k': 1}), rl.ceilings]
for call in calls:
    try:
        call()
    except ImportError as e:
        assert 'pip install .' in str(e), e
    else:
        raise AssertionError('no ImportError')
print('ok')
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"


@pytest.mark.parametrize("bind,expected", [(None, "spread threads"), ("close", "close unset")])
def test_openmp_threads_are_bound_as_the_cli_binds_them(bind, expected):
    # Whatever loads the compiled module first (here ridgeline.kernels' path, a direct import),
    # `import ridgeline` has set the binding the CLI uses, unless the user chose one.
    env = {k: v for k, v in os.environ.items() if not k.startswith("OMP_")}
    if bind is not None:
        env["OMP_PROC_BIND"] = bind
    code = """
import ridgeline._core
import ridgeline as rl
m = rl.run('gemm', problem={'m': 8, 'n': 8, 'k': 8}, db=False, max_time=0.01, warmup=0.001)
print(m.record['provenance']['OMP_PROC_BIND'], m.record['provenance']['OMP_PLACES'])
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300,
                         env=env)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == expected
    assert "OMP_PROC_BIND environment variable not set" not in out.stderr
