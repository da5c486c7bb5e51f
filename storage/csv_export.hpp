#pragma once
// CSV form of stored measurements ("ridgeline.results.csv/1", columns in docs/database.md): one
// header line, then one line per measurement. RFC 4180 quoting (a field holding a comma, quote or
// line break is quoted, quotes doubled), LF line ends, units in the column names, empty cells for
// values a record does not have (no timing, no check). Columns are only ever appended; a column
// changing meaning or unit means a new version. The full record (samples, per-precision FLOPs,
// provenance) is in the JSON export; CSV is the flat table for spreadsheets and pandas.
#include <string>
#include <vector>

#include "storage/stored_measurement.hpp"

namespace ridgeline::storage {

inline constexpr const char* csv_schema = "ridgeline.results.csv/1";

const std::vector<std::string>& csv_columns();

std::string to_csv(const std::vector<stored_measurement>& rows);

}  // namespace ridgeline::storage
