"""The notebooks run headless (nbclient) without errors and draw their figures.

RIDGELINE_QUICK=1 shrinks every problem and budget (about a minute on two cores);
RIDGELINE_NOTEBOOK_DB points the first two notebooks at one temporary database, so the
comparison includes what the first notebook measured. import_other_profilers.ipynb imports the
samples of tests/importers/data into a temporary database of its own.
"""

import os
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

import ridgeline  # noqa: E402

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"


def core_missing():
    try:
        import ridgeline._core  # noqa: F401
    except ImportError as e:
        return str(e)
    return None


@pytest.fixture(scope="module")
def notebook_env(tmp_path_factory):
    db = tmp_path_factory.mktemp("notebooks") / "this_machine.sqlite"
    saved = dict(os.environ)
    os.environ["RIDGELINE_QUICK"] = "1"
    os.environ["RIDGELINE_NOTEBOOK_DB"] = str(db)
    # Figures as image outputs (a test run's MPLBACKEND=Agg would swallow them).
    os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    # The kernel imports the same ridgeline package as this test, installed or not.
    package_parent = str(Path(ridgeline.__file__).resolve().parents[1])
    os.environ["PYTHONPATH"] = os.pathsep.join(
        [package_parent] + [p for p in saved.get("PYTHONPATH", "").split(os.pathsep) if p])
    yield db
    os.environ.clear()
    os.environ.update(saved)


def execute(name):
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in code), \
        f"{name} must be committed without outputs"
    client = nbclient.NotebookClient(nb, timeout=900, kernel_name="python3",
                                     resources={"metadata": {"path": str(NOTEBOOKS)}})
    client.execute()  # raises CellExecutionError naming the cell on any error
    outputs = [o for c in code for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    text = "".join(o.get("text", "") for o in outputs if o.get("output_type") == "stream")
    return images, text


def test_roofline_this_machine(notebook_env):
    missing = core_missing()
    if missing:
        pytest.skip(f"ridgeline._core is not built ({missing}): run scripts/python-env")
    images, text = execute("roofline_this_machine.ipynb")
    assert len(images) == 1  # everything on this machine's roofline
    assert notebook_env.is_file()
    for kernel in ("gemm:", "attention:", "moe_grouped_gemm:", "moe_combine:"):
        assert kernel in text  # one "what bounds it" line per kernel


def test_compare_cards(notebook_env):
    images, text = execute("compare_cards.ipynb")
    # H200 roofline, GEMM and attention comparisons, the bound map.
    assert len(images) == 4
    assert "compute-bound on h20; memory-bound on" in text
    if notebook_env.is_file():
        assert "this machine:" in text


def test_import_other_profilers(notebook_env):
    missing = core_missing()
    if missing:
        pytest.skip(f"ridgeline._core is not built ({missing}): run scripts/python-env")
    images, text = execute("import_other_profilers.ipynb")
    # H200 (with Ridgeline's own GEMM), MI300X, Ascend 910B, MLU590 (no roofs), compare_cards.
    assert len(images) == 5
    for variant in ("imported:ncu", "imported:rocprofv3", "imported:rocprof-compute",
                    "imported:msprof", "imported:ridgeline-csv"):
        assert variant in text  # the read-back summary, one line per device and variant
