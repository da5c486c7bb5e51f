#pragma once
// One operand of a kernel instance: `copies` rotated sets of `count` elements in Space's memory,
// laid end to end (the harness launches on copy c to run against cold caches). Copy 0 is the one
// a check poisons, launches on and reads back.
#include <Kokkos_Core.hpp>
#include <cstddef>
#include <limits>
#include <random>
#include <utility>
#include <vector>

#include "kernels/host_copy.hpp"
#include "kernels/kernel.hpp"

namespace ridgeline::kernels {

// How drawn values become stored ones: `static T round(D)` and `static D widen(T)`, D being the
// type the values are drawn (and checked) in. This one stores them as drawn; 16-bit inputs bring
// their own (the vendor's round-to-nearest-even and exact widening, gemm_vendor_cublas.cpp).
template <class T>
struct exact_values {
  static T round(T x) { return x; }
  static T widen(T x) { return x; }
};

template <class T, class Space>
class rotated_buffer {
 public:
  using view = Kokkos::View<T*, typename Space::memory_space>;

  rotated_buffer(const char* label, std::size_t copies, std::size_t count)
      : all_(Kokkos::ViewAllocateWithoutInitializing(label), copies * count), count_(count) {}

  T* copy(std::size_t c) const { return all_.data() + c * count_; }
  std::size_t count() const { return count_; }

  // Uniform in [-1, 1) drawn as `widen`'s type, rounded by Convert, never zero after rounding:
  // zeros would hide dropped terms. Every copy, in order, from one generator.
  template <class Convert = exact_values<T>>
  void fill_nonzero(std::mt19937_64& rng) const {
    using drawn = decltype(Convert::widen(std::declval<T>()));
    auto host = Kokkos::create_mirror_view(all_);
    std::uniform_real_distribution<drawn> dist(drawn(-1), drawn(1));
    for (std::size_t i = 0; i < host.extent(0); ++i) {
      T x = Convert::round(dist(rng));
      while (Convert::widen(x) == drawn(0)) x = Convert::round(dist(rng));
      host(i) = x;
    }
    Kokkos::deep_copy(all_, host);
  }

  // Every copy; e.g. finite values in a pure output so no timing launch meets leftover poison.
  void fill_all(T value) const { Kokkos::deep_copy(all_, value); }

  // NaN in copy 0: an output element never written, or one read before written, cannot pass.
  void poison() const { Kokkos::deep_copy(first(), std::numeric_limits<T>::quiet_NaN()); }

  std::vector<T> host() const { return to_host(first()); }

  // Copy 0 on the host in the type the values were drawn in (exact: widening is lossless).
  template <class Convert>
  auto widened() const {
    const std::vector<T> narrow = host();
    std::vector<decltype(Convert::widen(std::declval<T>()))> out(narrow.size());
    for (std::size_t i = 0; i < narrow.size(); ++i) out[i] = Convert::widen(narrow[i]);
    return out;
  }

  instance_operand operand(const char* name, instance_operand::role use) const {
    return {name, all_.data(), count_ * sizeof(T), use};
  }

 private:
  auto first() const { return Kokkos::subview(all_, std::make_pair(std::size_t(0), count_)); }

  view all_;
  std::size_t count_;
};

}  // namespace ridgeline::kernels
