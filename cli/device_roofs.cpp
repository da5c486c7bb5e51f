#include "cli/device_roofs.hpp"

#include <cstdlib>

namespace ridgeline::cli {

roofline::device_catalog load_device_catalog(const std::string& cli_value) {
  std::string dir = cli_value;
  if (dir.empty()) {
    const char* env = std::getenv("RIDGELINE_CATALOG");
    dir = env != nullptr && *env != '\0' ? env : RIDGELINE_DEVICE_CATALOG_DIR;
  }
  return roofline::load_catalog(dir);
}

}  // namespace ridgeline::cli
