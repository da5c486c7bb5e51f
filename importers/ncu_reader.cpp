// Nsight Compute CSV exports read into imported launches (docs/import.md, "Nsight Compute"):
//  - `ncu --csv --page raw`: one row per launch, one column per metric, a units row under the
//    header;
//  - `ncu --csv --page details` (ncu's default page): one row per (launch, section, metric) with
//    "Metric Name", "Metric Unit" and "Metric Value" columns; the names are raw counter names for
//    `--metrics` ("Command line profiler metrics") and with `--print-metric-name name`, labels
//    ("Duration", "DRAM Throughput") otherwise.
// Both pages become one list of (name, unit, value) cells per launch, and one function turns
// those into counters in the metrics file's units and evaluates the file's formulas. What this
// file knows is ncu's layout (column titles, the "Duration" label, the device__attribute_*
// identity metrics); FLOP and byte formulas and the counters they read live in
// configs/metrics/nvidia/ (STYLE.md lesson 6).
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "core/csv_table.hpp"
#include "core/error.hpp"
#include "importers/cell_values.hpp"
#include "importers/formats.hpp"
#include "importers/metric_evaluation.hpp"

namespace ridgeline::importers {
namespace {

namespace fs = std::filesystem;
namespace pc = profiler::counters;

// Without raw names only the duration can be read: throughput percentages are not counts.
constexpr const char* labels_only_reason =
    "ncu details page without raw counter names: re-export with --print-metric-name name (or use "
    "--page raw)";

// Used when neither the file nor the caller says which GPU ran the kernels (older ncu releases
// write no "CC" column, and device attributes appear only when they were collected).
constexpr const char* fallback_arch = "sm_90";

bool starts_with(const std::string& s, const std::string& prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}
bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}
bool is_integer(const std::string& s) {
  if (s.empty()) return false;
  for (const char c : s)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return true;
}
// ncu metric names are `unit__counter.rollup`; labels and identity columns have no "__".
bool is_counter_name(const std::string& s) {
  return s.find("__") != std::string::npos;
}

std::string join(const std::vector<std::string>& parts, const char* sep) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : sep) + p;
  return out;
}

bool contains(const std::vector<std::string>& cells, const char* name) {
  for (const auto& c : cells)
    if (c == name) return true;
  return false;
}

// The header of either page: it names the kernel and has metric columns (raw page) or the
// long-format metric columns (details page).
bool is_ncu_header(const std::vector<std::string>& cells) {
  if (!contains(cells, "Kernel Name")) return false;
  if (contains(cells, "Metric Name") && contains(cells, "Metric Value")) return true;
  for (const auto& c : cells)
    if (is_counter_name(c)) return true;
  return false;
}

// One metric cell as the file states it.
struct metric_cell {
  std::string name;  // raw counter name, or a label on the details page
  std::string unit;
  std::string value;
  std::string where;  // FILE:LINE of the row it came from
};

struct ncu_launch {
  std::string kernel;
  std::string launch;   // "ID"
  std::string process;  // "Process ID": with the ID, a launch's key (one report may hold several
                        // processes; their IDs are not assumed to be distinct)
  std::string host;
  std::string device;  // "Device" cell: an index in current ncu, a name only if not a number
  std::string cc;      // "CC", e.g. "9.0"
  int line = 0;
  std::string where;
  std::vector<metric_cell> metrics;
};

// What a counter's cells are scaled to: the quantity of the file's unit, then the factor from
// that base unit (seconds, bytes, plain counts) to the unit the metrics file declares.
struct counter_target {
  quantity q;
  double from_base;
};

std::optional<counter_target> target_of(const pc::counter_decl& d) {
  if (d.unit == "bytes") return counter_target{quantity::bytes, 1.0};
  if (d.unit == "nanoseconds") return counter_target{quantity::time, 1e9};
  if (d.unit == "seconds") return counter_target{quantity::time, 1.0};
  if (d.unit == "instructions" || d.unit == "operations")
    return counter_target{quantity::count, 1.0};
  // Clocks ("hertz"): ncu prints them as cycle/nsecond, and they make no FLOPs, bytes or time.
  return std::nullopt;
}

