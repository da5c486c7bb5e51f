// `ridgeline nightly JOB.yaml`: the job run on this machine (nightly/runner.hpp), progress on
// stderr, a summary (or `ridgeline.nightly/1` JSON) on stdout, and the exit code scripts act on:
// 0 pass, 3 regression, 1 a failed check or a broken environment, 2 a bad job file or option.
// Fleets (docs/nightly-slurm.md): `--slurm [--submit]` writes (and submits) the Slurm job array
// and merge job of nightly/slurm_job.hpp; `--fleet-report` writes nightly/fleet_report.hpp's page
// from a merged database. Neither starts Kokkos.
#include <fmt/format.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/data_sources.hpp"
#include "cli/exit_codes.hpp"
#include "cli/verbs.hpp"
#include "core/error.hpp"
#include "kernels/runtime.hpp"
#include "nightly/fleet_report.hpp"
#include "nightly/job_file.hpp"
#include "nightly/report_text.hpp"
#include "nightly/runner.hpp"
#include "nightly/slurm_job.hpp"

extern char** environ;

namespace ridgeline::cli {

namespace {

nlohmann::ordered_json to_json(const nightly::nightly_outcome& out) {
  nlohmann::ordered_json j;
  j["schema"] = "ridgeline.nightly/1";
  j["run_id"] = out.run_id;
  j["resumed"] = out.resumed;
  j["hardware_type"] = out.hardware_type;
  j["verdict"] = storage::to_string(out.verdict);
  j["flags"] = nlohmann::ordered_json::array();
  for (const auto& f : out.flags) {
    j["flags"].push_back({{"case", f.entry_key},
                          {"test", f.test},
                          {"effect", f.effect},
                          {"p_value", f.p_value ? nlohmann::ordered_json(*f.p_value) : nullptr},
                          {"compared", nlohmann::ordered_json::parse(f.compared_json)},
                          {"message", f.message}});
  }
  j["cases"] = nlohmann::ordered_json::array();
  for (const auto& c : out.cases) {
    auto median = [](const std::optional<profiler::measurement>& m) -> nlohmann::ordered_json {
      if (!m || m->outcome != profiler::status::ok || !m->timing) return nullptr;
      return m->timing->summary.median;
    };
    j["cases"].push_back(
        {{"case", c.entry.entry_key},
         {"checks_passed", c.entry.checks_passed},
         {"note", c.entry.note},
         {"committed_before", c.committed_before},
         {"tuning_run_id",
          c.entry.tuning_run_id ? nlohmann::ordered_json(*c.entry.tuning_run_id) : nullptr},
         {"best_params", c.best ? c.best->params_text() : ""},
         {"best_time_median_s", median(c.best)},
         {"default_time_median_s", median(c.default_config)},
         {"previous_best_time_median_s", median(c.previous_best)}});
  }
  j["report_html"] = out.report_html;
  j["report_markdown"] = out.report_markdown;
  return j;
}

namespace fs = std::filesystem;

// A Slurm command run with its stdout captured (stderr passes through to ours).
struct command_result {
  int exit_code = 0;
  std::string out;
};

command_result run_command(const std::vector<std::string>& argv) {
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) throw runtime_error("nightly --slurm: pipe() failed");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, pipe_fds[0]);
  posix_spawn_file_actions_addclose(&actions, pipe_fds[1]);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  const int spawned = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(pipe_fds[1]);
  command_result r;
  if (spawned == 0) {
    char buffer[4096];
    for (ssize_t n; (n = read(pipe_fds[0], buffer, sizeof buffer)) > 0;) r.out.append(buffer, n);
  }
  close(pipe_fds[0]);
  if (spawned != 0) {
    throw runtime_error(fmt::format("nightly --slurm: cannot run {}: {} (is Slurm installed?)",
                                    argv.front(), std::strerror(spawned)));
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return r;
}

command_result run_or_throw(const std::vector<std::string>& argv) {
  command_result r = run_command(argv);
  if (r.exit_code != 0) {
    throw runtime_error(fmt::format("nightly --slurm: `{}` exited with {}{}",
                                    nightly::shell_command(argv), r.exit_code,
                                    r.out.empty() ? "" : ": " + r.out));
  }
  return r;
}

std::string absolute_path(const std::string& path) {
  return fs::absolute(fs::path(path)).lexically_normal().string();
}

int run_slurm(const global_options& g, const nightly_options& o, const nightly::job& j) {
  nightly::slurm_options so;
  std::error_code ec;
  so.ridgeline = fs::read_symlink("/proc/self/exe", ec).string();
  if (ec) throw runtime_error("nightly --slurm: cannot read /proc/self/exe: " + ec.message());
  so.job_file = absolute_path(o.job);
  const std::string dir = !o.shared_dir.empty() ? o.shared_dir : j.report_dir;
  if (dir.empty()) {
    throw usage_error(fmt::format(
        "nightly --slurm: {} has no report folder; give --shared-dir DIR (storage every node "
        "sees)",
        o.job));
  }
  so.shared_dir = absolute_path(dir);
  if (!g.catalog.empty()) so.global_args = {"--catalog", absolute_path(g.catalog)};
  if (g.threads > 0) {
    so.global_args.push_back("--threads");
    so.global_args.push_back(std::to_string(g.threads));
  }
  const nightly::slurm_plan plan = nightly::plan_slurm(j, so);

  for (const std::string& d :
       {so.shared_dir, so.shared_dir + "/db", plan.report_dir, plan.log_dir}) {
    fs::create_directories(d, ec);
    if (ec)
      throw runtime_error(fmt::format("nightly --slurm: cannot create {}: {}", d, ec.message()));
  }
  for (const auto& [path, text] : {std::pair{plan.array_script_path, plan.array_script},
                                   std::pair{plan.merge_script_path, plan.merge_script},
                                   std::pair{plan.submit_script_path, plan.submit_script}}) {
    nightly::write_text_file(path, text);
    fs::permissions(path, fs::perms::owner_exec | fs::perms::group_exec | fs::perms::others_exec,
                    fs::perm_options::add, ec);
  }

  nlohmann::ordered_json js;
  js["schema"] = "ridgeline.nightly-slurm/1";
  js["array_script"] = plan.array_script_path;
  js["merge_script"] = plan.merge_script_path;
  js["submit_script"] = plan.submit_script_path;
  js["tasks"] = nlohmann::ordered_json::array();
  for (std::size_t i = 0; i < plan.types.size(); ++i) {
    js["tasks"].push_back({{"task", i},
                           {"hardware_type", plan.types[i].name},
                           {"partition", plan.types[i].partition},
                           {"database", plan.databases[i]}});
  }
  js["fleet_database"] = plan.fleet_database;
  js["report_dir"] = plan.report_dir;

  if (!o.submit) {
    if (g.json) {
      std::cout << js.dump(2) << "\n";
      return exit_ok;
    }
    std::cout << fmt::format("wrote {} ({} task{})\n", plan.array_script_path, plan.types.size(),
                             plan.types.size() == 1 ? "" : "s");
    for (std::size_t i = 0; i < plan.types.size(); ++i) {
      std::cout << fmt::format("  task {}: {} on partition {} -> {}\n", i, plan.types[i].name,
                               plan.types[i].partition, plan.databases[i]);
    }
    std::cout << fmt::format("wrote {}\nwrote {}\nsubmit with `bash {}`, which runs:\n",
                             plan.merge_script_path, plan.submit_script_path,
                             nightly::shell_quote(plan.submit_script_path));
    const std::string id = "ARRAY";  // the id sbatch prints
    std::cout << "  " << nightly::shell_command(nightly::submit_array_command(plan)) << "\n";
    for (std::size_t i = 0; i < plan.types.size(); ++i) {
      std::cout << "  " << nightly::shell_command(nightly::retarget_task_command(plan, id, i))
                << "\n";
    }
    std::cout << "  " << nightly::shell_command(nightly::release_command(id)) << "\n";
    std::cout << "  " << nightly::shell_command(nightly::submit_merge_command(plan, id)) << "\n";
    return exit_ok;
  }

  const std::string array_id =
      nightly::parse_sbatch_parsable(run_or_throw(nightly::submit_array_command(plan)).out);
  try {
    for (std::size_t i = 0; i < plan.types.size(); ++i) {
      run_or_throw(nightly::retarget_task_command(plan, array_id, i));
    }
    run_or_throw(nightly::release_command(array_id));
  } catch (const runtime_error&) {
    run_command(nightly::cancel_command(array_id));  // nothing of tonight runs half-targeted
    std::cerr << fmt::format("nightly --slurm: array job {} cancelled\n", array_id);
    throw;
  }
  const std::string merge_id = nightly::parse_sbatch_parsable(
      run_or_throw(nightly::submit_merge_command(plan, array_id)).out);
  if (g.json) {
    js["array_job"] = array_id;
    js["merge_job"] = merge_id;
    std::cout << js.dump(2) << "\n";
    return exit_ok;
  }
  std::cout << fmt::format("array job: {}\n", array_id);
  for (std::size_t i = 0; i < plan.types.size(); ++i) {
    std::cout << fmt::format("  {}_{}: {} on partition {}\n", array_id, i, plan.types[i].name,
                             plan.types[i].partition);
  }
  std::cout << fmt::format("merge job: {} (afterany:{}) -> {}\nreports: {}\n", merge_id, array_id,
                           plan.fleet_database, plan.report_dir);
  return exit_ok;
}

int run_fleet_report(const global_options& g, const nightly_options& o, const nightly::job& j) {
  const std::string dir = !o.report_dir.empty() ? o.report_dir : j.report_dir;
  if (dir.empty()) {
    throw usage_error(
        fmt::format("nightly --fleet-report: {} has no report folder; give --report-dir", o.job));
  }
  const roofline::device_catalog catalog = load_device_catalog(g.catalog);
  storage::database db = open_results_database(g.db.empty() ? j.database : g.db);
  const nightly::fleet_view view = nightly::read_fleet(db, j, catalog);
  const nightly::report_paths paths = nightly::write_fleet_report(view, dir);
  if (g.json) {
    nlohmann::ordered_json js;
    js["schema"] = "ridgeline.fleet-report/1";
    js["hardware_types"] = nlohmann::ordered_json::array();
    for (const auto& t : view.types) {
      js["hardware_types"].push_back(
          {{"hardware_type", t.hardware_type},
           {"nightly_run_id", t.run ? nlohmann::ordered_json(t.run->run_id) : nullptr},
           {"verdict", t.run && t.run->verdict ? storage::to_string(*t.run->verdict) : ""}});
    }
    js["report_html"] = paths.html;
    js["report_markdown"] = paths.markdown;
    std::cout << js.dump(2) << "\n";
    return exit_ok;
  }
  for (const auto& t : view.types) {
    std::cout << fmt::format(
        "{}: {}\n", t.hardware_type,
        t.run ? fmt::format("nightly run {} ({})", t.run->run_id,
                            t.run->verdict ? storage::to_string(*t.run->verdict) : "?")
              : "no complete nightly run of this job");
  }
  std::cout << "fleet report: " << paths.html << "\n";
  return exit_ok;
}

}  // namespace

