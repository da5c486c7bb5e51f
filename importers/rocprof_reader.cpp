// rocprof output read into imported launches (docs/import.md, "rocprof, rocprofv3 and
// rocprof-compute"). Two layouts, told apart by the header:
//  - wide, one row per dispatch and one column per counter: rocprof v1 `results.csv` (Index,
//    KernelName, gpu-id, ..., the counters, DispatchNs/BeginNs/EndNs/CompleteNs with
//    `--timestamp on`), rocprofv2's CSV and rocprof-compute's `pmc_perf.csv` (Dispatch_ID,
//    Kernel_Name, ..., Start_Timestamp, End_Timestamp). Per-channel columns `X[0]`, `X[1]`, ...
//    are folded into `X_sum` (checked against an `X_sum` column when the file has both);
//  - long, one row per (dispatch, counter): rocprofv3 `*counter_collection.csv`, read by the
//    counter pass's own parser (profiler/counters/rocprof_output.hpp), not a second one.
// FLOPs and bytes come from the metric formulas of the GPU's gfx target (configs/metrics,
// source rocprofv3); this file holds no counter name a formula uses.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "core/csv_table.hpp"
#include "core/error.hpp"
#include "importers/cell_values.hpp"
#include "importers/formats.hpp"
#include "importers/metric_evaluation.hpp"
#include "profiler/counters/rocprof_output.hpp"

