#include "service/device_context.hpp"

#include <unistd.h>

#include "profiler/cpu_info.hpp"
#include "roofline/device_card.hpp"

namespace ridgeline::service {

device_match match_device(const roofline::device_catalog& catalog, const kernels::backend_info& b) {
  device_match m;
  m.detection = b.host ? roofline::detect_cpu(catalog, profiler::this_cpu())
                       : roofline::detect_gpu(catalog, b.device_name);
  if (m.detection) m.datasheet = roofline::datasheet_roofs(*m.detection.card);
  return m;
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

device_context device_for(const kernels::runtime& rt, const roofline::device_catalog& catalog,
                          const std::string& backend) {
  device_context d;
  d.backend = rt.backend(backend);
  d.match = match_device(catalog, d.backend);
  d.identity = identity_of(d.backend, d.match);
  return d;
}

std::optional<profiler::roof_set> tuning_roofs(storage::database& db,
                                               const device_context& device) {
  auto roofs = db.roofs(device.identity, profiler::roof_source::measured);
  if (!roofs) roofs = device.match.datasheet;
  return roofs;
}

}  // namespace ridgeline::service
