// `ridgeline merge` (merge.hpp, docs/database.md "Merging databases"). The schema itself says what
// to copy: every column PRAGMA table_info lists is copied as it is stored, and every column
// PRAGMA foreign_key_list names is an id, translated to the output's id of the same row. The
// only knowledge written here is which run owns each table's rows (owned_tables) and how a run
// is recognised in another file (run_identity_columns); a table added by a later migration that is
// not listed makes merge refuse to start (a logic_error the tests hit), instead of being left
// behind.
#include "storage/merge.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <unordered_map>
#include <utility>

#include "core/error.hpp"
#include "storage/database.hpp"
#include "storage/database_path.hpp"
#include "storage/detail/connection.hpp"
#include "storage/detail/migrations.hpp"
#include "storage/detail/transaction.hpp"

namespace ridgeline::storage {

namespace {

namespace fs = std::filesystem;
using id_map = std::unordered_map<std::int64_t, std::int64_t>;

// The tables whose rows belong to a run, in an order that satisfies their foreign keys (every row
// is inserted after the rows it refers to). `owner` is the column holding the owning run's id.
struct owned_table {
  const char* name;
  const char* owner;
  // A row equal to an output row on the table's UNIQUE columns belongs to the same run even when
  // the runs differ: an imported file is identified by (content_sha256, device_option), so the
  // same file imported on two machines with the same card choice is merged once, as
  // `ridgeline import` would have stored it once.
  bool unique_identifies_run = false;
};
constexpr std::array<owned_table, 7> owned_tables = {{
    {"measurements", "run_id"},
    {"roofs", "run_id"},
    {"tuning_runs", "run_id"},
    {"imports", "run_id", true},
    {"nightly_runs", "run_id"},
    {"nightly_entries", "nightly_run_id"},
    {"nightly_flags", "nightly_run_id"},
}};

// A run is recognised in another file by the process that wrote it and when it started:
// (host, pid, started_at, command). What tells apart runs of one process that started in the same
// millisecond with the same command (`ridgeline import a.csv b.csv` on small files, a nightly run
// and its first tuning run) comes after it: the finished time, which tables hold a row keyed by
// the run (a tuning run, an import, a nightly run), and last the order of ids. All of these are
// fixed once a run is complete or failed. Resuming a failed run (`tune --resume`) changes its host
// and pid, so a failed run merged before it was resumed stays in the output beside its complete
// successor; readers skip failed runs.
constexpr const char* run_identity_columns =
    "quote(host) || ',' || quote(pid) || ',' || quote(started_at) || ',' || quote(command) || "
    "',' || quote(finished_at)";

std::string quoted(const std::string& name) {
  std::string out = "\"";
  for (char c : name) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// One prepared statement on either connection. detail::statement binds typed C++ values; merging
// copies cells whatever their type, so this one reads and binds sqlite3_value: a cell keeps its
// storage class and every bit (an integer stays an integer, NULL stays NULL, a double is not
// rounded through text).
class cursor {
 public:
  cursor(sqlite3* db, const std::string& path, const std::string& sql) : db_(db), path_(path) {
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt_, nullptr) != SQLITE_OK) {
      fail("cannot prepare '" + sql.substr(0, 60) + "'");
    }
  }
  ~cursor() { sqlite3_finalize(stmt_); }
  cursor(const cursor&) = delete;
  cursor& operator=(const cursor&) = delete;

  cursor& bind(int index, std::int64_t value) {
    if (sqlite3_bind_int64(stmt_, index, value) != SQLITE_OK) fail("bind");
    return *this;
  }
  cursor& bind(int index, const std::string& value) {
    if (sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()),
                          SQLITE_TRANSIENT) != SQLITE_OK) {
      fail("bind");
    }
    return *this;
  }
  cursor& bind_value(int index, const sqlite3_value* value) {
    if (sqlite3_bind_value(stmt_, index, value) != SQLITE_OK) fail("bind");
    return *this;
  }
  bool step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    const std::string sql = sqlite3_sql(stmt_);
    fail(sql.substr(0, std::min<std::size_t>(sql.find_first_of("(\n"), 40)));
  }
  // Steps to the end and makes the statement ready for new bindings.
  void run() {
    while (step()) {
    }
    reset();
  }
  void reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }

  sqlite3_value* value(int column) const { return sqlite3_column_value(stmt_, column); }
  bool is_null(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }
  std::int64_t integer(int column) const { return sqlite3_column_int64(stmt_, column); }
  std::string text(int column) const {
    const auto* p = sqlite3_column_text(stmt_, column);
    if (!p) return {};
    return std::string(reinterpret_cast<const char*>(p),
                       static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)));
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw runtime_error(fmt::format("DB: {}: {}: {}", path_, what, sqlite3_errmsg(db_)));
  }

  sqlite3* db_;
  std::string path_;
  sqlite3_stmt* stmt_ = nullptr;
};

