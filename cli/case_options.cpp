// The options that name a case, declared once for run, tune and wisdom.
#include "cli/verbs.hpp"
#include "kernels/kernel.hpp"

namespace ridgeline::cli {

namespace {

// The registered kernels' names, and each kernel's variants, for --help (generated from the
// registry, so the help cannot fall behind it).
std::string kernel_names() {
  std::string names;
  for (const kernels::kernel* k : kernels::all_kernels()) {
    names += (names.empty() ? "" : ", ") + k->name();
  }
  return names;
}

std::string variant_names() {
  std::string text;
  for (const kernels::kernel* k : kernels::all_kernels()) {
    std::string variants;
    for (const auto& v : k->variants()) variants += (variants.empty() ? "" : ", ") + v->name();
    text += "\n  " + k->name() + ": " + variants;
  }
  return text;
}

}  // namespace

void add_case_options(CLI::App* cmd, case_options& o, const std::string& variant_help) {
  cmd->add_option("kernel", o.kernel, "Kernel name: " + kernel_names())->required();
  cmd->add_option("--problem", o.problem,
                  "Problem, e.g. m=4096,n=4096,k=4096 (with --preset: fields that override it)");
  cmd->add_option("--preset", o.preset,
                  "Model shape from configs/problems (e.g. deepseek-v3; $RIDGELINE_PROBLEMS)");
  cmd->add_option("--tokens", o.tokens,
                  "Tokens for --preset (attention: prefill sq=skv=tokens; decode: --tokens 1 "
                  "--problem skv=N)");
  cmd->add_option("--variant", o.variant, variant_help + variant_names());
  cmd->add_option("--dtype", o.dtype,
                  "f32, f64, or bf16/f16 for variants on matrix units (gemm vendor on cuda/hip)")
      ->capture_default_str();
  cmd->add_option("--backend", o.backend, "Kokkos backend (default: Kokkos' default space)");
}

service::case_text case_text_of(const case_options& o, const std::string& variant) {
  service::case_text t;
  t.kernel = o.kernel;
  t.variant = variant;
  t.dtype = o.dtype;
  t.problem = parse_key_value_list(o.problem, "--problem");
  t.preset = o.preset;
  t.tokens = o.tokens;
  return t;
}

}  // namespace ridgeline::cli
