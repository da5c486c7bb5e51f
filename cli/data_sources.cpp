#include "cli/data_sources.hpp"

#include <cstdlib>

#include "storage/database_path.hpp"

namespace ridgeline::cli {

roofline::device_catalog load_device_catalog(const std::string& cli_value) {
  std::string dir = cli_value;
  if (dir.empty()) {
    const char* env = std::getenv("RIDGELINE_CATALOG");
    dir = env != nullptr && *env != '\0' ? env : RIDGELINE_DEVICE_CATALOG_DIR;
  }
  return roofline::load_catalog(dir);
}

storage::database open_results_database(const std::string& cli_value) {
  return storage::database::open(storage::default_database_path(cli_value));
}

}  // namespace ridgeline::cli
