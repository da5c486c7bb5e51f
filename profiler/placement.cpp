#include "profiler/placement.hpp"

#include <fmt/format.h>

#include "profiler/console_report.hpp"

namespace ridgeline::profiler {

const char* to_string(roof_source s) {
  return s == roof_source::datasheet ? "datasheet" : "measured";
}

std::string origin_text(const roof_set& r) {
  if (r.source == roof_source::datasheet) return "datasheet card " + r.device;
  if (r.measured_at.empty()) return "measured ceilings of " + r.device;
  return fmt::format("measured ceilings of {} on {}", r.measured_at, r.device);
}

const compute_roof* roof_set::find_compute(const std::string& precision,
                                           const std::string& unit) const {
  for (const auto& r : compute) {
    if (r.precision == precision && r.unit == unit && r.flop_per_s > 0) return &r;
  }
  return nullptr;
}

const bandwidth_roof* roof_set::find_bandwidth(const std::string& level) const {
  for (const auto& r : bandwidth) {
    if (r.level == level && r.byte_per_s > 0) return &r;
  }
  return nullptr;
}

placement place(const measurement& m, const roof_set& roofs) {
  placement p;
  p.device = roofs.device;
  p.source = roofs.source;
  p.counts_source = m.counts_source;
  if (m.work.flops.empty()) {
    // An imported launch says why it has none (e.g. the tool gave utilisation ratios only).
    p.why_not = m.reason.empty() ? "the measurement states no FLOPs" : m.reason;
    return p;
  }
  // The dominant (precision, unit) of the work decides the compute roof.
  const flop_count* main = &m.work.flops.front();
  for (const auto& f : m.work.flops) {
    if (f.count > main->count) main = &f;
  }
  p.precision = main->precision;
  p.unit = main->unit;
  const compute_roof* compute = roofs.find_compute(main->precision, main->unit);
  if (compute == nullptr) {
    p.why_not = fmt::format("no {} {} compute roof in the {} roofs of {}", main->precision,
                            main->unit, to_string(roofs.source), roofs.device);
    return p;
  }
  p.compute_roof_flop_per_s = compute->flop_per_s;
  p.attainable_flop_per_s = compute->flop_per_s;
  p.bound = fmt::format("compute ({} {})", main->precision, main->unit);

  const double flops = static_cast<double>(m.work.total_flops());
  const bandwidth_roof* binding = nullptr;  // the bandwidth roof that binds, if one does
  for (const auto& b : m.work.bytes) {
    if (b.count == 0) continue;
    level_intensity li;
    li.level = b.level;
    li.flop_per_byte = flops / static_cast<double>(b.count);
    if (const bandwidth_roof* bw = roofs.find_bandwidth(b.level)) {
      li.roof_flop_per_s = li.flop_per_byte * bw->byte_per_s;
      if (li.roof_flop_per_s < p.attainable_flop_per_s) {
        p.attainable_flop_per_s = li.roof_flop_per_s;
        p.bound = b.level + " bandwidth";
        binding = bw;
      }
    }
    p.levels.push_back(li);
  }
  p.placed = true;
  p.achieved_flop_per_s = derive(m).flop_per_s;
  if (p.achieved_flop_per_s > 0) {
    p.fraction_of_attainable = p.achieved_flop_per_s / p.attainable_flop_per_s;
    p.headroom = p.attainable_flop_per_s / p.achieved_flop_per_s;
  }
  if (exceeds_roof(p.achieved_flop_per_s, p.attainable_flop_per_s)) {
    p.roof_below_achieved = true;
    // The binding roof in its own unit and with its confidence: a compute roof in FLOP/s, a
    // bandwidth roof in B/s and what that allows at this intensity.
    const auto with = [](const std::string& confidence, const std::string& more) {
      const std::string both = confidence + (confidence.empty() || more.empty() ? "" : "; ") + more;
      return both.empty() ? both : " (" + both + ")";
    };
    const std::string roof =
        binding == nullptr
            ? fmt::format("{} roof, {}{}", p.bound, format_rate(compute->flop_per_s, "FLOP"),
                          with(compute->confidence, ""))
            : fmt::format("{} roof, {}{}", p.bound, format_rate(binding->byte_per_s, "B"),
                          with(binding->confidence, format_rate(p.attainable_flop_per_s, "FLOP") +
                                                        " at this intensity"));
    p.roof_below_achieved_reason =
        fmt::format("this roof set is wrong or stale ({}): its {}, is below the achieved {}",
                    origin_text(roofs), roof, format_rate(p.achieved_flop_per_s, "FLOP"));
  }
  return p;
}

}  // namespace ridgeline::profiler
