#pragma once
// What the harness times. A kernel prepares its buffers (including the rotated copies the harness
// asked for) and then exposes only "launch on copy i" and "wait for the device": the harness owns
// warm-up, repetition, fencing and statistics, so no kernel times itself (STYLE.md lesson 1).
#include <cstddef>

namespace ridgeline::profiler {

class workload {
 public:
  virtual ~workload() = default;
  // Enqueue one execution reading/writing buffer copy `copy` (0 <= copy < copies()). May return
  // before the work is done (asynchronous backends); the harness calls fence() before reading time.
  virtual void launch(std::size_t copy) = 0;
  // Block until every launched execution has finished.
  virtual void fence() = 0;
  virtual std::size_t copies() const = 0;
};

}  // namespace ridgeline::profiler
