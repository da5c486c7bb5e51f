// kokkos_tools/work_file.cpp: the user's per-label work, and one message naming the field for
// every way the file can be wrong.
#include <gtest/gtest.h>

#include "kokkos_tools/work_file.hpp"
#include "tests/support/expect_error.hpp"

namespace ridgeline::kokkos_tools {
namespace {

using test::expect_usage_error;

TEST(WorkFile, ReadsFlopsPrecisionUnitAndBytes) {
  const work_table t = parse_work_file(R"(
kernels:
  "app::triad": {flops: 2000000, precision: f64, bytes: 24000000}
  "app::mma":
    flops: 3e9
    precision: f16
    unit: tensor
    bytes: {dram: 1000, l2: 5000}
  app::copy: {bytes: 16}
)",
                                       "w.yaml");
  ASSERT_EQ(t.size(), 3u);
  const kernel_work& triad = t.at("app::triad");
  ASSERT_EQ(triad.work.flops.size(), 1u);
  EXPECT_EQ(triad.work.flops[0].precision, "f64");
  EXPECT_EQ(triad.work.flops[0].unit, "simt");  // the default
  EXPECT_EQ(triad.work.flops[0].count, 2000000u);
  EXPECT_EQ(triad.work.bytes_at("dram"), 24000000u);  // a bare number is DRAM bytes
  EXPECT_EQ(triad.dtype, "f64");
  const kernel_work& mma = t.at("app::mma");
  EXPECT_EQ(mma.work.flops[0].count, 3000000000u);
  EXPECT_EQ(mma.work.flops[0].unit, "tensor");
  EXPECT_EQ(mma.work.bytes_at("l2"), 5000u);
  EXPECT_EQ(mma.work.bytes_at("dram"), 1000u);
  const kernel_work& copy = t.at("app::copy");  // "::" in a plain YAML key
  EXPECT_TRUE(copy.work.flops.empty());
  EXPECT_EQ(copy.dtype, "");
  EXPECT_EQ(copy.work.bytes_at("dram"), 16u);
}

TEST(WorkFile, EdgesOfTheFormatStayAccepted) {
  EXPECT_TRUE(parse_work_file("kernels: {}\n", "w.yaml").empty());
  // A precision beside bytes only picks nothing: the kernel has no FLOPs, so no dtype.
  const work_table t = parse_work_file("kernels:\n  k: {precision: f32, bytes: 8}\n", "w.yaml");
  EXPECT_EQ(t.at("k").dtype, "");
  EXPECT_TRUE(t.at("k").work.flops.empty());
  EXPECT_EQ(t.at("k").work.bytes_at("dram"), 8u);
}

TEST(WorkFile, NamesTheFileLineAndFieldThatIsWrong) {
  const auto parse = [](const std::string& text) { return parse_work_file(text, "w.yaml"); };
  expect_usage_error([&] { parse("kernels:\n  k: {flops: lots, precision: f64}\n"); },
                     {"w.yaml:2: kernels.k.flops: expected a non-negative integer, got 'lots'"});
  expect_usage_error([&] { parse("kernels:\n  k: {flops: -4, precision: f64}\n"); },
                     {"w.yaml:2: kernels.k.flops: expected a non-negative integer, got '-4'"});
  expect_usage_error([&] { parse("kernels:\n  k: {flops: 2.5, precision: f64}\n"); },
                     {"w.yaml:2: kernels.k.flops: expected a non-negative integer, got '2.5'"});
  expect_usage_error([&] { parse("kernels:\n  k: {flops: [1], precision: f64}\n"); },
                     {"w.yaml:2: kernels.k.flops: expected a non-negative integer, got a list"});
  expect_usage_error([&] { parse("kernels:\n  k: {flops: 10}\n"); },
                     {"w.yaml:2: kernels.k.precision: missing; required with flops"});
  expect_usage_error([&] { parse("kernels:\n  k: {flops: 10, precision: ''}\n"); },
                     {"w.yaml:2: kernels.k.precision: must not be empty"});
  expect_usage_error([&] { parse("kernels:\n  k: {flops: 10, precision: f32, unit: vector}\n"); },
                     {"w.yaml:2: kernels.k.unit: expected simt or tensor, got 'vector'"});
  expect_usage_error(
      [&] { parse("kernels:\n  k: {flop: 10}\n"); },
      {"w.yaml:2: kernels.k.flop: unknown key; expected one of: flops, precision, unit, bytes"});
  expect_usage_error([&] { parse("kernels:\n  k:\n    bytes: {dram: x}\n"); },
                     {"w.yaml:3: kernels.k.bytes.dram: expected a non-negative integer, got 'x'"});
  expect_usage_error([&] { parse("kernels:\n  k: {bytes: {}}\n"); },
                     {"w.yaml:2: kernels.k.bytes: expected at least one level"});
  expect_usage_error([&] { parse("kernels:\n  k: {precision: f64}\n"); },
                     {"w.yaml:2: kernels.k: states neither flops nor bytes"});
  expect_usage_error([&] { parse("kernels:\n  k: 12\n"); },
                     {"w.yaml:2: kernels.k: expected a mapping, got a single value"});
  expect_usage_error(
      [&] { parse("kernels: [k]\n"); },
      {"w.yaml:1: kernels: expected a mapping from Kokkos label to work, got a list"});
  expect_usage_error([&] { parse("kernel:\n  k: {bytes: 1}\n"); },
                     {"w.yaml:1: kernel: unknown key; expected one of: kernels"});
  expect_usage_error([&] { parse("# no kernels yet\n{}\n"); },
                     {"w.yaml:1: kernels: missing; the file maps kernels:"});
  expect_usage_error([&] { parse("kernels: {k: {bytes: 1}}\nextra: 1\n"); },
                     {"w.yaml:2: extra: unknown key; expected one of: kernels"});
  expect_usage_error([&] { parse("kernels: [\n"); }, {"w.yaml:", ": syntax: not valid YAML: "});
  expect_usage_error([&] { parse(""); }, {"w.yaml:1: work file: empty file; expected a work file"});
  expect_usage_error([&] { parse("- k\n"); },
                     {"w.yaml:1: work file: expected a mapping of work file fields"});
}

// yaml-cpp keeps the last of two equal keys without a word; the reader refuses them, so a second
// entry for a label (or a second flops) never silently replaces the first.
TEST(WorkFile, RefusesRepeatedKeysAndSecondDocuments) {
  const auto parse = [](const std::string& text) { return parse_work_file(text, "w.yaml"); };
  expect_usage_error([&] { parse("kernels:\n  k: {bytes: 1}\n  k: {bytes: 2}\n"); },
                     {"w.yaml:3: kernels.k: repeated key (first at line 2)"});
  expect_usage_error([&] { parse("kernels:\n  k:\n    bytes: 1\n    bytes: 2\n"); },
                     {"w.yaml:4: kernels.k.bytes: repeated key (first at line 3)"});
  expect_usage_error([&] { parse("kernels:\n  k: {bytes: {l2: 1, l2: 2}}\n"); },
                     {"w.yaml:2: kernels.k.bytes.l2: repeated key (first at line 2)"});
  expect_usage_error([&] { parse("kernels: {a: {bytes: 1}}\nkernels: {b: {bytes: 1}}\n"); },
                     {"w.yaml:2: kernels: repeated key (first at line 1)"});
  expect_usage_error([&] { parse("kernels: {a: {bytes: 1}}\n---\nkernels: {b: {bytes: 1}}\n"); },
                     {"w.yaml:3: work file: more than one YAML document; one work file per file"});
}

TEST(WorkFile, UnreadableFileIsNamed) {
  expect_usage_error([] { read_work_file("/nonexistent/work.yaml"); },
                     {"/nonexistent/work.yaml: cannot open work file"});
}

}  // namespace
}  // namespace ridgeline::kokkos_tools
