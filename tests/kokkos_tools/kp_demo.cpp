// A small Kokkos application for the connector's end-to-end test (test_kokkos_tools.sh): three
// labelled kernels — a triad parallel_for, a dot parallel_reduce and a prefix-sum parallel_scan —
// each launched REPEAT times on vectors of N doubles. It knows nothing of Ridgeline. Its stdout
// holds only results (never times), so it must be byte-identical with and without a tool loaded.
// Inputs are small integers, so every result is exact in double and checked against an integer
// reference; a wrong result exits 1.
// Usage: kp_demo N REPEAT
#include <Kokkos_Core.hpp>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

// A named namespace, not an anonymous one: CUDA's extended lambdas may not live in a function
// with internal linkage.
namespace kp_demo {

std::int64_t b_of(std::int64_t i) {
  return i % 7;
}
std::int64_t c_of(std::int64_t i) {
  return i % 5;
}

int run(std::int64_t n, int repeat) {
  const double scale = 3;
  Kokkos::View<double*> a("a", n), b("b", n), c("c", n), prefix("prefix", n);
  Kokkos::parallel_for(
      "kp_demo::fill", n, KOKKOS_LAMBDA(std::int64_t i) {
        b(i) = static_cast<double>(i % 7);
        c(i) = static_cast<double>(i % 5);
      });
  double dot = 0, last = 0;
  for (int r = 0; r < repeat; ++r) {
    Kokkos::parallel_for(
        "kp_demo::triad", n, KOKKOS_LAMBDA(std::int64_t i) { a(i) = b(i) + scale * c(i); });
    Kokkos::parallel_reduce(
        "kp_demo::dot", n, KOKKOS_LAMBDA(std::int64_t i, double& sum) { sum += a(i) * b(i); }, dot);
    Kokkos::parallel_scan(
        "kp_demo::prefix_sum", n,
        KOKKOS_LAMBDA(std::int64_t i, double& partial, bool final) {
          partial += c(i);
          if (final) prefix(i) = partial;
        },
        last);
  }
  Kokkos::fence();
  // The integer reference (exact: every value stays far below 2^53).
  std::int64_t dot_ref = 0, sum_ref = 0;
  for (std::int64_t i = 0; i < n; ++i) {
    dot_ref += (b_of(i) + 3 * c_of(i)) * b_of(i);
    sum_ref += c_of(i);
  }
  double prefix_last = 0;
  Kokkos::deep_copy(prefix_last, Kokkos::subview(prefix, n - 1));
  std::printf("n=%lld repeat=%d dot=%.17g prefix_last=%.17g total=%.17g\n",
              static_cast<long long>(n), repeat, dot, prefix_last, last);
  if (dot != static_cast<double>(dot_ref) || prefix_last != static_cast<double>(sum_ref) ||
      last != static_cast<double>(sum_ref)) {
    std::fprintf(stderr, "kp_demo: wrong result (expected dot=%lld, prefix_last=%lld)\n",
                 static_cast<long long>(dot_ref), static_cast<long long>(sum_ref));
    return 1;
  }
  return 0;
}

}  // namespace kp_demo

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: kp_demo N REPEAT\n");
    return 2;
  }
  const std::int64_t n = std::atoll(argv[1]);
  const int repeat = std::atoi(argv[2]);
  if (n < 1 || repeat < 1) {
    std::fprintf(stderr, "kp_demo: N and REPEAT must be >= 1\n");
    return 2;
  }
  Kokkos::initialize(argc, argv);
  int rc = 0;
  rc = kp_demo::run(n, repeat);
  Kokkos::finalize();
  return rc;
}
