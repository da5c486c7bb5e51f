#pragma once
// Host-side entry points of the MoE stages, one per dtype so each dtype's instantiations for
// every execution space compile in their own translation unit (moe_f32.cpp, moe_f64.cpp).
#include "kernels/kernel.hpp"
#include "kernels/moe/moe_axes.hpp"
#include "kernels/moe/moe_shape.hpp"

namespace ridgeline::kernels {

enum class moe_stage { gating, permute, experts, combine, layer };

struct moe_launch_request {
  moe_stage stage = moe_stage::gating;
  bool reference = false;  // the host oracle in the wider type instead of the Kokkos stages
  moe_configs configs;
};

// Empty when the request's configurations can launch on `backend`, else why not (no allocation).
std::string moe_launch_limit_f32(const moe_shape& s, const moe_launch_request& r,
                                 const std::string& backend);
std::string moe_launch_limit_f64(const moe_shape& s, const moe_launch_request& r,
                                 const std::string& backend);
prepare_outcome prepare_moe_f32(const moe_shape& s, const moe_launch_request& r,
                                const launch_context& ctx);
prepare_outcome prepare_moe_f64(const moe_shape& s, const moe_launch_request& r,
                                const launch_context& ctx);

const kernel& moe_gating_kernel();
const kernel& moe_permute_kernel();
const kernel& moe_grouped_gemm_kernel();
const kernel& moe_combine_kernel();
const kernel& moe_layer_kernel();

}  // namespace ridgeline::kernels
