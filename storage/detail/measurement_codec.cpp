#include "storage/detail/measurement_codec.hpp"

#include <fmt/format.h>

#include <limits>
#include <nlohmann/json.hpp>
#include <string>

#include "core/error.hpp"
#include "profiler/measurement_json.hpp"
#include "storage/measurement_columns.hpp"

namespace ridgeline::storage::detail {

const std::vector<std::string>& database_columns() {
  static const std::vector<std::string> names = column_names(&measurement_column::database);
  return names;
}

std::string measurement_column_list(const std::string& prefix) {
  std::string out;
  for (const auto& name : database_columns()) {
    if (!out.empty()) out += ", ";
    out += prefix + name;
  }
  return out;
}

namespace {

using json = nlohmann::ordered_json;

// Compact and exact: nlohmann writes the shortest text that reads back to the same double.
std::string text_of(const json& j) {
  return j.dump();
}

profiler::status parse_status(const std::string& text, std::int64_t id) {
  using profiler::status;
  for (status s : {status::ok, status::invalid_config, status::launch_failed, status::wrong_result,
                   status::timeout}) {
    if (text == profiler::to_string(s)) return s;
  }
  throw runtime_error(fmt::format("DB: measurement {}: unknown status '{}'", id, text));
}

profiler::stop_reason parse_stop_reason(const std::string& text, std::int64_t id) {
  using profiler::stop_reason;
  for (stop_reason r : {stop_reason::converged, stop_reason::time_cap, stop_reason::sample_cap,
                        stop_reason::abandoned, stop_reason::application}) {
    if (text == profiler::to_string(r)) return r;
  }
  throw runtime_error(fmt::format("DB: measurement {}: unknown stop_reason '{}'", id, text));
}

// JSON has no NaN or infinity: nlohmann writes them as null (a check over poisoned output can
// report a NaN error), and null reads back as NaN.
profiler::check_result check_from_json(json j) {
  for (auto& item : j.items()) {
    if (item.value().is_null()) item.value() = std::numeric_limits<double>::quiet_NaN();
  }
  return j.get<profiler::check_result>();
}

profiler::work_model work_from_json(const json& j) {
  profiler::work_model w;
  for (const auto& f : j.at("flops")) {
    w.flops.push_back({f.at("precision").get<std::string>(), f.at("unit").get<std::string>(),
                       f.at("count").get<std::uint64_t>()});
  }
  for (const auto& b : j.at("bytes")) {
    w.bytes.push_back({b.at("level").get<std::string>(), b.at("count").get<std::uint64_t>()});
  }
  return w;
}

std::vector<std::pair<std::string, std::string>> pairs_from_json(const json& j) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& item : j.items()) out.emplace_back(item.key(), item.value().get<std::string>());
  return out;
}

}  // namespace

void push_measurement(statement& s, const profiler::measurement& m) {
  // The values come from the one JSON writer, so the database and `--json` agree.
  const json j = profiler::to_json(m);
  const column_input in{nullptr, m, j};
  for (const auto& c : measurement_columns()) {
    if (c.database == nullptr) continue;
    const json v = column_value(c, in);
    if (v.is_null()) {
      s.push(std::optional<double>());
    } else if (c.json_text) {
      s.push(text_of(v));
    } else if (v.is_boolean()) {
      s.push(static_cast<std::int64_t>(v.get<bool>()));
    } else if (v.is_number_integer()) {  // signed and unsigned: INTEGER is 64-bit signed
      s.push(v.get<std::int64_t>());
    } else if (v.is_number()) {
      s.push(v.get<double>());
    } else {
      s.push(v.get<std::string>());
    }
  }
}

profiler::measurement read_measurement(const statement& s, int first, std::int64_t id) {
  profiler::measurement m;
  int c = first;
  const char* column = "";
  // Each JSON column is parsed under its own name so a message says which one is malformed.
  auto parse = [&](const char* name) {
    column = name;
    return json::parse(s.text(c++));
  };
  try {
    m.kernel = s.text(c++);
    m.variant = s.text(c++);
    m.dtype = s.text(c++);
    m.backend = s.text(c++);
    const json problem = parse("problem_json");  // named: items() must not outlive it
    for (const auto& item : problem.items()) {
      const json& v = item.value();
      if (v.is_number_integer()) {
        m.problem.push_back({item.key(), static_cast<double>(v.get<std::int64_t>()), true});
      } else {
        m.problem.push_back({item.key(), v.get<double>(), false});
      }
    }
    ++c;  // problem_text is derived from problem
    m.params = pairs_from_json(parse("params_json"));
    ++c;  // params_text
    m.outcome = parse_status(s.text(c++), id);
    m.reason = s.text(c++);
    if (!s.is_null(c)) {
      profiler::timing_result t;
      t.summary.median = s.real(c++);
      t.summary.min = s.real(c++);
      t.summary.max = s.real(c++);
      t.summary.mean = s.real(c++);
      t.summary.q1 = s.real(c++);
      t.summary.q3 = s.real(c++);
      t.summary.relative_spread = s.real(c++);
      t.summary.count = static_cast<std::size_t>(s.integer(c++));
      t.batch = static_cast<int>(s.integer(c++));
      t.warmup_launches = static_cast<int>(s.integer(c++));
      t.warmup_seconds = s.real(c++);
      t.stopped = parse_stop_reason(s.text(c++), id);
      t.timer = s.text(c++);
      t.samples = parse("samples_json").get<std::vector<double>>();
      m.timing = std::move(t);
    } else {
      c += 14;
    }
    m.work = work_from_json(parse("work_json"));
    m.counts_source = s.text(c++);
    c += 3;  // derived rates: recomputed by profiler::derive from the record
    ++c;     // check_passed: a copy of check_json's "passed", for queries
    if (!s.is_null(c)) {
      m.check = check_from_json(parse("check_json"));
    } else {
      ++c;
    }
    m.rotation = parse("rotation_json").get<profiler::rotation_info>();
    m.provenance = pairs_from_json(parse("provenance_json"));
  } catch (const nlohmann::json::exception& e) {
    throw runtime_error(fmt::format("DB: measurement {}: malformed {}: {}", id, column, e.what()));
  }
  return m;
}

}  // namespace ridgeline::storage::detail
