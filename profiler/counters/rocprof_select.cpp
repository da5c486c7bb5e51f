#include "profiler/counters/rocprof_select.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <regex>
#include <set>

#include "core/error.hpp"

namespace ridgeline::profiler::counters {

std::vector<dispatch_record> matching_dispatches(const std::vector<dispatch_record>& all,
                                                 const std::string& regex) {
  std::vector<dispatch_record> out;
  std::optional<std::regex> re;
  if (!regex.empty()) {
    try {
      re.emplace(regex, std::regex::ECMAScript);
    } catch (const std::regex_error& e) {
      throw usage_error(fmt::format("kernel regex '{}': {}", regex, e.what()));
    }
  }
  std::set<std::string> agents;
  for (const auto& d : all) {
    if (re && !std::regex_search(d.kernel_name, *re)) continue;
    agents.insert(d.agent);
    out.push_back(d);
  }
  if (agents.size() > 1)
    throw runtime_error(
        fmt::format("the counted dispatches ran on {} agents; count one GPU "
                    "(HIP_VISIBLE_DEVICES)",
                    agents.size()));
  std::stable_sort(out.begin(), out.end(), [](const dispatch_record& a, const dispatch_record& b) {
    return a.dispatch_id < b.dispatch_id;
  });
  return out;
}

std::size_t dispatches_per_launch(std::size_t with_n, std::size_t with_2n, std::size_t launches) {
  if (launches == 0) throw runtime_error("dispatches_per_launch: no launches");
  if (with_2n <= with_n || (with_2n - with_n) % launches != 0)
    throw runtime_error(fmt::format(
        "{} dispatches with {} launches and {} with {}: the workload's dispatches per launch are "
        "not constant, so counts cannot be attributed to one launch",
        with_n, launches, with_2n, 2 * launches));
  return (with_2n - with_n) / launches;
}

launch_counts per_launch(const std::vector<dispatch_record>& dispatches, std::size_t launches,
                         std::size_t per_launch, const std::vector<std::string>& counters) {
  const std::size_t want = launches * per_launch;
  if (launches == 0 || per_launch == 0) throw runtime_error("per_launch: nothing to select");
  if (dispatches.size() < want)
    throw runtime_error(
        fmt::format("{} matching dispatches, expected at least {} ({} launches of "
                    "{})",
                    dispatches.size(), want, launches, per_launch));
  const std::size_t first = dispatches.size() - want;
  auto identity = [](const dispatch_record& d) {
    return d.kernel_id != 0 ? std::to_string(d.kernel_id) : d.kernel_name;
  };
  launch_counts out;
  for (std::size_t k = 0; k < per_launch; ++k)
    out.kernels.push_back(dispatches[first + k].kernel_name);
  double time_ns = 0;
  bool timed = true;
  for (std::size_t l = 0; l < launches; ++l) {
    for (std::size_t k = 0; k < per_launch; ++k) {
      const dispatch_record& d = dispatches[first + l * per_launch + k];
      const dispatch_record& ref = dispatches[first + k];
      if (identity(d) != identity(ref))
        throw runtime_error(fmt::format(
            "dispatch {} runs '{}' where launch 1 ran '{}': the last {} dispatches are not {} "
            "repeats of one launch",
            d.dispatch_id, d.kernel_name, ref.kernel_name, want, launches));
      for (const auto& c : counters) {
        const auto it = d.counters.find(c);
        if (it == d.counters.end())
          throw runtime_error(fmt::format("counter {} missing for dispatch {} ('{}')", c,
                                          d.dispatch_id, d.kernel_name));
        out.values[c] += it->second;
      }
      if (d.end_ns == 0 || d.end_ns < d.start_ns)
        timed = false;
      else
        time_ns += static_cast<double>(d.end_ns - d.start_ns);
    }
  }
  for (auto& [name, v] : out.values) v /= static_cast<double>(launches);
  if (timed) out.time_s = time_ns / static_cast<double>(launches) * 1e-9;
  return out;
}

}  // namespace ridgeline::profiler::counters
