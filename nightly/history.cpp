#include "nightly/history.hpp"

#include <algorithm>

namespace ridgeline::nightly {

namespace {

std::optional<storage::stored_measurement> ok_measurement(storage::database& db,
                                                          std::optional<std::int64_t> id) {
  if (!id) return std::nullopt;
  storage::measurement_filter f;
  f.id = *id;
  f.include_unfinished = true;  // a tuning run of tonight's entry may be read before the night ends
  auto rows = db.stored_measurements(f);
  if (rows.empty() || rows.front().record.outcome != profiler::status::ok ||
      !rows.front().record.timing) {
    return std::nullopt;
  }
  return std::move(rows.front());
}

}  // namespace

std::optional<night_point> night_of(storage::database& db, const storage::nightly_run_record& run,
                                    const storage::nightly_entry_record& entry) {
  const auto best = ok_measurement(db, entry.best_measurement_id);
  const auto previous = ok_measurement(db, entry.previous_best_measurement_id);
  const storage::stored_measurement* chosen = best ? &*best : nullptr;
  bool from_previous = false;
  if (previous && (!chosen || previous->record.timing->summary.median <
                                  chosen->record.timing->summary.median)) {
    chosen = &*previous;
    from_previous = true;
  }
  if (chosen == nullptr) return std::nullopt;
  night_point p;
  p.nightly_run_id = run.run_id;
  p.started_at = run.started_at;
  p.software_key = run.setup.software_key;
  p.good = run.verdict == storage::nightly_verdict::pass;
  p.measurement_id = chosen->id;
  p.params = chosen->record.params_text();
  p.from_previous_best = from_previous;
  p.samples = chosen->record.timing->samples;
  p.median_s = chosen->record.timing->summary.median;
  return p;
}

std::vector<night_point> entry_history(storage::database& db, const std::string& hardware_type,
                                       const std::string& entry_key, std::int64_t before_run_id) {
  std::vector<night_point> out;
  for (const auto& run : db.nightly_runs(hardware_type)) {
    if (run.run_id >= before_run_id || run.status != storage::run_status::complete) continue;
    for (const auto& entry : db.nightly_entries(run.run_id)) {
      if (entry.entry_key != entry_key) continue;
      if (auto p = night_of(db, run, entry)) out.push_back(std::move(*p));
    }
  }
  return out;
}

std::optional<previous_best> latest_good_best(storage::database& db,
                                              const std::string& hardware_type,
                                              const std::string& entry_key,
                                              std::int64_t before_run_id) {
  const auto history = entry_history(db, hardware_type, entry_key, before_run_id);
  const auto good =
      std::find_if(history.rbegin(), history.rend(), [](const night_point& p) { return p.good; });
  if (good == history.rend()) return std::nullopt;
  return previous_best{good->nightly_run_id, good->params};
}

}  // namespace ridgeline::nightly
