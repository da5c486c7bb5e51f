// Huawei Ascend msprof (CANN) results: an `msprof op` output folder, and the op_summary_*.csv of
// msprof / the torch_npu profiler. Layouts from the CANN documentation ("msprof op" data files
// OpBasicInfo, ArithmeticUtilization, Memory, PipeUtilization; Profiling "op_summary"); the rules
// below are the ones docs/import.md states ("Ascend msprof").
//
// Why the vendor's column names are here and not in a configs/metrics file (STYLE.md lesson 6):
// these columns already are counts of FLOPs and bytes, and the precision of a FLOP count is chosen
// by a rule over several columns (input data types, then per-precision cycle ratios), which a
// formula cannot state. Every name this reader interprets is in `metric_role_of` and
// `dtype_precision`.
//
// What the counters give, and how it is combined:
//  - `msprof op` writes one row per core (cube and vector cores of a block alike) to each metric
//    file; a launch's counts are the sums over its cores. Its time is OpBasicInfo's Task Duration.
//  - op_summary writes one row per task: one launch per row, already combined over cores.
//  - cube FLOPs (`*_cube_fops`) are unit "tensor" (the card's matrix roof), vector FLOPs
//    (`*_vec_fops`, `*_vector_fops`) unit "simt" (its vector roof).
//  - precision (see add_flops): for cube FLOPs the operator's input data types when they name
//    exactly one floating (or int8) type, else the cube's per-precision cycle ratios when exactly
//    one is non-zero; for vector FLOPs the vector ratios first, the data types second. Otherwise
//    the unit's FLOPs are left out and the launch is unplaceable, with the reason. Cycle ratios
//    never split a count: an int8 cube cycle does twice the operations of an fp16 one.
//  - bytes: level "dram" = main memory (GM) read + write (`read_main_memory_datas(KB)`,
//    `write_main_memory_datas(KB)`, also with an aic_/aiv_ prefix). Bandwidth columns (GB/s) are
//    rates, never turned into counts. No documented column counts L2 bytes.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "core/csv_table.hpp"
#include "core/error.hpp"
#include "importers/cell_values.hpp"
#include "importers/formats.hpp"