namespace ridgeline::importers {

namespace {

namespace fs = std::filesystem;
using profiler::counters::metric_def;
using profiler::counters::metric_file;

std::string file_name_of(const std::string& path) {
  return fs::path(path).filename().string();
}

std::string read_text(const std::string& path) {
  std::error_code ec;
  std::ifstream in(path, std::ios::binary);
  if (!in || fs::is_directory(path, ec)) throw usage_error(fmt::format("{}: cannot read", path));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string join(const std::vector<std::string>& items, const char* separator) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : separator) + s;
  return out;
}

bool starts_with(const std::string& s, const char* prefix) {
  return s.rfind(prefix, 0) == 0;
}

// "gfx942:sramecc+:xnack-" (a full target id, as agent tables may give it) -> "gfx942".
std::string gfx_target(const std::string& name) {
  std::string out;
  for (char c : name.substr(0, name.find(':'))) {
    if (c != ' ' && c != '\t')
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

// "configs/metrics/amd/gfx942.yaml" -> "amd/gfx942.yaml": enough to find it, short in a reason.
std::string short_metrics_path(const std::string& path) {
  const fs::path p(path);
  return (p.parent_path().filename() / p.filename()).string();
}

// The metric formulas of each gfx target met in one file, loaded once. A target without a metric
// file is not an error of the input: its launches keep their time and say why they have no work.
class formulas {
 public:
  struct entry {
    std::optional<metric_file> file;
    std::string refusal;  // why not, when there is no file
  };

  explicit formulas(std::string metrics_dir) : metrics_dir_(std::move(metrics_dir)) {}

  const entry& for_arch(const std::string& arch) {
    auto it = cache_.find(arch);
    if (it != cache_.end()) return it->second;
    entry e;
    try {
      e.file = metric_file_for(metrics_dir_, "rocprofv3", arch);
    } catch (const usage_error& error) {
      e.refusal = fmt::format("no counter formulas for {} ({})", arch, error.what());
    }
    return cache_.emplace(arch, std::move(e)).first->second;
  }

  void used(const metric_file& f) {
    if (std::find(used_.begin(), used_.end(), f.path) == used_.end()) used_.push_back(f.path);
  }
  std::string used_paths() const { return join(used_, ", "); }

 private:
  std::string metrics_dir_;
  std::map<std::string, entry> cache_;
  std::vector<std::string> used_;
};

// "" when some metric of `file` whose name starts with `prefix` has all its counters; else why
// not, naming the counters the closest such formula lacks (what the user would add to --pmc).
std::string lacking(const metric_file& file, const char* prefix, const char* what,
                    const std::map<std::string, double>& counters) {
  const metric_def* closest = nullptr;
  std::vector<std::string> closest_absent;
  for (const auto& m : file.metrics) {
    if (!starts_with(m.name, prefix)) continue;
    std::vector<std::string> absent;
    for (const auto& c : m.expr.counters()) {
      if (counters.count(c) == 0) absent.push_back(c);
    }
    if (absent.empty()) return "";
    if (closest == nullptr || absent.size() < closest_absent.size()) {
      closest = &m;
      closest_absent = std::move(absent);
    }
  }
  if (closest == nullptr)
    return fmt::format("{} has no {} formula", short_metrics_path(file.path), what);
  return fmt::format("no {} counters ({} needs {})", what, closest->name,
                     join(closest_absent, ", "));
}

// Fills the launch's work from the formulas for `arch` ("" when the file does not name the GPU
// and --device did not either: `no_arch` says so) and states why it cannot be placed, if so.
// `time_missing` is why the launch has no time ("" when it has one).
void evaluate(imported_launch& launch, const std::map<std::string, double>& counters,
              const std::string& arch, const std::string& no_arch, const std::string& time_missing,
              const std::string& where, formulas& known) {
  std::vector<std::string> reasons;
  if (arch.empty()) {
    reasons.push_back(no_arch);
  } else if (const auto& f = known.for_arch(arch); !f.file) {
    reasons.push_back(f.refusal);
  } else {
    evaluated_work ev;
    try {
      ev = evaluate_work(*f.file, counters);
    } catch (const runtime_error& e) {
      // A formula gone negative (32 B requests above all requests): the counters contradict
      // each other, so the file is wrong, not the environment.
      throw usage_error(
          fmt::format("{}: {} ({})", where, e.what(), short_metrics_path(f.file->path)));
    }
    known.used(*f.file);
    launch.work = std::move(ev.work);
    if (!launch.time_s && ev.time_s) launch.time_s = ev.time_s;
    for (const auto& r : {lacking(*f.file, "flops_", "FLOP", counters),
                          lacking(*f.file, "bytes_", "byte", counters)}) {
      if (!r.empty()) reasons.push_back(r);
    }
  }
  if (!launch.time_s) {
    reasons.push_back(time_missing);
  } else if (*launch.time_s <= 0) {
    reasons.push_back("the dispatch's duration is 0 ns");
  }
  launch.unplaceable = join(reasons, "; ");
}

// ---- wide layout (results.csv, pmc_perf.csv) ----

// Dispatch properties of both header dialects: everything else that looks like a counter name
// is one. rocprof's derived metrics (GPUBusy, VALUInsts, ...) do not look like counters and are
// left out; FETCH_SIZE-style derived metrics do and are kept in `raw` (no formula uses them).
const std::set<std::string>& dispatch_columns() {
  static const std::set<std::string> names = {
      // rocprof v1 results.csv (and Omniperf 1.x pmc_perf.csv)
      "Index", "KernelName", "gpu-id", "queue-id", "queue-index", "pid", "tid", "grd", "wgr", "lds",
      "scr", "vgpr", "arch_vgpr", "accum_vgpr", "sgpr", "fbar", "wave_size", "sig", "obj",
      "DispatchNs", "BeginNs", "EndNs", "CompleteNs", "DurationNs",
      // rocprofv2 and rocprof-compute pmc_perf.csv
      "Dispatch_ID", "Kernel_Name", "Kernel_ID", "GPU_ID", "Queue_ID", "Queue_Index", "PID", "TID",
      "Grid_Size", "Workgroup_Size", "LDS_Per_Workgroup", "Scratch_Per_Workitem", "Arch_VGPR",
      "Accum_VGPR", "SGPR", "Wave_Size", "SIG", "OBJ", "Correlation_ID", "Start_Timestamp",
      "End_Timestamp", "Node", "Node_ID", "Agent_ID"};
  return names;
}

// "TCC_HIT[3]" -> {"TCC_HIT", 3}; nullopt for a column without a channel index.
std::optional<std::pair<std::string, int>> channel_of(const std::string& name) {
  if (name.size() < 4 || name.back() != ']') return std::nullopt;
  const auto open = name.rfind('[');
  if (open == std::string::npos || open == 0) return std::nullopt;
  const std::string digits = name.substr(open + 1, name.size() - open - 2);
  if (digits.empty() || digits.size() > 6 ||
      !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  return std::make_pair(name.substr(0, open), std::stoi(digits));
}

// A hardware block prefix in capitals and an underscore: SQ_WAVES, TCC_EA0_RDREQ_sum, GRBM_COUNT.
bool looks_like_counter(const std::string& column) {
  if (dispatch_columns().count(column) != 0) return false;
  const auto ch = channel_of(column);
  const std::string name = ch ? ch->first : column;
  const auto us = name.find('_');
  if (us == std::string::npos || us == 0 || us + 1 == name.size()) return false;
  for (std::size_t i = 0; i < us; ++i) {
    const char c = name[i];
    if (!((c >= 'A' && c <= 'Z') || (i > 0 && c >= '0' && c <= '9'))) return false;
  }
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

bool agree(double a, double b) {
  return std::fabs(a - b) <= 1e-6 * std::max(std::fabs(a), std::fabs(b));
}

struct channel_total {
  double sum = 0;
  std::map<int, double> seen;  // channel -> value
  std::size_t order = 0;       // position among the row's counters
};

// One row's counters: plain columns as they are, channel columns summed into X_sum (checked
// against an X_sum column). `order` keeps the file's column order for `raw`.
void read_counters(const csv_table& t, const csv_record& row,
                   const std::vector<std::size_t>& counter_columns,
                   std::map<std::string, double>& values, std::vector<std::string>& order) {
  const std::string where = t.where(row);
  std::map<std::string, channel_total> channels;
  std::vector<std::pair<std::size_t, std::string>> positions;  // (position, name) to order
  std::size_t position = 0;
  for (std::size_t c : counter_columns) {
    const std::string& name = t.header[c];
    const auto v = parse_cell_number(t.cell(row, c), where, name);
    ++position;
    if (!v) continue;  // "n/a", or a cell past the end of a short row
    if (*v < 0)
      throw usage_error(
          fmt::format("{}: {}: a count cannot be negative, got '{}'", where, name, t.cell(row, c)));
    if (const auto ch = channel_of(name)) {
      auto [it, fresh] = channels.try_emplace(ch->first);
      if (fresh) it->second.order = position;
      const auto [s, first] = it->second.seen.emplace(ch->second, *v);
      if (!first && !agree(s->second, *v))
        throw usage_error(
            fmt::format("{}: column {} appears twice with different values ({} and {})", where,
                        name, s->second, *v));
      if (first) it->second.sum += *v;
      continue;
    }
    const auto [it, first] = values.emplace(name, *v);
    if (!first && !agree(it->second, *v))
      throw usage_error(fmt::format("{}: column {} appears twice with different values ({} and {})",
                                    where, name, it->second, *v));
    if (first) positions.emplace_back(position, name);
  }
  for (const auto& [base, total] : channels) {
    const std::string sum_name = base + "_sum";
    const auto stated = values.find(sum_name);
    if (stated == values.end()) {
      values[sum_name] = total.sum;
      positions.emplace_back(total.order, sum_name);
    } else if (!agree(stated->second, total.sum)) {
      throw usage_error(fmt::format("{}: {} is {} but {}[{}..{}] sum to {}", where, sum_name,
                                    stated->second, base, total.seen.begin()->first,
                                    total.seen.rbegin()->first, total.sum));
    }
  }
  std::sort(positions.begin(), positions.end());
  order.clear();
  for (auto& p : positions) order.push_back(std::move(p.second));
}

std::optional<std::size_t> first_of(const csv_table& t, std::initializer_list<const char*> names) {
  for (const char* n : names) {
    if (const auto c = t.column(n)) return c;
  }
  return std::nullopt;
}

imported_file read_wide(const csv_table& t, const read_context& context) {
  imported_file out;
  out.path = t.file;
  out.format = "rocprof";
  out.tool = "rocprof";

  const auto kernel = first_of(t, {"KernelName", "Kernel_Name"});
  if (!kernel)
    throw usage_error(fmt::format(
        "{}:{}: no KernelName or Kernel_Name column (not rocprof output?)", t.file, t.header_line));
  const auto id = first_of(t, {"Index", "Dispatch_ID"});
  const bool v1 = t.column("KernelName").has_value();
  const char* begin_name = v1 ? "BeginNs" : "Start_Timestamp";
  const char* end_name = v1 ? "EndNs" : "End_Timestamp";
  const auto begin = t.column(begin_name);
  const auto end = t.column(end_name);
  const auto duration = t.column("DurationNs");
  std::vector<std::size_t> counter_columns;
  for (std::size_t c = 0; c < t.header.size(); ++c) {
    if (looks_like_counter(t.header[c])) counter_columns.push_back(c);
  }

  const std::string arch = gfx_target(context.device_arch);
  const std::string no_arch =
      fmt::format("{} does not name the GPU: pass --device to choose its counter formulas",
                  file_name_of(t.file));
  formulas known(context.metrics_dir);
  std::map<std::string, double> values;
  std::vector<std::string> order;
  for (const auto& row : t.rows) {
    const std::string where = t.where(row);
    imported_launch l;
    l.line = row.line;
    l.kernel = t.cell(row, *kernel);
    if (l.kernel.empty())
      throw usage_error(fmt::format("{}: {}: empty kernel name", where, t.header[*kernel]));
    if (id) l.launch = t.cell(row, *id);

    std::string time_missing;
    if (begin && end) {
      const auto b = parse_cell_number(t.cell(row, *begin), where, begin_name);
      const auto e = parse_cell_number(t.cell(row, *end), where, end_name);
      if (b && e) {
        if (*e < *b)
          throw usage_error(fmt::format("{}: {} ({}) is before {} ({})", where, end_name,
                                        t.cell(row, *end), begin_name, t.cell(row, *begin)));
        l.time_s = (*e - *b) * 1e-9;
      } else {
        time_missing = fmt::format("no {}/{} on this row", begin_name, end_name);
      }
    } else if (duration) {
      if (const auto d = parse_cell_number(t.cell(row, *duration), where, "DurationNs")) {
        if (*d < 0)
          throw usage_error(
              fmt::format("{}: DurationNs: negative duration '{}'", where, t.cell(row, *duration)));
        l.time_s = *d * 1e-9;
      } else {
        time_missing = "no DurationNs on this row";
      }
    } else {
      time_missing = v1 ? "no BeginNs/EndNs columns (collect with rocprof --timestamp on)"
                        : "no Start_Timestamp/End_Timestamp columns";
    }

    read_counters(t, row, counter_columns, values, order);
    for (const auto& name : order) l.raw.emplace_back(name, values.at(name));
    evaluate(l, values, arch, no_arch, time_missing, where, known);
    values.clear();
    out.launches.push_back(std::move(l));
  }
  out.metrics_file = known.used_paths();
  return out;
}

// ---- long layout (rocprofv3 counter_collection.csv) ----

struct agent {
  std::string arch;    // "gfx942"
  std::string device;  // "AMD Instinct MI300X", else the arch
};

// rocprofv3 writes `<prefix>agent_info.csv` beside `<prefix>counter_collection.csv` (or one level
// up, when counters went to pass_N/ folders); its Name column is the gfx target.
std::string agent_info_beside(const std::string& counters_path) {
  const fs::path p(counters_path);
  const std::string name = p.filename().string();
  const std::string suffix = "counter_collection.csv";
  if (name.size() < suffix.size()) return "";
  const std::string prefix = name.substr(0, name.size() - suffix.size());
  for (const fs::path& dir : {p.parent_path(), p.parent_path().parent_path()}) {
    const fs::path candidate = dir / (prefix + "agent_info.csv");
    std::error_code ec;
    if (fs::is_regular_file(candidate, ec)) return candidate.string();
  }
  return "";
}

// The GPU agents of agent_info.csv, and which one an Agent_Id names: "Agent N" is the relative
// (logical node) index by default, "GPU N" the N-th GPU, a bare number a logical or absolute
// node id. With one GPU in the table, every Agent_Id is that GPU.
class agent_table {
 public:
  explicit agent_table(const std::string& path) {
    if (path.empty()) return;
    const csv_table t = read_csv(path);
    const auto type = t.column("Agent_Type");
    const auto node = t.column("Node_Id");
    const auto logical = t.column("Logical_Node_Id");
    const auto name = t.column("Name");
    const auto product = t.column("Product_Name");
    if (!name) return;
    for (const auto& row : t.rows) {
      if (type && t.cell(row, *type) != "GPU") continue;
      row_info r;
      r.node = node ? t.cell(row, *node) : "";
      r.logical = logical ? t.cell(row, *logical) : "";
      r.gpu.arch = gfx_target(t.cell(row, *name));
      const std::string p = product ? t.cell(row, *product) : "";
      r.gpu.device = p.empty() ? r.gpu.arch : p;
      rows_.push_back(std::move(r));
    }
  }

  bool present() const { return !rows_.empty(); }

  std::optional<agent> find(const std::string& agent_id) const {
    if (rows_.size() == 1) return rows_.front().gpu;
    std::string digits;
    for (auto it = agent_id.rbegin(); it != agent_id.rend() && *it >= '0' && *it <= '9'; ++it)
      digits.insert(digits.begin(), *it);
    if (digits.empty() || digits.size() > 9) return std::nullopt;
    if (starts_with(agent_id, "GPU")) {
      const std::size_t n = std::stoul(digits);
      if (n < rows_.size()) return rows_[n].gpu;
      return std::nullopt;
    }
    const std::string n = std::to_string(std::stoull(digits));
    for (const auto& r : rows_)
      if (r.logical == n) return r.gpu;
    for (const auto& r : rows_)
      if (r.node == n) return r.gpu;
    return std::nullopt;
  }

 private:
  struct row_info {
    std::string node, logical;
    agent gpu;
  };
  std::vector<row_info> rows_;
};

imported_file read_counter_collection(const std::string& path, const std::string& text,
                                      const csv_table& t, const read_context& context) {
  std::vector<profiler::counters::dispatch_record> records;
  try {
    records = profiler::counters::parse_counter_csv(text, path);
  } catch (const runtime_error& e) {
    throw usage_error(e.what());  // the counter pass's parser reports malformed input this way
  }
  imported_file out;
  out.path = path;
  out.format = "rocprofv3";
  out.tool = "rocprofv3";

  // The parser keeps no line numbers and orders counters by name: the table gives both.
  const auto c_agent = t.column("Agent_Id");
  const auto c_dispatch = t.column("Dispatch_Id");
  const auto c_counter = t.column("Counter_Name");
  const bool timestamps = t.column("Start_Timestamp") && t.column("End_Timestamp");
  std::map<std::pair<std::string, std::string>, std::pair<int, std::vector<std::string>>> seen;
  for (const auto& row : t.rows) {
    auto& [line, names] = seen[{c_agent ? t.cell(row, *c_agent) : "", t.cell(row, *c_dispatch)}];
    if (line == 0) line = row.line;
    const std::string n = t.cell(row, *c_counter);
    if (std::find(names.begin(), names.end(), n) == names.end()) names.push_back(n);
  }

  const std::string info_path = agent_info_beside(path);
  const agent_table agents(info_path);
  formulas known(context.metrics_dir);
  for (const auto& d : records) {
    const std::string agent_id = d.agent.substr(0, d.agent.find_last_not_of(" \t") + 1);
    const auto s = seen.find({agent_id, std::to_string(d.dispatch_id)});
    imported_launch l;
    l.kernel = d.kernel_name;
    l.launch = std::to_string(d.dispatch_id);
    l.line = s != seen.end() ? s->second.first : 0;
    const std::string where = fmt::format("{}:{}", path, l.line);
    if (s != seen.end()) {
      for (const auto& n : s->second.second) l.raw.emplace_back(n, d.counters.at(n));
    }
    std::string time_missing;
    if (!timestamps) {
      time_missing =
          fmt::format("{} has no Start_Timestamp/End_Timestamp columns", file_name_of(path));
    } else if (d.end_ns < d.start_ns) {
      throw usage_error(fmt::format("{}: End_Timestamp ({}) is before Start_Timestamp ({})", where,
                                    d.end_ns, d.start_ns));
    } else {
      l.time_s = static_cast<double>(d.end_ns - d.start_ns) * 1e-9;
    }

    std::string arch;
    std::string no_arch;
    if (const auto a = agents.find(agent_id)) {
      arch = a->arch;
      l.device = a->device;
    } else {
      arch = gfx_target(context.device_arch);
      no_arch = agents.present() ? fmt::format("{} names no GPU for Agent_Id '{}': pass --device",
                                               file_name_of(info_path), agent_id)
                                 : fmt::format(
                                       "{} does not name the GPU and no agent_info.csv lies beside "
                                       "it: pass --device",
                                       file_name_of(path));
    }
    // rocprofv3 sums a counter over its dimensions (channels, XCDs) in the CSV, so a counter
    // collected as X is what the formulas call X_sum.
    std::map<std::string, double> values = d.counters;
    for (const auto& [name, v] : d.counters) {
      if (name.size() < 4 || name.compare(name.size() - 4, 4, "_sum") != 0)
        values.emplace(name + "_sum", v);
    }
    evaluate(l, values, arch, no_arch, time_missing, where, known);
    out.launches.push_back(std::move(l));
  }
  out.metrics_file = known.used_paths();
  return out;
}

bool is_long_layout(const csv_table& t) {
  return t.column("Counter_Name") && t.column("Counter_Value");
}

// The first record of a file (its header), trimmed; empty when unreadable. Never throws.
std::vector<std::string> sniff_header(const std::string& path) {
  try {
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) return {};
    std::ifstream in(path, std::ios::binary);
    std::string text(1 << 20, '\0');  // a pmc_perf.csv header can run to tens of kilobytes
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<std::size_t>(in.gcount()));
    std::size_t pos = text.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;
    int line = 1;
    std::vector<std::string> fields;
    while (next_csv_record(text, pos, line, fields, path)) {
      for (auto& f : fields) {
        const auto a = f.find_first_not_of(" \t\r\n");
        f = a == std::string::npos ? "" : f.substr(a, f.find_last_not_of(" \t\r\n") - a + 1);
      }
      if (!(fields.size() == 1 && fields[0].empty())) return fields;
    }
  } catch (...) {
  }
  return {};
}

}  // namespace

imported_file read_rocprof(const std::string& path, const read_context& context) {
  const std::string text = read_text(path);
  const csv_table t = parse_csv(text, path);
  return is_long_layout(t) ? read_counter_collection(path, text, t, context)
                           : read_wide(t, context);
}

bool looks_like_rocprof(const std::string& path) {
  const std::string name = file_name_of(path);
  // rocprof-compute's pmc_perf*.csv are rocprof tables too, but that format reads them with the
  // workload's sysinfo.csv: leave them to it so --format auto never has two candidates.
  if (starts_with(name, "pmc_perf")) return false;
  const auto header = sniff_header(path);
  const auto has = [&](const char* c) {
    return std::find(header.begin(), header.end(), c) != header.end();
  };
  if (has("Counter_Name") && has("Counter_Value") && has("Dispatch_Id")) return true;        // v3
  if (has("KernelName") && (has("gpu-id") || has("queue-id") || has("Index"))) return true;  // v1
  return has("Kernel_Name") && has("Dispatch_ID") && has("GPU_ID");                          // v2
}

}  // namespace ridgeline::importers
