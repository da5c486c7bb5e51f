#include "nightly/regression_stats.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>

#include "core/error.hpp"

// Both tests are written to give the same numbers as the Python implementations they are checked
// against (scipy 1.16 and apache-otava 0.8.0, tests/nightly/reference/), not merely the same
// statistics: where the result decides between equal candidates (the largest Q-hat, the weakest
// change point) a different rounding could pick a different index, so the sums below are taken in
// the order numpy takes them. Each place that does so says which numpy call it stands for.

namespace ridgeline::nightly {
namespace {

// ---------------------------------------------------------------------------------------------
// numpy's float64 add.reduce (np.sum, np.mean, np.std over one contiguous axis): pairwise
// summation with eight interleaved accumulators in blocks of up to 128 values. Otava's t-test takes
// np.mean / np.std of each segment, and ties between change points are broken on those values, so
// a plain left-to-right sum (which rounds differently from 8 values on) is not good enough.
double numpy_sum(const double* a, std::size_t n) {
  if (n < 8) {
    double sum = 0;
    for (std::size_t i = 0; i < n; ++i) sum += a[i];
    return sum;
  }
  if (n <= 128) {
    double r[8];
    for (std::size_t j = 0; j < 8; ++j) r[j] = a[j];
    std::size_t i = 8;
    for (; i < n - n % 8; i += 8) {
      for (std::size_t j = 0; j < 8; ++j) r[j] += a[i + j];
    }
    double sum = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; ++i) sum += a[i];
    return sum;
  }
  // Halves, the first a multiple of 8 long.
  std::size_t half = n / 2;
  half -= half % 8;
  return numpy_sum(a, half) + numpy_sum(a + half, n - half);
}

double numpy_mean(const double* a, std::size_t n) {
  return numpy_sum(a, n) / static_cast<double>(n);
}

// np.std(a) — the population standard deviation (ddof = 0): mean, squared deviations, their
// pairwise sum over n, square root.
double numpy_std(const double* a, std::size_t n) {
  const double mean = numpy_mean(a, n);
  std::vector<double> squares(n);
  for (std::size_t i = 0; i < n; ++i) squares[i] = (a[i] - mean) * (a[i] - mean);
  return std::sqrt(numpy_sum(squares.data(), n) / static_cast<double>(n));
}

// ---------------------------------------------------------------------------------------------
// Distributions.

// The continued fraction of the regularized incomplete beta function I_x(a, b) (the classical
// expansion with terms d_{2m} = m(b-m)x / ((a+2m-1)(a+2m)) and
// d_{2m+1} = -(a+m)(a+b+m)x / ((a+2m)(a+2m+1))), evaluated by the modified Lentz method. It
// converges quickly for x < (a+1)/(a+b+2); the caller uses the symmetry on the other side.
double beta_continued_fraction(double a, double b, double x) {
  constexpr double tiny = 1e-300;  // keeps the Lentz ratios away from division by zero
  const auto guard = [](double v) { return std::fabs(v) < tiny ? tiny : v; };
  double c = 1;
  double d = 1 / guard(1 - (a + b) * x / (a + 1));
  double f = d;
  for (int m = 1; m <= 10000; ++m) {
    const double two_m = 2.0 * m;
    const double even = m * (b - m) * x / ((a + two_m - 1) * (a + two_m));
    d = 1 / guard(1 + even * d);
    c = guard(1 + even / c);
    f *= d * c;
    const double odd = -(a + m) * (a + b + m) * x / ((a + two_m) * (a + two_m + 1));
    d = 1 / guard(1 + odd * d);
    c = guard(1 + odd / c);
    const double step = d * c;
    f *= step;
    if (std::fabs(step - 1) < 1e-16) break;
  }
  return f;
}

// I_x(a, b) with x and y = 1 - x passed separately, so that a caller who can compute both without
// cancellation (the t distribution below) loses no digits near 0 or 1.
double regularized_incomplete_beta(double a, double b, double x, double y) {
  if (x <= 0) return 0;
  if (y <= 0) return 1;
  if (x > (a + 1) / (a + b + 2)) return 1 - regularized_incomplete_beta(b, a, y, x);
  const double log_front =
      a * std::log(x) + b * std::log(y) - (std::lgamma(a) + std::lgamma(b) - std::lgamma(a + b));
  return std::exp(log_front) * beta_continued_fraction(a, b, x) / a;
}

// Two-sided p-value of Student's t with `df` degrees of freedom, 2 * P(T > |t|), as scipy's
// 2 * stdtr(df, -|t|): P(|T| > |t|) = I_{df/(df+t^2)}(df/2, 1/2). NaN stays NaN (otava then treats
// the point as not significant, as scipy's NaN makes it do).
double student_t_two_sided_p(double t, double df) {
  if (std::isnan(t)) return std::numeric_limits<double>::quiet_NaN();
  const double t2 = t * t;
  if (std::isinf(t2)) return 0;
  return regularized_incomplete_beta(df / 2, 0.5, df / (df + t2), t2 / (df + t2));
}

// P(Z > z) for a standard normal Z, in scipy's ndtr(-z) form: erf near 0, erfc in the tails, so
// neither loses digits.
double normal_sf(double z) {
  constexpr double sqrt_half = 0.70710678118654752440;  // 1/sqrt(2)
  const double x = -z * sqrt_half;
  const double ax = std::fabs(x);
  if (ax < sqrt_half) return 0.5 + 0.5 * std::erf(x);
  const double tail = 0.5 * std::erfc(ax);
  return x > 0 ? 1 - tail : tail;
}

double median_of(std::vector<double> v) {
  const std::size_t mid = v.size() / 2;
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(mid), v.end());
  const double upper = v[mid];
  if (v.size() % 2 == 1) return upper;
  const double lower = *std::max_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(mid));
  return (lower + upper) / 2;
}

