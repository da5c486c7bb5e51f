#include "service/tune_session.hpp"

#include <fmt/format.h>

#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>

#include "core/error.hpp"
#include "kernels/kernel.hpp"
#include "kernels/planted_slowdown.hpp"
#include "kernels/run.hpp"
#include "profiler/console_report.hpp"
#include "profiler/floor_time.hpp"
#include "service/software_identity.hpp"
#include "tuner/strategy_registry.hpp"

namespace ridgeline::service {

namespace {

using clock_type = std::chrono::steady_clock;

tuner::eval_status to_eval_status(profiler::status s) {
  switch (s) {
    case profiler::status::ok:
      return tuner::eval_status::ok;
    case profiler::status::invalid_config:
      return tuner::eval_status::invalid;
    case profiler::status::launch_failed:
      return tuner::eval_status::failed;
    case profiler::status::wrong_result:
      return tuner::eval_status::wrong_result;
    case profiler::status::timeout:
      return tuner::eval_status::cut;
  }
  return tuner::eval_status::failed;
}

tuner::evaluation to_evaluation(const tuner::config& c, const profiler::measurement& m) {
  tuner::evaluation e;
  e.cfg = c;
  e.status = to_eval_status(m.outcome);
  e.reason = m.reason;
  if (e.status == tuner::eval_status::ok) e.time_s = m.timing->summary.median;
  return e;
}

std::string canonical_options(const tuner::strategy_info& info, const key_value_list& given) {
  std::map<std::string, std::string> values;
  for (const auto& o : info.options) values[o.name] = o.default_value;
  for (const auto& [name, value] : given) values[name] = value;
  std::string out;
  for (const auto& [name, value] : values) {
    if (!out.empty()) out += ',';
    out += name + '=' + value;
  }
  return out;
}

nlohmann::json stop_json(const tuner::stop_conditions& s) {
  nlohmann::json j = nlohmann::json::object();
  if (s.max_evaluations) j["max_evaluations"] = *s.max_evaluations;
  if (s.max_seconds) j["max_seconds"] = *s.max_seconds;
  if (s.no_improvement) j["no_improvement"] = *s.no_improvement;
  if (s.within_roof) j["within_roof"] = *s.within_roof;
  return j;
}

}  // namespace

check_policy parse_check_policy(const std::string& text, const std::string& field) {
  if (text == "none") return check_policy::none;
  if (text == "best") return check_policy::best;
  if (text == "all") return check_policy::all;
  throw usage_error(fmt::format("{}: '{}' is not one of none, best, all", field, text));
}

const char* to_string(check_policy p) {
  switch (p) {
    case check_policy::none:
      return "none";
    case check_policy::best:
      return "best";
    case check_policy::all:
      return "all";
  }
  return "unknown";
}

std::optional<double> evaluations_per_minute(std::uint64_t measured, double seconds) {
  if (measured == 0 || !(seconds > 0)) return std::nullopt;
  return static_cast<double>(measured) / (seconds / 60);
}

tune_outcome tune(const kernels::runtime& rt, storage::database& db,
                  const storage::device_identity& device, const tune_request& req,
                  const std::function<void(const tune_progress&)>& on_progress,
                  const std::function<bool()>& should_stop) {
  const auto started = clock_type::now();
  // --- Everything the user named is validated before anything runs or is written.
  const kernels::kernel& k = *req.what.k;
  const kernels::variant& v = *req.what.v;
  const kernels::dtype t = req.what.type;
  const kernels::problem& p = req.what.values;
  const std::string& backend = req.backend;
  const kernels::backend_info binfo = rt.backend(backend);
  if (const std::string why = v.dtype_unsupported(t, backend); !why.empty()) {
    throw runtime_error("--dtype: " + why);
  }
  const std::string strategy_name =
      req.strategy.empty() ? tuner::default_strategy_name() : req.strategy;
  // The variant's space plus what this backend can launch: strategies only ever see points that
  // can run here (the "constraints over the device's limits").
  std::vector<tuner::constraint> constraints = v.space().constraints();
  constraints.push_back({"launches on " + backend, [&v, p, t, backend](const tuner::config& c) {
                           return v.launch_limit(p, t, c, backend).empty();
                         }});
  const tuner::config default_cfg = v.default_config(backend, t);
  std::optional<tuner::param_space> space;
  try {
    space.emplace(v.space().axes(), std::move(constraints), default_cfg);
  } catch (const std::logic_error& e) {
    throw runtime_error(fmt::format("{} {}: the default configuration cannot launch on {}: {}",
                                    k.name(), v.name(), backend, e.what()));
  }
  // make_strategy validates the name and the options (usage errors name the flag).
  auto strategy = tuner::make_strategy(strategy_name, *space, req.strategy_options, req.seed);
  const tuner::strategy_info* info = nullptr;
  for (const auto& s : tuner::strategies()) {
    if (s.name == strategy_name) info = &s;
  }
  profiler::validate(req.harness);
  kernels::check_planted_slowdown();  // a malformed test hook fails before the run is written
  if (req.abandon_factor != 0 && !(req.abandon_factor > 1)) {
    throw usage_error("--abandon-factor: must be > 1 (times the best so far), or 0 for never");
  }
  if (const std::string why = v.unavailable_reason(backend); !why.empty()) {
    throw runtime_error(
        fmt::format("--variant: {} is not available on {}: {}", v.name(), backend, why));
  }

  // --- The case, the software, the floor.
  tune_outcome out;
  profiler::measurement probe;  // the case as a measurement record knows it
  probe.problem = p;
  nlohmann::json problem_json = nlohmann::json::object();
  for (const auto& f : p) problem_json[f.name] = f.value;
  const software_facts software = current_software(rt, backend);
  storage::tuning_setup setup;
  setup.what = {
      k.name(),           v.name(), kernels::to_string(t), binfo.kokkos_name, probe.problem_text(),
      problem_json.dump()};
  out.what = setup.what;
  setup.software_key = software_key(software);
  setup.software_json = software_json(software);
  setup.strategy = strategy_name;
  setup.strategy_options = canonical_options(*info, req.strategy_options);
  setup.seed = req.seed;
  setup.stop_json = stop_json(req.stop).dump();

  tuner::stop_conditions stop = req.stop;
  if (req.roofs) {
    if (const auto floor = profiler::roofline_floor(k.work(p, t), *req.roofs)) {
      out.floor_time_s = floor->seconds;
      out.floor_bound = floor->bound;
      out.roofs_source = profiler::to_string(req.roofs->source);
      stop.floor_time_s = floor->seconds;
      stop.floor_tolerance = profiler::roof_tolerance;
      setup.floor_time_s = floor->seconds;
    }
  }
  if (stop.within_roof && !stop.floor_time_s) {
    throw runtime_error(
        "--within-roof: no roofline floor for this case on this device (no roofs for its "
        "precision, unit or DRAM): run `ridgeline ceilings` or add the card to the catalog");
  }

  // --- The run: new, or the unfinished one to resume.
  std::map<tuner::config, std::pair<std::int64_t, profiler::measurement>> committed;
  if (req.resume) {
    if (auto found = db.resumable_tuning_run(device, setup)) {
      out.run_id = found->run_id;
      out.resumed = true;
      db.reopen_run(out.run_id);
      storage::measurement_filter mine;
      mine.run_id = out.run_id;
      mine.include_unfinished = true;
      // Each stored row's parameters are read once, here; the search then hands configurations
      // around as they are. A row this build's space cannot read is measured again.
      for (auto& row : db.stored_measurements(mine)) {
        const key_value_list stored(row.record.params.begin(), row.record.params.end());
        tuner::config key;
        try {
          key = v.space().with_overrides(default_cfg, stored, "stored params");
        } catch (const usage_error&) {
          continue;
        }
        committed[key] = {row.id, std::move(row.record)};
      }
    }
  }
  if (!out.resumed) out.run_id = db.begin_tuning_run(device, {req.command}, setup);
  const std::int64_t device_id = db.device_id(device);
  bool finished = false;
  struct finish_guard {  // an exception (broken environment) leaves the run failed, resumable
    storage::database& db;
    std::int64_t run;
    bool& finished;
    ~finish_guard() {
      if (finished) return;
      try {
        db.finish_tuning_run(run, storage::run_status::failed, "error", std::nullopt, 0);
      } catch (...) {
      }
    }
  } guard{db, out.run_id, finished};

  // --- One evaluation: answered from the run's committed rows, or measured and committed.
  // `committed` (configuration -> row id and record) is the run's whole state: rows found on
  // resume and rows written now.
  std::uint64_t evaluation_index = 0;
  auto run_config = [&](const tuner::config& c, std::optional<double> best_s) {
    if (auto it = committed.find(c); it != committed.end()) {
      ++out.reused;
      return it->second.second;
    }
    kernels::run_request r;
    r.what = req.what;
    r.config = c;
    r.backend = backend;
    r.check = req.check == check_policy::all;
    // Inputs differ per configuration but are reproducible from the run's seed.
    r.seed = req.seed * 1000003u + evaluation_index++;
    r.harness = req.harness;
    if (best_s && req.abandon_factor > 0) {
      r.harness.abandon_above_seconds = req.abandon_factor * *best_s;
    }
    profiler::measurement m = kernels::run_kernel(rt, r);
    const bool would_be_best =
        m.outcome == profiler::status::ok && (!best_s || m.timing->summary.median < *best_s);
    if (req.check == check_policy::best && would_be_best) {
      kernels::run_request c2 = r;
      c2.check = true;
      c2.time = false;
      const profiler::measurement checked = kernels::run_kernel(rt, c2);
      m.check = checked.check;
      if (checked.outcome != profiler::status::ok) {
        m.outcome = checked.outcome;
        m.reason = checked.reason;
      }
    }
    const std::int64_t id = db.add_measurement(out.run_id, device_id, m);
    committed[c] = {id, m};
    return m;
  };

  // The default configuration first: the baseline every report compares the best with.
  out.default_config = run_config(default_cfg, std::nullopt);
  out.default_measurement_id = committed.at(default_cfg).first;
  std::optional<double> default_time;
  if (out.default_config.outcome == profiler::status::ok) {
    default_time = out.default_config.timing->summary.median;
  }

  const tuner::evaluate_fn evaluate = [&](const tuner::config& c, const tuner::eval_context& ctx) {
    std::optional<double> best = ctx.best_time_s;
    if (default_time && (!best || *default_time < *best)) best = default_time;
    return to_evaluation(c, run_config(c, best));
  };
  const auto progress = [&](const tuner::search_progress& s) {
    if (on_progress) on_progress({s, out.reused, out.floor_time_s});
  };
  out.search = tuner::search(*strategy, evaluate, stop, progress, should_stop);

  // --- The best of the search and the default; the run ends with why it stopped.
  std::optional<tuner::config> best_params;
  double best_time = 0;
  auto consider = [&](const tuner::config& params, const profiler::measurement& m) {
    if (m.outcome != profiler::status::ok) return;
    if (req.check != check_policy::none && !(m.check && m.check->passed)) return;
    if (!best_params || m.timing->summary.median < best_time) {
      best_params = params;
      best_time = m.timing->summary.median;
    }
  };
  consider(default_cfg, out.default_config);
  for (const auto& e : out.search.history) {
    if (auto it = committed.find(e.cfg); it != committed.end()) consider(e.cfg, it->second.second);
  }
  if (best_params) {
    out.best = committed.at(*best_params).second;
    out.best_measurement_id = committed.at(*best_params).first;
    // floor / best = achieved / attainable: the same test as a placement's.
    if (out.floor_time_s && profiler::exceeds_roof(*out.floor_time_s, best_time)) {
      out.roof_below_achieved = true;
      out.roof_below_achieved_reason = fmt::format(
          "this roof set is wrong or stale ({}): its roofline floor for this case, {} ({} "
          "bound), is above the best time {}",
          profiler::origin_text(*req.roofs), profiler::format_seconds(*out.floor_time_s),
          out.floor_bound, profiler::format_seconds(best_time));
    }
  }
  const bool interrupted = out.search.stop_reason == "interrupted";
  out.seconds = std::chrono::duration<double>(clock_type::now() - started).count();
  out.measured = evaluation_index;  // one per configuration run_kernel measured
  out.evaluations_per_minute = evaluations_per_minute(out.measured, out.seconds);
  db.finish_tuning_run(out.run_id,
                       interrupted ? storage::run_status::failed : storage::run_status::complete,
                       out.search.stop_reason, out.best_measurement_id,
                       static_cast<std::int64_t>(committed.size()), out.evaluations_per_minute);
  finished = true;
  return out;
}

}  // namespace ridgeline::service
