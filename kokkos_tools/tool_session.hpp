#pragma once
// The connector's state between kokkosp_init_library and kokkosp_finalize_library: which kernels
// are running, every finished invocation's time per kernel, and the work file. Finalize turns it
// into measurements and stores them, one transaction per device (database::record).
//
// What a time spans: from the end of the begin callback to the start of the end callback. Kokkos
// (>= 3.3) fences every execution space before both when the tool asks for global fencing, which
// this connector does (kokkosp_request_tool_settings), so on asynchronous backends (Cuda, HIP) the
// time includes the kernel's completion, not just its launch. A Kokkos that never asks for the
// tool's settings does not fence: the record then says its device times are launch times.
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <unordered_map>

#include "kokkos_tools/kernel_records.hpp"
#include "kokkos_tools/kernel_timings.hpp"
#include "kokkos_tools/work_file.hpp"

namespace ridgeline::kokkos_tools {

class tool_session {
 public:
  // Reads $RIDGELINE_KP_WORK (a bad file is reported once and ignored: kernels keep their times)
  // and probes for counters (reported once when there are none).
  explicit tool_session(std::uint64_t interface_version);

  // Kokkos asked for the tool's settings and was told to fence around every kernel.
  void fencing_requested() { fencing_ = true; }

  // Returns the id Kokkos hands back to end(); 0 for kernels that are not recorded.
  std::uint64_t begin(const char* label, const char* construct, std::uint32_t dev_id);
  void end(std::uint64_t kernel_id);

  // Stores every recorded kernel (throws on database errors; the caller reports them).
  void finalize();

 private:
  using clock = std::chrono::steady_clock;
  struct open_kernel {
    kernel_timings* times;
    clock::time_point start;
  };

  record_context context() const;

  std::mutex mutex_;
  std::map<kernel_key, kernel_timings> kernels_;
  std::unordered_map<std::uint64_t, open_kernel> open_;
  std::uint64_t next_id_ = 1;
  std::uint64_t internal_invocations_ = 0;  // Kokkos's own kernels, not recorded
  std::uint64_t interface_version_ = 0;
  bool fencing_ = false;
  work_table work_;
  std::string work_file_;  // as stated in provenance
  std::string counters_;   // why there are no counted values
};

}  // namespace ridgeline::kokkos_tools
