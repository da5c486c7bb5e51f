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

service::device_context launch_device_for(const kernels::runtime& rt,
                                          const roofline::device_catalog& catalog,
                                          const std::string& backend) {
  kernels::require_launching_thread(rt.backend(backend).id);
  return service::device_for(rt, catalog, backend);
}

}  // namespace ridgeline::python
