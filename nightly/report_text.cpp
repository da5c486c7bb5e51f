#include "nightly/report_text.hpp"

#include <fmt/format.h>

#include <chrono>
#include <ctime>
#include <fstream>

#include "core/error.hpp"
#include "profiler/placement.hpp"

namespace ridgeline::nightly {

std::string folder_name(const std::string& text) {
  std::string out;
  for (char c : text) {
    const bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '.' || c == '-' || c == '_';
    out += keep ? c : '_';
  }
  return out.empty() ? "unnamed" : out;
}

void write_text_file(const std::filesystem::path& path, const std::string& content) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f << content;
  f.close();
  if (!f) throw runtime_error(fmt::format("nightly report: cannot write {}", path.string()));
}

std::string seconds_text(const std::optional<profiler::measurement>& m) {
  if (!m || m->outcome != profiler::status::ok || !m->timing) return "—";
  const double s = m->timing->summary.median;
  if (s >= 1) return fmt::format("{:.4g} s", s);
  if (s >= 1e-3) return fmt::format("{:.4g} ms", s * 1e3);
  return fmt::format("{:.4g} us", s * 1e6);
}

double gflops(const profiler::measurement& m) {
  return profiler::derive(m).flop_per_s / 1e9;
}

std::string attainable_text(const std::optional<profiler::measurement>& m,
                            const std::vector<profiler::roof_set>& roofs) {
  if (!m || m->outcome != profiler::status::ok) return "—";
  const profiler::roof_set* chosen = nullptr;
  for (const auto& r : roofs) {
    if (!chosen || r.source == profiler::roof_source::measured) chosen = &r;
  }
  if (chosen == nullptr) return "no roofs (run `ridgeline ceilings`)";
  const profiler::placement p = profiler::place(*m, *chosen);
  if (!p.placed) return "not placed: " + p.why_not;
  if (p.roof_below_achieved) return "roof below achieved: " + p.roof_below_achieved_reason;
  return fmt::format("{:.1f}% ({}, {} roofs)", 100 * p.fraction_of_attainable, p.bound,
                     profiler::to_string(chosen->source));
}

std::string utc_now() {
  const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&t, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

std::string device_text(const storage::device_identity& d) {
  std::string out = d.name;
  if (!d.arch.empty()) out += ", " + d.arch;
  out += ", " + d.backend + " backend, host " + d.host;
  if (d.catalog_id) out += ", catalog card " + *d.catalog_id;
  return out;
}

}  // namespace ridgeline::nightly