const char* unit_kind(quantity q) {
  switch (q) {
    case quantity::time:
      return "time";
    case quantity::bytes:
      return "byte";
    default:
      return "count";
  }
}

// A version stated before the header: `ncu --version`'s banner line "Version 2024.3.2.0 (build
// ...)", or a `==PROF==` line naming one. ncu's CSV itself names no version: "" then. Other
// text before the header (the application's output) is not looked at.
std::string version_in(const std::string& text, int header_line) {
  std::istringstream in(text);
  std::string line;
  for (int n = 1; n < header_line && std::getline(in, line); ++n) {
    std::size_t at = std::string::npos;
    if (starts_with(line, "Version ")) {
      at = 0;
    } else if (starts_with(line, "==")) {
      std::string lower = line;
      for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      at = lower.find("version ");
    }
    if (at == std::string::npos) continue;
    std::size_t b = at + 8;
    while (b < line.size() && line[b] == ' ') ++b;
    std::size_t e = b;
    while (e < line.size() &&
           (std::isalnum(static_cast<unsigned char>(line[e])) || line[e] == '.' || line[e] == '-'))
      ++e;
    if (e > b && std::isdigit(static_cast<unsigned char>(line[b]))) return line.substr(b, e - b);
  }
  return "";
}

// The identity columns both pages share.
struct identity_columns {
  std::optional<std::size_t> id, process, kernel, host, device, cc;
  explicit identity_columns(const csv_table& t)
      : id(t.column("ID")),
        process(t.column("Process ID")),
        kernel(t.column("Kernel Name")),
        host(t.column("Host Name")),
        device(t.column("Device")),
        cc(t.column("CC")) {}

  ncu_launch read(const csv_table& t, const csv_record& row) const {
    auto get = [&](const std::optional<std::size_t>& c) { return c ? t.cell(row, *c) : ""; };
    ncu_launch l;
    l.kernel = get(kernel);
    l.launch = get(id);
    l.process = get(process);
    l.host = get(host);
    l.device = get(device);
    l.cc = get(cc);
    l.line = row.line;
    l.where = t.where(row);
    if (l.kernel.empty()) throw usage_error(l.where + ": Kernel Name is empty");
    return l;
  }
};

// ncu's own messages (==PROF==, ==WARNING==) can follow the CSV when stdout was captured whole;
// a real row starts with its numeric ID.
bool is_message_row(const csv_record& row) {
  return !row.cells.empty() && starts_with(row.cells.front(), "==");
}

std::vector<ncu_launch> raw_launches(const csv_table& t) {
  const identity_columns ids(t);
  std::vector<std::size_t> metric_columns;
  for (std::size_t c = 0; c < t.header.size(); ++c)
    if (is_counter_name(t.header[c])) metric_columns.push_back(c);

  std::map<std::pair<std::string, std::string>, int> first_line;  // (process, ID) -> line
  std::vector<ncu_launch> out;
  for (const auto& row : t.rows) {
    if (is_message_row(row)) continue;
    ncu_launch l = ids.read(t, row);
    if (!l.launch.empty()) {
      const auto [it, fresh] = first_line.emplace(std::make_pair(l.process, l.launch), l.line);
      if (!fresh)
        throw usage_error(fmt::format("{}: launch ID {} repeats (first at line {})", l.where,
                                      l.launch, it->second));
    }
    for (const auto c : metric_columns)
      l.metrics.push_back({t.header[c], t.unit(c), t.cell(row, c), l.where});
    out.push_back(std::move(l));
  }
  return out;
}

