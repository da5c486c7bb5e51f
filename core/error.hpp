#pragma once
// The two kinds of failure the user can cause, mapped to the CLI's exit codes (PRODUCT.md):
// usage_error -> 2 (the command line or an input file is wrong), runtime_error -> 1 (the request
// was well formed but cannot be carried out here: not enough memory, a missing library...).
// Messages name the offending field first, e.g. "--problem: m must be >= 1 (got 0)".
#include <stdexcept>
#include <string>

namespace ridgeline {

class usage_error : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

class runtime_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace ridgeline
