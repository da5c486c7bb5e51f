#pragma once
// The ridge point of a roofline: the arithmetic intensity (FLOP per byte at `level`) above which a
// kernel using the (precision, unit) roof can be compute-bound — compute roof / bandwidth roof.
#include <optional>
#include <string_view>

#include "roofline/device_card.hpp"

namespace ridgeline::roofline {

// Nothing when either roof is not listed or is unknown.
std::optional<double> ridge(const device_card& card, std::string_view precision,
                            std::string_view unit, std::string_view level);

}  // namespace ridgeline::roofline
