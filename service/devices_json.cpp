#include "service/devices_json.hpp"

#include "service/device_context.hpp"
#include "profiler/cpu_info.hpp"

namespace ridgeline::service {

nlohmann::ordered_json devices_json(const kernels::runtime& rt,
                                    const roofline::device_catalog& catalog) {
  const profiler::cpu_info cpu = profiler::read_cpu_info();
  const auto backends = rt.backends();
  nlohmann::ordered_json j;
  j["schema"] = "ridgeline.devices/1";
  j["cpu"] = {{"vendor", cpu.vendor},
              {"model", cpu.model},
              {"logical_cpus", cpu.logical_cpus},
              {"physical_cores", cpu.physical_cores},
              {"sockets", cpu.sockets},
              {"mhz_now", cpu.mhz},
              {"vector_isa", cpu.vector_isa()},
              {"flags", cpu.flags},
              {"memory_total_bytes", cpu.memory_total_bytes},
              {"memory_available_bytes", cpu.memory_available_bytes}};
  j["cpu"]["caches"] = nlohmann::ordered_json::array();
  for (const auto& c : cpu.caches) {
    j["cpu"]["caches"].push_back({{"level", c.level},
                                  {"type", c.type},
                                  {"size_bytes", c.size_bytes},
                                  {"instances", c.instances},
                                  {"line_bytes", c.line_bytes}});
  }
  j["kokkos_version"] = rt.kokkos_version();
  j["backends"] = nlohmann::ordered_json::array();
  for (const auto& b : backends) {
    const device_match match = match_device(catalog, b);
    nlohmann::ordered_json roofs;
    if (match.datasheet) {
      for (const auto& c : match.datasheet->compute) {
        roofs["compute"].push_back({{"precision", c.precision},
                                    {"unit", c.unit},
                                    {"flop_per_s", c.flop_per_s},
                                    {"confidence", c.confidence}});
      }
      for (const auto& bw : match.datasheet->bandwidth) {
        roofs["bandwidth"].push_back(
            {{"level", bw.level}, {"byte_per_s", bw.byte_per_s}, {"confidence", bw.confidence}});
      }
    }
    j["backends"].push_back({{"id", b.id},
                             {"kokkos_name", b.kokkos_name},
                             {"default", b.is_default},
                             {"host", b.host},
                             {"concurrency", b.concurrency},
                             {"details", b.details},
                             {"catalog",
                              {{"card", match.detection ? match.detection.card->id : ""},
                               {"name", match.detection ? match.detection.card->name : ""},
                               {"reason", match.detection.reason},
                               {"datasheet_roofs", roofs}}}});
  }
  return j;
}

}  // namespace ridgeline::service
