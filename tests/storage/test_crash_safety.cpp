// kill -9 in the middle of a series of writes (PRODUCT.md: every write is a transaction; readers
// never see half a run). A forked child writes and reports each id on a pipe only after its
// commit returned; the parent kills it at a varying point, reopens the file and checks that it is
// intact, that every reported row is there, and that no half-written run is visible.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <map>
#include <set>
#include <vector>

#include "storage/database.hpp"
#include "storage/run_writer.hpp"
#include "tests/profiler/sample_measurement.hpp"
#include "tests/storage/storage_test_support.hpp"

namespace ridgeline::storage {
namespace {

// Writes are 8 bytes, below PIPE_BUF, so each arrives whole.
void report(int fd, std::int64_t id) {
  if (write(fd, &id, sizeof id) != sizeof id) _exit(4);
}

// Reads ids until `wanted` have arrived or the writer closed the pipe.
std::vector<std::int64_t> read_ids(int fd, std::size_t wanted) {
  std::vector<std::int64_t> ids;
  std::int64_t id = 0;
  while (ids.size() < wanted && read(fd, &id, sizeof id) == sizeof id) ids.push_back(id);
  return ids;
}

// Forks `child(fd)`, which must never return normally; returns the child's pid and the read end.
template <class F>
std::pair<pid_t, int> spawn(F child) {
  int fds[2];
  if (pipe(fds) != 0) throw std::runtime_error("pipe");
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork");
  if (pid == 0) {
    close(fds[0]);
    try {
      child(fds[1]);
    } catch (...) {
      _exit(3);
    }
    _exit(0);  // _exit: no gtest teardown, no destructors of the parent's objects
  }
  close(fds[1]);
  return {pid, fds[0]};
}

void kill_and_reap(pid_t pid) {
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  // Killed, or (never expected) finished every write first: either way the checks hold.
  EXPECT_TRUE(WIFSIGNALED(status) || (WIFEXITED(status) && WEXITSTATUS(status) == 0)) << status;
}

TEST(CrashSafety, KilledSeriesKeepsEveryCommittedMeasurement) {
  test::temp_dir dir;
  const std::string path = dir.file("crash.sqlite");
  // One complete run first: it must stay exactly as it was.
  database::open(path).record(test::sample_device(), {profiler::test::sample_measurement()},
                              {"before"});

  std::set<std::int64_t> killed_runs;
  for (std::size_t kill_after : {1u, 7u, 23u}) {
    auto [pid, fd] = spawn([&](int out) {
      database db = database::open(path);
      run_writer w(db, test::sample_device(), {"ridgeline tune gemm"});
      report(out, w.run_id());
      profiler::measurement m = profiler::test::sample_measurement();
      for (int i = 0; i < 100000; ++i) {
        m.params = {{"i", std::to_string(i)}};
        report(out, w.add(m));  // reported only once committed
      }
      w.finish();
    });
    const auto header = read_ids(fd, 1);
    ASSERT_EQ(header.size(), 1u);
    const std::int64_t run = header[0];
    auto committed = read_ids(fd, kill_after);
    kill_and_reap(pid);
    for (auto id : read_ids(fd, 1u << 20)) committed.push_back(id);  // sent before it died
    close(fd);
    ASSERT_GE(committed.size(), kill_after);
    killed_runs.insert(run);

    database db = database::open(path);
    EXPECT_EQ(db.integrity_check(), "ok");
    measurement_filter of_run;
    of_run.run_id = run;
    of_run.include_unfinished = true;
    std::set<std::int64_t> present;
    for (const auto& row : db.stored_measurements(of_run)) present.insert(row.id);
    for (auto id : committed) EXPECT_TRUE(present.count(id)) << "committed id " << id << " lost";
    // At most one more: committed just before the kill, not yet reported.
    EXPECT_LE(present.size(), committed.size() + 1);
  }

  database db = database::open(path);
  EXPECT_EQ(db.integrity_check(), "ok");
  // Readers see the complete run only: none of the killed runs' rows.
  const auto visible = db.stored_measurements();
  ASSERT_EQ(visible.size(), 1u);
  EXPECT_EQ(db.runs().at(0).command, "before");
  for (const auto& r : db.runs()) {
    if (killed_runs.count(r.id)) {
      EXPECT_EQ(r.status, run_status::running) << r.id;
    }
  }
}

TEST(CrashSafety, KilledBatchWriterLeavesOnlyWholeRuns) {
  // record() writes a run of many rows in one transaction: a kill leaves all of it or none.
  constexpr std::size_t batch = 50;
  test::temp_dir dir;
  const std::string path = dir.file("batches.sqlite");
  database::open(path);
  auto [pid, fd] = spawn([&](int out) {
    database db = database::open(path);
    const std::vector<profiler::measurement> ms(batch, profiler::test::sample_measurement());
    for (int i = 0; i < 100000; ++i) report(out, db.record(test::sample_device(), ms, {"run"}));
  });
  auto committed = read_ids(fd, 5);
  kill_and_reap(pid);
  for (auto id : read_ids(fd, 1u << 20)) committed.push_back(id);
  close(fd);
  ASSERT_GE(committed.size(), 5u);

  database db = database::open(path);
  EXPECT_EQ(db.integrity_check(), "ok");
  measurement_filter everything;
  everything.include_unfinished = true;
  std::map<std::int64_t, std::size_t> rows_per_run;
  for (const auto& row : db.stored_measurements(everything)) ++rows_per_run[row.run_id];
  for (auto id : committed) EXPECT_EQ(rows_per_run[id], batch) << "run " << id;
  for (const auto& [run, rows] : rows_per_run) EXPECT_EQ(rows, batch) << "partial run " << run;
  EXPECT_LE(rows_per_run.size(), committed.size() + 1);
}

}  // namespace
}  // namespace ridgeline::storage
