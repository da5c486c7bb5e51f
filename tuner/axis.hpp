#pragma once
// One tunable parameter of a kernel variant, declared beside the kernel's code (STYLE.md lesson 1).
// Values are integers; a categorical axis maps its labels to 0..n-1 so every configuration is a
// flat vector of integers that a search strategy, a database row and a JSON record can all hold.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace ridgeline::tuner {

enum class axis_kind { range, power_of_two, list, categorical };

class axis {
 public:
  // lo..hi inclusive in steps of `step`.
  static axis range(std::string name, std::int64_t lo, std::int64_t hi, std::int64_t step,
                    std::string description);
  // Every power of two in lo..hi (both must be powers of two).
  static axis power_of_two(std::string name, std::int64_t lo, std::int64_t hi,
                           std::string description);
  static axis list(std::string name, std::vector<std::int64_t> values, std::string description);
  static axis categorical(std::string name, std::vector<std::string> labels,
                          std::string description);
  // This axis plus one value spelled by a label (kv_chunk=auto: 0, "choose at launch"). The value
  // must lie outside the others, so a number never reads as the label's meaning by accident.
  axis with_named_value(std::int64_t value, std::string label) const;

  const std::string& name() const { return name_; }
  const std::string& description() const { return description_; }
  axis_kind kind() const { return kind_; }

  // All allowed values in increasing order (for categorical: 0..n-1).
  const std::vector<std::int64_t>& values() const { return values_; }
  bool contains(std::int64_t v) const;

  // Text form of a value: the label for categorical axes and named values, the number otherwise.
  std::string format(std::int64_t v) const;
  // Inverse of format(): a label of a categorical axis or a named value, else any integer. Text
  // that is neither is a usage_error naming `field` and this axis; an integer outside values() is
  // accepted here and reported by param_space::violation(), so the caller can record it as an
  // invalid configuration.
  std::int64_t parse(const std::string& text, const std::string& field) const;
  // "1..64 (powers of two)", "{1, 2, 4, 6, 8}", "{off, on}" — for --help and error messages.
  std::string domain() const;

 private:
  axis(std::string name, axis_kind kind, std::vector<std::int64_t> values,
       std::vector<std::string> labels, std::string description);

  std::string name_;
  axis_kind kind_;
  std::vector<std::int64_t> values_;
  std::vector<std::string> labels_;
  std::vector<std::pair<std::int64_t, std::string>> named_;  // with_named_value()
  std::string description_;
};

}  // namespace ridgeline::tuner
