// run_kernel's handling of requests: usage errors name the field, oversized problems are refused
// before allocation, timing fills the record.
#include <gtest/gtest.h>

#include <functional>

#include "core/error.hpp"
#include "profiler/cpu_info.hpp"
#include "tests/kernels/test_support.hpp"
#include "tests/support/expect_error.hpp"

namespace ridgeline::test {
namespace {

template <class E>
void expect_error(const kernels::run_request& r, const std::string& mentions) {
  test::expect_error<E>([&] { (void)kernels::run_kernel(rt(), r); }, {mentions});
}

// The case's words are refused while the request is built (service::run_request_for), before
// anything runs.
template <class... Words>
std::function<void()> request_of(Words... words) {
  return [=] { (void)check_request(words...); };
}

TEST(Run, UsageErrorsNameTheField) {
  expect_usage_error(
      [] { (void)kernel_check_request("gemmm", "kokkos_tiled", "f32", "m=4,n=4,k=4", ""); },
      {"KERNEL: unknown kernel 'gemmm'"});
  expect_usage_error(request_of("fast", "f32", "m=4,n=4,k=4", ""), {"--variant"});
  expect_usage_error(request_of("kokkos_tiled", "fp8", "m=4,n=4,k=4", ""), {"--dtype"});
  expect_usage_error(request_of("kokkos_tiled", "f32", "m=0,n=4,k=4", ""),
                     {"--problem: m must be >= 1 (got 0)"});
  expect_usage_error(request_of("kokkos_tiled", "f32", "m=-3,n=4,k=4", ""),
                     {"--problem: m must be >= 1"});
  expect_usage_error(request_of("kokkos_tiled", "f32", "m=4,n=4", ""), {"--problem: missing 'k'"});
  expect_usage_error(request_of("kokkos_tiled", "f32", "m=4,n=4,k=4,q=1", ""),
                     {"unknown field 'q'"});
  expect_usage_error(request_of("kokkos_tiled", "f32", "m=4,n=4,k=four", ""), {"--problem: k"});
  expect_usage_error(request_of("kokkos_tiled", "f32", "m=4,n=4,k=4", "", "tile=4"),
                     {"--params: unknown axis 'tile'"});
  expect_usage_error(request_of("kokkos_tiled", "f32", "m=4,n=4,k=4", "", "tile_m=x"),
                     {"--params: tile_m"});
  expect_usage_error(request_of("kokkos_tiled", "f32", "m=4,n=4,k=4", "", "stage=l3"),
                     {"stage must be one of"});
  expect_usage_error(request_of("vendor", "f32", "m=4,n=4,k=4", "", "tile_m=8"),
                     {"no tunable axes"});
  expect_usage_error(request_of("kokkos_tiled", "f32", "m=4,n=4,k=4", "quantum"), {"--backend"});
  expect_usage_error(request_of("kokkos_tiled", "f32", "m=3000000000,n=4,k=4", ""), {"2^31"});
}

TEST(Run, RefusesProblemsThatDoNotFitBeforeAllocating) {
  // 3 x (2^20)^2 x 4 bytes = 12 TiB: refused with a runtime error, nothing allocated.
  expect_error<runtime_error>(
      check_request("kokkos_tiled", "f32", "m=1048576,n=1048576,k=1048576", ""), "GiB available");
}

TEST(Run, TimedRunFillsTheRecord) {
  auto r = check_request("kokkos_tiled", "f64", "m=64,n=48,k=80", "");
  r.time = true;
  r.seed = 99;
  r.harness.max_seconds = 0.05;
  r.harness.warmup_seconds = 0.005;
  const profiler::measurement m = kernels::run_kernel(rt(), r);
  ASSERT_EQ(m.outcome, profiler::status::ok) << m.reason;
  ASSERT_TRUE(m.timing.has_value());
  EXPECT_GT(m.timing->summary.median, 0);
  EXPECT_GE(m.timing->samples.size(), 1u);
  EXPECT_GT(m.rotation.copies, 1u);  // 70 KiB working set fits the LLC: inputs are rotated
  // Sized against the cache of the device that ran it: the host's LLC for a host backend, the
  // GPU's own L2 otherwise (profiler::rotation_cache_for).
  const kernels::backend_info b = rt().backend(r.backend);
  EXPECT_EQ(m.rotation.cache, b.host ? "host_llc" : "device_l2");
  if (b.host) {
    EXPECT_EQ(m.rotation.cache_bytes, profiler::this_cpu().last_level_cache_bytes());
  } else {
    EXPECT_EQ(m.rotation.cache_bytes, b.l2_cache_bytes);
  }
  const auto d = profiler::derive(m);
  EXPECT_GT(d.flop_per_s, 0);
  EXPECT_DOUBLE_EQ(d.arithmetic_intensity,
                   2.0 * 64 * 48 * 80 / (8.0 * (64 * 80 + 80 * 48 + 64 * 48)));
  bool has_seed = false, has_kokkos = false;
  for (const auto& [key, value] : m.provenance) {
    has_seed = has_seed || (key == "input_seed" && value == "99");
    has_kokkos = has_kokkos || key == "kokkos_version";
  }
  EXPECT_TRUE(has_seed);
  EXPECT_TRUE(has_kokkos);
  EXPECT_EQ(m.counts_source, "analytic");
}

}  // namespace
}  // namespace ridgeline::test
