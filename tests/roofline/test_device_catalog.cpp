// The device catalog: the shipped configs/devices/ loads and holds every card issue 3 lists, with
// a unit, a source and a confidence on every number; each bad input in tests/roofline/data/bad/
// is refused with one line "FILE:LINE: FIELD: problem" (checked verbatim).
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "roofline/device_catalog.hpp"
#include "tests/support/expect_error.hpp"

namespace ridgeline::roofline {
namespace {

using ridgeline::test::usage_error_of;

const std::string data = RIDGELINE_TEST_DATA_DIR;

const device_catalog& shipped() {
  static const device_catalog c = load_catalog(RIDGELINE_DEVICE_CATALOG_DIR);
  return c;
}

std::string bad_card_error(const std::string& name) {
  return usage_error_of([&] { load_card(data + "/bad/" + name + ".yaml"); });
}

std::string bad(const std::string& name, int line, const std::string& rest) {
  return data + "/bad/" + name + ".yaml:" + std::to_string(line) + ": " + rest;
}

TEST(ShippedCatalog, HasEveryCard) {
  const std::vector<std::string> ids = {"h100_sxm",
                                        "h200",
                                        "h20",
                                        "a100_sxm_80gb",
                                        "a800_sxm_80gb",
                                        "l20",
                                        "b200",
                                        "mi300x",
                                        "mi250x",
                                        "ascend_910b",
                                        "ascend_910c",
                                        "mlu370_x8",
                                        "b20",
                                        "hygon_bw1000",
                                        "hygon_k100",
                                        "kunlunxin_p800",
                                        "mlu590",
                                        "epyc_zen4_vm_2cpu",
                                        "xeon_platinum_8480p",
                                        "xeon_platinum_8592p",
                                        "xeon_6980p",
                                        "epyc_9654",
                                        "epyc_9684x",
                                        "epyc_9755",
                                        "nvidia_grace",
                                        "kunpeng_920_7260",
                                        "hygon_c86_7285"};
  for (const auto& id : ids) EXPECT_NE(shipped().find(id), nullptr) << id;
  EXPECT_EQ(shipped().cards.size(), ids.size());
}

TEST(ShippedCatalog, EveryNumberHasAUnitASourceAndAConfidence) {
  const auto check = [](const device_card& c, const std::string& what, const quantity& q) {
    SCOPED_TRACE(c.id + " " + what);
    EXPECT_FALSE(q.source.empty());
    EXPECT_EQ(q.known(), q.confidence != confidence::unknown);
    if (q.known()) {
      EXPECT_FALSE(q.unit.empty());
      EXPECT_GT(*q.value, 0);
    }
    if (q.range) {
      EXPECT_LE(q.range->low, *q.value);
      EXPECT_GE(q.range->high, *q.value);
      EXPECT_FALSE(q.note.empty()) << "a range says what it spans";
    }
  };
  for (const auto& c : shipped().cards) {
    EXPECT_FALSE(c.name.empty());
    EXPECT_FALSE(c.compute.empty()) << c.id;
    EXPECT_NE(c.find_bandwidth("dram"), nullptr) << c.id;
    EXPECT_EQ(c.kind == device_kind::cpu, c.cpu_match.has_value()) << c.id;
    EXPECT_EQ(c.kind != device_kind::cpu, !c.device_name_pattern.empty()) << c.id;
    for (const auto& e : c.compute) check(c, e.precision + " " + e.unit, e.rate);
    for (const auto& e : c.bandwidth) check(c, e.level, e.rate);
    if (c.memory_capacity) check(c, "capacity", *c.memory_capacity);
    if (c.board_power) check(c, "power", *c.board_power);
  }
}

TEST(ShippedCatalog, SpotValuesInBaseUnits) {
  const device_card& h100 = *shipped().find("h100_sxm");
  EXPECT_EQ(h100.kind, device_kind::gpu);
  EXPECT_DOUBLE_EQ(*h100.find_compute("bf16", "tensor")->value, 989.4e12);
  EXPECT_DOUBLE_EQ(*h100.find_compute("f32", "simt")->value, 67e12);
  EXPECT_DOUBLE_EQ(*h100.find_compute("f64", "tensor")->value, 67e12);
  EXPECT_DOUBLE_EQ(*h100.find_compute("int8", "tensor")->value, 1978.9e12);
  EXPECT_DOUBLE_EQ(*h100.find_bandwidth("dram")->value, 3.35e12);
  EXPECT_DOUBLE_EQ(*h100.memory_capacity->value, 80e9);
  EXPECT_DOUBLE_EQ(*h100.board_power->value, 700);
  EXPECT_EQ(h100.find_compute("bf16", "tensor")->confidence, confidence::datasheet);

  EXPECT_DOUBLE_EQ(*shipped().find("h200")->memory_capacity->value, 141e9);
  EXPECT_EQ(shipped().find("h20")->find_compute("f32", "simt")->confidence,
            confidence::third_party);
  EXPECT_DOUBLE_EQ(*shipped().find("mi300x")->board_power->value, 750);
  EXPECT_DOUBLE_EQ(*shipped().find("b200")->board_power->value, 1000);
  EXPECT_DOUBLE_EQ(*shipped().find("a100_sxm_80gb")->board_power->value, 400);
  EXPECT_DOUBLE_EQ(*shipped().find("mlu370_x8")->find_bandwidth("dram")->value, 0.614e12);
  EXPECT_EQ(shipped().find("l20")->find_compute("fp8", "tensor")->confidence, confidence::estimate);
}

TEST(ShippedCatalog, ConflictingFiguresKeepTheirRange) {
  const device_card& ascend = *shipped().find("ascend_910b");
  const quantity& bf16 = *ascend.find_compute("bf16", "tensor");
  EXPECT_EQ(bf16.confidence, confidence::estimate);
  ASSERT_TRUE(bf16.range);
  EXPECT_DOUBLE_EQ(bf16.range->low, 256e12);
  EXPECT_DOUBLE_EQ(bf16.range->high, 376e12);
  EXPECT_NE(bf16.note.find("conflicting"), std::string::npos);
  const quantity& dram = *ascend.find_bandwidth("dram");
  ASSERT_TRUE(dram.range);
  EXPECT_DOUBLE_EQ(dram.range->low, 0.4e12);
  EXPECT_DOUBLE_EQ(dram.range->high, 1.6e12);
}

TEST(ShippedCatalog, ServerPrices) {
  for (const char* id : {"ascend_910b", "a100_sxm_80gb"}) {
    SCOPED_TRACE(id);
    const device_card& c = *shipped().find(id);
    ASSERT_TRUE(c.price);
    EXPECT_EQ(c.price->currency, "CNY");
    EXPECT_EQ(c.price->date, "2024");
    EXPECT_EQ(c.price->per, price::basis::server);
    EXPECT_EQ(c.price->cards, 8);
    EXPECT_EQ(c.price->confidence, confidence::third_party);
    EXPECT_EQ(c.price->source, "2024 market notes (issue 3)");
    ASSERT_TRUE(c.price->range);
  }
  const price& ascend = *shipped().find("ascend_910b")->price;
  EXPECT_DOUBLE_EQ(ascend.range->low, 1.2e6);
  EXPECT_DOUBLE_EQ(ascend.range->high, 1.4e6);
  const price& a100 = *shipped().find("a100_sxm_80gb")->price;
  EXPECT_DOUBLE_EQ(a100.range->low, 1.6e6);
  EXPECT_DOUBLE_EQ(a100.range->high, 1.8e6);
  EXPECT_DOUBLE_EQ(a100.amount_per_card(), 1.7e6 / 8);
}

TEST(ShippedCatalog, UnknownCardsHaveNoNumbers) {
  for (const char* id : {"b20", "hygon_bw1000", "hygon_k100", "kunlunxin_p800", "mlu590"}) {
    const device_card& c = *shipped().find(id);
    for (const auto& e : c.compute) EXPECT_FALSE(e.rate.known()) << id << " " << e.precision;
    for (const auto& e : c.bandwidth) EXPECT_FALSE(e.rate.known()) << id << " " << e.level;
    const profiler::roof_set roofs = datasheet_roofs(c);
    EXPECT_TRUE(roofs.compute.empty()) << id;
    EXPECT_TRUE(roofs.bandwidth.empty()) << id;
  }
}

TEST(ShippedCatalog, TheDevelopmentVmIsMeasuredNotDatasheet) {
  const device_card& vm = *shipped().find("epyc_zen4_vm_2cpu");
  EXPECT_EQ(vm.kind, device_kind::cpu);
  const quantity& f32 = *vm.find_compute("f32", "simt");
  EXPECT_DOUBLE_EQ(*f32.value, 230e9);
  EXPECT_EQ(f32.confidence, confidence::estimate);
  EXPECT_NE(f32.source.find("likwid-bench"), std::string::npos);
  EXPECT_NE(f32.note.find("measured"), std::string::npos);
  EXPECT_DOUBLE_EQ(*vm.find_compute("f64", "simt")->value, 115e9);
  EXPECT_DOUBLE_EQ(*vm.find_bandwidth("dram")->value, 52e9);
  EXPECT_DOUBLE_EQ(*vm.find_bandwidth("l1")->value, 375e9);
  EXPECT_DOUBLE_EQ(*vm.find_bandwidth("l2")->value, 225e9);
}

TEST(ShippedCatalog, CpuMatchRulesReadEveryKey) {
  // Decimal CPUID numbers, hexadecimal ARM main IDs, counts; an ARM rule without a model name.
  const cpu_match_rule& spr = *shipped().find("xeon_platinum_8480p")->cpu_match;
  EXPECT_EQ(spr.vendor, "GenuineIntel");
  EXPECT_EQ(spr.family, 6);
  EXPECT_EQ(spr.model_number, 143);
  EXPECT_EQ(spr.physical_cores, 56);
  EXPECT_EQ(spr.sockets, 1);
  EXPECT_EQ(spr.implementer, -1);
  const cpu_match_rule& grace = *shipped().find("nvidia_grace")->cpu_match;
  EXPECT_EQ(grace.implementer, 0x41);
  EXPECT_EQ(grace.part, 0xd4f);
  EXPECT_EQ(grace.model_pattern, "");
  EXPECT_EQ(grace.family, -1);
  EXPECT_EQ(grace.constraints(), 4);  // implementer, part, sve2, 72 cores
  // The development VM's rule reads as before (and keeps its specificity).
  const cpu_match_rule& vm = *shipped().find("epyc_zen4_vm_2cpu")->cpu_match;
  EXPECT_EQ(vm.constraints(), 7);
  EXPECT_EQ(vm.family, -1);
  EXPECT_EQ(vm.physical_cores, 0);
}

TEST(ShippedCatalog, CpuRoofsHoldTheirRelations) {
  // Relations every CPU card must satisfy, whatever its numbers: f32 twice f64 on the same vector
  // units, matrix units above the vector units, DRAM slower than the f64 roof in bytes vs FLOPs
  // (a CPU's ridge point is above 1 FLOP/byte), and a derived roof says how it was derived.
  for (const auto& c : shipped().cards) {
    if (c.kind != device_kind::cpu) continue;
    SCOPED_TRACE(c.id);
    const quantity* f64 = c.find_compute("f64", "simt");
    const quantity* f32 = c.find_compute("f32", "simt");
    if (f64 && f32 && f64->known() && f32->known()) {
      EXPECT_NEAR(*f32->value / *f64->value, 2.0, 0.05);
    }
    const quantity* bf16 = c.find_compute("bf16", "tensor");
    if (bf16 && bf16->known() && f32 && f32->known()) {
      EXPECT_GT(*bf16->value, *f32->value);
    }
    const quantity* dram = c.find_bandwidth("dram");
    if (dram && dram->known() && f64 && f64->known()) {
      EXPECT_GT(*f64->value / *dram->value, 1.0);
    }
    for (const auto& e : c.compute) {
      if (e.rate.confidence != confidence::estimate) continue;
      const std::string how = e.rate.source + " " + e.rate.note;
      const bool derived = how.find("derived") != std::string::npos;
      EXPECT_TRUE(derived || how.find("measured") != std::string::npos) << e.precision;
      if (derived) {
        EXPECT_NE(e.rate.note.find("GHz"), std::string::npos) << "clock used: " << how;
      }
    }
  }
}

TEST(ShippedCatalog, DatasheetRoofsForTheAnalysis) {
  const profiler::roof_set r = datasheet_roofs(*shipped().find("h100_sxm"));
  EXPECT_EQ(r.device, "h100_sxm");
  EXPECT_EQ(r.source, profiler::roof_source::datasheet);
  const profiler::compute_roof* bf16 = r.find_compute("bf16", "tensor");
  ASSERT_NE(bf16, nullptr);
  EXPECT_DOUBLE_EQ(bf16->flop_per_s, 989.4e12);
  EXPECT_EQ(bf16->confidence, "datasheet");
  EXPECT_EQ(r.find_compute("bf16", "simt"), nullptr);  // never the other unit's roof
  ASSERT_NE(r.find_bandwidth("dram"), nullptr);
  EXPECT_DOUBLE_EQ(r.find_bandwidth("dram")->byte_per_s, 3.35e12);
  // The VM's bf16 roof is listed as unknown: left out, not zero.
  EXPECT_EQ(datasheet_roofs(*shipped().find("epyc_zen4_vm_2cpu")).find_compute("bf16", "simt"),
            nullptr);
}

TEST(CatalogErrors, UnknownKey) {
  EXPECT_EQ(bad_card_error("unknown_key"),
            bad("unknown_key", 10,
                "compute.simt.f32.sorce: unknown key; expected one of the keys: value, unit, "
                "range, source, confidence, note"));
  EXPECT_EQ(bad_card_error("unknown_top_key"),
            bad("unknown_top_key", 6,
                "vednor: unknown key; expected one of the keys: schema, name, vendor, kind, arch, "
                "note, match, memory, compute, bandwidth, economics"));
  EXPECT_EQ(bad_card_error("unknown_precision"),
            bad("unknown_precision", 11,
                "compute.simt.fp16: unknown key; expected one of the precisions: f64, f32, tf32, "
                "bf16, f16, fp8, int8"));
  EXPECT_EQ(bad_card_error("unknown_level"),
            bad("unknown_level", 12,
                "bandwidth.l0: unknown key; expected one of the memory levels: l1, shared, l2, "
                "llc, dram"));
  EXPECT_EQ(bad_card_error("hbm_level"),
            bad("hbm_level", 12,
                "bandwidth.hbm: unknown key; main memory is 'dram' whatever its type "
                "(memory.type says which)"));
  EXPECT_EQ(bad_card_error("repeated_key"),
            bad("repeated_key", 11, "compute.simt.f32: repeated key (first at line 10)"));
}

TEST(CatalogErrors, MissingUnit) {
  EXPECT_EQ(bad_card_error("missing_unit"),
            bad("missing_unit", 10,
                "compute.simt.f32.unit: missing; expected one of: FLOP/s, kFLOP/s, MFLOP/s, "
                "GFLOP/s, TFLOP/s, PFLOP/s"));
}

TEST(CatalogErrors, NegativeValue) {
  EXPECT_EQ(bad_card_error("negative_value"),
            bad("negative_value", 10, "compute.simt.f32.value: must be > 0 (got -10)"));
}

TEST(CatalogErrors, NonNumericValue) {
  EXPECT_EQ(bad_card_error("non_numeric_value"),
            bad("non_numeric_value", 10, "compute.simt.f32.value: expected a number, got 'fast'"));
  EXPECT_EQ(
      bad_card_error("value_with_unit"),
      bad("value_with_unit", 10, "compute.simt.f32.value: expected a number, got '10 TFLOP/s'"));
  EXPECT_EQ(bad_card_error("quoted_value"),
            bad("quoted_value", 10,
                "compute.simt.f32.value: expected a number, got the quoted text '10'"));
}

TEST(CatalogErrors, UnknownUnit) {
  EXPECT_EQ(bad_card_error("unknown_unit"),
            bad("unknown_unit", 10,
                "compute.simt.f32.unit: unknown unit 'TFLOPS'; units of FLOP rate: FLOP/s, "
                "kFLOP/s, MFLOP/s, GFLOP/s, TFLOP/s, PFLOP/s"));
  EXPECT_EQ(bad_card_error("int8_in_flops"),
            bad("int8_in_flops", 12,
                "compute.tensor.int8.unit: unknown unit 'TFLOP/s'; units of operation rate "
                "(integer precisions count operations, not FLOPs): OP/s, kOP/s, MOP/s, GOP/s, "
                "TOP/s, POP/s"));
}

TEST(CatalogErrors, UnknownConfidence) {
  EXPECT_EQ(bad_card_error("unknown_confidence"),
            bad("unknown_confidence", 10,
                "compute.simt.f32.confidence: unknown confidence 'vendor'; expected one of: "
                "datasheet, third-party, estimate, unknown"));
}

TEST(CatalogErrors, MissingSource) {
  EXPECT_EQ(bad_card_error("missing_source"),
            bad("missing_source", 10,
                "compute.simt.f32.source: missing; say where the number comes from"));
}

TEST(CatalogErrors, ValueAndConfidenceMustAgree) {
  EXPECT_EQ(bad_card_error("missing_value"),
            bad("missing_value", 10,
                "compute.simt.f32.value: missing; a number (or confidence: unknown)"));
  EXPECT_EQ(bad_card_error("unknown_with_value"),
            bad("unknown_with_value", 10,
                "compute.simt.f32.value: a value needs confidence datasheet, third-party or "
                "estimate"));
  EXPECT_EQ(
      bad_card_error("value_outside_range"),
      bad("value_outside_range", 10, "compute.simt.f32.value: 12 is outside its range [8, 10]"));
}

TEST(CatalogErrors, MalformedYaml) {
  const std::string unclosed = bad_card_error("malformed");
  EXPECT_EQ(unclosed.rfind(bad("malformed", 11, "syntax: "), 0), 0u) << unclosed;
  const std::string indent = bad_card_error("bad_indent");
  EXPECT_EQ(indent.rfind(bad("bad_indent", 6, "syntax: "), 0), 0u) << indent;
  EXPECT_EQ(bad_card_error("empty"), bad("empty", 1, "card: empty file; expected a device card"));
}

TEST(CatalogErrors, CardFields) {
  EXPECT_EQ(bad_card_error("wrong_schema"),
            bad("wrong_schema", 1,
                "schema: unsupported schema 'ridgeline.device/2'; expected ridgeline.device/1"));
  EXPECT_EQ(
      bad_card_error("unknown_kind"),
      bad("unknown_kind", 4, "kind: unknown kind 'fpga'; expected cpu, gpu, npu or accelerator"));
  EXPECT_EQ(bad_card_error("cpu_with_device_name"),
            bad("cpu_with_device_name", 7,
                "match.device_name: a cpu card matches by cpu_vendor, cpu_model, cpu_flags, "
                "cpu_flags_absent, cpu_family, cpu_model_number, cpu_implementer, cpu_part, "
                "physical_cores, sockets, logical_cpus"));
  EXPECT_EQ(bad_card_error("cpu_without_model"),
            bad("cpu_without_model", 6,
                "match.cpu_model: missing; a cpu card matches by a model-name pattern (or, on "
                "ARM, by cpu_implementer and cpu_part)"));
  EXPECT_EQ(bad_card_error("cpu_part_not_a_number"),
            bad("cpu_part_not_a_number", 8,
                "match.cpu_part: expected a whole number (decimal, or hexadecimal as 0xd4f), got "
                "'d4f'"));
  EXPECT_EQ(bad_card_error("gpu_with_cpu_family"),
            bad("gpu_with_cpu_family", 8,
                "match.cpu_family: only a cpu card matches by CPU properties; a gpu matches by "
                "device_name"));
  const std::string regex = bad_card_error("bad_regex");
  EXPECT_EQ(regex.rfind(bad("bad_regex", 7, "match.device_name: invalid regular expression: "), 0),
            0u)
      << regex;
}

TEST(CatalogErrors, Prices) {
  EXPECT_EQ(bad_card_error("unknown_currency"),
            bad("unknown_currency", 14,
                "economics.price.currency: unknown currency 'RMB' (renminbi is written CNY); "
                "expected one of: CNY, USD, EUR, JPY, GBP, KRW, TWD, HKD, SGD, CHF"));
  EXPECT_EQ(bad_card_error("server_price_without_cards"),
            bad("server_price_without_cards", 14,
                "economics.price.cards: missing; how many cards the priced server holds"));
}

TEST(CatalogErrors, DuplicateNameAcrossFilesNamesBoth) {
  const std::string dir = data + "/duplicate_name";
  EXPECT_EQ(usage_error_of([&] { load_catalog(dir); }),
            dir + "/card_b.yaml:2: name: duplicate card name 'test  card' (also in " + dir +
                "/card_a.yaml:2)");
}

TEST(CatalogErrors, DuplicateIdAcrossDirectoriesNamesBoth) {
  const std::string dir = data + "/duplicate_id";
  EXPECT_EQ(usage_error_of([&] {
              load_catalog({dir + "/shipped", dir + "/site"});
            }),
            dir + "/site/test_card.yaml:1: id: duplicate card id 'test_card' (also " + dir +
                "/shipped/test_card.yaml)");
}

TEST(CatalogErrors, EveryBadFixtureIsRefused) {
  // A fixture added to data/bad/ without its own expectation above is still held to the format.
  int fixtures = 0;
  for (const auto& entry : std::filesystem::directory_iterator(data + "/bad")) {
    const std::string name = entry.path().stem().string();
    const std::string e = bad_card_error(name);
    EXPECT_EQ(e.rfind(data + "/bad/" + name + ".yaml:", 0), 0u) << name << ": " << e;
    EXPECT_EQ(e.find('\n'), std::string::npos) << "one line: " << e;
    ++fixtures;
  }
  EXPECT_GE(fixtures, 30);
}

TEST(CatalogErrors, MissingDirectoryAndBadFileName) {
  test::expect_usage_error([] { load_catalog(data + "/no-such-dir"); },
                           {"no-such-dir", "directory not found"});
  test::expect_usage_error([] { load_card(data + "/no-such-file.yaml"); },
                           {"no-such-file.yaml", "cannot open"});
}

}  // namespace
}  // namespace ridgeline::roofline
