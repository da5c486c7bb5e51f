#pragma once
// The combine stage alone: the oracle's routing and alignment and the experts' rows in, each
// token's weighted sum of its k rows out.
#include "kernels/moe/moe_stage_instance.hpp"

namespace ridgeline::kernels::moe_detail {

template <class T, class Space>
struct combine_stage : stage_defaults<T> {
  static constexpr unsigned holds =
      buffer_set::routing | buffer_set::alignment | buffer_set::expert_out | buffer_set::out;

  static void fill(const moe_shape& s, stage_buffers<T, Space>& b, const host_inputs<T>& in,
                   std::uint64_t seed) {
    b.upload_alignment(in);
    b.upload_routing(in);
    fill_uniform<T, Space>(b.y.data(), s.max_padded_rows() * s.hidden, seed + 3, 1.0);
  }
  // poison, launch, launch_reference: also the layer's combine step.
  static void poison(stage_buffers<T, Space>& b) {
    Kokkos::deep_copy(b.out, stage_buffers<T, Space>::nan());
  }
  static void launch(const stage_context& c, stage_buffers<T, Space>& b) {
    combine<T, Space>(c.d, c.req.configs.combine, b.y.data(), b.slot_pos.data(), b.w.data(),
                      b.out.data());
  }
  static void launch_reference(const moe_shape& s, stage_buffers<T, Space>& b) {
    moe_ref::combine<T>(s, b.y.data(), b.slot_pos.data(), b.w.data(), b.out.data());
  }
  static profiler::check_result compare(const moe_shape& s, stage_buffers<T, Space>& b) {
    return moe_ref::check_combine<T>(s, to_host(b.y).data(), to_host(b.slot_pos).data(),
                                     to_host(b.w).data(), to_host(b.out).data());
  }
};

}  // namespace ridgeline::kernels::moe_detail
