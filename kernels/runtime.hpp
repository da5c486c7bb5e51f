#pragma once
// Kokkos' lifetime and the backends it was built with, behind a header that does not include
// Kokkos. Exactly one runtime exists while kernels run (Kokkos can be initialized once per
// process).
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace ridgeline::kernels {

struct backend_info {
  std::string id;           // "serial", "openmp", "cuda", "hip" — what --backend takes
  std::string kokkos_name;  // Kokkos' own name for the execution space
  bool is_default = false;  // Kokkos' default execution space
  bool host = true;         // runs on the CPU, in host memory
  int concurrency = 1;      // threads (host) or maximum concurrent threads (device)
  std::string device_name;  // what catalog detection matches: the GPU name (devices only)
  std::string details;      // device model, compute capability, memory... (devices only)
  // The GPU's L2 as its runtime reports it (devices only; 0 = not reported): what buffer rotation
  // is sized against on a device (profiler::rotation_cache_for), since its launches never go
  // through the host's last-level cache.
  std::uint64_t l2_cache_bytes = 0;
  // Driver and runtime versions of device backends ("cuda_driver" -> "13.0"): part of provenance
  // and of the software key of tuning results.
  std::vector<std::pair<std::string, std::string>> software;
};

struct runtime_options {
  int threads = 0;  // host threads for OpenMP; 0 = Kokkos' default (OMP_NUM_THREADS or all cores)
};

class runtime {
 public:
  explicit runtime(const runtime_options& options = {});
  ~runtime();
  runtime(const runtime&) = delete;
  runtime& operator=(const runtime&) = delete;

  static bool active();
  std::vector<backend_info> backends() const;
  std::string default_backend() const;
  std::string kokkos_version() const;  // "3.4.1"
  // The backend's entry for `id` ("" = the default backend); usage_error naming --backend when it
  // is not built in.
  backend_info backend(const std::string& id) const;
  // Provenance of runs on `id`: Kokkos version, execution space, threads/device, clocks if known.
  std::vector<std::pair<std::string, std::string>> provenance(const std::string& id) const;
};

// Kokkos 3.4's OpenMP backend launches only from the thread that initialized Kokkos (its instance
// pointer is thread-local): from any other thread a team kernel throws "in parallel or not
// initialized" and a range kernel silently runs on one thread, so a timing would be wrong without
// saying so. Throws runtime_error naming `backend` on such a thread; callers that may run on
// another thread than the one that started Kokkos (the Python module) call it before launching.
void require_launching_thread(const std::string& backend_id);

}  // namespace ridgeline::kernels
