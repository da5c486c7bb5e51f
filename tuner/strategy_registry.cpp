#include "tuner/strategy_registry.hpp"

#include <fmt/format.h>

#include "core/error.hpp"
#include "tuner/strategies/factories.hpp"

namespace ridgeline::tuner {

namespace {

using factory = std::unique_ptr<strategy> (*)(const param_space&, const detail::option_values&,
                                              std::uint64_t);

struct entry {
  strategy_info info;
  factory make;
};

const std::vector<entry>& table() {
  static const std::vector<entry> t = {
      {detail::exhaustive_info(), &detail::make_exhaustive},
      {detail::random_search_info(), &detail::make_random_search},
      {detail::annealing_info(), &detail::make_annealing},
      {detail::genetic_info(), &detail::make_genetic},
      {detail::forest_info(), &detail::make_forest},
  };
  return t;
}

}  // namespace

const std::vector<strategy_info>& strategies() {
  static const std::vector<strategy_info> infos = [] {
    std::vector<strategy_info> v;
    for (const auto& e : table()) v.push_back(e.info);
    return v;
  }();
  return infos;
}

std::string default_strategy_name() {
  return "forest";
}

std::unique_ptr<strategy> make_strategy(const std::string& name, const param_space& space,
                                        const key_value_list& options, std::uint64_t seed) {
  for (const auto& e : table()) {
    if (e.info.name == name) return e.make(space, detail::option_values(e.info, options), seed);
  }
  std::vector<std::string> names;
  for (const auto& e : table()) names.push_back(e.info.name);
  throw usage_error(fmt::format("--strategy: unknown strategy '{}' (strategies: {})", name,
                                fmt::join(names, ", ")));
}

}  // namespace ridgeline::tuner
