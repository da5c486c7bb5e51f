// The contract every registered strategy keeps (tuner/strategy.hpp), checked on each one:
// valid points only, no repeats, the whole space then nothing, reproducible from the seed, and
// failures taken as information.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>

#include "tests/tuner/sample_spaces.hpp"
#include "tuner/search.hpp"
#include "tuner/strategy_registry.hpp"

namespace ridgeline::tuner {
namespace {

// A smooth bowl with its minimum at tm=4, tn=8, k=48, r=4, layout b, u=1; points where
// (k + u) % 7 == 0 "fail to compile".
evaluation synthetic(const config& c) {
  evaluation e;
  e.cfg = c;
  if ((c.at("k") + c.at("u")) % 7 == 0) {
    e.status = eval_status::failed;
    e.reason = "synthetic compile failure";
    return e;
  }
  e.time_s = 1e-3 * (1 + std::abs(std::log2(double(c.at("tm"))) - 2) +
                     std::abs(std::log2(double(c.at("tn"))) - 3) + std::abs(c.at("k") - 48) / 8.0 +
                     (c.at("r") == 4 ? 0 : 0.5) + (c.at("layout") == 1 ? 0 : 0.7) +
                     std::abs(c.at("u") - 1) * 0.1);
  return e;
}

std::vector<config> proposals(const std::string& name, const param_space& space, std::uint64_t seed,
                              std::uint64_t budget) {
  auto s = make_strategy(name, space, {}, seed);
  stop_conditions stop;
  stop.max_evaluations = budget;
  const auto r = search(
      *s, [](const config& c, const eval_context&) { return synthetic(c); }, stop);
  std::vector<config> out;
  for (const auto& e : r.history) out.push_back(e.cfg);
  return out;
}

class StrategyContract : public ::testing::TestWithParam<std::string> {};

TEST_P(StrategyContract, ValidDistinctAndReproducibleOnASparseSpace) {
  const param_space space = test::big_sparse_space();
  const auto a = proposals(GetParam(), space, 42, 60);
  ASSERT_EQ(a.size(), 60u);
  std::set<config> distinct(a.begin(), a.end());
  EXPECT_EQ(distinct.size(), a.size());
  for (const auto& c : a) EXPECT_FALSE(space.violation(c).has_value()) << space.format(c);
  EXPECT_EQ(proposals(GetParam(), space, 42, 60), a);
  if (GetParam() != "exhaustive") {
    EXPECT_NE(proposals(GetParam(), space, 43, 60), a);
  }
}

// How `tune --resume` uses the contract: a fresh strategy with the run's seed, its proposals
// answered from the stored outcomes of the killed run until they run out, continues exactly as
// the uninterrupted run did.
TEST_P(StrategyContract, ResumeFromStoredOutcomesContinuesTheSameRun) {
  const param_space space = test::big_sparse_space();
  const auto full = proposals(GetParam(), space, 77, 40);
  std::map<config, evaluation> stored;
  for (std::size_t i = 0; i < 25; ++i) stored[full[i]] = synthetic(full[i]);
  auto s = make_strategy(GetParam(), space, {}, 77);
  stop_conditions stop;
  stop.max_evaluations = 40;
  int measured = 0;
  const auto r = search(
      *s,
      [&](const config& c, const eval_context&) {
        if (const auto it = stored.find(c); it != stored.end()) return it->second;
        ++measured;
        return synthetic(c);
      },
      stop);
  ASSERT_EQ(r.history.size(), full.size());
  for (std::size_t i = 0; i < full.size(); ++i) EXPECT_EQ(r.history[i].cfg, full[i]);
  EXPECT_EQ(measured, 15);
}

TEST_P(StrategyContract, ProposesEveryValidPointOnceThenNothing) {
  const param_space space = test::small_space();
  auto s = make_strategy(GetParam(), space, {}, 9);
  std::set<config> seen;
  for (std::uint64_t i = 0; i < test::small_valid; ++i) {
    const auto c = s->propose();
    ASSERT_TRUE(c.has_value()) << "after " << i;
    EXPECT_FALSE(space.violation(*c).has_value());
    EXPECT_TRUE(seen.insert(*c).second) << space.format(*c) << " proposed twice";
    evaluation e;
    e.cfg = *c;
    e.status = i % 3 == 0 ? eval_status::failed : eval_status::ok;  // failures are information
    e.time_s = 1.0 + static_cast<double>(c->at("x") * 10 + c->at("y") + c->at("z"));
    s->observe(e);
  }
  EXPECT_FALSE(s->propose().has_value());
}

TEST_P(StrategyContract, AllFailuresDoNotStopTheSearch) {
  const param_space space = test::small_space();
  auto s = make_strategy(GetParam(), space, {}, 1);
  stop_conditions stop;
  const auto r = search(
      *s,
      [](const config& c, const eval_context&) {
        return evaluation{c, eval_status::invalid, 0, "refused"};
      },
      stop);
  EXPECT_EQ(r.history.size(), test::small_valid);
  EXPECT_EQ(r.stop_reason, "exhausted");
  EXPECT_FALSE(r.best.has_value());
}

std::vector<std::string> names() {
  std::vector<std::string> n;
  for (const auto& s : strategies()) n.push_back(s.name);
  return n;
}

INSTANTIATE_TEST_SUITE_P(Registered, StrategyContract, ::testing::ValuesIn(names()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace ridgeline::tuner
