#include "service/case_request.hpp"

#include <fmt/format.h>

#include "core/error.hpp"
#include "kernels/problem_presets.hpp"

namespace ridgeline::service {

const case_field_names cli_field_names = {"--problem",
                                          "--preset",
                                          "--tokens",
                                          "--variant",
                                          "--dtype",
                                          "--params",
                                          "--preset MODEL --tokens T"};
const case_field_names python_field_names = {
    "problem", "preset", "tokens", "variant", "dtype", "params", "preset='model', tokens=T"};

namespace {

const kernels::variant& chosen_variant(const kernels::kernel& k, const std::string& name,
                                       variant_use use, const case_field_names& names) {
  if (use == variant_use::any) {
    return name.empty() ? *k.variants().front() : k.find_variant(name);
  }
  if (name.empty()) {
    for (const auto& v : k.variants()) {
      if (!v->space().empty()) return *v;
    }
    throw usage_error(fmt::format("kernel: {} has no variant with tunable axes", k.name()));
  }
  const kernels::variant& v = k.find_variant(name);
  if (v.space().empty()) {
    throw usage_error(
        fmt::format("{}: {} of {} has no tunable axes", names.variant, v.name(), k.name()));
  }
  return v;
}

}  // namespace

key_value_list problem_fields(const case_text& text, const case_field_names& names) {
  if (!text.preset.empty()) {
    const std::string dir =
        text.problem_dir.empty() ? kernels::default_problem_preset_dir() : text.problem_dir;
    return kernels::merge_problem(
        kernels::preset_problem(text.kernel, text.preset, text.tokens, dir), text.problem);
  }
  if (text.tokens) {
    throw usage_error(fmt::format("{}: needs {} (without it, give the fields in {})", names.tokens,
                                  names.preset, names.problem));
  }
  if (text.problem.empty()) {
    throw usage_error(fmt::format("{}: required (or {})", names.problem, names.preset_example));
  }
  return text.problem;
}

kernels::kernel_case parse_case(const case_text& text, variant_use use,
                                const case_field_names& names) {
  kernels::kernel_case c;
  c.k = &kernels::find_kernel(text.kernel);
  c.v = &chosen_variant(*c.k, text.variant, use, names);
  c.type = kernels::parse_dtype(text.dtype, names.dtype);
  c.values = c.k->parse_problem(problem_fields(text, names), names.problem);
  return c;
}

tuner::config case_config(const kernels::kernel_case& c, const std::string& backend,
                          const key_value_list& params, const std::string& field) {
  return c.v->space().with_overrides(c.v->default_config(backend, c.type), params, field);
}

kernels::run_request run_request_for(const kernels::runtime& rt, const case_text& text,
                                     const key_value_list& params, const std::string& backend) {
  kernels::run_request r;
  r.what = parse_case(text, variant_use::any, cli_field_names);
  r.backend = rt.backend(backend).id;
  r.config = case_config(r.what, r.backend, params, cli_field_names.params);
  return r;
}

}  // namespace ridgeline::service
