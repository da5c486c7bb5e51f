#pragma once
#include <cstddef>
#include <string>

namespace ridgeline::kernels {

enum class dtype { f32, f64 };

const char* to_string(dtype t);
std::size_t size_of(dtype t);
// "f32"/"f64" (also "float"/"double"); usage_error naming `field` otherwise.
dtype parse_dtype(const std::string& text, const std::string& field);

}  // namespace ridgeline::kernels
