#include "nightly/regression_check.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "nightly/regression_stats.hpp"

namespace ridgeline::nightly {

namespace {

// "compiler GNU 12.2.0 -> GNU 13.1.0": the software facts that differ between two keys
// ("name=value;..."), so a flag names its most likely cause. Empty when equal.
std::string software_change(const std::string& before, const std::string& after) {
  auto split = [](const std::string& key) {
    std::vector<std::pair<std::string, std::string>> facts;
    std::size_t start = 0;
    while (start <= key.size()) {
      const std::size_t end = std::min(key.find(';', start), key.size());
      const std::string item = key.substr(start, end - start);
      const std::size_t eq = item.find('=');
      if (!item.empty()) {
        facts.emplace_back(item.substr(0, eq), eq == std::string::npos ? "" : item.substr(eq + 1));
      }
      start = end + 1;
    }
    return facts;
  };
  const auto a = split(before);
  const auto b = split(after);
  std::string out;
  auto value_in = [](const auto& facts, const std::string& name) -> std::string {
    for (const auto& [n, v] : facts) {
      if (n == name) return v;
    }
    return "(none)";
  };
  std::vector<std::string> names;
  for (const auto& f : a) names.push_back(f.first);
  for (const auto& f : b) {
    if (std::find(names.begin(), names.end(), f.first) == names.end()) names.push_back(f.first);
  }
  for (const std::string& name : names) {
    const std::string va = value_in(a, name);
    const std::string vb = value_in(b, name);
    if (va != vb) out += fmt::format("{}{} {} -> {}", out.empty() ? "" : ", ", name, va, vb);
  }
  return out;
}

std::string percent(double fraction) {
  return fmt::format("{:.1f}%", 100 * fraction);
}

std::string cause_of(const night_point& before, const night_point& tonight) {
  const std::string changed = software_change(before.software_key, tonight.software_key);
  std::string what = before.params == tonight.params
                         ? "the same configuration got slower"
                         : fmt::format("configuration {} -> {}", before.params, tonight.params);
  if (changed.empty()) return what + "; same software (the machine or the code it runs changed)";
  return what + "; software changed: " + changed;
}

}  // namespace

std::vector<storage::nightly_flag_record> regression_flags(const std::string& entry_key,
                                                           const std::vector<night_point>& earlier,
                                                           const night_point& tonight,
                                                           const regression_policy& policy) {
  std::vector<storage::nightly_flag_record> flags;
  const auto good =
      std::find_if(earlier.rbegin(), earlier.rend(), [](const night_point& p) { return p.good; });

  // --- Tonight against the last good night, on the raw samples.
  if (good != earlier.rend() && !good->samples.empty() && !tonight.samples.empty()) {
    const mann_whitney_result mw = mann_whitney_greater(good->samples, tonight.samples);
    if (mw.p_value <= policy.max_p_value && mw.effect >= policy.min_effect) {
      storage::nightly_flag_record f;
      f.entry_key = entry_key;
      f.test = "mann_whitney";
      f.effect = mw.effect;
      f.p_value = mw.p_value;
      f.compared_json = nlohmann::ordered_json{
          {"baseline_run", good->nightly_run_id},
          {"tonight_run", tonight.nightly_run_id},
          {"baseline_median_s", good->median_s},
          {"tonight_median_s", tonight.median_s},
          {"baseline_samples", mw.n_earlier},
          {"tonight_samples", mw.n_later},
          {"u", mw.u}}.dump();
      f.message = fmt::format(
          "{} slower than the last good night (run {}): median {:.4g} s -> {:.4g} s, "
          "Mann-Whitney U one-sided p = {:.2g} over {} vs {} samples; {}",
          percent(mw.effect), good->nightly_run_id, good->median_s, tonight.median_s, mw.p_value,
          mw.n_earlier, mw.n_later, cause_of(*good, tonight));
      flags.push_back(std::move(f));
    }
  }

  // --- The series of nightly medians: did it shift up after the last good night?
  std::vector<const night_point*> series;
  const std::size_t keep = policy.history > 0 ? policy.history - 1 : 0;
  const std::size_t first = earlier.size() > keep ? earlier.size() - keep : 0;
  for (std::size_t i = first; i < earlier.size(); ++i) series.push_back(&earlier[i]);
  series.push_back(&tonight);
  if (series.size() >= policy.min_history) {
    std::vector<double> medians;
    for (const night_point* p : series) medians.push_back(p->median_s);
    // The position of the last good night in the series: a shift before it was accepted then.
    std::ptrdiff_t last_good = -1;
    for (std::size_t i = 0; i + 1 < series.size(); ++i) {
      if (series[i]->good) last_good = static_cast<std::ptrdiff_t>(i);
    }
    e_divisive_options options;
    options.max_p_value = policy.max_p_value;
    const auto points = e_divisive_means(medians, options);
    for (auto it = points.rbegin(); it != points.rend(); ++it) {
      if (static_cast<std::ptrdiff_t>(it->index) <= last_good) break;
      if (it->index == 0 || it->relative_change() < policy.min_effect) continue;
      const night_point& before = *series[it->index - 1];
      const night_point& after = *series[it->index];
      nlohmann::ordered_json runs = nlohmann::ordered_json::array();
      for (const night_point* p : series) runs.push_back(p->nightly_run_id);
      storage::nightly_flag_record f;
      f.entry_key = entry_key;
      f.test = "e_divisive";
      f.effect = it->relative_change();
      f.p_value = it->p_value;
      f.compared_json = nlohmann::ordered_json{
          {"series_runs", runs},
          {"change_at_run", after.nightly_run_id},
          {"mean_before_s", it->mean_before},
          {"mean_after_s",
           it->mean_after}}.dump();
      f.message = fmt::format(
          "the nightly series shifted {} slower from run {} on (mean {:.4g} s -> {:.4g} s over "
          "{} nights, E-divisive p = {:.2g}); {}",
          percent(f.effect), after.nightly_run_id, it->mean_before, it->mean_after, series.size(),
          it->p_value, cause_of(before, after));
      flags.push_back(std::move(f));
      break;  // the latest shift is the one to act on
    }
  }
  return flags;
}

int samples_for_significance(double max_p_value, int at_least) {
  if (!(max_p_value > 0 && max_p_value <= 1)) {
    throw usage_error(fmt::format("max_p_value: must be in (0, 1] (got {})", max_p_value));
  }
  // Far beyond what any policy asks (p of 400 against 400 separated samples is ~1e-200).
  constexpr int most = 400;
  for (int n = std::max(at_least, 1); n < most; ++n) {
    std::vector<double> good(static_cast<std::size_t>(n)), slower(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
      good[static_cast<std::size_t>(i)] = 1.0 + i;
      slower[static_cast<std::size_t>(i)] = 1.0 + n + i;
    }
    if (mann_whitney_greater(good, slower).p_value <= max_p_value / 10) return n;
  }
  return most;
}

}  // namespace ridgeline::nightly
