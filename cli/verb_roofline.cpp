// `ridgeline roofline`: stored or exported results on the roofline of a device — a text chart for
// the terminal, JSON/CSV of every placement, or an SVG file. Roofs: the datasheet roofs of a
// catalog card (--device, else the card detected for this machine) and the measured roofs of a
// `ridgeline --json ceilings` output (--ceilings), drawn side by side, never merged.
#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/data_sources.hpp"
#include "cli/exit_codes.hpp"
#include "cli/verbs.hpp"
#include "core/error.hpp"
#include "kernels/ceilings/ceilings.hpp"
#include "profiler/cpu_info.hpp"
#include "profiler/measurement_json.hpp"
#include "profiler/placement.hpp"
#include "roofline/chart.hpp"
#include "roofline/detection.hpp"
#include "roofline/device_card.hpp"

namespace ridgeline::cli {

namespace {

nlohmann::ordered_json read_json(const std::string& path, const std::string& field) {
  std::ifstream in(path);
  if (!in) throw usage_error(fmt::format("{}: cannot read '{}'", field, path));
  try {
    return nlohmann::ordered_json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    throw usage_error(fmt::format("{}: '{}' is not JSON ({})", field, path, e.what()));
  }
}

// The parts of each timed, ok measurement of a ridgeline.results/1 document that placement needs
// (work model, median time, identity), so exported results are analysed exactly like fresh ones.
std::vector<profiler::measurement> measurements_from_results(const nlohmann::ordered_json& doc,
                                                             const std::string& path,
                                                             const std::string& kernel) {
  if (doc.value("schema", "") != "ridgeline.results/1" || !doc.contains("measurements")) {
    throw usage_error(fmt::format(
        "--input: '{}' is not a ridgeline.results/1 document (ridgeline --json run)", path));
  }
  std::vector<profiler::measurement> out;
  try {
    for (const auto& j : doc["measurements"]) {
      if (!kernel.empty() && j.value("kernel", "") != kernel) continue;
      if (j.value("status", "") != "ok" || j["time_s"].is_null()) continue;
      profiler::measurement m;
      m.kernel = j.at("kernel").get<std::string>();
      m.variant = j.at("variant").get<std::string>();
      m.dtype = j.at("dtype").get<std::string>();
      m.backend = j.value("backend", "");
      for (const auto& [name, value] : j.at("problem").items()) {
        m.problem.push_back({name, value.get<double>(), value.is_number_integer()});
      }
      profiler::timing_result t;
      t.summary.median = j.at("time_s").at("median").get<double>();
      t.summary.count = 1;
      m.timing = t;
      m.counts_source = j.at("work").value("source", "analytic");
      for (const auto& f : j.at("work").at("flops")) {
        m.work.flops.push_back({f.at("precision").get<std::string>(),
                                f.at("unit").get<std::string>(),
                                f.at("count").get<std::uint64_t>()});
      }
      for (const auto& b : j.at("work").at("bytes")) {
        m.work.bytes.push_back(
            {b.at("level").get<std::string>(), b.at("count").get<std::uint64_t>()});
      }
      out.push_back(std::move(m));
    }
  } catch (const nlohmann::json::exception& e) {
    throw usage_error(fmt::format("--input: '{}': {}", path, e.what()));
  }
  return out;
}

roofline::chart_point chart_point_of(const profiler::measurement& m) {
  std::string problem;
  for (const auto& p : m.problem) {
    if (p.name == "alpha" || p.name == "beta") continue;
    problem += fmt::format("{}{}={:g}", problem.empty() ? "" : ",", p.name, p.value);
  }
  const profiler::derived_metrics d = profiler::derive(m);
  // Empty parts are left out: an application kernel (Kokkos Tools connector) has no problem, and
  // no dtype without a work file entry.
  std::string label = m.kernel + " " + m.variant;
  if (!problem.empty()) label += " " + problem;
  if (!m.dtype.empty()) label += " " + m.dtype;
  return {m.kernel, m.variant, label, d.arithmetic_intensity, d.flop_per_s};
}

profiler::roof_set roofs_from_ceilings(const nlohmann::ordered_json& doc, const std::string& path) {
  if (doc.value("schema", "") != "ridgeline.ceilings/1") {
    throw usage_error(fmt::format(
        "--ceilings: '{}' is not a ridgeline.ceilings/1 document (ridgeline --json ceilings)",
        path));
  }
  // Back into the sweep's summary, so the one rule that turns ceilings into roofs
  // (kernels::ceilings_result::roofs) decides here too.
  kernels::ceilings_result r;
  for (const auto& c : doc["ceilings"]) {
    kernels::ceiling k;
    k.kind = c.value("kind", "");
    k.kernel = c.value("kernel", "");
    k.precision = c.value("precision", "");
    k.level = c.value("level", "");
    k.max = c.value("max", 0.0);
    r.ceilings.push_back(k);
  }
  profiler::roof_set roofs = r.roofs(doc["provenance"].value("cpu_model", "measured"));
  roofs.measured_at = doc["provenance"].value("date", "");  // named when a roof is found wrong
  return roofs;
}

}  // namespace

CLI::App* add_roofline(CLI::App& app, roofline_options& o) {
  CLI::App* cmd = app.add_subcommand("roofline", "Place results on a device's roofline");
  cmd->add_option("--input", o.input,
                  "Results of `ridgeline --json run` (JSON) instead of the results database");
  cmd->add_option("--ceilings", o.ceilings,
                  "Measured roofs: output of `ridgeline --json ceilings`");
  cmd->add_option("--device", o.device, "Catalog card for the datasheet roofs (default: detected)");
  cmd->add_option("--kernel", o.kernel, "Only this kernel's results");
  cmd->add_option("--format", o.format, "text, json, csv or svg")
      ->check(CLI::IsMember({"text", "json", "csv", "svg"}))
      ->capture_default_str();
  cmd->add_option("--output", o.output, "Write here instead of stdout (svg: required)");
  return cmd;
}

int run_roofline(const global_options& g, const roofline_options& o) {
  const roofline::device_catalog catalog = load_device_catalog(g.catalog);
  if (!o.device.empty() && catalog.find(o.device) == nullptr) {
    throw usage_error("--device: no catalog card '" + o.device + "'");
  }
  std::vector<profiler::measurement> measurements;
  std::vector<profiler::roof_set> roofs;
  std::string card_id = o.device;
  if (!o.input.empty()) {
    measurements = measurements_from_results(read_json(o.input, "--input"), o.input, o.kernel);
    if (card_id.empty()) {
      if (const auto d = roofline::detect_cpu(catalog, profiler::this_cpu())) {
        card_id = d.card->id;
      }
    }
  } else {
    // Stored results: with --device, those of every device carrying that card (Ridgeline's own
    // runs and results imported from other profilers, which are separate devices of one card);
    // without, those of the most recently measured device.
    storage::database db = open_results_database(g.db);
    storage::measurement_filter filter;
    if (!o.kernel.empty()) filter.kernel = o.kernel;
    filter.status = "ok";
    const auto stored = db.stored_measurements(filter);
    std::vector<std::int64_t> device_ids;
    for (const auto& s : stored) {
      if (o.device.empty()) {
        device_ids = {s.device_id};
      } else if (s.device.catalog_id == o.device &&
                 std::find(device_ids.begin(), device_ids.end(), s.device_id) == device_ids.end()) {
        device_ids.push_back(s.device_id);
      }
    }
    for (const auto& s : stored) {
      const bool wanted =
          std::find(device_ids.begin(), device_ids.end(), s.device_id) != device_ids.end();
      if (wanted && s.record.timing) measurements.push_back(s.record);
    }
    for (const std::int64_t id : device_ids) {
      const auto identity = db.device(id);
      if (!identity) continue;
      if (card_id.empty() && identity->catalog_id) card_id = *identity->catalog_id;
      if (auto measured = db.roofs(*identity, profiler::roof_source::measured)) {
        roofs.push_back(std::move(*measured));
      }
    }
  }
  if (!card_id.empty())
    roofs.insert(roofs.begin(), roofline::datasheet_roofs(*catalog.find(card_id)));
  if (!o.ceilings.empty()) {
    roofs.push_back(roofs_from_ceilings(read_json(o.ceilings, "--ceilings"), o.ceilings));
  }
  const std::string device = card_id.empty() ? "this machine" : card_id;
  if (o.format == "svg" && o.output.empty()) {
    throw usage_error("--output: --format svg writes a file; name it with --output");
  }
  // Every (measurement, roof set) placed once, exactly as `run` places it; a roof below a point is
  // named on the point in every format (docs/design.md, "Placements above the roof").
  std::vector<roofline::chart_point> points;
  std::vector<std::vector<profiler::placement>> placed(measurements.size());
  for (std::size_t i = 0; i < measurements.size(); ++i) {
    points.push_back(chart_point_of(measurements[i]));
    for (const auto& r : roofs) {
      placed[i].push_back(profiler::place(measurements[i], r));
      const profiler::placement& p = placed[i].back();
      if (!p.roof_below_achieved) continue;
      std::string& why = points[i].roof_below_achieved;
      why += (why.empty() ? "" : "; ") + p.roof_below_achieved_reason;
    }
  }

  std::string text;
  const std::string title =
      fmt::format("Roofline: {} on {}", o.kernel.empty() ? "all kernels" : o.kernel, device);
  if (o.format == "svg") {
    text = roofline::render_svg(roofs, points, {title});
  } else if (o.format == "text") {
    roofline::chart_options opts;
    opts.title = title;
    text = roofline::render_text(roofs, points, opts);
    // The chart draws only points with an intensity and a rate; name the others and say why
    // (e.g. an application kernel stored by the Kokkos Tools connector without a work file entry).
    std::string unplaced;
    for (std::size_t i = 0; i < measurements.size(); ++i) {
      if (points[i].intensity > 0 && points[i].flop_per_s > 0) continue;
      const profiler::measurement& m = measurements[i];
      // An imported launch says itself why it cannot be placed (e.g. only utilisation ratios).
      const std::string why = !m.reason.empty()      ? m.reason
                              : m.work.flops.empty() ? "the measurement states no FLOPs"
                              : m.work.bytes_at("dram") == 0
                                  ? "the measurement states no DRAM bytes"
                                  : "no achieved FLOP/s";
      unplaced += fmt::format("  {}: {}\n", points[i].label, why);
    }
    if (!unplaced.empty()) text += "not placed:\n" + unplaced;
  } else {
    // One row per (measurement, roof set). CSV columns are only appended (roof_below_achieved is
    // last), so readers by position keep working; the fraction stays a number and the flag says
    // when it measures nothing.
    nlohmann::ordered_json rows = nlohmann::ordered_json::array();
    std::string csv =
        "label,kernel,variant,roof_source,device,precision,unit,"
        "arithmetic_intensity_flop_per_byte,achieved_flop_per_s,attainable_flop_per_s,"
        "fraction_of_attainable,bound,counts_source,roof_below_achieved\n";
    for (std::size_t i = 0; i < measurements.size(); ++i) {
      for (std::size_t k = 0; k < roofs.size(); ++k) {
        const profiler::roof_set& r = roofs[k];
        const profiler::placement& p = placed[i][k];
        nlohmann::ordered_json row = profiler::to_json(p);
        row["label"] = points[i].label;
        row["kernel"] = points[i].kernel;
        row["variant"] = points[i].variant;
        rows.push_back(row);
        csv +=
            fmt::format("\"{}\",{},{},{},{},{},{},{:.6g},{:.6g},{:.6g},{:.4f},{},{},{}\n",
                        points[i].label, points[i].kernel, points[i].variant,
                        profiler::to_string(r.source), r.device, p.precision, p.unit,
                        points[i].intensity, p.achieved_flop_per_s, p.attainable_flop_per_s,
                        p.fraction_of_attainable, p.placed ? p.bound : "not placed: " + p.why_not,
                        p.counts_source, p.roof_below_achieved ? "true" : "false");
      }
    }
    text =
        o.format == "json"
            ? nlohmann::ordered_json{{"schema", "ridgeline.roofline/1"}, {"placements", rows}}.dump(
                  2) +
                  "\n"
            : csv;
  }
  if (o.output.empty()) {
    std::cout << text;
  } else {
    std::ofstream out(o.output);
    if (!(out << text)) throw runtime_error("--output: cannot write '" + o.output + "'");
    std::cerr << fmt::format("wrote {} ({} measurements, {} roof sets)\n", o.output,
                             measurements.size(), roofs.size());
  }
  return exit_ok;
}

}  // namespace ridgeline::cli
