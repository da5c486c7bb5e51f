#pragma once
// A profiler::measurement as a row of `measurements`: the columns from `kernel` to
// `provenance_json` of storage::measurement_columns(), in one order shared by the INSERT and the
// SELECT so they cannot drift apart.
// JSON columns hold the sub-objects exactly as profiler::to_json writes them
// (ridgeline.measurement/1), so a Python reader parses them with the documented layout.
#include <cstdint>
#include <string>
#include <vector>

#include "profiler/measurement.hpp"
#include "storage/detail/statement.hpp"

namespace ridgeline::storage::detail {

// The column names in order, and "p.kernel, p.variant, ..." for a SELECT over a join.
const std::vector<std::string>& database_columns();
std::string measurement_column_list(const std::string& prefix);

// Binds the columns in order with statement::push.
void push_measurement(statement& s, const profiler::measurement& m);

// Reads the columns starting at `first`. `id` names the row in messages about a malformed value
// (a file edited by hand or by a newer build's bug), which throw ridgeline::runtime_error.
profiler::measurement read_measurement(const statement& s, int first, std::int64_t id);

}  // namespace ridgeline::storage::detail
