// Detection: a running device maps to a catalog card only when the card's rule holds; the most
// specific rule wins; a tie or no match gives nothing, with the reason. CPUs from fake cpu_info
// values, GPUs from the names CUDA and HIP report.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "roofline/detection.hpp"

namespace ridgeline::roofline {
namespace {

const device_catalog& shipped() {
  static const device_catalog c = load_catalog(RIDGELINE_DEVICE_CATALOG_DIR);
  return c;
}

std::string gpu(const std::string& name) {
  const detection d = detect_gpu(shipped(), name);
  return d ? d.card->id : "";
}

TEST(DetectGpu, CudaAndHipNames) {
  EXPECT_EQ(gpu("NVIDIA H100 80GB HBM3"), "h100_sxm");
  EXPECT_EQ(gpu("NVIDIA H100 SXM5 80GB"), "h100_sxm");
  EXPECT_EQ(gpu("NVIDIA H200"), "h200");
  EXPECT_EQ(gpu("NVIDIA H20"), "h20");
  EXPECT_EQ(gpu("NVIDIA A100-SXM4-80GB"), "a100_sxm_80gb");
  EXPECT_EQ(gpu("NVIDIA A800-SXM4-80GB"), "a800_sxm_80gb");
  EXPECT_EQ(gpu("NVIDIA L20"), "l20");
  EXPECT_EQ(gpu("NVIDIA B200"), "b200");
  EXPECT_EQ(gpu("NVIDIA B20"), "b20");
  EXPECT_EQ(gpu("AMD Instinct MI300X"), "mi300x");
  EXPECT_EQ(gpu("AMD Instinct MI250X"), "mi250x");
  EXPECT_EQ(gpu("Ascend910B3"), "ascend_910b");
  EXPECT_EQ(gpu("Ascend 910C"), "ascend_910c");
  EXPECT_EQ(gpu("Cambricon MLU370-X8"), "mlu370_x8");
  EXPECT_EQ(gpu("MLU590"), "mlu590");
  EXPECT_EQ(gpu("Kunlunxin P800"), "kunlunxin_p800");
  EXPECT_EQ(gpu("Hygon K100"), "hygon_k100");
}

TEST(DetectGpu, NearNamesAreOtherCards) {
  // Different cards with different roofs: measured roofs only, never the neighbour's datasheet.
  for (const char* name :
       {"NVIDIA H100 PCIe", "NVIDIA H100 NVL", "NVIDIA H200 NVL", "NVIDIA A100 80GB PCIe",
        "NVIDIA A100-SXM4-40GB", "NVIDIA GeForce RTX 4090", "AMD Instinct MI300A",
        "AMD Instinct MI250X/MI250", "Quadro P800", "Hygon K100_AI", "Ascend910"}) {
    const detection d = detect_gpu(shipped(), name);
    EXPECT_FALSE(d) << name << " -> " << (d ? d.card->id : "");
    EXPECT_NE(d.reason.find("measured roofs only"), std::string::npos) << d.reason;
  }
}

TEST(DetectGpu, UnknownAndEmptyNames) {
  const detection d = detect_gpu(shipped(), "Some Future Accelerator");
  EXPECT_FALSE(d);
  EXPECT_EQ(d.reason,
            "no catalog entry matches device name 'Some Future Accelerator': measured roofs only");
  EXPECT_FALSE(detect_gpu(shipped(), ""));
  EXPECT_FALSE(detect_gpu(device_catalog{}, "NVIDIA H100 80GB HBM3"));
}

TEST(DetectGpu, ReasonNamesTheRule) {
  const detection d = detect_gpu(shipped(), "NVIDIA H200");
  ASSERT_TRUE(d);
  EXPECT_NE(d.reason.find("h200"), std::string::npos) << d.reason;
  EXPECT_NE(d.reason.find("NVIDIA H200"), std::string::npos) << d.reason;
}

TEST(DetectGpu, CpuCardsNeverMatchDeviceNames) {
  EXPECT_FALSE(detect_gpu(shipped(), "AMD EPYC"));
}

// A catalog written by the test, for specificity and ties.
class temp_catalog {
 public:
  temp_catalog() {
    dir_ =
        std::filesystem::temp_directory_path() /
        ("ridgeline-catalog-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
         "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  ~temp_catalog() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  temp_catalog(const temp_catalog&) = delete;
  temp_catalog& operator=(const temp_catalog&) = delete;

  void add(const std::string& id, const std::string& kind, const std::string& match) {
    std::ofstream(dir_ / (id + ".yaml"))
        << "schema: ridgeline.device/1\nname: " << id << "\nvendor: Test\nkind: " << kind
        << "\narch: test\nmatch:\n"
        << match
        << "compute:\n  simt:\n    f32: {value: 1, unit: TFLOP/s, confidence: estimate, "
           "source: test}\nbandwidth:\n  dram: {value: 1, unit: TB/s, confidence: estimate, "
           "source: test}\n";
  }
  device_catalog load() const { return load_catalog(dir_.string()); }

 private:
  std::filesystem::path dir_;
};

TEST(DetectGpu, LongestMatchWinsAndTiesGiveNothing) {
  temp_catalog t;
  t.add("generic", "gpu", "  device_name: 'X100'\n");
  t.add("specific", "gpu", "  device_name: 'X100 SXM'\n");
  t.add("twin", "gpu", "  device_name: 'X200'\n");
  t.add("twin_too", "gpu", "  device_name: 'X2.0'\n");
  const device_catalog c = t.load();
  EXPECT_EQ(detect_gpu(c, "Vendor X100 SXM").card->id, "specific");
  EXPECT_EQ(detect_gpu(c, "Vendor X100 PCIe").card->id, "generic");
  const detection tie = detect_gpu(c, "Vendor X200");
  EXPECT_FALSE(tie);
  EXPECT_NE(tie.reason.find("twin and twin_too"), std::string::npos) << tie.reason;
}

profiler::cpu_info dev_vm() {
  profiler::cpu_info cpu;
  cpu.vendor = "AuthenticAMD";
  cpu.model = "AMD EPYC";
  cpu.logical_cpus = 2;
  cpu.physical_cores = 2;
  cpu.flags = {"fpu",     "hypervisor", "avx2",        "fma",
               "avx512f", "avx512bw",   "avx512_bf16", "avx512_vnni"};
  return cpu;
}

TEST(DetectCpu, TheDevelopmentVm) {
  const detection d = detect_cpu(shipped(), dev_vm());
  ASSERT_TRUE(d) << d.reason;
  EXPECT_EQ(d.card->id, "epyc_zen4_vm_2cpu");
}

TEST(DetectCpu, AnythingElseIsNotTheDevelopmentVm) {
  const auto none = [](profiler::cpu_info cpu) {
    const detection d = detect_cpu(shipped(), cpu);
    EXPECT_FALSE(d) << cpu.model << " -> " << d.card->id;
    return d.reason;
  };
  auto cpu = dev_vm();
  cpu.logical_cpus = 16;  // a bigger VM of the same kind: different roofs
  none(cpu);
  cpu = dev_vm();
  cpu.model = "AMD EPYC 9654 96-Core Processor";  // bare metal, model visible
  none(cpu);
  cpu = dev_vm();
  cpu.flags.push_back("avx_vnni");  // Zen 5
  none(cpu);
  cpu = dev_vm();
  cpu.flags = {"hypervisor", "avx2", "fma"};  // Zen 2/3: no AVX-512
  none(cpu);
  cpu = dev_vm();
  cpu.vendor = "HygonGenuine";
  none(cpu);
  profiler::cpu_info intel;
  intel.vendor = "GenuineIntel";
  intel.model = "Intel(R) Xeon(R) Platinum 8480+";
  intel.logical_cpus = 2;
  intel.flags = {"hypervisor", "avx512f", "avx512_bf16", "amx_tile"};
  // The name fits the full-socket 8480+ card; the reason says what else that card needs.
  const std::string reason = none(intel);
  EXPECT_EQ(reason.rfind("no catalog entry matches CPU 'Intel(R) Xeon(R) Platinum 8480+' (2 "
                         "logical CPUs; xeon_platinum_8480p would need ",
                         0),
            0u)
      << reason;
  EXPECT_NE(reason.find("no hypervisor flag"), std::string::npos) << reason;
  EXPECT_NE(reason.find("56 physical cores (got 0)"), std::string::npos) << reason;
  EXPECT_EQ(reason.substr(reason.size() - 22), "): measured roofs only") << reason;
}

TEST(DetectCpu, MostConditionsWin) {
  temp_catalog t;
  t.add("any_epyc", "cpu", "  cpu_model: 'EPYC'\n");
  t.add("epyc_avx512", "cpu", "  cpu_model: 'EPYC'\n  cpu_flags: [avx512f]\n");
  t.add("epyc_avx512_2", "cpu", "  cpu_model: 'EPYC'\n  cpu_flags: [avx512f]\n  logical_cpus: 2\n");
  t.add("gpu_named_epyc", "gpu", "  device_name: 'EPYC'\n");
  const device_catalog c = t.load();
  auto cpu = dev_vm();
  EXPECT_EQ(detect_cpu(c, cpu).card->id, "epyc_avx512_2");
  cpu.logical_cpus = 4;
  EXPECT_EQ(detect_cpu(c, cpu).card->id, "epyc_avx512");
  cpu.flags.clear();
  EXPECT_EQ(detect_cpu(c, cpu).card->id, "any_epyc");
  cpu.model = "Intel Xeon";
  EXPECT_FALSE(detect_cpu(c, cpu));
}

// ---- The CPU catalog: full sockets on bare metal, and what a masked VM still tells ----

// One bare-metal machine: `cores` per socket, SMT on, the name and signature of the part.
profiler::cpu_info bare_metal(const std::string& vendor, const std::string& model, int family,
                              int model_number, int cores, int sockets,
                              std::vector<std::string> flags) {
  profiler::cpu_info cpu;
  cpu.vendor = vendor;
  cpu.model = model;
  cpu.family = family;
  cpu.model_number = model_number;
  cpu.physical_cores = cores * sockets;
  cpu.sockets = sockets;
  cpu.logical_cpus = 2 * cores * sockets;
  cpu.flags = std::move(flags);
  return cpu;
}

// An arm64 machine as its /proc/cpuinfo reads: no model name, no SMT, no socket ids.
profiler::cpu_info arm64(const std::string& vendor, int implementer, int part, int cores) {
  profiler::cpu_info cpu;
  cpu.vendor = vendor;
  cpu.implementer = implementer;
  cpu.part = part;
  cpu.logical_cpus = cores;
  cpu.physical_cores = cores;
  cpu.sockets = 1;
  cpu.flags = {"fp", "asimd", "sve", "sve2", "bf16", "i8mm"};
  return cpu;
}

const std::vector<std::string> spr_flags = {"avx2",     "avx512f",  "avx512_bf16", "avx512_fp16",
                                            "amx_tile", "amx_bf16", "amx_int8",    "avx_vnni"};
const std::vector<std::string> zen4_flags = {"avx2", "avx512f", "avx512_bf16", "avx512_vnni"};

std::string cpu_card(const profiler::cpu_info& cpu) {
  const detection d = detect_cpu(shipped(), cpu);
  return d ? d.card->id : "";
}

TEST(DetectCpu, FullSocketsOnBareMetal) {
  EXPECT_EQ(cpu_card(bare_metal("GenuineIntel", "Intel(R) Xeon(R) Platinum 8480+", 6, 143, 56, 1,
                                spr_flags)),
            "xeon_platinum_8480p");
  EXPECT_EQ(cpu_card(bare_metal("GenuineIntel", "INTEL(R) XEON(R) PLATINUM 8592+", 6, 207, 64, 1,
                                spr_flags)),
            "xeon_platinum_8592p");
  auto gnr = spr_flags;
  gnr.push_back("amx_fp16");
  EXPECT_EQ(cpu_card(bare_metal("GenuineIntel", "Intel(R) Xeon(R) 6980P", 6, 173, 128, 1, gnr)),
            "xeon_6980p");
  EXPECT_EQ(cpu_card(bare_metal("AuthenticAMD", "AMD EPYC 9654 96-Core Processor", 25, 17, 96, 1,
                                zen4_flags)),
            "epyc_9654");
  EXPECT_EQ(cpu_card(bare_metal("AuthenticAMD", "AMD EPYC 9654P 96-Core Processor", 25, 17, 96, 1,
                                zen4_flags)),
            "epyc_9654");
  EXPECT_EQ(cpu_card(bare_metal("AuthenticAMD", "AMD EPYC 9684X 96-Core Processor", 25, 17, 96, 1,
                                zen4_flags)),
            "epyc_9684x");
  auto zen5 = zen4_flags;
  zen5.push_back("avx_vnni");
  EXPECT_EQ(
      cpu_card(bare_metal("AuthenticAMD", "AMD EPYC 9755 128-Core Processor", 26, 2, 128, 1, zen5)),
      "epyc_9755");
  EXPECT_EQ(cpu_card(bare_metal("HygonGenuine", "Hygon C86 7285 32-core Processor", 24, 1, 32, 1,
                                {"avx2", "fma"})),
            "hygon_c86_7285");
}

TEST(DetectCpu, ArmCoresByImplementerAndPart) {
  const detection grace = detect_cpu(shipped(), arm64("ARM", 0x41, 0xd4f, 72));
  ASSERT_TRUE(grace) << grace.reason;
  EXPECT_EQ(grace.card->id, "nvidia_grace");
  EXPECT_NE(grace.reason.find("implementer 0x41 part 0xd4f"), std::string::npos) << grace.reason;
  EXPECT_EQ(cpu_card(arm64("HiSilicon", 0x48, 0xd01, 64)), "kunpeng_920_7260");
  // Two Grace CPUs (a Grace CPU Superchip) or two Kunpeng sockets are not one: no card.
  const detection superchip = detect_cpu(shipped(), arm64("ARM", 0x41, 0xd4f, 144));
  EXPECT_FALSE(superchip);
  EXPECT_NE(superchip.reason.find("nvidia_grace would need 72 physical cores (got 144)"),
            std::string::npos)
      << superchip.reason;
  EXPECT_NE(superchip.reason.find("Neoverse V2"), std::string::npos) << superchip.reason;
  EXPECT_EQ(cpu_card(arm64("HiSilicon", 0x48, 0xd01, 128)), "");
  // Another Arm core with 72 cores (Neoverse N2) is not a Grace.
  EXPECT_EQ(cpu_card(arm64("ARM", 0x41, 0xd49, 72)), "");
}

TEST(DetectCpu, MoreSocketsOrAVmOfTheSamePartGetNoCard) {
  // Two sockets: twice the roofs of the one-socket card.
  auto two =
      bare_metal("GenuineIntel", "Intel(R) Xeon(R) Platinum 8480+", 6, 143, 56, 2, spr_flags);
  const detection d = detect_cpu(shipped(), two);
  EXPECT_FALSE(d);
  EXPECT_NE(d.reason.find("xeon_platinum_8480p would need 56 physical cores (got 112), 1 socket "
                          "(got 2)"),
            std::string::npos)
      << d.reason;
  // A VM that shows the real name, even with as many vCPUs as the socket has cores.
  auto vm =
      bare_metal("AuthenticAMD", "AMD EPYC 9654 96-Core Processor", 25, 17, 96, 1, zen4_flags);
  vm.flags.push_back("hypervisor");
  EXPECT_EQ(cpu_card(vm), "");
  EXPECT_NE(detect_cpu(shipped(), vm).reason.find("epyc_9654 would need no hypervisor flag"),
            std::string::npos);
  // The name of a neighbour with other roofs: 8480C (cloud), 9654 vs 96544, 6980P vs 6980.
  EXPECT_EQ(cpu_card(bare_metal("GenuineIntel", "Intel(R) Xeon(R) Platinum 8480C", 6, 143, 56, 1,
                                spr_flags)),
            "");
  // The right name with another part's signature (a remarked or misreported part).
  EXPECT_EQ(cpu_card(bare_metal("GenuineIntel", "Intel(R) Xeon(R) Platinum 8480+", 6, 207, 56, 1,
                                spr_flags)),
            "");
}

TEST(DetectCpu, MaskedIntelVmSaysWhatItCan) {
  // This development VM's shape: the hypervisor shows "Intel(R) Xeon(R) Processor", a made-up
  // signature (family 6 model 167 is Rocket Lake, which has no AMX) and the real ISA.
  auto vm = bare_metal("GenuineIntel", "Intel(R) Xeon(R) Processor", 6, 167, 2, 1, spr_flags);
  vm.logical_cpus = 2;
  vm.flags.push_back("hypervisor");
  const detection d = detect_cpu(shipped(), vm);
  EXPECT_FALSE(d) << d.card->id;
  EXPECT_EQ(d.reason,
            "no catalog entry matches CPU 'Intel(R) Xeon(R) Processor' (2 logical CPUs; family 6 "
            "model 167; the hypervisor hides the part name; AMX + AVX512-FP16: Sapphire Rapids "
            "generation or later): measured roofs only");
}

TEST(DetectCpu, MaskedAmdVmOtherThanTheDevelopmentVm) {
  // The development VM's kind with 16 vCPUs: its card is for 2, the full-socket cards need the
  // part name. The reason names the generation and the near miss.
  auto vm = dev_vm();
  vm.family = 25;
  vm.model_number = 17;
  vm.logical_cpus = 16;
  const detection d = detect_cpu(shipped(), vm);
  EXPECT_FALSE(d) << d.card->id;
  EXPECT_NE(d.reason.find("family 25 model 17"), std::string::npos) << d.reason;
  EXPECT_NE(d.reason.find("the hypervisor hides the part name"), std::string::npos) << d.reason;
  EXPECT_NE(d.reason.find("Zen 4"), std::string::npos) << d.reason;
  EXPECT_NE(d.reason.find("epyc_zen4_vm_2cpu would need 2 logical CPUs (got 16)"),
            std::string::npos)
      << d.reason;
  // With the signature read, the 2-vCPU development VM still gets its card.
  vm.logical_cpus = 2;
  EXPECT_EQ(cpu_card(vm), "epyc_zen4_vm_2cpu");
}

TEST(DetectCpu, NoFullSocketCardMatchesAMaskedVmSlice) {
  // For every CPU card, the VM slice most like it: its vendor and signature, every flag it asks
  // for, a masked name, 2 vCPUs. Only the card made for such a VM may match; a full-socket card's
  // roofs would be tens of times too high.
  for (const auto& card : shipped().cards) {
    if (!card.cpu_match) continue;
    const cpu_match_rule& rule = *card.cpu_match;
    profiler::cpu_info vm;
    vm.vendor = rule.vendor;
    vm.model = rule.vendor == "AuthenticAMD"   ? "AMD EPYC"
               : rule.vendor == "GenuineIntel" ? "Intel(R) Xeon(R) Processor"
               : rule.vendor == "HygonGenuine" ? "Hygon C86 Processor"
                                               : "";
    vm.family = rule.family;
    vm.model_number = rule.model_number;
    vm.implementer = rule.implementer;
    vm.part = rule.part;
    vm.flags = rule.flags;
    if (rule.implementer < 0) vm.flags.push_back("hypervisor");  // arm64 shows none
    vm.logical_cpus = 2;
    vm.physical_cores = 2;
    vm.sockets = 1;
    const detection d = detect_cpu(shipped(), vm);
    if (d) {
      EXPECT_EQ(d.card->id, "epyc_zen4_vm_2cpu") << "masked VM slice matched " << card.id;
    }
  }
}

TEST(DetectCpu, EveryCardWithRoofsPinsItsCores) {
  // A CPU's roofs scale with its cores: a card that states any roof must say for how many cores
  // (physical_cores or logical_cpus), and a full-socket card must refuse a hypervisor (x86) or
  // name the core by its main ID (arm64, where no hypervisor flag exists).
  for (const auto& card : shipped().cards) {
    if (!card.cpu_match) continue;
    const cpu_match_rule& rule = *card.cpu_match;
    bool any_roof = false;
    for (const auto& c : card.compute) any_roof = any_roof || c.rate.known();
    for (const auto& b : card.bandwidth) any_roof = any_roof || b.rate.known();
    if (!any_roof) continue;
    EXPECT_TRUE(rule.physical_cores > 0 || rule.logical_cpus > 0) << card.id;
    if (rule.physical_cores > 0) {
      const bool refuses_vm = std::find(rule.absent_flags.begin(), rule.absent_flags.end(),
                                        "hypervisor") != rule.absent_flags.end();
      EXPECT_TRUE(refuses_vm || rule.part >= 0) << card.id;
    }
  }
}

}  // namespace
}  // namespace ridgeline::roofline
