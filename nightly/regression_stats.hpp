#pragma once
// The two regression tests of the nightly job (docs/nightly.md, "Regression detection"; the
// statistics themselves: docs/nightly-statistics.md):
//  - Mann-Whitney U on raw timing samples, tonight against the last good run: robust to the
//    outliers and skew of timing on shared machines (no normality assumed);
//  - E-divisive means change-point detection over the nightly series of a key's best time, as in
//    Apache Otava (formerly Hunter) / MongoDB's signal processing, which finds where a series
//    shifted rather than comparing two nights.
// Both are written here (the C++ CLI must decide the exit code) and tested against scipy.stats and
// apache-otava 0.8.0 on the same series (tests/nightly/reference/, ctest nightly.stats.reference):
// U and the change-point indices equal, p-values equal to ~1e-12 relative.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace ridgeline::nightly {

struct mann_whitney_result {
  double u = 0;        // U statistic of `later` (scipy's convention: U1 of the first sample)
  double p_value = 1;  // one-sided: `later` tends to be larger (slower)
  double effect = 0;   // median(later) / median(earlier) - 1; 0 when median(earlier) is 0
  std::size_t n_earlier = 0, n_later = 0;
};

// scipy.stats.mannwhitneyu(later, earlier, alternative="greater", method="asymptotic",
// use_continuity=True) — the normal approximation with tie correction. Throws
// ridgeline::usage_error naming the argument ("earlier" / "later") when a sample is empty or holds
// a value that is not finite.
mann_whitney_result mann_whitney_greater(const std::vector<double>& earlier,
                                         const std::vector<double>& later);

// A change point with otava's statistics for it: a two-sided Student t-test between the segment
// before and the segment after, each bounded by the neighbouring change points (see the note on
// stale neighbours in docs/nightly-statistics.md: these are the values otava reports).
struct change_point {
  std::size_t index = 0;  // the first point of the new segment
  double p_value = 1;
  double mean_before = 0;  // of the segment before / after, bounded by neighbouring change points
  double mean_after = 0;
  double relative_change() const { return mean_before == 0 ? 0 : mean_after / mean_before - 1; }
};

// otava's AnalysisOptions (`otava analyze --pvalue --window --magnitude`), same names minus the
// abbreviations and the same defaults, so `e_divisive_means(series)` is otava's default analysis.
struct e_divisive_options {
  // Significance of each final change point (a t-test p-value, kept when p < max_p_value). The
  // windowed search first accepts candidates at a relaxed level (10x below 0.05, 2x below 0.5) and
  // the merge step then removes the weak ones. Range (0, 1].
  double max_p_value = 0.001;
  // Points per sliding window of the search (windows advance by half of it); at least 2.
  std::size_t window_len = 50;
  // A change point whose relative change of the segment means (the larger of before->after and
  // after->before) is at most this is removed, weakest first, even when significant. >= 0.
  double min_magnitude = 0.0;
};

// The change points of `series` in increasing index order, equal to what apache-otava 0.8.0's
// Series.analyze() (otava.analysis.compute_change_points) finds on the same values with the same
// options: deterministic (a t-test, no permutations). An empty or one-point series has none.
// Throws ridgeline::usage_error naming "series[i]" for a value that is not finite, or the option
// that is out of range.
std::vector<change_point> e_divisive_means(const std::vector<double>& series,
                                           const e_divisive_options& options = {});

}  // namespace ridgeline::nightly
