#pragma once
// The device a backend runs on, as a run is judged and stored: the catalog card that matches it
// (with its datasheet roofs) and the identity its results are stored under. One definition for
// the CLI and the Python module, so both file results under the same device row — a tuning run
// started from Python resumes from the CLI and wisdom finds it from either.
#include <optional>

#include "kernels/runtime.hpp"
#include "profiler/roofs.hpp"
#include "roofline/detection.hpp"
#include "roofline/device_catalog.hpp"
#include "storage/device_identity.hpp"

namespace ridgeline::autotune {

struct device_match {
  roofline::detection detection;
  std::optional<profiler::roof_set> datasheet;  // when a card matched
};

// Detection against `catalog`: the CPU for host backends, the GPU's name for device backends.
device_match match_device(const roofline::device_catalog& catalog, const kernels::backend_info& b);

// The CPU (host backends) or the GPU (device backends) a backend runs on, with the catalog card
// when detection matched one.
storage::device_identity identity_of(const kernels::backend_info& backend,
                                     const device_match& match);

}  // namespace ridgeline::autotune
