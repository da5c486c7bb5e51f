// rl.run(): one kernel variant on one problem, checked and timed by kernels::run_kernel (the call
// behind `ridgeline run`), stored in the results database as one complete run, and placed under
// the device's datasheet and measured roofs. Returns the `ridgeline.results/1` document.
#include <pybind11/stl.h>

#include <optional>
#include <string>
#include <vector>

#include "autotune/device_context.hpp"
#include "core/key_value.hpp"
#include "kernels/kernel.hpp"
#include "kernels/run.hpp"
#include "kernels/runtime.hpp"
#include "profiler/measurement_json.hpp"
#include "profiler/placement.hpp"
#include "python/src/bindings.hpp"
#include "python/src/harness_args.hpp"
#include "roofline/device_catalog.hpp"
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
  // Names and values are checked before Kokkos starts or the database is touched.
  const kernels::kernel& k = kernels::find_kernel(a.kernel);
  kernels::run_request req;
  req.kernel = k.name();
  req.variant = a.variant.empty() ? k.variants().front()->name() : k.find_variant(a.variant).name();
  req.dtype = a.dtype;
  req.problem = a.problem;
  req.params = a.params;
  req.backend = a.backend;
  req.check = a.check;
  req.time = a.time;
  req.seed = a.seed;
  req.harness = a.harness.apply(req.harness);
  req.counters = profiler::counters::parse_counter_mode(a.counters, "--counters");
  req.metrics_dir = a.metrics_dir;
  kernels::parse_dtype(req.dtype, "--dtype");
  k.parse_problem(req.problem, "--problem");
  const roofline::device_catalog catalog = roofline::load_catalog(a.catalog_dir);
  std::optional<storage::database> db;
  if (a.db) db.emplace(storage::database::open(storage::default_database_path(*a.db)));

  const kernels::runtime& rt = process_runtime();
  py::gil_scoped_release release;
  auto lock = kokkos_lock();
  const auto [backend, device] = launch_device_for(rt, catalog, a.backend);
  const profiler::measurement m = kernels::run_kernel(rt, req);

  std::optional<profiler::roof_set> measured;
  if (db) {
    const storage::device_identity identity = autotune::identity_of(backend, device);
    db->record(identity, {m}, {a.command});
    measured = db->roofs(identity, profiler::roof_source::measured);
  }
  nlohmann::ordered_json doc = profiler::to_json(std::vector<profiler::measurement>{m});
  auto& roofs = doc["measurements"][0]["roofline"] = nlohmann::ordered_json::array();
  if (device.datasheet) roofs.push_back(profiler::to_json(profiler::place(m, *device.datasheet)));
  if (measured) roofs.push_back(profiler::to_json(profiler::place(m, *measured)));
  return doc.dump();
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
