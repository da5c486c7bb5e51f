#include "kernels/openblas_threads.hpp"

#include <cblas.h>
#include <fmt/format.h>
#include <sched.h>
#include <unistd.h>

namespace ridgeline::kernels {

std::vector<std::pair<std::string, std::string>> use_openblas_threads(int threads) {
  // OpenBLAS (built NO_AFFINITY) starts its worker threads from the calling thread, and a new
  // thread inherits the caller's CPU mask. Under OMP_PROC_BIND the calling thread is pinned to one
  // core by the OpenMP runtime, which would put every BLAS worker on that one core (measured: 2
  // threads ran at 1-thread speed). Widen the mask to every online CPU while OpenBLAS (re)creates
  // its pool, then restore the binding.
  cpu_set_t bound;
  const bool have_mask = sched_getaffinity(0, sizeof bound, &bound) == 0;
  if (have_mask) {
    cpu_set_t all;
    CPU_ZERO(&all);
    const long online = sysconf(_SC_NPROCESSORS_ONLN);
    for (long c = 0; c < online && c < CPU_SETSIZE; ++c) CPU_SET(c, &all);
    sched_setaffinity(0, sizeof all, &all);
  }
  openblas_set_num_threads(threads);
  if (have_mask) sched_setaffinity(0, sizeof bound, &bound);
  return {{"blas", fmt::format("OpenBLAS {}", openblas_get_config())},
          {"blas_threads", std::to_string(openblas_get_num_threads())}};
}

}  // namespace ridgeline::kernels
