#pragma once
// A case as a front end is given it (the words of `ridgeline run/tune/wisdom` or the arguments of
// rl.run/rl.tune/rl.wisdom), turned into the typed kernels::kernel_case once, before Kokkos
// starts or the database is touched. Every check of the case options lives here, so the CLI and
// the Python package refuse the same things with the same words; only the option names differ
// (`--problem` on the command line, `problem` in Python: case_field_names).
#include <cstdint>
#include <optional>
#include <string>

#include "core/key_value.hpp"
#include "kernels/kernel_case.hpp"
#include "kernels/run.hpp"
#include "kernels/runtime.hpp"
#include "tuner/param_space.hpp"

namespace ridgeline::service {

// How a front end names each case option in its messages.
struct case_field_names {
  std::string problem, preset, tokens, variant, dtype, params;
  std::string preset_example;  // how a preset is given: "--preset MODEL --tokens T"
};
extern const case_field_names cli_field_names;     // --problem, --preset, ...
extern const case_field_names python_field_names;  // problem, preset, ...

// Which variant a case means when none is named: `run` takes the kernel's first (its tuned Kokkos
// one); `tune` and `wisdom` the first with tunable axes, and refuse a named one without axes.
enum class variant_use { any, tunable };

// Front ends brace-initialize it in this field order.
struct case_text {
  std::string kernel;
  std::string variant;  // empty: the default of variant_use
  std::string dtype = "f32";
  key_value_list problem;  // explicit fields (they beat the preset's)
  std::string preset;      // empty: none
  std::optional<std::int64_t> tokens;
  std::string problem_dir;  // presets' directory; empty: kernels::default_problem_preset_dir()
};

// The problem's fields: `problem` alone, or the preset's at `tokens` with `problem`'s fields
// replacing or added. usage_error naming the option (tokens without a preset, no problem at all).
key_value_list problem_fields(const case_text& text, const case_field_names& names);

kernels::kernel_case parse_case(const case_text& text, variant_use use,
                                const case_field_names& names);

// The variant's default configuration on `backend` with `params` overriding axes; usage_error
// naming `field` for unknown axes or malformed values. A configuration that breaks the space's
// constraints is returned as it is: kernels::run_kernel records it as invalid_config.
tuner::config case_config(const kernels::kernel_case& c, const std::string& backend,
                          const key_value_list& params, const std::string& field);

// A whole run request from a case's words, for callers that hold a case as text to the end
// (benches, tests): parse_case (any variant, the CLI's option names), the backend (empty:
// Kokkos' default; usage_error naming --backend when it is not built in) and case_config.
kernels::run_request run_request_for(const kernels::runtime& rt, const case_text& text,
                                     const key_value_list& params, const std::string& backend);

}  // namespace ridgeline::service
