#include "profiler/console_report.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace ridgeline::profiler {

namespace {

// `v` rounded to `digits` significant digits, as "{:.<digits>g}" prints it. Units are chosen on the
// rounded value so that 999.7 ns prints as "1 us", not "1e+03 ns".
double round_significant(double v, int digits) {
  return std::strtod(fmt::format("{:.{}g}", v, digits).c_str(), nullptr);
}

}  // namespace

std::string format_seconds(double s) {
  if (!(s > 0)) return "0 s";
  const double r = round_significant(s, 3);
  if (r < 1e-6) return fmt::format("{:.3g} ns", s * 1e9);
  if (r < 1e-3) return fmt::format("{:.3g} us", s * 1e6);
  if (r < 1.0) return fmt::format("{:.3g} ms", s * 1e3);
  return fmt::format("{:.3g} s", s);
}

std::string format_rate(double per_s, const char* unit) {
  static const char* prefixes[] = {"", "k", "M", "G", "T", "P"};
  int p = 0;
  double v = per_s;
  while (std::fabs(round_significant(v, 4)) >= 1000.0 && p < 5) {
    v /= 1000.0;
    ++p;
  }
  return fmt::format("{:.4g} {}{}/s", v, prefixes[p], unit);
}

namespace {

std::string value_or_dash(const measurement& m, double v, const char* unit) {
  return m.timing ? format_rate(v, unit) : std::string("-");
}

std::string ratio_text(std::uint64_t counted, std::uint64_t model) {
  return model > 0 ? fmt::format("{:.4f}x", static_cast<double>(counted) / static_cast<double>(model))
                   : std::string("n/a");
}

// Counted next to analytic, with the ratio: the line that shows whether the work model and the
// hardware agree (a GEMM's FLOPs should match; DRAM bytes >= the minimal traffic).
void write_counted(std::ostream& out, const measurement& m) {
  const counted_work& c = *m.counted;
  fmt::print(out, "  counts  {} ({} replay, {} pass{}; {} via {})\n", c.source, c.replay, c.passes,
             c.passes == 1 ? "" : "es", c.device_id, c.metrics_file);
  fmt::print(out, "          FLOPs {} counted vs {} analytic ({})\n", c.work.total_flops(),
             m.work.total_flops(), ratio_text(c.work.total_flops(), m.work.total_flops()));
  for (const auto& b : c.work.bytes) {
    fmt::print(out, "          {} bytes {} counted vs {} minimal ({})\n", b.level, b.count,
               m.work.bytes_at(b.level), ratio_text(b.count, m.work.bytes_at(b.level)));
  }
  std::string extra;
  for (const auto& [name, hz] : c.clocks_hz)
    extra += fmt::format("{}{} clock {:.4g} GHz", extra.empty() ? "" : ", ", name, hz / 1e9);
  if (c.time_s)
    extra += fmt::format("{}counted launch {}", extra.empty() ? "" : ", ", format_seconds(*c.time_s));
  if (!extra.empty()) fmt::print(out, "          {}\n", extra);
}

}  // namespace

void write_report(std::ostream& out, const measurement& m) {
  fmt::print(out, "{} {} {} {} [{}]\n", m.kernel, m.variant, m.dtype, m.problem_text(), m.backend);
  if (!m.params.empty()) fmt::print(out, "  params  {}\n", m.params_text());
  fmt::print(out, "  status  {}{}\n", to_string(m.outcome),
             m.reason.empty() ? "" : ": " + m.reason);
  if (m.check) {
    const auto& c = *m.check;
    fmt::print(out,
               "  check   {}: max |err| {:.3g} = {:.3g} x bound ({}); {} of {} elements bad{}\n",
               c.passed ? "passed" : "FAILED", c.max_abs_error, c.max_error_over_bound, c.bound,
               c.bad_elements, c.elements, c.first_bad.empty() ? "" : "; first: " + c.first_bad);
  }
  if (m.timing) {
    const auto& t = *m.timing;
    fmt::print(
        out,
        "  time    {} median (min {}, max {}; IQR spread {:.1f}%; {} samples x {} launches, {})\n",
        format_seconds(t.summary.median), format_seconds(t.summary.min),
        format_seconds(t.summary.max), 100.0 * t.summary.relative_spread, t.summary.count, t.batch,
        to_string(t.stopped));
    const derived_metrics d = derive(m);
    fmt::print(out, "  rate    {}   {} (minimal DRAM bytes)   AI {:.3g} FLOP/B   [{} work model]\n",
               format_rate(d.flop_per_s, "FLOP"), format_rate(d.dram_byte_per_s, "B"),
               d.arithmetic_intensity, m.counts_source);
    if (m.counted) write_counted(out, m);
    if (!m.rotation.inputs_cold) {
      fmt::print(out,
                 "  note    working set fits in cache even with {} rotated copies: inputs warm\n",
                 m.rotation.copies);
    }
  }
}

