#pragma once
// CSV as profilers write it, read into a table with line numbers (RFC 4180 records: quoted fields,
// "" inside quotes, commas, quotes and newlines inside quoted fields; \n or \r\n line ends).
// What real exports add, taken in stride here so each format's reader sees a clean table:
//  - lines before the header (ncu's `==PROF==` lines, tool banners): skipped until the record the
//    caller's `is_header` accepts (default: the first non-blank record whose first cell does not
//    start with "==");
//  - a units row under the header (ncu --page raw): recognised by the caller's `is_units_row`;
//  - rows shorter than the header (missing cells read as ""), a trailing comma (an empty extra
//    cell, also on the header line, where it names no column), blank lines and records whose
//    cells are all blank (",,,": skipped);
//  - a UTF-8 byte order mark (Excel's "CSV UTF-8"), CRLF line ends, blanks around cells and
//    around quoted fields (`a, "b,c" ,d`): all dropped;
//  - a line before the header that is not valid CSV (a stray quote in a banner) is skipped; if no
//    header follows, its error is the one thrown;
//  - repeated column names: every column is kept; `column(name)` finds the first, `columns(name)`
//    all of them.
// A record with more non-empty cells than the header, an unclosed quote or text after a closing
// quote is malformed: parse_csv throws usage_error "FILE:LINE: problem".
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ridgeline {

struct csv_record {
  int line = 0;  // 1-based line where the record starts
  std::vector<std::string> cells;
};

// Both predicates see cells with surrounding blanks trimmed, and never a blank record.
struct csv_options {
  // Accepts the header record; records before it are skipped. Unset: the default above.
  std::function<bool(const std::vector<std::string>& record)> is_header;
  // Accepts the record right after the header as a units row. Unset: there is none.
  std::function<bool(const std::vector<std::string>& header,
                     const std::vector<std::string>& record)>
      is_units_row;
};

class csv_table {
 public:
  std::string file;  // for messages
  int header_line = 0;
  std::vector<std::string> header;  // names as written, surrounding blanks trimmed
  std::vector<std::string> units;   // the units row, or empty
  std::vector<csv_record> rows;     // data records, each padded to the header's width

  std::optional<std::size_t> column(std::string_view name) const;  // first with this name
  std::vector<std::size_t> columns(std::string_view name) const;   // all, in order
  // The cell, surrounding blanks trimmed ("" past the end of a short row).
  std::string cell(const csv_record& row, std::size_t column) const;
  // The unit of a column from the units row ("" when there is no units row).
  std::string unit(std::size_t column) const;
  // "FILE:LINE" of a record, for messages.
  std::string where(const csv_record& row) const;
};

// Throws usage_error "FILE:LINE: problem" on malformed text, and "FILE: no header found" when no
// record is accepted as the header.
csv_table parse_csv(const std::string& text, const std::string& file_name,
                    const csv_options& options = {});
// Reads the file (usage_error "FILE: cannot read" when it cannot) and parses it.
csv_table read_csv(const std::string& path, const csv_options& options = {});

// One RFC 4180 record from text[pos]: advances pos and line (counting newlines inside quotes).
// False at the end of the text. Throws usage_error "FILE:LINE: problem" when malformed.
bool next_csv_record(const std::string& text, std::size_t& pos, int& line,
                     std::vector<std::string>& fields, const std::string& file_name);

}  // namespace ridgeline
