// ridgeline-csv: Ridgeline's own minimal CSV, for results no other reader knows (a Cambricon or
// Kunlunxin run written down by hand from cnperf or xpu-prof output, an analytic count). The
// format is documented in docs/import.md ("Ridgeline CSV"); in short:
//
//   # ridgeline-csv/1                      <- optional marker; comment lines (#) before the header
//   kernel,device,launch,time_us,flops_f16_tensor,bytes_dram,note
//   gemm_4096,MLU590,1,812.5,137438953472,100663296,"cnperf, 3 runs"
//
// Strict by design: a column the reader does not know is refused, so that a typo
// (`flops_fp16_tensor`, `bytes_hbm`) is never silently dropped from a roofline.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "core/csv_table.hpp"
#include "core/error.hpp"
#include "importers/cell_values.hpp"
#include "importers/formats.hpp"

namespace ridgeline::importers {

namespace {

constexpr int supported_version = 1;
constexpr const char* marker = "ridgeline-csv/";
constexpr std::size_t sniff_bytes = 64 * 1024;  // looks_like reads no more than this

// The catalog's precision and level names (roofline::catalog_precisions/levels), so that what is
// imported meets a roof of the same name. `i8` is the metric-file spelling of int8 and is
// accepted as an alias.
const std::vector<std::string>& precisions() {
  static const std::vector<std::string> v = {"f64", "f32", "tf32", "bf16", "f16", "fp8", "int8"};
  return v;
}
const std::vector<std::string>& levels() {
  static const std::vector<std::string> v = {"l1", "shared", "l2", "llc", "dram"};
  return v;
}

const char* const expected_columns =
    "expected kernel, time_<s|ms|us|ns>, flops_<precision>_<simt|tensor>, bytes_<level>, device, "
    "host, launch, note";

bool contains(const std::vector<std::string>& v, const std::string& s) {
  for (const auto& x : v)
    if (x == s) return true;
  return false;
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string joined(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& x : v) out += (out.empty() ? "" : ", ") + x;
  return out;
}

std::string trim(const std::string& s) {
  std::size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}

enum class role { kernel, device, host, launch, note, time, flops, bytes };

struct column {
  std::size_t at = 0;
  std::string name;  // normalised: lower case, `i8` spelled int8
  role what = role::note;
  double time_scale = 1;  // time: to seconds
  std::string precision, unit, level;
};

// What one header cell means; usage_error at `where` when nothing.
column classify(const std::string& written, std::size_t at, const std::string& where) {
  column c;
  c.at = at;
  c.name = lower(written);
  const auto refuse = [&](const std::string& why) {
    return usage_error(fmt::format("{}: column '{}': {}", where, written, why));
  };
  static const std::pair<const char*, role> plain[] = {{"kernel", role::kernel},
                                                       {"device", role::device},
                                                       {"host", role::host},
                                                       {"launch", role::launch},
                                                       {"note", role::note}};
  for (const auto& [n, r] : plain) {
    if (c.name == n) {
      c.what = r;
      return c;
    }
  }
  if (c.name.rfind("time_", 0) == 0) {
    const std::string unit = c.name.substr(5);
    if (unit != "s" && unit != "ms" && unit != "us" && unit != "ns")
      throw refuse(fmt::format(
          "unknown time unit '{}' (expected time_s, time_ms, time_us or time_ns)", unit));
    c.what = role::time;
    c.time_scale = *unit_scale(unit, quantity::time);
  } else if (c.name.rfind("flops_", 0) == 0) {
    const std::string rest = c.name.substr(6);
    const auto us = rest.rfind('_');
    if (us == std::string::npos) throw refuse("expected flops_<precision>_<simt|tensor>");
    c.precision = rest.substr(0, us);
    c.unit = rest.substr(us + 1);
    if (c.precision == "i8") c.precision = "int8";
    if (!contains(precisions(), c.precision))
      throw refuse(fmt::format("unknown precision '{}' (expected {})", rest.substr(0, us),
                               joined(precisions())));
    if (c.unit != "simt" && c.unit != "tensor")
      throw refuse(fmt::format("unknown unit '{}' (expected simt or tensor)", c.unit));
    c.what = role::flops;
    c.name = "flops_" + c.precision + "_" + c.unit;
  } else if (c.name.rfind("bytes_", 0) == 0) {
    c.level = c.name.substr(6);
    if (!contains(levels(), c.level))
      throw refuse(
          fmt::format("unknown memory level '{}' (expected {})", c.level, joined(levels())));
    c.what = role::bytes;
  } else {
    throw refuse(std::string("unknown column; ") + expected_columns);
  }
  return c;
}

struct layout {
  std::vector<column> columns;
  std::optional<std::size_t> kernel, device, host, launch, time;
};

// The header's meaning; throws usage_error "FILE:LINE: ..." on any column it cannot take.
layout read_header(const std::vector<std::string>& header, const std::string& where) {
  layout l;
  for (std::size_t i = 0; i < header.size(); ++i) {
    column c = classify(header[i], i, where);
    for (const auto& prior : l.columns) {
      if (prior.name == c.name)
        throw usage_error(fmt::format("{}: column '{}' repeats column {} ('{}')", where, header[i],
                                      prior.at + 1, header[prior.at]));
      if (prior.what == role::time && c.what == role::time)
        throw usage_error(fmt::format("{}: two time columns ('{}' and '{}'); keep one", where,
                                      header[prior.at], header[i]));
    }
    std::optional<std::size_t>* slot = nullptr;
    switch (c.what) {
      case role::kernel:
        slot = &l.kernel;
        break;
      case role::device:
        slot = &l.device;
        break;
      case role::host:
        slot = &l.host;
        break;
      case role::launch:
        slot = &l.launch;
        break;
      case role::time:
        slot = &l.time;
        break;
      default:
        break;
    }
    if (slot) *slot = l.columns.size();
    l.columns.push_back(std::move(c));
  }
  if (!l.kernel) throw usage_error(fmt::format("{}: no 'kernel' column", where));
  if (!l.time)
    throw usage_error(
        fmt::format("{}: no time column (time_s, time_ms, time_us or time_ns)", where));
  return l;
}

// The version a comment line states ("# ridgeline-csv/1" -> 1), nullopt when it states none.
// Throws usage_error when the marker is there but unreadable.
std::optional<int> marker_version(const std::string& line, const std::string& where) {
  std::string t = trim(line);
  if (t.empty() || t.front() != '#') return std::nullopt;
  t = trim(t.substr(1));
  if (t.rfind(marker, 0) != 0) return std::nullopt;
  const std::string v = t.substr(std::string(marker).size());
  if (v.empty() || v.size() > 6 ||
      !std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; }))
    throw usage_error(fmt::format("{}: unreadable format marker '{}' (expected '# {}{}')", where, t,
                                  marker, supported_version));
  return std::stoi(v);
}

