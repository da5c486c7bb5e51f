#include "tuner/param_space.hpp"

#include <fmt/format.h>

#include <stdexcept>

#include "core/error.hpp"

namespace ridgeline::tuner {

param_space::param_space(std::vector<axis> axes, std::vector<constraint> constraints,
                         config defaults)
    : axes_(std::move(axes)), constraints_(std::move(constraints)), defaults_(std::move(defaults)) {
  for (std::size_t i = 0; i < axes_.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (axes_[i].name() == axes_[j].name()) {
        throw std::logic_error("duplicate axis " + axes_[i].name());
      }
    }
  }
  if (auto why = violation(defaults_)) throw std::logic_error("invalid default config: " + *why);
}

const axis* param_space::find(const std::string& name) const {
  for (const auto& a : axes_) {
    if (a.name() == name) return &a;
  }
  return nullptr;
}

config param_space::with_overrides(const key_value_list& overrides,
                                   const std::string& field) const {
  return with_overrides(defaults_, overrides, field);
}

config param_space::with_overrides(config c, const key_value_list& overrides,
                                   const std::string& field) const {
  for (const auto& [name, text] : overrides) {
    const axis* a = find(name);
    if (a == nullptr) {
      std::vector<std::string> names;
      for (const auto& ax : axes_) names.push_back(ax.name());
      throw usage_error(
          names.empty()
              ? fmt::format("{}: unknown axis '{}' (this variant has no tunable axes)", field, name)
              : fmt::format("{}: unknown axis '{}' (axes: {})", field, name,
                            fmt::join(names, ", ")));
    }
    c[name] = a->parse(text, field);
  }
  return c;
}

std::optional<std::string> param_space::violation(const config& c) const {
  for (const auto& a : axes_) {
    const auto it = c.find(a.name());
    if (it == c.end()) return fmt::format("{} is not set", a.name());
    if (!a.contains(it->second)) {
      return fmt::format("{}={} is outside its axis {}", a.name(), a.format(it->second),
                         a.domain());
    }
  }
  for (const auto& k : constraints_) {
    if (!k.holds(c)) return fmt::format("violates: {}", k.description);
  }
  return std::nullopt;
}

key_value_list param_space::format_pairs(const config& c) const {
  key_value_list out;
  for (const auto& a : axes_) {
    const auto it = c.find(a.name());
    if (it != c.end()) out.emplace_back(a.name(), a.format(it->second));
  }
  return out;
}

std::string param_space::format(const config& c) const {
  std::string out;
  for (const auto& [name, value] : format_pairs(c))
    out += (out.empty() ? "" : ",") + name + '=' + value;
  return out;
}

}  // namespace ridgeline::tuner
