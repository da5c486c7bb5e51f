#pragma once
// Host-side entry points of the GEMM variants, one per dtype so each dtype's instantiations for
// every execution space compile in their own translation unit (gemm_tiled_f32.cpp, ...).
#include "kernels/gemm/gemm_args.hpp"
#include "kernels/gemm/gemm_tiled.hpp"
#include "kernels/kernel.hpp"

namespace ridgeline::kernels {

prepare_outcome prepare_gemm_tiled_f32(const gemm_shape& s, const gemm_tiled_config& c,
                                       const launch_context& ctx);
prepare_outcome prepare_gemm_tiled_f64(const gemm_shape& s, const gemm_tiled_config& c,
                                       const launch_context& ctx);
// Empty when the configuration can launch on `backend`, else why not (no allocation).
std::string gemm_tiled_launch_limit_f32(const gemm_tiled_config& c, const std::string& backend);
std::string gemm_tiled_launch_limit_f64(const gemm_tiled_config& c, const std::string& backend);
prepare_outcome prepare_gemm_reference(const gemm_shape& s, dtype t, const launch_context& ctx);
// Empty when the BLAS variant exists for `backend`, else why not.
std::string gemm_vendor_unavailable(const std::string& backend);
prepare_outcome prepare_gemm_vendor(const gemm_shape& s, dtype t, const launch_context& ctx);

const kernel& gemm_kernel();

}  // namespace ridgeline::kernels
