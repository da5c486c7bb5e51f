// The MoE layer on a caller's arrays (on_arrays.hpp): the problem from the shape (routing pattern
// "random": it only says how `ridgeline run` draws logits, and the caller brings its own), x and
// the weights in, out (and optionally logits and the routing) out.

#include "kernels/on_arrays.hpp"

namespace ridgeline::kernels {

array_result moe_layer_on_arrays(const runtime& rt, dtype t, const moe_shape& s,
                                 const moe_layer_arrays& in, const array_call& call) {
  const auto e = static_cast<std::int64_t>(size_of(t));
  const std::int64_t T = s.tokens, E = s.experts, h = s.hidden, I = s.intermediate;
  auto bytes = [](std::int64_t n) { return static_cast<std::size_t>(n); };
  array_request r;
  r.kernel = "moe_layer";
  r.type = t;
  r.problem = {{"tokens", double(T)},
               {"experts", double(E)},
               {"top_k", double(s.top_k)},
               {"groups", double(s.groups)},
               {"topk_groups", double(s.topk_groups)},
               {"scoring", s.scoring == moe_scoring::sigmoid ? 1.0 : 0.0},
               {"renormalize", s.renormalize ? 1.0 : 0.0},
               {"routed_scale", s.routed_scale},
               {"routing", 0.0},
               {"hidden", double(h)},
               {"intermediate", double(I)},
               {"block", double(s.block)}};
  r.call = call;
  r.arrays = {{"x", in.x, nullptr, bytes(T * h * e)},
              {"router", in.router, nullptr, bytes(h * E * e)},
              {"w_gate", in.w_gate, nullptr, bytes(E * h * I * e)},
              {"w_up", in.w_up, nullptr, bytes(E * h * I * e)},
              {"w_down", in.w_down, nullptr, bytes(E * I * h * e)},
              {"out", nullptr, in.out, bytes(T * h * e)}};
  if (in.logits) r.arrays.push_back({"logits", nullptr, in.logits, bytes(T * E * e)});
  if (in.topk_ids) {
    r.arrays.push_back({"topk_ids", nullptr, in.topk_ids,
                        bytes(T * s.top_k * std::int64_t(sizeof(std::int32_t)))});
  }
  if (in.topk_weights) {
    r.arrays.push_back({"topk_weights", nullptr, in.topk_weights, bytes(T * s.top_k * e)});
  }
  return run_on_arrays(rt, r);
}

}  // namespace ridgeline::kernels
