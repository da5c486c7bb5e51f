// Detection: a running device maps to a catalog card only when the card's rule holds; the most
// specific rule wins; a tie or no match gives nothing, with the reason. CPUs from fake cpu_info
// values, GPUs from the names CUDA and HIP report.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

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
  EXPECT_EQ(none(intel),
            "no catalog entry matches CPU 'Intel(R) Xeon(R) Platinum 8480+' (2 logical CPUs): "
            "measured roofs only");
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

}  // namespace
}  // namespace ridgeline::roofline
