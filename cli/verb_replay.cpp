// `ridgeline replay SPACE_FILE... --strategy NAME`: strategies replayed offline on brute-forced
// spaces (Kernel Tuner cache, KTT output, T4), scored by the methodology score and the fraction
// of the optimum reached within the budget (tuner/replay/methodology.hpp, docs/tuner.md).
#include <fmt/format.h>

#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>

#include "cli/exit_codes.hpp"
#include "cli/verbs.hpp"
#include "core/error.hpp"
#include "core/key_value.hpp"
#include "tuner/replay/formats.hpp"
#include "tuner/replay/replay.hpp"
#include "tuner/strategy_registry.hpp"

namespace ridgeline::cli {

namespace {

using tuner::replay::recorded_space;

std::string strategy_help() {
  std::string text =
      "Strategy, a comma-separated list, or 'all' (default: " + tuner::default_strategy_name() +
      ")";
  for (const auto& s : tuner::strategies()) {
    text += "\n  " + s.name + ": " + s.description;
    for (const auto& o : s.options) {
      text += fmt::format("\n      {}={}  {}", o.name, o.default_value, o.description);
    }
  }
  return text;
}

// A config as the file wrote it: integers as numbers, labels that are numbers as numbers.
nlohmann::ordered_json config_json(const tuner::param_space& space, const tuner::config& c) {
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  for (const auto& a : space.axes()) {
    const std::int64_t v = c.at(a.name());
    if (a.kind() != tuner::axis_kind::categorical) {
      out[a.name()] = v;
      continue;
    }
    const std::string label = a.format(v);
    const auto parsed = nlohmann::ordered_json::parse(label, nullptr, false);
    out[a.name()] = parsed.is_number() ? parsed : nlohmann::ordered_json(label);
  }
  return out;
}

}  // namespace

CLI::App* add_replay(CLI::App& app, replay_options& o) {
  CLI::App* cmd = app.add_subcommand(
      "replay", "Replay search strategies on recorded tuning spaces and score them");
  cmd->add_option("space", o.spaces,
                  "Recorded space(s): Kernel Tuner cache, KTT output or T4 JSON (plain or .gz)")
      ->required();
  cmd->add_option("--strategy", o.strategy, strategy_help());
  cmd->add_option("--strategy-option", o.strategy_options,
                  "Strategy options, e.g. population=20,mutation=0.1 (one strategy only)");
  cmd->add_option("--budget", o.budget,
                  "Evaluations per run (default: the space's B(0.95), see docs/tuner.md)");
  cmd->add_option("--repeats", o.repeats, "Runs per strategy and space")->capture_default_str();
  cmd->add_option("--seed", o.seed, "Seed of the first run (run i uses seed + i)")
      ->capture_default_str();
  cmd->add_option("--trace", o.trace,
                  "Write each run's evaluation order as {\"runs\": [[config, ...], ...]}");
  return cmd;
}

int run_replay(const global_options& g, const replay_options& o) {
  // All input is checked before the (possibly long) replay starts.
  std::vector<std::string> names;
  if (o.strategy.empty()) {
    names.push_back(tuner::default_strategy_name());
  } else if (o.strategy == "all") {
    for (const auto& s : tuner::strategies()) names.push_back(s.name);
  } else {
    names = parse_name_list(o.strategy, "--strategy");
  }
  const key_value_list options = parse_key_value_list(o.strategy_options, "--strategy-option");
  if (!options.empty() && names.size() != 1) {
    throw usage_error("--strategy-option: applies to one strategy, not " + o.strategy);
  }
  if (o.repeats < 1) throw usage_error("--repeats: must be >= 1");
  if (o.budget && *o.budget < 1) throw usage_error("--budget: must be >= 1");
  if (!o.trace.empty() && (names.size() != 1 || o.spaces.size() != 1)) {
    throw usage_error("--trace: needs one space and one strategy");
  }
  std::vector<recorded_space> spaces;
  for (const auto& path : o.spaces) spaces.push_back(tuner::replay::load_recorded_space(path));
  for (const auto& n : names) {
    // Validates names and options on the first space before any work.
    (void)tuner::make_strategy(n, spaces.front().space, options, o.seed);
  }

  nlohmann::ordered_json doc;
  doc["schema"] = "ridgeline.replay/1";
  doc["spaces"] = nlohmann::ordered_json::array();
  std::map<std::string, double> score_sum;
  nlohmann::ordered_json trace = {{"runs", nlohmann::ordered_json::array()}};
  for (const auto& rs : spaces) {
    const auto m = tuner::replay::methodology_of(rs);
    const std::uint64_t budget = o.budget.value_or(m.budget(0.95));
    const std::uint64_t valid = m.valid_count();
    nlohmann::ordered_json js = {{"path", rs.path},
                                 {"format", rs.format},
                                 {"device", rs.device},
                                 {"kernel", rs.kernel},
                                 {"configurations", rs.size()},
                                 {"valid", valid},
                                 {"failed", rs.size() - valid},
                                 {"optimum_s", m.optimum()},
                                 {"median_s", m.median()},
                                 {"budget_b001", m.budget(0.01)},
                                 {"budget_b095", m.budget(0.95)},
                                 {"results", nlohmann::ordered_json::array()}};
    if (!g.json) {
      fmt::print("space    {} ({}{}{})\n", rs.path, rs.format, rs.device.empty() ? "" : ", ",
                 rs.device);
      fmt::print(
          "         {} configurations, {} valid, {} failed; optimum {:.6g} ms, median {:.6g} ms; "
          "B(0.01) = {}, B(0.95) = {}\n",
          rs.size(), valid, rs.size() - valid, m.optimum() * 1e3, m.median() * 1e3, m.budget(0.01),
          m.budget(0.95));
      fmt::print("  {:<12} {:>7} {:>8} {:>16} {:>20}\n", "strategy", "budget", "repeats",
                 "score (mean±sd)", "fraction of optimum");
    }
    for (const auto& name : names) {
      const auto r = tuner::replay::replay_strategy(rs, name, options, budget, o.repeats, o.seed);
      score_sum[name] += r.mean_score;
      nlohmann::ordered_json opts = nlohmann::ordered_json::object();
      for (const auto& [k, v] : options) opts[k] = v;
      js["results"].push_back({{"strategy", name},
                               {"options", opts},
                               {"budget", budget},
                               {"repeats", o.repeats},
                               {"seed", o.seed},
                               {"mean_score", r.mean_score},
                               {"stddev_score", r.stddev_score},
                               {"mean_fraction_of_optimum", r.mean_fraction_of_optimum}});
      if (!g.json) {
        fmt::print("  {:<12} {:>7} {:>8} {:>9.3f} ± {:<5.3f} {:>20.4f}\n", name, budget, o.repeats,
                   r.mean_score, r.stddev_score, r.mean_fraction_of_optimum);
      }
      if (!o.trace.empty()) {
        for (const auto& run : r.runs) {
          auto list = nlohmann::ordered_json::array();
          for (const auto& e : run.history) list.push_back(config_json(rs.space, e.cfg));
          trace["runs"].push_back(std::move(list));
        }
      }
    }
    doc["spaces"].push_back(std::move(js));
  }
  nlohmann::ordered_json means = nlohmann::ordered_json::object();
  for (const auto& name : names) means[name] = score_sum[name] / static_cast<double>(spaces.size());
  doc["mean_score_over_spaces"] = means;
  if (!g.json && spaces.size() > 1) {
    fmt::print("mean score over {} spaces:", spaces.size());
    for (const auto& name : names) fmt::print("  {} {:.3f}", name, means[name].get<double>());
    fmt::print("\n");
  }
  if (g.json) std::cout << doc.dump(2) << "\n";
  if (!o.trace.empty()) {
    std::ofstream out(o.trace);
    if (!(out << trace.dump() << "\n"))
      throw runtime_error("--trace: cannot write '" + o.trace + "'");
  }
  return exit_ok;
}

}  // namespace ridgeline::cli
