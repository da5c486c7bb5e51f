#pragma once
// The device an application kernel ran on, as the results database keys it. For host backends it
// is the identity `ridgeline run` stores on this machine (same CPU facts, same catalog detection),
// so application kernels land on the same device row, under the same measured roofs. For device
// backends the connector cannot ask Kokkos which GPU it is (the tools interface does not say, and
// the connector links no GPU runtime): the name says so and no catalog card is matched.
#include <string>

#include "storage/device_identity.hpp"

namespace ridgeline::kokkos_tools {

// `warn` receives a one-line problem (the device catalog could not be read) and the identity is
// returned without a catalog card.
storage::device_identity identity_of(const std::string& backend, bool host,
                                     void (*warn)(const std::string&));

}  // namespace ridgeline::kokkos_tools
