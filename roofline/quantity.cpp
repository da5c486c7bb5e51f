#include "roofline/quantity.hpp"

namespace ridgeline::roofline {

const char* to_string(confidence c) {
  switch (c) {
    case confidence::datasheet:
      return "datasheet";
    case confidence::third_party:
      return "third-party";
    case confidence::estimate:
      return "estimate";
    case confidence::unknown:
      break;
  }
  return "unknown";
}

std::optional<confidence> parse_confidence(std::string_view text) {
  for (auto c : {confidence::datasheet, confidence::third_party, confidence::estimate,
                 confidence::unknown}) {
    if (text == to_string(c)) return c;
  }
  return std::nullopt;
}

}  // namespace ridgeline::roofline
