// The check itself must be able to fail: deliberately broken "kernels" built from the reference
// (one term dropped, one term doubled, a row never written, C read although beta == 0) are caught.
#include <gtest/gtest.h>

#include <Kokkos_Core.hpp>
#include <limits>

#include "kernels/gemm/gemm_instance.hpp"

namespace ridgeline::test {
namespace {

using space = Kokkos::DefaultHostExecutionSpace;

template <class T>
profiler::check_result check_with(const kernels::gemm_shape& s,
                                  std::function<void(const kernels::gemm_args<T>&)> launch) {
  kernels::gemm_instance<T, space> inst(s, 1, std::move(launch));
  inst.fill_inputs(12345);
  return inst.check();
}

template <class T>
void broken_kernels_are_caught() {
  const kernels::gemm_shape s{61, 53, 2048, 1.0, 0.0};
  const auto good =
      check_with<T>(s, [](const kernels::gemm_args<T>& g) { kernels::reference_gemm<T>(g); });
  EXPECT_TRUE(good.passed);
  EXPECT_LT(good.max_error_over_bound, 0.05);  // the reference is far inside its own bound

  const auto dropped = check_with<T>(s, [](kernels::gemm_args<T> g) {
    g.k -= 1;  // the last term of every dot product is missing
    kernels::reference_gemm<T>(g);
  });
  EXPECT_FALSE(dropped.passed);
  EXPECT_GT(dropped.bad_elements, dropped.elements / 2);

  const auto doubled = check_with<T>(s, [](const kernels::gemm_args<T>& g) {
    kernels::reference_gemm<T>(g);
    g.c[5 * g.ldc + 7] += g.a[5 * g.lda + 100] * g.b[100 * g.ldb + 7];  // one term counted twice
  });
  EXPECT_FALSE(doubled.passed);
  EXPECT_EQ(doubled.bad_elements, 1u);
  EXPECT_NE(doubled.first_bad.find("C[5,7]"), std::string::npos) << doubled.first_bad;

  const auto unwritten = check_with<T>(s, [](kernels::gemm_args<T> g) {
    g.m -= 1;  // the last row keeps the NaN poison
    kernels::reference_gemm<T>(g);
  });
  EXPECT_FALSE(unwritten.passed);
  EXPECT_EQ(unwritten.bad_elements, static_cast<std::uint64_t>(s.n));

  const auto reads_c = check_with<T>(s, [](kernels::gemm_args<T> g) {
    g.beta = T(1);  // pretends beta == 1: adds the poison
    kernels::reference_gemm<T>(g);
  });
  EXPECT_FALSE(reads_c.passed);
  EXPECT_EQ(reads_c.bad_elements, reads_c.elements);
}

TEST(GemmCheck, CatchesBrokenKernelsF32) {
  broken_kernels_are_caught<float>();
}
TEST(GemmCheck, CatchesBrokenKernelsF64) {
  broken_kernels_are_caught<double>();
}

TEST(GemmCheck, InputsAreRandomAndNeverZero) {
  kernels::gemm_instance<double, space> inst({8, 8, 8, 1.0, 0.0}, 2, [](const auto&) {});
  inst.fill_inputs(7);
  // Reach the inputs through a launch on copy 1: it sees A, B of the second copy.
  double sum_abs = 0;
  int zeros = 0;
  kernels::gemm_instance<double, space> probe({8, 8, 8, 1.0, 0.0}, 2,
                                              [&](const kernels::gemm_args<double>& g) {
                                                for (int i = 0; i < 64; ++i) {
                                                  sum_abs += std::fabs(g.a[i]) + std::fabs(g.b[i]);
                                                  zeros += (g.a[i] == 0) + (g.b[i] == 0);
                                                }
                                              });
  probe.fill_inputs(7);
  probe.launch(1);
  EXPECT_EQ(zeros, 0);
  EXPECT_GT(sum_abs, 128 * 0.25);  // uniform in [-1, 1): mean |x| = 0.5
}

}  // namespace
}  // namespace ridgeline::test
