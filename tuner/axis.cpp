#include "tuner/axis.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

#include "core/error.hpp"
#include "core/key_value.hpp"

namespace ridgeline::tuner {

namespace {

bool is_power_of_two(std::int64_t v) {
  return v > 0 && (v & (v - 1)) == 0;
}

}  // namespace

axis::axis(std::string name, axis_kind kind, std::vector<std::int64_t> values,
           std::vector<std::string> labels, std::string description)
    : name_(std::move(name)),
      kind_(kind),
      values_(std::move(values)),
      labels_(std::move(labels)),
      description_(std::move(description)) {
  // A declaration error is a programming error in a kernel's source, caught by the kernel tests.
  if (values_.empty()) throw std::logic_error("axis " + name_ + " has no values");
}

axis axis::range(std::string name, std::int64_t lo, std::int64_t hi, std::int64_t step,
                 std::string description) {
  if (step <= 0 || hi < lo) throw std::logic_error("axis " + name + ": bad range");
  std::vector<std::int64_t> v;
  for (std::int64_t x = lo; x <= hi; x += step) v.push_back(x);
  return axis(std::move(name), axis_kind::range, std::move(v), {}, std::move(description));
}

axis axis::power_of_two(std::string name, std::int64_t lo, std::int64_t hi,
                        std::string description) {
  if (!is_power_of_two(lo) || !is_power_of_two(hi) || hi < lo) {
    throw std::logic_error("axis " + name + ": bounds must be powers of two");
  }
  std::vector<std::int64_t> v;
  for (std::int64_t x = lo; x <= hi; x *= 2) v.push_back(x);
  return axis(std::move(name), axis_kind::power_of_two, std::move(v), {}, std::move(description));
}

axis axis::list(std::string name, std::vector<std::int64_t> values, std::string description) {
  std::sort(values.begin(), values.end());
  if (std::adjacent_find(values.begin(), values.end()) != values.end()) {
    throw std::logic_error("axis " + name + ": duplicate values");
  }
  return axis(std::move(name), axis_kind::list, std::move(values), {}, std::move(description));
}

axis axis::categorical(std::string name, std::vector<std::string> labels, std::string description) {
  // parse() maps a label to its first occurrence, so a repeated label would hide a value.
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (std::find(labels.begin(), labels.begin() + static_cast<std::ptrdiff_t>(i), labels[i]) !=
        labels.begin() + static_cast<std::ptrdiff_t>(i)) {
      throw std::logic_error("axis " + name + ": duplicate label " + labels[i]);
    }
  }
  std::vector<std::int64_t> v(labels.size());
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = static_cast<std::int64_t>(i);
  return axis(std::move(name), axis_kind::categorical, std::move(v), std::move(labels),
              std::move(description));
}

axis axis::with_named_value(std::int64_t value, std::string label) const {
  if (kind_ == axis_kind::categorical || contains(value)) {
    throw std::logic_error("axis " + name_ + ": named value " + label + " must be a new number");
  }
  axis a = *this;
  a.values_.insert(std::upper_bound(a.values_.begin(), a.values_.end(), value), value);
  a.named_.emplace_back(value, std::move(label));
  return a;
}

bool axis::contains(std::int64_t v) const {
  return std::binary_search(values_.begin(), values_.end(), v);
}

std::string axis::format(std::int64_t v) const {
  if (kind_ == axis_kind::categorical && v >= 0 && v < static_cast<std::int64_t>(labels_.size())) {
    return labels_[static_cast<std::size_t>(v)];
  }
  for (const auto& [value, label] : named_) {
    if (value == v) return label;
  }
  return std::to_string(v);
}

std::int64_t axis::parse(const std::string& text, const std::string& field) const {
  if (kind_ == axis_kind::categorical) {
    const auto it = std::find(labels_.begin(), labels_.end(), text);
    if (it == labels_.end()) {
      throw usage_error(
          fmt::format("{}: {} must be one of {} (got '{}')", field, name_, domain(), text));
    }
    return it - labels_.begin();
  }
  for (const auto& [value, label] : named_) {
    if (label == text) return value;
  }
  if (!named_.empty()) {
    // "expected an integer" would hide the label: name the whole domain.
    try {
      return parse_integer(text, field + ": " + name_);
    } catch (const usage_error&) {
      throw usage_error(fmt::format("{}: {} must be {} (got '{}')", field, name_, domain(), text));
    }
  }
  return parse_integer(text, field + ": " + name_);
}

std::string axis::domain() const {
  // Named values first ("auto or 64..1073741824 (powers of two)"), then the numbers' own form.
  std::vector<std::int64_t> plain;
  std::string named;
  for (std::int64_t v : values_) {
    const std::string text = format(v);
    if (kind_ != axis_kind::categorical && text != std::to_string(v)) {
      named += text + " or ";
    } else {
      plain.push_back(v);
    }
  }
  switch (kind_) {
    case axis_kind::range:
      return named + (plain.size() > 1 ? fmt::format("{}..{} step {}", plain.front(), plain.back(),
                                                     plain[1] - plain[0])
                                       : fmt::format("{{{}}}", plain.front()));
    case axis_kind::power_of_two:
      return named + fmt::format("{}..{} (powers of two)", plain.front(), plain.back());
    case axis_kind::list:
      return named + fmt::format("{{{}}}", fmt::join(plain, ", "));
    case axis_kind::categorical:
      return fmt::format("{{{}}}", fmt::join(labels_, ", "));
  }
  return {};
}

}  // namespace ridgeline::tuner
