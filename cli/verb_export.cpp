// `ridgeline export`: the stored measurements of complete runs as JSON (ridgeline.results/1, the
// document `run --json` prints) or CSV (columns in docs/database.md).
#include <fstream>
#include <iostream>

#include "cli/data_sources.hpp"
#include "cli/exit_codes.hpp"
#include "cli/verbs.hpp"
#include "core/error.hpp"

namespace ridgeline::cli {

CLI::App* add_export(CLI::App& app, export_options& o) {
  CLI::App* cmd = app.add_subcommand("export", "Export stored measurements as JSON or CSV");
  cmd->add_option("--format", o.format, "json or csv")
      ->check(CLI::IsMember({"json", "csv"}))
      ->capture_default_str();
  cmd->add_option("--kernel", o.kernel, "Only this kernel");
  cmd->add_option("--variant", o.variant, "Only this variant");
  cmd->add_option("--output", o.output, "Write here instead of stdout");
  return cmd;
}

int run_export(const global_options& g, const export_options& o) {
  storage::database db = open_results_database(g.db);
  storage::measurement_filter filter;
  if (!o.kernel.empty()) filter.kernel = o.kernel;
  if (!o.variant.empty()) filter.variant = o.variant;
  const std::string text =
      o.format == "csv" ? db.export_csv(filter) : db.export_json(filter).dump(2) + "\n";
  if (o.output.empty()) {
    std::cout << text;
    return exit_ok;
  }
  std::ofstream out(o.output);
  if (!(out << text)) throw runtime_error("--output: cannot write '" + o.output + "'");
  return exit_ok;
}

}  // namespace ridgeline::cli
