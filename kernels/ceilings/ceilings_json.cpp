#include "kernels/ceilings/ceilings_json.hpp"

namespace ridgeline::kernels {

void to_json(nlohmann::ordered_json& j, const ceiling& c) {
  j = {{"kind", c.kind},
       {"kernel", c.kernel},
       {"precision", c.precision},
       {"level", c.level},
       {"unit", c.kind == "compute" ? "flop_per_s" : "byte_per_s"},
       {"max", c.max},
       {"mean", c.mean},
       {"min", c.min},
       {"points", c.points}};
}

void to_json(nlohmann::ordered_json& j, const sweep_point& p) {
  j = {{"kernel", p.kernel},
       {"precision", p.precision},
       {"working_set_bytes", p.working_set_bytes},
       {"level", p.level},
       {"rate", p.rate},
       {"median_s", p.median_s},
       {"relative_spread", p.spread}};
}

nlohmann::ordered_json to_json(const ceilings_result& r) {
  nlohmann::ordered_json provenance = nlohmann::ordered_json::object();
  for (const auto& [key, value] : r.provenance) provenance[key] = value;
  return {{"schema", "ridgeline.ceilings/1"},
          {"backend", r.backend},
          {"ceilings", r.ceilings},
          {"sweep", r.sweep},
          {"notes", r.notes},
          {"provenance", provenance}};
}

}  // namespace ridgeline::kernels
