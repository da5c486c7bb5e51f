#pragma once
#include <string>
#include <vector>

#include "kernels/run.hpp"
#include "kernels/runtime.hpp"

namespace ridgeline::test {

const kernels::runtime& rt();
// Host backends of this build ("openmp", "serial").
std::vector<std::string> backend_ids();

// A check-only request (no timing): the unit tests are about correctness, not speed.
inline kernels::run_request check_request(const std::string& variant, const std::string& dtype,
                                          const std::string& problem, const std::string& backend,
                                          const std::string& params = "") {
  kernels::run_request r;
  r.kernel = "gemm";
  r.variant = variant;
  r.dtype = dtype;
  r.problem = parse_key_value_list(problem, "--problem");
  r.params = parse_key_value_list(params, "--params");
  r.backend = backend;
  r.check = true;
  r.time = false;
  return r;
}

}  // namespace ridgeline::test
