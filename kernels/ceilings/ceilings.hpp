#pragma once
// Ridgeline's own ceilings (`ridgeline ceilings`): peak FLOP/s per precision from independent FMA
// chains held in registers, and bandwidth per memory level from load / copy / triad sweeps over
// the working-set size, in the style of likwid-bench and ERT. Written once in Kokkos; run on any
// built backend. Each ceiling reports mean / min / max over the sweep points classified at its
// level, and the roof value is the max (a ceiling is what the machine was seen to reach).
// Byte counting follows likwid-bench: load = 1 stream, copy = 2, triad = 3 (no write-allocate).
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "profiler/roofs.hpp"

namespace ridgeline::kernels {

class runtime;

struct sweep_point {
  std::string kernel;     // "fma", "load", "copy", "triad"
  std::string precision;  // "f32" / "f64"
  std::uint64_t working_set_bytes = 0;
  std::string level;                // "l1", "l2", "llc", "dram" or "" (between levels)
  double rate = 0;                  // FLOP/s (fma) or byte/s
  double median_s = 0, spread = 0;  // of one launch
};

struct ceiling {
  std::string kind;                   // "compute" or "bandwidth"
  std::string kernel;                 // "fma", "load", "copy", "triad"
  std::string precision;              // compute: f32/f64; bandwidth: the element type of the sweep
  std::string level;                  // bandwidth only
  double mean = 0, min = 0, max = 0;  // FLOP/s or byte/s
  int points = 0;
};

struct ceilings_options {
  std::string backend;                // empty: Kokkos' default
  double seconds_per_point = 0.15;    // sampling time cap per sweep point
  std::uint64_t max_working_set = 0;  // 0: default_max_working_set()
  bool quick = false;                 // fewer sweep points (tests)
  // Called after each sweep point with the points done and the sweep's total (progress bars).
  std::function<void(const sweep_point&, std::size_t done, std::size_t total)> on_point;
  // Asked before each point; true ends the sweep early and marks the result `interrupted`
  // (Ctrl-C in Python). An interrupted sweep is partial: never store it as roofs.
  std::function<bool()> should_stop;
};

struct ceilings_result {
  std::string backend;
  std::vector<ceiling> ceilings;
  std::vector<sweep_point> sweep;
  std::vector<std::pair<std::string, std::string>> provenance;
  bool interrupted = false;  // should_stop ended the sweep before its last point
  std::vector<std::string> notes;  // one line each, e.g. why a level has no ceiling

  // The measured roofs: compute = max of fma per precision (unit simt), bandwidth = max of the
  // load sweep per level (the read-bandwidth convention of rooflines).
  profiler::roof_set roofs(const std::string& device) const;
};

// The sweeps' largest working set: DRAM is reached only at >= 4x the last-level cache, and LLCs
// range from 32 MiB (a Zen 4 VM) to 480 MiB (a Xeon VM) and > 1 GiB (3D V-Cache EPYC), so the cap
// is 16x the LLC (two doubling points at or above 4x), at least 1 GiB, at most half the available
// memory (0 = unknown: no bound).
std::uint64_t default_max_working_set(std::uint64_t llc_bytes, std::uint64_t available_bytes);

ceilings_result measure_ceilings(const runtime& rt, const ceilings_options& options);

}  // namespace ridgeline::kernels
