#pragma once
// The CLI's use of the results database: which device identity a run is stored under, and
// opening the database named by --db / $RIDGELINE_DB / the XDG default.
#include <string>

#include "cli/device_roofs.hpp"
#include "kernels/runtime.hpp"
#include "storage/database.hpp"
#include "storage/device_identity.hpp"

namespace ridgeline::cli {

storage::database open_results_database(const std::string& cli_value);

// The CPU (host backends) or the GPU (device backends) a backend runs on, with the catalog card
// when detection matched one.
storage::device_identity identity_of(const kernels::backend_info& backend,
                                     const device_match& match);

}  // namespace ridgeline::cli
