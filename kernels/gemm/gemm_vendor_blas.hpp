#pragma once
// What gemm's `vendor` variant does the same way with every GPU BLAS library (cuBLAS in
// gemm_vendor_cublas.cpp, hipBLAS in gemm_vendor_hipblas.cpp): one library handle per instance,
// the instance for each dtype, the dtype switch. A library is described by a traits struct:
//   space                      the Kokkos execution space its stream belongs to
//   handle_type                its handle; create() (bound to the space's stream) and destroy(h)
//   bf16, bf16_convert, f16, f16_convert
//                              its 16-bit types and their round/widen (gemm_instance's Convert)
//   gemm(h, dtype, args)       C = alpha*A*B + beta*C of row-major gemm_args, on h's stream
//   provenance(dtype)          the facts recorded with each measurement (library, compute type)
//   name                       "cuBLAS", in messages
//
// Layout: Ridgeline's matrices are row-major (gemm_args.hpp); the BLAS libraries are column-major.
// A row-major M x N matrix with row stride ld is the column-major N x M matrix (its transpose)
// with the same ld, so each library's gemm computes C = A*B as C^T = B^T * A^T: (n, m, k), B
// first, then A.
#include <fmt/format.h>

#include <memory>
#include <string>

#include "kernels/gemm/gemm_instance.hpp"
#include "kernels/gemm/gemm_variants.hpp"

namespace ridgeline::kernels::detail {

// Created at the first launch, so a failure to create it is recorded as a failed launch
// (run_kernel records the exception's text as launch_failed), like any other library error.
template <class Blas>
class blas_handle {
 public:
  blas_handle() = default;
  blas_handle(const blas_handle&) = delete;
  blas_handle& operator=(const blas_handle&) = delete;
  ~blas_handle() {
    if (h_ != nullptr) Blas::destroy(h_);
  }
  typename Blas::handle_type get() {
    if (h_ == nullptr) h_ = Blas::create();
    return h_;
  }

 private:
  typename Blas::handle_type h_ = nullptr;
};

template <class Blas, class In, class Convert = exact_values<In>>
prepare_outcome prepare_blas_gemm(const gemm_shape& s, dtype t, const launch_context& ctx) {
  using instance = gemm_instance<In, typename Blas::space, Convert>;
  auto h = std::make_shared<blas_handle<Blas>>();
  auto launch = [h, t](const typename instance::args_type& g) { Blas::gemm(h->get(), t, g); };
  return {std::make_unique<instance>(s, ctx.copies, launch, Blas::provenance(t), to_string(t)), {}};
}

template <class Blas>
prepare_outcome prepare_gemm_vendor_blas(const gemm_shape& s, dtype t, const launch_context& ctx) {
  // The libraries take int dimensions and leading dimensions: parse_problem bounds every size
  // below 2^31, and the leading dimensions here are sizes.
  switch (t) {
    case dtype::f32:
      return prepare_blas_gemm<Blas, float>(s, t, ctx);
    case dtype::f64:
      return prepare_blas_gemm<Blas, double>(s, t, ctx);
    case dtype::bf16:
      return prepare_blas_gemm<Blas, typename Blas::bf16, typename Blas::bf16_convert>(s, t, ctx);
    case dtype::f16:
      return prepare_blas_gemm<Blas, typename Blas::f16, typename Blas::f16_convert>(s, t, ctx);
  }
  return {nullptr, fmt::format("{} vendor GEMM: unknown dtype", Blas::name)};
}

}  // namespace ridgeline::kernels::detail