// A source, opened read-only: merging never writes to it, and a missing file is not created.
// (detail::connection opens read-write and creates.)
class read_only_database {
 public:
  explicit read_only_database(const std::string& path) : path_(path) {
    const int rc =
        sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
      const std::string message = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
      sqlite3_close_v2(db_);
      db_ = nullptr;
      throw runtime_error("cannot open: " + message);
    }
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, 10000);  // as database::open: a checkpointing writer may hold it
  }
  ~read_only_database() {
    if (db_) sqlite3_close_v2(db_);
  }
  read_only_database(const read_only_database&) = delete;
  read_only_database& operator=(const read_only_database&) = delete;

  sqlite3* handle() const { return db_; }
  const std::string& path() const { return path_; }
  void exec(const char* sql) {
    char* message = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &message) != SQLITE_OK) {
      const std::string what = message ? message : sqlite3_errmsg(db_);
      sqlite3_free(message);
      throw runtime_error(fmt::format("DB: {}: {}", path_, what));
    }
  }

 private:
  std::string path_;
  sqlite3* db_ = nullptr;
};

// ---- What the schema says about a table.

enum class id_kind { run, device, measurement };

struct column_shape {
  std::string name;
  bool own_key = false;           // the row's own id: the output numbers it anew
  std::optional<id_kind> refers;  // another row's id: translated
};

struct table_shape {
  std::string name;
  std::string owner;  // the column holding the owning run's id ("id" for runs itself)
  std::vector<column_shape> columns;
  std::vector<std::string> unique;  // the columns of its one UNIQUE constraint, if any
  bool keyed_by_owner = false;      // the owner column is the primary key (one row per run)

  const column_shape* find(const std::string& column) const {
    for (const auto& c : columns) {
      if (c.name == column) return &c;
    }
    return nullptr;
  }
};

std::vector<std::string> strings(sqlite3* db, const std::string& path, const std::string& sql,
                                 const std::string& argument = "") {
  cursor s(db, path, sql);
  if (!argument.empty()) s.bind(1, argument);
  std::vector<std::string> out;
  while (s.step()) out.push_back(s.text(0));
  return out;
}

std::vector<std::string> column_names(sqlite3* db, const std::string& path,
                                      const std::string& table) {
  return strings(db, path, "SELECT name FROM pragma_table_info(?1) ORDER BY cid", table);
}

