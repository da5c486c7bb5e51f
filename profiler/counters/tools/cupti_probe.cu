// cupti_probe: validates the CUPTI counter backend on a GPU without Kokkos. Two kernels whose
// FLOPs are known exactly — a register FFMA chain and a naive SGEMM (K FFMAs per C element) —
// run through the same counter pass `ridgeline run --counters cupti` uses, and the counted
// values are printed next to the exact ones. Build (profiler/counters/tools/build-cupti-probe):
//   nvcc -arch=sm_90 ... cupti_probe.cu libridgeline_profiler.a ...
// Run: cupti_probe [M N K]   (exit 0 when every FLOP ratio is within 0.1%)
#include <cuda_runtime.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "profiler/counters/counter_pass.hpp"

namespace rc = ridgeline::profiler::counters;

__global__ void ffma_chain(float* out, int iters) {
  float a = threadIdx.x * 1e-3f, b = 1.0001f, c = 0.999f, d = 1e-4f;
  for (int i = 0; i < iters; ++i) {
    a = fmaf(a, b, d);
    c = fmaf(c, b, d);
  }
  out[blockIdx.x * blockDim.x + threadIdx.x] = a + c;  // one FADD per thread
}

__global__ void sgemm_naive(int m, int n, int k, const float* a, const float* b, float* c) {
  const int row = blockIdx.y * blockDim.y + threadIdx.y;
  const int col = blockIdx.x * blockDim.x + threadIdx.x;
  if (row >= m || col >= n) return;
  float acc = 0.f;
  for (int p = 0; p < k; ++p) acc = fmaf(a[row * k + p], b[p * n + col], acc);
  c[row * n + col] = acc;
}

struct lambda_workload : ridgeline::profiler::workload {
  explicit lambda_workload(void (*f)(void*), void* arg) : f_(f), arg_(arg) {}
  void launch(std::size_t) override { f_(arg_); }
  void fence() override { cudaDeviceSynchronize(); }
  std::size_t copies() const override { return 1; }
  void (*f_)(void*);
  void* arg_;
};

struct ffma_args {
  float* out;
  int blocks, threads, iters;
};
void launch_ffma(void* p) {
  auto* a = static_cast<ffma_args*>(p);
  ffma_chain<<<a->blocks, a->threads>>>(a->out, a->iters);
}

struct gemm_args {
  int m, n, k;
  float *a, *b, *c;
};
void launch_gemm(void* p) {
  auto* g = static_cast<gemm_args*>(p);
  dim3 block(16, 16), grid((g->n + 15) / 16, (g->m + 15) / 16);
  sgemm_naive<<<grid, block>>>(g->m, g->n, g->k, g->a, g->b, g->c);
}

bool report(const char* name, const rc::counter_pass_result& r, std::uint64_t exact_flops,
            std::uint64_t min_dram) {
  if (!r.counted) {
    std::printf("%s: NO COUNTS: %s\n", name, r.unavailable.c_str());
    return false;
  }
  const auto& c = *r.counted;
  const double ratio = static_cast<double>(c.work.total_flops()) / static_cast<double>(exact_flops);
  std::printf("%s: source=%s replay=%s passes=%zu device=%s file=%s\n", name, c.source.c_str(),
              c.replay.c_str(), c.passes, c.device_id.c_str(), c.metrics_file.c_str());
  std::printf("%s: flops counted=%llu exact=%llu ratio=%.6f\n", name,
              static_cast<unsigned long long>(c.work.total_flops()),
              static_cast<unsigned long long>(exact_flops), ratio);
  for (const auto& b : c.work.bytes)
    std::printf("%s: bytes_%s counted=%llu minimal=%llu\n", name, b.level.c_str(),
                static_cast<unsigned long long>(b.count), static_cast<unsigned long long>(min_dram));
  for (const auto& [k, v] : c.clocks_hz) std::printf("%s: clock_%s_hz=%.6g\n", name, k.c_str(), v);
  if (c.time_s) std::printf("%s: time_s=%.6g\n", name, *c.time_s);
  for (const auto& [k, v] : c.raw) std::printf("%s: raw %s = %.17g\n", name, k.c_str(), v);
  return std::fabs(ratio - 1.0) <= 1e-3;
}

int main(int argc, char** argv) {
  const int m = argc > 3 ? std::atoi(argv[1]) : 1024;
  const int n = argc > 3 ? std::atoi(argv[2]) : 1024;
  const int k = argc > 3 ? std::atoi(argv[3]) : 1024;
  cudaFree(nullptr);  // create the primary context, as Kokkos does
  cudaDeviceProp prop{};
  cudaGetDeviceProperties(&prop, 0);
  std::printf("device: %s (sm_%d%d)\n", prop.name, prop.major, prop.minor);

  rc::counter_request req;
  req.mode = rc::counter_mode::cupti;
  req.device_is_host = false;
  req.device_backend = "Cuda";
  if (const char* d = std::getenv("RIDGELINE_METRICS_DIR")) req.metrics_dir = d;

  bool ok = true;
  {
    ffma_args a{nullptr, 1320, 256, 4096};
    cudaMalloc(&a.out, sizeof(float) * a.blocks * a.threads);
    lambda_workload w(launch_ffma, &a);
    w.launch(0);
    w.fence();
    const std::uint64_t threads = static_cast<std::uint64_t>(a.blocks) * a.threads;
    // 2 FFMA per iteration per thread (2 FLOPs each), + 1 FMUL (threadIdx.x * 1e-3f) and 1 FADD
    // (a + c) per thread: what ncu counted on an H200 (docs/counters.md).
    const std::uint64_t exact = threads * (static_cast<std::uint64_t>(a.iters) * 4 + 2);
    ridgeline::profiler::work_model model;
    model.flops = {{"f32", "simt", exact}};
    model.bytes = {{"dram", threads * 4}};
    ok &= report("ffma_chain", rc::run_counter_pass(w, model, req), exact, threads * 4);
    cudaFree(a.out);
  }
  {
    gemm_args g{m, n, k, nullptr, nullptr, nullptr};
    cudaMalloc(&g.a, sizeof(float) * m * k);
    cudaMalloc(&g.b, sizeof(float) * k * n);
    cudaMalloc(&g.c, sizeof(float) * m * n);
    cudaMemset(g.a, 0, sizeof(float) * m * k);
    cudaMemset(g.b, 0, sizeof(float) * k * n);
    lambda_workload w(launch_gemm, &g);
    w.launch(0);
    w.fence();
    const std::uint64_t exact = 2ull * m * n * k;
    const std::uint64_t minimal = 4ull * (1ull * m * k + 1ull * k * n + 1ull * m * n);
    ridgeline::profiler::work_model model;
    model.flops = {{"f32", "simt", exact}};
    model.bytes = {{"dram", minimal}};
    ok &= report("sgemm_naive", rc::run_counter_pass(w, model, req), exact, minimal);
    cudaFree(g.a);
    cudaFree(g.b);
    cudaFree(g.c);
  }
  std::printf("cupti_probe: %s\n", ok ? "PASS (FLOPs within 0.1%)" : "FAIL");
  return ok ? 0 : 1;
}
