#include "profiler/counters/rocprof_process.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <stdexcept>

#if defined(__unix__)
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>
extern char** environ;
#endif

namespace ridgeline::profiler::counters {

#if defined(__unix__)

namespace {

// Closes a descriptor once, whatever path leaves the function.
struct fd_guard {
  int fd = -1;
  ~fd_guard() { reset(); }
  void reset() {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
};

void keep_tail(std::string& out, const char* data, std::size_t n, std::size_t limit) {
  out.append(data, n);
  if (out.size() > limit) out.erase(0, out.size() - limit);
}

}  // namespace

process_result run_process(const std::vector<std::string>& argv, double timeout_s,
                           std::size_t output_limit) {
  if (argv.empty()) throw std::invalid_argument("run_process: empty argument vector");
  process_result r;
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    r.error = fmt::format("pipe: {}", std::strerror(errno));
    return r;
  }
  fd_guard read_end{fds[0]};
  fd_guard write_end{fds[1]};

  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;
  posix_spawn_file_actions_init(&actions);
  posix_spawnattr_init(&attr);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, write_end.fd, 1);
  posix_spawn_file_actions_adddup2(&actions, write_end.fd, 2);
  // Its own process group (pgid = its pid): the timeout kills the whole tree.
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attr, 0);

  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  // posix_spawnp: a tool name without '/' is looked up on PATH like a shell would, without one.
  const int rc = ::posix_spawnp(&pid, args[0], &actions, &attr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  write_end.reset();  // the child holds its copies; EOF arrives when it (and its children) exit
  if (rc != 0) {
    r.error = fmt::format("{}: {}", argv[0], std::strerror(rc));
    return r;
  }
  r.started = true;

  using clock = std::chrono::steady_clock;
  const auto deadline = clock::now() + std::chrono::duration<double>(timeout_s);
  char buf[4096];
  bool open = true;
  while (open) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now());
    if (left.count() <= 0) {
      r.timed_out = true;
      break;
    }
    pollfd p{read_end.fd, POLLIN, 0};
    const int n = ::poll(&p, 1, static_cast<int>(std::min<long long>(left.count(), 1000)));
    if (n < 0 && errno != EINTR) {  // cannot watch it any more: stop it rather than wait unbounded
      ::kill(-pid, SIGKILL);
      break;
    }
    if (n <= 0) continue;
    const ssize_t got = ::read(read_end.fd, buf, sizeof buf);
    if (got > 0) {
      keep_tail(r.output, buf, static_cast<std::size_t>(got), output_limit);
    } else if (got == 0 || errno != EINTR) {
      open = false;  // EOF: every writer (the tool and what it started) closed its end
    }
  }
  if (r.timed_out) ::kill(-pid, SIGKILL);

  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status) && !r.timed_out) r.signal = WTERMSIG(status);
  return r;
}

#else

process_result run_process(const std::vector<std::string>& argv, double, std::size_t) {
  if (argv.empty()) throw std::invalid_argument("run_process: empty argument vector");
  process_result r;
  r.error = "running a profiler as a child process is implemented for POSIX systems only";
  return r;
}

#endif

std::string describe_ending(const process_result& r, double timeout_s) {
  if (!r.started) return fmt::format("could not start: {}", r.error);
  if (r.timed_out) return fmt::format("timed out after {:g} s", timeout_s);
  if (r.signal != 0) {
#if defined(__unix__)
    return fmt::format("killed by signal {} ({})", r.signal, ::strsignal(r.signal));
#else
    return fmt::format("killed by signal {}", r.signal);
#endif
  }
  return fmt::format("exit status {}", r.exit_code);
}

}  // namespace ridgeline::profiler::counters
