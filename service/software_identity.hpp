#pragma once
// The software a tuning result depends on: the compiler that built the kernels, the Kokkos version
// and backend, Ridgeline's version (its kernels' code), and for device backends the driver and
// runtime. Results keyed by these are recognised as stale when any of them changes (the complaint
// about tuners whose caches ignore the toolchain that produced them).
#include <string>
#include <utility>
#include <vector>

#include "kernels/runtime.hpp"

namespace ridgeline::service {

using software_facts = std::vector<std::pair<std::string, std::string>>;

software_facts current_software(const kernels::runtime& rt, const std::string& backend);
// "compiler=GNU 12.2.0;kokkos=3.4.1;...": equal text = the same software.
std::string software_key(const software_facts& facts);
std::string software_json(const software_facts& facts);

}  // namespace ridgeline::service
