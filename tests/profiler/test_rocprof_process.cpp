// Child processes without a shell, with a time limit (profiler/counters/rocprof_process.cpp).
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <thread>

#include "profiler/counters/rocprof_process.hpp"
#include "tests/profiler/test_rocprof_helpers.hpp"

namespace ridgeline::profiler::counters {
namespace {

using testing::read_file;
using testing::temp_dir;
using testing::write_file;

TEST(RocprofProcess, ArgumentsArriveVerbatim) {
  temp_dir dir;
  const std::string script = dir / "echo args";
  write_file(script, "#!/bin/sh\nprintf '[%s]\\n' \"$@\"\necho to-stderr >&2\n", true);
  const auto r = run_process({script, "a b", "it's", "$HOME", "*", ""}, 10);
  ASSERT_TRUE(r.ok()) << describe_ending(r, 10) << r.output;
  EXPECT_EQ(r.output, "[a b]\n[it's]\n[$HOME]\n[*]\n[]\nto-stderr\n");
}

TEST(RocprofProcess, ExitStatusAndSignal) {
  temp_dir dir;
  write_file(dir / "fail", "#!/bin/sh\necho boom\nexit 3\n", true);
  auto r = run_process({dir / "fail"}, 10);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(describe_ending(r, 10), "exit status 3");
  write_file(dir / "abort", "#!/bin/sh\nkill -ABRT $$\n", true);
  r = run_process({dir / "abort"}, 10);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.signal, SIGABRT);
  EXPECT_NE(describe_ending(r, 10).find("killed by signal 6"), std::string::npos);
}

TEST(RocprofProcess, MissingProgramDoesNotStart) {
  const auto r = run_process({"/nonexistent/rocprofv3"}, 10);
  EXPECT_FALSE(r.started);
  EXPECT_NE(describe_ending(r, 10).find("could not start: /nonexistent/rocprofv3"),
            std::string::npos);
}

TEST(RocprofProcess, TimeoutKillsTheWholeProcessGroup) {
  temp_dir dir;
  // The tool starts a child of its own (as rocprofv3 starts the application) and hangs.
  write_file(dir / "hang", "#!/bin/sh\nsleep 60 &\necho $! > \"$1\"\nwait\n", true);
  const auto start = std::chrono::steady_clock::now();
  const auto r = run_process({dir / "hang", dir / "pid"}, 1);
  const double took =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_TRUE(r.timed_out);
  EXPECT_FALSE(r.ok());
  EXPECT_LT(took, 10);
  EXPECT_EQ(describe_ending(r, 1), "timed out after 1 s");
  const pid_t grandchild = std::stoi(read_file(dir / "pid"));
  bool gone = false;  // killed; once its new parent reaps it, the pid is gone
  for (int i = 0; i < 50 && !gone; ++i) {
    const std::string stat = read_file("/proc/" + std::to_string(grandchild) + "/stat");
    gone = stat.empty() || stat.find(") Z") != std::string::npos;
    if (!gone) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_TRUE(gone) << "the profiler's child outlived the timeout";
}

TEST(RocprofProcess, OutputKeepsItsTail) {
  temp_dir dir;
  write_file(dir / "loud",
             "#!/bin/sh\ni=0\nwhile [ $i -lt 2000 ]; do echo line$i; i=$((i+1)); done\n", true);
  const auto r = run_process({dir / "loud"}, 10, 64);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.output.size(), 64u);
  EXPECT_EQ(r.output.substr(r.output.size() - 9), "line1999\n");
}

}  // namespace
}  // namespace ridgeline::profiler::counters
