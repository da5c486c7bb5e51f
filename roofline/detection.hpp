#pragma once
// Which catalog card is the device we are running on. Never a guess: a card is returned only when
// its match rule holds; when several hold, the most specific wins (for a CPU, the rule stating
// the most conditions; for a device name, the longest matched text), and an exact tie between
// two cards returns nothing and names both. No card is a normal outcome: the caller reports
// "no catalog entry: measured roofs only". For a CPU that reason also says what can be told
// (CPUID signature, a masked part name, the generation its ISA implies, the cards whose name fits
// but whose core count, socket count or hypervisor condition does not).
#include <string>

#include "profiler/cpu_info.hpp"
#include "roofline/device_catalog.hpp"

namespace ridgeline::roofline {

struct detection {
  const device_card* card = nullptr;  // points into the catalog passed in
  std::string reason;  // "device name 'NVIDIA H200' matches h200 (/\bH200\b/)", "no catalog ..."

  explicit operator bool() const { return card != nullptr; }
};

detection detect_cpu(const device_catalog& catalog, const profiler::cpu_info& cpu);

// `device_name` as the runtime reports it: cudaDeviceProp::name ("NVIDIA H100 80GB HBM3"),
// hipDeviceProp_t::name ("AMD Instinct MI300X"), or a vendor tool's name for other accelerators.
detection detect_gpu(const device_catalog& catalog, const std::string& device_name);

}  // namespace ridgeline::roofline
