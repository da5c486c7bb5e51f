#pragma once
// One connection to the results database: an SQLite file or a PostgreSQL server (backend.hpp).
// Kept free of <sqlite3.h> and <libpq-fe.h> (forward declarations only) so that the public headers
// do not drag either library into every file that includes them.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

struct sqlite3;

namespace ridgeline::storage::detail {

enum class engine { sqlite, postgresql };

class connection_backend;

class connection {
 public:
  // Opens (creating when absent) the SQLite file read-write. Throws ridgeline::runtime_error
  // naming the path. Creates nothing else: no parent directories, no schema.
  explicit connection(std::string path);
  // Connects to a PostgreSQL server ("postgresql://..."); messages name the URL without its
  // password. Writers wait up to `lock_timeout_ms` for the writer lock (transaction.hpp).
  static connection postgresql(const std::string& url, std::int64_t lock_timeout_ms);
  ~connection();
  connection(connection&& other) noexcept;
  connection& operator=(connection&& other) noexcept;
  connection(const connection&) = delete;
  connection& operator=(const connection&) = delete;

  engine kind() const;

  // Runs one or more statements that return no rows needed by the caller.
  void exec(std::string_view sql);

  // "DB: <path>: <what>: <engine message>" — the one shape of every database error message.
  [[noreturn]] void fail(std::string_view what) const;

  // The id the last INSERT gave its row (a table whose id the database generates), and the rows
  // the last INSERT/UPDATE/DELETE changed.
  std::int64_t last_insert_id();
  std::int64_t changes();

  // The SQLite handle; nullptr on PostgreSQL. For SQLite-only code (merge, open's pragmas).
  sqlite3* handle() const;
  const std::string& path() const { return path_; }
  connection_backend& backend() const { return *backend_; }

 private:
  connection(std::string path, std::unique_ptr<connection_backend> backend);
  std::string path_;
  std::unique_ptr<connection_backend> backend_;
};

}  // namespace ridgeline::storage::detail