// Reads a table's shape from the output's schema; `with_unique`: also the columns of its UNIQUE
// constraint (the identity of a device, of an imported file). `tables` holds the shapes read so
// far, in plan order: a foreign key to an owned table keyed by its run's id (tuning_runs, imports,
// nightly_runs) is a run id.
table_shape read_shape(detail::connection& out, const std::string& name, const std::string& owner,
                       bool with_unique, const std::vector<table_shape>& tables) {
  table_shape t;
  t.name = name;
  t.owner = owner;
  {
    cursor s(out.handle(), out.path(),
             "SELECT name, pk, (SELECT count(*) FROM pragma_table_info(?1) WHERE pk > 0) "
             "FROM pragma_table_info(?1) ORDER BY cid");
    s.bind(1, name);
    while (s.step()) t.columns.push_back({s.text(0), s.integer(1) == 1 && s.integer(2) == 1, {}});
  }
  if (t.columns.empty()) {
    throw std::logic_error(fmt::format("merge: the schema has no table '{}'", name));
  }
  cursor fk(out.handle(), out.path(),
            "SELECT \"from\", \"table\", \"to\" FROM pragma_foreign_key_list(?1)");
  fk.bind(1, name);
  while (fk.step()) {
    const std::string from = fk.text(0);
    const std::string target = fk.text(1);
    const std::string to = fk.text(2);
    std::optional<id_kind> kind;
    if (target == "runs") kind = id_kind::run;
    if (target == "devices") kind = id_kind::device;
    if (target == "measurements") kind = id_kind::measurement;
    for (const auto& other : tables) {
      // tuning_runs, imports, nightly_runs are keyed by their run's id.
      if (other.name == target && other.keyed_by_owner && other.owner == to) kind = id_kind::run;
    }
    if (!kind) {
      throw std::logic_error(fmt::format(
          "merge: {}.{} refers to table '{}', whose ids merge does not translate; extend "
          "storage/merge.cpp",
          name, from, target));
    }
    for (auto& c : t.columns) {
      if (c.name == from) {
        c.refers = kind;
        c.own_key = false;  // a key that is another row's id is translated, not renumbered
      }
    }
  }
  if (name != "runs" && name != "devices") {
    const column_shape* o = t.find(owner);
    if (!o || o->refers != id_kind::run) {
      throw std::logic_error(fmt::format(
          "merge: {}.{} is not a reference to a run; fix storage/merge.cpp", name, owner));
    }
    cursor pk(out.handle(), out.path(),
              "SELECT count(*) = 1 AND sum(name = ?2) = 1 FROM pragma_table_info(?1) WHERE pk > 0");
    pk.bind(1, name).bind(2, owner);
    t.keyed_by_owner = pk.step() && pk.integer(0) == 1;
  }
  if (!with_unique) return t;
  for (const auto& index : strings(out.handle(), out.path(),
                                   "SELECT name FROM pragma_index_list(?1) "
                                   "WHERE \"unique\" AND origin = 'u' ORDER BY seq",
                                   name)) {
    if (!t.unique.empty()) {
      throw std::logic_error(fmt::format(
          "merge: table '{}' has two UNIQUE constraints; extend storage/merge.cpp", name));
    }
    t.unique = strings(out.handle(), out.path(),
                       "SELECT name FROM pragma_index_info(?1) ORDER BY seqno", index);
  }
  return t;
}

// Every table of this build's schema, in insertion order: devices, runs, then owned_tables.
std::vector<table_shape> read_plan(detail::connection& out) {
  std::vector<table_shape> tables;
  tables.push_back(read_shape(out, "devices", "", true, tables));
  tables.push_back(read_shape(out, "runs", "id", false, tables));
  for (const auto& t : owned_tables) {
    tables.push_back(read_shape(out, t.name, t.owner, t.unique_identifies_run, tables));
  }
  for (const auto& name : strings(out.handle(), out.path(),
                                  "SELECT name FROM sqlite_master WHERE type = 'table' AND "
                                  "name NOT LIKE 'sqlite_%' ORDER BY name")) {
    const bool known = std::any_of(tables.begin(), tables.end(),
                                   [&](const table_shape& t) { return t.name == name; });
    if (!known) {
      throw std::logic_error(fmt::format(
          "merge: table '{}' (schema version {}) is not in storage/merge.cpp's plan: say which run "
          "its rows belong to",
          name, detail::latest_version()));
    }
  }
  for (const auto& t : tables) {
    const bool identified =
        t.name == "devices" ||
        std::any_of(owned_tables.begin(), owned_tables.end(), [&](const owned_table& o) {
          return o.name == t.name && o.unique_identifies_run;
        });
    if (identified && t.unique.empty()) {
      throw std::logic_error(
          fmt::format("merge: {} has no UNIQUE identity; extend storage/merge.cpp", t.name));
    }
  }
  for (const auto& t : tables) {
    if ((t.name == "devices" || t.name == "runs") &&
        std::any_of(t.columns.begin(), t.columns.end(),
                    [](const column_shape& c) { return c.refers.has_value(); })) {
      throw std::logic_error(
          fmt::format("merge: {} refers to other rows; extend storage/merge.cpp", t.name));
    }
  }
  return tables;
}