namespace ridgeline::importers {

namespace {

namespace fs = std::filesystem;

constexpr int max_folder_depth = 4;  // OPPROF_x/<device>/<op>/<launch>: launch folders we look for
constexpr std::size_t sniff_bytes = 64 * 1024;

// --- units ---------------------------------------------------------------------------------------

// msprof's KB/MB/GB are binary multiples, as Huawei's tools print them (npu-smi gives a 64 GB HBM
// as "65536 MB"); cell_values' KB is decimal (Nsight Compute's convention), so the names are
// mapped to KiB/MiB/GiB before scaling. Also for rates: "GB/s" is read as GiB/s.
std::optional<double> msprof_scale(std::string unit, quantity q) {
  static const std::pair<const char*, const char*> binary[] = {
      {"KB", "KiB"}, {"MB", "MiB"}, {"GB", "GiB"}, {"TB", "TiB"}};
  for (const auto& [dec, bin] : binary) {
    const std::string d = dec;
    if (unit == d)
      unit = bin;
    else if (unit.rfind(d + "/", 0) == 0)
      unit = bin + unit.substr(d.size());
  }
  return unit_scale(unit, q);
}

// --- columns -------------------------------------------------------------------------------------

struct column_info {
  std::string name;             // as written
  std::string base;             // without the unit suffix
  std::string unit;             // "" when none
  std::string metric;           // base without an aic_/aiv_ prefix
  std::vector<std::size_t> at;  // every position of this name (repeated columns)
};

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool known_unit(const std::string& unit) {
  for (quantity q : {quantity::time, quantity::bytes, quantity::byte_rate, quantity::percent})
    if (msprof_scale(unit, q)) return true;
  return false;
}

std::vector<column_info> columns_of(const csv_table& t) {
  std::vector<column_info> out;
  for (std::size_t i = 0; i < t.header.size(); ++i) {
    auto it = std::find_if(out.begin(), out.end(),
                           [&](const column_info& c) { return c.name == t.header[i]; });
    if (it != out.end()) {
      it->at.push_back(i);
      continue;
    }
    column_info c;
    c.name = t.header[i];
    std::tie(c.base, c.unit) = split_unit_suffix(c.name);
    // "L1_to_GM_datas(KB)(estimate)": the unit is the inner group, the outer one a qualifier.
    if (!c.unit.empty() && !known_unit(c.unit)) {
      auto [inner_base, inner_unit] = split_unit_suffix(c.base);
      if (!inner_unit.empty() && known_unit(inner_unit)) {
        c.base = inner_base + " (" + c.unit + ")";
        c.unit = inner_unit;
      }
    }
    c.metric = c.base;
    for (const char* prefix : {"aic_", "aiv_"})
      if (c.metric.rfind(prefix, 0) == 0) c.metric = c.metric.substr(4);
    c.at.push_back(i);
    out.push_back(std::move(c));
  }
  return out;
}

const column_info* find_base(const std::vector<column_info>& cols, const std::string& base) {
  for (const auto& c : cols)
    if (c.base == base) return &c;
  return nullptr;
}

std::string header_where(const csv_table& t) {
  return fmt::format("{}:{}", t.file, t.header_line);
}

// The cell of a column that may be repeated: every occurrence must say the same.
std::string cell_of(const csv_table& t, const csv_record& row, const column_info& c) {
  const std::string first = t.cell(row, c.at[0]);
  for (std::size_t k = 1; k < c.at.size(); ++k) {
    const std::string other = t.cell(row, c.at[k]);
    if (other != first)
      throw usage_error(fmt::format(
          "{}: column '{}' is repeated (columns {} and {}) with different values ('{}', '{}')",
          t.where(row), c.name, c.at[0] + 1, c.at[k] + 1, first, other));
  }
  return first;
}

// Ids and timestamps are not counters: left out of `raw`.
bool is_identity(const column_info& c) {
  const std::string n = lower(c.base);
  return n.size() >= 2 && n.compare(n.size() - 2, 2, "id") == 0;
}

// The scale of a column's unit to base units, and what kind of value it is. Unknown units keep the
// value as written (scale 1).
struct scaled {
  double scale = 1;
  std::optional<quantity> kind;
};
scaled scale_of(const column_info& c) {
  if (c.unit.empty()) return {};
  for (quantity q : {quantity::time, quantity::bytes, quantity::byte_rate, quantity::percent}) {
    if (const auto s = msprof_scale(c.unit, q)) return {*s, q};
  }
  return {};
}

// Every numeric, non-identity cell of `row` into launch.raw in base units, named `prefix` + the
// column (its unit dropped when it was scaled); names, shapes, types and labels are not counters.
void add_numeric_cells(imported_launch& launch, const csv_table& t, const csv_record& row,
                       const std::vector<column_info>& cols, const std::string& prefix) {
  for (const auto& c : cols) {
    if (is_identity(c)) continue;
    const scaled s = scale_of(c);
    try {
      if (const auto v = parse_cell_number(t.cell(row, c.at[0]), t.where(row), c.name))
        launch.raw.emplace_back(prefix + (s.kind ? c.base : c.name), *v * s.scale);
    } catch (const usage_error&) {
    }
  }
}

// --- what the counters mean ----------------------------------------------------------------------

enum class role { none, cube_fops, vector_fops, cube_ratio, vector_ratio, dram_bytes };

struct metric_role {
  role what = role::none;
  const char* precision = "";  // ratios: the precision whose cycles they count
};

// `metric`: a column name without unit and without the aic_/aiv_ prefix. ArithmeticUtilization
// (msprof op) spells the cube ratios cube_*_ratio, op_summary mac_*_ratio; op_summary spells the
// vector count vector_fops, msprof op vec_fops.
metric_role metric_role_of(const std::string& metric) {
  if (metric == "cube_fops") return {role::cube_fops};
  if (metric == "vec_fops" || metric == "vector_fops") return {role::vector_fops};
  if (metric == "cube_fp16_ratio" || metric == "mac_fp16_ratio") return {role::cube_ratio, "f16"};
  if (metric == "cube_int8_ratio" || metric == "mac_int8_ratio") return {role::cube_ratio, "int8"};
  if (metric == "vec_fp32_ratio") return {role::vector_ratio, "f32"};
  if (metric == "vec_fp16_ratio") return {role::vector_ratio, "f16"};
  if (metric == "read_main_memory_datas" || metric == "write_main_memory_datas")
    return {role::dram_bytes};
  return {};
}

// The one precision the operator's input data types name ("FLOAT16;FLOAT16" -> f16,
// "INT8;INT8;INT32" -> int8: integer index/bias types and BOOL do not count), or "" when they
// name none or several.
std::string dtype_precision(const std::string& text) {
  static const std::map<std::string, std::string> names = {
      {"FLOAT16", "f16"},   {"HALF", "f16"},    {"FP16", "f16"},    {"BF16", "bf16"},
      {"BFLOAT16", "bf16"}, {"FLOAT", "f32"},   {"FLOAT32", "f32"}, {"FP32", "f32"},
      {"DOUBLE", "f64"},    {"FLOAT64", "f64"}, {"INT8", "int8"}};
  std::set<std::string> found;
  std::string token;
  const auto take = [&] {
    std::string t = token;
    token.clear();
    for (auto& ch : t) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    if (t.rfind("DT_", 0) == 0) t = t.substr(3);
    if (const auto it = names.find(t); it != names.end()) found.insert(it->second);
  };
  for (const char ch : text) {
    if (std::isalnum(static_cast<unsigned char>(ch)) || ch == '_')
      token += ch;
    else
      take();
  }
  take();
  return found.size() == 1 ? *found.begin() : "";
}

// A counter summed over rows (cores); `columns` are the names that fed it.
struct total {
  std::vector<std::string> columns;
  std::optional<double> value;  // nullopt while every cell was "no value"
  void add_column(const std::string& name) {
    if (std::find(columns.begin(), columns.end(), name) == columns.end()) columns.push_back(name);
  }
  void add(double v) { value = value.value_or(0) + v; }
};

std::string joined(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& x : v) out += (out.empty() ? "" : ", ") + x;
  return out;
}

std::string names(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& x : v) out += (out.empty() ? "" : " + ") + x;
  return out;
}