std::vector<ncu_launch> details_launches(const csv_table& t) {
  const identity_columns ids(t);
  if (!ids.id)
    throw usage_error(
        fmt::format("{}:{}: no \"ID\" column: the details page needs it to tell launches apart",
                    t.file, t.header_line));
  const std::size_t name = *t.column("Metric Name");
  const std::size_t value = *t.column("Metric Value");
  const auto unit = t.column("Metric Unit");

  std::map<std::pair<std::string, std::string>, std::size_t> index;  // (process, ID) -> launch
  std::vector<ncu_launch> out;
  for (const auto& row : t.rows) {
    if (is_message_row(row)) continue;
    const std::string metric = t.cell(row, name);
    ncu_launch l = ids.read(t, row);
    const auto [it, fresh] = index.emplace(std::make_pair(l.process, l.launch), out.size());
    if (fresh) {
      out.push_back(l);
    } else if (out[it->second].kernel != l.kernel) {
      throw usage_error(fmt::format("{}: launch ID {} names kernel '{}', line {} named '{}'",
                                    l.where, l.launch, l.kernel, out[it->second].line,
                                    out[it->second].kernel));
    }
    if (metric.empty()) continue;  // a rule's row (Rule Name/Type/Description): no metric
    out[it->second].metrics.push_back(
        {metric, unit ? t.cell(row, *unit) : "", t.cell(row, value), l.where});
  }
  return out;
}

// One launch's cells in Ridgeline's terms, with the metrics file of its GPU's architecture.
class launch_reader {
 public:
  launch_reader(const read_context& context, bool details) : context_(context), details_(details) {}

  imported_launch read(const ncu_launch& l) {
    imported_launch out;
    out.kernel = l.kernel;
    out.line = l.line;
    out.launch = l.launch;
    out.host = l.host;
    if (!l.device.empty() && !is_integer(l.device)) out.device = l.device;
    for (const auto& cell : l.metrics) {
      if (cell.name == "device__attribute_display_name" && !cell.value.empty()) {
        out.device = cell.value;
        break;
      }
    }
    const pc::metric_file& file = metrics_for(l);

    // Counter -> (value in the metrics file's unit, read under an smsp__ alias).
    std::map<std::string, std::pair<double, bool>> read;
    std::optional<double> duration_s;  // the details page's "Duration" label
    bool any_names = false;
    for (const auto& cell : l.metrics) {
      if (!is_counter_name(cell.name)) {
        if (details_ && cell.name == "Duration" && !duration_s) {
          duration_s = scaled(cell, quantity::time);
          if (duration_s) out.raw.emplace_back(cell.name, *duration_s);
        }
        continue;
      }
      any_names = true;
      const pc::counter_decl* decl = file.find_counter(cell.name);
      bool alias = false;
      // smsp__X.sum is read as sm__X.sum: ncu's sections often name the SASS instruction
      // counters per SM sub-partition (smsp__), the metrics files per SM (sm__). A .sum over
      // every sub-partition and a .sum over every SM are both the total over the whole GPU, so
      // the two are the same number.
      if (decl == nullptr && starts_with(cell.name, "smsp__") && ends_with(cell.name, ".sum")) {
        decl = file.find_counter("sm__" + cell.name.substr(6));
        alias = true;
      }
      if (decl == nullptr) continue;
      const auto target = target_of(*decl);
      if (!target) continue;
      const auto known = read.find(decl->name);
      // The first cell of a counter wins (the details page repeats metrics across sections),
      // except that a counter's own name replaces an smsp__ alias read before it.
      if (known != read.end() && (alias || !known->second.second)) continue;
      const auto base = scaled(cell, target->q);
      if (!base) continue;  // n/a: the counter was not collected for this launch
      read[decl->name] = {*base * target->from_base, alias};
      out.raw.emplace_back(cell.name, *base);
    }

    std::map<std::string, double> counters;
    for (const auto& [name, v] : read) counters[name] = v.first;
    // The labels-only details page states the duration as "Duration": it feeds the time formula
    // when that formula is one time counter the file did not name.
    const pc::metric_def* time = file.find("time_s");
    if (duration_s && time != nullptr && time->expr.counters().size() == 1) {
      const std::string& c = time->expr.counters().front();
      const pc::counter_decl* decl = file.find_counter(c);
      const auto target = decl ? target_of(*decl) : std::nullopt;
      if (target && target->q == quantity::time && counters.count(c) == 0)
        counters[c] = *duration_s * target->from_base;
    }

    evaluated_work e;
    try {
      e = evaluate_work(file, counters);
    } catch (const runtime_error& error) {
      throw usage_error(fmt::format("{}: {}", l.where, error.what()));
    }
    out.work = std::move(e.work);
    out.time_s = e.time_s;
    out.unplaceable =
        details_ && !any_names ? std::string(labels_only_reason) : unplaceable(file, out, counters);
    return out;
  }

