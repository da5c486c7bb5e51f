#pragma once
// The nightly series of one job entry on one hardware type, read from the database.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "nightly/night_point.hpp"
#include "storage/database.hpp"

namespace ridgeline::nightly {

// The night an entry ended with: the faster (median) of its tuned best and its re-measured
// previous best, among those that ran ok. None when neither did.
std::optional<night_point> night_of(storage::database& db, const storage::nightly_run_record& run,
                                    const storage::nightly_entry_record& entry);

// Every complete nightly run of `hardware_type` before `before_run_id` with a night for
// `entry_key`, oldest first.
std::vector<night_point> entry_history(storage::database& db, const std::string& hardware_type,
                                       const std::string& entry_key, std::int64_t before_run_id);

// The entry's best configuration ("name=value,...") in the latest good (verdict pass) nightly
// run of `hardware_type` before `before_run_id`, with that run's id: what tonight re-measures.
struct previous_best {
  std::int64_t nightly_run_id = 0;
  std::string params;
};
std::optional<previous_best> latest_good_best(storage::database& db,
                                              const std::string& hardware_type,
                                              const std::string& entry_key,
                                              std::int64_t before_run_id);

}  // namespace ridgeline::nightly
