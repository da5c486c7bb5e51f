#include "nightly/runner.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "core/build_info.hpp"
#include "core/error.hpp"
#include "core/key_value.hpp"
#include "kernels/kernel.hpp"
#include "kernels/run.hpp"
#include "nightly/history.hpp"
#include "nightly/regression_check.hpp"
#include "nightly/report.hpp"
#include "profiler/console_report.hpp"
#include "service/case_request.hpp"
#include "service/device_context.hpp"
#include "service/software_identity.hpp"
#include "service/tune_options.hpp"
#include "service/tune_session.hpp"

namespace ridgeline::nightly {

namespace {

// How the service layer names a job case's fields in its messages: "FILE:LINE: problem".
service::case_field_names field_names_at(const std::string& where) {
  service::case_field_names n;
  n.problem = where + ": problem";
  n.preset = where + ": preset";
  n.tokens = where + ": tokens";
  n.variant = where + ": variant";
  n.dtype = where + ": dtype";
  n.params = where + ": params";
  n.preset_example = "presets: {model: NAME, tokens: [T]}";
  return n;
}

struct prepared_case {
  job_case c;
  kernels::kernel_case what;
  service::device_context device;
};

std::optional<profiler::measurement> stored(storage::database& db, std::optional<std::int64_t> id) {
  if (!id) return std::nullopt;
  storage::measurement_filter f;
  f.id = *id;
  f.include_unfinished = true;
  auto rows = db.stored_measurements(f);
  if (rows.empty()) return std::nullopt;
  return std::move(rows.front().record);
}

bool check_passed(const profiler::measurement& m) {
  return m.outcome == profiler::status::ok && m.check && m.check->passed;
}

// Ends the nightly run as failed (resumable) when the job stops with an exception.
struct failed_run_guard {
  storage::database& db;
  std::int64_t run_id;
  bool finished = false;
  ~failed_run_guard() {
    if (finished) return;
    try {
      db.finish_nightly_run(run_id, storage::run_status::failed, std::nullopt, {}, "");
    } catch (...) {
    }
  }
};

}  // namespace

nightly_outcome run_nightly(const kernels::runtime& rt, storage::database& db,
                            const roofline::device_catalog& catalog, const nightly_request& req,
                            const say_fn& say_to) {
  const job& j = req.the_job;
  const auto say = [&](const std::string& line) {
    if (say_to) say_to(line);
  };
  if (j.cases.empty()) throw usage_error(fmt::format("{}: entries: the job has no cases", j.path));

  // --- Every case parsed and its device found before anything is measured or stored.
  std::map<std::string, service::device_context> devices;
  std::vector<prepared_case> cases;
  for (const job_case& c : j.cases) {
    const service::case_field_names names = field_names_at(c.where);
    service::case_text text;
    text.kernel = c.kernel;
    text.variant = c.variant;
    text.dtype = c.dtype;
    text.problem = parse_key_value_list(c.problem, names.problem);
    text.preset = c.preset;
    text.tokens = c.tokens;
    kernels::kernel_case what = service::parse_case(text, service::variant_use::tunable, names);
    auto found = devices.find(c.backend);
    if (found == devices.end()) {
      found = devices.emplace(c.backend, service::device_for(rt, catalog, c.backend)).first;
    }
    cases.push_back({c, std::move(what), found->second});
  }
  const service::device_context& main_device = cases.front().device;

  nightly_outcome out;
  out.hardware_type = !req.hardware_type.empty() ? req.hardware_type
                      : !j.hardware_type.empty()
                          ? j.hardware_type
                          : main_device.identity.catalog_id.value_or(main_device.identity.name);

  const service::software_facts facts = service::current_software(rt, main_device.backend.id);
  nlohmann::ordered_json software = nlohmann::ordered_json::parse(service::software_json(facts));
  software["git_revision"] = this_build().git_revision;
  const storage::nightly_setup setup{
      j.name, j.path, j.sha256, out.hardware_type, service::software_key(facts), software.dump()};

  // --- The run: the unfinished one of this job on this machine, else a new one.
  std::map<std::string, storage::nightly_entry_record> committed;
  if (auto unfinished = db.resumable_nightly_run(main_device.identity, setup)) {
    out.run_id = unfinished->run_id;
    out.resumed = true;
    db.reopen_run(out.run_id);
    for (auto& e : db.nightly_entries(out.run_id)) committed[e.entry_key] = std::move(e);
    say(fmt::format("resuming nightly run {} ({} of {} cases committed)", out.run_id,
                    committed.size(), cases.size()));
  } else {
    out.run_id = db.begin_nightly_run(main_device.identity, {req.command}, setup);
  }
  failed_run_guard guard{db, out.run_id};

  // --- Each case: tuned, the previous best re-measured beside it, committed.
  std::size_t index = 0;
  for (const prepared_case& p : cases) {
    ++index;
    const job_case& c = p.c;
    case_result r;
    r.what = c;
    if (auto it = committed.find(c.key); it != committed.end()) {
      r.entry = it->second;
      r.committed_before = true;
      r.best = stored(db, r.entry.best_measurement_id);
      r.default_config = stored(db, r.entry.default_measurement_id);
      r.previous_best = stored(db, r.entry.previous_best_measurement_id);
      say(fmt::format("[{}/{}] {}: committed before, not measured again", index, cases.size(),
                      c.key));
      out.cases.push_back(std::move(r));
      continue;
    }
    say(fmt::format("[{}/{}] {}: tuning", index, cases.size(), c.key));

    service::tune_request tr;
    tr.what = p.what;
    tr.backend = p.device.backend.id;
    tr.strategy = c.strategy;
    tr.strategy_options = parse_key_value_list(c.strategy_options, c.where + ": strategy_options");
    tr.seed = c.seed;
    service::stop_options stop;
    stop.budget = c.budget;
    if (!c.time.empty()) stop.seconds = service::parse_duration(c.time, c.where + ": time");
    tr.stop = service::make_stop_conditions(stop);
    // Only a resumed night continues unfinished tuning runs: a fresh night must not inherit
    // another night's half-measured search.
    tr.resume = out.resumed;
    tr.check = service::check_policy::best;
    tr.harness = service::default_tune_harness();
    // Enough samples that tonight's Mann-Whitney test against the last good night can reach the
    // job's max_p_value at all (regression_check.hpp).
    tr.harness.min_samples =
        samples_for_significance(j.regression.max_p_value, tr.harness.min_samples);
    tr.harness.max_samples = std::max(tr.harness.max_samples, tr.harness.min_samples);
    tr.roofs = service::tuning_roofs(db, p.device);
    tr.command = fmt::format("{} [{}]", req.command, c.key);
    const service::tune_outcome tuned = service::tune(rt, db, p.device.identity, tr);

    storage::nightly_entry_record& e = r.entry;
    e.nightly_run_id = out.run_id;
    e.entry_key = c.key;
    e.what = tuned.what;
    e.tuning_run_id = tuned.run_id;
    e.best_measurement_id = tuned.best_measurement_id;
    e.default_measurement_id = tuned.default_measurement_id;
    r.best = tuned.best;
    r.default_config = tuned.default_config;
    std::vector<std::string> notes;
    if (!tuned.best) notes.push_back("no configuration ran ok and passed its check");

    // The configuration the last good night ended with, measured again tonight with the same
    // sampling: tells a slower machine or software (it got slower too) from a worse search.
    if (const auto previous = latest_good_best(db, out.hardware_type, c.key, out.run_id)) {
      e.previous_nightly_run_id = previous->nightly_run_id;
      try {
        kernels::run_request rr;
        rr.what = p.what;
        rr.backend = p.device.backend.id;
        rr.config = service::case_config(p.what, rr.backend,
                                         parse_key_value_list(previous->params, "previous best"),
                                         "previous best configuration");
        rr.check = true;
        rr.seed = c.seed;
        rr.harness = tr.harness;
        profiler::measurement m = kernels::run_kernel(rt, rr);
        e.previous_best_measurement_id =
            db.add_measurement(out.run_id, db.device_id(p.device.identity), m);
        if (!check_passed(m)) {
          notes.push_back(fmt::format("the previous best ({}) re-measured: {}", previous->params,
                                      m.reason.empty() ? "no check" : m.reason));
        }
        r.previous_best = std::move(m);
      } catch (const usage_error& err) {
        // The code changed its axes since: nothing to re-measure, which is not a failed check.
        say(fmt::format("  previous best of run {} no longer fits the space: {}",
                        previous->nightly_run_id, err.what()));
      }
    }
    e.checks_passed = notes.empty();
    for (const std::string& n : notes) e.note += (e.note.empty() ? "" : "; ") + n;
    e.id = db.add_nightly_entry(e);
    if (r.best) {
      say(fmt::format("  best {} ({}), default {}{}",
                      profiler::format_seconds(r.best->timing->summary.median),
                      r.best->params_text(),
                      tuned.default_config.timing
                          ? profiler::format_seconds(tuned.default_config.timing->summary.median)
                          : tuned.default_config.reason,
                      r.previous_best && r.previous_best->timing
                          ? ", last good best re-measured " +
                                profiler::format_seconds(r.previous_best->timing->summary.median)
                          : ""));
    }
    if (!e.checks_passed) say("  CHECK FAILED: " + e.note);
    out.cases.push_back(std::move(r));
  }

  // --- Regressions, against the history of this hardware type.
  bool all_passed = true;
  storage::nightly_run_record tonight_run;
  tonight_run.run_id = out.run_id;
  tonight_run.setup = setup;
  std::map<std::string, std::vector<night_point>> histories;
  for (const case_result& r : out.cases) {
    all_passed = all_passed && r.entry.checks_passed;
    std::vector<night_point> earlier =
        entry_history(db, out.hardware_type, r.entry.entry_key, out.run_id);
    const auto tonight = night_of(db, tonight_run, r.entry);
    if (r.entry.checks_passed && tonight) {
      for (auto& f : regression_flags(r.entry.entry_key, earlier, *tonight, j.regression)) {
        f.nightly_run_id = out.run_id;
        out.flags.push_back(std::move(f));
      }
    }
    if (tonight) earlier.push_back(*tonight);
    histories[r.entry.entry_key] = std::move(earlier);
  }
  out.verdict = !all_passed          ? storage::nightly_verdict::checks_failed
                : !out.flags.empty() ? storage::nightly_verdict::regression
                                     : storage::nightly_verdict::pass;

  // --- The report, then the run's end (verdict, flags, report path) in one transaction.
  report_input in{j, out, main_device.identity, software.dump(), histories, {}, {}};
  for (const auto& run : db.nightly_runs(out.hardware_type)) {
    if (run.run_id < out.run_id && run.report_path) in.previous_report = *run.report_path;
  }
  std::vector<profiler::roof_set> roofs;
  if (main_device.match.datasheet) roofs.push_back(*main_device.match.datasheet);
  if (auto measured = db.roofs(main_device.identity, profiler::roof_source::measured)) {
    roofs.push_back(*measured);
  }
  in.roofs = roofs;
  const std::string dir = !req.report_dir.empty() ? req.report_dir : j.report_dir;
  if (!dir.empty()) {
    const report_paths written = write_report(in, dir);
    out.report_markdown = written.markdown;
    out.report_html = written.html;
  }
  db.finish_nightly_run(out.run_id, storage::run_status::complete, out.verdict, out.flags,
                        out.report_html);
  guard.finished = true;
  return out;
}

}  // namespace ridgeline::nightly
