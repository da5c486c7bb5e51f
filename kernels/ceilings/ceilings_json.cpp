#include "kernels/ceilings/ceilings_json.hpp"

namespace ridgeline::kernels {

nlohmann::ordered_json to_json(const ceilings_result& r) {
  nlohmann::ordered_json j;
  j["schema"] = "ridgeline.ceilings/1";
  j["backend"] = r.backend;
  j["ceilings"] = nlohmann::ordered_json::array();
  for (const auto& c : r.ceilings) {
    j["ceilings"].push_back({{"kind", c.kind},
                             {"kernel", c.kernel},
                             {"precision", c.precision},
                             {"level", c.level},
                             {"unit", c.kind == "compute" ? "flop_per_s" : "byte_per_s"},
                             {"max", c.max},
                             {"mean", c.mean},
                             {"min", c.min},
                             {"points", c.points}});
  }
  j["sweep"] = nlohmann::ordered_json::array();
  for (const auto& p : r.sweep) {
    j["sweep"].push_back({{"kernel", p.kernel},
                          {"precision", p.precision},
                          {"working_set_bytes", p.working_set_bytes},
                          {"level", p.level},
                          {"rate", p.rate},
                          {"median_s", p.median_s},
                          {"relative_spread", p.spread}});
  }
  j["notes"] = r.notes;
  j["provenance"] = nlohmann::ordered_json::object();
  for (const auto& [key, value] : r.provenance) j["provenance"][key] = value;
  return j;
}

}  // namespace ridgeline::kernels
