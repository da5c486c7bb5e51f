#pragma once
// One prepared statement. Parameters are bound by 1-based index; NULL is bound for an empty
// optional. step() returns true while a row is available; errors throw ridgeline::runtime_error
// with the connection's path and SQLite's message.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "storage/detail/connection.hpp"

struct sqlite3_stmt;

namespace ridgeline::storage::detail {

class statement {
 public:
  statement(connection& db, std::string_view sql);
  ~statement();
  statement(const statement&) = delete;
  statement& operator=(const statement&) = delete;

  statement& bind(int index, std::int64_t value);
  statement& bind(int index, double value);
  statement& bind(int index, const std::string& value);
  statement& bind_null(int index);
  template <class T>
  statement& bind(int index, const std::optional<T>& value) {
    return value ? bind(index, *value) : bind_null(index);
  }
  // Binds `value` at the next index (1, 2, ...): long INSERTs read in column order.
  template <class T>
  statement& push(const T& value) {
    return bind(++pushed_, value);
  }

  bool step();  // true: a row is available; false: done
  void run();   // steps a statement that returns no rows (or ignores them) to completion

  bool is_null(int column) const;
  std::int64_t integer(int column) const;
  double real(int column) const;
  std::string text(int column) const;  // "" for NULL
  std::optional<std::int64_t> optional_integer(int column) const;
  std::optional<double> optional_real(int column) const;
  std::optional<std::string> optional_text(int column) const;

 private:
  connection& db_;
  sqlite3_stmt* stmt_ = nullptr;
  int pushed_ = 0;
};

}  // namespace ridgeline::storage::detail
