// --problem with --preset/--tokens and the kernel names, shared by run, tune and wisdom.
#include "cli/verbs.hpp"
#include "core/error.hpp"
#include "kernels/kernel.hpp"
#include "kernels/problem_presets.hpp"

namespace ridgeline::cli {

std::string kernel_names() {
  std::string names;
  for (const kernels::kernel* k : kernels::all_kernels()) {
    names += (names.empty() ? "" : ", ") + k->name();
  }
  return names;
}

key_value_list problem_with_preset(const std::string& kernel, const std::string& problem,
                                   const std::string& preset, std::optional<std::int64_t> tokens) {
  const key_value_list explicit_fields = parse_key_value_list(problem, "--problem");
  if (!preset.empty()) {
    return kernels::merge_problem(kernels::preset_problem(kernel, preset, tokens),
                                  explicit_fields);
  }
  if (tokens) throw usage_error("--tokens: needs --preset (without it, give the fields in --problem)");
  if (problem.empty()) throw usage_error("--problem: required (or --preset MODEL --tokens T)");
  return explicit_fields;
}

}  // namespace ridgeline::cli
