#include "nightly/slurm_job.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <regex>

#include "core/error.hpp"
#include "nightly/report_text.hpp"

namespace ridgeline::nightly {

namespace {

// Stands for the array job id while the commands are written into submit.sh (made of characters
// shell_quote leaves alone, so it survives quoting and is replaced afterwards).
constexpr const char* array_placeholder = "@RIDGELINE_ARRAY_ID@";

std::string joined(const std::string& dir, const std::string& name) {
  return dir.empty() || dir.back() == '/' ? dir + name : dir + "/" + name;
}

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (std::size_t at = text.find(from); at != std::string::npos;
       at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

// `ridgeline GLOBAL... --db DB VERB ARGS...` as one shell line.
std::string ridgeline_call(const slurm_options& o, const std::string& db,
                           const std::vector<std::string>& verb_args) {
  std::vector<std::string> argv{o.ridgeline};
  argv.insert(argv.end(), o.global_args.begin(), o.global_args.end());
  argv.push_back("--db");
  argv.push_back(db);
  argv.insert(argv.end(), verb_args.begin(), verb_args.end());
  return shell_command(argv);
}

std::string bash_array(const std::vector<std::string>& words) {
  std::string out = "(";
  for (std::size_t i = 0; i < words.size(); ++i) out += (i ? " " : "") + shell_quote(words[i]);
  return out + ")";
}

std::string array_script(const job& j, const slurm_options& o, const slurm_plan& p,
                         const std::string& longest_time) {
  std::vector<std::string> names, partitions;
  for (const auto& t : p.types) {
    names.push_back(t.name);
    partitions.push_back(t.partition);
  }
  std::string s = "#!/bin/bash\n";
  s += fmt::format("#SBATCH --job-name={}\n", shell_quote("ridgeline-nightly-" + j.name));
  s += fmt::format("#SBATCH --array=0-{}\n", p.types.size() - 1);
  // Where the held array waits (sbatch needs a partition where a site has no default); every task
  // is moved to its own type's partition before it is released.
  s += fmt::format("#SBATCH --partition={}\n", shell_quote(p.types.front().partition));
  s += fmt::format("#SBATCH --output={}\n", shell_quote(joined(p.log_dir, "nightly-%A_%a.out")));
  if (!longest_time.empty()) s += fmt::format("#SBATCH --time={}\n", longest_time);
  s += fmt::format(
      "# Written by `ridgeline nightly {} --slurm` (docs/nightly-slurm.md): task i runs the job\n"
      "# on hardware type i into its own database. A job array shares one set of options, so this\n"
      "# script is submitted held and each task is moved to its type's partition, constraint and\n"
      "# gres before release: run {} (or `ridgeline nightly JOB --slurm --submit`), not sbatch\n"
      "# alone. Exit code of a task: 0 pass, 3 regression, 1 failed checks or a broken run, 2 bad\n"
      "# job file; the merge job runs after every task whatever its code (afterany).\n",
      shell_quote(o.job_file), shell_quote(p.submit_script_path));
  s += "set -u\n";
  s += "types=" + bash_array(names) + "\n";
  s += "partitions=" + bash_array(partitions) + "\n";
  s += "databases=" + bash_array(p.databases) + "\n";
  s += "i=${SLURM_ARRAY_TASK_ID:?not a Slurm array task}\n";
  s += "if [ \"${SLURM_JOB_PARTITION:-}\" != \"${partitions[$i]}\" ]; then\n"
       "  echo \"ridgeline nightly: task $i (${types[$i]}) runs in partition "
       "'${SLURM_JOB_PARTITION:-}', not '${partitions[$i]}': the array was submitted without "
       "moving its tasks; use submit.sh\" >&2\n"
       "  exit 1\n"
       "fi\n";
  s += fmt::format("mkdir -p {} {}\n", shell_quote(joined(o.shared_dir, "db")),
                   shell_quote(p.report_dir));
  s += "echo \"ridgeline nightly: ${types[$i]} on $(hostname) (job ${SLURM_JOB_ID:-?})\" >&2\n";
  std::vector<std::string> argv{o.ridgeline};
  argv.insert(argv.end(), o.global_args.begin(), o.global_args.end());
  s += "exec " + shell_command(argv) + " --db \"${databases[$i]}\" nightly " +
       shell_quote(o.job_file) + " --hardware-type \"${types[$i]}\" --report-dir " +
       shell_quote(p.report_dir) + "\n";
  return s;
}

std::string merge_script(const job& j, const slurm_options& o, const slurm_plan& p) {
  std::vector<std::string> names;
  for (const auto& t : p.types) names.push_back(t.name);
  std::string s = "#!/bin/bash\n";
  s += fmt::format("#SBATCH --job-name={}\n", shell_quote("ridgeline-fleet-" + j.name));
  s += fmt::format("#SBATCH --output={}\n", shell_quote(joined(p.log_dir, "fleet-merge-%j.out")));
  // The first type's partition: one every user of this job may submit to. Only one CPU is asked.
  s += fmt::format("#SBATCH --partition={}\n", shell_quote(p.types.front().partition));
  s += fmt::format(
      "# Written by `ridgeline nightly {} --slurm` (docs/nightly-slurm.md): after every task of\n"
      "# the array (afterany), merges the per-type databases that exist into {} (idempotent) and\n"
      "# writes the fleet report into {}.\n",
      shell_quote(o.job_file), shell_quote(p.fleet_database), shell_quote(p.report_dir));
  s += "set -u\n";
  s += "types=" + bash_array(names) + "\n";
  s += "databases=" + bash_array(p.databases) + "\n";
  s += "found=()\n";
  s += "for i in \"${!types[@]}\"; do\n";
  s += "  if [ -f \"${databases[$i]}\" ]; then\n";
  s += "    found+=(\"${databases[$i]}\")\n";
  s += "  else\n";
  s += "    echo \"ridgeline fleet: no database for ${types[$i]} (${databases[$i]}): its task "
       "failed before opening one\" >&2\n";
  s += "  fi\n";
  s += "done\n";
  s += "[ ${#found[@]} -gt 0 ] || { echo \"ridgeline fleet: no database to merge\" >&2; exit 1; "
       "}\n";
  std::vector<std::string> merge{o.ridgeline};
  merge.insert(merge.end(), o.global_args.begin(), o.global_args.end());
  merge.push_back("merge");
  s += shell_command(merge) + " \"${found[@]}\" -o " + shell_quote(p.fleet_database) +
       " || exit 1\n";
  s += "exec " +
       ridgeline_call(o, p.fleet_database,
                      {"nightly", o.job_file, "--fleet-report", "--report-dir", p.report_dir}) +
       "\n";
  return s;
}

std::string submit_script(const slurm_plan& p) {
  std::string s =
      "#!/bin/bash\n"
      "# Written by `ridgeline nightly JOB --slurm` (docs/nightly-slurm.md): submits one night of\n"
      "# the fleet, what `--slurm --submit` does. The array is held until each task is moved to\n"
      "# its hardware type's nodes; the merge job waits for all tasks (afterany).\n"
      "set -euo pipefail\n";
  const auto line = [](const std::vector<std::string>& argv) {
    return replace_all(shell_command(argv), array_placeholder, "${array}");
  };
  s += "array=$(" + line(submit_array_command(p)) + ")\n";
  s += "array=${array%%;*}\n";
  s += "trap 'echo \"submit.sh: moving the tasks failed; array job $array cancelled\" >&2; " +
       line(cancel_command(array_placeholder)) + "' ERR\n";
  for (std::size_t i = 0; i < p.types.size(); ++i) {
    s += line(retarget_task_command(p, array_placeholder, i)) + "\n";
  }
  s += line(release_command(array_placeholder)) + "\n";
  s += "trap - ERR\n";
  s += "merge=$(" + line(submit_merge_command(p, array_placeholder)) + ")\n";
  s += "merge=${merge%%;*}\n";
  s += "echo \"array job $array (" + std::to_string(p.types.size()) +
       " tasks), merge job $merge\"\n";
  return s;
}

}  // namespace

std::string shell_quote(const std::string& word) {
  const bool safe = !word.empty() && std::all_of(word.begin(), word.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 ||
           std::string_view("_./:=@%+,-").find(c) != std::string_view::npos;
  });
  if (safe) return word;
  return "'" + replace_all(word, "'", "'\\''") + "'";
}

std::string shell_command(const std::vector<std::string>& argv) {
  std::string out;
  for (const auto& w : argv) out += (out.empty() ? "" : " ") + shell_quote(w);
  return out;
}

long slurm_time_minutes(const std::string& text, const std::string& field) {
  if (text == "UNLIMITED" || text == "INFINITE" || text == "unlimited" || text == "infinite") {
    return -1;
  }
  // [days-]hours[:minutes[:seconds]] with days, or minutes[:seconds] / hours:minutes:seconds.
  static const std::regex with_days(R"(^(\d+)-(\d+)(?::(\d+)(?::(\d+))?)?$)");
  static const std::regex without_days(R"(^(\d+)(?::(\d+)(?::(\d+))?)?$)");
  std::smatch m;
  const auto num = [&](int i) { return m[i].matched ? std::stol(m[i].str()) : 0L; };
  long seconds = 0;
  try {
    if (std::regex_match(text, m, with_days)) {
      seconds = ((num(1) * 24 + num(2)) * 60 + num(3)) * 60 + num(4);
    } else if (std::regex_match(text, m, without_days)) {
      if (m[3].matched) {
        seconds = (num(1) * 60 + num(2)) * 60 + num(3);  // hours:minutes:seconds
      } else {
        seconds = num(1) * 60 + num(2);  // minutes[:seconds]
      }
    } else {
      throw usage_error(fmt::format(
          "{}: '{}' is not a Slurm time (MINUTES, MM:SS, HH:MM:SS, D-HH[:MM[:SS]], UNLIMITED)",
          field, text));
    }
  } catch (const std::out_of_range&) {
    throw usage_error(fmt::format("{}: '{}' is out of range", field, text));
  }
  return (seconds + 59) / 60;
}

slurm_plan plan_slurm(const job& j, const slurm_options& o) {
  if (j.hardware_types.empty()) {
    throw usage_error(fmt::format(
        "{}: hardware_types: --slurm needs at least one hardware type (name, partition)", j.path));
  }
  slurm_plan p;
  p.types = j.hardware_types;
  p.fleet_database = joined(o.shared_dir, "fleet.sqlite");
  p.report_dir = joined(o.shared_dir, "reports");
  p.log_dir = joined(o.shared_dir, "logs");
  p.array_script_path = joined(o.shared_dir, "nightly-array.sbatch");
  p.merge_script_path = joined(o.shared_dir, "fleet-merge.sbatch");
  p.submit_script_path = joined(o.shared_dir, "submit.sh");

  std::map<std::string, std::string> by_file;  // database file name -> hardware type
  long longest = 0;                            // minutes; -1 unlimited
  std::string longest_text;
  for (std::size_t i = 0; i < p.types.size(); ++i) {
    const hardware_type_spec& t = p.types[i];
    const std::string field = fmt::format("{}: hardware_types[{}]", j.path, i);
    if (t.name.empty() || t.partition.empty()) {
      throw usage_error(field + ": name and partition are required for --slurm");
    }
    const std::string file = folder_name(t.name) + ".sqlite";
    const auto [it, fresh] = by_file.emplace(file, t.name);
    if (!fresh) {
      throw usage_error(fmt::format("{}.name: '{}' and '{}' would share the database db/{}", field,
                                    it->second, t.name, file));
    }
    p.databases.push_back(joined(joined(o.shared_dir, "db"), file));
    if (!t.time_limit.empty()) {
      const long minutes = slurm_time_minutes(t.time_limit, field + ".time_limit");
      if (longest >= 0 && (minutes < 0 || minutes > longest)) {
        longest = minutes;
        longest_text = t.time_limit;
      }
    }
  }
  p.array_script = array_script(j, o, p, longest_text);
  p.merge_script = merge_script(j, o, p);
  p.submit_script = submit_script(p);
  return p;
}

std::vector<std::string> submit_array_command(const slurm_plan& p) {
  return {"sbatch", "--parsable", "--hold", p.array_script_path};
}

std::vector<std::string> retarget_task_command(const slurm_plan& p, const std::string& array_id,
                                               std::size_t task) {
  const hardware_type_spec& t = p.types.at(task);
  std::vector<std::string> argv{"scontrol", "update", fmt::format("JobId={}_{}", array_id, task),
                                "Partition=" + t.partition};
  if (!t.constraint.empty()) argv.push_back("Features=" + t.constraint);
  if (!t.gres.empty()) argv.push_back("Gres=" + t.gres);
  if (!t.time_limit.empty()) argv.push_back("TimeLimit=" + t.time_limit);
  return argv;
}

std::vector<std::string> release_command(const std::string& array_id) {
  return {"scontrol", "release", array_id};
}

std::vector<std::string> cancel_command(const std::string& array_id) {
  return {"scancel", array_id};
}

std::vector<std::string> submit_merge_command(const slurm_plan& p, const std::string& array_id) {
  return {"sbatch", "--parsable", "--dependency=afterany:" + array_id, p.merge_script_path};
}

std::string parse_sbatch_parsable(const std::string& output) {
  static const std::regex id(R"(^\s*(\d+)(;[^\s]*)?\s*$)");
  std::smatch m;
  if (!std::regex_match(output, m, id)) {
    throw runtime_error(fmt::format("sbatch --parsable printed no job id: '{}'", output));
  }
  return m[1].str();
}

}  // namespace ridgeline::nightly
