#include "profiler/counters/rocprof_command.hpp"

#include <filesystem>
#include <system_error>

#if defined(__unix__)
#include <unistd.h>
#endif

namespace ridgeline::profiler::counters {

std::vector<std::string> rocprof_argv(const rocprof_invocation& inv) {
  std::vector<std::string> argv{inv.tool, "--pmc"};
  argv.insert(argv.end(), inv.counters.begin(), inv.counters.end());
  // rocpd (SQLite) is the default format of ROCm >= 7: ask for a text format explicitly.
  argv.insert(argv.end(),
              {"--output-format", inv.output_format, "-d", inv.output_dir, "-o", inv.output_name});
  if (!inv.kernel_regex.empty())
    argv.insert(argv.end(), {"--kernel-include-regex", inv.kernel_regex});
  argv.push_back("--");
  argv.push_back(inv.executable);
  argv.insert(argv.end(), inv.replay_args.begin(), inv.replay_args.end());
  argv.insert(argv.end(), {counter_replay_option, std::to_string(inv.launches)});
  return argv;
}

std::vector<std::string> replay_arguments(const replay_spec& r) {
  std::vector<std::string> args{"run",     r.kernel, "--variant", r.variant,
                                "--dtype", r.dtype,  "--problem", r.problem};
  if (!r.params.empty()) args.insert(args.end(), {"--params", r.params});
  if (!r.backend.empty()) args.insert(args.end(), {"--backend", r.backend});
  args.insert(args.end(), {"--seed", std::to_string(r.seed), "--counters", "none"});
  return args;
}

std::string find_on_path(const std::string& name, const std::string& path) {
  namespace fs = std::filesystem;
  if (name.empty()) return "";
  auto runnable = [](const fs::path& p) {
    std::error_code ec;
    if (!fs::is_regular_file(p, ec)) return false;
#if defined(__unix__)
    return ::access(p.c_str(), X_OK) == 0;
#else
    return true;
#endif
  };
  if (name.find('/') != std::string::npos) return runnable(name) ? name : "";
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t end = std::min(path.find(':', start), path.size());
    // An empty PATH entry means the current directory (POSIX).
    const std::string dir = end > start ? path.substr(start, end - start) : ".";
    const fs::path candidate = fs::path(dir) / name;
    if (runnable(candidate)) return candidate.string();
    start = end + 1;
  }
  return "";
}

std::string self_executable() {
  std::error_code ec;
  const auto p = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? "" : p.string();
}

}  // namespace ridgeline::profiler::counters
