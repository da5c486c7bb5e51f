// `ridgeline wisdom KERNEL --problem ...`: the best known configuration for a case on this device
// and where it came from (exact / nearest shape / same device type / kernel default), with the
// tuning run's provenance (service/wisdom_lookup.hpp).
// `ridgeline wisdom export --device-type TYPE`: the best configurations of one hardware type as a
// versioned JSON file for applications (service/wisdom_export.hpp, docs/wisdom-export.md).
#include <fmt/format.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/data_sources.hpp"
#include "cli/exit_codes.hpp"
#include "cli/verbs.hpp"
#include "kernels/kernel.hpp"
#include "kernels/runtime.hpp"
#include "service/device_context.hpp"
#include "service/wisdom_export.hpp"
#include "service/wisdom_lookup.hpp"

namespace ridgeline::cli {

CLI::App* add_wisdom(CLI::App& app, wisdom_options& o) {
  CLI::App* cmd =
      app.add_subcommand("wisdom", "The best known configuration for a problem on this device");
  add_case_options(cmd, o.what, "Variant (default: the first with tunable axes)");
  CLI::App* exporter = add_wisdom_export(cmd, o.export_options);
  cmd->require_subcommand(0, 1);
  // KERNEL is required unless the export subcommand is given. CLI11 checks requirements before
  // it runs callbacks, so the positional is optional to it and checked here, with CLI11's own
  // error (same message, exit 2). A subcommand name is recognised before positionals are filled,
  // so `wisdom export` never takes "export" for a kernel.
  CLI::Option* kernel = cmd->get_option("kernel");
  kernel->required(false);
  kernel->description(kernel->get_description() + " (not with export)");
  cmd->callback([&o, cmd, exporter] {
    o.exporting = exporter->parsed();
    if (!o.exporting && o.what.kernel.empty()) throw CLI::RequiredError("kernel");
    // The case options would be ignored by the export: refuse them rather than drop them.
    for (const CLI::Option* opt : cmd->get_options()) {
      if (o.exporting && opt->count() > 0) {
        throw CLI::ValidationError(opt->get_name(),
                                   "not an option of `wisdom export` (it takes --device-type, "
                                   "-o and --kernel)");
      }
    }
  });
  return cmd;
}

CLI::App* add_wisdom_export(CLI::App* wisdom, wisdom_export_options& o) {
  CLI::App* cmd = wisdom->add_subcommand(
      "export",
      "Write the best configurations of one hardware type as a JSON file for "
      "applications (docs/wisdom-export.md)");
  cmd->add_option("--device-type", o.device_type,
                  "A nightly hardware-type label, else a catalog card id, else a device name")
      ->required();
  cmd->add_option("-o,--output", o.output,
                  "Write here (atomically: a temporary file renamed) instead of stdout");
  cmd->add_option("--kernel", o.kernel, "Only this kernel");
  return cmd;
}

int run_wisdom_export(const global_options& g, const wisdom_export_options& o) {
  storage::database db = open_results_database(g.db);
  service::wisdom_export_request req;
  req.hardware_type = o.device_type;
  req.kernel = o.kernel;
  {
    // The current software (what `stale` compares with) is this build's on each backend.
    const kernels::runtime rt({g.threads});
    req.current_software = service::software_by_backend(rt);
  }
  const nlohmann::ordered_json doc = service::wisdom_export(db, req);
  const std::string text = doc.dump(2) + "\n";
  const std::size_t entries = doc["entries"].size();
  if (entries == 0) {
    std::cerr << fmt::format(
        "ridgeline: wisdom export: no complete, checked tuning result on hardware type '{}'{}: "
        "the file has no entries\n",
        o.device_type, o.kernel.empty() ? "" : " for kernel " + o.kernel);
  }
  if (o.output.empty()) {
    std::cout << text;
    return exit_ok;
  }
  service::write_file_atomically(o.output, text, "--output");
  if (!g.json) {
    fmt::print("wrote {} entr{} for hardware type '{}' ({}, {} device{}) to {}\n", entries,
               entries == 1 ? "y" : "ies", o.device_type,
               doc["hardware_type"]["matched_by"].get<std::string>(), doc["devices"].size(),
               doc["devices"].size() == 1 ? "" : "s", o.output);
  }
  return exit_ok;
}

int run_wisdom(const global_options& g, const wisdom_options& o) {
  if (o.exporting) return run_wisdom_export(g, o.export_options);
  service::wisdom_request req;
  req.what = service::parse_case(case_text_of(o.what, o.what.variant),
                                 service::variant_use::tunable, service::cli_field_names);
  const roofline::device_catalog catalog = load_device_catalog(g.catalog);
  storage::database db = open_results_database(g.db);
  const kernels::runtime rt({g.threads});
  const service::device_context device = service::device_for(rt, catalog, o.what.backend);
  req.backend = device.backend.id;
  const service::wisdom_result w = service::best_known_config(rt, db, device.identity, req);
  const std::string kernel = req.what.k->name();
  const std::string dtype = kernels::to_string(req.what.type);

  const auto& from = w.answer.from;
  if (g.json) {
    nlohmann::ordered_json j;
    j["schema"] = "ridgeline.wisdom/1";
    j["kernel"] = kernel;
    j["variant"] = w.variant;
    j["dtype"] = dtype;
    j["level"] = storage::to_string(w.answer.level);
    j["params"] = w.params_text;
    j["stale"] = w.answer.stale;
    j["explanation"] = w.answer.explanation;
    if (from) {
      j["tuning_run_id"] = from->run.run_id;
      j["tuned_problem"] = from->run.setup.what.problem_text;
      j["tuned_on"] = {{"name", from->device.name},
                       {"host", from->device.host},
                       {"backend", from->device.backend}};
      j["tuned_software"] = nlohmann::json::parse(from->run.setup.software_json);
      j["strategy"] = from->run.setup.strategy;
      j["stop_reason"] = from->run.stop_reason.value_or("");
      j["finished_at"] = from->run.finished_at.value_or("");
      j["time_median_s"] = from->best.timing
                               ? nlohmann::ordered_json(from->best.timing->summary.median)
                               : nlohmann::ordered_json(nullptr);
      j["shape_distance"] = w.answer.shape_distance;
    }
    j["current_software"] = w.software_key;
    std::cout << j.dump(2) << "\n";
    return exit_ok;
  }
  fmt::print("{} {} {}: {}\n", kernel, w.variant, dtype, w.params_text);
  fmt::print("  source   {}: {}\n", storage::to_string(w.answer.level), w.answer.explanation);
  if (from) {
    fmt::print("  tuned    run {} finished {}, {} strategy, stopped by {}\n", from->run.run_id,
               from->run.finished_at.value_or("?"), from->run.setup.strategy,
               from->run.stop_reason.value_or("?"));
    if (from->best.timing) {
      fmt::print("  time     {:.4g} s median on {} ({})\n", from->best.timing->summary.median,
                 from->device.name, from->best.problem_text());
    }
    fmt::print("  software {}{}\n", from->run.setup.software_key,
               w.answer.stale ? "  (STALE: the current software differs)" : "");
  }
  return exit_ok;
}

}  // namespace ridgeline::cli
