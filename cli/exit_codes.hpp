#pragma once
// The CLI's exit codes (PRODUCT.md): stable, scripts depend on them.
namespace ridgeline::cli {
inline constexpr int exit_ok = 0;
inline constexpr int exit_runtime = 1;     // could not be done here, or a measurement was not ok
inline constexpr int exit_usage = 2;       // the command line is wrong
inline constexpr int exit_regression = 3;  // nightly: a best time got slower beyond noise
}  // namespace ridgeline::cli
