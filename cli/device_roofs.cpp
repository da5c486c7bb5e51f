#include "cli/device_roofs.hpp"

#include <cstdlib>

#include "profiler/cpu_info.hpp"
#include "roofline/device_card.hpp"

namespace ridgeline::cli {

roofline::device_catalog load_device_catalog(const std::string& cli_value) {
  std::string dir = cli_value;
  if (dir.empty()) {
    const char* env = std::getenv("RIDGELINE_CATALOG");
    dir = env != nullptr && *env != '\0' ? env : RIDGELINE_DEVICE_CATALOG_DIR;
  }
  return roofline::load_catalog(dir);
}

device_match match_device(const roofline::device_catalog& catalog, const kernels::backend_info& b) {
  device_match m;
  m.detection = b.host ? roofline::detect_cpu(catalog, profiler::this_cpu())
                       : roofline::detect_gpu(catalog, b.device_name);
  if (m.detection) m.datasheet = roofline::datasheet_roofs(*m.detection.card);
  return m;
}

}  // namespace ridgeline::cli
