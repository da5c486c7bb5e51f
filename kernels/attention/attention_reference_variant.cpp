// The `reference` attention variant: the check's oracle, timed like any other variant (host only).
#include <memory>

#include "kernels/attention/attention_instance.hpp"
#include "kernels/attention/attention_variants.hpp"
#include "kernels/backend_dispatch.hpp"

namespace ridgeline::kernels {

namespace {

template <class T>
prepare_outcome prepare_for(const attention_shape& s, const launch_context& ctx) {
  return with_exec_space(ctx.backend, [&](auto space) -> prepare_outcome {
    using Space = decltype(space);
    if constexpr (!Kokkos::SpaceAccessibility<Kokkos::HostSpace,
                                              typename Space::memory_space>::accessible) {
      return {nullptr, "the reference runs on host backends only"};
    } else {
      auto launch = [](const attention_args<T>& a) { reference_attention<T>(a); };
      return {std::make_unique<attention_instance<T, Space>>(s, ctx.copies, launch), {}};
    }
  });
}

}  // namespace

prepare_outcome prepare_attention_reference(const attention_shape& s, dtype t,
                                            const launch_context& ctx) {
  return t == dtype::f32 ? prepare_for<float>(s, ctx) : prepare_for<double>(s, ctx);
}

}  // namespace ridgeline::kernels
