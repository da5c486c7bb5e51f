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

TEST(WorkFile, NamesTheFieldThatIsWrong) {
  const auto parse = [](const std::string& text) { return parse_work_file(text, "w.yaml"); };
  expect_usage_error([&] { parse("kernels:\n  k: {flops: lots, precision: f64}\n"); },
                     {"w.yaml: kernels.k.flops: expected a non-negative integer, got 'lots'"});
  expect_usage_error([&] { parse("kernels:\n  k: {flops: -4, precision: f64}\n"); },
                     {"kernels.k.flops", "'-4'"});
  expect_usage_error([&] { parse("kernels:\n  k: {flops: 2.5, precision: f64}\n"); },
                     {"kernels.k.flops", "'2.5'"});
  expect_usage_error([&] { parse("kernels:\n  k: {flops: 10}\n"); },
                     {"kernels.k.precision: required with flops"});
  expect_usage_error([&] { parse("kernels:\n  k: {flops: 10, precision: f32, unit: vector}\n"); },
                     {"kernels.k.unit: expected simt or tensor, got 'vector'"});
  expect_usage_error([&] { parse("kernels:\n  k: {flop: 10}\n"); },
                     {"kernels.k.flop: unknown field"});
  expect_usage_error([&] { parse("kernels:\n  k: {bytes: {dram: x}}\n"); },
                     {"kernels.k.bytes.dram: expected a non-negative integer"});
  expect_usage_error([&] { parse("kernels:\n  k: {precision: f64}\n"); },
                     {"kernels.k: states neither flops nor bytes"});
  expect_usage_error([&] { parse("kernels:\n  k: 12\n"); }, {"kernels.k: expected a map"});
  expect_usage_error([&] { parse("kernel:\n  k: {bytes: 1}\n"); }, {"w.yaml: kernels: missing"});
  expect_usage_error([&] { parse("kernels: {k: {bytes: 1}}\nextra: 1\n"); },
                     {"extra: unknown top-level field"});
  expect_usage_error([&] { parse("kernels: [\n"); }, {"w.yaml: not YAML (line"});
}

TEST(WorkFile, UnreadableFileIsNamed) {
  expect_usage_error([] { read_work_file("/nonexistent/work.yaml"); },
                     {"/nonexistent/work.yaml: cannot read the file"});
}

}  // namespace
}  // namespace ridgeline::kokkos_tools
