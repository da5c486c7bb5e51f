#pragma once
// The grouped expert GEMMs alone: the oracle's alignment and expert-ordered rows in, each row's
// expert MLP (gate and up GEMMs, SiLU(g)*u, down GEMM) out.
#include "kernels/moe/moe_stage_instance.hpp"

namespace ridgeline::kernels::moe_detail {

template <class T, class Space>
struct experts_stage : stage_defaults<T> {
  static constexpr unsigned holds = buffer_set::alignment | buffer_set::gathered |
                                    buffer_set::expert_weights | buffer_set::expert_out;

  static void fill(const moe_shape& s, stage_buffers<T, Space>& b, const host_inputs<T>& in,
                   std::uint64_t seed) {
    b.upload_alignment(in);
    fill_uniform<T, Space>(b.gathered.data(), s.max_padded_rows() * s.hidden, seed + 4, 1.0);
    b.fill_expert_weights(s, seed);
  }
  // poison, run, launch_reference: also the layer's experts step.
  static void poison(stage_buffers<T, Space>& b) {
    Kokkos::deep_copy(b.y, stage_buffers<T, Space>::nan());
  }
  static void launch(const stage_context& c, stage_buffers<T, Space>& b) {
    experts<T, Space>(c.d, c.req.configs.gemm, b.offsets.data(), b.counts.data(), b.sorted.data(),
                      b.gathered.data(), b.wg.data(), b.wu.data(), b.wd.data(), b.gu.data(),
                      b.y.data(), b.expert_tiles.data());
  }
  static void launch_reference(const moe_shape& s, stage_buffers<T, Space>& b) {
    moe_ref::experts<T>(s, b.gathered.data(), b.sorted.data(), b.offsets.data(), b.wg.data(),
                        b.wu.data(), b.wd.data(), b.y.data());
  }
  static profiler::check_result compare(const moe_shape& s, stage_buffers<T, Space>& b) {
    return moe_ref::check_experts<T>(
        s, to_host(b.gathered).data(), to_host(b.sorted).data(), to_host(b.offsets).data(),
        to_host(b.wg).data(), to_host(b.wu).data(), to_host(b.wd).data(), to_host(b.y).data());
  }
};

}  // namespace ridgeline::kernels::moe_detail
