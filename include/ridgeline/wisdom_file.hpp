#pragma once
// Reads the best tuned configurations that `ridgeline wisdom export --device-type TYPE` wrote
// (schema ridgeline.wisdom-export/1, docs/wisdom-export.md), for an application choosing its
// kernel parameters at start-up. Header-only C++17; needs the standard library and nlohmann/json
// (3.x) and nothing of Ridgeline: copy this file into your project.
//
//   const auto wisdom = ridgeline::wisdom_file::load("h100.wisdom.json");
//   ridgeline::wisdom_query q{"gemm", "kokkos_tiled", "f32", "", {{"m", 3000}, {"n", 2048}, ...}};
//   if (const auto w = wisdom.lookup(q)) use(w->entry.params);  // else: your default
//
// A lookup answers with the entry tuned for exactly the asked problem, else the nearest tuned
// problem with the same fields by Σ|ln(stored/asked)| (the rule `ridgeline wisdom` uses: 2048 vs
// 4096 is as far as 4096 vs 8192), and says which rule answered.
#include <cmath>
#include <cstdint>
#include <fstream>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace ridgeline {

// A file that cannot be read, is not a wisdom export, is of another major version, or lacks a
// field; the message names the file and the field ("h100.json: entries[2].params: ...").
class wisdom_file_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// One tuned case: the best configuration found for it on the hardware type.
struct wisdom_entry {
  std::string kernel;
  std::string variant;
  std::string dtype;
  std::string backend;                    // Kokkos execution space: "OpenMP", "Cuda", ...
  std::map<std::string, double> problem;  // {"m": 2048, "n": 2048, "k": 2048}
  std::string problem_text;               // "m=2048,n=2048,k=2048"
  // Axis -> value as Ridgeline formats it ("64", "row"): the text `ridgeline run --params`
  // takes; param_int() converts a numeric one.
  std::map<std::string, std::string> params;
  std::string params_text;  // the same as "name=value,..."
  double time_median_s = 0;
  double flop_per_s = 0;  // 0 when the kernel's work model counts no FLOPs
  bool stale = false;     // tuned with other software than the exporter's reference
  std::int64_t tuning_run_id = 0;
  std::string software_key;  // the software it was tuned with
  std::string device_name;
  std::string device_host;

  // A numeric parameter; wisdom_file_error naming the parameter when absent or not an integer.
  long long param_int(const std::string& name) const {
    const auto it = params.find(name);
    if (it == params.end()) {
      throw wisdom_file_error("wisdom entry " + kernel + "/" + variant + ": no parameter '" + name +
                              "' (has " + params_text + ")");
    }
    std::size_t used = 0;
    long long v = 0;
    try {
      v = std::stoll(it->second, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used == 0 || used != it->second.size()) {
      throw wisdom_file_error("wisdom entry " + kernel + "/" + variant + ": parameter '" + name +
                              "' is '" + it->second + "', not an integer");
    }
    return v;
  }
};

enum class wisdom_rule {
  exact,          // tuned for the asked problem
  nearest_shape,  // tuned for the problem nearest by Σ|ln(stored/asked)| with the same fields
};

inline const char* to_string(wisdom_rule rule) {
  return rule == wisdom_rule::exact ? "exact" : "nearest_shape";
}

struct wisdom_query {
  std::string kernel;
  std::string variant;
  std::string dtype;
  std::string backend;                    // empty = any backend in the file
  std::map<std::string, double> problem;  // every field of the kernel's problem
};

struct wisdom_match {
  wisdom_entry entry;
  wisdom_rule rule = wisdom_rule::exact;
  double shape_distance = 0;  // 0 for exact
};

class wisdom_file {
 public:
  static constexpr const char* schema_name = "ridgeline.wisdom-export";
  static constexpr int major_version = 1;  // this reader reads 1.x: minor versions only add fields

  // Reads and validates the file; wisdom_file_error naming the path when it cannot.
  static wisdom_file load(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw wisdom_file_error(path + ": cannot open the wisdom file");
    std::ostringstream text;
    text << in.rdbuf();
    return parse(text.str(), path);
  }

