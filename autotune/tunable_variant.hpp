#pragma once
// The variant `tune` and `wisdom` use when none is named: the kernel's first variant with tunable
// axes (kokkos_tiled, kokkos_flash, kokkos). usage_error when the kernel has none.
#include <fmt/format.h>

#include "core/error.hpp"
#include "kernels/kernel.hpp"

namespace ridgeline::autotune {

inline const kernels::variant& first_tunable_variant(const kernels::kernel& k) {
  for (const auto& v : k.variants()) {
    if (!v->space().empty()) return *v;
  }
  throw usage_error(fmt::format("kernel: {} has no variant with tunable axes", k.name()));
}

}  // namespace ridgeline::autotune
