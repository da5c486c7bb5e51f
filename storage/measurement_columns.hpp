#pragma once
// The flat columns of a measurement, declared once for every flat form of it: the rows of the
// database's `measurements` table (detail/measurement_codec), the CSV export (csv_export, schema
// ridgeline.results.csv/1) and the Python reader, which rebuilds a record from a database row
// with this same table (python/ridgeline/results.py keeps a copy, tested equal to
// ridgeline._core.measurement_columns(), so it reads a database without the compiled module).
//
// Most columns are one value of the ridgeline.measurement/1 record (profiler::to_json) at a JSON
// pointer, so a column means what the documented record means; the rest are computed. The table
// is in both outputs' order (each keeps the columns it has, in table order); columns are only ever
// appended to an output, never reordered, as docs/database.md promises.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "profiler/measurement.hpp"
#include "storage/stored_measurement.hpp"

namespace ridgeline::storage {

// What a column's value is taken from. `row` is null when writing the database (a row is stored
// before it has an id); only CSV-only columns read it.
struct column_input {
  const stored_measurement* row;
  const profiler::measurement& record;
  const nlohmann::ordered_json& json;  // profiler::to_json(record)
};

struct measurement_column {
  const char* database;  // name in `measurements`; nullptr: not stored
  const char* csv;       // name in the CSV export; nullptr: not exported
  const char* pointer;   // JSON pointer into the record ("/time_s/median"); nullptr: computed
  nlohmann::ordered_json (*compute)(const column_input&);  // when `pointer` is nullptr
  bool json_text;  // stored as JSON text: an object or array of the record
  bool copy;       // repeats part of another column for queries (check_passed); not read back
};

const std::vector<measurement_column>& measurement_columns();

// The names one form gives its columns, in table order: column_names(&measurement_column::csv).
std::vector<std::string> column_names(const char* measurement_column::*form);

// The column's value; null where the record has none (no timing, no check).
nlohmann::ordered_json column_value(const measurement_column& column, const column_input& in);

}  // namespace ridgeline::storage
