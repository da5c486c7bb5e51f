#pragma once
// Wisdom: the best known configuration for a case, chosen from complete tuning runs by a fixed
// fallback chain, saying which link answered (docs/tuner.md, "Wisdom"):
//   exact             this device, this problem
//   nearest_shape     this device, the stored problem closest in shape (log-distance)
//   same_device_type  the same model on another host (same name, arch and backend)
//   kernel_default    nothing stored: the caller uses the variant's default configuration
// Within each link, results produced by the current software (compiler, Kokkos, backend, driver)
// are preferred; an answer from other software is still given, marked stale, because a tuned
// configuration usually stays good across a compiler update — but the user should know.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "storage/device_identity.hpp"
#include "storage/tuning_record.hpp"

namespace ridgeline::storage {

enum class wisdom_level { exact, nearest_shape, same_device_type, kernel_default };
const char* to_string(wisdom_level level);

struct wisdom_query {
  device_identity device;
  std::string problem_text;               // as stored (measurement::problem_text())
  std::map<std::string, double> problem;  // the same, as numbers
  std::string software_key;               // the current software
};

struct wisdom_answer {
  wisdom_level level = wisdom_level::kernel_default;
  std::optional<tuned_result> from;  // absent for kernel_default
  bool stale = false;                // `from` was produced by other software
  double shape_distance = 0;         // sum of |ln(stored/asked)| over the problem's fields
  std::string explanation;           // one sentence for people
};

// `candidates` are tuned_results of the query's kernel/variant/dtype (any device).
wisdom_answer choose_wisdom(const std::vector<tuned_result>& candidates, const wisdom_query& q);

// The problem of a stored case as numbers, from its problem_json.
std::map<std::string, double> problem_numbers(const std::string& problem_json);

}  // namespace ridgeline::storage
