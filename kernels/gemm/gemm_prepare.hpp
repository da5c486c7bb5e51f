#pragma once
// Builds a gemm_instance on the execution space named by the launch context.
#include <memory>

#include "kernels/backend_dispatch.hpp"
#include "kernels/gemm/gemm_instance.hpp"
#include "kernels/gemm/gemm_tiled_impl.hpp"

namespace ridgeline::kernels::detail {

template <class T>
prepare_outcome prepare_tiled(const gemm_shape& s, const gemm_tiled_config& cfg,
                              const launch_context& ctx) {
  return with_exec_space(ctx.backend, [&](auto space) -> prepare_outcome {
    using Space = decltype(space);
    std::string why = gemm_tiled_limits<T, Space>(cfg);
    if (!why.empty()) return {nullptr, std::move(why)};
    auto launch = [cfg](const gemm_args<T>& g) { gemm_tiled<T, Space>(g, cfg); };
    return {std::make_unique<gemm_instance<T, Space>>(s, ctx.copies, launch), {}};
  });
}

}  // namespace ridgeline::kernels::detail
