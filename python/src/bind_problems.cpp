// The case of an rl.run/rl.tune call, by the service's own rules and words
// (service/case_request.hpp): its problem fields — `problem` alone, or a model preset's
// (`preset=`, `tokens=`; configs/problems) with the caller's explicit fields winning, as
// `ridgeline run --preset MODEL --tokens T --problem ...` merges them — and the typed case.
#include <pybind11/stl.h>

#include <optional>
#include <string>

#include "core/key_value.hpp"
#include "kernels/problem_presets.hpp"
#include "python/src/bindings.hpp"
#include "service/case_request.hpp"

namespace ridgeline::python {

kernels::kernel_case python_case(const std::string& kernel, const std::string& variant,
                                 const std::string& dtype, const key_value_list& problem,
                                 service::variant_use use) {
  return service::parse_case({kernel, variant, dtype, problem, "", std::nullopt, ""}, use,
                             service::python_field_names);
}

void bind_problems(py::module_& m) {
  m.def(
      "problem_fields",
      [](const std::string& kernel, const key_value_list& problem, const std::string& preset,
         std::optional<std::int64_t> tokens, const std::string& directory) {
        return service::problem_fields({kernel, "", "f32", problem, preset, tokens, directory},
                                       service::python_field_names);
      },
      py::arg("kernel"), py::arg("problem"), py::arg("preset"), py::arg("tokens"),
      py::arg("directory"),
      "The case's problem fields: `problem`, or the preset's at `tokens` with `problem`'s fields "
      "replacing or added (preset \"\" = none).");
  m.def("preset_names", &kernels::problem_preset_names, py::arg("directory"),
        "The presets (file stems) in a problem preset directory, sorted.");
}

}  // namespace ridgeline::python
