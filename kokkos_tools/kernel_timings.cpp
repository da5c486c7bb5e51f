#include "kokkos_tools/kernel_timings.hpp"

#include <stdexcept>

namespace ridgeline::kokkos_tools {

kernel_timings::kernel_timings(std::size_t cap) : cap_(cap), random_(0x5249444745ULL) {
  if (cap == 0) throw std::invalid_argument("kernel_timings: cap must be >= 1");
}

void kernel_timings::add(double seconds) {
  ++invocations_;
  total_seconds_ += seconds;
  if (samples_.size() < cap_) {
    samples_.push_back(seconds);
    return;
  }
  // Algorithm R: the n-th value replaces a kept one with probability cap / n.
  std::uniform_int_distribution<std::uint64_t> pick(0, invocations_ - 1);
  const std::uint64_t slot = pick(random_);
  if (slot < cap_) samples_[static_cast<std::size_t>(slot)] = seconds;
}

}  // namespace ridgeline::kokkos_tools
