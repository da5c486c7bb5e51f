// Units: every accepted spelling converts to base units (decimal prefixes x1000, binary x1024);
// near-misses are refused rather than guessed. Conversion through a catalog file: tests/roofline/
// data/good/units.yaml uses one unit of each family.
#include <gtest/gtest.h>

#include <string>

#include "roofline/device_catalog.hpp"
#include "roofline/units.hpp"

namespace ridgeline::roofline {
namespace {

const std::string data = RIDGELINE_TEST_DATA_DIR;

TEST(Units, DecimalAndBinaryPrefixes) {
  EXPECT_DOUBLE_EQ(*unit_factor(quantity_kind::flop_rate, "TFLOP/s"), 1e12);
  EXPECT_DOUBLE_EQ(*unit_factor(quantity_kind::flop_rate, "GFLOP/s"), 1e9);
  EXPECT_DOUBLE_EQ(*unit_factor(quantity_kind::op_rate, "TOP/s"), 1e12);
  EXPECT_DOUBLE_EQ(*unit_factor(quantity_kind::byte_rate, "TB/s"), 1e12);
  EXPECT_DOUBLE_EQ(*unit_factor(quantity_kind::byte_rate, "GB/s"), 1e9);
  EXPECT_DOUBLE_EQ(*unit_factor(quantity_kind::byte_rate, "GiB/s"), 1073741824.0);
  EXPECT_DOUBLE_EQ(*unit_factor(quantity_kind::bytes, "GB"), 1e9);
  EXPECT_DOUBLE_EQ(*unit_factor(quantity_kind::bytes, "GiB"), 1073741824.0);
  EXPECT_DOUBLE_EQ(*unit_factor(quantity_kind::bytes, "KiB"), 1024.0);
  EXPECT_DOUBLE_EQ(*unit_factor(quantity_kind::power, "W"), 1.0);
  EXPECT_DOUBLE_EQ(*unit_factor(quantity_kind::power, "kW"), 1e3);
}

TEST(Units, NearMissesAndWrongFamiliesAreRefused) {
  EXPECT_FALSE(unit_factor(quantity_kind::flop_rate, "TFLOPS"));
  EXPECT_FALSE(unit_factor(quantity_kind::flop_rate, "tflop/s"));
  EXPECT_FALSE(unit_factor(quantity_kind::flop_rate, "TOP/s"));  // int8 counts operations
  EXPECT_FALSE(unit_factor(quantity_kind::op_rate, "TFLOP/s"));
  EXPECT_FALSE(unit_factor(quantity_kind::byte_rate, "GB"));  // a capacity, not a bandwidth
  EXPECT_FALSE(unit_factor(quantity_kind::bytes, "GB/s"));
  EXPECT_FALSE(unit_factor(quantity_kind::power, "TDP"));
}

TEST(Units, EveryListedUnitConverts) {
  for (auto k : {quantity_kind::flop_rate, quantity_kind::op_rate, quantity_kind::byte_rate,
                 quantity_kind::bytes, quantity_kind::power}) {
    ASSERT_FALSE(units_of(k).empty());
    for (const auto& u : units_of(k)) EXPECT_TRUE(unit_factor(k, u)) << u;
  }
}

TEST(Units, CatalogValuesAreStoredInBaseUnits) {
  const device_card c = load_card(data + "/good/units.yaml");
  EXPECT_EQ(c.id, "units");
  ASSERT_TRUE(c.memory_capacity && c.memory_capacity->known());
  EXPECT_DOUBLE_EQ(*c.memory_capacity->value, 64.0 * 1024 * 1024 * 1024);
  EXPECT_EQ(c.memory_capacity->unit, "GiB");  // the spelling the file used is kept
  EXPECT_DOUBLE_EQ(*c.find_compute("f64", "simt")->value, 500e9);
  EXPECT_DOUBLE_EQ(*c.find_compute("f32", "simt")->value, 1.5e12);
  const quantity* bf16 = c.find_compute("bf16", "tensor");
  ASSERT_NE(bf16, nullptr);
  EXPECT_DOUBLE_EQ(*bf16->value, 1.2e15);
  ASSERT_TRUE(bf16->range);
  EXPECT_DOUBLE_EQ(bf16->range->low, 0.8e15);
  EXPECT_DOUBLE_EQ(bf16->range->high, 1.2e15);
  EXPECT_EQ(bf16->confidence, confidence::estimate);
  EXPECT_EQ(bf16->note, "range kept");
  EXPECT_DOUBLE_EQ(*c.find_compute("int8", "tensor")->value, 2e15);
  EXPECT_FALSE(c.find_compute("fp8", "tensor")->known());
  EXPECT_EQ(c.find_compute("fp8", "tensor")->confidence, confidence::unknown);
  EXPECT_EQ(c.find_compute("f16", "tensor"), nullptr);  // not listed at all
  EXPECT_DOUBLE_EQ(*c.find_bandwidth("l1")->value, 20.0 * 1024 * 1024 * 1024 * 1024);
  EXPECT_DOUBLE_EQ(*c.find_bandwidth("l2")->value, 8e12);
  EXPECT_DOUBLE_EQ(*c.find_bandwidth("dram")->value, 900e9);
  ASSERT_TRUE(c.board_power);
  EXPECT_DOUBLE_EQ(*c.board_power->value, 600.0);
  ASSERT_TRUE(c.price);
  EXPECT_EQ(c.price->currency, "USD");
  EXPECT_EQ(c.price->date, "2025-03");
  EXPECT_EQ(c.price->per, price::basis::server);
  EXPECT_EQ(c.price->cards, 8);
  EXPECT_DOUBLE_EQ(c.price->amount_per_card(), 31250.0);
}

}  // namespace
}  // namespace ridgeline::roofline
