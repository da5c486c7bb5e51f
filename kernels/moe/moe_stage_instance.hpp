#pragma once
// The instance of every MoE stage (and of the whole layer): one set of the stage's buffers per
// rotated copy, the launch that runs the Kokkos stage or the host oracle in the wide type
// (moe_reference.hpp; host backends only, prepare_moe refuses the others), and the check: poison
// copy 0's outputs, launch once, compare with the oracle. `Stage<T, Space>` (moe_<stage>_stage.hpp)
// says the rest: which buffers it `holds` (moe_buffers.hpp), how they are filled and poisoned,
// what it launches, how it compares, and where stage_defaults does not fit, what the host draws
// and which buffers a caller's arrays map to.
#include <Kokkos_Core.hpp>
#include <cstdint>
#include <vector>

#include "kernels/instance_base.hpp"
#include "kernels/moe/moe_buffers.hpp"
#include "kernels/moe/moe_impl.hpp"
#include "kernels/moe/moe_variants.hpp"

namespace ridgeline::kernels {

namespace moe_detail {

// What a stage's launch needs besides its buffers.
struct stage_context {
  moe_shape s;
  dev_shape d;
  moe_launch_request req;
};

template <class T>
struct stage_defaults {
  // The oracle's routing and alignment of drawn logits: the inputs of the stages after gating.
  static host_inputs<T> draw(const moe_shape& s, std::uint64_t seed) {
    return routed_inputs<T>(s, seed);
  }
  // The middle stages' inputs are internal buffers of the layer (expert-ordered rows, offsets),
  // not arrays a caller holds: not callable on arrays.
  template <class Space>
  static std::vector<instance_operand> operands(const stage_buffers<T, Space>&) {
    return {};
  }
};

}  // namespace moe_detail

template <class T, class Space, template <class, class> class Stage>
class moe_stage_instance final : public instance_base {
  using stage = Stage<T, Space>;
  using buffers = moe_detail::stage_buffers<T, Space>;

 public:
  static constexpr bool host_accessible =
      Kokkos::SpaceAccessibility<Kokkos::HostSpace, typename Space::memory_space>::accessible;

  moe_stage_instance(const moe_shape& s, const moe_launch_request& r, std::size_t copies)
      : instance_base(copies, {}), c_{s, moe_detail::to_dev(s), r} {
    for (std::size_t c = 0; c < copies; ++c) bufs_.emplace_back(s, r, stage::holds);
  }

  void launch(std::size_t copy) override {
    if (!c_.req.reference) {
      stage::launch(c_, bufs_[copy]);
    } else if constexpr (host_accessible) {
      Kokkos::fence();
      stage::launch_reference(c_.s, bufs_[copy]);
    }
  }

  // The host-drawn inputs are shared by every copy; the big arrays are drawn per copy on the
  // device. Rotation is about cold caches, not different values.
  void fill_inputs(std::uint64_t seed) override {
    const moe_detail::host_inputs<T> in = stage::draw(c_.s, seed);
    for (std::size_t c = 0; c < bufs_.size(); ++c) {
      stage::fill(c_.s, bufs_[c], in, seed + 0x1000193ULL * c);
    }
    Kokkos::fence();
  }

  profiler::check_result check() override {
    buffers& b = bufs_[0];
    stage::poison(b);
    launch(0);
    fence();
    return stage::compare(c_.s, b);
  }

  std::vector<instance_operand> operands() override { return stage::operands(bufs_[0]); }

 private:
  moe_detail::stage_context c_;
  std::vector<buffers> bufs_;
};

}  // namespace ridgeline::kernels
