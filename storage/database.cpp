#include "storage/database.hpp"

#include <fmt/format.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <utility>

#include "core/error.hpp"
#include "profiler/measurement_json.hpp"
#include "storage/csv_export.hpp"
#include "storage/database_path.hpp"
#include "storage/detail/live_process.hpp"
#include "storage/detail/measurement_codec.hpp"
#include "storage/detail/migrations.hpp"
#include "storage/detail/statement.hpp"
#include "storage/detail/transaction.hpp"

namespace ridgeline::storage {

namespace {

namespace fs = std::filesystem;

std::string utc_now() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  std::array<char, 32> text{};
  std::strftime(text.data(), text.size(), "%Y-%m-%dT%H:%M:%S", &utc);
  return fmt::format("{}.{:03}Z", text.data(), millis);
}

// A non-empty file must start with SQLite's magic string. Checked by hand, before SQLite touches
// the file, so that the message says plainly what is wrong and nothing is written.
void require_sqlite_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return;  // absent: SQLite creates it
  std::array<char, 16> header{};
  in.read(header.data(), header.size());
  const auto got = static_cast<std::size_t>(in.gcount());
  if (got == 0) return;                               // an empty file is an empty database
  static constexpr char magic[] = "SQLite format 3";  // 16 bytes with its NUL
  if (got < header.size() || !std::equal(header.begin(), header.end(), magic)) {
    throw runtime_error(fmt::format("DB: {}: not an SQLite database", path));
  }
}

std::string single_text(detail::connection& db, const char* sql) {
  detail::statement s(db, sql);
  return s.step() ? s.text(0) : std::string();
}

// Switching to WAL needs an exclusive lock, and SQLite does not run the busy handler for it (the
// pragma already holds a shared lock, so waiting could deadlock with a second process doing the
// same). Two processes opening a new file at once therefore retry here, up to `timeout`.
void enable_wal(detail::connection& db, std::chrono::milliseconds timeout) {
  if (single_text(db, "PRAGMA journal_mode") == "wal") return;  // persistent: set once per file
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (int attempt = 0;; ++attempt) {
    sqlite3_stmt* s = nullptr;
    int rc = sqlite3_prepare_v2(db.handle(), "PRAGMA journal_mode = WAL", -1, &s, nullptr);
    std::string mode;
    if (rc == SQLITE_OK) {
      rc = sqlite3_step(s);
      if (rc == SQLITE_ROW) mode = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
    }
    sqlite3_finalize(s);
    if (rc == SQLITE_ROW) {
      if (mode == "wal") return;
      throw runtime_error(fmt::format(
          "DB: {}: cannot switch to WAL (journal mode stays '{}'); is it on a network filesystem?",
          db.path(), mode));
    }
    if ((rc & 0xff) != SQLITE_BUSY || std::chrono::steady_clock::now() > deadline) {
      db.fail("PRAGMA journal_mode = WAL");
    }
    // 1, 2, 3 ... 10 ms, offset by the pid so that two racing processes drift apart.
    sqlite3_sleep(std::min(attempt + 1, 10) + static_cast<int>(getpid() % 3));
  }
}

}  // namespace

database::database(detail::connection db, open_options options, int version_at_open)
    : db_(std::move(db)), options_(std::move(options)), version_at_open_(version_at_open) {}

int database::latest_schema_version() {
  return detail::latest_version();
}

int database::schema_version() {
  return detail::user_version(db_);
}

namespace {

// Refuses, before anything is written, a database that is another application's, newer than this
// build, or holds tables without a Ridgeline schema version. The same rules and words for both
// engines; `path` is what messages show (a PostgreSQL URL without its password).
int check_header(detail::connection& db, const std::string& path) {
  const detail::schema_header header = detail::read_schema_header(db);
  const int version = header.version;
  const std::int32_t app = header.application_id;
  if (app != 0 && app != detail::application_id) {
    throw runtime_error(
        fmt::format("DB: {}: not a Ridgeline database (application_id {:#x}, expected {:#x})", path,
                    static_cast<std::uint32_t>(app), detail::application_id));
  }
  const int latest = detail::latest_version();
  if (version > latest) {
    throw runtime_error(
        fmt::format("DB: {}: schema version {} is newer than this build's {}; upgrade ridgeline",
                    path, version, latest));
  }
  if (version == 0 && header.has_tables) {
    throw runtime_error(fmt::format(
        "DB: {}: not a Ridgeline database (it has tables but no Ridgeline schema version)", path));
  }
  return version;
}

}  // namespace

