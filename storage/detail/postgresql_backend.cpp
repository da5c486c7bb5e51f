// The PostgreSQL engine (docs/database.md, "PostgreSQL"): libpq, text parameters and results.
// What differs from SQLite is bridged here, so the SQL above is written once:
//  - `?` and `?N` placeholders become `$N` (outside quoted strings and names);
//  - the writer lock (SQLite's BEGIN IMMEDIATE) is a transaction-scoped advisory lock, so writers
//    serialize exactly as they do on a file and check-then-insert stays race-free;
//  - the last inserted id is lastval() (ids are identity columns), the changed rows PQcmdTuples;
//  - doubles travel as the shortest text that reads back to the same double, both ways
//    (extra_float_digits = 3 makes the server write them so), NaN as NULL like SQLite.
#include <fmt/format.h>

#include "core/error.hpp"
#include "storage/detail/backend.hpp"

#ifdef RIDGELINE_HAVE_POSTGRESQL
#include <libpq-fe.h>

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

namespace ridgeline::storage::detail {

namespace {

// pg_advisory_xact_lock's key for "the Ridgeline writer lock" of a database: "RDLN", the same
// marker as the SQLite application_id. One key per database (not per schema): writers to two
// schemas of one database queue behind each other, which costs milliseconds.
constexpr std::int64_t writer_lock_key = 0x52444c4e;

// Libpq's messages end with a newline and may span lines; a Ridgeline error is one line.
std::string one_line(std::string text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  std::string out;
  bool line_start = false;
  for (char c : text) {
    if (c == '\n') {
      out += ";";
      line_start = true;
    } else if (c == '\t' || c == '\r' || (line_start && c == ' ')) {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      if (line_start && out.back() != ' ') out += ' ';
      line_start = false;
      out += c;
    }
  }
  return out;
}

// `?` -> `$1`, `$2`, ... in order; `?N` -> `$N`. Quoted strings ('...') and names ("...") are
// copied as they are. Returns the rewritten text and the highest parameter number.
std::pair<std::string, int> numbered_placeholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int next = 0;
  int highest = 0;
  char quote = 0;
  for (std::size_t i = 0; i < sql.size(); ++i) {
    const char c = sql[i];
    if (quote) {
      out += c;
      if (c == quote) quote = 0;  // a doubled quote closes and reopens: same result
      continue;
    }
    if (c == '\'' || c == '"') {
      quote = c;
      out += c;
      continue;
    }
    if (c != '?') {
      out += c;
      continue;
    }
    std::size_t j = i + 1;
    while (j < sql.size() && sql[j] >= '0' && sql[j] <= '9') ++j;
    int number = 0;
    if (j > i + 1) {
      number = std::atoi(std::string(sql.substr(i + 1, j - i - 1)).c_str());
      i = j - 1;
    } else {
      number = ++next;
    }
    highest = std::max(highest, number);
    out += '$' + std::to_string(number);
  }
  return {out, highest};
}

// The first words of a statement, naming it in a message ("INSERT INTO runs").
std::string statement_name(const std::string& sql) {
  std::string name = sql.substr(0, std::min<std::size_t>(sql.find_first_of("(\n"), 40));
  while (!name.empty() && name.back() == ' ') name.pop_back();
  return name;
}

class pg_connection;

class pg_statement final : public statement_backend {
 public:
  pg_statement(pg_connection& db, std::string_view sql) : db_(db) {
    auto [text, count] = numbered_placeholders(sql);
    sql_ = std::move(text);
    values_.resize(static_cast<std::size_t>(count));
  }
  ~pg_statement() override { PQclear(result_); }
  pg_statement(const pg_statement&) = delete;
  pg_statement& operator=(const pg_statement&) = delete;

  void bind(int index, std::int64_t value) override { slot(index) = std::to_string(value); }
  void bind(int index, double value) override {
    if (std::isnan(value)) {
      slot(index).reset();  // as SQLite: NaN is NULL, and NOT NULL columns refuse it
    } else if (std::isinf(value)) {
      slot(index) = value > 0 ? "Infinity" : "-Infinity";
    } else {
      slot(index) = fmt::format("{}", value);  // shortest text that reads back exactly
    }
  }
  void bind(int index, const std::string& value) override { slot(index) = value; }
  void bind_null(int index) override { slot(index).reset(); }
  bool step() override;
  bool is_null(int column) const override { return PQgetisnull(result_, row_, column) != 0; }
  std::int64_t integer(int column) const override {
    const char* v = PQgetvalue(result_, row_, column);
    if (v[0] == 't' && v[1] == '\0') return 1;  // booleans (SQLite has none)
    if (v[0] == 'f' && v[1] == '\0') return 0;
    return std::strtoll(v, nullptr, 10);
  }
  double real(int column) const override {
    // strtod reads "NaN", "Infinity" and "-Infinity" as the server writes them.
    return std::strtod(PQgetvalue(result_, row_, column), nullptr);
  }
  std::string text(int column) const override {
    return std::string(PQgetvalue(result_, row_, column),
                       static_cast<std::size_t>(PQgetlength(result_, row_, column)));
  }