struct pmu_totals {
  total cube_fops, vector_fops, dram_bytes;
  std::map<std::string, total> cube_ratio, vector_ratio;  // by precision
};

// Adds one row's counters. `flops`/`bytes`: whether this file's FLOP/ratio or byte columns count
// (an msprof op folder takes FLOPs only from ArithmeticUtilization and bytes only from Memory).
void accumulate(pmu_totals& totals, const csv_table& t, const csv_record& row,
                const std::vector<column_info>& cols, bool flops, bool bytes) {
  for (const auto& c : cols) {
    const metric_role r = metric_role_of(c.metric);
    if (r.what == role::none) continue;
    if (r.what == role::dram_bytes ? !bytes : !flops) continue;
    double scale = 1;
    if (r.what == role::dram_bytes) {
      const auto s = msprof_scale(c.unit, quantity::bytes);
      if (c.unit.empty() || !s)
        throw usage_error(
            fmt::format("{}: column '{}': expected a byte unit such as (KB), got "
                        "'{}'",
                        header_where(t), c.name, c.unit));
      scale = *s;
    }
    total* sum = nullptr;
    switch (r.what) {
      case role::cube_fops:
        sum = &totals.cube_fops;
        break;
      case role::vector_fops:
        sum = &totals.vector_fops;
        break;
      case role::dram_bytes:
        sum = &totals.dram_bytes;
        break;
      case role::cube_ratio:
        sum = &totals.cube_ratio[r.precision];
        break;
      case role::vector_ratio:
        sum = &totals.vector_ratio[r.precision];
        break;
      case role::none:
        break;
    }
    sum->add_column(c.name);
    const auto v = parse_cell_number(cell_of(t, row, c), t.where(row), c.name);
    if (!v) continue;
    if (*v < 0)
      throw usage_error(
          fmt::format("{}: {}: must not be negative (got {:g})", t.where(row), c.name, *v));
    sum->add(*v * scale);
  }
}

// "aiv_vec_fp16_ratio, aiv_vec_fp32_ratio": the ratio columns with a non-zero value.
std::string nonzero_ratios(const std::map<std::string, total>& ratios) {
  std::string out;
  for (const auto& [precision, t] : ratios)
    if (t.value && *t.value > 0) out += (out.empty() ? "" : ", ") + names(t.columns);
  return out;
}

