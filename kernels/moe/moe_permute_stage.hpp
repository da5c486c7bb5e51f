#pragma once
// The permute stage alone: the oracle's routing and the token rows in; the alignment (counting
// sort by expert, padded to the block) and the rows scattered into expert order out.
#include "kernels/moe/moe_stage_instance.hpp"

namespace ridgeline::kernels::moe_detail {

template <class T, class Space>
struct permute_stage : stage_defaults<T> {
  static constexpr unsigned holds = buffer_set::tokens | buffer_set::routing |
                                    buffer_set::alignment | buffer_set::chunk_counts |
                                    buffer_set::gathered;

  static void fill(const moe_shape& s, stage_buffers<T, Space>& b, const host_inputs<T>& in,
                   std::uint64_t seed) {
    b.upload_routing(in);
    fill_uniform<T, Space>(b.x.data(), s.tokens * s.hidden, seed + 1, 1.0);
  }
  // poison, launch, launch_reference: also the layer's permute step.
  static void poison(stage_buffers<T, Space>& b) {
    b.poison_alignment();
    Kokkos::deep_copy(b.gathered, stage_buffers<T, Space>::nan());
  }
  static void launch(const stage_context& c, stage_buffers<T, Space>& b) {
    align<Space>(c.d, c.req.configs.permute.chunk, b.ids.data(), b.chunk_counts.data(),
                 b.counts.data(), b.offsets.data(), b.sorted.data(), b.slot_pos.data());
    scatter_rows<T, Space>(c.d, c.req.configs.permute, b.x.data(), b.slot_pos.data(),
                           b.gathered.data());
  }
  static void launch_reference(const moe_shape& s, stage_buffers<T, Space>& b) {
    moe_ref::align(s, b.ids.data(), b.sorted.data(), b.slot_pos.data(), b.offsets.data(),
                   b.counts.data());
    moe_ref::gather<T>(s, b.x.data(), b.slot_pos.data(), b.gathered.data());
  }
  static profiler::check_result compare(const moe_shape& s, stage_buffers<T, Space>& b) {
    return moe_ref::check_permute<T>(s, to_host(b.ids).data(), to_host(b.x).data(),
                                     to_host(b.sorted).data(), to_host(b.slot_pos).data(),
                                     to_host(b.offsets).data(), to_host(b.counts).data(),
                                     to_host(b.gathered).data());
  }
};

}  // namespace ridgeline::kernels::moe_detail
