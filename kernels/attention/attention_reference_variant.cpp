// The `reference` attention variant: the check's oracle, timed like any other variant (host only).
#include "kernels/attention/attention_instance.hpp"
#include "kernels/attention/attention_variants.hpp"
#include "kernels/reference_variant.hpp"

namespace ridgeline::kernels {

prepare_outcome prepare_attention_reference(const attention_shape& s, dtype t,
                                            const launch_context& ctx) {
  return prepare_reference<attention_instance>(s, t, ctx,
                                               [](const auto& a) { reference_attention(a); });
}

}  // namespace ridgeline::kernels
