// Instantiates the flash attention for f32 on every enabled execution space.
#include "kernels/attention/attention_flash_impl.hpp"
#include "kernels/attention/attention_variants.hpp"

namespace ridgeline::kernels {

prepare_outcome prepare_attention_flash_f32(const attention_shape& s,
                                            const attention_flash_config& c,
                                            const launch_context& ctx) {
  return detail::prepare_flash<float>(s, c, ctx);
}

std::string attention_flash_launch_limit_f32(const attention_shape& s,
                                             const attention_flash_config& c,
                                             const std::string& backend) {
  return detail::flash_launch_limit<float>(s, c, backend);
}

}  // namespace ridgeline::kernels
