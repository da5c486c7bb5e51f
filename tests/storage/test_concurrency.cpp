// Two processes writing one database at once lose nothing: the second writer waits on the write
// lock (busy_timeout) instead of failing. Both start together on a file that does not exist yet,
// so creating it and migrating it race too. A third process reads throughout and must never see
// part of a run.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <map>
#include <string>

#include "storage/database.hpp"
#include "storage/run_writer.hpp"
#include "tests/profiler/sample_measurement.hpp"
#include "tests/storage/storage_test_support.hpp"

namespace ridgeline::storage {
namespace {

constexpr int per_writer = 60;

// Blocks until the parent closes the start pipe, then runs `body`; the exit status says how it
// went (0 = fine). Never returns.
template <class F>
[[noreturn]] void child(int start_fd, F body) {
  char c;
  while (read(start_fd, &c, 1) > 0) {
  }
  int code = 0;
  try {
    code = body();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "child %d: %s\n", static_cast<int>(getpid()), e.what());
    code = 1;
  }
  _exit(code);
}

int writer(const std::string& path, bool one_run_per_row) {
  database db = database::open(path);
  profiler::measurement m = profiler::test::sample_measurement();
  if (one_run_per_row) {
    for (int i = 0; i < per_writer; ++i) db.record(test::sample_device(), {m}, {"record"});
  } else {
    run_writer w(db, test::sample_device(), {"series"});
    for (int i = 0; i < per_writer; ++i) w.add(m);
    w.finish();
  }
  return 0;
}

// Reads until both writers' rows are all visible; exit 2 on seeing part of a run.
int reader(const std::string& path) {
  // Opening races the writers' creation and migration of the file too.
  database db = database::open(path);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    std::map<std::int64_t, int> rows;
    for (const auto& r : db.stored_measurements()) ++rows[r.run_id];
    std::map<std::int64_t, std::string> command;  // read after: a run's command never changes
    for (const auto& r : db.runs()) command[r.id] = r.command;
    int total = 0;
    for (const auto& [run, n] : rows) {
      total += n;
      if (n != (command[run] == "series" ? per_writer : 1)) {
        std::fprintf(stderr, "reader saw %d rows of run %lld\n", n, static_cast<long long>(run));
        return 2;
      }
    }
    if (total == 2 * per_writer) return 0;
  }
  return 3;
}

TEST(Concurrency, TwoWritersLoseNothing) {
  test::temp_dir dir;
  const std::string path = dir.file("shared.sqlite");
  int start[2];
  ASSERT_EQ(pipe(start), 0);
  std::vector<pid_t> pids;
  for (int role = 0; role < 3; ++role) {
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      close(start[1]);
      child(start[0], [&] { return role == 2 ? reader(path) : writer(path, role == 0); });
    }
    pids.push_back(pid);
  }
  close(start[0]);
  close(start[1]);  // go
  // Writers first; if one failed, the reader would wait for rows that never come.
  bool writers_ok = true;
  for (pid_t pid : pids) {
    if (pid == pids[2] && !writers_ok) kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    const bool ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    EXPECT_TRUE(ok) << (pid == pids[2] ? "reader" : "writer") << " exit status " << status;
    if (pid != pids[2]) writers_ok = writers_ok && ok;
  }

  database db = database::open(path);
  EXPECT_EQ(db.integrity_check(), "ok");
  EXPECT_EQ(db.measurements().size(), 2u * per_writer);
  const auto runs = db.runs();
  EXPECT_EQ(runs.size(), per_writer + 1u);  // one per row from the first, one series
  for (const auto& r : runs) EXPECT_EQ(r.status, run_status::complete);
  EXPECT_EQ(db.device_id(test::sample_device()), 1);  // both upserted the same device
}

}  // namespace
}  // namespace ridgeline::storage
