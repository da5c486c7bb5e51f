#pragma once
// rocprofv3's counter collection output, read into one record per kernel dispatch. Two formats
// (rocprofiler-sdk documentation, "Kernel counter collection output" and "JSON output schema"):
//  - CSV `*counter_collection.csv`: one row per (dispatch, counter), columns found by header name
//    (Dispatch_Id, Kernel_Name, Counter_Name, Counter_Value required; Agent_Id, Kernel_Id,
//    Start_Timestamp, End_Timestamp used when present; other columns ignored);
//  - JSON `*results.json`: rocprofiler-sdk-tool[] -> counters (id -> name), kernel_symbols
//    (kernel_id -> name), callback_records.counter_collection[] (dispatch_data + records).
// Malformed input throws runtime_error naming the file and the line (CSV) or the JSON path.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace ridgeline::profiler::counters {

struct dispatch_record {
  std::uint64_t dispatch_id = 0;
  std::string agent;  // as written: "Agent 1", "4" (CSV) or the agent handle (JSON)
  std::uint64_t kernel_id = 0;
  std::string kernel_name;
  std::uint64_t start_ns = 0;  // 0 when the output has no timestamps
  std::uint64_t end_ns = 0;
  std::map<std::string, double> counters;  // counter -> value (repeated rows/dimensions summed)
};

// In file order of first appearance (rocprofv3 writes dispatches in completion order).
std::vector<dispatch_record> parse_counter_csv(const std::string& text,
                                               const std::string& file_name);
std::vector<dispatch_record> parse_counter_json(const std::string& text,
                                                const std::string& file_name);
// By name: *.json is JSON, anything else CSV. Throws runtime_error when unreadable.
std::vector<dispatch_record> read_counter_output(const std::string& path);

// The counter collection files rocprofv3 wrote under `dir` (any depth: releases differ in the
// pmc_N/ and hostname/ levels they add), sorted; `format` "csv" or "json".
std::vector<std::string> find_counter_outputs(const std::string& dir, const std::string& format);

}  // namespace ridgeline::profiler::counters
