#pragma once
// A strategy's options after validation against its declared table: lookups fall back to the
// declared default, and values are range-checked with messages naming --strategy-option.
#include <cstdint>
#include <string>

#include "core/key_value.hpp"
#include "tuner/strategy_registry.hpp"

namespace ridgeline::tuner::detail {

class option_values {
 public:
  // Rejects option names the table does not declare.
  option_values(const strategy_info& info, const key_value_list& given);

  std::int64_t integer(const std::string& name, std::int64_t lo, std::int64_t hi) const;
  double real(const std::string& name, double lo, double hi) const;
  // One of `allowed`.
  std::string word(const std::string& name, const std::vector<std::string>& allowed) const;

 private:
  std::string text(const std::string& name) const;
  const strategy_info* info_;
  key_value_list given_;
};

}  // namespace ridgeline::tuner::detail
