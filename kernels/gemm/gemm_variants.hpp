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
// The `vendor` variant (gemm_vendor.cpp routes each backend to its library).
// Empty when the BLAS variant exists for `backend`, else why not.
std::string gemm_vendor_unavailable(const std::string& backend);
// Empty when the backend's library computes dtype `t`, else why not.
std::string gemm_vendor_dtype_unsupported(dtype t, const std::string& backend);
// "simt" or "tensor": the units the backend's library runs dtype `t` on.
std::string gemm_vendor_unit(dtype t, const std::string& backend);
prepare_outcome prepare_gemm_vendor(const gemm_shape& s, dtype t, const launch_context& ctx);
// One pair per library: OpenBLAS (host backends), cuBLAS (cuda; defined only in CUDA builds,
// RIDGELINE_HAVE_CUBLAS).
std::string gemm_vendor_openblas_unavailable(const std::string& backend);
prepare_outcome prepare_gemm_vendor_openblas(const gemm_shape& s, dtype t,
                                             const launch_context& ctx);
prepare_outcome prepare_gemm_vendor_cublas(const gemm_shape& s, dtype t, const launch_context& ctx);
// hipBLAS (hip; defined only in HIP builds that find hipBLAS, RIDGELINE_HAVE_HIPBLAS).
prepare_outcome prepare_gemm_vendor_hipblas(const gemm_shape& s, dtype t,
                                            const launch_context& ctx);

const kernel& gemm_kernel();

}  // namespace ridgeline::kernels
