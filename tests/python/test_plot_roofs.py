"""ridgeline.plot.roofs: catalog roofs in base units, measured roofs, ridge points."""

import json
import math
import shutil
from pathlib import Path

import pytest
import yaml

from ridgeline.plot import roofs

DATA = Path(__file__).resolve().parent / "data"
REPO = Path(__file__).resolve().parents[2]
CATALOG = REPO / "configs" / "devices"


def test_catalog_roofs_are_in_base_units():
    cards = roofs.load_catalog(CATALOG)
    assert set(cards) == {p.stem for p in CATALOG.glob("*.yaml")}
    h100 = cards["h100_sxm"].roofs.set_index(["kind", "precision", "unit"])
    doc = yaml.safe_load((CATALOG / "h100_sxm.yaml").read_text())
    assert doc["compute"]["simt"]["f32"]["unit"] == "TFLOP/s"
    assert h100.loc[("compute", "f32", "simt"), "flop_per_s"] == \
        doc["compute"]["simt"]["f32"]["value"] * 1e12
    dram = cards["h100_sxm"].roofs.query("level == 'dram'")["byte_per_s"].iloc[0]
    assert dram == doc["bandwidth"]["dram"]["value"] * 1e12
    assert cards["h100_sxm"].board_power_w == doc["economics"]["board_power"]["value"]
    assert set(cards["h100_sxm"].roofs["source"]) == {"datasheet"}


def test_unknown_roofs_are_listed_not_invented():
    cards = roofs.load_catalog(CATALOG)
    k100 = cards["hygon_k100"]
    assert "f32 simt" in k100.unknown
    assert k100.roofs.empty
    ascend = cards["ascend_910b"]
    # A server price is divided by its cards.
    doc = yaml.safe_load((CATALOG / "ascend_910b.yaml").read_text())["economics"]["price"]
    assert ascend.price_per_card == doc["amount"] / doc["cards"]
    assert cards["b20"].roofs.empty


@pytest.mark.parametrize("card, tensor_ridge, simt_ridge", [
    # docs/device-catalog.md: ridge points (bf16 tensor / f32 SIMT over DRAM) from the catalog.
    ("a100_sxm_80gb", 153, 9.6), ("h100_sxm", 295, 20), ("h200", 206, 14), ("h20", 37, 11),
    ("mi300x", 247, 31)])
def test_ridge_points_match_the_published_table(card, tensor_ridge, simt_ridge):
    ridges = roofs.ridge_points(roofs.load_catalog(CATALOG)[card].roofs).set_index(
        ["precision", "unit"])["ridge_flop_per_byte"]
    assert ridges[("bf16", "tensor")] == pytest.approx(tensor_ridge, rel=0.01)
    assert ridges[("f32", "simt")] == pytest.approx(simt_ridge, rel=0.05)


def test_attainable_is_the_lower_roof():
    h100 = roofs.load_catalog(CATALOG)["h100_sxm"].roofs
    assert roofs.attainable_flop_per_s(h100, "f32", "simt", 1.0) == 3.35e12
    assert roofs.attainable_flop_per_s(h100, "f32", "simt", 1e4) == 67e12
    assert math.isnan(roofs.attainable_flop_per_s(h100, "f32", "tensor", 1.0))


def test_measured_roofs_from_ceilings_json_are_the_load_sweeps(tmp_path):
    doc = json.loads((DATA / "dev_vm_ceilings_quick.json").read_text())
    frame = roofs.measured_roofs(doc, device="epyc_zen4_vm_2cpu")
    for level in ("l1", "l2", "llc"):
        want = [c["max"] for c in doc["ceilings"]
                if c.get("level") == level and c["kernel"] == "load"]
        assert frame.query("level == @level")["byte_per_s"].tolist() == want
    assert sorted(frame.query("kind == 'compute'")["precision"]) == ["f32", "f64"]
    assert set(frame["device"]) == {"epyc_zen4_vm_2cpu"}
    path = tmp_path / "dev.sqlite"
    shutil.copy(DATA / "dev_vm.sqlite", path)
    assert set(roofs.measured_roofs(path)["source"]) == {"measured"}
    with pytest.raises(TypeError, match="roofs"):
        roofs.measured_roofs(12)


def test_catalog_dir_errors(tmp_path, monkeypatch):
    with pytest.raises(FileNotFoundError, match="catalog"):
        roofs.catalog_dir(tmp_path / "absent")
    monkeypatch.setenv("RIDGELINE_CATALOG", str(CATALOG))
    assert roofs.catalog_dir() == CATALOG


def test_bandwidth_roof_falls_back_only_for_measured_roofs():
    doc = json.loads((DATA / "dev_vm_ceilings_quick.json").read_text())
    measured = roofs.measured_roofs(doc, device="vm")
    assert "dram" not in set(measured["level"])
    llc = measured.query("level == 'llc'")["byte_per_s"].iloc[0]
    # The outermost level measured, whatever its rate (a noisy LLC may beat L2).
    assert roofs.bandwidth_roof(measured) == ("llc", llc)
    ridges = roofs.ridge_points(measured)
    assert set(ridges["level"]) == {"llc"}
    f32 = measured.query("precision == 'f32'")["flop_per_s"].iloc[0]
    assert roofs.attainable_flop_per_s(measured, "f32", "simt", 1e-3) == llc * 1e-3
    assert roofs.attainable_flop_per_s(measured, "f32", "simt", 1e6) == f32
    # A datasheet without a DRAM roof has an unknown bandwidth: no cache stands in for it.
    h100 = roofs.load_catalog(CATALOG)["h100_sxm"].roofs
    no_dram = h100[h100["level"] != "dram"]
    assert roofs.bandwidth_roof(no_dram) is None
    assert roofs.ridge_points(no_dram).empty
    assert math.isnan(roofs.attainable_flop_per_s(no_dram, "f32", "simt", 1.0))
    # With a DRAM roof nothing changes.
    assert set(roofs.ridge_points(h100)["level"]) == {"dram"}


def test_measured_roofs_by_device():
    doc = json.loads((DATA / "dev_vm_ceilings_quick.json").read_text())
    assert roofs.measured_roofs_by_device(None, ["vm"]) == {}
    one = roofs.measured_roofs_by_device(doc, ["vm"])
    assert list(one) == ["vm"] and set(one["vm"]["device"]) == {"vm"}
    two = roofs.measured_roofs_by_device({"a": doc, "b": doc}, ["a", "b"])
    assert sorted(two) == ["a", "b"]
    with pytest.raises(ValueError, match="roofs: a ceilings document names no device"):
        roofs.measured_roofs_by_device(doc, ["a", "b"])
