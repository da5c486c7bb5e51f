#include "kernels/dtype.hpp"

#include <fmt/format.h>

#include "core/error.hpp"

namespace ridgeline::kernels {

const char* to_string(dtype t) {
  switch (t) {
    case dtype::f32:
      return "f32";
    case dtype::f64:
      return "f64";
    case dtype::bf16:
      return "bf16";
    case dtype::f16:
      return "f16";
  }
  return "?";
}

std::size_t size_of(dtype t) {
  switch (t) {
    case dtype::f32:
      return 4;
    case dtype::f64:
      return 8;
    case dtype::bf16:
    case dtype::f16:
      return 2;
  }
  return 0;
}

dtype accumulator_of(dtype t) {
  return is_low_precision(t) ? dtype::f32 : t;
}

bool is_low_precision(dtype t) {
  return t == dtype::bf16 || t == dtype::f16;
}

dtype parse_dtype(const std::string& text, const std::string& field) {
  if (text == "f32" || text == "float") return dtype::f32;
  if (text == "f64" || text == "double") return dtype::f64;
  if (text == "bf16" || text == "bfloat16") return dtype::bf16;
  if (text == "f16" || text == "half") return dtype::f16;
  throw usage_error(
      fmt::format("{}: unknown dtype '{}' (expected f32, f64, bf16 or f16)", field, text));
}

}  // namespace ridgeline::kernels
