// The Slurm scripts of a fleet's night (nightly/slurm_job.hpp): their text, the submission
// commands, and the scripts run for real under bash with a stand-in ridgeline and no Slurm.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "../support/expect_error.hpp"
#include "core/error.hpp"
#include "nightly/slurm_job.hpp"

namespace ridgeline::nightly {
namespace {

namespace fs = std::filesystem;
using ridgeline::test::expect_error;

struct temp_dir {
  fs::path path;
  temp_dir() {
    std::string pattern = (fs::temp_directory_path() / "ridgeline-slurm-XXXXXX").string();
    if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    path = pattern;
  }
  ~temp_dir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

job two_types() {
  job j;
  j.path = "/jobs/fleet.yaml";
  j.name = "fleet";
  j.hardware_types = {{"h100", "gpu", "", "gpu:h100:1", "04:00:00"},
                      {"cpu spr", "cpu", "sapphirerapids", "", "1-00:00:00"}};
  return j;
}

slurm_options options_in(const std::string& dir) {
  return {"/opt/ridgeline/bin/ridgeline", "/jobs/fleet.yaml", dir, {"--catalog", "/site/devices"}};
}

void write(const fs::path& p, const std::string& text) {
  std::ofstream(p) << text;
  fs::permissions(p, fs::perms::owner_all, fs::perm_options::add);
}

std::string read(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Runs `bash SCRIPT` with extra environment; returns the exit code.
int run_bash(const fs::path& script, const std::string& env) {
  const std::string command = env + " bash " + shell_quote(script.string()) + " 2>/dev/null";
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(SlurmJob, TheArrayHasOneTaskPerHardwareTypeAndRunsTheJobIntoItsOwnDatabase) {
  const slurm_plan p = plan_slurm(two_types(), options_in("/shared/night"));
  ASSERT_EQ(p.types.size(), 2u);
  EXPECT_EQ(p.databases[0], "/shared/night/db/h100.sqlite");
  EXPECT_EQ(p.databases[1], "/shared/night/db/cpu_spr.sqlite");  // a file name, not the label
  EXPECT_EQ(p.fleet_database, "/shared/night/fleet.sqlite");
  EXPECT_EQ(p.report_dir, "/shared/night/reports");
  EXPECT_EQ(p.array_script_path, "/shared/night/nightly-array.sbatch");

  const std::string& a = p.array_script;
  EXPECT_EQ(a.rfind("#!/bin/bash\n", 0), 0u);
  EXPECT_NE(a.find("#SBATCH --array=0-1\n"), std::string::npos);
  EXPECT_NE(a.find("#SBATCH --partition=gpu\n"), std::string::npos);
  EXPECT_NE(a.find("#SBATCH --output=/shared/night/logs/nightly-%A_%a.out\n"), std::string::npos);
  // The longest limit of the types: each task can only be lowered to its own afterwards.
  EXPECT_NE(a.find("#SBATCH --time=1-00:00:00\n"), std::string::npos);
  EXPECT_NE(a.find("types=(h100 'cpu spr')"), std::string::npos);
  EXPECT_NE(a.find("exec /opt/ridgeline/bin/ridgeline --catalog /site/devices --db "
                   "\"${databases[$i]}\" nightly /jobs/fleet.yaml --hardware-type \"${types[$i]}\" "
                   "--report-dir /shared/night/reports\n"),
            std::string::npos)
      << a;
}

TEST(SlurmJob, EachTaskIsMovedToItsTypesPartitionConstraintGresAndTime) {
  const slurm_plan p = plan_slurm(two_types(), options_in("/shared/night"));
  EXPECT_EQ(submit_array_command(p),
            (std::vector<std::string>{"sbatch", "--parsable", "--hold",
                                      "/shared/night/nightly-array.sbatch"}));
  EXPECT_EQ(retarget_task_command(p, "812", 0),
            (std::vector<std::string>{"scontrol", "update", "JobId=812_0", "Partition=gpu",
                                      "Gres=gpu:h100:1", "TimeLimit=04:00:00"}));
  EXPECT_EQ(retarget_task_command(p, "812", 1),
            (std::vector<std::string>{"scontrol", "update", "JobId=812_1", "Partition=cpu",
                                      "Features=sapphirerapids", "TimeLimit=1-00:00:00"}));
  EXPECT_EQ(release_command("812"), (std::vector<std::string>{"scontrol", "release", "812"}));
  // afterany: a task that exits 3 (regression) or fails does not stop the merge.
  EXPECT_EQ(submit_merge_command(p, "812"),
            (std::vector<std::string>{"sbatch", "--parsable", "--dependency=afterany:812",
                                      "/shared/night/fleet-merge.sbatch"}));
  const std::string& s = p.submit_script;
  EXPECT_NE(s.find("array=$(sbatch --parsable --hold /shared/night/nightly-array.sbatch)\n"),
            std::string::npos)
      << s;
  EXPECT_NE(s.find("scontrol update JobId=${array}_1 Partition=cpu Features=sapphirerapids"),
            std::string::npos)
      << s;
  EXPECT_NE(s.find("sbatch --parsable --dependency=afterany:${array} "
                   "/shared/night/fleet-merge.sbatch"),
            std::string::npos);
}

TEST(SlurmJob, TheMergeJobMergesThePerTypeDatabasesAndWritesTheFleetReport) {
  const slurm_plan p = plan_slurm(two_types(), options_in("/shared/night"));
  const std::string& m = p.merge_script;
  EXPECT_NE(m.find("/opt/ridgeline/bin/ridgeline --catalog /site/devices merge \"${found[@]}\" -o "
                   "/shared/night/fleet.sqlite || exit 1\n"),
            std::string::npos)
      << m;
  EXPECT_NE(m.find("exec /opt/ridgeline/bin/ridgeline --catalog /site/devices --db "
                   "/shared/night/fleet.sqlite nightly /jobs/fleet.yaml --fleet-report "
                   "--report-dir /shared/night/reports\n"),
            std::string::npos)
      << m;
}

TEST(SlurmJob, ScriptsRunUnderBashWithAStandInRidgeline) {
  temp_dir tmp;
  const fs::path fake = tmp.path / "fake-ridgeline";
  const fs::path calls = tmp.path / "calls.txt";
  write(fake,
        "#!/bin/bash\necho \"$*\" >> " + shell_quote(calls.string()) + "\nexit ${FAKE_EXIT:-0}\n");
  slurm_options o{fake.string(), "/jobs/fleet.yaml", (tmp.path / "shared dir").string(), {}};
  const slurm_plan p = plan_slurm(two_types(), o);
  fs::create_directories(o.shared_dir);
  write(p.array_script_path, p.array_script);
  write(p.merge_script_path, p.merge_script);

  // Task 1 in its partition runs the job as its hardware type; the exit code passes through.
  EXPECT_EQ(
      run_bash(p.array_script_path, "SLURM_ARRAY_TASK_ID=1 SLURM_JOB_PARTITION=cpu FAKE_EXIT=3"),
      3);
  EXPECT_EQ(read(calls), "--db " + o.shared_dir +
                             "/db/cpu_spr.sqlite nightly /jobs/fleet.yaml "
                             "--hardware-type cpu spr --report-dir " +
                             o.shared_dir + "/reports\n");
  EXPECT_TRUE(fs::is_directory(o.shared_dir + "/db"));
  // A task that was not moved to its partition refuses to run as the wrong hardware type.
  fs::remove(calls);
  EXPECT_EQ(run_bash(p.array_script_path, "SLURM_ARRAY_TASK_ID=1 SLURM_JOB_PARTITION=gpu"), 1);
  EXPECT_FALSE(fs::exists(calls));

  // The merge takes the databases that exist; with none it fails without calling ridgeline.
  EXPECT_EQ(run_bash(p.merge_script_path, ""), 1);
  EXPECT_FALSE(fs::exists(calls));
  write(p.databases[1], "");
  EXPECT_EQ(run_bash(p.merge_script_path, ""), 0);
  EXPECT_EQ(read(calls), "merge " + p.databases[1] + " -o " + p.fleet_database + "\n--db " +
                             p.fleet_database +
                             " nightly /jobs/fleet.yaml --fleet-report "
                             "--report-dir " +
                             p.report_dir + "\n");
}

TEST(SlurmJob, AJobWithoutHardwareTypesOrWithCollidingNamesIsRefused) {
  job j = two_types();
  j.hardware_types.clear();
  expect_error<usage_error>([&] { plan_slurm(j, options_in("/s")); },
                            {"/jobs/fleet.yaml", "hardware_types", "--slurm"});
  j = two_types();
  j.hardware_types[1].name = "h100";  // the same file
  expect_error<usage_error>([&] { plan_slurm(j, options_in("/s")); },
                            {"hardware_types[1]", "db/h100.sqlite"});
  j = two_types();
  j.hardware_types[0].time_limit = "4 hours";
  expect_error<usage_error>([&] { plan_slurm(j, options_in("/s")); },
                            {"hardware_types[0].time_limit", "4 hours"});
}

TEST(SlurmJob, SbatchParsableOutputAndSlurmTimes) {
  EXPECT_EQ(parse_sbatch_parsable("1234\n"), "1234");
  EXPECT_EQ(parse_sbatch_parsable("1234;cluster\n"), "1234");
  expect_error<runtime_error>([] { parse_sbatch_parsable(""); }, {"no job id"});
  expect_error<runtime_error>([] { parse_sbatch_parsable("sbatch: error: x\n"); },
                              {"sbatch: error: x"});
  EXPECT_EQ(slurm_time_minutes("90", "t"), 90);
  EXPECT_EQ(slurm_time_minutes("30:30", "t"), 31);
  EXPECT_EQ(slurm_time_minutes("4:00:00", "t"), 240);
  EXPECT_EQ(slurm_time_minutes("2-12", "t"), 3600);
  EXPECT_EQ(slurm_time_minutes("1-00:30", "t"), 1470);
  EXPECT_EQ(slurm_time_minutes("UNLIMITED", "t"), -1);
}

TEST(SlurmJob, ShellQuoting) {
  EXPECT_EQ(shell_quote("/a/b-c_d.e=f:g,h%i+j@k"), "/a/b-c_d.e=f:g,h%i+j@k");
  EXPECT_EQ(shell_quote("a b"), "'a b'");
  EXPECT_EQ(shell_quote("it's"), "'it'\\''s'");
  EXPECT_EQ(shell_quote("$HOME"), "'$HOME'");
  EXPECT_EQ(shell_quote(""), "''");
}

}  // namespace
}  // namespace ridgeline::nightly
