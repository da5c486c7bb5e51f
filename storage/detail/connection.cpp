#include "storage/detail/connection.hpp"

#include <fmt/format.h>
#include <sqlite3.h>

#include <string>
#include <utility>

#include "core/error.hpp"

namespace ridgeline::storage::detail {

connection::connection(std::string path) : path_(std::move(path)) {
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

connection::~connection() {
  // close_v2 defers the close until every statement is finalized, so destruction order between
  // a connection and a leftover statement cannot leak or crash.
  if (db_) sqlite3_close_v2(db_);
}

connection::connection(connection&& other) noexcept
    : path_(std::move(other.path_)), db_(std::exchange(other.db_, nullptr)) {}

connection& connection::operator=(connection&& other) noexcept {
  if (this != &other) {
    if (db_) sqlite3_close_v2(db_);
    path_ = std::move(other.path_);
    db_ = std::exchange(other.db_, nullptr);
  }
  return *this;
}

void connection::exec(std::string_view sql) {
  const std::string text(sql);
  char* message = nullptr;
  if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    const std::string what = message ? message : sqlite3_errmsg(db_);
    sqlite3_free(message);
    throw runtime_error(fmt::format("DB: {}: {}", path_, what));
  }
}

void connection::fail(std::string_view what) const {
  throw runtime_error(fmt::format("DB: {}: {}: {}", path_, what, sqlite3_errmsg(db_)));
}

}  // namespace ridgeline::storage::detail
