// GEMM on a caller's arrays (on_arrays.hpp): the problem from the shape, a, b (and c when
// beta != 0) in, c out.
#include "kernels/on_arrays.hpp"

namespace ridgeline::kernels {

array_result gemm_on_arrays(const runtime& rt, dtype t, const gemm_shape& s, const void* a,
                            const void* b, void* c, const array_call& call) {
  const std::size_t e = size_of(t);
  const std::size_t m = static_cast<std::size_t>(s.m), n = static_cast<std::size_t>(s.n),
                    k = static_cast<std::size_t>(s.k);
  array_request r;
  r.kernel = "gemm";
  r.type = t;
  r.problem = {{"m", double(s.m)},
               {"n", double(s.n)},
               {"k", double(s.k)},
               {"alpha", s.alpha},
               {"beta", s.beta}};
  r.call = call;
  r.arrays = {{"a", a, nullptr, m * k * e}, {"b", b, nullptr, k * n * e}, {"c", c, c, m * n * e}};
  return run_on_arrays(rt, r);
}

}  // namespace ridgeline::kernels
