#include "storage/detail/connection.hpp"

#include <fmt/format.h>

#include <string>
#include <utility>

#include "core/error.hpp"
#include "storage/database_path.hpp"
#include "storage/detail/backend.hpp"

namespace ridgeline::storage::detail {

connection::connection(std::string path) : path_(std::move(path)), backend_(open_sqlite(path_)) {}

connection::connection(std::string path, std::unique_ptr<connection_backend> backend)
    : path_(std::move(path)), backend_(std::move(backend)) {}

connection connection::postgresql(const std::string& url, std::int64_t lock_timeout_ms) {
  std::string shown = url_without_password(url);
  auto backend = open_postgresql(url, shown, lock_timeout_ms);
  return connection(std::move(shown), std::move(backend));
}

connection::~connection() = default;
connection::connection(connection&& other) noexcept = default;
connection& connection::operator=(connection&& other) noexcept = default;

engine connection::kind() const {
  return backend_->kind();
}

void connection::exec(std::string_view sql) {
  backend_->exec(sql);
}

void connection::fail(std::string_view what) const {
  throw runtime_error(fmt::format("DB: {}: {}: {}", path_, what, backend_->last_error()));
}

std::int64_t connection::last_insert_id() {
  return backend_->last_insert_id();
}

std::int64_t connection::changes() {
  return backend_->changes();
}

sqlite3* connection::handle() const {
  return backend_ ? backend_->sqlite_handle() : nullptr;
}

}  // namespace ridgeline::storage::detail
