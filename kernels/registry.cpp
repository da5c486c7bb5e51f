// Every kernel Ridgeline knows, in the order `--help` lists them. Explicit, not static
// self-registration: a kernel that is not listed here does not exist, visibly.
#include "kernels/gemm/gemm_variants.hpp"
#include "kernels/kernel.hpp"

namespace ridgeline::kernels {

const std::vector<const kernel*>& all_kernels() {
  static const std::vector<const kernel*> kernels = {&gemm_kernel()};
  return kernels;
}

}  // namespace ridgeline::kernels