// Checks the marker, if any, in the comment lines before the header.
void check_marker(const std::string& text, const std::string& file) {
  std::istringstream in(text);
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    const std::string t = trim(line);
    if (t.empty()) continue;
    if (t.front() != '#') return;  // the header: markers only count before it
    const std::string where = fmt::format("{}:{}", file, n);
    if (const auto v = marker_version(t, where); v && *v != supported_version)
      throw usage_error(fmt::format("{}: {}{} is not supported (this Ridgeline reads {}{})", where,
                                    marker, *v, marker, supported_version));
  }
}

// `text` with every comment line (first non-blank character '#', at the start of a record, so
// never inside a quoted field) turned into blanks, which the CSV reader skips; line numbers stay.
std::string without_comments(std::string text, const std::string& file) {
  std::size_t pos = 0;
  int line = 1;
  std::vector<std::string> fields;
  while (pos < text.size()) {
    std::size_t p = pos;
    while (p < text.size() && (text[p] == ' ' || text[p] == '\t')) ++p;
    if (p < text.size() && text[p] == '#') {
      const std::size_t eol = std::min(text.find('\n', p), text.size());
      for (std::size_t q = pos; q < eol; ++q)
        if (text[q] != '\r') text[q] = ' ';
      pos = eol + 1;
      ++line;
      continue;
    }
    next_csv_record(text, pos, line, fields, file);
  }
  return text;
}

// The text up to the end of the first line that is neither blank nor a comment (the header, if
// the file has one): enough to recognise a file without tokenising all of a large one.
std::string header_part(const std::string& text) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t eol = std::min(text.find('\n', pos), text.size());
    const std::string t = trim(text.substr(pos, eol - pos));
    if (!t.empty() && t.front() != '#') return text.substr(0, eol);
    pos = eol + 1;
  }
  return text;
}

// The first non-blank record of `text`, cells trimmed and a trailing empty cell dropped; empty
// when there is none.
std::vector<std::string> first_record(const std::string& text, const std::string& file) {
  std::size_t pos = 0;
  int line = 1;
  std::vector<std::string> fields;
  while (next_csv_record(text, pos, line, fields, file)) {
    for (auto& f : fields) f = trim(f);
    while (fields.size() > 1 && fields.back().empty()) fields.pop_back();
    if (fields.size() > 1 || !fields[0].empty()) return fields;
  }
  return {};
}