database database::open(const std::string& path, open_options options) {
  if (path.empty()) throw runtime_error("DB: empty database path");
  if (is_postgresql_url(path)) {
    // A server: no file, journal or pragmas. Durability (synchronous_commit) and foreign keys are
    // the server's defaults; writers wait for the writer lock up to lock_timeout (= busy_timeout).
    detail::connection db = detail::connection::postgresql(
        path, static_cast<std::int64_t>(options.busy_timeout.count()));
    const int version = check_header(db, db.path());
    detail::migrate(db);
    return database(std::move(db), std::move(options), version);
  }
  const fs::path parent = fs::path(path).parent_path();
  if (!parent.empty()) {
    std::error_code ec;
    fs::create_directories(parent, ec);
    if (ec) {
      throw runtime_error(fmt::format("DB: {}: cannot create directory {}: {}", path,
                                      parent.string(), ec.message()));
    }
  }
  require_sqlite_file(path);

  detail::connection db(path);
  sqlite3_busy_timeout(db.handle(), static_cast<int>(options.busy_timeout.count()));

  // Only reads until the file is known to be ours and not newer than this build: switching to WAL
  // or migrating would write to it.
  const int version = check_header(db, path);

  // WAL: readers never block the writer and see the last committed state; commits are appends.
  enable_wal(db, options.busy_timeout);
  // FULL: a commit is on disk before it returns, so "committed" survives a power cut as well as a
  // killed process. Commits are per run or per tuned configuration, so the fsync is cheap.
  db.exec("PRAGMA synchronous = FULL");
  db.exec("PRAGMA foreign_keys = ON");
  detail::migrate(db);
  return database(std::move(db), std::move(options), version);
}

std::string database::now() const {
  return options_.clock ? options_.clock() : utc_now();
}

std::int64_t database::insert_run(const run_info& run, run_status status) {
  const std::string at = now();
  detail::statement s(db_,
                      "INSERT INTO runs (command, status, started_at, finished_at, host, pid) "
                      "VALUES (?, ?, ?, ?, ?, ?)");
  s.push(run.command).push(std::string(to_string(status))).push(at);
  s.push(status == run_status::running ? std::optional<std::string>() : at);
  s.push(detail::host_name()).push(static_cast<std::int64_t>(getpid()));
  s.run();
  return db_.last_insert_id();
}

std::int64_t database::upsert_device(const device_identity& d) {
  {
    detail::statement s(db_,
                        "INSERT INTO devices (kind, vendor, name, arch, backend, host, catalog_id) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?) "
                        "ON CONFLICT (kind, vendor, name, arch, backend, host) DO UPDATE "
                        "SET catalog_id = coalesce(excluded.catalog_id, devices.catalog_id)");
    s.push(d.kind).push(d.vendor).push(d.name).push(d.arch).push(d.backend).push(d.host);
    s.push(d.catalog_id);
    s.run();
  }
  const auto id = stored_device_id(d);
  if (!id) db_.fail("device vanished after insert");
  return *id;
}

std::optional<std::int64_t> database::stored_device_id(const device_identity& d) {
  detail::statement s(db_,
                      "SELECT id FROM devices WHERE kind = ? AND vendor = ? AND name = ? AND "
                      "arch = ? AND backend = ? AND host = ?");
  s.push(d.kind).push(d.vendor).push(d.name).push(d.arch).push(d.backend).push(d.host);
  if (!s.step()) return std::nullopt;
  return s.integer(0);
}

std::int64_t database::insert_measurement(std::int64_t run_id, std::int64_t device_id,
                                          const profiler::measurement& m) {
  static const std::string sql = [] {
    std::string placeholders;
    for (std::size_t i = 0; i < detail::database_columns().size(); ++i) placeholders += ", ?";
    return "INSERT INTO measurements (run_id, device_id, created_at, " +
           detail::measurement_column_list("") + ") VALUES (?, ?, ?" + placeholders + ")";
  }();
  detail::statement s(db_, sql);
  s.push(run_id).push(device_id).push(now());
  detail::push_measurement(s, m);
  s.run();
  return db_.last_insert_id();
}

std::int64_t database::device_id(const device_identity& device) {
  detail::transaction tx(db_);
  const std::int64_t id = upsert_device(device);
  tx.commit();
  return id;
}

std::int64_t database::record(const device_identity& device,
                              const std::vector<profiler::measurement>& measurements,
                              const run_info& run) {
  detail::transaction tx(db_);
  const std::int64_t device_id = upsert_device(device);
  const std::int64_t run_id = insert_run(run, run_status::complete);
  for (const auto& m : measurements) insert_measurement(run_id, device_id, m);
  tx.commit();
  return run_id;
}