// The text key of a run (run_identity_columns and the tables keyed by it), for `SELECT ... FROM
// runs`.
std::string run_identity(const std::vector<table_shape>& plan) {
  std::string out = run_identity_columns;
  for (const auto& t : plan) {
    if (!t.keyed_by_owner) continue;
    out += fmt::format(" || ',' || EXISTS (SELECT 1 FROM {} k WHERE k.{} = runs.id)",
                       quoted(t.name), quoted(t.owner));
  }
  return out;
}

const table_shape& table(const std::vector<table_shape>& plan, const std::string& name) {
  for (const auto& t : plan) {
    if (t.name == name) return t;
  }
  throw std::logic_error("merge: no table " + name);
}

std::string column_list(const table_shape& t, bool with_own_key) {
  std::string out;
  for (const auto& c : t.columns) {
    if (c.own_key && !with_own_key) continue;
    out += (out.empty() ? "" : ", ") + quoted(c.name);
  }
  return out;
}

// "quote(a) || ',' || quote(b)": one text key for a row's values in these columns, exact for
// every storage class.
std::string key_expression(const std::vector<std::string>& columns) {
  std::string out;
  for (const auto& c : columns)
    out += (out.empty() ? "" : " || ',' || ") + ("quote(" + quoted(c) + ")");
  return out;
}

// ---- The checks made before anything is written.

// Refuses, with the reason as the message, a file that is not a database of this schema.
void check_source(read_only_database& src, const std::vector<table_shape>& plan) {
  {
    cursor s(src.handle(), src.path(),
             "SELECT (SELECT user_version FROM pragma_user_version), "
             "(SELECT application_id FROM pragma_application_id)");
    if (!s.step()) throw runtime_error("cannot read the file header");
    const int version = static_cast<int>(s.integer(0));
    const auto app = static_cast<std::int32_t>(s.integer(1));
    if (app != 0 && app != detail::application_id) {
      throw runtime_error(
          fmt::format("not a Ridgeline database (application_id {:#x}, expected {:#x})",
                      static_cast<std::uint32_t>(app), detail::application_id));
    }
    const int latest = detail::latest_version();
    if (version == 0) throw runtime_error("not a Ridgeline database (no Ridgeline schema version)");
    if (version > latest) {
      throw runtime_error(fmt::format(
          "schema version {} is newer than this build's {}; merge with a newer ridgeline", version,
          latest));
    }
    if (version < latest) {
      throw runtime_error(
          fmt::format("schema version {}, this build writes {}; open it once with this ridgeline "
                      "to migrate it",
                      version, latest));
    }
  }
  // Same version, so the same columns, unless someone changed the file by hand.
  for (const auto& t : plan) {
    const auto have = column_names(src.handle(), src.path(), t.name);
    std::vector<std::string> want;
    for (const auto& c : t.columns) want.push_back(c.name);
    if (have != want) {
      throw runtime_error(fmt::format("table '{}' has columns ({}), this build's has ({})", t.name,
                                      fmt::join(have, ", "), fmt::join(want, ", ")));
    }
  }
}