  // The same from text; `origin` names it in messages.
  static wisdom_file parse(const std::string& text, const std::string& origin = "wisdom file") {
    const nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded()) throw wisdom_file_error(origin + ": not JSON");
    return from_json(j, origin);
  }

  static wisdom_file from_json(const nlohmann::json& j, const std::string& origin) {
    if (!j.is_object()) throw wisdom_file_error(origin + ": not a JSON object");
    wisdom_file f;
    // Schema and major version first, so a newer file is refused for what it is rather than
    // for a field this reader does not know.
    const std::string schema = text_of(j, "schema", origin);
    const std::string prefix = std::string(schema_name) + "/";
    if (schema.compare(0, prefix.size(), prefix) != 0) {
      throw wisdom_file_error(origin + ": schema '" + schema + "' is not " + schema_name +
                              ": not a Ridgeline wisdom export");
    }
    const std::string schema_major = schema.substr(prefix.size());
    if (schema_major != std::to_string(major_version)) {
      throw wisdom_file_error(origin + ": schema " + schema + " is version " + schema_major +
                              " of the wisdom export; this reader reads version " +
                              std::to_string(major_version) + " only: use the reader of the " +
                              "Ridgeline that wrote it");
    }
    f.version_ = text_of(j, "version", origin);
    const std::string version_major = f.version_.substr(0, f.version_.find('.'));
    if (version_major != schema_major) {
      throw wisdom_file_error(origin + ": version '" + f.version_ + "' disagrees with schema " +
                              schema);
    }
    f.generated_at_ = text_of(j, "generated_at", origin);
    f.hardware_type_ = text_of(member(j, "hardware_type", origin, "hardware_type"), "name", origin,
                               "hardware_type.");
    const nlohmann::json& entries = member(j, "entries", origin, "entries");
    if (!entries.is_array()) throw wisdom_file_error(origin + ": entries: expected an array");
    for (std::size_t i = 0; i < entries.size(); ++i) {
      f.entries_.push_back(entry_of(entries[i], origin, "entries[" + std::to_string(i) + "]."));
    }
    return f;
  }

  const std::string& version() const { return version_; }  // "1.0"
  const std::string& generated_at() const { return generated_at_; }
  const std::string& hardware_type() const { return hardware_type_; }
  const std::vector<wisdom_entry>& entries() const { return entries_; }

  // The best configuration for the query: the entry of the asked problem, else the one nearest
  // by shape; none when no entry of the kernel/variant/dtype (and backend) has a comparable
  // problem — the application then uses its default. Ties: the current-software entry, then the
  // faster one, then the earlier in the file.
  std::optional<wisdom_match> lookup(const wisdom_query& q) const {
    const wisdom_entry* best = nullptr;
    double best_distance = std::numeric_limits<double>::infinity();
    for (const wisdom_entry& e : entries_) {
      if (e.kernel != q.kernel || e.variant != q.variant || e.dtype != q.dtype) continue;
      if (!q.backend.empty() && e.backend != q.backend) continue;
      const double d = shape_distance(e.problem, q.problem);
      if (!std::isfinite(d)) continue;
      if (!best || d < best_distance ||
          (d == best_distance &&
           (e.stale != best->stale ? !e.stale : e.time_median_s < best->time_median_s))) {
        best = &e;
        best_distance = d;
      }
    }
    if (!best) return std::nullopt;
    const bool exact = best->problem == q.problem;
    return wisdom_match{*best, exact ? wisdom_rule::exact : wisdom_rule::nearest_shape,
                        exact ? 0.0 : best_distance};
  }

