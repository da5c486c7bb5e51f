#pragma once
// Which measurements a reader wants. Every set field must match (AND); an empty filter selects
// every measurement of every complete run, in the order they were written.
#include <cstdint>
#include <optional>
#include <string>

namespace ridgeline::storage {

struct measurement_filter {
  std::optional<std::string> kernel;
  std::optional<std::string> variant;
  std::optional<std::string> dtype;
  std::optional<std::string> backend;
  std::optional<std::string> problem_text;  // measurement::problem_text(), e.g. "m=257,n=129,k=31"
  std::optional<std::string> status;        // "ok", "invalid_config", ...
  std::optional<std::int64_t> run_id;
  std::optional<std::int64_t> device_id;
  std::optional<std::int64_t> id;  // one measurement by its row id
  // Also rows of `running` and `failed` runs. For resuming a run and for inspecting a crash;
  // everything else leaves it off so it never sees half a run.
  bool include_unfinished = false;
};

}  // namespace ridgeline::storage