std::string without_bom(std::string text) {
  if (text.compare(0, 3, "\xEF\xBB\xBF") == 0) text.erase(0, 3);
  return text;
}

std::string read_text(const std::string& path, std::size_t limit) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw usage_error(fmt::format("{}: cannot read", path));
  std::string text(limit, '\0');
  in.read(text.data(), static_cast<std::streamsize>(limit));
  text.resize(static_cast<std::size_t>(in.gcount()));
  return text;
}

// A FLOP or byte count: a non-negative whole number below 2^64 ("1.2e12" is fine, "2.5" is not:
// a fraction is most likely GFLOP or MB written where a plain count belongs).
std::uint64_t count_of(double v, const std::string& where, const std::string& column,
                       const std::string& text) {
  if (v < 0)
    throw usage_error(fmt::format("{}: {}: must not be negative (got {})", where, column, text));
  if (v != std::floor(v))
    throw usage_error(
        fmt::format("{}: {}: expected a whole number (a count, not G or M units), "
                    "got {}",
                    where, column, text));
  if (v >= 18446744073709551616.0)
    throw usage_error(fmt::format("{}: {}: {} is too large for a count", where, column, text));
  return static_cast<std::uint64_t>(v);
}

}  // namespace

imported_file read_ridgeline_csv(const std::string& path, const read_context&) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw usage_error(fmt::format("{}: cannot read", path));
  std::ostringstream buffer;
  buffer << in.rdbuf();
  const std::string text = without_bom(buffer.str());
  check_marker(text, path);
  const csv_table table = parse_csv(without_comments(text, path), path);
  const layout l = read_header(table.header, fmt::format("{}:{}", path, table.header_line));

  imported_file file;
  file.path = path;
  file.format = "ridgeline-csv";
  file.tool = "ridgeline-csv";
  for (const auto& row : table.rows) {
    const std::string where = table.where(row);
    imported_launch launch;
    launch.line = row.line;
    launch.kernel = table.cell(row, l.columns[*l.kernel].at);
    if (launch.kernel.empty()) throw usage_error(fmt::format("{}: kernel is empty", where));
    if (l.device) launch.device = table.cell(row, l.columns[*l.device].at);
    if (l.host) launch.host = table.cell(row, l.columns[*l.host].at);
    if (l.launch) launch.launch = table.cell(row, l.columns[*l.launch].at);
    for (const auto& c : l.columns) {
      if (c.what != role::time && c.what != role::flops && c.what != role::bytes) continue;
      const std::string cell = table.cell(row, c.at);
      const std::string& written = table.header[c.at];
      const std::optional<double> v = parse_cell_number(cell, where, written);
      if (!v) continue;  // no value: absent, never zero
      if (c.what == role::time) {
        if (*v <= 0)
          throw usage_error(fmt::format("{}: {}: must be > 0 (got {})", where, written, cell));
        launch.time_s = *v * c.time_scale;
        launch.raw.emplace_back("time_s", *launch.time_s);
        continue;
      }
      const std::uint64_t n = count_of(*v, where, written, cell);
      launch.raw.emplace_back(c.name, *v);
      if (c.what == role::bytes) {
        launch.work.bytes.push_back({c.level, n});  // zero bytes at a level is a statement
      } else if (n > 0) {  // zero FLOPs of a precision: that precision was not used
        launch.work.flops.push_back({c.precision, c.unit, n});
      }
    }
    std::vector<std::string> missing;
    if (!launch.time_s) missing.push_back("no time");
    if (launch.work.flops.empty()) missing.push_back("no FLOP count above 0");
    if (launch.work.bytes.empty()) missing.push_back("no byte count");
    if (!missing.empty()) launch.unplaceable = joined(missing) + " in this row";
    file.launches.push_back(std::move(launch));
  }
  return file;
}

bool looks_like_ridgeline_csv(const std::string& path) {
  try {
    const std::string text = without_bom(read_text(path, sniff_bytes));
    // The marker, on any comment line before the header, says it all.
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
      const std::string t = trim(line);
      if (t.empty()) continue;
      if (t.front() != '#') break;
      if (marker_version(t, path)) return true;
    }
    // No marker: the header must be ours, every column known, kernel and time present.
    std::vector<std::string> header = first_record(without_comments(header_part(text), path), path);
    if (header.empty()) return false;
    read_header(header, path);
    return true;
  } catch (...) {
    return false;  // recognising never throws: a file we cannot take is simply not ours
  }
}

}  // namespace ridgeline::importers
