#include "roofline/ridge.hpp"

namespace ridgeline::roofline {

std::optional<double> ridge(const device_card& card, std::string_view precision,
                            std::string_view unit, std::string_view level) {
  const quantity* compute = card.find_compute(precision, unit);
  const quantity* bandwidth = card.find_bandwidth(level);
  if (compute == nullptr || bandwidth == nullptr || !compute->known() || !bandwidth->known()) {
    return std::nullopt;
  }
  return *compute->value / *bandwidth->value;
}

}  // namespace ridgeline::roofline
