// ridgeline._core: the module's entry. Registers the exception mapping and every area's bindings
// (bindings.hpp). Private: users import `ridgeline`, whose functions call into this module.
#include <pybind11/gil_safe_call_once.h>
#include <pybind11/pybind11.h>

#include <cctype>
#include <exception>
#include <string>

#include "core/build_info.hpp"
#include "core/error.hpp"
#include "python/src/bindings.hpp"

namespace ridgeline::python {

namespace {

// C++ messages name the CLI flag first ("--problem: missing 'k'", "KERNEL: unknown kernel ...");
// in Python the same input is a keyword argument, so the leading name becomes that argument's
// ("problem: missing 'k'", "kernel: unknown kernel ..."). Only the leading name changes: the rest
// of the message is the C++ text, word for word.
std::string python_message(const std::string& what) {
  const std::size_t colon = what.find(':');
  if (colon == std::string::npos || colon == 0) return what;
  std::string name = what.substr(0, colon);
  for (char c : name) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_')) return what;
  }
  if (name.rfind("--", 0) == 0) {
    name = name.substr(2);
    for (char& c : name) c = c == '-' ? '_' : c;
  } else {
    for (char c : name) {
      if (std::islower(static_cast<unsigned char>(c))) return what;  // not a placeholder name
    }
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return name + what.substr(colon);
}

}  // namespace

}  // namespace ridgeline::python

PYBIND11_MODULE(_core, m) {
  namespace py = pybind11;
  using namespace ridgeline::python;
  m.doc() = "Ridgeline's compiled core (private: use the `ridgeline` package)";

  // usage_error: the caller's input is wrong -> ValueError. runtime_error: well-formed but not
  // possible here (memory, a missing library, a database from a newer build) -> RidgelineError.
  // Stored once and never destroyed: a static py::object would be released after the
  // interpreter is gone.
  PYBIND11_CONSTINIT static py::gil_safe_call_once_and_store<py::object> ridgeline_error;
  ridgeline_error.call_once_and_store_result([&m] {
    return py::exception<ridgeline::runtime_error>(m, "RidgelineError", PyExc_RuntimeError);
  });
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const ridgeline::usage_error& e) {
      PyErr_SetString(PyExc_ValueError, python_message(e.what()).c_str());
    } catch (const ridgeline::runtime_error& e) {
      PyErr_SetString(ridgeline_error.get_stored().ptr(), python_message(e.what()).c_str());
    }
  });

  const ridgeline::build_info& b = ridgeline::this_build();
  m.attr("__version__") = b.version;
  m.def(
      "build_info",
      [] {
        py::dict d;
        for (const auto& [name, value] : ridgeline::this_build().facts()) d[name.c_str()] = value;
        return d;
      },
      "How this module was built (the same facts every measurement's provenance records).");
  m.def("runtime_started", &runtime_started,
        "Whether Kokkos has been initialized in this process (it is, on first use).");

  bind_devices(m);
  bind_run(m);
  bind_tune(m);
  bind_ceilings(m);
  bind_problems(m);
  bind_columns(m);
  bind_import(m);
  py::module_ kernels = m.def_submodule("kernels", "NumPy-callable Kokkos kernels");
  bind_kernels(kernels);
}
