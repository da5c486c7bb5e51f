// The nightly-run half of `database` (schema version 4): see nightly_record.hpp and
// docs/nightly.md.
#include <fmt/format.h>

#include "core/error.hpp"
#include "storage/database.hpp"
#include "storage/detail/live_process.hpp"
#include "storage/detail/statement.hpp"
#include "storage/detail/transaction.hpp"

namespace ridgeline::storage {

const char* to_string(nightly_verdict v) {
  switch (v) {
    case nightly_verdict::pass:
      return "pass";
    case nightly_verdict::regression:
      return "regression";
    case nightly_verdict::checks_failed:
      return "checks_failed";
  }
  return "?";
}

nightly_verdict parse_nightly_verdict(const std::string& text) {
  for (nightly_verdict v :
       {nightly_verdict::pass, nightly_verdict::regression, nightly_verdict::checks_failed}) {
    if (text == to_string(v)) return v;
  }
  throw runtime_error(fmt::format("DB: unknown nightly verdict '{}'", text));
}

namespace {

constexpr const char* nightly_columns =
    "n.run_id, n.device_id, r.status, r.started_at, r.finished_at, r.host, r.pid, n.job_name, "
    "n.job_path, n.job_sha256, n.hardware_type, n.software_key, n.software_json, n.verdict, "
    "n.report_path";

nightly_run_record read_nightly_run(detail::statement& s) {
  nightly_run_record r;
  r.run_id = s.integer(0);
  r.device_id = s.integer(1);
  r.status = parse_run_status(s.text(2));
  r.started_at = s.text(3);
  r.finished_at = s.optional_text(4);
  r.host = s.text(5);
  r.pid = s.integer(6);
  r.setup = {s.text(7), s.text(8), s.text(9), s.text(10), s.text(11), s.text(12)};
  if (const auto v = s.optional_text(13)) r.verdict = parse_nightly_verdict(*v);
  r.report_path = s.optional_text(14);
  return r;
}

}  // namespace

std::int64_t database::begin_nightly_run(const device_identity& device, const run_info& run,
                                         const nightly_setup& n) {
  detail::transaction tx(db_);
  const std::int64_t device_id = upsert_device(device);
  const std::int64_t run_id = insert_run(run, run_status::running);
  detail::statement s(db_,
                      "INSERT INTO nightly_runs (run_id, device_id, job_name, job_path, "
                      "job_sha256, hardware_type, software_key, software_json) "
                      "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  s.push(run_id).push(device_id).push(n.job_name).push(n.job_path).push(n.job_sha256);
  s.push(n.hardware_type).push(n.software_key).push(n.software_json);
  s.run();
  tx.commit();
  return run_id;
}

std::optional<nightly_run_record> database::resumable_nightly_run(const device_identity& d,
                                                                  const nightly_setup& n) {
  const auto device_id = stored_device_id(d);
  if (!device_id) return std::nullopt;
  const std::string sql = fmt::format(
      "SELECT {} FROM nightly_runs n JOIN runs r ON r.id = n.run_id "
      "WHERE n.device_id = ? AND n.job_name = ? AND n.job_sha256 = ? "
      "AND n.hardware_type = ? AND r.status IN ('running', 'failed') ORDER BY n.run_id DESC "
      "LIMIT 1",
      nightly_columns);
  detail::statement s(db_, sql);
  s.push(*device_id);
  s.push(n.job_name).push(n.job_sha256).push(n.hardware_type);
  if (!s.step()) return std::nullopt;
  nightly_run_record r = read_nightly_run(s);
  if (detail::written_by_live_process_here(r.status, r.host, r.pid)) {
    throw runtime_error(
        fmt::format("nightly: job '{}' is already running in process {} on {} (nightly run {})",
                    n.job_name, r.pid, r.host, r.run_id));
  }
  return r;
}

std::int64_t database::add_nightly_entry(const nightly_entry_record& e) {
  detail::transaction tx(db_);
  detail::statement s(
      db_,
      "INSERT INTO nightly_entries (nightly_run_id, entry_key, kernel, variant, dtype, backend, "
      "problem_text, problem_json, tuning_run_id, best_measurement_id, default_measurement_id, "
      "previous_best_measurement_id, previous_nightly_run_id, checks_passed, note) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  s.push(e.nightly_run_id).push(e.entry_key).push(e.what.kernel).push(e.what.variant);
  s.push(e.what.dtype).push(e.what.backend).push(e.what.problem_text).push(e.what.problem_json);
  s.push(e.tuning_run_id).push(e.best_measurement_id).push(e.default_measurement_id);
  s.push(e.previous_best_measurement_id).push(e.previous_nightly_run_id);
  s.push(std::int64_t{e.checks_passed ? 1 : 0}).push(e.note);
  s.run();
  const std::int64_t id = db_.last_insert_id();
  tx.commit();
  return id;
}

void database::finish_nightly_run(std::int64_t run_id, run_status status,
                                  std::optional<nightly_verdict> verdict,
                                  const std::vector<nightly_flag_record>& flags,
                                  const std::string& report_path) {
  if (status == run_status::running) {
    throw std::invalid_argument("finish_nightly_run: the final status must be complete or failed");
  }
  detail::transaction tx(db_);
  {
    detail::statement s(db_,
                        "UPDATE nightly_runs SET verdict = ?, report_path = ? WHERE run_id = ?");
    s.push(verdict ? std::optional<std::string>(to_string(*verdict)) : std::nullopt);
    s.push(report_path.empty() ? std::nullopt : std::optional<std::string>(report_path));
    s.push(run_id);
    s.run();
    if (db_.changes() != 1) {
      throw runtime_error(fmt::format("DB: {}: run {} is not a nightly run", path(), run_id));
    }
  }
  for (const nightly_flag_record& f : flags) {
    detail::statement s(db_,
                        "INSERT INTO nightly_flags (nightly_run_id, entry_key, test, effect, "
                        "p_value, compared_json, message) VALUES (?, ?, ?, ?, ?, ?, ?)");
    s.push(run_id).push(f.entry_key).push(f.test).push(f.effect).push(f.p_value);
    s.push(f.compared_json).push(f.message);
    s.run();
  }
  mark_finished(run_id, status);
  tx.commit();
}

std::vector<nightly_run_record> database::nightly_runs(const std::string& hardware_type) {
  std::string sql =
      fmt::format("SELECT {} FROM nightly_runs n JOIN runs r ON r.id = n.run_id", nightly_columns);
  if (!hardware_type.empty()) sql += " WHERE n.hardware_type = ?";
  sql += " ORDER BY n.run_id";
  detail::statement s(db_, sql);
  if (!hardware_type.empty()) s.push(hardware_type);
  std::vector<nightly_run_record> out;
  while (s.step()) out.push_back(read_nightly_run(s));
  return out;
}

std::vector<nightly_entry_record> database::nightly_entries(std::int64_t nightly_run_id) {
  detail::statement s(
      db_,
      "SELECT id, nightly_run_id, entry_key, kernel, variant, dtype, backend, problem_text, "
      "problem_json, tuning_run_id, best_measurement_id, default_measurement_id, "
      "previous_best_measurement_id, previous_nightly_run_id, checks_passed, note "
      "FROM nightly_entries WHERE nightly_run_id = ? ORDER BY id");
  s.push(nightly_run_id);
  std::vector<nightly_entry_record> out;
  while (s.step()) {
    nightly_entry_record e;
    e.id = s.integer(0);
    e.nightly_run_id = s.integer(1);
    e.entry_key = s.text(2);
    e.what = {s.text(3), s.text(4), s.text(5), s.text(6), s.text(7), s.text(8)};
    e.tuning_run_id = s.optional_integer(9);
    e.best_measurement_id = s.optional_integer(10);
    e.default_measurement_id = s.optional_integer(11);
    e.previous_best_measurement_id = s.optional_integer(12);
    e.previous_nightly_run_id = s.optional_integer(13);
    e.checks_passed = s.integer(14) != 0;
    e.note = s.text(15);
    out.push_back(std::move(e));
  }
  return out;
}

std::vector<nightly_flag_record> database::nightly_flags(std::int64_t nightly_run_id) {
  detail::statement s(db_,
                      "SELECT id, nightly_run_id, entry_key, test, effect, p_value, "
                      "compared_json, message FROM nightly_flags WHERE nightly_run_id = ? "
                      "ORDER BY id");
  s.push(nightly_run_id);
  std::vector<nightly_flag_record> out;
  while (s.step()) {
    nightly_flag_record f;
    f.id = s.integer(0);
    f.nightly_run_id = s.integer(1);
    f.entry_key = s.text(2);
    f.test = s.text(3);
    f.effect = s.real(4);
    f.p_value = s.optional_real(5);
    f.compared_json = s.text(6);
    f.message = s.text(7);
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace ridgeline::storage
