#include "profiler/counters/rocprof_backend.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <system_error>

#include "core/error.hpp"
#include "profiler/counters/rocprof_command.hpp"
#include "profiler/counters/rocprof_device.hpp"
#include "profiler/counters/rocprof_output.hpp"
#include "profiler/counters/rocprof_pass_plan.hpp"
#include "profiler/counters/rocprof_process.hpp"
#include "profiler/counters/rocprof_select.hpp"

#if defined(__unix__)
#include <unistd.h>
#endif

namespace ridgeline::profiler::counters {

const char* const rocprof_permission_fix =
    "add the user to the render and video groups (sudo usermod -aG render,video $USER, then log "
    "in again; containers: --device /dev/kfd --device /dev/dri), and allow counters with "
    "CAP_PERFMON or kernel.perf_event_paranoid <= 2";

namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// The last non-empty line of a tool's output, shortened: messages stay one line.
std::string last_line(const std::string& output) {
  std::size_t end = output.find_last_not_of(" \t\r\n");
  if (end == std::string::npos) return "(no output)";
  const std::size_t start = output.find_last_of('\n', end);
  std::string line = output.substr(start == std::string::npos ? 0 : start + 1,
                                   end + 1 - (start == std::string::npos ? 0 : start + 1));
  if (line.size() > 200) line = line.substr(0, 197) + "...";
  return line;
}

std::string first_line_with(const std::string& output, const std::string& needle_lower) {
  std::size_t start = 0;
  while (start < output.size()) {
    const std::size_t end = std::min(output.find('\n', start), output.size());
    const std::string line = output.substr(start, end - start);
    if (lower(line).find(needle_lower) != std::string::npos) return last_line(line);
    start = end + 1;
  }
  return last_line(output);
}

std::string join(const std::vector<std::string>& v, const char* sep) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

const char* const permission_markers[] = {"permission denied",
                                          "operation not permitted",
                                          "insufficient privilege",
                                          "perf_event_paranoid",
                                          "cap_perfmon",
                                          "cap_sys_admin"};
const char* const hw_limit_markers[] = {"exceeds_hw_limit", "exceeds hardware limit",
                                        "single pass"};

// A scratch directory this process created, removed with everything in it when done.
class scratch_dir {
 public:
  explicit scratch_dir(const std::string& parent) {
    namespace fs = std::filesystem;
    std::error_code ec;
    std::string base = parent;
    if (base.empty()) {
      const char* tmp = std::getenv("TMPDIR");
      base = tmp && *tmp ? tmp : fs::temp_directory_path(ec).string();
    }
    std::string pattern = (fs::path(base) / "ridgeline-rocprof-XXXXXX").string();
#if defined(__unix__)
    if (!::mkdtemp(pattern.data()))
      throw counters_unavailable(
          fmt::format("rocprofv3: cannot create a directory under {}; "
                      "using the analytic model",
                      base));
#endif
    path_ = pattern;
  }
  ~scratch_dir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  scratch_dir(const scratch_dir&) = delete;
  scratch_dir& operator=(const scratch_dir&) = delete;
  const std::string& path() const {
    return path_;
  }

 private:
  std::string path_;
};

class rocprof_backend : public counter_backend {
 public:
  explicit rocprof_backend(rocprof_options o) : o_(std::move(o)) {}

  std::string name() const override { return "rocprofv3"; }

