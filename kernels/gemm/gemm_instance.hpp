#pragma once
// Buffers of one GEMM launch configuration on one execution space: `copies` rotated sets of A, B
// and C in the space's memory, random inputs, the poisoned-output check, and a launch function
// supplied by the variant (tiled Kokkos, OpenBLAS, reference).
#include <Kokkos_Core.hpp>
#include <cstdint>
#include <functional>
#include <limits>
#include <random>
#include <utility>
#include <vector>

#include "kernels/gemm/gemm_args.hpp"
#include "kernels/gemm/gemm_reference.hpp"
#include "kernels/kernel.hpp"

namespace ridgeline::kernels {

template <class T, class Space>
class gemm_instance final : public kernel_instance {
 public:
  using view = Kokkos::View<T*, typename Space::memory_space>;
  using launcher = std::function<void(const gemm_args<T>&)>;

  gemm_instance(const gemm_shape& s, std::size_t copies, launcher launch,
                std::vector<std::pair<std::string, std::string>> provenance = {})
      : shape_(s),
        copies_(copies),
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

  // C is read only when beta != 0 (BLAS convention), so it is an input only then.
  std::vector<instance_operand> operands() override {
    using role = instance_operand::role;
    return {{"a", a_.data(), size_a() * sizeof(T), role::input},
            {"b", b_.data(), size_b() * sizeof(T), role::input},
            {"c", c_.data(), size_c() * sizeof(T), shape_.beta == 0 ? role::output : role::inout}};
  }

  void fill_inputs(std::uint64_t seed) override {
    std::mt19937_64 rng(seed);
    fill_random(a_, rng);
    fill_random(b_, rng);
    fill_random(c_, rng);  // C is an input too when beta != 0
  }

  profiler::check_result check() override {
    const auto host_a = host_copy(a_, 0, size_a());
    const auto host_b = host_copy(b_, 0, size_b());
    std::vector<T> host_c0;
    if (shape_.beta == 0) {
      // BLAS semantics: C is not read when beta == 0. NaN poison proves it, and proves that
      // every element was written.
      Kokkos::deep_copy(Kokkos::subview(c_, std::make_pair(std::size_t(0), size_c())),
                        std::numeric_limits<T>::quiet_NaN());
    } else {
      host_c0 = host_copy(c_, 0, size_c());
    }
    launch(0);
    Kokkos::fence();
    const auto host_c = host_copy(c_, 0, size_c());
    return compare_with_reference<T>(shape_, host_a.data(), host_b.data(),
                                     host_c0.empty() ? nullptr : host_c0.data(), host_c.data());
  }

 private:
  std::size_t size_a() const { return std::size_t(shape_.m) * std::size_t(shape_.k); }
  std::size_t size_b() const { return std::size_t(shape_.k) * std::size_t(shape_.n); }
  std::size_t size_c() const { return std::size_t(shape_.m) * std::size_t(shape_.n); }

  gemm_args<T> args(std::size_t copy) const {
    gemm_args<T> g;
    g.m = shape_.m;
    g.n = shape_.n;
    g.k = shape_.k;
    g.alpha = static_cast<T>(shape_.alpha);
    g.beta = static_cast<T>(shape_.beta);
    g.a = a_.data() + copy * size_a();
    g.lda = shape_.k;
    g.b = b_.data() + copy * size_b();
    g.ldb = shape_.n;
    g.c = c_.data() + copy * size_c();
    g.ldc = shape_.n;
    return g;
  }

  // Uniform in [-1, 1), never exactly zero: zeros would hide dropped terms.
  static void fill_random(const view& v, std::mt19937_64& rng) {
    auto host = Kokkos::create_mirror_view(v);
    std::uniform_real_distribution<T> dist(T(-1), T(1));
    for (std::size_t i = 0; i < host.extent(0); ++i) {
      T x = dist(rng);
      while (x == T(0)) x = dist(rng);
      host(i) = x;
    }
    Kokkos::deep_copy(v, host);
  }

  static std::vector<T> host_copy(const view& v, std::size_t offset, std::size_t count) {
    std::vector<T> out(count);
    Kokkos::View<T*, Kokkos::HostSpace, Kokkos::MemoryTraits<Kokkos::Unmanaged>> dst(out.data(),
                                                                                     count);
    Kokkos::deep_copy(dst, Kokkos::subview(v, std::make_pair(offset, offset + count)));
    return out;
  }

  gemm_shape shape_;
  std::size_t copies_;
  launcher launch_;
  std::vector<std::pair<std::string, std::string>> provenance_;
  view a_, b_, c_;
};

}  // namespace ridgeline::kernels
