#pragma once
#include <cstddef>
#include <string>

namespace ridgeline::kernels {

// f32/f64: every variant. bf16/f16: inputs of the matrix-unit (tensor-core) variants only, which
// accumulate and store C in f32 (see docs/design.md, "Low-precision GEMM"); every other variant
// refuses them through variant::dtype_unsupported.
enum class dtype { f32, f64, bf16, f16 };

const char* to_string(dtype t);
// Bytes of one element stored in this dtype.
std::size_t size_of(dtype t);
// The dtype products are accumulated in and C is stored in: f32 for bf16/f16, else `t` itself.
dtype accumulator_of(dtype t);
// True for the dtypes only matrix units compute (bf16, f16).
bool is_low_precision(dtype t);
// "f32"/"f64"/"bf16"/"f16" (also "float"/"double"/"bfloat16"/"half"); usage_error naming `field`
// otherwise.
dtype parse_dtype(const std::string& text, const std::string& field);

}  // namespace ridgeline::kernels
