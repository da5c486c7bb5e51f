// The measurement column table (storage/measurement_columns.hpp) for the pure-Python reader:
// python/ridgeline/results.py keeps a copy so it reads a database without this module, and
// tests/python/test_results_columns.py checks that copy against this one.
#include "python/src/bindings.hpp"
#include "storage/measurement_columns.hpp"

namespace ridgeline::python {

namespace {

py::object name_or_none(const char* name) {
  return name != nullptr ? py::object(py::str(name)) : py::object(py::none());
}

}  // namespace

void bind_columns(py::module_& m) {
  m.def(
      "measurement_columns",
      [] {
        py::list out;
        for (const auto& c : storage::measurement_columns()) {
          out.append(py::make_tuple(name_or_none(c.database), name_or_none(c.csv),
                                    name_or_none(c.pointer), c.json_text, c.copy));
        }
        return out;
      },
      "The flat columns of a measurement: (database, csv, JSON pointer, json_text, copy) each, "
      "None where a column is not in that form.");
}

}  // namespace ridgeline::python