  std::vector<std::string> device_ids() override {
    const char* path = std::getenv("PATH");
    const std::string search = !o_.path_env.empty() ? o_.path_env : (path ? path : "");
    tool_ = find_on_path(o_.tool, search);
    if (tool_.empty())
      throw counters_unavailable(fmt::format(
          "rocprofv3: '{}' not found on PATH: install rocprofiler-sdk (ROCm >= 6.2) and put "
          "rocprofv3 on PATH (export PATH=$PATH:/opt/rocm/bin); using the analytic model",
          o_.tool));
    const std::vector<std::string> gpus = kfd_gpu_targets(o_.kfd_topology);
    if (gpus.empty())
      throw counters_unavailable(
          fmt::format("rocprofv3: no AMD GPU listed under {} (is the "
                      "amdgpu driver loaded?); using the analytic model",
                      o_.kfd_topology));
#if defined(__unix__)
    std::error_code ec;
    if (std::filesystem::exists(o_.kfd_device, ec) &&
        ::access(o_.kfd_device.c_str(), R_OK | W_OK) != 0)
      throw counters_unavailable(
          fmt::format("rocprofv3: no access to {}: {}; using the "
                      "analytic model",
                      o_.kfd_device, rocprof_permission_fix));
#endif
    return {gpus.front()};
  }

  counter_values collect(workload&, const metric_file& file,
                         const std::vector<std::string>& counters) override {
    if (o_.replay_args.empty())
      throw counters_unavailable(
          "rocprofv3: this measurement cannot be re-run in a child "
          "process (rocprofv3 profiles whole processes); run it through "
          "`ridgeline run`; using the analytic model");
    exe_ = !o_.executable.empty() ? o_.executable : self_executable();
    if (exe_.empty())
      throw counters_unavailable(
          "rocprofv3: cannot find this program's executable to re-run "
          "it; using the analytic model");
    if (tool_.empty()) device_ids();  // resolves the tool; throws what is missing

    const scratch_dir dir(o_.work_dir);
    std::deque<counter_group> queue;
    for (auto& g : plan_passes(counters, formula_groups(file, counters), o_.counters_per_pass))
      queue.push_back(std::move(g));

    counter_values out;
    out.replay = "process";
    std::size_t per_launch_dispatches = 0;
    while (!queue.empty()) {
      const counter_group group = queue.front();
      queue.pop_front();
      std::vector<dispatch_record> run;
      if (!invoke(group, o_.launches, dir.path(), run)) {  // over the hardware limit: halve it
        const auto halves = split_group(group);
        queue.insert(queue.begin(), halves.begin(), halves.end());
        continue;
      }
      ++out.passes;
      if (per_launch_dispatches == 0) {
        // Calibration: the same child with twice the launches; the difference is N launches.
        std::vector<dispatch_record> twice;
        if (!invoke(group, 2 * o_.launches, dir.path(), twice))
          throw runtime_error(
              "the calibration pass was refused as over the hardware limit after "
              "the same counters were counted");
        ++out.passes;
        per_launch_dispatches = dispatches_per_launch(run.size(), twice.size(), o_.launches);
      }
      const launch_counts counts = per_launch(run, o_.launches, per_launch_dispatches, group);
      for (const auto& [name, v] : counts.values) out.values[name] = v;
      if (!out.time_s) out.time_s = counts.time_s;
    }
    return out;
  }

