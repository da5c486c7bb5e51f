#include "kernels/kernel.hpp"

#include <fmt/format.h>

#include <cmath>
#include <stdexcept>

#include "core/error.hpp"

namespace ridgeline::kernels {

// dtype names and sizes: kernels/dtype.cpp.

std::string variant::dtype_unsupported(dtype t, const std::string& backend) const {
  (void)backend;
  if (!is_low_precision(t)) return {};
  return fmt::format(
      "{} computes in f32 and f64 only; {} runs on matrix units (gemm's vendor variant on cuda)",
      name(), to_string(t));
}

profiler::work_model variant_work(const kernel& k, const variant& v, const problem& p, dtype t,
                                  const std::string& backend) {
  profiler::work_model w = k.work(p, t);
  for (auto& f : w.flops) f.unit = v.unit(t, backend);
  return w;
}

double problem_get(const problem& p, const std::string& name) {
  for (const auto& v : p) {
    if (v.name == name) return v.value;
  }
  throw std::logic_error("problem has no field " + name);
}

namespace {

// Every field of `fields` from `given` (name -> value, with the text the caller wrote for error
// messages), defaults filled in, ranges checked; usage_error naming `field` and the problem field.
struct given_value {
  double value = 0;
  std::string shown;
};

problem complete_problem(const kernel& k,
                         const std::vector<std::pair<std::string, given_value>>& given,
                         const std::string& field) {
  const auto fields = k.problem_fields();
  for (const auto& g : given) {
    bool known = false;
    for (const auto& f : fields) known = known || f.name == g.first;
    if (!known) {
      std::vector<std::string> names;
      for (const auto& f : fields) names.push_back(f.name);
      throw usage_error(fmt::format("{}: unknown field '{}' for {} (fields: {})", field, g.first,
                                    k.name(), fmt::join(names, ", ")));
    }
  }
  problem out;
  for (const auto& f : fields) {
    const given_value* value = nullptr;
    for (const auto& g : given) {
      if (g.first == f.name) value = &g.second;
    }
    const std::string what = fmt::format("{}: {}", field, f.name);
    if (value == nullptr && !f.default_value) {
      throw usage_error(fmt::format("{}: missing '{}' ({})", field, f.name, f.description));
    }
    const double v = value ? value->value : *f.default_value;
    const std::string shown = value ? value->shown : fmt::format("{:g}", v);
    if (f.integer && v != std::floor(v)) {
      throw usage_error(fmt::format("{} must be an integer (got {})", what, shown));
    }
    if (!(v >= f.min_value)) {
      throw usage_error(fmt::format("{} must be >= {:g} (got {})", what, f.min_value, shown));
    }
    // Sizes index device arrays with 32-bit loop counters inside a tile; bound them so index
    // arithmetic cannot overflow (the memory check refuses anything this large anyway).
    if (f.integer && v > 2147483647.0) {
      throw usage_error(fmt::format("{} must be < 2^31 (got {})", what, shown));
    }
    out.push_back({f.name, v, f.integer});
  }
  k.validate(out);
  return out;
}

}  // namespace

problem kernel::parse_problem(const key_value_list& text, const std::string& field) const {
  const auto fields = problem_fields();
  std::vector<std::pair<std::string, given_value>> given;
  // Unknown names first, with the list of fields, before any value is parsed.
  for (const auto& [name, value] : text) {
    bool known = false;
    for (const auto& f : fields) known = known || f.name == name;
    if (!known) complete_problem(*this, {{name, {0, value}}}, field);
  }
  for (const auto& [name, value] : text) {
    const problem_field* f = nullptr;
    for (const auto& candidate : fields) {
      if (candidate.name == name) f = &candidate;
    }
    const std::string what = fmt::format("{}: {}", field, name);
    const double v =
        f->integer ? static_cast<double>(parse_integer(value, what)) : parse_real(value, what);
    given.push_back({name, {v, value}});
  }
  return complete_problem(*this, given, field);
}

problem kernel::make_problem(const std::vector<std::pair<std::string, double>>& values,
                             const std::string& field) const {
  std::vector<std::pair<std::string, given_value>> given;
  for (const auto& [name, value] : values) {
    given.push_back({name, {value, fmt::format("{:.17g}", value)}});
  }
  return complete_problem(*this, given, field);
}

const variant& kernel::find_variant(const std::string& name) const {
  std::vector<std::string> names;
  for (const auto& v : variants()) {
    if (v->name() == name) return *v;
    names.push_back(v->name());
  }
  throw usage_error(fmt::format("--variant: unknown variant '{}' of {} (variants: {})", name,
                                this->name(), fmt::join(names, ", ")));
}

const kernel& find_kernel(const std::string& name) {
  std::vector<std::string> names;
  for (const kernel* k : all_kernels()) {
    if (k->name() == name) return *k;
    names.push_back(k->name());
  }
  throw usage_error(
      fmt::format("KERNEL: unknown kernel '{}' (kernels: {})", name, fmt::join(names, ", ")));
}

}  // namespace ridgeline::kernels
