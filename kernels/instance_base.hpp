#pragma once
// What every kernel family's instance shares beyond its buffers (rotated_buffer.hpp): how many
// rotated copies the harness asked for, the variant's provenance facts, and the fence.
#include <Kokkos_Core.hpp>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "kernels/kernel.hpp"

namespace ridgeline::kernels {

class instance_base : public kernel_instance {
 public:
  using provenance_facts = std::vector<std::pair<std::string, std::string>>;

  void fence() override { Kokkos::fence(); }
  std::size_t copies() const override { return copies_; }
  provenance_facts provenance() const override { return provenance_; }

 protected:
  instance_base(std::size_t copies, provenance_facts provenance)
      : copies_(copies), provenance_(std::move(provenance)) {}

 private:
  std::size_t copies_;
  provenance_facts provenance_;
};

}  // namespace ridgeline::kernels
