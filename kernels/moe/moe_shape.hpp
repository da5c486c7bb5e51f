#pragma once
// The MoE problem, shared by every moe_* kernel (host-only, no Kokkos): the fields, their
// cross-field rules, and the sizes derived from them. One set of fields for all stages, so a
// preset (configs/problems/*.yaml) names one problem and each stage takes the part it needs.
#include <cstdint>
#include <string>
#include <vector>

#include "kernels/kernel.hpp"

namespace ridgeline::kernels {

enum class moe_scoring { softmax = 0, sigmoid = 1 };
// How the router logits are drawn (tests craft the edge cases through this).
enum class moe_routing_pattern { random = 0, tied = 1, hot = 2 };

struct moe_shape {
  std::int64_t tokens = 1, experts = 1, top_k = 1, hidden = 1, intermediate = 1;
  std::int64_t groups = 1, topk_groups = 1, block = 1;
  moe_scoring scoring = moe_scoring::softmax;
  bool renormalize = true;
  double routed_scale = 1.0;
  moe_routing_pattern pattern = moe_routing_pattern::random;

  std::int64_t slots() const { return tokens * top_k; }
  std::int64_t experts_per_group() const { return experts / groups; }
  // Experts that can receive a token: all of them once T*k >= E, else at most T*k.
  std::int64_t max_active_experts() const { return slots() < experts ? slots() : experts; }
  // Rows of the expert-ordered buffers: every slot, plus at most block-1 padding rows per active
  // expert (an expert without tokens gets no rows: vLLM's moe_align_block_size bound).
  std::int64_t max_padded_rows() const { return slots() + max_active_experts() * (block - 1); }
};

// The fields of every moe_* kernel. `scoring`, `renormalize` and `routing` are numbers because
// problem fields are numeric (0 = softmax, 1 = sigmoid; 0/1; 0 random, 1 tied, 2 hot); the preset
// files accept the words.
std::vector<problem_field> moe_problem_fields();
moe_shape to_moe_shape(const problem& p);
// usage_error naming the field: top_k > experts, experts not a multiple of groups, topk_groups >
// groups, top_k > the experts of the chosen groups, scoring/routing/renormalize out of range.
void validate_moe(const problem& p);

}  // namespace ridgeline::kernels
