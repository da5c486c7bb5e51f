#pragma once
// The roofs a CLI run is judged against: the datasheet roofs of the catalog card that matches the
// backend's device (CPU for host backends, the GPU's name for device backends), when one matches.
// Measured roofs join from the results database (`ridgeline ceilings` stores them).
#include <optional>
#include <string>
#include <vector>

#include "kernels/runtime.hpp"
#include "profiler/roofs.hpp"
#include "roofline/detection.hpp"
#include "roofline/device_catalog.hpp"

namespace ridgeline::cli {

// The catalog directory: --catalog, else $RIDGELINE_CATALOG, else the one in the source tree
// this binary was built from. Loading errors are usage errors naming file and line.
roofline::device_catalog load_device_catalog(const std::string& cli_value);

struct device_match {
  roofline::detection detection;
  std::optional<profiler::roof_set> datasheet;  // when a card matched
};

device_match match_device(const roofline::device_catalog& catalog, const kernels::backend_info& b);

}  // namespace ridgeline::cli