 private:
  // One rocprofv3 invocation; false when rocprofv3 refused the group as over the hardware limit
  // and the group can still be split. Fills `dispatches` with the matching dispatches.
  bool invoke(const counter_group& group, std::size_t launches, const std::string& root,
              std::vector<dispatch_record>& dispatches) {
    rocprof_invocation inv;
    inv.tool = tool_;
    inv.counters = group;
    inv.output_dir = fmt::format("{}/pass-{}", root, ++invocations_);
    inv.output_format = o_.output_format;
    inv.kernel_regex = o_.kernel_regex;
    inv.executable = exe_;
    inv.replay_args = o_.replay_args;
    inv.launches = launches;
    const process_result r = run_process(rocprof_argv(inv), o_.timeout_s);
    const std::string what = fmt::format("pass {} ({})", invocations_, join(group, " "));
    if (!r.ok()) {
      const rocprof_failure kind = r.started ? classify_failure(r.output) : rocprof_failure::other;
      if (kind == rocprof_failure::hw_limit && group.size() > 1) return false;
      if (kind == rocprof_failure::hw_limit)
        throw counters_unavailable(
            fmt::format("rocprofv3: {}: counter {} alone exceeds the hardware limit on this GPU; "
                        "remove it from the "
                        "metric file; using the analytic model",
                        what, group.front()));
      if (kind == rocprof_failure::permission)
        throw counters_unavailable(fmt::format("rocprofv3: {}: {}: {}; using the analytic model",
                                               what, first_line_with(r.output, "permi"),
                                               rocprof_permission_fix));
      if (r.timed_out)
        throw counters_unavailable(fmt::format(
            "rocprofv3: {}: {} (raise RIDGELINE_ROCPROF_TIMEOUT for long runs); using the analytic "
            "model",
            what, describe_ending(r, o_.timeout_s)));
      throw runtime_error(fmt::format("{}: {}: {}", what, describe_ending(r, o_.timeout_s),
                                      r.started ? last_line(r.output) : r.error));
    }
    const std::vector<std::string> files = find_counter_outputs(inv.output_dir, o_.output_format);
    if (files.empty())
      throw runtime_error(fmt::format("{}: no counter collection output under {} ({})", what,
                                      inv.output_dir, last_line(r.output)));
    std::vector<dispatch_record> all;
    for (const auto& f : files) {
      auto part = read_counter_output(f);
      all.insert(all.end(), part.begin(), part.end());
    }
    dispatches = matching_dispatches(all, o_.kernel_regex);
    return true;
  }

  rocprof_options o_;
  std::string tool_;  // resolved on PATH by device_ids()
  std::string exe_;   // the ridgeline binary the child runs
  std::size_t invocations_ = 0;
};

std::size_t env_count(const char* name, std::size_t fallback) {
  const char* v = std::getenv(name);
  if (!v || !*v) return fallback;
  char* end = nullptr;
  const unsigned long long n = std::strtoull(v, &end, 10);
  if (*end != '\0' || n == 0 || v[0] == '-')
    throw counters_unavailable(
        fmt::format("{}: expected a positive integer, got '{}'; using the "
                    "analytic model",
                    name, v));
  return static_cast<std::size_t>(n);
}

}  // namespace

rocprof_failure classify_failure(const std::string& output) {
  const std::string text = lower(output);
  for (const char* m : hw_limit_markers)
    if (text.find(m) != std::string::npos) return rocprof_failure::hw_limit;
  for (const char* m : permission_markers)
    if (text.find(m) != std::string::npos) return rocprof_failure::permission;
  return rocprof_failure::other;
}

rocprof_options rocprof_options_from_env(std::vector<std::string> replay_args) {
  rocprof_options o;
  o.replay_args = std::move(replay_args);
  if (const char* t = std::getenv("RIDGELINE_ROCPROFV3"); t && *t) o.tool = t;
  o.launches = env_count("RIDGELINE_ROCPROF_LAUNCHES", o.launches);
  o.counters_per_pass = env_count("RIDGELINE_ROCPROF_COUNTERS_PER_PASS", o.counters_per_pass);
  o.timeout_s = static_cast<double>(
      env_count("RIDGELINE_ROCPROF_TIMEOUT", static_cast<std::size_t>(o.timeout_s)));
  if (const char* r = std::getenv("RIDGELINE_ROCPROF_KERNEL_REGEX"); r && *r) o.kernel_regex = r;
  if (const char* f = std::getenv("RIDGELINE_ROCPROF_FORMAT"); f && *f) {
    o.output_format = f;
    if (o.output_format != "csv" && o.output_format != "json")
      throw counters_unavailable(
          fmt::format("RIDGELINE_ROCPROF_FORMAT: expected csv or json, "
                      "got '{}'; using the analytic model",
                      f));
  }
  return o;
}

std::unique_ptr<counter_backend> make_rocprof_backend(rocprof_options options) {
  return std::make_unique<rocprof_backend>(std::move(options));
}

}  // namespace ridgeline::profiler::counters
