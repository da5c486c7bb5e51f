#include "profiler/counters/rocprof_pass_plan.hpp"

#include <algorithm>
#include <set>
#include <stdexcept>

namespace ridgeline::profiler::counters {

std::vector<counter_group> plan_passes(const std::vector<std::string>& counters,
                                       const std::vector<counter_group>& together,
                                       std::size_t limit) {
  if (limit == 0) throw std::invalid_argument("plan_passes: limit must be >= 1");
  const std::set<std::string> wanted(counters.begin(), counters.end());
  std::set<std::string> placed;
  std::vector<counter_group> passes;

  // First fit: a set goes into the first pass with room for all of its new counters; a set larger
  // than a pass fills fresh passes in order (it cannot be kept together anyway).
  auto place = [&](const counter_group& set) {
    counter_group fresh;
    for (const auto& c : set) {
      if (wanted.count(c) && !placed.count(c) &&
          std::find(fresh.begin(), fresh.end(), c) == fresh.end())
        fresh.push_back(c);
    }
    if (fresh.empty()) return;
    for (const auto& c : fresh) placed.insert(c);
    if (fresh.size() <= limit) {
      for (auto& p : passes) {
        if (p.size() + fresh.size() <= limit) {
          p.insert(p.end(), fresh.begin(), fresh.end());
          return;
        }
      }
      passes.push_back(fresh);
      return;
    }
    for (std::size_t i = 0; i < fresh.size(); i += limit) {
      passes.emplace_back(
          fresh.begin() + static_cast<std::ptrdiff_t>(i),
          fresh.begin() + static_cast<std::ptrdiff_t>(std::min(i + limit, fresh.size())));
    }
  };
  for (const auto& set : together) place(set);
  for (const auto& c : counters) place({c});
  return passes;
}

std::vector<counter_group> formula_groups(const metric_file& file,
                                          const std::vector<std::string>& counters) {
  std::vector<counter_group> out;
  for (const auto& m : file.metrics) {
    counter_group g;
    for (const auto& c : m.expr.counters()) {
      if (std::find(counters.begin(), counters.end(), c) != counters.end()) g.push_back(c);
    }
    if (!g.empty()) out.push_back(std::move(g));
  }
  return out;
}

std::vector<counter_group> split_group(const counter_group& group) {
  if (group.size() < 2) return {group};
  const auto half = static_cast<std::ptrdiff_t>((group.size() + 1) / 2);
  return {counter_group(group.begin(), group.begin() + half),
          counter_group(group.begin() + half, group.end())};
}

}  // namespace ridgeline::profiler::counters
