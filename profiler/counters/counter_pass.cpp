#include "profiler/counters/counter_pass.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <mutex>
#include <set>

#include "core/error.hpp"
#include "profiler/counters/rocprof_backend.hpp"

namespace ridgeline::profiler::counters {

namespace {

void add_unique(std::vector<std::string>& v, const std::string& s) {
  if (std::find(v.begin(), v.end(), s) == v.end()) v.push_back(s);
}

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

std::uint64_t to_count(double v) {
  return v > 0 ? static_cast<std::uint64_t>(std::llround(v)) : 0;
}

}  // namespace

counter_mode parse_counter_mode(const std::string& text, const std::string& option) {
  if (text == "auto") return counter_mode::automatic;
  if (text == "none" || text == "analytic") return counter_mode::none;
  if (text == "cupti") return counter_mode::cupti;
  if (text == "perf" || text == "perf_event") return counter_mode::perf;
  if (text == "rocprof" || text == "rocprofv3") return counter_mode::rocprof;
  throw usage_error(fmt::format("{}: unknown counter source '{}'; expected auto, none, analytic, "
                                "cupti, perf or rocprof",
                                option, text));
}

const char* to_string(counter_mode m) {
  switch (m) {
    case counter_mode::automatic: return "auto";
    case counter_mode::none: return "none";
    case counter_mode::cupti: return "cupti";
    case counter_mode::perf: return "perf";
    case counter_mode::rocprof: return "rocprof";
  }
  return "?";
}

std::vector<std::string> wanted_metrics(const work_model& analytic, const metric_file& file) {
  std::vector<std::string> out;
  for (const auto& f : analytic.flops) {
    const std::string exact = fmt::format("flops_{}_{}", f.precision, f.unit);
    const std::string any = fmt::format("flops_any_{}", f.unit);
    if (file.find(exact)) {
      add_unique(out, exact);
    } else if (file.find(any)) {
      add_unique(out, any);
    }
  }
  for (const auto& m : file.metrics) {
    if (m.name.rfind("bytes_", 0) == 0 || m.name == "time_s" || m.name == "sm_clock_hz" ||
        m.name == "dram_clock_hz")
      add_unique(out, m.name);
  }
  return out;
}

counter_pass_result run_counter_pass(workload& w, const work_model& analytic,
                                     counter_backend& backend, const std::string& metrics_dir) {
  counter_pass_result r;
  try {
    const std::vector<std::string> ids = backend.device_ids();
    const std::vector<metric_file> files = load_metric_dir(metrics_dir);
    const metric_file* file = find_metric_file(files, backend.name(), ids);
    if (!file) {
      r.unavailable = fmt::format(
          "{}: no metric file under {} matches this device ({}): add "
          "configs/metrics/<vendor>/<arch>.yaml with `source: {}` and `match: [{}]`; using the "
          "analytic model",
          backend.name(), metrics_dir, join(ids), backend.name(), ids.empty() ? "" : ids.front());
      return r;
    }
    std::string device_id;
    for (const auto& id : ids) {
      if (std::find(file->match.begin(), file->match.end(), id) != file->match.end()) {
        device_id = id;
        break;
      }
    }
    const std::vector<std::string> metrics = wanted_metrics(analytic, *file);
    const std::vector<std::string> counters = file->counters_for(metrics);
    if (counters.empty()) {
      r.unavailable = fmt::format("{}: {} defines none of the metrics this work needs; using the "
                                  "analytic model",
                                  backend.name(), file->path);
      return r;
    }
    const counter_values values = backend.collect(w, *file, counters);
    const auto results = file->evaluate(metrics, values.values);

    counted_work c;
    c.source = backend.name();
    c.replay = values.replay;
    c.passes = values.passes;
    c.metrics_file = file->path;
    c.device_id = device_id;
    for (const auto& name : metrics) {  // in the order asked: flops first, then bytes
      const auto it = results.find(name);
      if (it == results.end()) continue;
      const double v = it->second;
      if (name.rfind("flops_", 0) == 0) {
        const std::string rest = name.substr(6);
        const auto us = rest.rfind('_');
        c.work.flops.push_back({rest.substr(0, us), rest.substr(us + 1), to_count(v)});
      } else if (name.rfind("bytes_", 0) == 0) {
        c.work.bytes.push_back({name.substr(6), to_count(v)});
      } else if (name == "time_s") {
        c.time_s = v;
      } else if (name == "sm_clock_hz") {
        c.clocks_hz.emplace_back("sm", v);
      } else if (name == "dram_clock_hz") {
        c.clocks_hz.emplace_back("dram", v);
      }
    }
    if (!c.time_s && values.time_s) c.time_s = values.time_s;
    for (const auto& [name, v] : values.values) c.raw.emplace_back(name, v);
    r.counted = std::move(c);
  } catch (const counters_unavailable& e) {
    r.unavailable = e.what();
  } catch (const runtime_error& e) {
    r.unavailable = fmt::format("{}: {}; using the analytic model", backend.name(), e.what());
  }
  return r;
}

counter_pass_result run_counter_pass(workload& w, const work_model& analytic,
                                     const counter_request& req) {
  counter_pass_result r;
  if (req.mode == counter_mode::none) return r;
  const std::string dir = req.metrics_dir.empty() ? default_metrics_dir() : req.metrics_dir;
  const bool cuda = req.device_backend == "Cuda";
  const bool hip = req.device_backend == "HIP";
  std::unique_ptr<counter_backend> backend;
  if (req.mode == counter_mode::perf ||
      (req.mode == counter_mode::automatic && req.device_is_host)) {
    if (!req.device_is_host) {
      r.unavailable = fmt::format("perf_event counts CPU work, and this runs on {}; use "
                                  "--counters auto or cupti; using the analytic model",
                                  req.device_backend);
      return r;
    }
    backend = make_perf_event_backend();
    if (!backend) {
      r.unavailable = "perf_event: not available on this operating system; using the analytic "
                      "model";
      return r;
    }
  } else if (req.mode == counter_mode::cupti || (req.mode == counter_mode::automatic && cuda)) {
    if (!cuda) {
      r.unavailable = fmt::format("cupti counts CUDA kernels, and this runs on {}; using the "
                                  "analytic model",
                                  req.device_backend);
      return r;
    }
    backend = make_cupti_backend();
    if (!backend) {
      r.unavailable = "cupti: this build has no CUPTI backend (configure with a CUDA toolkit "
                      "and -DRIDGELINE_ENABLE_CUPTI=ON); using the analytic model";
      return r;
    }
  } else if (req.mode == counter_mode::rocprof || (req.mode == counter_mode::automatic && hip)) {
    if (!hip) {
      r.unavailable = fmt::format("rocprofv3 counts HIP kernels, and this runs on {}; use "
                                  "--counters auto; using the analytic model",
                                  req.device_backend);
      return r;
    }
    try {
      backend = make_rocprof_backend(rocprof_options_from_env(req.replay_args));
    } catch (const counters_unavailable& e) {
      r.unavailable = e.what();
      return r;
    }
  } else {
    r.unavailable = fmt::format("no counter backend for {}; using the analytic model",
                                req.device_backend);
    return r;
  }
  return run_counter_pass(w, analytic, *backend, dir);
}

void report_once(const std::string& message) {
  static std::mutex mutex;
  static std::set<std::string> seen;
  const std::lock_guard<std::mutex> lock(mutex);
  if (!seen.insert(message).second) return;
  std::fprintf(stderr, "ridgeline: counters: %s\n", message.c_str());
}

}  // namespace ridgeline::profiler::counters
