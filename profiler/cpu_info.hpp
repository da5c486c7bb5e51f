#pragma once
// What this CPU is, read from Linux's /proc and /sys. `root` lets tests point the reader at a fake
// tree; every field that cannot be read stays empty/zero rather than failing, because `devices`
// must work in containers and VMs that hide parts of /sys.
#include <cstdint>
#include <string>
#include <vector>

namespace ridgeline::profiler {

struct cache_level {
  int level = 0;
  std::string type;              // "Data", "Instruction", "Unified"
  std::uint64_t size_bytes = 0;  // one instance
  int instances = 0;             // how many such caches serve the online CPUs
  int line_bytes = 0;
};

struct cpu_info {
  // x86: `vendor_id` ("GenuineIntel", "AuthenticAMD", "HygonGenuine"). ARM kernels print no
  // vendor_id: the vendor is named after `CPU implementer` as lscpu does ("ARM" for 0x41,
  // "HiSilicon" for 0x48, ...), empty for an implementer not in that list.
  std::string vendor;
  std::string model;  // `model name`; hypervisors may mask it ("AMD EPYC"), arm64 prints none
  // CPUID signature (x86: `cpu family`, `model`) or main ID (ARM: `CPU implementer`, `CPU part`);
  // -1 when /proc/cpuinfo does not say. A hypervisor may set the x86 numbers to anything (one
  // development VM reports family 6 model 167, Rocket Lake, on a CPU with AMX); the ISA flags are
  // the better witness of what the cores can do.
  int family = -1;
  int model_number = -1;
  int implementer = -1;
  int part = -1;
  int logical_cpus = 0;
  // From `physical id` / `core id`. arm64 prints neither: there every logical CPU counts as a
  // core (the ARM server parts have no SMT) on one socket.
  int physical_cores = 0;
  int sockets = 0;
  double mhz = 0;                   // as /proc/cpuinfo reports it now (not a peak clock)
  std::vector<std::string> flags;   // every ISA flag (x86 `flags`, ARM `Features`)
  std::vector<cache_level> caches;  // ordered by level, data before instruction
  std::uint64_t memory_total_bytes = 0;
  std::uint64_t memory_available_bytes = 0;

  bool has_flag(const std::string& f) const;
  // The flags that matter for the kernels' throughput (vector width, FMA, matrix units).
  std::vector<std::string> vector_isa() const;
  // Total bytes of the largest unified cache level (all instances), 0 when unknown.
  std::uint64_t last_level_cache_bytes() const;
};

cpu_info read_cpu_info(const std::string& root = "/");

// This machine's CPU, read once per process (model, cores, flags and caches do not change while it
// runs; the memory fields are those of the first call — use memory_available_bytes() for a fresh
// value). Every measurement's provenance and rotation plan reads it, so it must not re-parse
// /proc and /sys each time.
const cpu_info& this_cpu();

// Bytes still available for allocation, read fresh (MemAvailable), 0 when unknown.
std::uint64_t memory_available_bytes(const std::string& root = "/");

// "0-3,8,10-11" -> 7. Malformed text gives 0.
int count_cpu_list(const std::string& list);

}  // namespace ridgeline::profiler
