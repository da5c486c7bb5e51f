#pragma once
// Who is writing a run: this host's name, and whether a `running` run recorded by (host, pid)
// still has a live writer here. Resuming (tuning runs, nightly runs) must not take over a run
// another process is still writing; a run whose process is gone was killed and may be resumed.
#include <cstdint>
#include <string>

#include "storage/run_record.hpp"

namespace ridgeline::storage::detail {

std::string host_name();  // "unknown" when the system will not say

// True when the run is `running`, was started on this host by another process, and that process
// still exists. A run of another host is never called alive: its process cannot be checked.
bool written_by_live_process_here(run_status status, const std::string& host, std::int64_t pid);

}  // namespace ridgeline::storage::detail