void write_placement(std::ostream& out, const placement& p) {
  if (!p.placed) {
    fmt::print(out, "  roof    not placed: {}\n", p.why_not);
    return;
  }
  std::string intensity;
  for (const auto& l : p.levels) {
    intensity +=
        fmt::format("{}{} {:.3g}", intensity.empty() ? "" : ", ", l.level, l.flop_per_byte);
  }
  if (p.roof_below_achieved) {
    // An error of the roofs, not a result: no percentage, no headroom.
    fmt::print(out, "  roof    roof below achieved: {}; AI {} FLOP/B [{}]\n",
               p.roof_below_achieved_reason, intensity, p.counts_source);
  } else if (p.achieved_flop_per_s > 0) {
    fmt::print(out,
               "  roof    {:.1f}% of attainable {} ({} bound; {} roofs of {}); headroom {:.2f}x; "
               "AI {} FLOP/B [{}]\n",
               100.0 * p.fraction_of_attainable, format_rate(p.attainable_flop_per_s, "FLOP"),
               p.bound, to_string(p.source), p.device, p.headroom, intensity, p.counts_source);
  } else {
    fmt::print(out, "  roof    attainable {} ({} bound; {} roofs of {}); AI {} FLOP/B [{}]\n",
               format_rate(p.attainable_flop_per_s, "FLOP"), p.bound, to_string(p.source), p.device,
               intensity, p.counts_source);
  }
}

void write_table(std::ostream& out, const std::vector<measurement>& ms) {
  std::size_t problem_width = 7;
  for (const auto& m : ms) problem_width = std::max(problem_width, m.problem_text().size());
  // Speed relative to the first row (its median time over this row's): the side-by-side number.
  const double first = !ms.empty() && ms.front().timing ? ms.front().timing->summary.median : 0;
  fmt::print(out, "{:<6} {:<14} {:<5} {:<{}} {:>10} {:>7} {:>15} {:>13} {:>8} {:>8}  {}\n",
             "kernel", "variant", "dtype", "problem", problem_width, "median", "spread",
             "FLOP rate", "DRAM rate", "vs first", "check", "status");
  for (const auto& m : ms) {
    const derived_metrics d = derive(m);
    const std::string check = m.check ? (m.check->passed ? "passed" : "FAILED") : "-";
    const std::string relative =
        m.timing && first > 0 ? fmt::format("{:.2f}x", first / m.timing->summary.median) : "-";
    fmt::print(out, "{:<6} {:<14} {:<5} {:<{}} {:>10} {:>6.1f}% {:>15} {:>13} {:>8} {:>8}  {}\n",
               m.kernel, m.variant, m.dtype, m.problem_text(), problem_width,
               m.timing ? format_seconds(m.timing->summary.median) : "-",
               m.timing ? 100.0 * m.timing->summary.relative_spread : 0.0,
               value_or_dash(m, d.flop_per_s, "FLOP"), value_or_dash(m, d.dram_byte_per_s, "B"),
               relative, check, to_string(m.outcome));
  }
}

}  // namespace ridgeline::profiler