 private:
  std::optional<std::string>& slot(int index);
  pg_connection& db_;
  std::string sql_;
  std::vector<std::optional<std::string>> values_;
  PGresult* result_ = nullptr;
  int row_ = -1;
  bool executed_ = false;
};

class pg_connection final : public connection_backend {
 public:
  pg_connection(const std::string& url, std::string shown, std::int64_t lock_timeout_ms)
      : shown_(std::move(shown)) {
    conn_ = PQconnectdb(url.c_str());
    if (conn_ == nullptr || PQstatus(conn_) != CONNECTION_OK) {
      const std::string message =
          conn_ ? one_line(PQerrorMessage(conn_)) : std::string("out of memory");
      PQfinish(conn_);
      conn_ = nullptr;
      throw runtime_error(fmt::format("DB: {}: cannot connect: {}", shown_, message));
    }
    // Notices ("relation already exists, skipping") are not errors; libpq would print them.
    PQsetNoticeProcessor(
        conn_, [](void*, const char*) {}, nullptr);
    exec(fmt::format(
        "SET lock_timeout = {}; SET extra_float_digits = 3; SET client_encoding = 'UTF8'; "
        "SET client_min_messages = warning",
        lock_timeout_ms));
  }
  ~pg_connection() override { PQfinish(conn_); }
  pg_connection(const pg_connection&) = delete;
  pg_connection& operator=(const pg_connection&) = delete;

  engine kind() const override { return engine::postgresql; }

  void exec(std::string_view sql) override {
    const std::string text(sql);
    PGresult* r = PQexec(conn_, text.c_str());
    const ExecStatusType status = PQresultStatus(r);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      const std::string message = result_message(r);
      PQclear(r);
      throw runtime_error(fmt::format("DB: {}: {}", shown_, message));
    }
    note_changes(r);
    PQclear(r);
  }
  std::unique_ptr<statement_backend> prepare(std::string_view sql) override {
    return std::make_unique<pg_statement>(*this, sql);
  }
  void begin_write() override {
    exec("BEGIN");
    try {
      exec(fmt::format("SELECT pg_advisory_xact_lock({})", writer_lock_key));
    } catch (...) {
      rollback();  // the transaction object is not constructed, so nobody else would
      throw;
    }
  }
  void rollback() noexcept override { PQclear(PQexec(conn_, "ROLLBACK")); }
  std::int64_t last_insert_id() override {
    PGresult* r = PQexec(conn_, "SELECT lastval()");
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
      const std::string message = result_message(r);
      PQclear(r);
      throw runtime_error(fmt::format("DB: {}: lastval: {}", shown_, message));
    }
    const std::int64_t id = std::strtoll(PQgetvalue(r, 0, 0), nullptr, 10);
    PQclear(r);
    return id;
  }
  std::int64_t changes() override { return changes_; }
  std::string last_error() const override { return last_error_; }

  PGconn* raw() const { return conn_; }
  const std::string& shown() const { return shown_; }
  void note_changes(PGresult* r) {
    const char* n = PQcmdTuples(r);
    changes_ = (n && *n) ? std::strtoll(n, nullptr, 10) : 0;
  }
  // The server's primary message (one line), or libpq's when there is no result.
  std::string result_message(PGresult* r) {
    const char* primary = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
    last_error_ = one_line(primary ? primary : PQerrorMessage(conn_));
    return last_error_;
  }

 private:
  std::string shown_;
  PGconn* conn_ = nullptr;
  std::int64_t changes_ = 0;
  std::string last_error_;
};

std::optional<std::string>& pg_statement::slot(int index) {
  if (index < 1 || static_cast<std::size_t>(index) > values_.size()) {
    throw runtime_error(fmt::format("DB: {}: bind: parameter {} of '{}' does not exist",
                                    db_.shown(), index, statement_name(sql_)));
  }
  return values_[static_cast<std::size_t>(index) - 1];
}

bool pg_statement::step() {
  if (!executed_) {
    executed_ = true;
    std::vector<const char*> pointers;
    pointers.reserve(values_.size());
    for (const auto& v : values_) pointers.push_back(v ? v->c_str() : nullptr);
    // Parameter types are left to the server (inferred from the columns they meet); values and
    // results are text.
    result_ = PQexecParams(db_.raw(), sql_.c_str(), static_cast<int>(pointers.size()), nullptr,
                           pointers.data(), nullptr, nullptr, 0);
    const ExecStatusType status = PQresultStatus(result_);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      const std::string message = db_.result_message(result_);
      throw runtime_error(
          fmt::format("DB: {}: {}: {}", db_.shown(), statement_name(sql_), message));
    }
    db_.note_changes(result_);
  }
  if (row_ + 1 >= PQntuples(result_)) {
    row_ = PQntuples(result_);
    return false;
  }
  ++row_;
  return true;
}

}  // namespace

std::unique_ptr<connection_backend> open_postgresql(const std::string& url,
                                                    const std::string& shown,
                                                    std::int64_t lock_timeout_ms) {
  return std::make_unique<pg_connection>(url, shown, lock_timeout_ms);
}

}  // namespace ridgeline::storage::detail

#else  // built without libpq

namespace ridgeline::storage::detail {

std::unique_ptr<connection_backend> open_postgresql(const std::string&, const std::string& shown,
                                                    std::int64_t) {
  throw runtime_error(fmt::format(
      "DB: {}: this ridgeline was built without PostgreSQL support (libpq not found at build time)",
      shown));
}

}  // namespace ridgeline::storage::detail

#endif
