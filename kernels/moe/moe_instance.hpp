#pragma once
// Prepares an MoE stage (or the whole layer) on the execution space the launch context names:
// the configuration's launch limits first, then the stage's instance (moe_stage_instance.hpp over
// the stage's buffers, launches and check in moe_<stage>_stage.hpp).
#include <memory>
#include <string>
#include <utility>

#include "kernels/backend_dispatch.hpp"
#include "kernels/moe/moe_layer_stage.hpp"

namespace ridgeline::kernels {

// Empty when the configuration can launch on Space, else why not.
template <class T, class Space>
std::string moe_limits(const moe_shape& s, const moe_launch_request& r) {
  const auto d = moe_detail::to_dev(s);
  std::string why;
  const bool all = r.stage == moe_stage::layer;
  if (r.stage == moe_stage::gating || all)
    why = moe_detail::gating_limits<T, Space>(d, r.configs.gating);
  if (why.empty() && (r.stage == moe_stage::permute || all))
    why = moe_detail::permute_limits<T, Space>(r.configs.permute);
  if (why.empty() && (r.stage == moe_stage::experts || all))
    why = moe_detail::grouped_gemm_limits<T, Space>(r.configs.gemm);
  if (why.empty() && (r.stage == moe_stage::combine || all))
    why = moe_detail::combine_limits<T, Space>(r.configs.combine);
  return why;
}

namespace detail {

template <class T, class Space>
std::unique_ptr<kernel_instance> make_moe_instance(const moe_shape& s, const moe_launch_request& r,
                                                   std::size_t copies) {
  switch (r.stage) {
    case moe_stage::gating:
      return std::make_unique<moe_stage_instance<T, Space, moe_detail::gating_stage>>(s, r, copies);
    case moe_stage::permute:
      return std::make_unique<moe_stage_instance<T, Space, moe_detail::permute_stage>>(s, r,
                                                                                       copies);
    case moe_stage::experts:
      return std::make_unique<moe_stage_instance<T, Space, moe_detail::experts_stage>>(s, r,
                                                                                       copies);
    case moe_stage::combine:
      return std::make_unique<moe_stage_instance<T, Space, moe_detail::combine_stage>>(s, r,
                                                                                       copies);
    case moe_stage::layer:
      break;
  }
  return std::make_unique<moe_stage_instance<T, Space, moe_detail::layer_stage>>(s, r, copies);
}

template <class T>
prepare_outcome prepare_moe(const moe_shape& s, const moe_launch_request& r,
                            const launch_context& ctx) {
  return with_exec_space(ctx.backend, [&](auto space) -> prepare_outcome {
    using Space = decltype(space);
    if (r.reference) {
      if constexpr (!Kokkos::SpaceAccessibility<Kokkos::HostSpace,
                                                typename Space::memory_space>::accessible) {
        return {nullptr, "the reference runs on host backends only"};
      }
    } else {
      std::string why = moe_limits<T, Space>(s, r);
      if (!why.empty()) return {nullptr, std::move(why)};
    }
    return {make_moe_instance<T, Space>(s, r, ctx.copies), {}};
  });
}

}  // namespace detail
}  // namespace ridgeline::kernels
