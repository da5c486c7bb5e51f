// dtype names, sizes and parsing; bf16/f16 accumulate in f32 (kernels/dtype.cpp).
#include <gtest/gtest.h>

#include "kernels/dtype.hpp"
#include "tests/support/expect_error.hpp"

namespace ridgeline::test {
namespace {

using kernels::dtype;

TEST(Dtype, NamesRoundTripThroughTheParser) {
  for (dtype t : {dtype::f32, dtype::f64, dtype::bf16, dtype::f16}) {
    EXPECT_EQ(kernels::parse_dtype(kernels::to_string(t), "--dtype"), t) << kernels::to_string(t);
  }
  EXPECT_EQ(kernels::parse_dtype("bfloat16", "--dtype"), dtype::bf16);
  EXPECT_EQ(kernels::parse_dtype("half", "--dtype"), dtype::f16);
  EXPECT_EQ(kernels::parse_dtype("double", "--dtype"), dtype::f64);
}

TEST(Dtype, SizesAndAccumulators) {
  EXPECT_EQ(kernels::size_of(dtype::f32), 4u);
  EXPECT_EQ(kernels::size_of(dtype::f64), 8u);
  EXPECT_EQ(kernels::size_of(dtype::bf16), 2u);
  EXPECT_EQ(kernels::size_of(dtype::f16), 2u);
  EXPECT_EQ(kernels::accumulator_of(dtype::bf16), dtype::f32);
  EXPECT_EQ(kernels::accumulator_of(dtype::f16), dtype::f32);
  EXPECT_EQ(kernels::accumulator_of(dtype::f32), dtype::f32);
  EXPECT_EQ(kernels::accumulator_of(dtype::f64), dtype::f64);
  EXPECT_TRUE(kernels::is_low_precision(dtype::bf16));
  EXPECT_TRUE(kernels::is_low_precision(dtype::f16));
  EXPECT_FALSE(kernels::is_low_precision(dtype::f32));
  EXPECT_FALSE(kernels::is_low_precision(dtype::f64));
}

TEST(Dtype, UnknownNamesAreUsageErrorsNamingTheField) {
  expect_usage_error([] { (void)kernels::parse_dtype("fp8", "--dtype"); },
                     {"--dtype: unknown dtype 'fp8'", "bf16", "f16"});
  expect_usage_error([] { (void)kernels::parse_dtype("BF16", "dtype"); }, {"dtype: unknown"});
}

}  // namespace
}  // namespace ridgeline::test
