#include "kokkos_tools/application_info.hpp"

#include <filesystem>
#include <fstream>
#include <iterator>

namespace ridgeline::kokkos_tools {

std::string application_info::command_line() const {
  std::string out = path;
  for (const auto& a : args) {
    out += ' ';
    out += a.find_first_of(" \t'\"") == std::string::npos ? a : "'" + a + "'";
  }
  return out;
}

application_info this_application() {
  application_info app;
  std::ifstream in("/proc/self/cmdline", std::ios::binary);
  const std::string raw((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<std::string> argv;
  std::string current;
  for (char c : raw) {
    if (c == '\0') {
      argv.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  if (!current.empty()) argv.push_back(current);
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  app.path = !ec ? exe.string() : (argv.empty() ? "unknown" : argv.front());
  if (argv.size() > 1) app.args.assign(argv.begin() + 1, argv.end());
  return app;
}

}  // namespace ridgeline::kokkos_tools
