#pragma once
// The CLI's use of the results database: opening the database named by --db / $RIDGELINE_DB /
// the XDG default. Which device identity a run is stored under: autotune/device_context.hpp.
#include <string>

#include "cli/device_roofs.hpp"
#include "storage/database.hpp"

namespace ridgeline::cli {

storage::database open_results_database(const std::string& cli_value);

using autotune::identity_of;

}  // namespace ridgeline::cli
