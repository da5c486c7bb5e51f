#include "kernels/moe/moe_shape.hpp"

#include <fmt/format.h>

#include "core/error.hpp"

namespace ridgeline::kernels {

namespace {

double get_or(const problem& p, const std::string& name, double fallback) {
  for (const auto& v : p) {
    if (v.name == name) return v.value;
  }
  return fallback;
}

}  // namespace

std::vector<problem_field> moe_problem_fields() {
  return {
      {"tokens", true, 1, std::nullopt, "tokens T (1 = decode, thousands = prefill)"},
      {"experts", true, 1, std::nullopt, "routed experts E"},
      {"top_k", true, 1, std::nullopt, "experts per token k"},
      {"groups", true, 1, 1.0, "expert groups (DeepSeek group-limited routing; 1 = none)"},
      {"topk_groups", true, 1, 1.0, "groups a token may route into"},
      {"scoring", true, 0, 0.0, "score function: 0 = softmax, 1 = sigmoid"},
      {"renormalize", true, 0, 1.0, "1 = renormalise the k weights to sum 1, 0 = keep scores"},
      {"routed_scale", false, 1e-300, 1.0, "factor on the final weights (DeepSeek-V3: 2.5)"},
      {"routing", true, 0, 0.0,
       "router logits drawn: 0 = random, 1 = all equal (ties), 2 = one expert far ahead"},
      {"hidden", true, 1, std::nullopt, "hidden size h (rows of x)"},
      {"intermediate", true, 1, std::nullopt, "expert intermediate size I"},
      {"block", true, 1, 64.0, "GEMM block size each expert's rows are padded to"},
  };
}

moe_shape to_moe_shape(const problem& p) {
  moe_shape s;
  s.tokens = static_cast<std::int64_t>(get_or(p, "tokens", 1));
  s.experts = static_cast<std::int64_t>(get_or(p, "experts", 1));
  s.top_k = static_cast<std::int64_t>(get_or(p, "top_k", 1));
  s.groups = static_cast<std::int64_t>(get_or(p, "groups", 1));
  s.topk_groups = static_cast<std::int64_t>(get_or(p, "topk_groups", 1));
  s.scoring = get_or(p, "scoring", 0) == 1 ? moe_scoring::sigmoid : moe_scoring::softmax;
  s.renormalize = get_or(p, "renormalize", 1) != 0;
  s.routed_scale = get_or(p, "routed_scale", 1);
  s.pattern = static_cast<moe_routing_pattern>(static_cast<int>(get_or(p, "routing", 0)));
  s.hidden = static_cast<std::int64_t>(get_or(p, "hidden", 1));
  s.intermediate = static_cast<std::int64_t>(get_or(p, "intermediate", 1));
  s.block = static_cast<std::int64_t>(get_or(p, "block", 1));
  return s;
}

void validate_moe(const problem& p) {
  const moe_shape s = to_moe_shape(p);
  auto fail = [](const std::string& text) { throw usage_error("--problem: " + text); };
  if (get_or(p, "scoring", 0) > 1) fail("scoring must be 0 (softmax) or 1 (sigmoid)");
  if (get_or(p, "renormalize", 1) > 1) fail("renormalize must be 0 or 1");
  if (get_or(p, "routing", 0) > 2) fail("routing must be 0 (random), 1 (tied) or 2 (hot)");
  if (s.top_k > s.experts) {
    fail(fmt::format("top_k must be <= experts (got top_k={}, experts={})", s.top_k, s.experts));
  }
  if (s.experts % s.groups != 0) {
    fail(fmt::format("experts must be a multiple of groups (got experts={}, groups={})", s.experts,
                     s.groups));
  }
  if (s.topk_groups > s.groups) {
    fail(fmt::format("topk_groups must be <= groups (got topk_groups={}, groups={})", s.topk_groups,
                     s.groups));
  }
  if (s.groups > 1 && s.top_k > s.topk_groups * s.experts_per_group()) {
    fail(fmt::format("top_k must be <= topk_groups * experts/groups = {} (got top_k={})",
                     s.topk_groups * s.experts_per_group(), s.top_k));
  }
  // Slots and expert-ordered rows are indexed with 32-bit integers on the device.
  if (static_cast<double>(s.max_padded_rows()) >= 2147483647.0) {
    fail(fmt::format("tokens*top_k plus block padding must be < 2^31 (got {})",
                     s.max_padded_rows()));
  }
}

}  // namespace ridgeline::kernels
