#include "service/wisdom_export.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <set>
#include <tuple>
#include <vector>

#include "core/build_info.hpp"
#include "core/error.hpp"
#include "kernels/kernel.hpp"
#include "service/software_identity.hpp"
#include "storage/wisdom.hpp"

namespace ridgeline::service {

namespace {

using ordered_json = nlohmann::ordered_json;

std::string utc_now() {
  const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

// The software facts as stored (a JSON object text); kept as text if it is not one.
ordered_json facts_of(const std::string& software_json) {
  ordered_json j = ordered_json::parse(software_json, nullptr, false);
  return j.is_discarded() ? ordered_json(software_json) : j;
}

// A problem value as a JSON number: an integer when it is one (and exact in a double, |v| < 2^53),
// so `m` reads back as 2048, not 2048.0.
ordered_json number(double v) {
  constexpr double exact = 9007199254740992.0;  // 2^53
  if (std::isfinite(v) && std::floor(v) == v && std::fabs(v) < exact) {
    return static_cast<std::int64_t>(v);
  }
  return v;
}

ordered_json device_json(const storage::device_identity& d) {
  ordered_json j;
  j["kind"] = d.kind;
  j["vendor"] = d.vendor;
  j["name"] = d.name;
  j["arch"] = d.arch;
  j["backend"] = d.backend;
  j["host"] = d.host;
  j["catalog_id"] = d.catalog_id ? ordered_json(*d.catalog_id) : ordered_json(nullptr);
  return j;
}

// The devices of the database that a hardware type could name: those with a tuning or a
// nightly run (a device with neither has nothing to export).
struct known_devices {
  std::map<std::int64_t, storage::device_identity> by_id;
  std::map<std::string, std::set<std::int64_t>> nightly_labels;
};

known_devices devices_of(storage::database& db,
                         const std::vector<storage::tuning_run_record>& tuning_runs) {
  known_devices k;
  std::set<std::int64_t> ids;
  for (const auto& r : tuning_runs) ids.insert(r.device_id);
  for (const auto& n : db.nightly_runs()) {
    ids.insert(n.device_id);
    k.nightly_labels[n.setup.hardware_type].insert(n.device_id);
  }
  for (const std::int64_t id : ids) {
    if (auto d = db.device(id)) k.by_id.emplace(id, std::move(*d));
  }
  return k;
}

struct type_match {
  std::set<std::int64_t> device_ids;
  std::string matched_by;  // nightly_label, catalog_id, device_name
};

type_match match_hardware_type(const known_devices& k, const std::string& type,
                               const std::string& db_path) {
  type_match m;
  if (auto it = k.nightly_labels.find(type); it != k.nightly_labels.end()) {
    return {it->second, "nightly_label"};
  }
  for (const auto& [id, d] : k.by_id) {
    if (d.catalog_id == type) m.device_ids.insert(id);
  }
  if (!m.device_ids.empty()) {
    m.matched_by = "catalog_id";
    return m;
  }
  for (const auto& [id, d] : k.by_id) {
    if (d.name == type) m.device_ids.insert(id);
  }
  if (!m.device_ids.empty()) {
    m.matched_by = "device_name";
    return m;
  }
  std::set<std::string> labels, cards, names;
  for (const auto& [label, ids] : k.nightly_labels) labels.insert(label);
  for (const auto& [id, d] : k.by_id) {
    if (d.catalog_id) cards.insert(*d.catalog_id);
    names.insert(d.name);
  }
  if (labels.empty() && cards.empty() && names.empty()) {
    throw usage_error(
        fmt::format("--device-type: no device of type '{}' in {}: it holds no tuning "
                    "or nightly runs",
                    type, db_path));
  }
  auto list = [](const std::set<std::string>& s) {
    return s.empty() ? std::string("none") : fmt::format("'{}'", fmt::join(s, "', '"));
  };
  throw usage_error(fmt::format(
      "--device-type: no device of type '{}' in {} (nightly labels: {}; catalog ids: {}; device "
      "names: {})",
      type, db_path, list(labels), list(cards), list(names)));
}

// A candidate passed its checks: it ran ok with a time, and its correctness check, when one was
// made, passed. Failed nightly entries never get here: their tuning runs are finished as failed.
bool usable(const storage::tuned_result& r) {
  return r.best.outcome == profiler::status::ok && r.best.timing &&
         !(r.best.check && !r.best.check->passed);
}

// Better: current software first, then the lower median time, then the newer run.
bool better(const storage::tuned_result& a, bool a_stale, const storage::tuned_result& b,
            bool b_stale) {
  if (a_stale != b_stale) return !a_stale;
  const double ta = a.best.timing->summary.median, tb = b.best.timing->summary.median;
  if (ta != tb) return ta < tb;
  return a.run.run_id > b.run.run_id;
}

}  // namespace

std::map<std::string, reference_software> software_by_backend(const kernels::runtime& rt) {
  std::map<std::string, reference_software> out;
  for (const auto& b : rt.backends()) {
    const software_facts facts = current_software(rt, b.id);
    out[b.kokkos_name] = {software_key(facts), software_json(facts)};
  }
  return out;
}

ordered_json wisdom_export(storage::database& db, const wisdom_export_request& req) {
  if (!req.kernel.empty()) {
    std::vector<std::string> names;
    for (const kernels::kernel* k : kernels::all_kernels()) names.push_back(k->name());
    if (std::find(names.begin(), names.end(), req.kernel) == names.end()) {
      throw usage_error(fmt::format("--kernel: '{}' is not a kernel (kernels: {})", req.kernel,
                                    fmt::join(names, ", ")));
    }
  }
  const std::vector<storage::tuning_run_record> tuning_runs = db.tuning_runs();
  const known_devices known = devices_of(db, tuning_runs);
  const type_match match = match_hardware_type(known, req.hardware_type, db.path());

  // Every complete tuning result of the matched devices, grouped by case.
  std::set<std::tuple<std::string, std::string, std::string>> tuned;  // kernel, variant, dtype
  for (const auto& r : tuning_runs) {
    if (r.status == storage::run_status::complete && r.best_measurement_id &&
        match.device_ids.count(r.device_id) &&
        (req.kernel.empty() || r.setup.what.kernel == req.kernel)) {
      tuned.emplace(r.setup.what.kernel, r.setup.what.variant, r.setup.what.dtype);
    }
  }
  using case_key = std::tuple<std::string, std::string, std::string, std::string, std::string>;
  std::map<case_key, std::vector<storage::tuned_result>> cases;
  for (const auto& [kernel, variant, dtype] : tuned) {
    for (auto& r : db.tuned_results(kernel, variant, dtype)) {
      if (!match.device_ids.count(r.run.device_id) || !usable(r)) continue;
      const auto& w = r.run.setup.what;
      cases[{w.kernel, w.variant, w.dtype, w.backend, w.problem_text}].push_back(std::move(r));
    }
  }

  // The reference software per backend: this build's where it has the backend, else the newest
  // tuning run's among the matched devices (a fleet database exported on another machine).
  std::map<std::string, reference_software> reference = req.current_software;
  std::map<std::string, std::string> reference_source;
  for (const auto& [backend, s] : reference) reference_source[backend] = "this_build";
  std::map<std::string, std::int64_t> newest_run;
  for (const auto& [key, results] : cases) {
    const std::string& backend = std::get<3>(key);
    if (req.current_software.count(backend)) continue;
    for (const auto& r : results) {
      if (r.run.run_id > newest_run[backend]) {
        newest_run[backend] = r.run.run_id;
        reference[backend] = {r.run.setup.software_key, r.run.setup.software_json};
        reference_source[backend] = "newest_tuning_run";
      }
    }
  }

  ordered_json doc;
  doc["schema"] = wisdom_export_schema;
  doc["version"] = wisdom_export_version;
  doc["generated_at"] = req.generated_at.empty() ? utc_now() : req.generated_at;
  doc["generator"] = {{"ridgeline", this_build().version},
                      {"git_revision", this_build().git_revision}};
  doc["hardware_type"] = {{"name", req.hardware_type}, {"matched_by", match.matched_by}};
  ordered_json devices = ordered_json::array();
  for (const std::int64_t id : match.device_ids) devices.push_back(device_json(known.by_id.at(id)));
  doc["devices"] = devices;
  ordered_json software = ordered_json::object();
  for (const auto& [backend, s] : reference) {
    // Only the backends the entries use: the others say nothing about this file.
    bool used = false;
    for (const auto& [key, results] : cases) used = used || std::get<3>(key) == backend;
    if (!used) continue;
    software[backend] = {
        {"key", s.key}, {"facts", facts_of(s.json)}, {"source", reference_source[backend]}};
  }
  doc["software"] = software;

  ordered_json entries = ordered_json::array();
  for (const auto& [key, results] : cases) {
    const std::string& backend = std::get<3>(key);
    const std::string& current = reference.at(backend).key;
    const storage::tuned_result* best = nullptr;
    bool best_stale = true;
    for (const auto& r : results) {
      const bool stale = r.run.setup.software_key != current;
      if (!best || better(r, stale, *best, best_stale)) {
        best = &r;
        best_stale = stale;
      }
    }
    const auto& w = best->run.setup.what;
    ordered_json e;
    e["kernel"] = w.kernel;
    e["variant"] = w.variant;
    e["dtype"] = w.dtype;
    e["backend"] = w.backend;
    ordered_json problem = ordered_json::object();
    for (const auto& [name, value] : storage::problem_numbers(w.problem_json)) {
      problem[name] = number(value);
    }
    e["problem"] = problem;
    e["problem_text"] = w.problem_text;
    ordered_json params = ordered_json::object();
    for (const auto& [name, value] : best->best.params) params[name] = value;
    e["params"] = params;
    e["params_text"] = best->best.params_text();
    e["time_median_s"] = best->best.timing->summary.median;
    e["flop_per_s"] = profiler::derive(best->best).flop_per_s;
    e["check"] = best->best.check ? "passed" : "not_checked";
    e["stale"] = best_stale;
    e["software_key"] = best->run.setup.software_key;
    e["software"] = facts_of(best->run.setup.software_json);
    e["tuning_run_id"] = best->run.run_id;
    e["measurement_id"] = *best->run.best_measurement_id;
    e["finished_at"] = best->run.finished_at.value_or("");
    e["strategy"] = best->run.setup.strategy;
    e["runs_considered"] = results.size();
    e["device"] = device_json(best->device);
    entries.push_back(std::move(e));
  }
  doc["entries"] = entries;
  return doc;
}

void write_file_atomically(const std::string& path, const std::string& text,
                           const std::string& option) {
  namespace fs = std::filesystem;
  const fs::path target(path);
  const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::string temp = (dir / ("." + target.filename().string() + ".tmp-XXXXXX")).string();
  const int fd = mkstemp(temp.data());
  if (fd < 0) {
    throw runtime_error(
        fmt::format("{}: cannot write in '{}': {}", option, dir.string(), std::strerror(errno)));
  }
  auto fail = [&](const char* what) {
    const std::string why = std::strerror(errno);
    ::close(fd);
    ::unlink(temp.c_str());
    throw runtime_error(fmt::format("{}: cannot {} '{}': {}", option, what, path, why));
  };
  // mkstemp makes the file owner-only; a wisdom file is meant to be read by applications.
  if (::fchmod(fd, 0644) != 0) fail("write");
  for (std::size_t done = 0; done < text.size();) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail("write");
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) fail("write");
  if (::close(fd) != 0) {
    const std::string why = std::strerror(errno);
    ::unlink(temp.c_str());
    throw runtime_error(fmt::format("{}: cannot write '{}': {}", option, path, why));
  }
  if (std::rename(temp.c_str(), path.c_str()) != 0) {
    const std::string why = std::strerror(errno);
    ::unlink(temp.c_str());
    throw runtime_error(fmt::format("{}: cannot replace '{}': {}", option, path, why));
  }
}

}  // namespace ridgeline::service
