#include "storage/detail/migrations.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <string>

#include "core/error.hpp"
#include "storage/detail/statement.hpp"
#include "storage/detail/transaction.hpp"

namespace ridgeline::storage::detail {

namespace {

// The columns naming a case, in every table that stores one (measurements, tuning_runs), declared
// once so the tables cannot come to spell a case differently. A macro, so each migration stays
// one string literal.
#define RIDGELINE_CASE_COLUMNS                \
  "  kernel              TEXT    NOT NULL,\n" \
  "  variant             TEXT    NOT NULL,\n" \
  "  dtype               TEXT    NOT NULL,\n" \
  "  backend             TEXT    NOT NULL,\n"

// Version 1. Plain (non-STRICT) tables, no RETURNING or generated columns, so Python's sqlite3
// module on an older distribution reads the file (lesson 8: analysis is plain Python).
// Timestamps are UTC ISO 8601 text ("2026-11-26T07:12:03.120Z"), which sorts as time.
constexpr const char* schema_v1 = R"sql(
CREATE TABLE runs (
  id          INTEGER PRIMARY KEY,
  command     TEXT    NOT NULL,
  status      TEXT    NOT NULL CHECK (status IN ('running', 'complete', 'failed')),
  started_at  TEXT    NOT NULL,
  finished_at TEXT,
  host        TEXT    NOT NULL,
  pid         INTEGER NOT NULL
);

CREATE TABLE devices (
  id         INTEGER PRIMARY KEY,
  kind       TEXT NOT NULL,
  vendor     TEXT NOT NULL,
  name       TEXT NOT NULL,
  arch       TEXT NOT NULL,
  backend    TEXT NOT NULL,
  host       TEXT NOT NULL,
  catalog_id TEXT,
  UNIQUE (kind, vendor, name, arch, backend, host)
);

CREATE TABLE roofs (
  id          INTEGER PRIMARY KEY,
  run_id      INTEGER NOT NULL REFERENCES runs (id),
  device_id   INTEGER NOT NULL REFERENCES devices (id),
  source      TEXT    NOT NULL CHECK (source IN ('datasheet', 'measured')),
  kind        TEXT    NOT NULL CHECK (kind IN ('compute', 'bandwidth')),
  precision   TEXT,
  unit        TEXT,
  level       TEXT,
  value       REAL    NOT NULL CHECK (value > 0),
  confidence  TEXT    NOT NULL,
  provenance  TEXT    NOT NULL,
  measured_at TEXT,
  CHECK ((kind = 'compute' AND precision IS NOT NULL AND unit IS NOT NULL AND level IS NULL) OR
         (kind = 'bandwidth' AND level IS NOT NULL AND precision IS NULL AND unit IS NULL))
);
CREATE INDEX roofs_by_device ON roofs (device_id, source, run_id);

CREATE TABLE measurements (
  id                    INTEGER PRIMARY KEY,
  run_id                INTEGER NOT NULL REFERENCES runs (id),
  device_id             INTEGER NOT NULL REFERENCES devices (id),
  created_at            TEXT    NOT NULL,
)sql" RIDGELINE_CASE_COLUMNS R"sql(  problem_json          TEXT    NOT NULL,
  problem_text          TEXT    NOT NULL,
  params_json           TEXT    NOT NULL,
  params_text           TEXT    NOT NULL,
  status                TEXT    NOT NULL CHECK (status IN
                          ('ok', 'invalid_config', 'launch_failed', 'wrong_result', 'timeout')),
  reason                TEXT    NOT NULL,
  time_median_s         REAL,
  time_min_s            REAL,
  time_max_s            REAL,
  time_mean_s           REAL,
  time_q1_s             REAL,
  time_q3_s             REAL,
  time_relative_spread  REAL,
  sample_count          INTEGER,
  launches_per_sample   INTEGER,
  warmup_launches       INTEGER,
  warmup_s              REAL,
  stop_reason           TEXT,
  timer                 TEXT,
  samples_json          TEXT,
  work_json             TEXT    NOT NULL,
  counts_source         TEXT    NOT NULL,
  flop_per_s            REAL    NOT NULL,
  dram_byte_per_s       REAL    NOT NULL,
  arithmetic_intensity_flop_per_byte REAL NOT NULL,
  check_passed          INTEGER,
  check_json            TEXT,
  rotation_json         TEXT    NOT NULL,
  provenance_json       TEXT    NOT NULL,
  CHECK ((time_median_s IS NULL) = (samples_json IS NULL)),
  CHECK ((check_passed IS NULL) = (check_json IS NULL))
);
CREATE INDEX measurements_by_run ON measurements (run_id);
CREATE INDEX measurements_by_case ON measurements (kernel, variant, dtype, problem_text);
)sql";

// Version 2: tuning runs (issue 4). One row per tuning run, sharing the run's id; the evaluated
// configurations are that run's measurement rows. A tuning run is a run, so the reader guarantee
// (rows visible once complete) covers it unchanged.
constexpr const char* schema_v2 = R"sql(
CREATE TABLE tuning_runs (
  run_id              INTEGER PRIMARY KEY REFERENCES runs (id),
  device_id           INTEGER NOT NULL REFERENCES devices (id),
)sql" RIDGELINE_CASE_COLUMNS R"sql(  problem_text        TEXT    NOT NULL,
  problem_json        TEXT    NOT NULL,
  software_key        TEXT    NOT NULL,
  software_json       TEXT    NOT NULL,
  strategy            TEXT    NOT NULL,
  strategy_options    TEXT    NOT NULL,
  seed                TEXT    NOT NULL,
  stop_json           TEXT    NOT NULL,
  floor_time_s        REAL,
  stop_reason         TEXT,
  best_measurement_id INTEGER REFERENCES measurements (id),
  evaluations         INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX tuning_runs_by_case ON tuning_runs (kernel, variant, dtype, problem_text);
)sql";

// Version 3: imported files (issue 15). One row per imported file, sharing the run's id; the
// file's launches are that run's measurement rows. (content hash, --device) is unique, so
// importing the same file again (under any name) with the same card choice adds nothing: the
// check and the rows are one transaction.
constexpr const char* schema_v3 = R"sql(
CREATE TABLE imports (
  run_id         INTEGER PRIMARY KEY REFERENCES runs (id),
  content_sha256 TEXT    NOT NULL,
  device_option  TEXT    NOT NULL,
  path           TEXT    NOT NULL,
  format         TEXT    NOT NULL,
  tool           TEXT    NOT NULL,
  tool_version   TEXT    NOT NULL,
  launches       INTEGER NOT NULL,
  UNIQUE (content_sha256, device_option)
);
)sql";

