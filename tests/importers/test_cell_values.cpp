// cell_values: numbers and units as profilers print them, the conventions every importer shares.
#include <gtest/gtest.h>

#include <string>

#include "core/error.hpp"
#include "importers/cell_values.hpp"

namespace ridgeline::importers {
namespace {

std::optional<double> number(const std::string& text) {
  return parse_cell_number(text, "f.csv:3", "Duration");
}

// What parsing `text` fails with ("" when it parses).
std::string refusal(const std::string& text) {
  try {
    number(text);
  } catch (const usage_error& e) {
    return e.what();
  }
  return "";
}

TEST(CellValues, PlainNumbers) {
  EXPECT_EQ(number("0"), 0.0);
  EXPECT_EQ(number("42"), 42.0);
  EXPECT_EQ(number("-3.5"), -3.5);
  EXPECT_EQ(number("+7"), 7.0);
  EXPECT_EQ(number(".5"), 0.5);
  EXPECT_EQ(number("5."), 5.0);
  EXPECT_EQ(number("  12.25\t"), 12.25);
  EXPECT_EQ(number("1e3"), 1000.0);
  EXPECT_EQ(number("1.5E-3"), 0.0015);
  EXPECT_EQ(number("2.5e+2"), 250.0);
  EXPECT_EQ(number("18446744073709551616"), 18446744073709551616.0);  // past uint64: fine
}

TEST(CellValues, ThousandsSeparators) {
  EXPECT_EQ(number("1,234"), 1234.0);
  EXPECT_EQ(number("1,234,567.5"), 1234567.5);
  EXPECT_EQ(number("-12,345"), -12345.0);
  EXPECT_EQ(number("999,999,999"), 999999999.0);
  EXPECT_EQ(number("1,000e3"), 1e6);
  EXPECT_EQ(number(" 123,456 "), 123456.0);
}

TEST(CellValues, NoValueSpellings) {
  for (const char* none :
       {"", "   ", "n/a", "N/A", "N/a", "NA", "na", "-", "nan", "NaN", "NAN", " n/a "})
    EXPECT_EQ(number(none), std::nullopt) << "'" << none << "'";
}

TEST(CellValues, MalformedNumbersNameWhereColumnAndText) {
  EXPECT_EQ(refusal("abc"), "f.csv:3: Duration: expected a number, got 'abc'");
  EXPECT_EQ(refusal(" 12 ms "), "f.csv:3: Duration: expected a number, got '12 ms'");
  for (const char* bad :
       {"1,23",      "1,2345", "1234,567", ",123", "1,",       "1,,234", "1.234,5",
        "1,234.5,6", "12a",    "1e",       "e3",   "--1",      "1-",     "+",
        ".",         "1.2.3",  "inf",      "-inf", "Infinity", "1e999",  "-1e999",
        "0x10",      "1 234",  "12%",      "--",   "none",     "nan1"})
    EXPECT_NE(refusal(bad), "") << "'" << bad << "'";
  EXPECT_EQ(refusal("1,23"), "f.csv:3: Duration: expected a number, got '1,23'");
}

TEST(CellValues, TimeUnitsScaleToSeconds) {
  for (const char* u : {"ns", "nsecond"}) EXPECT_DOUBLE_EQ(*unit_scale(u, quantity::time), 1e-9);
  for (const char* u : {"us", "usecond"}) EXPECT_DOUBLE_EQ(*unit_scale(u, quantity::time), 1e-6);
  for (const char* u : {"ms", "msecond"}) EXPECT_DOUBLE_EQ(*unit_scale(u, quantity::time), 1e-3);
  for (const char* u : {"s", "second"}) EXPECT_DOUBLE_EQ(*unit_scale(u, quantity::time), 1.0);
  EXPECT_DOUBLE_EQ(*unit_scale(" us ", quantity::time), 1e-6);
}

TEST(CellValues, ByteUnitsScaleToBytes) {
  const auto bytes = [](const char* u) { return unit_scale(u, quantity::bytes); };
  EXPECT_EQ(bytes("byte"), 1.0);
  EXPECT_EQ(bytes("B"), 1.0);
  // Nsight Compute's Kbyte... are decimal (see cell_values.cpp): 65536 B reads "65.54 Kbyte".
  EXPECT_EQ(bytes("Kbyte"), 1e3);
  EXPECT_EQ(bytes("Mbyte"), 1e6);
  EXPECT_EQ(bytes("Gbyte"), 1e9);
  EXPECT_EQ(bytes("Tbyte"), 1e12);
  EXPECT_EQ(bytes("KB"), 1e3);
  EXPECT_EQ(bytes("MB"), 1e6);
  EXPECT_EQ(bytes("GB"), 1e9);
  EXPECT_EQ(bytes("TB"), 1e12);
  EXPECT_EQ(bytes("KiB"), 1024.0);
  EXPECT_EQ(bytes("MiB"), 1024.0 * 1024);
  EXPECT_EQ(bytes("GiB"), 1024.0 * 1024 * 1024);
  EXPECT_EQ(bytes("TiB"), 1024.0 * 1024 * 1024 * 1024);
  EXPECT_NEAR(*number("65.54") * *bytes("Kbyte"), 65536.0, 5.0);
}

TEST(CellValues, RatesAreBytesPerSecond) {
  const auto rate = [](const char* u) { return unit_scale(u, quantity::byte_rate); };
  EXPECT_EQ(rate("byte/second"), 1.0);
  EXPECT_EQ(rate("B/s"), 1.0);
  EXPECT_EQ(rate("Kbyte/second"), 1e3);
  EXPECT_EQ(rate("Mbyte/second"), 1e6);
  EXPECT_EQ(rate("Gbyte/second"), 1e9);
  EXPECT_EQ(rate("Tbyte/second"), 1e12);
  EXPECT_EQ(rate("MB/s"), 1e6);
  EXPECT_EQ(rate("GB/s"), 1e9);
  EXPECT_EQ(rate("TB/s"), 1e12);
  EXPECT_EQ(rate("GiB/s"), 1024.0 * 1024 * 1024);
  EXPECT_EQ(rate("GB/second"), 1e9);
  for (const char* bad : {"GB", "/s", "/second", "GB/ms", "GB/sec", "Gbyte/nsecond", "s"})
    EXPECT_EQ(rate(bad), std::nullopt) << bad;
}

TEST(CellValues, CountsAndPercentAreNotScaled) {
  for (const char* u : {"", "inst", "instructions", "count", "operations", "requests", "cycle"})
    EXPECT_EQ(unit_scale(u, quantity::count), 1.0) << "'" << u << "'";
  EXPECT_EQ(unit_scale("%", quantity::percent), 1.0);  // 42.5 % stays 42.5
  EXPECT_EQ(unit_scale("", quantity::percent), std::nullopt);
  EXPECT_EQ(unit_scale("percent", quantity::percent), std::nullopt);
}

TEST(CellValues, RefusesUnitsOfAnotherQuantity) {
  EXPECT_EQ(unit_scale("ms", quantity::bytes), std::nullopt);
  EXPECT_EQ(unit_scale("GB", quantity::time), std::nullopt);
  EXPECT_EQ(unit_scale("GB/s", quantity::bytes), std::nullopt);
  EXPECT_EQ(unit_scale("Gbyte", quantity::byte_rate), std::nullopt);
  EXPECT_EQ(unit_scale("%", quantity::count), std::nullopt);
  EXPECT_EQ(unit_scale("cycle", quantity::time), std::nullopt);
  EXPECT_EQ(unit_scale("", quantity::time), std::nullopt);  // a time needs its unit
  EXPECT_EQ(unit_scale("", quantity::bytes), std::nullopt);
  EXPECT_EQ(unit_scale("inst", quantity::percent), std::nullopt);
  // Unit names are matched as the tools write them.
  for (const char* u : {"NS", "Us", "kB", "kbyte", "KBYTE", "gb", "mib", "Second", "furlong"})
    EXPECT_FALSE(unit_scale(u, quantity::bytes) || unit_scale(u, quantity::time)) << u;
}

TEST(CellValues, QuantityNames) {
  EXPECT_STREQ(to_string(quantity::time), "time");
  EXPECT_STREQ(to_string(quantity::bytes), "bytes");
  EXPECT_STREQ(to_string(quantity::byte_rate), "byte rate");
  EXPECT_STREQ(to_string(quantity::count), "count");
  EXPECT_STREQ(to_string(quantity::percent), "percent");
}

TEST(CellValues, SplitUnitSuffix) {
  using split = std::pair<std::string, std::string>;
  EXPECT_EQ(split_unit_suffix("Task Duration(us)"), (split{"Task Duration", "us"}));
  EXPECT_EQ(split_unit_suffix("aic_total_time (us)"), (split{"aic_total_time", "us"}));
  EXPECT_EQ(split_unit_suffix("Memory Throughput (GB/s)"), (split{"Memory Throughput", "GB/s"}));
  EXPECT_EQ(split_unit_suffix(" Size ( KB ) "), (split{"Size", "KB"}));
  EXPECT_EQ(split_unit_suffix("Kernel Name"), (split{"Kernel Name", ""}));
  EXPECT_EQ(split_unit_suffix(""), (split{"", ""}));
  // Only a trailing group counts: one in the middle is part of the name.
  EXPECT_EQ(split_unit_suffix("Time (us) avg"), (split{"Time (us) avg", ""}));
  EXPECT_EQ(split_unit_suffix("f(x) Time(ns)"), (split{"f(x) Time", "ns"}));
  EXPECT_EQ(split_unit_suffix("Ratio (a(b))"), (split{"Ratio", "a(b)"}));
  EXPECT_EQ(split_unit_suffix("Empty()"), (split{"Empty", ""}));
  // Nothing left of the group, or no group that opens: the name stays whole.
  EXPECT_EQ(split_unit_suffix("(us)"), (split{"(us)", ""}));
  EXPECT_EQ(split_unit_suffix("Broken us)"), (split{"Broken us)", ""}));
}

}  // namespace
}  // namespace ridgeline::importers
