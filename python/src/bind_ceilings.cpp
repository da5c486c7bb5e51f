// rl.ceilings(): kernels::measure_ceilings (the call behind `ridgeline ceilings`) with the GIL
// released and a progress callable after each sweep point. A complete, non-quick sweep is stored
// as the device's measured roofs, exactly as the CLI stores it; a quick or interrupted one is not
// (a partial sweep is not a ceiling). Returns the `ridgeline.ceilings/1` document and the Python
// exception that interrupted it (or None).
#include <pybind11/stl.h>

#include <optional>
#include <string>

#include "core/error.hpp"
#include "kernels/ceilings/ceilings.hpp"
#include "kernels/ceilings/ceilings_json.hpp"
#include "kernels/runtime.hpp"
#include "python/src/bindings.hpp"
#include "roofline/device_catalog.hpp"
#include "service/measured_roofs.hpp"
#include "storage/database.hpp"
#include "storage/database_path.hpp"

namespace ridgeline::python {

namespace {

py::tuple ceilings(const std::string& backend, double time_per_point,
                   std::optional<std::uint64_t> max_bytes, bool quick,
                   const std::string& catalog_dir, std::optional<std::string> db_path,
                   const std::string& command, const py::object& progress) {
  kernels::ceilings_options o;
  o.backend = backend;
  if (!(time_per_point > 0)) throw usage_error("--time-per-point: must be > 0 seconds");
  o.seconds_per_point = time_per_point;
  if (max_bytes) {
    if (*max_bytes < (1u << 20)) throw usage_error("--max-bytes: must be at least 1M");
    o.max_working_set = *max_bytes;
  }
  o.quick = quick;
  const roofline::device_catalog catalog = roofline::load_catalog(catalog_dir);
  std::optional<storage::database> db;
  if (db_path) db.emplace(storage::database::open(storage::default_database_path(*db_path)));

  const kernels::runtime& rt = process_runtime();
  python_callbacks callbacks;
  o.on_point = [&](const kernels::sweep_point& p, std::size_t done, std::size_t total) {
    callbacks.call([&] {
      if (progress.is_none()) return;
      py::dict d;
      d["done"] = done;
      d["total"] = total;
      d["kernel"] = p.kernel;
      d["precision"] = p.precision;
      d["working_set_bytes"] = p.working_set_bytes;
      d["level"] = p.level;
      d["rate"] = p.rate;
      progress(d);
    });
  };
  o.should_stop = [&] { return callbacks.should_stop(); };
  std::string doc;
  {
    py::gil_scoped_release release;
    auto lock = kokkos_lock();
    kernels::require_launching_thread(o.backend.empty() ? rt.default_backend() : o.backend);
    const kernels::ceilings_result r = kernels::measure_ceilings(rt, o);
    if (db && !quick && !r.interrupted) {
      service::store_measured_roofs(*db, rt, catalog, r, command);
    }
    nlohmann::ordered_json j = kernels::to_json(r);
    j["interrupted"] = r.interrupted;
    j["stored"] = db && !quick && !r.interrupted;
    doc = j.dump();
  }
  return py::make_tuple(doc, callbacks.error());
}

}  // namespace

void bind_ceilings(py::module_& m) {
  m.def("ceilings", &ceilings, py::arg("backend"), py::arg("time_per_point"), py::arg("max_bytes"),
        py::arg("quick"), py::arg("catalog_dir"), py::arg("db"), py::arg("command"),
        py::arg("progress"),
        "Measured ceilings (kernels::measure_ceilings): (ridgeline.ceilings/1 JSON text, the "
        "Python exception that interrupted it or None).");
}

}  // namespace ridgeline::python