// Version 4: nightly runs (issue 14). A nightly run is a run (the reader guarantee covers it) with
// one nightly_runs row: the job, the hardware type it ran as, the software it ran with, and its
// verdict once finished. Each job entry committed is one nightly_entries row pointing at its
// tuning run (its own run), the best and default configurations' measurements in it, and the
// previous best configuration re-measured tonight (a measurement of the nightly run itself).
// nightly_flags holds what the regression tests found, one row per test that fired.
constexpr const char* schema_v4 = R"sql(
CREATE TABLE nightly_runs (
  run_id        INTEGER PRIMARY KEY REFERENCES runs (id),
  device_id     INTEGER NOT NULL REFERENCES devices (id),
  job_name      TEXT    NOT NULL,
  job_path      TEXT    NOT NULL,
  job_sha256    TEXT    NOT NULL,
  hardware_type TEXT    NOT NULL,
  software_key  TEXT    NOT NULL,
  software_json TEXT    NOT NULL,
  verdict       TEXT    CHECK (verdict IN ('pass', 'regression', 'checks_failed')),
  report_path   TEXT
);
CREATE INDEX nightly_runs_by_type ON nightly_runs (hardware_type, job_name);

CREATE TABLE nightly_entries (
  id                           INTEGER PRIMARY KEY,
  nightly_run_id               INTEGER NOT NULL REFERENCES nightly_runs (run_id),
  entry_key                    TEXT    NOT NULL,
)sql" RIDGELINE_CASE_COLUMNS R"sql(  problem_text                 TEXT    NOT NULL,
  problem_json                 TEXT    NOT NULL,
  tuning_run_id                INTEGER REFERENCES runs (id),
  best_measurement_id          INTEGER REFERENCES measurements (id),
  default_measurement_id       INTEGER REFERENCES measurements (id),
  previous_best_measurement_id INTEGER REFERENCES measurements (id),
  previous_nightly_run_id      INTEGER REFERENCES nightly_runs (run_id),
  checks_passed                INTEGER NOT NULL CHECK (checks_passed IN (0, 1)),
  note                         TEXT    NOT NULL,
  UNIQUE (nightly_run_id, entry_key)
);

