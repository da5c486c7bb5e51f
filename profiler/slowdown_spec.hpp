#pragma once
// The text of RIDGELINE_TEST_SLOWDOWN, a test hook that plants a known slowdown (kernels/
// planted_slowdown.hpp applies it): a list of items separated by ',' or ';', each
//   KERNEL[/VARIANT][@AXIS=VALUE]=MICROSECONDS
// e.g. "gemm=400" (every gemm launch) or "gemm/kokkos_tiled@tile_m=64=2000" (only configurations
// whose tile_m is 64). Parsing is host-only and separate from applying, so the grammar is tested
// without Kokkos, and a malformed variable fails before anything is measured.
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ridgeline::profiler {

struct slowdown_item {
  std::string kernel;
  std::string variant;  // "": any variant
  std::string axis;     // "": any configuration
  std::string value;    // the axis value as the variant formats it (measurement::params)
  double microseconds = 0;
};

// usage_error naming RIDGELINE_TEST_SLOWDOWN and the bad item when `text` is malformed; an empty
// text is an empty list.
std::vector<slowdown_item> parse_slowdown_spec(const std::string& text);

// The delay planted on one configuration: the sum of the matching items' microseconds, so two
// items naming different axes of the same configuration both apply; none when no item matches
// (a matching item of 0 us still counts: the measurement was taken under the hook). An item
// naming an axis the variant does not have matches nothing (one variable may serve several
// variants).
std::optional<double> slowdown_for(const std::vector<slowdown_item>& items,
                                   const std::string& kernel, const std::string& variant,
                                   const std::vector<std::pair<std::string, std::string>>& params);

}  // namespace ridgeline::profiler
