#include "profiler/cpu_info.hpp"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <utility>

namespace ridgeline::profiler {

namespace {

std::string read_first_line(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  if (in) std::getline(in, line);
  return line;
}

std::string trim(std::string s) {
  const auto b = s.find_first_not_of(" \t");
  const auto e = s.find_last_not_of(" \t\r\n");
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

// "32K", "1024K", "32768K", "2M" -> bytes.
std::uint64_t parse_cache_size(const std::string& text) {
  std::uint64_t v = 0;
  std::size_t i = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') v = v * 10 + (text[i++] - '0');
  if (i < text.size()) {
    if (text[i] == 'K') v *= 1024;
    if (text[i] == 'M') v *= 1024 * 1024;
    if (text[i] == 'G') v *= 1024ull * 1024 * 1024;
  }
  return v;
}

std::uint64_t meminfo_kib(const std::string& root, const std::string& key) {
  std::ifstream in(root + "proc/meminfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(key + ":", 0) == 0) {
      std::istringstream fields(line.substr(key.size() + 1));
      std::uint64_t kib = 0;
      fields >> kib;
      return kib * 1024;
    }
  }
  return 0;
}

std::string with_slash(std::string root) {
  if (root.empty() || root.back() != '/') root += '/';
  return root;
}

// "6", "0x41", "0xd4f" -> the number; anything else -> -1.
int id_number(const std::string& text) {
  if (text.empty()) return -1;
  char* end = nullptr;
  const long v = std::strtol(text.c_str(), &end, 0);
  return end != nullptr && *end == '\0' && v >= 0 && v <= 0xffff ? static_cast<int>(v) : -1;
}

// The vendor name of an ARM `CPU implementer` code, as util-linux's lscpu names it
// (sys-utils/lscpu-arm.c, hw_implementer[]); empty when not listed.
std::string arm_implementer_name(int code) {
  static const std::pair<int, const char*> names[] = {
      {0x41, "ARM"},       {0x42, "Broadcom"}, {0x43, "Cavium"}, {0x46, "FUJITSU"},
      {0x48, "HiSilicon"}, {0x4e, "NVIDIA"},   {0x50, "APM"},    {0x51, "Qualcomm"},
      {0x53, "Samsung"},   {0x56, "Marvell"},  {0x61, "Apple"},  {0x69, "Intel"},
      {0x6d, "Microsoft"}, {0x70, "Phytium"},  {0xc0, "Ampere"}};
  for (const auto& [id, name] : names) {
    if (id == code) return name;
  }
  return {};
}

void read_proc_cpuinfo(const std::string& root, cpu_info& info) {
  std::ifstream in(root + "proc/cpuinfo");
  std::string line;
  std::set<std::pair<std::string, std::string>> cores;
  std::set<std::string> sockets;
  std::string physical_id;
  int processors = 0;
  while (std::getline(in, line)) {
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    const std::string key = trim(line.substr(0, colon));
    const std::string value = trim(line.substr(colon + 1));
    if (key == "processor") ++processors;
    if (key == "vendor_id" && info.vendor.empty()) info.vendor = value;
    if (key == "model name" && info.model.empty()) info.model = value;
    if (key == "cpu family" && info.family < 0) info.family = id_number(value);
    if (key == "model" && info.model_number < 0) info.model_number = id_number(value);
    if (key == "CPU implementer" && info.implementer < 0) info.implementer = id_number(value);
    if (key == "CPU part" && info.part < 0) info.part = id_number(value);
    if (key == "cpu MHz" && info.mhz == 0) info.mhz = std::atof(value.c_str());
    if (key == "physical id") {
      physical_id = value;
      sockets.insert(value);
    }
    if (key == "core id") cores.emplace(physical_id, value);
    if ((key == "flags" || key == "Features") && info.flags.empty()) {
      std::istringstream words(value);
      std::string w;
      while (words >> w) info.flags.push_back(w);
    }
  }
  if (info.vendor.empty() && info.implementer >= 0) {
    info.vendor = arm_implementer_name(info.implementer);
  }
  info.physical_cores = static_cast<int>(cores.size());
  info.sockets = static_cast<int>(sockets.size());
  if (info.logical_cpus == 0) info.logical_cpus = processors;
  if (info.physical_cores == 0) info.physical_cores = info.logical_cpus;
  if (info.sockets == 0 && info.logical_cpus > 0) info.sockets = 1;
}

void read_caches(const std::string& root, cpu_info& info) {
  const std::string base = root + "sys/devices/system/cpu/cpu0/cache/index";
  for (int i = 0; i < 16; ++i) {
    const std::string dir = base + std::to_string(i) + "/";
    const std::string level = read_first_line(dir + "level");
    if (level.empty()) break;
    cache_level c;
    c.level = std::atoi(level.c_str());
    c.type = read_first_line(dir + "type");
    c.size_bytes = parse_cache_size(read_first_line(dir + "size"));
    c.line_bytes = std::atoi(read_first_line(dir + "coherency_line_size").c_str());
    const int sharing = count_cpu_list(read_first_line(dir + "shared_cpu_list"));
    c.instances =
        sharing > 0 && info.logical_cpus > 0 ? std::max(1, info.logical_cpus / sharing) : 1;
    info.caches.push_back(c);
  }
  // sysfs does not promise index order; sort by level, data (and unified) before instruction.
  std::stable_sort(info.caches.begin(), info.caches.end(),
                   [](const cache_level& a, const cache_level& b) {
                     const bool a_instr = a.type == "Instruction";
                     const bool b_instr = b.type == "Instruction";
                     return a.level != b.level ? a.level < b.level : (!a_instr && b_instr);
                   });
}

}  // namespace

int count_cpu_list(const std::string& list_in) {
  // Kernel cpulist format: comma-separated "N" or "N-M", decimal digits only. strtol alone would
  // accept "x-3" (as 0-3), "-3" and "0-", and getline would drop a trailing empty item.
  const auto number = [](const std::string& s, long& out) {
    if (s.empty() || s.size() > 9 || s.find_first_not_of("0123456789") != std::string::npos) {
      return false;
    }
    out = std::stol(s);
    return true;
  };
  const std::string list = trim(list_in);
  if (list.empty()) return 0;
  long total = 0;
  std::size_t start = 0;
  for (;;) {
    const std::size_t comma = std::min(list.find(',', start), list.size());
    const std::string part = trim(list.substr(start, comma - start));
    const auto dash = part.find('-');
    long a = 0;
    long b = 0;
    if (dash == std::string::npos) {
      if (!number(part, a)) return 0;
      b = a;
    } else if (!number(part.substr(0, dash), a) || !number(part.substr(dash + 1), b) || b < a) {
      return 0;
    }
    total += b - a + 1;
    if (total > 1'000'000'000) return 0;
    if (comma == list.size()) break;
    start = comma + 1;
  }
  return static_cast<int>(total);
}

bool cpu_info::has_flag(const std::string& f) const {
  return std::find(flags.begin(), flags.end(), f) != flags.end();
}

std::vector<std::string> cpu_info::vector_isa() const {
  static const char* interesting[] = {"sse4_2",      "avx",         "avx2",     "fma",
                                      "avx512f",     "avx512bw",    "avx512vl", "avx512_bf16",
                                      "avx512_fp16", "avx512_vnni", "amx_bf16", "amx_tile",
                                      "asimd",       "sve",         "sve2"};
  std::vector<std::string> out;
  for (const char* f : interesting) {
    if (has_flag(f)) out.emplace_back(f);
  }
  return out;
}

std::uint64_t cpu_info::last_level_cache_bytes() const {
  std::uint64_t best = 0;
  int best_level = 0;
  for (const auto& c : caches) {
    if (c.type == "Instruction") continue;
    if (c.level >= best_level) {
      best_level = c.level;
      best = c.size_bytes * static_cast<std::uint64_t>(std::max(1, c.instances));
    }
  }
  return best;
}

cpu_info read_cpu_info(const std::string& root_in) {
  const std::string root = with_slash(root_in);
  cpu_info info;
  info.logical_cpus = count_cpu_list(read_first_line(root + "sys/devices/system/cpu/online"));
  read_proc_cpuinfo(root, info);
  read_caches(root, info);
  info.memory_total_bytes = meminfo_kib(root, "MemTotal");
  info.memory_available_bytes = meminfo_kib(root, "MemAvailable");
  return info;
}

const cpu_info& this_cpu() {
  static const cpu_info info = read_cpu_info();
  return info;
}

std::uint64_t memory_available_bytes(const std::string& root) {
  return meminfo_kib(with_slash(root), "MemAvailable");
}

}  // namespace ridgeline::profiler
