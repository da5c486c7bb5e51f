#include "storage/measurement_columns.hpp"

namespace ridgeline::storage {

namespace {

using json = nlohmann::ordered_json;

json problem_text(const column_input& in) {
  return in.record.problem_text();
}
json params_text(const column_input& in) {
  return in.record.params_text();
}
json sample_count(const column_input& in) {
  return in.record.timing ? json(static_cast<std::uint64_t>(in.record.timing->summary.count))
                          : json();
}
json total_flops(const column_input& in) {
  return in.record.work.total_flops();
}
json dram_bytes(const column_input& in) {
  return in.record.work.bytes_at("dram");
}

// CSV only: where and on what the row is stored.
json row_id(const column_input& in) {
  return in.row->id;
}
json run_id(const column_input& in) {
  return in.row->run_id;
}
json created_at(const column_input& in) {
  return in.row->created_at;
}
json device_kind(const column_input& in) {
  return in.row->device.kind;
}
json device_vendor(const column_input& in) {
  return in.row->device.vendor;
}
json device_name(const column_input& in) {
  return in.row->device.name;
}
json device_arch(const column_input& in) {
  return in.row->device.arch;
}
json device_host(const column_input& in) {
  return in.row->device.host;
}
json device_catalog_id(const column_input& in) {
  return in.row->device.catalog_id.value_or("");
}

}  // namespace

const std::vector<measurement_column>& measurement_columns() {
  // {database, csv, pointer, compute, json_text, copy}
  static const std::vector<measurement_column> table = {
      {nullptr, "measurement_id", nullptr, row_id, false, false},
      {nullptr, "run_id", nullptr, run_id, false, false},
      {nullptr, "created_at", nullptr, created_at, false, false},
      {nullptr, "device_kind", nullptr, device_kind, false, false},
      {nullptr, "device_vendor", nullptr, device_vendor, false, false},
      {nullptr, "device_name", nullptr, device_name, false, false},
      {nullptr, "device_arch", nullptr, device_arch, false, false},
      {nullptr, "device_host", nullptr, device_host, false, false},
      {nullptr, "device_catalog_id", nullptr, device_catalog_id, false, false},
      {"kernel", "kernel", "/kernel", nullptr, false, false},
      {"variant", "variant", "/variant", nullptr, false, false},
      {"dtype", "dtype", "/dtype", nullptr, false, false},
      {"backend", "backend", "/backend", nullptr, false, false},
      {"problem_json", nullptr, "/problem", nullptr, true, false},
      {"problem_text", "problem", nullptr, problem_text, false, false},
      {"params_json", nullptr, "/params", nullptr, true, false},
      {"params_text", "params", nullptr, params_text, false, false},
      {"status", "status", "/status", nullptr, false, false},
      {"reason", "reason", "/reason", nullptr, false, false},
      {"time_median_s", "time_median_s", "/time_s/median", nullptr, false, false},
      {"time_min_s", "time_min_s", "/time_s/min", nullptr, false, false},
      {"time_max_s", "time_max_s", "/time_s/max", nullptr, false, false},
      {"time_mean_s", "time_mean_s", "/time_s/mean", nullptr, false, false},
      {"time_q1_s", "time_q1_s", "/time_s/q1", nullptr, false, false},
      {"time_q3_s", "time_q3_s", "/time_s/q3", nullptr, false, false},
      {"time_relative_spread", "time_relative_spread", "/time_s/relative_spread", nullptr, false,
       false},
      {"sample_count", "sample_count", nullptr, sample_count, false, false},
      {"launches_per_sample", "launches_per_sample", "/time_s/launches_per_sample", nullptr, false,
       false},
      {"warmup_launches", nullptr, "/time_s/warmup_launches", nullptr, false, false},
      {"warmup_s", nullptr, "/time_s/warmup", nullptr, false, false},
      {"stop_reason", "stop_reason", "/time_s/stop_reason", nullptr, false, false},
      {"timer", nullptr, "/time_s/timer", nullptr, false, false},
      {"samples_json", nullptr, "/time_s/samples", nullptr, true, false},
      {"work_json", nullptr, "/work", nullptr, true, false},
      {nullptr, "work_flop", nullptr, total_flops, false, false},
      {nullptr, "work_dram_byte", nullptr, dram_bytes, false, false},
      {"counts_source", "counts_source", "/work/source", nullptr, false, false},
      {"flop_per_s", "flop_per_s", "/derived/flop_per_s", nullptr, false, false},
      {"dram_byte_per_s", "dram_byte_per_s", "/derived/dram_byte_per_s", nullptr, false, false},
      {"arithmetic_intensity_flop_per_byte", "arithmetic_intensity_flop_per_byte",
       "/derived/arithmetic_intensity_flop_per_byte", nullptr, false, false},
      {"check_passed", "check_passed", "/check/passed", nullptr, false, true},
      {"check_json", nullptr, "/check", nullptr, true, false},
      {nullptr, "check_max_error_over_bound", "/check/max_error_over_bound", nullptr, false, false},
      {"rotation_json", nullptr, "/rotation", nullptr, true, false},
      {nullptr, "rotation_copies", "/rotation/copies", nullptr, false, false},
      {nullptr, "inputs_cold", "/rotation/inputs_cold", nullptr, false, false},
      {nullptr, "working_set_byte", "/rotation/working_set_bytes", nullptr, false, false},
      {"provenance_json", nullptr, "/provenance", nullptr, true, false},
  };
  return table;
}

std::vector<std::string> column_names(const char* measurement_column::*form) {
  std::vector<std::string> out;
  for (const auto& c : measurement_columns()) {
    if (c.*form != nullptr) out.emplace_back(c.*form);
  }
  return out;
}

json column_value(const measurement_column& column, const column_input& in) {
  if (column.pointer == nullptr) return column.compute(in);
  const json::json_pointer pointer(column.pointer);
  // contains() is false below a null parent too: no timing, no check.
  return in.json.contains(pointer) ? in.json.at(pointer) : json();
}

}  // namespace ridgeline::storage
