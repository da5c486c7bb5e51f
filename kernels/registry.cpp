// Every kernel Ridgeline knows, in the order `--help` lists them. Explicit, not static
// self-registration: a kernel that is not listed here does not exist, visibly.
#include "kernels/attention/attention_variants.hpp"
#include "kernels/gemm/gemm_variants.hpp"
#include "kernels/kernel.hpp"
#include "kernels/moe/moe_variants.hpp"

namespace ridgeline::kernels {

const std::vector<const kernel*>& all_kernels() {
  static const std::vector<const kernel*> kernels = {
      &gemm_kernel(),        &attention_kernel(),        &moe_gating_kernel(),
      &moe_permute_kernel(), &moe_grouped_gemm_kernel(), &moe_combine_kernel(),
      &moe_layer_kernel()};
  return kernels;
}

}  // namespace ridgeline::kernels
