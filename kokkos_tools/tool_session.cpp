#include "kokkos_tools/tool_session.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <exception>
#include <set>
#include <string_view>

#include "core/error.hpp"
#include "kokkos_tools/application_info.hpp"
#include "kokkos_tools/device_identity_of.hpp"
#include "kokkos_tools/kokkos_device.hpp"
#include "kokkos_tools/report.hpp"
#include "profiler/counters/counter_backend.hpp"
#include "storage/database.hpp"
#include "storage/database_path.hpp"

namespace ridgeline::kokkos_tools {

namespace {

// Kokkos's own kernels (View initialization, deep copies done as kernels) are labelled
// "Kokkos::...": they are not the application's, and 3.4 reports View initialization on devID 0
// (Serial) whatever space runs it, which would file them under a device the application never used.
bool is_kokkos_internal(const char* label) {
  return std::string_view(label).rfind("Kokkos::", 0) == 0;
}

// Counting around an application's kernels needs counters enabled at begin and read at end; the
// perf_event backend counts by re-launching a workload, which an application kernel is not. Say
// which of the two is the case here: no counters at all (the common VM case), or not yet wired.
std::string counters_state() {
  try {
    auto perf = profiler::counters::make_perf_event_backend();
    if (!perf) return "perf_event: not available on this operating system; times only";
    perf->device_ids();  // throws counters_unavailable with the reason
    return "perf_event is available, but the connector does not yet count around application "
           "kernels; times only";
  } catch (const profiler::counters::counters_unavailable& e) {
    std::string why = e.what();
    const std::string analytic = "using the analytic model";
    if (const auto at = why.rfind(analytic); at != std::string::npos)
      why.replace(at, analytic.size(), "times only");
    return why;
  }
}

}  // namespace

tool_session::tool_session(std::uint64_t interface_version)
    : interface_version_(interface_version) {
  const char* work = std::getenv("RIDGELINE_KP_WORK");
  if (work != nullptr && *work != '\0') {
    work_file_ = work;
    try {
      work_ = read_work_file(work);
    } catch (const std::exception& e) {
      work_file_ += " (refused)";
      report(fmt::format("RIDGELINE_KP_WORK: {}; kernels are stored with times only", e.what()));
    }
  } else {
    work_file_ = "none";
  }
  counters_ = counters_state();
  report_once("counters: " + counters_);
}

std::uint64_t tool_session::begin(const char* label, const char* construct, std::uint32_t dev_id) {
  const std::lock_guard<std::mutex> lock(mutex_);
  if (label == nullptr || is_kokkos_internal(label)) {
    ++internal_invocations_;
    return 0;
  }
  kernel_key key{label, construct, device_of(dev_id).backend};
  kernel_timings& times = kernels_[std::move(key)];
  const std::uint64_t id = next_id_++;
  // Last thing before returning to Kokkos, so the bookkeeping above is not timed.
  open_.emplace(id, open_kernel{&times, clock::now()});
  return id;
}

void tool_session::end(std::uint64_t kernel_id) {
  const clock::time_point stop = clock::now();
  if (kernel_id == 0) return;
  const std::lock_guard<std::mutex> lock(mutex_);
  const auto it = open_.find(kernel_id);
  if (it == open_.end()) return;  // not begun under this session
  it->second.times->add(std::chrono::duration<double>(stop - it->second.start).count());
  open_.erase(it);
}

record_context tool_session::context() const {
  record_context c;
  const double tick =
      static_cast<double>(clock::period::num) / static_cast<double>(clock::period::den);
  c.timer = fmt::format(
      "std::chrono::steady_clock (tick {:g} s), host-side, kokkosp_begin_* to kokkosp_end_* of "
      "each invocation, {}",
      tick, fencing_ ? "Kokkos-fenced before both" : "not fenced (device times are launch times)");
  const application_info app = this_application();
  c.provenance = profiler::host_provenance();
  c.provenance.emplace_back("source", "kokkos_tools");
  c.provenance.emplace_back("application", app.path);
  std::string args;
  for (const auto& a : app.args) args += (args.empty() ? "" : " ") + a;
  c.provenance.emplace_back("args", args);
  c.provenance.emplace_back("kokkos_tools_interface", std::to_string(interface_version_));
  c.provenance.emplace_back(
      "global_fence", fencing_ ? "requested and granted (kokkosp_request_tool_settings)"
                               : "not offered by this Kokkos: asynchronous kernels' times are "
                                 "launch times");
  c.provenance.emplace_back("work_file", work_file_);
  c.provenance.emplace_back("counters", counters_);
  return c;
}

void tool_session::finalize() {
  const std::lock_guard<std::mutex> lock(mutex_);
  std::map<std::string, std::vector<profiler::measurement>> by_backend;
  const record_context ctx = context();
  std::uint64_t invocations = 0;
  std::set<std::string> worked;
  for (const auto& [key, times] : kernels_) {
    if (times.invocations() == 0) continue;
    const auto w = work_.find(key.label);
    if (w != work_.end()) worked.insert(key.label);
    by_backend[key.backend].push_back(
        to_measurement(key, times, w != work_.end() ? &w->second : nullptr, ctx));
    invocations += times.invocations();
  }
  for (const auto& [label, work] : work_) {
    if (worked.count(label) == 0)
      report(fmt::format("RIDGELINE_KP_WORK: kernels.{}: no kernel ran with this label", label));
  }
  if (by_backend.empty()) {
    report("no application kernels ran; nothing stored");
    return;
  }
  std::size_t total = 0;
  for (const auto& [backend, measurements] : by_backend) total += measurements.size();
  std::string path;
  std::size_t stored = 0;
  std::string runs;
  try {
    path = storage::default_database_path("");
    storage::database db = storage::database::open(path);
    const std::string command = this_application().command_line();
    for (const auto& [backend, measurements] : by_backend) {
      const auto identity = identity_of(backend, is_host_backend(backend),
                                        [](const std::string& m) { report_once(m); });
      const std::int64_t run = db.record(identity, measurements, storage::run_info{command});
      stored += measurements.size();
      runs += (runs.empty() ? "" : ", ") + std::to_string(run);
    }
  } catch (const std::exception& e) {
    throw runtime_error(fmt::format("{}; {} kernel(s) not stored{}", e.what(), total - stored,
                                    stored > 0 ? " (the others are, in run " + runs + ")" : ""));
  }
  report(fmt::format("stored {} kernel(s), {} invocation(s), in {} (run {})", stored, invocations,
                     path, runs));
}

}  // namespace ridgeline::kokkos_tools
