#pragma once
// A measurement filled by hand with round numbers, shared by the JSON and console tests.
#include "profiler/measurement.hpp"

namespace ridgeline::profiler::test {

// median 2 ms; 4e9 FLOP (3e9 f32 SIMT + 1e9 f16 tensor); 1e9 minimal DRAM bytes
// -> 2 TFLOP/s, 500 GB/s, AI 4.
inline measurement sample_measurement() {
  measurement m;
  m.kernel = "gemm";
  m.variant = "kokkos_tiled";
  m.dtype = "f32";
  m.backend = "OpenMP";
  m.problem = {{"m", 257, true}, {"n", 129, true}, {"k", 31, true}, {"alpha", 0.5, false}};
  m.params = {{"tile_m", "64"}, {"layout", "row"}};
  m.outcome = status::ok;

  timing_result t;
  t.samples = {0.002, 0.0015, 0.003, 0.002};
  t.summary.count = 4;
  t.summary.median = 0.002;
  t.summary.min = 0.0015;
  t.summary.max = 0.003;
  t.summary.mean = 0.002125;
  t.summary.q1 = 0.001875;
  t.summary.q3 = 0.00225;
  t.summary.relative_spread = 0.1875;
  t.batch = 3;
  t.warmup_launches = 25;
  t.warmup_seconds = 0.0625;
  t.stopped = stop_reason::time_cap;
  t.timer = "std::chrono::steady_clock (tick 1e-09 s), host-side, fenced";
  m.timing = t;

  m.work.flops = {{"f32", "simt", 3000000000}, {"f16", "tensor", 1000000000}};
  m.work.bytes = {{"dram", 1000000000}, {"l2", 4000000000}};
  m.counts_source = "analytic";

  check_result c;
  c.passed = true;
  c.reference = "naive f64 GEMM";
  c.bound = "k * eps(f32) * sum |a||b|";
  c.max_abs_error = 1.5e-06;
  c.max_error_over_bound = 0.25;
  c.elements = 33153;
  c.bad_elements = 0;
  c.seed = 18446744073709551615ull;  // uint64 max: encoded as a plain, exact JSON integer
  m.check = c;

  m.rotation = {86, true, 786432, "host_llc", 32u << 20};
  m.provenance = {
      {"date", "2026-11-26T07:12:03Z"}, {"host", "testhost"}, {"ridgeline_version", "0.1.0"}};
  return m;
}

}  // namespace ridgeline::profiler::test