// The FLOPs of one unit into the launch's work, or the reason they cannot be placed. The evidence
// for the precision is taken in the order that best says what the unit executed: the cube
// consumes the inputs' type as it is (and only the data types tell bf16 from fp16), so `dtype`
// comes first for it; the vector unit often computes in a wider type than its inputs (an fp16
// MatMul's epilogue runs in fp32), so its own ratios come first and `dtype` only decides when no
// ratio is non-zero.
void add_flops(const total& fops, const std::map<std::string, total>& ratios, const char* unit,
               bool dtype_first, const std::string& dtype, imported_launch& launch,
               std::vector<std::string>& why) {
  // No value (N/A on every core) or zero: nothing of this unit; finish() says so when no unit
  // has FLOPs (a vector-only task's cube columns are N/A, and that is no reason).
  if (!fops.value || *fops.value == 0) return;
  std::vector<std::string> used;  // precisions with a non-zero cycle ratio
  for (const auto& [p, t] : ratios)
    if (t.value && *t.value > 0) used.push_back(p);
  std::string precision;
  if (dtype_first && !dtype.empty()) {
    precision = dtype;
  } else if (used.size() == 1) {
    precision = used.front();
  } else if (used.size() > 1) {
    why.push_back(
        fmt::format("{} mixes precisions ({} are non-zero): cycle ratios do not split "
                    "a FLOP count",
                    names(fops.columns), nonzero_ratios(ratios)));
    return;
  } else if (!dtype.empty()) {
    precision = dtype;
  } else {
    why.push_back(fmt::format(
        "{} counts {:g} FLOPs of no known precision (the input data types name no single one and "
        "no per-precision ratio is non-zero)",
        names(fops.columns), *fops.value));
    return;
  }
  launch.work.flops.push_back(
      {precision, unit, static_cast<std::uint64_t>(std::llround(*fops.value))});
}

// Work and unplaceable reasons from the totals. `no_counts`, `no_flops`, `no_bytes`: why, when no
// FLOP and no byte column, no FLOP column or no byte column was there at all (the caller knows
// which file or metric set was missing).
void finish(imported_launch& launch, const pmu_totals& totals, const std::string& dtype,
            const std::string& no_counts, const std::string& no_flops, const std::string& no_bytes,
            std::vector<std::string> why) {
  std::vector<std::string> fops = totals.cube_fops.columns;
  fops.insert(fops.end(), totals.vector_fops.columns.begin(), totals.vector_fops.columns.end());
  const bool any_flops = !fops.empty();
  const bool any_bytes = !totals.dram_bytes.columns.empty();
  if (!any_flops && !any_bytes) {
    why.push_back(no_counts);
  } else {
    if (!any_flops) why.push_back(no_flops);
    if (!any_bytes) why.push_back(no_bytes);
  }
  const bool flop_value = totals.cube_fops.value || totals.vector_fops.value;
  if (any_flops && !flop_value) why.push_back(fmt::format("no FLOP count ({}: N/A)", joined(fops)));
  const std::size_t reasons = why.size();
  add_flops(totals.cube_fops, totals.cube_ratio, "tensor", true, dtype, launch, why);
  add_flops(totals.vector_fops, totals.vector_ratio, "simt", false, dtype, launch, why);
  if (flop_value && launch.work.flops.empty() && why.size() == reasons)
    why.push_back(fmt::format("no FLOPs counted ({}: 0)", joined(fops)));
  if (any_bytes) {
    if (totals.dram_bytes.value) {
      launch.work.bytes.push_back(
          {"dram", static_cast<std::uint64_t>(std::llround(*totals.dram_bytes.value))});
    } else {
      why.push_back(fmt::format("no byte count ({}: N/A)", joined(totals.dram_bytes.columns)));
    }
  }
  for (const auto& w : why) launch.unplaceable += (launch.unplaceable.empty() ? "" : "; ") + w;
}

std::optional<double> task_duration(const csv_table& t, const csv_record& row,
                                    const column_info& c) {
  const auto scale = unit_scale(c.unit, quantity::time);
  if (!scale)
    throw usage_error(fmt::format("{}: column '{}': expected a time unit such as (us), got '{}'",
                                  header_where(t), c.name, c.unit));
  const auto v = parse_cell_number(cell_of(t, row, c), t.where(row), c.name);
  if (!v) return std::nullopt;
  if (*v < 0)
    throw usage_error(
        fmt::format("{}: {}: must not be negative (got {:g})", t.where(row), c.name, *v));
  return *v * *scale;
}

const column_info& required(const csv_table& t, const std::vector<column_info>& cols,
                            const std::string& base, const char* what) {
  if (const column_info* c = find_base(cols, base)) return *c;
  throw usage_error(fmt::format("{}: no '{}' column{}", header_where(t), base, what));
}

// --- msprof op folders ---------------------------------------------------------------------------

