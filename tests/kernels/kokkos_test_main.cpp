// One Kokkos runtime for the whole test binary (Kokkos initializes once per process).
#include <gtest/gtest.h>

#include "kernels/runtime.hpp"
#include "tests/kernels/test_support.hpp"

namespace ridgeline::test {

const kernels::runtime* g_runtime = nullptr;

const kernels::runtime& rt() {
  return *g_runtime;
}

std::vector<std::string> backend_ids() {
  std::vector<std::string> ids;
  for (const auto& b : rt().backends()) {
    if (b.host) ids.push_back(b.id);  // device backends are exercised by scripts/device-check.sh
  }
  return ids;
}

}  // namespace ridgeline::test

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  // Listing the tests (ctest's discovery) must not need a device: a CUDA build is compiled and
  // linked on machines without a GPU, where initializing Kokkos would abort.
  if (::testing::GTEST_FLAG(list_tests)) return RUN_ALL_TESTS();
  ridgeline::kernels::runtime runtime;
  ridgeline::test::g_runtime = &runtime;
  return RUN_ALL_TESTS();
}
