#pragma once
// A variant's parameter space declared once (STYLE.md lesson 1): each axis beside the field of the
// variant's typed configuration it fills and its default values, each constraint over the typed
// configuration. The param_space, the conversion of a point to the typed configuration and the
// defaults of each backend are generated from that one table, so an axis name is written once.
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "tuner/param_space.hpp"

namespace ridgeline::tuner {

// One axis's default value on each kind of backend; each variant says where its values come from.
struct backend_defaults {
  std::int64_t host;  // serial, openmp, threads
  std::int64_t gpu;   // cuda, hip
};

// Typed configurations hold every axis as an int (a categorical axis as its label's index).
template <class Config>
using int_field = int Config::*;

template <class Config>
struct bound_axis {
  int_field<Config> field;
  axis declared;
  backend_defaults defaults;
};

template <class Config>
struct typed_constraint {
  std::string description;  // e.g. "tile_m is a multiple of reg_m"
  std::function<bool(const Config&)> holds;
};

template <class Config>
class bound_space {
 public:
  bound_space(std::vector<bound_axis<Config>> axes,
              std::vector<typed_constraint<Config>> constraints)
      : fields_(fields_of(axes)),
        space_(declared_axes(axes), untyped(fields_, std::move(constraints)),
               defaults_of(axes, &backend_defaults::host)),
        gpu_defaults_(defaults_of(axes, &backend_defaults::gpu)) {
    if (auto why = space_.violation(gpu_defaults_)) {
      throw std::logic_error("invalid GPU default config: " + *why);
    }
  }

  const param_space& space() const { return space_; }

  // A point with every axis set (a valid one, or one violation() is about to reject) as the
  // typed configuration the launch code reads.
  Config typed(const config& c) const { return typed_from(fields_, c); }

  const config& default_for(const std::string& backend) const {
    return backend == "cuda" || backend == "hip" ? gpu_defaults_ : space_.defaults();
  }
  Config typed_default(const std::string& backend) const { return typed(default_for(backend)); }

 private:
  using field_list = std::vector<std::pair<std::string, int_field<Config>>>;

  static field_list fields_of(const std::vector<bound_axis<Config>>& axes) {
    field_list out;
    for (const auto& a : axes) out.emplace_back(a.declared.name(), a.field);
    return out;
  }
  static std::vector<axis> declared_axes(const std::vector<bound_axis<Config>>& axes) {
    std::vector<axis> out;
    for (const auto& a : axes) out.push_back(a.declared);
    return out;
  }
  static config defaults_of(const std::vector<bound_axis<Config>>& axes,
                            std::int64_t backend_defaults::*which) {
    config out;
    for (const auto& a : axes) out[a.declared.name()] = a.defaults.*which;
    return out;
  }
  static Config typed_from(const field_list& fields, const config& c) {
    Config t{};
    for (const auto& [name, field] : fields) t.*field = static_cast<int>(c.at(name));
    return t;
  }
  // param_space checks constraints on untyped points; each one sees the point typed. The field
  // list is captured by value so the constraints stay valid wherever the space is copied.
  static std::vector<constraint> untyped(const field_list& fields,
                                         std::vector<typed_constraint<Config>> constraints) {
    std::vector<constraint> out;
    for (auto& k : constraints) {
      out.push_back(
          {std::move(k.description), [fields, holds = std::move(k.holds)](const config& c) {
             return holds(typed_from(fields, c));
           }});
    }
    return out;
  }

  field_list fields_;
  param_space space_;
  config gpu_defaults_;
};

}  // namespace ridgeline::tuner
