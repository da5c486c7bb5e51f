#pragma once
// A run: one CLI invocation (`ridgeline run`, `ridgeline ceilings`) or one tuning run. Every row
// of measurements and roofs belongs to one. Readers see a run's rows only once the run is
// `complete` (docs/database.md, "What a reader sees").
#include <cstdint>
#include <optional>
#include <string>

namespace ridgeline::storage {

enum class run_status {
  running,   // rows may still be added; invisible to default readers
  complete,  // finished normally; all its rows are visible
  failed,    // ended early by an error; invisible to default readers, kept for inspection
};
const char* to_string(run_status s);
run_status parse_run_status(const std::string& text);  // throws ridgeline::runtime_error

// What the writer says about a run it starts.
struct run_info {
  std::string command;  // the command line, e.g. "ridgeline run gemm --problem m=2048"
};

// A run as stored.
struct run_record {
  std::int64_t id = 0;
  std::string command;
  run_status status = run_status::running;
  std::string started_at;                  // UTC ISO 8601
  std::optional<std::string> finished_at;  // set when complete or failed
  std::string host;                        // where the writing process ran
  std::int64_t pid = 0;                    // its process id (a `running` run whose process is
                                           // gone was killed)
};

}  // namespace ridgeline::storage
