#pragma once
// The gating stage alone: drawn router logits in, each token's top-k experts and weights out.
#include "kernels/moe/moe_stage_instance.hpp"

namespace ridgeline::kernels::moe_detail {

template <class T, class Space>
struct gating_stage : stage_defaults<T> {
  static constexpr unsigned holds = buffer_set::logits | buffer_set::routing;

  static host_inputs<T> draw(const moe_shape& s, std::uint64_t seed) {
    host_inputs<T> in;
    in.logits = draw_logits<T>(s, seed);
    return in;
  }
  static std::vector<instance_operand> operands(const stage_buffers<T, Space>& b) {
    using role = instance_operand::role;
    return {operand("logits", b.logits, role::input), operand("topk_ids", b.ids, role::output),
            operand("topk_weights", b.w, role::output)};
  }
  static void fill(const moe_shape&, stage_buffers<T, Space>& b, const host_inputs<T>& in,
                   std::uint64_t) {
    to_device(b.logits, in.logits);
  }
  // poison, launch, launch_reference: also the layer's gating step.
  static void poison(stage_buffers<T, Space>& b) { b.poison_routing(); }
  static void launch(const stage_context& c, stage_buffers<T, Space>& b) {
    gating<T, Space>(c.d, c.req.configs.gating, b.logits.data(), b.ids.data(), b.w.data());
  }
  static void launch_reference(const moe_shape& s, stage_buffers<T, Space>& b) {
    moe_ref::gating<T>(s, b.logits.data(), b.ids.data(), b.w.data());
  }
  static profiler::check_result compare(const moe_shape& s, stage_buffers<T, Space>& b) {
    return moe_ref::check_gating<T>(s, to_host(b.logits).data(), to_host(b.ids).data(),
                                    to_host(b.w).data());
  }
};

}  // namespace ridgeline::kernels::moe_detail
