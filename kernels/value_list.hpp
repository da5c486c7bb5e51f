#pragma once
// The values of a tuning axis that a kernel is compiled for (register-tile sizes: each one is a
// template instantiation), written once: the axis takes its values from the list, and
// dispatch_value maps a configuration's runtime value to the matching instantiation. Plain C++
// (no Kokkos), so host-only declarations and Kokkos launch code share one list.
#include <array>
#include <cstdint>
#include <type_traits>
#include <vector>

namespace ridgeline::kernels {

template <int... V>
struct value_list {
  static_assert(sizeof...(V) > 0, "a value list needs at least one value");
  static constexpr std::array<int, sizeof...(V)> values{V...};
  // The values as tuner::axis::list takes them.
  static std::vector<std::int64_t> axis_values() { return {V...}; }
};

namespace value_list_detail {

template <int First, int... Rest, class F>
auto dispatch(value_list<First, Rest...>, int v, F& f) {
  if constexpr (sizeof...(Rest) == 0) {
    return f(std::integral_constant<int, First>{});
  } else {
    if (v == First) return f(std::integral_constant<int, First>{});
    return dispatch(value_list<Rest...>{}, v, f);
  }
}

}  // namespace value_list_detail

// Returns f(std::integral_constant<int, v>{}) for the runtime value v of List. A value outside
// List gets List's last entry: configurations are validated against the axis generated from List
// before they launch, so that case is never reached by a checked configuration.
template <class List, class F>
auto dispatch_value(int v, F&& f) {
  return value_list_detail::dispatch(List{}, v, f);
}

// The same over two lists at once (a register tile's rows and columns): f(row, column).
template <class Rows, class Columns, class F>
auto dispatch_value_pair(int row, int column, F&& f) {
  return dispatch_value<Rows>(row, [&](auto r) {
    return dispatch_value<Columns>(column, [&](auto c) { return f(r, c); });
  });
}

}  // namespace ridgeline::kernels
