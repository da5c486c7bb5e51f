#pragma once
// Facts fixed when Ridgeline was built; part of every measurement's provenance.
#include <string>
#include <utility>
#include <vector>

namespace ridgeline {

struct build_info {
  std::string version;       // project version, e.g. "0.1.0"
  std::string git_revision;  // `git describe --always --dirty` at configure time
  std::string compiler;      // e.g. "GNU 12.2.0"
  std::string build_type;    // CMake build type
  std::string isa_flags;     // "-march=native" or "default"

  // The fields as (name, value) pairs in the order above, named as the fields
  // (ridgeline._core.build_info()).
  std::vector<std::pair<std::string, std::string>> facts() const;
};

const build_info& this_build();

}  // namespace ridgeline
