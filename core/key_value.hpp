#pragma once
// Parsing of the CLI's "name=value,name=value" lists (--problem, --params) and of single numbers.
// Strict: every malformed piece is a usage_error naming `field` (the option it came from) and the
// offending text; numbers must be complete, in range, and finite.
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ridgeline {

using key_value_list = std::vector<std::pair<std::string, std::string>>;

// "m=1,n=2" -> {{"m","1"},{"n","2"}}. Rejects empty items, missing '=', empty names or values and
// duplicate names. An empty string gives an empty list.
key_value_list parse_key_value_list(std::string_view text, std::string_view field);

// "a,b,c" -> {"a","b","c"}; rejects empty items and repeats. An empty string gives an empty list.
std::vector<std::string> parse_name_list(std::string_view text, std::string_view field);

// Whole-string integer (decimal; an optional 'k'/'K' = x1024 or 'M' = x1024^2 suffix is accepted
// for sizes). `what` names the value in messages, e.g. "--problem: m".
std::int64_t parse_integer(std::string_view text, std::string_view what);

double parse_real(std::string_view text, std::string_view what);

}  // namespace ridgeline
