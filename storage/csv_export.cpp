#include "storage/csv_export.hpp"

#include <fmt/format.h>

#include <cstdint>
#include <optional>

namespace ridgeline::storage {

const std::vector<std::string>& csv_columns() {
  static const std::vector<std::string> columns = {
      "measurement_id",
      "run_id",
      "created_at",
      "device_kind",
      "device_vendor",
      "device_name",
      "device_arch",
      "device_host",
      "device_catalog_id",
      "kernel",
      "variant",
      "dtype",
      "backend",
      "problem",
      "params",
      "status",
      "reason",
      "time_median_s",
      "time_min_s",
      "time_max_s",
      "time_mean_s",
      "time_q1_s",
      "time_q3_s",
      "time_relative_spread",
      "sample_count",
      "launches_per_sample",
      "stop_reason",
      "work_flop",
      "work_dram_byte",
      "counts_source",
      "flop_per_s",
      "dram_byte_per_s",
      "arithmetic_intensity_flop_per_byte",
      "check_passed",
      "check_max_error_over_bound",
      "rotation_copies",
      "inputs_cold",
      "working_set_byte",
  };
  return columns;
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

// Shortest text that reads back to the same double (fmt's default), as in the JSON export.
std::string number(double v) {
  return fmt::format("{}", v);
}
std::string number(std::uint64_t v) {
  return fmt::format("{}", v);
}
std::string number(std::int64_t v) {
  return fmt::format("{}", v);
}
std::string boolean(bool v) {
  return v ? "true" : "false";
}

template <class T>
std::string optional_number(const std::optional<T>& v) {
  return v ? number(*v) : std::string();
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
    const profiler::measurement& m = row.record;
    const auto& t = m.timing;
    const profiler::derived_metrics d = profiler::derive(m);
    auto timing = [&](auto member) {
      return t ? std::optional<double>((*t).summary.*member) : std::nullopt;
    };
    const std::vector<std::string> fields = {
        number(row.id),
        number(row.run_id),
        row.created_at,
        row.device.kind,
        row.device.vendor,
        row.device.name,
        row.device.arch,
        row.device.host,
        row.device.catalog_id.value_or(""),
        m.kernel,
        m.variant,
        m.dtype,
        m.backend,
        m.problem_text(),
        m.params_text(),
        profiler::to_string(m.outcome),
        m.reason,
        optional_number(timing(&profiler::sample_summary::median)),
        optional_number(timing(&profiler::sample_summary::min)),
        optional_number(timing(&profiler::sample_summary::max)),
        optional_number(timing(&profiler::sample_summary::mean)),
        optional_number(timing(&profiler::sample_summary::q1)),
        optional_number(timing(&profiler::sample_summary::q3)),
        optional_number(timing(&profiler::sample_summary::relative_spread)),
        t ? number(static_cast<std::uint64_t>(t->summary.count)) : "",
        t ? number(static_cast<std::int64_t>(t->batch)) : "",
        t ? profiler::to_string(t->stopped) : "",
        number(m.work.total_flops()),
        number(m.work.bytes_at("dram")),
        m.counts_source,
        number(d.flop_per_s),
        number(d.dram_byte_per_s),
        number(d.arithmetic_intensity),
        m.check ? boolean(m.check->passed) : "",
        m.check ? number(m.check->max_error_over_bound) : "",
        number(static_cast<std::uint64_t>(m.rotation.copies)),
        boolean(m.rotation.inputs_cold),
        number(m.rotation.working_set_bytes),
    };
    for (std::size_t i = 0; i < fields.size(); ++i) {
      if (i) out += ',';
      out += quoted(fields[i]);
    }
    out += '\n';
  }
  return out;
}

}  // namespace ridgeline::storage