// Checked by hand before SQLite opens the file, as database::open does, so the message says
// plainly what is wrong.
void check_source_file(const std::string& path) {
  std::error_code ec;
  const auto status = fs::status(path, ec);
  if (!fs::exists(status)) throw runtime_error("no such file");
  if (!fs::is_regular_file(status)) throw runtime_error("not a file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw runtime_error("cannot read it");
  std::array<char, 16> header{};
  in.read(header.data(), header.size());
  static constexpr char magic[] = "SQLite format 3";  // 16 bytes with its NUL
  if (in.gcount() != static_cast<std::streamsize>(header.size()) ||
      !std::equal(header.begin(), header.end(), magic)) {
    throw runtime_error("not an SQLite database");
  }
}

// ---- One source.

class source_merge {
 public:
  source_merge(read_only_database& src, detail::connection& out,
               const std::vector<table_shape>& plan, merge_source_summary& summary)
      : src_(src), out_(out), plan_(plan), summary_(summary) {}

  void run() {
    copy_devices();
    choose_runs();
    hold_back_runs_waiting_for_others();
    for (const auto& t : plan_) {
      if (t.name == "devices") continue;
      id_map* keys = t.name == "runs"           ? &runs_
                     : t.name == "measurements" ? &measurements_
                                                : nullptr;
      const std::int64_t n = copy_rows(t, keys);
      if (t.name == "runs") summary_.runs_added = n;
      if (t.name == "measurements") summary_.measurements_added = n;
      if (t.name == "roofs") summary_.roofs_added = n;
    }
  }

 private:
  // Every device of the source, added when the output lacks it (by its UNIQUE identity). Other
  // columns (catalog_id) keep the output's value and take the source's where the output has none.
  void copy_devices() {
    const table_shape& t = table(plan_, "devices");
    cursor read(src_.handle(), src_.path(),
                "SELECT " + column_list(t, true) + " FROM devices ORDER BY rowid");
    std::string match;
    for (const auto& u : t.unique) match += (match.empty() ? "" : " AND ") + quoted(u) + " IS ?";
    cursor find(out_.handle(), out_.path(), "SELECT id FROM devices WHERE " + match);
    std::string marks;
    for (const auto& c : t.columns) {
      if (!c.own_key) marks += marks.empty() ? "?" : ", ?";
    }
    cursor insert(out_.handle(), out_.path(),
                  "INSERT INTO devices (" + column_list(t, false) + ") VALUES (" + marks + ")");
    while (read.step()) {
      std::int64_t source_id = 0;
      for (std::size_t i = 0; i < t.columns.size(); ++i) {
        const int column = static_cast<int>(i);
        if (t.columns[i].own_key) source_id = read.integer(column);
        const auto u = std::find(t.unique.begin(), t.unique.end(), t.columns[i].name);
        if (u != t.unique.end()) {
          find.bind_value(static_cast<int>(u - t.unique.begin()) + 1, read.value(column));
        }
      }
      std::optional<std::int64_t> id;
      if (find.step()) id = find.integer(0);
      find.reset();
      if (!id) {
        int b = 0;
        for (std::size_t i = 0; i < t.columns.size(); ++i) {
          if (!t.columns[i].own_key) insert.bind_value(++b, read.value(static_cast<int>(i)));
        }
        insert.run();
        id = sqlite3_last_insert_rowid(out_.handle());
        ++summary_.devices_added;
      } else {
        for (std::size_t i = 0; i < t.columns.size(); ++i) {
          const auto& c = t.columns[i];
          const bool identity =
              std::find(t.unique.begin(), t.unique.end(), c.name) != t.unique.end();
          if (c.own_key || identity || read.is_null(static_cast<int>(i))) continue;
          // Only a NULL is filled in, so an equal device writes nothing (re-merging is not a
          // write).
          cursor adopt(out_.handle(), out_.path(),
                       "UPDATE devices SET " + quoted(c.name) + " = ?1 WHERE id = ?2 AND " +
                           quoted(c.name) + " IS NULL");
          adopt.bind_value(1, read.value(static_cast<int>(i))).bind(2, *id);
          adopt.run();
        }
      }
      devices_[source_id] = *id;
    }
  }

  // Sorts the source's runs into present in the output (mapped), to add, and running (skipped).
  void choose_runs() {
    std::map<std::string, std::vector<std::int64_t>> output_runs;
    {
      cursor s(out_.handle(), out_.path(),
               "SELECT id, " + run_identity(plan_) + " FROM runs ORDER BY id");
      while (s.step()) output_runs[s.text(1)].push_back(s.integer(0));
    }
    // Runs the output knows by an owned row's UNIQUE columns (imports).
    std::map<std::string, std::int64_t> output_by_unique;
    std::map<std::int64_t, std::string> source_unique;
    for (const auto& o : owned_tables) {
      const table_shape& t = table(plan_, o.name);
      if (t.unique.empty()) continue;
      const std::string sql = "SELECT " + quoted(t.owner) + ", '" + t.name + ":' || " +
                              key_expression(t.unique) + " FROM " + quoted(t.name);
      cursor in_out(out_.handle(), out_.path(), sql);
      while (in_out.step()) output_by_unique[in_out.text(1)] = in_out.integer(0);
      cursor in_src(src_.handle(), src_.path(), sql);
      while (in_src.step()) source_unique[in_src.integer(0)] = in_src.text(1);
    }
    std::map<std::string, std::size_t> seen;
    cursor s(src_.handle(), src_.path(),
             "SELECT id, status, " + run_identity(plan_) + " FROM runs ORDER BY id");
    while (s.step()) {
      const std::int64_t id = s.integer(0);
      if (s.text(1) == "running") {
        ++summary_.runs_skipped_running;
        continue;
      }
      const std::string key = s.text(2);
      const std::size_t ordinal = seen[key]++;
      const auto present = output_runs.find(key);
      if (present != output_runs.end() && ordinal < present->second.size()) {
        runs_[id] = present->second[ordinal];
        ++summary_.runs_already_present;
        continue;
      }
      const auto u = source_unique.find(id);
      if (u != source_unique.end()) {
        const auto same = output_by_unique.find(u->second);
        if (same != output_by_unique.end()) {
          runs_[id] = same->second;
          ++summary_.runs_already_present;
          continue;
        }
      }
      adding_.insert(id);
    }
  }

  // A run to add whose rows refer to a run that is neither in the output nor being added (it is
  // still running in the source) waits for a later merge, counted with the running ones: copying
  // it now would leave a reference pointing nowhere.
  void hold_back_runs_waiting_for_others() {
    std::vector<std::pair<std::int64_t, std::int64_t>> needs;  // (run, run it refers to)
    for (const auto& t : plan_) {
      if (t.name == "devices" || t.name == "runs") continue;
      for (const auto& c : t.columns) {
        if (c.name == t.owner || !c.refers || *c.refers == id_kind::device) continue;
        const std::string sql =
            *c.refers == id_kind::run
                ? fmt::format("SELECT {0}, {1} FROM {2} WHERE {1} IS NOT NULL", quoted(t.owner),
                              quoted(c.name), quoted(t.name))
                : fmt::format(
                      "SELECT t.{0}, m.run_id FROM {2} t JOIN measurements m ON m.id = t.{1}",
                      quoted(t.owner), quoted(c.name), quoted(t.name));
        cursor s(src_.handle(), src_.path(), sql);
        while (s.step()) needs.emplace_back(s.integer(0), s.integer(1));
      }
    }
    for (bool changed = true; changed;) {
      changed = false;
      for (const auto& [run, needed] : needs) {
        if (adding_.count(run) && !adding_.count(needed) && !runs_.count(needed)) {
          adding_.erase(run);
          ++summary_.runs_skipped_running;
          changed = true;
        }
      }
    }
  }

  // Copies the rows of table `t` that belong to runs being added, in the source's order, with
  // every id translated. `keys`, when given, receives source id -> output id of each row.
  std::int64_t copy_rows(const table_shape& t, id_map* keys) {
    if (adding_.empty()) return 0;
    const std::string all = column_list(t, true);
    cursor read(src_.handle(), src_.path(),
                "SELECT " + all + " FROM " + quoted(t.name) + " ORDER BY rowid");
    std::string marks;
    for (const auto& c : t.columns) {
      if (!c.own_key) marks += marks.empty() ? "?" : ", ?";
    }
    cursor insert(out_.handle(), out_.path(),
                  "INSERT INTO " + quoted(t.name) + " (" + column_list(t, false) + ") VALUES (" +
                      marks + ")");
    int owner = -1;
    for (std::size_t i = 0; i < t.columns.size(); ++i) {
      if (t.columns[i].name == t.owner) owner = static_cast<int>(i);
    }
    std::int64_t copied = 0;
    while (read.step()) {
      if (!adding_.count(read.integer(owner))) continue;
      std::int64_t source_key = 0;
      int b = 0;
      for (std::size_t i = 0; i < t.columns.size(); ++i) {
        const auto& c = t.columns[i];
        const int column = static_cast<int>(i);
        if (c.own_key) {
          source_key = read.integer(column);
        } else if (c.refers && !read.is_null(column)) {
          insert.bind(++b, translate(*c.refers, read.integer(column), t.name + "." + c.name));
        } else {
          insert.bind_value(++b, read.value(column));
        }
      }
      insert.run();
      if (keys) (*keys)[source_key] = sqlite3_last_insert_rowid(out_.handle());
      ++copied;
    }
    return copied;
  }

  std::int64_t translate(id_kind kind, std::int64_t id, const std::string& where) {
    id_map& map = kind == id_kind::run ? runs_ : kind == id_kind::device ? devices_ : measurements_;
    auto found = map.find(id);
    if (found == map.end() && kind == id_kind::measurement) {
      map_measurements_of_present_run(id);
      found = map.find(id);
    }
    if (found == map.end()) {
      throw runtime_error(fmt::format("{} = {} refers to a row that is not merged", where, id));
    }
    return found->second;
  }

  // A row being added may refer to a measurement of a run the output already has (a nightly
  // entry whose tuning run was merged the night before). That run was copied whole, in id order,
  // so its measurements pair up with the copy's by position.
  void map_measurements_of_present_run(std::int64_t measurement_id) {
    cursor owner(src_.handle(), src_.path(), "SELECT run_id FROM measurements WHERE id = ?1");
    owner.bind(1, measurement_id);
    if (!owner.step()) return;
    const std::int64_t run = owner.integer(0);
    const auto copy = runs_.find(run);
    if (copy == runs_.end() || adding_.count(run)) return;
    const auto ids = [](sqlite3* db, const std::string& path, std::int64_t run_id) {
      cursor s(db, path, "SELECT id FROM measurements WHERE run_id = ?1 ORDER BY id");
      s.bind(1, run_id);
      std::vector<std::int64_t> out;
      while (s.step()) out.push_back(s.integer(0));
      return out;
    };
    const auto here = ids(src_.handle(), src_.path(), run);
    const auto there = ids(out_.handle(), out_.path(), copy->second);
    if (here.size() != there.size()) {
      throw runtime_error(fmt::format(
          "run {} has {} measurements, its copy (run {} of {}) has {}: the same run differs", run,
          here.size(), copy->second, out_.path(), there.size()));
    }
    for (std::size_t i = 0; i < here.size(); ++i) measurements_[here[i]] = there[i];
  }

  read_only_database& src_;
  detail::connection& out_;
  const std::vector<table_shape>& plan_;
  merge_source_summary& summary_;
  id_map devices_;
  id_map runs_;  // source run id -> output run id, for present and added runs
  id_map measurements_;
  std::set<std::int64_t> adding_;  // source ids of the runs this merge adds
};

merge_source_summary merge_one(detail::connection& out, const std::vector<table_shape>& plan,
                               const std::string& path) {
  merge_source_summary summary;
  summary.path = path;
  try {
    check_source_file(path);
    read_only_database src(path);
    // One read transaction: every SELECT below sees the same snapshot, even while a process is
    // still writing to the source.
    src.exec("BEGIN");
    check_source(src, plan);
    detail::transaction tx(out);  // BEGIN IMMEDIATE: two merges into one file queue here
    source_merge(src, out, plan, summary).run();
    tx.commit();
    src.exec("COMMIT");
  } catch (const runtime_error& e) {
    throw runtime_error(fmt::format("merge: {}: {}", path, e.what()));
  }
  return summary;
}

}  // namespace

