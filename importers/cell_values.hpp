#pragma once
// Numbers and units as profilers print them, turned into base units (seconds, bytes, bytes per
// second, plain counts). One place for the conventions every importer shares:
//  - numbers: blanks trimmed, thousands separators inside a number ("1,234,567.5"), exponents;
//    "", "n/a", "N/A", "NA", "-" and "nan" are "no value" (nullopt), anything else non-numeric is
//    malformed;
//  - units: time (ns nsecond usecond us msecond ms second s), bytes (byte Kbyte Mbyte Gbyte
//    Tbyte, KB MB GB TB decimal; KiB MiB GiB TiB binary), rates (the bytes units per "/second"
//    or "/s", e.g. Gbyte/second, GB/s), counts ("" inst instructions count operations requests
//    cycle, i.e. no scaling) and percent ("%", kept in percent points: 42.5 stays 42.5).
//    Unit names are case-sensitive ("kB", "Gb/s" are refused). ncu's Kbyte/Mbyte/... are
//    decimal, like KB/MB (the evidence is in cell_values.cpp).
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace ridgeline::importers {

enum class quantity { time, bytes, byte_rate, count, percent };
const char* to_string(quantity q);

// nullopt for "no value"; throws usage_error "WHERE: COLUMN: expected a number, got 'TEXT'".
std::optional<double> parse_cell_number(std::string_view text, const std::string& where,
                                        const std::string& column);

// The factor from `unit` to the base unit of `q`; nullopt when `unit` is not a unit of `q`
// (the caller says which column and unit were refused).
std::optional<double> unit_scale(std::string_view unit, quantity q);

// A unit written into a column name: "Task Duration(us)" -> {"Task Duration", "us"},
// "Memory Throughput (GB/s)" -> {"Memory Throughput", "GB/s"}; no parentheses -> {name, ""}.
std::pair<std::string, std::string> split_unit_suffix(std::string_view column);

}  // namespace ridgeline::importers
