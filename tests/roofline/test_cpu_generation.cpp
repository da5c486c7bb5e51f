// What a CPU's ISA or ARM main ID says about its generation when the name does not: newer ISA
// wins within a vendor, hiding flags only ever lowers the answer, other vendors' flags are not
// read as Intel's, and names without a part number count as hidden.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "roofline/cpu_generation.hpp"

namespace ridgeline::roofline {
namespace {

profiler::cpu_info x86(const std::string& vendor, std::vector<std::string> flags) {
  profiler::cpu_info cpu;
  cpu.vendor = vendor;
  cpu.flags = std::move(flags);
  cpu.flags.push_back("hypervisor");
  return cpu;
}

bool says(const profiler::cpu_info& cpu, const std::string& text) {
  return cpu_generation(cpu).find(text) != std::string::npos;
}

TEST(CpuGeneration, IntelIsaGivesALowerBound) {
  const std::vector<std::string> spr = {"avx2",        "avx512f",     "avx512_vnni", "avx512_vbmi2",
                                        "avx512_bf16", "avx512_fp16", "amx_tile",    "amx_bf16"};
  auto cpu = x86("GenuineIntel", spr);
  EXPECT_TRUE(says(cpu, "Sapphire Rapids")) << cpu_generation(cpu);
  EXPECT_TRUE(says(cpu, "or later"));
  cpu.flags.push_back("amx_fp16");
  EXPECT_TRUE(says(cpu, "Granite Rapids")) << cpu_generation(cpu);
  // A hypervisor that hides AMX makes the answer older, never newer.
  cpu = x86("GenuineIntel", {"avx2", "avx512f", "avx512_vnni", "avx512_vbmi2", "avx512_bf16"});
  EXPECT_TRUE(says(cpu, "Cooper Lake")) << cpu_generation(cpu);
  cpu = x86("GenuineIntel", {"avx2", "avx512f"});
  EXPECT_TRUE(says(cpu, "Skylake-SP")) << cpu_generation(cpu);
  cpu = x86("GenuineIntel", {"avx2", "avx_vnni"});
  EXPECT_TRUE(says(cpu, "without AVX-512")) << cpu_generation(cpu);
}

TEST(CpuGeneration, AmdZen4AndZen5AreToldApartByAvxVnni) {
  auto cpu = x86("AuthenticAMD", {"avx2", "avx512f", "avx512_bf16"});
  EXPECT_TRUE(says(cpu, "Zen 4")) << cpu_generation(cpu);
  cpu.flags.push_back("avx_vnni");
  EXPECT_TRUE(says(cpu, "Zen 5")) << cpu_generation(cpu);
  EXPECT_TRUE(says(x86("AuthenticAMD", {"avx2", "vaes"}), "Zen 3"));
}

TEST(CpuGeneration, FlagsAreReadPerVendor) {
  // The same AVX-512 flags on an AMD or Hygon part are not an Intel generation.
  const std::vector<std::string> flags = {"avx2", "avx512f", "avx512_bf16"};
  EXPECT_FALSE(says(x86("AuthenticAMD", flags), "Intel"));
  EXPECT_FALSE(says(x86("AuthenticAMD", flags), "Lake"));
  EXPECT_TRUE(says(x86("HygonGenuine", {"avx2"}), "Dhyana"));
  EXPECT_EQ(cpu_generation(x86("SomeOtherVendor", flags)), "");
}

TEST(CpuGeneration, ArmByImplementerAndPart) {
  profiler::cpu_info cpu;
  cpu.vendor = "ARM";
  cpu.implementer = 0x41;
  cpu.part = 0xd4f;
  EXPECT_TRUE(says(cpu, "Neoverse V2")) << cpu_generation(cpu);
  EXPECT_TRUE(says(cpu, "Grace"));
  cpu.vendor = "HiSilicon";
  cpu.implementer = 0x48;
  cpu.part = 0xd01;
  EXPECT_TRUE(says(cpu, "Kunpeng 920")) << cpu_generation(cpu);
  cpu.part = 0x123;  // an unknown part of a known implementer
  EXPECT_EQ(cpu_generation(cpu), "");
  EXPECT_EQ(cpu_generation(profiler::cpu_info{}), "");
}

TEST(CpuGeneration, NamesWithoutAPartNumberAreHidden) {
  profiler::cpu_info cpu;
  for (const char* hidden :
       {"", "AMD EPYC", "Intel(R) Xeon(R) Processor", "Common KVM processor"}) {
    cpu.model = hidden;
    EXPECT_TRUE(cpu_part_name_hidden(cpu)) << hidden;
  }
  for (const char* shown :
       {"AMD EPYC 9654 96-Core Processor", "Intel(R) Xeon(R) Platinum 8480+", "Hygon C86 7285"}) {
    cpu.model = shown;
    EXPECT_FALSE(cpu_part_name_hidden(cpu)) << shown;
  }
}

}  // namespace
}  // namespace ridgeline::roofline
