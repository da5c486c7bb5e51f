#pragma once
// ridgeline._core, the private compiled module of the Python package: one binding file per area,
// each defining one bind_<area> below, all called from module.cpp. The bindings are thin: they
// call the same library functions as the CLI verbs and return the same JSON records (as text the
// Python side json.loads), so the C++ and Python results are one record.
//
// Rules every binding file keeps:
// - Kokkos work runs through process_runtime() (Kokkos initializes once per process) with the GIL
//   released and kokkos_lock() held: release the GIL first, then take the lock, never the other
//   way round (a thread holding the lock may be waiting for the GIL in a progress callback).
// - C++ exceptions propagate; module.cpp maps them (usage_error -> ValueError, runtime_error ->
//   ridgeline._core.RidgelineError, a RuntimeError), renaming a leading "--flag:" to "flag:", the
//   Python keyword argument of the same name.
#include <pybind11/pybind11.h>

#include <atomic>
#include <mutex>
#include <optional>
#include <string>

#include "core/key_value.hpp"
#include "kernels/kernel_case.hpp"
#include "kernels/runtime.hpp"
#include "service/case_request.hpp"
#include "service/device_context.hpp"

namespace ridgeline::python {

namespace py = pybind11;

// The process's one Kokkos runtime, started on first use with Kokkos' defaults (OMP_NUM_THREADS
// or every core) and finalized at interpreter exit. Call with the GIL held.
const kernels::runtime& process_runtime();
bool runtime_started();
// Serializes Kokkos work from several Python threads (Kokkos' host backends are not meant to be
// launched into from two threads at once). Take it with the GIL released.
std::unique_lock<std::mutex> kokkos_lock();

// The device a call launches on (`backend` "" = Kokkos' default): service::device_for, after
// refusing, naming the backend, a thread Kokkos' OpenMP backend cannot launch from
// (kernels::require_launching_thread). Call with kokkos_lock() held.
service::device_context launch_device_for(const kernels::runtime& rt,
                                          const roofline::device_catalog& catalog,
                                          const std::string& backend);

// The case of an rl.run/rl.tune call, parsed once with Python's option names (the problem's
// fields already merged with a preset's by _core.problem_fields). bind_problems.cpp.
kernels::kernel_case python_case(const std::string& kernel, const std::string& variant,
                                 const std::string& dtype, const key_value_list& problem,
                                 service::variant_use use);

// Python callbacks from C++ work that runs without the GIL. `call(fn)` takes the GIL, runs `fn`
// (which calls the user's progress callable) and then PyErr_CheckSignals(); a Python exception
// from either — KeyboardInterrupt on Ctrl-C — is kept and stop_requested() turns true, so the C++
// loop ends through its own interruption path (the tuner leaves the run resumable). The binding
// hands error() back to Python once the work has returned.
class python_callbacks {
 public:
  template <class F>
  void call(F&& fn) {
    if (stop_) return;
    py::gil_scoped_acquire gil;
    try {
      fn();
      if (PyErr_CheckSignals() != 0) throw py::error_already_set();
    } catch (py::error_already_set& e) {
      error_ = std::move(e);
      stop_ = true;
    }
  }
  // Signals only (before each step of a loop): Ctrl-C is seen between progress reports too.
  bool should_stop() {
    call([] {});
    return stop_;
  }
  bool stop_requested() const { return stop_; }
  // The kept exception as a Python object (None when there is none). Call with the GIL held.
  py::object error() const { return error_ ? error_->value() : py::none(); }

 private:
  std::atomic<bool> stop_{false};
  std::optional<py::error_already_set> error_;
};

void bind_devices(py::module_& m);   // bind_devices.cpp: devices(), catalog cards
void bind_run(py::module_& m);       // bind_run.cpp: one kernel run, stored, placed on roofs
void bind_tune(py::module_& m);      // bind_tune.cpp: a tuning run
void bind_ceilings(py::module_& m);  // bind_ceilings.cpp: measured ceilings
void bind_problems(py::module_& m);  // bind_problems.cpp: model problem presets
void bind_columns(py::module_& m);   // bind_columns.cpp: the measurement column table
void bind_import(py::module_& m);    // bind_import.cpp: other profilers' results stored
// NumPy-callable kernels (bind_kernels.cpp, owner: the "numpy kernels" engineer). module.cpp
// calls it with the submodule `_core.kernels` (python/ridgeline/kernels.py: `from ._core import
// kernels`). Launch through process_runtime() with the GIL released and kokkos_lock() held.
void bind_kernels(py::module_& m);

}  // namespace ridgeline::python
