// read_cpu_info against a fake /proc + /sys tree written by the test: 2 sockets x 2 cores x 2
// threads, four cache levels; an arm64 machine (main ID, Features); a VM with a masked name.
// Unreadable parts must leave fields empty/zero (ids -1), never throw.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "profiler/cpu_info.hpp"

namespace ridgeline::profiler {
namespace {

namespace fs = std::filesystem;

// A fresh temporary directory, removed with everything in it when the test ends.
class temp_root {
 public:
  temp_root() {
    std::string pattern = (fs::temp_directory_path() / "ridgeline-cpuinfo-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~temp_root() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  temp_root(const temp_root&) = delete;
  temp_root& operator=(const temp_root&) = delete;

  const fs::path& path() const { return path_; }

  void write(const std::string& relative, const std::string& text) const {
    const fs::path p = path_ / relative;
    fs::create_directories(p.parent_path());
    std::ofstream out(p);
    out << text;
  }

 private:
  fs::path path_;
};

// One /proc/cpuinfo entry. Linux numbers the first hardware thread of every core first.
std::string cpuinfo_entry(int processor, int socket, int core, const std::string& flags,
                          const std::string& mhz) {
  return "processor\t: " + std::to_string(processor) +
         "\nvendor_id\t: GenuineIntel\ncpu family\t: 6\nmodel\t\t: 106\n"
         "model name\t: Intel(R) Xeon(R) Fake 8000 CPU @ 2.60GHz\nstepping\t: 6\n"
         "cpu MHz\t\t: " +
         mhz + "\ncache size\t: 16384 KB\nphysical id\t: " + std::to_string(socket) +
         "\nsiblings\t: 4\ncore id\t\t: " + std::to_string(core) +
         "\ncpu cores\t: 2\nflags\t\t: " + flags + "\nbogomips\t: 5200.00\n\n";
}

void write_cache(const temp_root& root, int index, const std::string& level,
                 const std::string& type, const std::string& size, const std::string& shared) {
  const std::string dir = "sys/devices/system/cpu/cpu0/cache/index" + std::to_string(index) + "/";
  root.write(dir + "level", level + "\n");
  root.write(dir + "type", type + "\n");
  root.write(dir + "size", size + "\n");
  root.write(dir + "shared_cpu_list", shared + "\n");
  root.write(dir + "coherency_line_size", "64\n");
}

const char* const flags0 =
    "fpu vme de pse tsc msr sse sse2 ssse3 sse4_1 sse4_2 avx fma avx2 avx512f avx512bw "
    "avx512vl avx512_vnni popcnt";

void write_two_socket_machine(const temp_root& root) {
  std::string cpuinfo;
  // cpu0..3: thread 0 of (socket, core) = (0,0) (0,1) (1,0) (1,1); cpu4..7: their siblings.
  for (int p = 0; p < 8; ++p) {
    const int socket = (p / 2) % 2;
    const int core = p % 2;
    // Later entries differ, to show that the first processor's values are the ones reported.
    cpuinfo += cpuinfo_entry(p, socket, core, p == 0 ? flags0 : "fpu sse amx_tile",
                             p == 0 ? "2600.000" : "3100.000");
  }
  root.write("proc/cpuinfo", cpuinfo);
  root.write("proc/meminfo",
             "MemTotal:       16316412 kB\nMemFree:         1000000 kB\n"
             "MemAvailable:   12000000 kB\nBuffers:          200000 kB\n");
  root.write("sys/devices/system/cpu/online", "0-7\n");
  write_cache(root, 0, "1", "Data", "48K", "0,4");
  write_cache(root, 1, "1", "Instruction", "32K", "0,4");
  write_cache(root, 2, "2", "Unified", "1280K", "0,4");
  write_cache(root, 3, "3", "Unified", "16384K", "0-1,4-5");
}

TEST(CpuInfo, ReadsAFakeTwoSocketMachine) {
  temp_root root;
  write_two_socket_machine(root);
  const cpu_info info = read_cpu_info(root.path().string());

  EXPECT_EQ(info.vendor, "GenuineIntel");
  EXPECT_EQ(info.model, "Intel(R) Xeon(R) Fake 8000 CPU @ 2.60GHz");
  EXPECT_EQ(info.family, 6);
  EXPECT_EQ(info.model_number, 106);  // `model`, not `model name`
  EXPECT_EQ(info.implementer, -1);    // x86: no ARM main ID
  EXPECT_EQ(info.part, -1);
  EXPECT_EQ(info.logical_cpus, 8);
  EXPECT_EQ(info.physical_cores, 4);
  EXPECT_EQ(info.sockets, 2);
  EXPECT_DOUBLE_EQ(info.mhz, 2600.0);
  ASSERT_EQ(info.flags.size(), 19u);
  EXPECT_EQ(info.flags.front(), "fpu");
  EXPECT_EQ(info.flags.back(), "popcnt");
  EXPECT_TRUE(info.has_flag("avx512f"));
  EXPECT_FALSE(info.has_flag("avx512"));    // whole words only
  EXPECT_FALSE(info.has_flag("amx_tile"));  // only on later entries
  EXPECT_EQ(info.memory_total_bytes, 16316412ull * 1024);
  EXPECT_EQ(info.memory_available_bytes, 12000000ull * 1024);

  ASSERT_EQ(info.caches.size(), 4u);
  const cache_level& l1d = info.caches[0];
  EXPECT_EQ(l1d.level, 1);
  EXPECT_EQ(l1d.type, "Data");
  EXPECT_EQ(l1d.size_bytes, 48u * 1024);
  EXPECT_EQ(l1d.instances, 4);  // 8 CPUs, 2 per L1
  EXPECT_EQ(l1d.line_bytes, 64);
  EXPECT_EQ(info.caches[1].level, 1);
  EXPECT_EQ(info.caches[1].type, "Instruction");
  EXPECT_EQ(info.caches[1].size_bytes, 32u * 1024);
  EXPECT_EQ(info.caches[2].level, 2);
  EXPECT_EQ(info.caches[2].type, "Unified");
  EXPECT_EQ(info.caches[2].size_bytes, 1280u * 1024);
  EXPECT_EQ(info.caches[2].instances, 4);
  const cache_level& l3 = info.caches[3];
  EXPECT_EQ(l3.level, 3);
  EXPECT_EQ(l3.size_bytes, 16u * 1024 * 1024);
  EXPECT_EQ(l3.instances, 2);  // one per socket

  EXPECT_EQ(info.last_level_cache_bytes(), 32u * 1024 * 1024);
  EXPECT_EQ(info.vector_isa(), (std::vector<std::string>{"sse4_2", "avx", "avx2", "fma", "avx512f",
                                                         "avx512bw", "avx512vl", "avx512_vnni"}));
  EXPECT_EQ(memory_available_bytes(root.path().string()), 12000000ull * 1024);
}

TEST(CpuInfo, RootWithOrWithoutTrailingSlashReadsTheSame) {
  temp_root root;
  write_two_socket_machine(root);
  const cpu_info a = read_cpu_info(root.path().string());
  const cpu_info b = read_cpu_info(root.path().string() + "/");
  EXPECT_EQ(a.model, b.model);
  EXPECT_EQ(a.logical_cpus, b.logical_cpus);
  EXPECT_EQ(a.caches.size(), b.caches.size());
}

TEST(CpuInfo, CachesAreOrderedByLevelDataBeforeInstruction) {
  // sysfs order is not promised; the reader sorts.
  temp_root root;
  root.write("sys/devices/system/cpu/online", "0-3");
  write_cache(root, 0, "2", "Unified", "2M", "0-1");
  write_cache(root, 1, "1", "Instruction", "64K", "0");
  write_cache(root, 2, "1", "Data", "64K", "0");
  const cpu_info info = read_cpu_info(root.path().string());
  ASSERT_EQ(info.caches.size(), 3u);
  EXPECT_EQ(info.caches[0].type, "Data");
  EXPECT_EQ(info.caches[1].type, "Instruction");
  EXPECT_EQ(info.caches[2].level, 2);
  EXPECT_EQ(info.caches[2].size_bytes, 2u * 1024 * 1024);
  EXPECT_EQ(info.caches[2].instances, 2);
  EXPECT_EQ(info.last_level_cache_bytes(), 4u * 1024 * 1024);
}

TEST(CpuInfo, LastLevelCacheIgnoresInstructionCaches) {
  cpu_info info;
  EXPECT_EQ(info.last_level_cache_bytes(), 0u);
  info.caches = {{1, "Data", 32 * 1024, 4, 64}, {1, "Instruction", 32 * 1024, 4, 64}};
  EXPECT_EQ(info.last_level_cache_bytes(), 128u * 1024);
  info.caches.push_back({2, "Instruction", 1024 * 1024, 1, 64});
  EXPECT_EQ(info.last_level_cache_bytes(), 128u * 1024);
  info.caches.push_back({2, "Unified", 2 * 1024 * 1024, 0, 64});  // unknown instances: one
  EXPECT_EQ(info.last_level_cache_bytes(), 2u * 1024 * 1024);
}

TEST(CpuInfo, LogicalCpusFallBackToProcessorEntries) {
  // No sys/.../online (hidden in some containers): count /proc/cpuinfo entries; no topology
  // fields means one core per processor on one socket.
  temp_root root;
  root.write("proc/cpuinfo",
             "processor\t: 0\nvendor_id\t: AuthenticAMD\nflags\t\t: sse avx\n\n"
             "processor\t: 1\nvendor_id\t: AuthenticAMD\nflags\t\t: sse avx\n\n"
             "processor\t: 2\nvendor_id\t: AuthenticAMD\nflags\t\t: sse avx\n\n");
  const cpu_info info = read_cpu_info(root.path().string());
  EXPECT_EQ(info.vendor, "AuthenticAMD");
  EXPECT_EQ(info.model, "");
  EXPECT_EQ(info.logical_cpus, 3);
  EXPECT_EQ(info.physical_cores, 3);
  EXPECT_EQ(info.sockets, 1);
  EXPECT_EQ(info.vector_isa(), (std::vector<std::string>{"avx"}));
  EXPECT_TRUE(info.caches.empty());
}

// One arm64 /proc/cpuinfo entry as Linux prints it: no vendor_id, no model name, no topology;
// the main ID in `CPU implementer` / `CPU part` (hexadecimal) and the ISA in `Features`.
std::string arm64_entry(int processor, const std::string& implementer, const std::string& part) {
  return "processor\t: " + std::to_string(processor) +
         "\nBogoMIPS\t: 2000.00\n"
         "Features\t: fp asimd evtstrm aes pmull sha1 sha2 crc32 atomics fphp asimdhp cpuid "
         "asimdrdm jscvt fcma lrcpc dcpop sha3 sm3 sm4 asimddp sha512 sve asimdfhm dit uscat "
         "ilrcpc flagm ssbs sb paca pacg dcpodp sve2 sveaes svepmull svebitperm svesha3 svesm4 "
         "flagm2 frint svei8mm svebf16 i8mm bf16 dgh bti\n"
         "CPU implementer\t: " +
         implementer + "\nCPU architecture: 8\nCPU variant\t: 0x0\nCPU part\t: " + part +
         "\nCPU revision\t: 0\n\n";
}

TEST(CpuInfo, ReadsAnArm64Machine) {
  temp_root root;
  std::string cpuinfo;
  for (int p = 0; p < 4; ++p) cpuinfo += arm64_entry(p, "0x41", "0xd4f");
  root.write("proc/cpuinfo", cpuinfo);
  const cpu_info info = read_cpu_info(root.path().string());
  EXPECT_EQ(info.vendor, "ARM");  // named after the implementer, as lscpu does
  EXPECT_EQ(info.model, "");      // arm64 prints no model name
  EXPECT_EQ(info.implementer, 0x41);
  EXPECT_EQ(info.part, 0xd4f);
  EXPECT_EQ(info.family, -1);
  EXPECT_EQ(info.model_number, -1);
  EXPECT_EQ(info.logical_cpus, 4);
  EXPECT_EQ(info.physical_cores, 4);  // no core ids: one core per logical CPU (no SMT)
  EXPECT_EQ(info.sockets, 1);
  EXPECT_TRUE(info.has_flag("sve2"));  // `Features` is the flag list
  EXPECT_EQ(info.vector_isa(), (std::vector<std::string>{"asimd", "sve", "sve2"}));
}

TEST(CpuInfo, ArmVendorNamesFollowTheImplementer) {
  const auto vendor_of = [](const std::string& implementer) {
    temp_root root;
    root.write("proc/cpuinfo", arm64_entry(0, implementer, "0xd01"));
    return read_cpu_info(root.path().string());
  };
  const cpu_info kunpeng = vendor_of("0x48");
  EXPECT_EQ(kunpeng.vendor, "HiSilicon");
  EXPECT_EQ(kunpeng.part, 0xd01);
  EXPECT_EQ(vendor_of("0x99").vendor, "");  // not in lscpu's list: no name, the number stays
  EXPECT_EQ(vendor_of("0x99").implementer, 0x99);
  EXPECT_EQ(vendor_of("junk").implementer, -1);
}

TEST(CpuInfo, MaskedVmKeepsItsSignature) {
  // A hypervisor that hides the part name still passes a CPUID signature (here one it made up:
  // family 6 model 167 is Rocket Lake, which has no AMX) and the ISA.
  temp_root root;
  root.write("proc/cpuinfo",
             "processor\t: 0\nvendor_id\t: GenuineIntel\ncpu family\t: 6\nmodel\t\t: 167\n"
             "model name\t: Intel(R) Xeon(R) Processor\nflags\t\t: fpu hypervisor avx512f "
             "avx512_fp16 amx_tile\n\n");
  const cpu_info info = read_cpu_info(root.path().string());
  EXPECT_EQ(info.model, "Intel(R) Xeon(R) Processor");
  EXPECT_EQ(info.family, 6);
  EXPECT_EQ(info.model_number, 167);
  EXPECT_TRUE(info.has_flag("amx_tile"));
}

TEST(CpuInfo, EmptyRootGivesEmptyFields) {
  temp_root root;
  cpu_info info;
  ASSERT_NO_THROW(info = read_cpu_info(root.path().string()));
  EXPECT_EQ(info.vendor, "");
  EXPECT_EQ(info.model, "");
  EXPECT_EQ(info.family, -1);
  EXPECT_EQ(info.model_number, -1);
  EXPECT_EQ(info.implementer, -1);
  EXPECT_EQ(info.part, -1);
  EXPECT_EQ(info.logical_cpus, 0);
  EXPECT_EQ(info.physical_cores, 0);
  EXPECT_EQ(info.sockets, 0);
  EXPECT_DOUBLE_EQ(info.mhz, 0.0);
  EXPECT_TRUE(info.flags.empty());
  EXPECT_TRUE(info.caches.empty());
  EXPECT_EQ(info.memory_total_bytes, 0u);
  EXPECT_EQ(info.memory_available_bytes, 0u);
  EXPECT_EQ(info.last_level_cache_bytes(), 0u);
  EXPECT_TRUE(info.vector_isa().empty());
  EXPECT_EQ(memory_available_bytes(root.path().string()), 0u);
}

TEST(CpuInfo, MissingRootGivesEmptyFields) {
  cpu_info info;
  ASSERT_NO_THROW(info = read_cpu_info("/nonexistent/ridgeline/root"));
  EXPECT_EQ(info.logical_cpus, 0);
  EXPECT_TRUE(info.caches.empty());
}

TEST(CountCpuList, CountsSinglesAndRanges) {
  EXPECT_EQ(count_cpu_list("0-3,8,10-11"), 7);
  EXPECT_EQ(count_cpu_list("0"), 1);
  EXPECT_EQ(count_cpu_list("5-5"), 1);
  EXPECT_EQ(count_cpu_list("0-127"), 128);
  EXPECT_EQ(count_cpu_list("0,4"), 2);
  EXPECT_EQ(count_cpu_list(" 0-3 , 8\n"), 5);
  EXPECT_EQ(count_cpu_list(""), 0);
}

TEST(CountCpuList, MalformedGivesZero) {
  for (const char* text : {"abc", "0-", "-3", "3-1", "1,,2", "0-3,", ",0", "x-3", "1-x", "1-2-3",
                           "0 3", "+1", "1.5", "0--3"}) {
    EXPECT_EQ(count_cpu_list(text), 0) << "'" << text << "'";
  }
}

}  // namespace
}  // namespace ridgeline::profiler