void require_finite(const std::vector<double>& values, const char* name) {
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (!std::isfinite(values[i])) {
      throw usage_error(fmt::format("{}[{}]: not a finite number ({})", name, i, values[i]));
    }
  }
}

// ---------------------------------------------------------------------------------------------
// E-divisive means, otava's way (otava.analysis.compute_change_points, "Hunter", Fleming et al.
// 2023): the divisive search of Matteson & James (2014) picks where to split by the largest
// Q-hat, but whether a split is real is decided by a Student t-test between the two segments, not
// by the original permutation test (otava keeps that only as `orig_edivisive`, with random
// permutations); so the result is deterministic.

// Otava's TTestStats: means of the two segments and the p-value of a two-sided pooled-variance
// t-test — fed, as otava feeds scipy's ttest_ind_from_stats, with the population (ddof = 0)
// standard deviations; that is otava's choice, kept so the p-values agree.
struct segment_test {
  double mean_before = 0;
  double mean_after = 0;
  double p_value = 1;
};

segment_test t_test(const double* left, std::size_t n_left, const double* right,
                    std::size_t n_right) {
  segment_test r;
  r.mean_before = numpy_mean(left, n_left);
  r.mean_after = numpy_mean(right, n_right);
  if (n_left + n_right <= 2) return r;  // one point each: otava says p = 1 without a test
  // A one-point segment has standard deviation 0 (otava), and scipy drops its variance anyway.
  const double std_left = n_left >= 2 ? numpy_std(left, n_left) : 0.0;
  const double std_right = n_right >= 2 ? numpy_std(right, n_right) : 0.0;
  const double var_left = n_left == 1 ? 0.0 : std_left * std_left;
  const double var_right = n_right == 1 ? 0.0 : std_right * std_right;
  const double nl = static_cast<double>(n_left), nr = static_cast<double>(n_right);
  const double df = nl + nr - 2.0;
  const double pooled = ((nl - 1) * var_left + (nr - 1) * var_right) / df;
  const double denom = std::sqrt(pooled * (1.0 / nl + 1.0 / nr));
  // Two constant segments: t = +-inf (p = 0) when their means differ, NaN when they do not.
  const double t = (r.mean_before - r.mean_after) / denom;
  r.p_value = student_t_two_sided_p(t, df);
  return r;
}

// otava's TTestStats.change_magnitude(): the larger relative change of the two directions, 0 for a
// direction whose base mean is 0.
double change_magnitude(const segment_test& s) {
  const double forward = s.mean_before == 0 ? 0 : s.mean_after / s.mean_before - 1.0;
  const double backward = s.mean_after == 0 ? 0 : s.mean_before / s.mean_after - 1.0;
  return std::max(std::fabs(forward), std::fabs(backward));
}

struct candidate {
  std::size_t index = 0;  // the first point of the right segment
  double qhat = 0;
};

