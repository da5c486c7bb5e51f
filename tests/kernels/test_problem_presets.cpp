// Problem presets: the shipped files load, give each kernel exactly its fields, explicit fields
// override them, and every malformed or incomplete file is refused naming FILE:LINE: field.
#include <gtest/gtest.h>
#include <unistd.h>  // getpid

#include <filesystem>
#include <fstream>
#include <functional>

#include "core/error.hpp"
#include "kernels/kernel.hpp"
#include "kernels/problem_presets.hpp"

namespace ridgeline::test {
namespace {

namespace fs = std::filesystem;
using kernels::preset_problem;

std::string value_of(const key_value_list& kv, const std::string& name) {
  for (const auto& [k, v] : kv)
    if (k == name) return v;
  return "<absent>";
}

TEST(ProblemPresets, ShippedPresetsLoadAndParseForEveryKernel) {
  const std::string dir = kernels::default_problem_preset_dir();
  kernels::validate_problem_presets(dir);
  const auto names = kernels::problem_preset_names(dir);
  ASSERT_EQ(names, (std::vector<std::string>{"deepseek-v3", "mixtral-8x7b", "qwen3-30b-a3b"}));
  for (const auto& name : names) {
    for (const char* kernel : {"moe_gating", "moe_permute", "moe_grouped_gemm", "moe_combine",
                               "moe_layer", "attention"}) {
      const auto kv = preset_problem(kernel, name, 4096, dir);
      const auto& k = kernels::find_kernel(kernel);
      EXPECT_NO_THROW(k.parse_problem(kv, "--preset")) << kernel << " " << name;
    }
  }
}

TEST(ProblemPresets, DeepSeekV3Numbers) {
  const auto kv = preset_problem("moe_layer", "deepseek-v3", 16384);
  EXPECT_EQ(value_of(kv, "tokens"), "16384");
  EXPECT_EQ(value_of(kv, "experts"), "256");
  EXPECT_EQ(value_of(kv, "top_k"), "8");
  EXPECT_EQ(value_of(kv, "hidden"), "7168");
  EXPECT_EQ(value_of(kv, "intermediate"), "2048");
  EXPECT_EQ(value_of(kv, "groups"), "8");
  EXPECT_EQ(value_of(kv, "topk_groups"), "4");
  EXPECT_EQ(value_of(kv, "scoring"), "1");  // sigmoid
  EXPECT_EQ(value_of(kv, "routed_scale"), "2.5");
  // moe_gating has no hidden size: the preset gives it only its own fields.
  EXPECT_EQ(value_of(preset_problem("moe_gating", "deepseek-v3", 1), "hidden"), "<absent>");
  const auto att = preset_problem("attention", "mixtral-8x7b", 2048);
  EXPECT_EQ(value_of(att, "hq"), "32");
  EXPECT_EQ(value_of(att, "hkv"), "8");
  EXPECT_EQ(value_of(att, "sq"), "2048");
  EXPECT_EQ(value_of(att, "skv"), "2048");
  EXPECT_EQ(value_of(att, "causal"), "1");
}

TEST(ProblemPresets, ExplicitFieldsOverrideThePreset) {
  // Decode over a KV cache: one query token, skv from --problem.
  const auto kv = kernels::merge_problem(preset_problem("attention", "qwen3-30b-a3b", 1),
                                         parse_key_value_list("skv=32768,causal=0", "--problem"));
  EXPECT_EQ(value_of(kv, "sq"), "1");
  EXPECT_EQ(value_of(kv, "skv"), "32768");
  EXPECT_EQ(value_of(kv, "causal"), "0");
  // Without --tokens the token field is the caller's.
  const auto no_tokens = preset_problem("moe_gating", "qwen3-30b-a3b", std::nullopt);
  EXPECT_EQ(value_of(no_tokens, "tokens"), "<absent>");
}

void expect_usage_error(const std::function<void()>& f, const std::string& mentions) {
  try {
    f();
    ADD_FAILURE() << "no usage_error; wanted one mentioning " << mentions;
  } catch (const usage_error& e) {
    EXPECT_NE(std::string(e.what()).find(mentions), std::string::npos) << e.what();
  }
}

TEST(ProblemPresets, UnknownPresetListsTheKnownOnes) {
  expect_usage_error([] { preset_problem("moe_layer", "llama-moe", 8); },
                     "--preset: unknown preset 'llama-moe' (presets: deepseek-v3, mixtral-8x7b, "
                     "qwen3-30b-a3b)");
  expect_usage_error([] { preset_problem("gemm", "deepseek-v3", 8); }, "kernel 'gemm'");
  expect_usage_error([] { preset_problem("moe_layer", "deepseek-v3", 0); }, "--tokens");
}

class BadPresets : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("ridgeline_presets_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  // Writes `text` as user.yaml and expects loading it for moe_layer to fail mentioning `mentions`.
  void expect_refused(const std::string& text, const std::string& mentions) {
    std::ofstream(dir_ / "user.yaml") << text;
    expect_usage_error([&] { preset_problem("moe_layer", "user", 4, dir_.string()); }, mentions);
  }
  fs::path dir_;
};

const std::string good_moe =
    "moe:\n"
    "  experts: {value: 8, source: s}\n"
    "  top_k: {value: 2, source: s}\n"
    "  hidden: {value: 64, source: s}\n"
    "  intermediate: {value: 32, source: s}\n"
    "  groups: {value: 1, source: s}\n"
    "  topk_groups: {value: 1, source: s}\n"
    "  scoring: {value: softmax, source: s}\n"
    "  renormalize: {value: true, source: s}\n"
    "  routed_scale: {value: 1, source: s}\n";
const std::string header = "schema: ridgeline.problem/1\nname: User\nsource: mine\n";

TEST_F(BadPresets, AUserPresetWorksWithoutCode) {
  std::ofstream(dir_ / "user.yaml") << header + good_moe;
  const auto kv = preset_problem("moe_layer", "user", 4, dir_.string());
  EXPECT_EQ(value_of(kv, "experts"), "8");
  EXPECT_NO_THROW(kernels::find_kernel("moe_layer").parse_problem(kv, "--preset"));
}

TEST_F(BadPresets, MalformedFilesNameFileLineAndField) {
  std::string missing = header + good_moe;
  missing.erase(missing.find("  top_k"), std::string("  top_k: {value: 2, source: s}\n").size());
  expect_refused(missing, "user.yaml:4: moe.top_k: missing");
  std::string no_source = header + good_moe;
  no_source.replace(no_source.find("{value: 64, source: s}"), 22, "{value: 64}");
  expect_refused(no_source, "moe.hidden.source: missing");
  std::string bad_word = header + good_moe;
  bad_word.replace(bad_word.find("softmax"), 7, "softplus");
  expect_refused(bad_word, "moe.scoring.value: unknown value 'softplus'");
  std::string zero = header + good_moe;
  zero.replace(zero.find("{value: 8,"), 10, "{value: 0,");
  expect_refused(zero, "user.yaml:5: moe.experts.value: expected a whole number >= 1");
  expect_refused(header + good_moe + "  colour: {value: 1, source: s}\n",
                 "moe.colour: unknown key");
  expect_refused("schema: ridgeline.problem/1\nsource: x\n" + good_moe, "name: missing");
  expect_refused("schema: other/2\nname: a\nsource: b\n" + good_moe, "schema: unknown schema");
  expect_refused(header, "a preset needs a moe or an attention section");
  expect_refused(header + "moe: [1, 2\n", "user.yaml:");
  // Only an attention section: moe kernels are refused by name.
  std::ofstream(dir_ / "dense.yaml")
      << header +
             "attention:\n  hq: {value: 8, source: s}\n  hkv: {value: 8, source: s}\n"
             "  d: {value: 64, source: s}\n";
  expect_usage_error([&] { preset_problem("moe_gating", "dense", 4, dir_.string()); },
                     "dense has no moe section");
}

}  // namespace
}  // namespace ridgeline::test
