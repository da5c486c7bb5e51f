#pragma once
// Text placed in SVG or HTML: the five characters XML gives meaning to, escaped.
#include <string>
#include <string_view>

namespace ridgeline {

std::string xml_escape(std::string_view text);

}  // namespace ridgeline
