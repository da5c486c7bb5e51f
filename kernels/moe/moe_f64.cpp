// Instantiates the MoE stages for f64 on every enabled execution space.
#include "kernels/backend_dispatch.hpp"
#include "kernels/moe/moe_instance.hpp"

namespace ridgeline::kernels {

prepare_outcome prepare_moe_f64(const moe_shape& s, const moe_launch_request& r,
                                const launch_context& ctx) {
  return detail::prepare_moe<double>(s, r, ctx);
}

std::string moe_launch_limit_f64(const moe_shape& s, const moe_launch_request& r,
                                 const std::string& backend) {
  return with_exec_space(backend,
                         [&](auto space) { return moe_limits<double, decltype(space)>(s, r); });
}

}  // namespace ridgeline::kernels