// Orders "Add/2" before "Add/10".
bool natural_less(const std::string& a, const std::string& b) {
  std::size_t i = 0, j = 0;
  const auto digit = [](char c) { return c >= '0' && c <= '9'; };
  while (i < a.size() && j < b.size()) {
    if (digit(a[i]) && digit(b[j])) {
      std::size_t i2 = i, j2 = j;
      while (i2 < a.size() && digit(a[i2])) ++i2;
      while (j2 < b.size() && digit(b[j2])) ++j2;
      std::string x = a.substr(i, i2 - i), y = b.substr(j, j2 - j);
      x.erase(0, std::min(x.find_first_not_of('0'), x.size()));
      y.erase(0, std::min(y.find_first_not_of('0'), y.size()));
      if (x.size() != y.size()) return x.size() < y.size();
      if (x != y) return x < y;
      i = i2;
      j = j2;
    } else {
      if (a[i] != b[j]) return a[i] < b[j];
      ++i;
      ++j;
    }
  }
  return a.size() - i < b.size() - j;
}

// The launch folders (those holding an OpBasicInfo.csv) at or below `root`, relative to it ("" is
// root itself), in natural order. Never throws.
std::vector<std::string> op_folders(const fs::path& root) {
  std::vector<std::string> out;
  std::error_code ec;
  if (fs::is_regular_file(root / "OpBasicInfo.csv", ec)) {
    out.push_back("");
    return out;
  }
  std::vector<std::pair<fs::path, int>> todo = {{root, 0}};
  while (!todo.empty()) {
    const auto [dir, depth] = todo.back();
    todo.pop_back();
    if (depth >= max_folder_depth) continue;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
      std::error_code e2;
      if (!it->is_directory(e2)) continue;
      if (fs::is_regular_file(it->path() / "OpBasicInfo.csv", e2)) {
        out.push_back(it->path().lexically_relative(root).generic_string());
      } else {
        todo.emplace_back(it->path(), depth + 1);
      }
    }
    ec.clear();
  }
  std::sort(out.begin(), out.end(), natural_less);
  return out;
}

// How a per-core column is combined into one value for `raw`: times and cycle counts by the
// longest core, ratios, percentages and rates by the mean of the cores reporting them, counts
// (FLOPs, bytes, instructions) by the sum.
std::string combination(const column_info& c, const scaled& s) {
  const std::string m = lower(c.metric);
  const auto ends = [&](const char* suffix) {
    const std::string x = suffix;
    return m.size() >= x.size() && m.compare(m.size() - x.size(), x.size(), x) == 0;
  };
  if (s.kind == quantity::time || ends("cycles")) return "max";
  if (s.kind == quantity::percent || s.kind == quantity::byte_rate || ends("ratio") || ends("rate"))
    return "mean";
  return "sum";
}

// One metric file's columns into `raw`, combined over its rows (cores). A column with a cell that
// is not a number is left out (it is an id or a label, not a counter).
void raw_per_core(const csv_table& t, const std::vector<column_info>& cols, const std::string& stem,
                  std::vector<std::pair<std::string, double>>& raw) {
  for (const auto& c : cols) {
    if (is_identity(c)) continue;
    const scaled s = scale_of(c);
    const std::string how = combination(c, s);
    std::vector<double> values;
    bool numeric = true;
    for (const auto& row : t.rows) {
      try {
        if (const auto v = parse_cell_number(t.cell(row, c.at[0]), t.where(row), c.name))
          values.push_back(*v * s.scale);
      } catch (const usage_error&) {
        numeric = false;
        break;
      }
    }
    if (!numeric || values.empty()) continue;
    double v = how == "max" ? *std::max_element(values.begin(), values.end()) : 0;
    if (how != "max") {
      for (double x : values) v += x;
      if (how == "mean") v /= static_cast<double>(values.size());
    }
    raw.emplace_back(fmt::format("{}.{} ({} over cores)", stem, s.kind ? c.base : c.name, how), v);
  }
}

