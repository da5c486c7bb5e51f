#include "storage/run_writer.hpp"

namespace ridgeline::storage {

run_writer::run_writer(database& db, const device_identity& device, const run_info& run)
    : db_(db), device_id_(db.device_id(device)), run_id_(db.begin_run(run)) {}

run_writer::~run_writer() {
  if (finished_) return;
  try {
    db_.finish_run(run_id_, run_status::failed);
  } catch (...) {
    // Destructors must not throw; the run then stays `running`, which readers hide just the same.
  }
}

std::int64_t run_writer::add(const profiler::measurement& m) {
  return db_.add_measurement(run_id_, device_id_, m);
}

void run_writer::finish() {
  db_.finish_run(run_id_, run_status::complete);
  finished_ = true;
}

}  // namespace ridgeline::storage
