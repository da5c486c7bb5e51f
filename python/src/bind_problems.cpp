// Problem presets for rl.run/rl.tune (`preset=`, `tokens=`): the fields a model's shape gives a
// kernel (kernels/problem_presets.hpp, configs/problems), with the caller's explicit fields
// winning, as `ridgeline run --preset MODEL --tokens T --problem ...` merges them.
#include <pybind11/stl.h>

#include <optional>
#include <string>

#include "core/key_value.hpp"
#include "kernels/problem_presets.hpp"
#include "python/src/bindings.hpp"

namespace ridgeline::python {

void bind_problems(py::module_& m) {
  m.def(
      "preset_problem",
      [](const std::string& kernel, const std::string& preset, std::optional<std::int64_t> tokens,
         const key_value_list& explicit_fields, const std::string& directory) {
        return kernels::merge_problem(kernels::preset_problem(kernel, preset, tokens, directory),
                                      explicit_fields);
      },
      py::arg("kernel"), py::arg("preset"), py::arg("tokens"), py::arg("explicit_fields"),
      py::arg("directory"),
      "The preset's fields for the kernel at `tokens`, `explicit_fields` replacing or added.");
  m.def("preset_names", &kernels::problem_preset_names, py::arg("directory"),
        "The presets (file stems) in a problem preset directory, sorted.");
}

}  // namespace ridgeline::python
