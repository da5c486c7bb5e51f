#include "storage/detail/live_process.hpp"

#include <signal.h>
#include <unistd.h>

#include <array>
#include <cerrno>

namespace ridgeline::storage::detail {

std::string host_name() {
  std::array<char, 256> name{};
  if (gethostname(name.data(), name.size() - 1) != 0) return "unknown";
  return name.data();
}

bool written_by_live_process_here(run_status status, const std::string& host, std::int64_t pid) {
  if (status != run_status::running || host != host_name()) return false;
  if (pid == static_cast<std::int64_t>(getpid())) return false;
  // EPERM: the process exists but belongs to another user.
  return kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
}

}  // namespace ridgeline::storage::detail
