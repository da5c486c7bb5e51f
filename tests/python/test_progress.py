"""ridgeline.progress: which reporter each `progress` argument gets (pure Python)."""

from __future__ import annotations

import pytest

from ridgeline import progress


def test_none_is_quiet_outside_a_notebook():
    assert progress.in_notebook() is False
    callback, close = progress.resolve(None, progress.tune_bar, "tune")
    assert callback is None
    close()


def test_false_is_quiet_and_a_callable_is_used_as_it_is():
    assert progress.resolve(False, progress.tune_bar, "tune")[0] is None
    seen = []
    callback, close = progress.resolve(seen.append, progress.tune_bar, "tune")
    callback({"done": 1})
    close()
    assert seen == [{"done": 1}]


def test_true_draws_a_bar_that_follows_the_reports(capsys):
    callback, close = progress.resolve(True, progress.tune_bar, "tune gemm")
    callback({"done": 1, "total": 3, "best_time_s": 2e-3, "elapsed_s": 0.1, "reused": 0,
              "floor_time_s": 1e-3})
    callback({"done": 3, "total": 3, "best_time_s": 1e-3, "elapsed_s": 0.3, "reused": 1,
              "floor_time_s": 1e-3})
    close()
    err = capsys.readouterr().err
    assert "tune gemm" in err and "3/3" in err and "100%" in err  # best 1 ms = the floor


def test_ceilings_bar_names_the_point(capsys):
    callback, close = progress.resolve(True, progress.ceilings_bar, "ceilings")
    callback({"done": 2, "total": 8, "kernel": "load", "precision": "f64", "level": "l1",
              "working_set_bytes": 8192, "rate": 1e11})
    close()
    err = capsys.readouterr().err
    assert "2/8" in err and "load f64 l1" in err


@pytest.mark.parametrize("bad", [1, "yes", [print]])
def test_anything_else_is_a_type_error_naming_progress(bad):
    with pytest.raises(TypeError, match=r"^progress: expected"):
        progress.resolve(bad, progress.tune_bar, "tune")
