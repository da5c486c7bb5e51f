// nightly/job_file: the job file is refused with every problem at once, one line each
// "FILE:LINE: FIELD: problem"; a clean file expands into one case per kernel x variant x dtype x
// problem with stable keys. Format: docs/nightly-job-file.md.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "nightly/job_file.hpp"

namespace ridgeline::nightly {
namespace {

namespace fs = std::filesystem;

const std::string data_dir = RIDGELINE_TEST_DATA_DIR;
const std::string examples_dir = data_dir + "/../../../configs/nightly";

// A job file in a fresh folder of its own; removed with the fixture.
class JobFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("ridgeline-job-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
            "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string write(const std::string& text, const std::string& name = "job.yaml") {
    const std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }

  // The refusal's lines, with the temporary folder replaced by "DIR".
  std::vector<std::string> refusal(const std::string& text) {
    const std::string path = write(text);
    try {
      load_job(path);
    } catch (const usage_error& e) {
      std::vector<std::string> lines;
      std::istringstream in(e.what());
      for (std::string line; std::getline(in, line);) {
        if (line.rfind(path, 0) == 0) line = "job.yaml" + line.substr(path.size());
        lines.push_back(line);
      }
      return lines;
    }
    return {};
  }

  fs::path dir_;
};

// Everything before `entries:` that a valid job needs; entries start at line 4.
const std::string head = "schema: ridgeline.nightly/1\nname: t\ndefaults: {budget: 4}\n";

using lines = std::vector<std::string>;

// --- The shipped examples --------------------------------------------------------------------

TEST(JobExamples, CpuQuickLoads) {
  const job j = load_job(examples_dir + "/cpu-quick.yaml");
  EXPECT_EQ(j.name, "cpu-quick");
  EXPECT_TRUE(j.database.empty());
  EXPECT_TRUE(j.report_dir.empty());
  std::vector<std::string> keys;
  for (const auto& c : j.cases) {
    keys.push_back(c.key);
    EXPECT_TRUE(c.budget || !c.time.empty()) << c.key;
  }
  EXPECT_EQ(keys, (lines{"gemm/kokkos_tiled/f32/m=256,n=256,k=256",
                         "gemm/kokkos_tiled/f64/m=256,n=256,k=256",
                         "attention/kokkos_flash/f32/qwen3-30b-a3b@1,skv=1024",
                         "moe_gating/kokkos/f32/qwen3-30b-a3b@16"}));
}

TEST(JobExamples, CpuFullLoads) {
  const job j = load_job(examples_dir + "/cpu-full.yaml");
  EXPECT_EQ(j.hardware_type, "cpu");
  // gemm 2 dtypes; attention 2 + 1 + 1 presets x tokens; moe_gating 2 x 3; grouped GEMM 2.
  EXPECT_EQ(j.cases.size(), 2u + 4u + 6u + 2u);
  EXPECT_EQ(j.cases.front().time, "5m");
  EXPECT_FALSE(j.cases.front().budget);
  EXPECT_EQ(j.cases.front().strategy_options, "initial=12");
  EXPECT_EQ(fs::path(j.report_dir).filename(), "cpu-full");
}

TEST(JobExamples, FleetLoads) {
  const job j = load_job(examples_dir + "/fleet.yaml");
  ASSERT_EQ(j.hardware_types.size(), 4u);
  EXPECT_EQ(j.hardware_types[0].name, "h100");
  EXPECT_EQ(j.hardware_types[0].gres, "gpu:h100:1");
  EXPECT_EQ(j.hardware_types[2].constraint, "ascend910b");
  EXPECT_EQ(j.hardware_types[3].time_limit, "1-00:00:00");
  EXPECT_EQ(j.database, "/shared/ridgeline/fleet.sqlite");
  // gemm: 1 tunable variant x 2 dtypes x 2 problems; attention 2; moe_layer 3 token counts.
  EXPECT_EQ(j.cases.size(), 4u + 2u + 3u);
}

// --- Expansion -----------------------------------------------------------------------------

TEST(JobLoad, ExpandsInFileOrderWithStableKeys) {
  const std::string path = data_dir + "/expansion.yaml";
  const job j = load_job(path);
  EXPECT_EQ(j.path, path);
  EXPECT_EQ(j.name, "expansion-test");
  EXPECT_EQ(j.hardware_type, "xeon-test");
  EXPECT_EQ(j.database, (fs::path(data_dir) / "results/nightly.sqlite").lexically_normal());
  EXPECT_EQ(j.report_dir, (fs::path(data_dir) / "reports").lexically_normal());
  EXPECT_DOUBLE_EQ(j.regression.min_effect, 0.05);
  EXPECT_DOUBLE_EQ(j.regression.max_p_value, 0.02);
  EXPECT_EQ(j.regression.history, 20u);
  EXPECT_EQ(j.regression.min_history, 4u);
  EXPECT_TRUE(j.hardware_types.empty());

  std::vector<std::string> keys;
  for (const auto& c : j.cases) keys.push_back(c.key);
  // Variant x dtype x problem, problems' fields in the kernel's order ("double" is f64).
  EXPECT_EQ(
      keys,
      (lines{"gemm/kokkos_tiled/f32/m=32,n=16,k=64", "gemm/kokkos_tiled/f32/m=8,n=8,k=8,beta=1",
             "gemm/kokkos_tiled/f64/m=32,n=16,k=64", "gemm/kokkos_tiled/f64/m=8,n=8,k=8,beta=1",
             "attention/kokkos_flash/f32/mixtral-8x7b@1,skv=4096",
             "attention/kokkos_flash/f32/mixtral-8x7b@64,skv=4096",
             "attention/kokkos_flash/f32/qwen3-30b-a3b,sq=2,skv=2",
             "moe_gating/kokkos/f32/qwen3-30b-a3b@3"}));

  const job_case& gemm = j.cases[3];
  EXPECT_EQ(gemm.kernel, "gemm");
  EXPECT_EQ(gemm.variant, "kokkos_tiled");
  EXPECT_EQ(gemm.dtype, "f64");
  EXPECT_EQ(gemm.problem, "m=8,n=8,k=8,beta=1");
  EXPECT_TRUE(gemm.preset.empty());
  EXPECT_FALSE(gemm.tokens);
  EXPECT_EQ(gemm.strategy, "genetic");  // the defaults
  EXPECT_EQ(gemm.strategy_options, "population=8");
  EXPECT_EQ(gemm.time, "30s");
  EXPECT_FALSE(gemm.budget);
  EXPECT_EQ(gemm.seed, 7u);
  EXPECT_TRUE(gemm.backend.empty());
  EXPECT_EQ(gemm.where, path + ":14");

  // An entry naming its own strategy drops the defaults' options (they belong to genetic).
  const job_case& decode = j.cases[4];
  EXPECT_EQ(decode.preset, "mixtral-8x7b");
  EXPECT_EQ(decode.tokens, 1);
  EXPECT_EQ(decode.problem, "skv=4096");
  EXPECT_EQ(decode.strategy, "random");
  EXPECT_EQ(decode.strategy_options, "");
  EXPECT_EQ(decode.budget, 5u);
  EXPECT_EQ(decode.time, "30s");  // time and budget: whichever comes first
  EXPECT_EQ(decode.where, path + ":18");
  EXPECT_FALSE(j.cases[6].tokens);

  const job_case& gating = j.cases[7];
  EXPECT_EQ(gating.strategy, "genetic");
  EXPECT_EQ(gating.strategy_options, "population=4");
  EXPECT_EQ(gating.backend, "serial");
  EXPECT_EQ(gating.seed, 3u);
}

TEST(JobLoad, HashesTheFileBytes) {
  // sha256sum tests/nightly/data/hash.yaml
  EXPECT_EQ(load_job(data_dir + "/hash.yaml").sha256,
            "9c0913911b67a2690ad1bf01bd28f5719ed14c4a2aa82eb845c7ebabb7be937e");
}

TEST_F(JobFile, DefaultsAreTheDocumentedOnes) {
  const job j =
      load_job(write(head + "entries:\n  - kernel: gemm\n    problems: [\"m=4,n=4,k=4\"]\n"));
  ASSERT_EQ(j.cases.size(), 1u);
  const job_case& c = j.cases[0];
  EXPECT_EQ(c.key, "gemm/kokkos_tiled/f32/m=4,n=4,k=4");  // first tunable variant, f32
  EXPECT_EQ(c.strategy, "");
  EXPECT_EQ(c.seed, 1u);
  EXPECT_EQ(c.budget, 4u);
  EXPECT_EQ(c.time, "");
  EXPECT_EQ(j.regression.min_effect, regression_policy{}.min_effect);
  EXPECT_EQ(j.regression.history, regression_policy{}.history);
  EXPECT_TRUE(j.database.empty());
  EXPECT_TRUE(j.hardware_type.empty());
}

TEST_F(JobFile, KeepsDatabaseUrlsAndAbsolutePaths) {
  const job j = load_job(write(head + "database: postgresql://db.example/ridgeline\n"
                                      "report: /var/reports\n"
                                      "entries: [{kernel: gemm, problems: [\"m=4,n=4,k=4\"]}]\n"));
  EXPECT_EQ(j.database, "postgresql://db.example/ridgeline");
  EXPECT_EQ(j.report_dir, "/var/reports");
}

// --- Refusals: one line each, every one of them -----------------------------------------------

TEST_F(JobFile, UnreadableFileIsOneLineNamingThePath) {
  const std::string path = (dir_ / "missing.yaml").string();
  try {
    load_job(path);
    FAIL() << "loaded a missing file";
  } catch (const usage_error& e) {
    EXPECT_EQ(std::string(e.what()), path + ": cannot open nightly job file");
  }
}

TEST_F(JobFile, SyntaxAndShapeOfTheDocument) {
  EXPECT_EQ(refusal(""), (lines{"job.yaml:1: job: empty file; expected a nightly job file "
                                "(schema: ridgeline.nightly/1)"}));
  EXPECT_EQ(refusal("- a\n"), (lines{"job.yaml:1: job: expected a mapping of job fields"}));
  const auto syntax = refusal("schema: [\n");
  ASSERT_EQ(syntax.size(), 1u);
  EXPECT_EQ(syntax[0].rfind("job.yaml:2: syntax: not valid YAML", 0), 0u) << syntax[0];
}

TEST_F(JobFile, MissingTopLevelFields) {
  EXPECT_EQ(refusal("defaults: {budget: 1}\n"),
            (lines{"job.yaml:1: entries: missing; a list of {kernel, dtypes, problems | presets}",
                   "job.yaml:1: name: missing; e.g. name: cpu-quick",
                   "job.yaml:1: schema: missing; the first line is schema: ridgeline.nightly/1"}));
  EXPECT_EQ(refusal("schema: ridgeline.nightly/2\nname: t\nentries: []\n"),
            (lines{"job.yaml:1: schema: 'ridgeline.nightly/2' is not a nightly job file; expected "
                   "ridgeline.nightly/1",
                   "job.yaml:3: entries: empty; a job needs at least one entry"}));
}

TEST_F(JobFile, UnknownKeysEverywhereAreAllReported) {
  EXPECT_EQ(
      refusal("schema: ridgeline.nightly/1\nname: t\nrepot: out\n"
              "regression: {min_efect: 0.1}\n"
              "defaults: {budget: 2, strategy_option: x}\n"
              "hardware_types:\n  - {name: a, partition: p, gress: gpu:1}\n"
              "entries:\n"
              "  - kernel: moe_gating\n"
              "    problem: \"tokens=1\"\n"
              "    problems: [\"tokens=1,experts=8,top_k=2\"]\n"
              "    presets: {model: qwen3-30b-a3b, tokens: [1], problm: x}\n"),
      (lines{
          "job.yaml:3: repot: unknown key; expected one of: schema, name, database, report, "
          "hardware_type, regression, defaults, hardware_types, entries",
          "job.yaml:4: regression.min_efect: unknown key; expected one of: min_effect, "
          "max_p_value, history, min_history",
          "job.yaml:5: defaults.strategy_option: unknown key; expected one of: strategy, "
          "strategy_options, time, budget, backend, seed",
          "job.yaml:7: hardware_types[0].gress: unknown key; expected one of: name, partition, "
          "constraint, gres, time_limit",
          "job.yaml:10: entries[0].problem: unknown key; expected one of: kernel, variant, "
          "variants, dtypes, problems, presets, strategy, strategy_options, time, budget, "
          "backend, seed",
          "job.yaml:12: entries[0].presets.problm: unknown key; expected one of: model, tokens, "
          "problem",
      }));
}

TEST_F(JobFile, RepeatedKeys) {
  EXPECT_EQ(refusal(head + "name: u\nentries: [{kernel: gemm, problems: [\"m=1,n=1,k=1\"]}]\n"),
            (lines{"job.yaml:4: name: repeated key (first at line 2)"}));
}

TEST_F(JobFile, WrongTypes) {
  EXPECT_EQ(refusal("schema: ridgeline.nightly/1\nname: [t]\n"
                    "regression: 0.1\n"
                    "defaults: {budget: {n: 1}}\n"
                    "hardware_types: {name: a}\n"
                    "entries:\n"
                    "  - kernel: gemm\n"
                    "    dtypes: f32\n"
                    "    problems: [{m: 1}]\n"
                    "  - 5\n"),
            (lines{
                "job.yaml:2: name: expected text, got a list",
                "job.yaml:3: regression: expected a mapping, got a single value",
                "job.yaml:4: defaults.budget: expected text, got a mapping",
                "job.yaml:5: hardware_types: expected a list, got a mapping",
                "job.yaml:8: entries[0].dtypes: expected a list, got a single value",
                "job.yaml:9: entries[0].problems[0]: expected text, got a mapping",
                "job.yaml:10: entries[1]: expected a mapping, got a single value",
            }));
}

TEST_F(JobFile, NumbersAreRangeChecked) {
  EXPECT_EQ(refusal("schema: ridgeline.nightly/1\nname: t\n"
                    "regression:\n"
                    "  min_effect: 1\n"
                    "  max_p_value: 0\n"
                    "  history: 1\n"
                    "  min_history: x\n"
                    "defaults: {budget: 0, time: -5s, seed: -1}\n"
                    "entries:\n"
                    "  - {kernel: gemm, problems: [\"m=1,n=1,k=1\"], time: 10q}\n"),
            (lines{
                "job.yaml:4: regression.min_effect: must be in (0, 1), exclusive (got 1)",
                "job.yaml:5: regression.max_p_value: must be in (0, 1), exclusive (got 0)",
                "job.yaml:6: regression.history: must be >= 2 (got 1)",
                "job.yaml:7: regression.min_history: expected an integer, got 'x'",
                "job.yaml:8: defaults.budget: must be >= 1 (got 0)",
                "job.yaml:8: defaults.seed: must be >= 0 (got -1)",
                "job.yaml:8: defaults.time: '-5s' is not a positive duration (e.g. 90, 90s, 5m, "
                "1h)",
                "job.yaml:10: entries[0].time: '10q' is not a positive duration (e.g. 90, 90s, "
                "5m, 1h)",
            }));
  EXPECT_EQ(refusal("schema: ridgeline.nightly/1\nname: t\n"
                    "regression: {history: 5, min_history: 6}\n"
                    "entries: [{kernel: gemm, problems: [\"m=1,n=1,k=1\"], budget: 1}]\n"),
            (lines{"job.yaml:3: regression.min_history: min_history (6) is larger than history "
                   "(5)"}));
}

TEST_F(JobFile, EveryCaseNeedsAStopCondition) {
  EXPECT_EQ(refusal("schema: ridgeline.nightly/1\nname: t\nentries:\n"
                    "  - {kernel: gemm, problems: [\"m=1,n=1,k=1\"], time: 5m}\n"
                    "  - {kernel: gemm, problems: [\"m=2,n=1,k=1\"]}\n"),
            (lines{"job.yaml:5: entries[1]: no stop condition: give time or budget (here or in "
                   "defaults)"}));
}

TEST_F(JobFile, UnknownKernelVariantDtypeNameTheirField) {
  EXPECT_EQ(refusal(head + "entries:\n"
                           "  - kernel: gemmm\n"
                           "    problems: [\"m=1,n=1,k=1\"]\n"
                           "  - kernel: gemm\n"
                           "    variants: [kokkos_tiled, tiled, reference]\n"
                           "    dtypes: [f32, f8, float]\n"
                           "    problems: [\"m=1,n=1,k=1\"]\n"),
            (lines{
                "job.yaml:5: entries[0].kernel: unknown kernel 'gemmm' (kernels: gemm, "
                "attention, moe_gating, moe_permute, moe_grouped_gemm, moe_combine, moe_layer)",
                "job.yaml:8: entries[1].variants[1]: unknown variant 'tiled' of gemm (variants: "
                "kokkos_tiled, vendor, reference)",
                "job.yaml:8: entries[1].variants[2]: reference of gemm has no tunable axes",
                "job.yaml:9: entries[1].dtypes[1]: unknown dtype 'f8' (expected f32, f64, bf16 "
                "or f16)",
                "job.yaml:9: entries[1].dtypes[2]: f32 given twice (first at line 9)",
            }));
}

TEST_F(JobFile, ProblemsAndPresetsAreCheckedLikeTheCli) {
  EXPECT_EQ(
      refusal(head +
              "entries:\n"
              "  - kernel: gemm\n"
              "    problems: [\"m=0,n=1,k=1\", \"m=1,n=1\", \"m=1,n=1,k=1,z=2\", \"m=1,,k\"]\n"
              "  - kernel: attention\n"
              "    presets:\n"
              "      - {model: llama-9, tokens: [1]}\n"
              "      - {model: qwen3-30b-a3b, tokens: [0, 8, 8]}\n"
              "      - {model: qwen3-30b-a3b, tokens: [2], problem: \"causal=5\"}\n"
              "  - kernel: gemm\n"
              "    presets: {model: qwen3-30b-a3b, tokens: [1]}\n"
              "  - kernel: moe_gating\n"
              "    problems: []\n"
              "    presets: []\n"
              "  - kernel: moe_gating\n"),
      (lines{
          "job.yaml:6: entries[0].problems[0]: m must be >= 1 (got 0)",
          "job.yaml:6: entries[0].problems[1]: missing 'k' (columns of A, rows of B)",
          "job.yaml:6: entries[0].problems[2]: unknown field 'z' for gemm (fields: m, n, k, "
          "alpha, beta)",
          "job.yaml:6: entries[0].problems[3]: empty item in 'm=1,,k' (expected name=value,...)",
          "job.yaml:9: entries[1].presets[0].model: unknown preset 'llama-9' (presets: "
          "deepseek-v3, mixtral-8x7b, qwen3-30b-a3b)",
          "job.yaml:10: entries[1].presets[1].tokens[0]: must be >= 1 (got 0)",
          "job.yaml:10: entries[1].presets[1].tokens[2]: 8 given twice (first at line 10)",
          "job.yaml:11: entries[1].presets[2].problem: causal must be 0 or 1 (got 5)",
          "job.yaml:13: entries[2].presets.model: presets describe MoE layers and attention; "
          "kernel 'gemm' takes --problem",
          "job.yaml:15: entries[3].problems: empty list",
          "job.yaml:16: entries[3].presets: empty list",
          "job.yaml:17: entries[4]: no problem: give problems (e.g. [\"m=512,n=512,k=512\"]) or "
          "presets ({model: NAME, tokens: [1, 64]})",
      }));
}

TEST_F(JobFile, StrategyAndOptionsAreCheckedAgainstTheTable) {
  EXPECT_EQ(refusal("schema: ridgeline.nightly/1\nname: t\n"
                    "defaults: {strategy: genetc, budget: 3}\n"
                    "entries:\n"
                    "  - kernel: gemm\n"
                    "    problems: [\"m=1,n=1,k=1\"]\n"
                    "    strategy: genetic\n"
                    "    strategy_options: {population: 0, mutate: 1}\n"
                    "  - kernel: gemm\n"
                    "    problems: [\"m=2,n=1,k=1\"]\n"
                    "    strategy: random\n"
                    "    strategy_options: \"population\"\n"),
            (lines{
                "job.yaml:3: defaults.strategy: unknown strategy 'genetc' (strategies: "
                "exhaustive, random, annealing, genetic, forest)",
                "job.yaml:8: entries[0].strategy_options: unknown option 'mutate' for strategy "
                "'genetic' (options: population, tournament, mutation, attempts)",
                "job.yaml:12: entries[1].strategy_options: expected name=value, got 'population'",
            }));
  // An unknown strategy is one line: its options are not checked against the default strategy.
  EXPECT_EQ(refusal("schema: ridgeline.nightly/1\nname: t\n"
                    "defaults: {strategy: genetc, strategy_options: {population: 8}, budget: 3}\n"
                    "entries: [{kernel: gemm, problems: [\"m=1,n=1,k=1\"]}]\n"),
            (lines{"job.yaml:3: defaults.strategy: unknown strategy 'genetc' (strategies: "
                   "exhaustive, random, annealing, genetic, forest)"}));
  EXPECT_EQ(refusal("schema: ridgeline.nightly/1\nname: t\n"
                    "defaults: {strategy: genetic, strategy_options: \"population=1\", budget: 3}\n"
                    "entries: [{kernel: gemm, problems: [\"m=1,n=1,k=1\"]}]\n"),
            (lines{"job.yaml:3: defaults.strategy_options: population must be in 2..100000 (got "
                   "1)"}));
}

TEST_F(JobFile, DuplicateCasesNameBothLines) {
  EXPECT_EQ(refusal(head + "entries:\n"
                           "  - kernel: gemm\n"
                           "    problems: [\"m=8,n=8,k=8\"]\n"
                           "  - kernel: gemm\n"
                           "    variant: kokkos_tiled\n"
                           "    problems:\n"
                           "      - \"k=8,n=8,m=8\"\n"
                           "      - \"m=8,n=8,k=8,alpha=1\"\n"
                           "  - kernel: moe_gating\n"
                           "    presets:\n"
                           "      - {model: qwen3-30b-a3b, tokens: [4]}\n"
                           "      - {model: qwen3-30b-a3b, problem: \"tokens=4\"}\n"),
            (lines{
                "job.yaml:10: entries[1].problems[0]: duplicate case "
                "gemm/kokkos_tiled/f32/m=8,n=8,k=8 (first at line 6, entries[0].problems[0])",
                "job.yaml:11: entries[1].problems[1]: duplicate case "
                "gemm/kokkos_tiled/f32/m=8,n=8,k=8,alpha=1: the same problem as "
                "gemm/kokkos_tiled/f32/m=8,n=8,k=8 (line 6, entries[0].problems[0])",
                "job.yaml:15: entries[2].presets[1].problem: duplicate case "
                "moe_gating/kokkos/f32/qwen3-30b-a3b,tokens=4: the same problem as "
                "moe_gating/kokkos/f32/qwen3-30b-a3b@4 (line 14, entries[2].presets[0])",
            }));
}

TEST_F(JobFile, HardwareTypes) {
  EXPECT_EQ(
      refusal(head +
              "hardware_types:\n"
              "  - {name: h100, partition: gpu, gres: \"gpu:h100:1\", time_limit: \"2:00:00\"}\n"
              "  - {name: h100, partition: gpu}\n"
              "  - {name: \"a b\", time_limit: soon}\n"
              "entries: [{kernel: gemm, problems: [\"m=1,n=1,k=1\"]}]\n"),
      (lines{
          "job.yaml:6: hardware_types[1].name: h100 given twice (first at line 5)",
          "job.yaml:7: hardware_types[2].name: 'a b' may hold only letters, digits, '.', "
          "'_' and '-'",
          "job.yaml:7: hardware_types[2].partition: missing; the Slurm partition its nodes "
          "are in",
          "job.yaml:7: hardware_types[2].time_limit: 'soon' is not a Slurm time (MM, "
          "HH:MM:SS, D-HH, D-HH:MM:SS)",
      }));
}

}  // namespace
}  // namespace ridgeline::nightly
