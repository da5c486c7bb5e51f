#include "profiler/counters/rocprof_output.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/csv_table.hpp"
#include "core/error.hpp"

namespace ridgeline::profiler::counters {

namespace {

// One CSV record, read by the shared tokenizer (core/csv_table.hpp). rocprofv3 wrote this file,
// not the user, so a malformed one is a failed run (runtime_error, exit 1) rather than a usage
// error: the tokenizer's usage_error is rethrown as such, message unchanged.
bool next_csv_record(const std::string& text, std::size_t& pos, int& line,
                     std::vector<std::string>& fields, const std::string& file_name) {
  try {
    return ridgeline::next_csv_record(text, pos, line, fields, file_name);
  } catch (const usage_error& e) {
    throw runtime_error(e.what());
  }
}

double parse_number(const std::string& s, const std::string& where, const std::string& column) {
  char* end = nullptr;
  errno = 0;
  const double v = std::strtod(s.c_str(), &end);
  if (s.empty() || end != s.c_str() + s.size() || errno == ERANGE || !std::isfinite(v))
    throw runtime_error(fmt::format("{}: {}: expected a number, got '{}'", where, column, s));
  return v;
}

std::uint64_t parse_count(const std::string& s, const std::string& where,
                          const std::string& column) {
  if (s.empty() || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
    throw runtime_error(
        fmt::format("{}: {}: expected a non-negative integer, got '{}'", where, column, s));
  errno = 0;
  const unsigned long long v = std::strtoull(s.c_str(), nullptr, 10);
  if (errno == ERANGE)
    throw runtime_error(fmt::format("{}: {}: integer out of range: '{}'", where, column, s));
  return v;
}

// Records keyed by (agent, dispatch id), kept in order of first appearance.
class dispatch_table {
 public:
  dispatch_record& at(const std::string& agent, std::uint64_t id) {
    const auto key = std::make_pair(agent, id);
    const auto it = index_.find(key);
    if (it != index_.end()) return records_[it->second];
    index_.emplace(key, records_.size());
    records_.emplace_back();
    records_.back().agent = agent;
    records_.back().dispatch_id = id;
    return records_.back();
  }
  std::vector<dispatch_record> take() { return std::move(records_); }

 private:
  std::map<std::pair<std::string, std::uint64_t>, std::size_t> index_;
  std::vector<dispatch_record> records_;
};

}  // namespace

std::vector<dispatch_record> parse_counter_csv(const std::string& text,
                                               const std::string& file_name) {
  std::size_t pos = 0;
  int line = 1;
  std::vector<std::string> header;
  if (!next_csv_record(text, pos, line, header, file_name) ||
      (header.size() == 1 && header[0].empty()))
    throw runtime_error(fmt::format("{}:1: empty file (no header row)", file_name));
  auto column = [&](const char* name, bool required) -> int {
    const auto it = std::find(header.begin(), header.end(), name);
    if (it == header.end()) {
      if (required)
        throw runtime_error(
            fmt::format("{}:1: missing column '{}' (not rocprofv3 counter "
                        "collection output?)",
                        file_name, name));
      return -1;
    }
    return static_cast<int>(it - header.begin());
  };
  const int c_dispatch = column("Dispatch_Id", true);
  const int c_kernel = column("Kernel_Name", true);
  const int c_counter = column("Counter_Name", true);
  const int c_value = column("Counter_Value", true);
  const int c_agent = column("Agent_Id", false);
  const int c_kernel_id = column("Kernel_Id", false);
  const int c_start = column("Start_Timestamp", false);
  const int c_end = column("End_Timestamp", false);

  dispatch_table table;
  std::vector<std::string> f;
  for (;;) {
    const int row_line = line;
    if (!next_csv_record(text, pos, line, f, file_name)) break;
    if (f.size() == 1 && f[0].empty()) continue;  // blank line (a trailing newline)
    const std::string where = fmt::format("{}:{}", file_name, row_line);
    if (f.size() != header.size())
      throw runtime_error(
          fmt::format("{}: {} fields, the header has {}", where, f.size(), header.size()));
    const std::string agent = c_agent >= 0 ? f[c_agent] : "";
    auto& d = table.at(agent, parse_count(f[c_dispatch], where, "Dispatch_Id"));
    d.kernel_name = f[c_kernel];
    if (c_kernel_id >= 0) d.kernel_id = parse_count(f[c_kernel_id], where, "Kernel_Id");
    if (c_start >= 0) d.start_ns = parse_count(f[c_start], where, "Start_Timestamp");
    if (c_end >= 0) d.end_ns = parse_count(f[c_end], where, "End_Timestamp");
    if (f[c_counter].empty()) throw runtime_error(fmt::format("{}: Counter_Name: empty", where));
    d.counters[f[c_counter]] += parse_number(f[c_value], where, "Counter_Value");
  }
  return table.take();
}

namespace {

using json = nlohmann::json;

const json& member(const json& j, const char* key, const std::string& path) {
  if (!j.is_object() || !j.contains(key))
    throw runtime_error(fmt::format("{}.{}: missing", path, key));
  return j.at(key);
}

std::uint64_t json_count(const json& j, const char* key, const std::string& path) {
  const json& v = member(j, key, path);
  if (!v.is_number_unsigned() && !(v.is_number_integer() && v.get<std::int64_t>() >= 0))
    throw runtime_error(fmt::format("{}.{}: expected a non-negative integer", path, key));
  return v.get<std::uint64_t>();
}

std::uint64_t json_handle(const json& j, const char* key, const std::string& path) {
  return json_count(member(j, key, path), "handle", fmt::format("{}.{}", path, key));
}

const json& json_array(const json& j, const char* key, const std::string& path) {
  const json& v = member(j, key, path);
  if (!v.is_array()) throw runtime_error(fmt::format("{}.{}: expected an array", path, key));
  return v;
}

void read_process(const json& tool, const std::string& path, dispatch_table& table) {
  std::map<std::uint64_t, std::string> counter_names;
  const json& counters = json_array(tool, "counters", path);
  for (std::size_t i = 0; i < counters.size(); ++i) {
    const std::string p = fmt::format("{}.counters[{}]", path, i);
    const json& name = member(counters[i], "name", p);
    if (!name.is_string()) throw runtime_error(fmt::format("{}.name: expected a string", p));
    counter_names[json_handle(counters[i], "id", p)] = name.get<std::string>();
  }
  std::map<std::uint64_t, std::string> kernel_names;
  const json& symbols = json_array(tool, "kernel_symbols", path);
  for (std::size_t i = 0; i < symbols.size(); ++i) {
    const std::string p = fmt::format("{}.kernel_symbols[{}]", path, i);
    const json& s = symbols[i];
    // The demangled name is the one the CSV shows; older files may only have kernel_name.
    const char* key = s.contains("formatted_kernel_name") ? "formatted_kernel_name" : "kernel_name";
    const json& name = member(s, key, p);
    if (!name.is_string()) throw runtime_error(fmt::format("{}.{}: expected a string", p, key));
    kernel_names[json_count(s, "kernel_id", p)] = name.get<std::string>();
  }
  const std::string cb = path + ".callback_records";
  const json& collection =
      json_array(member(tool, "callback_records", path), "counter_collection", cb);
  for (std::size_t i = 0; i < collection.size(); ++i) {
    const std::string p = fmt::format("{}.counter_collection[{}]", cb, i);
    const json& dd = member(collection[i], "dispatch_data", p);
    const std::string pd = p + ".dispatch_data";
    const json& info = member(dd, "dispatch_info", pd);
    const std::string pi = pd + ".dispatch_info";
    auto& d = table.at(std::to_string(json_handle(info, "agent_id", pi)),
                       json_count(info, "dispatch_id", pi));
    d.kernel_id = json_count(info, "kernel_id", pi);
    const auto kn = kernel_names.find(d.kernel_id);
    if (kn == kernel_names.end())
      throw runtime_error(
          fmt::format("{}.kernel_id: {} is not in kernel_symbols", pi, d.kernel_id));
    d.kernel_name = kn->second;
    if (dd.contains("start_timestamp")) d.start_ns = json_count(dd, "start_timestamp", pd);
    if (dd.contains("end_timestamp")) d.end_ns = json_count(dd, "end_timestamp", pd);
    const json& records = json_array(collection[i], "records", p);
    for (std::size_t r = 0; r < records.size(); ++r) {
      const std::string pr = fmt::format("{}.records[{}]", p, r);
      const std::uint64_t id = json_handle(records[r], "counter_id", pr);
      const auto cn = counter_names.find(id);
      if (cn == counter_names.end())
        throw runtime_error(fmt::format("{}.counter_id: {} is not in counters", pr, id));
      const json& v = member(records[r], "value", pr);
      if (!v.is_number() || !std::isfinite(v.get<double>()))
        throw runtime_error(fmt::format("{}.value: expected a finite number", pr));
      d.counters[cn->second] += v.get<double>();  // one record per dimension instance: summed
    }
  }
}

}  // namespace

std::vector<dispatch_record> parse_counter_json(const std::string& text,
                                                const std::string& file_name) {
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::parse_error& e) {
    const std::size_t at = std::min<std::size_t>(e.byte, text.size());
    const auto line =
        1 + std::count(text.begin(),
                       text.begin() + static_cast<std::ptrdiff_t>(at > 0 ? at - 1 : 0), '\n');
    throw runtime_error(fmt::format("{}:{}: malformed JSON (byte {})", file_name, line, e.byte));
  }
  const std::string root = fmt::format("{}: rocprofiler-sdk-tool", file_name);
  if (!doc.is_object() || !doc.contains("rocprofiler-sdk-tool"))
    throw runtime_error(fmt::format("{}: missing (not rocprofv3 JSON output?)", root));
  const json& tool = doc.at("rocprofiler-sdk-tool");
  dispatch_table table;
  if (tool.is_array()) {  // one element per profiled process
    for (std::size_t i = 0; i < tool.size(); ++i)
      read_process(tool[i], fmt::format("{}[{}]", root, i), table);
  } else {
    read_process(tool, root, table);
  }
  return table.take();
}

std::vector<dispatch_record> read_counter_output(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw runtime_error(fmt::format("{}: cannot read", path));
  std::ostringstream text;
  text << in.rdbuf();
  const bool is_json = path.size() >= 5 && path.compare(path.size() - 5, 5, ".json") == 0;
  return is_json ? parse_counter_json(text.str(), path) : parse_counter_csv(text.str(), path);
}

std::vector<std::string> find_counter_outputs(const std::string& dir, const std::string& format) {
  namespace fs = std::filesystem;
  const std::string suffix = format == "json" ? "results.json" : "counter_collection.csv";
  std::vector<std::string> out;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (it->is_regular_file(ec) && name.size() >= suffix.size() &&
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0)
      out.push_back(it->path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace ridgeline::profiler::counters
