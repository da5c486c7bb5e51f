#include "cli/results_store.hpp"

#include <unistd.h>

#include "profiler/cpu_info.hpp"
#include "roofline/device_card.hpp"
#include "storage/database_path.hpp"

namespace ridgeline::cli {

storage::database open_results_database(const std::string& cli_value) {
  return storage::database::open(storage::default_database_path(cli_value));
}

storage::device_identity identity_of(const kernels::backend_info& backend,
                                     const device_match& match) {
  storage::device_identity id;
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) == 0) id.host = host;
  id.backend = backend.kokkos_name;
  if (backend.host) {
    const profiler::cpu_info& cpu = profiler::this_cpu();
    id.kind = "cpu";
    id.vendor = cpu.vendor;
    id.name = cpu.model;
  } else {
    id.kind = "gpu";
    id.name = backend.device_name;
    id.vendor = backend.id == "cuda" ? "NVIDIA" : backend.id == "hip" ? "AMD" : "";
  }
  if (match.detection) {
    id.catalog_id = match.detection.card->id;
    id.arch = match.detection.card->arch;
  }
  return id;
}

}  // namespace ridgeline::cli
