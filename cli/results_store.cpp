#include "cli/results_store.hpp"

#include "storage/database_path.hpp"

namespace ridgeline::cli {

storage::database open_results_database(const std::string& cli_value) {
  return storage::database::open(storage::default_database_path(cli_value));
}

}  // namespace ridgeline::cli
