#pragma once
// Buffers of one mixed-precision GEMM launch: A and B in a 16-bit input type (bf16, f16), C in f32
// (the accumulator: dtype.hpp's accumulator_of), `copies` rotated sets in the space's memory.
// The check widens the rounded inputs to f32 (exactly) and compares C with the f64 reference of
// those rounded inputs, under the f32-accumulation bound of gemm_reference.hpp: every product of
// two 8- or 11-bit significands is exact in f32, so only the accumulation rounds.
// `Convert` supplies `static In round(float)` (round to nearest even) and `static float
// widen(In)`, from the vendor's own headers (cuda_bf16.h, cuda_fp16.h).
#include <Kokkos_Core.hpp>
#include <cstdint>
#include <functional>
#include <limits>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "kernels/gemm/gemm_args.hpp"
#include "kernels/gemm/gemm_reference.hpp"
#include "kernels/kernel.hpp"

namespace ridgeline::kernels {

template <class In>
struct gemm_mixed_args {
  int m = 0, n = 0, k = 0;
  float alpha = 1, beta = 0;
  const In* a = nullptr;  // m x k, row stride lda
  std::int64_t lda = 0;
  const In* b = nullptr;  // k x n, row stride ldb
  std::int64_t ldb = 0;
  float* c = nullptr;  // m x n, row stride ldc; not read when beta == 0
  std::int64_t ldc = 0;
};

template <class In, class Convert, class Space>
class gemm_mixed_instance final : public kernel_instance {
 public:
  using in_view = Kokkos::View<In*, typename Space::memory_space>;
  using out_view = Kokkos::View<float*, typename Space::memory_space>;
  using launcher = std::function<void(const gemm_mixed_args<In>&)>;

  gemm_mixed_instance(const gemm_shape& s, std::size_t copies, std::string input_name,
                      launcher launch, std::vector<std::pair<std::string, std::string>> provenance)
      : shape_(s),
        copies_(copies),
        input_name_(std::move(input_name)),
        launch_(std::move(launch)),
        provenance_(std::move(provenance)),
        a_(Kokkos::ViewAllocateWithoutInitializing("ridgeline::gemm::A"), copies * size_a()),
        b_(Kokkos::ViewAllocateWithoutInitializing("ridgeline::gemm::B"), copies * size_b()),
        c_(Kokkos::ViewAllocateWithoutInitializing("ridgeline::gemm::C"), copies * size_c()) {}

  void launch(std::size_t copy) override { launch_(args(copy)); }
  void fence() override { Kokkos::fence(); }
  std::size_t copies() const override { return copies_; }
  std::vector<std::pair<std::string, std::string>> provenance() const override {
    return provenance_;
  }

  void fill_inputs(std::uint64_t seed) override {
    std::mt19937_64 rng(seed);
    fill_inputs_random(a_, rng);
    fill_inputs_random(b_, rng);
    fill_c_random(rng);  // C is an input too when beta != 0
  }

  profiler::check_result check() override {
    const std::vector<float> host_a = widened(a_, size_a());
    const std::vector<float> host_b = widened(b_, size_b());
    std::vector<float> host_c0;
    if (shape_.beta == 0) {
      // C is not read when beta == 0: NaN poison proves it, and that every element was written.
      Kokkos::deep_copy(Kokkos::subview(c_, std::make_pair(std::size_t(0), size_c())),
                        std::numeric_limits<float>::quiet_NaN());
    } else {
      host_c0 = host_copy(c_, size_c());
    }
    launch(0);
    Kokkos::fence();
    const std::vector<float> host_c = host_copy(c_, size_c());
    profiler::check_result r =
        compare_with_reference<float>(shape_, host_a.data(), host_b.data(),
                                      host_c0.empty() ? nullptr : host_c0.data(), host_c.data());
    r.reference = "naive GEMM in f64 of the " + input_name_ + "-rounded inputs";
    r.bound += " (f32 accumulation; " + input_name_ + " products are exact in f32)";
    return r;
  }

 private:
  std::size_t size_a() const { return std::size_t(shape_.m) * std::size_t(shape_.k); }
  std::size_t size_b() const { return std::size_t(shape_.k) * std::size_t(shape_.n); }
  std::size_t size_c() const { return std::size_t(shape_.m) * std::size_t(shape_.n); }

  gemm_mixed_args<In> args(std::size_t copy) const {
    gemm_mixed_args<In> g;
    g.m = shape_.m;
    g.n = shape_.n;
    g.k = shape_.k;
    g.alpha = static_cast<float>(shape_.alpha);
    g.beta = static_cast<float>(shape_.beta);
    g.a = a_.data() + copy * size_a();
    g.lda = shape_.k;
    g.b = b_.data() + copy * size_b();
    g.ldb = shape_.n;
    g.c = c_.data() + copy * size_c();
    g.ldc = shape_.n;
    return g;
  }

  // Uniform in [-1, 1), rounded to the input type, never zero after rounding (zeros would hide
  // dropped terms).
  static void fill_inputs_random(const in_view& v, std::mt19937_64& rng) {
    auto host = Kokkos::create_mirror_view(v);
    std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
    for (std::size_t i = 0; i < host.extent(0); ++i) {
      In x = Convert::round(dist(rng));
      while (Convert::widen(x) == 0.0f) x = Convert::round(dist(rng));
      host(i) = x;
    }
    Kokkos::deep_copy(v, host);
  }

  void fill_c_random(std::mt19937_64& rng) {
    auto host = Kokkos::create_mirror_view(c_);
    std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
    for (std::size_t i = 0; i < host.extent(0); ++i) {
      float x = dist(rng);
      while (x == 0.0f) x = dist(rng);
      host(i) = x;
    }
    Kokkos::deep_copy(c_, host);
  }

  // Copy 0 of an input buffer, widened to f32 (exact).
  static std::vector<float> widened(const in_view& v, std::size_t count) {
    auto sub = Kokkos::subview(v, std::make_pair(std::size_t(0), count));
    auto host = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), sub);
    std::vector<float> out(count);
    for (std::size_t i = 0; i < count; ++i) out[i] = Convert::widen(host(i));
    return out;
  }

  static std::vector<float> host_copy(const out_view& v, std::size_t count) {
    std::vector<float> out(count);
    Kokkos::View<float*, Kokkos::HostSpace, Kokkos::MemoryTraits<Kokkos::Unmanaged>> dst(out.data(),
                                                                                         count);
    Kokkos::deep_copy(dst, Kokkos::subview(v, std::make_pair(std::size_t(0), count)));
    return out;
  }

  gemm_shape shape_;
  std::size_t copies_;
  std::string input_name_;
  launcher launch_;
  std::vector<std::pair<std::string, std::string>> provenance_;
  in_view a_, b_;
  out_view c_;
};

}  // namespace ridgeline::kernels
