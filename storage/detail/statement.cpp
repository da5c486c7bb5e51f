#include "storage/detail/statement.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <string>

namespace ridgeline::storage::detail {

statement::statement(connection& db, std::string_view sql) : db_(db) {
  if (sqlite3_prepare_v2(db_.handle(), sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr) !=
      SQLITE_OK) {
    db_.fail("cannot prepare '" + std::string(sql.substr(0, 60)) + "'");
  }
}

statement::~statement() {
  sqlite3_finalize(stmt_);
}

statement& statement::bind(int index, std::int64_t value) {
  if (sqlite3_bind_int64(stmt_, index, value) != SQLITE_OK) db_.fail("bind");
  return *this;
}

statement& statement::bind(int index, double value) {
  // SQLite stores NaN as NULL; the schema's NOT NULL columns then reject it, which is wanted.
  if (sqlite3_bind_double(stmt_, index, value) != SQLITE_OK) db_.fail("bind");
  return *this;
}

statement& statement::bind(int index, const std::string& value) {
  if (sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()),
                        SQLITE_TRANSIENT) != SQLITE_OK) {
    db_.fail("bind");
  }
  return *this;
}

statement& statement::bind_null(int index) {
  if (sqlite3_bind_null(stmt_, index) != SQLITE_OK) db_.fail("bind");
  return *this;
}

bool statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  // The statement's first words say which step failed ("PRAGMA journal_mode", "INSERT INTO runs").
  const std::string sql = sqlite3_sql(stmt_);
  db_.fail(sql.substr(0, std::min<std::size_t>(sql.find_first_of("(\n"), 40)));
}

void statement::run() {
  while (step()) {
  }
}

bool statement::is_null(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

std::int64_t statement::integer(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

double statement::real(int column) const {
  return sqlite3_column_double(stmt_, column);
}

std::string statement::text(int column) const {
  const auto* p = sqlite3_column_text(stmt_, column);
  if (!p) return {};
  return std::string(reinterpret_cast<const char*>(p),
                     static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)));
}

std::optional<std::int64_t> statement::optional_integer(int column) const {
  if (is_null(column)) return std::nullopt;
  return integer(column);
}

std::optional<double> statement::optional_real(int column) const {
  if (is_null(column)) return std::nullopt;
  return real(column);
}

std::optional<std::string> statement::optional_text(int column) const {
  if (is_null(column)) return std::nullopt;
  return text(column);
}

}  // namespace ridgeline::storage::detail
