// rl.import_results(): service::import_results (the call behind `ridgeline import`): other
// profilers' output stored as measurements (variant "imported:<tool>") in the results database,
// one run per file. Returns the `ridgeline.import/1` document (the per-file summary, the keys of
// `ridgeline --json import`) and the database path it wrote, so the Python side reads the
// imported rows back with the same reader as every other result. No Kokkos: nothing runs.
#include <pybind11/stl.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "python/src/bindings.hpp"
#include "roofline/device_catalog.hpp"
#include "service/import_results.hpp"
#include "storage/database.hpp"
#include "storage/database_path.hpp"

namespace ridgeline::python {

namespace {

// A refused file is not an exception here: its `error` says "FILE:LINE: problem" and the other
// files are imported, as the CLI does; the Python layer raises after reading back the rest.
py::tuple import_results(const std::vector<std::string>& paths, const std::string& format,
                         const std::string& device, const std::string& kernel_filter,
                         const std::string& metrics_dir, const std::string& catalog_dir,
                         const std::string& db, const std::string& command) {
  service::import_request request;
  request.paths = paths;
  request.format = format;
  request.device = device;
  request.kernel_filter = kernel_filter;
  request.metrics_dir = metrics_dir;
  request.command = command;
  const roofline::device_catalog catalog = roofline::load_catalog(catalog_dir);
  const std::string db_path = storage::default_database_path(db);

  service::import_summary summary;
  {
    py::gil_scoped_release release;  // file parsing and hashing: no Python objects touched
    storage::database database = storage::database::open(db_path);
    summary = service::import_results(database, catalog, request);
  }
  return py::make_tuple(service::to_json(summary).dump(), db_path);
}

}  // namespace

void bind_import(py::module_& m) {
  m.def("import_results", &import_results, py::arg("paths"), py::arg("format"), py::arg("device"),
        py::arg("kernel_filter"), py::arg("metrics_dir"), py::arg("catalog_dir"), py::arg("db"),
        py::arg("command"),
        "Other profilers' results stored as measurements (service::import_results): "
        "(ridgeline.import/1 JSON text, the database path written).");
}

}  // namespace ridgeline::python
