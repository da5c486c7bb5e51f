#pragma once
// A brute-forced tuning space read from a file: every configuration one kernel was measured in,
// with its time or its failure — an oracle that replays a search without the GPU.
//
// Each parameter becomes an axis holding the values that occur in the file (a list axis when all
// are integers, else a categorical axis of their text), and the space's one constraint is "this
// configuration is in the file", so strategies see exactly the kernel's valid points (the
// restrictions of the original tuner are baked into which points were recorded).
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "tuner/param_space.hpp"
#include "tuner/strategy.hpp"

namespace ridgeline::tuner::replay {

struct recorded_outcome {
  bool ok = false;
  double time_s = 0;   // when ok
  std::string reason;  // when not ok: the file's failure label
};

struct recorded_space {
  std::string path;
  std::string format;  // "kernel_tuner", "ktt", "t4"
  std::string device;  // as the file names it ("" when absent)
  std::string kernel;
  param_space space;
  // Indexed by config_index(space, c); every entry is a point of the file.
  std::shared_ptr<const std::unordered_map<std::uint64_t, recorded_outcome>> outcomes;

  std::uint64_t size() const { return outcomes->size(); }
  std::vector<double> valid_times_s() const;
  // The recorded outcome as an evaluation (ok with its time, or failed with the file's reason);
  // a config not in the file is `invalid`.
  evaluation evaluate(const config& c) const;
};

// Collects (parameters, outcome) pairs and builds the space. `path` prefixes error messages.
class recorded_space_builder {
 public:
  explicit recorded_space_builder(std::string path) : path_(std::move(path)) {}
  // The parameter order (e.g. Kernel Tuner's tune_params_keys); otherwise first-seen order.
  void set_order(std::vector<std::string> names) { order_ = std::move(names); }
  // `where` names the record in messages, e.g. "cache[\"16,1,1\"]". Values are JSON scalars.
  void add(const std::vector<std::pair<std::string, nlohmann::json>>& params,
           recorded_outcome outcome, const std::string& where);
  recorded_space build(std::string format, std::string device, std::string kernel) &&;

 private:
  std::string path_;
  std::vector<std::string> order_;
  std::vector<std::pair<std::vector<std::pair<std::string, nlohmann::json>>, recorded_outcome>>
      records_;
  std::vector<std::string> where_;
};

}  // namespace ridgeline::tuner::replay
