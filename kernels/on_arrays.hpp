#pragma once
// Kernels run on a caller's arrays (the Python package's rl.kernels.gemm/attention/moe_layer), so
// users can validate Ridgeline's kernels against their own framework. The variant is prepared
// exactly as `ridgeline run` prepares it (same default configuration per backend, same parameter
// space validating the overrides, same launch code), with one buffer copy; the caller's host arrays
// are copied into its buffers, it is launched once and fenced, and the outputs are copied back.
// Host-only header: no Kokkos (the copies live in on_arrays.cpp).
//
// Arrays are dense, row-major (C order), host memory, of the request's dtype (indices: int32).
// Like run_kernel, a call launches Kokkos work: callers on several threads serialise the calls
// (the Python bindings hold kokkos_lock(), python/src/bindings.hpp).
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/key_value.hpp"
#include "kernels/attention/attention_args.hpp"
#include "kernels/dtype.hpp"
#include "kernels/gemm/gemm_args.hpp"
#include "kernels/kernel.hpp"
#include "kernels/moe/moe_shape.hpp"

namespace ridgeline::kernels {

class runtime;

// Which variant, configuration and backend run the call.
struct array_call {
  std::string variant;    // empty = the kernel's first variant (its tuned Kokkos one)
  key_value_list params;  // overrides of the variant's default configuration on the backend
  std::string backend;    // empty = Kokkos' default execution space
};

// What ran: the variant, the backend and the whole configuration (axis order, values formatted
// as `--params` takes them).
struct array_result {
  std::string variant;
  std::string backend;
  key_value_list params;
};

// C = alpha*A*B + beta*C. a [m,k], b [k,n], c [m,n]; c is read only when beta != 0.
array_result gemm_on_arrays(const runtime& rt, dtype t, const gemm_shape& s, const void* a,
                            const void* b, void* c, const array_call& call);

// O = softmax(Q Kᵀ·scale [+ causal mask]) V with the layout and causal convention of
// attention_args.hpp: q, o [batch,hq,sq,d], k, v [batch,hkv,skv,d]. scale: absent = 1/sqrt(d).
array_result attention_on_arrays(const runtime& rt, dtype t, const attention_shape& s,
                                 std::optional<double> scale, const void* q, const void* k,
                                 const void* v, void* o, const array_call& call);

// The MoE layer (moe_shape.hpp, docs/design.md "MoE routing"): logits = x·router, scores, top-k
// (group-limited when groups > 1), weights, and out[t] = sum_j w[t,j] · MLP_e(j)(x[t]) with
// MLP_e(z) = (SiLU(z·w_gate[e]) ⊙ (z·w_up[e]))·w_down[e]. Outputs other than `out` are optional.
struct moe_layer_arrays {
  const void* x = nullptr;           // [tokens, hidden]
  const void* router = nullptr;      // [hidden, experts]
  const void* w_gate = nullptr;      // [experts, hidden, intermediate]
  const void* w_up = nullptr;        // [experts, hidden, intermediate]
  const void* w_down = nullptr;      // [experts, intermediate, hidden]
  void* out = nullptr;               // [tokens, hidden]
  void* logits = nullptr;            // [tokens, experts] (optional)
  std::int32_t* topk_ids = nullptr;  // [tokens, top_k], best first (optional)
  void* topk_weights = nullptr;      // [tokens, top_k] (optional)
};
array_result moe_layer_on_arrays(const runtime& rt, dtype t, const moe_shape& s,
                                 const moe_layer_arrays& arrays, const array_call& call);

// --- the engine the three entry points share ----------------------------------------------------

// One caller array bound to the instance operand of the same name (kernel.hpp instance_operand).
struct host_array {
  std::string name;
  const void* in = nullptr;  // copied in when the operand is an input or inout
  void* out = nullptr;       // receives the operand when it is an output or inout (null: unwanted)
  std::size_t bytes = 0;     // must equal the operand's size
};

struct array_request {
  std::string kernel;
  dtype type = dtype::f32;
  // The kernel's problem fields as numbers (a typed shape's): checked like `--problem`, never
  // printed to text and parsed back.
  std::vector<std::pair<std::string, double>> problem;
  array_call call;
  std::vector<host_array> arrays;
  // Adjusts the prepared instance before the launch (attention's softmax scale); may be empty.
  std::function<void(kernel_instance&, const std::string& backend)> configure;
};

// Usage errors (unknown variant, bad params, an invalid configuration) throw usage_error naming
// `variant` or `params`; a variant unavailable here, not enough memory or a failed launch throw
// runtime_error; arrays that do not match the instance's operands are a caller bug (logic_error).
array_result run_on_arrays(const runtime& rt, const array_request& request);

}  // namespace ridgeline::kernels
