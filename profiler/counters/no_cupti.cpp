// Stand-in when this build has no CUPTI (RIDGELINE_ENABLE_CUPTI off, or no CUDA toolkit found).
#include "profiler/counters/counter_backend.hpp"

namespace ridgeline::profiler::counters {

std::unique_ptr<counter_backend> make_cupti_backend() {
  return nullptr;
}

std::size_t cupti_offline_passes(const std::string&, const std::vector<std::string>&) {
  throw counters_unavailable("cupti: this build has no CUPTI backend");
}

bool cupti_built() {
  return false;
}

}  // namespace ridgeline::profiler::counters