  // The metrics files used, in the order first used.
  std::string metrics_files() const { return join(used_, ", "); }

 private:
  // A cell's value in the base unit of `q`; nullopt for "no value" (n/a).
  static std::optional<double> scaled(const metric_cell& cell, quantity q) {
    const auto v = parse_cell_number(cell.value, cell.where, cell.name);
    if (!v) return std::nullopt;
    const auto scale = unit_scale(cell.unit, q);
    if (!scale) {
      if (cell.unit.empty())
        throw usage_error(fmt::format("{}: {}: no unit stated, expected a {} unit", cell.where,
                                      cell.name, unit_kind(q)));
      throw usage_error(fmt::format("{}: {}: unit '{}' is not a {} unit", cell.where, cell.name,
                                    cell.unit, unit_kind(q)));
    }
    // Bytes and counts are whole numbers: 33.55 Mbyte is 33,550,000 bytes, not the
    // 33,549,999.999999996 that the product of two doubles gives.
    const double base = *v * *scale;
    return q == quantity::bytes || q == quantity::count ? std::round(base) : base;
  }

  // "sm_90" from the launch's compute capability: the "CC" column, else the device attributes,
  // else the caller's card, else sm_90.
  std::string arch_of(const ncu_launch& l) const {
    std::string cc = l.cc;
    if (cc.empty()) {
      std::string major, minor;
      for (const auto& cell : l.metrics) {
        if (cell.name == "device__attribute_compute_capability_major") major = cell.value;
        if (cell.name == "device__attribute_compute_capability_minor") minor = cell.value;
      }
      if (!major.empty() && !minor.empty()) cc = major + "." + minor;
    }
    if (cc.empty()) return context_.device_arch.empty() ? fallback_arch : context_.device_arch;
    const auto dot = cc.find('.');
    const std::string major = cc.substr(0, dot);
    const std::string minor = dot == std::string::npos ? "" : cc.substr(dot + 1);
    if (!is_integer(major) || !is_integer(minor))
      throw usage_error(
          fmt::format("{}: CC: expected a compute capability like 9.0, got '{}'", l.where, cc));
    return "sm_" + major + minor;
  }

  const pc::metric_file& metrics_for(const ncu_launch& l) {
    const std::string arch = arch_of(l);
    auto it = files_.find(arch);
    if (it == files_.end()) {
      const std::string dir =
          context_.metrics_dir.empty() ? pc::default_metrics_dir() : context_.metrics_dir;
      try {
        it = files_.emplace(arch, metric_file_for(dir, "cupti", arch)).first;
      } catch (const usage_error& e) {
        throw usage_error(fmt::format("{}: {}: {}", l.where, arch, e.what()));
      }
      used_.push_back(it->second.path);
    }
    return it->second;
  }

  // Why the launch cannot be placed ("" when it can): no FLOP metric of the file computable, or
  // every one read zero; DRAM bytes or the time not computable. Names the counters to collect.
  static std::string unplaceable(const pc::metric_file& file, const imported_launch& l,
                                 const std::map<std::string, double>& counters) {
    // The counters `metric`'s formula needs that the launch lacks, added to `absent` once each.
    auto lacks = [&](const pc::metric_def& metric, std::vector<std::string>& absent) {
      bool any = false;
      for (const auto& c : metric.expr.counters()) {
        if (counters.count(c) != 0) continue;
        any = true;
        if (std::find(absent.begin(), absent.end(), c) == absent.end()) absent.push_back(c);
      }
      return any;
    };
    std::vector<std::string> flop_absent, dram_absent, time_absent, reasons;
    bool flops_computed = false;
    for (const auto& m : file.metrics) {
      if (starts_with(m.name, "flops_")) flops_computed |= !lacks(m, flop_absent);
      if (m.name == "bytes_dram") lacks(m, dram_absent);
      if (m.name == "time_s") lacks(m, time_absent);
    }
    if (l.work.flops.empty()) {
      reasons.push_back(flops_computed
                            ? "no FLOPs: every FLOP counter read is zero"
                            : "no FLOP counters (missing: " + join(flop_absent, ", ") + ")");
    }
    if (!dram_absent.empty())
      reasons.push_back("no DRAM bytes (missing: " + join(dram_absent, ", ") + ")");
    if (!time_absent.empty())
      reasons.push_back("no time (missing: " + join(time_absent, ", ") + ")");
    return join(reasons, "; ");
  }

