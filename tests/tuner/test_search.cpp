// search: the stop conditions one by one, repeats answered from the history for free, failures
// recorded, exceptions from the evaluator propagated.
#include <gtest/gtest.h>

#include <deque>
#include <stdexcept>

#include "tests/tuner/sample_spaces.hpp"
#include "tuner/search.hpp"

namespace ridgeline::tuner {
namespace {

// Proposes a fixed list (repeats included), then nothing; records what it is told.
class scripted final : public strategy {
 public:
  explicit scripted(std::vector<int> xs) : xs_(xs.begin(), xs.end()) {}
  std::optional<config> propose() override {
    if (xs_.empty()) return std::nullopt;
    const int x = xs_.front();
    xs_.pop_front();
    return config{{"x", x}};
  }
  void observe(const evaluation& e) override { told.push_back(e); }
  std::vector<evaluation> told;

 private:
  std::deque<int> xs_;
};

// time = x ms; x = 0 fails.
evaluation by_x(const config& c, const eval_context&) {
  if (c.at("x") == 0) return {c, eval_status::failed, 0, "x = 0"};
  return {c, eval_status::ok, static_cast<double>(c.at("x")) * 1e-3, ""};
}

TEST(Search, RepeatsAreFreeAndObserved) {
  scripted s({5, 3, 5, 5, 0, 3, 2});
  int calls = 0;
  const auto r = search(s,
                        [&](const config& c, const eval_context& ctx) {
                          EXPECT_EQ(ctx.index, static_cast<std::uint64_t>(calls));
                          ++calls;
                          return by_x(c, ctx);
                        },
                        {});
  EXPECT_EQ(calls, 4);  // 5, 3, 0, 2
  EXPECT_EQ(r.history.size(), 4u);
  EXPECT_EQ(s.told.size(), 7u);  // every proposal is answered
  EXPECT_EQ(s.told[2].time_s, 5e-3);
  EXPECT_EQ(r.history[2].status, eval_status::failed);
  ASSERT_TRUE(r.best.has_value());
  EXPECT_EQ(r.best->cfg.at("x"), 2);
  EXPECT_EQ(r.stop_reason, "exhausted");
}

TEST(Search, BudgetCountsDistinctEvaluations) {
  scripted s({5, 5, 4, 4, 3, 2, 1});
  stop_conditions stop;
  stop.max_evaluations = 3;
  const auto r = search(s, by_x, stop);
  EXPECT_EQ(r.history.size(), 3u);
  EXPECT_EQ(r.best->cfg.at("x"), 3);
  EXPECT_EQ(r.stop_reason, "budget");
}

TEST(Search, NoImprovement) {
  scripted s({3, 4, 5, 6, 2, 1});
  stop_conditions stop;
  stop.no_improvement = 3;
  const auto r = search(s, by_x, stop);
  EXPECT_EQ(r.history.size(), 4u);  // 3, then 4 5 6 without improvement
  EXPECT_EQ(r.stop_reason, "no_improvement");
}

TEST(Search, WithinRoof) {
  scripted s({9, 6, 4, 1});
  stop_conditions stop;
  stop.floor_time_s = 4e-3;
  stop.within_roof = 0.4;  // stop at best <= 4 / 0.6 = 6.67 ms
  const auto r = search(s, by_x, stop);
  EXPECT_EQ(r.history.size(), 2u);
  EXPECT_EQ(r.stop_reason, "within_roof");
  scripted again({9, 6, 4, 1});
  stop.floor_time_s.reset();  // without the floor the condition cannot apply
  EXPECT_EQ(search(again, by_x, stop).stop_reason, "exhausted");
}

// time = x / 1024 s: binary-exact, so the tolerance boundary below is exact too.
evaluation by_x_1024(const config& c, const eval_context&) {
  return {c, eval_status::ok, static_cast<double>(c.at("x")) / 1024, ""};
}

TEST(Search, AFloorTheBestBeatsIsWrongAndStopsNothing) {
  // Floor 4 ms, but the first configuration takes 3 ms: more than 5% below the floor, so the
  // floor's roofs are below what was achieved. Without the rule this stopped as "within_roof".
  stop_conditions stop;
  stop.floor_time_s = 4e-3;
  stop.floor_tolerance = 0.05;
  stop.within_roof = 0.4;
  stop.max_evaluations = 10;
  scripted s({3, 9, 8});
  const auto r = search(s, by_x, stop);
  EXPECT_EQ(r.history.size(), 3u);  // the search went on under its budget
  EXPECT_EQ(r.stop_reason, "exhausted");
  EXPECT_TRUE(r.floor_below_best);

  // within_roof alone could never end the search now: it stops and says why.
  stop.max_evaluations.reset();
  scripted alone({3, 9, 8});
  const auto q = search(alone, by_x, stop);
  EXPECT_EQ(q.history.size(), 1u);
  EXPECT_EQ(q.stop_reason, "roof_below_achieved");
  EXPECT_TRUE(q.floor_below_best);
}

TEST(Search, AFloorBeatenByExactlyTheToleranceStillStops) {
  stop_conditions stop;
  stop.floor_time_s = 5.0 / 1024;
  stop.floor_tolerance = 0.25;  // 4/1024 x 1.25 = 5/1024 exactly: at the boundary, not beyond
  stop.within_roof = 0.4;
  scripted s({9, 4, 1});
  const auto r = search(s, by_x_1024, stop);
  EXPECT_EQ(r.history.size(), 2u);
  EXPECT_EQ(r.stop_reason, "within_roof");
  EXPECT_FALSE(r.floor_below_best);
}

TEST(Search, TimeAndInterruptAndProgress) {
  scripted s({1, 2, 3});
  stop_conditions stop;
  stop.max_seconds = 0;
  EXPECT_EQ(search(s, by_x, stop).stop_reason, "time");

  scripted t({4, 3, 2, 1});
  int asked = 0;
  std::vector<std::uint64_t> done;
  stop_conditions budget;
  budget.max_evaluations = 10;
  const auto r = search(
      t, by_x, budget,
      [&](const search_progress& p) {
        done.push_back(p.done);
        EXPECT_EQ(p.total_hint, 10u);
        EXPECT_TRUE(p.best.has_value());
      },
      [&] { return ++asked > 2; });
  EXPECT_EQ(r.stop_reason, "interrupted");
  EXPECT_EQ(done, (std::vector<std::uint64_t>{1, 2}));
}

TEST(Search, EvaluatorExceptionsPropagate) {
  scripted s({1, 2});
  EXPECT_THROW(search(s,
                      [](const config&, const eval_context&) -> evaluation {
                        throw std::runtime_error("device lost");
                      },
                      {}),
               std::runtime_error);
}

}  // namespace
}  // namespace ridgeline::tuner
