#include "profiler/counters/rocprof_device.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <utility>

namespace ridgeline::profiler::counters {

std::string gfx_name(unsigned long v) {
  if (v == 0) return "";
  return fmt::format("gfx{}{:x}{:x}", v / 10000, (v / 100) % 100, v % 100);
}

std::vector<std::string> kfd_gpu_targets(const std::string& topology_dir) {
  namespace fs = std::filesystem;
  std::vector<std::pair<unsigned long, std::string>> nodes;  // node number, ISA
  std::error_code ec;
  for (fs::directory_iterator it(topology_dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string id = it->path().filename().string();
    if (id.empty() ||
        !std::all_of(id.begin(), id.end(), [](char c) { return c >= '0' && c <= '9'; }))
      continue;
    std::ifstream in(it->path() / "properties");
    std::string line;
    while (std::getline(in, line)) {
      std::istringstream fields(line);
      std::string key;
      unsigned long value = 0;
      if (fields >> key >> value && key == "gfx_target_version") {
        if (value != 0) nodes.emplace_back(std::strtoul(id.c_str(), nullptr, 10), gfx_name(value));
        break;
      }
    }
  }
  std::sort(nodes.begin(), nodes.end());
  std::vector<std::string> out;
  for (auto& n : nodes) out.push_back(std::move(n.second));
  return out;
}

}  // namespace ridgeline::profiler::counters
