#pragma once
// Where the results database lives, first match wins:
//   1. `cli_value` (the --db option), when not empty;
//   2. $RIDGELINE_DB, when set and not empty;
//   3. $XDG_DATA_HOME/ridgeline/ridgeline.sqlite, when XDG_DATA_HOME is an absolute path
//      (the XDG spec says to ignore a relative one);
//   4. $HOME/.local/share/ridgeline/ridgeline.sqlite (HOME from the password database when unset).
// Only computes the path; database::open creates the parent directories.
#include <string>

namespace ridgeline::storage {

// Throws ridgeline::runtime_error when none of the four gives a path.
std::string default_database_path(const std::string& cli_value);

}  // namespace ridgeline::storage
