#pragma once
// Host-side entry points of the attention variants; the flash kernel is instantiated per dtype in
// its own translation unit (attention_flash_f32.cpp, attention_flash_f64.cpp).
#include <string>

#include "kernels/attention/attention_args.hpp"
#include "kernels/attention/attention_flash.hpp"
#include "kernels/kernel.hpp"

namespace ridgeline::kernels {

// Empty when the configuration can launch on `backend` for this shape, else why not.
std::string attention_flash_launch_limit_f32(const attention_shape& s,
                                             const attention_flash_config& c,
                                             const std::string& backend);
std::string attention_flash_launch_limit_f64(const attention_shape& s,
                                             const attention_flash_config& c,
                                             const std::string& backend);
prepare_outcome prepare_attention_flash_f32(const attention_shape& s,
                                            const attention_flash_config& c,
                                            const launch_context& ctx);
prepare_outcome prepare_attention_flash_f64(const attention_shape& s,
                                            const attention_flash_config& c,
                                            const launch_context& ctx);
prepare_outcome prepare_attention_unfused(const attention_shape& s, dtype t,
                                          const launch_context& ctx);
prepare_outcome prepare_attention_reference(const attention_shape& s, dtype t,
                                            const launch_context& ctx);

const kernel& attention_kernel();

}  // namespace ridgeline::kernels
