// `ridgeline merge A.sqlite B.sqlite ... -o fleet.sqlite` (storage/merge.hpp, docs/database.md
// "Merging databases"): one line per source, or one ridgeline.merge/1 document with --json. The
// sources are merged in order, each in one transaction of the output; the first one refused
// stops the merge (exit 1) and the ones before it stay merged, so running the same command again
// once it is fixed adds only what is missing.
#include <fmt/format.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/exit_codes.hpp"
#include "cli/verbs.hpp"
#include "core/error.hpp"
#include "storage/merge.hpp"

namespace ridgeline::cli {

namespace {

nlohmann::ordered_json to_json(const storage::merge_source_summary& s) {
  return {{"path", s.path},
          {"runs_added", s.runs_added},
          {"runs_already_present", s.runs_already_present},
          {"runs_skipped_running", s.runs_skipped_running},
          {"measurements_added", s.measurements_added},
          {"roofs_added", s.roofs_added},
          {"devices_added", s.devices_added}};
}

std::string plural(std::int64_t n, const char* one, const char* many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

std::string to_line(const storage::merge_source_summary& s) {
  return fmt::format("{}: {} added ({}, {}, {}), {} already present, {} skipped", s.path,
                     plural(s.runs_added, "run", "runs"),
                     plural(s.measurements_added, "measurement", "measurements"),
                     plural(s.roofs_added, "roof", "roofs"),
                     plural(s.devices_added, "new device", "new devices"), s.runs_already_present,
                     plural(s.runs_skipped_running, "running run", "running runs"));
}

}  // namespace

CLI::App* add_merge(CLI::App& app, merge_options& o) {
  CLI::App* cmd = app.add_subcommand(
      "merge", "Combine results databases from many machines into one (adds only what is new)");
  cmd->add_option("SOURCES", o.sources, "Databases to merge, in this order")->required();
  cmd->add_option("-o,--output", o.output, "The merged database (created when absent)")->required();
  return cmd;
}

int run_merge(const global_options& g, const merge_options& o) {
  nlohmann::ordered_json doc = {{"schema", "ridgeline.merge/1"},
                                {"output", o.output},
                                {"sources", nlohmann::ordered_json::array()}};
  for (const auto& source : o.sources) {
    // One call per source, so that the sources merged before a refused one are still reported.
    storage::merge_source_summary summary;
    try {
      summary = storage::merge_databases({source}, o.output).front();
    } catch (const runtime_error& e) {
      if (g.json) {
        doc["sources"].push_back({{"path", source}, {"error", e.what()}});
        std::cout << doc.dump(2) << "\n";
      }
      throw;  // one line on stderr, exit 1 (main)
    }
    if (g.json) {
      doc["sources"].push_back(to_json(summary));
    } else {
      std::cout << to_line(summary) << "\n";
    }
  }
  if (g.json) std::cout << doc.dump(2) << "\n";
  return exit_ok;
}

}  // namespace ridgeline::cli
