#include "service/software_identity.hpp"

#include <nlohmann/json.hpp>

#include "core/build_info.hpp"

namespace ridgeline::service {

software_facts current_software(const kernels::runtime& rt, const std::string& backend) {
  const build_info& b = this_build();
  software_facts f = {{"ridgeline", b.version},
                      {"compiler", b.compiler},
                      {"build_type", b.build_type},
                      {"isa_flags", b.isa_flags}};
  // The runtime's provenance names Kokkos, the backend and (device backends) driver and
  // runtime versions; thread counts and device descriptions are not software and stay out.
  for (const auto& [name, value] : rt.provenance(backend)) {
    if (name == "kokkos_version" || name == "backend" || name.rfind("cuda_", 0) == 0 ||
        name.rfind("hip_", 0) == 0) {
      f.emplace_back(name, value);
    }
  }
  return f;
}

std::string software_key(const software_facts& facts) {
  std::string key;
  for (const auto& [name, value] : facts) {
    if (!key.empty()) key += ';';
    key += name + '=' + value;
  }
  return key;
}

std::string software_json(const software_facts& facts) {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  for (const auto& [name, value] : facts) j[name] = value;
  return j.dump();
}

}  // namespace ridgeline::service
