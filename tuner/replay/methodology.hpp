#pragma once
// The methodology score of Willemsen, van Nieuwpoort and van Werkhoven, "A methodology for
// comparing optimization algorithms for auto-tuning" (FGCS 2024), exactly as
// ../shared/data/searchspaces/README.md states it:
//   N valid times, f_opt best, f_med median (mean of the middle two when N is even),
//   d_0 >= ... >= d_{N-1} worst first;
//   R(n) = d_{min(N-1, round(n(N+1)/(n+1)))}  (round half to even, as Python's round);
//   B(p) = ceil(i / (N + 1 - i)), i = valid times > f_opt + (1 - p)(f_med - f_opt);
//   F(n) = best valid time among a run's first n distinct evaluations;
//   P(n) = (R(n) - F(n)) / (R(n) - f_opt); score = mean of P(n), n = B(0.01) .. B(0.95) - 1.
// Where the README leaves a case open, this file decides (and docs/tuner.md repeats):
//   - F(n) before the run's first valid time is d_0, the worst valid time;
//   - F(n) past the run's last evaluation stays at its final value (the run stopped);
//   - R(n) = f_opt makes P(n) = 1 if F(n) = f_opt, else 0;
//   - an empty window (B(0.95) - 1 < B(0.01)) scores P(B(0.01)) alone.
#include <cstdint>
#include <optional>
#include <vector>

namespace ridgeline::tuner::replay {

class methodology {
 public:
  // The valid times of the whole space (any order, at least one).
  explicit methodology(std::vector<double> valid_times);

  double optimum() const { return asc_.front(); }
  double median() const { return median_; }
  std::uint64_t valid_count() const { return asc_.size(); }
  std::uint64_t budget(double p) const;           // B(p)
  double random_baseline(std::uint64_t n) const;  // R(n)

  // A run is its evaluations in order, distinct configurations: the time, or nothing when the
  // configuration failed.
  using run = std::vector<std::optional<double>>;
  // F(n), with the conventions above.
  double best_after(const run& r, std::uint64_t n) const;
  double score(const run& r) const;
  // f_opt / F(n): 1 = found the optimum within n evaluations; 0 when no valid time yet.
  double fraction_of_optimum(const run& r, std::uint64_t n) const;

 private:
  std::vector<double> asc_;  // sorted best first
  double median_;
};

}  // namespace ridgeline::tuner::replay
