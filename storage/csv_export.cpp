#include "storage/csv_export.hpp"

#include <fmt/format.h>

#include <cstdint>

#include "profiler/measurement_json.hpp"
#include "storage/measurement_columns.hpp"

namespace ridgeline::storage {

const std::vector<std::string>& csv_columns() {
  static const std::vector<std::string> names = column_names(&measurement_column::csv);
  return names;
}

namespace {

std::string quoted(const std::string& field) {
  if (field.find_first_of(",\"\r\n") == std::string::npos) return field;
  std::string out = "\"";
  for (char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + '"';
}

// Numbers as the shortest text that reads back to the same double (fmt's default), as in the
// JSON export; an empty cell for a value the record does not have.
std::string cell(const nlohmann::ordered_json& v) {
  if (v.is_null()) return "";
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_unsigned()) return fmt::format("{}", v.get<std::uint64_t>());
  if (v.is_number_integer()) return fmt::format("{}", v.get<std::int64_t>());
  return fmt::format("{}", v.get<double>());
}

}  // namespace

std::string to_csv(const std::vector<stored_measurement>& rows) {
  std::string out;
  for (std::size_t i = 0; i < csv_columns().size(); ++i) {
    if (i) out += ',';
    out += csv_columns()[i];
  }
  out += '\n';
  for (const auto& row : rows) {
    const auto json = profiler::to_json(row.record);
    const column_input in{&row, row.record, json};
    bool first = true;
    for (const auto& c : measurement_columns()) {
      if (c.csv == nullptr) continue;
      if (!first) out += ',';
      first = false;
      out += quoted(cell(column_value(c, in)));
    }
    out += '\n';
  }
  return out;
}

}  // namespace ridgeline::storage
