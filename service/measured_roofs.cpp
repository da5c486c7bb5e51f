#include "service/measured_roofs.hpp"

#include "service/device_context.hpp"

namespace ridgeline::service {

void store_measured_roofs(storage::database& db, const kernels::runtime& rt,
                          const roofline::device_catalog& catalog,
                          const kernels::ceilings_result& result, const std::string& command) {
  const kernels::backend_info b = rt.backend(result.backend);
  const storage::device_identity identity = identity_of(b, match_device(catalog, b));
  std::string provenance;
  for (const auto& [key, value] : result.provenance) provenance += key + "=" + value + "; ";
  db.record_roofs(identity, result.roofs(identity.catalog_id.value_or(identity.name)), {command},
                  provenance);
}

}  // namespace ridgeline::service
