#pragma once
// Owns one sqlite3 connection. Kept free of <sqlite3.h> (forward declarations only) so that the
// public headers do not drag SQLite into every file that includes them.
#include <string>
#include <string_view>

struct sqlite3;

namespace ridgeline::storage::detail {

class connection {
 public:
  // Opens (creating when absent) the file read-write. Throws ridgeline::runtime_error naming the
  // path. Creates nothing else: no parent directories, no schema.
  explicit connection(std::string path);
  ~connection();
  connection(connection&& other) noexcept;
  connection& operator=(connection&& other) noexcept;
  connection(const connection&) = delete;
  connection& operator=(const connection&) = delete;

  // Runs one or more statements that return no rows needed by the caller.
  void exec(std::string_view sql);

  // "DB: <path>: <what>: <sqlite message>" — the one shape of every database error message.
  [[noreturn]] void fail(std::string_view what) const;

  sqlite3* handle() const { return db_; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  sqlite3* db_ = nullptr;
};

}  // namespace ridgeline::storage::detail