  // Σ|ln(stored/asked)| over the fields; infinity when the fields differ or a differing value is
  // not positive (such problems are not comparable).
  static double shape_distance(const std::map<std::string, double>& stored,
                               const std::map<std::string, double>& asked) {
    if (stored.size() != asked.size()) return std::numeric_limits<double>::infinity();
    double d = 0;
    for (const auto& [name, value] : asked) {
      const auto it = stored.find(name);
      if (it == stored.end()) return std::numeric_limits<double>::infinity();
      if (it->second == value) continue;
      if (!(it->second > 0 && value > 0)) return std::numeric_limits<double>::infinity();
      d += std::fabs(std::log(it->second / value));
    }
    return d;
  }

 private:
  static const nlohmann::json& member(const nlohmann::json& j, const char* name,
                                      const std::string& origin, const std::string& path) {
    if (!j.is_object() || !j.contains(name)) {
      throw wisdom_file_error(origin + ": " + path + ": missing");
    }
    return j.at(name);
  }

  static std::string text_of(const nlohmann::json& j, const char* name, const std::string& origin,
                             const std::string& prefix = "") {
    const nlohmann::json& v = member(j, name, origin, prefix + name);
    if (!v.is_string()) throw wisdom_file_error(origin + ": " + prefix + name + ": expected text");
    return v.get<std::string>();
  }

  static double number_of(const nlohmann::json& j, const char* name, const std::string& origin,
                          const std::string& prefix) {
    const nlohmann::json& v = member(j, name, origin, prefix + name);
    if (!v.is_number()) {
      throw wisdom_file_error(origin + ": " + prefix + name + ": expected a number");
    }
    return v.get<double>();
  }

  static wisdom_entry entry_of(const nlohmann::json& j, const std::string& origin,
                               const std::string& at) {
    if (!j.is_object()) throw wisdom_file_error(origin + ": " + at + ": expected an object");
    wisdom_entry e;
    e.kernel = text_of(j, "kernel", origin, at);
    e.variant = text_of(j, "variant", origin, at);
    e.dtype = text_of(j, "dtype", origin, at);
    e.backend = text_of(j, "backend", origin, at);
    const nlohmann::json& problem = member(j, "problem", origin, at + "problem");
    if (!problem.is_object()) {
      throw wisdom_file_error(origin + ": " + at + "problem: expected an object");
    }
    for (const auto& [name, value] : problem.items()) {
      if (!value.is_number()) {
        throw wisdom_file_error(origin + ": " + at + "problem." + name + ": expected a number");
      }
      e.problem[name] = value.get<double>();
    }
    e.problem_text = text_of(j, "problem_text", origin, at);
    const nlohmann::json& params = member(j, "params", origin, at + "params");
    if (!params.is_object()) {
      throw wisdom_file_error(origin + ": " + at + "params: expected an object");
    }
    for (const auto& [name, value] : params.items()) {
      if (!value.is_string()) {
        throw wisdom_file_error(origin + ": " + at + "params." + name + ": expected text");
      }
      e.params[name] = value.get<std::string>();
    }
    e.params_text = text_of(j, "params_text", origin, at);
    e.time_median_s = number_of(j, "time_median_s", origin, at);
    e.flop_per_s = number_of(j, "flop_per_s", origin, at);
    const nlohmann::json& stale = member(j, "stale", origin, at + "stale");
    if (!stale.is_boolean())
      throw wisdom_file_error(origin + ": " + at + "stale: expected true/false");
    e.stale = stale.get<bool>();
    const nlohmann::json& run = member(j, "tuning_run_id", origin, at + "tuning_run_id");
    if (!run.is_number_integer()) {
      throw wisdom_file_error(origin + ": " + at + "tuning_run_id: expected an integer");
    }
    e.tuning_run_id = run.get<std::int64_t>();
    e.software_key = text_of(j, "software_key", origin, at);
    const nlohmann::json& device = member(j, "device", origin, at + "device");
    e.device_name = text_of(device, "name", origin, at + "device.");
    e.device_host = text_of(device, "host", origin, at + "device.");
    return e;
  }

  std::string version_;
  std::string generated_at_;
  std::string hardware_type_;
  std::vector<wisdom_entry> entries_;
};

}  // namespace ridgeline
