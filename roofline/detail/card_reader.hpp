#pragma once
// Parses and validates one catalog file. Internal: use load_catalog / load_card.
#include <string>

#include "roofline/device_card.hpp"

namespace ridgeline::roofline::detail {

// Throws usage_error "FILE:LINE: FIELD: problem" for anything but a valid card.
device_card read_card(const std::string& path, const std::string& text, const std::string& id);

// A file stem is a card id when it is lowercase letters, digits, '_' and '-', starting with a
// letter or digit (ids are typed on command lines: --device h100_sxm).
bool valid_card_id(const std::string& id);

}  // namespace ridgeline::roofline::detail
