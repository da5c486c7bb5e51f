#pragma once
// Buffers of one attention launch configuration on one execution space: `copies` rotated sets of
// Q, K, V and O in the space's memory, random inputs, the poisoned-output check, and a launch
// function supplied by the variant (flash, unfused, reference).
#include <Kokkos_Core.hpp>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <random>
#include <utility>
#include <vector>

#include "kernels/attention/attention_args.hpp"
#include "kernels/attention/attention_reference.hpp"
#include "kernels/kernel.hpp"

namespace ridgeline::kernels {

template <class T, class Space>
class attention_instance final : public kernel_instance {
 public:
  using view = Kokkos::View<T*, typename Space::memory_space>;
  using launcher = std::function<void(const attention_args<T>&)>;

  attention_instance(const attention_shape& s, std::size_t copies, launcher launch,
                     std::vector<std::pair<std::string, std::string>> provenance = {})
      : shape_(s),
        copies_(copies),
        launch_(std::move(launch)),
        provenance_(std::move(provenance)),
        q_(Kokkos::ViewAllocateWithoutInitializing("ridgeline::attn::Q"), copies * nq()),
        k_(Kokkos::ViewAllocateWithoutInitializing("ridgeline::attn::K"), copies * nkv()),
        v_(Kokkos::ViewAllocateWithoutInitializing("ridgeline::attn::V"), copies * nkv()),
        o_(Kokkos::ViewAllocateWithoutInitializing("ridgeline::attn::O"), copies * nq()) {}

  void launch(std::size_t copy) override { launch_(args(copy)); }
  void fence() override { Kokkos::fence(); }
  std::size_t copies() const override { return copies_; }
  std::vector<std::pair<std::string, std::string>> provenance() const override {
    return provenance_;
  }

  std::vector<instance_operand> operands() override {
    using role = instance_operand::role;
    return {{"q", q_.data(), nq() * sizeof(T), role::input},
            {"k", k_.data(), nkv() * sizeof(T), role::input},
            {"v", v_.data(), nkv() * sizeof(T), role::input},
            {"o", o_.data(), nq() * sizeof(T), role::output}};
  }

  void fill_inputs(std::uint64_t seed) override {
    std::mt19937_64 rng(seed);
    fill_random(q_, rng);
    fill_random(k_, rng);
    fill_random(v_, rng);
    // O is pure output; finite values so a timing launch never meets leftover NaN poison.
    Kokkos::deep_copy(o_, T(0));
  }

  profiler::check_result check() override {
    const auto host_q = host_copy(q_, nq());
    const auto host_k = host_copy(k_, nkv());
    const auto host_v = host_copy(v_, nkv());
    // O is never read: NaN poison proves it, and proves that every element was written.
    Kokkos::deep_copy(Kokkos::subview(o_, std::make_pair(std::size_t(0), nq())),
                      std::numeric_limits<T>::quiet_NaN());
    launch(0);
    Kokkos::fence();
    const auto host_o = host_copy(o_, nq());
    attention_args<T> a;
    a.s = shape_;
    a.scale = scale();
    a.q = host_q.data();
    a.k = host_k.data();
    a.v = host_v.data();
    return compare_attention_with_reference<T>(a, host_o.data());
  }

  const attention_shape& shape() const { return shape_; }
  // The softmax scale every variant uses: 1/sqrt(d) rounded to T, unless a caller running the
  // kernel on its own arrays chose another (kernels/on_arrays.hpp); the check uses the same value.
  T scale() const {
    return static_cast<T>(scale_ ? *scale_ : 1.0 / std::sqrt(static_cast<double>(shape_.d)));
  }
  void set_scale(double scale) { scale_ = scale; }

 private:
  std::size_t nq() const { return static_cast<std::size_t>(shape_.q_elements()); }
  std::size_t nkv() const { return static_cast<std::size_t>(shape_.kv_elements()); }

  attention_args<T> args(std::size_t copy) const {
    attention_args<T> a;
    a.s = shape_;
    a.scale = scale();
    a.q = q_.data() + copy * nq();
    a.k = k_.data() + copy * nkv();
    a.v = v_.data() + copy * nkv();
    a.o = o_.data() + copy * nq();
    return a;
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

  static std::vector<T> host_copy(const view& v, std::size_t count) {
    std::vector<T> out(count);
    Kokkos::View<T*, Kokkos::HostSpace, Kokkos::MemoryTraits<Kokkos::Unmanaged>> dst(out.data(),
                                                                                     count);
    Kokkos::deep_copy(dst, Kokkos::subview(v, std::make_pair(std::size_t(0), count)));
    return out;
  }

  attention_shape shape_;
  std::optional<double> scale_;
  std::size_t copies_;
  launcher launch_;
  std::vector<std::pair<std::string, std::string>> provenance_;
  view q_, k_, v_, o_;
};

}  // namespace ridgeline::kernels
