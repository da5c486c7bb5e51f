#include "roofline/detection.hpp"

#include <fmt/format.h>

#include <optional>
#include <regex>
#include <utility>

#include "roofline/detail/pattern.hpp"

namespace ridgeline::roofline {

namespace {

// Specificity of a match, compared lexicographically: (conditions stated, matched text length).
using score = std::pair<int, std::size_t>;

struct best_match {
  const device_card* card = nullptr;
  const device_card* tied = nullptr;  // another card with the same score
  score best{-1, 0};

  void offer(const device_card& c, score s) {
    if (s > best) {
      card = &c;
      tied = nullptr;
      best = s;
    } else if (s == best) {
      tied = &c;
    }
  }
};

// Length of the longest-leftmost match of `pattern` in `text`, or nothing.
std::optional<std::size_t> search(const std::string& pattern, const std::string& text) {
  std::smatch m;
  const std::regex re = detail::compile_pattern(pattern);
  if (!std::regex_search(text, m, re)) return std::nullopt;
  return static_cast<std::size_t>(m.length(0));
}

bool cpu_rule_holds(const cpu_match_rule& rule, const profiler::cpu_info& cpu) {
  if (!rule.vendor.empty() && rule.vendor != cpu.vendor) return false;
  for (const auto& f : rule.flags) {
    if (!cpu.has_flag(f)) return false;
  }
  for (const auto& f : rule.absent_flags) {
    if (cpu.has_flag(f)) return false;
  }
  return rule.logical_cpus == 0 || rule.logical_cpus == cpu.logical_cpus;
}

detection decide(const best_match& m, const std::string& what, const std::string& rule_text) {
  detection d;
  if (m.card == nullptr) {
    d.reason = fmt::format("no catalog entry matches {}: measured roofs only", what);
  } else if (m.tied != nullptr) {
    d.reason = fmt::format(
        "{} matches {} and {} equally well; not choosing (make one rule more specific): measured "
        "roofs only",
        what, m.card->id, m.tied->id);
  } else {
    d.card = m.card;
    d.reason = fmt::format("{} matches {} ({})", what, m.card->id, rule_text);
  }
  return d;
}

}  // namespace

detection detect_cpu(const device_catalog& catalog, const profiler::cpu_info& cpu) {
  best_match m;
  for (const auto& card : catalog.cards) {
    if (!card.cpu_match || !cpu_rule_holds(*card.cpu_match, cpu)) continue;
    if (auto length = search(card.cpu_match->model_pattern, cpu.model)) {
      m.offer(card, {card.cpu_match->constraints(), *length});
    }
  }
  const std::string rule =
      m.card && m.card->cpu_match
          ? fmt::format("model /{}/ and {} condition(s)", m.card->cpu_match->model_pattern,
                        m.card->cpu_match->constraints() - 1)
          : std::string();
  return decide(m, fmt::format("CPU '{}' ({} logical CPUs)", cpu.model, cpu.logical_cpus), rule);
}

detection detect_gpu(const device_catalog& catalog, const std::string& device_name) {
  best_match m;
  if (!device_name.empty()) {
    for (const auto& card : catalog.cards) {
      if (card.device_name_pattern.empty()) continue;
      if (auto length = search(card.device_name_pattern, device_name)) m.offer(card, {1, *length});
    }
  }
  const std::string rule =
      m.card ? fmt::format("device_name /{}/", m.card->device_name_pattern) : std::string();
  return decide(m, fmt::format("device name '{}'", device_name), rule);
}

}  // namespace ridgeline::roofline
