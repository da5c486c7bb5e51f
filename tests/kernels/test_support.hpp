#pragma once
#include <string>
#include <vector>

#include "kernels/run.hpp"
#include "kernels/runtime.hpp"
#include "service/case_request.hpp"

namespace ridgeline::test {

const kernels::runtime& rt();
// Host backends of this build ("openmp", "serial").
std::vector<std::string> backend_ids();

// A check-only request (no timing): the unit tests are about correctness, not speed.
// The case's words are parsed as the CLI parses them (service::run_request_for): usage errors are
// thrown here, naming the option.
inline kernels::run_request kernel_check_request(
    const std::string& kernel, const std::string& variant, const std::string& dtype,
    const std::string& problem, const std::string& backend, const std::string& params = "") {
  service::case_text text;
  text.kernel = kernel;
  text.variant = variant;
  text.dtype = dtype;
  text.problem = parse_key_value_list(problem, "--problem");
  kernels::run_request r =
      service::run_request_for(rt(), text, parse_key_value_list(params, "--params"), backend);
  r.check = true;
  r.time = false;
  return r;
}

// The same for GEMM, the kernel most tests are about.
inline kernels::run_request check_request(const std::string& variant, const std::string& dtype,
                                          const std::string& problem, const std::string& backend,
                                          const std::string& params = "") {
  return kernel_check_request("gemm", variant, dtype, problem, backend, params);
}

}  // namespace ridgeline::test
