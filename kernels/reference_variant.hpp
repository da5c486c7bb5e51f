#pragma once
// The `reference` variant of a kernel family: the oracle its check compares with, timed like any
// other variant (host backends only: the oracle is plain host loops). `Instance<T, Space>` is the
// family's instance, built from the shape, the copies and `oracle` as its launcher.
#include <memory>

#include "kernels/dtype.hpp"
#include "kernels/host_backend.hpp"
#include "kernels/kernel.hpp"

namespace ridgeline::kernels {

template <template <class...> class Instance, class Shape, class Oracle>
prepare_outcome prepare_reference(const Shape& s, dtype t, const launch_context& ctx,
                                  Oracle oracle) {
  auto prepare_in = [&](auto zero) {
    using T = decltype(zero);
    return prepare_on_host_backend(
        ctx.backend, "the reference", [&](auto space) -> prepare_outcome {
          return {std::make_unique<Instance<T, decltype(space)>>(s, ctx.copies, oracle), {}};
        });
  };
  return t == dtype::f32 ? prepare_in(float()) : prepare_in(double());
}

}  // namespace ridgeline::kernels
