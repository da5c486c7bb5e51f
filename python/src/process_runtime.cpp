// The one Kokkos runtime of the Python process (bindings.hpp).
#include <memory>

#include "kernels/runtime.hpp"
#include "python/src/bindings.hpp"

namespace ridgeline::python {

namespace {

// Deliberately leaked when the interpreter exits without running atexit (os._exit): Kokkos'
// finalize during static destruction may touch an OpenMP runtime that is already gone.
kernels::runtime* g_runtime = nullptr;

}  // namespace

const kernels::runtime& process_runtime() {
  if (g_runtime == nullptr) {
    g_runtime = new kernels::runtime();
    py::module_::import("atexit").attr("register")(py::cpp_function([] {
      // Wait for work another thread may still be running, then finalize Kokkos.
      py::gil_scoped_release release;
      auto lock = kokkos_lock();
      delete g_runtime;
      g_runtime = nullptr;
    }));
  }
  return *g_runtime;
}

bool runtime_started() {
  return g_runtime != nullptr;
}

std::unique_lock<std::mutex> kokkos_lock() {
  static std::mutex m;
  return std::unique_lock<std::mutex>(m);
}

launch_device launch_device_for(const kernels::runtime& rt, const roofline::device_catalog& catalog,
                                const std::string& backend) {
  launch_device out{rt.backend(backend.empty() ? rt.default_backend() : backend), {}};
  kernels::require_launching_thread(out.backend.id);
  out.device = autotune::match_device(catalog, out.backend);
  return out;
}

}  // namespace ridgeline::python
