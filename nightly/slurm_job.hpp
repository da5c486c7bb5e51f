#pragma once
// `ridgeline nightly JOB.yaml --slurm` (docs/nightly-slurm.md): a fleet's night as Slurm scripts.
// Pure: a job and where things go in, script texts and command lines out; the CLI writes the files
// and runs the commands.
//
// One job array, task i for hardware type i of the job file. A job array shares one set of sbatch
// options, so the array is submitted held and each task is then moved to its type's partition,
// --constraint (Features), --gres and --time with `scontrol update JobId=ARRAY_i` (which splits
// the task into its own record, still part of the array), and released. The final merge job
// depends on the whole array with afterany: a task that exits 3 (regression) or fails does not
// stop the merge, which takes whichever per-type databases exist.
//
// Layout under the shared folder DIR (storage every node sees):
//   DIR/nightly-array.sbatch, DIR/fleet-merge.sbatch, DIR/submit.sh (the commands, for cron)
//   DIR/db/<type>.sqlite     one database per hardware type, written by its task
//   DIR/fleet.sqlite         the merge of all of them
//   DIR/reports/<type>/...   each task's nightly report; DIR/reports/fleet.{html,md}: the fleet's
//   DIR/logs/                Slurm's output files
#include <cstddef>
#include <string>
#include <vector>

#include "nightly/job_file.hpp"

namespace ridgeline::nightly {

struct slurm_options {
  std::string ridgeline;   // absolute path of the binary the jobs run
  std::string job_file;    // absolute path of the job file
  std::string shared_dir;  // absolute
  // Global options put before the verb in every ridgeline call ("--catalog", "/site/devices").
  std::vector<std::string> global_args;
};

struct slurm_plan {
  std::vector<hardware_type_spec> types;  // task i runs types[i]
  std::vector<std::string> databases;     // DIR/db/<type>.sqlite, in task order
  std::string fleet_database;             // DIR/fleet.sqlite
  std::string report_dir;                 // DIR/reports
  std::string log_dir;                    // DIR/logs
  std::string array_script_path, merge_script_path, submit_script_path;
  std::string array_script, merge_script, submit_script;
};

// Throws ridgeline::usage_error naming the job file when it lists no hardware_types, when two
// names map to the same database file, or when a time_limit is not a Slurm time.
slurm_plan plan_slurm(const job& j, const slurm_options& o);

// The submission, one command (argv) per step, in order:
//   sbatch --parsable --hold ARRAY_SCRIPT                     -> the array job id
//   scontrol update JobId=<id>_<i> Partition=... [Features=...] [Gres=...] [TimeLimit=...]
//   scontrol release <id>
//   sbatch --parsable --dependency=afterany:<id> MERGE_SCRIPT  -> the merge job id
std::vector<std::string> submit_array_command(const slurm_plan& p);
std::vector<std::string> retarget_task_command(const slurm_plan& p, const std::string& array_id,
                                               std::size_t task);
std::vector<std::string> release_command(const std::string& array_id);
std::vector<std::string> cancel_command(const std::string& array_id);
std::vector<std::string> submit_merge_command(const slurm_plan& p, const std::string& array_id);

// The job id in `sbatch --parsable` output ("1234" or "1234;cluster", a newline after). Throws
// ridgeline::runtime_error quoting the output when it holds no id.
std::string parse_sbatch_parsable(const std::string& output);

// Slurm's --time formats ("90", "30:00", "4:00:00", "1-00:00:00", "2-12", "UNLIMITED") in
// minutes; -1 for unlimited. Throws ridgeline::usage_error naming `field` when malformed.
long slurm_time_minutes(const std::string& text, const std::string& field);

// One word for a POSIX shell: as is when it holds only safe characters, else single-quoted.
std::string shell_quote(const std::string& word);
std::string shell_command(const std::vector<std::string>& argv);

}  // namespace ridgeline::nightly
