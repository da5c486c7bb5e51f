// CPU counters through Linux perf_event_open. Counts every thread of this process (OpenMP's pool
// exists before the pass, so `inherit` would miss it: one event group per thread instead), in
// groups of at most `group_limit` events that run as separate passes (the workload is re-launched
// once per group) so nothing is multiplexed.
#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "profiler/counters/counter_backend.hpp"

#if defined(__linux__)
#include <linux/perf_event.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace ridgeline::profiler::counters {

namespace {

#if defined(__linux__)

// General-purpose counters per core: 4 on Zen without SMT sharing concerns and on Intel with
// hyper-threading on; a smaller group never multiplexes.
constexpr std::size_t group_limit = 4;

int open_event(std::uint32_t type, std::uint64_t config, pid_t tid, int group_fd) {
  perf_event_attr attr;
  std::memset(&attr, 0, sizeof attr);
  attr.size = sizeof attr;
  attr.type = type;
  attr.config = config;
  attr.disabled = group_fd == -1 ? 1 : 0;
  attr.exclude_kernel = 1;  // user-space work only: allowed at perf_event_paranoid 2
  attr.exclude_hv = 1;
  attr.read_format = PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING;
  return static_cast<int>(syscall(SYS_perf_event_open, &attr, tid, -1, group_fd, 0));
}

std::uint32_t type_of(const perf_event_code& c) {
  if (c.type == "raw") return PERF_TYPE_RAW;
  if (c.type == "hardware") return PERF_TYPE_HARDWARE;
  return PERF_TYPE_SOFTWARE;
}

std::string read_text(const char* path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<pid_t> threads_of_this_process() {
  std::vector<pid_t> out;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator("/proc/self/task", ec))
    out.push_back(static_cast<pid_t>(std::stol(e.path().filename().string())));
  if (out.empty()) out.push_back(0);
  return out;
}

struct fd_closer {
  std::vector<int> fds;
  ~fd_closer() {
    for (int fd : fds) close(fd);
  }
};

class perf_event_backend final : public counter_backend {
 public:
  std::string name() const override { return "perf_event"; }

  std::vector<std::string> device_ids() override {
    // Probe with the most basic hardware event before anything else: no PMU is the common case
    // on VMs and must produce one clear message.
    const int fd = open_event(PERF_TYPE_HARDWARE, PERF_COUNT_HW_INSTRUCTIONS, 0, -1);
    if (fd < 0) {
      const int err = errno;
      if (err == EACCES || err == EPERM) {
        const std::string paranoid = read_text("/proc/sys/kernel/perf_event_paranoid");
        throw counters_unavailable(fmt::format(
            "perf_event: not permitted to open hardware counters (perf_event_paranoid = {}): "
            "`sysctl kernel.perf_event_paranoid=2` allows user-space counting, or grant "
            "CAP_PERFMON; using the analytic model",
            paranoid.empty() ? "?" : paranoid.substr(0, paranoid.find('\n'))));
      }
      const bool cpu_pmu = std::filesystem::exists("/sys/bus/event_source/devices/cpu");
      throw counters_unavailable(fmt::format(
          "perf_event: no hardware PMU on this machine (perf_event_open(instructions): {}{}): "
          "using the analytic model",
          std::strerror(err), cpu_pmu ? "" : "; /sys/bus/event_source/devices/cpu is absent"));
    }
    close(fd);
    // "vendor_id : GenuineIntel", "cpu family : 6", "model : 143" -> "GenuineIntel:6:143".
    std::ifstream in("/proc/cpuinfo");
    std::string line, vendor, family, model;
    while (std::getline(in, line) && (vendor.empty() || family.empty() || model.empty())) {
      const auto colon = line.find(':');
      if (colon == std::string::npos) continue;
      std::string key = line.substr(0, colon);
      key.erase(key.find_last_not_of(" \t") + 1);
      std::string value = colon + 2 <= line.size() ? line.substr(colon + 2) : "";
      if (key == "vendor_id") vendor = value;
      if (key == "cpu family") family = value;
      if (key == "model") model = value;
    }
    if (vendor.empty() || family.empty())
      throw counters_unavailable("perf_event: cannot identify the CPU from /proc/cpuinfo; using "
                                 "the analytic model");
    return {vendor + ":" + family + ":" + model, vendor + ":" + family};
  }

  counter_values collect(workload& w, const metric_file& file,
                         const std::vector<std::string>& counters) override {
    counter_values out;
    out.replay = "user";
    for (std::size_t first = 0; first < counters.size(); first += group_limit) {
      const std::size_t last = std::min(counters.size(), first + group_limit);
      fd_closer fds;
      std::vector<int> leaders;
      // fds.fds layout: per thread, (last - first) descriptors in counter order.
      for (const pid_t tid : threads_of_this_process()) {
        int leader = -1;
        for (std::size_t i = first; i < last; ++i) {
          const counter_decl* d = file.find_counter(counters[i]);
          if (!d || !d->perf_event)
            throw counters_unavailable(fmt::format(
                "perf_event: {} has no perf_event code for {}", file.path, counters[i]));
          const int fd = open_event(type_of(*d->perf_event), d->perf_event->config, tid, leader);
          if (fd < 0) {
            if (errno == ESRCH) break;  // the thread ended meanwhile
            throw counters_unavailable(fmt::format(
                "perf_event: cannot open {} ({} 0x{:x}) on thread {}: {}; using the analytic "
                "model",
                counters[i], d->perf_event->type, d->perf_event->config, tid,
                std::strerror(errno)));
          }
          if (leader == -1) {
            leader = fd;
            leaders.push_back(fd);
          }
          fds.fds.push_back(fd);
        }
        if (fds.fds.size() % (last - first) != 0)  // a thread that ended mid-group
          throw counters_unavailable("perf_event: a thread ended while its counters were opened");
      }
      for (int l : leaders) {
        ioctl(l, PERF_EVENT_IOC_RESET, PERF_IOC_FLAG_GROUP);
        ioctl(l, PERF_EVENT_IOC_ENABLE, PERF_IOC_FLAG_GROUP);
      }
      w.launch(0);
      w.fence();
      for (int l : leaders) ioctl(l, PERF_EVENT_IOC_DISABLE, PERF_IOC_FLAG_GROUP);
      ++out.passes;
      for (std::size_t k = 0; k < fds.fds.size(); ++k) {
        std::uint64_t v[3] = {0, 0, 0};  // value, time enabled, time running
        if (read(fds.fds[k], v, sizeof v) != static_cast<ssize_t>(sizeof v))
          throw counters_unavailable(
              fmt::format("perf_event: reading a counter failed: {}", std::strerror(errno)));
        if (v[1] > 0 && v[2] < v[1])
          throw counters_unavailable(fmt::format(
              "perf_event: {} was multiplexed ({}% of the time counted): another tool holds "
              "counters; using the analytic model",
              counters[first + k % (last - first)], 100 * v[2] / v[1]));
        out.values[counters[first + k % (last - first)]] += static_cast<double>(v[0]);
      }
    }
    return out;
  }
};

#endif

}  // namespace

std::unique_ptr<counter_backend> make_perf_event_backend() {
#if defined(__linux__)
  return std::make_unique<perf_event_backend>();
#else
  return nullptr;
#endif
}

}  // namespace ridgeline::profiler::counters