// Q-hat over one window of the series (alpha = 1): for a segment [start, end) and a split
// start < tau < kappa <= end,
//   Q(tau, kappa) = 2/(m+n) * sum |X_i - Y_j| - 2m/((m+n)(n-1)) * sum_{i<k} |X_i - X_k|
//                   - 2n/((m+n)(m-1)) * sum_{j<k} |Y_j - Y_k|
// with X = [start, tau) (n points), Y = [tau, kappa) (m points). The best split of the segment is
// the tau of the largest Q over all (tau, kappa). The three sums are built from two tables made
// once per window, as otava does (its calculator.py), and in the same order of additions: Q values
// that are equal in exact arithmetic (common with tied timings) must round to the same doubles as
// otava's for the same (tau, kappa) to win.
class window_statistic {
 public:
  window_statistic(const double* x, std::size_t n) : n_(n), dist_(n * n), above_(n), right_(n * n) {
    for (std::size_t i = 0; i < n; ++i) {
      for (std::size_t j = 0; j < n; ++j) dist_[i * n + j] = std::fabs(x[i] - x[j]);
    }
    // above_[t] = sum_{r < t} |x_r - x_t|, summed r = 0 upward (otava's V: a column sum of the
    // upper triangle).
    for (std::size_t t = 1; t < n; ++t) {
      double sum = 0;
      for (std::size_t r = 0; r < t; ++r) sum += dist(r, t);
      above_[t] = sum;
    }
    // right_[r][c] = sum_{r < j <= c} |x_r - x_j|, summed j upward (otava's H: row prefix sums of
    // the upper triangle); 0 for c <= r.
    for (std::size_t r = 0; r < n; ++r) {
      double sum = 0;
      for (std::size_t c = r + 1; c < n; ++c) {
        sum += dist(r, c);
        right_[r * n + c] = sum;
      }
    }
  }

  // The best split of [start, end), end - start >= 2.
  candidate best_split(std::size_t start, std::size_t end) const {
    // Row a = tau - start - 1 (tau = start+1 .. end-1), column b = kappa - start - 2
    // (kappa = start+2 .. end); only b >= a (kappa > tau) is a split.
    const std::size_t m = end - 1 - start;
    const auto h = [&](std::size_t a, std::size_t b) {  // otava's H restricted to the segment
      return b < a ? 0.0 : right_[(start + a) * n_ + start + b + 1];
    };
    // within[k]: the distances of point tau_k = start+1+k to the earlier points of the segment,
    // as otava gets them: the whole column minus the part above `start` (summed r = 0 upward).
    std::vector<double> within_prefix(m);  // running sums of within[]
    for (std::size_t k = 0; k < m; ++k) {
      double outside = 0;
      for (std::size_t r = 0; r < start; ++r) outside += dist(r, start + 1 + k);
      const double within = above_[start + 1 + k] - outside;
      within_prefix[k] = k == 0 ? within : within_prefix[k - 1] + within;
    }
    // down[a][b] = sum_{a' <= a} h(a', b), accumulated downward; up[a][b] = sum_{a' > a} h(a', b),
    // accumulated from the last row upward (otava's flipud-cumsum-flipud).
    std::vector<double> down(m * m), up(m * m, 0.0);
    for (std::size_t a = 0; a < m; ++a) {
      for (std::size_t b = 0; b < m; ++b) {
        down[a * m + b] = a == 0 ? h(0, b) : down[(a - 1) * m + b] + h(a, b);
      }
    }
    if (m >= 2) {
      for (std::size_t b = 1; b < m; ++b) up[(m - 2) * m + b] = h(m - 1, b);
      for (std::size_t a = m - 2; a-- > 0;) {
        for (std::size_t b = 1; b < m; ++b) up[a * m + b] = up[(a + 1) * m + b] + h(a + 1, b);
      }
    }
    candidate best;
    bool found = false;
    // Row-major, first largest wins: numpy's argmax. (The lower triangle, zeros in otava's
    // matrix, never wins: Q at (0, 0) is |x_start - x_start+1| >= 0 and comes first.)
    for (std::size_t a = 0; a < m; ++a) {
      for (std::size_t b = a; b < m; ++b) {
        const double kappa_span = static_cast<double>(b + 2);  // kappa - start = m + n
        const double between =
            (2.0 / kappa_span) * (down[a * m + b] - (a == 0 ? 0.0 : within_prefix[a - 1]));
        const double left_within =
            a == 0 ? 0.0
                   : (static_cast<double>(2 * (b - a + 1)) / static_cast<double>((b + 2) * a)) *
                         within_prefix[a - 1];
        const double right_within =
            b == a ? 0.0
                   : (static_cast<double>(2 * (a + 1)) / static_cast<double>((b + 2) * (b - a))) *
                         up[a * m + b];
        const double q = between - left_within - right_within;
        if (!found || q > best.qhat) {
          best = {start + a + 1, q};
          found = true;
        }
      }
    }
    return best;
  }

