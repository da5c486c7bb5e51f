// csv_table: the one CSV reader under every importer. Each quirk real exports have (ncu, rocprof,
// msprof) gets a case here; every refusal is one line "FILE:LINE: problem" with the right line.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/csv_table.hpp"
#include "core/error.hpp"

namespace ridgeline {
namespace {

using cells = std::vector<std::string>;

// What parsing `text` fails with ("" when it parses).
std::string refusal(const std::string& text, const csv_options& options = {}) {
  try {
    parse_csv(text, "f.csv", options);
  } catch (const usage_error& e) {
    return e.what();
  }
  return "";
}

std::vector<int> lines_of(const csv_table& t) {
  std::vector<int> out;
  for (const auto& r : t.rows) out.push_back(r.line);
  return out;
}

TEST(CsvTable, ReadsHeaderAndRowsWithTheirLines) {
  const auto t = parse_csv("Name,Value\nk1,1\nk2,2\n", "f.csv");
  EXPECT_EQ(t.file, "f.csv");
  EXPECT_EQ(t.header_line, 1);
  EXPECT_EQ(t.header, (cells{"Name", "Value"}));
  EXPECT_TRUE(t.units.empty());
  ASSERT_EQ(t.rows.size(), 2u);
  EXPECT_EQ(t.rows[0].cells, (cells{"k1", "1"}));
  EXPECT_EQ(lines_of(t), (std::vector<int>{2, 3}));
  EXPECT_EQ(t.where(t.rows[1]), "f.csv:3");
  EXPECT_EQ(t.cell(t.rows[1], *t.column("Value")), "2");
}

TEST(CsvTable, HeaderOnlyAndNoFinalNewline) {
  EXPECT_TRUE(parse_csv("A,B\n", "f.csv").rows.empty());
  EXPECT_TRUE(parse_csv("A,B", "f.csv").rows.empty());
  const auto t = parse_csv("A,B\n1,2", "f.csv");
  ASSERT_EQ(t.rows.size(), 1u);
  EXPECT_EQ(t.rows[0].cells, (cells{"1", "2"}));
}

TEST(CsvTable, TrimsCellsAndHeaderNames) {
  const auto t = parse_csv(" Kernel Name ,\tDuration \n  gemm , 12 \n", "f.csv");
  EXPECT_EQ(t.header, (cells{"Kernel Name", "Duration"}));
  EXPECT_EQ(t.rows[0].cells, (cells{"gemm", "12"}));
  ASSERT_TRUE(t.column("Kernel Name"));
  EXPECT_FALSE(t.column(" Kernel Name "));  // names are matched as trimmed, exactly
  EXPECT_FALSE(t.column("kernel name"));
}

TEST(CsvTable, UnitsRowIsRecognisedByTheCaller) {
  // ncu --csv --page raw: a units row right under the header, first cells empty.
  const std::string text =
      "\"ID\",\"Kernel Name\",\"gpu__time_duration.sum\",\"dram__bytes.sum\"\n"
      "\"\",\"\", \"nsecond\" ,\"Kbyte\"\n"
      "\"0\",\"gemm\",\"1,234\",\"65.54\"\n";
  csv_options options;
  options.is_units_row = [](const cells& header, const cells& record) {
    return header.front() == "ID" && record.front().empty() && record[2] == "nsecond";
  };
  const auto t = parse_csv(text, "f.csv", options);
  EXPECT_EQ(t.units, (cells{"", "", "nsecond", "Kbyte"}));
  EXPECT_EQ(t.unit(2), "nsecond");
  EXPECT_EQ(t.unit(3), "Kbyte");
  EXPECT_EQ(t.unit(0), "");
  EXPECT_EQ(t.unit(99), "");
  ASSERT_EQ(t.rows.size(), 1u);
  EXPECT_EQ(t.rows[0].line, 3);
  EXPECT_EQ(t.cell(t.rows[0], 2), "1,234");  // a thousands separator stays inside its cell

  // Without the predicate the same record is data, and there is no units row.
  const auto plain = parse_csv(text, "f.csv");
  EXPECT_TRUE(plain.units.empty());
  EXPECT_EQ(plain.unit(2), "");
  ASSERT_EQ(plain.rows.size(), 2u);
  EXPECT_EQ(plain.rows[0].cells[2], "nsecond");

  // Only the record right after the header is offered; a short units row is padded.
  csv_options every;
  int offered = 0;
  every.is_units_row = [&offered](const cells&, const cells&) {
    ++offered;
    return true;
  };
  const auto t2 = parse_csv("A,B,C\n\nu1\n1,2,3\n4,5,6\n", "f.csv", every);
  EXPECT_EQ(offered, 1);
  EXPECT_EQ(t2.units, (cells{"u1", "", ""}));
  EXPECT_EQ(lines_of(t2), (std::vector<int>{4, 5}));
}

TEST(CsvTable, QuotedCellsKeepCommasQuotesAndThousandsSeparators) {
  const auto t = parse_csv(
      "Kernel Name,Bytes,Note\n"
      "\"void gemm<float, 128>(float const*, \"\"tag\"\")\",\"1,234,567\",\"\"\n",
      "f.csv");
  ASSERT_EQ(t.rows.size(), 1u);
  EXPECT_EQ(t.rows[0].cells,
            (cells{"void gemm<float, 128>(float const*, \"tag\")", "1,234,567", ""}));
}

TEST(CsvTable, ShortRowsArePaddedToTheHeader) {
  const auto t = parse_csv("A,B,C\n1\n1,2\n", "f.csv");
  ASSERT_EQ(t.rows.size(), 2u);
  EXPECT_EQ(t.rows[0].cells, (cells{"1", "", ""}));
  EXPECT_EQ(t.rows[1].cells, (cells{"1", "2", ""}));
  EXPECT_EQ(t.cell(t.rows[0], 2), "");
  EXPECT_EQ(t.cell(t.rows[0], 99), "");  // past the end of the row
  csv_record shorter{7, {"x"}};          // a record not made by parse_csv
  EXPECT_EQ(t.cell(shorter, 1), "");
}

TEST(CsvTable, TrailingCommasAreEmptyCells) {
  // On data rows (msprof writes one on every line) and on the header, where it names no column.
  const auto t = parse_csv("A,B,\n1,2,\n3,4,,,\n5,,\n", "f.csv");
  EXPECT_EQ(t.header, (cells{"A", "B"}));
  ASSERT_EQ(t.rows.size(), 3u);
  EXPECT_EQ(t.rows[0].cells, (cells{"1", "2"}));
  EXPECT_EQ(t.rows[1].cells, (cells{"3", "4"}));
  EXPECT_EQ(t.rows[2].cells, (cells{"5", ""}));
  // Blank cells past the header count as empty too.
  EXPECT_EQ(parse_csv("A,B\n1,2,  ,\"\"\n", "f.csv").rows[0].cells, (cells{"1", "2"}));
  // A named column that is empty in the middle of the header is kept.
  EXPECT_EQ(parse_csv("A,,C\n1,2,3\n", "f.csv").header, (cells{"A", "", "C"}));
}

TEST(CsvTable, SkipsToolLinesBeforeTheHeader) {
  const std::string text =
      "==PROF== Connected to process 4242 (/usr/bin/app)\n"
      "==WARNING== Can't find \"libfoo.so\n"  // a stray quote: not CSV, skipped on its own
      "\n"
      "==PROF== Disconnected from process 4242\n"
      "\"ID\",\"Kernel Name\"\n"
      "\"0\",\"k\"\n";
  const auto t = parse_csv(text, "f.csv");
  EXPECT_EQ(t.header_line, 5);
  EXPECT_EQ(t.header, (cells{"ID", "Kernel Name"}));
  EXPECT_EQ(lines_of(t), (std::vector<int>{6}));
}

TEST(CsvTable, CallerChoosesTheHeader) {
  // A banner that does not start with "==", then the header the reader knows by its first cell.
  csv_options options;
  options.is_header = [](const cells& record) { return record.front() == "Op Name"; };
  const auto t = parse_csv("msprof summary, device 0\n  Op Name ,Task Duration(us)\nadd,1.5\n",
                           "f.csv", options);
  EXPECT_EQ(t.header_line, 2);
  EXPECT_EQ(t.header, (cells{"Op Name", "Task Duration(us)"}));
  EXPECT_EQ(lines_of(t), (std::vector<int>{3}));
  // The predicate is never offered blank records.
  csv_options counting;
  int offered = 0;
  counting.is_header = [&offered](const cells&) {
    ++offered;
    return true;
  };
  EXPECT_EQ(parse_csv("\n,,\n  \nA\n", "f.csv", counting).header_line, 4);
  EXPECT_EQ(offered, 1);
}

TEST(CsvTable, NoHeaderFound) {
  EXPECT_EQ(refusal(""), "f.csv: no header found");
  EXPECT_EQ(refusal("\n\n ,\n"), "f.csv: no header found");
  EXPECT_EQ(refusal("==PROF== nothing was profiled\n"), "f.csv: no header found");
  EXPECT_EQ(refusal("\xEF\xBB\xBF"), "f.csv: no header found");
  csv_options never;
  never.is_header = [](const cells&) { return false; };
  EXPECT_EQ(refusal("A,B\n1,2\n", never), "f.csv: no header found");
  // When a malformed line was skipped looking for the header, its problem is the likelier story.
  EXPECT_EQ(refusal("==PROF== x\nA,\"B\n", never), "f.csv:2: quoted field never closed");
  EXPECT_EQ(refusal("A,x\"B\n"), "f.csv:1: quote inside an unquoted field");
}

TEST(CsvTable, RepeatedColumnNamesAreAllKept) {
  const auto t = parse_csv("Name,Value,Value,Other\nk,1,2,3\n", "f.csv");
  EXPECT_EQ(t.column("Value"), std::optional<std::size_t>(1));
  EXPECT_EQ(t.columns("Value"), (std::vector<std::size_t>{1, 2}));
  EXPECT_EQ(t.columns("Other"), (std::vector<std::size_t>{3}));
  EXPECT_FALSE(t.column("Missing").has_value());
  EXPECT_TRUE(t.columns("Missing").empty());
  EXPECT_EQ(t.cell(t.rows[0], t.columns("Value")[1]), "2");
}

TEST(CsvTable, BlankLinesAreSkippedAndLinesStillCount) {
  const auto t = parse_csv("\n\nA,B\n\n1,2\n   \n,,\n\t,\n3,4\n\n", "f.csv");
  EXPECT_EQ(t.header_line, 3);
  EXPECT_EQ(lines_of(t), (std::vector<int>{5, 9}));
}

TEST(CsvTable, CrlfLineEnds) {
  const auto t = parse_csv("A,B\r\n1,\"x\r\ny\"\r\n\r\n3,4\r\n", "f.csv");
  EXPECT_EQ(t.header, (cells{"A", "B"}));
  ASSERT_EQ(t.rows.size(), 2u);
  EXPECT_EQ(t.rows[0].cells, (cells{"1", "x\r\ny"}));  // inside quotes the text is kept
  EXPECT_EQ(lines_of(t), (std::vector<int>{2, 5}));
  // An old-Mac lone CR ends a line too.
  EXPECT_EQ(lines_of(parse_csv("A\r1\r2\r", "f.csv")), (std::vector<int>{2, 3}));
}

TEST(CsvTable, ByteOrderMarkIsSkipped) {
  const auto t = parse_csv("\xEF\xBB\xBF\"ID\",Name\n1,k\n", "f.csv");
  EXPECT_EQ(t.header, (cells{"ID", "Name"}));
  EXPECT_TRUE(t.column("ID").has_value());
  EXPECT_EQ(t.header_line, 1);
  // Only at the very start: elsewhere the bytes are text.
  EXPECT_EQ(parse_csv("A\n\xEF\xBB\xBFx\n", "f.csv").rows[0].cells[0], "\xEF\xBB\xBFx");
}

TEST(CsvTable, NewlinesInsideQuotesKeepLaterLinesRight) {
  const auto t = parse_csv(
      "Name,Note\n"
      "k1,\"first line\n"
      "second line\n"
      "third\"\n"
      "k2,plain\n"
      "k3,\"x\"\n",
      "f.csv");
  ASSERT_EQ(t.rows.size(), 3u);
  EXPECT_EQ(t.rows[0].cells[1], "first line\nsecond line\nthird");
  EXPECT_EQ(lines_of(t), (std::vector<int>{2, 5, 6}));
  // ... and so do the lines errors name.
  EXPECT_EQ(refusal("Name,Note\nk1,\"a\nb\"\nk2,x,y\n"), "f.csv:4: 3 fields, the header has 2");
}

TEST(CsvTable, BlanksAroundQuotedFieldsAreDropped) {
  const auto t = parse_csv("A,B,C\n1, \"x, y\" ,\t\"z\"\n", "f.csv");
  EXPECT_EQ(t.rows[0].cells, (cells{"1", "x, y", "z"}));
  // Blanks inside the quotes are trimmed from the cell like any other.
  EXPECT_EQ(parse_csv("A\n\"  padded  \"\n", "f.csv").rows[0].cells[0], "padded");
}

TEST(CsvTable, MalformedRecordsNameFileAndLine) {
  const std::string header = "A,B\n1,2\n";
  EXPECT_EQ(refusal(header + "3,\"open\n4,5\n"), "f.csv:3: quoted field never closed");
  EXPECT_EQ(refusal(header + "3,\"closed\"x\n"), "f.csv:3: text after a closing quote");
  EXPECT_EQ(refusal(header + "3,\"a\" \"b\"\n"), "f.csv:3: text after a closing quote");
  EXPECT_EQ(refusal(header + "3,ab\"c\"\n"), "f.csv:3: quote inside an unquoted field");
  EXPECT_EQ(refusal(header + "3,4,5\n"), "f.csv:3: 3 fields, the header has 2");
  EXPECT_EQ(refusal(header + "3,4,,6,,\n"), "f.csv:3: 4 fields, the header has 2");
  // Past a multi-line quoted field, the line is the one the bad text is on.
  EXPECT_EQ(refusal(header + "\"x\ny\"z,1\n"), "f.csv:4: text after a closing quote");
  // A units row is held to the header's width too.
  csv_options options;
  options.is_units_row = [](const cells&, const cells&) { return true; };
  EXPECT_EQ(refusal("A,B\nx,y,z\n", options), "f.csv:2: 3 fields, the header has 2");
}

TEST(CsvTable, NextCsvRecordTokenizesRawFields) {
  const std::string text = "a, b ,\"c\"\"d\"\n\"e\nf\",\n";
  std::size_t pos = 0;
  int line = 1;
  std::vector<std::string> f;
  ASSERT_TRUE(next_csv_record(text, pos, line, f, "t.csv"));
  EXPECT_EQ(f, (cells{"a", " b ", "c\"d"}));  // untrimmed: that is parse_csv's job
  EXPECT_EQ(line, 2);
  ASSERT_TRUE(next_csv_record(text, pos, line, f, "t.csv"));
  EXPECT_EQ(f, (cells{"e\nf", ""}));
  EXPECT_EQ(line, 4);
  EXPECT_FALSE(next_csv_record(text, pos, line, f, "t.csv"));
  EXPECT_TRUE(f.empty());

  std::string bad = "\"never closed";
  pos = 0;
  line = 7;
  try {
    next_csv_record(bad, pos, line, f, "t.csv");
    ADD_FAILURE() << "no error";
  } catch (const usage_error& e) {
    EXPECT_STREQ(e.what(), "t.csv:7: quoted field never closed");
  }
}

TEST(CsvTable, ReadCsvReadsAFile) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("ridgeline_test_csv_table_" +
                     std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + ".csv");
  {
    std::ofstream out(path, std::ios::binary);
    out << "\xEF\xBB\xBF"
           "A,B\r\n1,2\r\n";
  }
  const auto t = read_csv(path.string());
  std::filesystem::remove(path);
  EXPECT_EQ(t.file, path.string());
  ASSERT_EQ(t.rows.size(), 1u);
  EXPECT_EQ(t.where(t.rows[0]), path.string() + ":2");
  try {
    read_csv("/nonexistent/ridgeline/x.csv");
    ADD_FAILURE() << "no error";
  } catch (const usage_error& e) {
    EXPECT_STREQ(e.what(), "/nonexistent/ridgeline/x.csv: cannot read");
  }
  const std::string dir = std::filesystem::temp_directory_path().string();
  try {
    read_csv(dir);
    ADD_FAILURE() << "no error";
  } catch (const usage_error& e) {
    EXPECT_EQ(std::string(e.what()), dir + ": cannot read");
  }
}

}  // namespace
}  // namespace ridgeline
