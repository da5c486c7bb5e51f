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

problem kernel::parse_problem(const key_value_list& text, const std::string& field) const {
  const auto fields = problem_fields();
  for (const auto& [name, value] : text) {
    bool known = false;
    for (const auto& f : fields) known = known || f.name == name;
    if (!known) {
      std::vector<std::string> names;
      for (const auto& f : fields) names.push_back(f.name);
      throw usage_error(fmt::format("{}: unknown field '{}' for {} (fields: {})", field, name,
                                    this->name(), fmt::join(names, ", ")));
    }
  }
  problem out;
  for (const auto& f : fields) {
    const std::string* given = nullptr;
    for (const auto& kv : text) {
      if (kv.first == f.name) given = &kv.second;
    }
    const std::string what = fmt::format("{}: {}", field, f.name);
    double v = 0;
    if (given == nullptr) {
      if (!f.default_value) {
        throw usage_error(fmt::format("{}: missing '{}' ({})", field, f.name, f.description));
      }
      v = *f.default_value;
    } else if (f.integer) {
      v = static_cast<double>(parse_integer(*given, what));
    } else {
      v = parse_real(*given, what);
    }
    const std::string shown = given ? *given : fmt::format("{:g}", v);
    if (v < f.min_value) {
      throw usage_error(fmt::format("{} must be >= {:g} (got {})", what, f.min_value, shown));
    }
    // Sizes index device arrays with 32-bit loop counters inside a tile; bound them so index
    // arithmetic cannot overflow (the memory check refuses anything this large anyway).
    if (f.integer && v > 2147483647.0) {
      throw usage_error(fmt::format("{} must be < 2^31 (got {})", what, shown));
    }
    out.push_back({f.name, v, f.integer});
  }
  validate(out);
  return out;
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
