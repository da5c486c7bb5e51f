// A case's words become one typed case, once: the variant each verb means, the problem parsed
// with its defaults, presets merged under explicit fields, and every refusal naming the option as
// the front end calls it (--problem on the command line, problem in Python).
#include <gtest/gtest.h>

#include "kernels/problem_presets.hpp"
#include "service/case_request.hpp"
#include "tests/support/expect_error.hpp"

namespace ridgeline::test {
namespace {

service::case_text words(const std::string& kernel, const std::string& variant,
                         const std::string& problem) {
  service::case_text t;
  t.kernel = kernel;
  t.variant = variant;
  t.problem = parse_key_value_list(problem, "--problem");
  return t;
}

TEST(CaseRequest, ParsesTheProblemOnceWithItsDefaults) {
  const auto c = service::parse_case(words("gemm", "", "m=4,n=5,k=6"), service::variant_use::any,
                                     service::cli_field_names);
  ASSERT_NE(c.k, nullptr);
  EXPECT_EQ(c.k->name(), "gemm");
  EXPECT_EQ(c.v, c.k->variants().front().get());
  EXPECT_EQ(c.type, kernels::dtype::f32);
  EXPECT_EQ(kernels::problem_get(c.values, "m"), 4);
  EXPECT_EQ(kernels::problem_get(c.values, "k"), 6);
  EXPECT_EQ(kernels::problem_get(c.values, "alpha"), 1);  // a default, filled in
}

TEST(CaseRequest, TuneAndWisdomMeanAVariantWithAxes) {
  const auto& gemm = kernels::find_kernel("gemm");
  const auto c = service::parse_case(words("gemm", "", "m=4,n=5,k=6"),
                                     service::variant_use::tunable, service::cli_field_names);
  EXPECT_FALSE(c.v->space().empty());
  EXPECT_EQ(c.v, &gemm.find_variant("kokkos_tiled"));
  expect_usage_error(
      [] {
        service::parse_case(words("gemm", "vendor", "m=4,n=5,k=6"), service::variant_use::tunable,
                            service::cli_field_names);
      },
      {"--variant: vendor of gemm has no tunable axes"});
  expect_usage_error(
      [] {
        service::parse_case(words("gemm", "vendor", "m=4,n=5,k=6"), service::variant_use::tunable,
                            service::python_field_names);
      },
      {"variant: vendor of gemm has no tunable axes"});
  // Any variant runs, axes or not.
  EXPECT_EQ(service::parse_case(words("gemm", "vendor", "m=4,n=5,k=6"), service::variant_use::any,
                                service::cli_field_names)
                .v,
            &gemm.find_variant("vendor"));
}

TEST(CaseRequest, RefusalsNameTheOptionAsTheFrontEndCallsIt) {
  service::case_text t = words("moe_gating", "", "");
  t.tokens = 8;
  expect_usage_error([&] { service::problem_fields(t, service::cli_field_names); },
                     {"--tokens: needs --preset (without it, give the fields in --problem)"});
  expect_usage_error([&] { service::problem_fields(t, service::python_field_names); },
                     {"tokens: needs preset (without it, give the fields in problem)"});
  t.tokens.reset();
  expect_usage_error([&] { service::problem_fields(t, service::cli_field_names); },
                     {"--problem: required (or --preset MODEL --tokens T)"});
  expect_usage_error([&] { service::problem_fields(t, service::python_field_names); },
                     {"problem: required (or preset='model', tokens=T)"});
  service::case_text bad = words("gemm", "", "m=4,n=5,k=x");
  expect_usage_error(
      [&] { service::parse_case(bad, service::variant_use::any, service::python_field_names); },
      {"problem: k"});
  bad = words("gemm", "", "m=4,n=5,k=6");
  bad.dtype = "fp8";
  expect_usage_error(
      [&] { service::parse_case(bad, service::variant_use::any, service::cli_field_names); },
      {"--dtype"});
}

TEST(CaseRequest, PresetFieldsGiveWayToExplicitOnes) {
  service::case_text t = words("moe_gating", "", "top_k=3");
  t.preset = kernels::problem_preset_names(kernels::default_problem_preset_dir()).front();
  t.tokens = 16;
  const key_value_list fields = service::problem_fields(t, service::cli_field_names);
  std::string tokens, top_k;
  for (const auto& [name, value] : fields) {
    if (name == "tokens") tokens = value;
    if (name == "top_k") top_k = value;
  }
  EXPECT_EQ(tokens, "16");
  EXPECT_EQ(top_k, "3");
  const auto c = service::parse_case(t, service::variant_use::any, service::cli_field_names);
  EXPECT_EQ(kernels::problem_get(c.values, "top_k"), 3);
}

TEST(CaseRequest, ConfigurationsStartFromTheBackendsDefault) {
  const auto c = service::parse_case(words("gemm", "kokkos_tiled", "m=4,n=5,k=6"),
                                     service::variant_use::any, service::cli_field_names);
  const tuner::config cpu = service::case_config(c, "openmp", {}, "--params");
  EXPECT_EQ(cpu, c.v->default_config("openmp", c.type));
  const tuner::config mine = service::case_config(c, "openmp", {{"tile_m", "64"}}, "--params");
  EXPECT_EQ(mine.at("tile_m"), 64);
  EXPECT_EQ(mine.at("tile_k"), cpu.at("tile_k"));
  EXPECT_NE(service::case_config(c, "cuda", {}, "--params"), cpu);
  expect_usage_error(
      [&] {
        service::case_config(c, "openmp", {{"tile", "4"}}, "params");
      },
      {"params: unknown axis 'tile'"});
}

TEST(CaseRequest, TypedShapesAreCheckedLikeText) {
  const auto& gemm = kernels::find_kernel("gemm");
  const kernels::problem typed = gemm.make_problem({{"m", 4}, {"n", 5}, {"k", 6}}, "problem");
  const kernels::problem text =
      gemm.parse_problem(parse_key_value_list("m=4,n=5,k=6", "p"), "problem");
  ASSERT_EQ(typed.size(), text.size());
  for (std::size_t i = 0; i < typed.size(); ++i) {
    EXPECT_EQ(typed[i].name, text[i].name);
    EXPECT_EQ(typed[i].value, text[i].value);
  }
  expect_usage_error(
      [&] {
        gemm.make_problem({{"m", 4.5}, {"n", 5}, {"k", 6}}, "problem");
      },
      {"problem: m must be an integer (got 4.5)"});
  expect_usage_error(
      [&] {
        gemm.make_problem({{"m", 0}, {"n", 5}, {"k", 6}}, "problem");
      },
      {"problem: m must be >= 1 (got 0)"});
  expect_usage_error([&] { gemm.make_problem({{"q", 1}}, "problem"); }, {"unknown field 'q'"});
}

}  // namespace
}  // namespace ridgeline::test
