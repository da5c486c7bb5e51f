// rl.devices() and rl.catalog(): the backends of this machine with the catalog card each
// matches (service/devices_json.hpp, the document `ridgeline --json devices` prints), and the
// catalog's cards with every listed roof, known or not (roofline/device_catalog.hpp).
#include <nlohmann/json.hpp>

#include "python/src/bindings.hpp"
#include "roofline/device_catalog.hpp"
#include "service/devices_json.hpp"

namespace ridgeline::python {

namespace {

nlohmann::ordered_json quantity_json(const roofline::quantity& q) {
  nlohmann::ordered_json j;
  j["value"] = q.value ? nlohmann::ordered_json(*q.value) : nullptr;
  j["low"] = q.range ? nlohmann::ordered_json(q.range->low) : nullptr;
  j["high"] = q.range ? nlohmann::ordered_json(q.range->high) : nullptr;
  j["unit_as_written"] = q.unit;
  j["confidence"] = roofline::to_string(q.confidence);
  j["source"] = q.source;
  j["note"] = q.note;
  return j;
}

// Every card with its roofs in base units (FLOP/s, byte/s); an unknown roof has value null.
std::string catalog_json(const std::string& directory) {
  const roofline::device_catalog catalog = roofline::load_catalog(directory);
  nlohmann::ordered_json cards = nlohmann::ordered_json::array();
  for (const auto& c : catalog.cards) {
    nlohmann::ordered_json card;
    card["id"] = c.id;
    card["name"] = c.name;
    card["vendor"] = c.vendor;
    card["kind"] = roofline::to_string(c.kind);
    card["arch"] = c.arch;
    card["memory_type"] = c.memory_type;
    card["memory_bytes"] = c.memory_capacity && c.memory_capacity->value
                               ? nlohmann::ordered_json(*c.memory_capacity->value)
                               : nullptr;
    card["file"] = c.file;
    card["compute"] = nlohmann::ordered_json::array();
    for (const auto& e : c.compute) {
      nlohmann::ordered_json r = quantity_json(e.rate);
      r["precision"] = e.precision;
      r["unit"] = e.unit;
      card["compute"].push_back(r);
    }
    card["bandwidth"] = nlohmann::ordered_json::array();
    for (const auto& e : c.bandwidth) {
      nlohmann::ordered_json r = quantity_json(e.rate);
      r["level"] = e.level;
      card["bandwidth"].push_back(r);
    }
    cards.push_back(card);
  }
  return cards.dump();
}

}  // namespace

void bind_devices(py::module_& m) {
  m.def(
      "devices_json",
      [](const std::string& catalog_dir) {
        const roofline::device_catalog catalog = roofline::load_catalog(catalog_dir);
        const kernels::runtime& rt = process_runtime();
        py::gil_scoped_release release;
        auto lock = kokkos_lock();
        return service::devices_json(rt, catalog).dump();
      },
      py::arg("catalog_dir"),
      "The ridgeline.devices/1 document (JSON text): CPU, Kokkos backends, catalog matches.");
  m.def("catalog_json", &catalog_json, py::arg("catalog_dir"),
        "Every card of the catalog directory with its listed roofs (JSON text).");
}

}  // namespace ridgeline::python
