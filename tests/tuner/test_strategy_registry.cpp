// strategy_registry: names and options come from the table; mistakes are usage errors naming
// --strategy / --strategy-option and listing what is allowed.
#include <gtest/gtest.h>

#include <algorithm>

#include "tests/support/expect_error.hpp"
#include "tests/tuner/sample_spaces.hpp"
#include "tuner/strategy_registry.hpp"

namespace ridgeline::tuner {
namespace {

using ridgeline::test::expect_usage_error;

TEST(StrategyRegistry, ListsTheFiveStrategiesAndTheDefault) {
  std::vector<std::string> names;
  for (const auto& s : strategies()) names.push_back(s.name);
  EXPECT_EQ(names,
            (std::vector<std::string>{"exhaustive", "random", "annealing", "genetic", "forest"}));
  EXPECT_NE(std::find(names.begin(), names.end(), default_strategy_name()), names.end());
  for (const auto& s : strategies()) {
    EXPECT_FALSE(s.description.empty()) << s.name;
    for (const auto& o : s.options) EXPECT_FALSE(o.description.empty()) << s.name << "." << o.name;
  }
}

TEST(StrategyRegistry, EveryDeclaredDefaultIsAccepted) {
  const param_space space = test::small_space();
  for (const auto& s : strategies()) {
    key_value_list all_defaults;
    for (const auto& o : s.options) all_defaults.emplace_back(o.name, o.default_value);
    EXPECT_NE(make_strategy(s.name, space, {}, 1), nullptr);
    EXPECT_NE(make_strategy(s.name, space, all_defaults, 1), nullptr) << s.name;
  }
}

TEST(StrategyRegistry, RejectsUnknownNamesAndOptions) {
  const param_space space = test::small_space();
  expect_usage_error(
      [&] { make_strategy("bayes", space, {}, 1); },
      {"--strategy", "'bayes'", "exhaustive", "random", "annealing", "genetic", "forest"});
  expect_usage_error(
      [&] {
        make_strategy("genetic", space, {{"popsize", "4"}}, 1);
      },
      {"--strategy-option", "'popsize'", "population", "mutation"});
  expect_usage_error(
      [&] {
        make_strategy("random", space, {{"x", "1"}}, 1);
      },
      {"--strategy-option", "'x'", "no options"});
  expect_usage_error(
      [&] {
        make_strategy("genetic", space, {{"population", "many"}}, 1);
      },
      {"--strategy-option: population", "many"});
  expect_usage_error(
      [&] {
        make_strategy("genetic", space, {{"mutation", "1.5"}}, 1);
      },
      {"--strategy-option: mutation", "1.5"});
  expect_usage_error(
      [&] {
        make_strategy("annealing", space, {{"neighbourhood", "far"}}, 1);
      },
      {"--strategy-option: neighbourhood", "adjacent", "hamming", "far"});
}

}  // namespace
}  // namespace ridgeline::tuner
