// rl.run(): one kernel variant on one problem through the service behind `ridgeline run`
// (service/measure_cases.hpp): checked and timed, stored in the results database as one complete
// run, placed under the device's datasheet and measured roofs. Returns the `ridgeline.results/1`
// document.
#include <pybind11/stl.h>

#include <optional>
#include <string>
#include <vector>

#include "core/key_value.hpp"
#include "kernels/run.hpp"
#include "kernels/runtime.hpp"
#include "python/src/bindings.hpp"
#include "python/src/harness_args.hpp"
#include "roofline/device_catalog.hpp"
#include "service/case_request.hpp"
#include "service/measure_cases.hpp"
#include "storage/database.hpp"
#include "storage/database_path.hpp"

namespace ridgeline::python {

namespace {

struct run_args {
  std::string kernel, variant, dtype;
  key_value_list problem, params;
  std::string backend;
  bool check = false, time = true;
  std::optional<std::uint64_t> seed;
  harness_args harness;
  std::string counters, metrics_dir, catalog_dir;
  std::optional<std::string> db;  // none: not stored; "": the default database
  std::string command;
};

std::string run(const run_args& a) {
  // Parsed and checked before Kokkos starts or the database is touched.
  kernels::run_request req;
  req.what = python_case(a.kernel, a.variant, a.dtype, a.problem, service::variant_use::any);
  req.check = a.check;
  req.time = a.time;
  req.seed = a.seed;
  req.harness = a.harness.apply(req.harness);
  req.counters = profiler::counters::parse_counter_mode(a.counters, "counters");
  req.metrics_dir = a.metrics_dir;
  const roofline::device_catalog catalog = roofline::load_catalog(a.catalog_dir);
  std::optional<storage::database> db;
  if (a.db) db.emplace(storage::database::open(storage::default_database_path(*a.db)));

  const kernels::runtime& rt = process_runtime();
  py::gil_scoped_release release;
  auto lock = kokkos_lock();
  const service::device_context device = launch_device_for(rt, catalog, a.backend);
  req.backend = device.backend.id;
  req.config =
      service::case_config(req.what, req.backend, a.params, service::python_field_names.params);
  const service::measured_cases out =
      service::measure_and_place(rt, device, db ? &*db : nullptr, {req}, a.command);
  return service::results_document(out).dump();
}

}  // namespace

void bind_run(py::module_& m) {
  m.def(
      "run",
      [](const std::string& kernel, const std::string& variant, const std::string& dtype,
         const key_value_list& problem, const key_value_list& params, const std::string& backend,
         bool check, bool time, std::optional<std::uint64_t> seed, std::optional<double> warmup,
         std::optional<double> max_time, std::optional<double> target_spread,
         std::optional<int> min_samples, std::optional<int> max_samples,
         const std::string& counters, const std::string& metrics_dir,
         const std::string& catalog_dir, std::optional<std::string> db,
         const std::string& command) {
        return run({kernel,
                    variant,
                    dtype,
                    problem,
                    params,
                    backend,
                    check,
                    time,
                    seed,
                    {warmup, max_time, target_spread, min_samples, max_samples},
                    counters,
                    metrics_dir,
                    catalog_dir,
                    db,
                    command});
      },
      py::arg("kernel"), py::arg("variant"), py::arg("dtype"), py::arg("problem"),
      py::arg("params"), py::arg("backend"), py::arg("check"), py::arg("time"), py::arg("seed"),
      py::arg("warmup"), py::arg("max_time"), py::arg("target_spread"), py::arg("min_samples"),
      py::arg("max_samples"), py::arg("counters"), py::arg("metrics_dir"), py::arg("catalog_dir"),
      py::arg("db"), py::arg("command"),
      "One run (kernels::run_kernel); the ridgeline.results/1 document as JSON text.");
}

}  // namespace ridgeline::python
