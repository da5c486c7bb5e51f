#include "roofline/detection.hpp"

#include <fmt/format.h>

#include <optional>
#include <regex>
#include <string>
#include <utility>
#include <vector>

#include "roofline/cpu_generation.hpp"
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

// The conditions of `rule`, besides the model name, that `cpu` does not meet, each saying what
// the rule needs and what the CPU has; empty when the rule holds.
std::vector<std::string> unmet(const cpu_match_rule& rule, const profiler::cpu_info& cpu) {
  std::vector<std::string> out;
  const auto id = [&](const char* what, int want, int got, bool hex) {
    if (want < 0 || want == got) return;
    const auto show = [hex](int v) {
      return v < 0 ? std::string("none") : hex ? fmt::format("{:#x}", v) : std::to_string(v);
    };
    out.push_back(fmt::format("{} {} (got {})", what, show(want), show(got)));
  };
  const auto count = [&](const char* one, const char* many, int want, int got) {
    if (want > 0 && want != got) {
      out.push_back(fmt::format("{} {} (got {})", want, want == 1 ? one : many, got));
    }
  };
  if (!rule.vendor.empty() && rule.vendor != cpu.vendor) {
    out.push_back(fmt::format("vendor {} (got '{}')", rule.vendor, cpu.vendor));
  }
  for (const auto& f : rule.flags) {
    if (!cpu.has_flag(f)) out.push_back("flag " + f);
  }
  for (const auto& f : rule.absent_flags) {
    if (cpu.has_flag(f)) out.push_back("no " + f + " flag");
  }
  id("family", rule.family, cpu.family, false);
  id("model", rule.model_number, cpu.model_number, false);
  id("implementer", rule.implementer, cpu.implementer, true);
  id("part", rule.part, cpu.part, true);
  count("physical core", "physical cores", rule.physical_cores, cpu.physical_cores);
  count("socket", "sockets", rule.sockets, cpu.sockets);
  count("logical CPU", "logical CPUs", rule.logical_cpus, cpu.logical_cpus);
  return out;
}

std::string join(const std::vector<std::string>& items, const char* separator) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : separator) + s;
  return out;
}

// "CPU 'AMD EPYC 9654 96-Core Processor'", or for an arm64 kernel, which prints no model name,
// "CPU with no model name, implementer 0x41 part 0xd4f".
std::string cpu_label(const profiler::cpu_info& cpu) {
  if (!cpu.model.empty() || cpu.implementer < 0) return fmt::format("CPU '{}'", cpu.model);
  return fmt::format("CPU with no model name, implementer {:#x} part {:#x}", cpu.implementer,
                     cpu.part);
}

// What can be told about a CPU no card matches: its CPUID signature, whether its name hides the
// part, the generation its ISA or main ID implies, and the cards whose name fits but whose other
// conditions fail ("xeon_platinum_8480p would need 1 socket (got 2)").
std::vector<std::string> what_can_be_told(const device_catalog& catalog,
                                          const profiler::cpu_info& cpu) {
  std::vector<std::string> facts;
  if (cpu.family >= 0) {
    facts.push_back(cpu.model_number >= 0
                        ? fmt::format("family {} model {}", cpu.family, cpu.model_number)
                        : fmt::format("family {}", cpu.family));
  }
  if (!cpu.model.empty() && cpu.implementer >= 0) {
    facts.push_back(fmt::format("implementer {:#x} part {:#x}", cpu.implementer, cpu.part));
  }
  if (cpu_part_name_hidden(cpu)) {
    if (!cpu.model.empty()) {
      facts.push_back(cpu.has_flag("hypervisor") ? "the hypervisor hides the part name"
                                                 : "the name gives no part number");
    }
    const std::string generation = cpu_generation(cpu);
    if (!generation.empty()) facts.push_back(generation);
  }
  for (const auto& card : catalog.cards) {
    if (!card.cpu_match) continue;
    const cpu_match_rule& rule = *card.cpu_match;
    const bool fits = rule.model_pattern.empty()
                          ? rule.implementer == cpu.implementer && rule.part == cpu.part
                          : search(rule.model_pattern, cpu.model).has_value();
    if (!fits) continue;
    const auto missing = unmet(rule, cpu);
    if (!missing.empty()) {
      facts.push_back(fmt::format("{} would need {}", card.id, join(missing, ", ")));
    }
  }
  return facts;
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
    if (!card.cpu_match || !unmet(*card.cpu_match, cpu).empty()) continue;
    if (auto length = search(card.cpu_match->model_pattern, cpu.model)) {
      m.offer(card, {card.cpu_match->constraints(), *length});
    }
  }
  const std::string what = fmt::format("{} ({} logical CPUs)", cpu_label(cpu), cpu.logical_cpus);
  if (m.card == nullptr) {
    const auto facts = what_can_be_told(catalog, cpu);
    if (!facts.empty()) {
      detection d;
      d.reason =
          fmt::format("no catalog entry matches {} ({} logical CPUs; {}): measured roofs only",
                      cpu_label(cpu), cpu.logical_cpus, join(facts, "; "));
      return d;
    }
  }
  std::string rule;
  if (m.card != nullptr) {
    const cpu_match_rule& r = *m.card->cpu_match;
    rule = r.model_pattern.empty() ? fmt::format("{} condition(s)", r.constraints())
                                   : fmt::format("model /{}/ and {} condition(s)", r.model_pattern,
                                                 r.constraints() - 1);
  }
  return decide(m, what, rule);
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