CLI::App* add_nightly(CLI::App& app, nightly_options& o) {
  CLI::App* cmd = app.add_subcommand(
      "nightly", "Tune every case of a job file on this machine, flag regressions, write a report");
  cmd->add_option("job", o.job, "Job file (examples: configs/nightly/)")->required();
  cmd->add_option("--hardware-type", o.hardware_type,
                  "This machine's hardware type (default: the job's, else the catalog card)");
  cmd->add_option("--report-dir", o.report_dir, "Report folder (default: the job's)");
  CLI::Option* slurm = cmd->add_flag(
      "--slurm", o.slurm,
      "Write a Slurm job array (one task per hardware type of the job) and a merge job that "
      "writes the fleet report (docs/nightly-slurm.md)");
  cmd->add_flag("--submit", o.submit, "With --slurm: submit them (sbatch), print the job ids")
      ->needs(slurm);
  cmd->add_option("--shared-dir", o.shared_dir,
                  "With --slurm: folder on storage every node sees (default: the job's report "
                  "folder)")
      ->needs(slurm);
  cmd->add_flag("--fleet-report", o.fleet_report,
                "Write the report comparing the hardware types of a merged database (--db)")
      ->excludes(slurm);
  return cmd;
}

int run_nightly(const global_options& g, const nightly_options& o) {
  nightly::nightly_request req;
  req.the_job = nightly::load_job(o.job);
  if (o.slurm) return run_slurm(g, o, req.the_job);
  if (o.fleet_report) return run_fleet_report(g, o, req.the_job);
  req.hardware_type = o.hardware_type;
  req.report_dir = o.report_dir;
  req.command = g.command;
  const roofline::device_catalog catalog = load_device_catalog(g.catalog);
  storage::database db = open_results_database(g.db.empty() ? req.the_job.database : g.db);
  const kernels::runtime rt({g.threads});
  const nightly::nightly_outcome out = nightly::run_nightly(
      rt, db, catalog, req, [](const std::string& line) { std::cerr << line << "\n"; });

  if (g.json) {
    std::cout << to_json(out).dump(2) << "\n";
  } else {
    std::cout << fmt::format("nightly run {} ({}): {}\n", out.run_id, out.hardware_type,
                             storage::to_string(out.verdict));
    for (const auto& f : out.flags) {
      std::cout << fmt::format("REGRESSION {} [{}]: {}\n", f.entry_key, f.test, f.message);
    }
    for (const auto& c : out.cases) {
      if (!c.entry.checks_passed) {
        std::cout << fmt::format("CHECK FAILED {}: {}\n", c.entry.entry_key, c.entry.note);
      }
    }
    if (!out.report_html.empty()) std::cout << "report: " << out.report_html << "\n";
  }
  switch (out.verdict) {
    case storage::nightly_verdict::regression:
      return exit_regression;
    case storage::nightly_verdict::checks_failed:
      return exit_runtime;
    case storage::nightly_verdict::pass:
      break;
  }
  return exit_ok;
}

}  // namespace ridgeline::cli