CREATE TABLE nightly_flags (
  id             INTEGER PRIMARY KEY,
  nightly_run_id INTEGER NOT NULL REFERENCES nightly_runs (run_id),
  entry_key      TEXT    NOT NULL,
  test           TEXT    NOT NULL CHECK (test IN ('mann_whitney', 'e_divisive')),
  effect         REAL    NOT NULL,
  p_value        REAL,
  compared_json  TEXT    NOT NULL,
  message        TEXT    NOT NULL
);
CREATE INDEX nightly_flags_by_run ON nightly_flags (nightly_run_id);
)sql";

// Version 5: a tuning run's pace (issue 16). Evaluations per minute of wall time, as the last
// invocation that worked on the run measured it (NULL: none measured, or written before v5): with
// expensive evaluations the pace says how much of a space a time budget can cover. Additive, so a
// reader of version 4 tables reads a version 5 file unchanged.
constexpr const char* schema_v5 = R"sql(
ALTER TABLE tuning_runs ADD COLUMN evaluations_per_minute REAL;
)sql";

const std::vector<migration> all = {
    {1, "runs, devices, roofs, measurements", schema_v1},
    {2, "tuning_runs", schema_v2},
    {3, "imports", schema_v3},
    {4, "nightly_runs, nightly_entries, nightly_flags", schema_v4},
    {5, "tuning_runs.evaluations_per_minute", schema_v5},
};

}  // namespace

const std::vector<migration>& migrations() {
  return all;
}

int latest_version() {
  return all.back().version;
}

namespace {

// The one-row table that stands for PRAGMA user_version and application_id on PostgreSQL. It is
// created inside the first migration's transaction, so a database has it exactly when it has a
// Ridgeline schema.
constexpr const char* postgresql_schema_table =
    "CREATE TABLE IF NOT EXISTS ridgeline_schema (\n"
    "  application_id BIGINT NOT NULL,\n"
    "  version        BIGINT NOT NULL\n"
    ")";

// Read from pg_tables, i.e. with the statement's own snapshot. to_regclass() would consult the
// backend's catalog cache, which taking an advisory lock does not refresh: a process that waited
// for the writer lock while another created the schema would still not see the table.
constexpr const char* schema_table_exists =
    "EXISTS (SELECT 1 FROM pg_tables WHERE schemaname = current_schema() "
    "AND tablename = 'ridgeline_schema')";

bool postgresql_has_schema_table(connection& db) {
  statement s(db, std::string("SELECT ") + schema_table_exists);
  s.step();
  return s.integer(0) != 0;
}

bool is_word_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

}  // namespace

std::string postgresql_ddl(const std::string& sql) {
  std::string out;
  char quote = 0;
  std::size_t i = 0;
  auto word_at = [&](std::size_t at, const char* word) {
    const std::size_t n = std::char_traits<char>::length(word);
    return sql.compare(at, n, word) == 0 && (at + n >= sql.size() || !is_word_char(sql[at + n]));
  };
  while (i < sql.size()) {
    const char c = sql[i];
    if (quote) {
      out += c;
      if (c == quote) quote = 0;
      ++i;
      continue;
    }
    if (c == '\'' || c == '"') {
      quote = c;
      out += c;
      ++i;
      continue;
    }
    if (!is_word_char(c) || (i > 0 && is_word_char(sql[i - 1]))) {
      out += c;
      ++i;
      continue;
    }
    if (word_at(i, "INTEGER PRIMARY KEY REFERENCES")) {
      out += "BIGINT PRIMARY KEY REFERENCES";
      i += std::char_traits<char>::length("INTEGER PRIMARY KEY REFERENCES");
    } else if (word_at(i, "INTEGER PRIMARY KEY")) {
      out += "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY";
      i += std::char_traits<char>::length("INTEGER PRIMARY KEY");
    } else if (word_at(i, "INTEGER")) {
      out += "BIGINT";
      i += std::char_traits<char>::length("INTEGER");
    } else if (word_at(i, "REAL")) {
      out += "DOUBLE PRECISION";
      i += std::char_traits<char>::length("REAL");
    } else {
      out += c;
      ++i;
    }
  }
  return out;
}

int user_version(connection& db) {
  if (db.kind() == engine::postgresql) {
    if (!postgresql_has_schema_table(db)) return 0;
    statement s(db, "SELECT version FROM ridgeline_schema");
    return s.step() ? static_cast<int>(s.integer(0)) : 0;
  }
  statement s(db, "PRAGMA user_version");
  s.step();
  return static_cast<int>(s.integer(0));
}

