#pragma once
// The roofs a CLI run is judged against: the datasheet roofs of the catalog card that matches the
// backend's device (CPU for host backends, the GPU's name for device backends), when one matches.
// Measured roofs join from the results database (`ridgeline ceilings` stores them). Matching
// lives in autotune/device_context.hpp, shared with the Python module.
#include <string>

#include "autotune/device_context.hpp"
#include "roofline/device_catalog.hpp"

namespace ridgeline::cli {

// The catalog directory: --catalog, else $RIDGELINE_CATALOG, else the one in the source tree
// this binary was built from. Loading errors are usage errors naming file and line.
roofline::device_catalog load_device_catalog(const std::string& cli_value);

using autotune::device_match;
using autotune::match_device;

}  // namespace ridgeline::cli
