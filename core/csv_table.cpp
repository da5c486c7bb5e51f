#include "core/csv_table.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <utility>

#include "core/error.hpp"

namespace ridgeline {

namespace {

bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

std::string trimmed(std::string_view s) {
  while (!s.empty() && is_blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
  return std::string(s);
}

bool all_blank(const std::vector<std::string>& cells) {
  return std::all_of(cells.begin(), cells.end(), [](const std::string& c) {
    return std::all_of(c.begin(), c.end(), is_blank);
  });
}

bool default_is_header(const std::vector<std::string>& record) {
  return trimmed(record.front()).rfind("==", 0) != 0;
}

// Trims every cell, then fits the record to the header's width: empty cells past the width are
// dropped (a trailing comma), a non-empty one is an error, a short record is padded with "".
std::vector<std::string> fit_to_header(std::vector<std::string> cells, std::size_t width,
                                       const std::string& file_name, int line) {
  for (auto& c : cells) c = trimmed(c);
  if (cells.size() > width) {
    std::size_t used = cells.size();
    while (used > width && cells[used - 1].empty()) --used;
    if (used > width)
      throw usage_error(
          fmt::format("{}:{}: {} fields, the header has {}", file_name, line, used, width));
  }
  cells.resize(width);
  return cells;
}

}  // namespace

bool next_csv_record(const std::string& text, std::size_t& pos, int& line,
                     std::vector<std::string>& fields, const std::string& file_name) {
  fields.clear();
  if (pos >= text.size()) return false;
  const int start_line = line;
  std::string field;
  bool quoted = false;      // inside quotes now
  bool was_quoted = false;  // this field had a quoted part, which has closed
  for (; pos < text.size(); ++pos) {
    const char c = text[pos];
    if (quoted) {
      if (c == '"' && pos + 1 < text.size() && text[pos + 1] == '"') {
        field += '"';
        ++pos;
      } else if (c == '"') {
        quoted = false;
      } else {
        if (c == '\n') ++line;
        field += c;
      }
    } else if (c == ',') {
      fields.push_back(std::move(field));
      field.clear();
      was_quoted = false;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && pos + 1 < text.size() && text[pos + 1] == '\n') ++pos;
      ++pos;
      ++line;
      break;
    } else if (was_quoted) {
      // Blanks after a closing quote are dropped; anything else is malformed.
      if (c != ' ' && c != '\t')
        throw usage_error(fmt::format("{}:{}: text after a closing quote", file_name, line));
    } else if (c == '"') {
      // Blanks before an opening quote (`a, "b,c"`) are dropped, as hand-edited files have them.
      if (!std::all_of(field.begin(), field.end(), is_blank))
        throw usage_error(fmt::format("{}:{}: quote inside an unquoted field", file_name, line));
      field.clear();
      quoted = was_quoted = true;
    } else {
      field += c;
    }
  }
  if (quoted)
    throw usage_error(fmt::format("{}:{}: quoted field never closed", file_name, start_line));
  fields.push_back(std::move(field));
  return true;
}

csv_table parse_csv(const std::string& text, const std::string& file_name,
                    const csv_options& options) {
  csv_table table;
  table.file = file_name;
  std::size_t pos = 0;
  int line = 1;
  if (text.compare(0, 3, "\xEF\xBB\xBF") == 0) pos = 3;  // UTF-8 byte order mark (Excel)
  const auto& is_header = options.is_header ? options.is_header : default_is_header;

  // Before the header: banners and `==PROF==` lines are not CSV. A line that does not tokenize
  // (a stray quote in a message) is skipped on its own, so it cannot swallow the lines after it;
  // when no header follows, the first such error is the likelier story and is what is thrown.
  std::vector<std::string> fields;
  std::optional<usage_error> skipped;
  for (;;) {
    const std::size_t start = pos;
    const int start_line = line;
    if (start >= text.size()) {
      if (skipped) throw *skipped;
      throw usage_error(fmt::format("{}: no header found", file_name));
    }
    try {
      next_csv_record(text, pos, line, fields, file_name);
    } catch (const usage_error& e) {
      if (!skipped) skipped = e;
      const std::size_t eol = text.find_first_of("\r\n", start);
      pos = eol == std::string::npos ? text.size()
                                     : eol + (text.compare(eol, 2, "\r\n") == 0 ? 2 : 1);
      line = start_line + 1;
      continue;
    }
    for (auto& f : fields) f = trimmed(f);  // predicates see cells as the table will hold them
    if (all_blank(fields) || !is_header(fields)) continue;
    table.header_line = start_line;
    while (fields.size() > 1 && fields.back().empty()) fields.pop_back();  // a trailing comma
    table.header = std::move(fields);
    break;
  }

  const std::size_t width = table.header.size();
  bool first = true;
  for (;;) {
    const int start_line = line;
    if (!next_csv_record(text, pos, line, fields, file_name)) break;
    if (all_blank(fields)) continue;
    for (auto& f : fields) f = trimmed(f);
    if (first && options.is_units_row && options.is_units_row(table.header, fields)) {
      table.units = fit_to_header(std::move(fields), width, file_name, start_line);
      first = false;
      continue;
    }
    first = false;
    table.rows.push_back(
        {start_line, fit_to_header(std::move(fields), width, file_name, start_line)});
  }
  return table;
}

csv_table read_csv(const std::string& path, const csv_options& options) {
  std::ifstream in(path, std::ios::binary);
  std::error_code ec;
  if (!in || std::filesystem::is_directory(path, ec))
    throw usage_error(fmt::format("{}: cannot read", path));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw usage_error(fmt::format("{}: cannot read", path));
  return parse_csv(text.str(), path, options);
}

std::optional<std::size_t> csv_table::column(std::string_view name) const {
  const auto it = std::find(header.begin(), header.end(), name);
  if (it == header.end()) return std::nullopt;
  return static_cast<std::size_t>(it - header.begin());
}

std::vector<std::size_t> csv_table::columns(std::string_view name) const {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < header.size(); ++i)
    if (header[i] == name) out.push_back(i);
  return out;
}

std::string csv_table::cell(const csv_record& row, std::size_t column) const {
  return column < row.cells.size() ? trimmed(row.cells[column]) : std::string();
}

std::string csv_table::unit(std::size_t column) const {
  return column < units.size() ? units[column] : std::string();
}

std::string csv_table::where(const csv_record& row) const {
  return fmt::format("{}:{}", file, row.line);
}

}  // namespace ridgeline
