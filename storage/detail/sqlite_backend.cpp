// The SQLite engine: one file, its write lock taken by BEGIN IMMEDIATE (docs/database.md).
#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <string>
#include <utility>

#include "core/error.hpp"
#include "storage/detail/backend.hpp"

namespace ridgeline::storage::detail {

namespace {

class sqlite_connection;

class sqlite_statement final : public statement_backend {
 public:
  sqlite_statement(sqlite_connection& db, std::string_view sql);
  ~sqlite_statement() override { sqlite3_finalize(stmt_); }
  sqlite_statement(const sqlite_statement&) = delete;
  sqlite_statement& operator=(const sqlite_statement&) = delete;

  void bind(int index, std::int64_t value) override {
    check(sqlite3_bind_int64(stmt_, index, value));
  }
  void bind(int index, double value) override {
    // SQLite stores NaN as NULL; the schema's NOT NULL columns then reject it, which is wanted.
    check(sqlite3_bind_double(stmt_, index, value));
  }
  void bind(int index, const std::string& value) override {
    check(sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()),
                            SQLITE_TRANSIENT));
  }
  void bind_null(int index) override { check(sqlite3_bind_null(stmt_, index)); }
  bool step() override;
  bool is_null(int column) const override {
    return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
  }
  std::int64_t integer(int column) const override { return sqlite3_column_int64(stmt_, column); }
  double real(int column) const override { return sqlite3_column_double(stmt_, column); }
  std::string text(int column) const override {
    const auto* p = sqlite3_column_text(stmt_, column);
    if (!p) return {};
    return std::string(reinterpret_cast<const char*>(p),
                       static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)));
  }

 private:
  void check(int rc) const;
  sqlite_connection& db_;
  sqlite3_stmt* stmt_ = nullptr;
};

class sqlite_connection final : public connection_backend {
 public:
  explicit sqlite_connection(std::string path) : path_(std::move(path)) {
    // FULLMUTEX is not needed: one connection is never shared between threads.
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    const int rc = sqlite3_open_v2(path_.c_str(), &db_, flags, nullptr);
    if (rc != SQLITE_OK) {
      const std::string message = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
      sqlite3_close_v2(db_);
      db_ = nullptr;
      throw runtime_error(fmt::format("DB: {}: cannot open: {}", path_, message));
    }
    // Extended codes let messages distinguish e.g. SQLITE_BUSY_SNAPSHOT from plain SQLITE_BUSY.
    sqlite3_extended_result_codes(db_, 1);
  }
  // close_v2 defers the close until every statement is finalized, so destruction order between
  // a connection and a leftover statement cannot leak or crash.
  ~sqlite_connection() override { sqlite3_close_v2(db_); }
  sqlite_connection(const sqlite_connection&) = delete;
  sqlite_connection& operator=(const sqlite_connection&) = delete;

  engine kind() const override { return engine::sqlite; }
  void exec(std::string_view sql) override {
    const std::string text(sql);
    char* message = nullptr;
    if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
      const std::string what = message ? message : sqlite3_errmsg(db_);
      sqlite3_free(message);
      throw runtime_error(fmt::format("DB: {}: {}", path_, what));
    }
  }
  std::unique_ptr<statement_backend> prepare(std::string_view sql) override {
    return std::make_unique<sqlite_statement>(*this, sql);
  }
  void begin_write() override { exec("BEGIN IMMEDIATE"); }
  void rollback() noexcept override { sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr); }
  std::int64_t last_insert_id() override { return sqlite3_last_insert_rowid(db_); }
  std::int64_t changes() override { return sqlite3_changes(db_); }
  std::string last_error() const override { return sqlite3_errmsg(db_); }
  sqlite3* sqlite_handle() const override { return db_; }

  [[noreturn]] void fail(std::string_view what) const {
    throw runtime_error(fmt::format("DB: {}: {}: {}", path_, what, sqlite3_errmsg(db_)));
  }

 private:
  std::string path_;
  sqlite3* db_ = nullptr;
};

sqlite_statement::sqlite_statement(sqlite_connection& db, std::string_view sql) : db_(db) {
  if (sqlite3_prepare_v2(db_.sqlite_handle(), sql.data(), static_cast<int>(sql.size()), &stmt_,
                         nullptr) != SQLITE_OK) {
    db_.fail("cannot prepare '" + std::string(sql.substr(0, 60)) + "'");
  }
}

void sqlite_statement::check(int rc) const {
  if (rc != SQLITE_OK) db_.fail("bind");
}

bool sqlite_statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  // The statement's first words say which step failed ("PRAGMA journal_mode", "INSERT INTO runs").
  const std::string sql = sqlite3_sql(stmt_);
  db_.fail(sql.substr(0, std::min<std::size_t>(sql.find_first_of("(\n"), 40)));
}

}  // namespace

std::unique_ptr<connection_backend> open_sqlite(const std::string& path) {
  return std::make_unique<sqlite_connection>(path);
}

}  // namespace ridgeline::storage::detail
