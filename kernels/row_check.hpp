#pragma once
// Element-by-element comparison of a kernel's output with its reference, one row at a time: a
// check compares its rows in parallel, each into its own row_check, then merges them in row
// order, so the first bad element it reports is the first in memory.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "profiler/measurement.hpp"

namespace ridgeline::kernels {

struct row_check {
  double max_abs = 0, max_ratio = 0;
  std::uint64_t bad = 0;
  int first_bad_col = -1;
  double got = 0, want = 0, tol = 0;  // of the first bad element

  // W: the reference's wide type. A non-finite `got` (poison left in place) never passes.
  template <class W>
  void compare(int col, W got_w, W want_w, W tol_w) {
    const W err = std::fabs(got_w - want_w);
    const bool ok = std::isfinite(static_cast<double>(got_w)) && err <= tol_w;
    if (std::isfinite(static_cast<double>(err))) {
      max_abs = std::max(max_abs, static_cast<double>(err));
      max_ratio = std::max(max_ratio, static_cast<double>(err / tol_w));
    } else {
      max_ratio = std::numeric_limits<double>::infinity();
    }
    if (!ok) {
      if (bad == 0) {
        first_bad_col = col;
        got = static_cast<double>(got_w);
        want = static_cast<double>(want_w);
        tol = static_cast<double>(tol_w);
      }
      ++bad;
    }
  }
};

// Adds the rows to `out` and decides `passed`; `element(row, col)` names the first bad element
// ("C[3,17]"). The reference, bound and element count are the caller's to fill.
template <class Element>
void merge_rows(profiler::check_result& out, const std::vector<row_check>& rows,
                Element&& element) {
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const row_check& r = rows[i];
    out.max_abs_error = std::max(out.max_abs_error, r.max_abs);
    out.max_error_over_bound = std::max(out.max_error_over_bound, r.max_ratio);
    if (r.bad > 0 && out.bad_elements == 0) {
      out.first_bad =
          fmt::format("{} = {:.9g}, expected {:.9g} +- {:.3g}",
                      element(static_cast<std::int64_t>(i), r.first_bad_col), r.got, r.want, r.tol);
    }
    out.bad_elements += r.bad;
  }
  out.passed = out.bad_elements == 0;
}

}  // namespace ridgeline::kernels