std::int64_t database::record_roofs(const device_identity& device, const profiler::roof_set& roofs,
                                    const run_info& run, const std::string& provenance) {
  detail::transaction tx(db_);
  const std::int64_t device_id = upsert_device(device);
  const std::int64_t run_id = insert_run(run, run_status::complete);
  const bool measured = roofs.source == profiler::roof_source::measured;
  const std::optional<std::string> measured_at =
      measured ? std::optional<std::string>(now()) : std::nullopt;
  const std::string source = profiler::to_string(roofs.source);
  const char* sql =
      "INSERT INTO roofs (run_id, device_id, source, kind, precision, unit, level, value, "
      "confidence, provenance, measured_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  const std::optional<std::string> none;
  for (const auto& c : roofs.compute) {
    detail::statement s(db_, sql);
    s.push(run_id).push(device_id).push(source).push(std::string("compute"));
    s.push(c.precision).push(c.unit).push(none).push(c.flop_per_s);
    s.push(c.confidence).push(provenance).push(measured_at);
    s.run();
  }
  for (const auto& b : roofs.bandwidth) {
    detail::statement s(db_, sql);
    s.push(run_id).push(device_id).push(source).push(std::string("bandwidth"));
    s.push(none).push(none).push(b.level).push(b.byte_per_s);
    s.push(b.confidence).push(provenance).push(measured_at);
    s.run();
  }
  tx.commit();
  return run_id;
}

std::int64_t database::begin_run(const run_info& run) {
  detail::transaction tx(db_);
  const std::int64_t id = insert_run(run, run_status::running);
  tx.commit();
  return id;
}

std::int64_t database::add_measurement(std::int64_t run_id, std::int64_t device_id,
                                       const profiler::measurement& m) {
  detail::transaction tx(db_);
  // Rows join a run only while it runs: a complete run is what readers already saw, whole.
  detail::statement s(db_, "SELECT status FROM runs WHERE id = ?");
  s.push(run_id);
  if (!s.step()) throw runtime_error(fmt::format("DB: {}: no run {}", path(), run_id));
  if (s.text(0) != to_string(run_status::running)) {
    throw runtime_error(fmt::format("DB: {}: run {} is {}; measurements join running runs only",
                                    path(), run_id, s.text(0)));
  }
  const std::int64_t id = insert_measurement(run_id, device_id, m);
  tx.commit();
  return id;
}

void database::finish_run(std::int64_t run_id, run_status status) {
  if (status == run_status::running) {
    throw std::invalid_argument("finish_run: the final status must be complete or failed");
  }
  detail::transaction tx(db_);
  mark_finished(run_id, status);
  tx.commit();
}

void database::mark_finished(std::int64_t run_id, run_status status) {
  detail::statement s(db_,
                      "UPDATE runs SET status = ?, finished_at = ? WHERE id = ? AND status = ?");
  s.push(std::string(to_string(status))).push(now()).push(run_id);
  s.push(std::string(to_string(run_status::running)));
  s.run();
  if (db_.changes() != 1) {
    throw runtime_error(fmt::format("DB: {}: run {} is not running", path(), run_id));
  }
}

std::vector<stored_measurement> database::stored_measurements(const measurement_filter& f) {
  std::string sql =
      "SELECT m.id, m.run_id, m.device_id, m.created_at, d.kind, d.vendor, d.name, d.arch, "
      "d.backend, d.host, d.catalog_id, " +
      detail::measurement_column_list("m.") +
      " FROM measurements m JOIN runs r ON r.id = m.run_id JOIN devices d ON d.id = m.device_id"
      " WHERE 1 = 1";
  // The reader guarantee: rows of runs that are still running or failed stay hidden.
  if (!f.include_unfinished) sql += " AND r.status = 'complete'";
  std::vector<std::string> texts;
  auto text_condition = [&](const std::optional<std::string>& value, const char* column) {
    if (!value) return;
    sql += fmt::format(" AND m.{} = ?", column);
    texts.push_back(*value);
  };
  text_condition(f.kernel, "kernel");
  text_condition(f.variant, "variant");
  text_condition(f.dtype, "dtype");
  text_condition(f.backend, "backend");
  text_condition(f.problem_text, "problem_text");
  text_condition(f.status, "status");
  if (f.run_id) sql += " AND m.run_id = ?";
  if (f.device_id) sql += " AND m.device_id = ?";
  if (f.id) sql += " AND m.id = ?";
  sql += " ORDER BY m.id";

  detail::statement s(db_, sql);
  for (const auto& t : texts) s.push(t);
  if (f.run_id) s.push(*f.run_id);
  if (f.device_id) s.push(*f.device_id);
  if (f.id) s.push(*f.id);

  std::vector<stored_measurement> out;
  while (s.step()) {
    stored_measurement row;
    row.id = s.integer(0);
    row.run_id = s.integer(1);
    row.device_id = s.integer(2);
    row.created_at = s.text(3);
    row.device = {s.text(4), s.text(5), s.text(6),          s.text(7),
                  s.text(8), s.text(9), s.optional_text(10)};
    row.record = detail::read_measurement(s, 11, row.id);
    out.push_back(std::move(row));
  }
  return out;
}

