#include "storage/run_record.hpp"

#include <fmt/format.h>

#include "core/error.hpp"

namespace ridgeline::storage {

const char* to_string(run_status s) {
  switch (s) {
    case run_status::running:
      return "running";
    case run_status::complete:
      return "complete";
    case run_status::failed:
      return "failed";
  }
  return "unknown";
}

run_status parse_run_status(const std::string& text) {
  for (run_status s : {run_status::running, run_status::complete, run_status::failed}) {
    if (text == to_string(s)) return s;
  }
  throw runtime_error(fmt::format("DB: unknown run status '{}'", text));
}

}  // namespace ridgeline::storage
