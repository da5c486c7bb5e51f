#include "importers/metric_evaluation.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/error.hpp"

namespace ridgeline::importers {

namespace counters = profiler::counters;

namespace {

std::uint64_t to_count(double v, const std::string& metric) {
  if (!std::isfinite(v) || v < 0) {
    throw runtime_error(fmt::format("{} evaluates to {:g}: counters are inconsistent", metric, v));
  }
  return static_cast<std::uint64_t>(std::llround(v));
}

}  // namespace

evaluated_work evaluate_work(const counters::metric_file& file,
                             const std::map<std::string, double>& values) {
  evaluated_work out;
  for (const auto& m : file.metrics) {
    std::string absent;
    for (const auto& c : m.expr.counters()) {
      if (values.count(c) == 0) absent += (absent.empty() ? "" : ", ") + c;
    }
    const bool flops = m.name.rfind("flops_", 0) == 0;
    const bool bytes = m.name.rfind("bytes_", 0) == 0;
    if (!flops && !bytes && m.name != "time_s") continue;  // clocks: not part of the work
    if (!absent.empty()) {
      out.missing.push_back(fmt::format("{} (no {})", m.name, absent));
      continue;
    }
    const double v = m.expr.evaluate(values);
    if (flops) {
      const std::string rest = m.name.substr(6);
      const auto us = rest.rfind('_');
      // A precision the launch did not use is no work of that precision, not a zero to place.
      const std::uint64_t n = to_count(v, m.name);
      if (n > 0) out.work.flops.push_back({rest.substr(0, us), rest.substr(us + 1), n});
    } else if (bytes) {
      // Zero bytes at a level is a measurement (everything hit a cache above it): kept.
      out.work.bytes.push_back({m.name.substr(6), to_count(v, m.name)});
    } else {
      if (!std::isfinite(v) || v <= 0) {
        throw runtime_error(fmt::format("time_s evaluates to {:g}: counters are inconsistent", v));
      }
      out.time_s = v;
    }
  }
  return out;
}

counters::metric_file metric_file_for(const std::string& metrics_dir, const std::string& source,
                                      const std::string& arch) {
  const std::vector<counters::metric_file> files = counters::load_metric_dir(metrics_dir);
  for (const auto& f : files) {
    if (f.source != source) continue;
    if (f.arch == arch || std::find(f.match.begin(), f.match.end(), arch) != f.match.end()) {
      return f;
    }
  }
  throw usage_error(fmt::format("{}: no {} metric file for arch '{}'", metrics_dir, source, arch));
}

}  // namespace ridgeline::importers
