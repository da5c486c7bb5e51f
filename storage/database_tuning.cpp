// The tuning-run half of `database` (schema versions 2 and 5): see tuning_record.hpp and
// docs/database.md.
#include <fmt/format.h>
#include <unistd.h>

#include "core/error.hpp"
#include "storage/database.hpp"
#include "storage/detail/live_process.hpp"
#include "storage/detail/measurement_codec.hpp"
#include "storage/detail/statement.hpp"
#include "storage/detail/transaction.hpp"

namespace ridgeline::storage {

namespace {

constexpr const char* tuning_columns =
    "t.run_id, t.device_id, r.status, r.started_at, r.finished_at, r.host, r.pid, t.kernel, "
    "t.variant, t.dtype, t.backend, t.problem_text, t.problem_json, t.software_key, "
    "t.software_json, t.strategy, t.strategy_options, t.seed, t.stop_json, t.floor_time_s, "
    "t.stop_reason, t.best_measurement_id, t.evaluations, t.evaluations_per_minute";
constexpr int tuning_column_count = 24;

tuning_run_record read_tuning_run(detail::statement& s) {
  tuning_run_record r;
  r.run_id = s.integer(0);
  r.device_id = s.integer(1);
  r.status = parse_run_status(s.text(2));
  r.started_at = s.text(3);
  r.finished_at = s.optional_text(4);
  r.host = s.text(5);
  r.pid = s.integer(6);
  r.setup.what = {s.text(7), s.text(8), s.text(9), s.text(10), s.text(11), s.text(12)};
  r.setup.software_key = s.text(13);
  r.setup.software_json = s.text(14);
  r.setup.strategy = s.text(15);
  r.setup.strategy_options = s.text(16);
  r.setup.seed = std::stoull(s.text(17));
  r.setup.stop_json = s.text(18);
  r.setup.floor_time_s = s.optional_real(19);
  r.stop_reason = s.optional_text(20);
  r.best_measurement_id = s.optional_integer(21);
  r.evaluations = s.integer(22);
  r.evaluations_per_minute = s.optional_real(23);
  return r;
}

}  // namespace

std::int64_t database::begin_tuning_run(const device_identity& device, const run_info& run,
                                        const tuning_setup& t) {
  detail::transaction tx(db_);
  const std::int64_t device_id = upsert_device(device);
  const std::int64_t run_id = insert_run(run, run_status::running);
  detail::statement s(
      db_,
      "INSERT INTO tuning_runs (run_id, device_id, kernel, variant, dtype, backend, "
      "problem_text, problem_json, software_key, software_json, strategy, "
      "strategy_options, seed, stop_json, floor_time_s) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  s.push(run_id).push(device_id).push(t.what.kernel).push(t.what.variant).push(t.what.dtype);
  s.push(t.what.backend).push(t.what.problem_text).push(t.what.problem_json);
  s.push(t.software_key).push(t.software_json).push(t.strategy).push(t.strategy_options);
  s.push(std::to_string(t.seed)).push(t.stop_json).push(t.floor_time_s);
  s.run();
  tx.commit();
  return run_id;
}

std::optional<tuning_run_record> database::resumable_tuning_run(const device_identity& d,
                                                                const tuning_setup& t) {
  const auto device_id = stored_device_id(d);
  if (!device_id) return std::nullopt;
  const std::string sql = fmt::format(
      "SELECT {} FROM tuning_runs t JOIN runs r ON r.id = t.run_id "
      "WHERE t.device_id = ? AND t.kernel = ? AND t.variant = ? AND t.dtype = ? "
      "AND t.backend = ? AND t.problem_text = ? AND t.software_key = ? AND t.strategy = ? "
      "AND t.strategy_options = ? AND t.seed = ? AND r.status IN ('running', 'failed') "
      "ORDER BY t.run_id DESC",
      tuning_columns);
  detail::statement s(db_, sql);
  s.push(*device_id);
  s.push(t.what.kernel).push(t.what.variant).push(t.what.dtype).push(t.what.backend);
  s.push(t.what.problem_text).push(t.software_key).push(t.strategy).push(t.strategy_options);
  s.push(std::to_string(t.seed));
  while (s.step()) {
    tuning_run_record r = read_tuning_run(s);
    if (detail::written_by_live_process_here(r.status, r.host, r.pid)) {
      throw runtime_error(
          fmt::format("--resume: tuning run {} of this case is still running in process {} on {}",
                      r.run_id, r.pid, r.host));
    }
    return r;
  }
  return std::nullopt;
}

void database::reopen_run(std::int64_t run_id) {
  detail::transaction tx(db_);
  detail::statement s(db_,
                      "UPDATE runs SET status = 'running', finished_at = NULL, host = ?, pid = ? "
                      "WHERE id = ? AND status IN ('running', 'failed')");
  s.push(detail::host_name()).push(static_cast<std::int64_t>(getpid())).push(run_id);
  s.run();
  if (db_.changes() != 1) {
    throw runtime_error(fmt::format("DB: {}: run {} is not an unfinished run", path(), run_id));
  }
  tx.commit();
}

void database::finish_tuning_run(std::int64_t run_id, run_status status,
                                 const std::string& stop_reason,
                                 std::optional<std::int64_t> best_measurement_id,
                                 std::int64_t evaluations,
                                 std::optional<double> evaluations_per_minute) {
  if (status == run_status::running) {
    throw std::invalid_argument("finish_tuning_run: the final status must be complete or failed");
  }
  detail::transaction tx(db_);
  {
    detail::statement s(db_,
                        "UPDATE tuning_runs SET stop_reason = ?, best_measurement_id = ?, "
                        "evaluations = ?, evaluations_per_minute = ? WHERE run_id = ?");
    s.push(stop_reason).push(best_measurement_id).push(evaluations);
    s.push(evaluations_per_minute).push(run_id);
    s.run();
    if (db_.changes() != 1) {
      throw runtime_error(fmt::format("DB: {}: run {} is not a tuning run", path(), run_id));
    }
  }
  mark_finished(run_id, status);
  tx.commit();
}

std::vector<tuning_run_record> database::tuning_runs() {
  detail::statement s(db_, fmt::format("SELECT {} FROM tuning_runs t JOIN runs r ON r.id = "
                                       "t.run_id ORDER BY t.run_id",
                                       tuning_columns));
  std::vector<tuning_run_record> out;
  while (s.step()) out.push_back(read_tuning_run(s));
  return out;
}

std::vector<tuned_result> database::tuned_results(const std::string& kernel,
                                                  const std::string& variant,
                                                  const std::string& dtype) {
  const std::string sql = fmt::format(
      "SELECT {}, d.kind, d.vendor, d.name, d.arch, d.backend, d.host, d.catalog_id, {} "
      "FROM tuning_runs t JOIN runs r ON r.id = t.run_id JOIN devices d ON d.id = t.device_id "
      "JOIN measurements m ON m.id = t.best_measurement_id "
      "WHERE r.status = 'complete' AND t.kernel = ? AND t.variant = ? AND t.dtype = ? "
      "AND t.run_id NOT IN (SELECT e.tuning_run_id FROM nightly_entries e JOIN nightly_runs n "
      "ON n.run_id = e.nightly_run_id WHERE e.tuning_run_id IS NOT NULL AND (e.checks_passed = 0 "
      "OR n.verdict IS NULL OR n.verdict = 'checks_failed')) "
      "ORDER BY t.run_id",
      tuning_columns, detail::measurement_column_list("m."));
  detail::statement s(db_, sql);
  s.push(kernel).push(variant).push(dtype);
  std::vector<tuned_result> out;
  while (s.step()) {
    tuned_result r;
    r.run = read_tuning_run(s);
    const int c = tuning_column_count;
    r.device = {s.text(c),     s.text(c + 1), s.text(c + 2),         s.text(c + 3),
                s.text(c + 4), s.text(c + 5), s.optional_text(c + 6)};
    r.best = detail::read_measurement(s, c + 7, *r.run.best_measurement_id);
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace ridgeline::storage