 private:
  double dist(std::size_t i, std::size_t j) const { return dist_[i * n_ + j]; }

  std::size_t n_;
  std::vector<double> dist_, above_, right_;
};

// The divisive search on one window x[0, n) (otava's ChangePointDetector with the t-test): split
// the segment with the largest Q-hat at its best point while the t-test between the two new
// segments has p <= max_p; stop at the first split that is not significant. Indices are into x.
std::vector<std::size_t> divisive_search(const double* x, std::size_t n, double max_p) {
  window_statistic stat(x, n);
  std::vector<std::size_t> points;  // sorted
  for (;;) {
    bool found = false;
    candidate best;
    std::size_t best_start = 0, best_end = 0;
    for (std::size_t i = 0; i <= points.size(); ++i) {
      const std::size_t start = i == 0 ? 0 : points[i - 1];
      const std::size_t end = i == points.size() ? n : points[i];
      if (end - start < 2) continue;
      const candidate c = stat.best_split(start, end);
      if (!found || c.qhat > best.qhat) {  // the first segment wins a tie (Python's max)
        best = c;
        best_start = start;
        best_end = end;
        found = true;
      }
    }
    if (!found) break;
    const segment_test test =
        t_test(x + best_start, best.index - best_start, x + best.index, best_end - best.index);
    if (!(test.p_value <= max_p)) break;  // NaN is not significant either
    points.insert(std::upper_bound(points.begin(), points.end(), best.index), best.index);
  }
  return points;
}

struct weak_point {
  std::size_t index = 0;
  segment_test test;
};

// The t-test of points[k] against its neighbours' segments.
segment_test test_between_neighbours(const std::vector<double>& series,
                                     const std::vector<weak_point>& points, std::size_t k) {
  const std::size_t from = k == 0 ? 0 : points[k - 1].index;
  const std::size_t to = k + 1 == points.size() ? series.size() : points[k + 1].index;
  const std::size_t at = points[k].index;
  return t_test(series.data() + from, at - from, series.data() + at, to - at);
}

}  // namespace

mann_whitney_result mann_whitney_greater(const std::vector<double>& earlier,
                                         const std::vector<double>& later) {
  if (earlier.empty()) throw usage_error("earlier: no samples (Mann-Whitney U needs at least one)");
  if (later.empty()) throw usage_error("later: no samples (Mann-Whitney U needs at least one)");
  require_finite(earlier, "earlier");
  require_finite(later, "later");

  const std::size_t n1 = later.size(), n2 = earlier.size(), n = n1 + n2;
  // Pooled sample, `later` first (scipy's x), ranked with ties given their average rank.
  std::vector<double> pooled(later);
  pooled.insert(pooled.end(), earlier.begin(), earlier.end());
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(),
            [&](std::size_t i, std::size_t j) { return pooled[i] < pooled[j]; });
  // Ranks are half-integers and the tie counts integers: every sum below is exact (far below
  // 2^53), so the order of summation cannot matter and U is exactly scipy's.
  double rank_sum_later = 0, tie_term = 0;
  for (std::size_t first = 0; first < n;) {
    std::size_t last = first + 1;
    while (last < n && pooled[order[last]] == pooled[order[first]]) ++last;
    const double count = static_cast<double>(last - first);
    const double rank = static_cast<double>(first + 1) + (count - 1) / 2;
    for (std::size_t i = first; i < last; ++i) {
      if (order[i] < n1) rank_sum_later += rank;
    }
    tie_term += count * count * count - count;
    first = last;
  }
  const double dn = static_cast<double>(n);

  mann_whitney_result r;
  r.n_earlier = n2;
  r.n_later = n1;
  r.u = rank_sum_later - static_cast<double>(n1 * (n1 + 1)) / 2;
  // Normal approximation with the tie correction and the continuity correction, in scipy's order
  // of operations (_mannwhitneyu._get_mwu_z).
  const double mu = static_cast<double>(n1 * n2) / 2;
  const double s = std::sqrt(static_cast<double>(n1 * n2) / 12 *
                             ((dn + 1) - tie_term / static_cast<double>(n * (n - 1))));
  // All values tied: s = 0 and z = -0.5 / 0 = -inf, p = 1, as scipy gives.
  const double z = (r.u - mu - 0.5) / s;
  r.p_value = std::clamp(normal_sf(z), 0.0, 1.0);
  const double base = median_of(earlier);
  r.effect = base == 0 ? 0 : median_of(later) / base - 1;
  return r;
}

