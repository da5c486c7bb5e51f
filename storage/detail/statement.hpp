#pragma once
// One prepared statement. Parameters are bound by 1-based index; NULL is bound for an empty
// optional. step() returns true while a row is available; errors throw ridgeline::runtime_error
// with the connection's path and the engine's message.
// The SQL is written once for both engines (backend.hpp): `?` and `?N` placeholders (PostgreSQL
// receives them as `$N`), and only syntax both understand.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "storage/detail/connection.hpp"

namespace ridgeline::storage::detail {

class statement_backend;

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
  std::unique_ptr<statement_backend> impl_;
  int pushed_ = 0;
};

}  // namespace ridgeline::storage::detail
