#pragma once
// Where the CLI reads the device catalog and the results database from: the global options
// --catalog and --db, else their environment variables, else the defaults. Which card matches a
// device and which identity its results are stored under: service/device_context.hpp.
#include <string>

#include "roofline/device_catalog.hpp"
#include "storage/database.hpp"

namespace ridgeline::cli {

// --catalog, else $RIDGELINE_CATALOG, else the one in the source tree this binary was built
// from. Loading errors are usage errors naming file and line.
roofline::device_catalog load_device_catalog(const std::string& cli_value);

// --db, else $RIDGELINE_DB, else the XDG data directory.
storage::database open_results_database(const std::string& cli_value);

}  // namespace ridgeline::cli
