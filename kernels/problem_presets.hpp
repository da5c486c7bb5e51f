#pragma once
// Problem presets: the shapes of real models (configs/problems/*.yaml, format in
// docs/problems.md), turned into a kernel's --problem fields for a token count. Host-only (no
// Kokkos); `run` and `tune` both call it. Every failure is a usage_error naming the option or
// FILE:LINE: field.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/key_value.hpp"

namespace ridgeline::kernels {

// $RIDGELINE_PROBLEMS when set, else the shipped configs/problems of the source tree.
std::string default_problem_preset_dir();

// Preset names (file stems) in `directory`, sorted.
std::vector<std::string> problem_preset_names(const std::string& directory);

// The fields of `kernel` for the model `preset` at `tokens` tokens:
// - moe_* kernels: tokens, experts, top_k, hidden, intermediate, groups, topk_groups, scoring,
//   renormalize, routed_scale (only the fields the kernel has);
// - attention: batch=1, hq, hkv, d and the prefill shape sq = skv = tokens, causal = 1. A decode
//   step is `--tokens 1` with the KV length overriding skv (`--problem skv=32768`), or
//   `--problem sq=1,skv=N`.
// Without `tokens` the token-derived fields are left out (the caller's --problem supplies them).
// usage_error: unknown preset (listing the known ones), a kernel the preset has no section for,
// any malformed or incomplete file (FILE:LINE: field: problem).
key_value_list preset_problem(const std::string& kernel, const std::string& preset,
                              std::optional<std::int64_t> tokens,
                              const std::string& directory = default_problem_preset_dir());

// `base` with every field of `overrides` replacing or added (explicit --problem beats a preset).
key_value_list merge_problem(key_value_list base, const key_value_list& overrides);

// Loads and validates every preset file in `directory` (tests; a broken file names itself).
void validate_problem_presets(const std::string& directory);

}  // namespace ridgeline::kernels