std::vector<profiler::measurement> database::measurements(const measurement_filter& filter) {
  std::vector<profiler::measurement> out;
  for (auto& row : stored_measurements(filter)) out.push_back(std::move(row.record));
  return out;
}

std::vector<run_record> database::runs() {
  detail::statement s(
      db_, "SELECT id, command, status, started_at, finished_at, host, pid FROM runs ORDER BY id");
  std::vector<run_record> out;
  while (s.step()) {
    out.push_back({s.integer(0), s.text(1), parse_run_status(s.text(2)), s.text(3),
                   s.optional_text(4), s.text(5), s.integer(6)});
  }
  return out;
}

std::optional<device_identity> database::device(std::int64_t device_id) {
  detail::statement s(
      db_, "SELECT kind, vendor, name, arch, backend, host, catalog_id FROM devices WHERE id = ?");
  s.push(device_id);
  if (!s.step()) return std::nullopt;
  return device_identity{s.text(0), s.text(1), s.text(2),         s.text(3),
                         s.text(4), s.text(5), s.optional_text(6)};
}

std::optional<profiler::roof_set> database::roofs(const device_identity& d,
                                                  profiler::roof_source source) {
  // A read never inserts the device: look it up, and no device means no roofs.
  detail::statement find(db_,
                         "SELECT id, catalog_id FROM devices WHERE kind = ? AND vendor = ? AND "
                         "name = ? AND arch = ? AND backend = ? AND host = ?");
  find.push(d.kind).push(d.vendor).push(d.name).push(d.arch).push(d.backend).push(d.host);
  if (!find.step()) return std::nullopt;
  const std::int64_t device_id = find.integer(0);
  const std::optional<std::string> catalog_id = find.optional_text(1);

  detail::statement s(db_,
                      "SELECT kind, precision, unit, level, value, confidence, measured_at "
                      "FROM roofs "
                      "WHERE device_id = ?1 AND source = ?2 AND run_id = ("
                      "  SELECT max(f.run_id) FROM roofs f JOIN runs r ON r.id = f.run_id"
                      "  WHERE f.device_id = ?1 AND f.source = ?2 AND r.status = 'complete')"
                      " ORDER BY id");
  s.bind(1, device_id).bind(2, std::string(profiler::to_string(source)));
  profiler::roof_set set;
  set.device = catalog_id.value_or(d.name);
  set.source = source;
  bool any = false;
  while (s.step()) {
    any = true;
    // One recording shares one measured_at; it names the set when a roof is found wrong.
    if (set.measured_at.empty()) set.measured_at = s.optional_text(6).value_or("");
    if (s.text(0) == "compute") {
      set.compute.push_back({s.text(1), s.text(2), s.real(4), s.text(5)});
    } else {
      set.bandwidth.push_back({s.text(3), s.real(4), s.text(5)});
    }
  }
  if (!any) return std::nullopt;
  return set;
}

nlohmann::ordered_json database::export_json(const measurement_filter& filter) {
  return profiler::to_json(measurements(filter));
}

std::string database::export_csv(const measurement_filter& filter) {
  return to_csv(stored_measurements(filter));
}

std::string database::integrity_check() {
  // PostgreSQL has no such check in SQL (pg_amcheck is a separate tool); the server keeps its
  // tables consistent across a killed client, which is what callers ask about.
  if (db_.kind() == detail::engine::postgresql) return "ok";
  detail::statement s(db_, "PRAGMA integrity_check");
  std::string out;
  while (s.step()) {
    if (!out.empty()) out += '\n';
    out += s.text(0);
  }
  return out;
}

}  // namespace ridgeline::storage
