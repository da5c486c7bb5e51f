#include "roofline/cpu_generation.hpp"

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

namespace ridgeline::roofline {

namespace {

struct generation_rule {
  const char* vendor;              // x86 vendor_id; nullptr for an ARM row
  int implementer;                 // ARM `CPU implementer`; -1 for an x86 row
  int part;                        // ARM `CPU part`
  std::vector<const char*> flags;  // all present (Linux /proc/cpuinfo flag names)
  const char* says;
};

// The one table. Rows are tried in order, the first that holds answers, so within a vendor the
// newest ISA comes first. An x86 ISA is a lower bound ("or later"): a hypervisor can hide flags,
// never add working ones. Sources:
// - flag names: Linux arch/x86/include/asm/cpufeatures.h;
// - Intel: Intel Architecture Instruction Set Extensions Programming Reference (the feature /
//   first-processor table): AVX512F Skylake-SP, AVX512_VNNI Cascade Lake, AVX512_VBMI2 Ice Lake,
//   AVX512_BF16 Cooper Lake, AMX-TILE/BF16/INT8 + AVX512-FP16 Sapphire Rapids (Emerald Rapids has
//   the same ISA), AMX-FP16 Granite Rapids; AVX-VNNI without AVX-512 on hybrid (Alder Lake) and
//   E-core (Sierra Forest) parts;
// - AMD: AVX-512 arrived with Zen 4 (on a 256-bit datapath) and AVX-VNNI with Zen 5, the
//   distinction the development VM's card relies on (configs/devices/epyc_zen4_vm_2cpu.yaml);
//   VAES with Zen 3;
// - Hygon: vendor HygonGenuine, family 0x18, the Zen-derived Dhyana (Linux arch/x86/kernel/cpu/
//   hygon.c);
// - ARM: main IDs from util-linux sys-utils/lscpu-arm.c; Neoverse V2 is the core of NVIDIA Grace,
//   AWS Graviton4 and Google Axion, TaiShan v110 that of HiSilicon Kunpeng 920.
const std::vector<generation_rule>& table() {
  static const std::vector<generation_rule> rules = {
      {"GenuineIntel", -1, -1, {"amx_fp16"}, "AMX-FP16: Granite Rapids generation or later"},
      {"GenuineIntel",
       -1,
       -1,
       {"amx_tile", "avx512_fp16"},
       "AMX + AVX512-FP16: Sapphire Rapids generation or later"},
      {"GenuineIntel", -1, -1, {"amx_tile"}, "AMX: Sapphire Rapids generation or later"},
      {"GenuineIntel", -1, -1, {"avx512_bf16"}, "AVX512-BF16: Cooper Lake generation or later"},
      {"GenuineIntel", -1, -1, {"avx512_vbmi2"}, "AVX512-VBMI2: Ice Lake generation or later"},
      {"GenuineIntel", -1, -1, {"avx512_vnni"}, "AVX512-VNNI: Cascade Lake generation or later"},
      {"GenuineIntel", -1, -1, {"avx512f"}, "AVX-512: Skylake-SP generation or later"},
      {"GenuineIntel",
       -1,
       -1,
       {"avx_vnni"},
       "AVX-VNNI without AVX-512: a hybrid (Alder Lake or later) or E-core (Sierra Forest) part"},
      {"GenuineIntel", -1, -1, {"avx2"}, "AVX2: Haswell generation or later"},
      {"AuthenticAMD",
       -1,
       -1,
       {"avx512f", "avx_vnni"},
       "AVX-512 + AVX-VNNI: Zen 5 generation or later"},
      {"AuthenticAMD",
       -1,
       -1,
       {"avx512f"},
       "AVX-512 without AVX-VNNI: Zen 4 generation (Genoa, Bergamo, Genoa-X)"},
      {"AuthenticAMD", -1, -1, {"vaes"}, "VAES without AVX-512: Zen 3 generation"},
      {"AuthenticAMD", -1, -1, {"avx2"}, "AVX2: Zen generation or later"},
      {"HygonGenuine", -1, -1, {}, "Hygon Dhyana family (Zen-derived)"},
      {nullptr, 0x41, 0xd4f, {}, "ARM Neoverse V2 (NVIDIA Grace, AWS Graviton4, Google Axion)"},
      {nullptr, 0x41, 0xd40, {}, "ARM Neoverse V1"},
      {nullptr, 0x41, 0xd49, {}, "ARM Neoverse N2"},
      {nullptr, 0x41, 0xd0c, {}, "ARM Neoverse N1"},
      {nullptr, 0x41, 0xd84, {}, "ARM Neoverse V3"},
      {nullptr, 0x48, 0xd01, {}, "HiSilicon TaiShan v110 (Kunpeng 920)"},
  };
  return rules;
}

bool holds(const generation_rule& rule, const profiler::cpu_info& cpu) {
  if (rule.vendor != nullptr) {
    if (cpu.vendor != rule.vendor) return false;
  } else if (rule.implementer != cpu.implementer || rule.part != cpu.part) {
    return false;
  }
  return std::all_of(rule.flags.begin(), rule.flags.end(),
                     [&](const char* f) { return cpu.has_flag(f); });
}

}  // namespace

std::string cpu_generation(const profiler::cpu_info& cpu) {
  for (const auto& rule : table()) {
    if (holds(rule, cpu)) return rule.says;
  }
  return {};
}

bool cpu_part_name_hidden(const profiler::cpu_info& cpu) {
  return std::none_of(cpu.model.begin(), cpu.model.end(),
                      [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; });
}

}  // namespace ridgeline::roofline