std::vector<change_point> e_divisive_means(const std::vector<double>& series,
                                           const e_divisive_options& options) {
  if (!(options.max_p_value > 0 && options.max_p_value <= 1)) {
    throw usage_error(fmt::format("max_p_value: must be in (0, 1] (got {})", options.max_p_value));
  }
  if (options.window_len < 2) {
    throw usage_error(fmt::format("window_len: must be at least 2 (got {})", options.window_len));
  }
  if (!(options.min_magnitude >= 0 && std::isfinite(options.min_magnitude))) {
    throw usage_error(
        fmt::format("min_magnitude: must be a finite number >= 0 (got {})", options.min_magnitude));
  }
  require_finite(series, "series");
  const std::size_t n = series.size();

  // 1. Split: the divisive search in windows of window_len points advancing by half a window (or
  // to the last point found, when that is further), at a relaxed significance so that change points
  // near a window's edge are still seen ("weak" change points, otava's first-pass p-value).
  const double max_p = options.max_p_value;
  const double first_pass_p = max_p < 0.05 ? max_p * 10 : (max_p < 0.5 ? max_p * 2 : max_p);
  const std::size_t step = options.window_len / 2;
  std::vector<std::size_t> weak_indices;
  for (std::size_t start = 0; start < n;) {
    const std::size_t end = std::min(start + options.window_len, n);
    const std::vector<std::size_t> found =
        divisive_search(series.data() + start, end - start, first_pass_p);
    for (std::size_t local : found) {
      const std::size_t index = start + local;
      if (std::find(weak_indices.begin(), weak_indices.end(), index) == weak_indices.end()) {
        weak_indices.push_back(index);
      }
    }
    // otava's `max(last_new_change_point_index, start + step)`: the last point found this window,
    // 0 when none (so then always start + step).
    const std::size_t last_found = found.empty() ? 0 : start + found.back();
    start = std::max(last_found, start + step);
  }
  std::sort(weak_indices.begin(), weak_indices.end());
  std::vector<weak_point> points(weak_indices.size());
  for (std::size_t k = 0; k < points.size(); ++k) points[k].index = weak_indices[k];
  for (std::size_t k = 0; k < points.size(); ++k) {
    points[k].test = test_between_neighbours(series, points, k);
  }

  // 2. Merge: while some point is not significant at max_p (p >= max_p), drop the one with the
  // largest p; once all are, drop the one with the smallest magnitude while that is at most
  // min_magnitude. Ties go to the first point (Python's max / min).
  while (!points.empty()) {
    std::size_t weakest = 0;
    for (std::size_t k = 1; k < points.size(); ++k) {
      if (points[k].test.p_value > points[weakest].test.p_value) weakest = k;
    }
    if (points[weakest].test.p_value < max_p) {
      weakest = 0;
      for (std::size_t k = 1; k < points.size(); ++k) {
        if (change_magnitude(points[k].test) < change_magnitude(points[weakest].test)) weakest = k;
      }
      if (change_magnitude(points[weakest].test) > options.min_magnitude) break;
    }
    points.erase(points.begin() + static_cast<std::ptrdiff_t>(weakest));
    // Sharp edge, kept on purpose: removing a point widens the segments of both its neighbours,
    // but otava re-tests the two points that follow the gap (its merge() recomputes positions w
    // and w + 1 after the deletion), not the one before it. That one keeps the statistics of its
    // old, shorter right segment until a later removal makes it a "w + 1"; the choices in between
    // use the stale values. Re-testing exactly the two true neighbours instead would find different
    // change points than otava on some series (the reference comparison has such cases).
    for (std::size_t k = weakest; k < std::min(weakest + 2, points.size()); ++k) {
      points[k].test = test_between_neighbours(series, points, k);
    }
  }

  std::vector<change_point> result;
  result.reserve(points.size());
  for (const weak_point& p : points) {
    change_point c;
    c.index = p.index;
    c.p_value = p.test.p_value;
    c.mean_before = p.test.mean_before;
    c.mean_after = p.test.mean_after;
    result.push_back(c);
  }
  return result;
}

}  // namespace ridgeline::nightly
