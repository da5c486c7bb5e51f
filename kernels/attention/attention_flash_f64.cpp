// Instantiates the flash attention for f64 on every enabled execution space.
#include "kernels/attention/attention_flash_impl.hpp"
#include "kernels/attention/attention_variants.hpp"

namespace ridgeline::kernels {

prepare_outcome prepare_attention_flash_f64(const attention_shape& s,
                                            const attention_flash_config& c,
                                            const launch_context& ctx) {
  return detail::prepare_flash<double>(s, c, ctx);
}

std::string attention_flash_launch_limit_f64(const attention_shape& s,
                                             const attention_flash_config& c,
                                             const std::string& backend) {
  return detail::flash_launch_limit<double>(s, c, backend);
}

}  // namespace ridgeline::kernels
