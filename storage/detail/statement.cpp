#include "storage/detail/statement.hpp"

#include <string>

#include "storage/detail/backend.hpp"

namespace ridgeline::storage::detail {

statement::statement(connection& db, std::string_view sql) : impl_(db.backend().prepare(sql)) {}

statement::~statement() = default;

statement& statement::bind(int index, std::int64_t value) {
  impl_->bind(index, value);
  return *this;
}

statement& statement::bind(int index, double value) {
  impl_->bind(index, value);
  return *this;
}

statement& statement::bind(int index, const std::string& value) {
  impl_->bind(index, value);
  return *this;
}

statement& statement::bind_null(int index) {
  impl_->bind_null(index);
  return *this;
}

bool statement::step() {
  return impl_->step();
}

void statement::run() {
  while (step()) {
  }
}

bool statement::is_null(int column) const {
  return impl_->is_null(column);
}

std::int64_t statement::integer(int column) const {
  return impl_->integer(column);
}

double statement::real(int column) const {
  return impl_->real(column);
}

std::string statement::text(int column) const {
  return impl_->text(column);
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
