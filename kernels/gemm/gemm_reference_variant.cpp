// The `reference` GEMM variant: the check's oracle, timed like any other variant (host only).
#include "kernels/gemm/gemm_instance.hpp"
#include "kernels/gemm/gemm_variants.hpp"
#include "kernels/reference_variant.hpp"

namespace ridgeline::kernels {

prepare_outcome prepare_gemm_reference(const gemm_shape& s, dtype t, const launch_context& ctx) {
  return prepare_reference<gemm_instance>(s, t, ctx, [](const auto& g) { reference_gemm(g); });
}

}  // namespace ridgeline::kernels
