// rl.tune(): service::tune (the call behind `ridgeline tune`) with the GIL released. Progress
// goes to a Python callable after each evaluation; Ctrl-C (or an exception from the callable)
// ends the search through the tuner's own interruption path — stop reason "interrupted", every
// committed evaluation kept, the run resumable — and the exception is handed back beside the
// result for the Python side to raise.
#include <pybind11/stl.h>

#include <optional>
#include <string>

#include "core/key_value.hpp"
#include "kernels/kernel.hpp"
#include "kernels/runtime.hpp"
#include "python/src/bindings.hpp"
#include "python/src/harness_args.hpp"
#include "roofline/device_catalog.hpp"
#include "service/case_request.hpp"
#include "service/device_context.hpp"
#include "service/tune_json.hpp"
#include "service/tune_options.hpp"
#include "service/tune_session.hpp"
#include "storage/database.hpp"
#include "storage/database_path.hpp"

namespace ridgeline::python {

namespace {

struct tune_args {
  std::string kernel, variant, dtype;
  key_value_list problem;
  std::string backend, strategy;
  key_value_list strategy_options;
  std::uint64_t seed = 1;
  bool resume = false;
  std::string check;
  double abandon_factor = 3.0;
  service::stop_options stop;
  harness_args harness;
  std::string catalog_dir, db, command;
  py::object progress;  // None or a callable taking one dict
};

// The search's history, one entry per evaluated configuration in evaluation order.
nlohmann::ordered_json history_json(const tuner::param_space& space,
                                    const service::tune_outcome& out) {
  nlohmann::ordered_json h = nlohmann::ordered_json::array();
  for (const auto& e : out.search.history) {
    nlohmann::ordered_json params = nlohmann::ordered_json::object();
    for (const auto& [name, value] : space.format_pairs(e.cfg)) params[name] = value;
    h.push_back({{"params", params},
                 {"status", tuner::to_string(e.status)},
                 {"time_s",
                  e.status == tuner::eval_status::ok ? nlohmann::ordered_json(e.time_s) : nullptr},
                 {"reason", e.reason}});
  }
  return h;
}

py::tuple tune(const tune_args& a) {
  // Parsed and checked before Kokkos starts or the database is touched.
  service::tune_request req;
  req.what = python_case(a.kernel, a.variant, a.dtype, a.problem, service::variant_use::tunable);
  req.strategy = a.strategy;
  req.strategy_options = a.strategy_options;
  req.seed = a.seed;
  req.resume = a.resume;
  req.check = service::parse_check_policy(a.check, "--check");
  req.abandon_factor = a.abandon_factor;
  req.stop = service::make_stop_conditions(a.stop);
  req.harness = a.harness.apply(service::default_tune_harness());
  req.command = a.command;
  const roofline::device_catalog catalog = roofline::load_catalog(a.catalog_dir);
  storage::database db = storage::database::open(storage::default_database_path(a.db));

  const kernels::runtime& rt = process_runtime();
  python_callbacks callbacks;
  const auto progress = [&](const service::tune_progress& p) {
    if (a.progress.is_none()) {
      callbacks.call([] {});  // Ctrl-C still stops the search
      return;
    }
    callbacks.call([&] {
      py::dict d;
      d["done"] = p.search.done;
      d["total"] = p.search.total_hint ? py::int_(p.search.total_hint) : py::object(py::none());
      d["best_time_s"] = p.search.best ? py::float_(p.search.best->time_s) : py::object(py::none());
      d["elapsed_s"] = p.search.elapsed_s;
      d["reused"] = p.reused;
      d["floor_time_s"] = p.floor_time_s ? py::float_(*p.floor_time_s) : py::object(py::none());
      a.progress(d);
    });
  };
  std::string doc;
  {
    py::gil_scoped_release release;
    auto lock = kokkos_lock();
    const service::device_context device = launch_device_for(rt, catalog, a.backend);
    req.backend = device.backend.id;
    req.roofs = service::tuning_roofs(db, device);
    const service::tune_outcome out = service::tune(rt, db, device.identity, req, progress,
                                                    [&] { return callbacks.should_stop(); });
    nlohmann::ordered_json j = service::to_json(out);
    j["history"] = history_json(req.what.v->space(), out);
    doc = j.dump();
  }
  return py::make_tuple(doc, callbacks.error());
}

}  // namespace

void bind_tune(py::module_& m) {
  m.def(
      "tune",
      [](const std::string& kernel, const std::string& variant, const std::string& dtype,
         const key_value_list& problem, const std::string& backend, const std::string& strategy,
         const key_value_list& strategy_options, std::uint64_t seed, bool resume,
         const std::string& check, double abandon_factor, std::optional<std::uint64_t> budget,
         std::optional<double> time, std::optional<std::uint64_t> no_improvement,
         std::optional<double> within_roof, std::optional<double> warmup,
         std::optional<double> max_time, std::optional<double> target_spread,
         const std::string& catalog_dir, const std::string& db, const std::string& command,
         py::object progress) {
        tune_args a;
        a.kernel = kernel;
        a.variant = variant;
        a.dtype = dtype;
        a.problem = problem;
        a.backend = backend;
        a.strategy = strategy;
        a.strategy_options = strategy_options;
        a.seed = seed;
        a.resume = resume;
        a.check = check;
        a.abandon_factor = abandon_factor;
        a.stop = {budget, time, no_improvement, within_roof};
        a.harness = {warmup, max_time, target_spread, std::nullopt, std::nullopt};
        a.catalog_dir = catalog_dir;
        a.db = db;
        a.command = command;
        a.progress = std::move(progress);
        return tune(a);
      },
      py::arg("kernel"), py::arg("variant"), py::arg("dtype"), py::arg("problem"),
      py::arg("backend"), py::arg("strategy"), py::arg("strategy_options"), py::arg("seed"),
      py::arg("resume"), py::arg("check"), py::arg("abandon_factor"), py::arg("budget"),
      py::arg("time"), py::arg("no_improvement"), py::arg("within_roof"), py::arg("warmup"),
      py::arg("max_time"), py::arg("target_spread"), py::arg("catalog_dir"), py::arg("db"),
      py::arg("command"), py::arg("progress"),
      "A tuning run (service::tune): (ridgeline.tune/1 JSON text with its history, the Python "
      "exception that stopped it or None).");
}

}  // namespace ridgeline::python