imported_launch read_op_folder(const fs::path& dir, const std::string& launch_id,
                               const read_context& context) {
  const std::string basic_path = (dir / "OpBasicInfo.csv").string();
  const csv_table basic = read_csv(basic_path);
  if (basic.rows.empty()) throw usage_error(fmt::format("{}: no operator row", basic_path));
  if (basic.rows.size() > 1)
    throw usage_error(
        fmt::format("{}: a second operator row; an msprof op folder describes one "
                    "launch",
                    basic.where(basic.rows[1])));
  const csv_record& row = basic.rows.front();
  const auto cols = columns_of(basic);

  imported_launch launch;
  launch.line = row.line;
  launch.launch = launch_id;
  launch.device = context.device_arch;  // the folder names no chip, only a device id
  launch.kernel = cell_of(basic, row, required(basic, cols, "Op Name", ""));
  if (launch.kernel.empty())
    throw usage_error(fmt::format("{}: Op Name is empty", basic.where(row)));
  const column_info& duration = required(basic, cols, "Task Duration", "");
  launch.time_s = task_duration(basic, row, duration);
  std::string dtype;
  if (const column_info* d = find_base(cols, "Input Data Types"))
    dtype = dtype_precision(cell_of(basic, row, *d));
  std::vector<std::string> why;
  if (!launch.time_s) why.push_back(duration.name + " is N/A");
  add_numeric_cells(launch, basic, row, cols, "OpBasicInfo.");

  pmu_totals totals;
  const std::string folder = dir.string();
  bool have_arith = false, have_memory = false;
  for (const char* stem : {"ArithmeticUtilization", "Memory", "PipeUtilization"}) {
    const fs::path p = dir / (std::string(stem) + ".csv");
    std::error_code ec;
    if (!fs::is_regular_file(p, ec)) continue;
    const csv_table t = read_csv(p.string());
    const auto tcols = columns_of(t);
    const bool arith = std::string(stem) == "ArithmeticUtilization";
    const bool memory = std::string(stem) == "Memory";
    have_arith = have_arith || arith;
    have_memory = have_memory || memory;
    for (const auto& r : t.rows) accumulate(totals, t, r, tcols, arith, memory);
    raw_per_core(t, tcols, stem, launch.raw);
  }
  const std::string no_fops = have_arith ? "ArithmeticUtilization.csv has no *_fops column"
                                         : "no ArithmeticUtilization.csv";
  const std::string no_datas =
      have_memory ? "Memory.csv has no *_main_memory_datas column" : "no Memory.csv";
  finish(launch, totals, dtype,
         fmt::format("{}: no FLOP or byte counts ({}, {}): run `msprof op` with --aic-metrics "
                     "including ArithmeticUtilization and Memory",
                     folder, no_fops, no_datas),
         fmt::format("{}: no FLOP counts ({}): run `msprof op` with --aic-metrics including "
                     "ArithmeticUtilization",
                     folder, no_fops),
         fmt::format("{}: no byte counts ({}): run `msprof op` with --aic-metrics including Memory",
                     folder, no_datas),
         std::move(why));
  return launch;
}

imported_file read_op_output(const std::string& path, const fs::path& root,
                             const read_context& context) {
  const std::vector<std::string> folders = op_folders(root);
  if (folders.empty())
    throw usage_error(
        fmt::format("{}: no OpBasicInfo.csv here or in its subfolders (up to {} "
                    "levels): not an `msprof op` output folder",
                    path, max_folder_depth));
  imported_file file;
  file.path = path;
  file.format = "msprof-op";
  file.tool = "msprof";
  for (const auto& f : folders)
    file.launches.push_back(read_op_folder(f.empty() ? root : root / f, f, context));
  return file;
}

// --- op_summary ----------------------------------------------------------------------------------

// The first columns whose names say they hold utilisation ratios, for the unplaceable reason.
std::string ratio_examples(const std::vector<column_info>& cols) {
  std::vector<std::string> found;
  for (const auto& c : cols) {
    const std::string n = lower(c.base);
    const auto ends = [&](const std::string& x) {
      return n.size() >= x.size() && n.compare(n.size() - x.size(), x.size(), x) == 0;
    };
    if (ends("_ratio") || ends("utilization")) found.push_back(c.name);
    if (found.size() == 2) break;
  }
  if (found.empty()) return "";
  return fmt::format(" (only utilisation ratios such as {})",
                     found.size() == 1 ? found[0] : found[0] + ", " + found[1]);
}

std::string bandwidth_example(const std::vector<column_info>& cols) {
  for (const auto& c : cols)
    if (c.metric == "main_mem_read_bw" || c.metric == "main_mem_write_bw")
      return fmt::format(" (bandwidths such as {} are rates, not counts)", c.name);
  return "";
}