schema_header read_schema_header(connection& db) {
  if (db.kind() == engine::postgresql) {
    // One statement, one snapshot: a process migrating the database meanwhile commits its tables
    // and ridgeline_schema together, so they are seen together or not at all.
    statement s(db, std::string("SELECT ") + schema_table_exists +
                        ", (SELECT count(*) FROM pg_tables WHERE schemaname = current_schema())");
    s.step();
    schema_header h;
    h.has_tables = s.integer(1) > 0;
    if (s.integer(0) != 0) {
      statement v(db, "SELECT version, application_id FROM ridgeline_schema");
      if (v.step()) {
        h.version = static_cast<int>(v.integer(0));
        h.application_id = static_cast<std::int32_t>(v.integer(1));
      }
    }
    return h;
  }
  statement s(db,
              "SELECT (SELECT user_version FROM pragma_user_version), "
              "(SELECT application_id FROM pragma_application_id), "
              "(SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%')");
  s.step();
  return {static_cast<int>(s.integer(0)), static_cast<std::int32_t>(s.integer(1)),
          s.integer(2) > 0};
}

void migrate(connection& db) {
  // The common case reads one header field and takes no lock: a reader opening an up-to-date file
  // never waits for a writer.
  if (user_version(db) >= latest_version()) return;
  const bool postgresql = db.kind() == engine::postgresql;
  for (const migration& m : all) {
    transaction tx(db);
    const int found = user_version(db);
    if (found >= m.version) continue;  // another process got here first; rollback is a no-op
    if (found != m.version - 1) {
      throw runtime_error(fmt::format("DB: {}: schema version {} cannot be migrated to {}",
                                      db.path(), found, m.version));
    }
    if (postgresql) {
      db.exec(postgresql_ddl(m.sql));
      db.exec(postgresql_schema_table);
      db.exec("DELETE FROM ridgeline_schema");
      db.exec(fmt::format("INSERT INTO ridgeline_schema (application_id, version) VALUES ({}, {})",
                          application_id, m.version));
    } else {
      db.exec(m.sql);
      // Both pragmas write the file header inside this transaction, so they commit with the
      // tables.
      db.exec(fmt::format("PRAGMA application_id = {}", application_id));
      db.exec(fmt::format("PRAGMA user_version = {}", m.version));
    }
    tx.commit();
  }
}

namespace {

std::string folded_type(std::string type) {
  for (char& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (type == "integer" || type == "bigint") return "integer";
  if (type == "real" || type == "double precision") return "real";
  if (type == "text") return "text";
  return type;
}

}  // namespace

std::vector<std::string> describe_columns(connection& db) {
  std::vector<std::string> out;
  auto add = [&](const std::string& table, const std::string& column, const std::string& type,
                 bool not_null, bool primary_key) {
    // SQLite does not mark a primary key NOT NULL (an old quirk); PostgreSQL always does.
    out.push_back(fmt::format("{}.{} {}{}{}", table, column, folded_type(type),
                              not_null || primary_key ? " not null" : "",
                              primary_key ? " primary key" : ""));
  };
  if (db.kind() == engine::postgresql) {
    statement s(db,
                "SELECT c.table_name, c.column_name, c.data_type, c.is_nullable = 'NO', "
                "EXISTS (SELECT 1 FROM information_schema.table_constraints t "
                "JOIN information_schema.key_column_usage k ON k.constraint_name = "
                "t.constraint_name AND k.table_schema = t.table_schema WHERE t.constraint_type = "
                "'PRIMARY KEY' AND t.table_schema = c.table_schema AND t.table_name = c.table_name "
                "AND k.column_name = c.column_name) "
                "FROM information_schema.columns c WHERE c.table_schema = current_schema() "
                "AND c.table_name <> 'ridgeline_schema' ORDER BY c.table_name, c.column_name");
    while (s.step()) add(s.text(0), s.text(1), s.text(2), s.integer(3) != 0, s.integer(4) != 0);
  } else {
    statement s(db,
                "SELECT m.name, p.name, p.type, p.\"notnull\", p.pk FROM sqlite_master m, "
                "pragma_table_info(m.name) p WHERE m.type = 'table' AND m.name NOT LIKE "
                "'sqlite_%' ORDER BY m.name, p.name");
    while (s.step()) add(s.text(0), s.text(1), s.text(2), s.integer(3) != 0, s.integer(4) != 0);
  }
  std::sort(out.begin(), out.end());  // the engines' collations differ
  return out;
}

}  // namespace ridgeline::storage::detail
