// What an application writes: this program includes only the reader and is compiled by
// test_header_standalone.sh with nothing but nlohmann/json on the include path.
// Usage: standalone_reader FILE KERNEL VARIANT DTYPE name=value...
// Prints "RULE PARAMS_TEXT" for the lookup, or "none".
#include <cstdlib>
#include <iostream>
#include <ridgeline/wisdom_file.hpp>
#include <string>

int main(int argc, char** argv) {
  if (argc < 5) {
    std::cerr << "usage: standalone_reader FILE KERNEL VARIANT DTYPE name=value...\n";
    return 2;
  }
  try {
    const auto wisdom = ridgeline::wisdom_file::load(argv[1]);
    ridgeline::wisdom_query q{argv[2], argv[3], argv[4], "", {}};
    for (int i = 5; i < argc; ++i) {
      const std::string field = argv[i];
      const auto eq = field.find('=');
      q.problem[field.substr(0, eq)] = std::strtod(field.c_str() + eq + 1, nullptr);
    }
    const auto match = wisdom.lookup(q);
    if (!match) {
      std::cout << "none\n";
      return 0;
    }
    std::cout << ridgeline::to_string(match->rule) << " " << match->entry.params_text << "\n";
  } catch (const ridgeline::wisdom_file_error& e) {
    std::cerr << e.what() << "\n";
    return 1;
  }
  return 0;
}
