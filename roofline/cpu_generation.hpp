#pragma once
// What a CPU's own identification says about its generation when its part name does not: a VM
// that shows "Intel(R) Xeon(R) Processor" still shows AMX, and an arm64 kernel that prints no
// model name still prints `CPU implementer` / `CPU part`. Used to explain "no catalog entry", never
// to pick a card: an ISA is a lower bound on the generation ("or later") and says nothing about
// how many cores, how fast, or how much memory bandwidth this machine was given.
#include <string>

#include "profiler/cpu_info.hpp"

namespace ridgeline::roofline {

// "AMX + AVX512-FP16: Sapphire Rapids generation or later", "ARM Neoverse V2 (NVIDIA Grace, AWS
// Graviton4, Google Axion)", or "" when no rule of the table applies.
std::string cpu_generation(const profiler::cpu_info& cpu);

// True when the model name cannot tell the part: empty (arm64) or without any digit, as masked
// names are ("AMD EPYC", "Intel(R) Xeon(R) Processor", "Common KVM processor").
bool cpu_part_name_hidden(const profiler::cpu_info& cpu);

}  // namespace ridgeline::roofline