std::vector<merge_source_summary> merge_databases(const std::vector<std::string>& sources,
                                                  const std::string& output) {
  // Merging is between SQLite files: a PostgreSQL store is already shared by the machines writing
  // to it, and the copy below works on SQLite's cells. Refused before anything is opened.
  if (is_postgresql_url(output)) {
    throw runtime_error(
        fmt::format("merge: {}: merge writes SQLite files only; a PostgreSQL store needs no merge",
                    url_without_password(output)));
  }
  for (const auto& source : sources) {
    if (is_postgresql_url(source)) {
      throw runtime_error(
          fmt::format("merge: {}: merge reads SQLite files only; a PostgreSQL store needs no merge",
                      url_without_password(source)));
    }
  }
  // Creates, checks and migrates the output like any database; then a connection of our own,
  // since merging copies cells as sqlite3_values, below database's typed interface.
  { database::open(output); }
  detail::connection out(output);
  sqlite3_busy_timeout(out.handle(), 10000);
  out.exec("PRAGMA synchronous = FULL");
  out.exec("PRAGMA foreign_keys = ON");
  const std::vector<table_shape> plan = read_plan(out);
  std::vector<merge_source_summary> summaries;
  for (const auto& source : sources) summaries.push_back(merge_one(out, plan, source));
  return summaries;
}

}  // namespace ridgeline::storage
