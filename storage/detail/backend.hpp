#pragma once
// What a database engine provides to `connection` and `statement`: the SQLite file
// (sqlite_backend.cpp) and a PostgreSQL server (postgresql_backend.cpp, docs/database.md
// "PostgreSQL"). Everything above these two classes writes one SQL text for both; each backend
// bridges what differs (placeholders, the last inserted id, the writer lock) so that no call
// site needs to know which engine it talks to.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "storage/detail/connection.hpp"

namespace ridgeline::storage::detail {

class statement_backend {
 public:
  virtual ~statement_backend() = default;
  virtual void bind(int index, std::int64_t value) = 0;
  virtual void bind(int index, double value) = 0;
  virtual void bind(int index, const std::string& value) = 0;
  virtual void bind_null(int index) = 0;
  virtual bool step() = 0;
  virtual bool is_null(int column) const = 0;
  virtual std::int64_t integer(int column) const = 0;
  virtual double real(int column) const = 0;
  virtual std::string text(int column) const = 0;
};

class connection_backend {
 public:
  virtual ~connection_backend() = default;
  virtual engine kind() const = 0;
  // Runs one or more statements without parameters; throws "DB: PATH: <message>".
  virtual void exec(std::string_view sql) = 0;
  virtual std::unique_ptr<statement_backend> prepare(std::string_view sql) = 0;
  // Starts a write transaction holding the database's one writer lock (SQLite: BEGIN IMMEDIATE),
  // waiting for it up to the busy timeout.
  virtual void begin_write() = 0;
  // Ends the current transaction without committing; never throws (runs while unwinding).
  virtual void rollback() noexcept = 0;
  // The id the last INSERT into a table with a generated id gave its row.
  virtual std::int64_t last_insert_id() = 0;
  // Rows changed by the last INSERT, UPDATE or DELETE.
  virtual std::int64_t changes() = 0;
  // The engine's message about the last failure, one line.
  virtual std::string last_error() const = 0;
  virtual sqlite3* sqlite_handle() const { return nullptr; }
};

std::unique_ptr<connection_backend> open_sqlite(const std::string& path);
// `url` is what libpq connects to; `shown` (the URL without its password) names it in messages.
std::unique_ptr<connection_backend> open_postgresql(const std::string& url,
                                                    const std::string& shown,
                                                    std::int64_t lock_timeout_ms);

}  // namespace ridgeline::storage::detail
