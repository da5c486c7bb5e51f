#include "kokkos_tools/device_identity_of.hpp"

#include <unistd.h>

#include <cstdlib>
#include <exception>

#include "profiler/cpu_info.hpp"
#include "roofline/detection.hpp"
#include "roofline/device_catalog.hpp"

namespace ridgeline::kokkos_tools {

storage::device_identity identity_of(const std::string& backend, bool host,
                                     void (*warn)(const std::string&)) {
  storage::device_identity id;
  char name[256] = {};
  if (gethostname(name, sizeof name - 1) == 0) id.host = name;
  id.backend = backend;
  if (!host) {
    id.kind = "gpu";
    id.vendor = backend == "Cuda" ? "NVIDIA" : backend == "HIP" ? "AMD" : "";
    id.name = backend + " device (not identified by the Kokkos Tools connector)";
    return id;
  }
  const profiler::cpu_info& cpu = profiler::this_cpu();
  id.kind = "cpu";
  id.vendor = cpu.vendor;
  id.name = cpu.model;
  // The catalog the CLI reads by default: $RIDGELINE_CATALOG, else the source tree's.
  const char* env = std::getenv("RIDGELINE_CATALOG");
  const std::string dir = env != nullptr && *env != '\0' ? env : RIDGELINE_DEVICE_CATALOG_DIR;
  try {
    const roofline::device_catalog catalog = roofline::load_catalog(dir);
    if (const auto d = roofline::detect_cpu(catalog, cpu)) {
      id.catalog_id = d.card->id;
      id.arch = d.card->arch;
    }
  } catch (const std::exception& e) {
    warn(std::string("device catalog: ") + e.what() + "; stored without a catalog card");
  }
  return id;
}

}  // namespace ridgeline::kokkos_tools