  const read_context& context_;
  bool details_;
  std::map<std::string, pc::metric_file> files_;  // by arch
  std::vector<std::string> used_;
};

}  // namespace

imported_file read_ncu(const std::string& path, const read_context& context) {
  std::error_code ec;
  std::ifstream in(path, std::ios::binary);
  if (!in || fs::is_directory(path, ec)) throw usage_error(fmt::format("{}: cannot read", path));
  std::ostringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();

  // The header: the first record naming the kernel column, or starting with ncu's "ID" column
  // (so that a header without "Kernel Name" is named as such rather than "no header").
  csv_options options;
  options.is_header = [](const std::vector<std::string>& cells) {
    return contains(cells, "Kernel Name") || (cells.size() > 1 && cells.front() == "ID");
  };
  // The raw page's units row: empty under the identity columns, units under the metrics.
  options.is_units_row = [](const std::vector<std::string>& header,
                            const std::vector<std::string>& record) {
    if (contains(header, "Metric Name")) return false;
    for (std::size_t c = 0; c < header.size() && c < record.size(); ++c)
      if (header[c] == "ID" || header[c] == "Kernel Name") return record[c].empty();
    return false;
  };
  const csv_table table = parse_csv(text, path, options);
  if (!table.column("Kernel Name"))
    throw usage_error(
        fmt::format("{}:{}: no \"Kernel Name\" column in the header", path, table.header_line));
  const bool details = table.column("Metric Name").has_value();
  if (details && !table.column("Metric Value"))
    throw usage_error(fmt::format("{}:{}: a \"Metric Name\" column without \"Metric Value\"", path,
                                  table.header_line));

  imported_file file;
  file.path = path;
  file.format = details ? "ncu-details" : "ncu-raw";
  file.tool = "ncu";
  file.tool_version = version_in(text, table.header_line);
  launch_reader reader(context, details);
  for (const auto& l : details ? details_launches(table) : raw_launches(table))
    file.launches.push_back(reader.read(l));
  file.metrics_file = reader.metrics_files();
  return file;
}

bool looks_like_ncu(const std::string& path) {
  try {
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) return false;
    std::ifstream in(path, std::ios::binary);
    std::string line;
    // ~20 lines of content; ncu's own `==PROF==` lines (one per profiled kernel) are not counted,
    // up to a bound, so a long profiling session captured whole is still recognised.
    int content = 0;
    for (int total = 0; content < 20 && total < 2000 && std::getline(in, line); ++total) {
      if (starts_with(line, "==")) continue;
      ++content;
      if (line.find("Kernel Name") == std::string::npos) continue;
      std::size_t pos = 0;
      int n = 1;
      std::vector<std::string> cells;
      try {
        next_csv_record(line, pos, n, cells, path);
      } catch (const usage_error&) {
        continue;
      }
      for (auto& c : cells) {
        while (!c.empty() && (c.back() == ' ' || c.back() == '\r')) c.pop_back();
        while (!c.empty() && c.front() == ' ') c.erase(0, 1);
      }
      if (is_ncu_header(cells)) return true;
    }
  } catch (...) {
    // Recognising never throws: a file that cannot be read is not this format.
  }
  return false;
}

}  // namespace ridgeline::importers
