#pragma once
// One case as every layer below the front ends takes it: the kernel and variant resolved, the
// dtype and the problem parsed. A front end builds it once from its arguments
// (service/case_request.hpp); text exists only at the edges (console, JSON, database, argv).
#include "kernels/dtype.hpp"
#include "kernels/kernel.hpp"

namespace ridgeline::kernels {

struct kernel_case {
  const kernel* k = nullptr;
  const variant* v = nullptr;
  dtype type = dtype::f32;
  problem values;  // every field, defaults filled in (kernel::parse_problem / make_problem)
};

}  // namespace ridgeline::kernels