imported_file read_op_summary(const std::string& path, const read_context& context) {
  const csv_table t = read_csv(path);
  const auto cols = columns_of(t);
  const column_info& name = required(t, cols, "Op Name", "; not an op_summary CSV");
  const column_info& duration = required(t, cols, "Task Duration", "; not an op_summary CSV");
  const column_info* task = find_base(cols, "Task ID");
  const column_info* dtypes = find_base(cols, "Input Data Types");

  const std::string no_counts =
      fmt::format("op_summary gives no FLOP or byte counts{}: profile with `msprof op` for counts",
                  ratio_examples(cols));
  const std::string no_flops =
      "op_summary gives no FLOP counts (collected without --aic-metrics=ArithmeticUtilization): "
      "profile with `msprof op` for counts";
  const std::string no_bytes = fmt::format(
      "op_summary gives no byte counts{}: profile with `msprof op` (Memory.csv) for counts",
      bandwidth_example(cols));

  imported_file file;
  file.path = path;
  file.format = "msprof-summary";
  file.tool = "msprof";
  for (const auto& row : t.rows) {
    imported_launch launch;
    launch.line = row.line;
    launch.kernel = cell_of(t, row, name);
    if (launch.kernel.empty()) throw usage_error(fmt::format("{}: Op Name is empty", t.where(row)));
    launch.device = context.device_arch;  // Device_id is a number, not a chip
    if (task) {
      const std::string id = cell_of(t, row, *task);
      bool none = false;  // N/A: communication tasks have no task id
      try {
        none = !parse_cell_number(id, t.where(row), task->name);
      } catch (const usage_error&) {
      }
      launch.launch = none ? "" : id;
    }
    launch.time_s = task_duration(t, row, duration);
    std::vector<std::string> why;
    if (!launch.time_s) why.push_back(duration.name + " is N/A");
    add_numeric_cells(launch, t, row, cols, "");
    pmu_totals totals;
    accumulate(totals, t, row, cols, true, true);
    finish(launch, totals, dtypes ? dtype_precision(cell_of(t, row, *dtypes)) : "", no_counts,
           no_flops, no_bytes, std::move(why));
    file.launches.push_back(std::move(launch));
  }
  return file;
}

// The header of a CSV file (first non-blank record), or empty; never throws.
std::vector<std::string> sniff_header(const std::string& path) {
  try {
    std::ifstream in(path, std::ios::binary);
    if (!in) return {};
    std::string text(sniff_bytes, '\0');
    in.read(text.data(), static_cast<std::streamsize>(sniff_bytes));
    text.resize(static_cast<std::size_t>(in.gcount()));
    if (text.compare(0, 3, "\xEF\xBB\xBF") == 0) text.erase(0, 3);
    const std::size_t eol = text.find('\n');
    std::size_t pos = 0;
    int line = 1;
    std::vector<std::string> fields;
    // Header lines only: a quoted field cut at the sniff limit must not matter.
    const std::string head = text.substr(0, eol == std::string::npos ? text.size() : eol);
    if (!next_csv_record(head, pos, line, fields, path)) return {};
    for (auto& f : fields) f = std::string(split_unit_suffix(f).first);
    return fields;
  } catch (...) {
    return {};
  }
}

bool is_op_summary_header(const std::vector<std::string>& bases) {
  const auto has = [&](const char* n) {
    return std::find(bases.begin(), bases.end(), n) != bases.end();
  };
  return has("Op Name") && has("Task Duration") && has("Task ID");
}

}  // namespace

imported_file read_msprof(const std::string& path, const read_context& context) {
  std::error_code ec;
  const fs::path p(path);
  if (fs::is_directory(p, ec)) return read_op_output(path, p, context);
  if (!fs::is_regular_file(p, ec)) throw usage_error(fmt::format("{}: cannot read", path));
  if (p.filename() == "OpBasicInfo.csv") {
    const fs::path parent = p.has_parent_path() ? p.parent_path() : fs::path(".");
    return read_op_output(path, parent, context);
  }
  return read_op_summary(path, context);
}

bool looks_like_msprof(const std::string& path) {
  try {
    std::error_code ec;
    const fs::path p(path);
    if (fs::is_directory(p, ec)) return !op_folders(p).empty();
    if (!fs::is_regular_file(p, ec)) return false;
    if (p.filename() == "OpBasicInfo.csv") return true;
    return is_op_summary_header(sniff_header(path));
  } catch (...) {
    return false;
  }
}

}  // namespace ridgeline::importers
