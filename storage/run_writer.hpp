#pragma once
// A run written one measurement at a time, each committed on its own (the tuner; any long
// series). Readers see none of it until finish(); if the writer is destroyed without finish()
// (an exception unwound past it) the run is marked failed; if the process is killed it stays
// `running` with its committed rows intact, for a resume to pick up.
#include <cstdint>

#include "profiler/measurement.hpp"
#include "storage/database.hpp"
#include "storage/device_identity.hpp"
#include "storage/run_record.hpp"

namespace ridgeline::storage {

class run_writer {
 public:
  run_writer(database& db, const device_identity& device, const run_info& run);
  ~run_writer();
  run_writer(const run_writer&) = delete;
  run_writer& operator=(const run_writer&) = delete;

  // Commits one measurement; returns its row id (committed when this returns).
  std::int64_t add(const profiler::measurement& m);
  // Marks the run complete: from this commit on, readers see every row of it at once.
  void finish();

  std::int64_t run_id() const { return run_id_; }
  std::int64_t device_id() const { return device_id_; }

 private:
  database& db_;
  std::int64_t device_id_ = 0;
  std::int64_t run_id_ = 0;
  bool finished_ = false;
};

}  // namespace ridgeline::storage
