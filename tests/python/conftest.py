"""Shared pytest setup of the Python package's tests (tests/python mirrors python/ridgeline).

- Tests that need the compiled module take the `core` fixture (or carry @pytest.mark.core):
  without an importable ridgeline._core they are skipped with the reason, so the pure-Python
  tests (results, plots) still run on a machine that never built it.
- No test touches the user's results database: $RIDGELINE_DB points into the session's
  temporary directory (tests that inspect a database pass their own `db_path`).
"""

from __future__ import annotations

import importlib
import os
import shutil
import sqlite3
from pathlib import Path

import pytest


def _core_import_error():
    try:
        importlib.import_module("ridgeline._core")
    except ImportError as e:
        return str(e)
    return None


_CORE_ERROR = _core_import_error()
CORE_SKIP_REASON = (f"ridgeline._core is not importable ({_CORE_ERROR}); build it with "
                    "scripts/python-env or `pip install .`")


def pytest_configure(config):
    config.addinivalue_line("markers",
                            "core: needs the compiled module ridgeline._core (skipped without it)")


def pytest_collection_modifyitems(config, items):
    if _CORE_ERROR is None:
        return
    skip = pytest.mark.skip(reason=CORE_SKIP_REASON)
    for item in items:
        if "core" in item.keywords or "core" in getattr(item, "fixturenames", ()):
            item.add_marker(skip)


@pytest.fixture
def core():
    """The compiled module (the test is skipped when it is not importable)."""
    if _CORE_ERROR is not None:
        pytest.skip(CORE_SKIP_REASON)
    return importlib.import_module("ridgeline._core")


@pytest.fixture(autouse=True, scope="session")
def _private_default_database(tmp_path_factory):
    path = tmp_path_factory.mktemp("default-db") / "ridgeline.sqlite"
    old = os.environ.get("RIDGELINE_DB")
    os.environ["RIDGELINE_DB"] = str(path)
    yield path
    if old is None:
        os.environ.pop("RIDGELINE_DB", None)
    else:
        os.environ["RIDGELINE_DB"] = old


@pytest.fixture
def db_path(tmp_path):
    """A fresh results database path (created by the first call that writes to it)."""
    return tmp_path / "results.sqlite"


@pytest.fixture
def dev_db(tmp_path):
    """A copy of the recorded development-VM database (tests/python/data/dev_vm.sqlite): even a
    read-only open of a WAL file creates -shm beside it, so tests never open the fixture itself."""
    path = tmp_path / "dev_vm.sqlite"
    shutil.copy(Path(__file__).resolve().parent / "data" / "dev_vm.sqlite", path)
    return path


# The CPU model a hypervisor shows when it hides the real one: no catalog card matches it.
CARDLESS_NAME = "Intel(R) Xeon(R) Processor"


@pytest.fixture
def cardless_db(dev_db):
    """The development-VM database as a machine without a catalog card would have written it
    (device name hidden by the hypervisor, catalog_id NULL): `cardless_db()` keeps its stored
    measured roofs, `cardless_db(roofs=False)` removes them (neither card nor roofs)."""
    def make(roofs: bool = True) -> Path:
        con = sqlite3.connect(dev_db)
        try:
            con.execute("UPDATE devices SET catalog_id = NULL, name = ?, vendor = 'GenuineIntel'",
                        (CARDLESS_NAME,))
            if not roofs:
                con.execute("DELETE FROM roofs")
            con.commit()
        finally:
            con.close()
        return dev_db
    return make
